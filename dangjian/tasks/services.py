"""Pledges, assignments, report-backs, work meetings and secretary projects.

Every state change goes through a function here: one transaction, permission checked,
audited. Progress and summed figures are read over the subtree in SQL.
"""

import datetime
import decimal
import functools

from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.models import Reminder
from dangjian.core.periods import Period
from dangjian.core.services import invalid, join_labels, require, validate_choice
from dangjian.orgs.models import Kind, Level, Organization, Sector
from dangjian.rollups import registry

from . import rules
from .models import (
    Assignment,
    AssignmentField,
    AssignmentRevision,
    AssignmentStatus,
    FieldType,
    PlanItem,
    Pledge,
    PledgeTarget,
    ReportBack,
    ReportStatus,
    SecretaryProject,
    TargetKind,
    WorkMeeting,
)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _text(value, field, label, required=True, limit=None):
    value = (value or "").strip()
    if required and not value:
        raise invalid(field, _("请填写%(label)s") % {"label": label})
    if limit and len(value) > limit:
        raise invalid(field, _("%(label)s不能超过%(limit)s字") % {"label": label, "limit": limit})
    return value


# ---- receivers ----------------------------------------------------------------------------

MISSING_SHOWN = 10  # wrong receiver codes named in the message; the rest are counted


def select_receivers(issuer: Organization, spec: dict):
    """The organizations an assignment goes to: strictly below the issuer, active, not
    groups, narrowed by the spec's levels / sectors / kinds / under (codes) / codes."""
    qs = (
        Organization.objects.active()
        .filter(path__startswith=issuer.path, depth__gt=issuer.depth)
        .exclude(kind=Kind.GROUP)
    )
    mode = spec.get("mode", "subtree")
    if mode not in ("subtree", "filter", "orgs"):
        raise invalid("receivers", _("接收范围方式“%(mode)s”无效") % {"mode": mode})
    if mode == "orgs":
        codes = [str(c).strip().upper() for c in spec.get("codes", []) if str(c).strip()]
        if not codes:
            raise invalid("receivers", _("请选择接收组织"))
        picked = qs.filter(code__in=codes)
        # Counted first: 50,000 hand-picked codes are only fetched when some are wrong.
        if picked.count() != len(set(codes)):
            found = set(picked.values_list("code", flat=True))
            missing = [c for c in dict.fromkeys(codes) if c not in found]
            shown = join_labels(missing[:MISSING_SHOWN])
            if len(missing) > MISSING_SHOWN:  # a pasted list can hold thousands
                shown = _("%(codes)s等%(n)s个") % {"codes": shown, "n": len(missing)}
            raise invalid(
                "receivers", _("组织编码%(codes)s不存在或不在本组织之下") % {"codes": shown}
            )
        return picked
    for key, choices, label in (
        ("levels", Level, _("层级")),
        ("sectors", Sector, _("领域")),
        ("kinds", Kind, _("组织类别")),
    ):
        values = spec.get(key) or []
        for v in values:
            validate_choice("receivers", v, choices, label)
        if values:
            qs = qs.filter(**{f"{key[:-1]}__in": values})
    under = [str(c).strip().upper() for c in spec.get("under", []) if str(c).strip()]
    if under:
        roots = list(qs.model.objects.filter(code__in=under, path__startswith=issuer.path))
        if len(roots) != len(set(under)):
            raise invalid("receivers", _("所选的下级范围中有组织编码不存在或不在本组织之下"))
        q = Q(pk__in=[])
        for r in roots:  # the organizations below each chosen one
            q |= Q(path__startswith=r.path, depth__gt=r.depth)
        qs = qs.filter(q)
    return qs


# ---- assignments --------------------------------------------------------------------------


