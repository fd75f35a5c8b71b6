"""A member's own history (members.timeline, filled by life and tasks): what the member and
their managers see, and what others never see."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.life import services
from dangjian.members import services as member_services

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def story(county):
    a, b, c = county.members["TA01"]
    meeting = services.record_meeting(
        county.village_a1,
        kind="theme_day",
        held_on=TODAY,
        topic="学习党章主题党日",
        attendance=[(a.pk, "present", ""), (b.pk, "leave", "外出务工"), (c.pk, "absent", "")],
    )
    services.record_reviews(
        county.village_a1,
        TODAY.year,
        {a.pk: ("excellent", "", ""), b.pk: ("qualified", "", ""), c.pk: ("qualified", "", "")},
        reviewed_on=TODAY,
    )
    services.record_talk(
        county.village_a1, held_on=TODAY, initiator=b, counterpart=a, topic="谈谈今年的打算"
    )
    member_services.move(a, county.village_a2, on=TODAY - datetime.timedelta(days=1), reason="迁居")
    return a, b, meeting


def rows(client, county, user, member):
    client.force_login(county.users[user])
    response = client.get(reverse("members:history", args=[member.pk]))
    return response.status_code, response.content.decode()


def test_member_sees_own_meetings_review_talk_and_move(client, county, story):
    a, _b, meeting = story
    client.force_login(county.users["member_a1"])
    response = client.get(reverse("members:mine"), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("members:history", args=[a.pk])
    assert "学习党章主题党日" in html and reverse("life:meeting", args=[meeting.pk]) in html
    assert "出席" in html
    assert "民主评议" in html and "优秀" in html
    assert "谈谈今年的打算" in html
    assert "甲一村党支部 → 甲二村党支部" in html and "迁居" in html
    # Newest first: today's meeting before yesterday's move.
    assert html.index("学习党章主题党日") < html.index("迁居")


def test_member_page_and_menu_link_the_history(client, county, story):
    a, _b, _m = story
    client.force_login(county.users["member_a1"])
    html = client.get(reverse("members:detail", args=[a.pk])).content.decode()
    assert reverse("members:history", args=[a.pk]) in html
    assert reverse("members:mine") in html


def test_managers_see_their_subtree_members_history(client, county, story):
    _a, b, _m = story
    status, html = rows(client, county, "town_a", b)
    assert status == 200
    assert "请假（外出务工）" in html and "谈谈今年的打算" in html


def test_others_never_see_it(client, county, story):
    a, b, _m = story
    assert rows(client, county, "member_a1", b)[0] == 404  # another member's
    assert rows(client, county, "town_b", a)[0] == 404  # another township's
    client.force_login(county.users["town_b"])
    assert client.get(reverse("members:mine")).status_code == 404  # no member record


def test_year_filter(client, county, story):
    a, _b, _m = story
    client.force_login(county.users["town_a"])
    url = reverse("members:history", args=[a.pk])
    assert "学习党章主题党日" in client.get(url, {"year": TODAY.year}).content.decode()
    assert "学习党章主题党日" in client.get(url, {"year": "1900"}).content.decode()  # ignored
