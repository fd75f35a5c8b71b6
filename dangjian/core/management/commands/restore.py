"""`dangjian restore DIR [--force]`: bring a backup made by `dangjian backup` back into an
empty database (see dangjian.core.backup)."""

from django.core.management.base import BaseCommand, CommandError

from dangjian.core import backup


class Command(BaseCommand):
    help = (
        "从 dangjian backup 写的备份目录恢复数据库和上传的文件：先校验全部文件，"
        "目标数据库须为空（--force 覆盖）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="备份目录")
        parser.add_argument(
            "--force", action="store_true", help="目标数据库或上传文件目录不是空的也恢复（覆盖）"
        )

    def handle(self, *args, directory, force=False, **options):
        try:
            backup.restore(directory, force=force, log=self.stdout.write)
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
