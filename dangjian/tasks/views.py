"""Pages of the list-based mechanism: to-do list, assignments (交办单), report-backs (晒账单)
and their board, pledges, monthly work meetings and secretary projects.

Every lookup starts from the scoping helpers: an assignment is reachable by the users who
manage its issuer and by those who can see one of its report-backs
(`services.visible_report_backs`); anything else is a 404. Every write goes through
`tasks.services`, which checks permissions again and audits.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET

from dangjian.accounts.scoping import (
    covers,
    get_visible_or_404,
    is_unrestricted,
    managed_paths,
    org_q,
    own_org_ids,
)
from dangjian.core.files import serve_upload, xlsx_response
from dangjian.core.forms import apply_errors
from dangjian.members.models import Member
from dangjian.orgs.models import Kind, OfficerRole, Organization
from dangjian.orgs.selectors import home_organization, visible_orgs

from . import exports, forms, rules, services
from .models import (
    Assignment,
    AssignmentStatus,
    FieldType,
    Pledge,
    ProjectPhoto,
    ReportBack,
    ReportBackFile,
    ReportStatus,
    SecretaryProject,
    WorkMeeting,
)

PAGE_SIZE = 50
ISSUING_KINDS = (Kind.COMMITTEE, Kind.WORKING_COMMITTEE, Kind.GENERAL_BRANCH)
STATUS_FILTERS = [*ReportStatus.choices, ("late", gettext_noop("逾期"))]


# ---- helpers ------------------------------------------------------------------------------


def _page(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _paginate(request, qs, size=PAGE_SIZE):
    page = _page(request)
    rows = list(qs[(page - 1) * size : page * size + 1])
    return rows[:size], {"page": page, "has_next": len(rows) > size, "has_previous": page > 1}


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def issuing_orgs(user, extra_code=None) -> list[Organization]:
    """Organizations the user may act for as the upper level: the ones they manage, and the
    committees / general branches directly below those (a county admin issuing for a
    township). `extra_code` adds any other organization the user manages (a link's ?org=)."""
    if is_unrestricted(user):
        paths = list(Organization.get_root_nodes().values_list("path", flat=True))
    else:
        paths = managed_paths(user)
    q = Q(pk__in=[])
    for p in paths:
        depth = len(p) // Organization.steplen
        q |= Q(path=p) | Q(path__startswith=p, depth=depth + 1, kind__in=ISSUING_KINDS)
    orgs = list(Organization.objects.active().filter(q).order_by("path")[:500])
    code = (extra_code or "").strip().upper()
    if code and code not in {o.code for o in orgs}:
        extra = Organization.objects.active().filter(code=code).first()
        if extra is not None and covers(user, extra):
            orgs.insert(0, extra)
    return orgs


def _can_issue_somewhere(user) -> bool:
    if is_unrestricted(user):
        return True
    kinds = set(ISSUING_KINDS)
    return Organization.objects.filter(pk__in=own_org_ids(user), kind__in=kinds).exists()


def _run(form, action, field_map=None):
    """Run a service; on its errors put them beside the form's fields and return None."""
    try:
        return action()
    except ValidationError as error:
        if field_map and hasattr(error, "error_dict"):
            for field, messages_ in error.message_dict.items():
                target = field_map.get(field, field)
                target = target if target in form.fields else None
                for message in messages_:
                    form.add_error(target, message)
        else:
            apply_errors(form, error)
    except PermissionDenied as error:
        form.add_error(None, str(error) or _("您没有权限进行此操作"))
    return None


def late_of(rb, today) -> bool:
    reported = timezone.localtime(rb.first_reported_at).date() if rb.first_reported_at else None
    return rules.is_late(rb.assignment.deadline, reported, today)


def display_value(field, value):
    if value is None or value == "":
        return ""
    if field.type == FieldType.BOOLEAN:
        return _("是") if value else _("否")
    return value


def _summaries(user, assignment_ids):
    """Counts by status of the report-backs the user may see, per assignment (one query)."""
    rows = (
        ReportBack.objects.filter(assignment_id__in=assignment_ids)
        .filter(org_q(user, "organization__"))
        .values("assignment_id")
        .annotate(
            receivers=Count("id"),
            done=Count("id", filter=Q(status__in=[ReportStatus.REPORTED, ReportStatus.ACCEPTED])),
            accepted=Count("id", filter=Q(status=ReportStatus.ACCEPTED)),
            returned=Count("id", filter=Q(status=ReportStatus.RETURNED)),
        )
        .order_by()
    )
    return {r["assignment_id"]: r for r in rows}


def _with_summaries(user, assignments, today):
    summaries = _summaries(user, [a.pk for a in assignments])
    for a in assignments:
        s = summaries.get(a.pk, {"receivers": 0, "done": 0, "accepted": 0, "returned": 0})
        a.summary = s
        a.percent = round(s["done"] * 100 / s["receivers"]) if s["receivers"] else 0
        a.overdue = today > a.deadline and s["done"] < s["receivers"]
    return assignments


# ---- home and lists ----------------------------------------------------------------------


@login_required
def home(request):
    user = request.user
    today = timezone.localdate()
    todo_qs = services.todo(user)
    todo = list(todo_qs[:20])
    for rb in todo:
        rb.late = late_of(rb, today)
    issued = list(
        Assignment.objects.filter(org_q(user, "issuer__"))
        .select_related("issuer")
        .order_by("-starts_on", "-id")[:10]
    )
    _with_summaries(user, issued, today)
    own_ids = own_org_ids(user)
    year = today.year
    pledges = list(
        Pledge.objects.filter(org_q(user, "organization__"), year=year)
        .filter(Q(organization_id__in=own_ids) | Q(issuer_id__in=own_ids) | Q(pk__in=[]))
        .select_related("issuer", "organization")
        .prefetch_related("targets__cascaded__cascaded__cascaded")
        .order_by("organization__path")[:20]
    )
    for p in pledges:
        _pledge_summary(p)
    reminders = []
    if own_ids:
        from dangjian.core.models import Reminder

        reminders = list(
            Reminder.objects.filter(
                organization_id__in=own_ids, key__startswith="tasks:", due_on__gte=today
            )
            .select_related("organization")
            .order_by("due_on")[:10]
        )
    context = {
        "nav": "tasks",
        "today": today,
        "todo": todo,
        "todo_total": todo_qs.count() if len(todo) == 20 else len(todo),
        "pending_below": services.pending_below(user),
        "issued": issued,
        "pledges": pledges,
        "year": year,
        "reminders": reminders,
        "can_issue": _can_issue_somewhere(user),
        "home_org": home_organization(user),
    }
    return render(request, "tasks/home.html", context)


def _assignments(request):
    """(tab, queryset) of the assignments list: issued by or received within the user's scope."""
    user = request.user
    tab = "received" if request.GET.get("tab") == "received" else "issued"
    issued_q = org_q(user, "issuer__")
    if tab == "issued":
        qs = Assignment.objects.filter(issued_q)
    else:
        mine = ReportBack.objects.filter(assignment=OuterRef("pk")).filter(
            org_q(user, "organization__")
        )
        qs = Assignment.objects.filter(Exists(mine)).exclude(issued_q)
    return tab, qs.select_related("issuer").order_by("-starts_on", "-id")


@login_required
def assignment_list(request):
    user = request.user
    today = timezone.localdate()
    tab, qs = _assignments(request)
    rows, pager = _paginate(request, qs, 30)
    _with_summaries(user, rows, today)
    return render(
        request,
        "tasks/assignments.html",
        {
            "nav": "tasks",
            "tab": tab,
            "assignments": rows,
            "today": today,
            **pager,
            "can_issue": _can_issue_somewhere(user),
        },
    )


@login_required
def assignments_export(request):
    tab, qs = _assignments(request)
    rows = _with_summaries(request.user, list(qs), timezone.localdate())
    title = "收到的交办单" if tab == "received" else "下发的交办单"
    return xlsx_response(exports.assignments(rows, title=title, user=request.user), title)


# ---- assignments ------------------------------------------------------------------------


def _assignment(request, pk) -> tuple[Assignment, bool]:
    """The assignment if the user manages its issuer or sees one of its report-backs."""
    assignment = Assignment.objects.select_related("issuer").filter(pk=pk).first()
    if assignment is None:
        raise Http404
    issuer_side = covers(request.user, assignment.issuer)
    if not issuer_side and not services.visible_report_backs(request.user, assignment).exists():
        raise Http404
    return assignment, issuer_side


def _issue_context(request, form, rows, *, fields_errors=()):
    return {
        "nav": "tasks",
        "form": form,
        "rows": rows,
        "fields_errors": list(fields_errors),
        "bindings": forms.binding_choices()[1:],
    }


@login_required
def issue(request):
    user = request.user
    issuers = issuing_orgs(user, request.GET.get("org") or request.POST.get("issuer"))
    if not issuers:
        raise PermissionDenied(_("您没有可以下发交办单的组织"))
    fields_errors = []
    if request.method == "POST":
        form = forms.AssignmentForm(request.POST, issuers=issuers)
        adding = "add_row" in request.POST
        rows = forms.field_rowset(request.POST, add_row=adding)
        if not adding and form.is_valid() & rows.is_valid():
            data = form.cleaned_data
            issuer = next(o for o in issuers if o.code == data["issuer"])
            fields = [r.as_field() for r in rows.forms if not r.is_blank()]

            def run():
                return services.issue(
                    issuer,
                    title=data["title"],
                    content=data["content"],
                    starts_on=data["starts_on"],
                    deadline=data["deadline"],
                    receivers=form.receivers(),
                    fields=fields,
                    text_required=data["text_required"],
                    attachments_required=data["attachments_required"],
                    board_shared=data["board_shared"],
                    actor=user,
                )

            try:
                assignment = run()
            except ValidationError as error:
                for key, msgs in error.message_dict.items():
                    if key == "fields":
                        fields_errors.extend(msgs)
                        continue
                    target = {"receivers": "mode"}.get(key, key)
                    for m in msgs:
                        form.add_error(target if target in form.fields else None, m)
            except PermissionDenied as error:
                form.add_error("issuer", str(error))
            else:
                n = assignment.report_backs.count()
                messages.success(request, _("交办单已下发给%(n)s个组织") % {"n": n})
                return redirect("tasks:board", pk=assignment.pk)
    else:
        initial = {"issuer": (request.GET.get("org") or "").strip().upper() or issuers[0].code}
        form = forms.AssignmentForm(issuers=issuers, initial=initial)
        rows = forms.field_rowset()
    return render(
        request,
        "tasks/issue.html",
        _issue_context(request, form, rows, fields_errors=fields_errors),
    )


@login_required
@require_GET
def receivers_preview(request):
    """htmx fragment: how many organizations the receivers chosen so far select."""
    user = request.user
    code = (request.GET.get("issuer") or "").strip().upper()
    issuer = get_visible_or_404(visible_orgs(user), code=code)
    if not covers(user, issuer):
        raise Http404
    mode = request.GET.get("mode") or "subtree"
    spec = {"mode": mode}
    if mode == "orgs":
        spec["codes"] = forms.split_codes(request.GET.get("codes"))
    elif mode == "filter":
        for key in ("levels", "sectors", "kinds"):
            if values := request.GET.getlist(key):
                spec[key] = values
        if under := forms.split_codes(request.GET.get("under")):
            spec["under"] = under
    error, count, names = None, 0, []
    try:
        qs = services.select_receivers(issuer, spec)
        count = qs.count()
        names = list(qs.order_by("path").values_list("name", flat=True)[:8])
    except ValidationError as e:
        error = "；".join(e.messages)
    return render(
        request,
        "tasks/_receivers_preview.html",
        {"error": error, "count": count, "names": names, "more": count > len(names)},
    )


def _progress_scope(request, assignment):
    """The organization the progress is shown for: ?org=CODE within the user's scope and
    the issuer's subtree; by default the top of that."""
    scope = visible_orgs(request.user).filter(path__startswith=assignment.issuer.path)
    code = (request.GET.get("org") or "").strip().upper()
    if code:
        return scope, get_visible_or_404(scope, code=code), True
    org = scope.order_by("depth", "path").first()
    if org is None:
        raise Http404
    return scope, org, False


def _board_report_backs(request, assignment, org, narrowed, today):
    qs = services.visible_report_backs(request.user, assignment)
    if narrowed:
        qs = qs.filter(path__startswith=org.path)  # the report-back's copy: no join
    status = request.GET.get("status") or ""
    if status in ReportStatus.values:
        qs = qs.filter(status=status)
    elif status == "late":
        late = Q(first_reported_at__date__gt=assignment.deadline)
        if today > assignment.deadline:
            late |= Q(first_reported_at__isnull=True)
        qs = qs.filter(late)
    return qs, status


@login_required
def board(request, pk):
    """The report-back board (晒账单) of one assignment, its progress roll-up and history."""
    user = request.user
    assignment, issuer_side = _assignment(request, pk)
    today = timezone.localdate()
    scope, org, narrowed = _progress_scope(request, assignment)
    rows = services.progress(assignment, org, today=today)
    linkable = set(
        scope.filter(pk__in=[r["organization"].pk for r in rows]).values_list("pk", flat=True)
    )
    for r in rows:
        r["own"] = r["organization"].pk == org.pk
        r["linkable"] = not r["own"] and r["organization"].pk in linkable
        r["percent"] = (
            round((r["reported"] + r["accepted"]) * 100 / r["receivers"]) if r["receivers"] else 0
        )
    total = services.totals(rows)
    total["percent"] = (
        round((total["reported"] + total["accepted"]) * 100 / total["receivers"])
        if total["receivers"]
        else 0
    )
    fields = services.fields_of(assignment)
    sums = services.summed_values(assignment, org)
    summed = [{"field": f, "value": sums[f.key]} for f in fields if f.key in sums]
    qs, status = _board_report_backs(request, assignment, org, narrowed, today)
    qs = qs.select_related("organization").prefetch_related("files").order_by("path")
    report_backs, pager = _paginate(request, qs)
    for rb in report_backs:
        rb.assignment = assignment
        rb.late = late_of(rb, today)
        rb.cells = [display_value(f, rb.values.get(f.key)) for f in fields]
    crumbs = list(scope.filter(path__in=org.ancestor_paths()[:-1]).order_by("depth"))
    own = list(
        assignment.report_backs.filter(organization_id__in=own_org_ids(user)).select_related(
            "organization"
        )
    )
    can_manage = user.has_perm("tasks.issue", assignment.issuer)
    context = {
        "nav": "tasks",
        "assignment": assignment,
        "active": assignment.status == AssignmentStatus.ACTIVE,
        "issuer_side": issuer_side,
        "can_manage": can_manage,
        "org": org,
        "narrowed": narrowed,
        "crumbs": crumbs,
        "rows": rows,
        "total": total,
        "fields": fields,
        "summed": summed,
        "report_backs": report_backs,
        "status": status,
        "status_filters": STATUS_FILTERS,
        "own": own,
        "today": today,
        "overdue": today > assignment.deadline,
        "revisions": _revision_rows(assignment) if issuer_side or own else [],
        "export_query": request.GET.urlencode() if narrowed else "",
        **pager,
    }
    return render(request, "tasks/board.html", context)


# Translated when shown (_revision_rows).
REVISION_LABELS = {
    "title": gettext_noop("标题"),
    "content": gettext_noop("工作内容"),
    "deadline": gettext_noop("截止日期"),
    "text_required": gettext_noop("须填写文字说明"),
    "attachments_required": gettext_noop("至少附件数"),
}


def _revision_rows(assignment):
    out = []
    for rev in assignment.revisions.select_related("by"):
        changes = []
        for key, (old, new) in (rev.changes or {}).items():
            label = _(REVISION_LABELS.get(key, key))
            if isinstance(old, bool) or isinstance(new, bool):
                old, new = (_("是") if old else _("否")), (_("是") if new else _("否"))
            changes.append((label, old, new))
        out.append({"revision": rev, "changes": changes})
    return out


@login_required
def export(request, pk):
    """The whole report-back ledger of an assignment as .xlsx, scoped like the board."""
    assignment, _issuer_side = _assignment(request, pk)
    today = timezone.localdate()
    _scope, org, narrowed = _progress_scope(request, assignment)
    qs, _status = _board_report_backs(request, assignment, org, narrowed, today)
    out = exports.export_report_backs(request.user, assignment, qs, today=today)
    return xlsx_response(out, exports.export_filename(assignment))


def _manage(request, pk):
    assignment, _issuer_side = _assignment(request, pk)
    if not request.user.has_perm("tasks.issue", assignment.issuer):
        raise PermissionDenied(_("您无权修改该交办单"))
    return assignment


@login_required
def revise(request, pk):
    assignment = _manage(request, pk)
    if request.method == "POST":
        form = forms.ReviseForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            reason = data.pop("reason")
            done = _run(
                form,
                lambda: services.revise(assignment, reason=reason, actor=request.user, **data),
                {"status": None},
            )
            if done:
                messages.success(request, _("交办单已修改，已通知全部接收组织"))
                return redirect("tasks:board", pk=assignment.pk)
    else:
        form = forms.ReviseForm(initial={f: getattr(assignment, f) for f in services.REVISABLE})
    return render(
        request,
        "tasks/form.html",
        {
            "nav": "tasks",
            "form": form,
            "title": _("修改交办单：%(title)s") % {"title": assignment.title},
            "back": reverse("tasks:board", args=[assignment.pk]),
            "back_name": assignment.title,
        },
    )


@login_required
def withdraw(request, pk):
    assignment = _manage(request, pk)
    form = forms.ReasonForm(request.POST or None)
    form.fields["reason"].label = _("撤回原因")
    if request.method == "POST" and form.is_valid():
        done = _run(
            form,
            lambda: services.withdraw(
                assignment, reason=form.cleaned_data["reason"], actor=request.user
            ),
            {"status": None},
        )
        if done:
            messages.success(request, _("交办单已撤回，已通知全部接收组织"))
            return redirect("tasks:board", pk=assignment.pk)
    return render(
        request,
        "tasks/form.html",
        {
            "nav": "tasks",
            "form": form,
            "title": _("撤回交办单：%(title)s") % {"title": assignment.title},
            "back": reverse("tasks:board", args=[assignment.pk]),
            "back_name": assignment.title,
            "danger": True,
        },
    )


# ---- report-backs -------------------------------------------------------------------------


def _report_back(request, pk) -> ReportBack:
    rb = (
        ReportBack.objects.select_related("assignment__issuer", "organization")
        .filter(pk=pk)
        .first()
    )
    if rb is None:
        raise Http404
    if not services.visible_report_backs(request.user, rb.assignment).filter(pk=rb.pk).exists():
        raise Http404
    return rb


def _report_allowed(user, rb, today) -> bool:
    a = rb.assignment
    if a.status != AssignmentStatus.ACTIVE or not user.has_perm("tasks.report", rb.organization):
        return False
    if rb.status == ReportStatus.ACCEPTED or today < a.starts_on:
        return False
    return not (rb.status == ReportStatus.REPORTED and today > a.deadline)


@login_required
def report_back(request, pk):
    """One receiver's report-back: the form for the receiver, accept / return for the issuer."""
    user = request.user
    rb = _report_back(request, pk)
    a = rb.assignment
    today = timezone.localdate()
    fields = services.fields_of(a)
    can_report = user.has_perm("tasks.report", rb.organization)
    can_review = user.has_perm("tasks.issue", a.issuer) and a.status == AssignmentStatus.ACTIVE
    action = request.POST.get("action", "report") if request.method == "POST" else None
    form = return_form = None
    if action == "accept":
        if _run_message(request, lambda: services.accept(rb, actor=user)):
            messages.success(request, _("已通过该晒账单"))
        return redirect("tasks:report", pk=rb.pk)
    if action == "return":
        return_form = forms.ReasonForm(request.POST)
        return_form.fields["reason"].label = _("退回原因")
        if return_form.is_valid():
            done = _run(
                return_form,
                lambda: services.return_(rb, reason=return_form.cleaned_data["reason"], actor=user),
                {"status": None},
            )
            if done:
                messages.success(request, _("已退回，接收组织会收到提醒"))
                return redirect("tasks:report", pk=rb.pk)
    if action == "report":
        form = forms.ReportForm(request.POST, request.FILES, assignment_fields=fields, assignment=a)
        if form.is_valid():
            field_map = {f.key: forms.value_name(f.key) for f in fields if not f.binding}
            field_map["status"] = None
            done = _run(
                form,
                lambda: services.report(
                    rb,
                    values=form.values(),
                    text=form.cleaned_data["text"],
                    files=form.cleaned_data["files"],
                    actor=user,
                ),
                field_map,
            )
            if done:
                messages.success(request, _("晒账单已报送"))
                return redirect("tasks:report", pk=rb.pk)
        rb.refresh_from_db()
    show_form = form is not None or _report_allowed(user, rb, today)
    if form is None and show_form:
        initial = {
            forms.value_name(f.key): forms.initial_value(f, rb.values.get(f.key))
            for f in fields
            if not f.binding
        }
        initial["text"] = rb.text
        form = forms.ReportForm(initial=initial, assignment_fields=fields, assignment=a)
    if return_form is None and can_review and rb.status == ReportStatus.REPORTED:
        return_form = forms.ReasonForm()
        return_form.fields["reason"].label = _("退回原因")
    bound = services.prefill(rb) if show_form and any(f.binding for f in fields) else {}
    shown = [
        {
            "field": f,
            "value": display_value(f, rb.values.get(f.key)),
            "bound": bound.get(f.key) if f.binding else None,
        }
        for f in fields
    ]
    context = {
        "nav": "tasks",
        "rb": rb,
        "assignment": a,
        "fields": shown,
        "bound_fields": [s for s in shown if s["field"].binding],
        "form": form if show_form else None,
        "can_report": can_report,
        "can_review": can_review and rb.status == ReportStatus.REPORTED,
        "return_form": return_form,
        "late": late_of(rb, today),
        "files": list(rb.files.all()),
        "today": today,
        "withdrawn": a.status == AssignmentStatus.WITHDRAWN,
        "proxy": show_form and covers(user, rb.organization, strict=True),
    }
    return render(request, "tasks/report.html", context)


def _run_message(request, action):
    """Run a service without a form: its error becomes a message."""
    try:
        return action()
    except ValidationError as error:
        for m in error.messages:
            messages.error(request, m)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("您没有权限进行此操作"))
    return None


