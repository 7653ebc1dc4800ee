//! The main indicator table (主要指标表).
//!
//! Plans print the same table in many damaged forms. Text exports give it as
//! * **pipe cells** — one cell per line ending in " |", with `|`, `||`, `||||||` separator
//!   lines (Ürümqi), or each cell on its own line followed by a line holding only `|` (Yiwu);
//! * **tab cells** — TAB-indented cell lines, rows separated by blank lines, a cell's text
//!   continued on an unindented line ("\t经济" / "发展") (Tacheng);
//! * **row lines** — one row per line with cells separated by `|`, TABs or wide spaces
//!   (Markdown, PDF `-layout`).
//!
//! Word and HTML give real tables with merged cells. Every form ends up as logical rows
//! interpreted against the header's column roles (类别 | 序号 | 指标 | 单位 | 2020年 |
//! 2025年 | 年均/累计 | 属性). Cell counts decide what a cell is — never its look — so a bare
//! `35` in the 2025 column stays a value, and rows whose 2025 and 年均/累计 cells were merged
//! (one cell fewer) keep their values in the right place.

use std::sync::LazyLock;

use guihua_model::{
    Attribute, Cell, Diagnostic, Indicator, Note, Quantity, QuantityKind, ReviewRow, Table,
};
use regex::Regex;

use crate::outline::recognise;
use crate::quantity::{delegated, is_placeholder, parse_cell, relative, Column, UNIT_PATTERN};
use crate::text::{char_len, remove_spaces};
use crate::Line;

mod aligned;
mod header;
mod rowlines;
mod stream;

pub(crate) use header::{Header, Role};

pub(super) static SEQ_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:(?P<n>\d{1,3})\s*[.．、]|[（(](?P<m>\d{1,3})[）)])\s*(?P<rest>\S.*)$")
        .expect("valid regex")
});
static NAME_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<name>.*?)\s*[（(](?P<unit>[^（）()]{1,16})[）)]\s*$").expect("valid regex")
});
static UNIT_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:{u})(?:\s*[，,、/]\s*(?:{u}))*$",
        u = UNIT_PATTERN
    ))
    .expect("valid regex")
});
/// A count after a category label ("创新驱动（5项）").
pub(super) static COUNT_SUFFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[（(]\s*(\d{1,2})\s*项\s*[）)]$").expect("valid regex"));
static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"主要指标|指标表|指标体系|主要目标表|发展指标").expect("valid regex")
});

/// Read a header from the start of `cells` (see [`header::read`]).
fn read_header<S: AsRef<str>>(cells: &[S], cfg: Cfg) -> Option<(Header, usize)> {
    header::read(cells, cfg.period_end)
}

/// What the table reader knows about the plan around the table.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Cfg {
    /// The plan's last year, when known (decides what a lone year column is).
    pub period_end: Option<i32>,
}

/// A cell read from text, with its line.
#[derive(Debug, Clone)]
struct TCell {
    text: String,
    line: u32,
}

/// An indicator table found in the text.
#[derive(Debug, Default)]
pub(crate) struct TableFind {
    pub indicators: Vec<Indicator>,
    pub notes: Vec<Note>,
    /// Line indices the table occupies (title excluded).
    pub consumed: Vec<usize>,
    /// Line index of the title line, if any (to find the enclosing 专栏).
    pub title_index: Option<usize>,
    pub diagnostics: Vec<Diagnostic>,
    /// Rows of a review table (the previous plan against its actuals).
    pub review: Vec<ReviewRow>,
    /// Counts the table announces for its categories ("创新驱动（5项）"), with their lines.
    pub announced: Vec<(String, u32, u32)>,
}

/// A label without its outline number ("一、经济发展" → "经济发展", "（二）民生" → "民生").
pub(super) fn strip_numbering(t: &str) -> String {
    static NUM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)])\s*",
        )
        .expect("valid regex")
    });
    NUM.replace(t.trim(), "").to_string()
}

/// A category label without spaces and without its announced count ("创新 驱动（5项）" →
/// "创新驱动", 5).
pub(super) fn category_label(raw: &str) -> (String, Option<u32>) {
    let t = remove_spaces(raw);
    match COUNT_SUFFIX.captures(&t) {
        Some(c) => {
            let n = c.get(0).map(|m| m.start()).unwrap_or(t.len());
            let count = c[1].parse().ok();
            (t[..n].to_string(), count)
        }
        None => (t.into_owned(), None),
    }
}

impl TableFind {
    /// When every category announced its count ("经济发展（6项）") and the counts add up to
    /// the rows read, the rows belong to the categories in that order — whatever line a
    /// converter put a label on.
    pub(super) fn categories_by_count(&mut self) {
        if self.announced.is_empty() {
            return;
        }
        // Top-level rows: a group of sub-rows counts once.
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (k, ind) in self.indicators.iter().enumerate() {
            let same = k > 0 && ind.parent.is_some() && {
                let prev = &self.indicators[k - 1];
                prev.parent == ind.parent && prev.seq == ind.seq
            };
            match groups.last_mut() {
                Some(g) if same => g.push(k),
                _ => groups.push(vec![k]),
            }
        }
        let labels: Vec<String> = self
            .indicators
            .iter()
            .filter_map(|i| i.category.clone())
            .fold(Vec::new(), |mut v, c| {
                if v.last() != Some(&c) {
                    v.push(c);
                }
                v
            });
        let counted: Vec<(String, u32)> = self
            .announced
            .iter()
            .map(|(c, n, _)| (c.clone(), *n))
            .collect();
        let total: u32 = counted.iter().map(|(_, n)| n).sum();
        let same_labels =
            labels.len() == counted.len() && labels.iter().zip(&counted).all(|(a, (b, _))| a == b);
        if total as usize != groups.len() || !same_labels {
            return;
        }
        let mut g = groups.iter();
        for (label, n) in counted {
            for _ in 0..n {
                if let Some(rows) = g.next() {
                    for &k in rows {
                        self.indicators[k].category = Some(label.clone());
                    }
                }
            }
        }
    }

    /// Record a category label, keeping its announced count.
    pub(super) fn category(&mut self, raw: &str, line: u32) -> String {
        let (label, count) = category_label(raw);
        if let Some(n) = count {
            self.announced.push((label.clone(), n, line));
        }
        label
    }
}

fn is_pipe_only(t: &str) -> bool {
    !t.is_empty()
        && t.chars()
            .all(|c| c == '|' || c == '｜' || c.is_whitespace())
}

pub(super) fn is_note(t: &str) -> bool {
    // "注重…" opens a sentence, not a note.
    if t.trim_start().starts_with("注重") {
        return false;
    }
    let t = t.trim_start();
    t.starts_with("注")
        && (t.starts_with("注:")
            || t.starts_with("注：")
            || t.starts_with("注 ")
            || t.starts_with("注释")
            || t.starts_with("注①")
            || t.starts_with("注1"))
        || t.starts_with("备注")
        || t.starts_with("说明：")
        || t.starts_with("说明:")
}

/// Does a line start the notes under a table ("注：…", "备注", "说明：")?
pub(crate) fn starts_note(t: &str) -> bool {
    is_note(t)
}

