"""Weak organizations at province scale (not a test): detection over the whole province,
then the candidates and list pages and the figures at the root.

    .venv/bin/python bench/weakorgs.py [--code ROOT] [--runs 3]

Database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/dangjian_bench,
with province-scale data (`dangjian demo --orgs 100000 --members 2000000`); without it the
script says so and exits. Everything runs in one transaction that is rolled back at the end
(flags, findings, the life meeting counts detection computes, the bench user), so the
shared database stays as it was. Printed:
1. detection over `--code` (default the root) for this year: seconds per criterion and in
   all, candidates and findings written; a second run (nothing new: idempotent);
2. with 6% of the village candidates confirmed: GET of the year's list page, the candidates
   page and the .xlsx export at the root, first and median of `--runs`, with query counts;
3. `weak_figures` at the root (the stats keys).
The load average is printed too: other work on the 2 cores slows every figure.
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
from django.db import connection, transaction  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.db.utils import OperationalError, ProgrammingError  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

MIN_ORGS = 50_000


class Rollback(Exception):
    pass


def data_ready() -> bool:
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            apps = sorted({m.app_label for m, _back in plan})
            if apps != ["weakorgs"]:
                print(
                    f"The database is not migrated to this code ({apps}): run `dangjian migrate`."
                )
                return False
            print("The weakorgs tables are made inside the bench's transaction (rolled back).")
        from dangjian.orgs.models import Organization

        n = Organization.objects.count()
    except (OperationalError, ProgrammingError) as exc:
        print(f"No benchmark database ({exc.__class__.__name__}: {str(exc).strip()[:120]}).")
        return False
    if n < MIN_ORGS:
        print(
            f"{connection.settings_dict['NAME']} holds {n} organizations: generate province-scale data first."
        )
        return False
    return True


def timed(label, fn):
    started = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - started
    print(f"  {label}: {seconds:.1f} s")
    return value, seconds


class Counter:
    """Counts the queries run (the test client's request_started resets connection.queries,
    so CaptureQueriesContext would see none)."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def page(client, url, runs):
    queries = Counter()
    with connection.execute_wrapper(queries):
        started = time.perf_counter()
        response = client.get(url)
        if getattr(response, "streaming", False):
            size = len(b"".join(response.streaming_content))
        else:
            size = len(response.content)
        first = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        times.append(time.perf_counter() - started)
    print(
        f"  GET {url}: first {first * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms"
        f" of {runs}, {queries.n} queries, {size / 1024:.0f} KB"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--code", default="", help="organization to detect under (default: the root)"
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not data_ready():
        return 0
    from dangjian.orgs.models import Organization
    from dangjian.weakorgs import selectors, services
    from dangjian.weakorgs.models import Finding, Flag, FlagStatus

    root = Organization.objects.filter(depth=1).order_by("path").first()
    top = Organization.objects.get(code=args.code) if args.code else root
    year = timezone.localdate().year
    print(
        f"load average {os.getloadavg()[0]:.1f}; {Organization.objects.count()} organizations,"
        f" {services.candidates(top).count()} candidates under {top.name} ({top.code});"
        f" year {year}"
    )
    try:
        with transaction.atomic():
            # PostgreSQL's DDL is transactional: the app's tables go with the rollback.
            call_command("migrate", "weakorgs", interactive=False, verbosity=0)
            print("1. detection")
            steps = []

            def progress(done, total=None, message=""):
                steps.append((time.perf_counter(), message))

            started = time.perf_counter()
            result = services.detect(top, year, progress=progress)
            total = time.perf_counter() - started
            for (t0, message), (t1, _next) in zip(steps, steps[1:], strict=False):
                print(f"  {message}: {t1 - t0:.1f} s")
            by = dict(
                Finding.objects.filter(flag__year=year)
                .values_list("criterion")
                .annotate(n=django.db.models.Count("id"))
                .values_list("criterion", "n")
            )
            print(
                f"  detection in all: {total:.1f} s; {result['flags']} candidates,"
                f" {result['created']} findings ({', '.join(f'{k} {v}' for k, v in sorted(by.items()))})"
            )
            _again, _s = timed(
                "again (idempotent)", lambda: services.detect(top, year, progress=None)
            )
            print(f"    new candidates {_again['new_flags']}, findings created {_again['created']}")

            print("2. pages at the root (6% of the village candidates confirmed)")
            villages = list(
                Flag.objects.filter(year=year, organization__level="village")
                .order_by("organization__path")
                .values_list("pk", flat=True)
            )
            n_villages = services.candidates(top).filter(level="village").count()
            chosen = villages[:: max(1, len(villages) // max(1, int(n_villages * 0.06)))]
            Flag.objects.filter(pk__in=chosen).update(
                status=FlagStatus.CONFIRMED, decided_on=timezone.localdate()
            )
            print(f"  confirmed {len(chosen)} of {n_villages} village organizations")
            user = get_user_model().objects.create_superuser("bench_weakorgs", password=None)
            client = Client()
            client.force_login(user)
            page(client, f"/weak/org/{top.code}/list/?year={year}", args.runs)
            page(client, f"/weak/org/{top.code}/?year={year}", args.runs)
            page(client, f"/weak/org/{top.code}/list.xlsx?year={year}", max(1, args.runs // 3))
            print("3. figures")
            from dangjian.core.periods import Period

            figures, _s = timed(
                "weak_figures at the root", lambda: selectors.weak_figures(root, Period(year))
            )
            print(f"    weak_organizations {figures['weak_organizations']}")
            raise Rollback
    except Rollback:
        print("rolled back: the database is as it was")
    return 0


if __name__ == "__main__":
    sys.exit(main())
