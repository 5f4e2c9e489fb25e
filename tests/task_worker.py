"""The background task worker, run inside a test."""

from unittest import mock

from django.core.management import call_command


def run_task_worker(queue_name):
    """Runs the worker in this process until `queue_name` is empty.

    A real worker has a process of its own and drops stale connections between tasks;
    here it shares the test's connection, which holds the test's transaction and must stay open.
    """
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command(
            "db_worker",
            "--batch",
            "--backend",
            "background",
            "--queue-name",
            queue_name,
            "--no-startup-delay",
            "--no-reload",
            verbosity=0,
        )
