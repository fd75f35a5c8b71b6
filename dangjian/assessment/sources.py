"""The figures a computed indicator may be scored from: a registry, so that a later app
adds its own (training coverage, issue 14, is not here yet: the training app registers
`training.coverage` when it exists).

Sources now: meeting compliance (life), report-backs on time and responsibility-pledge
targets met (tasks), pledges to the public kept (service), elections on time (health).

A source is `fn(root, period, today) -> {organization id: (value, inputs)}` for the
organizations of `root`'s subtree, each figure over the organization's own subtree (the
sum over its children plus its own records, rates from the summed counts). `value` is a
number or None (nothing was due), `inputs` the counts it is computed from, shown as the
score's reason. Organizations left out have no data (value None).

Each source reads its app's records in a few queries over the whole subtree and sums the
counts up the tree by path prefix in one pass (`roll_up`): scoring 100,000 organizations
is one pass per source, not a query per organization.
"""

import datetime
import decimal
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.periods import Period

STEP = 4  # orgs.Organization.steplen


@dataclass(frozen=True)
class Source:
    code: str
    label: str
    formula: str  # how the value is computed from the inputs, in words
    inputs: tuple  # (key, label) of the counts kept as the reason
    fn: object
    unit: str = "rate"  # "rate" (0–1) or "count"


REGISTRY: dict[str, Source] = {}


def register(source: Source) -> None:
    REGISTRY[source.code] = source


def choices():
    return [(s.code, s.label) for s in REGISTRY.values()]


def roll_up(root_path: str, paths: dict, own: dict, width: int) -> dict:
    """{organization id: counts summed over its subtree} from `own` {id: counts tuple} and
    `paths` {id: path} of every organization of the subtree: each organization's own counts
    are added to it and to each of its ancestors within the subtree."""
    by_path = defaultdict(lambda: [0] * width)
    start = len(root_path)
    for org_id, counts in own.items():
        path = paths.get(org_id)
        if path is None:
            continue
        for end in range(start, len(path) + 1, STEP):
            acc = by_path[path[:end]]
            for i, n in enumerate(counts):
                acc[i] += n
    return {
        org_id: tuple(by_path[p]) if p in by_path else (0,) * width for org_id, p in paths.items()
    }


def _rates(rolled: dict, keys: tuple) -> dict:
    """(value, inputs) from rolled (part, whole) counts: part ÷ whole, None when whole is 0."""
    return {
        org_id: (counts[0] / counts[1] if counts[1] else None, dict(zip(keys, counts, strict=True)))
        for org_id, counts in rolled.items()
    }


# ---- sources of the apps below ----------------------------------------------------------


def meeting_compliance(root, period: Period, today: datetime.date, paths: dict) -> dict:
    from dangjian.life import services as life

    by_org = life.compliance(root, period, today)["by_org"]
    own = {org_id: (t.held, t.due) for org_id, t in by_org.items()}
    return _rates(roll_up(root.path, paths, own, 2), ("held", "due"))


def report_backs_on_time(root, period: Period, today: datetime.date, paths: dict) -> dict:
    from dangjian.tasks.models import AssignmentStatus, ReportBack
    from dangjian.tasks.services.report_backs import models_deadline

    rows = (
        ReportBack.objects.filter(
            path__startswith=root.path,
            assignment__status=AssignmentStatus.ACTIVE,
            assignment__starts_on__range=(period.start, period.end),
        )
        .annotate(in_force=models_deadline())
        .values("organization_id")
        .annotate(
            on_time=Count(
                "id",
                filter=Q(first_reported_at__isnull=False)
                & Q(first_reported_at__date__lte=F("in_force")),
            ),
            due=Count("id", filter=Q(first_reported_at__isnull=False) | Q(in_force__lt=today)),
        )
        .order_by()
    )
    own = {r["organization_id"]: (r["on_time"], r["due"]) for r in rows}
    return _rates(roll_up(root.path, paths, own, 2), ("on_time", "due"))


def pledge_targets_met(root, period: Period, today: datetime.date, paths: dict) -> dict:
    from dangjian.tasks import rules as task_rules
    from dangjian.tasks.models import PledgeTarget, TargetKind

    targets = list(
        PledgeTarget.objects.filter(
            pledge__organization__path__startswith=root.path, pledge__year=period.year
        ).values(
            "id",
            "source_id",
            "kind",
            "target_value",
            "progress_value",
            "met",
            "pledge__organization_id",
        )
    )
    parts = defaultdict(list)
    for t in targets:
        if t["source_id"]:
            parts[t["source_id"]].append(t)

    # As tasks.services.task_figures counts them: a number target is met by its own progress
    # plus its cascaded parts' (those are in the subtree too, as their own targets).
    def progress_of(t):
        return t["progress_value"] + sum(
            (progress_of(p) for p in parts.get(t["id"], ())), decimal.Decimal(0)
        )

    own = defaultdict(lambda: [0, 0])
    for t in targets:
        if t["kind"] == TargetKind.NUMBER:
            met = task_rules.target_met("number", t["target_value"], progress_of(t), False)
        else:
            met = t["met"]
        acc = own[t["pledge__organization_id"]]
        acc[0] += int(bool(met))
        acc[1] += 1
    return _rates(roll_up(root.path, paths, own, 2), ("met", "targets"))


