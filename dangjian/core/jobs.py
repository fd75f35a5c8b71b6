"""Background jobs: long work run by the worker, with a progress bar and a result page.

`start(kind, fn_path, user, ...)` records a `Job` and enqueues the django-tasks task `run`
(database backend: the queue is a table in the same database, SQLite or PostgreSQL, no
broker). The worker (`dangjian worker`, started by `dangjian serve`) calls the function named
by `fn_path` as

    fn(progress, **kwargs) -> dict      # e.g. {"summary": "...", "url": "/...", "lines": [...]}

inside `transaction.atomic`: when it raises, nothing it wrote stays, and the job shows the
error in the language of the user who started it. A function that finds the work cannot be
done raises `JobFailed(message, result=...)`: the result (e.g. an import's row errors) is
kept on the job for its page, the writes are rolled back. `progress(done, total, message)`
goes to the "jobs" cache, outside the transaction, and the job page reads it every second.

Daily work (settings.JOBS_DAILY, e.g. the reminders) is started by the worker itself through
`run_schedule()`: a `ScheduledRun` row per (name, day) makes it run once a day, however many
workers there are; no cron line is needed.

Core knows no domain: the functions are named by dotted path, the apps own them.
"""

import datetime
import logging
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from . import reminders
from .models import Job, ScheduledRun

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 0.5  # seconds between two progress writes of one job
# A worker beats (in the shared "jobs" cache) between tasks and with every progress write of
# the job it runs; one silent for this long has stopped (killed, machine restarted), and its
# running job is marked interrupted. Generous: a job may run long between progress writes.
WORKER_SILENT_AFTER = 600  # seconds
WORKER_ID = ""  # set by `dangjian worker` for the process it runs in


class JobFailed(Exception):
    """The work cannot be done; `result` (JSON-able) is kept on the job for its page."""

    def __init__(self, message, result=None):
        super().__init__(message)
        self.message = str(message)
        self.result = result or {}


