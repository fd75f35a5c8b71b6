"""The records of serving the public with a history page (a pledge to the public, a
concern with its follow-ups), found through the selectors, so the page shows only what the
user may see (404 otherwise)."""

from django.urls import reverse

from dangjian.core.audit import history_target

from . import selectors
from .models import Concern, Pledge


def find_pledge(user, pk):
    pledge = selectors.find_pledge(user, pk)
    return pledge, pledge.organization


def find_concern(user, pk):
    concern = selectors.find_concern(user, pk)
    return concern, concern.organization


def register():
    history_target(
        Pledge,
        "public_pledge",
        find_pledge,
        url=lambda p: reverse("service:pledge", args=[p.pk]),
    )
    history_target(
        Concern,
        "concern",
        find_concern,
        url=lambda c: reverse("service:concern", args=[c.pk]),
        title=lambda c: f"{c.organization.name} · {c.get_category_display()} · {c.content[:30]}",
    )
