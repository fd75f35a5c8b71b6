"""Template tags of the organization tree, for the page frame."""

from django import template

from dangjian.accounts.scoping import is_unrestricted, managed_paths
from dangjian.orgs.selectors import home_organization

register = template.Library()


@register.simple_tag(takes_context=True)
def home_org(context):
    """The user's home organization (cached on the request), or None."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(request, "_dangjian_home"):
        request._dangjian_home = home_organization(user)
    return request._dangjian_home


@register.simple_tag(takes_context=True)
def may_import(context):
    """Does the user manage an organization (so the import pages are theirs to use)? An
    ordinary member is not shown the 导入导出 menu, which would lead to a 403."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return is_unrestricted(user) or bool(managed_paths(user))
