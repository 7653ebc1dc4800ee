//! Undoing what printing did to the text, before anything is recognised.
//!
//! Many plans reach us as text that went through a printed page: a PDF converted to text,
//! or a web page copied from one. Three kinds of damage follow, and every later stage
//! (tables, headings, targets) would trip over each of them, so they are repaired here,
//! once:
//!
//! * **Page furniture** inside the flow: footers ("— 9 —", "- 12 -", "第 3 页", "3/45"),
//!   form feeds, a running header repeated on every page, and footnote marks that a web
//!   page's `<sup>` left on a line of their own ("…“5个广州”" / "15" / "建设，…").
//! * **Lines wrapped at a fixed width** inside paragraphs and headings (a PDF's line
//!   ends): the width is measured from the document itself — justified text gives many
//!   lines of the same length and none longer — and a full line that does not end a
//!   sentence is joined to the next. A document without such a width is left alone.
//! * **A paragraph broken by a page**: the text before a page break that does not end a
//!   sentence continues after it.
//!
//! Table cells are short and never reach the measured width, so they are not joined
//! here: the table reader decides about wrapped cells, where it knows the columns.
//! Joined lines keep the number of their first line (everything still points back to the
//! text rendering); removed lines simply disappear from the flow.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use crate::text::{char_len, is_han};

/// One paragraph of the flow: its text and the line it starts on.
#[derive(Debug, Clone)]
pub(crate) struct Para<'a> {
    pub text: Cow<'a, str>,
    pub line: u32,
}

/// A paragraph, or the place of a real table (which no repair crosses).
#[derive(Debug, Clone)]
pub(crate) enum Piece<'a, T> {
    Para(Para<'a>),
    Table(T),
}

static FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(?:
            [—\-–－―~～·•]{1,3}\s*\d{1,4}\s*[—\-–－―~～·•]{1,3}      # — 9 —, - 12 -
          | 第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?     # 第 3 页, 第3页 共20页
          | (?:[Pp]age|PAGE)\s*\d{1,4}(?:\s*of\s*\d{1,4})?            # Page 3
        )$",
    )
    .expect("valid regex")
});

/// A line that is only page furniture (a footer or a page number with decoration).
pub(crate) fn is_footer(t: &str) -> bool {
    let t = t.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{c}');
    !t.is_empty() && t.len() <= 40 && FOOTER.is_match(t)
}

/// "3/45": page 3 of 45 — or a table cell ("8358/244"). Returns (page, pages).
fn page_of(t: &str) -> Option<(u32, u32)> {
    if t.len() > 16 || !t.contains('/') {
        return None;
    }
    static PAGE_OF: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(\d{1,4})\s*/\s*(\d{1,4})$").expect("valid regex"));
    let c = PAGE_OF.captures(t.trim())?;
    let (a, b): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
    (a >= 1 && a <= b && b >= 2).then_some((a, b))
}

/// A line with nothing on it. A TAB alone is not blank: it is an empty cell of a
/// TAB-indented table.
fn is_blank(t: &str) -> bool {
    t.chars().all(|c| {
        (c.is_whitespace() && c != '\t') || c == '\u{3000}' || c == '\u{feff}' || c == '\u{c}'
    })
}

fn is_bare_number(t: &str) -> bool {
    let t = t.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
    !t.is_empty() && t.len() <= 3 && t.bytes().all(|b| b.is_ascii_digit())
}

/// Display width: CJK and full-width characters count two columns.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if c as u32 >= 0x1100 && crate::text::is_cjk(c) || is_han(c) {
                2
            } else {
                1
            }
        })
        .sum()
}

/// Does the text end a sentence (or a heading, list item or table cell that cannot run on)?
fn ends_clause(t: &str) -> bool {
    t.trim_end_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
        .ends_with(['。', '！', '？', '!', '?', '|', '｜'])
}

