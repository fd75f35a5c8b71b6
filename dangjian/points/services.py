"""Writes of points: a county's scheme (a new version each time it is saved), the year's
points computed from the records (by the database: one INSERT … SELECT per scheme item),
closing a year, and the background and nightly jobs that recompute.

Points are never entered by hand: `compute_year` derives them from the records of the
registered sources only (sources/), so a point always has a record behind it.
"""

import datetime

from django.db import connection, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, config, jobs
from dangjian.core.periods import Period
from dangjian.core.services import Errors, invalid, require
from dangjian.members.models import Member
from dangjian.orgs.models import Level, Organization

from . import rules, selectors, sources
from .models import (
    MemberItemPoints,
    MemberPoints,
    OrgItemPoints,
    OrgPoints,
    PointsYear,
    Scheme,
    SchemeItem,
)

# ---- the scheme -----------------------------------------------------------------------------


def check_county(county: Organization) -> None:
    """Refuse (422 on `county`) an organization that is not a county: schemes are a county's."""
    if county.level != Level.COUNTY or county.is_dissolved:
        raise invalid(
            "county", _("积分办法由县（区）制定，“%(name)s”不是县（区）") % {"name": county.name}
        )


def check_items(items) -> list[rules.Item]:
    """The scheme's items, each checked (rules.item_errors), all errors at once."""
    errors = Errors()
    labels = sources.labels()
    out, seen = [], set()
    if not isinstance(items, list | tuple):
        errors.add("items", _("积分项目应为列表"))
        errors.raise_any()
    if len(items) > rules.MAX_ITEMS:
        errors.add("items", _("积分项目不能超过%(n)s项") % {"n": rules.MAX_ITEMS})
    for i, row in enumerate(items):
        row = row if isinstance(row, dict) else {}
        source = row.get("source")
        item, problems = rules.item_errors(i, source, row.get("points"), row.get("cap"), labels)
        for field, message in problems:
            errors.add(field, message)
        if item is not None:
            if item.source in seen:
                errors.add(
                    f"items.{i}.source",
                    _("“%(item)s”重复，每个来源只能有一项") % {"item": labels[item.source]},
                )
            seen.add(item.source)
            out.append(item)
    errors.raise_any()
    return out


@transaction.atomic
def save_scheme(actor, county: Organization, year, items, note="", today=None) -> Scheme:
    """A new version of `county`'s scheme for `year` with `items` [{source, points, cap}].
    Refused, every reason at once, for a year already closed, an unknown source, points
    not a positive whole number, a cap below the points. The year's points are recomputed
    by `compute_in_background` (the page starts it); a closed year keeps its version."""
    require(actor, "points.edit_scheme", county, _("只有县（区）委组织部可以修改积分办法"))
    check_county(county)
    today = today or timezone.localdate()
    errors = Errors()
    problem = rules.year_error(year, today)
    if problem:
        errors.add("year", problem)
    else:
        year = int(year)
        if selectors.is_closed(county, year):
            errors.add("year", _("%(year)s年度的积分已结算，积分办法不能再修改") % {"year": year})
    with errors.collect():
        checked = check_items(items)
    note = (note or "").strip()
    if len(note) > 200:
        errors.add("note", _("修改说明不能超过200字"))
    errors.raise_any()
    last = Scheme.objects.select_for_update().filter(county=county, year=year).first()
    scheme = Scheme.objects.create(
        county=county,
        year=year,
        version=(last.version + 1) if last else 1,
        note=note,
        created_by=audit.user_of(actor),
    )
    SchemeItem.objects.bulk_create(
        SchemeItem(scheme=scheme, source=i.source, points=i.points, cap=i.cap, order=n)
        for n, i in enumerate(checked)
    )
    audit.record(
        actor,
        "create",
        scheme,
        organization=county,
        summary=f"{county.name}{year}年积分办法第{scheme.version}版（{len(checked)}项）",
        changes={
            "items": [
                None,
                [{"source": i.source, "points": i.points, "cap": i.cap} for i in checked],
            ]
        },
    )
    return scheme


# ---- computing a year -----------------------------------------------------------------------


def _sql(queryset):
    return queryset.query.get_compiler(connection=connection).as_sql()


def _points_sql(item, column="s.n"):
    """SQL (and its parameters) of an item's capped points for `column` records."""
    if item.cap is None:
        return f"{column} * %s", [item.points]
    return (
        f"CASE WHEN {column} * %s > %s THEN %s ELSE {column} * %s END",
        [item.points, item.cap, item.cap, item.points],
    )


