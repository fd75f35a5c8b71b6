"""Benchmark of venues and cadre pay on province-scale data in PostgreSQL (not a test).

    .venv/bin/python bench/village.py [--runs 7]

Database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/dangjian_bench
(100,000 organizations, 2,000,000 members; migrate the village app on it first). Inside one
transaction that is rolled back at the end — the database is left as it was — this writes
in bulk SQL a venue (five haves for nine in ten), this year's funds and a confirmed pay
sheet of three lines for every village and community organization of the province, a pay
rule per county (seed 004's), and their roll-up keys (as `rollups.rebuild()` would count
them, for the village keys only) and sums of money (`village.totals.rebuild()`). Then it measures, median and worst of the runs, as a
superuser:
1. the overview page /village/ at the root (province) and at a county (figures from the
   roll-ups, money summed over the subtree's path range, the level below)   — < 300 ms;
2. the pay sheets page of a county (first page) and the county's pay-sheet export (.xlsx,
   every line of every sheet);
3. selectors.village_figures at the root (the stats keys).
The load average is printed with them: other work on the 2 cores slows every figure.
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
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from dangjian.core.periods import Period  # noqa: E402
from dangjian.orgs.models import Level, Organization  # noqa: E402
from dangjian.village import selectors, totals  # noqa: E402

YEAR = 2026
TARGET_MS = 300
STEP = Organization.steplen

UNITS = """
    CREATE TEMP TABLE bench_units ON COMMIT DROP AS
    SELECT o.id, o.path, row_number() OVER (ORDER BY o.id) AS rn
    FROM orgs_organization o
    LEFT JOIN orgs_organization p ON p.path = substr(o.path, 1, length(o.path) - %(step)s)
    WHERE o.level IN ('village', 'community') AND o.kind <> 'group'
      AND o.dissolved_on IS NULL AND (p.id IS NULL OR p.level NOT IN ('village', 'community'))
