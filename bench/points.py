"""Benchmark of points (积分) on province-scale data in PostgreSQL (not a test).

    .venv/bin/python bench/points.py [--orgs 100000] [--members 2000000] [--activity]
                                     [--runs 15] [--keep]

Database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/dangjian_bench.
When it has no organizations, `dangjian demo --orgs N --members M` generates them (with a
year of meetings, attendance and report-backs when --activity is given; without activity
the sources count nothing and only the per-member totals are written).

Measures:
1. computing this year's points of every county of the province (services.compute_year,
   one INSERT … SELECT per scheme item plus the totals, each county in its transaction):
   total seconds, members per second, the largest county's seconds;
2. the members' points page of the largest county (/points/org/CODE/members/, first page
   by name, by points, and a page deep in the list) as a province administrator through
   Django's test client: median and max of --runs;
3. 我的积分 of one member of that county, and the stats figures at the root.
The schemes and points made here are deleted at the end unless --keep is given, so the
shared benchmark database stays as it was. The load average is printed: other work on the
2 cores slows every figure.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dangjian_bench"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
os.environ.setdefault("DANGJIAN_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from dangjian.accounts.models import Role, RoleName  # noqa: E402
from dangjian.core.models import AuditEvent  # noqa: E402
from dangjian.core.periods import Period  # noqa: E402
from dangjian.life.models import Attendance  # noqa: E402
from dangjian.members.models import Member  # noqa: E402
from dangjian.orgs.models import Level, Organization  # noqa: E402
from dangjian.points import selectors, services  # noqa: E402
from dangjian.points.models import (  # noqa: E402
    MemberItemPoints,
    MemberPoints,
    OrgItemPoints,
    OrgPoints,
    PointsYear,
    Scheme,
)

BENCH_USER = "bench_points"
ITEMS = [
    {"source": "life.attendance.theme_day", "points": 2, "cap": 24},
    {"source": "life.attendance.branch_assembly", "points": 2, "cap": 8},
    {"source": "life.attendance.party_lecture", "points": 2, "cap": 8},
    {"source": "life.attendance.group_meeting", "points": 1, "cap": 12},
    {"source": "life.attendance.life_meeting", "points": 3, "cap": 3},
    {"source": "tasks.report_back_on_time", "points": 2, "cap": 24},
    {"source": "tasks.pledge_target_met", "points": 5, "cap": 50},
]


def ensure_data(orgs, members, activity):
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("Applying migrations…")
        call_command("migrate", interactive=False, verbosity=0)
    if not Organization.objects.exists():
        print(f"No data: generating {orgs} organizations and {members} members…")
        call_command("demo", orgs=str(orgs), members=str(members), activity=activity)
    print(
        f"Database {connection.settings_dict['NAME']}: "
        f"{Organization.objects.count()} organizations, "
        f"{Member.objects.filter(removed_on__isnull=True).count()} members, "
        f"{Attendance.objects.count()} attendance records"
    )


def bench_user():
    root = Organization.objects.get_first_root_node()
    user, created = get_user_model().objects.get_or_create(username=BENCH_USER)
    if created:
        user.set_unusable_password()
        user.save()
    Role.objects.get_or_create(user=user, organization=root, name=RoleName.COUNTY_ADMIN)
    return get_user_model().objects.get(pk=user.pk), root


def timed(fn, runs):
    fn()  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=2_000_000)
    parser.add_argument("--activity", action="store_true")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    ensure_data(args.orgs, args.members, args.activity)
    user, root = bench_user()
    year = timezone.localdate().year
    load_start = os.getloadavg()
    counties = list(Organization.objects.filter(level=Level.COUNTY, dissolved_on__isnull=True))
    if not counties:
        sys.exit("No county in the database: points schemes are per county.")
    made = []
    for county in counties:
        if selectors.scheme_for(county, year) is None:
            made.append(services.save_scheme(None, county, year, ITEMS, note="bench"))
    figures = {}
    try:
        # 1. every county's year.
        per_county = []
        start = time.perf_counter()
        for county in counties:
            t = time.perf_counter()
            state = services.compute_year(county, year)
            per_county.append((time.perf_counter() - t, state.members, county))
        total = time.perf_counter() - start
        members = sum(n for _t, n, _c in per_county)
        slowest = max(per_county, key=lambda r: r[0])
        largest = max(per_county, key=lambda r: r[1])
        figures[f"compute {len(counties)} counties' year, {members} members (s)"] = total
        figures["members computed per second"] = members / total if total else 0
        figures[f"slowest county ({slowest[2].name}, {slowest[1]} members) (s)"] = slowest[0]
        figures["median county (s)"] = statistics.median(t for t, _n, _c in per_county)
        rows = MemberItemPoints.objects.filter(year=year).count()
        print(f"{rows} member item rows, {MemberPoints.objects.filter(year=year).count()} totals")
        county = largest[2]
        # 2. the members' points page of the largest county.
        client = Client()
        client.force_login(user)
        url = f"/points/org/{county.code}/members/?year={year}"
        deep = Organization.objects.filter(path__startswith=county.path).count()

        def page(suffix=""):
            response = client.get(url + suffix)
            assert response.status_code == 200, response.status_code

        for label, suffix in (
            ("by name, page 1", ""),
            ("by points, page 1", "&order=points"),
            ("by name, page 100", "&page=100"),
        ):
            median, worst = timed(lambda s=suffix: page(s), args.runs)
            figures[
                f"members' points page of {county.name} ({largest[1]} members, {deep} orgs), "
                f"{label} (ms, max {worst:.0f})"
            ] = median
        # 3. one member's page and the stats at the root.
        member = Member.objects.filter(
            organization__path__startswith=county.path, removed_on__isnull=True
        ).first()
        member_user = get_user_model().objects.get_or_create(username="bench_points_member")[0]
        Member.objects.filter(user=member_user).update(user=None)
        Member.objects.filter(pk=member.pk).update(user=member_user)
        mine = Client()
        mine.force_login(member_user)
        median, worst = timed(lambda: mine.get("/points/mine/"), args.runs)
        figures[f"我的积分 of one member (ms, max {worst:.0f})"] = median
        Member.objects.filter(pk=member.pk).update(user=None)
        median, worst = timed(lambda: selectors.points_figures(root, Period(year)), args.runs)
        figures[f"stats points_members at the root (ms, max {worst:.0f})"] = median
        by_source = (
            MemberItemPoints.objects.filter(year=year, county=county)
            .values("source")
            .annotate(n=Count("id"))
            .order_by("source")
        )
        print(f"{county.name}: " + ", ".join(f"{r['source']} {r['n']}" for r in by_source))
    finally:
        if not args.keep:
            for model in (MemberItemPoints, MemberPoints, OrgItemPoints, OrgPoints):
                model.objects.filter(year=year, county__in=counties).delete()
            PointsYear.objects.filter(year=year, scheme__in=made).delete()
            AuditEvent.objects.filter(
                target_type="points.scheme", target_id__in=[str(s.pk) for s in made]
            ).delete()
            Scheme.objects.filter(pk__in=[s.pk for s in made]).delete()
            get_user_model().objects.filter(username="bench_points_member").delete()
            with connection.cursor() as cursor:
                for model in (MemberItemPoints, MemberPoints, OrgItemPoints, OrgPoints):
                    cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    print(f"\nload average at start {load_start}, at end {os.getloadavg()}")
    print(f"{'measurement':<100} {'value':>10}")
    for label, value in figures.items():
        print(f"{label:<100} {value:10.1f}")


if __name__ == "__main__":
    main()
