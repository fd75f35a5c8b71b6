"""Writes of training. Each checks who may (managers of the organization and those above;
a member for their own quiz), collects every error of the input at once (in Chinese, naming
the field), runs in a transaction, is audited and keeps the roll-ups in step.

A member's hours of a year (`MemberYear`) are recomputed from their attendance and passes
after every change that touches them (`recompute`, in bulk for a session's attendees), so
the hours page, the figures and members_below_training_minimum never drift from the rows."""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, config
from dangjian.core.services import Errors, require, unique_or_invalid, validate_choice
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
MAX_ATTENDEES = 5000


# ---- input helpers -----------------------------------------------------------------------


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


def _hours(errors, field, label, value):
    if value in (None, ""):
        errors.add(field, _("请填写%(label)s") % {"label": label})
        return None
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors.add(field, _("%(label)s“%(v)s”应为数字，如 4 或 3.5") % {"label": label, "v": value})
        return None
    if not hours.is_finite():
        errors.add(field, _("%(label)s应为数字，如 4 或 3.5") % {"label": label})
        return None
    if hours != rules.q(hours):
        errors.add(field, _("%(label)s最多保留一位小数") % {"label": label})
        return None
    return hours


def _choice(errors, field, value, choices, label):
    with errors.collect():
        validate_choice(field, value, choices, label)
    return value


def _open_org(errors, org: Organization):
    if org.is_dissolved:
        errors.add("organization", _("“%(name)s”已撤销") % {"name": org.name})


# ---- hours of a member's year -------------------------------------------------------------


def officer_flags(member_ids) -> dict[int, tuple[bool, bool]]:
    """{member id: (is officer, is secretary)}: current seats on grassroots organizations
    (below the county's own committee), group leaders not counted."""
    out: dict[int, tuple[bool, bool]] = {}
    rows = (
        Officer.objects.current()
        .filter(member_id__in=list(member_ids), organization__depth__gt=1)
        .exclude(role=OfficerRole.GROUP_LEADER)
        .values_list("member_id", "role")
    )
    for member_id, role in rows:
        _o, sec = out.get(member_id, (False, False))
        out[member_id] = (True, sec or role == OfficerRole.SECRETARY)
    return out


def compute_years(member_ids, years) -> dict[tuple[int, int], dict]:
    """{(member id, year): the MemberYear fields} for those with any training in the years."""
    member_ids, years = list(member_ids), sorted(set(years))
    if not member_ids or not years:
        return {}
    members = {
        m.pk: m for m in Member.objects.filter(pk__in=member_ids).select_related("organization")
    }
    acc: dict[tuple[int, int], dict] = defaultdict(
        lambda: {
            "hours": Decimal(0),
            "sessions": 0,
            "courses": 0,
            "concentrated": False,
            "county_course": False,
        }
    )
    attendance = Attendance.objects.filter(
        member_id__in=member_ids, year__gte=years[0] - 1, year__lte=years[-1]
    ).values_list(
        "member_id", "hours", "session__starts_on", "session__ends_on", "session__kind", "level"
    )
    wanted = set(years)
    for member_id, hours, starts, ends, kind, level in attendance:
        for year, part in rules.split_hours(starts, ends, hours).items():
            if year not in wanted:
                continue
            row = acc[(member_id, year)]
            row["hours"] += part
            row["sessions"] += 1
            row["concentrated"] |= kind != SessionKind.ONLINE
            row["county_course"] |= level in COUNTY_OR_ABOVE
    for member_id, hours, passed_on in CourseCompletion.objects.filter(
        member_id__in=member_ids, passed_on__year__in=years
    ).values_list("member_id", "hours", "passed_on"):
        row = acc[(member_id, passed_on.year)]
        row["hours"] += hours
        row["courses"] += 1
    flags = officer_flags(member_ids)
    minimums = {}
    out = {}
    for (member_id, year), row in acc.items():
        member = members.get(member_id)
        if member is None:
            continue
        if member.organization_id not in minimums:
            org = member.organization
            minimums[org.pk] = (
                config.get(org, "training.member_min_hours"),
                config.get(org, "training.officer_min_hours"),
            )
        is_officer, is_secretary = flags.get(member_id, (False, False))
        low, high = minimums[member.organization_id]
        required = rules.required_hours(is_officer, low, high)
        out[(member_id, year)] = {
            **row,
            "organization_id": member.organization_id,
            "required": required,
            "is_officer": is_officer,
            "is_secretary": is_secretary,
            "met": row["hours"] >= required,
        }
    return out


