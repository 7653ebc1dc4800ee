//! Word (.docx) via `docx-rs`: A4 portrait, 宋体/SimSun body and 黑体/SimHei headings set
//! as East Asian run fonts (Word, WPS and LibreOffice each pick them or their own CJK
//! substitute), fixed-layout tables whose column widths add up to the text width (so they
//! never run off the page), status cells shaded, and charts embedded as PNG pictures
//! (SVG in Word is not reliable across Word versions and WPS).
//!
//! Every page carries a centred footer "第 X 页 / 共 Y 页" ("Page X of Y" in English): a
//! hand-in report is printed, stapled and cited by page in a committee's review, and a
//! loose page must say where it belongs. X and Y are Word fields (PAGE and NUMPAGES), not
//! numbers written here — only the word processor knows where its pages break, and it
//! recomputes the fields whenever it lays out the document (Word, WPS and LibreOffice all
//! do, for printing and PDF export too). The footer is the section's default footer and
//! there is no separate first-page footer, so the title page is numbered as well.

use docx_rs::{
    AlignmentType, Docx, FieldCharType, Footer, InstrNUMPAGES, InstrPAGE, InstrText, LineSpacing,
    LineSpacingType, PageMargin, Paragraph, Pic, Run, RunFonts, Shading, ShdType,
    SpecialIndentType, Style, StyleType, Table as DTable, TableCell, TableLayoutType, TableRow,
    WidthType,
};

use crate::chart;
use crate::input::Lang;
use crate::ir::{status_colors, Block, Table};
use crate::ReportError;

/// A4 in twentieths of a point.
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
/// Distance of the header and footer from the page edge (1 cm): inside the 2 cm margin, so
/// the 9 pt footer line fits there without pushing the body text up.
const HEADER_FOOTER: i32 = 567;
/// Shading of header rows (also how [`mark_header_rows`] finds them).
const HEADER_FILL: &str = "DCE3EC";

/// The typography of a Word report. `Standard`: 宋体/黑体 at 10.5 pt, 2 cm margins.
/// `Gongwen`: the layout of official documents (GB/T 9704-2012 党政机关公文格式) — title in
/// 方正小标宋简体 二号, body 仿宋_GB2312 三号 on a fixed 28 pt line, level-1 headings 黑体,
/// level-2 楷体_GB2312, margins 37/35/28/26 mm, page numbers "— 1 —" in 四号宋体. The fonts
/// are named as government desktops have them; a machine without them substitutes.
#[derive(Clone, Copy)]
struct Look {
    gongwen: bool,
}

impl Look {
    fn fonts(latin: &str, east: &str) -> RunFonts {
        RunFonts::new().ascii(latin).hi_ansi(latin).east_asia(east)
    }
    fn body(self) -> RunFonts {
        if self.gongwen {
            Look::fonts("Times New Roman", "仿宋_GB2312")
        } else {
            Look::fonts("Times New Roman", "SimSun")
        }
    }
    fn head(self) -> RunFonts {
        if self.gongwen {
            Look::fonts("Times New Roman", "黑体")
        } else {
            Look::fonts("Arial", "SimHei")
        }
    }
    fn sub(self) -> RunFonts {
        if self.gongwen {
            Look::fonts("Times New Roman", "楷体_GB2312")
        } else {
            self.head()
        }
    }
    fn title(self) -> RunFonts {
        if self.gongwen {
            Look::fonts("Times New Roman", "方正小标宋简体")
        } else {
            self.head()
        }
    }
    /// Sizes in half-points: body, title, heading 1, heading 2, table cells, footer.
    fn body_size(self) -> usize {
        if self.gongwen {
            32
        } else {
            21
        }
    }
    fn title_size(self) -> usize {
        if self.gongwen {
            44
        } else {
            32
        }
    }
    fn h1_size(self) -> usize {
        if self.gongwen {
            32
        } else {
            30
        }
    }
    fn h2_size(self) -> usize {
        if self.gongwen {
            32
        } else {
            24
        }
    }
    fn cell_size(self) -> usize {
        if self.gongwen {
            21
        } else {
            18
        }
    }
    fn footer_size(self) -> usize {
        if self.gongwen {
            28
        } else {
            18
        }
    }
    /// Headings are bold in the standard look; 黑体 and 楷体 carry their own weight.
    fn bold_heads(self) -> bool {
        !self.gongwen
    }
    /// Top, bottom, left, right margins in twips.
    fn margins(self) -> (i32, i32, i32, i32) {
        if self.gongwen {
            (2098, 1984, 1588, 1474)
        } else {
            (1134, 1134, 1134, 1134)
        }
    }
    fn text_w(self) -> u32 {
        let (_, _, l, r) = self.margins();
        PAGE_W - (l + r) as u32
    }
    /// 首行缩进两字.
    fn indent(self) -> i32 {
        self.body_size() as i32 * 20
    }
    fn spacing(self) -> LineSpacing {
        if self.gongwen {
            LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(560)
        } else {
            // 1.25 lines, a little space after each paragraph.
            LineSpacing::new()
                .line_rule(LineSpacingType::Auto)
                .line(300)
                .after(80)
        }
    }
}

