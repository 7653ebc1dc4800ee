//! Reading a stated quantity: a table cell ("〔10.5〕", ">95", "98以上", "控制在自治区下达指标内")
//! or the number in a clause of prose ("1.2万人以上", "6%－6.5%", "控制在4%以内").
//!
//! The kind of a cell follows from how it is written, not from the indicator: a plain number
//! in the 2020/2025 columns is a level, in the 年均/累计 column an average annual rate;
//! brackets 〔〕﹝﹞[ ] mark a five-year cumulative change.

use std::sync::LazyLock;

use guihua_model::{Comparator, Quantity, QuantityKind};
use regex::Regex;

/// Units a plan writes after a number, longest first so that "万吨标准煤" wins over "万吨".
pub const UNIT_PATTERN: &str = r"(?:个百分点|百分点|%|‰|‱|倍|微克/立方米|毫克/立方米|毫克/升|mg/L|μg/m3|分贝|GW|km|(?:十|百|千|万|十万|百万|千万|亿|万亿)?(?:美元|元|公斤|斤|人次|人|户|套|家|个|件|项|所|张|床位|床|岁|小时|分钟|平方公里|公里|千米|平方米|立方米|米|亩|公顷|吨标准煤|吨标煤|吨|千瓦时|千瓦|兆瓦|辆|台|座|条|标箱|处|册|部|名|位|株|头|只|羊单位|头只|户次|批|次|元/人|kg|t|年|天)(?:/(?:[十百千万亿]*(?:元|人|户|年|天|日|小时|次|吨|公顷|亩|平方米|平方公里|立方米|千瓦时|吨标准煤)))?(?:[（(][间个套户][)）])?|万|亿)";

/// A unit written at the start of the text (the same alternatives, in the same order, as
/// [`UNIT_PATTERN`]: the first that matches wins, as in a regex alternation).
static UNIT_AT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^(?:{UNIT_PATTERN})")).expect("valid regex"));

/// Comparator words before a number.
const PRE_WORDS: [&str; 23] = [
    ">=",
    "<=",
    ">",
    "＞",
    "≥",
    "≧",
    "⩾",
    "<",
    "＜",
    "≤",
    "≦",
    "⩽",
    "大于",
    "高于",
    "超过",
    "不低于",
    "不少于",
    "低于",
    "小于",
    "少于",
    "不超过",
    "不高于",
    "约",
];
/// Comparator words after a number, in order of preference.
const POST_WORDS: [&str; 7] = ["及以上", "以上", "以内", "以下", "之内", "左右", "上下"];
/// What joins the two ends of a range ("3-5", "3—5", "3至5").
const RANGE_DASHES: [char; 8] = ['-', '－', '—', '–', '~', '～', '至', '到'];

static BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[〔﹝\[［【]\s*(?P<inner>[^〕﹞\]］】]{1,40})[〕﹞\]］】](?P<rest>.*)$")
        .expect("valid regex")
});

/// Which column of an indicator table a cell sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// The base-year value (2020年).
    Base,
    /// The target-year value (2025年).
    Target,
    /// The 年均/累计 column.
    Pace,
}

/// Normalise digits and signs for matching: full-width digits, ％, ．, spaces inside numbers.
pub fn normalize(s: &str) -> String {
    // Fast path: no blanks and no full-width digits or signs (EF BC 85/8B/8E/90–99).
    let b = s.as_bytes();
    let mut plain = true;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' => {
                plain = false;
                break;
            }
            0xEF if b.get(i + 1) == Some(&0xBC)
                && matches!(b.get(i + 2), Some(0x85 | 0x8B | 0x8E | 0x90..=0x99)) =>
            {
                plain = false;
                break;
            }
            0xE3 if b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x80) => {
                plain = false;
                break;
            }
            _ => {}
        }
        i += crate::text::utf8_width(b[i]);
    }
    if plain {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '％' => '%',
            '．' => '.',
            '＋' => '+',
            _ => c,
        };
        out.push(c);
    }
    crate::text::squeeze(&out)
}

