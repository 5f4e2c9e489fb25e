"""What the repository holds: a helper's worktree once committed `.venv` as a symlink (`.venv/` in
.gitignore matches only a directory), and a fresh clone then had a dangling virtualenv."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def git(*args):
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)


def test_no_symlink_is_committed():
    tracked = git("ls-files", "-s").stdout.splitlines()
    assert tracked, "not a git checkout"
    assert [line for line in tracked if line.startswith("120000")] == []


def test_the_virtualenv_is_ignored_whether_a_folder_or_a_link():
    assert git("check-ignore", "-q", "--no-index", ".venv").returncode == 0
