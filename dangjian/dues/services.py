"""Writes of dues. Each checks who may (managers of the branch and those above; a hardship
reduction is approved strictly above the branch), collects every error of the input at once
(in Chinese, naming the field and, for the month form, the member), runs in a transaction
and is audited. Money is integer fen; yuan are read as Decimal text, never float."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, config
from dangjian.core.periods import Period, PeriodError
from dangjian.core.services import Errors, require
from dangjian.members.models import Member

from . import rules
from .models import DuesBase, DuesCategory, DuesMonth, ExtraPayment

PERM = "dues.record"


class Scheme:
    """The dues settings in force at an organization, parsed once."""

    def __init__(self, org):
        self.employed = rules.brackets_of(config.get(org, "dues.employed_brackets"))
        self.retired = rules.brackets_of(config.get(org, "dues.retired_brackets"))
        low, high = config.get(org, "dues.rural_range")
        self.rural_low, self.rural_high = rules.yuan_to_fen(low), rules.yuan_to_fen(high)
        self.rural_fen = rules.yuan_to_fen(config.get(org, "dues.rural_default"))
        self.flat_fen = rules.yuan_to_fen(config.get(org, "dues.flat"))
        self.extra_fen = rules.yuan_to_fen(config.get(org, "dues.extra_to_centre_yuan"))
        self.warn_months = config.get(org, "dues.arrears_warn_months")
        self.leave_months = config.get(org, "dues.arrears_months")

    def monthly(self, category, base_fen, *, reduced_fen=None, exempt=False, rural_fen=None):
        return rules.monthly_due_fen(
            category,
            base_fen,
            employed=self.employed,
            retired=self.retired,
            rural_fen=self.rural_fen if rural_fen is None else rural_fen,
            flat_fen=self.flat_fen,
            reduced_fen=reduced_fen,
            exempt=exempt,
        )

    def default_for(self, member) -> int | None:
        """The monthly fen of a member without a base: known for rural, student and other
        members; None for employed and retired (an income base is needed)."""
        category = rules.category_of(member.category)
        if category in rules.WITH_INCOME:
            return None
        return self.monthly(category, 0)


def _yuan(errors, field, label, value, *, required=True):
    if value in (None, ""):
        if required:
            errors.add(field, _("请填写%(label)s") % {"label": label})
        return None
    try:
        return rules.yuan_to_fen(value)
    except ValueError:
        errors.add(
            field,
            _("%(label)s“%(v)s”应为不小于0、最多两位小数的金额（元），例如 3000.00")
            % {"label": label, "v": value},
        )
        return None


def _month(errors, field, label, value):
    if isinstance(value, datetime.date):
        return rules.month_start(value)
    if isinstance(value, Period) and value.month:
        return value.start
    try:
        period = Period.parse(str(value or ""))
    except PeriodError:
        period = None
    if period is None or not period.month:
        errors.add(field, _("%(label)s“%(v)s”应写作 2026-03 这样") % {"label": label, "v": value})
        return None
    return period.start


def _date(errors, field, label, value, today):
    if value in (None, ""):
        return today
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
    if day > today:
        errors.add(field, _("%(label)s不能晚于今天") % {"label": label})
    return day


def base_at(member_id, month) -> DuesBase | None:
    return (
        DuesBase.objects.filter(member_id=member_id, effective_from__lte=month)
        .order_by("-effective_from")
        .first()
    )


def _refresh_dues(member, first, scheme=None) -> int:
    """Re-derive due_fen of the member's ledger rows from month `first` on."""
    bases = list(DuesBase.objects.filter(member=member).order_by("effective_from"))
    n = 0
    for row in DuesMonth.objects.filter(member=member, month__gte=first):
        current = [b for b in bases if b.effective_from <= row.month]
        if not current:
            continue
        due = current[-1].monthly_fen
        if due != row.due_fen:
            row.due_fen = due
            row.save(update_fields=["due_fen", "updated_at"])
            n += 1
    return n


