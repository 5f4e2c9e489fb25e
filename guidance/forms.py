"""The party development form: the milestones in order, and no file for an expert already a member."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from experts.models import PoliticalStatus
from programme.forms import ExpertRecordForm

from .models import MILESTONES, OPENED_ON, PartyDevelopment

ALREADY_MEMBER = "该专家的政治面貌已是中共党员，无需建立发展党员档案。"
ALREADY_FILED = "该专家已有发展党员档案，请在原档案中更新。"


class PartyDevelopmentForm(ExpertRecordForm):
    class Meta:
        model = PartyDevelopment
        fields = ["expert", "date", "contact_person", *MILESTONES, "note"]
        labels = {"date": OPENED_ON}
        help_texts = {
            "applied_on": "递交入党申请书的日期。",
            "activist_on": "确定为入党积极分子的日期。",
            "candidate_on": "确定为发展对象的日期。",
            "probationary_on": "接收为预备党员的日期。",
            "full_member_on": "预备党员转为正式党员的日期。",
        }

    def fields_before_milestones(self):
        names = list(self.fields)
        return [self[name] for name in names[: names.index(MILESTONES[0])]]

    def fields_after_milestones(self):
        names = list(self.fields)
        return [self[name] for name in names[names.index(MILESTONES[-1]) + 1 :]]

    def milestone_fields(self):
        return [self[name] for name in MILESTONES]

    def clean_expert(self):
        expert = self.cleaned_data["expert"]
        if expert.pk == self.instance.expert_id:
            return expert  # a file kept on after its expert became a member
        if expert.political_status == PoliticalStatus.CPC_MEMBER:
            raise ValidationError(ALREADY_MEMBER)
        if PartyDevelopment.objects.filter(expert=expert).exists():
            raise ValidationError(ALREADY_FILED)
        return expert

    def clean(self):
        cleaned_data = super().clean()
        today = timezone.localdate()
        previous = None  # (label, date) of the milestone before
        for name in MILESTONES:
            if name in self.errors:
                return cleaned_data  # an unreadable date: nothing to compare the later ones with
            date, label = cleaned_data.get(name), self.fields[name].label
            if date and date > today:
                self.add_error(name, f"“{label}”的日期不能晚于今天。")
            elif date and previous and previous[1] is None:
                self.add_error(name, f"请先填写“{previous[0]}”的日期：发展党员须按顺序逐步登记。")
            elif date and previous and date < previous[1]:
                self.add_error(name, f"不能早于“{previous[0]}”的日期（{previous[1]:%Y-%m-%d}）。")
            previous = (label, date)
        return cleaned_data
