from django.db import migrations

from staff.migration_operations import grant_permissions, revoke_permissions

# Frozen here, as a migration must be: staff/roles.py names the groups for the code.
# Both offices register and handle items (the level on each member's StaffProfile narrows
# which); only the city office supervises (督办), publishes public answers and keeps the
# shared lists of departments and reply templates. Nobody but a superuser deletes an item.
CITY_OFFICE = "市委人才办"
COUNTY_OFFICE = "县级人才办"
GRANTS = [  # (groups, models, actions)
    ([CITY_OFFICE, COUNTY_OFFICE], ["intakeitem", "publicanswer"], ["add", "change", "view"]),
    ([CITY_OFFICE, COUNTY_OFFICE], ["replytemplate", "department"], ["view"]),
    ([CITY_OFFICE], ["intakeitem"], ["supervise"]),
    ([CITY_OFFICE], ["publicanswer"], ["publish"]),
    ([CITY_OFFICE], ["replytemplate"], ["add", "change", "delete"]),
    ([CITY_OFFICE], ["department"], ["add", "change"]),
]


def grant(apps, schema_editor):
    for groups, models, actions in GRANTS:
        grant_permissions(apps, groups, "intake", models, actions)


def revoke(apps, schema_editor):
    for groups, models, actions in GRANTS:
        revoke_permissions(apps, groups, "intake", models, actions)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0002_intake_queue"),
        ("staff", "0002_create_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
