"""The admin writes through the services: every deletion or revocation is audited."""

from django.contrib.admin.sites import site
from django.test import RequestFactory

from dangjian.accounts import services, tokens
from dangjian.accounts.models import ApiToken, Role
from dangjian.core.models import AuditEvent
from dangjian.testing import make_user


def _request(user):
    request = RequestFactory().post("/admin/")
    request.user = user
    request._messages = _Messages()
    return request


class _Messages(list):
    def add(self, level, message, extra_tags=""):
        self.append(message)


def test_bulk_delete_of_roles_is_audited(county):
    actor = county.users["county"]
    for name in ("a", "b"):
        services.grant(make_user(f"bulk_{name}"), county.town_b, "member", actor=actor)
    AuditEvent.objects.all().delete()
    admin = site._registry[Role]
    queryset = Role.objects.filter(user__username__startswith="bulk_")
    admin.delete_queryset(_request(actor), queryset)
    assert not Role.objects.filter(user__username__startswith="bulk_").exists()
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["revoke", "revoke"]


def test_tokens_are_revoked_not_deleted_in_the_admin(county):
    actor = county.users["county"]
    token, _raw = tokens.create(county.users["town_a"], name="t", actor=actor)
    admin = site._registry[ApiToken]
    request = _request(actor)
    assert not admin.has_delete_permission(request, token)
    assert not admin.has_change_permission(request, token)
    assert "delete_selected" not in admin.get_actions(request)
    admin.revoke_selected(request, ApiToken.objects.filter(pk=token.pk))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(target_type="accounts.apitoken", action="revoke").exists()
