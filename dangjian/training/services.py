"""Writes of training: education bases, sessions with their attendance, online courses with
their files and question bank, the quiz, and each member's year (`MemberYear`), recomputed
after every change of their attendance or passes (and the roll-ups moved with it)."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, config
from dangjian.core.services import Errors, invalid, require, validate_choice
from dangjian.core.text import hidden_characters
from dangjian.members.models import Member
from dangjian.orgs.models import Officer, OfficerRole, Organization
from dangjian.rollups import services as rollups

from . import figures, rules
from .models import (
    COUNTY_OR_ABOVE,
    Attendance,
    Course,
    CourseCompletion,
    CourseFile,
    EducationBase,
    MemberYear,
    Question,
    Session,
    SessionKind,
    TrainingLevel,
)

PERM = "training.record"


def _text(errors, field, label, value, max_len, *, required=True, multiline=False) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if not value:
        if required:
            errors.add(field, _("请填写%(label)s") % {"label": label})
        return ""
    if len(value) > max_len:
        errors.add(field, _("%(label)s不能超过%(n)s字") % {"label": label, "n": max_len})
    if found := hidden_characters(value, multiline=multiline):
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


def _decimal(errors, field, label, value):
    if value in (None, ""):
        errors.add(field, _("请填写%(label)s") % {"label": label})
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors.add(field, _("%(label)s“%(v)s”不是数字") % {"label": label, "v": value})
        return None
    if not number.is_finite():
        errors.add(field, _("%(label)s“%(v)s”不是数字") % {"label": label, "v": value})
        return None
    if number != rules.q(number):
        errors.add(field, _("%(label)s最多保留一位小数") % {"label": label})
        return None
    return rules.q(number)


def _choice(errors, field, value, choices, label):
    with errors.collect():
        validate_choice(field, value, choices, label)
    return value


# ---- member years --------------------------------------------------------------------------


def _officer_flags(member_id) -> tuple[bool, bool]:
    roles = set(
        Officer.objects.current()
        .filter(member_id=member_id)
        .exclude(role=OfficerRole.GROUP_LEADER)
        .values_list("role", flat=True)
    )
    return bool(roles), OfficerRole.SECRETARY in roles


def member_hours(member_id, year: int) -> dict:
    """A member's year from the rows: hours (sessions split across New Year), counts, flags."""
    hours, sessions, concentrated, county = Decimal(0), 0, False, False
    rows = Attendance.objects.filter(member_id=member_id, year__in=(year - 1, year)).values_list(
        "session__starts_on", "session__ends_on", "session__kind", "hours", "level"
    )
    for starts_on, ends_on, kind, credited, level in rows:
        part = rules.split_hours(starts_on, ends_on, credited).get(year)
        if part is None:
            continue
        hours += part
        if starts_on.year == year:
            sessions += 1
        concentrated = concentrated or kind != SessionKind.ONLINE
        county = county or level in COUNTY_OR_ABOVE
    passes = CourseCompletion.objects.filter(member_id=member_id, passed_on__year=year)
    courses = 0
    for credited, level in passes.values_list("hours", "course__level"):
        hours += credited
        courses += 1
        county = county or level in COUNTY_OR_ABOVE
    return {
        "hours": hours,
        "sessions": sessions,
        "courses": courses,
        "concentrated": concentrated,
        "county_course": county,
    }


