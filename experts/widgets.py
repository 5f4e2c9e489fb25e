"""Form widgets for choosing experts, shared by every record that names several of them (a contact
record, a checkup round, a consultation ...)."""

import re

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from .models import Expert

# An id as a form posts it: plain digits, short enough for a 64-bit key (a longer number makes
# SQLite overflow and PostgreSQL refuse the query).
ID_PATTERN = re.compile(r"[0-9]{1,18}")


def plain_ids(values):
    """The values that could be a row's id, as numbers; anything else left out."""
    return [int(value) for value in values if ID_PATTERN.fullmatch(str(value))]


class ExpertsWidget(forms.Widget):
    """The chosen experts as ticked boxes (untick one to take it out) and a button that opens an
    expert chooser (`choose_url_name`) to add several at once (experts/static/experts/experts_widget.js).
    It shows only the experts in `experts` (set by the form): an id posted by hand never reveals a name.
    The list announces every change with an `experts-changed` event on the widget's element."""

    template_name = "experts/widgets/experts_widget.html"
    allow_multiple_selected = True

    def __init__(self, attrs=None, choose_url_name=None):
        super().__init__(attrs)
        self.choose_url_name = choose_url_name
        self.experts = Expert.objects.none()

    @property
    def media(self):
        return forms.Media(
            js=["wagtailadmin/js/chooser-modal.js", "experts/experts_widget.js"],
            css={"all": ["experts/experts_widget.css"]},
        )

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # unticking every box posts nothing: that is an empty choice, not a missing field

    def format_value(self, value):
        return [str(item) for item in value or []]

    def id_for_label(self, id_):
        return f"{id_}_add" if id_ else id_  # the label names the button that adds experts

    def _render(self, template_name, context, renderer=None):
        # A template of the project's (templates/), which Django's default form renderer does not search.
        return mark_safe(render_to_string(template_name, context))  # noqa: S308 - the template escapes

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        ids = plain_ids(context["widget"]["value"])
        found = {expert.pk: expert for expert in self.experts.filter(pk__in=ids).select_related("unit")}
        context["widget"]["chosen"] = [found[pk] for pk in dict.fromkeys(ids) if pk in found]
        context["widget"]["choose_url"] = reverse(self.choose_url_name)
        return context
