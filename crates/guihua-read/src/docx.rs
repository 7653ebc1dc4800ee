//! Word documents (`.docx`): a zip archive holding `word/document.xml`.
//!
//! We read only the main document part and `word/styles.xml` (for heading levels); headers,
//! footers and comments are page furniture, not plan text. The archive is hostile input:
//! the number of entries is capped, each part is read through `Read::take` so a zip bomb
//! stops at [`limits::MAX_XML_BYTES`] whatever its headers declare, and encrypted or
//! truncated archives are reported as such instead of as "malformed XML".
//!
//! XML is streamed with quick-xml; entity references are decoded by [`crate::entities`],
//! which never expands DOCTYPE-declared entities (billion laughs is inert) and keeps an
//! unknown reference as literal text instead of failing the document.
//!
//! Text rendering: every body paragraph is one line — empty ones included, as a paragraph
//! with text `""`, because the parser reads text-layout tables from blank lines — and every
//! table row one line, so a block's line is its position in the body. Runs are
//! concatenated; `w:tab` is a tab and `w:br` joins with nothing, because a paragraph must
//! stay one line (a raw line break inside `w:t` is whitespace and becomes a space).
//! Trailing spaces are dropped; tabs are never trimmed, since a leading tab marks a
//! table cell in the text layout. Deleted revisions (`w:del`) are skipped and insertions
//! kept, which is what Word shows with changes accepted. Paragraphs inside a table cell
//! are the lines of the cell's text (separated by `\n`); a nested table is flattened
//! into its cell.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use guihua_model::{Block, Cell, Document, Paragraph, Row, Table};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zip::result::ZipError;
use zip::ZipArchive;

use crate::limits::{MAX_COL_SPAN, MAX_XML_BYTES, MAX_ZIP_ENTRIES};
use crate::{entities, number_lines, push_joined, ReadError};

const DOCUMENT_XML: &str = "word/document.xml";
const STYLES_XML: &str = "word/styles.xml";

pub(crate) fn read_docx(bytes: &[u8]) -> Result<Document, ReadError> {
    read_docx_limited(bytes, MAX_XML_BYTES)
}

/// [`read_docx`] with an explicit cap on each decompressed part (tests use a small one).
pub(crate) fn read_docx_limited(bytes: &[u8], xml_cap: u64) -> Result<Document, ReadError> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(zip_error)?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(ReadError::TooManyEntries {
            entries: zip.len(),
            limit: MAX_ZIP_ENTRIES,
        });
    }
    let document = read_entry(&mut zip, DOCUMENT_XML, xml_cap)?.ok_or(ReadError::NotDocx)?;
    // Styles only refine heading levels: a broken or missing styles part is not fatal.
    let styles = match read_entry(&mut zip, STYLES_XML, xml_cap) {
        Ok(Some(xml)) => parse_styles(&xml).unwrap_or_default(),
        _ => HashMap::new(),
    };
    parse_document(&document, &styles)
}

fn zip_error(e: ZipError) -> ReadError {
    match e {
        ZipError::FileNotFound => ReadError::NotDocx,
        ZipError::UnsupportedArchive(m) if m.to_ascii_lowercase().contains("password") => {
            ReadError::Encrypted
        }
        other => ReadError::BrokenZip(other.to_string()),
    }
}

fn read_entry(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    name: &str,
    cap: u64,
) -> Result<Option<Vec<u8>>, ReadError> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(zip_error(e)),
    };
    if file.encrypted() {
        return Err(ReadError::Encrypted);
    }
    let bomb = || ReadError::ZipBomb {
        entry: name.to_string(),
        limit: cap,
    };
    // The declared size is a cheap early answer, but not trusted: `take` enforces the cap.
    if file.size() > cap {
        return Err(bomb());
    }
    let hint = usize::try_from(file.size().min(16 * 1024 * 1024)).unwrap_or(0);
    let mut buf = Vec::with_capacity(hint);
    file.take(cap + 1)
        .read_to_end(&mut buf)
        .map_err(|e| ReadError::BrokenZip(format!("{name}: {e}")))?;
    if buf.len() as u64 > cap {
        return Err(bomb());
    }
    Ok(Some(buf))
}