/// Is the cell a placeholder meaning "no value" (— - － – ― / 无 or empty)?
pub fn is_placeholder(s: &str) -> bool {
    let t = s.trim();
    t.is_empty()
        || t.chars().all(|c| {
            matches!(
                c,
                '—' | '-'
                    | '－'
                    | '–'
                    | '―'
                    | '─'
                    | '/'
                    | '／'
                    | '\\'
                    | '…'
                    | ' '
                    | '\t'
                    | '\u{3000}'
            )
        })
        || matches!(t, "无" | "暂无" | "N/A" | "n/a" | "NA")
}

fn comparator_from(pre: Option<&str>, post: Option<&str>) -> Comparator {
    match post {
        Some("以上" | "及以上") => return Comparator::Ge,
        Some("以内" | "以下" | "之内") => return Comparator::Le,
        Some("左右" | "上下") => return Comparator::Approx,
        _ => {}
    }
    match pre {
        Some(">" | "＞" | "大于" | "高于" | "超过") => Comparator::Gt,
        Some("≥" | "≧" | "⩾" | ">=" | "不低于" | "不少于") => Comparator::Ge,
        Some("<" | "＜" | "低于" | "小于" | "少于") => Comparator::Lt,
        Some("≤" | "≦" | "⩽" | "<=" | "不超过" | "不高于") => Comparator::Le,
        Some("约") => Comparator::Approx,
        _ => Comparator::Eq,
    }
}

/// A number found in text, with what surrounds it.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberMatch {
    /// Byte range in the searched string (comparator words included).
    pub start: usize,
    pub end: usize,
    pub value: f64,
    pub value_max: Option<f64>,
    pub unit: Option<String>,
    pub comparator: Comparator,
}

/// Match a number (with comparator, unit and range) starting exactly at `at`.
pub fn number_at(s: &str, at: usize) -> Option<NumberMatch> {
    if !s.is_char_boundary(at) {
        return None;
    }
    let rest = &s[at..];
    // Either a comparator word right before the number, or the number itself.
    let num_at = PRE_WORDS
        .iter()
        .find(|w| rest.starts_with(**w) && number_len(&rest[w.len()..]).is_some())
        .map(|w| at + w.len())
        .unwrap_or(at);
    number_len(&s[num_at..])?;
    Some(scan_number(s, at, num_at).0)
}

/// All numbers in `s`, left to right.
///
/// A hand-written scan rather than one capturing regex over the whole pattern: the unit
/// alternation is large, and a capturing search over it cost some 10 000 instructions per
/// call, a tenth of parse time. The scan finds each number's digits on bytes and matches
/// the comparator, unit, range and trailing words anchored where they must stand, with the
/// same preferences as the regex it replaces (comparator words taken as long as they go,
/// the first unit alternative that matches, a range only when a second number follows its
/// dash). Digits are ASCII: [`normalize`] makes full-width digits ASCII first.
pub fn find_numbers(s: &str) -> Vec<NumberMatch> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut cursor = 0usize;
    while let Some(rel) = b[cursor..].iter().position(u8::is_ascii_digit) {
        let d = cursor + rel;
        // An optional sign, then the longest comparator word ending before it.
        let num_at = if d > cursor && matches!(b[d - 1], b'+' | b'-') {
            d - 1
        } else {
            d
        };
        let start = PRE_WORDS
            .iter()
            .filter(|w| num_at >= cursor + w.len() && s[..num_at].ends_with(**w))
            .map(|w| num_at - w.len())
            .min()
            .unwrap_or(num_at);
        let (m, whole_end) = scan_number(s, start, num_at);
        out.push(m);
        cursor = whole_end.max(d + 1);
    }
    out
}

/// Bytes of `[+-]?\d+(\.\d+)?` at the start of `s`.
fn number_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let sign = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let int = b[sign..].iter().take_while(|c| c.is_ascii_digit()).count();
    if int == 0 {
        return None;
    }
    let mut end = sign + int;
    if b.get(end) == Some(&b'.') {
        let frac = b[end + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if frac > 0 {
            end += 1 + frac;
        }
    }
    Some(end)
}

