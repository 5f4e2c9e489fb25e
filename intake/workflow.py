"""How an intake item moves: 待受理 → 已受理 / 不予受理 → 已交办 → 办理中 → 已办结 → 已回访.

A department the item is assigned to (承办部门) takes part in the portal: it accepts (start),
asks for more time and proposes the reply; the office decides on both, and only the reply it
approves (or edits) closes the item and reaches the expert.

Every function here is the one place its step happens: it checks the item's status,
changes it under a row lock, records the step (time and user) and a Wagtail log entry,
and queues the mail the step sends. Forms and views only call these.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from . import mail
from .models import (
    IN_HAND_STATUSES,
    OPEN_STATUSES,
    Channel,
    IntakeItem,
    IntakeStep,
    ReplyState,
    Satisfaction,
    Status,
    StepAction,
)
from .models.records import display_name
from .tracking import next_tracking_number, set_query_code
from .workdays import add_working_days


def record_step(item, action, actor, *, note="", public=True, public_note=""):
    step = IntakeStep.objects.create(
        item=item,
        action=action,
        status=item.status,
        actor=actor,
        at=timezone.now(),
        note=note,
        public=public,
        public_note=public_note,
    )
    # The step and its log entry share one time.
    log(item, f"intake.{action}", user=actor, timestamp=step.at, data={"status": item.status, "note": note})


@transaction.atomic
def receive(item, actor=None):
    """Saves a new item from any channel, numbered and with its acceptance deadline; returns its query code."""
    item.received_at = timezone.now()
    today = timezone.localdate(item.received_at)
    item.tracking_number = next_tracking_number(today)
    query_code = set_query_code(item)
    item.status = Status.NEW
    item.acceptance_due = add_working_days(today, settings.INTAKE_ACCEPTANCE_WORKING_DAYS)
    if item.channel == Channel.WEB:
        item.consent_at = item.received_at
    item.save()
    record_step(
        item,
        StepAction.RECEIVED,
        actor,
        note=f"渠道：{item.get_channel_display()}",
        public_note=f"已收到您通过“{item.get_channel_display()}”反映的事项。",
    )
    mail.queue_mail(mail.RECEIPT, item, query_code)
    mail.queue_mail(mail.OFFICE_NOTICE, item)
    return query_code


@transaction.atomic
def new_query_code(item, actor):
    """A fresh query code for an expert who lost theirs; the old one stops working."""
    item = IntakeItem.objects.select_for_update().get(pk=item.pk)
    query_code = set_query_code(item)
    item.save(update_fields=["query_code_hash"])
    log(item, "intake.query_code_reissued", user=actor)
    return query_code


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    from_statuses: tuple
    permission: str = "change"
    appointments_only: bool = False
    when: str = ""  # an item property that must hold as well (a reply or an extension waiting, ...)

    def allowed_for(self, item):
        return (
            item.status in self.from_statuses
            and (item.is_appointment or not self.appointments_only)
            and (not self.when or getattr(item, self.when))
        )


ACTIONS = {
    action.name: action
    for action in [
        # The office's decisions on what a department handed in come first: they are what it waits for.
        Action("approve_reply", "审核通过拟答复", (Status.IN_PROGRESS,), when="has_proposed_reply"),
        Action("return_reply", "退回拟答复", (Status.IN_PROGRESS,), when="has_proposed_reply"),
        Action("decide_extension", "审批延期申请", tuple(IN_HAND_STATUSES), when="has_extension_request"),
        Action("accept", "受理", (Status.NEW,)),
        Action("reject", "不予受理", (Status.NEW,)),
        Action("assign", "交办", tuple(IN_HAND_STATUSES)),
        Action("start", "开始办理", (Status.ASSIGNED,)),
        Action("arrange", "安排约见", tuple(IN_HAND_STATUSES), appointments_only=True),
        Action("close", "办结答复", tuple(IN_HAND_STATUSES)),
        Action("follow_up", "回访", (Status.CLOSED,)),
        Action("reopen", "重新办理", (Status.CLOSED, Status.FOLLOWED_UP)),
        Action("supervise", "督办", tuple(OPEN_STATUSES), permission="supervise"),
    ]
}
DEPARTMENT_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS)
# What a department user may do with an item assigned to their department.
DEPARTMENT_ACTIONS = {
    action.name: action
    for action in [
        Action("accept", "接收办理", (Status.ASSIGNED,)),
        Action("extend", "申请延期", DEPARTMENT_STATUSES, when="may_request_extension"),
        Action("propose", "提交拟答复", (Status.IN_PROGRESS,), when="may_propose_reply"),
    ]
}


def locked(item, statuses, action=None):
    """The item re-read under a row lock, or a ValidationError if it has moved on meanwhile."""
    item = IntakeItem.objects.select_for_update().get(pk=item.pk)
    if item.status not in statuses or (action and not action.allowed_for(item)):
        raise ValidationError(f"该事项当前状态为“{item.get_status_display()}”，不能执行此操作。请刷新页面后重试。")
    return item


def locked_for(item, name, actions=ACTIONS):
    action = actions[name]
    return locked(item, action.from_statuses, action)


def refused(action):
    return ValidationError(f"该事项当前不能{action.label}。请刷新页面后重试。")


def target_level(item, assignee, department):
    """The level an assignment takes the item into: its department's, else its assignee's, else its own."""
    assignee_level = getattr(getattr(assignee, "staff_profile", None), "level", "")
    if department and assignee_level and assignee_level != department.level:
        raise ValidationError("承办人和承办部门不属于同一属地，请重新选择。")
    return (department.level if department else assignee_level) or item.level


def clear_department_work(item):
    """A new assignment or the closing ends what the department had waiting for the office."""
    item.reply_state = ""
    item.proposed_reply = ""
    item.return_reason = ""
    item.extension_due = None
    item.extension_reason = ""


@transaction.atomic
def accept(item, actor, note=""):
    item = locked_for(item, "accept")
    item.status = Status.ACCEPTED
    item.accepted_at = timezone.now()
    item.completion_due = add_working_days(
        timezone.localdate(item.accepted_at), settings.INTAKE_COMPLETION_WORKING_DAYS
    )
    item.save()
    record_step(item, StepAction.ACCEPTED, actor, note=note, public_note="您反映的事项已受理。")
    return item


@transaction.atomic
def reject(item, actor, reason):
    item = locked_for(item, "reject")
    item.status = Status.REJECTED
    item.rejection_reason = reason
    item.save()
    record_step(item, StepAction.REJECTED, actor, note=reason, public_note=f"不予受理。理由：{reason}")
    return item


@transaction.atomic
def assign(item, actor, *, assignee=None, department=None, due_date, instruction=""):
    """交办 to a staff user and/or a department. An assignee who works for a county, or a county's
    department, takes the item into that county."""
    item = locked_for(item, "assign")
    level = target_level(item, assignee, department)
    item.status = Status.ASSIGNED
    item.assignee = assignee
    item.department = department
    item.assigned_at = timezone.now()
    item.completion_due = due_date
    clear_department_work(item)
    moved = level != item.level
    item.level = level
    item.save()
    handlers = "、".join(str(name) for name in [department, assignee and display_name(assignee)] if name)
    note = f"承办：{handlers}；办结期限：{due_date:%Y-%m-%d}" + (f"；转{item.get_level_display()}办理" if moved else "")
    if instruction:
        note += f"；交办意见：{instruction}"
    record_step(item, StepAction.ASSIGNED, actor, note=note, public_note="已交办承办单位办理。")
    mail.queue_mail(mail.ASSIGNED, item)
    if department:
        mail.queue_mail(mail.DEPARTMENT_ASSIGNED, item)
    return item


@transaction.atomic
def start(item, actor, note=""):
    item = locked_for(item, "start")
    item.status = Status.IN_PROGRESS
    item.started_at = timezone.now()
    item.save()
    record_step(item, StepAction.STARTED, actor, note=note, public_note="承办单位正在办理。")
    return item


@transaction.atomic
def arrange(item, actor, *, meeting_at, place, leader=None, leader_text=""):
    """Records the appointment once arranged: which leader (from the list, or `leader_text` for one
    not on it), when and where (shown to the expert)."""
    if leader is None and not leader_text:
        raise ValidationError("请填写约见的领导。")
    item = locked_for(item, "arrange")
    item.meeting_leader = leader
    item.meeting_leader_text = "" if leader else leader_text
    item.meeting_at = meeting_at
    item.meeting_place = place
    item.save()
    when = timezone.localtime(meeting_at).strftime("%Y年%m月%d日 %H:%M")
    text = f"已安排约见：{item.meeting_leader_label}，{when}，{place}"
    record_step(item, StepAction.APPOINTMENT, actor, note=text, public_note=text + "。")
    return item


@transaction.atomic
def close(item, actor, reply):
    item = locked_for(item, "close")
    item.status = Status.CLOSED
    item.reply = reply
    item.closed_at = timezone.now()
    clear_department_work(item)
    item.save()
    record_step(item, StepAction.CLOSED, actor, note=reply, public_note="已办结，答复意见见下方。")
    mail.queue_mail(mail.CLOSED, item)
    return item


@transaction.atomic
def follow_up(item, actor, *, satisfaction, note=""):
    """回访: the expert's rating of the answer, recorded by staff (actor) or given by the expert (None)."""
    item = locked_for(item, "follow_up")
    item.status = Status.FOLLOWED_UP
    item.satisfaction = satisfaction
    item.satisfaction_note = note
    item.followed_up_at = timezone.now()
    item.save()
    label = Satisfaction(satisfaction).label
    source = "" if actor else "来信人在查询页评价："
    record_step(
        item,
        StepAction.FOLLOWED_UP,
        actor,
        note=f"{source}{label}。{note}".strip(),
        public_note=f"已回访，评价：{label}。" if actor else f"您已评价：{label}。",
    )
    return item


