from django.db import migrations

# Frozen here, as a migration must be: staff/roles.py names the groups for the code.
# Both offices keep expert records and units; the level on each member's StaffProfile
# narrows what they see. Deleting an expert is left to superusers: an expert who
# leaves is removed (调出) and keeps their history.
GRANTS = {
    "市委人才办": {"expert": ["add", "change", "view"], "unit": ["add", "change", "delete", "view"]},
    "县级人才办": {"expert": ["add", "change", "view"], "unit": ["add", "change", "delete", "view"]},
}
VERBOSE_NAMES = {"expert": "专家人才", "unit": "工作单位"}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for group_name, models in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for model, actions in models.items():
            content_type, _ = ContentType.objects.get_or_create(app_label="experts", model=model)
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
                *Permission.objects.filter(content_type__app_label="experts", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0004_expert_profile_page"),
        ("staff", "0002_create_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