/// The local name of an element as a string ("p" for "w:p").
fn local(e: &BytesStart) -> Vec<u8> {
    e.local_name().as_ref().to_vec()
}

/// Value of the attribute with local name `name` (e.g. `w:val`), entity-decoded.
fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            std::str::from_utf8(&a.value)
                .ok()
                .map(|v| entities::decode(v, false))
        })
}

fn xml_error(entry: &str, offset: u64, message: impl ToString) -> ReadError {
    ReadError::Xml {
        entry: entry.to_string(),
        offset,
        message: message.to_string(),
    }
}

/// Style id → heading level (1-based), from style names ("heading 2", "标题 2") or an
/// explicit outline level, following `w:basedOn` chains.
fn parse_styles(xml: &[u8]) -> Result<HashMap<String, u8>, ReadError> {
    struct Style {
        level: Option<u8>,
        based_on: Option<String>,
    }
    let mut styles: HashMap<String, Style> = HashMap::new();
    let mut reader = Reader::from_reader(xml);
    let mut current: Option<(String, Style)> = None;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| xml_error(STYLES_XML, reader.error_position(), e))?;
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                let name = local(&e);
                if name == b"style" {
                    // A self-closing or unclosed previous style ends here.
                    if let Some((id, s)) = current.take() {
                        styles.insert(id, s);
                    }
                }
                match name.as_slice() {
                    b"style" => {
                        let is_para = attr(&e, b"type").is_none_or(|t| t == "paragraph");
                        if let (true, Some(id)) = (is_para, attr(&e, b"styleId")) {
                            current = Some((
                                id,
                                Style {
                                    level: None,
                                    based_on: None,
                                },
                            ));
                        }
                    }
                    b"name" => {
                        if let (Some((_, s)), Some(v)) = (current.as_mut(), attr(&e, b"val")) {
                            s.level = s.level.or(heading_level_from_name(&v));
                        }
                    }
                    b"outlineLvl" => {
                        if let (Some((_, s)), Some(v)) = (current.as_mut(), attr(&e, b"val")) {
                            if let Some(l) = outline_level(&v) {
                                s.level = Some(l);
                            }
                        }
                    }
                    b"basedOn" => {
                        if let Some((_, s)) = current.as_mut() {
                            s.based_on = attr(&e, b"val");
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) if e.local_name().as_ref() == b"style" => {
                if let Some((id, s)) = current.take() {
                    styles.insert(id, s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut levels = HashMap::new();
    for id in styles.keys() {
        let mut cur = id;
        for _ in 0..16 {
            let Some(s) = styles.get(cur) else { break };
            if let Some(l) = s.level {
                levels.insert(id.clone(), l);
                break;
            }
            match &s.based_on {
                Some(b) => cur = b,
                None => break,
            }
        }
    }
    Ok(levels)
}

/// "heading 2", "Heading2", "标题 2" → 2.
fn heading_level_from_name(name: &str) -> Option<u8> {
    let n: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    let digits = n
        .strip_prefix("heading")
        .or_else(|| n.strip_prefix("标题"))?;
    match digits.parse::<u8>() {
        Ok(l @ 1..=9) => Some(l),
        _ => None,
    }
}

/// `w:outlineLvl` is 0-based; 9 means body text.
fn outline_level(v: &str) -> Option<u8> {
    match v.trim().parse::<u8>() {
        Ok(l @ 0..=8) => Some(l + 1),
        _ => None,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

struct CellB {
    text: String,
    span: u16,
    vmerge: VMerge,
}

#[derive(Default)]
struct TableB {
    rows: Vec<Vec<Cell>>,
    row: Option<Vec<Cell>>,
    /// Text of the last cell that started in each grid column (for `w:vMerge`).
    above: Vec<Option<String>>,
    col: usize,
    cell: Option<CellB>,
}

#[derive(Default)]
struct State {
    blocks: Vec<Block>,
    /// Depth inside a subtree whose text is not shown (deleted text, fallbacks).
    skip: usize,
    p_depth: usize,
    ppr_depth: usize,
    r_depth: usize,
    t_depth: usize,
    para: String,
    level: Option<u8>,
    tables: Vec<TableB>,
}

impl State {
    fn start(&mut self, e: &BytesStart, empty: bool, styles: &HashMap<String, u8>) {
        if self.skip > 0 {
            if !empty {
                self.skip += 1;
            }
            return;
        }
        let name = local(e);
        match name.as_slice() {
            b"del" | b"delText" | b"instrText" | b"moveFrom" | b"Fallback" if !empty => {
                self.skip = 1;
            }
            b"p" if !empty => {
                self.p_depth += 1;
                if self.p_depth == 1 {
                    self.para.clear();
                    self.level = None;
                }
            }
            // `<w:p/>`: an empty paragraph, still one line of the rendering.
            b"p" if self.p_depth == 0 => {
                self.para.clear();
                self.level = None;
                self.finish_paragraph();
            }
            b"pPr" if !empty => self.ppr_depth += 1,
            b"r" if !empty => self.r_depth += 1,
            b"t" if !empty => self.t_depth += 1,
            b"tab" if self.r_depth > 0 && self.p_depth > 0 => self.para.push('\t'),
            b"pStyle" if self.ppr_depth > 0 => {
                if let Some(l) = attr(e, b"val").and_then(|v| styles.get(&v).copied()) {
                    self.level = Some(l);
                }
            }
            b"outlineLvl" if self.ppr_depth > 0 => {
                if let Some(l) = attr(e, b"val").and_then(|v| outline_level(&v)) {
                    self.level = Some(l);
                }
            }
            b"tbl" if !empty => self.tables.push(TableB::default()),
            b"tr" if !empty => {
                if let Some(t) = self.tables.last_mut() {
                    t.row = Some(Vec::new());
                    t.col = 0;
                }
            }
            b"gridBefore" => {
                if let (Some(t), Some(n)) = (
                    self.tables.last_mut(),
                    attr(e, b"val").and_then(|v| v.trim().parse::<u16>().ok()),
                ) {
                    t.col += usize::from(n.min(MAX_COL_SPAN));
                }
            }
            b"tc" if !empty => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell = Some(CellB {
                        text: String::new(),
                        span: 1,
                        vmerge: VMerge::None,
                    });
                }
            }
            b"gridSpan" => {
                if let Some(c) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    if let Some(n) = attr(e, b"val").and_then(|v| v.trim().parse::<u16>().ok()) {
                        c.span = n.clamp(1, MAX_COL_SPAN);
                    }
                }
            }
            b"vMerge" => {
                if let Some(c) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    c.vmerge = match attr(e, b"val").as_deref() {
                        Some("restart") => VMerge::Restart,
                        _ => VMerge::Continue,
                    };
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &[u8]) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        match name {
            b"p" => {
                self.p_depth = self.p_depth.saturating_sub(1);
                if self.p_depth == 0 {
                    self.finish_paragraph();
                }
            }
            b"pPr" => self.ppr_depth = self.ppr_depth.saturating_sub(1),
            b"r" => self.r_depth = self.r_depth.saturating_sub(1),
            b"t" => self.t_depth = self.t_depth.saturating_sub(1),
            b"tc" => {
                if let Some(t) = self.tables.last_mut() {
                    finish_cell(t);
                }
            }
            b"tr" => {
                if let Some(t) = self.tables.last_mut() {
                    finish_cell(t);
                    if let Some(row) = t.row.take() {
                        if !row.is_empty() {
                            t.rows.push(row);
                        }
                    }
                }
            }
            b"tbl" => self.finish_table(),
            _ => {}
        }
    }

    fn finish_paragraph(&mut self) {
        let mut text = std::mem::take(&mut self.para);
        if let Some(t) = self.tables.last_mut() {
            if let Some(c) = t.cell.as_mut() {
                // Each paragraph of a cell is one line of its text.
                let piece = text.trim();
                if !piece.is_empty() {
                    if !c.text.is_empty() {
                        c.text.push('\n');
                    }
                    c.text.push_str(piece);
                }
            }
            return;
        }
        text.truncate(text.trim_end_matches(' ').len());
        self.blocks.push(Block::Paragraph(Paragraph {
            text,
            line: 0,
            heading_level: self.level,
        }));
    }

    fn finish_table(&mut self) {
        let Some(mut t) = self.tables.pop() else {
            return;
        };
        if let Some(row) = t.row.take() {
            if !row.is_empty() {
                t.rows.push(row);
            }
        }
        if let Some(outer) = self.tables.last_mut() {
            // Nested table: its text becomes part of the enclosing cell.
            if let Some(c) = outer.cell.as_mut() {
                for row in &t.rows {
                    for cell in row {
                        if !cell.merged_from_above {
                            push_joined(&mut c.text, &cell.text);
                        }
                    }
                }
            }
            return;
        }
        if t.rows.is_empty() {
            return;
        }
        let rows = t
            .rows
            .into_iter()
            .map(|cells| Row { cells, line: 0 })
            .collect();
        self.blocks.push(Block::Table(Table { rows, line: 0 }));
    }
}

fn finish_cell(t: &mut TableB) {
    let Some(c) = t.cell.take() else { return };
    let col = t.col;
    if t.above.len() <= col {
        t.above.resize(col + 1, None);
    }
    let cell = if c.vmerge == VMerge::Continue {
        Cell {
            text: t.above[col].clone().unwrap_or_default(),
            col_span: c.span,
            merged_from_above: true,
        }
    } else {
        t.above[col] = Some(c.text.clone());
        Cell {
            text: c.text,
            col_span: c.span,
            merged_from_above: false,
        }
    };
    t.col += usize::from(c.span);
    if let Some(row) = t.row.as_mut() {
        row.push(cell);
    }
}

/// Append `w:t` text; a raw line break is whitespace in Word and must not split the line.
fn push_text(para: &mut String, text: &str) {
    if text.contains(['\n', '\r']) {
        para.extend(
            text.chars()
                .map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c }),
        );
    } else {
        para.push_str(text);
    }
}

fn parse_document(xml: &[u8], styles: &HashMap<String, u8>) -> Result<Document, ReadError> {
    let mut reader = Reader::from_reader(xml);
    let mut st = State::default();
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| xml_error(DOCUMENT_XML, reader.error_position(), e))?;
        match ev {
            Event::Start(e) => st.start(&e, false, styles),
            Event::Empty(e) => st.start(&e, true, styles),
            Event::End(e) => st.end(e.local_name().as_ref()),
            Event::Text(t) if st.skip == 0 && st.t_depth > 0 => {
                let raw = std::str::from_utf8(&t)
                    .map_err(|e| xml_error(DOCUMENT_XML, reader.buffer_position(), e))?;
                push_text(&mut st.para, &entities::decode(raw, false));
            }
            Event::CData(t) if st.skip == 0 && st.t_depth > 0 => {
                let raw = std::str::from_utf8(&t)
                    .map_err(|e| xml_error(DOCUMENT_XML, reader.buffer_position(), e))?;
                push_text(&mut st.para, raw);
            }
            Event::Eof => break,
            // DOCTYPE (and its entity declarations), comments, PIs: ignored.
            _ => {}
        }
    }
    let mut blocks = st.blocks;
    number_lines(&mut blocks);
    Ok(Document { blocks })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_names() {
        assert_eq!(heading_level_from_name("heading 2"), Some(2));
        assert_eq!(heading_level_from_name("标题 1"), Some(1));
        assert_eq!(heading_level_from_name("Heading3"), Some(3));
        assert_eq!(heading_level_from_name("Normal"), None);
        assert_eq!(outline_level("0"), Some(1));
        assert_eq!(outline_level("9"), None);
    }

    #[test]
    fn styles_with_based_on() {
        let xml = br#"<w:styles xmlns:w="x">
          <w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style>
          <w:style w:type="paragraph" w:styleId="MyH"><w:name w:val="My Heading"/><w:basedOn w:val="1"/></w:style>
          <w:style w:type="paragraph" w:styleId="Lvl"><w:name w:val="x"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
          <w:style w:type="character" w:styleId="C"><w:name w:val="heading 4"/></w:style>
        </w:styles>"#;
        let s = parse_styles(xml).unwrap();
        assert_eq!(s.get("1"), Some(&1));
        assert_eq!(s.get("MyH"), Some(&1));
        assert_eq!(s.get("Lvl"), Some(&3));
        assert_eq!(s.get("C"), None);
    }

    fn texts(xml: &str) -> Vec<(String, u32)> {
        let xml = format!("<w:document xmlns:w=\"x\"><w:body>{xml}</w:body></w:document>");
        parse_document(xml.as_bytes(), &HashMap::new())
            .unwrap()
            .blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => (p.text.clone(), p.line),
                Block::Table(t) => (format!("<table {} rows>", t.rows.len()), t.line),
            })
            .collect()
    }

    #[test]
    fn empty_paragraphs_and_tabs_are_kept() {
        let got = texts(
            "<w:p><w:r><w:t>a</w:t></w:r></w:p>\
             <w:p/>\
             <w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"1\"/></w:tabs></w:pPr></w:p>\
             <w:p><w:r><w:tab/></w:r></w:p>\
             <w:p><w:r><w:tab/><w:t xml:space=\"preserve\">x  </w:t><w:tab/></w:r></w:p>\
             <w:p><w:r><w:t xml:space=\"preserve\">   </w:t></w:r></w:p>\
             <w:tbl><w:tr><w:tc><w:p/><w:p><w:r><w:t>c</w:t></w:r></w:p></w:tc></w:tr></w:tbl>\
             <w:p><w:r><w:t>b\nc</w:t></w:r></w:p>",
        );
        let want: Vec<(String, u32)> = [
            ("a", 1),
            ("", 2),
            ("", 3),
            ("\t", 4),
            ("\tx  \t", 5),
            ("", 6),
            ("<table 1 rows>", 7),
            ("b c", 8),
        ]
        .iter()
        .map(|(t, l)| (t.to_string(), *l))
        .collect();
        assert_eq!(got, want);
    }

    /// A zip whose headers understate the inflated size: `take` must still stop it.
    #[test]
    fn lying_entry_size_is_capped_by_take() {
        use std::io::Write;
        use zip::write::SimpleFileOptions;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        w.start_file(DOCUMENT_XML, opts).unwrap();
        w.write_all(&vec![b' '; 2 * 1024 * 1024]).unwrap();
        let mut bytes = w.finish().unwrap().into_inner();
        // Patch the uncompressed size in the local header (offset 22) and the central
        // directory entry (offset 24) to claim 100 bytes.
        let patch = |bytes: &mut Vec<u8>, sig: &[u8], off: usize| {
            let at = bytes.windows(4).position(|w| w == sig).unwrap();
            bytes[at + off..at + off + 4].copy_from_slice(&100u32.to_le_bytes());
        };
        patch(&mut bytes, b"PK\x03\x04", 22);
        patch(&mut bytes, b"PK\x01\x02", 24);
        match read_docx_limited(&bytes, 1024 * 1024) {
            Err(ReadError::ZipBomb { .. }) => {}
            other => panic!("{other:?}"),
        }
    }
}