/// Does a line start something new (a heading, a list item, an indented paragraph), so
/// that it cannot be the continuation of the line before?
/// `indent` is the document's usual indentation (spaces before most lines): text laid
/// out by position indents every line, and only a deeper one starts a paragraph.
fn starts_new(raw: &str, indent: usize) -> bool {
    if raw.starts_with(['\t', '\u{3000}']) || leading_spaces(raw) >= indent + 2 {
        return true;
    }
    starts_marked(raw)
}

fn leading_spaces(raw: &str) -> usize {
    raw.len() - raw.trim_start_matches(' ').len()
}

/// The most common indentation of the non-blank lines (0 in most texts).
fn usual_indent(texts: &[Option<&str>]) -> usize {
    let mut hist = [0usize; 41];
    for t in texts.iter().flatten() {
        if !is_blank(t) {
            hist[leading_spaces(t).min(40)] += 1;
        }
    }
    (0..hist.len())
        .max_by_key(|&k| (hist[k], usize::MAX - k))
        .unwrap_or(0)
}

/// Does a line start with a heading, list or note mark ("第三章", "专栏", "（一）", "注：")?
fn starts_marked(raw: &str) -> bool {
    static NEW: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:第\s*[一二三四五六七八九十百零〇\d]{1,6}\s*[篇章节]|专\s*栏|[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|——|\d{1,2}(?:\.\d{1,2})*[.．、]\D|注[:：\d]|表\s*\d|附\s*[表件])",
        )
        .expect("valid regex")
    });
    NEW.is_match(raw.trim_start())
}

/// The width at which the document's paragraphs were wrapped, if they were: measured in
/// characters and in display columns, whichever gives the sharper peak. `None` when lines
/// run longer than any peak (one paragraph per line) or too few lines share a length.
/// The width at which lines were wrapped, in characters and in display columns (either
/// may be found: text wrapped by a tool counts characters, a PDF's page counts columns).
#[derive(Debug, Clone, Copy, Default)]
struct Wrap {
    chars: Option<usize>,
    cols: Option<usize>,
}

fn wrap_width(texts: &[&str]) -> Wrap {
    // Characters and columns of each line, once; a line too long to be a wrapped one (over
    // 200 characters: no page is that wide) only counts as "longer than any width".
    const CAP: usize = 200;
    let mut lens: Vec<(usize, usize)> = Vec::with_capacity(texts.len());
    for t in texts {
        let t = t.trim_end_matches('\r');
        // Rows of a table laid out by position run wider than the text: not measured.
        if is_blank(t) || t.trim().contains("  ") {
            continue;
        }
        if t.len() > CAP * 4 {
            lens.push((CAP + 1, 2 * CAP + 1));
            continue;
        }
        let t = crate::text::strip_bookmarks(t);
        let chars = char_len(&t);
        if chars > CAP {
            lens.push((CAP + 1, 2 * CAP + 1));
            continue;
        }
        lens.push((chars, width(&t)));
    }
    let mut found = Wrap::default();
    for by_width in [false, true] {
        // A page is at least 20 characters (40 columns) wide; shorter lines are cells,
        // headings and list items, not a wrapped text.
        let least = if by_width { 40 } else { 20 };
        let cap = if by_width { 2 * CAP } else { CAP };
        let long: Vec<usize> = lens
            .iter()
            .map(|&(c, w)| if by_width { w } else { c })
            .filter(|&n| n >= least)
            .collect();
        if long.len() < 12 {
            continue;
        }
        let max = long.iter().copied().max().unwrap_or(0).min(cap);
        let mut hist = vec![0usize; max + 2];
        for &n in &long {
            hist[n.min(max + 1)] += 1;
        }
        // Lines longer than each width, from the top down.
        let mut longer = vec![0usize; max + 3];
        for w in (0..=max + 1).rev() {
            longer[w] = longer[w + 1] + hist[w];
        }
        let slack = if by_width { 2 } else { 1 };
        for w in least..=max {
            let near: usize = hist[w.saturating_sub(slack)..=w].iter().sum();
            let over = longer.get(w + slack + 1).copied().unwrap_or(0);
            // A wrapped document: many full lines, almost none longer.
            if near * 10 >= long.len() * 3 && near >= 10 && over * 20 <= long.len() {
                if by_width {
                    found.cols = Some(w);
                } else {
                    found.chars = Some(w);
                }
                break;
            }
        }
    }
    found
}

