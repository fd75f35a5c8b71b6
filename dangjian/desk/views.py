"""The work desk page: what the registry's providers give, one section per item; the page
of all current reminders and the "标为已读" action."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core import reminders as core_reminders
from dangjian.orgs.selectors import home_organization

from . import registry
from .reminders import current_reminders, line_text, reminder_for


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


@login_required
def reminders(request):
    """Every current reminder of the user's organizations, read ones marked as such."""
    today = timezone.localdate()
    rows = list(current_reminders(request.user, today)[:200])
    read = core_reminders.read_ids(request.user, rows)
    return render(
        request,
        "desk/reminders.html",
        {
            "nav": "desk",
            "today": today,
            "rows": [{"reminder": r, "text": line_text(r), "read": r.pk in read} for r in rows],
        },
    )


@login_required
@require_POST
def reminder_read(request, pk):
    reminder = reminder_for(request.user, pk, timezone.localdate())
    core_reminders.mark_read(request.user, reminder)
    messages.success(request, _("已标为已读：%(text)s") % {"text": reminder.text})
    back = request.POST.get("next")
    return redirect("desk:reminders" if back == "reminders" else "desk:home")
