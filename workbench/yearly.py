"""The yearly report (年度工作报告) of a year and a level: the same sections on screen and in the workbook.

Every number comes from a workbench.figures function (or from the module that owns the figure:
intake.statistics for the intake queue, programme.coverage for the services' coverage), read for
the chosen level from the figure's count by level; nothing is counted a second time here. A
section is its key figures, short tables and charts; in the workbook each section is one sheet.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from experts.models import ExpertStatusChange, RemovalReason, StatusChangeKind
from intake.models import ITEM_ACTIONS, IntakeItem
from intake.statistics import figures_as_rows, monthly_figures
from liaison.models import EventKind, EventReport, Leader, ReportStage
from liaison.scoping import office_level
from liaison.services import quota_by_level
from programme.coverage import Coverage
from programme.kinds import kinds_of
from staff.exports import Percent, Sheet
from staff.levels import Level
from staff.scoping import ALL_LEVELS, sees_model, visible_rows

from . import figures
from .charts import BarChart, Series
from .figures import Figure, ScopedReview

FIRST_YEAR = 2000
WHOLE_CITY = ""  # the level chooser's 全市: every level the user sees
# The programme's chapters whose yearly coverage the report shows, by their registry names (programme.kinds).
CHAPTERS = [("care", "关心关爱"), ("guidance", "政治引领"), ("consulting", "决策咨询"), ("innovation", "创新创业支持")]


def may_see_report(user):
    """The talent offices (the city's and each county's) and superusers: the report covers their level's work."""
    return bool(office_level(user)) or office_level(user) is ALL_LEVELS


def level_choices(user):
    """The levels the user may choose: the city office every one and 全市; a county office none (its own)."""
    if office_level(user) is not ALL_LEVELS:
        return []
    return [(WHOLE_CITY, "全市"), *Level.choices]


# Figures only the report shows ----------------------------------------------------------------------


def status_changes(user, year):
    """本年入库、恢复入库、调出 (and 调出 by reason) of the experts in the user's scope, by the expert's level."""
    found = {}
    for kind, reason, level, count in (
        ScopedReview(year, user)
        .changes.order_by()
        .values_list("kind", "reason", "expert__level")
        .annotate(count=Count("pk"))
    ):
        found.setdefault(kind, {}).setdefault(level, 0)
        found[kind][level] += count
        if kind == StatusChangeKind.REMOVED:
            found.setdefault(("reason", reason), {}).setdefault(level, 0)
            found[("reason", reason)][level] += count
    kinds = [Figure(f"本年{label}", found.get(value, {})) for value, label in StatusChangeKind.choices]
    reasons = [Figure(label, found.get(("reason", value), {})) for value, label in RemovalReason.choices]
    return kinds, reasons


def active_leaders(user):
    """在任领导 the user sees, by level (liaison.services.quota_by_level, as leaders_under_quota reads it)."""
    return Figure(
        "在任领导",
        {level: active for level, (active, _) in quota_by_level(visible_rows(user, Leader)).items()},
        figures._url("liaison_leader:index", user, Leader),
        {"active": "yes"},
    )


def event_reports(user, year):
    """The five reports (五报告) of events in `year`: one Figure per event kind and one per stage, by level."""
    rows = (
        visible_rows(user, EventReport)
        .filter(event_date__year=year)
        .order_by()
        .values_list("kind", "stage", "level")
        .annotate(count=Count("pk"))
    )
    by_kind, by_stage = {}, {}
    for kind, stage, level, count in rows:
        by_kind.setdefault(kind, {}).setdefault(level, 0)
        by_kind[kind][level] += count
        by_stage.setdefault(stage, {}).setdefault(level, 0)
        by_stage[stage][level] += count
    # No link: the reports' list has no filter by the event's year, so it would show other years' rows.
    return (
        [Figure(label, by_kind.get(value, {})) for value, label in EventKind.choices],
        [Figure(label, by_stage.get(value, {})) for value, label in ReportStage.choices],
    )


# The report ------------------------------------------------------------------------------------------


@dataclass
class Stat:
    label: str
    value: object
    link: str = ""


@dataclass
class Table:
    title: str
    headings: list
    rows: list  # plain values: text, numbers, Percent, None
    on_screen: bool = True  # False: in the workbook only (the screen has a chart's table of the same numbers)


@dataclass
class Section:
    key: str
    title: str
    note: str = ""
    stats: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    charts: list = field(default_factory=list)

    def sheet(self):
        """The section as one sheet: its figures, then each table under its title (rows padded to one width)."""
        width = max([2, *(len(table.headings) for table in self.tables)])
        rows = [[stat.label, stat.value] for stat in self.stats]
        for table in self.tables:
            rows += [[], [table.title], table.headings, *table.rows]
        if self.note:
            rows += [[], [self.note]]
        return Sheet(
            self.title, ["项目", "数值", *[""] * (width - 2)], [[*row, *[None] * (width - len(row))] for row in rows]
        )


