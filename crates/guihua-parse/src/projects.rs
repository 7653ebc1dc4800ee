//! Projects: the items of 专栏 project boxes (重点工程/重点项目).
//!
//! Boxes list items in two ways:
//! * numbered — "1.铁路枢纽建设工程。… 2.公路枢纽建设工程。…" (a `\d+.` inside "9.3万平方米"
//!   is not an item break: item numbers must run 1, 2, 3…);
//! * `、`-lists, often under sub-labels — "铁路方面：A、B、C。公路方面：…",
//!   "重点实施A、B（含C、D）、E等项目。" (a `、` inside brackets keeps the item whole).
//!
//! A box ends at the next heading, at a blank line once it has content, or at a line that
//! reads as prose rather than a list.

use std::sync::LazyLock;

use guihua_model::{Diagnostic, Level, Money, Project};
use regex::Regex;

use crate::text::char_len;
use crate::Context;

static ITEM_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\s。；;|])(?P<mark>(?P<n>\d{1,2})(?P<dot>[.．、])|[（(](?P<p>\d{1,2})[）)])\s*(?P<first>[^\s])")
        .expect("valid regex")
});
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<label>[^：:，,。；;]{2,24}?)[：:]\s*(?P<rest>.*)$").expect("valid regex")
});
static INVESTMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:总投资|计划投资|估算投资|概算投资|预计投资|投资)(?:额)?(?:约|达|为|约为)?\s*(?P<v>\d+(?:\.\d+)?)\s*(?P<u>亿元|万元)")
        .expect("valid regex")
});
static CAPACITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?:年产|日产|年处理|日处理|年加工|年屠宰|年出栏|装机容量|装机|供水能力|设计能力)\s*\d+(?:\.\d+)?\s*[万亿千百]?(?:平方米|立方米|千瓦时|千瓦|兆瓦|吨|米|件|套|锭|头|只|辆|台|张|床|度)(?:/(?:年|天|日))?|\d+(?:\.\d+)?\s*[万亿]?(?:立方米|吨|千瓦|人次)/(?:天|日|年)|\d+(?:\.\d+)?\s*(?:t/d|MW|GW|千伏|万锭|兆瓦|万千瓦))")
        .expect("valid regex")
});
static LEAD_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:重点实施|重点推进|重点建设|重点打造|主要包括|包括|加快推进|积极推进|加快建设|加快实施|大力推进|推进|推动|纳入|实施|新建|续建|扩建|建设|启动|谋划|完成|积极|加快)+")
        .expect("valid regex")
});

pub(crate) fn extract(ctx: &Context) -> (Vec<Project>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let diags = Vec::new();
    let placed = &ctx.outline.placed;
    for (k, b) in placed.iter().enumerate() {
        if b.level != Level::Box {
            continue;
        }
        if crate::table::is_table_title(&b.title) {
            continue;
        }
        let end = placed
            .get(k + 1)
            .map(|n| n.index)
            .unwrap_or(ctx.lines.len());
        let section = ctx
            .outline
            .enclosing(b.index, |l| l != Level::Box)
            .map(|p| p.id.clone());
        let body = box_body(ctx, b.index + 1, end);
        let mut items: Vec<(String, Option<String>, u32)> = Vec::new();
        // Item numbers run on across the box's lines ("1.…" / "2.…" one per line).
        let mut expected = 1u32;
        for (text, line) in body {
            items.extend(
                items_of_line(&text, &mut expected)
                    .into_iter()
                    .map(|(t, g)| (t, g, line)),
            );
        }
        for (text, group, line) in items {
            let name = name_of(&text);
            if char_len(&name) < 2 {
                continue;
            }
            out.push(Project {
                id: String::new(),
                name,
                group,
                box_id: Some(b.id.clone()),
                section: section.clone(),
                investment: investment_of(&text),
                capacity: CAPACITY.find(&text).map(|m| m.as_str().to_string()),
                text,
                line,
            });
        }
    }
    // Named projects in prose, outside boxes.
    let box_lines: std::collections::HashSet<u32> = out.iter().map(|p| p.line).collect();
    for (i, l) in ctx.lines.iter().enumerate() {
        if ctx.excluded.contains(&i)
            || box_lines.contains(&l.line)
            || !(l.text.contains("项目") || l.text.contains("工程"))
        {
            continue;
        }
        let Some(at) = ctx.outline.enclosing_index(i, |_| true) else {
            continue;
        };
        let here = &placed[at];
        if here.level == Level::Box {
            continue; // inside a box: handled above
        }
        let chain = ctx.outline.ancestors(at);
        if chain.iter().any(|p| crate::targets::historical(&p.title)) {
            continue;
        }
        for (name, text) in prose_projects(&l.text) {
            out.push(Project {
                id: String::new(),
                name,
                group: None,
                box_id: None,
                section: Some(here.id.clone()),
                investment: investment_of(&text),
                capacity: CAPACITY.find(&text).map(|m| m.as_str().to_string()),
                text,
                line: l.line,
            });
        }
    }
    out.sort_by_key(|p| p.line);
    for (i, p) in out.iter_mut().enumerate() {
        p.id = format!("j{}", i + 1);
    }
    (out, diags)
}

