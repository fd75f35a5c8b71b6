"""Load test: the month-end burst against `dangjian serve` and PostgreSQL (not a test).

    .venv/bin/pip install -e ".[bench]"    # locust, once
    .venv/bin/python bench/load.py [--reporters 200] [--browsers 50] [--minutes 5]
                                   [--spawn-rate 2] [--think 5 20] [--no-worker] [--keep]
    .venv/bin/python bench/load.py --smoke  # 10 + 5 users for 30 s on the demo county

Database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/dangjian_bench, the
province-scale data (100,000 organizations, 2,000,000 members) that bench/tasks.py makes with
`dangjian demo --orgs 100000 --members 2000000`; not generated here (it takes half an hour).
--smoke: BENCH_SMOKE_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/dangjian_load_smoke,
created and loaded with the demo county when empty. Everything stays on 127.0.0.1.

1. Prepares, afresh on every run: in the county with the most village branches, `--reporters`
   branch secretaries at as many village branches (spread over its townships) and
   `--browsers` township and county users (one in five at the county), all with one known
   password; and one assignment issued by the county this month to those branches
   (tasks.services.issue) with a number, a text and a bound field, so each branch has a
   report-back to fill in. Roles are granted with accounts.services.grant.
2. Starts `dangjian serve` (gunicorn, 2 processes × 4 threads, and the background worker
   unless --no-worker) on a free loopback port with that DATABASE_URL; waits until it answers.
3. Runs locust headless (the users are in bench/load_users.py): reporters log in through the
   login page, open their work desk and submit their report-back form again and again;
   browsers log in and open the work desk, the organization page, the assignment's board,
   the organizational-life overview, the tasks page and the member list (plain and
   searched). Think time between actions; users start at `--spawn-rate` a second, then all
   of them run for `--minutes`. Before the server starts, the desk's stored figures of the
   last finished month and quarter are computed, as the daily job has them on a server.
4. Prints requests, failures (the target: none; a request unanswered after 60 s, locust's
   timeout, is one), p50/p95/p99/max per kind of request and
   overall (exact, from every request), for the whole run and for the time every user runs,
   requests per second, the server's peak memory (RSS of gunicorn and its workers,
   and of the background worker) and the CPU it used; the load average before and after.
5. Stops the server and deletes what step 1 made (users, roles, the assignment, their audit
   events and sessions) unless --keep. Exits 1 if any request failed.
"""

import argparse
import datetime
import importlib.util
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

BENCH_URL = "postgres://postgres@127.0.0.1:5432/dangjian_bench"
SMOKE_URL = "postgres://postgres@127.0.0.1:5432/dangjian_load_smoke"
PREFIX = "loadtest_"  # every account made here starts with it
PASSWORD = "load-test-2026"
TITLE = "负载测试：月底晒账单"
FIELDS = [
    {"key": "attendees", "label": "参加人数", "type": "integer", "unit": "人", "min_value": 0},
    {"key": "held", "label": "主题党日次数", "type": "integer", "binding": "life.theme_day"},
    {"key": "note", "label": "备注", "type": "text", "required": False},
]
SURNAMES = ["张", "王", "李", "刘", "陈", "杨", "赵", "黄"]
COUNTY_SHARE = 5  # one browser in five works at the county, the others at townships


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reporters", type=int, help="branch secretaries (default 200)")
    parser.add_argument("--browsers", type=int, help="township and county users (default 50)")
    parser.add_argument("--minutes", type=float, help="time with every user running (5)")
    parser.add_argument("--spawn-rate", type=float, help="users started per second (2)")
    parser.add_argument("--think", type=float, nargs=2, metavar=("MIN", "MAX"), help="s (5 20)")
    parser.add_argument("--smoke", action="store_true", help="10 + 5 users for 30 s, demo county")
    parser.add_argument("--no-worker", action="store_true", help="serve without its worker")
    parser.add_argument("--keep", action="store_true", help="keep the accounts and assignment")
    args = parser.parse_args()
    defaults = (
        {"reporters": 10, "browsers": 5, "minutes": 0.5, "spawn_rate": 5, "think": [1, 3]}
        if args.smoke
        else {"reporters": 200, "browsers": 50, "minutes": 5, "spawn_rate": 2, "think": [5, 20]}
    )
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    for name in ("reporters", "browsers", "minutes", "spawn_rate"):
        if getattr(args, name) <= 0:
            parser.error(f"--{name.replace('_', '-')} must be positive")
    if not 0 <= args.think[0] <= args.think[1]:
        parser.error("--think needs 0 <= MIN <= MAX")
    return args


