"""Monthly work meetings (工作例会) and secretary projects (书记项目)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.periods import Period
from dangjian.core.services import invalid, require
from dangjian.orgs.models import Kind

from ..models import (
    PlanItem,
    ProjectPhoto,
    SecretaryProject,
    WorkMeeting,
)
from .common import _text


@transaction.atomic
def record_work_meeting(
    org, *, held_on, month: str, notes, attendees="", assignments=(), actor=None
) -> WorkMeeting:
    require(actor, "tasks.issue", org, _("您无权登记该组织的工作例会"))
    if held_on > timezone.localdate():
        raise invalid("held_on", _("召开日期不能晚于今天"))
    try:
        period = Period.parse(month)
    except ValueError as e:
        raise invalid("month", str(e)) from None
    if period.kind != "month":
        raise invalid("month", _("所属月份应为 2026-03 这样的格式"))
    meeting = WorkMeeting.objects.create(
        organization=org,
        held_on=held_on,
        month=str(period),
        notes=_text(notes, "notes", _("会议纪要")),
        attendees=(attendees or "").strip()[:300],
    )
    wrong = [a for a in assignments if a.issuer_id != org.pk]
    if wrong:
        raise invalid(
            "assignments", _("《%(title)s》不是本组织下发的交办单") % {"title": wrong[0].title}
        )
    meeting.assignments.set(assignments)
    audit.record(actor, "create", meeting, organization=org, summary=f"{org.name}{period}工作例会")
    return meeting


@transaction.atomic
def create_project(
    org, *, secretary, year, title, goal, items=(), brand="", actor=None
) -> SecretaryProject:
    require(actor, "tasks.report", org, _("您无权登记该组织的书记项目"))
    if org.kind not in (Kind.COMMITTEE, Kind.WORKING_COMMITTEE, Kind.GENERAL_BRANCH, Kind.BRANCH):
        raise invalid("organization", _("书记项目由党委、党总支或党支部书记承担"))
    if not secretary.offices.current().filter(organization=org, role="secretary").exists():
        raise invalid(
            "secretary",
            _("%(name)s不是“%(org)s”的现任书记") % {"name": secretary.name, "org": org.name},
        )
    project = SecretaryProject.objects.create(
        organization=org,
        secretary=secretary,
        year=year,
        title=_text(title, "title", _("项目名称"), limit=200),
        goal=_text(goal, "goal", _("项目目标")),
        brand=(brand or "").strip()[:100],
    )
    for month, text in items:
        add_plan_item(project, month=month, text=text, actor=actor)
    audit.record(actor, "create", project, organization=org, summary=f"书记项目：{project.title}")
    return project


@transaction.atomic
def add_plan_item(project, *, month, text, actor=None) -> PlanItem:
    require(actor, "tasks.report", project.organization, _("您无权更新该书记项目"))
    try:
        period = Period.parse(month)
    except ValueError as e:
        raise invalid("month", str(e)) from None
    if period.kind != "month" or period.year != project.year:
        raise invalid(
            "month", _("月份应为%(year)s年内的月份，如 %(year)s-03") % {"year": project.year}
        )
    item = PlanItem.objects.create(
        project=project, month=str(period), text=_text(text, "text", _("工作计划"), limit=300)
    )
    audit.record(
        actor,
        "create",
        item,
        organization=project.organization,
        summary=f"书记项目增加{item.month}计划：{item.text}",
    )
    return item


@transaction.atomic
def update_project(
    project: SecretaryProject, *, results=None, brand=None, photos=(), actor=None
) -> SecretaryProject:
    """Record a project's results, its brand name and photos of what it achieved."""
    require(actor, "tasks.report", project.organization, _("您无权更新该书记项目"))
    photos = list(photos)
    fields = ("results", "brand")
    before = audit.snapshot(project, fields)
    if results is not None:
        project.results = results.strip()
    if brand is not None:
        project.brand = brand.strip()[:100]
    project.save(update_fields=list(fields))
    names = audit.save_files(
        ProjectPhoto.from_upload(u, field="photos", default_name="照片", project=project)
        for u in photos
    )
    changes = audit.diff(before, audit.snapshot(project, fields))
    if names:
        changes["photos"] = [None, names]
    audit.record(
        actor,
        "update",
        project,
        organization=project.organization,
        summary=f"书记项目成效：{project.title}",
        changes=changes,
    )
    return project


@transaction.atomic
def update_plan_item(item: PlanItem, *, progress="", done=False, actor=None) -> PlanItem:
    require(actor, "tasks.report", item.project.organization, _("您无权更新该书记项目"))
    before = audit.snapshot(item, ("progress", "done"))
    item.progress, item.done = (progress or "").strip()[:300], bool(done)
    item.save()
    audit.record(
        actor,
        "progress",
        item,
        organization=item.project.organization,
        summary=f"书记项目进展：{item.text}",
        changes=audit.diff(before, audit.snapshot(item, ("progress", "done"))),
    )
    return item
