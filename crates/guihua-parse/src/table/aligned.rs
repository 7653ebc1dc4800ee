//! Tables laid out by position: text that `pdftotext -layout` (or a typist with the space
//! bar) made of a PDF table, each cell placed under its column.
//!
//! ```text
//!   类别    序号   指标                          单位      2025年    2030年    属性
//!           1      地区生产总值增长              %         5.5       5左右     预期性
//!   经济    2      数字经济核心产业增加值占地    %         10        15        预期性
//!   发展           区生产总值比重
//! ```
//!
//! Runs of spaces separate the cells of a line, but a line is not a row: a long cell goes on
//! under itself on the next lines, and a category cell merged over several rows is printed
//! once, centred on them, possibly broken over lines ("经济" / "发展"). So every fragment is
//! placed in the column whose span (from the header's cell positions) holds its centre; a
//! line that carries a sequence number starts a row, any other line adds its fragments to
//! the cells of the row above; and the category pieces, joined where they stand on
//! consecutive lines, go to the rows they are centred on (a row between two labels takes
//! the nearer one).

use guihua_model::Note;

use super::header;
use super::{is_note, seq_number, Cfg, Rows, TCell, SEQ_PREFIX};
use crate::outline::recognise;
use crate::text::{char_len, is_cjk};
use crate::Line;

/// A piece of a line with the display columns it covers.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    start: usize,
    end: usize,
}

/// Display width of a character: CJK and full-width forms take two columns.
fn cols(c: char) -> usize {
    if is_cjk(c) || crate::text::is_han(c) {
        2
    } else {
        1
    }
}

/// Split a line at runs of two or more spaces (a TAB counts as a run), keeping positions.
fn pieces(raw: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut x = 0;
    let mut cur = String::new();
    let mut start = 0;
    let mut spaces = 0;
    for c in raw.chars() {
        if c == ' ' || c == '\t' || c == '\u{3000}' {
            spaces += if c == ' ' { 1 } else { 2 };
            x += if c == '\t' { 4 } else { cols(c) };
            continue;
        }
        if spaces >= 2 && !cur.is_empty() {
            out.push(Piece {
                text: std::mem::take(&mut cur),
                start,
                end: x - spaces,
            });
        } else if spaces == 1 && !cur.is_empty() {
            cur.push(' ');
        }
        if cur.is_empty() {
            start = x;
        }
        spaces = 0;
        cur.push(c);
        x += cols(c);
    }
    if !cur.is_empty() {
        out.push(Piece {
            text: cur,
            start,
            end: x - spaces,
        });
    }
    split_glued(out)
}

/// A category label and a sequence number one space apart ("（6项） 5", "发展 3") are two
/// cells.
fn split_glued(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out = Vec::with_capacity(pieces.len());
    for p in pieces {
        if let Some((head, tail)) = p.text.rsplit_once(' ') {
            let seq =
                !tail.is_empty() && tail.len() <= 3 && tail.bytes().all(|b| b.is_ascii_digit());
            let label = head.ends_with(['）', ')']) || head.chars().all(crate::text::is_han);
            if seq && label && !head.is_empty() {
                let head_end = p.start + head.chars().map(cols).sum::<usize>();
                out.push(Piece {
                    text: head.to_string(),
                    start: p.start,
                    end: head_end,
                });
                out.push(Piece {
                    text: tail.to_string(),
                    start: p.end - tail.len(),
                    end: p.end,
                });
                continue;
            }
        }
        out.push(p);
    }
    out
}

/// Header words spread apart ("指  标") as one piece.
fn merge_spaced(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for p in pieces {
        if let Some(last) = out.last_mut() {
            let merged = header::merge_spaced(vec![last.text.clone(), p.text.clone()]);
            if merged.len() == 1 {
                last.text = merged[0].clone();
                last.end = p.end;
                continue;
            }
        }
        out.push(p);
    }
    out
}

