"""Media (images, renditions, documents) on S3-compatible object storage, when S3_BUCKET is set
(README, "Media on object storage").

Browsers never reach the store: image URLs stay under MEDIA_URL, and nginx passes the two image
prefixes to the bucket, which lets anyone read those prefixes and nothing else. Documents are
streamed by Wagtail's serve view, which checks their collection's privacy, so no document URL
(guessable or signed) ever points at the store.
"""

import json
from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

# Where Wagtail writes original images and renditions: public on the site today (nginx serves them).
PUBLIC_PREFIXES = ("original_images/", "images/")


class MediaStorage(S3Storage):
    """django-storages' S3Storage, addressed as local media are: /media/<key>, never the store's host."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return urljoin(settings.MEDIA_URL, filepath_to_uri(clean_name(name)).lstrip("/"))


def public_read_policy(bucket):
    """Anonymous reads of the image prefixes only: what nginx fetches for /media/images/ and
    /media/original_images/. Everything else (documents) needs the portal's credentials."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PublicImages",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": ["s3:GetObject"],
                    "Resource": [f"arn:aws:s3:::{bucket}/{prefix}*" for prefix in PUBLIC_PREFIXES],
                }
            ],
        }
    )
