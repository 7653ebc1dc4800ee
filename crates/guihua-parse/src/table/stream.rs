//! Tables printed one cell per line, with nothing that marks where a row ends.
//!
//! A web page copied as text, or a PDF converted without `-layout`, prints a table as a
//! column of cells: "1" / "地区生产总值年均增速" / "%" / "预期性" / "—" / "力争达到5%左右" /
//! "2" / …. Cells are separated by blank lines (then a cell's own line breaks — "细颗粒物
//! （PM" / "2.5" / "）浓度" — are consecutive lines), or each line is a fragment and wrapped
//! cells look exactly like two cells ("“十五五”年均增长" / "5.0左右", "万人次/" / "万吨").
//! Empty cells may be invisible, and a cell merged over two rows appears once.
//!
//! So rows are found from anchors, not counts: the next sequence number ("2", "3." before
//! a name), a category label right before it, and — when 属性 is the last column — the
//! attribute word that closes a row. Each row's fragments are then aligned to the header's
//! columns by dynamic programming: every column takes zero, one or several consecutive
//! fragments, paying for what does not fit its role (a unit that does not look like a
//! unit, a name that reads as a value), for skipped columns and for joining fragments that
//! do not look like one wrapped cell. The cheapest alignment is the reading; rows are few
//! and short, so the search (fragments² × columns) is instant.

use guihua_model::{Diagnostic, Note};

use super::header::{self, Header, Role};
use super::{
    is_attribute, is_note, push_indicator, seq_number, split_name_unit, value_like, Cfg, Logical,
    TableFind, SEQ_PREFIX,
};
use crate::outline::recognise;
use crate::quantity::{delegated, is_placeholder, number_at, relative, UNIT_PATTERN};
use crate::text::{char_len, is_han, remove_spaces};
use crate::Line;

use std::sync::LazyLock;

use regex::Regex;

/// One piece of a cell: a line, or consecutive lines when blank lines separate the cells.
#[derive(Debug, Clone)]
pub(super) struct Frag {
    pub text: String,
    pub line: u32,
    /// Lines from the previous fragment's last line to this one's first (1 = adjacent).
    pub gap: usize,
}

fn blank(l: &Line) -> bool {
    l.text.is_empty()
}

/// Is the line something that ends a table (a heading, a caption, prose)?
fn stops(l: &Line) -> bool {
    static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[）)])\S",
        )
        .expect("valid regex")
    });
    let t = &l.text;
    if recognise(&l.heading_text).is_some() || NUMBERED.is_match(t) {
        return true;
    }
    if t.starts_with("专栏") || t.starts_with("图") && char_len(t) < 40 {
        return char_len(t) > 3;
    }
    // Prose: a long sentence.
    char_len(t) > 60 || (char_len(t) > 30 && t.ends_with('。'))
}

/// Split the lines from `start` into fragments. With `gapped` (blank lines separate the
/// cells) consecutive lines form one fragment; otherwise every line is one. Stops at a
/// heading or prose; notes (注：…) stop the table too and are returned apart.
pub(super) fn fragments(
    lines: &[Line],
    start: usize,
    gapped: bool,
    limit: usize,
) -> (Vec<Frag>, Vec<Note>, usize) {
    let mut frags: Vec<Frag> = Vec::new();
    let mut notes: Vec<Note> = Vec::new();
    let mut i = start;
    let end = (start + limit).min(lines.len());
    let mut last = start;
    let mut prev_end: Option<usize> = None;
    while i < end {
        let l = &lines[i];
        if blank(l) {
            i += 1;
            continue;
        }
        if is_note(&l.text) {
            let (n, at) = super::read_notes(lines, i);
            notes = n;
            last = at;
            break;
        }
        if stops(l) {
            break;
        }
        let mut f = Frag {
            text: l.text.clone(),
            line: l.line,
            gap: prev_end.map_or(0, |p| i - p),
        };
        last = i;
        i += 1;
        if gapped {
            while i < end && !blank(&lines[i]) && !stops(&lines[i]) && !is_note(&lines[i].text) {
                f.text.push_str(&lines[i].text);
                last = i;
                i += 1;
            }
        }
        prev_end = Some(last);
        frags.push(f);
    }
    (frags, notes, last)
}

static UNIT_PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^[十百千万亿]*(?:{UNIT_PATTERN})(?:[（(][^）)]{{1,3}}[）)])?$"
    ))
    .expect("valid regex")
});

