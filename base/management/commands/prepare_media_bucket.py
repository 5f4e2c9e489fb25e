from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from base.storage import MediaStorage, public_read_policy


class Command(BaseCommand):
    help = (
        "媒体文件放在对象存储（设置了 S3_BUCKET）时：桶不存在则创建，并设置桶策略——"
        "只允许匿名读取图片（images/、original_images/），文档等其余文件只能由平台读取。可重复运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--print-policy", action="store_true", help="只打印桶策略（JSON），不连接对象存储。")

    def handle(self, *args, print_policy=False, **options):
        if not settings.S3_BUCKET:
            raise CommandError("未设置 S3_BUCKET：媒体文件保存在本地文件夹（MEDIA_ROOT），无需准备对象存储。")
        if print_policy:
            self.stdout.write(public_read_policy(settings.S3_BUCKET))
            return
        storage = storages["default"]
        if not isinstance(storage, MediaStorage):
            raise CommandError("设置了 S3_BUCKET，但默认存储不是对象存储：请检查 STORAGES 设置。")
        client = storage.connection.meta.client
        bucket = storage.bucket_name
        try:
            if self.bucket_exists(client, bucket):
                self.stdout.write(f"桶 {bucket} 已存在。")
            else:
                self.create_bucket(client, bucket, storage.region_name)
                self.stdout.write(f"已创建桶 {bucket}。")
            client.put_bucket_policy(Bucket=bucket, Policy=public_read_policy(bucket))
        except (ClientError, BotoCoreError) as error:
            raise CommandError(
                f"无法准备桶 {bucket}：{error}。若对象存储不允许设置桶策略，"
                "请用 --print-policy 打印策略，由存储管理员设置。"
            ) from error
        self.stdout.write("已设置桶策略：只有 images/ 和 original_images/ 可以匿名读取。")

    @staticmethod
    def bucket_exists(client, bucket):
        try:
            client.head_bucket(Bucket=bucket)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchBucket"):
                return False
            raise
        return True

    @staticmethod
    def create_bucket(client, bucket, region):
        # us-east-1 is the one region S3 refuses to be told explicitly.
        if region and region != "us-east-1":
            client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
        else:
            client.create_bucket(Bucket=bucket)
