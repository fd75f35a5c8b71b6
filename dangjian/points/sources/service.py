"""Points sources of serving the public (the service app): a member's service records on a
claimed community post (在职党员进社区, one record a time served, whatever its hours), and
pledges to the public (双承诺) kept: a member's own, and an organization's.

A service record counts for the year it was served in; a pledge for its year, once closed
as done (已兑现) — not one still open or closed as not done.
"""

from django.db.models import Count, F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangjian.service.models import Pledge, PledgeStatus, ServiceRecord

from . import MEMBER, ORGANIZATION, Record, Source, register


def count_service(path, period):
    return (
        ServiceRecord.objects.filter(
            served_on__range=(period.start, period.end),
            member__organization__path__startswith=path,
            member__removed_on__isnull=True,
        )
        .values(subject=F("member_id"))
        .annotate(n=Count("id"))
        .order_by()
    )


def service_records(member, period):
    rows = (
        ServiceRecord.objects.filter(member=member, served_on__range=(period.start, period.end))
        .select_related("organization", "claim__post")
        .order_by("served_on", "id")
    )
    return [
        Record(
            r.served_on,
            f"{r.organization.name}·{r.claim.post.title}：{r.content}",
            reverse("service:claim", args=[r.claim_id]),
        )
        for r in rows
    ]


def kept():
    return Pledge.objects.filter(status=PledgeStatus.DONE)


def count_member_pledges(path, period):
    return (
        kept()
        .filter(
            year=period.year,
            member__isnull=False,
            member__organization__path__startswith=path,
            member__removed_on__isnull=True,
        )
        .values(subject=F("member_id"))
        .annotate(n=Count("id"))
        .order_by()
    )


def member_pledges(member, period):
    rows = kept().filter(member=member, year=period.year).order_by("closed_on", "id")
    return [Record(p.closed_on, p.content, reverse("service:pledge", args=[p.pk])) for p in rows]


def count_org_pledges(path, period):
    return (
        kept()
        .filter(
            year=period.year,
            member__isnull=True,
            organization__path__startswith=path,
            organization__dissolved_on__isnull=True,
        )
        .values(subject=F("organization_id"))
        .annotate(n=Count("id"))
        .order_by()
    )


def org_pledges(org, period):
    rows = kept().filter(organization=org, member__isnull=True, year=period.year)
    return [
        Record(p.closed_on, p.content, reverse("service:pledge", args=[p.pk]))
        for p in rows.order_by("closed_on", "id")
    ]


def register_all() -> None:
    register(
        Source(
            key="service.record",
            label=_("到社区服务"),
            subject=MEMBER,
            count=count_service,
            records=service_records,
            unit=_("次"),
            help=_("在认领的社区服务岗位上的服务记录，每次一条（不按时长计）"),
            order=60,
        )
    )
    register(
        Source(
            key="service.member_pledge_done",
            label=_("兑现个人公开承诺"),
            subject=MEMBER,
            count=count_member_pledges,
            records=member_pledges,
            unit=_("项"),
            help=_("党员本人的公开承诺，办结为已兑现"),
            order=70,
        )
    )
    register(
        Source(
            key="service.org_pledge_done",
            label=_("兑现组织公开承诺"),
            subject=ORGANIZATION,
            count=count_org_pledges,
            records=org_pledges,
            unit=_("项"),
            help=_("组织的公开承诺，办结为已兑现"),
            order=120,
        )
    )
