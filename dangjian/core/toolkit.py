"""Small helpers every app's views use the same way: pages of a list, percentages, the
phrase that names an organization's subtree in a file."""

PAGE_SIZE = 50


def page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def paginate(request, qs, size=PAGE_SIZE):
    """(rows of the requested page, pager) without counting the whole list: one row more
    than a page is fetched to know whether there is a next page."""
    page = page_number(request)
    rows = list(qs[(page - 1) * size : page * size + 1])
    if not rows and page > 1:
        # Past the end (?page=999, or rows gone since): the last page, counted only then.
        page = max(1, -(-qs.count() // size))
        rows = list(qs[(page - 1) * size : page * size + 1])
    return rows[:size], {"page": page, "has_next": len(rows) > size, "has_previous": page > 1}


def percent(part, whole) -> int:
    """A whole-number percentage of part in whole; 0 when there is nothing to count."""
    return round(part * 100 / whole) if whole else 0


def rate_text(rate) -> str:
    """A rate (0–1, or None when nothing was due) as "86.2%" or "—"."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def share_text(part, whole) -> str:
    """part of whole as "86.2%", "—" when whole is 0."""
    return rate_text(part / whole if whole else None)


def by_level(request) -> bool:
    """An export asked for a sheet per organization of the level below (?by=level)."""
    return request.GET.get("by") == "level"


def subtree_phrase(org) -> str:
    """How an exported file names its scope: an organization and everything below it, in
    simplified Chinese like every file."""
    return f"{org.name}（{org.code}）及其下级组织"
