"""Departments in the portal (承办部门): their users handle the items assigned to them, the office decides."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from base.models import PortalSettings
from intake import workflow
from intake.models import (
    Department,
    DepartmentMembership,
    IntakeItem,
    IntakeLogEntry,
    IntakeStep,
    ReplyState,
    Status,
    StepAction,
)
from staff.levels import Level
from staff.roles import CITY_OFFICE, COUNTY_OFFICE, DEPARTMENT_USERS
from tests.intake_builders import (
    TRACK_URL,
    contact_page_fixture,  # noqa: F401 - the contact_page fixture
    make_staff,
    new_item,
    run_mail_worker,
)

pytestmark = pytest.mark.django_db

DUE = datetime.date(2099, 1, 15)


def department_with_user(name, level, username):
    department = Department.objects.create(name=name, level=level, contact_email=f"{username}-box@example.cn")
    user = make_staff(username, group=DEPARTMENT_USERS)
    department.members.add(user)
    return department, user


@pytest.fixture
def city():
    return make_staff("city", Level.CITY, CITY_OFFICE)


@pytest.fixture
def xingbin_office():
    return make_staff("xingbin-office", Level.XINGBIN, COUNTY_OFFICE)


@pytest.fixture
def xingbin():
    """兴宾区's department and its user."""
    return department_with_user("兴宾区人社局", Level.XINGBIN, "dept-xingbin")


@pytest.fixture
def heshan():
    return department_with_user("合山市人社局", Level.HESHAN, "dept-heshan")


def assigned(city, department, **fields):
    item, query_code = new_item(**fields)
    workflow.accept(item, city)
    workflow.assign(item, city, department=department, due_date=DUE)
    item.refresh_from_db()
    return item, query_code


def dept_url(name, *args):
    return reverse(f"intake_dept:{name}", args=args)


def office_step(item, action):
    return reverse("intake_item:action", args=[item.pk, action])


def dept_step(item, action):
    return reverse("intake_dept:action", args=[item.pk, action])


