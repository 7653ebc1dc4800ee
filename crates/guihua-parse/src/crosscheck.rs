//! The same indicator stated twice — in the main indicator table and in prose — with
//! different targets ("〔10.5〕万 new jobs" in Tacheng's table vs "年均城镇新增就业2万人" in
//! its prose). A reviewer wants both side by side, so each disagreement is a diagnostic
//! naming both lines.

use guihua_model::{Diagnostic, Indicator, Plan, Quantity, QuantityKind, Target};

fn strip(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .trim_start_matches("地区")
        .trim_start_matches("全市")
        .trim_start_matches("全县")
        .to_string()
}

/// Names refer to the same indicator when they are equal once a leading region word is
/// dropped, or when the longer only adds a measure word at its end ("城镇新增就业" /
/// "城镇新增就业人数") or a scope word at its start ("全社会研发经费投入" / "研发经费投入").
/// A name inside a longer one is another indicator ("地区生产总值" in "人均地区生产总值" or
/// in "数字经济核心产业增加值占地区生产总值比重").
#[cfg(test)]
fn same_subject(indicator: &str, subject: &str) -> bool {
    same_key(&strip(indicator), &strip(subject))
}

/// `same_subject` on names already passed through `strip`.
fn same_key(a: &str, b: &str) -> bool {
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (a, b)
    } else {
        (b, a)
    };
    if short.chars().count() < 4 {
        return false;
    }
    if short == long {
        return true;
    }
    const MEASURE: [&str; 8] = [
        "人数",
        "数",
        "量",
        "总量",
        "规模",
        "增长",
        "年均增长",
        "水平",
    ];
    const SCOPE: [&str; 8] = [
        "全社会",
        "全市",
        "全县",
        "全区",
        "全省",
        "全州",
        "全旗",
        "城镇",
    ];
    if let Some(rest) = long.strip_prefix(short) {
        return MEASURE.contains(&rest);
    }
    if let Some(rest) = long.strip_suffix(short) {
        return SCOPE.contains(&rest);
    }
    false
}

fn show(q: &Quantity) -> String {
    q.text.clone()
}

fn mismatch(ind: &Indicator, t: &Target, years: i32) -> Option<String> {
    let tq = &t.quantity;
    let iv = |q: &Quantity| q.value;
    let differs = |a: f64, b: f64| (a - b).abs() > 1e-6 * a.abs().max(b.abs()).max(1.0);
    match (ind.target.kind, tq.kind) {
        (QuantityKind::Level, QuantityKind::Level) if !tq.per_year => {
            let (a, b) = (iv(&ind.target)?, tq.value?);
            differs(a, b).then(|| format!("table {} vs prose {}", show(&ind.target), tq.text))
        }
        (QuantityKind::Cumulative, QuantityKind::Level) if tq.per_year => {
            let (a, b) = (iv(&ind.target)?, tq.value?);
            let total = b * f64::from(years);
            differs(a, total).then(|| {
                format!(
                    "table {} over the period vs prose {} (= {} over {years} years)",
                    show(&ind.target),
                    tq.text,
                    trim_float(total)
                )
            })
        }
        _ => {
            if ind.pace.kind == QuantityKind::Growth && tq.kind == QuantityKind::Growth {
                let (a, b) = (iv(&ind.pace)?, tq.value?);
                differs(a, b)
                    .then(|| format!("table pace {} vs prose {}", show(&ind.pace), tq.text))
            } else {
                None
            }
        }
    }
}

fn trim_float(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

pub(crate) fn check(plan: &Plan) -> Vec<Diagnostic> {
    let years = plan.period.map(|p| p.end - p.start + 1).unwrap_or(5);
    let mut out = Vec::new();
    let subjects: Vec<String> = plan.targets.iter().map(|t| strip(&t.subject)).collect();
    for ind in &plan.indicators {
        let name = strip(&ind.name);
        for (t, key) in plan.targets.iter().zip(&subjects) {
            if !same_key(&name, key) {
                continue;
            }
            if let (Some(a), Some(b)) = (ind.target.year, t.quantity.year) {
                if a != b && ind.target.kind != QuantityKind::Cumulative {
                    continue;
                }
            }
            if let Some(what) = mismatch(ind, t, years) {
                out.push(Diagnostic::warning(
                    "table-prose-mismatch",
                    Some(t.line),
                    format!(
                        "{}: {what} (table line {}, prose line {})",
                        ind.name, ind.line, t.line
                    ),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects() {
        assert!(same_subject("城镇新增就业人数", "城镇新增就业"));
        assert!(same_subject("森林覆盖率", "地区森林覆盖率"));
        assert!(!same_subject("森林覆盖率", "城市建成区绿化覆盖率"));
        assert!(!same_subject("地区生产总值", "人均地区生产总值"));
        assert!(!same_subject(
            "地区生产总值",
            "数字经济核心产业增加值占地区生产总值比重"
        ));
        assert!(same_subject("研发经费投入", "全社会研发经费投入"));
    }
}
