"""Reads of weak organizations, scoped like every read: only those who manage an
organization (or one above it) see its flags — members see none; the figures roll up the
subtree by path prefix."""

from django.db.models import Count, Prefetch

from dangjian.accounts.scoping import get_visible_or_404, managed_q
from dangjian.core import config
from dangjian.core.periods import Period
from dangjian.orgs.models import Level, Sector

from . import rules
from .models import Criterion, Finding, Flag, FlagStatus
from .services import candidates, fixed_list


def visible_flags(user):
    return Flag.objects.filter(managed_q(user, "organization__")).select_related("organization")


def with_findings(qs):
    return qs.prefetch_related(
        Prefetch("findings", queryset=Finding.objects.order_by("source", "criterion"))
    )


def find_flag(user, pk) -> Flag:
    return get_visible_or_404(with_findings(visible_flags(user)), pk=pk)


def year_flags(user, org, year: int, status: str | None = None):
    """The flags of `year` in `org`'s subtree the user may see, in tree order."""
    qs = visible_flags(user).filter(organization__path__startswith=org.path, year=year)
    if status:
        qs = qs.filter(status=status)
    return with_findings(qs).order_by("organization__path")


def history(user, org):
    """Every year's flag of one organization, newest first."""
    return with_findings(visible_flags(user).filter(organization=org)).order_by("-year")


def status_counts(user, org, year: int) -> dict[str, int]:
    counts = {s: 0 for s in FlagStatus.values}
    rows = (
        visible_flags(user)
        .filter(organization__path__startswith=org.path, year=year)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def year_list(user, org, year: int) -> dict:
    """The year's confirmed weak organizations under `org` (a queryset, for a page or a
    file), with the counts by sector and level (in SQL), the share of village organizations
    singled out, and whether the list is fixed."""
    flags = year_flags(user, org, year, FlagStatus.CONFIRMED)
    counted = visible_flags(user).filter(
        organization__path__startswith=org.path, year=year, status=FlagStatus.CONFIRMED
    )

    def by(field) -> dict:
        return dict(
            counted.values_list(f"organization__{field}")
            .annotate(n=Count("id"))
            .order_by()
            .values_list(f"organization__{field}", "n")
        )

    levels, sectors = by("level"), by("sector")
    villages = candidates(org).filter(level=Level.VILLAGE).count()
    weak_villages = levels.get(Level.VILLAGE, 0)
    share = tuple(config.get(org, "weakorgs.village_share"))
    return {
        "flags": flags,
        "count": sum(levels.values()),
        "by_sector": [(label, sectors[v]) for v, label in Sector.choices if sectors.get(v)],
        "by_level": [(label, levels[v]) for v, label in Level.choices if levels.get(v)],
        "villages": villages,
        "weak_villages": weak_villages,
        "village_share": rules.share_of(weak_villages, villages),
        "share_range": share,
        "share_status": rules.within_share(weak_villages, villages, share),
        "fixed": fixed_list(org, year),
    }


def years_of(user, org) -> list[int]:
    return list(
        visible_flags(user)
        .filter(organization__path__startswith=org.path)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


# ---- figures ----------------------------------------------------------------------------


def weak_figures(org, period: Period) -> dict:
    """`weak_organizations`: organizations of the subtree confirmed weak in the period's
    year; `weak_organizations_by_criterion`: how many of them meet each criterion. Each
    count is the sum over the child organizations plus the organization's own."""
    confirmed = Flag.objects.filter(
        organization__path__startswith=org.path, year=period.year, status=FlagStatus.CONFIRMED
    )
    by_criterion = {c: 0 for c in Criterion.values}
    rows = (
        Finding.objects.filter(flag__in=confirmed)
        .values("criterion")
        .annotate(n=Count("flag", distinct=True))
        .order_by()
    )
    for row in rows:
        by_criterion[row["criterion"]] = row["n"]
    return {
        "weak_organizations": confirmed.count(),
        "weak_organizations_by_criterion": by_criterion,
    }


# ---- the desk ---------------------------------------------------------------------------


def awaiting_decision(user, org, year: int):
    """Pending flags under `org` the user may decide (the county)."""
    return year_flags(user, org, year, FlagStatus.PENDING)
