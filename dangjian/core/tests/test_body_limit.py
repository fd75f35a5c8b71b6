"""Request bodies are refused early (issue 10): from their Content-Length, per route, and on
upload routes after the permission check and at the first file over the limit.

The request's input stream counts what is read from it, or fails the test when read at all,
so "refused before the body was read" is checked, not assumed."""

import io

import pytest
from django.test import Client
from django.test.client import MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from dangjian.core.files import MAX_BODY_BYTES, MAX_UPLOAD_BYTES
from dangjian.life.models import Attachment, Meeting
from dangjian.life.tests.test_views import meeting_post

pytestmark = pytest.mark.django_db

GB = 1024**3
BOUNDARY = "BoUnDaRy"


class Unread(io.RawIOBase):
    """An input stream that must not be read."""

    def readable(self):
        return True

    def readinto(self, b):
        raise AssertionError("the request body was read")


class Counted(io.BytesIO):
    """An input stream that remembers how much was read from it."""

    def read(self, size=-1):
        data = super().read(size)
        self.taken = getattr(self, "taken", 0) + len(data)
        return data

    def readline(self, size=-1):
        data = super().readline(size)
        self.taken = getattr(self, "taken", 0) + len(data)
        return data


def post(client, url, *, length, stream=None, content_type=MULTIPART_CONTENT, **extra):
    """A POST whose Content-Length says `length`, with `stream` (default: one that must not
    be read) as its body."""
    return client.generic(
        "POST",
        url,
        data=b"x",
        content_type=f"{content_type}; boundary={BOUNDARY}"
        if content_type == MULTIPART_CONTENT
        else content_type,
        **{"CONTENT_LENGTH": str(length), "wsgi.input": stream or Unread(), **extra},
    )


def browser():
    """A client that checks CSRF like a browser's request: with the cookie, CsrfViewMiddleware
    goes on to read the form for the token unless the request was refused before."""
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    return client


def text(response):
    return response.content.decode()


def test_a_large_body_to_a_page_without_files_is_refused_unread(client, county):
    client.force_login(county.users["county"])
    url = reverse("orgs:add_child", args=["TA"])
    response = post(client, url, length=2 * GB, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "提交的内容过大（2.0\xa0GB），这里最多接收1.0\xa0MB" in text(response)
    response = post(client, url, length=MAX_BODY_BYTES + 1, content_type="text/plain")
    assert response.status_code == 413


def test_the_api_takes_small_bodies_only(client, county):
    client.force_login(county.users["county"])
    response = post(
        client, "/api/members/", length=5 * 1024 * 1024, content_type="application/json"
    )
    assert response.status_code == 413


def test_an_upload_over_the_route_limit_is_refused_unread(client, county):
    client.force_login(county.users["branch_a1"])
    url = reverse("life:meeting_new", args=["TA01"])
    response = post(client, url, length=2 * GB)
    assert response.status_code == 413
    assert "最多接收201.0\xa0MB" in text(response)  # 10 files of 20 MB, and the form
    url = reverse("reports:import", args=["members"]) + "?org=TA01"
    assert post(client, url, length=150 * 1024 * 1024).status_code == 413


@pytest.mark.parametrize(
    ("user", "url"),
    [
        # A member may not record a meeting, nor import.
        ("member_a1", lambda c: reverse("life:meeting_new", args=["TA01"])),
        ("member_a1", lambda c: reverse("reports:import", args=["members"]) + "?org=TA01"),
        # A branch secretary may not import into its township.
        ("branch_a1", lambda c: reverse("reports:import", args=["members"]) + "?org=TA"),
        # Nor record a meeting of another branch (404 as on the page).
        ("branch_b1", lambda c: reverse("life:meeting_new", args=["TA01"])),
    ],
)
def test_permission_is_checked_before_the_body_is_read(county, user, url):
    client = browser()
    client.force_login(county.users[user])
    response = post(client, url(county), length=10 * 1024 * 1024)
    assert response.status_code in (403, 404)


def test_anonymous_uploads_go_to_login_unread(county):
    client = browser()
    url = reverse("life:meeting_new", args=["TA01"])
    response = post(client, url, length=10 * 1024 * 1024)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_body_without_length_is_refused(client, county):
    client.force_login(county.users["county"])
    url = reverse("orgs:add_child", args=["TA"])
    response = post(client, url, length=0, HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 411
    assert "请求没有注明内容长度，无法接收" in text(response)


def test_reading_stops_at_the_first_file_over_the_limit(client, county, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(county.users["branch_a1"])
    big = io.BytesIO(b"\xff" * (MAX_UPLOAD_BYTES + 8 * 1024 * 1024))
    big.name = "大照片.jpg"
    small = io.BytesIO(b"\xff\xd8\xff")
    small.name = "小照片.jpg"
    body = encode_multipart(BOUNDARY, meeting_post(county, attachments=[big, small]))
    stream = Counted(body)
    url = reverse("life:meeting_new", args=["TA01"])
    response = post(client, url, length=len(body), stream=stream)
    assert response.status_code == 413
    assert "文件“大照片.jpg”超过20.0\xa0MB，未上传，请压缩或拆分后重新上传" in text(response)
    assert stream.taken < MAX_UPLOAD_BYTES + 1024 * 1024 < len(body)
    assert not Meeting.objects.exists() and not Attachment.objects.exists()


def test_files_within_the_limits_are_received(client, county, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(county.users["branch_a1"])
    photo = io.BytesIO(b"\xff" * (3 * 1024 * 1024))  # on disk, over the in-memory size
    photo.name = "合影.jpg"
    response = client.post(
        reverse("life:meeting_new", args=["TA01"]), meeting_post(county, attachments=[photo])
    )
    assert response.status_code == 302
    assert Attachment.objects.get().file.size == 3 * 1024 * 1024
