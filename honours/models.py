from base.models import IntroPage


class HonourIndexPage(IntroPage):
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "荣誉表彰栏目首页"
        verbose_name_plural = "荣誉表彰栏目首页"
