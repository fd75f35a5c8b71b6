"""One organization's figures, rolled up over its subtree, as one plain dict.

This is what `dangjian stats CODE --json` prints and /api/stats/{code} returns. Each later
domain adds its figures here, computed from the same roll-ups, so every count equals the sum
over the child organizations plus the organization's own records.
"""

from django.utils import timezone

from dangjian.assessment import selectors as assessment
from dangjian.core.periods import Period
from dangjian.development.selectors import development_figures
from dangjian.dues.selectors import dues_figures
from dangjian.governance.selectors import governance_figures
from dangjian.health import services as health
from dangjian.life import services as life
from dangjian.members.models import Category, Education, Gender, Occupation, Status
from dangjian.members.rules import (
    AGE_BANDS,
    AGE_BANDS_10,
    UNKNOWN_OCCUPATION,
    age_band_counts,
    education_report_counts,
)
from dangjian.orgs.models import Kind, Sector
from dangjian.points.selectors import points_figures
from dangjian.rollups import services
from dangjian.service import selectors as service
from dangjian.supervision.selectors import supervision_figures
from dangjian.tasks import services as tasks
from dangjian.training.selectors import training_figures
from dangjian.village.selectors import village_figures
from dangjian.weakorgs.selectors import weak_figures


def _group(figures: dict, prefix: str, choices) -> dict[str, int]:
    return {value: figures.get(f"{prefix}.{value}", 0) for value in choices.values}


def age_bands(figures: dict, as_of_year: int, bands=AGE_BANDS) -> dict[str, int]:
    """Members by age band: 5-year steps, or `bands` (AGE_BANDS_10 for the coarser view)."""
    return dict(age_band_counts(figures, as_of_year, bands))


def member_figures(figures: dict, as_of_year: int) -> dict:
    return {
        "members": figures.get("members", 0),
        "members_by_status": _group(figures, "members.status", Status),
        "members_by_category": _group(figures, "members.category", Category),
        "members_by_gender": _group(figures, "members.gender", Gender),
        "members_by_education": _group(figures, "members.education", Education),
        # The rows of the annual Party statistics: 初中 and 小学及以下 as 初中及以下.
        "members_by_education_report": {
            row: n for row, _label, n in education_report_counts(figures)
        },
        "members_by_occupation": {
            **_group(figures, "members.occupation", Occupation),
            UNKNOWN_OCCUPATION: figures.get(f"members.occupation.{UNKNOWN_OCCUPATION}", 0),
        },
        "members_by_age_band": age_bands(figures, as_of_year),
        "members_by_age_band_10": age_bands(figures, as_of_year, AGE_BANDS_10),
        "mobile_members": figures.get("members.mobile", 0),
    }


def life_figures(org, period: Period) -> dict:
    compliance = life.compliance(org, period)["total"]
    return {
        "meetings": life.meetings_held(org, period),
        "meeting_compliance": compliance.rate,
        "meeting_slots": compliance.as_dict(),
    }


def health_figures(org) -> dict:
    counts = health.election_counts(org)
    return {
        "elections_due": counts["elections_due"],
        "elections_overdue": counts["elections_overdue"],
        "coverage": health.coverage(org),
        "instructors": health.instructors(org),
    }


def task_figures(org, period: Period) -> dict:
    return tasks.task_figures(org, period)


def stats_for(org, period: Period | None = None) -> dict:
    """Figures of `org` over its subtree; period-bound figures use `period` (default: the
    current year)."""
    figures = services.figures(org)
    today = timezone.localdate()
    as_of_year = period.end.year if period else today.year
    period = period or Period(today.year)
    children = list(org.children().active().values_list("code", flat=True))
    return {
        "code": org.code,
        "name": org.name,
        "kind": org.kind,
        "dissolved_on": str(org.dissolved_on) if org.dissolved_on else None,
        "period": str(period),
        "children": children,
        "organizations": figures.get("organizations", 0),
        "grassroots_organizations": figures.get("grassroots_organizations", 0),
        "groups": figures.get("groups", 0),
        "organizations_by_kind": _group(figures, "organizations.kind", Kind),
        "organizations_by_sector": _group(figures, "organizations.sector", Sector),
        **member_figures(figures, as_of_year),
        **life_figures(org, period),
        **health_figures(org),
        **task_figures(org, period),
        **governance_figures(org, period),
        # grade (this organization's, where assessed) and organizations_by_grade (subtree).
        **assessment.assessment_figures(org, period),
        **points_figures(org, period),
        **service.service_figures(org, period),
        **supervision_figures(org, period),
        **weak_figures(org, period),
        **development_figures(org, period),
        **dues_figures(org, period),
        **training_figures(org, period),
        **village_figures(org, period),
    }