/// Does a cell look like a unit ("%", "万元/人", "人/百亿元", "万套（间）", "万人次/万吨")?
pub(super) fn unit_like(t: &str) -> bool {
    let t = remove_spaces(t);
    if t.is_empty() || char_len(&t) > 12 {
        return false;
    }
    UNIT_PART.is_match(&t)
        || t.split(['/', '／', '、'])
            .all(|p| !p.is_empty() && (UNIT_PART.is_match(p) || matches!(p, "标准煤" | "标煤")))
}

/// A category label ("经济发展", "创新驱动（5项）", "社会文明程度高").
pub(super) fn category_like(t: &str) -> bool {
    let (t, _) = super::category_label(t);
    let n = char_len(&t);
    (2..=10).contains(&n)
        && t.chars().all(is_han)
        && is_attribute(&t).is_none()
        && !unit_like(&t)
        && !qualitative_value(&t)
        && header::classify(&t).is_none()
}

/// A count alone ("（5项）"), the last piece of a category label.
fn is_count(t: &str) -> bool {
    let t = remove_spaces(t);
    super::COUNT_SUFFIX.find(&t).is_some_and(|m| m.start() == 0)
}

/// Words that a value cell without numbers uses ("基本稳定", "稳中有升", "保持在合理区间").
fn qualitative_value(t: &str) -> bool {
    const W: [&str; 14] = [
        "稳定",
        "稳中",
        "同步",
        "保持",
        "合理区间",
        "力争",
        "提升",
        "提高",
        "下降",
        "高于",
        "低于",
        "不低于",
        "达到",
        "完成",
    ];
    W.iter().any(|w| t.contains(w)) && char_len(t) <= 24
}

/// How much a text reads as a value cell (0 = certainly), `None` when it cannot be one.
fn value_cost(t: &str) -> Option<f32> {
    let c = remove_spaces(t);
    if is_placeholder(&c) {
        return Some(0.0);
    }
    if delegated(&c).is_some() || relative(&c).is_some() {
        return Some(0.0);
    }
    if value_like(&c) {
        // "3岁以下婴幼儿入托率" starts with a number but is a name; "4.5-5，努力争取更好结果"
        // is a value with words.
        let han = c.chars().filter(|ch| is_han(*ch)).count();
        let worded = c.contains(['，', '、', '；'])
            || [
                "争取", "力争", "左右", "以上", "以内", "同步", "下达", "目标", "达到",
            ]
            .iter()
            .any(|w| c.contains(w));
        return Some(if han >= 6 && number_at(&c, 0).is_some() && !worded {
            2.0
        } else {
            0.0
        });
    }
    let digits = c.chars().any(|ch| ch.is_ascii_digit());
    if digits
        && [
            "增长", "下降", "降低", "累计", "年均", "提高", "增加", "新增",
        ]
        .iter()
        .any(|w| c.contains(w))
    {
        return Some(0.2);
    }
    if qualitative_value(&c) {
        return Some(0.6);
    }
    if digits {
        return Some(1.0);
    }
    // Period qualifiers and other short words: possible but unlikely on their own.
    Some(if char_len(&c) <= 8 { 2.5 } else { 4.0 })
}

/// How much a text reads as an indicator name.
fn name_cost(t: &str) -> Option<f32> {
    let c = remove_spaces(t);
    let han = c.chars().filter(|ch| is_han(*ch)).count();
    if han < 2 || is_attribute(&c).is_some() || unit_like(&c) {
        return None;
    }
    if SEQ_PREFIX.is_match(&c) {
        return Some(0.0);
    }
    if is_placeholder(&c) || delegated(&c).is_some() || relative(&c).is_some() {
        return Some(4.0);
    }
    let v = value_cost(&c).unwrap_or(4.0);
    Some(if v <= 0.2 {
        3.0
    } else if v <= 0.6 {
        1.5
    } else {
        0.0
    })
}

/// A column of the alignment: a header role, or an optional sub-row name after the name.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Col {
    R(Role),
    SubName,
}

fn fit(col: Col, t: &str, expected_seq: Option<u32>) -> Option<f32> {
    match col {
        Col::R(Role::Seq) => seq_number(t).map(|n| if Some(n) == expected_seq { 0.0 } else { 0.8 }),
        Col::R(Role::Category) => category_like(t).then_some(0.3),
        Col::R(Role::Name) => name_cost(t),
        Col::SubName => name_cost(t)
            .filter(|_| !SEQ_PREFIX.is_match(t.trim()))
            .map(|c| c + 0.9),
        Col::R(Role::Unit) => {
            let c = remove_spaces(t);
            if unit_like(&c) {
                Some(0.0)
            } else if is_placeholder(&c) {
                Some(0.3)
            } else {
                None
            }
        }
        Col::R(Role::Attribute) => is_attribute(t).map(|_| 0.0),
        Col::R(Role::Remark) => Some(1.0),
        Col::R(_) => {
            if is_attribute(t).is_some() || unit_like(t) && !is_placeholder(t) {
                None
            } else {
                value_cost(t)
            }
        }
    }
}

