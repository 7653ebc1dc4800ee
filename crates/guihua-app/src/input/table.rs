//! Reading import files (CSV and .xlsx, as bytes) into header + rows of text, and the
//! row/column error list every import reports.
//!
//! Imports never guess silently: each cell is kept as the text a person sees, with its
//! spreadsheet row number (1-based, header included) and column letter, so an error can
//! say "row 14, column G (实际值): 'n/a' is not a number" and the person can find it. A
//! percent-formatted cell is the text Excel shows ("31.8%"), not the stored fraction; a
//! date, a formula error or a formula without a computed value is kept with what is wrong
//! with it, so a number column refuses it with that reason.

use std::collections::HashMap;
use std::fmt;
use std::io::Cursor;

use calamine::{Data, Reader};

use super::xlsx_styles::{self, SheetMarks};

/// One data row: its spreadsheet row number and its cells (as text, trimmed).
#[derive(Debug, Clone)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<String>,
    /// Cells (by column index) that hold no usable value, and why ("a date", "a formula
    /// without a computed value").
    pub issues: HashMap<usize, String>,
}

impl Row {
    /// What is wrong with the cell in column `c`, if anything.
    pub fn issue(&self, c: usize) -> Option<&str> {
        self.issues.get(&c).map(String::as_str)
    }
}

/// A table read from a file.
#[derive(Debug, Clone)]
pub struct Table {
    /// The sheet read ("" for CSV).
    pub sheet: String,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
    /// Other sheets of a workbook by name, as raw text grids (metadata like `_guihua`).
    pub extra: Vec<(String, Vec<Vec<String>>)>,
}

/// A problem with one cell or row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Spreadsheet row number (0 when the problem is the file or sheet itself).
    pub row: usize,
    /// Column letter and header, e.g. "G (实际值)"; empty when about the row.
    pub column: String,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.row, self.column.is_empty()) {
            (0, true) => write!(f, "{}", self.message),
            (0, false) => write!(f, "column {}: {}", self.column, self.message),
            (r, true) => write!(f, "row {r}: {}", self.message),
            (r, false) => write!(f, "row {r}, column {}: {}", self.column, self.message),
        }
    }
}

/// Spreadsheet column letter of a 0-based index (0 → A, 26 → AA).
pub fn letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push((b'A' + (i % 26) as u8) as char);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.iter().rev().collect()
}

/// A number as text without a trailing ".0".
pub fn num_text(v: f64) -> String {
    guihua_store::fmt_num(v)
}

/// The text a cell shows, and what is wrong with it as a value (if anything).
fn cell_text(d: &Data, percent: bool) -> (String, Option<String>) {
    match d {
        Data::Empty => (String::new(), None),
        Data::String(s) => (s.trim().to_string(), None),
        // Shown as a percentage: the value a person sees is 100 × the stored fraction.
        Data::Float(f) if percent => (format!("{}%", num_text(round_shown(f * 100.0))), None),
        Data::Int(i) if percent => (format!("{}%", num_text(*i as f64 * 100.0)), None),
        Data::Float(f) => (num_text(*f), None),
        Data::Int(i) => (i.to_string(), None),
        Data::Bool(b) => (
            b.to_string(),
            Some("a TRUE/FALSE cell, not a number".into()),
        ),
        Data::DateTime(dt) => {
            let shown = excel_date(dt.as_f64());
            let why = format!("a date cell ({shown}), not a number: format the cell as a number");
            (shown, Some(why))
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => (
            s.clone(),
            Some(format!("a date or duration ({s}), not a number")),
        ),
        Data::Error(e) => {
            let shown = format!("#{e:?}");
            let why = format!("a formula error ({shown}) in the cell");
            (shown, Some(why))
        }
    }
}

/// An Excel date serial as the date it shows (1900 system: day 1 is 1900-01-01, with
/// Excel's phantom 1900-02-29). Days to a civil date by Hinnant's algorithm — a few lines
/// rather than a date-time crate for one message.
fn excel_date(serial: f64) -> String {
    let mut days = serial.floor() as i64;
    if days < 61 {
        days += 1; // before the phantom leap day
    }
    // Serial 25569 is 1970-01-01.
    crate::output::civil_date(days - 25569)
}

/// 100 × a stored fraction carries binary noise (0.318 × 100 = 31.800000000000004): round
/// to the 10 significant digits a spreadsheet displays.
fn round_shown(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let digits = 10 - (v.abs().log10().floor() as i32) - 1;
    let m = 10f64.powi(digits.clamp(-300, 300));
    (v * m).round() / m
}

fn normalise_header(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .collect::<String>()
        .to_lowercase()
}

/// Find the header row: the first of the first ten non-empty rows for which `is_header` holds.
fn find_header(grid: &[Vec<String>], is_header: &dyn Fn(&[String]) -> bool) -> Option<usize> {
    grid.iter()
        .enumerate()
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .take(10)
        .find(|(_, r)| is_header(&r.iter().map(|h| normalise_header(h)).collect::<Vec<_>>()))
        .map(|(i, _)| i)
}

/// A sheet as text, with the cells that hold no usable value: (row, column) → why.
type Issues = HashMap<(usize, usize), String>;

fn to_table(
    sheet: String,
    grid: Vec<Vec<String>>,
    mut issues: Issues,
    first_row: usize,
    header_at: usize,
    extra: Vec<(String, Vec<Vec<String>>)>,
) -> Table {
    let headers: Vec<String> = grid[header_at]
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let rows = grid
        .into_iter()
        .enumerate()
        .skip(header_at + 1)
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, cells)| {
            let row_issues = (0..cells.len())
                .filter_map(|c| issues.remove(&(i, c)).map(|why| (c, why)))
                .collect();
            Row {
                number: first_row + i + 1,
                cells,
                issues: row_issues,
            }
        })
        .collect();
    Table {
        sheet,
        headers,
        rows,
        extra,
    }
}