/// Named projects in a paragraph: after a verb of building, a name ending in 项目/工程 that
/// names a place, a number or a quoted programme ("推动淖毛湖750千伏输变电工程建设"). Generic
/// programmes ("实施人才引进工程") are left out.
fn prose_projects(t: &str) -> Vec<(String, String)> {
    static NAMED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\d|[县市镇乡村湖山河峡口岸矿园站库场港桥洞]|“").expect("valid regex")
    });
    const VERBS: [&str; 14] = [
        "建设", "实施", "推进", "推动", "加快", "启动", "建成", "谋划", "争取", "开工", "续建",
        "新建", "配套", "完成",
    ];
    const STOP: [char; 11] = ['，', ',', '。', '；', ';', '、', '：', ':', '（', '(', '）'];
    // A name: from just after the first verb of the clause to a 项目/工程, at most 40
    // characters, never across punctuation or across an earlier 项目/工程. A scan over the
    // keyword positions, not a regex: the lazy bounded pattern was a fifth of parse time.
    let names_in = |sentence: &str| -> Vec<String> {
        let mut found = Vec::new();
        let mut from = 0usize;
        let mut search = 0usize;
        while let Some(rel) = sentence[search..].find(['项', '工']) {
            let at = search + rel;
            let rest = &sentence[at..];
            let kw = if rest.starts_with("项目") {
                "项目"
            } else if rest.starts_with("工程") {
                "工程"
            } else {
                search = at + rest.chars().next().map(char::len_utf8).unwrap_or(1);
                continue;
            };
            let end = at + kw.len();
            // The clause holding the keyword, after the previous name.
            let start = sentence[from..at]
                .rfind(STOP)
                .map(|k| {
                    from + k
                        + sentence[from + k..]
                            .chars()
                            .next()
                            .map(char::len_utf8)
                            .unwrap_or(1)
                })
                .unwrap_or(from);
            let clause = &sentence[start..at];
            if let Some((vpos, verb)) = VERBS
                .iter()
                .filter_map(|v| clause.find(v).map(|p| (p, *v)))
                .min_by_key(|(p, _)| *p)
            {
                let name = &sentence[start + vpos + verb.len()..end];
                let n = char_len(name);
                if (6..=42).contains(&n) {
                    found.push(name.to_string());
                }
            }
            from = end;
            search = end;
        }
        found
    };
    let mut out = Vec::new();
    for sentence in split_outside(t, &['。', '；', ';']) {
        if !(sentence.contains("项目") || sentence.contains("工程")) {
            continue;
        }
        for raw in names_in(sentence) {
            let name = LEAD_VERB.replace(raw.trim(), "").trim().to_string();
            let generic =
                name.starts_with("一批") || name.contains("等") || name.starts_with("各类");
            let balanced = name.matches('“').count() == name.matches('”').count();
            // Words that contain a place character without naming a place.
            let mut plain = name.clone();
            for w in [
                "城市", "市政", "市场", "农村", "乡村", "村庄", "城乡", "山水", "湖草", "县域",
                "全县", "全市", "园区", "城镇", "河道", "河湖", "库区", "闸库", "场所", "市域",
                "乡镇",
            ] {
                if plain.contains(w) {
                    plain = plain.replace(w, "");
                }
            }
            if generic || !balanced || !NAMED.is_match(&plain) || char_len(&name) < 6 {
                continue;
            }
            out.push((name, sentence.trim().to_string()));
        }
    }
    out
}

