"""`dangjian backup DIR`: a consistent, restorable copy of the database and the uploaded
files (see dangjian.core.backup)."""

from django.core.management.base import BaseCommand, CommandError

from dangjian.core import backup


class Command(BaseCommand):
    help = "备份数据库和上传的文件到一个新目录（网站运行时也可备份）；用 dangjian restore 恢复。"

    def add_arguments(self, parser):
        parser.add_argument("directory", help="备份目录（新目录或空目录）")

    def handle(self, *args, directory, **options):
        try:
            backup.backup(directory, log=self.stdout.write)
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
