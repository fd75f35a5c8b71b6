"""The same bounds everywhere: paging parameters past what a database takes are a 422 that
names the field, on every list route of the OpenAPI document; a page form takes no longer
text than the API does."""

import datetime
import importlib
import inspect

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from dangjian.core.text import ANSWER_TEXT, LONG_TEXT
from dangjian.tasks import services as tasks

pytestmark = pytest.mark.django_db


def paged_routes(client):
    spec = client.get("/openapi.json").json()
    for path, ops in spec["paths"].items():
        params = (ops.get("get") or {}).get("parameters", [])
        if any(p["name"] == "offset" for p in params):
            required = [p["name"] for p in params if p.get("required")]
            yield path.removeprefix("/api"), required


@pytest.mark.parametrize("offset", [2**63, 2**64 + 1, 10**30])
def test_an_offset_beyond_64_bits_is_refused_on_every_list(county, as_user, offset):
    api = as_user("county")
    routes = list(paged_routes(api))
    assert len(routes) >= 9
    for path, required in routes:
        path = path.replace("{code}", "T").replace("{assignment_id}", "1")
        response = api.get(path, {"offset": offset, **{name: "T" for name in required}})
        assert response.status_code == 422, (path, response.content)
        messages = {e["field"]: e["message"] for e in response.json()["detail"]}
        assert messages["offset"] == "起始位置不能大于1000000000", path


def test_the_largest_allowed_offset_and_limit_still_answer(county, as_user):
    api = as_user("county")
    response = api.get("/members/", {"offset": 10**9, "limit": 1000})
    assert response.status_code == 200
    assert response.json()["items"] == []
    response = api.get("/members/", {"limit": 1001})
    assert response.status_code == 422
    assert response.json()["detail"][0]["message"] == "每页条数不能大于1000"


# ---- text lengths: one limit for the pages and the API --------------------------------------

# The login form's password belongs to the sign-in work (any length is hashed, never stored).
UNCAPPED = {("LoginForm", "password")}


def page_form_classes():
    for app in ("accounts", "core", "orgs", "members", "health", "life", "tasks", "reports"):
        try:
            module = importlib.import_module(f"dangjian.{app}.forms")
        except ImportError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_every_text_field_of_every_page_form_has_a_maximum_length():
    seen, uncapped = 0, []
    for cls in page_form_classes():
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.CharField):
                seen += 1
                if field.max_length is None and (cls.__name__, name) not in UNCAPPED:
                    uncapped.append(f"{cls.__name__}.{name}")
    assert seen > 50 and uncapped == []


def test_a_report_back_refuses_on_the_page_what_the_api_refuses(client, county, as_user):
    today = timezone.localdate()
    assignment = tasks.issue(
        county.root,
        title="主题党日",
        content="召开一次主题党日",
        starts_on=today,
        deadline=today + datetime.timedelta(days=10),
        receivers={"mode": "filter", "levels": ["village"], "kinds": ["branch"]},
        fields=[{"key": "how", "label": "做法", "type": "text", "required": False}],
        actor=county.users["county"],
    )
    rb = assignment.report_backs.get(organization__code="TA01")
    url = reverse("tasks:report", args=[rb.pk])
    client.force_login(county.users["branch_a1"])
    # Two million characters are more than a request may carry: refused before the form.
    response = client.post(url, {"action": "report", "text": "x" * 2_000_000})
    assert response.status_code == 413
    assert "超过 1 MB" in response.content.decode()
    for text, answer, field, limit in (
        ("x" * (LONG_TEXT + 1), "", "text", LONG_TEXT),
        ("", "y" * (ANSWER_TEXT + 1), "v_how", ANSWER_TEXT),
    ):
        response = client.post(url, {"action": "report", "text": text, "v_how": answer})
        assert response.status_code == 200
        errors = " ".join(response.context["form"].errors[field])
        assert str(limit) in errors, errors
        body = {"text": text, "values": {"how": answer} if answer else {}}
        response = as_user("branch_a1").post(f"/tasks/report-backs/{rb.pk}", body)
        assert response.status_code == 422
        assert str(limit) in response.json()["detail"][0]["message"]
    rb.refresh_from_db()
    assert rb.status == "not_started" and rb.text == ""
    # At the limit both take it.
    response = client.post(url, {"action": "report", "text": "x" * LONG_TEXT, "v_how": "好"})
    assert response.status_code == 302
    rb.refresh_from_db()
    assert len(rb.text) == LONG_TEXT
