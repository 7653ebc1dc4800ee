//! What a plan contributes to the index: one searchable document per paragraph of its
//! text, per indicator, per target and per project, each with where it stands in the plan
//! (outline path and line). Pure: a plan and its text in, documents out — the benchmark
//! and the index build the same documents.

use guihua_model::{Level, OutlineNode, Plan};

/// The longest body kept for one document (characters): a paragraph longer than this (a
/// whole table flattened into one line) is cut, so one hostile line cannot make one
/// enormous document.
pub const MAX_BODY_CHARS: usize = 20_000;

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A paragraph of the plan's text (headings included).
    Text,
    /// A row of the main indicator table.
    Indicator,
    /// A target stated in prose.
    Target,
    /// A project of a 专栏.
    Project,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Text, Kind::Indicator, Kind::Target, Kind::Project];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Indicator => "indicator",
            Kind::Target => "target",
            Kind::Project => "project",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Kind::Text => "正文",
            Kind::Indicator => "指标",
            Kind::Target => "目标",
            Kind::Project => "项目",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One searchable document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    pub kind: Kind,
    /// The indicator, target or project id ("i3", "t12", "j4"); `None` for text.
    pub subject: Option<String>,
    /// The line of the plan's text it comes from (1-based; 0 when not known).
    pub line: u32,
    /// The outline path above it ("第三篇 › 第八章 推进城市更新"), empty before the first heading.
    pub location: String,
    pub body: String,
}

/// The five-year plan a period is (2021–2025 → 14, 2026–2030 → 15); `None` for a period
/// that is not one of the five-year plans since 1956.
pub fn five_year_number(start: i32) -> Option<u32> {
    (start >= 1956 && (start - 1956) % 5 == 0).then(|| ((start - 1956) / 5 + 1) as u32)
}

