import pytest
from django.core.exceptions import PermissionDenied

from dangjian.accounts import services
from dangjian.accounts.models import Role
from dangjian.core.models import AuditEvent
from dangjian.orgs.selectors import visible_orgs
from dangjian.testing import make_user


def test_grant_and_revoke_are_audited_and_change_scope(county):
    user = make_user("new_officer")
    role = services.grant(user, county.town_b, "org_officer", actor=county.users["county"])
    assert set(visible_orgs(user).values_list("code", flat=True)) == {"TB", "TB01"}
    services.revoke(role, actor=county.users["county"])
    assert not Role.objects.filter(user=user).exists()
    assert list(
        AuditEvent.objects.filter(target_type="accounts.role").values_list("action", flat=True)
    ) == ["revoke", "grant"]


def test_cannot_grant_outside_own_subtree(county):
    with pytest.raises(PermissionDenied):
        services.grant(make_user("x"), county.town_b, "member", actor=county.users["town_a"])
