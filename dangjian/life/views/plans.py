"""Planned meetings (会议计划): planning, changing and cancelling one. The list is on the
organization's meetings page; recording a meeting from a plan is the meeting form with
?plan=<id>."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from dangjian.core.forms import run_service

from .. import selectors, services
from ..forms import CancelPlanForm, PlanForm
from .common import context, get_org


def _back(org) -> str:
    return reverse("life:meetings", args=[org.code]) + "#plans"


@login_required
def plan_new(request, code):
    org = get_org(request, code)
    if not selectors.can_record(request.user, org):
        raise PermissionDenied
    form = PlanForm(request.POST or None, org_kind=org.kind)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form, lambda: services.plan_meeting(org, actor=request.user, **form.cleaned_data)
        )
        if done is not None:
            return redirect(_back(org))
    page = context(request, org, "meetings", form=form, plan=None, back=_back(org))
    return render(request, "life/plan_form.html", page)


def _editable(request, pk):
    plan = selectors.plan(request.user, pk)
    if not selectors.can_record(request.user, plan.organization):
        raise PermissionDenied
    return plan


@login_required
def plan_edit(request, pk):
    plan = _editable(request, pk)
    org = plan.organization
    initial = {k: getattr(plan, k) for k in services.PLAN_FIELDS}
    form = PlanForm(request.POST or None, initial=initial, org_kind=org.kind)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form, lambda: services.edit_plan(plan, actor=request.user, **form.cleaned_data)
        )
        if done is not None:
            return redirect(_back(org))
    page = context(request, org, "meetings", form=form, plan=plan, back=_back(org))
    return render(request, "life/plan_form.html", page)


@login_required
def plan_cancel(request, pk):
    plan = _editable(request, pk)
    org = plan.organization
    form = CancelPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.cancel_plan(
                plan, reason=form.cleaned_data["cancel_reason"], actor=request.user
            ),
        )
        if done is not None:
            return redirect(_back(org))
    page = context(request, org, "meetings", form=form, plan=plan, back=_back(org))
    return render(request, "life/plan_cancel.html", page)
