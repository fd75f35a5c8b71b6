"""The desk's own item: the reminders of the user's own organizations (core.reminders)."""

from django.utils.translation import gettext as _

from dangjian.accounts.scoping import own_org_ids
from dangjian.core.reminders import upcoming

from .registry import Item, Line

LIMIT = 10


def reminders_provider(user, today) -> list[Item]:
    """Reminders still current (their date not passed) of the organizations where the user
    holds a manager role. Reminders carry no read mark: they stay until their date passes."""
    ids = own_org_ids(user)
    rows = list(upcoming(ids, today, limit=LIMIT)) if ids else []
    lines = [
        Line(
            _("%(text)s（%(org)s，%(date)s前）")
            % {"text": r.text, "org": r.organization.name, "date": r.due_on.isoformat()}
        )
        for r in rows
    ]
    return [Item(_("提醒"), lines)]
