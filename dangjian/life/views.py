"""Organizational-life pages: meeting entry and records, the branch calendar, the compliance
overview with drill-down, member reviews, talks and participation records.

Every organization is looked up through `visible_orgs(user)` and every record through
`org_q(user, ...)`: anything outside the user's subtree is a 404. Writes go through
`life.services`, which check the permission again and audit; their errors are shown beside
the field they name. Each list has an .xlsx export scoped exactly like the page.
"""

import datetime
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangjian.accounts.scoping import covers, get_visible_or_404, org_q
from dangjian.core import config
from dangjian.core.files import serve_upload, xlsx_response
from dangjian.core.forms import apply_errors
from dangjian.core.models import Reminder
from dangjian.core.periods import Period, PeriodError
from dangjian.members.models import Member, Status
from dangjian.members.selectors import member_named
from dangjian.orgs.models import Organization, Sector
from dangjian.orgs.selectors import home_organization, visible_orgs

from . import exports, rules, services
from .forms import (
    FOLLOW_UP_CHOICES,
    GRADE_CHOICES,
    LeaderForm,
    MeetingForm,
    ReviewDateForm,
    TalkForm,
    VoidForm,
    attendance_from_post,
    grades_from_post,
)
from .models import Attachment, Attendance, AttendanceStatus, Meeting, MeetingKind, Review, Talk

PAGE_SIZE = 50
LIST_LIMIT = 300
CALENDAR_KINDS = rules.BRANCH_LIKE | {"group"}
STATUS_LABELS = {
    rules.DONE: gettext_lazy("已开"),
    rules.LATE: gettext_lazy("补录"),
    rules.MISSING: gettext_lazy("未开"),
    rules.PENDING: gettext_lazy("待开"),
}


# ---- helpers ------------------------------------------------------------------------------


def _get_org(request, code=None):
    """The organization of the URL (or ?org=, default the user's home), visible or 404."""
    code = (code or request.GET.get("org") or "").strip().upper()
    if not code:
        home = home_organization(request.user)
        if home is None:
            raise Http404
        return home
    return get_visible_or_404(visible_orgs(request.user), code=code)


def _visible_ids(user, org):
    """A predicate: may `user` see organization id x under `org`? (one query at most)"""
    if covers(user, org):
        return lambda _id: True
    ids = set(visible_orgs(user).filter(path__startswith=org.path).values_list("pk", flat=True))
    return ids.__contains__


def _period(request, default: Period):
    text = request.GET.get("period", "").strip()
    if not text:
        return default, ""
    try:
        return Period.parse(text), ""
    except PeriodError as error:
        return default, str(error)


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= 2100 else default


def _pct(rate):
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _tally_row(tally):
    return {
        "due": tally.due,
        "done": tally.done,
        "late": tally.late,
        "missing": tally.missing,
        "pending": tally.pending,
        "rate": tally.rate,
        "rate_text": _pct(tally.rate),
        "width": round((tally.rate or 0) * 100),
    }


def _can_record(user, org):
    return user.has_perm("life.record", org) and not org.is_dissolved


def _tabs(org, user):
    """The organizational-life pages of one organization, for the tab bar."""
    tabs = [
        ("overview", _("完成情况"), reverse("life:overview") + f"?org={org.code}"),
        ("meetings", _("会议记录"), reverse("life:meetings", args=[org.code])),
    ]
    if org.kind in CALENDAR_KINDS:
        tabs.append(("calendar", _("组织生活日历"), reverse("life:calendar", args=[org.code])))
    tabs += [
        ("reviews", _("民主评议"), reverse("life:reviews", args=[org.code])),
        ("talks", _("谈心谈话"), reverse("life:talks", args=[org.code])),
        ("participation", _("组织生活纪实"), reverse("life:participation", args=[org.code])),
    ]
    return tabs