/// A caption printed as the table's first row (one cell across the table, or the same text
/// in every cell): "专栏2 支柱产业发展重点领域、重点平台". Returns it with its line.
pub(crate) fn caption_row(t: &Table) -> Option<(String, u32)> {
    let first = t.rows.first()?;
    let text = cell_line(&first.cells.first()?.text);
    let same = first.cells.iter().all(|c| cell_line(&c.text) == text);
    if text.is_empty()
        || !same
        || (first.cells.len() == 1 && t.rows.len() == 1 && !text.starts_with("专栏"))
    {
        return None;
    }
    let heading = recognise(&text).is_some_and(|h| h.level == guihua_model::Level::Box)
        || (TITLE.is_match(&text) && char_len(&text) <= 60)
        || (text.starts_with('表') && char_len(&text) <= 60);
    if heading {
        return Some((text, first.line));
    }
    // A one-cell box: its first paragraph is the caption ("专栏1 …\n正文…").
    let para = first
        .cells
        .first()?
        .text
        .split('\n')
        .next()?
        .trim()
        .to_string();
    recognise(&para)
        .is_some_and(|h| h.level == guihua_model::Level::Box)
        .then_some((para, first.line))
}

/// The lines a table that holds no indicators stands for (a box laid out as a table): one
/// line per paragraph of each cell, a row's short leading cells ("01", "汽车") joined to
/// its first paragraph. `skip_first` drops the caption when it was taken apart.
pub(crate) fn table_lines(t: &Table, skip_first: usize) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for (ri, row) in t.rows.iter().enumerate() {
        let mut cells = row.cells.iter().filter(|c| !c.merged_from_above);
        if ri == 0 && skip_first > 0 {
            // The caption may be only the first paragraph of a one-cell box.
            if let Some(c) = cells.next() {
                for p in c
                    .text
                    .split('\n')
                    .skip(1)
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                {
                    out.push((p.to_string(), row.line));
                }
            }
        }
        let mut lead = String::new();
        for c in cells {
            let mut paras = c.text.split('\n').map(str::trim).filter(|p| !p.is_empty());
            if let Some(p) = paras.next() {
                if !lead.is_empty() {
                    lead.push(' ');
                }
                lead.push_str(p);
                if char_len(p) > 12 {
                    out.push((std::mem::take(&mut lead), row.line));
                }
            }
            for p in paras {
                if !lead.is_empty() {
                    out.push((std::mem::take(&mut lead), row.line));
                }
                out.push((p.to_string(), row.line));
            }
        }
        if !lead.is_empty() {
            out.push((lead, row.line));
        }
    }
    out
}

/// Read the notes under a table, from line `start` (a "注：" line): each "注：…" line and
/// each numbered item ("2．…", also after a blank line) is one note, an unnumbered line
/// right after one continues it. Returns the notes and the index of the last line used.
pub(crate) fn read_notes(lines: &[Line], start: usize) -> (Vec<Note>, usize) {
    static ITEM: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[（(]?\d{1,2}\s*[.．、)）]").expect("valid regex"));
    let mut notes: Vec<Note> = Vec::new();
    let mut last = start;
    let mut i = start;
    let mut after_blank = false;
    while i < lines.len() && i < start + 200 {
        let l = &lines[i];
        if l.text.is_empty() {
            after_blank = true;
            i += 1;
            continue;
        }
        if recognise(&l.heading_text).is_some() {
            break;
        }
        let item = ITEM.is_match(&l.text) && char_len(&l.text) < 400;
        if is_note(&l.text) || (item && !notes.is_empty()) {
            notes.push(Note {
                text: l.text.clone(),
                line: l.line,
            });
        } else if !after_blank && !notes.is_empty() && char_len(&l.text) < 400 {
            if let Some(n) = notes.last_mut() {
                n.text.push_str(&l.text);
            }
        } else {
            break;
        }
        after_blank = false;
        last = i;
        i += 1;
    }
    (notes, last)
}

pub(super) fn is_attribute(t: &str) -> Option<Attribute> {
    match remove_spaces(t).as_ref() {
        "预期性" | "预期" => Some(Attribute::Anticipatory),
        "约束性" | "约束" => Some(Attribute::Binding),
        _ => None,
    }
}

/// Find text-layout indicator tables. `lines` are all lines of the document.
///
/// A table is looked for after a caption that announces one (主要指标, 指标表) and at any
/// line that opens a header by itself ("序号", "类别", "指标" alone on a line, or a line
/// whose cells read as a header), so that an uncaptioned table is read too.
pub(crate) fn find_text_tables(lines: &[Line], cfg: Cfg) -> Vec<TableFind> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = &lines[i].text;
        let titled = char_len(t) <= 80 && TITLE.is_match(t) && !t.ends_with('。');
        if titled || opens_header(lines, i, cfg) {
            match read_text_table(lines, i, titled, cfg) {
                Ok(mut f) => {
                    if !titled {
                        f.title_index = caption_above(lines, i);
                    }
                    let last = f.consumed.iter().copied().max().unwrap_or(i);
                    found.push(f);
                    i = last + 1;
                    continue;
                }
                // The lines read held no table; a title among them would read a suffix of
                // the same cells, so go on after them (keeps the search linear).
                Err(last) => {
                    i = last.max(i) + 1;
                    continue;
                }
            }
        }
        i += 1;
    }
    found
}

/// Is the text a table header word (序号, 指标, 2025年, 属性…)?
pub(crate) fn is_header_word(t: &str) -> bool {
    header::classify(t).is_some()
}

/// Header words a table's first header cell is (on a line of its own).
fn first_header_word(t: &str) -> bool {
    matches!(
        remove_spaces(t).as_ref(),
        "类别" | "分类" | "领域" | "序号" | "指标" | "指标名称" | "类型" | "维度"
    )
}

/// Does line `i` open a table header without a caption above it?
fn opens_header(lines: &[Line], i: usize, cfg: Cfg) -> bool {
    let t = &lines[i].text;
    // Cheap first: a short line that holds a first header word at all.
    if t.is_empty()
        || t.len() > 360
        || !["类", "序", "指", "分", "领", "维"]
            .iter()
            .any(|w| t.starts_with(w))
    {
        return false;
    }
    if first_header_word(t) {
        let cells: Vec<&str> = lines[i..]
            .iter()
            .take(40)
            .map(|l| l.text.as_str())
            .filter(|t| !t.is_empty())
            .take(14)
            .collect();
        return read_header(&cells, cfg).is_some();
    }
    let raw = lines[i].raw_clean();
    let cells = split_row_line(&raw);
    cells.len() >= 3 && first_header_word(&cells[0]) && read_header(&cells, cfg).is_some()
}

/// The caption of a table found by its header: a short line naming it just above.
fn caption_above(lines: &[Line], at: usize) -> Option<usize> {
    (at.saturating_sub(8)..at)
        .rev()
        .filter(|&k| !lines[k].text.is_empty())
        .take(4)
        .find(|&k| {
            let t = &lines[k].text;
            char_len(t) <= 60 && (TITLE.is_match(t) || t.starts_with("专栏") || t.starts_with('表'))
        })
}

/// A Markdown cell without its emphasis marks ("**经济发展**").
fn unemphasize(t: &str) -> String {
    let t = t.trim();
    for m in ["**", "__"] {
        if let Some(inner) = t.strip_prefix(m).and_then(|x| x.strip_suffix(m)) {
            return inner.trim().to_string();
        }
    }
    t.to_string()
}

