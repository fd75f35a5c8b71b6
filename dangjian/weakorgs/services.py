"""Writes of weak organizations: detection from the records (a background job over the
county), flags by hand with a reason, the county's confirmation (which opens the
rectification ledger) or dismissal, and the fixing of the year's list.

Detection is idempotent: a pending flag's findings from the records are brought up to date
(new ones added, those the records no longer show removed); a confirmed or dismissed flag is
never touched, so a dismissed organization stays dismissed and a confirmed one keeps the
evidence it was confirmed on; a fixed year gets nothing new at all.
"""

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dangjian.core import audit, config, jobs
from dangjian.core.periods import Period
from dangjian.core.services import Errors, invalid, join_labels, require
from dangjian.development.models import DevelopmentStep
from dangjian.health import services as health
from dangjian.life import rules as life_rules
from dangjian.life import services as life
from dangjian.life.models import MissedMark, MissedMeetings
from dangjian.members.models import Member
from dangjian.orgs.models import Level, Officer, OfficerRole, Organization
from dangjian.supervision.models import GuarantorLevel
from dangjian.tasks.models import AssignmentStatus, ReportBack
from dangjian.tasks.services import models_deadline
from dangjian.village import selectors as village
from dangjian.village.models import Venue

from . import ledger, rules
from .models import HAND_CRITERIA, Criterion, Finding, Flag, FlagStatus, Source, YearList

FIRST_YEAR = 2000
VILLAGE_LEVELS = (Level.VILLAGE, Level.COMMUNITY)
CANDIDATE_STEP = 7  # listed as a candidate for development (Development Rules 2014)


def candidates(root: Organization):
    """The organizations under `root` that can be weak (rules.KINDS, not leading levels)."""
    return (
        root.subtree()
        .active()
        .filter(kind__in=rules.KINDS)
        .exclude(level__in=rules.LEADING_LEVELS)
        .exclude(depth=1)
    )


def fixed_list(org: Organization, year: int) -> YearList | None:
    """The fixed list of `year` covering `org` (set at it or above it), if any."""
    return (
        YearList.objects.filter(year=year, organization__path__in=org.ancestor_paths())
        .select_related("organization")
        .first()
    )


def _check_year(year, today, errors, field="year"):
    try:
        year = int(year)
    except (TypeError, ValueError):
        errors.add(field, _("请填写年度，例如 %(y)s") % {"y": today.year})
        return None
    if not FIRST_YEAR <= year <= today.year:
        errors.add(field, _("年度应在%(a)s至%(b)s之间") % {"a": FIRST_YEAR, "b": today.year})
        return None
    return year


# ---- detection --------------------------------------------------------------------------


def _vacancies(root, orgs, as_of) -> dict:
    months = config.resolver(root, "weakorgs.secretary_vacant_months")
    secretaries = Officer.objects.filter(
        organization__path__startswith=root.path, role=OfficerRole.SECRETARY
    )
    held = set(
        secretaries.filter(term_start__lte=as_of)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=as_of))
        .values_list("organization_id", flat=True)
    )
    left = dict(
        secretaries.filter(ended_on__lte=as_of)
        .values("organization")
        .annotate(last=Max("ended_on"))
        .values_list("organization", "last")
    )
    out = {}
    for o in orgs:
        if o.id in held:
            continue
        since = left.get(o.id)
        never = since is None
        if never:
            since = o.founded_on or timezone.localtime(o.created_at).date()
        found = rules.secretary_vacant(since, as_of, months(o.path), never_held=never)
        if found:
            out[o.id] = found
    return out


def _committees(root, ids) -> dict:
    return {
        f["organization"].id: rules.evidence(f["rule"], code=f["code"])
        for f in health.setup_flags(root)
        if f["code"] == "committee_missing" and f["organization"].id in ids and "unit" not in f
    }


