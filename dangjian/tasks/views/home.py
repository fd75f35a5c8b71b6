"""The tasks home page: the user's to-do list, follow-ups below, issued work, pledges."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from dangjian.accounts.scoping import (
    own_org_ids,
)
from dangjian.core.reminders import upcoming as reminders_of
from dangjian.orgs.selectors import home_organization

from .. import selectors
from .common import (
    can_issue_somewhere,
    late_of,
    pledge_summary,
    with_summaries,
)


@login_required
def home(request):
    user = request.user
    today = timezone.localdate()
    todo_qs = selectors.todo(user)
    todo = list(todo_qs[:20])
    for rb in todo:
        rb.late = late_of(rb, today)
    issued = list(
        selectors.visible_assignments(user, selectors.ISSUED)
        .select_related("issuer")
        .order_by("-starts_on", "-id")[:10]
    )
    with_summaries(user, issued, today)
    own_ids = own_org_ids(user)
    year = today.year
    pledges = list(
        selectors.visible_pledges(user)
        .filter(year=year)
        .filter(Q(organization_id__in=own_ids) | Q(issuer_id__in=own_ids) | Q(pk__in=[]))
        .select_related("issuer", "organization")
        .prefetch_related("targets__cascaded__cascaded__cascaded")
        .order_by("organization__path")[:20]
    )
    for p in pledges:
        pledge_summary(p)
    reminders = list(reminders_of(own_ids, today, key_prefix="tasks:")) if own_ids else []
    context = {
        "nav": "tasks",
        "today": today,
        "todo": todo,
        "todo_total": todo_qs.count() if len(todo) == 20 else len(todo),
        "pending_below": selectors.pending_below(user, today),
        "issued": issued,
        "pledges": pledges,
        "year": year,
        "reminders": reminders,
        "can_issue": can_issue_somewhere(user),
        "home_org": home_organization(user),
    }
    return render(request, "tasks/home.html", context)
