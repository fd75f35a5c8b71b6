"""Benchmark of a village's public board on province-scale data in PostgreSQL (not a test).

    .venv/bin/python bench/governance.py [--villages 20] [--runs 15]

Database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/dangjian_bench,
with province-scale data (100,000 organizations, 2,000,000 members; generated with
`dangjian demo --orgs 100000 --members 2000000` when empty). The first run gives every
village and community a week's roster (two cadres a weekday) and three disclosed matters
with their six steps, and keeps them (they are what a province would hold).

Measures, against issue 13's target (< 100 ms, cacheable):
1. GET /v/CODE/ of sampled villages through the whole stack (middleware, template):
   median and slowest over the sample, and the queries one page makes;
2. the revalidation of a cached page (If-None-Match → 304), which must not build it;
3. the matters list of the county admin at the root, first page.
"""

import argparse
import datetime
import os
import random
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
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from dangjian.governance import rules  # noqa: E402
from dangjian.governance.models import Matter, MatterStep, OfficeHours  # noqa: E402
from dangjian.governance.services import PLACE_LEVELS  # noqa: E402
from dangjian.orgs.models import Organization  # noqa: E402

ORGS, MEMBERS = 100_000, 2_000_000
TARGET_MS = 100
T = datetime.time


def ensure_data():
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("Applying migrations…")
        call_command("migrate", interactive=False, verbosity=0)
    if not Organization.objects.exists():
        print(f"No data: generating {ORGS} organizations and {MEMBERS} members…")
        call_command("demo", orgs=str(ORGS), members=str(MEMBERS))


def places():
    return Organization.objects.filter(level__in=PLACE_LEVELS, dissolved_on__isnull=True).exclude(
        kind__in=("group", "temporary")
    )


@transaction.atomic
def ensure_governance():
    if OfficeHours.objects.exists():
        return
    ids = list(places().values_list("id", flat=True))
    print(f"Adding a roster and three disclosed matters to each of {len(ids)} villages…")
    started = time.perf_counter()
    hours, matters = [], []
    today = timezone.localdate()
    for org_id in ids:
        for weekday in range(5):
            for start, end, name in ((T(8, 30), T(12), "王村委"), (T(14), T(17, 30), "李村委")):
                hours.append(
                    OfficeHours(
                        organization_id=org_id,
                        weekday=weekday,
                        person_name=name,
                        post="村“两委”委员",
                        work_phone="0370-6100000",
                        starts_at=start,
                        ends_at=end,
                    )
                )
        for k in range(3):
            matters.append(
                Matter(
                    organization_id=org_id,
                    title=f"村集体事项{k + 1}",
                    category="project",
                    content="事项内容",
                    step=rules.RESULT,
                    status="done",
                    proposed_on=today - datetime.timedelta(days=90 + 30 * k),
                )
            )
    OfficeHours.objects.bulk_create(hours, batch_size=5000)
    Matter.objects.bulk_create(matters, batch_size=5000)
    steps = []
    for m in Matter.objects.filter(organization_id__in=ids).only("id", "proposed_on").iterator():
        for step in rules.STEPS:
            vote = step in rules.MEETINGS
            steps.append(
                MatterStep(
                    matter_id=m.pk,
                    step=step,
                    held_on=m.proposed_on + datetime.timedelta(days=step * 3),
                    body=rules.REPRESENTATIVES if step == rules.VILLAGERS_ASSEMBLY else "",
                    due=40 if vote else None,
                    present=36 if vote else None,
                    yes=30 if vote else None,
                    passed=True if vote else None,
                    text="内容",
                )
            )
            if len(steps) >= 20000:
                MatterStep.objects.bulk_create(steps)
                steps = []
    MatterStep.objects.bulk_create(steps)
    with connection.cursor() as cursor:
        for table in ("governance_officehours", "governance_matter", "governance_matterstep"):
            cursor.execute(f"ANALYZE {table}")
    print(f"  done in {time.perf_counter() - started:.0f} s")


def timed(fn, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def verdict(ms):
    return "OK" if ms < TARGET_MS else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--villages", type=int, default=20)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    ensure_data()
    ensure_governance()
    codes = list(places().values_list("code", flat=True))
    sample = random.Random(13).sample(codes, min(args.villages, len(codes)))
    client = Client()
    print(f"load average {os.getloadavg()[0]:.1f}; {len(codes)} villages and communities")

    medians, slowest, queries = [], [], 0
    for code in sample:
        url = f"/v/{code}/"
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        median, worst = timed(lambda url=url: client.get(url), args.runs)
        medians.append(median)
        slowest.append(worst)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/v/{sample[0]}/")
    queries = len(captured)
    etag = response["ETag"]
    print(
        f"public board: median {statistics.median(medians):.1f} ms over {len(sample)} villages"
        f" (slowest village median {max(medians):.1f} ms, slowest request {max(slowest):.1f} ms),"
        f" {queries} queries, {len(response.content) // 1024} KB,"
        f" Cache-Control: {response['Cache-Control']}"
        f" — target < {TARGET_MS} ms: {verdict(statistics.median(medians))}"
    )
    url = f"/v/{sample[0]}/"
    status = client.get(url, HTTP_IF_NONE_MATCH=etag).status_code
    median, worst = timed(lambda: client.get(url, HTTP_IF_NONE_MATCH=etag), args.runs)
    print(f"revalidation (If-None-Match): {status}, median {median:.1f} ms, slowest {worst:.1f} ms")

    admin = get_user_model().objects.filter(is_superuser=True).first()
    if admin is not None:
        client.force_login(admin)
        client.get("/governance/")
        median, worst = timed(lambda: client.get("/governance/"), 5)
        print(f"matters list at the root (superuser), first page: median {median:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
