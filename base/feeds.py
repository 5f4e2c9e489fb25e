"""What the section feeds share: RSS 2.0 of the latest live public pages of one section."""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed

FEED_LENGTH = 20


class SectionFeed(Feed):
    """A section's newest pages, newest first, linking to the section's index.

    Subclasses set `title`, `description`, the section's `index_model` and `item_model`
    (a page type with `date` and `summary`), and add what their items have beyond that.
    """

    feed_type = Rss201rev2Feed
    index_model = None
    item_model = None

    def link(self):
        index_page = self.index_model.objects.live().first()
        return index_page.url if index_page else "/"

    def item_queryset(self):
        return self.item_model.objects.live().public().order_by("-date", "-pk")

    def items(self):
        return self.item_queryset()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        # The date the page gives itself (发布日期), not when it first went live on this site;
        # midnight of that day in the site's time zone (TIME_ZONE, Asia/Shanghai).
        return datetime.combine(item.date, time.min, tzinfo=timezone.get_default_timezone())
