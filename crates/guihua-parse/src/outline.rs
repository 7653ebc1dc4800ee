//! The outline: 篇 (part) › 章 (chapter) › 节 (section), 专栏 (box) and 前言 (preface).
//!
//! Numbering restarts inside each parent, so a node's id is the path of its ancestors
//! ("p4/c6", "c2/s3", "p2/c4/b1"). A table of contents repeats the headings before the body;
//! it is recognised (after a 目录 line, or as a run of bare headings that recur later),
//! excluded from the tree and reconciled with the body so that entries missing on either
//! side become diagnostics. Gaps, duplicates and disorder in numbering become diagnostics
//! too — the tree is always built, whatever the numbering.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use guihua_model::{Diagnostic, Level, OutlineNode};
use regex::Regex;

use crate::text::{char_len, parse_numeral, remove_spaces};
use crate::{Line, LineSet};

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^第\s*(?P<num>[一二三四五六七八九十百零〇两\d０-９]{1,6})\s*(?P<lvl>[篇章节])(?P<sep>\s+|[:：、.．]\s*)?(?P<title>.*)$")
        .expect("valid regex")
});
static BOX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^专\s*栏\s*(?P<num>\d{1,3}|[一二三四五六七八九十]{1,4})?\s*[:：.．、]?\s*(?P<title>.*?)[\s|｜]*$")
        .expect("valid regex")
});
static PREFACE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:前言|序言|引言|序)$").expect("valid regex"));
static TOC_PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\s.·…_\-—]*\d{1,4}$").expect("valid regex"));

/// The text without a trailing page number and its leader ("第三章 …… 12" → "第三章").
fn strip_toc_page(t: &str) -> std::borrow::Cow<'_, str> {
    // The regex scans the whole line; most lines do not end with a digit at all.
    if t.ends_with(char::is_numeric) {
        TOC_PAGE.replace(t, "")
    } else {
        std::borrow::Cow::Borrowed(t)
    }
}

/// A heading recognised on one line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Heading {
    pub level: Level,
    pub number: Option<u32>,
    pub title: String,
    /// The heading has no title on its line ("第一章" alone).
    pub bare: bool,
}

/// Recognise a heading on a cleaned line. `hint` is the container's outline level, used
/// only to accept a title-less heading that text alone would doubt.
pub(crate) fn recognise(text: &str) -> Option<Heading> {
    if text.is_empty() || text.chars().nth(70).is_some() {
        return None;
    }
    if let Some(c) = text
        .starts_with('第')
        .then(|| HEADING.captures(text))
        .flatten()
    {
        let number = parse_numeral(&c["num"])?;
        let level = match &c["lvl"] {
            "篇" => Level::Part,
            "章" => Level::Chapter,
            _ => Level::Section,
        };
        let title = c["title"].trim().trim_end_matches(['|', '｜']).trim();
        // A sentence that merely starts with "第一章…" is not a heading.
        if title.ends_with(['。', '；', ';']) || char_len(title) > 50 {
            return None;
        }
        if c.name("sep").is_none() && !title.is_empty() {
            // "第一章发展基础" (no separator): accept only short, punctuation-free titles or
            // titles starting with a quote/bracket.
            let first = title.chars().next().unwrap_or(' ');
            let ok = (char_len(title) <= 30 && !title.contains(['，', '。']))
                || matches!(first, '“' | '"' | '《' | '（' | '(');
            if !ok {
                return None;
            }
        }
        return Some(Heading {
            level,
            number: Some(number),
            title: title.to_string(),
            bare: title.is_empty(),
        });
    }
    if text.starts_with('专') {
        if let Some(c) = BOX.captures(text) {
            let number = c.name("num").and_then(|m| parse_numeral(m.as_str()));
            let title = c["title"].trim();
            if char_len(title) > 60 || title.ends_with('。') {
                return None;
            }
            if number.is_none() && title.is_empty() {
                return None;
            }
            return Some(Heading {
                level: Level::Box,
                number,
                title: title.to_string(),
                bare: title.is_empty(),
            });
        }
    }
    if text.len() > 24 {
        return None;
    }
    let compact = remove_spaces(text);
    if PREFACE.is_match(&compact) {
        return Some(Heading {
            level: Level::Preface,
            number: None,
            title: compact.into_owned(),
            bare: false,
        });
    }
    None
}

