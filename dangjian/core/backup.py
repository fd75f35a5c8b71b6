"""Backups: the database and the uploaded files in one directory, with a manifest.

`dangjian backup DIR` writes

- `db.sqlite3` (SQLite, by the online backup API: a consistent copy while the site runs) or
  `db.dump` (PostgreSQL, `pg_dump --format=custom` of a snapshot exported by a REPEATABLE
  READ transaction, the same one the row counts are taken in);
- `media/`: every uploaded file under MEDIA_ROOT, copied after the database, so every file
  the copied database names is there;
- `manifest.json`, written last (a directory without it is an interrupted backup): the
  app's version, the database vendor, the applied migrations, the rows of every table, and
  the size and SHA-256 of the database file and of every uploaded file.

`dangjian restore DIR` checks every checksum before it touches anything, refuses a
database that has tables (or a MEDIA_ROOT that has files) unless `force`, restores, and
compares the rows of every table with the manifest.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import connection as default_connection
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DB_FILES = {"sqlite": "db.sqlite3", "postgresql": "db.dump"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in the user's language."""


# ---- helpers --------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _entry(path: Path) -> dict:
    return {"size": path.stat().st_size, "sha256": sha256(path)}


def media_files(root: Path) -> list[Path]:
    """The files under `root`, as paths relative to it, in a stable order."""
    if not root.is_dir():
        return []
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def app_version() -> str:
    try:
        return metadata.version("dangjian")
    except metadata.PackageNotFoundError:
        return "unknown"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _pg_env(settings_dict) -> dict:
    """The environment of pg_dump/pg_restore: the connection as libpq variables (the password
    never on the command line)."""
    env = dict(os.environ)
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": (settings_dict.get("OPTIONS") or {}).get("sslmode"),
    }
    env.update({k: str(v) for k, v in values.items() if v})
    return env


def pg_tool(name: str) -> str:
    """The path of pg_dump / pg_restore, or a BackupError saying how to install it."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "找不到 %(tool)s（PostgreSQL 客户端）：请运行 sudo apt-get install "
                "postgresql-client 安装，版本须不低于数据库服务器"
            )
            % {"tool": name}
        )
    return path


def _run(command: list[str], env: dict, tool: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        message = _("%(tool)s 失败（退出码 %(code)s）：%(error)s") % {
            "tool": tool,
            "code": result.returncode,
            "error": result.stderr.strip()[-2000:],
        }
        if "version mismatch" in result.stderr:
            message += _(
                "。%(tool)s 的版本须不低于数据库服务器：请安装对应版本的 postgresql-client"
            ) % {"tool": tool}
        raise BackupError(message)


def _sqlite_state(conn) -> tuple[dict, list]:
    """(rows per table, applied migrations) of an SQLite database."""
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    counts = {t: conn.execute(f"SELECT count(*) FROM {_quote(t)}").fetchone()[0] for t in tables}
    migrations = []
    if "django_migrations" in counts:
        migrations = [
            list(r) for r in conn.execute("SELECT app, name FROM django_migrations ORDER BY id")
        ]
    return counts, migrations


def _pg_state(cursor) -> tuple[dict, list]:
    """(rows per table, applied migrations) of the current schema of a PostgreSQL database."""
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
    )
    tables = [r[0] for r in cursor.fetchall()]
    counts = {}
    for t in tables:
        cursor.execute(f"SELECT count(*) FROM {_quote(t)}")
        counts[t] = cursor.fetchone()[0]
    migrations = []
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        migrations = [list(r) for r in cursor.fetchall()]
    return counts, migrations


# ---- backup ---------------------------------------------------------------------------------


def backup(directory, *, connection=default_connection, media_root=None, log=print) -> dict:
    """Write a backup of the database and of MEDIA_ROOT into `directory` (new or empty);
    returns the manifest."""
    directory = Path(directory)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupError(
            _("备份目录“%(dir)s”已存在且不是空目录：请换一个新目录") % {"dir": directory}
        )
    vendor = connection.vendor
    if vendor not in DB_FILES:
        raise BackupError(_("不支持备份 %(vendor)s 数据库") % {"vendor": vendor})
    directory.mkdir(parents=True, exist_ok=True)
    # The backup holds personal data (ID numbers, phone numbers): for its owner only.
    directory.chmod(0o700)
    db_file = directory / DB_FILES[vendor]
    log(_("备份数据库（%(vendor)s）……") % {"vendor": vendor})
    if vendor == "sqlite":
        counts, migrations = _backup_sqlite(connection, db_file)
    else:
        counts, migrations = _backup_postgresql(connection, db_file)
    log(_("复制上传的文件……"))
    files = {}
    for rel in media_files(media_root):
        target = directory / MEDIA / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(media_root / rel, target)
        files[rel.as_posix()] = _entry(target)
    manifest = {
        "format": FORMAT,
        "app": "dangjian",
        "version": app_version(),
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": {"vendor": vendor, "file": db_file.name, **_entry(db_file)},
        "migrations": migrations,
        "tables": counts,
        "files": files,
    }
    partial = directory / (MANIFEST + ".part")
    partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    partial.replace(directory / MANIFEST)
    log(
        _("备份完成：%(tables)s 张表共 %(rows)s 行，%(files)s 个上传文件，写入“%(dir)s”")
        % {
            "tables": len(counts),
            "rows": sum(counts.values()),
            "files": len(files),
            "dir": directory,
        }
    )
    return manifest


def _backup_sqlite(connection, db_file: Path):
    connection.ensure_connection()
    target = sqlite3.connect(db_file)
    try:
        # One step (pages=-1) under a read lock: a consistent copy while others write.
        connection.connection.backup(target)
    finally:
        target.close()
    copy = sqlite3.connect(db_file)
    try:
        # The copy keeps the source's journal mode; a single file is what a backup wants.
        copy.execute("PRAGMA journal_mode=DELETE")
        return _sqlite_state(copy)
    finally:
        copy.close()


def _backup_postgresql(connection, db_file: Path):
    import psycopg

    tool = pg_tool("pg_dump")
    params = connection.settings_dict
    env = _pg_env(params)
    # The counts and the dump read the same snapshot, so the manifest describes the dump.
    with psycopg.connect("", autocommit=False, **libpq_params(params)) as conn:
        with conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts, migrations = _pg_state(cursor)
            _run(
                [tool, "--format=custom", f"--snapshot={snapshot}", "--file", str(db_file)],
                env,
                "pg_dump",
            )
        conn.rollback()
    return counts, migrations


def libpq_params(params) -> dict:
    """A Django database's settings as psycopg.connect() keywords."""
    values = {
        "host": params.get("HOST"),
        "port": params.get("PORT"),
        "user": params.get("USER"),
        "password": params.get("PASSWORD"),
        "dbname": params.get("NAME"),
        "sslmode": (params.get("OPTIONS") or {}).get("sslmode"),
    }
    return {k: str(v) for k, v in values.items() if v}


