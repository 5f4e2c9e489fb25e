"""What happens to the liaison records, in one place each: pairings start and end, a report moves
up or back, a must-visit is created and done. Views, the demo and the receivers call these."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from wagtail.log_actions import log

from experts.models import Expert, ExpertStatus
from staff.levels import Level
from staff.scoping import ALL_LEVELS

from .models import (
    ContactKind,
    EventKind,
    EventReport,
    FollowUp,
    FollowUpStatus,
    Leader,
    MustVisit,
    Pairing,
    ReportStage,
    ReportStep,
    VisitReason,
)
from .models.contacts import OPEN_FOLLOW_UP_STATUSES
from .models.people import PAIRING_QUOTA
from .scoping import office_bodies, office_level

# A must-visit an accepted report creates is due within this many days of the acceptance.
MUST_VISIT_WITHIN = timedelta(days=30)
VISIT_REASON_OF_EVENT = {
    EventKind.ACHIEVEMENT: VisitReason.ACHIEVEMENT,
    EventKind.FAMILY_EVENT: VisitReason.HARDSHIP,
    EventKind.HEALTH: VisitReason.HARDSHIP,
}
CONTACT_KIND_OF_VISIT = {
    VisitReason.ACHIEVEMENT: ContactKind.ACHIEVEMENT_VISIT,
    VisitReason.HARDSHIP: ContactKind.HARDSHIP_VISIT,
}


# Pairings -----------------------------------------------------------------------------------


def leaders_with_pairing_counts(leaders):
    """`leaders` annotated with `active_pairings`, the number of their pairings running today."""
    return leaders.annotate(active_pairings=Count("pairings", filter=Q(pairings__ended_on__isnull=True)))


def under_quota(leaders):
    """The active leaders among `leaders` with fewer active pairings than the plan asks (至少2名)."""
    return leaders_with_pairing_counts(leaders.filter(active=True)).filter(active_pairings__lt=PAIRING_QUOTA)


def check_new_pairing(leader, expert, started_on):
    """Raises ValidationError (keyed by form field) if `leader` cannot start pairing with `expert`."""
    errors = {}
    if expert.status != ExpertStatus.ACTIVE:
        errors["expert"] = f"{expert.name}已调出专家库，不能新建结对。"
    elif Pairing.objects.active().filter(leader=leader, expert=expert).exists():
        errors["expert"] = f"{leader.name}已在联系{expert.name}。"
    if not leader.active:
        errors["leader"] = f"{leader.name}已离任，不能新建结对。"
    if started_on and started_on > timezone.localdate():
        errors["started_on"] = "开始日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def end_pairing(pairing, *, ended_on, note, user):
    if pairing.ended_on is not None:
        raise ValidationError("该结对已结束。")
    if ended_on < pairing.started_on:
        raise ValidationError({"ended_on": f"结束日期不能早于开始日期（{pairing.started_on:%Y-%m-%d}）。"})
    pairing.ended_on = ended_on
    pairing.end_note = note
    pairing.save(update_fields=["ended_on", "end_note"])
    log(instance=pairing, action="liaison.pairing.end", user=user, data={"date": ended_on.isoformat(), "note": note})
    return pairing


def end_pairings_of_removed_expert(sender, expert, date, user, **kwargs):
    """Receiver of experts.signals.expert_removed: the expert's pairings end on the removal date."""
    for pairing in Pairing.objects.active().filter(expert=expert).select_related("leader"):
        end_pairing(pairing, ended_on=max(date, pairing.started_on), note="专家调出", user=user)


# Five reports --------------------------------------------------------------------------------


def first_stage(expert):
    """A county expert's report goes to the county's office first, a city expert's to the city office."""
    return ReportStage.CITY if expert.level == Level.CITY else ReportStage.COUNTY


def _step(report, action, stage_after, user, comment=""):
    ReportStep.objects.create(
        report=report,
        action=action,
        stage_before=report.stage,
        stage_after=stage_after,
        comment=comment,
        user=user,
        at=timezone.now(),
    )
    report.stage = stage_after
    report.save(update_fields=["stage", "updated_at"])
    log(instance=report, action=f"liaison.report.{action}", user=user, data={"comment": comment} if comment else {})


