"""An expert's rights over their data: subject access (导出本人数据) and anonymisation (匿名化处理).

Other apps hold records that name an expert. Each adds its part from its own wagtail_hooks.py:
- SUBJECT_ACCESS_HOOK: `f(expert)` returns the `staff.exports.Sheet`s of its records that name the expert;
- REFUSALS_HOOK: `f(expert)` returns the reasons (Chinese) why the expert may not be anonymised yet;
- ANONYMISE_HOOK: `f(expert, scrubber)`, inside the anonymising transaction, clears the expert's personal
  data from its records; `scrubber` replaces the old name, mobile and e-mail in free text and log entries.

The rule (`refusals`): only an expert removed from the database (已调出) is anonymised, once nothing about
them is still being handled. Statistics keep what they count: level, unit, team, categories, title level,
gender, education, the status history's kinds, dates and reasons, annual reviews and every liaison row.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.html import strip_tags
from wagtail import hooks
from wagtail.log_actions import registry as log_registry
from wagtail.models import PageLogEntry, ReferenceIndex

from security.audit import audit
from staff.exports import Sheet
from staff.roles import STAFF_GROUPS

from .models import Expert, ExpertLogEntry, ExpertStatus
from .models.pages import ExpertProfilePage, take_down_profiles

SUBJECT_ACCESS_HOOK = "expert_subject_access"
REFUSALS_HOOK = "expert_anonymise_refusals"
ANONYMISE_HOOK = "expert_anonymise"

ANONYMISE = "portal.anonymise"
SUBJECT_ACCESS = "portal.subject_access"
HIDDEN = "××"


def handles_subject_requests(user):
    """Who answers an expert's requests about their data: superusers, the city and county offices."""
    return user.is_superuser or user.groups.filter(name__in=STAFF_GROUPS).exists()


def anonymous_name(expert):
    return f"已匿名专家 #{expert.pk}"


def is_anonymised(expert):
    return ExpertLogEntry.objects.filter(expert=expert, action=ANONYMISE).exists()


# Subject access -----------------------------------------------------------------------------


def display(instance, field):
    """What a detail view shows for `field`: labels of choices, names of related rows, 是/否."""
    if field.many_to_many:
        return "、".join(str(row) for row in getattr(instance, field.name).all())
    if field.choices:
        return getattr(instance, f"get_{field.name}_display")()
    value = getattr(instance, field.name)
    if isinstance(value, bool):
        return "是" if value else "否"
    if field.is_relation:
        return "" if value is None else str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def record_sheet(title, rows, fields):
    """A sheet of `rows` (model instances) with the named fields, headed by their verbose names."""
    rows = list(rows)
    model = rows[0]._meta.model if rows else None
    if model is None:
        return Sheet(title, ["（无记录）"])
    meta_fields = [model._meta.get_field(name) for name in fields]
    return Sheet(
        title,
        [str(field.verbose_name) for field in meta_fields],
        [[display(row, field) for field in meta_fields] for row in rows],
    )


def page_sheet(title, pages, fields):
    """A sheet of public pages: the named fields, then whether each is live and where."""
    sheet = record_sheet(title, pages, fields)
    pages = list(pages)
    if not pages:
        return sheet
    rows = [[*row, "是" if page.live else "否", page.url or ""] for row, page in zip(sheet.rows, pages, strict=True)]
    return Sheet(title, [*sheet.headings, "已发布", "网址"], rows)


def log_sheet(title, entries):
    """A sheet of log entries: when, who, what, from where, with what result."""
    headings = ["时间", "操作人", "操作", "说明", "来源地址", "结果"]
    rows = [
        [
            entry.timestamp,
            entry.user_display_name,
            log_registry.get_action_label(entry.action),
            entry.message,
            entry.data.get("ip", ""),
            entry.data.get("result", ""),
        ]
        for entry in entries.select_related("user")
    ]
    return Sheet(title, headings, rows)


# Every field of the record itself (its id is given as 编号).
EXPERT_FIELDS = [field.name for field in Expert._meta.get_fields() if not field.auto_created]


def expert_sheets(expert):
    """The experts app's own part: the record, its history, annual reviews, public profiles and log."""
    fields = [Expert._meta.get_field(name) for name in EXPERT_FIELDS]
    yield Sheet(
        "专家记录",
        ["项目", "内容"],
        [["编号", expert.pk], *([str(field.verbose_name), display(expert, field)] for field in fields)],
        freeze_panes="B2",
    )
    yield record_sheet(
        "入库调出记录",
        expert.status_changes.select_related("made_by"),
        ["kind", "date", "reason", "basis", "made_by", "created_at"],
    )
    yield record_sheet(
        "年度调整确认", expert.annual_reviews.select_related("reviewed_by"), ["year", "reviewed_by", "reviewed_at"]
    )
    profiles = ExpertProfilePage.objects.filter(expert=expert).order_by("pk")
    yield Sheet(
        "公开简介",
        ["标题", "网址", "已发布", "工作单位", "职称和职务", "专业领域", "人才队伍", "简介", "主要成就", "首次发布"],
        [
            [
                profile.title,
                profile.url or "",
                "是" if profile.live else "否",
                profile.unit_name,
                profile.professional_title,
                profile.field,
                profile.get_talent_team_display(),
                profile.summary,
                strip_tags(profile.achievements),
                profile.first_published_at,
            ]
            for profile in profiles
        ],
    )
    yield log_sheet("操作日志", ExpertLogEntry.objects.filter(expert=expert))


