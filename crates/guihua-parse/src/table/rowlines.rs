//! Tables printed one row per line with cells separated by runs of spaces, whose cells
//! wrap onto the next line.
//!
//! A text export of a Word or PDF table often separates cells by a fixed run of spaces
//! (four, say), keeps empty cells as extra runs ("4左右" + 8 spaces + "4": an empty cell
//! between), and breaks a long cell onto the next line: the next line then starts with
//! the rest of that cell, and its further cells are the row's next cells
//! ("1    地区生产总值（亿元）    预期性    20000以上    6.5%" / "左右    19428.78，…").
//! A line starting with a run (empty leading cells) or with the next sequence number
//! starts a row; any other line continues the row above. The header may take several
//! lines the same way, and a second header row names the sub-columns of a spanning cell
//! ("规划目标" over "规划目标（2025年）" and "年均增速〔累计〕"); the two rows are merged
//! into one header of grid columns.

use guihua_model::Note;

use super::header::{self, Kind};
use super::stream::category_like;
use super::{is_note, seq_number, Cfg, Rows, TCell, SEQ_PREFIX};
use crate::outline::recognise;
use crate::text::char_len;
use crate::Line;

/// The separator run of a flowed table: the space-run length that every run is a
/// multiple of (2, 3 or 4), if there is one.
pub(super) fn separator_unit(lines: &[&str]) -> Option<usize> {
    let mut runs: Vec<usize> = Vec::new();
    for l in lines {
        let mut n = 0;
        for c in l.trim_end().chars() {
            if c == ' ' {
                n += 1;
            } else {
                if n >= 2 {
                    runs.push(n);
                }
                n = 0;
            }
        }
    }
    if runs.len() < 3 {
        return None;
    }
    [4, 3, 2].into_iter().find(|&u| {
        let fit = runs.iter().filter(|&&r| r % u == 0).count();
        fit * 20 >= runs.len() * 19 && runs.contains(&u)
    })
}

/// Cells of a flowed line: a run of `k·unit` spaces separates two cells with `k−1` empty
/// cells between them; a leading run of `k·unit` spaces is `k` empty cells.
pub(super) fn split_flowed(raw: &str, unit: usize) -> Vec<String> {
    let raw = raw.trim_end();
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut run = 0usize;
    let mut started = false;
    for c in raw.chars() {
        if c == ' ' {
            run += 1;
            continue;
        }
        if run > 0 {
            if run >= 2 {
                let k = (run + unit / 2) / unit;
                if started {
                    cells.push(std::mem::take(&mut cur));
                    for _ in 1..k.max(1) {
                        cells.push(String::new());
                    }
                } else {
                    for _ in 0..k {
                        cells.push(String::new());
                    }
                }
            } else if started {
                cur.push(' ');
            }
            run = 0;
        }
        started = true;
        cur.push(c);
    }
    if started {
        cells.push(cur);
    }
    cells
}

/// The line as printed, leading spaces kept (they are empty cells here).
fn raw_of(l: &Line) -> String {
    crate::text::strip_bookmarks(&l.raw)
        .trim_end_matches(['\r', ' '])
        .to_string()
}

/// Does this line (split into cells) start a row, rather than continue the row above?
fn starts_row(cells: &[String], expected: Option<u32>) -> bool {
    let Some(first) = cells.iter().position(|c| !c.is_empty()) else {
        return false;
    };
    if first > 0 {
        return true;
    }
    let t = cells[0].trim();
    let is_seq = |s: &str| {
        seq_number(s)
            .is_some_and(|n| expected.is_none_or(|e| n >= e.saturating_sub(1) && n <= e + 2))
    };
    if is_seq(t) {
        return true;
    }
    if SEQ_PREFIX.is_match(t) {
        return true;
    }
    category_like(t)
        && cells
            .get(1)
            .is_some_and(|c| is_seq(c.trim()) || SEQ_PREFIX.is_match(c))
}

/// Join a continuation line's cells onto a row: the first continues the row's last cell,
/// the others follow it.
fn continue_row(row: &mut Vec<String>, cells: Vec<String>) {
    let mut it = cells.into_iter();
    if let Some(first) = it.next() {
        match row.last_mut() {
            Some(last) => last.push_str(first.trim()),
            None => row.push(first),
        }
    }
    row.extend(it);
}

/// Give the spanning cells of a first header row as many columns as the second row has
/// sub-cells under them, so that both rows have one entry per grid column.
fn spread(top: &[String], sub: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut p = 0;
    for t in top {
        let mut span = 1;
        if header::classify(t) == Some(Kind::Goal) || header::classify(t).is_none() {
            while sub.get(p + span).is_some_and(|s| !s.trim().is_empty())
                && sub.get(p).is_some_and(|s| !s.trim().is_empty())
                && out.len() + span < sub.len()
            {
                span += 1;
            }
        }
        for _ in 0..span {
            out.push(t.clone());
        }
        p += span;
    }
    out
}

