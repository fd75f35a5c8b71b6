"""The desk's "新通报": notices issued in the last 30 days that reach the user."""

import datetime

from django.utils.translation import gettext as _

from dangjian.desk import registry

from . import selectors

RECENT_DAYS = 30


def recent_notices(user, today) -> list:
    notices = selectors.recent_for(user, today - datetime.timedelta(days=RECENT_DAYS))
    if not notices:
        return []
    lines = [
        registry.Line(f"{n.issued_on:%m-%d} {n.number} {n.title}", url=n.get_absolute_url())
        for n in notices
    ]
    from django.urls import reverse

    return [registry.Item(_("新通报"), lines, more_url=reverse("notices:list"))]


def register_all() -> None:
    registry.register(
        "notices.recent",
        recent_notices,
        roles=(registry.BRANCH, registry.UPPER, registry.MEMBER),
        order=800,
    )
