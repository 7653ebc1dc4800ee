//! Plan audit (规划审查): what a people's congress reviewer checks in a draft plan before it
//! is adopted, computed from the parsed plan alone.
//!
//! * **Compounding** — a base, an annual rate and a target must agree: 332亿 growing 9% a
//!   year for five years gives 510.8亿, consistent with a 510亿 target; 14亿 growing more than
//!   20% a year gives at least 34.8亿, which contradicts a 15亿 target. Bases come from the
//!   indicator table or from the values the plan states for its base year (`Plan::facts`).
//! * **Cumulative arithmetic** — base + 〔change〕 must equal the target (11.57 + 0.3 = 11.87).
//! * **Targets weaker than the base** for indicators that should improve (an unemployment
//!   ceiling of 4% after 3% in the base year; grain capacity 3.5 → 2.57).
//! * **Table vs prose** disagreements (from the parser's cross-check) and **prose vs prose**
//!   contradictions (the same subject with two targets for the same year).
//! * **Side by side** — an indicator the table delegates or leaves empty, next to prose that
//!   sets a number for something similar (air quality delegated in the table, ≥99% for a
//!   town in the prose): not a contradiction, but the reviewer wants both.
//! * **Missing unit or attribute** in the indicator table.
//!
//! Every finding carries its numbers and the lines it comes from. Pure: no I/O.

use guihua_eval::{direction_from_name, is_reduction_name, Direction};
pub mod align;

use guihua_model::{Comparator, Indicator, Plan, Quantity, QuantityKind, Target};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// A check that was made and passed, or context for the reviewer.
    Info,
    /// Something the reviewer should question.
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
        }
    }
}

/// One audit finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Stable kebab-case code.
    pub code: &'static str,
    pub severity: Severity,
    /// The indicator or subject concerned, as the plan names it.
    pub subject: String,
    /// What was found, with the numbers (Chinese).
    pub message: String,
    /// Source lines involved.
    pub lines: Vec<u32>,
}

/// Tolerance for "consistent" in the compounding and cumulative checks (relative).
pub const TOLERANCE: f64 = 0.03;

/// Audit a plan.
pub fn audit(plan: &Plan) -> Vec<Finding> {
    let mut out = Vec::new();
    compounding(plan, &mut out);
    for ind in &plan.indicators {
        cumulative(ind, &mut out);
        weaker_than_base(ind, &mut out);
        missing(ind, &mut out);
    }
    for d in &plan.diagnostics {
        if d.code == "table-prose-mismatch" {
            let subject = d.message.split(':').next().unwrap_or("").to_string();
            out.push(Finding {
                code: "table-prose-mismatch",
                severity: Severity::Warning,
                subject,
                message: d.message.clone(),
                lines: d.line.into_iter().collect(),
            });
        }
    }
    prose_contradictions(&plan.targets, &mut out);
    side_by_side(plan, &mut out);
    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.lines.first().cmp(&b.lines.first()))
    });
    out
}

/// A subject reduced to what identifies it across phrasings: "旅游年收入" and "旅游总收入"
/// are the same; so are "旅游接待人次" and "旅客接待量".
pub fn subject_key(s: &str) -> String {
    let mut k: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    for lead in [
        "全市",
        "全县",
        "全区",
        "全旗",
        "全州",
        "全盟",
        "师市",
        "全地区",
        "地区",
        "全年",
        "实现",
    ] {
        if let Some(rest) = k.strip_prefix(lead) {
            if rest.chars().count() >= 2 {
                k = rest.to_string();
            }
        }
    }
    for (from, to) in [
        ("旅客", "旅游"),
        ("游客", "旅游"),
        ("接待人次", "接待"),
        ("接待人数", "接待"),
        ("接待量", "接待"),
        ("国内生产总值", "生产总值"),
        ("地区生产总值", "生产总值"),
        ("GDP", "生产总值"),
    ] {
        k = k.replace(from, to);
    }
    k.chars()
        .filter(|c| !matches!(c, '总' | '年' | '全'))
        .collect()
}

#[cfg(test)]
fn same_subject(a: &str, b: &str) -> bool {
    same_key(&subject_key(a), &subject_key(b))
}

/// [`same_subject`] on keys already made by [`subject_key`].
fn same_key(a: &str, b: &str) -> bool {
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (a, b)
    } else {
        (b, a)
    };
    short.chars().count() >= 3
        && (short == long || (short.chars().count() >= 4 && long.contains(short)))
}

