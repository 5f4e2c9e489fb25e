import itertools

from django import forms
from django.forms.models import ModelChoiceIterator
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    """Wagtail's login form with the labels its template leaves untranslated."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["password"].widget.attrs["placeholder"] = "请输入密码"


class GroupedModelChoiceIterator(ModelChoiceIterator):
    def __init__(self, field, queryset=None):
        super().__init__(field)
        if queryset is not None:
            self.queryset = queryset

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for group, rows in itertools.groupby(self.queryset, key=self.field.group_by):
            yield (group, [self.choice(row) for row in rows])
        yield from self.field.trailing_choices


class GroupedModelChoiceField(forms.ModelChoiceField):
    """A select of rows in groups (<optgroup>) named by `group_by(row)`; the queryset's order must keep
    each group together. `trailing_choices` ((value, label) pairs) follow the groups and are cleaned
    to their value, e.g. an "other" choice that the form then handles."""

    iterator = GroupedModelChoiceIterator

    def __init__(self, queryset, *, group_by, trailing_choices=(), **kwargs):
        self.group_by = group_by
        self.trailing_choices = list(trailing_choices)
        super().__init__(queryset, **kwargs)

    def offer_only(self, queryset):
        """Lists only `queryset`'s rows while still accepting any row of the field's queryset, so that
        the form can say why a row it does not offer (a removed expert, say) is refused."""
        self.widget.choices = self.iterator(self, queryset)

    def is_trailing(self, value):
        return isinstance(value, str) and value in {choice for choice, _ in self.trailing_choices}

    def to_python(self, value):
        return value if self.is_trailing(value) else super().to_python(value)

    def prepare_value(self, value):
        return value if self.is_trailing(value) else super().prepare_value(value)
