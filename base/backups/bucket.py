"""Media in an S3-compatible bucket (S3_BUCKET, base/storage.py), backed up and restored like a
folder: an archive holds them under files/media/ wherever they lived, so an archive from local
media restores into a bucket and the other way round."""

import tempfile

from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages

from . import BackupError

SPOOL_IN_MEMORY = 16 * 1024 * 1024


def media_bucket():
    """The default storage when it is a bucket rather than a folder, else None."""
    storage = storages["default"]
    return None if isinstance(storage, FileSystemStorage) else MediaBucket(storage)


class MediaBucket:
    def __init__(self, storage):
        self.storage = storage
        self.bucket = storage.bucket

    def __str__(self):
        return f"对象存储 s3://{self.storage.bucket_name}"

    def objects(self):
        """Every object, by key: (key, last modified, a readable body)."""
        for summary in sorted(self.bucket.objects.all(), key=lambda item: item.key):
            yield summary.key, summary.last_modified, lambda key=summary.key: self.bucket.Object(key).get()["Body"]

    def has_files(self):
        return any(True for _ in self.bucket.objects.limit(1))

    def empty(self):
        self.bucket.objects.all().delete()

    def writer(self, key):
        """A file that, once closed, is stored under exactly `key` (never renamed)."""
        return _Upload(self.storage, key)


class _Upload(tempfile.SpooledTemporaryFile):
    def __init__(self, storage, key):
        super().__init__(max_size=SPOOL_IN_MEMORY)
        self.storage, self.key = storage, key

    def close(self):
        if self.closed:
            return
        self.seek(0)
        if self.storage.exists(self.key):
            super().close()
            raise BackupError(f"{self.key} 已在对象存储中：恢复只写入空的桶。")
        saved = self.storage.save(self.key, File(self, name=self.key))
        super().close()
        if saved != self.key:
            raise BackupError(f"{self.key} 在对象存储中被存为 {saved}。")
