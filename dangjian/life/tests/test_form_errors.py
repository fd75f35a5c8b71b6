"""A refused meeting form shows all its errors at its top, each linking to its field, and
keeps what was entered (issue 11, defect 3)."""

import pytest
from django.urls import reverse

from dangjian.life.tests.test_views import login, meeting_post

pytestmark = pytest.mark.django_db


def test_every_error_listed_at_the_top_with_a_link_to_its_field(client, county):
    login(client, county, "branch_a1")
    post = meeting_post(county, topic="", held_on="不是日期", place="村委会二楼")
    response = client.post(reverse("life:meeting_new", args=["TA01"]), post)
    assert response.status_code == 200
    html = response.content.decode()
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_topic"' in summary and 'href="#id_held_on"' in summary
    assert html.index('id="error-summary"') < html.index('id="id_kind"')  # at the top
    assert 'value="村委会二楼"' in html  # what was entered is kept
