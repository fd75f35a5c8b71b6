"""The services' error messages come out in the user's language (Chinese by default)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import override

from dangjian.life import services

pytestmark = pytest.mark.django_db


D = datetime.date
TODAY = D(2026, 5, 10)


def record(org, **change):
    data = {"kind": "theme_day", "held_on": D(2026, 5, 1), "topic": "主题党日"} | change
    return services.record_meeting(org, today=TODAY, **data)


def test_meeting_date_in_the_future_in_english_and_chinese(county):
    with override("en"), pytest.raises(ValidationError) as e:
        record(county.village_a1, held_on=D(2026, 5, 11))
    assert "cannot be later than today" in e.value.message_dict["held_on"][0]
    with pytest.raises(ValidationError) as e:
        record(county.village_a1, held_on=D(2026, 5, 11))
    assert e.value.message_dict["held_on"] == ["召开日期不能晚于今天：会议开过以后再登记"]


def test_unknown_meeting_kind_names_the_allowed_kinds_in_english(county):
    with override("en"), pytest.raises(ValidationError) as e:
        record(county.village_a1, kind="party")
    message = e.value.message_dict["kind"][0]
    assert message.startswith("Meeting type “party” is not one of the allowed values (")
    assert "、" not in message and not any("\u4e00" <= c <= "\u9fff" for c in message)


def test_outsider_in_the_attendance_list_in_english(county):
    outsider = county.members["TB01"][0]
    with override("en"), pytest.raises(ValidationError) as e:
        record(county.village_a1, attendance=[(outsider.pk, "present", "")])
    message = e.value.message_dict["attendance"][0]
    assert f"ID {outsider.pk} is not a member of “{county.village_a1.name}”" in message
    assert outsider.name not in message


def test_permission_message_in_english(county):
    with override("en"), pytest.raises(PermissionDenied) as e:
        record(county.village_a1, actor=county.users["branch_b1"])
    assert str(e.value) == "You are not allowed to record meetings for this organization"
    with pytest.raises(PermissionDenied) as e:
        record(county.village_a1, actor=county.users["branch_b1"])
    assert str(e.value) == "您无权为该组织登记会议"


def test_talk_with_oneself_in_english(county):
    member = county.members["TA01"][0]
    with override("en"), pytest.raises(ValidationError) as e:
        services.record_talk(
            county.village_a1,
            held_on=D(2026, 5, 1),
            initiator=member,
            counterpart=member,
            topic="谈心",
            today=TODAY,
        )
    assert "cannot be the same" in e.value.message_dict["counterpart"][0]


def test_review_year_error_in_english(county):
    with override("en"), pytest.raises(ValidationError) as e:
        record(county.village_a1, kind="life_meeting", held_on=D(2026, 1, 20), review_year=2024)
    assert "year reviewed" in e.value.message_dict["review_year"][0]