def _terms(root, ids, as_of) -> dict:
    out = {}
    for row in health.election_board(root, as_of):
        if row["organization"].id in ids and row["status"] == "overdue":
            found = rules.term_overdue(row["due_on"], as_of)
            if found:
                out[row["organization"].id] = found
    return out


def _meetings(root, ids, year, as_of) -> dict:
    """Required meetings missed in each finished quarter of the year. From life's stored
    counts (MissedMeetings: a month's row counts its monthly meetings, a quarter's its
    quarterly ones) where they were computed; otherwise, for the whole tree, they are
    computed and stored (life.ensure_missed), and for a subtree the quarter's compliance is
    read over that subtree only (the same counts, not stored)."""
    quarters = [q for q in range(1, 5) if Period(year, quarter=q).end < as_of]
    if not quarters:
        return {}
    periods = []
    for q in quarters:
        periods += [Period(year, month=m) for m in range(3 * q - 2, 3 * q + 1)]
        periods.append(Period(year, quarter=q))
    quarter_of = {str(p): (p.quarter or (p.month - 1) // 3 + 1) for p in periods}
    missed = defaultdict(lambda: defaultdict(dict))
    stored = set(
        MissedMark.objects.filter(period__in=list(quarter_of)).values_list("period", flat=True)
    )
    if root.depth == 1 or len(stored) == len(quarter_of):
        life.ensure_missed(periods, as_of)
        rows = MissedMeetings.objects.filter(
            organization__path__startswith=root.path, period__in=list(quarter_of)
        ).values_list("organization_id", "period", "missing")
    else:
        rows = []
        for q in quarters:
            result = life.compliance(root, Period(year, quarter=q), as_of)
            counts = defaultdict(int)
            for org_id, _kind, slot, status in result["rows"]:
                if status == life_rules.MISSING:
                    counts[(org_id, str(slot))] += 1
            rows += [(org_id, period, n) for (org_id, period), n in counts.items()]
    for org_id, period, n in rows:
        if org_id in ids and period in quarter_of:
            missed[org_id][quarter_of[period]][period] = n
    setting = config.resolver(root, "weakorgs.missed_meetings_per_quarter")
    quarters_needed = config.resolver(root, "weakorgs.missed_quarters")
    paths = dict(Organization.objects.filter(pk__in=list(missed)).values_list("id", "path"))
    out = {}
    for org_id, by_quarter in missed.items():
        path = paths[org_id]
        found = rules.meetings_missed(dict(by_quarter), setting(path), quarters_needed(path))
        if found:
            out[org_id] = found
    return out


def _report_backs(root, ids, year, as_of) -> dict:
    """Report-backs whose deadline in force fell in the year and has passed."""
    rows = (
        ReportBack.objects.filter(
            path__startswith=root.path, assignment__status=AssignmentStatus.ACTIVE
        )
        .alias(in_force=models_deadline())
        .filter(in_force__gte=datetime.date(year, 1, 1), in_force__lt=as_of)
        .values("organization_id", "path")
        .annotate(
            due=Count("id"),
            late=Count(
                "id",
                filter=Q(first_reported_at__isnull=True)
                | Q(first_reported_at__date__gt=F("in_force")),
            ),
        )
        .order_by()
    )
    least = config.resolver(root, "weakorgs.report_backs_min")
    share = config.resolver(root, "weakorgs.report_backs_late_share")
    out = {}
    for row in rows:
        if row["organization_id"] not in ids:
            continue
        found = rules.reports_late(
            row["due"], row["late"], least(row["path"]), tuple(share(row["path"]))
        )
        if found:
            out[row["organization_id"]] = found
    return out


def _assessment(root, ids, year) -> dict:
    lowest = ledger.lowest_grades(root)
    out = {}
    for org_id, grade, label, rank in ledger.bottom_grades(root, year):
        if org_id in ids:
            found = rules.bottom_grade(grade, label, rank, lowest)
            if found:
                out[org_id] = found
    return out


def _venues(root, ids) -> dict:
    """Villages and communities without a venue, once the county keeps the venue ledger."""
    if not Venue.objects.filter(organization__path__startswith=root.path).exists():
        return {}
    return {
        org_id: rules.no_venue()
        for org_id in village.villages_without_venue([root.path]).values_list("id", flat=True)
        if org_id in ids
    }


def _development(root, orgs, as_of) -> dict:
    """Villages and communities that admitted nobody and listed no candidate in the window:
    the latest joining date of the members on their roll (removed ones too: they were
    admitted there) and the latest step 7 of their development records."""
    years = config.resolver(root, "weakorgs.no_candidate_years")
    units = [o for o in orgs if o.level in VILLAGE_LEVELS]
    if not units:
        return {}
    ids = [o.id for o in units]
    admitted = dict(
        Member.objects.filter(organization_id__in=ids)
        .values("organization_id")
        .annotate(last=Max("joined_on"))
        .values_list("organization_id", "last")
    )
    listed = dict(
        DevelopmentStep.objects.filter(number=CANDIDATE_STEP, candidacy__organization_id__in=ids)
        .values("candidacy__organization_id")
        .annotate(last=Max("done_on"))
        .values_list("candidacy__organization_id", "last")
    )
    out = {}
    for o in units:
        since = o.founded_on or timezone.localtime(o.created_at).date()
        found = rules.no_candidate(
            admitted.get(o.id), listed.get(o.id), since, as_of, years(o.path)
        )
        if found:
            out[o.id] = found
    return out


def findings_of(root: Organization, year: int, as_of: datetime.date, progress=None) -> dict:
    """{organization id: {criterion: evidence}} of what the records show under `root`."""
    progress = progress or (lambda *a, **k: None)
    orgs = list(candidates(root).only("id", "path", "level", "founded_on", "created_at"))
    ids = {o.id for o in orgs}
    steps = [
        (_("书记空缺"), rules.SECRETARY_VACANT, lambda: _vacancies(root, orgs, as_of)),
        (_("支委会设置"), rules.COMMITTEE_MISSING, lambda: _committees(root, ids)),
        (_("换届"), rules.TERM_OVERDUE, lambda: _terms(root, ids, as_of)),
        (_("组织生活"), rules.MEETINGS_MISSED, lambda: _meetings(root, ids, year, as_of)),
        (_("晒账单"), rules.REPORTS_LATE, lambda: _report_backs(root, ids, year, as_of)),
        (_("年度考核"), rules.BOTTOM_GRADE, lambda: _assessment(root, ids, year)),
        (_("活动场所"), rules.NO_VENUE, lambda: _venues(root, ids)),
        (_("发展党员"), rules.NO_CANDIDATE, lambda: _development(root, orgs, as_of)),
    ]
    out = defaultdict(dict)
    for i, (label, criterion, step) in enumerate(steps):
        progress(i, len(steps) + 1, _("正在排查：%(what)s") % {"what": label})
        for org_id, found in step().items():
            out[org_id][criterion] = found
    return dict(out)


@transaction.atomic
def detect(root: Organization, year: int, *, today=None, actor=None, progress=None) -> dict:
    """Flag from the records what they show under `root` in `year` (see the module's
    docstring for what is and is not changed). Returns the counts."""
    today = today or timezone.localdate()
    progress = progress or (lambda *a, **k: None)
    if fixed_list(root, year):
        return {"fixed": True, "created": 0, "updated": 0, "removed": 0}
    as_of = rules.as_of(year, today)
    with translation.override("zh-hans"):  # evidence is kept as written, like a notice
        found = findings_of(root, year, as_of, progress)
    progress(8, 9, _("正在写入排查结果"))
    flags = {
        f.organization_id: f
        for f in Flag.objects.filter(organization__path__startswith=root.path, year=year)
    }
    pending = [f.pk for f in flags.values() if f.status == FlagStatus.PENDING]
    existing = defaultdict(dict)
    for finding in Finding.objects.filter(flag_id__in=pending):
        existing[finding.flag_id][finding.criterion] = finding
    new_flags = [
        Flag(organization_id=org_id, year=year) for org_id in sorted(found) if org_id not in flags
    ]
    Flag.objects.bulk_create(new_flags, batch_size=1000)
    if new_flags:
        for f in Flag.objects.filter(
            year=year, organization_id__in=[f.organization_id for f in new_flags]
        ):
            flags[f.organization_id] = f
    created, updated, removed, to_create, to_update, to_delete = 0, 0, 0, [], [], []
    for org_id, flag in flags.items():
        if flag.status != FlagStatus.PENDING:
            continue  # decided: the county's decision stands
        shown = found.get(org_id, {})
        have = existing.get(flag.pk, {})
        for criterion, ev in shown.items():
            old = have.get(criterion)
            if old is None:
                to_create.append(
                    Finding(
                        flag_id=flag.pk,
                        criterion=criterion,
                        source=Source.AUTO,
                        evidence=ev["text"],
                        facts=ev["facts"],
                        detected_on=today,
                        created_by=audit.user_of(actor),
                    )
                )
            elif old.source == Source.AUTO and (old.evidence, old.facts) != (
                ev["text"],
                ev["facts"],
            ):
                old.evidence, old.facts, old.detected_on = ev["text"], ev["facts"], today
                to_update.append(old)
        to_delete += [f.pk for c, f in have.items() if f.source == Source.AUTO and c not in shown]
    Finding.objects.bulk_create(to_create, batch_size=1000)
    Finding.objects.bulk_update(to_update, ["evidence", "facts", "detected_on"], batch_size=1000)
    Finding.objects.filter(pk__in=to_delete).delete()
    created, updated, removed = len(to_create), len(to_update), len(to_delete)
    # A pending flag left without any finding is no longer a candidate.
    empty = Flag.objects.filter(pk__in=[f.pk for f in flags.values()], status=FlagStatus.PENDING)
    emptied = empty.annotate(n=Count("findings")).filter(n=0).values_list("pk", flat=True)
    dropped = Flag.objects.filter(pk__in=list(emptied)).delete()[1].get("weakorgs.Flag", 0)
    summary = {
        "fixed": False,
        "flags": Flag.objects.filter(organization__path__startswith=root.path, year=year).count(),
        "new_flags": len(new_flags),
        "created": created,
        "updated": updated,
        "removed": removed,
        "dropped": dropped,
    }
    audit.record(
        actor,
        "detect",
        root,
        organization=root,
        summary=f"{root.name}：{year}年度软弱涣散排查，新增{len(new_flags)}个，"
        f"新增情形{created}条，更新{updated}条，移除{removed}条",
    )
    progress(1, 1, _("排查完成"))
    return summary


def start_detection(actor, root: Organization, year, today=None) -> jobs.Job:
    """Queue the detection over `root` (the county) as a background job."""
    today = today or timezone.localdate()
    require(actor, "weakorgs.decide", root, _("只有县委组织部可以开展软弱涣散排查"))
    errors = Errors()
    year = _check_year(year, today, errors)
    errors.raise_any()
    if fixed_list(root, year):
        raise invalid("year", _("%(y)s年度名单已定档，不再排查") % {"y": year})
    return jobs.start(
        "weakorgs_detect",
        "dangjian.weakorgs.services.detect_job",
        actor,
        organization=root,
        title=_("软弱涣散排查：%(org)s %(y)s年度") % {"org": root.name, "y": year},
        root_id=root.pk,
        year=year,
        user_id=getattr(actor, "pk", None),
    )


def detect_job(progress, *, root_id, year, user_id=None) -> dict:
    root = Organization.objects.get(pk=root_id)
    actor = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    result = detect(root, year, actor=actor, progress=progress)
    return {
        "summary": _("排查完成：共%(n)s个候选组织，本次新增%(new)s个")
        % {"n": result["flags"], "new": result["new_flags"]},
        "url": reverse("weakorgs:candidates", args=[root.code]) + f"?year={year}",
        "link_text": _("查看候选名单"),
        **result,
    }


def daily_detect(progress, day: str) -> dict:
    """The daily job (settings.JOBS_DAILY): this year's detection under every root."""
    today = datetime.date.fromisoformat(day)
    roots = list(Organization.objects.get_root_nodes())
    total = 0
    for i, root in enumerate(roots):
        total += detect(root, today.year, today=today).get("new_flags", 0)
        progress(i + 1, len(roots))
    return {"summary": f"{today.year}: +{total}"}


# ---- by hand ----------------------------------------------------------------------------


@transaction.atomic
def flag_by_hand(actor, org: Organization, *, year, criterion, reason, today=None) -> Finding:
    """The level above records a criterion the records cannot show (a divided team, vote
    buying …), with its reason; the organization becomes a candidate of the year."""
    require(actor, "weakorgs.flag", org, _("只有上级党组织可以提出软弱涣散情形"))
    today = today or timezone.localdate()
    errors = Errors()
    year = _check_year(year, today, errors)
    if criterion not in dict(HAND_CRITERIA):
        errors.add("criterion", _("请选择需要人工认定的情形"))
    reason = (reason or "").strip()
    if not reason:
        errors.add("reason", _("请写明理由：看到了什么、何时、由谁反映"))
    elif len(reason) > 2000:
        errors.add("reason", _("理由不能超过2000字"))
    if org.is_dissolved:
        errors.add("organization", _("该组织已撤销"))
    elif org.kind not in rules.KINDS or org.level in rules.LEADING_LEVELS or org.depth == 1:
        errors.add(
            "organization", _("“%(name)s”不是基层党组织，不列入软弱涣散排查") % {"name": org.name}
        )
    if year is not None and fixed_list(org, year):
        errors.add("year", _("%(y)s年度名单已定档，不能再提出") % {"y": year})
    errors.raise_any()
    flag, _new = Flag.objects.select_for_update().get_or_create(organization=org, year=year)
    if flag.status != FlagStatus.PENDING:
        raise invalid(
            "criterion",
            _("该组织%(y)s年度已%(status)s，不能再提出")
            % {"y": year, "status": flag.get_status_display()},
        )
    if flag.findings.filter(criterion=criterion).exists():
        raise invalid("criterion", _("该组织本年度已有这一情形"))
    finding = Finding.objects.create(
        flag=flag,
        criterion=criterion,
        source=Source.HAND,
        evidence=reason,
        detected_on=today,
        created_by=audit.user_of(actor),
    )
    audit.record(
        actor,
        "flag",
        flag,
        organization=org,
        summary=f"{org.name}：{year}年度软弱涣散情形（{Criterion(criterion).label}）：{reason}"[
            :300
        ],
    )
    return finding


# ---- the county's decision --------------------------------------------------------------


def _open_flag(actor, flag, message):
    require(actor, "weakorgs.decide", flag.organization, message)
    flag = Flag.objects.select_for_update().select_related("organization").get(pk=flag.pk)
    if flag.status != FlagStatus.PENDING:
        raise invalid(
            "status", _("该组织已%(status)s，不能再次认定") % {"status": flag.get_status_display()}
        )
    if fixed_list(flag.organization, flag.year):
        raise invalid("status", _("%(y)s年度名单已定档") % {"y": flag.year})
    return flag


def _guarantors(rows, errors) -> list[dict]:
    out = []
    for i, row in enumerate(rows or [], 1):
        row = {k: (row.get(k) or "").strip() for k in ("level", "name", "post")}
        if not any(row.values()):
            continue
        if not (row["level"] and row["name"] and row["post"]):
            errors.add("guarantors", _("第%(i)s位包保责任人：请填写层级、姓名和职务") % {"i": i})
            continue
        if row["level"] not in GuarantorLevel.values:
            errors.add(
                "guarantors",
                _("第%(i)s位包保责任人：层级应为%(levels)s")
                % {"i": i, "levels": join_labels(GuarantorLevel.labels)},
            )
            continue
        out.append(row)
    return out


@transaction.atomic
def confirm(
    actor,
    flag: Flag,
    *,
    note="",
    measure_kind="",
    measures="",
    guarantors=(),
    deadline=None,
    today=None,
) -> Flag:
    """The county confirms the organization as weak in the flag's year; its rectification
    item is opened in the ledger (deadline by default weakorgs.rectification_months)."""
    flag = _open_flag(actor, flag, _("只有县委组织部可以认定软弱涣散党组织"))
    today = today or timezone.localdate()
    errors = Errors()
    people = _guarantors(guarantors, errors)
    deadline = deadline or ledger.rectification_deadline(flag.organization, today)
    if deadline <= today:
        errors.add("deadline", _("整改期限应晚于今天"))
    errors.raise_any()
    findings = list(flag.findings.all())
    flag.status, flag.decided_by, flag.decided_on = (
        FlagStatus.CONFIRMED,
        audit.user_of(actor),
        today,
    )
    flag.decision_note = (note or "").strip()[:2000]
    flag.rectification_ref = ledger.open_rectification(
        actor,
        flag,
        findings,
        deadline=deadline,
        measure_kind=measure_kind,
        measures=(measures or "").strip(),
        guarantors=people,
        today=today,
    )
    flag.save()
    audit.record(
        actor,
        "confirm",
        flag,
        organization=flag.organization,
        summary=f"{flag.organization.name}：认定为{flag.year}年度软弱涣散党组织",
        changes={"status": [FlagStatus.PENDING, FlagStatus.CONFIRMED]},
    )
    return flag


@transaction.atomic
def dismiss(actor, flag: Flag, *, reason, today=None) -> Flag:
    """The county decides the organization is not weak this year, and says why; detection
    will not bring it back this year."""
    flag = _open_flag(actor, flag, _("只有县委组织部可以排除软弱涣散候选组织"))
    reason = (reason or "").strip()
    if not reason:
        raise invalid("reason", _("请写明排除的理由"))
    flag.status, flag.decided_by = FlagStatus.DISMISSED, audit.user_of(actor)
    flag.decided_on = today or timezone.localdate()
    flag.decision_note = reason[:2000]
    flag.save()
    audit.record(
        actor,
        "dismiss",
        flag,
        organization=flag.organization,
        summary=f"{flag.organization.name}：排除{flag.year}年度软弱涣散候选：{reason}"[:300],
        changes={"status": [FlagStatus.PENDING, FlagStatus.DISMISSED]},
    )
    return flag


@transaction.atomic
def fix_list(actor, root: Organization, *, year, today=None) -> YearList:
    """The county fixes (定档) the year's list: every candidate decided first; afterwards
    nothing of that year changes under `root`."""
    require(actor, "weakorgs.decide", root, _("只有县委组织部可以确定年度名单"))
    today = today or timezone.localdate()
    errors = Errors()
    year = _check_year(year, today, errors)
    errors.raise_any()
    if fixed_list(root, year):
        raise invalid("year", _("%(y)s年度名单已定档") % {"y": year})
    pending = Flag.objects.filter(
        organization__path__startswith=root.path, year=year, status=FlagStatus.PENDING
    ).count()
    if pending:
        raise invalid("year", _("还有%(n)s个候选组织未认定或排除，请先逐一处理") % {"n": pending})
    fixed = YearList.objects.create(
        organization=root, year=year, fixed_on=today, created_by=audit.user_of(actor)
    )
    confirmed = Flag.objects.filter(
        organization__path__startswith=root.path, year=year, status=FlagStatus.CONFIRMED
    ).count()
    audit.record(
        actor,
        "fix_list",
        fixed,
        organization=root,
        summary=f"{root.name}：{year}年度软弱涣散党组织名单定档，共{confirmed}个",
    )
    return fixed
