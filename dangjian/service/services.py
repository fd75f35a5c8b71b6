"""Writes of serving the public. Each checks who may (managers of the organization and those
above; a member for their own pledges, claims and service records), collects every error of
the input at once (in Chinese, naming the field), runs in a transaction and is audited."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.services import Errors, require, validate_choice
from dangjian.core.text import hidden_characters
from dangjian.members.models import Member
from dangjian.orgs.models import Level, Organization

from . import rules
from .models import (
    CLOSED_STATUSES,
    Concern,
    ConcernCategory,
    ConcernNote,
    ConcernStatus,
    ContactPoint,
    Pledge,
    PledgeStatus,
    PointLevel,
    PostClaim,
    ProxyRequest,
    ProxyStatus,
    ProxyStep,
    ResidentGroup,
    ServicePost,
    ServiceRecord,
    Suggestion,
    SuggestionStatus,
    TeamRole,
    Visit,
    VisitKind,
    WorkTeam,
    WorkTeamMember,
)

PERM = "service.record"
PHONE = re.compile(r"^[0-9+\-() ]{5,30}$")
COMMUNITY_LEVELS = (Level.COMMUNITY,)
VILLAGE_LEVELS = (Level.VILLAGE, Level.COMMUNITY)


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


def _int(errors, field, label, value):
    if value in (None, ""):
        errors.add(field, _("请填写%(label)s") % {"label": label})
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        errors.add(field, _("%(label)s应为整数") % {"label": label})
        return None


def _choice(errors, field, value, choices, label):
    with errors.collect():
        validate_choice(field, value, choices, label)
    return value


def _open_org(errors, org: Organization, levels=None, what=""):
    if org.is_dissolved:
        errors.add("organization", _("“%(name)s”已撤销") % {"name": org.name})
    elif levels and org.level not in levels:
        errors.add("organization", what % {"name": org.name})


def _own_member(actor, member: Member) -> bool:
    own = getattr(actor, "member", None) if getattr(actor, "is_authenticated", False) else None
    return own is not None and own.pk == member.pk


def _require_member_or_manager(actor, member: Member, message):
    """The member themself, or a manager of their organization (or above)."""
    if actor is None or _own_member(actor, member):
        return
    require(actor, PERM, member.organization, message)


# ---- pledges -------------------------------------------------------------------------------


@transaction.atomic
def make_pledge(
    actor, org: Organization, *, content, beneficiary, due_on, member=None, year=None, today=None
) -> Pledge:
    """A pledge of `org` (member None) or of one of its members."""
    if member is not None:
        _require_member_or_manager(actor, member, _("您无权为该党员登记承诺"))
    else:
        require(actor, PERM, org, _("您无权为该组织登记承诺"))
    today = today or timezone.localdate()
    errors = Errors()
    _open_org(errors, org)
    if member is not None and (member.organization_id != org.pk or member.removed_on):
        errors.add("member", _("承诺党员应是本组织的在册党员"))
    content = _text(errors, "content", _("承诺内容"), content, 200)
    beneficiary = _text(errors, "beneficiary", _("服务对象"), beneficiary, 120)
    due = _date(errors, "due_on", _("承诺完成时间"), due_on)
    year = year or (due.year if due else today.year)
    errors.raise_any()
    pledge = Pledge.objects.create(
        organization=org,
        member=member,
        year=year,
        content=content,
        beneficiary=beneficiary,
        due_on=due,
        created_by=audit.user_of(actor),
    )
    who = member.name if member else org.name
    audit.record(actor, "create", pledge, organization=org, summary=f"公开承诺（{who}）：{content}")
    return pledge


@transaction.atomic
def close_pledge(
    actor, pledge: Pledge, *, done, evidence="", reason="", closed_on=None, today=None
) -> Pledge:
    """Mark a pledge done (with its evidence) or not done (with the reason)."""
    if pledge.member_id:
        _require_member_or_manager(actor, pledge.member, _("您无权办结该承诺"))
    else:
        require(actor, PERM, pledge.organization, _("您无权办结该承诺"))
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    today = today or timezone.localdate()
    errors = Errors()
    if pledge.status != PledgeStatus.OPEN:
        errors.add("status", _("该承诺已办结（%(s)s）") % {"s": pledge.get_status_display()})
    done = done in (True, "true", "1", "done", "on")
    evidence = _text(
        errors, "evidence", _("兑现情况"), evidence, 2000, required=False, multiline=True
    )
    reason = _text(errors, "reason", _("未兑现原因"), reason, 2000, required=False, multiline=True)
    for field, message in rules.close_pledge_problems(done, evidence, reason).items():
        errors.add(field, message)
    closed = _date(errors, "closed_on", _("办结日期"), closed_on or today, today=today)
    errors.raise_any()
    pledge.status = PledgeStatus.DONE if done else PledgeStatus.NOT_DONE
    pledge.evidence, pledge.reason = (evidence, "") if done else ("", reason)
    pledge.closed_on = closed
    pledge.save()
    audit.record(
        actor,
        "update",
        pledge,
        organization=pledge.organization,
        summary=f"{pledge.content}：{pledge.get_status_display()}",
        changes={"status": [PledgeStatus.OPEN, pledge.status]},
    )
    return pledge


# ---- service posts -------------------------------------------------------------------------


@transaction.atomic
def publish_post(actor, org: Organization, *, title, duties, places=1, year=None, today=None):
    require(actor, PERM, org, _("您无权为该组织发布服务岗位"))
    today = today or timezone.localdate()
    errors = Errors()
    _open_org(errors, org, COMMUNITY_LEVELS, _("服务岗位由社区党组织发布，“%(name)s”不是社区"))
    title = _text(errors, "title", _("岗位名称"), title, 80)
    duties = _text(errors, "duties", _("岗位职责"), duties, 2000, multiline=True)
    places = _int(errors, "places", _("认领人数上限"), places)
    if places is not None and not 1 <= places <= 500:
        errors.add("places", _("认领人数上限应在1至500之间"))
    errors.raise_any()
    post = ServicePost.objects.create(
        organization=org,
        year=year or today.year,
        title=title,
        duties=duties,
        places=places,
        created_by=audit.user_of(actor),
    )
    audit.record(actor, "create", post, organization=org, summary=f"服务岗位：{title}")
    return post


def home_community_of(member: Member, year: int):
    """The community where the member already claimed posts this year, or None."""
    claim = (
        PostClaim.objects.filter(member=member, post__year=year)
        .select_related("organization")
        .first()
    )
    return claim.organization if claim else None


@transaction.atomic
def claim_post(actor, post: ServicePost, member: Member, *, today=None) -> PostClaim:
    """An employed member claims a post in their home community: every post they claim in a
    year is in that one community; no post beyond its places; not twice."""
    _require_member_or_manager(actor, member, _("您无权为该党员认领岗位"))
    post = ServicePost.objects.select_for_update().select_related("organization").get(pk=post.pk)
    today = today or timezone.localdate()
    errors = Errors()
    if member.removed_on:
        errors.add("member", _("该党员已不在册"))
    if not post.is_open:
        errors.add("post", _("该岗位已停止认领"))
    elif post.claimed >= post.places:
        errors.add("post", _("该岗位已认满（%(n)s人）") % {"n": post.places})
    if PostClaim.objects.filter(post=post, member=member).exists():
        errors.add("post", _("您已认领该岗位"))
    home = home_community_of(member, post.year)
    if home is not None and home.pk != post.organization_id:
        errors.add(
            "post",
            _(
                "在职党员在居住地社区报到认岗：您今年已在“%(home)s”认领岗位，不能再认领其他社区的岗位"
            )
            % {"home": home.name},
        )
    errors.raise_any()
    claim = PostClaim.objects.create(
        post=post,
        organization=post.organization,
        member=member,
        claimed_on=today,
        created_by=audit.user_of(actor),
    )
    post.claimed += 1
    post.save(update_fields=["claimed", "updated_at"])
    audit.record(
        actor, "create", claim, organization=post.organization, summary=f"认领岗位：{post.title}"
    )
    return claim


def _decimal(errors, field, label, value):
    if value in (None, ""):
        errors.add(field, _("请填写%(label)s") % {"label": label})
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.1"))
    except InvalidOperation:
        errors.add(field, _("%(label)s“%(v)s”不是数字") % {"label": label, "v": value})
        return None


@transaction.atomic
def record_service(
    actor, claim: PostClaim, *, served_on, hours, people_served, content, today=None
) -> ServiceRecord:
    """One time the member served on a claimed post (one person-time)."""
    _require_member_or_manager(actor, claim.member, _("您无权为该党员登记服务"))
    today = today or timezone.localdate()
    errors = Errors()
    served = _date(errors, "served_on", _("服务日期"), served_on)
    hours = _decimal(errors, "hours", _("服务时长"), hours)
    people = _int(errors, "people_served", _("服务群众人数"), people_served)
    content = _text(errors, "content", _("服务内容"), content, 200)
    for field, message in rules.record_problems(
        hours, people, served, claim.claimed_on, today
    ).items():
        if not errors.has(field):
            errors.add(field, message)
    errors.raise_any()
    record = ServiceRecord.objects.create(
        claim=claim,
        organization_id=claim.organization_id,
        member_id=claim.member_id,
        served_on=served,
        hours=hours,
        people_served=people,
        content=content,
        created_by=audit.user_of(actor),
    )
    audit.record(
        actor,
        "create",
        record,
        organization=claim.organization,
        summary=f"服务记录：{served} {content}（{hours}小时）",
    )
    return record


# ---- visits and concerns -------------------------------------------------------------------


def _concern_fields(errors, *, category, content, owner, due_on, raised_on, raised_by=""):
    return {
        "category": _choice(errors, "category", category, ConcernCategory, _("类别")),
        "content": _text(errors, "content", _("反映的问题"), content, 2000, multiline=True),
        "owner": _text(errors, "owner", _("责任人"), owner, 60),
        "due_on": _date(errors, "due_on", _("办理期限"), due_on),
        "raised_by": _text(errors, "raised_by", _("反映人"), raised_by, 60, required=False),
        "raised_on": raised_on,
    }


@transaction.atomic
def record_visit(
    actor,
    org: Organization,
    *,
    visitor,
    household,
    visited_on,
    findings,
    kind=VisitKind.HOUSEHOLD,
    work_team=None,
    concerns=(),
    today=None,
) -> Visit:
    """A visit with the concerns raised in it (each a dict of category, content, owner,
    due_on and optionally raised_by); errors of a concern are named concerns.N.field."""
    require(actor, PERM, org, _("您无权为该组织登记走访"))
    today = today or timezone.localdate()
    errors = Errors()
    _open_org(errors, org)
    _choice(errors, "kind", kind, VisitKind, _("走访类型"))
    visitor = _text(errors, "visitor", _("走访人"), visitor, 60)
    household = _text(errors, "household", _("走访对象"), household, 80)
    visited = _date(errors, "visited_on", _("走访日期"), visited_on, today=today)
    findings = _text(errors, "findings", _("走访情况"), findings, 2000, multiline=True)
    if work_team is not None and work_team.organization_id != org.pk:
        errors.add("work_team", _("驻村工作队应是派驻本村的"))
    rows = []
    for n, data in enumerate(concerns, start=1):
        sub = Errors()
        fields = _concern_fields(sub, raised_on=visited, **data)
        if fields["due_on"] and visited and fields["due_on"] < visited:
            sub.add("due_on", _("办理期限不能早于反映日期"))
        for field, messages in sub.by_field.items():
            for message in messages:
                errors.add(
                    f"concerns.{n}.{field}", _("第%(n)s条民情：%(m)s") % {"n": n, "m": message}
                )
        rows.append(fields)
    errors.raise_any()
    visit = Visit.objects.create(
        organization=org,
        kind=kind,
        visitor=visitor,
        household=household,
        visited_on=visited,
        findings=findings,
        work_team=work_team,
        created_by=audit.user_of(actor),
    )
    audit.record(actor, "create", visit, organization=org, summary=f"走访：{visited} {visitor}")
    for fields in rows:
        concern = Concern.objects.create(
            organization=org, visit=visit, created_by=audit.user_of(actor), **fields
        )
        audit.record(
            actor,
            "create",
            concern,
            organization=org,
            summary=f"民情事项（{concern.get_category_display()}）：{concern.content[:60]}",
        )
    return visit


@transaction.atomic
def raise_concern(
    actor,
    org,
    *,
    category,
    content,
    owner,
    due_on,
    raised_on=None,
    raised_by="",
    visit=None,
    today=None,
) -> Concern:
    """A concern raised at the station, by phone, in a forum, or one more of a visit's."""
    require(actor, PERM, org, _("您无权为该组织登记民情事项"))
    today = today or timezone.localdate()
    errors = Errors()
    _open_org(errors, org)
    raised = _date(errors, "raised_on", _("反映日期"), raised_on or today, today=today)
    fields = _concern_fields(
        errors,
        category=category,
        content=content,
        owner=owner,
        due_on=due_on,
        raised_on=raised,
        raised_by=raised_by,
    )
    if fields["due_on"] and raised and fields["due_on"] < raised:
        errors.add("due_on", _("办理期限不能早于反映日期"))
    if visit is not None and visit.organization_id != org.pk:
        errors.add("visit", _("走访记录不属于该组织"))
    errors.raise_any()
    concern = Concern.objects.create(
        organization=org, visit=visit, created_by=audit.user_of(actor), **fields
    )
    audit.record(
        actor,
        "create",
        concern,
        organization=org,
        summary=f"民情事项（{concern.get_category_display()}）：{concern.content[:60]}",
    )
    return concern