@login_required
def report_file(request, pk):
    """An attachment of a report-back, to those who may see the report-back."""
    f = ReportBackFile.objects.select_related("report_back__assignment").filter(pk=pk).first()
    if f is None:
        raise Http404
    rb = f.report_back
    if not services.visible_report_backs(request.user, rb.assignment).filter(pk=rb.pk).exists():
        raise Http404
    return serve_upload(f)


# ---- pledges ------------------------------------------------------------------------------


def _pledge_summary(pledge):
    targets = list(pledge.targets.all())
    pledge.n_targets = len(targets)
    pledge.n_met = sum(1 for t in targets if services.is_met(t))
    return pledge


def _pledges(request):
    """(year, org, queryset) of the pledges list: one year, optionally one org's subtree."""
    user = request.user
    year = _year(request)
    code = (request.GET.get("org") or "").strip().upper()
    org = get_visible_or_404(visible_orgs(user), code=code) if code else None
    qs = Pledge.objects.filter(org_q(user, "organization__"), year=year)
    if org is not None:  # the pledges received within one organization's subtree
        qs = qs.filter(organization__path__startswith=org.path)
    qs = (
        qs.select_related("issuer", "organization")
        .prefetch_related("targets__cascaded__cascaded__cascaded")
        .order_by("organization__path", "issuer__path")
    )
    return year, org, qs


