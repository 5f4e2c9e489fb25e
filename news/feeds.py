from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

from .models import NewsIndexPage, NewsPage

FEED_LENGTH = 20


class NewsFeed(Feed):
    """RSS 2.0 of the latest news, notices and policy documents."""

    feed_type = Rss201rev2Feed
    title = "新闻公告"
    description = "来宾市专家人才工作动态、通知公告与政策文件。"

    def link(self):
        index_page = NewsIndexPage.objects.live().first()
        return index_page.url if index_page else "/"

    def items(self):
        return NewsPage.objects.live().public().order_by("-date", "-pk")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_categories(self, item):
        return [item.get_category_display()]
