from base.models import IntroPage


class NewsIndexPage(IntroPage):
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "新闻公告栏目首页"
        verbose_name_plural = "新闻公告栏目首页"
