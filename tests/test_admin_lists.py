"""The project's own admin lists read in Chinese: headings, flags and filter choices."""

import re
from html import unescape

import pytest
from django.urls import reverse

from intake.models import Department, PublicAnswer, ReplyTemplate
from spotlight.models import SpecialColumn
from staff.levels import Level
from staff.roles import CITY_OFFICE, COUNTY_OFFICE
from tests.experts_builders import make_superuser
from tests.intake_builders import make_staff

pytestmark = pytest.mark.django_db


def table_parts(html):
    """(headings, cells) of the page's listing table, as text."""
    table = re.search(r"<table[^>]*listing.*?</table>", html, re.S).group(0)

    def text(fragment):
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())

    headings = [text(th) for th in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]
    cells = [text(td) for td in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)]
    return headings, cells


def listing(client, url_name):
    client.force_login(make_superuser())
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    return table_parts(response.content.decode())


def assert_reads_in_chinese(headings, cells):
    for heading in headings:
        assert not re.search(r"[A-Za-z]", heading), heading
    for cell in cells:
        assert cell not in ("True", "False", "None"), cells


def test_reply_templates_list_kind_and_active_in_chinese(client):
    ReplyTemplate.objects.create(title="通用答复", body="您好", kind="suggestion", active=True)
    ReplyTemplate.objects.create(title="旧模板", body="您好", active=False)
    headings, cells = listing(client, "wagtailsnippets_intake_replytemplate:list")
    assert "适用类别" in headings and "启用" in headings
    assert_reads_in_chinese(headings, cells)
    assert "是" in cells and "否" in cells


def test_a_reply_template_without_a_kind_lists_as_serving_every_kind(client):
    ReplyTemplate.objects.create(title="通用答复", body="您好")
    ReplyTemplate.objects.create(title="建议答复", body="您好", kind="suggestion")
    headings, cells = listing(client, "wagtailsnippets_intake_replytemplate:list")
    title, kind = headings.index("模板名称"), headings.index("适用类别")
    rows = [cells[start : start + len(headings)] for start in range(0, len(cells), len(headings))]
    kinds = {row[title].split()[0]: row[kind] for row in rows}
    assert kinds == {"通用答复": "全部类别", "建议答复": "意见建议"}


def test_public_answers_list_kind_in_chinese(client):
    PublicAnswer.objects.create(
        kind="suggestion", question_title="实验室经费", question="问", answer="答", answered_on="2026-11-01"
    )
    headings, cells = listing(client, "intake_public_answer:list")
    assert "类别" in headings and "问题标题" in headings
    assert_reads_in_chinese(headings, cells)


def test_departments_list_flag_in_words(client):
    Department.objects.create(name="市科技局", level=Level.CITY, active=True)
    Department.objects.create(name="市教育局", level=Level.CITY, active=False)
    headings, cells = listing(client, "intake_department:index")
    assert "可交办" in headings
    assert_reads_in_chinese(headings, cells)
    assert "是" in cells and "否" in cells


def test_special_columns_list_in_chinese(client):
    SpecialColumn.objects.create(name="专家风采", slug="zhuanjia", description="简介")
    headings, cells = listing(client, "wagtailsnippets_spotlight_specialcolumn:list")
    assert "专栏名称" in headings
    assert_reads_in_chinese(headings, cells)


def test_queue_assignee_filter_shows_full_names_and_levels(client):
    city = make_staff("city_office", Level.CITY, CITY_OFFICE, first_name="韦某甲")
    county = make_staff("xz_wei", Level.XIANGZHOU, COUNTY_OFFICE, first_name="覃某乙")
    client.force_login(city)
    html = client.get(reverse("intake_item:index")).content.decode()
    select = re.search(r'<select name="assignee".*?</select>', html, re.S).group(0)
    options = [unescape(label).strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)]
    assert "韦某甲（市本级）" in options
    assert "覃某乙（象州县）" in options
    assert not {"city_office", "xz_wei"} & set(options)

    # The active filter's label above the list names the person the same way.
    filtered = client.get(reverse("intake_item:index") + f"?assignee={county.pk}").content.decode()
    active = re.search(r'<[^>]*class="[^"]*w-pill[^"]*".*?</button>', filtered, re.S)
    assert active and "覃某乙（象州县）" in unescape(active.group(0))
    assert "xz_wei" not in filtered


def test_users_list_names_the_active_flag_in_chinese(client):
    """Wagtail's users list shows 启用 as an icon whose accessible name was "True"/"False"."""
    make_staff("inactive_one", first_name="蓝某丙", is_active=False)
    client.force_login(make_superuser())
    _, cells = table_parts(client.get(reverse("wagtailusers_users:index")).content.decode())
    assert "是" in cells and "否" in cells
    assert not {"True", "False"} & set(cells)
