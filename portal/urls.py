from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from base import views as base_views
from base.page_cache import cache_public
from news.feeds import NewsFeed
from search import views as search_views
from spotlight.feeds import SpotlightFeed
from staff import reports
from staff.reports import report_urls

urlpatterns = [
    # Wagtail's reports and listings that export, with our writer: before the admin's own URLs.
    *report_urls("admin/reports/site-history/", reports.SiteHistoryReport),
    *report_urls("admin/reports/locked/", reports.LockedPagesReport),
    *report_urls("admin/reports/aging-pages/", reports.AgingPagesReport),
    *report_urls("admin/reports/page-types-usage/", reports.PageTypesUsageReport),
    *report_urls("admin/reports/workflow/", reports.WorkflowReport),
    *report_urls("admin/reports/workflow_tasks/", reports.WorkflowTasksReport),
    *report_urls("admin/redirects/", reports.RedirectsReport),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search, name="search"),
    path("sitemap.xml", cache_public(sitemap, params=("p",)), name="sitemap"),
    path("feeds/news/", cache_public(NewsFeed()), name="news_feed"),
    path("feeds/spotlight/", cache_public(SpotlightFeed()), name="spotlight_feed"),
    path("calendar/", include("reminders.urls")),
    path("robots.txt", base_views.robots_txt, name="robots_txt"),
    path("favicon.ico", base_views.favicon, name="favicon"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
