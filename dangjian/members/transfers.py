"""Writes of transfers (组织关系转接) and mobile members (流动党员).

Who may act: the sending organization's managers (and those above) issue and cancel a
letter and record the receipt of a letter sent outside; the receiving organization's
managers receive, confirm or refuse one. The member stays in the sending organization until
the receiving one confirms; the confirmation moves them (services.move_record) in the same
transaction, with the transfer row locked first, so that two confirmations at once, or a
confirmation racing a cancellation, make exactly one move: a member is never in two
organizations or in none. Every write is audited; every error names its field in Chinese.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, config
from dangjian.core.services import Errors, invalid, require
from dangjian.core.text import hidden_characters, normalize_number
from dangjian.orgs.models import Organization
from dangjian.rollups import services as rollups

from . import rules, services
from .models import (
    OPEN_TRANSFER_STATUSES,
    Member,
    MobileDocument,
    MobileRecord,
    Transfer,
    TransferDirection,
    TransferStatus,
)
from .rules import member_keys


def _text(errors, field, label, value, max_len, *, required=True) -> str:
    value = "" if value is None else str(value).strip()
    if not value:
        if required:
            errors.add(field, _("请填写%(label)s") % {"label": label})
        return ""
    if len(value) > max_len:
        errors.add(field, _("%(label)s不能超过%(n)s字") % {"label": label, "n": max_len})
    elif found := hidden_characters(value):
        errors.add(
            field,
            _("%(label)s不能包含控制字符或不可见的格式字符（%(chars)s）")
            % {"label": label, "chars": "、".join(found)},
        )
    return value


def _date(errors, field, label, value, *, required=True, today=None):
    if value in (None, ""):
        if required:
            errors.add(field, _("请填写%(label)s") % {"label": label})
        return None
    if isinstance(value, datetime.date):
        day = value
    else:
        try:
            day = datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            errors.add(
                field, _("%(label)s“%(v)s”应写作 2026-03-01 这样") % {"label": label, "v": value}
            )
            return None
    if today is not None and day > today:
        errors.add(field, _("%(label)s不能晚于今天") % {"label": label})
    return day


def valid_months(org) -> int:
    return int(config.get(org, "members.transfer_letter_valid_months"))


def _locked(transfer: Transfer) -> Transfer:
    return (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("member", "from_organization", "to_organization")
        .get(pk=transfer.pk)
    )


def _check_open(transfer: Transfer, today: datetime.date, *, may_be_expired=False) -> None:
    if not transfer.is_open:
        raise invalid(
            "status",
            _("该介绍信%(status)s，不能再办理") % {"status": transfer.get_status_display()},
        )
    if not may_be_expired and rules.transfer_expired(transfer.status, transfer.valid_until, today):
        raise invalid(
            "valid_until",
            _("介绍信已于%(date)s过期，请转出组织撤销后重新开具")
            % {"date": transfer.valid_until.isoformat()},
        )


# ---- issuing ---------------------------------------------------------------------------------


@transaction.atomic
def issue(
    member: Member,
    *,
    to: Organization | None = None,
    outside_name: str = "",
    letter_number,
    issued_on=None,
    reason="",
    actor=None,
    today=None,
) -> Transfer:
    """The sending organization issues a transfer letter: to `to` inside the system, or to
    the organization named `outside_name` outside it. The member stays where they are."""
    require(actor, "members.change_member", member, _("您无权为该党员开具组织关系介绍信"))
    today = today or timezone.localdate()
    member = (
        Member.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=member.pk)
    )
    errors = Errors()
    if member.removed_on:
        errors.add("member", _("该党员已减少，不能转接"))
    if Transfer.objects.filter(member=member, status__in=OPEN_TRANSFER_STATUSES).exists():
        errors.add("member", _("%(name)s已有一份尚未办结的介绍信") % {"name": member.name})
    outside_name = _text(errors, "outside_name", _("转入组织"), outside_name, 120, required=False)
    if to is None and not outside_name:
        errors.add("to_organization", _("请选择转入组织，或填写系统外的转入组织名称"))
    elif to is not None and outside_name:
        errors.add("outside_name", _("转入组织已选择，系统外组织名称不必填写"))
    elif to is not None:
        if to.pk == member.organization_id:
            errors.add(
                "to_organization",
                _("%(name)s已在“%(org)s”") % {"name": member.name, "org": to.name},
            )
        else:
            try:
                services.check_organization(to)
            except ValidationError as e:
                errors.add("to_organization", e.message_dict["organization"][0])
    if error := rules.letter_number_error(letter_number):
        errors.add("letter_number", error)
    letter_number = (letter_number or "").strip()
    issued = _date(errors, "issued_on", _("开具日期"), issued_on or today, today=today)
    reason = _text(errors, "reason", _("转接原因"), reason, 200, required=False)
    errors.raise_any()
    try:
        with transaction.atomic():
            transfer = Transfer.objects.create(
                member=member,
                direction=TransferDirection.INSIDE if to else TransferDirection.OUT,
                from_organization=member.organization,
                to_organization=to,
                outside_name=outside_name,
                letter_number=letter_number,
                issued_on=issued,
                valid_until=rules.letter_valid_until(issued, valid_months(member.organization)),
                reason=reason,
                issued_by=audit.user_of(actor),
            )
    except IntegrityError:
        # Another letter for the member was issued at the same moment.
        raise invalid(
            "member", _("%(name)s已有一份尚未办结的介绍信") % {"name": member.name}
        ) from None
    audit.record(
        actor,
        "create",
        transfer,
        organization=member.organization,
        summary=f"开具组织关系介绍信 {letter_number}：{member.name}转往“{transfer.destination}”",
    )
    return transfer


@transaction.atomic
def cancel(transfer: Transfer, *, actor=None, today=None) -> Transfer:
    """The sender withdraws a letter not yet confirmed (also one refused or expired)."""
    transfer = _locked(transfer)
    require(actor, "members.change_member", transfer.member, _("您无权撤销该介绍信"))
    today = today or timezone.localdate()
    if transfer.status not in (*OPEN_TRANSFER_STATUSES, TransferStatus.REFUSED):
        raise invalid(
            "status",
            _("该介绍信%(status)s，不能撤销") % {"status": transfer.get_status_display()},
        )
    return _close(transfer, TransferStatus.CANCELLED, actor, today, "撤销介绍信")


def _close(transfer, status, actor, today, what, **fields) -> Transfer:
    old = transfer.status
    transfer.status, transfer.closed_on, transfer.closed_by = status, today, audit.user_of(actor)
    for k, v in fields.items():
        setattr(transfer, k, v)
    transfer.save()
    org = transfer.to_organization or transfer.from_organization
    audit.record(
        actor,
        "update",
        transfer,
        organization=org,
        summary=f"{what} {transfer.letter_number}：{transfer.member.name}",
        changes={"status": [old, status]},
    )
    return transfer


# ---- receiving -------------------------------------------------------------------------------


def _require_receiver(actor, transfer: Transfer, message):
    if transfer.to_organization_id is None:
        raise invalid("to_organization", _("转往系统外的介绍信由转出组织登记回执"))
    require(actor, "members.add_member", transfer.to_organization, message)


@transaction.atomic
def receive(transfer: Transfer, *, actor=None, on=None, today=None) -> Transfer:
    """The receiving organization has the letter (the member reported to it)."""
    transfer = _locked(transfer)
    _require_receiver(actor, transfer, _("您无权接收该介绍信"))
    today = today or timezone.localdate()
    _check_open(transfer, today, may_be_expired=True)
    if transfer.status == TransferStatus.RECEIVED:
        raise invalid("status", _("该介绍信已接收，请确认转入"))
    errors = Errors()
    day = _date(errors, "received_on", _("接收日期"), on or today, today=today)
    if day and day < transfer.issued_on:
        errors.add("received_on", _("接收日期不能早于开具日期"))
    errors.raise_any()
    _check_open(transfer, day)  # the letter is valid on the day it is received
    transfer.status, transfer.received_on = TransferStatus.RECEIVED, day
    transfer.received_by = audit.user_of(actor)
    transfer.save()
    audit.record(
        actor,
        "update",
        transfer,
        organization=transfer.to_organization,
        summary=f"接收介绍信 {transfer.letter_number}：{transfer.member.name}",
        changes={"status": [TransferStatus.ISSUED, TransferStatus.RECEIVED]},
    )
    return transfer


@transaction.atomic
def confirm(transfer: Transfer, *, actor=None, on=None, today=None) -> Transfer:
    """The receiving organization confirms: the member's record moves to it now.

    Inside the system only; a letter sent outside is closed by `record_receipt`."""
    transfer = _locked(transfer)
    _require_receiver(actor, transfer, _("您无权确认该介绍信"))
    today = today or timezone.localdate()
    _check_open(transfer, today, may_be_expired=True)
    member = transfer.member
    errors = Errors()
    day = _date(errors, "closed_on", _("转入日期"), on or today, today=today)
    if day and day < transfer.issued_on:
        errors.add("closed_on", _("转入日期不能早于开具日期"))
    errors.raise_any()
    _check_open(transfer, day)  # a letter not yet received must be valid on that day
    current = Member.objects.select_for_update().get(pk=member.pk)
    if current.removed_on:
        raise invalid("member", _("该党员已减少，不能转入"))
    if current.organization_id != transfer.from_organization_id:
        raise invalid("member", _("该党员已不在转出组织，介绍信作废，请撤销"))
    record = services.move_record(
        current,
        transfer.to_organization,
        on=day,
        reason=f"组织关系介绍信{transfer.letter_number}"
        + (f"：{transfer.reason}" if transfer.reason else ""),
        actor=actor,
    )
    if transfer.received_on is None:
        transfer.received_on, transfer.received_by = day, audit.user_of(actor)
    _end_mobile_for(current, day, _("组织关系已转接"), actor)
    return _close(transfer, TransferStatus.CONFIRMED, actor, day, "确认转入", move=record)


@transaction.atomic
def refuse(transfer: Transfer, *, reason, actor=None, today=None) -> Transfer:
    """The receiving organization sends the letter back: only with a reason (refusing
    without cause is barred); the sender then cancels it or issues a new one."""
    transfer = _locked(transfer)
    _require_receiver(actor, transfer, _("您无权退回该介绍信"))
    today = today or timezone.localdate()
    _check_open(transfer, today, may_be_expired=True)
    errors = Errors()
    reason = _text(errors, "refusal_reason", _("退回理由"), reason, 200)
    errors.raise_any()
    return _close(
        transfer, TransferStatus.REFUSED, actor, today, "退回介绍信", refusal_reason=reason
    )


@transaction.atomic
def record_receipt(transfer: Transfer, *, actor=None, on=None, today=None) -> Transfer:
    """A letter sent outside the system: the receipt (回执) came back, so the member leaves
    the roll here (removed with reason 转出 and the letter number)."""
    transfer = _locked(transfer)
    if transfer.direction != TransferDirection.OUT:
        raise invalid("direction", _("系统内的介绍信由转入组织确认"))
    require(actor, "members.remove_member", transfer.member, _("您无权登记该介绍信的回执"))
    today = today or timezone.localdate()
    _check_open(transfer, today, may_be_expired=True)
    errors = Errors()
    day = _date(errors, "closed_on", _("回执日期"), on or today, today=today)
    if day and day < transfer.issued_on:
        errors.add("closed_on", _("回执日期不能早于开具日期"))
    errors.raise_any()
    services.remove(
        transfer.member,
        reason=f"组织关系转出（转至{transfer.outside_name}，介绍信{transfer.letter_number}）",
        on=day,
        actor=None,  # permission checked above
    )
    _end_mobile_for(transfer.member, day, _("组织关系已转出"), actor)
    transfer.received_on = day
    return _close(transfer, TransferStatus.CONFIRMED, actor, day, "登记转出回执")


@transaction.atomic
def receive_from_outside(
    organization: Organization,
    *,
    outside_name,
    letter_number,
    issued_on,
    on=None,
    actor=None,
    today=None,
    tags=None,
    **member_data,
) -> Transfer:
    """A member transferred in from outside the system: registered in `organization` with
    the letter they brought (a closed transfer of direction "in")."""
    require(actor, "members.add_member", organization, _("您无权在该组织登记党员"))
    today = today or timezone.localdate()
    errors = Errors()
    outside_name = _text(errors, "outside_name", _("转出组织"), outside_name, 120)
    if error := rules.letter_number_error(letter_number):
        errors.add("letter_number", error)
    issued = _date(errors, "issued_on", _("开具日期"), issued_on, today=today)
    day = _date(errors, "received_on", _("接收日期"), on or today, today=today)
    if issued and day and day < issued:
        errors.add("received_on", _("接收日期不能早于开具日期"))
    errors.raise_any()
    member = services.create(organization, actor=actor, tags=tags, **member_data)
    transfer = Transfer.objects.create(
        member=member,
        direction=TransferDirection.IN,
        to_organization=organization,
        outside_name=outside_name,
        letter_number=letter_number.strip(),
        issued_on=issued,
        valid_until=rules.letter_valid_until(issued, valid_months(organization)),
        status=TransferStatus.CONFIRMED,
        received_on=day,
        received_by=audit.user_of(actor),
        closed_on=day,
        closed_by=audit.user_of(actor),
    )
    audit.record(
        actor,
        "create",
        transfer,
        organization=organization,
        summary=f"系统外转入 {transfer.letter_number}：{member.name}（来自“{outside_name}”）",
    )
    return transfer


# ---- mobile members --------------------------------------------------------------------------


def _set_mobile(member: Member, value: bool) -> None:
    if member.is_mobile == value:
        return
    old = member_keys(member)
    member.is_mobile = value
    member.save(update_fields=["is_mobile", "updated_at"])
    rollups.adjust(member.organization, rollups.delta(old, member_keys(member)))


@transaction.atomic
def start_mobile(
    member: Member,
    *,
    place,
    since,
    unit="",
    expected_until=None,
    fixed_place=True,
    document="",
    contact_member: Member | None = None,
    contact_name="",
    contact_phone="",
    actor=None,
    today=None,
) -> MobileRecord:
    """Register a member as away (流动党员). `document` defaults to the one the rules
    suggest for the duration (rules.suggested_document)."""
    require(actor, "members.change_member", member, _("您无权登记该党员外出"))
    today = today or timezone.localdate()
    member = (
        Member.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=member.pk)
    )
    errors = Errors()
    if member.removed_on:
        errors.add("member", _("该党员已减少"))
    if MobileRecord.objects.filter(member=member, ended_on__isnull=True).exists():
        errors.add("member", _("%(name)s已登记为流动党员") % {"name": member.name})
    place = _text(errors, "place", _("流入地"), place, 120)
    unit = _text(errors, "unit", _("工作单位或居住地址"), unit, 200, required=False)
    start = _date(errors, "since", _("外出日期"), since, today=today)
    until = _date(errors, "expected_until", _("预计返回日期"), expected_until, required=False)
    if start and until and until < start:
        errors.add("expected_until", _("预计返回日期不能早于外出日期"))
    fixed_place = fixed_place in (True, "true", "1", "on", "yes")
    if document:
        if document not in MobileDocument.values:
            errors.add("document", _("所持证明“%(v)s”不在可选范围内") % {"v": document})
    elif start and not errors.has("expected_until"):
        document = rules.suggested_document(start, until, fixed_place)
    contact_name = _text(errors, "contact_name", _("联系人"), contact_name, 40, required=False)
    contact_phone = normalize_number(
        _text(errors, "contact_phone", _("联系人电话"), contact_phone, 20, required=False)
    )
    if contact_member is not None:
        if contact_member.pk == member.pk:
            errors.add("contact_member", _("联系人不能是流动党员本人"))
        elif contact_member.removed_on:
            errors.add("contact_member", _("联系人应是在册党员"))
    elif not contact_name:
        errors.add("contact_name", _("请指定与其保持联系的党员，或填写联系人姓名和电话"))
    elif not contact_phone:
        errors.add("contact_phone", _("请填写联系人电话"))
    if contact_phone and not services.PHONE.match(contact_phone):
        errors.add("contact_phone", _("联系人电话“%(v)s”格式不正确") % {"v": contact_phone})
    errors.raise_any()
    record = MobileRecord.objects.create(
        member=member,
        place=place,
        unit=unit,
        since=start,
        expected_until=until,
        fixed_place=fixed_place,
        document=document,
        contact_member=contact_member,
        contact_name="" if contact_member else contact_name,
        contact_phone="" if contact_member else contact_phone,
        created_by=audit.user_of(actor),
    )
    _set_mobile(member, True)
    audit.record(
        actor,
        "create",
        record,
        organization=member.organization,
        summary=f"登记流动党员 {member.name}：{place}",
    )
    return record


def _end_mobile_for(member, day, reason, actor):
    for record in MobileRecord.objects.filter(member=member, ended_on__isnull=True):
        _end(record, day, str(reason), actor)


def _end(record, day, reason, actor):
    record.ended_on, record.end_reason = day, reason[:200]
    record.save(update_fields=["ended_on", "end_reason", "updated_at"])
    member = Member.objects.get(pk=record.member_id)
    _set_mobile(member, False)
    audit.record(
        actor,
        "update",
        record,
        organization=member.organization,
        summary=f"流动党员 {member.name} 结束外出：{reason}",
    )


@transaction.atomic
def end_mobile(record: MobileRecord, *, reason="", on=None, actor=None, today=None):
    """The member is back (or the record was transferred): the mobile record ends."""
    record = (
        MobileRecord.objects.select_for_update(of=("self",))
        .select_related("member")
        .get(pk=record.pk)
    )
    require(actor, "members.change_member", record.member, _("您无权修改该流动党员登记"))
    today = today or timezone.localdate()
    errors = Errors()
    if record.ended_on:
        errors.add("ended_on", _("该登记已于%(d)s结束") % {"d": record.ended_on.isoformat()})
    day = _date(errors, "ended_on", _("结束日期"), on or today, today=today)
    if day and day < record.since:
        errors.add("ended_on", _("结束日期不能早于外出日期"))
    reason = _text(errors, "end_reason", _("结束原因"), reason or _("返回"), 200)
    errors.raise_any()
    _end(record, day, reason, actor)
    return record


def may_act(actor, transfer: Transfer) -> dict:
    """Which actions `actor` may take on `transfer` now (for pages and the API)."""
    sender = actor.has_perm("members.change_member", transfer.member)
    receiver = transfer.to_organization_id is not None and actor.has_perm(
        "members.add_member", transfer.to_organization
    )
    open_ = transfer.is_open
    inside = transfer.direction == TransferDirection.INSIDE
    return {
        "receive": open_ and inside and receiver and transfer.status == TransferStatus.ISSUED,
        "confirm": open_ and inside and receiver,
        "refuse": open_ and inside and receiver,
        "receipt": open_ and transfer.direction == TransferDirection.OUT and sender,
        "cancel": sender
        and transfer.status in (*OPEN_TRANSFER_STATUSES, TransferStatus.REFUSED)
        and transfer.direction != TransferDirection.IN,
    }
