"""Desk items of venues and cadre pay: for a village's branch — this year's pay sheet to
prepare (or returned, to correct) and five-haves items missing at its venue (or no venue
recorded); for the townships and the county — sheets waiting for their confirmation and,
at the county, this year's pay rule not yet set."""

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.scoping import managed_paths
from dangjian.desk import registry

from . import selectors
from .models import SheetStatus
from .services import is_village_unit

LIMIT = 8


def branch_items(user, today) -> list:
    orgs = [o for o in registry.orgs_of(user, registry.BRANCH) if _is_village(o)]
    if not orgs:
        return []
    year = today.year
    lines, venue_lines = [], []
    for org in orgs[:LIMIT]:
        sheet = selectors.sheet_of(org, year)
        if sheet is None:
            lines.append(
                registry.Line(
                    _("%(org)s：%(year)s年报酬发放表待填报") % {"org": org.name, "year": year},
                    url=reverse("village:sheets") + f"?org={org.code}&year={year}",
                    badge="due",
                )
            )
        elif sheet.status in (SheetStatus.DRAFT, SheetStatus.RETURNED):
            lines.append(
                registry.Line(
                    _("%(org)s：%(year)s年报酬发放表%(s)s，待报送")
                    % {"org": org.name, "year": year, "s": sheet.get_status_display()},
                    url=reverse("village:sheet", args=[sheet.pk]),
                    badge="returned" if sheet.status == SheetStatus.RETURNED else "",
                )
            )
        venue = selectors.venue_of(org)
        url = reverse("village:venue", args=[org.code])
        if venue is None:
            venue_lines.append(
                registry.Line(_("%(org)s：尚未登记活动场所") % {"org": org.name}, url=url)
            )
        elif not venue.five_haves:
            venue_lines.append(
                registry.Line(
                    _("%(org)s：“五有”缺%(items)s")
                    % {"org": org.name, "items": "、".join(venue.missing_haves)},
                    url=url,
                )
            )
    return [
        registry.Item(_("村干部报酬发放表"), lines),
        registry.Item(_("活动场所“五有”"), venue_lines),
    ]


def _is_village(org) -> bool:
    return is_village_unit(org)


def upper_items(user, today) -> list:
    paths = [o.path for o in registry.orgs_of(user, registry.UPPER)] or managed_paths(user)
    if not paths:
        return []
    items = []
    year = today.year
    counties = list(selectors.counties_without_rule(paths, year)[:LIMIT])
    if counties:
        items.append(
            registry.Item(
                _("村干部报酬标准未设定"),
                [
                    registry.Line(
                        _("%(org)s：%(year)s年报酬标准尚未设定") % {"org": c.name, "year": year},
                        url=reverse("village:rule", args=[c.code]) + f"?year={year}",
                        badge="due",
                    )
                    for c in counties
                ],
            )
        )
    waiting = selectors.sheets_to_confirm(paths)
    rows = list(waiting[:LIMIT])
    items.append(
        registry.Item(
            _("报酬发放表待确认"),
            [
                registry.Line(
                    f"{s.organization.name} {s.year}",
                    url=reverse("village:sheet", args=[s.pk]),
                )
                for s in rows
            ],
            count=waiting.count() if len(rows) == LIMIT else None,
            more_url=reverse("village:sheets") + "?status=submitted",
        )
    )
    return items


def register_all() -> None:
    registry.register("village.branch", branch_items, roles=(registry.BRANCH,), order=75)
    registry.register("village.upper", upper_items, roles=(registry.UPPER,), order=75)
