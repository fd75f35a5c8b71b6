"""Reads of organization health: which setup flags, election-board rows, units and coverage
figures a user may see. The pages and their .xlsx exports call only these, so a page and its
file always hold the same rows."""

from django.utils import timezone

from dangjian.accounts.scoping import covers
from dangjian.members.models import Status
from dangjian.members.selectors import visible_members
from dangjian.orgs.models import Sector
from dangjian.orgs.selectors import visible_orgs

from . import services
from .models import Coverage, Unit

# The board lists the most urgent first.
STATUS_ORDER = {"overdue": 0, "due": 1, "unknown": 2, "ok": 3}


def visible_in(user, org):
    """A predicate on the ids of organizations under `org`: may the user see it?"""
    if covers(user, org):
        return lambda _id: True
    ids = set(visible_orgs(user).filter(path__startswith=org.path).values_list("pk", flat=True))
    return ids.__contains__


def setup_flags(user, org) -> list[dict]:
    """The setup-rule flags of `org`'s subtree on organizations the user may see."""
    visible = visible_in(user, org)
    return [f for f in services.setup_flags(org) if visible(f["organization"].pk)]


def election_board(user, org, show_all=False) -> list[dict]:
    """The election board of `org`'s subtree on organizations the user may see, most urgent
    first; without `show_all`, only the rows that need attention."""
    visible = visible_in(user, org)
    rows = [
        r
        for r in services.election_board(org)
        if visible(r["organization"].pk) and (show_all or r["status"] != "ok")
    ]
    rows.sort(
        key=lambda r: (
            STATUS_ORDER[r["status"]],
            r["due_on"] or timezone.localdate(),
            r["organization"].path,
        )
    )
    return rows


def visible_units(user, org, params=None):
    """Open units registered in `org`'s area: the whole subtree for those who cover it, else
    only the units of `org` itself; `params` may narrow by sector and coverage."""
    params = params or {}
    qs = Unit.objects.filter(area__path__startswith=org.path, closed_on__isnull=True)
    if not covers(user, org):
        qs = qs.filter(area=org)
    if params.get("sector") in Sector.values:
        qs = qs.filter(sector=params["sector"])
    if params.get("coverage") in Coverage.values:
        qs = qs.filter(coverage=params["coverage"])
    return qs.select_related("area", "covering_organization").order_by("sector", "name", "pk")


def coverage_figures(user, org) -> dict:
    """Per-sector coverage figures of `org`'s subtree; none for those who do not cover it."""
    return services.coverage(org) if covers(user, org) else {}


def instructor_count(user, org) -> int:
    return services.instructors(org) if covers(user, org) else 0


def candidate_names(user, org, limit=500) -> list[str]:
    """Names of the full members of `org`'s subtree the user may see (the election form's
    suggestions)."""
    return list(
        visible_members(user)
        .filter(organization__path__startswith=org.path, removed_on__isnull=True)
        .filter(status=Status.FULL)
        .order_by("name")
        .values_list("name", flat=True)[:limit]
    )
