"""An app-server worker's memory: the search dictionary is loaded where it can be shared, and only there."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_python(code):
    """`code`'s output in a fresh interpreter with the test settings (this process has loaded everything)."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "portal.settings.test", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def test_the_apps_load_without_the_segmenter():
    # The admin, the task worker and management commands never cut Chinese text: no ~80 MB for them.
    loaded = run_python(
        "import sys, django; django.setup(); import portal.urls; "
        "print('jieba' in sys.modules, sys.modules.get('jieba') and sys.modules['jieba'].dt.initialized)"
    )
    assert loaded == ["False", "None"]


def test_the_wsgi_application_loads_the_dictionary_before_workers_fork():
    # Under gunicorn --preload the master imports portal.wsgi and forks: the workers share what it loaded.
    loaded = run_python("import gc, portal.wsgi, jieba; print(jieba.dt.initialized, gc.get_freeze_count() > 0)")
    assert loaded == ["True", "True"]