/// Cells of a row line: `|`-separated, TAB-separated, or separated by runs of spaces.
fn split_row_line(raw: &str) -> Vec<String> {
    static SPLIT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\t+| {2,}|\u{3000}+").expect("valid regex"));
    let t = raw.trim();
    if t.starts_with('|') || t.ends_with('|') {
        t.trim_matches('|')
            .split('|')
            .map(|c| unemphasize(c.trim()))
            .collect()
    } else if raw.contains('\t') {
        raw.trim_end()
            .trim_start_matches(' ')
            .split('\t')
            .map(|c| c.trim().to_string())
            .collect()
    } else {
        header::merge_spaced(SPLIT.split(t).map(|c| c.trim().to_string()).collect())
    }
}

/// A table laid out by position (cells under their columns), when the lines say so.
fn aligned_table(lines: &[Line], j: usize, cfg: Cfg) -> Option<(Rows, Vec<usize>, Vec<Note>)> {
    let raws: Vec<String> = lines[j..]
        .iter()
        .take(12)
        .filter(|l| !l.text.is_empty())
        .map(|l| crate::text::strip_bookmarks(&l.raw).trim_end().to_string())
        .collect();
    if !aligned::is_aligned(&raws) {
        return None;
    }
    aligned::read(lines, j, cfg)
}

/// The longest a table may run, in lines (real main indicator tables take a few hundred).
const MAX_TABLE_LINES: usize = 5_000;

/// Read the table whose title (or, without `titled`, header) is at `at`; `Err` with the
/// last line index read when the lines there are not an indicator table.
fn read_text_table(lines: &[Line], at: usize, titled: bool, cfg: Cfg) -> Result<TableFind, usize> {
    let start = if titled { at + 1 } else { at };
    let lines = &lines[..(start + MAX_TABLE_LINES).min(lines.len())];
    // The first content line decides the layout; a caption in pieces ("专栏" / "1" /
    // title) may stand between the title and the header.
    let mut j = start;
    let mut seen = 0;
    while j < lines.len() && seen < 6 {
        if lines[j].raw.trim().is_empty() {
            j += 1;
            continue;
        }
        let raw = lines[j].raw_clean();
        if raw.starts_with('\t')
            || raw.trim_end().ends_with(['|', '｜'])
            || is_pipe_only(raw.trim())
        {
            break;
        }
        if header::classify(&lines[j].text).is_some() || split_row_line(&raw).len() >= 3 {
            break;
        }
        seen += 1;
        j += 1;
    }
    let Some(first) = lines.get(j) else {
        return Err(at);
    };
    let raw = first.raw_clean();
    let layout_tab = raw.starts_with('\t');
    let pipe = (start..(j + 6).min(lines.len())).any(|k| {
        let r = lines[k].raw.trim_end();
        r.ends_with('|') || r.ends_with('｜')
    });
    let single_cell = header::classify(&first.text).is_some() && split_row_line(&raw).len() < 3;
    let mut find = TableFind {
        title_index: titled.then_some(at),
        ..Default::default()
    };
    if !layout_tab && !pipe && single_cell {
        // One cell per line: blank lines between the header cells mean that blank lines
        // separate cells (and consecutive lines continue one).
        let gapped = lines[j + 1..]
            .iter()
            .take(3)
            .next()
            .is_some_and(|l| l.raw.trim().is_empty());
        let (frags, notes, last) = stream::fragments(lines, j, gapped, MAX_TABLE_LINES);
        find.consumed = (start..=last).collect();
        find.notes = notes;
        if stream::interpret(&frags, cfg, &mut find).is_none()
            || find.indicators.is_empty() && find.review.is_empty()
        {
            return Err(last.max(j));
        }
        find.categories_by_count();
        return Ok(find);
    }
    let (cells_or_rows, consumed) = if layout_tab {
        read_tab_rows(lines, start)
    } else if pipe && !looks_like_row_line(&raw) {
        let (cells, consumed) = read_pipe_cells(lines, start);
        (Rows::Stream(cells), consumed)
    } else if let Some((rows, consumed, notes)) = rowlines::read(lines, j, cfg) {
        find.notes = notes;
        (rows, consumed)
    } else if let Some((rows, consumed, notes)) = aligned_table(lines, j, cfg) {
        find.notes = notes;
        (rows, consumed)
    } else {
        read_row_lines(lines, start)
    };
    find.consumed = consumed;
    interpret_text(&cells_or_rows, &mut find, cfg);
    if find.indicators.is_empty() && find.review.is_empty() {
        return Err(find.consumed.iter().copied().max().unwrap_or(at));
    }
    find.categories_by_count();
    Ok(find)
}

enum Rows {
    /// Cells without reliable row boundaries.
    Stream(Vec<TCell>),
    /// Rows of cells (empty cells kept).
    Rows(Vec<Vec<TCell>>),
}

fn looks_like_row_line(raw: &str) -> bool {
    let t = raw.trim();
    t.starts_with('|')
        && t.matches('|').count() >= 4
        && t.chars().any(|c| !matches!(c, '|' | ' ' | '-' | ':'))
}

fn ends_table(l: &Line) -> bool {
    recognise(&l.heading_text).is_some()
}

/// Pipe layouts: a line ending in `|` closes a cell (its text before the pipe, joined to any
/// pending unterminated lines); a line of pipes alone closes a pending cell or separates.
fn read_pipe_cells(lines: &[Line], start: usize) -> (Vec<TCell>, Vec<usize>) {
    let mut cells = Vec::new();
    let mut consumed = Vec::new();
    let mut pending: Option<TCell> = None;
    let mut after_note = false;
    let mut i = start;
    while i < lines.len() {
        let l = &lines[i];
        let raw = l.raw_clean();
        let t = raw.trim();
        if t.is_empty() {
            consumed.push(i);
            i += 1;
            continue;
        }
        if ends_table(l) && pending.is_none() {
            break;
        }
        if is_pipe_only(t) {
            if let Some(p) = pending.take() {
                cells.push(p);
            }
            consumed.push(i);
            i += 1;
            continue;
        }
        if after_note && !is_note(t) && !t.ends_with('|') {
            break;
        }
        let closes = t.ends_with('|') || t.ends_with('｜');
        let content = t.trim_end_matches(['|', '｜']).trim();
        if !closes
            && pending.is_none()
            && char_len(content) > 60
            && !is_note(content)
            && !cells.is_empty()
        {
            break; // prose after the table
        }
        let merged = match pending.take() {
            Some(mut p) => {
                if !p.text.is_empty() && !content.is_empty() {
                    p.text.push(' ');
                }
                p.text.push_str(content);
                p
            }
            None => TCell {
                text: content.to_string(),
                line: l.line,
            },
        };
        if is_note(&merged.text) {
            after_note = true;
        }
        if closes {
            cells.push(merged);
        } else {
            pending = Some(merged);
        }
        consumed.push(i);
        i += 1;
    }
    if let Some(p) = pending {
        cells.push(p);
    }
    (cells, consumed)
}

