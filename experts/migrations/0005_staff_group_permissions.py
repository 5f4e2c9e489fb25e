from django.db import migrations

from staff.migration_operations import grant_permissions, revoke_permissions

# Frozen here, as a migration must be: staff/roles.py names the groups for the code.
# Both offices keep expert records and units; the level on each member's StaffProfile
# narrows what they see. Deleting an expert is left to superusers: an expert who
# leaves is removed (调出) and keeps their history.
OFFICES = ["市委人才办", "县级人才办"]
GRANTS = [  # (groups, models, actions)
    (OFFICES, ["expert"], ["add", "change", "view"]),
    (OFFICES, ["unit"], ["add", "change", "delete", "view"]),
]


def grant(apps, schema_editor):
    for groups, models, actions in GRANTS:
        grant_permissions(apps, groups, "experts", models, actions)


def revoke(apps, schema_editor):
    for groups, models, actions in GRANTS:
        revoke_permissions(apps, groups, "experts", models, actions)


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0004_expert_profile_page"),
        ("staff", "0002_create_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
