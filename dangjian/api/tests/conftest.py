import json

import pytest
from django.test import Client

from dangjian.accounts import tokens


class ApiClient:
    """A test client that calls /api/ with a bearer token (or none)."""

    def __init__(self, token=None, client=None):
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path, params=None):
        return self.client.get(f"/api{path}", params or {}, headers=self.headers)

    def post(self, path, body=None):
        return self._send("post", path, body)

    def patch(self, path, body=None):
        return self._send("patch", path, body)

    def _send(self, method, path, body):
        return getattr(self.client, method)(
            f"/api{path}",
            data=json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self.headers,
        )

    def call(self, method, path, body=None):
        if method == "get":
            return self.get(path, body)
        return self._send(method, path, body)


@pytest.fixture
def as_user(county):
    """as_user("town_a") → an ApiClient holding a fresh token of that demo user."""

    def make(username):
        _, raw = tokens.create(county.users[username])
        return ApiClient(raw)

    return make


@pytest.fixture
def anonymous():
    return ApiClient()
