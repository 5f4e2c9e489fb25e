"""Expert imports run by the background worker: progress, who sees an import, its end and clean-up, full size."""

import datetime
import time
from unittest import mock

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from experts import import_jobs, imports
from experts.models import Expert, ExpertImport, ExpertLogEntry, ImportState
from staff.levels import Level

from .experts_builders import import_row, make_staff, run_import_worker, xlsx_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_user():
    return make_staff("xingbin", Level.XINGBIN)


def two_rows():
    return [import_row(), import_row(姓名="导某二", 手机号码="13700000002")]


def start(client, user, rows):
    client.force_login(user)
    response = client.post("/admin/experts/import/", {"file": xlsx_file(rows)})
    job = ExpertImport.objects.latest("pk")
    assert response["Location"] == f"/admin/experts/import/{job.pk}/"
    return job


def progress(client, job):
    return client.get(f"/admin/experts/import/{job.pk}/progress/").json()


def queued(task):
    return DBTaskResult.objects.filter(queue_name="imports", task_path=task.module_path)


def test_an_upload_is_queued_and_its_page_shows_the_progress_until_the_worker_has_run(client, county_user):
    job = start(client, county_user, two_rows())
    assert (job.state, job.level, job.started_by, job.file_name) == ("checking", "xingbin", county_user, "experts.xlsx")
    assert queued(import_jobs.check_import).get().args_kwargs["args"] == [job.pk]
    expiry = queued(import_jobs.expire_import).get()
    assert expiry.run_after == job.updated_at + import_jobs.ABANDONED_AFTER

    page = client.get(job.get_absolute_url()).content.decode()
    assert 'role="status"' in page and "<progress" in page and "排队等待后台任务…" in page
    assert "experts/import_progress.js" in page
    status = progress(client, job)
    assert (status["running"], status["message"], status["hint"]) == (True, "排队等待后台任务…", "")

    run_import_worker()
    status = progress(client, job)
    assert (status["running"], status["state"], status["message"]) == (False, "ready", "待确认")
    assert "导入预览" in client.get(job.get_absolute_url()).content.decode()


def test_the_page_says_plainly_when_no_worker_takes_the_import_up(client, county_user):
    job = start(client, county_user, two_rows())
    ExpertImport.objects.filter(pk=job.pk).update(queued_at=timezone.now() - datetime.timedelta(seconds=40))
    status = progress(client, job)
    assert status["running"] and "已等待 40 秒仍未开始" in status["hint"] and "db_worker" in status["hint"]
    assert "后台任务进程（db_worker）没有运行" in client.get(job.get_absolute_url()).content.decode()


def test_the_check_saves_its_progress_between_its_transactions(client, county_user):
    rows = [import_row(姓名=f"导某{n}", 手机号码=f"137{n:08d}") for n in range(5)]
    job = start(client, county_user, rows)
    with (
        mock.patch.object(imports, "CHECK_CHUNK_ROWS", 2),
        mock.patch("experts.import_jobs._advance", wraps=import_jobs._advance) as advance,
    ):
        import_jobs.check_import.call(job.pk)
    assert [call.kwargs["checked"] for call in advance.call_args_list if "checked" in call.kwargs] == [2, 4, 5]

    # What the page's script reads while the worker is between two transactions.
    ExpertImport.objects.filter(pk=job.pk).update(state=ImportState.CHECKING, checked=2)
    status = progress(client, job)
    assert (status["value"], status["max"], status["detail"]) == (2, 5, "已检查 2 / 5 行")
    assert status["message"] == "正在逐行检查 5 行数据…"


def test_storing_shows_that_it_runs_and_for_how_long(client, county_user):
    job = start(client, county_user, two_rows())
    run_import_worker()
    client.post(f"/admin/experts/import/{job.pk}/confirm/")
    assert progress(client, job)["message"] == "排队等待后台任务…"
    ExpertImport.objects.filter(pk=job.pk).update(worker_started_at=timezone.now() - datetime.timedelta(seconds=12))
    status = progress(client, job)
    assert status["running"] and status["max"] is None  # one transaction: no row count to show
    assert status["message"].startswith("正在导入 2 名专家") and status["detail"] == "已用时 12 秒"


@pytest.mark.parametrize("level", [Level.XINGBIN, Level.CITY, Level.HESHAN])
def test_nobody_else_finds_an_import(client, county_user, level):
    job = start(client, county_user, two_rows())
    client.force_login(make_staff("other", level))
    for url in (job.get_absolute_url(), f"{job.get_absolute_url()}progress/"):
        assert client.get(url).status_code == 404
    for url in (f"{job.get_absolute_url()}confirm/", f"{job.get_absolute_url()}cancel/"):
        assert client.post(url).status_code == 404
    assert "experts.xlsx" not in client.get("/admin/experts/import/").content.decode()
    assert ExpertImport.objects.get().state == ImportState.CHECKING


def test_an_import_stays_with_the_level_it_was_started_in(client, county_user):
    job = start(client, county_user, two_rows())
    county_user.staff_profile.level = Level.HESHAN
    county_user.staff_profile.save()
    assert client.get(job.get_absolute_url()).status_code == 404


def test_confirming_twice_stores_once(client, county_user):
    job = start(client, county_user, two_rows())
    run_import_worker()
    client.post(f"/admin/experts/import/{job.pk}/confirm/")
    response = client.post(f"/admin/experts/import/{job.pk}/confirm/", follow=True)
    assert "该导入当前状态为“导入中”，不能确认。" in response.content.decode()
    assert queued(import_jobs.store_import).count() == 1
    run_import_worker()
    assert Expert.objects.count() == 2
    assert ExpertLogEntry.objects.filter(action="experts.import").count() == 2