/// Repair the flow of paragraphs (see the module docs).
pub(crate) fn repair<'a, T>(pieces: Vec<Piece<'a, T>>) -> Vec<Piece<'a, T>> {
    // Form feeds mark page breaks; the character itself goes.
    let mut page_break_at: Vec<bool> = Vec::with_capacity(pieces.len());
    let mut pieces: Vec<Piece<'a, T>> = pieces
        .into_iter()
        .map(|p| match p {
            Piece::Para(mut para) if para.text.contains('\u{c}') => {
                page_break_at.push(true);
                para.text = Cow::Owned(para.text.replace('\u{c}', ""));
                Piece::Para(para)
            }
            other => {
                page_break_at.push(false);
                other
            }
        })
        .collect();

    let form_feed = page_break_at.clone();
    let texts: Vec<Option<&str>> = pieces
        .iter()
        .map(|p| match p {
            Piece::Para(para) => Some(para.text.as_ref()),
            Piece::Table(_) => None,
        })
        .collect();
    let n = texts.len();
    let indent = usual_indent(&texts);
    // Furniture: footers, and bare numbers at a page break or splitting a sentence.
    let mut furniture = vec![false; n];
    for i in 0..n {
        let Some(t) = texts[i] else {
            continue;
        };
        if is_footer(t) {
            furniture[i] = true;
            page_break_at[i] = true;
        }
    }
    // "3/45" counts as a page number only when the same total recurs on several pages.
    let mut totals: std::collections::HashMap<u32, Vec<usize>> = std::collections::HashMap::new();
    for (i, t) in texts.iter().enumerate() {
        if let Some((_, total)) = t.and_then(page_of) {
            totals.entry(total).or_default().push(i);
        }
    }
    for at in totals.values().filter(|v| v.len() >= 3) {
        for &i in at {
            furniture[i] = true;
            page_break_at[i] = true;
        }
    }
    // The wrap width, measured without the footers found so far and bare numbers.
    let wrap = {
        let flat: Vec<&str> = texts
            .iter()
            .enumerate()
            .filter(|(i, _)| !furniture[*i])
            .filter(|(_, t)| t.is_some_and(|t| !is_bare_number(t)))
            .filter_map(|(_, t)| *t)
            .collect();
        wrap_width(&flat)
    };
    let full = |t: &str| -> bool {
        if wrap.chars.is_none() && wrap.cols.is_none() || t.len() > 1600 {
            return false;
        }
        // Word bookmarks are not printed text.
        let t = crate::text::strip_bookmarks(t.trim_end_matches('\r'));
        let t = t.as_ref();
        // Full: within a character of the width — a longer line (a table row laid out
        // wider than the text) was not wrapped at it.
        let chars = char_len(t);
        if wrap.chars.is_some_and(|w| chars + 1 >= w && chars <= w + 1) {
            return true;
        }
        // Columns lie between the characters and twice as many: measure only when that
        // range straddles the width.
        wrap.cols.is_some_and(|w| {
            2 * chars + 2 >= w && chars <= w + 2 && {
                let c = width(t);
                c + 2 >= w && c <= w + 2
            }
        })
    };
    let wrapped = wrap.chars.is_some() || wrap.cols.is_some();
    for i in 0..n {
        let Some(t) = texts[i] else {
            continue;
        };
        if furniture[i] || !is_bare_number(t) {
            continue;
        }
        // Directly between two pieces of one sentence (no blank line either side), in
        // prose — a TAB-indented or pipe line is a table cell, a footer no sentence.
        let prose = |t: &str| {
            !t.starts_with('\t')
                && !t.contains('|')
                && !is_blank(t)
                && !is_footer(t)
                && page_of(t).is_none()
        };
        let inside_sentence = i > 0
            && i + 1 < n
            && prose(t)
            && texts[i - 1].is_some_and(|p| {
                // A full line before it: the number is the wrapped rest of the line.
                char_len(p.trim()) >= 8 && !ends_clause(p) && prose(p) && !full(p) && !row_like(p)
            })
            && texts[i + 1].is_some_and(|q| {
                char_len(q.trim()) >= 2 && prose(q) && !starts_new(q, indent) && !is_bare_number(q)
            });
        // Next to a form feed.
        // Next to a form feed (a footer already marks its page; a number beside it is a
        // table cell) — unless the line before was cut at the width and it is its rest.
        let rest_of_prev =
            i > 0 && texts[i - 1].is_some_and(|p| full(p) || p.ends_with(' ') && row_like(p));
        // pdftotext puts the page number last on its page, the form feed first on the
        // next: the number stands just before the line with the form feed (or on it).
        let at_break = prose(t)
            && !rest_of_prev
            && (form_feed[i] || i + 1 < n && form_feed[i + 1] && !furniture[i + 1]);
        if inside_sentence || at_break {
            furniture[i] = true;
        }
    }
    // A running header: a short line that recurs next to most page breaks (on nearly every
    // page), never elsewhere.
    let breaks: Vec<usize> = (0..n).filter(|&i| page_break_at[i]).collect();
    if breaks.len() >= 3 {
        let mut counts: std::collections::HashMap<&str, (usize, usize)> =
            std::collections::HashMap::new();
        for i in 0..n {
            let Some(t) = texts[i] else {
                continue;
            };
            let t = t.trim();
            if t.is_empty() || furniture[i] || char_len(t) > 40 {
                continue;
            }
            let e = counts.entry(t).or_default();
            e.0 += 1;
            if breaks.iter().any(|&b| b.abs_diff(i) <= 2) {
                e.1 += 1;
            }
        }
        for i in 0..n {
            if let Some(t) = texts[i] {
                if let Some(&(all, near)) = counts.get(t.trim()) {
                    if all >= 3 && near == all && near * 2 >= breaks.len() && !furniture[i] {
                        furniture[i] = true;
                    }
                }
            }
        }
    }

    // Rebuild the flow: drop furniture (with the blank lines around it when a sentence
    // runs across it) and join wrapped lines.
    let mut out: Vec<Piece<'a, T>> = Vec::with_capacity(n);
    // Index in `out` of the paragraph that may still be continued, and whether only
    // furniture (no real blank line) came since it.
    let mut open: Option<usize> = None;
    // Whether the open paragraph's last physical line filled the width.
    let mut open_full = false;
    let mut across_furniture = false;
    let mut blank_run: Vec<Piece<'a, T>> = Vec::new();
    // Blank lines seen before the last furniture line: the blanks around a page break
    // count once (the larger side), so that a footer between two rows or two cells leaves
    // the gap that was there and nothing more.
    let mut blanks_before_furniture = 0usize;
    for (i, piece) in pieces.drain(..).enumerate() {
        let Piece::Para(para) = piece else {
            out.append(&mut blank_run);
            out.push(piece);
            open = None;
            across_furniture = false;
            continue;
        };
        if furniture[i] {
            if !across_furniture {
                blanks_before_furniture = blank_run.len();
            }
            across_furniture = true;
            continue;
        }
        if is_blank(&para.text) {
            blank_run.push(Piece::Para(para));
            continue;
        }
        if across_furniture {
            let after = blank_run.len() - blanks_before_furniture.min(blank_run.len());
            blank_run.truncate(blanks_before_furniture.max(after));
        }
        // Does this line continue the open paragraph?
        let mut raw_join = false;
        let joins = open.is_some_and(|o| {
            let Piece::Para(prev) = &out[o] else {
                return false;
            };
            if ends_clause(&prev.text) {
                return false;
            }
            // A row of cells separated by runs of spaces, wrapped at the width: the next
            // line continues it whatever it starts with, spaces included.
            if open_full && blank_run.is_empty() && row_like(&prev.text) {
                if starts_marked(&para.text) || starts_row(&prev.text, &para.text) {
                    return false;
                }
                raw_join = true;
                return true;
            }
            if starts_new(&para.text, indent) {
                return false;
            }
            // A heading that happens to fill the width, followed by a full line of prose:
            // the heading is complete (its wrapped rest would be a short last line).
            if open_full
                && full(&para.text)
                && crate::outline::recognise(&crate::text::clean_line(&prev.text, false))
                    .is_some_and(|h| {
                        char_len(&h.title) >= 8 || h.level == guihua_model::Level::Preface
                    })
            {
                return false;
            }
            if blank_run.is_empty() {
                // A line wrapped at the page width, or a sentence cut by a page footer or a
                // footnote mark (in a text with no wrap width: prose, not a heading).
                open_full
                    || across_furniture
                        && !wrapped
                        && char_len(prev.text.trim()) >= 8
                        && crate::outline::recognise(&crate::text::clean_line(&prev.text, false))
                            .is_none()
            } else {
                // Blank lines between: only when a page break came between them.
                across_furniture && (open_full || !wrapped && long_prose(&prev.text))
            }
        });
        if joins {
            if let Some(Piece::Para(prev)) = open.and_then(|o| out.get_mut(o)) {
                let mut s = std::mem::take(&mut prev.text).into_owned();
                let next = if raw_join {
                    para.text.as_ref()
                } else {
                    para.text.trim_start_matches([' ', '\u{3000}'])
                };
                // A line end inside Chinese text is no space (nor, cut mid-word at a fixed
                // width, inside a Latin word).
                s.push_str(next);
                prev.text = Cow::Owned(s);
            }
            open_full = full(&para.text);
            blank_run.clear();
        } else {
            out.append(&mut blank_run);
            open_full = full(&para.text);
            out.push(Piece::Para(para));
            open = Some(out.len() - 1);
        }
        across_furniture = false;
    }
    out.append(&mut blank_run);
    out
}