fn run(look: Look, text: &str) -> Run {
    Run::new().add_text(text).fonts(look.body())
}

/// A run holding one complete field (begin, instruction, separate, a placeholder result,
/// end). The placeholder "1" is what a reader that does not compute fields shows; Word
/// replaces it on layout. The run carries the footer's fonts and size, which the field's
/// result takes.
fn field(look: Look, instr: InstrText) -> Run {
    Run::new()
        .fonts(if look.gongwen {
            Look::fonts("SimSun", "SimSun")
        } else {
            look.body()
        })
        .size(look.footer_size())
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(instr)
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false)
}

/// The page footer: "第 X 页 / 共 Y 页" or "Page X of Y", centred, X and Y live fields;
/// in the 公文 look "— X —" in 四号宋体, as GB/T 9704 sets it.
fn footer(look: Look, lang: Lang) -> Footer {
    let text = |s: &str| {
        let r = run(look, s).size(look.footer_size());
        if look.gongwen {
            r.fonts(Look::fonts("SimSun", "SimSun"))
        } else {
            r
        }
    };
    let page = || field(look, InstrText::PAGE(InstrPAGE::new()));
    let pages = || field(look, InstrText::NUMPAGES(InstrNUMPAGES::new()));
    let p = Paragraph::new().align(AlignmentType::Center);
    let p = match (look.gongwen, lang) {
        (true, _) => p.add_run(text("— ")).add_run(page()).add_run(text(" —")),
        (false, Lang::Zh) => p
            .add_run(text("第 "))
            .add_run(page())
            .add_run(text(" 页 / 共 "))
            .add_run(pages())
            .add_run(text(" 页")),
        (false, Lang::En) => p
            .add_run(text("Page "))
            .add_run(page())
            .add_run(text(" of "))
            .add_run(pages()),
    };
    Footer::new().add_paragraph(p)
}