def _clean_fields(fields):
    out, keys = [], set()
    for i, f in enumerate(fields or []):
        label = _text(
            f.get("label"), "fields", _("第%(n)s个填报项的名称") % {"n": i + 1}, limit=100
        )
        key = (f.get("key") or f"f{i + 1}").strip()
        if key in keys:
            raise invalid("fields", _("填报项编码“%(key)s”重复") % {"key": key})
        keys.add(key)
        validate_choice(
            "fields", f.get("type"), FieldType, _("填报项“%(label)s”的类型") % {"label": label}
        )
        choices = [str(c).strip() for c in f.get("choices") or [] if str(c).strip()]
        if f["type"] == FieldType.CHOICE and len(choices) < 2:
            raise invalid("fields", _("选项类填报项“%(label)s”至少需要两个选项") % {"label": label})
        binding = (f.get("binding") or "").strip()
        if binding and binding not in registry.BINDINGS:
            raise invalid(
                "fields",
                _("填报项“%(label)s”绑定的数据“%(binding)s”不存在")
                % {"label": label, "binding": binding},
            )
        if binding and f["type"] not in (FieldType.INTEGER, FieldType.DECIMAL):
            raise invalid(
                "fields", _("取自系统数据的填报项“%(label)s”应为数字类型") % {"label": label}
            )
        low, high = f.get("min_value"), f.get("max_value")
        if (
            low is not None
            and high is not None
            and decimal.Decimal(str(low)) > decimal.Decimal(str(high))
        ):
            raise invalid("fields", _("填报项“%(label)s”的最小值不能大于最大值") % {"label": label})
        out.append(
            AssignmentField(
                key=key,
                label=label,
                type=f["type"],
                unit=(f.get("unit") or "").strip()[:20],
                required=bool(f.get("required", True)),
                choices=choices,
                min_value=f.get("min_value"),
                max_value=f.get("max_value"),
                binding=binding,
                order=i,
            )
        )
    return out


@transaction.atomic
def issue(
    issuer: Organization,
    *,
    title,
    content,
    starts_on,
    deadline,
    receivers: dict,
    fields=(),
    text_required=False,
    attachments_required=0,
    board_shared=True,
    actor=None,
) -> Assignment:
    """Issue an assignment to the organizations `receivers` selects; one report-back each."""
    require(actor, "tasks.issue", issuer, _("您无权以该组织名义下发交办单"))
    title = _text(title, "title", _("标题"), limit=200)
    content = _text(content, "content", _("工作内容"))
    if not starts_on or not deadline:
        raise invalid("deadline", _("请填写开始日期和截止日期"))
    if deadline < starts_on:
        raise invalid("deadline", _("截止日期不能早于开始日期"))
    if attachments_required < 0 or attachments_required > 20:
        raise invalid("attachments_required", _("至少附件数应在0到20之间"))
    field_rows = _clean_fields(fields)
    selected = select_receivers(issuer, receivers)
    assignment = Assignment.objects.create(
        issuer=issuer,
        title=title,
        content=content,
        starts_on=starts_on,
        deadline=deadline,
        receivers_spec=receivers,
        text_required=text_required,
        attachments_required=attachments_required,
        board_shared=board_shared,
        created_by=_user(actor),
    )
    for f in field_rows:
        f.assignment = assignment
    AssignmentField.objects.bulk_create(field_rows)
    count = _create_report_backs(assignment, selected)
    if not count:
        raise invalid("receivers", _("按所选范围没有找到接收组织"))  # rolls the assignment back
    audit.record(
        actor,
        "issue",
        assignment,
        organization=issuer,
        summary=f"{issuer.name}下发交办单《{title}》，接收组织{count}个",
        changes={"receivers": [None, count]},
    )
    return assignment


ANALYZE_AFTER = 10_000  # report-backs written by one issue


def copy_paths(report_backs) -> int:
    """Copy each receiver's current tree path onto its report-backs (`report_backs`: a
    queryset), after organizations moved or report-backs were bulk-written."""
    from django.db.models import OuterRef, Subquery

    return report_backs.update(
        path=Subquery(
            Organization.objects.filter(pk=OuterRef("organization_id")).values("path")[:1]
        )
    )


def copy_paths_after_move(sender, org, **kwargs):
    copy_paths(ReportBack.objects.filter(organization__path__startswith=org.path))


