"""Jobs that run every minute (`manage.py run_scheduled_jobs`, from the systemd timer or bin/serve).

Each app registers its own with `@hooks.register(HOOK)`: a function without arguments that does
its work quickly. A job that fails is logged and does not keep the others from running.
"""

import logging

from wagtail import hooks

HOOK = "register_scheduled_job"

logger = logging.getLogger("portal")


def run_all():
    """Runs every registered job; returns the names of those that failed."""
    failed = []
    for job in hooks.get_hooks(HOOK):
        try:
            job()
        except Exception:
            logger.exception("Scheduled job %s failed", job.__qualname__)
            failed.append(job.__qualname__)
    return failed