fn table(look: Look, t: &Table) -> DTable {
    let total: u32 = t.widths.iter().sum::<u32>().max(1);
    let grid: Vec<usize> = t
        .widths
        .iter()
        .map(|w| (*w as u64 * look.text_w() as u64 / total as u64) as usize)
        .collect();
    let cell = |text: &str, w: usize, fill: Option<&str>, bold: bool, color: Option<&str>| {
        let mut r = run(look, text).size(look.cell_size());
        if bold {
            r = r.bold();
        }
        if let Some(c) = color {
            r = r.color(c);
        }
        let mut c = TableCell::new()
            .add_paragraph(Paragraph::new().add_run(r))
            .width(w, WidthType::Dxa);
        if let Some(f) = fill {
            c = c.shading(
                Shading::new()
                    .shd_type(ShdType::Clear)
                    .color("auto")
                    .fill(f),
            );
        }
        c
    };
    let mut rows = vec![TableRow::new(
        t.headers
            .iter()
            .zip(&grid)
            .map(|(h, w)| cell(h, *w, Some(HEADER_FILL), true, None))
            .collect(),
    )
    .cant_split()];
    for r in &t.rows {
        rows.push(
            TableRow::new(
                r.cells
                    .iter()
                    .zip(&grid)
                    .enumerate()
                    .map(|(i, (c, w))| match (t.status_col, r.status) {
                        (Some(k), Some(s)) if k == i => {
                            let (fg, bg) = status_colors(s);
                            cell(c, *w, Some(bg), true, Some(fg))
                        }
                        _ => cell(c, *w, None, false, None),
                    })
                    .collect(),
            )
            .cant_split(),
        );
    }
    DTable::new(rows)
        .set_grid(grid)
        .layout(TableLayoutType::Fixed)
        .width(look.text_w() as usize, WidthType::Dxa)
}

pub(crate) fn render(
    blocks: &[Block],
    lang: Lang,
    style: crate::input::DocStyle,
) -> Result<Vec<u8>, ReportError> {
    let look = Look {
        gongwen: style == crate::input::DocStyle::Gongwen,
    };
    let (top, bottom, left, right) = look.margins();
    let head_run = |s: &str, fonts: RunFonts, size: usize| {
        let r = Run::new().add_text(s).fonts(fonts).size(size);
        if look.bold_heads() {
            r.bold()
        } else {
            r
        }
    };
    let style_of = |id: &str, name: &str, size: usize, fonts: RunFonts| {
        let st = Style::new(id, StyleType::Paragraph)
            .name(name)
            .size(size)
            .fonts(fonts);
        if look.bold_heads() {
            st.bold()
        } else {
            st
        }
    };
    let mut doc = Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(
            PageMargin::new()
                .top(top)
                .bottom(bottom)
                .left(left)
                .right(right)
                .header(HEADER_FOOTER)
                .footer(HEADER_FOOTER),
        )
        .footer(footer(look, lang))
        .default_fonts(look.body())
        .default_size(look.body_size())
        .add_style(
            style_of("Title", "Title", look.title_size(), look.title())
                .align(AlignmentType::Center),
        )
        .add_style(style_of("Heading1", "Heading 1", look.h1_size(), look.head()).outline_lvl(0))
        .add_style(style_of("Heading2", "Heading 2", look.h2_size(), look.sub()).outline_lvl(1));
    let indent = look.indent();
    let mut bullet = 0;
    let mut pic = 0;
    for b in blocks {
        if !matches!(b, Block::Bullet(_)) {
            bullet = 0;
        }
        doc = match b {
            Block::Title(s) => doc.add_paragraph(
                Paragraph::new()
                    .style("Title")
                    .align(AlignmentType::Center)
                    .add_run(head_run(s, look.title(), look.title_size())),
            ),
            Block::Subtitle(s) => doc.add_paragraph(
                Paragraph::new().align(AlignmentType::Center).add_run(
                    run(look, s)
                        .size(if look.gongwen { 28 } else { 20 })
                        .color("555555"),
                ),
            ),
            Block::Heading(s) => {
                let annex = s.starts_with("附") || s.starts_with("Annex");
                doc.add_paragraph(
                    Paragraph::new()
                        .style("Heading1")
                        .keep_next(true)
                        .page_break_before(annex)
                        .add_run(head_run(s, look.head(), look.h1_size())),
                )
            }
            Block::SubHeading(s) => doc.add_paragraph(
                Paragraph::new()
                    .style("Heading2")
                    .keep_next(true)
                    .add_run(head_run(s, look.sub(), look.h2_size())),
            ),
            Block::Para(s) => {
                let p = Paragraph::new()
                    .line_spacing(look.spacing())
                    .add_run(run(look, s));
                // 首行缩进两字 in Chinese.
                doc.add_paragraph(if lang == Lang::Zh {
                    p.indent(None, Some(SpecialIndentType::FirstLine(indent)), None, None)
                } else {
                    p
                })
            }
            Block::Bullet(s) => {
                bullet += 1;
                doc.add_paragraph(
                    Paragraph::new()
                        .line_spacing(look.spacing())
                        .indent(
                            Some(indent),
                            Some(SpecialIndentType::Hanging(indent * 2 / 3)),
                            None,
                            None,
                        )
                        .add_run(run(look, &format!("{bullet}. {s}"))),
                )
            }
            Block::Table(t) => doc
                .add_table(table(look, t))
                .add_paragraph(Paragraph::new().add_run(run(look, "").size(8))),
            Block::Chart(c) => {
                let (png, w, h) = chart::png(c).map_err(ReportError::Chart)?;
                pic += 1;
                // 16 cm wide, height in proportion (1 cm = 360 000 EMU).
                let emu_w: u32 = 16 * 360_000;
                let emu_h = (emu_w as u64 * h as u64 / w as u64) as u32;
                let p = Pic::new_with_dimensions(png, w, h)
                    .id(format!("rIdImage{pic}"))
                    .size(emu_w, emu_h);
                let doc = doc
                    .add_paragraph(
                        Paragraph::new()
                            .keep_next(true)
                            .line_spacing(LineSpacing::new().before(240).after(60))
                            .add_run(run(look, &c.title).bold().size(20)),
                    )
                    .add_paragraph(
                        Paragraph::new()
                            .align(AlignmentType::Center)
                            .keep_next(!chart::png_has_font())
                            .add_run(Run::new().add_image(p)),
                    );
                if chart::png_has_font() {
                    doc
                } else {
                    // The picture has no labels on a machine without fonts: the numbers go
                    // under it.
                    doc.add_paragraph(
                        Paragraph::new().add_run(run(look, &chart_data_line(c)).size(18)),
                    )
                }
            }
        };
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| ReportError::Write(e.to_string()))?;
    rewrite_document(&out.into_inner())
}

