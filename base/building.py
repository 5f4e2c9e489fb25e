"""Idempotent building blocks for pages and accounts, used by `setup_site` and the demo.

Each finds what an earlier run made (by slug or user name) and creates only what is
missing, so both commands can run again after an upgrade without duplicating anything
or overwriting what editors have changed since.
"""

from django.contrib.auth import get_user_model


def paragraphs(*texts):
    """StreamField body data made of plain paragraphs."""
    return [("paragraph", f"<p>{text}</p>") for text in texts]


def upsert_page(parent, model, slug, **fields):
    """The child of `parent` with this slug, created and published if missing."""
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
