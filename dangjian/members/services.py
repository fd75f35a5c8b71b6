"""Every change to a member goes through these functions (views, API, importers alike)."""

import datetime
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.models import AuditEvent
from dangjian.core.services import (
    Errors,
    check_version,
    invalid,
    require,
    unique_or_invalid,
    validate_choice,
)
from dangjian.core.text import normalize_number, refuse_hidden
from dangjian.orgs.models import Kind, Organization
from dangjian.rollups import services as rollups

from . import rules
from .models import Category, Education, Gender, Member, MemberMove, Occupation, Status, Tag
from .rules import member_keys

FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "education",
    "id_number",
    "phone",
    "joined_on",
    "full_on",
    "status",
    "category",
    "occupation",
    "is_mobile",
    "posts",
)
REQUIRED = (
    "name",
    "gender",
    "birth_date",
    "education",
    "id_number",
    "joined_on",
    "status",
    "category",
)
PHONE = re.compile(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")


def label(field: str) -> str:
    return str(Member._meta.get_field(field).verbose_name)


def clean(
    data: dict,
    *,
    today: datetime.date | None = None,
    instance: Member | None = None,
    check_unique: bool = True,
) -> dict:
    """Validate member fields; raise one ValidationError naming every bad field, each with
    its message (a check that needs a field already refused is left for the next round).

    Used by the service, the forms, the API and the importer, so every path gives the same
    message for the same mistake. The importer checks ID numbers for a whole file at once and
    passes check_unique=False. A form that refused some fields itself passes what did clean
    (members.views): the missing ones are then reported here too, as 不能为空.
    """
    today = today or timezone.localdate()
    errors = Errors()
    data = {k: v for k, v in data.items() if k in FIELDS}
    for k in ("name", "ethnicity", "phone", "posts", "id_number"):
        if k in data and data[k] is not None:
            data[k] = str(data[k]).strip()
            with errors.collect():
                refuse_hidden(k, label(k), data[k])
    if data.get("phone"):
        data["phone"] = normalize_number(data["phone"])
    merged = {f: getattr(instance, f) for f in FIELDS} if instance else {}
    merged.update(data)
    for field in REQUIRED:
        if merged.get(field) in (None, "") and not errors.has(field):
            errors.add(field, _("%(field)s不能为空") % {"field": label(field)})
    if not errors.has("name") and len(merged["name"]) > 40:
        errors.add("name", _("姓名不能超过40个字"))
    for field, choices, name in (
        ("gender", Gender, _("性别")),
        ("education", Education, _("学历")),
        ("status", Status, _("党员状态")),
        ("category", Category, _("人员类别")),
    ):
        if not errors.has(field):
            with errors.collect():
                validate_choice(field, merged[field], choices, name)
    occupation = merged.get("occupation") or ""
    if (
        instance is not None
        and "occupation" not in data
        and merged.get("category") != instance.category
        and instance.occupation == rules.occupation_for(instance.category)
    ):
        occupation = ""  # it followed the old category: it follows the new one
    if occupation:
        with errors.collect():
            validate_choice("occupation", occupation, Occupation, _("职业"))
    elif not errors.has("category"):
        # Not filled in: what the category tells, if it tells anything.
        occupation = rules.occupation_for(merged["category"])
    if occupation != (instance.occupation if instance is not None else None):
        data["occupation"] = occupation
    id_ok = not errors.has("id_number")
    if id_ok:
        data["id_number"] = merged["id_number"] = rules.normalize_id_number(merged["id_number"])
        if error := rules.id_number_error(merged["id_number"]):
            errors.add("id_number", error)
            id_ok = False
    if id_ok and instance and "birth_date" not in data:
        # A new ID number brings its birth date (an editor who may not see the old one
        # has no birth date field to fill).
        data["birth_date"] = merged["birth_date"] = rules.birth_date_from_id(merged["id_number"])
    birth, joined, full = merged.get("birth_date"), merged.get("joined_on"), merged.get("full_on")
    if id_ok and birth and rules.birth_date_from_id(merged["id_number"]) != birth:
        errors.add("birth_date", _("出生日期与身份证号不一致"))
    if id_ok and not errors.has("gender"):
        if rules.gender_from_id(merged["id_number"]) != merged["gender"]:
            errors.add("gender", _("性别与身份证号不一致"))
    if birth and birth > today:
        errors.add("birth_date", _("出生日期不能晚于今天"))
    if joined and joined > today:
        errors.add("joined_on", _("入党日期不能晚于今天"))
    elif joined and birth and not errors.has("birth_date"):
        if (joined - birth).days / 365.2425 < 18:
            errors.add("joined_on", _("入党时应年满18周岁，请核对入党日期和出生日期"))
    if errors.has("status"):
        pass
    elif merged["status"] == Status.FULL:
        if not full:
            errors.add("full_on", _("正式党员应填写转正日期"))
        elif joined and full < joined:
            errors.add("full_on", _("转正日期不能早于入党日期"))
        elif joined and full < (possible := rules.probation_ends(joined)):
            errors.add(
                "full_on",
                _("转正日期不能早于%(date)s：预备期满一年才能转为正式党员")
                % {"date": possible.isoformat()},
            )
        elif full > today:
            errors.add("full_on", _("转正日期不能晚于今天"))
    elif full:
        errors.add("full_on", _("预备党员不应有转正日期"))
    if merged.get("phone") and not errors.has("phone") and not PHONE.match(merged["phone"]):
        errors.add("phone", _("手机号“%(phone)s”格式不正确") % {"phone": merged["phone"]})
    if check_unique and id_ok:
        qs = Member.objects.filter(id_number=merged["id_number"])
        if instance:
            qs = qs.exclude(pk=instance.pk)
        if qs.exists():
            errors.add("id_number", _duplicate(merged["id_number"]))
    errors.raise_any()
    return data


def _duplicate(id_number: str) -> str:
    return _("身份证号%(id)s的党员已经在册") % {"id": rules.mask_id_number(id_number)}


def check_organization(org: Organization) -> None:
    if org.is_dissolved:
        raise invalid("organization", _("“%(name)s”已撤销，不能接收党员") % {"name": org.name})
    if org.kind in (Kind.COMMITTEE, Kind.WORKING_COMMITTEE):
        # Members belong to a branch (or a general branch); committees hold branches.
        raise invalid(
            "organization",
            _("“%(name)s”是%(kind)s，党员应编入党支部")
            % {"name": org.name, "kind": org.get_kind_display()},
        )


def _tags(names) -> list[Tag]:
    out = []
    for name in names or []:
        name = str(name).strip()
        refuse_hidden("tags", _("标签"), name)
        if name:
            out.append(Tag.objects.get_or_create(name=name[:30])[0])
    return out


@transaction.atomic
def create(organization: Organization, *, actor=None, tags=None, **data) -> Member:
    require(actor, "members.add_member", organization, _("您无权在该组织登记党员"))
    check_organization(organization)
    data = clean(data)
    with unique_or_invalid("id_number", _duplicate(data["id_number"])):
        member = Member.objects.create(
            organization=organization, name_pinyin=rules.name_sort_key(data["name"]), **data
        )
    if tags:
        member.tags.set(_tags(tags))
    rollups.adjust(organization, {k: 1 for k in member_keys(member)})
    audit.record(
        actor,
        "create",
        member,
        organization=organization,
        summary=f"登记党员 {member.name}（{organization.name}）",
        changes=audit.diff({}, audit.snapshot(member, FIELDS)),
    )
    return member


@transaction.atomic
def update(member: Member, *, actor=None, tags=None, version=None, **data) -> Member:
    require(actor, "members.change_member", member, _("您无权修改该党员信息"))
    member = Member.objects.select_for_update().get(pk=member.pk)
    check_version(member, version)
    if member.removed_on:
        raise invalid("removed_on", _("该党员已减少，不能修改"))
    if (
        data.get("birth_date") is not None
        and not data.get("id_number")
        and actor is not None
        and not actor.has_perm("members.view_id_number", member)
    ):
        # Checked against the hidden ID number, the answer would tell the birth date.
        raise invalid(
            "birth_date",
            _(
                "出生日期随身份证号确定：无权查看身份证号时，请填写新的身份证号，不要单独修改出生日期"
            ),
        )
    data = clean(data, instance=member)
    before = audit.snapshot(member, FIELDS)
    before_tags = sorted(member.tags.values_list("name", flat=True))
    old_keys = member_keys(member)
    for k, v in data.items():
        setattr(member, k, v)
    member.name_pinyin = rules.name_sort_key(member.name)
    with unique_or_invalid("id_number", _duplicate(member.id_number)):
        member.save()
    changes = audit.diff(before, audit.snapshot(member, FIELDS))
    if tags is not None:
        member.tags.set(_tags(tags))
        after_tags = sorted(member.tags.values_list("name", flat=True))
        if after_tags != before_tags:
            changes["tags"] = [before_tags, after_tags]
    if changes:
        rollups.adjust(member.organization, rollups.delta(old_keys, member_keys(member)))
        audit.record(
            actor,
            "update",
            member,
            organization=member.organization,
            summary=f"修改党员 {member.name}",
            changes=changes,
        )
    return member


@transaction.atomic
def move(member: Member, to: Organization, *, on=None, reason="", actor=None) -> MemberMove:
    """Move a member's record to another organization; the move is kept."""
    require(actor, "members.change_member", member, _("您无权转出该党员"))
    require(actor, "members.add_member", to, _("您无权把党员转入目标组织"))
    return move_record(member, to, on=on, reason=reason, actor=actor)


def move_record(member: Member, to: Organization, *, on=None, reason="", actor=None) -> MemberMove:
    """The move itself, its permission checked by the caller (move(), or a transfer's
    confirmation by the receiving organization: members.transfers). Call in a transaction."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.removed_on:
        raise invalid("member", _("该党员已减少，不能转接"))
    if member.organization_id == to.pk:
        raise invalid(
            "organization", _("%(name)s已在“%(org)s”") % {"name": member.name, "org": to.name}
        )
    check_organization(to)
    on = on or timezone.localdate()
    source = member.organization
    keys = member_keys(member)
    member.organization = to
    member.save(update_fields=["organization", "updated_at"])
    rollups.adjust(source, {k: -1 for k in keys})
    rollups.adjust(to, {k: 1 for k in keys})
    record = MemberMove.objects.create(
        member=member,
        from_organization=source,
        to_organization=to,
        moved_on=on,
        reason=(reason or "").strip()[:200],
        moved_by=audit.user_of(actor),
    )
    audit.record(
        actor,
        "move",
        member,
        organization=to,
        summary=f"{member.name}由“{source.name}”转入“{to.name}”",
        changes={"organization": [source.code, to.code]},
    )
    return record


@transaction.atomic
def remove(member: Member, *, reason: str, on=None, actor=None) -> Member:
    """Mark a member as no longer on the roll (death, leaving, transfer out of the county)."""
    require(actor, "members.remove_member", member, _("您无权减少该党员"))
    member = Member.objects.select_for_update().get(pk=member.pk)
    reason = (reason or "").strip()
    if not reason:
        raise invalid("removed_reason", _("请填写减少原因"))
    if member.removed_on:
        raise invalid("removed_on", _("该党员已于%(on)s减少") % {"on": member.removed_on})
    old_keys = member_keys(member)
    member.removed_on, member.removed_reason = on or timezone.localdate(), reason[:200]
    member.save(update_fields=["removed_on", "removed_reason", "updated_at"])
    rollups.adjust(member.organization, rollups.delta(old_keys, []))
    audit.record(
        actor,
        "remove",
        member,
        organization=member.organization,
        summary=f"减少党员 {member.name}：{reason}",
        changes={"removed_on": [None, str(member.removed_on)], "removed_reason": ["", reason]},
    )
    return member


# Bulk creation for the importer -----------------------------------------------------------

# Roll-ups after a bulk insert: adjusting one organization rewrites every figure of all its
# ancestors (about 4 x 70 rows), so for a file touching many organizations one full rebuild is
# cheaper -- unless the database is much larger than the file (rebuild() reads every member).
# Measured on a county (19,000 members, 678 branches): 678 adjusts 10.6 s, rebuild 1.3 s on
# PostgreSQL; 0.6 s each on SQLite.
BULK_REBUILD_ORGS = 2000
REBUILD_MEMBERS_PER_ORG = 200


@transaction.atomic
def bulk_create(items, *, actor=None, today: datetime.date | None = None) -> list[Member]:
    """Create many members at once (the .xlsx importer); all or nothing.

    `items` is a list of (organization, data, tag names) whose `data` has already passed
    `clean()` row by row (the importer runs it to report every bad row). Here the whole batch
    is checked once more for what `clean()` checks against the database (permission, the
    receiving organizations, ID numbers not yet on the roll), then written with bulk inserts:
    the members, their tags, one audit event per member, and the roll-ups (summed per
    organization, or rebuilt when very many organizations are touched).
    """
    from collections import Counter

    if not items:
        return []
    orgs = {org.pk: org for org, _data, _tags in items}
    for org in orgs.values():
        require(
            actor, "members.add_member", org, _("您无权在“%(name)s”登记党员") % {"name": org.name}
        )
        check_organization(org)
    id_numbers = [rules.normalize_id_number(data["id_number"]) for _o, data, _t in items]
    if len(set(id_numbers)) != len(id_numbers):
        raise invalid("id_number", _("同一批党员中有重复的身份证号"))
    for start in range(0, len(id_numbers), 500):
        taken = Member.objects.filter(id_number__in=id_numbers[start : start + 500]).first()
        if taken:
            raise invalid(
                "id_number",
                _("身份证号%(id)s的党员已经在册") % {"id": rules.mask_id_number(taken.id_number)},
            )

    members = []
    for (org, data, _tags), id_number in zip(items, id_numbers, strict=True):
        fields = {k: v for k, v in data.items() if k in FIELDS}
        fields["id_number"] = id_number
        fields["name_pinyin"] = rules.name_sort_key(fields.get("name", ""))
        members.append(Member(organization=org, **fields))
    Member.objects.bulk_create(members, batch_size=1000)

    tag_names = {
        str(n).strip()[:30] for _o, _d, tags in items for n in (tags or []) if str(n).strip()
    }
    if tag_names:
        Tag.objects.bulk_create([Tag(name=n) for n in tag_names], ignore_conflicts=True)
        tag_ids = dict(Tag.objects.filter(name__in=tag_names).values_list("name", "id"))
        through = Member.tags.through
        links = {
            (member.pk, tag_ids[str(n).strip()[:30]])
            for member, (_o, _d, tags) in zip(members, items, strict=True)
            for n in (tags or [])
            if str(n).strip()
        }
        through.objects.bulk_create(
            [through(member_id=m, tag_id=t) for m, t in sorted(links)], batch_size=2000
        )

    deltas: dict[int, Counter] = {}
    for member in members:
        deltas.setdefault(member.organization_id, Counter()).update(member_keys(member))
    on_roll = Member.objects.filter(removed_on__isnull=True).count()
    if len(deltas) > BULK_REBUILD_ORGS or on_roll < len(deltas) * REBUILD_MEMBERS_PER_ORG:
        rollups.rebuild()
    else:
        for org_id, changes in deltas.items():
            rollups.adjust(orgs[org_id], changes)

    who = audit.user_of(actor)
    events = []
    for member, (org, _data, tags) in zip(members, items, strict=True):
        changes = audit.diff({}, audit.snapshot(member, FIELDS))
        if tags:
            changes["tags"] = [[], sorted({str(n).strip()[:30] for n in tags if str(n).strip()})]
        events.append(
            AuditEvent(
                actor=who,
                action="create",
                target_type=audit.target_type(member),
                target_id=str(member.pk),
                organization=org,
                changes=changes,
                summary=f"登记党员 {member.name}（{org.name}）：Excel导入"[:300],
            )
        )
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return members


def conversion_reminders(today: datetime.date):
    """Reminders to the branch of each probationary member whose probation ends within
    CONVERSION_NOTICE_DAYS or has ended without a conversion (a reminder source)."""
    from .selectors import conversions_due

    for root in Organization.objects.filter(depth=1):
        for m in conversions_due(root, today):
            yield (
                m.organization_id,
                f"members:conversion:{m.pk}:{m.probation_ends.isoformat()}",
                _("%(name)s的预备期于%(date)s届满，请按期讨论其转正")
                % {"name": m.name, "date": m.probation_ends.isoformat()},
                m.probation_ends,
            )
