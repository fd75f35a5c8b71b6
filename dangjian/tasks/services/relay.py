"""Relaying an assignment (转办): a receiver with organizations under it passes the
assignment on to chosen ones among them, with its own additions (extra fields, a note, an
earlier deadline). The relay is an assignment of its own, issued by the receiver; the
receiver's report-back on the original then sums its relayed receivers' reports plus its
own part (report_backs.report), so every figure is counted once at every level."""

from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.services import invalid, join_labels, require
from dangjian.orgs.models import Organization

from ..models import (
    Assignment,
    AssignmentField,
    AssignmentStatus,
    ReportBack,
    ReportStatus,
)
from .assignments import _clean_fields, _create_report_backs, select_receivers
from .common import _text, _user
from .report_backs import fields_of

RELAYABLE = (ReportStatus.NOT_STARTED, ReportStatus.RETURNED)


def _other_receivers_below(report_back: ReportBack) -> list[str]:
    """Paths of the original assignment's other receivers under the relaying receiver: they
    report themselves, so neither they nor anything above or below them is relayed to."""
    path = report_back.path
    return list(
        ReportBack.objects.filter(assignment_id=report_back.assignment_id, path__startswith=path)
        .exclude(path=path)
        .values_list("path", flat=True)
    )


def _overlaps(org_path: str, paths) -> bool:
    return any(p.startswith(org_path) or org_path.startswith(p) for p in paths)


def relay_candidates(report_back: ReportBack):
    """Where a receiver may relay to: active organizations strictly under it, not groups."""
    return select_receivers(report_back.organization, {"mode": "subtree"})


def default_targets(report_back: ReportBack) -> list[Organization]:
    """The default relay: the receiver's direct children that hold the work (active, not
    groups), less those that already received the original or have a receiver under them."""
    org = report_back.organization
    others = _other_receivers_below(report_back)
    children = relay_candidates(report_back).filter(depth=org.depth + 1).order_by("path")
    return [c for c in children if not _overlaps(c.path, others)]


def can_relay(user, report_back: ReportBack) -> bool:
    """The relay button is shown when relay() would take a relay from this user now."""
    a = report_back.assignment
    return (
        a.status == AssignmentStatus.ACTIVE
        and report_back.status in RELAYABLE
        and report_back.organization.numchild > 0  # a branch without groups: no query
        and user.has_perm("tasks.report", report_back.organization)
        and not Assignment.objects.filter(relayed_from=report_back).exists()
        and relay_candidates(report_back).exists()
    )