@transaction.atomic
def rate(item, *, satisfaction, comment=""):
    """The expert rates a closed item on the tracking page, once; 不满意 sends it back to the office
    with the comment, as staff reopen it after a phone follow-up."""
    try:
        item = follow_up(item, None, satisfaction=satisfaction, note=comment)
    except ValidationError:
        raise ValidationError("该事项当前不能评价：每次答复只能评价一次，且须在办结之后。") from None
    if satisfaction == Satisfaction.DISSATISFIED:
        item = reopen(item, None, f"来信人评价不满意。{comment}".strip())
        mail.queue_mail(mail.REOPENED, item)
    return item


@transaction.atomic
def reopen(item, actor, reason):
    """Back to 办理中 when the expert is not satisfied, with a new completion deadline from today."""
    item = locked_for(item, "reopen")
    if item.status == Status.FOLLOWED_UP and item.satisfaction != Satisfaction.DISSATISFIED:
        raise ValidationError("只有回访评价为“不满意”的事项可以重新办理。")
    item.status = Status.IN_PROGRESS
    item.reopen_count += 1
    item.closed_at = None
    item.satisfaction = ""
    item.followed_up_at = None
    item.completion_due = add_working_days(timezone.localdate(), settings.INTAKE_COMPLETION_WORKING_DAYS)
    item.save()
    record_step(item, StepAction.REOPENED, actor, note=reason, public_note="因您对办理结果不满意，已重新办理。")
    if item.department_id:
        mail.queue_mail(mail.DEPARTMENT_REOPENED, item)
    return item