@transaction.atomic
def set_base(
    actor,
    member: Member,
    *,
    effective_from,
    category,
    base_yuan="",
    rural_yuan="",
    exempt=False,
    reduced_yuan="",
    reason="",
) -> DuesBase:
    """A (re-)base: the new amount applies from the month the new pay starts; later ledger
    rows of the member are re-derived. A reduction or exemption needs a reason and waits for
    the next committee's approval (approve_reduction)."""
    require(actor, PERM, member, _("您无权核定该党员的党费基数"))
    errors = Errors()
    month = _month(errors, "effective_from", _("起始月份"), effective_from)
    if category not in DuesCategory.values:
        errors.add("category", _("请选择交纳类别"))
    scheme = Scheme(member.organization)
    base_fen = 0
    if category in rules.WITH_INCOME:
        base_fen = _yuan(errors, "base_yuan", _("计算基数"), base_yuan)
    rural_fen = None
    if category == rules.RURAL and rural_yuan not in (None, ""):
        rural_fen = _yuan(errors, "rural_yuan", _("农民党员月交纳额"), rural_yuan)
        if rural_fen is not None and not scheme.rural_low <= rural_fen <= scheme.rural_high:
            errors.add(
                "rural_yuan",
                _("农民党员每月交纳%(low)s元至%(high)s元")
                % {
                    "low": rules.fen_to_yuan(scheme.rural_low),
                    "high": rules.fen_to_yuan(scheme.rural_high),
                },
            )
    reduced_fen = _yuan(errors, "reduced_yuan", _("少交后月交纳额"), reduced_yuan, required=False)
    reason = (reason or "").strip()
    if (exempt or reduced_fen is not None) and not reason:
        errors.add("reason", _("少交或免交党费须写明理由"))
    if len(reason) > 200:
        errors.add("reason", _("理由不能超过200字"))
    if month is not None and month < rules.first_due_month(member.joined_on):
        errors.add("effective_from", _("起始月份不能早于入党（接收为预备党员）的月份"))
    errors.raise_any()
    normal = scheme.monthly(category, base_fen or 0, rural_fen=rural_fen)
    if reduced_fen is not None and reduced_fen >= normal and not exempt:
        errors.add(
            "reduced_yuan",
            _("少交后月交纳额应少于按规定应交的%(n)s元") % {"n": rules.fen_to_yuan(normal)},
        )
        errors.raise_any()
    monthly = scheme.monthly(
        category, base_fen or 0, reduced_fen=reduced_fen, exempt=exempt, rural_fen=rural_fen
    )
    base, _created = DuesBase.objects.update_or_create(
        member=member,
        effective_from=month,
        defaults={
            "organization": member.organization,
            "category": category,
            "base_fen": base_fen or 0,
            "monthly_fen": monthly,
            "exempt": bool(exempt),
            "reduced_fen": None if exempt else reduced_fen,
            "reason": reason,
            "approved_on": None,
            "approved_by": None,
            "created_by": audit.user_of(actor),
        },
    )
    _refresh_dues(member, month)
    audit.record(
        actor,
        "set_base",
        base,
        organization=member.organization,
        summary=f"{member.name} {month:%Y-%m} 起月交党费 {rules.fen_to_yuan(monthly)} 元",
    )
    return base


@transaction.atomic
def approve_reduction(actor, base: DuesBase, *, approved_on=None) -> DuesBase:
    require(actor, "dues.approve", base.organization, _("少交、免交党费由上级党委批准"))
    if not base.needs_approval:
        from dangjian.core.services import invalid

        raise invalid("base", _("该基数没有待批准的少交或免交"))
    base.approved_on = approved_on or timezone.localdate()
    base.approved_by = audit.user_of(actor)
    base.save(update_fields=["approved_on", "approved_by"])
    audit.record(
        actor, "approve", base, organization=base.organization, summary="批准少交/免交党费"
    )
    return base


