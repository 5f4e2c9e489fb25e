"""Bar charts drawn on the server as SVG: no script and nothing fetched from elsewhere (an intranet
may have no internet). Horizontal bars, so that long labels (金秀瑶族自治县) and narrow screens fit;
several series stack in one bar. The chart names itself (role="img" with its <title> and <desc>);
the page puts the same numbers in a table beside it for those who read tables, not pictures.
"""

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import mark_safe

# Okabe–Ito: told apart with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999"]

WIDTH = 460  # narrow, so that the text stays readable when a phone scales the picture down
LABEL_WIDTH = 124  # the category labels (企业经营管理人才), right-aligned against the bars
TOTAL_WIDTH = 50  # the total at the end of each bar
ROW = 26
BAR = 18
LEGEND_ROW = 22


@dataclass(frozen=True)
class Series:
    label: str
    values: list  # one number per category
    links: list | None = None  # the list behind each number, for the table beside the chart


@dataclass(frozen=True)
class BarChart:
    """One bar per category, its series stacked; `unit` follows each number ("人", "件", "%")."""

    chart_id: str
    title: str
    categories: list
    series: list
    unit: str = ""
    maximum: float | None = None  # the full bar's value (100 for shares); the largest total if None

    def table_rows(self):
        """(category, [(value, link)] one per series, total) for the table beside the picture."""
        cells = [
            [(value, series.links[row] if series.links else "") for row, value in enumerate(series.values)]
            for series in self.series
        ]
        return [
            (category, [column[row] for column in cells], total)
            for row, (category, total) in enumerate(zip(self.categories, self.totals(), strict=True))
        ]

    def totals(self):
        return [sum(series.values[row] for series in self.series) for row in range(len(self.categories))]

    def svg(self):
        totals = self.totals()
        top = max(self.maximum or 0, *totals, 0) or 1
        legend = self.series if len(self.series) > 1 else []
        legend_height = LEGEND_ROW * ((len(legend) + 2) // 3) if legend else 0
        height = legend_height + ROW * len(self.categories) + 4
        span = WIDTH - LABEL_WIDTH - TOTAL_WIDTH
        parts = [
            format_html(
                '<svg xmlns="http://www.w3.org/2000/svg" class="workbench-chart__svg" viewBox="0 0 {} {}" '
                'role="img" aria-labelledby="{}-title {}-desc" focusable="false">',
                WIDTH,
                height,
                self.chart_id,
                self.chart_id,
            ),
            format_html('<title id="{}-title">{}</title>', self.chart_id, self.title),
            format_html('<desc id="{}-desc">{}</desc>', self.chart_id, self.description(totals)),
        ]
        for index, series in enumerate(legend):
            x, y = 8 + (index % 3) * (WIDTH // 3), (index // 3) * LEGEND_ROW + 4
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
                    '<text x="{}" y="{}" class="workbench-chart__legend">{}</text>',
                    x,
                    y,
                    self.colour(index),
                    x + 18,
                    y + 11,
                    series.label,
                )
            )
        for row, (category, total) in enumerate(zip(self.categories, totals, strict=True)):
            y = legend_height + row * ROW
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="end" class="workbench-chart__label">{}</text>',
                    LABEL_WIDTH - 8,
                    y + BAR - 4,
                    category,
                )
            )
            x = LABEL_WIDTH
            for index, series in enumerate(self.series):
                value = series.values[row]
                width = span * value / top
                if width > 0:
                    parts.append(
                        format_html(
                            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
                            _number(x),
                            y,
                            _number(width),
                            BAR,
                            self.colour(index),
                            self.cell_text(category, series, value),
                        )
                    )
                x += width
            parts.append(
                format_html(
                    '<text x="{}" y="{}" class="workbench-chart__total">{}</text>',
                    _number(x + 6),
                    y + BAR - 4,
                    f"{_number(total)}{self.unit}",
                )
            )
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308 - every part above went through format_html

    def colour(self, index):
        return PALETTE[index % len(PALETTE)]

    def cell_text(self, category, series, value):
        name = f"{category}，{series.label}" if len(self.series) > 1 else category
        return f"{name}：{_number(value)}{self.unit}"

    def description(self, totals):
        """What a screen reader hears for the picture: each category's total."""
        return "；".join(
            f"{category} {_number(total)}{self.unit}" for category, total in zip(self.categories, totals, strict=True)
        )


def _number(value):
    """12 for 12.0, one decimal otherwise: coordinates and labels without float noise."""
    rounded = round(value, 1)
    return int(rounded) if rounded == int(rounded) else rounded
