"""Benchmark of the list-based mechanism on province-scale data in PostgreSQL (not a test).

    .venv/bin/python bench/tasks.py [--reports 10000] [--workers 2] [--keep]

Database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/dangjian_bench.
Province-scale data (100,000 organizations, 2,000,000 members) is generated with
`dangjian demo --orgs 100000 --members 2000000` only when the database has none.

Measures, each against the issue's target:
1. issuing one assignment to 50,000 branches (hand-picked codes) and to every village
   branch of the province (filter by level and kind)                          — < 10 s;
2. the progress roll-up at the root (services.progress + totals) before, while and after
   report-backs come in; median of repeated runs                              — < 200 ms;
3. report-backs saved per second with services.report, in `--workers` processes each with
   its own connection                                                         — ≥ 200/s.
The assignments made here are deleted at the end (with their report-backs and audit events)
unless --keep is given, so the shared benchmark database stays as it was.
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dangjian_bench"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")

import django  # noqa: E402

django.setup()

import datetime  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.utils import timezone  # noqa: E402

from dangjian.accounts.models import Role, RoleName  # noqa: E402
from dangjian.core.models import AuditEvent  # noqa: E402
from dangjian.orgs.models import Kind, Level, Organization  # noqa: E402
from dangjian.tasks import services  # noqa: E402
from dangjian.tasks.models import Assignment, ReportBack  # noqa: E402

ORGS, MEMBERS = 100_000, 2_000_000
BENCH_USER = "bench_tasks"
FIELDS = [
    {"key": "attendees", "label": "参加人数", "type": "integer", "unit": "人", "min_value": 0},
    {"key": "held", "label": "主题党日次数", "type": "integer", "binding": "life.theme_day"},
    {"key": "note", "label": "备注", "type": "text", "required": False},
]


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
    branches = Organization.objects.active().filter(kind=Kind.BRANCH).count()
    print(
        f"Database {connection.settings_dict['NAME']}: {count} organizations, {branches} branches"
    )
    if branches < 50_000:
        sys.exit(
            "Fewer than 50,000 branches: regenerate with `dangjian demo --reset "
            f"--orgs {ORGS} --members {MEMBERS}`."
        )


def bench_user():
    """A province-level administrator (the services check permissions against it)."""
    root = Organization.get_first_root_node()
    user, created = get_user_model().objects.get_or_create(username=BENCH_USER)
    if created:
        user.set_unusable_password()
        user.save()
    Role.objects.get_or_create(user=user, organization=root, name=RoleName.COUNTY_ADMIN)
    return get_user_model().objects.get(pk=user.pk), root


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def issue(root, user, receivers, title):
    today = timezone.localdate()
    return services.issue(
        root,
        title=title,
        content="每个村党支部召开一次主题党日，报送参加人数",
        starts_on=today - datetime.timedelta(days=1),
        deadline=today + datetime.timedelta(days=30),
        receivers=receivers,
        fields=FIELDS,
        actor=user,
    )


def roll_up(assignment, root):
    rows = services.progress(assignment, root)
    return services.totals(rows)


def median_ms(fn, runs=15):
    fn()  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def report_worker(ids, user_id, ready, go, queue):
    """Runs in its own process with its own connection: report each id in turn."""
    user = get_user_model().objects.get(pk=user_id)
    ReportBack.objects.filter(pk=ids[0]).exists()  # connect before the clock starts
    ready.release()
    go.wait()
    start = time.perf_counter()
    for n, rb_id in enumerate(ids):
        services.report(
            ReportBack(pk=rb_id), values={"attendees": 10 + n % 40, "note": "已召开"}, actor=user
        )
    queue.put((len(ids), time.perf_counter() - start))
    connections.close_all()


def report_many(ids, user, workers):
    """Report `ids` in `workers` fresh processes (spawned: nothing shared with this one)."""
    ctx = multiprocessing.get_context("spawn")
    queue, ready, go = ctx.Queue(), ctx.Semaphore(0), ctx.Event()
    chunks = [ids[i::workers] for i in range(workers)]
    procs = [ctx.Process(target=report_worker, args=(c, user.pk, ready, go, queue)) for c in chunks]
    for p in procs:
        p.start()
    for _ in procs:
        ready.acquire()
    start = time.perf_counter()
    go.set()
    results = [queue.get() for _ in procs]
    wall = time.perf_counter() - start
    for p in procs:
        p.join()
    return sum(n for n, _ in results) / wall, wall


def watch_progress(assignment, root, stop, samples):
    """Measure the roll-up every 0.2 s while the reporters work (own connection)."""
    while not stop.is_set():
        start = time.perf_counter()
        roll_up(assignment, root)
        samples.append((time.perf_counter() - start) * 1000)
        time.sleep(0.2)
    connection.close()


def cleanup(assignment_ids):
    rb_ids = [
        str(i)
        for i in ReportBack.objects.filter(assignment_id__in=assignment_ids).values_list(
            "id", flat=True
        )
    ]
    for start in range(0, len(rb_ids), 20_000):
        AuditEvent.objects.filter(
            target_type="tasks.reportback", target_id__in=rb_ids[start : start + 20_000]
        ).delete()
    AuditEvent.objects.filter(
        target_type="tasks.assignment", target_id__in=[str(i) for i in assignment_ids]
    ).delete()
    ReportBack.objects.filter(assignment_id__in=assignment_ids).delete()
    Assignment.objects.filter(pk__in=assignment_ids).delete()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the assignments made here")
    args = parser.parse_args()

    ensure_data()
    user, root = bench_user()
    made = []
    figures = {}
    try:
        codes = list(
            Organization.objects.active()
            .filter(kind=Kind.BRANCH)
            .order_by("?")
            .values_list("code", flat=True)[:50_000]
        )
        picked, seconds = timed(
            issue, root, user, {"mode": "orgs", "codes": codes}, "基准测试：指定5万个支部"
        )
        made.append(picked.pk)
        figures["issue to 50,000 hand-picked branches (s)"] = seconds
        villages, seconds = timed(
            issue,
            root,
            user,
            {"mode": "filter", "levels": [Level.VILLAGE], "kinds": [Kind.BRANCH]},
            "基准测试：全部村党支部",
        )
        made.append(villages.pk)
        n = villages.report_backs.count()
        figures[f"issue to all {n} village branches by filter (s)"] = seconds

        a = picked
        figures["roll-up at the root, 0 reported: median ms"] = median_ms(lambda: roll_up(a, root))[
            0
        ]
        figures["summed values at the root, 0 reported: median ms"] = median_ms(
            lambda: services.summed_values(a, root)
        )[0]

        ids = list(a.report_backs.order_by("?").values_list("id", flat=True)[: args.reports])
        single = ids[:200]
        rate1, _ = report_many(single, user, 1)
        figures["report-backs per second, 1 process"] = rate1

        stop, samples = threading.Event(), []
        watcher = threading.Thread(target=watch_progress, args=(a, root, stop, samples))
        watcher.start()
        rate, wall = report_many(ids[200:], user, args.workers)
        stop.set()
        watcher.join()
        figures[
            f"report-backs per second, {args.workers} processes ({len(ids) - 200} in {wall:.1f} s)"
        ] = rate
        if samples:
            figures[f"roll-up at the root while reporting: median ms ({len(samples)} runs)"] = (
                statistics.median(samples)
            )
            figures["roll-up at the root while reporting: max ms"] = max(samples)

        reported = a.report_backs.filter(status="reported").count()
        med, worst = median_ms(lambda: roll_up(a, root))
        figures[f"roll-up at the root, {reported} reported: median ms"] = med
        figures[f"roll-up at the root, {reported} reported: max ms"] = worst
        figures[f"summed values at the root, {reported} reported: median ms"] = median_ms(
            lambda: services.summed_values(a, root)
        )[0]
        township = a.report_backs.select_related("organization").first().organization
        while township.depth > 4:
            township = township.parent()
        figures["roll-up at a township: median ms"] = median_ms(lambda: roll_up(a, township))[0]
        total = roll_up(a, root)
        assert total["receivers"] == 50_000 and total["reported"] == reported, total
    finally:
        if not args.keep:
            cleanup(made)
    print()
    for label, value in figures.items():
        print(f"{label:<72} {value:10.1f}")


if __name__ == "__main__":
    main()
