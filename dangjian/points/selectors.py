"""Reads of points, scoped like every read: the members' points of an organization's subtree
only for those who manage it (a member sees their own points only, never a list of
others'), an organization's own points for its managers and those above, the scheme for the
county's managers and, on "我的积分", for its members.

The figures come from the stored rows (`services.compute_year`); the records behind each
point are read from the sources, so a page shows both the points as computed and each
record that gave them.
"""

from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.db.models.functions import Substr

from dangjian.accounts.scoping import covers, is_unrestricted, managed_paths
from dangjian.core.periods import Period
from dangjian.orgs.models import Level, Organization

from . import rules, sources
from .models import (
    MemberItemPoints,
    MemberPoints,
    OrgItemPoints,
    OrgPoints,
    PointsYear,
    Scheme,
)

# ---- the county and its scheme ----------------------------------------------------------------


def county_of(org: Organization) -> Organization | None:
    """The county (区) an organization belongs to: itself or its nearest county ancestor."""
    return (
        Organization.objects.filter(path__in=org.ancestor_paths(), level=Level.COUNTY)
        .order_by("-depth")
        .first()
    )


def scheme_for(county: Organization, year: int) -> Scheme | None:
    """The scheme in force for `year`: the year's latest version, else the latest of the
    nearest earlier year (a scheme carries on until the county changes it)."""
    return (
        Scheme.objects.filter(county=county, year__lte=year)
        .order_by("-year", "-version")
        .prefetch_related("items")
        .first()
    )


def versions(county: Organization) -> list[Scheme]:
    return list(
        Scheme.objects.filter(county=county)
        .select_related("created_by")
        .prefetch_related("items")
        .order_by("-year", "-version")
    )


def year_state(county: Organization, year: int) -> PointsYear | None:
    return PointsYear.objects.filter(county=county, year=year).select_related("scheme").first()


def is_closed(county: Organization, year: int) -> bool:
    return PointsYear.objects.filter(county=county, year=year, closed_on__isnull=False).exists()


def scheme_used(county: Organization, year: int) -> Scheme | None:
    """The version the stored points of the year were computed with (a closed year's is
    the one it was closed with), else the one in force."""
    state = year_state(county, year)
    if state is not None and state.scheme_id:
        return Scheme.objects.prefetch_related("items").get(pk=state.scheme_id)
    return scheme_for(county, year)


@dataclass
class ItemRow:
    """One scheme item as a page shows it."""

    source: str
    label: str
    subject: str
    unit: str
    help: str
    points: int
    cap: int | None
    known: bool = True


def item_rows(scheme: Scheme | None, subject: str | None = None) -> list[ItemRow]:
    if scheme is None:
        return []
    out = []
    for item in scheme.items.all():
        source = sources.get(item.source)
        if source is None:
            out.append(
                ItemRow(item.source, item.source, "", "", "", item.points, item.cap, known=False)
            )
            continue
        if subject and source.subject != subject:
            continue
        out.append(
            ItemRow(
                item.source,
                str(source.label),
                source.subject,
                str(source.unit),
                str(source.help),
                item.points,
                item.cap,
            )
        )
    return out


# ---- scoping -------------------------------------------------------------------------------


def manages_points(user, org: Organization) -> bool:
    """Sees the members' points of `org`'s subtree: a manager of `org` or above."""
    return covers(user, org)


def visible_member_points(user):
    """Members' points rows the user may read: in a managed subtree, or their own."""
    if is_unrestricted(user):
        return MemberPoints.objects.all()
    q = Q(pk__in=[])
    for path in managed_paths(user):
        q |= Q(organization__path__startswith=path)
    if getattr(user, "is_authenticated", False):
        q |= Q(member__user_id=user.pk)
    return MemberPoints.objects.filter(q)


def members_points(user, org: Organization, year: int, q: str = "", order: str = "name"):
    """The members' points of `org`'s subtree for `year` — nothing unless the user manages
    `org` (or above), which covers the whole subtree — by name (pinyin) or, for the branch
    and those above, by points."""
    if not manages_points(user, org):
        return MemberPoints.objects.none()
    # The members of the page only, in a second query (prefetch): joined before the sort,
    # a county's every member would be read to show fifty.
    qs = (
        MemberPoints.objects.filter(organization__path__startswith=org.path, year=year)
        .select_related("organization")
        .prefetch_related("member")
    )
    q = (q or "").strip()
    if q:
        qs = qs.filter(member__name__contains=q)
    if order == "points":
        return qs.order_by("-points", "name_pinyin", "member_id")
    return qs.order_by("name_pinyin", "member_id")


def items_of_members(rows, year: int) -> dict:
    """{member id: {source: (records, points)}} for the members of `rows`, in the county of
    each row (one query)."""
    out: dict = {}
    county_of_member = {r.member_id: r.county_id for r in rows}
    if not county_of_member:
        return out
    for member_id, county_id, source, n, points in MemberItemPoints.objects.filter(
        year=year,
        member_id__in=list(county_of_member),
        county_id__in=set(county_of_member.values()),
    ).values_list("member_id", "county_id", "source", "records", "points"):
        if county_of_member[member_id] == county_id:
            out.setdefault(member_id, {})[source] = (n, points)
    return out


# ---- one member, one organization -------------------------------------------------------


@dataclass
class Line:
    """One item of one member's (organization's) year: the stored figures and the records
    behind them, each with the points it gave."""

    item: ItemRow
    records: int = 0
    points: int = 0
    behind: list = field(default_factory=list)  # [(Record, points)]

    @property
    def changed(self) -> bool:
        """The records read now differ in number from those the points were computed from
        (a meeting recorded or voided since, or a closed year's record changed)."""
        return len(self.behind) != self.records


