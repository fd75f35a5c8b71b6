"""Pure rules of organization health: setup by size, terms and elections, coverage. No
database here."""

from django.utils.translation import gettext as _

# ---- setup rules (DOMAIN.md section 3, "Setting up organizations") ------------------------

# Committees above the grassroots (county, township, street …) are not sized by members.
_LEADING_LEVELS = {"province", "city", "county", "township", "street"}


def setup_flags(kind, level, members, full_members, committee_seats, cfg) -> list[dict]:
    """Flags for an organization whose size does not fit its kind; each explains the rule
    and suggests the change. `cfg(key)` reads the (possibly local) thresholds."""
    flags = []

    def flag(code, rule, suggestion):
        flags.append({"code": code, "rule": rule, "suggestion": suggestion})

    if kind == "branch" and full_members < cfg("setup.branch_min_full_members"):
        n = cfg("setup.branch_min_full_members")
        flag(
            "branch_too_small",
            _("正式党员%(n)s人以上的单位应单独成立党支部；本支部只有%(full)s名正式党员")
            % {"n": n, "full": full_members},
            _("与邻近或同行业单位组建联合党支部"),
        )
    if kind in ("branch", "joint_branch") and members > cfg("setup.branch_max_members"):
        n = cfg("setup.branch_max_members")
        suggestion = (
            _("改设党委")
            if members > cfg("setup.committee_min_members")
            else _("改设党总支，或划分党小组")
        )
        flag(
            "branch_too_large",
            _("党支部党员一般不超过%(n)s人；本支部有%(members)s人") % {"n": n, "members": members},
            suggestion,
        )
    if kind == "general_branch":
        low, high = cfg("setup.general_branch_min_members"), cfg("setup.committee_min_members")
        if members < low:
            flag(
                "general_branch_too_small",
                _("党总支一般党员%(low)s人以上；本党总支只有%(members)s人")
                % {"low": low, "members": members},
                _("改设党支部"),
            )
        elif members > high:
            flag(
                "general_branch_too_large",
                _("党员%(high)s人以上的一般设立基层党委；本党总支有%(members)s人")
                % {"high": high, "members": members},
                _("经批准改设党委"),
            )
    if kind == "committee" and level not in _LEADING_LEVELS:
        high = cfg("setup.committee_min_members")
        if members < high:
            flag(
                "committee_too_small",
                _("基层党委一般党员%(high)s人以上；本党委只有%(members)s人")
                % {"high": high, "members": members},
                _("改设党总支或党支部"),
            )
    threshold = cfg("setup.branch_committee_min_full_members")
    if kind in ("branch", "joint_branch") and full_members >= threshold and committee_seats < 3:
        flag(
            "committee_missing",
            _(
                "正式党员%(threshold)s人以上的党支部应设立支部委员会（3至5人）；"
                "本支部有%(full)s名正式党员，现有委员%(seats)s人"
            )
            % {"threshold": threshold, "full": full_members, "seats": committee_seats},
            _("召开党员大会选举支部委员会"),
        )
    return flags


# Flags the level above may approve as an exception; the others are firm rules [C].
APPROVABLE = {
    "branch_too_large",
    "general_branch_too_small",
    "general_branch_too_large",
    "committee_too_small",
}


def unit_flags(full_members: int, coverage: str, cfg) -> list[dict]:
    """A unit with enough full members to set up a branch of its own that has none."""
    n = cfg("setup.branch_min_full_members")
    if full_members >= n and coverage != "own":
        return [
            {
                "code": "unit_needs_own_branch",
                "rule": _("正式党员%(n)s人以上的单位应单独成立党支部；本单位有%(full)s名正式党员")
                % {"n": n, "full": full_members},
                "suggestion": _("在本单位单独组建党支部"),
            }
        ]
    return []


def joint_branch_flags(units: int, cfg) -> list[dict]:
    """A joint branch covering more units than the rule allows."""
    n = cfg("setup.joint_branch_max_units")
    if units > n:
        return [
            {
                "code": "joint_branch_too_many_units",
                "rule": _("联合党支部覆盖的单位一般不超过%(n)s个；本支部覆盖%(units)s个")
                % {"n": n, "units": units},
                "suggestion": _("按地域或行业分设联合党支部"),
            }
        ]
    return []


# ---- terms and elections --------------------------------------------------------------


def term_years(kind: str, level: str, override: int | None, cfg) -> int:
    if override:
        return override
    if level in ("village", "community"):
        return cfg("terms.village_community_years")
    if kind in ("committee", "working_committee"):
        return cfg("terms.committee_years")
    if kind == "general_branch":
        return cfg("terms.general_branch_years")
    return cfg("terms.branch_years")


