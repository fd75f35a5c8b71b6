"""The rectification ledger (整改台账) as .xlsx: one row an item, the same rows the page
shows (selectors.ledger), with its guarantors at three levels."""

from django.db.models import Count

from dangjian.core.xlsx import label, workbook
from dangjian.orgs.models import Sector

from .models import GuarantorLevel, ItemSource, MeasureKind, ShownStatus

HEADERS = [
    ("组织编码", 14),
    ("党组织", 24),
    ("领域", 10),
    ("来源", 12),
    ("存在问题", 40),
    ("整改措施类别", 12),
    ("整改措施", 40),
    ("整改责任人", 10),
    ("县级包保领导", 18),
    ("乡级包保领导", 18),
    ("村（支部）责任人", 18),
    ("登记日期", 11),
    ("整改期限", 11),
    ("状态", 8),
    ("进展条数", 8),
    ("销号日期", 11),
    ("销号人", 10),
]


def _person(guarantors, level) -> str:
    return "；".join(
        f"{g.name}（{g.post}）" if g.post else g.name for g in guarantors if g.level == level
    )


def ledger(rows, *, today, user=None):
    """rows: the ledger's queryset (already scoped and filtered)."""
    qs = (
        rows.select_related("organization")
        .prefetch_related("guarantors")
        .annotate(n_notes=Count("progress_notes"))
    )

    def lines():
        for item in qs.iterator(chunk_size=2000):
            people = list(item.guarantors.all())
            yield [
                item.organization.code,
                item.organization.name,
                label(Sector, item.organization.sector),
                label(ItemSource, item.source),
                item.problem,
                label(MeasureKind, item.measure_kind),
                item.measures,
                item.owner_name,
                _person(people, GuarantorLevel.COUNTY),
                _person(people, GuarantorLevel.TOWNSHIP),
                _person(people, GuarantorLevel.VILLAGE),
                item.opened_on,
                item.deadline,
                label(ShownStatus, item.shown_status(today)),
                item.n_notes,
                item.rectified_on,
                item.signed_off_name,
            ]

    return workbook(
        "整改台账",
        HEADERS,
        lines(),
        [f"状态按{today:%Y-%m-%d}计：未销号且已过整改期限的为“已逾期”"],
        user=user,
    )
