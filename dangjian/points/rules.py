"""The pure rules of points (no database): what a scheme item may be, how a cap shares out
points among a year's records, and when a year may be closed."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_POINTS = 1000  # points for one record
MAX_CAP = 100000  # a year's cap of one item
MAX_ITEMS = 50


@dataclass(frozen=True)
class Item:
    source: str
    points: int
    cap: int | None = None


def _whole(value):
    """`value` as a whole number, or None when it is not one ("2", 2 and 2.0 are; "2.5",
    "两" and True are not)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    if text.lstrip("-").isdigit():
        return int(text)
    return None


def item_errors(index: int, source, points, cap, labels: dict) -> tuple[Item | None, list]:
    """(the item, []) when the row is valid, else (None, [(field, message)]) naming each bad
    field as `items.<index>.<field>` and the item by its source's label. `labels` maps the
    known sources to their labels: any other source is refused."""
    errors = []
    prefix = f"items.{index}"
    name = labels.get(source)
    if name is None:
        errors.append(
            (
                f"{prefix}.source",
                _("没有名为“%(source)s”的积分来源（可选：%(known)s）")
                % {"source": source, "known": "、".join(sorted(labels))},
            )
        )
        name = str(source)
    p = _whole(points)
    if points in (None, ""):
        errors.append((f"{prefix}.points", _("请填写“%(item)s”每条记录的分值") % {"item": name}))
    elif p is None:
        errors.append(
            (
                f"{prefix}.points",
                _("“%(item)s”的分值应为整数，不是“%(v)s”") % {"item": name, "v": points},
            )
        )
    elif p <= 0:
        errors.append(
            (f"{prefix}.points", _("“%(item)s”的分值应为正整数（积分只加不减）") % {"item": name})
        )
    elif p > MAX_POINTS:
        errors.append(
            (
                f"{prefix}.points",
                _("“%(item)s”每条记录的分值不能超过%(max)s分") % {"item": name, "max": MAX_POINTS},
            )
        )
    c = None
    if cap not in (None, ""):
        c = _whole(cap)
        if c is None:
            errors.append(
                (
                    f"{prefix}.cap",
                    _("“%(item)s”的年度上限应为整数，不是“%(v)s”") % {"item": name, "v": cap},
                )
            )
        elif c <= 0:
            errors.append((f"{prefix}.cap", _("“%(item)s”的年度上限应为正整数") % {"item": name}))
        elif c > MAX_CAP:
            errors.append(
                (
                    f"{prefix}.cap",
                    _("“%(item)s”的年度上限不能超过%(max)s分") % {"item": name, "max": MAX_CAP},
                )
            )
        elif p is not None and 0 < p <= MAX_POINTS and c < p:
            errors.append(
                (
                    f"{prefix}.cap",
                    _("“%(item)s”的年度上限（%(cap)s分）不能小于每条记录的分值（%(points)s分）")
                    % {"item": name, "cap": c, "points": p},
                )
            )
    if errors:
        return None, errors
    return Item(source, p, c), []


def capped(records: int, points: int, cap: int | None) -> int:
    """The points of `records` records at `points` each, at most `cap`."""
    total = records * points
    return total if cap is None else min(total, cap)


def shares(records: int, points: int, cap: int | None) -> list[int]:
    """The points each of a year's records (in date order) gives: `points` each until the
    cap is reached, the rest of the cap to the record that reaches it, 0 after.
    sum(shares(n, p, c)) == capped(n, p, c)."""
    out, left = [], cap
    for _i in range(records):
        if left is None:
            out.append(points)
            continue
        give = min(points, left)
        out.append(give)
        left -= give
    return out


def closable(year: int, today: datetime.date) -> bool:
    """A year may be closed (结算) once it has ended."""
    return today > datetime.date(year, 12, 31)


def auto_close_due(year: int, today: datetime.date, after_days: int) -> bool:
    """The nightly job closes a year `after_days` days after it ended (late entries of its
    last meetings have been approved by then)."""
    return today > datetime.date(year, 12, 31) + datetime.timedelta(days=after_days)


def year_error(year, today: datetime.date) -> str | None:
    """Why `year` cannot have a scheme, or None: from 2000 to next year."""
    y = _whole(year)
    if y is None:
        return _("年度应为整数，如 %(y)s") % {"y": today.year}
    if not 2000 <= y <= today.year + 1:
        return _("年度应在2000年至%(y)s年之间") % {"y": today.year + 1}
    return None