@transaction.atomic
def relay(
    report_back: ReportBack,
    *,
    codes=None,
    deadline=None,
    note="",
    fields=(),
    actor=None,
) -> Assignment:
    """Relay the report-back's assignment to organizations under its receiver (`codes`;
    None = default_targets). Copies the original's fields, adds `fields`; the relay's
    deadline is no later than the original's. Returns the relayed assignment."""
    rb = (
        ReportBack.objects.select_for_update(of=("self",))
        .select_related("assignment", "organization")
        .get(pk=report_back.pk)
    )
    org, original = rb.organization, rb.assignment
    require(actor, "tasks.report", org, _("您无权转办该组织收到的交办单"))
    if original.status == AssignmentStatus.WITHDRAWN:
        raise invalid("status", _("该交办单已撤回，不能转办"))
    if rb.status not in RELAYABLE:
        raise invalid(
            "status",
            _("晒账单当前状态为“%(status)s”，不能转办") % {"status": ReportStatus(rb.status).label},
        )
    if Assignment.objects.filter(relayed_from=rb).exists():
        raise invalid("receivers", _("该交办单本组织已转办过，不能重复转办"))
    # No later than the relaying receiver's own deadline in force (extended, 延期, or the
    # original's).
    own_deadline = rb.effective_deadline
    deadline = deadline or own_deadline
    if deadline > own_deadline:
        raise invalid(
            "deadline",
            _("转办的截止日期不能晚于原交办单的截止日期（%(date)s）")
            % {"date": own_deadline.isoformat()},
        )
    if deadline < original.starts_on:
        raise invalid(
            "deadline",
            _("转办的截止日期不能早于交办单的开始日期（%(date)s）")
            % {"date": original.starts_on.isoformat()},
        )
    note = _text(note, "note", _("转办补充要求"), required=False, limit=2000)
    if codes is None:
        targets = default_targets(rb)
        if not targets:
            raise invalid("receivers", _("本组织之下没有可以转办的组织"))
    else:
        codes = [str(c).strip().upper() for c in codes if str(c).strip()]
        if not codes:
            raise invalid("receivers", _("请选择转办的组织"))
        if not relay_candidates(rb).exists():
            raise invalid("receivers", _("本组织之下没有可以转办的组织"))
        targets = list(select_receivers(org, {"mode": "orgs", "codes": codes}).order_by("path"))
        others = _other_receivers_below(rb)
        taken = [t.name for t in targets if _overlaps(t.path, others)]
        if taken:
            raise invalid(
                "receivers",
                _("%(names)s或其上下级已是原交办单的接收组织，自行报送，不能再转办")
                % {"names": join_labels(taken)},
            )
    original_fields = fields_of(original)
    keys = {f.key for f in original_fields}
    extra = [
        {**f, "key": (f.get("key") or "").strip() or f"extra{i + 1}"}
        for i, f in enumerate(fields or [])
    ]
    extra_rows = _clean_fields(extra)
    for f in extra_rows:
        if f.key in keys:
            raise invalid(
                "fields", _("补充填报项编码“%(key)s”与原交办单的填报项重复") % {"key": f.key}
            )
    relayed = Assignment.objects.create(
        issuer=org,
        title=original.title,
        content=original.content,
        starts_on=original.starts_on,
        deadline=deadline,
        receivers_spec={"mode": "orgs", "codes": [t.code for t in targets]},
        text_required=original.text_required,
        attachments_required=original.attachments_required,
        board_shared=original.board_shared,
        reviewer=original.reviewer,
        relayed_from=rb,
        relay_note=note,
        created_by=_user(actor),
    )
    rows = [
        AssignmentField(
            assignment=relayed,
            key=f.key,
            label=f.label,
            type=f.type,
            unit=f.unit,
            required=f.required,
            choices=f.choices,
            min_value=f.min_value,
            max_value=f.max_value,
            binding=f.binding,
            order=f.order,
        )
        for f in original_fields
    ]
    for i, f in enumerate(extra_rows):
        f.assignment, f.order = relayed, len(rows) + i
    AssignmentField.objects.bulk_create(rows + extra_rows)
    count = _create_report_backs(
        relayed, Organization.objects.filter(pk__in=[t.pk for t in targets])
    )
    audit.record(
        actor,
        "relay",
        relayed,
        organization=org,
        summary=f"{org.name}转办交办单《{original.title}》，接收组织{count}个",
        changes={"receivers": [None, count]},
    )
    return relayed


def chain(assignment: Assignment) -> list[Organization]:
    """The issuing chain of an assignment, top first: the original issuer, then each
    receiver that relayed it on down to this one's issuer."""
    out = [assignment.issuer]
    a = assignment
    while a.relayed_from_id:
        rb = ReportBack.objects.select_related("assignment__issuer").get(pk=a.relayed_from_id)
        a = rb.assignment
        out.insert(0, a.issuer)
    return out


def relays_of(assignment: Assignment, report_back_ids=None) -> dict[int, Assignment]:
    """The relays of an assignment's report-backs, by report-back id, with their receiver
    counts (`n_receivers`)."""
    from django.db.models import Count

    qs = Assignment.objects.filter(relayed_from__assignment=assignment)
    if report_back_ids is not None:
        qs = qs.filter(relayed_from_id__in=list(report_back_ids))
    qs = qs.annotate(n_receivers=Count("report_backs"))
    return {a.relayed_from_id: a for a in qs}
