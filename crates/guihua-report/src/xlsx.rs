//! Excel (.xlsx) via `rust_xlsxwriter`: the main indicator table first (sheet
//! 指标完成情况 / Indicators, status cells filled with the status colour, header frozen),
//! then the text of the report, then one sheet per other table, then the chart series as
//! data (Excel users chart them themselves).
//!
//! A cell that shows a number is written as a number — people sum, sort and chart these
//! sheets — with the number format that shows it as the report does: "3.90" is 3.9 with
//! `0.00` (the plan's trailing zero is its stated precision, and Excel's General format
//! would drop it), "15" is 15 with `0`, and "31.8%" is 0.318 with `0.0%`, so Excel shows
//! 31.8% and a formula computes with the fraction, as Excel's own percent cells do. Only
//! text that is exactly a number as the report prints one (optionally followed by `%` or
//! the full-width `％`) converts; anything around it — "3.93（2023）", "≥95%", "〔13.5〕",
//! "—" — means the cell says more than a number and stays text. So do numbers of more
//! than 15 digits, which Excel would round (it keeps 15 significant digits).
//!
//! Text cells are always strings: `write_string` stores a shared string (`t="s"`), never
//! a formula, so `=HYPERLINK(…)` typed into a plan shows as text and is not evaluated.
//! Text that Excel would read as a formula once a user edits the cell (starting with `=`,
//! `+`, `-`, `@`, TAB or CR) also gets the quote prefix, as if typed with a leading `'`.
//! The text reaching here is already sanitized (see `sanitize`).

use std::borrow::Cow;

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use crate::build::tr;
use crate::input::Lang;
use crate::ir::{status_colors, Block, Table};
use crate::{sanitize, ReportError};

/// Excel's maximum row height, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;

fn xerr(e: rust_xlsxwriter::XlsxError) -> ReportError {
    ReportError::Write(e.to_string())
}

fn hex(h: &str) -> Color {
    Color::RGB(u32::from_str_radix(h, 16).unwrap_or(0))
}

/// Whether Excel would take `s` for a formula when the cell is edited (OWASP's list of
/// formula-injection prefixes).
fn formula_like(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Whether `s` is a number as the report prints one (`-12`, `6.3`): only those cells
/// become numbers. Rust's `f64` parser takes more — `1e5`, `inf`, `+5`, `007` — and such
/// text, in a name or a cell the plan writes, is kept as written.
fn plain_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    all_digits(int) && all_digits(frac) && (int == "0" || !int.starts_with('0'))
}

/// Excel keeps 15 significant digits; a longer number would be changed by storing it.
const EXCEL_DIGITS: usize = 15;

/// The number a cell shows and the Excel number format that shows it the same way, or
/// `None` for text: "3.90" → (3.9, "0.00"), "15" → (15, "0"), "31.8%" → (0.318, "0.0%").
fn numeric(s: &str) -> Option<(f64, String)> {
    let (digits, percent) = match s.strip_suffix(['%', '％']) {
        Some(d) => (d, true),
        None => (s, false),
    };
    if !plain_number(digits) {
        return None;
    }
    let unsigned = digits.trim_start_matches('-');
    let significant = unsigned.replace('.', "");
    if significant.trim_start_matches('0').len() > EXCEL_DIGITS {
        return None;
    }
    let decimals = unsigned.split_once('.').map_or(0, |(_, f)| f.len());
    // "31.8e-2" parses to the double nearest 0.318 (31.8 / 100 would not).
    let value: f64 = if percent {
        format!("{digits}e-2").parse().ok()?
    } else {
        digits.parse().ok()?
    };
    if !value.is_finite() {
        return None;
    }
    let mut code = String::from("0");
    if decimals > 0 {
        code.push('.');
        code.push_str(&"0".repeat(decimals));
    }
    if percent {
        code.push('%');
    }
    Some((value, code))
}

/// Work around rust_xlsxwriter 0.79, which panics on "_x" followed within four bytes by
/// a multi-byte character ("_x中文": it slices the string at a byte index inside 中 while
/// looking for Excel's `_xHHHH_` escapes; jmcnamara/rust_xlsxwriter#141, fixed in
/// 0.84.2). A WORD JOINER (U+2060, invisible) between the `_` and the `x` keeps the text
/// as it looks and away from that code. Drop this once the workspace has a fixed version.
fn avoid_escape_panic(s: &str) -> Cow<'_, str> {
    let risky = |i: usize| i + 7 <= s.len() && !s.is_char_boundary(i + 6);
    if !s.match_indices("_x").any(|(i, _)| risky(i)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut last = 0;
    for (i, _) in s.match_indices("_x").filter(|(i, _)| risky(*i)) {
        out.push_str(&s[last..=i]);
        out.push('\u{2060}');
        last = i + 1;
    }
    out.push_str(&s[last..]);
    Cow::Owned(out)
}

