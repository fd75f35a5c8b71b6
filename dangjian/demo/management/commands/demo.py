"""`dangjian demo`: migrate, then load the demo county (or generated data of a given size)."""

import argparse
import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from dangjian.demo import generator, loader

MAX_ORGS = 2_000_000
MAX_MEMBERS = 50_000_000


def _count(value, option: str, *, minimum: int, maximum: int) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise CommandError(
            _("%(option)s 应为整数，收到的是“%(value)s”") % {"option": option, "value": value}
        ) from None
    if number < 0:
        raise CommandError(
            _("%(option)s 不能为负数（收到 %(number)s）") % {"option": option, "number": number}
        )
    if number < minimum:
        raise CommandError(
            _("%(option)s 至少为 %(minimum)s（收到 %(number)s）")
            % {"option": option, "minimum": minimum, "number": number}
        )
    if number > maximum:
        raise CommandError(
            _("%(option)s 不能超过 %(maximum)s（收到 %(number)s）")
            % {"option": option, "maximum": maximum, "number": number}
        )
    return number


class Command(BaseCommand):
    help = (
        "迁移数据库后载入演示数据：默认是仿照宁陵县的演示县（745个基层党组织、约19000名党员）；"
        "--orgs N --members M 生成省级规模的测试数据。已载入时不做改动，除非加 --reset。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="先清空所有数据表（组织、党员、账号、操作记录……）再载入",
        )
        parser.add_argument(
            "--orgs",
            metavar="N",
            help="生成 N 个党组织（省 → 市 → 县 → 乡镇 → 村支部 → 党小组），需同时给出 --members",
        )
        parser.add_argument("--members", metavar="M", help="生成 M 名党员，需同时给出 --orgs")
        parser.add_argument(
            "--seed",
            metavar="S",
            help=f"随机种子（默认 {generator.DEFAULT_SEED}）；同一种子生成的数据完全相同",
        )
        parser.add_argument(
            "--activity",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="同时生成截至昨天约一年的组织生活和清单式任务记录（会议、评议、谈话、换届、"
            "目标责任书、交办单和晒账单、例会、书记项目）；演示县默认生成，省级规模默认不生成",
        )

    def handle(
        self, *args, reset=False, orgs=None, members=None, seed=None, activity=None, **options
    ):
        if (orgs is None) != (members is None):
            given, missing = (
                ("--orgs", "--members") if orgs is not None else ("--members", "--orgs")
            )
            raise CommandError(
                _(
                    "给出了 %(given)s，还需要同时给出 %(missing)s（例如 --orgs 1000 --members 20000）"
                )
                % {"given": given, "missing": missing}
            )
        seed = (
            generator.DEFAULT_SEED
            if seed is None
            else _count(seed, "--seed", minimum=0, maximum=2**63 - 1)
        )
        if orgs is not None:
            orgs = _count(orgs, "--orgs", minimum=2, maximum=MAX_ORGS)
            members = _count(members, "--members", minimum=0, maximum=MAX_MEMBERS)

        self.stdout.write(f"数据库：{self._database()}")
        call_command("migrate", interactive=False, verbosity=max(0, options["verbosity"] - 1))

        with transaction.atomic():
            if reset:
                loader.wipe()
                self.stdout.write("已清空数据表。")
            elif (event := loader.loaded_event()) is not None:
                when = event.at.astimezone().strftime("%Y-%m-%d %H:%M")
                self.stdout.write(
                    f"演示数据已经载入（{event.summary}，{when}），未做改动；"
                    "如需重新生成，请加 --reset。"
                )
                self._logins()
                return
            elif loader.has_data():
                self.stdout.write(
                    "数据库中已有党组织数据（不是演示数据），未载入演示数据；"
                    "如需清空后载入，请加 --reset。"
                )
                return
            if orgs is None:
                self.stdout.write(f"正在生成宁陵县演示数据（种子 {seed}）……")
                dataset = generator.ningling(seed)
            else:
                self.stdout.write(f"正在生成 {orgs} 个党组织、{members} 名党员（种子 {seed}）……")
                dataset = generator.province(orgs, members, seed)
            if activity is None:
                activity = orgs is None  # the demo county comes with a year of activity
            result = loader.load(dataset, progress=self.stdout.write, activity=activity)
        made = result.activity
        done = ""
        if made:
            done = (
                f"；一年的活动记录：会议{made.get('meetings', 0)}次"
                f"（出席记录{made.get('attendance', 0)}条），"
                f"民主评议{made.get('reviews', 0)}人次，谈心谈话{made.get('talks', 0)}次，"
                f"交办单{made.get('assignments', 0)}份、晒账单{made.get('report_backs', 0)}份，"
                f"目标{made.get('pledge_targets', 0)}项，书记项目{made.get('secretary_projects', 0)}个"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"已载入{result.label}：{result.organizations}个党组织，{result.members}名党员，"
                f"{result.officers}个委员职务{done}，用时 {result.seconds:.1f} 秒。"
            )
        )
        self._logins()

    def _database(self) -> str:
        name = settings.DATABASES["default"]["NAME"]
        if connection.vendor == "sqlite":
            return f"SQLite {name}"
        host = settings.DATABASES["default"].get("HOST") or "localhost"
        return f"{connection.display_name} {host}/{name}"

    def _logins(self) -> None:
        port = os.environ.get("DANGJIAN_PORT") or os.environ.get("PORT") or "8000"
        logins = loader.current_logins()
        self.stdout.write(f"\n打开 http://127.0.0.1:{port}/ 登录。")
        if logins:
            self.stdout.write(f"演示账号（密码均为 {loader.PASSWORD}，已改过的除外）：")
            for login in logins:
                self.stdout.write(f"  {login.username:<9} {login.role}：{login.organization}")
