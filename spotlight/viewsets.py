from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SpecialColumn


class SpecialColumnViewSet(SnippetViewSet):
    model = SpecialColumn
    icon = "folder-open-inverse"
    menu_label = "专题专栏"
    menu_name = "special_columns"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "description"]
