"""Demo intake queue: items from every channel at every step, departments, reply templates, public answers.

Every county has a department with a user, as has one of the city's (logins rcb_dept_<level>),
and items assigned to departments wait at each of the department's stages.

Each item is built through intake.workflow, as staff would, then moved back in time so
that the queue shows waiting, overdue and finished work. Names are fictional.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from base.building import upsert_user
from base.demo import DEMO_PASSWORD
from staff.levels import COUNTY_LEVELS, Level
from staff.roles import DEPARTMENT_USERS

from . import workflow
from .anonymise import draft_public_answer
from .models import (
    Channel,
    Department,
    DepartmentMembership,
    IntakeItem,
    IntakeLogEntry,
    Kind,
    ReplyTemplate,
    Satisfaction,
    StepAction,
    TrackingSequence,
)
from .tracking import hash_query_code, next_tracking_number
from .workdays import add_working_days

DEMO_QUERY_CODE = "DEMO2026"  # every demo item's query code
SHOWCASE_SUBJECT = "高层次人才住房补贴申领进度"  # an answered item, printed for trying the tracking page
DEPARTMENTS = [
    ("市人力资源和社会保障局", "rsj@example.invalid"),
    ("市科学技术局", "kjj@example.invalid"),
    ("市卫生健康委员会", "wjw@example.invalid"),
    ("市教育局", ""),
    ("市住房和城乡建设局", ""),
    ("市工业和信息化局", ""),
]
# Each county's department, and the city department whose user signs in (rcb_dept_<level>).
COUNTY_DEPARTMENT = "{}人力资源和社会保障局"
CITY_DEPARTMENT = "市人力资源和社会保障局"
REPLY_TEMPLATES = [
    (
        "政策咨询答复",
        Kind.SUGGESTION,
        "您好！感谢您对我市人才工作的关心和支持。关于您反映的问题，经与相关部门研究，现答复如下：\n\n"
        "（请在此写明具体答复内容、依据的政策文件和办理结果。）\n\n如有疑问，请拨打专家人才热线。",
    ),
    (
        "困难求助办结告知",
        Kind.HELP,
        "您好！您反映的困难已转交承办部门办理，办理情况如下：\n\n（请写明采取的措施和结果。）\n\n"
        "我们将持续关注，如仍有困难，欢迎随时联系。",
    ),
    (
        "约见安排告知",
        Kind.APPOINTMENT,
        "您好！您预约约见联系领导的请求已安排，具体时间和地点见办理过程。请携带相关材料准时参加。",
    ),
]

# (subject, channel, kind, level, name, mobile, steps, days ago)
# steps: the workflow steps to take, in order; each a (name, arguments) pair.
ITEMS = [
    (
        "建议设立青年科技人才专项科研启动经费",
        Channel.WEB,
        Kind.SUGGESTION,
        Level.CITY,
        "韦某某（演示）",
        "13800000001",
        [],
        0,
    ),
    (
        "申请约见市委分管领导汇报技术攻关进展",
        Channel.WEB,
        Kind.APPOINTMENT,
        Level.CITY,
        "覃某某（演示）",
        "13800000002",
        [],
        1,
    ),
    (
        "子女入学咨询：引进人才子女就读政策",
        Channel.HOTLINE,
        Kind.HELP,
        Level.CITY,
        "蓝某某（演示）",
        "13800000003",
        [],
        6,
    ),
    (
        "医院人才公寓维修问题",
        Channel.LETTER,
        Kind.HELP,
        Level.XINGBIN,
        "黄某某（演示）",
        "",
        [("accept", {})],
        3,
    ),
    (
        "关于完善专家人才体检安排的建议",
        Channel.MAILBOX,
        Kind.SUGGESTION,
        Level.CITY,
        "莫某某（演示）",
        "13800000005",
        [("accept", {}), ("assign", {"department": "市卫生健康委员会"})],
        5,
    ),
    (
        "企业研发人员职称评审渠道咨询",
        Channel.VISIT,
        Kind.OTHER,
        Level.CITY,
        "梁某某（演示）",
        "13800000006",
        [("accept", {}), ("assign", {"department": "市人力资源和社会保障局"}), ("start", {})],
        25,
    ),
    (
        "科研项目配套资金迟迟未到位",
        Channel.HOTLINE,
        Kind.HELP,
        Level.CITY,
        "陆某某（演示）",
        "13800000007",
        [
            ("accept", {}),
            ("assign", {"department": "市科学技术局", "assignee": "rcb_city"}),
            ("start", {}),
            ("supervise", {"comment": "专家反映强烈，请于本周内反馈进展。"}),
        ],
        12,
    ),
    (
        "象州县乡村振兴项目技术支持需求",
        Channel.LETTER,
        Kind.SUGGESTION,
        Level.XIANGZHOU,
        "卢某某（演示）",
        "13800000008",
        [("accept", {}), ("assign", {"assignee": "rcb_xiangzhou"})],
        4,
    ),
    (
        "预约与联系领导座谈产业发展",
        Channel.WEB,
        Kind.APPOINTMENT,
        Level.CITY,
        "潘某某（演示）",
        "13800000009",
        [
            ("accept", {}),
            ("arrange", {"leader_text": "市委联系领导（演示）", "place": "市委大院2号楼会议室", "in_days": 3}),
        ],
        2,
    ),
    (
        "高层次人才住房补贴申领进度",
        Channel.WEB,
        Kind.HELP,
        Level.CITY,
        "罗某某（演示）",
        "13800000010",
        [
            ("accept", {}),
            ("assign", {"department": "市住房和城乡建设局"}),
            ("start", {}),
            ("close", {"reply": "经市住房和城乡建设局核实，您的住房补贴已审核通过，将于本月内拨付到账。"}),
        ],
        14,
    ),
    (
        "关于加强本地高校与企业人才合作的建议",
        Channel.WEB,
        Kind.SUGGESTION,
        Level.CITY,
        "周某某（演示）",
        "13800000011",
        [
            ("accept", {}),
            ("assign", {"department": "市教育局"}),
            ("start", {}),
            (
                "close",
                {
                    "reply": "感谢您的建议。市教育局已会同市工业和信息化局建立校企人才合作联席机制，"
                    "每季度组织一次校企对接活动，首批12家企业与本地高校签订了合作协议。"
                },
            ),
            ("follow_up", {"satisfaction": Satisfaction.SATISFIED}),
        ],
        30,
    ),
    (
        "希望简化专家人才服务卡办理流程",
        Channel.MAILBOX,
        Kind.SUGGESTION,
        Level.CITY,
        "唐某某（演示）",
        "13800000012",
        [
            ("accept", {}),
            ("assign", {"department": "市人力资源和社会保障局"}),
            (
                "close",
                {"reply": "服务卡已实现线上申领，材料由5项精简为2项，办理时限由10个工作日缩短为3个工作日。"},
            ),
            ("follow_up", {"satisfaction": Satisfaction.FAIRLY_SATISFIED, "note": "希望进一步推广线上办理。"}),
        ],
        40,
    ),
    (
        "实验室用电扩容问题",
        Channel.HOTLINE,
        Kind.HELP,
        Level.WUXUAN,
        "吴某某（演示）",
        "13800000013",
        [
            ("accept", {}),
            ("assign", {"assignee": "rcb_wuxuan"}),
            ("close", {"reply": "已协调供电部门现场勘查，扩容方案正在审批。"}),
            ("follow_up", {"satisfaction": Satisfaction.DISSATISFIED, "note": "专家认为进度太慢。"}),
            ("reopen", {"reason": "专家不满意：扩容尚未完成，继续跟踪办理。"}),
        ],
        20,
    ),
    # Items assigned to the counties' departments, one at each of the department's stages.
    (
        "人才公寓供暖设施老化需维修",
        Channel.WEB,
        Kind.HELP,
        Level.XINGBIN,
        "韦某林（演示）",
        "13800000015",
        [("accept", {}), ("assign", {"department": COUNTY_DEPARTMENT.format(Level.XINGBIN.label)})],
        2,
    ),
    (
        "职称评审材料网上提交咨询",
        Channel.HOTLINE,
        Kind.OTHER,
        Level.HESHAN,
        "覃某华（演示）",
        "13800000016",
        [
            ("accept", {}),
            ("assign", {"department": COUNTY_DEPARTMENT.format(Level.HESHAN.label)}),
            ("start", {"by": "rcb_dept_heshan"}),
        ],
        4,
    ),
    (
        "引进人才安家补贴发放延迟",
        Channel.WEB,
        Kind.HELP,
        Level.XIANGZHOU,
        "蓝某军（演示）",
        "13800000017",
        [
            ("accept", {}),
            ("assign", {"department": COUNTY_DEPARTMENT.format(Level.XIANGZHOU.label)}),
            ("start", {"by": "rcb_dept_xiangzhou"}),
            ("request_extension", {"by": "rcb_dept_xiangzhou", "reason": "需财政部门核拨资金，预计还需两周。"}),
        ],
        9,
    ),
    (
        "建议为专家开设社保业务绿色通道",
        Channel.MAILBOX,
        Kind.SUGGESTION,
        Level.WUXUAN,
        "黄某明（演示）",
        "13800000018",
        [
            ("accept", {}),
            ("assign", {"department": COUNTY_DEPARTMENT.format(Level.WUXUAN.label)}),
            ("start", {"by": "rcb_dept_wuxuan"}),
            (
                "propose_reply",
                {"by": "rcb_dept_wuxuan", "reply": "感谢您的建议。县社保中心已设立专家人才服务窗口，即日起优先办理。"},
            ),
        ],
        7,
    ),
    (
        "专家配偶就业安置咨询",
        Channel.WEB,
        Kind.HELP,
        Level.XINCHENG,
        "莫某红（演示）",
        "13800000019",
        [
            ("accept", {}),
            ("assign", {"department": COUNTY_DEPARTMENT.format(Level.XINCHENG.label)}),
            ("start", {"by": "rcb_dept_xincheng"}),
            ("propose_reply", {"by": "rcb_dept_xincheng", "reply": "已知悉，正在研究。"}),
            ("return_reply", {"reason": "答复过于简单，请写明可提供的岗位和办理时限。"}),
        ],
        10,
    ),
    (
        "瑶医药研究项目用地协调",
        Channel.LETTER,
        Kind.HELP,
        Level.JINXIU,
        "盘某山（演示）",
        "13800000020",
        [
            ("accept", {}),
            ("assign", {"department": COUNTY_DEPARTMENT.format(Level.JINXIU.label)}),
            ("start", {"by": "rcb_dept_jinxiu"}),
            (
                "propose_reply",
                {
                    "by": "rcb_dept_jinxiu",
                    "reply": "经县自然资源局现场踏勘，项目用地已纳入年度用地计划，预计下月完成报批。",
                },
            ),
            ("approve_reply", {}),
        ],
        16,
    ),
    (
        "咨询商业广告投放合作",
        Channel.WEB,
        Kind.OTHER,
        Level.CITY,
        "郑某某（演示）",
        "13800000014",
        [("reject", {"reason": "所反映事项不属于专家人才服务范围，建议咨询市场监管部门。"})],
        8,
    ),
]


def build(demo):
    started = timezone.now()
    for name, email in DEPARTMENTS:
        Department.objects.get_or_create(name=name, defaults={"contact_email": email})
    build_department_users(demo)
    for title, kind, body in REPLY_TEMPLATES:
        ReplyTemplate.objects.get_or_create(title=title, defaults={"kind": kind, "body": body})

    users = {user.username: user for user in get_user_model().objects.filter(username__startswith="rcb_")}
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    created = 0
    for subject, channel, kind, level, person, mobile, steps, days_ago in ITEMS:
        if IntakeItem.objects.filter(subject=subject).exists():
            continue
        actor = None if channel == Channel.WEB else admin
        item = IntakeItem(
            channel=channel,
            kind=kind,
            level=level,
            name=person,
            unit="来宾市某单位（演示）",
            mobile=mobile,
            email=f"demo{mobile[-2:] or '00'}@example.invalid",
            subject=subject,
            message=f"{subject}。具体情况如下：这是演示数据，内容为虚构。",
            preferred_leader_text="市委分管人才工作的领导" if kind == Kind.APPOINTMENT else "",
            preferred_date_from=timezone.localdate() + timedelta(days=7) if kind == Kind.APPOINTMENT else None,
            publish_consent=True,
        )
        workflow.receive(item, actor=actor)
        for step, arguments in steps:
            item = take_step(item, step, dict(arguments), admin, users)
        backdate(item, days_ago)
        created += 1

    for item in IntakeItem.objects.filter(
        status="followed_up", public_answer__isnull=True, subject__in=[i[0] for i in ITEMS]
    ):
        if item.satisfaction != Satisfaction.DISSATISFIED:
            answer = draft_public_answer(item, admin)
            answer.save_revision(user=admin).publish()

    if created:
        continue_numbering_after_the_last_in_use(timezone.localdate())
    # The demo's history is not news: its receipts and notices are not mailed.
    DBTaskResult.objects.filter(queue_name="mail", enqueued_at__gte=started).delete()

    showcase = IntakeItem.objects.filter(subject=SHOWCASE_SUBJECT).first()
    if created:
        demo.log(
            f"来信来访：{created} 件演示事项，{Department.objects.count()} 个承办部门，{ReplyTemplate.objects.count()} 个答复模板"
        )
    if showcase:
        demo.log(f"演示查询（/contact/track/）：查询号 {showcase.tracking_number}  查询码 {DEMO_QUERY_CODE}")


def build_department_users(demo):
    """A department per county, and a user for it and for the city's CITY_DEPARTMENT."""
    group = Group.objects.get(name=DEPARTMENT_USERS)
    departments = [(Level.CITY, Department.objects.get(name=CITY_DEPARTMENT))]
    for level in COUNTY_LEVELS:
        department, _ = Department.objects.get_or_create(
            name=COUNTY_DEPARTMENT.format(level.label),
            defaults={"level": level, "contact_email": f"rsj-{level.value}@example.invalid"},
        )
        departments.append((level, department))
    for level, department in departments:
        username = f"rcb_dept_{level.value}"
        user = upsert_user(username, DEMO_PASSWORD, first_name=department.name, email=f"{username}@example.invalid")
        user.groups.add(group)
        DepartmentMembership.objects.get_or_create(user=user, defaults={"department": department})
        demo.add_login(f"{department.name}（{level.label}，{DEPARTMENT_USERS}）", username, DEMO_PASSWORD)


