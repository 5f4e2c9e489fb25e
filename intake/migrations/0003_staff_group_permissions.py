from django.db import migrations

# Frozen here, as a migration must be: staff/roles.py names the groups for the code.
# Both offices register and handle items (the level on each member's StaffProfile narrows
# which); only the city office supervises (督办), publishes public answers and keeps the
# shared lists of departments and reply templates. Nobody but a superuser deletes an item.
GRANTS = {
    "市委人才办": {
        "intakeitem": ["add", "change", "view", "supervise"],
        "publicanswer": ["add", "change", "view", "publish"],
        "replytemplate": ["add", "change", "delete", "view"],
        "department": ["add", "change", "view"],
    },
    "县级人才办": {
        "intakeitem": ["add", "change", "view"],
        "publicanswer": ["add", "change", "view"],
        "replytemplate": ["view"],
        "department": ["view"],
    },
}
VERBOSE_NAMES = {
    "intakeitem": "来信来访事项",
    "publicanswer": "公开答复",
    "replytemplate": "答复模板",
    "department": "承办部门",
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for group_name, models in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for model, actions in models.items():
            content_type, _ = ContentType.objects.get_or_create(app_label="intake", model=model)
            for action in actions:
                permission, _ = Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=f"{action}_{model}",
                    defaults={"name": f"Can {action} {VERBOSE_NAMES[model]}"},
                )
                group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GRANTS):
        for model, actions in GRANTS[group.name].items():
            codenames = [f"{action}_{model}" for action in actions]
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="intake", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0002_intake_queue"),
        ("staff", "0002_create_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
