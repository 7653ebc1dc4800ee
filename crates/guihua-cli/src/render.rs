//! The summary a person reads: metadata, outline tree, the indicator table aligned for
//! CJK text, counts (or lists) of targets and projects, and the diagnostics.

use std::collections::BTreeMap;
use std::fmt::Write;

use guihua_contract::{comparator_name, kind_name, Source};
use guihua_model::{Level, OutlineNode, Plan, Quantity, QuantityKind};

use crate::table;

fn label(n: &OutlineNode) -> String {
    match n.level {
        Level::Preface => String::new(),
        l => guihua_parse::outline::label(l, n.number),
    }
}

fn cell(q: &Quantity) -> String {
    match q.kind {
        QuantityKind::None => "—".to_string(),
        _ => q.text.clone(),
    }
}

/// Diagnostics that say the document holds more than was read.
const MAY_BE_MISSING: &[&str] = &[
    "no-indicator-table",
    "table-unread",
    "table-rows-missing",
    "table-row-unreadable",
    "document-truncated",
    "toc-missing-in-body",
];

pub fn summary(plan: &Plan, source: &Source, all: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}",
        plan.title
            .as_deref()
            .unwrap_or("(未识别标题 / no title found)")
    );
    let mut facts = Vec::new();
    if let Some(r) = &plan.region {
        facts.push(format!("地区 {r}"));
    }
    if let Some(p) = plan.period {
        facts.push(format!("规划期 {}–{}", p.start, p.end));
    }
    if let Some(a) = &plan.adopted {
        facts.push(format!(
            "{} {}通过",
            a.date.as_deref().unwrap_or(""),
            a.by.as_deref().unwrap_or("")
        ));
    }
    if !facts.is_empty() {
        let _ = writeln!(s, "  {}", facts.join(" · "));
    }
    let _ = writeln!(
        s,
        "  来源 {} ({}, {}) sha256 {}",
        source.file,
        source.format,
        source.encoding,
        source.sha256.get(..12).unwrap_or(&source.sha256)
    );

    // Outline.
    let counts: Vec<String> = [Level::Part, Level::Chapter, Level::Section, Level::Box]
        .iter()
        .filter(|l| plan.count(**l) > 0)
        .map(|l| format!("{} {}", plan.count(*l), l.zh()))
        .collect();
    let _ = writeln!(
        s,
        "\n纲目 Outline: {}",
        if counts.is_empty() {
            "—".to_string()
        } else {
            counts.join(" · ")
        }
    );
    fn walk(s: &mut String, nodes: &[OutlineNode], depth: usize) {
        for n in nodes {
            let _ = writeln!(
                s,
                "{}{} {}  L{}",
                "  ".repeat(depth + 1),
                label(n),
                n.title,
                n.line
            );
            walk(s, &n.children, depth + 1);
        }
    }
    walk(&mut s, &plan.outline, 0);

    // Indicators.
    if !plan.indicators.is_empty() {
        let _ = writeln!(s, "\n主要指标 Indicators: {}", plan.indicators.len());
        let (by, ty) = plan
            .indicators
            .first()
            .map(|i| (i.base.year, i.target.year))
            .unwrap_or((None, None));
        let year =
            |y: Option<i32>, d: &str| y.map(|y| format!("{y}年")).unwrap_or_else(|| d.to_string());
        let mut rows = vec![vec![
            "序号".to_string(),
            "类别".to_string(),
            "指标".to_string(),
            "单位".to_string(),
            year(by, "基期"),
            year(ty, "目标"),
            "年均/累计".to_string(),
            "属性".to_string(),
        ]];
        for i in &plan.indicators {
            let name = match &i.parent {
                Some(p) => format!("{p} › {}", i.name),
                None => i.name.clone(),
            };
            rows.push(vec![
                i.seq.clone().unwrap_or_default(),
                i.category.clone().unwrap_or_default(),
                name,
                i.unit.clone().unwrap_or_default(),
                cell(&i.base),
                cell(&i.target),
                cell(&i.pace),
                i.attribute.map(|a| a.zh().to_string()).unwrap_or_default(),
            ]);
        }
        for line in table::render(&rows, 28).lines() {
            let _ = writeln!(s, "  {line}");
        }
        for n in &plan.indicator_notes {
            let _ = writeln!(s, "  {}", n.text);
        }
    }

    // The review of the previous plan, when the document has one.
    if !plan.review.is_empty() {
        let ty = plan.review.first().and_then(|r| r.indicator.target.year);
        let _ = writeln!(
            s,
            "\n上期回顾 Review of the previous plan: {} rows{}",
            plan.review.len(),
            ty.map(|y| format!(" (targets and actuals for {y})"))
                .unwrap_or_default()
        );
        let mut rows = vec![vec![
            "序号".to_string(),
            "指标".to_string(),
            "单位".to_string(),
            "规划目标".to_string(),
            "年均/累计".to_string(),
            "完成".to_string(),
            "属性".to_string(),
        ]];
        for r in &plan.review {
            let i = &r.indicator;
            rows.push(vec![
                i.seq.clone().unwrap_or_default(),
                i.name.clone(),
                i.unit.clone().unwrap_or_default(),
                cell(&i.target),
                cell(&i.pace),
                cell(&r.actual),
                i.attribute.map(|a| a.zh().to_string()).unwrap_or_default(),
            ]);
        }
        for line in table::render(&rows, 28).lines() {
            let _ = writeln!(s, "  {line}");
        }
    }

    // Targets and projects.
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &plan.targets {
        *kinds.entry(kind_name(t.quantity.kind)).or_default() += 1;
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let _ = writeln!(
        s,
        "\n目标 Targets: {}{}",
        plan.targets.len(),
        if kinds.is_empty() {
            String::new()
        } else {
            format!(" ({})", kinds.join(", "))
        }
    );
    if all && !plan.targets.is_empty() {
        let mut rows = vec![vec![
            "行".to_string(),
            "对象".to_string(),
            "类型".to_string(),
            "比较".to_string(),
            "数值".to_string(),
            "单位".to_string(),
            "年份".to_string(),
            "原文".to_string(),
        ]];
        for t in &plan.targets {
            let q = &t.quantity;
            let value = match (q.value, q.value_max) {
                (Some(a), Some(b)) => format!("{a}–{b}"),
                (Some(a), None) => format!("{a}"),
                _ => q.reference.clone().unwrap_or_default(),
            };
            rows.push(vec![
                t.line.to_string(),
                t.subject.clone(),
                kind_name(q.kind).to_string(),
                q.comparator.map(comparator_name).unwrap_or("").to_string(),
                value,
                q.unit.clone().unwrap_or_default(),
                q.year.map(|y| y.to_string()).unwrap_or_default(),
                q.text.clone(),
            ]);
        }
        for line in table::render(&rows, 30).lines() {
            let _ = writeln!(s, "  {line}");
        }
    }
    let boxes = plan
        .projects
        .iter()
        .filter_map(|p| p.box_id.as_deref())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let _ = writeln!(
        s,
        "项目 Projects: {} (in {boxes} 专栏)",
        plan.projects.len()
    );
    if all {
        for p in &plan.projects {
            let _ = writeln!(
                s,
                "  L{:<5} {:<12} {}{}",
                p.line,
                p.box_id.as_deref().unwrap_or(""),
                p.group
                    .as_deref()
                    .map(|g| format!("[{g}] "))
                    .unwrap_or_default(),
                p.name
            );
        }
    }

    // What the document announces that was not read: said before anything else.
    let missing: Vec<&guihua_model::Diagnostic> = plan
        .diagnostics
        .iter()
        .filter(|d| MAY_BE_MISSING.contains(&d.code))
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(s, "\n可能遗漏 What may be missing: {}", missing.len());
        for d in &missing {
            let line = d.line.map(|l| format!("L{l}")).unwrap_or_default();
            let _ = writeln!(s, "  {line:<6} {}", d.message);
        }
    }

    // Diagnostics.
    let _ = writeln!(s, "\n诊断 Diagnostics: {}", plan.diagnostics.len());
    for d in &plan.diagnostics {
        let line = d.line.map(|l| format!("L{l}")).unwrap_or_default();
        let _ = writeln!(
            s,
            "  {:<7} {:<6} {:<22} {}",
            d.severity.as_str(),
            line,
            d.code,
            d.message
        );
    }
    s
}
