"""Public pages of the experts app. They never read private record fields."""

from base.models import IntroPage


class ExpertDirectoryPage(IntroPage):
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "专家名录页面"
        verbose_name_plural = "专家名录页面"
