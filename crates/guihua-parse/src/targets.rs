//! Targets stated in prose: "到2025年,生产总值预计完成510亿元、年均增长9%" is two targets
//! (a level and a growth rate) about one subject.
//!
//! The unit of work is the clause (split at ，；：。 outside brackets). In a clause each
//! number is a candidate; the text between the previous number (or the clause start) and
//! it holds the subject and the predicate ("预计完成", "控制在", "年均增长"). A clause
//! without a subject ("年均增长9%") inherits the previous one in the sentence. A number
//! glued to the words after it ("5G", "4小时交通圈", "新建50万平方米的北区航站楼") is part
//! of a name or a project, not a target — except counts after a verb of making
//! ("新增3—5家创新平台"), whose subject is the noun that follows.
//!
//! Historical statements are not targets: chapters reviewing the previous plan (发展基础,
//! "十三五"总结) are skipped, and so is any sentence anchored in a year before the period
//! ("提高到2020年的76.5亿元") unless it also names a future year.

use std::sync::LazyLock;

use guihua_model::{Comparator, Level, Period, Quantity, QuantityKind, Target};
use regex::Regex;

use crate::quantity::{delegated, find_numbers, normalize, relative, NumberMatch};
use crate::text::{char_len, is_han};
use crate::Context;

static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<pre>到|至|在|于|比|较|与|从|自|以|截至|截止)?(?P<y>(?:19|20)\d\d)年(?P<post>底|末|前|以前|的|基础上)?")
        .expect("valid regex")
});
static RATIO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d+(?:\.\d+)?(?:[:：]\d+(?:\.\d+)?){1,3}").expect("valid regex"));
/// A sentence that states targets: a target word, or a verb of making before a count
/// ("新增3家"). One pass over the sentence (the literals compile to Aho-Corasick).
static TARGET_SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    let words = TARGET_MARKERS.join("|");
    Regex::new(&format!(
        r"{words}|(?:新增|建成|新建|培育|打造|创建|引进|组建|争创|创成)\d"
    ))
    .expect("valid regex")
});
static FYP_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[“\x22]?(十三|十四|十五|十六)五[”\x22]?(?:末|期末|时期末)").expect("valid regex")
});

/// Predicate words and adverbs that sit between a subject and its number, longest first.
const PREDICATES: &[&str] = &[
    "基本",
    "全面",
    "逐步",
    "进一步",
    "总体",
    "增加至",
    "扩大至",
    "缩小至",
    "缩小到",
    "缩减至",
    "分别",
    "保持",
    "稳定",
    "维持",
    "调整到",
    "调整为",
    "优化为",
    "优化到",
    "预计完成",
    "预计达到",
    "预计实现",
    "力争达到",
    "力争实现",
    "力争突破",
    "确保达到",
    "提高到",
    "提升到",
    "提高至",
    "提升至",
    "增加到",
    "增长到",
    "增至",
    "扩大到",
    "下降到",
    "降低到",
    "减少到",
    "下降至",
    "降低至",
    "降至",
    "降到",
    "控制在",
    "保持在",
    "稳定在",
    "维持在",
    "分别达到",
    "达到",
    "实现",
    "完成",
    "突破",
    "超过",
    "不低于",
    "不少于",
    "不超过",
    "高于",
    "低于",
    "达",
    "超",
    "为",
    "在",
    "占",
    "年均增长",
    "年均下降",
    "年均降低",
    "年均减少",
    "年均提高",
    "增长",
    "下降",
    "降低",
    "减少",
    "提高",
    "新增",
    "累计",
    "年均",
    "力争",
    "预计",
    "确保",
    "约",
];

/// Verbs of making after which a count's subject follows the number ("新增3家创新平台").
const MAKING: [&str; 22] = [
    "新增", "建成", "新建", "培育", "打造", "创建", "建设", "引进", "组建", "认定", "争创", "创成",
    "开通", "开行", "设立", "改造", "培养", "扶持", "发展", "形成", "推出", "举办",
];
const CLASSIFIERS: [&str; 14] = [
    "家", "个", "所", "座", "条", "项", "处", "张", "批", "支", "名", "户", "套", "部",
];

/// Words that mark a clause or sentence as a target rather than a statement of fact.
const TARGET_MARKERS: [&str; 20] = [
    "力争",
    "预计",
    "达到",
    "提高到",
    "提升到",
    "控制在",
    "保持在",
    "稳定在",
    "以上",
    "以内",
    "左右",
    "突破",
    "超过",
    "不低于",
    "不少于",
    "年均增长",
    "新增",
    "确保",
    "目标",
    "降到",
];

