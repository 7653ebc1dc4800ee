//! The words of a report that only people can write — 主要成效 (achievements), 存在问题
//! (problems), 下一步工作 (next steps) — read from a text or Markdown file and merged into
//! the report, so staff write the words and guihua brings the numbers.
//!
//! The file is sections under headings (Markdown `#`/`##`, or a line such as
//! "一、主要成效"); lower headings ("（一）…", "###") are paragraphs inside the section. A
//! heading is recognised by what it is about
//! (成效/成绩/进展; 问题/不足/困难/短板; 下一步/建议/举措/安排/打算). Paragraphs are separated
//! by blank lines; list items ("- …", "1. …", "1.…", "（1）…") are paragraphs of their own. Text
//! before the first heading, or under a heading that is none of the three, is an error
//! naming the line: silently dropping a paragraph somebody wrote is worse than refusing.

use guihua_report::Narrative;

use crate::{Error, Result};

/// Longest narrative file accepted (1 MiB of text is hundreds of pages).
pub const MAX_BYTES: usize = 1 << 20;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Achievements,
    Problems,
    NextSteps,
}

/// A section heading's text without its markers: a Markdown heading of level 1 or 2, or a
/// top-level Chinese section number ("一、主要成效"). Lower headings ("### …", "（一）…")
/// structure the text inside a section and are kept as its paragraphs.
fn heading(line: &str) -> Option<&str> {
    let t = line.trim();
    if let Some(h) = t.strip_prefix("## ").or_else(|| t.strip_prefix("# ")) {
        return Some(h.trim());
    }
    let (head, rest) = t.split_once('、')?;
    let top = !head.is_empty() && head.chars().all(|c| "一二三四五六七八九十".contains(c));
    (top && rest.chars().count() <= 30).then_some(rest.trim())
}

fn section_of(title: &str) -> Option<Section> {
    let has = |ws: &[&str]| ws.iter().any(|w| title.contains(w));
    if has(&["下一步", "建议", "举措", "安排", "打算", "措施"]) {
        Some(Section::NextSteps)
    } else if has(&["问题", "不足", "困难", "短板", "挑战"]) {
        Some(Section::Problems)
    } else if has(&["成效", "成绩", "进展", "成就"]) {
        Some(Section::Achievements)
    } else {
        None
    }
}

/// A list item's text, if the line starts one: "- …", "* …", "1. …", "1.…", "1、…",
/// "（1）…", "(1)…", or a sub-heading "（一）…" / "### …" (a paragraph of its own).
fn list_item(line: &str) -> Option<&str> {
    let t = line.trim_start();
    if let Some(r) = t
        .strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))
        .or_else(|| t.strip_prefix("### "))
    {
        return Some(r.trim());
    }
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 {
        let rest = &t[digits..];
        if let Some(r) = rest
            .strip_prefix('.')
            .or_else(|| rest.strip_prefix('、'))
            .or_else(|| rest.strip_prefix('．'))
        {
            return Some(r.trim());
        }
    }
    let inner = t.strip_prefix('（').or_else(|| t.strip_prefix('('))?;
    let (n, r) = inner.split_once('）').or_else(|| inner.split_once(')'))?;
    let numbered = !n.is_empty()
        && n.chars()
            .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c));
    numbered.then_some(r.trim())
}

/// "（一）…" or "### …": a heading inside a section.
fn is_sub_heading(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("### ")
        || t.strip_prefix('（')
            .and_then(|r| r.split_once('）'))
            .is_some_and(|(n, _)| {
                !n.is_empty() && n.chars().all(|c| "一二三四五六七八九十".contains(c))
            })
}

