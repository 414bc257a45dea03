"""The default template of the yearly summary: the article's structure (政治建设, 基层组织,
项目建设, 营商环境, 招商引资, 人才与创新) in 公文 style, each sentence stating its figures in the
office's words and left out where its figure has no value, the charts, and the appendix 指标一览.
Built with python-docx on the 公文 styles (core.documents), so the office downloads it, edits the
words in Word and uploads it back; the placeholders are docxtpl's (Jinja) with indicator codes."""

from functools import lru_cache

from dangjian.core.documents import document_bytes, gongwen_document, paragraph, table, title

# (heading, [(subheading, sentence), ...]); a sentence is one paragraph of Jinja text in which each
# figure's clause stands in {% if … %} so that a figure without a value leaves no words behind.
SECTIONS = [
    (
        "一、政治建设",
        [
            (
                "（一）理论学习",
                "把习近平新时代中国特色社会主义思想等内容列为必修课，制定党员干部教育培训计划，"
                "高频次全方位多层次开展教育培训"
                "{% if trainings.sessions %}，举办主题班会、专题培训班、高新大讲堂等{{ trainings.sessions.text }}{% endif %}"
                "{% if trainings.attendance %}，培训各级党员干部{{ trainings.attendance.text }}{% endif %}"
                "，党员干部的“政治三力”不断提高。",
            ),
            (
                "（二）主题教育",
                "始终坚持把党的政治建设摆在首位，以学习贯彻习近平新时代中国特色社会主义思想主题教育为抓手"
                "{% if activities.practice %}，开展各类实践活动{{ activities.practice.text }}{% endif %}"
                "，不断提高党员政治觉悟，达到以学促行的良好效果。",
            ),
            (
                "（三）政治生活",
                "严格执行新形势下党内政治生活的若干准则，推动党支部主题党日与“三会一课”深度融合"
                "{% if meetings.lectures_by_leaders %}，组织县局领导、基层党组织书记讲授专题党课"
                "{{ meetings.lectures_by_leaders.text }}{% endif %}"
                "{% if meetings.theme_days %}，组织开展主题党日{{ meetings.theme_days.text }}{% endif %}"
                "{% if meetings.compliance_rate %}，“三会一课”落实率{{ meetings.compliance_rate.text }}{% endif %}"
                "，持续烧旺党内政治生活“大熔炉”。",
            ),
        ],
        "meetings_by_month",
    ),
    (
        "二、基层组织",
        [
            (
                "（一）组织体系",
                "将党建工作纳入重点工作，与重点项目、招商引资、营商环境等工作同步安排、同步调度"
                "{% if documents.issued %}，印发党建引领重点工作等指导性文件{{ documents.issued.text }}{% endif %}"
                "{% if meetings.work_conferences %}，召开党建工作会议{{ meetings.work_conferences.text }}{% endif %}"
                "{% if orgs.branches %}，现有党支部{{ orgs.branches.text }}{% endif %}"
                "{% if orgs.party_groups %}，党小组{{ orgs.party_groups.text }}{% endif %}"
                "{% if posts.responsibility_areas %}，建立“党员责任区”{{ posts.responsibility_areas.text }}{% endif %}"
                "{% if posts.model_posts %}，“党员示范岗”{{ posts.model_posts.text }}{% endif %}"
                "，组织体系不断健全。",
            ),
            (
                "（二）标准化规范化",
                "持续推进党支部标准化规范化建设"
                "{% if orgs.standardized_rate %}，党支部标准化规范化达标率达到{{ orgs.standardized_rate.text }}{% endif %}"
                "，基层党组织战斗堡垒作用不断增强。",
            ),
            (
                "（三）党员队伍",
                "严格党员教育管理，常态化开展在职党员进基层活动"
                "{% if members.total %}，现有党员{{ members.total.text }}{% endif %}"
                "{% if members.newly_developed %}，新发展党员{{ members.newly_developed.text }}{% endif %}"
                "{% if dues.collection_rate %}，党费收缴率{{ dues.collection_rate.text }}{% endif %}"
                "，实现对全体党员的有效管理。",
            ),
            (
                "（四）评星晋级",
                "扎实开展“评星晋级·争创双强”活动"
                "{% if ratings.rated %}，评定星级党组织{{ ratings.rated.text }}"
                "{% for s in stars %}{% if loop.first %}（{% else %}、{% endif %}{{ s.label }}{{ s.figure.text }}"
                "{% if loop.last %}）{% endif %}{% endfor %}{% endif %}"
                "{% if ratings.five_star %}，其中五星级党组织{{ ratings.five_star.text }}{% endif %}"
                "{% if ratings.nonpublic_four_five_star_rate %}，五星级、四星级非公企业党组织占比达到"
                "{{ ratings.nonpublic_four_five_star_rate.text }}{% endif %}"
                "，推动企业高质量发展。",
            ),
            (
                "（五）非公党建",
                "出台“支持非公党建十条措施”，选派优秀年轻党员干部担任非公企业党建指导员，实现非公企业党的建设和企业发展结对共建"
                "{% if activities.public_welfare %}，参与扶贫帮困、爱心募捐等公益活动{{ activities.public_welfare.text }}{% endif %}"
                "{% if activities.donations %}，捐款{{ activities.donations.text }}{% endif %}"
                "{% if enterprises.incubated %}，累计孵化企业{{ enterprises.incubated.text }}{% endif %}"
                "{% if enterprises.revenue_growth %}，区内企业营业收入同比增长{{ enterprises.revenue_growth.text }}{% endif %}"
                "，互促共赢。",
            ),
        ],
        "stars",
    ),
    (
        "三、项目建设",
        [
            (
                "（一）项目包抓",
                "建立项目包抓工作责任制"
                "{% if projects.cadres %}，选派{{ projects.cadres.text }}优秀年轻干部{% endif %}"
                "{% if projects.key_projects %}，包抓{{ projects.key_projects.text }}重点项目{% endif %}"
                "{% if activities.enterprise_visits %}，深入企业开展各类活动{{ activities.enterprise_visits.text }}{% endif %}"
                "，以作风向好推动企业发展向好。",
            ),
            (
                "（二）日纪实周调度月总结年度考核",
                "全面开展“日纪实周调度月总结年度考核”活动，推动重点任务落实落细"
                "{% if activities.site_and_finance_meetings %}，召开项目建设现场会、项目联席会、银企对接会"
                "{{ activities.site_and_finance_meetings.text }}{% endif %}"
                "，作风建设持续向好。",
            ),
            (
                "（三）堵点难点",
                "通过上门问诊、上门帮扶"
                "{% if problems.solved_by_visits %}，帮助企业解决发展中存在的“堵点”“难点”{{ problems.solved_by_visits.text }}{% endif %}"
                "{% if problems.raised %}，全年收集问题{{ problems.raised.text }}{% endif %}"
                "{% if problems.solved %}，解决问题{{ problems.solved.text }}"
                "{% for p in problems_by_source %}{% if loop.first %}（{% else %}、{% endif %}{{ p.label }}{{ p.figure.text }}"
                "{% if loop.last %}）{% endif %}{% endfor %}{% endif %}"
                "，助推企业经济发展提质增效。",
            ),
        ],
        "problems_by_source",
    ),
    (
        "四、营商环境",
        [
            (
                "（一）领办包办代办",
                "全面推行“领办、包办、代办”制，推行“园区事园区办”"
                "{% if activities.entrepreneur_forums %}，召开企业家座谈会{{ activities.entrepreneur_forums.text }}{% endif %}"
                "{% if activities.business_meals %}，举行营商环境“早餐会”“晚餐会”{{ activities.business_meals.text }}{% endif %}"
                "，全力打造营商环境最优区。",
            ),
            (
                "（二）政银企对接",
                "常态化开展政银企对接合作"
                "{% if problems.solved_by_finance_meetings %}，帮助解决用工、融资、产销等难题"
                "{{ problems.solved_by_finance_meetings.text }}{% endif %}"
                "，为企业发展纾困解难。",
            ),
            (
                "（三）审批与服务事项",
                "紧盯企业需求，让“只进一个门、只找一个人”措施落到实处"
                "{% if requests.approvals_done %}，为企业办理审批事项{{ requests.approvals_done.text }}{% endif %}"
                "{% if requests.services_done %}，服务事项{{ requests.services_done.text }}{% endif %}"
                "{% if requests.on_time_acceptance %}，按时受理率{{ requests.on_time_acceptance.text }}{% endif %}"
                "{% if requests.on_time_closing %}，按时办结率{{ requests.on_time_closing.text }}{% endif %}"
                "，办事效率不断提高。",
            ),
            (
                "（四）满意度",
                "坚持以企业满意为标准"
                "{% if requests.satisfaction %}，企业对办结事项的平均满意度为{{ requests.satisfaction.text }}{% endif %}"
                "，服务企业的质量持续提升。",
            ),
        ],
        None,
    ),
    (
        "五、招商引资",
        [
            (
                "",
                "聚焦“3+N”产业集群"
                "{% if investment.ambassadors %}，聘任{{ investment.ambassadors.text }}招商大使{% endif %}"
                "{% if investment.advisors %}{% if investment.ambassadors %}和{% else %}，聘任{% endif %}"
                "{{ investment.advisors.text }}招商顾问{% endif %}"
                "{% if investment.teams %}，成立{{ investment.teams.text }}招商小分队{% endif %}"
                "{% if investment.events %}，开展招商对接{{ investment.events.text }}次{% endif %}"
                "{% if investment.pipeline %}，新获项目线索{{ investment.pipeline.text }}{% endif %}"
                "{% if investment.signed_projects %}，签约项目{{ investment.signed_projects.text }}{% endif %}"
                "{% if investment.funds_in_place %}，实现招商到位资金{{ investment.funds_in_place.text }}{% endif %}"
                "{% if investment.funds_received %}，全年到账资金{{ investment.funds_received.text }}{% endif %}"
                "，项目建设提质增效。",
            ),
        ],
        "funds_by_month",
    ),
    (
        "六、人才与创新",
        [
            (
                "（一）引才育才",
                "坚持党管人才原则，打造“引育用留”全链条人才工作机制"
                "{% if talent.pool_intake %}，人才动态入库{{ talent.pool_intake.text }}{% endif %}"
                "{% if talent.pool_size %}，年末在库人才{{ talent.pool_size.text }}{% endif %}"
                "{% if talent.support_paid %}，兑现人才政策资金{{ talent.support_paid.text }}{% endif %}"
                "{% if trainings.talent_sessions %}，开展各类人才培训{{ trainings.talent_sessions.text }}{% endif %}"
                "{% if trainings.talent_attendance %}{% if trainings.talent_sessions %}、{% else %}，人才培训{% endif %}"
                "{{ trainings.talent_attendance.text }}{% endif %}"
                "，真正把人才资源转化为高质量发展的第一动力。",
            ),
            (
                "（二）创新平台",
                "抢抓秦创原机遇，推动大学科技园和创新平台建设"
                "{% if platforms.count %}，目前拥有创新平台{{ platforms.count.text }}"
                "{% for p in platform_mix %}{% if loop.first %}，其中{% else %}、{% endif %}{{ p.label }}{{ p.figure.text }}"
                "{% endfor %}{% endif %}"
                "，不断提升人才理论水平和创新能力。",
            ),
            (
                "（三）校地合作",
                "组织党员立项攻关"
                "{% if innovation.universities %}，引进{{ innovation.universities.text }}高校在区内建立研发中心、实验室{% endif %}"
                "{% if innovation.key_projects %}，实施重点科技项目{{ innovation.key_projects.text }}{% endif %}"
                "{% if innovation.achievements %}，获得省级以上科技成果{{ innovation.achievements.text }}{% endif %}"
                "{% if innovation.patents %}，拥有专利{{ innovation.patents.text }}{% endif %}"
                "{% if enterprises.tech_smes %}，培育科技型中小企业{{ enterprises.tech_smes.text }}{% endif %}"
                "{% if enterprises.high_tech %}{% if enterprises.tech_smes %}、{% else %}，培育{% endif %}"
                "高新技术企业{{ enterprises.high_tech.text }}{% endif %}"
                "{% if talent.experts %}，聘请{{ talent.experts.text }}院士专家与区内企业开展科技合作{% endif %}"
                "，区域创新能力不断提升。",
            ),
        ],
        None,
    ),
]
LEAD = (
    "{{ year }}年，{{ scope_name }}始终以高质量党建工作为引领，以科技创新为动力，以抓好项目为支撑，"
    "将党建工作具体化、党建任务项目化、党建责任清单化，推动基层党建各项工作落地落实见成效。现将全年工作综述如下。"
)
CHART_UNDER_MEMBERS = "members_by_year"


