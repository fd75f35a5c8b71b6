"""Figures a report-back takes from the records say when they were taken, and the reviewer
can take them again before accepting (issue 11, section 2.4: a theme day entered after the
report was sent showed 0)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.core.models import AuditEvent
from dangjian.life import services as life
from dangjian.tasks import services
from dangjian.tasks.models import ReportStatus

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
FIELDS = [
    {"key": "attendees", "label": "参加人数", "type": "integer", "min_value": 0},
    {"key": "held", "label": "主题党日次数", "type": "integer", "binding": "life.theme_day"},
]


@pytest.fixture
def reported(county):
    today = timezone.localdate()
    a = services.issue(
        county.root,
        title="主题党日",
        content="召开一次主题党日",
        starts_on=today,
        deadline=today + 10 * DAY,
        receivers={"mode": "filter", "levels": ["village"], "kinds": ["branch"]},
        fields=FIELDS,
        actor=county.users["county"],
    )
    rb = a.report_backs.get(organization__code="TA01")
    services.report(rb, values={"attendees": "20"}, actor=county.users["branch_a1"])
    rb.refresh_from_db()
    assert rb.values["held"] == 0
    # The meeting is entered after the report was sent.
    life.record_meeting(county.village_a1, kind="theme_day", held_on=today, topic="学习")
    return rb


def test_the_page_says_as_of_when_and_the_reviewer_refreshes(client, county, reported):
    client.force_login(county.users["county"])
    url = reverse("tasks:report", args=[reported.pk])
    html = client.get(url).content.decode()
    stamp = timezone.localtime(reported.reported_at).strftime("%Y-%m-%d %H:%M")
    assert f"取自系统记录的数字截至 {stamp}" in html
    assert 'data-action="refresh-bound"' in html
    client.post(url, {"action": "refresh_bound"})
    reported.refresh_from_db()
    assert reported.values == {"attendees": 20, "held": 1}
    assert reported.status == ReportStatus.REPORTED
    event = AuditEvent.objects.get(action="refresh_bound", target_id=str(reported.pk))
    assert event.changes == {"held": [0, 1]}
    assert services.bound_as_of(reported) == event.at


def test_only_the_reviewer_refreshes_and_only_before_acceptance(county, reported):
    with pytest.raises(PermissionDenied):
        services.refresh_bound(reported, actor=county.users["branch_a1"])
    services.accept(reported, actor=county.users["county"])
    with pytest.raises(ValidationError):
        services.refresh_bound(reported, actor=county.users["county"])
    reported.refresh_from_db()
    assert reported.values["held"] == 0
