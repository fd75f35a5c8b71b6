"""Reads of the member register: which members a user may see."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scoping import (
    ID_NUMBER_ROLES,
    get_visible_or_404,
    is_unrestricted,
    managed_paths,
)

from .filters import filter_members, number_query
from .models import Member, Status
from .rules import (
    CONVERSION_NOTICE_DAYS,
    conversion_status,
    mask_birth_date,
    mask_id_number,
    mask_phone,
    normalize_id_number,
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


# ---- personal details: the one masking policy ---------------------------------------------
# ID number, phone and birth date are shown in full only to those holding
# members.view_id_number on the member (county admins and organization officers in their
# subtree, and the member), everywhere: pages, API, exports, search, history, messages.
# Everyone else sees the ID number and phone masked and the birth date as its year only.


@dataclass(frozen=True)
class Personal:
    masked: bool
    id_number: str
    phone: str
    birth_date: datetime.date | None  # None when masked
    birth_year: int

    @property
    def birth(self):
        """The birth date for a reader allowed it, else the year ("1968")."""
        return self.birth_date or str(self.birth_year)


def sees_personal(user, member) -> bool:
    return user.has_perm("members.view_id_number", member)


def personal_details(user, member) -> Personal:
    """What `user` may see of `member`'s ID number, phone and birth date."""
    if sees_personal(user, member):
        return Personal(
            False, member.id_number, member.phone, member.birth_date, member.birth_date.year
        )
    return Personal(
        True,
        mask_id_number(member.id_number),
        mask_phone(member.phone),
        None,
        member.birth_date.year,
    )


def personal_q(user) -> Q:
    """Q of the members whose ID numbers and phones `user` may see (the same people as
    members.view_id_number allows): searching by those numbers is limited to them."""
    if is_unrestricted(user):
        return Q()
    q = Q(pk__in=[])
    for path in managed_paths(user, roles=ID_NUMBER_ROLES):
        q |= Q(organization__path__startswith=path)
    own = getattr(user, "member", None) if user.is_authenticated else None
    if own is not None:
        q |= Q(pk=own.pk)
    return q


NUMBER_SEARCH_REFUSED = gettext_lazy("您无权按身份证号或手机号搜索，请按姓名搜索")


def may_search_numbers(user) -> bool:
    """Whether `user` may search by ID or phone number at all: a role that sees numbers in
    full somewhere, or a member record of their own. The answer depends on the user only."""
    if is_unrestricted(user) or managed_paths(user, roles=ID_NUMBER_ROLES):
        return True
    return user.is_authenticated and getattr(user, "member", None) is not None


def number_search_refused(user, params) -> bool:
    """A search by number from a user who may not search so (say it, rather than answer
    with an empty list that looks like "no such number")."""
    return number_query(params.get("q")) and not may_search_numbers(user)


def search_members(user, params):
    """The visible members matching the list page's search and filters (`params`, a dict or
    QueryDict): what the list page, the API list and the .xlsx export all show.

    A search by ID number or phone matches the whole number only, and only among the members
    whose numbers the user may see: a prefix search would read masked digits back one by one.
    """
    qs = visible_members(user)
    if number_query(params.get("q")):
        qs = qs.filter(personal_q(user))
    return filter_members(qs, params)


def find_member(user, pk):
    """(member, their organization) for the history page; 404 outside the user's scope."""
    member = get_visible_or_404(visible_members(user).select_related("organization"), pk=pk)
    return member, member.organization


def history_maskers(user, member) -> dict:
    """ID number and phone are masked in a member's history for those not allowed them."""
    if sees_personal(user, member):
        return {}
    return {"id_number": mask_id_number, "phone": mask_phone, "birth_date": mask_birth_date}


def member_named(user, org, text):
    """A current member of `org`'s subtree by ID number or exact name, among the visible."""
    text = (text or "").strip()
    qs = visible_members(user).filter(
        organization__path__startswith=org.path, removed_on__isnull=True
    )
    if number_query(text):
        found = list(qs.filter(personal_q(user), id_number=normalize_id_number(text))[:2])
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


# ---- transfers and mobile members ------------------------------------------------------------


def visible_transfers(user):
    """Transfers the user's managed subtrees send or receive (and a member's own)."""
    from dangjian.accounts.scoping import managed_q, self_q

    from .models import Transfer

    return Transfer.objects.filter(
        managed_q(user, "from_organization__")
        | managed_q(user, "to_organization__")
        | self_q(user, "member__")
    ).select_related("member", "from_organization", "to_organization")


def find_transfer(user, pk):
    return get_visible_or_404(visible_transfers(user), pk=pk)


def org_transfers(user, org, *, status=""):
    """The transfers out of and into `org`'s subtree, open ones first, newest first; each
    with `outgoing` set (sent from the subtree)."""
    from django.db.models import Case, IntegerField, Value, When

    from dangjian.accounts.scoping import covers
    from dangjian.orgs.models import Organization

    from .models import OPEN_TRANSFER_STATUSES, Transfer

    # The subtree's organization ids (an indexed path range) on either side; a manager of
    # `org` (or above) sees every one of them, so the visibility test is only needed else.
    subtree = Organization.objects.filter(path__startswith=org.path).values("id")
    base = (
        Transfer.objects.select_related("member", "from_organization", "to_organization")
        if covers(user, org)
        else visible_transfers(user)
    )
    qs = base.filter(Q(from_organization_id__in=subtree) | Q(to_organization_id__in=subtree))
    if status:
        qs = qs.filter(status=status)
    qs = qs.annotate(
        pending=Case(
            When(status__in=OPEN_TRANSFER_STATUSES, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("pending", "-issued_on", "-id")
    return qs


def mark_outgoing(transfers, org):
    for t in transfers:
        t.outgoing = bool(t.from_organization_id) and t.from_organization.path.startswith(org.path)
    return transfers


def pending_transfers(org, *, incoming=True, members=None):
    """Open transfers into (or out of) `org` itself (not its subtree), oldest first."""
    from .models import OPEN_TRANSFER_STATUSES, Transfer

    qs = Transfer.objects.filter(status__in=OPEN_TRANSFER_STATUSES)
    qs = qs.filter(to_organization=org) if incoming else qs.filter(from_organization=org)
    return qs.select_related("member", "from_organization", "to_organization").order_by(
        "issued_on", "id"
    )


def visible_mobile(user):
    from dangjian.accounts.scoping import managed_q, self_q

    from .models import MobileRecord

    return MobileRecord.objects.filter(
        managed_q(user, "member__organization__") | self_q(user, "member__")
    ).select_related("member", "member__organization", "contact_member")


def find_mobile(user, pk):
    return get_visible_or_404(visible_mobile(user), pk=pk)


def org_mobile(user, org, *, include_ended=False):
    qs = visible_mobile(user).filter(member__organization__path__startswith=org.path)
    if not include_ended:
        qs = qs.filter(ended_on__isnull=True)
    return qs.order_by("member__organization__path", "-since", "id")