def _create_report_backs(assignment: Assignment, receivers) -> int:
    """One not-started report-back per receiver, written by the database itself in one
    INSERT … SELECT (Django has no such query): building 50,000 model objects in Python
    took seconds. The other columns get the model's defaults. Returns the count."""
    template = ReportBack(assignment=assignment, organization_id=0)
    columns, values = [], []
    for field in ReportBack._meta.concrete_fields:
        if not field.primary_key and field.attname not in ("organization_id", "path"):
            columns.append(field.column)
            values.append(field.get_db_prep_save(field.pre_save(template, True), connection))
    select, params = receivers.order_by().values("id", "path").query.sql_with_params()
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(ReportBack._meta.db_table)} "
        f"({', '.join(qn(c) for c in columns)}, {qn('organization_id')}, {qn('path')}) "
        f"SELECT {', '.join(['%s'] * len(values))}, receiver.id, receiver.path "
        f"FROM ({select}) receiver"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *params])
        count = cursor.rowcount
        if connection.vendor == "postgresql" and count >= ANALYZE_AFTER:
            # Fresh statistics with the rows, so the progress roll-up is planned for their
            # number at once, not after autovacuum comes by (or never, where it is off).
            cursor.execute(f"ANALYZE {qn(ReportBack._meta.db_table)}")
        return count


REVISABLE = ("title", "content", "deadline", "text_required", "attachments_required")


@transaction.atomic
def revise(assignment: Assignment, *, reason: str, actor=None, **changes) -> Assignment:
    """Change an issued assignment: versioned, recorded, and every receiver is told."""
    require(actor, "tasks.issue", assignment.issuer, _("您无权修改该交办单"))
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status == AssignmentStatus.WITHDRAWN:
        raise invalid("status", _("该交办单已撤回，不能修改"))
    reason = _text(reason, "reason", _("修改原因"), limit=200)
    changes = {k: v for k, v in changes.items() if k in REVISABLE}
    if "title" in changes:
        changes["title"] = _text(changes["title"], "title", _("标题"), limit=200)
    if "content" in changes:
        changes["content"] = _text(changes["content"], "content", _("工作内容"))
    if "deadline" in changes and (
        not changes["deadline"] or changes["deadline"] < assignment.starts_on
    ):
        raise invalid("deadline", _("截止日期不能早于开始日期"))
    if "attachments_required" in changes and not 0 <= changes["attachments_required"] <= 20:
        raise invalid("attachments_required", _("至少附件数应在0到20之间"))
    before = audit.snapshot(assignment, REVISABLE)
    for k, v in changes.items():
        setattr(assignment, k, v)
    diff = audit.diff(before, audit.snapshot(assignment, REVISABLE))
    if not diff:
        raise invalid("reason", _("没有任何修改"))
    assignment.version += 1
    assignment.save()
    AssignmentRevision.objects.create(
        assignment=assignment,
        version=assignment.version,
        changes=diff,
        reason=reason,
        by=_user(actor),
    )
    _notify(
        assignment,
        f"rev{assignment.version}",
        f"交办单《{assignment.title}》已修改：{reason}",
        assignment.deadline,
    )
    audit.record(
        actor,
        "revise",
        assignment,
        organization=assignment.issuer,
        summary=f"修改交办单《{assignment.title}》：{reason}",
        changes=diff,
    )
    return assignment


@transaction.atomic
def withdraw(assignment: Assignment, *, reason: str, actor=None) -> Assignment:
    require(actor, "tasks.issue", assignment.issuer, _("您无权撤回该交办单"))
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status == AssignmentStatus.WITHDRAWN:
        raise invalid("status", _("该交办单已撤回"))
    assignment.withdrawn_reason = _text(reason, "reason", _("撤回原因"), limit=200)
    assignment.status = AssignmentStatus.WITHDRAWN
    assignment.save(update_fields=["status", "withdrawn_reason"])
    _notify(
        assignment,
        "withdrawn",
        f"交办单《{assignment.title}》已撤回：{reason}",
        assignment.deadline,
    )
    audit.record(
        actor,
        "withdraw",
        assignment,
        organization=assignment.issuer,
        summary=f"撤回交办单《{assignment.title}》：{reason}",
    )
    return assignment


def _notify(assignment, tag, text, due_on):
    receivers = assignment.report_backs.values_list("organization_id", flat=True)
    Reminder.objects.bulk_create(
        (
            Reminder(
                organization_id=oid,
                key=f"tasks:{assignment.pk}:{tag}:{oid}",
                text=text[:300],
                due_on=max(due_on, timezone.localdate()),
            )
            for oid in receivers.iterator(chunk_size=5000)
        ),
        batch_size=5000,
        ignore_conflicts=True,
    )


# ---- report-backs -------------------------------------------------------------------------


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


