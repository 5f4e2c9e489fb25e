"""What happens to an expert record, in one place each: entry, removal, restoration, yearly review.

Views, the import and the demo call these; nothing else writes `Expert.status` or
status history rows, so the status always derives from the history.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from wagtail.actions.create import CreateAction
from wagtail.log_actions import log

from . import privacy
from .models import AnnualReview, Expert, ExpertStatus, ExpertStatusChange, StatusChangeKind
from .models.records import STATUS_AFTER
from .signals import expert_left_public, expert_removed

# The status an expert must have for each change to be possible.
STATUS_BEFORE = {
    StatusChangeKind.REMOVED: ExpertStatus.ACTIVE,
    StatusChangeKind.RESTORED: ExpertStatus.REMOVED,
}


def derive_status(expert):
    """The status the history leaves `expert` in: the kind of the latest change decides."""
    latest = expert.status_changes.order_by("-date", "-created_at", "-pk").values_list("kind", flat=True).first()
    return STATUS_AFTER[latest] if latest else ExpertStatus.ACTIVE


def check_status_change(expert, kind, date):
    """Raises ValidationError (keyed by form field) if `kind` on `date` is not possible for `expert`."""
    if kind == StatusChangeKind.RESTORED and privacy.is_anonymised(expert):
        raise ValidationError("该专家已匿名化处理，不能恢复入库。")
    if expert.status != STATUS_BEFORE[kind]:
        raise ValidationError(f"该专家当前状态为“{expert.get_status_display()}”，不能{StatusChangeKind(kind).label}。")
    if date > timezone.localdate():
        raise ValidationError({"date": "日期不能晚于今天。"})
    latest = expert.status_changes.order_by("-date", "-created_at", "-pk").first()
    if latest and date < latest.date:
        raise ValidationError(
            {"date": f"日期不能早于上一次变动（{latest.get_kind_display()}，{latest.date:%Y-%m-%d}）。"}
        )


def _record(expert, kind, *, date, user, reason="", basis=""):
    change = ExpertStatusChange.objects.create(
        expert=expert, kind=kind, date=date, reason=reason, basis=basis, made_by=user
    )
    expert.status = derive_status(expert)
    expert.save(update_fields=["status", "updated_at"])
    return change


@transaction.atomic
def create_expert(form, *, user, log_action="wagtail.create"):
    """Saves a validated ExpertForm as a new record that enters the database on its `joined_on` date."""
    expert = CreateAction(form.instance, user=user, form=form, log_action=log_action).execute(
        skip_permission_checks=True  # the calling view has checked the "add" permission
    )
    _record(expert, StatusChangeKind.JOINED, date=expert.joined_on, user=user)
    return expert


@transaction.atomic
def remove_expert(expert, *, date, reason, basis, user):
    """调出: the expert leaves active lists and public pages; `expert_removed` tells whatever else ends."""
    check_status_change(expert, StatusChangeKind.REMOVED, date)
    if not reason:
        raise ValidationError({"reason": "请选择调出原因。"})
    change = _record(expert, StatusChangeKind.REMOVED, date=date, user=user, reason=reason, basis=basis)
    log(
        instance=expert,
        action="experts.remove",
        user=user,
        data={"date": date.isoformat(), "reason": change.get_reason_display(), "basis": basis},
    )
    # Receivers run inside this transaction: if one fails, the removal does not happen either.
    expert_removed.send(sender=Expert, expert=expert, date=date, user=user)
    expert_left_public.send(sender=Expert, expert=expert)
    return change


@transaction.atomic
def restore_expert(expert, *, date, basis, user):
    """恢复入库: a removed expert is active again. Their public profile stays down until republished."""
    check_status_change(expert, StatusChangeKind.RESTORED, date)
    if not basis.strip():
        raise ValidationError({"basis": "请填写恢复入库的依据。"})
    change = _record(expert, StatusChangeKind.RESTORED, date=date, user=user, basis=basis)
    log(instance=expert, action="experts.restore", user=user, data={"date": date.isoformat(), "basis": basis})
    return change


def notice_consent_withdrawal(expert, *, consent_before, user):
    """After an edit was saved: tell the public site if the expert withdrew consent to a public profile."""
    if consent_before and not expert.public_profile_consent:
        expert_left_public.send(sender=Expert, expert=expert)
        log(instance=expert, action="experts.withdraw_consent", user=user)


@transaction.atomic
def confirm_reviews(experts, *, year, user):
    """年度调整: records that staff confirmed these active experts for `year`; returns how many were new."""
    already = set(AnnualReview.objects.filter(year=year, expert__in=experts).values_list("expert_id", flat=True))
    confirmed = 0
    for expert in experts:
        if expert.pk in already or expert.status != ExpertStatus.ACTIVE:
            continue
        AnnualReview.objects.create(expert=expert, year=year, reviewed_by=user)
        log(instance=expert, action="experts.review", user=user, data={"year": year})
        confirmed += 1
    return confirmed


def find_duplicate(*, name, unit, mobile, exclude_pk=None):
    """An existing record for the same person: same name at the same unit, or the same mobile number.

    Returns (expert, field) with the field the clash is on, or (None, None).
    """
    others = Expert.objects.select_related("unit")
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    if name and unit:
        clash = others.filter(name=name, unit=unit).first()
        if clash:
            return clash, "name"
    if mobile:
        clash = others.filter(mobile=mobile).first()
        if clash:
            return clash, "mobile"
    return None, None


def duplicate_message(expert, *, linkable):
    """The message for a duplicate; links to the existing record when the user may open it."""
    text = (
        f"与已有专家“{expert.name}”（{expert.unit}，{expert.get_level_display()}，{expert.get_status_display()}）重复"
    )
    if linkable:
        return format_html('{}：<a href="{}">查看已有记录</a>。', text, expert.get_admin_url())
    return f"{text}，该记录不在您的属地范围内，请联系市委人才办。"
