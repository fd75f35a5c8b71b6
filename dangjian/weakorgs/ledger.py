"""The one call into the rectification ledger (整改台账, supervision) and into the year's
assessment (bottom grade), so that confirming a flag and detecting it each depend on the
lower apps in one place."""

import datetime

from dangjian.core import config
from dangjian.health.rules import add_months


def rectification_deadline(org, decided_on: datetime.date) -> datetime.date:
    return add_months(decided_on, config.get(org, "weakorgs.rectification_months"))


def problem_text(flag, findings) -> str:
    lines = [f"{f.get_criterion_display()}：{f.evidence}" for f in findings]
    return f"{flag.organization.name}被认定为{flag.year}年度软弱涣散党组织。" + "；".join(lines)


def _create_item():
    """supervision.services.create_rectification_item, or None while supervision has none."""
    try:
        from dangjian.supervision import services as supervision
    except ImportError:
        return None
    return getattr(supervision, "create_rectification_item", None)


def available() -> bool:
    return _create_item() is not None


def open_rectification(
    actor, flag, findings, *, deadline, measure_kind="", measures="", guarantors=(), today=None
) -> str:
    """Open the flag's rectification item in supervision's ledger; its id ("" while the
    ledger is not there to receive it)."""
    create = _create_item()
    if create is None:
        return ""
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
    item = create(actor, **kwargs)
    return str(getattr(item, "pk", item) or "")


# The assessment's lowest grade(s) (差), whatever the rank.
BOTTOM_GRADES = ("poor",)


def bottom_grades(root, year: int) -> list[tuple]:
    """[(organization id, grade, grade label, rank from the bottom)] of the year's
    assessment under `root` ([] while assessment has no bottom ranking)."""
    try:
        from dangjian.assessment import selectors as assessment
    except ImportError:
        return []
    bottom_of = getattr(assessment, "bottom_of", None)
    if bottom_of is None:
        return []
    from dangjian.core.periods import Period

    return [
        (org_id, grade, str(grade), rank)
        for org_id, _total, grade, rank in bottom_of(root, Period(year))
    ]
