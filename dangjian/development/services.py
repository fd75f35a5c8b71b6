"""Writes of development. Each checks who may (managers of the branch and those above; the
higher committee's decisions — admission, step 17, and conversion, step 24 — need a manager
strictly above the branch), collects every error at once (Chinese, naming the field), runs in
a transaction, is audited and keeps the roll-up keys."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, config
from dangjian.core.services import Errors, require, validate_choice
from dangjian.core.text import hidden_characters
from dangjian.members import services as members
from dangjian.members.models import Category, Education, Gender, Member, Status
from dangjian.members.rules import (
    birth_date_from_id,
    gender_from_id,
    id_number_error,
    normalize_id_number,
)
from dangjian.orgs.models import Organization

from . import figures, rules
from .models import (
    Candidacy,
    Cultivation,
    CultivationMove,
    DevelopmentStep,
    Stage,
    StepFile,
    Track,
)

PERM = "development.record"
DECIDE = "development.decide"
DECISION_STEPS = (17, 24)


def settings_of(org) -> dict:
    """The development settings in force at `org` (rules.DEFAULT_SETTINGS' keys)."""
    return {k: config.get(org, f"development.{k}") for k in rules.DEFAULT_SETTINGS}


def done_of(candidacy: Candidacy) -> list[rules.Done]:
    return [
        rules.Done(s.number, s.done_on, s.outcome, s.extension_months)
        for s in candidacy.steps.all()
    ]


def next_step(candidacy: Candidacy) -> int | None:
    """The number of the step to record next, None once done or ended."""
    if candidacy.stage in (Stage.ENDED,) or candidacy.ended_on:
        return None
    return rules.next_number(done_of(candidacy))


def _text(errors, field, label, value, max_len, *, required=True) -> str:
    value = str(value or "").strip()
    if not value:
        if required:
            errors.add(field, _("请填写%(label)s") % {"label": label})
        return ""
    if len(value) > max_len:
        errors.add(field, _("%(label)s不能超过%(n)s字") % {"label": label, "n": max_len})
    if found := hidden_characters(value):
        errors.add(
            field,
            _("%(label)s不能包含控制字符或不可见的格式字符（%(chars)s）")
            % {"label": label, "chars": "、".join(found)},
        )
    return value


def _date(errors, field, label, value, *, required=True):
    if value in (None, ""):
        if required:
            errors.add(field, _("请填写%(label)s") % {"label": label})
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        errors.add(
            field, _("%(label)s“%(v)s”应写作 2026-03-01 这样") % {"label": label, "v": value}
        )
        return None


def _int(errors, field, label, value):
    if value in (None, ""):
        return None
    try:
        n = int(value)
    except (TypeError, ValueError):
        errors.add(field, _("%(label)s应为整数") % {"label": label})
        return None
    if n < 0 or n > 30000:
        errors.add(field, _("%(label)s应在0至30000之间") % {"label": label})
        return None
    return n


def _adjust(org, old, new):
    figures.changed(org, old, new)


# ---- application (step 1) --------------------------------------------------------------


@transaction.atomic
def apply(
    actor,
    org: Organization,
    *,
    name,
    id_number,
    education,
    category,
    applied_on,
    phone="",
    note="",
    today=None,
) -> Candidacy:
    """A written application received (step 1): the person enters development as applicant.
    Birth date and gender are read from the ID number."""
    require(actor, PERM, org, _("您无权为该组织登记入党申请"))
    today = today or timezone.localdate()
    errors = Errors()
    if org.is_dissolved:
        errors.add("organization", _("“%(name)s”已撤销") % {"name": org.name})
    name = _text(errors, "name", _("姓名"), name, 40)
    number = normalize_id_number(str(id_number or ""))
    birth = gender = None
    if not number:
        errors.add("id_number", _("请填写身份证号"))
    elif error := id_number_error(number):
        errors.add("id_number", error)
    else:
        birth, gender = birth_date_from_id(number), gender_from_id(number)
        if (
            Candidacy.objects.filter(id_number=number, ended_on__isnull=True)
            .exclude(stage=Stage.FULL)
            .exists()
        ):
            errors.add("id_number", _("身份证号为%(n)s的人已在发展程序中") % {"n": number})
        elif Member.objects.filter(id_number=number, removed_on__isnull=True).exists():
            errors.add("id_number", _("身份证号为%(n)s的人已是党员") % {"n": number})
    with errors.collect():
        validate_choice("education", education, Education, _("学历"))
    with errors.collect():
        validate_choice("category", category, Category, _("人员类别"))
    phone = _text(errors, "phone", _("手机号"), phone, 20, required=False)
    note = _text(errors, "note", _("说明"), note, 300, required=False)
    day = _date(errors, "applied_on", _("申请入党日期"), applied_on)
    if day and birth:
        refusals = rules.check(
            rules.Step(1, day), [], settings_of(org), birth_date=birth, today=today
        )
        for field, messages in refusals.items():
            for m in messages:
                errors.add("applied_on" if field == "done_on" else field, m)
    errors.raise_any()
    c = Candidacy.objects.create(
        organization=org,
        name=name,
        gender=gender or Gender.MALE,
        birth_date=birth,
        id_number=number,
        education=education,
        category=category,
        phone=phone,
        applied_on=day,
        stage=Stage.APPLICANT,
        last_step=1,
        created_by=audit.user_of(actor),
    )
    DevelopmentStep.objects.create(
        candidacy=c, number=1, done_on=day, note=note, created_by=audit.user_of(actor)
    )
    _adjust(org, [], figures.candidacy_keys(c))
    audit.record(actor, "create", c, organization=org, summary=f"入党申请：{c.name}（{day}）")
    return c


# ---- the later steps ---------------------------------------------------------------------


def _people(errors, org, people) -> list[Member]:
    out = []
    for p in people or []:
        m = p if isinstance(p, Member) else Member.objects.filter(pk=p).first()
        if m is None or m.removed_on is not None:
            errors.add("people", _("责任人“%(p)s”不是在册党员") % {"p": p})
        elif not m.organization.path.startswith(org.path[: -org.steplen] or org.path):
            errors.add("people", _("责任人“%(n)s”不在本组织或上级组织的范围内") % {"n": m.name})
        else:
            out.append(m)
    return out


@transaction.atomic
def record_step(
    actor,
    candidacy: Candidacy,
    *,
    number,
    done_on,
    people=(),
    hours=None,
    days=None,
    notice_from=None,
    voters=None,
    present=None,
    yes=None,
    special=False,
    outcome="",
    extension_months=None,
    note="",
    files=(),
    today=None,
) -> DevelopmentStep:
    """Record step `number` of `candidacy`, refused with the rule named when it breaks one."""
    c = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    org = c.organization
    errors = Errors()
    n = _int(errors, "number", _("步骤"), number)
    errors.raise_any()
    if n in DECISION_STEPS:
        require(actor, DECIDE, org, _("该步骤由上级党委审批，您无权登记"))
    else:
        require(actor, PERM, org, _("您无权为该组织登记发展步骤"))
    today = today or timezone.localdate()
    day = _date(errors, "done_on", _("日期"), done_on)
    notice = _date(errors, "notice_from", _("公示开始日期"), notice_from, required=False)
    hours = _int(errors, "hours", _("培训学时"), hours)
    days = _int(errors, "days", _("培训天数"), days)
    voters = _int(errors, "voters", _("应到人数"), voters)
    present = _int(errors, "present", _("实到人数"), present)
    yes = _int(errors, "yes", _("赞成票"), yes)
    months = _int(errors, "extension_months", _("延长月数"), extension_months)
    note = _text(errors, "note", _("说明"), note, 300, required=False)
    chosen = _people(errors, org, people)
    if outcome and n in DECISION_STEPS:
        allowed = ("approved", "cancelled") if n == 17 else ("approved", "extended", "cancelled")
        if outcome not in allowed:
            errors.add("outcome", _("审批结果不正确"))
    if errors.has("done_on", "number") or day is None:
        errors.raise_any()
    step = rules.Step(
        n,
        day,
        people=[(m.name, m.status, False) for m in chosen],
        hours=hours,
        days=days,
        notice_from=notice,
        voters=voters,
        present=present,
        yes=yes,
        special=bool(special),
        outcome=outcome or "",
        extension_months=months,
    )
    done = done_of(c)
    for field, messages in rules.check(
        step, done, settings_of(org), birth_date=c.birth_date, today=today
    ).items():
        for m in messages:
            errors.add(field, m)
    uploads = []
    with errors.collect():
        uploads = [StepFile.from_upload(f) for f in files or []]
    errors.raise_any()
    row = DevelopmentStep.objects.create(
        candidacy=c,
        number=n,
        done_on=day,
        hours=hours,
        days=days,
        notice_from=notice,
        voters=voters,
        present=present,
        yes=yes,
        special=bool(special),
        outcome=outcome if n in DECISION_STEPS else "",
        extension_months=months if outcome == "extended" else None,
        note=note,
        created_by=audit.user_of(actor),
    )
    if chosen:
        row.people.set(chosen)
    for u in uploads:
        u.step = row
    if uploads:
        audit.save_files(uploads)
    old = figures.candidacy_keys(c)
    done.append(rules.Done(n, day, row.outcome, row.extension_months))
    c.stage = rules.stage_after(done)
    c.last_step = max(c.last_step, n)
    if c.stage == Stage.ENDED:
        c.ended_on = day
        c.end_reason = rules.step_name(n) + "：" + row.get_outcome_display()
    _consequences(actor, c, row, done)
    c.save()
    _adjust(org, old, figures.candidacy_keys(c))
    audit.record(
        actor, "update", c, organization=org, summary=f"{c.name}：{rules.step_name(n)}（{day}）"
    )
    return row


def _consequences(actor, c: Candidacy, row: DevelopmentStep, done) -> None:
    """Admission makes the probationary Member; conversion makes them full; a cancelled
    probation removes them from the roll."""
    if row.number == 17 and row.outcome == "approved":
        assembly = max(d.day for d in done if d.number == 15)
        try:
            c.member = members.create(
                c.organization,
                actor=actor,
                name=c.name,
                gender=c.gender,
                birth_date=c.birth_date,
                education=c.education,
                id_number=c.id_number,
                phone=c.phone,
                joined_on=assembly,
                status=Status.PROBATIONARY,
                category=c.category,
            )
        except ValidationError as error:
            raise ValidationError(
                {"number": [_("不能建立党员档案：") + "；".join(error.messages)]}
            ) from None
    elif row.number == 24 and c.member_id:
        if row.outcome == "approved":
            members.update(c.member, actor=actor, status=Status.FULL, full_on=row.done_on)
        elif row.outcome == "cancelled":
            members.remove(c.member, actor=actor, reason=_("取消预备党员资格"), on=row.done_on)


@transaction.atomic
def end(actor, candidacy: Candidacy, *, reason, on=None, today=None) -> Candidacy:
    """Stop a development before admission (moved away, withdrew, not fit), with the reason."""
    require(actor, PERM, candidacy.organization, _("您无权终止该发展程序"))
    c = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    errors = Errors()
    reason = _text(errors, "end_reason", _("终止原因"), reason, 200)
    day = _date(errors, "ended_on", _("终止日期"), on or today or timezone.localdate())
    if c.stage in (Stage.PROBATIONARY, Stage.FULL, Stage.ENDED):
        errors.add("ended_on", _("预备党员、正式党员或已终止的发展程序不能在此终止"))
    errors.raise_any()
    old = figures.candidacy_keys(c)
    c.stage, c.ended_on, c.end_reason = Stage.ENDED, day, reason
    c.save()
    _adjust(c.organization, old, [])
    audit.record(
        actor, "update", c, organization=c.organization, summary=f"终止发展：{c.name}，{reason}"
    )
    return c


# ---- four cultivations --------------------------------------------------------------------


@transaction.atomic
def add_cultivation(actor, org, *, name, stage, since, member=None, note="") -> Cultivation:
    require(actor, PERM, org, _("您无权为该组织登记培养对象"))
    errors = Errors()
    name = _text(errors, "name", _("姓名"), name or (member.name if member else ""), 40)
    with errors.collect():
        validate_choice("stage", stage, Track, _("培养阶段"))
    day = _date(errors, "since", _("日期"), since)
    if member is not None and member.organization_id != org.pk:
        errors.add("member", _("该党员不属于本组织"))
    errors.raise_any()
    c = Cultivation.objects.create(
        organization=org,
        name=name,
        member=member,
        stage=stage,
        since=day,
        note=note,
        created_by=audit.user_of(actor),
    )
    CultivationMove.objects.create(cultivation=c, stage=stage, moved_on=day)
    _adjust(org, [], figures.cultivation_keys(c))
    audit.record(actor, "create", c, organization=org, summary=f"四个培养：{name}")
    return c


@transaction.atomic
def move_cultivation(actor, cultivation: Cultivation, *, stage, on, member=None) -> Cultivation:
    c = Cultivation.objects.select_for_update().get(pk=cultivation.pk)
    require(actor, PERM, c.organization, _("您无权修改该培养对象"))
    errors = Errors()
    day = _date(errors, "moved_on", _("日期"), on)
    if stage not in rules.TRACK or not rules.track_may_move(c.stage, stage):
        errors.add("stage", _("培养阶段只能向前推进"))
    if day and day < c.since:
        errors.add("moved_on", _("日期不能早于进入上一阶段的日期（%(d)s）") % {"d": c.since})
    errors.raise_any()
    old = figures.cultivation_keys(c)
    c.stage, c.since = stage, day
    if member is not None:
        c.member = member
    c.save()
    CultivationMove.objects.create(cultivation=c, stage=stage, moved_on=day)
    _adjust(c.organization, old, figures.cultivation_keys(c))
    audit.record(
        actor, "update", c, organization=c.organization, summary=f"四个培养：{c.name} → {stage}"
    )
    return c