/// The number whose comparator starts at `start` and whose digits (or sign) start at
/// `num_at` (a number is known to be there). Returns the match and where the whole pattern
/// ended (past a range that was then not taken), from which a scan goes on.
fn scan_number(s: &str, start: usize, num_at: usize) -> (NumberMatch, usize) {
    let pre = (start < num_at).then(|| &s[start..num_at]);
    let num_len = number_len(&s[num_at..]).unwrap_or(0);
    let mut pos = num_at + num_len;
    let value: f64 = s[num_at..pos].parse().unwrap_or(0.0);
    let unit_at = |p: usize| UNIT_AT.find(&s[p..]).map(|m| p + m.end());
    let mut unit = None;
    if let Some(e) = unit_at(pos) {
        unit = Some(s[pos..e].to_string());
        pos = e;
    }
    let unit_end = pos;
    // A range: a dash and a second unsigned number.
    let mut second: Option<(usize, f64, Option<String>)> = None;
    if let Some(dash) = s[pos..].chars().next().filter(|c| RANGE_DASHES.contains(c)) {
        let n2_at = pos + dash.len_utf8();
        let n2_len = number_len(&s[n2_at..]).filter(|_| s.as_bytes()[n2_at].is_ascii_digit());
        if let Some(n2_len) = n2_len {
            let mut p = n2_at + n2_len;
            let v2: f64 = s[n2_at..p].parse().unwrap_or(f64::NAN);
            let mut unit2 = None;
            if let Some(e) = unit_at(p) {
                unit2 = Some(s[p..e].to_string());
                p = e;
            }
            second = Some((pos, v2, unit2));
            pos = p;
        }
    }
    let post_of = |p: usize| POST_WORDS.iter().find(|w| s[p..].starts_with(**w)).copied();
    let post = post_of(pos);
    let whole_end = pos + post.map_or(0, str::len);
    let mut m = NumberMatch {
        start,
        end: whole_end,
        value,
        value_max: None,
        unit,
        comparator: comparator_from(pre, post),
    };
    if let Some((dash_at, v2, unit2)) = second {
        if v2 > value {
            m.value_max = Some(v2);
            m.comparator = Comparator::Range;
            if m.unit.is_none() {
                m.unit = unit2;
            }
        } else {
            // A dash that did not make a range ("2025-2020" read backwards, "4-3") is not
            // part of the number, nor what follows it.
            m.end = dash_at;
            m.comparator = comparator_from(pre, None);
            debug_assert_eq!(dash_at, unit_end);
        }
    }
    (m, whole_end)
}

