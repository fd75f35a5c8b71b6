"""The four small .xlsx files of issue 10 that used to take gigabytes or minutes, imported as
members on a temporary SQLite database; prints, for each, the file size, the time, the peak
memory (RSS) of the importing process and the first message. Not part of the tests.

    .venv/bin/python bench/xlsx_bombs.py [--scale 1.0]

Each import runs in its own process, so its peak RSS is its own (the baseline, Django loaded
and the database migrated, is printed too). --scale shrinks the bombs (0.1 = a tenth).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MB = 200


def setup(db):
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    import django

    django.setup()


def bombs(scale):
    from dangjian.reports.tests import bombs as b

    return [
        ("1 GB of whitespace", b.whitespace, int(1_000_000_000 * scale)),
        ("3 million shared strings", b.shared_strings, int(3_000_000 * scale)),
        ("5 million empty rows", b.empty_rows, int(5_000_000 * scale)),
        ("150,000 invalid rows", b.invalid_rows, int(150_000 * scale)),
    ]


def one(db, path):
    """In the child: import `path` as members into the root; print a JSON line."""
    setup(db)
    from dangjian.orgs.models import Organization
    from dangjian.reports import io

    root = Organization.objects.get(depth=1)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    with open(path, "rb") as f:
        result = io.import_file(f, "members", organization=root)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    messages = result.messages()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "base_mb": base,
                "peak_mb": peak,
                "errors": len(result.errors),
                "first": messages[0] if messages else "",
                "last": messages[-1] if messages else "",
            },
            ensure_ascii=False,
        )
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--one", nargs=2, metavar=("DB", "FILE"), help=argparse.SUPPRESS)
    args, _unknown = parser.parse_known_args()  # bench/run.py passes on the arguments of all
    if args.one:
        return one(*args.one)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        setup(db)
        from django.core.management import call_command

        from dangjian.orgs import services as org_services

        call_command("migrate", verbosity=0)
        org_services.create_root(code="T", name="中共测试县委", kind="committee", level="county")
        failed = 0
        for name, build, n in bombs(args.scale):
            path = Path(tmp) / "bomb.xlsx"
            start = time.perf_counter()
            build(path, n)
            built = time.perf_counter() - start
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(db), str(path)],
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode:
                print(f"{name}: failed\n{out.stderr[-2000:]}")
                failed = 1
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            over = " OVER TARGET" if r["peak_mb"] > TARGET_MB else ""
            print(
                f"{name}: {path.stat().st_size / 1e6:.2f} MB file (built in {built:.0f} s); "
                f"import {r['seconds']:.2f} s, peak RSS {r['peak_mb']:.0f} MB "
                f"(baseline {r['base_mb']:.0f} MB){over}; {r['errors']} error(s): {r['first']}"
                + (f" … {r['last']}" if r["errors"] > 1 else "")
            )
            failed |= bool(over)
            path.unlink()
    return failed


if __name__ == "__main__":
    sys.exit(main())