/// Tab layout: TAB-indented cell lines, blank lines between rows, unindented continuation.
fn read_tab_rows(lines: &[Line], start: usize) -> (Rows, Vec<usize>) {
    let mut rows: Vec<Vec<TCell>> = Vec::new();
    let mut row: Vec<TCell> = Vec::new();
    let mut consumed = Vec::new();
    let mut i = start;
    while i < lines.len() {
        let l = &lines[i];
        let raw = l.raw_clean();
        // A line holding only a TAB is an empty cell; only a truly empty line ends a row.
        if raw.trim_matches(' ').is_empty() {
            if !row.is_empty() {
                rows.push(std::mem::take(&mut row));
            }
            consumed.push(i);
            i += 1;
            continue;
        }
        if let Some(rest) = raw.strip_prefix('\t') {
            if ends_table(l) && !row.is_empty() {
                break;
            }
            for part in rest.split('\t') {
                row.push(TCell {
                    text: part.trim().to_string(),
                    line: l.line,
                });
            }
            consumed.push(i);
            i += 1;
            continue;
        }
        // Unindented: a continuation of the last cell ("\t经济" / "发展") or the end.
        let t = raw.trim();
        if let Some(last) = row.last_mut() {
            if char_len(t) <= 12 && !ends_table(l) && !last.text.is_empty() {
                last.text.push_str(t);
                consumed.push(i);
                i += 1;
                continue;
            }
        }
        break;
    }
    if !row.is_empty() {
        rows.push(row);
    }
    // Trailing blank lines are not the table's.
    while let Some(&last) = consumed.last() {
        if lines[last].raw.trim_matches([' ', '\r']).is_empty() {
            consumed.pop();
        } else {
            break;
        }
    }
    (Rows::Rows(rows), consumed)
}

/// One row per line: Markdown `| a | b |`, or cells separated by TABs / 2+ spaces.
fn read_row_lines(lines: &[Line], start: usize) -> (Rows, Vec<usize>) {
    static SPLIT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\t+| {2,}|\u{3000}+").expect("valid regex"));
    let mut rows = Vec::new();
    let mut consumed = Vec::new();
    let mut i = start;
    let mut misses = 0;
    while i < lines.len() {
        let l = &lines[i];
        let raw = l.raw_clean();
        let t = raw.trim();
        if t.is_empty() {
            consumed.push(i);
            i += 1;
            continue;
        }
        if ends_table(l) {
            break;
        }
        let cells: Vec<String> = if t.starts_with('|') || t.ends_with('|') {
            let inner = t.trim_matches('|');
            if inner.chars().all(|c| matches!(c, '-' | ':' | '|' | ' ')) {
                consumed.push(i);
                i += 1;
                continue; // Markdown separator row
            }
            inner.split('|').map(|c| unemphasize(c.trim())).collect()
        } else if raw.contains('\t') {
            // TAB-separated: every TAB is a cell boundary, so empty cells keep their place.
            raw.trim_end()
                .trim_start_matches(' ')
                .split('\t')
                .map(|c| c.trim().to_string())
                .collect()
        } else {
            SPLIT.split(t).map(|c| c.trim().to_string()).collect()
        };
        if cells.len() < 3 {
            if is_note(t) {
                rows.push(vec![TCell {
                    text: t.to_string(),
                    line: l.line,
                }]);
                consumed.push(i);
                i += 1;
                continue;
            }
            misses += 1;
            if misses > 0 {
                break;
            }
        }
        rows.push(
            cells
                .into_iter()
                .map(|text| TCell { text, line: l.line })
                .collect(),
        );
        consumed.push(i);
        i += 1;
    }
    (Rows::Rows(rows), consumed)
}

/// A row after column assignment, before quantities are read.
#[derive(Debug, Clone, Default)]
pub(super) struct Logical {
    pub category: Option<String>,
    pub seq: Option<String>,
    pub name: String,
    pub parent: Option<String>,
    pub unit: Option<String>,
    pub base: String,
    pub target: String,
    pub pace: String,
    /// What was achieved (review tables).
    pub actual: String,
    /// A stated status (review tables).
    pub status: String,
    /// The 2025 and 年均/累计 cells are one merged cell.
    pub merged: bool,
    pub attribute: Option<String>,
    pub line: u32,
}

/// Interpretation state carried from row to row.
#[derive(Default)]
struct State {
    header: Option<Header>,
    category: Option<String>,
    last_seq: Option<u32>,
    /// The attribute of the current group's first sub-row (a merged cell below it).
    group_attr: Option<String>,
    /// (parent name, parent seq, units listed in the parent's name, sub-rows so far)
    group: Option<(String, Option<String>, Vec<String>, usize)>,
}

fn interpret_text(rows: &Rows, find: &mut TableFind, cfg: Cfg) {
    let mut st = State::default();
    match rows {
        Rows::Rows(rows) => {
            for r in rows {
                let texts: Vec<&str> = r.iter().map(|c| c.text.as_str()).collect();
                if let Some((h, _)) = read_header(&texts, cfg) {
                    if st.header.is_none() {
                        st.header = Some(h);
                    }
                    continue;
                }
                // A row holding only a category label ("一、经济发展（5项）") heads the rows
                // below it.
                let filled: Vec<&TCell> = r.iter().filter(|c| !c.text.trim().is_empty()).collect();
                if st.header.is_some() && filled.len() == 1 && r.len() > 2 {
                    let label = strip_numbering(&filled[0].text);
                    if stream::category_like(&label) {
                        st.category = Some(find.category(&label, filled[0].line));
                        continue;
                    }
                }
                if r.len() == 1
                    || (r.iter().filter(|c| !c.text.is_empty()).count() == 1
                        && is_note(
                            r.iter()
                                .find(|c| !c.text.is_empty())
                                .map(|c| c.text.as_str())
                                .unwrap_or(""),
                        ))
                {
                    if let Some(c) = r.iter().find(|c| !c.text.is_empty()) {
                        if is_note(&c.text) {
                            find.notes.push(Note {
                                text: c.text.clone(),
                                line: c.line,
                            });
                            continue;
                        }
                    }
                }
                if st.header.is_none() {
                    continue;
                }
                interpret_row(r, &mut st, find);
            }
        }
        Rows::Stream(cells) => {
            let mut k = 0;
            let mut row: Vec<TCell> = Vec::new();
            while k < cells.len() {
                // A header (first, or repeated).
                if row.is_empty() {
                    let texts: Vec<&str> = cells[k..]
                        .iter()
                        .take(12)
                        .map(|c| c.text.as_str())
                        .collect();
                    if let Some((h, n)) = read_header(&texts, cfg) {
                        if st.header.is_none() {
                            st.header = Some(h);
                        }
                        k += n;
                        continue;
                    }
                }
                let c = &cells[k];
                if is_note(&c.text) {
                    find.notes.push(Note {
                        text: c.text.clone(),
                        line: c.line,
                    });
                    k += 1;
                    continue;
                }
                if st.header.is_none() {
                    k += 1;
                    continue;
                }
                row.push(c.clone());
                let has_attr = st
                    .header
                    .as_ref()
                    .is_some_and(|h| h.roles.last() == Some(&Role::Attribute));
                let ends = if has_attr {
                    is_attribute(&c.text).is_some()
                } else {
                    let width = st.header.as_ref().map(|h| h.roles.len()).unwrap_or(0);
                    row.len() >= width
                };
                if ends {
                    interpret_row(&row, &mut st, find);
                    row.clear();
                }
                k += 1;
            }
            if !row.is_empty() {
                let line = row[0].line;
                find.diagnostics.push(Diagnostic::warning(
                    "table-row-unreadable",
                    Some(line),
                    format!(
                        "indicator table: row at line {line} is incomplete ({} cells: {})",
                        row.len(),
                        row.iter()
                            .map(|c| c.text.as_str())
                            .collect::<Vec<_>>()
                            .join(" | ")
                    ),
                ));
            }
        }
    }
}

