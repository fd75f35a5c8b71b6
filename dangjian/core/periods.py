"""Periods are values: a year, a quarter or a month, never a loose date string."""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int | None = None
    month: int | None = None

    @classmethod
    def parse(cls, text: str) -> "Period":
        """'2026' → year, '2026-Q1' → quarter, '2026-03' → month."""
        text = (text or "").strip().upper()
        if m := re.fullmatch(r"(\d{4})", text):
            return cls(int(m[1]))
        if m := re.fullmatch(r"(\d{4})-?Q([1-4])", text):
            return cls(int(m[1]), quarter=int(m[2]))
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
            month = int(m[2])
            if 1 <= month <= 12:
                return cls(int(m[1]), month=month)
        raise PeriodError(
            _("无法识别的期间“%(text)s”，应为 2026、2026-Q1 或 2026-03 这样的格式") % {"text": text}
        )

    @classmethod
    def month_of(cls, day: datetime.date) -> "Period":
        return cls(day.year, month=day.month)

    @classmethod
    def quarter_of(cls, day: datetime.date) -> "Period":
        return cls(day.year, quarter=(day.month - 1) // 3 + 1)

    @property
    def kind(self) -> str:
        return "month" if self.month else "quarter" if self.quarter else "year"

    @property
    def start(self) -> datetime.date:
        if self.month:
            return datetime.date(self.year, self.month, 1)
        if self.quarter:
            return datetime.date(self.year, 3 * self.quarter - 2, 1)
        return datetime.date(self.year, 1, 1)

    @property
    def end(self) -> datetime.date:
        """The last day of the period (inclusive)."""
        if self.month:
            last_month = self.month
        elif self.quarter:
            last_month = 3 * self.quarter
        else:
            last_month = 12
        return datetime.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self):
        if self.month:
            return f"{self.year}-{self.month:02d}"
        if self.quarter:
            return f"{self.year}-Q{self.quarter}"
        return str(self.year)