def _context(request, org, tab, **extra):
    return {
        "nav": "life",
        "org": org,
        "tab": tab,
        "tabs": _tabs(org, request.user),
        "can_record": _can_record(request.user, org),
        "grace_days": config.get(org, "life.grace_days"),
        **extra,
    }


# ---- compliance overview ------------------------------------------------------------------


def compliance_view(user, org, period, today=None):
    """Everything the overview page and its export show, from the services."""
    result = services.compliance(org, period, today)
    visible = _visible_ids(user, org)
    by_child = [
        (child, tally, child.pk == org.pk)
        for child, tally in services.compliance_by_child(org, period, today, result=result)
        if child.pk == org.pk or visible(child.pk)
    ]
    order = list(MeetingKind.values)
    by_kind = sorted(result["by_kind"].items(), key=lambda kv: order.index(kv[0]))
    sectors = dict(
        Organization.objects.filter(pk__in=list(result["by_org"])).values_list("id", "sector")
    )
    by_sector = defaultdict(rules.Tally)
    for org_id, tally in result["by_org"].items():
        if tally.due or tally.pending:
            by_sector[sectors[org_id]] += tally
    sector_order = list(Sector.values)
    return {
        "total": result["total"],
        "by_child": by_child,
        "by_kind": by_kind,
        "by_sector": sorted(by_sector.items(), key=lambda kv: sector_order.index(kv[0])),
    }


@login_required
def overview(request):
    user = request.user
    if not request.GET.get("org") and home_organization(user) is None:
        return render(request, "orgs/no_role.html", {"nav": "life"})
    org = _get_org(request)
    today = timezone.localdate()
    period, period_error = _period(request, Period.month_of(today))
    data = compliance_view(user, org, period, today)
    rows = []
    for child, tally, own in data["by_child"]:
        if own and not (tally.due or tally.pending):
            continue
        if child.kind in CALENDAR_KINDS:
            link = reverse("life:calendar", args=[child.code]) + f"?year={period.year}"
        elif own:
            link = None
        else:
            link = reverse("life:overview") + f"?org={child.code}&period={period}"
        rows.append({"org": child, "own": own, "link": link, **_tally_row(tally)})
    kinds = [{"label": MeetingKind(k).label, **_tally_row(t)} for k, t in data["by_kind"]]
    sectors = [{"label": Sector(s).label, **_tally_row(t)} for s, t in data["by_sector"]]
    reminders = (
        Reminder.objects.filter(
            organization__in=visible_orgs(user).filter(path__startswith=org.path),
            due_on__gte=today,
        )
        .select_related("organization")
        .order_by("due_on", "organization__path")[:50]
    )
    quick = [
        (_("本月"), Period.month_of(today)),
        (_("上月"), Period.month_of(today.replace(day=1) - datetime.timedelta(days=1))),
        (_("本季度"), Period.quarter_of(today)),
        (_("本年"), Period(today.year)),
        (_("上年"), Period(today.year - 1)),
    ]
    context = _context(
        request,
        org,
        "overview",
        period=period,
        period_error=period_error,
        total=_tally_row(data["total"]),
        rows=rows,
        kinds=kinds,
        sectors=sectors,
        reminders=list(reminders),
        quick=[(label, str(p)) for label, p in quick],
        ancestors=list(
            visible_orgs(user).filter(path__in=org.ancestor_paths()[:-1]).order_by("depth")
        ),
    )
    return render(request, "life/overview.html", context)


@login_required
def overview_export(request):
    user = request.user
    org = _get_org(request)
    today = timezone.localdate()
    period, _error = _period(request, Period.month_of(today))
    data = compliance_view(user, org, period, today)
    out = exports.compliance(
        org,
        period,
        data["total"],
        data["by_child"],
        data["by_kind"],
        data["by_sector"],
        user=user,
    )
    return xlsx_response(out, f"组织生活完成情况_{org.code}_{period}")


# ---- calendar -----------------------------------------------------------------------------


