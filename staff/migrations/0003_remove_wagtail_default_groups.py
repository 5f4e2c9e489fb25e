"""Wagtail's migrations create "Moderators" and "Editors" groups, with publish rights on the
whole tree, and a "Moderators approval" workflow. Our groups (staff/0002) and the review
workflow (base/0003) replace them; left in place, anyone put in "Moderators" could publish
without review."""

from django.db import migrations

WAGTAIL_GROUPS = ["Moderators", "Editors"]
WAGTAIL_WORKFLOW = "Moderators approval"


def remove_wagtail_defaults(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Group = apps.get_model("auth", "Group")
    for workflow in Workflow.objects.filter(name=WAGTAIL_WORKFLOW):
        if workflow.workflow_pages.exists() or workflow.workflow_content_types.exists():
            continue  # someone put it to use: keep it
        task_ids = list(workflow.workflow_tasks.values_list("task_id", flat=True))
        workflow.delete()
        Task.objects.filter(pk__in=task_ids, workflow_tasks__isnull=True).delete()
    Group.objects.filter(name__in=WAGTAIL_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0002_create_groups"),
        ("wagtailcore", "0048_add_default_workflows"),
        ("wagtailimages", "0002_initial_data"),
        ("wagtaildocs", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(remove_wagtail_defaults, migrations.RunPython.noop)]
