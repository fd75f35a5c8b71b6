"""The work desk (工作台) at province scale (not a test): render time and query count.

    .venv/bin/python bench/desk.py [--runs 3]

Database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/dangjian_bench,
with province-scale data (`dangjian demo --orgs 100000 --members 2000000`); without it the
script says so and exits cleanly. Measures GET / (the desk) with Django's test client, as
the province's administrator (demo user `county`, the root), a county's administrator (a
user `bench_desk_county` made here and removed at the end), the township secretary
(`township`), a village branch secretary (`branch`) and a member (`member`): the first
request (which may compute what later ones read), then the median and the query count of
`--runs` more. The load average is printed with the figures: other work on the 2 cores
slows every one.
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
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.db.utils import OperationalError, ProgrammingError  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

BENCH_USER = "bench_desk_county"
MIN_ORGS = 50_000


def data_ready() -> bool:
    try:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            print("The database is not migrated to this code: run `dangjian migrate` on it.")
            return False
        from dangjian.orgs.models import Organization

        n = Organization.objects.count()
    except (OperationalError, ProgrammingError) as exc:
        print(f"No benchmark database ({exc.__class__.__name__}: {str(exc).strip()[:120]}).")
        return False
    if n < MIN_ORGS:
        print(
            f"{connection.settings_dict['NAME']} holds {n} organizations: generate province-scale"
            " data first (`dangjian demo --orgs 100000 --members 2000000`)."
        )
        return False
    return True


def users():
    from dangjian.accounts.models import Role, RoleName
    from dangjian.orgs.models import Level, Organization

    User = get_user_model()
    out = []
    county = Organization.objects.filter(level=Level.COUNTY).order_by("path").first()
    user, _ = User.objects.get_or_create(username=BENCH_USER)
    Role.objects.get_or_create(user=user, organization=county, name=RoleName.COUNTY_ADMIN)
    for label, name in (
        ("province (root)", "county"),
        (f"county {county.name}", BENCH_USER),
        ("township", "township"),
        ("branch secretary", "branch"),
        ("member", "member"),
    ):
        u = User.objects.filter(username=name).first()
        if u is None:
            print(f"  (no user {name!r}: {label} left out)")
            continue
        out.append((label, u))
    return out


def measure(user, runs: int):
    client = Client()
    client.force_login(user)

    def get():
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get("/")
            elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        return elapsed, len(ctx.captured_queries)

    first, _ = get()
    times, queries = [], 0
    for _ in range(runs):
        t, queries = get()
        times.append(t)
    return first, statistics.median(times), queries


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args, _unknown = parser.parse_known_args()  # bench/run.py passes its own arguments on
    if not data_ready():
        return 0
    print(f"Database {connection.settings_dict['NAME']}, load average {os.getloadavg()[0]:.2f}")
    print(f"{'desk of':<28}{'first (s)':>10}{'median (s)':>12}{'queries':>9}")
    try:
        for label, user in users():
            first, median, queries = measure(user, args.runs)
            print(f"{label:<28}{first:>10.3f}{median:>12.3f}{queries:>9}", flush=True)
    finally:
        get_user_model().objects.filter(username=BENCH_USER).delete()
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