/// Columns that [`fit`] treats alike (all value roles are one class).
const COL_CLASSES: usize = 8;

fn col_class(col: Col) -> usize {
    match col {
        Col::R(Role::Seq) => 0,
        Col::R(Role::Category) => 1,
        Col::R(Role::Name) => 2,
        Col::SubName => 3,
        Col::R(Role::Unit) => 4,
        Col::R(Role::Attribute) => 5,
        Col::R(Role::Remark) => 6,
        Col::R(_) => 7,
    }
}

/// Cost of leaving a column without a fragment.
fn skip_cost(col: Col, prefixed_name: bool) -> f32 {
    match col {
        Col::SubName => 0.0,
        Col::R(Role::Category) => 0.2,
        Col::R(Role::Seq) => {
            if prefixed_name {
                0.0
            } else {
                0.9
            }
        }
        Col::R(Role::Name) => 2.5,
        Col::R(Role::Unit) => 0.5,
        Col::R(Role::Attribute) => 0.9,
        Col::R(Role::Remark) => 0.0,
        Col::R(_) => 1.1,
    }
}

/// Cost of joining `b` to `a` inside one cell (a wrapped cell). `closer` when `b`
/// follows `a` more closely than cells usually follow each other in this table.
fn join_cost(a: &str, b: &str, closer: bool) -> f32 {
    if closer {
        return 0.1;
    }
    let a = a.trim();
    let b = b.trim();
    let open_a = a.ends_with([
        '/', '／', '（', '(', '“', '、', '，', '—', '-', '［', '〔', '[', '：',
    ]) || a.matches(['（', '(']).count() > a.matches(['）', ')']).count()
        || a.matches('“').count() > a.matches('”').count();
    let cont_b = b.starts_with(['）', ')', '/', '、', '，', '％', '%', '〕', '］', ']'])
        || [
            "左右",
            "以上",
            "以内",
            "以下",
            "下达",
            "保持同步",
            "同步",
            "更好",
            "目标",
            "指标",
        ]
        .iter()
        .any(|w| b.starts_with(w));
    // "“十五五”年均增长" / "5.0左右", "“十四五”" / "累计新增160", "完成省" / "下达目标".
    let unfinished_a = {
        let c = remove_spaces(a);
        (c.ends_with("增长") || c.ends_with("增速") || c.ends_with("降低") || c.ends_with("下降"))
            && !c.chars().any(|ch| ch.is_ascii_digit())
            || c.ends_with('”') && c.starts_with('“') && char_len(&c) <= 6
            || c.ends_with("完成省")
            || c.ends_with("完成市")
            || c.ends_with("与经济增长")
    };
    let han_only = |t: &str| !t.is_empty() && t.chars().all(is_han);
    // "全社会研发经费投入" / "强度（%）": the unit bracket closes the name it continues.
    let name_then_unit = han_only(a) && !split_name_unit(b).1.is_empty() && !value_like(b);
    if open_a || cont_b || unfinished_a || is_count(b) || name_then_unit {
        0.2
    } else if han_only(a) && han_only(b) && char_len(a) <= 6 && char_len(b) <= 6 {
        // "努力争取" / "更好结果", "创新" / "发展": one phrase broken at a narrow column.
        0.5
    } else if char_len(b) <= 3 && !b.chars().any(|c| c.is_ascii_digit()) && !unit_like(b) {
        0.8
    } else {
        2.0
    }
}

/// The cheapest alignment of `frags` to `cols`: for each column, the fragments it takes.
/// How cells follow each other in a table: the usual gap between fragments (a closer one
/// continues a cell), and — when every line is a fragment — the width cells were cut at
/// (a fragment that long goes on in the next one).
#[derive(Debug, Clone, Copy)]
struct Spacing {
    cell_gap: usize,
    cut_len: Option<usize>,
}

