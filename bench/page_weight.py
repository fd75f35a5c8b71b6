"""Page weight on a phone (issue 11, section 5): bytes transferred for a page and every static
file it loads, on a first visit (empty cache) and a repeat visit (the cache of the first,
honouring Cache-Control, ETag and Last-Modified as a browser does). Prints a table; not part
of the tests.

    .venv/bin/python bench/page_weight.py [--user branch] [--port 8766]

Loads the demo county into var/ if it is not there (`dangjian demo`), starts `dangjian serve`
(which collects the static files: hashed, precompressed), logs in with a phone's User-Agent
and `Accept-Encoding: gzip, br`, and measures the first page after login, the organization
page and the meeting form. Bytes are counted as on the wire: status line, headers and the
(compressed) body.
"""

import argparse
import http.client
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent / "dangjian"
PASSWORD = "dangjian2026"
PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
ASSET = re.compile(
    r"<(?:script[^>]*\ssrc|link[^>]*\shref|img[^>]*\ssrc)=\"(/static/[^\"]+)\"", re.I
)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
MAX_AGE = re.compile(r"max-age=(\d+)")


class Phone:
    """A browser's network behaviour, enough to count bytes: cookies, redirects, a cache."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.cache = {}  # path → (stored at, headers, body)

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {
            "User-Agent": PHONE,
            "Accept-Encoding": "gzip, br",
            "Accept-Language": "zh-CN,zh;q=0.9",
            **(headers or {}),
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        data = response.read()  # http.client does not decompress: the bytes as sent
        connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        wire = len(f"HTTP/1.1 {response.status} {response.reason}\r\n") + 2
        wire += sum(len(k) + len(v) + 4 for k, v in response.getheaders())
        return response, data, wire + len(data)

    def get(self, path):
        """GET as a browser with a cache: a fresh entry costs nothing, a stale one with a
        validator is revalidated (304), anything else is fetched. Returns (bytes, body,
        final path) following redirects."""
        total = 0
        for _ in range(10):
            cached = self.cache.get(path)
            headers = {}
            if cached:
                stored, cached_headers, body = cached
                control = cached_headers.get("cache-control", "")
                age = MAX_AGE.search(control)
                if age and "no-cache" not in control and time.time() - stored < int(age[1]):
                    return total, body, path
                if "etag" in cached_headers:
                    headers["If-None-Match"] = cached_headers["etag"]
                if "last-modified" in cached_headers:
                    headers["If-Modified-Since"] = cached_headers["last-modified"]
            response, data, wire = self.request("GET", path, headers=headers)
            total += wire
            received = {k.lower(): v for k, v in response.getheaders()}
            if response.status == 304 and cached:
                self.cache[path] = (time.time(), {**cached[1], **received}, cached[2])
                return total, cached[2], path
            if response.status in (301, 302, 303, 307, 308):
                path = urllib.parse.urlsplit(received["location"]).path or "/"
                continue
            if response.status != 200:
                raise SystemExit(f"GET {path}: {response.status}")
            body = decode(data, received.get("content-encoding"))
            control = received.get("cache-control", "")
            if "no-store" not in control and (
                MAX_AGE.search(control) or "etag" in received or "last-modified" in received
            ):
                self.cache[path] = (time.time(), received, body)
            return total, body, path
        raise SystemExit(f"GET {path}: too many redirects")

    def visit(self, path):
        """A page and every static file it loads (and those its stylesheets load)."""
        total, html, final = self.get(path)
        page_bytes = total
        seen, queue = set(), ASSET.findall(html.decode())
        while queue:
            asset = queue.pop(0)
            if asset in seen:
                continue
            seen.add(asset)
            size, body, _ = self.get(asset)
            total += size
            if asset.endswith(".css"):
                for ref in CSS_URL.findall(body.decode()):
                    if not ref.startswith(("data:", "http:", "https:", "//", "#")):
                        queue.append(urllib.parse.urljoin(asset, ref).split("#")[0])
        return total, page_bytes, len(seen), final, html.decode()

    def log_in(self, username):
        _, html, _ = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html.decode())[1]
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        )
        response, _, _ = self.request(
            "POST",
            "/accounts/login/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/accounts/login/",
            },
        )
        if response.status != 302:
            raise SystemExit(f"login as {username} failed ({response.status})")
        return urllib.parse.urlsplit(response.getheader("Location")).path


def decode(data, encoding):
    if encoding == "gzip":
        import gzip

        return gzip.decompress(data)
    if encoding == "br":
        import brotli

        return brotli.decompress(data)
    return data


def start_server(env, port):
    process = subprocess.Popen(
        [str(BIN), "serve", "--port", str(port), "--no-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(600):  # collectstatic compresses first: up to a minute or two
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/accounts/login/")
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not start")


def kb(n):
    return f"{n / 1024:7.1f} KB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--user", default="branch")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    env = {**os.environ, "DANGJIAN_DEMO": "1"}
    env.pop("DANGJIAN_DEBUG", None)
    subprocess.run([str(BIN), "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    server = start_server(env, args.port)
    try:
        phone = Phone(args.port)
        first_page = phone.log_in(args.user)
        _, html, first_page = phone.get(first_page)
        org = re.search(r'class="home-org"><a href="(/org/[^"/]+/)"', html.decode())[1]
        pages = [
            ("first page after login", first_page),
            ("organization page", org),
            ("meeting form", f"/life{org}meetings/new/"),
        ]
        print(f"as {args.user!r}, phone User-Agent, Accept-Encoding: gzip, br")
        print(f"{'page':<26}{'path':<28}{'files':>6}{'first visit':>14}{'repeat':>12}")
        for name, path in pages:
            phone.cache.clear()  # a first visit: nothing cached
            first, _, files, final, _ = phone.visit(path)
            repeat, _, _, _, _ = phone.visit(path)
            print(f"{name:<26}{final:<28}{files:>6}{kb(first):>14}{kb(repeat):>12}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()


if __name__ == "__main__":
    main()
