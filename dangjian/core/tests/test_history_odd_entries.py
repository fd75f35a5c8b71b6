"""A history page renders whatever its audit entries hold (issue 11, defect 1): a change
that is a list, a text or a number, a reverse relation's name, nested values, a field name
that is no field."""

import pytest
from django.urls import reverse

from dangjian.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ODD = [
    ["a", "b", "c"],
    "批量导入",
    42,
    {"members": [None, 3], "children": 5},
    {"name": [1, 2, 3], "code": {"nested": {"deep": [1, 2]}}},
    {"": [None, None], "no_such_field": [[1], {"x": 1}]},
    {"demo": {"orgs": 10, "members": 30}},
]


def test_the_roots_history_renders_odd_entries(county, client):
    root = county.root
    for changes in ODD:
        AuditEvent.objects.create(
            action="load",
            target_type="orgs.organization",
            target_id=str(root.pk),
            organization=root,
            summary="演示数据",
            changes=changes,
        )
    client.force_login(county.users["county"])
    response = client.get(reverse("core:history", args=["organization", root.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "a、b、c" in html
    assert "批量导入" in html
    assert "党员" in html  # the reverse relation "members" named after the records it counts
    assert "members：30，orgs：10" in html
