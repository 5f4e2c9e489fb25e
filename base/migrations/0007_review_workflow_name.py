"""The review workflow is named 发布审核, so that Wagtail's "Submit to …" button reads 提交发布审核
(the project catalogue translates it as 提交%(workflow_name)s) instead of 提交给编辑提交 → 审核 → 终审.
Installs made since create their workflow with this name (0003); this renames it on older ones."""

from django.db import migrations

OLD_NAME = "编辑提交 → 审核 → 终审"
NEW_NAME = "发布审核"


def rename(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=OLD_NAME).update(name=NEW_NAME)


def rename_back(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=NEW_NAME).update(name=OLD_NAME)


class Migration(migrations.Migration):
    dependencies = [("base", "0006_publish_only_through_review")]

    operations = [migrations.RunPython(rename, rename_back)]
