"""Generated Party members: who they are depends on where they are.

Each organization that holds members has a profile (rural village, agency office, school,
...) that sets the share of men, the ages, education, categories and posts of its members.
Figures follow the usual shape of county statistics: rural members are mostly men and older,
agency and school members are graduates of working age, about 2% of members are on
probation and about 4% are mobile.
"""

import bisect
import datetime
import itertools
import random
from dataclasses import dataclass
from operator import mul

from dangjian.members.models import Category, Education
from dangjian.members.rules import _CHECK, _WEIGHTS, name_sort_key, occupation_for

from .names import Namer

# The generated county is "as of" this day: ages, terms and probation are computed from it,
# so the same seed gives the same data whatever day it is generated on.
AS_OF = datetime.date(2026, 6, 30)
YEAR = 365.2425

E = Education
C = Category


@dataclass(frozen=True)
class Profile:
    male: float  # share of men
    age: tuple[float, float, float]  # triangular(low, high, mode), as of AS_OF
    join_age: tuple[float, float]  # triangular(low, mode); high is capped by the age
    categories: tuple[tuple[str, float], ...]
    education: str  # key of EDUCATION
    mobile: float = 0.01
    posts: tuple[tuple[str, float], ...] = ()
    rich: float = 0.0  # share tagged 致富能手 (among those aged 30–60)
    retire_at: int | None = None  # members older than this are counted as retired


PROFILES = {
    "rural": Profile(
        0.75,
        (21, 90, 63),
        (21, 30),
        ((C.RURAL, 0.9), (C.WORKER, 0.04), (C.OTHER, 0.04), (C.RETIRED, 0.02)),
        "rural",
        mobile=0.055,
        posts=(("党员示范岗", 0.04), ("党员责任区", 0.03), ("共产党员户", 0.05)),
        rich=0.08,
    ),
    "community": Profile(
        0.55,
        (23, 88, 58),
        (21, 28),
        ((C.OTHER, 0.4), (C.WORKER, 0.25), (C.ENTERPRISE, 0.2), (C.INSTITUTION, 0.15)),
        "community",
        mobile=0.02,
        posts=(("楼栋长", 0.06), ("网格员", 0.05)),
        retire_at=60,
    ),
    "agency": Profile(
        0.66, (24, 60, 43), (21, 26), ((C.AGENCY, 1.0),), "agency", posts=(("党员示范岗", 0.08),)
    ),
    "retired": Profile(0.7, (60, 92, 71), (22, 28), ((C.RETIRED, 1.0),), "retired"),
    "school": Profile(
        0.42,
        (23, 60, 40),
        (21, 25),
        ((C.INSTITUTION, 1.0),),
        "school",
        posts=(("党员先锋岗", 0.08),),
    ),
    "hospital": Profile(
        0.45,
        (23, 60, 39),
        (21, 26),
        ((C.INSTITUTION, 1.0),),
        "hospital",
        posts=(("党员示范岗", 0.08),),
    ),
    "institution": Profile(
        0.6,
        (24, 60, 42),
        (21, 27),
        ((C.INSTITUTION, 1.0),),
        "agency",
        posts=(("党员示范岗", 0.05),),
    ),
    "state": Profile(
        0.72,
        (22, 60, 41),
        (21, 28),
        ((C.ENTERPRISE, 0.5), (C.WORKER, 0.5)),
        "state",
        posts=(("党员责任岗", 0.06),),
    ),
    "private": Profile(
        0.65,
        (22, 60, 38),
        (21, 30),
        ((C.WORKER, 0.5), (C.ENTERPRISE, 0.35), (C.OTHER, 0.15)),
        "private",
        mobile=0.03,
        rich=0.05,
    ),
    "social": Profile(
        0.55,
        (24, 72, 46),
        (21, 30),
        ((C.OTHER, 0.7), (C.ENTERPRISE, 0.2), (C.INSTITUTION, 0.1)),
        "social",
        retire_at=60,
    ),
    "temporary": Profile(
        0.78, (26, 58, 42), (21, 27), ((C.AGENCY, 0.8), (C.INSTITUTION, 0.2)), "agency"
    ),
}

