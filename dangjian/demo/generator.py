"""Deterministic generated data: the Ningling demo county, or a province of any size.

`ningling(seed)` and `province(orgs, members, seed)` return a `Dataset`: the organizations in
path order with their treebeard paths, and how many members each one holds. Its rows are made
without a database, from `random.Random` streams seeded by `seed` alone, so the same seed
always gives the same organizations, people, ID numbers and officers. `loader.load()` writes
a dataset; the members, officers and tags come in chunks so that a province of two million
members is written with bounded memory.
"""

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from dangjian.orgs.models import Kind, Level, OfficerRole

from . import shapes
from .people import AS_OF, MEMBER_COLUMNS, People, add_years
from .tree import Node, allocate, assign_sources, finish, subtree_ends

DEFAULT_SEED = 4  # seed 004 of the domain notes: Ningling county

ORG_COLUMNS = (
    "id",
    "path",
    "depth",
    "numchild",
    "code",
    "name",
    "kind",
    "sector",
    "level",
    "founded_on",
    "phone",
    "address",
)
OFFICER_COLUMNS = ("id", "organization_id", "member_id", "role", "term_start", "term_end")
TAG_LINK_COLUMNS = ("id", "member_id", "tag_id")
TAGS = ("双强", "致富能手")

R = OfficerRole
VILLAGE_LEVELS = (Level.VILLAGE, Level.COMMUNITY, Level.GRID, Level.BUILDING)


@dataclass
class Chunk:
    members: list[tuple] = field(default_factory=list)
    officers: list[tuple] = field(default_factory=list)
    tag_links: list[tuple] = field(default_factory=list)


