from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Page

from base.demo import DEMO_TWO_FACTOR_NOTE, DemoContext
from base.models import DemoDataset

# Each app that has demo content adds its builder here, in dependency order.
BUILDERS = [
    "base.demo",
    "home.demo",
    "experts.demo",
    "experts.demo_pages",
    "spotlight.demo",
    "honours.demo",
    "news.demo",
    "services.demo",
    "home.demo_front",
    "intake.demo",
    "liaison.demo",
    "care.demo",
    "guidance.demo",
    "innovation.demo",
    "consulting.demo",
    "publicity.demo",
    "inbox.demo",
]


def has_foreign_content():
    """True when the database holds pages or users this command did not make."""
    if DemoDataset.objects.exists():
        return False
    stock_welcome_page = Page.objects.filter(depth=2, content_type__app_label="wagtailcore")
    other_pages = Page.objects.filter(depth__gte=2).exclude(pk__in=stock_welcome_page)
    return other_pages.exists() or get_user_model().objects.exists()


class Command(BaseCommand):
    help = "生成虚构的演示站点（幂等：重复运行只补充缺少的内容）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="即使数据库中已有非演示内容也继续加载。",
        )
        parser.add_argument(
            "--allow-demo-without-debug",
            action="store_true",
            help="在未开启 DEBUG 的服务器（正式环境设置）上也加载演示内容和公开密码的演示账号。",
        )

    def handle(self, *args, force=False, allow_demo_without_debug=False, **options):
        # The demo's logins, a superuser among them, share one password printed in the README.
        if not settings.DEBUG and not allow_demo_without_debug:
            raise CommandError(
                "当前为正式环境设置（DEBUG 未开启）：演示内容会创建密码公开的管理员等虚构账号，已停止。"
                "正式站点请运行 setup_site 和 createsuperuser；确为演示服务器，请加 --allow-demo-without-debug。"
            )
        if has_foreign_content() and not force:
            raise CommandError("数据库中已有非演示内容，为避免混入虚构数据，已停止。确需加载演示内容，请加 --force。")
        demo = DemoContext(stdout=self.stdout)
        with transaction.atomic():
            for module_path in BUILDERS:
                self.stdout.write(f"演示内容：{module_path}")
                import_module(module_path).build(demo)
            DemoDataset.objects.update_or_create(pk=1)

        self.stdout.write(self.style.SUCCESS("演示内容已就绪。演示账号（仅供本地体验）："))
        for role, username, password in demo.logins:
            self.stdout.write(f"  {role}：用户名 {username}  密码 {password}")
        self.stdout.write(f"  {DEMO_TWO_FACTOR_NOTE}")
