"""Grassroots organizations (基层党组织) as the Party's own statistics count them: not the
tree's root, not groups; kept incrementally and equal to a rebuild."""

import datetime

from dangjian.orgs import services
from dangjian.orgs.rules import is_grassroots
from dangjian.rollups import services as rollups
from dangjian.rollups.models import Rollup


def _all():
    return {(r.organization_id, r.key): r.value for r in Rollup.objects.all() if r.value}


def _consistent():
    incremental = _all()
    rollups.rebuild()
    assert _all() == incremental


def _counts(org):
    figs = rollups.figures(org)
    return (
        figs.get("organizations", 0),
        figs.get("grassroots_organizations", 0),
        figs.get("groups", 0),
    )


def test_is_grassroots():
    assert is_grassroots("committee", 2) and is_grassroots("working_committee", 2)
    assert is_grassroots("general_branch", 3) and is_grassroots("joint_branch", 3)
    assert is_grassroots("temporary", 3) and is_grassroots("branch", 3)
    assert not is_grassroots("committee", 1)
    assert not is_grassroots("group", 4)


def test_grassroots_organizations_leave_out_the_root_and_groups(county):
    # 县委 + 2 township committees + 3 branches + 1 group.
    assert _counts(county.root) == (7, 5, 1)
    assert _counts(county.town_a) == (4, 3, 1)
    assert _counts(county.village_a1) == (2, 1, 1)
    _consistent()


def test_grassroots_counts_follow_creation_moves_and_dissolution(county):
    other = services.create_root(code="X", name="中共另一县委", kind="committee", level="county")
    services.create_child(
        other, code="X01", name="另一党总支", kind="general_branch", level="village"
    )
    assert _counts(other) == (2, 1, 0)
    _consistent()
    # A root moved under another organization becomes a grassroots organization there.
    services.move(other, county.town_b)
    assert _counts(county.root) == (9, 7, 1)
    assert _counts(county.town_b) == (4, 4, 0)
    _consistent()
    services.dissolve(county.group_a1, on=datetime.date(2026, 1, 5), reason="合并")
    assert _counts(county.root) == (8, 7, 0)
    _consistent()
