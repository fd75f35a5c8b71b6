"""The simulated users of the load test (a locustfile): run by bench/load.py, not alone.

bench/load.py writes the plan (accounts, report-backs, pages, think time) to the JSON file
named by LOAD_PLAN and runs `locust -f bench/load_users.py --headless` against the server
it started. Two kinds of user, in the proportion of the plan's counts:
- Reporter: a branch secretary at month end. Logs in through the login page (CSRF), opens
  the work desk (where the login lands), the tasks page, opens the branch's report-back and submits the form, then again (editing
  what was reported, as the rules allow before the deadline).
- Browser: a township or county user watching the dashboards. Logs in, then opens the
  work desk, the organization page, the assignment's board (progress roll-up), the organizational-life
  overview, the tasks page and the member list, plain or searched by surname.
Every response is checked: a page must answer 200 and be the page asked for (a redirect to
the login page is a failure), a form post must redirect (a re-shown form is a failure).
"""

import itertools
import json
import os
import random
import re

from locust import FastHttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())
# Every request, one JSON line: bench/load.py computes exact percentiles from them (locust's
# own are rounded) and can leave out the ramp-up.
RECORDS = open(PLAN["records"], "w", encoding="utf-8")
THINK = between(*PLAN["think"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The error text of a re-shown form (core/forms.py puts field errors in .errorlist).
FORM_ERROR = re.compile(r'class="errorlist[^"]*"[^>]*>\s*<li>([^<]*)')


def _token(response) -> str | None:
    found = CSRF.search(response.text or "")
    return found.group(1) if found else None


@events.request.add_listener
def record(name, response_time, exception, start_time=None, **kwargs):
    RECORDS.write(
        json.dumps(
            {
                "name": name,
                "ms": round(response_time, 1),
                "at": start_time,
                "error": str(exception) if exception else None,
            },
            ensure_ascii=False,
        )
        + "\n"
    )


@events.quitting.add_listener
def close_records(**kwargs):
    RECORDS.close()


class Account:
    """Logs in through the real login page; `page` and `post` check what came back."""

    # gunicorn closes a connection idle for 2 s, and a think time is longer: a browser opens
    # a new one (and retries a request that met a connection closing under it, which this
    # client does not). A new connection for each request keeps that race out of the figures.
    default_headers = {"Connection": "close"}

    def log_in(self):
        with self.client.get(
            "/accounts/login/", name="login page", catch_response=True, allow_redirects=False
        ) as r:
            token = _token(r) if r.status_code == 200 else None
            if token is None:
                r.failure(f"login page: status {r.status_code}, no CSRF token")
                return False
        self.wait()  # typing the password
        data = {
            "csrfmiddlewaretoken": token,
            "username": self.account["username"],
            "password": PLAN["password"],
        }
        return self.post("/accounts/login/", data, "login")

    def page(self, url, name, expect=""):
        """GET a page; a failure unless it answers 200 (with `expect` in it). Returns the
        response or None."""
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as r:
            if r.status_code != 200:
                where = r.headers.get("Location", "") or r.error or ""
                r.failure(f"{name}: status {r.status_code} {where}".strip())
                return None
            if expect and expect not in r.text:
                r.failure(f"{name}: page without {expect!r}")
                return None
            return r

    def post(self, url, data, name):
        """POST a form; success is the redirect that follows a saved form."""
        with self.client.post(
            url, data=data, name=name, catch_response=True, allow_redirects=False
        ) as r:
            if r.status_code == 302 and "/accounts/login/" not in r.headers.get("Location", ""):
                return True
            found = FORM_ERROR.search(r.text or "")
            detail = found.group(1).strip() if found else (r.text or "")[:200] or r.error
            r.failure(f"{name}: status {r.status_code} {detail}".strip())
            return False


class Reporter(Account, FastHttpUser):
    """A branch secretary reporting back at month end."""

    weight = max(PLAN["reporters_count"], 0)
    wait_time = THINK
    _accounts = itertools.count()

    def on_start(self):
        accounts = PLAN["reporters"]
        self.account = accounts[next(self._accounts) % len(accounts)]
        self.url = f"/tasks/report-backs/{self.account['report_back']}/"
        self.round = 0
        while not self.log_in():
            self.wait()

    @task
    def report_back(self):
        self.page("/", "desk")  # where the login lands
        self.wait()
        self.page("/tasks/", "tasks page")
        self.wait()
        r = self.page(self.url, "report page", expect="v_attendees")
        token = _token(r) if r is not None else None
        if token is None:
            return
        self.wait()  # filling in the form
        self.round += 1
        data = {
            "csrfmiddlewaretoken": token,
            "action": "report",
            "v_attendees": str(random.randint(5, 60)),
            "v_note": f"第{self.round}次填报",
            "text": "本月主题党日已召开，党员参加学习并开展志愿服务。",
        }
        if self.post(self.url, data, "report submit"):
            self.page(self.url, "report page", expect="v_attendees")


class Browser(Account, FastHttpUser):
    """A township or county user watching the progress and the figures."""

    weight = max(PLAN["browsers_count"], 0)
    wait_time = THINK
    _accounts = itertools.count()

    def on_start(self):
        accounts = PLAN["browsers"]
        self.account = accounts[next(self._accounts) % len(accounts)]
        while not self.log_in():
            self.wait()

    @task(2)
    def desk(self):
        self.page("/", "desk")

    @task(3)
    def org_page(self):
        self.page(f"/org/{self.account['org']}/", "org page")

    @task(3)
    def board(self):
        self.page(f"/tasks/assignments/{PLAN['assignment']}/", "board")

    @task(2)
    def life_overview(self):
        self.page("/life/", "life overview")

    @task(1)
    def tasks_page(self):
        self.page("/tasks/", "tasks page")

    @task(1)
    def member_list(self):
        self.page("/members/", "member list")

    @task(2)
    def member_search(self):
        self.page(f"/members/?q={random.choice(PLAN['surnames'])}", "member search")
