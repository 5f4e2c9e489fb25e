"""What the admin's expert choosers share (the intake's and the contact record's): the search form
and the columns. Each chooser decides which experts it offers."""

from wagtail.admin.ui.tables import Column

from .filters import ExpertSearchForm


class ExpertChooserListMixin:
    filter_form_class = ExpertSearchForm

    @property
    def columns(self):
        name, *others = super().columns
        name.label = "姓名"
        return [name, *others, Column("unit", label="工作单位"), Column("get_level_display", label="属地")]