@lru_cache(maxsize=1)
def default_template() -> bytes:
    document = gongwen_document()
    title(document, "{{ scope_name }}{{ year }}年党建工作综述")
    paragraph(document, LEAD)
    for heading, parts, chart in SECTIONS:
        paragraph(document, heading, "公文一级标题")
        for subheading, sentence in parts:
            if subheading:
                paragraph(document, subheading, "公文二级标题")
            paragraph(document, sentence)
            if subheading == "（三）党员队伍":
                _chart(document, CHART_UNDER_MEMBERS)
        if chart:
            _chart(document, chart)
    paragraph(document, "")
    paragraph(document, "{{ issuer }}", "公文落款")
    paragraph(document, "{{ issued_on }}", "公文落款")
    document.add_page_break()
    paragraph(document, "附表  指标一览", "公文一级标题")
    paragraph(
        document,
        "以下为本综述所用的全部指标，按指标代码可在系统“指标”页查到每个数字及其构成记录。",
    )
    appendix = table(
        document,
        ["指标代码", "名称", "数值", "单位"],
        [
            ["{%tr for f in figures %}", "", "", ""],
            ["{{ f.code }}", "{{ f.name }}", "{{ f.shown }}", "{{ f.shown_unit }}"],
            ["{%tr endfor %}", "", "", ""],
        ],
    )
    appendix.autofit = True
    return document_bytes(document)


def _chart(document, name):
    paragraph(document, "{{ charts." + name + " }}", "公文居中")