def add_years(day, years: int):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day, months: int):
    import calendar

    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


# Kinds that hold no election: appointed by the committee above, no term [C].
NOT_ELECTED = {"group", "temporary", "working_committee"}


def election_status(
    term_started_on, years: int, today, reminder_months: int, changed_months: int = 0
) -> tuple:
    """(status, due date): "unknown" without a term start, "overdue", "due" within the
    reminder window, else "ok". `changed_months` is the approved extension (+) or
    shortening (−) of the term."""
    if term_started_on is None:
        return "unknown", None
    due = add_months(add_years(term_started_on, years), changed_months)
    if due < today:
        return "overdue", due
    if due <= add_months(today, reminder_months):
        return "due", due
    return "ok", due


def seat_range(kind: str, full_members: int, cfg) -> tuple[int, int] | None:
    """(fewest, most) committee seats an election of this kind may fill; a branch under the
    committee threshold elects only a secretary and maybe a deputy (1–2). None: no rule."""
    if kind in ("branch", "joint_branch"):
        if full_members < cfg("setup.branch_committee_min_full_members"):
            return (1, 2)
    low_high = cfg("elections.seats").get("branch" if kind == "joint_branch" else kind)
    return tuple(low_high) if low_high else None


def seat_errors(kind: str, full_members: int, seats: int, cfg) -> list[tuple]:
    """Why `seats` does not fit the kind and size, as [(field, message)]."""
    limits = seat_range(kind, full_members, cfg)
    if limits is None or limits[0] <= seats <= limits[1]:
        return []
    if kind in ("branch", "joint_branch") and limits == (1, 2):
        threshold = cfg("setup.branch_committee_min_full_members")
        message = _(
            "正式党员不足%(n)s人的党支部不设支部委员会，只选举书记（必要时增选副书记），"
            "应选1至2人；本支部有%(full)s名正式党员"
        ) % {"n": threshold, "full": full_members}
    else:
        message = _("%(kind)s委员应为%(low)s至%(high)s人") % {
            "kind": {"general_branch": _("党总支"), "committee": _("党委")}.get(kind, _("支部")),
            "low": limits[0],
            "high": limits[1],
        }
    return [("seats", message)]


def election_errors(*, seats, candidates, voters, present, votes: dict, secretary_votes=None):
    """Why an election result is invalid, as [(field, message)]; empty if valid."""
    import math

    errors = []
    if not 1 <= seats <= 9:
        errors.append(("seats", _("委员名额应为1至9人")))
    if seats > 1 and candidates < math.ceil(seats * 1.2):
        errors.append(
            (
                "candidates",
                _("差额选举：候选人应不少于应选人数的120%%，即至少%(n)s人")
                % {"n": math.ceil(seats * 1.2)},
            )
        )
    if present > voters:
        errors.append(("present", _("到会人数不能多于有选举权的党员数")))
    elif present * 5 <= voters * 4:
        errors.append(
            (
                "present",
                _("到会人数须超过应到会人数的五分之四（%(voters)s人中须超过%(n)s人）")
                % {"voters": voters, "n": f"{voters * 4 / 5:g}"},
            )
        )
    if len(votes) != candidates:
        errors.append(
            (
                "votes",
                _("得票记录有%(n)s人，与候选人数%(candidates)s不符")
                % {"n": len(votes), "candidates": candidates},
            )
        )
    for name, yes in votes.items():
        if yes > present:
            errors.append(
                ("votes", _("%(name)s的得票数%(yes)s多于到会人数") % {"name": name, "yes": yes})
            )
    return errors


def elected(votes: dict, seats: int, present: int) -> list:
    """The candidates elected: most votes first, each with yes votes from more than half of
    those present, up to the number of seats."""
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    return [c for c, yes in ranked if yes * 2 > present][:seats]


# ---- coverage --------------------------------------------------------------------------


def coverage_rates(counts: dict) -> dict:
    """counts {own, joint, instructor, none} → units, covered and the two rates."""
    units = sum(counts.values())
    org_covered = counts.get("own", 0) + counts.get("joint", 0)
    work_covered = org_covered + counts.get("instructor", 0)
    return {
        "units": units,
        **counts,
        "covered": org_covered,
        "rate": org_covered / units if units else None,
        "work_covered": work_covered,
        "work_rate": work_covered / units if units else None,
    }