fn rank(level: Level) -> u8 {
    match level {
        Level::Preface => 0,
        Level::Part => 1,
        Level::Chapter => 2,
        Level::Section => 3,
        Level::Box => 4,
    }
}

/// Chinese numeral for messages and displays ("第十四章").
pub fn zh_number(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n as usize].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[(n % 10) as usize] }),
        20..=99 => format!(
            "{}十{}",
            D[(n / 10) as usize],
            if n.is_multiple_of(10) {
                ""
            } else {
                D[(n % 10) as usize]
            }
        ),
        _ => n.to_string(),
    }
}

/// "第六章", "专栏10", "前言": how the plan itself names a heading.
pub fn label(level: Level, number: Option<u32>) -> String {
    match (level, number) {
        (Level::Box, Some(n)) => format!("专栏{n}"),
        (Level::Preface, _) => "前言".to_string(),
        (l, Some(n)) => format!("第{}{}", zh_number(n), l.zh()),
        (l, None) => l.zh().to_string(),
    }
}

/// A heading placed in the outline, in document order.
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    pub id: String,
    pub level: Level,
    pub number: Option<u32>,
    pub title: String,
    pub line: u32,
    /// Index of the heading line in the line list.
    pub index: usize,
    /// Index (in the placed list) of the parent.
    pub parent: Option<usize>,
}

/// An entry of a table of contents: level, number, its line, title.
pub(crate) type TocEntry = (Level, Option<u32>, u32, String);

