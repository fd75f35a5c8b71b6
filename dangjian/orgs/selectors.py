"""Reads of the organization tree: which organizations a user may see."""

from dangjian.accounts.scoping import (
    get_visible_or_404,
    is_unrestricted,
    managed_paths,
    member_org_paths,
    org_q,
)

from .models import Officer, Organization


def visible_orgs(user):
    return Organization.objects.filter(org_q(user))


def home_organization(user):
    """The organization a user lands on: the top of what they may see."""
    if is_unrestricted(user):
        return Organization.get_first_root_node()
    paths = managed_paths(user) or member_org_paths(user)
    if not paths:
        return None
    return Organization.objects.filter(path=min(paths, key=len)).first()


def find_organization(user, pk):
    """(organization, itself) for its history page; 404 outside the user's scope."""
    org = get_visible_or_404(visible_orgs(user), pk=pk)
    return org, org


def find_officer(user, pk):
    officer = get_visible_or_404(
        Officer.objects.filter(org_q(user, "organization__")).select_related(
            "organization", "member"
        ),
        pk=pk,
    )
    return officer, officer.organization