/// Read a CSV or .xlsx file from its bytes. `name` is the file name (its extension says
/// which; messages name it). `is_header` recognises the header row (given normalised,
/// lower-cased cells); `what` names the expected columns for the "wrong sheet" error.
pub fn read(
    name: &str,
    bytes: &[u8],
    is_header: &dyn Fn(&[String]) -> bool,
    what: &str,
) -> Result<Table, Vec<RowError>> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(file_error(format!(
            "{name}: {} MB is more than an import takes ({} MB); split the file",
            bytes.len() >> 20,
            MAX_FILE_BYTES >> 20
        )));
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default();
    if ext == "xlsx" || ext == "xlsm" {
        xlsx_styles::check_archive(bytes).map_err(|e| file_error(format!("{name}: {e}")))?;
        // A malformed workbook must give an error, never a crash: guard the reader.
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            read_xlsx(name, bytes, is_header, what)
        }));
        std::panic::set_hook(hook);
        return r.unwrap_or_else(|_| {
            Err(file_error(format!(
                "{name}: not a readable .xlsx (the reader failed on it)"
            )))
        });
    }
    // Excel in a Chinese locale saves CSV as GB18030 (GBK); accept it as well as UTF-8.
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => {
            let (t, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                return Err(file_error(format!(
                    "{name}: neither UTF-8 nor GB18030 text (save the CSV as UTF-8, or use .xlsx)"
                )));
            }
            t.into_owned()
        }
    };
    read_csv_text(name, &text, is_header, what)
}

/// The largest import file read (CSV or .xlsx).
pub const MAX_FILE_BYTES: u64 = 256 << 20;

fn file_error(m: String) -> Vec<RowError> {
    vec![RowError {
        row: 0,
        column: String::new(),
        message: m,
    }]
}