def _dues_for(members, months, scheme) -> tuple[list[DuesMonth], list[Member]]:
    """Ledger rows (unsaved) for `members` over `months`, and members lacking a base."""
    ids = [m.pk for m in members]
    bases: dict[int, list[DuesBase]] = {}
    for b in DuesBase.objects.filter(member_id__in=ids).order_by("effective_from"):
        bases.setdefault(b.member_id, []).append(b)
    rows, missing = [], []
    for m in members:
        first = rules.first_due_month(m.joined_on)
        default = scheme.default_for(m)
        history = bases.get(m.pk, [])
        lacking = False
        for month in months:
            if month < first:
                continue
            current = [b for b in history if b.effective_from <= month]
            due = current[-1].monthly_fen if current else default
            if due is None:
                lacking = True
                continue
            rows.append(
                DuesMonth(
                    organization_id=m.organization_id, member_id=m.pk, month=month, due_fen=due
                )
            )
        if lacking:
            missing.append(m)
    return rows, missing


@transaction.atomic
def open_months(actor, org, first, last=None) -> dict:
    """Open the ledger of `org`'s subtree for the months first…last (first-of-month dates
    or 'YYYY-MM'): one row per active member per month, held by the member's organization
    now, with the amount due from their base. Rows already there are left alone. Returns
    {"created": n, "missing": [members of employed/retired category without a base]}."""
    require(actor, PERM, org, _("您无权管理该组织的党费"))
    errors = Errors()
    first = _month(errors, "first", _("起始月份"), first)
    last = _month(errors, "last", _("截止月份"), last or first)
    errors.raise_any()
    months = rules.months_between(first, last)
    scheme = Scheme(org)
    members = list(
        Member.objects.active()
        .filter(organization__path__startswith=org.path)
        .only("id", "organization_id", "joined_on", "category", "name")
    )
    rows, missing = _dues_for(members, months, scheme)
    existing = set(
        DuesMonth.objects.filter(
            organization__path__startswith=org.path, month__gte=first, month__lte=last
        ).values_list("member_id", "month")
    )
    rows = [r for r in rows if (r.member_id, r.month) not in existing]
    DuesMonth.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    audit.record(
        actor,
        "open_months",
        org,
        organization=org,
        summary=f"建立党费台账 {first:%Y-%m}～{last:%Y-%m}：{len(rows)} 条",
    )
    return {"created": len(rows), "missing": missing}


@transaction.atomic
def record_month(actor, org, month, entries, *, paid_on=None, collector="", today=None) -> int:
    """The branch's month form: `entries` {member id: paid yuan text ("" = not paid)} for
    the ledger rows of `org` in `month`. Every bad row is named at once; nothing is written
    unless all are good. Returns the number of rows changed."""
    require(actor, PERM, org, _("您无权登记该组织的党费"))
    today = today or timezone.localdate()
    errors = Errors()
    month = _month(errors, "month", _("月份"), month)
    paid_on = _date(errors, "paid_on", _("交纳日期"), paid_on, today)
    collector = (collector or "").strip()
    if len(collector) > 40:
        errors.add("collector", _("收缴人不能超过40字"))
    errors.raise_any()
    rows = {
        r.member_id: r
        for r in DuesMonth.objects.select_for_update()
        .filter(organization=org, month=month, member_id__in=[int(k) for k in entries])
        .select_related("member")
    }
    changes = []
    for key, value in entries.items():
        row = rows.get(int(key))
        if row is None:
            errors.add("entries", _("第%(id)s号党员在该月没有本组织的党费记录") % {"id": key})
            continue
        value = (value or "").strip() if isinstance(value, str) else value
        if value in (None, ""):
            paid = 0
        else:
            try:
                paid = rules.yuan_to_fen(value)
            except ValueError:
                errors.add(
                    f"paid_{row.member_id}",
                    _("%(name)s：实交金额“%(v)s”应为不小于0、最多两位小数的金额（元）")
                    % {"name": row.member.name, "v": value},
                )
                continue
        if paid != row.paid_fen:
            changes.append((row, paid))
    errors.raise_any()
    for row, paid in changes:
        before = row.paid_fen
        row.paid_fen = paid
        row.paid_on = paid_on if paid else None
        row.collector = collector if paid else ""
        row.save(update_fields=["paid_fen", "paid_on", "collector", "updated_at"])
        audit.record(
            actor,
            "pay",
            row,
            organization=org,
            changes={"paid_fen": [before, paid]},
            summary=f"{row.member.name} {month:%Y-%m} 党费 {rules.fen_to_yuan(paid)} 元",
        )
    return len(changes)


