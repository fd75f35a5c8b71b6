"""Pure rules of Party dues (Dues Rules 2008, DOMAIN.md section 3). No database.

Money is integer fen (分) everywhere; rates and yuan amounts are Decimal, never float.
Rounding: the monthly amount is base (fen) × rate, rounded to the whole fen with
ROUND_HALF_UP (1001.00 yuan × 0.5% = 5.005 yuan → 5.01 yuan). The bracket's rate applies
to the WHOLE base, not band by band; a bracket's upper bound is inclusive ("3,000 yuan and
below" 0.5%, "above 3,000 to 5,000" 1% …).

Dues categories: employed (在职), retired (离退休), rural (农民), student (学生), other (无
固定收入: unemployed, on relief or minimum income support). The member's category maps to
one (`category_of`); the branch may set another at the re-base (e.g. a self-employed
member of category "other occupations" pays as employed on last quarter's average income).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

EMPLOYED, RETIRED, RURAL, STUDENT, OTHER = "employed", "retired", "rural", "student", "other"
CATEGORIES = (EMPLOYED, RETIRED, RURAL, STUDENT, OTHER)
WITH_INCOME = (EMPLOYED, RETIRED)

# members.models.Category → dues category
MEMBER_CATEGORY = {
    "rural": RURAL,
    "worker": EMPLOYED,
    "agency": EMPLOYED,
    "institution": EMPLOYED,
    "enterprise": EMPLOYED,
    "student": STUDENT,
    "retired": RETIRED,
    "other": EMPLOYED,
}

FEN = Decimal(100)


def category_of(member_category: str) -> str:
    return MEMBER_CATEGORY.get(member_category, OTHER)


def yuan_to_fen(text) -> int:
    """'3000.01' → 300001. Raises ValueError on anything that is not a yuan amount with at
    most two decimals (no rounding of what the user typed)."""
    if isinstance(text, float):
        raise ValueError("float money")
    try:
        value = Decimal(str(text).strip().replace(",", "").replace("，", ""))
    except InvalidOperation as error:
        raise ValueError(str(text)) from error
    if not value.is_finite() or value < 0:
        raise ValueError(str(text))
    fen = value * FEN
    if fen != fen.to_integral_value():
        raise ValueError(str(text))
    return int(fen)


def fen_to_yuan(fen: int) -> str:
    """300001 → '3000.01'."""
    sign = "-" if fen < 0 else ""
    fen = abs(int(fen))
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def brackets_of(setting) -> list[tuple[int | None, Decimal]]:
    """A bracket setting [["3000.00", "0.005"], …, [null, "0.02"]] as [(upper fen, rate)]."""
    out = []
    for upper, rate in setting:
        out.append((None if upper is None else yuan_to_fen(upper), Decimal(str(rate))))
    return out


def rate_for(base_fen: int, brackets) -> Decimal:
    for upper, rate in brackets:
        if upper is None or base_fen <= upper:
            return rate
    return brackets[-1][1]


def bracket_due_fen(base_fen: int, brackets) -> int:
    """Monthly dues in fen of a base in fen under `brackets` (whole amount, half up)."""
    amount = Decimal(int(base_fen)) * rate_for(base_fen, brackets)
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def monthly_due_fen(
    category: str,
    base_fen: int,
    *,
    employed,
    retired,
    rural_fen: int,
    flat_fen: int,
    reduced_fen: int | None = None,
    exempt: bool = False,
) -> int:
    """The month's dues in fen. A hardship decision (exempt, or a reduced amount) wins."""
    if exempt:
        return 0
    if reduced_fen is not None:
        return reduced_fen
    if category == EMPLOYED:
        return bracket_due_fen(base_fen, employed)
    if category == RETIRED:
        return bracket_due_fen(base_fen, retired)
    if category == RURAL:
        return rural_fen
    return flat_fen


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every first-of-month from `first`'s month to `last`'s month, both included."""
    out, m = [], month_start(first)
    last = month_start(last)
    while m <= last:
        out.append(m)
        m = add_months(m, 1)
    return out


def first_due_month(joined_on: datetime.date) -> datetime.date:
    """Probationary members pay from admission: the month they joined."""
    return month_start(joined_on)


def unpaid_run(rows) -> int:
    """Consecutive months, counting back from the last, with dues due and nothing paid.
    `rows` are (due_fen, paid_fen) in month order; an exempt month (due 0) ends the run."""
    n = 0
    for due, paid in reversed(list(rows)):
        if due > 0 and paid == 0:
            n += 1
        else:
            break
    return n


def arrears_level(run: int, warn_months: int, leave_months: int) -> str | None:
    """'leave' at ≥ leave_months unpaid (regarded as having left, for the branch to act),
    'warn' at ≥ warn_months, else None."""
    if run >= leave_months:
        return "leave"
    if run >= warn_months:
        return "warn"
    return None


def payment_problems(due_fen: int, paid_fen: int) -> str | None:
    if paid_fen < 0:
        return "negative"
    return None


def goes_to_centre(amount_fen: int, threshold_fen: int) -> bool:
    """A one-off extra payment of at least the threshold (1,000 yuan) goes wholly to the
    centre."""
    return amount_fen >= threshold_fen