@transaction.atomic
def follow_concern(actor, concern: Concern, *, text, noted_on=None, today=None) -> ConcernNote:
    """A step of following the concern; an open concern becomes 办理中."""
    require(actor, PERM, concern.organization, _("您无权办理该民情事项"))
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    today = today or timezone.localdate()
    errors = Errors()
    if concern.is_closed:
        errors.add("text", _("该民情事项已办结"))
    text = _text(errors, "text", _("办理情况"), text, 300)
    noted = _date(errors, "noted_on", _("日期"), noted_on or today, today=today)
    if noted and noted < concern.raised_on:
        errors.add("noted_on", _("日期不能早于反映日期（%(d)s）") % {"d": concern.raised_on})
    errors.raise_any()
    note = ConcernNote.objects.create(
        concern=concern, noted_on=noted, text=text, created_by=audit.user_of(actor)
    )
    if concern.status == ConcernStatus.OPEN:
        concern.status = ConcernStatus.IN_PROGRESS
        concern.save(update_fields=["status", "updated_at"])
    audit.record(
        actor, "update", concern, organization=concern.organization, summary=f"办理进展：{text}"
    )
    return note


@transaction.atomic
def close_concern(
    actor, concern: Concern, *, outcome, status=ConcernStatus.SOLVED, closed_on=None, today=None
) -> Concern:
    """Close a concern as solved (已解决) or answered (已答复, beyond what can be done):
    never without its outcome."""
    require(actor, PERM, concern.organization, _("您无权办理该民情事项"))
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    today = today or timezone.localdate()
    errors = Errors()
    if concern.is_closed:
        errors.add("status", _("该民情事项已办结（%(s)s）") % {"s": concern.get_status_display()})
    if status not in CLOSED_STATUSES:
        errors.add("status", _("请选择已解决或已答复"))
    closed = _date(errors, "closed_on", _("办结日期"), closed_on or today)
    outcome = (outcome or "").strip()
    if not errors.has("closed_on"):
        for field, message in rules.close_concern_problems(
            outcome, closed, concern.raised_on, today
        ).items():
            errors.add(field, message)
    _text(errors, "outcome", _("办理结果"), outcome, 2000, required=False, multiline=True)
    errors.raise_any()
    old = concern.status
    concern.status, concern.outcome, concern.closed_on = status, outcome, closed
    concern.save()
    audit.record(
        actor,
        "update",
        concern,
        organization=concern.organization,
        summary=f"民情事项办结（{concern.get_status_display()}）：{outcome[:60]}",
        changes={"status": [old, status]},
    )
    return concern


