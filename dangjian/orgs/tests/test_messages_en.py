"""Messages of the organization services come out in the user's language.

The Chinese text stays the default; with English active the same bad input gives an
English message (from the gettext catalogue)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import override

from dangjian.health import rules
from dangjian.health import services as health
from dangjian.orgs import services


def test_kind_rule_message_in_chinese_and_english(county):
    with pytest.raises(ValidationError) as e:
        services.create_child(county.group_a1, code="X1", name="某支部", kind="branch")
    assert e.value.message_dict["kind"] == ["党小组下不能再设组织"]
    with override("en"), pytest.raises(ValidationError) as e:
        services.create_child(county.group_a1, code="X1", name="某支部", kind="branch")
    message = e.value.message_dict["kind"][0]
    assert "No organization can be set up under" in message
    assert "Group" in message


def test_move_into_own_subtree_message_in_english(county):
    with override("en"), pytest.raises(ValidationError) as e:
        services.move(county.town_a, county.village_a1)
    assert "cannot be moved under itself" in e.value.message_dict["parent"][0]


def test_code_in_use_message_in_english(county):
    with override("en"), pytest.raises(ValidationError) as e:
        services.create_child(county.town_a, code="ta01", name="重复", kind="branch")
    assert e.value.message_dict["code"] == ["Organization code “TA01” is already in use"]


def test_permission_message_in_english(county):
    town_a = county.users["town_a"]
    with pytest.raises(PermissionDenied) as e:
        services.update(county.town_a, actor=town_a, name="改名")
    assert str(e.value) == "您无权修改该组织"
    with override("en"), pytest.raises(PermissionDenied) as e:
        services.update(county.town_a, actor=town_a, name="改名")
    assert str(e.value) == "You are not allowed to change this organization"


def test_dissolve_without_reason_message_in_english(county):
    with override("en"), pytest.raises(ValidationError) as e:
        services.dissolve(county.village_a1, reason="  ")
    assert e.value.message_dict["reason"] == ["Please enter the reason for dissolution"]


def test_election_rule_messages_keep_the_percent_sign():
    args = {
        "seats": 3,
        "candidates": 3,
        "voters": 10,
        "present": 9,
        "votes": {"甲": 9, "乙": 9, "丙": 9},
    }
    assert rules.election_errors(**args)[0] == (
        "candidates",
        "差额选举：候选人应不少于应选人数的120%，即至少4人",
    )
    with override("en"):
        field, message = rules.election_errors(**args)[0]
    assert field == "candidates"
    assert "at least 120% as many candidates as seats" in message and "at least 4" in message


def test_unit_message_in_english(county):
    with override("en"), pytest.raises(ValidationError) as e:
        health.save_unit(county.town_a, name="", sector="rural", coverage="none")
    assert e.value.message_dict["name"] == ["Please enter the unit name"]
