"""Reads of notices: who sees which. A notice is addressed to the organizations below its
issuer, so a user sees those issued in the subtree they manage and those issued above any
organization they belong to or manage (a branch's members see the county's notices)."""

from django.db.models import Q

from dangjian.accounts.scoping import get_visible_or_404, is_unrestricted, org_q, roles_of

from .models import Notice


def _ancestor_paths(path: str, step: int) -> list[str]:
    return [path[:i] for i in range(step, len(path) + 1, step)]


def visible_notices(user):
    qs = Notice.objects.select_related("issuer")
    if is_unrestricted(user):
        return qs
    from dangjian.orgs.models import Organization

    above = {
        a for p, _name, _id in roles_of(user) for a in _ancestor_paths(p, Organization.steplen)
    }
    return qs.filter(org_q(user, "issuer__") | Q(issuer__path__in=sorted(above)))


def find_notice(user, pk) -> Notice:
    return get_visible_or_404(visible_notices(user), pk=pk)


def recent_for(user, since, limit=5) -> list[Notice]:
    """Notices issued since `since` that the user sees, newest first, for the desk."""
    return list(
        visible_notices(user)
        .filter(issued_on__gte=since, withdrawn_on__isnull=True)
        .order_by("-issued_on", "-pk")[:limit]
    )
