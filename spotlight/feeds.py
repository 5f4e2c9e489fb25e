from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

from .models import SpotlightArticlePage, SpotlightIndexPage

FEED_LENGTH = 20


class SpotlightFeed(Feed):
    """RSS 2.0 of the latest expert spotlight articles."""

    feed_type = Rss201rev2Feed
    title = "专家风采"
    description = "来宾市优秀专家人才和团队的先进事迹。"

    def link(self):
        index_page = SpotlightIndexPage.objects.live().first()
        return index_page.url if index_page else "/"

    def items(self):
        return (
            SpotlightArticlePage.objects.live()
            .public()
            .order_by("-date", "-pk")
            .prefetch_related("columns")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_author_name(self, item):
        return item.author

    def item_pubdate(self, item):
        return item.first_published_at

    def item_categories(self, item):
        return [column.name for column in item.live_columns()]