def setup_django(url: str, smoke: bool) -> None:
    # Plain HTTP on loopback: demo mode (production mode wants a secret key and HTTPS).
    os.environ.setdefault("DANGJIAN_DEMO", "1")
    os.environ.pop("DANGJIAN_DEBUG", None)
    if smoke:
        import psycopg

        server, name = url.rsplit("/", 1)
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from dangjian.orgs.models import Organization

    if not Organization.objects.exists():
        if not smoke:
            sys.exit(
                "No data: generate it with `dangjian demo --orgs 100000 --members 2000000` "
                "(about half an hour), or run --smoke."
            )
        print("Empty database: loading the demo county…", flush=True)
        call_command("demo", verbosity=0)


# ---- preparation and cleanup (Django) ----------------------------------------------------


def cleanup() -> None:
    """Delete every account, role, assignment, audit event and session made here."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.db.models import Q
    from django.utils import timezone

    from dangjian.accounts.models import Role
    from dangjian.core.models import AuditEvent
    from dangjian.tasks.models import Assignment, ReportBack

    users = list(
        get_user_model().objects.filter(username__startswith=PREFIX).values_list("pk", flat=True)
    )
    assignments = list(Assignment.objects.filter(title=TITLE).values_list("pk", flat=True))
    rbs = ReportBack.objects.filter(assignment_id__in=assignments).values_list("pk", flat=True)
    roles = Role.objects.filter(user_id__in=users).values_list("pk", flat=True)
    AuditEvent.objects.filter(
        Q(actor_id__in=users)
        | Q(target_type="tasks.assignment", target_id__in=[str(i) for i in assignments])
        | Q(target_type="tasks.reportback", target_id__in=[str(i) for i in rbs])
        | Q(target_type="accounts.role", target_id__in=[str(i) for i in roles])
    ).delete()
    ReportBack.objects.filter(assignment_id__in=assignments).delete()
    Assignment.objects.filter(pk__in=assignments).delete()
    ours = {str(pk) for pk in users}
    stale = [
        s.pk
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if s.get_decoded().get("_auth_user_id") in ours
    ]
    Session.objects.filter(pk__in=stale).delete()
    get_user_model().objects.filter(pk__in=users).delete()  # their roles with them
    if connection.vendor == "postgresql":
        # Leave no dead rows behind for the next benchmark (autovacuum may be off).
        with connection.cursor() as cursor:
            for model in (ReportBack, AuditEvent, Session, Role, get_user_model()):
                cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')


def busiest_county(needed: int):
    """The first county (by path) with the most active village branches, and those branches."""
    from dangjian.orgs.models import Kind, Level, Organization

    best, best_n = None, -1
    for county in Organization.objects.active().filter(level=Level.COUNTY).order_by("path"):
        n = (
            Organization.objects.active()
            .filter(path__startswith=county.path, level=Level.VILLAGE, kind=Kind.BRANCH)
            .count()
        )
        if n > best_n:
            best, best_n = county, n
    if best is None or best_n < needed:
        sys.exit(f"No county has {needed} village branches (the most: {max(best_n, 0)}).")
    branches = list(
        Organization.objects.active()
        .filter(path__startswith=best.path, level=Level.VILLAGE, kind=Kind.BRANCH)
        .order_by("path")
    )
    step = len(branches) / needed  # spread over the county's townships
    return best, [branches[int(i * step)] for i in range(needed)]


def prepare(reporters: int, browsers: int) -> dict:
    """Accounts, roles and the assignment (made afresh); returns the plan for the users."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from dangjian.accounts import services as account_services
    from dangjian.accounts.models import Role, RoleName
    from dangjian.life import services as life_services
    from dangjian.orgs.models import Organization
    from dangjian.tasks import services as task_services
    from dangjian.tasks.models import Assignment, ReportBack

    cleanup()  # what an interrupted or --keep run left
    User = get_user_model()
    county, branches = busiest_county(reporters)
    township_paths = sorted({b.path[: (county.depth + 1) * Organization.steplen] for b in branches})
    townships = list(Organization.objects.filter(path__in=township_paths).order_by("path"))

    admin = User.objects.create(username=f"{PREFIX}admin", password=make_password(None))
    Role.objects.create(
        user=admin,
        organization=Organization.objects.get_first_root_node(),
        name=RoleName.COUNTY_ADMIN,
    )
    hashed = make_password(PASSWORD)  # once: hashing is slow by design
    reporter_users = User.objects.bulk_create(
        User(username=f"{PREFIX}r{i:03d}", password=hashed) for i in range(reporters)
    )
    browser_users = User.objects.bulk_create(
        User(username=f"{PREFIX}b{i:03d}", password=hashed) for i in range(browsers)
    )
    for user, branch in zip(reporter_users, branches, strict=True):
        account_services.grant(user, branch, RoleName.BRANCH_SECRETARY, actor=admin)
    browser_orgs = []
    for i, user in enumerate(browser_users):
        if i % COUNTY_SHARE == 0 or not townships:
            org, role = county, RoleName.COUNTY_ADMIN
        else:
            org = townships[(i - 1 - i // COUNTY_SHARE) % len(townships)]
            role = RoleName.TOWNSHIP_SECRETARY
        account_services.grant(user, org, role, actor=admin)
        browser_orgs.append(org)

    today = timezone.localdate()
    # The desk's stored missed-meeting figures of the last finished month and quarter, as
    # the daily job (settings.JOBS_DAILY "life_missed") has them ready on a working server.
    t = time.monotonic()
    for period in life_services.last_finished(today):
        life_services.refresh_missed(period, today)
    print(f"Desk figures of the last finished periods computed in {time.monotonic() - t:.0f} s")
    assignment = task_services.issue(
        county,
        title=TITLE,
        content="各村党支部报送本月主题党日开展情况和参加人数",
        starts_on=today.replace(day=1),
        deadline=today + datetime.timedelta(days=7),
        receivers={"mode": "orgs", "codes": [b.code for b in branches]},
        fields=FIELDS,
        actor=admin,
    )
    report_backs = dict(assignment.report_backs.values_list("organization_id", "pk"))
    if connection.vendor == "postgresql":
        # Statistics as a running server has them: cleanup() analyzed these tables nearly
        # empty, and with autovacuum off the planner would keep thinking so (a merge join
        # over every organization to find a user's roles, on each request).
        with connection.cursor() as cursor:
            for model in (User, Role, Assignment, ReportBack):
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    print(
        f"Prepared in {county.name} ({county.code}): {reporters} branch secretaries, "
        f"{browsers} users at the county and {len(townships)} townships, "
        f"assignment {assignment.pk} with {len(report_backs)} report-backs",
        flush=True,
    )
    return {
        "password": PASSWORD,
        "assignment": assignment.pk,
        "surnames": SURNAMES,
        "reporters_count": reporters,
        "browsers_count": browsers,
        "reporters": [
            {"username": u.username, "report_back": report_backs[b.pk]}
            for u, b in zip(reporter_users, branches, strict=True)
        ],
        "browsers": [
            {"username": u.username, "org": o.code}
            for u, o in zip(browser_users, browser_orgs, strict=True)
        ],
    }


# ---- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, port: int, log, worker: bool) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=url)
    cmd = [sys.executable, "-m", "dangjian", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if not worker:
        cmd.append("--no-worker")
    server = subprocess.Popen(
        cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"`dangjian serve` stopped (exit {server.returncode})")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5):
                return server
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("`dangjian serve` did not answer within 180 s")


def stop_server(server: subprocess.Popen) -> None:
    """SIGTERM: gunicorn finishes the requests in hand, serve then stops its worker."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)  # the group started with it, nothing else
            server.wait()


def process_tree(root: int) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents.setdefault(int(stat[1]), []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(parents.get(pid, []))
    return tree


def rss_and_cpu(pid: int) -> tuple[int, float]:
    """(RSS in bytes, user + system CPU seconds) of one process; (0, 0) once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        rss_pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0, 0.0
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return rss_pages * os.sysconf("SC_PAGE_SIZE"), cpu


class Watcher(threading.Thread):
    """Samples the memory of the server's processes twice a second; keeps the peaks."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root, self.stop = root, threading.Event()
        self.peak_total, self.peak_each = 0, {}

    def cpu(self) -> float:
        return sum(rss_and_cpu(pid)[1] for pid in process_tree(self.root))

    def run(self):
        while not self.stop.wait(0.5):
            total = 0
            for pid in process_tree(self.root):
                rss = rss_and_cpu(pid)[0]
                total += rss
                self.peak_each[pid] = max(self.peak_each.get(pid, 0), rss)
            self.peak_total = max(self.peak_total, total)


# ---- the load -----------------------------------------------------------------------------


def run_locust(plan: dict, args, base: str, workdir: Path) -> tuple[int, float, float]:
    """locust headless in its own process (gevent stays out of this one). Returns (exit code,
    wall-clock start (epoch s), when every user runs (epoch s))."""
    users = args.reporters + args.browsers
    ramp = users / args.spawn_rate
    seconds = round(ramp + args.minutes * 60)
    plan_file = workdir / "plan.json"
    plan = dict(plan, think=args.think, records=str(workdir / "requests.jsonl"))
    plan_file.write_text(json.dumps(plan), encoding="utf-8")
    cmd = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(HERE / "load_users.py"),
        "--headless",
        "--host",
        base,
        "--users",
        str(users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{seconds}s",
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    print(
        f"Load: {args.reporters} reporters + {args.browsers} browsers, {args.spawn_rate:g}/s "
        f"(all running after {ramp:.0f} s), {seconds} s in all, think {args.think[0]:g}–"
        f"{args.think[1]:g} s",
        flush=True,
    )
    with open(workdir / "locust.log", "w") as log:
        start = time.time()
        code = subprocess.run(
            cmd, env=dict(os.environ, LOAD_PLAN=str(plan_file)), stdout=log, stderr=log
        ).returncode
    return code, start, start + ramp


def read_records(workdir: Path) -> list[dict]:
    path = workdir / "requests.jsonl"
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def percentile(sorted_ms: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    return sorted_ms[max(math.ceil(p / 100 * len(sorted_ms)) - 1, 0)]


def loadavg() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def mib(n: int) -> str:
    return f"{n / 2**20:.0f} MiB"


def table(title: str, groups: dict[str, list[dict]]) -> None:
    print(f"\n{title}")
    print(
        f"{'request':<28} {'count':>6} {'failed':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    )
    for name, records in groups.items():
        if not records:
            continue
        ms = sorted(r["ms"] for r in records)
        failed = sum(1 for r in records if r["error"])
        cells = [percentile(ms, p) for p in (50, 95, 99)] + [ms[-1]]
        print(f"{name:<28} {len(ms):>6} {failed:>6} " + " ".join(f"{c:>8.0f}" for c in cells))


def report(records, start, steady, end, watcher, server_cpu, labels, loads) -> int:
    kinds = {}
    for r in sorted(records, key=lambda r: r["name"]):
        kinds.setdefault(r["name"], []).append(r)
    pages = [r for r in records if not r["name"].startswith("login")]
    table(
        f"Whole run ({end - start:.0f} s, ramp-up included)",
        {**kinds, "all": records, "all but the login": pages},
    )
    late = [r for r in records if r["at"] >= steady]
    late_kinds = {name: [r for r in rs if r["at"] >= steady] for name, rs in kinds.items()}
    table(
        f"Every user running (the last {end - steady:.0f} s)",
        {**late_kinds, "all": late, "all but the login": [r for r in late if r in pages]},
    )
    failed = [r for r in records if r["error"]]
    print(
        f"\nrequests: {len(records)} in {end - start:.0f} s, {len(records) / (end - start):.1f}/s; "
        f"every user running: {len(late) / max(end - steady, 1):.1f}/s"
    )
    print(f"failed requests: {len(failed)}   target 0   {'OK' if not failed else 'MISSED'}")
    errors = {}
    for r in failed:
        errors[(r["name"], r["error"][:200])] = errors.get((r["name"], r["error"][:200]), 0) + 1
    for (name, error), n in sorted(errors.items(), key=lambda e: -e[1]):
        print(f"  {n} × {name}: {error}")
    print(f"server peak RSS (all its processes together): {mib(watcher.peak_total)}")
    for pid, peak in sorted(watcher.peak_each.items()):
        print(f"  {labels.get(pid, f'process {pid}'):<28} peak {mib(peak)}")
    share = server_cpu / (end - start) / os.cpu_count()
    print(
        f"server CPU during the load: {server_cpu:.0f} s "
        f"({server_cpu * 1000 / max(len(records), 1):.0f} ms a request; PostgreSQL not counted), "
        f"{share:.0%} of the {os.cpu_count()} CPUs: the rest went to PostgreSQL, locust and "
        "whatever else runs here"
    )
    print(
        f"load average (1, 5, 15 min) on {os.cpu_count()} CPUs: before {loads[0]}; after {loads[1]}"
    )
    return 0 if records and not failed else 1


def label_of(pid: int, root: int) -> str:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return str(pid)
    if pid == root:
        return f"gunicorn master {pid}"
    if b"worker" in cmd:
        return f"background worker {pid}"
    return f"gunicorn worker {pid}"


def main() -> int:
    args = parse_args()
    url = os.environ.get("BENCH_SMOKE_DATABASE_URL" if args.smoke else "BENCH_DATABASE_URL")
    url = url or (SMOKE_URL if args.smoke else BENCH_URL)
    # Only looked for: importing locust here would patch this process for gevent.
    if importlib.util.find_spec("locust") is None:
        sys.exit('locust is missing: .venv/bin/pip install -e ".[bench]"')
    setup_django(url, args.smoke)
    from django.db import connection

    print(f"Database {connection.settings_dict['NAME']}", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="dangjian-load-"))
    plan = prepare(args.reporters, args.browsers)
    connection.close()  # the server and the users need the database, not this process
    port = free_port()
    server = watcher = None
    try:
        with open(workdir / "server.log", "w") as log:
            server = start_server(url, port, log, worker=not args.no_worker)
            watcher = Watcher(server.pid)
            watcher.start()
            time.sleep(2)  # the workers have forked and loaded the app
            labels = {pid: label_of(pid, server.pid) for pid in process_tree(server.pid)}
            loads = [loadavg()]
            cpu_start = watcher.cpu()
            code, start, steady = run_locust(plan, args, f"http://127.0.0.1:{port}", workdir)
            end = time.time()
            server_cpu = watcher.cpu() - cpu_start
            loads.append(loadavg())
            watcher.stop.set()
            watcher.join()
    finally:
        if server is not None:
            stop_server(server)
        if not args.keep:
            cleanup()
            connection.close()
    records = read_records(workdir)
    if not records:
        print((workdir / "locust.log").read_text()[-3000:])
        sys.exit(f"locust exited {code} without a request; logs in {workdir}")
    result = report(records, start, steady, end, watcher, server_cpu, labels, loads)
    print(f"logs (server access log, locust summary, every request): {workdir}")
    return result


if __name__ == "__main__":
    sys.exit(main())
