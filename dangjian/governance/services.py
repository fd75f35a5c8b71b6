"""Writes of village governance: a major matter and each of its six steps, in order and
with the counts the rules require; the service station's office hours. Each write checks
who may (the village's managers and those above), runs in a transaction and is audited."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, config
from dangjian.core.services import Errors, require, validate_choice
from dangjian.orgs.models import Level, Organization

from . import rules
from .models import Matter, MatterCategory, MatterStatus, MatterStep, OfficeHours

PLACE_LEVELS = (Level.VILLAGE, Level.COMMUNITY)
PHONE = re.compile(r"^[0-9+\-() ]{5,30}$")


def governs(org: Organization) -> bool:
    """Does `org` run a village's (community's) affairs: a branch-like organization of a
    village or community, not a group."""
    return org.level in PLACE_LEVELS and org.kind != "group" and not org.is_dissolved


def quorum_settings(org) -> dict:
    return {key: config.get(org, f"governance.{key}") for key in rules.DEFAULTS}


# ---- matters ------------------------------------------------------------------------------


def _amount(value, errors):
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "")).quantize(Decimal("0.01"))
    except InvalidOperation:
        errors.add("amount", _("金额“%(v)s”不是数字") % {"v": value})
        return None
    if amount < 0:
        errors.add("amount", _("金额不能为负数"))
    return amount


@transaction.atomic
def create_matter(actor, org: Organization, *, title, category, content, amount=None) -> Matter:
    """A major matter of `org` before its first step (the proposal is recorded next)."""
    require(actor, "governance.record", org, _("您无权为该组织登记村级重大事项"))
    errors = Errors()
    if not governs(org):
        errors.add(
            "organization",
            _("四议两公开由村（社区）党组织办理，“%(name)s”不是") % {"name": org.name},
        )
    title, content = (title or "").strip(), (content or "").strip()
    if not title:
        errors.add("title", _("请填写事项名称"))
    elif len(title) > 120:
        errors.add("title", _("事项名称不能超过120字"))
    with errors.collect():
        validate_choice("category", category, MatterCategory, _("事项类别"))
    if not content:
        errors.add("content", _("请填写事项内容"))
    amount = _amount(amount, errors)
    errors.raise_any()
    matter = Matter.objects.create(
        organization=org,
        title=title,
        category=category,
        content=content,
        amount=amount,
        created_by=audit.user_of(actor),
    )
    audit.record(actor, "create", matter, organization=org, summary=f"四议两公开事项：{title}")
    return matter


def _int(value, field, errors, default=None):
    if value in (None, ""):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        errors.add(field, _("请填写整数"))
        return default


@transaction.atomic
def record_step(
    actor,
    matter: Matter,
    *,
    step,
    held_on,
    text,
    place="",
    body="",
    due=None,
    present=None,
    yes=None,
    no=None,
    abstain=None,
    households_due=None,
    households_present=None,
    today=None,
) -> MatterStep:
    """Record the next step of `matter`. Refused, with every reason at once: a step out of
    order, a date before the previous step's or after today, counts that cannot be, a vote
    without quorum. A vote that fails is recorded and ends the matter (未获通过)."""
    require(actor, "governance.record", matter.organization, _("您无权办理该事项"))
    matter = Matter.objects.select_for_update().select_related("organization").get(pk=matter.pk)
    today = today or timezone.localdate()
    errors = Errors()
    step = _int(step, "step", errors)
    done = list(matter.steps.order_by("step").values_list("step", "held_on"))
    problem = (
        rules.check_order(step, [s for s, _d in done], matter.status == MatterStatus.REJECTED)
        if step
        else None
    )
    if problem:
        errors.add("step", problem)
    problem = rules.check_date(held_on, done[-1][1] if done else None, today)
    if problem:
        errors.add("held_on", problem)
    text = (text or "").strip()
    if not text:
        errors.add("text", _("请填写%(what)s") % {"what": _text_label(step)})
    fields = {
        "body": "",
        "due": None,
        "present": None,
        "yes": None,
        "no": None,
        "abstain": None,
        "households_due": None,
        "households_present": None,
        "passed": None,
    }
    if step in rules.MEETINGS and not errors.has("step"):
        if step == rules.VILLAGERS_ASSEMBLY and body not in (
            rules.REPRESENTATIVES,
            rules.VILLAGERS,
        ):
            errors.add("body", _("请选择村民会议或村民代表会议"))
        body = body if step == rules.VILLAGERS_ASSEMBLY else ""
        vote = rules.Vote(
            due=_int(due, "due", errors, 0),
            present=_int(present, "present", errors, 0),
            yes=_int(yes, "yes", errors, 0),
            no=_int(no, "no", errors, 0),
            abstain=_int(abstain, "abstain", errors, 0),
            households_due=_int(households_due, "households_due", errors, 0),
            households_present=_int(households_present, "households_present", errors, 0),
        )
        counts = rules.check_counts(vote)
        for field, message in counts:
            errors.add(field, message)
        if not counts and not errors.has("body"):
            ok, rule = rules.quorum(step, vote, body, quorum_settings(matter.organization))
            if not ok:
                errors.add("present", _("到会人数不足（须%(rule)s），不能表决") % {"rule": rule})
        passed, _rule = rules.passes(step, vote)
        fields.update(vars(vote), body=body, passed=passed)
    errors.raise_any()
    record = MatterStep.objects.create(
        matter=matter,
        step=step,
        held_on=held_on,
        text=text,
        place=(place or "").strip()[:120],
        created_by=audit.user_of(actor),
        **fields,
    )
    matter.step = step
    if step == rules.PROPOSAL:
        matter.proposed_on = held_on
    if fields["passed"] is False:
        matter.status = MatterStatus.REJECTED
    elif step == rules.RESULT:
        matter.status = MatterStatus.DONE
    matter.save(update_fields=["step", "proposed_on", "status", "updated_at"])
    outcome = "" if fields["passed"] is None else ("，通过" if fields["passed"] else "，未通过")
    audit.record(
        actor,
        "update",
        matter,
        organization=matter.organization,
        summary=f"{matter.title}：{rules.STEP_LABELS[step]}（{held_on}）{outcome}",
        changes={"step": [step - 1, step]},
    )
    return record


def _text_label(step):
    return {
        rules.PROPOSAL: _("提议内容"),
        rules.RESOLUTION: _("公开的决议内容"),
        rules.RESULT: _("公开的实施结果"),
    }.get(step, _("会议情况"))


# ---- office hours -------------------------------------------------------------------------


def _time(value, field, errors):
    if isinstance(value, datetime.time):
        return value
    try:
        return datetime.time.fromisoformat(str(value).strip())
    except ValueError:
        errors.add(field, _("时间“%(v)s”应写作 08:30 这样") % {"v": value})
        return None


@transaction.atomic
def add_office_hours(
    actor,
    org: Organization,
    *,
    person_name,
    post,
    work_phone,
    starts_at,
    ends_at,
    weekday=None,
    on_date=None,
    member=None,
) -> OfficeHours:
    """Someone on duty at the station: every week on `weekday` (0 = Monday), or on one date
    (a weekend or holiday turn)."""
    require(actor, "governance.record", org, _("您无权修改该组织的坐班表"))
    errors = Errors()
    if not governs(org):
        errors.add(
            "organization", _("坐班表属于村（社区）党组织，“%(name)s”不是") % {"name": org.name}
        )
    weekday = _int(weekday, "weekday", errors)
    if (weekday is None) == (on_date in (None, "")):
        errors.add("weekday", _("请选择每周的星期几，或填写值班日期（二者选一）"))
    elif weekday is not None and not 0 <= weekday <= 6:
        errors.add("weekday", _("星期应为周一至周日"))
    person_name, post = (person_name or "").strip(), (post or "").strip()
    if not person_name:
        errors.add("person_name", _("请填写姓名"))
    if not post:
        errors.add("post", _("请填写职务"))
    work_phone = (work_phone or "").strip()
    if not PHONE.match(work_phone):
        errors.add("work_phone", _("请填写办公电话（数字，可带区号和短横线）"))
    start, end = _time(starts_at, "starts_at", errors), _time(ends_at, "ends_at", errors)
    if start and end and end <= start:
        errors.add("ends_at", _("结束时间应晚于开始时间"))
    if member is not None and member.organization_id != org.pk:
        errors.add("member", _("值班人员应是本组织的党员"))
    errors.raise_any()
    entry = OfficeHours.objects.create(
        organization=org,
        weekday=weekday,
        on_date=on_date or None,
        member=member,
        person_name=person_name[:40],
        post=post[:40],
        work_phone=work_phone,
        starts_at=start,
        ends_at=end,
        created_by=audit.user_of(actor),
    )
    audit.record(actor, "create", entry, organization=org, summary=f"坐班值班：{entry}")
    return entry


@transaction.atomic
def remove_office_hours(actor, entry: OfficeHours) -> None:
    require(actor, "governance.record", entry.organization, _("您无权修改该组织的坐班表"))
    audit.record(
        actor, "delete", entry, organization=entry.organization, summary=f"删除坐班值班：{entry}"
    )
    entry.delete()
