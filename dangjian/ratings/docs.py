"""The star rating's Word documents, in 公文 style (GB/T 9704): the 公示 of the proposed stars
and the 命名文件 of a campaign. A4, the standard's margins, the title in 小标宋, the body in 仿宋
三号; the East-Asian font is set on every style and run (python-docx sets only the Latin one).

Both are documents of the whole campaign, published zone-wide: who may download them is the
page's question, not this module's."""

from django.core.exceptions import ValidationError

from dangjian.core.calendar import workdays
from dangjian.core.documents import (
    chinese_date,
    document_bytes,
    gongwen_document,
    paragraph,
    signature,
    table,
    title,
)
from dangjian.organizations.models import PartyOrganization

from .models import STAR_CHOICES, CampaignStep, Objection, stars_label


def issuer() -> str:
    """The zone's working committee, which publishes and names."""
    # zone-wide on purpose: the zone's root organization signs the zone's documents
    root = PartyOrganization.objects.filter(depth=1).order_by("path").first()
    return root.name if root else "党工委"


def _score(value) -> str:
    return "—" if value is None else f"{value.normalize():f}"


def proposed(campaign):
    """The campaign's assessments as the 公示 lists them: stars down, then score down."""
    assessments = campaign.assessments.select_related("organization")
    return sorted(
        assessments,
        key=lambda a: (-(a.stars or 0), -(a.review_score or 0), a.org_path),
    )


def notice_filename(campaign) -> str:
    return f"{campaign.year}年度评星晋级评定结果公示.docx"


def naming_filename(campaign) -> str:
    return f"{campaign.year}年度星级党组织命名决定.docx"


def notice_document(campaign) -> bytes:
    """公示: the proposed stars of every organization of the campaign, the 公示期 and how to object."""
    if campaign.notice_start is None or campaign.notice_end is None:
        raise ValidationError(f"评星活动“{campaign}”尚未开始公示，不能生成公示文件")
    document = gongwen_document()
    title(document, f"关于{campaign.year}年度“评星晋级·争创双强”评定结果的公示")
    days = len(workdays(campaign.notice_start, campaign.notice_end))
    paragraph(
        document,
        f"根据《{campaign.rubric}》，按照{campaign.name}的安排，经各党组织自评申报、党工委评审和党工委会议"
        f"研究评定，现将拟评定星级的党组织名单予以公示。",
    )
    paragraph(
        document,
        f"公示期为{chinese_date(campaign.notice_start)}至{chinese_date(campaign.notice_end)}（{days}个工作日）。"
        "公示期间，如对拟评定结果有异议，可以书面、电话或来访等方式向党工委反映。反映问题应实事求是、"
        "客观公正，以单位名义反映的须加盖公章，以个人名义反映的须署真实姓名并提供联系方式。"
        "党工委将对反映的问题认真核实，并予以答复。",
    )
    paragraph(document, "拟评定结果如下：")
    rows = []
    for number, assessment in enumerate(proposed(campaign), start=1):
        previous = "—"
        if assessment.previous_stars:
            previous = f"{stars_label(assessment.previous_stars)}（{assessment.previous_year}年）"
        rows.append(
            (
                number,
                assessment.organization.name,
                _score(assessment.review_score),
                stars_label(assessment.stars),
                previous,
            )
        )
    table(document, ["序号", "党组织名称", "得分", "拟评定星级", "上次星级"], rows)
    signature(document, issuer(), campaign.notice_start)
    return document_bytes(document)


NUMERALS = "一二三四五六七八九十"


def named_levels(campaign) -> list[tuple[int, list]]:
    """(stars, the organizations named at it) from five stars down, levels with none left out."""
    results = campaign.results.select_related("organization").order_by("-score", "org_path")
    by_stars = {stars: [] for stars, _ in STAR_CHOICES}
    for rating in results:
        by_stars[rating.stars].append(rating.organization)
    return [(stars, by_stars[stars]) for stars in sorted(by_stars, reverse=True) if by_stars[stars]]


def naming_document(campaign) -> bytes:
    """命名文件: the committee's decision naming each star level's organizations."""
    if campaign.step != CampaignStep.NAMED:
        raise ValidationError(f"评星活动“{campaign}”尚未命名，不能生成命名文件")
    levels = named_levels(campaign)
    labels = "、".join(stars_label(stars) for stars, _ in levels)
    document = gongwen_document()
    if campaign.document_number:
        paragraph(document, campaign.document_number, "公文居中")
        paragraph(document, "", "公文居中")
    title(document, f"关于命名{campaign.year}年度{labels}党组织的决定")
    paragraph(document, "各基层党组织：", "Normal")
    notice = ""
    if campaign.notice_start and campaign.notice_end:
        objections = Objection.objects.filter(assessment__campaign=campaign).count()
        heard = f"期间收到异议{objections}件，均已核实答复" if objections else "无异议"
        notice = (
            f"，并于{chinese_date(campaign.notice_start)}至{chinese_date(campaign.notice_end)}公示，{heard}"
        )
    count = sum(len(orgs) for _, orgs in levels)
    paragraph(
        document,
        f"按照{campaign.name}的安排，依据《{campaign.rubric}》，经各党组织自评申报、党工委评审和党工委会议"
        f"研究评定{notice}，党工委决定，命名{count}个党组织为{campaign.year}年度星级党组织。名单如下：",
    )
    for number, (stars, organizations) in enumerate(levels):
        paragraph(
            document,
            f"{NUMERALS[number]}、{stars_label(stars)}党组织（{len(organizations)}个）",
            "公文一级标题",
        )
        paragraph(document, "、".join(o.name for o in organizations))
    paragraph(
        document,
        "希望受到命名的党组织珍惜荣誉、再接再厉，持续发挥示范引领作用；各党组织要以先进为榜样，"
        "对标评星标准查找差距、补齐短板，推动党建工作与生产经营深度融合，争创“双强”。",
    )
    signature(document, issuer(), campaign.named_on)
    return document_bytes(document)
