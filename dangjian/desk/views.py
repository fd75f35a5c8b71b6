"""The work desk page: what the registry's providers give, one section per item."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from dangjian.orgs.selectors import home_organization

from . import registry


@login_required
def desk(request):
    today = timezone.localdate()
    return render(
        request,
        "desk/desk.html",
        {
            "nav": "desk",
            "today": today,
            "sections": registry.sections(request.user, today),
            "home_org": home_organization(request.user),
        },
    )