# ---- proxy service -------------------------------------------------------------------------


@transaction.atomic
def open_proxy(
    actor, org, *, resident, group, matter, handler, requested_on=None, today=None
) -> ProxyRequest:
    require(actor, PERM, org, _("您无权为该组织登记代办事项"))
    today = today or timezone.localdate()
    errors = Errors()
    _open_org(errors, org)
    resident = _text(errors, "resident", _("代办对象"), resident, 60)
    _choice(errors, "group", group, ResidentGroup, _("对象类别"))
    matter = _text(errors, "matter", _("代办事项"), matter, 200)
    handler = _text(errors, "handler", _("代办人"), handler, 60)
    requested = _date(errors, "requested_on", _("受理日期"), requested_on or today, today=today)
    errors.raise_any()
    request = ProxyRequest.objects.create(
        organization=org,
        resident=resident,
        group=group,
        matter=matter,
        handler=handler,
        requested_on=requested,
        created_by=audit.user_of(actor),
    )
    audit.record(actor, "create", request, organization=org, summary=f"代办事项：{matter}")
    return request


@transaction.atomic
def proxy_step(actor, request: ProxyRequest, *, text, done_on=None, finish=False, today=None):
    """A step of a proxy request; `finish` marks it done (the step's text is the result)."""
    require(actor, PERM, request.organization, _("您无权办理该代办事项"))
    request = ProxyRequest.objects.select_for_update().get(pk=request.pk)
    today = today or timezone.localdate()
    errors = Errors()
    if request.status == ProxyStatus.DONE:
        errors.add("text", _("该代办事项已办结"))
    text = _text(errors, "text", _("办理步骤"), text, 300)
    day = _date(errors, "done_on", _("日期"), done_on or today, today=today)
    if day and day < request.requested_on:
        errors.add("done_on", _("日期不能早于受理日期（%(d)s）") % {"d": request.requested_on})
    errors.raise_any()
    step = ProxyStep.objects.create(
        request=request, done_on=day, text=text, created_by=audit.user_of(actor)
    )
    if finish:
        request.status, request.result, request.done_on = ProxyStatus.DONE, text, day
        request.save(update_fields=["status", "result", "done_on", "updated_at"])
    audit.record(
        actor,
        "update",
        request,
        organization=request.organization,
        summary=f"{'代办办结' if finish else '代办步骤'}：{text}",
    )
    return step


