from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .exports import Export, register_export_action
from .guide import GuideView
from .models import ExportLogEntry

GUIDE_MENU_ITEM = "portal-guide"
# Wagtail's own help items kept in the 帮助 menu: the keyboard shortcuts dialog, under a Chinese label.
# Its "What's new" and editor guide items lead to English pages on wagtail.org and are dropped.
KEPT_HELP_ITEMS = {GUIDE_MENU_ITEM: None, "keyboard-shortcuts-trigger": "键盘快捷键"}


@hooks.register("register_log_actions")
def register_export_log(actions):
    actions.register_model(Export, ExportLogEntry)
    register_export_action(actions, "reports.export", "导出报表")


@hooks.register("register_admin_urls")
def register_guide_url():
    return [path("guide/", GuideView.as_view(), name="staff_guide")]


@hooks.register("register_help_menu_item")
def register_guide_menu_item():
    return MenuItem("使用指南", reverse("staff_guide"), name=GUIDE_MENU_ITEM, icon_name="help", order=100)


@hooks.register("construct_help_menu")
def keep_chinese_help_items(request, items):
    items[:] = [item for item in items if item.name in KEPT_HELP_ITEMS]
    for item in items:
        item.label = KEPT_HELP_ITEMS[item.name] or item.label
