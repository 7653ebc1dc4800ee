//! Markdown: GitHub tables, a coloured marker per status (Markdown has no cell colours),
//! and charts as inline `<svg>` (GitHub strips inline SVG, other viewers show it; the
//! table above each chart carries the same numbers either way).
//!
//! Text is escaped so that a renderer shows it as written: the charts' SVG is the only
//! HTML in the file.

use crate::chart;
use crate::ir::{status_marker, Block, Table};

/// Text as Markdown that renders literally. `&`, `<` and `>` become entities, so no raw
/// HTML (`<script>`, `<img onerror=…>`) and no autolink (`<http://…>`) gets through;
/// `\`, `[` and `]` are backslash-escaped, so no link or image (`[点我](javascript:…)`)
/// is formed; line breaks become spaces, since every block is one line (a blank line in a
/// note would otherwise end the block, and what follows could be read as a heading).
/// Emphasis characters (`*`, `_`) are left alone: at worst they change the look, and
/// escaping them would clutter the file for those who read it as plain text.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A table cell: [`text`], and `|` escaped so that it does not end the cell.
fn cell(s: &str) -> String {
    text(s).replace('|', "\\|")
}

fn table(t: &Table, out: &mut String) {
    out.push_str(&format!(
        "| {} |\n",
        t.headers
            .iter()
            .map(|h| cell(h))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    out.push_str(&format!("|{}\n", "---|".repeat(t.headers.len())));
    for r in &t.rows {
        let cells: Vec<String> = r
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| match (t.status_col, r.status) {
                (Some(k), Some(s)) if k == i => format!("{} {}", status_marker(s), cell(c)),
                _ => cell(c),
            })
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out.push('\n');
}

pub(crate) fn render(blocks: &[Block]) -> Vec<u8> {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Title(s) => out.push_str(&format!("# {}\n\n", text(s))),
            Block::Subtitle(s) => out.push_str(&format!("*{}*\n\n", text(s))),
            Block::Heading(s) => out.push_str(&format!("## {}\n\n", text(s))),
            Block::SubHeading(s) => out.push_str(&format!("### {}\n\n", text(s))),
            Block::Para(s) => out.push_str(&format!("{}\n\n", text(s))),
            Block::Bullet(s) => out.push_str(&format!("- {}\n", text(s))),
            Block::Table(t) => {
                if out.ends_with("\n") && !out.ends_with("\n\n") {
                    out.push('\n');
                }
                table(t, &mut out)
            }
            Block::Chart(c) => {
                if !out.ends_with("\n\n") {
                    out.push('\n');
                }
                out.push_str(&format!("**{}**\n\n{}\n\n", text(&c.title), chart::svg(c)));
            }
        }
    }
    out.into_bytes()
}
