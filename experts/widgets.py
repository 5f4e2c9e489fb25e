"""Form widgets for choosing experts in the expert chooser (experts/choosers.py): one expert (an intake
item's, a pairing's, a public profile's ...) or several (a contact record's, a checkup round's ...)."""

import re

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from wagtail.admin.widgets.chooser import BaseChooser

# From the module, not the package: the public page models (experts.models.pages) use these widgets.
from .models.records import Expert

# An id as a form posts it: plain digits, short enough for a 64-bit key (a longer number makes
# SQLite overflow and PostgreSQL refuse the query).
ID_PATTERN = re.compile(r"[0-9]{1,18}")


def plain_ids(values):
    """The values that could be a row's id, as numbers; anything else left out."""
    return [int(value) for value in values if ID_PATTERN.fullmatch(str(value))]


def chooser_url(purpose):
    url = reverse("expert_chooser:choose")
    return f"{url}?{urlencode({'purpose': purpose})}" if purpose else url


def expert_label(expert, public=False):
    """How a chosen expert reads: the name and, unless only what the expert agreed to publish may
    show (`public`), the unit."""
    shows_unit = expert.public_shows_unit or not public
    return f"{expert.name}（{expert.unit.name}）" if shows_unit else expert.name


class ExpertChooser(BaseChooser):
    """One expert, chosen in the expert chooser opened for `purpose`. It shows only an expert of
    `experts` (given, or set by the form): an id posted by hand, refused, shows as no choice, never
    as another office's expert's name."""

    model = Expert
    choose_one_text = "选择专家"
    choose_another_text = "改选专家"
    icon = "user"
    show_edit_link = False  # not every user who picks an expert may open the expert's record

    def __init__(self, purpose="", experts=None, public=False, **kwargs):
        super().__init__(**kwargs)
        self.purpose, self.public = purpose, public
        self.experts = Expert.objects.none() if experts is None else experts

    def get_chooser_modal_url(self):
        return chooser_url(self.purpose)

    def get_instance(self, value):
        if value is None or isinstance(value, Expert):
            return value
        return self.experts.select_related("unit").filter(pk__in=plain_ids([value])).first()

    def get_display_title(self, instance):
        return expert_label(instance, self.public)  # as the chooser names a newly chosen expert


class ExpertsWidget(forms.Widget):
    """The chosen experts as ticked boxes (untick one to take it out) and a button that opens an
    expert chooser (opened for `purpose`) to add several at once (experts/static/experts/experts_widget.js).
    It shows only the experts in `experts` (set by the form): an id posted by hand never reveals a name.
    The list announces every change with an `experts-changed` event on the widget's element."""

    template_name = "experts/widgets/experts_widget.html"
    allow_multiple_selected = True

    def __init__(self, attrs=None, purpose=""):
        super().__init__(attrs)
        self.purpose = purpose
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
        context["widget"]["choose_url"] = chooser_url(self.purpose)
        return context
