"""The database's part of a backup: one consistent copy taken while the site runs, and its restore.

SQLite: the online backup API copies every page in one step, inside one read transaction; on a WAL
database writers go on meanwhile and the copy is the database as of one instant.

PostgreSQL: pg_dump (custom format), which reads every table inside one REPEATABLE READ transaction,
so its dump too is one instant. Chosen over a Django-level dump in a read-only transaction because it
is exact and needs no model knowledge: tables without a model (django_migrations, the cache table),
sequences, indexes and constraints come back as they were, pg_restore loads them quickly without
sequence resets, and a database administrator can restore it without the portal.
"""

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.recorder import MigrationRecorder

from . import BackupError

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
DUMP_NAMES = {SQLITE: "database/portal.sqlite3", POSTGRESQL: "database/portal.pgdump"}
ENGINE_NAMES = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}
# Debian keeps each PostgreSQL version's programs here; /usr/bin holds wrappers when postgresql-client-common is in.
POSTGRESQL_LIBDIR = Path("/usr/lib/postgresql")


def engine(connection):
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库：只支持 SQLite 和 PostgreSQL。")
    return connection.vendor


def applied_migrations(connection):
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def dump(connection, path):
    """Writes the database as of one instant to `path`."""
    if engine(connection) == SQLITE:
        with sqlite3.connect(sqlite_path(connection), timeout=20) as source, sqlite3.connect(path) as copy:
            source.backup(copy, pages=-1)  # one step: a page written meanwhile cannot mix two states
            # A file complete in itself, with no -wal beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
        source.close()
        copy.close()
    else:
        run_postgresql(
            "pg_dump",
            connection,
            ["--format=custom", "--no-owner", "--no-privileges", f"--file={path}"],
            "备份 PostgreSQL 数据库",
        )


def check_dump(engine_name, path):
    """Opens the dump as its engine would: a damaged copy fails here, before anything is restored."""
    if engine_name == SQLITE:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as database:
            result = database.execute("PRAGMA integrity_check").fetchall()
        database.close()
        if result != [("ok",)]:
            raise BackupError(f"备份中的 SQLite 数据库未通过完整性检查：{result[:5]}")
    else:
        run_program([postgresql_program("pg_restore"), "--list", str(path)], None, "读取 PostgreSQL 备份的目录")


def content(connection):
    """What the database already holds, in words; empty when it may receive a backup.

    A database without tables is empty, and so is one that `migrate` just made: no account yet and no
    page beyond the tree's root and Wagtail's stock welcome page (what migrations create)."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    user_model = get_user_model()
    if connection.vendor == SQLITE:
        Path(sqlite_path(connection)).parent.mkdir(parents=True, exist_ok=True)  # a fresh checkout has no var/
    tables = connection.introspection.table_names()
    if not tables:
        return []
    if not {user_model._meta.db_table, Page._meta.db_table} <= set(tables):
        return [f"{len(tables)} 个数据表（不像本平台的数据库）"]
    alias = connection.alias
    found = []
    if users := user_model._base_manager.using(alias).count():
        found.append(f"{users} 个用户账号")
    stock_welcome_page = Page._base_manager.using(alias).filter(depth=2, content_type__app_label="wagtailcore")
    pages = Page._base_manager.using(alias).filter(depth__gte=2).exclude(pk__in=stock_welcome_page).count()
    if pages:
        found.append(f"{pages} 个页面")
    return found


def load(connection, path):
    """Replaces everything in the database with the dump at `path`, then gathers planner statistics."""
    if engine(connection) == SQLITE:
        connection.close()
        with sqlite3.connect(path) as source, sqlite3.connect(sqlite_path(connection), timeout=20) as target:
            source.backup(target, pages=-1)
        source.close()
        target.close()
    else:
        drop_tables(connection)
        run_postgresql(
            "pg_restore",
            connection,
            ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"],
            "恢复 PostgreSQL 数据库",
            archive=path,
        )
    connection.close()
    # SQLite's planner needs statistics (base.wagtail_hooks.refresh_sqlite_statistics); pg_restore
    # brings none back, and autovacuum would gather them only later.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def drop_tables(connection):
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    connection.close()


def sqlite_path(connection):
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("内存中的 SQLite 数据库无法备份或恢复。")
    return name


def postgresql_program(name):
    """pg_dump or pg_restore: from PATH, else the newest of Debian's versioned folders."""
    if found := shutil.which(name):
        return found
    versions = sorted(glob.glob(str(POSTGRESQL_LIBDIR / "*" / "bin" / name)), key=debian_version)
    if versions:
        return versions[-1]
    raise BackupError(
        f"找不到 {name}（PostgreSQL 客户端程序），无法处理 PostgreSQL 数据库。请安装 PostgreSQL 客户端"
        f"（Debian：apt-get install postgresql-client，主版本不低于数据库服务器），或把 {name} 所在的目录加入 PATH。\n"
        f"{name} (a PostgreSQL client program) was not found: install the PostgreSQL client "
        f"(Debian: apt-get install postgresql-client, of at least the server's major version) "
        f"or add the folder that holds {name} to PATH."
    )


def debian_version(path):
    version = Path(path).parent.parent.name
    return int(version) if version.isdigit() else 0


def run_postgresql(program, connection, options, what, archive=None):
    """Runs pg_dump, or pg_restore with the `archive` to load, against the connection's database, with
    its address and password as Django's own `dbshell` passes them to psql."""
    args, env = DatabaseClient.settings_to_cmd_args_env(connection.settings_dict, [])
    connection_args = args[1:]
    # psql's arguments: option and value pairs, then the database name, which pg_restore takes as --dbname.
    if archive is not None and len(connection_args) % 2:
        connection_args[-1:] = ["--dbname", connection_args[-1]]
    trailing = [str(archive)] if archive is not None else []
    run_program([postgresql_program(program), *options, *connection_args, *trailing], env, what)


def run_program(command, env, what):
    completed = subprocess.run(  # noqa: S603 - a fixed program and arguments, no shell
        command, env={**os.environ, **(env or {})}, capture_output=True, text=True, check=False
    )
    if completed.returncode:
        message = (completed.stderr or completed.stdout).strip()
        raise BackupError(f"{what}失败（{Path(command[0]).name} 退出码 {completed.returncode}）：{message}")