def recompute(member_ids, years) -> None:
    """Bring the MemberYear rows of these members and years in step with the records, and
    the roll-ups (training.trained / training.met) with the rows."""
    member_ids, years = set(member_ids), set(years)
    if not member_ids or not years:
        return
    fresh = compute_years(member_ids, years)
    old = {
        (r.member_id, r.year): r
        for r in MemberYear.objects.select_for_update().filter(
            member_id__in=member_ids, year__in=years
        )
    }
    deltas: dict[int, Counter] = defaultdict(Counter)
    for key in set(old) | set(fresh):
        row, data = old.get(key), fresh.get(key)
        if row is not None:
            deltas[row.organization_id].subtract(figures.member_year_keys(row))
        if data is None:
            row.delete()
            continue
        if row is None:
            row = MemberYear(member_id=key[0], year=key[1], **data)
        else:
            for field, value in data.items():
                setattr(row, field, value)
        row.save()
        deltas[row.organization_id].update(figures.member_year_keys(row))
    for org_id, changes in deltas.items():
        rollups.adjust(org_id, {k: v for k, v in changes.items() if v})


def years_of_session(session: Session) -> set[int]:
    return set(rules.split_hours(session.starts_on, session.ends_on, session.hours))


@transaction.atomic
def recompute_subtree(org: Organization, year: int, progress=None) -> int:
    """Recompute every member's year under `org` (after officers changed or members moved)."""
    ids = set(
        Member.objects.filter(organization__path__startswith=org.path).values_list("id", flat=True)
    )
    ids |= set(
        MemberYear.objects.filter(organization__path__startswith=org.path, year=year).values_list(
            "member_id", flat=True
        )
    )
    ids = sorted(ids)
    step = 2000
    for i in range(0, len(ids), step):
        recompute(ids[i : i + step], {year})
        if progress is not None:
            progress.step(min(i + step, len(ids)), len(ids))
    return len(ids)


# ---- education bases ---------------------------------------------------------------------


@transaction.atomic
def create_base(actor, org: Organization, *, name, address="", description="") -> EducationBase:
    require(actor, PERM, org, _("您无权为该组织登记教育基地"))
    errors = Errors()
    _open_org(errors, org)
    name = _text(errors, "name", _("基地名称"), name, 80)
    address = _text(errors, "address", _("地址"), address, 200, required=False)
    description = _text(
        errors, "description", _("简介"), description, 2000, required=False, multiline=True
    )
    if name and EducationBase.objects.filter(organization=org, name=name).exists():
        errors.add("name", _("已有名为“%(name)s”的教育基地") % {"name": name})
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


# ---- sessions and attendance ---------------------------------------------------------------