/// The outline of a document.
#[derive(Debug, Default)]
pub(crate) struct Outline {
    pub placed: Vec<Placed>,
    /// Line indices that belong to a table of contents.
    pub toc: LineSet,
    /// Line indices that are headings (or a heading's continuation line).
    pub heading_lines: LineSet,
    /// Headings that lead a paragraph ("1.1增创…新优势。深入推进…"): the line is also text.
    pub run_in: LineSet,
    /// Index of the line that opens the appendix (附录, 名词解释), where the plan's own text
    /// ends.
    pub appendix: Option<usize>,
    /// The table of contents lists headings after the last one the body has: the first of
    /// them (level, number, TOC line, title) and how many.
    pub toc_tail_missing: Option<(TocEntry, usize)>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Outline {
    /// Innermost placed heading at or before line index `i` whose level satisfies `keep`.
    pub fn enclosing(&self, i: usize, keep: impl Fn(Level) -> bool) -> Option<&Placed> {
        self.enclosing_index(i, keep).map(|k| &self.placed[k])
    }

    /// Like [`Outline::enclosing`], returning the position in `placed`. Walks up the
    /// parent chain from the last heading before `i`, so it costs the depth, not the count.
    pub fn enclosing_index(&self, i: usize, keep: impl Fn(Level) -> bool) -> Option<usize> {
        let pos = self.placed.partition_point(|p| p.index <= i);
        let mut k = pos.checked_sub(1)?;
        loop {
            if keep(self.placed[k].level) {
                return Some(k);
            }
            match self.placed[k].parent {
                Some(p) => k = p,
                // A box or other leaf at top level: fall back to the previous top node.
                None => {
                    return self.placed[..k]
                        .iter()
                        .rposition(|p| keep(p.level) && p.parent.is_none())
                }
            }
        }
    }

    /// Ancestor chain (innermost first) of a placed heading.
    pub fn ancestors(&self, mut idx: usize) -> Vec<&Placed> {
        let mut out = vec![&self.placed[idx]];
        while let Some(p) = self.placed[idx].parent {
            out.push(&self.placed[p]);
            idx = p;
        }
        out
    }

    /// The tree for the plan model.
    pub fn tree(&self) -> Vec<OutlineNode> {
        let mut children: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
        for (i, p) in self.placed.iter().enumerate() {
            children.entry(p.parent).or_default().push(i);
        }
        fn build(
            i: usize,
            placed: &[Placed],
            children: &HashMap<Option<usize>, Vec<usize>>,
            depth: usize,
        ) -> OutlineNode {
            let p = &placed[i];
            let kids = if depth < 16 {
                children
                    .get(&Some(i))
                    .map(|v| {
                        v.iter()
                            .map(|&c| build(c, placed, children, depth + 1))
                            .collect()
                    })
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            OutlineNode {
                id: p.id.clone(),
                level: p.level,
                number: p.number,
                title: p.title.clone(),
                line: p.line,
                children: kids,
            }
        }
        children
            .get(&None)
            .map(|roots| {
                roots
                    .iter()
                    .map(|&r| build(r, &self.placed, &children, 0))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Candidate heading per line index.
struct Candidate {
    index: usize,
    heading: Heading,
}

/// Find the outline of a document given its cleaned lines. `skip` are line indices that
/// belong to recognised tables (their cells are never headings).
pub(crate) fn build(lines: &[Line], skip: &LineSet, pdf: bool) -> Outline {
    let mut out = Outline {
        appendix: appendix_start(lines, skip),
        ..Default::default()
    };
    let mut cands: Vec<Candidate> = Vec::new();
    let mut pieces = LineSet::default();
    for (i, l) in lines.iter().enumerate() {
        if skip.contains(&i) || pieces.contains(&i) {
            continue;
        }
        if let Some(h) = recognise(&l.heading_text) {
            cands.push(Candidate {
                index: i,
                heading: h,
            });
        } else if let Some((h, used)) = split_box_caption(lines, i, skip) {
            // "专栏" / "1" / "0" / " 重点领域碳达峰行动": a caption broken into pieces.
            for &u in &used {
                out.heading_lines.insert(u);
                pieces.insert(u);
            }
            cands.push(Candidate {
                index: i,
                heading: h,
            });
        }
    }
    // A plan without 篇/章 headings numbers its hierarchy 一、 / 1. / 1.1 (or （一）).
    let conventional = cands
        .iter()
        .filter(|c| matches!(c.heading.level, Level::Part | Level::Chapter))
        .count();
    if conventional < 3 {
        let end = out.appendix.unwrap_or(lines.len());
        let numbered = numbered_headings(&lines[..end], skip);
        if !numbered.is_empty() {
            for (i, h, run_in) in numbered {
                if run_in {
                    out.run_in.insert(i);
                }
                cands.push(Candidate {
                    index: i,
                    heading: h,
                });
            }
            cands.sort_by_key(|c| c.index);
        }
    }

    let toc = find_toc(lines, &cands);
    out.toc = toc.iter().copied().collect();

    // Body headings, with titles completed from the next line when bare or wrapped.
    let mut body: Vec<(usize, Heading, u32)> = Vec::new();
    let mut consumed = LineSet::default();
    for c in &cands {
        if out.toc.contains(&c.index) || consumed.contains(&c.index) {
            continue;
        }
        // After the appendix (附录, 名词解释) numbered entries are not the plan's outline.
        if out.appendix.is_some_and(|a| c.index > a) && c.heading.level != Level::Box {
            continue;
        }
        let mut h = c.heading.clone();
        if pdf {
            h.title = crate::text::clean_line(&h.title, true);
        }
        // A title wrapped onto the next line: the line ends mid-phrase ("…现代化，") or the
        // next line is a short unpunctuated tail followed by a heading or a blank.
        if !h.bare
            && h.level != Level::Preface
            && h.level != Level::Box
            && !out.run_in.contains(&c.index)
        {
            let open_end = h
                .title
                .ends_with(['，', ',', '、', '：', '“', '（', '(', '—']);
            // Directly below, or after one blank line when the title ends open
            // ("第六篇 构建多层次改革矩阵，" / "" / "坚定不移…当好排头兵").
            let reach = if open_end { c.index + 2 } else { c.index + 1 };
            if let Some((j, next)) = next_nonempty(lines, c.index).filter(|(j, _)| *j <= reach) {
                let tail = char_len(&next.text) <= 30
                    && j == c.index + 1
                    && next
                        .text
                        .chars()
                        .all(|ch| crate::text::is_han(ch) || matches!(ch, '“' | '”'))
                    && (char_len(&next.text) <= 4
                        || lines.get(j + 1).is_none_or(|after| {
                            after.text.is_empty() || recognise(&after.heading_text).is_some()
                        }));
                if (open_end || tail)
                    && recognise(&next.heading_text).is_none()
                    && looks_like_title(&next.text)
                    && !skip.contains(&j)
                {
                    h.title.push_str(&next.text);
                    consumed.insert(j);
                    out.heading_lines.insert(j);
                }
            }
        }
        if h.bare && h.level != Level::Preface {
            if let Some((j, next)) = next_nonempty(lines, c.index) {
                if looks_like_title(&next.text) && recognise(&next.heading_text).is_none() {
                    h.title = next.text.clone();
                    h.bare = false;
                    consumed.insert(j);
                    out.heading_lines.insert(j);
                }
            }
        }
        if !out.run_in.contains(&c.index) {
            out.heading_lines.insert(c.index);
        }
        body.push((c.index, h, lines[c.index].line));
    }

    place(&mut out, &body);
    if !toc.is_empty() {
        reconcile_toc(&mut out, lines, &cands, &toc);
    }
    out
}

/// Where the appendix starts: a line that is only "附录", "附件", "名词解释", "结语"… (after
/// the first third of the document, so that a table of contents entry does not count).
fn appendix_start(lines: &[Line], skip: &LineSet) -> Option<usize> {
    let from = lines.len() / 3;
    (from..lines.len()).find(|&i| {
        // Cheap first: a short line holding one of the words.
        let raw = &lines[i].text;
        if raw.len() > 96
            || skip.contains(&i)
            || !(raw.contains('附') || raw.contains('解') || raw.contains('结'))
        {
            return false;
        }
        let t = remove_spaces(raw);
        let t = t.trim_matches(|c: char| c.is_whitespace() || c == '\u{2003}');
        matches!(
            t,
            "附录" | "附件" | "名词解释" | "有关名词解释" | "结语" | "结束语"
        ) || (t.starts_with("附录") || t.starts_with("名词解释")) && char_len(t) <= 24
    })
}

/// "专栏" on a line of its own, its number on the next lines ("1", "0" for 专栏10) and its
/// title in pieces after that — how a web page's table caption comes out as text.
fn split_box_caption(lines: &[Line], i: usize, skip: &LineSet) -> Option<(Heading, Vec<usize>)> {
    let t = &lines[i].text;
    if t.len() > 12 || !t.contains("专") || remove_spaces(t) != "专栏" || skip.contains(&i) {
        return None;
    }
    let mut used = vec![i];
    let mut digits = String::new();
    let mut title = String::new();
    let mut j = i + 1;
    while j < lines.len() && j <= i + 16 {
        let t = lines[j].text.trim();
        if t.is_empty() {
            j += 1;
            continue;
        }
        if title.is_empty()
            && t.len() <= 2
            && t.bytes().all(|b| b.is_ascii_digit())
            && digits.len() < 3
        {
            digits.push_str(t);
        } else {
            // The title ends at the first item ("01"), a table header or a long line.
            let item = t.len() <= 3 && t.bytes().all(|b| b.is_ascii_digit());
            if item
                || crate::table::is_header_word(t)
                || char_len(t) > 40
                || char_len(&title) + char_len(t) > 60
                || recognise(&lines[j].heading_text).is_some()
            {
                break;
            }
            title.push_str(t);
        }
        used.push(j);
        j += 1;
    }
    if digits.is_empty() || title.is_empty() {
        return None;
    }
    Some((
        Heading {
            level: Level::Box,
            number: digits.parse().ok(),
            title,
            bare: false,
        },
        used,
    ))
}

/// Headings of a plan numbered without 篇/章/节: 一、 / （一） / 1. / 1.1, ranked in that
/// order; the levels present become 篇/章/节 (three levels) or 章/节 (two). A candidate is
/// kept only where its number continues its level under the current parent (a "1.1" under
/// chapter 1), so that numbered list items in prose do not become headings. Returns the
/// line index, the heading and whether it leads a paragraph (run-in).
fn numbered_headings(lines: &[Line], skip: &LineSet) -> Vec<(usize, Heading, bool)> {
    static CN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?P<n>[一二三四五六七八九十]{1,3})[、．.](?P<t>[^。；;]{2,40})$")
            .expect("valid regex")
    });
    static PAREN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[（(](?P<n>[一二三四五六七八九十]{1,3})[）)](?P<t>[^。；;]{2,40})$")
            .expect("valid regex")
    });
    static ARABIC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?P<n>\d{1,2})[.．、](?P<t>[^\d.．。；;][^。；;]{1,39})$")
            .expect("valid regex")
    });
    static DOTTED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?P<a>\d{1,2})[.．](?P<n>\d{1,2})(?P<t>[^\d.．。%％][^。；;]{1,39})(?:。|$)")
            .expect("valid regex")
    });
    // (line, style rank, number, major for 1.1, title, run-in)
    let mut found: Vec<(usize, usize, u32, u32, String, bool)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if skip.contains(&i) {
            continue;
        }
        let t = l
            .text
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{2003}' || c == '\u{3000}');
        // Every style starts with a numeral or a bracket: most lines are left at once.
        let first = t.chars().next().unwrap_or(' ');
        let cn = matches!(
            first,
            '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
        );
        let paren = matches!(first, '（' | '(');
        if !(cn || paren || first.is_ascii_digit()) || t.chars().nth(2).is_none() {
            continue;
        }
        let short = t.chars().nth(42).is_none();
        if short {
            if let Some(c) = cn.then(|| CN.captures(t)).flatten() {
                if let Some(n) = parse_numeral(&c["n"]) {
                    found.push((i, 0, n, 0, c["t"].trim().to_string(), false));
                    continue;
                }
            }
            if let Some(c) = paren.then(|| PAREN.captures(t)).flatten() {
                if let Some(n) = parse_numeral(&c["n"]) {
                    found.push((i, 1, n, 0, c["t"].trim().to_string(), false));
                    continue;
                }
            }
            if let Some(c) = first.is_ascii_digit().then(|| ARABIC.captures(t)).flatten() {
                if let Ok(n) = c["n"].parse::<u32>() {
                    found.push((i, 2, n, 0, c["t"].trim().to_string(), false));
                    continue;
                }
            }
        }
        if let Some(c) = first.is_ascii_digit().then(|| DOTTED.captures(t)).flatten() {
            if let (Ok(a), Ok(n)) = (c["a"].parse::<u32>(), c["n"].parse::<u32>()) {
                let whole = c.get(0).map(|m| m.end()).unwrap_or(0);
                let run_in = whole < t.len();
                found.push((i, 3, n, a, c["t"].trim().to_string(), run_in));
            }
        }
    }
    // Keep what continues the numbering: per rank, the next number under the current
    // parent (restarting at 1 when a higher level starts).
    let mut next = [1u32; 4];
    let mut current = [0u32; 4];
    let mut kept: Vec<(usize, usize, u32, String, bool)> = Vec::new();
    for (i, rank, n, major, title, run_in) in found {
        let ok = if rank == 3 {
            major == current[2] && current[2] > 0 && n == next[3]
        } else {
            n == next[rank]
        };
        if !ok {
            continue;
        }
        current[rank] = n;
        next[rank] = n + 1;
        for r in rank + 1..4 {
            next[r] = 1;
            current[r] = 0;
        }
        kept.push((i, rank, n, title, run_in));
    }
    let ranks: Vec<usize> = {
        let mut r: Vec<usize> = kept.iter().map(|k| k.1).collect();
        r.sort_unstable();
        r.dedup();
        r
    };
    // A real hierarchy: the top level appears at least twice.
    if kept.iter().filter(|k| Some(&k.1) == ranks.first()).count() < 2 {
        return Vec::new();
    }
    let levels: &[Level] = match ranks.len() {
        1 => &[Level::Chapter],
        2 => &[Level::Chapter, Level::Section],
        _ => &[Level::Part, Level::Chapter, Level::Section],
    };
    kept.into_iter()
        .filter_map(|(i, rank, n, title, run_in)| {
            let pos = ranks.iter().position(|r| *r == rank)?;
            let level = *levels.get(pos)?;
            Some((
                i,
                Heading {
                    level,
                    number: Some(n),
                    title,
                    bare: false,
                },
                run_in,
            ))
        })
        .collect()
}

