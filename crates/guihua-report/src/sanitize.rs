//! Making the text of a report safe to write, in one place.
//!
//! Report text carries what users typed or imported: plan titles, indicator names, notes,
//! sources, department names. Two kinds of such text break documents:
//!
//! * **Characters XML 1.0 forbids** — the C0 controls except TAB, LF and CR (a form feed
//!   U+000C from text copied out of a PDF, a NUL, an escape), and the non-characters
//!   U+FFFE and U+FFFF. Word refuses a `.docx` whose `document.xml` holds one, Excel offers
//!   to "repair" the workbook and drops the text. Lone surrogates, the other forbidden
//!   code points, cannot occur in a Rust `str`. The characters are removed; form feed and
//!   vertical tab, which separate pages and lines, become a space so that the words
//!   around them stay apart. They are removed for every format, not only the XML ones:
//!   they show as nothing (or as garbage) in Markdown and HTML as well, and the four
//!   formats of one report should carry the same text.
//! * **Absurdly long text** — a 100 MB note pasted by mistake. Excel refuses a cell over
//!   32,767 characters (`rust_xlsxwriter` returns an error, so the whole export would
//!   fail), and a paragraph of that size helps no reader in any format. Every text is cut
//!   to [`MAX_UNITS`] with the visible marker [`TRUNCATED`] at its end.
//!
//! [`blocks`] applies both to every string of a report's blocks before any writer sees
//! them; the writers then only escape for their syntax (`md`, `html`; `docx-rs` and
//! `rust_xlsxwriter` escape XML themselves). The Excel writer cuts the strings it composes
//! itself (numbered bullets) once more with [`cap`].

use std::borrow::Cow;

use crate::ir::Block;

/// Longest text kept, in UTF-16 code units: Excel's limit of 32,767 characters per cell.
/// Excel counts UTF-16 units, so a character outside the Basic Multilingual Plane (an
/// emoji, a rare CJK ideograph) counts twice; counting the same way keeps every cut text
/// within Excel's limit. The same cap is used for every format and every kind of text, so
/// the formats agree.
pub(crate) const MAX_UNITS: usize = 32_767;

/// Put at the end of a text that was cut.
pub(crate) const TRUNCATED: &str = "…（已截断）";

/// Whether XML 1.0 allows `c` (production `Char`; surrogates are no `char`).
fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `s` without the characters XML 1.0 forbids; form feed and vertical tab become a space.
pub(crate) fn strip(s: &str) -> Cow<'_, str> {
    if s.chars().all(xml_allowed) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .filter_map(|c| match c {
                '\u{B}' | '\u{C}' => Some(' '),
                c if xml_allowed(c) => Some(c),
                _ => None,
            })
            .collect(),
    )
}

/// `s` cut to at most [`MAX_UNITS`] UTF-16 units, [`TRUNCATED`] included, when longer.
/// Looks at no more than the first [`MAX_UNITS`] characters, however long `s` is.
pub(crate) fn cap(s: &str) -> Cow<'_, str> {
    // A character never takes more UTF-16 units than UTF-8 bytes.
    if s.len() <= MAX_UNITS {
        return Cow::Borrowed(s);
    }
    let keep = MAX_UNITS - TRUNCATED.encode_utf16().count();
    let (mut units, mut cut) = (0, s.len());
    for (i, c) in s.char_indices() {
        if units + c.len_utf16() > keep && cut == s.len() {
            cut = i;
        }
        units += c.len_utf16();
        if units > MAX_UNITS {
            return Cow::Owned(format!("{}{TRUNCATED}", &s[..cut]));
        }
    }
    Cow::Borrowed(s)
}

/// Text safe for any document or workbook cell: [`strip`], then [`cap`]. For writers
/// outside this crate (the fill-in template, exports).
pub fn document_text(s: &str) -> Cow<'_, str> {
    match strip(s) {
        Cow::Borrowed(b) => cap(b),
        Cow::Owned(o) => Cow::Owned(cap(&o).into_owned()),
    }
}

/// Both [`strip`] and [`cap`], in place.
fn clean(s: &mut String) {
    if let Cow::Owned(t) = strip(s) {
        *s = t;
    }
    if let Cow::Owned(t) = cap(s) {
        *s = t;
    }
}