/// Write `text` as a string cell: cut to Excel's limit (texts composed here, like
/// numbered bullets, can outgrow the cut made in `sanitize`), quote-prefixed when it
/// looks like a formula.
fn put(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    fmt: &Format,
) -> Result<(), ReportError> {
    let text = sanitize::cap(text);
    let text = avoid_escape_panic(&text);
    if formula_like(&text) {
        ws.write_string_with_format(row, col, text.as_ref(), &fmt.clone().set_quote_prefix())
    } else {
        ws.write_string_with_format(row, col, text.as_ref(), fmt)
    }
    .map_err(xerr)?;
    Ok(())
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
        put(ws, 0, c as u16, h, &head)?;
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
            match numeric(v) {
                Some((n, code)) => {
                    ws.write_number_with_format(r, c as u16, n, &fmt.set_num_format(code))
                        .map_err(xerr)?;
                }
                None => put(ws, r, c as u16, v, &fmt)?,
            }
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
            put(ws, r, 0, &text, fmt)?;
            // Spreadsheets do not grow wrapped rows on opening: set the height from the
            // text's width (CJK characters count double) against the 90-character column,
            // at most Excel's maximum row height of 409 points (a long note).
            let w: usize = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
            let lines = w.div_ceil(84).max(1);
            if matches!(b, Block::Title(_)) {
                ws.set_row_height(r, 24).map_err(xerr)?;
            } else if lines > 1 {
                ws.set_row_height(r, (15.5 * lines as f64).min(MAX_ROW_HEIGHT))
                    .map_err(xerr)?;
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
            put(ws, 0, c as u16, h, &head)?;
        }
        let plain = Format::new();
        let mut r = 1u32;
        for c in charts {
            let mut years: Vec<i32> = c.actual.iter().chain(&c.expected).map(|p| p.0).collect();
            years.sort_unstable();
            years.dedup();
            for y in years {
                put(ws, r, 0, &c.title, &plain)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_prefixes() {
        for s in ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"] {
            assert!(formula_like(s), "{s:?}");
        }
        for s in ["1+1", " =1", "＝1", "森林覆盖率", ""] {
            assert!(!formula_like(s), "{s:?}");
        }
    }

    #[test]
    fn only_plain_numbers_become_numbers() {
        for s in ["0", "12", "-12", "6.3", "-0.5", "4678.7", "2023"] {
            assert!(plain_number(s), "{s:?}");
        }
        for s in [
            "",
            "-",
            ".5",
            "5.",
            "1e5",
            "inf",
            "NaN",
            "+5",
            "007",
            "1,000",
            " 1",
            "9 (2023)",
            "〔13.5〕",
            ">95",
            "60 / 40",
        ] {
            assert!(!plain_number(s), "{s:?}");
        }
    }

    #[test]
    #[allow(clippy::approx_constant)] // 0.318 is 31.8 %, not 1/π
    fn numbers_keep_their_display() {
        let n = numeric;
        assert_eq!(n("3.90"), Some((3.9, "0.00".into())));
        assert_eq!(n("15"), Some((15.0, "0".into())));
        assert_eq!(n("-0.5"), Some((-0.5, "0.0".into())));
        assert_eq!(n("31.8%"), Some((0.318, "0.0%".into())));
        assert_eq!(n("32％"), Some((0.32, "0%".into())));
        assert_eq!(n("-1.25%"), Some((-0.0125, "0.00%".into())));
        assert_eq!(n("0.1%"), Some((0.001, "0.0%".into())));
        assert_eq!(n("123456789012345"), Some((123456789012345.0, "0".into())));
        assert_eq!(
            n("0.0012345678901234"),
            Some((0.0012345678901234, "0.0000000000000000".into()))
        );
        for s in [
            "3.93（2023）",
            "—",
            "≥95%",
            "%",
            "1e5%",
            "31.8 %",
            "31.8%%",
            "+5%",
            "%5",
            "60 / 40",
            "1234567890123456",
            "0.1234567890123456",
            "110105199001011234",
        ] {
            assert_eq!(n(s), None, "{s:?}");
        }
    }

    #[test]
    fn escape_panic_avoided_only_where_needed() {
        assert_eq!(avoid_escape_panic("_x中文"), "_\u{2060}x中文");
        assert_eq!(avoid_escape_panic("a_x½_x_1_½_b"), "a_x½_\u{2060}x_1_½_b");
        for s in ["_x000C_", "max_x", "_x中", "中文", "_xabcd中文"] {
            assert!(matches!(avoid_escape_panic(s), Cow::Borrowed(_)), "{s:?}");
        }
        // Each of these panics rust_xlsxwriter 0.79 without the workaround.
        for s in [
            "_x中文",
            "_xab中文",
            "tubos_de_1_½_x_1_½_chapa_16_1",
            "codo_de_2\"_x_90°_1",
        ] {
            let mut wb = Workbook::new();
            let ws = wb.add_worksheet();
            put(ws, 0, 0, s, &Format::new()).unwrap();
            assert!(!wb.save_to_buffer().unwrap().is_empty());
        }
    }
}