/// Headings of chapters that review the past rather than set targets ("发展基础和环境",
/// "“十三五”总结与发展形势"). A task that merely ends in 基础 ("夯实…发展基础") is not one.
pub(crate) fn historical(title: &str) -> bool {
    historical_in(title, None)
}

/// The name of the plan before the one of `period` ("十四五" for 2026–2030).
pub(crate) fn previous_plan(period: Option<Period>) -> Option<String> {
    let p = period?;
    let n = u32::try_from((p.start - 2021) / 5 + 14 - 1).ok()?;
    (10..=30)
        .contains(&n)
        .then(|| format!("{}五", crate::outline::zh_number(n)))
}

/// [`historical`] knowing the plan's period: a heading that names the previous plan with
/// what it achieved ("在多重挑战中顺利实现“十四五”发展目标", "“十四五”时期发展成就")
/// reviews the past even though it mentions 目标.
pub(crate) fn historical_in(title: &str, previous: Option<&str>) -> bool {
    if let Some(prev) = previous {
        if title.contains(prev)
            && [
                "实现", "完成", "成就", "成效", "回顾", "总结", "进展", "取得", "基础",
            ]
            .iter()
            .any(|w| title.contains(w))
        {
            return true;
        }
        if title.trim_start_matches(['“', '"']).starts_with(prev) && !title.contains("目标") {
            return true;
        }
    }
    let t = title.trim_start_matches(['“', '"', '第']);
    const STARTS: [&str; 11] = [
        "发展基础",
        "发展的基础",
        "发展环境",
        "现实基础",
        "发展成就",
        "发展回顾",
        "十三五",
        "面临形势",
        "发展形势",
        "规划实施情况",
        "基础和环境",
    ];
    // "发展基础与总体要求", "发展成就和“十四五”发展目标": a review that also sets goals.
    if ["目标", "要求", "展望", "任务"]
        .iter()
        .any(|w| title.contains(w))
    {
        return false;
    }
    STARTS.iter().any(|w| t.starts_with(w))
        || ["回顾", "成就", "总结"].iter().any(|w| title.contains(w))
}

fn split_sentences(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '（' | '“' | '《' => depth += 1,
            ')' | '）' | '”' | '》' => depth = (depth - 1).max(0),
            '。' | '！' | '？' | '；' | ';' if depth == 0 => {
                let end = i + c.len_utf8();
                out.push(&s[start..end]);
                start = end;
            }
            _ => {}
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// Clauses with their byte offsets in the sentence; split at ，,：: outside brackets.
fn split_clauses(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '（' | '“' | '《' => depth += 1,
            ')' | '）' | '”' | '》' => depth = (depth - 1).max(0),
            '，' | ',' | '：' | ':' | '。' | '；' | ';' | '！' | '？' if depth == 0 => {
                // "34:31:35" is a ratio, not a clause break.
                let prev_digit = s[..i].chars().last().is_some_and(|p| p.is_ascii_digit());
                let next_digit = s[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(|n| n.is_ascii_digit());
                if matches!(c, ':' | '：') && prev_digit && next_digit {
                    continue;
                }
                out.push((start, &s[start..i]));
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    if start < s.len() {
        out.push((start, &s[start..]));
    }
    out
}

/// Remove a leading connector or scope phrase from a subject candidate.
fn strip_leading(mut s: &str) -> &str {
    static LEAD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:其中|同时|并且|并|和|及|以及|或|且|使|让|即|将|把|推动|确保|力争|预计|争取|全年|年末|年底|拥有|实现|到(?:“?十[三四五六]五”?末|(?:19|20)\d\d年(?:底|末)?)|(?:19|20)\d\d年(?:底|末)?|“?十[三四五六]五”?(?:末|期末|期间|时期)|期末|全[市县区旗州盟师]|师市|全地区|全域|我[市县区旗州盟]|、|——|—|－|-|\s)+")
            .expect("valid regex")
    });
    if let Some(m) = LEAD.find(s) {
        s = &s[m.end()..];
    }
    s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '、' | '—' | '-'))
}