def prefill(report_back: ReportBack) -> dict:
    """The values of the fields bound to data, computed from the records."""
    period = assignment_period(report_back.assignment)
    return {
        f.key: registry.compute_binding(f.binding, report_back.organization, period)
        for f in fields_of(report_back.assignment)
        if f.binding
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
    "assignment__title",
    "assignment__status",
    "assignment__starts_on",
    "assignment__deadline",
    "assignment__text_required",
    "assignment__attachments_required",
    "assignment__created_at",
    "organization__name",
    "organization__path",
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
        .select_related("assignment", "organization")
        .only(*REPORT_COLUMNS)
        .get(pk=report_back.pk)
    )
    require(actor, "tasks.report", rb.organization, _("您无权报送该组织的晒账单"))
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    a = rb.assignment
    if error := rules.transition_error(
        "report", rb.status, withdrawn=a.status == AssignmentStatus.WITHDRAWN
    ):
        raise invalid("status", error)
    if rb.status == ReportStatus.REPORTED and today > a.deadline:
        raise invalid("status", _("已过截止日期，已报送的晒账单不能再修改"))
    if today < a.starts_on:
        raise invalid("status", _("交办单%(date)s开始，届时再报送") % {"date": a.starts_on})
    cleaned, errors = {}, {}
    bound = prefill(rb)
    for f in fields_of(a):
        if f.binding:
            cleaned[f.key] = (
                bound[f.key]
                if isinstance(bound[f.key], int)
                else str(decimal.Decimal(bound[f.key]))
            )
            continue
        value, error = rules.clean_value(_field_dict(f), (values or {}).get(f.key))
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
    for upload in files:
        rb.files.create(file=upload, name=getattr(upload, "name", "附件")[:200])
    before = {"values": rb.values, "text": rb.text, "status": rb.status}
    rb.values, rb.text, rb.status = cleaned, text, ReportStatus.REPORTED
    rb.reported_at, rb.reported_by = now, _user(actor)
    rb.first_reported_at = rb.first_reported_at or now
    rb.returned_reason = ""
    rb.revisions += 1
    rb.save(
        update_fields=[
            "values",
            "text",
            "status",
            "reported_at",
            "reported_by",
            "first_reported_at",
            "returned_reason",
            "revisions",
        ]
    )
    audit.record(
        actor,
        "report",
        rb,
        organization=rb.organization,
        summary=f"{rb.organization.name}报送《{a.title}》",
        changes=audit.diff(before, {"values": cleaned, "text": text, "status": rb.status}),
    )
    return rb


@transaction.atomic
def accept(report_back: ReportBack, *, actor=None) -> ReportBack:
    rb = ReportBack.objects.select_for_update().select_related("assignment").get(pk=report_back.pk)
    require(actor, "tasks.issue", rb.assignment.issuer, _("您无权审核该晒账单"))
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


@transaction.atomic
def return_(report_back: ReportBack, *, reason: str, actor=None) -> ReportBack:
    rb = ReportBack.objects.select_for_update().select_related("assignment").get(pk=report_back.pk)
    require(actor, "tasks.issue", rb.assignment.issuer, _("您无权审核该晒账单"))
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
            "due_on": max(rb.assignment.deadline, timezone.localdate()),
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


def models_deadline():
    from django.db.models import F

    return F("assignment__deadline")


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
    groups = (
        ReportBack.objects.filter(assignment=assignment, path__startswith=org.path)
        .annotate(
            prefix=Substr("path", 1, prefix_len),
            timing=ExpressionWrapper(Q(first_reported_at__lt=cutoff), output_field=BooleanField()),
        )
        .values_list("prefix", "status", "timing")
        .annotate(n=Count("*"))
        .order_by()  # sorted below; no ORDER BY lets PostgreSQL hash the groups
    )
    rows = {}
    for prefix, status, timing, n in groups:
        r = rows.setdefault(
            prefix,
            {
                "prefix": prefix,
                "receivers": 0,
                **dict.fromkeys(ReportStatus.values, 0),
                "on_time": 0,
                "late_reported": 0,
            },
        )
        r["receivers"] += n
        r[status] += n
        if timing is not None:
            r["on_time" if timing else "late_reported"] += n
    late_missing = today > deadline
    orgs = {o.path: o for o in Organization.objects.filter(path__in=list(rows))}
    out = []
    for prefix, r in rows.items():
        r["organization"] = orgs.get(prefix, org)
        r["late"] = r["late_reported"] + (r["not_started"] if late_missing else 0)
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
        status__in=[ReportStatus.REPORTED, ReportStatus.ACCEPTED],
    ).aggregate(
        **{f"s{i}": Sum(number(f.key), output_field=DecimalField()) for i, f in enumerate(numeric)}
    )
    out = {}
    for i, f in enumerate(numeric):
        v = decimal.Decimal(str(sums[f"s{i}"] or 0))
        out[f.key] = int(v) if v == v.to_integral_value() else float(v)
    return out


