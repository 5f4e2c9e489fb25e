"""Every time the admin shows is Beijing time (Asia/Shanghai), whatever the database stores."""

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from base.models import DemoDataset
from experts.models import Expert, ExpertStatusChange
from intake import workflow
from intake.models import Department, IntakeItem
from liaison.models.reports import ReportStep
from security.models import SessionCutoff
from staff.levels import Level
from staff.roles import CITY_OFFICE, DEPARTMENT_USERS
from tests import intake_builders
from tests.experts_builders import make_expert, make_staff

pytestmark = pytest.mark.django_db

# 2026-11-29 18:00 UTC is 2026-11-30 02:00 in Beijing.
MOMENT = datetime.datetime(2026, 11, 29, 18, 0, tzinfo=datetime.UTC)


def shown(html, label):
    """The text shown under the detail page's `label`."""
    match = re.search(rf"<dt[^>]*>\s*{label}\s*</dt>\s*<dd[^>]*>(.*?)</dd>", html, re.S)
    assert match, label
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def test_expert_detail_shows_updated_and_recorded_times_in_beijing_time(client):
    officer = make_staff("city", Level.CITY)
    expert = make_expert(officer)
    Expert.objects.filter(pk=expert.pk).update(updated_at=MOMENT)
    ExpertStatusChange.objects.filter(expert=expert).update(created_at=MOMENT)
    client.force_login(officer)
    html = client.get(reverse("experts:inspect", args=[expert.pk])).content.decode()
    assert shown(html, "更新时间") == "2026-11-30 02:00"
    history = re.search(r'aria-labelledby="status-history-heading".*?</section>', html, re.S).group(0)
    assert "2026-11-30 02:00" in history
    assert "18:00" not in html


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (lambda: ReportStep(report_id=7, action=ReportStep.Action.FILED, at=MOMENT), "7 报送 2026-11-30 02:00"),
        (lambda: DemoDataset(loaded_at=MOMENT), "演示数据（2026-11-30 02:00）"),
        (
            lambda: SessionCutoff(user=get_user_model()(username="rcb_city"), signed_out_at=MOMENT),
            "rcb_city 2026-11-30 02:00",
        ),
    ],
)
def test_record_names_carry_beijing_time(record, expected):
    assert str(record()) == expected


def test_department_queue_shows_the_assignment_day_in_beijing_time(client):
    office = intake_builders.make_staff("city_office", Level.CITY, CITY_OFFICE)
    department = Department.objects.create(name="市人社局", level=Level.CITY, contact_email="box@example.cn")
    member = intake_builders.make_staff("dept_user", group=DEPARTMENT_USERS)
    department.members.add(member)
    item, _ = intake_builders.new_item()
    workflow.accept(item, office)
    workflow.assign(item, office, department=department, due_date=datetime.date(2099, 1, 15))
    IntakeItem.objects.filter(pk=item.pk).update(assigned_at=MOMENT)
    client.force_login(member)
    html = client.get(reverse("intake_dept:index")).content.decode()
    assert "2026-11-30" in html
    assert "2026-11-29" not in html
