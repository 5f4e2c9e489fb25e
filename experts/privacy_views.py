"""The screens of an expert's rights over their data: 导出本人数据 and 匿名化处理 (see experts.privacy).

Both are for superusers, the city office and a county office for its own experts: an expert out
of the user's scope is a 404, a user of another group a 403.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView
from wagtail.admin.views import generic

from security.audit import audit
from staff.exports import log_export, xlsx_response
from staff.scoping import ensure_in_scope

from . import privacy
from .models import Expert


def expert_for(request, pk):
    expert = ensure_in_scope(request.user, get_object_or_404(Expert.objects.select_related("unit"), pk=pk))
    if not privacy.handles_subject_requests(request.user):
        raise PermissionDenied
    return expert


class SubjectAccessExportView(View):
    """One XLSX workbook with a sheet for each kind of record that names the expert."""

    def get(self, request, pk):
        expert = expert_for(request, pk)
        sheets = privacy.subject_access_sheets(expert)
        rows = sum(len(sheet.rows) for sheet in sheets)
        log_export(
            request,
            privacy.SUBJECT_ACCESS,
            Expert,
            f"导出本人数据（专家编号 {expert.pk}）",
            rows,
            format="xlsx",
            expert=expert.pk,
        )
        audit(request, expert, privacy.SUBJECT_ACCESS, rows=rows)
        stamp = f"{timezone.localdate():%Y%m%d}"
        return xlsx_response(sheets, f"本人数据-{expert.name}-{stamp}.xlsx", f"subject-access-{expert.pk}-{stamp}.xlsx")


class AnonymiseForm(forms.Form):
    basis = forms.CharField(
        label="申请依据",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="例如：本人于2026年5月20日书面申请删除个人信息（申请书存档编号）。",
        error_messages={"required": "请填写申请依据。"},
    )
    confirm = forms.BooleanField(
        label="我已核实本人申请，知悉匿名化处理后无法恢复",
        error_messages={"required": "请勾选确认：匿名化处理不可撤销。"},
    )


class AnonymiseView(generic.base.WagtailAdminTemplateMixin, FormView):
    """匿名化处理: a confirm screen listing what happens, or why it may not happen yet."""

    form_class = AnonymiseForm
    template_name = "experts/admin/anonymise.html"
    header_icon = "warning"
    page_title = "匿名化处理"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.expert = expert_for(request, kwargs["pk"])

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("experts:index"), "label": "专家人才"},
            {"url": reverse("experts:inspect", args=[self.expert.pk]), "label": self.expert.name},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "expert": self.expert,
            "refusals": privacy.refusals(self.expert),
            "linking_pages": privacy.pages_linking_profiles(self.expert),
            "action_url": self.request.get_full_path(),
            "submit_button_label": "确认匿名化处理",
        }

    def form_valid(self, form):
        linking_pages = privacy.pages_linking_profiles(self.expert)
        try:
            expert = privacy.anonymise(self.expert, self.request, basis=form.cleaned_data["basis"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, f"已完成匿名化处理：{expert.name}。")
        if linking_pages:
            titles = "、".join(f"“{page}”" for page in linking_pages)
            messages.warning(
                self.request, f"以下页面曾链接该专家的公开简介，请编辑人员检查正文中是否还有其姓名：{titles}。"
            )
        return redirect(reverse("experts:inspect", args=[expert.pk]))