# ---- suggestions ---------------------------------------------------------------------------


@transaction.atomic
def submit_suggestion(actor, member: Member, *, title, content, today=None) -> Suggestion:
    """A member's suggestion to their branch."""
    _require_member_or_manager(actor, member, _("您无权代该党员提出建议"))
    today = today or timezone.localdate()
    errors = Errors()
    if member.removed_on:
        errors.add("member", _("该党员已不在册"))
    title = _text(errors, "title", _("建议题目"), title, 120)
    content = _text(errors, "content", _("建议内容"), content, 4000, multiline=True)
    errors.raise_any()
    suggestion = Suggestion.objects.create(
        organization_id=member.organization_id,
        member=member,
        submitted_on=today,
        title=title,
        content=content,
        created_by=audit.user_of(actor),
    )
    audit.record(
        actor,
        "create",
        suggestion,
        organization=member.organization,
        summary=f"党员建议：{title}",
    )
    return suggestion


@transaction.atomic
def reply_suggestion(actor, suggestion: Suggestion, *, reply, replied_on=None, today=None):
    """The branch's written reply."""
    require(actor, PERM, suggestion.organization, _("您无权答复该建议"))
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    today = today or timezone.localdate()
    errors = Errors()
    if suggestion.status == SuggestionStatus.REPLIED:
        errors.add("reply", _("该建议已答复"))
    reply = _text(errors, "reply", _("书面答复"), reply, 4000, multiline=True)
    day = _date(errors, "replied_on", _("答复日期"), replied_on or today, today=today)
    if day and day < suggestion.submitted_on:
        errors.add("replied_on", _("答复日期不能早于提出日期"))
    errors.raise_any()
    suggestion.status, suggestion.reply, suggestion.replied_on = (
        SuggestionStatus.REPLIED,
        reply,
        day,
    )
    suggestion.save()
    audit.record(
        actor,
        "update",
        suggestion,
        organization=suggestion.organization,
        summary=f"答复建议：{suggestion.title}",
    )
    return suggestion


