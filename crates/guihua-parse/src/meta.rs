//! Plan metadata: title, region, period and adoption.
//!
//! The title may be split over two lines (Ürümqi L1–2), preceded by a web-page heading
//! (Alar L1), or only appear later inside 《…》 (Yiwu L92). The adoption note
//! "(2021年1月14日乌鲁木齐市第十六届人民代表大会第五次会议通过)" may also be split.

use std::sync::LazyLock;

use guihua_model::{Adoption, Period, Plan};
use regex::Regex;

use crate::outline::Outline;
use crate::text::{char_len, parse_numeral, remove_spaces};
use crate::Line;

static FYP_ORDINAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"第([一二三四五六七八九十]{1,3})个五年|[“\x22]?([一二三四五六七八九十]{2,3})五[”\x22]?(?:规划|时期|期间)")
        .expect("valid regex")
});
static EXPLICIT_PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[（(]\s*((?:19|20)\d\d)\s*[—\-－–~～至到]+\s*((?:19|20)\d\d)\s*年?\s*[)）]")
        .expect("valid regex")
});
static BOOK_TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"《([^《》]{6,80}(?:纲要|规划))》").expect("valid regex"));
static ADOPTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d\d)年(\d{1,2})月(?:(\d{1,2})日)?([^（()）]{2,60}?(?:人民代表大会|人大|职工代表大会|党委)[^（()）]{0,30}?)(?:审议|审查|审核|表决)?(?:批准|通过)")
        .expect("valid regex")
});
static PROVINCE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[（(][^（）()]{2,12}[)）])?(?:[\p{Han}]{2,8}?(?:省|自治区)|新疆生产建设兵团)(?P<rest>[\p{Han}]{2,})$")
        .expect("valid regex")
});

/// The plan period for the n-th five-year plan (14 → 2021–2025).
pub fn period_of_ordinal(n: u32) -> Option<Period> {
    if (1..=30).contains(&n) {
        let start = 2021 + (i32::try_from(n).ok()? - 14) * 5;
        Some(Period {
            start,
            end: start + 4,
        })
    } else {
        None
    }
}

/// The plan period as the text states it, before the outline is known: an explicit
/// "（2026—2030年）" near the top, else the latest five-year-plan ordinal named in the first
/// lines (a 十五五 plan reviews the 十四五 one; it seldom names the 十六五).
pub(crate) fn period_hint<'a>(texts: impl Iterator<Item = &'a str>) -> Option<Period> {
    let mut best: Option<u32> = None;
    for (k, t) in texts.take(1000).enumerate() {
        // The ordinal stands in the title, headings and captions: the first lines, and
        // short lines after them.
        if k >= 60 && t.len() > 360 {
            continue;
        }
        if k < 40 {
            if let Some(c) = EXPLICIT_PERIOD.captures(&remove_spaces(t)) {
                if let (Ok(a), Ok(b)) = (c[1].parse::<i32>(), c[2].parse::<i32>()) {
                    if b > a && b - a <= 10 {
                        return Some(Period { start: a, end: b });
                    }
                }
            }
        }
        if !t.contains("五") {
            continue;
        }
        for c in FYP_ORDINAL.captures_iter(t) {
            if let Some(n) = c
                .get(1)
                .or(c.get(2))
                .and_then(|m| parse_numeral(m.as_str()))
            {
                if (10..=20).contains(&n) {
                    best = Some(best.map_or(n, |b| b.max(n)));
                }
            }
        }
    }
    best.and_then(period_of_ordinal)
}

