"""Pure rules of the organization tree. No database here."""

from django.utils.translation import gettext as _

from .models import Kind

# Which kinds may sit directly under which (DOMAIN.md: committee > general branch >
# branch > group). A group holds nothing; a branch holds only groups.
ALLOWED_CHILDREN = {
    Kind.COMMITTEE: {
        Kind.COMMITTEE,
        Kind.WORKING_COMMITTEE,
        Kind.GENERAL_BRANCH,
        Kind.BRANCH,
        Kind.JOINT_BRANCH,
        Kind.TEMPORARY,
    },
    Kind.WORKING_COMMITTEE: {
        Kind.COMMITTEE,
        Kind.WORKING_COMMITTEE,
        Kind.GENERAL_BRANCH,
        Kind.BRANCH,
        Kind.JOINT_BRANCH,
        Kind.TEMPORARY,
    },
    Kind.GENERAL_BRANCH: {Kind.BRANCH, Kind.JOINT_BRANCH, Kind.TEMPORARY, Kind.GROUP},
    Kind.BRANCH: {Kind.GROUP},
    Kind.JOINT_BRANCH: {Kind.GROUP},
    Kind.TEMPORARY: {Kind.GROUP},
    Kind.GROUP: set(),
}


def child_kind_error(parent_kind: str, child_kind: str) -> str | None:
    """Why an organization of `child_kind` cannot sit under `parent_kind`, or None."""
    if child_kind in ALLOWED_CHILDREN[Kind(parent_kind)]:
        return None
    parent_label, child_label = Kind(parent_kind).label, Kind(child_kind).label
    if parent_kind == Kind.GROUP:
        return _("%(parent)s下不能再设组织") % {"parent": parent_label}
    return _("%(parent)s下不能设%(child)s") % {"parent": parent_label, "child": child_label}


def move_error(org_path: str, org_kind: str, new_parent_path: str, new_parent_kind: str):
    """Why moving an organization under a new parent is not allowed, or None."""
    if new_parent_path.startswith(org_path):
        return _("不能把组织移到它自己或它的下级组织之下")
    return child_kind_error(new_parent_kind, org_kind)


def is_grassroots(kind: str, depth: int) -> bool:
    """Whether an organization counts among the grassroots organizations (基层党组织) of the
    Party's own statistics: committees (working committees too), general branches, branches,
    joint and temporary branches; not groups, and not the tree's root (depth 1, the county
    committee above them)."""
    return kind != Kind.GROUP and depth > 1


def org_keys(org) -> list[str]:
    """The roll-up figures an organization counts in. A dissolved one counts in none."""
    if org.dissolved_on is not None:
        return []
    keys = ["organizations", f"organizations.kind.{org.kind}", f"organizations.sector.{org.sector}"]
    if is_grassroots(org.kind, org.depth):
        keys.append("grassroots_organizations")
    if org.kind == Kind.GROUP:
        keys.append("groups")
    return keys


# What a Party organization's name adds to the place it is in (甲一村党支部 → 甲一村).
_PARTY_PREFIXES = ("中国共产党", "中共")
_PARTY_SUFFIXES = (
    "联合党支部",
    "党支部委员会",
    "党支部",
    "党总支部委员会",
    "党总支部",
    "党总支",
    "党工委",
    "党委员会",
    "委员会",
    "党委",
    "党组",
    "党小组",
)


def place_name(org_name: str) -> str:
    """The place an organization of a place is named after: its name without "中共" and
    without the kind of Party body at the end."""
    name = org_name.strip()
    for prefix in _PARTY_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    for suffix in _PARTY_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name
