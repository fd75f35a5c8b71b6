"""The demo county's year of venues and cadre pay (seed 004, Ningling), written in bulk:

- every village and community organization has its venue, all with the five haves checked
  by the county's organization department (seed 004: "all venues five haves"), a few
  lacking one of the six-in-one functions; squares of at least 200 m² (seed 000);
- works on the venues over the last three years: about 205 built new or expanded
  (seed 004: 205 venues, 2,000万 invested, ≈ 9.8万 each) and upgrades of a quarter of them
  (1,100万), each paid by county finance, a city transfer or the village; on a smaller tree,
  proportionally fewer;
- office funds 10,800 and service funds 9,000 per village this year and last;
- each county's pay rule of this year: seed 004's 1.92 × the rural per-capita net income of
  two years before (8,437.50 yuan) — secretary 1,350 a month, director 1,080, other two-
  committee cadres 810, the province/city standard 1,262 / 1,010 / 757;
- this year's pay sheet of every village: its current officers (the secretary as
  secretary, other seats as two-committee cadres) and, in about half the villages, a
  director of the villagers' committee who is not on the Party committee (elsewhere the
  secretary is also the director, 一肩挑); most confirmed by the township, some waiting,
  a few still being prepared.

Seeded by the activity's seed alone; the amounts are those `village.rules` computes."""

import datetime
from decimal import Decimal

from dangjian.village import rules, totals
from dangjian.village.models import (
    PayLine,
    PayRule,
    PayRulePost,
    PaySheet,
    Venue,
    VenueFunds,
    VenueWork,
)

VILLAGE_LEVELS = ("village", "community")
INCOME = Decimal("8437.50")
MULTIPLE = Decimal("1.92")
POSTS = (
    ("secretary", Decimal("1.00"), 126_200),
    ("director", Decimal("0.80"), 101_000),
    ("member", Decimal("0.60"), 75_700),
)
SEED_WORKS = 205
SEED_UNITS = 364  # rural branches of seed 004
OFFICE_FEN, SERVICE_FEN = 1_080_000, 900_000
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国志强秀英丽娟明华伟红军平文杰玉兰海燕"


def units_of(world) -> list:
    """Village and community organizations: village level, not a group, not under another
    village-level organization (a general branch's branches belong to its village)."""
    return [
        o
        for o in world.orgs
        if o.level in VILLAGE_LEVELS
        and o.kind != "group"
        and (o.parent is None or o.parent.level not in VILLAGE_LEVELS)
    ]


def _county(org):
    node = org
    while node is not None and node.level != "county":
        node = node.parent
    return node


def run(activity) -> None:
    w = activity.world
    last = activity.last
    year = last.year
    units = units_of(w)
    if not units:
        return
    _venues(activity, units, year, last)
    _pay(activity, units, year, last)
    totals.rebuild()  # the sums of money over the tree (the counts: rollups.rebuild, later)


def _rows(model, columns):
    from .activity import Rows  # activity imports this module: import it when used

    return Rows(model, columns)


def _dec(value):
    from .activity import _dec as dec

    return dec(value)


