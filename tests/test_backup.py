"""Backups: `manage.py backup` and `manage.py restore` bring every record and file of the demo site
into a fresh installation, refuse a non-empty installation and a damaged archive, and copy one instant
of a database that is being written to. Runs on the run's database, SQLite or PostgreSQL.

The fresh installation is a second, empty database (a SQLite file, or a PostgreSQL database created
here) registered as another connection, with fresh folders: the original stays untouched beside it, so
the two can be compared record by record."""

import io
import tarfile
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.db.utils import load_backend
from django.test import override_settings

from base.backups import BackupError, databases
from base.backups.archive import MANIFEST, ROOTS
from intake.models import IntakeItem
from liaison.models import ContactAttachment, ContactRecord

SCRATCH = "restored"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40


@contextmanager
def storage_at(storage, location):
    """Points a storage that read its folder when models loaded (the private attachments') elsewhere."""
    saved = storage._location
    storage._location = str(location)
    storage.__dict__.pop("base_location", None)
    storage.__dict__.pop("location", None)
    try:
        yield
    finally:
        storage._location = saved
        storage.__dict__.pop("base_location", None)
        storage.__dict__.pop("location", None)


def roots_under(folder):
    return {key: folder / key for key in ROOTS}


def root_settings(roots):
    return {ROOTS[key]: path for key, path in roots.items()}


@pytest.fixture
def source_roots(tmp_path):
    """The installation's folders, this test's own; backups and restore's scratch space under tmp_path."""
    roots = roots_under(tmp_path / "site")
    with (
        override_settings(**root_settings(roots), BACKUP_ROOT=tmp_path / "backups"),
        storage_at(IntakeItem._meta.get_field("attachment").storage, roots["intake"]),
        storage_at(ContactAttachment._meta.get_field("file").storage, roots["liaison"]),
    ):
        yield roots


@pytest.fixture
def scratch(tmp_path):
    """A second database, empty (no tables), as the connection `restored` of the test's thread."""
    settings_dict = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_restored"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {settings_dict['NAME']}")
            cursor.execute(f"CREATE DATABASE {settings_dict['NAME']} TEMPLATE template0 ENCODING 'UTF8'")
    # Made here rather than listed in the settings, which Django's test case allows without declaring it.
    connections[SCRATCH] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, SCRATCH)
    yield SCRATCH
    connections[SCRATCH].close()
    del connections[SCRATCH]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {settings_dict['NAME']} WITH (FORCE)")


def backup(folder, **options):
    output = io.StringIO()
    call_command("backup", output=str(folder), stdout=output, **options)
    (archive,) = sorted(Path(folder).glob("portal-*.tar.gz"))[-1:]
    return archive, output.getvalue()


def restore(archive, **options):
    output = io.StringIO()
    call_command("restore", str(archive), stdout=output, **options)
    return output.getvalue()


def files_in(root):
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def model_rows(model, alias):
    fields = [field.attname for field in model._meta.concrete_fields]
    return list(model._base_manager.using(alias).order_by("pk").values_list(*fields))


def stored_models(alias):
    tables = set(connections[alias].introspection.table_names())
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.db_table in tables
    ]


def table_counts(alias):
    """Rows in every table, those without a model included (migrations, cache, search index)."""
    target = connections[alias]
    with target.cursor() as cursor:
        counts = {}
        for table in target.introspection.table_names(cursor):
            if table.startswith("sqlite_stat"):
                continue  # the planner's statistics, which restore gathers anew
            cursor.execute(f"SELECT COUNT(*) FROM {target.ops.quote_name(table)}")  # noqa: S608 - a quoted table name from the catalogue
            counts[table] = cursor.fetchone()[0]
    return counts


def add_demo_files():
    """A media file in a nested Chinese-named folder, and private attachments on intake and liaison records."""
    default_storage.save("documents/备份测试/说明.txt", ContentFile("备份和恢复的测试文件。\n".encode()))
    for item in IntakeItem.objects.order_by("pk")[:2]:
        item.attachment.save("attachment.pdf", ContentFile(PDF), save=False)
        item.attachment_name = "申请材料.pdf"
        item.save(update_fields=["attachment", "attachment_name"])
    ContactAttachment.objects.create(
        record=ContactRecord.objects.order_by("pk").first(),
        file=ContentFile(PNG, name="attachment.png"),
        name="走访照片.png",
    )


