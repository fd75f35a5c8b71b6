import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dangjian.core.forms import normalize_code
from dangjian.core.periods import Period, PeriodError
from dangjian.orgs.models import Organization
from dangjian.reports.stats import stats_for


class Command(BaseCommand):
    help = "打印一个党组织（默认根组织）按整个下级范围汇总的数字。"

    def add_arguments(self, parser):
        parser.add_argument("code", nargs="?", help="组织编码；不填则为根组织")
        parser.add_argument("--period", help="期间：2026、2026-Q1 或 2026-03")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="以一个 JSON 对象输出"
        )

    def handle(self, *args, code=None, period=None, as_json=False, **options):
        try:
            period = Period.parse(period) if period else None
        except PeriodError as e:
            raise CommandError(str(e)) from e
        if code:
            org = Organization.objects.filter(code=normalize_code(code)).first()
            if org is None:
                raise CommandError(_("组织编码“%(code)s”不存在") % {"code": code})
        else:
            org = Organization.objects.filter(depth=1).order_by("path").first()
            if org is None:
                raise CommandError(_("数据库中还没有党组织；请先运行 dangjian demo 或导入组织"))
        data = stats_for(org, period)
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(f"{data['name']}（{data['code']}）")
        for key, value in data.items():
            if key not in ("name", "code"):
                self.stdout.write(f"  {key}: {value}")
