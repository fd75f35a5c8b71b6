"""Writes of venues and cadre pay. Each checks who may (a village's venue, funds and pay
sheet: its managers and those above; confirming or returning a sheet: a manager strictly
above the village; the pay rule: the county's organization department), collects every
error of the input at once (in Chinese, naming the field), runs in a transaction, is
audited and keeps the roll-up figures."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.services import Errors, invalid, require, validate_choice
from dangjian.core.text import hidden_characters
from dangjian.members.models import Member
from dangjian.orgs.models import Kind, Level, Officer, OfficerRole, Organization

from . import figures, rules, totals
from .models import (
    FIVE_HAVES,
    SIX_IN_ONE,
    Funding,
    PayLine,
    PayRule,
    PayRulePost,
    PaySheet,
    Post,
    Rounding,
    SheetStatus,
    Venue,
    VenueFunds,
    VenueWork,
    WorkKind,
)

PERM = "village.record"
CONFIRM_PERM = "village.confirm"
RULE_PERM = "village.set_rule"
VILLAGE_LEVELS = (Level.VILLAGE, Level.COMMUNITY)
# Party officers suggested on a new pay sheet, and the post each takes.
OFFICER_POSTS = {
    OfficerRole.SECRETARY: Post.SECRETARY,
    OfficerRole.DEPUTY_SECRETARY: Post.MEMBER,
    OfficerRole.ORGANIZATION: Post.MEMBER,
    OfficerRole.PROPAGANDA: Post.MEMBER,
    OfficerRole.DISCIPLINE: Post.MEMBER,
    OfficerRole.YOUTH: Post.MEMBER,
    OfficerRole.WOMEN: Post.MEMBER,
    OfficerRole.MEMBER: Post.MEMBER,
}


# ---- input helpers --------------------------------------------------------------------------


def _text(errors, field, label, value, max_len, *, required=True) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if not value:
        if required:
            errors.add(field, _("请填写%(label)s") % {"label": label})
        return ""
    if len(value) > max_len:
        errors.add(field, _("%(label)s不能超过%(n)s字") % {"label": label, "n": max_len})
    if found := hidden_characters(value):
        errors.add(
            field,
            _("%(label)s不能包含控制字符或不可见的格式字符（%(chars)s）")
            % {"label": label, "chars": "、".join(found)},
        )
    return value


def _int(errors, field, label, value, *, required=True, low=None, high=None):
    if value in (None, ""):
        if required:
            errors.add(field, _("请填写%(label)s") % {"label": label})
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        errors.add(field, _("%(label)s“%(v)s”应为整数") % {"label": label, "v": value})
        return None
    if (low is not None and number < low) or (high is not None and number > high):
        errors.add(
            field,
            _("%(label)s应在%(low)s到%(high)s之间") % {"label": label, "low": low, "high": high},
        )
        return None
    return number


def _decimal(errors, field, label, value, *, places=2, required=True, allow_zero=False, high=None):
    if value in (None, "") and not required:
        return None
    try:
        return rules.parse_decimal(
            field, label, value, places=places, allow_zero=allow_zero, high=high
        )
    except rules.PayError as error:
        errors.add(error.field, error.message)
        return None


def _fen(errors, field, label, value, *, required=True, allow_zero=True):
    """An amount typed in yuan ("10800", "1,350.50") as fen."""
    yuan = _decimal(
        errors,
        field,
        label,
        value,
        required=required,
        allow_zero=allow_zero,
        high=Decimal("100000000"),
    )
    return None if yuan is None else rules.to_fen(yuan)


def _choice(errors, field, value, choices, label):
    with errors.collect():
        validate_choice(field, value, choices, label)
    return value


def _flag(value) -> bool:
    return value in (True, "true", "1", "on", "yes", 1)


def is_village_unit(org: Organization) -> bool:
    """A village's or community's own organization: village or community level, not a
    group, and not a branch under a village's general branch (the venue and the pay sheet
    are the general branch's)."""
    if org.level not in VILLAGE_LEVELS or org.kind == Kind.GROUP:
        return False
    parent_level = (
        Organization.objects.filter(path__in=org.ancestor_paths()[:-1])
        .order_by("-depth")
        .values_list("level", flat=True)
        .first()
    )
    return parent_level not in VILLAGE_LEVELS


