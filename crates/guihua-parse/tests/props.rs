//! Property tests: the parser is total and its output is well-formed, whatever the text —
//! random strings over the characters plans are made of, and the reference plans mutated
//! (lines deleted, duplicated, swapped, cut, sprinkled with table and heading debris).

mod common;

use std::collections::HashSet;

use guihua_model::{walk_outline, Plan};
use proptest::prelude::*;

/// Invariants that hold for every plan.
fn well_formed(plan: &Plan, text: &str) {
    let lines = text.split('\n').count() as u32;
    let mut ids = HashSet::new();
    for n in walk_outline(&plan.outline) {
        assert!(ids.insert(n.id.clone()), "duplicate outline id {}", n.id);
        assert!(n.line >= 1 && n.line <= lines);
    }
    for (k, i) in plan.indicators.iter().enumerate() {
        assert_eq!(i.id, format!("i{}", k + 1));
        assert!(i.line <= lines);
        assert!(!i.name.is_empty());
    }
    for (k, t) in plan.targets.iter().enumerate() {
        assert_eq!(t.id, format!("t{}", k + 1));
        assert!(t.line >= 1 && t.line <= lines);
        if let (Some(a), Some(b)) = (t.quantity.value, t.quantity.value_max) {
            assert!(b >= a.min(-a), "range {a}..{b}");
        }
    }
    for p in &plan.projects {
        assert!(p.line >= 1 && p.line <= lines);
    }
    for d in &plan.diagnostics {
        assert!(d.line.is_none_or(|l| l <= lines));
    }
}

fn plan_chars() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "第",
        "一",
        "二",
        "十",
        "篇",
        "章",
        "节",
        "专栏",
        "1",
        "2",
        "9",
        ".",
        "．",
        "、",
        "，",
        "。",
        "；",
        "：",
        "|",
        "||",
        "\t",
        "\n",
        "\n\n",
        " ",
        "　",
        "〔",
        "〕",
        "﹝",
        "﹞",
        "[",
        "]",
        "(",
        ")",
        "（",
        "）",
        "%",
        "亿元",
        "万人",
        "以上",
        "以内",
        "左右",
        ">",
        "≥",
        "—",
        "-",
        "－",
        "到2025年",
        "2020年",
        "年均增长",
        "达到",
        "控制在",
        "下达指标内",
        "与GDP增长基本同步",
        "预期性",
        "约束性",
        "类别",
        "指标",
        "年均/累计",
        "属性",
        "主要指标",
        "目 录",
        "前言",
        "注:",
        "[bookmark: _Toc1]",
        "重点实施",
        "方面：",
        "新增",
        "翻一番",
        "\u{feff}",
        "\r",
        "森林覆盖率",
        "地区生产总值",
        "𠀀",
        "é",
        "\u{200b}",
    ]);
    prop::collection::vec(pieces, 0..400).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn random_plan_like_text(text in plan_chars()) {
        let plan = guihua_parse::parse_text(&text);
        well_formed(&plan, &text);
    }

    #[test]
    fn arbitrary_strings(text in any::<String>()) {
        let plan = guihua_parse::parse_text(&text);
        well_formed(&plan, &text);
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize, usize),
    Duplicate(usize, usize),
    Swap(usize, usize),
    Cut(usize, usize),
    Insert(usize, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1..40usize).prop_map(|(a, n)| Mutation::Delete(a, n)),
        (any::<usize>(), 1..40usize).prop_map(|(a, n)| Mutation::Duplicate(a, n)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Cut(a, b)),
        (any::<usize>(), plan_chars()).prop_map(|(a, s)| Mutation::Insert(a, s)),
    ]
}

