"""One archive holds a backup: the database's dump, then the files of every folder the portal writes
uploads to, then a manifest (last, since it lists the SHA-256 of each member, known once written).

    database/portal.sqlite3 or database/portal.pgdump
    files/media/...      MEDIA_ROOT, or the S3 bucket (S3_BUCKET): images, documents, renditions
    files/intake/...     INTAKE_ATTACHMENT_ROOT: the contact form's attachments (private)
    files/liaison/...    LIAISON_ATTACHMENT_ROOT: contact records' materials (private)
    manifest.json

The database is copied first, then the files: a row committed before the copy had its file written
before it (Django saves a file before its row), so every file the copy names is there; a file added
meanwhile is an orphan that harms nothing.
"""

import gzip
import hashlib
import json
import os
import re
import shutil
import stat
import tarfile
import tempfile
import zlib
from contextlib import closing
from pathlib import Path, PurePosixPath

from botocore.exceptions import ClientError
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from . import BackupError, databases
from .bucket import MediaBucket, media_bucket

FORMAT = "laibin-portal-backup"
VERSION = 1
MANIFEST = "manifest.json"
ROOTS = {"media": "MEDIA_ROOT", "intake": "INTAKE_ATTACHMENT_ROOT", "liaison": "LIAISON_ATTACHMENT_ROOT"}
ARCHIVE_NAME = re.compile(r"^portal-\d{8}-\d{6}\.tar\.gz$")
CHUNK = 1024 * 1024
# A file is copied aside before it enters the archive, so that one still being written cannot make
# its member disagree with its header; up to this size the copy stays in memory.
SPOOL_IN_MEMORY = 16 * 1024 * 1024
READ_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, json.JSONDecodeError, UnicodeDecodeError)


def file_roots():
    roots = {key: Path(getattr(settings, name)) for key, name in ROOTS.items()}
    if bucket := media_bucket():
        roots["media"] = bucket
    return roots


def create_backup(destination, *, using="default", keep=None, log=print):
    """Writes portal-YYYYmmdd-HHMMSS.tar.gz into `destination` and returns its path. The archive is
    written under a hidden temporary name and renamed once complete, so a failed or interrupted
    backup never leaves a partial archive under an archive's name."""
    connection = connections[using]
    engine = databases.engine(connection)
    destination = Path(destination)
    destination.mkdir(mode=0o700, parents=True, exist_ok=True)
    started = timezone.localtime()  # when the database is copied: the instant the backup holds
    final = destination / f"portal-{started:%Y%m%d-%H%M%S}.tar.gz"
    if final.exists():
        raise BackupError(f"{final} 已存在：同一秒内只能备份一次。")
    with tempfile.TemporaryDirectory(dir=destination, prefix=".portal-backup-") as staging:
        staging = Path(staging)
        migrations = databases.applied_migrations(connection)
        log(f"备份数据库（{databases.ENGINE_NAMES[engine]}）……")
        dump = staging / "database"
        databases.dump(connection, dump)
        partial = staging / final.name
        entries = []
        skipped = []
        with open_private(partial) as output:
            with tarfile.open(fileobj=output, mode="w:gz", compresslevel=6) as tar:
                entries.append(add_file(tar, databases.DUMP_NAMES[engine], dump, staging))
                log(f"  数据库：{human_size(entries[0]['size'])}")
                for key, root in file_roots().items():
                    added = add_folder(tar, key, root, staging, skipped)
                    entries += added
                    size = human_size(sum(entry["size"] for entry in added))
                    log(f"  文件 {key}（{root}）：{len(added)} 个，{size}")
                manifest = {
                    "format": FORMAT,
                    "version": VERSION,
                    "created_at": started.isoformat(),
                    "database": {"engine": engine, "member": databases.DUMP_NAMES[engine]},
                    "migrations": migrations,
                    "files": entries,
                    "skipped": skipped,
                }
                add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            output.flush()
            os.fsync(output.fileno())
        os.replace(partial, final)
    sync_folder(destination)
    for path in skipped:
        log(f"  跳过：{path}（备份过程中已被删除）")
    log(f"已写入 {final}（{human_size(final.stat().st_size)}：数据库和 {len(entries) - 1} 个文件）。")
    if keep:
        for old in prune(destination, keep):
            log(f"已删除旧备份 {old}")
    return final


def open_private(path):
    # The archive holds personal information: readable by the portal's user alone.
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def add_file(tar, name, path, staging):
    with open(path, "rb") as source:
        return add_copy(tar, tar.gettarinfo(fileobj=source, arcname=name), source, staging)


