"""The contact form while the database refuses writes: a 503 "系统繁忙" page that keeps what the expert typed."""

from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django_tasks_db.models import DBTaskResult

from intake.models import IntakeItem, RateLimitCounter
from tests.intake_builders import (
    CONTACT_URL,
    contact_page_fixture,  # noqa: F401 - the contact_page fixture
    form_data,
    pdf_upload,
)

pytestmark = pytest.mark.django_db

MESSAGE = "建议在人才公寓周边增设公交站点，并开通早晚高峰专线，方便专家通勤。"


@contextmanager
def locked(model):
    """Every INSERT into `model`'s table fails as SQLite's does when its busy timeout runs out."""

    def refuse(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and model._meta.db_table in sql:
            raise OperationalError("database is locked")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


@pytest.mark.parametrize("model", [IntakeItem, RateLimitCounter])
def test_a_locked_database_answers_busy_with_the_typed_input_kept(client, contact_page, model):
    with locked(model):
        response = client.post(CONTACT_URL, {**form_data(message=MESSAGE), "attachment": pdf_upload()})
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "系统繁忙，您的留言暂未提交成功" in html
    assert "附件无法保留" in html
    assert MESSAGE in html
    assert 'value="关于人才公寓配套的建议"' in html and 'value="韦测试"' in html
    assert "csrfmiddlewaretoken" in html
    assert not IntakeItem.objects.exists()
    assert not DBTaskResult.objects.exists()

    # Sent again once the lock is gone, it is stored once.
    assert client.post(CONTACT_URL, form_data(message=MESSAGE)).status_code == 302
    assert IntakeItem.objects.get().message == MESSAGE


def test_a_locked_database_on_the_tracking_form_answers_busy_with_the_number_kept(client, contact_page):
    with locked(RateLimitCounter):
        response = client.post(f"{CONTACT_URL}track/", {"tracking_number": "LB20261129-0001", "query_code": "abc"})
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert "系统繁忙，暂时无法查询" in html
    assert 'value="LB20261129-0001"' in html