/// Read a narrative file (`name` for messages).
pub fn parse(name: &str, text: &str) -> Result<Narrative> {
    if text.len() > MAX_BYTES {
        return Err(Error::Invalid(format!(
            "{name}: {} bytes; a narrative is at most {MAX_BYTES} bytes",
            text.len()
        )));
    }
    let mut n = Narrative::default();
    let mut current: Option<Section> = None;
    let mut para = String::new();
    let flush = |n: &mut Narrative, s: Option<Section>, para: &mut String| {
        let p = std::mem::take(para);
        let p = p.trim();
        if p.is_empty() {
            return;
        }
        // The same cleaning as every report text: characters Word and Excel refuse go,
        // a form feed from a PDF becomes a space.
        let p = guihua_report::document_text(p).into_owned();
        match s {
            Some(Section::Achievements) => n.achievements.push(p),
            Some(Section::Problems) => n.problems.push(p),
            Some(Section::NextSteps) => n.next_steps.push(p),
            None => {}
        }
    };
    for (i, line) in text.lines().enumerate() {
        let ln = i + 1;
        if let Some(h) = heading(line) {
            flush(&mut n, current, &mut para);
            current = Some(section_of(h).ok_or_else(|| {
                Error::Invalid(format!(
                    "{name}: line {ln}: heading \"{h}\" is none of 主要成效, 存在问题, 下一步工作"
                ))
            })?);
            continue;
        }
        if line.trim().is_empty() {
            flush(&mut n, current, &mut para);
            continue;
        }
        if current.is_none() {
            return Err(Error::Invalid(format!(
                "{name}: line {ln}: text before the first heading (主要成效, 存在问题 or 下一步工作)"
            )));
        }
        if let Some(item) = list_item(line) {
            flush(&mut n, current, &mut para);
            para.push_str(item);
            // A sub-heading is a paragraph of one line; a list item may wrap.
            if is_sub_heading(line) {
                flush(&mut n, current, &mut para);
            }
            continue;
        }
        // A line wrapped inside a paragraph: Chinese joins without a space.
        let t = line.trim();
        if !para.is_empty()
            && (para.ends_with(|c: char| c.is_ascii_alphanumeric()))
            && t.starts_with(|c: char| c.is_ascii_alphanumeric())
        {
            para.push(' ');
        }
        para.push_str(t);
    }
    flush(&mut n, current, &mut para);
    if n.achievements.is_empty() && n.problems.is_empty() && n.next_steps.is_empty() {
        return Err(Error::Invalid(format!(
            "{name}: no text under 主要成效, 存在问题 or 下一步工作"
        )));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_paragraphs_and_refusals() {
        let text = "# 主要成效\n\n经济运行稳中向好，\n地区生产总值增长5.2%。\n\n- 新建学校12所\n- 新增就业2.1万人\n\n二、存在的问题\n\n制造业投资偏弱。\n\n## 下一步工作打算\n1. 抓项目稳投资\n2. 保民生\n";
        let n = parse("n.md", text).unwrap();
        assert_eq!(
            n.achievements,
            [
                "经济运行稳中向好，地区生产总值增长5.2%。",
                "新建学校12所",
                "新增就业2.1万人"
            ]
        );
        assert_eq!(n.problems, ["制造业投资偏弱。"]);
        assert_eq!(n.next_steps, ["抓项目稳投资", "保民生"]);
        // Sub-headings and numbered items stay in their section, each a paragraph.
        let n = parse(
            "n.md",
            "三、下一步工作\n（一）着力解决就业问题\n扩大就业。\n（2）稳物价\n1.抓项目\n",
        )
        .unwrap();
        assert_eq!(
            n.next_steps,
            ["着力解决就业问题", "扩大就业。", "稳物价", "抓项目"]
        );
        assert!(n.problems.is_empty());
        let n = parse("n.md", "一、主要成效\n（一）经济发展质量提升\n增长5%。\n").unwrap();
        assert_eq!(n.achievements, ["经济发展质量提升", "增长5%。"]);
        for (bad, says) in [
            (
                "开头没有标题\n# 主要成效\n好",
                "line 1: text before the first heading",
            ),
            (
                "# 主要成效\n好\n# 其他说明\n坏",
                "line 3: heading \"其他说明\"",
            ),
            ("# 主要成效\n\n", "no text"),
        ] {
            let e = parse("n.md", bad).unwrap_err().to_string();
            assert!(e.contains(says), "{bad:?}: {e}");
        }
        let huge = "# 主要成效\n".to_string() + &"字".repeat(MAX_BYTES);
        assert!(parse("n.md", &huge).is_err());
        // Control characters go; a form feed from a PDF becomes a space.
        let n = parse("n.md", "# 问题\n页\u{C}脚\u{1}了\n").unwrap();
        assert_eq!(n.problems, ["页 脚了"]);
    }
}
