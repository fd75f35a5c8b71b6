"""Organizational-life pages: meeting entry and records, the branch calendar, the compliance
overview with drill-down, member reviews, talks and participation records.

Every organization is looked up through `visible_orgs(user)` and every record through
`life.selectors`: anything outside the user's subtree is a 404. Writes go through
`life.services`, which check the permission again and audit; their errors are shown beside
the field they name. Each list has an .xlsx export scoped exactly like the page (the same
selector), and the API (`life.api`) reads through the same selectors.
"""

from .meetings import (
    attachment,
    meeting_approve,
    meeting_detail,
    meeting_export,
    meeting_list,
    meeting_new,
    meeting_void,
)
from .overview import calendar, calendar_grid, overview, overview_export
from .participation import participation, participation_export
from .plans import plan_cancel, plan_edit, plan_new
from .reviews import reviews, reviews_export
from .talks import talks, talks_export

__all__ = [
    "attachment",
    "calendar",
    "calendar_grid",
    "meeting_approve",
    "meeting_detail",
    "meeting_export",
    "meeting_list",
    "meeting_new",
    "meeting_void",
    "overview",
    "overview_export",
    "participation",
    "participation_export",
    "plan_cancel",
    "plan_edit",
    "plan_new",
    "reviews",
    "reviews_export",
    "talks",
    "talks_export",
]
