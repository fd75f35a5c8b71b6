"""Heart-to-heart talks (谈心谈话): entry for a branch or group, the year's coverage, the list
of a subtree and its export."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from dangjian.core.files import xlsx_response
from dangjian.core.forms import run_service
from dangjian.core.toolkit import by_level, rate_text, subtree_phrase

from .. import exports, selectors, services
from ..forms import TalkForm
from .common import CALENDAR_KINDS, LIST_LIMIT, context, get_org, year_of, years_around


@login_required
def talks(request, code):
    user = request.user
    org = get_org(request, code)
    today = timezone.localdate()
    year = year_of(request, today.year)
    can_enter = selectors.can_record(user, org) and org.kind in CALENDAR_KINDS
    form = None
    if can_enter:
        members = services.eligible_attendees(org).order_by("name", "pk")
        form = TalkForm(request.POST or None, members=members)
        if request.method == "POST" and form.is_valid():
            talk = run_service(
                form, lambda: services.record_talk(org, actor=user, **form.cleaned_data)
            )
            if talk is not None:
                return redirect(reverse("life:talks", args=[org.code]) + f"?year={year}&saved=1")
    elif request.method == "POST":
        raise PermissionDenied
    coverage = services.talk_coverage(org, year)
    listed = list(selectors.talks(user, org, year)[: LIST_LIMIT + 1])
    page = context(
        request,
        org,
        "talks",
        year=year,
        years=years_around(year, today),
        form=form,
        coverage=coverage,
        member_rate=rate_text(coverage["member_rate"]),
        pair_rate=rate_text(coverage["committee_pair_rate"]),
        listed=listed[:LIST_LIMIT],
        more=len(listed) > LIST_LIMIT,
        saved=request.GET.get("saved") == "1",
    )
    return render(request, "life/talks.html", page)


@login_required
def talks_export(request, code):
    user = request.user
    org = get_org(request, code)
    year = year_of(request, timezone.localdate().year)
    out = exports.talks(
        selectors.talks(user, org, year).iterator(chunk_size=1000),
        top=org,
        scope=subtree_phrase(org),
        year=year,
        by_level=by_level(request),
        user=user,
    )
    return xlsx_response(out, f"谈心谈话_{org.code}_{year}")
