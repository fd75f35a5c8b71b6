"""Units (schools, hospitals, enterprises … and how the Party reaches them) have a history
page, for those who manage the unit's area (404 otherwise)."""

from django.urls import reverse

from dangjian.accounts.scoping import get_visible_or_404, org_q
from dangjian.core.audit import history_target

from .models import Unit


def find_unit(user, pk):
    # Closed units keep their history; the view checks core.view_history on the area.
    unit = get_visible_or_404(
        Unit.objects.filter(org_q(user, "area__")).select_related("area"), pk=pk
    )
    return unit, unit.area


def register():
    history_target(
        Unit,
        "unit",
        find_unit,
        url=lambda u: reverse("health:unit_edit", args=[u.area.code, u.pk]),
    )
