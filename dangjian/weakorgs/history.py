"""A flag (one organization's review of a year) has a history page: who flagged it by
hand, detected it, confirmed or dismissed it — for those who manage the organization."""

from django.urls import reverse

from dangjian.core.audit import history_target

from .models import Finding, Flag


def find_flag(user, pk):
    from . import selectors

    flag = selectors.find_flag(user, pk)
    return flag, flag.organization


def register():
    history_target(
        Flag,
        "weak_flag",
        find_flag,
        parts=lambda flag: [(Finding, list(flag.findings.values_list("pk", flat=True)))],
        url=lambda flag: reverse("weakorgs:flag", args=[flag.pk]),
    )