def _insert_items(cursor, model, subject_column, county, year, item, queryset) -> None:
    """INSERT the item's rows (records and capped points per subject) from the source's
    per-subject counts, in one statement."""
    sql, params = _sql(queryset)
    table = connection.ops.quote_name(model._meta.db_table)
    points, points_params = _points_sql(item)
    cursor.execute(
        f"INSERT INTO {table} (county_id, year, {subject_column}, source, records, points) "
        f"SELECT %s, %s, s.subject, %s, s.n, {points} FROM ({sql}) s WHERE s.n > 0",
        [county.pk, year, item.source, *points_params, *params],
    )


def _insert_family(cursor, model, subject_column, county, year, items, queryset) -> None:
    """INSERT the rows of several items of one family (sources.Family) from one query:
    its rows summed by (subject, key), each key mapped to its item's source and points."""
    sql, params = _sql(queryset)
    table = connection.ops.quote_name(model._meta.db_table)
    source_case, source_params, points_case, points_params, keys = [], [], [], [], []
    for key, item in items:
        source_case.append("WHEN %s THEN %s")
        source_params += [key, item.source]
        points, p = _points_sql(item, "g.n")
        points_case.append(f"WHEN %s THEN {points}")
        points_params += [key, *p]
        keys.append(key)
    cursor.execute(
        f"INSERT INTO {table} (county_id, year, {subject_column}, source, records, points) "
        f"SELECT %s, %s, g.subject, CASE g.key {' '.join(source_case)} END, g.n, "
        f"CASE g.key {' '.join(points_case)} END "
        f"FROM (SELECT s.subject, s.key, SUM(s.n) AS n FROM ({sql}) s "
        f"GROUP BY s.subject, s.key) g "
        f"WHERE g.n > 0 AND g.key IN ({', '.join(['%s'] * len(keys))})",
        [county.pk, year, *source_params, *points_params, *params, *keys],
    )


def _insert_totals(cursor, model, subject_column, extra_columns, county, year, subjects, items):
    """INSERT one total row per subject of the county (0 for those without points), with
    the `extra_columns` [(column, the subjects' query's name for it)]."""
    subjects_sql, subjects_params = _sql(subjects)
    items_sql, items_params = _sql(items)
    table = connection.ops.quote_name(model._meta.db_table)
    extra = "".join(f", {column}" for column, _name in extra_columns)
    extra_values = "".join(f", x.{name}" for _column, name in extra_columns)
    cursor.execute(
        f"INSERT INTO {table} (county_id, year, {subject_column}{extra}, points) "
        f"SELECT %s, %s, x.subject{extra_values}, COALESCE(i.total, 0) "
        f"FROM ({subjects_sql}) x LEFT JOIN ({items_sql}) i ON i.subject = x.subject",
        [county.pk, year, *subjects_params, *items_params],
    )


def compute_year(county: Organization, year: int, progress=None, *, now=None) -> PointsYear:
    """Recompute `county`'s points for `year` from the records, with the scheme in force
    for the year (selectors.scheme_for). A closed year is refused. Everything of the
    county's year is replaced in one transaction: a page reads the old figures or the new,
    never half."""
    progress = progress or (lambda *a, **k: None)
    with transaction.atomic():
        state, _created = PointsYear.objects.select_for_update().get_or_create(
            county=county, year=year
        )
        if state.closed:
            raise invalid("year", _("%(year)s年度的积分已结算，不再重新计算") % {"year": year})
        scheme = selectors.scheme_for(county, year)
        items = list(scheme.items.all()) if scheme else []
        period = Period(year)
        for model in (MemberItemPoints, MemberPoints, OrgItemPoints, OrgPoints):
            model.objects.filter(county=county, year=year).delete()
        total = len(items) + 2
        families: dict[str, list] = {}
        with connection.cursor() as cursor:
            for n, item in enumerate(items, 1):
                source = sources.get(item.source)
                if source is None:  # a source no longer registered gives nothing
                    continue
                if source.subject == sources.MEMBER:
                    model, column = MemberItemPoints, "member_id"
                else:
                    model, column = OrgItemPoints, "organization_id"
                if source.family in sources.FAMILIES:
                    families.setdefault(source.family, []).append(
                        (model, column, source.family_key, item)
                    )
                    continue
                progress(n - 1, total, _("正在计算：%(item)s") % {"item": source.label})
                _insert_items(
                    cursor, model, column, county, year, item, source.count(county.path, period)
                )
            for name, rows in families.items():
                progress(len(items) - 1, total, _("正在计算：%(item)s") % {"item": name})
                model, column = rows[0][0], rows[0][1]
                family = sources.FAMILIES[name]
                _insert_family(
                    cursor,
                    model,
                    column,
                    county,
                    year,
                    [(key, item) for _m, _c, key, item in rows],
                    family.count(county.path, period),
                )
            if connection.vendor == "postgresql":
                # The item rows were just written: without fresh statistics the planner
                # takes the tables for nearly empty and joins the totals by nested loops,
                # minutes for a county instead of a second.
                for model in (MemberItemPoints, OrgItemPoints):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            progress(len(items), total, _("正在汇总党员积分"))
            _insert_totals(
                cursor,
                MemberPoints,
                "member_id",
                (("organization_id", "org"), ("name_pinyin", "sort_name")),
                county,
                year,
                Member.objects.filter(
                    removed_on__isnull=True, organization__path__startswith=county.path
                )
                .values(
                    subject=F("id"),
                    org=F("organization_id"),
                    sort_name=F("name_pinyin"),
                )
                .order_by(),
                MemberItemPoints.objects.filter(county=county, year=year)
                .values(subject=F("member_id"))
                .annotate(total=Sum("points"))
                .order_by(),
            )
            progress(len(items) + 1, total, _("正在汇总组织积分"))
            _insert_totals(
                cursor,
                OrgPoints,
                "organization_id",
                (),
                county,
                year,
                Organization.objects.filter(dissolved_on__isnull=True, path__startswith=county.path)
                .values(subject=F("id"))
                .order_by(),
                OrgItemPoints.objects.filter(county=county, year=year)
                .values(subject=F("organization_id"))
                .annotate(total=Sum("points"))
                .order_by(),
            )
        state.scheme = scheme
        state.computed_at = now or timezone.now()
        state.members = MemberPoints.objects.filter(county=county, year=year).count()
        state.organizations = OrgPoints.objects.filter(county=county, year=year).count()
        state.save()
        progress(total, total, _("已完成"))
    return state


