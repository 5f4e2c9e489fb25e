from base.models import IntroPage


class SpotlightIndexPage(IntroPage):
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "专家风采栏目首页"
        verbose_name_plural = "专家风采栏目首页"
