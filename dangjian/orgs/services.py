"""Every change to the organization tree goes through these functions.

Each runs in one transaction, checks the actor's permission, keeps the roll-up figures in
step and writes an audit event.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.forms import normalize_code
from dangjian.core.models import AuditEvent
from dangjian.core.services import Errors, check_version, invalid, require, validate_choice
from dangjian.core.text import normalize_number, refuse_hidden
from dangjian.rollups import services as rollups

from . import rules, signals
from .models import Kind, Level, Officer, OfficerRole, Organization, Sector
from .pinyin import name_initials
from .rules import org_keys

EDITABLE = ("name", "code", "kind", "sector", "level", "founded_on", "phone", "address")


def _clean(data: dict, errors: Errors | None = None) -> dict:
    """The editable fields checked; every bad one named at once (`errors` given: added to
    it, the caller raises after its own checks)."""
    mine = errors is None
    errors = Errors() if mine else errors
    data = {k: v for k, v in data.items() if k in EDITABLE}
    for field in ("name", "phone", "address"):
        if data.get(field):
            label = Organization._meta.get_field(field).verbose_name
            with errors.collect():
                refuse_hidden(field, label, str(data[field]))
    if data.get("phone"):
        data["phone"] = normalize_number(data["phone"])
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
        if not data["name"]:
            errors.add("name", _("组织名称不能为空"))
    if "code" in data:
        data["code"] = normalize_code(data["code"])
        if not data["code"]:
            errors.add("code", _("组织编码不能为空"))
    for field, choices, name in (
        ("kind", Kind, _("组织类别")),
        ("sector", Sector, _("领域")),
        ("level", Level, _("层级")),
    ):
        if field in data:
            with errors.collect():
                validate_choice(field, data[field], choices, name)
    if mine:
        errors.raise_any()
    return data


def _check_code_free(code, exclude_pk=None):
    qs = Organization.objects.filter(code=code)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise invalid("code", _("组织编码“%(code)s”已被使用") % {"code": code})


@transaction.atomic
def create_root(*, actor=None, **data) -> Organization:
    data = _clean(data)
    _check_code_free(data["code"])
    org = Organization.objects.add_root(create_kwargs=data)
    rollups.adjust(org, {k: 1 for k in org_keys(org)})
    audit.record(
        actor,
        "create",
        org,
        organization=org,
        summary=f"创建组织 {org.name}",
        changes=audit.diff({}, audit.snapshot(org, EDITABLE)),
    )
    return org


@transaction.atomic
def create_child(parent: Organization, *, actor=None, **data) -> Organization:
    require(actor, "orgs.add_child", parent, _("您无权在该组织下设立组织"))
    parent = Organization.objects.select_for_update().get(pk=parent.pk)
    if parent.is_dissolved:
        raise invalid("parent", _("上级组织“%(name)s”已撤销") % {"name": parent.name})
    errors = Errors()
    data = _clean(data, errors)
    for field in ("name", "code", "kind"):
        if not data.get(field) and not errors.has(field):
            errors.add(
                field,
                _("%(field)s不能为空")
                % {"field": Organization._meta.get_field(field).verbose_name},
            )
    if not errors.has("kind") and (error := rules.child_kind_error(parent.kind, data["kind"])):
        errors.add("kind", error)
    if not errors.has("code"):
        with errors.collect():
            _check_code_free(data["code"])
    errors.raise_any()
    org = Organization.objects.add_child(parent, create_kwargs=data)
    rollups.adjust(org, {k: 1 for k in org_keys(org)})
    audit.record(
        actor,
        "create",
        org,
        organization=org,
        summary=f"在{parent.name}下设立{org.name}",
        changes=audit.diff({}, audit.snapshot(org, EDITABLE)),
    )
    return org


@transaction.atomic
def update(org: Organization, *, actor=None, version=None, **data) -> Organization:
    """Rename or edit an organization's attributes (not its place in the tree). `version`:
    the one the user's form or API client read (core.services.version_of)."""
    require(actor, "orgs.change_organization", org, _("您无权修改该组织"))
    org = Organization.objects.select_for_update().get(pk=org.pk)
    check_version(org, version)
    errors = Errors()
    data = _clean(data, errors)
    if "code" in data and not errors.has("code"):
        with errors.collect():
            _check_code_free(data["code"], exclude_pk=org.pk)
    if "kind" in data and not errors.has("kind") and data["kind"] != org.kind:
        parent = org.parent()
        if parent and (error := rules.child_kind_error(parent.kind, data["kind"])):
            errors.add("kind", error)
        for child in org.children().active():
            if errors.has("kind"):
                break
            if error := rules.child_kind_error(data["kind"], child.kind):
                errors.add(
                    "kind",
                    _("%(error)s（现有下级组织“%(name)s”）") % {"error": error, "name": child.name},
                )
    errors.raise_any()
    before = audit.snapshot(org, EDITABLE)
    old_keys = org_keys(org)
    for k, v in data.items():
        setattr(org, k, v)
    org.save()
    changes = audit.diff(before, audit.snapshot(org, EDITABLE))
    if changes:
        rollups.adjust(org, rollups.delta(old_keys, org_keys(org)))
        audit.record(
            actor, "update", org, organization=org, summary=f"修改组织 {org.name}", changes=changes
        )
    return org


