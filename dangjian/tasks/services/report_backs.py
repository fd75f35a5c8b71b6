"""Report-backs (晒账单): their typed fields and prefilled values, reporting, accepting,
returning, the progress roll-up over the subtree, and deadline reminders."""

import datetime
import decimal
import functools

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.models import Reminder
from dangjian.core.periods import Period
from dangjian.core.services import invalid, require
from dangjian.orgs.models import Organization
from dangjian.rollups import registry

from .. import rules
from ..models import (
    Assignment,
    AssignmentField,
    AssignmentStatus,
    FieldType,
    ReportBack,
    ReportBackFile,
    ReportStatus,
    Reviewer,
)
from .common import _text, _user


def assignment_period(assignment) -> Period:
    return Period.month_of(assignment.starts_on)


def fields_of(assignment: Assignment) -> tuple[AssignmentField, ...]:
    """The assignment's typed fields, read once per process: fields never change after
    issue (revise() leaves them alone) and every report needs them. Callers must not
    modify the returned objects."""
    return _fields(assignment.pk, assignment.created_at)


# Keyed by creation time too, so an id reused after a rolled-back transaction (SQLite
# hands out the same id again) never meets the fields of the assignment that was undone.
@functools.lru_cache(maxsize=512)
def _fields(assignment_id: int, created_at) -> tuple[AssignmentField, ...]:
    return tuple(AssignmentField.objects.filter(assignment_id=assignment_id))


def bound_figure(compute, org, below) -> int:
    """What a receiver's field bound to data reports: the figure over its subtree less the
    figures of `below`, the receivers of the same assignment nearest below it
    (rules.nearest_below), which report those records themselves. So every record is
    counted once in the sums at every level, whichever receivers were chosen. `compute`
    (organization -> figure) counts over a subtree, as every registered binding does."""
    return compute(org) - sum(compute(o) for o in below)


def receivers_below(report_back: ReportBack) -> list[Organization]:
    """The receivers of the report-back's assignment nearest below its organization."""
    org = report_back.organization
    if not org.numchild:  # a branch: nothing below it (and no query)
        return []
    path = org.path
    paths = (
        ReportBack.objects.filter(assignment_id=report_back.assignment_id, path__startswith=path)
        .exclude(path=path)
        .values_list("path", flat=True)
    )
    nearest = rules.nearest_below(path, paths)
    return list(Organization.objects.filter(path__in=nearest)) if nearest else []


def prefill(report_back: ReportBack) -> dict:
    """The values of the fields bound to data, computed from the records: each counts
    only what no receiver below the organization reports (bound_figure)."""
    fields = [f for f in fields_of(report_back.assignment) if f.binding]
    if not fields:
        return {}
    period = assignment_period(report_back.assignment)
    below = receivers_below(report_back)
    return {
        f.key: bound_figure(
            lambda o, code=f.binding: registry.compute_binding(code, o, period),
            report_back.organization,
            below,
        )
        for f in fields
    }


def _field_dict(f):
    return {
        "label": f.label,
        "type": f.type,
        "required": f.required,
        "choices": f.choices,
        "min_value": f.min_value,
        "max_value": f.max_value,
    }


REPORT_COLUMNS = (
    "status",
    "values",
    "text",
    "reported_at",
    "reported_by",
    "first_reported_at",
    "returned_reason",
    "revisions",
    "deadline",
    "assignment__title",
    "assignment__status",
    "assignment__starts_on",
    "assignment__deadline",
    "assignment__text_required",
    "assignment__attachments_required",
    "assignment__created_at",
    "organization__name",
    "organization__path",
    "organization__numchild",
    "organization__dissolved_on",
)


