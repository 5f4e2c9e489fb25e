from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from home import site_tree


def default_address():
    """Host name and port of WAGTAILADMIN_BASE_URL, the address the site is reached at."""
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return address.hostname or "localhost", address.port or (443 if address.scheme == "https" else 80)


class Command(BaseCommand):
    help = "建立正式站点的页面结构、站点设置和发布审核流程（不含任何虚构内容；可重复运行）。"

    def add_arguments(self, parser):
        hostname, port = default_address()
        parser.add_argument(
            "--hostname", default=hostname, help=f"站点域名（默认 {hostname}，取自 WAGTAILADMIN_BASE_URL）。"
        )
        parser.add_argument("--port", type=int, default=port, help=f"站点端口（默认 {port}）。")

    def handle(self, *args, hostname, port, **options):
        if not 1 <= port <= 65535:
            raise CommandError("端口应在 1 到 65535 之间。")
        with transaction.atomic():
            pages = site_tree.build(lambda message: self.stdout.write(f"  {message}"), hostname=hostname, port=port)
        self.stdout.write(self.style.SUCCESS(f"站点已就绪：首页及 {len(pages) - 1} 个栏目和页面。"))
        self.stdout.write(
            "下一步：运行 `manage.py createsuperuser` 创建管理员；登录后台后在“设置 → 站点设置”中"
            "核对热线、邮箱、办公地址和ICP备案号，并按需修改各栏目的导语。"
        )
