"""The rules of assessment without the database: an indicator's points from its source
value, the total's grade, the ranking from the bottom and its tie rule, and what a scheme
and a hand score must satisfy."""

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.periods import Period, PeriodError

CENT = Decimal("0.01")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")

# The default grades (分类定级) and the lowest total of each, best first; a county sets its own
# ("assessment.grades"). The last grade takes every total below the one before it.
DEFAULT_GRADES = [
    ["good", "好", 90],
    ["fair", "较好", 80],
    ["average", "一般", 60],
    ["poor", "差", 0],
]

TIE_RULE = gettext_lazy(
    "同一层级、同一领域内按总分从低到高倒排；总分相同的，依次比较方案中各项指标的得分"
    "（按指标顺序），先出现较低得分者排在前（更靠后）；各项得分都相同的，按组织编码排序。"
)


def period_label(text: str) -> str:
    try:
        p = Period.parse(text)
    except PeriodError:
        return text
    if p.quarter:
        return _("%(y)s年第%(q)s季度") % {"y": p.year, "q": p.quarter}
    return _("%(y)s年度") % {"y": p.year}


def dec(value) -> Decimal | None:
    """A number as Decimal, None if it is not one."""
    if value is None or value == "":
        return None
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def num(value) -> str:
    """A number as written by hand: 70, 25.5 (no exponent, no trailing zeros)."""
    return format(Decimal(str(value)).normalize(), "f")


def cents(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def points(weight, value, zero_at, full_at, if_no_data: str) -> Decimal:
    """An indicator's points: linear between `zero_at` (0 points) and `full_at` (the whole
    weight), clamped; `full_at` may lie below `zero_at` (fewer is better). No value (nothing
    was due) gives the whole weight or nothing, as the indicator says."""
    weight = Decimal(weight)
    if value is None:
        return cents(weight if if_no_data == "full" else 0)
    zero_at, full_at = Decimal(zero_at), Decimal(full_at)
    if full_at == zero_at:
        share = Decimal(1) if Decimal(str(value)) >= full_at else Decimal(0)
    else:
        share = (Decimal(str(value)) - zero_at) / (full_at - zero_at)
    share = min(Decimal(1), max(Decimal(0), share))
    return cents(weight * share)


def formula_text(weight, zero_at, full_at, if_no_data: str) -> str:
    return _(
        "得分 = %(w)s × (数值 − %(z)s) ÷ (%(f)s − %(z)s)，在 0 至 %(w)s 之间；无数据时%(none)s"
    ) % {
        "w": weight,
        "z": zero_at,
        "f": full_at,
        "none": _("得满分") if if_no_data == "full" else _("不得分"),
    }


def grade_for(total, grades) -> str:
    """The code of the first grade (best first) whose lowest total `total` reaches; the last
    grade otherwise."""
    total = Decimal(total)
    for code, _label, lowest in grades:
        if total >= Decimal(str(lowest)):
            return code
    return grades[-1][0]


def grade_labels(grades) -> dict:
    return {code: label for code, label, _low in grades}


def check_grades(grades) -> list[str]:
    """What is wrong with a grading setting: [[code, label, lowest total], …] best first."""
    if not isinstance(grades, list) or len(grades) < 2:
        return [_("等次标准至少要有两个等次")]
    errors, last = [], None
    for i, row in enumerate(grades, 1):
        if not (isinstance(row, list | tuple) and len(row) == 3) or dec(row[2]) is None:
            errors.append(_("等次标准第%(i)s项应为 [代码, 名称, 最低分]") % {"i": i})
            continue
        if last is not None and dec(row[2]) >= last:
            errors.append(_("等次标准第%(i)s项的最低分应低于上一等次") % {"i": i})
        last = dec(row[2])
    return errors


def rank_from_bottom(rows) -> dict:
    """{key: (place from the bottom, group size)} for rows (key, group, total, points, code):
    within each group, the lowest total is 1; a tie goes to the lower points compared
    indicator by indicator in the scheme's order, then to the organization code (TIE_RULE)."""
    groups: dict = {}
    for row in rows:
        groups.setdefault(row[1], []).append(row)
    out = {}
    for members in groups.values():
        members.sort(key=lambda r: (r[2], tuple(r[3]), r[4]))
        size = len(members)
        for place, row in enumerate(members, 1):
            out[row[0]] = (place, size)
    return out


def bottom_places(group_size: int, share) -> int:
    """How many of a group count as its last places: `share` = [a, b] of the group (at least
    one)."""
    a, b = share
    return max(1, math.ceil(group_size * a / b)) if group_size else 0


def check_indicators(rows, total_points, sources: dict) -> list[tuple[str, str]]:
    """Every problem of a scheme's indicators, as (field, message) naming the row: a missing
    or repeated code, a name, a method, a computed one's source, its scoring values, a
    weight; and the weights' sum, which must be the scheme's full score."""
    errors = []
    seen = set()
    total = Decimal(0)
    if not rows:
        return [("indicators", _("请至少填写一项指标"))]
    for i, row in enumerate(rows, 1):

        def add(message, i=i):
            errors.append(("indicators", _("第%(i)s项指标：%(m)s") % {"i": i, "m": message}))

        code = (row.get("code") or "").strip()
        if not CODE.match(code):
            add(_("指标代码应为小写英文字母开头的字母、数字或下划线（不超过32个）"))
        elif code in seen:
            add(_("指标代码“%(c)s”重复") % {"c": code})
        seen.add(code)
        if not (row.get("name") or "").strip():
            add(_("请填写指标名称"))
        method = row.get("method")
        if method not in ("computed", "hand"):
            add(_("评分方式应为“按数据计算”或“人工评分”"))
        weight = dec(row.get("weight"))
        if weight is None or weight <= 0:
            add(_("分值应为大于0的数"))
        elif weight != weight.quantize(CENT):
            add(_("分值最多两位小数"))
        else:
            total += weight
        if method == "computed":
            source = row.get("source") or ""
            if source not in sources:
                add(_("请选择数据来源"))
            zero_at, full_at = dec(row.get("zero_at")), dec(row.get("full_at"))
            if zero_at is None or full_at is None:
                add(_("请填写零分值和满分值（数字）"))
            elif zero_at == full_at:
                add(_("满分值不能等于零分值"))
    total_points = Decimal(total_points)
    if not errors and total != total_points:
        errors.append(
            (
                "indicators",
                _("各项指标分值之和为%(sum)s，应等于方案满分%(full)s")
                % {"sum": num(total), "full": num(total_points)},
            )
        )
    return errors


def check_hand_score(score, weight) -> str | None:
    """Why a hand score cannot be given (None when it can): a number from 0 to the weight."""
    value = dec(score)
    if value is None:
        return _("得分应为数字")
    if value != value.quantize(CENT):
        return _("得分最多两位小数")
    if not Decimal(0) <= value <= Decimal(weight):
        return _("得分应在0至%(w)s分之间") % {"w": num(weight)}
    return None