/// Parse an indicator-table cell. `unit` is the indicator's unit (from its name), used for
/// levels and cumulative changes that do not write one.
///
/// Before the number is read, what surrounds it in real tables is taken off and kept:
/// estimate marks ("58.6*" → `estimate`), the period a value covers ("“十四五”年均增长4.0"
/// → 2021–2025, "2021-2024年累计降低8.2" → 2021–2024), and the words that say what the
/// number is ("年均增长" a rate, "累计"/"新增"/"提高…个百分点" a change over the period,
/// "降低"/"下降"/"减少" a decline, signed negative; "力争达到", "保持在" only emphasis).
/// Several numbers in one cell ("8358/244", "分别下降〔53.3〕和〔44.2〕") are kept as
/// `parts` and no single value is invented.
pub fn parse_cell(text: &str, column: Column, unit: Option<&str>, year: Option<i32>) -> Quantity {
    let raw = text.trim();
    let mut q = Quantity::none(raw);
    q.year = year;
    if is_placeholder(raw) {
        return q;
    }
    let mut t = normalize(raw);
    if let Some(rest) = strip_estimate(&t) {
        if rest.chars().any(|c| c.is_ascii_digit()) {
            q.estimate = true;
        }
        t = rest;
        if is_placeholder(&t) {
            return q;
        }
    }
    if let Some((span, rest)) = strip_span(&t) {
        q.span = Some(span);
        q.year = Some(span.1);
        t = rest;
    }
    let default_unit = |kind: QuantityKind, written: Option<String>| -> Option<String> {
        written.or_else(|| match kind {
            QuantityKind::Growth => Some("%".to_string()),
            _ => unit.map(str::to_string),
        })
    };

    // Several numbers: "8358/244", "分别下降〔53.3〕和〔44.2〕".
    if let Some((parts, kind)) = several(&t) {
        q.kind = kind;
        q.parts = parts;
        q.comparator = Some(Comparator::Eq);
        q.unit = unit.map(str::to_string);
        return q;
    }

    // 〔13.5〕 ﹝0.3﹞ [10]: change over the five years.
    if let Some(c) = BRACKETED.captures(&t) {
        let inner = c.name("inner").map(|m| m.as_str().trim()).unwrap_or("");
        if let Some(n) = number_at(inner, 0) {
            q.kind = QuantityKind::Cumulative;
            q.value = Some(n.value);
            q.value_max = n.value_max;
            let rest = c.name("rest").map(|m| m.as_str()).unwrap_or("");
            q.comparator = Some(if n.comparator == Comparator::Eq {
                comparator_from(None, post_word(rest))
            } else {
                n.comparator
            });
            q.unit = default_unit(QuantityKind::Cumulative, n.unit);
            q.year = q.span.map(|s| s.1);
            return q;
        }
        // "［完成国家审核衔接后确定的目标］": the brackets around words.
        if let Some(d) = delegated(inner) {
            q.kind = QuantityKind::Delegated;
            q.reference = Some(d);
            return q;
        }
    }

    if let Some(d) = delegated(&t) {
        q.kind = QuantityKind::Delegated;
        q.reference = Some(d);
        return q;
    }

    // Words before the number: what kind of change it is, and its sign.
    let (hint, rest) = lead_words(&t);
    // A number at the start: ">95", "98以上", "3以内", "≥0.2", "5.5左右", "4500万吨-6000万吨".
    if let Some(n) = number_at(rest, 0) {
        let kind = match hint.kind {
            Some(k) => k,
            None => match column {
                Column::Pace => QuantityKind::Growth,
                _ => QuantityKind::Level,
            },
        };
        q.kind = kind;
        q.value = Some(n.value * hint.sign);
        q.value_max = n.value_max.map(|m| m * hint.sign);
        q.comparator = Some(n.comparator);
        q.unit = default_unit(kind, n.unit);
        if column == Column::Pace && q.span.is_none() {
            q.year = None;
        }
        return q;
    }

    if let Some((cmp, reference, value)) = relative(&t) {
        q.kind = QuantityKind::Relative;
        q.comparator = Some(cmp);
        q.reference = Some(reference);
        q.value = value;
        if column == Column::Pace {
            q.year = None;
        }
        return q;
    }

    q.kind = QuantityKind::Qualitative;
    if column == Column::Pace {
        q.year = None;
    }
    q
}

/// A trailing (or leading) estimate or note mark on a cell ("58.6*", "※12").
fn strip_estimate(t: &str) -> Option<String> {
    const MARKS: [char; 5] = ['*', '∗', '※', '＊', '✱'];
    let s = t.trim();
    if s.ends_with(MARKS) {
        return Some(s.trim_end_matches(MARKS).trim().to_string());
    }
    if s.starts_with(MARKS) && s.chars().nth(1).is_some_and(|c| c.is_ascii_digit()) {
        return Some(s.trim_start_matches(MARKS).trim().to_string());
    }
    None
}

/// The years a value covers, written before it: "“十四五”年均增长4.0" (the 14th plan:
/// 2021–2025), "十四五期间", "2021-2024年累计降低8.2". Returns the span and the rest.
fn strip_span(t: &str) -> Option<((i32, i32), String)> {
    static SPAN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:[“\x22]?(?P<ord>[一二三四五六七八九十]{2,3})五[”\x22]?(?:时期|期间|期)?|(?P<a>(?:19|20)\d\d)\s*[-－—–~～至到]\s*(?P<b>(?:19|20)\d\d)\s*年(?:间|期间)?)[，,：:]?",
        )
        .expect("valid regex")
    });
    let c = SPAN.captures(t)?;
    let span = if let Some(o) = c.name("ord") {
        let n = crate::text::parse_numeral(o.as_str())?;
        let p = crate::meta::period_of_ordinal(n)?;
        (p.start, p.end)
    } else {
        let a: i32 = c["a"].parse().ok()?;
        let b: i32 = c["b"].parse().ok()?;
        if b < a || b - a > 10 {
            return None;
        }
        (a, b)
    };
    let rest = t[c.get(0)?.end()..].trim().to_string();
    // The qualifier must qualify a value, not be the whole cell.
    if rest.is_empty() {
        return None;
    }
    Some((span, rest))
}

