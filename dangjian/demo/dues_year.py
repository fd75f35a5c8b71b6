"""The demo county's year of dues: each active member's base at the start of the year (or
the month they joined: probationary members pay from admission) — rural members 0.20–1.00
yuan as their branch sets it, students 0.20, the employed and the retired on an income
base through the national brackets — about one in twelve re-based mid-year (a pay rise),
and the ledger month by month up to last month: most pay monthly to the branch, some a
quarter at a time, some late (in arrears, within a few months), and about one in a hundred
stop paying (so that the 3- and 6-month arrears lists have names). Written in bulk;
amounts are integer fen through dues.rules, so the rows are those the services compute."""

import datetime

from dangjian.dues import rules
from dangjian.members.models import Member


def run(activity) -> None:
    from dangjian.core.config import DEFAULTS
    from dangjian.dues.models import DuesBase, DuesMonth

    from .activity import Rows  # activity imports this module: import it when used

    w = activity.world
    last = activity.last
    year = last.year
    first = datetime.date(year, 1, 1)
    last_month = rules.month_start(last)
    if last_month < first:
        return
    rng = activity.rng(401)
    employed = rules.brackets_of(DEFAULTS["dues.employed_brackets"])
    retired = rules.brackets_of(DEFAULTS["dues.retired_brackets"])
    categories = dict(
        Member.objects.active().filter(id__in=list(w.people)).values_list("id", "category")
    )
    rural_of = {}
    bases = Rows(
        DuesBase,
        (
            "id",
            "member_id",
            "organization_id",
            "effective_from",
            "category",
            "base_fen",
            "monthly_fen",
            "exempt",
            "reason",
        ),
    )
    months = Rows(
        DuesMonth,
        (
            "id",
            "organization_id",
            "member_id",
            "month",
            "due_fen",
            "paid_fen",
            "paid_on",
            "collector",
            "note",
        ),
    )

    def monthly(category, base_fen, rural_fen):
        return rules.monthly_due_fen(
            category,
            base_fen,
            employed=employed,
            retired=retired,
            rural_fen=rural_fen,
            flat_fen=20,
        )

    for person in w.people.values():
        category = rules.category_of(categories.get(person.id, "rural"))
        start = max(first, rules.first_due_month(person.joined_on))
        if start > last_month:
            continue
        rural_fen = rural_of.setdefault(person.org_id, rng.choice((20, 50, 50, 100)))
        base_fen = 0
        if category == rules.EMPLOYED:
            # Take-home pay of a county's employed members: most 3,000–6,000 yuan, a few
            # above 10,000 (a uniform 2,200–13,000 made the year's dues twice a county's).
            base_fen = int(rng.triangular(2200, 11000, 4000)) * 100 + rng.choice((0, 0, 50))
        elif category == rules.RETIRED:
            base_fen = rng.randrange(1800, 7500) * 100
        due = monthly(category, base_fen, rural_fen)
        bases.add(person.id, person.org_id, start.isoformat(), category, base_fen, due, False, "")
        raise_from = None
        if category == rules.EMPLOYED and rng.random() < 1 / 12:
            raise_from = rules.add_months(start, rng.randrange(1, 12))
            if raise_from <= last_month:
                raised = base_fen + rng.randrange(200, 1500) * 100
                bases.add(
                    person.id,
                    person.org_id,
                    raise_from.isoformat(),
                    category,
                    raised,
                    monthly(category, raised, rural_fen),
                    False,
                    "",
                )
            else:
                raise_from = None
        habit = rng.random()
        stop = rules.add_months(last_month, -rng.randrange(2, 9)) if habit < 0.01 else None
        m = start
        while m <= last_month:
            d = (
                due
                if raise_from is None or m < raise_from
                else monthly(category, raised, rural_fen)
            )
            paid, paid_on = d, None
            if stop is not None and m >= stop:
                paid = 0
            elif habit < 0.15:  # quarterly: paid in the quarter's last month
                quarter_end = datetime.date(m.year, ((m.month - 1) // 3 + 1) * 3, 1)
                if quarter_end > last_month:
                    paid = 0
                else:
                    paid_on = quarter_end + datetime.timedelta(days=rng.randrange(0, 20))
            elif habit < 0.25 and m >= rules.add_months(last_month, -1):
                paid = 0  # pays late: the last month or two still open
            else:
                paid_on = m + datetime.timedelta(days=rng.randrange(0, 25))
            if paid and paid_on > last:
                paid_on = last
            months.add(
                person.org_id,
                person.id,
                m.isoformat(),
                d,
                paid,
                paid_on.isoformat() if paid else None,
                "支部书记" if paid else "",
                "",
            )
            m = rules.add_months(m, 1)
    activity.write([("dues_bases", bases), ("dues_months", months)])
