"""Benchmark of serving the public on province-scale data in PostgreSQL (not a test).

    .venv/bin/python bench/service.py [--concerns 1000000] [--visits 1000000] [--keep]

Database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/dangjian_bench.
Province-scale data (100,000 organizations, 2,000,000 members) is generated with
`dangjian demo --orgs 100000 --members 2000000` only when the database has none. On it this
adds a year of serving the public in bulk SQL — concerns (民情), household visits, pledges
and proxy requests spread over the village branches (marked BENCH) — unless it is there
already.

Measures, each against the issue's target (median of repeated runs, the worst with it):
1. the concerns ledger of a county, filtered by category and status, first page (51 rows,
   as the page fetches them) for the county's administrator                  — < 300 ms;
2. the year's totals at the root (selectors.service_figures: pledges, posts, person-times,
   households visited, concerns by category and status, proxy, suggestions, read from the
   roll-ups the services keep) — < 300 ms; and, for comparison, the same counted from the
   rows (selectors.figures_from_rows, what a quarter or a month costs).
The load average is printed with them: other work on the 2 cores slows every figure.
The BENCH rows are deleted at the end (then VACUUM ANALYZE) unless --keep is given.
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

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

from dangjian.accounts.models import Role, RoleName  # noqa: E402
from dangjian.core.periods import Period  # noqa: E402
from dangjian.orgs.models import Level, Organization  # noqa: E402
from dangjian.rollups import services as rollups  # noqa: E402
from dangjian.service import figures, selectors  # noqa: E402
from dangjian.service.models import Concern, Pledge  # noqa: E402

ORGS, MEMBERS = 100_000, 2_000_000
TARGET_MS = 300
YEAR = 2026
BENCH_USER = "bench_service"
TABLES = ("service_concern", "service_visit", "service_pledge", "service_proxyrequest")


def ensure_data():
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("Applying migrations…")
        call_command("migrate", interactive=False, verbosity=0)
    count = Organization.objects.count()
    if count == 0:
        print(f"No data: generating {ORGS} organizations and {MEMBERS} members…")
        call_command("demo", orgs=str(ORGS), members=str(MEMBERS))
        count = Organization.objects.count()
    print(f"Database {connection.settings_dict['NAME']}: {count} organizations")


VILLAGES = """
    WITH v AS (
        SELECT id, row_number() OVER (ORDER BY id) AS rn FROM orgs_organization
        WHERE level = 'village' AND kind IN ('branch', 'general_branch')
          AND dissolved_on IS NULL
    ), n AS (SELECT count(*) AS c FROM v)
