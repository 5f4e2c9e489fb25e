from django.utils.html import format_html

from programme.views import ProgrammeInspectView


class PublicityInspectView(ProgrammeInspectView):
    def get_article_display_value(self):
        """The article's public page when it is live; a draft or withdrawn one by its title."""
        article = self.object.article
        if article is None:
            return "—"
        url = article.get_url(request=self.request) if article.live else None
        if url:
            return format_html('<a href="{}">{}</a>（网站公开页面）', url, article.title)
        return f"{article.title}（未发布）"