def _venues(activity, units, year, last):
    rng = activity.rng(501)
    venues = _rows(
        Venue,
        (
            "id",
            "organization_id",
            "address",
            "office_phone",
            "building_area",
            "square_area",
            "built_year",
            "has_site",
            "has_rules",
            "has_signage",
            "has_equipment",
            "has_records",
            "checked_on",
            "checked_by",
            "fn_office",
            "fn_activity",
            "fn_training",
            "fn_service",
            "fn_culture",
            "fn_information",
        ),
    )
    works = _rows(
        VenueWork,
        ("id", "venue_id", "organization_id", "kind", "year", "cost_fen", "funding", "note"),
    )
    funds = _rows(VenueFunds, ("id", "organization_id", "year", "office_fen", "service_fen"))
    n_new = max(1, round(len(units) * SEED_WORKS / SEED_UNITS)) if len(units) < SEED_UNITS else 205
    n_new = min(n_new, len(units))
    order = list(range(len(units)))
    rng.shuffle(order)
    rebuilt = set(order[:n_new])
    upgraded = set(order[n_new : n_new + max(1, len(units) // 4)])
    checked = datetime.date(year, 3, 20) if datetime.date(year, 3, 20) <= last else last
    for i, org in enumerate(units):
        place = "社区" if org.level == "community" else "村"
        six = [True] * 6
        if rng.random() < 0.12:
            six[rng.choice((2, 4, 5))] = False  # training, culture and sports, information
        built = rng.randint(year - 2, year) if i in rebuilt else rng.randint(2008, year - 3)
        short = org.short()
        vid = venues.add(
            org.id,
            f"{short if short.endswith(('村', '社区')) else short + place}党群服务中心",
            f"0370-{rng.randint(4_000_000, 4_999_999)}",
            _dec(Decimal(rng.randint(2000, 6000)) / 10),
            _dec(Decimal(rng.randint(200, 1200))),
            built,
            True,
            True,
            True,
            True,
            True,
            checked.isoformat(),
            "县委组织部",
            *six,
        )
        if i in rebuilt:
            kind = "new" if rng.random() < 0.6 else "expanded"
            cost = rng.randint(60_000, 135_000) * 100  # ≈ 2,000万 over 205 venues
            funding = rng.choices(("county", "city", "village"), (60, 25, 15))[0]
            works.add(vid, org.id, kind, built, cost, funding, "")
        if i in upgraded:
            works.add(
                vid,
                org.id,
                "upgrade",
                rng.randint(max(year - 2, built), year),
                rng.randint(80_000, 160_000) * 100,  # ≈ 1,100万 over a quarter of them
                rng.choice(("county", "county", "city")),
                "提档升级：标识、制度上墙、设施更新",
            )
        for y in (year - 1, year):
            funds.add(org.id, y, OFFICE_FEN, SERVICE_FEN)
    activity.write([("village_venues", venues), ("village_works", works), ("village_funds", funds)])


def _pay(activity, units, year, last):
    rng = activity.rng(502)
    w = activity.world
    counties = {}
    for org in units:
        county = _county(org)
        if county is not None:
            counties.setdefault(county.id, county)
    if not counties:
        return
    rules_rows = _rows(
        PayRule,
        (
            "id",
            "organization_id",
            "year",
            "income_year",
            "income",
            "multiple",
            "rounding",
            "performance_fen",
            "standard_name",
            "note",
        ),
    )
    posts = _rows(
        PayRulePost, ("id", "rule_id", "post", "ratio", "fixed_monthly_fen", "standard_monthly_fen")
    )
    rule_of = {}
    for county in counties.values():
        rid = rules_rows.add(
            county.id,
            year,
            year - 2,
            _dec(INCOME),
            _dec(MULTIPLE),
            "yuan",
            0,
            "省市标准",
            "按前两年农民人均纯收入的1.92倍执行",
        )
        rule_of[county.id] = rid
        for post, ratio, standard in POSTS:
            posts.add(rid, post, _dec(ratio), None, standard)
    monthly = {
        post: rules.monthly_fen(INCOME, MULTIPLE, rules.PostTerms(post, ratio))
        for post, ratio, _s in POSTS
    }
    sheets = _rows(
        PaySheet,
        (
            "id",
            "organization_id",
            "year",
            "rule_id",
            "status",
            "total_fen",
            "submitted_at",
            "confirmed_at",
            "confirmed_by_name",
            "return_reason",
        ),
    )
    lines = _rows(
        PayLine,
        (
            "id",
            "sheet_id",
            "member_id",
            "name",
            "post",
            "months",
            "monthly_fen",
            "performance_fen",
            "total_fen",
        ),
    )
    day = min(last, datetime.date(year, 1, 20))
    for org in units:
        county = _county(org)
        if county is None:
            continue
        people = []
        seen = set()
        for seat in sorted(org.seats, key=lambda s: (s.role != "secretary", s.id)):
            if (
                seat.role == "group_leader"
                or seat.member_id in seen
                or seat.member_id not in w.people
            ):
                continue
            seen.add(seat.member_id)
            post = "secretary" if seat.role == "secretary" else "member"
            people.append((seat.member_id, w.people[seat.member_id].name, post))
        if rng.random() < 0.5:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            people.append((None, name, "director"))
        if not people:
            continue
        roll = rng.random()
        status = "confirmed" if roll < 0.8 else ("submitted" if roll < 0.95 else "draft")
        sid = sheets.next_id
        total = 0
        for member_id, name, post in people:
            months = 12 if rng.random() < 0.92 else rng.randint(6, 11)
            amount = rules.line_total_fen(monthly[post], months)
            total += amount
            lines.add(sid, member_id, name, post, months, monthly[post], 0, amount)
        submitted = activity.dt(activity.at(day, rng)) if status != "draft" else None
        confirmed = (
            activity.dt(activity.at(min(last, day + datetime.timedelta(days=10)), rng))
            if status == "confirmed"
            else None
        )
        sheets.add(
            org.id,
            year,
            rule_of[county.id],
            status,
            total,
            submitted,
            confirmed,
            "乡镇党委" if confirmed else "",
            "",
        )
    activity.write(
        [
            ("village_pay_rules", rules_rows),
            ("village_pay_rule_posts", posts),
            ("village_pay_sheets", sheets),
            ("village_pay_lines", lines),
        ]
    )
