"""Venues and pay through the services: who may write, bad input refused whole with a
message naming the field, a sheet suggested from the officers and priced by the rule,
the confirm workflow, scoping of pay sheets, and the stats keys (each count = the sum over
the children plus the organization's own records)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.core.periods import Period
from dangjian.orgs import services as org_services
from dangjian.rollups import services as rollups
from dangjian.village import selectors, services, totals
from dangjian.village.models import PaySheet, SheetStatus, Venue

pytestmark = pytest.mark.django_db

YEAR = 2026
SEED_004_POSTS = [
    {"post": "secretary", "ratio": "1.00", "standard_monthly": "1262"},
    {"post": "director", "ratio": "0.80", "standard_monthly": "1010"},
    {"post": "member", "ratio": "0.60", "standard_monthly": "757"},
    {"post": "group", "fixed_monthly": "300"},
]
FULL = {f: "on" for f in ("has_site", "has_rules", "has_signage", "has_equipment", "has_records")}


def seed_rule(county, actor=None, year=YEAR):
    return services.save_pay_rule(
        actor,
        county.root,
        year=year,
        income_year=year - 2,
        income="8437.50",
        multiple="1.92",
        posts=SEED_004_POSTS,
        standard_name="省市标准",
    )


def test_rule_prices_a_sheet_suggested_from_the_officers(county):
    rule = seed_rule(county, county.users["county"])
    assert services.monthly_by_post(rule) == {
        "secretary": 135_000,
        "director": 108_000,
        "member": 81_000,
        "group": 30_000,
    }
    village = county.village_a1
    secretary, other = county.members["TA01"][:2]
    org_services.appoint_officer(village, secretary, "secretary", term_start=rule_day())
    org_services.appoint_officer(village, other, "organization", term_start=rule_day())
    branch = county.users["branch_a1"]
    sheet = services.prepare_sheet(branch, village, year=YEAR)
    lines = list(selectors.lines_of(sheet))
    assert [(x.member_id, x.post, x.monthly_fen) for x in lines] == [
        (secretary.pk, "secretary", 135_000),
        (other.pk, "member", 81_000),
    ]
    services.add_line(branch, sheet, name="村委主任甲", post="director", months=6)
    sheet.refresh_from_db()
    assert sheet.total_fen == (135_000 + 81_000) * 12 + 108_000 * 6
    with pytest.raises(ValidationError) as e:
        services.add_line(branch, sheet, name="", post="boss", months=13, performance="x")
    assert set(e.value.message_dict) >= {"name", "post", "months", "performance"}
    # The rule changes: the sheet still being prepared follows it.
    services.save_pay_rule(
        None,
        county.root,
        year=YEAR,
        income_year=YEAR - 1,
        income="9000",
        multiple="2.00",
        posts=SEED_004_POSTS,
    )
    sheet.refresh_from_db()
    assert sheet.total_fen == (150_000 + 90_000) * 12 + 120_000 * 6
    # Submitted by the village; only the level above confirms.
    services.submit_sheet(branch, sheet)
    with pytest.raises(PermissionDenied):
        services.confirm_sheet(branch, sheet)
    with pytest.raises(PermissionDenied):
        services.confirm_sheet(county.users["town_b"], sheet)
    services.confirm_sheet(county.users["town_a"], sheet)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.CONFIRMED and not sheet.editable
    with pytest.raises(ValidationError):
        services.add_line(branch, sheet, name="迟到者", post="member")
    # Pay sheets are seen by managers only, never by a member or another township.
    assert selectors.visible_sheets(county.users["member_a1"]).count() == 0
    assert selectors.visible_sheets(county.users["town_b"]).count() == 0
    assert selectors.visible_sheets(county.users["county"]).count() == 1


def rule_day():
    import datetime

    return datetime.date(YEAR, 1, 5)


def test_bad_rule_input_is_refused_whole_naming_each_field(county):
    with pytest.raises(ValidationError) as e:
        services.save_pay_rule(
            None,
            county.root,
            year=YEAR,
            income_year=YEAR,
            income="八千",
            multiple="-1",
            posts=[{"post": "director", "ratio": "1.5"}],
        )
    errors = e.value.message_dict
    assert "应为数字" in errors["income"][0] and "农村居民人均纯收入" in errors["income"][0]
    assert "倍数" in errors["multiple"][0]
    assert "posts" in errors and "posts-0-ratio" in errors
    assert not services.PayRule.objects.exists()
    with pytest.raises(PermissionDenied):
        seed_rule(county, county.users["town_a"])
    with pytest.raises(ValidationError) as e:
        services.save_pay_rule(
            None,
            county.town_a,
            year=YEAR,
            income_year=YEAR - 1,
            income="1",
            multiple="1",
            posts=SEED_004_POSTS,
        )
    assert "organization" in e.value.message_dict


def test_no_sheet_without_the_countys_rule_and_only_for_villages(county):
    with pytest.raises(ValidationError) as e:
        services.prepare_sheet(None, county.village_a1, year=YEAR)
    assert "尚未设定" in e.value.message_dict["year"][0]
    seed_rule(county)
    with pytest.raises(ValidationError) as e:
        services.prepare_sheet(None, county.group_a1, year=YEAR)
    assert "organization" in e.value.message_dict
    services.prepare_sheet(None, county.village_a1, year=YEAR)
    with pytest.raises(ValidationError):
        services.prepare_sheet(None, county.village_a1, year=YEAR)


def test_venue_checklist_and_bad_input(county):
    with pytest.raises(PermissionDenied):
        services.save_venue(county.users["branch_b1"], county.village_a1, address="甲村")
    with pytest.raises(ValidationError) as e:
        services.save_venue(
            None, county.village_a1, address="", building_area="-3", built_year="二〇一〇"
        )
    assert set(e.value.message_dict) == {"address", "building_area", "built_year"}
    assert not Venue.objects.exists()
    v = services.save_venue(
        None,
        county.village_a1,
        address="甲一村",
        building_area="320.5",
        square_area="600",
        **{k: v for k, v in FULL.items() if k != "has_records"},
    )
    assert not v.five_haves and v.missing_haves == ["有资料"]
    v = services.save_venue(
        None, county.village_a1, address="甲一村", building_area="320.5", **FULL
    )
    assert v.five_haves and not v.six_in_one
    with pytest.raises(ValidationError) as e:
        services.add_work(None, v, kind="rebuild", year=1900, cost="0", funding="bank")
    assert set(e.value.message_dict) == {"kind", "year", "cost", "funding"}
    services.add_work(None, v, kind="new", year=YEAR, cost="200,000", funding="county")
    services.add_work(None, v, kind="upgrade", year=YEAR, cost="55000.50", funding="city")
    assert selectors.works_cost_by_source(county.root, YEAR)["city"] == 5_500_050
    assert selectors.works_cost_by_source(county.root, YEAR) == selectors.works_by_source(
        county.root, YEAR
    )


def test_stats_keys_are_children_plus_own(county):
    seed_rule(county)
    for village, five in (
        (county.village_a1, True),
        (county.village_a2, False),
        (county.village_b1, True),
    ):
        flags = FULL if five else {"has_site": "on"}
        services.save_venue(None, village, address=village.name, building_area="200", **flags)
        services.set_funds(None, village, year=YEAR, office="10800", service="9000")
        sheet = services.prepare_sheet(None, village, year=YEAR)
        services.add_line(None, sheet, name="书记", post="secretary")
        services.submit_sheet(None, sheet)
        services.confirm_sheet(None, sheet)
    period = Period(YEAR)
    keys = ("venues", "venues_five_haves", "cadre_pay_fen", "office_funds_fen", "pay_sheets")
    figs = {o.code: selectors.village_figures(o, period) for o in county_orgs(county)}
    for org in county_orgs(county):
        children = [
            c
            for c in county_orgs(county)
            if c.depth == org.depth + 1 and c.path.startswith(org.path)
        ]
        own = {
            "venues": Venue.objects.filter(organization=org).count(),
            "venues_five_haves": sum(
                1 for v in Venue.objects.filter(organization=org) if v.five_haves
            ),
            "cadre_pay_fen": sum(
                PaySheet.objects.filter(organization=org).values_list("total_fen", flat=True)
            ),
            "office_funds_fen": 1_080_000 if Venue.objects.filter(organization=org).exists() else 0,
            "pay_sheets": PaySheet.objects.filter(organization=org).count(),
        }
        for key in keys:
            assert figs[org.code][key] == own[key] + sum(figs[c.code][key] for c in children), (
                org.code,
                key,
            )
    assert figs["T"]["venues"] == 3 and figs["T"]["venues_five_haves"] == 2
    assert figs["T"]["cadre_pay_fen"] == 3 * 1_620_000
    # The incremental figures agree with a rebuild from the rows.
    rollups.rebuild()
    totals.rebuild()
    assert selectors.village_figures(county.root, period) == figs["T"]
    assert figs["T"]["cadre_pay_fen"] == selectors.pay_total_fen(county.root, YEAR)
    assert (figs["TA"]["office_funds_fen"], figs["TA"]["service_funds_fen"]) == selectors.funds_fen(
        county.town_a, YEAR
    )
    # Weak organizations: a village without a venue.
    assert list(selectors.villages_without_venue([county.root.path])) == []
    Venue.objects.filter(organization=county.village_a2).delete()
    assert list(selectors.villages_without_venue([county.root.path])) == [county.village_a2]


def county_orgs(county):
    return [
        county.root,
        county.town_a,
        county.town_b,
        county.village_a1,
        county.village_a2,
        county.group_a1,
        county.village_b1,
    ]