fn read_xlsx(
    name: &str,
    bytes: &[u8],
    is_header: &dyn Fn(&[String]) -> bool,
    what: &str,
) -> Result<Table, Vec<RowError>> {
    let file_err = file_error;
    let mut wb = calamine::Xlsx::new(Cursor::new(bytes))
        .map_err(|e| file_err(format!("{name}: not a readable .xlsx: {e}")))?;
    let names = wb.sheet_names().to_vec();
    let mut grids = Vec::new();
    for n in &names {
        let marks = xlsx_styles::sheet_marks(bytes, n)
            .map_err(|e| file_err(format!("{name}: sheet {n}: {e}")))?;
        let (grid, issues) = read_sheet(&mut wb, n, &marks).map_err(file_err)?;
        grids.push((n.clone(), grid, issues));
    }
    // Every sheet with the expected columns is data: more than one is ambiguous.
    let matching: Vec<usize> = grids
        .iter()
        .enumerate()
        .filter(|(_, (n, g, _))| !n.starts_with('_') && find_header(g, is_header).is_some())
        .map(|(i, _)| i)
        .collect();
    let i = match matching.as_slice() {
        [] => {
            return Err(file_err(format!(
                "wrong sheet: no sheet of {name} has the columns {what} (sheets: {})",
                names.join(", ")
            )))
        }
        [only] => *only,
        many => {
            return Err(file_err(format!(
                "{name}: {} sheets have the columns {what} ({}); import one sheet per file",
                many.len(),
                many.iter()
                    .map(|&i| grids[i].0.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    };
    let (sheet, grid, issues) = grids.remove(i);
    let extra = grids.into_iter().map(|(n, g, _)| (n, g)).collect();
    let header_at = find_header(&grid, is_header).unwrap_or(0);
    Ok(to_table(sheet, grid, issues, 0, header_at, extra))
}

/// The most positions an imported sheet may span (cells present and the empty ones
/// between them, see [`place`]), and its last row and column. A workbook states its used
/// range itself; reading cell by cell and counting every slot allocated keeps memory
/// bounded, so neither a sheet claiming A1:XFD1048576 nor scattered far-away cells can
/// exhaust it.
const MAX_CELLS: usize = 5_000_000;
const MAX_ROW: u32 = 1_048_576;
const MAX_COL: u32 = 16_384;

/// Make room for cell (r, c) in the dense grid, counting the slots allocated — not only the
/// cells present: one cell in column XFD of each of 20,000 rows is a small file but
/// 300 million slots. Memory stays bounded by [`MAX_CELLS`] slots.
fn place(
    grid: &mut Vec<Vec<String>>,
    slots: &mut usize,
    r: usize,
    c: usize,
    name: &str,
) -> Result<(), String> {
    let too_large = || {
        format!(
            "sheet {name}: too large to import (its cells span more than {MAX_CELLS} positions: \
             remove what lies far right or below the table)"
        )
    };
    if grid.len() <= r {
        *slots = slots
            .checked_add(r + 1 - grid.len())
            .ok_or_else(too_large)?;
        if *slots > MAX_CELLS {
            return Err(too_large());
        }
        grid.resize_with(r + 1, Vec::new);
    }
    let row = &mut grid[r];
    if row.len() <= c {
        *slots = slots.checked_add(c + 1 - row.len()).ok_or_else(too_large)?;
        if *slots > MAX_CELLS {
            return Err(too_large());
        }
        row.resize(c + 1, String::new());
    }
    Ok(())
}

fn read_sheet<RS: std::io::Read + std::io::Seek>(
    wb: &mut calamine::Xlsx<RS>,
    name: &str,
    marks: &SheetMarks,
) -> Result<(Vec<Vec<String>>, Issues), String> {
    let mut issues = Issues::new();
    let mut reader = wb
        .worksheet_cells_reader(name)
        .map_err(|e| format!("sheet {name}: {e}"))?;
    let mut grid: Vec<Vec<String>> = Vec::new();
    let mut cells = 0usize;
    let mut slots = 0usize;
    while let Some(cell) = reader
        .next_cell()
        .map_err(|e| format!("sheet {name}: {e}"))?
    {
        let (r, c) = cell.get_position();
        let percent = marks.percent.contains(&(r, c));
        let (text, issue) = cell_text(&Data::from(cell.get_value().clone()), percent);
        let issue = issue.or_else(|| {
            marks.formula_without_value.contains(&(r, c)).then(|| {
                "a formula without a computed value: open and save the file in Excel".to_string()
            })
        });
        if text.is_empty() && issue.is_none() {
            continue;
        }
        if let Some(why) = issue {
            issues.insert((r as usize, c as usize), why);
        }
        cells += 1;
        if cells > MAX_CELLS || r >= MAX_ROW || c >= MAX_COL {
            return Err(format!(
                "sheet {name}: too large to import (more than {MAX_CELLS} cells or beyond the sheet limits)"
            ));
        }
        let (r, c) = (r as usize, c as usize);
        place(&mut grid, &mut slots, r, c, name)?;
        grid[r][c] = text;
    }
    // Formulas without a value have no cell in calamine's reader at all.
    for &(r, c) in &marks.formula_without_value {
        let (r, c) = (r as usize, c as usize);
        if r < MAX_ROW as usize && c < MAX_COL as usize && !issues.contains_key(&(r, c)) {
            place(&mut grid, &mut slots, r, c, name)?;
            issues.insert(
                (r, c),
                "a formula without a computed value: open and save the file in Excel".into(),
            );
        }
    }
    Ok((grid, issues))
}

fn read_csv_text(
    name: &str,
    text: &str,
    is_header: &dyn Fn(&[String]) -> bool,
    what: &str,
) -> Result<Table, Vec<RowError>> {
    let file_err = file_error;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut grid = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| {
            vec![RowError {
                row: i + 1,
                column: String::new(),
                message: format!("unreadable CSV: {e}"),
            }]
        })?;
        grid.push(rec.iter().map(|c| c.trim().to_string()).collect::<Vec<_>>());
    }
    let Some(header_at) = find_header(&grid, is_header) else {
        return Err(file_err(format!(
            "{name}: no header row with the columns {what}"
        )));
    };
    Ok(to_table(
        String::new(),
        grid,
        Issues::new(),
        0,
        header_at,
        Vec::new(),
    ))
}

/// Column lookup by any of several header names (normalised, case-insensitive).
pub fn column(headers: &[String], names: &[&str]) -> Option<usize> {
    let hs: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
    names
        .iter()
        .find_map(|n| hs.iter().position(|h| h == &normalise_header(n)))
}

/// Header label for error messages: "G (实际值)".
pub fn col_label(headers: &[String], i: usize) -> String {
    match headers.get(i) {
        Some(h) if !h.is_empty() => format!("{} ({h})", letter(i)),
        _ => letter(i),
    }
}

/// Rejected rows (with their errors) as CSV: 行, 错误, then the original columns. Rows of
/// any width: a row shorter than the header (its last cells empty) or longer is padded, so
/// writing the rejects never fails on the rows it exists to keep. Cells that a spreadsheet
/// would run as a formula are neutralised (see [`crate::output::csv_cell`]).
pub fn rejects_csv(headers: &[String], rejects: &[(&Row, Vec<&RowError>)]) -> Vec<u8> {
    let width = rejects
        .iter()
        .map(|(r, _)| r.cells.len())
        .chain(std::iter::once(headers.len()))
        .max()
        .unwrap_or(0);
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec!["行".to_string(), "错误".to_string()];
    head.extend((0..width).map(|i| headers.get(i).cloned().unwrap_or_default()));
    let _ = w.write_record(head.iter().map(|c| crate::output::csv_cell(c).into_owned()));
    for (row, errs) in rejects {
        let mut rec = vec![
            row.number.to_string(),
            errs.iter()
                .map(|e| {
                    if e.column.is_empty() {
                        e.message.clone()
                    } else {
                        format!("{}: {}", e.column, e.message)
                    }
                })
                .collect::<Vec<_>>()
                .join("; "),
        ];
        rec.extend((0..width).map(|i| row.cells.get(i).cloned().unwrap_or_default()));
        // Writing to a Vec cannot fail; records all have the same width.
        let _ = w.write_record(rec.iter().map(|c| crate::output::csv_cell(c).into_owned()));
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small workbook whose few cells lie far apart would take gigabytes as a dense grid:
    /// refused with a reason once the positions it spans pass the limit.
    #[test]
    fn scattered_far_cells_are_refused_not_allocated() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "指标").unwrap();
        for r in 1..400u32 {
            ws.write_number(r, 16_383, 1.0).unwrap();
        }
        let bytes = wb.save_to_buffer().unwrap();
        assert!(bytes.len() < 100_000, "a small file: {} bytes", bytes.len());
        let err = read("far.xlsx", &bytes, &|_| true, "observations").unwrap_err();
        assert!(err[0].message.contains("too large to import"), "{:?}", err);
        // A table of ordinary size reads.
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "指标").unwrap();
        ws.write_string(0, 1, "实际值").unwrap();
        ws.write_string(1, 0, "i1").unwrap();
        ws.write_number(1, 1, 2.5).unwrap();
        let t = read(
            "ok.xlsx",
            &wb.save_to_buffer().unwrap(),
            &|_| true,
            "observations",
        )
        .unwrap();
        assert_eq!(t.rows.len(), 1);
    }

    #[test]
    fn excel_dates() {
        assert_eq!(excel_date(44562.0), "2022-01-01");
        assert_eq!(excel_date(1.0), "1900-01-01");
        assert_eq!(excel_date(45658.5), "2025-01-01");
    }

    #[test]
    fn shown_percentages() {
        assert_eq!(cell_text(&Data::Float(0.412), true).0, "41.2%");
        assert_eq!(cell_text(&Data::Float(0.0567), true).0, "5.67%");
        assert_eq!(cell_text(&Data::Float(0.412), false).0, "0.412");
        assert_eq!(
            cell_text(&Data::Float(44562.0), false),
            ("44562".to_string(), None)
        );
    }

    #[test]
    fn letters_and_numbers() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
    }
}
