"""Admin of the expert database, grouped in the "专家人才库" menu; registered in wagtail_hooks.py."""

from django.urls import path
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from . import import_views, privacy_views, views
from .forms import ExpertForm, UnitForm
from .models import Expert, Unit


class ExpertViewSet(ModelViewSet):
    model = Expert
    name = "experts"
    icon = "user"
    menu_label = "专家人才"
    inspect_view_enabled = True
    copy_view_enabled = False  # a copy of a person's record is a duplicate by definition
    list_per_page = 20
    ordering = "name"
    search_fields = ["name", "unit__name", "specialty"]  # Django's icontains: any Chinese substring matches
    search_backend_name = None

    index_view_class = views.ExpertIndexView
    add_view_class = views.ExpertCreateView
    edit_view_class = views.ExpertEditView
    inspect_view_class = views.ExpertInspectView
    delete_view_class = views.ScopedDeleteView
    history_view_class = views.ScopedHistoryView
    usage_view_class = views.ScopedUsageView
    inspect_template_name = "experts/admin/expert_inspect.html"
    inspect_view_fields = [
        "name",
        "gender",
        "ethnicity",
        "birth_date",
        "political_status",
        "education",
        "degree",
        "professional_title",
        "title_level",
        "position",
        "specialty",
        "unit",
        "mobile",
        "email",
        "level",
        "talent_team",
        "categories",
        "joined_on",
        "status",
        "notes",
        "public_profile_consent",
        "public_profile_consent_on",
        "public_shows_unit",
        "public_shows_title",
        "updated_at",
    ]

    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("name"), FieldPanel("gender")]),
                    FieldRowPanel([FieldPanel("ethnicity"), FieldPanel("birth_date")]),
                    FieldPanel("political_status"),
                ],
                heading="基本信息",
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("education"), FieldPanel("degree")]),
                    FieldRowPanel([FieldPanel("professional_title"), FieldPanel("title_level")]),
                    FieldRowPanel([FieldPanel("position"), FieldPanel("specialty")]),
                ],
                heading="学历与职称",
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("level"), FieldPanel("unit")]),
                    FieldRowPanel([FieldPanel("mobile"), FieldPanel("email")]),
                ],
                heading="属地、单位与联系方式",
            ),
            MultiFieldPanel(
                [FieldPanel("talent_team"), FieldPanel("categories"), FieldPanel("joined_on"), FieldPanel("notes")],
                heading="人才库信息",
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("public_profile_consent"), FieldPanel("public_profile_consent_on")]),
                    FieldRowPanel([FieldPanel("public_shows_unit"), FieldPanel("public_shows_title")]),
                ],
                heading="公开简介（须本人同意）",
            ),
        ],
        base_form_class=ExpertForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("reveal/<int:pk>/<str:field>/", views.ExpertRevealView.as_view(), name="reveal"),
            path("remove/<int:pk>/", views.RemoveView.as_view(), name="remove"),
            path("restore/<int:pk>/", views.RestoreView.as_view(), name="restore"),
            path("subject-access/<int:pk>/", privacy_views.SubjectAccessExportView.as_view(), name="subject_access"),
            path("anonymise/<int:pk>/", privacy_views.AnonymiseView.as_view(), name="anonymise"),
            path("import/", import_views.ImportView.as_view(), name="import"),
            path("import/template/", import_views.ImportTemplateView.as_view(), name="import_template"),
            path("import/<int:pk>/", import_views.ImportStatusView.as_view(), name="import_status"),
            path("import/<int:pk>/progress/", import_views.ImportProgressView.as_view(), name="import_progress"),
            path("import/<int:pk>/confirm/", import_views.ImportConfirmView.as_view(), name="import_confirm"),
            path("import/<int:pk>/cancel/", import_views.ImportCancelView.as_view(), name="import_cancel"),
        ]


class UnitViewSet(ModelViewSet):
    model = Unit
    name = "experts_unit"
    url_prefix = "experts/units"
    icon = "site"
    menu_label = "工作单位"
    inspect_view_enabled = True
    copy_view_enabled = False
    ordering = "name"
    search_fields = ["name"]
    search_backend_name = None

    index_view_class = views.UnitIndexView
    add_view_class = views.UnitCreateView
    edit_view_class = views.UnitEditView
    inspect_view_class = views.UnitInspectView
    delete_view_class = views.UnitDeleteView
    history_view_class = views.ScopedHistoryView
    usage_view_class = views.ScopedUsageView
    inspect_template_name = "experts/admin/unit_inspect.html"
    inspect_view_fields = ["name", "unit_type", "level", "liaisons"]
    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("unit_type"), FieldPanel("level"), FieldPanel("liaisons")],
        base_form_class=UnitForm,
    )


class YearlyReviewViewSet(ViewSet):
    name = "experts_review"
    url_prefix = "experts/review"
    icon = "tasks"
    menu_label = "年度调整"

    @property
    def menu_item_class(self):
        def is_shown(_self, request):
            return policy_registry.get_by_type(Expert).user_has_permission(request.user, "change")

        return type("YearlyReviewMenuItem", (MenuItem,), {"is_shown": is_shown})

    def get_urlpatterns(self):
        return [path("", views.YearlyReviewView.as_view(), name="index")]


class ExpertDatabaseGroup(ViewSetGroup):
    menu_label = "专家人才库"
    menu_icon = "group"
    menu_order = 200
    items = (ExpertViewSet, UnitViewSet, YearlyReviewViewSet)
