"""Meeting records: the list with its filters and export, the entry form with the attendee
list, a meeting's page, voiding, and its attachments."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core import staging
from dangjian.core.files import accepts_uploads, serve_upload, xlsx_response
from dangjian.core.forms import run_service
from dangjian.core.periods import Period, PeriodError
from dangjian.core.toolkit import by_level, paginate, rate_text, subtree_phrase

from .. import exports, rules, selectors, services
from ..forms import MeetingForm, VoidForm, attendance_from_post
from ..models import AttendanceStatus, MeetingKind
from .common import context, get_org, split_errors

# The meetings page lists a plan until this many days after its date (held and cancelled
# ones too, so the secretary sees what became of them); open ones whatever their date.
PLANS_DAYS_BACK = 60
PLANS_LIMIT = 50


def meeting_filters(params):
    """(kind, period, voided) of the list's query string; malformed values are ignored."""
    kind = params.get("kind", "")
    if kind not in MeetingKind.values:
        kind = ""
    period = None
    if text := params.get("period", "").strip():
        try:
            period = Period.parse(text)
        except PeriodError:
            period = None
    return kind, period, params.get("voided") == "1"


def meetings_of(request, org):
    kind, period, voided = meeting_filters(request.GET)
    qs = selectors.meetings(request.user, org, kind=kind, period=period, voided=voided)
    return qs, kind, period, voided


@login_required
def meeting_list(request, code):
    org = get_org(request, code)
    qs, kind, period, voided = meetings_of(request, org)
    meetings, pager = paginate(request, qs)
    for m in meetings:
        m.total = m.n_present + m.n_leave + m.n_absent
        m.rate_text = rate_text(rules.attendance_rate(m.n_present, m.n_leave, m.n_absent))
    params = request.GET.copy()
    params.pop("page", None)
    today = timezone.localdate()
    cutoff = today - datetime.timedelta(days=PLANS_DAYS_BACK)
    plans = list(
        selectors.plans(request.user, org, include_closed=True).filter(
            Q(cancelled_on__isnull=True, meeting__isnull=True) | Q(planned_on__gte=cutoff)
        )[:PLANS_LIMIT]
    )
    for p in plans:
        p.state = p.status(today)
    page = context(
        request,
        org,
        "meetings",
        meetings=meetings,
        page=pager["page"],
        has_next=pager["has_next"],
        kind=kind,
        kinds=MeetingKind.choices,
        period=period or "",
        voided=voided,
        export_query=params.urlencode(),
        plans=plans,
    )
    return render(request, "life/meeting_list.html", page)


@login_required
def meeting_export(request, code):
    user = request.user
    org = get_org(request, code)
    qs, kind, period, _voided = meetings_of(request, org)
    scope = subtree_phrase(org)
    if kind:
        scope += f"，{MeetingKind(kind).label}"
    if period:
        scope += f"，{period}"
    out = exports.meetings(
        qs.iterator(chunk_size=1000),
        top=org,
        scope=scope,
        by_level=by_level(request),
        user=user,
    )
    return xlsx_response(out, f"会议记录_{org.code}")


def _attendee_rows(org, data=None):
    """The organization's eligible members, each with the status to show (default 出席)."""
    members = (
        services.eligible_attendees(org)
        .select_related("organization")
        .order_by("organization__path", "name", "pk")
    )
    rows = []
    for m in members:
        status = (data or {}).get(f"att_{m.pk}", AttendanceStatus.PRESENT)
        reason = (data or {}).get(f"reason_{m.pk}", "")
        rows.append({"member": m, "status": status, "reason": reason})
    return rows


def _default_kind(org):
    """The meeting most often entered: a theme day, a group's meeting, a committee's own."""
    for kind in (MeetingKind.THEME_DAY, MeetingKind.GROUP_MEETING, MeetingKind.COMMITTEE_SESSION):
        if rules.fits(kind, org.kind):
            return kind
    return MeetingKind.THEME_DAY


def _may_record(request, code) -> bool:
    """Before the body is read: the user may record a meeting of this organization."""
    return selectors.can_record(request.user, get_org(request, code))


