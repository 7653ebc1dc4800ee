//! Reading import files (CSV and .xlsx) into header + rows of text, and the row/column
//! error list every import reports.
//!
//! Imports never guess silently: each cell is kept as the text a person sees, with its
//! spreadsheet row number (1-based, header included) and column letter, so an error can
//! say "row 14, column G (实际值): 'n/a' is not a number" and the person can find it.

use std::fmt;
use std::path::Path;

use calamine::{Data, Reader};

/// One data row: its spreadsheet row number and its cells (as text, trimmed).
#[derive(Debug, Clone)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<String>,
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

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) => num_text(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => num_text(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
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

fn to_table(
    sheet: String,
    grid: Vec<Vec<String>>,
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
        .map(|(i, cells)| Row {
            number: first_row + i + 1,
            cells,
        })
        .collect();
    Table {
        sheet,
        headers,
        rows,
        extra,
    }
}

/// Read a CSV or .xlsx file. `is_header` recognises the header row (given normalised,
/// lower-cased cells); `what` names the expected columns for the "wrong sheet" error.
pub fn read(
    path: &Path,
    is_header: &dyn Fn(&[String]) -> bool,
    what: &str,
) -> Result<Table, Vec<RowError>> {
    let file_err = |m: String| {
        vec![RowError {
            row: 0,
            column: String::new(),
            message: m,
        }]
    };
    let size = std::fs::metadata(path)
        .map_err(|e| file_err(format!("{}: {e}", path.display())))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(file_err(format!(
            "{}: {} MB is more than an import takes ({} MB); split the file",
            path.display(),
            size >> 20,
            MAX_FILE_BYTES >> 20
        )));
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if ext == "xlsx" || ext == "xlsm" {
        // A malformed workbook must give an error, never a crash: guard the reader.
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            read_xlsx(path, is_header, what)
        }));
        std::panic::set_hook(hook);
        return r.unwrap_or_else(|_| {
            Err(file_err(format!(
                "{}: not a readable .xlsx (the reader failed on it)",
                path.display()
            )))
        });
    }
    let bytes = std::fs::read(path).map_err(|e| file_err(format!("{}: {e}", path.display())))?;
    // Excel in a Chinese locale saves CSV as GB18030 (GBK); accept it as well as UTF-8.
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let (t, _, bad) = encoding_rs::GB18030.decode(e.as_bytes());
            if bad {
                return Err(file_err(format!(
                    "{}: neither UTF-8 nor GB18030 text (save the CSV as UTF-8, or use .xlsx)",
                    path.display()
                )));
            }
            t.into_owned()
        }
    };
    read_csv_text(path, &text, is_header, what)
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
    path: &Path,
    is_header: &dyn Fn(&[String]) -> bool,
    what: &str,
) -> Result<Table, Vec<RowError>> {
    let file_err = file_error;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path)
        .map_err(|e| file_err(format!("{}: not a readable .xlsx: {e}", path.display())))?;
    let names = wb.sheet_names().to_vec();
    let mut grids = Vec::new();
    for n in &names {
        let grid = read_sheet(&mut wb, n).map_err(file_err)?;
        grids.push((n.clone(), 0usize, grid));
    }
    let pick = grids
        .iter()
        .position(|(_, _, g)| find_header(g, is_header).is_some());
    let Some(i) = pick else {
        return Err(file_err(format!(
            "wrong sheet: no sheet of {} has the columns {what} (sheets: {})",
            path.display(),
            names.join(", ")
        )));
    };
    let (name, first_row, grid) = grids.remove(i);
    let extra = grids.into_iter().map(|(n, _, g)| (n, g)).collect();
    let header_at = find_header(&grid, is_header).unwrap_or(0);
    Ok(to_table(name, grid, first_row, header_at, extra))
}

/// The most cells an imported sheet may hold, and its last row and column. A workbook
/// states its used range itself; reading cell by cell into rows keeps memory bounded by
/// the cells actually present, so a sheet claiming A1:XFD1048576 cannot exhaust memory.
const MAX_CELLS: usize = 5_000_000;
const MAX_ROW: u32 = 1_048_576;
const MAX_COL: u32 = 16_384;

fn read_sheet<RS: std::io::Read + std::io::Seek>(
    wb: &mut calamine::Xlsx<RS>,
    name: &str,
) -> Result<Vec<Vec<String>>, String> {
    let mut reader = wb
        .worksheet_cells_reader(name)
        .map_err(|e| format!("sheet {name}: {e}"))?;
    let mut grid: Vec<Vec<String>> = Vec::new();
    let mut cells = 0usize;
    while let Some(cell) = reader
        .next_cell()
        .map_err(|e| format!("sheet {name}: {e}"))?
    {
        let (r, c) = cell.get_position();
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        cells += 1;
        if cells > MAX_CELLS || r >= MAX_ROW || c >= MAX_COL {
            return Err(format!(
                "sheet {name}: too large to import (more than {MAX_CELLS} cells or beyond the sheet limits)"
            ));
        }
        let (r, c) = (r as usize, c as usize);
        if grid.len() <= r {
            grid.resize_with(r + 1, Vec::new);
        }
        let row = &mut grid[r];
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = text;
    }
    Ok(grid)
}

fn read_csv_text(
    path: &Path,
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
            "{}: no header row with the columns {what}",
            path.display()
        )));
    };
    Ok(to_table(String::new(), grid, 0, header_at, Vec::new()))
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

/// Parse a number cell: accepts "1,234.5", "12.3%", full-width digits; rejects text.
pub fn parse_number(s: &str) -> Option<f64> {
    let t: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '．' => '.',
            '－' => '-',
            _ => c,
        })
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    let t = t.strip_suffix('%').unwrap_or(&t);
    let v: f64 = t.parse().ok()?;
    v.is_finite().then_some(v)
}

/// Write rejected rows (with their errors) as CSV: 行, 错误, then the original columns.
pub fn write_rejects(
    path: &Path,
    headers: &[String],
    rejects: &[(&Row, Vec<&RowError>)],
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_path(path)?;
    let mut head = vec!["行".to_string(), "错误".to_string()];
    head.extend(headers.iter().cloned());
    w.write_record(&head)?;
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
        rec.extend(row.cells.iter().cloned());
        w.write_record(&rec)?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_and_numbers() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
        assert_eq!(parse_number("1,234.5"), Some(1234.5));
        assert_eq!(parse_number("１２．５"), Some(12.5));
        assert_eq!(parse_number("12%"), Some(12.0));
        assert_eq!(parse_number("n/a"), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number(""), None);
    }
}
