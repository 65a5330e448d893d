"""The steering committee's deck for the minutes: one 16:9 PDF page per agenda slide, without a browser.

Each page is a `monitoring.outputs.slides.Slide` (the numbers of the page or slide shown on screen), with its bar chart drawn
with fpdf2's own rectangles and text, and the as-of date and the data's freshness at its foot.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from monitoring.dataset import Dataset
from monitoring.engine.progress import STATUS_COLOURS
from monitoring.outputs.agenda import PAGE_TABS, AgendaItem
from monitoring.outputs.export import INK, MUTED, unicode_font
from monitoring.outputs.report import Report
from monitoring.outputs.slides import Slide, is_number, slide_for

PAGE_MM = (320.0, 180.0)  # 16:9
MARGIN = 14.0
NEUTRAL_BAR = "#56B4E9"  # as on screen (ui.slide_view)
BAND = "#E4E7EB"


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def freshness(data: Dataset, as_of: dt.date) -> str:
    """The foot of every page: the as-of date, when the data was read, and whether it is the sample."""
    read_at = data.source.read_at.astimezone(dt.UTC)
    sample = " · sample data" if data.source.sample else ""
    return f"As of {as_of:%d %b %Y} · data read {read_at:%d %b %Y %H:%M} UTC from {data.source.label}{sample}"


def deck_slides(
    data: Dataset, items: list[AgendaItem], as_of: dt.date, reports: dict[int, Report] | None = None
) -> list[Slide]:
    """The slides of an agenda as of a date, in order (the pages a project does not have are left out, as on
    screen); `reports` are built reports by period number, to reuse."""
    progress = data.progress(as_of)
    kept = [i for i in items if i.page not in PAGE_TABS or data.keeps(PAGE_TABS[i.page])]
    return [slide_for(data, progress, item, as_of, (reports or {}).get(item.period or -1)) for item in kept]


def deck_pdf(data: Dataset, slides: list[Slide], as_of: dt.date) -> bytes:
    """The PDF: a page per slide, its number and the freshness at the foot."""
    from fpdf import FPDF

    regular, bold = unicode_font()
    foot = freshness(data, as_of)
    project = data.settings.project.name

    class Deck(FPDF):
        def footer(self) -> None:
            self.set_y(-11)
            self.set_font("Sans", "", 9)
            self.set_text_color(*_rgb(MUTED))
            self.cell(0, 5, foot)
            self.set_x(self.l_margin)
            self.cell(0, 5, f"{project} steering committee · slide {self.page_no()} of {{nb}}", align="R")

    pdf = Deck(orientation="L", unit="mm", format=(PAGE_MM[1], PAGE_MM[0]))  # landscape: fpdf swaps them
    pdf.set_title(f"{project} steering committee, as of {as_of:%d %b %Y}")
    pdf.set_creator(f"{project} monitoring dashboard")
    pdf.add_font("Sans", "", regular)
    pdf.add_font("Sans", "B", bold)
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    for slide in slides:
        _page(pdf, slide)
    return bytes(pdf.output())


def _page(pdf: Any, slide: Slide) -> None:
    pdf.add_page()
    width = PAGE_MM[0] - 2 * MARGIN
    pdf.set_text_color(*_rgb(INK))
    pdf.set_font("Sans", "B", 22)
    pdf.multi_cell(width, 10, slide.title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sans", "", 12)
    pdf.set_text_color(*_rgb(MUTED))
    pdf.multi_cell(width, 6, slide.subtitle, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    if slide.numbers:
        _numbers(pdf, slide.numbers, width)
    bottom = PAGE_MM[1] - 16 - 7 * len(slide.lines)
    if slide.table:
        _table(pdf, slide.table, width)
    elif slide.bars:
        _bars(pdf, slide, width, bottom)
    pdf.set_y(max(pdf.get_y() + 2, bottom))
    pdf.set_text_color(*_rgb(INK))
    pdf.set_font("Sans", "", 11)
    for line in slide.lines:
        pdf.multi_cell(width, 6, line, align="L", new_x="LMARGIN", new_y="NEXT")


def _numbers(pdf: Any, numbers: list[tuple[str, str]], width: float) -> None:
    """The key numbers side by side: the label above, the value large."""
    cell = width / len(numbers)
    top = pdf.get_y()
    for k, (label, _) in enumerate(numbers):
        pdf.set_xy(MARGIN + k * cell, top)
        pdf.set_font("Sans", "", 11)
        pdf.set_text_color(*_rgb(MUTED))
        pdf.multi_cell(cell - 4, 5, label, new_x="LEFT", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + 10))
    values_top = pdf.get_y()
    for k, (_, value) in enumerate(numbers):
        pdf.set_xy(MARGIN + k * cell, values_top)
        pdf.set_font("Sans", "B", 24)
        pdf.set_text_color(*_rgb(INK))
        pdf.cell(cell - 4, 11, value)
    pdf.set_y(values_top + 15)


def _bars(pdf: Any, slide: Slide, width: float, bottom: float) -> None:
    """Horizontal bars with their labels in full on the left and the value at each bar's end; an indicator's bar in
    its status colour; a dashed 100 % line when the bars are % of target."""
    pdf.set_font("Sans", "B", 12)
    pdf.set_text_color(*_rgb(INK))
    pdf.cell(0, 6, slide.chart_title, new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y() + 1
    row = min(9.0, (bottom - top) / max(len(slide.bars), 1))
    pdf.set_font("Sans", "", 11)
    label_w = min(max(pdf.get_string_width(b.label) for b in slide.bars) + 4, width * 0.38)
    scale_w = width - label_w - 24
    largest = max([100.0 if slide.percent else 0.0, *(abs(b.value) for b in slide.bars)]) or 1.0
    for k, bar in enumerate(slide.bars):
        y = top + k * row
        pdf.set_text_color(*_rgb(INK))
        pdf.set_font("Sans", "", 11)
        pdf.set_xy(MARGIN, y)
        pdf.cell(label_w - 2, row, _fit(pdf, bar.label, label_w - 2), align="R")
        length = scale_w * max(bar.value, 0.0) / largest
        pdf.set_fill_color(*_rgb(BAND))
        pdf.rect(MARGIN + label_w, y + row * 0.2, scale_w, row * 0.6, style="F")
        pdf.set_fill_color(*_rgb(STATUS_COLOURS.get(bar.status, NEUTRAL_BAR)))
        if length > 0:
            pdf.rect(MARGIN + label_w, y + row * 0.2, length, row * 0.6, style="F")
        pdf.set_font("Sans", "B", 11)
        pdf.set_xy(MARGIN + label_w + length + 1.5, y)
        pdf.cell(22, row, bar.text)
    if slide.percent:
        x = MARGIN + label_w + scale_w * 100.0 / largest
        pdf.set_draw_color(*_rgb("#52606D"))
        pdf.set_dash_pattern(dash=1.5, gap=1)
        pdf.line(x, top, x, top + row * len(slide.bars))
        pdf.set_dash_pattern()
    pdf.set_y(top + row * len(slide.bars) + 2)


def _fit(pdf: Any, text: str, width: float) -> str:
    """The text, cut with "…" only when it would not fit `width`."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _table(pdf: Any, table: list[list[str]], width: float) -> None:
    """A small table: header row bold, numbers right-aligned."""
    from fpdf.fonts import FontFace

    header, rows = table[0], table[1:]
    numeric = [all(is_number(r[i]) for r in rows) for i in range(len(header))]
    pdf.set_font("Sans", "", 10.5)
    pdf.set_text_color(*_rgb(INK))
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(*_rgb(BAND))
    widths = [18, 110, 20, 32, 28, 26, 26]
    widths = widths if len(widths) == len(header) else [width / len(header)] * len(header)
    align = ["RIGHT" if n else "LEFT" for n in numeric]
    with pdf.table(
        col_widths=widths,
        width=width,
        text_align=align,
        line_height=5.6,
        headings_style=FontFace(emphasis="BOLD"),
        borders_layout="HORIZONTAL_LINES",
    ) as grid:
        for cells in table:
            grid.row(cells)