@transaction.atomic
def report(
    report_back: ReportBack, *, values: dict, text="", files=(), actor=None, now=None
) -> ReportBack:
    """Fill in (or revise) a report-back. Bound fields are taken from the records."""
    # Lock the report-back row only (of=self): locking the joined assignment row too would
    # make every receiver's report wait for the others'. Only the columns used here are
    # read (the receivers spec holds 50,000 codes when hand-picked); the fields are read once.
    rb = (
        ReportBack.objects.select_for_update(of=("self",))
        .select_related("assignment", "organization", "relay")
        .only(*REPORT_COLUMNS, "relay__id")
        .get(pk=report_back.pk)
    )
    require(actor, "tasks.report", rb.organization, _("您无权报送该组织的晒账单"))
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    a = rb.assignment
    deadline = rb.effective_deadline
    if error := rules.report_error(
        rb.status,
        withdrawn=a.status == AssignmentStatus.WITHDRAWN,
        starts_on=a.starts_on,
        deadline=deadline,
        today=today,
    ):
        raise invalid("status", error)
    cleaned, errors = {}, {}
    bound = prefill(rb)
    relayed = relayed_sums(rb, relay_of(rb))
    own_values = {}
    for f in fields_of(a):
        if f.binding:
            cleaned[f.key] = (
                bound[f.key]
                if isinstance(bound[f.key], int)
                else str(decimal.Decimal(bound[f.key]))
            )
            continue
        raw = (values or {}).get(f.key)
        if f.key in relayed:
            # What the user fills is the organization's own part; the value is that plus
            # the relayed receivers' sum, and the field's range applies to the total.
            own, error = rules.clean_value(
                {**_field_dict(f), "required": False, "min_value": 0, "max_value": None}, raw
            )
            if error:
                errors.setdefault(f.key, []).append(_("本级自身部分：%(error)s") % {"error": error})
                continue
            own_values[f.key] = own or 0
            raw = str(decimal.Decimal(str(own or 0)) + decimal.Decimal(str(relayed[f.key])))
        value, error = rules.clean_value(_field_dict(f), raw)
        if error:
            errors.setdefault(f.key, []).append(error)
        elif value is not None:
            cleaned[f.key] = value
    text = (text or "").strip()
    if a.text_required and not text:
        errors.setdefault("text", []).append(_("请填写文字说明"))
    files = list(files)
    existing = rb.files.count() if a.attachments_required else 0
    if existing + len(files) < a.attachments_required:
        errors.setdefault("files", []).append(
            _("至少需要上传%(required)s个附件（照片或文件），现有%(existing)s个")
            % {"required": a.attachments_required, "existing": existing + len(files)}
        )
    if errors:
        from django.core.exceptions import ValidationError

        raise ValidationError(errors)
    names = audit.save_files(
        ReportBackFile.from_upload(u, field="files", report_back=rb) for u in files
    )
    was_returned = rb.status == ReportStatus.RETURNED
    before = {"values": rb.values, "text": rb.text, "status": rb.status}
    rb.values, rb.text, rb.status = cleaned, text, ReportStatus.REPORTED
    rb.own_values, rb.relayed_values = own_values, relayed
    rb.reported_at, rb.reported_by = now, _user(actor)
    rb.first_reported_at = rb.first_reported_at or now
    rb.returned_reason = ""
    rb.revisions += 1
    rb.save(
        update_fields=[
            "values",
            "own_values",
            "relayed_values",
            "text",
            "status",
            "reported_at",
            "reported_by",
            "first_reported_at",
            "returned_reason",
            "revisions",
        ]
    )
    if was_returned or rb.deadline is not None or today >= deadline - REMIND_BEFORE:
        # Only then can a reminder to report exist (report_back_reminders, return_,
        # extend_deadline); a report long before the deadline stays four statements.
        resolve_reminders(rb)
    audit.record(
        actor,
        "report",
        rb,
        organization=rb.organization,
        summary=f"{rb.organization.name}报送《{a.title}》",
        changes={
            **audit.diff(before, {"values": cleaned, "text": text, "status": rb.status}),
            **({"files": [None, names]} if names else {}),
        },
    )
    return rb


# Receivers not reported are reminded this long before the deadline.
REMIND_BEFORE = datetime.timedelta(days=3)


