"""Every state change of the tasks app goes through a function here: one transaction,
permission checked, audited. Progress and summed figures are read over the subtree in SQL.

One module per sub-domain: `assignments` (receivers, issue, revise, withdraw),
`report_backs` (fields, report, accept, return, progress roll-up, reminders), `pledges`,
`projects` (work meetings and secretary projects), `figures` (for the stats). Callers
use `from dangjian.tasks import services` and `services.issue(...)`, as before the split.
"""

from .assignments import (
    ANALYZE_AFTER,
    MISSING_SHOWN,
    REVISABLE,
    copy_paths,
    copy_paths_after_move,
    issue,
    revise,
    select_receivers,
    withdraw,
)
from .figures import (
    task_figures,
)
from .pledges import (
    cascade,
    create_pledge,
    effective_progress,
    is_met,
    sign,
    update_target,
)
from .projects import (
    add_plan_item,
    create_project,
    record_work_meeting,
    update_plan_item,
    update_project,
)
from .report_backs import (
    REPORT_COLUMNS,
    accept,
    assignment_period,
    bound_figure,
    fields_of,
    models_deadline,
    prefill,
    progress,
    report,
    report_back_reminders,
    return_,
    summed_values,
    totals,
)

__all__ = [
    "ANALYZE_AFTER",
    "MISSING_SHOWN",
    "REPORT_COLUMNS",
    "REVISABLE",
    "accept",
    "add_plan_item",
    "bound_figure",
    "assignment_period",
    "cascade",
    "copy_paths",
    "copy_paths_after_move",
    "create_pledge",
    "create_project",
    "effective_progress",
    "fields_of",
    "is_met",
    "issue",
    "models_deadline",
    "prefill",
    "progress",
    "record_work_meeting",
    "report",
    "report_back_reminders",
    "return_",
    "revise",
    "select_receivers",
    "sign",
    "summed_values",
    "task_figures",
    "totals",
    "update_plan_item",
    "update_project",
    "update_target",
    "withdraw",
]
