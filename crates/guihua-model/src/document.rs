//! The document form between readers and the parser.
//!
//! Every reader (plain text in any encoding, Word, HTML, PDF) produces a [`Document`]: an
//! ordered list of [`Block`]s. A block is a paragraph or a real table (Word `w:tbl`, HTML
//! `<table>`). Plain text has only paragraphs — one per line — and its tables are
//! recognised later by the parser from their text layout.
//!
//! Lines: every block carries `line`, the 1-based line it starts on in the *text rendering*
//! of the document: for a text file that is the source line; for Word/HTML each paragraph
//! is one line and each table row is one line. Everything the parser extracts points back
//! to these lines.

/// A document as a sequence of blocks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

impl Block {
    pub fn line(&self) -> u32 {
        match self {
            Block::Paragraph(p) => p.line,
            Block::Table(t) => t.line,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub text: String,
    /// 1-based line in the text rendering.
    pub line: u32,
    /// Outline level declared by the container (Word heading style, HTML `<h1>`…), if any.
    /// The parser treats it as a hint only: text decides what a heading is.
    pub heading_level: Option<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub rows: Vec<Row>,
    /// Line of the first row.
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The cell's text; its paragraphs (several `<p>` in one `<td>`, several `w:p` in one
    /// `w:tc`) are separated by `\n`.
    pub text: String,
    /// Number of grid columns the cell spans (Word `w:gridSpan`, HTML `colspan`); at least 1.
    pub col_span: u16,
    /// The cell continues a vertically merged cell from the row above (Word
    /// `w:vMerge` without `restart`, or a position covered by an HTML `rowspan`).
    /// Its `text` is then a copy of the merged cell's text.
    pub merged_from_above: bool,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            col_span: 1,
            merged_from_above: false,
        }
    }
}

impl Document {
    /// Plain text: one paragraph per line (LF or CRLF), lines numbered from 1.
    pub fn from_text(text: &str) -> Document {
        let blocks = text
            .split('\n')
            .enumerate()
            .map(|(i, l)| {
                Block::Paragraph(Paragraph {
                    text: l.strip_suffix('\r').unwrap_or(l).to_string(),
                    line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    heading_level: None,
                })
            })
            .collect();
        Document { blocks }
    }
}
