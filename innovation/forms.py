"""The support record's form: the programme's activity form, with the platform type rule and
amounts in yuan refused with a message that says what to type."""

from programme.forms import ActivityForm

from .models import SupportKind, SupportRecord

AMOUNT_MESSAGES = {
    "invalid": "请输入金额数字（单位：元），例如 12000 或 12000.50，不要加逗号或“元”字。",
    "max_decimal_places": "金额最多保留两位小数（到分）。",
    "max_whole_digits": "金额过大：整数部分最多12位，请核对单位是否为元。",
    "max_digits": "金额过大：整数部分最多12位，请核对单位是否为元。",
}


class SupportForm(ActivityForm):
    experts_label = "获得支持的专家"
    experts_help = "支持对象是团队时，选择团队中的专家并填写团队名称。"

    class Meta:
        model = SupportRecord
        fields = [
            "date",
            "kind",
            "platform_type",
            "project",
            "amount",
            "granting_body",
            "team_name",
            "experts",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        amount = self.fields["amount"]
        amount.error_messages.update(AMOUNT_MESSAGES)
        amount.widget.attrs["min"] = "0"

    def clean(self):
        cleaned_data = super().clean()
        kind, platform_type = cleaned_data.get("kind"), cleaned_data.get("platform_type")
        if kind == SupportKind.PLATFORM:
            if not platform_type:
                self.add_error("platform_type", "支持类别为“创新平台建设”时，请选择平台类型。")
            if not cleaned_data.get("project"):
                self.add_error("project", "请填写平台名称。")
        elif kind and platform_type:
            self.add_error("platform_type", "只有“创新平台建设”需要选择平台类型，其他支持类别请留空。")
        return cleaned_data