def visible_report_backs(user, assignment: Assignment):
    """Report-backs of `assignment` a user may see: those in their subtree, and — if the
    board is shared — all of them when the user manages one of the receivers. A branch that
    did not receive the assignment sees none of it."""
    from dangjian.accounts import scoping

    qs = assignment.report_backs.all()
    mine = qs.filter(scoping.org_q(user, "organization__"))
    if scoping.covers(user, assignment.issuer):
        return mine
    if assignment.board_shared and mine.exists():
        return qs
    return mine


PENDING = (ReportStatus.NOT_STARTED, ReportStatus.RETURNED)


def todo(user, today=None):
    """Report-backs the user's own organizations (where they hold a manager role) still
    have to do, soonest deadline first. Those of the organizations below are followed up
    per assignment (pending_below), not listed to a county one by one."""
    from dangjian.accounts import scoping

    return (
        ReportBack.objects.filter(
            organization_id__in=scoping.own_org_ids(user),
            assignment__status=AssignmentStatus.ACTIVE,
            status__in=PENDING,
        )
        .select_related("assignment", "organization")
        .order_by("assignment__deadline", "id")
    )


def pending_below(user, today=None, limit=10) -> list[dict]:
    """Per active assignment, how many report-backs the organizations below the user's own
    still have to do (not started or returned): what a township or county follows up on.
    Open assignments first, soonest deadline first, then the overdue ones, latest first (a
    branch that never reported a year ago should not hide this month's work). Each row:
    id, title, issuer (name), deadline, pending, overdue."""
    from dangjian.accounts import scoping

    today = today or timezone.localdate()
    groups = (
        ReportBack.objects.filter(
            scoping.org_q(user),  # on the report-back's own copy of the receiver's path
            assignment__status=AssignmentStatus.ACTIVE,
            status__in=PENDING,
        )
        .exclude(organization_id__in=scoping.own_org_ids(user))
        .values_list(
            "assignment_id", "assignment__title", "assignment__issuer__name", "assignment__deadline"
        )
        .annotate(pending=Count("id"))
        .order_by()
    )
    rows = [
        {
            "id": aid,
            "title": title,
            "issuer": issuer,
            "deadline": deadline,
            "pending": n,
            "overdue": deadline < today,
        }
        for aid, title, issuer, deadline, n in groups
    ]
    rows.sort(
        key=lambda r: (
            r["overdue"],
            (-1 if r["overdue"] else 1) * r["deadline"].toordinal(),
            r["id"],
        )
    )
    return rows[:limit]