def _village(errors, org: Organization):
    if org.is_dissolved:
        errors.add("organization", _("“%(name)s”已撤销") % {"name": org.name})
    elif not is_village_unit(org):
        errors.add(
            "organization",
            _("“%(name)s”不是村（社区）党组织，活动场所和报酬发放表按村（社区）登记")
            % {"name": org.name},
        )


# ---- venues ---------------------------------------------------------------------------------

VENUE_FIELDS = (
    "address",
    "office_phone",
    "building_area",
    "square_area",
    "built_year",
    *FIVE_HAVES,
    "checked_on",
    "checked_by",
    *SIX_IN_ONE,
)


@transaction.atomic
def save_venue(actor, org: Organization, *, today=None, **data) -> Venue:
    """Record or update the venue of a village or community: its site, areas, the five-haves
    checklist (who checked it, when) and the six-in-one functions."""
    require(actor, PERM, org, _("您无权登记该村（社区）的活动场所"))
    today = today or timezone.localdate()
    errors = Errors()
    _village(errors, org)
    address = _text(errors, "address", _("场所地址"), data.get("address"), 200)
    phone = _text(
        errors, "office_phone", _("办公电话"), data.get("office_phone"), 32, required=False
    )
    building = _decimal(
        errors,
        "building_area",
        _("建筑面积"),
        data.get("building_area"),
        places=1,
        high=Decimal(100000),
    )
    square = _decimal(
        errors,
        "square_area",
        _("活动广场面积"),
        data.get("square_area") or "0",
        places=1,
        allow_zero=True,
        high=Decimal(1000000),
    )
    built = _int(errors, "built_year", _("建成年份"), data.get("built_year"), required=False)
    for field, message in rules.venue_problems(building, square, built, today.year).items():
        if not errors.has(field):
            errors.add(field, message)
    checked_on = data.get("checked_on") or None
    if isinstance(checked_on, str):
        try:
            checked_on = datetime.date.fromisoformat(checked_on)
        except ValueError:
            errors.add("checked_on", _("核查日期应写作 2026-03-01 这样"))
    if checked_on and checked_on > today:
        errors.add("checked_on", _("核查日期不能晚于今天"))
    checked_by = _text(
        errors, "checked_by", _("核查人"), data.get("checked_by"), 40, required=False
    )
    errors.raise_any()
    values = {
        "address": address,
        "office_phone": phone,
        "building_area": building,
        "square_area": square,
        "built_year": built,
        "checked_on": checked_on,
        "checked_by": checked_by,
        **{f: _flag(data.get(f)) for f in FIVE_HAVES + SIX_IN_ONE},
    }
    venue = Venue.objects.select_for_update().filter(organization=org).first()
    if venue is None:
        venue = Venue.objects.create(organization=org, created_by=audit.user_of(actor), **values)
        figures.added(org, figures.venue_keys(venue))
        audit.record(actor, "create", venue, organization=org, summary=f"活动场所：{org.name}")
        return venue
    before = audit.snapshot(venue, VENUE_FIELDS)
    old = figures.venue_keys(venue)
    for k, v in values.items():
        setattr(venue, k, v)
    venue.save()
    figures.changed(org, old, figures.venue_keys(venue))
    audit.record(
        actor,
        "update",
        venue,
        organization=org,
        summary=f"活动场所：{org.name}",
        changes=audit.diff(before, audit.snapshot(venue, VENUE_FIELDS)),
    )
    return venue


@transaction.atomic
def add_work(actor, venue: Venue, *, kind, year, cost, funding, note="", today=None) -> VenueWork:
    """A venue's works of a year (new, expanded, upgraded) with their cost and funding."""
    require(actor, PERM, venue.organization, _("您无权登记该场所的建设情况"))
    today = today or timezone.localdate()
    errors = Errors()
    _choice(errors, "kind", kind, WorkKind, _("建设类型"))
    _choice(errors, "funding", funding, Funding, _("资金来源"))
    year = _int(errors, "year", _("年度"), year, low=1949, high=today.year)
    cost_fen = _fen(errors, "cost", _("投入金额（元）"), cost, allow_zero=False)
    note = _text(errors, "note", _("说明"), note, 200, required=False)
    errors.raise_any()
    work = VenueWork.objects.create(
        venue=venue,
        organization=venue.organization,
        kind=kind,
        year=year,
        cost_fen=cost_fen,
        funding=funding,
        note=note,
        created_by=audit.user_of(actor),
    )
    figures.added(venue.organization, figures.work_keys(work))
    totals.adjust(venue.organization, {f"village.works_cost.{year}.{funding}": cost_fen})
    audit.record(
        actor,
        "create",
        work,
        organization=venue.organization,
        summary=f"{venue.organization.name} {year}年{work.get_kind_display()} {rules.yuan_text(cost_fen)}元",
    )
    return work