fn next_nonempty<'l, 'a>(lines: &'l [Line<'a>], i: usize) -> Option<(usize, &'l Line<'a>)> {
    lines
        .iter()
        .enumerate()
        .skip(i + 1)
        .take(3)
        .find(|(_, l)| !l.text.is_empty())
}

fn looks_like_title(t: &str) -> bool {
    let n = char_len(t);
    n > 0 && n <= 40 && !t.ends_with(['。', '；', ';', '，', ',']) && !t.contains('。')
}

/// Lines of a table of contents: after a 目录 line, the run of headings (and blank or
/// page-number lines) that follows; without a marker, a run of at least six bare headings
/// whose first entry recurs later with the same title.
fn find_toc(lines: &[Line], cands: &[Candidate]) -> Vec<usize> {
    let is_cand: HashMap<usize, &Heading> = cands.iter().map(|c| (c.index, &c.heading)).collect();
    let marker = lines.iter().position(|l| {
        l.text.len() <= 16 && matches!(remove_spaces(&l.text).as_ref(), "目录" | "目次" | "目錄")
    });
    let run_from = |start: usize| -> Vec<usize> {
        let mut run: Vec<usize> = Vec::new();
        let mut first: Option<Heading> = None;
        let mut i = start;
        while i < lines.len() {
            let t = &lines[i].text;
            if t.is_empty() || t.chars().all(|c| c.is_ascii_digit()) {
                i += 1;
                continue;
            }
            let stripped = strip_toc_page(t);
            let h = is_cand
                .get(&i)
                .map(|h| (*h).clone())
                .or_else(|| recognise(&stripped));
            let Some(h) = h else { break };
            // The body starts where a preface follows other entries, or where the first
            // entry comes round again.
            if let Some(f) = &first {
                let preface_after = h.level == Level::Preface && f.level != Level::Preface;
                let again = h.level == f.level && h.number == f.number;
                if preface_after || again {
                    break;
                }
            } else {
                first = Some(h);
            }
            run.push(i);
            i += 1;
        }
        run
    };
    if let Some(m) = marker {
        if lines.len() > m + 1 {
            let run = run_from(m + 1);
            if run.len() >= 2 {
                let mut v = vec![m];
                v.extend(run);
                return v;
            }
        }
    }
    // No marker: a leading run of headings that recurs. The last line of each heading,
    // computed once, answers "does it recur after the run?" without rescanning.
    let mut last_seen: HashMap<(Level, Option<u32>, String), usize> = HashMap::new();
    for c in cands {
        last_seen.insert(
            (
                c.heading.level,
                c.heading.number,
                norm_title(&c.heading.title),
            ),
            c.index,
        );
    }
    let mut i = 0;
    while i < cands.len() {
        let start = cands[i].index;
        let run = run_from(start);
        if run.len() >= 6 {
            let first = &cands[i].heading;
            let key = (first.level, first.number, norm_title(&first.title));
            let end = *run.last().unwrap_or(&start);
            let recurs = last_seen.get(&key).is_some_and(|&at| at > end);
            if recurs {
                return run;
            }
        }
        // jump past this run
        let last = run.last().copied().unwrap_or(start);
        while i < cands.len() && cands[i].index <= last {
            i += 1;
        }
        if run.is_empty() {
            i += 1;
        }
    }
    Vec::new()
}

