import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import reminders


class Command(BaseCommand):
    help = "生成到期前的提醒（如本期还缺的会议、即将到期的换届）。建议每天定时运行一次。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按哪一天计算，格式 2026-03-25；默认今天")

    def handle(self, *args, today=None, **options):
        if today:
            try:
                today = datetime.date.fromisoformat(today)
            except ValueError as e:
                raise CommandError(
                    _("日期“%(date)s”格式不正确，应为 2026-03-25") % {"date": today}
                ) from e
        made = reminders.make(today or timezone.localdate())
        self.stdout.write(_("新生成提醒 %(n)s 条") % {"n": made})