/// Split a unit into its magnitude (万 = 1e4, 亿 = 1e8 …) and base ("人次" → 人).
fn magnitude(unit: Option<&str>) -> (f64, String) {
    let u = unit.unwrap_or("");
    let mut factor = 1.0;
    let mut rest = u;
    for (p, f) in [
        ("万亿", 1e12),
        ("亿", 1e8),
        ("千万", 1e7),
        ("百万", 1e6),
        ("十万", 1e5),
        ("万", 1e4),
        ("千", 1e3),
        ("百", 1e2),
    ] {
        if let Some(r) = u.strip_prefix(p) {
            if !r.is_empty() {
                factor = f;
                rest = r;
            }
            break;
        }
    }
    let base = match rest {
        "人次" | "人" => "人".to_string(),
        other => other.to_string(),
    };
    (factor, base)
}

/// Convert `v` in `from` to the unit `to`, when they measure the same thing.
fn convert(v: f64, from: Option<&str>, to: Option<&str>) -> Option<f64> {
    let (f1, b1) = magnitude(from);
    let (f2, b2) = magnitude(to);
    (b1 == b2).then_some(v * f1 / f2)
}

fn fmt(v: f64) -> String {
    let s = if v.abs() >= 100.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    if s.is_empty() {
        "0".into()
    } else {
        s
    }
}

/// A level to reach, with its year, unit and line.
struct Level<'a> {
    subject: &'a str,
    value: f64,
    comparator: Comparator,
    unit: Option<&'a str>,
    year: i32,
    line: u32,
}

/// An average annual rate.
struct Rate {
    value: f64,
    comparator: Comparator,
    line: u32,
}

fn level_of<'a>(
    subject: &'a str,
    q: &'a Quantity,
    line: u32,
    default_year: Option<i32>,
) -> Option<Level<'a>> {
    if q.kind != QuantityKind::Level || q.per_year {
        return None;
    }
    Some(Level {
        subject,
        value: q.value?,
        comparator: q.comparator.unwrap_or(Comparator::Eq),
        unit: q.unit.as_deref(),
        year: q.year.or(default_year)?,
        line,
    })
}

/// Base × (1 + rate)^years against the target, for table rows and prose subjects.
fn compounding(plan: &Plan, out: &mut Vec<Finding>) {
    let end = plan.period.map(|p| p.end);
    // Table rows: base level, target level, pace growth.
    for ind in &plan.indicators {
        let (Some(base), Some(target)) = (
            level_of(
                &ind.name,
                &ind.base,
                ind.line,
                plan.period.map(|p| p.base_year()),
            ),
            level_of(&ind.name, &ind.target, ind.line, end),
        ) else {
            continue;
        };
        if ind.pace.kind != QuantityKind::Growth {
            continue;
        }
        let Some(g) = ind.pace.value else { continue };
        let rate = Rate {
            value: g,
            comparator: ind.pace.comparator.unwrap_or(Comparator::Eq),
            line: ind.line,
        };
        check_compound(&ind.name, &base, &rate, &target, out);
    }
    // Prose: a target level and a growth rate for the same subject, and a base from the
    // table or from the facts the plan states for its base year.
    // Growth rates by subject key (the first stated), facts with their keys: computed once.
    let mut rates: std::collections::HashMap<(String, Option<i32>), &Target> =
        std::collections::HashMap::new();
    for r in &plan.targets {
        if r.quantity.kind == QuantityKind::Growth && r.quantity.value.is_some() {
            rates
                .entry((subject_key(&r.subject), r.quantity.year))
                .or_insert(r);
        }
    }
    let facts: Vec<(String, &Target)> = plan
        .facts
        .iter()
        .map(|f| (subject_key(&f.subject), f))
        .collect();
    for t in &plan.targets {
        let Some(target) = level_of(&t.subject, &t.quantity, t.line, end) else {
            continue;
        };
        let key = subject_key(&t.subject);
        let Some(rate_t) = rates.get(&(key.clone(), t.quantity.year)) else {
            continue;
        };
        let rate = Rate {
            value: rate_t.quantity.value.unwrap_or(0.0),
            comparator: rate_t.quantity.comparator.unwrap_or(Comparator::Eq),
            line: rate_t.line,
        };
        let base = facts
            .iter()
            .filter(|(k, _)| same_key(k, &key))
            .filter_map(|(_, f)| level_of(&f.subject, &f.quantity, f.line, None))
            .filter(|b| b.year < target.year && convert(b.value, b.unit, target.unit).is_some())
            .max_by_key(|b| b.year);
        if let Some(base) = base {
            check_compound(&t.subject, &base, &rate, &target, out);
        }
    }
}

