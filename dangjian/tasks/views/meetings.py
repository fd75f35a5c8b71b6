"""Monthly work meetings (工作例会): the list, its export, recording one."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.files import xlsx_response
from dangjian.core.forms import normalize_code, run_service
from dangjian.core.toolkit import paginate

from .. import exports, forms, selectors, services
from ..models import (
    Assignment,
)
from .common import (
    issuing_orgs,
    member_only,
)


def _work_meetings(user):
    return (
        selectors.visible_work_meetings(user)
        .select_related("organization")
        .prefetch_related("assignments")
        .order_by("-held_on", "-id")
    )


@login_required
def meeting_list(request):
    user = request.user
    meetings, pager = paginate(request, _work_meetings(user), 30)
    return render(
        request,
        "tasks/meetings.html",
        {
            "nav": "tasks",
            "meetings": meetings,
            **pager,
            "can_record": bool(issuing_orgs(user)) and not member_only(user),
        },
    )


@login_required
def meetings_export(request):
    qs = _work_meetings(request.user).iterator(chunk_size=500)
    out = exports.work_meetings(qs, scope="本人管辖的全部组织", user=request.user)
    return xlsx_response(out, "工作例会")


@login_required
def meeting_create(request):
    user = request.user
    if member_only(user):
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
        initial={"organization": normalize_code(request.GET.get("org")) or organizations[0].code},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org = next(o for o in organizations if o.code == data["organization"])
        chosen = [a for a in assignments if str(a.pk) in data["assignments"]]
        meeting = run_service(
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
