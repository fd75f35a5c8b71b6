"""Reads of the organization tree: which organizations a user may see."""

from django.utils.translation import gettext as _

from dangjian.accounts.scoping import (
    get_visible_or_404,
    is_unrestricted,
    managed_paths,
    member_org_paths,
    org_q,
)
from dangjian.core.forms import normalize_code
from dangjian.core.services import invalid

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


def org_by_code(user, code: str, field: str):
    """An organization the user named by its code in a form or request body; unknown and
    out-of-scope read the same, as an error on `field`."""
    org = visible_orgs(user).filter(code=normalize_code(code)).first()
    if org is None:
        raise invalid(field, _("党组织编码“%(code)s”不存在，或不在您的管辖范围内") % {"code": code})
    return org
