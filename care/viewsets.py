"""The care chapter's admin: /admin/care/ (its kinds and coverage) and one list per kind."""

from wagtail.admin.ui.tables import Column

from programme.forms import ActivityForm
from programme.models import AttendanceStatus
from programme.viewsets import Chapter, ProgrammeViewSet

from . import kinds, models

chapter = Chapter(kinds.CHAPTER, label="关心关爱", url_prefix="care", icon="pick", menu_order=260)


class CheckupForm(ActivityForm):
    new_status = AttendanceStatus.INVITED
    experts_label = "受邀专家"
    experts_help = "点击“添加专家”可一次选择多位专家。体检后在详情页“登记参加情况”。"

    class Meta:
        model = models.CheckupRound
        fields = ["date", "hospital", "arrangements"]


class RecuperationForm(ActivityForm):
    new_status = AttendanceStatus.INVITED
    experts_label = "安排的专家"
    experts_help = "安排参加本次休假疗养的专家；结束后在详情页“登记参加情况”。"

    class Meta:
        model = models.RecuperationTrip
        fields = ["date", "end_date", "place", "kind"]


class CheckupViewSet(ProgrammeViewSet):
    model = models.CheckupRound
    kind_key = kinds.CHECKUPS.key
    url_prefix = "care/checkups"
    icon = "pick"
    form_class = CheckupForm
    marks_attendance = True
    list_columns = [Column("hospital", label="体检医院")]
    search_fields = ["hospital", "arrangements", "attendances__expert__name"]
    list_export = ["date", "hospital", "arrangements", "level"]
    export_headings = {"date": "日期", "hospital": "体检医院", "arrangements": "分组安排", "level": "登记属地"}


class RecuperationViewSet(ProgrammeViewSet):
    model = models.RecuperationTrip
    kind_key = kinds.RECUPERATION.key
    url_prefix = "care/recuperation"
    icon = "home"
    form_class = RecuperationForm
    marks_attendance = True
    filter_fields = ["kind"]
    list_columns = [
        Column("end_date", label="结束日期", accessor=lambda r: f"{r.end_date:%Y-%m-%d}"),
        Column("place", label="地点"),
        Column("kind", label="形式", accessor="get_kind_display"),
    ]
    search_fields = ["place", "attendances__expert__name"]
    list_export = ["date", "end_date", "place", "kind", "level"]
    export_headings = {"date": "开始日期", "end_date": "结束日期", "place": "地点", "kind": "形式", "level": "登记属地"}


class GreenChannelViewSet(ProgrammeViewSet):
    model = models.GreenChannelRequest
    kind_key = kinds.GREEN_CHANNEL.key
    url_prefix = "care/green-channel"
    icon = "warning"
    form_fields = ["expert", "date", "hospital", "need", "status", "handling"]
    filter_fields = ["status"]
    list_columns = [Column("hospital", label="医院"), Column("status", label="办理状态", accessor="get_status_display")]
    search_fields = ["hospital", "expert__name"]
    list_export = ["date", "expert", "hospital", "need", "status", "handling", "level"]
    export_headings = {
        "date": "日期",
        "expert": "专家",
        "hospital": "医院",
        "need": "需求",
        "status": "办理状态",
        "handling": "办理情况",
        "level": "登记属地",
    }


class LectureViewSet(ProgrammeViewSet):
    model = models.HealthLecture
    kind_key = kinds.LECTURES.key
    url_prefix = "care/lectures"
    icon = "info-circle"
    form_fields = ["date", "topic", "speaker", "place"]
    list_columns = [Column("topic", label="主题"), Column("place", label="地点")]
    search_fields = ["topic", "speaker", "place", "attendances__expert__name"]
    list_export = ["date", "topic", "speaker", "place", "level"]
    export_headings = {"date": "日期", "topic": "主题", "speaker": "主讲人", "place": "地点", "level": "登记属地"}


class FamilySupportViewSet(ProgrammeViewSet):
    model = models.FamilySupport
    kind_key = kinds.FAMILY_SUPPORT.key
    url_prefix = "care/family-support"
    icon = "group"
    form_fields = ["expert", "date", "kind", "description", "outcome", "outcome_note"]
    filter_fields = ["kind", "outcome"]
    list_columns = [
        Column("kind", label="帮扶类别", accessor="get_kind_display"),
        Column("outcome", label="办理结果", accessor="get_outcome_display"),
    ]
    search_fields = ["description", "outcome_note", "expert__name"]
    list_export = ["date", "expert", "kind", "description", "outcome", "outcome_note", "level"]
    export_headings = {
        "date": "日期",
        "expert": "专家",
        "kind": "帮扶类别",
        "description": "帮扶内容",
        "outcome": "办理结果",
        "outcome_note": "结果说明",
        "level": "登记属地",
    }


VIEWSETS = [CheckupViewSet, RecuperationViewSet, GreenChannelViewSet, LectureViewSet, FamilySupportViewSet]