impl Spacing {
    fn of(body: &[Frag]) -> Spacing {
        let mut gaps: Vec<usize> = body.iter().map(|f| f.gap).filter(|&g| g > 0).collect();
        gaps.sort_unstable();
        let cell_gap = gaps.get(gaps.len() / 2).copied().unwrap_or(0);
        // A cut width shows as several fragments of (nearly) the longest length.
        let cut_len = (cell_gap <= 1)
            .then(|| {
                let max = body
                    .iter()
                    .map(|f| char_len(f.text.trim()))
                    .max()
                    .unwrap_or(0);
                let near = body
                    .iter()
                    .filter(|f| char_len(f.text.trim()) + 1 >= max)
                    .count();
                (max >= 6 && near >= 3).then_some(max)
            })
            .flatten();
        Spacing { cell_gap, cut_len }
    }

    fn join(&self, a: &Frag, b: &Frag) -> f32 {
        if self
            .cut_len
            .is_some_and(|w| char_len(a.text.trim()) + 1 >= w)
        {
            return 0.15;
        }
        join_cost(&a.text, &b.text, b.gap > 0 && b.gap < self.cell_gap)
    }
}

fn align(
    frags: &[Frag],
    cols: &[Col],
    expected_seq: Option<u32>,
    spacing: Spacing,
) -> Option<(f32, Vec<Vec<usize>>)> {
    let n = frags.len();
    let k = cols.len();
    const MAX_JOIN: usize = 4;
    let prefixed = frags
        .iter()
        .take(3)
        .any(|f| SEQ_PREFIX.is_match(f.text.trim()) && name_cost(&f.text).is_some());
    // best[j][i]: cost of filling columns ..j with fragments ..i.
    let inf = f32::INFINITY;
    let mut best = vec![vec![inf; n + 1]; k + 1];
    let mut back = vec![vec![0usize; n + 1]; k + 1];
    best[0][0] = 0.0;
    // Texts of 1..=MAX_JOIN fragments from each start, and their fit per column class,
    // computed once: every value column asks the same question of the same text.
    let mut texts: Vec<Option<String>> = vec![None; n * MAX_JOIN];
    let mut fits: Vec<Option<Option<f32>>> = vec![None; n * MAX_JOIN * COL_CLASSES];
    for j in 0..k {
        for i in 0..=n {
            let b = best[j][i];
            if !b.is_finite() {
                continue;
            }
            // Skip the column.
            let s = b + skip_cost(cols[j], prefixed);
            if s < best[j + 1][i] {
                best[j + 1][i] = s;
                back[j + 1][i] = 0;
            }
            let mut join = 0.0;
            for m in 1..=MAX_JOIN.min(n - i) {
                if m > 1 {
                    join += spacing.join(&frags[i + m - 2], &frags[i + m - 1]);
                }
                let at = i * MAX_JOIN + m - 1;
                let slot = at * COL_CLASSES + col_class(cols[j]);
                let fitted = match fits[slot] {
                    Some(f) => f,
                    None => {
                        let text = texts[at].get_or_insert_with(|| {
                            if m == 1 {
                                frags[i].text.clone()
                            } else {
                                frags[i..i + m].iter().map(|f| f.text.trim()).collect()
                            }
                        });
                        let f = fit(cols[j], text, expected_seq);
                        fits[slot] = Some(f);
                        f
                    }
                };
                if let Some(c) = fitted {
                    let total = b + c + join;
                    if total < best[j + 1][i + m] {
                        best[j + 1][i + m] = total;
                        back[j + 1][i + m] = m;
                    }
                }
            }
        }
    }
    let cost = best[k][n];
    if !cost.is_finite() {
        return None;
    }
    let mut take = vec![Vec::new(); k];
    let mut i = n;
    for j in (1..=k).rev() {
        let m = back[j][i];
        take[j - 1] = (i - m..i).collect();
        i -= m;
    }
    Some((cost, take))
}

/// Interpretation state of a stream table.
struct Stream<'h> {
    header: &'h Header,
    category: Option<String>,
    /// (parent name, its seq, its attribute) while sub-rows follow.
    group: Option<(String, Option<String>, Option<String>)>,
}

