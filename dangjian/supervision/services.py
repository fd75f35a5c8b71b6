"""Writes of supervision: the rectification ledger (items, progress, sign-off), inspection
plans and records with their findings (each finding with a problem becomes an item), the
notice of a closed inspection, the daily red supervision orders and interviews. Each write
checks who may, runs in a transaction, is audited, and names every bad field at once."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dangjian.accounts.scoping import covers
from dangjian.core import audit, config
from dangjian.core.models import AuditEvent
from dangjian.core.periods import Period
from dangjian.core.services import Errors, invalid, require, validate_choice
from dangjian.members.models import Member
from dangjian.notices import services as notices
from dangjian.orgs.models import Kind, Officer, OfficerRole, Organization

from . import rules
from .models import (
    Finding,
    Guarantor,
    GuarantorLevel,
    Inspection,
    InspectionKind,
    InspectionPlan,
    InspectionStatus,
    Interview,
    ItemSource,
    ItemStatus,
    MeasureKind,
    ProgressFile,
    ProgressNote,
    RectificationItem,
    SampleEntry,
    SupervisionOrder,
)

# The organizations a phone spot check draws from: the branches (党支部, 联合党支部).
SAMPLED_KINDS = (Kind.BRANCH, Kind.JOINT_BRANCH)
MAX_TEXT = 2000


def _date(value, field, errors, label):
    if value in (None, ""):
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


def _text(value, field, errors, label, *, required=True, limit=MAX_TEXT):
    value = (value or "").strip()
    if required and not value:
        errors.add(field, _("请填写%(label)s") % {"label": label})
    elif len(value) > limit:
        errors.add(field, _("%(label)s不能超过%(n)s字") % {"label": label, "n": limit})
    return value


def _in_subtree(org, member) -> bool:
    return member is not None and member.organization.path.startswith(org.path)


# ---- the ledger ---------------------------------------------------------------------------


def _guarantors(guarantors, errors) -> list[dict]:
    out = []
    for i, g in enumerate(guarantors or (), start=1):
        where = _("第%(i)s位包保责任人") % {"i": i}
        if not isinstance(g, dict):
            errors.add("guarantors", _("%(where)s格式不对") % {"where": where})
            continue
        level = g.get("level")
        name = (g.get("name") or "").strip()
        post = (g.get("post") or "").strip()
        if level not in GuarantorLevel.values:
            errors.add(
                "guarantors",
                _("%(where)s的层级“%(v)s”应为县级、乡级或村级（county、township、village）")
                % {"where": where, "v": level},
            )
        if not name:
            errors.add("guarantors", _("%(where)s请填写姓名") % {"where": where})
        elif len(name) > 40:
            errors.add("guarantors", _("%(where)s的姓名不能超过40字") % {"where": where})
        if len(post) > 60:
            errors.add("guarantors", _("%(where)s的职务不能超过60字") % {"where": where})
        out.append({"level": level, "name": name, "post": post, "member": g.get("member")})
    return out


def _create_item(
    actor,
    *,
    organization,
    problem,
    deadline,
    measure_kind,
    measures,
    guarantors,
    source,
    source_ref,
    owner_member,
    owner_name,
    today,
    finding=None,
    errors=None,
) -> RectificationItem:
    errors = errors or Errors()
    today = today or timezone.localdate()
    if organization.is_dissolved:
        errors.add("organization", _("“%(name)s”已撤销") % {"name": organization.name})
    problem = _text(problem, "problem", errors, _("存在问题"))
    measures = _text(measures, "measures", errors, _("整改措施"), required=False)
    with errors.collect():
        validate_choice("measure_kind", measure_kind, MeasureKind, _("整改措施类别"))
    with errors.collect():
        validate_choice("source", source, ItemSource, _("来源"))
    deadline = _date(deadline, "deadline", errors, _("整改期限"))
    if not errors.has("deadline"):
        problem_text = rules.check_deadline(deadline, today)
        if problem_text:
            errors.add("deadline", problem_text)
    people = _guarantors(guarantors, errors)
    if owner_member is not None and not _in_subtree(organization, owner_member):
        errors.add("owner_member", _("整改责任人应是该组织的党员"))
    owner_name = (owner_name or "").strip() or (owner_member.name if owner_member else "")
    if len(owner_name) > 40:
        errors.add("owner_name", _("整改责任人姓名不能超过40字"))
    for g in people:
        if g["member"] is not None and not isinstance(g["member"], Member):
            errors.add("guarantors", _("包保责任人的党员记录不对"))
    errors.raise_any()
    item = RectificationItem.objects.create(
        organization=organization,
        source=source,
        source_ref=(source_ref or "")[:60],
        finding=finding,
        problem=problem,
        measure_kind=measure_kind,
        measures=measures,
        owner_member=owner_member,
        owner_name=owner_name,
        opened_on=today,
        deadline=deadline,
        created_by=audit.user_of(actor),
    )
    Guarantor.objects.bulk_create(
        Guarantor(item=item, level=g["level"], name=g["name"], post=g["post"], member=g["member"])
        for g in people
    )
    audit.record(
        actor,
        "create",
        item,
        organization=organization,
        summary=f"整改事项：{problem[:60]}（{deadline}前）",
    )
    return item


@transaction.atomic
def create_rectification_item(
    actor,
    *,
    organization,
    problem,
    deadline,
    measure_kind="other",
    measures="",
    guarantors=(),
    source="hand",
    source_ref="",
    owner_member=None,
    owner_name="",
    today=None,
) -> RectificationItem:
    """A line of the rectification ledger of `organization`. guarantors: dicts {"level":
    "county"|"township"|"village", "name", "post"} (and optionally "member"). `source`:
    "finding" | "weak_org" | "hand", with `source_ref` (a weak-org flag's id, say)."""
    require(actor, "supervision.record", organization, _("您无权为该组织登记整改事项"))
    return _create_item(
        actor,
        organization=organization,
        problem=problem,
        deadline=deadline,
        measure_kind=measure_kind,
        measures=measures,
        guarantors=guarantors,
        source=source,
        source_ref=source_ref,
        owner_member=owner_member,
        owner_name=owner_name,
        today=today,
    )


def _locked(item) -> RectificationItem:
    return (
        RectificationItem.objects.select_for_update().select_related("organization").get(pk=item.pk)
    )


@transaction.atomic
def add_progress(actor, item, *, text, noted_on=None, files=(), today=None) -> ProgressNote:
    """A progress note on `item` with its evidence; the first one puts the item 整改中."""
    require(actor, "supervision.record", item.organization, _("您无权填报该事项的整改进展"))
    item = _locked(item)
    today = today or timezone.localdate()
    errors = Errors()
    if item.status == ItemStatus.RECTIFIED:
        errors.add("text", _("该事项已经销号，不能再填报进展"))
    text = _text(text, "text", errors, _("整改进展"))
    noted_on = _date(noted_on, "noted_on", errors, _("日期")) or today
    if noted_on > today:
        errors.add("noted_on", _("日期不能晚于今天"))
    elif noted_on < item.opened_on:
        errors.add(
            "noted_on", _("日期不能早于登记日期（%(d)s）") % {"d": item.opened_on.isoformat()}
        )
    rows = []
    with errors.collect():
        from dangjian.core.files import validate_uploads

        uploads = validate_uploads(files, "files")
        rows = [
            ProgressFile.from_upload(u, field="files", default_name="佐证材料") for u in uploads
        ]
    errors.raise_any()
    note = ProgressNote.objects.create(
        item=item, noted_on=noted_on, text=text, created_by=audit.user_of(actor)
    )
    for row in rows:
        row.note = note
    names = audit.save_files(rows)
    if item.status == ItemStatus.OPEN:
        item.status = ItemStatus.IN_PROGRESS
        item.save(update_fields=["status", "updated_at"])
    else:
        item.save(update_fields=["updated_at"])
    audit.record(
        actor,
        "update",
        item,
        organization=item.organization,
        summary=f"整改进展（{noted_on}）：{text[:60]}",
        changes={"files": [None, names]} if names else {},
    )
    return note


def _signer_name(actor) -> str:
    if actor is None:
        return _("系统")
    member = getattr(actor, "member", None)
    name = member.name if member is not None else ""
    return (name or actor.get_full_name() or actor.get_username())[:40]


@transaction.atomic
def sign_off(actor, item, *, rectified_on=None, note="", today=None) -> RectificationItem:
    """The level above checks the rectification and signs the item off (销号): who, when,
    with what opinion. Refused while nothing of the rectification is recorded, twice, or by
    the organization's own managers."""
    require(actor, "supervision.record", item.organization, _("您无权为该事项销号"))
    item = _locked(item)
    today = today or timezone.localdate()
    errors = Errors()
    day = _date(rectified_on, "rectified_on", errors, _("销号日期")) if rectified_on else today
    note = _text(note, "note", errors, _("销号意见"), required=False)
    own = actor is not None and not covers(actor, item.organization, strict=True)
    if not errors.has("rectified_on"):
        for field, message in rules.check_sign_off(
            status=item.status,
            notes=item.progress_notes.count(),
            day=day,
            opened_on=item.opened_on,
            today=today,
            own=own,
        ):
            errors.add(field, message)
    errors.raise_any()
    before = item.status
    item.status = ItemStatus.RECTIFIED
    item.rectified_on = day
    item.signed_off_by = audit.user_of(actor)
    item.signed_off_name = _signer_name(actor)
    item.sign_off_note = note
    item.save(
        update_fields=[
            "status",
            "rectified_on",
            "signed_off_by",
            "signed_off_name",
            "sign_off_note",
            "updated_at",
        ]
    )
    audit.record(
        actor,
        "sign_off",
        item,
        organization=item.organization,
        summary=f"整改事项销号（{day}）：{item.problem[:60]}",
        changes={"status": [before, ItemStatus.RECTIFIED]},
    )
    return item


# ---- inspections ----------------------------------------------------------------------------


def _int(value, field, errors, label, low=0, high=100000):
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.add(field, _("%(label)s应为整数") % {"label": label})
        return None
    if not low <= number <= high:
        errors.add(
            field,
            _("%(label)s应在%(low)s至%(high)s之间") % {"label": label, "low": low, "high": high},
        )
        return None
    return number


@transaction.atomic
def create_plan(
    actor,
    organization,
    *,
    kind,
    title,
    starts_on,
    ends_on,
    content="",
    sample_size=None,
    scored=False,
    indicator_code="",
) -> InspectionPlan:
    """A plan of inspections of one kind over the subtree of `organization`."""
    require(actor, "supervision.inspect", organization, _("您无权以该组织的名义制定督查计划"))
    errors = Errors()
    if organization.is_dissolved:
        errors.add("organization", _("“%(name)s”已撤销") % {"name": organization.name})
    with errors.collect():
        validate_choice("kind", kind, InspectionKind, _("督查方式"))
    title = _text(title, "title", errors, _("计划名称"), limit=120)
    content = _text(content, "content", errors, _("督查内容"), required=False)
    starts_on = _date(starts_on, "starts_on", errors, _("开始日期"))
    ends_on = _date(ends_on, "ends_on", errors, _("结束日期"))
    if not errors.has("starts_on") and starts_on is None:
        errors.add("starts_on", _("请填写开始日期"))
    if not errors.has("ends_on") and ends_on is None:
        errors.add("ends_on", _("请填写结束日期"))
    if starts_on and ends_on and ends_on < starts_on:
        errors.add("ends_on", _("结束日期不能早于开始日期"))
    size = _int(sample_size, "sample_size", errors, _("每次抽查组织数"), 0, 500)
    if kind == InspectionKind.PHONE_CHECK and size is None and not errors.has("sample_size"):
        size = config.get(organization, "supervision.phone_check_sample")
    indicator_code = _text(
        indicator_code, "indicator_code", errors, _("考核指标编码"), required=False, limit=40
    )
    errors.raise_any()
    plan = InspectionPlan.objects.create(
        organization=organization,
        kind=kind,
        title=title,
        content=content,
        starts_on=starts_on,
        ends_on=ends_on,
        sample_size=size or 0,
        scored=bool(scored),
        indicator_code=indicator_code,
        created_by=audit.user_of(actor),
    )
    audit.record(actor, "create", plan, organization=organization, summary=f"督查计划：{title}")
    return plan


@transaction.atomic
def record_inspection(actor, plan, *, held_on, inspectors, summary="", today=None) -> Inspection:
    """An inspection held under `plan`; a phone spot check draws its sample at once."""
    require(actor, "supervision.inspect", plan.organization, _("您无权登记该计划的督查"))
    today = today or timezone.localdate()
    errors = Errors()
    held_on = _date(held_on, "held_on", errors, _("督查日期"))
    if held_on is None and not errors.has("held_on"):
        errors.add("held_on", _("请填写督查日期"))
    elif held_on is not None:
        if held_on > today:
            errors.add("held_on", _("督查日期不能晚于今天"))
        elif not plan.starts_on <= held_on <= plan.ends_on:
            errors.add(
                "held_on",
                _("督查日期应在计划期间（%(a)s至%(b)s）内")
                % {"a": plan.starts_on.isoformat(), "b": plan.ends_on.isoformat()},
            )
    inspectors = _text(inspectors, "inspectors", errors, _("督查人员"), limit=200)
    summary = _text(summary, "summary", errors, _("总体情况"), required=False)
    errors.raise_any()
    inspection = Inspection.objects.create(
        plan=plan,
        organization=plan.organization,
        kind=plan.kind,
        held_on=held_on,
        inspectors=inspectors,
        summary=summary,
        created_by=audit.user_of(actor),
    )
    audit.record(
        actor,
        "create",
        inspection,
        organization=plan.organization,
        summary=f"{plan.get_kind_display()}：{plan.title}（{held_on}）",
    )
    if plan.kind == InspectionKind.PHONE_CHECK and plan.sample_size:
        draw_sample(actor, inspection)
    return inspection


def sample_candidates(organization) -> list[int]:
    """The branches a phone spot check of `organization` may draw, by tree path."""
    return list(
        Organization.objects.filter(
            path__startswith=organization.path, kind__in=SAMPLED_KINDS, dissolved_on__isnull=True
        )
        .order_by("path")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def draw_sample(actor, inspection) -> list[Organization]:
    """The sample of a phone spot check: drawn once from the seed (plan id + date) and
    stored; drawing again returns the stored sample, the same organizations in order."""
    require(actor, "supervision.inspect", inspection.organization, _("您无权为该督查抽样"))
    stored = list(inspection.sample.select_related("organization"))
    if stored:
        return [s.organization for s in stored]
    seed = rules.sample_seed(inspection.plan_id, inspection.held_on)
    chosen = rules.draw_sample(
        sample_candidates(inspection.organization), inspection.plan.sample_size, seed
    )
    SampleEntry.objects.bulk_create(
        SampleEntry(inspection=inspection, organization_id=pk, position=i)
        for i, pk in enumerate(chosen, start=1)
    )
    Inspection.objects.filter(pk=inspection.pk).update(sample_seed=seed)
    inspection.sample_seed = seed
    audit.record(
        actor,
        "update",
        inspection,
        organization=inspection.organization,
        summary=f"电话抽查抽样：{len(chosen)}个党支部（种子 {seed}）",
    )
    by_id = Organization.objects.in_bulk(chosen)
    return [by_id[pk] for pk in chosen]


def _score(value, errors):
    if value in (None, ""):
        return None
    try:
        score = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors.add("score", _("得分“%(v)s”不是数字") % {"v": value})
        return None
    if not Decimal(0) <= score <= Decimal(100):
        errors.add("score", _("得分应在0至100之间"))
        return None
    return score


@transaction.atomic
def add_finding(
    actor,
    inspection,
    *,
    organization,
    problem="",
    score=None,
    indicator_code="",
    deadline=None,
    owner_name="",
    owner_member=None,
    measure_kind="other",
    measures="",
    today=None,
) -> Finding:
    """What `inspection` found at `organization` (in the inspecting organization's
    subtree): a problem becomes a rectification item with its deadline and owner (the
    deadline defaults to `supervision.finding_deadline_days` from today); a score is kept
    and, where the assessment app takes hand scores, handed to it."""
    require(actor, "supervision.inspect", inspection.organization, _("您无权登记该督查的发现"))
    inspection = Inspection.objects.select_for_update().select_related("plan").get(pk=inspection.pk)
    today = today or timezone.localdate()
    errors = Errors()
    if inspection.status == InspectionStatus.CLOSED:
        errors.add("organization", _("该督查已经结束，不能再登记发现"))
    if organization is None:
        errors.add("organization", _("请选择被督查的党组织"))
    elif not organization.path.startswith(inspection.organization.path) or (
        organization.pk == inspection.organization_id
    ):
        errors.add(
            "organization",
            _("被督查的党组织应在“%(name)s”以下") % {"name": inspection.organization.name},
        )
    problem = _text(problem, "problem", errors, _("发现的问题"), required=False)
    score = _score(score, errors)
    indicator_code = _text(
        indicator_code, "indicator_code", errors, _("考核指标编码"), required=False, limit=40
    ) or (inspection.plan.indicator_code if score is not None else "")
    if not problem and score is None and not errors.has("score"):
        errors.add("problem", _("请填写发现的问题，或填写得分"))
    if inspection.plan.scored and score is None and not errors.has("score"):
        errors.add("score", _("该督查计划需要评分，请填写得分"))
    if problem and deadline in (None, "") and organization is not None:
        days = config.get(organization, "supervision.finding_deadline_days")
        deadline = today + datetime.timedelta(days=days)
    if problem and organization is not None:
        # The item's own checks too, so that every bad field is named at once.
        with errors.collect():
            _check_item_fields(deadline, measure_kind, owner_member, organization, today)
    errors.raise_any()
    finding = Finding.objects.create(
        inspection=inspection,
        organization=organization,
        problem=problem,
        indicator_code=indicator_code,
        score=score,
        created_by=audit.user_of(actor),
    )
    audit.record(
        actor,
        "create",
        finding,
        organization=organization,
        summary=f"督查发现：{problem[:60] or '得分 ' + str(score)}",
    )
    if problem:
        _create_item(
            actor,
            organization=organization,
            problem=problem,
            deadline=deadline,
            measure_kind=measure_kind,
            measures=measures,
            guarantors=(),
            source=ItemSource.FINDING,
            source_ref=str(finding.pk),
            owner_member=owner_member,
            owner_name=owner_name,
            today=today,
            finding=finding,
        )
    if score is not None and finding.indicator_code:
        _hand_score(actor, finding, inspection)
    return finding


def _check_item_fields(deadline, measure_kind, owner_member, organization, today):
    errors = Errors()
    deadline = _date(deadline, "deadline", errors, _("整改期限"))
    if not errors.has("deadline"):
        problem = rules.check_deadline(deadline, today)
        if problem:
            errors.add("deadline", problem)
    with errors.collect():
        validate_choice("measure_kind", measure_kind, MeasureKind, _("整改措施类别"))
    if owner_member is not None and not _in_subtree(organization, owner_member):
        errors.add("owner_member", _("整改责任人应是该组织的党员"))
    errors.raise_any()


def _hand_score(actor, finding, inspection):
    """Hand the finding's score to the assessment app, once it offers `record_hand_score`
    (helper 2's work): until then the score stays on the finding alone."""
    try:
        from dangjian.assessment import services as assessment
    except ImportError:  # pragma: no cover - the app is there, its services may not be
        return
    record = getattr(assessment, "record_hand_score", None)
    if record is None:
        return
    record(
        actor,
        organization=finding.organization,
        period=Period(inspection.held_on.year),
        indicator_code=finding.indicator_code,
        score=finding.score,
        reason=finding.problem or inspection.plan.title,
        source=f"supervision:finding:{finding.pk}",
    )


@transaction.atomic
def close_inspection(actor, inspection, *, today=None):
    """End `inspection` and issue its notice (通报) with the findings and the items to
    rectify; the notice's number comes from the inspecting organization's series."""
    require(actor, "supervision.inspect", inspection.organization, _("您无权结束该督查"))
    inspection = (
        Inspection.objects.select_for_update()
        .select_related("plan", "organization")
        .get(pk=inspection.pk)
    )
    today = today or timezone.localdate()
    if inspection.status == InspectionStatus.CLOSED:
        raise invalid("status", _("该督查已经结束，通报已经发出"))
    findings = list(
        inspection.findings.select_related("organization", "item").order_by(
            "organization__path", "pk"
        )
    )
    inspected = len({f.organization_id for f in findings}) or inspection.sample.count()
    items = [f.item for f in findings if getattr(f, "item", None) is not None]
    # A notice is an official document: written in simplified Chinese whatever the page's
    # language (as the notices app prints it).
    with translation.override("zh-hans"):
        sections, title = _notice_body(inspection, findings, items, inspected)
    notice = notices.issue_notice(
        actor,
        issuer=inspection.organization,
        kind="inspection",
        title=title,
        sections=sections,
        source_url=inspection.get_absolute_url(),
        date=today,
    )
    inspection.status = InspectionStatus.CLOSED
    inspection.closed_on = today
    inspection.notice = notice
    inspection.save(update_fields=["status", "closed_on", "notice"])
    audit.record(
        actor,
        "close",
        inspection,
        organization=inspection.organization,
        summary=f"督查结束，发出通报 {notice.number}",
        changes={"status": [InspectionStatus.OPEN, InspectionStatus.CLOSED]},
    )
    return notice


def _notice_body(inspection, findings, items, inspected):
    sections = rules.notice_sections(
        kind_label=inspection.get_kind_display(),
        held_on=inspection.held_on,
        inspectors=inspection.inspectors,
        summary=inspection.summary,
        inspected=inspected,
        findings=[
            {"org": f.organization.name, "problem": f.problem, "score": f.score} for f in findings
        ],
        items=[
            {
                "org": i.organization.name,
                "problem": i.problem,
                "owner": i.owner_name,
                "deadline": i.deadline,
            }
            for i in items
        ],
    )
    return sections, _("关于%(title)s情况的通报") % {"title": inspection.plan.title}


# ---- red supervision orders -------------------------------------------------------------------

CHUNK = 2000


def _secretaries(org_ids) -> dict[int, tuple[int, str]]:
    rows = (
        Officer.objects.current()
        .filter(organization_id__in=org_ids, role=OfficerRole.SECRETARY)
        .order_by("organization_id", "-term_start")
        .values_list("organization_id", "member_id", "member__name")
    )
    out = {}
    for org_id, member_id, name in rows:
        out.setdefault(org_id, (member_id, name))
    return out


def issue_overdue_orders(today: datetime.date, progress=None) -> int:
    """A red supervision order for every item past its deadline without one, addressed to
    the current secretary of the item's organization (else its responsible person) and
    issued by the inspecting organization (an item from a finding) or the level above.
    Idempotent: the order is unique per item, so running twice makes no second order. The
    order's text is an official document's: simplified Chinese."""
    with translation.override("zh-hans"):
        return _issue_overdue_orders(today, progress)


def _issue_overdue_orders(today, progress) -> int:
    overdue = RectificationItem.objects.filter(
        status__in=(ItemStatus.OPEN, ItemStatus.IN_PROGRESS),
        deadline__lt=today,
        order__isnull=True,
    )
    total = overdue.count()
    made = 0
    reply_days = {
        root.path: config.resolver(root, "supervision.order_reply_days")
        for root in Organization.objects.filter(depth=1)
    }
    last_pk = 0
    while True:
        rows = list(
            overdue.filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list(
                "pk",
                "organization_id",
                "organization__path",
                "organization__name",
                "problem",
                "deadline",
                "owner_name",
                "owner_member_id",
                "finding__inspection__organization_id",
            )[:CHUNK]
        )
        if not rows:
            break
        last_pk = rows[-1][0]
        parents = dict(
            Organization.objects.filter(
                path__in={r[2][: -Organization.steplen] or r[2] for r in rows}
            ).values_list("path", "pk")
        )
        secretaries = _secretaries({r[1] for r in rows})
        orders = []
        for pk, org_id, path, name, problem, deadline, owner, owner_id, inspector in rows:
            days = reply_days[path[: Organization.steplen]](path)
            reply_by = today + datetime.timedelta(days=days)
            member_id, secretary = secretaries.get(org_id, (owner_id, owner))
            issuer = inspector or parents.get(path[: -Organization.steplen]) or org_id
            orders.append(
                SupervisionOrder(
                    item_id=pk,
                    organization_id=org_id,
                    issuer_id=issuer,
                    issued_on=today,
                    addressee_name=(secretary or "")[:40],
                    addressee_member_id=member_id,
                    text=rules.order_text(name, problem, deadline, reply_by),
                    reply_by=reply_by,
                )
            )
        created = SupervisionOrder.objects.bulk_create(orders, ignore_conflicts=True)
        made += len(created)
        # The audit events of the batch: one per order, written together.
        ids = dict(
            SupervisionOrder.objects.filter(item_id__in=[o.item_id for o in orders]).values_list(
                "item_id", "pk"
            )
        )
        AuditEvent.objects.bulk_create(
            AuditEvent(
                actor=None,
                action="create",
                target_type="supervision.supervisionorder",
                target_id=str(ids[o.item_id]),
                organization_id=o.organization_id,
                summary=f"红色督办单：整改事项 {o.item_id} 逾期（{today}）",
            )
            for o in orders
            if o.item_id in ids
        )
        if progress is not None:
            progress(min(made, total), total)
    return made


def daily_orders(progress, day: str) -> dict:
    """The daily job (settings.JOBS_DAILY): red supervision orders for overdue items."""
    made = issue_overdue_orders(datetime.date.fromisoformat(day), progress)
    progress(made, made)
    return {"summary": _("新下发红色督办单 %(n)s 份") % {"n": made}, "made": made}


@transaction.atomic
def reply_order(actor, order, *, reply, today=None) -> SupervisionOrder:
    """The addressed organization answers a red supervision order in writing."""
    require(actor, "supervision.record", order.organization, _("您无权反馈该督办单"))
    order = SupervisionOrder.objects.select_for_update().get(pk=order.pk)
    today = today or timezone.localdate()
    errors = Errors()
    if order.replied_on is not None:
        errors.add("reply", _("该督办单已经反馈"))
    reply = _text(reply, "reply", errors, _("反馈情况"))
    errors.raise_any()
    order.reply, order.replied_on = reply, today
    order.save(update_fields=["reply", "replied_on"])
    audit.record(
        actor,
        "update",
        order,
        organization=order.organization,
        summary=f"督办单反馈：{reply[:60]}",
    )
    return order


# ---- interviews -------------------------------------------------------------------------------


@transaction.atomic
def record_interview(
    actor,
    organization,
    *,
    held_on,
    interviewers,
    interviewees,
    content,
    outcome,
    item=None,
    today=None,
) -> Interview:
    """An interview (约谈) of the people responsible at `organization`, held by the level
    above (never by the organization itself)."""
    require(actor, "supervision.record", organization, _("您无权登记对该组织的约谈"))
    today = today or timezone.localdate()
    errors = Errors()
    if actor is not None and not covers(actor, organization, strict=True):
        errors.add("organization", _("约谈由上级党组织进行，不能约谈本组织"))
    held_on = _date(held_on, "held_on", errors, _("约谈日期"))
    if held_on is None and not errors.has("held_on"):
        errors.add("held_on", _("请填写约谈日期"))
    elif held_on is not None and held_on > today:
        errors.add("held_on", _("约谈日期不能晚于今天"))
    interviewers = _text(interviewers, "interviewers", errors, _("约谈人"), limit=200)
    interviewees = _text(interviewees, "interviewees", errors, _("被约谈人"), limit=200)
    content = _text(content, "content", errors, _("约谈内容"))
    outcome = _text(outcome, "outcome", errors, _("约谈结果"))
    if item is not None and item.organization_id != organization.pk:
        errors.add("item", _("整改事项应属于被约谈的组织"))
    errors.raise_any()
    interview = Interview.objects.create(
        organization=organization,
        item=item,
        held_on=held_on,
        interviewers=interviewers,
        interviewees=interviewees,
        content=content,
        outcome=outcome,
        created_by=audit.user_of(actor),
    )
    audit.record(
        actor,
        "create",
        interview,
        organization=organization,
        summary=f"约谈：{interviewees}（{held_on}）",
    )
    return interview