def test_the_file_and_the_rows_are_kept_only_while_the_import_runs(client, county_user):
    job = start(client, county_user, two_rows())
    assert job.upload and job.rows is None
    run_import_worker()
    job.refresh_from_db()
    assert job.upload is None and [number for number, _ in job.rows] == [2, 3]

    client.post(f"/admin/experts/import/{job.pk}/confirm/")
    run_import_worker()
    job.refresh_from_db()
    assert (job.state, job.imported, job.rows, job.upload) == (ImportState.IMPORTED, 2, None, None)
    assert job.finished_at is not None


def test_a_refused_import_keeps_its_errors_and_drops_its_rows(client, county_user):
    job = start(client, county_user, [import_row(), import_row(姓名="", 手机号码="13700000002")])
    run_import_worker()
    job.refresh_from_db()
    assert (job.state, job.rows, job.upload) == (ImportState.REFUSED, None, None)
    assert job.error_rows == [{"number": 3, "name": "", "errors": ["姓名：必填，不能为空。"]}]


@pytest.mark.parametrize("when", ["checking", "ready"])
def test_a_cancelled_import_stores_nothing_and_drops_its_file_and_rows(client, county_user, when):
    job = start(client, county_user, two_rows())
    if when == "ready":
        run_import_worker()
    response = client.post(f"/admin/experts/import/{job.pk}/cancel/", follow=True)
    assert "已取消导入“experts.xlsx”，未写入任何数据。" in response.content.decode()
    run_import_worker()  # a check still queued finds the import ended and does nothing
    job.refresh_from_db()
    assert (job.state, job.rows, job.upload) == (ImportState.CANCELLED, None, None)
    assert not Expert.objects.exists()
    assert client.post(f"/admin/experts/import/{job.pk}/confirm/").status_code == 302
    run_import_worker()
    assert not Expert.objects.exists()


def test_an_error_in_the_worker_fails_the_import_and_stores_nothing(client, county_user):
    job = start(client, county_user, two_rows())
    run_import_worker()
    client.post(f"/admin/experts/import/{job.pk}/confirm/")
    real_create = imports.create_expert
    calls = []

    def create_then_fail(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_create(*args, **kwargs)

    with mock.patch("experts.imports.create_expert", side_effect=create_then_fail):
        run_import_worker()
    assert queued(import_jobs.store_import).get().status == "FAILED"
    job.refresh_from_db()
    assert (job.state, job.rows) == (ImportState.FAILED, None)
    assert not Expert.objects.exists() and not ExpertLogEntry.objects.exists()
    assert "后台任务处理时出错，未写入任何数据" in client.get(job.get_absolute_url()).content.decode()


def test_an_abandoned_import_is_ended_and_its_rows_deleted(client, county_user):
    job = start(client, county_user, two_rows())
    run_import_worker()
    three_hours_ago = timezone.now() - datetime.timedelta(hours=3)
    ExpertImport.objects.filter(pk=job.pk).update(updated_at=three_hours_ago)
    assert import_jobs.expire_import.call(job.pk) == "expired"
    job.refresh_from_db()
    assert (job.state, job.rows) == (ImportState.EXPIRED, None)
    assert "超过 2 小时没有进展，已自动结束，未写入任何数据" in client.get(job.get_absolute_url()).content.decode()


def test_an_import_that_still_moves_is_looked_at_again_later(client, county_user):
    job = start(client, county_user, two_rows())
    run_import_worker()
    job.refresh_from_db()
    assert import_jobs.expire_import.call(job.pk) == "still active"
    assert ExpertImport.objects.get().state == ImportState.READY
    later = queued(import_jobs.expire_import).order_by("-enqueued_at").first()
    assert later.run_after == job.updated_at + import_jobs.ABANDONED_AFTER


def test_a_result_is_kept_until_its_user_reads_it(client, county_user):
    job = start(client, county_user, [import_row(姓名="")])
    run_import_worker()
    listing = client.get("/admin/experts/import/").content.decode()
    assert "有错误，未导入" in listing and "结果未查看" in listing
    page = client.get(job.get_absolute_url()).content.decode()
    assert "姓名：必填，不能为空。" in page
    assert ExpertImport.objects.get().seen_at is not None
    assert "结果未查看" not in client.get("/admin/experts/import/").content.decode()
    assert "姓名：必填，不能为空。" in client.get(job.get_absolute_url()).content.decode()  # still there


def test_two_thousand_rows_are_checked_and_stored(county_user, capsys, rf):
    rows = [
        import_row(姓名=f"导某{n}", 手机号码=f"137{n:08d}", 工作单位=f"兴宾区第{n % 20 + 1}研究所")
        for n in range(imports.MAX_ROWS)
    ]
    job = import_jobs.start_import(xlsx_file(rows), user=county_user)
    started = time.monotonic()
    import_jobs.check_import.call(job.pk)
    checked = time.monotonic()
    job.refresh_from_db()
    assert (job.state, job.total, job.checked, job.error_rows) == (ImportState.READY, 2000, 2000, [])
    assert import_jobs.confirm_import(job, rf.post("/", REMOTE_ADDR="10.2.0.8"))
    import_jobs.store_import.call(job.pk)
    stored = time.monotonic()
    job.refresh_from_db()
    assert (job.state, job.imported) == (ImportState.IMPORTED, 2000)
    assert Expert.objects.filter(level=Level.XINGBIN).count() == 2000
    assert ExpertLogEntry.objects.filter(action="experts.import", data__ip="10.2.0.8").count() == 2000
    with capsys.disabled():
        print(f"\n2,000 rows: checked in {checked - started:.1f} s, stored in {stored - checked:.1f} s")