# Education by kind of unit, for members born before 1960, in 1960–1979, and from 1980.
EDUCATION = {
    "rural": (
        ((E.PRIMARY, 55), (E.JUNIOR, 35), (E.SECONDARY, 9), (E.COLLEGE, 1)),
        ((E.PRIMARY, 15), (E.JUNIOR, 55), (E.SECONDARY, 22), (E.COLLEGE, 6), (E.UNIVERSITY, 2)),
        (
            (E.JUNIOR, 30),
            (E.SECONDARY, 30),
            (E.COLLEGE, 25),
            (E.UNIVERSITY, 14),
            (E.POSTGRADUATE, 1),
        ),
    ),
    "community": (
        ((E.PRIMARY, 20), (E.JUNIOR, 35), (E.SECONDARY, 30), (E.COLLEGE, 10), (E.UNIVERSITY, 5)),
        ((E.JUNIOR, 20), (E.SECONDARY, 40), (E.COLLEGE, 25), (E.UNIVERSITY, 15)),
        (
            (E.JUNIOR, 5),
            (E.SECONDARY, 25),
            (E.COLLEGE, 35),
            (E.UNIVERSITY, 33),
            (E.POSTGRADUATE, 2),
        ),
    ),
    "agency": (
        ((E.SECONDARY, 30), (E.COLLEGE, 40), (E.UNIVERSITY, 30)),
        ((E.SECONDARY, 8), (E.COLLEGE, 30), (E.UNIVERSITY, 57), (E.POSTGRADUATE, 5)),
        ((E.COLLEGE, 12), (E.UNIVERSITY, 75), (E.POSTGRADUATE, 13)),
    ),
    "retired": (
        ((E.PRIMARY, 5), (E.JUNIOR, 15), (E.SECONDARY, 35), (E.COLLEGE, 30), (E.UNIVERSITY, 15)),
        ((E.SECONDARY, 20), (E.COLLEGE, 40), (E.UNIVERSITY, 40)),
        ((E.COLLEGE, 30), (E.UNIVERSITY, 70)),
    ),
    "school": (
        ((E.SECONDARY, 20), (E.COLLEGE, 50), (E.UNIVERSITY, 30)),
        ((E.SECONDARY, 3), (E.COLLEGE, 35), (E.UNIVERSITY, 60), (E.POSTGRADUATE, 2)),
        ((E.COLLEGE, 15), (E.UNIVERSITY, 77), (E.POSTGRADUATE, 8)),
    ),
    "hospital": (
        ((E.SECONDARY, 30), (E.COLLEGE, 45), (E.UNIVERSITY, 25)),
        ((E.SECONDARY, 10), (E.COLLEGE, 40), (E.UNIVERSITY, 47), (E.POSTGRADUATE, 3)),
        ((E.SECONDARY, 5), (E.COLLEGE, 35), (E.UNIVERSITY, 53), (E.POSTGRADUATE, 7)),
    ),
    "state": (
        ((E.JUNIOR, 20), (E.SECONDARY, 50), (E.COLLEGE, 20), (E.UNIVERSITY, 10)),
        ((E.JUNIOR, 5), (E.SECONDARY, 30), (E.COLLEGE, 35), (E.UNIVERSITY, 30)),
        ((E.SECONDARY, 10), (E.COLLEGE, 30), (E.UNIVERSITY, 55), (E.POSTGRADUATE, 5)),
    ),
    "private": (
        ((E.PRIMARY, 10), (E.JUNIOR, 40), (E.SECONDARY, 40), (E.COLLEGE, 10)),
        ((E.JUNIOR, 25), (E.SECONDARY, 40), (E.COLLEGE, 25), (E.UNIVERSITY, 10)),
        (
            (E.JUNIOR, 10),
            (E.SECONDARY, 30),
            (E.COLLEGE, 35),
            (E.UNIVERSITY, 24),
            (E.POSTGRADUATE, 1),
        ),
    ),
    "social": (
        ((E.JUNIOR, 20), (E.SECONDARY, 40), (E.COLLEGE, 25), (E.UNIVERSITY, 15)),
        ((E.SECONDARY, 30), (E.COLLEGE, 35), (E.UNIVERSITY, 32), (E.POSTGRADUATE, 3)),
        ((E.SECONDARY, 10), (E.COLLEGE, 30), (E.UNIVERSITY, 55), (E.POSTGRADUATE, 5)),
    ),
}

