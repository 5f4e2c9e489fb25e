"""Expert spotlights (专家风采): special columns and the articles published in them."""

from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    Page,
    PreviewableMixin,
    RevisionMixin,
    Site,
    WorkflowMixin,
)
from wagtail.search import index

from base.blocks import BodyBlock
from base.listings import paginate
from base.models import CoverImageFields, IntroPage, ViewRestrictionsMixin, absolute_image_url, publisher_data
from base.page_cache import remembered
from experts.models.pages import ExpertProfilePage
from search.segmentation import SegmentedSearchField, page_search_fields

ARTICLES_PER_PAGE = 9


class SpecialColumn(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    CoverImageFields,
    ClusterableModel,
):
    """专题专栏: a named series of spotlight articles, reviewed before it goes public like a page."""

    name = models.CharField("专栏名称", max_length=60)
    slug = models.SlugField(
        "网址名称",
        max_length=60,
        unique=True,
        allow_unicode=True,
        help_text="出现在专栏网址中，例如 zhuanjia-fengcai。",
    )
    description = models.TextField("专栏简介", max_length=500)
    sort_order = models.PositiveSmallIntegerField("排序", default=0, help_text="数字小的排在前面。")

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        CoverImageFields.cover_panel,
        FieldPanel("sort_order"),
    ]
    search_fields = [SegmentedSearchField("name"), SegmentedSearchField("description")]

    class Meta:
        verbose_name = "专题专栏"
        verbose_name_plural = "专题专栏"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def get_url(self, request=None):
        def columns_url():
            index_page = SpotlightIndexPage.objects.live().first()
            if index_page is None:
                return None
            return index_page.get_url(request) + index_page.reverse_subpage("column", args=["-"]).removesuffix("-/")

        # Looked up once per site (relative or absolute URLs) until anything public changes.
        site = Site.find_for_request(request) if request is not None else None
        base_url = remembered(("spotlight-columns-url", site.pk if site else None), columns_url)
        return None if base_url is None else f"{base_url}{self.slug}/"

    url = property(get_url)

    def get_preview_template(self, request, mode_name):
        return "spotlight/special_column.html"

    def get_preview_context(self, request, mode_name):
        index_page = SpotlightIndexPage.objects.first()
        articles = SpotlightArticlePage.objects.live().filter(columns=self) if self.pk else []
        return {
            "column": self,
            "page": index_page,
            "self": index_page,
            "articles": paginate(request, SpotlightArticlePage.listing(articles), ARTICLES_PER_PAGE),
        }


class SpotlightIndexPage(RoutablePageMixin, IntroPage):
    """/spotlight/: every article, the live columns, and a page per column."""

    public_page_cache = True
    public_page_cache_params = ("page",)

    parent_page_types = ["home.HomePage"]
    subpage_types = ["spotlight.SpotlightArticlePage"]
    max_count = 1

    class Meta:
        verbose_name = "专家风采栏目首页"
        verbose_name_plural = "专家风采栏目首页"

    def articles(self):
        return SpotlightArticlePage.objects.child_of(self).live()

    @path("")
    def index_route(self, request):
        return self.render(
            request,
            context_overrides={
                "columns": SpecialColumn.objects.filter(live=True).select_related("cover_image"),
                "articles": paginate(request, SpotlightArticlePage.listing(self.articles()), ARTICLES_PER_PAGE),
            },
        )

    @path("column/<str:slug>/", name="column")
    def column_route(self, request, slug):
        column = get_object_or_404(SpecialColumn, slug=slug, live=True)
        return self.render(
            request,
            template="spotlight/special_column.html",
            context_overrides={
                "column": column,
                "meta_title": column.name,
                "meta_description": column.description,
                "canonical_url": self.get_full_url(request) + self.reverse_subpage("column", args=[column.slug]),
                "social_image": column.cover_image,
                "articles": paginate(
                    request, SpotlightArticlePage.listing(self.articles().filter(columns=column)), ARTICLES_PER_PAGE
                ),
            },
        )

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        base_url = self.get_full_url(request)
        urls.extend(
            {"location": base_url + self.reverse_subpage("column", args=[column.slug])}
            for column in SpecialColumn.objects.filter(live=True)
        )
        return urls


