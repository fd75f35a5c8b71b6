import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.core.models import AuditEvent
from dangjian.members import services
from dangjian.members.models import Member, MemberMove
from dangjian.testing import member_data


def field_error(exc_info):
    return exc_info.value.message_dict


@pytest.mark.parametrize(
    "change, field",
    [
        ({"id_number": "411423199001011230"}, "id_number"),
        ({"name": ""}, "name"),
        ({"gender": "x"}, "gender"),
        ({"status": "full", "full_on": None}, "full_on"),
        ({"status": "probationary"}, "full_on"),
        ({"phone": "12345"}, "phone"),
        ({"category": "astronaut"}, "category"),
    ],
)
def test_bad_fields_are_named(county, change, field):
    data = member_data()
    data.update(change)
    before = Member.objects.count()
    with pytest.raises(ValidationError) as e:
        services.create(county.village_a1, actor=county.users["branch_a1"], **data)
    assert field in field_error(e)
    assert Member.objects.count() == before


def test_birth_date_must_match_id_number(county):
    data = member_data()
    data["birth_date"] = data["birth_date"] + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as e:
        services.create(county.village_a1, **data)
    assert "birth_date" in field_error(e)


def test_joining_before_18_is_refused(county):
    data = member_data()
    data["joined_on"] = data["birth_date"].replace(year=data["birth_date"].year + 17)
    data["full_on"] = data["joined_on"].replace(year=data["joined_on"].year + 1)
    with pytest.raises(ValidationError) as e:
        services.create(county.village_a1, **data)
    assert "18" in field_error(e)["joined_on"][0]


def test_duplicate_id_number_is_refused(county):
    existing = county.members["TA01"][0]
    data = member_data(gender=existing.gender, birth_date=existing.birth_date)
    data["id_number"] = existing.id_number
    with pytest.raises(ValidationError) as e:
        services.create(county.village_a2, **data)
    assert "已经在册" in field_error(e)["id_number"][0]


def test_members_are_not_filed_under_a_committee(county):
    with pytest.raises(ValidationError) as e:
        services.create(county.town_a, **member_data())
    assert "organization" in field_error(e)


def test_branch_secretary_cannot_write_outside_the_branch(county):
    secretary = county.users["branch_a1"]
    with pytest.raises(PermissionDenied):
        services.create(county.village_b1, actor=secretary, **member_data())
    with pytest.raises(PermissionDenied):
        services.update(county.members["TB01"][0], actor=secretary, phone="13800000000")
    with pytest.raises(PermissionDenied):
        services.move(county.members["TA01"][1], county.village_b1, actor=secretary)


def test_every_write_is_audited_with_what_changed(county):
    secretary = county.users["branch_a1"]
    member = county.members["TA01"][1]
    services.update(member, actor=secretary, phone="13800000001", tags=["双强"])
    event = AuditEvent.objects.filter(target_id=str(member.pk), action="update").get()
    assert event.actor == secretary
    assert event.changes["phone"][1] == "13800000001"
    assert event.changes["tags"] == [[], ["双强"]]


def test_move_is_recorded(county):
    member = county.members["TA01"][1]
    services.move(member, county.village_a2, reason="迁居", actor=county.users["town_a"])
    member.refresh_from_db()
    assert member.organization == county.village_a2
    move = MemberMove.objects.get(member=member)
    assert (move.from_organization, move.to_organization) == (county.village_a1, county.village_a2)


def test_removing_marks_and_keeps_the_record(county):
    member = county.members["TA01"][2]
    services.remove(member, reason="去世", actor=county.users["branch_a1"])
    member.refresh_from_db()
    assert member.removed_on is not None
    assert Member.objects.filter(pk=member.pk).exists()
    with pytest.raises(ValidationError):
        services.update(member, phone="13800000002")