/// What the words before a number say about it.
struct Hint {
    kind: Option<QuantityKind>,
    sign: f64,
}

/// Strip the words that introduce a number ("力争达到", "年均增长", "累计降低", "提高") and
/// say what they mean.
fn lead_words(t: &str) -> (Hint, &str) {
    let mut rest = t;
    let mut hint = Hint {
        kind: None,
        sign: 1.0,
    };
    // Emphasis only.
    for w in ["力争", "努力", "争取"] {
        if let Some(r) = rest.strip_prefix(w) {
            rest = r;
        }
    }
    for w in ["达到", "保持在", "稳定在", "控制在", "保持", "稳定", "实现"] {
        if let Some(r) = rest.strip_prefix(w) {
            rest = r;
            break;
        }
    }
    let mut annual = false;
    let mut over_period = false;
    for w in ["年均", "每年"] {
        if let Some(r) = rest.strip_prefix(w) {
            rest = r;
            annual = true;
        }
    }
    for w in ["累计", "共"] {
        if let Some(r) = rest.strip_prefix(w) {
            rest = r;
            over_period = true;
        }
    }
    let mut changed = false;
    for (w, sign) in [
        ("增长", 1.0),
        ("增速", 1.0),
        ("增加", 1.0),
        ("新增", 1.0),
        ("提高", 1.0),
        ("提升", 1.0),
        ("下降", -1.0),
        ("降低", -1.0),
        ("减少", -1.0),
    ] {
        if let Some(r) = rest.strip_prefix(w) {
            rest = r;
            hint.sign = sign;
            changed = true;
            // "增长" alone is a rate; a decline or a 提高 without 年均 is over the period.
            let rate = annual || (!over_period && matches!(w, "增长" | "增速"));
            hint.kind = Some(if rate {
                QuantityKind::Growth
            } else {
                QuantityKind::Cumulative
            });
            break;
        }
    }
    if !changed {
        if annual {
            hint.kind = Some(QuantityKind::Growth);
        } else if over_period {
            hint.kind = Some(QuantityKind::Cumulative);
        }
    }
    for w in ["约", "为", "到", "至"] {
        if let Some(r) = rest.strip_prefix(w) {
            if r.starts_with(|c: char| c.is_ascii_digit()) {
                rest = r;
            }
        }
    }
    (hint, rest.trim_start())
}

/// Several numbers in one cell: "8358/244", "6.99/2805", "分别下降〔53.3〕和〔44.2〕".
fn several(t: &str) -> Option<(Vec<f64>, QuantityKind)> {
    static SLASH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(\d+(?:\.\d+)?)(?:\s*/\s*(\d+(?:\.\d+)?))+$").expect("valid regex")
    });
    static EACH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^分别(?P<verb>增长|下降|降低|减少|提高|达到)?").expect("valid regex")
    });
    if SLASH.is_match(t) {
        let parts = t
            .split('/')
            .filter_map(|p| p.trim().parse::<f64>().ok())
            .collect();
        return Some((parts, QuantityKind::Level));
    }
    let c = EACH.captures(t)?;
    let sign = match c.name("verb").map(|m| m.as_str()) {
        Some("下降" | "降低" | "减少") => -1.0,
        _ => 1.0,
    };
    let bracketed = t.contains(['〔', '［', '[', '﹝', '【']);
    let parts: Vec<f64> = find_numbers(t).iter().map(|n| n.value * sign).collect();
    (parts.len() >= 2).then_some((
        parts,
        if bracketed {
            QuantityKind::Cumulative
        } else {
            QuantityKind::Level
        },
    ))
}

