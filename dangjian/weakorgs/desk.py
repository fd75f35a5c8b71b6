"""Weak organizations on the work desk: for the county, the candidates awaiting its
decision; for a township, the weak organizations below it this year (their rectification
is its work)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.desk.registry import UPPER, Item, Line, orgs_of, register

from . import selectors
from .models import FlagStatus

LIMIT = 20


def weak_orgs(user, today) -> list[Item]:
    items = []
    for org in orgs_of(user, UPPER):
        if user.has_perm("weakorgs.decide", org):
            flags = selectors.awaiting_decision(user, org, today.year)
            title = _("待认定的软弱涣散候选组织（%(org)s）") % {"org": org.name}
            badge = "due"
        else:
            flags = selectors.year_flags(user, org, today.year, FlagStatus.CONFIRMED)
            title = _("下级软弱涣散党组织（%(org)s）") % {"org": org.name}
            badge = "late"
        lines = [
            Line(
                f"{f.organization.name}："
                + _("、").join(str(x.get_criterion_display()) for x in f.findings.all()),
                url=f.get_absolute_url(),
                badge=badge,
            )
            for f in flags[:LIMIT]
        ]
        count = flags.count() if len(lines) == LIMIT else len(lines)
        items.append(
            Item(
                title,
                lines,
                count=count,
                more_url=reverse("weakorgs:candidates", args=[org.code]),
            )
        )
    return items


def register_all():
    register("weakorgs.flags", weak_orgs, roles=(UPPER,), order=45)
