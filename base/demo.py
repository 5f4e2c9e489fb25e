"""The demo's shared context, its one password, and the demo administrator.

Every demo builder is idempotent (see base/building.py), so `load_demo_content` can run
again after an upgrade and add the newer sections without duplicating the rest.
"""

from dataclasses import dataclass, field

from .building import upsert_user

DEMO_ADMIN_USERNAME = "admin"
DEMO_PASSWORD = "laibin-demo-2026"  # noqa: S105 - every fictional demo login has it, printed on purpose
# Printed under the logins: security.two_factor requires a second factor of these roles.
DEMO_TWO_FACTOR_NOTE = (
    "系统管理员和市委人才办账号首次登录时须用手机身份验证器启用双重验证（按页面提示扫码），此后每次登录输入验证码。"
)


@dataclass
class DemoContext:
    """Passed from builder to builder: what was made and whom to tell."""

    stdout: object
    logins: list = field(default_factory=list)
    pages: dict = field(default_factory=dict)

    def log(self, message):
        self.stdout.write(f"  {message}")

    def add_login(self, role, username, password):
        self.logins.append((role, username, password))


def build(demo):
    """The demo administrator."""
    upsert_user(
        DEMO_ADMIN_USERNAME,
        DEMO_PASSWORD,
        is_staff=True,
        is_superuser=True,
        first_name="演示管理员",
        email="admin@example.invalid",
    )
    demo.add_login("系统管理员（可见全部）", DEMO_ADMIN_USERNAME, DEMO_PASSWORD)