"""


def generate() -> int:
    with connection.cursor() as c:
        c.execute(UNITS, {"step": STEP})
        c.execute("SELECT count(*) FROM bench_units")
        units = c.fetchone()[0]
        c.execute(
            """
            INSERT INTO village_payrule (organization_id, year, income_year, income, multiple,
                rounding, performance_fen, standard_name, note, created_at, updated_at)
            SELECT id, %s, %s, 8437.50, 1.92, 'yuan', 0, '省市标准', 'BENCH', now(), now()
            FROM orgs_organization WHERE level = 'county'
            """,
            [YEAR, YEAR - 2],
        )
        c.execute(
            """
            INSERT INTO village_payrulepost (rule_id, post, ratio, standard_monthly_fen)
            SELECT r.id, x.post, x.ratio, x.std FROM village_payrule r
            CROSS JOIN (VALUES ('secretary', 1.00, 126200), ('director', 0.80, 101000),
                               ('member', 0.60, 75700)) AS x(post, ratio, std)
            WHERE r.note = 'BENCH'
            """
        )
        c.execute(
            """
            INSERT INTO village_venue (organization_id, address, office_phone, building_area,
                square_area, built_year, has_site, has_rules, has_signage, has_equipment,
                has_records, checked_by, fn_office, fn_activity, fn_training, fn_service,
                fn_culture, fn_information, created_at, updated_at)
            SELECT id, 'BENCH 党群服务中心 ' || rn, '', 200 + rn % 400, 200 + rn % 900,
                2010 + rn % 16, true, true, true, true, rn % 10 <> 0, '县委组织部',
                true, true, rn % 7 <> 0, true, true, true, now(), now()
            FROM bench_units
            """
        )
        c.execute(
            """
            INSERT INTO village_venuefunds (organization_id, year, office_fen, service_fen,
                created_at, updated_at)
            SELECT id, %s, 1080000, 900000, now(), now() FROM bench_units
            """,
            [YEAR],
        )
        c.execute(
            """
            INSERT INTO village_venuework (venue_id, organization_id, kind, year, cost_fen,
                funding, note, created_at)
            SELECT v.id, v.organization_id, 'new', %s, 9756000, 'county', 'BENCH', now()
            FROM village_venue v JOIN bench_units u ON u.id = v.organization_id
            WHERE u.rn %% 2 = 0
            """,
            [YEAR],
        )
        c.execute("SELECT min(depth) FROM orgs_organization WHERE level = 'county'")
        county_len = c.fetchone()[0] * STEP
        c.execute(
            f"""
            INSERT INTO village_paysheet (organization_id, year, rule_id, status, total_fen,
                confirmed_by_name, return_reason, created_at, updated_at)
            SELECT u.id, %s, r.id, 'confirmed', (135000 + 108000 + 81000) * 12, '', '',
                now(), now()
            FROM bench_units u
            JOIN orgs_organization k ON k.path = substr(u.path, 1, {county_len})
            JOIN village_payrule r ON r.organization_id = k.id AND r.note = 'BENCH'
            """,
            [YEAR],
        )
        c.execute(
            """
            INSERT INTO village_payline (sheet_id, member_id, name, post, months, monthly_fen,
                performance_fen, total_fen)
            SELECT s.id, NULL, 'BENCH ' || x.post, x.post, 12, x.m, 0, x.m * 12
            FROM village_paysheet s JOIN bench_units u ON u.id = s.organization_id
            CROSS JOIN (VALUES ('secretary', 135000), ('director', 108000), ('member', 81000))
                AS x(post, m)
            WHERE s.year = %s
            """,
            [YEAR],
        )
        # The village roll-up keys, counted per organization and added up its ancestors.
        max_depth = Organization.objects.order_by("-depth").values_list("depth", flat=True)[0]
        depths = " UNION ALL ".join(f"SELECT {n} AS n" for n in range(1, max_depth + 1))
        for table, key, where in (
            ("village_venue", "'village.venues'", "true"),
            (
                "village_venue",
                "'village.venues_five_haves'",
                "r.has_site AND r.has_rules AND r.has_signage AND r.has_equipment AND r.has_records",
            ),
            (
                "village_venue",
                "'village.venues_six_in_one'",
                "r.fn_office AND r.fn_activity AND r.fn_training AND r.fn_service"
                " AND r.fn_culture AND r.fn_information",
            ),
            ("village_paysheet", "'village.sheets.' || r.year || '.' || r.status", "true"),
            ("village_venuework", "'village.works.' || r.year || '.' || r.kind", "true"),
        ):
            c.execute(
                f"""
                INSERT INTO rollups_rollup (organization_id, key, value)
                SELECT anc.id, x.k, SUM(x.n) FROM (
                    SELECT r.organization_id AS oid, {key} AS k, COUNT(*) AS n
                    FROM {table} r WHERE {where} GROUP BY 1, 2) x
                JOIN orgs_organization o ON o.id = x.oid
                JOIN ({depths}) d ON d.n <= o.depth
                JOIN orgs_organization anc ON anc.path = substr(o.path, 1, d.n * {STEP})
                GROUP BY 1, 2
                ON CONFLICT (organization_id, key)
                DO UPDATE SET value = rollups_rollup.value + excluded.value
                """
            )
        for table in (
            "village_venue",
            "village_venuefunds",
            "village_venuework",
            "village_paysheet",
            "village_payline",
            "rollups_rollup",
        ):
            c.execute(f"ANALYZE {table}")
    totals.rebuild()  # the sums of money over the tree, as the demo makes them
    with connection.cursor() as c:
        c.execute("ANALYZE village_moneyrollup")
    return units


def timed(fn, runs):
    fn()  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def report(label, median, worst, target=None):
    mark = "" if target is None else ("  ok" if median < target else "  OVER")
    goal = f" (target < {target} ms)" if target else ""
    print(f"  {label:<52} median {median:7.1f} ms  worst {worst:7.1f} ms{goal}{mark}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    setup_test_environment()
    print(
        f"Database {connection.settings_dict['NAME']}: {Organization.objects.count()} organizations"
    )
    print(f"Load average: {os.getloadavg()}")
    with transaction.atomic():
        start = time.perf_counter()
        units = generate()
        print(
            f"Generated venues, funds, works, pay sheets for {units} villages/communities "
            f"in {time.perf_counter() - start:.1f} s (rolled back at the end)"
        )
        root = Organization.objects.get(depth=1)
        county = Organization.objects.filter(level=Level.COUNTY).order_by("path").first()
        n_sheets = selectors.PaySheet.objects.filter(
            organization__path__startswith=county.path, year=YEAR
        ).count()
        admin = get_user_model().objects.create_superuser("bench_village", password="x")
        client = Client()
        client.force_login(admin)

        def page(url):
            def get():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                if response.streaming:
                    b"".join(response.streaming_content)

            return get

        print(f"Root {root.name}; county {county.name} ({n_sheets} pay sheets)")
        for label, url, target in (
            ("overview /village/ at the root", f"/village/?year={YEAR}", TARGET_MS),
            (
                "overview /village/ at a county",
                f"/village/?org={county.code}&year={YEAR}",
                TARGET_MS,
            ),
            (
                "pay sheets of a county (first page)",
                f"/village/sheets/?org={county.code}&year={YEAR}",
                TARGET_MS,
            ),
            (
                "pay-sheet export of a county (.xlsx)",
                f"/village/sheets/export.xlsx?org={county.code}&year={YEAR}",
                None,
            ),
        ):
            report(label, *timed(page(url), args.runs), target)
        report(
            "village_figures(root) (stats keys)",
            *timed(lambda: selectors.village_figures(root, Period(YEAR)), args.runs),
            TARGET_MS,
        )
        figures = selectors.village_figures(root, Period(YEAR))
        print(
            f"  root: {figures['venues']} venues, {figures['venues_five_haves']} five haves, "
            f"cadre pay {figures['cadre_pay_fen'] / 100:,.0f} yuan"
        )
        transaction.set_rollback(True)
    print(f"Rolled back: {selectors.Venue.objects.count()} venues left in the database")


if __name__ == "__main__":
    main()