def recompute(member: Member, years) -> None:
    """Rebuild the member's MemberYear rows of `years` and move the roll-ups with them."""
    is_officer, is_secretary = _officer_flags(member.pk)
    org = member.organization
    required = rules.required_hours(
        is_officer,
        config.get(org, "training.member_min_hours"),
        config.get(org, "training.officer_min_hours"),
    )
    for year in sorted(set(years)):
        old = MemberYear.objects.select_for_update().filter(member=member, year=year).first()
        old_org, old_keys = (
            (old.organization_id, figures.member_year_keys(old)) if old else (None, [])
        )
        got = member_hours(member.pk, year)
        if not got["sessions"] and not got["courses"] and not got["hours"]:
            if old:
                old.delete()
                rollups.adjust(old_org, rollups.delta(old_keys, []))
            continue
        status = rules.YearStatus(
            hours=got["hours"],
            required=required,
            is_officer=is_officer,
            is_secretary=is_secretary,
            concentrated=got["concentrated"],
            county_course=got["county_course"],
        )
        row = old or MemberYear(member=member, year=year)
        row.organization_id = member.organization_id
        row.hours = got["hours"]
        row.required = required
        row.sessions = got["sessions"]
        row.courses = got["courses"]
        row.is_officer, row.is_secretary = is_officer, is_secretary
        row.concentrated, row.county_course = got["concentrated"], got["county_course"]
        row.met = status.met
        row.save()
        new_keys = figures.member_year_keys(row)
        if old_org is not None and old_org != row.organization_id:
            rollups.adjust(old_org, rollups.delta(old_keys, []))
            old_keys = []
        rollups.adjust(row.organization_id, rollups.delta(old_keys, new_keys))


def _years_of(session: Session) -> set[int]:
    return set(rules.split_hours(session.starts_on, session.ends_on, session.hours))


# ---- bases ---------------------------------------------------------------------------------


@transaction.atomic
def add_base(actor, org: Organization, *, name, address="", description="") -> EducationBase:
    require(actor, PERM, org, _("您无权登记该党组织的教育基地"))
    errors = Errors()
    name = _text(errors, "name", _("基地名称"), name, 80)
    address = _text(errors, "address", _("地址"), address, 200, required=False)
    description = _text(
        errors, "description", _("简介"), description, 2000, required=False, multiline=True
    )
    if name and EducationBase.objects.filter(organization=org, name=name).exists():
        errors.add("name", _("已有同名的教育基地“%(n)s”") % {"n": name})
    errors.raise_any()
    base = EducationBase.objects.create(
        organization=org,
        name=name,
        address=address,
        description=description,
        created_by=audit.user_of(actor),
    )
    audit.record(actor, "create", base, organization=org, summary=f"教育基地：{name}")
    return base


# ---- sessions ------------------------------------------------------------------------------


def default_attendees(org: Organization):
    """Everyone of the organization (ticked by default on the form; absentees unticked)."""
    return Member.objects.active().filter(organization=org)


