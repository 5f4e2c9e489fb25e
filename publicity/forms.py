from wagtail.admin.widgets import AdminPageChooser

from programme.forms import ActivityForm
from spotlight.models import SpotlightArticlePage

from .models import PublicityActivity


class PublicityForm(ActivityForm):
    experts_label = "宣传的专家"
    experts_help = "点击“添加专家”可一次选择多位专家；报道一个团队时，选择团队中被报道的专家。"

    class Meta:
        model = PublicityActivity
        fields = ["kind", "date", "title", "place", "audience", "team", "article"]
        widgets = {"article": AdminPageChooser(target_models=[SpotlightArticlePage])}
