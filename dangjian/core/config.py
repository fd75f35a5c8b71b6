"""Domain rules with national defaults and local variants (DOMAIN.md section 3).

`get(org, key)` returns the value set on the nearest ancestor of `org` (itself included),
else the national default below. Every threshold the software applies is read through here,
so a county changes a rule by setting it once at the county's organization.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.core import audit

from .models import RuleSetting
from .services import invalid, require

DEFAULTS = {
    # Setting up organizations [C]/[S]
    "setup.branch_min_full_members": 3,
    "setup.branch_max_members": 50,
    "setup.general_branch_min_members": 50,
    "setup.committee_min_members": 100,
    "setup.branch_committee_min_full_members": 7,
    # A joint branch covers at most this many units [C].
    "setup.joint_branch_max_units": 5,
    # Committee seats [low, high] by kind (3–5 normally, at most 7 for a branch) [C/S].
    "elections.seats": {"branch": [3, 7], "general_branch": [5, 9], "committee": [5, 9]},
    # Terms in years [C]; village and community organizations 5 years.
    "terms.committee_years": 5,
    "terms.general_branch_years": 3,
    "terms.branch_years": 3,
    "terms.village_community_years": 5,
    "terms.reminder_months": 6,
    # Reminders made this many months before a term ends [S].
    "terms.reminders_before_months": [6, 1],
    # A term is extended or shortened, with approval, by at most this many months [C].
    "terms.max_change_months": 12,
    # Organizational life: (per, count) [C]
    "life.requirements": {
        "committee_meeting": ["month", 1],
        "group_meeting": ["month", 1],
        "branch_assembly": ["quarter", 1],
        "party_lecture": ["quarter", 1],
        "theme_day": ["month", 1],
        "life_meeting": ["year", 1],
        # Committees and working committees only (rules.applies).
        "leadership_life_meeting": ["year", 1],
    },
    # Days after a period ends within which its meetings may still be recorded on time
    # ("until the 5th day after the period ends"): one deadline for compliance (recorded
    # later = 补录) and for entry (a meeting entered later than this after the period its
    # kind is required in — month, quarter or year — needs the approval of the level above).
    # It replaces "life.grace_days" (7), which described the same deadline.
    "life.late_entry_days": 5,
    # Whether approved late entries count toward compliance (unapproved ones never do).
    "life.late_entries_count": True,
    # The day this county started keeping its records here (YYYY-MM-DD, "" = always): periods
    # that ended before it are left out of compliance rates, which say so.
    "life.records_from": "",
    # Member review: share of graded members who may be 优秀 (≤ 1/3).
    "review.excellent_max_share": [1, 3],
    # Notices (通报): the number's prefix (发文字号, "宁组通") and the issuing body's name as
    # printed; "" = made from the issuing organization's name (notices.rules).
    "notices.number_prefix": "",
    "notices.issuer_name": "",
    # Four deliberations, two disclosures (四议两公开) [S]: quorum shares [a, b] = a/b of
    # those due (the joint meeting and a villagers' assembly need more than that share, the
    # others at least it).
    "governance.joint_quorum": [1, 2],
    "governance.members_quorum": [2, 3],
    "governance.representatives_quorum": [2, 3],
    "governance.villagers_quorum": [1, 2],
    "governance.households_quorum": [2, 3],
    # Office hours (坐班制, seed 004): the service station staffed Monday–Friday for at
    # least this many hours; weekends and these holidays ("YYYY-MM-DD") by rotation, except
    # the make-up workdays (调休上班) listed.
    "governance.office_min_hours": 6,
    "governance.holidays": [],
    "governance.workdays": [],
    # Assessment (考核评议): the grades best first, each [code, label, lowest total]; the share
    # [a, b] of a level and sector's organizations counted as its last places (倒排序; at
    # least one; counties single out 5–10% a year, DOMAIN.md section 3).
    "assessment.grades": [
        ["good", "好", 90],
        ["fair", "较好", 80],
        ["average", "一般", 60],
        ["poor", "差", 0],
    ],
    "assessment.bottom_share": [1, 20],
    # Points (积分): the nightly job closes (结算) a year this many days after it ended, once
    # its late meetings have been approved; the county may close it earlier by hand.
    "points.close_after_days": 31,
    # Serving the public (service): a concern, pledge or suggestion shows as due on the desk
    # this many days before its deadline.
    "service.due_soon_days": 7,
    # Developing members (Development Rules 2014) [C]/[S]/[U]: age at application; the talk
    # within a month; a year as activist; 1–2 mentors, 2 sponsors; the political review
    # valid about a year; training ≥3 days or ≥24 class hours; public notice of 5 working days
    # (7 in some places; holidays as YYYY-MM-DD are not working days); the higher committee
    # decides within 3 months (6 in special cases); probation a year; one extension of
    # 6–12 months.
    "development.min_age": 18,
    "development.talk_within_months": 1,
    "development.activist_months": 12,
    "development.mentors": [1, 2],
    "development.sponsors": 2,
    "development.review_valid_months": 12,
    "development.training_min_hours": 24,
    "development.training_min_days": 3,
    "development.notice_working_days": 5,
    "development.holidays": [],
    "development.decision_months": 3,
    "development.decision_special_months": 6,
    "development.probation_months": 12,
    "development.extension_months": [6, 12],
    # Transfers and mobile members (DOMAIN.md section 3): a transfer letter is valid this
    # many months [U]; the sender's desk warns this many days before a letter expires; the
    # county's desk lists transfers pending longer than this many days.
    "members.transfer_letter_valid_months": 3,
    "members.transfer_expiry_notice_days": 14,
    "members.transfer_pending_alert_days": 30,
    # Venues and cadre pay (village): what a county's new pay rule is offered before it sets
    # its own — the head's multiple of the previous year's rural per-capita income (the common
    # provincial formula: at least 2×) and each post's ratio to the head (seed 004: director
    # 0.80, other two-committee cadres 0.60). Decimal text, never floats.
    "village.pay_multiple": "2.00",
    "village.pay_ratios": {"secretary": "1.00", "director": "0.80", "member": "0.60"},
    # Education and training (Education Regulations 2019) [C]: class hours a year of every
    # member, and of grassroots secretaries and committee members; counting convention [S]:
    # a full day and a half day in class hours; new secretaries trained within this many
    # months of taking office, new members within this many months of full membership.
    # The online quiz: questions drawn from a course's bank, passed with at least the share
    # [a, b] of them right (retries allowed).
    "training.member_min_hours": 32,
    "training.officer_min_hours": 56,
    "training.full_day_hours": 8,
    "training.half_day_hours": 4,
    "training.new_secretary_months": 6,
    "training.new_member_months": 12,
    "training.quiz_questions": 5,
    "training.pass_share": [4, 5],
    # Supervision (seed 004): a phone spot check draws this many branches; a finding's
    # rectification deadline is this many days after it is recorded (unless given); a red
    # supervision order is to be answered within this many days.
    "supervision.phone_check_sample": 10,
    "supervision.finding_deadline_days": 30,
    "supervision.order_reply_days": 7,
    # Weak organizations (软弱涣散) [S]: the secretary post vacant for more than this many
    # months; at least `missed_quarters` finished quarters each missing at least this many
    # required meetings (never under 2); report-backs: at least this many due in the year (never under 3) and more than
    # this share of them late or missing; months given to rectify after confirmation; the
    # share [low %, high %] of village organizations a county singles out a year.
    "weakorgs.secretary_vacant_months": 3,
    "weakorgs.missed_meetings_per_quarter": 3,
    "weakorgs.missed_quarters": 2,
    "weakorgs.report_backs_min": 4,
    "weakorgs.report_backs_late_share": [1, 2],
    "weakorgs.rectification_months": 6,
    "weakorgs.village_share": [5, 10],
    # Local addition (DOMAIN.md: "2+ years without a development candidate"): a village or
    # community organization that admitted nobody and listed no candidate for development in
    # this many years is flagged; 0, the default, leaves it to a county that adopts it
    # (set 2). Off by default because at the usual 2–3% of members admitted a year about a
    # third of villages go two years without one: in the demo county 124 of 383.
    "weakorgs.no_candidate_years": 0,
    # Party dues (Dues Rules 2008) [C]: brackets [upper bound in yuan (inclusive, null = no
    # bound), rate of the WHOLE base] as Decimal text; farmers pay within a range (the
    # branch sets it, default below); students, unemployed and those on relief a flat
    # amount; no payment for 6 consecutive months = regarded as having left (warn at 3,
    # local); a one-off extra payment of at least this many yuan goes wholly to the centre.
    "dues.employed_brackets": [
        ["3000.00", "0.005"],
        ["5000.00", "0.01"],
        ["10000.00", "0.015"],
        [None, "0.02"],
    ],
    "dues.retired_brackets": [["5000.00", "0.005"], [None, "0.01"]],
    "dues.rural_range": ["0.20", "1.00"],
    "dues.rural_default": "0.20",
    "dues.flat": "0.20",
    "dues.arrears_warn_months": 3,
    "dues.arrears_months": 6,
    "dues.extra_to_centre_yuan": "1000.00",
}


def get(org, key):
    if key not in DEFAULTS:
        raise KeyError(f"unknown rule setting {key!r}")
    if org is not None:
        rows = dict(
            RuleSetting.objects.filter(
                organization__path__in=org.ancestor_paths(), key=key
            ).values_list("organization__path", "value")
        )
        if rows:
            return rows[max(rows, key=len)]
    return DEFAULTS[key]


@transaction.atomic
def set_rule(org, key, value, *, note="", actor=None):
    require(actor, "orgs.add_child", org, _("您无权修改该组织的规则设置"))
    if key not in DEFAULTS:
        raise invalid("key", _("没有名为“%(key)s”的规则") % {"key": key})
    if type(value) is not type(DEFAULTS[key]):
        raise invalid(
            "value",
            _("规则“%(key)s”的取值类型应与默认值 %(default)s 相同")
            % {"key": key, "default": repr(DEFAULTS[key])},
        )
    if key.endswith("records_from") and value and date_setting(value) is None:
        raise invalid("value", _("“%(key)s”应为日期，例如 2026-11-01") % {"key": key})
    setting, _created = RuleSetting.objects.update_or_create(
        organization=org, key=key, defaults={"value": value, "note": note}
    )
    audit.record(
        actor,
        "set_rule",
        setting,
        organization=org,
        summary=f"{org.name}：{key} = {value}",
        changes={key: [None, value]},
    )
    return setting


def date_setting(text):
    """A date setting's value ("YYYY-MM-DD") as a date; None when unset or unreadable."""
    import datetime

    try:
        return datetime.date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


def resolver(root, key):
    """A function path → value for every organization under `root`, from one query.

    Settings on `root`'s ancestors and anywhere in its subtree are loaded once; each path
    takes the setting of its nearest ancestor (itself included), else the national default.
    """
    from django.db.models import Q

    if key not in DEFAULTS:
        raise KeyError(f"unknown rule setting {key!r}")
    rows = sorted(
        RuleSetting.objects.filter(key=key)
        .filter(
            Q(organization__path__in=root.ancestor_paths())
            | Q(organization__path__startswith=root.path)
        )
        .values_list("organization__path", "value"),
        key=lambda row: -len(row[0]),
    )

    def lookup(path):
        for setting_path, value in rows:
            if path.startswith(setting_path):
                return value
        return DEFAULTS[key]

    return lookup
