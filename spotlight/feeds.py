from base.feeds import SectionFeed

from .models import SpotlightArticlePage, SpotlightIndexPage


class SpotlightFeed(SectionFeed):
    """RSS 2.0 of the latest expert spotlight articles."""

    title = "专家风采"
    description = "来宾市优秀专家人才和团队的先进事迹。"
    index_model = SpotlightIndexPage
    item_model = SpotlightArticlePage

    def item_queryset(self):
        return super().item_queryset().prefetch_related("columns")

    def item_author_name(self, item):
        return item.author

    def item_categories(self, item):
        return [column.name for column in item.live_columns()]
