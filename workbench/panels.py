"""The admin home's figures and charts (工作台), one panel per subject, each shown to the roles whose
records it counts. Every number links to the list of its rows. The rows that wait for action (intake
items, five reports) are listed in the panels of intake/ and liaison/."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from experts.models import Expert
from intake.models import ITEM_ACTIONS, IntakeItem
from liaison.models import ContactRecord, Leader
from liaison.scoping import office_level
from staff.levels import Level
from staff.scoping import ALL_LEVELS, sees_model

from . import figures
from .charts import BarChart, Series


class WorkbenchPanel(Component):
    """A panel of figures for the year; `figures()` returns its context, or None when the user has none."""

    template_name = ""

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        year = timezone.localdate().year
        context = self.figures(self.request.user, year)
        return {"shown": context is not None, "year": year, **(context or {})}

    def figures(self, user, year):
        raise NotImplementedError

    def figure(self, function, *args):
        """`function(user, *args)` of workbench.figures, computed once per request for all the panels,
        and kept in the shared cache when it declares what it `reads`."""
        found = self.request.__dict__.setdefault("_workbench_figures", {})
        key = (function.__name__, *args)
        if key not in found:
            if hasattr(function, "generations"):
                if "generations" not in found:
                    found["generations"] = figures.current_generations()
                found[key] = figures.kept(function, self.request.user, args, found["generations"])
            else:
                found[key] = function(self.request.user, *args)
        return found[key]


class ExpertsPanel(WorkbenchPanel):
    """在库专家 by level, team (with the six teams' coverage) and category, and the team × level chart."""

    name = "workbench_experts"
    order = 160
    template_name = "workbench/experts_panel.html"

    def figures(self, user, year):
        lists_experts = sees_model(user, Expert)
        if not (lists_experts or sees_model(user, Leader)):
            return None
        teams = self.figure(figures.experts_by_team, year)
        covered, missing = figures.team_coverage(teams)
        level_of = {label: value for value, label in Level.choices}
        level_rows = [row for row in self.figure(figures.experts_by_team_and_level, year) if row.covered]
        chart = BarChart(
            "workbench-experts-chart",
            f"{year}年在库专家：按人才队伍和属地",
            [team.label for team in teams],
            [Series(row.level, row.counts, [team.link(level_of[row.level]) for team in teams]) for row in level_rows],
            unit="人",
        )
        if lists_experts:
            active = self.figure(figures.active_experts, year)
            several = len(active.by_level) > 1  # a county's office has one level: nothing to break down
            levels = [(label, active.count(value), active.link(value)) for value, label in Level.choices]
            levels = [level for level in levels if level[1]] if several else []
        else:
            active, levels = self.figure(figures.active_pairings), []
        return {
            "active": active,
            "levels": levels,
            "teams": teams,
            "covered": covered,
            "missing": missing,
            "categories": self.figure(figures.experts_by_category, year) if lists_experts else [],
            "chart": chart if level_rows else None,
        }


class LiaisonPanel(WorkbenchPanel):
    """联系服务 this year: experts without contact, six-activity coverage, leaders under quota, contacts per month."""

    name = "workbench_liaison"
    order = 161
    template_name = "workbench/liaison_panel.html"

    def figures(self, user, year):
        if not sees_model(user, ContactRecord):
            return None
        office = sees_model(user, Expert)  # the talent offices; leaders and their offices see pairings
        months = self.figure(figures.contacts_per_month, year)
        return {
            "office": office,
            "uncontacted": self.figure(figures.experts_without_contact, year)
            if office
            else self.figure(figures.pairings_without_contact, year),
            "activities": self.figure(figures.six_activity_coverage, year) if office else None,
            "under_quota": self.figure(figures.leaders_under_quota) if sees_model(user, Leader) else None,
            "visits": self.figure(figures.must_visits, timezone.localdate()),
            "chart": BarChart(
                "workbench-contacts-chart",
                f"{year}年每月联系服务记录",
                [f"{month}月" for month, _, _ in months],
                [Series("联系服务记录", [count for _, count, _ in months], [link for _, _, link in months])],
                unit="条",
            ),
        }


class CareReviewPanel(WorkbenchPanel):
    """This year's checkup and recuperation coverage, and the yearly review's progress."""

    name = "workbench_care"
    order = 162
    template_name = "workbench/care_panel.html"

    def figures(self, user, year):
        care = self.figure(figures.care_coverage, year)
        review = self.figure(figures.review_progress, year) if sees_model(user, Expert, ("change",)) else None
        if not (care or review):
            return None
        return {"care": care, "review": review}


class IntakeChartPanel(WorkbenchPanel):
    """来信来访 received per month this year, by channel."""

    name = "workbench_intake"
    order = 163
    template_name = "workbench/chart_panel.html"

    def figures(self, user, year):
        if not sees_model(user, IntakeItem, ITEM_ACTIONS):
            return None
        channels = self.figure(figures.intake_per_month, year)
        return {
            "panel_id": "workbench-intake",
            "heading": "来信来访走势",
            "chart": BarChart(
                "workbench-intake-chart",
                f"{year}年每月登记的来信来访事项：按渠道",
                [f"{month}月" for month in figures.MONTHS],
                [
                    Series(label, [count for _, count, _ in rows], [link for _, _, link in rows])
                    for label, rows in channels
                ],
                unit="件",
            ),
        }


class CountiesPanel(WorkbenchPanel):
    """The city office's county breakdown: each level's key figures, and the contact coverage by county."""

    name = "workbench_counties"
    order = 164
    template_name = "workbench/counties_panel.html"

    def figures(self, user, year):
        if office_level(user) is not ALL_LEVELS:
            return None
        active = self.figure(figures.active_experts, year)
        uncontacted = self.figure(figures.experts_without_contact, year)
        activities = self.figure(figures.six_activity_coverage, year)
        quota = self.figure(figures.leaders_under_quota)
        care = self.figure(figures.care_coverage, year)
        visits = self.figure(figures.must_visits, timezone.localdate())
        columns = [active, uncontacted, activities.complete, quota, *visits, *(service.not_served for service in care)]
        rows = [
            (label, [(column.count(value), column.link(value)) for column in columns]) for value, label in Level.choices
        ]
        shares = [
            round(100 * (active.count(value) - uncontacted.count(value)) / active.count(value), 1)
            if active.count(value)
            else 0
            for value, _ in Level.choices
        ]
        return {
            "columns": columns,
            "rows": rows,
            "totals": [(column.total, column.link()) for column in columns],
            "chart": BarChart(
                "workbench-counties-chart",
                f"{year}年各属地已有联系记录的在库专家占比",
                Level.labels,
                [Series("已联系占比", shares)],
                unit="%",
                maximum=100,
            ),
        }


PANELS = [ExpertsPanel, LiaisonPanel, CareReviewPanel, IntakeChartPanel, CountiesPanel]
