//! Terminal tables that line up with Chinese text.
//!
//! A CJK character takes two terminal columns; padding by `char` count misaligns every
//! Chinese table. This is a deliberately small renderer over `unicode-width` (display width
//! per UAX #11): the tables here are plain left-aligned grids, and a general table crate
//! would add a terminal stack we do not need. Cells are truncated with "…" at `max` columns.

use unicode_width::UnicodeWidthStr;

/// Display width in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cut `s` to at most `max` columns, marking the cut with "…".
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Render rows (the first is the header) as an aligned grid with a rule under the header.
/// Cells hold text people typed (notes, names, sources): control characters are replaced,
/// so no escape sequence reaches the terminal.
pub fn render(rows: &[Vec<String>], max_cell: usize) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            (0..cols)
                .map(|i| {
                    let cell = r.get(i).map(String::as_str).unwrap_or("");
                    truncate(&crate::term(cell), max_cell)
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = (0..cols)
        .map(|i| cells.iter().map(|r| width(&r[i])).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for (ri, r) in cells.iter().enumerate() {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(c);
            if i + 1 < cols {
                line.push_str(&" ".repeat(widths[i].saturating_sub(width(c))));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
        if ri == 0 {
            let total: usize = widths.iter().sum::<usize>() + 2 * cols.saturating_sub(1);
            out.push_str(&"─".repeat(total));
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_cjk() {
        let t = render(
            &[
                vec!["指标".into(), "x".into()],
                vec!["森林覆盖率".into(), "1".into()],
            ],
            40,
        );
        let lines: Vec<&str> = t.lines().collect();
        // "x" and "1" start at the same display column.
        let col = |l: &str, needle: char| width(&l[..l.find(needle).unwrap_or(0)]);
        assert_eq!(col(lines[0], 'x'), col(lines[2], '1'));
        assert_eq!(truncate("每千人口拥有执业医师数", 9), "每千人口…");
    }
}