def resolve_reminders(rb: ReportBack, *, kinds=("returned", "soon", "late", "urge", "extended")):
    """Reported: the receiver's reminders that ask it to report ("被退回", "将于…截止",
    "已于…截止，尚未报送", 催报, 延期) are done with, on its tasks page and in its reminders.
    (Migration tasks.0008 removed those stored before this was done.)"""
    prefix, oid = f"tasks:{rb.assignment_id}:", rb.organization_id
    q = Q(pk__in=[])
    for kind in kinds:
        if kind in ("soon", "late"):
            q |= Q(key=f"{prefix}{kind}:{oid}")
        else:  # returned:<org>:<n>, urge:<date>:<org>, extended:<org>:<date>
            q |= Q(key__startswith=f"{prefix}{kind}:")
    Reminder.objects.filter(organization_id=oid).filter(q).delete()


EXTENDABLE = (ReportStatus.NOT_STARTED, ReportStatus.RETURNED)


@transaction.atomic
def extend_deadline(user, report_back: ReportBack, new_date, reason: str) -> ReportBack:
    """延期: give one receiver a later deadline than the one in force. Only the managers of
    the organization reviewing it or of the issuer (as for 催报 and accepting); only while it
    is not in; for a relayed assignment no later than the relaying receiver's own deadline.
    The receiver is told by a reminder; its "将于/已于…截止" reminders go (they name the old
    date)."""
    rb = (
        ReportBack.objects.select_for_update(of=("self",))
        .select_related("assignment__issuer", "organization", "assignment__relayed_from")
        .get(pk=report_back.pk)
    )
    a = rb.assignment
    if not (user_may_extend(user, rb)):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("您无权为该组织的晒账单延期"))
    if a.status == AssignmentStatus.WITHDRAWN:
        raise invalid("status", _("该交办单已撤回"))
    if rb.status not in EXTENDABLE:
        raise invalid(
            "status",
            _("晒账单当前状态为“%(status)s”，无需延期") % {"status": ReportStatus(rb.status).label},
        )
    reason = _text(reason, "reason", _("延期原因"), limit=200)
    if isinstance(new_date, str):
        try:
            new_date = datetime.date.fromisoformat(new_date) if new_date.strip() else None
        except ValueError:
            raise invalid("deadline", _("延期后的截止日期应为日期，如 2026-03-31")) from None
    current = rb.effective_deadline
    cap = None
    if a.relayed_from_id:
        relayer = a.relayed_from
        relayer.assignment = Assignment.objects.only("deadline").get(pk=relayer.assignment_id)
        cap = relayer.effective_deadline
    if error := rules.extension_error(current, new_date, cap=cap):
        raise invalid("deadline", error)
    rb.deadline = new_date
    rb.save(update_fields=["deadline"])
    resolve_reminders(rb, kinds=("soon", "late"))
    Reminder.objects.get_or_create(
        key=f"tasks:{a.pk}:extended:{rb.organization_id}:{new_date.isoformat()}",
        defaults={
            "organization_id": rb.organization_id,
            "due_on": new_date,
            "text": (
                f"交办单《{a.title}》本单位的晒账单截止日期延至{new_date.isoformat()}：{reason}"
            )[:300],
        },
    )
    audit.record(
        user,
        "extend",
        rb,
        organization=rb.organization,
        summary=f"{rb.organization.name}的晒账单《{a.title}》延期至{new_date.isoformat()}：{reason}",
        changes={"deadline": [current.isoformat(), new_date.isoformat()]},
    )
    return rb


def user_may_extend(user, report_back: ReportBack) -> bool:
    """The reviewing organization's managers, or the issuer's (who may 催报)."""
    if user is None:
        return True  # the system (commands, demo)
    return can_review(user, report_back) or user.has_perm(
        "tasks.issue", report_back.assignment.issuer
    )


def reviewing_org(report_back: ReportBack) -> Organization:
    """The organization that accepts or returns a report-back: the assignment's issuer, or
    the receiver's parent when the assignment says so (Reviewer.PARENT)."""
    a = report_back.assignment
    if a.reviewer == Reviewer.PARENT:
        parent_path = report_back.organization.path[: -Organization.steplen]
        return Organization.objects.get(path=parent_path)
    return a.issuer