@dataclass
class Dataset:
    """Organizations in path order and the number of members each holds directly."""

    label: str
    seed: int
    nodes: list[Node]
    counts: list[int]
    named: dict[str, Node]

    def __post_init__(self):
        self.ends = subtree_ends(self.nodes)
        self.offsets = [0] * (len(self.nodes) + 1)
        for i, n in enumerate(self.counts):
            self.offsets[i + 1] = self.offsets[i] + n
        # Member ids of each node's officers, secretary first (filled while generating).
        self.officers_of: dict[int, list[int]] = {}

    @property
    def n_orgs(self) -> int:
        return len(self.nodes)

    @property
    def n_members(self) -> int:
        return self.offsets[-1]

    def subtree_members(self, node: Node) -> int:
        return self.offsets[self.ends[node.index]] - self.offsets[node.index]

    def member_ids(self, node: Node, first_member_id: int) -> range:
        """Ids of the members a node holds directly, once written from `first_member_id`."""
        start = first_member_id + self.offsets[node.index]
        return range(start, start + self.counts[node.index])

    def org_rows(self, first_id: int) -> Iterator[tuple]:
        for node in self.nodes:
            yield (
                first_id + node.index,
                node.path,
                node.depth,
                len(node.children),
                node.code,
                node.name,
                str(node.kind),
                str(node.sector),
                str(node.level),
                node.founded_on.isoformat() if node.founded_on else None,
                node.phone,
                node.address,
            )

    def chunks(
        self,
        *,
        first_org_id: int,
        first_member_id: int,
        first_officer_id: int,
        first_link_id: int,
        tag_ids: dict[str, int],
        size: int = 50_000,
    ) -> Iterator[Chunk]:
        """Members, officers and tag links, in chunks of about `size` members."""
        rng = random.Random(self.seed * 1_000_003 + 7)
        people = People(rng, random.Random(self.seed * 1_000_003 + 11))
        targets: dict[int, list[Node]] = {}
        for node in self.nodes:
            if node.source >= 0:
                targets.setdefault(node.source, []).append(node)
        member_id, officer_id, link_id = first_member_id, first_officer_id, first_link_id
        chunk = Chunk()
        for node in self.nodes:
            count = self.counts[node.index]
            if not count:
                continue
            people.start_region(node.region)
            org_id = first_org_id + node.index
            persons = []
            for _ in range(count):
                person = people.member(member_id, org_id, node.profile, node.hui)
                persons.append(person)
                chunk.members.append(person.row)
                member_id += 1
            tagged = set()
            for person in persons:
                for tag in person.tags:
                    chunk.tag_links.append((link_id, person.row[0], tag_ids[tag]))
                    tagged.add((person.row[0], tag))
                    link_id += 1
            # Committee seats of every organization this node's members serve: full members
            # aged 28–65 first, nobody twice while there are enough people.
            eligible = [p.row[0] for p in persons if p.full and 28 <= p.age <= 65]
            is_eligible = set(eligible)
            others = [p.row[0] for p in persons if p.row[0] not in is_eligible]
            used: set[int] = set()
            for target in targets.get(node.index, ()):
                seats = self._seats(target, rng)
                chosen: list[int] = []
                for group in (eligible, others):
                    free = [m for m in group if m not in used]
                    chosen += rng.sample(free, min(len(seats) - len(chosen), len(free)))
                if len(chosen) < len(seats):  # everyone serves already: some serve twice
                    spare = [m for m in eligible + others if m not in chosen]
                    chosen += rng.sample(spare, min(len(seats) - len(chosen), len(spare)))
                used.update(chosen)
                start, end = self._term(target, rng)
                self.officers_of[target.index] = chosen
                for n, (role, m) in enumerate(zip(seats, chosen, strict=False)):
                    chunk.officers.append(
                        (
                            officer_id,
                            first_org_id + target.index,
                            m,
                            str(role),
                            start.isoformat(),
                            end.isoformat() if end else None,
                        )
                    )
                    officer_id += 1
                    if (
                        target.level == Level.VILLAGE
                        and (m, "双强") not in tagged
                        and rng.random() < (0.7 if n == 0 else 0.3)
                    ):
                        chunk.tag_links.append((link_id, m, tag_ids["双强"]))
                        tagged.add((m, "双强"))
                        link_id += 1
            if len(chunk.members) >= size:
                yield chunk
                chunk = Chunk()
        if chunk.members or chunk.officers:
            yield chunk

    def _seats(self, node: Node, rng) -> list[str]:
        """Committee seats: committees 5–7, general branches 5, branches with 7 or more
        members 3–5 and smaller ones a secretary only (Branch Regulations 2018); groups a
        leader."""
        if node.kind == Kind.GROUP:
            return [R.GROUP_LEADER]
        if node.kind in (Kind.COMMITTEE, Kind.WORKING_COMMITTEE):
            return [R.SECRETARY, R.DEPUTY_SECRETARY, R.ORGANIZATION, R.PROPAGANDA, R.DISCIPLINE] + [
                R.MEMBER
            ] * rng.randint(0, 2)
        if node.kind == Kind.GENERAL_BRANCH:
            return [R.SECRETARY, R.DEPUTY_SECRETARY, R.ORGANIZATION, R.PROPAGANDA, R.DISCIPLINE]
        if self.subtree_members(node) >= 7:
            return [R.SECRETARY, R.ORGANIZATION, R.PROPAGANDA, R.DISCIPLINE, R.DEPUTY_SECRETARY][
                : rng.randint(3, 5)
            ]
        return [R.SECRETARY]

    def _term(self, node: Node, rng) -> tuple[datetime.date, datetime.date | None]:
        """Term of the node's committee: committees 5 years, village and community
        organizations 5 years (elected in the spring 2026 round), other branches 3 years. A
        few are overdue for re-election, as in any real county."""
        if node.kind == Kind.TEMPORARY:
            return (node.founded_on or AS_OF), None
        day = datetime.timedelta(days=1)
        if node.kind in (Kind.COMMITTEE, Kind.WORKING_COMMITTEE):
            years = 5
            if node.level == Level.TOWNSHIP:
                start = datetime.date(2021, 7, 1) + rng.randrange(180) * day
            elif node.depth == 1:
                start = datetime.date(2021, 9, 20)
            else:
                start = AS_OF - rng.randrange(60, 5 * 365 - 60) * day
        elif node.level in VILLAGE_LEVELS:
            years = 5
            if rng.random() < 0.03:
                start = datetime.date(2021, 3, 1) + rng.randrange(90) * day
            else:
                start = datetime.date(2026, 1, 5) + rng.randrange(115) * day
        else:
            years = 3
            if rng.random() < 0.03:
                start = AS_OF - (3 * 365 + rng.randrange(30, 200)) * day
            else:
                start = AS_OF - rng.randrange(30, 3 * 365 - 30) * day
        if node.founded_on and start < node.founded_on + 30 * day:
            start = min(node.founded_on + 30 * day, AS_OF)
        return start, add_years(start, years)