@transaction.atomic
def file_report(report, *, user):
    """Saves a new report (expert, kind, event date, details set) and sends it up its first step."""
    report.unit = report.expert.unit
    report.level = report.expert.level
    report.filed_by = user
    report.stage = ""
    report.save()
    _step(report, ReportStep.Action.FILED, first_stage(report.expert), user)
    return report


def may_review(user, report):
    """Whether `user` is the office the report waits at: the county's office, then the city office."""
    level = office_level(user)
    if report.stage == ReportStage.CITY:
        return level is ALL_LEVELS
    if report.stage == ReportStage.COUNTY:
        return bool(level) and level == report.level
    return False


@transaction.atomic
def accept_report(report, *, user, comment=""):
    """The office at the report's stage accepts it: up to the city office, or accepted there."""
    if not may_review(user, report):
        raise PermissionDenied
    if report.stage == ReportStage.COUNTY:
        _step(report, ReportStep.Action.ACCEPTED, ReportStage.CITY, user, comment)
    else:
        _step(report, ReportStep.Action.ACCEPTED, ReportStage.ACCEPTED, user, comment)
        create_must_visits(report)
    return report


@transaction.atomic
def return_report(report, *, user, comment):
    """The office at the report's stage sends it back to the liaison, saying why."""
    if not may_review(user, report):
        raise PermissionDenied
    if not comment.strip():
        raise ValidationError({"comment": "退回时请写明原因，方便联络员修改。"})
    _step(report, ReportStep.Action.RETURNED, ReportStage.RETURNED, user, comment)
    return report


@transaction.atomic
def refile_report(report, *, user):
    """The liaison sends a returned report (edited or not) up again from its first step."""
    if report.stage != ReportStage.RETURNED:
        raise ValidationError("只有被退回的报告可以重新报送。")
    _step(report, ReportStep.Action.REFILED, first_stage(report.expert), user)
    return report


# Must-visits ---------------------------------------------------------------------------------


def create_must_visits(report):
    """An accepted report of a major achievement or a hardship: each paired leader owes a visit."""
    reason = VISIT_REASON_OF_EVENT.get(report.kind)
    if reason is None:
        return []
    due_on = timezone.localdate() + MUST_VISIT_WITHIN
    pairings = Pairing.objects.active().filter(expert=report.expert, leader__active=True)
    return [
        MustVisit.objects.get_or_create(
            leader_id=leader_id, report=report, defaults={"expert": report.expert, "reason": reason, "due_on": due_on}
        )[0]
        for leader_id in pairings.values_list("leader_id", flat=True)
    ]


def mark_must_visits_done(record):
    """A saved contact record of a must-visit kind does the pending must-visits of its leaders and experts."""
    reasons = [reason for reason, kind in CONTACT_KIND_OF_VISIT.items() if kind == record.kind]
    if not reasons:
        return 0
    return MustVisit.objects.filter(
        done_by__isnull=True,
        reason__in=reasons,
        leader__in=record.leaders.all(),
        expert__in=record.experts.all(),
        report__event_date__lte=record.date,
    ).update(done_by=record)


def reports_waiting_for(user, reports=None):
    """The reports that wait for `user`'s office to accept or send back."""
    reports = EventReport.objects.all() if reports is None else reports
    level = office_level(user)
    if level is ALL_LEVELS:
        return reports.filter(stage=ReportStage.CITY)
    if level:
        return reports.filter(stage=ReportStage.COUNTY, level=level)
    return reports.none()


# Five reports: the liaison's edit of a returned report (l-reports) ---------------------------


def may_revise(user, report):
    """Only the liaison who filed a report edits it, and only once it has been sent back to them."""
    return report.stage == ReportStage.RETURNED and report.filed_by_id is not None and report.filed_by_id == user.pk


@transaction.atomic
def revise_report(report, *, user, changed=True):
    """Saves the liaison's edit of a returned report (expert, kind, event date, details set) and files it
    again: the unit and level follow the expert, who may have been corrected."""
    if not may_revise(user, report):
        raise PermissionDenied
    report.unit = report.expert.unit
    report.level = report.expert.level
    report.save()
    log(instance=report, action="wagtail.edit", user=user, content_changed=changed)
    return refile_report(report, user=user)


