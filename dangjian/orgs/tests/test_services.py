import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.core.audit import history
from dangjian.orgs import services
from dangjian.orgs.models import Organization
from dangjian.testing import add_member


def test_a_group_cannot_hold_an_organization(county):
    with pytest.raises(ValidationError) as e:
        services.create_child(county.group_a1, code="X1", name="某支部", kind="branch")
    assert "kind" in e.value.message_dict


def test_a_branch_cannot_hold_a_committee(county):
    with pytest.raises(ValidationError):
        services.create_child(county.village_a1, code="X2", name="某党委", kind="committee")


def test_no_cycles(county):
    with pytest.raises(ValidationError) as e:
        services.move(county.town_a, county.village_a1)
    assert "下级" in e.value.message_dict["parent"][0]


def test_codes_are_unique(county):
    with pytest.raises(ValidationError) as e:
        services.create_child(county.town_a, code="ta01", name="重复", kind="branch")
    assert "code" in e.value.message_dict


def test_move_keeps_the_subtree(county):
    services.move(county.village_a1, county.town_b)
    group = Organization.objects.get(code="TA0101")
    assert group.parent().code == "TA01"
    assert group.path.startswith(Organization.objects.get(code="TB").path)
    assert Organization.objects.find_problems() == ([], [], [], [], [])


def test_restructuring_needs_a_role_above(county):
    town_a = county.users["town_a"]
    with pytest.raises(PermissionDenied):
        services.update(county.town_a, actor=town_a, name="改名")
    services.update(county.village_a1, actor=town_a, name="甲一村党支部（新）")
    with pytest.raises(PermissionDenied):
        services.move(county.village_a1, county.town_b, actor=town_a)
    services.move(county.village_a1, county.town_b, actor=county.users["county"])


def test_dissolving_keeps_the_record_and_its_history(county):
    org = services.create_child(
        county.town_a,
        code="TA09",
        name="拆迁临时党支部",
        kind="temporary",
        actor=county.users["town_a"],
    )
    services.dissolve(org, reason="任务完成", actor=county.users["town_a"])
    org.refresh_from_db()
    assert org.is_dissolved and org.dissolved_reason == "任务完成"
    assert [e.action for e in history(org)] == ["dissolve", "create"]


def test_cannot_dissolve_with_members_or_children(county):
    with pytest.raises(ValidationError):
        services.dissolve(county.village_b1, reason="合并")
    with pytest.raises(ValidationError):
        services.dissolve(county.town_b, reason="合并")
    with pytest.raises(ValidationError) as e:
        services.dissolve(county.group_a1, reason="")
    assert "reason" in e.value.message_dict


def test_one_secretary_at_a_time(county):
    first, second = county.members["TA01"][:2]
    services.appoint_officer(
        county.village_a1, first, "secretary", term_start=datetime.date(2021, 1, 1)
    )
    services.appoint_officer(
        county.village_a1, second, "secretary", term_start=datetime.date(2024, 1, 1)
    )
    assert county.village_a1.current_secretary().member == second


def test_officer_must_belong_to_the_organization(county):
    outsider = add_member(county.village_b1)
    with pytest.raises(ValidationError):
        services.appoint_officer(
            county.village_a1, outsider, "member", term_start=datetime.date(2024, 1, 1)
        )