@transaction.atomic
def record_session(
    actor,
    org: Organization,
    *,
    topic,
    trainer,
    kind,
    level,
    starts_on,
    hours,
    ends_on=None,
    base=None,
    venue="",
    is_lecture=False,
    attendees=None,
    credited=None,
    today=None,
) -> Session:
    """A session held by `org` and who attended: `attendees` member ids (None = every member
    of the organization); `credited` {member id: hours} for those who left early."""
    require(actor, PERM, org, _("您无权为该党组织登记培训"))
    today = today or timezone.localdate()
    errors = Errors()
    if org.is_dissolved:
        errors.add("organization", _("“%(name)s”已撤销") % {"name": org.name})
    topic = _text(errors, "topic", _("培训主题"), topic, 200)
    trainer = _text(errors, "trainer", _("授课人"), trainer, 80)
    venue = _text(errors, "venue", _("培训地点"), venue, 200, required=False)
    _choice(errors, "kind", kind, SessionKind, _("培训方式"))
    _choice(errors, "level", level, TrainingLevel, _("培训层级"))
    start = _date(errors, "starts_on", _("培训日期"), starts_on)
    end = _date(errors, "ends_on", _("结束日期"), ends_on, required=False)
    hours = _decimal(errors, "hours", _("学时"), hours)
    if not errors.has("starts_on", "ends_on", "hours"):
        found = rules.session_problems(
            starts_on=start,
            ends_on=end,
            hours=hours,
            today=today,
            full_day_hours=config.get(org, "training.full_day_hours"),
        )
        for field, message in found.items():
            errors.add(field, message)
    if base is not None and not isinstance(base, EducationBase):
        base = EducationBase.objects.filter(pk=base).first()
        if base is None:
            errors.add("base", _("所选教育基地不存在"))
    if kind == SessionKind.BASE and base is None and not errors.has("base"):
        errors.add("base", _("在教育基地培训请选择基地"))
    if base is None and not venue and kind != SessionKind.ONLINE and not errors.has("base"):
        errors.add("venue", _("请填写培训地点或选择教育基地"))
    if attendees is None:
        members = list(default_attendees(org))
    else:
        ids = [int(i) for i in attendees]
        members = list(Member.objects.active().filter(pk__in=ids).select_related("organization"))
        found_ids = {m.pk for m in members}
        unknown = [i for i in ids if i not in found_ids]
        if unknown:
            errors.add("attendees", _("参训党员中有%(n)s人不存在或已减少") % {"n": len(unknown)})
        outside = [m.name for m in members if not m.organization.path.startswith(org.path)]
        if outside and org.depth > 1:
            errors.add(
                "attendees",
                _("%(names)s不在本党组织，不能登记为参训") % {"names": "、".join(outside[:5])},
            )
    if not members and not errors.has("attendees"):
        errors.add("attendees", _("请至少勾选一名参训党员"))
    credited = {int(k): v for k, v in (credited or {}).items()}
    each = {}
    if hours is not None and not errors.has("hours"):
        for m in members:
            h = hours
            if m.pk in credited:
                h = _decimal(errors, "credited", _("认定学时"), credited[m.pk])
                problem = h is not None and rules.attendance_hours_problem(h, hours)
                if problem:
                    errors.add("credited", f"{m.name}：{problem}")
            each[m.pk] = h
    errors.raise_any()
    session = Session.objects.create(
        organization=org,
        topic=topic,
        trainer=trainer,
        kind=kind,
        level=level,
        base=base,
        venue=venue,
        starts_on=start,
        ends_on=end,
        hours=hours,
        is_lecture=bool(is_lecture),
        attendance_count=len(members),
        created_by=audit.user_of(actor),
    )
    Attendance.objects.bulk_create(
        Attendance(
            session=session,
            member=m,
            organization=org,
            year=start.year,
            level=level,
            hours=each[m.pk],
        )
        for m in members
    )
    changes = {k: 1 for k in figures.session_keys(session)}
    changes[figures.person_time_key(start.year, level)] = len(members)
    rollups.adjust(org, changes)
    years = _years_of(session)
    for m in members:
        recompute(m, years)
    audit.record(
        actor,
        "create",
        session,
        organization=org,
        summary=f"培训：{start} {topic}（{hours}学时，{len(members)}人次）",
    )
    return session


@transaction.atomic
def remove_attendance(actor, session: Session, member: Member) -> None:
    """An attendee recorded by mistake: taken off, their year recomputed."""
    require(actor, PERM, session.organization, _("您无权修改该培训"))
    deleted, _n = Attendance.objects.filter(session=session, member=member).delete()
    if not deleted:
        raise invalid("member", _("%(n)s未登记参加本次培训") % {"n": member.name})
    Session.objects.filter(pk=session.pk).update(attendance_count=session.attendance_count - 1)
    rollups.adjust(
        session.organization_id, {figures.person_time_key(session.year, session.level): -1}
    )
    recompute(member, _years_of(session))
    audit.record(
        actor,
        "delete",
        session,
        organization=session.organization,
        summary=f"取消参训：{member.name}",
    )


# ---- courses and the quiz ------------------------------------------------------------------


@transaction.atomic
def add_course(
    actor,
    org: Organization,
    *,
    title,
    hours,
    summary="",
    body="",
    level=TrainingLevel.COUNTY,
    files=(),
    publish=True,
) -> Course:
    require(actor, PERM, org, _("您无权发布该党组织的网络课程"))
    errors = Errors()
    title = _text(errors, "title", _("课程名称"), title, 120)
    summary = _text(errors, "summary", _("简介"), summary, 300, required=False)
    body = _text(errors, "body", _("课程内容"), body, 50000, required=False, multiline=True)
    hours = _decimal(errors, "hours", _("学时"), hours)
    if hours is not None and not errors.has("hours") and not Decimal(0) < hours <= Decimal(40):
        errors.add("hours", _("课程学时应大于0且不超过40"))
    _choice(errors, "level", level, TrainingLevel, _("培训层级"))
    rows = []
    with errors.collect():
        rows = [CourseFile.from_upload(f, field="files", default_name="课件") for f in files]
    errors.raise_any()
    course = Course.objects.create(
        organization=org,
        title=title,
        summary=summary,
        body=body,
        hours=hours,
        level=level,
        is_published=publish,
        created_by=audit.user_of(actor),
    )
    for row in rows:
        row.course = course
    names = audit.save_files(rows)
    audit.record(
        actor,
        "create",
        course,
        organization=org,
        changes={"files": [None, names]} if names else None,
        summary=f"网络课程：{title}（{hours}学时）",
    )
    return course


