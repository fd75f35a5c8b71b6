"""Benchmarks of the foundation (issue 2, "Speed"). Prints figures; not part of the tests.

    .venv/bin/python bench/foundation.py [--orgs 100000 --members 2000000] [--regenerate]

Against PostgreSQL (database dangjian_bench, created if missing):
1. generates province-scale data once (timed; kept for later runs unless --regenerate);
2. with Django's test Client logged in as a superuser, the median time of: the root
   organization page, a county's organization page, and a member search by name prefix
   (members:list?q=张) scoped to the root and to a county; and of the functions underneath
   (rollups.services.figures, the search query), so a slow page can be told from a slow query;
3. import of the 19,000-member demo county from .xlsx (dangjian/reports/io.py), in a second
   database (dangjian_bench_io), by running this script again with --import-only.
A figure over its target is followed by the slowest SQL of that request with EXPLAIN ANALYZE.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER = "postgres://postgres@127.0.0.1:5432"
BENCH_DB = "dangjian_bench"
IO_DB = "dangjian_bench_io"

# Targets of issue 2, in milliseconds (generation and import in seconds).
TARGETS = {
    "root page": 300,
    "county page": 100,
    "search root": 100,
    "search county": 100,
}
GENERATION_TARGET_S = 600
IMPORT_TARGET_S = 60


def ensure_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def setup_django(database: str) -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def timed(fn, repeat: int) -> tuple[float, float, float]:
    """(median, min, max) in milliseconds over `repeat` runs after one warm-up run."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times)


def generate(orgs: int, members: int, seed: int, regenerate: bool) -> None:
    from dangjian.demo import generator, loader

    event = loader.loaded_event()
    same = (
        event is not None
        and event.changes.get("organizations") == orgs
        and event.changes.get("members") == members
        and event.changes.get("seed") == seed
    )
    if same and not regenerate:
        took = event.changes.get("seconds")
        print(
            f"data: {orgs} organizations, {members} members already generated"
            + (f" (took {took:.0f} s then)" if took else "")
            + "; --regenerate to redo"
        )
        return
    print(f"generating {orgs} organizations, {members} members (seed {seed}) …", flush=True)
    start = time.monotonic()
    loader.wipe()
    dataset = generator.province(orgs, members, seed)
    result = loader.load(
        dataset, progress=lambda m: print(f"  {time.monotonic() - start:6.0f} s {m}", flush=True)
    )
    seconds = time.monotonic() - start
    print(
        f"generation: {seconds:.0f} s (target < {GENERATION_TARGET_S} s) "
        f"{'OK' if seconds < GENERATION_TARGET_S else 'MISSED'}; "
        f"{result.organizations} organizations, {result.members} members, "
        f"{result.officers} officers"
    )