fn norm_title(t: &str) -> String {
    let t = strip_toc_page(t);
    t.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '，' | ',' | '、' | '·' | '.' | '…'))
        .collect()
}

/// Place body headings into a tree, assigning ancestor-path ids and checking numbering.
fn place(out: &mut Outline, body: &[(usize, Heading, u32)]) {
    let mut stack: Vec<usize> = Vec::new(); // indices into out.placed (non-box)
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    // last number seen per (parent, level) and globally per level
    let mut last_child: HashMap<(Option<usize>, Level), (u32, u32)> = HashMap::new();
    let mut last_global: HashMap<Level, u32> = HashMap::new();
    let mut last_box: Option<(u32, u32)> = None;

    for (index, h, line) in body {
        let r = rank(h.level);
        let parent = if h.level == Level::Preface {
            stack.clear();
            None
        } else {
            while let Some(&top) = stack.last() {
                let tl = out.placed[top].level;
                if rank(tl) >= r || tl == Level::Preface {
                    stack.pop();
                } else {
                    break;
                }
            }
            stack.last().copied()
        };
        let prefix = h.level.id_prefix();
        let base = match (parent, h.number) {
            (Some(p), Some(n)) => format!("{}/{prefix}{n}", out.placed[p].id),
            (None, Some(n)) => format!("{prefix}{n}"),
            (Some(p), None) => format!("{}/{prefix}", out.placed[p].id),
            (None, None) => prefix.to_string(),
        };
        let mut id = base.clone();
        if used_ids.contains(&id) {
            // The next free suffix for this base, remembered so that a thousand repeats of
            // one id cost a thousand steps, not half a million.
            let k = next_suffix.entry(base.clone()).or_insert(2);
            loop {
                id = format!("{base}~{k}");
                *k += 1;
                if !used_ids.contains(&id) {
                    break;
                }
            }
        }
        if id != base && h.level != Level::Preface {
            let parent_label = parent
                .map(|p| label(out.placed[p].level, out.placed[p].number))
                .unwrap_or_else(|| "全文".to_string());
            out.diagnostics.push(Diagnostic::warning(
                "numbering-duplicate",
                Some(*line),
                format!(
                    "{parent_label}: {} occurs more than once (id {id})",
                    label(h.level, h.number)
                ),
            ));
        }
        used_ids.insert(id.clone());

        // Numbering checks.
        if let Some(n) = h.number {
            if h.level == Level::Box {
                if let Some((prev, _)) = last_box {
                    if n > prev + 1 {
                        out.diagnostics.push(Diagnostic::warning(
                            "numbering-gap",
                            Some(*line),
                            format!("专栏{prev} is followed by 专栏{n}"),
                        ));
                    } else if n <= prev && id == base {
                        out.diagnostics.push(Diagnostic::warning(
                            "numbering-order",
                            Some(*line),
                            format!("专栏{prev} is followed by 专栏{n}"),
                        ));
                    }
                }
                last_box = Some((n, *line));
            } else if h.level != Level::Preface {
                let parent_label = parent
                    .map(|p| label(out.placed[p].level, out.placed[p].number))
                    .unwrap_or_else(|| "全文".to_string());
                match last_child.get(&(parent, h.level)) {
                    Some(&(prev, _)) => {
                        if n > prev + 1 {
                            out.diagnostics.push(Diagnostic::warning(
                                "numbering-gap",
                                Some(*line),
                                format!(
                                    "{parent_label}: {} is followed by {}",
                                    label(h.level, Some(prev)),
                                    label(h.level, Some(n))
                                ),
                            ));
                        } else if n < prev {
                            out.diagnostics.push(Diagnostic::warning(
                                "numbering-order",
                                Some(*line),
                                format!(
                                    "{parent_label}: {} is followed by {}",
                                    label(h.level, Some(prev)),
                                    label(h.level, Some(n))
                                ),
                            ));
                        }
                    }
                    None => {
                        let continuing = last_global.get(&h.level).is_some_and(|&g| n == g + 1);
                        if n != 1 && !continuing {
                            out.diagnostics.push(Diagnostic::warning(
                                "numbering-gap",
                                Some(*line),
                                format!(
                                    "{parent_label}: numbering starts at {}",
                                    label(h.level, Some(n))
                                ),
                            ));
                        }
                    }
                }
                last_child.insert((parent, h.level), (n, *line));
                last_global.insert(h.level, n);
            }
        }

        out.placed.push(Placed {
            id,
            level: h.level,
            number: h.number,
            title: h.title.clone(),
            line: *line,
            index: *index,
            parent,
        });
        if h.level != Level::Box {
            stack.push(out.placed.len() - 1);
        }
    }
}

