"""Places where Wagtail 8.0.1 shows English that no translation reaches; imported by
base/wagtail_hooks.py, which Wagtail loads before serving the admin."""

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.active_filters import BaseFilterAdapter, register_filter_adapter_class
from wagtail.admin.forms.workflows import WorkflowContentTypeForm
from wagtail.models import Site
from wagtail.sites.views import IndexView as SiteIndexView


class BooleanFilterAdapter(BaseFilterAdapter):
    """An active yes/no filter's pill reads 是/否, not Python's True/False."""

    def get_active_filters(self):
        for active in super().get_active_filters():
            yield active._replace(value=_("Yes") if self.value else _("No"))


register_filter_adapter_class(django_filters.BooleanFilter, BooleanFilterAdapter)

# The sites list labels these columns from their attribute names ("Port", "Site name"); the model's
# fields carry the translated names (端口号, 站点名称).
for column in SiteIndexView.columns:
    if column.name in ("port", "site_name"):
        column.label = Site._meta.get_field(column.name).verbose_name

# The workflow form labels its content-type field from the field's name ("Content types").
WorkflowContentTypeForm.base_fields["content_types"].label = gettext_lazy("Content types")
