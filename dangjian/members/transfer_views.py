"""Pages of transfers and mobile members: an organization's transfer ledger (pending first)
and mobile members, the issue form from the member page, the receiver's and sender's
actions, the .xlsx ledgers. Reads through members.selectors, writes through
members.transfers; a record outside the user's subtree is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.scoping import get_visible_or_404
from dangjian.core.files import xlsx_response
from dangjian.core.forms import normalize_code, run_service
from dangjian.core.toolkit import subtree_phrase
from dangjian.orgs.models import Organization
from dangjian.orgs.selectors import visible_orgs

from . import exports, rules, transfers
from .forms import MobileForm, TransferActionForm, TransferForm, TransferInForm
from .models import TransferStatus
from .selectors import (
    find_mobile,
    find_transfer,
    mark_outgoing,
    member_named,
    org_mobile,
    org_transfers,
    visible_members,
)

LIMIT = 500


def _org(request, code):
    return get_visible_or_404(visible_orgs(request.user), code=normalize_code(code))


def _member(request, pk):
    return get_visible_or_404(visible_members(request.user).select_related("organization"), pk=pk)


@login_required
def transfer_list(request, code):
    org = _org(request, code)
    status = request.GET.get("status", "")
    if status not in TransferStatus.values:
        status = ""
    today = timezone.localdate()
    rows = mark_outgoing(list(org_transfers(request.user, org, status=status)[:LIMIT]), org)
    for t in rows:
        t.expired = rules.transfer_expired(t.status, t.valid_until, today)
        t.can = transfers.may_act(request.user, t)
    context = {
        "nav": "transfers",
        "org": org,
        "rows": rows,
        "status": status,
        "statuses": TransferStatus.choices,
        "today": today,
        "can_add": request.user.has_perm("members.add_member", org) and not org.is_dissolved,
    }
    return render(request, "members/transfers.html", context)


@login_required
def transfer_export(request, code):
    org = _org(request, code)
    rows = org_transfers(request.user, org).order_by("-issued_on", "-id")
    out = exports.transfers(
        rows.iterator(), scope=subtree_phrase(org), today=timezone.localdate(), user=request.user
    )
    return xlsx_response(out, "组织关系转接台账")


@login_required
def transfer_issue(request, pk):
    member = _member(request, pk)
    if not request.user.has_perm("members.change_member", member) or member.removed_on:
        raise PermissionDenied
    form = TransferForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        code = normalize_code(data["to_organization"])
        to = None
        if code:
            to = Organization.objects.filter(code=code, dissolved_on__isnull=True).first()
            if to is None:
                form.add_error(
                    "to_organization", _("未找到组织编码为“%(code)s”的组织") % {"code": code}
                )
        if not form.errors:
            t = run_service(
                form,
                lambda: transfers.issue(
                    member,
                    to=to,
                    outside_name=data["outside_name"],
                    letter_number=data["letter_number"],
                    issued_on=data["issued_on"],
                    reason=data["reason"],
                    actor=request.user,
                ),
            )
            if t:
                return redirect("members:transfers", code=member.organization.code)
    back = {"pk": member.pk, "name": member.name, "kind": "member"}
    return render(
        request,
        "members/form.html",
        {
            "nav": "transfers",
            "form": form,
            "title": _("开具组织关系介绍信：%(name)s") % {"name": member.name},
            "back": back,
        },
    )


ACTIONS = {
    "receive": lambda t, user, data: transfers.receive(t, actor=user, on=data.get("on")),
    "confirm": lambda t, user, data: transfers.confirm(t, actor=user, on=data.get("on")),
    "refuse": lambda t, user, data: transfers.refuse(t, reason=data.get("reason"), actor=user),
    "cancel": lambda t, user, data: transfers.cancel(t, actor=user),
    "receipt": lambda t, user, data: transfers.record_receipt(t, actor=user, on=data.get("on")),
}


@login_required
def transfer_detail(request, pk):
    t = find_transfer(request.user, pk)
    today = timezone.localdate()
    t.expired = rules.transfer_expired(t.status, t.valid_until, today)
    context = {
        "nav": "transfers",
        "t": t,
        "can": transfers.may_act(request.user, t),
        "form": TransferActionForm(),
        "home": t.to_organization or t.from_organization,
    }
    return render(request, "members/transfer.html", context)


@login_required
@require_POST
def transfer_act(request, pk, action):
    t = find_transfer(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    if not transfers.may_act(request.user, t).get(action):
        raise PermissionDenied
    form = TransferActionForm(request.POST)
    if form.is_valid() and run_service(
        form, lambda: ACTIONS[action](t, request.user, form.cleaned_data)
    ):
        return redirect("members:transfer", pk=t.pk)
    t.expired = rules.transfer_expired(t.status, t.valid_until, timezone.localdate())
    context = {
        "nav": "transfers",
        "t": t,
        "can": transfers.may_act(request.user, t),
        "form": form,
        "home": t.to_organization or t.from_organization,
    }
    return render(request, "members/transfer.html", context, status=200)


@login_required
def transfer_in(request, code):
    """Register a member transferred in from outside the system (with their letter)."""
    org = _org(request, code)
    if not request.user.has_perm("members.add_member", org) or org.is_dissolved:
        raise PermissionDenied
    form = TransferInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        letter = {k: data.pop(k) for k in ("outside_name", "letter_number", "issued_on")}
        on = data.pop("received_on")
        tags = data.pop("tags")
        t = run_service(
            form,
            lambda: transfers.receive_from_outside(
                org, on=on, actor=request.user, tags=tags, **letter, **data
            ),
            field_map={"received_on": "received_on"},
        )
        if t:
            return redirect("members:detail", pk=t.member_id)
    back = {"url": org.code, "name": org.name, "kind": "org"}
    return render(
        request,
        "members/form.html",
        {
            "nav": "transfers",
            "form": form,
            "title": _("登记从系统外转入的党员：%(name)s") % {"name": org.name},
            "back": back,
        },
    )


# ---- mobile members --------------------------------------------------------------------------


@login_required
def mobile_list(request, code):
    org = _org(request, code)
    ended = request.GET.get("ended") == "1"
    rows = list(org_mobile(request.user, org, include_ended=ended)[:LIMIT])
    for r in rows:
        r.should_transfer = r.ended_on is None and rules.should_transfer(
            r.since, r.expected_until, r.fixed_place
        )
    places = {}
    for r in rows:
        if r.ended_on is None:
            places[r.place] = places.get(r.place, 0) + 1
    together = sorted(
        (p for p, n in places.items() if rules.may_form_temporary_branch(n)),
    )
    context = {"nav": "transfers", "org": org, "rows": rows, "ended": ended, "together": together}
    return render(request, "members/mobile.html", context)


@login_required
def mobile_export(request, code):
    org = _org(request, code)
    rows = org_mobile(request.user, org, include_ended=request.GET.get("ended") == "1")
    out = exports.mobile(rows.iterator(), scope=subtree_phrase(org), user=request.user)
    return xlsx_response(out, "流动党员台账")


@login_required
def mobile_start(request, pk):
    member = _member(request, pk)
    if not request.user.has_perm("members.change_member", member) or member.removed_on:
        raise PermissionDenied
    form = MobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        contact = None
        if data["contact_member"]:
            try:
                contact = member_named(request.user, member.organization, data["contact_member"])
            except ValidationError as e:
                form.add_error("contact_member", e.message_dict["member"][0])
        data["contact_member"] = contact
        if not form.errors and run_service(
            form, lambda: transfers.start_mobile(member, actor=request.user, **data)
        ):
            return redirect("members:mobile", code=member.organization.code)
    back = {"pk": member.pk, "name": member.name, "kind": "member"}
    return render(
        request,
        "members/form.html",
        {
            "nav": "transfers",
            "form": form,
            "title": _("登记流动党员：%(name)s") % {"name": member.name},
            "back": back,
        },
    )


@login_required
@require_POST
def mobile_end(request, pk):
    record = find_mobile(request.user, pk)
    if not request.user.has_perm("members.change_member", record.member):
        raise PermissionDenied
    form = TransferActionForm(request.POST)
    form.is_valid()
    try:
        transfers.end_mobile(
            record,
            reason=request.POST.get("reason", ""),
            on=form.cleaned_data.get("on"),
            actor=request.user,
        )
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    return redirect("members:mobile", code=record.member.organization.code)


def transfer_panel(user, org, today):
    """The organization page's section of open transfers into and out of it, and its mobile
    members (for its managers)."""
    if not user.has_perm("members.change_member", org):
        return None
    from .selectors import org_mobile, pending_transfers

    incoming = list(pending_transfers(org, incoming=True)[:20])
    outgoing = list(pending_transfers(org, incoming=False)[:20])
    mobile = org_mobile(user, org).filter(member__organization=org).count()
    if not incoming and not outgoing and not mobile:
        return None
    for t in incoming + outgoing:
        t.expired = rules.transfer_expired(t.status, t.valid_until, today)
    return {
        "template": "members/_transfer_panel.html",
        "incoming": incoming,
        "outgoing": outgoing,
        "mobile": mobile,
        "org": org,
    }
