"""Messages of the task services come out in the user's language.

Chinese stays the default; with English active the same bad input gives an English
message from the gettext catalogue, labels included."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import override

from dangjian.tasks import rules, services

D = datetime.date
FIELDS = [{"key": "attendees", "label": "参加人数", "type": "integer", "min_value": 0}]


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@pytest.fixture
def assignment(county):
    return services.issue(
        county.root,
        title="主题党日",
        content="召开一次主题党日并报送人数",
        starts_on=D(2026, 3, 1),
        deadline=D(2026, 3, 31),
        receivers={"mode": "orgs", "codes": ["TA01"]},
        fields=FIELDS,
        actor=county.users["county"],
    )


def issue(county, **changes):
    data = {
        "title": "主题党日",
        "content": "召开一次主题党日",
        "starts_on": D(2026, 3, 1),
        "deadline": D(2026, 3, 31),
        "receivers": {"mode": "subtree"},
        "actor": county.users["county"],
    } | changes
    return services.issue(county.root, **data)


def test_missing_title_in_chinese_and_english(county):
    with pytest.raises(ValidationError) as e:
        issue(county, title=" ")
    assert e.value.message_dict["title"] == ["请填写标题"]
    with override("en"), pytest.raises(ValidationError) as e:
        issue(county, title=" ")
    assert e.value.message_dict["title"] == ["Title is required"]


def test_deadline_before_start_in_english(county):
    with override("en"), pytest.raises(ValidationError) as e:
        issue(county, deadline=D(2026, 2, 1))
    assert e.value.message_dict["deadline"] == [
        "The deadline cannot be earlier than the start date"
    ]


def test_permission_message_in_english(county):
    with pytest.raises(PermissionDenied) as e:
        issue(county, actor=county.users["branch_a1"])
    assert str(e.value) == "您无权以该组织名义下发交办单"
    with override("en"), pytest.raises(PermissionDenied) as e:
        issue(county, actor=county.users["branch_a1"])
    assert "not allowed to issue assignments" in str(e.value)


def test_typed_value_message_in_english(county, assignment):
    rb = assignment.report_backs.get()
    with pytest.raises(ValidationError) as e:
        services.report(rb, values={"attendees": "二十"}, now=at(D(2026, 3, 20)))
    assert e.value.message_dict["attendees"] == ["“参加人数”应填写数字，“二十”不是数字"]
    with override("en"), pytest.raises(ValidationError) as e:
        services.report(rb, values={"attendees": "二十"}, now=at(D(2026, 3, 20)))
    # The field's own name is data: it stays as the issuer wrote it.
    assert e.value.message_dict["attendees"] == [
        "“参加人数” must be a number; “二十” is not a number"
    ]


def test_transition_message_in_english(county, assignment):
    rb = assignment.report_backs.get()
    with pytest.raises(ValidationError) as e:
        services.accept(rb)
    assert e.value.message_dict["status"] == ["当前状态为“未报送”，不能通过"]
    with override("en"), pytest.raises(ValidationError) as e:
        services.accept(rb)
    assert e.value.message_dict["status"] == [
        "The current status is “Not submitted”: it cannot be accepted"
    ]


def test_choice_rule_in_english():
    field = {"label": "Venue", "type": "choice", "choices": ["村部", "学校"], "required": True}
    assert rules.clean_value(field, "操场")[1] == "“Venue”应从以下选项中选择：村部、学校"
    with override("en"):
        assert rules.clean_value(field, "操场")[1].startswith("“Venue” must be one of: 村部")