/// The plan title a head line states, cleaned: a site name after a dash ("…纲要-XX市人民
/// 政府门户网站"), the notice around it ("XX市人民政府关于印发…纲要的通知"), the 《》 of a
/// news headline ("《…纲要》全文发布"). `None` when the line is not a title.
fn title_of_line(t: &str) -> Option<String> {
    static SITE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s*[-_|｜—–]+\s*[^-_|｜—–]{2,30}$").expect("valid regex"));
    static NOTICE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"关于(?:印发|公布|发布)《?(?P<t>[^《》]{6,80}?)》?的(?:通知|公告|决定)")
            .expect("valid regex")
    });
    let mut t = t.trim().to_string();
    if t.starts_with('(') || t.starts_with('（') || t.starts_with('【') || t.contains("解读") {
        return None;
    }
    // An information-disclosure record ("主题分类：…成文日期：…标题：X纲要"): the title is
    // the field after the last label.
    if let Some(i) = t.rfind(['：', ':']) {
        let after = t[i..].chars().skip(1).collect::<String>();
        let formal = after.ends_with("纲要") || after.contains("五年规划");
        if !is_title_like(&after) || !formal {
            return None;
        }
        t = after;
    }
    // "…纲要的通知-广州市人民政府门户网站": the part after the dash names the site.
    while let Some(m) = SITE.find(&t) {
        let head = &t[..m.start()];
        if is_title_like(head) {
            t = head.to_string();
        } else {
            break;
        }
    }
    if let Some(c) = NOTICE.captures(&t) {
        t = c["t"].to_string();
    } else if t.ends_with("的通知") {
        t = t.trim_end_matches("的通知").to_string();
        if let Some(i) = t.find("印发") {
            t = t[i + "印发".len()..].to_string();
        }
    }
    if let Some(c) = BOOK_TITLE.captures(&t) {
        t = c[1].to_string();
    }
    let t = t.trim_matches(['《', '》']).to_string();
    (is_title_like(&t) && !t.contains("建议") && !t.starts_with("关于")).then_some(t)
}

/// The adoption note in lines `from..to`, joined (the note may be split).
fn adoption_in(lines: &[Line], from: usize, to: usize) -> Option<Adoption> {
    let mut joined = String::new();
    let mut starts: Vec<(usize, u32)> = Vec::new();
    for l in lines.get(from..to)? {
        starts.push((joined.len(), l.line));
        joined.push_str(&remove_spaces(&l.text));
    }
    if !(joined.contains("批准") || joined.contains("通过")) {
        return None;
    }
    ADOPTED.captures(&joined).map(|c| {
        let m0 = c.get(0).map(|m| m.start()).unwrap_or(0);
        let line = starts
            .iter()
            .rev()
            .find(|(off, _)| *off <= m0)
            .map(|(_, l)| *l)
            .unwrap_or(1);
        let y = &c[1];
        let mo: u32 = c[2].parse().unwrap_or(0);
        let date = match c.get(3).and_then(|d| d.as_str().parse::<u32>().ok()) {
            Some(d) => format!("{y}-{mo:02}-{d:02}"),
            None => format!("{y}-{mo:02}"),
        };
        Adoption {
            date: Some(date),
            by: Some(c[4].to_string()),
            line,
        }
    })
}

fn is_title_like(t: &str) -> bool {
    (t.contains("规划") || t.contains("纲要") || t.contains("国民经济和社会发展"))
        && !t.contains('。')
        && char_len(t) <= 80
}