@login_required
def pledge_list(request):
    user = request.user
    year, org, qs = _pledges(request)
    pledges, pager = _paginate(request, qs)
    for p in pledges:
        _pledge_summary(p)
    return render(
        request,
        "tasks/pledges.html",
        {
            "nav": "tasks",
            "pledges": pledges,
            "org": org,
            "year": year,
            "years": _years(year),
            **pager,
            "can_issue": _can_issue_somewhere(user),
        },
    )


@login_required
def pledges_export(request):
    year, org, qs = _pledges(request)
    scope = f"{org.name}（{org.code}）及其下级组织" if org else "本人管辖的全部组织"
    out = exports.pledge_targets(
        qs.iterator(chunk_size=500), scope=scope, year=year, user=request.user
    )
    return xlsx_response(out, f"目标责任书_{year}")


def _years(year):
    this = timezone.localdate().year
    return sorted({this + 1, this, this - 1, this - 2, year}, reverse=True)


@login_required
def pledge_create(request):
    user = request.user
    issuers = issuing_orgs(user, request.GET.get("issuer") or request.POST.get("issuer"))
    if not issuers:
        raise PermissionDenied(_("您没有可以下达目标责任书的组织"))
    if request.method == "POST":
        form = forms.PledgeForm(request.POST, issuers=issuers)
        adding = "add_row" in request.POST
        rows = forms.target_rowset(request.POST, add_row=adding)
        if not adding and form.is_valid() & rows.is_valid():
            data = form.cleaned_data
            issuer = next(o for o in issuers if o.code == data["issuer"])
            code = data["organization"].strip().upper()
            org = visible_orgs(user).filter(code=code).first()
            targets = [t for t in (r.as_target() for r in rows.forms) if t]
            if org is None:
                form.add_error(
                    "organization", _("未找到组织编码为“%(code)s”的组织") % {"code": code}
                )
            elif not targets:
                form.add_error(None, _("目标责任书至少要有一项目标"))
            else:
                pledge = _run(
                    form,
                    lambda: services.create_pledge(
                        issuer,
                        org,
                        year=data["year"],
                        title=data["title"],
                        targets=targets,
                        actor=user,
                    ),
                    {"targets": None},
                )
                if pledge:
                    messages.success(request, _("目标责任书已下达"))
                    return redirect("tasks:pledge", pk=pledge.pk)
    else:
        year = timezone.localdate().year
        issuer = (request.GET.get("issuer") or "").strip().upper() or issuers[0].code
        form = forms.PledgeForm(
            issuers=issuers,
            initial={
                "issuer": issuer,
                "organization": (request.GET.get("org") or "").strip().upper(),
                "year": year,
                "title": _("%(year)s年基层党建工作目标责任书") % {"year": year},
            },
        )
        rows = forms.target_rowset()
    children = []
    top = next((o for o in issuers if o.code == form["issuer"].value()), issuers[0])
    children = list(
        visible_orgs(user)
        .active()
        .filter(path__startswith=top.path, depth=top.depth + 1)
        .exclude(kind=Kind.GROUP)
        .order_by("path")[:500]
    )
    return render(
        request,
        "tasks/pledge_form.html",
        {"nav": "tasks", "form": form, "rows": rows, "children": children},
    )


