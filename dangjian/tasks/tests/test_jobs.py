"""Issuing to many receivers in the background: queued, run by the worker, result page."""

import datetime

import pytest
from django.urls import reverse

from dangjian.core.models import Job
from dangjian.tasks import jobs
from dangjian.tasks.models import Assignment, ReportBack
from dangjian.testing import run_jobs

pytestmark = pytest.mark.django_db

D = datetime.date


def test_issue_in_background_issues_when_the_worker_runs(client, county):
    user = county.users["county"]
    receivers = {"mode": "filter", "levels": ["village"]}
    assert jobs.receiver_count(county.root, receivers) == 3
    job = jobs.issue_in_background(
        user,
        issuer=county.root,
        title="春耕",
        content="做好春耕",
        starts_on=D(2026, 3, 1),
        deadline=D(2026, 3, 31),
        receivers=receivers,
        fields=[{"label": "人数", "type": "integer", "min_value": None, "max_value": None}],
    )
    assert job.status == Job.QUEUED and not Assignment.objects.exists()
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.DONE, job.error
    assignment = Assignment.objects.get()
    assert (assignment.title, assignment.deadline) == ("春耕", D(2026, 3, 31))
    assert assignment.created_by == user
    assert ReportBack.objects.filter(assignment=assignment).count() == 3
    assert job.result["receivers"] == 3
    client.force_login(user)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "交办单已下发给3个组织" in page
    assert reverse("tasks:board", kwargs={"pk": assignment.pk}) in page


def test_a_refused_issue_writes_nothing_and_says_why(client, county):
    user = county.users["town_a"]
    job = jobs.issue_in_background(
        user,
        issuer=county.town_a,
        title="t",
        content="c",
        starts_on=D(2026, 3, 1),
        deadline=D(2026, 2, 1),
        receivers={"mode": "subtree"},
    )
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.FAILED
    assert job.error == "截止日期不能早于开始日期"
    assert not Assignment.objects.exists() and not ReportBack.objects.exists()


def test_a_user_who_may_not_issue_is_refused_in_the_request(county):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        jobs.issue_in_background(
            county.users["town_a"],
            issuer=county.town_b,
            title="t",
            content="c",
            starts_on=D(2026, 3, 1),
            deadline=D(2026, 3, 31),
            receivers={"mode": "subtree"},
        )
    assert not Job.objects.exists()