def _dataset(
    label, seed, root, total_members, named, *, widths, root_code, minimum, designated=None
) -> Dataset:
    nodes = finish(root, root_code, widths)
    holders = [n for n in nodes if n.holds_members]
    counts = [0] * len(nodes)
    for node, n in zip(
        holders, allocate(total_members, [n.weight for n in holders], minimum), strict=True
    ):
        counts[node.index] = n
    assign_sources(nodes, {k.index: v.index for k, v in (designated or {}).items()})
    dataset = Dataset(label, seed, nodes, counts, named)
    # The demo users' branch: the first village branch of the township with a committee.
    township = named.get("township")
    if township is not None and "branch" not in named:
        end = dataset.ends[township.index]
        named["branch"] = next(
            (
                n
                for n in nodes[township.index : end]
                if n.kind == Kind.BRANCH
                and n.level == Level.VILLAGE
                and not n.children
                and counts[n.index] >= 7
            ),
            None,
        )
    return dataset


def ningling(seed: int = DEFAULT_SEED) -> Dataset:
    """The demo county: 745 grassroots organizations, 19,000 members (seed 004)."""
    root, named = shapes.ningling(seed)
    # Committees whose officers are not from their own first branch.
    designated = {root: named["县委办公室"]}
    for committee in root.children:
        if committee.name in (
            "中共宁陵县直属机关工作委员会",
            "中共宁陵县非公有制经济组织和社会组织委员会",
        ):
            designated[committee] = named["县委组织部"]
    return _dataset(
        "宁陵县演示数据",
        seed,
        root,
        shapes.NINGLING_MEMBERS,
        named,
        widths=(2, 3, 2),
        root_code="NL",
        minimum=3,
        designated=designated,
    )


def province(n_orgs: int, n_members: int, seed: int = DEFAULT_SEED) -> Dataset:
    """A province with exactly `n_orgs` organizations and `n_members` members."""
    if n_orgs < 2:
        raise ValueError("a generated province needs at least 2 organizations")
    root = shapes.province(n_orgs, seed)
    named = {}
    township = _first(root, lambda n: n.level == Level.TOWNSHIP)
    if township is not None:
        named["township"] = township
    return _dataset(
        f"省级规模测试数据（{n_orgs}个党组织，{n_members}名党员）",
        seed,
        root,
        n_members,
        named,
        widths=(2, 2, 2, 3, 2),
        root_code="P",
        minimum=1 if n_members >= n_orgs else 0,
    )


def _first(root: Node, test) -> Node | None:
    stack = [root]
    while stack:
        node = stack.pop()
        if test(node):
            return node
        stack.extend(reversed(node.children))
    return None


__all__ = [
    "DEFAULT_SEED",
    "MEMBER_COLUMNS",
    "ORG_COLUMNS",
    "OFFICER_COLUMNS",
    "TAG_LINK_COLUMNS",
    "TAGS",
    "Chunk",
    "Dataset",
    "ningling",
    "province",
]