def _children_for_cascade(user, org):
    return list(
        visible_orgs(user)
        .active()
        .filter(path__startswith=org.path, depth=org.depth + 1)
        .exclude(kind=Kind.GROUP)
        .order_by("path")[:500]
    )


@login_required
def pledge_detail(request, pk):
    user = request.user
    pledge = get_visible_or_404(
        Pledge.objects.filter(org_q(user, "organization__")).select_related(
            "issuer", "organization", "signed_by"
        ),
        pk=pk,
    )
    org = pledge.organization
    can_report = user.has_perm("tasks.report", org)
    can_cascade = user.has_perm("tasks.issue", org)
    children = _children_for_cascade(user, org) if can_cascade else []
    targets = list(
        pledge.targets.select_related("source__pledge__organization").prefetch_related(
            "cascaded__pledge__organization", "cascaded__cascaded__cascaded"
        )
    )
    errors_for = {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "sign":
            if _run_message(request, lambda: services.sign(pledge, actor=user)):
                messages.success(request, _("已签订目标责任书"))
            return redirect("tasks:pledge", pk=pledge.pk)
        target = next((t for t in targets if str(t.pk) == request.POST.get("target")), None)
        if target is None:
            raise Http404
        if action == "progress":
            form = forms.TargetProgressForm(request.POST, prefix=f"t{target.pk}")
            if form.is_valid():
                data = form.cleaned_data
                kwargs = {"progress_note": data["progress_note"]}
                if target.kind == "number":
                    kwargs["progress_value"] = data["progress_value"]
                else:
                    kwargs["met"] = data["met"]
                if _run(form, lambda: services.update_target(target, actor=user, **kwargs)):
                    messages.success(request, _("已更新目标进展"))
                    return redirect("tasks:pledge", pk=pledge.pk)
            errors_for[target.pk] = ("progress", form)
        elif action == "cascade":
            form = forms.CascadeForm(request.POST, prefix=f"c{target.pk}", children=children)
            if form.is_valid():
                chosen = [c for c in children if c.code in form.cleaned_data["organizations"]]
                if _run(form, lambda: services.cascade(target, chosen, actor=user)):
                    messages.success(request, _("目标已分解到%(n)s个下级组织") % {"n": len(chosen)})
                    return redirect("tasks:pledge", pk=pledge.pk)
            errors_for[target.pk] = ("cascade", form)
    rows = []
    for t in targets:
        kind, bad = errors_for.get(t.pk, (None, None))
        progress_form = (
            bad
            if kind == "progress"
            else forms.TargetProgressForm(
                prefix=f"t{t.pk}",
                initial={
                    "progress_value": t.progress_value,
                    "met": t.met,
                    "progress_note": t.progress_note,
                },
            )
        )
        cascade_form = (
            bad if kind == "cascade" else forms.CascadeForm(prefix=f"c{t.pk}", children=children)
        )
        effective = services.effective_progress(t)
        rows.append(
            {
                "target": t,
                "effective": effective,
                "met": services.is_met(t),
                "percent": (
                    min(100, round(effective * 100 / t.target_value))
                    if effective is not None and t.target_value
                    else None
                ),
                "parts": list(t.cascaded.all()),
                "progress_form": progress_form,
                "cascade_form": cascade_form,
                "open": kind,
            }
        )
    return render(
        request,
        "tasks/pledge.html",
        {
            "nav": "tasks",
            "pledge": pledge,
            "rows": rows,
            # Signing is the receiving organization's own act, not that of those above it.
            "can_sign": can_report and not pledge.signed_on and not covers(user, org, strict=True),
            "can_report": can_report,
            "can_cascade": can_cascade and bool(children),
        },
    )


# ---- work meetings --------------------------------------------------------------------------


def _work_meetings(user):
    return (
        WorkMeeting.objects.filter(org_q(user, "organization__"))
        .select_related("organization")
        .prefetch_related("assignments")
        .order_by("-held_on", "-id")
    )


@login_required
def meeting_list(request):
    user = request.user
    meetings, pager = _paginate(request, _work_meetings(user), 30)
    return render(
        request,
        "tasks/meetings.html",
        {
            "nav": "tasks",
            "meetings": meetings,
            **pager,
            "can_record": bool(issuing_orgs(user)) and not _member_only(user),
        },
    )


@login_required
def meetings_export(request):
    qs = _work_meetings(request.user).iterator(chunk_size=500)
    out = exports.work_meetings(qs, scope="本人管辖的全部组织", user=request.user)
    return xlsx_response(out, "工作例会")


def _member_only(user):
    return not is_unrestricted(user) and not managed_paths(user)


@login_required
def meeting_create(request):
    user = request.user
    if _member_only(user):
        raise PermissionDenied(_("您没有可以登记工作例会的组织"))
    organizations = issuing_orgs(user, request.GET.get("org"))
    since = timezone.localdate() - datetime.timedelta(days=120)
    assignments = list(
        Assignment.objects.filter(issuer__in=[o.pk for o in organizations], starts_on__gte=since)
        .select_related("issuer")
        .order_by("-starts_on")[:100]
    )
    form = forms.WorkMeetingForm(
        request.POST or None,
        organizations=organizations,
        assignments=assignments,
        initial={"organization": (request.GET.get("org") or "").upper() or organizations[0].code},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org = next(o for o in organizations if o.code == data["organization"])
        chosen = [a for a in assignments if str(a.pk) in data["assignments"]]
        meeting = _run(
            form,
            lambda: services.record_work_meeting(
                org,
                held_on=data["held_on"],
                month=data["month"],
                notes=data["notes"],
                attendees=data["attendees"],
                assignments=chosen,
                actor=user,
            ),
        )
        if meeting:
            messages.success(request, _("工作例会已登记"))
            return redirect("tasks:meetings")
    return render(
        request,
        "tasks/form.html",
        {
            "nav": "tasks",
            "form": form,
            "title": _("登记月度工作例会"),
            "back": reverse("tasks:meetings"),
            "back_name": _("工作例会"),
        },
    )


# ---- secretary projects ----------------------------------------------------------------------


def _projects(request):
    """(org, year, queryset) of the project showcase of an organization's subtree."""
    user = request.user
    code = (request.GET.get("org") or "").strip().upper()
    org = get_visible_or_404(visible_orgs(user), code=code) if code else home_organization(user)
    if org is None:
        raise Http404
    year = _year(request)
    qs = (
        SecretaryProject.objects.filter(
            org_q(user, "organization__"), organization__path__startswith=org.path, year=year
        )
        .select_related("organization", "secretary")
        .annotate(
            n_items=Count("items", distinct=True),
            n_done=Count("items", filter=Q(items__done=True), distinct=True),
            n_photos=Count("photos", distinct=True),
        )
        .order_by("organization__path", "id")
    )
    return org, year, qs


@login_required
def project_list(request):
    """Showcase of the secretary projects of an organization's subtree (a county's)."""
    user = request.user
    org, year, qs = _projects(request)
    projects, pager = _paginate(request, qs, 30)
    for p in projects:
        p.percent = round(p.n_done * 100 / p.n_items) if p.n_items else 0
    return render(
        request,
        "tasks/projects.html",
        {
            "nav": "tasks",
            "org": org,
            "year": year,
            "years": _years(year),
            "projects": projects,
            "can_create": user.has_perm("tasks.report", org),
            **pager,
        },
    )


@login_required
def projects_export(request):
    org, year, qs = _projects(request)
    out = exports.secretary_projects(
        qs.iterator(chunk_size=500),
        scope=f"{org.name}（{org.code}）及其下级组织",
        year=year,
        user=request.user,
    )
    return xlsx_response(out, f"书记项目_{org.code}_{year}")


def _secretaries(org):
    return list(
        Member.objects.filter(
            offices__organization=org,
            offices__role=OfficerRole.SECRETARY,
            offices__ended_on__isnull=True,
        ).distinct()
    )


@login_required
def project_create(request):
    user = request.user
    code = (request.GET.get("org") or "").strip().upper()
    org = get_visible_or_404(visible_orgs(user), code=code) if code else home_organization(user)
    if org is None:
        raise Http404
    if not user.has_perm("tasks.report", org):
        raise PermissionDenied(_("您无权登记该组织的书记项目"))
    secretaries = _secretaries(org)
    year = timezone.localdate().year
    if request.method == "POST":
        form = forms.ProjectForm(request.POST, secretaries=secretaries)
        try:
            post_year = int(request.POST.get("year", year))
        except ValueError:
            post_year = year
        adding = "add_row" in request.POST
        rows = forms.plan_rowset(request.POST, year=post_year, add_row=adding)
        if not adding and form.is_valid() & rows.is_valid():
            data = form.cleaned_data
            secretary = next(m for m in secretaries if str(m.pk) == data["secretary"])
            project = _run(
                form,
                lambda: services.create_project(
                    org,
                    secretary=secretary,
                    year=data["year"],
                    title=data["title"],
                    goal=data["goal"],
                    brand=data["brand"],
                    items=rows.items(),
                    actor=user,
                ),
                {"organization": None, "month": None, "text": None},
            )
            if project:
                messages.success(request, _("书记项目已登记"))
                return redirect("tasks:project", pk=project.pk)
    else:
        form = forms.ProjectForm(secretaries=secretaries, initial={"year": year})
        rows = forms.plan_rowset(year=year)
    return render(
        request,
        "tasks/project_form.html",
        {"nav": "tasks", "form": form, "rows": rows, "org": org, "secretaries": secretaries},
    )


@login_required
def project_detail(request, pk):
    user = request.user
    project = get_visible_or_404(
        SecretaryProject.objects.filter(org_q(user, "organization__")).select_related(
            "organization", "secretary"
        ),
        pk=pk,
    )
    can_edit = user.has_perm("tasks.report", project.organization)
    items = list(project.items.all())
    add_form = forms.PlanItemForm(prefix="new")
    results_form = forms.ProjectResultsForm(
        prefix="res", initial={"results": project.results, "brand": project.brand}
    )
    bad_item = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("您无权更新该书记项目"))
        action = request.POST.get("action")
        if action == "results":
            results_form = forms.ProjectResultsForm(request.POST, request.FILES, prefix="res")
            if results_form.is_valid():
                d = results_form.cleaned_data
                if _run(
                    results_form,
                    lambda: services.update_project(
                        project,
                        results=d["results"],
                        brand=d["brand"],
                        photos=d["photos"],
                        actor=user,
                    ),
                ):
                    messages.success(request, _("已保存项目成效"))
                    return redirect("tasks:project", pk=project.pk)
        elif action == "add":
            add_form = forms.PlanItemForm(request.POST, prefix="new")
            if add_form.is_valid():
                d = add_form.cleaned_data
                if _run(
                    add_form,
                    lambda: services.add_plan_item(
                        project, month=d["month"], text=d["text"], actor=user
                    ),
                ):
                    messages.success(request, _("已增加月度计划"))
                    return redirect("tasks:project", pk=project.pk)
        elif action == "item":
            item = next((i for i in items if str(i.pk) == request.POST.get("item")), None)
            if item is None:
                raise Http404
            form = forms.PlanProgressForm(request.POST, prefix=f"i{item.pk}")
            if form.is_valid():
                d = form.cleaned_data
                if _run(
                    form,
                    lambda: services.update_plan_item(
                        item, progress=d["progress"], done=d["done"], actor=user
                    ),
                ):
                    messages.success(request, _("已更新计划完成情况"))
                    return redirect("tasks:project", pk=project.pk)
            bad_item = (item.pk, form)
    for item in items:
        if bad_item and bad_item[0] == item.pk:
            item.form = bad_item[1]
        else:
            item.form = forms.PlanProgressForm(
                prefix=f"i{item.pk}", initial={"progress": item.progress, "done": item.done}
            )
    done = sum(1 for i in items if i.done)
    return render(
        request,
        "tasks/project.html",
        {
            "nav": "tasks",
            "project": project,
            "items": items,
            "done": done,
            "percent": round(done * 100 / len(items)) if items else 0,
            "can_edit": can_edit,
            "add_form": add_form,
            "results_form": results_form,
            "photos": list(project.photos.all()),
        },
    )


@login_required
def project_photo(request, pk):
    """A photo of a secretary project, to those who may see the project."""
    photo = get_visible_or_404(
        ProjectPhoto.objects.filter(org_q(request.user, "project__organization__")), pk=pk
    )
    return serve_upload(photo)