def report_back_reminders(today):
    """Before the deadline (3 days) and on the day after it, for receivers not reported."""
    soon = today + datetime.timedelta(days=3)
    qs = ReportBack.objects.filter(
        assignment__status=AssignmentStatus.ACTIVE,
        status__in=[ReportStatus.NOT_STARTED, ReportStatus.RETURNED],
    ).filter(
        Q(assignment__deadline__range=(today, soon))
        | Q(assignment__deadline=today - datetime.timedelta(days=1))
    )
    for oid, aid, title, deadline in qs.values_list(
        "organization_id", "assignment_id", "assignment__title", "assignment__deadline"
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


# ---- pledges ----------------------------------------------------------------------------


def _clean_targets(targets):
    out = []
    for i, t in enumerate(targets or []):
        text = _text(t.get("text"), "targets", _("第%(n)s项目标") % {"n": i + 1}, limit=300)
        kind = t.get("kind") or (
            TargetKind.NUMBER if t.get("target_value") is not None else TargetKind.TEXT
        )
        validate_choice("targets", kind, TargetKind, _("目标类型"))
        value = t.get("target_value")
        if kind == TargetKind.NUMBER:
            try:
                value = decimal.Decimal(str(value))
            except (decimal.InvalidOperation, TypeError):
                raise invalid(
                    "targets",
                    _("第%(n)s项目标“%(text)s”的目标值应为数字") % {"n": i + 1, "text": text},
                ) from None
            if value <= 0:
                raise invalid(
                    "targets",
                    _("第%(n)s项目标“%(text)s”的目标值应大于0") % {"n": i + 1, "text": text},
                )
        out.append(
            PledgeTarget(
                text=text,
                kind=kind,
                target_value=value if kind == TargetKind.NUMBER else None,
                unit=(t.get("unit") or "").strip()[:20],
                order=i,
                source=t.get("source"),
            )
        )
    if not out:
        raise invalid("targets", _("目标责任书至少要有一项目标"))
    return out


@transaction.atomic
def create_pledge(issuer, organization, *, year, title, targets, actor=None) -> Pledge:
    require(actor, "tasks.issue", issuer, _("您无权以该组织名义下达目标责任书"))
    if not organization.path.startswith(issuer.path) or organization.pk == issuer.pk:
        raise invalid(
            "organization",
            _("“%(org)s”不是“%(parent)s”的下级组织")
            % {"org": organization.name, "parent": issuer.name},
        )
    title = _text(title, "title", _("标题"), limit=200)
    if Pledge.objects.filter(issuer=issuer, organization=organization, year=year).exists():
        raise invalid(
            "year",
            _("%(year)s年已向“%(org)s”下达过目标责任书") % {"year": year, "org": organization.name},
        )
    rows = _clean_targets(targets)
    pledge = Pledge.objects.create(issuer=issuer, organization=organization, year=year, title=title)
    for row in rows:
        row.pledge = pledge
    PledgeTarget.objects.bulk_create(rows)
    audit.record(
        actor,
        "create",
        pledge,
        organization=organization,
        summary=f"{issuer.name}向{organization.name}下达{year}年目标责任书（{len(rows)}项）",
    )
    return pledge


@transaction.atomic
def sign(pledge: Pledge, *, on=None, actor=None) -> Pledge:
    require(actor, "tasks.report", pledge.organization, _("只有责任组织可以签订目标责任书"))
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.signed_on:
        raise invalid("signed_on", _("已于%(date)s签订") % {"date": pledge.signed_on})
    pledge.signed_on, pledge.signed_by = on or timezone.localdate(), _user(actor)
    pledge.save(update_fields=["signed_on", "signed_by"])
    audit.record(
        actor,
        "sign",
        pledge,
        organization=pledge.organization,
        summary=f"{pledge.organization.name}签订{pledge.year}年目标责任书",
    )
    return pledge


@transaction.atomic
def update_target(
    target: PledgeTarget, *, progress_value=None, progress_note=None, met=None, actor=None
) -> PledgeTarget:
    target = PledgeTarget.objects.select_for_update().select_related("pledge").get(pk=target.pk)
    require(actor, "tasks.report", target.pledge.organization, _("您无权更新该目标进展"))
    before = audit.snapshot(target, ("progress_value", "progress_note", "met"))
    if progress_value is not None:
        if target.kind != TargetKind.NUMBER:
            raise invalid("progress_value", _("文字目标不填完成值"))
        try:
            progress_value = decimal.Decimal(str(progress_value))
        except decimal.InvalidOperation:
            raise invalid(
                "progress_value", _("完成值“%(value)s”不是数字") % {"value": progress_value}
            ) from None
        if progress_value < 0:
            raise invalid("progress_value", _("完成值不能为负数"))
        target.progress_value = progress_value
    if met is not None:
        if target.kind != TargetKind.TEXT:
            raise invalid("met", _("数量目标按完成值判断是否完成"))
        target.met = bool(met)
    if progress_note is not None:  # None keeps the note; "" clears it
        target.progress_note = progress_note.strip()[:300]
    target.save()
    audit.record(
        actor,
        "progress",
        target,
        organization=target.pledge.organization,
        summary=f"更新目标进展：{target.text}",
        changes=audit.diff(
            before, audit.snapshot(target, ("progress_value", "progress_note", "met"))
        ),
    )
    return target


@transaction.atomic
def cascade(target: PledgeTarget, organizations, *, actor=None) -> list[PledgeTarget]:
    """Pass a target on to organizations under the pledge's organization (a township to its
    villages): each gets the target in its own pledge for the year, linked to this one."""
    pledge = target.pledge
    require(actor, "tasks.issue", pledge.organization, _("您无权分解该目标"))
    made = []
    organizations = list({org.pk: org for org in organizations}.values())
    already = set(target.cascaded.values_list("pledge__organization_id", flat=True))
    for org in organizations:
        if not org.path.startswith(pledge.organization.path) or org.pk == pledge.organization_id:
            raise invalid(
                "organization",
                _("“%(org)s”不是“%(parent)s”的下级组织")
                % {"org": org.name, "parent": pledge.organization.name},
            )
        if org.pk in already:
            raise invalid(
                "organization",
                _("目标“%(target)s”已分解到“%(org)s”") % {"target": target.text, "org": org.name},
            )
        child, _created = Pledge.objects.get_or_create(
            issuer=pledge.organization,
            organization=org,
            year=pledge.year,
            defaults={"title": f"{pledge.year}年基层党建工作目标责任书"},
        )
        made.append(
            PledgeTarget.objects.create(
                pledge=child,
                text=target.text,
                kind=target.kind,
                target_value=target.target_value,
                unit=target.unit,
                source=target,
                order=child.targets.count(),
            )
        )
    audit.record(
        actor,
        "cascade",
        target,
        organization=pledge.organization,
        summary=f"目标“{target.text}”分解到{len(made)}个下级组织",
    )
    return made


def effective_progress(target: PledgeTarget):
    """A cascaded number target's progress is its own plus that of its parts below."""
    parts = list(target.cascaded.all())
    if target.kind != TargetKind.NUMBER:
        return None
    return target.progress_value + sum((effective_progress(p) for p in parts), decimal.Decimal(0))


def is_met(target: PledgeTarget) -> bool:
    if target.kind == TargetKind.NUMBER:
        return rules.target_met("number", target.target_value, effective_progress(target), False)
    return target.met


# ---- work meetings and secretary projects --------------------------------------------------


@transaction.atomic
def record_work_meeting(
    org, *, held_on, month: str, notes, attendees="", assignments=(), actor=None
) -> WorkMeeting:
    require(actor, "tasks.issue", org, _("您无权登记该组织的工作例会"))
    if held_on > timezone.localdate():
        raise invalid("held_on", _("召开日期不能晚于今天"))
    try:
        period = Period.parse(month)
    except ValueError as e:
        raise invalid("month", str(e)) from None
    if period.kind != "month":
        raise invalid("month", _("所属月份应为 2026-03 这样的格式"))
    meeting = WorkMeeting.objects.create(
        organization=org,
        held_on=held_on,
        month=str(period),
        notes=_text(notes, "notes", _("会议纪要")),
        attendees=(attendees or "").strip()[:300],
    )
    wrong = [a for a in assignments if a.issuer_id != org.pk]
    if wrong:
        raise invalid(
            "assignments", _("《%(title)s》不是本组织下发的交办单") % {"title": wrong[0].title}
        )
    meeting.assignments.set(assignments)
    audit.record(actor, "create", meeting, organization=org, summary=f"{org.name}{period}工作例会")
    return meeting


@transaction.atomic
def create_project(
    org, *, secretary, year, title, goal, items=(), brand="", actor=None
) -> SecretaryProject:
    require(actor, "tasks.report", org, _("您无权登记该组织的书记项目"))
    if org.kind not in (Kind.COMMITTEE, Kind.WORKING_COMMITTEE, Kind.GENERAL_BRANCH, Kind.BRANCH):
        raise invalid("organization", _("书记项目由党委、党总支或党支部书记承担"))
    if not secretary.offices.current().filter(organization=org, role="secretary").exists():
        raise invalid(
            "secretary",
            _("%(name)s不是“%(org)s”的现任书记") % {"name": secretary.name, "org": org.name},
        )
    project = SecretaryProject.objects.create(
        organization=org,
        secretary=secretary,
        year=year,
        title=_text(title, "title", _("项目名称"), limit=200),
        goal=_text(goal, "goal", _("项目目标")),
        brand=(brand or "").strip()[:100],
    )
    for month, text in items:
        add_plan_item(project, month=month, text=text, actor=actor)
    audit.record(actor, "create", project, organization=org, summary=f"书记项目：{project.title}")
    return project


@transaction.atomic
def add_plan_item(project, *, month, text, actor=None) -> PlanItem:
    require(actor, "tasks.report", project.organization, _("您无权更新该书记项目"))
    try:
        period = Period.parse(month)
    except ValueError as e:
        raise invalid("month", str(e)) from None
    if period.kind != "month" or period.year != project.year:
        raise invalid(
            "month", _("月份应为%(year)s年内的月份，如 %(year)s-03") % {"year": project.year}
        )
    item = PlanItem.objects.create(
        project=project, month=str(period), text=_text(text, "text", _("工作计划"), limit=300)
    )
    audit.record(
        actor,
        "create",
        item,
        organization=project.organization,
        summary=f"书记项目增加{item.month}计划：{item.text}",
    )
    return item


@transaction.atomic
def update_project(
    project: SecretaryProject, *, results=None, brand=None, photos=(), actor=None
) -> SecretaryProject:
    """Record a project's results, its brand name and photos of what it achieved."""
    require(actor, "tasks.report", project.organization, _("您无权更新该书记项目"))
    photos = list(photos)
    fields = ("results", "brand")
    before = audit.snapshot(project, fields)
    if results is not None:
        project.results = results.strip()
    if brand is not None:
        project.brand = brand.strip()[:100]
    project.save(update_fields=list(fields))
    for upload in photos:
        project.photos.create(file=upload, name=getattr(upload, "name", "照片")[:200])
    changes = audit.diff(before, audit.snapshot(project, fields))
    if photos:
        changes["photos"] = [None, f"+{len(photos)}"]
    audit.record(
        actor,
        "update",
        project,
        organization=project.organization,
        summary=f"书记项目成效：{project.title}",
        changes=changes,
    )
    return project


@transaction.atomic
def update_plan_item(item: PlanItem, *, progress="", done=False, actor=None) -> PlanItem:
    require(actor, "tasks.report", item.project.organization, _("您无权更新该书记项目"))
    before = audit.snapshot(item, ("progress", "done"))
    item.progress, item.done = (progress or "").strip()[:300], bool(done)
    item.save()
    audit.record(
        actor,
        "progress",
        item,
        organization=item.project.organization,
        summary=f"书记项目进展：{item.text}",
        changes=audit.diff(before, audit.snapshot(item, ("progress", "done"))),
    )
    return item


# ---- figures for stats ----------------------------------------------------------------------


def task_figures(org: Organization, period: Period, today=None) -> dict:
    today = today or timezone.localdate()
    rbs = ReportBack.objects.filter(
        organization__path__startswith=org.path,
        assignment__status=AssignmentStatus.ACTIVE,
        assignment__starts_on__range=(period.start, period.end),
    )
    by_status = {s: 0 for s in ReportStatus.values}
    for row in rbs.values("status").annotate(n=Count("id")).order_by():
        by_status[row["status"]] = row["n"]
    timing = rbs.aggregate(
        on_time=Count(
            "id",
            filter=Q(first_reported_at__isnull=False)
            & Q(first_reported_at__date__lte=models_deadline()),
        ),
        late_reported=Count("id", filter=Q(first_reported_at__date__gt=models_deadline())),
        late_missing=Count(
            "id", filter=Q(first_reported_at__isnull=True, assignment__deadline__lt=today)
        ),
    )
    # A target's cascaded parts lie in its pledge organization's subtree, so they are among
    # these rows: count the met targets in memory, without a query per part.
    targets = list(
        PledgeTarget.objects.filter(
            pledge__organization__path__startswith=org.path, pledge__year=period.year
        )
    )
    parts = {}
    for t in targets:
        if t.source_id:
            parts.setdefault(t.source_id, []).append(t)

    def progress_of(t):
        return t.progress_value + sum(
            (progress_of(p) for p in parts.get(t.pk, ())), decimal.Decimal(0)
        )

    def met(t):
        if t.kind == TargetKind.NUMBER:
            return rules.target_met("number", t.target_value, progress_of(t), False)
        return t.met

    return {
        "assignments": sum(by_status.values()),
        "report_backs": by_status | {"late": timing["late_reported"] + timing["late_missing"]},
        "report_back_on_time_rate": rules.on_time_rate(
            timing["on_time"], timing["on_time"] + timing["late_reported"]
        ),
        "pledge_targets": len(targets),
        "pledge_targets_met": sum(1 for t in targets if met(t)),
        "secretary_projects": SecretaryProject.objects.filter(
            organization__path__startswith=org.path, year=period.year
        ).count(),
    }
