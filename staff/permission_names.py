"""Permission names in Chinese, as the group editor lists them.

Django names the permissions it creates "Can add page" (from the untranslated verbose name) and
Wagtail stores its own in English; neither renames a permission later. After every migrate, each
app's permissions named so are renamed: by the translation of their English name where there is
one (Wagtail's "Publish any page"), else, for an action on the model (add, change, delete, view,
choose, lock, unlock, publish), 可 + the verb + the model's verbose name. Names set in Chinese stay.
"""

import re

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.utils import translation
from django.utils.translation import gettext

VERBS = {
    "add": "添加",
    "change": "修改",
    "delete": "删除",
    "view": "查看",
    "choose": "选择",
    "lock": "锁定",
    "unlock": "解锁",
    "publish": "发布",
}
ENGLISH = re.compile(r"^Can |^[\x00-\x7f]+$")


def chinese_name(permission):
    """The Chinese name of a permission, or None to leave it as it is."""
    if not ENGLISH.search(permission.name):
        return None
    translated = gettext(permission.name)
    if translated != permission.name:
        return translated
    model = permission.content_type.model_class()
    action, _, model_name = permission.codename.partition("_")
    if model is not None and action in VERBS and model_name == model._meta.model_name:
        return f"可{VERBS[action]}{model._meta.verbose_name}"
    return None


def name_permissions_in_chinese(app_config, using="default", apps=None, **kwargs):
    """The post_migrate handler: creates the app's permissions first, as Django would after this
    handler, then renames every app's, since others (Wagtail's snippets) add some for all apps."""
    create_permissions(app_config, using=using, apps=apps or app_config.apps, verbosity=0)
    from django.contrib.auth.models import Permission

    with translation.override(settings.LANGUAGE_CODE):
        for permission in Permission.objects.using(using).select_related("content_type"):
            name = chinese_name(permission)
            if name and name != permission.name:
                permission.name = name[: Permission._meta.get_field("name").max_length]
                permission.save(update_fields=["name"])