/// Read a flowed table whose header starts at line `start`. Returns its rows (the merged
/// header first) and the line indices it occupies, or None when the lines are not one.
pub(super) fn read(
    lines: &[Line],
    start: usize,
    cfg: Cfg,
) -> Option<(Rows, Vec<usize>, Vec<Note>)> {
    // The extent: lines up to a blank line that is not followed by a note or more rows.
    let mut end = start;
    while end < lines.len() {
        let l = &lines[end];
        if l.text.is_empty() {
            let next = lines[end..]
                .iter()
                .position(|l| !l.text.is_empty())
                .map(|k| end + k);
            match next {
                Some(n) if is_note(&lines[n].text) => {
                    end = n;
                    continue;
                }
                _ => break,
            }
        }
        if end > start && recognise(&l.heading_text).is_some() {
            break;
        }
        if is_note(&l.text) && end > start {
            end = super::read_notes(lines, end).1 + 1;
            break;
        }
        end += 1;
    }
    let raws: Vec<String> = (start..end).map(|i| raw_of(&lines[i])).collect();
    let refs: Vec<&str> = raws.iter().map(String::as_str).collect();
    let unit = separator_unit(&refs)?;

    // Header rows: lines before the first data row.
    let mut header_rows: Vec<Vec<String>> = Vec::new();
    let mut i = start;
    while i < end {
        let cells = split_flowed(&raw_of(&lines[i]), unit);
        let is_data = starts_row(&cells, None)
            && cells.iter().find(|c| !c.is_empty()).is_some_and(|c| {
                seq_number(c).is_some() || category_like(c) || SEQ_PREFIX.is_match(c)
            });
        if is_data && !header_rows.is_empty() {
            break;
        }
        let leading_empty = cells.first().is_some_and(|c| c.is_empty());
        if header_rows.is_empty() || leading_empty {
            header_rows.push(cells);
        } else if let Some(last) = header_rows.last_mut() {
            continue_row(last, cells);
        }
        i += 1;
        if header_rows.len() > 3 {
            return None;
        }
    }
    let top = header_rows.first()?.clone();
    let merged = match header_rows.get(1) {
        Some(sub) => header::merge_rows(&spread(&top, sub), sub),
        None => top,
    };
    let merged: Vec<String> = merged
        .into_iter()
        .filter(|c| !c.trim().is_empty())
        .collect();
    header::read(&merged, cfg.period_end)?;

    let line_of = |k: usize| lines[k].line;
    let mut rows: Vec<Vec<TCell>> = vec![merged
        .iter()
        .map(|t| TCell {
            text: t.clone(),
            line: line_of(start),
        })
        .collect()];
    let mut cur: Option<(Vec<String>, u32)> = None;
    let mut expected: Option<u32> = None;
    let mut notes: Vec<Note> = Vec::new();
    let mut repeating = false;
    let mut last = end.saturating_sub(1);
    while i < end {
        let l = &lines[i];
        i += 1;
        if l.text.is_empty() {
            continue;
        }
        if is_note(&l.text) {
            let (n, at) = super::read_notes(lines, i - 1);
            notes = n;
            last = at;
            break;
        }
        let cells = split_flowed(&raw_of(l), unit);
        // The header printed again after a page break: skip it and its wrapped lines.
        let texts: Vec<&str> = cells
            .iter()
            .map(String::as_str)
            .filter(|c| !c.is_empty())
            .collect();
        if header::read(&texts, cfg.period_end).is_some() {
            repeating = true;
            continue;
        }
        if repeating && !starts_row(&cells, expected) {
            continue;
        }
        repeating = false;
        if starts_row(&cells, expected) || cur.is_none() {
            if let Some((c, line)) = cur.take() {
                rows.push(c.into_iter().map(|text| TCell { text, line }).collect());
            }
            if let Some(n) = cells
                .iter()
                .find(|c| !c.is_empty())
                .and_then(|c| seq_number(c))
            {
                expected = Some(n + 1);
            } else if let Some(n) = cells.get(1).and_then(|c| seq_number(c)) {
                expected = Some(n + 1);
            }
            cur = Some((cells, l.line));
        } else if let Some((row, _)) = cur.as_mut() {
            continue_row(row, cells);
        }
    }
    if let Some((c, line)) = cur.take() {
        rows.push(c.into_iter().map(|text| TCell { text, line }).collect());
    }
    if rows.len() < 2 || char_len(&merged.join("")) > 200 {
        return None;
    }
    Some((Rows::Rows(rows), (start..=last.max(start)).collect(), notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flowed_cells_keep_empty_ones() {
        assert_eq!(
            split_flowed("2    研发经费支出占比（%）    预期性    4左右        4", 4),
            ["2", "研发经费支出占比（%）", "预期性", "4左右", "", "4"]
        );
        assert_eq!(
            split_flowed("            注册护士数（人）    预期性    5.5", 4),
            ["", "", "", "注册护士数（人）", "预期性", "5.5"]
        );
        assert_eq!(separator_unit(&["a    b        c", "    d    e"]), Some(4));
        assert_eq!(separator_unit(&["a   b     c", "d  e"]), None);
    }
}
