"""Benchmark of assessment on province-scale data in PostgreSQL (not a test).

    .venv/bin/python bench/assessment.py [--orgs 100000 --members 2000000] [--runs 7] [--keep]

Database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/dangjian_bench.
Province-scale data (100,000 organizations, 2,000,000 members) is generated with
`dangjian demo --orgs N --members M` only when the database has none.

Measures, each against the issue's target:
1. computing a period's scores for every organization of the province from the records
   (services.compute, as the background job runs it: the four sources, hand scores, grades,
   places from the bottom, the rows written)                                  — < 60 s;
2. the bottom-ranking page (GET /assessment/<id>/ as the province administrator, rendered)
   of a county (?org=<county>) and of the province root; median of `--runs`   — < 200 ms
   and < 500 ms;
3. the notice's PDF (publish: the notice with the grades and the last places; then
   notices.pdf.render)                                                        — < 3 s.
Each figure with a target is printed with OK or MISSED, and the load average with it: other
work on the 2 cores slows every figure. A quarter's report-backs are made first (one
assignment to every village branch, most reported on time, some late, some not) so that a
source has rows to read besides the meetings the generator made.
What the bench writes (the scheme, the assessment and its scores, the assignment, the notice)
is deleted at the end unless --keep is given.
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
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from dangjian.accounts.models import Role, RoleName  # noqa: E402
from dangjian.assessment import services  # noqa: E402
from dangjian.assessment.models import Assessment, HandScore, Scheme  # noqa: E402
from dangjian.core.models import AuditEvent  # noqa: E402
from dangjian.core.periods import Period  # noqa: E402
from dangjian.notices import pdf  # noqa: E402
from dangjian.notices.models import Notice  # noqa: E402
from dangjian.orgs.models import Kind, Level, Organization  # noqa: E402
from dangjian.tasks import services as tasks  # noqa: E402
from dangjian.tasks.models import Assignment, ReportBack  # noqa: E402

COMPUTE_TARGET_S = 60
COUNTY_PAGE_TARGET_MS = 200
ROOT_PAGE_TARGET_MS = 500
PDF_TARGET_S = 3
BENCH_USER = "bench_assessment"
INDICATORS = [
    {
        "code": "meetings",
        "name": "三会一课按期召开",
        "method": "computed",
        "source": "life.meeting_compliance",
        "weight": "35",
        "zero_at": "0.5",
    },
    {
        "code": "report_backs",
        "name": "晒账单按时报送",
        "method": "computed",
        "source": "tasks.report_backs_on_time",
        "weight": "20",
        "zero_at": "0.5",
    },
    {
        "code": "pledges",
        "name": "目标责任书完成",
        "method": "computed",
        "source": "tasks.pledge_targets_met",
        "weight": "10",
    },
    {
        "code": "elections",
        "name": "按期换届",
        "method": "computed",
        "source": "health.elections_on_time",
        "weight": "10",
    },
    {"code": "inspection", "name": "督查评分", "method": "hand", "weight": "25"},
]


def ensure_data(orgs, members):
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("Applying migrations…", flush=True)
        call_command("migrate", interactive=False, verbosity=0)
    count = Organization.objects.count()
    if count == 0:
        print(f"No data: generating {orgs} organizations and {members} members…", flush=True)
        call_command("demo", orgs=str(orgs), members=str(members))
        count = Organization.objects.count()
    print(f"Database {connection.settings_dict['NAME']}: {count} organizations", flush=True)


def bench_user():
    root = Organization.objects.get_first_root_node()
    user, created = get_user_model().objects.get_or_create(username=BENCH_USER)
    if created:
        user.set_unusable_password()
        user.save()
    Role.objects.get_or_create(user=user, organization=root, name=RoleName.COUNTY_ADMIN)
    return get_user_model().objects.get(pk=user.pk), root


def verdict(value, target) -> str:
    return "OK" if value < target else "MISSED"


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def report_backs(root, user, quarter: Period):
    """An assignment of the quarter to every village branch; 80% report on time, 10% late."""
    start = time.perf_counter()
    assignment = tasks.issue(
        root,
        title="季度工作晒账（考核基准测试）",
        content="报送本季度组织生活开展情况",
        starts_on=quarter.start,
        deadline=quarter.start + datetime.timedelta(days=30),
        receivers={"mode": "filter", "levels": [Level.VILLAGE], "kinds": [Kind.BRANCH]},
        actor=user,
    )
    rng = random.Random(12)
    on_time = timezone.make_aware(datetime.datetime.combine(quarter.start, datetime.time(10)))
    late = on_time + datetime.timedelta(days=45)
    ids = list(assignment.report_backs.values_list("id", flat=True))
    early = [i for i in ids if rng.random() < 0.8]
    tardy = [i for i in ids if i not in set(early) and rng.random() < 0.5]
    for chosen, when in ((early, on_time), (tardy, late)):
        ReportBack.objects.filter(id__in=chosen).update(
            status="accepted", first_reported_at=when, reported_at=when
        )
    print(
        f"  report-backs: {len(ids)} issued, {len(early)} on time, {len(tardy)} late "
        f"({time.perf_counter() - start:.1f} s)",
        flush=True,
    )
    return assignment


def hand_scores(assessment):
    rng = random.Random(7)
    orgs = Organization.objects.filter(services.assessed(assessment)).values_list("id", flat=True)
    rows = [
        HandScore(
            assessment=assessment,
            organization_id=o,
            indicator_code="inspection",
            score=round(rng.uniform(10, 25), 1),
            reason="督查组评分",
        )
        for o in orgs
        if rng.random() < 0.95
    ]
    HandScore.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def page_ms(client, url, runs) -> tuple[float, int]:
    client.get(url)  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(response.content)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    ensure_data(args.orgs, args.members)
    user, root = bench_user()
    today = timezone.localdate()
    quarter = Period.quarter_of(Period.quarter_of(today).start - datetime.timedelta(days=1))
    print(f"Assessment of {quarter} over {root.name}; {load()}", flush=True)
    made = []
    failed = False
    try:
        assignment = report_backs(root, user, quarter)
        made.append(assignment)
        scheme = services.create_scheme(
            user, root, name="基准测试季度考核方案", period_kind="quarter", indicators=INDICATORS
        )
        Assessment.objects.filter(scheme__name="基准测试季度考核方案").delete()
        assessment = services.open_assessment(user, scheme, str(quarter))
        print(f"  hand scores: {hand_scores(assessment)}", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE assessment_handscore; ANALYZE tasks_reportback")
        steps = []
        start = time.perf_counter()
        n = services.compute(
            assessment,
            today=today,
            progress=lambda done, total=None, message="": steps.append(
                (time.perf_counter() - start, message)
            ),
        )
        seconds = time.perf_counter() - start
        for at, message in steps:
            print(f"    {at:6.1f} s  {message}")
        failed |= seconds >= COMPUTE_TARGET_S
        print(
            f"1. compute {n} organizations: {seconds:.1f} s "
            f"(target < {COMPUTE_TARGET_S} s) {verdict(seconds, COMPUTE_TARGET_S)}; {load()}",
            flush=True,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE assessment_score")
        setup_test_environment()
        client = Client()
        client.force_login(user)
        county = Organization.objects.filter(level=Level.COUNTY).order_by("path").first()
        url = f"/assessment/{assessment.pk}/"
        ms, size = page_ms(client, f"{url}?org={county.code}", args.runs)
        failed |= ms >= COUNTY_PAGE_TARGET_MS
        print(
            f"2a. ranking page of a county ({county.name}, "
            f"{Organization.objects.filter(path__startswith=county.path).count()} orgs): "
            f"{ms:.0f} ms, {size // 1024} KB (target < {COUNTY_PAGE_TARGET_MS} ms) "
            f"{verdict(ms, COUNTY_PAGE_TARGET_MS)}",
            flush=True,
        )
        ms, size = page_ms(client, f"{url}?org={county.code}&level=village", args.runs)
        print(f"    … filtered to its villages: {ms:.0f} ms")
        ms, size = page_ms(client, url, args.runs)
        failed |= ms >= ROOT_PAGE_TARGET_MS
        print(
            f"2b. ranking page of the province root: {ms:.0f} ms, {size // 1024} KB "
            f"(target < {ROOT_PAGE_TARGET_MS} ms) {verdict(ms, ROOT_PAGE_TARGET_MS)}",
            flush=True,
        )
        ms, _size = page_ms(client, f"{url}?level=village&sector=rural&page=20", args.runs)
        print(f"    … villages, rural, page 20: {ms:.0f} ms")
        start = time.perf_counter()
        notice = services.publish(user, assessment, today=today)
        published = time.perf_counter() - start
        made.append(notice)
        rows = sum(len(s.get("table", {}).get("rows", [])) for s in notice.sections)
        pdf.render(notice)  # fonts loaded
        times = []
        for _ in range(3):
            start = time.perf_counter()
            data = pdf.render(notice)
            times.append(time.perf_counter() - start)
        seconds = statistics.median(times)
        failed |= seconds >= PDF_TARGET_S
        print(
            f"3. notice {notice.number} ({rows} table rows; published in {published:.1f} s): "
            f"PDF {seconds:.2f} s, {len(data) // 1024} KB (target < {PDF_TARGET_S} s) "
            f"{verdict(seconds, PDF_TARGET_S)}; {load()}",
            flush=True,
        )
    finally:
        if not args.keep:
            cleanup(made)
    return 1 if failed else 0


def cleanup(made):
    for obj in made:
        if isinstance(obj, Notice):
            Assessment.objects.filter(notice_id=obj.pk).delete()
            AuditEvent.objects.filter(target_type="notices.notice", target_id=str(obj.pk)).delete()
            obj.delete()
        elif isinstance(obj, Assignment):
            AuditEvent.objects.filter(
                target_type="tasks.assignment", target_id=str(obj.pk)
            ).delete()
            obj.report_backs.all().delete()
            obj.delete()
    Assessment.objects.filter(scheme__name="基准测试季度考核方案").delete()
    Scheme.objects.filter(name="基准测试季度考核方案").delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE assessment_score")


if __name__ == "__main__":
    sys.exit(main())
