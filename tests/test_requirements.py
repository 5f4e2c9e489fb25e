"""Every pinned runtime dependency installs on Debian 12's own Python (3.11.2), which production
servers run, as well as on the newer 3.11 the development machines have."""

from importlib.metadata import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent
DEBIAN_12_PYTHON = "3.11.2"


def pinned(path):
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [Requirement(line) for line in lines if line and not line.startswith("-")]


@pytest.mark.parametrize("requirement", pinned(ROOT / "requirements.txt"), ids=str)
def test_the_pinned_release_supports_debian_12_python(requirement):
    (version,) = [spec.version for spec in requirement.specifier if spec.operator == "=="]
    installed = metadata(requirement.name)
    assert installed["Version"] == version, f"{requirement.name}: the environment is not the pinned one"
    requires_python = installed.get("Requires-Python") or ""
    assert DEBIAN_12_PYTHON in SpecifierSet(requires_python), f"{requirement} requires Python {requires_python}"
