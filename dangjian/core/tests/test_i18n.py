"""English pages: the organizational-life and task pages reach English users in English.

Organization names and titles stay as entered (Chinese); the page's own words must not."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.tasks import services as tasks

pytestmark = pytest.mark.django_db


def in_english(client, user):
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en"})


def test_life_compliance_page_in_english(client, county):
    in_english(client, county.users["county"])
    html = client.get(reverse("life:overview") + "?org=T").content.decode()
    assert 'lang="en"' in html
    assert "<h1>Organizational life compliance of 中共测试县委</h1>" in html
    for text in (
        "Completion rate",
        "Due",
        "On time",
        "Recorded late",
        "Missed",
        "This organization and its sub-organizations",
        "By meeting type",
        "By sector",
        "This month",
        "Participation record",
    ):
        assert text in html, text
    for chinese in (
        "组织生活完成情况",
        "完成率",
        "应开",
        "补录",
        "本级和下级组织",
        "按会议类型",
        "按领域",
        "本月",
        "组织生活纪实",
    ):
        assert chinese not in html, chinese


def test_assignment_list_in_english(client, county):
    today = timezone.localdate()
    tasks.issue(
        county.root,
        title="乡村振兴主题党日",
        content="每个村党支部召开一次主题党日",
        starts_on=today,
        deadline=today + datetime.timedelta(days=10),
        receivers={"mode": "subtree"},
        fields=[],
        actor=county.users["county"],
    )
    in_english(client, county.users["county"])
    html = client.get(reverse("tasks:assignments")).content.decode()
    assert 'lang="en"' in html
    assert "<h1>Assignments</h1>" in html
    for text in (
        "Issued by this level and below",
        "From higher levels",
        "Issue assignment",
        "Reporting progress",
        "乡村振兴主题党日",  # the title itself is data, shown as entered
    ):
        assert text in html, text
    for chinese in ("交办单", "本级及下级下发", "上级交办", "下发交办单", "报送进度", "截止日期"):
        assert chinese not in html, chinese