@transaction.atomic
def remove_work(actor, work: VenueWork) -> None:
    require(actor, PERM, work.organization, _("您无权删除该场所的建设情况"))
    audit.record(
        actor,
        "delete",
        work,
        organization=work.organization,
        summary=f"{work.year}年{work.get_kind_display()} {rules.yuan_text(work.cost_fen)}元",
    )
    figures.removed(work.organization, figures.work_keys(work))
    totals.adjust(
        work.organization, {f"village.works_cost.{work.year}.{work.funding}": -work.cost_fen}
    )
    work.delete()


@transaction.atomic
def set_funds(actor, org: Organization, *, year, office, service, today=None) -> VenueFunds:
    """A village's office and service funds of a year (yuan, to the fen)."""
    require(actor, PERM, org, _("您无权登记该村（社区）的经费"))
    today = today or timezone.localdate()
    errors = Errors()
    _village(errors, org)
    year = _int(errors, "year", _("年度"), year, low=2000, high=today.year + 1)
    office_fen = _fen(errors, "office", _("办公经费（元）"), office)
    service_fen = _fen(errors, "service", _("服务群众经费（元）"), service)
    errors.raise_any()
    before = VenueFunds.objects.select_for_update().filter(organization=org, year=year).first()
    old_office, old_service = (before.office_fen, before.service_fen) if before else (0, 0)
    funds, created = VenueFunds.objects.update_or_create(
        organization=org,
        year=year,
        defaults={"office_fen": office_fen, "service_fen": service_fen},
        create_defaults={
            "office_fen": office_fen,
            "service_fen": service_fen,
            "created_by": audit.user_of(actor),
        },
    )
    totals.adjust(
        org,
        {
            f"village.office.{year}": office_fen - old_office,
            f"village.service.{year}": service_fen - old_service,
        },
    )
    audit.record(
        actor,
        "create" if created else "update",
        funds,
        organization=org,
        summary=f"{org.name} {year}年经费：办公{rules.yuan_text(office_fen)}元，服务群众{rules.yuan_text(service_fen)}元",
    )
    return funds


# ---- pay rules ------------------------------------------------------------------------------


def _post_terms(errors, posts) -> list[rules.PostTerms]:
    """[{post, ratio, fixed_monthly, standard_monthly}] (text in yuan) → PostTerms."""
    out = []
    for i, p in enumerate(posts):
        post = p.get("post")
        if post not in Post.values:
            _choice(errors, f"posts-{i}-post", post, Post, _("岗位"))
            continue
        label = Post(post).label
        ratio = _decimal(
            errors,
            f"posts-{i}-ratio",
            _("%(post)s与书记报酬之比") % {"post": label},
            p.get("ratio"),
            required=False,
            high=Decimal(1),
        )
        fixed = _fen(
            errors,
            f"posts-{i}-fixed_monthly",
            _("%(post)s固定月报酬（元）") % {"post": label},
            p.get("fixed_monthly"),
            required=False,
            allow_zero=False,
        )
        standard = _fen(
            errors,
            f"posts-{i}-standard_monthly",
            _("%(post)s对比标准（元/月）") % {"post": label},
            p.get("standard_monthly"),
            required=False,
            allow_zero=False,
        )
        out.append(rules.PostTerms(post, ratio, fixed, standard))
    return out


