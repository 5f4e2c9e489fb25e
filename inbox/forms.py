from django import forms
from django.core.exceptions import ValidationError

from intake.models import IntakeItem


class HandledForm(forms.Form):
    """已人工处理: what staff did with a message the portal could not register."""

    tracking_number = forms.CharField(
        label="登记的查询号",
        max_length=20,
        required=False,
        help_text="已在事项队列中手工登记的，请填写其查询号，例如 LB20261125-0001；未登记的可不填。",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    note = forms.CharField(
        label="处理说明",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="例如“已电话联系来信人并手工登记”或“广告邮件，无需登记”。",
        error_messages={"required": "请填写处理说明。"},
    )

    def clean_tracking_number(self):
        number = self.cleaned_data["tracking_number"].strip().upper()
        if not number:
            return None
        item = IntakeItem.objects.filter(tracking_number=number).first()
        if item is None:
            raise ValidationError("没有这个查询号的事项，请核对后重新填写。")
        if hasattr(item, "mailbox_message"):
            raise ValidationError("该事项已关联另一封邮件，请核对查询号。")
        return item
