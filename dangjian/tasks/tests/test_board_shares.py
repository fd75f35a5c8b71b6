"""The board's progress bars use the exact share reported, and their text is rounded once,
as every rate (core.toolkit.share_text): 2 of 3 reads 66.7%, not a 67% bar."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from dangjian.tasks import services

DAY = datetime.timedelta(days=1)


def test_board_bars_are_exact_and_rounded_once(client, county):
    today = timezone.localdate()
    a = services.issue(
        county.root,
        title="两学一做",
        content="学习",
        starts_on=today,
        deadline=today + 5 * DAY,
        receivers={"mode": "filter", "levels": ["village"], "kinds": ["branch"]},
        fields=[{"key": "n", "label": "人数", "type": "integer"}],
        actor=county.users["county"],
    )
    for code in ("TA01", "TB01"):
        services.report(a.report_backs.get(organization__code=code), values={"n": 1})
    client.force_login(county.users["county"])
    html = client.get(reverse("tasks:board", args=[a.pk])).content.decode()
    bars = re.findall(r'<progress class="progress[^"]*" max="1" value="([0-9.]+)"', html)
    # Township A: 1 of 2; township B: 1 of 1.
    assert sorted(bars) == ["0.500000", "1.000000"]
    assert "66.7%" in html and "67%" not in html  # the total row, 2 of 3
    page = client.get(reverse("tasks:board", args=[a.pk]))
    assert page.context["total"]["share"] == 2 / 3
