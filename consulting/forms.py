"""The consulting chapter's forms: a group's lead among its members; a consultation's groups and
the adopting body its adoption needs; a popular-science audience that cannot be negative."""

from django import forms
from django.db.models import Q

from experts.choosers import experts_in_database
from programme.forms import MAX_EXPERTS, ActivityForm, choose_one_expert
from staff.scoping import visible_rows

from .models import ADOPTED, Consultation, GroupMembership, IndustryGroup, PopularScience

GROUP_REFUSED = "只能选择您可以查看的产业发展小组。"


class IndustryGroupForm(ActivityForm):
    experts_label = "小组成员"
    experts_help = "点击“添加专家”可一次选择多位专家；组长须是小组成员。"
    field_order = ["name", "sector", "date", "experts", "lead", "notes"]

    class Meta:
        model = IndustryGroup
        fields = ["name", "sector", "date", "lead", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lead = self.fields["lead"]
        lead.required = True
        lead.help_text = "从小组成员中选择一位。"
        choose_one_expert(self, "lead", self.instance.lead_id, required_message="请选择组长。")

    def clean(self):
        cleaned_data = super().clean()
        lead, members = cleaned_data.get("lead"), cleaned_data.get("experts")
        if lead and members is not None and lead not in members:
            self.add_error("lead", "组长必须是本小组的成员：请先把他（她）加入小组成员。")
        return cleaned_data


class ConsultationForm(ActivityForm):
    """The experts consulted are those chosen and, for each group consulted, its members the user
    may name: they are listed as experts, so the coverage, the timeline and the county's view of
    the record count them like any other."""

    experts_label = "咨询专家"
    experts_help = (
        "点击“添加专家”可一次选择多位专家。选择了产业发展小组时，小组中您负责范围内的在库成员"
        "会在保存时自动列为咨询专家（只有列为咨询专家的才计入覆盖情况）。"
    )
    field_order = ["matter", "stage", "date", "groups", "experts", "advice", "adoption", "adopting_body"]

    class Meta:
        model = Consultation
        fields = ["matter", "stage", "date", "groups", "advice", "adoption", "adopting_body"]
        widgets = {"groups": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].required = False  # a group alone will do
        groups = self.fields["groups"]
        current = Q(pk__in=self.instance.groups.values("pk")) if self.instance.pk else Q(pk__in=[])
        visible = visible_rows(self.for_user, IndustryGroup).values("pk")
        groups.queryset = IndustryGroup.objects.filter(Q(pk__in=visible) | current).order_by("name", "pk")
        groups.error_messages.update({"invalid_choice": GROUP_REFUSED, "invalid_pk_value": GROUP_REFUSED})
        if not groups.queryset.exists():
            groups.help_text = "暂无您可以查看的产业发展小组。"

    def clean(self):
        cleaned_data = super().clean()
        if "experts" in cleaned_data and "groups" in cleaned_data:
            members = experts_in_database(self.for_user).filter(
                pk__in=GroupMembership.objects.filter(activity__in=cleaned_data["groups"]).values("expert_id")
            )
            experts = {*cleaned_data["experts"], *members}
            if not experts:
                self.add_error("experts", "请至少选择一位专家或一个产业发展小组。")
            elif len(experts) > MAX_EXPERTS:
                self.add_error("experts", f"一次最多选择{MAX_EXPERTS}位专家。")
            else:
                cleaned_data["experts"] = experts
        if cleaned_data.get("adoption") in ADOPTED and not cleaned_data.get("adopting_body", "").strip():
            self.add_error("adopting_body", "意见已采纳或部分采纳时，请填写采纳单位。")
        return cleaned_data


class PopularScienceForm(ActivityForm):
    experts_label = "参加专家"

    class Meta:
        model = PopularScience
        fields = ["date", "topic", "place", "audience", "audience_size"]
        error_messages = {"audience_size": {"min_value": "受众人数不能为负数。", "invalid": "请填写整数人数。"}}