class YearlyReport:
    """The report of `year` for `user` at `level` (a Level value, or WHOLE_CITY: all the user sees)."""

    def __init__(self, user, year, level=WHOLE_CITY):
        self.user, self.year, self.level = user, year, level

    @property
    def level_label(self):
        if self.level:
            return Level(self.level).label
        scope = office_level(self.user)
        return "全市" if scope is ALL_LEVELS else Level(scope).label

    def value(self, figure):
        return figure.count(self.level) if self.level else figure.total

    def link(self, figure):
        return figure.link(self.level) if self.level else figure.link()

    def stat(self, figure, label=None):
        return Stat(label or figure.label, self.value(figure), self.link(figure))

    @cached_property
    def levels(self):
        """The levels a table by level shows: the chosen one, or every level of the user's scope."""
        if self.level:
            return [(self.level, Level(self.level).label)]
        scope = office_level(self.user)
        return [(value, label) for value, label in Level.choices if scope is ALL_LEVELS or value == scope]

    def by_level(self, title, columns):
        """A table of `columns` (Figures) with a row per level, and 合计 when there are several."""
        rows = [[label, *(column.count(value) for column in columns)] for value, label in self.levels]
        if len(self.levels) > 1:
            rows.append(["合计", *(column.total for column in columns)])
        return Table(title, ["属地", *(column.label for column in columns)], rows)

    def builders(self):
        """The section builders, in order (the intake section for those who see the intake queue)."""
        intake = [self.intake] if sees_model(self.user, IntakeItem, ITEM_ACTIONS) else []
        return [self.experts, self.pairings, self.contacts, self.reports, *intake, self.services]

    def sections(self) -> Iterator[Section]:
        """The sections, each computed when it is reached (the workbook reports progress between them)."""
        for build in self.builders():
            yield build()

    # Sections ------------------------------------------------------------------------------------

    @cached_property
    def active(self):
        return figures.active_experts(self.user, self.year)

    def experts(self):
        year, user = self.year, self.user
        teams = figures.experts_by_team(user, year)
        categories = figures.experts_by_category(user, year)
        changes, reasons = status_changes(user, year)
        review = figures.review_progress(user, year)
        section = Section("experts", "专家与年度变动")
        section.stats = [
            self.stat(self.active),
            *(self.stat(change) for change in changes),
            self.stat(review.reviewed, "年度调整已确认"),
            self.stat(review.unreviewed, "年度调整待确认"),
        ]
        section.tables = [
            self.by_level("在库专家与年度变动（按属地）", [self.active, *changes]),
            Table(
                "在库专家（按人才队伍）",
                ["人才队伍", "在库专家（人）"],
                [[t.label, self.value(t)] for t in teams],
                on_screen=False,
            ),
            Table(
                "在库专家（按人才类别，一人多类分别计入）",
                ["人才类别", "在库专家（人）"],
                [[c.label, self.value(c)] for c in categories],
            ),
            Table("调出原因", ["调出原因", "调出（人）"], [[r.label, self.value(r)] for r in reasons]),
        ]
        section.charts = [
            BarChart(
                "yearly-experts-chart",
                f"{year}年在库专家：按人才队伍（{self.level_label}）",
                [team.label for team in teams],
                [Series("在库专家", [self.value(team) for team in teams], [self.link(team) for team in teams])],
                unit="人",
            )
        ]
        return section

    def pairings(self):
        leaders = active_leaders(self.user)
        under = figures.leaders_under_quota(self.user)
        paired = figures.active_pairings(self.user)
        # The pairings and the quota are kept as they stand, not year by year.
        section = Section("pairings", "结对联系与名额", note="在任领导和结对情况为当前情况，不随所选年度变化。")
        section.stats = [self.stat(leaders), self.stat(under), self.stat(paired)]
        section.tables = [self.by_level("领导结对情况（按属地）", [leaders, under, paired])]
        return section

    def contacts(self):
        year, user = self.year, self.user
        months = figures.contacts_per_month(user, year, self.level)
        uncontacted = figures.experts_without_contact(user, year)
        activities = figures.six_activity_coverage(user, year)
        counted = self.value(activities.experts)
        section = Section("contacts", "联系服务与六活动")
        section.stats = [
            Stat("全年联系服务记录", sum(count for _, count, _ in months)),
            self.stat(uncontacted),
            self.stat(activities.experts),
            self.stat(activities.complete),
        ]
        section.tables = [
            Table(
                "六活动覆盖",
                ["活动", "参加专家（人）", "占计入覆盖专家的比例"],
                [
                    [figure.label, self.value(figure), Percent(self.value(figure) / counted) if counted else None]
                    for figure in activities.by_activity
                ],
            ),
            Table(
                "每月联系服务记录",
                ["月份", "记录（条）"],
                [[f"{month}月", count] for month, count, _ in months],
                on_screen=False,
            ),
        ]
        section.charts = [
            BarChart(
                "yearly-contacts-chart",
                f"{year}年每月联系服务记录（{self.level_label}）",
                [f"{month}月" for month, _, _ in months],
                [Series("联系服务记录", [count for _, count, _ in months], [link for _, _, link in months])],
                unit="条",
            )
        ]
        return section

    def reports(self):
        kinds, stages = event_reports(self.user, self.year)
        section = Section("reports", "五报告")
        section.stats = [Stat("全年五报告", sum(self.value(kind) for kind in kinds))]
        section.tables = [
            Table("按报告事项", ["报告事项", "报告（件）"], [[kind.label, self.value(kind)] for kind in kinds]),
            Table("按当前环节", ["当前环节", "报告（件）"], [[stage.label, self.value(stage)] for stage in stages]),
        ]
        return section

    def intake(self):
        year, user = self.year, self.user
        channels = figures.intake_per_month(user, year, self.level)
        items = visible_rows(user, IntakeItem, ITEM_ACTIONS)
        if self.level:
            items = items.filter(level=self.level)
        last_month = 12 if year < timezone.localdate().year else timezone.localdate().month
        months = [
            figures_as_rows(monthly_figures(items, datetime.datetime(year, m, 1))) for m in range(1, last_month + 1)
        ]
        rows = [
            [heading, label, *(month[group][1][line][1] for month in months)]
            for group, (heading, pairs) in enumerate(months[0])
            for line, (label, _) in enumerate(pairs)
        ]
        section = Section("intake", "来信来访统计")
        section.stats = [Stat("全年登记事项", sum(count for _, rows in channels for _, count, _ in rows))]
        section.tables = [Table("每月统计", ["分类", "项目", *(f"{m}月" for m in range(1, last_month + 1))], rows)]
        section.charts = [
            BarChart(
                "yearly-intake-chart",
                f"{year}年每月登记的来信来访事项：按渠道（{self.level_label}）",
                [f"{month}月" for month in figures.MONTHS],
                [Series(label, [c for _, c, _ in rows], [link for _, _, link in rows]) for label, rows in channels],
                unit="件",
            )
        ]
        return section

    def services(self):
        section = Section("services", "关心关爱、政治引领、决策咨询、创新创业支持")
        section.stats = [self.stat(service.served) for service in figures.care_coverage(self.user, self.year)]
        for chapter, label in CHAPTERS:
            kinds = [kind for kind in kinds_of(chapter) if sees_model(self.user, kind.model)]
            coverage = Coverage(self.user, self.year, kinds, level=self.level or None)
            if not coverage.kinds:
                continue
            headings = [h for kind in coverage.kinds for h in (f"{kind.coverage}（人）", f"{kind.coverage}（比例）")]
            section.tables.append(
                Table(
                    f"{label}覆盖情况",
                    ["属地", "在库专家（人）", *headings],
                    [
                        [line.label, line.total, *(v for cell in line.cells for v in cell)]
                        for line in coverage.lines("level")
                    ],
                )
            )
        return section