def eligible_members(org: Organization):
    """Who may be recorded at a session of `org`: the active members of its subtree."""
    return Member.objects.active().filter(organization__path__startswith=org.path)


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
    attendees=(),
    today=None,
) -> Session:
    """A session held by `org`, with the members present (ids or members of its subtree)."""
    require(actor, PERM, org, _("您无权为该组织登记培训"))
    today = today or timezone.localdate()
    errors = Errors()
    _open_org(errors, org)
    topic = _text(errors, "topic", _("培训主题"), topic, 200)
    trainer = _text(errors, "trainer", _("授课人"), trainer, 80)
    kind = _choice(errors, "kind", kind, SessionKind, _("培训方式"))
    level = _choice(errors, "level", level, TrainingLevel, _("培训层级"))
    starts = _date(errors, "starts_on", _("培训日期"), starts_on)
    ends = _date(errors, "ends_on", _("结束日期"), ends_on, required=False)
    hours_value = _hours(errors, "hours", _("学时"), hours)
    venue = _text(errors, "venue", _("培训地点"), venue, 200, required=False)
    if base is not None and not isinstance(base, EducationBase):
        base = EducationBase.objects.filter(pk=base).first()
        if base is None:
            errors.add("base", _("所选教育基地不存在"))
    if base is not None and not (
        org.path.startswith(base.organization.path) or base.organization.path.startswith(org.path)
    ):
        errors.add("base", _("所选教育基地不属于本县"))
    if kind == SessionKind.BASE and base is None and not errors.has("base"):
        errors.add("base", _("在教育基地举办的培训请选择教育基地"))
    if base is None and not venue and kind != SessionKind.ONLINE and not errors.has("base"):
        errors.add("venue", _("请填写培训地点或选择教育基地"))
    if not errors.has("starts_on", "ends_on", "hours"):
        full = config.get(org, "training.full_day_hours")
        for field, message in rules.session_problems(
            starts_on=starts, ends_on=ends, hours=hours_value, today=today, full_day_hours=full
        ).items():
            errors.add(field, message)
    errors.raise_any()
    session = Session.objects.create(
        organization=org,
        topic=topic,
        trainer=trainer,
        kind=kind,
        level=level,
        base=base,
        venue=venue,
        starts_on=starts,
        ends_on=ends if ends and ends != starts else None,
        hours=hours_value,
        is_lecture=bool(is_lecture),
        created_by=audit.user_of(actor),
    )
    rollups.adjust(org, {k: 1 for k in figures.session_keys(session)})
    audit.record(actor, "create", session, organization=org, summary=f"培训：{topic}（{starts}）")
    if attendees:
        set_attendance(actor, session, present=attendees, scope=org)
    return session


def _member_ids(values) -> list[int]:
    return [v.pk if isinstance(v, Member) else int(v) for v in values]


@transaction.atomic
def set_attendance(actor, session: Session, *, present, scope=None, hours=None) -> dict:
    """Record who of `scope`'s members (an organization in the session's subtree; the
    session's own by default) attended: those in `present` attend, the rest of `scope` do
    not (the form has all ticked, absentees unticked). `hours` ({member id: hours}) credits
    less than the session's to some. Returns {"added", "removed", "changed"}."""
    require(actor, PERM, session.organization, _("您无权登记该培训的参训人员"))
    session = Session.objects.select_for_update().get(pk=session.pk)
    scope = scope or session.organization
    errors = Errors()
    if not scope.path.startswith(session.organization.path):
        errors.add("scope", _("只能登记主办组织及其下级组织的党员"))
    try:
        wanted = set(_member_ids(present))
    except (TypeError, ValueError):
        wanted = set()
        errors.add("present", _("参训人员应为党员编号"))
    if len(wanted) > MAX_ATTENDEES:
        errors.add("present", _("一次最多登记%(n)s名参训人员") % {"n": MAX_ATTENDEES})
    errors.raise_any()
    in_scope = set(eligible_members(scope).values_list("id", flat=True))
    strangers = wanted - in_scope
    if strangers:
        names = Member.objects.filter(pk__in=list(strangers)[:5]).values_list("name", flat=True)
        errors.add(
            "present",
            _("以下人员不是“%(org)s”的在册党员：%(names)s")
            % {"org": scope.name, "names": "、".join(names) or ", ".join(map(str, strangers))},
        )
    credit = {}
    for member_id, value in (hours or {}).items():
        member_id = int(member_id)
        if member_id not in wanted or value in (None, ""):
            continue
        h = _hours(errors, f"hours_{member_id}", _("认定学时"), value)
        if h is not None:
            if problem := rules.attendance_hours_problem(h, session.hours):
                errors.add(f"hours_{member_id}", problem)
            credit[member_id] = h
    errors.raise_any()
    existing = {
        a.member_id: a
        for a in Attendance.objects.filter(session=session, member_id__in=in_scope | wanted)
    }
    added = [m for m in wanted if m not in existing]
    removed = [a for m, a in existing.items() if m not in wanted]
    Attendance.objects.bulk_create(
        [
            Attendance(
                session=session,
                member_id=m,
                organization_id=session.organization_id,
                year=session.starts_on.year,
                level=session.level,
                hours=credit.get(m, session.hours),
            )
            for m in added
        ]
    )
    changed = []
    for m, a in existing.items():
        if m in wanted and m in credit and a.hours != credit[m]:
            a.hours = credit[m]
            changed.append(a)
    Attendance.objects.bulk_update(changed, ["hours"])
    Attendance.objects.filter(pk__in=[a.pk for a in removed]).delete()
    net = len(added) - len(removed)
    if net:
        rollups.adjust(
            session.organization_id, {figures.person_time_key(session.year, session.level): net}
        )
        session.attendance_count += net
        session.save(update_fields=["attendance_count", "updated_at"])
    touched = set(added) | {a.member_id for a in removed} | {a.member_id for a in changed}
    recompute(touched, years_of_session(session))
    if touched:
        audit.record(
            actor,
            "update",
            session,
            organization=session.organization,
            summary=f"参训人员（{scope.name}）：+{len(added)} −{len(removed)}",
        )
    return {"added": len(added), "removed": len(removed), "changed": len(changed)}