# ---- restore --------------------------------------------------------------------------------


def read_manifest(directory) -> dict:
    """The manifest of a backup directory, or a BackupError naming what is wrong."""
    directory = Path(directory)
    if not directory.is_dir():
        raise BackupError(_("备份目录“%(dir)s”不存在") % {"dir": directory})
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(
            _("“%(dir)s”不是完整的备份：缺少 %(file)s（备份可能中途中断）")
            % {"dir": directory, "file": MANIFEST}
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        missing = [k for k in ("database", "migrations", "tables", "files") if k not in manifest]
        missing += [
            k for k in ("vendor", "file", "size", "sha256") if k not in manifest["database"]
        ]
        if missing:
            raise KeyError("、".join(missing))
    except (ValueError, KeyError, TypeError) as e:
        raise BackupError(
            _("备份清单 %(file)s 已损坏，无法读取：%(error)s") % {"file": path, "error": e}
        ) from e
    unsafe = [
        rel
        for rel in manifest["files"]
        if Path(rel).is_absolute() or ".." in Path(rel).parts or "\\" in rel
    ]
    if manifest["database"]["file"] not in DB_FILES.values():
        unsafe.append(manifest["database"]["file"])
    if unsafe:
        # A backup names only files inside itself; restoring may never write elsewhere.
        raise BackupError(
            _("备份清单 %(file)s 含有不允许的文件路径：%(paths)s")
            % {"file": path, "paths": "、".join(str(p) for p in unsafe[:3])}
        )
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("备份格式 %(format)s 不受支持（本程序只认格式 %(ours)s）")
            % {"format": manifest.get("format"), "ours": FORMAT}
        )
    return manifest


def verify(directory, manifest) -> None:
    """Every file of the backup present, of the recorded size and SHA-256."""
    directory = Path(directory)
    entries = [(manifest["database"]["file"], manifest["database"])]
    entries += [(f"{MEDIA}/{rel}", entry) for rel, entry in manifest["files"].items()]
    for rel, entry in entries:
        path = directory / rel
        if not path.is_file():
            raise BackupError(_("备份不完整：缺少文件“%(file)s”") % {"file": rel})
        if path.stat().st_size != entry["size"] or sha256(path) != entry["sha256"]:
            raise BackupError(
                _("备份已损坏：文件“%(file)s”的校验值（SHA-256）与清单不符") % {"file": rel}
            )


