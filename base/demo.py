"""Building blocks for the demo site, and the site-wide part of it.

Every builder is idempotent: it finds what an earlier run made (by slug or a
natural key) and creates only what is missing, so `load_demo_content` can run
again after an upgrade and add the newer sections without duplicating the rest.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

DEMO_ADMIN_USERNAME = "admin"
DEMO_PASSWORD = "laibin-demo-2026"  # noqa: S105 - every fictional demo login has it, printed on purpose


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


def paragraphs(*texts):
    """StreamField body data made of plain paragraphs."""
    return [("paragraph", f"<p>{text}</p>") for text in texts]


def upsert_page(parent, model, slug, **fields):
    """The live child of `parent` with this slug, created and published if missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def upsert_user(username, password, **fields):
    user, created = get_user_model().objects.get_or_create(username=username, defaults=fields)
    if created:
        user.set_password(password)
        user.save()
    return user


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