def subject_access_sheets(expert):
    """Every sheet of the expert's subject access workbook: this app's, then each registered app's."""
    sheets = list(expert_sheets(expert))
    for sheets_of in hooks.get_hooks(SUBJECT_ACCESS_HOOK):
        sheets.extend(sheets_of(expert))
    return sheets


# Anonymisation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scrubber:
    """Applies `text` (old personal values out, placeholders in) to free text, rows and log entries."""

    text: Callable[[str], str]

    @classmethod
    def for_expert(cls, expert, new_name):
        """Replaces the expert's old name by the anonymous one, the mobile and e-mail by ××."""
        pairs = [(expert.name, new_name), (expert.mobile, HIDDEN), (expert.email, HIDDEN)]
        pairs = sorted(((old, new) for old, new in pairs if old), key=lambda pair: -len(pair[0]))

        def text(value):
            for old, new in pairs:
                value = value.replace(old, new)
            return value

        return cls(text)

    def data(self, value):
        """`value` (a log entry's JSON data) with every string in it scrubbed."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.data(item) for item in value]
        if isinstance(value, dict):
            return {key: self.data(item) for key, item in value.items()}
        return value

    def rows(self, queryset, *fields):
        """Scrubs the text `fields` of every row of `queryset`."""
        for row in queryset:
            changed = [field for field in fields if self.text(getattr(row, field)) != getattr(row, field)]
            for field in changed:
                setattr(row, field, self.text(getattr(row, field)))
            if changed:
                row.save(update_fields=changed)

    def log_entries(self, entries):
        """Scrubs the label and data of log entries: who did what, when and from where stays."""
        for entry in entries:
            label, data = self.text(entry.label), self.data(entry.data)
            if (label, data) != (entry.label, entry.data):
                # Wagtail's PageLogEntry.save validates its page, gone here: update the row instead.
                type(entry).objects.filter(pk=entry.pk).update(label=label, data=data)


# Cleared on anonymisation (to their defaults): what identifies the person rather than counts them.
PERSONAL_FIELDS = [
    "mobile",
    "email",
    "birth_date",
    "professional_title",
    "position",
    "specialty",
    "notes",
    "public_profile_consent",
    "public_profile_consent_on",
    "public_shows_unit",
    "public_shows_title",
]


def refusals(expert):
    """Why `expert` may not be anonymised now (empty when it may be)."""
    if is_anonymised(expert):
        return ["该专家已经匿名化处理。"]
    reasons = []
    if expert.status != ExpertStatus.REMOVED:
        reasons.append("只有已调出的专家可以匿名化处理：在库专家的信息仍用于联系服务，请先办理调出。")
    for reasons_of in hooks.get_hooks(REFUSALS_HOOK):
        reasons.extend(reasons_of(expert))
    return reasons


def pages_linking_profiles(expert):
    """Pages that link to the expert's public profiles (honours, spotlight articles ...), by Wagtail's
    reference index. Anonymisation removes the links; their own text is for editors to review."""
    return [
        source
        for profile in ExpertProfilePage.objects.filter(expert=expert)
        for source, _ in ReferenceIndex.get_grouped_references_to(profile)
    ]


def _delete_profiles(expert, scrubber):
    """The public profiles go, with their revisions and photos; their page log keeps no name."""
    take_down_profiles(expert)
    for profile in ExpertProfilePage.objects.filter(expert=expert):
        photo = profile.photo
        page_id = profile.pk
        profile.delete()
        if photo is not None:
            photo.delete()
        scrubber.log_entries(PageLogEntry.objects.filter(page_id=page_id))


@transaction.atomic
def anonymise(expert, request, *, basis):
    """Replaces the expert's personal data everywhere, keeping what statistics count; irreversible."""
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    reasons = refusals(expert)
    if reasons:
        raise ValidationError(reasons)
    new_name = anonymous_name(expert)
    scrubber = Scrubber.for_expert(expert, new_name)
    _delete_profiles(expert, scrubber)
    for anonymise_in in hooks.get_hooks(ANONYMISE_HOOK):
        anonymise_in(expert, scrubber)
    scrubber.rows(expert.status_changes.all(), "basis")
    scrubber.log_entries(ExpertLogEntry.objects.filter(expert=expert))
    expert.name = new_name
    for field in PERSONAL_FIELDS:
        setattr(expert, field, Expert._meta.get_field(field).get_default())
    expert.save()
    audit(request, expert, ANONYMISE, basis=scrubber.text(basis))
    return expert