@transaction.atomic
def group_suggestions(actor, org, *, suggestions, topic, meeting_on, today=None) -> int:
    """After a meeting, the branch files suggestions under one topic (归类)."""
    require(actor, PERM, org, _("您无权整理该组织的建议"))
    today = today or timezone.localdate()
    errors = Errors()
    topic = _text(errors, "topic", _("归类"), topic, 40)
    day = _date(errors, "meeting_on", _("会议日期"), meeting_on, today=today)
    ids = [s.pk for s in suggestions]
    if not ids:
        errors.add("suggestions", _("请选择要归类的建议"))
    elif Suggestion.objects.filter(pk__in=ids).exclude(organization=org).exists():
        errors.add("suggestions", _("只能归类本组织的建议"))
    errors.raise_any()
    n = Suggestion.objects.filter(pk__in=ids).update(
        topic=topic, meeting_on=day, updated_at=timezone.now()
    )
    for s in suggestions:
        audit.record(actor, "update", s, organization=org, summary=f"建议归类：{topic}（{day}）")
    return n


# ---- work teams and contact points ---------------------------------------------------------


@transaction.atomic
def send_work_team(
    actor, village, *, name, unit, starts_on, ends_on, people=(), extended_to=None
) -> WorkTeam:
    """A work team (or a first secretary alone) sent to `village`; `people` are dicts of
    name, role, unit, work_phone."""
    require(actor, PERM, village, _("您无权为该村登记驻村工作队"))
    errors = Errors()
    _open_org(errors, village, VILLAGE_LEVELS, _("驻村工作队派驻到村（社区），“%(name)s”不是"))
    name = _text(errors, "name", _("工作队名称"), name, 80)
    unit = _text(errors, "unit", _("派出单位"), unit, 80)
    start = _date(errors, "starts_on", _("任期开始"), starts_on)
    end = _date(errors, "ends_on", _("任期结束"), ends_on)
    extended = _date(errors, "extended_to", _("延期至"), extended_to, required=False)
    for field, message in rules.term_problems(start, end, extended).items():
        errors.add(field, message)
    rows = []
    for n, person in enumerate(people, start=1):
        sub = Errors()
        row = {
            "name": _text(sub, "name", _("姓名"), person.get("name"), 40),
            "role": _choice(sub, "role", person.get("role"), TeamRole, _("职务")),
            "unit": _text(sub, "unit", _("原单位及职务"), person.get("unit"), 80, required=False),
            "work_phone": (person.get("work_phone") or "").strip(),
        }
        if not PHONE.match(row["work_phone"]):
            sub.add("work_phone", _("请填写办公电话（数字，可带区号和短横线）"))
        for field, messages in sub.by_field.items():
            for message in messages:
                errors.add(
                    f"people.{n}.{field}", _("第%(n)s名队员：%(m)s") % {"n": n, "m": message}
                )
        rows.append(row)
    if not rows:
        errors.add("people", _("请至少填写一名队员或第一书记"))
    errors.raise_any()
    team = WorkTeam.objects.create(
        organization=village,
        name=name,
        unit=unit,
        starts_on=start,
        ends_on=end,
        extended_to=extended,
        created_by=audit.user_of(actor),
    )
    WorkTeamMember.objects.bulk_create(WorkTeamMember(team=team, **row) for row in rows)
    audit.record(
        actor, "create", team, organization=village, summary=f"驻村工作队：{name}（{unit}）"
    )
    return team


