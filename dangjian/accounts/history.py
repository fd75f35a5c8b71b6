"""API tokens have a history page (issued, revoked), for those who may see tokens in the
admin. A token hangs on no organization, so the page asks the admin's permission instead."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from dangjian.core.audit import history_target

from .models import ApiToken


def find_token(user, pk):
    return get_object_or_404(ApiToken.objects.select_related("user"), pk=pk), None


def may_see_tokens(user, token) -> bool:
    return user.is_active and user.is_staff and user.has_perm("accounts.view_apitoken")


def register():
    history_target(
        ApiToken,
        "token",
        find_token,
        allowed=may_see_tokens,
        url=lambda t: reverse("admin:accounts_apitoken_change", args=[t.pk]),
    )
