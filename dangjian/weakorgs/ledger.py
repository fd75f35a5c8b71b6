"""The one call into the rectification ledger (整改台账, supervision) and the one read of the
year's assessment (bottom grade), so that confirming a flag and detecting it each depend on
the lower apps in one place."""

import datetime

from dangjian.assessment import selectors as assessment
from dangjian.core import config
from dangjian.core.periods import Period
from dangjian.health.rules import add_months
from dangjian.supervision import services as supervision


def rectification_deadline(org, decided_on: datetime.date) -> datetime.date:
    return add_months(decided_on, config.get(org, "weakorgs.rectification_months"))


def problem_text(flag, findings) -> str:
    lines = [f"{f.get_criterion_display()}：{f.evidence}" for f in findings]
    return f"{flag.organization.name}被认定为{flag.year}年度软弱涣散党组织。" + "；".join(lines)


def open_rectification(
    actor, flag, findings, *, deadline, measure_kind="", measures="", guarantors=(), today=None
) -> str:
    """Open the flag's rectification item in supervision's ledger; its id, as the flag
    stores it."""
    kwargs = {
        "organization": flag.organization,
        "problem": problem_text(flag, findings),
        "deadline": deadline,
        "measures": measures,
        "guarantors": list(guarantors),
        "source": "weak_org",
        "source_ref": str(flag.pk),
        "today": today,
    }
    if measure_kind:
        kwargs["measure_kind"] = measure_kind
    return str(supervision.create_rectification_item(actor, **kwargs).pk)


def bottom_grades(root, year: int) -> list[tuple]:
    """[(organization id, grade, grade label, rank from the bottom)] of the organizations
    under `root` at the bottom of the year's published assessment (assessment.bottom_of:
    the lowest grade or the county's last places); [] when none is published."""
    labels = {code: label for code, label, _low in config.get(root, "assessment.grades")}
    return [
        (org_id, grade, labels.get(grade, grade or ""), rank)
        for org_id, _total, grade, rank in assessment.bottom_of(root, Period(year))
    ]


def lowest_grades(root) -> tuple:
    """The assessment's lowest grade (差) as the county set its grades."""
    grades = config.get(root, "assessment.grades")
    return (grades[-1][0],) if grades else ()
