"""The coverage register names the place a unit is in (issue 11, section 2.6), not the
Party organization of its area."""

import pytest
from django.urls import reverse

from dangjian.health import services as health
from dangjian.orgs.rules import place_name

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name, place",
    [
        ("甲一村党支部", "甲一村"),
        ("中共甲镇委员会", "甲镇"),
        ("甲镇党委", "甲镇"),
        ("东街社区党总支", "东街社区"),
        ("党支部", "党支部"),
    ],
)
def test_the_place_an_organization_is_named_after(name, place):
    assert place_name(name) == place


def test_coverage_register_shows_township_and_village_not_a_branch(client, county):
    health.save_unit(county.village_a1, name="甲一村小学", sector="school", coverage="none")
    health.save_unit(county.town_a, name="甲镇卫生院", sector="hospital", coverage="none")
    client.force_login(county.users["town_a"])
    html = client.get(reverse("health:coverage", args=["TA"])).content.decode()
    assert '<td class="hide-sm" data-testid="place">甲镇 甲一村</td>' in html
    assert '<td class="hide-sm" data-testid="place">甲镇</td>' in html
    assert "甲一村党支部</td></tr>" not in html


def test_a_recorded_address_is_the_place(client, county):
    county.village_a1.address = "甲镇甲一村东头12号"
    county.village_a1.save(update_fields=["address"])
    health.save_unit(county.village_a1, name="甲一村小学", sector="school", coverage="none")
    client.force_login(county.users["town_a"])
    html = client.get(reverse("health:coverage", args=["TA"])).content.decode()
    assert '<td class="hide-sm" data-testid="place">甲镇甲一村东头12号</td>' in html
