"""Dues services: re-base from a month, the ledger opened from admission, the month form
(bad rows named, nothing half-written), multi-month payment, permissions and scoping,
arrears and the stats keys (each = children + own records)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.core.periods import Period
from dangjian.dues import selectors, services
from dangjian.dues.models import DuesMonth
from dangjian.orgs.models import Organization
from dangjian.testing import add_member, build_county

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 12, 7)


@pytest.fixture
def c():
    return build_county()


def test_base_applies_from_its_month_and_rebase_rederives_later_rows(c):
    boss = c.users["county"]
    m = add_member(c.village_a1, category="agency")
    services.set_base(boss, m, effective_from="2026-01", category="employed", base_yuan="3000.00")
    out = services.open_months(boss, c.village_a1, "2026-01", "2026-12")
    assert out["created"] >= 12 and m not in out["missing"]
    services.set_base(boss, m, effective_from="2026-07", category="employed", base_yuan="3000.01")
    dues = dict(DuesMonth.objects.filter(member=m).values_list("month", "due_fen"))
    assert (
        dues[D(2026, 6, 1)] == 1500 and dues[D(2026, 7, 1)] == 3000 and dues[D(2026, 12, 1)] == 3000
    )
    assert m.dues_bases.count() == 2  # history kept


def test_bad_base_input_names_every_field_in_chinese(c):
    m = add_member(c.village_a1, category="agency")
    with pytest.raises(ValidationError) as e:
        services.set_base(
            c.users["county"],
            m,
            effective_from="2026-13",
            category="employed",
            base_yuan="3千",
            exempt=True,
        )
    errors = e.value.message_dict
    assert set(errors) >= {"effective_from", "base_yuan", "reason"}
    assert "3千" in errors["base_yuan"][0] and "2026-03" in errors["effective_from"][0]
    with pytest.raises(ValidationError) as e:
        services.set_base(
            c.users["county"], m, effective_from="2026-01", category="rural", rural_yuan="1.50"
        )
    assert "0.20元至1.00元" in e.value.message_dict["rural_yuan"][0]
    assert not m.dues_bases.exists()


def test_probationary_member_pays_from_admission_and_income_needs_a_base(c):
    boss = c.users["county"]
    new = add_member(c.village_b1, joined_on=D(2026, 5, 20), full_on=None, status="probationary")
    staff = add_member(c.village_b1, category="enterprise")
    out = services.open_months(boss, c.village_b1, "2026-01", "2026-12")
    months = list(DuesMonth.objects.filter(member=new).values_list("month", flat=True))
    assert min(months) == D(2026, 5, 1) and len(months) == 8
    assert staff in out["missing"] and not DuesMonth.objects.filter(member=staff).exists()
    again = services.open_months(boss, c.village_b1, "2026-01", "2026-12")
    assert again["created"] == 0


def test_month_form_refuses_bad_rows_all_at_once_and_writes_nothing(c):
    boss = c.users["branch_a1"]
    services.open_months(boss, c.village_a1, "2026-11")
    a, b, d = c.members["TA01"]
    entries = {a.pk: "0.20", b.pk: "-1", d.pk: "abc"}
    with pytest.raises(ValidationError) as e:
        services.record_month(boss, c.village_a1, "2026-11", entries, paid_on=TODAY, today=TODAY)
    assert {f"paid_{b.pk}", f"paid_{d.pk}"} <= set(e.value.message_dict)
    assert b.name in e.value.message_dict[f"paid_{b.pk}"][0]
    assert not DuesMonth.objects.filter(paid_fen__gt=0).exists()
    n = services.record_month(
        boss,
        c.village_a1,
        "2026-11",
        {a.pk: "0.20", b.pk: "0.20", d.pk: ""},
        paid_on=TODAY,
        collector="张三",
        today=TODAY,
    )
    assert n == 2
    row = DuesMonth.objects.get(member=a, month=D(2026, 11, 1))
    assert (row.paid_fen, row.paid_on, row.collector) == (20, TODAY, "张三")


def test_other_townships_cannot_write_or_read(c):
    services.open_months(c.users["county"], c.root, "2026-11")
    with pytest.raises(PermissionDenied):
        services.open_months(c.users["town_b"], c.village_a1, "2026-11")
    with pytest.raises(PermissionDenied):
        services.pay_months(c.users["branch_b1"], c.members["TA01"][0], "2026-11", "2026-11")
    seen = selectors.ledger(c.users["town_b"], c.root, year=2026)
    assert {r.organization_id for r in seen} == {c.village_b1.pk}
    own = selectors.ledger(c.users["member_a1"], c.root, year=2026)
    assert [r.member_id for r in own] == [c.members["TA01"][0].pk]


def test_quarterly_payment_and_extra_payment(c):
    boss = c.users["county"]
    m = c.members["TA02"][0]
    total = services.pay_months(boss, m, "2026-10", "2026-12", paid_on=TODAY, today=TODAY)
    assert total == 60
    assert DuesMonth.objects.filter(member=m, paid_fen=20).count() == 3
    with pytest.raises(ValidationError) as e:
        services.pay_months(boss, m, "2026-12", "2026-10", today=TODAY)
    assert "last" in e.value.message_dict
    assert services.record_extra(
        boss, m, amount_yuan="1000.00", paid_on=TODAY, today=TODAY
    ).to_centre
    assert not services.record_extra(
        boss, m, amount_yuan="999.99", paid_on=TODAY, today=TODAY
    ).to_centre


def test_arrears_and_stats_keys_are_children_plus_own(c):
    boss = c.users["county"]
    services.open_months(boss, c.root, "2026-06", "2026-11")
    # one member of TA01 paid in June (run of 5: warn), all others nothing (run of 6)
    paid = c.members["TA01"][1]
    DuesMonth.objects.filter(member=paid, month=D(2026, 6, 1)).update(paid_fen=20)
    extra = add_member(c.village_a2)  # its history held at the township itself (own records)
    services.open_months(boss, c.village_a2, "2026-06", "2026-11")
    DuesMonth.objects.filter(member=extra).update(organization=c.town_a)
    period = Period(2026)
    ref = D(2026, 11, 1)
    listed = selectors.arrears(c.village_a1, months=6, ref=ref)
    assert paid.pk not in [r.member_id for r, _ in listed] and len(listed) == 2
    assert len(selectors.arrears(c.village_a1, months=3, ref=ref)) == 3

    def fig(org):
        figures = selectors.dues_figures(org, period)
        figures["members_in_arrears_6_months"] = selectors._arrears_count(org, 6, ref)
        return figures

    keys = ("dues_due_fen", "dues_paid_fen", "members_in_arrears_6_months")
    for org in (c.root, c.town_a, c.town_b):
        own = fig(org)
        kids = Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1)
        parts = [fig(child) for child in kids]
        own_rows = DuesMonth.objects.filter(organization=org)
        own_counts = {
            "dues_due_fen": sum(r.due_fen for r in own_rows),
            "dues_paid_fen": sum(r.paid_fen for r in own_rows),
            "members_in_arrears_6_months": len(
                [
                    r
                    for r, _ in selectors.arrears(org, months=6, ref=ref)
                    if r.organization_id == org.pk
                ]
            ),
        }
        for k in keys:
            assert own[k] == sum(p[k] for p in parts) + own_counts[k], (org, k)
    top = fig(c.root)
    assert top["dues_paid_fen"] == 20 and top["members_in_arrears_6_months"] == 9
    assert extra.pk in [r.member_id for r, _ in selectors.arrears(c.town_a, months=6, ref=ref)]