@transaction.atomic
def save_pay_rule(
    actor,
    county: Organization,
    *,
    year,
    income_year,
    income,
    multiple,
    posts,
    rounding=Rounding.YUAN,
    performance="0",
    standard_name="",
    note="",
) -> PayRule:
    """Set (or change) the county's pay rule of a year. Sheets of that year still being
    prepared are recomputed from it; confirmed sheets keep the amounts they were confirmed
    with."""
    require(actor, RULE_PERM, county, _("报酬标准由县委组织部设定，您无权修改"))
    errors = Errors()
    if county.level != Level.COUNTY:
        errors.add("organization", _("报酬标准按县（区）设定，请在县（区）党委下设定"))
    year = _int(errors, "year", _("执行年度"), year, low=2000, high=2100)
    income_year = _int(errors, "income_year", _("收入统计年度"), income_year, low=2000, high=2100)
    income = _decimal(
        errors, "income", _("农村居民人均纯收入（元）"), income, high=rules.MAX_INCOME
    )
    multiple = _decimal(errors, "multiple", _("倍数"), multiple, high=rules.MAX_MULTIPLE)
    _choice(errors, "rounding", rounding, Rounding, _("取整方式"))
    performance_fen = _fen(errors, "performance", _("绩效报酬上限（元/人·年）"), performance or "0")
    standard_name = _text(
        errors, "standard_name", _("对比标准名称"), standard_name, 40, required=False
    )
    note = _text(errors, "note", _("文件依据"), note, 200, required=False)
    terms = _post_terms(errors, posts)
    if not any(t.post == Post.SECRETARY for t in terms) and not errors.has("posts"):
        errors.add("posts", _("请设置村（社区）党组织书记的报酬"))
    for field, message in rules.rule_problems(
        income, multiple, terms, year=year, income_year=income_year
    ).items():
        errors.add(field, message)
    errors.raise_any()
    rule = PayRule.objects.select_for_update().filter(organization=county, year=year).first()
    values = {
        "income_year": income_year,
        "income": income,
        "multiple": multiple,
        "rounding": rounding,
        "performance_fen": performance_fen,
        "standard_name": standard_name,
        "note": note,
    }
    created = rule is None
    if created:
        rule = PayRule.objects.create(
            organization=county, year=year, created_by=audit.user_of(actor), **values
        )
    else:
        for k, v in values.items():
            setattr(rule, k, v)
        rule.save()
        rule.posts.all().delete()
    PayRulePost.objects.bulk_create(
        PayRulePost(
            rule=rule,
            post=t.post,
            ratio=t.ratio,
            fixed_monthly_fen=t.fixed_monthly_fen,
            standard_monthly_fen=t.standard_monthly_fen,
        )
        for t in terms
    )
    for sheet in rule.sheets.filter(status__in=(SheetStatus.DRAFT, SheetStatus.RETURNED)):
        _reprice(sheet, rule)
    audit.record(
        actor,
        "create" if created else "update",
        rule,
        organization=county,
        summary=f"{county.name} {year}年村干部报酬标准：{income_year}年收入{income}元×{multiple}",
    )
    return rule


def rule_terms(rule: PayRule) -> list[rules.PostTerms]:
    return [
        rules.PostTerms(p.post, p.ratio, p.fixed_monthly_fen, p.standard_monthly_fen)
        for p in rule.posts.all()
    ]


def monthly_by_post(rule: PayRule) -> dict[str, int]:
    """{post: monthly fen} of a rule; a post the rule leaves out takes its default ratio."""
    terms = {t.post: t for t in rule_terms(rule)}
    out = {}
    for post in Post.values:
        t = terms.get(post) or rules.PostTerms(post)
        if t.ratio is None and t.fixed_monthly_fen is None and post not in rules.DEFAULT_RATIOS:
            continue
        out[post] = rules.monthly_fen(rule.income, rule.multiple, t, rule.rounding)
    return out


def _reprice(sheet: PaySheet, rule: PayRule) -> None:
    monthly = monthly_by_post(rule)
    lines = list(sheet.lines.all())
    for line in lines:
        line.monthly_fen = monthly.get(line.post, 0)
        line.total_fen = rules.line_total_fen(line.monthly_fen, line.months, line.performance_fen)
    PayLine.objects.bulk_update(lines, ["monthly_fen", "total_fen"])
    _retotal(sheet)


def _retotal(sheet: PaySheet) -> None:
    sheet.total_fen = sum(sheet.lines.values_list("total_fen", flat=True))
    sheet.save(update_fields=["total_fen", "updated_at"])


def county_of(org: Organization) -> Organization | None:
    return (
        Organization.objects.filter(path__in=org.ancestor_paths(), level=Level.COUNTY)
        .order_by("-depth")
        .first()
    )


def rule_for(org: Organization, year: int) -> PayRule | None:
    """The pay rule of `org`'s county for `year`."""
    county = county_of(org)
    if county is None:
        return None
    return PayRule.objects.filter(organization=county, year=year).first()


