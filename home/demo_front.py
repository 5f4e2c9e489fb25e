"""The demo home page's blocks, once the sections have content to show."""

from spotlight.models import SpotlightArticlePage


def build(demo):
    home = demo.pages["home"]
    if home.body:
        return
    lead = SpotlightArticlePage.objects.live().order_by("date", "pk").first()
    quick_links = [
        {"page": demo.pages[key], "label": label}
        for key, label in [
            ("services", "一站式服务"),
            ("contact", "联系我们"),
            ("experts", "专家名录"),
            ("about", "工作方案"),
        ]
    ]
    body = [
        ("contact_card", {"heading": "专家人才服务通道", "text": "约见、电话、信函、邮件，四条通道随时为您服务。"}),
        ("quick_links", {"heading": "快捷入口", "links": quick_links}),
        ("latest_spotlights", {"heading": "专家风采", "count": 3, "column": None}),
        ("latest_news", {"heading": "通知公告", "count": 5, "category": "notice"}),
        ("latest_honours", {"heading": "荣誉表彰", "count": 5}),
    ]
    if lead is not None:
        body.insert(0, ("lead_story", {"page": lead, "heading": "头条"}))
    home.body = body
    home.save_revision().publish()
    demo.log("首页栏目已设置")