/// Split the text before a number into (subject, predicate words).
fn split_predicate(pre: &str) -> (&str, String) {
    let mut s = pre.trim_end_matches(['的', ' ']);
    let mut preds: Vec<&str> = Vec::new();
    'outer: loop {
        for &p in PREDICATES {
            if let Some(rest) = s.strip_suffix(p) {
                // Keep a predicate that is really part of the subject ("城镇新增就业人数"
                // never reaches here; "占GDP比重" is handled because 比重 is not a predicate).
                preds.push(p);
                s = rest.trim_end();
                continue 'outer;
            }
        }
        break;
    }
    preds.reverse();
    (s, preds.concat())
}

fn is_year(n: &NumberMatch, s: &str) -> bool {
    let next = s[n.end..].chars().next();
    let integer = n.value.fract() == 0.0;
    integer
        && (1900.0..=2100.0).contains(&n.value)
        && (n.unit.as_deref() == Some("年") || next == Some('年') || next == Some('—'))
}

fn glued(s: &str, n: &NumberMatch) -> bool {
    let next = s[n.end..].chars().next();
    match next {
        None => false,
        Some(c) => {
            if is_han(c) {
                let rest = &s[n.end..];
                // "98%以上和95%以上": a conjunction before another number is a boundary.
                let conj_number = ["和", "及", "与", "或", "至"].iter().any(|w| {
                    rest.strip_prefix(w)
                        .is_some_and(|r| r.starts_with(|d: char| d.is_ascii_digit()))
                });
                !(conj_number
                    || rest.starts_with("的基础上")
                    || rest.starts_with("的目标")
                    || rest.starts_with("目标"))
            } else {
                c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '×' | '*' | '+')
            }
        }
    }
}

fn prev_is_alnum(s: &str, n: &NumberMatch) -> bool {
    s[..n.start]
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '.' || c == '-' || c == '第')
}

/// A year named in a sentence, with the word before and after it.
struct YearMention<'s> {
    year: i32,
    pre: Option<&'s str>,
    post: Option<&'s str>,
}

fn years_in(s: &str) -> Vec<YearMention<'_>> {
    if !s.contains('年') {
        return Vec::new();
    }
    YEAR.captures_iter(s)
        .map(|c| YearMention {
            year: c["y"].parse().unwrap_or(0),
            pre: c.name("pre").map(|m| m.as_str()),
            post: c.name("post").map(|m| m.as_str()),
        })
        .collect()
}

/// Does the sentence describe the past (and not a target)?
fn is_past(s: &str, years: &[YearMention], period: Option<Period>, previous: Option<&str>) -> bool {
    // One pass each over the sentence (the literals compile to Aho-Corasick).
    static FUTURE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new("力争|预计|目标|将|到“十|确保|要").expect("valid regex"));
    static FUTURE_STRONG: LazyLock<Regex> =
        LazyLock::new(|| Regex::new("力争|预计|到“十|确保|要").expect("valid regex"));
    static PAST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            "十三五”期间|十三五”时期|十三五期间|五年来|过去五年|过去的五年|过去一年|去年|一年来|比上年|同比|上年|截至|截止",
        )
        .expect("valid regex")
    });
    if let Some(prev) = previous {
        let during = s.match_indices(prev).any(|(i, _)| {
            let after = &s[i + prev.len()..];
            ["”期间", "”时期", "期间"]
                .iter()
                .any(|w| after.starts_with(w))
        });
        if during && !FUTURE_STRONG.is_match(s) {
            return true;
        }
    }
    if let Some(p) = period {
        let mut past_year = false;
        for m in years {
            let (y, pre, post) = (m.year, m.pre, m.post);
            if y >= p.start {
                return false;
            }
            let comparison = matches!(pre, Some("比" | "较" | "与" | "从" | "自" | "以" | "在"))
                || matches!(post, Some("基础上"));
            if !comparison {
                past_year = true;
            }
        }
        if past_year {
            return true;
        }
    }
    PAST.is_match(s) && !FUTURE.is_match(s)
}

/// The year a sentence's targets refer to: the last future year it names, or the end of
/// the five-year plan named ("到“十四五”末").
fn scope_year(s: &str, years: &[YearMention], period: Option<Period>) -> Option<i32> {
    let mut best = None;
    for m in years {
        let (y, pre) = (m.year, m.pre);
        if matches!(pre, Some("比" | "较" | "与" | "从" | "自")) {
            continue;
        }
        if period.is_none_or(|p| y >= p.start) {
            best = Some(y);
        }
    }
    if best.is_none() {
        if let Some(c) = FYP_END.captures(s) {
            let n = crate::text::parse_numeral(&c[1]).unwrap_or(14);
            best = crate::meta::period_of_ordinal(n).map(|p| p.end);
        }
    }
    best
}