# ---- pay sheets -----------------------------------------------------------------------------


def suggested_lines(org: Organization) -> list[dict]:
    """Lines for a new sheet from the village's current Party officers: the secretary as
    secretary, every other committee seat as an other two-committee cadre (directors who
    are not Party officers are added by hand)."""
    out, seen = [], set()
    officers = (
        Officer.objects.current()
        .filter(organization=org, role__in=list(OFFICER_POSTS))
        .select_related("member")
        .order_by("role", "term_start", "pk")
    )
    for o in sorted(officers, key=lambda o: o.role != OfficerRole.SECRETARY):
        if o.member_id in seen:
            continue
        seen.add(o.member_id)
        out.append({"member": o.member, "name": o.member.name, "post": OFFICER_POSTS[o.role]})
    return out


@transaction.atomic
def prepare_sheet(actor, org: Organization, *, year, today=None) -> PaySheet:
    """Start a village's pay sheet of a year from the county's rule, with the current
    officers as its first lines (12 months each, no performance part)."""
    require(actor, PERM, org, _("您无权填报该村（社区）的报酬发放表"))
    today = today or timezone.localdate()
    errors = Errors()
    _village(errors, org)
    year = _int(errors, "year", _("年度"), year, low=2000, high=today.year + 1)
    errors.raise_any()
    rule = rule_for(org, year)
    if rule is None:
        raise invalid("year", _("县里尚未设定%(year)s年的村干部报酬标准") % {"year": year})
    if PaySheet.objects.filter(organization=org, year=year).exists():
        raise invalid("year", _("%(year)s年的报酬发放表已存在") % {"year": year})
    sheet = PaySheet.objects.create(
        organization=org, year=year, rule=rule, created_by=audit.user_of(actor)
    )
    monthly = monthly_by_post(rule)
    lines = [
        PayLine(
            sheet=sheet,
            member=s["member"],
            name=s["name"],
            post=s["post"],
            months=12,
            monthly_fen=monthly[s["post"]],
            total_fen=monthly[s["post"]] * 12,
        )
        for s in suggested_lines(org)
    ]
    PayLine.objects.bulk_create(lines)
    _retotal(sheet)
    figures.added(org, figures.sheet_keys(sheet))
    audit.record(actor, "create", sheet, organization=org, summary=f"{org.name} {year}年报酬发放表")
    return sheet


def _editable(sheet: PaySheet) -> None:
    if not sheet.editable:
        raise invalid(
            "status", _("报酬发放表%(s)s，不能再修改") % {"s": sheet.get_status_display()}
        )


def _line_values(errors, sheet, *, name, post, months, performance, member):
    name = _text(errors, "name", _("姓名"), name or (member.name if member else ""), 40)
    _choice(errors, "post", post, Post, _("岗位"))
    months = _int(errors, "months", _("任职月数"), months if months not in (None, "") else 12)
    performance_fen = _fen(errors, "performance", _("绩效报酬（元）"), performance or "0")
    if member is not None and member.organization_id != sheet.organization_id:
        errors.add("member", _("党员应是本村（社区）党组织的党员"))
    if months is not None:
        for field, message in rules.line_problems(
            months, performance_fen or 0, sheet.rule.performance_fen
        ).items():
            if not errors.has(field):
                errors.add(field, message)
    errors.raise_any()
    monthly = monthly_by_post(sheet.rule).get(post)
    if monthly is None:
        raise invalid("post", _("报酬标准没有设置该岗位的报酬"))
    return {
        "name": name,
        "post": post,
        "months": months,
        "performance_fen": performance_fen,
        "monthly_fen": monthly,
        "total_fen": rules.line_total_fen(monthly, months, performance_fen),
        "member": member,
    }


@transaction.atomic
def add_line(actor, sheet: PaySheet, *, name="", post, months=12, performance="0", member=None):
    """A person on the sheet: a member, or a name (a director who is not a Party officer)."""
    require(actor, PERM, sheet.organization, _("您无权修改该报酬发放表"))
    sheet = PaySheet.objects.select_for_update().select_related("rule").get(pk=sheet.pk)
    _editable(sheet)
    values = _line_values(
        Errors(), sheet, name=name, post=post, months=months, performance=performance, member=member
    )
    line = PayLine.objects.create(sheet=sheet, **values)
    _retotal(sheet)
    audit.record(
        actor,
        "update",
        sheet,
        organization=sheet.organization,
        summary=f"报酬发放表增加 {line.name}（{line.get_post_display()}）",
    )
    return line