@transaction.atomic
def delete_session(actor, session: Session) -> None:
    """Remove a session recorded by mistake, with its attendance."""
    require(actor, PERM, session.organization, _("您无权删除该培训"))
    session = Session.objects.select_for_update().get(pk=session.pk)
    members = list(session.attendances.values_list("member_id", flat=True))
    changes = Counter({k: -1 for k in figures.session_keys(session)})
    if members:
        changes[figures.person_time_key(session.year, session.level)] -= len(members)
    years = years_of_session(session)
    org_id = session.organization_id
    audit.record(
        actor, "delete", session, organization=session.organization, summary=f"删除培训：{session}"
    )
    session.delete()
    rollups.adjust(org_id, dict(changes))
    recompute(members, years)


# ---- online courses ------------------------------------------------------------------------


@transaction.atomic
def create_course(
    actor, org: Organization, *, title, hours, summary="", body="", level="county", files=()
) -> Course:
    require(actor, PERM, org, _("您无权为该组织发布网络课程"))
    errors = Errors()
    _open_org(errors, org)
    title = _text(errors, "title", _("课程名称"), title, 120)
    summary = _text(errors, "summary", _("简介"), summary, 300, required=False)
    body = _text(errors, "body", _("课程内容"), body, 50_000, required=False, multiline=True)
    level = _choice(errors, "level", level, TrainingLevel, _("培训层级"))
    value = _hours(errors, "hours", _("学时"), hours)
    if value is not None and not Decimal("0") < value <= Decimal("16"):
        errors.add("hours", _("一门网络课程的学时应大于0且不超过16"))
    uploads = []
    for upload in files or ():
        with errors.collect():
            uploads.append(CourseFile.from_upload(upload, field="files", default_name="课件"))
    if not body and not uploads:
        errors.add("body", _("请填写课程内容或上传课件、视频"))
    errors.raise_any()
    course = Course.objects.create(
        organization=org,
        title=title,
        summary=summary,
        body=body,
        hours=value,
        level=level,
        created_by=audit.user_of(actor),
    )
    for f in uploads:
        f.course = course
        f.save()
    audit.record(actor, "create", course, organization=org, summary=f"网络课程：{title}")
    return course