/// Prose targets and base-year facts, in document order.
pub(crate) fn extract(ctx: &Context, period: Option<Period>) -> (Vec<Target>, Vec<Target>) {
    let mut out: Vec<Target> = Vec::new();
    let mut facts: Vec<Target> = Vec::new();
    let previous = previous_plan(period);
    // What a heading says about the lines under it, computed once per heading.
    let heading_facts: Vec<(bool, bool, Option<i32>)> = (0..ctx.outline.placed.len())
        .map(|k| {
            let chain = ctx.outline.ancestors(k);
            let hist = chain
                .iter()
                .any(|p| historical_in(&p.title, previous.as_deref()));
            let goals = chain.iter().any(|p| p.title.contains("目标"));
            let year = chain.iter().find_map(|p| {
                let t = normalize(&p.title);
                scope_year(&t, &years_in(&t), None)
            });
            (hist, goals, year)
        })
        .collect();
    for (i, line) in ctx.lines.iter().enumerate() {
        if ctx.excluded.contains(&i) || line.text.is_empty() {
            continue;
        }
        // A digit (ASCII, or full-width) or a word of relation.
        if !line.text.bytes().any(|c| c.is_ascii_digit())
            && !line.text.contains(|c: char| ('０'..='９').contains(&c))
            && !line.text.contains("同步")
            && !line.text.contains("翻")
            && !line.text.contains("下达")
        {
            continue;
        }
        let enclosing_at = ctx.outline.enclosing_index(i, |l| l != Level::Box);
        let enclosing = enclosing_at.map(|k| &ctx.outline.placed[k]);
        let (hist, in_goals, heading_year) = enclosing_at
            .map(|k| heading_facts[k])
            .unwrap_or((false, false, None));
        let section = enclosing.map(|p| p.id.clone());
        let text = normalize(&line.text);
        let mut para_year: Option<i32> = None;
        for sentence in split_sentences(&text) {
            if char_len(sentence) > 2000 {
                // A run-on "sentence" of thousands of characters is not prose we can read.
                continue;
            }
            let years = years_in(sentence);
            if hist || is_past(sentence, &years, period, previous.as_deref()) {
                // A statement of the past: a fact, dated by the last past year it names.
                let base = period.map(|p| p.base_year());
                let year = years
                    .iter()
                    .map(|m| m.year)
                    .rfind(|&y| base.is_none_or(|b| y <= b))
                    .or(base);
                extract_sentence(sentence, year, true, &section, line.line, &mut facts);
                continue;
            }
            if let Some(y) = scope_year(sentence, &years, period) {
                para_year = Some(y);
            }
            let year = para_year.or(heading_year).or(period.map(|p| p.end));
            let sentence_is_target =
                in_goals || TARGET_SENTENCE.is_match(sentence) || para_year.is_some();
            if !sentence_is_target {
                continue;
            }
            extract_sentence(sentence, year, in_goals, &section, line.line, &mut out);
        }
    }
    for (k, t) in out.iter_mut().enumerate() {
        t.id = format!("t{}", k + 1);
    }
    for (k, t) in facts.iter_mut().enumerate() {
        t.id = format!("f{}", k + 1);
    }
    (out, facts)
}

fn make(subject: &str, text: &str, kind: QuantityKind, year: Option<i32>) -> Quantity {
    let _ = subject;
    let mut q = Quantity::none(text);
    q.kind = kind;
    q.year = year;
    q
}

