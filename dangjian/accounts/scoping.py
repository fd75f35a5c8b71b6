"""Subtree scoping: the one place that decides which records a user may see.

This module knows roles and tree paths, nothing of the records: each app's selectors build
"which of these may this user see" from `org_q` (organizations.selectors.visible_orgs,
members.selectors.visible_members, …), so a record outside the user's subtree is never
fetched, and a direct URL to it is a 404.
"""

from django.db.models import Q
from django.http import Http404

from .models import RoleName

MANAGER_ROLES = frozenset(
    {
        RoleName.COUNTY_ADMIN,
        RoleName.TOWNSHIP_SECRETARY,
        RoleName.ORG_OFFICER,
        RoleName.BRANCH_SECRETARY,
    }
)
# Roles that may read full ID numbers in their subtree (others see them masked).
ID_NUMBER_ROLES = frozenset({RoleName.COUNTY_ADMIN, RoleName.ORG_OFFICER})


def roles_of(user) -> list[tuple[str, str, int]]:
    """(organization path, role name, organization id) for each role, cached on the user."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_dangjian_roles", None)
    if cached is None:
        cached = list(
            user.roles.filter(organization__dissolved_on__isnull=True).values_list(
                "organization__path", "name", "organization_id"
            )
        )
        user._dangjian_roles = cached
    return cached


def _outermost(paths):
    """Drop paths that lie inside another path of the list."""
    kept = []
    for p in sorted(set(paths)):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return kept


def managed_paths(user, roles=MANAGER_ROLES) -> list[str]:
    return _outermost(p for p, name, _ in roles_of(user) if name in roles)


def own_org_ids(user) -> list[int]:
    """The organizations where the user holds a manager role (not their subtrees): whose
    work is the user's own to do."""
    return [oid for _p, name, oid in roles_of(user) if name in MANAGER_ROLES]


def member_org_paths(user) -> list[str]:
    return [p for p, name, _ in roles_of(user) if name == RoleName.MEMBER]


def is_unrestricted(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def org_q(user, prefix: str = "") -> Q:
    """Q limiting a queryset whose `prefix`-reached organization must be visible to `user`.

    prefix "" filters Organization itself; "organization__" filters records hanging on one.
    """
    if is_unrestricted(user):
        return Q()
    q = Q(pk__in=[])
    for path in managed_paths(user):
        q |= Q(**{f"{prefix}path__startswith": path})
    for path in member_org_paths(user):
        q |= Q(**{f"{prefix}path": path})
    return q


def managed_q(user, prefix: str = "") -> Q:
    """Like `org_q`, but member roles give nothing: records only those who manage an
    organization (or one above it) may see — others' review grades, leave reasons, talks,
    meeting files — while a member sees their own through `self_q`."""
    if is_unrestricted(user):
        return Q()
    q = Q(pk__in=[])
    for path in managed_paths(user):
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def self_q(user, prefix: str = "") -> Q:
    """Records whose `prefix`-reached member record is the user's own ("member__", …)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(**{f"{prefix}user_id": user.pk})


def covers(user, org, roles=MANAGER_ROLES, strict=False) -> bool:
    """Does the user hold one of `roles` at `org` or above it (strictly above if `strict`)?"""
    if is_unrestricted(user):
        return True
    for path, name, _ in roles_of(user):
        if name in roles and org.path.startswith(path) and not (strict and path == org.path):
            return True
    return False


def get_visible_or_404(queryset, **lookup):
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj
