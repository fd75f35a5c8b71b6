"""The incrementally kept figures always equal a full recomputation from the records."""

import datetime

from dangjian.members import services as members
from dangjian.orgs import services as orgs
from dangjian.rollups import services as rollups
from dangjian.rollups.models import BuildMark, Rollup
from dangjian.testing import add_member


def all_figures():
    return {(r.organization_id, r.key): r.value for r in Rollup.objects.all() if r.value}


def assert_consistent():
    incremental = all_figures()
    rollups.rebuild()
    assert all_figures() == incremental


def test_counts_roll_up_the_tree(county):
    root = rollups.figures(county.root)
    assert root["members"] == 9
    assert root["organizations"] == 7
    assert root["organizations.kind.branch"] == 3
    assert rollups.figures(county.town_a)["members"] == 6
    assert rollups.figures(county.village_b1)["members"] == 3
    assert_consistent()


def test_member_changes_keep_figures_consistent(county):
    m = county.members["TA01"][0]
    members.update(m, category="retired")
    assert rollups.figures(county.root)["members.category.retired"] == 1
    members.move(m, county.village_b1, reason="户籍迁移")
    assert rollups.figures(county.town_b)["members"] == 4
    assert rollups.figures(county.town_a)["members"] == 5
    members.remove(county.members["TA02"][0], reason="去世")
    assert rollups.figures(county.root)["members"] == 8
    assert_consistent()


def test_moving_an_organization_moves_its_figures(county):
    add_member(county.group_a1)
    orgs.move(county.village_a1, county.town_b)
    assert rollups.figures(county.town_a)["members"] == 3
    assert rollups.figures(county.town_b)["members"] == 7
    assert rollups.figures(county.town_b)["organizations"] == 4
    assert rollups.figures(county.root)["members"] == 10
    assert_consistent()


def test_dissolving_uncounts_the_organization(county):
    orgs.dissolve(county.group_a1, reason="并入支部", on=datetime.date(2026, 1, 5))
    assert rollups.figures(county.root)["organizations"] == 6
    assert "organizations.kind.group" not in rollups.figures(county.root)
    assert_consistent()


def test_a_tree_without_figures_gets_them_after_migrate(county):
    # A database from before the engine had its own table arrives with an empty one.
    expected = all_figures()
    Rollup.objects.all().delete()
    rollups.rebuild_if_stale()
    assert all_figures() == expected
    # Built from the sources registered now: a migrate leaves them alone.
    Rollup.objects.filter(key="members").update(value=0)
    rollups.rebuild_if_stale()
    assert all_figures() != expected


def test_figures_are_rebuilt_after_an_upgrade_that_adds_a_key(county):
    # An upgrade registers a new key (say grassroots_organizations): the rows of the old
    # build lack it until the figures are rebuilt from the sources registered now.
    expected = all_figures()
    Rollup.objects.filter(key="grassroots_organizations").delete()
    BuildMark.objects.update(sources="built by an earlier version")
    rollups.rebuild_if_stale()
    assert all_figures() == expected
    assert BuildMark.objects.get().sources == rollups.sources_fingerprint()


def test_the_engine_knows_no_domain():
    # Every source comes from an app's ready(); the engine's own module names no table.
    import inspect

    source = inspect.getsource(rollups)
    for table in ("members_member", "orgs_organization", "life_meeting"):
        assert table not in source
    # A source's table may be a subquery over the app's tables (life: a meeting and the
    # other kinds it counts as).
    tables = " ".join(s.table for s in rollups.SOURCES)
    for table in ("members_member", "orgs_organization", "life_meeting", "life_extrakind"):
        assert table in tables
