"""Assignments (交办单): choosing receivers, issuing (one report-back per receiver),
revising and withdrawing, each change notified to the receivers."""

import decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scoping import org_q
from dangjian.core import audit
from dangjian.core.models import Reminder
from dangjian.core.services import invalid, join_labels, require, validate_choice
from dangjian.orgs.models import Kind, Level, Organization, Sector
from dangjian.rollups import registry

from .. import rules
from ..models import (
    Assignment,
    AssignmentField,
    AssignmentRevision,
    AssignmentStatus,
    FieldType,
    ReportBack,
    ReportStatus,
    Reviewer,
)
from .common import _text, _user

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
    reviewer=Reviewer.ISSUER,
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
    validate_choice("reviewer", reviewer, Reviewer, _("审核方"))
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
        reviewer=reviewer,
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
    # A relay (转办) may not end after the relaying receiver's deadline in force (the
    # assignment's, or its own when extended, 延期): an earlier one is passed down as a
    # revision of each relay that would (its receivers are told), and an extension granted
    # to a relayed receiver is capped at it too. An extension of a direct receiver stands.
    for relay in Assignment.objects.filter(
        relayed_from__assignment=assignment,
        status=AssignmentStatus.ACTIVE,
        deadline__gt=assignment.deadline,
    ).select_related("relayed_from"):
        relayer = relay.relayed_from
        relayer.assignment = assignment
        cap = relayer.effective_deadline
        if relay.deadline > cap:
            revise(relay, reason=reason, actor=None, deadline=cap)
        ReportBack.objects.filter(assignment=relay, deadline__gt=cap).update(deadline=cap)
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
    # Its relays (转办) go with it, level by level: nobody reports on withdrawn work.
    for relay in Assignment.objects.filter(
        relayed_from__assignment=assignment, status=AssignmentStatus.ACTIVE
    ):
        withdraw(relay, reason=reason, actor=None)
    return assignment


@transaction.atomic
def urge(assignment: Assignment, *, actor, today=None) -> int:
    """催报: a reminder to each receiver within the actor's scope that has not reported
    (not started, or returned), at most one a day per receiver. Returns how many were sent.
    Only the issuer's managers may urge; a withdrawn or closed assignment is refused."""
    require(actor, "tasks.issue", assignment.issuer, _("您无权催报该交办单"))
    if assignment.status != AssignmentStatus.ACTIVE:
        raise invalid("status", _("该交办单不在进行中，无需催报"))
    today = today or timezone.localdate()
    pending = assignment.report_backs.filter(
        status__in=[ReportStatus.NOT_STARTED, ReportStatus.RETURNED]
    )
    if actor is not None:
        pending = pending.filter(org_q(actor))  # on the report-back's copy of the path
    # Each receiver is told its own deadline (延期 makes it later than the assignment's).
    deadlines = dict(pending.values_list("organization_id", "deadline"))
    keys = {oid: f"tasks:{assignment.pk}:urge:{today.isoformat()}:{oid}" for oid in deadlines}
    sent_before = set(Reminder.objects.filter(key__in=keys.values()).values_list("key", flat=True))

    def reminder(oid, key):
        deadline = rules.effective_deadline(assignment.deadline, deadlines[oid])
        text = _("催报：请于%(date)s前报送交办单《%(title)s》的晒账单") % {
            "date": deadline.isoformat(),
            "title": assignment.title,
        }
        return Reminder(organization_id=oid, key=key, text=text[:300], due_on=max(deadline, today))

    new = [reminder(oid, key) for oid, key in keys.items() if key not in sent_before]
    Reminder.objects.bulk_create(new, batch_size=5000, ignore_conflicts=True)
    audit.record(
        actor,
        "urge",
        assignment,
        organization=assignment.issuer,
        summary=f"催报交办单《{assignment.title}》：{len(new)}个组织",
    )
    return len(new)


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