@transaction.atomic
def add_question(actor, course: Course, *, text, choices, answer) -> Question:
    require(actor, PERM, course.organization, _("您无权修改该课程的题库"))
    errors = Errors()
    text = _text(errors, "text", _("题目"), text, 500)
    choices = [c for c in ((c or "").strip() for c in (choices or [])) if c]
    try:
        answer = int(answer) if answer not in (None, "") else None
    except (TypeError, ValueError):
        answer = None
    for field, message in rules.question_problems(text, choices, answer).items():
        if not errors.has(field):
            errors.add(field, message)
    errors.raise_any()
    question = Question.objects.create(course=course, text=text, choices=choices, answer=answer)
    audit.record(
        actor, "create", question, organization=course.organization, summary=f"题库：{text[:60]}"
    )
    return question


@transaction.atomic
def publish_course(actor, course: Course, *, published=True) -> Course:
    require(actor, PERM, course.organization, _("您无权发布该课程"))
    if published and not course.questions.exists():
        errors = Errors()
        errors.add("questions", _("课程还没有题目，请先建立题库再发布"))
        errors.raise_any()
    course.is_published = bool(published)
    course.save(update_fields=["is_published", "updated_at"])
    audit.record(
        actor,
        "update",
        course,
        organization=course.organization,
        summary=f"{'发布' if published else '撤回'}网络课程：{course.title}",
    )
    return course


def quiz_for(course: Course, member: Member, attempt: int = 0) -> list[Question]:
    """The questions drawn for one attempt (another attempt draws again)."""
    n = config.get(course.organization, "training.quiz_questions")
    ids = list(course.questions.values_list("id", flat=True))
    drawn = rules.draw(ids, n, f"{course.pk}-{member.pk}-{attempt}")
    by_id = {q.pk: q for q in Question.objects.filter(pk__in=drawn)}
    return [by_id[i] for i in drawn]


def course_reaches(course: Course, member: Member) -> bool:
    """A course is for the members of its organization's subtree."""
    return member.organization.path.startswith(course.organization.path)


@transaction.atomic
def submit_quiz(actor, member: Member, course: Course, answers: dict, *, today=None) -> dict:
    """Grade an attempt: `answers` {question id: chosen index} for the questions drawn.
    Passed (at least the pass share right) → the course's hours credited, once. Returns
    {"passed", "correct", "total", "score", "completion"}."""
    own = getattr(actor, "member", None) if getattr(actor, "is_authenticated", False) else None
    if actor is not None and (own is None or own.pk != member.pk):
        require(actor, PERM, member.organization, _("只能本人参加课程测试"))
    today = today or timezone.localdate()
    errors = Errors()
    if not course.is_published or not course_reaches(course, member):
        errors.add("course", _("该课程未发布或不面向您所在的党组织"))
    if member.removed_on is not None:
        errors.add("member", _("该党员已不在册"))
    if CourseCompletion.objects.filter(course=course, member=member).exists():
        errors.add("course", _("您已通过该课程的测试，学时已认定"))
    key = {}
    try:
        picked = {int(q): int(a) for q, a in (answers or {}).items() if a not in (None, "")}
    except (TypeError, ValueError):
        picked = {}
        errors.add("answers", _("答案格式不正确"))
    if not errors.has("answers"):
        key = dict(
            Question.objects.filter(course=course, pk__in=list(picked)).values_list("pk", "answer")
        )
        if not picked or set(picked) - set(key):
            errors.add("answers", _("题目与课程不符，请重新开始测试"))
    errors.raise_any()
    total = len(key)
    correct = rules.grade(picked, key)
    share = config.get(course.organization, "training.pass_share")
    passed = rules.passed(correct, total, share)
    completion = None
    if passed:
        with unique_or_invalid("course", _("您已通过该课程的测试，学时已认定")):
            completion = CourseCompletion.objects.create(
                course=course,
                member=member,
                organization=member.organization,
                passed_on=today,
                score=rules.score(correct, total),
                hours=course.hours,
            )
        recompute([member.pk], [today.year])
        audit.record(
            actor,
            "create",
            completion,
            organization=member.organization,
            summary=f"{member.name} 通过网络课程《{course.title}》测试",
        )
    return {
        "passed": passed,
        "correct": correct,
        "total": total,
        "score": rules.score(correct, total),
        "completion": completion,
    }
