"""Production settings, run as a deployment would: `dangjian` in a fresh process whose
environment has neither DANGJIAN_DEBUG nor DANGJIAN_DEMO."""

import os
import secrets
import shutil
import subprocess
import sys


def dangjian(tmp_path, *args, **env):
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "dangjian.settings",
        "DANGJIAN_VAR": str(tmp_path / "var"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "dangjian", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        cwd=tmp_path,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    done = dangjian(tmp_path, "check")
    assert done.returncode != 0
    assert "DANGJIAN_SECRET_KEY 未设置" in done.stderr
    # Demo and debug mode start without one.
    assert dangjian(tmp_path, "check", DANGJIAN_DEMO="1").returncode == 0
    assert dangjian(tmp_path, "check", DANGJIAN_DEBUG="1").returncode == 0


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    done = dangjian(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DANGJIAN_SECRET_KEY=secrets.token_urlsafe(50),
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert "no issues (0 silenced)" in done.stdout


def test_production_settings_hide_demo_logins_and_require_https(tmp_path):
    show = (
        "from django.conf import settings as s; "
        "print(s.DANGJIAN['DEMO'], s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER[0], s.SECURE_HSTS_SECONDS > 0)"
    )
    done = dangjian(
        tmp_path, "shell", "-v", "0", "-c", show, DANGJIAN_SECRET_KEY=secrets.token_urlsafe(50)
    )
    assert done.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "HTTP_X_FORWARDED_PROTO",
        "True",
    ]
    # Demo mode (`make run`): the demo logins are listed, plain HTTP on this machine.
    demo = dangjian(
        tmp_path,
        "shell",
        "-v",
        "0",
        "-c",
        show.replace(", s.SECURE_PROXY_SSL_HEADER[0]", ""),
        DANGJIAN_DEMO="1",
    )
    assert demo.stdout.split()[:2] == ["True", "False"]


LOGIN_PAGE = (
    "from django.test import Client; "
    "page = Client().get('/accounts/login/', secure=True); "
    "plain = Client().get('/accounts/login/'); "
    "print(page.status_code, 'dangjian2026' in page.content.decode(), plain.status_code)"
)


def test_the_login_page_lists_demo_logins_only_in_demo_mode(tmp_path, collected_static):
    # Pages link static files by the manifest that `collectstatic` writes (`dangjian serve`
    # runs it): the suite's collected files stand in for it.
    shutil.copytree(collected_static, tmp_path / "var" / "static")
    production = dangjian(
        tmp_path,
        "shell",
        "-v",
        "0",
        "-c",
        LOGIN_PAGE,
        DANGJIAN_SECRET_KEY=secrets.token_urlsafe(50),
    )
    # No demo logins; plain HTTP is redirected to HTTPS.
    assert production.stdout.split() == ["200", "False", "301"], production.stderr
    demo = dangjian(tmp_path, "shell", "-v", "0", "-c", LOGIN_PAGE, DANGJIAN_DEMO="1")
    assert demo.stdout.split() == ["200", "True", "200"], demo.stderr
