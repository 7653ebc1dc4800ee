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
    /// The text rendering the blocks' `line`s count in: line *n* (1-based) is element
    /// *n − 1*. A paragraph is its line; a table row is one line with its cells separated
    /// by " │ " (a cell's own line breaks become spaces); lines no block starts on are
    /// empty. What a reader is shown to check an extraction against its source.
    pub fn text_lines(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut put = |line: u32, text: String| {
            let i = (line.max(1) - 1) as usize;
            // Readers number lines one by one; a number far past the text is not a line.
            if i > 5_000_000 {
                return;
            }
            if out.len() <= i {
                out.resize(i + 1, String::new());
            }
            if out[i].is_empty() {
                out[i] = text;
            } else {
                out[i].push(' ');
                out[i].push_str(&text);
            }
        };
        for b in &self.blocks {
            match b {
                Block::Paragraph(p) => put(p.line, p.text.replace(['\n', '\r'], " ")),
                Block::Table(t) => {
                    for r in &t.rows {
                        let cells: Vec<String> = r
                            .cells
                            .iter()
                            .map(|c| c.text.replace(['\n', '\r'], " "))
                            .collect();
                        put(r.line, cells.join(" │ "));
                    }
                }
            }
        }
        out
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_rendering_puts_each_block_on_its_line() {
        let doc = Document {
            blocks: vec![
                Block::Paragraph(Paragraph {
                    text: "第一章 总体要求".into(),
                    line: 1,
                    heading_level: None,
                }),
                Block::Table(Table {
                    line: 3,
                    rows: vec![
                        Row {
                            cells: vec![Cell::new("指标"), Cell::new("2025年\n目标")],
                            line: 3,
                        },
                        Row {
                            cells: vec![Cell::new("森林覆盖率"), Cell::new("21.5")],
                            line: 4,
                        },
                    ],
                }),
                Block::Paragraph(Paragraph {
                    text: "far".into(),
                    line: u32::MAX,
                    heading_level: None,
                }),
            ],
        };
        assert_eq!(
            doc.text_lines(),
            [
                "第一章 总体要求",
                "",
                "指标 │ 2025年 目标",
                "森林覆盖率 │ 21.5"
            ]
        );
        let text = Document::from_text("a\n\nb");
        assert_eq!(text.text_lines(), ["a", "", "b"]);
    }
}
