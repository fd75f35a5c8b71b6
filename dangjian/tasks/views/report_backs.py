"""One report-back (晒账单): the receiver's form, the issuer's accept / return, files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scoping import (
    covers,
    get_visible_or_404,
)
from dangjian.core import staging
from dangjian.core.files import accepts_uploads, serve_upload
from dangjian.core.forms import run_service

from .. import forms, rules, selectors, services
from ..models import (
    AssignmentStatus,
    ReportBack,
    ReportStatus,
)
from .common import (
    display_value,
    late_of,
    run_message,
)


def _report_back(request, pk) -> ReportBack:
    return get_visible_or_404(
        selectors.visible_report_backs(request.user).select_related(
            "assignment__issuer", "organization"
        ),
        pk=pk,
    )


def _report_allowed(user, rb, today) -> bool:
    """The report form is shown when the service would take a report now
    (`rules.report_error`) and the user may report for the organization."""
    a = rb.assignment
    error = rules.report_error(
        rb.status,
        withdrawn=a.status == AssignmentStatus.WITHDRAWN,
        starts_on=a.starts_on,
        deadline=rb.effective_deadline,
        today=today,
    )
    return error is None and user.has_perm("tasks.report", rb.organization)


def _may_post(request, pk) -> bool:
    """Before the body is read: the user may report for this receiver or review it."""
    rb = _report_back(request, pk)
    user = request.user
    return user.has_perm("tasks.report", rb.organization) or user.has_perm(
        "tasks.issue", rb.assignment.issuer
    )


@accepts_uploads(gate=_may_post)
@login_required
def report_back(request, pk):
    """One receiver's report-back: the form for the receiver, accept / return for the issuer."""
    user = request.user
    rb = _report_back(request, pk)
    a = rb.assignment
    today = timezone.localdate()
    fields = services.fields_of(a)
    can_report = user.has_perm("tasks.report", rb.organization)
    can_review = services.can_review(user, rb) and a.status == AssignmentStatus.ACTIVE
    relay = services.relays_of(a, [rb.pk]).get(rb.pk)
    relayed = services.relayed_sums(rb, relay) if relay else {}
    action = request.POST.get("action", "report") if request.method == "POST" else None
    form = return_form = None
    if action == "accept":
        if run_message(request, lambda: services.accept(rb, actor=user)):
            messages.success(request, _("已通过该晒账单"))
        return redirect("tasks:report", pk=rb.pk)
    if action == "refresh_bound":
        if run_message(request, lambda: services.refresh_bound(rb, actor=user)):
            messages.success(request, _("已按系统记录更新数字"))
        return redirect("tasks:report", pk=rb.pk)
    if action == "return":
        return_form = forms.ReasonForm(request.POST, label=_("退回原因"))
        if return_form.is_valid():
            done = run_service(
                return_form,
                lambda: services.return_(rb, reason=return_form.cleaned_data["reason"], actor=user),
                {"status": None},
            )
            if done:
                messages.success(request, _("已退回，接收组织会收到提醒"))
                return redirect("tasks:report", pk=rb.pk)
    if action == "report":
        form = forms.ReportForm(
            request.POST, request.FILES, assignment_fields=fields, assignment=a, relayed=relayed
        )
        staging.bind(form, user)
        if form.is_valid():
            field_map = {f.key: forms.value_name(f.key) for f in fields if not f.binding}
            field_map["status"] = None
            done = run_service(
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
                staging.done(form)
                messages.success(request, _("晒账单已报送"))
                return redirect("tasks:report", pk=rb.pk)
        staging.keep(form)
        rb.refresh_from_db()
    show_form = form is not None or _report_allowed(user, rb, today)
    if form is None and show_form:
        # A relaying receiver fills its own part of the summed fields (as it reported it).
        initial = {
            forms.value_name(f.key): forms.initial_value(
                f, rb.own_values.get(f.key) if f.key in relayed else rb.values.get(f.key)
            )
            for f in fields
            if not f.binding
        }
        initial["text"] = rb.text
        form = forms.ReportForm(
            initial=initial, assignment_fields=fields, assignment=a, relayed=relayed
        )
    if return_form is None and can_review and rb.status == ReportStatus.REPORTED:
        return_form = forms.ReasonForm(label=_("退回原因"))
    bound = services.prefill(rb) if show_form and any(f.binding for f in fields) else {}
    shown = [
        {
            "field": f,
            "value": display_value(f, rb.values.get(f.key)),
            "bound": bound.get(f.key) if f.binding else None,
            "relayed": relayed.get(f.key),
            "own": rb.own_values.get(f.key),
            "relayed_then": rb.relayed_values.get(f.key),
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
        "chain": services.chain(a),
        "relay": relay,
        "relayed_fields": [s for s in shown if s["relayed"] is not None],
        "can_relay": services.can_relay(user, rb),
        "reviewer": services.reviewing_org(rb),
        "has_bound": any(f.binding for f in fields),
        "bound_as_of": services.bound_as_of(rb) if rb.reported_at else None,
    }
    return render(request, "tasks/report.html", context)


@login_required
def relay(request, pk):
    """Relay (转办) the assignment of a report-back to organizations under its receiver."""
    user = request.user
    rb = _report_back(request, pk)
    a = rb.assignment
    if not user.has_perm("tasks.report", rb.organization):
        raise PermissionDenied(_("您无权转办该组织收到的交办单"))
    candidates = list(services.relay_candidates(rb).order_by("path")[:500])
    default = [o.code for o in services.default_targets(rb)]
    if request.method == "POST":
        form = forms.RelayForm(request.POST, candidates=candidates)
        adding = "add_row" in request.POST
        rows = forms.field_rowset(request.POST, add_row=adding, blank_rows=2)
        if not adding and form.is_valid() & rows.is_valid():
            data = form.cleaned_data
            extra = [r.as_field() for r in rows.forms if not r.is_blank()]
            relayed = run_service(
                form,
                lambda: services.relay(
                    rb,
                    codes=data["codes"],
                    deadline=data["deadline"],
                    note=data["note"],
                    fields=extra,
                    actor=user,
                ),
                {"receivers": "codes", "status": None, "fields": None},
            )
            if relayed:
                n = relayed.report_backs.count()
                messages.success(request, _("已转办给%(n)s个组织") % {"n": n})
                return redirect("tasks:board", pk=relayed.pk)
    else:
        form = forms.RelayForm(
            candidates=candidates, initial={"codes": default, "deadline": rb.effective_deadline}
        )
        rows = forms.field_rowset(blank_rows=2)
    context = {
        "nav": "tasks",
        "rb": rb,
        "assignment": a,
        "chain": services.chain(a),
        "form": form,
        "rows": rows,
        "fields_errors": [],
    }
    return render(request, "tasks/relay.html", context)


@login_required
def report_file(request, pk):
    """An attachment of a report-back, to those who may see the report-back."""
    return serve_upload(
        get_visible_or_404(selectors.visible_report_back_files(request.user), pk=pk)
    )
