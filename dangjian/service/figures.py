"""The roll-up keys of serving the public, kept by the services with each write and rebuilt
from the rows by `rollups.rebuild()` from the sources below (registered in ServiceConfig):
a year's totals at any organization, the root included, are then one indexed read of the
roll-up table, whatever the number of records below it. The SQL expressions and the Python
functions give the same keys.

    service.pledges.2026.organization.done      pledges of the year, by whom, by status
    service.posts.2026 / service.posts_claimed.2026
    service.records.2026                        person-times served
    service.visits.2026.household               visits, by kind
    service.concerns.2026.dispute.solved        concerns raised in the year
    service.proxy.2026.done                     proxy requests
    service.suggestions.2026.replied            members' suggestions
"""

from dangjian.rollups import services as rollups

from .models import (
    Concern,
    ConcernCategory,
    ConcernStatus,
    Pledge,
    PledgeStatus,
    ProxyRequest,
    ProxyStatus,
    ServicePost,
    ServiceRecord,
    Suggestion,
    SuggestionStatus,
    Visit,
    VisitKind,
)

WHO = ("organization", "member")


def pledge_keys(p: Pledge) -> list[str]:
    who = "member" if p.member_id else "organization"
    return [f"service.pledges.{p.year}.{who}.{p.status}"]


def post_keys(post: ServicePost) -> list[str]:
    keys = [f"service.posts.{post.year}"]
    if post.claimed > 0:
        keys.append(f"service.posts_claimed.{post.year}")
    return keys


def record_keys(r: ServiceRecord) -> list[str]:
    return [f"service.records.{r.served_on.year}"]


def visit_keys(v: Visit) -> list[str]:
    return [f"service.visits.{v.visited_on.year}.{v.kind}"]


def concern_keys(c: Concern) -> list[str]:
    return [f"service.concerns.{c.raised_on.year}.{c.category}.{c.status}"]


def proxy_keys(r: ProxyRequest) -> list[str]:
    return [f"service.proxy.{r.requested_on.year}.{r.status}"]


def suggestion_keys(s: Suggestion) -> list[str]:
    return [f"service.suggestions.{s.submitted_on.year}.{s.status}"]


def added(org, keys) -> None:
    rollups.adjust(org, {k: 1 for k in keys})


def changed(org, old, new) -> None:
    rollups.adjust(org, rollups.delta(old, new))


def _t(model):
    return model._meta.db_table


SOURCES = [
    rollups.Source(
        _t(Pledge),
        "organization_id",
        [
            "'service.pledges.' || r.year || '.' || CASE WHEN r.member_id IS NULL "
            "THEN 'organization' ELSE 'member' END || '.' || r.status"
        ],
    ),
    rollups.Source(_t(ServicePost), "organization_id", ["'service.posts.' || r.year"]),
    rollups.Source(
        _t(ServicePost), "organization_id", ["'service.posts_claimed.' || r.year"], "r.claimed > 0"
    ),
    rollups.Source(
        _t(ServiceRecord), "organization_id", ["'service.records.' || {year:r.served_on}"]
    ),
    rollups.Source(
        _t(Visit), "organization_id", ["'service.visits.' || {year:r.visited_on} || '.' || r.kind"]
    ),
    rollups.Source(
        _t(Concern),
        "organization_id",
        ["'service.concerns.' || {year:r.raised_on} || '.' || r.category || '.' || r.status"],
    ),
    rollups.Source(
        _t(ProxyRequest),
        "organization_id",
        ["'service.proxy.' || {year:r.requested_on} || '.' || r.status"],
    ),
    rollups.Source(
        _t(Suggestion),
        "organization_id",
        ["'service.suggestions.' || {year:r.submitted_on} || '.' || r.status"],
    ),
]


def year_keys(year: int) -> list[str]:
    keys = [
        f"service.pledges.{year}.{who}.{status}" for who in WHO for status in PledgeStatus.values
    ]
    keys += [f"service.posts.{year}", f"service.posts_claimed.{year}", f"service.records.{year}"]
    keys += [f"service.visits.{year}.{kind}" for kind in VisitKind.values]
    keys += [
        f"service.concerns.{year}.{c}.{s}"
        for c in ConcernCategory.values
        for s in ConcernStatus.values
    ]
    keys += [f"service.proxy.{year}.{s}" for s in ProxyStatus.values]
    keys += [f"service.suggestions.{year}.{s}" for s in SuggestionStatus.values]
    return keys


def year_figures(org, year: int) -> dict:
    """The raw counts of `year` at `org` over its subtree, from the roll-up table."""
    return rollups.figures(org, keys=year_keys(year))


def of_many(orgs, year: int) -> dict[int, dict]:
    """{org id: the year's raw counts} for several organizations (the level below)."""
    return rollups.figures_of_many(orgs, year_keys(year))