/// Does a cell look like a value (number, placeholder, bracket, comparator, delegated or
/// relative wording) rather than a name?
pub(super) fn value_like(t: &str) -> bool {
    let t = t.trim();
    if is_placeholder(t) {
        return true;
    }
    // "PM2.5平均浓度（微克/立方米）", "每万人拥有5G基站数（个）": a name with its unit.
    if !split_name_unit(t).1.is_empty() && t.chars().any(crate::text::is_han) {
        return false;
    }
    let first = t.chars().next().unwrap_or(' ');
    if first.is_ascii_digit()
        || ('０'..='９').contains(&first)
        || matches!(
            first,
            '>' | '<'
                | '≥'
                | '≤'
                | '＞'
                | '＜'
                | '〔'
                | '﹝'
                | '['
                | '［'
                | '【'
                | '+'
                | '-'
                | '−'
                | '约'
        )
    {
        return true;
    }
    const WORDS: [&str; 16] = [
        "控制",
        "高于",
        "低于",
        "同步",
        "下达",
        "保持",
        "不低于",
        "力争",
        "稳定",
        "达到",
        "提高",
        "以上",
        "以内",
        "左右",
        "翻",
        "视情",
    ];
    WORDS.iter().any(|w| t.contains(w))
}

/// A cell in the name column that is a value, not a name: a placeholder, a number with
/// little else ("5左右", "≥95"), a delegation or relation. A name may contain words values
/// use ("规模以上工业增加值增长", "3岁以下婴幼儿入托率").
fn reads_as_value(t: &str) -> bool {
    let t = t.trim();
    if is_placeholder(t) || delegated(t).is_some() || relative(t).is_some() {
        return true;
    }
    let han = t.chars().filter(|c| crate::text::is_han(*c)).count();
    value_like(t)
        && crate::quantity::number_at(&crate::quantity::normalize(t), 0).is_some()
        && han < 4
        || value_like(t) && han < 2
}

pub(super) fn seq_number(t: &str) -> Option<u32> {
    let t = t.trim().trim_end_matches(['.', '．', '、']);
    if !t.is_empty() && t.len() <= 3 && t.chars().all(|c| c.is_ascii_digit()) {
        t.parse().ok()
    } else {
        None
    }
}

fn interpret_row(row: &[TCell], st: &mut State, find: &mut TableFind) {
    let Some(header) = st.header.clone() else {
        return;
    };
    let roles = &header.roles;
    let has_cat = roles.contains(&Role::Category);
    let has_seq = roles.contains(&Role::Seq);
    let has_unit = roles.contains(&Role::Unit);
    let value_roles: Vec<Role> = roles
        .iter()
        .copied()
        .filter(|r| {
            matches!(
                r,
                Role::Base
                    | Role::Target
                    | Role::Pace
                    | Role::Actual
                    | Role::Status
                    | Role::Other
                    | Role::Remark
            )
        })
        .collect();
    let k = value_roles.len();
    let line = row
        .iter()
        .find(|c| !c.text.is_empty())
        .map(|c| c.line)
        .unwrap_or(0);

    // A full row (one cell per header column, empty ones included) maps by position:
    // whatever the column order (序号 before 类别, a 单位 column), a cell is what its
    // column says. Shorter rows (merged cells, category or name left to the row above)
    // and longer ones (sub-row names) go through the inference below.
    let single_name = roles.iter().filter(|r| **r == Role::Name).count() == 1;
    if row.len() == roles.len() + 1 && single_name && sub_row(row, roles, st, find, line) {
        return;
    }
    if row.len() == roles.len() && single_name {
        if let Some(lr) = positional(row, roles, st, find, line) {
            push_indicator(lr, &header, find);
            return;
        }
    }
    let mut cells: Vec<&TCell> = row.iter().collect();
    // Attribute at the end.
    let mut attribute = None;
    if roles.last() == Some(&Role::Attribute) {
        if let Some(last) = cells.last() {
            if is_attribute(&last.text).is_some() || last.text.is_empty() {
                attribute = Some(last.text.clone()).filter(|s| !s.is_empty());
                cells.pop();
            }
        }
    }
    // Leading empty cells: category / name not repeated on this row.
    let mut lead = 0;
    while lead < cells.len() && cells[lead].text.is_empty() {
        lead += 1;
    }
    let rest: Vec<&TCell> = cells[lead..].to_vec();
    if rest.is_empty() {
        return;
    }
    let mut pos = 0;
    let mut category = None;
    let mut seq: Option<String> = None;
    // Category: text before the seq cell / before a prefixed or non-value name cell.
    if has_cat && lead == 0 {
        let first = &rest[0].text;
        let is_cat = if has_seq {
            seq_number(first).is_none()
                && rest.get(1).is_some_and(|c| seq_number(&c.text).is_some())
        } else {
            SEQ_PREFIX.captures(first).is_none()
                && rest
                    .get(1)
                    .is_some_and(|c| !value_like(&c.text) || SEQ_PREFIX.is_match(&c.text))
                && rest.len() > k + usize::from(has_unit)
        };
        if is_cat {
            category = Some(find.category(first, line));
            pos = 1;
        }
    }
    if has_seq {
        if let Some(c) = rest.get(pos) {
            if seq_number(&c.text).is_some() {
                seq = Some(
                    c.text
                        .trim()
                        .trim_end_matches(['.', '．', '、'])
                        .to_string(),
                );
                pos += 1;
            }
        }
    }
    let Some(name_cell) = rest.get(pos) else {
        return;
    };
    pos += 1;
    let mut name = name_cell.text.trim().to_string();
    if let Some(c) = SEQ_PREFIX.captures(&name) {
        if seq.is_none() {
            seq = c.name("n").or(c.name("m")).map(|m| m.as_str().to_string());
        }
        name = c["rest"].trim().to_string();
    }
    let mut unit_cell = None;
    if has_unit {
        if let Some(c) = rest.get(pos) {
            unit_cell =
                Some(c.text.trim().to_string()).filter(|s| !s.is_empty() && !is_placeholder(s));
            pos += 1;
        }
    }
    let mut values: Vec<&TCell> = rest[pos..].to_vec();

    // Sub-rows: an extra name cell after the name (指标 7 城镇就业 › 城镇新增就业人数), or a
    // row without a sequence number inside a group.
    let mut parent = None;
    if values.len() == k + 1 && !value_like(&values[0].text) {
        let (parent_name, units) = split_name_unit(&name);
        st.group = Some((parent_name.clone(), seq.clone(), units, 0));
        parent = Some(parent_name);
        name = values[0].text.trim().to_string();
        values.remove(0);
    } else if seq.is_none() && st.group.is_some() {
        if let Some((p, s, _, _)) = &st.group {
            parent = Some(p.clone());
            seq = s.clone();
        }
    } else {
        st.group = None;
    }

    // Sequence check (top-level rows only).
    if parent.is_none() || st.group.as_ref().is_some_and(|g| g.3 == 0) {
        if let Some(n) = seq.as_deref().and_then(|s| s.parse::<u32>().ok()) {
            if let Some(prev) = st.last_seq {
                if n != prev + 1 && n != prev {
                    find.diagnostics.push(Diagnostic::warning(
                        "indicator-misnumbered",
                        Some(line),
                        format!(
                            "indicator table: row numbered {n} follows row {prev} (expected {}): {name}",
                            prev + 1
                        ),
                    ));
                }
                st.last_seq = Some(prev + 1);
            } else {
                st.last_seq = Some(n);
            }
        }
    }

    // Unit from the name ("地区生产总值增长(%)"); a group lists one unit per sub-row.
    let (clean_name, units) = split_name_unit(&name);
    let mut unit = unit_cell.or_else(|| units.first().cloned());
    if parent.is_some() {
        if let Some((_, _, group_units, idx)) = st.group.as_mut() {
            if unit.is_none() {
                unit = group_units.get(*idx).or(group_units.first()).cloned();
            }
            *idx += 1;
        }
    }

    if let Some(c) = category.clone() {
        st.category = Some(c);
    }
    let mut lr = Logical {
        category: st.category.clone(),
        seq,
        name: clean_name,
        parent,
        unit,
        attribute,
        line,
        ..Default::default()
    };
    let texts: Vec<String> = values.iter().map(|c| c.text.trim().to_string()).collect();
    let core: Vec<Role> = value_roles
        .iter()
        .copied()
        .filter(|r| matches!(r, Role::Base | Role::Target | Role::Pace))
        .collect();
    if texts.len() == k {
        for (r, t) in value_roles.iter().zip(texts) {
            assign(&mut lr, *r, t);
        }
    } else if texts.len() + 1 == k && core.len() == 3 && texts.len() >= 2 {
        // The 2025 and 年均/累计 cells are merged: the merged cell states both.
        lr.base = texts[0].clone();
        lr.target = texts[1].clone();
        lr.pace = texts[1].clone();
        lr.merged = true;
    } else {
        find.diagnostics.push(Diagnostic::warning(
            "table-row-unreadable",
            Some(line),
            format!(
                "indicator table: row '{}' has {} value cells where the header has {k}",
                lr.name,
                texts.len()
            ),
        ));
        for (r, t) in value_roles.iter().zip(texts) {
            assign(&mut lr, *r, t);
        }
    }
    push_indicator(lr, &header, find);
}

