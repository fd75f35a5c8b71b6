"""`dangjian worker`: runs the background jobs and the daily work (started by `dangjian serve`).

The queue is django-tasks' database backend; this command drives that library's own worker
(`django_tasks_db`'s `Worker`, the loop behind its `db_worker` command) and, between passes,
starts the daily work that is due (`dangjian.core.jobs.run_schedule`), so no cron line is
needed, and marks as interrupted the jobs of a worker that died (`jobs.reap_interrupted`). Several workers may run at once: each task is claimed by one, each daily run is
started by one.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django_tasks_db.management.commands.db_worker import Worker

from dangjian.core import jobs

SCHEDULE_EVERY = 30  # seconds between two looks at the daily schedule


class Command(BaseCommand):
    help = "运行后台任务（导入、下发、每天的提醒）；dangjian serve 会自动启动它。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch",
            action="store_true",
            help="启动到期的每日任务、运行完队列中的任务后退出",
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="队列为空时隔多少秒再查，默认 1"
        )

    def handle(self, *args, batch=False, interval=1.0, **options):
        if interval <= 0:
            raise CommandError(_("间隔必须大于 0 秒"))
        jobs.WORKER_ID = get_random_string(16)
        worker = Worker(
            queue_names=["*"],
            excluded_queue_names=[],
            interval=interval,
            batch=True,  # one pass over what is ready; this loop decides when to look again
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=jobs.WORKER_ID,
        )
        if not batch:
            worker.configure_signals()  # Ctrl+C / SIGTERM: finish the running task, then stop
            self.stdout.write(_("后台任务进程已启动"))
        looked = None
        while worker.running:
            jobs.beat()
            if looked is None or time.monotonic() - looked >= SCHEDULE_EVERY:
                looked = time.monotonic()
                jobs.reap_interrupted()
                jobs.run_schedule()
            worker.run()
            if batch:
                return
            time.sleep(interval)
