from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from base.backups import BackupError
from base.backups.archive import create_backup


class Command(BaseCommand):
    help = "把数据库、媒体文件和私有附件备份为一个带时间戳的归档（portal-年月日-时分秒.tar.gz），网站运行时也可以进行。"

    def add_arguments(self, parser):
        parser.add_argument("--output", help="备份写入的文件夹（默认为 BACKUP_ROOT 设置，即 var/backups）。")
        parser.add_argument("--keep", type=int, help="备份成功后只保留该文件夹中最新的 N 个备份，删除更早的。")
        parser.add_argument("--database", default="default", help="要备份的数据库别名（默认 default）。")

    def handle(self, *args, output=None, keep=None, database="default", **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep 至少为 1。")
        try:
            create_backup(output or settings.BACKUP_ROOT, using=database, keep=keep, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(f"备份失败：{error}") from error
        except (OSError, DatabaseError) as error:
            raise CommandError(f"备份失败，未留下归档：{error}") from error