/// Do the pieces of these lines sit in columns (varying runs, starts that recur) rather
/// than flow? `lines` are the raw lines of a candidate table.
pub(super) fn is_aligned(raws: &[String]) -> bool {
    // TAB-separated cells are placed by count, not by position.
    if raws.iter().any(|r| r.contains('\t')) {
        return false;
    }
    let rows: Vec<Vec<Piece>> = raws
        .iter()
        .map(|r| pieces(r))
        .filter(|p| p.len() >= 3)
        .collect();
    if rows.len() < 3 {
        return false;
    }
    // The same start positions recur from line to line.
    let header: Vec<usize> = rows[0].iter().map(|p| p.start).collect();
    let near = |x: usize| header.iter().any(|&h| h.abs_diff(x) <= 3);
    let total: usize = rows.iter().skip(1).map(Vec::len).sum();
    let hits: usize = rows
        .iter()
        .skip(1)
        .map(|r| r.iter().filter(|p| near(p.start) || near(p.end)).count())
        .sum();
    total > 0 && hits * 10 >= total * 6
}

/// The column a piece belongs to: the one whose span (between the midpoints of the header
/// cells around it) holds the piece's centre.
fn column_of(bounds: &[usize], p: &Piece) -> usize {
    let centre = (p.start + p.end) / 2;
    bounds.iter().filter(|&&b| centre >= b).count()
}

fn raw_of(l: &Line) -> String {
    crate::text::strip_bookmarks(&l.raw)
        .trim_end_matches(['\r', ' '])
        .to_string()
}

