"""Organization health: setup-rule flags, terms and elections (换届), coverage of units.

Reads are computed over the subtree in a few queries; writes go through the functions
here, in a transaction, audited.
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, config
from dangjian.core.services import invalid, require, validate_choice
from dangjian.members.models import Member, Status
from dangjian.orgs.models import Officer, OfficerRole, Organization, Sector
from dangjian.rollups import services as rollups

from . import rules
from .models import Coverage, Election, SetupException, TermChange, Unit


def _cfg(org, keys):
    resolvers = {k: config.resolver(org, k) for k in keys}
    return lambda path: lambda key: resolvers[key](path)


SETUP_KEYS = [k for k in config.DEFAULTS if k.startswith("setup.")]
TERM_KEYS = [k for k in config.DEFAULTS if k.startswith("terms.")]
ELECTION_KEYS = ["setup.branch_committee_min_full_members", "elections.seats"]


def setup_flags(org: Organization) -> list[dict]:
    """Every organization in the subtree whose size does not fit its kind, every unit with
    enough full members but no branch of its own, every joint branch covering too many
    units. A flag the level above approved as an exception carries it in "approved"."""
    cfg = _cfg(org, SETUP_KEYS)
    orgs = list(org.subtree().active().exclude(kind__in=["group", "temporary"]))
    figures = rollups.figures_of_many(orgs, ["members", "members.status.full"])
    seats = dict(
        Officer.objects.current()
        .filter(organization__in=orgs)
        .values("organization")
        .annotate(n=Count("id"))
        .values_list("organization", "n")
    )
    units = Unit.objects.filter(area__path__startswith=org.path, closed_on__isnull=True)
    covered = dict(
        units.filter(coverage=Coverage.JOINT)
        .values("covering_organization")
        .annotate(n=Count("id"))
        .values_list("covering_organization", "n")
    )
    approved = {
        (e.organization_id, e.code): e
        for e in SetupException.objects.filter(
            organization__path__startswith=org.path
        ).select_related("approved_by")
    }
    out = []
    for o in orgs:
        f = figures[o.id]
        flags = rules.setup_flags(
            o.kind,
            o.level,
            f.get("members", 0),
            f.get("members.status.full", 0),
            seats.get(o.id, 0),
            cfg(o.path),
        )
        if o.kind == "joint_branch":
            flags += rules.joint_branch_flags(covered.get(o.id, 0), cfg(o.path))
        for flag in flags:
            out.append(
                {
                    "organization": o,
                    **flag,
                    "approvable": flag["code"] in rules.APPROVABLE,
                    "approved": approved.get((o.id, flag["code"])),
                }
            )
    areas = {o.id: o for o in orgs}
    for unit in units.exclude(coverage=Coverage.OWN).order_by("area", "name"):
        area = areas.get(unit.area_id)
        if area is None:
            continue
        for flag in rules.unit_flags(unit.full_members, unit.coverage, cfg(area.path)):
            out.append(
                {"organization": area, "unit": unit, **flag, "approvable": False, "approved": None}
            )
    return out


@transaction.atomic
def approve_setup_exception(
    org: Organization, code: str, *, approved_on, reason: str, actor=None, today=None
) -> SetupException:
    """The level above approves a setup flag of `org` as an exception (a branch over 50
    members, a committee under 100 …); from then on it is shown as approved, not flagged."""
    require(actor, "orgs.change_organization", org, _("只有上级党组织才能批准例外"))
    today = today or timezone.localdate()
    if code not in rules.APPROVABLE:
        raise invalid("code", _("该项提示是必须执行的规定，不能批准例外"))
    if not any(f["code"] == code and f["organization"].pk == org.pk for f in setup_flags(org)):
        raise invalid("code", _("该组织目前没有这项提示"))
    if approved_on is None or approved_on > today:
        raise invalid("approved_on", _("批准日期不能晚于今天"))
    reason = (reason or "").strip()
    if not reason:
        raise invalid("reason", _("请填写批准的理由"))
    exception, _created = SetupException.objects.update_or_create(
        organization=org,
        code=code,
        defaults={
            "approved_by": org.parent(),
            "approved_on": approved_on,
            "reason": reason,
            "created_by": audit.user_of(actor),
        },
    )
    audit.record(
        actor,
        "approve_setup_exception",
        exception,
        organization=org,
        summary=f"{org.name}：批准例外（{code}）：{reason}",
        changes={code: [None, reason]},
    )
    return exception


def _term_changes(org: Organization) -> dict:
    """{(organization id, term start): months} of the approved term changes in the subtree."""
    return {
        (r["organization"], r["term_started_on"]): r["months"]
        for r in TermChange.objects.filter(organization__path__startswith=org.path)
        .values("organization", "term_started_on")
        .annotate(months=Sum("months"))
        .order_by()
    }


def election_board(org: Organization, today: datetime.date | None = None) -> list[dict]:
    """Term status of every organization in the subtree that elects a committee: not the
    root (elected by the congress above the tree), nor groups, temporary branches and
    working committees (appointed, no term). Approved term changes move the due date."""
    today = today or timezone.localdate()
    cfg = _cfg(org, TERM_KEYS)
    changes = _term_changes(org)
    rows = []
    for o in org.subtree().active().exclude(kind__in=rules.NOT_ELECTED).exclude(depth=1):
        c = cfg(o.path)
        years = rules.term_years(o.kind, o.level, o.term_years, c)
        months = changes.get((o.id, o.term_started_on), 0)
        status, due = rules.election_status(
            o.term_started_on, years, today, c("terms.reminder_months"), months
        )
        rows.append(
            {
                "organization": o,
                "term_started_on": o.term_started_on,
                "years": years,
                "changed_months": months,
                "due_on": due,
                "status": status,
            }
        )
    return rows


def term_reminders(today: datetime.date):
    """Reminders 6 months and 1 month (terms.reminders_before_months) before a term ends,
    for every organization on an election board: (organization id, key, text, due date)."""
    for root in Organization.objects.filter(depth=1):
        cfg = _cfg(root, TERM_KEYS)
        for row in election_board(root, today):
            due = row["due_on"]
            if due is None or due < today:
                continue
            o = row["organization"]
            for months in sorted(cfg(o.path)("terms.reminders_before_months")):
                if rules.add_months(due, -months) <= today:
                    yield (
                        o.id,
                        f"health:{o.id}:term:{due}:{months}",
                        f"本届任期将于{due:%Y年%m月%d日}届满（不足{months}个月），"
                        "请按程序向上级党组织请示换届",
                        due,
                    )
                    break


@transaction.atomic
def change_term(
    org: Organization, *, months: int, approved_on, reason: str, actor=None, today=None
) -> TermChange:
    """Extend (+) or shorten (−) the current term, approved by the level above; at most a
    year in all (terms.max_change_months)."""
    require(actor, "orgs.change_organization", org, _("只有上级党组织才能批准延期或提前换届"))
    today = today or timezone.localdate()
    if org.kind in rules.NOT_ELECTED or org.depth == 1:
        raise invalid("months", _("该组织不实行任期制换届"))
    if org.term_started_on is None:
        raise invalid("months", _("请先登记本届任期开始日期"))
    limit = config.get(org, "terms.max_change_months")
    before = _term_changes(org).get((org.id, org.term_started_on), 0)
    if not months or abs(before + months) > limit:
        raise invalid(
            "months",
            _("延期或提前换届累计不超过%(n)s个月（已调整%(before)s个月）")
            % {"n": limit, "before": before},
        )
    if approved_on is None or approved_on > today:
        raise invalid("approved_on", _("批准日期不能晚于今天"))
    reason = (reason or "").strip()
    if not reason:
        raise invalid("reason", _("请填写延期或提前换届的理由"))
    change = TermChange.objects.create(
        organization=org,
        term_started_on=org.term_started_on,
        months=months,
        approved_by=org.parent(),
        approved_on=approved_on,
        reason=reason,
        created_by=audit.user_of(actor),
    )
    audit.record(
        actor,
        "change_term",
        change,
        organization=org,
        summary=f"{org.name}任期{'延长' if months > 0 else '提前'}{abs(months)}个月：{reason}",
        changes={"months": [before, before + months]},
    )
    return change


def election_counts(org, today=None) -> dict:
    counts = defaultdict(int)
    for row in election_board(org, today):
        counts[row["status"]] += 1
    return {
        "elections_due": counts["due"],
        "elections_overdue": counts["overdue"],
        "elections_unknown": counts["unknown"],
    }


@transaction.atomic
def record_election(
    org: Organization,
    *,
    held_on,
    seats,
    voters,
    present,
    votes: dict,
    secretary,
    deputy=None,
    note="",
    actor=None,
    today=None,
) -> Election:
    """Record a re-election: `votes` maps candidate Member → yes votes. The elected committee
    replaces the current one and the new term starts on `held_on`."""
    require(actor, "orgs.manage_officers", org, _("您无权登记该组织的换届选举"))
    today = today or timezone.localdate()
    if held_on > today:
        raise invalid("held_on", _("选举日期不能晚于今天"))
    eligible = Member.objects.active().filter(organization__path__startswith=org.path)
    full = eligible.filter(status=Status.FULL).count()
    if voters > full:
        raise invalid(
            "voters",
            _("有选举权的党员数不能超过本组织正式党员数（%(full)s人）；预备党员没有表决权")
            % {"full": full},
        )
    for candidate in votes:
        if not eligible.filter(pk=candidate.pk, status=Status.FULL).exists():
            raise invalid(
                "votes",
                _("%(name)s不是本组织的正式党员，不能作为候选人") % {"name": candidate.name},
            )
    by_name = {c.name: yes for c, yes in votes.items()}
    errors = rules.seat_errors(org.kind, full, seats, _cfg(org, ELECTION_KEYS)(org.path))
    errors += rules.election_errors(
        seats=seats, candidates=len(votes), voters=voters, present=present, votes=by_name
    )
    if errors:
        field, message = errors[0]
        raise invalid(field, message)
    winners = rules.elected({c: yes for c, yes in votes.items()}, seats, present)
    if secretary not in winners:
        raise invalid("secretary", _("%(name)s未当选委员，不能任书记") % {"name": secretary.name})
    if deputy is not None and (deputy not in winners or deputy == secretary):
        raise invalid(
            "deputy", _("%(name)s未当选委员或已任书记，不能任副书记") % {"name": deputy.name}
        )
    election = Election.objects.create(
        organization=org,
        held_on=held_on,
        seats=seats,
        candidates=len(votes),
        voters=voters,
        present=present,
        votes={str(c.pk): yes for c, yes in votes.items()},
        note=note,
        created_by=audit.user_of(actor),
    )
    years = rules.term_years(org.kind, org.level, org.term_years, _cfg(org, TERM_KEYS)(org.path))
    term_end = rules.add_years(held_on, years)
    org.officers.current().update(ended_on=held_on)
    for member in winners:
        role = (
            OfficerRole.SECRETARY
            if member == secretary
            else OfficerRole.DEPUTY_SECRETARY
            if member == deputy
            else OfficerRole.MEMBER
        )
        Officer.objects.create(
            organization=org, member=member, role=role, term_start=held_on, term_end=term_end
        )
    org.term_started_on = held_on
    org.save(update_fields=["term_started_on", "updated_at"])
    audit.record(
        actor,
        "election",
        election,
        organization=org,
        summary=f"{org.name}换届选举：{'、'.join(m.name for m in winners)}当选",
        changes={"elected": [None, [m.pk for m in winners]]},
    )
    return election


# ---- coverage --------------------------------------------------------------------------

UNIT_FIELDS = ("name", "sector", "employees", "full_members", "coverage", "instructor")


@transaction.atomic
def save_unit(
    area: Organization, *, unit: Unit | None = None, covering_organization=None, actor=None, **data
) -> Unit:
    """Register a unit under an area organization, or update how it is covered."""
    require(actor, "orgs.add_child", area, _("您无权登记该地区的单位"))
    data = {k: v for k, v in data.items() if k in UNIT_FIELDS}
    data["name"] = (data.get("name") or (unit.name if unit else "")).strip()
    if not data["name"]:
        raise invalid("name", _("请填写单位名称"))
    validate_choice("sector", data.get("sector", unit.sector if unit else None), Sector, _("领域"))
    coverage = data.get("coverage", unit.coverage if unit else Coverage.NONE)
    validate_choice("coverage", coverage, Coverage, _("覆盖方式"))
    if coverage in (Coverage.OWN, Coverage.JOINT):
        if covering_organization is None:
            raise invalid("covering_organization", _("单独或联合组建的，请选择覆盖的党组织"))
        if not covering_organization.path.startswith(area.path):
            raise invalid("covering_organization", _("覆盖的党组织应在本地区党组织之下"))
        if coverage == Coverage.JOINT and covering_organization.kind != "joint_branch":
            raise invalid("covering_organization", _("联合组建的，覆盖的党组织应是联合党支部"))
    else:
        covering_organization = None
    if coverage == Coverage.INSTRUCTOR and not (data.get("instructor") or "").strip():
        raise invalid("instructor", _("选派党建指导员的，请填写指导员姓名"))
    for n in ("employees", "full_members"):
        if n in data and (data[n] is None or int(data[n]) < 0):
            raise invalid(n, _("人数不能为负数"))
    before = audit.snapshot(unit, UNIT_FIELDS) if unit else {}
    unit = unit or Unit(area=area)
    for k, v in data.items():
        setattr(unit, k, v)
    unit.coverage, unit.covering_organization = coverage, covering_organization
    unit.save()
    audit.record(
        actor,
        "save_unit",
        unit,
        organization=area,
        summary=f"单位：{unit.name}",
        changes=audit.diff(before, audit.snapshot(unit, UNIT_FIELDS)),
    )
    return unit


def coverage(org: Organization) -> dict:
    """Coverage per sector over the subtree: {sector: {units, own, joint, instructor, none,
    covered, rate, work_covered, work_rate}}; counts sum over the tree."""
    counts = defaultdict(lambda: {c: 0 for c in Coverage.values})
    for row in (
        Unit.objects.filter(area__path__startswith=org.path, closed_on__isnull=True)
        .values("sector", "coverage")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[row["sector"]][row["coverage"]] += row["n"]
    return {sector: rules.coverage_rates(c) for sector, c in sorted(counts.items())}


def instructors(org: Organization) -> int:
    return (
        Unit.objects.filter(
            Q(area__path__startswith=org.path), closed_on__isnull=True, coverage=Coverage.INSTRUCTOR
        )
        .exclude(instructor="")
        .values("instructor")
        .distinct()
        .count()
    )
