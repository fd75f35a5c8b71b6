"""Kill test (issue 10): the server is killed (SIGKILL, the whole process group: gunicorn and
the background worker) while a members import is being written and a report-back upload is
in flight; after a restart nothing may be half-written. Prints what it finds; not part of the
tests.

    .venv/bin/python bench/kill_test.py [--rows 6000] [--port 8765]

1. `dangjian demo` into a temporary SQLite database (DANGJIAN_VAR in a temporary directory);
2. `dangjian serve`; the county admin uploads an .xlsx of N new members (a background job),
   a branch secretary starts posting a report-back with a 10 MB attachment, slowly;
3. when the job page says it is writing (or validating, if writing is too quick to catch),
   SIGKILL to the server's process group;
4. `dangjian serve` again, a few seconds; then checks: members either all in or none, their
   audit events likewise, the report-back unchanged, every stored file row has its file,
   roll-ups equal to a rebuild, SQLite's integrity check, and what became of the job.
"""

import argparse
import http.client
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent / "dangjian"
PASSWORD = "dangjian2026"


def log(text):
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {text}", flush=True)


class Session:
    """A logged-in browser: cookies, and the CSRF token of the last form page."""

    def __init__(self, base, username):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        page = self.get("/accounts/login/")
        self.post_form(
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token(page)},
        )

    def get(self, path):
        with self.opener.open(self.base + path, timeout=30) as r:
            return r.read().decode()

    def post_form(self, path, fields):
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(self.base + path, data=data, timeout=30) as r:
            return r.geturl(), r.read().decode()

    def post_multipart(self, path, fields, files):
        body, content_type = multipart(fields, files)
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Content-Type": content_type}
        )
        with self.opener.open(request, timeout=120) as r:
            return r.geturl(), r.read().decode()

    def cookie_header(self):
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def token(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content, kind) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def start_server(env, port):
    process = subprocess.Popen(
        [str(BIN), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: gunicorn, its workers, the worker
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=2).read()
            return process, base
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not start")


def members_file(path, code, n):
    from openpyxl import Workbook

    from dangjian.members.rules import make_id_number
    from dangjian.reports import xlsx
    from dangjian.testing import member_data

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("党员")
    ws.append([c.header for c in xlsx.MEMBER_COLUMNS])
    for i in range(n):
        data = member_data(name=f"压测党员{i}")
        data["id_number"] = make_id_number("419999", data["birth_date"], i + 1, data["gender"])
        data.update(organization=code, tags=[], is_mobile=False)
        ws.append([c.to_cell(data.get(c.field)) for c in xlsx.MEMBER_COLUMNS])
    wb.save(path)


def snapshot():
    """The counts and rows compared before and after."""
    from django.db import connection

    from dangjian.core.models import AuditEvent, Job
    from dangjian.members.models import Member
    from dangjian.rollups.models import Rollup
    from dangjian.tasks.models import ReportBack, ReportBackFile

    connection.close()
    return {
        "members": Member.objects.count(),
        "audit": AuditEvent.objects.count(),
        "report_backs": sorted(
            ReportBack.objects.values_list("pk", "status", "reported_at", "text")
        ),
        "report_files": ReportBackFile.objects.count(),
        "rollups": sorted(Rollup.objects.values_list("organization_id", "key", "value")),
        "jobs": list(Job.objects.values_list("pk", "status")),
    }


def reportable(username):
    """(report-back, its assignment's fields) the user's branch may report now, or None."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from dangjian.orgs.selectors import home_organization
    from dangjian.tasks.models import AssignmentStatus, ReportBack

    user = get_user_model().objects.get(username=username)
    today = timezone.localdate()
    return (
        ReportBack.objects.filter(
            organization=home_organization(user),
            assignment__status=AssignmentStatus.ACTIVE,
            assignment__starts_on__lte=today,
            assignment__deadline__gte=today,
        )
        .exclude(status="accepted")
        .first()
    )


def slow_upload(base, session, path, size):
    """Starts a multipart POST of `size` bytes and sends only its first half; returns the
    connection (the rest is never sent: the server is killed meanwhile)."""
    page = session.get(path)
    body, content_type = multipart(
        {"csrfmiddlewaretoken": token(page), "action": "report", "text": "KILL-TEST"},
        {"files": ("kill.pdf", b"%PDF" + b"x" * size, "application/pdf")},
    )
    host, port = urllib.parse.urlparse(base).netloc.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.putrequest("POST", path)
    conn.putheader("Content-Type", content_type)
    conn.putheader("Content-Length", str(len(body)))
    conn.putheader("Cookie", session.cookie_header())
    conn.putheader("Referer", base + path)
    conn.endheaders()
    conn.send(body[: len(body) // 2])
    return conn


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=6000)
    parser.add_argument("--port", type=int, default=8765)
    args, _unknown = parser.parse_known_args()  # bench/run.py passes on the arguments of all
    tmp = Path(tempfile.mkdtemp(prefix="dangjian-kill-"))
    env = {
        **os.environ,
        "DANGJIAN_VAR": str(tmp),
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "DANGJIAN_CONN_MAX_AGE": "0",
    }
    os.environ.update({k: env[k] for k in ("DANGJIAN_VAR", "DATABASE_URL")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "dangjian.settings"
    start = time.perf_counter()
    subprocess.run([str(BIN), "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    log(f"demo loaded in {time.perf_counter() - start:.0f} s ({tmp})")

    import django

    django.setup()
    from django.db import connection

    from dangjian.orgs.models import Organization

    branch = Organization.objects.filter(kind="branch").order_by("path").first()
    rb = reportable("branch")
    xlsx_path = tmp / "members.xlsx"
    members_file(xlsx_path, branch.code, args.rows)
    connection.close()
    before = snapshot()
    log(f"{before['members']} members, {before['audit']} audit events before")

    server, base = start_server(env, args.port)
    log(f"server up (pid {server.pid})")
    county = Session(base, "county")
    page = county.get(f"/io/members/import/?org={branch.code}")
    url, _ = county.post_multipart(
        f"/io/members/import/?org={branch.code}",
        {"csrfmiddlewaretoken": token(page), "org": branch.code},
        {
            "file": (
                "members.xlsx",
                xlsx_path.read_bytes(),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        },
    )
    job_path = urllib.parse.urlparse(url).path
    log(f"import of {args.rows} members into {branch.code} queued: {job_path}")

    conn = None
    if rb is not None:
        conn = slow_upload(base, Session(base, "branch"), f"/tasks/report-backs/{rb.pk}/", 10 << 20)
        log(f"report-back {rb.pk}: half of a 10 MB upload sent")
    else:
        log("no report-back open for the branch user: upload part skipped")

    seen = "?"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        text = county.get(job_path)
        if "正在写入" in text:
            seen = "writing"
            break
        if "正在校验" in text or "共" in text and "正在" in text:
            seen = "validating"
        if "导入成功" in text or "已写入" in text:
            seen = "done already"
            break
        time.sleep(0.1)
    os.killpg(server.pid, signal.SIGKILL)
    server.wait()
    log(f"SIGKILL to the server's process group while the job was {seen}")
    if conn is not None:
        try:
            conn.send(b"x" * 1024)
            conn.getresponse()
            log("the upload got an answer?!")
        except OSError as e:
            log(f"the upload was cut: {type(e).__name__}")
    time.sleep(1)
    after_kill = snapshot()

    server, base = start_server(env, args.port)
    log("server restarted")
    time.sleep(15)  # the worker may take the job up again
    os.killpg(server.pid, signal.SIGTERM)
    server.wait()
    after = snapshot()

    from dangjian.core.models import Job
    from dangjian.rollups import services as rollups

    connection.close()
    rollups.rebuild()
    rebuilt = snapshot()["rollups"]
    with connection.cursor() as cursor:
        integrity = cursor.execute("PRAGMA integrity_check").fetchone()[0]
    job = Job.objects.get(pk=job_path.rstrip("/").split("/")[-1])

    from dangjian.tasks.models import ReportBackFile

    missing = [f.pk for f in ReportBackFile.objects.all() if not Path(f.file.path).exists()]

    added_kill = after_kill["members"] - before["members"]
    added = after["members"] - before["members"]
    results = {
        "members added at the kill (0 or all)": (added_kill, added_kill in (0, args.rows)),
        "members added after restart (0 or all)": (added, added in (0, args.rows)),
        "audit events match (none, or one per member and the job's)": (
            after["audit"] - before["audit"],
            (added == 0) == (after["audit"] == before["audit"]),
        ),
        "report-backs unchanged by the cut upload": (
            "",
            after["report_backs"] == before["report_backs"],
        ),
        "report-back files: rows without file": (missing, not missing),
        "roll-ups equal a rebuild": ("", after["rollups"] == rebuilt),
        "SQLite integrity_check": (integrity, integrity == "ok"),
    }
    log(f"the import job after restart: status {job.status}, result {str(job.result)[:160]}")
    failed = 0
    for name, (value, ok) in results.items():
        print(f"  {'OK  ' if ok else 'FAIL'} {name}: {value}")
        failed |= not ok
    return failed


if __name__ == "__main__":
    sys.exit(main())