PHONE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "176",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)

PROBATIONARY = 0.02

# Drawn from a second stream (People.extra), so that adding them left every other figure of
# a seed as it was:
# - 中专 among those with 高中、中技 or 中专, by era (born before 1960, 1960–1979, from 1980);
VOCATIONAL = (0.25, 0.4, 0.45)
# - rural members over RETIRE_AGE who are retired teachers, cadres and workers back in their
#   village (a county's 离退休人员 are 8–15% of its members; 3.5% without them);
RETIRE_AGE = 60
RURAL_RETIRED = 0.25
# - professionals (rather than managers) among the members of enterprises and institutions.
PROFESSIONALS = {"school": 0.85, "hospital": 0.85, "state": 0.5, "private": 0.45}
PROFESSIONALS_ELSE = 0.55


def occupation(profile_name: str, category: str, rng: random.Random) -> str:
    """The occupation of a member of `category` in a unit of `profile_name`."""
    if value := occupation_for(category):
        return value
    # 企事业单位人员: professionals or managers.
    share = PROFESSIONALS.get(profile_name, PROFESSIONALS_ELSE)
    return "professional" if rng.random() < share else "manager"


class _Table:
    """A weighted choice among a few values, by one draw and a bisect."""

    __slots__ = ("values", "cumulative", "total")

    def __init__(self, pairs):
        self.values = tuple(str(v) for v, _ in pairs)  # plain str, not the Choices member
        self.cumulative = tuple(itertools.accumulate(w for _, w in pairs))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random):
        i = bisect.bisect_right(self.cumulative, rng.random() * self.total)
        return self.values[min(i, len(self.values) - 1)]


_CATEGORIES = {k: _Table(p.categories) for k, p in PROFILES.items()}
_EDUCATION = {k: tuple(_Table(era) for era in eras) for k, eras in EDUCATION.items()}


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(slots=True)
class Person:
    """A generated member: the row to write and what officer choice needs to know."""

    row: tuple
    full: bool
    age: int
    tags: tuple[str, ...]


# Columns of members_member in the order people.member() gives them; the writer adds the rest
# (user, removed_on, removed_reason, timestamps) from the model's defaults.
MEMBER_COLUMNS = (
    "id",
    "organization_id",
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "education",
    "id_number",
    "phone",
    "joined_on",
    "full_on",
    "status",
    "category",
    "is_mobile",
    "posts",
    "occupation",
    "name_pinyin",
)


