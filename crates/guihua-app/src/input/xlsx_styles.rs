//! What calamine does not tell about a workbook: which cells are formatted as percentages,
//! which formulas have no computed value, and whether the archive is a zip bomb.
//!
//! Why hand-rolled: calamine reads values (and turns date formats into dates) but does not
//! expose number formats, so a cell Excel shows as "31.8%" arrives as 0.318 — a value a
//! hundred times too small, stored without a word. Reading the format needs three small
//! XML parts (the workbook's sheet list and relationships, the style table) and one pass
//! over the sheet's `<c>` elements; quick-xml does the parsing, this module only follows
//! the references. Every part is inflated through `Read::take` with a cap, so a workbook
//! whose entries inflate to gigabytes is refused before calamine sees it.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Largest inflated part of a workbook (256 MiB, as for Word documents).
pub const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;
/// Largest inflated workbook in total (512 MiB).
pub const MAX_TOTAL_BYTES: u64 = 512 * 1024 * 1024;
/// Most entries a workbook archive may have.
pub const MAX_ENTRIES: usize = 10_000;

/// Cells of one sheet (0-based row, column) that need more than their value.
#[derive(Debug, Default)]
pub struct SheetMarks {
    /// Formatted as a percentage: the value shown is 100 × the stored value.
    pub percent: HashSet<(u32, u32)>,
    /// A formula with no computed (cached) value: what it shows is unknown until Excel
    /// recalculates it.
    pub formula_without_value: HashSet<(u32, u32)>,
}

/// Check a workbook's archive against the inflate limits (reading every entry through a
/// cap, into nothing).
pub fn check_archive(bytes: &[u8]) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a readable .xlsx: {e}"))?;
    if zip.len() > MAX_ENTRIES {
        return Err(format!(
            "not a workbook: {} entries (at most {MAX_ENTRIES})",
            zip.len()
        ));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let f = zip
            .by_index(i)
            .map_err(|e| format!("not a readable .xlsx: {e}"))?;
        let name = f.name().to_string();
        let n = std::io::copy(&mut f.take(MAX_PART_BYTES + 1), &mut std::io::sink())
            .map_err(|e| format!("not a readable .xlsx: {name}: {e}"))?;
        total += n;
        if n > MAX_PART_BYTES || total > MAX_TOTAL_BYTES {
            return Err(format!(
                "refused: the workbook inflates beyond {} MiB ({name}); it is not a plain data sheet",
                if n > MAX_PART_BYTES { MAX_PART_BYTES } else { MAX_TOTAL_BYTES } >> 20
            ));
        }
    }
    Ok(())
}

fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<Vec<u8>>, String> {
    let f = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(format!("{name}: {e}")),
    };
    let mut buf = Vec::new();
    f.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("{name}: {e}"))?;
    if buf.len() as u64 > MAX_PART_BYTES {
        return Err(format!("{name}: larger than {} MiB", MAX_PART_BYTES >> 20));
    }
    Ok(Some(buf))
}

fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            let v = std::str::from_utf8(&a.value).ok()?;
            Some(
                quick_xml::escape::unescape(v)
                    .map(|c| c.into_owned())
                    .unwrap_or_else(|_| v.to_string()),
            )
        })
}

/// Walk the start (and empty) elements of an XML part.
fn each_element(xml: &[u8], mut f: impl FnMut(&BytesStart, bool)) -> Result<(), String> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => f(&e, false),
            Ok(Event::Empty(e)) => f(&e, true),
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(format!("XML error at {}: {e}", reader.buffer_position())),
        }
        buf.clear();
    }
}

/// Is an Excel number format code a percentage? A `%` outside quoted text, escapes and
/// brackets, in the first (positive) section.
fn is_percent_code(code: &str) -> bool {
    let mut quoted = false;
    let mut bracket = false;
    let mut escaped = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '"' => quoted = !quoted,
            '\\' if !quoted => escaped = true,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            ';' if !quoted && !bracket => return false,
            '%' if !quoted && !bracket => return true,
            _ => {}
        }
    }
    false
}

/// "B12" → (11, 1).
fn cell_ref(r: &str) -> Option<(u32, u32)> {
    let letters = r.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
    let (col, row) = r.split_at(letters);
    let mut c = 0u32;
    for b in col.bytes() {
        c = c
            .checked_mul(26)?
            .checked_add(u32::from(b.to_ascii_uppercase() - b'A') + 1)?;
    }
    let row: u32 = row.parse().ok()?;
    Some((row.checked_sub(1)?, c.checked_sub(1)?))
}

