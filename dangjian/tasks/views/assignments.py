"""Assignments (交办单): the list and its export, issuing, revising and withdrawing.

Who may see an assignment is `selectors.visible_assignments`; anything else is a 404.
Every write goes through `tasks.services`, which checks permissions again and audits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dangjian.accounts.scoping import (
    covers,
    get_visible_or_404,
)
from dangjian.core.files import xlsx_response
from dangjian.core.forms import normalize_code, run_service
from dangjian.core.toolkit import paginate
from dangjian.orgs.selectors import visible_orgs

from .. import exports, forms, selectors, services
from ..jobs import BACKGROUND_ISSUE_AT, issue_in_background, receiver_count
from ..models import (
    Assignment,
    Reviewer,
)
from .common import (
    can_issue_somewhere,
    issuing_orgs,
    run_message,
    with_summaries,
)


def _assignments(request):
    """(tab, queryset) of the assignments list: issued by or received within the user's scope."""
    tab = selectors.RECEIVED if request.GET.get("tab") == "received" else selectors.ISSUED
    qs = selectors.visible_assignments(request.user, tab)
    return tab, qs.select_related("issuer").order_by("-starts_on", "-id")


@login_required
def assignment_list(request):
    user = request.user
    today = timezone.localdate()
    tab, qs = _assignments(request)
    rows, pager = paginate(request, qs, 30)
    with_summaries(user, rows, today)
    return render(
        request,
        "tasks/assignments.html",
        {
            "nav": "tasks",
            "tab": tab,
            "assignments": rows,
            "today": today,
            **pager,
            "can_issue": can_issue_somewhere(user),
        },
    )


@login_required
def assignments_export(request):
    tab, qs = _assignments(request)
    rows = with_summaries(request.user, list(qs), timezone.localdate())
    title = "收到的交办单" if tab == "received" else "下发的交办单"
    return xlsx_response(exports.assignments(rows, title=title, user=request.user), title)


# ---- assignments ------------------------------------------------------------------------


def find_assignment(request, pk) -> tuple[Assignment, bool]:
    """The assignment if the user may see it (selectors.visible_assignments), and whether
    they see it from the issuer's side."""
    assignment = get_visible_or_404(
        selectors.visible_assignments(request.user).select_related("issuer"), pk=pk
    )
    return assignment, selectors.is_issuer_side(request.user, assignment)


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

            kwargs = dict(
                title=data["title"],
                content=data["content"],
                starts_on=data["starts_on"],
                deadline=data["deadline"],
                receivers=form.receivers(),
                fields=fields,
                text_required=data["text_required"],
                attachments_required=data["attachments_required"],
                board_shared=data["board_shared"],
                reviewer=data["reviewer"] or Reviewer.ISSUER,
            )
            job = assignment = None
            try:
                # Thousands of receivers: issued by the worker, the page follows its progress.
                if receiver_count(issuer, kwargs["receivers"]) > BACKGROUND_ISSUE_AT:
                    job = issue_in_background(user, issuer=issuer, **kwargs)
                else:
                    assignment = services.issue(issuer, actor=user, **kwargs)
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
                if job is not None:
                    return redirect("jobs:detail", id=job.pk)
                n = assignment.report_backs.count()
                messages.success(request, _("交办单已下发给%(n)s个组织") % {"n": n})
                return redirect("tasks:board", pk=assignment.pk)
    else:
        initial = {"issuer": normalize_code(request.GET.get("org")) or issuers[0].code}
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
    code = normalize_code(request.GET.get("issuer"))
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


def _manage(request, pk):
    assignment, _issuer_side = find_assignment(request, pk)
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
            done = run_service(
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
@require_POST
def urge(request, pk):
    """催报: remind the receivers that have not reported, then back to the desk."""
    assignment = _manage(request, pk)
    try:
        n = services.urge(assignment, actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        if n:
            messages.success(request, _("已向%(n)s个未报组织发出催报提醒") % {"n": n})
        else:
            messages.info(request, _("今天已催报过，或没有未报的组织"))
    return redirect("desk:home")


@login_required
@require_POST
def extend(request, pk):
    """延期: a later deadline for one receiver of the assignment (from the desk's line of
    report-backs not in, or the board's row); back where the form was."""
    assignment, _issuer_side = find_assignment(request, pk)
    form = forms.ExtendForm(request.POST)
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = ""
    back = back or reverse("tasks:board", args=[assignment.pk])
    if not form.is_valid():
        if "report_back" in form.errors:
            raise Http404
        for field, errors in form.errors.items():
            for e in errors:
                messages.error(request, f"{form.fields[field].label}：{e}")
        return redirect(back)
    rb = get_visible_or_404(
        selectors.visible_report_backs(request.user, assignment, action="act").select_related(
            "organization"
        ),
        pk=form.cleaned_data["report_back"],
    )
    rb.assignment = assignment
    done = run_message(
        request,
        lambda: services.extend_deadline(
            request.user, rb, form.cleaned_data["deadline"], form.cleaned_data["reason"]
        ),
    )
    if done:
        messages.success(
            request,
            _("%(org)s的晒账单已延期至%(date)s，该组织会收到提醒")
            % {"org": rb.organization.name, "date": done.deadline.isoformat()},
        )
    return redirect(back)


@login_required
def withdraw(request, pk):
    assignment = _manage(request, pk)
    form = forms.ReasonForm(request.POST or None)
    form.fields["reason"].label = _("撤回原因")
    if request.method == "POST" and form.is_valid():
        done = run_service(
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