/// A full row with one cell more than the header, right after the name: a sub-row
/// ("每千人口拥有医护人员数 | 执业（助理）医师数（人） | …"), or a further sub-row with the
/// parent's cells left empty. Returns false when the extra cell is not a name.
fn sub_row(row: &[TCell], roles: &[Role], st: &mut State, find: &mut TableFind, line: u32) -> bool {
    let Some(np) = roles.iter().position(|r| *r == Role::Name) else {
        return false;
    };
    let sub = row[np + 1].text.trim();
    if sub.is_empty() || value_like(sub) || is_attribute(sub).is_some() {
        return false;
    }
    let own = row[np].text.trim();
    // The parent: this row's name cell ("7.城镇就业（万人次，%）": number and units ride on
    // it), or the group's when the cell is left empty.
    let (parent, prefix_seq, units) = if own.is_empty() {
        match &st.group {
            Some((p, s, u, _)) => (p.clone(), s.clone(), u.clone()),
            None => return false,
        }
    } else {
        let mut p = own.to_string();
        let mut seq = None;
        if let Some(c) = SEQ_PREFIX.captures(own) {
            seq = c.name("n").or(c.name("m")).map(|m| m.as_str().to_string());
            p = c["rest"].trim().to_string();
        }
        let (name, units) = split_name_unit(&p);
        (name, seq, units)
    };
    let Some(header) = st.header.clone() else {
        return false;
    };
    let mut cells: Vec<TCell> = row.to_vec();
    cells.remove(np);
    let new_group = !own.is_empty();
    let index = if new_group {
        0
    } else {
        st.group.as_ref().map(|g| g.3).unwrap_or(0)
    };
    let last_seq = st.last_seq;
    let Some(mut lr) = positional(&cells, roles, st, find, line) else {
        return false;
    };
    if lr.seq.is_none() {
        lr.seq = prefix_seq.clone();
        // A sub-row carries its group's number; count it once.
        if !new_group {
            st.last_seq = last_seq;
        } else if let Some(n) = prefix_seq.as_deref().and_then(|s| s.parse::<u32>().ok()) {
            st.last_seq = Some(n);
        }
    }
    if lr.unit.is_none() || lr.unit.as_deref() == Some(lr.name.as_str()) {
        lr.unit = units.get(index).or(units.first()).cloned();
    }
    if new_group {
        st.group_attr = lr.attribute.clone();
    } else if lr.attribute.is_none() {
        lr.attribute = st.group_attr.clone();
    }
    st.group = Some((parent.clone(), lr.seq.clone(), units, index + 1));
    lr.parent = Some(parent);
    push_indicator(lr, &header, find);
    true
}

/// Map a full row by column role; `None` when it has no name of its own (a sub-row, left to
/// the inference).
fn positional(
    row: &[TCell],
    roles: &[Role],
    st: &mut State,
    find: &mut TableFind,
    line: u32,
) -> Option<Logical> {
    let cell = |r: Role| -> Option<&str> {
        roles
            .iter()
            .position(|x| *x == r)
            .map(|i| row[i].text.trim())
    };
    let raw_name = cell(Role::Name).filter(|n| !n.is_empty())?;
    if reads_as_value(raw_name) && split_name_unit(raw_name).1.is_empty() {
        return None;
    }
    let mut seq = cell(Role::Seq)
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_end_matches(['.', '．', '、']).to_string());
    let mut name = raw_name.to_string();
    if let Some(c) = SEQ_PREFIX.captures(raw_name) {
        if seq.is_none() {
            seq = c.name("n").or(c.name("m")).map(|m| m.as_str().to_string());
        }
        name = c["rest"].trim().to_string();
    }
    if let Some(c) = cell(Role::Category).filter(|c| !c.is_empty()) {
        st.category = Some(find.category(c, line));
    }
    st.group = None;
    if let Some(n) = seq.as_deref().and_then(|s| s.parse::<u32>().ok()) {
        if let Some(prev) = st.last_seq {
            if n != prev + 1 && n != prev {
                find.diagnostics.push(Diagnostic::warning(
                    "indicator-misnumbered",
                    Some(line),
                    format!(
                        "indicator table: row numbered {n} follows row {prev} (expected {}): {name}",
                        prev + 1
                    ),
                ));
            }
            st.last_seq = Some(prev + 1);
        } else {
            st.last_seq = Some(n);
        }
    }
    let (clean_name, units) = split_name_unit(&name);
    let unit = cell(Role::Unit)
        .filter(|u| !u.is_empty() && !is_placeholder(u))
        .map(str::to_string)
        .or_else(|| units.first().cloned());
    Some(Logical {
        category: st.category.clone(),
        seq,
        name: clean_name,
        parent: None,
        unit,
        base: cell(Role::Base).unwrap_or("").to_string(),
        target: cell(Role::Target).unwrap_or("").to_string(),
        pace: cell(Role::Pace).unwrap_or("").to_string(),
        actual: cell(Role::Actual).unwrap_or("").to_string(),
        status: cell(Role::Status).unwrap_or("").to_string(),
        merged: false,
        attribute: cell(Role::Attribute)
            .filter(|a| !a.is_empty())
            .map(str::to_string),
        line,
    })
}

fn assign(lr: &mut Logical, role: Role, t: String) {
    match role {
        Role::Base => lr.base = t,
        Role::Target => lr.target = t,
        Role::Pace => lr.pace = t,
        Role::Actual => lr.actual = t,
        Role::Status => lr.status = t,
        _ => {}
    }
}