@accepts_uploads(gate=_may_record)
@login_required
def meeting_new(request, code):
    user = request.user
    org = get_org(request, code)
    if not selectors.can_record(user, org):
        raise PermissionDenied
    attendees = services.eligible_attendees(org).order_by("name", "pk")
    attendance_errors = []
    if request.method == "POST":
        form = MeetingForm(request.POST, request.FILES, attendees=attendees, org_kind=org.kind)
        staging.bind(form, user)  # the files chosen on a refused submit come back
        if form.is_valid():
            data = dict(form.cleaned_data)
            files = data.pop("attachments")
            try:
                meeting = services.record_meeting(
                    org,
                    actor=user,
                    attendance=attendance_from_post(request.POST),
                    attachments=files,
                    **data,
                )
            except ValidationError as error:
                attendance_errors = split_errors(form, error, ("attendance",))
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("您没有权限进行此操作"))
            else:
                staging.done(form)
                return redirect("life:meeting", pk=meeting.pk)
        else:
            # Every error in one round trip: the attendee list's own rules (a leave without
            # its reason …) are checked even when the form refused other fields.
            try:
                services.clean_attendance(org, attendance_from_post(request.POST), user)
            except ValidationError as error:
                attendance_errors = split_errors(form, error, ("attendance",))
        staging.keep(form)
        rows = _attendee_rows(org, request.POST)
    else:
        initial = {"kind": request.GET.get("kind") or _default_kind(org)}
        plan = selectors.plan_for_recording(user, org, request.GET.get("plan"))
        if plan is not None:
            # The plan's kind, topic and place; its date unless still ahead (a meeting is
            # recorded once held: today then).
            today = timezone.localdate()
            initial |= {
                "kind": plan.kind,
                "topic": plan.topic,
                "place": plan.place,
                "held_on": min(plan.planned_on, today),
                "plan": plan.pk,
            }
        form = MeetingForm(initial=initial, attendees=attendees, org_kind=org.kind)
        rows = _attendee_rows(org)
    page = context(
        request,
        org,
        "meetings",
        form=form,
        attendees=rows,
        attendance_errors=attendance_errors,
        statuses=AttendanceStatus.choices,
    )
    return render(request, "life/meeting_form.html", page)


@login_required
def meeting_detail(request, pk, void_form=None):
    meeting = selectors.meeting(request.user, pk)
    org = meeting.organization
    order = list(AttendanceStatus.values)
    attendance = sorted(
        selectors.visible_attendance(request.user, meeting),
        key=lambda a: (order.index(a.status), a.member.name),
    )
    summary = services.attendance_summary(meeting)
    can_void = selectors.can_record(request.user, org) and not meeting.voided_on
    page = context(
        request,
        org,
        "meetings",
        meeting=meeting,
        kind_labels=[MeetingKind(k).label for k in meeting.kinds],
        attendance=attendance,
        summary=summary,
        rate_text=rate_text(summary["rate"]),
        attachments=list(selectors.visible_attachments(request.user).filter(meeting=meeting)),
        can_void=can_void,
        can_approve=meeting.awaiting_approval
        and request.user.has_perm("life.record", services.approver_org(meeting)),
        approver=services.approver_org(meeting),
        void_form=void_form or VoidForm(),
        chain=selectors.yearly_chain(request.user, meeting),
    )
    return render(request, "life/meeting_detail.html", page)


@login_required
@require_POST
def meeting_void(request, pk):
    meeting = selectors.meeting(request.user, pk)
    if not selectors.can_record(request.user, meeting.organization):
        raise PermissionDenied
    form = VoidForm(request.POST)
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.void_meeting(
                meeting, reason=form.cleaned_data["void_reason"], actor=request.user
            ),
        )
        if done is not None:
            return redirect("life:meeting", pk=meeting.pk)
    return meeting_detail(request, pk, void_form=form)


@login_required
@require_POST
def meeting_approve(request, pk):
    """A manager of the parent organization approves a late entry (补录)."""
    meeting = selectors.meeting(request.user, pk)
    try:
        services.approve_late_entry(meeting, actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("已批准补录，该会议计入完成情况"))
    return redirect("life:meeting", pk=meeting.pk)


@login_required
def attachment(request, pk):
    item = selectors.get_visible_attachment(request.user, pk)
    return serve_upload(item)
