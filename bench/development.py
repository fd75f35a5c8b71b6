"""Benchmark of development on province-scale data in PostgreSQL (not a test).

    .venv/bin/python bench/development.py [--share 0.02] [--runs 15]

Database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/dangjian_bench
(100,000 organizations, 2,000,000 members; `dangjian migrate development` applied first).
Inside one transaction that is rolled back at the end, it writes candidacies for `share` of
the members (about 2%: applicants, activists, candidates) spread over the branches in bulk
SQL, with their steps, and adds their roll-up keys to every ancestor the way the services
do; then measures:
1. the development pipeline page (/development/) of the ROOT for a superuser — < 300 ms;
2. the same page of the first county (its double-strong table counts its officers);
3. `orgs_without_candidate` over the first county.
Nothing stays in the database.
"""

import argparse
import datetime
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

from dangjian.development import selectors  # noqa: E402
from dangjian.orgs.models import Level, Organization  # noqa: E402

TARGET_MS = 300
STEP = Organization.steplen


def page_ms(client, url, runs):
    times = []
    size = 0
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.content)
    return statistics.median(times), max(times), size


def generate(share: float) -> int:
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO development_candidacy (organization_id, name, gender, birth_date,
                id_number, education, category, phone, applied_on, stage, last_step,
                ended_on, end_reason, created_at, updated_at)
            SELECT m.organization_id, 'BENCH' || m.id, m.gender, m.birth_date,
                m.id_number, m.education, m.category, '', DATE '2025-03-01' + (m.id %% 400)::int,
                CASE m.id %% 3 WHEN 0 THEN 'applicant' WHEN 1 THEN 'activist' ELSE 'candidate' END,
                CASE m.id %% 3 WHEN 0 THEN 2 WHEN 1 THEN 5 ELSE 11 END,
                NULL, '', now(), now()
            FROM members_member m
            WHERE m.id %% %s = 0
            """,
            [round(1 / share)],
        )
        n = cur.rowcount
        cur.execute(
            """
            INSERT INTO development_developmentstep (candidacy_id, number, done_on, special,
                outcome, note, created_at)
            SELECT c.id, k, c.applied_on + k * 7, false, '', '', now()
            FROM development_candidacy c CROSS JOIN generate_series(1, c.last_step) k
            """
        )
        cur.execute(
            f"""
            INSERT INTO rollups_rollup (organization_id, key, value)
            SELECT a.id, 'development.stage.' || c.stage, count(*)
            FROM development_candidacy c
            JOIN orgs_organization o ON o.id = c.organization_id
            CROSS JOIN generate_series(1, o.depth) k
            JOIN orgs_organization a ON a.path = substr(o.path, 1, k * {STEP})
            GROUP BY a.id, c.stage
            ON CONFLICT (organization_id, key)
            DO UPDATE SET value = rollups_rollup.value + excluded.value
            """
        )
        cur.execute("ANALYZE development_candidacy")
        cur.execute("ANALYZE development_developmentstep")
    return n


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--share", type=float, default=0.02)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    setup_test_environment()
    with transaction.atomic():
        start = time.perf_counter()
        n = generate(args.share)
        print(f"generated {n} candidacies in {time.perf_counter() - start:.1f} s", flush=True)
        user = get_user_model().objects.create_superuser("bench_development", password="x")
        client = Client()
        client.force_login(user)
        root = Organization.objects.get_first_root_node()
        print("root pipeline:", selectors.pipeline(root))
        median, worst, size = page_ms(client, "/development/", args.runs)
        verdict = "OK" if median < TARGET_MS else "TOO SLOW"
        print(
            f"1. pipeline page of the root ({root.name}): median {median:.0f} ms, worst "
            f"{worst:.0f} ms, {size // 1024} KB (target < {TARGET_MS} ms) {verdict}",
            flush=True,
        )
        county = Organization.objects.filter(level=Level.COUNTY).order_by("path").first()
        if county is not None:
            median, worst, size = page_ms(client, f"/development/?org={county.code}", args.runs)
            print(
                f"2. pipeline page of a county ({county.name}): median {median:.0f} ms, "
                f"worst {worst:.0f} ms",
                flush=True,
            )
            start = time.perf_counter()
            found = selectors.orgs_without_candidate(
                [county.path], datetime.date(2025, 1, 1)
            ).count()
            print(
                f"3. orgs_without_candidate over that county: {found} organizations, "
                f"{(time.perf_counter() - start) * 1000:.0f} ms",
                flush=True,
            )
        transaction.set_rollback(True)
    print("rolled back: nothing kept")


if __name__ == "__main__":
    main()