# Leaders and pairings: the quota summary ----------------------------------------------------


def quota_by_level(leaders):
    """{level: (active leaders, how many of them are under quota)} for the levels of `leaders`
    that have active leaders; two queries whatever the number of leaders."""
    active = leaders.filter(active=True).order_by().values_list("level").annotate(count=Count("pk"))
    under = (
        leaders.model.objects.filter(pk__in=under_quota(leaders).values("pk"))
        .order_by()
        .values_list("level")
        .annotate(count=Count("pk"))
    )
    under = dict(under)
    return {level: (count, under.get(level, 0)) for level, count in active}


# Contact records and follow-ups (联系服务记录, 问题跟踪) ------------------------------------------
# Who may record what: the city office for any leader and expert; a county office for its county's;
# a leader's office for the leaders of its body and level, with the experts of its level (any, at the city).


def leaders_to_record_for(user):
    """The active leaders whose contacts `user` may record."""
    leaders = Leader.objects.filter(active=True)
    level = office_level(user)
    if level is ALL_LEVELS:
        return leaders
    conditions = Q(level=level) if level else Q()
    for body, office_level_ in office_bodies(user):
        conditions |= Q(body=body, level=office_level_)
    return leaders.filter(conditions) if conditions else leaders.none()


def experts_to_contact(user):
    """The active experts `user` may put in a contact record."""
    experts = Expert.objects.filter(status=ExpertStatus.ACTIVE)
    levels = {level for _, level in office_bodies(user)}
    level = office_level(user)
    if level is ALL_LEVELS or Level.CITY in levels:
        return experts
    if level:
        levels.add(level)
    return experts.filter(level__in=levels)


def recording_level(user, leaders):
    """The level a record is filed under: the recording office's. A leader's office serving bodies of
    several levels files it under its leaders' level (the city's, if a city leader is among them)."""
    level = office_level(user)
    if level is ALL_LEVELS:
        return Level.CITY
    if level:
        return level
    levels = {leader.level for leader in leaders} or {level for _, level in office_bodies(user)}
    return Level.CITY if Level.CITY in levels else min(levels, default="")


def may_change_contact(user, record):
    """Whether `user`, who may change contact records and sees `record`, may edit it: the city office
    any; a county office its county's; a leader's office one whose leaders all belong to its body."""
    level = office_level(user)
    if level is ALL_LEVELS or (level and record.level == level):
        return True
    bodies = set(office_bodies(user))
    leaders = list(record.leaders.all())
    return bool(bodies and leaders) and all((leader.body, leader.level) in bodies for leader in leaders)


OUTCOME_REQUIRED = {
    FollowUpStatus.SOLVED: "标记为已解决时，请写明如何解决的。",
    FollowUpStatus.UNSOLVABLE: "标记为无法解决时，请写明原因。",
}


def check_follow_up_status(follow_up, status, outcome):
    """Raises ValidationError (keyed by form field) unless `follow_up` may move to `status` with
    `outcome`: 已解决 needs the outcome, 无法解决 the reason, and something must change."""
    outcome = outcome.strip()
    if status in OUTCOME_REQUIRED and not outcome:
        raise ValidationError({"outcome": OUTCOME_REQUIRED[status]})
    if status == follow_up.status and outcome == follow_up.outcome:
        raise ValidationError({"status": "办理状态和办理结果都没有变化。"})


@transaction.atomic
def change_follow_up_status(follow_up, *, status, outcome, user):
    """Moves a follow-up to `status` (see check_follow_up_status): closing sets the closing date,
    reopening clears it; logged with the status before and after."""
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    check_follow_up_status(follow_up, status, outcome)
    before = follow_up.status
    if status in OPEN_FOLLOW_UP_STATUSES:
        follow_up.closed_on = None
    elif follow_up.closed_on is None:
        follow_up.closed_on = timezone.localdate()
    follow_up.status = status
    follow_up.outcome = outcome.strip()
    follow_up.save(update_fields=["status", "outcome", "closed_on", "updated_at"])
    log(
        instance=follow_up,
        action="liaison.followup.status",
        user=user,
        data={"before": before, "after": status, "outcome": follow_up.outcome},
    )
    return follow_up
