"""Hand flags, the county's decision, the fixed list, scoping, pages, export and figures."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.core.models import AuditEvent
from dangjian.core.periods import Period
from dangjian.orgs.models import Organization
from dangjian.weakorgs import ledger, selectors, services
from dangjian.weakorgs.models import Finding, Flag, FlagStatus

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = 2026
TODAY = D(2026, 6, 1)


def hand(county, org, user="town_a", criterion="team_divided", reason="两委班子长期不和"):
    return services.flag_by_hand(
        county.users[user], org, year=YEAR, criterion=criterion, reason=reason, today=TODAY
    )


def test_a_hand_flag_needs_a_reason_and_a_hand_criterion(county):
    with pytest.raises(ValidationError) as error:
        services.flag_by_hand(
            county.users["town_a"],
            county.village_a1,
            year=YEAR,
            criterion="secretary_vacant",
            reason="  ",
            today=TODAY,
        )
    assert set(error.value.message_dict) == {"criterion", "reason"}  # both at once
    assert not Flag.objects.exists()
    finding = hand(county, county.village_a1)
    assert (finding.source, finding.evidence, finding.flag.status) == (
        "hand",
        "两委班子长期不和",
        FlagStatus.PENDING,
    )
    with pytest.raises(ValidationError, match="已有这一情形"):
        hand(county, county.village_a1)
    hand(county, county.village_a1, criterion="vote_buying", reason="换届中有拉票")
    assert Flag.objects.count() == 1 and Finding.objects.count() == 2
    assert AuditEvent.objects.filter(action="flag").count() == 2


def test_who_may_flag_and_decide(county):
    # A branch cannot flag itself, a township not outside its subtree.
    with pytest.raises(PermissionDenied):
        hand(county, county.village_a1, user="branch_a1")
    with pytest.raises(PermissionDenied):
        hand(county, county.village_b1, user="town_a")
    # A township is not a grassroots organization to flag.
    with pytest.raises(ValidationError, match="不是基层党组织"):
        hand(county, county.town_a, user="county")
    flag = hand(county, county.village_a1).flag
    # Only the county confirms or dismisses.
    for name in ("town_a", "branch_a1"):
        with pytest.raises(PermissionDenied):
            services.confirm(county.users[name], flag, today=TODAY)
        with pytest.raises(PermissionDenied):
            services.dismiss(county.users[name], flag, reason="x", today=TODAY)
    flag.refresh_from_db()
    assert flag.status == FlagStatus.PENDING


def test_dismiss_needs_a_reason_and_stays_dismissed(county):
    user = county.users["county"]
    flag = hand(county, county.village_a1).flag
    with pytest.raises(ValidationError, match="排除的理由"):
        services.dismiss(user, flag, reason="", today=TODAY)
    services.dismiss(user, flag, reason="经核实班子已调整", today=TODAY)
    flag.refresh_from_db()
    assert (flag.status, flag.decision_note, flag.decided_by) == (
        FlagStatus.DISMISSED,
        "经核实班子已调整",
        user,
    )
    with pytest.raises(ValidationError, match="已排除"):
        services.confirm(user, flag, today=TODAY)
    with pytest.raises(ValidationError, match="已排除"):
        hand(county, county.village_a1, criterion="vote_buying")


def test_confirm_opens_the_ledger_and_fixing_the_list(county, monkeypatch):
    user = county.users["county"]
    calls = []

    def create(actor, **kwargs):
        calls.append((actor, kwargs))
        return type("Item", (), {"pk": 41})()

    monkeypatch.setattr(ledger.supervision, "create_rectification_item", create)
    a1 = hand(county, county.village_a1).flag
    b1 = hand(county, county.village_b1, user="town_b").flag
    with pytest.raises(ValidationError, match="包保责任人"):
        services.confirm(
            user, a1, guarantors=[{"level": "county", "name": "", "post": ""}], today=TODAY
        )
    services.confirm(
        user,
        a1,
        note="班子不团结，工作停滞",
        measures="县领导包村，乡镇党委书记包保",
        guarantors=[{"level": "county", "name": "王县长", "post": "副县长"}],
        today=TODAY,
    )
    a1.refresh_from_db()
    assert a1.status == FlagStatus.CONFIRMED and a1.rectification_ref == "41"
    actor, kwargs = calls[0]
    assert actor == user and kwargs["organization"] == county.village_a1
    assert kwargs["source"] == "weak_org" and kwargs["source_ref"] == str(a1.pk)
    assert kwargs["deadline"] == D(2026, 12, 1)  # six months by default
    assert kwargs["guarantors"] == [{"level": "county", "name": "王县长", "post": "副县长"}]
    assert "班子不团结" in kwargs["problem"] and "两委班子长期不和" in kwargs["problem"]
    # The list cannot be fixed while a candidate waits.
    with pytest.raises(ValidationError, match="还有1个候选组织"):
        services.fix_list(user, county.root, year=YEAR, today=TODAY)
    services.dismiss(user, b1, reason="不属实", today=TODAY)
    with pytest.raises(PermissionDenied):
        services.fix_list(county.users["town_a"], county.town_a, year=YEAR, today=TODAY)
    services.fix_list(user, county.root, year=YEAR, today=TODAY)
    with pytest.raises(ValidationError, match="已定档"):
        hand(county, county.village_a2)


def test_a_township_sees_only_its_subtree_and_members_see_nothing(county):
    hand(county, county.village_a1)
    hand(county, county.village_b1, user="town_b")
    codes = lambda name: sorted(  # noqa: E731
        selectors.visible_flags(county.users[name]).values_list("organization__code", flat=True)
    )
    assert codes("county") == ["TA01", "TB01"]
    assert codes("town_a") == ["TA01"]
    assert codes("branch_a1") == ["TA01"]
    assert codes("branch_b1") == ["TB01"]
    assert codes("member_a1") == [] and codes("nobody") == []


def test_figures_are_the_sum_over_children_plus_own(county):
    user = county.users["county"]
    for org, town, crit in (
        (county.village_a1, "town_a", "team_divided"),
        (county.village_a2, "town_a", "vote_buying"),
        (county.village_b1, "town_b", "team_divided"),
    ):
        flag = hand(county, org, user=town, criterion=crit).flag
        if org != county.village_a2:
            services.confirm(user, flag, today=TODAY)
    period = Period(YEAR)
    root, ta, tb = (
        selectors.weak_figures(o, period) for o in (county.root, county.town_a, county.town_b)
    )
    assert root["weak_organizations"] == 2 == ta["weak_organizations"] + tb["weak_organizations"]
    assert root["weak_organizations_by_criterion"]["team_divided"] == 2
    assert root["weak_organizations_by_criterion"]["vote_buying"] == 0  # not confirmed
    own = selectors.weak_figures(county.village_a1, period)
    assert (
        ta["weak_organizations"]
        == own["weak_organizations"]
        + selectors.weak_figures(county.village_a2, period)["weak_organizations"]
    )
    assert selectors.weak_figures(county.root, Period(2025))["weak_organizations"] == 0


# ---- pages ------------------------------------------------------------------------------


def test_pages_decide_and_export(client, county):
    year = datetime.date.today().year
    flag = services.flag_by_hand(
        county.users["town_a"],
        county.village_a1,
        year=year,
        criterion="team_divided",
        reason="两委不和",
    ).flag
    client.force_login(county.users["town_a"])
    page = client.get(reverse("weakorgs:candidates", args=["TA"])).content.decode()
    assert (
        "甲一村党支部" in page
        and "两委不和" in page
        and "weakorgs:detect" not in page
        and "/detect" not in page
    )
    assert client.get(reverse("weakorgs:candidates", args=["TB"])).status_code == 404
    # The township cannot decide: no form, and a POST is refused.
    page = client.get(reverse("weakorgs:flag", args=[flag.pk])).content.decode()
    assert 'id="confirm"' not in page
    response = client.post(
        reverse("weakorgs:flag", args=[flag.pk]), {"action": "dismiss", "reason": "x"}
    )
    assert response.status_code == 403
    # The hand form names the missing reason.
    response = client.post(
        reverse("weakorgs:hand_flag", args=["TA02"]),
        {"year": year, "criterion": "vote_buying", "reason": ""},
    )
    assert response.status_code == 200 and "reason-error" in response.content.decode()
    client.force_login(county.users["county"])
    page = client.get(reverse("weakorgs:flag", args=[flag.pk])).content.decode()
    assert 'id="confirm"' in page
    response = client.post(
        reverse("weakorgs:flag", args=[flag.pk]), {"action": "dismiss", "reason": ""}
    )
    assert response.status_code == 200 and Flag.objects.get().status == FlagStatus.PENDING
    response = client.post(
        reverse("weakorgs:flag", args=[flag.pk]),
        {
            "action": "confirm",
            "measure_kind": "pairing",
            "note": "属实",
            "g1_level": "county",
            "g1_name": "王县长",
            "g1_post": "副县长",
        },
    )
    assert response.status_code == 302 and Flag.objects.get().status == FlagStatus.CONFIRMED
    page = client.get(reverse("weakorgs:list", args=["T"]) + f"?year={year}").content.decode()
    assert "甲一村党支部" in page and "农村" in page
    response = client.get(reverse("weakorgs:export", args=["T"]) + f"?year={year}")
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(ws.values)
    assert rows[1][1] == "甲一村党支部" and "班子不团结" in rows[1][5] and rows[1][6] == "两委不和"
    response = client.post(reverse("weakorgs:list", args=["T"]), {"year": year})
    assert response.status_code == 302
    assert (
        "已定档"
        in client.get(reverse("weakorgs:list", args=["T"]) + f"?year={year}").content.decode()
    )
    page = client.get(reverse("weakorgs:history", args=["TA01"])).content.decode()
    assert f"{year}年度" in page and "已认定" in page


def test_desk_items_for_the_county_and_a_township(county):
    from dangjian.desk import registry

    year = datetime.date.today().year
    today = datetime.date.today()
    flag = services.flag_by_hand(
        county.users["town_a"],
        county.village_a1,
        year=year,
        criterion="team_divided",
        reason="不和",
    ).flag

    def lines(name):
        items = [
            item
            for section in registry.sections(county.users[name], today)
            for item in section["items"]
            if "软弱涣散" in item.title
        ]
        return [(item.title, [line.text for line in item.lines]) for item in items]

    assert lines("county") == [
        ("待认定的软弱涣散候选组织（中共测试县委）", ["甲一村党支部：班子不团结、内耗严重"])
    ]
    assert lines("town_a") == [("下级软弱涣散党组织（甲镇党委）", [])]
    services.confirm(county.users["county"], flag)
    assert lines("county")[0][1] == []
    assert lines("town_a")[0][1] == ["甲一村党支部：班子不团结、内耗严重"]
    assert lines("town_b")[0][1] == [] and lines("branch_a1") == []


def test_stats_carry_the_weak_organizations(county):
    from dangjian.reports.stats import stats_for

    year = datetime.date.today().year
    flag = services.flag_by_hand(
        county.users["town_b"],
        county.village_b1,
        year=year,
        criterion="interference",
        reason="宗族干扰",
    ).flag
    services.confirm(county.users["county"], flag)
    root, ta, tb = (stats_for(o) for o in (county.root, county.town_a, county.town_b))
    assert (root["weak_organizations"], ta["weak_organizations"], tb["weak_organizations"]) == (
        1,
        0,
        1,
    )
    assert root["weak_organizations_by_criterion"]["interference"] == 1


def test_the_daily_job_detects_under_every_root(county):
    from django.conf import settings

    from dangjian.core.models import RuleSetting

    RuleSetting.objects.create(
        organization=county.root, key="life.records_from", value="2099-01-01"
    )
    Organization.objects.filter(level="village").update(founded_on=D(2020, 1, 1))
    fn, _at = settings.JOBS_DAILY["weakorgs_detect"]
    assert fn == "dangjian.weakorgs.services.daily_detect"
    services.daily_detect(lambda *a, **k: None, datetime.date.today().isoformat())
    assert Flag.objects.filter(year=datetime.date.today().year).count() == 3


def test_the_candidates_page_in_english(client, county):
    services.flag_by_hand(
        county.users["town_a"],
        county.village_a1,
        year=datetime.date.today().year,
        criterion="team_divided",
        reason="两委不和",
    )
    client.force_login(county.users["county"])
    client.post(reverse("set_language"), {"language": "en"})
    html = client.get(reverse("weakorgs:candidates", args=["T"])).content.decode()
    assert 'lang="en"' in html
    for text in (
        "Detection and decisions",
        "Detect from the records",
        "Team divided, infighting",
        "Raised by hand",
    ):
        assert text in html, text
    for chinese in ("排查与认定", "按数据排查", "班子不团结", "待认定"):
        assert chinese not in html, chinese
    assert "两委不和" in html  # the reason is data, shown as written


def test_confirming_opens_the_rectification_item_and_the_history_page_shows_it(client, county):
    from dangjian.supervision.models import RectificationItem

    flag = hand(county, county.village_a1).flag
    services.confirm(
        county.users["county"],
        flag,
        measure_kind="leader_pilot",
        measures="县领导包村",
        guarantors=[{"level": "township", "name": "李书记", "post": "镇党委书记"}],
        today=TODAY,
    )
    flag.refresh_from_db()
    item = RectificationItem.objects.get()
    assert flag.rectification_ref == str(item.pk)
    assert (item.organization, item.source, item.source_ref) == (
        county.village_a1,
        "weak_org",
        str(flag.pk),
    )
    assert (item.measure_kind, item.measures, item.deadline) == (
        "leader_pilot",
        "县领导包村",
        D(2026, 12, 1),
    )
    assert "两委班子长期不和" in item.problem
    with pytest.raises(ValidationError, match="层级应为"):
        services.confirm(
            county.users["county"],
            hand(county, county.village_a2).flag,
            guarantors=[{"level": "县级", "name": "王", "post": "副县长"}],
            today=TODAY,
        )
    client.force_login(county.users["town_a"])
    page = client.get(reverse("weakorgs:flag", args=[flag.pk])).content.decode()
    assert reverse("supervision:item", args=[item.pk]) in page
    assert client.get(reverse("supervision:item", args=[item.pk])).status_code == 200
    page = client.get(reverse("core:history", args=["weak_flag", flag.pk])).content.decode()
    assert "认定为2026年度软弱涣散党组织" in page and "班子不团结" in page
    client.force_login(county.users["town_b"])
    assert client.get(reverse("core:history", args=["weak_flag", flag.pk])).status_code == 404
