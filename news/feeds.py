from base.feeds import SectionFeed

from .models import NewsIndexPage, NewsPage


class NewsFeed(SectionFeed):
    """RSS 2.0 of the latest news, notices and policy documents."""

    title = "新闻公告"
    description = "来宾市专家人才工作动态、通知公告与政策文件。"
    index_model = NewsIndexPage
    item_model = NewsPage

    def item_categories(self, item):
        return [item.get_category_display()]
