"""Word and Excel documents of 项目包抓: the weekly dispatch minutes, the monthly summary and the
yearly assessment's ranking. Real .docx (python-docx) and .xlsx (openpyxl) files."""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from dangjian.core.exports import xlsx_table

from . import rules


def _document(title: str):
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "宋体"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    style.font.size = Pt(11)
    heading = document.add_heading(title, level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return document


def _table(document, headers, rows):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    return table


def _bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def dispatch_minutes_docx(meeting, board) -> bytes:
    document = _document(f"周调度会议纪要（{board.week_start:%Y年%m月%d日}—{board.week_end:%m月%d日}）")
    document.add_paragraph(f"召开日期：{meeting.held_on:%Y年%m月%d日}    主持人：{meeting.host or '—'}")
    document.add_paragraph(f"参会人员：{meeting.attendees or '—'}")
    document.add_heading("一、本周调度情况", level=2)
    document.add_paragraph(
        f"本周新增问题 {len(board.new_problems)} 个，逾期未办结问题 {len(board.overdue_problems)} 个，"
        f"滞后项目节点 {len(board.behind_milestones)} 个，日纪实缺报干部 {len(board.missing_records)} 名。"
    )
    if board.overdue_problems:
        document.add_paragraph("逾期问题：")
        _table(
            document,
            ["问题", "责任人", "办理时限", "状态"],
            [
                (
                    str(p),
                    p.owner.name if p.owner_id else "—",
                    f"{p.deadline:%Y-%m-%d}",
                    p.get_status_display(),
                )
                for p in board.overdue_problems
            ],
        )
    if board.behind_milestones:
        document.add_paragraph("滞后节点：")
        _table(
            document,
            ["项目", "节点", "计划日期"],
            [(m.project.name, m.name, f"{m.planned_on:%Y-%m-%d}") for m in board.behind_milestones],
        )
    if board.missing_records:
        document.add_paragraph(
            "日纪实缺报："
            + "；".join(f"{cadre.name}（{len(days)} 天）" for cadre, days in board.missing_records)
        )
    document.add_heading("二、会议纪要", level=2)
    for paragraph in (meeting.minutes or "（无）").splitlines() or ["（无）"]:
        document.add_paragraph(paragraph)
    document.add_heading("三、议定事项", level=2)
    follow_ups = list(meeting.follow_ups.select_related("owner"))
    if follow_ups:
        _table(
            document,
            ["序号", "事项", "类型", "责任人", "完成时限"],
            [
                (index, f.text, f.get_kind_display(), f.owner.name, f"{f.deadline:%Y-%m-%d}")
                for index, f in enumerate(follow_ups, start=1)
            ],
        )
    else:
        document.add_paragraph("（无）")
    return _bytes(document)


SUMMARY_HEADERS = [
    "干部",
    "应记天数",
    "已记天数",
    "完整率（%）",
    "深入现场/企业",
    "提出问题",
    "解决问题",
    "完成节点",
    "本人小结",
]


def _summary_rows(summary):
    for row in summary.rows:
        yield [
            row.cadre.name,
            row.workdays,
            row.records,
            row.completeness,
            row.visits,
            row.problems_raised,
            row.problems_solved,
            row.milestones_met,
            row.note,
        ]


def monthly_summary_docx(summary) -> bytes:
    document = _document(f"{summary.month:%Y年%m月}包抓干部工作月总结")
    document.add_paragraph(
        f"全区：日纪实 {summary.total('records')} 篇，深入现场和企业 {summary.total('visits')} 次，"
        f"提出问题 {summary.total('problems_raised')} 个，解决问题 {summary.total('problems_solved')} 个，"
        f"完成项目节点 {summary.total('milestones_met')} 个。"
    )
    _table(document, SUMMARY_HEADERS, list(_summary_rows(summary)))
    return _bytes(document)


def _workbook(title, headers, rows) -> bytes:
    return xlsx_table(title, headers, rows)


def monthly_summary_xlsx(summary) -> bytes:
    return _workbook(f"{summary.month:%Y年%m月}月总结", SUMMARY_HEADERS, _summary_rows(summary))


ASSESSMENT_HEADERS = [
    "名次",
    "干部",
    "得分",
    "日纪实完整率（%）",
    "问题按时办结率（%）",
    "节点按期完成率（%）",
    "企业满意度（%）",
]


def assessment_xlsx(run) -> bytes:
    rows = []
    for score in run.scores.select_related("cadre").order_by("rank", "cadre__name"):
        parts = score.components
        rows.append(
            [
                score.rank,
                score.cadre.name,
                score.score,
                parts.get("record_completeness"),
                parts.get("problems_on_time"),
                parts.get("milestones_met"),
                parts.get("satisfaction"),
            ]
        )
    weights = rules.weights_text(run.weights)
    rows.append([])
    rows.append(["权重", weights, f"规则版本 {run.rule.version}"])
    return _workbook(f"{run.year}年度考核", ASSESSMENT_HEADERS, rows)
