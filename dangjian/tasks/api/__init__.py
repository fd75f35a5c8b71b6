"""/api/tasks/: the list-based mechanism — assignments (交办单), report-backs (晒账单), pledges.

One module per sub-domain (`assignments`, `report_backs`, `pledges`), their routes on the
one `router` of `common`, mounted by the api app as `tasks.router`.

Scoping, as everywhere in the API, is `tasks.selectors` — the same reads as the pages and
the exports: anything the caller may not see is a 404, whether it exists or not.
- an assignment is seen by the managers of its issuer (or of an organization above it) and
  by its receivers' side (a report-back's organization in the caller's scope);
- the board of one assignment (`/assignments/{id}/report-backs`) is
  `selectors.visible_report_backs`: a branch sees the other receivers' report-backs only
  when it received the assignment too and the board is shared; a report-back is written by
  its receiver's side and reviewed by the issuer's side, or by the receiver's parent level
  when the assignment says so (`reviewer="parent"`) (`action="act"`);
- a receiver relays (转办) from its report-back (`/report-backs/{id}/relay`): the relay is an
  assignment of its own, issued by the receiver, listed under `/assignments/{id}/relays`,
  with its `chain` of issuers;
- a pledge is seen by the responsible organization's side and the issuer's managers.
Permissions (who may issue, report, accept, sign) are checked by `tasks.services`: 403.
"""

from dangjian.core.api.errors import register_labels

from . import assignments, pledges, report_backs  # noqa: F401  (their routes, in this order)
from .common import TASK_LABELS, router

register_labels("/tasks", TASK_LABELS)

__all__ = ["router"]
