"""Forms of leaders, their offices and pairings. Every choice offered is one the user may use;
a row outside their scope posted by hand is refused next to its field."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from base.forms import GroupedModelChoiceField
from experts.forms import LevelScopedFormMixin
from experts.models import Expert
from experts.widgets import ExpertChooser
from programme.forms import ExpertChoiceField
from staff.levels import Level
from staff.roles import LEADER_OFFICES, LEADERS
from staff.scoping import ALL_LEVELS, visible_rows

from .. import services
from ..models import Leader, LeaderOffice, Pairing
from ..scoping import office_level


def levels_for(user):
    """The levels a talent office may give a leader or an office: every level for the city, its own for a county."""
    level = office_level(user)
    return [(value, label) for value, label in Level.choices if level is ALL_LEVELS or value == level]


def user_label(user):
    return f"{user.get_full_name() or user.get_username()}（{user.get_username()}）"


class OfficeLevelFormMixin(LevelScopedFormMixin):
    """The level offered and accepted follows the user's talent office (liaison.scoping.office_level)."""

    level_refused = "您只能登记本属地的领导和办公室。"

    def levels_offered(self):
        return levels_for(self.for_user)


class LeaderForm(OfficeLevelFormMixin, WagtailAdminModelForm):
    class Meta:
        model = Leader
        fields = ["name", "post", "body", "level", "active", "user", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Active logins of the 领导 group not linked to another leader; the leader's own stays listed.
        taken = Leader.objects.exclude(pk=self.instance.pk).filter(user__isnull=False).values("user")
        free = Q(is_active=True, groups__name=LEADERS) & ~Q(pk__in=taken)
        field = self.fields["user"]
        field.queryset = get_user_model().objects.filter(free | Q(pk=self.instance.user_id)).distinct()
        field.queryset = field.queryset.order_by("username")
        field.label_from_instance = user_label
        field.error_messages["invalid_choice"] = f"只能选择“{LEADERS}”组中尚未关联其他领导的在用账号。"

    def clean_level(self):
        level = super().clean_level()
        if self.instance.pk and level != self.instance.level and self.instance.pairings.exists():
            raise ValidationError("该领导已有结对记录，不能更改属地。")
        return level


class LeaderOfficeForm(OfficeLevelFormMixin, WagtailAdminModelForm):
    class Meta:
        model = LeaderOffice
        fields = ["body", "level", "members"]
        widgets = {"members": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = Q(is_active=True, groups__name=LEADER_OFFICES)
        if self.instance.pk:
            members |= Q(pk__in=self.instance.members.values("pk"))
        field = self.fields["members"]
        field.queryset = get_user_model().objects.filter(members).distinct().order_by("username")
        field.label_from_instance = user_label
        field.error_messages["invalid_choice"] = f"只能选择“{LEADER_OFFICES}”组的在用账号。"

    def clean(self):
        cleaned_data = super().clean()
        body, level = cleaned_data.get("body"), cleaned_data.get("level")
        if body and level and LeaderOffice.objects.filter(body=body, level=level).exclude(pk=self.instance.pk).exists():
            self.add_error("body", "该班子的办公室已登记。")
        return cleaned_data


class PairingForm(WagtailAdminModelForm):
    """A new pairing: an active leader and an active expert the user may use, and the start date."""

    leader = GroupedModelChoiceField(Leader.objects.none(), label="联系领导", group_by=lambda leader: leader.body_name)
    expert = ExpertChoiceField(
        Expert.objects.none(),
        label="专家",
        widget=ExpertChooser(),
        error_messages={"required": "请选择专家。", "invalid_choice": "该专家不在您可管理的范围内，请从列表中选择。"},
    )

    class Meta:
        model = Pairing
        fields = ["leader", "expert", "started_on"]
        widgets = {"started_on": AdminDateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        leaders = visible_rows(self.for_user, Leader)
        experts = visible_rows(self.for_user, Expert)
        # Leaders who left and removed experts still validate, so that check_new_pairing can say why
        # they are refused; only the others are offered (the chooser offers the experts in the database).
        self.fields["leader"].queryset = leaders
        self.fields["leader"].offer_only(leaders.filter(active=True).in_plan_order())
        self.fields["leader"].error_messages["invalid_choice"] = "该领导不在您可管理的范围内，请从列表中选择。"
        self.fields["expert"].queryset = self.fields["expert"].widget.experts = experts

    def clean(self):
        cleaned_data = super().clean()
        leader, expert = cleaned_data.get("leader"), cleaned_data.get("expert")
        if leader and expert:
            try:
                services.check_new_pairing(leader, expert, cleaned_data.get("started_on"))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


class PairingStartForm(WagtailAdminModelForm):
    """The edit form: only the start date can be corrected; a pairing's end goes through EndPairingForm."""

    class Meta:
        model = Pairing
        fields = ["started_on"]
        widgets = {"started_on": AdminDateInput}

    def clean_started_on(self):
        started_on = self.cleaned_data["started_on"]
        if started_on > timezone.localdate():
            raise ValidationError("开始日期不能晚于今天。")
        if self.instance.ended_on and started_on > self.instance.ended_on:
            raise ValidationError(f"开始日期不能晚于结束日期（{self.instance.ended_on:%Y-%m-%d}）。")
        return started_on


class EndPairingForm(forms.Form):
    ended_on = forms.DateField(label="结束日期", widget=AdminDateInput, error_messages={"required": "请填写结束日期。"})
    note = forms.CharField(
        label="结束原因",
        max_length=Pairing._meta.get_field("end_note").max_length,
        error_messages={"required": "请填写结束原因。"},
        help_text="例如：领导职务调整、专家调离本市。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()

    def clean_ended_on(self):
        ended_on = self.cleaned_data["ended_on"]
        if ended_on > timezone.localdate():
            raise ValidationError("结束日期不能晚于今天。")
        return ended_on
