"""Helpers for the data migrations that grant the staff groups permissions on an app's models.

Migrations import these forever, so the signatures stay as they are. They work on the
historical models from `apps` only: never import app models here.
"""


def grant_permissions(apps, group_names, app_label, model_names, actions):
    """Give each group the permission for each action on each model (e.g. "change" on "expert").

    Creates what a fresh database lacks at this point: the groups, the content types and the
    permissions, named as the model declares them in `Meta.permissions`, else as Django names
    its default ones ("Can change 专家人才").
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    permissions = []
    for model_name in model_names:
        opts = apps.get_model(app_label, model_name)._meta
        declared_names = dict(opts.permissions)
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=opts.model_name)
        for action in actions:
            codename = f"{action}_{opts.model_name}"
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": declared_names.get(codename, f"Can {action} {opts.verbose_name_raw}")},
            )
            permissions.append(permission)
    for group_name in group_names:
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*permissions)


def revoke_permissions(apps, group_names, app_label, model_names, actions):
    """Undo `grant_permissions` with the same arguments; groups, content types and permissions stay."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    model_names = [apps.get_model(app_label, model_name)._meta.model_name for model_name in model_names]
    permissions = Permission.objects.filter(
        content_type__app_label=app_label,
        content_type__model__in=model_names,
        codename__in=[f"{action}_{model_name}" for model_name in model_names for action in actions],
    )
    for group in Group.objects.filter(name__in=group_names):
        group.permissions.remove(*permissions)


def name_declared_permissions(apps, app_label, model_names):
    """Give the permissions that the models declare in `Meta.permissions` the names declared there.

    For databases where `grant_permissions` created them, under Django's default pattern, before
    it took names from the model: Django's post_migrate never renames a permission it finds.
    """
    Permission = apps.get_model("auth", "Permission")
    for model_name in model_names:
        opts = apps.get_model(app_label, model_name)._meta
        for codename, name in opts.permissions:
            Permission.objects.filter(
                content_type__app_label=app_label, content_type__model=opts.model_name, codename=codename
            ).update(name=name)
