"""A realistic year of activity for a loaded demo county, written in bulk.

`generate(seed, today)` reads the organizations, members and officers that `loader.load()`
wrote and adds about a year (from WINDOW_START to yesterday) of what their users would have
entered: the three meetings and one lecture, theme days, life meetings and their attendance
(and a few branches' plans for the coming weeks);
member reviews, heart-to-heart talks and leaders' participation; re-elections; the units
each area covers; and the list-based mechanism: pledges signed in January and cascaded,
monthly assignments with their report-backs in every status, monthly work meetings and
secretary projects with monthly plans.

The rows are those the services would accept (attendees may attend the meeting's
organization, nothing is held or recorded after yesterday, election results pass
`orgs.rules.election_errors`, report-back values pass `tasks.rules.clean_value`, at most a
third of a branch is rated 优秀 ...), but they are written with multi-row INSERTs (COPY on
PostgreSQL) rather than one service call each: tens of thousands of meetings and hundreds of
thousands of attendance rows take seconds this way. No audit event is written per row; the
loader's single event for the demo load records the counts. The caller recomputes the
roll-ups (`rollups.services.rebuild()`) afterwards.

Everything is drawn from `random.Random` streams seeded by `seed` alone and from the rows
in the database, read in a fixed order, so the same data and the same `today` always give
the same activity. Past periods are mostly complete (varying by township, so the overview
has something to show), the current month and quarter only partly.
"""

import datetime
import decimal
import json
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.core import config
from dangjian.core.periods import Period
from dangjian.health import rules as health_rules
from dangjian.health.models import Election, Unit
from dangjian.life import rules as life_rules
from dangjian.life.models import (
    Attendance,
    ExtraKind,
    Leader,
    Meeting,
    MeetingKind,
    PlannedMeeting,
    Review,
    Talk,
)
from dangjian.members.models import Member
from dangjian.orgs.models import Officer, Organization
from dangjian.rollups import registry
from dangjian.tasks import rules as task_rules
from dangjian.tasks.models import (
    Assignment,
    AssignmentField,
    AssignmentRevision,
    PlanItem,
    Pledge,
    PledgeTarget,
    ReportBack,
    SecretaryProject,
    WorkMeeting,
)
from dangjian.tasks.services import bound_figure, select_receivers

from . import texts
from .names import Namer
from .people import AS_OF
from .shapes import INDUSTRIES

# The activity starts here: December's meetings close the previous year (its life meetings,
# reviews and leadership life meetings); everything after is the current year so far.
WINDOW_START = datetime.date(2025, 12, 1)
DAY = datetime.timedelta(days=1)
BRANCH_LIKE = life_rules.BRANCH_LIKE
GROUP = "group"
COMMITTEES = ("committee", "working_committee")

ROOT_TITLES = {
    "secretary": "县委书记",
    "deputy_secretary": "县委副书记、县长",
    "organization": "县委常委、组织部部长",
    "propaganda": "县委常委、宣传部部长",
    "discipline": "县委常委、县纪委书记、县监委主任",
    "member": "县委常委",
}


# ---- what is read from the database ----------------------------------------------------------


@dataclass(eq=False)
class Person:
    id: int
    org_id: int
    name: str
    status: str
    joined_on: datetime.date
    full_on: datetime.date | None
    is_mobile: bool
    birth_year: int
    user_id: int | None

    def full_by(self, day) -> bool:
        return self.status == "full" and self.full_on is not None and self.full_on <= day


@dataclass(eq=False)
class Seat:
    id: int
    org_id: int
    member_id: int
    role: str
    term_start: datetime.date
    term_end: datetime.date | None


@dataclass(eq=False)
class Org:
    id: int
    path: str
    depth: int
    kind: str
    level: str
    sector: str
    name: str
    code: str
    founded_on: datetime.date | None
    parent: "Org | None" = None
    children: list = field(default_factory=list)
    members: list = field(default_factory=list)  # held directly
    sub: list = field(default_factory=list)  # the whole subtree's members, path order
    seats: list = field(default_factory=list)  # current officers
    term_started_on: datetime.date | None = None
    # How reliably the organization holds (p) and records on time (q) its meetings.
    p: float = 0.9
    q: float = 0.95
    theme_day: int = 10

    @property
    def is_committee(self) -> bool:
        return self.kind in COMMITTEES

    def secretary(self) -> int | None:
        for seat in self.seats:
            if seat.role in ("secretary", "group_leader"):
                return seat.member_id
        return None

    def short(self) -> str:
        """The name without 中共 and the kind: 张弓镇, 县委办公室, 张弓何寺村."""
        name = self.name.removeprefix("中共")
        for suffix in ("联合党支部", "临时党支部", "党支部", "党总支", "委员会", "党小组"):
            if name.endswith(suffix):
                return name[: -len(suffix)]
        return name


class World:
    def __init__(self):
        self.orgs: list[Org] = []
        by_path = {}
        for row in (
            Organization.objects.filter(dissolved_on__isnull=True)
            .order_by("path")
            .values_list(
                "id", "path", "depth", "kind", "level", "sector", "name", "code", "founded_on"
            )
        ):
            org = Org(*row)
            org.parent = by_path.get(org.path[: -Organization.steplen])
            if org.parent is not None:
                org.parent.children.append(org)
            by_path[org.path] = org
            self.orgs.append(org)
        self.by_id = {o.id: o for o in self.orgs}
        self.root = self.orgs[0] if self.orgs else None
        self.people: dict[int, Person] = {}
        for row in (
            Member.objects.active()
            .order_by("id")
            .values_list(
                "id",
                "organization_id",
                "name",
                "status",
                "joined_on",
                "full_on",
                "is_mobile",
                "birth_date",
                "user_id",
            )
        ):
            person = Person(*row[:7], row[7].year, row[8])
            org = self.by_id.get(person.org_id)
            if org is not None:
                self.people[person.id] = person
                org.members.append(person)
        for org in reversed(self.orgs):
            org.sub = list(org.members)
            for child in org.children:
                org.sub += child.sub
        self.seats = []
        for row in (
            Officer.objects.current()
            .order_by("id")
            .values_list("id", "organization_id", "member_id", "role", "term_start", "term_end")
        ):
            seat = Seat(*row)
            if seat.org_id in self.by_id:
                self.by_id[seat.org_id].seats.append(seat)
                self.seats.append(seat)
        self.users = dict(get_user_model().objects.values_list("username", "id"))

    def eligible(self, org: Org) -> list[Person]:
        """Who may attend `org`'s meetings (life.services.eligible_attendees): its subtree's
        members (a group's: the group's own)."""
        return org.sub

    def township_of(self, org: Org) -> Org | None:
        node = org
        while node is not None:
            if node.level in ("township", "street") and node.is_committee:
                return node
            node = node.parent
        return None

    def area_of(self, org: Org) -> Org:
        """The township, or failing that the second-level organization, above `org`."""
        town = self.township_of(org)
        if town is not None:
            return town
        node = org
        while node.parent is not None and node.parent.depth >= 2:
            node = node.parent
        return node


# ---- writing ---------------------------------------------------------------------------------


class Rows:
    """Rows of one table with ids handed out in order, written at the end."""

    def __init__(self, model, columns):
        self.model, self.columns = model, columns
        first = model.objects.aggregate(m=Max("pk"))["m"] or 0
        self.next_id = first + 1
        self.rows: list[tuple] = []

    def add(self, *values) -> int:
        pk = self.next_id
        self.next_id += 1
        self.rows.append((pk, *values))
        return pk

    def write(self, now):
        from .loader import TableWriter  # loader imports this module: import it when used

        if self.rows:
            TableWriter(self.model, self.columns, now).write(self.rows)
        return len(self.rows)


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _analyze(cursor, models) -> None:
    for model in models:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _dt_writer():
    """How an aware datetime goes into the database (SQLite: naive UTC text)."""
    if _pg():
        return lambda value: value
    utc = datetime.UTC
    return lambda value: value.astimezone(utc).replace(tzinfo=None).isoformat(" ")


def _dec(value) -> object:
    return value if _pg() or value is None else str(value)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


# ---- dates -----------------------------------------------------------------------------------


def months_between(first: datetime.date, last: datetime.date) -> list[Period]:
    out, p = [], Period.month_of(first)
    while p.start <= last:
        out.append(p)
        p = Period.month_of(p.end + DAY)
    return out


def _clamp_day(year, month, day) -> datetime.date:
    last = Period(year, month=month).end.day
    return datetime.date(year, month, max(1, min(day, last)))


