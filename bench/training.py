"""Benchmark of training on the province-scale PostgreSQL database (not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangjian_bench DANGJIAN_DEBUG=1 \\
        .venv/bin/dangjian migrate training
    .venv/bin/python bench/training.py [--county CODE]

Picks the county with the most members (or --county), generates a year of training for it
in one transaction — a mobile Party school lecture in every branch (all its members), 60
county classes of 70 members, and each member's MemberYear row as the services compute it
— then measures (median of 5 runs, the worst with it) against the issue's target < 500 ms:
1. the county's hours page: the members of the county with their hours of the year, first
   page of 50 and the below-minimum filter's count (selectors.member_hours + years_of);
2. the stats keys at the county (selectors.training_figures, from the roll-ups);
3. the year's hours of every member of the county recomputed from the rows
   (services.compute_years), the cost of the recompute job.
Everything is rolled back at the end: the bench database is left unchanged.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dangjian_bench"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402

from dangjian.core.periods import Period  # noqa: E402
from dangjian.members.models import Member  # noqa: E402
from dangjian.orgs.models import Level, Organization  # noqa: E402
from dangjian.rollups import services as rollups  # noqa: E402
from dangjian.training import figures, rules, selectors, services  # noqa: E402
from dangjian.training.models import Attendance, MemberYear, Session  # noqa: E402

YEAR = 2026
TARGET_MS = 500


class Rollback(Exception):
    pass


def timed(fn, runs=5):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times)


def pick_county(code):
    if code:
        return Organization.objects.get(code=code)
    counties = Organization.objects.filter(level=Level.COUNTY).order_by("path")[:200]
    sizes = {c.pk: rollups.figures(c, ["members"]).get("members", 0) for c in counties}
    return max(counties, key=lambda c: sizes[c.pk])


def generate(county):
    rng = random.Random(14)
    members = list(
        Member.objects.active()
        .filter(organization__path__startswith=county.path)
        .values_list("id", "organization_id", "organization__path")
    )
    branches = sorted({(oid, path) for _id, oid, path in members})
    by_org = {}
    for mid, oid, _p in members:
        by_org.setdefault(oid, []).append(mid)
    sessions, hours_of = [], {}
    day = datetime.date(YEAR, 1, 1)
    for oid, _path in branches:
        sessions.append(
            Session(
                organization_id=oid,
                topic="BENCH 流动党校",
                trainer="宣讲团",
                kind="mobile_school",
                level="branch",
                venue="活动室",
                starts_on=day + datetime.timedelta(days=rng.randint(0, 330)),
                hours=Decimal(4),
                is_lecture=True,
                attendance_count=len(by_org[oid]),
            )
        )
    for i in range(60):
        sessions.append(
            Session(
                organization_id=county.pk,
                topic=f"BENCH 县级培训班 {i}",
                trainer="县委党校",
                kind="class",
                level="county",
                venue="县党校",
                starts_on=day + datetime.timedelta(days=rng.randint(0, 330)),
                hours=Decimal(16),
                ends_on=None,
                attendance_count=70,
            )
        )
    Session.objects.bulk_create(sessions, batch_size=5000)
    rows = []
    for s in sessions:
        people = by_org[s.organization_id] if s.level == "branch" else None
        if people is None:
            people = [m[0] for m in rng.sample(members, min(70, len(members)))]
        for mid in people:
            rows.append(
                Attendance(
                    session=s,
                    member_id=mid,
                    organization_id=s.organization_id,
                    year=YEAR,
                    level=s.level,
                    hours=s.hours,
                )
            )
            hours_of[mid] = hours_of.get(mid, Decimal(0)) + s.hours
    Attendance.objects.bulk_create(rows, batch_size=10000)
    org_of = {mid: oid for mid, oid, _p in members}
    MemberYear.objects.bulk_create(
        [
            MemberYear(
                member_id=mid,
                organization_id=org_of[mid],
                year=YEAR,
                hours=h,
                required=32,
                sessions=1,
                met=h >= 32,
            )
            for mid, h in hours_of.items()
        ],
        batch_size=10000,
    )
    with connection.cursor() as cursor:
        for t in ("training_session", "training_attendance", "training_memberyear"):
            cursor.execute(f"ANALYZE {t}")
    return members, len(sessions), len(rows)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--county", default="")
    args = parser.parse_args()
    county = pick_county(args.county)
    try:
        with transaction.atomic():
            t = time.perf_counter()
            members, n_sessions, n_att = generate(county)
            print(
                f"{county.name}: {len(members)} members, {n_sessions} sessions, "
                f"{n_att} attendances generated in {time.perf_counter() - t:.1f} s"
            )

            def page():
                qs = selectors.member_hours(county, YEAR)
                first = list(qs[:50])
                selectors.years_of([m.pk for m in first], YEAR)
                return first

            def below():
                return selectors.member_hours(county, YEAR, below_only=True).count()

            def totals():
                return MemberYear.objects.filter(
                    organization__path__startswith=county.path, year=YEAR
                ).aggregate(n=Count("id"))

            med, worst = timed(page)
            print(
                f"hours page, first 50: median {med:.0f} ms, worst {worst:.0f} ms (< {TARGET_MS})"
            )
            med, worst = timed(below)
            print(f"below-minimum count ({below()}): median {med:.0f} ms, worst {worst:.0f} ms")
            med, worst = timed(totals)
            print(f"MemberYear rows of the county: median {med:.0f} ms, worst {worst:.0f} ms")
            ids = [m[0] for m in members]
            med, worst = timed(lambda: services.compute_years(ids, [YEAR]), runs=3)
            print(
                f"hours of every member recomputed from the rows ({len(ids)}): "
                f"median {med:.0f} ms, worst {worst:.0f} ms"
            )
            med, worst = timed(lambda: selectors.training_figures(county, Period(YEAR)))
            print(f"stats keys at the county (roll-ups): median {med:.1f} ms, worst {worst:.1f} ms")
            assert rules and figures  # imported for the reader: the rules the rows follow
            raise Rollback
    except Rollback:
        print("rolled back: the bench database is unchanged")


if __name__ == "__main__":
    main()
