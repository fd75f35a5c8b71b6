"""Issuing and withdrawing notices. Other apps (supervision, assessment) build the body from
their records and call `issue_notice`; the number is given here, one series a year for
each issuing organization, never reused (a withdrawn notice keeps its number)."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, config
from dangjian.core.services import Errors, invalid, require, validate_choice
from dangjian.orgs.models import Level, Organization

from . import rules
from .models import Notice, NoticeKind

UPPER_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY)


def _prefix(org) -> str:
    return config.get(org, "notices.number_prefix") or rules.default_prefix(
        org.name, org.level in UPPER_LEVELS
    )


def _issuer_name(org) -> str:
    return config.get(org, "notices.issuer_name") or rules.default_issuer_name(
        org.name, org.level in UPPER_LEVELS
    )


@transaction.atomic
def issue_notice(
    actor,
    *,
    issuer: Organization,
    kind: str,
    title: str,
    sections: list,
    source_url: str = "",
    date=None,
    addressees: str = "",
) -> Notice:
    """Issue a notice of `issuer` (whose managers alone may): checked whole, numbered as the
    next of the issuer's series for the year, stored with its body as it is now."""
    require(actor, "notices.issue", issuer, _("您无权以该组织的名义发出通报"))
    title = (title or "").strip()
    errors = Errors()
    with errors.collect():
        validate_choice("kind", kind, NoticeKind, _("通报类别"))
    if not title:
        errors.add("title", _("请填写通报标题"))
    elif len(title) > 120:
        errors.add("title", _("通报标题不能超过120字"))
    for problem in rules.check_sections(sections):
        errors.add("sections", problem)
    if issuer.is_dissolved:
        errors.add("issuer", _("“%(name)s”已撤销") % {"name": issuer.name})
    errors.raise_any()
    day = date or timezone.localdate()
    # The issuer's row is the lock of its series: two notices issued at once get 1 and 2.
    Organization.objects.select_for_update().filter(pk=issuer.pk).exists()
    last = Notice.objects.filter(issuer=issuer, year=day.year).aggregate(n=Max("serial"))["n"]
    serial = (last or 0) + 1
    notice = Notice.objects.create(
        issuer=issuer,
        kind=kind,
        year=day.year,
        serial=serial,
        number=rules.number_text(_prefix(issuer), day.year, serial),
        issuer_name=_issuer_name(issuer),
        title=title,
        addressees=(addressees or "").strip() or rules.default_addressees(issuer.level),
        issued_on=day,
        sections=rules.plain(sections),
        source_url=source_url[:200],
        created_by=audit.user_of(actor),
    )
    audit.record(
        actor,
        "create",
        notice,
        organization=issuer,
        summary=f"通报：{notice.number} {notice.title}",
        changes={"number": notice.number, "title": notice.title, "kind": kind},
    )
    return notice


@transaction.atomic
def withdraw_notice(actor, notice: Notice, reason: str, today=None) -> Notice:
    """Withdraw a notice issued in error: it stays listed, marked 已撤回, with its number."""
    require(actor, "notices.issue", notice.issuer, _("您无权撤回该通报"))
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.withdrawn_on:
        raise invalid("reason", _("该通报已撤回"))
    reason = (reason or "").strip()
    if not reason:
        raise invalid("reason", _("请填写撤回原因"))
    notice.withdrawn_on = today or timezone.localdate()
    notice.withdrawn_reason = reason[:200]
    notice.save(update_fields=["withdrawn_on", "withdrawn_reason"])
    audit.record(
        actor,
        "update",
        notice,
        organization=notice.issuer,
        summary=f"撤回通报：{notice.number}（{reason}）",
        changes={"withdrawn_on": [None, str(notice.withdrawn_on)]},
    )
    return notice
