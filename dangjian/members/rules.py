"""Pure rules about members: ID numbers, masking, ages. No database here."""

import datetime
import functools

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from pypinyin import lazy_pinyin

from dangjian.core.text import normalize_identifier

# GB 11643-1999: weights of the first 17 digits, and the check character for sum mod 11.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def id_number_error(value: str) -> str | None:
    """Why `value` is not a valid 18-character resident ID number, or None if it is."""
    value = (value or "").strip().upper()
    if len(value) != 18:
        return _("身份证号应为18位，实际为%(n)s位") % {"n": len(value)}
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return _("身份证号前17位应为数字，末位为数字或X")
    try:
        datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return _("身份证号中的出生日期%(date)s不存在") % {"date": value[6:14]}
    if id_check_char(value[:17]) != value[17]:
        return _("身份证号校验位不正确，请核对")
    return None


def normalize_id_number(value: str) -> str:
    """As stored: full-width digits and x made ASCII (NFKC), trimmed, upper case."""
    return normalize_identifier(value)


def birth_date_from_id(value: str) -> datetime.date:
    return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def gender_from_id(value: str) -> str:
    """The 17th digit is odd for men, even for women."""
    return "m" if int(value[16]) % 2 else "f"


# Masking (who sees what in full is members.selectors.personal_details). The hidden part of
# a masked value must not be recoverable from what is shown beside it: an ID number's digits
# 7–14 are the birth date, 15–17 a sequence and 18 a check character over all of them, so
# showing its last four beside the birth date gave the whole number away. A masked ID now
# keeps only the region code (shared by most of a county's members) and the birth date is
# shown as its year only: some 366 × 1,000 numbers fit what a masked reader sees.


def mask_id_number(value: str) -> str:
    """410423************ → keeps only the six-digit region code."""
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 6)


def mask_phone(value: str) -> str:
    """139****5678 → keeps the carrier prefix and the last four digits."""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_birth_date(value) -> str:
    """1968-05-01 (a date or its ISO text) → "1968": the year only."""
    if not value:
        return ""
    return str(value)[:4]