@pytest.mark.django_db(transaction=True)
def test_the_demo_site_comes_back_record_for_record_and_byte_for_byte_in_a_fresh_installation(
    demo_site, source_roots, scratch, tmp_path
):
    add_demo_files()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # so that statistics in the copy prove restore gathered them
            cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    archive, output = backup(tmp_path / "backups")
    assert archive.name.startswith("portal-") and "已写入" in output

    fresh_roots = roots_under(tmp_path / "fresh")
    with override_settings(**root_settings(fresh_roots)):
        output = restore(archive, database=scratch)
    assert "已恢复" in output

    models = stored_models("default")
    assert {model._meta.label for model in models} == {model._meta.label for model in stored_models(scratch)}
    differing = [model._meta.label for model in models if model_rows(model, "default") != model_rows(model, scratch)]
    assert differing == []
    filled = [model for model in models if model._base_manager.using(scratch).exists()]
    assert len(filled) > 40, "the demo fills most kinds of record"
    for model in (User, IntakeItem, ContactRecord, ContactAttachment):
        assert model._base_manager.using(scratch).exists(), model
    assert table_counts("default") == table_counts(scratch)

    for key in ROOTS:
        assert files_in(source_roots[key]), f"the demo site has {key} files"
        assert files_in(fresh_roots[key]) == files_in(source_roots[key]), key
    assert files_in(fresh_roots["media"])["documents/备份测试/说明.txt"] == "备份和恢复的测试文件。\n".encode()

    with connections[scratch].cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT COUNT(*) FROM sqlite_stat1")
        else:
            cursor.execute("SELECT COUNT(*) FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL")
        assert cursor.fetchone()[0] > 0, "restore gathered the planner's statistics"


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_an_installation_that_holds_content_unless_told_to_replace_it(source_roots, scratch, tmp_path):
    assert databases.content(connection) == [], "a database that only `migrate` filled counts as empty"
    User.objects.create(username="alice")
    default_storage.save("images/kept.txt", ContentFile(b"in the backup"))
    archive, _ = backup(tmp_path / "backups")

    User.objects.create(username="bob")
    default_storage.save("images/later.txt", ContentFile(b"after the backup"))
    with pytest.raises(CommandError, match=r"只能恢复到空的安装中.*2 个用户账号.*media 文件夹.*--replace-existing"):
        restore(archive)
    assert set(User.objects.values_list("username", flat=True)) == {"alice", "bob"}

    # An empty database, but the folders hold files: refused too, and the database left alone.
    with pytest.raises(CommandError, match=r"media 文件夹"):
        restore(archive, database=scratch)
    assert connections[scratch].introspection.table_names() == []

    restore(archive, replace_existing=True)
    assert list(User.objects.values_list("username", flat=True)) == ["alice"]
    assert files_in(source_roots["media"]) == {"images/kept.txt": b"in the backup"}