@transaction.atomic
def update_line(actor, line: PayLine, *, name, post, months, performance="0") -> PayLine:
    require(actor, PERM, line.sheet.organization, _("您无权修改该报酬发放表"))
    sheet = PaySheet.objects.select_for_update().select_related("rule").get(pk=line.sheet_id)
    _editable(sheet)
    values = _line_values(
        Errors(),
        sheet,
        name=name,
        post=post,
        months=months,
        performance=performance,
        member=line.member,
    )
    for k, v in values.items():
        setattr(line, k, v)
    line.save()
    _retotal(sheet)
    audit.record(
        actor,
        "update",
        sheet,
        organization=sheet.organization,
        summary=f"报酬发放表修改 {line.name}",
    )
    return line


@transaction.atomic
def remove_line(actor, line: PayLine) -> None:
    require(actor, PERM, line.sheet.organization, _("您无权修改该报酬发放表"))
    sheet = PaySheet.objects.select_for_update().get(pk=line.sheet_id)
    _editable(sheet)
    name = line.name
    line.delete()
    _retotal(sheet)
    audit.record(
        actor, "update", sheet, organization=sheet.organization, summary=f"报酬发放表删除 {name}"
    )


def _set_status(actor, sheet, status, summary, **fields):
    old = figures.sheet_keys(sheet)
    before = sheet.status
    sheet.status = status
    for k, v in fields.items():
        setattr(sheet, k, v)
    sheet.save()
    figures.changed(sheet.organization_id, old, figures.sheet_keys(sheet))
    audit.record(
        actor,
        "update",
        sheet,
        organization=sheet.organization,
        summary=summary,
        changes={"status": [before, status]},
    )
    return sheet


@transaction.atomic
def submit_sheet(actor, sheet: PaySheet) -> PaySheet:
    """The village sends its sheet up for confirmation."""
    require(actor, PERM, sheet.organization, _("您无权报送该报酬发放表"))
    sheet = PaySheet.objects.select_for_update().get(pk=sheet.pk)
    _editable(sheet)
    if not sheet.lines.exists():
        raise invalid("lines", _("报酬发放表没有人员，请先添加"))
    return _set_status(
        actor,
        sheet,
        SheetStatus.SUBMITTED,
        f"{sheet.year}年报酬发放表报送",
        submitted_at=timezone.now(),
        return_reason="",
    )


@transaction.atomic
def confirm_sheet(actor, sheet: PaySheet) -> PaySheet:
    """The township or the county confirms a submitted sheet."""
    require(actor, CONFIRM_PERM, sheet.organization, _("报酬发放表由乡镇或县里确认，您无权确认"))
    sheet = PaySheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.status != SheetStatus.SUBMITTED:
        raise invalid("status", _("只有待确认的报酬发放表可以确认"))
    who = getattr(actor, "get_full_name", lambda: "")() or getattr(actor, "username", "") or ""
    totals.adjust(sheet.organization_id, {f"village.pay.{sheet.year}": sheet.total_fen})
    return _set_status(
        actor,
        sheet,
        SheetStatus.CONFIRMED,
        f"{sheet.year}年报酬发放表确认",
        confirmed_at=timezone.now(),
        confirmed_by_name=who[:60],
    )


@transaction.atomic
def return_sheet(actor, sheet: PaySheet, *, reason) -> PaySheet:
    """The level above sends a submitted sheet back with the reason."""
    require(actor, CONFIRM_PERM, sheet.organization, _("报酬发放表由乡镇或县里确认，您无权退回"))
    sheet = PaySheet.objects.select_for_update().get(pk=sheet.pk)
    errors = Errors()
    if sheet.status != SheetStatus.SUBMITTED:
        errors.add("status", _("只有待确认的报酬发放表可以退回"))
    reason = _text(errors, "reason", _("退回原因"), reason, 200)
    errors.raise_any()
    return _set_status(
        actor,
        sheet,
        SheetStatus.RETURNED,
        f"{sheet.year}年报酬发放表退回：{reason}",
        return_reason=reason,
    )


def member_choices(org: Organization):
    return Member.objects.filter(organization=org).active()
