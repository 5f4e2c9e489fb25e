from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from base.models import IntroPage


class ContactPage(RoutablePageMixin, IntroPage):
    """/contact/: the contact form, the tracking page and the public answers.

    Editors change the intro; the hotline, mailbox and address come from the site settings.
    Never cached (see intake.views): the form carries a CSRF token and the tracking
    page one person's item. The views live in intake.views, imported when first used
    because they import these models.
    """

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "联系我们页面"
        verbose_name_plural = "联系我们页面"

    def requested_service(self, request):
        """The live service guide that `?service=<slug>` names (its button links here), else None.

        Anything else in the parameter is ignored, never shown back.
        """
        from services.models import ServicePage  # services.models imports this module

        slug = request.GET.get("service", "")
        if not slug or len(slug) > ServicePage._meta.get_field("slug").max_length:
            return None
        return ServicePage.objects.live().public().filter(slug=slug).first()

    @path("")
    def contact(self, request):
        from intake.views import contact

        return contact(self, request)

    @path("submitted/")
    def submitted(self, request):
        from intake.views import submitted

        return submitted(self, request)

    @path("track/")
    def track(self, request):
        from intake.views import track

        return track(self, request)

    @path("track/rate/")
    def rate(self, request):
        from intake.views import rate

        return rate(self, request)

    @path("answers/")
    def answers(self, request):
        from intake.views import answers

        return answers(self, request)
