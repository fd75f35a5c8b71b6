"""Background jobs: queued through django-tasks' database backend, run by the worker, with
progress, a result page for their user only, nothing half written when they fail."""

import datetime
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from django_tasks_db.models import DBTaskResult

from dangjian.core import jobs
from dangjian.core.models import AuditEvent, Job, Reminder, ScheduledRun
from dangjian.testing import run_jobs

pytestmark = pytest.mark.django_db


# Job functions used by the tests (named by dotted path, as the apps name theirs).


def count_to(progress, n, note=""):
    for i in range(1, n + 1):
        progress(i, n, f"{i}/{n}")
    AuditEvent.objects.create(action="count", target_type="test", target_id=str(n), summary=note)
    return {"summary": f"counted to {n}", "url": "/somewhere/"}


def write_then_fail(progress):
    AuditEvent.objects.create(action="half", target_type="test", target_id="1")
    progress(1, 2)
    raise jobs.JobFailed("坏了", result={"lines": ["第2行：不对"]})


def write_then_crash(progress):
    AuditEvent.objects.create(action="half", target_type="test", target_id="2")
    raise RuntimeError("boom")


def test_a_job_runs_through_the_database_queue(county):
    user = county.users["town_a"]
    job = jobs.start(
        "count", f"{__name__}.count_to", user, organization=county.town_a, n=3, note="x"
    )
    assert job.status == Job.QUEUED and job.organization_path == county.town_a.path
    row = DBTaskResult.objects.get(id=job.task_id)
    assert row.task_path == "dangjian.core.jobs.run"
    assert not AuditEvent.objects.filter(action="count").exists()  # nothing ran yet

    run_jobs()

    job.refresh_from_db()
    assert job.status == Job.DONE
    assert (job.done, job.total) == (3, 3)
    assert job.result == {"summary": "counted to 3", "url": "/somewhere/"}
    assert job.started_at and job.finished_at
    assert AuditEvent.objects.filter(action="count", summary="x").exists()
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"


def test_a_failing_job_writes_nothing_and_keeps_its_error(county):
    job = jobs.start("x", f"{__name__}.write_then_fail", county.users["town_a"])
    crash = jobs.start("x", f"{__name__}.write_then_crash", county.users["town_a"])
    run_jobs()
    job.refresh_from_db()
    crash.refresh_from_db()
    assert not AuditEvent.objects.filter(action="half").exists()
    assert (job.status, job.error, job.result) == (Job.FAILED, "坏了", {"lines": ["第2行：不对"]})
    assert crash.status == Job.FAILED
    assert "boom" not in crash.error and str(crash.pk) in crash.error


def test_the_error_is_in_the_language_of_the_user_who_started_it(county):
    with override("en"):
        job = jobs.start("x", f"{__name__}.write_then_crash", county.users["town_a"])
    run_jobs()
    job.refresh_from_db()
    assert job.error.startswith("The background job failed")


def test_progress_is_seen_while_the_job_runs(county):
    job = jobs.start("count", f"{__name__}.count_to", county.users["town_a"], n=2)
    Job.objects.filter(pk=job.pk).update(status=Job.RUNNING)
    job.refresh_from_db()
    jobs.Progress(job.pk)(5, 10, "写入")
    assert jobs.progress_of(job) == (5, 10, "写入")


def test_the_job_page_polls_until_done_then_shows_the_result(client, county):
    user = county.users["town_a"]
    job = jobs.start("count", f"{__name__}.count_to", user, title="数数", n=2)
    client.force_login(user)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "数数" in page and 'hx-trigger="every 1s"' in page
    assert reverse("jobs:progress", args=[job.pk]) in page
    assert "style=" not in page.split("<main", 1)[1]
    run_jobs()
    fragment = client.get(reverse("jobs:progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in fragment
    assert "counted to 2" in fragment and 'href="/somewhere/"' in fragment


def test_the_job_page_shows_the_error_and_its_lines(client, county):
    user = county.users["town_a"]
    job = jobs.start("x", f"{__name__}.write_then_fail", user)
    run_jobs()
    client.force_login(user)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "坏了" in page and "第2行：不对" in page


def test_only_the_jobs_user_or_a_superuser_sees_it(client, county):
    job = jobs.start("count", f"{__name__}.count_to", county.users["town_a"], n=1)
    for name in ("town_b", "county"):
        client.force_login(county.users[name])
        assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("jobs:progress", args=[job.pk])).status_code == 404
    client.force_login(county.users["town_a"])
    assert client.get(reverse("jobs:detail", args=[uuid.uuid4()])).status_code == 404
    admin = get_user_model().objects.create_superuser("root", password="x")
    client.force_login(admin)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 200
    client.logout()
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 302


def test_the_daily_reminders_run_once_a_day_from_the_worker(county, settings):
    settings.JOBS_DAILY = {"remind": ("dangjian.core.jobs.daily_reminders", "06:00")}
    tz = timezone.get_current_timezone()
    early = datetime.datetime(2026, 3, 25, 5, 59, tzinfo=tz)
    assert jobs.run_schedule(early) == []
    at_six = datetime.datetime(2026, 3, 25, 6, 0, tzinfo=tz)
    (job,) = jobs.run_schedule(at_six)
    assert jobs.run_schedule(at_six + datetime.timedelta(hours=3)) == []  # once a day
    assert ScheduledRun.objects.get(name="remind", day=datetime.date(2026, 3, 25)).job == job
    run_jobs()  # runs the queued job (the schedule itself is left out here)
    job.refresh_from_db()
    assert job.status == Job.DONE
    assert job.result["made"] == Reminder.objects.count()
    next_day = jobs.run_schedule(at_six + datetime.timedelta(days=1))
    assert len(next_day) == 1


def test_the_worker_starts_the_daily_work_by_itself(county, settings):
    settings.JOBS_DAILY = {"remind": ("dangjian.core.jobs.daily_reminders", "00:00")}
    run_jobs(schedule=True)
    run = ScheduledRun.objects.get(name="remind", day=timezone.localdate())
    assert run.job.status == Job.DONE
    run_jobs(schedule=True)
    assert ScheduledRun.objects.count() == 1


def test_a_job_records_the_worker_that_runs_it(county):
    job = jobs.start("count", f"{__name__}.count_to", county.users["town_a"], n=1)
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.DONE and len(job.worker) == 16


def test_the_job_of_a_worker_that_died_is_marked_interrupted_not_left_running(county):
    """A worker killed mid-job (kill -9, a restart) leaves its job 'running'; its transaction
    was rolled back by the database. The next worker marks it failed, in the user's language,
    and leaves alone the job of a worker that is still beating."""
    user = county.users["town_a"]
    dead = jobs.start("count", f"{__name__}.count_to", user, n=1)
    alive = jobs.start("count", f"{__name__}.count_to", user, n=1)
    Job.objects.filter(pk=dead.pk).update(status=Job.RUNNING, worker="killedworker0001")
    Job.objects.filter(pk=alive.pk).update(status=Job.RUNNING, worker="busyworker000001")
    jobs.beat("busyworker000001")

    run_jobs()  # the worker's first look marks what died

    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == Job.FAILED and "中断" in dead.error and dead.finished_at
    assert alive.status == Job.RUNNING