/// Does `next` start a new row of a space-separated table rather than continue `prev`:
/// a sequence number before a run of spaces ("16    接受…"), or several leading empty
/// cells (a sub-row, "            注册护士数") after a line that ended inside a cell? One
/// run of spaces at the start is the separator the wrap fell before.
fn starts_row(prev: &str, next: &str) -> bool {
    let lead = next.len() - next.trim_start_matches(' ').len();
    let cells: Vec<&str> = next
        .trim_start()
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .take(3)
        .collect();
    let first = cells.first().copied().unwrap_or("");
    let han = |t: &str| t.chars().filter(|c| is_han(*c)).count();
    let seq = |t: &str| !t.is_empty() && t.len() <= 3 && t.bytes().all(|b| b.is_ascii_digit());
    // "16    接受上门服务…": a number, then a name; "经济强    1    地区生产总值": a
    // category, a number, a name.
    let numbered = |k: usize| {
        cells.get(k).is_some_and(|c| seq(c)) && cells.get(k + 1).is_some_and(|c| han(c) >= 2)
    };
    if numbered(0) || (numbered(1) && han(first) >= 2) {
        return true;
    }
    // The wrap fell inside a run of spaces: the line goes on.
    if prev.ends_with(' ') {
        return false;
    }
    // "            注册护士数（人）": empty cells, then a name. A value or an empty mark
    // ("—", "95") after the spaces is the next cell of the row that was cut.
    lead >= 8 && han(first) >= 2
}

/// A line of table cells separated by runs of spaces ("1    地区生产总值    预期性").
fn row_like(t: &str) -> bool {
    t.trim().matches("  ").count() >= 2 || t.ends_with("  ")
}

/// Prose long enough that a page break inside it is the likely reading (a table cell
/// before a footer is short and has no clause comma).
fn long_prose(t: &str) -> bool {
    char_len(t.trim()) >= 40 && t.contains(['，', ','])
}
