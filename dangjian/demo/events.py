"""The demo county's year of changes to the member roll, made through the services.

Every county's roll changes in a year: members die (a county with about 2,900 members over
70 loses 150–250 a year) and a few are removed otherwise, records are transferred out of the
county and into it, members move between branches, a cohort is admitted around 1 July (七一),
probationary members are made full when their year is up, and a few secretary posts fall
vacant. `generate(seed, today)` makes these, from WINDOW_START to yesterday, before the
activity is generated (so meetings, reviews and elections see the roll as it now stands).

Moves within the county and transfers out of it go through transfer letters
(`members.transfers`: issued, received, confirmed; transfers out closed by the receipt,
a few still pending at the end of the window, one move in 50 sent back); members coming
from outside are registered with the letter they brought; every member flagged mobile gets
a mobile record (where, until when, document, contact).

Unlike the activity, these go through `members.services` (remove, create, move, update) and
`orgs.services.end_officer`: there are only a few hundred, and so each member's history, the
audit log and the roll-ups are exactly those a branch would have produced. They are drawn
from one `random.Random` stream seeded by `seed` and from the rows read in a fixed order, so
the same data and the same `today` give the same changes.

What is left alone: current officers (except the vacated secretaries) and the demo users'
members are neither removed nor moved; a vacancy is only made where no election can fall in
the window (the term started before it and runs beyond yesterday), so that every generated
election still re-elects the committee in office.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass

from dangjian.core import config
from dangjian.health import rules as health_rules
from dangjian.members import services as members
from dangjian.members import transfers
from dangjian.members.models import Member
from dangjian.members.rules import make_id_number, probation_ends
from dangjian.orgs import services as orgs
from dangjian.orgs.models import Officer, OfficerRole, Organization

from .activity import DAY, WINDOW_START
from .names import Namer
from .people import _CATEGORIES, _EDUCATION, PHONE_PREFIXES, PROFILES, YEAR, add_years, occupation

# Yearly chance of death by age reached (rounded rates of a Chinese county's older people).
DEATH_RATES = ((50, 0.001), (60, 0.004), (70, 0.01), (80, 0.035), (90, 0.09), (200, 0.2))
OTHER_REMOVALS = (
    ("自行脱党，予以除名", 4),
    ("受到开除党籍处分", 2),
    ("本人申请退党", 1),
)
TRANSFER_OUT = 0.004  # of members aged 22–50 a year, more among mobile members
TRANSFER_IN = 0.003
MOVES = 0.006
JULY_FIRST = 0.008  # the 七一 cohort, of the members on the roll
# Conversions: the branch assembly votes and the committee above approves within this many
# days after probation ends (the higher committee decides within 3 months).
CONVERSION_DAYS = 45
VACANCIES = 6
MOBILE_PLACES = (
    "浙江省杭州市",
    "江苏省苏州市",
    "广东省深圳市",
    "广东省东莞市",
    "上海市",
    "北京市",
    "河南省郑州市",
    "福建省厦门市",
)
MOBILE_UNITS = ("电子厂", "建筑工地", "物流公司", "服装厂", "餐饮店", "家政公司", "个体经营", "")
PLACES = ("郑州市", "商丘市", "开封市", "上海市", "北京市", "杭州市", "苏州市", "深圳市")
# Where members transferred in were born: 商丘市 districts and counties, 郑州, 开封.
BIRTH_REGIONS = ("411402", "411403", "411421", "411422", "411424", "410105", "410203")
BRANCH_KINDS = ("branch", "joint_branch", "general_branch")
PROFILE_OF_SECTOR = {
    "rural": "rural",
    "community": "community",
    "village_community": "community",
    "agency": "agency",
    "public_institution": "institution",
    "school": "school",
    "hospital": "hospital",
    "state_enterprise": "state",
    "private_enterprise": "private",
    "social_organization": "social",
}


@dataclass(slots=True)
class Person:
    """A member on the roll, as much as the changes need (the services read the rest)."""

    pk: int
    organization_id: int
    birth_date: datetime.date
    joined_on: datetime.date
    is_mobile: bool
    user_id: int | None


def _death_rate(age: int) -> float:
    for below, rate in DEATH_RATES:
        if age < below:
            return rate
    return DEATH_RATES[-1][1]


class RollChanges:
    def __init__(self, seed: int, today: datetime.date):
        self.rng = random.Random(seed * 1_000_003 + 104_729)
        self.today, self.last = today, today - DAY
        self.days = (self.last - WINDOW_START).days + 1
        self.made: Counter = Counter()
        self.orgs = {
            o.pk: o for o in Organization.objects.filter(dissolved_on__isnull=True).order_by("path")
        }
        self.roll = [
            Person(*row)
            for row in Member.objects.active()
            .filter(organization_id__in=self.orgs)
            .order_by("id")
            .values_list("id", "organization_id", "birth_date", "joined_on", "is_mobile", "user_id")
        ]
        officers = set(Officer.objects.current().values_list("member_id", flat=True))
        # Who may die, leave or move: not an officer, not a demo user.
        self.free = [m for m in self.roll if m.pk not in officers and m.user_id is None]
        self.taken = set()
        self.letters: dict[int, int] = {}
        self.regions = {}  # organization id → region code of its members' ID numbers
        for org_id, id_number in Member.objects.values_list("organization_id", "id_number"):
            self.taken.add(id_number)
            self.regions.setdefault(org_id, id_number[:6])
        self.holders = [
            o
            for o in self.orgs.values()
            if o.kind in (*BRANCH_KINDS, "group") and o.sector in PROFILE_OF_SECTOR
        ]
        held = set(m.organization_id for m in self.roll)
        self.holders = [o for o in self.holders if o.pk in held]

    def letter_number(self, issued: datetime.date) -> str:
        """The county's transfer letter numbers, one sequence a year: 组转〔2026〕015号."""
        self.letters[issued.year] = self.letters.get(issued.year, 0) + 1
        return f"组转〔{issued.year}〕{self.letters[issued.year]:03d}号"

    def day(self, first: datetime.date | None = None, last: datetime.date | None = None):
        first, last = max(first or WINDOW_START, WINDOW_START), min(last or self.last, self.last)
        return first + self.rng.randrange((last - first).days + 1) * DAY

    def age(self, member) -> int:
        return int((self.last - member.birth_date).days / YEAR)

    def run(self) -> dict:
        if self.days <= 0 or not self.roll:
            return {}
        self.vacancies()
        self.removals()
        self.transfers_in()
        self.moves()
        self.july_first()
        self.conversions()
        self.mobile()
        return {
            f"members_{k}" if k != "secretary_vacancies" else k: v for k, v in self.made.items()
        }

    # -- leaving the roll ------------------------------------------------------------------

    def removals(self):
        rng, share = self.rng, self.days / 365
        gone = set()
        for m in self.free:
            age = self.age(m)
            if rng.random() < _death_rate(age) * share:
                members.remove(m, reason="去世", on=self.day(m.joined_on + DAY))
                self.made["died"] += 1
                gone.add(m.pk)
            elif 22 <= age <= 50 and rng.random() < TRANSFER_OUT * (3 if m.is_mobile else 1):
                # A letter to the organization department of the place; the member leaves
                # the roll when its receipt (回执) comes back, some still awaited.
                place = rng.choice(PLACES)
                issued = self.day()
                t = transfers.issue(
                    m,
                    outside_name=f"中共{place}委组织部",
                    letter_number=self.letter_number(issued),
                    issued_on=issued,
                    reason="工作调动或迁居外地",
                    today=self.today,
                )
                back = issued + rng.randint(7, 45) * DAY
                if back <= self.last:
                    transfers.record_receipt(t, on=back, today=self.today)
                    self.made["transferred_out"] += 1
                else:
                    self.made["transfers_pending"] += 1
                gone.add(m.pk)
        others = [m for m in self.free if m.pk not in gone and 25 <= self.age(m) <= 60]
        for reason, n in OTHER_REMOVALS:
            n = max(0, round(n * len(self.roll) / 19_000 * share))
            for m in rng.sample(others, min(n, len(others))):
                others.remove(m)
                members.remove(m, reason=reason, on=self.day(m.joined_on + DAY))
                self.made["removed"] += 1
                gone.add(m.pk)
        self.free = [m for m in self.free if m.pk not in gone]

    # -- joining the roll ------------------------------------------------------------------

    def _person(self, org, birth: datetime.date, region: str) -> dict:
        """Who a new member of `org` is, born on `birth` (ID numbers of `region`)."""
        rng = self.rng
        profile = PROFILE_OF_SECTOR[org.sector]
        gender = "m" if rng.random() < (0.7 if profile == "rural" else 0.55) else "f"
        for sequence in range(rng.randrange(500), rng.randrange(500) + 1000):
            id_number = make_id_number(region, birth, sequence % 500, gender)
            if id_number not in self.taken:
                break
        else:
            return {}
        self.taken.add(id_number)
        era = 0 if birth.year < 1960 else 1 if birth.year < 1980 else 2
        education = _EDUCATION[PROFILES[profile].education][era].pick(rng)
        category = _CATEGORIES[profile].pick(rng)
        if category == "retired":
            category = "other"
        return {
            "occupation": occupation(profile, category, rng),
            "name": Namer(rng).person(gender, birth.year),
            "gender": gender,
            "birth_date": birth,
            "education": education,
            "id_number": id_number,
            "phone": rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}",
            "category": category,
        }

    def transfers_in(self):
        rng = self.rng
        n = round(len(self.roll) * TRANSFER_IN * self.days / 365)
        for _ in range(n):
            org = rng.choice(self.holders)
            birth = datetime.date(rng.randint(1976, 1998), rng.randint(1, 12), rng.randint(1, 28))
            data = self._person(org, birth, rng.choice(BIRTH_REGIONS))
            if not data:
                continue
            joined = add_years(birth, rng.randint(20, 26))
            data.update(joined_on=joined, full_on=add_years(joined, 1), status="full")
            issued = self.day()
            transfers.receive_from_outside(
                org,
                outside_name=f"中共{rng.choice(PLACES)}委组织部",
                letter_number=f"外转〔{issued.year}〕{self.rng.randrange(1, 9999):04d}号",
                issued_on=issued,
                on=min(issued + rng.randint(3, 30) * DAY, self.last),
                today=self.today,
                **data,
            )
            self.made["transferred_in"] += 1

    def july_first(self):
        """The cohort admitted around 1 July: branch assemblies in the second half of June,
        the oath on 七一. Young, mostly in villages and agencies."""
        rng = self.rng
        year = self.last.year - (self.last < datetime.date(self.last.year, 7, 1))
        if datetime.date(year, 6, 18) < WINDOW_START:
            return
        n = round(len(self.roll) * JULY_FIRST)
        for _ in range(n):
            org = rng.choice(self.holders)
            joined = datetime.date(year, 6, rng.randint(18, 30))
            if rng.random() < 0.35:
                joined = datetime.date(year, 7, 1)
            age = rng.triangular(20, 40, 26)
            birth = joined - datetime.timedelta(days=int(age * 365.2425) + rng.randrange(365))
            data = self._person(org, birth, self.regions.get(org.pk, BIRTH_REGIONS[0]))
            if not data:
                continue
            data.update(joined_on=joined, status="probationary")
            members.create(org, **data)
            self.made["admitted"] += 1

    # -- within the county -----------------------------------------------------------------

    def moves(self):
        """Members whose work or home changed, to another branch of the county: agency and
        institution staff between units, villagers to the town's communities."""
        rng = self.rng
        by_profile: dict[str, list] = {}
        for org in self.holders:
            if org.kind in BRANCH_KINDS:
                by_profile.setdefault(PROFILE_OF_SECTOR[org.sector], []).append(org)
        n = round(len(self.roll) * MOVES * self.days / 365)
        candidates = [m for m in self.free if 24 <= self.age(m) <= 58]
        for m in rng.sample(candidates, min(n, len(candidates))):
            source = self.orgs[m.organization_id]
            profile = PROFILE_OF_SECTOR.get(source.sector, "rural")
            if profile == "rural":
                targets, reason = by_profile.get("community", []), "迁居城区"
            else:
                targets, reason = by_profile.get(profile, []), "工作调动"
            targets = [o for o in targets if o.pk != source.pk]
            if not targets:
                continue
            # Through a transfer letter: issued by the branch, confirmed by the receiving
            # one within a few weeks; the last few still wait, one in 50 is sent back.
            issued = self.day()
            t = transfers.issue(
                m,
                to=rng.choice(targets),
                letter_number=self.letter_number(issued),
                issued_on=issued,
                reason=reason,
                today=self.today,
            )
            on = issued + rng.randint(2, 25) * DAY
            if on > self.last:
                self.made["transfers_pending"] += 1
                continue
            if rng.random() < 0.02:
                transfers.refuse(t, reason="本人未到本支部报到，请核实去向", today=self.today)
                transfers.cancel(t, today=self.today)
                self.made["transfers_refused"] += 1
                continue
            if rng.random() < 0.5:
                transfers.receive(t, on=issued + (on - issued) // 2, today=self.today)
            transfers.confirm(t, on=on, today=self.today)
            self.made["moved"] += 1

    def conversions(self):
        """Every probationary member whose year is up is made full within CONVERSION_DAYS
        (those whose year ended lately may still wait, inside that time)."""
        rng = self.rng
        for m in Member.objects.active().filter(status="probationary").order_by("id"):
            ends = probation_ends(m.joined_on)
            on = ends + rng.randint(3, CONVERSION_DAYS) * DAY
            if on > self.last:
                continue
            members.update(m, status="full", full_on=on)
            self.made["converted"] += 1

    # -- mobile members ----------------------------------------------------------------------

    def mobile(self):
        """A record for every member flagged mobile: where, since when, until when (often
        uncertain), the document the rules give, and a member of the branch keeping in touch.
        Bulk-written (the flag is already set, so no figure changes)."""
        from dangjian.members.models import MobileRecord
        from dangjian.members.rules import suggested_document

        rng = self.rng
        away = list(
            Member.objects.active()
            .filter(organization_id__in=self.orgs, is_mobile=True)
            .exclude(pk__in=MobileRecord.objects.filter(ended_on__isnull=True).values("member_id"))
            .order_by("id")
            .values_list("id", "organization_id")
        )
        if not away:
            return
        mobile_ids = {pk for pk, _org in away}
        contacts: dict[int, int] = {}
        for pk, org_id in (
            Member.objects.active()
            .filter(organization_id__in={o for _p, o in away}, is_mobile=False)
            .order_by("id")
            .values_list("id", "organization_id")
        ):
            contacts.setdefault(org_id, pk)
        records = []
        for pk, org_id in away:
            since = self.last - rng.randint(20, 900) * DAY
            until = None if rng.random() < 0.4 else since + rng.randint(60, 420) * DAY
            fixed = rng.random() < 0.85
            contact = contacts.get(org_id)
            records.append(
                MobileRecord(
                    member_id=pk,
                    place=rng.choice(MOBILE_PLACES),
                    unit=rng.choice(MOBILE_UNITS),
                    since=since,
                    expected_until=until,
                    fixed_place=fixed,
                    document=suggested_document(since, until, fixed),
                    contact_member_id=contact if contact not in mobile_ids else None,
                    contact_name="" if contact else "村委会",
                    contact_phone="" if contact else "0370-6000000",
                )
            )
        MobileRecord.objects.bulk_create(records, batch_size=1000)
        self.made["mobile_records"] += len(records)

    def vacancies(self):
        """A few secretaries left their post (moved to another job, or stood down ill) and
        nobody has been elected yet: only where no election falls inside the window."""
        rng = self.rng
        root = Organization.objects.get(pk=min(self.orgs, key=lambda pk: self.orgs[pk].path))
        resolvers = {k: config.resolver(root, k) for k in config.DEFAULTS if k.startswith("terms.")}
        seats = {
            s.organization_id: s
            for s in Officer.objects.current()
            .filter(role=OfficerRole.SECRETARY, organization__kind__in=BRANCH_KINDS)
            .select_related("member")
            .order_by("id")
        }
        candidates = []
        for org in self.orgs.values():
            seat = seats.get(org.pk)
            start = org.term_started_on
            if seat is None or start is None or start >= WINDOW_START or seat.member.user_id:
                continue
            years = health_rules.term_years(
                org.kind, org.level, None, lambda k, p=org.path: resolvers[k](p)
            )
            if health_rules.add_years(start, years) <= self.last:
                continue  # re-elected (or overdue) within the window
            candidates.append(seat)
        last = self.last - 30 * DAY
        for seat in rng.sample(candidates, min(VACANCIES, len(candidates))):
            on = self.day(max(seat.term_start + DAY, last - 120 * DAY), last)
            orgs.end_officer(seat, on=on)
            self.made["secretary_vacancies"] += 1


def generate(*, seed: int, today: datetime.date) -> dict:
    """Make the year's changes to the roll; returns how many of each kind."""
    return RollChanges(seed, today).run()
