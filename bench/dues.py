"""Benchmark of dues on province-scale data in PostgreSQL (not a test).

    DANGJIAN_DEBUG=1 .venv/bin/python bench/dues.py

Database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/dangjian_bench
(apply the dues migrations first). Picks the county with the most members, writes a base
per member and 12 months of ledger rows for them in one INSERT … SELECT (most paid, one in
ten not), then measures against the issue's targets (median of 5 runs, the worst too):
1. the county's ledger (/dues/ledger/?org=…&year=…), first page rendered for its
   administrator — < 300 ms; also filtered to unpaid rows of one month;
2. the .xlsx export of the county's year — < 10 s;
3. the stats keys at the county (dues_figures) and the arrears list of one branch.
Everything runs in a transaction that is rolled back: the bench database is left as it was.
"""

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
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from dangjian.accounts.models import Role, RoleName  # noqa: E402
from dangjian.core.periods import Period  # noqa: E402
from dangjian.dues import selectors  # noqa: E402
from dangjian.orgs.models import Level, Organization  # noqa: E402

YEAR = 2026


class Rollback(Exception):
    pass


def timed(fn, runs=5):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def biggest_county():
    with connection.cursor() as c:
        c.execute(
            "SELECT o.id, COUNT(m.id) FROM orgs_organization o JOIN orgs_organization s "
            "ON s.path LIKE o.path || '%%' JOIN members_member m ON m.organization_id = s.id "
            "WHERE o.level = %s GROUP BY o.id ORDER BY 2 DESC LIMIT 1",
            [Level.COUNTY],
        )
        oid, n = c.fetchone()
    return Organization.objects.get(pk=oid), n


def fill(county):
    with connection.cursor() as c:
        c.execute(
            "INSERT INTO dues_duesbase (member_id, organization_id, effective_from, category, "
            "base_fen, monthly_fen, exempt, reason, created_at) SELECT m.id, m.organization_id, "
            "DATE '2026-01-01', 'rural', 0, 20, false, '', now() FROM members_member m JOIN "
            "orgs_organization o ON o.id = m.organization_id WHERE o.path LIKE %s",
            [county.path + "%"],
        )
        c.execute(
            "INSERT INTO dues_duesmonth (organization_id, member_id, month, due_fen, paid_fen, "
            "paid_on, collector, note, updated_at) SELECT m.organization_id, m.id, "
            "make_date(%s, g, 1), 20, CASE WHEN (m.id + g) %% 10 = 0 THEN 0 ELSE 20 END, "
            "CASE WHEN (m.id + g) %% 10 = 0 THEN NULL ELSE make_date(%s, g, 15) END, "
            "'书记', '', now() FROM members_member m JOIN orgs_organization o ON "
            "o.id = m.organization_id CROSS JOIN generate_series(1, 12) g "
            "WHERE o.path LIKE %s AND m.removed_on IS NULL",
            [YEAR, YEAR, county.path + "%"],
        )
        rows = c.rowcount
        c.execute("ANALYZE dues_duesmonth")
        c.execute("ANALYZE dues_duesbase")
    return rows


def main():
    county, members = biggest_county()
    print(f"county {county.code} {county.name}: {members} members")
    try:
        with transaction.atomic():
            start = time.perf_counter()
            rows = fill(county)
            print(f"wrote {rows} ledger rows in {time.perf_counter() - start:.1f} s")
            user = get_user_model().objects.create_user("bench_dues", password="x")
            Role.objects.create(user=user, organization=county, name=RoleName.COUNTY_ADMIN)
            client = Client()
            client.force_login(user)

            def page(query=""):
                r = client.get(f"/dues/ledger/?org={county.code}&year={YEAR}{query}")
                assert r.status_code == 200, r.status_code

            med, worst = timed(page)
            print(f"1. ledger first page: median {med:.0f} ms, worst {worst:.0f} ms (< 300 ms)")
            med, worst = timed(lambda: page("&month=6&status=unpaid"))
            print(f"   unpaid of one month: median {med:.0f} ms, worst {worst:.0f} ms")

            def export():
                r = client.get(f"/dues/ledger/export.xlsx?org={county.code}&year={YEAR}")
                size = sum(len(b) for b in r.streaming_content)
                assert r.status_code == 200 and size > 0

            med, worst = timed(export, runs=2)
            print(
                f"2. export of the year: median {med / 1000:.1f} s, worst {worst / 1000:.1f} s (< 10 s)"
            )
            med, worst = timed(lambda: selectors.dues_figures(county, Period(YEAR)))
            print(f"3. stats keys at the county: median {med:.0f} ms, worst {worst:.0f} ms")
            branch = (
                Organization.objects.filter(path__startswith=county.path, kind="branch")
                .order_by("-numchild", "path")
                .first()
            )
            med, worst = timed(
                lambda: selectors.arrears(
                    branch, months=3, ref=__import__("datetime").date(YEAR, 12, 1)
                )
            )
            print(f"   arrears list of a branch: median {med:.0f} ms, worst {worst:.0f} ms")
            raise Rollback
    except Rollback:
        print("rolled back: the bench database is unchanged")


if __name__ == "__main__":
    main()