class SpotlightArticlePage(ViewRestrictionsMixin, CoverImageFields, Page):
    """An article on an exemplary expert or team, in one or more special columns."""

    public_page_cache = True

    date = models.DateField("发布日期", default=timezone.localdate)
    author = models.CharField("作者", max_length=60)
    summary = models.TextField("摘要", max_length=300, help_text="用于列表、搜索结果和分享描述。")
    columns = ParentalManyToManyField(SpecialColumn, verbose_name="所属专栏", related_name="articles")
    body = StreamField(BodyBlock(), verbose_name="正文")

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("date"), FieldPanel("author"), FieldPanel("columns")], heading="发布信息"),
        CoverImageFields.cover_panel,
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("related_experts", heading="相关专家", label="相关专家"),
    ]
    search_fields = page_search_fields("summary", "author", "body")

    parent_page_types = ["spotlight.SpotlightIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "专家风采文章"
        verbose_name_plural = "专家风采文章"

    @property
    def social_image(self):
        return self.cover_image

    def structured_data(self, request):
        return {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": self.title,
            "description": self.summary,
            "datePublished": self.date.isoformat(),
            "author": {"@type": "Person", "name": self.author},
            "publisher": publisher_data(request),
            "image": absolute_image_url(request, self.cover_image) or None,
            "url": self.get_full_url(request),
            "articleSection": [column.name for column in self.live_columns()],
        }

    @staticmethod
    def listing(articles):
        """`articles` ready for a listing: newest first, covers and columns loaded in bulk."""
        return (
            articles.order_by("-date", "-pk")
            .select_related("cover_image")
            .prefetch_related(models.Prefetch("columns", queryset=SpecialColumn.objects.filter(live=True)))
        )

    def live_columns(self):
        # Read three times on the article's page (links, neighbours, structured data): one query.
        if not hasattr(self, "_live_columns"):
            self._live_columns = [column for column in self.columns.all() if column.live]
        return self._live_columns

    def column_neighbours(self):
        """(column, previous article, next article) for each column of this article, by date.

        Two queries however many columns: the neighbours' ids as subqueries, then their pages.
        """
        columns = self.live_columns()
        if not columns:
            return []
        in_column = SpotlightArticlePage.objects.live().exclude(pk=self.pk).filter(columns=models.OuterRef("pk"))
        newer = models.Q(date__gt=self.date) | models.Q(date=self.date, pk__gt=self.pk)
        older = models.Q(date__lt=self.date) | models.Q(date=self.date, pk__lt=self.pk)

        def nearest(side, *order):
            return models.Subquery(in_column.filter(side).order_by(*order).values("pk")[:1])

        neighbour_ids = {
            pk: (previous, following)
            for pk, previous, following in SpecialColumn.objects.filter(pk__in=[column.pk for column in columns])
            .annotate(previous=nearest(older, "-date", "-pk"), following=nearest(newer, "date", "pk"))
            .values_list("pk", "previous", "following")
        }
        pages = SpotlightArticlePage.objects.only("title", "url_path", "date").in_bulk(
            [pk for pair in neighbour_ids.values() for pk in pair if pk]
        )
        return [(column, *(pages.get(pk) for pk in neighbour_ids.get(column.pk, (None, None)))) for column in columns]

    def related_profiles(self):
        """The related experts' live public profiles, in the editor's order."""
        return ExpertProfilePage.cards(
            ExpertProfilePage.objects.live()
            .filter(spotlight_articles__article=self)
            .order_by("spotlight_articles__sort_order")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["column_neighbours"] = self.column_neighbours()
        context["related_profiles"] = self.related_profiles()
        return context


class SpotlightArticleExpert(Orderable):
    """An expert the article is about, linked by their public profile, never the private record."""

    article = ParentalKey(SpotlightArticlePage, on_delete=models.CASCADE, related_name="related_experts")
    profile = models.ForeignKey(
        "experts.ExpertProfilePage",
        verbose_name="专家公开简介",
        on_delete=models.CASCADE,
        related_name="spotlight_articles",
    )

    panels = [FieldPanel("profile")]

    class Meta(Orderable.Meta):
        verbose_name = "相关专家"
        verbose_name_plural = "相关专家"
