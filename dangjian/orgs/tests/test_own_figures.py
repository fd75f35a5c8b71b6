"""The organization page (issue 11, section 2.5): an organization is not among its own
sub-organizations, and the county committee at the root is badged as the county committee,
not as one of its grassroots committees."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def sections(client, county, user, code):
    client.force_login(county.users[user])
    response = client.get(reverse("orgs:detail", args=[code]))
    return {
        s["id"]: {r["label"]: r["value"] for r in s["rows"]} for s in response.context["sections"]
    }, response


def test_a_village_branch_is_not_its_own_sub_organization(client, county):
    by, _response = sections(client, county, "branch_b1", "TB01")
    assert by["kind"]["党支部"] == 0
    assert sum(by["sector"].values()) == 0


def test_a_township_counts_only_what_lies_below_it(client, county):
    by, _response = sections(client, county, "town_a", "TA")
    # Two village branches and a group below 甲镇党委; the township committee itself is not.
    assert by["kind"]["党支部"] == 2 and by["kind"]["党小组"] == 1
    assert by["kind"]["基层党委"] == 0
    assert by["sector"]["农村"] == 3


def test_the_root_is_badged_as_the_county_committee(client, county):
    _by, response = sections(client, county, "county", "T")
    html = response.content.decode()
    assert '<span class="badge" data-testid="kind-badge">县委</span>' in html
    assert "基层党委</span>" not in html
    _by, response = sections(client, county, "county", "TA")
    assert (
        '<span class="badge" data-testid="kind-badge">基层党委</span>' in response.content.decode()
    )
