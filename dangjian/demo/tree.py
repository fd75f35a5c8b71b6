"""Organization nodes of a generated tree, before they are written to the database.

A `Node` is a plain object (no database): the shapes (shapes.py) build a tree of them, then
`finish()` puts them in path order and gives each its treebeard path, depth, number of
children and code, exactly as `Organization.objects.add_child` would have.
"""

import datetime

from dangjian.orgs.models import Kind, Level, Sector

# treebeard's MP_Node defaults, which Organization keeps (steplen 4 is set on the model).
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def path_step(n: int) -> str:
    """The n-th (1-based) step of a path: base 36 in treebeard's alphabet, zero-padded to 4."""
    if not 0 < n < 36**STEPLEN:
        raise ValueError(f"step {n} does not fit in {STEPLEN} characters")
    digits = ""
    while n:
        n, r = divmod(n, 36)
        digits = ALPHABET[r] + digits
    return digits.rjust(STEPLEN, ALPHABET[0])


class Node:
    """One organization to be generated.

    `profile` names the member profile (see people.PROFILES) of an organization that holds
    members directly, with `weight` its expected share of them; None for committees and for
    general branches or branches whose members sit in their sub-organizations.
    """

    __slots__ = (
        "name",
        "kind",
        "sector",
        "level",
        "profile",
        "weight",
        "region",
        "hui",
        "founded_on",
        "phone",
        "address",
        "children",
        "parent",
        "index",
        "code",
        "path",
        "depth",
        "source",
    )

    def __init__(
        self,
        name,
        kind,
        sector=Sector.OTHER,
        level=Level.OTHER,
        *,
        profile=None,
        weight=0.0,
        region=None,
        hui=0.0,
        founded_on=None,
        phone="",
        address="",
    ):
        self.name = name
        self.kind = kind
        self.sector = sector
        self.level = level
        self.profile = profile
        self.weight = weight
        self.region = region
        self.hui = hui
        self.founded_on: datetime.date | None = founded_on
        self.phone = phone
        self.address = address
        self.children: list[Node] = []
        self.parent: Node | None = None
        self.index = -1
        self.code = ""
        self.path = ""
        self.depth = 0
        # Index of the node whose members fill this node's committee seats.
        self.source = -1

    def add(self, child: "Node") -> "Node":
        child.parent = self
        self.children.append(child)
        return child

    @property
    def holds_members(self) -> bool:
        return self.profile is not None and self.weight > 0

    @property
    def is_committee(self) -> bool:
        return self.kind in (Kind.COMMITTEE, Kind.WORKING_COMMITTEE)

    def __repr__(self):
        return f"<Node {self.code or '?'} {self.name}>"


def finish(root: Node, root_code: str, widths: tuple[int, ...], root_number: int = 1) -> list[Node]:
    """Number the tree: path order, treebeard paths, depths and codes. Returns the nodes in
    path order (a parent before its children, siblings in the order they were added).

    A child's code is its parent's code plus its position among its siblings, zero-padded to
    `widths[parent depth - 1]` (or wider when there are more siblings): siblings share one
    width, so codes are unique through the whole tree.
    """
    nodes: list[Node] = []
    root.path, root.depth, root.code = path_step(root_number), 1, root_code
    stack = [root]
    while stack:
        node = stack.pop()
        node.index = len(nodes)
        nodes.append(node)
        if node.children:
            width = max(widths[min(node.depth - 1, len(widths) - 1)], len(str(len(node.children))))
            for n, child in enumerate(node.children, 1):
                child.path = node.path + path_step(n)
                child.depth = node.depth + 1
                child.code = f"{node.code}{n:0{width}d}"
                # Region code (for ID numbers) and share of Hui members come from above.
                if child.region is None:
                    child.region = node.region
                if not child.hui:
                    child.hui = node.hui
            stack.extend(reversed(node.children))
    return nodes


def assign_sources(nodes: list[Node], designated: dict[int, int] | None = None) -> None:
    """Choose, for every node, the node whose members fill its committee seats: itself when
    it holds members, a designated node (a committee's own office branch, say), else its first
    descendant in path order that holds members. -1 when its subtree holds nobody."""
    designated = designated or {}
    end = subtree_ends(nodes)
    for node in nodes:
        if node.index in designated:
            node.source = designated[node.index]
        elif node.holds_members:
            node.source = node.index
        else:
            node.source = next(
                (i for i in range(node.index + 1, end[node.index]) if nodes[i].holds_members), -1
            )


def subtree_ends(nodes: list[Node]) -> list[int]:
    """For each node (by index), the index just past its subtree in path order."""
    end = [0] * len(nodes)
    for node in reversed(nodes):
        last = node.children[-1] if node.children else None
        end[node.index] = end[last.index] if last else node.index + 1
    return end


def allocate(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split `total` into integers proportional to `weights` (largest remainder), each at
    least `minimum` when the total allows it. Deterministic."""
    n = len(weights)
    if not n:
        return []
    base = min(minimum, total // n)
    rest = total - base * n
    whole = sum(weights)
    raw = [rest * w / whole for w in weights]
    counts = [int(x) for x in raw]
    short = rest - sum(counts)
    for i in sorted(range(n), key=lambda i: counts[i] - raw[i])[:short]:
        counts[i] += 1
    return [base + c for c in counts]
