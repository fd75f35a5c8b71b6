"""Forms of venues and cadre pay: field types and labels only; the rules are the services'.
Amounts are typed in yuan as text and read as Decimal by the services (never a float)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import DateInput

from .models import FIVE_HAVES, SIX_IN_ONE, Funding, Post, Rounding, Venue, WorkKind


def _money(label, required=True):
    return forms.CharField(label=label, required=required, max_length=20)


class VenueForm(forms.Form):
    address = forms.CharField(label=_("场所地址"), max_length=200)
    office_phone = forms.CharField(label=_("办公电话"), max_length=32, required=False)
    building_area = forms.CharField(label=_("建筑面积（平方米）"), max_length=12)
    square_area = forms.CharField(label=_("活动广场面积（平方米）"), max_length=12, required=False)
    built_year = forms.CharField(label=_("建成年份"), max_length=4, required=False)
    checked_on = forms.DateField(label=_("“五有”核查日期"), required=False, widget=DateInput())
    checked_by = forms.CharField(label=_("核查人"), max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FIVE_HAVES + SIX_IN_ONE:
            label = Venue._meta.get_field(name).verbose_name
            self.fields[name] = forms.BooleanField(label=label, required=False)

    @staticmethod
    def initial_of(venue) -> dict:
        if venue is None:
            return {}
        fields = ("address", "office_phone", "building_area", "square_area", "built_year")
        data = {f: getattr(venue, f) for f in fields}
        data.update({f: getattr(venue, f) for f in FIVE_HAVES + SIX_IN_ONE})
        data.update(checked_on=venue.checked_on, checked_by=venue.checked_by)
        return data


class WorkForm(forms.Form):
    kind = forms.ChoiceField(label=_("建设类型"), choices=WorkKind.choices)
    year = forms.CharField(label=_("年度"), max_length=4)
    cost = _money(_("投入金额（元）"))
    funding = forms.ChoiceField(label=_("资金来源"), choices=Funding.choices)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class FundsForm(forms.Form):
    year = forms.CharField(label=_("年度"), max_length=4)
    office = _money(_("办公经费（元）"))
    service = _money(_("服务群众经费（元）"))


class PayRuleForm(forms.Form):
    year = forms.CharField(label=_("执行年度"), max_length=4)
    income_year = forms.CharField(label=_("收入统计年度"), max_length=4)
    income = _money(_("农村居民人均纯收入（元）"))
    multiple = forms.CharField(label=_("倍数"), max_length=8)
    rounding = forms.ChoiceField(label=_("取整方式"), choices=Rounding.choices)
    performance = _money(_("绩效报酬上限（元/人·年）"), required=False)
    standard_name = forms.CharField(label=_("对比标准名称"), max_length=40, required=False)
    note = forms.CharField(label=_("文件依据"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for post, label in Post.choices:
            self.fields[f"{post}_ratio"] = forms.CharField(
                label=_("%(post)s：与书记报酬之比") % {"post": label}, max_length=8, required=False
            )
            self.fields[f"{post}_fixed"] = forms.CharField(
                label=_("%(post)s：或固定月报酬（元）") % {"post": label},
                max_length=12,
                required=False,
            )
            self.fields[f"{post}_standard"] = forms.CharField(
                label=_("%(post)s：对比标准（元/月）") % {"post": label},
                max_length=12,
                required=False,
            )

    def posts(self) -> list[dict]:
        d = self.cleaned_data
        out = []
        for post in Post.values:
            ratio, fixed, standard = (
                d.get(f"{post}_ratio"),
                d.get(f"{post}_fixed"),
                d.get(f"{post}_standard"),
            )
            if ratio or fixed or standard or post == Post.SECRETARY:
                out.append(
                    {
                        "post": post,
                        "ratio": ratio or ("1.00" if post == Post.SECRETARY and not fixed else ""),
                        "fixed_monthly": fixed,
                        "standard_monthly": standard,
                    }
                )
        return out

    def rule_data(self) -> dict:
        d = self.cleaned_data
        keys = ("year", "income_year", "income", "multiple", "rounding", "performance")
        return {
            **{k: d.get(k) for k in keys},
            "standard_name": d.get("standard_name", ""),
            "note": d.get("note", ""),
            "posts": self.posts(),
        }

    @staticmethod
    def initial_of(rule, year, county=None) -> dict:
        """The rule's values, or for a year without one the county's defaults
        (core.config "village.pay_multiple" and "village.pay_ratios")."""
        from dangjian.core import config

        from .rules import fen_to_yuan

        if rule is None:
            ratios = config.get(county, "village.pay_ratios")
            return {
                "year": year,
                "income_year": year - 1,
                "multiple": config.get(county, "village.pay_multiple"),
                "rounding": Rounding.YUAN,
                **{f"{post}_ratio": ratio for post, ratio in ratios.items()},
            }
        data = {
            "year": rule.year,
            "income_year": rule.income_year,
            "income": rule.income,
            "multiple": rule.multiple,
            "rounding": rule.rounding,
            "performance": fen_to_yuan(rule.performance_fen),
            "standard_name": rule.standard_name,
            "note": rule.note,
        }
        for p in rule.posts.all():
            data[f"{p.post}_ratio"] = p.ratio or ""
            data[f"{p.post}_fixed"] = fen_to_yuan(p.fixed_monthly_fen) or ""
            data[f"{p.post}_standard"] = fen_to_yuan(p.standard_monthly_fen) or ""
        return data


class LineForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("党员（可不选，直接填写姓名）"), queryset=None, required=False
    )
    name = forms.CharField(label=_("姓名"), max_length=40, required=False)
    post = forms.ChoiceField(label=_("岗位"), choices=Post.choices)
    months = forms.CharField(label=_("任职月数"), max_length=2, initial="12")
    performance = _money(_("绩效报酬（元）"), required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is None:
            del self.fields["member"]
        else:
            self.fields["member"].queryset = members


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=200)


class SheetForm(forms.Form):
    year = forms.CharField(label=_("年度"), max_length=4)