/// The lines of a box: from `start` until a heading, a blank line after content, or prose.
fn box_body(ctx: &Context, start: usize, end: usize) -> Vec<(String, u32)> {
    let mut body = Vec::new();
    for i in start..end.min(ctx.lines.len()) {
        let l = &ctx.lines[i];
        if ctx.outline.heading_lines.contains(&i) {
            break;
        }
        let t = l.text.trim().trim_end_matches(['|', '｜']).trim();
        if t.is_empty() {
            if body.is_empty() {
                continue;
            }
            if l.raw.trim().is_empty() && !l.raw.contains('|') {
                break;
            }
            continue;
        }
        // An indented line after a box is the body text resuming (Word exports).
        let indented = l.raw.starts_with(' ') || l.raw.starts_with('\u{3000}');
        if !body.is_empty() && (indented || is_prose(t)) {
            break;
        }
        let closes = l.text.trim_end().ends_with('|');
        body.push((t.to_string(), l.line));
        if closes {
            // Pipe exports close a box's content with " |".
            continue;
        }
        if body.len() > 200 {
            break;
        }
    }
    body
}

/// A paragraph of ordinary prose (a run-in lead followed by sentences, few list marks).
fn is_prose(t: &str) -> bool {
    let n = char_len(t);
    let lists = t.matches('、').count() + t.matches('，').count();
    let labelled = LABEL.is_match(t) || ITEM_MARK.is_match(t);
    !labelled && n > 40 && lists * 12 < n
}

