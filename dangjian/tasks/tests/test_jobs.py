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


def test_the_issue_page_goes_to_the_job_above_the_threshold(client, county, monkeypatch):
    from dangjian.tasks.tests.test_views import issue_data, login
    from dangjian.tasks.views import assignments as views

    monkeypatch.setattr(views, "BACKGROUND_ISSUE_AT", 2)  # the test county has 3 branches
    login(client, county, "county")
    today = D(2026, 3, 2)
    response = client.post(reverse("tasks:issue"), issue_data(today))
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    assert not Assignment.objects.exists()
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.DONE, job.error
    assert Assignment.objects.get().report_backs.count() == 3
    # At or under the threshold the page issues at once, as before.
    monkeypatch.setattr(views, "BACKGROUND_ISSUE_AT", 3)
    response = client.post(reverse("tasks:issue"), issue_data(today, title="第二份"))
    second = Assignment.objects.get(title="第二份")
    assert response.url == reverse("tasks:board", args=[second.pk])
    assert Job.objects.count() == 1
