//! Excel (.xlsx) via `rust_xlsxwriter`: the main indicator table first (sheet
//! 指标完成情况 / Indicators, status cells filled with the status colour, header frozen),
//! then the text of the report, then one sheet per other table, then the chart series as
//! data (Excel users chart them themselves). Numeric cells are written as numbers.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook};

use crate::build::tr;
use crate::input::Lang;
use crate::ir::{status_colors, Block, Table};
use crate::ReportError;

fn xerr(e: rust_xlsxwriter::XlsxError) -> ReportError {
    ReportError::Write(e.to_string())
}

fn hex(h: &str) -> Color {
    Color::RGB(u32::from_str_radix(h, 16).unwrap_or(0))
}

/// A valid, unique worksheet name.
fn sheet_name(want: &str, used: &mut Vec<String>) -> String {
    let clean: String = want
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(28)
        .collect();
    let mut name = if clean.is_empty() {
        "Sheet".to_string()
    } else {
        clean
    };
    let mut n = 2;
    while used.iter().any(|u| u.eq_ignore_ascii_case(&name)) {
        name = format!("{}{n}", name.chars().take(26).collect::<String>());
        n += 1;
    }
    used.push(name.clone());
    name
}

fn write_table(wb: &mut Workbook, t: &Table, used: &mut Vec<String>) -> Result<(), ReportError> {
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name(&t.sheet, used)).map_err(xerr)?;
    let border = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let head = border
        .clone()
        .set_bold()
        .set_background_color(hex("DCE3EC"));
    for (c, w) in t.widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w as f64 * 1.3).max(6.0))
            .map_err(xerr)?;
    }
    for (c, h) in t.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &head)
            .map_err(xerr)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    // Printed: A4 landscape, one page wide, the header row on every page.
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0).map_err(xerr)?;
    for (r, row) in t.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, v) in row.cells.iter().enumerate() {
            let fmt = match (t.status_col, row.status) {
                (Some(k), Some(s)) if k == c => {
                    let (fg, bg) = status_colors(s);
                    border
                        .clone()
                        .set_bold()
                        .set_font_color(hex(fg))
                        .set_background_color(hex(bg))
                }
                _ => border.clone(),
            };
            match v.parse::<f64>() {
                Ok(n) if n.is_finite() => ws.write_number_with_format(r, c as u16, n, &fmt),
                _ => ws.write_string_with_format(r, c as u16, v, &fmt),
            }
            .map_err(xerr)?;
        }
    }
    Ok(())
}

pub(crate) fn render(blocks: &[Block], lang: Lang) -> Result<Vec<u8>, ReportError> {
    let mut wb = Workbook::new();
    let mut used = Vec::new();
    let tables: Vec<&Table> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect();
    // The main indicator table (the widest one) comes first.
    let widest = tables.iter().map(|t| t.headers.len()).max().unwrap_or(0);
    let main = tables.iter().position(|t| t.headers.len() == widest);
    if let Some(i) = main {
        write_table(&mut wb, tables[i], &mut used)?;
    }
    // The report text, one paragraph per row.
    {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&tr(lang, "报告正文", "Report text"), &mut used))
            .map_err(xerr)?;
        ws.set_column_width(0, 90).map_err(xerr)?;
        ws.set_paper_size(9).set_print_fit_to_pages(1, 0);
        let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let bold = Format::new().set_bold().set_font_size(13);
        let title = Format::new().set_bold().set_font_size(16);
        let mut r = 0u32;
        let mut bullet = 0;
        for b in blocks {
            if !matches!(b, Block::Bullet(_)) {
                bullet = 0;
            }
            let (text, fmt) = match b {
                Block::Title(s) => (s.clone(), &title),
                Block::Heading(s) | Block::SubHeading(s) => (s.clone(), &bold),
                Block::Subtitle(s) | Block::Para(s) => (s.clone(), &wrap),
                Block::Bullet(s) => {
                    bullet += 1;
                    (format!("{bullet}. {s}"), &wrap)
                }
                Block::Table(_) | Block::Chart(_) => continue,
            };
            ws.write_string_with_format(r, 0, &text, fmt)
                .map_err(xerr)?;
            // Spreadsheets do not grow wrapped rows on opening: set the height from the
            // text's width (CJK characters count double) against the 90-character column.
            let w: usize = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
            let lines = w.div_ceil(84).max(1);
            if matches!(b, Block::Title(_)) {
                ws.set_row_height(r, 24).map_err(xerr)?;
            } else if lines > 1 {
                ws.set_row_height(r, 15.5 * lines as f64).map_err(xerr)?;
            }
            r += 1;
        }
    }
    for (i, t) in tables.iter().enumerate() {
        if Some(i) != main {
            write_table(&mut wb, t, &mut used)?;
        }
    }
    // Chart data.
    let charts: Vec<&crate::ir::Chart> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Chart(c) if c.bars.is_none() => Some(c),
            _ => None,
        })
        .collect();
    if !charts.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&tr(lang, "走势数据", "Chart data"), &mut used))
            .map_err(xerr)?;
        let head = Format::new().set_bold().set_background_color(hex("DCE3EC"));
        let headers = [
            tr(lang, "图", "Figure"),
            tr(lang, "年份", "Year"),
            tr(lang, "实际", "Actual"),
            tr(lang, "预期路径", "Expected"),
        ];
        ws.set_column_width(0, 50).map_err(xerr)?;
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &head)
                .map_err(xerr)?;
        }
        let mut r = 1u32;
        for c in charts {
            let mut years: Vec<i32> = c.actual.iter().chain(&c.expected).map(|p| p.0).collect();
            years.sort_unstable();
            years.dedup();
            for y in years {
                ws.write_string(r, 0, &c.title).map_err(xerr)?;
                ws.write_number(r, 1, y as f64).map_err(xerr)?;
                if let Some(v) = c.actual.iter().find(|p| p.0 == y) {
                    ws.write_number(r, 2, v.1).map_err(xerr)?;
                }
                if let Some(v) = c.expected.iter().find(|p| p.0 == y) {
                    ws.write_number(r, 3, v.1).map_err(xerr)?;
                }
                r += 1;
            }
        }
    }
    wb.save_to_buffer().map_err(xerr)
}