/// Read a positional table whose header is at line `start`. Returns its rows (header first,
/// one cell per header column), the lines it occupies and its notes.
pub(super) fn read(
    lines: &[Line],
    start: usize,
    cfg: Cfg,
) -> Option<(Rows, Vec<usize>, Vec<Note>)> {
    let mut head = merge_spaced(pieces(&raw_of(&lines[start])));
    // A second header line ("基期值  目标值  〔累计〕" under "2025年  2030年  年均增长"):
    // its words go to the header cells above them.
    let mut i = start + 1;
    while i < lines.len() && i <= start + 3 {
        let ps = merge_spaced(pieces(&raw_of(&lines[i])));
        if ps.is_empty() {
            i += 1;
            continue;
        }
        let words = ps.iter().all(|p| {
            header::classify(&p.text).is_some()
                || head.iter().any(|h| header::joins(&h.text, &p.text))
        });
        if !words || ps.iter().any(|p| seq_number(&p.text).is_some()) {
            break;
        }
        for p in ps {
            let centre = (p.start + p.end) / 2;
            if let Some(h) = head
                .iter_mut()
                .min_by_key(|h| ((h.start + h.end) / 2).abs_diff(centre))
            {
                h.text.push_str(&p.text);
            }
        }
        i += 1;
    }
    let header_end = i - 1;
    let texts: Vec<&str> = head.iter().map(|p| p.text.as_str()).collect();
    let (h, used) = header::read(&texts, cfg.period_end)?;
    if used != head.len() {
        return None;
    }
    let roles = h.roles.clone();
    // Column spans from the header cells' centres.
    let centres: Vec<usize> = head.iter().map(|p| (p.start + p.end) / 2).collect();
    let bounds: Vec<usize> = centres.windows(2).map(|w| (w[0] + w[1]) / 2 + 1).collect();
    let cat_col = roles.iter().position(|r| *r == header::Role::Category);
    let seq_col = roles.iter().position(|r| *r == header::Role::Seq);
    let name_col = roles.iter().position(|r| *r == header::Role::Name);

    // Rows: (first line index, last line index, cells per column).
    let mut rows: Vec<(usize, usize, Vec<String>)> = Vec::new();
    let mut labels: Vec<(usize, usize, String)> = Vec::new();
    let mut notes: Vec<Note> = Vec::new();
    let mut last = header_end;
    let mut blanks = 0;
    let mut i = header_end + 1;
    let width = roles.len();
    while i < lines.len() && i < start + 2_000 {
        let l = &lines[i];
        if l.text.is_empty() {
            blanks += 1;
            if blanks > 3 {
                break;
            }
            i += 1;
            continue;
        }
        if is_note(&l.text) {
            let (n, at) = super::read_notes(lines, i);
            notes = n;
            last = at;
            break;
        }
        if recognise(&l.heading_text).is_some() {
            break;
        }
        let raw = raw_of(l);
        let ps = pieces(&raw);
        // A line of prose ends the table.
        if ps.len() == 1 && char_len(&ps[0].text) > 40 {
            break;
        }
        let ts: Vec<&str> = ps.iter().map(|p| p.text.as_str()).collect();
        // The header again after a page break.
        if header::read(&ts, cfg.period_end).is_some_and(|(_, n)| n == ps.len()) {
            last = i;
            blanks = 0;
            i += 1;
            continue;
        }
        blanks = 0;
        let mut placed: Vec<(usize, &Piece)> =
            ps.iter().map(|p| (column_of(&bounds, p), p)).collect();
        // A sequence number starts a row: in its column, or before the name; without
        // numbers, a name with values beside it does.
        let starts = placed.iter().any(|(c, p)| {
            (Some(*c) == seq_col && seq_number(&p.text).is_some())
                || (seq_col.is_none() && Some(*c) == name_col && SEQ_PREFIX.is_match(&p.text))
        }) || seq_col.is_none()
            && placed.iter().any(|(c, _)| Some(*c) == name_col)
            && placed
                .iter()
                .any(|(c, _)| Some(*c) != name_col && Some(*c) != cat_col && *c < width);
        if starts || rows.is_empty() {
            rows.push((i, i, vec![String::new(); roles.len()]));
        }
        let Some(row) = rows.last_mut() else {
            break;
        };
        row.1 = i;
        for (c, p) in placed.drain(..) {
            if Some(c) == cat_col {
                match labels.last_mut() {
                    Some((_, end, text)) if *end + 1 >= i => {
                        text.push_str(&p.text);
                        *end = i;
                    }
                    _ => labels.push((i, i, p.text.clone())),
                }
                continue;
            }
            if let Some(cell) = row.2.get_mut(c) {
                cell.push_str(&p.text);
            }
        }
        last = i;
        i += 1;
    }
    if rows.is_empty() {
        return None;
    }
    // Category labels go to the rows they are centred on — or, when every label states
    // its count ("经济发展（6项）") and the counts add up, to that many rows in order.
    let counted: Vec<Option<u32>> = labels
        .iter()
        .map(|(_, _, t)| super::category_label(t).1)
        .collect();
    let total: u32 = counted.iter().flatten().sum();
    if let (Some(cc), true) = (
        cat_col,
        !labels.is_empty() && counted.iter().all(Option::is_some) && total as usize == rows.len(),
    ) {
        let mut k = 0;
        for ((_, _, t), n) in labels.iter().zip(counted.iter().flatten()) {
            for _ in 0..*n {
                if let Some(r) = rows.get_mut(k) {
                    r.2[cc] = t.clone();
                }
                k += 1;
            }
        }
    } else if let Some(cc) = cat_col {
        for (first, end, cells) in &mut rows {
            let mid = (*first + *end) as f32 / 2.0;
            let best = labels
                .iter()
                .map(|(a, b, t)| {
                    let overlap = *a <= *end && *b >= *first;
                    let d = if overlap {
                        0.0
                    } else {
                        ((*a + *b) as f32 / 2.0 - mid).abs()
                    };
                    (d, t)
                })
                .min_by(|x, y| x.0.total_cmp(&y.0));
            if let Some((_, t)) = best {
                cells[cc] = t.clone();
            }
        }
    }
    let mut out: Vec<Vec<TCell>> = vec![head
        .iter()
        .map(|p| TCell {
            text: p.text.clone(),
            line: lines[start].line,
        })
        .collect()];
    for (first, _, cells) in rows {
        let line = lines[first].line;
        out.push(cells.into_iter().map(|text| TCell { text, line }).collect());
    }
    Some((Rows::Rows(out), (start..=last).collect(), notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_keep_positions() {
        let p = pieces("  经济    2      全员劳动生产率    万元/人");
        let got: Vec<(&str, usize)> = p.iter().map(|p| (p.text.as_str(), p.start)).collect();
        assert_eq!(
            got,
            [
                ("经济", 2),
                ("2", 10),
                ("全员劳动生产率", 17),
                ("万元/人", 35)
            ]
        );
    }
}