/// "城镇就业（万人次，%）" → ("城镇就业", ["万人次", "%"]); a parenthesis that is not a unit
/// ("(R&D)") stays in the name.
pub(crate) fn split_name_unit(name: &str) -> (String, Vec<String>) {
    let name = name.trim();
    if let Some(c) = NAME_UNIT.captures(name) {
        let unit = c["unit"].trim();
        if UNIT_LIST.is_match(unit) {
            let units = unit
                .split(['，', ',', '、'])
                .map(|u| u.trim().to_string())
                .filter(|u| !u.is_empty())
                .collect();
            return (c["name"].trim().to_string(), units);
        }
    }
    (name.to_string(), Vec::new())
}

/// Does the row measure a rate or ratio that is held (城镇调查失业率, 森林覆盖率, 比重),
/// rather than a quantity that grows or flows (地区生产总值增长, 新增就业)?
fn held_rate(name: &str, unit: Option<&str>) -> bool {
    const CHANGE: [&str; 13] = [
        "增长",
        "增速",
        "增幅",
        "涨幅",
        "降低",
        "下降",
        "减少",
        "提高",
        "新增",
        "累计",
        "增加",
        "下降率",
        "降幅",
    ];
    if CHANGE.iter().any(|w| name.contains(w)) {
        return false;
    }
    let ratio_name = [
        "率",
        "比重",
        "占比",
        "比例",
        "比值",
        "系数",
        "指数",
        "覆盖率",
        "浓度",
    ]
    .iter()
    .any(|w| name.ends_with(w));
    match unit.map(str::trim) {
        Some("%" | "‰" | "％") => true,
        Some(u) if !u.is_empty() => ratio_name && u.contains('/') && !u.contains('元'),
        _ => ratio_name,
    }
}

/// A cell written as a bare number (with comparator): no words that say what it is.
fn plain_number(text: &str) -> bool {
    !text.contains([
        '增', '降', '减', '长', '累', '新', '提', '〔', '［', '[', '﹝', '【',
    ])
}

/// The kind of a plain number follows the column and what the row measures: in 年均/累计 a
/// growth rate for quantities that grow or flow, but a level held in every year for rates
/// and ratios that are held ("城镇调查失业率 ＜5.5"); in the base or target column a level,
/// but an average annual rate when the row is named as one ("地区生产总值年均增长 5以上").
fn by_row(q: &mut Quantity, column: Column, name: &str, unit: Option<&str>) {
    if !plain_number(&q.text) || q.value.is_none() {
        return;
    }
    match (column, q.kind) {
        (Column::Pace, QuantityKind::Growth) if held_rate(name, unit) => {
            q.kind = QuantityKind::Level;
            q.held = true;
            q.unit = unit.map(str::to_string).or(q.unit.take());
        }
        (Column::Base | Column::Target, QuantityKind::Level)
            if name.contains("年均") && q.unit.as_deref().is_none_or(|u| u == "%") =>
        {
            q.kind = QuantityKind::Growth;
            q.unit = Some("%".to_string());
        }
        _ => {}
    }
}

pub(super) fn push_indicator(lr: Logical, header: &Header, find: &mut TableFind) {
    let unit = lr.unit.as_deref();
    let mut base = parse_cell(&lr.base, Column::Base, unit, header.base_year);
    by_row(&mut base, Column::Base, &lr.name, unit);
    let mut target = parse_cell(&lr.target, Column::Target, unit, header.target_year);
    by_row(&mut target, Column::Target, &lr.name, unit);
    let pace = if lr.merged {
        // One merged cell states both the 2025 value and the pace: the same quantity.
        Quantity {
            year: None,
            ..target.clone()
        }
    } else {
        let mut p = parse_cell(&lr.pace, Column::Pace, unit, None);
        by_row(&mut p, Column::Pace, &lr.name, unit);
        p
    };
    let attribute = lr.attribute.as_deref().and_then(is_attribute);
    // A mark after the name ("海洋生产总值*") points to a note under the table.
    let name = lr
        .name
        .trim_end_matches(['*', '∗', '※', '＊', '✱'])
        .trim_end()
        .to_string();
    if name.is_empty() {
        return;
    }
    let indicator = Indicator {
        id: String::new(),
        seq: lr.seq,
        category: lr.category,
        name,
        unit: lr.unit,
        attribute,
        base,
        target,
        pace,
        parent: lr.parent,
        box_id: None,
        line: lr.line,
    };
    if header.is_review() {
        let actual = parse_cell(
            &lr.actual,
            Column::Target,
            indicator.unit.as_deref(),
            header.target_year,
        );
        // A status column, or the status words the actual states ("超额完成", "未完成").
        const WORDS: [&str; 5] = ["超额完成", "基本完成", "未完成", "完成", "达到"];
        let status = Some(lr.status.trim().to_string())
            .filter(|s| !s.is_empty())
            .or_else(|| {
                WORDS
                    .iter()
                    .find(|w| lr.actual.contains(*w) && !lr.actual.contains("下达"))
                    .map(|w| w.to_string())
            });
        find.review.push(ReviewRow {
            indicator,
            actual,
            status,
        });
    } else {
        find.indicators.push(indicator);
    }
}

/// The text of a real table's cell as one line: its paragraphs joined (no space between
/// Chinese characters, one between Latin words or numbers).
pub(crate) fn cell_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in text.split('\n').map(str::trim).filter(|p| !p.is_empty()) {
        if out.ends_with(|c: char| c.is_ascii_alphanumeric())
            && piece.starts_with(|c: char| c.is_ascii_alphanumeric())
        {
            out.push(' ');
        }
        out.push_str(piece);
    }
    out
}