fn post_word(rest: &str) -> Option<&str> {
    let r = rest.trim();
    ["及以上", "以上", "以内", "以下", "之内", "左右"]
        .into_iter()
        .find(|w| r.starts_with(w))
}

/// "控制在自治区下达指标内", "完成哈密市下达任务", "控制在兵团下达指标内" → the level that
/// sets it ("自治区", "哈密市", "兵团"), or "上级" when unnamed.
pub fn delegated(t: &str) -> Option<String> {
    let markers = [
        "下达",
        "约束指标",
        "考核指标",
        "分解指标",
        "规定指标",
        "确定的目标",
        "定目标",
        "核定",
        "要求",
    ];
    // One literal-set scan before the word-by-word work (this runs on every clause).
    static ANY_MARKER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new("下达|约束指标|考核指标|分解指标|规定指标|确定的目标|定目标|核定|要求")
            .expect("valid regex")
    });
    if !ANY_MARKER.is_match(t) {
        return None;
    }
    // "达到国家要求": a requirement set above, not a number.
    if !t.contains("下达")
        && !t.contains("确定")
        && !t.contains("定目标")
        && !t.contains("核定")
        && !["国家", "省", "自治区", "市", "上级"]
            .iter()
            .any(|w| t.contains(w))
    {
        return None;
    }
    // The authority is named just before the marker: "控制在自治区下达指标内" → 自治区.
    let pos = markers.iter().filter_map(|m| t.find(m)).min().unwrap_or(0);
    let mut before = &t[..pos];
    for lead in ["控制在", "完成", "达到", "符合", "按照", "低于", "在", "按"] {
        if let Some(i) = before.rfind(lead) {
            before = &before[i + lead.len()..];
            break;
        }
    }
    // "国家审核衔接后", "省核定后": the authority, not the procedure.
    for tail in [
        "审核衔接后",
        "衔接后",
        "审核后",
        "核定后",
        "审定后",
        "批准后",
    ] {
        if let Some(b) = before.strip_suffix(tail) {
            before = b;
        }
    }
    let chars: Vec<char> = before.chars().collect();
    let who: String = chars[chars.len().saturating_sub(8)..]
        .iter()
        .collect::<String>()
        .trim_matches(|c: char| !crate::text::is_han(c))
        .to_string();
    let who = if who.is_empty() {
        "上级".to_string()
    } else {
        who
    };
    Some(who)
}

