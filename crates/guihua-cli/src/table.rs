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

/// `s` in lines of at most `max` columns (a CJK character is never split; a line break
/// in the text starts a new line).
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for part in s.split('\n') {
        let mut line = String::new();
        let mut w = 0;
        for c in part.chars() {
            let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if w + cw > max.max(2) && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                w = 0;
            }
            line.push(c);
            w += cw;
        }
        lines.push(line);
    }
    lines
}

/// Render rows (the first is the header) as an aligned grid with a rule under the header.
/// Cells hold text people typed (notes, names, sources): control characters are replaced,
/// so no escape sequence reaches the terminal. Cells are cut at `max_cell` columns.
pub fn render(rows: &[Vec<String>], max_cell: usize) -> String {
    grid(rows, max_cell, None)
}

/// [`render`], but the cells of column `wrapped` are shown whole, wrapped onto further
/// lines at `max_cell` columns (a reason, a note) instead of being cut.
pub fn render_wrapped(rows: &[Vec<String>], max_cell: usize, wrapped: usize) -> String {
    grid(rows, max_cell, Some(wrapped))
}

fn grid(rows: &[Vec<String>], max_cell: usize, wrapped: Option<usize>) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    // Each row becomes one or more physical lines.
    let mut cells: Vec<Vec<String>> = Vec::new();
    let mut header_lines = 0;
    for (ri, r) in rows.iter().enumerate() {
        let parts: Vec<Vec<String>> = (0..cols)
            .map(|i| {
                let cell = crate::term(r.get(i).map(String::as_str).unwrap_or("")).into_owned();
                if wrapped == Some(i) {
                    wrap(&cell, max_cell)
                } else {
                    vec![truncate(&cell, max_cell)]
                }
            })
            .collect();
        let height = parts.iter().map(Vec::len).max().unwrap_or(1);
        for k in 0..height {
            cells.push(
                parts
                    .iter()
                    .map(|p| p.get(k).cloned().unwrap_or_default())
                    .collect(),
            );
        }
        if ri == 0 {
            header_lines = height;
        }
    }
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
        if ri + 1 == header_lines {
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

    #[test]
    fn wraps_whole_text_in_one_column() {
        let reason = "实际12.68低于序时应达13.2，差距0.52个百分点，后两年需年均提高0.6个百分点";
        let t = render_wrapped(
            &[
                vec!["编号".into(), "说明".into()],
                vec!["i19".into(), reason.into()],
            ],
            20,
            1,
        );
        let lines: Vec<&str> = t.lines().collect();
        // Nothing is cut: the reason's characters all appear, over several lines.
        let shown: String = lines[2..]
            .iter()
            .map(|l| l.trim_start_matches("i19").trim())
            .collect();
        assert_eq!(shown, reason);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| width(l) <= 4 + 2 + 20), "{t}");
        assert_eq!(wrap("ab\ncd", 10), ["ab", "cd"]);
    }
}