@transaction.atomic
def add_question(actor, course: Course, *, text, choices, answer) -> Question:
    require(actor, PERM, course.organization, _("您无权修改该课程的题库"))
    choices = [str(c).strip() for c in (choices or []) if str(c or "").strip()]
    try:
        answer = int(answer)
    except (TypeError, ValueError):
        answer = None
    problems = rules.question_problems(text, choices, answer)
    if problems:
        raise invalid(*next(iter(problems.items()))) if len(problems) == 1 else _all(problems)
    question = Question.objects.create(
        course=course, text=text.strip(), choices=choices, answer=answer
    )
    audit.record(
        actor, "create", question, organization=course.organization, summary=f"题库：{course.title}"
    )
    return question


def _all(problems):
    from django.core.exceptions import ValidationError

    return ValidationError({k: [v] for k, v in problems.items()})


def draw_quiz(course: Course, member: Member, attempt: int = 0) -> list[Question]:
    """The questions of a member's quiz: N of the bank (config), the same for one attempt."""
    n = config.get(course.organization, "training.quiz_questions")
    ids = rules.draw(
        course.questions.values_list("pk", flat=True), n, f"{member.pk}:{course.pk}:{attempt}"
    )
    by_id = Question.objects.in_bulk(ids)
    return [by_id[i] for i in ids]


@transaction.atomic
def take_quiz(actor, member: Member, course: Course, *, answers, question_ids, today=None):
    """Grade a quiz: `answers` {question id: chosen index} for the drawn `question_ids`.
    Returns (correct, total, passed, completion or None). Passing credits the course's hours
    once; a member who already passed is told so; retries are allowed."""
    own = getattr(actor, "member", None) if getattr(actor, "is_authenticated", False) else None
    if actor is not None and (own is None or own.pk != member.pk):
        require(actor, PERM, member.organization, _("只能本人参加测验"))
    today = today or timezone.localdate()
    if not course.is_published:
        raise invalid("course", _("该课程尚未发布"))
    if CourseCompletion.objects.filter(course=course, member=member).exists():
        raise invalid("course", _("您已通过该课程的测验，学时已认定，无需重复作答"))
    ids = [int(i) for i in question_ids or []]
    key = dict(course.questions.filter(pk__in=ids).values_list("pk", "answer"))
    if not key or len(key) != len(set(ids)):
        raise invalid("answers", _("测验题目已变化，请重新开始测验"))
    clean = {}
    for qid, value in (answers or {}).items():
        try:
            clean[int(qid)] = int(value)
        except (TypeError, ValueError):
            continue
    unanswered = [q for q in key if q not in clean]
    if unanswered:
        raise invalid("answers", _("还有%(n)s道题未作答") % {"n": len(unanswered)})
    correct = rules.grade(clean, key)
    share = config.get(course.organization, "training.pass_share")
    ok = rules.passed(correct, len(key), share)
    completion = None
    if ok:
        completion = CourseCompletion.objects.create(
            course=course,
            member=member,
            organization_id=member.organization_id,
            passed_on=today,
            score=rules.score(correct, len(key)),
            hours=course.hours,
        )
        recompute(member, [today.year])
        audit.record(
            actor,
            "create",
            completion,
            organization=member.organization,
            summary=f"课程结业：{course.title}（{course.hours}学时）",
        )
    return correct, len(key), ok, completion


def refresh_year(org: Organization, year: int) -> int:
    """Recompute every member year of the subtree (after an officer change, say)."""
    members = Member.objects.filter(
        Q(training_years__year=year) | Q(training_attendances__year=year),
        organization__path__startswith=org.path,
    ).distinct()
    n = 0
    for m in members.select_related("organization"):
        recompute(m, [year])
        n += 1
    return n