fn extract_sentence(
    sentence: &str,
    year: Option<i32>,
    in_goals: bool,
    section: &Option<String>,
    line: u32,
    out: &mut Vec<Target>,
) {
    let mut prev_subject: Option<String> = None;
    for (_, clause) in split_clauses(sentence) {
        let clause = clause.trim();
        if clause.is_empty() {
            continue;
        }
        let push = |out: &mut Vec<Target>, subject: &str, q: Quantity| {
            out.push(Target {
                id: String::new(),
                subject: subject.to_string(),
                quantity: q,
                section: section.clone(),
                line,
            });
        };

        // 控制在兵团下达指标内: one delegated target per listed subject.
        if let Some(who) = delegated(clause) {
            let cut = ["控制在", "完成", "达到", "符合", "满足", "不超过"]
                .iter()
                .filter_map(|w| clause.find(w))
                .min();
            if let Some(cut) = cut {
                let subj_text = strip_leading(&clause[..cut]);
                for s in subj_text.split('、') {
                    let s = s.trim();
                    if char_len(s) >= 2 {
                        let mut q = make(s, clause, QuantityKind::Delegated, year);
                        q.reference = Some(who.clone());
                        q.comparator = Some(Comparator::Le);
                        push(out, s, q);
                    }
                }
                continue;
            }
        }
        // 与经济增长同步 / 比2020年翻一番.
        if clause.contains("同步") || clause.contains("翻") {
            if let Some((cmp, reference, value)) = relative(clause).filter(|(_, r, v)| {
                v.is_some()
                    || ["增长", "增速", "GDP", "经济", "生产总值", "收入"]
                        .iter()
                        .any(|w| r.contains(w))
            }) {
                // "居民收入增长和经济增长同步": the connector nearest before 同步.
                let sync_at = clause.find("同步").unwrap_or(clause.len());
                let cut = clause[..sync_at]
                    .rfind('与')
                    .or_else(|| clause[..sync_at].rfind('和'))
                    .or_else(|| clause.find('与'))
                    .or_else(|| clause.find('比'))
                    .or_else(|| clause.find("实现翻"))
                    .or_else(|| clause.find('翻'));
                if let Some(cut) = cut {
                    let subject = strip_leading(&clause[..cut])
                        .trim_end_matches("增长")
                        .to_string();
                    if subject.matches('“').count() != subject.matches('”').count() {
                        continue;
                    }
                    let subject = if subject.is_empty() {
                        prev_subject.clone().unwrap_or_default()
                    } else {
                        subject
                    };
                    if !subject.is_empty() {
                        let mut q = make(&subject, clause, QuantityKind::Relative, year);
                        q.comparator = Some(cmp);
                        q.reference = Some(reference);
                        q.value = value;
                        push(out, &subject, q);
                        prev_subject = Some(subject);
                        continue;
                    }
                }
            }
        }
        // 三次产业结构比调整到34:31:35.
        if let Some(m) = RATIO.find(clause) {
            let (subject, _) = split_predicate(strip_leading(&clause[..m.start()]));
            if char_len(subject) >= 2 {
                let q = make(
                    subject,
                    strip_leading(&clause[..m.end()]),
                    QuantityKind::Level,
                    year,
                );
                push(out, subject, q);
                prev_subject = Some(subject.to_string());
            }
            continue;
        }

        let nums = find_numbers(clause);
        let mut cursor = 0usize;
        let mut last_making: Option<&&str> = None;
        // "A、B、C分别达到98%、98.5%和98%": subjects paired with numbers in order.
        let mut respective: Option<(Vec<String>, usize)> = None;
        for n in nums {
            if n.start < cursor {
                continue;
            }
            if is_year(&n, clause) || prev_is_alnum(clause, &n) {
                // Part of the subject or of a scope phrase: leave it in the text.
                continue;
            }
            let pre_all = &clause[cursor..n.start];
            // A count glued to the noun it counts ("新增3—5家创新平台").
            if glued(clause, &n) {
                let unit = n.unit.as_deref().unwrap_or("");
                // "新增3—5家创新平台、2—3家科技企业孵化器": the verb is shared.
                let shared = pre_all.trim().trim_start_matches(['、', '和']).is_empty();
                let making = MAKING
                    .iter()
                    .find(|v| pre_all.ends_with(**v))
                    .or(if shared { last_making } else { None });
                if let (Some(verb), true) = (making, CLASSIFIERS.contains(&unit)) {
                    let rest = &clause[n.end..];
                    let mut noun_end = rest
                        .find(['、', '，', ',', '（', '('])
                        .unwrap_or(rest.len());
                    // "…公用品牌和3—5家…": the noun stops before the next count.
                    if let Some(k) = rest[..noun_end].find('和') {
                        if rest[k + '和'.len_utf8()..].starts_with(|c: char| c.is_ascii_digit()) {
                            noun_end = k;
                        }
                    }
                    let noun = rest[..noun_end].trim_end_matches('等').trim();
                    if char_len(noun) >= 2 && char_len(noun) <= 30 {
                        let kind = if *verb == "新增" {
                            QuantityKind::Cumulative
                        } else {
                            QuantityKind::Level
                        };
                        last_making = Some(verb);
                        let start = if pre_all.ends_with(*verb) {
                            cursor + pre_all.len() - verb.len()
                        } else {
                            n.start
                        };
                        let mut q = make(noun, &clause[start..n.end + noun_end], kind, year);
                        fill_number(&mut q, &n);
                        push(out, noun, q);
                        cursor = n.end + noun_end;
                    }
                }
                // "80%以上盐碱地得到有效整治": a share before what it is a share of.
                if n.unit.as_deref() == Some("%") && n.comparator != Comparator::Eq {
                    let rest = clause[n.end..].trim_start_matches('的');
                    if char_len(rest) >= 3
                        && char_len(rest) <= 24
                        && ["得到", "实现", "达到", "完成", "纳入", "覆盖"]
                            .iter()
                            .any(|v| rest.contains(v))
                    {
                        let subject = rest.trim();
                        let mut q = make(subject, &clause[n.start..], QuantityKind::Level, year);
                        fill_number(&mut q, &n);
                        push(out, subject, q);
                        cursor = clause.len();
                        continue;
                    }
                }
                // Otherwise the number belongs to a name ("5岁以下儿童死亡率"): keep it.
                continue;
            }
            let pre = strip_leading(pre_all.trim_start_matches(['、', '和', '及']));
            let (subject, mut predicate) = split_predicate(pre);
            let mut subject = subject.trim_end_matches(['的', '、']).trim();
            // "规划新增公办幼儿园2所", "累计培育…企业10家": the verb of making leads the subject.
            let cumulative_lead = subject.starts_with("累计");
            let lead = subject
                .trim_start_matches("规划")
                .trim_start_matches("计划")
                .trim_start_matches("累计");
            let counted = n.unit.as_deref().is_some_and(|u| CLASSIFIERS.contains(&u));
            if let Some(v) = MAKING.iter().find(|v| counted && lead.starts_with(**v)) {
                if char_len(lead) > char_len(v) + 1 {
                    let acc = if cumulative_lead { "累计" } else { "" };
                    predicate = format!("{acc}{v}{predicate}");
                    subject = &lead[v.len()..];
                }
            }
            // "五年累计完成固定资产投资616亿元": a total over the period, not a level.
            let mut total = false;
            for lead in ["五年累计", "“十三五”累计", "十三五累计", "累计"] {
                if let Some(rest) = subject.strip_prefix(lead) {
                    let rest = ["完成", "实现", "达到", "投入", "新增"]
                        .iter()
                        .find_map(|v| rest.strip_prefix(v))
                        .unwrap_or(rest);
                    if char_len(rest) >= 2 {
                        subject = rest;
                        total = true;
                    }
                    break;
                }
            }
            // "旅游年收入增长率大于20%": a growth target about 旅游年收入.
            let mut rate_subject = false;
            if matches!(n.unit.as_deref(), Some("%")) {
                for suffix in ["年均增长率", "年增长率", "增长率", "年均增速", "增速"]
                {
                    if let Some(rest) = subject.strip_suffix(suffix) {
                        if char_len(rest) >= 2 {
                            subject = rest;
                            rate_subject = true;
                        }
                        break;
                    }
                }
            }
            let has_unit_or_cmp = n.unit.is_some() || n.comparator != Comparator::Eq;
            if !has_unit_or_cmp && predicate.is_empty() {
                cursor = n.end;
                continue;
            }
            if !in_goals
                && predicate.is_empty()
                && n.comparator == Comparator::Eq
                && !clause.contains("力争")
            {
                // Body prose: a bare "subject N unit" without a verb or comparator is usually
                // a statement of fact, not a target.
                cursor = n.end;
                continue;
            }
            // "全社会研发投入比2020年增长50%": a change over the whole period.
            let mut since_base = false;
            if let Some(k) = subject.find('比') {
                let after = &subject[k + '比'.len_utf8()..];
                if char_len(&subject[..k]) >= 2
                    && (after.starts_with(|c: char| c.is_ascii_digit())
                        || after.starts_with("基期"))
                    && after.contains('年')
                    && ["增长", "提高", "下降", "降低", "减少"]
                        .iter()
                        .any(|w| predicate.contains(w))
                {
                    subject = subject[..k].trim();
                    since_base = true;
                }
            }
            // "煤炭产能由1100万吨增加至…": the subject stops at 由.
            if let Some(k) = subject.find('由') {
                if subject[k + '由'.len_utf8()..].starts_with(|c: char| c.is_ascii_digit()) {
                    subject = subject[..k].trim();
                }
            }
            // "年均城镇新增就业2万人": an amount per year.
            let per_year = subject.starts_with("年均") || subject.starts_with("每年");
            if per_year {
                subject = subject
                    .trim_start_matches("年均")
                    .trim_start_matches("每年");
            }
            if subject.matches('“').count() != subject.matches('”').count() {
                cursor = n.end;
                continue;
            }
            if predicate.contains("分别") || subject.ends_with("分别") {
                let items: Vec<String> = subject
                    .trim_end_matches("分别")
                    .split('、')
                    .map(|x| x.trim().to_string())
                    .collect();
                if items.len() >= 2 && items.iter().all(|x| char_len(x) >= 2) {
                    respective = Some((items, 0));
                }
            }
            let from_list = respective.as_mut().and_then(|(items, k)| {
                let s = items.get(*k).cloned();
                *k += 1;
                s
            });
            let subject_owned = if let Some(item) = from_list {
                item
            } else if char_len(subject) >= 2 {
                subject.to_string()
            } else if let Some(p) = &prev_subject {
                p.clone()
            } else {
                cursor = n.end;
                continue;
            };
            let kind = if rate_subject {
                QuantityKind::Growth
            } else if total || since_base {
                QuantityKind::Cumulative
            } else {
                kind_of(&predicate, n.unit.as_deref())
            };
            let text_start = offset_in(clause, pre).unwrap_or(n.start);
            let mut end = n.end;
            let rest = &clause[n.end..];
            let mut q_cmp = None;
            if rest.starts_with("的基础上") || rest.contains("基础上") && rest.contains("提高")
            {
                q_cmp = Some(Comparator::Gt);
                end = clause.len();
            }
            let text = clause[text_start.min(n.start)..end].trim();
            let mut q = make(&subject_owned, text, kind, year);
            fill_number(&mut q, &n);
            q.per_year = per_year && kind == QuantityKind::Level;
            if matches!(predicate.as_str(), p if p.ends_with("控制在") || p.ends_with("不超过"))
                && q.comparator == Some(Comparator::Eq)
            {
                q.comparator = Some(Comparator::Le);
            }
            if predicate.ends_with("不低于") || predicate.ends_with("不少于") {
                q.comparator = Some(Comparator::Ge);
            }
            if (predicate.ends_with("超过")
                || predicate.ends_with("突破")
                || predicate.ends_with("高于")
                || predicate.ends_with('超'))
                && q.comparator == Some(Comparator::Eq)
            {
                q.comparator = Some(Comparator::Gt);
            }
            if let Some(c) = q_cmp {
                q.comparator = Some(c);
            }
            if is_decrease(&predicate)
                && matches!(kind, QuantityKind::Growth | QuantityKind::Cumulative)
            {
                q.value = q.value.map(|v| -v.abs());
                q.value_max = q.value_max.map(|v| -v.abs());
            }
            push(out, &subject_owned, q);
            prev_subject = Some(subject_owned);
            cursor = n.end;
        }
    }
}