/// "与GDP增长基本同步", "高于GDP增长", "高于“十三五”时期", "翻一番" →
/// (comparator, reference, value).
pub fn relative(t: &str) -> Option<(Comparator, String, Option<f64>)> {
    static SYNC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[与和同](?P<ref>[^，,。；;与和同]{1,20}?)(?:保持)?(?P<basic>基本)?同步")
            .expect("valid regex")
    });
    static ABOVE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:增速)?(?P<cmp>高于|快于|不低于|低于|慢于|略高于|超过)(?P<ref>[^，,。；;、\d]{1,20})")
            .expect("valid regex")
    });
    static DOUBLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:比(?P<ref>[^，,。；;]{1,12}?))?(?:翻(?P<n>一|两|三)?番)")
            .expect("valid regex")
    });
    // Each pattern needs its word: a substring test spares the capturing search.
    if let Some(c) = t.contains("同步").then(|| SYNC.captures(t)).flatten() {
        let reference = c["ref"].trim().to_string();
        let cmp = if c.name("basic").is_some() {
            Comparator::Approx
        } else {
            Comparator::Eq
        };
        return Some((cmp, reference, None));
    }
    if let Some(c) = t
        .contains('于')
        .then(|| ABOVE.captures(t))
        .flatten()
        .or_else(|| t.contains("超过").then(|| ABOVE.captures(t)).flatten())
    {
        let cmp = match &c["cmp"] {
            "高于" | "快于" | "略高于" | "超过" => Comparator::Gt,
            "不低于" => Comparator::Ge,
            _ => Comparator::Lt,
        };
        let reference = c["ref"]
            .trim()
            .trim_end_matches("实际")
            .trim_end_matches("水平")
            .to_string();
        return Some((cmp, reference, None));
    }
    if let Some(c) = t.contains('番').then(|| DOUBLE.captures(t)).flatten() {
        let times = match c.name("n").map(|m| m.as_str()) {
            Some("两") => 4.0,
            Some("三") => 8.0,
            _ => 2.0,
        };
        let reference = c
            .name("ref")
            .map(|m| m.as_str().to_string())
            .unwrap_or_else(|| "基期".to_string());
        return Some((Comparator::Eq, reference, Some(times)));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(t: &str, col: Column) -> Quantity {
        parse_cell(t, col, Some("%"), Some(2025))
    }

    #[test]
    fn placeholders() {
        for p in ["—", "-", "－", "", "  ", "——"] {
            assert_eq!(cell(p, Column::Target).kind, QuantityKind::None, "{p:?}");
        }
    }

    #[test]
    fn levels_and_comparators() {
        let q = cell(">95", Column::Target);
        assert_eq!(
            (q.kind, q.value, q.comparator),
            (QuantityKind::Level, Some(95.0), Some(Comparator::Gt))
        );
        let q = cell("98以上", Column::Target);
        assert_eq!((q.value, q.comparator), (Some(98.0), Some(Comparator::Ge)));
        let q = cell("3以内", Column::Base);
        assert_eq!((q.value, q.comparator), (Some(3.0), Some(Comparator::Le)));
        let q = cell("≥0.2", Column::Target);
        assert_eq!((q.value, q.comparator), (Some(0.2), Some(Comparator::Ge)));
        let q = cell("5.5左右", Column::Target);
        assert_eq!(
            (q.value, q.comparator),
            (Some(5.5), Some(Comparator::Approx))
        );
        let q = cell("4500万吨-6000万吨", Column::Target);
        assert_eq!(
            (q.value, q.value_max, q.comparator, q.unit.as_deref()),
            (
                Some(4500.0),
                Some(6000.0),
                Some(Comparator::Range),
                Some("万吨")
            )
        );
    }

    #[test]
    fn cumulative_in_all_brackets() {
        for t in ["〔10.5〕", "﹝0.3﹞", "[10]", "［12］"] {
            let q = cell(t, Column::Pace);
            assert_eq!(q.kind, QuantityKind::Cumulative, "{t}");
        }
        assert_eq!(cell("〔10.5〕", Column::Target).value, Some(10.5));
    }

    #[test]
    fn pace_numbers_are_growth() {
        let q = cell(">7力争投入强度高于“十三五”时期实际", Column::Pace);
        assert_eq!(
            (q.kind, q.value, q.comparator),
            (QuantityKind::Growth, Some(7.0), Some(Comparator::Gt))
        );
    }

    #[test]
    fn delegated_relative_qualitative() {
        let q = cell("控制在自治区下达指标内", Column::Target);
        assert_eq!(
            (q.kind, q.reference.as_deref()),
            (QuantityKind::Delegated, Some("自治区"))
        );
        let q = cell("控制在哈密市下达指标内", Column::Target);
        assert_eq!(q.reference.as_deref(), Some("哈密市"));
        let q = cell("与GDP增长基本同步", Column::Pace);
        assert_eq!(
            (q.kind, q.reference.as_deref(), q.comparator),
            (
                QuantityKind::Relative,
                Some("GDP增长"),
                Some(Comparator::Approx)
            )
        );
        let q = cell("高于GDP增长", Column::Pace);
        assert_eq!(
            (q.kind, q.reference.as_deref(), q.comparator),
            (
                QuantityKind::Relative,
                Some("GDP增长"),
                Some(Comparator::Gt)
            )
        );
        let q = cell("保持在合理区间、各年度视情提出", Column::Pace);
        assert_eq!(q.kind, QuantityKind::Qualitative);
    }

    #[test]
    fn numbers_in_prose() {
        let n = find_numbers("城镇新增就业人数1.2万人以上");
        assert_eq!(n.len(), 1);
        assert_eq!(
            (n[0].value, n[0].unit.as_deref(), n[0].comparator),
            (1.2, Some("万人"), Comparator::Ge)
        );
        let n = find_numbers("增长6%－6.5%");
        assert_eq!((n[0].value, n[0].value_max), (6.0, Some(6.5)));
    }

    /// The number scan against the capturing regex it replaced (with ASCII digits), on every
    /// line of the reference plans and the corpus, raw and normalized, and on random text.
    mod scan_equals_regex {
        use super::super::*;
        use proptest::prelude::*;

        static OLD: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(&format!(
                r"(?x)
                (?P<pre>>=|<=|>|＞|≥|≧|⩾|<|＜|≤|≦|⩽|大于|高于|超过|不低于|不少于|低于|小于|少于|不超过|不高于|约)?
                (?P<num>[+\-]?[0-9]+(?:\.[0-9]+)?)
                (?P<unit>{u})?
                (?:
                    (?P<dash>[-－—–~～至到])
                    (?P<num2>[0-9]+(?:\.[0-9]+)?)
                    (?P<unit2>{u})?
                )?
                (?P<post>及以上|以上|以内|以下|之内|左右|上下)?",
                u = UNIT_PATTERN
            ))
            .expect("valid regex")
        });

        fn old_match(caps: &regex::Captures<'_>) -> Option<NumberMatch> {
            let whole = caps.get(0)?;
            let value: f64 = caps.name("num")?.as_str().parse().ok()?;
            let mut unit = caps.name("unit").map(|m| m.as_str().to_string());
            let mut value_max = None;
            let mut comparator = comparator_from(
                caps.name("pre").map(|m| m.as_str()),
                caps.name("post").map(|m| m.as_str()),
            );
            if let Some(n2) = caps.name("num2") {
                let v2: f64 = n2.as_str().parse().ok()?;
                if v2 > value {
                    value_max = Some(v2);
                    comparator = Comparator::Range;
                    if unit.is_none() {
                        unit = caps.name("unit2").map(|m| m.as_str().to_string());
                    }
                }
            }
            let mut end = whole.end();
            if value_max.is_none() {
                if let Some(d) = caps.name("dash") {
                    end = d.start();
                    comparator = comparator_from(caps.name("pre").map(|m| m.as_str()), None);
                }
            }
            Some(NumberMatch {
                start: whole.start(),
                end,
                value,
                value_max,
                unit,
                comparator,
            })
        }

        fn old_find(s: &str) -> Vec<NumberMatch> {
            OLD.captures_iter(s).filter_map(|c| old_match(&c)).collect()
        }

        fn old_at(s: &str, at: usize) -> Option<NumberMatch> {
            let caps = OLD.captures_at(s, at)?;
            if caps.get(0)?.start() != at {
                return None;
            }
            old_match(&caps)
        }

        fn same(s: &str) {
            assert_eq!(find_numbers(s), old_find(s), "{s}");
            for (at, _) in s.char_indices().take(12) {
                assert_eq!(number_at(s, at), old_at(s, at), "{s} at {at}");
            }
        }

        #[test]
        fn on_every_line_of_the_plans() {
            let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");
            let mut lines = 0;
            for dir in ["seeds", "corpus"] {
                let Ok(entries) = std::fs::read_dir(format!("{root}/{dir}")) else {
                    continue;
                };
                for e in entries.flatten() {
                    let Ok(text) = std::fs::read_to_string(e.path()) else {
                        continue;
                    };
                    for l in text.lines() {
                        same(l);
                        same(&normalize(l));
                        lines += 1;
                    }
                }
            }
            assert!(lines > 10_000, "plans missing under {root}: {lines} lines");
        }

        proptest! {
            #[test]
            fn on_random_text(parts in proptest::collection::vec(proptest::sample::select(vec![
                "5", "12", "3.5", ".", "-", "+", "—", "至", "~", "%", "万", "万吨", "亿元", "个百分点",
                "以上", "及以上", "左右", "约", "不低于", "低于", ">", ">=", "＜", "年", "人", "/",
                "（", "间", "）", "达到", " ", "，", "〔", "〕", "2025", "2021-2025", "元/人",
            ]), 0..14)) {
                same(&parts.concat());
            }
        }
    }
}
