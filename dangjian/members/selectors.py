"""Reads of the member register: which members a user may see."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from dangjian.accounts.scoping import get_visible_or_404, is_unrestricted, managed_paths

from .filters import filter_members
from .models import Member
from .rules import mask_id_number, mask_phone


def visible_members(user):
    """Members a user may see: everyone in a managed subtree; otherwise only themselves."""
    if is_unrestricted(user):
        return Member.objects.all()
    q = Q(pk__in=[])
    for path in managed_paths(user):
        q |= Q(organization__path__startswith=path)
    own = getattr(user, "member", None) if user.is_authenticated else None
    if own is not None:
        q |= Q(pk=own.pk)
    return Member.objects.filter(q)


def search_members(user, params):
    """The visible members matching the list page's search and filters (`params`, a dict or
    QueryDict): what the list page, the API list and the .xlsx export all show."""
    return filter_members(visible_members(user), params)


def find_member(user, pk):
    """(member, their organization) for the history page; 404 outside the user's scope."""
    member = get_visible_or_404(visible_members(user).select_related("organization"), pk=pk)
    return member, member.organization


def history_maskers(user, member) -> dict:
    """ID number and phone are masked in a member's history for those not allowed them."""
    if user.has_perm("members.view_id_number", member):
        return {}
    return {"id_number": mask_id_number, "phone": mask_phone}


def member_named(user, org, text):
    """A current member of `org`'s subtree by ID number or exact name, among the visible."""
    text = (text or "").strip()
    qs = visible_members(user).filter(
        organization__path__startswith=org.path, removed_on__isnull=True
    )
    if len(text) == 18 and text[:17].isdigit():
        found = list(qs.filter(id_number=text.upper())[:2])
    else:
        found = list(qs.filter(name=text)[:2])
    if not found:
        raise ValidationError({"member": [_("本组织中没有名为“%(text)s”的党员") % {"text": text}]})
    if len(found) > 1:
        raise ValidationError(
            {"member": [_("本组织有多名党员叫“%(text)s”，请填写身份证号") % {"text": text}]}
        )
    return found[0]
