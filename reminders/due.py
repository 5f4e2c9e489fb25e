"""What is due for a person on a day (今日待办): the daily reminder mail and the dashboard's panel
show the same groups.

- a leader (领导, with a login linked to their Leader row): their visits owed in the next
  REMINDER_DAYS days or overdue (liaison.calendar), their follow-ups past the deadline;
- a talent office (市委人才办, 县级人才办; its level as staff.scoping gives it): the follow-ups and
  intake items past their deadline, the five reports waiting at its level, and the yearly review
  (年度调整) while its season is open and experts are left unconfirmed;
- a department's user (承办部门): the items of their department past the deadline.

Every group is counted and its first ROWS items listed, each with a link; a constant number of
queries per person whatever the number of due items.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from experts.reviews import YearlyReview
from intake.departments import department_items, user_department
from intake.models import ITEM_ACTIONS, IntakeItem, Status
from liaison.calendar import VisitStatus, owed_visits
from liaison.models import EventReport, FollowUp, Leader, MustVisit
from liaison.scoping import office_level, own_leader
from liaison.services import reports_waiting_for
from staff.scoping import ALL_LEVELS, visible_rows

# Visits whose day falls within this many days from today are due now (issue 14: "the next 7 days").
REMINDER_DAYS = 7
ROWS = 10  # items listed per group; the rest is one link to the list


@dataclass(frozen=True)
class DueItem:
    text: str
    url: str  # an admin path; mails prefix the site's address
    overdue: bool = False


@dataclass
class DueGroup:
    key: str
    title: str
    count: int
    url: str  # the list of all of them
    items: list = field(default_factory=list)

    @property
    def more(self):
        return self.count - len(self.items)


def receives_reminders(user):
    """Leaders, the talent offices and departments' users: those the reminders are for."""
    if not user.is_authenticated or not user.is_active:
        return False
    level = office_level(user)
    return own_leader(user) is not None or level is ALL_LEVELS or bool(level) or user_department(user) is not None


def due_groups(user, today=None):
    """[DueGroup] of what is due for `user` on `today`, non-empty groups only, in a fixed order."""
    today = today or timezone.localdate()
    if not user.is_active:
        return []
    groups = []
    leader = own_leader(user)
    if leader is not None and leader.active:
        groups.append(visits_group(leader, today))
    level = office_level(user)
    is_office = level is ALL_LEVELS or bool(level)
    if leader is not None or is_office:
        groups.append(follow_ups_group(user, today))
    if is_office:
        groups += [office_items_group(user, today), reports_group(user), review_group(user, today)]
    if not user.is_superuser:  # a superuser's department_items are every department's, the office's own
        groups.append(department_group(user, today))
    return [group for group in groups if group is not None and group.count]


def counted(key, title, url, rows, describe):
    """A group of `rows` (a queryset): its count and the first ROWS described; two queries."""
    return DueGroup(key, title, rows.count(), url, [describe(row) for row in rows[:ROWS]])


def visits_group(leader, today):
    """The leader's visits due within REMINDER_DAYS days, and those overdue; five to nine queries."""
    horizon = today + datetime.timedelta(days=REMINDER_DAYS)
    years = sorted({today.year, horizon.year})  # late December: the next year's 元旦 comes due
    visits = owed_visits(Leader.objects.filter(pk=leader.pk), MustVisit.objects.all(), today, years)
    due = [visit for visit in visits if visit.status == VisitStatus.OVERDUE or visit.date <= horizon]
    due.sort(key=lambda visit: (visit.status != VisitStatus.OVERDUE, visit.date, visit.expert_name))
    url = reverse("liaison_mine:index")
    return DueGroup("visits", "必访事项", len(due), url, [visit_item(visit, url) for visit in due[:ROWS]])


def visit_window(visit):
    """When the visit is to be made, as the mail and the feed say it."""
    if visit.occasion is not None:
        return f"走访时间 {visit.occasion.opens:%Y-%m-%d} 至 {visit.occasion.closes:%Y-%m-%d}"
    return f"应于 {visit.date:%Y-%m-%d} 前走访"


def visit_item(visit, url):
    overdue = visit.status == VisitStatus.OVERDUE
    text = f"{visit.reason}：{visit.expert_name}（{visit_window(visit)}）"
    return DueItem(text + ("，已逾期" if overdue else ""), url, overdue)


def follow_ups_group(user, today):
    rows = visible_rows(user, FollowUp).overdue(today).select_related("expert").order_by("due_on", "pk")
    url = reverse("liaison_followups:index") + "?overdue=true"

    def describe(follow_up):
        # The problem itself stays in the workbench: it may be a hardship the expert confided.
        text = f"{follow_up.expert.name}反映的问题（责任单位：{follow_up.owner}）办结时限 {follow_up.due_on:%Y-%m-%d}，已逾期"
        return DueItem(text, reverse("liaison_followups:inspect", args=[follow_up.pk]), True)

    return counted("follow_ups", "逾期未办结的问题", url, rows, describe)


def item_text(item):
    step = "受理" if item.status == Status.NEW else "办结"
    return f"{item.tracking_number}：{item.subject}（{step}期限 {item.deadline:%Y-%m-%d}，已超期）"


def office_items_group(user, today):
    rows = visible_rows(user, IntakeItem, ITEM_ACTIONS).open().overdue(today).order_by("deadline", "pk")
    url = reverse("intake_item:index") + "?overdue=true"

    def describe(item):
        return DueItem(item_text(item), reverse("intake_item:inspect", args=[item.pk]), True)

    return counted("intake_items", "超期的来信来访事项", url, rows, describe)


def department_group(user, today):
    rows = department_items(user).open().overdue(today).order_by("deadline", "pk")
    url = reverse("intake_dept:index")

    def describe(item):
        return DueItem(item_text(item), reverse("intake_dept:inspect", args=[item.pk]), True)

    return counted("department_items", "本部门超期的承办事项", url, rows, describe)


def reports_group(user):
    rows = reports_waiting_for(user, visible_rows(user, EventReport)).select_related("expert")
    url = reverse("liaison_reports:index")

    def describe(report):
        text = f"{report.expert.name}：{report.get_kind_display()}（{timezone.localtime(report.created_at):%Y-%m-%d} 报送）"
        return DueItem(text, reverse("liaison_reports:inspect", args=[report.pk]))

    return counted("reports", "待本级审核的五报告", url, rows.order_by("created_at", "pk"), describe)


def review_season_open(today):
    month, day = settings.REMINDERS_REVIEW_SEASON_OPENS
    return today >= datetime.date(today.year, month, day)


def review_group(user, today):
    """The yearly review of this year, from the day its season opens to the year's end (a year's
    review can be confirmed only in that year), while experts are left unconfirmed."""
    if not review_season_open(today):
        return None
    left = YearlyReview(today.year, user).unreviewed_count
    url = reverse("experts_review:index") + f"?year={today.year}&shown=no"
    text = f"{today.year}年度调整已开始：尚有 {left} 名在库专家未确认"
    return DueGroup("review", "年度调整", 1 if left else 0, url, [DueItem(text, url)])
