"""Generations in the shared cache: a value stored under a key that names the current generation
is retired at once, in every process, by starting a new generation (the public page cache, the
liaison coverage's year of activities)."""

import uuid

from django.core.cache import cache


def current(key):
    """The generation stored under `key`, started now if there is none."""
    generation = cache.get(key)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(key, generation, None):
            generation = cache.get(key)
    return generation


def renew(key):
    """Starts a new generation under `key` and returns it."""
    generation = uuid.uuid4().hex
    cache.set(key, generation, None)
    return generation