pub(crate) fn extract(lines: &[Line], outline: &Outline, plan: &mut Plan) {
    let first_heading = outline
        .placed
        .first()
        .map(|p| p.index)
        .unwrap_or(lines.len())
        .min(lines.len());
    let toc_start = outline.toc.iter().next().unwrap_or(usize::MAX);
    // The head: everything before the first heading or the table of contents. A web page
    // or an issuing notice may put many lines before the plan's own title.
    let head_end = first_heading.min(toc_start).min(800);

    // Title candidates, each cleaned of what surrounds a title on web pages and notices,
    // joining a title wrapped over lines (blank lines between allowed).
    let mut candidates: Vec<(String, usize)> = Vec::new();
    let mut i = 0;
    while i < head_end {
        // A title is a short line (a long one is prose).
        let Some(t) = (lines[i].text.len() <= 360)
            .then(|| title_of_line(&remove_spaces(&lines[i].text)))
            .flatten()
        else {
            i += 1;
            continue;
        };
        let mut title = t;
        let mut j = i + 1;
        let mut blanks = 0;
        while !(title.ends_with("纲要") || title.ends_with("规划")) && j < head_end && blanks <= 2
        {
            let n = remove_spaces(&lines[j].text);
            if n.is_empty() {
                blanks += 1;
                j += 1;
                continue;
            }
            if n.contains('。') || n.starts_with(['(', '（']) || char_len(&n) > 40 {
                break;
            }
            title.push_str(&n);
            blanks = 0;
            j += 1;
        }
        candidates.push((title, i));
        i = j.max(i + 1);
    }
    let formal = |t: &str| t.ends_with("纲要") || t.contains("五年规划");
    let chosen = candidates
        .iter()
        .find(|(t, _)| formal(t) && t.ends_with("纲要"))
        .or_else(|| candidates.iter().find(|(t, _)| formal(t)))
        .or_else(|| candidates.first())
        .cloned();
    let mut title = chosen.as_ref().map(|(t, _)| t.clone());
    if title.is_none() {
        // Only found later, inside 《…》.
        for l in lines.iter().take(400) {
            if let Some(c) = BOOK_TITLE.captures(&l.text) {
                let t = remove_spaces(&c[1]);
                if (t.contains("国民经济") || t.contains("五年规划")) && !t.contains("建议")
                {
                    title = Some(t.into_owned());
                    break;
                }
            }
        }
    }
    // Where the plan itself starts: its last formal title line before the body (after a
    // notice that names it, the title printed again above the plan).
    let plan_start = candidates
        .iter()
        .rev()
        .find(|(t, _)| formal(t))
        .map(|(_, at)| *at)
        .unwrap_or(0);

    // Period: explicit "(2021—2025年)" near the top, else the plan's ordinal.
    let mut period = None;
    let scan: Vec<&Line> = lines.iter().take(head_end.max(8) + 4).collect();
    for l in &scan {
        if let Some(c) = EXPLICIT_PERIOD.captures(&remove_spaces(&l.text)) {
            if let (Ok(a), Ok(b)) = (c[1].parse::<i32>(), c[2].parse::<i32>()) {
                if b > a && b - a <= 10 {
                    period = Some(Period { start: a, end: b });
                    break;
                }
            }
        }
    }
    if period.is_none() {
        let sources = title.iter().cloned().chain(
            lines
                .iter()
                .take(60)
                .map(|l| remove_spaces(&l.text).into_owned()),
        );
        for s in sources {
            if let Some(c) = FYP_ORDINAL.captures(&s) {
                let n = c
                    .get(1)
                    .or(c.get(2))
                    .and_then(|m| parse_numeral(m.as_str()));
                if let Some(p) = n.and_then(period_of_ordinal) {
                    period = Some(p);
                    break;
                }
            }
        }
    }

    // Region: what precedes 国民经济和社会发展 / 第N个五年 in the title.
    let region = title.as_deref().and_then(region_of);

    // Adoption: the note under the title (it may be split over lines), else anywhere in
    // the head; the date is required.
    let adopted = adoption_in(lines, plan_start, (plan_start + 12).min(lines.len()))
        .or_else(|| adoption_in(lines, 0, head_end.max(8).min(lines.len())));

    plan.title = title;
    plan.region = region;
    plan.period = period;
    plan.adopted = adopted;
}

