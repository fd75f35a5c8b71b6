"""Template tags of the organization tree, for the page frame."""

from django import template

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
