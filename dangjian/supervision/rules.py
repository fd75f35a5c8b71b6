"""The rules of supervision without the database: an item's shown status, the reproducible
sample of a phone spot check, what a sign-off needs, the red supervision order's text, and
the body of an inspection's notice (通报)."""

import datetime
import hashlib
import random

from django.utils.translation import gettext as _

# How often each kind is held (seed 004: weekly phone spot checks, monthly unannounced
# visits, quarterly inspections, half-yearly observation tours).
CADENCE = {
    "phone_check": "week",
    "unannounced_visit": "month",
    "inspection": "quarter",
    "observation_tour": "half_year",
}
CADENCE_LABELS = {
    "week": "每周",
    "month": "每月",
    "quarter": "每季度",
    "half_year": "每半年",
}
GUARANTOR_LEVELS = ("county", "township", "village")
# A notice's tables are cut here (a PDF costs ~8 ms CPU a table row); the full list is the
# ledger's .xlsx.
NOTICE_MAX_ROWS = 150


def shown_status(status: str, deadline: datetime.date, today: datetime.date) -> str:
    """What the ledger shows: a stored open or in-progress item past its deadline is
    "overdue"; a rectified one stays rectified, however late it was signed off."""
    if status != "rectified" and deadline < today:
        return "overdue"
    return status


def sample_seed(plan_id: int, day: datetime.date) -> str:
    """The seed of a phone spot check held on `day` under plan `plan_id`."""
    return f"{plan_id}:{day.isoformat()}"


def draw_sample(candidates: list, size: int, seed: str) -> list:
    """`size` of `candidates` (in a fixed order, e.g. by tree path) drawn at random from
    `seed`: the same seed and candidates give the same sample, on any machine and Python
    version (the generator is seeded from a SHA-256 of the text, not from hash())."""
    if size <= 0 or not candidates:
        return []
    number = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big")
    rng = random.Random(number)
    return rng.sample(list(candidates), min(size, len(candidates)))


def check_deadline(deadline, opened_on: datetime.date) -> str | None:
    if deadline is None:
        return _("请填写整改期限")
    if deadline < opened_on:
        return _("整改期限不能早于登记日期（%(d)s）") % {"d": opened_on.isoformat()}
    if deadline > opened_on + datetime.timedelta(days=3 * 366):
        return _("整改期限不能超过登记日期后三年")
    return None


def check_sign_off(
    *,
    status: str,
    notes: int,
    day,
    opened_on: datetime.date,
    today: datetime.date,
    own: bool,
) -> list[tuple[str, str]]:
    """(field, message) of every reason an item may not be signed off (销号) now: it is
    already signed off; nothing has been recorded of its rectification (no evidence); the
    date is before the item was opened or after today; the signer belongs to the
    organization itself (sign-off is the level above's: nobody checks their own work)."""
    problems = []
    if status == "rectified":
        problems.append(("status", _("该事项已经销号，不能重复销号")))
    if own:
        problems.append(("status", _("整改事项须由上级党组织验收销号，不能由本组织自己销号")))
    if notes == 0:
        problems.append(("notes", _("还没有整改进展和佐证材料，不能销号")))
    if day is None:
        problems.append(("rectified_on", _("请填写销号日期")))
    elif day > today:
        problems.append(("rectified_on", _("销号日期不能晚于今天")))
    elif day < opened_on:
        problems.append(
            ("rectified_on", _("销号日期不能早于登记日期（%(d)s）") % {"d": opened_on.isoformat()})
        )
    return problems


def order_text(org_name: str, problem: str, deadline: datetime.date, reply_by) -> str:
    """The body of a red supervision order."""
    return _(
        "%(org)s：你单位整改事项“%(problem)s”的整改期限（%(deadline)s）已过，至今未完成整改。"
        "现予红色督办，请责任书记亲自过问，于%(reply)s前完成整改并书面反馈整改情况。"
    ) % {
        "org": org_name,
        "problem": problem[:60],
        "deadline": deadline.isoformat(),
        "reply": reply_by.isoformat(),
    }


def _cut(rows: list, what: str) -> tuple[list, list[str]]:
    if len(rows) <= NOTICE_MAX_ROWS:
        return rows, []
    rest = len(rows) - NOTICE_MAX_ROWS
    return rows[:NOTICE_MAX_ROWS], [
        _("另有%(n)s条%(what)s未列出，详见整改台账。") % {"n": rest, "what": what}
    ]


def notice_sections(
    *,
    kind_label: str,
    held_on: datetime.date,
    inspectors: str,
    summary: str,
    inspected: int,
    findings: list[dict],
    items: list[dict],
) -> list[dict]:
    """The body of the notice of a closed inspection (notices.rules format): what was done,
    the findings (organization, problem, score), the items to rectify (organization, problem,
    responsible person, deadline). findings: {"org", "problem", "score"}; items: {"org",
    "problem", "owner", "deadline"}."""
    intro = _(
        "%(date)s，督查组（%(inspectors)s）以%(kind)s方式对%(n)s个党组织的基层党建工作进行了督查。"
    ) % {
        "date": f"{held_on.year}年{held_on.month}月{held_on.day}日",
        "inspectors": inspectors,
        "kind": kind_label,
        "n": inspected,
    }
    sections = [
        {"heading": _("一、基本情况"), "paragraphs": [intro] + ([summary] if summary else [])}
    ]
    scored = any(f.get("score") not in (None, "") for f in findings)
    problems = [f for f in findings if f.get("problem")]
    columns = [_("序号"), _("党组织"), _("发现的问题")] + ([_("得分")] if scored else [])
    rows = [
        [str(i), f["org"], f.get("problem") or _("未发现问题")]
        + ([_score_text(f.get("score"))] if scored else [])
        for i, f in enumerate(findings if scored else problems, start=1)
    ]
    rows, more = _cut(rows, _("督查发现"))
    if rows:
        sections.append(
            {
                "heading": _("二、发现的问题"),
                "paragraphs": more,
                "table": {"columns": columns, "rows": rows},
            }
        )
    else:
        sections.append({"heading": _("二、发现的问题"), "paragraphs": [_("本次督查未发现问题。")]})
    item_rows = [
        [str(i), it["org"], it["problem"], it.get("owner") or "—", it["deadline"].isoformat()]
        for i, it in enumerate(items, start=1)
    ]
    item_rows, more = _cut(item_rows, _("整改事项"))
    if item_rows:
        sections.append(
            {
                "heading": _("三、整改要求"),
                "paragraphs": [
                    _(
                        "以下问题已列入整改台账。各有关党组织要逐项制定整改措施，在期限内整改到位，"
                        "逾期未完成的将下发红色督办单，并约谈责任人。"
                    ),
                    *more,
                ],
                "table": {
                    "columns": [_("序号"), _("党组织"), _("整改事项"), _("责任人"), _("整改期限")],
                    "rows": item_rows,
                },
            }
        )
    return sections


def _score_text(score) -> str:
    if score in (None, ""):
        return "—"
    text = f"{score}"
    return text.rstrip("0").rstrip(".") if "." in text else text
