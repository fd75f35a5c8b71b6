"""Pledges (目标责任书): issuing, signing, target progress, cascading targets down."""

import decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.services import invalid, require, validate_choice

from .. import rules
from ..models import (
    Pledge,
    PledgeTarget,
    TargetKind,
)
from .common import _text, _user


def _clean_targets(targets):
    out = []
    for i, t in enumerate(targets or []):
        text = _text(t.get("text"), "targets", _("第%(n)s项目标") % {"n": i + 1}, limit=300)
        kind = t.get("kind") or (
            TargetKind.NUMBER if t.get("target_value") is not None else TargetKind.TEXT
        )
        validate_choice("targets", kind, TargetKind, _("目标类型"))
        value = t.get("target_value")
        if kind == TargetKind.NUMBER:
            try:
                value = decimal.Decimal(str(value))
            except (decimal.InvalidOperation, TypeError):
                raise invalid(
                    "targets",
                    _("第%(n)s项目标“%(text)s”的目标值应为数字") % {"n": i + 1, "text": text},
                ) from None
            if value <= 0:
                raise invalid(
                    "targets",
                    _("第%(n)s项目标“%(text)s”的目标值应大于0") % {"n": i + 1, "text": text},
                )
        out.append(
            PledgeTarget(
                text=text,
                kind=kind,
                target_value=value if kind == TargetKind.NUMBER else None,
                unit=(t.get("unit") or "").strip()[:20],
                order=i,
                source=t.get("source"),
            )
        )
    if not out:
        raise invalid("targets", _("目标责任书至少要有一项目标"))
    return out


@transaction.atomic
def create_pledge(issuer, organization, *, year, title, targets, actor=None) -> Pledge:
    require(actor, "tasks.issue", issuer, _("您无权以该组织名义下达目标责任书"))
    if not organization.path.startswith(issuer.path) or organization.pk == issuer.pk:
        raise invalid(
            "organization",
            _("“%(org)s”不是“%(parent)s”的下级组织")
            % {"org": organization.name, "parent": issuer.name},
        )
    title = _text(title, "title", _("标题"), limit=200)
    if Pledge.objects.filter(issuer=issuer, organization=organization, year=year).exists():
        raise invalid(
            "year",
            _("%(year)s年已向“%(org)s”下达过目标责任书") % {"year": year, "org": organization.name},
        )
    rows = _clean_targets(targets)
    pledge = Pledge.objects.create(issuer=issuer, organization=organization, year=year, title=title)
    for row in rows:
        row.pledge = pledge
    PledgeTarget.objects.bulk_create(rows)
    audit.record(
        actor,
        "create",
        pledge,
        organization=organization,
        summary=f"{issuer.name}向{organization.name}下达{year}年目标责任书（{len(rows)}项）",
    )
    return pledge


@transaction.atomic
def sign(pledge: Pledge, *, on=None, actor=None) -> Pledge:
    require(actor, "tasks.report", pledge.organization, _("只有责任组织可以签订目标责任书"))
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.signed_on:
        raise invalid("signed_on", _("已于%(date)s签订") % {"date": pledge.signed_on})
    pledge.signed_on, pledge.signed_by = on or timezone.localdate(), _user(actor)
    pledge.save(update_fields=["signed_on", "signed_by"])
    audit.record(
        actor,
        "sign",
        pledge,
        organization=pledge.organization,
        summary=f"{pledge.organization.name}签订{pledge.year}年目标责任书",
    )
    return pledge


@transaction.atomic
def update_target(
    target: PledgeTarget, *, progress_value=None, progress_note=None, met=None, actor=None
) -> PledgeTarget:
    target = PledgeTarget.objects.select_for_update().select_related("pledge").get(pk=target.pk)
    require(actor, "tasks.report", target.pledge.organization, _("您无权更新该目标进展"))
    before = audit.snapshot(target, ("progress_value", "progress_note", "met"))
    if progress_value is not None:
        if target.kind != TargetKind.NUMBER:
            raise invalid("progress_value", _("文字目标不填完成值"))
        try:
            progress_value = decimal.Decimal(str(progress_value))
        except decimal.InvalidOperation:
            raise invalid(
                "progress_value", _("完成值“%(value)s”不是数字") % {"value": progress_value}
            ) from None
        if progress_value < 0:
            raise invalid("progress_value", _("完成值不能为负数"))
        target.progress_value = progress_value
    if met is not None:
        if target.kind != TargetKind.TEXT:
            raise invalid("met", _("数量目标按完成值判断是否完成"))
        target.met = bool(met)
    if progress_note is not None:  # None keeps the note; "" clears it
        target.progress_note = progress_note.strip()[:300]
    target.save()
    audit.record(
        actor,
        "progress",
        target,
        organization=target.pledge.organization,
        summary=f"更新目标进展：{target.text}",
        changes=audit.diff(
            before, audit.snapshot(target, ("progress_value", "progress_note", "met"))
        ),
    )
    return target


@transaction.atomic
def cascade(target: PledgeTarget, organizations, *, actor=None) -> list[PledgeTarget]:
    """Pass a target on to organizations under the pledge's organization (a township to its
    villages): each gets the target in its own pledge for the year, linked to this one."""
    pledge = target.pledge
    require(actor, "tasks.issue", pledge.organization, _("您无权分解该目标"))
    made = []
    organizations = list({org.pk: org for org in organizations}.values())
    already = set(target.cascaded.values_list("pledge__organization_id", flat=True))
    for org in organizations:
        if not org.path.startswith(pledge.organization.path) or org.pk == pledge.organization_id:
            raise invalid(
                "organization",
                _("“%(org)s”不是“%(parent)s”的下级组织")
                % {"org": org.name, "parent": pledge.organization.name},
            )
        if org.pk in already:
            raise invalid(
                "organization",
                _("目标“%(target)s”已分解到“%(org)s”") % {"target": target.text, "org": org.name},
            )
        child, _created = Pledge.objects.get_or_create(
            issuer=pledge.organization,
            organization=org,
            year=pledge.year,
            defaults={"title": f"{pledge.year}年基层党建工作目标责任书"},
        )
        made.append(
            PledgeTarget.objects.create(
                pledge=child,
                text=target.text,
                kind=target.kind,
                target_value=target.target_value,
                unit=target.unit,
                source=target,
                order=child.targets.count(),
            )
        )
    audit.record(
        actor,
        "cascade",
        target,
        organization=pledge.organization,
        summary=f"目标“{target.text}”分解到{len(made)}个下级组织",
    )
    return made


def effective_progress(target: PledgeTarget):
    """A cascaded number target's progress is its own plus that of its parts below."""
    parts = list(target.cascaded.all())
    if target.kind != TargetKind.NUMBER:
        return None
    return target.progress_value + sum((effective_progress(p) for p in parts), decimal.Decimal(0))


def is_met(target: PledgeTarget) -> bool:
    if target.kind == TargetKind.NUMBER:
        return rules.target_met("number", target.target_value, effective_progress(target), False)
    return target.met
