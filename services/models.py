from base.models import IntroPage


class ServiceIndexPage(IntroPage):
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "一站式服务栏目首页"
        verbose_name_plural = "一站式服务栏目首页"
