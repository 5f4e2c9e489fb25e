"""Generations in the shared cache: a value stored under a key that names the current generation
is retired at once, in every process, by starting a new generation (the public page cache, the
liaison coverage's year of activities, the dashboard's figures)."""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save


def current(key):
    """The generation stored under `key`, started now if there is none."""
    generation = cache.get(key)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(key, generation, None):
            generation = cache.get(key)
    return generation


def current_many(keys):
    """{key: generation} of `keys`, read together (one cache call when all exist)."""
    found = cache.get_many(keys)
    return {key: found.get(key) or current(key) for key in keys}


def renew(key):
    """Starts a new generation under `key` and returns it."""
    generation = uuid.uuid4().hex
    cache.set(key, generation, None)
    return generation


def renew_now_and_at_commit(key):
    """Renews `key` at once, for the transaction making a change, and again at commit: another
    process may have read the old rows under the generation started in between."""
    renew(key)
    transaction.on_commit(lambda: renew(key))


def renew_on_changes(key, models=(), through_tables=()):
    """Renews `key` (now and at commit) whenever a row of `models` is saved or deleted, or a
    many-to-many link of `through_tables` changes."""

    def changed(**kwargs):
        renew_now_and_at_commit(key)

    for model in models:
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{key}:{model._meta.label}:saved")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{key}:{model._meta.label}:deleted")
    for through in through_tables:
        m2m_changed.connect(changed, sender=through, weak=False, dispatch_uid=f"{key}:{through._meta.label}")
