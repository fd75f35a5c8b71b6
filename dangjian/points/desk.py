"""The desk's "我的积分" for a member: this year's points, one line, to the page with the
records behind each point."""

from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.desk import registry

from . import selectors


def my_points(user, today) -> list:
    points = selectors.my_points(user, today.year)
    if points is None:
        return []
    line = registry.Line(
        _("%(year)s年：%(points)s分") % {"year": today.year, "points": points},
        url=reverse("points:mine"),
    )
    return [registry.Item(_("我的积分"), [line], more_url=reverse("points:mine"))]


def register_all() -> None:
    registry.register("points.mine", my_points, roles=(registry.MEMBER,), order=900)
