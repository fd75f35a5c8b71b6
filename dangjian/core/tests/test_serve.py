"""`dangjian serve` starts the background worker beside the web server and stops it after."""

import subprocess
import sys
from unittest import mock

import pytest
from django.core.management import call_command

from dangjian.core.management.commands import serve


def test_stop_worker_ends_the_process():
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    serve.stop_worker(process, wait=5)
    assert process.poll() is not None
    serve.stop_worker(process)  # already stopped: nothing to do
    serve.stop_worker(None)


def test_the_worker_is_the_dangjian_worker_command():
    with mock.patch.object(subprocess, "Popen") as popen:
        serve.start_worker()
    assert popen.call_args.args[0] == [sys.executable, "-m", "dangjian", "worker"]


@pytest.mark.django_db
@pytest.mark.parametrize("stop", [None, KeyboardInterrupt])
def test_serve_starts_the_worker_and_stops_it_with_the_server(stop):
    worker = mock.Mock()
    with (
        mock.patch.object(serve, "call_command"),
        mock.patch.object(serve, "start_worker", return_value=worker) as start,
        mock.patch.object(serve, "stop_worker") as stop_worker,
        mock.patch("gunicorn.app.base.BaseApplication.run", side_effect=stop) as run,
    ):
        if stop:
            with pytest.raises(stop):
                call_command("serve", "--port", "8123")
        else:
            call_command("serve", "--port", "8123")
    assert start.called and run.called
    stop_worker.assert_called_once_with(worker)


@pytest.mark.django_db
def test_serve_without_the_worker():
    with (
        mock.patch.object(serve, "call_command"),
        mock.patch.object(serve, "start_worker") as start,
        mock.patch("gunicorn.app.base.BaseApplication.run"),
    ):
        call_command("serve", "--no-worker")
    assert not start.called
