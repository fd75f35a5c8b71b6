"""Benchmark of the list-based mechanism on province-scale data in PostgreSQL (not a test).

    .venv/bin/python bench/tasks.py [--reports 10000] [--workers 2] [--threads 4] [--keep]

Database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/dangjian_bench.
Province-scale data (100,000 organizations, 2,000,000 members) is generated with
`dangjian demo --orgs 100000 --members 2000000` only when the database has none.

Measures, each against the issue's target:
1. issuing one assignment to 50,000 branches (hand-picked codes) and to every village
   branch of the province (filter by level and kind)                          — < 10 s;
2. the progress roll-up at the root (services.progress + totals) before, while and after
   report-backs come in; median of repeated runs                              — < 200 ms;
3. report-backs saved per second with services.report, in `--workers` processes of
   `--threads` threads, each thread with its own connection: by default the 2 processes of
   4 threads that `dangjian serve` runs                                       — ≥ 200/s.
Each figure with a target is printed with OK or MISSED, and the load average with it: other
work on the 2 cores slows every figure.
The assignments made here are deleted at the end (with their report-backs and audit events,
then VACUUM ANALYZE of those tables) unless --keep is given, so the shared benchmark database
stays as it was.
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
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.utils import timezone  # noqa: E402

from dangjian.accounts.models import Role, RoleName  # noqa: E402
from dangjian.core.management.commands.serve import THREADS, WORKERS  # noqa: E402
from dangjian.core.models import AuditEvent  # noqa: E402
from dangjian.orgs.models import Kind, Level, Organization  # noqa: E402
from dangjian.tasks import selectors, services  # noqa: E402
from dangjian.tasks.models import Assignment, ReportBack  # noqa: E402

ORGS, MEMBERS = 100_000, 2_000_000
# Targets of issue 4: (limit, "<" or ">=").
ISSUE_TARGET_S = (10, "<")
ROLL_UP_TARGET_MS = (200, "<")
REPORTS_TARGET_PER_S = (200, ">=")
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
    root = Organization.objects.get_first_root_node()
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


def backend_cpu():
    """CPU seconds used so far by this connection's PostgreSQL backend, when the server runs
    on this machine (read from /proc); None otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def report_thread(ids, user_id, barrier, results):
    """One request thread: its own connection (Django opens one per thread), reports each id.
    Appends (count, PostgreSQL CPU s or None) to results, or (None, error)."""
    try:
        user = get_user_model().objects.get(pk=user_id)  # connect before the clock starts
        pg_start = backend_cpu()
    except Exception as e:
        results.append((None, f"{type(e).__name__}: {e}"))
        barrier.abort()
        return
    try:
        barrier.wait()
        for n, rb_id in enumerate(ids):
            services.report(
                ReportBack(pk=rb_id),
                values={"attendees": 10 + n % 40, "note": "已召开"},
                actor=user,
            )
        pg_end = backend_cpu()
        pg = pg_end - pg_start if pg_start is not None and pg_end is not None else None
        results.append((len(ids), pg))
    except threading.BrokenBarrierError:
        pass
    except Exception as e:
        results.append((None, f"{type(e).__name__}: {e}"))
    finally:
        connection.close()


def report_worker(ids, user_id, threads, ready, go, queue):
    """A process like one `dangjian serve` worker: `threads` request threads. Puts (count,
    seconds, Python CPU s, PostgreSQL CPU s or None) on the queue, or (None, error) so the
    parent never waits forever."""
    results = []
    barrier = threading.Barrier(threads + 1)
    workers = [
        threading.Thread(target=report_thread, args=(ids[i::threads], user_id, barrier, results))
        for i in range(threads)
    ]
    for t in workers:
        t.start()
    ready.release()
    go.wait()
    start, cpu_start = time.perf_counter(), time.process_time()
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        pass
    for t in workers:
        t.join()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    errors = [r[1] for r in results if r[0] is None]
    if errors or len(results) != threads:
        queue.put((None, errors[0] if errors else "a reporting thread stopped"))
        return
    pg = [r[1] for r in results]
    queue.put((sum(r[0] for r in results), seconds, cpu, None if None in pg else sum(pg)))


def report_many(ids, user, workers, threads):
    """Report `ids` in `workers` fresh processes (spawned: nothing shared with this one) of
    `threads` threads each. Returns (report-backs per second, wall seconds, CPU ms per
    report-back in Python and in PostgreSQL (None when not measurable))."""
    ctx = multiprocessing.get_context("spawn")
    queue, ready, go = ctx.Queue(), ctx.Semaphore(0), ctx.Event()
    chunks = [ids[i::workers] for i in range(workers)]
    procs = [
        ctx.Process(target=report_worker, args=(c, user.pk, threads, ready, go, queue))
        for c in chunks
    ]
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
    errors = [r[1] for r in results if r[0] is None]
    if errors:
        raise RuntimeError(f"a reporting process failed: {errors[0]}")
    count = sum(r[0] for r in results)
    python_ms = sum(r[2] for r in results) * 1000 / count
    pg = [r[3] for r in results]
    pg_ms = sum(pg) * 1000 / count if None not in pg else None
    return count / wall, wall, python_ms, pg_ms


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
    if connection.vendor == "postgresql":
        # The server may run without autovacuum: leave no dead rows behind for the next run.
        with connection.cursor() as cursor:
            for model in (ReportBack, AuditEvent):
                cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')


