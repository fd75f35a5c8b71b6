"""Planned meetings (会议计划): planning, editing and cancelling them, and linking a plan to
the meeting recorded from it. A plan is never a held meeting and never counts in
compliance; only the meeting recorded from it does."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.services import invalid, require, validate_choice
from dangjian.orgs.models import Kind as OrgKind
from dangjian.orgs.models import Organization

from .. import rules
from ..models import MeetingKind, PlannedMeeting

PLAN_FIELDS = ("kind", "planned_on", "planned_at", "place", "topic")


def _clean(org, data, today, was=None) -> dict:
    """The plan's fields, checked: a kind the organization holds (as for a real meeting),
    a date not before today (an overdue plan's own date may stay while other fields
    change: `was`), a topic."""
    data = {k: data.get(k) for k in PLAN_FIELDS}
    for k in ("place", "topic"):
        data[k] = (data[k] or "").strip()
    if org.is_dissolved:
        raise invalid("organization", _("“%(name)s”已撤销") % {"name": org.name})
    validate_choice("kind", data["kind"], MeetingKind, _("会议类型"))
    if not rules.fits(data["kind"], org.kind):
        raise invalid(
            "kind",
            _("“%(org)s”是%(org_kind)s，不召开%(kind)s")
            % {
                "org": org.name,
                "org_kind": OrgKind(org.kind).label,
                "kind": MeetingKind(data["kind"]).label,
            },
        )
    if not data["planned_on"]:
        raise invalid("planned_on", _("请填写计划日期"))
    if data["planned_on"] < today and data["planned_on"] != was:
        raise invalid("planned_on", _("计划日期不能早于今天"))
    if not data["topic"]:
        raise invalid("topic", _("请填写会议主题"))
    return data


def _snapshot(plan) -> dict:
    """The plan's fields for the audit log (a time as "09:30")."""
    out = audit.snapshot(plan, PLAN_FIELDS)
    if plan.planned_at is not None:
        out["planned_at"] = plan.planned_at.strftime("%H:%M")
    return out


def vars_of(plan) -> dict:
    return {k: getattr(plan, k) for k in PLAN_FIELDS}


def _summary(plan) -> str:
    return f"{plan.organization.name}{plan.get_kind_display()}（{plan.planned_on}）：{plan.topic}"


@transaction.atomic
def plan_meeting(org: Organization, *, actor=None, today=None, **data) -> PlannedMeeting:
    """Plan a meeting of `org` (kind, planned_on, optional planned_at and place, topic): who
    may record the organization's meetings may plan them."""
    require(actor, "life.record", org, _("您无权为该组织安排会议计划"))
    data = _clean(org, data, today or timezone.localdate())
    plan = PlannedMeeting.objects.create(
        organization=org,
        created_by=audit.user_of(actor),
        **data,
    )
    audit.record(
        actor,
        "create",
        plan,
        organization=org,
        summary=f"会议计划：{_summary(plan)}",
        changes=audit.diff({}, _snapshot(plan)),
    )
    return plan


def _open_plan(plan, actor, message) -> PlannedMeeting:
    """The plan locked, if `actor` may change it and it is neither held nor cancelled."""
    require(actor, "life.record", plan.organization, message)
    plan = PlannedMeeting.objects.select_for_update().select_related("organization").get(pk=plan.pk)
    if plan.meeting_id:
        raise invalid("planned_on", _("该计划的会议已召开并登记"))
    if plan.cancelled_on:
        raise invalid("planned_on", _("该会议计划已取消"))
    return plan


@transaction.atomic
def edit_plan(plan: PlannedMeeting, *, actor=None, today=None, **data) -> PlannedMeeting:
    """Change a plan still to be held (its date, time, place, topic or kind)."""
    plan = _open_plan(plan, actor, _("您无权修改该会议计划"))
    before = _snapshot(plan)
    today = today or timezone.localdate()
    data = _clean(plan.organization, {**vars_of(plan), **data}, today, was=plan.planned_on)
    for k, v in data.items():
        setattr(plan, k, v)
    plan.save(update_fields=list(PLAN_FIELDS))
    changes = audit.diff(before, _snapshot(plan))
    if changes:
        audit.record(
            actor,
            "update",
            plan,
            organization=plan.organization,
            summary=f"修改会议计划：{_summary(plan)}",
            changes=changes,
        )
    return plan


@transaction.atomic
def cancel_plan(plan: PlannedMeeting, *, reason: str, actor=None, today=None) -> PlannedMeeting:
    """Cancel a plan still to be held, with a reason (it stays listed as cancelled)."""
    plan = _open_plan(plan, actor, _("您无权取消该会议计划"))
    reason = (reason or "").strip()
    if not reason:
        raise invalid("cancel_reason", _("请填写取消原因"))
    plan.cancelled_on = today or timezone.localdate()
    plan.cancel_reason = reason[:200]
    plan.save(update_fields=["cancelled_on", "cancel_reason"])
    audit.record(
        actor,
        "cancel",
        plan,
        organization=plan.organization,
        summary=f"取消会议计划：{_summary(plan)}（{plan.cancel_reason}）",
        changes={"cancelled_on": [None, str(plan.cancelled_on)]},
    )
    return plan


def check_plan_for(org, plan, kinds) -> PlannedMeeting:
    """The plan a meeting of `org` with `kinds` is recorded from, locked: the organization's
    own, still open, and of one of the meeting's kinds."""
    found = (
        PlannedMeeting.objects.select_for_update()
        .filter(pk=getattr(plan, "pk", plan), organization=org)
        .first()
    )
    if found is None:
        raise invalid("plan", _("会议计划不存在或不属于“%(org)s”") % {"org": org.name})
    if found.meeting_id:
        raise invalid("plan", _("该计划的会议已召开并登记"))
    if found.cancelled_on:
        raise invalid("plan", _("该会议计划已取消"))
    if found.kind not in kinds:
        raise invalid(
            "kind",
            _("会议计划是%(kind)s，登记的会议须是（或同时计为）%(kind)s；否则请不从计划登记")
            % {"kind": MeetingKind(found.kind).label},
        )
    return found


def mark_held(plan: PlannedMeeting, meeting, actor=None) -> None:
    """Link the plan to the meeting recorded from it (inside record_meeting's transaction)."""
    plan.meeting = meeting
    plan.save(update_fields=["meeting"])
    audit.record(
        actor,
        "hold",
        plan,
        organization=plan.organization,
        summary=f"按计划召开：{_summary(plan)}",
        changes={"meeting": [None, meeting.pk]},
    )


def unlink_voided(meeting, actor=None) -> None:
    """A voided meeting no longer holds its plans: they are open again (overdue, or still
    upcoming)."""
    for plan in PlannedMeeting.objects.filter(meeting=meeting).select_related("organization"):
        plan.meeting = None
        plan.save(update_fields=["meeting"])
        audit.record(
            actor,
            "unlink",
            plan,
            organization=plan.organization,
            summary=f"会议记录作废，计划恢复未召开：{_summary(plan)}",
            changes={"meeting": [meeting.pk, None]},
        )