def _check_migrations(manifest) -> list[str]:
    """A BackupError if the backup has migrations this code does not know (a newer
    version); the migrations this code has beyond the backup's (run `migrate` after)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    applied = {tuple(m) for m in manifest["migrations"]}
    unknown = sorted(m for m in applied - known if m[0] in loader.migrated_apps)
    if unknown:
        raise BackupError(
            _(
                "这份备份来自较新的版本（%(version)s），含有本程序不认识的迁移 %(names)s："
                "请先升级程序再恢复"
            )
            % {
                "version": manifest.get("version"),
                "names": "、".join(f"{a}.{n}" for a, n in unknown[:5]),
            }
        )
    return sorted(f"{a}.{n}" for a, n in known - applied)


def restore(
    directory, *, force=False, connection=default_connection, media_root=None, log=print
) -> dict:
    """Bring the backup in `directory` back into the (empty) database and MEDIA_ROOT."""
    directory = Path(directory)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    manifest = read_manifest(directory)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            _(
                "这份备份来自 %(theirs)s 数据库，不能恢复到 %(ours)s 数据库：请把 DATABASE_URL 指向 %(theirs)s 数据库"
            )
            % {"theirs": vendor, "ours": connection.vendor}
        )
    log(_("校验备份文件……"))
    verify(directory, manifest)
    pending = _check_migrations(manifest)
    tables = connection.introspection.table_names()
    present = media_files(media_root)
    if not force:
        if tables:
            raise BackupError(
                _(
                    "目标数据库不是空的（已有 %(n)s 张表，如 %(names)s）：恢复会覆盖其中的全部数据。"
                    "确认要覆盖，请加 --force"
                )
                % {"n": len(tables), "names": "、".join(tables[:3])}
            )
        if present:
            raise BackupError(
                _("上传文件目录“%(dir)s”不是空的（已有 %(n)s 个文件）。确认要覆盖，请加 --force")
                % {"dir": media_root, "n": len(present)}
            )
    log(_("恢复数据库……"))
    db_file = directory / manifest["database"]["file"]
    if vendor == "sqlite":
        counts = _restore_sqlite(connection, db_file)
    else:
        counts = _restore_postgresql(connection, db_file, tables)
    if counts != manifest["tables"]:
        wrong = sorted(
            t
            for t in set(counts) | set(manifest["tables"])
            if counts.get(t) != manifest["tables"].get(t)
        )
        raise BackupError(
            _("恢复后的行数与备份清单不符：%(tables)s") % {"tables": "、".join(wrong[:5])}
        )
    log(_("恢复上传的文件……"))
    for rel in manifest["files"]:
        target = media_root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(directory / MEDIA / rel, target)
    log(
        _(
            "恢复完成：%(tables)s 张表共 %(rows)s 行，%(files)s 个上传文件（备份于 %(at)s，版本 %(version)s）"
        )
        % {
            "tables": len(counts),
            "rows": sum(counts.values()),
            "files": len(manifest["files"]),
            "at": manifest.get("created_at"),
            "version": manifest.get("version"),
        }
    )
    if pending:
        log(
            _("这份备份来自较早的版本：请运行 dangjian migrate 完成升级（%(n)s 个迁移）")
            % {"n": len(pending)}
        )
    return manifest


def _restore_sqlite(connection, db_file: Path) -> dict:
    name = str(connection.settings_dict["NAME"])
    if name in ("", ":memory:") or name.startswith("file:"):
        raise BackupError(_("只能恢复到数据库文件，不能恢复到内存数据库"))
    connection.close()
    source = sqlite3.connect(db_file)
    target = sqlite3.connect(name)
    try:
        # Replaces the whole target database, page by page, in one step.
        source.backup(target)
        return _sqlite_state(target)[0]
    finally:
        target.close()
        source.close()


def _restore_postgresql(connection, db_file: Path, tables: list[str]) -> dict:
    tool = pg_tool("pg_restore")
    params = connection.settings_dict
    if tables:
        # --force: the old tables go first, all in one transaction.
        with connection.cursor() as cursor:
            cursor.execute("; ".join(f"DROP TABLE IF EXISTS {_quote(t)} CASCADE" for t in tables))
    connection.close()
    _run(
        [
            tool,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            str(params["NAME"]),
            str(db_file),
        ],
        _pg_env(params),
        "pg_restore",
    )
    with connection.cursor() as cursor:
        return _pg_state(cursor)[0]
