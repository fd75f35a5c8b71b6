"""Scoping: each user sees exactly their subtree, whatever the query."""

from dangjian.members.selectors import visible_members
from dangjian.orgs.selectors import home_organization, visible_orgs


def codes(qs):
    return set(qs.values_list("code", flat=True))


def test_county_admin_sees_everything(county):
    assert codes(visible_orgs(county.users["county"])) == {
        "T",
        "TA",
        "TB",
        "TA01",
        "TA02",
        "TA0101",
        "TB01",
    }
    assert visible_members(county.users["county"]).count() == 9


def test_township_sees_its_subtree_only(county):
    user = county.users["town_a"]
    assert codes(visible_orgs(user)) == {"TA", "TA01", "TA02", "TA0101"}
    orgs = set(visible_members(user).values_list("organization__code", flat=True))
    assert orgs == {"TA01", "TA02"}


def test_branch_secretary_sees_the_branch(county):
    user = county.users["branch_b1"]
    assert codes(visible_orgs(user)) == {"TB01"}
    assert set(visible_members(user)) == set(county.members["TB01"])


def test_member_sees_own_branch_and_only_themselves(county):
    user = county.users["member_a1"]
    assert codes(visible_orgs(user)) == {"TA01"}
    assert list(visible_members(user)) == [county.members["TA01"][0]]


def test_user_without_role_sees_nothing(county):
    user = county.users["nobody"]
    assert not visible_orgs(user).exists()
    assert not visible_members(user).exists()
    assert home_organization(user) is None


def test_anonymous_sees_nothing(county):
    from django.contrib.auth.models import AnonymousUser

    assert not visible_orgs(AnonymousUser()).exists()


def test_home_is_the_top_of_the_scope(county):
    assert home_organization(county.users["town_a"]) == county.town_a
    assert home_organization(county.users["member_a1"]) == county.village_a1


def test_id_numbers_only_for_allowed_roles(county):
    member = county.members["TA01"][1]
    assert county.users["county"].has_perm("members.view_id_number", member)
    assert not county.users["branch_a1"].has_perm("members.view_id_number", member)
    own = county.members["TA01"][0]
    assert county.users["member_a1"].has_perm("members.view_id_number", own)
    assert not county.users["member_a1"].has_perm("members.view_id_number", member)
