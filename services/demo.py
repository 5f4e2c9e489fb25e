"""Demo service guide: the services the programme offers experts (clauses 三(三), 三(五), 四(三))."""

from .models import ServicePage

OFFICE = "来宾市委人才办"
# (slug, title, summary, eligibility, how to apply, documents, office, phone)
SERVICES = [
    (
        "lvse-tongdao",
        "医疗绿色通道",
        "专家人才在市内公立医院就医需要协助时，由人才办联系医院协调预约门诊、检查和住院床位。",
        "纳入来宾市专家人才资源信息库的在库专家人才。",
        "向所在县（市、区）人才办或市委人才办提出需求（医院、时间和需要协调的事项），也可拨打咨询电话；"
        "人才办登记后联系医院安排，并跟踪到办结。只需说明就医安排所需的情况，不必提供病情资料。",
        "有效身份证件。",
        OFFICE,
        "0772-4278067",
    ),
    (
        "jiankang-tijian",
        "年度健康体检",
        "市委人才办和各县（市、区）人才办每年组织1次专家人才集中健康体检。",
        "在库专家人才，每年1次。",
        "人才办按属地分批向专家发出体检邀请，告知时间和医院；专家按通知时间到指定医院体检，"
        "不能参加的请告知所在人才办。人才办只登记是否参加，体检结果由医院直接告知本人。",
        "有效身份证件。",
        OFFICE,
        "0772-4278067",
    ),
    (
        "xiujia-liaoyang",
        "休假疗养",
        "每年安排专家人才参加1次休假疗养活动，形式有集体休假疗养、国情区情市情考察和智力咨询服务。",
        "在库专家人才，优先安排一线和基层专家。",
        "所在单位推荐，县级人才办汇总后报市委人才办统筹安排；人才办通知入选专家，并登记参加情况。",
        "单位推荐表。",
        OFFICE,
        "0772-4278067",
    ),
    (
        "xiangmu-shenbao",
        "项目申报与资金支持",
        "人才项目（科研资助、访学研修、基层锻炼）申报和资金支持政策咨询。",
        "在来宾市工作的专家人才及其团队。",
        "按年度申报指南通过所在单位申报，经评审、公示后下达资助。",
        "项目申报书；单位推荐意见；相关证明材料。",
        "来宾市科学技术局",
        "0772-4278067",
    ),
    (
        "jinrong-zhichi",
        "金融支持",
        "为专家人才创新创业提供贷款贴息、担保等金融支持。",
        "在来宾创新创业的专家人才及其企业。",
        "向合作银行提出申请，市委人才办出具人才身份确认函。",
        "营业执照；项目材料；人才身份确认函。",
        "来宾市地方金融服务中心",
        "0772-4278067",
    ),
    (
        "xueshu-jiaoliu",
        "学术交流与研修",
        "支持专家人才参加学术交流、国情区情市情研修。",
        "在库专家人才。",
        "关注年度研修计划，经所在单位同意后报名。",
        "报名表；单位同意意见。",
        OFFICE,
        "0772-4278067",
    ),
    (
        "zhengce-zixun",
        "政策咨询",
        "解答人才政策、服务事项办理等问题。",
        "所有专家人才和用人单位。",
        "拨打专家人才热线、发送电子邮件，或在线提交咨询。",
        "无需材料。",
        OFFICE,
        "0772-4278067",
    ),
]


def build(demo):
    index_page = demo.pages["services"]
    for slug, title, summary, eligibility, apply, documents, office, phone in SERVICES:
        if index_page.get_children().filter(slug=slug).exists():
            continue
        service = ServicePage(
            slug=slug,
            title=title,
            summary=summary,
            eligibility=f"<p>{eligibility}</p>",
            how_to_apply=f"<p>{apply}</p>",
            documents_needed=f"<p>{documents}</p>",
            office=office,
            phone=phone,
        )
        index_page.add_child(instance=service)
        service.save_revision().publish()
    demo.log(f"一站式服务：{len(SERVICES)} 项服务指南")