@transaction.atomic
def supervise(item, actor, comment):
    """督办: the office follows the item closely; it stands out in the queue and the dashboard."""
    item = locked_for(item, "supervise")
    item.supervised = True
    item.supervision_comment = comment
    item.save()
    record_step(item, StepAction.SUPERVISED, actor, note=comment, public=False)
    mail.queue_mail(mail.SUPERVISED, item)
    return item


# The department's steps (承办部门) and the office's decisions on them -----------------------------


@transaction.atomic
def request_extension(item, actor, *, due_date, reason):
    """申请延期: a later completion date and why; one request waits for the office at a time."""
    item = locked_for(item, "extend", DEPARTMENT_ACTIONS)
    if item.completion_due and due_date <= item.completion_due:
        raise ValidationError(f"申请的办结期限须晚于当前期限（{item.completion_due:%Y-%m-%d}）。")
    item.extension_due = due_date
    item.extension_reason = reason
    item.save()
    note = f"申请延期至{due_date:%Y-%m-%d}（原期限{item.completion_due:%Y-%m-%d}）；理由：{reason}"
    record_step(item, StepAction.EXTENSION_REQUESTED, actor, note=note, public=False)
    mail.queue_mail(mail.EXTENSION_REQUESTED, item)
    return item


@transaction.atomic
def decide_extension(item, actor, *, approve, note=""):
    """The office approves (the completion date moves) or declines the department's request."""
    item = locked_for(item, "decide_extension")
    requested = item.extension_due
    if approve:
        item.completion_due = requested
    item.extension_due = None
    item.extension_reason = ""
    item.save()
    text = f"{'批准' if approve else '不批准'}延期至{requested:%Y-%m-%d}" + (f"；意见：{note}" if note else "")
    action = StepAction.EXTENSION_APPROVED if approve else StepAction.EXTENSION_DECLINED
    record_step(item, action, actor, note=text, public=False)
    mail.queue_mail(mail.EXTENSION_DECIDED, item)
    return item


@transaction.atomic
def propose_reply(item, actor, reply):
    """提交审核: the department's proposed reply goes to the office; the expert sees nothing of it yet."""
    item = locked_for(item, "propose", DEPARTMENT_ACTIONS)
    item.proposed_reply = reply
    item.reply_state = ReplyState.PROPOSED
    item.save()
    record_step(item, StepAction.REPLY_PROPOSED, actor, note=reply, public=False)
    mail.queue_mail(mail.REPLY_PROPOSED, item)
    return item


@transaction.atomic
def return_reply(item, actor, reason):
    """退回: the proposed reply goes back to the department with the office's reason, to be revised."""
    item = locked_for(item, "return_reply")
    item.reply_state = ReplyState.RETURNED
    item.return_reason = reason
    item.save()
    record_step(item, StepAction.REPLY_RETURNED, actor, note=reason, public=False)
    mail.queue_mail(mail.REPLY_RETURNED, item)
    return item


@transaction.atomic
def approve_reply(item, actor, reply):
    """The office approves the proposed reply, as written or as it edited it, and closes the item with it."""
    item = locked_for(item, "approve_reply")
    edited = reply.strip() != item.proposed_reply.strip()
    record_step(item, StepAction.REPLY_APPROVED, actor, note="修改后通过" if edited else "原文通过", public=False)
    return close(item, actor, reply)