def elections_on_time(root, period: Period, today: datetime.date, paths: dict) -> dict:
    from dangjian.health import services as health

    as_of = min(today, period.end)
    own = {}
    for row in health.election_board(root, as_of):
        if row["status"] == "unknown":
            continue
        own[row["organization"].pk] = (int(row["status"] != "overdue"), 1)
    return _rates(roll_up(root.path, paths, own, 2), ("on_time", "electing"))


def public_pledges_kept(root, period: Period, today: datetime.date, paths: dict) -> dict:
    """Pledges to the public (双承诺) of organizations and members due in the period: kept ÷
    due (those kept, and those closed as not kept or still open past their date)."""
    from dangjian.service.models import Pledge, PledgeStatus

    rows = (
        Pledge.objects.filter(
            organization__path__startswith=root.path,
            due_on__range=(period.start, min(period.end, today)),
        )
        .values("organization_id")
        .annotate(
            kept=Count("id", filter=Q(status=PledgeStatus.DONE)),
            due=Count("id", filter=~Q(status=PledgeStatus.OPEN) | Q(due_on__lt=today)),
        )
        .order_by()
    )
    own = {r["organization_id"]: (r["kept"], r["due"]) for r in rows}
    return _rates(roll_up(root.path, paths, own, 2), ("kept", "due"))


def training_coverage(root, period: Period, today: datetime.date, paths: dict) -> dict:
    """Members trained at least once in the period (a session attended or an online course
    passed) ÷ active members, each counted at their organization, summed over the subtree."""
    from dangjian.members.models import Member
    from dangjian.training.models import Attendance, CourseCompletion

    span = (period.start, min(period.end, today))
    members = (
        Member.objects.active()
        .filter(organization__path__startswith=root.path)
        .values("organization_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    trained = defaultdict(set)
    for member_id, org_id in (
        Attendance.objects.filter(
            member__organization__path__startswith=root.path,
            member__removed_on__isnull=True,
            session__starts_on__range=span,
        )
        .values_list("member_id", "member__organization_id")
        .distinct()
    ):
        trained[org_id].add(member_id)
    for member_id, org_id in (
        CourseCompletion.objects.filter(
            member__organization__path__startswith=root.path,
            member__removed_on__isnull=True,
            passed_on__range=span,
        )
        .values_list("member_id", "member__organization_id")
        .distinct()
    ):
        trained[org_id].add(member_id)
    own = {
        r["organization_id"]: (len(trained.get(r["organization_id"], ())), r["n"]) for r in members
    }
    return _rates(roll_up(root.path, paths, own, 2), ("trained", "members"))


register(
    Source(
        "life.meeting_compliance",
        _("三会一课等组织生活按期召开率（组织生活）"),
        _("按期召开率 = 已按规定召开的次数 ÷ 应召开的次数（本组织及下级组织合计）"),
        (("held", _("已召开")), ("due", _("应召开"))),
        meeting_compliance,
    )
)
register(
    Source(
        "tasks.report_backs_on_time",
        _("晒账单按时报送率（清单式工作）"),
        _("按时报送率 = 截止日前报送的晒账单 ÷ 应报送的晒账单（已报送的和已过截止日未报的）"),
        (("on_time", _("按时报送")), ("due", _("应报送"))),
        report_backs_on_time,
    )
)
register(
    Source(
        "tasks.pledge_targets_met",
        _("目标责任书目标完成率（清单式工作）"),
        _("完成率 = 已完成的目标数 ÷ 本年度目标责任书的目标数"),
        (("met", _("已完成")), ("targets", _("目标数"))),
        pledge_targets_met,
    )
)
register(
    Source(
        "service.public_pledges_kept",
        _("公开承诺兑现率（双承诺）"),
        _("兑现率 = 已兑现的承诺数 ÷ 到期的承诺数（本期到期的组织承诺和党员承诺）"),
        (("kept", _("已兑现")), ("due", _("到期"))),
        public_pledges_kept,
    )
)
register(
    Source(
        "health.elections_on_time",
        _("按期换届率（组织建设）"),
        _("按期换届率 = 任期未逾期的组织数 ÷ 实行任期制的组织数（期末时）"),
        (("on_time", _("未逾期")), ("electing", _("实行任期制"))),
        elections_on_time,
    )
)
register(
    Source(
        "training.coverage",
        _("党员教育培训覆盖率（教育培训）"),
        _("覆盖率 = 本期至少参加过一次培训（或通过一门网络课程）的党员数 ÷ 党员数"),
        (("trained", _("已参训")), ("members", _("党员数"))),
        training_coverage,
    )
)