def make_id_number(region: str, birth: datetime.date, sequence: int, gender: str) -> str:
    """A valid ID number (used by the demo generator and tests)."""
    seq = sequence % 100 * 10 + (1 if gender == "m" else 0) + (sequence // 100 % 5) * 2
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + id_check_char(body)


# Age bands as the Party statistics count them: age reached by the end of the year, in
# 5-year steps (AGE_BANDS); the 10-year bands (AGE_BANDS_10) stay as a coarser view.
# The labels are stable keys (stats JSON, API); pages show them through gettext.
AGE_BANDS = (
    (gettext_noop("≤25岁"), 0, 25),
    (gettext_noop("26–30岁"), 26, 30),
    (gettext_noop("31–35岁"), 31, 35),
    (gettext_noop("36–40岁"), 36, 40),
    (gettext_noop("41–45岁"), 41, 45),
    (gettext_noop("46–50岁"), 46, 50),
    (gettext_noop("51–55岁"), 51, 55),
    (gettext_noop("56–60岁"), 56, 60),
    (gettext_noop("61–65岁"), 61, 65),
    (gettext_noop("66–70岁"), 66, 70),
    (gettext_noop("71–75岁"), 71, 75),
    (gettext_noop("76–80岁"), 76, 80),
    (gettext_noop("81岁以上"), 81, 200),
)
AGE_BANDS_10 = (
    (gettext_noop("≤30岁"), 0, 30),
    (gettext_noop("31–40岁"), 31, 40),
    (gettext_noop("41–50岁"), 41, 50),
    (gettext_noop("51–60岁"), 51, 60),
    (gettext_noop("61–70岁"), 61, 70),
    (gettext_noop("71岁以上"), 71, 200),
)


def age_band(birth_year: int, as_of_year: int, bands=AGE_BANDS) -> str:
    age = as_of_year - birth_year
    for label, low, high in bands:
        if low <= age <= high:
            return label
    return bands[0][0]


# Probation lasts one year from admission (Development Rules 2014, step 21); the branch is
# reminded this many days before it ends.
PROBATION_YEARS = 1
CONVERSION_NOTICE_DAYS = 30


def probation_ends(joined_on: datetime.date) -> datetime.date:
    """The first day a probationary member admitted on `joined_on` may be made full: one
    year on (a 29 February admission ends on 28 February)."""
    try:
        return joined_on.replace(year=joined_on.year + PROBATION_YEARS)
    except ValueError:
        return joined_on.replace(year=joined_on.year + PROBATION_YEARS, day=28)


def conversion_status(joined_on: datetime.date, today: datetime.date) -> str | None:
    """ "overdue" once probation has ended, "due" within CONVERSION_NOTICE_DAYS of its end,
    else None."""
    ends = probation_ends(joined_on)
    if ends <= today:
        return "overdue"
    if (ends - today).days <= CONVERSION_NOTICE_DAYS:
        return "due"
    return None


# The occupation a member's category (人员类别) implies, where it implies one: 企事业单位人员
# are either professionals or managers, which only the branch knows.
OCCUPATION_OF_CATEGORY = {
    "rural": "farmer",
    "worker": "worker",
    "agency": "agency",
    "student": "student",
    "retired": "retired",
    "other": "other",
}
# Roll-up key suffix of members whose occupation is not filled in.
UNKNOWN_OCCUPATION = "unknown"

# Education as the annual statistics report it: (row id, label, stored values counted).
EDUCATION_REPORT = (
    ("postgraduate", gettext_noop("研究生"), ("postgraduate",)),
    ("university", gettext_noop("大学本科"), ("university",)),
    ("college", gettext_noop("大学专科"), ("college",)),
    ("vocational", gettext_noop("中专"), ("vocational",)),
    ("secondary", gettext_noop("高中、中技"), ("secondary",)),
    ("junior_or_below", gettext_noop("初中及以下"), ("junior", "primary")),
)


def occupation_for(category: str) -> str:
    """The occupation `category` implies, or "" when it does not tell."""
    return OCCUPATION_OF_CATEGORY.get(category, "")


def education_report_counts(figs: dict) -> list[tuple[str, str, int]]:
    """(row id, untranslated label, members) per education row of the annual statistics,
    from the rolled-up counts of the stored values."""
    return [
        (row, label, sum(figs.get(f"members.education.{v}", 0) for v in values))
        for row, label, values in EDUCATION_REPORT
    ]


def member_keys(member) -> list[str]:
    """The roll-up figures a member counts in. A removed member counts in none."""
    if member.removed_on is not None:
        return []
    keys = [
        "members",
        f"members.status.{member.status}",
        f"members.category.{member.category}",
        f"members.gender.{member.gender}",
        f"members.education.{member.education}",
        f"members.occupation.{member.occupation or UNKNOWN_OCCUPATION}",
        f"members.birth_year.{member.birth_date.year}",
    ]
    if member.is_mobile:
        keys.append("members.mobile")
    return keys


def age_band_counts(figs: dict, as_of_year: int, bands=AGE_BANDS) -> list[tuple[str, int]]:
    """Members by age band (labels untranslated), from the rolled-up birth-year counts."""
    counts = {label: 0 for label, _low, _high in bands}
    for key, n in figs.items():
        if key.startswith("members.birth_year."):
            try:
                year = int(key.rsplit(".", 1)[1])
            except ValueError:
                continue
            counts[age_band(year, as_of_year, bands)] += n
    return list(counts.items())


@functools.lru_cache(maxsize=65536)
def name_sort_key(name: str) -> str:
    """The key names sort by, as a Chinese list is read: by pinyin, syllable by syllable
    ("ding yi" before "zhang san"), so 丁 is not first just for its code point. Stored in
    Member.name_pinyin, so SQLite and PostgreSQL sort alike without a collation."""
    return " ".join(lazy_pinyin((name or "").strip().lower()))[:200]


# ---- transfers and mobile members (DOMAIN.md section 3, Education Regulations 2019 ch. 5) --

TRANSFER_LETTER, MEMBER_CERTIFICATE, MOBILE_CERTIFICATE, NO_DOCUMENT = (
    "transfer_letter",
    "member_certificate",
    "mobile_certificate",
    "none",
)
TEMPORARY_BRANCH_MIN = 3  # members away together who may form a temporary branch or group


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day where it has fewer days)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def letter_valid_until(issued_on: datetime.date, months: int) -> datetime.date:
    """The last day a transfer letter issued on `issued_on` is valid (≤ `months` months)."""
    return add_months(issued_on, months) - datetime.timedelta(days=1)


def transfer_expired(status: str, valid_until: datetime.date, today: datetime.date) -> bool:
    """A letter not yet received by the receiving organization expires after `valid_until`;
    one received (or closed) no longer does."""
    return status == "issued" and today > valid_until


def suggested_document(
    since: datetime.date, expected_until: datetime.date | None, fixed_place: bool = True
) -> str:
    """The document a member going away should carry [S]: more than 6 months at a fixed
    place → transfer letter (the record should move); at most 6 months → member
    certificate; at most 3 months → none; place or time uncertain → mobile member's
    certificate (joins local activities and pays dues there, no vote). Months are calendar
    months from `since`."""
    if expected_until is None or not fixed_place:
        return MOBILE_CERTIFICATE
    if expected_until <= add_months(since, 3):
        return NO_DOCUMENT
    if expected_until <= add_months(since, 6):
        return MEMBER_CERTIFICATE
    return TRANSFER_LETTER


def should_transfer(
    since: datetime.date, expected_until: datetime.date | None, fixed_place: bool
) -> bool:
    """Away ≥6 months at a fixed place: the record should be transferred [C]."""
    return fixed_place and expected_until is not None and expected_until >= add_months(since, 6)


def may_form_temporary_branch(members_together: int) -> bool:
    return members_together >= TEMPORARY_BRANCH_MIN


def letter_number_error(text: str) -> str | None:
    text = (text or "").strip()
    if not text:
        return _("请填写介绍信编号")
    if len(text) > 40:
        return _("介绍信编号不能超过40个字")
    return None
