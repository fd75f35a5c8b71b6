"""The demo's year of venues and pay: every village has its venue with the five haves, the
county's rule is seed 004's (1,350 / 1,080 / 810 a month), the sheets' totals are their
lines', and the figures add up over the tree (each = children + own)."""

import datetime

import pytest
from django.db.models import Sum

from dangjian.core.periods import Period
from dangjian.demo import generator, loader
from dangjian.orgs.models import Organization
from dangjian.village import selectors, services
from dangjian.village.models import PayLine, PayRule, PaySheet, Venue

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def test_the_demo_year_of_venues_and_pay():
    loader.load(generator.province(60, 700, seed=9), activity=True, today=TODAY)
    root = Organization.objects.get(depth=1)
    units = selectors.village_units([root.path])
    assert units and Venue.objects.count() == len(units)
    assert not selectors.villages_without_venue([root.path]).exists()
    assert all(v.five_haves for v in Venue.objects.all())
    assert Venue.objects.filter(square_area__lt=200).count() == 0
    rule = PayRule.objects.filter(year=TODAY.year).first()
    assert rule is not None
    assert services.monthly_by_post(rule) == {
        "secretary": 135_000,
        "director": 108_000,
        "member": 81_000,
    }
    for sheet in PaySheet.objects.all()[:50]:
        lines = PayLine.objects.filter(sheet=sheet).aggregate(s=Sum("total_fen"))["s"]
        assert sheet.total_fen == lines
    # Each figure = the children's + the organization's own.
    period = Period(TODAY.year)
    top = selectors.village_figures(root, period)
    children = Organization.objects.filter(depth=2)
    for key in ("venues", "venues_five_haves", "cadre_pay_fen", "office_funds_fen"):
        below = sum(selectors.village_figures(c, period)[key] for c in children)
        assert top[key] == below, key
    assert top["venues_five_haves"] == top["venues"] == len(units)
    assert (
        top["cadre_pay_fen"]
        == PaySheet.objects.filter(status="confirmed").aggregate(s=Sum("total_fen"))["s"]
    )