def rewrite(archive, target, change):
    """A copy of `archive` whose members pass through `change(name, data)`, which may return None to drop one."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as copy:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            if data is not None:
                member.size = len(data)
                copy.addfile(member, io.BytesIO(data))
    return target


@pytest.mark.django_db(transaction=True)
def test_check_passes_a_sound_archive_and_refuses_a_damaged_one(source_roots, scratch, tmp_path):
    IntakeItem._meta.get_field("attachment").storage.save("2026/11/attachment.pdf", ContentFile(PDF))
    archive, _ = backup(tmp_path / "backups")
    output = restore(archive, check=True)
    assert "校验通过" in output and "文件 intake：1 个" in output

    altered = rewrite(
        archive, tmp_path / "altered.tar.gz", lambda name, data: data + b"x" if "intake" in name else data
    )
    with pytest.raises(CommandError, match=r"校验未通过.*files/intake/2026/11/attachment.pdf 的内容与清单不符"):
        restore(altered, check=True)
    dropped = rewrite(archive, tmp_path / "dropped.tar.gz", lambda name, data: None if "intake" in name else data)
    with pytest.raises(CommandError, match=r"缺少 files/intake/2026/11/attachment.pdf"):
        restore(dropped, check=True)
    unlisted = rewrite(archive, tmp_path / "unlisted.tar.gz", lambda name, data: None if name == MANIFEST else data)
    with pytest.raises(CommandError, match=r"没有清单"):
        restore(unlisted, check=True)
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CommandError, match=r"不完整或已损坏"):
        restore(truncated, check=True)

    # Restore checks first: nothing of a damaged archive reaches the installation.
    with override_settings(**root_settings(roots_under(tmp_path / "fresh"))), pytest.raises(CommandError):
        restore(altered, database=scratch)
    assert connections[scratch].introspection.table_names() == []
    assert not (tmp_path / "fresh").exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_while_rows_and_files_are_written_is_one_consistent_instant(source_roots, scratch, tmp_path):
    group = Group.objects.create(name="备份测试组")
    busy = source_roots["media"] / "busy"
    busy.mkdir(parents=True)
    written = []
    stop = threading.Event()
    failures = []

    def write():
        # Each transaction adds a user and the user's membership: a copy holding one without the other
        # would mix two instants. Files come and go beside them, each written in two parts.
        try:
            while not stop.is_set():
                number = len(written)
                with transaction.atomic():
                    user = User.objects.create(username=f"writer-{number:05d}")
                    user.groups.add(group)
                with (busy / f"{number}.bin").open("wb") as file:
                    file.write(b"a" * 50_000)
                    file.flush()
                    file.write(b"b" * 50_000)
                if number >= 3:
                    (busy / f"{number - 3}.bin").unlink()
                written.append(number)
        except Exception as error:  # reported by the test thread
            failures.append(error)
        finally:
            connections.close_all()

    def wait_for(count):
        while len(written) < count and not failures:
            stop.wait(0.01)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        wait_for(20)
        archive, _ = backup(tmp_path / "backups")
        wait_for(len(written) + 20)
    finally:
        stop.set()
        writer.join()
    assert failures == []

    restore(archive, check=True)
    with override_settings(**root_settings(roots_under(tmp_path / "fresh"))):
        restore(archive, database=scratch)
    names = list(User.objects.using(scratch).order_by("username").values_list("username", flat=True))
    assert 20 <= len(names) < len(written), "the copy is of an instant while the writer ran"
    assert names == [f"writer-{number:05d}" for number in range(len(names))], "commits up to one instant, none later"
    memberships = User.groups.through.objects.using(scratch)
    assert sorted(memberships.values_list("user__username", flat=True)) == names
    assert memberships.filter(group__name="备份测试组").count() == len(names)
    connections[scratch].check_constraints()  # no row refers to a missing row


@pytest.mark.django_db
def test_a_failed_backup_leaves_no_archive(source_roots, tmp_path, monkeypatch):
    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("base.backups.archive.add_folder", disk_full)
    with pytest.raises(CommandError, match=r"备份失败.*No space left on device"):
        backup(tmp_path / "backups")
    assert list((tmp_path / "backups").iterdir()) == []


def test_without_pg_dump_the_message_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(databases, "POSTGRESQL_LIBDIR", tmp_path)
    with pytest.raises(BackupError, match=r"找不到 pg_dump.*postgresql-client.*\n.*not found.*postgresql-client"):
        databases.postgresql_program("pg_dump")
    (tmp_path / "15" / "bin").mkdir(parents=True)
    (tmp_path / "15" / "bin" / "pg_dump").touch()
    assert databases.postgresql_program("pg_dump") == str(tmp_path / "15" / "bin" / "pg_dump")


@pytest.mark.django_db
def test_keep_prunes_the_oldest_archives_and_nothing_else(source_roots, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    for name in ("portal-20250101-020000.tar.gz", "portal-20250102-020000.tar.gz", "notes.txt"):
        (folder / name).write_text("old")
    archive, output = backup(folder, keep=2)
    assert sorted(path.name for path in folder.iterdir()) == [
        "notes.txt",
        "portal-20250102-020000.tar.gz",
        archive.name,
    ]
    assert "已删除旧备份" in output and "portal-20250101-020000" in output
    assert archive.stat().st_mode & 0o777 == 0o600, "the archive holds personal information"
