"""Messages of the member services come out in the user's language.

The Chinese text stays the default; with English active the same bad input gives an
English message (from the gettext catalogue)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import override

from dangjian.members import services
from dangjian.testing import member_data


def _error(county, **change):
    data = member_data()
    data.update(change)
    with pytest.raises(ValidationError) as e:
        services.create(county.village_a1, **data)
    return e.value.message_dict


def test_bad_phone_message_in_chinese_and_english(county):
    assert _error(county, phone="12345")["phone"] == ["手机号“12345”格式不正确"]
    with override("en"):
        errors = _error(county, phone="12345")
    assert errors["phone"] == ["Mobile number “12345” is not in a valid format"]


def test_bad_id_number_message_in_english(county):
    assert "校验位不正确" in _error(county, id_number="411423199001011230")["id_number"][0]
    with override("en"):
        errors = _error(county, id_number="411423199001011230")
    assert "check character of the ID number is wrong" in errors["id_number"][0]


def test_short_id_number_message_in_english(county):
    with override("en"):
        errors = _error(county, id_number="41142319900101")
    assert errors["id_number"] == ["The ID number must have 18 characters; it has 14"]


def test_probationary_with_full_date_message_in_english(county):
    with override("en"):
        errors = _error(county, status="probationary")
    assert errors["full_on"] == ["A probationary member should not have a date of full membership"]


def test_committee_cannot_take_members_message_in_english(county):
    data = member_data()
    with pytest.raises(ValidationError) as e:
        services.create(county.town_a, **data)
    assert "党员应编入党支部" in e.value.message_dict["organization"][0]
    with override("en"), pytest.raises(ValidationError) as e:
        services.create(county.town_a, **data)
    assert "members belong in a branch" in e.value.message_dict["organization"][0]


def test_permission_message_in_english(county):
    with override("en"), pytest.raises(PermissionDenied) as e:
        services.create(county.village_b1, actor=county.users["branch_a1"], **member_data())
    assert str(e.value) == "You are not allowed to add members to this organization"


def test_conversion_before_a_year_message_in_english(county):
    # Born 1980 whatever the test-data sequence, so joining in 2010 is valid and the only
    # error is the date of full membership.
    data = member_data(
        birth_date=datetime.date(1980, 1, 1),
        joined_on=datetime.date(2010, 7, 1),
        full_on=datetime.date(2011, 3, 1),
    )
    with override("en"), pytest.raises(ValidationError) as e:
        services.create(county.village_a1, **data)
    assert e.value.message_dict["full_on"] == [
        "The date of full membership cannot be before 2011-07-01: probation lasts one year"
    ]