/// "新疆维吾尔自治区阿拉尔市国民经济和社会发展…" → "阿拉尔市".
pub fn region_of(title: &str) -> Option<String> {
    let cut = [
        "国民经济和社会发展",
        "国民经济与社会发展",
        "第十",
        "“十",
        "十四五",
        "十五五",
        "十三五",
        "经济社会发展",
    ]
    .iter()
    .filter_map(|m| title.find(m))
    .min()?;
    let mut r = title[..cut].trim().to_string();
    r = r.trim_start_matches(['(', '（']).to_string();
    if let Some(i) = r.find([')', '）']) {
        if i + 3 < r.len() {
            r = r[i + r[i..].chars().next().map(char::len_utf8).unwrap_or(1)..].to_string();
        }
    }
    if let Some(c) = PROVINCE_PREFIX.captures(&r) {
        r = c["rest"].to_string();
    }
    if r.is_empty() || char_len(&r) > 20 {
        None
    } else {
        Some(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        assert_eq!(
            region_of(
                "新疆维吾尔自治区阿拉尔市国民经济和社会发展第十四个五年规划和2035年远景目标纲要"
            )
            .as_deref(),
            Some("阿拉尔市")
        );
        assert_eq!(
            region_of("乌鲁木齐市国民经济和社会发展第十四个五年规划和2035年远景目标纲要")
                .as_deref(),
            Some("乌鲁木齐市")
        );
        assert_eq!(
            region_of("塔城地区国民经济和社会发展第十四个五年规划").as_deref(),
            Some("塔城地区")
        );
    }

    #[test]
    fn titles_inside_web_pages_and_notices() {
        for (line, want) in [
            (
                "广州市国民经济和社会发展第十五个五年规划纲要的通知-广州市人民政府门户网站",
                "广州市国民经济和社会发展第十五个五年规划纲要",
            ),
            (
                "广州市人民政府关于印发广州市国民经济和社会发展第十五个五年规划纲要的通知",
                "广州市国民经济和社会发展第十五个五年规划纲要",
            ),
            (
                "某省人民政府关于印发《某省国民经济和社会发展第十五个五年规划纲要》的通知",
                "某省国民经济和社会发展第十五个五年规划纲要",
            ),
            (
                "《某市国民经济和社会发展第十五个五年规划纲要》全文发布",
                "某市国民经济和社会发展第十五个五年规划纲要",
            ),
            (
                "某县国民经济和社会发展第十五个五年规划纲要 - 百科",
                "某县国民经济和社会发展第十五个五年规划纲要",
            ),
        ] {
            assert_eq!(title_of_line(line).as_deref(), Some(want), "{line}");
        }
        assert_eq!(title_of_line("【文字解读】《某市…纲要》政策解读"), None);
        assert_eq!(
            title_of_line("主题分类：国民经济和社会发展规划成文日期：2026年02月06日标题：某省国民经济和社会发展第十五个五年规划纲要").as_deref(),
            Some("某省国民经济和社会发展第十五个五年规划纲要")
        );
        assert_eq!(title_of_line("主题分类：国民经济和社会发展规划"), None);
        assert_eq!(
            title_of_line("《中共某市委关于制定国民经济和社会发展第十五个五年规划的建议》"),
            None
        );
    }

    #[test]
    fn plan_inside_a_notice() {
        let plan = crate::parse_text(
            "首页\n政务公开\n某市人民政府关于印发某市国民经济和社会发展第十五个五年规划纲要的通知\n\
             各区人民政府：\n《某市国民经济和社会发展第十五个五年规划纲要》业经市十六届人大六次会议审查批准，现印发给你们。\n\
             某市人民政府\n2026年5月21日\n某市国民经济和社会发展\n\n第十五个五年规划纲要\n\
             （2026年1月21日市十六届人大六次会议审查批准）\n第一章 发展基础\n正文。\n",
        );
        assert_eq!(
            plan.title.as_deref(),
            Some("某市国民经济和社会发展第十五个五年规划纲要")
        );
        assert_eq!(plan.region.as_deref(), Some("某市"));
        let a = plan.adopted.expect("adopted");
        assert_eq!(
            (a.date.as_deref(), a.by.as_deref(), a.line),
            (Some("2026-01-21"), Some("市十六届人大六次会议"), 11)
        );
        assert_eq!(plan.period, period_of_ordinal(15));
    }

    #[test]
    fn the_national_plan() {
        let plan = crate::parse_text(
            "中华人民共和国国民经济和社会发展第十五个五年规划纲要\n\
             （2026年3月12日第十四届全国人民代表大会第四次会议批准）\n第一篇 开启全面建设新征程\n",
        );
        assert_eq!(plan.region.as_deref(), Some("中华人民共和国"));
        assert_eq!(
            plan.adopted.and_then(|a| a.date).as_deref(),
            Some("2026-03-12")
        );
        assert_eq!(plan.period, period_of_ordinal(15));
    }

    #[test]
    fn periods() {
        assert_eq!(
            period_of_ordinal(14),
            Some(Period {
                start: 2021,
                end: 2025
            })
        );
        assert_eq!(
            period_of_ordinal(13),
            Some(Period {
                start: 2016,
                end: 2020
            })
        );
        assert_eq!(
            period_of_ordinal(15),
            Some(Period {
                start: 2026,
                end: 2030
            })
        );
    }
}
