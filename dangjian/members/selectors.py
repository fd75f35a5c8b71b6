"""Reads of the member register: which members a user may see."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from dangjian.accounts.scoping import get_visible_or_404, is_unrestricted, managed_paths

from .filters import filter_members
from .models import Member, Status
from .rules import (
    CONVERSION_NOTICE_DAYS,
    conversion_status,
    mask_id_number,
    mask_phone,
    probation_ends,
)


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


def conversions_due(org, today, *, members=None):
    """Probationary members of `org`'s subtree whose year of probation ends within
    CONVERSION_NOTICE_DAYS or has ended, soonest (most overdue) first, each with
    `probation_ends` and `conversion` ("overdue" / "due") set. `members` is the queryset to
    pick from: the user's visible members on a page, all members for reminders."""
    qs = (members if members is not None else Member.objects.all()).filter(
        organization__path__startswith=org.path,
        removed_on__isnull=True,
        status=Status.PROBATIONARY,
    )
    # A generous bound in SQL (a year is at least 365 days); the exact test is the rule's.
    latest = today - datetime.timedelta(days=365 - CONVERSION_NOTICE_DAYS - 1)
    out = []
    for m in qs.filter(joined_on__lte=latest).select_related("organization"):
        if status := conversion_status(m.joined_on, today):
            m.probation_ends, m.conversion = probation_ends(m.joined_on), status
            out.append(m)
    return sorted(out, key=lambda m: (m.probation_ends, m.name))
