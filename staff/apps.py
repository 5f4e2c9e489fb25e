from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class StaffConfig(AppConfig):
    default = True
    name = "staff"
    verbose_name = "工作人员"


class StaffUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's users app with our user forms, which add the staff member's level."""

    user_viewset = "staff.viewsets.StaffUserViewSet"