def calendar_grid(org, year, today=None):
    """Months × required kinds of one organization: each cell the status of its slot.

    A quarterly kind's cell spans its quarter's three months, a yearly kind's the year."""
    result = services.compliance(org, Period(year), today)
    slots = {}
    kinds = []
    for org_id, kind, slot, status in result["rows"]:
        if org_id != org.pk:
            continue
        if kind not in kinds:
            kinds.append(kind)
        slots[(kind, slot)] = status
    order = list(MeetingKind.values)
    kinds.sort(key=order.index)
    held = defaultdict(int)
    for kind, held_on in (
        Meeting.objects.valid()
        .filter(organization=org, held_on__year=year)
        .values_list("kind", "held_on")
    ):
        held[(kind, held_on.month)] += 1
    rows = []
    for month in range(1, 13):
        cells = []
        for kind in kinds:
            found = None
            for (k, slot), status in slots.items():
                if k == kind and slot.start.month == month:
                    found = (slot, status)
                    break
            if found is None:
                # Covered by a quarterly or yearly cell above, or no slot (not yet founded).
                covered = any(
                    k == kind and slot.start.month < month <= slot.end.month for (k, slot) in slots
                )
                cells.append(None if covered else {"status": "none", "label": "—", "span": 1})
                continue
            slot, status = found
            span = slot.end.month - slot.start.month + 1
            count = sum(held[(kind, m)] for m in range(slot.start.month, slot.end.month + 1))
            cells.append(
                {
                    "status": status,
                    "label": STATUS_LABELS[status],
                    "span": span,
                    "slot": str(slot),
                    "count": count,
                }
            )
        rows.append({"month": month, "cells": cells})
    return {
        "kinds": [{"code": k, "label": MeetingKind(k).label} for k in kinds],
        "rows": rows,
        "total": _tally_row(result["by_org"].get(org.pk, rules.Tally())),
    }


@login_required
def calendar(request, code):
    org = _get_org(request, code)
    today = timezone.localdate()
    year = _year(request, today.year)
    grid = calendar_grid(org, year, today)
    context = _context(
        request,
        org,
        "calendar",
        year=year,
        years=[year - 1, year + 1] if year < today.year else [year - 1],
        grid=grid,
        legend=[
            (s, STATUS_LABELS[s]) for s in (rules.DONE, rules.LATE, rules.MISSING, rules.PENDING)
        ],
    )
    return render(request, "life/calendar.html", context)


# ---- meetings -----------------------------------------------------------------------------