/// Compare the table of contents with the body headings.
fn reconcile_toc(out: &mut Outline, lines: &[Line], cands: &[Candidate], toc: &[usize]) {
    // Build TOC entries with the same placing logic, on a scratch outline.
    let mut entries: Vec<(usize, Heading, u32)> = Vec::new();
    for &i in toc {
        let h = cands
            .iter()
            .find(|c| c.index == i)
            .map(|c| c.heading.clone())
            .or_else(|| recognise(&TOC_PAGE.replace(&lines[i].text, "")));
        if let Some(mut h) = h {
            h.title = TOC_PAGE.replace(&h.title, "").trim().to_string();
            entries.push((i, h, lines[i].line));
        }
    }
    let mut scratch = Outline::default();
    place(&mut scratch, &entries);
    let key = |p: &Placed| (p.id.clone(), norm_title(&p.title));
    let body: HashSet<(String, String)> = out.placed.iter().map(key).collect();
    let body_ids: HashSet<&str> = out.placed.iter().map(|p| p.id.as_str()).collect();
    let tocs: HashSet<(String, String)> = scratch.placed.iter().map(key).collect();
    let toc_ids: HashSet<&str> = scratch.placed.iter().map(|p| p.id.as_str()).collect();
    for p in &scratch.placed {
        if !body.contains(&key(p)) {
            let what = if body_ids.contains(p.id.as_str()) {
                "has a different title in the body"
            } else {
                "is missing from the body"
            };
            out.diagnostics.push(Diagnostic::warning(
                "toc-missing-in-body",
                Some(p.line),
                format!(
                    "table of contents entry {} {} {what}",
                    label(p.level, p.number),
                    p.title
                ),
            ));
        }
    }
    // Entries missing from the body at the end of the contents: the body stops early.
    let missing_tail = scratch
        .placed
        .iter()
        .rev()
        .take_while(|p| !body.contains(&key(p)) && !body_ids.contains(p.id.as_str()))
        .count();
    if missing_tail > 0 && missing_tail < scratch.placed.len() {
        let p = &scratch.placed[scratch.placed.len() - missing_tail];
        out.toc_tail_missing = Some(((p.level, p.number, p.line, p.title.clone()), missing_tail));
    }
    let toc_levels: HashSet<Level> = scratch.placed.iter().map(|p| p.level).collect();
    for p in &out.placed {
        if p.level == Level::Box || p.level == Level::Preface || !toc_levels.contains(&p.level) {
            continue;
        }
        if !tocs.contains(&key(p)) && !toc_ids.contains(p.id.as_str()) {
            let parent = p
                .parent
                .map(|q| label(out.placed[q].level, out.placed[q].number) + " ")
                .unwrap_or_default();
            out.diagnostics.push(Diagnostic::warning(
                "toc-missing-entry",
                Some(p.line),
                format!(
                    "{parent}{} {} is in the body but not in the table of contents",
                    label(p.level, p.number),
                    p.title
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_headings() {
        let h = recognise("第一篇 发展基础和环境").expect("part");
        assert_eq!(
            (h.level, h.number, h.title.as_str()),
            (Level::Part, Some(1), "发展基础和环境")
        );
        let h = recognise("第十四章 加强党的领导,保证规划顺利实施").expect("chapter");
        assert_eq!(h.number, Some(14));
        assert!(recognise("第二节").expect("bare").bare);
        let h = recognise("专栏1 “十四五”期间经济社会发展主要指标表 |").expect("box");
        assert_eq!((h.level, h.number), (Level::Box, Some(1)));
        assert_eq!(h.title, "“十四五”期间经济社会发展主要指标表");
        let h = recognise("专栏 2：大众创业万众创新重点项目").expect("box");
        assert_eq!(
            (h.number, h.title.as_str()),
            (Some(2), "大众创业万众创新重点项目")
        );
        assert_eq!(recognise("前 言").expect("preface").level, Level::Preface);
        assert!(recognise("第一章提出的目标任务要求全面完成，各部门要认真落实。").is_none());
    }

    #[test]
    fn wrapped_and_bare_titles() {
        let plan = crate::parse_text(
            "第十三章 推进社会治理体系和治理能力现代化，\n建设更高水平平安首府\n坚持总体国家安全观。\n第十四章\n加强党的领导\n正文。\n## 第十五章 规划实施\n",
        );
        let titles: Vec<&str> = plan.outline.iter().map(|n| n.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "推进社会治理体系和治理能力现代化，建设更高水平平安首府",
                "加强党的领导",
                "规划实施"
            ]
        );
    }

    #[test]
    fn chinese_numbers() {
        assert_eq!(zh_number(4), "四");
        assert_eq!(zh_number(10), "十");
        assert_eq!(zh_number(16), "十六");
        assert_eq!(zh_number(20), "二十");
        assert_eq!(zh_number(72), "七十二");
    }
}
