"""The intake queue in the admin: county isolation, filters, search, escaping, steps, exports, statistics."""

import datetime
import importlib
import io
from urllib.parse import quote

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from intake import workflow
from intake.models import Channel, Department, IntakeItem, IntakeLogEntry, Kind, ReplyTemplate, Satisfaction, Status
from staff.levels import Level
from staff.models import ExportLogEntry
from staff.roles import CITY_OFFICE, COUNTY_OFFICE
from tests.intake_builders import at, make_staff, new_item, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return make_staff("city", Level.CITY, CITY_OFFICE, first_name="市", last_name="办")


@pytest.fixture
def xiangzhou():
    return make_staff("xiangzhou", Level.XIANGZHOU, COUNTY_OFFICE)


@pytest.fixture
def items():
    return {
        level: new_item(level=level, subject=f"{label}的事项")[0]
        for level, label in Level.choices
        if level in ("city", "xiangzhou", "wuxuan")
    }


def url(name, *args):
    return reverse(f"intake_item:{name}", args=args)


def denied(response):
    """Wagtail answers a refused admin view with a redirect to the dashboard and a message."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def listed(client, query=""):
    html = client.get(url("index") + query).content.decode()
    return {item.tracking_number for item in IntakeItem.objects.all() if item.tracking_number in html}


def test_city_staff_see_every_level_and_county_staff_only_theirs(client, city, xiangzhou, items):
    client.force_login(city)
    assert listed(client) == {item.tracking_number for item in items.values()}
    client.force_login(xiangzhou)
    assert listed(client) == {items[Level.XIANGZHOU].tracking_number}


@pytest.mark.parametrize(
    "path",
    [
        lambda pk: url("inspect", pk),
        lambda pk: url("edit", pk),
        lambda pk: url("action", pk, "accept"),
        lambda pk: url("attachment", pk),
        lambda pk: url("history", pk),
        lambda pk: url("usage", pk),
    ],
)
def test_another_countys_item_does_not_exist_for_county_staff(client, xiangzhou, items, path):
    client.force_login(xiangzhou)
    other = items[Level.WUXUAN]
    assert client.get(path(other.pk)).status_code == 404
    assert client.post(url("action", other.pk, "accept"), {"note": ""}).status_code == 404
    assert client.post(url("reissue_code", other.pk)).status_code == 404
    assert IntakeItem.objects.get(pk=other.pk).status == Status.NEW


def test_a_user_without_a_level_sees_nothing(client, items):
    nobody = make_staff("nobody", group=COUNTY_OFFICE)
    client.force_login(nobody)
    assert listed(client) == set()
    assert client.get(url("inspect", items[Level.CITY].pk)).status_code == 404


def test_staff_who_may_only_view_an_item_cannot_handle_it(client, items):
    viewer = make_staff("viewer", Level.XIANGZHOU)
    viewer.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", "view_intakeitem"]))
    own, other = items[Level.XIANGZHOU], items[Level.WUXUAN]
    client.force_login(viewer)
    assert client.get(url("inspect", own.pk)).status_code == 200
    assert client.get(url("inspect", other.pk)).status_code == 404
    for name in ("reissue_code", "link_expert", "draft_answer"):
        assert denied(client.post(url(name, own.pk)))
        assert client.post(url(name, other.pk)).status_code == 404
    assert denied(client.get(url("edit", own.pk)))
    assert denied(client.post(url("action", own.pk, "accept"), {"note": ""}))
    assert IntakeItem.objects.get(pk=own.pk).status == Status.NEW


def test_only_the_city_office_supervises(client, city, xiangzhou, items):
    own = items[Level.XIANGZHOU]
    client.force_login(xiangzhou)
    assert denied(client.get(url("action", own.pk, "supervise")))
    assert denied(client.post(url("action", own.pk, "supervise"), {"comment": "越权督办"}))
    assert "督办</a>" not in client.get(url("inspect", own.pk)).content.decode()
    client.force_login(city)
    response = client.post(url("action", own.pk, "supervise"), {"comment": "请三日内反馈"})
    assert response.status_code == 302
    assert IntakeItem.objects.get(pk=own.pk).supervised


def test_html_in_an_item_is_shown_as_text_in_the_admin(client, city):
    item, _ = new_item(
        subject="<script>alert('s')</script>", message="<img src=x onerror=alert(1)>内容", name="<b>王</b>"
    )
    client.force_login(city)
    for page in (url("index"), url("inspect", item.pk), url("action", item.pk, "accept")):
        html = client.get(page).content.decode()
        assert "<script>alert('s')</script>" not in html
        assert "<img src=x onerror" not in html
        assert "&lt;script&gt;alert(&#x27;s&#x27;)&lt;/script&gt;" in html


def test_filters_narrow_the_queue(client, city, xiangzhou):
    with at(2026, 11, 2):
        late, _ = new_item(subject="迟迟未受理的事项")
    fresh, _ = new_item(subject="刚登记的事项", channel=Channel.LETTER, kind=Kind.SUGGESTION)
    assigned, _ = new_item(subject="已交办的事项")
    workflow.accept(assigned, city)
    workflow.assign(assigned, city, assignee=xiangzhou, due_date=datetime.date.today() + datetime.timedelta(days=30))
    workflow.supervise(assigned, city, "督办")
    client.force_login(city)
    assert listed(client, "?overdue=true") == {late.tracking_number}
    assert listed(client, "?channel=letter") == {fresh.tracking_number}
    assert listed(client, "?kind=suggestion") == {fresh.tracking_number}
    assert listed(client, "?status=assigned") == {assigned.tracking_number}
    assert listed(client, f"?assignee={xiangzhou.pk}") == {assigned.tracking_number}
    assert listed(client, "?level=xiangzhou") == {assigned.tracking_number}
    assert listed(client, "?supervised=true") == {assigned.tracking_number}
    html = client.get(url("index")).content.decode()
    assert "intake-row--overdue" in html and "已超期" in html and "intake-row--supervised" in html


def test_search_finds_chinese_words_inside_longer_text(client, city):
    hospital, _ = new_item(subject="来宾市人民医院设备更新", message="医学影像设备老化，影响诊疗。")
    new_item(subject="高校实验室建设")
    client.force_login(city)
    assert listed(client, "?q=人民医院") == {hospital.tracking_number}
    assert listed(client, "?q=影像") == {hospital.tracking_number}
    assert listed(client, f"?q={hospital.tracking_number}") == {hospital.tracking_number}


def test_the_queue_takes_the_same_number_of_queries_as_it_grows(client, city, xiangzhou):
    # The county's department: an assignee and a department share a level.
    department = Department.objects.create(name="象州县科学技术局", level=Level.XIANGZHOU)
    client.force_login(city)

    def add(count):
        for _ in range(count):
            item, _ = new_item()
            workflow.accept(item, city)
            workflow.assign(item, city, assignee=xiangzhou, department=department, due_date=datetime.date(2099, 1, 1))

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url("index")).status_code == 200
        return len(context)

    add(3)
    few = queries()
    add(20)
    assert queries() == few


def test_staff_enter_a_hotline_call_in_their_county(client, xiangzhou):
    client.force_login(xiangzhou)
    data = {
        "channel": Channel.HOTLINE,
        "level": Level.WUXUAN,  # not theirs: refused
        "kind": Kind.HELP,
        "name": "来电专家",
        "mobile": "13807721111",
        "subject": "来电反映实验用房问题",
        "message": "电话反映：实验用房漏水，影响设备安全。",
    }
    response = client.post(url("add"), data)
    assert response.status_code == 200
    assert not IntakeItem.objects.exists()

    response = client.post(url("add"), {**data, "level": Level.XIANGZHOU}, follow=True)
    item = IntakeItem.objects.get()
    assert (item.channel, item.level, item.status) == (Channel.HOTLINE, Level.XIANGZHOU, Status.NEW)
    assert item.steps.get().actor == xiangzhou
    html = response.content.decode()
    assert item.tracking_number in html and "查询码" in html

    assert client.post(url("add"), {**data, "channel": Channel.WEB, "level": Level.XIANGZHOU}).status_code == 200
    assert IntakeItem.objects.count() == 1


def test_staff_attach_a_scanned_letter_and_its_viewing_is_logged(client, city):
    client.force_login(city)
    data = {
        "channel": Channel.LETTER,
        "level": Level.CITY,
        "kind": Kind.SUGGESTION,
        "name": "写信专家",
        "subject": "来信建议加强人才宣传",
        "message": "来信建议在电视台开设专家人才专栏。",
        "attachment": pdf_upload("来信扫描件.pdf"),
    }
    assert client.post(url("add"), data).status_code == 302
    item = IntakeItem.objects.get()
    response = client.get(url("attachment", item.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert IntakeLogEntry.objects.filter(item=item, action="intake.attachment_viewed").exists()

    fake = SimpleUploadedFile("扫描件.pdf", b"MZ" + b"\x00" * 100)
    response = client.post(url("add"), {**data, "attachment": fake})
    assert "附件只能是PDF、JPEG或PNG文件" in response.content.decode()


def test_steps_through_the_admin(client, city):
    item, _ = new_item()
    client.force_login(city)
    inspect = client.get(url("inspect", item.pk)).content.decode()
    assert url("action", item.pk, "accept") in inspect and url("action", item.pk, "close") not in inspect

    assert client.post(url("action", item.pk, "accept"), {"note": "符合受理条件"}).status_code == 302
    template = ReplyTemplate.objects.create(title="通用答复", body="您好！经研究，现答复如下：")
    response = client.post(url("action", item.pk, "close"), {"template": "", "reply": ""})
    assert "办结必须填写答复意见" in response.content.decode()
    response = client.post(url("action", item.pk, "close"), {"template": template.pk, "reply": ""})
    html = response.content.decode()
    assert "已填入模板内容" in html and "您好！经研究，现答复如下：</textarea>" in html
    assert IntakeItem.objects.get(pk=item.pk).status == Status.ACCEPTED

    client.post(url("action", item.pk, "close"), {"template": template.pk, "reply": "您好！经研究，已解决。"})
    client.post(url("action", item.pk, "follow_up"), {"satisfaction": Satisfaction.SATISFIED, "note": "电话回访"})
    item.refresh_from_db()
    assert (item.status, item.satisfaction) == (Status.FOLLOWED_UP, Satisfaction.SATISFIED)
    history = client.get(url("history", item.pk)).content.decode()
    assert "受理" in history and "办结答复" in history and "回访" in history
    assert client.get(url("index") + "?ordering=deadline").status_code == 200
    # A step that no longer fits the status is turned away with a message.
    response = client.get(url("action", item.pk, "accept"), follow=True)
    assert "不能受理" in response.content.decode()


def test_assigning_needs_someone_and_a_date_from_today(client, city):
    item, _ = new_item()
    workflow.accept(item, city)
    client.force_login(city)
    html = client.post(url("action", item.pk, "assign"), {"due_date": "2020-01-01"}).content.decode()
    assert "请选择承办人或承办部门" in html and "办结期限不能早于今天" in html
    assert IntakeItem.objects.get(pk=item.pk).status == Status.ACCEPTED


def make_expert(name, level, mobile=""):
    from experts.models import Expert, Unit

    unit, _ = Unit.objects.get_or_create(
        name=f"{Level(level).label}测试医院", level=level, defaults={"unit_type": "hospital"}
    )
    return Expert.objects.create(
        name=name,
        gender="male",
        political_status="masses",
        title_level="senior",
        unit=unit,
        mobile=mobile,
        level=level,
        talent_team="professional",
    )


def test_an_item_can_be_linked_to_the_expert_it_concerns(client, city):
    expert = make_expert("覃专家", Level.CITY, mobile="13807720002")
    item, _ = new_item(name="覃专家", mobile="13807720002")
    client.force_login(city)
    assert "覃专家（市本级测试医院" in client.get(url("inspect", item.pk)).content.decode()
    client.post(url("link_expert", item.pk), {"expert": expert.pk})
    assert IntakeItem.objects.get(pk=item.pk).expert == expert


def test_the_expert_chooser_offers_only_the_users_levels(client, xiangzhou):
    own = make_expert("象州专家", Level.XIANGZHOU)
    other = make_expert("武宣专家", Level.WUXUAN)
    client.force_login(xiangzhou)
    purpose = {"purpose": "intake"}
    html = client.get(reverse("expert_chooser:choose"), purpose).json()["html"]
    assert "象州专家" in html and "武宣专家" not in html
    results = client.get(reverse("expert_chooser:choose_results"), {**purpose, "q": "象州"}).content.decode()
    assert "象州专家" in results
    assert (
        "武宣专家"
        not in client.get(reverse("expert_chooser:choose_results"), {**purpose, "q": "武宣"}).content.decode()
    )
    assert client.get(reverse("expert_chooser:chosen", args=[other.pk]), purpose).status_code == 404
    assert client.get(reverse("expert_chooser:chosen", args=[own.pk]), purpose).status_code == 200
    chosen = client.get(reverse("expert_chooser:chosen_multiple"), {**purpose, "id": [own.pk, other.pk]}).json()
    assert [item["title"] for item in chosen["result"]] == [f"象州专家（{own.unit.name}）"]

    item, _ = new_item(level=Level.XIANGZHOU)
    data = {
        "level": Level.XIANGZHOU,
        "kind": item.kind,
        "name": item.name,
        "mobile": item.mobile,
        "subject": item.subject,
        "message": item.message,
        "expert": other.pk,  # a crafted post: refused
    }
    assert client.post(url("edit", item.pk), data).status_code == 200
    assert IntakeItem.objects.get(pk=item.pk).expert is None
    assert client.post(url("edit", item.pk), {**data, "expert": own.pk}).status_code == 302
    assert IntakeItem.objects.get(pk=item.pk).expert == own


def test_what_an_expert_sent_online_cannot_be_rewritten(client, city):
    item, _ = new_item(channel=Channel.WEB, subject="原始主题", message="专家在网上提交的原话，不可修改。")
    client.force_login(city)
    data = {
        "level": Level.XIANGZHOU,
        "kind": Kind.SUGGESTION,
        "name": "改过的名字",
        "subject": "改过的主题",
        "message": "改过的内容改过的内容",
    }
    assert client.post(url("edit", item.pk), data).status_code == 302
    item.refresh_from_db()
    assert (item.subject, item.name) == ("原始主题", "覃测试")
    assert (item.kind, item.level) == (Kind.SUGGESTION, Level.XIANGZHOU)  # how it is filed may change
    assert IntakeLogEntry.objects.filter(item=item, action="wagtail.edit").exists()


def test_the_queue_exports_to_xlsx_masked_and_logged(client, city):
    new_item(name="导出专家", mobile="13807723456", email="export@example.cn")
    client.force_login(city)
    response = client.get(url("index") + "?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["查询号", "登记时间", "渠道"]
    assert "热线电话" in rows[1]
    assert "138****3456 e***@example.cn" in rows[1]
    assert "13807723456" not in str(rows)
    entry = ExportLogEntry.objects.get(action="intake.export")
    assert (entry.user, entry.level, entry.data["rows"]) == (city, Level.CITY, 1)
    client.force_login(make_staff("root", is_superuser=True))
    history = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "导出来信来访事项（XLSX）" in history and "已导出 1 条" in history


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_queue_downloads_under_its_chinese_name_with_an_ascii_fallback(client, city, export_format):
    new_item()
    client.force_login(city)
    response = client.get(url("index") + f"?export={export_format}")
    assert response["Content-Disposition"] == (
        f'attachment; filename="intake-items.{export_format}"; '
        f"filename*=UTF-8''{quote(f'来信来访事项.{export_format}')}"
    )


def test_the_queue_csv_starts_with_a_bom_so_that_excel_reads_the_chinese(client, city):
    new_item()
    client.force_login(city)
    content = b"".join(client.get(url("index") + "?export=csv").streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    assert "查询号" in content.splitlines()[0]


def test_a_county_sees_its_own_exports_in_site_history_and_not_the_citys(client, city, xiangzhou, items):
    client.force_login(xiangzhou)
    client.get(url("index") + "?export=csv")
    client.force_login(city)
    client.get(url("index") + "?export=xlsx")
    client.force_login(xiangzhou)
    history = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "导出来信来访事项（CSV）" in history and "已导出 1 条" in history
    assert "导出来信来访事项（XLSX）" not in history


def test_site_history_shows_a_county_only_the_items_of_its_level(client, city, xiangzhou, items):
    site_history = reverse("wagtailadmin_reports:site_history")
    client.force_login(xiangzhou)
    history = client.get(site_history).content.decode()
    assert items["xiangzhou"].tracking_number in history and "象州县的事项" in history
    assert "市本级的事项" not in history and "武宣县的事项" not in history
    client.force_login(city)
    history = client.get(site_history).content.decode()
    assert all(item.subject in history for item in items.values())


def test_an_items_log_follows_it_to_the_county_it_is_assigned_to(city, xiangzhou, items):
    item = items["city"]
    assert set(IntakeLogEntry.objects.viewable_by_user(xiangzhou).values_list("item", flat=True)) == {
        items["xiangzhou"].pk
    }
    workflow.accept(item, city)
    workflow.assign(item, city, assignee=xiangzhou, due_date=datetime.date(2099, 1, 1))
    visible = IntakeLogEntry.objects.viewable_by_user(xiangzhou)
    assert list(visible.filter(item=item).order_by("pk").values_list("action", flat=True)) == [
        "intake.received",
        "intake.accepted",
        "intake.assigned",
    ]
    assert not ModelLogEntry.objects.exists()  # nothing of an item in Wagtail's unscoped table


def test_entries_logged_before_the_intake_log_existed_move_into_it(items):
    item = items["xiangzhou"]
    IntakeLogEntry.objects.all().delete()
    ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(IntakeItem),
        object_id=str(item.pk),
        label=str(item),
        action="intake.received",
        timestamp=timezone.now(),
    )
    migration = importlib.import_module("intake.migrations.0005_intake_log_entries")
    migration.move_to_intake_log(django_apps, None)
    assert not ModelLogEntry.objects.exists()
    assert list(IntakeLogEntry.objects.values_list("item", "label", "action")) == [
        (item.pk, str(item), "intake.received")
    ]


def test_monthly_statistics_on_screen_and_as_xlsx(client, city):
    with at(2026, 10, 9):
        quick, _ = new_item(channel=Channel.LETTER, kind=Kind.SUGGESTION)
        slow, _ = new_item()
        new_item()  # still waiting
        for item in (quick, slow):
            workflow.accept(item, city)
    with at(2026, 10, 13):
        workflow.close(quick, city, "已答复")
        workflow.follow_up(quick, city, satisfaction=Satisfaction.SATISFIED)
    with at(2026, 10, 30):  # after its 15-working-day deadline (10-29)
        workflow.close(slow, city, "已答复")
        workflow.follow_up(slow, city, satisfaction=Satisfaction.DISSATISFIED)

    client.force_login(city)
    response = client.get(reverse("intake_statistics:index") + "?month=2026-10")
    rows = {heading: dict(pairs) for heading, pairs in response.context["rows"]}
    assert rows["本月登记"]["登记总数"] == 3
    assert rows["按渠道"]["信函"] == 1 and rows["按渠道"]["热线电话"] == 2
    assert rows["按当前状态（本月登记的事项）"]["待受理"] == 1
    timing = rows["办理时效（本月办结的事项）"]
    assert timing["办结数"] == 2
    # 3 working days (10-10 was a make-up Saturday) and 16: the median is 9.5.
    assert timing["办理用时中位数（个工作日）"] == 9.5
    assert str(timing["按期办结率"]) == "50.0%"
    assert str(rows["满意度（本月回访的事项）"]["满意率（含基本满意）"]) == "50.0%"
    assert "<td>9.5</td>" in response.content.decode()

    response = client.get(reverse("intake_statistics:index") + "?month=2026-10&export=xlsx")
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"intake-statistics-2026-10.xlsx\"; filename*=UTF-8''{quote('来信来访月度统计-2026-10.xlsx')}"
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert ("本月登记", "登记总数", 3) in sheet.iter_rows(values_only=True)
    assert ExportLogEntry.objects.get(action="intake.export").label == "导出来信来访月度统计（2026-10）"

    assert "请按“年-月”选择月份" in client.get(reverse("intake_statistics:index") + "?month=十月").content.decode()


def test_statistics_count_only_the_users_levels(client, xiangzhou):
    new_item(level=Level.XIANGZHOU)
    new_item(level=Level.WUXUAN)
    client.force_login(xiangzhou)
    rows = dict(client.get(reverse("intake_statistics:index")).context["rows"])
    assert dict(rows["本月登记"])["登记总数"] == 1


def test_the_dashboard_shows_what_is_supervised_and_late(client, city, xiangzhou):
    with at(2026, 11, 2):
        new_item(level=Level.XIANGZHOU, subject="超期未受理")
    item, _ = new_item(level=Level.XIANGZHOU, subject="督办中的事项")
    workflow.accept(item, city)
    workflow.assign(item, city, assignee=xiangzhou, due_date=datetime.date(2099, 1, 1))
    workflow.supervise(item, city, "请加快")
    client.force_login(xiangzhou)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "督办事项" in html and "督办中的事项" in html
    assert "我承办的事项" in html
    assert "超期事项" in html and "超期未受理" in html


def test_the_intake_menu_is_for_the_talent_offices(client, city):
    client.force_login(city)
    for name in ("intake_item:index", "intake_statistics:index", "wagtailsnippets_intake_replytemplate:list"):
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("intake_public_answer:list")).status_code == 200
    assert client.get(reverse("intake_department:index")).status_code == 200
    assert "来信来访" in client.get(reverse("wagtailadmin_home")).content.decode()

    editor = make_staff("editor", group="编辑")
    client.force_login(editor)
    assert denied(client.get(reverse("intake_item:index")))
    assert denied(client.get(reverse("intake_statistics:index")))
