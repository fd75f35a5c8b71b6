"""Pure rules of venues and cadre pay (no database).

Cadre pay (村干部报酬): the head's (village Party secretary's) yearly basic pay is
`multiple` × the rural per-capita income of the rule's income year; the monthly pay is a
twelfth of it. Every other post is a ratio of the head's yearly pay (director 0.80, other
two-committee cadres 0.60 in seed 004; the common provincial formula asks ≥ 0.70) or a
fixed monthly amount (group cadres in seed 001: 300 a month). Amounts are computed exactly
with Decimal and rounded once, at the end, half up, by the rule's rounding: to the yuan
(the default: pay sheets are in whole yuan), to ten yuan, or to the fen.

Seed 004: 8,437.50 yuan × 1.92 = 16,200 a year → secretary 1,350 a month, director 1,080,
others 810; the city's standard 1,262 / 1,010 / 757 → 88 / 70 / 53 higher.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

HUNDRED = Decimal(100)
MONTHS = 12
MAX_INCOME = Decimal("1000000")
MAX_MULTIPLE = Decimal("10")
MAX_MONTHLY_YUAN = Decimal("100000")
# Ratios each post takes of the head's pay unless the county says otherwise (seed 004).
DEFAULT_RATIOS = {
    "secretary": Decimal("1.00"),
    "director": Decimal("0.80"),
    "member": Decimal("0.60"),
}
STEPS = {"yuan": Decimal(1), "ten": Decimal(10), "fen": Decimal("0.01")}


class PayError(ValueError):
    """Bad input of a pay rule: `field` names what is wrong, the message says how (Chinese)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def parse_decimal(field, label, value, *, places=2, low=None, high=None, allow_zero=False):
    """A Decimal from the user's text ("8437.50", "8,437.5", "1.92", a Decimal or an int):
    never a float. Raises PayError naming the field when it is not a number, has more than
    `places` decimals, or is out of (low, high]."""
    if isinstance(value, float):
        raise PayError(field, _("%(label)s应以文字或定点数给出，不接受浮点数") % {"label": label})
    if value is None or (isinstance(value, str) and not value.strip()):
        raise PayError(field, _("请填写%(label)s") % {"label": label})
    text = str(value).strip().replace(",", "").replace("，", "").removesuffix("元")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise PayError(
            field, _("%(label)s“%(v)s”应为数字，例如 8437.50") % {"label": label, "v": value}
        ) from None
    if not number.is_finite():
        raise PayError(field, _("%(label)s“%(v)s”应为数字") % {"label": label, "v": value})
    if number.as_tuple().exponent < -places:
        raise PayError(
            field,
            _("%(label)s最多保留%(n)s位小数") % {"label": label, "n": places},
        )
    if number < 0 or (number == 0 and not allow_zero):
        raise PayError(field, _("%(label)s应大于0") % {"label": label})
    if high is not None and number > high:
        raise PayError(field, _("%(label)s不能超过%(n)s") % {"label": label, "n": high})
    if low is not None and number < low:
        raise PayError(field, _("%(label)s不能小于%(n)s") % {"label": label, "n": low})
    return number


