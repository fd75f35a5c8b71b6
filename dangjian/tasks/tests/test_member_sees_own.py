"""A shared board (晒账单) is shared among the receivers' managers: an ordinary member of a
receiving branch sees their own branch's report-back, not every other receiver's, on the
page and through the API."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts import tokens
from dangjian.tasks import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(county):
    today = timezone.localdate()
    return services.issue(
        county.root,
        title="县委共享交办单",
        content="内容",
        starts_on=today,
        deadline=today + datetime.timedelta(days=10),
        receivers={"mode": "filter", "levels": ["village"], "kinds": ["branch"]},
        fields=[],
        board_shared=True,
    )


def board_codes(county, username, assignment):
    _, raw = tokens.create(county.users[username])
    response = Client().get(
        f"/api/tasks/assignments/{assignment.pk}/report-backs",
        {"limit": 100},
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 200, response.content
    return sorted(r["organization"] for r in response.json()["items"])


def test_a_member_sees_their_own_branchs_report_back_only(county, shared):
    assert board_codes(county, "member_a1", shared) == ["TA01"]
    client = Client()
    client.force_login(county.users["member_a1"])
    html = client.get(reverse("tasks:board", args=[shared.pk])).content.decode()
    assert "乙一村党支部" not in html


def test_a_receiving_secretary_sees_the_whole_shared_board(county, shared):
    assert board_codes(county, "branch_a1", shared) == ["TA01", "TA02", "TB01"]
