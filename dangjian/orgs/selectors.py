"""Reads of the organization tree: which organizations a user may see."""

from django.utils.translation import gettext as _

from dangjian.accounts.scoping import (
    covers,
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


def subtree_orgs(user, top, include_dissolved=False):
    """The visible organizations of `top`'s subtree (itself included): the export's rows."""
    qs = visible_orgs(user).filter(path__startswith=top.path)
    return qs if include_dissolved else qs.active()


def visible_children(user, org, include_dissolved=True):
    """The visible direct children of `org`."""
    qs = visible_orgs(user).filter(path__startswith=org.path, depth=org.depth + 1)
    return qs if include_dissolved else qs.active()


def managed_by_codes(user, codes, under=None) -> dict:
    """{code: organization} of those `codes` that name an organization `user` manages (all of
    them for no user: the command line), inside `under`'s subtree when given. What an import
    may write into; any other code reads as unknown."""
    found = {}
    codes = sorted(normalize_code(c) for c in codes if c)
    for start in range(0, len(codes), 500):
        qs = Organization.objects.filter(code__in=codes[start : start + 500])
        if under is not None:
            qs = qs.filter(path__startswith=under.path)
        for org in qs:
            if user is None or covers(user, org):
                found[org.code] = org
    return found


def home_organization(user):
    """The organization a user lands on: the top of what they may see."""
    if is_unrestricted(user):
        return Organization.objects.get_first_root_node()
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


PLACE_LEVELS = ("township", "street", "village", "community")


def places(orgs) -> dict:
    """{organization id: the place it is in}: its address when one is recorded, else the
    township (street) and village (community) it is named after, "甲镇 甲一村" — from one
    query over their ancestors."""
    from .rules import place_name

    orgs = list(orgs)
    paths = {p for o in orgs for p in o.ancestor_paths()}
    named = dict(
        Organization.objects.filter(path__in=paths, level__in=PLACE_LEVELS).values_list(
            "path", "name"
        )
    )
    out = {}
    for o in orgs:
        if o.address.strip():
            out[o.pk] = o.address.strip()
            continue
        parts = [place_name(named[p]) for p in o.ancestor_paths() if p in named]
        out[o.pk] = " ".join(parts) or place_name(o.name)
    return out


def mark_linked_officers(user, officers) -> None:
    """Set `linked` on each officer: may the user open the officer's member page? (The same
    rule as members.selectors.visible_members: a managed subtree, or oneself.) A name the
    user cannot follow is shown without a link rather than leading to a 404."""
    managed = managed_paths(user)
    for o in officers:
        o.linked = (
            is_unrestricted(user)
            or o.member.user_id == user.pk
            or any(o.member.organization.path.startswith(p) for p in managed)
        )


PICK_LIMIT = 12


def pick(user, text: str, limit: int = PICK_LIMIT) -> list:
    """Up to `limit` active organizations of the user's subtree for the picker: codes that
    start with `text`, names that contain it, pinyin initials that start with it (zgz →
    张弓镇党委). Exact code or name first, then shallow before deep, then tree order; each a
    bounded query over an indexed column inside the subtree."""
    text = (text or "").strip()[:60]
    if not text:
        return []
    base = visible_orgs(user).active().only("pk", "code", "name", "path", "depth")
    code = normalize_code(text)
    found = {}
    lookups = [base.filter(code=code), base.filter(name=text), base.filter(code__startswith=code)]
    if text.isascii() and text.isalnum():
        lookups.append(base.filter(name_initials__startswith=text.lower()))
    lookups.append(base.filter(name__contains=text))
    for qs in lookups:
        for org in qs.order_by("depth", "path")[:limit]:
            found.setdefault(org.pk, org)
        if len(found) >= limit:
            break
    return list(found.values())[:limit]


def resolve_typed(user, text: str) -> str | None:
    """What a user typed in an organization field (core.forms.OrgCodeField), as the code of
    an organization the user may see: a visible code, else the exact name of one visible
    active organization (None if none or several). Nothing outside the user's subtree
    resolves, so the answer tells nothing about it. user None = the system."""
    qs = Organization.objects.all() if user is None else visible_orgs(user)
    code = normalize_code(text)
    if code and qs.filter(code=code).exists():
        return code
    codes = list(qs.active().filter(name=text.strip()).values_list("code", flat=True)[:2])
    return codes[0] if len(codes) == 1 else None


def level_below(top):
    """For exports a township can file: a function giving, for an organization of `top`'s
    subtree, the organization of the level right below `top` that holds it (top itself for
    top's own records). One query for top's children."""
    step = Organization.steplen
    children = {
        c.path: c
        for c in Organization.objects.filter(path__startswith=top.path, depth=top.depth + 1)
    }

    def of(org):
        return children.get(org.path[: (top.depth + 1) * step], top)

    of.order = [top, *sorted(children.values(), key=lambda c: c.path)]  # tree order
    return of


def below_column(top):
    """For an export's column naming each row's township (the level right below the
    exporting organization `top`): its header, a function organization -> name, and the
    names in tree order (the order of the sheets per township, `?by=level`). Shared by every
    ledger export (life, health)."""
    of = level_below(top)
    return level_below_title(top), lambda org: of(org).name, [o.name for o in of.order]


def level_below_title(top) -> str:
    """The export column naming that level: 所属乡镇（街道） under a county, else 所属下级组织."""
    return "所属乡镇（街道）" if top.level == "county" else "所属下级组织"