/// The marks of the sheet named `sheet`.
pub fn sheet_marks(bytes: &[u8], sheet: &str) -> Result<SheetMarks, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a readable .xlsx: {e}"))?;
    // Sheet name → relationship id → part name.
    let mut rid = None;
    if let Some(wb) = part(&mut zip, "xl/workbook.xml")? {
        each_element(&wb, |e, _| {
            if e.local_name().as_ref() == b"sheet" && attr(e, b"name").as_deref() == Some(sheet) {
                rid = attr(e, b"id");
            }
        })?;
    }
    let mut target = None;
    if let (Some(rid), Some(rels)) = (rid, part(&mut zip, "xl/_rels/workbook.xml.rels")?) {
        each_element(&rels, |e, _| {
            if e.local_name().as_ref() == b"Relationship" && attr(e, b"Id").as_deref() == Some(&rid)
            {
                target = attr(e, b"Target");
            }
        })?;
    }
    let Some(target) = target else {
        return Ok(SheetMarks::default());
    };
    let path = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("xl/{target}"),
    };
    // Style index → is its number format a percentage?
    let mut percent_xf: Vec<bool> = Vec::new();
    if let Some(styles) = part(&mut zip, "xl/styles.xml")? {
        let mut codes: HashMap<u32, String> = HashMap::new();
        let mut in_cell_xfs = false;
        let mut xf_fmt: Vec<u32> = Vec::new();
        let mut reader = Reader::from_reader(styles.as_slice());
        let mut buf = Vec::new();
        loop {
            let ev = reader
                .read_event_into(&mut buf)
                .map_err(|e| format!("xl/styles.xml: {e}"))?;
            match ev {
                Event::Start(ref e) | Event::Empty(ref e) => match e.local_name().as_ref() {
                    b"numFmt" => {
                        if let (Some(id), Some(code)) = (
                            attr(e, b"numFmtId").and_then(|v| v.parse().ok()),
                            attr(e, b"formatCode"),
                        ) {
                            codes.insert(id, code);
                        }
                    }
                    b"cellXfs" => in_cell_xfs = matches!(ev, Event::Start(_)),
                    b"xf" if in_cell_xfs => xf_fmt.push(
                        attr(e, b"numFmtId")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(0),
                    ),
                    _ => {}
                },
                Event::End(ref e) if e.local_name().as_ref() == b"cellXfs" => in_cell_xfs = false,
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        percent_xf = xf_fmt
            .iter()
            .map(|id| matches!(id, 9 | 10) || codes.get(id).is_some_and(|c| is_percent_code(c)))
            .collect();
    }
    let Some(xml) = part(&mut zip, &path)? else {
        return Ok(SheetMarks::default());
    };
    let mut marks = SheetMarks::default();
    // One pass over <c> elements: style, formula, value.
    let mut reader = Reader::from_reader(xml.as_slice());
    let mut buf = Vec::new();
    let mut current: Option<((u32, u32), bool)> = None; // (position, has formula)
    let mut has_value = false;
    let mut in_v = false;
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("{path}: XML error at {}: {e}", reader.buffer_position()))?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) if e.local_name().as_ref() == b"c" => {
                let pos = attr(e, b"r").as_deref().and_then(cell_ref);
                let style: usize = attr(e, b"s").and_then(|v| v.parse().ok()).unwrap_or(0);
                if let Some(pos) = pos {
                    let is_text =
                        matches!(attr(e, b"t").as_deref(), Some("s" | "str" | "inlineStr"));
                    if !is_text && percent_xf.get(style).copied().unwrap_or(false) {
                        marks.percent.insert(pos);
                    }
                    current = if matches!(ev, Event::Start(_)) {
                        Some((pos, false))
                    } else {
                        None
                    };
                    has_value = false;
                }
            }
            Event::Start(ref e) | Event::Empty(ref e) if e.local_name().as_ref() == b"f" => {
                if let Some((_, f)) = current.as_mut() {
                    *f = true;
                }
            }
            Event::Start(ref e) if e.local_name().as_ref() == b"v" => in_v = true,
            Event::Text(ref t) if in_v && !t.iter().all(u8::is_ascii_whitespace) => {
                has_value = true;
            }
            Event::End(ref e) if e.local_name().as_ref() == b"v" => in_v = false,
            Event::End(ref e) if e.local_name().as_ref() == b"c" => {
                if let Some((pos, true)) = current.take() {
                    if !has_value {
                        marks.formula_without_value.insert(pos);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(marks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_codes() {
        for c in ["0%", "0.0%", "0.00%", "#,##0.0%", "0.0%;-0.0%"] {
            assert!(is_percent_code(c), "{c}");
        }
        for c in [
            "0.0",
            "\"%\"0.0",
            "0.0\\%",
            "[Red]0.0",
            "yyyy-mm-dd",
            "0.0;\"x%\"",
        ] {
            assert!(!is_percent_code(c), "{c}");
        }
    }

    #[test]
    fn cell_refs() {
        assert_eq!(cell_ref("A1"), Some((0, 0)));
        assert_eq!(cell_ref("B12"), Some((11, 1)));
        assert_eq!(cell_ref("AA3"), Some((2, 26)));
        assert_eq!(cell_ref("A0"), None);
        assert_eq!(cell_ref("1"), None);
    }
}