@transaction.atomic
def move(org: Organization, new_parent: Organization, *, actor=None) -> Organization:
    """Re-parent an organization with its whole subtree."""
    require(actor, "orgs.move_organization", org, _("您无权调整该组织的隶属关系"))
    require(actor, "orgs.add_child", new_parent, _("您无权把组织调整到目标组织之下"))
    # Moves run one at a time, and read both ends only once they hold the tree: a path read
    # before a concurrent move would send the subtree's figures to the wrong ancestors.
    rollups.lock_tree(exclusive=True)
    org = Organization.objects.select_for_update().get(pk=org.pk)
    new_parent = Organization.objects.select_for_update().get(pk=new_parent.pk)
    if new_parent.is_dissolved:
        raise invalid("parent", _("目标组织“%(name)s”已撤销") % {"name": new_parent.name})
    if error := rules.move_error(org.path, org.kind, new_parent.path, new_parent.kind):
        raise invalid("parent", error)
    old_parent = org.parent()
    if old_parent and old_parent.pk == new_parent.pk:
        return org
    old_ancestors = old_parent.ancestor_paths() if old_parent else []
    old_keys = org_keys(org)
    # Take the subtree's totals off the old ancestors while its paths are still the old ones.
    rollups.adjust_subtree_move(org, old_ancestors, [])
    Organization.objects.move(org, new_parent, pos="last-child")
    org.refresh_from_db()
    new_parent.refresh_from_db()
    rollups.adjust_subtree_move(org, [], new_parent.ancestor_paths())
    # A root moved under another organization starts counting as a grassroots one.
    rollups.adjust(org, rollups.delta(old_keys, org_keys(org)))
    signals.subtree_moved.send(sender=Organization, org=org)
    audit.record(
        actor,
        "move",
        org,
        organization=org,
        summary=f"将{org.name}从{old_parent.name if old_parent else '—'}调整到{new_parent.name}",
        changes={"parent": [old_parent.code if old_parent else None, new_parent.code]},
    )
    return org