/// Read a stream table whose header starts at fragment 0. Returns None when the
/// fragments hold no header.
pub(super) fn interpret(frags: &[Frag], cfg: Cfg, find: &mut TableFind) -> Option<Header> {
    let texts: Vec<&str> = frags.iter().map(|f| f.text.as_str()).collect();
    let (header, used) = header::read(&texts, cfg.period_end)?;
    let roles = header.roles.clone();
    let attr_pos = roles.iter().position(|r| *r == Role::Attribute);
    let has_seq = roles.contains(&Role::Seq);
    let has_cat = roles.contains(&Role::Category);
    let after_attr = attr_pos.map(|p| roles.len() - p - 1);

    // 1. Rows from anchors.
    let body = &frags[used..];
    let mut rows: Vec<Vec<Frag>> = Vec::new();
    let mut cur: Vec<Frag> = Vec::new();
    let mut expected: Option<u32> = None;
    let mut k = 0;
    while k < body.len() {
        let f = &body[k];
        // A header repeated after a page break.
        let rest: Vec<&str> = body[k..]
            .iter()
            .take(roles.len() + 4)
            .map(|f| f.text.as_str())
            .collect();
        if cur.is_empty() {
            if let Some((_, n)) = header::read(&rest, cfg.period_end) {
                k += n;
                continue;
            }
        }
        let anchor = seq_anchor(&f.text, has_seq, expected).filter(|_| {
            // A bare number starts a row only when a name follows it.
            !has_seq
                || body
                    .get(k + 1)
                    .is_some_and(|n| name_cost(&n.text).is_some_and(|c| c <= 1.5))
        });
        if let Some(n) = anchor {
            if !cur.is_empty() {
                // A category label just before the number starts the new row, in pieces
                // too ("创新" / "发展" / "（5项）").
                let mut k = 0;
                if has_cat {
                    while k < cur.len().min(3)
                        && cur[cur.len() - 1 - k].text.trim().chars().count() <= 10
                        && (category_like(&cur[cur.len() - 1 - k].text)
                            || is_count(&cur[cur.len() - 1 - k].text))
                    {
                        k += 1;
                    }
                }
                let carry = cur.split_off(cur.len() - k);
                if !cur.is_empty() {
                    rows.push(std::mem::take(&mut cur));
                }
                cur.extend(carry);
            }
            expected = Some(n + 1);
        }
        cur.push(f.clone());
        // An attribute word closes a row (plus the columns that follow it).
        if let (Some(_), Some(after)) = (is_attribute(&f.text), after_attr) {
            let mut m = 0;
            while m < after && k + 1 < body.len() {
                let next = &body[k + 1];
                let starts_row = seq_anchor(&next.text, has_seq, expected).is_some()
                    && (!has_seq
                        || body
                            .get(k + 2)
                            .is_some_and(|n| name_cost(&n.text).is_some_and(|c| c <= 0.5)));
                if starts_row || is_attribute(&next.text).is_some() {
                    break;
                }
                k += 1;
                cur.push(next.clone());
                m += 1;
            }
            rows.push(std::mem::take(&mut cur));
        }
        k += 1;
    }
    if !cur.is_empty() {
        rows.push(cur);
    }

    // 2. Each row aligned to the columns.
    let mut cols: Vec<Col> = Vec::new();
    for r in &roles {
        cols.push(Col::R(*r));
        if *r == Role::Name {
            cols.push(Col::SubName);
        }
    }
    let mut st = Stream {
        header: &header,
        category: None,
        group: None,
    };
    let spacing = Spacing::of(body);
    let mut last_seq: Option<u32> = None;
    for row in rows {
        let line = row[0].line;
        let exp = last_seq.map(|n| n + 1);
        let Some((_, take)) = align(&row, &cols, exp, spacing) else {
            find.diagnostics.push(Diagnostic::warning(
                "table-row-unreadable",
                Some(line),
                format!(
                    "indicator table: cells at line {line} do not fit the columns ({})",
                    row.iter()
                        .map(|f| f.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" | ")
                ),
            ));
            continue;
        };
        if let (Some(prev), Some(n)) = (last_seq, take_seq(&row, &cols, &take)) {
            if n != prev + 1 && n != prev {
                find.diagnostics.push(Diagnostic::warning(
                    "indicator-misnumbered",
                    Some(line),
                    format!(
                        "indicator table: row numbered {n} follows row {prev} (expected {})",
                        prev + 1
                    ),
                ));
            }
        }
        let cell = |c: Col| -> Option<String> {
            let j = cols.iter().position(|x| *x == c)?;
            let ids = &take[j];
            if ids.is_empty() {
                return None;
            }
            Some(ids.iter().map(|&i| row[i].text.trim()).collect::<String>())
        };
        if let Some(n) = take_seq(&row, &cols, &take) {
            last_seq = Some(last_seq.map_or(n, |p| if n == p { p } else { p + 1 }));
        }
        st.row(cell, line, find);
    }
    Some(header)
}