/// Read a real (Word/HTML) table as an indicator table, if its header says it is one.
///
/// The header may take two rows (a spanning "“十五五”目标" over "2030年" and "年均［累计］";
/// the cells it spans are repeated in the grid); its columns are the distinct header
/// cells, each covering a range of grid columns. A data row's cells go to the column their
/// first grid position falls in; two cells under one 指标 column (spanning "指标" over a
/// group name and a sub-row name) are the parent and the sub-row name.
pub(crate) fn read_real_table(table: &Table, cfg: Cfg) -> Option<TableFind> {
    // Expand rows to grid positions: (row cell index, cell) per grid column.
    let grid: Vec<Vec<(usize, &Cell)>> = table
        .rows
        .iter()
        .map(|r| {
            let mut v = Vec::new();
            for (k, c) in r.cells.iter().enumerate() {
                let span = usize::from(c.col_span.clamp(1, 64));
                for _ in 0..span {
                    v.push((k, c));
                }
            }
            v
        })
        .collect();
    let texts_of =
        |ri: usize| -> Vec<String> { grid[ri].iter().map(|(_, c)| cell_line(&c.text)).collect() };
    let full_header = |texts: &[String]| {
        read_header(texts, cfg)
            .filter(|(_, n)| *n == texts.len())
            .map(|(h, _)| h)
    };
    // Header row(s): the first row that reads as a header, merged with the next when that
    // one names sub-columns.
    let mut header_at = None;
    for ri in 0..grid.len().min(6) {
        let top = texts_of(ri);
        if full_header(&top).is_none() {
            continue;
        }
        let mut texts = top.clone();
        let mut rows_used = 1;
        if ri + 1 < grid.len() {
            let sub = texts_of(ri + 1);
            let merged = header::merge_rows(&top, &sub);
            if sub.len() == top.len() && sub != top && full_header(&sub).is_some() {
                texts = merged;
                rows_used = 2;
            }
        }
        // Header columns: runs of grid columns under the same header cell(s).
        let mut cols: Vec<(String, usize, usize)> = Vec::new(); // (text, first, last grid col)
        let ids: Vec<(usize, usize)> = (0..texts.len())
            .map(|g| {
                let a = grid[ri].get(g).map(|x| x.0).unwrap_or(g);
                let b = if rows_used == 2 {
                    grid[ri + 1].get(g).map(|x| x.0).unwrap_or(g)
                } else {
                    0
                };
                (a, b)
            })
            .collect();
        for g in 0..texts.len() {
            match cols.last_mut() {
                Some(last) if ids[g] == ids[last.2] => last.2 = g,
                _ => cols.push((texts[g].clone(), g, g)),
            }
        }
        let labels: Vec<String> = cols.iter().map(|c| c.0.clone()).collect();
        if let Some(h) = full_header(&labels) {
            header_at = Some((ri + rows_used, h, cols));
            break;
        }
    }
    let (first_data, header, cols) = header_at?;
    let roles = header.roles.clone();
    let name_col = roles.iter().position(|r| *r == Role::Name);
    let mut find = TableFind::default();
    let mut st = State {
        header: Some(header.clone()),
        ..Default::default()
    };
    for ri in first_data..grid.len() {
        let row = &table.rows[ri];
        let line = row.line;
        let texts = texts_of(ri);
        if full_header(&texts).is_some() {
            continue; // repeated header
        }
        let distinct: Vec<String> = row
            .cells
            .iter()
            .filter(|c| !c.merged_from_above)
            .map(|c| cell_line(&c.text))
            .filter(|t| !t.is_empty())
            .collect();
        if distinct.len() == 1 && (is_note(&distinct[0]) || row.cells.len() == 1) {
            if is_note(&distinct[0]) {
                find.notes.push(Note {
                    text: distinct[0].clone(),
                    line,
                });
            }
            continue;
        }
        // Each cell under the header column its first grid position falls in; a cell
        // spanning several value columns (a 2025 cell merged with 年均/累计) states each.
        let mut per_col: Vec<Vec<&Cell>> = vec![Vec::new(); cols.len()];
        let mut g = 0;
        for c in &row.cells {
            let span = usize::from(c.col_span.clamp(1, 64));
            let covered: Vec<usize> = cols
                .iter()
                .enumerate()
                .filter(|(_, (_, a, b))| g <= *b && g + span > *a)
                .map(|(ci, _)| ci)
                .collect();
            let all_values = covered.len() > 1
                && covered.iter().all(|&ci| {
                    matches!(roles.get(ci), Some(Role::Base | Role::Target | Role::Pace))
                });
            if all_values {
                for ci in covered {
                    per_col[ci].push(c);
                }
            } else if let Some(ci) = cols.iter().position(|(_, a, b)| g >= *a && g <= *b) {
                per_col[ci].push(c);
            }
            g += span;
        }
        let mut cells = Vec::new();
        for (ci, under) in per_col.iter().enumerate() {
            let role = roles.get(ci).copied().unwrap_or(Role::Other);
            let text_of = |c: &Cell| {
                if c.merged_from_above && matches!(role, Role::Category | Role::Name | Role::Seq) {
                    String::new()
                } else {
                    cell_line(&c.text)
                }
            };
            match under.as_slice() {
                [] => cells.push(TCell {
                    text: String::new(),
                    line,
                }),
                [one] => cells.push(TCell {
                    text: text_of(one),
                    line,
                }),
                [first, rest @ ..] if Some(ci) == name_col => {
                    // Group name and sub-row name under one spanning 指标.
                    cells.push(TCell {
                        text: text_of(first),
                        line,
                    });
                    let sub: String = rest.iter().map(|c| cell_line(&c.text)).collect();
                    cells.push(TCell { text: sub, line });
                }
                many => cells.push(TCell {
                    text: many.iter().map(|c| text_of(c)).collect::<String>(),
                    line,
                }),
            }
        }
        interpret_row(&cells, &mut st, &mut find);
    }
    if find.indicators.is_empty() && find.review.is_empty() {
        None
    } else {
        Some(find)
    }
}

/// "注：带*的为2019年数据": starred cells state an earlier year than the column's.
pub(crate) fn apply_star_note(plan: &mut guihua_model::Plan) {
    static STAR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"带\s*[*＊※∗✱]\s*(?:号)?的?(?:为|是|系)\s*((?:19|20)\d\d)\s*年")
            .expect("valid regex")
    });
    // "2025年数据为预计数": every value of that year is an estimate.
    static ESTIMATED_YEAR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"((?:19|20)\d\d)\s*年(?:的)?(?:数据|数值|基期值|指标值)?(?:均|全部)?(?:为|是|系)(?:预计|预估|初步统计|快报)")
            .expect("valid regex")
    });
    if let Some(y) = plan
        .indicator_notes
        .iter()
        .find_map(|n| ESTIMATED_YEAR.captures(&n.text))
        .and_then(|c| c[1].parse::<i32>().ok())
    {
        for ind in &mut plan.indicators {
            for q in [&mut ind.base, &mut ind.target] {
                if q.year == Some(y) && q.value.is_some() {
                    q.estimate = true;
                }
            }
        }
    }
    let Some(year) = plan
        .indicator_notes
        .iter()
        .find_map(|n| STAR.captures(&n.text))
        .and_then(|c| c[1].parse::<i32>().ok())
    else {
        return;
    };
    for ind in &mut plan.indicators {
        for q in [&mut ind.base, &mut ind.target] {
            if q.estimate && q.value.is_some() {
                q.year = Some(year);
            }
        }
    }
}

/// Does a line caption an indicator table ("表1 上海“十五五”经济社会发展主要指标", "专栏1
/// 主要指标", "附表 主要指标")? A numbered heading that mentions 主要指标 ("2.发展目标和主要
/// 指标", "第二节 发展目标和主要指标") is not a caption.
pub(crate) fn is_caption(t: &str) -> bool {
    if t.len() > 180 || !t.contains("指标") && !t.contains("目标表") {
        return false;
    }
    static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\d{1,2}(?:[.．]\d{1,2})*[.．、]?\D|[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)])")
            .expect("valid regex")
    });
    let t = t.trim();
    if t.is_empty() || char_len(t) > 60 || t.ends_with(['。', '；', '，']) || !TITLE.is_match(t)
    {
        return false;
    }
    if NUMBERED.is_match(t) {
        return false;
    }
    match recognise(t) {
        Some(h) => h.level == guihua_model::Level::Box,
        None => true,
    }
}

/// Is a box title the title of an indicator table?
pub(crate) fn is_table_title(title: &str) -> bool {
    TITLE.is_match(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_units() {
        assert_eq!(
            split_name_unit("地区生产总值增长(%)"),
            ("地区生产总值增长".into(), vec!["%".into()])
        );
        assert_eq!(
            split_name_unit("城镇就业（万人次，%）"),
            ("城镇就业".into(), vec!["万人次".into(), "%".into()])
        );
        assert_eq!(
            split_name_unit("每千人口拥有执业(助理)医师数(人)"),
            ("每千人口拥有执业(助理)医师数".into(), vec!["人".into()])
        );
        assert_eq!(
            split_name_unit("能源综合生产能力(亿吨标准煤)").1,
            vec!["亿吨标准煤".to_string()]
        );
        assert_eq!(
            split_name_unit("能源综合生产能力（亿吨标煤）").1,
            vec!["亿吨标煤".to_string()]
        );
        assert_eq!(split_name_unit("研发投入(R&D)").1, Vec::<String>::new());
    }
}