def _count(rows):
    """The number of `rows` (attendance or attachments) of the outer meeting."""
    counted = (
        rows.filter(meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _meetings(user, org, params):
    qs = (
        Meeting.objects.filter(
            org_q(user, "organization__"), organization__path__startswith=org.path
        )
        .select_related("organization", "host")
        # Correlated counts, not joins: the database computes them only for the rows of
        # the page, not for every meeting of the county before paging.
        .annotate(
            n_present=_count(Attendance.objects.filter(status="present")),
            n_leave=_count(Attendance.objects.filter(status="leave")),
            n_absent=_count(Attendance.objects.filter(status="absent")),
            n_attachments=_count(Attachment.objects.all()),
        )
        .order_by("-held_on", "-id")
    )
    kind = params.get("kind", "")
    if kind in MeetingKind.values:
        qs = qs.filter(kind=kind)
    period = None
    if text := params.get("period", "").strip():
        try:
            period = Period.parse(text)
        except PeriodError:
            period = None
        else:
            qs = qs.filter(held_on__range=(period.start, period.end))
    if params.get("voided") != "1":
        qs = qs.filter(voided_on__isnull=True)
    return qs, kind, period


@login_required
def meeting_list(request, code):
    user = request.user
    org = _get_org(request, code)
    qs, kind, period = _meetings(user, org, request.GET)
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    offset = (page - 1) * PAGE_SIZE
    meetings = list(qs[offset : offset + PAGE_SIZE + 1])
    has_next = len(meetings) > PAGE_SIZE
    meetings = meetings[:PAGE_SIZE]
    for m in meetings:
        m.total = m.n_present + m.n_leave + m.n_absent
        m.rate_text = _pct(rules.attendance_rate(m.n_present, m.n_leave, m.n_absent))
    params = request.GET.copy()
    params.pop("page", None)
    context = _context(
        request,
        org,
        "meetings",
        meetings=meetings,
        page=page,
        has_next=has_next,
        kind=kind,
        kinds=MeetingKind.choices,
        period=period or "",
        voided=request.GET.get("voided") == "1",
        export_query=params.urlencode(),
    )
    return render(request, "life/meeting_list.html", context)


@login_required
def meeting_export(request, code):
    user = request.user
    org = _get_org(request, code)
    qs, kind, period = _meetings(user, org, request.GET)
    scope = f"{org.name}（{org.code}）及其下级组织"
    if kind:
        scope += f"，{MeetingKind(kind).label}"
    if period:
        scope += f"，{period}"
    out = exports.meetings(qs.iterator(chunk_size=1000), scope=scope, user=user)
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


@login_required
def meeting_new(request, code):
    user = request.user
    org = _get_org(request, code)
    if not _can_record(user, org):
        raise PermissionDenied
    attendees = services.eligible_attendees(org).order_by("name", "pk")
    attendance_errors = []
    if request.method == "POST":
        form = MeetingForm(request.POST, request.FILES, attendees=attendees)
        if form.is_valid():
            data = dict(form.cleaned_data)
            files = data.pop("attachments")
            host = data.pop("host")
            try:
                meeting = services.record_meeting(
                    org,
                    actor=user,
                    attendance=attendance_from_post(request.POST),
                    host=host,
                    attachments=files,
                    **data,
                )
            except ValidationError as error:
                attendance_errors = _split_errors(form, error, ("attendance",))
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("您没有权限进行此操作"))
            else:
                return redirect("life:meeting", pk=meeting.pk)
        rows = _attendee_rows(org, request.POST)
    else:
        initial = {"kind": request.GET.get("kind") or _default_kind(org)}
        form = MeetingForm(initial=initial, attendees=attendees)
        rows = _attendee_rows(org)
    context = _context(
        request,
        org,
        "meetings",
        form=form,
        attendees=rows,
        attendance_errors=attendance_errors,
        statuses=AttendanceStatus.choices,
    )
    return render(request, "life/meeting_form.html", context)


def _default_kind(org):
    return MeetingKind.GROUP_MEETING if org.kind == "group" else MeetingKind.THEME_DAY


def _split_errors(form, error, own_fields):
    """Apply a service error to the form; return the messages of `own_fields` (fields the
    page shows outside the form, e.g. the attendee list) instead of adding them."""
    kept = []
    if hasattr(error, "error_dict"):
        rest = {}
        for field, messages in error.message_dict.items():
            if field in own_fields:
                kept.extend(messages)
            else:
                rest[field] = messages
        if rest:
            apply_errors(form, ValidationError(rest))
    else:
        apply_errors(form, error)
    return kept


def _get_meeting(request, pk):
    return get_visible_or_404(
        Meeting.objects.filter(org_q(request.user, "organization__")).select_related(
            "organization", "host", "created_by"
        ),
        pk=pk,
    )


@login_required
def meeting_detail(request, pk, void_form=None):
    meeting = _get_meeting(request, pk)
    org = meeting.organization
    order = list(AttendanceStatus.values)
    attendance = sorted(
        meeting.attendance.select_related("member"),
        key=lambda a: (order.index(a.status), a.member.name),
    )
    summary = services.attendance_summary(meeting)
    can_void = _can_record(request.user, org) and not meeting.voided_on
    context = _context(
        request,
        org,
        "meetings",
        meeting=meeting,
        attendance=attendance,
        summary=summary,
        rate_text=_pct(summary["rate"]),
        attachments=list(meeting.attachments.all()),
        can_void=can_void,
        void_form=void_form or VoidForm(),
    )
    return render(request, "life/meeting_detail.html", context)


@login_required
@require_POST
def meeting_void(request, pk):
    meeting = _get_meeting(request, pk)
    if not _can_record(request.user, meeting.organization):
        raise PermissionDenied
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            services.void_meeting(
                meeting, reason=form.cleaned_data["void_reason"], actor=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("您没有权限进行此操作"))
        else:
            return redirect("life:meeting", pk=meeting.pk)
    return meeting_detail(request, pk, void_form=form)


@login_required
def attachment(request, pk):
    item = get_visible_or_404(
        Attachment.objects.filter(org_q(request.user, "meeting__organization__")), pk=pk
    )
    return serve_upload(item)


# ---- member review ------------------------------------------------------------------------


def _reviews(user, org, year):
    return (
        Review.objects.filter(
            org_q(user, "organization__"), organization__path__startswith=org.path, year=year
        )
        .select_related("organization", "member")
        .order_by("organization__path", "member__name")
    )


@login_required
def reviews(request, code):
    user = request.user
    org = _get_org(request, code)
    today = timezone.localdate()
    year = _year(request, today.year - 1 if today.month <= 3 else today.year)
    can_enter = _can_record(user, org) and org.kind in rules.BRANCH_LIKE and year <= today.year
    errors = []
    date_form = ReviewDateForm(request.POST or None)
    members = []
    if can_enter:
        members = list(
            Member.objects.active()
            .filter(organization__path__startswith=org.path)
            .order_by("status", "name", "pk")
        )
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied
        grades = grades_from_post(request.POST, [m.pk for m in members])
        if not grades:
            errors.append(_("请至少为一名党员选择评议等次"))
        elif date_form.is_valid():
            try:
                services.record_reviews(
                    org,
                    year,
                    grades,
                    reviewed_on=date_form.cleaned_data["reviewed_on"],
                    actor=user,
                )
            except ValidationError as error:
                errors = _split_errors(date_form, error, ("grade", "follow_up", "member", "year"))
            except PermissionDenied as error:
                errors.append(str(error))
            else:
                return redirect(reverse("life:reviews", args=[org.code]) + f"?year={year}&saved=1")
    existing = {r.member_id: r for r in Review.objects.filter(year=year, member__in=members)}
    entry = []
    for m in members:
        r = existing.get(m.pk)
        post = request.POST if request.method == "POST" else None
        entry.append(
            {
                "member": m,
                "probationary": m.status == Status.PROBATIONARY,
                "grade": post.get(f"grade_{m.pk}", "") if post else (r.grade if r else ""),
                "follow_up": post.get(f"follow_{m.pk}", "") if post else (r.follow_up if r else ""),
                "note": post.get(f"note_{m.pk}", "") if post else (r.follow_up_note if r else ""),
            }
        )
    summary = services.review_summary(org, year)
    listed = list(_reviews(user, org, year)[: LIST_LIMIT + 1])
    context = _context(
        request,
        org,
        "reviews",
        year=year,
        years=[year - 1, year + 1] if year < today.year else [year - 1],
        can_enter=can_enter,
        entry=entry,
        errors=errors,
        date_form=date_form,
        grades=GRADE_CHOICES,
        follow_ups=FOLLOW_UP_CHOICES,
        summary=[(label, summary[value]) for value, label in GRADE_CHOICES if value],
        listed=listed[:LIST_LIMIT],
        more=len(listed) > LIST_LIMIT,
        saved=request.GET.get("saved") == "1",
    )
    return render(request, "life/reviews.html", context)


@login_required
def reviews_export(request, code):
    user = request.user
    org = _get_org(request, code)
    year = _year(request, timezone.localdate().year)
    out = exports.reviews(
        _reviews(user, org, year).iterator(chunk_size=1000),
        scope=f"{org.name}（{org.code}）及其下级组织",
        year=year,
        user=user,
    )
    return xlsx_response(out, f"民主评议_{org.code}_{year}")


# ---- talks --------------------------------------------------------------------------------


def _talks(user, org, year):
    return (
        Talk.objects.filter(
            org_q(user, "organization__"),
            organization__path__startswith=org.path,
            held_on__year=year,
        )
        .select_related("organization", "initiator", "counterpart")
        .order_by("-held_on", "-id")
    )


@login_required
def talks(request, code):
    user = request.user
    org = _get_org(request, code)
    today = timezone.localdate()
    year = _year(request, today.year)
    can_enter = _can_record(user, org) and org.kind in CALENDAR_KINDS
    form = None
    if can_enter:
        members = services.eligible_attendees(org).order_by("name", "pk")
        form = TalkForm(request.POST or None, members=members)
        if request.method == "POST" and form.is_valid():
            try:
                services.record_talk(org, actor=user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("您没有权限进行此操作"))
            else:
                return redirect(reverse("life:talks", args=[org.code]) + f"?year={year}&saved=1")
    elif request.method == "POST":
        raise PermissionDenied
    coverage = services.talk_coverage(org, year)
    listed = list(_talks(user, org, year)[: LIST_LIMIT + 1])
    context = _context(
        request,
        org,
        "talks",
        year=year,
        years=[year - 1, year + 1] if year < today.year else [year - 1],
        form=form,
        coverage=coverage,
        member_rate=_pct(coverage["member_rate"]),
        pair_rate=_pct(coverage["committee_pair_rate"]),
        listed=listed[:LIST_LIMIT],
        more=len(listed) > LIST_LIMIT,
        saved=request.GET.get("saved") == "1",
    )
    return render(request, "life/talks.html", context)


@login_required
def talks_export(request, code):
    user = request.user
    org = _get_org(request, code)
    year = _year(request, timezone.localdate().year)
    out = exports.talks(
        _talks(user, org, year).iterator(chunk_size=1000),
        scope=f"{org.name}（{org.code}）及其下级组织",
        year=year,
        user=user,
    )
    return xlsx_response(out, f"谈心谈话_{org.code}_{year}")


# ---- participation records ----------------------------------------------------------------


def _participation(user, org, period):
    visible = _visible_ids(user, org)
    rows = [r for r in services.participation(org, period) if visible(r["branch"].pk)]
    rows.sort(key=lambda r: (r["branch"].path, r["leader"].member.name))
    return rows


@login_required
def participation(request, code):

    user = request.user
    org = _get_org(request, code)
    today = timezone.localdate()
    period, period_error = _period(request, Period(today.year))
    can_register = user.has_perm("members.change_member", org) and not org.is_dissolved
    form = LeaderForm(request.POST or None) if can_register else None
    if request.method == "POST":
        if not can_register:
            raise PermissionDenied
        if form.is_valid():
            try:
                member = member_named(user, org, form.cleaned_data["member"])
                services.register_leader(member, title=form.cleaned_data["title"], actor=user)
            except ValidationError as error:
                apply_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("您没有权限进行此操作"))
            else:
                return redirect(
                    reverse("life:participation", args=[org.code]) + f"?period={period}"
                )
    rows = _participation(user, org, period)
    for r in rows:
        r["rate_text"] = _pct(r["rate"])
    context = _context(
        request,
        org,
        "participation",
        period=period,
        period_error=period_error,
        rows=rows,
        form=form,
    )
    return render(request, "life/participation.html", context)


@login_required
def participation_export(request, code):
    user = request.user
    org = _get_org(request, code)
    period, _error = _period(request, Period(timezone.localdate().year))
    out = exports.participation(
        _participation(user, org, period),
        scope=f"{org.name}（{org.code}）及其下级组织",
        period=period,
        user=user,
    )
    return xlsx_response(out, f"组织生活纪实_{org.code}_{period}")