/// The sequence number of an aligned row (its 序号 cell or the prefix of its name).
fn take_seq(row: &[Frag], cols: &[Col], take: &[Vec<usize>]) -> Option<u32> {
    let text = |c: Col| -> Option<String> {
        let j = cols.iter().position(|x| *x == c)?;
        let ids = &take[j];
        (!ids.is_empty()).then(|| ids.iter().map(|&i| row[i].text.trim()).collect::<String>())
    };
    text(Col::R(Role::Seq))
        .and_then(|s| seq_number(&s))
        .or_else(|| {
            text(Col::R(Role::Name)).and_then(|n| {
                SEQ_PREFIX
                    .captures(&n)
                    .and_then(|c| c.name("n").or(c.name("m")))
                    .and_then(|m| m.as_str().parse().ok())
            })
        })
}

/// Is this fragment the start of the next row: its number (in a 序号 column) or a name
/// prefixed with it ("3. 工业总产值")?
fn seq_anchor(t: &str, has_seq_col: bool, expected: Option<u32>) -> Option<u32> {
    let t = t.trim();
    let n = if has_seq_col {
        seq_number(t)
    } else {
        SEQ_PREFIX
            .captures(t)
            .filter(|c| c["rest"].chars().any(is_han))
            .and_then(|c| c.name("n").or(c.name("m")))
            .and_then(|m| m.as_str().parse::<u32>().ok())
    }?;
    match expected {
        None => (n <= 3).then_some(n),
        // The next number, or a misprint close to it.
        Some(e) => (n == e || (n > e && n <= e + 2)).then_some(n),
    }
}

impl Stream<'_> {
    fn row(&mut self, cell: impl Fn(Col) -> Option<String>, line: u32, find: &mut TableFind) {
        let mut seq = cell(Col::R(Role::Seq));
        let mut name = cell(Col::R(Role::Name)).unwrap_or_default();
        if let Some(c) = SEQ_PREFIX.captures(&name.clone()) {
            if seq.is_none() {
                seq = c.name("n").or(c.name("m")).map(|m| m.as_str().to_string());
            }
            name = c["rest"].trim().to_string();
        }
        if let Some(c) = cell(Col::R(Role::Category)) {
            self.category = Some(find.category(&c, line));
        }
        let sub = cell(Col::SubName);
        let mut attribute = cell(Col::R(Role::Attribute));
        let values = [
            Role::Base,
            Role::Target,
            Role::Pace,
            Role::Actual,
            Role::Status,
        ];
        let has_values = values.iter().any(|r| cell(Col::R(*r)).is_some());
        let mut parent = None;
        if let Some(sub) = sub {
            // A group's first sub-row: the name is the parent's.
            let (p, _) = split_name_unit(&name);
            parent = Some(p.clone());
            self.group = Some((p, seq.clone(), attribute.clone()));
            name = sub;
        } else if !has_values && seq.is_some() {
            // A parent row without values: its sub-rows follow.
            let (p, _) = split_name_unit(&name);
            self.group = Some((p, seq.clone(), attribute.clone()));
            return;
        } else if !has_values {
            find.diagnostics.push(Diagnostic::warning(
                "table-row-unreadable",
                Some(line),
                format!("indicator table: row '{name}' at line {line} has no values"),
            ));
            return;
        } else if seq.is_none() {
            if let Some((p, s, a)) = &self.group {
                parent = Some(p.clone());
                seq = s.clone();
                if attribute.is_none() {
                    attribute = a.clone();
                }
            }
        } else {
            self.group = None;
        }
        if let Some((_, _, a)) = self.group.as_mut() {
            if a.is_none() {
                *a = attribute.clone();
            }
        }
        if name.is_empty() {
            return;
        }
        let (clean, units) = split_name_unit(&name);
        let unit = cell(Col::R(Role::Unit))
            .filter(|u| !is_placeholder(u))
            .or_else(|| units.first().cloned());
        let lr = Logical {
            category: self.category.clone(),
            seq,
            name: clean,
            parent,
            unit,
            base: cell(Col::R(Role::Base)).unwrap_or_default(),
            target: cell(Col::R(Role::Target)).unwrap_or_default(),
            pace: cell(Col::R(Role::Pace)).unwrap_or_default(),
            actual: cell(Col::R(Role::Actual)).unwrap_or_default(),
            status: cell(Col::R(Role::Status)).unwrap_or_default(),
            merged: false,
            attribute,
            line,
        };
        push_indicator(lr, self.header, find);
    }
}