@transaction.atomic
def dissolve(org: Organization, *, on: datetime.date | None = None, reason: str, actor=None):
    """Mark an organization dissolved. It keeps its records and history."""
    require(actor, "orgs.dissolve_organization", org, _("您无权撤销该组织"))
    org = Organization.objects.select_for_update().get(pk=org.pk)
    reason = (reason or "").strip()
    if not reason:
        raise invalid("reason", _("请填写撤销原因"))
    if org.is_dissolved:
        raise invalid("dissolved_on", _("该组织已于%(on)s撤销") % {"on": org.dissolved_on})
    if org.children().active().exists():
        raise invalid("dissolved_on", _("该组织还有未撤销的下级组织，请先调整或撤销下级组织"))
    if org.members.active().exists():
        raise invalid("dissolved_on", _("该组织还有党员，请先将党员组织关系转出"))
    on = on or timezone.localdate()
    old_keys = org_keys(org)
    org.dissolved_on, org.dissolved_reason = on, reason
    org.save(update_fields=["dissolved_on", "dissolved_reason", "updated_at"])
    org.officers.current().update(ended_on=on)
    rollups.adjust(org, rollups.delta(old_keys, []))
    audit.record(
        actor,
        "dissolve",
        org,
        organization=org,
        summary=f"撤销组织 {org.name}：{reason}",
        changes={"dissolved_on": [None, str(on)], "dissolved_reason": ["", reason]},
    )
    return org


@transaction.atomic
def appoint_officer(org, member, role, *, term_start, term_end=None, actor=None) -> Officer:
    require(actor, "orgs.manage_officers", org, _("您无权调整该组织的班子成员"))
    validate_choice("role", role, OfficerRole, _("职务"))
    if member.organization_id != org.pk and not member.organization.path.startswith(org.path):
        raise invalid("member", _("%(name)s不是本组织的党员") % {"name": member.name})
    if term_end and term_end < term_start:
        raise invalid("term_end", _("任期届满日期不能早于任期开始日期"))
    if role == OfficerRole.SECRETARY:
        # One secretary at a time: the previous one's tenure ends when the new one starts.
        org.officers.current().filter(role=OfficerRole.SECRETARY).update(ended_on=term_start)
    officer = Officer.objects.create(
        organization=org,
        member=member,
        role=role,
        term_start=term_start,
        term_end=term_end,
        created_by=audit.user_of(actor),
    )
    audit.record(
        actor,
        "appoint",
        officer,
        organization=org,
        summary=f"{org.name}：{member.name}任{officer.get_role_display()}",
        changes={"role": [None, role], "member": [None, member.pk]},
    )
    return officer


@transaction.atomic
def end_officer(officer: Officer, *, on: datetime.date, actor=None) -> Officer:
    require(actor, "orgs.manage_officers", officer.organization, _("您无权调整该组织的班子成员"))
    if officer.ended_on:
        raise invalid("ended_on", _("该职务已经结束"))
    if on < officer.term_start:
        raise invalid("ended_on", _("离任日期不能早于任期开始日期"))
    officer.ended_on = on
    officer.save(update_fields=["ended_on"])
    audit.record(
        actor,
        "end_office",
        officer,
        organization=officer.organization,
        summary=f"{officer.member.name}不再担任{officer.get_role_display()}",
        changes={"ended_on": [None, str(on)]},
    )
    return officer


# Bulk creation for the importer -----------------------------------------------------------

# Above this many new organizations, one full rebuild of the roll-ups is cheaper than
# adjusting each one and its ancestors in turn.
BULK_REBUILD_ORGS = 2000