fn mutate(text: &str, muts: &[Mutation]) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    for m in muts {
        let n = lines.len().max(1);
        match m {
            Mutation::Delete(a, k) => {
                let a = a % n;
                let b = (a + k).min(lines.len());
                lines.drain(a..b);
            }
            Mutation::Duplicate(a, k) => {
                let a = a % n;
                let b = (a + k).min(lines.len());
                let copy: Vec<String> = lines[a..b].to_vec();
                let at = b;
                lines.splice(at..at, copy);
            }
            Mutation::Swap(a, b) => {
                if !lines.is_empty() {
                    lines.swap(a % n, b % n);
                }
            }
            Mutation::Cut(a, b) => {
                if !lines.is_empty() {
                    let l = &mut lines[a % n];
                    let chars: Vec<char> = l.chars().collect();
                    if !chars.is_empty() {
                        let k = b % chars.len();
                        *l = chars[..k].iter().collect();
                    }
                }
            }
            Mutation::Insert(a, s) => {
                let a = a % (lines.len() + 1);
                lines.insert(a, s.clone());
            }
        }
    }
    lines.join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn mutated_reference_plans(which in 0..5usize, muts in prop::collection::vec(mutation(), 1..12)) {
        let text = common::seed(&format!("{which:03}"));
        let mutated = mutate(&text, &muts);
        let plan = guihua_parse::parse_text(&mutated);
        well_formed(&plan, &mutated);
    }
}

fn strip_bookmarks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("[bookmark:") {
        out.push_str(&rest[..i]);
        match rest[i..].find(']') {
            Some(j) => rest = &rest[i + j + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The same text as it comes out of a printed page: lines longer than `width` characters
/// wrapped at it, and a page footer after every `every` lines in one of the forms PDF
/// converters leave ("— 9 —" alone on a line, or between blank lines where the text had
/// one, "第 9 页", "- 9 -" with a form feed).
fn printed(text: &str, width: usize, every: usize, style: usize) -> String {
    // A printed page has no Word bookmarks ("[bookmark: _Toc123]").
    let text = strip_bookmarks(text);
    let mut out: Vec<String> = Vec::new();
    let mut page = 1;
    let mut since = 0;
    for line in text.split('\n') {
        let chars: Vec<char> = line.chars().collect();
        let pieces: Vec<String> = if chars.len() > width {
            chars.chunks(width).map(|c| c.iter().collect()).collect()
        } else {
            vec![line.to_string()]
        };
        for p in pieces {
            out.push(p);
            since += 1;
            if since < every {
                continue;
            }
            let blank_here = out.last().is_some_and(|l| l.trim_matches(' ').is_empty());
            match style % 4 {
                0 => out.push(format!("— {page} —")),
                1 if blank_here => {
                    out.push(format!("— {page} —"));
                    out.push(String::new());
                }
                1 => continue,
                2 => out.push(format!("第 {page} 页")),
                _ => out.push(format!("- {page} -\u{c}")),
            }
            page += 1;
            since = 0;
        }
    }
    out.join("\n")
}

fn corpus_text(name: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(common::CORPUS).join(name))
        .unwrap_or_else(|e| panic!("corpus plan {name} missing: {e}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Wrapping at a page width and page footers change nothing that is read: the same
    /// indicator rows (tables of every layout), the same outline.
    #[test]
    fn printed_plans_read_the_same(
        which in 0..6usize,
        width in 26..44usize,
        every in 15..70usize,
        style in 0..4usize,
    ) {
        let text = match which {
            0 => common::seed("001"),
            1 => common::seed("002"),
            2 => common::seed("003"),
            3 => corpus_text("02_shanghai_15th.txt"),
            4 => corpus_text("03_guangzhou_15th.txt"),
            _ => corpus_text("04_nanjing_15th.txt"),
        };
        let plain = guihua_parse::parse_text(&text);
        let print = printed(&text, width, every, style);
        let plan = guihua_parse::parse_text(&print);
        prop_assert_eq!(common::rows_x(&plan), common::rows_x(&plain));
        prop_assert_eq!(common::review_x(&plan), common::review_x(&plain));
        for level in [guihua_model::Level::Part, guihua_model::Level::Chapter, guihua_model::Level::Section] {
            prop_assert_eq!(plan.count(level), plain.count(level), "{:?}", level);
        }
    }
}