fn check_compound(
    subject: &str,
    base: &Level,
    rate: &Rate,
    target: &Level,
    out: &mut Vec<Finding>,
) {
    let years = target.year - base.year;
    if years <= 0 || years > 20 {
        return;
    }
    let Some(b) = convert(base.value, base.unit, target.unit) else {
        return;
    };
    if b <= 0.0 || target.value <= 0.0 {
        return;
    }
    let n = f64::from(years);
    let implied = b * (1.0 + rate.value / 100.0).powf(n);
    let needed = ((target.value / b).powf(1.0 / n) - 1.0) * 100.0;
    let unit = target.unit.unwrap_or("");
    let lines = {
        let mut v = vec![base.line, rate.line, target.line];
        v.sort_unstable();
        v.dedup();
        v
    };
    let head = format!(
        "{}年{}{}{unit}按年均增长{}{}%推算，{}年{}{}{unit}；目标{}{unit}（隐含年均增长{}%）",
        base.year,
        base.subject,
        fmt(b),
        match rate.comparator {
            Comparator::Gt => "大于",
            Comparator::Ge => "不低于",
            Comparator::Approx => "约",
            _ => "",
        },
        fmt(rate.value),
        target.year,
        match rate.comparator {
            Comparator::Gt | Comparator::Ge => "至少为",
            _ => "应为",
        },
        fmt(implied),
        fmt(target.value),
        fmt(needed),
    );
    let contradicts = match rate.comparator {
        // A floor on the rate: the target must be at least the implied value.
        Comparator::Gt | Comparator::Ge => {
            target.value < implied * (1.0 - TOLERANCE)
                && !matches!(target.comparator, Comparator::Gt | Comparator::Ge)
        }
        _ => (implied - target.value).abs() > TOLERANCE * target.value,
    };
    if contradicts {
        out.push(Finding {
            code: "growth-level-mismatch",
            severity: Severity::Warning,
            subject: subject.to_string(),
            message: format!("{head}：增速与目标值不一致"),
            lines,
        });
    } else {
        out.push(Finding {
            code: "growth-level-consistent",
            severity: Severity::Info,
            subject: subject.to_string(),
            message: format!("{head}：一致"),
            lines,
        });
    }
}

/// Base + 〔change〕 = target.
fn cumulative(ind: &Indicator, out: &mut Vec<Finding>) {
    if ind.pace.kind != QuantityKind::Cumulative
        || ind.base.kind != QuantityKind::Level
        || ind.target.kind != QuantityKind::Level
    {
        return;
    }
    let (Some(b), Some(t), Some(c)) = (ind.base.value, ind.target.value, ind.pace.value) else {
        return;
    };
    let change = if is_reduction_name(&ind.name) { -c } else { c };
    let sum = b + change;
    let ok = (sum - t).abs() <= 0.011_f64.max(1e-6 * t.abs());
    out.push(Finding {
        code: if ok {
            "cumulative-consistent"
        } else {
            "cumulative-mismatch"
        },
        severity: if ok {
            Severity::Info
        } else {
            Severity::Warning
        },
        subject: ind.name.clone(),
        message: format!(
            "基期{} + 累计{} = {}，目标{}：{}",
            fmt(b),
            fmt(change),
            fmt(sum),
            fmt(t),
            if ok {
                "一致"
            } else {
                "累计数与基期、目标不符"
            }
        ),
        lines: vec![ind.line],
    });
}

/// A target that asks for less than the base year already achieved.
fn weaker_than_base(ind: &Indicator, out: &mut Vec<Finding>) {
    if ind.base.kind != QuantityKind::Level || ind.target.kind != QuantityKind::Level {
        return;
    }
    let (Some(b), Some(t)) = (ind.base.value, ind.target.value) else {
        return;
    };
    if is_reduction_name(&ind.name) {
        return;
    }
    let dir = direction_from_name(&ind.name);
    let weaker = match dir {
        Direction::HigherIsBetter => t < b,
        Direction::LowerIsBetter => t > b,
    };
    if !weaker {
        return;
    }
    out.push(Finding {
        code: "target-weaker-than-base",
        severity: Severity::Warning,
        subject: ind.name.clone(),
        message: format!(
            "{}{}（{}）目标{}（{}）{}基期水平（{}越{}越好）",
            ind.name,
            ind.base.year.map(|y| format!("{y}年")).unwrap_or_default(),
            ind.base.text,
            ind.target
                .year
                .map(|y| format!("{y}年"))
                .unwrap_or_default(),
            ind.target.text,
            match dir {
                Direction::HigherIsBetter => "低于",
                Direction::LowerIsBetter => "高于（宽于）",
            },
            "指标",
            match dir {
                Direction::HigherIsBetter => "高",
                Direction::LowerIsBetter => "低",
            },
        ),
        lines: vec![ind.line],
    });
}

fn missing(ind: &Indicator, out: &mut Vec<Finding>) {
    if ind.unit.is_none() {
        out.push(Finding {
            code: "missing-unit",
            severity: Severity::Warning,
            subject: ind.name.clone(),
            message: format!("指标“{}”未注明计量单位", ind.name),
            lines: vec![ind.line],
        });
    }
    if ind.attribute.is_none() {
        out.push(Finding {
            code: "missing-attribute",
            severity: Severity::Warning,
            subject: ind.name.clone(),
            message: format!("指标“{}”未注明属性（预期性/约束性）", ind.name),
            lines: vec![ind.line],
        });
    }
}

