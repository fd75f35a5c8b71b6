import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dangjian.testing import add_member


def run_stats(*args):
    out = StringIO()
    call_command("stats", *args, stdout=out)
    return json.loads(out.getvalue())


def test_root_stats_by_default(county):
    data = run_stats("--json")
    assert data["code"] == "T"
    assert data["children"] == ["TA", "TB"]
    assert data["organizations"] == 7
    assert data["members"] == 9


def test_grassroots_organizations_and_groups_are_counted_apart(county):
    # The Party's own statistics: not the county committee (the root), not the group.
    data = run_stats("--json")
    assert (data["organizations"], data["grassroots_organizations"], data["groups"]) == (7, 5, 1)
    town = run_stats("TA", "--json")
    assert (town["grassroots_organizations"], town["groups"]) == (3, 1)


def test_counts_are_the_sum_of_children_plus_own(county):
    add_member(county.group_a1)
    parent = run_stats("TA01", "--json")
    child = run_stats("TA0101", "--json")
    own = 3  # members filed directly in TA01
    assert parent["members"] == own + child["members"]
    assert parent["organizations"] == 1 + child["organizations"]
    root = run_stats("--json")
    assert root["members"] == sum(run_stats(c, "--json")["members"] for c in root["children"])
    assert sum(root["members_by_status"].values()) == root["members"]
    assert sum(root["members_by_age_band"].values()) == root["members"]
    assert sum(root["members_by_age_band_10"].values()) == root["members"]
    assert list(root["members_by_age_band"])[0] == "≤25岁"
    assert list(root["members_by_age_band"])[-1] == "81岁以上"


def test_period_is_accepted(county):
    assert run_stats("TA", "--period", "2026-Q1", "--json")["period"] == "2026-Q1"


@pytest.mark.parametrize(
    "args, message",
    [
        (("NOPE", "--json"), "不存在"),
        (("--period", "2026-13"), "期间"),
    ],
)
def test_wrong_arguments(county, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("stats", *args, stdout=StringIO())


def test_empty_database_is_explained(db):
    with pytest.raises(CommandError, match="dangjian demo"):
        call_command("stats", stdout=StringIO())


def test_life_and_health_figures_sum_over_children(county):
    import datetime

    from dangjian.health import services as health
    from dangjian.life import services as life

    for org, day in ((county.village_a1, 3), (county.village_b1, 4), (county.village_a2, 5)):
        life.record_meeting(
            org, kind="theme_day", held_on=datetime.date(2026, 3, day), topic="主题党日"
        )
    health.save_unit(
        county.town_a,
        name="甲镇小学",
        sector="school",
        coverage="own",
        covering_organization=county.village_a1,
    )
    health.save_unit(county.town_b, name="乙镇小学", sector="school", coverage="none")
    root = run_stats("--period", "2026-03", "--json")
    kids = [run_stats(c, "--period", "2026-03", "--json") for c in root["children"]]
    assert root["meetings"]["theme_day"] == 3
    assert root["meetings"]["theme_day"] == sum(k["meetings"]["theme_day"] for k in kids)
    slots = root["meeting_slots"]
    assert slots["done"] + slots["late"] == sum(
        k["meeting_slots"]["done"] + k["meeting_slots"]["late"] for k in kids
    )
    assert root["meeting_compliance"] == round(
        (slots["done"] + slots["late"]) / (slots["done"] + slots["late"] + slots["missing"]), 4
    )
    assert root["coverage"]["school"]["units"] == 2
    assert root["coverage"]["school"]["rate"] == 0.5
    assert "elections_due" in root and "elections_overdue" in root


def test_assignments_are_counted_once_not_per_report_back(county):
    """Issue 9: `assignments` is the number issued in the subtree, `assignments_received`
    the distinct ones with a receiver there; report-backs are counted by status."""
    import datetime

    from dangjian.tasks import services as tasks

    tasks.issue(
        county.root,
        title="主题党日报送",
        content="报送",
        starts_on=datetime.date(2026, 3, 1),
        deadline=datetime.date(2026, 3, 31),
        receivers={"mode": "subtree"},
        fields=[],
    )
    root = run_stats("--period", "2026-03", "--json")
    assert (root["assignments"], root["assignments_received"]) == (1, 1)
    assert sum(root["report_backs"][s] for s in ("not_started", "reported", "accepted")) == 5
    town = run_stats("TA", "--period", "2026-03", "--json")
    assert (town["assignments"], town["assignments_received"]) == (0, 1)
    assert town["report_backs"]["not_started"] == 3