def _weekday_on_or_after(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += DAY
    return day


def workdays(period: Period) -> int:
    day, n = period.start, 0
    while day <= period.end:
        n += day.weekday() < 5
        day += DAY
    return n


# ---- the generator ---------------------------------------------------------------------------


class Activity:
    def __init__(self, seed: int, today: datetime.date, progress=None):
        self.seed, self.today = seed, today
        self.last = today - DAY  # nothing is held, recorded or reported after yesterday
        self.say = progress or (lambda message: None)
        self.tz = timezone.get_current_timezone()
        self.dt = _dt_writer()
        self.world = World()
        self.leaders: set[int] = set()
        self.months = months_between(WINDOW_START, self.last)
        # meeting_log[(org id, "2026-03", kind)] = [(created_at, present), ...], valid meetings
        self.meeting_log: dict[tuple, list] = defaultdict(list)
        self.theme_days: Counter = Counter()  # (org id, year) → theme days held
        self.life_meetings: dict[tuple, datetime.date] = {}  # (org id, year) → held on
        self.made: dict[str, int] = {}
        self._eligible_ids: dict[int, set[int]] = {}
        self._models: dict[int, Organization] = {}

    def rng(self, part: int) -> random.Random:
        return random.Random(self.seed * 1_000_003 + 7919 * part)

    def at(self, day: datetime.date, rng, first=8, last=18) -> datetime.datetime:
        minutes = rng.randrange(first * 60, last * 60)
        naive = datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60))
        return timezone.make_aware(naive, self.tz)

    def user(self, name):
        return self.world.users.get(name)

    # -- run -------------------------------------------------------------------------------

    def run(self) -> dict:
        w = self.world
        if w.root is None or self.last < WINDOW_START:
            return {}
        if _pg():
            with connection.cursor() as cursor:
                _analyze(cursor, [Organization, Member, Officer])  # written by the loader
        self.named_users()
        self.diligence()
        self.say("正在生成换届选举……")
        self.elections()
        self.register_leaders()
        self.say("正在生成三会一课、主题党日和组织生活会……")
        self.meetings()
        self.planned_meetings()
        self.say("正在生成民主评议、谈心谈话和单位覆盖……")
        self.reviews()
        self.talks()
        self.units()
        self.say("正在生成目标责任书、交办单、晒账单、工作例会和书记项目……")
        self.pledges()
        self.assignments()
        self.work_meetings()
        self.projects()
        # The later apps' years, each in its own module: the domain apps' records first,
        # then what is computed from them (points, the assessment), then what is judged
        # from those (weak organizations).
        from . import (
            assessment_year,
            development_year,
            dues_year,
            governance_year,
            points_year,
            service_year,
            training_year,
            village_year,
            weakorgs_year,
        )

        governance_year.run(self)
        service_year.run(self)
        development_year.run(self)
        dues_year.run(self)
        training_year.run(self)
        village_year.run(self)
        points_year.run(self)
        assessment_year.run(self)
        weakorgs_year.run(self)
        # Supervision last: its ledger carries the weak organizations' rectification too.
        from . import supervision_year

        supervision_year.run(self)
        return dict(self.made)

    def write(self, tables: list[tuple[str, Rows]]):
        from .loader import bulk_mode  # loader imports this module: import it when used

        now = timezone.now()
        models = [rows.model for _, rows in tables]
        if _pg():
            # Dropping a foreign key alters both tables, which PostgreSQL refuses while
            # deferred checks of earlier writes in this transaction are pending: run them.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with bulk_mode(models):
            for name, rows in tables:
                self.made[name] = rows.write(now)
        if _pg():
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                # Fresh statistics for what was just written: the later years compute from
                # these tables in the same transaction (points, the assessment, weak
                # organizations), and a planner that takes them for empty joins them by
                # nested loops — minutes instead of a second.
                _analyze(cursor, [rows.model for _, rows in tables if rows.rows])
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)

    def named_users(self):
        """The demo users' organizations, so that their own records carry their names."""
        self.user_orgs = {}
        for username, org_id in Role.objects.filter(
            user__username__in=("county", "township", "branch")
        ).values_list("user__username", "organization_id"):
            self.user_orgs[org_id] = self.user(username)

    def diligence(self):
        """Each township (or second-level committee) has its own standard, each organization
        varies around it: the overview then has good and weaker areas to compare."""
        rng = self.rng(1)
        w = self.world
        areas: dict[int, float] = {}
        for org in w.orgs:
            if org.depth < 2:
                continue
            area = w.area_of(org)
            if area.id not in areas:
                if area.sector in ("agency", "school", "hospital", "public_institution"):
                    areas[area.id] = rng.uniform(0.90, 0.97)
                elif area.sector in ("private_enterprise", "social_organization"):
                    areas[area.id] = rng.uniform(0.78, 0.88)
                else:
                    areas[area.id] = rng.uniform(0.83, 0.96)
            mean = areas[area.id]
            if org.level == "village" and rng.random() < 0.04:
                org.p = rng.uniform(0.4, 0.65)  # a weak village organization
            else:
                org.p = max(0.5, min(1.0, rng.gauss(mean, 0.05)))
            org.q = max(0.75, min(1.0, rng.gauss(0.95, 0.03)))
        # A fixed theme day per township (每月固定主题党日), followed by most of its branches.
        fixed = {}
        for org in w.orgs:
            area = w.area_of(org) if org.depth >= 2 else org
            if area.id not in fixed:
                fixed[area.id] = rng.choice((5, 8, 10, 10, 15, 15, 18, 20, 25))
            day = fixed[area.id]
            org.theme_day = day if rng.random() < 0.8 else max(1, min(28, day + rng.randint(-4, 4)))

    # -- elections -------------------------------------------------------------------------

    def elections(self):
        rng = self.rng(2)
        w = self.world
        root_model = Organization.objects.get(pk=w.root.id)
        keys = [k for k in config.DEFAULTS if k.startswith("terms.")]
        resolvers = {k: config.resolver(root_model, k) for k in keys}
        elections = Rows(
            Election,
            (
                "id",
                "organization_id",
                "held_on",
                "seats",
                "candidates",
                "voters",
                "present",
                "votes",
                "note",
                "created_by_id",
                "created_at",
            ),
        )
        officers = Rows(
            Officer,
            ("id", "organization_id", "member_id", "role", "term_start", "term_end", "ended_on"),
        )
        ended: dict[datetime.date, list[int]] = defaultdict(list)
        for org in w.orgs:
            if not org.seats:
                continue
            start = min(s.term_start for s in org.seats)
            org.term_started_on = start
            if org.kind in (GROUP, "temporary"):
                continue  # leaders appointed, not elected
            years = health_rules.term_years(
                org.kind, org.level, None, lambda k, p=org.path: resolvers[k](p)
            )
            due = health_rules.add_years(start, years)
            if WINDOW_START <= start <= self.last:
                # The election that began the current term (the spring village round …).
                self._election(org, start, elections, rng)
            elif AS_OF < due <= self.last:
                # The term ran out since the county was generated: most have re-elected.
                chance = 1.0 if org.depth == 1 else 0.9 if org.is_committee else 0.8
                if rng.random() >= chance:
                    continue
                held = due - rng.randrange(0, 26) * DAY
                held = max(held, start + DAY)
                if held > self.last or not self._election(org, held, elections, rng):
                    continue
                end = health_rules.add_years(held, years)
                new_seats = []
                for seat in org.seats:
                    ended[held].append(seat.id)
                    pk = officers.add(
                        org.id,
                        seat.member_id,
                        seat.role,
                        held.isoformat(),
                        end.isoformat(),
                        None,
                    )
                    new_seats.append(Seat(pk, org.id, seat.member_id, seat.role, held, end))
                org.seats = new_seats
                org.term_started_on = held
        for day, ids in sorted(ended.items()):
            Officer.objects.filter(pk__in=ids).update(ended_on=day)
        self.made["officers_ended"] = sum(len(v) for v in ended.values())
        self.write([("elections", elections), ("officers", officers)])
        rows = [
            Organization(pk=o.id, term_started_on=o.term_started_on)
            for o in w.orgs
            if o.term_started_on is not None
        ]
        Organization.objects.bulk_update(rows, ["term_started_on"], batch_size=500)

    def _election(self, org: Org, held: datetime.date, rows: Rows, rng) -> bool:
        """An election that (re-)elected the current committee, as record_election would
        accept it: the incumbents are full members of the subtree and win, with 20% more
        candidates than seats. False when the data cannot make a valid one."""
        people = self.world.people
        full = [m for m in org.sub if m.full_by(held) and m.joined_on <= held]
        full_ids = {m.id for m in full}
        incumbents = [s.member_id for s in org.seats]
        if len(set(incumbents)) != len(incumbents) or not all(i in full_ids for i in incumbents):
            return False
        seats = len(incumbents)
        if not 1 <= seats <= 7:
            return False
        wanted = seats if seats == 1 else math.ceil(seats * 1.2)
        others = [m.id for m in full if m.id not in set(incumbents)]
        if len(others) < wanted - seats:
            return False
        extra = rng.sample(others, wanted - seats)
        voters = len(full)
        congress = org.is_committee and voters > 250
        if congress:
            voters = rng.randint(150, 250)  # delegates of the Party congress
        present = voters - rng.randint(0, (voters - 1) // 5)
        votes = {}
        for member_id in incumbents:
            votes[member_id] = rng.randint(max(present // 2 + 1, math.ceil(present * 0.8)), present)
        low = min(votes.values())
        for member_id in extra:
            votes[member_id] = rng.randint(0, min(low - 1, (present - 1) // 2))
        errors = health_rules.election_errors(
            seats=seats,
            candidates=len(votes),
            voters=voters,
            present=present,
            votes={people[m].name + str(m): v for m, v in votes.items()},
        )
        winners = health_rules.elected(votes, seats, present)
        if errors or sorted(winners) != sorted(incumbents):
            return False
        how = "党员代表大会" if congress else "党员大会"
        note = (
            f"{held.year}年换届选举，召开{how}，实行差额选举，应选委员{seats}名，候选人{len(votes)}名"
            if seats > 1
            else f"{held.year}年换届选举，召开{how}，等额选举书记1名"
        )
        created = min(held + rng.randint(0, 4) * DAY, self.last)
        rows.add(
            org.id,
            held.isoformat(),
            seats,
            len(votes),
            voters,
            present,
            _json({str(m): v for m, v in votes.items()}),
            note,
            self.user_orgs.get(org.id),
            self.dt(self.at(created, rng)),
        )
        return True

    # -- leaders ---------------------------------------------------------------------------

    def register_leaders(self):
        """County leaders and township secretaries keep participation records (组织生活纪实)."""
        w = self.world
        rows = Rows(Leader, ("id", "member_id", "title", "registered_on", "ended_on"))
        done = set()
        registered = datetime.date(2026, 1, 6)
        for org in w.orgs:
            if org.depth > 2 or not org.is_committee:
                continue
            for seat in org.seats:
                if seat.member_id in done or seat.member_id not in w.people:
                    continue
                if org.depth == 1:
                    title = ROOT_TITLES.get(seat.role, "县委常委")
                    if org.level != "county":
                        title = f"{org.short()}{title.replace('县', '')}"
                elif seat.role == "secretary":
                    title = f"{org.short()}党委书记"
                elif seat.role == "deputy_secretary" and org.level in ("township", "street"):
                    head = "乡长" if org.name.endswith("乡委员会") else "镇长"
                    title = f"{org.short()}党委副书记、{head}"
                else:
                    continue
                done.add(seat.member_id)
                rows.add(seat.member_id, title[:80], registered.isoformat(), None)
        self.leaders = done
        self.write([("leaders", rows)])

    # -- meetings --------------------------------------------------------------------------

    def meetings(self):
        rng = self.rng(3)
        w = self.world
        root_model = Organization.objects.get(pk=w.root.id)
        requirements = config.resolver(root_model, "life.requirements")
        # Entered within the late-entry window, or a late entry (补录) approved above.
        grace = config.resolver(root_model, "life.late_entry_days")
        self.requirements, self.late_days = requirements, grace
        threshold = config.resolver(root_model, "setup.branch_committee_min_full_members")
        self.meeting_rows = Rows(
            Meeting,
            (
                "id",
                "organization_id",
                "kind",
                "held_on",
                "place",
                "host_id",
                "topic",
                "minutes",
                "resolutions",
                "lecturer_member_id",
                "lecturer",
                "created_by_id",
                "created_at",
                "voided_on",
                "void_reason",
                "quorum_due",
                "quorum_present",
                "late_entry",
                "approved_by_id",
                "approved_on",
                "review_year",
            ),
        )
        self.attendance_rows = Rows(
            Attendance, ("id", "meeting_id", "member_id", "status", "reason")
        )
        # A theme day that is also the quarter's Party lecture is one record of both kinds.
        self.extra_kind_rows = Rows(ExtraKind, ("id", "meeting_id", "kind"))
        self.lectures_on: dict[tuple, tuple] = {}  # (org id, day) → (id, recorded, created, n)
        periods = {
            "month": self.months,
            "quarter": sorted({Period.quarter_of(m.start) for m in self.months}),
            "year": sorted({Period(m.year) for m in self.months}),
        }
        for org in w.orgs:
            if org.kind not in BRANCH_LIKE and org.kind != GROUP:
                continue
            if not w.eligible(org):
                continue
            full = sum(1 for m in org.sub if m.status == "full")
            for kind, (per, count) in requirements(org.path).items():
                if not life_rules.applies(kind, org.kind, full, threshold(org.path)):
                    continue
                for slot in periods.get(per, []):
                    if org.founded_on and org.founded_on > slot.end:
                        continue
                    self._slot(org, kind, slot, count, grace(org.path), rng)
        for org in w.orgs:
            # Required yearly of every committee and working committee (life.requirements).
            if org.is_committee and w.eligible(org):
                self._leadership_life_meeting(org, rng)
        self.write(
            [
                ("meetings", self.meeting_rows),
                ("attendance", self.attendance_rows),
                ("extra_kinds", self.extra_kind_rows),
            ]
        )

    def planned_meetings(self):
        """Plans for the coming weeks (会议计划) of the demo branch and about one village
        branch in ten: this month's theme day if still ahead, next month's theme day, and
        for every other one next month's Party lecture; about one plan in seven was
        cancelled yesterday (rescheduled). Nothing is planned before today, none is held yet."""
        rng = self.rng(11)
        w = self.world
        demo = [o for o in w.orgs if o.id in self.user_orgs and o.kind == "branch"]
        villages = [
            o for o in w.orgs if o.level == "village" and o.kind == "branch" and o not in demo
        ]
        chosen = demo + rng.sample(villages, min(len(villages), max(1, len(villages) // 10)))
        rows = Rows(
            PlannedMeeting,
            (
                "id",
                "organization_id",
                "kind",
                "planned_on",
                "planned_at",
                "place",
                "topic",
                "created_by_id",
                "created_at",
                "cancelled_on",
                "cancel_reason",
                "meeting_id",
            ),
        )
        this = Period.month_of(self.today)
        following = Period.month_of(this.end + DAY)
        n = 0
        for i, org in enumerate(chosen):
            plans = []
            day = _clamp_day(this.year, this.month, org.theme_day)
            if day >= self.today:
                plans.append(("theme_day", day, f"{this.month}月主题党日：集中学习和志愿服务"))
            day = _clamp_day(following.year, following.month, org.theme_day)
            plans.append(("theme_day", day, f"{following.month}月主题党日：学习党章党规"))
            if i % 2 == 0:
                day = _weekday_on_or_after(_clamp_day(following.year, following.month, 20))
                plans.append(("party_lecture", day, "书记讲党课：践行党的宗旨，服务群众"))
            for kind, day, topic in plans:
                created = self.at(self.today - rng.randint(2, 10) * DAY, rng)
                # The demo branch keeps its theme days: its member's desk lists them.
                cancelled = n % 7 == 1 and not (org in demo and kind == "theme_day")
                rows.add(
                    org.id,
                    kind,
                    day.isoformat(),
                    f"{rng.choice((9, 10, 15))}:00:00",
                    self._place(org),
                    topic,
                    self.user_orgs.get(org.id),
                    self.dt(created),
                    self.last.isoformat() if cancelled else None,
                    "与乡镇集中培训时间冲突，另行安排" if cancelled else "",
                    None,
                )
                n += 1
        self.write([("planned_meetings", rows)])

    def _intended(self, org: Org, kind: str, slot: Period, rng) -> datetime.date:
        """When the organization means to hold a meeting of `kind` in `slot`."""
        if slot.kind == "month":
            theme = _clamp_day(slot.year, slot.month, org.theme_day)
            if kind == "theme_day":
                return theme
            if kind == "committee_meeting":
                return max(slot.start, theme - rng.randint(1, 6) * DAY)
            return _clamp_day(slot.year, slot.month, rng.randint(3, 26))
        if slot.kind == "quarter":
            months = [
                p
                for p in (
                    Period(slot.year, month=m) for m in range(slot.start.month, slot.end.month + 1)
                )
                if p.end >= WINDOW_START
            ]
            month = rng.choices(months, weights=[3, 4, 4][-len(months) :])[0]
            if rng.random() < 0.6:
                return _clamp_day(month.year, month.month, org.theme_day)
            return _clamp_day(month.year, month.month, rng.randint(3, 27))
        # A year: the life meeting closes the year in December; a few hold it in November.
        early = datetime.date(slot.year, 11, rng.randint(3, 20))
        if rng.random() < 0.12 and early >= WINDOW_START:
            return early
        return datetime.date(slot.year, 12, rng.randint(8, 30))

    def _slot(self, org: Org, kind: str, slot: Period, count: int, grace: int, rng):
        deadline = slot.end + grace * DAY
        used = set()
        for _ in range(count):
            if rng.random() >= org.p:
                continue  # not held: the slot will show as missing (or pending)
            held = self._intended(org, kind, slot, rng)
            if org.founded_on and held < org.founded_on:
                held = org.founded_on + rng.randint(0, 6) * DAY
            if held < max(slot.start, WINDOW_START) or held > slot.end or held in used:
                continue
            if held > self.last:
                continue  # still to come
            if rng.random() < org.q:
                recorded = min(held + rng.choice((0, 0, 0, 1, 1, 2, 3, 5)) * DAY, deadline)
            else:
                recorded = deadline + rng.randint(1, 30) * DAY
            if recorded > self.last:
                continue  # held, but not recorded yet
            used.add(held)
            self._meeting(org, kind, held, recorded, rng)

    def _leadership_life_meeting(self, org: Org, rng):
        eligible = {m.id for m in org.sub}
        seats = [s.member_id for s in org.seats if s.member_id in eligible]
        if len(seats) < 2:
            return
        if rng.random() < 0.7:
            held = datetime.date(2025, 12, rng.randint(18, 30))
        else:
            held = datetime.date(2026, 1, rng.randint(8, 28))
        if held > self.last:
            return
        self._meeting(
            org,
            "leadership_life_meeting",
            held,
            held + rng.randint(1, 5) * DAY,
            rng,
            invitees=[self.world.people[m] for m in seats],
        )

    def _place(self, org: Org) -> str:
        if org.kind == GROUP:
            return "党员中心户家中" if org.level == "village" else "楼栋党员活动点"
        if org.level == "village":
            return f"{org.short().removesuffix('村')}村党群服务中心"
        if org.level in ("community", "grid"):
            return "社区党群服务中心"
        if org.sector == "school":
            return "学校党员活动室"
        if org.sector == "hospital":
            return "医院党员活动室"
        if org.level == "enterprise":
            return "公司党员活动室"
        if org.is_committee:
            return "党委会议室"
        return "机关党员活动室"

    def _topic(self, org: Org, kind: str, held: datetime.date, rng) -> tuple[str, str, str]:
        """(topic, resolutions, lecturer)."""
        if kind == "theme_day":
            topic = rng.choice(texts.THEME_DAYS[held.month]).format(n=held.year - 1921)
            return topic, "", ""
        if kind == "branch_assembly":
            quarter = (held.month - 1) // 3 + 1
            return rng.choice(texts.ASSEMBLIES[quarter]), rng.choice(texts.ASSEMBLY_RESOLUTIONS), ""
        if kind == "committee_meeting":
            return rng.choice(texts.COMMITTEE_MEETINGS), rng.choice(texts.COMMITTEE_RESOLUTIONS), ""
        if kind == "group_meeting":
            return rng.choice(texts.GROUP_MEETINGS), "", ""
        if kind == "party_lecture":
            return rng.choice(texts.LECTURES), "", ""
        year = held.year - 1 if held.month <= 6 else held.year
        if kind == "life_meeting":
            return f"{year}年度组织生活会暨民主评议党员", "", ""
        return f"{year}年度民主生活会", "", ""

    def _lecturer(self, org: Org, host: Person | None, rng) -> tuple[int | None, str]:
        """(the lecturing member: the secretary, or None, the name of an outside lecturer)."""
        w = self.world
        roll = rng.random()
        if roll < 0.7 and host is not None:
            return host.id, ""
        town = w.township_of(org)
        if roll < 0.88 and town is not None and town.seats:
            person = w.people.get(rng.choice(town.seats).member_id)
            if person is not None:
                return None, f"{person.name}（{town.short()}党委联系领导）"
        return None, f"{Namer(rng).person('m', 1975)}（县委党校讲师）"

    def _theme_day_at_lecture(self, org, held, rng) -> bool:
        """Half the theme days that fall on the day of a Party lecture are that lecture: the
        lecture's record also counts as the theme day (if entered by the month's deadline)."""
        lecture = self.lectures_on.get((org.id, held))
        if lecture is None or rng.random() >= 0.5:
            return False
        mid, recorded, created, present = lecture
        if recorded > life_rules.late_entry_deadline(held, "month", self.late_days(org.path)):
            return False
        self.extra_kind_rows.add(mid, "theme_day")
        self.meeting_log[(org.id, f"{held:%Y-%m}", "theme_day")].append((created, present))
        self.theme_days[(org.id, held.year)] += 1
        return True

    def eligible_ids(self, org: Org) -> set[int]:
        if org.id not in self._eligible_ids:
            self._eligible_ids[org.id] = {m.id for m in self.world.eligible(org)}
        return self._eligible_ids[org.id]

    def _meeting(self, org, kind, held, recorded, rng, invitees=None):
        w = self.world
        if kind == "theme_day" and self._theme_day_at_lecture(org, held, rng):
            return
        ids = self.eligible_ids(org)
        if invitees is None:
            if kind == "committee_meeting":
                seats = dict.fromkeys(s.member_id for s in org.seats if s.member_id in ids)
                invitees = [w.people[m] for m in seats]
            else:
                invitees = org.sub  # a group's own members, or the whole subtree
        invitees = [m for m in invitees if m.joined_on <= held and m.id in ids]
        secretary = org.secretary()
        host = w.people.get(secretary) if secretary else None
        if host is not None and (host.joined_on > held or host.id not in ids):
            host = None
        topic, resolutions, lecturer = self._topic(org, kind, held, rng)
        lecturer_member = None
        if kind == "party_lecture":
            lecturer_member, lecturer = self._lecturer(org, host, rng)
        mid = self.meeting_rows.next_id
        present = leave = absent = 0
        # Quorum (life.rules): full members at an assembly, the committee at its meeting.
        quorum = None
        if kind == "branch_assembly":
            quorum = [0, 0]
        elif kind == "committee_meeting":
            quorum = [len(invitees), 0]
        answers = [self._attends(org, person, held, rng) for person in invitees]
        if kind == "committee_meeting" and mid % 50:
            # A committee meets when enough of it can come: all but a deliberate few (every
            # 50th row) have their quorum; those are kept but do not count.
            short = len(answers) // 2 + 1 - sum(a[0] == "present" for a in answers)
            for i, (status, _reason) in enumerate(answers):
                if short > 0 and status != "present":
                    answers[i], short = ("present", ""), short - 1
        for person, (status, reason) in zip(invitees, answers, strict=True):
            self.attendance_rows.add(mid, person.id, status, reason)
            voting = kind == "committee_meeting" or person.full_by(held)
            if quorum is not None and kind == "branch_assembly" and voting:
                quorum[0] += 1
            if quorum is not None and voting and status == "present":
                quorum[1] += 1
            if status == "present":
                present += 1
            elif status == "leave":
                leave += 1
            else:
                absent += 1
        minutes = f"应到{len(invitees)}人，实到{present}人"
        if leave:
            minutes += f"，请假{leave}人"
        if absent:
            minutes += f"，缺席{absent}人"
        minutes += "。" + (f"{host.name}主持。" if host else "")
        created = self.at(recorded, rng)
        created_by = self.user_orgs.get(org.id)
        per = self.requirements(org.path).get(kind, ["year", 1])[0]
        late = recorded > life_rules.late_entry_deadline(held, per, self.late_days(org.path))
        approval = (False, None, None)
        if late:
            # The level above approves within days; the last few still await approval.
            approved = recorded + rng.randint(1, 10) * DAY
            if approved <= self.last:
                parent = org.parent
                approver = self.user_orgs.get(parent.id) if parent else None
                approval = (True, approver, approved.isoformat())
            else:
                approval = (True, None, None)
        self.meeting_rows.add(
            org.id,
            kind,
            held.isoformat(),
            self._place(org),
            host.id if host else None,
            topic[:200],
            minutes,
            resolutions,
            lecturer_member,
            lecturer[:60],
            created_by,
            self.dt(created),
            None,
            "",
            *(quorum or (None, None)),
            *approval,
            life_rules.default_review_year(kind, held),
        )
        self.meeting_log[(org.id, f"{held:%Y-%m}", kind)].append((created, present))
        if kind == "party_lecture":
            self.lectures_on[(org.id, held)] = (mid, recorded, created, present)
        if kind == "theme_day":
            self.theme_days[(org.id, held.year)] += 1
        if kind == "life_meeting":
            self.life_meetings[(org.id, life_rules.default_review_year(kind, held))] = held
        if rng.random() < 0.003:
            # Entered twice by mistake; the copy was voided (deleting is marking).
            voided = min(recorded + rng.randint(0, 3) * DAY, self.last)
            self.meeting_rows.add(
                org.id,
                kind,
                held.isoformat(),
                self._place(org),
                host.id if host else None,
                topic[:200],
                "",
                resolutions,
                lecturer_member,
                lecturer[:60],
                created_by,
                self.dt(self.at(recorded, rng)),
                voided.isoformat(),
                "重复录入",
                *(quorum or (None, None)),
                *approval,
                life_rules.default_review_year(kind, held),
            )

    def _attends(self, org: Org, person: Person, held, rng) -> tuple[str, str]:
        roll = rng.random()
        slack = (1 - org.p) * 0.3
        if person.id in self.leaders:
            if roll < 0.8 - slack:
                return "present", ""
            if roll < 0.98:
                return "leave", rng.choice(texts.LEADER_LEAVE_REASONS)
            return "absent", ""
        if person.is_mobile:
            if roll < 0.12:
                return "present", ""
            if roll < 0.9:
                return "leave", _weighted(rng, texts.MOBILE_LEAVE_REASONS)
            return "absent", ""
        if held.year - person.birth_year >= 80:
            if roll < 0.55:
                return "present", ""
            if roll < 0.95:
                return "leave", rng.choice(("年老体弱", "年老体弱", "生病"))
            return "absent", ""
        if roll < 0.93 - slack:
            return "present", ""
        if roll < 0.98 - slack / 2:
            return "leave", _weighted(rng, texts.LEAVE_REASONS)
        return "absent", ""

    # -- reviews and talks -----------------------------------------------------------------

    def reviews(self):
        """The member review (民主评议) held with each year's life meeting: 2025's in
        December or January, 2026's by the few branches that held their life meeting early."""
        rng = self.rng(4)
        w = self.world
        rows = Rows(
            Review,
            (
                "id",
                "organization_id",
                "year",
                "member_id",
                "grade",
                "follow_up",
                "follow_up_note",
                "reviewed_on",
                "created_by_id",
            ),
        )
        seen: set[tuple[int, int]] = set()
        for org in w.orgs:
            if org.kind not in BRANCH_LIKE or not org.sub:
                continue
            # The branch reviews its own members and those of its groups; a general branch
            # leaves its branches to review theirs.
            people = list(org.members)
            for child in org.children:
                if child.kind == GROUP:
                    people += child.sub
            for year in (2025, 2026):
                day = self.life_meetings.get((org.id, year))
                if day is None and year == 2025 and rng.random() < 0.5:
                    day = datetime.date(2026, 1, rng.randint(6, 25))
                if day is None or day > self.last:
                    continue
                graded = [m for m in people if m.full_by(day) and (m.id, year) not in seen]
                if not graded:
                    continue
                cap = life_rules.excellent_cap(len(graded), (1, 3))
                excellent = min(cap, round(len(graded) * rng.uniform(0.12, 0.28)))
                order = list(graded)
                rng.shuffle(order)
                for n, person in enumerate(order):
                    follow_up = note = ""
                    if n < excellent:
                        grade = "excellent"
                    else:
                        roll = rng.random()
                        if roll < 0.012:
                            grade = "basically_qualified"
                            follow_up = rng.choice(("education", "rectify"))
                        elif roll < 0.0145:
                            grade = "unqualified"
                            follow_up = rng.choice(("rectify", "rectify", "persuade_to_leave"))
                        else:
                            grade = "qualified"
                        note = texts.FOLLOW_UP_NOTES.get(follow_up, "")
                    seen.add((person.id, year))
                    rows.add(
                        org.id,
                        year,
                        person.id,
                        grade,
                        follow_up,
                        note,
                        day.isoformat(),
                        self.user_orgs.get(org.id),
                    )
        self.write([("reviews", rows)])

    def talks(self):
        """Heart-to-heart talks: committee members with each other before the life meeting,
        and a committee member with each member in the course of the year."""
        rng = self.rng(5)
        w = self.world
        rows = Rows(
            Talk,
            (
                "id",
                "organization_id",
                "held_on",
                "initiator_id",
                "counterpart_id",
                "topic",
                "note",
                "created_by_id",
                "created_at",
            ),
        )
        year_start = datetime.date(2026, 1, 5)
        for org in w.orgs:
            if org.kind not in BRANCH_LIKE:
                continue
            eligible = {m.id for m in w.eligible(org)}
            seats = [s.member_id for s in org.seats if s.member_id in eligible]
            seats = list(dict.fromkeys(seats))
            by = self.user_orgs.get(org.id)

            def talk(a, b, first, last, topic, org=org, by=by):
                if last < first:
                    return
                day = first + rng.randint(0, (last - first).days) * DAY
                person_a, person_b = w.people[a], w.people[b]
                if max(person_a.joined_on, person_b.joined_on) > day:
                    return
                recorded = min(day + rng.randint(0, 3) * DAY, self.last)
                rows.add(
                    org.id, day.isoformat(), a, b, topic, "", by, self.dt(self.at(recorded, rng))
                )

            for i, a in enumerate(seats):
                for b in seats[i + 1 :]:
                    # Before 2025's life meeting, and again this year.
                    if rng.random() < 0.8:
                        talk(
                            a,
                            b,
                            datetime.date(2025, 12, 1),
                            datetime.date(2025, 12, 20),
                            rng.choice(texts.COMMITTEE_TALKS),
                        )
                    if rng.random() < 0.85 * org.p:
                        talk(a, b, year_start, self.last, rng.choice(texts.COMMITTEE_TALKS))
            if not seats or org.kind == "general_branch":
                continue
            people = list(org.members)
            for child in org.children:
                if child.kind == GROUP:
                    people += child.sub
            for person in people:
                if person.id in seats or rng.random() >= 0.8 * org.p:
                    continue
                initiator = seats[0] if rng.random() < 0.5 else rng.choice(seats)
                if person.is_mobile:
                    topic = "了解外出务工情况，提醒按时参加组织生活、缴纳党费"
                else:
                    topic = rng.choice(texts.TALKS)
                talk(initiator, person.id, year_start, self.last, topic)
        self.write([("talks", rows)])

    # -- coverage ----------------------------------------------------------------------------

    def units(self):
        """The units of each area and how the Party reaches them: every unit with its own
        organization, the small enterprises of a joint branch, rural primary schools under
        the township's central school, small enterprises and social organizations with an
        instructor, and a few not reached yet."""
        rng = self.rng(6)
        namer = Namer(rng)
        w = self.world
        rows = Rows(
            Unit,
            (
                "id",
                "area_id",
                "name",
                "sector",
                "employees",
                "full_members",
                "coverage",
                "covering_organization_id",
                "instructor",
                "closed_on",
            ),
        )
        sizes = {
            "school": (40, 220),
            "hospital": (60, 480),
            "agency": (15, 90),
            "public_institution": (12, 70),
            "state_enterprise": (40, 400),
            "private_enterprise": (20, 260),
            "social_organization": (6, 40),
        }
        instructors: list[str] = []

        def instructor():
            if not instructors or rng.random() < 0.45:
                instructors.append(namer.person(rng.choice("mmf"), rng.randint(1965, 1990)))
            return instructors[-1] if rng.random() < 0.6 else rng.choice(instructors)

        def add(area, name, sector, coverage, covering=None, full=None):
            low, high = sizes.get(sector, (10, 80))
            employees = rng.randint(low, high)
            if full is None:
                full = rng.randint(0, 2)
            rows.add(
                area.id,
                name[:120],
                sector,
                employees,
                full,
                coverage,
                covering.id if covering else None,
                instructor() if coverage == "instructor" else "",
                None,
            )

        township_hospitals = []
        for org in w.orgs:
            if org.kind not in BRANCH_LIKE or org.parent is None:
                continue
            if org.parent.kind == "general_branch" or org.kind == "temporary":
                continue  # the general branch stands for the unit
            if "离退休" in org.name or org.level in ("village", "community", "grid"):
                continue
            sector = org.sector
            if sector not in sizes:
                continue
            area = org.parent
            full = sum(1 for m in org.sub if m.status == "full")
            if org.kind == "joint_branch":
                for _ in range(rng.randint(3, 5)):
                    name = f"宁陵县{namer.place()}{rng.choice(('商贸', '电子商务', '物流', '服饰'))}有限公司"
                    add(area, name, sector, "joint", org, rng.randint(0, 2))
                continue
            name = org.short().removesuffix("机关")
            if org.name.endswith("机关党支部") and org.parent.is_committee:
                name = org.short()  # e.g. 张弓镇机关
            add(area, name, sector, "own", org, full)
            if sector == "school" and ("中心学校" in org.name or "中心小学" in org.name):
                # Rural primary schools: their teachers' records sit in the central school's
                # branch; a few are reached only by an instructor, or not yet.
                town = org.short().removesuffix("中心学校").removesuffix("中心小学")
                names = set()
                for _ in range(rng.randint(7, 12)):
                    names.add(f"{town}{namer.village()}小学")
                for name in sorted(names):
                    roll = rng.random()
                    coverage = "own" if roll < 0.92 else "instructor" if roll < 0.97 else "none"
                    add(org, name, "school", coverage, org if coverage == "own" else None)
            if sector == "hospital" and "卫生院" in org.name:
                township_hospitals.append(org)
        # One township health centre in fourteen has a branch hospital with no organization.
        for org in township_hospitals[1::14]:
            add(org.parent, f"{org.short()}分院", "hospital", "instructor", None, 1)
        for org in w.orgs:
            if org.is_committee and org.level in ("township", "street"):
                for _ in range(rng.randint(1, 3)):
                    name = f"{org.short()}{namer.place()}{rng.choice(_industries())}有限公司"
                    coverage = "instructor" if rng.random() < 0.85 else "none"
                    add(org, name, "private_enterprise", coverage)
            elif org.is_committee and org.depth == 2 and org.sector == "private_enterprise":
                for _ in range(rng.randint(6, 9)):
                    name = f"宁陵县{namer.place()}{rng.choice(_industries())}有限公司"
                    add(org, name, "private_enterprise", "instructor")
                add(org, f"宁陵县{namer.place()}商贸有限公司", "private_enterprise", "none")
                for name in (
                    "县电子商务协会",
                    "县家政服务协会",
                    "县红白理事会联合会",
                    "县书法家协会",
                ):
                    coverage = "instructor" if name != "县书法家协会" else "none"
                    add(org, name, "social_organization", coverage)
        self.write([("units", rows)])

    # -- pledges -----------------------------------------------------------------------------

    def pledges(self):
        """Pledges signed in January: the county with each township and sector committee;
        some townships cascade targets on to their villages."""
        rng = self.rng(7)
        year = 2026
        if self.last < datetime.date(year, 1, 20):
            return
        pledges = Rows(
            Pledge,
            (
                "id",
                "issuer_id",
                "organization_id",
                "year",
                "title",
                "signed_on",
                "signed_by_id",
                "created_at",
            ),
        )
        targets = Rows(
            PledgeTarget,
            (
                "id",
                "pledge_id",
                "text",
                "kind",
                "target_value",
                "unit",
                "progress_value",
                "progress_note",
                "met",
                "source_id",
                "order",
            ),
        )
        elapsed = min(1.0, ((self.last - datetime.date(year, 1, 1)).days + 1) / 365)
        for county in self.counties():
            for org in county.children:
                if not org.is_committee:
                    continue
                township = org.level in ("township", "street")
                numbers = texts.TOWNSHIP_TARGETS if township else texts.AGENCY_TARGETS
                words = texts.TOWNSHIP_TEXT_TARGETS if township else texts.AGENCY_TEXT_TARGETS
                members = len(org.sub)
                villages = [
                    c
                    for c in org.children
                    if c.level == "village" and c.kind in ("branch", "general_branch")
                ]
                branches = sum(1 for o in self.subtree(org) if o.kind in BRANCH_LIKE)
                base = {"members": members, "villages": len(villages), "branches": branches}
                signed = datetime.date(year, 1, rng.randint(8, 18))
                created = self.at(signed - rng.randint(2, 5) * DAY, rng)
                pid = pledges.add(
                    county.id,
                    org.id,
                    year,
                    f"{year}年度基层党建工作目标责任书",
                    signed.isoformat(),
                    self.user_orgs.get(org.id),
                    self.dt(created),
                )
                order = 0
                cascade = township and villages and rng.random() < 0.6
                cascaded: list[tuple[int, str, str, decimal.Decimal | None, str]] = []
                for text, unit, basis, factor in numbers:
                    if basis and not base[basis]:
                        continue
                    value = max(1, round(base[basis] * factor)) if basis else factor
                    value = decimal.Decimal(value)
                    if text == texts.CASCADED_NUMBER and cascade:
                        progress = decimal.Decimal(0)  # done by the villages
                        note = "已分解到各村，按各村完成情况汇总"
                    else:
                        if text == texts.CASCADED_NUMBER:  # one a month, so far
                            done = self.last.month - (self.last.day < org.theme_day)
                        else:
                            done = round(float(value) * elapsed * rng.uniform(0.85, 1.25))
                        progress = decimal.Decimal(max(0, done))
                        note = f"截至{self.last.month}月{self.last.day}日完成{progress}{unit}"
                    tid = targets.add(
                        pid,
                        text,
                        "number",
                        _dec(value),
                        unit,
                        _dec(progress),
                        note[:300],
                        False,
                        None,
                        order,
                    )
                    order += 1
                    if text == texts.CASCADED_NUMBER and cascade:
                        cascaded.append((tid, text, "number", value, unit))
                for text in rng.sample(words, min(len(words), rng.randint(2, 3))):
                    met = rng.random() < 0.35 + 0.5 * elapsed * org.p
                    note = "已完成" if met else "正在推进"
                    if "组织生活会" in text:  # held at the year's end
                        met, note = False, "“三会一课”正常开展，组织生活会定于年底召开"
                    tid = targets.add(
                        pid,
                        text,
                        "text",
                        None,
                        "",
                        _dec(decimal.Decimal(0)),
                        note,
                        met,
                        None,
                        order,
                    )
                    order += 1
                    if cascade and text in texts.CASCADED_TEXTS:
                        cascaded.append((tid, text, "text", None, ""))
                if cascade:
                    self._cascade(org, villages, cascaded, pledges, targets, rng, year)
        self.write([("pledges", pledges), ("pledge_targets", targets)])

    def _cascade(self, town, villages, cascaded, pledges, targets, rng, year):
        """What tasks.services.cascade() makes: a pledge of the township for each village
        (signed in February, a few not yet), holding the targets passed on."""
        if not cascaded:
            return
        for village in villages:
            signed = datetime.date(year, 2, rng.randint(3, 26)) if rng.random() < 0.95 else None
            pid = pledges.add(
                town.id,
                village.id,
                year,
                f"{year}年基层党建工作目标责任书",
                signed.isoformat() if signed else None,
                self.user_orgs.get(village.id) if signed else None,
                self.dt(self.at(datetime.date(year, 1, rng.randint(20, 31)), rng)),
            )
            for order, (source, text, kind, value, unit) in enumerate(cascaded):
                if kind == "number":
                    held = self.theme_days[(village.id, year)]
                    progress, met = decimal.Decimal(held), False
                    note = f"已开展{held}次"
                else:
                    met = rng.random() < 0.6 * village.p and "组织生活会" not in text
                    progress, note = decimal.Decimal(0), "已完成" if met else "正在推进"
                targets.add(
                    pid, text, kind, _dec(value), unit, _dec(progress), note, met, source, order
                )

    def counties(self) -> list[Org]:
        """The organizations that sign pledges with, and issue assignments to, the townships:
        every county-level committee, or the root if there is none."""
        found = [o for o in self.world.orgs if o.level == "county" and o.is_committee]
        return found or [self.world.root]

    def subtree(self, org: Org):
        stack = [org]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    # -- assignments -------------------------------------------------------------------------

    def assignments(self):
        rng = self.rng(8)
        self.assignment_rows = Rows(
            Assignment,
            (
                "id",
                "issuer_id",
                "title",
                "content",
                "starts_on",
                "deadline",
                "receivers_spec",
                "text_required",
                "attachments_required",
                "board_shared",
                "status",
                "withdrawn_reason",
                "version",
                "created_by_id",
                "created_at",
                "reviewer",
                "relayed_from_id",
                "relay_note",
            ),
        )
        self.field_rows = Rows(
            AssignmentField,
            (
                "id",
                "assignment_id",
                "key",
                "label",
                "type",
                "unit",
                "required",
                "choices",
                "min_value",
                "max_value",
                "binding",
                "order",
            ),
        )
        self.revision_rows = Rows(
            AssignmentRevision,
            ("id", "assignment_id", "version", "changes", "reason", "at", "by_id"),
        )
        self.report_rows = Rows(
            ReportBack,
            (
                "id",
                "assignment_id",
                "organization_id",
                "path",
                "status",
                "values",
                "text",
                "reported_at",
                "first_reported_at",
                "reported_by_id",
                "returned_reason",
                "accepted_at",
                "revisions",
            ),
        )
        self.issued: dict[tuple[int, str], list[dict]] = defaultdict(list)
        models = {
            o.id: o
            for o in Organization.objects.filter(
                pk__in=[o.id for o in self.counties()] + [o.id for o in self.townships()]
            )
        }
        village_spec = {"mode": "filter", "levels": ["village"], "kinds": ["branch"]}
        town_spec = {
            "mode": "filter",
            "levels": ["village", "community"],
            "kinds": ["branch", "general_branch"],
        }
        receivers = {}
        for county in self.counties():
            receivers[county.id] = list(
                select_receivers(models[county.id], village_spec).values_list("id", flat=True)
            )
        for town in self.townships():
            receivers[town.id] = list(
                select_receivers(models[town.id], town_spec).values_list("id", flat=True)
            )
        withdrawn_done = revised_done = False
        for i, month in enumerate(self.months):
            starts = _weekday_on_or_after(month.start + DAY)
            if starts > self.last:
                continue
            for county in self.counties():
                if not receivers[county.id]:
                    continue
                rotating = 5 if month.month in (6, 7, 8) else 1 + i % 4
                for template in (texts.COUNTY_MONTHLY[0], texts.COUNTY_MONTHLY[rotating]):
                    revise = not revised_done and rotating == 5
                    # The county's monthly assignments to every village are reviewed by the
                    # townships (Reviewer.PARENT); the quarterly one by the county itself.
                    self._assignment(
                        county,
                        receivers[county.id],
                        village_spec,
                        template,
                        month,
                        starts,
                        rng,
                        revise=revise,
                        reviewer="parent",
                    )
                    revised_done = revised_done or revise
                if month.month in (1, 4, 7, 10):
                    quarter = Period.quarter_of(month.start)
                    self._assignment(
                        county,
                        receivers[county.id],
                        village_spec,
                        texts.QUARTERLY,
                        month,
                        starts + DAY,
                        rng,
                        quarter=quarter,
                    )
            for n, town in enumerate(self.townships()):
                if not receivers[town.id]:
                    continue
                template = texts.TOWNSHIP_MONTHLY[(i + n) % len(texts.TOWNSHIP_MONTHLY)]
                day = starts + rng.randint(0, 2) * DAY
                if day > self.last:
                    continue
                withdraw = not withdrawn_done and i == 3 and n == 1
                self._assignment(
                    town,
                    receivers[town.id],
                    town_spec,
                    template,
                    month,
                    day,
                    rng,
                    withdraw=withdraw,
                )
                withdrawn_done = withdrawn_done or withdraw
        self._relays(rng)
        self.write(
            [
                ("assignments", self.assignment_rows),
                ("assignment_fields", self.field_rows),
                ("assignment_revisions", self.revision_rows),
                ("report_backs", self.report_rows),
            ]
        )

    RELAYING = 2  # townships of each county that relay its visiting assignment

    def _relays(self, rng):
        """A few relays (转办), as tasks.services.relay() leaves them: in the last month the
        county asks its townships for a visiting report; the demo township and the first
        other one relay it to the branches directly under them (they have not reported
        yet: their report will be the branches' sum plus their own part); the other
        townships report themselves."""
        month = self.months[-1]
        starts = _weekday_on_or_after(month.start + DAY)
        if starts + DAY > self.last:
            return
        for county in self.counties():
            towns = [t for t in self.townships() if t.parent is county]
            if not towns:
                continue
            mine = [t for t in towns if t.id in self.user_orgs]
            relaying = {t.id for t in (mine + [t for t in towns if t not in mine])[: self.RELAYING]}
            spec = {"mode": "filter", "levels": sorted({t.level for t in towns})}
            info = self._assignment(
                county,
                [t.id for t in towns],
                spec,
                texts.RELAYED,
                month,
                starts,
                rng,
                relaying=relaying,
            )
            for town in towns:
                branches = [c for c in town.children if c.kind != GROUP]
                if town.id not in relaying or not branches:
                    continue
                self._assignment(
                    town,
                    [c.id for c in branches],
                    {"mode": "orgs", "codes": [c.code for c in branches]},
                    texts.RELAYED,
                    month,
                    starts + DAY,
                    rng,
                    relayed_from=info["rb_ids"][town.id],
                    note=texts.RELAY_NOTE,
                )

    def townships(self) -> list[Org]:
        return [o for o in self.world.orgs if o.is_committee and o.level in ("township", "street")]

    def _assignment(
        self,
        issuer,
        receiver_ids,
        spec,
        template,
        month,
        starts,
        rng,
        *,
        quarter=None,
        revise=False,
        withdraw=False,
        reviewer="issuer",
        relaying=(),
        relayed_from=None,
        note="",
    ):
        title, content, text_required, fields = template
        if quarter is not None:
            title = title.format(q=quarter.quarter)
            deadline = quarter.end
        else:
            title = title.format(m=month.month)
            deadline = month.end
        by = self.user_orgs.get(issuer.id)
        aid = self.assignment_rows.next_id
        status, reason, version = "active", "", 1
        if withdraw:
            status, reason = "withdrawn", "与县委组织部交办单内容重复，撤回"
        original = deadline
        if revise:
            deadline = deadline + 5 * DAY
            version = 2
        self.assignment_rows.add(
            issuer.id,
            title,
            content,
            starts.isoformat(),
            deadline.isoformat(),
            _json(spec),
            text_required,
            0,
            True,
            status,
            reason,
            version,
            by,
            self.dt(self.at(starts, rng, 8, 11)),
            reviewer,
            relayed_from,
            note,
        )
        if revise:
            self.revision_rows.add(
                aid,
                2,
                _json({"deadline": [str(original), str(deadline)]}),
                "防汛任务重，截止日期延后5天",
                self.dt(self.at(min(starts + 6 * DAY, self.last), rng)),
                by,
            )
        specs = []
        for order, (key, label, ftype, unit, extra) in enumerate(fields):
            spec_field = {
                "key": key,
                "label": label,
                "type": ftype,
                "required": True,
                "choices": list(extra.get("choices", [])),
                "min_value": extra.get("min"),
                "max_value": extra.get("max"),
                "binding": extra.get("binding", ""),
                "gen": extra.get("gen"),
            }
            specs.append(spec_field)
            self.field_rows.add(
                aid,
                key,
                label,
                ftype,
                unit,
                True,
                _json(spec_field["choices"]),
                _dec(_decimal_or_none(spec_field["min_value"])),
                _dec(_decimal_or_none(spec_field["max_value"])),
                spec_field["binding"],
                order,
            )
        info = {
            "id": aid,
            "title": title,
            "deadline": deadline,
            "status": status,
            "rbs": [],
            "rb_ids": {},
        }
        self.issued[(issuer.id, str(month))].append(info)
        period = Period.month_of(starts)
        receivers = [self.world.by_id[i] for i in receiver_ids if i in self.world.by_id]
        by_path = {o.path: o for o in receivers}
        # The receivers nearest below each one, whose records it leaves to them (bound_figure).
        below = task_rules.nearest_below_each(by_path)
        for org in receivers:
            info["rb_ids"][org.id] = self.report_rows.next_id
            if org.id in relaying:  # relayed on (转办), not reported yet
                self.report_rows.add(
                    aid,
                    org.id,
                    org.path,
                    "not_started",
                    _json({}),
                    "",
                    None,
                    None,
                    None,
                    "",
                    None,
                    0,
                )
                continue
            info["rbs"].append(
                self._report_back(
                    org,
                    aid,
                    starts,
                    deadline,
                    specs,
                    text_required,
                    period,
                    status == "withdrawn",
                    rng,
                    [by_path[p] for p in below[org.path]],
                )
            )
        return info

    def _ready(self, org: Org, period: Period, deadline) -> datetime.date | None:
        """The day the month's meetings of `org` (and its groups) were all on record, by
        the deadline: a branch reports after them."""
        ready = None
        key = str(period)
        for node in self.subtree(org):
            for kind in MeetingKind.values:
                for created, _ in self.meeting_log.get((node.id, key, kind), ()):
                    day = created.astimezone(self.tz).date()
                    if day <= deadline and (ready is None or day > ready):
                        ready = day
        return ready

    def _report_back(
        self, org, aid, starts, deadline, fields, text_required, period, withdrawn, rng, below
    ):
        """One receiver's report-back, as report(), accept() and return_() leave it."""
        last = self.last
        ready = self._ready(org, period, deadline) if not withdrawn else None
        earliest = max(starts, ready) if ready else starts
        state = {"status": "not_started", "first": None, "deadline": deadline}
        if withdrawn:
            self.report_rows.add(
                aid, org.id, org.path, "not_started", _json({}), "", None, None, None, "", None, 0
            )
            return state
        p = org.p
        first = None
        returned_once = False
        if deadline >= self.today:  # still open
            span = max(1, (deadline - starts).days)
            elapsed = min(1.0, ((last - starts).days + 1) / span)
            if rng.random() < p * elapsed * 0.8 and last >= earliest:
                first = earliest + rng.randint(0, (last - earliest).days) * DAY
                roll = rng.random()
                status = "accepted" if roll < 0.3 else "returned" if roll < 0.4 else "reported"
            else:
                status = "not_started"
        else:
            if rng.random() < 0.01 + (1 - p) * 0.12:
                status = "not_started"  # never reported: late
            else:
                if rng.random() < 0.94 * org.q:
                    first = deadline - rng.randint(0, min(10, (deadline - starts).days)) * DAY
                    if ready and first < ready:
                        first = min(deadline, ready + rng.randint(0, 2) * DAY)
                else:
                    first = deadline + rng.randint(1, 15) * DAY
                first = min(first, last)
                recent = deadline >= self.today - 35 * DAY
                roll = rng.random()
                if recent:
                    status = (
                        "accepted" if roll < 0.78 else "reported" if roll < 0.93 else "returned"
                    )
                else:
                    status = (
                        "accepted" if roll < 0.975 else "reported" if roll < 0.995 else "returned"
                    )
                returned_once = status != "returned" and rng.random() < 0.06
        if first is None:
            self.report_rows.add(
                aid, org.id, org.path, "not_started", _json({}), "", None, None, None, "", None, 0
            )
            return state
        first_at = self.at(first, rng)
        reported_at, revisions = first_at, 1
        if returned_once:
            again = first + rng.randint(2, 6) * DAY
            if again <= last and (again <= deadline or deadline < self.today):
                reported_at, revisions = self.at(again, rng), 2
        accepted_at = None
        if status == "accepted":
            day = reported_at.astimezone(self.tz).date() + rng.randint(0, 5) * DAY
            if day > last:
                status = "reported"
            else:
                accepted_at = max(self.at(day, rng), reported_at + datetime.timedelta(minutes=5))
                if accepted_at.astimezone(self.tz).date() > last:
                    status, accepted_at = "reported", None
        values = self._values(org, fields, period, reported_at, rng, below)
        text = rng.choice(texts.REPORT_TEXTS) if text_required or rng.random() < 0.4 else ""
        reason = rng.choice(texts.RETURN_REASONS) if status == "returned" else ""
        self.report_rows.add(
            aid,
            org.id,
            org.path,
            status,
            _json(values),
            text,
            self.dt(reported_at),
            self.dt(first_at),
            self.user_orgs.get(org.id),
            reason,
            self.dt(accepted_at) if accepted_at else None,
            revisions,
        )
        state.update(status=status, first=first)
        return state

    def _values(self, org, fields, period: Period, reported_at, rng, below) -> dict:
        """Field values that tasks.rules.clean_value accepts; bound fields are the figures
        the records gave when the report-back was made, less those of the receivers
        nearest below `org` (tasks.services.bound_figure, as report() fills them)."""
        end = period.end
        n = sum(1 for m in org.sub if m.joined_on <= end)
        values: dict = {}
        for f in fields:
            gen, ftype = f["gen"], f["type"]
            if f["binding"]:
                values[f["key"]] = bound_figure(
                    lambda o, b=f["binding"]: self._bound(
                        b, o, [x.id for x in self.subtree(o)], period, reported_at
                    ),
                    org,
                    below,
                )
                continue
            reported_on = reported_at.astimezone(self.tz).date()
            raw = _generated(gen, ftype, f, n, org, period, values, reported_on, rng)
            value, error = task_rules.clean_value(f, raw)
            if error:
                raise AssertionError(f"generated value {raw!r} for {f['label']}: {error}")
            if value is not None:
                values[f["key"]] = value
        return values

    def _bound(self, binding, org, orgs, period, reported_at) -> int:
        """What the bound figure (rollups.registry) gave for `org` when the report-back was made: the
        meetings (or members present at them) recorded by then; member figures as now."""
        name = binding.split(".", 1)[1]
        if binding.startswith("life."):
            kinds = MeetingKind.values if name == "meetings" else [name.removesuffix("_attendance")]
            present = name.endswith("_attendance")
            total = 0
            for oid in orgs:
                for kind in kinds:
                    for created, n in self.meeting_log.get((oid, str(period), kind), ()):
                        if created <= reported_at:
                            total += n if present else 1
            return total
        if org.id not in self._models:
            self._models[org.id] = Organization.objects.get(pk=org.id)
        return int(registry.compute_binding(binding, self._models[org.id], period))

    # -- work meetings and secretary projects --------------------------------------------------

    def work_meetings(self):
        """The monthly work meeting (例会) early in the next month reviews the month's
        report-backs and lays out the next month's work."""
        rng = self.rng(9)
        meetings = Rows(
            WorkMeeting,
            ("id", "organization_id", "held_on", "month", "attendees", "notes", "created_at"),
        )
        links = Rows(WorkMeeting.assignments.through, ("id", "workmeeting_id", "assignment_id"))
        for org in self.counties() + self.townships():
            county = org.level == "county" or org.depth == 1
            for month in self.months:
                held = _weekday_on_or_after(month.end + rng.randint(2, 6) * DAY)
                if held > self.last:
                    continue
                issued = self.issued.get((org.id, str(month)), [])
                rbs = [rb for a in issued if a["status"] == "active" for rb in a["rbs"]]
                reported = [rb for rb in rbs if rb["first"] is not None and rb["first"] <= held]
                late = [rb for rb in reported if rb["first"] > rb["deadline"]]
                returned = sum(1 for rb in rbs if rb["status"] == "returned")
                nxt = Period.month_of(month.end + DAY)
                lines = []
                if rbs:
                    lines.append(
                        f"讲评{month.month}月交办单{len([a for a in issued if a['status'] == 'active'])}项："
                        f"应报送{len(rbs)}份，已报送{len(reported)}份，其中逾期{len(late)}份"
                        + (f"，退回{returned}份" if returned else "")
                        + "。"
                    )
                else:
                    lines.append(f"通报{month.month}月重点工作完成情况。")
                lines.append(
                    f"部署{nxt.month}月重点工作："
                    + rng.choice(
                        (
                            "三会一课和主题党日按时召开，晒账单按时报送。",
                            "做好党员发展和党费收缴，加强流动党员管理。",
                            "落实村干部坐班值班，开展走访群众和民情收集。",
                            "推进书记项目和软弱涣散村整顿，补齐短板。",
                        )
                    )
                )
                attendees = (
                    "县委常委、组织部部长，组织部副部长，各乡镇党委副书记、组织委员"
                    if county
                    else f"{org.short()}党委书记、副书记、组织委员，各村（社区）党支部书记"
                )
                mid = meetings.add(
                    org.id,
                    held.isoformat(),
                    str(month),
                    attendees,
                    "\n".join(lines),
                    self.dt(self.at(min(held + rng.randint(0, 2) * DAY, self.last), rng)),
                )
                for a in issued:
                    links.add(mid, a["id"])
        self.write([("work_meetings", meetings), ("work_meeting_assignments", links)])

    def projects(self):
        """Secretary projects (书记项目) of the townships, the other committees and some
        village branches, each with one plan item a month; the months gone by mostly done."""
        rng = self.rng(10)
        w = self.world
        year = 2026
        if self.last < datetime.date(year, 1, 15):
            return
        projects = Rows(
            SecretaryProject,
            (
                "id",
                "organization_id",
                "secretary_id",
                "year",
                "title",
                "goal",
                "results",
                "brand",
                "created_at",
            ),
        )
        items = Rows(PlanItem, ("id", "project_id", "month", "text", "progress", "done"))
        chosen = [o for o in w.orgs if o.is_committee and o.depth == 2]
        demo_branch = [o for o in w.orgs if o.id in self.user_orgs and o.kind == "branch"]
        villages = [
            o
            for o in w.orgs
            if o.level == "village" and o.kind == "branch" and o not in demo_branch
        ]
        chosen += demo_branch + rng.sample(
            villages, min(len(villages), max(1, len(villages) // 12))
        )
        pool = list(texts.PROJECTS)
        for n, org in enumerate(chosen):
            secretary = next((s.member_id for s in org.seats if s.role == "secretary"), None)
            if secretary is None or org.kind not in COMMITTEES + ("general_branch", "branch"):
                continue
            title, goal, brand = pool[n % len(pool)]
            if org.level == "community" or "社区" in org.name:
                title, goal, brand = texts.PROJECTS[6]
            started = datetime.date(year, 1, rng.randint(15, 31))
            months_done = self.last.month if self.last.year == year else 12
            results = ""
            if months_done >= 9 and rng.random() < 0.5:
                results = rng.choice(
                    (
                        "已完成阶段目标，形成可复制的经验做法，在全县观摩会上作交流发言。",
                        "项目带动党员群众参与，群众满意度明显提升，相关做法被县级媒体报道。",
                        "试点村经验已全面推开，年底前完成全部任务。",
                    )
                )
            pid = projects.add(
                org.id,
                secretary,
                year,
                title,
                goal,
                results,
                brand if results or rng.random() < 0.3 else "",
                self.dt(self.at(started, rng)),
            )
            for m, step in enumerate(texts.PROJECT_STEPS, start=1):
                month = Period(year, month=m)
                if month.start > self.last:
                    items.add(pid, str(month), step, "", False)
                    continue
                current = month.end >= self.today
                done = rng.random() < (0.45 if current else 0.9 * max(org.p, 0.7))
                progress = "已完成" if done else "正在推进" if current else "未完成，已列入下月计划"
                items.add(pid, str(month), step, progress, done)
        self.write([("secretary_projects", projects), ("plan_items", items)])


def _weighted(rng, pairs) -> str:
    names, weights = zip(*pairs, strict=True)
    return rng.choices(names, weights=weights)[0]


def _decimal_or_none(value):
    return None if value is None else decimal.Decimal(str(value))


def _industries():
    return INDUSTRIES


def _generated(gen, ftype, f, n, org, period, values, reported_on, rng):
    """A raw value for a report-back field, of the kind a branch would type."""
    agency = org.level not in ("village", "community", "grid")
    if gen == "members":
        return max(0, round(n * rng.uniform(0.8, 1.0)))
    if gen == "members_most":
        due = values.get("due", n)
        return max(0, due - rng.randint(0, max(0, due // 25)))
    if gen == "members_some":
        return max(0, round(n * rng.uniform(0.2, 0.6)))
    if gen == "yes":
        return True
    if gen == "mostly_yes":
        return rng.random() < 0.92
    if gen == "dues":
        per = rng.uniform(20, 60) if agency else rng.uniform(0.5, 1.5)
        return str(decimal.Decimal(n * per).quantize(decimal.Decimal("0.01")))
    if gen == "small":
        return rng.randint(0, 6)
    if gen == "tiny":
        return rng.randint(0, 2)
    if gen == "households":
        return round(n * rng.uniform(1.5, 3.5))
    if gen == "solved":
        issues = values.get("issues", 0)
        return rng.randint(max(0, issues - 2), issues)
    if gen == "percent":
        return str(decimal.Decimal(rng.uniform(92, 100)).quantize(decimal.Decimal("0.1")))
    if gen == "tons":
        return str(decimal.Decimal(rng.uniform(0.5, 8)).quantize(decimal.Decimal("0.1")))
    if gen == "workdays":
        return max(0, workdays(period) - rng.randint(0, 2))
    if gen == "date":
        last = min(period.end, reported_on)
        first = min(period.start, last)
        return (first + rng.randint(0, (last - first).days) * DAY).isoformat()
    if ftype == "choice":
        choices = f["choices"]
        weights = [6] + [1] * (len(choices) - 1)
        return rng.choices(choices, weights=weights)[0]
    if ftype == "boolean":
        return True
    if ftype in ("integer", "decimal"):
        return rng.randint(0, 5)
    return "已完成"


def generate(*, seed: int, today: datetime.date | None = None, progress=None) -> dict:
    """Add the activity to the loaded organizations; returns the number of rows by table."""
    today = today or timezone.localdate()
    return Activity(seed, today, progress).run()