def take_step(item, step, arguments, admin, users):
    # A department's steps are taken by its user ("by"), the office's by the admin.
    actor = users.get(arguments.pop("by", None), admin)
    if step == "request_extension":
        return workflow.request_extension(item, actor, due_date=item.completion_due + timedelta(days=14), **arguments)
    if step == "approve_reply":
        return workflow.approve_reply(item, actor, item.proposed_reply)
    if step == "assign":
        department = arguments.pop("department", None)
        arguments["department"] = Department.objects.filter(name=department).first() if department else None
        arguments["assignee"] = users.get(arguments.pop("assignee", None))
        return workflow.assign(item, admin, due_date=item.completion_due, **arguments)
    if step == "arrange":
        meeting_at = timezone.now().replace(hour=9, minute=30, second=0, microsecond=0) + timedelta(
            days=arguments.pop("in_days")
        )
        return workflow.arrange(item, admin, meeting_at=meeting_at, **arguments)
    return getattr(workflow, step)(item, actor, **arguments)


def continue_numbering_after_the_last_in_use(day):
    """Backdated demo items took today's numbers and gave them back: the next real one follows the last kept."""
    numbers = IntakeItem.objects.filter(tracking_number__startswith=f"LB{day:%Y%m%d}-").values_list(
        "tracking_number", flat=True
    )
    last = max((int(number.rsplit("-", 1)[1]) for number in numbers), default=0)
    TrackingSequence.objects.filter(day=day).update(last_number=last)