def explain_slowest(fn, top: int = 2) -> None:
    """Run fn once capturing its SQL; EXPLAIN ANALYZE the slowest statements."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:top]
    for q in queries:
        print(f"    slowest SQL ({float(q['time']) * 1000:.0f} ms): {q['sql'][:300]}")
        if q["sql"].lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                for (line,) in cursor.fetchall():
                    print(f"      {line}")


def measure(repeat: int) -> dict[str, float]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from dangjian.members.filters import filter_members
    from dangjian.members.models import Member
    from dangjian.orgs.models import Level, Organization
    from dangjian.rollups import services as rollups

    User = get_user_model()
    admin = User.objects.filter(is_superuser=True).order_by("id").first()
    if admin is None:
        admin = User.objects.create_superuser("bench", password="bench-only")
    client = Client()
    client.force_login(admin)
    root = Organization.objects.get(depth=1)
    county = Organization.objects.filter(level=Level.COUNTY).order_by("path").first() or root
    print(
        f"root: {root.code} {root.name} ({rollups.figures(root).get('members', 0)} members); "
        f"county: {county.code} {county.name} "
        f"({rollups.figures(county).get('members', 0)} members)"
    )

    def page(url):
        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return get

    def search_query(code):
        def run():
            qs = filter_members(Member.objects.all(), {"q": "张", "org": code})
            return list(qs.select_related("organization").order_by("name", "id")[:51])

        return run

    checks = []
    try:
        checks += [
            ("root page", page(reverse("orgs:detail", args=[root.code]))),
            ("county page", page(reverse("orgs:detail", args=[county.code]))),
        ]
    except NoReverseMatch:
        print("orgs:detail does not exist yet: measuring rollups.services.figures only")
    try:
        url = reverse("members:list")
        checks += [
            ("search root", page(f"{url}?{urlencode({'q': '张', 'org': root.code})}")),
            ("search county", page(f"{url}?{urlencode({'q': '张', 'org': county.code})}")),
        ]
    except NoReverseMatch:
        print("members:list does not exist yet: measuring the search query only")
    checks += [
        ("figures(root)", lambda: rollups.figures(root)),
        ("figures(county)", lambda: rollups.figures(county)),
        ("search query root", search_query(root.code)),
        ("search query county", search_query(county.code)),
    ]
    figures = {}
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\nload average before measuring: {load} on {os.cpu_count()} CPUs "
        "(other work on the machine slows every figure)"
    )
    print(f"{'measurement':<22}{'median':>10}{'min':>10}{'max':>10}  target")
    for name, fn in checks:
        median, low, high = timed(fn, repeat)
        figures[name] = median
        target = TARGETS.get(name)
        verdict = ""
        if target:
            verdict = f"< {target} ms {'OK' if median < target else 'MISSED'}"
        print(f"{name:<22}{median:>8.1f}ms{low:>8.1f}ms{high:>8.1f}ms  {verdict}")
        if target and median >= target:
            explain_slowest(fn)
    return figures


def import_demo() -> None:
    """In the IO database: load the demo county, export it to .xlsx, empty the database and
    time the import of both files."""
    from django.contrib.auth import get_user_model

    from dangjian.demo import generator, loader
    from dangjian.members.models import Member
    from dangjian.orgs.models import Organization
    from dangjian.reports import io

    loader.wipe()
    loader.load(generator.ningling())
    admin = get_user_model().objects.get(username="admin")
    root = Organization.objects.get(depth=1)
    folder = Path(tempfile.mkdtemp(prefix="dangjian-bench-"))
    files = {}
    for kind, make in (
        ("organizations", lambda: io.export_organizations(admin, root, root.subtree())),
        ("members", lambda: io.export_members(admin, Member.objects.all())),
    ):
        start = time.monotonic()
        data = make()
        files[kind] = folder / f"{kind}.xlsx"
        files[kind].write_bytes(data.read())
        print(
            f"export {kind}: {time.monotonic() - start:.1f} s "
            f"({files[kind].stat().st_size // 1024} KiB)"
        )
    loader.wipe()
    total = 0.0
    for kind in ("organizations", "members"):
        start = time.monotonic()
        with files[kind].open("rb") as f:
            result = io.import_file(f, kind)
        seconds = time.monotonic() - start
        total += seconds
        if not result.ok:
            print(
                f"import {kind}: FAILED with {len(result.errors)} errors, e.g.",
                "; ".join(result.messages()[:3]),
            )
            return
        print(f"import {kind}: {result.created} rows in {seconds:.1f} s")
    print(
        f"import of the demo county (.xlsx): {total:.1f} s (target < {IMPORT_TARGET_S} s) "
        f"{'OK' if total < IMPORT_TARGET_S else 'MISSED'}; "
        f"{Organization.objects.count()} organizations, {Member.objects.count()} members"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--regenerate", action="store_true", help="generate the data again")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--import-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.import_only:
        ensure_database(IO_DB)
        setup_django(IO_DB)
        import_demo()
        return
    ensure_database(BENCH_DB)
    setup_django(BENCH_DB)
    generate(args.orgs, args.members, args.seed, args.regenerate)
    measure(args.repeat)
    if not args.skip_import:
        print()
        subprocess.run([sys.executable, __file__, "--import-only"], check=False)


if __name__ == "__main__":
    main()