/// "实际：2021年 3；2022年 3 | 目标：2025年 4" — the data of a chart in words.
fn chart_data_line(c: &crate::ir::Chart) -> String {
    let series = |s: &[(i32, f64)]| {
        s.iter()
            .map(|(y, v)| format!("{y}: {}", crate::ir::num(*v)))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut parts = Vec::new();
    if !c.actual.is_empty() {
        parts.push(format!("{} — {}", c.legend.0, series(&c.actual)));
    }
    if !c.expected.is_empty() {
        parts.push(format!("{} — {}", c.legend.1, series(&c.expected)));
    }
    if let Some(t) = c.target {
        parts.push(format!("{} — {}", c.legend.2, series(&[t])));
    }
    for b in c.bars.iter().flatten() {
        parts.push(format!(
            "{}: {} / {} / {}",
            b.label,
            crate::ir::opt_num(b.base),
            crate::ir::opt_num(b.target),
            crate::ir::opt_num(b.actual)
        ));
    }
    parts.join(" | ")
}

/// Two fixes docx-rs cannot be told to make, applied to `word/document.xml` by rewriting
/// the package: repeating table headers ([`mark_header_rows`]) and the footer reference
/// in schema order ([`references_first`]).
fn rewrite_document(docx: &[u8]) -> Result<Vec<u8>, ReportError> {
    use std::io::{Read, Write};
    let err = |e: &dyn std::fmt::Display| ReportError::Write(e.to_string());
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(docx)).map_err(|e| err(&e))?;
    let mut zout = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).map_err(|e| err(&e))?;
        let name = f.name().to_string();
        if f.is_dir() {
            zout.add_directory(name, opts).map_err(|e| err(&e))?;
            continue;
        }
        let mut data = Vec::new();
        f.read_to_end(&mut data).map_err(|e| err(&e))?;
        if name == "word/document.xml" {
            let xml = String::from_utf8(data).map_err(|e| err(&e))?;
            data = references_first(&mark_header_rows(&xml)).into_bytes();
        }
        zout.start_file(name, opts).map_err(|e| err(&e))?;
        zout.write_all(&data).map_err(|e| err(&e))?;
    }
    Ok(zout.finish().map_err(|e| err(&e))?.into_inner())
}

