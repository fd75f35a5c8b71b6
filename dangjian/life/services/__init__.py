"""Every write of organizational life goes through here, one module per sub-domain;
compliance is computed here. Callers use `life.services.<name>`."""

from .compliance import (  # noqa: F401
    compliance,
    compliance_by_child,
    counted_kinds,
    daily_refresh_missed,
    ensure_missed,
    last_finished,
    meetings_held,
    missed_counts,
    records_from,
    refresh_missed,
    refresh_missed_of,
    secretary_lectures,
)
from .meetings import (  # noqa: F401
    MEETING_FIELDS,
    MEETING_SOURCE,
    approve_late_entry,
    approver_org,
    attendance_summary,
    clean_attendance,
    eligible_attendees,
    late_entry_deadline,
    meeting_keys,
    record_meeting,
    void_meeting,
)
from .participation import (  # noqa: F401
    ALL_MEMBER_KINDS,
    participation,
    register_leader,
)
from .plans import (  # noqa: F401
    PLAN_FIELDS,
    cancel_plan,
    edit_plan,
    plan_meeting,
)
from .reminders import (  # noqa: F401
    REMIND_DAYS_BEFORE,
    missing_meeting_reminders,
)
from .reviews import (  # noqa: F401
    record_reviews,
    record_talk,
    review_summary,
    talk_coverage,
)