/// Byte offset of `inner` within `outer` when `inner` is a subslice of it.
fn offset_in(outer: &str, inner: &str) -> Option<usize> {
    let start = (inner.as_ptr() as usize).checked_sub(outer.as_ptr() as usize)?;
    (start + inner.len() <= outer.len() && outer.is_char_boundary(start)).then_some(start)
}

fn is_decrease(predicate: &str) -> bool {
    ["下降", "降低", "减少"].iter().any(|w| {
        predicate.contains(w)
            && !predicate.contains(&format!("{w}到"))
            && !predicate.contains(&format!("{w}至"))
    })
}

fn kind_of(predicate: &str, unit: Option<&str>) -> QuantityKind {
    // "年均增长达7.5%": the rate, not a level reached.
    let mut predicate = predicate;
    for tail in ["达到", "达", "为", "约", "保持在"] {
        if let Some(p) = predicate.strip_suffix(tail) {
            if ["增长", "增速", "下降", "降低", "减少", "提高"]
                .iter()
                .any(|w| p.ends_with(w))
            {
                predicate = p;
                break;
            }
        }
    }
    let rate_unit = matches!(unit, None | Some("%" | "个百分点" | "百分点"));
    let to_level = ["到", "至"].iter().any(|w| predicate.ends_with(w));
    if predicate.contains("累计") || predicate.contains("新增") {
        return QuantityKind::Cumulative;
    }
    if !to_level && rate_unit {
        let annual = predicate.contains("年均") || predicate.contains("每年");
        let change = ["增长", "下降", "降低", "减少", "提高"]
            .iter()
            .any(|w| predicate.ends_with(w) || predicate.ends_with(&format!("{w}约")));
        if change && (annual || predicate.ends_with("增长")) {
            return QuantityKind::Growth;
        }
        if change {
            return QuantityKind::Cumulative;
        }
    }
    // "人均预期寿命提高1岁", "减少5万吨": a change of an amount over the period.
    if !to_level
        && !rate_unit
        && ["提高", "增加", "减少", "下降", "降低", "增长"]
            .iter()
            .any(|w| predicate.ends_with(w))
    {
        return QuantityKind::Cumulative;
    }
    QuantityKind::Level
}

