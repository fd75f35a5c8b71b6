"""Light on a phone (README "手机上的流量"): static files under hashed names, precompressed
(gzip and brotli) and cached for a year; pages gzip-compressed; ECharts only what is drawn."""

import gzip
import re
from pathlib import Path

import brotli
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client

# The tests collect into a folder of their own with hashing only (tests/settings.py); these
# use the storage `dangjian serve` uses, on the project's own files (the admin's and the
# API docs' would take half a minute to compress).
PRODUCTION_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
NOT_OURS = ["admin", "ninja", "treebeard", "django_otp", "otp_totp", "django_htmx"]
YEAR = 315360000  # whitenoise's max-age for a hashed name (ten years, in fact)


def test_the_site_serves_the_compressed_hashed_storage():
    from dangjian import settings as project_settings

    assert project_settings.STORAGES["staticfiles"]["BACKEND"] == PRODUCTION_STORAGE


@pytest.fixture
def compressed_static(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STORAGE}}
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=NOT_OURS)
    return tmp_path


@pytest.mark.parametrize(
    "encoding, decompress", [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
def test_static_files_are_hashed_precompressed_and_cached_for_a_year(
    compressed_static, encoding, decompress
):
    script = next((compressed_static / "vendor").glob("echarts.min.*.js"))
    assert re.fullmatch(r"echarts\.min\.[0-9a-f]{12}\.js", script.name)
    # Only the hashed name is kept: nothing can be served under a name that changes content.
    assert not (compressed_static / "vendor" / "echarts.min.js").exists()
    response = Client().get(
        f"/static/vendor/{script.name}", headers={"accept-encoding": f"{encoding}, identity"}
    )
    assert response.status_code == 200
    assert response["Content-Encoding"] == encoding
    assert f"max-age={YEAR}" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert len(body) < script.stat().st_size / 2.5
    assert decompress(body) == script.read_bytes()


def test_pages_are_gzip_compressed(client, county):
    client.force_login(county.users["county"])
    response = client.get("/members/", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "党员" in gzip.decompress(response.content).decode()


def test_echarts_is_a_build_of_the_chart_types_drawn_only():
    """`make assets` bundles echarts' own modules (assets/echarts.js) instead of copying
    the full build: under half its size."""
    ours = Path(django_settings.BASE_DIR, "static", "vendor", "echarts.min.js")
    full = Path(django_settings.PROJECT_DIR, "node_modules", "echarts", "dist", "echarts.min.js")
    assert ours.stat().st_size < full.stat().st_size / 2
    entry = Path(django_settings.PROJECT_DIR, "assets", "echarts.js").read_text()
    assert "PieChart" in entry and "BarChart" in entry and "SVGRenderer" in entry