def add_copy(tar, info, source, staging):
    """Copies `source` aside, then adds the copy: its bytes, size and hash agree whatever happens to the
    file meanwhile."""
    digest = hashlib.sha256()
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, dir=staging) as copy:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            copy.write(chunk)
        info.size = copy.tell()
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        copy.seek(0)
        tar.addfile(info, copy)
    return {"path": info.name, "size": info.size, "sha256": digest.hexdigest()}


def add_bucket(tar, key, bucket, staging, skipped):
    entries = []
    for name, modified, open_body in bucket.objects():
        info = tarfile.TarInfo(f"files/{key}/{name}")
        info.mtime, info.mode = int(modified.timestamp()), 0o600
        try:
            with closing(open_body()) as body:
                entries.append(add_copy(tar, info, body, staging))
        except ClientError:
            skipped.append(f"{key}/{name}")  # deleted since it was listed
    return entries


def add_folder(tar, key, root, staging, skipped):
    if isinstance(root, MediaBucket):
        return add_bucket(tar, key, root, staging, skipped)
    entries = []
    if not root.is_dir():
        return entries
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            try:
                if not stat.S_ISREG(path.lstat().st_mode):
                    continue  # uploads are plain files; a link or socket is not the portal's
                entries.append(add_file(tar, f"files/{key}/{relative}", path, staging))
            except FileNotFoundError:
                skipped.append(f"{key}/{relative}")  # deleted since it was listed
    return entries


def add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    with tempfile.SpooledTemporaryFile() as source:
        source.write(data)
        source.seek(0)
        tar.addfile(info, source)


def sync_folder(path):
    # The rename survives a power cut only once the folder itself is on disk.
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def prune(destination, keep):
    """Deletes all but the newest `keep` archives in `destination` (their names sort by time)."""
    archives = sorted(path for path in Path(destination).iterdir() if ARCHIVE_NAME.match(path.name))
    old = archives[: max(len(archives) - keep, 0)]
    for path in old:
        path.unlink()
    return old


def read_archive(path, sink=None):
    """Reads every member once, hashing it, and checks the hashes against the manifest; returns the
    manifest. `sink(name)` may return a writable file that receives the member's bytes."""
    seen = {}
    manifest = None
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            for member in tar:
                name = member_name(member)
                if name is None:
                    continue
                source = tar.extractfile(member)
                if name == MANIFEST:
                    manifest = json.loads(source.read().decode())
                    continue
                digest = hashlib.sha256()
                size = 0
                target = sink(name) if sink else None
                try:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        if target is not None:
                            target.write(chunk)
                finally:
                    if target is not None:
                        target.close()
                seen[name] = {"size": size, "sha256": digest.hexdigest()}
    except FileNotFoundError as error:
        raise BackupError(f"找不到备份文件 {path}。") from error
    except READ_ERRORS as error:
        raise BackupError(f"备份文件不完整或已损坏，无法读取（{error}）。") from error
    check_manifest(manifest, seen)
    return manifest


def member_name(member):
    """The member's name, None for a folder; refuses links, devices and names reaching outside."""
    if member.isdir():
        return None
    name = PurePosixPath(member.name)
    if not member.isfile() or name.is_absolute() or ".." in name.parts:
        raise BackupError(f"备份文件中有不应出现的条目：{member.name}")
    return name.as_posix()


def check_manifest(manifest, seen):
    if manifest is None:
        raise BackupError("备份文件中没有清单（manifest.json）：不完整，或不是本平台的备份。")
    if manifest.get("format") != FORMAT:
        raise BackupError("清单不属于本平台的备份格式。")
    if manifest.get("version") != VERSION:
        raise BackupError(f"备份格式版本 {manifest.get('version')} 不受支持（本程序读取版本 {VERSION}）。")
    listed = {entry["path"]: {"size": entry["size"], "sha256": entry["sha256"]} for entry in manifest["files"]}
    problems = [f"缺少 {name}" for name in sorted(listed.keys() - seen.keys())]
    problems += [f"清单外的 {name}" for name in sorted(seen.keys() - listed.keys())]
    problems += [
        f"{name} 的内容与清单不符" for name in sorted(listed.keys() & seen.keys()) if listed[name] != seen[name]
    ]
    if manifest["database"]["member"] not in listed:
        problems.append("清单中没有数据库")
    if problems:
        shown = "；".join(problems[:10]) + (f"；等共 {len(problems)} 处" if len(problems) > 10 else "")
        raise BackupError(f"备份校验失败：{shown}。")