STEP_TIME_FIELDS = {
    StepAction.ACCEPTED: "accepted_at",
    StepAction.ASSIGNED: "assigned_at",
    StepAction.STARTED: "started_at",
    StepAction.CLOSED: "closed_at",
    StepAction.FOLLOWED_UP: "followed_up_at",
}


def backdate(item, days):
    """Moves an item's history `days` back, its steps and their log entries spread over those days,
    with the number and deadlines that the day of receipt would have given."""
    entries = IntakeLogEntry.objects.for_instance(item)
    if days:
        item.received_at -= timedelta(days=days)
        received_on = timezone.localdate(item.received_at)
        item.tracking_number = next_tracking_number(received_on)
        item.acceptance_due = add_working_days(received_on, settings.INTAKE_ACCEPTANCE_WORKING_DAYS)
        steps = list(item.steps.order_by("at", "pk"))
        spacing = timedelta(days=days) / len(steps)
        for index, step in enumerate(steps):
            moved_at = item.received_at + index * spacing
            # A step's log entry carries the step's time (intake.workflow.record_step).
            entries.filter(action=f"intake.{step.action}", timestamp=step.at).update(timestamp=moved_at)
            step.at = moved_at
            step.save(update_fields=["at"])
            field = STEP_TIME_FIELDS.get(step.action)
            if field and getattr(item, field):  # a reopened item keeps no closing time
                setattr(item, field, step.at)
        if item.accepted_at and not item.reopen_count:  # reopening set a deadline of its own
            accepted_on = timezone.localdate(item.accepted_at)
            item.completion_due = add_working_days(accepted_on, settings.INTAKE_COMPLETION_WORKING_DAYS)
    item.query_code_hash = hash_query_code(item.tracking_number, DEMO_QUERY_CODE)
    item.save()
    # The entries were labelled with the number the item had when they were logged.
    entries.update(label=IntakeLogEntry.objects.get_instance_title(item))