/// The same subject with two different level targets for the same year. Targets are grouped
/// by (subject key, year, unit) first, so only targets that could contradict are compared.
fn prose_contradictions(targets: &[Target], out: &mut Vec<Finding>) {
    /// (subject key, year, unit)
    type Key<'a> = (String, Option<i32>, Option<&'a str>);
    let mut groups: std::collections::HashMap<Key, Vec<&Target>> = std::collections::HashMap::new();
    for t in targets {
        if t.quantity.kind != QuantityKind::Level
            || t.quantity.value.is_none()
            || t.subject.chars().count() < 4
        {
            continue;
        }
        groups
            .entry((
                subject_key(&t.subject),
                t.quantity.year,
                t.quantity.unit.as_deref(),
            ))
            .or_default()
            .push(t);
    }
    let mut pairs: Vec<(&Target, &Target)> = Vec::new();
    for g in groups.values() {
        for (i, a) in g.iter().enumerate() {
            // The first differing value is enough: a subject stated many times reports each
            // statement once against an earlier one.
            if let Some(b) = g[..i].iter().find(|b| {
                (b.quantity.value.unwrap_or(0.0) - a.quantity.value.unwrap_or(0.0)).abs() >= 1e-9
            }) {
                pairs.push((b, a));
            }
        }
    }
    pairs.sort_by_key(|(a, b)| (a.line, b.line));
    for (a, b) in pairs {
        out.push(Finding {
            code: "prose-contradiction",
            severity: Severity::Warning,
            subject: a.subject.clone(),
            message: format!(
                "“{}”在第{}行为{}，在第{}行为{}",
                a.subject, a.line, a.quantity.text, b.line, b.quantity.text
            ),
            lines: vec![a.line, b.line],
        });
    }
}

/// Indicators whose table target is delegated or empty, next to prose with a number for a
/// similar subject.
fn side_by_side(plan: &Plan, out: &mut Vec<Finding>) {
    for ind in &plan.indicators {
        if !matches!(
            ind.target.kind,
            QuantityKind::Delegated | QuantityKind::None
        ) {
            continue;
        }
        let key = subject_key(&ind.name);
        let key = ["比率", "比例", "占比", "率"]
            .iter()
            .find_map(|s| key.strip_suffix(s))
            .unwrap_or(&key)
            .to_string();
        for t in &plan.targets {
            if t.quantity.value.is_none() {
                continue;
            }
            let tk = subject_key(&t.subject);
            let related = tk.contains(&key)
                || (key.chars().count() >= 6 && {
                    let tail: String = key.chars().skip(key.chars().count() - 6).collect();
                    tk.contains(&tail)
                });
            if !related {
                continue;
            }
            out.push(Finding {
                code: "side-by-side",
                severity: Severity::Info,
                subject: ind.name.clone(),
                message: format!(
                    "指标表：{}（{}）目标“{}”；正文第{}行：{}",
                    ind.name, ind.base.text, ind.target.text, t.line, t.quantity.text
                ),
                lines: vec![ind.line, t.line],
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(subject_key("旅游年收入"), subject_key("旅游总收入"));
        assert_eq!(
            subject_key("旅游接待人次"),
            subject_key("全年实现旅客接待量")
        );
        assert!(same_subject("生产总值", "地区生产总值"));
        assert_eq!(convert(310.0, Some("万人次"), Some("万人")), Some(310.0));
        assert_eq!(convert(1.0, Some("亿元"), Some("万元")), Some(10000.0));
        assert_eq!(convert(1.0, Some("亿元"), Some("万人")), None);
    }

    #[test]
    fn compounding_words() {
        let plan = guihua_parse::parse_text(
            "某市国民经济和社会发展第十四个五年规划纲要\n第一章 发展基础\n2020年,全市实现生产总值332亿元。旅游总收入14亿元。\n第二章 发展目标\n到2025年,生产总值达到510亿元、年均增长9%。旅游年收入增长率大于20%,旅游年收入达到15亿元。\n",
        );
        let f = audit(&plan);
        let gdp = f
            .iter()
            .find(|x| x.subject == "生产总值")
            .expect("gdp check");
        assert_eq!(gdp.code, "growth-level-consistent");
        assert!(gdp.message.contains("510.8"), "{}", gdp.message);
        let tour = f
            .iter()
            .find(|x| x.code == "growth-level-mismatch")
            .expect("tourism");
        assert!(tour.message.contains("至少为34.84"), "{}", tour.message);
    }
}
