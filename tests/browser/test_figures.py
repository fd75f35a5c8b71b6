"""Charts whose names fit (issue 11, section 2.5): a donut names its slices in a legend,
whole, instead of labels clipped at the chart's edge."""

import pytest
from playwright.sync_api import expect

from .test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_donut_names_its_slices_in_a_legend(page, live_county, shot):
    log_in(page, live_county, "county")
    page.get_by_role("link", name="本组织概况").click()  # login lands on the desk
    donut = page.locator('.chart.drawn[data-source="chart-sector"]')
    expect(donut.locator("svg text").first).to_be_attached()
    # The six organizations below the county committee are all rural: one legend entry,
    # name and count in one piece of text, and no label cut off beside the ring.
    texts = [t.text_content() for t in donut.locator("svg text").all()]
    assert texts == ["农村 6"]
    shot(page, "donut-legend", full_page=False)
