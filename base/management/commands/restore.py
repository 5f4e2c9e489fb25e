from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from base.backups import BackupError
from base.backups.archive import check_backup, restore_backup


class Command(BaseCommand):
    help = "把 backup 生成的归档恢复到空的安装中（先恢复数据库，再恢复文件）；加 --check 则只校验归档，不做任何改动。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="backup 生成的 .tar.gz 归档。")
        parser.add_argument("--check", action="store_true", help="只校验归档（清单、校验和、数据库能否打开），不恢复。")
        parser.add_argument(
            "--replace-existing",
            action="store_true",
            help="数据库或文件夹中已有内容时也恢复：先删除现有的全部数据和文件，再恢复备份。",
        )
        parser.add_argument("--database", default="default", help="恢复到的数据库别名（默认 default）。")

    def handle(self, *args, archive, check=False, replace_existing=False, database="default", **options):
        try:
            if check:
                check_backup(archive, log=self.stdout.write)
            else:
                restore_backup(archive, using=database, replace=replace_existing, log=self.stdout.write)
        except (BackupError, OSError, DatabaseError) as error:
            raise CommandError(f"{'校验未通过' if check else '恢复失败'}：{error}") from error
