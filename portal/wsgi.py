import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_wsgi_application()

# App servers load the search dictionary (~60 MB) at start, not on a worker's first search.
# Under `gunicorn --preload` this runs once in the master, and the forked workers share its
# memory; frozen objects are left alone by the garbage collector, which would otherwise
# write to them and make each worker copy the pages they sit on.
from search.segmentation import load_dictionary  # noqa: E402 - needs the apps loaded above

load_dictionary()
gc.freeze()
