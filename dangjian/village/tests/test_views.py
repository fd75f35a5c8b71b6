"""The pages of the main flow as the county admin: overview, venue with works and funds, the pay rule (bad input refused with its message; seed 004's schedule shown), a sheet prepared, a director added, submitted, confirmed; the exports open."""

import pytest
from django.test import Client

from dangjian.village import services
from dangjian.village.tests.test_village import FULL, seed_rule

pytestmark = pytest.mark.django_db


def test_main_flow_through_the_pages(county):
    c = Client()
    c.force_login(county.users["county"])
    seed_rule(county)
    services.save_venue(None, county.village_a1, address="甲一村", building_area="300", **FULL)
    for url in [
        "/village/",
        "/village/?org=TA",
        "/village/org/TA01/venue/",
        "/village/org/T/pay-rule/?year=2026",
        "/village/sheets/",
        "/village/venues/export.xlsx",
        "/village/sheets/export.xlsx",
        "/village/org/TA01/sheets/new/",
    ]:
        r = c.get(url)
        assert r.status_code == 200, (url, r.status_code)
    r = c.post("/village/org/TA01/sheets/new/", {"year": "2026"})
    assert r.status_code == 302, r.content.decode()[:3000]
    sheet = services.PaySheet.objects.get()
    r = c.post(
        f"/village/sheets/{sheet.pk}/",
        {"action": "add_line", "name": "张三", "post": "director", "months": "12"},
    )
    assert r.status_code == 302
    r = c.get(f"/village/sheets/{sheet.pk}/")
    assert "1,080" in r.content.decode()
    r = c.post(f"/village/sheets/{sheet.pk}/", {"action": "submit"})
    assert r.status_code == 302
    r = c.post(f"/village/sheets/{sheet.pk}/", {"action": "confirm"})
    assert r.status_code == 302
    r = c.post(
        "/village/org/T/pay-rule/",
        {
            "year": "2027",
            "income_year": "2026",
            "income": "abc",
            "multiple": "1.92",
            "rounding": "yuan",
        },
    )
    assert r.status_code == 200 and "应为数字" in r.content.decode()
    r = c.post(
        "/village/org/T/pay-rule/",
        {
            "year": "2027",
            "income_year": "2026",
            "income": "8437.50",
            "multiple": "1.92",
            "rounding": "yuan",
            "director_ratio": "0.8",
            "secretary_standard": "1262",
        },
    )
    assert r.status_code == 302, r.content.decode()[-3000:]
    r = c.get("/village/org/T/pay-rule/?year=2027")
    t = r.content.decode()
    assert "1,350" in t and "88" in t
    r = c.post(
        "/village/org/TA01/venue/",
        {"action": "work", "kind": "new", "year": "2025", "cost": "100000", "funding": "county"},
    )
    assert r.status_code == 302
    r = c.post(
        "/village/org/TA01/venue/",
        {"action": "funds", "year": "2026", "office": "10800", "service": "9000"},
    )
    assert r.status_code == 302
    r = c.get("/village/")
    assert "10,800" in r.content.decode()