fn fill_number(q: &mut Quantity, n: &NumberMatch) {
    q.value = Some(n.value);
    q.value_max = n.value_max;
    q.comparator = Some(n.comparator);
    q.unit = n.unit.clone();
}

#[cfg(test)]
mod tests {
    use crate::parse_text;
    use guihua_model::{Comparator, QuantityKind};

    /// (subject, kind, value, unit, comparator, year)
    type Row = (
        String,
        QuantityKind,
        Option<f64>,
        Option<String>,
        Option<Comparator>,
        Option<i32>,
    );

    fn targets(text: &str) -> Vec<Row> {
        parse_text(text)
            .targets
            .into_iter()
            .map(|t| {
                (
                    t.subject,
                    t.quantity.kind,
                    t.quantity.value,
                    t.quantity.unit,
                    t.quantity.comparator,
                    t.quantity.year,
                )
            })
            .collect()
    }

    #[test]
    fn level_and_growth_share_a_subject() {
        let t = targets("到2025年,生产总值预计完成510亿元、年均增长9%。");
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].0, "生产总值");
        assert_eq!(
            (t[0].1, t[0].2, t[0].3.as_deref()),
            (QuantityKind::Level, Some(510.0), Some("亿元"))
        );
        assert_eq!(t[1].0, "生产总值");
        assert_eq!(
            (t[1].1, t[1].2, t[1].5),
            (QuantityKind::Growth, Some(9.0), Some(2025))
        );
    }

    #[test]
    fn comparators_ranges_relative_delegated() {
        let t = targets("2023年主要预期目标是：地区生产总值增长6%－6.5%；城镇新增就业1.2万人以上；城镇调查失业率控制在5.5%以内；居民人均可支配收入增长与经济增长同步；单位地区生产总值能耗降低控制在兵团下达指标内。");
        let by = |s: &str| {
            t.iter()
                .find(|x| x.0 == s)
                .cloned()
                .unwrap_or_else(|| panic!("{s} in {t:?}"))
        };
        let g = by("地区生产总值");
        assert_eq!(
            (g.1, g.2, g.4, g.5),
            (
                QuantityKind::Growth,
                Some(6.0),
                Some(Comparator::Range),
                Some(2023)
            )
        );
        let j = by("城镇新增就业");
        assert_eq!(
            (j.2, j.3.as_deref(), j.4),
            (Some(1.2), Some("万人"), Some(Comparator::Ge))
        );
        let u = by("城镇调查失业率");
        assert_eq!((u.2, u.4), (Some(5.5), Some(Comparator::Le)));
        assert_eq!(by("居民人均可支配收入").1, QuantityKind::Relative);
        assert_eq!(by("单位地区生产总值能耗降低").1, QuantityKind::Delegated);
    }

    #[test]
    fn decreases_are_negative_and_past_is_skipped() {
        let t = targets("到2025年,万元生产总值用水量下降到560吨、年均减少3.7%。");
        assert_eq!(t[0].2, Some(560.0));
        assert_eq!((t[1].1, t[1].2), (QuantityKind::Growth, Some(-3.7)));
        let t = targets("“十四五”规划\n地区生产总值提高到2020年的76.5亿元,年均增长9.82%。");
        assert!(t.is_empty(), "{t:?}");
    }

    #[test]
    fn glued_numbers_are_names_except_counts() {
        let t = targets("到2025年,推进5G基站建设,建成4小时交通圈,新增3—5家创新平台。");
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!(t[0].0, "创新平台");
        assert_eq!((t[0].2, t[0].4), (Some(3.0), Some(Comparator::Range)));
    }
}