/// Mark the header row of every table as a repeating header (`w:tblHeader`), so a table
/// that runs over a page break shows its column names again. docx-rs has no setting for
/// it: the one element is added to rows that carry the header shading.
fn mark_header_rows(xml: &str) -> String {
    const ROW: &str = "<w:tr><w:trPr><w:cantSplit />";
    let mut out = String::with_capacity(xml.len() + 1024);
    let mut parts = xml.split(ROW);
    out.push_str(parts.next().unwrap_or(""));
    for p in parts {
        out.push_str(ROW);
        let first_cell = p.split("</w:tc>").next().unwrap_or("");
        if first_cell.contains(&format!("w:fill=\"{HEADER_FILL}\"")) {
            out.push_str("<w:tblHeader />");
        }
        out.push_str(p);
    }
    out
}

/// Move the header and footer references to the start of each `w:sectPr`. docx-rs 0.4
/// writes them after `w:pgSz`, `w:pgMar` and `w:cols`, but the schema (ECMA-376
/// `CT_SectPr`) puts `EG_HdrFtrReferences` first, and a strict consumer (Word's
/// validator, the Open XML SDK) rejects or drops what is out of order. The references are
/// empty elements docx-rs writes as `<w:footerReference … />`.
fn references_first(xml: &str) -> String {
    const OPEN: &str = "<w:sectPr>";
    const CLOSE: &str = "</w:sectPr>";
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(start) = rest.find(OPEN) {
        let body_at = start + OPEN.len();
        let Some(len) = rest[body_at..].find(CLOSE) else {
            break;
        };
        let body = &rest[body_at..body_at + len];
        let (mut refs, mut others) = (String::new(), String::new());
        let mut b = body;
        while let Some(lt) = b.find('<') {
            others.push_str(&b[..lt]);
            b = &b[lt..];
            let is_ref =
                b.starts_with("<w:headerReference ") || b.starts_with("<w:footerReference ");
            match (is_ref, b.find("/>")) {
                (true, Some(end)) => {
                    refs.push_str(&b[..end + 2]);
                    b = &b[end + 2..];
                }
                _ => {
                    others.push('<');
                    b = &b[1..];
                }
            }
        }
        others.push_str(b);
        out.push_str(&rest[..body_at]);
        out.push_str(&refs);
        out.push_str(&others);
        rest = &rest[body_at + len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_move_to_the_front_of_the_section() {
        let xml = concat!(
            "<w:body><w:p/><w:sectPr><w:pgSz w:w=\"1\" /><w:cols w:num=\"1\" />",
            "<w:headerReference w:type=\"default\" r:id=\"h1\" />",
            "<w:footerReference w:type=\"default\" r:id=\"f1\" /><w:titlePg />",
            "</w:sectPr></w:body>"
        );
        assert_eq!(
            references_first(xml),
            concat!(
                "<w:body><w:p/><w:sectPr>",
                "<w:headerReference w:type=\"default\" r:id=\"h1\" />",
                "<w:footerReference w:type=\"default\" r:id=\"f1\" />",
                "<w:pgSz w:w=\"1\" /><w:cols w:num=\"1\" /><w:titlePg />",
                "</w:sectPr></w:body>"
            )
        );
        for same in [
            "<w:sectPr><w:pgSz /></w:sectPr>",
            "<w:p/>",
            "<w:sectPr><w:pgSz />",
        ] {
            assert_eq!(references_first(same), same);
        }
    }
}