/// `blocks` with every string cleaned: texts, table sheet names, headers and cells, chart
/// titles, units, legends and bar labels.
pub(crate) fn blocks(mut blocks: Vec<Block>) -> Vec<Block> {
    for b in &mut blocks {
        match b {
            Block::Title(s)
            | Block::Subtitle(s)
            | Block::Heading(s)
            | Block::SubHeading(s)
            | Block::Para(s)
            | Block::Bullet(s) => clean(s),
            Block::Table(t) => {
                clean(&mut t.sheet);
                t.headers.iter_mut().for_each(clean);
                t.rows
                    .iter_mut()
                    .flat_map(|r| r.cells.iter_mut())
                    .for_each(clean);
            }
            Block::Chart(c) => {
                clean(&mut c.title);
                clean(&mut c.unit);
                clean(&mut c.legend.0);
                clean(&mut c.legend.1);
                clean(&mut c.legend.2);
                c.bars
                    .iter_mut()
                    .flatten()
                    .for_each(|b| clean(&mut b.label));
            }
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_what_xml_forbids() {
        assert_eq!(strip("第一页\u{C}第二页"), "第一页 第二页");
        assert_eq!(strip("a\u{B}b"), "a b");
        assert_eq!(strip("\u{0}a\u{1}\u{1B}b\u{1F}\u{FFFE}c\u{FFFF}"), "abc");
        // TAB, LF, CR and everything else XML allows stay, without a copy.
        let ok = "a\tb\nc\rd é 中文 \u{7F}\u{85}\u{FFFD} 🌲";
        assert!(matches!(strip(ok), Cow::Borrowed(s) if s == ok));
    }

    #[test]
    fn caps_long_text_with_marker() {
        let short = "长".repeat(MAX_UNITS);
        assert!(matches!(cap(&short), Cow::Borrowed(_)));
        let long = "长".repeat(MAX_UNITS + 1);
        let c = cap(&long);
        assert_eq!(c.encode_utf16().count(), MAX_UNITS);
        assert!(c.ends_with(TRUNCATED));
        assert!(c.starts_with("长长长"));
        // Characters outside the BMP count twice, as in Excel; a cut never splits one.
        let emoji = "🌲".repeat(MAX_UNITS / 2 + 1);
        let c = cap(&emoji);
        assert!(c.encode_utf16().count() <= MAX_UNITS);
        assert!(c.ends_with(TRUNCATED) && c.starts_with('🌲'));
        // Exactly at the limit in UTF-16 units: kept whole.
        let edge = format!("{}a", "🌲".repeat(MAX_UNITS / 2));
        assert_eq!(edge.encode_utf16().count(), MAX_UNITS);
        assert!(matches!(cap(&edge), Cow::Borrowed(_)));
    }

    #[test]
    fn a_huge_note_is_cut_quickly() {
        // 100 MB: only the head is looked at.
        let huge = "x".repeat(100 << 20);
        let t = std::time::Instant::now();
        let c = cap(&huge);
        assert!(t.elapsed() < std::time::Duration::from_secs(1));
        assert_eq!(c.chars().count(), MAX_UNITS);
    }

    #[test]
    fn every_string_of_the_blocks() {
        use crate::ir::{Bar, Chart, Row, Table};
        let dirty = || "x\u{C}y\u{FFFE}".to_string();
        let b = blocks(vec![
            Block::Para(dirty()),
            Block::Table(Table {
                sheet: dirty(),
                headers: vec![dirty()],
                widths: vec![1],
                rows: vec![Row {
                    cells: vec![dirty()],
                    status: None,
                }],
                status_col: None,
            }),
            Block::Chart(Chart {
                title: dirty(),
                unit: dirty(),
                actual: Vec::new(),
                expected: Vec::new(),
                status: guihua_eval::Status::OnTrack,
                target: None,
                legend: (dirty(), dirty(), dirty()),
                bars: Some(vec![Bar {
                    label: dirty(),
                    base: None,
                    target: None,
                    actual: None,
                    status: guihua_eval::Status::OnTrack,
                }]),
            }),
        ]);
        let debug = format!("{b:?}");
        assert!(
            !debug.contains("\\u{c}") && !debug.contains("\\u{fffe}"),
            "{debug}"
        );
        assert_eq!(debug.matches("\"x y\"").count(), 10, "{debug}");
    }
}