def _lines(items: list[ItemRow], stored: dict, subject_obj, year: int) -> list[Line]:
    period = Period(year)
    out = []
    for item in items:
        n, points = stored.get(item.source, (0, 0))
        line = Line(item, n, points)
        source = sources.get(item.source)
        if source is not None:
            found = source.records(subject_obj, period)
            line.behind = list(
                zip(found, rules.shares(len(found), item.points, item.cap), strict=True)
            )
        out.append(line)
    return out


def member_row(member, year: int) -> MemberPoints | None:
    """The member's stored points for the year: in their county's scheme (the row of the
    county they were in, when they moved)."""
    rows = list(MemberPoints.objects.filter(member=member, year=year).select_related("county"))
    if not rows:
        return None
    here = member.organization.path
    return next((r for r in rows if here.startswith(r.county.path)), rows[0])


def member_year(member, year: int) -> dict:
    """What "我的积分" shows of one year: the total, each item with its records."""
    row = member_row(member, year)
    county = row.county if row else county_of(member.organization)
    state = year_state(county, year) if county else None
    scheme = scheme_used(county, year) if county else None
    stored = (
        {
            s: (n, p)
            for s, n, p in MemberItemPoints.objects.filter(
                member=member, year=year, county=county
            ).values_list("source", "records", "points")
        }
        if county
        else {}
    )
    items = item_rows(scheme, sources.MEMBER)
    return {
        "member": member,
        "year": year,
        "county": county,
        "state": state,
        "scheme": scheme,
        "row": row,
        "total": row.points if row else 0,
        "lines": _lines(items, stored, member, year),
        "history": member_history(member),
    }


def member_history(member) -> list[tuple[int, int, bool]]:
    """(year, points, closed) of every year with stored points, newest first."""
    rows = MemberPoints.objects.filter(member=member).values_list("year", "county_id", "points")
    closed = set(
        PointsYear.objects.filter(closed_on__isnull=False).values_list("county_id", "year")
    )
    best: dict[int, tuple[int, bool]] = {}
    for year, county_id, points in rows:
        best[year] = (points, (county_id, year) in closed)
    return sorted(((y, p, c) for y, (p, c) in best.items()), reverse=True)


def org_year(org: Organization, year: int) -> dict:
    """An organization's own points for the year, each item with its records."""
    county = county_of(org)
    scheme = scheme_used(county, year) if county else None
    stored = (
        {
            s: (n, p)
            for s, n, p in OrgItemPoints.objects.filter(
                organization=org, year=year, county=county
            ).values_list("source", "records", "points")
        }
        if county
        else {}
    )
    row = OrgPoints.objects.filter(organization=org, year=year, county=county).first()
    items = item_rows(scheme, sources.ORGANIZATION)
    return {
        "org": org,
        "year": year,
        "county": county,
        "state": year_state(county, year) if county else None,
        "scheme": scheme,
        "total": row.points if row else 0,
        "lines": _lines(items, stored, org, year),
        "history": list(
            OrgPoints.objects.filter(organization=org)
            .order_by("-year")
            .values_list("year", "points")
        ),
    }


def children_points(org: Organization, year: int) -> list[tuple]:
    """(child, members' points, organizations' points) of each child's subtree, plus the
    organization's own first: the drill-down of the stats figures."""
    prefix = len(org.path) + Organization.steplen

    def by_prefix(model):
        rows = (
            model.objects.filter(organization__path__startswith=org.path, year=year)
            .annotate(prefix=Substr("organization__path", 1, prefix))
            .values_list("prefix")
            .annotate(s=Sum("points"))
            .order_by()
        )
        return dict(rows)

    own_members = (
        MemberPoints.objects.filter(organization=org, year=year).aggregate(s=Sum("points"))["s"]
        or 0
    )
    own_org = (
        OrgPoints.objects.filter(organization=org, year=year).aggregate(s=Sum("points"))["s"] or 0
    )
    members, orgs = by_prefix(MemberPoints), by_prefix(OrgPoints)
    out = [(org, own_members, own_org)]
    for child in org.children().active():
        out.append((child, members.get(child.path, 0), orgs.get(child.path, 0)))
    return out


# ---- figures -------------------------------------------------------------------------------


def points_figures(org: Organization, period: Period) -> dict:
    """`points_members`: the points of the members of the subtree for the period's year;
    `points_organizations`: the organizations' own points summed over the subtree. Each is
    the sum over the child organizations plus the organization's own."""
    if org.level in (Level.PROVINCE, Level.CITY, Level.COUNTY):
        # A county's rows are all under it: filter by the few counties, not by joining
        # every row's organization (a province's 2,000,000 rows).
        where = {"county__path__startswith": org.path}
    else:
        where = {"organization__path__startswith": org.path}
    members = MemberPoints.objects.filter(year=period.year, **where).aggregate(s=Sum("points"))
    orgs = OrgPoints.objects.filter(year=period.year, **where).aggregate(s=Sum("points"))
    return {"points_members": members["s"] or 0, "points_organizations": orgs["s"] or 0}


def my_points(user, year: int) -> int | None:
    """The user's own points for the year (None when they have no member record)."""
    member = getattr(user, "member", None) if getattr(user, "is_authenticated", False) else None
    if member is None:
        return None
    row = member_row(member, year)
    return row.points if row else 0
