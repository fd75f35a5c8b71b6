"""The history (audit events) of one record, for those who manage its organization."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404
from django.shortcuts import render

from dangjian.accounts.scoping import get_visible_or_404, org_q, visible_members, visible_orgs
from dangjian.members.models import Member
from dangjian.members.rules import mask_id_number, mask_phone
from dangjian.orgs.models import Officer, Organization

from .audit import history as audit_history
from .audit import target_type


def _organization(user, pk):
    org = get_visible_or_404(visible_orgs(user), pk=pk)
    return org, org


def _member(user, pk):
    member = get_visible_or_404(visible_members(user).select_related("organization"), pk=pk)
    return member, member.organization


def _officer(user, pk):
    officer = get_visible_or_404(
        Officer.objects.filter(org_q(user, "organization__")).select_related(
            "organization", "member"
        ),
        pk=pk,
    )
    return officer, officer.organization


MASKERS = {"id_number": mask_id_number, "phone": mask_phone}


def change_rows(record, changes, masked):
    """(field label, old, new) rows; ID numbers and phones masked for those not allowed."""
    rows = []
    for field, pair in (changes or {}).items():
        old, new = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        if masked and field in MASKERS:
            old, new = (MASKERS[field](v) if isinstance(v, str) else v for v in (old, new))
        try:
            label = str(record._meta.get_field(field).verbose_name)
        except FieldDoesNotExist:
            label = field
        rows.append((label, old, new))
    return rows


# URL type → finder of (record, the organization it hangs on). Short names and the
# "app.model" labels used in the audit log are both accepted.
FINDERS = {
    "organization": _organization,
    "member": _member,
    "officer": _officer,
}
for _model, _finder in ((Organization, _organization), (Member, _member), (Officer, _officer)):
    FINDERS[_model._meta.label_lower] = _finder


@login_required
def history(request, type, id):
    finder = FINDERS.get(type)
    if finder is None or not str(id).isdigit():
        raise Http404
    record, org = finder(request.user, int(id))
    # Outside the subtree or without the right: the same 404, so nothing leaks.
    if not request.user.has_perm("core.view_history", org):
        raise Http404
    events = list(audit_history(record)[:500])
    masked = isinstance(record, Member) and not request.user.has_perm(
        "members.view_id_number", record
    )
    for event in events:
        event.rows = change_rows(record, event.changes, masked)
    return render(
        request,
        "core/history.html",
        {
            "nav": "orgs",
            "record": record,
            "record_type": target_type(record),
            "organization": org,
            "events": events,
        },
    )