@transaction.atomic
def extend_work_team(actor, team: WorkTeam, *, extended_to) -> WorkTeam:
    require(actor, PERM, team.organization, _("您无权修改该驻村工作队"))
    team = WorkTeam.objects.select_for_update().get(pk=team.pk)
    errors = Errors()
    day = _date(errors, "extended_to", _("延期至"), extended_to)
    for field, message in rules.term_problems(team.starts_on, team.ends_on, day).items():
        errors.add(field, message)
    errors.raise_any()
    old = team.extended_to
    team.extended_to = day
    team.save(update_fields=["extended_to", "updated_at"])
    audit.record(
        actor,
        "update",
        team,
        organization=team.organization,
        summary=f"{team.name} 任期延至 {day}",
        changes={"extended_to": [str(old) if old else None, str(day)]},
    )
    return team


POINT_LEVELS = {
    Level.COUNTY: PointLevel.COUNTY,
    Level.TOWNSHIP: PointLevel.TOWNSHIP,
    Level.STREET: PointLevel.TOWNSHIP,
    Level.VILLAGE: PointLevel.VILLAGE,
    Level.COMMUNITY: PointLevel.COMMUNITY,
    Level.AGENCY: PointLevel.DEPARTMENT,
    Level.INSTITUTION: PointLevel.DEPARTMENT,
}


@transaction.atomic
def add_contact_point(
    actor, org, *, leader_name, leader_post, point: Organization, since, until=None
) -> ContactPoint:
    """A leader of `org` follows `point`, an organization in `org`'s subtree."""
    require(actor, PERM, org, _("您无权为该组织登记联系点"))
    errors = Errors()
    leader_name = _text(errors, "leader_name", _("领导姓名"), leader_name, 40)
    leader_post = _text(errors, "leader_post", _("职务"), leader_post, 60)
    start = _date(errors, "since", _("联系开始"), since)
    end = _date(errors, "until", _("联系结束"), until, required=False)
    if start and end and end < start:
        errors.add("until", _("联系结束不能早于联系开始"))
    level = POINT_LEVELS.get(point.level) if point is not None else None
    if point is None:
        errors.add("point", _("请选择联系点"))
    elif not point.path.startswith(org.path):
        errors.add("point", _("联系点应在本组织管辖范围内"))
    elif level is None:
        errors.add("point", _("联系点应是县、部门、乡镇、村或社区"))
    errors.raise_any()
    cp = ContactPoint.objects.create(
        organization=org,
        leader_name=leader_name,
        leader_post=leader_post,
        point=point,
        point_level=level,
        since=start,
        until=end,
        created_by=audit.user_of(actor),
    )
    audit.record(
        actor, "create", cp, organization=org, summary=f"联系点：{leader_name} → {point.name}"
    )
    return cp
