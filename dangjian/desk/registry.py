"""The work desk (工作台): what each user has to do, and what is late below them.

Each app contributes its items here from its AppConfig.ready, so the desk page imports no
domain app and a capability still to come adds its own without touching the desk:

    registry.register("life.meetings", provider, roles=(registry.BRANCH,), order=10)

A provider is a function (user, today) → list of `Item`; it reads through its app's
selectors, so it sees only what the user may see. The desk calls the providers of the
user's desk roles (from accounts.scoping's roles) and shows one section per item; an item
without lines collapses to "无待办". Nothing here asks anyone to check in.
"""

from dataclasses import dataclass, field

from dangjian.accounts.models import RoleName
from dangjian.accounts.scoping import is_unrestricted, roles_of
from dangjian.orgs.models import Organization

# Desk roles: a branch's secretary or officer; a township's or the county's manager; a member.
BRANCH, UPPER, MEMBER = "branch", "upper", "member"
ROLES = (BRANCH, UPPER, MEMBER)
ROLE_NAMES = {
    BRANCH: frozenset({RoleName.BRANCH_SECRETARY, RoleName.ORG_OFFICER}),
    UPPER: frozenset({RoleName.COUNTY_ADMIN, RoleName.TOWNSHIP_SECRETARY}),
    MEMBER: frozenset({RoleName.MEMBER}),
}
BADGES = frozenset({"", "late", "due", "returned"})


@dataclass
class Line:
    """One line of an item: a text, where it leads, and a badge ("late", "due",
    "returned"). `post_url` adds a button that posts there (a 催报, say); `form_template`
    an app's own small form under the line (rendered with `line`, its data in `extra`)."""

    text: str
    url: str = ""
    badge: str = ""
    post_url: str = ""
    post_label: str = ""
    form_template: str = ""
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.badge not in BADGES:
            raise ValueError(f"unknown desk badge {self.badge!r}")


@dataclass
class Item:
    """One section of the desk: a title, its lines, how many there are in all (`count`,
    the number of lines unless more exist than are listed), and an optional action link
    ("记录会议") and link to the whole list."""

    title: str
    lines: list = field(default_factory=list)
    count: int | None = None
    action_url: str = ""
    action_label: str = ""
    more_url: str = ""

    def __post_init__(self):
        if self.count is None:
            self.count = len(self.lines)


@dataclass(frozen=True)
class Entry:
    name: str
    provider: object
    roles: tuple
    order: int


ENTRIES: dict[str, Entry] = {}


def register(name: str, provider, roles=(BRANCH,), order: int = 100):
    """Add (or replace, by name) a provider (user, today) → [Item] for the desk roles."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown desk roles {sorted(unknown)}")
    ENTRIES[name] = Entry(name, provider, tuple(roles), order)
    return provider


def desk_roles(user) -> list[str]:
    """The desk roles the user holds, in the order the desk shows them."""
    if is_unrestricted(user):
        return [UPPER]
    names = {name for _path, name, _id in roles_of(user)}
    return [r for r in (BRANCH, UPPER, MEMBER) if names & ROLE_NAMES[r]]


def orgs_of(user, role: str):
    """The organizations where the user holds `role` (a desk role), by path."""
    if role == UPPER and is_unrestricted(user):
        return Organization.objects.filter(depth=1)
    ids = [oid for _path, name, oid in roles_of(user) if name in ROLE_NAMES[role]]
    return Organization.objects.filter(pk__in=ids).order_by("path")


def sections(user, today) -> list[dict]:
    """[{"role", "items"}] for each desk role of the user, items in registered order. A
    provider registered for several roles the user holds is called once, under the first."""
    out, called = [], set()
    for role in desk_roles(user):
        entries = sorted(
            (e for e in ENTRIES.values() if role in e.roles and e.name not in called),
            key=lambda e: (e.order, e.name),
        )
        called.update(e.name for e in entries)
        items = [item for e in entries for item in e.provider(user, today)]
        out.append({"role": role, "items": items})
    return out
