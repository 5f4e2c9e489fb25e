"""The five reports' forms: a liaison files or revises a report, an office accepts or sends it back."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from experts.choosers import experts_in_database
from experts.widgets import ExpertChooser
from programme.forms import ExpertChoiceField

from ..models import EventReport


class EventReportForm(WagtailAdminModelForm):
    class Meta:
        model = EventReport
        fields = ["expert", "kind", "event_date", "details"]
        field_classes = {"expert": ExpertChoiceField}  # ids no expert can have are refused before any query
        widgets = {
            "expert": ExpertChooser(),
            "event_date": AdminDateInput,
            "details": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "details": "本人重大健康状况、家庭重大变故两类报告的具体情况，仅市委人才办、所属县级人才办、联系领导和报送人可查看。",
        }
        error_messages = {
            "expert": {
                "required": "请选择专家。",
                "invalid_choice": "只能报送您所联系单位的在库专家，请从列表中选择。",
            },
            "kind": {"required": "请选择报告事项。"},
            "event_date": {"required": "请填写事项发生日期。", "invalid": "请按“年-月-日”填写日期。"},
            "details": {"required": "请填写具体情况。"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The experts they may report on: those in the database they see (a liaison: of their units).
        experts = experts_in_database(self.for_user)
        self.fields["expert"].queryset = self.fields["expert"].widget.experts = experts
        if not experts.exists():
            self.fields["expert"].help_text = "您联系的单位暂无在库专家：请联系所属人才办在单位信息中关联您的账号。"

    def clean_event_date(self):
        event_date = self.cleaned_data["event_date"]
        if event_date > timezone.localdate():
            raise ValidationError("事项发生日期不能晚于今天。")
        return event_date


class AcceptForm(forms.Form):
    comment = forms.CharField(
        label="审核意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="可不填。",
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="退回原因",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="写明需要补充或更正的内容，联络员修改后重新报送。",
        error_messages={"required": "退回时请写明原因，方便联络员修改。"},
    )
