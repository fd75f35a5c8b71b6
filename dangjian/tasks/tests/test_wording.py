"""Wording (issue 11, defect 7): limits as users write them, a named missing reason, “”
quotes in simplified Chinese, an assignment past its deadline reads 已截止, units not
repeated in headings, English plural names."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from dangjian.life.models import Meeting
from dangjian.members.models import Member
from dangjian.tasks import exports, rules, services
from dangjian.tasks.models import AssignmentField

DAY = datetime.timedelta(days=1)


def test_integer_limit_is_written_as_an_integer():
    field = {"label": "参加人数", "type": "integer", "min_value": "0.00", "max_value": "500.00"}
    assert rules.clean_value(field, "-1")[1] == "“参加人数”不能小于0"
    assert rules.clean_value(field, "501")[1] == "“参加人数”不能大于500"
    decimal_field = {"label": "金额", "type": "decimal", "min_value": "2.50"}
    assert rules.clean_value(decimal_field, "1")[1] == "“金额”不能小于2.5"


def test_no_corner_brackets_in_simplified_messages():
    assert "「" not in rules.clean_value({"label": "x", "type": "integer"}, "a")[1]


def test_unit_not_repeated_when_the_label_ends_with_it():
    duty = AssignmentField(label="党员值班人次", unit="人次")
    hours = AssignmentField(label="培训时长", unit="小时")
    assert duty.unit_shown == "" and exports._header(duty) == "党员值班人次"
    assert hours.unit_shown == "小时" and exports._header(hours) == "培训时长（小时）"


def test_english_names_of_many_are_plural():
    with override("en"):
        assert str(Member._meta.verbose_name_plural) == "Members"
        assert str(Meeting._meta.verbose_name_plural) == "Meetings"


def test_phase_of_an_assignment():
    d = datetime.date(2025, 12, 31)
    assert rules.assignment_phase("active", d, d) == "active"
    assert rules.assignment_phase("active", d, d + DAY) == "closed"
    assert rules.assignment_phase("withdrawn", d, d + DAY) == "withdrawn"


@pytest.mark.django_db
def test_last_years_assignment_reads_closed_on_its_page_and_in_its_export(client, county):
    today = timezone.localdate()
    old = services.issue(
        county.root,
        title="去年十二月交办单",
        content="报送",
        starts_on=today - 400 * DAY,
        deadline=today - 365 * DAY,
        receivers={"mode": "subtree"},
        fields=[],
        actor=county.users["county"],
    )
    client.force_login(county.users["county"])
    html = client.get(reverse("tasks:board", args=[old.pk])).content.decode()
    assert "已截止" in html and "执行中" not in html
    assert old.phase.label == "已截止"


@pytest.mark.django_db
def test_a_missing_return_reason_is_named(client, county):
    today = timezone.localdate()
    a = services.issue(
        county.root,
        title="交办单",
        content="报送",
        starts_on=today,
        deadline=today + 10 * DAY,
        receivers={"mode": "subtree"},
        fields=[],
        actor=county.users["county"],
    )
    rb = a.report_backs.get(organization=county.village_a1)
    services.report(rb, values={}, text="已完成")
    client.force_login(county.users["county"])
    response = client.post(reverse("tasks:report", args=[rb.pk]), {"action": "return"})
    assert response.context["return_form"].errors["reason"] == ["请填写退回原因"]
