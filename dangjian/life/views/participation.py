"""Participation records (组织生活纪实): registering leading cadres and how they attended
their own branch's organizational life, with the export."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from dangjian.core.files import xlsx_response
from dangjian.core.forms import run_service
from dangjian.core.periods import Period
from dangjian.core.toolkit import by_level, rate_text, subtree_phrase
from dangjian.members.selectors import member_named

from .. import exports, selectors, services
from ..forms import LeaderForm
from .common import context, get_org, period_of


def _register(user, org, data):
    member = member_named(user, org, data["member"])
    return services.register_leader(member, title=data["title"], actor=user)


@login_required
def participation(request, code):
    user = request.user
    org = get_org(request, code)
    today = timezone.localdate()
    period, period_error = period_of(request, Period(today.year))
    can_register = user.has_perm("members.change_member", org) and not org.is_dissolved
    form = LeaderForm(request.POST or None) if can_register else None
    if request.method == "POST":
        if not can_register:
            raise PermissionDenied
        if form.is_valid():
            leader = run_service(form, lambda: _register(user, org, form.cleaned_data))
            if leader is not None:
                return redirect(
                    reverse("life:participation", args=[org.code]) + f"?period={period}"
                )
    rows = selectors.participation(user, org, period)
    for r in rows:
        r["rate_text"] = rate_text(r["rate"])
    page = context(
        request,
        org,
        "participation",
        period=period,
        period_error=period_error,
        rows=rows,
        form=form,
    )
    return render(request, "life/participation.html", page)


@login_required
def participation_export(request, code):
    user = request.user
    org = get_org(request, code)
    period, _error = period_of(request, Period(timezone.localdate().year))
    out = exports.participation(
        selectors.participation(user, org, period),
        top=org,
        scope=subtree_phrase(org),
        period=period,
        by_level=by_level(request),
        user=user,
    )
    return xlsx_response(out, f"组织生活纪实_{org.code}_{period}")
