"""`dangjian serve`: the production-style server (gunicorn + whitenoise) on this machine,
and beside it the background worker (`dangjian worker`: imports, issuing, daily reminders),
stopped when the server stops. `--no-worker` when the worker runs elsewhere."""

import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

# Threads per worker process: while one request waits on the database another runs, so two
# processes keep both cores of a small county server busy (bench/tasks.py reports the same way).
WORKERS, THREADS = 2, 4


class Command(BaseCommand):
    help = "启动网页服务（gunicorn），静态文件由 whitenoise 提供。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址，默认 127.0.0.1")
        parser.add_argument("--port", type=int, default=8000, help="端口，默认 8000")
        parser.add_argument(
            "--workers",
            type=int,
            default=WORKERS,
            help=f"工作进程数，默认 {WORKERS}（每个进程 {THREADS} 个线程）",
        )
        parser.add_argument(
            "--no-worker",
            action="store_false",
            dest="worker",
            help="不启动后台任务进程（另有机器或服务运行 dangjian worker 时）",
        )

    def handle(self, *args, host, port, workers, worker=True, **options):
        if not 0 < port < 65536:
            raise CommandError(_("端口 %(port)s 不在 1–65535 之间") % {"port": port})
        if workers < 1:
            raise CommandError(_("工作进程数至少为 1"))
        call_command("migrate", verbosity=0)
        # Hashed names and gzip/brotli copies (settings.STORAGES): half a minute or so.
        self.stdout.write(_("正在整理静态文件（按内容命名并预先压缩）……"))
        call_command("collectstatic", interactive=False, verbosity=0)
        from gunicorn.app.base import BaseApplication

        # The WSGI application is loaded only when serving (it sets Django up on import).
        from dangjian.wsgi import application

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("threads", THREADS)
                self.cfg.set("accesslog", "-")

            def load(self):
                return application

        self.stdout.write(
            _("dangjian 已启动：http://%(host)s:%(port)s/  （数据库：%(db)s）")
            % {"host": host, "port": port, "db": _db_label()}
        )
        background = start_worker() if worker else None
        try:
            Server().run()
        finally:
            stop_worker(background)


def start_worker():
    """`dangjian worker` in its own process, with the same settings and environment."""
    return subprocess.Popen([sys.executable, "-m", "dangjian", "worker"])


def stop_worker(process, wait=30):
    """Ask the worker to stop (it finishes the job in hand; its transaction keeps a job that
    is cut short from writing anything), then make sure it has."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _db_label():
    db = settings.DATABASES["default"]
    return f"{db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}"