def round_yuan(amount: Decimal, rounding: str = "yuan") -> Decimal:
    """`amount` (yuan) rounded half up to the rule's step."""
    step = STEPS[rounding]
    return (amount / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def to_fen(yuan: Decimal) -> int:
    return int((yuan * HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def fen_to_yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else (Decimal(fen) / HUNDRED).quantize(Decimal("0.01"))


def yuan_text(fen: int | None) -> str:
    """“1,350” for whole yuan, “1,350.50” otherwise; “—” when none."""
    if fen is None:
        return "—"
    yuan = fen_to_yuan(fen)
    return f"{yuan:,.0f}" if fen % 100 == 0 else f"{yuan:,.2f}"


def head_yearly(income: Decimal, multiple: Decimal) -> Decimal:
    """The head's yearly basic pay, exact (yuan): multiple × income."""
    return income * multiple


@dataclass(frozen=True)
class PostTerms:
    """A post's terms in a rule: a ratio of the head's pay, or a fixed monthly amount (fen);
    and the comparison standard's monthly amount (fen) if any."""

    post: str
    ratio: Decimal | None = None
    fixed_monthly_fen: int | None = None
    standard_monthly_fen: int | None = None


def monthly_fen(income: Decimal, multiple: Decimal, terms: PostTerms, rounding="yuan") -> int:
    """A post's monthly basic pay in fen: the fixed amount, else ratio × multiple × income
    / 12, rounded once at the end."""
    if terms.fixed_monthly_fen is not None:
        return terms.fixed_monthly_fen
    ratio = terms.ratio if terms.ratio is not None else DEFAULT_RATIOS.get(terms.post)
    if ratio is None:
        raise PayError("ratio", _("请填写该岗位与书记报酬之比，或固定月报酬"))
    exact = head_yearly(income, multiple) * ratio / MONTHS
    return to_fen(round_yuan(exact, rounding))


@dataclass(frozen=True)
class PostPay:
    post: str
    monthly_fen: int
    standard_monthly_fen: int | None

    @property
    def above_standard_fen(self) -> int | None:
        """How much above (negative: below) the comparison standard, per month."""
        if self.standard_monthly_fen is None:
            return None
        return self.monthly_fen - self.standard_monthly_fen

    @property
    def yearly_fen(self) -> int:
        return self.monthly_fen * MONTHS


def schedule(income, multiple, posts, rounding="yuan") -> list[PostPay]:
    """Every post's monthly pay and its difference from the standard."""
    return [
        PostPay(p.post, monthly_fen(income, multiple, p, rounding), p.standard_monthly_fen)
        for p in posts
    ]


def rule_problems(income, multiple, posts, *, year=None, income_year=None) -> dict[str, str]:
    """What is wrong with a rule, by field: the income year must lie before the rule's
    year; every post needs a ratio in (0, 1] or a fixed monthly amount; a ratio and a fixed
    amount together are refused (which would count?)."""
    problems = {}
    if year is not None and income_year is not None and income_year >= year:
        problems["income_year"] = _("收入统计年度应早于执行年度（按上年或前年收入核定）")
    for i, p in enumerate(posts):
        if p.ratio is not None and p.fixed_monthly_fen is not None:
            problems[f"posts-{i}"] = _("同一岗位只能填写比例或固定月报酬中的一项")
        elif p.ratio is None and p.fixed_monthly_fen is None and p.post not in DEFAULT_RATIOS:
            problems[f"posts-{i}"] = _("请填写该岗位与书记报酬之比，或固定月报酬")
        elif p.ratio is not None and not (Decimal(0) < p.ratio <= Decimal(1)):
            problems[f"posts-{i}"] = _("与书记报酬之比应大于0且不超过1")
    seen = [p.post for p in posts]
    if len(seen) != len(set(seen)):
        problems["posts"] = _("同一岗位不能重复设置")
    return problems


def line_total_fen(monthly: int, months: int, performance: int = 0) -> int:
    return monthly * months + performance


def line_problems(months, performance_fen, cap_fen) -> dict[str, str]:
    """A pay line: 1–12 months served; a performance part within the rule's cap."""
    problems = {}
    if not isinstance(months, int) or not 1 <= months <= MONTHS:
        problems["months"] = _("任职月数应为1到12之间的整数")
    if performance_fen < 0:
        problems["performance"] = _("绩效报酬不能为负数")
    elif performance_fen > cap_fen:
        problems["performance"] = _("绩效报酬不能超过标准规定的上限%(n)s元") % {
            "n": yuan_text(cap_fen)
        }
    return problems


# ---- venues ---------------------------------------------------------------------------------


def share(part: int, whole: int) -> str:
    """“86.2%” (one decimal) from counts, “—” when there is nothing to count."""
    if not whole:
        return "—"
    return f"{Decimal(part) * 100 / Decimal(whole):.1f}%"


def venue_problems(building_area, square_area, built_year, today_year) -> dict[str, str]:
    problems = {}
    if building_area is not None and building_area <= 0:
        problems["building_area"] = _("建筑面积应大于0")
    if square_area is not None and square_area < 0:
        problems["square_area"] = _("活动广场面积不能为负数")
    if built_year is not None and not 1949 <= built_year <= today_year:
        problems["built_year"] = _("建成年份应在1949年到今年之间")
    return problems