/// The documents of a plan. `text` is the plan's text as read (line *n* is element
/// *n − 1*); without it only the indicators, targets and projects are indexed.
pub fn documents(plan: &Plan, text: Option<&[String]>) -> Vec<Doc> {
    let outline = Outline::new(&plan.outline);
    let mut out = Vec::new();
    if let Some(lines) = text {
        for (i, line) in lines.iter().enumerate() {
            let body = line.trim();
            if body.is_empty() {
                continue;
            }
            let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
            out.push(Doc {
                kind: Kind::Text,
                subject: None,
                line,
                location: outline.at(line),
                body: cut(body),
            });
        }
    }
    for i in &plan.indicators {
        let mut body = i.name.clone();
        if let Some(u) = &i.unit {
            body.push_str(&format!("（{u}）"));
        }
        for part in [
            i.category.as_deref(),
            i.attribute.map(|a| a.zh()),
            Some(i.base.text.as_str()),
            Some(i.target.text.as_str()),
            Some(i.pace.text.as_str()),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        {
            body.push(' ');
            body.push_str(part.trim());
        }
        out.push(Doc {
            kind: Kind::Indicator,
            subject: Some(i.id.clone()),
            line: i.line,
            location: outline.at(i.line),
            body: cut(&body),
        });
    }
    for t in &plan.targets {
        out.push(Doc {
            kind: Kind::Target,
            subject: Some(t.id.clone()),
            line: t.line,
            location: outline.at(t.line),
            body: cut(&t.quantity.text),
        });
    }
    for p in &plan.projects {
        let body = if p.text.contains(&p.name) {
            p.text.clone()
        } else {
            format!("{} {}", p.name, p.text)
        };
        out.push(Doc {
            kind: Kind::Project,
            subject: Some(p.id.clone()),
            line: p.line,
            location: outline.at(p.line),
            body: cut(&body),
        });
    }
    out
}

fn cut(s: &str) -> String {
    match s.char_indices().nth(MAX_BODY_CHARS) {
        Some((at, _)) => s[..at].to_string(),
        None => s.to_string(),
    }
}

/// The outline as (line, depth, label), in line order: answers "which headings are above
/// line n" by a scan that keeps the innermost heading of each depth.
struct Outline {
    heads: Vec<(u32, usize, String)>,
}

impl Outline {
    fn new(nodes: &[OutlineNode]) -> Outline {
        fn walk(n: &OutlineNode, depth: usize, out: &mut Vec<(u32, usize, String)>) {
            out.push((n.line, depth, label(n)));
            for c in &n.children {
                walk(c, depth + 1, out);
            }
        }
        let mut heads = Vec::new();
        for n in nodes {
            walk(n, 0, &mut heads);
        }
        heads.sort_by_key(|h| h.0);
        Outline { heads }
    }

    fn at(&self, line: u32) -> String {
        if line == 0 {
            return String::new();
        }
        let mut path: Vec<&(u32, usize, String)> = Vec::new();
        for h in self.heads.iter().take_while(|h| h.0 <= line) {
            while path.last().is_some_and(|p| p.1 >= h.1) {
                path.pop();
            }
            path.push(h);
        }
        path.iter()
            .map(|h| h.2.as_str())
            .collect::<Vec<_>>()
            .join(" › ")
    }
}

/// "第八章 推进城市更新", "专栏3 重大项目", "前言".
fn label(n: &OutlineNode) -> String {
    let number = n.number.map(guihua_parse::outline::zh_number);
    let head = match (n.level, number) {
        (Level::Part, Some(k)) => format!("第{k}篇"),
        (Level::Chapter, Some(k)) => format!("第{k}章"),
        (Level::Section, Some(k)) => format!("第{k}节"),
        (Level::Box, Some(_)) => format!("专栏{}", n.number.unwrap_or_default()),
        (level, _) => level.zh().to_string(),
    };
    if n.title.is_empty() || n.title == head {
        head
    } else if n.level == Level::Preface {
        n.title.clone()
    } else {
        format!("{head} {}", n.title)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, level: Level, number: Option<u32>, title: &str, line: u32) -> OutlineNode {
        OutlineNode {
            id: id.into(),
            level,
            number,
            title: title.into(),
            line,
            children: vec![],
        }
    }

    #[test]
    fn locations_follow_the_outline() {
        let mut part = node("p1", Level::Part, Some(1), "开启新征程", 3);
        let mut chapter = node("p1/c8", Level::Chapter, Some(8), "推进城市更新", 5);
        chapter
            .children
            .push(node("p1/c8/s2", Level::Section, Some(2), "改造老旧小区", 8));
        part.children.push(chapter);
        part.children
            .push(node("p1/c9", Level::Chapter, Some(9), "建设美丽城市", 12));
        let o = Outline::new(&[node("f", Level::Preface, None, "前言", 1), part]);
        assert_eq!(o.at(2), "前言");
        assert_eq!(o.at(4), "第一篇 开启新征程");
        assert_eq!(
            o.at(9),
            "第一篇 开启新征程 › 第八章 推进城市更新 › 第二节 改造老旧小区"
        );
        assert_eq!(o.at(12), "第一篇 开启新征程 › 第九章 建设美丽城市");
        assert_eq!(o.at(0), "");
    }

    #[test]
    fn periods_are_numbered() {
        assert_eq!(five_year_number(2021), Some(14));
        assert_eq!(five_year_number(2026), Some(15));
        assert_eq!(five_year_number(2016), Some(13));
        assert_eq!(five_year_number(2023), None);
        assert_eq!(five_year_number(1900), None);
    }

    #[test]
    fn long_bodies_are_cut_and_empty_lines_skipped() {
        let long = "氢".repeat(MAX_BODY_CHARS + 5);
        let text = vec![String::new(), "  ".into(), long];
        let docs = documents(&Plan::default(), Some(&text));
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].line, 3);
        assert_eq!(docs[0].body.chars().count(), MAX_BODY_CHARS);
    }
}