def start(kind: str, fn_path: str, user=None, /, *, organization=None, title="", **kwargs) -> Job:
    """Record a job and queue it; returns the Job (its page is /jobs/<id>/).

    `kwargs` are passed to the function and must be JSON-able (ids, codes, ISO dates); the
    first three are positional only, so a function may take a `kind` or `user` of its own.
    """
    import_string(fn_path)  # a wrong name fails here, in the request, not in the worker
    job = Job.objects.create(
        kind=kind,
        title=str(title),
        user=user if user is not None and user.is_authenticated else None,
        organization=organization,
        organization_path=getattr(organization, "path", "") or "",
        fn_path=fn_path,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    queued = run.enqueue(str(job.pk), kwargs)
    job.task_id = str(queued.id)
    Job.objects.filter(pk=job.pk).update(task_id=job.task_id)
    return job


def _cache():
    return caches["jobs"]


def _key(job_id) -> str:
    return f"dangjian-job-{job_id}"


def _worker_key(worker_id) -> str:
    return f"dangjian-worker-{worker_id}"


def beat(worker_id=None) -> None:
    """The worker is alive (see WORKER_SILENT_AFTER)."""
    worker_id = worker_id or WORKER_ID
    if worker_id:
        _cache().set(_worker_key(worker_id), time.time(), WORKER_SILENT_AFTER)


def reap_interrupted() -> int:
    """Mark failed the running jobs whose worker stopped: its transaction was rolled back by
    the database when the process died, so nothing of the job was written and the user can
    start it again. Returns how many were marked."""
    reaped = 0
    for job in Job.objects.filter(status=Job.RUNNING).only("pk", "worker", "language"):
        if job.worker and _cache().get(_worker_key(job.worker)) is not None:
            continue
        with translation.override(job.language or settings.LANGUAGE_CODE):
            error = _("后台任务进程中断（服务器重启或进程被终止），未写入任何数据。请重新发起。")
        reaped += Job.objects.filter(pk=job.pk, status=Job.RUNNING).update(
            status=Job.FAILED, error=error, finished_at=timezone.now()
        )
        _cache().delete(_key(job.pk))
    return reaped


def progress_of(job: Job) -> tuple[int, int | None, str]:
    """(done, total, message) of a job: live from the cache while it runs."""
    if job.status == Job.RUNNING:
        live = _cache().get(_key(job.pk))
        if live:
            return tuple(live)
    return job.done, job.total, job.message


class Progress:
    """The callback handed to a job's function: progress(done, total=None, message="")."""

    def __init__(self, job_id):
        self.job_id = job_id
        self.state = (0, None, "")
        self._last = 0.0

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        if total is None:
            total = self.state[1]
        self.state = (int(done), total, str(message)[:300])
        now = time.monotonic()
        if now - self._last >= PROGRESS_EVERY or (total is not None and done >= total):
            self._last = now
            _cache().set(_key(self.job_id), self.state)
            beat()


def _error_text(error: Exception, job_id) -> str:
    if isinstance(error, JobFailed):
        return error.message
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    if isinstance(error, PermissionDenied):
        return str(error) or _("您无权进行此操作")
    return _("后台任务出错，未写入任何数据。请把任务编号 %(id)s 告诉系统管理员。") % {"id": job_id}


@task()
def run(job_id: str, kwargs: dict) -> str:
    """The django-tasks task behind every job: run the function, record the outcome."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status != Job.QUEUED:
        return "skipped"
    beat()
    Job.objects.filter(pk=job.pk).update(
        status=Job.RUNNING, started_at=timezone.now(), worker=WORKER_ID
    )
    progress = Progress(job.pk)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            fn = import_string(job.fn_path)
            with transaction.atomic():
                result = fn(progress, **kwargs) or {}
        except Exception as error:
            done, total, message = progress.state
            Job.objects.filter(pk=job.pk).update(
                status=Job.FAILED,
                error=_error_text(error, job.pk),
                result=getattr(error, "result", {}) or {},
                done=done,
                total=total,
                message=message,
                finished_at=timezone.now(),
            )
            _cache().delete(_key(job.pk))
            if isinstance(error, JobFailed | ValidationError | PermissionDenied):
                return "failed"
            logger.exception("job %s (%s) failed", job.pk, job.fn_path)
            raise  # the task result keeps the traceback for the administrator
    done, total, message = progress.state
    Job.objects.filter(pk=job.pk).update(
        status=Job.DONE,
        result=result,
        done=total if total is not None else done,
        total=total,
        message=message,
        finished_at=timezone.now(),
    )
    _cache().delete(_key(job.pk))
    return "done"


def save_upload(upload, suffix="") -> str:
    """Keep an uploaded file for a job (under var/jobs/uploads); its path. The job's function
    removes it when done (`discard_upload`)."""
    folder = Path(settings.JOBS_UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}{suffix}"
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return str(path)


def discard_upload(path: str) -> None:
    folder = Path(settings.JOBS_UPLOAD_DIR).resolve()
    target = Path(path).resolve()
    if target.parent == folder:  # only ever files this module saved
        target.unlink(missing_ok=True)


# Daily work -----------------------------------------------------------------------------------


def run_schedule(now=None) -> list[Job]:
    """Start today's run of each daily job that is due and not yet started; the jobs started.

    Called by the worker every half minute. The (name, day) unique row is taken in the same
    transaction as the job is queued, so two workers never both start it.
    """
    now = timezone.localtime(now)
    started = []
    for name, (fn_path, at) in settings.JOBS_DAILY.items():
        if now.time() < datetime.time.fromisoformat(at):
            continue
        if ScheduledRun.objects.filter(name=name, day=now.date()).exists():
            continue
        try:
            with transaction.atomic():
                row = ScheduledRun.objects.create(name=name, day=now.date())
                job = start(f"daily:{name}", fn_path, title=name, day=now.date().isoformat())
                ScheduledRun.objects.filter(pk=row.pk).update(job=job)
        except IntegrityError:
            continue  # another worker took it
        started.append(job)
    return started


def daily_reminders(progress, day: str) -> dict:
    """The daily reminders (the same as `dangjian remind`)."""
    made = reminders.make(datetime.date.fromisoformat(day))
    progress(1, 1)
    return {"summary": _("新生成提醒 %(n)s 条") % {"n": made}, "made": made}