/// Split text at `seps` outside brackets and quotes.
fn split_outside<'s>(s: &'s str, seps: &[char]) -> Vec<&'s str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '（' | '“' | '《' | '[' | '［' => depth += 1,
            ')' | '）' | '”' | '》' | ']' | '］' => depth = (depth - 1).max(0),
            _ => {}
        }
        if depth == 0 && seps.contains(&c) {
            out.push(&s[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&s[start..]);
    out
}

/// Items of one box line, each with its sub-label.
fn items_of_line(t: &str, expected: &mut u32) -> Vec<(String, Option<String>)> {
    // Numbered items with a running sequence.
    let mut marks: Vec<(usize, usize)> = Vec::new(); // (start of mark, start of text)
    let start_expected = *expected;
    for c in ITEM_MARK.captures_iter(t) {
        let (Some(mark), Some(first)) = (c.name("mark"), c.name("first")) else {
            continue;
        };
        // After an ASCII dot a digit means a decimal ("9.3万"), not an item.
        if c.name("dot").is_some_and(|d| d.as_str() == ".")
            && first.as_str().starts_with(|ch: char| ch.is_ascii_digit())
        {
            continue;
        }
        let n = c
            .name("n")
            .or(c.name("p"))
            .and_then(|m| m.as_str().parse::<u32>().ok());
        if n == Some(*expected) {
            marks.push((mark.start(), first.start()));
            *expected += 1;
        }
    }
    if marks.len() >= 2 || (marks.len() == 1 && marks[0].0 == 0) {
        let mut out = Vec::new();
        for (k, &(_, text_start)) in marks.iter().enumerate() {
            let end = marks.get(k + 1).map(|m| m.0).unwrap_or(t.len());
            let item = t[text_start..end]
                .trim()
                .trim_end_matches(['|', ' '])
                .trim();
            if !item.is_empty() {
                out.push((item.to_string(), None));
            }
        }
        return out;
    }

    *expected = start_expected;
    // Lists: sentences, each possibly labelled ("铁路方面：…"), a short run-in sentence
    // labelling what follows ("水利基础设施。…").
    let mut out = Vec::new();
    let mut group: Option<String> = None;
    for sentence in split_outside(t, &['。', '；', ';']) {
        let mut s = sentence.trim().to_string();
        if s.is_empty() {
            continue;
        }
        if let Some(c) = LABEL.captures(&s) {
            group = Some(c["label"].trim().to_string());
            s = c["rest"].trim().to_string();
        } else if char_len(&s) <= 14 && !s.contains('、') && !s.contains('，') {
            group = Some(s.clone());
            continue;
        }
        // Prose before the list: keep what follows 重点实施/包括.
        for marker in ["重点实施", "重点推进", "重点建设", "主要包括", "包括"] {
            if let Some(i) = s.find(marker) {
                if i > 0 {
                    s = s[i..].to_string();
                }
                break;
            }
        }
        let parts = split_outside(&s, &['、', '，', ',']);
        if parts.len() < 2 && char_len(&s) > 60 {
            continue; // a sentence of prose, not a list
        }
        for p in parts {
            let item = p
                .trim()
                .trim_end_matches("等重点工程项目")
                .trim_end_matches("等重点项目")
                .trim_end_matches("等建设项目")
                .trim_end_matches("等工程项目")
                .trim_end_matches("等项目")
                .trim_end_matches("等工程")
                .trim_end_matches('等')
                .trim();
            let item = LEAD_VERB.replace(item, "");
            let item = item.trim();
            if char_len(item) >= 2 {
                out.push((item.to_string(), group.clone()));
            }
        }
    }
    out
}

/// A project's name: the item's first sentence, without leading verbs, a trailing 建设, or
/// what follows 暨.
fn name_of(item: &str) -> String {
    // "铁路：东海至南港城际铁路，…": a short leading label is a kind, not the name.
    let item = match item.split_once(['：', ':']) {
        Some((label, rest)) if char_len(label) <= 3 && char_len(rest.trim()) >= 2 => rest.trim(),
        _ => item,
    };
    let first = item
        .split(['。', '；', ';', '：', ':'])
        .next()
        .unwrap_or(item)
        .trim();
    let mut name = LEAD_VERB.replace(first, "").trim().to_string();
    if let Some(i) = name.find('暨') {
        name.truncate(i);
    }
    // "楼庄子供水工程建设,“十四五”期间,达到…": the name ends at the first comma.
    if let Some(i) = name.find(['，', ',']) {
        if char_len(&name[..i]) >= 4 {
            name.truncate(i);
        }
    }
    for suffix in ["项目建设", "工程建设", "建设"] {
        if name.ends_with(suffix) && char_len(&name) > char_len(suffix) + 2 {
            let keep = name.len() - "建设".len();
            name.truncate(keep);
            break;
        }
    }
    if char_len(&name) > 40 {
        if let Some(i) = name.find(['，', ',']) {
            name.truncate(i);
        }
    }
    name.trim().to_string()
}

fn investment_of(text: &str) -> Option<Money> {
    let c = INVESTMENT.captures(text)?;
    Some(Money {
        value: c["v"].parse().ok()?,
        unit: c["u"].to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items_of_line_fresh(t: &str) -> Vec<(String, Option<String>)> {
        items_of_line(t, &mut 1)
    }

    #[test]
    fn numbered_items_ignore_decimals() {
        let items = items_of_line_fresh("1.航空枢纽建设工程。新建9.3万平方米的综合交通中心。 2.公路枢纽建设工程。加快形成路网。 |");
        assert_eq!(items.len(), 2);
        assert_eq!(name_of(&items[0].0), "航空枢纽建设工程");
        assert_eq!(name_of(&items[1].0), "公路枢纽建设工程");
    }

    #[test]
    fn lists_with_labels_and_brackets() {
        let items = items_of_line_fresh("综合交通设施。铁路方面：塔城至阿亚古兹铁路（国内段）、克拉玛依至塔城铁路电气化改造。公路方面：G219线（含A、B段）、S201线等项目。");
        let names: Vec<(&str, Option<&str>)> = items
            .iter()
            .map(|(t, g)| (t.as_str(), g.as_deref()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("塔城至阿亚古兹铁路（国内段）", Some("铁路方面")),
                ("克拉玛依至塔城铁路电气化改造", Some("铁路方面")),
                ("G219线（含A、B段）", Some("公路方面")),
                ("S201线", Some("公路方面")),
            ]
        );
    }

    #[test]
    fn names_and_money() {
        assert_eq!(
            name_of("加快推进甘泉堡新水源地第二净水厂暨主城区扬水应急保障工程建设。“十四五”期间,达到40万立方米/天供水能力。"),
            "甘泉堡新水源地第二净水厂"
        );
        let m = investment_of("项目总投资约45.6亿元").expect("money");
        assert_eq!((m.value, m.unit.as_str()), (45.6, "亿元"));
        assert_eq!(
            CAPACITY
                .find("达到40万立方米/天供水能力")
                .map(|m| m.as_str()),
            Some("40万立方米/天")
        );
    }
}
