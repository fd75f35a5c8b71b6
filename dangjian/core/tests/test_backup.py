"""`dangjian backup DIR` and `dangjian restore DIR`, on the database the suite runs on
(SQLite, or PostgreSQL through DATABASE_URL): a backup restored into a fresh database gives
back every row of every table and every uploaded file."""

import datetime
import json
import os
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from dangjian.core import backup
from dangjian.life import services as life
from dangjian.orgs import services as orgs
from dangjian.tasks import services as tasks


def run_backup(directory) -> str:
    out = StringIO()
    call_command("backup", str(directory), stdout=out)
    return out.getvalue()


def make_records(county, settings, tmp_path):
    """A meeting and a project with uploaded files, in MEDIA_ROOT under tmp_path."""
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    life.record_meeting(
        county.village_a1,
        kind="theme_day",
        held_on=today,
        topic="学习党章",
        attachments=[SimpleUploadedFile("签到表.jpg", b"\xff\xd8 sign-in sheet")],
    )
    secretary = county.members["TA01"][0]
    orgs.appoint_officer(
        county.village_a1, secretary, "secretary", term_start=datetime.date(2024, 1, 1)
    )
    project = tasks.create_project(
        county.village_a1, secretary=secretary, year=today.year, title="葡萄园", goal="增收"
    )
    tasks.update_project(project, photos=[SimpleUploadedFile("园区.jpg", b"\xff\xd8 vineyard")])


class Target:
    """A fresh, empty database of the suite's kind, and a MEDIA_ROOT, for `dangjian restore`
    run as a command of its own."""

    def __init__(self, tmp_path):
        self.var = tmp_path / "restored-var"
        params = connection.settings_dict
        if connection.vendor == "sqlite":
            self.path = tmp_path / "restored.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            import psycopg

            self.name = f"{params['NAME']}_restored"[:63]
            self.libpq = backup.libpq_params({**params, "NAME": ""})
            with psycopg.connect(dbname="postgres", autocommit=True, **self.libpq) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
                admin.execute(f'CREATE DATABASE "{self.name}"')
            password = f":{quote(params['PASSWORD'], safe='')}" if params["PASSWORD"] else ""
            self.url = (
                f"postgres://{params['USER']}{password}@{params['HOST']}:{params['PORT'] or 5432}"
                f"/{self.name}"
            )

    def restore(self, directory, *extra):
        env = {**os.environ, "DATABASE_URL": self.url, "DANGJIAN_VAR": str(self.var)}
        return subprocess.run(
            [sys.executable, "-m", "dangjian", "restore", str(directory), *extra],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )

    def rows(self) -> dict:
        if connection.vendor == "sqlite":
            conn = sqlite3.connect(self.path, detect_types=sqlite3.PARSE_DECLTYPES)
            try:
                return sqlite_rows(conn)
            finally:
                conn.close()
        import psycopg

        with psycopg.connect(dbname=self.name, **self.libpq) as conn:
            return pg_rows(conn)

    def drop(self):
        if connection.vendor == "postgresql":
            import psycopg

            with psycopg.connect(dbname="postgres", autocommit=True, **self.libpq) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _sorted(rows):
    return sorted((tuple(r) for r in rows), key=repr)


def sqlite_rows(conn) -> dict:
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {t: _sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables}


def pg_rows(conn) -> dict:
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
    ]
    return {t: _sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables}


def source_rows() -> dict:
    """Every row of every table of the suite's database, read the same raw way as the
    restored one (the Django connection's own converters would make the two differ)."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return sqlite_rows(connection.connection)
    import psycopg

    with psycopg.connect(**backup.libpq_params(connection.settings_dict)) as conn:
        return pg_rows(conn)


def files_of(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_fresh_database_gives_back_every_row_and_file(
    county, settings, tmp_path
):
    make_records(county, settings, tmp_path)
    out = run_backup(tmp_path / "backup")
    assert "备份完成" in out
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["tables"]["life_meeting"] == 1 and manifest["tables"]["members_member"] == 9
    assert ["life", "0001_initial"] in manifest["migrations"]
    assert len(manifest["files"]) == 2 and manifest["version"]

    target = Target(tmp_path)
    try:
        done = target.restore(tmp_path / "backup")
        assert done.returncode == 0, done.stderr
        assert "恢复完成" in done.stdout
        before = source_rows()
        after = target.rows()
        assert set(after) == set(before)
        for table, rows in before.items():
            assert after[table] == rows, table
        assert sum(len(r) for r in after.values()) > 100
        restored = files_of(target.var / "media")
        assert restored == files_of(Path(settings.MEDIA_ROOT))
        assert {Path(p).name for p in restored} == {"签到表.jpg", "园区.jpg"}

        # The restored database is no longer empty: a second restore needs --force.
        again = target.restore(tmp_path / "backup")
        assert again.returncode != 0
        assert "目标数据库不是空的" in again.stderr and "--force" in again.stderr
        forced = target.restore(tmp_path / "backup", "--force")
        assert forced.returncode == 0, forced.stderr
        assert target.rows() == before
    finally:
        target.drop()


@pytest.mark.django_db(transaction=True)
def test_restore_checks_the_backup_before_touching_anything(county, settings, tmp_path):
    make_records(county, settings, tmp_path)
    directory = tmp_path / "backup"
    run_backup(directory)
    with pytest.raises(CommandError, match="已存在且不是空目录"):
        run_backup(directory)

    def restore_error(path=directory):
        with pytest.raises(CommandError) as e:
            call_command("restore", str(path), stdout=StringIO())
        return str(e.value)

    assert "不存在" in restore_error(tmp_path / "nowhere")
    # The suite's own database has tables: refused without --force, after the checks pass.
    assert "目标数据库不是空的" in restore_error()

    # Personal data: the backup directory is for its owner only.
    assert directory.stat().st_mode & 0o077 == 0
    manifest = directory / "manifest.json"
    text = manifest.read_text(encoding="utf-8")
    # A manifest naming a file outside the backup is refused before anything is copied.
    data = json.loads(text)
    data["files"]["../../outside.jpg"] = next(iter(data["files"].values()))
    manifest.write_text(json.dumps(data), encoding="utf-8")
    assert "不允许的文件路径" in restore_error() and "../../outside.jpg" in restore_error()
    manifest.write_text(text, encoding="utf-8")
    photo = next(p for p in (directory / "media").rglob("*") if p.name == "园区.jpg")
    photo.write_bytes(b"\xff\xd8 tampered")
    assert "园区.jpg" in restore_error() and "校验值" in restore_error()
    photo.unlink()
    assert "缺少文件" in restore_error()
    manifest.write_text(text[:100], encoding="utf-8")
    assert "已损坏" in restore_error()
    manifest.unlink()
    assert "缺少 manifest.json" in restore_error()


def test_a_missing_pg_tool_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(backup.BackupError, match="apt-get install postgresql-client"):
        backup.pg_tool("pg_dump")