@transaction.atomic
def bulk_create(items, *, actor=None) -> list[Organization]:
    """Create many organizations at once (the .xlsx importer); all or nothing.

    `items` is a list of dicts with the EDITABLE fields and "parent": an existing
    Organization, the code of an item earlier in the list, or None for a new root (only the
    system, actor None, or a superuser may create roots). Paths are assigned here, after each
    parent's last existing child, so the tree is written with one bulk insert; then one audit
    event per organization (bulk) and the roll-ups.
    """
    from collections import Counter

    from django.db.models import F

    if not items:
        return []
    steplen = Organization.steplen
    new_by_code: dict[str, Organization] = {}
    new_children: Counter = Counter()  # parent path -> children added
    next_step: dict[str, int] = {}  # parent path ("" for roots) -> next free step
    existing_parents: dict[int, Organization] = {}
    created: list[tuple[Organization, Organization | None]] = []

    codes = [(_clean({"code": item.get("code")}).get("code") or "") for item in items]
    if len(set(codes)) != len(codes):
        raise invalid("code", _("同一批组织中有重复的组织编码"))
    for start in range(0, len(codes), 500):
        taken = Organization.objects.filter(code__in=codes[start : start + 500]).first()
        if taken:
            raise invalid("code", _("组织编码“%(code)s”已被使用") % {"code": taken.code})

    def first_free_step(parent_path: str, depth: int) -> int:
        last = (
            Organization.objects.filter(path__startswith=parent_path, depth=depth)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        return Organization._str2int(last[-steplen:]) + 1 if last else 1

    for item in items:
        parent = item.get("parent")
        data = _clean(item)
        for field in ("name", "code", "kind"):
            if not data.get(field):
                raise invalid(
                    field,
                    _("%(field)s不能为空")
                    % {"field": Organization._meta.get_field(field).verbose_name},
                )
        if isinstance(parent, str):
            if parent not in new_by_code:
                raise invalid(
                    "parent",
                    _("上级组织“%(parent)s”须写在“%(code)s”之前")
                    % {"parent": parent, "code": data["code"]},
                )
            parent = new_by_code[parent]
        elif parent is not None:
            if parent.pk not in existing_parents:
                require(
                    actor,
                    "orgs.add_child",
                    parent,
                    _("您无权在“%(name)s”下设立组织") % {"name": parent.name},
                )
                locked = Organization.objects.select_for_update().get(pk=parent.pk)
                if locked.is_dissolved:
                    raise invalid("parent", _("上级组织“%(name)s”已撤销") % {"name": locked.name})
                existing_parents[parent.pk] = locked
            parent = existing_parents[parent.pk]
        elif actor is not None and not getattr(actor, "is_superuser", False):
            raise invalid("parent", _("上级组织编码不能为空"))
        if parent is not None and (error := rules.child_kind_error(parent.kind, data["kind"])):
            raise invalid("kind", _("%(code)s：%(error)s") % {"code": data["code"], "error": error})
        parent_path = parent.path if parent is not None else ""
        depth = parent.depth + 1 if parent is not None else 1
        if parent_path not in next_step:
            is_new = parent is not None and parent.pk is None
            next_step[parent_path] = 1 if is_new else first_free_step(parent_path, depth)
        step = next_step[parent_path]
        next_step[parent_path] = step + 1
        key = Organization._int2str(step)
        if len(key) > steplen:
            raise invalid(
                "parent",
                _("“%(name)s”下的组织数量已达上限") % {"name": parent.name if parent else _("根")},
            )
        path = parent_path + Organization.alphabet[0] * (steplen - len(key)) + key
        org = Organization(path=path, depth=depth, numchild=0, **data)
        org.name_initials = name_initials(org.name)  # bulk_create does not call save()
        new_by_code[org.code] = org
        new_children[parent_path] += 1
        created.append((org, parent))

    for org, _parent in created:
        org.numchild = new_children.get(org.path, 0)
    Organization.objects.bulk_create([org for org, _p in created], batch_size=1000)
    for parent in existing_parents.values():
        Organization.objects.filter(pk=parent.pk).update(
            numchild=F("numchild") + new_children[parent.path]
        )

    if len(created) > BULK_REBUILD_ORGS:
        rollups.rebuild()
    else:
        for org, _parent in created:
            rollups.adjust(org, {k: 1 for k in org_keys(org)})

    who = audit.user_of(actor)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=who,
                action="create",
                target_type=audit.target_type(org),
                target_id=str(org.pk),
                organization=org,
                summary=(
                    (f"在{parent.name}下设立{org.name}" if parent else f"创建组织 {org.name}")
                    + "：Excel导入"
                )[:300],
                changes=audit.diff({}, audit.snapshot(org, EDITABLE)),
            )
            for org, parent in created
        ],
        batch_size=1000,
    )
    return [org for org, _p in created]