class People:
    """Generates members from one random stream; ID numbers are unique within a region code
    as long as the regions come one after the other (call `start_region` on each change)."""

    def __init__(self, rng: random.Random, extra: random.Random | None = None):
        self.rng = rng
        self.extra = extra or random.Random(1)
        self.namer = Namer(rng)
        self.region = None
        self._sequence: dict[tuple[int, str], list] = {}
        self._as_of = AS_OF.toordinal()

    def start_region(self, region: str) -> None:
        if region != self.region:
            self.region = region
            self._sequence = {}

    def _id_number(self, birth: datetime.date, gender: str) -> tuple[str, datetime.date]:
        """A new ID number for this region, birth date and gender: the same numbers as
        rules.make_id_number (tests check it), with the checksum of the region and birth date
        digits computed once per day instead of once per person. 500 numbers exist per
        (region, day, gender); when a day is full the birth date moves a day earlier."""
        while True:
            ordinal = birth.toordinal()
            key = (ordinal, gender)
            state = self._sequence.get(key)
            if state is None:
                body = f"{self.region}{birth:%Y%m%d}"
                state = self._sequence[key] = [0, body, sum(map(mul, map(int, body), _WEIGHTS))]
            n = state[0]
            if n < 500:
                state[0] = n + 1
                sequence = (n + ordinal * 7) % 500
                # rules.make_id_number: 3 digits, the last odd for men and even for women.
                seq = sequence % 100 * 10 + (1 if gender == "m" else 0) + sequence // 100 % 5 * 2
                total = state[2] + seq // 100 * 8 + seq // 10 % 10 * 4 + seq % 10 * 2
                return f"{state[1]}{seq:03d}{_CHECK[total % 11]}", birth
            birth -= datetime.timedelta(days=1)

    def member(self, member_id: int, org_id: int, profile_name: str, hui: float) -> Person:
        rng = self.rng
        p = PROFILES[profile_name]
        gender = "m" if rng.random() < p.male else "f"
        probationary = rng.random() < PROBATIONARY and profile_name != "retired"
        mobile = rng.random() < p.mobile
        if probationary:
            age_years = rng.triangular(20, 45, 26)
        elif mobile:
            age_years = rng.triangular(23, 58, 36)
        else:
            # Old enough to have joined at the profile's youngest age and served probation.
            age_years = max(rng.triangular(*p.age), p.join_age[0] + 1.7)
        birth = datetime.date.fromordinal(
            self._as_of - int(age_years * YEAR) - rng.randrange(1, 365)
        )
        id_number, birth = self._id_number(birth, gender)
        age = int((self._as_of - birth.toordinal()) / YEAR)
        if probationary:
            joined = datetime.date.fromordinal(self._as_of - rng.randrange(20, 360))
            full_on = None
        else:
            low, mode = p.join_age
            high = max(low + 0.5, min(age_years - 1.1, 50.0))
            join_age = rng.triangular(low, high, min(max(mode, low), high))
            joined = datetime.date.fromordinal(birth.toordinal() + int(join_age * YEAR) + 2)
            full_on = add_years(joined, 1)
        era = 0 if birth.year < 1960 else 1 if birth.year < 1980 else 2
        education = _EDUCATION[p.education][era].pick(rng)
        category = _CATEGORIES[profile_name].pick(rng)
        if p.retire_at and age > p.retire_at and category != "rural":
            category = "retired"
        elif profile_name == "rural" and age < 24 and rng.random() < 0.3:
            category = "student"
        if rng.random() < (0.6 if age > 75 else 0.93):
            phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        else:
            phone = ""
        posts = ""
        roll = rng.random()
        for post, share in p.posts:
            if roll < share:
                posts = post
                break
            roll -= share
        tags = ("致富能手",) if p.rich and 30 <= age <= 60 and rng.random() < p.rich else ()
        ethnicity = "回族" if rng.random() < (hui or 0.005) else "汉族"
        education, category, occupation = self._statistics(
            profile_name, era, age, education, category
        )
        name = self.namer.person(gender, birth.year)
        row = (
            member_id,
            org_id,
            name,
            gender,
            ethnicity,
            birth.isoformat(),
            education,
            id_number,
            phone,
            joined.isoformat(),
            full_on.isoformat() if full_on else None,
            "probationary" if probationary else "full",
            category,
            mobile,
            posts,
            occupation,
            name_sort_key(name),
        )
        return Person(row, not probationary, age, tags)

    def _statistics(self, profile_name, era, age, education, category):
        """中专 apart from 高中, retirement in the villages, and the occupation."""
        extra = self.extra
        if education == "secondary" and extra.random() < VOCATIONAL[era]:
            education = "vocational"
        if age > RETIRE_AGE and category not in ("retired", "student"):
            if profile_name != "rural" or extra.random() < RURAL_RETIRED:
                category = "retired"
        return education, category, occupation(profile_name, category, extra)
