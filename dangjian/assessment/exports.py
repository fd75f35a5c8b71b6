"""The full ranking of an assessment as .xlsx (the notice prints only the last places)."""

from django.utils.translation import gettext as _

from dangjian.core import xlsx
from dangjian.orgs.models import Level, Sector

from . import rules


def ranking(assessment, scores, *, user=None):
    """Every score the user sees, from the bottom within each level and sector, with each
    indicator's points in a column of its own."""
    labels = rules.grade_labels(assessment.grades or rules.DEFAULT_GRADES)
    version = assessment.version
    indicators = list(version.indicators.order_by("position")) if version else []
    headers = [
        (_("组织编码"), 12),
        (_("党组织"), 30),
        (_("层级"), 10),
        (_("领域"), 12),
        (_("倒数名次"), 10),
        (_("同组组织数"), 10),
        (_("总分"), 10),
        (_("等次"), 8),
    ] + [(f"{i.name}（{rules.num(i.weight)}）", 14) for i in indicators]

    def rows():
        for s in scores.iterator(chunk_size=2000):
            points = {d["code"]: float(d["points"]) for d in s.details}
            yield [
                s.organization.code,
                s.organization.name,
                xlsx.label(Level, s.level),
                xlsx.label(Sector, s.sector),
                s.rank_from_bottom,
                s.group_size,
                float(s.total),
                str(labels.get(s.grade, s.grade)),
            ] + [points.get(i.code) for i in indicators]

    return xlsx.workbook(
        _("考核结果"),
        headers,
        rows(),
        notes=[str(assessment), str(rules.TIE_RULE)],
        user=user,
    )