def compute_in_background(actor, county: Organization, year: int) -> jobs.Job:
    """Queue `compute_year` for the county's year; the Job (its page shows the progress)."""
    require(actor, "points.edit_scheme", county, _("只有县（区）委组织部可以重新计算积分"))
    check_county(county)
    problem = rules.year_error(year, timezone.localdate())
    if problem:
        raise invalid("year", problem)
    if selectors.is_closed(county, year):
        raise invalid("year", _("%(year)s年度的积分已结算，不再重新计算") % {"year": year})
    return jobs.start(
        "points",
        "dangjian.points.services.compute_job",
        actor,
        organization=county,
        title=_("计算%(name)s%(year)s年度积分") % {"name": county.name, "year": year},
        county_id=county.pk,
        year=year,
    )


def compute_job(progress, *, county_id, year) -> dict:
    county = Organization.objects.get(pk=county_id)
    state = compute_year(county, year, progress)
    return {
        "summary": _("%(name)s%(year)s年度积分已计算：党员%(m)s名，组织%(o)s个")
        % {"name": county.name, "year": year, "m": state.members, "o": state.organizations},
        "url": reverse("points:scheme", args=[county.code]) + f"?year={year}",
        "link_text": _("查看积分办法"),
    }


@transaction.atomic
def close_year(actor, county: Organization, year: int, today=None) -> PointsYear:
    """Compute the year a last time and close it (结算): from then on nothing recomputes
    it and its scheme cannot change. Only a year that has ended."""
    require(actor, "points.edit_scheme", county, _("只有县（区）委组织部可以结算积分"))
    check_county(county)
    today = today or timezone.localdate()
    if not rules.closable(year, today):
        raise invalid("year", _("%(year)s年度还没有结束，不能结算") % {"year": year})
    if selectors.is_closed(county, year):
        raise invalid("year", _("%(year)s年度的积分已经结算") % {"year": year})
    state = compute_year(county, year)
    state.closed_on = today
    state.closed_by = audit.user_of(actor)
    state.save(update_fields=["closed_on", "closed_by"])
    audit.record(
        actor,
        "close",
        state,
        organization=county,
        summary=f"{county.name}{year}年度积分结算",
    )
    return state


def daily_compute(progress, day: str) -> dict:
    """The nightly job (settings.JOBS_DAILY): every county's open years recomputed (this
    year, and last year until it is closed); last year closed once `points.close_after_days`
    have passed since it ended."""
    today = datetime.date.fromisoformat(day)
    counties = list(Organization.objects.filter(level=Level.COUNTY, dissolved_on__isnull=True))
    done = []
    for n, county in enumerate(counties):
        progress(n, len(counties), county.name)
        for year in (today.year - 1, today.year):
            if selectors.is_closed(county, year):
                continue
            if selectors.scheme_for(county, year) is None:
                continue
            if year < today.year and rules.auto_close_due(
                year, today, config.get(county, "points.close_after_days")
            ):
                close_year(None, county, year, today=today)
                done.append(f"{county.code} {year} 结算")
            else:
                compute_year(county, year)
                done.append(f"{county.code} {year}")
    progress(len(counties), len(counties))
    return {"summary": "；".join(done) or _("没有需要计算的积分")}