@transaction.atomic
def pay_months(
    actor, member: Member, first, last, *, paid_on=None, collector="", note="", today=None
):
    """One payment covering several months (quarterly, in advance or in arrears): each
    month's row is paid in full; missing rows are opened at the member's organization."""
    require(actor, PERM, member, _("您无权登记该党员的党费"))
    today = today or timezone.localdate()
    errors = Errors()
    first = _month(errors, "first", _("起始月份"), first)
    last = _month(errors, "last", _("截止月份"), last)
    paid_on = _date(errors, "paid_on", _("交纳日期"), paid_on, today)
    if first and last and last < first:
        errors.add("last", _("截止月份不能早于起始月份"))
    if first and last and len(rules.months_between(first, last)) > 12:
        errors.add("last", _("一次最多交纳12个月"))
    if first and first < rules.first_due_month(member.joined_on):
        errors.add("first", _("起始月份不能早于入党的月份"))
    errors.raise_any()
    months = rules.months_between(first, last)
    new, missing = _dues_for([member], months, Scheme(member.organization))
    if missing:
        errors.add("first", _("请先核定%(name)s的党费基数") % {"name": member.name})
        errors.raise_any()
    have = {
        r.month: r
        for r in DuesMonth.objects.select_for_update().filter(member=member, month__in=months)
    }
    DuesMonth.objects.bulk_create([r for r in new if r.month not in have])
    total = 0
    for row in DuesMonth.objects.filter(member=member, month__in=months):
        if row.paid_fen < row.due_fen:
            total += row.due_fen - row.paid_fen
            row.paid_fen, row.paid_on, row.collector = row.due_fen, paid_on, collector[:40]
            row.note = note[:200]
            row.save(update_fields=["paid_fen", "paid_on", "collector", "note", "updated_at"])
    audit.record(
        actor,
        "pay",
        member,
        organization=member.organization,
        summary=f"{member.name} 交纳 {first:%Y-%m}～{last:%Y-%m} 党费 {rules.fen_to_yuan(total)} 元",
    )
    return total


@transaction.atomic
def record_extra(actor, member: Member, *, amount_yuan, paid_on=None, note="", today=None):
    require(actor, PERM, member, _("您无权登记该党员的党费"))
    today = today or timezone.localdate()
    errors = Errors()
    amount = _yuan(errors, "amount_yuan", _("金额"), amount_yuan)
    if amount == 0:
        errors.add("amount_yuan", _("金额应大于0"))
    paid_on = _date(errors, "paid_on", _("交纳日期"), paid_on, today)
    errors.raise_any()
    extra = ExtraPayment.objects.create(
        organization=member.organization,
        member=member,
        amount_fen=amount,
        paid_on=paid_on,
        to_centre=rules.goes_to_centre(amount, Scheme(member.organization).extra_fen),
        note=(note or "").strip()[:200],
        created_by=audit.user_of(actor),
    )
    audit.record(
        actor,
        "create",
        extra,
        organization=member.organization,
        summary=f"{member.name} 一次性交纳党费 {rules.fen_to_yuan(amount)} 元",
    )
    return extra
