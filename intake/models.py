from base.models import IntroPage


class ContactPage(IntroPage):
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "联系我们页面"
        verbose_name_plural = "联系我们页面"
