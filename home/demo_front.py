"""The demo home page's lead story, once the spotlight section has an article to lead with."""

from spotlight.models import SpotlightArticlePage


def build(demo):
    home = demo.pages["home"]
    if any(block.block_type == "lead_story" for block in home.body):
        return
    lead = SpotlightArticlePage.objects.live().order_by("date", "pk").first()
    if lead is None:
        return
    home.body.insert(0, ("lead_story", {"page": lead, "heading": "头条"}))
    home.save_revision().publish()
    demo.log("首页头条已设置")
