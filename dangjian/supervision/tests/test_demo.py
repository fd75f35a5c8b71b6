"""The demo's year of supervision: the rows are those the services would make (each overdue
item has its one order, so the daily job adds none; each phone spot check's stored sample
is the draw from its seed), deterministic, and every closed inspection has its notice."""

import datetime

import pytest

from dangjian.demo import activity, supervision_year
from dangjian.notices.models import Notice
from dangjian.supervision import rules, services
from dangjian.supervision.models import (
    Inspection,
    ItemStatus,
    RectificationItem,
    SupervisionOrder,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)


def year(seed=3):
    made = activity.Activity(seed, TODAY)
    supervision_year.run(made)
    return made.made


def state():
    return sorted(
        RectificationItem.objects.values_list("organization_id", "problem", "status", "deadline")
    )


def test_the_demo_year_is_what_the_services_would_have_made(county):
    made = year()
    assert made["inspections"] > 60 and made["rectification_items"] > 10
    last = TODAY - datetime.timedelta(days=1)
    overdue = RectificationItem.objects.filter(
        status__in=(ItemStatus.OPEN, ItemStatus.IN_PROGRESS), deadline__lt=last
    )
    assert overdue.exists()
    assert not overdue.filter(order__isnull=True).exists()
    assert services.issue_overdue_orders(last) == 0
    assert SupervisionOrder.objects.count() == made["supervision_orders"]
    # Rectified items are signed off with a date, and have their progress recorded.
    for item in RectificationItem.objects.filter(status=ItemStatus.RECTIFIED):
        assert item.rectified_on and item.rectified_on <= last and item.signed_off_name
        assert item.progress_notes.exists()
    # Every stored sample is the draw from its seed.
    for rec in Inspection.objects.filter(kind="phone_check"):
        stored = list(rec.sample.values_list("organization_id", flat=True))
        assert stored == rules.draw_sample(
            services.sample_candidates(rec.organization), 10, rec.sample_seed
        )
    closed = Inspection.objects.filter(status="closed")
    assert closed.count() == made["inspection_notices"] == Notice.objects.count()
    assert not closed.filter(notice__isnull=True).exists()
    assert Inspection.objects.filter(status="open").exists()  # the latest still open


def test_the_demo_year_is_deterministic(county):
    from dangjian.supervision.models import InspectionPlan, Interview

    year(seed=5)
    first = state()
    for model in (Interview, SupervisionOrder, RectificationItem, Inspection, InspectionPlan):
        model.objects.all().delete()
    Notice.objects.all().delete()
    year(seed=5)
    assert state() == first