def can_review(user, report_back: ReportBack) -> bool:
    return user.has_perm("tasks.issue", reviewing_org(report_back))


@transaction.atomic
def accept(report_back: ReportBack, *, actor=None) -> ReportBack:
    rb = _locked_for_review(report_back, actor)
    if error := rules.transition_error(
        "accept", rb.status, withdrawn=rb.assignment.status == AssignmentStatus.WITHDRAWN
    ):
        raise invalid("status", error)
    rb.status, rb.accepted_at = ReportStatus.ACCEPTED, timezone.now()
    rb.save(update_fields=["status", "accepted_at"])
    audit.record(
        actor,
        "accept",
        rb,
        organization=rb.organization,
        summary=f"通过{rb.organization.name}的晒账单",
        changes={"status": ["reported", "accepted"]},
    )
    return rb


def _locked_for_review(report_back: ReportBack, actor) -> ReportBack:
    """The report-back, its row locked, once `actor` is found to be its reviewer."""
    rb = (
        ReportBack.objects.select_for_update(of=("self",))
        .select_related("assignment__issuer", "organization")
        .get(pk=report_back.pk)
    )
    require(actor, "tasks.issue", reviewing_org(rb), _("您无权审核该晒账单"))
    return rb


def bound_as_of(report_back: ReportBack):
    """When the figures of the report-back's bound fields were taken from the records: at
    its last refresh by the reviewer (refresh_bound), else when it was reported."""
    from dangjian.core.models import AuditEvent

    refreshed = (
        AuditEvent.objects.filter(
            target_type=audit.target_type(report_back),
            target_id=str(report_back.pk),
            action="refresh_bound",
        )
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if refreshed and (report_back.reported_at is None or refreshed > report_back.reported_at):
        return refreshed
    return report_back.reported_at


@transaction.atomic
def refresh_bound(report_back: ReportBack, *, actor=None) -> ReportBack:
    """Before accepting, the reviewer takes the bound fields' figures from the records again
    (a meeting entered after the report was sent counts then); audited with what changed."""
    rb = _locked_for_review(report_back, actor)
    if rb.status != ReportStatus.REPORTED:
        raise invalid("status", _("只有已报送、待审核的晒账单可以更新取自系统记录的数字"))
    bound = {
        key: value if isinstance(value, int) else str(decimal.Decimal(value))
        for key, value in prefill(rb).items()
    }
    before = {k: rb.values.get(k) for k in bound}
    rb.values = {**rb.values, **bound}
    rb.save(update_fields=["values"])
    audit.record(
        actor,
        "refresh_bound",
        rb,
        organization=rb.organization,
        summary=f"更新{rb.organization.name}晒账单中取自系统记录的数字",
        changes=audit.diff(before, bound),
    )
    return rb


@transaction.atomic
def return_(report_back: ReportBack, *, reason: str, actor=None) -> ReportBack:
    rb = _locked_for_review(report_back, actor)
    if error := rules.transition_error(
        "return", rb.status, withdrawn=rb.assignment.status == AssignmentStatus.WITHDRAWN
    ):
        raise invalid("status", error)
    rb.returned_reason = _text(reason, "reason", _("退回原因"), limit=200)
    rb.status = ReportStatus.RETURNED
    rb.save(update_fields=["status", "returned_reason"])
    Reminder.objects.get_or_create(
        key=f"tasks:{rb.assignment_id}:returned:{rb.organization_id}:{rb.revisions}",
        defaults={
            "organization_id": rb.organization_id,
            "due_on": max(rb.effective_deadline, timezone.localdate()),
            "text": f"《{rb.assignment.title}》的晒账单被退回：{rb.returned_reason}",
        },
    )
    audit.record(
        actor,
        "return",
        rb,
        organization=rb.organization,
        summary=f"退回{rb.organization.name}的晒账单：{reason}",
        changes={"status": ["reported", "returned"]},
    )
    return rb


def models_deadline(prefix=""):
    """The receiver's deadline in force (rules.effective_deadline) as an SQL expression on
    report-backs (`prefix` when reached from another model): its own when later than the
    assignment's. GREATEST ignores NULL on PostgreSQL, SQLite's MAX() returns it: the
    COALESCE makes both the assignment's then."""
    from django.db.models import F
    from django.db.models.functions import Coalesce, Greatest

    return Coalesce(
        Greatest(F(f"{prefix}deadline"), F(f"{prefix}assignment__deadline")),
        F(f"{prefix}assignment__deadline"),
    )


def progress(assignment: Assignment, org: Organization, today=None) -> list[dict]:
    """Progress of `assignment` under `org`, for drill-down: one row for the org's own
    report-back (if it is a receiver) and one per child with receivers below it.

    Each row: organization, receivers, and counts by status, late and on time; one SQL
    query grouped by the child's path prefix (and status and timing, pivoted here).
    """
    from django.db.models import BooleanField, ExpressionWrapper

    today = today or timezone.localdate()
    deadline = assignment.deadline
    # First reported on or before the deadline (a local date) = before the local midnight
    # that ends it: a plain timestamp comparison, not a time-zone conversion per row.
    cutoff = timezone.make_aware(
        datetime.datetime.combine(deadline + datetime.timedelta(days=1), datetime.time.min)
    )
    prefix_len = (org.depth + 1) * Organization.steplen
    # Counted per (child prefix, status, timing) and pivoted here: a plain COUNT(*) over a
    # few hundred groups costs less per row than seven filtered counts. timing is None
    # (never reported), True (on time) or False (late).
    # Receivers whose own deadline is later (延期) are few: counted apart, row by row.
    under = ReportBack.objects.filter(assignment=assignment, path__startswith=org.path)
    groups = (
        under.exclude(deadline__gt=deadline)
        .annotate(
            prefix=Substr("path", 1, prefix_len),
            timing=ExpressionWrapper(Q(first_reported_at__lt=cutoff), output_field=BooleanField()),
        )
        .values_list("prefix", "status", "timing")
        .annotate(n=Count("*"))
        .order_by()  # sorted below; no ORDER BY lets PostgreSQL hash the groups
    )
    late_missing = today > deadline
    rows = {}

    def add(prefix, status, timing, n, missing_late):
        r = rows.setdefault(
            prefix,
            {
                "prefix": prefix,
                "receivers": 0,
                **dict.fromkeys(ReportStatus.values, 0),
                "on_time": 0,
                "late_reported": 0,
                "late_missing": 0,
            },
        )
        r["receivers"] += n
        r[status] += n
        if timing is not None:
            r["on_time" if timing else "late_reported"] += n
        elif status == ReportStatus.NOT_STARTED and missing_late:
            r["late_missing"] += n

    for prefix, status, timing, n in groups:
        add(prefix, status, timing, n, late_missing)
    for path, status, first, own in under.filter(deadline__gt=deadline).values_list(
        "path", "status", "first_reported_at", "deadline"
    ):
        timing = None if first is None else timezone.localtime(first).date() <= own
        add(path[:prefix_len], status, timing, 1, today > own)
    orgs = {o.path: o for o in Organization.objects.filter(path__in=list(rows))}
    out = []
    for prefix, r in rows.items():
        r["organization"] = orgs.get(prefix, org)
        r["late"] = r["late_reported"] + r.pop("late_missing")
        r["on_time_rate"] = rules.on_time_rate(r["on_time"], r["on_time"] + r["late_reported"])
        out.append(r)
    # The org's own report-back has a prefix shorter than a child's: it sorts first.
    out.sort(key=lambda r: (r["organization"].pk != org.pk, r["organization"].path))
    return out


def totals(rows: list[dict]) -> dict:
    keys = (
        "receivers",
        "not_started",
        "reported",
        "returned",
        "accepted",
        "on_time",
        "late_reported",
        "late",
    )
    total = {k: sum(r[k] for r in rows) for k in keys}
    total["on_time_rate"] = rules.on_time_rate(
        total["on_time"], total["on_time"] + total["late_reported"]
    )
    return total


# What the sums count: report-backs reported or accepted (not those returned or not started).
COUNTED = (ReportStatus.REPORTED, ReportStatus.ACCEPTED)


def summed_values(assignment: Assignment, org: Organization) -> dict:
    """Sum of each numeric field over the reported report-backs under `org`."""
    from django.db.models import DecimalField, Func, Sum
    from django.db.models.fields.json import KeyTextTransform

    numeric = [f for f in fields_of(assignment) if f.type in (FieldType.INTEGER, FieldType.DECIMAL)]
    if not numeric:
        return {}

    # Summed in SQL: one row back instead of every report-back's JSON. Values are stored as
    # JSON numbers (integers) or decimal strings; both cast to NUMERIC (unbounded on
    # PostgreSQL; on SQLite a float, rounded to 15 significant digits by Django).
    def number(key):
        return Func(
            KeyTextTransform(key, "values"),
            template="CAST(%(expressions)s AS NUMERIC)",
            output_field=DecimalField(),
        )

    sums = ReportBack.objects.filter(
        assignment=assignment,
        path__startswith=org.path,
        status__in=COUNTED,
    ).aggregate(
        **{f"s{i}": Sum(number(f.key), output_field=DecimalField()) for i, f in enumerate(numeric)}
    )
    out = {}
    for i, f in enumerate(numeric):
        v = decimal.Decimal(str(sums[f"s{i}"] or 0))
        out[f.key] = int(v) if v == v.to_integral_value() else float(v)
    return out


def relay_of(report_back: ReportBack) -> Assignment | None:
    """The assignment the report-back's receiver relayed it as (转办), or None."""
    try:
        return report_back.relay  # read with the report-back when select_related
    except Assignment.DoesNotExist:
        return None


def relayed_sums(report_back: ReportBack, relay: Assignment | None = None) -> dict:
    """For a receiver that relayed its assignment (转办): the sum of each numeric field
    filled by hand (not bound to data) over its relayed receivers' report-backs that are
    reported or accepted (COUNTED), by key. Empty when it did not relay."""
    relay = relay or relay_of(report_back)
    if relay is None:
        return {}
    keys = {
        f.key
        for f in fields_of(report_back.assignment)
        if f.type in (FieldType.INTEGER, FieldType.DECIMAL) and not f.binding
    }
    sums = summed_values(relay, report_back.organization)
    return {
        k: v if isinstance(v, int) else str(decimal.Decimal(str(v)))
        for k, v in sums.items()
        if k in keys
    }


def report_back_reminders(today):
    """Before the deadline (3 days) and on the day after it, for receivers not reported;
    a receiver's own deadline (延期) counts for it."""
    soon = today + REMIND_BEFORE
    yesterday = today - datetime.timedelta(days=1)

    def due(field):
        return Q(**{f"{field}__range": (today, soon)}) | Q(**{field: yesterday})

    qs = (
        ReportBack.objects.alias(in_force=models_deadline())
        .filter(
            assignment__status=AssignmentStatus.ACTIVE,
            status__in=[ReportStatus.NOT_STARTED, ReportStatus.RETURNED],
        )
        .filter(
            # Without an extension on the assignment's deadline (indexed path); the few
            # extended ones on the later of the two.
            (Q(deadline__isnull=True) & due("assignment__deadline"))
            | (Q(deadline__isnull=False) & due("in_force"))
        )
    )
    for oid, aid, title, deadline in qs.values_list(
        "organization_id", "assignment_id", "assignment__title", models_deadline()
    ).iterator(chunk_size=5000):
        if deadline < today:
            yield (
                oid,
                f"tasks:{aid}:late:{oid}",
                f"交办单《{title}》已于{deadline}截止，尚未报送",
                today,
            )
        else:
            yield (
                oid,
                f"tasks:{aid}:soon:{oid}",
                f"交办单《{title}》将于{deadline}截止，请及时报送",
                deadline,
            )