"""


def generate(concerns: int, visits: int) -> None:
    if Pledge.objects.filter(content__startswith="BENCH").exists():
        print("BENCH rows of serving the public already there")
        return
    cleanup(vacuum=False)  # what an interrupted run left
    print(f"Generating {concerns} concerns, {visits} visits, pledges and proxy requests…")
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            VILLAGES
            + """
            INSERT INTO service_concern (organization_id, category, content, raised_by,
                raised_on, owner, due_on, status, outcome, closed_on, created_at, updated_at)
            SELECT v.id,
                (ARRAY['dispute','practical','practical','practical','suggestion',
                       'hardship','practical','other'])[1 + (g * 7) %% 8],
                'BENCH 民情 ' || g, '', x.d, '村委会', x.d + 15, x.st,
                CASE WHEN x.st IN ('solved', 'answered') THEN '已办结' ELSE '' END,
                CASE WHEN x.st IN ('solved', 'answered') THEN x.d + 10 END, now(), now()
            FROM generate_series(1::bigint, %s) AS g
            CROSS JOIN LATERAL (SELECT DATE '2026-01-01' + ((g * 7919) %% 330)::int AS d,
                (ARRAY['solved','solved','solved','solved','solved','in_progress','open',
                       'answered'])[1 + (g / 8) %% 8] AS st) AS x
            JOIN v ON v.rn = 1 + (g * 104729) %% (SELECT c FROM n)
            """,
            [concerns],
        )
        cursor.execute(
            VILLAGES
            + """
            INSERT INTO service_visit (organization_id, kind, visitor, household, visited_on,
                findings, created_at)
            SELECT v.id, CASE WHEN g %% 20 = 0 THEN 'unit' ELSE 'household' END, '村干部',
                'BENCH 户 ' || g, DATE '2026-01-01' + ((g * 7919) %% 330)::int, '走访情况', now()
            FROM generate_series(1::bigint, %s) AS g
            JOIN v ON v.rn = 1 + (g * 15485863) %% (SELECT c FROM n)
            """,
            [visits],
        )
        cursor.execute(
            VILLAGES
            + """
            INSERT INTO service_pledge (organization_id, member_id, year, content, beneficiary,
                due_on, status, evidence, reason, closed_on, created_at, updated_at)
            SELECT v.id, NULL, 2026, 'BENCH 承诺 ' || g, '群众', DATE '2026-06-30',
                CASE WHEN g %% 7 = 0 THEN 'not_done' WHEN g %% 5 = 0 THEN 'open' ELSE 'done' END,
                '已完成', '原因', DATE '2026-06-30', now(), now()
            FROM generate_series(1, (SELECT c FROM n) * 2) AS g
            JOIN v ON v.rn = 1 + g %% (SELECT c FROM n)
            """,
            [],
        )
        cursor.execute(
            VILLAGES
            + """
            INSERT INTO service_proxyrequest (organization_id, resident, "group", matter,
                handler, requested_on, status, result, done_on, created_at, updated_at)
            SELECT v.id, '居民', 'elderly', 'BENCH 代办 ' || g, '村干部',
                DATE '2026-01-01' + (g %% 330)::int, 'done', '已办结', DATE '2026-01-05' + (g %% 330)::int,
                now(), now()
            FROM generate_series(1, (SELECT c FROM n)) AS g
            JOIN v ON v.rn = g
            """,
            [],
        )
        for table in TABLES:
            cursor.execute(f"ANALYZE {table}")
    print(f"  generated in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    rebuild_service_rollups()
    print(f"  roll-ups of serving the public rebuilt in {time.perf_counter() - start:.1f} s")


def rebuild_service_rollups() -> None:
    """What rollups.rebuild() does, for the keys of serving the public only (the province's
    other figures stay as they are): per organization first, then up the ancestors."""
    org_table = Organization._meta.db_table
    step = Organization.steplen
    max_depth = Organization.objects.order_by("-depth").values_list("depth", flat=True).first()
    ancestor_join = (
        f"JOIN ({rollups._depths_sql(max_depth)}) d ON d.n <= o.depth "
        f"JOIN {org_table} anc ON anc.path = SUBSTR(o.path, 1, d.n * {step})"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {rollups.TABLE} WHERE key LIKE 'service.%%'", [])
        for source in figures.SOURCES:
            for key_sql in source.keys:
                key_sql = rollups._date_sql(key_sql)
                cursor.execute(
                    f"INSERT INTO {rollups.TABLE} (organization_id, key, value) "
                    f"SELECT anc.id, c.k, SUM(c.n) FROM ("
                    f"SELECT r.{source.org_column} AS oid, {key_sql} AS k, COUNT(*) AS n "
                    f"FROM {source.table} r WHERE {rollups._date_sql(source.where)} GROUP BY 1, 2"
                    f") c JOIN {org_table} o ON o.id = c.oid {ancestor_join} GROUP BY 1, 2"
                )


def cleanup(vacuum=True) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM service_concern WHERE content LIKE 'BENCH%%'")
        cursor.execute("DELETE FROM service_visit WHERE household LIKE 'BENCH%%'")
        cursor.execute("DELETE FROM service_pledge WHERE content LIKE 'BENCH%%'")
        cursor.execute("DELETE FROM service_proxyrequest WHERE matter LIKE 'BENCH%%'")
    rebuild_service_rollups()
    if not vacuum:
        return
    connection.close()
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
    print("BENCH rows deleted")


def county_admin(county):
    user, created = get_user_model().objects.get_or_create(username=BENCH_USER)
    if created:
        user.set_unusable_password()
        user.save()
    Role.objects.filter(user=user).delete()
    Role.objects.create(user=user, organization=county, name=RoleName.COUNTY_ADMIN)
    return get_user_model().objects.get(pk=user.pk)


def median_ms(fn, runs=15):
    fn()  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def verdict(ms) -> str:
    return "OK" if ms < TARGET_MS else "MISSED"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--concerns", type=int, default=1_000_000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    ensure_data()
    generate(args.concerns, args.visits)
    try:
        root = Organization.objects.get_first_root_node()
        # The county with the most villages.
        county = max(
            Organization.objects.filter(level=Level.COUNTY),
            key=lambda c: Organization.objects.filter(
                path__startswith=c.path, level=Level.VILLAGE
            ).count(),
        )
        user = county_admin(county)
        in_county = Concern.objects.filter(organization__path__startswith=county.path)
        print(
            f"{Concern.objects.count()} concerns in all; {in_county.count()} in "
            f"{county.name} ({county.code})"
        )

        for category, status in (("dispute", "open"), ("practical", "solved"), ("", "")):

            def ledger(category=category, status=status):
                return list(selectors.concern_ledger(user, category=category, status=status)[:51])

            rows = len(ledger())
            med, worst = median_ms(ledger)
            label = f"{category or '全部类别'}/{status or '全部状态'}"
            print(
                f"1. concerns ledger of a county, {label}, first page ({rows} rows): "
                f"median {med:.1f} ms, worst {worst:.1f} ms — target < {TARGET_MS} ms "
                f"{verdict(med)}"
            )

        def totals():
            return selectors.service_figures(root, Period(YEAR))

        result = totals()
        assert result == selectors.figures_from_rows(root, Period(YEAR)), "roll-ups drifted"
        med, worst = median_ms(totals, runs=9)
        print(
            f"2. the year's totals at the root: median {med:.1f} ms, worst {worst:.1f} ms — "
            f"target < {TARGET_MS} ms {verdict(med)}"
        )
        med, worst = median_ms(lambda: selectors.figures_from_rows(root, Period(YEAR)), runs=3)
        print(f"   (counted from the rows instead: median {med:.1f} ms, worst {worst:.1f} ms)")
        print(
            f"   concerns {result['concerns']}, households visited "
            f"{result['households_visited']}, pledges {result['pledges_made']}"
        )
        print(f"load average {os.getloadavg()}")
    finally:
        if not args.keep:
            cleanup()


if __name__ == "__main__":
    main()