def check_backup(path, *, log=print):
    """Verifies an archive without restoring it: every hash against the manifest, and the database
    opened as its engine would open it. Returns the manifest."""
    with tempfile.TemporaryDirectory(prefix="portal-check-") as staging:
        manifest, _ = read_and_stage_database(path, Path(staging))
    summarise(manifest, log)
    return manifest


def read_and_stage_database(path, staging):
    dump = staging / "database"

    def sink(name):
        return dump.open("wb") if name.startswith("database/") else None

    manifest = read_archive(path, sink)
    databases.check_dump(manifest["database"]["engine"], dump)
    return manifest, dump


def summarise(manifest, log):
    files = [entry for entry in manifest["files"] if entry["path"].startswith("files/")]
    log(f"备份时间：{manifest['created_at']}")
    engine = manifest["database"]["engine"]
    log(f"数据库：{databases.ENGINE_NAMES.get(engine, engine)}，已应用迁移 {len(manifest['migrations'])} 个")
    for key in ROOTS:
        inside = [entry for entry in files if entry["path"].startswith(f"files/{key}/")]
        log(f"文件 {key}：{len(inside)} 个，{human_size(sum(entry['size'] for entry in inside))}")
    log("校验通过：每个文件的大小和 SHA-256 与清单一致，数据库可以打开。")


def restore_backup(path, *, using="default", replace=False, log=print):
    """Brings the archive's database and files into this installation, which must be empty unless
    `replace`: then what it holds is deleted first."""
    connection = connections[using]
    engine = databases.engine(connection)
    roots = file_roots()
    if not replace:
        refuse_unless_empty(connection, roots)
    log(f"校验 {path} ……")
    staging_parent = Path(settings.BACKUP_ROOT)
    staging_parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=staging_parent, prefix=".portal-restore-") as staging:
        manifest, dump = read_and_stage_database(path, Path(staging))
        refuse_unless_compatible(manifest, engine)
        log(f"恢复数据库（{databases.ENGINE_NAMES[engine]}）……")
        databases.load(connection, dump)
    if replace:
        for root in roots.values():
            empty_folder(root)
    log("恢复文件……")
    restore_files(path, roots)
    for key, root in roots.items():
        count = sum(1 for entry in manifest["files"] if entry["path"].startswith(f"files/{key}/"))
        log(f"  文件 {key}（{root}）：{count} 个")
    log(f"已恢复 {manifest['created_at']} 的备份。")
    if pending := sorted(known_migrations() - set(manifest["migrations"])):
        log(f"本代码比备份多 {len(pending)} 个迁移：请接着运行 python manage.py migrate。")
    return manifest


def refuse_unless_empty(connection, roots):
    found = databases.content(connection)
    found += [
        f"{key} {'' if isinstance(root, MediaBucket) else '文件夹 '}{root} 中有文件"
        for key, root in roots.items()
        if folder_has_files(root)
    ]
    if found:
        raise BackupError(
            f"只能恢复到空的安装中，而这里已有内容：{'，'.join(found)}。"
            "确要用备份替换现有的全部数据和文件，请加 --replace-existing。"
        )


def refuse_unless_compatible(manifest, engine):
    archived = manifest["database"]["engine"]
    if archived != engine:
        raise BackupError(
            f"这是 {databases.ENGINE_NAMES.get(archived, archived)} 数据库的备份，"
            f"不能恢复到 {databases.ENGINE_NAMES[engine]} 数据库。"
        )
    unknown = sorted(set(manifest["migrations"]) - known_migrations())
    if unknown:
        raise BackupError(
            f"备份来自更新版本的平台，含本代码没有的迁移（{'、'.join(unknown[:5])}等 {len(unknown)} 个）："
            "请先把代码更新到备份时的版本再恢复。"
        )


def known_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def restore_files(path, roots):
    def sink(name):
        parts = PurePosixPath(name).parts
        if parts[0] != "files" or parts[1] not in roots:
            return None
        if isinstance(roots[parts[1]], MediaBucket):
            return roots[parts[1]].writer("/".join(parts[2:]))
        target = roots[parts[1]].joinpath(*parts[2:])
        target.parent.mkdir(parents=True, exist_ok=True)
        return target.open("xb")

    # Checked again as they are written: the archive cannot have changed since the first reading unnoticed.
    read_archive(path, sink)


def folder_has_files(root):
    if isinstance(root, MediaBucket):
        return root.has_files()
    return root.is_dir() and any(files for _, _, files in os.walk(root))


def empty_folder(root):
    if isinstance(root, MediaBucket):
        root.empty()
        return
    if not root.is_dir():
        return
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def human_size(size):
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
