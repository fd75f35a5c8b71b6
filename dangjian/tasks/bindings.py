"""Figures a report-back field may be bound to: filled from the records, only confirmed.

Each binding computes a number for one organization (its subtree) and the assignment's
month, from data the system already has, so nothing is typed twice.
"""

from dangjian.core.periods import Period


def _meetings(kind):
    def compute(org, period):
        from dangjian.life.services import meetings_held

        return meetings_held(org, period)[kind]
    return compute


def _members(key):
    def compute(org, period):
        from dangjian.ledger.services import figures

        return figures(org).get(key, 0)
    return compute


def _all_meetings(org, period):
    from dangjian.life.services import meetings_held

    return sum(meetings_held(org, period).values())


BINDINGS = {
    "life.theme_day": ("本月召开主题党日次数", _meetings("theme_day")),
    "life.party_lecture": ("本月党课次数", _meetings("party_lecture")),
    "life.branch_assembly": ("本月支部党员大会次数", _meetings("branch_assembly")),
    "life.committee_meeting": ("本月支委会次数", _meetings("committee_meeting")),
    "life.meetings": ("本月各类会议次数", _all_meetings),
    "members.total": ("党员人数", _members("members")),
    "members.probationary": ("预备党员人数", _members("members.status.probationary")),
    "members.mobile": ("流动党员人数", _members("members.mobile")),
}


def compute(binding: str, org, period: Period):
    return BINDINGS[binding][1](org, period)