def reference_ms() -> float:
    """CPU ms of a fixed pure-Python loop (best of 3): this virtual machine's speed drifts by
    up to 2x within minutes, so each run says how fast the machine was while it ran."""
    best = float("inf")
    for _ in range(3):
        start, total = time.process_time(), 0
        for i in range(1_000_000):
            total += i
        best = min(best, (time.process_time() - start) * 1000)
    return best


def load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def verdict(value, target) -> str:
    if target is None:
        return ""
    limit, op = target
    ok = value < limit if op == "<" else value >= limit
    return f"{op} {limit:<5} {'OK' if ok else 'MISSED'}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=WORKERS, help="processes, as `serve`")
    parser.add_argument("--threads", type=int, default=THREADS, help="threads per process")
    parser.add_argument(
        "--single", type=int, default=500, help="report-backs saved first by 1 process alone"
    )
    parser.add_argument("--keep", action="store_true", help="keep the assignments made here")
    args = parser.parse_args()
    for name in ("reports", "single", "workers", "threads"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.single >= args.reports:
        parser.error("--single must be smaller than --reports")

    load_start = load_before = load_during = load()
    speed_start = reference_ms()
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
        figures["issue to 50,000 hand-picked branches (s)"] = (seconds, ISSUE_TARGET_S)
        villages, seconds = timed(
            issue,
            root,
            user,
            {"mode": "filter", "levels": [Level.VILLAGE], "kinds": [Kind.BRANCH]},
            "基准测试：全部村党支部",
        )
        made.append(villages.pk)
        n = villages.report_backs.count()
        figures[f"issue to all {n} village branches by filter (s)"] = (seconds, ISSUE_TARGET_S)

        a = picked  # issue() has analyzed the report-backs it wrote
        figures["roll-up at the root, 0 reported: median ms"] = (
            median_ms(lambda: roll_up(a, root))[0],
            ROLL_UP_TARGET_MS,
        )
        figures["follow-up list (pending below) at the root, 120,000 pending: median ms"] = (
            median_ms(lambda: selectors.pending_below(user, datetime.date.today()), runs=5)[0],
            None,
        )
        figures["summed values at the root, 0 reported: median ms"] = (
            median_ms(lambda: services.summed_values(a, root))[0],
            None,
        )

        ids = list(a.report_backs.order_by("?").values_list("id", flat=True)[: args.reports])
        single = ids[: args.single]
        rate1, _, py_ms, pg_ms = report_many(single, user, 1, 1)
        figures[f"report-backs per second, 1 process, 1 thread ({len(single)})"] = (rate1, None)

        stop, samples = threading.Event(), []
        watcher = threading.Thread(target=watch_progress, args=(a, root, stop, samples))
        load_before = load()
        watcher.start()
        rate, wall, py_ms, pg_ms = report_many(ids[len(single) :], user, args.workers, args.threads)
        stop.set()
        watcher.join()
        load_during = load()
        figures[
            f"report-backs per second, {args.workers} processes × {args.threads} threads "
            f"({len(ids) - len(single)} in {wall:.1f} s)"
        ] = (rate, REPORTS_TARGET_PER_S)
        # CPU time is what other work on the machine does not change: it says what the
        # cores could do if the bench had them to itself.
        figures["CPU per report-back in the reporting processes (ms)"] = (py_ms, None)
        if pg_ms is not None:
            figures["CPU per report-back in PostgreSQL (ms)"] = (pg_ms, None)
            figures[f"report-backs per second {os.cpu_count()} idle CPUs could take at most"] = (
                os.cpu_count() * 1000 / (py_ms + pg_ms),
                None,
            )
        if samples:
            figures[f"roll-up at the root while reporting: median ms ({len(samples)} runs)"] = (
                statistics.median(samples),
                ROLL_UP_TARGET_MS,
            )
            figures["roll-up at the root while reporting: max ms"] = (max(samples), None)

        reported = a.report_backs.filter(status="reported").count()
        med, worst = median_ms(lambda: roll_up(a, root))
        figures[f"roll-up at the root, {reported} reported: median ms"] = (med, ROLL_UP_TARGET_MS)
        figures[f"roll-up at the root, {reported} reported: max ms"] = (worst, None)
        figures[f"summed values at the root, {reported} reported: median ms"] = (
            median_ms(lambda: services.summed_values(a, root))[0],
            None,
        )
        township = a.report_backs.select_related("organization").first().organization
        while township.depth > 4:
            township = township.parent()
        figures["roll-up at a township: median ms"] = (
            median_ms(lambda: roll_up(a, township))[0],
            None,
        )
        total = roll_up(a, root)
        assert total["receivers"] == 50_000 and total["reported"] == reported, total
    finally:
        if not args.keep:
            cleanup(made)
    print(
        f"\nload average (1, 5, 15 min) on {os.cpu_count()} CPUs: at start {load_start}; "
        f"before reporting {load_before}; after reporting {load_during}; at end {load()}"
    )
    print(
        f"machine speed, a fixed Python loop (lower is faster): {speed_start:.0f} ms at start, "
        f"{reference_ms():.0f} ms at end"
    )
    print(f"{'measurement':<72} {'value':>10}  target")
    for label, (value, target) in figures.items():
        print(f"{label:<72} {value:10.1f}  {verdict(value, target)}")


if __name__ == "__main__":
    main()
