from django.apps import AppConfig
from django.db.models.signals import post_migrate
from wagtail.users.apps import WagtailUsersAppConfig


class StaffConfig(AppConfig):
    default = True
    name = "staff"
    verbose_name = "工作人员"

    def ready(self):
        from .permission_names import name_permissions_in_chinese

        post_migrate.connect(name_permissions_in_chinese, dispatch_uid="staff-permission-names-in-chinese")


class StaffUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's users app with our user forms, which add the staff member's level."""

    user_viewset = "staff.viewsets.StaffUserViewSet"
