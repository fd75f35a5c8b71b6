"""Occupation and education in the categories of the annual Party statistics (issue 9):
the occupation a member's category implies, the breakdowns on the organization page and the
`stats` keys, all from the roll-ups."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.members import services
from dangjian.reports.stats import stats_for
from dangjian.rollups import services as rollups
from dangjian.rollups.models import Rollup
from dangjian.testing import add_member, member_data

pytestmark = pytest.mark.django_db


def test_occupation_follows_the_category_unless_given(county):
    farmer = add_member(county.village_a1, category="rural")
    assert farmer.occupation == "farmer"
    # 企事业单位人员 may be professionals or managers: only the branch knows which.
    staff = add_member(county.village_a1, category="enterprise")
    assert staff.occupation == ""
    manager = add_member(county.village_a1, category="enterprise", occupation="manager")
    assert manager.occupation == "manager"
    # A derived occupation follows a new category; one given by hand stays.
    assert services.update(farmer, category="retired").occupation == "retired"
    assert services.update(manager, category="other").occupation == "manager"
    assert services.update(staff, occupation="professional").occupation == "professional"


def test_a_wrong_occupation_is_named(county):
    with pytest.raises(ValidationError) as e:
        services.create(county.village_a1, **member_data(occupation="astronaut"))
    assert "职业“astronaut”不在可选范围内" in e.value.message_dict["occupation"][0]


def test_stats_give_occupation_and_education_as_the_annual_statistics(county):
    add_member(county.village_a1, category="enterprise", occupation="manager")
    add_member(county.village_a1, category="enterprise")
    add_member(county.village_a1, education="junior")
    add_member(county.village_a1, education="primary")
    add_member(county.village_a1, education="vocational")
    stats = stats_for(county.root)
    occupations = stats["members_by_occupation"]
    assert sum(occupations.values()) == stats["members"] == 14
    assert (occupations["manager"], occupations["unknown"]) == (1, 1)
    assert occupations["farmer"] == 12  # the county's nine and three added, all rural
    education = stats["members_by_education_report"]
    assert list(education) == [
        "postgraduate",
        "university",
        "college",
        "vocational",
        "secondary",
        "junior_or_below",
    ]
    assert education["junior_or_below"] == 2 and education["vocational"] == 1
    assert sum(education.values()) == stats["members"]
    # Kept up as members are written, equal to a rebuild from the SQL sources.
    kept = sorted(Rollup.objects.values_list("organization_id", "key", "value"))
    rollups.rebuild()
    assert sorted(Rollup.objects.values_list("organization_id", "key", "value")) == kept


def test_the_organization_page_shows_the_annual_rows(client, county):
    add_member(county.village_a1, education="primary", category="enterprise")
    add_member(county.village_a1, education="vocational", occupation="manager")
    client.force_login(county.users["county"])
    page = client.get(reverse("orgs:detail", args=[county.root.code])).content.decode()
    for label in (
        "职业",
        "农牧渔民",
        "企事业单位、社会组织管理人员",
        "未填写",
        "初中及以下",
        "中专",
    ):
        assert label in page, label
    assert "小学及以下" not in page  # counted in 初中及以下
