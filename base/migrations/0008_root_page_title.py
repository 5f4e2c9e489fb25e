"""Wagtail's tree root is titled "Root", which the page explorer shows to those who may explore it
("正在浏览：Root"); it is no public page, and its title appears nowhere else."""

from django.db import migrations


def retitle(apps, schema_editor):
    apps.get_model("wagtailcore", "Page").objects.filter(depth=1, title="Root").update(title="根目录", draft_title="根目录")


def retitle_back(apps, schema_editor):
    apps.get_model("wagtailcore", "Page").objects.filter(depth=1, title="根目录").update(title="Root", draft_title="Root")


class Migration(migrations.Migration):
    dependencies = [("base", "0007_review_workflow_name"), ("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(retitle, retitle_back)]
