//! Markdown: GitHub tables, a coloured marker per status (Markdown has no cell colours),
//! and charts as inline `<svg>` (GitHub strips inline SVG, other viewers show it; the
//! table above each chart carries the same numbers either way).

use crate::chart;
use crate::ir::{status_marker, Block, Table};

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
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
            Block::Title(s) => out.push_str(&format!("# {s}\n\n")),
            Block::Subtitle(s) => out.push_str(&format!("*{s}*\n\n")),
            Block::Heading(s) => out.push_str(&format!("## {s}\n\n")),
            Block::SubHeading(s) => out.push_str(&format!("### {s}\n\n")),
            Block::Para(s) => out.push_str(&format!("{s}\n\n")),
            Block::Bullet(s) => out.push_str(&format!("- {s}\n")),
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
                out.push_str(&format!("**{}**\n\n{}\n\n", c.title, chart::svg(c)));
            }
        }
    }
    out.into_bytes()
}
