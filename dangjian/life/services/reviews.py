"""Member reviews (民主评议党员) and heart-to-heart talks (谈心谈话)."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, config
from dangjian.core.services import invalid, join_labels, require, validate_choice
from dangjian.members.models import Member, Status
from dangjian.orgs.models import Officer, Organization

from .. import rules
from ..models import (
    FollowUp,
    Grade,
    Review,
    Talk,
)
from .meetings import eligible_attendees

# ---- member review ----------------------------------------------------------------------


@transaction.atomic
def record_reviews(org: Organization, year: int, grades: dict, *, reviewed_on, actor=None):
    """Record the yearly review of `org`'s members: {member id: (grade, follow_up, note)}."""
    require(actor, "life.record", org, _("您无权登记该组织的民主评议"))
    if year > timezone.localdate().year:
        raise invalid("year", _("%(year)s年的评议还不能登记") % {"year": year})
    members = {
        m.pk: m
        for m in Member.objects.active().filter(
            organization__path__startswith=org.path, pk__in=list(grades)
        )
    }
    for member_id, (grade, follow_up, _note) in grades.items():
        member = members.get(member_id)
        if member is None:
            raise invalid(
                "member", _("编号%(id)s不是“%(org)s”的党员") % {"id": member_id, "org": org.name}
            )
        if member.status == Status.PROBATIONARY:
            raise invalid("grade", _("%(name)s是预备党员，不评定等次") % {"name": member.name})
        validate_choice("grade", grade, Grade, _("评议等次"))
        validate_choice("follow_up", follow_up or "", FollowUp, _("处置措施"))
        needed = rules.LOWER_GRADES_FOLLOW_UPS.get(grade)
        if needed and follow_up not in needed:
            options = join_labels(FollowUp(f).label for f in sorted(needed))
            raise invalid(
                "follow_up",
                _("%(name)s评为%(grade)s，须登记处置措施（%(options)s）")
                % {"name": member.name, "grade": Grade(grade).label, "options": options},
            )
    existing = {
        r.member_id: r for r in Review.objects.filter(year=year, member_id__in=list(grades))
    }
    for member_id, (grade, follow_up, note) in grades.items():
        review = existing.get(member_id) or Review(year=year, member_id=member_id)
        review.organization, review.grade = org, grade
        review.follow_up, review.follow_up_note = follow_up or "", (note or "").strip()[:300]
        review.reviewed_on = reviewed_on
        review.created_by = audit.user_of(actor)
        review.save()
    graded = Review.objects.filter(year=year, organization=org)
    cap = rules.excellent_cap(graded.count(), tuple(config.get(org, "review.excellent_max_share")))
    excellent = graded.filter(grade=Grade.EXCELLENT).count()
    if excellent > cap:
        raise invalid(
            "grade",
            _("评为优秀的%(n)s人，超过参评人数的三分之一（最多%(cap)s人）")
            % {"n": excellent, "cap": cap},
        )
    audit.record(
        actor,
        "review",
        org,
        organization=org,
        summary=f"{org.name}{year}年度民主评议，登记{len(grades)}人",
        changes={"grades": [None, {str(k): v[0] for k, v in grades.items()}]},
    )
    return list(graded)


def review_summary(org: Organization, year: int) -> dict:
    counts = {g: 0 for g in Grade.values}
    for grade in Review.objects.filter(
        year=year, organization__path__startswith=org.path
    ).values_list("grade", flat=True):
        counts[grade] += 1
    return counts


# ---- talks ------------------------------------------------------------------------------


@transaction.atomic
def record_talk(
    org: Organization, *, held_on, initiator, counterpart, topic, note="", actor=None, today=None
) -> Talk:
    require(actor, "life.record", org, _("您无权为该组织登记谈心谈话"))
    today = today or timezone.localdate()
    if held_on > today:
        raise invalid("held_on", _("谈话日期不能晚于今天"))
    if initiator.pk == counterpart.pk:
        raise invalid("counterpart", _("谈话人和谈话对象不能是同一人"))
    allowed = eligible_attendees(org)
    for field, m in (("initiator", initiator), ("counterpart", counterpart)):
        if not allowed.filter(pk=m.pk).exists():
            raise invalid(
                field, _("%(name)s不是“%(org)s”的党员") % {"name": m.name, "org": org.name}
            )
    if not (topic or "").strip():
        raise invalid("topic", _("请填写谈话主题"))
    talk = Talk.objects.create(
        organization=org,
        held_on=held_on,
        initiator=initiator,
        counterpart=counterpart,
        topic=topic.strip()[:200],
        note=(note or "").strip(),
        created_by=audit.user_of(actor),
    )
    audit.record(
        actor,
        "create",
        talk,
        organization=org,
        summary=f"谈心谈话：{initiator.name}—{counterpart.name}",
        changes=audit.diff({}, audit.snapshot(talk, ("held_on", "topic"))),
    )
    return talk


def talk_coverage(org: Organization, year: int) -> dict:
    """Members with at least one talk in the year, and committee pairs that talked."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    members = set(
        Member.objects.active()
        .filter(organization__path__startswith=org.path)
        .values_list("pk", flat=True)
    )
    pairs_talked, talked = set(), set()
    for a, b in Talk.objects.filter(
        organization__path__startswith=org.path, held_on__range=(start, end)
    ).values_list("initiator_id", "counterpart_id"):
        talked.update((a, b))
        pairs_talked.add(frozenset((a, b)))
    committee_pairs = set()
    by_org = defaultdict(set)
    for org_id, member_id in (
        Officer.objects.current()
        .filter(organization__path__startswith=org.path)
        .values_list("organization_id", "member_id")
    ):
        by_org[org_id].add(member_id)
    for seats in by_org.values():
        seats = sorted(seats)
        committee_pairs.update(
            frozenset((a, b)) for i, a in enumerate(seats) for b in seats[i + 1 :]
        )
    covered = len(members & talked)
    pairs_covered = len(committee_pairs & pairs_talked)
    return {
        "members": len(members),
        "members_talked": covered,
        "member_rate": covered / len(members) if members else None,
        "committee_pairs": len(committee_pairs),
        "committee_pairs_talked": pairs_covered,
        "committee_pair_rate": pairs_covered / len(committee_pairs) if committee_pairs else None,
    }