def denied(response):
    """Wagtail answers PermissionDenied in the admin with a redirect to the dashboard and a message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def field_errors(response, field):
    return [str(error) for error in response.context["form"].errors.get(field, [])]


def fresh(item):
    return IntakeItem.objects.get(pk=item.pk)


def step_actions(item):
    return list(item.steps.order_by("at", "pk").values_list("action", "public"))


# Assigning ---------------------------------------------------------------------------------------


def test_assigning_to_a_county_department_takes_the_item_into_that_county(city, xingbin):
    department, _ = xingbin
    item, _ = assigned(city, department)
    assert item.level == Level.XINGBIN and item.department == department and item.status == Status.ASSIGNED
    assert "转兴宾区办理" in item.steps.get(action=StepAction.ASSIGNED).note

    # An assignee of another level than the department: refused, nothing changed.
    other, _ = new_item()
    workflow.accept(other, city)
    with pytest.raises(ValidationError):
        workflow.assign(other, city, assignee=city, department=department, due_date=DUE)
    assert fresh(other).status == Status.ACCEPTED and fresh(other).level == Level.CITY


def test_the_assign_form_offers_the_office_only_the_departments_it_may_use(
    client, city, xingbin_office, xingbin, heshan
):
    city_department = Department.objects.create(name="市科技局")
    item, _ = new_item(level=Level.XINGBIN)
    workflow.accept(item, xingbin_office)

    client.force_login(xingbin_office)
    form = client.get(office_step(item, "assign")).context["form"]
    assert list(form.fields["department"].queryset) == [xingbin[0]]
    response = client.post(office_step(item, "assign"), {"department": heshan[0].pk, "due_date": "2099-01-15"})
    assert field_errors(response, "department") == ["所选承办部门不可交办或不在您的属地，请重新选择。"]
    assert fresh(item).status == Status.ACCEPTED

    client.force_login(city)
    form = client.get(office_step(item, "assign")).context["form"]
    assert set(form.fields["department"].queryset) == {xingbin[0], heshan[0], city_department}
    response = client.post(
        office_step(item, "assign"), {"assignee": city.pk, "department": heshan[0].pk, "due_date": "2099-01-15"}
    )
    assert field_errors(response, "department") == ["承办人和承办部门不属于同一属地，请重新选择。"]
    assert fresh(item).status == Status.ACCEPTED


# What a department user sees -------------------------------------------------------------------


def test_a_department_user_sees_only_their_departments_items(client, city, xingbin, heshan):
    (department, user), (other_department, _) = xingbin, heshan
    mine, _ = assigned(city, department, subject="本部门承办的事项", mobile="13807729876", email="zhuan@example.cn")
    theirs, _ = assigned(city, other_department, subject="合山市部门的事项")
    unassigned, _ = new_item(level=Level.XINGBIN, subject="兴宾区未交办的事项")
    # Left with the department but moved to another county by the office: not theirs any more.
    moved, _ = assigned(city, department, subject="已转其他属地的事项")
    IntakeItem.objects.filter(pk=moved.pk).update(level=Level.HESHAN)

    client.force_login(user)
    html = client.get(dept_url("index")).content.decode()
    assert mine.tracking_number in html and "本部门承办的事项" in html
    for other in (theirs, unassigned, moved):
        assert other.tracking_number not in html
        assert client.get(dept_url("inspect", other.pk)).status_code == 404
        assert client.get(dept_step(other, "accept")).status_code == 404
    assert client.get(dept_url("inspect", 987654)).status_code == 404

    page = client.get(dept_url("inspect", mine.pk)).content.decode()
    assert "本部门承办的事项" in page and mine.message in page
    # Contact data masked: the department reaches the expert through the office.
    assert "138****9876" in page and "13807729876" not in page and "zhuan@example.cn" not in page
    assert "接收办理" in page

    # The office's queue and records are not theirs.
    for name in ("intake_item:index", "intake_item:add", "intake_statistics:index"):
        assert denied(client.get(reverse(name)))
    assert client.get(reverse("intake_item:inspect", args=[mine.pk])).status_code == 404


def test_staff_who_are_no_department_users_are_refused(client, city, xingbin):
    department, _ = xingbin
    item, _ = assigned(city, department)
    client.force_login(city)
    assert denied(client.get(dept_url("index")))
    assert denied(client.get(dept_url("inspect", item.pk)))
    assert denied(client.get(dept_step(item, "accept")))
    # A 承办部门 account not yet linked to a department sees nothing either.
    client.force_login(make_staff("unlinked", group=DEPARTMENT_USERS))
    assert denied(client.get(dept_url("index")))


def test_the_list_marks_overdue_items_and_what_waits(client, city, xingbin):
    department, user = xingbin
    item, _ = assigned(city, department, subject="已超期的承办事项")
    IntakeItem.objects.filter(pk=item.pk).update(completion_due=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(user)
    html = client.get(dept_url("index")).content.decode()
    assert "intake-row--overdue" in html and "已超期" in html


def test_the_list_takes_the_same_number_of_queries_as_it_grows(client, city, xingbin):
    department, user = xingbin
    client.force_login(user)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(dept_url("index")).status_code == 200
        return len(context)

    for _ in range(2):
        assigned(city, department)
    few = queries()
    for _ in range(15):
        assigned(city, department)
    assert queries() == few


# The steps, as the two sides take them in the admin ------------------------------------------------


def test_accept_ask_for_time_propose_return_resubmit_and_the_office_approves_an_edit(
    client, city, xingbin, contact_page
):
    department, user = xingbin
    item, query_code = assigned(city, department)

    client.force_login(user)
    response = client.post(dept_step(item, "accept"), {"note": "已收到，马上办理"})
    assert response.status_code == 302 and response["Location"] == dept_url("inspect", item.pk)
    assert fresh(item).status == Status.IN_PROGRESS

    new_due = DUE + datetime.timedelta(days=20)
    client.post(dept_step(item, "extend"), {"due_date": new_due.isoformat(), "reason": "需会同财政部门核实"})
    assert (fresh(item).extension_due, fresh(item).extension_reason) == (new_due, "需会同财政部门核实")
    # One request at a time.
    assert client.get(dept_step(item, "extend")).status_code == 302

    client.force_login(city)
    html = client.get(reverse("intake_item:index") + "?awaiting=extension").content.decode()
    assert item.tracking_number in html and "延期待审批" in html
    client.post(office_step(item, "decide_extension"), {"decision": "approve", "note": ""})
    item = fresh(item)
    assert item.completion_due == new_due and item.extension_due is None

    client.force_login(user)
    client.post(dept_step(item, "propose"), {"reply": "已核实，补贴下月发放。"})
    assert fresh(item).reply_state == ReplyState.PROPOSED
    # Nothing the department wrote reaches the expert before the office approves.
    tracking = client.post(TRACK_URL, {"tracking_number": item.tracking_number, "query_code": query_code})
    assert "补贴下月发放" not in tracking.content.decode()

    client.force_login(city)
    html = client.get(reverse("intake_item:index") + "?awaiting=reply").content.decode()
    assert item.tracking_number in html and "拟答复待审核" in html
    assert "已核实，补贴下月发放。" in client.get(reverse("intake_item:inspect", args=[item.pk])).content.decode()
    client.post(office_step(item, "return_reply"), {"reason": "请写明发放金额"})
    assert (fresh(item).reply_state, fresh(item).return_reason) == (ReplyState.RETURNED, "请写明发放金额")

    client.force_login(user)
    page = client.get(dept_url("inspect", item.pk)).content.decode()
    assert "请写明发放金额" in page and "修改并重新提交拟答复" in page
    form = client.get(dept_step(item, "propose")).context["form"]
    assert form["reply"].value() == "已核实，补贴下月发放。"  # the returned text, to revise
    client.post(dept_step(item, "propose"), {"reply": "已核实，补贴3万元下月发放。"})
    assert fresh(item).reply_state == ReplyState.PROPOSED

    client.force_login(city)
    form = client.get(office_step(item, "approve_reply")).context["form"]
    assert form["reply"].value() == "已核实，补贴3万元下月发放。"
    client.post(office_step(item, "approve_reply"), {"reply": "经核实，您的补贴3万元将于下月发放到账。"})
    item = fresh(item)
    assert item.status == Status.CLOSED and item.reply == "经核实，您的补贴3万元将于下月发放到账。"
    assert item.reply_state == "" and item.proposed_reply == ""

    assert step_actions(item) == [
        ("received", True),
        ("accepted", True),
        ("assigned", True),
        ("started", True),
        ("extension_requested", False),
        ("extension_approved", False),
        ("reply_proposed", False),
        ("reply_returned", False),
        ("reply_proposed", False),
        ("reply_approved", False),
        ("closed", True),
    ]
    assert item.steps.get(action=StepAction.REPLY_APPROVED).note == "修改后通过"
    assert item.steps.get(action=StepAction.STARTED).actor == user
    logged = list(
        IntakeLogEntry.objects.filter(item=item, action__startswith="intake.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert logged == [f"intake.{action}" for action, _ in step_actions(item)]
    tracking = client.post(TRACK_URL, {"tracking_number": item.tracking_number, "query_code": query_code})
    assert "补贴3万元将于下月发放到账" in tracking.content.decode()
    assert "补贴3万元下月发放" not in tracking.content.decode()  # the department's text stays inside


def test_the_office_approves_the_proposal_as_written_or_declines_more_time(client, city, xingbin):
    department, user = xingbin
    item, _ = assigned(city, department)
    workflow.start(item, user)
    workflow.request_extension(item, user, due_date=DUE + datetime.timedelta(days=5), reason="等待材料")

    client.force_login(city)
    response = client.post(office_step(item, "decide_extension"), {"decision": "decline", "note": ""})
    assert field_errors(response, "note") == ["不批准延期时请填写理由。"]
    assert fresh(item).has_extension_request
    client.post(office_step(item, "decide_extension"), {"decision": "decline", "note": "请按期办结"})
    item = fresh(item)
    assert item.completion_due == DUE and not item.has_extension_request
    assert item.steps.get(action=StepAction.EXTENSION_DECLINED).note == "不批准延期至2099-01-20；意见：请按期办结"

    workflow.propose_reply(item, user, "答复如下。")
    client.post(office_step(item, "approve_reply"), {"reply": "答复如下。"})
    item = fresh(item)
    assert item.status == Status.CLOSED and item.reply == "答复如下。"
    assert item.steps.get(action=StepAction.REPLY_APPROVED).note == "原文通过"


def test_steps_out_of_order_are_refused(client, city, xingbin):
    department, user = xingbin
    item, _ = assigned(city, department)
    with pytest.raises(ValidationError):
        workflow.propose_reply(item, user, "未接收就答复")  # not accepted yet
    client.force_login(user)
    response = client.post(dept_step(item, "propose"), {"reply": "未接收就答复"})
    assert response.status_code == 302 and fresh(item).reply_state == ""
    # Nothing waits for the office: it has nothing to decide.
    for decide in (
        lambda: workflow.approve_reply(item, city, "答复"),
        lambda: workflow.return_reply(item, city, "理由"),
        lambda: workflow.decide_extension(item, city, approve=True),
    ):
        with pytest.raises(ValidationError):
            decide()

    workflow.start(item, user)
    with pytest.raises(ValidationError):
        workflow.start(item, user)  # accepted twice
    workflow.request_extension(item, user, due_date=DUE + datetime.timedelta(days=3), reason="理由")
    with pytest.raises(ValidationError):
        workflow.request_extension(item, user, due_date=DUE + datetime.timedelta(days=9), reason="再次申请")
    workflow.propose_reply(item, user, "拟答复")
    with pytest.raises(ValidationError):
        workflow.propose_reply(item, user, "再次提交")  # waits for the office
    # The office closes with its own reply: the department's proposal and request end with it.
    workflow.close(item, city, "人才办直接答复")
    item = fresh(item)
    assert (item.reply_state, item.extension_due, item.proposed_reply) == ("", None, "")
    for action in ("accept", "extend", "propose"):
        assert client.get(dept_step(item, action)).status_code == 302


def test_reassigning_ends_what_the_former_department_had_waiting(city, xingbin, heshan):
    (department, user), (other, _) = xingbin, heshan
    item, _ = assigned(city, department)
    workflow.start(item, user)
    workflow.propose_reply(item, user, "拟答复")
    workflow.assign(item, city, department=other, due_date=DUE)
    item = fresh(item)
    assert item.level == Level.HESHAN and item.reply_state == "" and item.status == Status.ASSIGNED


# Bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"due_date": "", "reason": "理由"}, "due_date", "请填写申请延长到的日期。"),
        ({"due_date": "2020-01-01", "reason": "理由"}, "due_date", "申请的办结期限须晚于今天。"),
        ({"due_date": "2099-01-15", "reason": "理由"}, "due_date", "申请的办结期限须晚于当前期限（2099-01-15）。"),
        ({"due_date": "2099-01-10", "reason": "理由"}, "due_date", "申请的办结期限须晚于当前期限（2099-01-15）。"),
        ({"due_date": "2099-02-01", "reason": "  "}, "reason", "请填写延期理由。"),
        (
            {"due_date": "2099-02-01", "reason": "长" * 501},
            "reason",
            "确保该变量包含不超过 500 字符 (目前字符数 501)。",
        ),
    ],
)
def test_a_bad_extension_request_is_refused_next_to_its_field(client, city, xingbin, data, field, message):
    department, user = xingbin
    item, _ = assigned(city, department)
    steps = IntakeStep.objects.count()
    client.force_login(user)
    response = client.post(dept_step(item, "extend"), data)
    assert response.status_code == 200 and field_errors(response, field) == [message]
    assert fresh(item).extension_due is None and IntakeStep.objects.count() == steps


@pytest.mark.parametrize(
    "reply, message",
    [
        ("", "请填写拟答复意见。"),
        ("   ", "请填写拟答复意见。"),
        ("答" * 5001, "确保该变量包含不超过 5000 字符 (目前字符数 5001)。"),
    ],
)
def test_a_bad_proposed_reply_is_refused_next_to_its_field(client, city, xingbin, reply, message):
    department, user = xingbin
    item, _ = assigned(city, department)
    workflow.start(item, user)
    steps = IntakeStep.objects.count()
    client.force_login(user)
    response = client.post(dept_step(item, "propose"), {"reply": reply})
    assert response.status_code == 200 and field_errors(response, "reply") == [message]
    assert fresh(item).reply_state == "" and IntakeStep.objects.count() == steps


def test_the_office_must_give_a_reason_to_return_and_a_text_to_approve(client, city, xingbin):
    department, user = xingbin
    item, _ = assigned(city, department)
    workflow.start(item, user)
    workflow.propose_reply(item, user, "拟答复")
    client.force_login(city)
    response = client.post(office_step(item, "return_reply"), {"reason": ""})
    assert field_errors(response, "reason") == ["请填写退回理由。"]
    response = client.post(office_step(item, "approve_reply"), {"reply": " "})
    assert field_errors(response, "reply") == ["答复意见不能为空。"]
    assert fresh(item).reply_state == ReplyState.PROPOSED and fresh(item).status == Status.IN_PROGRESS


# Mail ------------------------------------------------------------------------------------------


def test_mail_goes_to_the_department_and_the_office_with_links_to_the_item(city, xingbin, contact_page):
    department, user = xingbin
    inactive = make_staff("dept-left", group=DEPARTMENT_USERS, is_active=False)
    department.members.add(inactive)
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    department_box = [department.contact_email, user.email]
    department_link = "http://testserver/admin/intake/department/{}/"
    office_link = "http://testserver/admin/intake/items/inspect/{}/"

    item, _ = assigned(city, department)
    run_mail_worker()
    notice = next(message for message in mail.outbox if message.to == department_box)
    assert item.tracking_number in notice.subject
    assert department_link.format(item.pk) in notice.body
    assert item.name not in notice.body and item.mobile not in notice.body

    def sent(step):
        mail.outbox.clear()
        step()
        run_mail_worker()
        (message,) = mail.outbox
        return message

    workflow.start(item, user)
    message = sent(
        lambda: workflow.request_extension(item, user, due_date=DUE + datetime.timedelta(days=7), reason="核实中")
    )
    assert message.to == [portal.mailbox] and office_link.format(item.pk) in message.body and "核实中" in message.body
    message = sent(lambda: workflow.decide_extension(item, city, approve=True))
    assert message.to == department_box and department_link.format(item.pk) in message.body
    assert "2099年1月22日" in message.body
    message = sent(lambda: workflow.propose_reply(item, user, "拟答复"))
    assert message.to == [portal.mailbox] and office_link.format(item.pk) in message.body
    message = sent(lambda: workflow.return_reply(item, city, "请补充依据"))
    assert message.to == department_box and "请补充依据" in message.body
    assert department_link.format(item.pk) in message.body

    # The expert's 不满意 brings the item back: the department is told, the office and its mailbox too.
    workflow.propose_reply(item, user, "拟答复（修改后）")
    workflow.approve_reply(item, city, "正式答复")
    mail.outbox.clear()
    workflow.rate(IntakeItem.objects.get(pk=item.pk), satisfaction="dissatisfied", comment="仍未解决")
    run_mail_worker()
    to_department = next(message for message in mail.outbox if message.to == department_box)
    assert "重新办理" in to_department.subject and department_link.format(item.pk) in to_department.body
    assert "仍未解决" not in to_department.body
    assert any(message.to == [portal.mailbox] and "重新办理" in message.subject for message in mail.outbox)


# Managing departments --------------------------------------------------------------------------


def test_the_city_office_links_department_users_in_the_departments_form(client, city, xingbin_office, xingbin):
    department, member = xingbin
    free = make_staff("dept-new", group=DEPARTMENT_USERS)
    make_staff("not-a-department-user", Level.CITY, CITY_OFFICE)
    new = Department.objects.create(name="兴宾区科技局", level=Level.XINGBIN)
    edit = reverse("intake_department:edit", args=[new.pk])

    client.force_login(city)
    offered = client.get(edit).context["form"].fields["members"].queryset
    assert list(offered) == [free]  # the other department's user and office staff are not offered
    data = {"name": "兴宾区科技局", "level": Level.XINGBIN, "contact_email": "", "active": "on"}
    response = client.post(edit, {**data, "members": [member.pk]})
    assert response.status_code == 200 and field_errors(response, "members")
    assert DepartmentMembership.objects.get(user=member).department == department
    client.post(edit, {**data, "members": [free.pk]})
    assert list(new.members.all()) == [free]

    # A department with open items keeps its level.
    assigned(city, department)
    response = client.post(
        reverse("intake_department:edit", args=[department.pk]),
        {"name": department.name, "level": Level.HESHAN, "contact_email": "", "active": "on", "members": [member.pk]},
    )
    assert field_errors(response, "level") == ["该部门尚有未办结的事项，不能更改属地。"]
    assert Department.objects.get(pk=department.pk).level == Level.XINGBIN

    client.force_login(xingbin_office)  # a county's office sees the list, edits nothing
    assert client.get(reverse("intake_department:index")).status_code == 200
    assert client.get(edit).status_code in (302, 403)


def test_the_department_group_has_only_its_own_permission():
    group = Group.objects.get(name=DEPARTMENT_USERS)
    assert set(group.permissions.values_list("codename", flat=True)) == {"access_admin", "handle_intakeitem"}