def change_rows(user, year, level=WHOLE_CITY):
    """The year's status changes one by one (the workbook's 专家变动明细), oldest first."""
    changes = ExpertStatusChange.objects.filter(pk__in=ScopedReview(year, user).changes.values("pk"))
    if level:
        changes = changes.filter(expert__level=level)
    for date, name, expert_level, unit, kind, reason in (
        changes.order_by("date", "pk")
        .values_list("date", "expert__name", "expert__level", "expert__unit__name", "kind", "reason")
        .iterator(chunk_size=1000)
    ):
        yield [
            date,
            name,
            Level(expert_level).label,
            unit,
            StatusChangeKind(kind).label,
            RemovalReason(reason).label if reason else "",
        ]


def workbook_sheets(report, progress=None):
    """The workbook's sheets: one per section, then the changes one by one; `progress(done)` after each section."""
    for done, section in enumerate(report.sections(), start=1):
        yield section.sheet()
        if progress:
            progress(done)
    yield Sheet(
        "专家变动明细",
        ["日期", "专家", "属地", "单位", "变动类型", "调出原因"],
        change_rows(report.user, report.year, report.level),
    )


def report_url(year, level=WHOLE_CITY, **query):
    return f"{reverse('workbench_yearly:index')}?{urlencode({'year': year, **({'level': level} if level else {}), **query})}"
