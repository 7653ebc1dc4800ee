//! Alignment between plans (衔接): does a lower plan (a county's, a city's) carry the main
//! and binding indicators of the plan above it, and are its targets at least as demanding?
//!
//! Pure: the two plans, which catalogue indicator each plan indicator is linked to, and
//! which way each catalogue indicator improves are given; nothing is looked up. The rules:
//!
//! * Counterparts are found through the catalogue (both linked to the same entry), else by
//!   the same name.
//! * A target is compared only with a target of the same kind — a level with a level, an
//!   average annual rate with a rate, a change over the period with a change over the
//!   period — in the same unit and for plans of the same period; otherwise the row says why
//!   it cannot be compared ("上级为水平值，本级为年均增速"). A number is never compared with a
//!   number of another kind.
//! * "At least as demanding" follows the direction: for an indicator where higher is
//!   better the lower plan's target must be ≥ the higher plan's; where lower is better, ≤.
//!   The direction is the catalogue's; for an indicator without a link, the name decides
//!   as in the evaluation, and the reason says so.
//! * A total (万吨, 亿元, 万人) grows with the region, so its levels and period amounts are
//!   not compared across levels; ratios, averages and per-head figures are, and rates
//!   always.
//! * A lower plan that leaves the value to the level above ("控制在上级下达指标内") is
//!   aligned by delegation.

use std::collections::HashMap;

use guihua_model::{Attribute, Indicator, Plan, QuantityKind};

/// Which way an indicator improves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
}

/// One plan as the alignment sees it.
pub struct Side<'a> {
    pub plan: &'a Plan,
    /// Plan indicator id → catalogue id (the library's stored links).
    pub links: &'a HashMap<String, String>,
}

/// What a target asks for, in a form two plans can be compared in.
#[derive(Debug, Clone, PartialEq)]
pub enum Goal {
    /// A level to reach or hold.
    Level(f64),
    /// An average annual rate (signed as the plan writes it).
    Rate(f64),
    /// A change over the whole period (〔〕, 累计).
    Cumulative(f64),
    /// Left to the level above (控制在…下达指标内).
    Delegated,
    /// Tied to something else or in words only: not a number to compare.
    Words,
    /// No target.
    Missing,
}

impl Goal {
    fn kind_zh(&self) -> &'static str {
        match self {
            Goal::Level(_) => "水平值",
            Goal::Rate(_) => "年均增速",
            Goal::Cumulative(_) => "期间累计值",
            Goal::Delegated => "由上级下达",
            Goal::Words => "文字或相对目标",
            Goal::Missing => "未设目标",
        }
    }
}

/// The goal of a plan indicator: its target level, else its 年均/累计 column.
pub fn goal(i: &Indicator) -> Goal {
    let t = &i.target;
    let p = &i.pace;
    let delegated = t.kind == QuantityKind::Delegated || p.kind == QuantityKind::Delegated;
    match (t.kind, t.value, p.kind, p.value) {
        (QuantityKind::Level, Some(v), _, _) => Goal::Level(v),
        (_, _, QuantityKind::Growth, Some(v)) => Goal::Rate(v),
        (_, _, QuantityKind::Cumulative, Some(v)) => Goal::Cumulative(v),
        (QuantityKind::Growth, Some(v), _, _) => Goal::Rate(v),
        (QuantityKind::Cumulative, Some(v), _, _) => Goal::Cumulative(v),
        _ if delegated => Goal::Delegated,
        (QuantityKind::Relative | QuantityKind::Qualitative, _, _, _)
        | (_, _, QuantityKind::Relative | QuantityKind::Qualitative, _) => Goal::Words,
        _ => Goal::Missing,
    }
}

/// Every numeric goal an indicator states: its target level, its 年均/累计 column, a
/// target written as a rate or a change.
fn goals(i: &Indicator) -> Vec<Goal> {
    let mut out = Vec::new();
    let (t, p) = (&i.target, &i.pace);
    if let (QuantityKind::Level, Some(v)) = (t.kind, t.value) {
        out.push(Goal::Level(v));
    }
    for q in [p, t] {
        match (q.kind, q.value) {
            (QuantityKind::Growth, Some(v)) => out.push(Goal::Rate(v)),
            (QuantityKind::Cumulative, Some(v)) => out.push(Goal::Cumulative(v)),
            _ => {}
        }
    }
    out
}

/// How a lower plan stands against one indicator of the plan above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The lower plan has no counterpart.
    Missing,
    /// Its target is less demanding.
    Weaker,
    /// Its target is at least as demanding.
    AtLeastAsDemanding,
    /// It leaves the value to the level above.
    Delegated,
    /// The targets cannot be compared (the reason says why).
    NotComparable,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Missing => "missing",
            Verdict::Weaker => "weaker",
            Verdict::AtLeastAsDemanding => "at_least_as_demanding",
            Verdict::Delegated => "delegated",
            Verdict::NotComparable => "not_comparable",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Verdict::Missing => "缺少",
            Verdict::Weaker => "低于上级",
            Verdict::AtLeastAsDemanding => "不低于上级",
            Verdict::Delegated => "由上级下达",
            Verdict::NotComparable => "无法比较",
        }
    }
}

/// One indicator of the higher plan against the lower plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The higher plan's indicator.
    pub higher: Indicator,
    /// Its counterpart in the lower plan.
    pub lower: Option<Indicator>,
    /// The catalogue entry they were matched through, if any.
    pub catalog_id: Option<String>,
    pub verdict: Verdict,
    /// Why, in Chinese, with the numbers compared.
    pub reason: String,
}

/// The alignment of a lower plan with a higher one.
#[derive(Debug, Clone, PartialEq)]
pub struct Alignment {
    /// One row per indicator of the higher plan, in its table order.
    pub rows: Vec<Row>,
    /// Indicators of the lower plan with no counterpart above, in its table order.
    pub unmatched: Vec<Indicator>,
    /// The two plans cover different periods: targets are not compared.
    pub periods_differ: bool,
}

fn num(v: f64) -> String {
    let r = (v * 10_000.0).round() / 10_000.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

/// Is the indicator a ratio, an average or a per-head figure (its level means the same in a
/// county and a province), rather than a total that grows with the region's size?
pub fn intensive(i: &Indicator) -> bool {
    const UNITS: &[&str] = &["%", "％", "‰", "岁", "年", "微克/立方米", "分"];
    const WORDS: &[&str] = &[
        "每", "人均", "率", "比例", "比重", "占", "覆盖", "密度", "强度", "指数", "寿命", "年限",
        "平均",
    ];
    let unit = i.unit.as_deref().unwrap_or("").trim();
    UNITS.contains(&unit) || WORDS.iter().any(|w| i.name.contains(w))
}

fn same_unit(a: &Indicator, b: &Indicator) -> bool {
    guihua_model::same_unit(a.unit.as_deref(), b.unit.as_deref())
}

/// Compare the lower plan with the higher one. `direction` tells which way a catalogue
/// indicator improves.
pub fn align(higher: &Side, lower: &Side, direction: &dyn Fn(&str) -> Option<Better>) -> Alignment {
    let periods_differ = match (higher.plan.period, lower.plan.period) {
        (Some(a), Some(b)) => a != b,
        _ => false,
    };
    let mut used: Vec<bool> = vec![false; lower.plan.indicators.len()];
    let mut rows = Vec::new();
    for h in &higher.plan.indicators {
        let cat = higher.links.get(&h.id);
        let found = lower.plan.indicators.iter().enumerate().find(|(n, l)| {
            !used[*n]
                && match (cat, lower.links.get(&l.id)) {
                    (Some(a), Some(b)) => a == b,
                    _ => l.name.trim() == h.name.trim(),
                }
        });
        let Some((n, l)) = found else {
            let binding = h.attribute == Some(Attribute::Binding);
            rows.push(Row {
                higher: h.clone(),
                lower: None,
                catalog_id: cat.cloned(),
                verdict: Verdict::Missing,
                reason: if binding {
                    "本级规划没有这项约束性指标".into()
                } else {
                    "本级规划没有这项指标".into()
                },
            });
            continue;
        };
        used[n] = true;
        let (verdict, reason) = compare(h, l, cat.map(String::as_str), periods_differ, direction);
        rows.push(Row {
            higher: h.clone(),
            lower: Some(l.clone()),
            catalog_id: cat.cloned().or_else(|| lower.links.get(&l.id).cloned()),
            verdict,
            reason,
        });
    }
    let unmatched = lower
        .plan
        .indicators
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(i, _)| i.clone())
        .collect();
    Alignment {
        rows,
        unmatched,
        periods_differ,
    }
}

fn compare(
    h: &Indicator,
    l: &Indicator,
    cat: Option<&str>,
    periods_differ: bool,
    direction: &dyn Fn(&str) -> Option<Better>,
) -> (Verdict, String) {
    // Compare goals of one kind where both plans state one — a level with a level, else a
    // period change with a period change (the target column of one plan and the pace
    // column of the other may hold them); otherwise each plan's main goal.
    let (hg, lg) = goals(h)
        .into_iter()
        .find_map(|a| {
            goals(l)
                .into_iter()
                .find(|b| std::mem::discriminant(&a) == std::mem::discriminant(b))
                .map(|b| (a, b))
        })
        .unwrap_or_else(|| (goal(h), goal(l)));
    if lg == Goal::Delegated {
        return (
            Verdict::Delegated,
            format!("本级目标为“{}”", l.target.text.trim()),
        );
    }
    let numbers = |g: &Goal| match g {
        Goal::Level(v) | Goal::Rate(v) | Goal::Cumulative(v) => Some(*v),
        _ => None,
    };
    let (Some(hv), Some(lv)) = (numbers(&hg), numbers(&lg)) else {
        return (
            Verdict::NotComparable,
            format!("上级为{}，本级为{}", hg.kind_zh(), lg.kind_zh()),
        );
    };
    // A reduction (能耗降低〔13.5〕, "下降20%") is compared by its amount: a plan may write
    // it as a positive reduction or as a negative change, and 20 % less is more than 13.5.
    let reduction = guihua_eval::is_reduction_name(&h.name)
        || guihua_eval::is_reduction_name(&l.name)
        || cat.is_some_and(|c| c.ends_with("_reduction"));
    let (hv, lv) = if reduction {
        (hv.abs(), lv.abs())
    } else {
        (hv, lv)
    };
    if std::mem::discriminant(&hg) != std::mem::discriminant(&lg) {
        return (
            Verdict::NotComparable,
            format!(
                "上级为{}{}，本级为{}{}：不同类型的数值不作比较",
                hg.kind_zh(),
                num(hv),
                lg.kind_zh(),
                num(lv)
            ),
        );
    }
    if periods_differ {
        return (
            Verdict::NotComparable,
            "两个规划的规划期不同：目标不作比较".into(),
        );
    }
    // A total (万吨, 亿元, 万人) grows with the region: a county's level or cumulative amount
    // is not a weaker version of its province's. Rates compare at any size.
    let compares_at_any_size = matches!(hg, Goal::Rate(_)) || (intensive(h) && intensive(l));
    if !compares_at_any_size {
        return (
            Verdict::NotComparable,
            format!(
                "总量指标（{}）：上下级规模不同，不比较{}",
                h.unit.as_deref().unwrap_or("无单位"),
                hg.kind_zh()
            ),
        );
    }
    if !same_unit(h, l) {
        return (
            Verdict::NotComparable,
            format!(
                "单位不同（上级{}，本级{}）",
                h.unit.as_deref().unwrap_or(""),
                l.unit.as_deref().unwrap_or("")
            ),
        );
    }
    // The catalogue says which way is better; without a link, the indicator's name does,
    // as in the evaluation (guihua_eval::direction_from_name), and the reason says so.
    let (better, by_name) = match cat.and_then(direction) {
        Some(b) => (b, false),
        // A name stating a reduction (…降低 〔13.5〕) states amounts of reduction: more is
        // more demanding, as the catalogue has it for its reduction entries.
        None if guihua_eval::is_reduction_name(&h.name) => (Better::Higher, true),
        None => (
            match guihua_eval::direction_from_name(&h.name) {
                guihua_eval::Direction::LowerIsBetter => Better::Lower,
                _ => Better::Higher,
            },
            true,
        ),
    };
    let unit = l.unit.as_deref().unwrap_or("");
    let demanding = match better {
        Better::Higher => lv >= hv,
        Better::Lower => lv <= hv,
    };
    let (verdict, word) = if demanding {
        (Verdict::AtLeastAsDemanding, "不低于")
    } else {
        (Verdict::Weaker, "低于")
    };
    (
        verdict,
        format!(
            "{}：本级{}{unit}，上级{}{unit}，本级目标{word}上级要求（{}）",
            hg.kind_zh(),
            num(lv),
            num(hv),
            match (better, by_name) {
                (Better::Higher, false) => "越高越好",
                (Better::Lower, false) => "越低越好",
                (Better::Higher, true) => "越高越好，按指标名称判断",
                (Better::Lower, true) => "越低越好，按指标名称判断",
            }
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(text: &str) -> Plan {
        guihua_parse::parse_text(text)
    }

    const HIGHER: &str = "某市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要\n\
        专栏1 “十四五”时期经济社会发展主要指标\n\
        | 序号 | 指标 | 2020年 | 2025年 | 年均/累计 | 属性 |\n\
        | 1 | 森林覆盖率(%) | 20 | 22 | [2] | 约束性 |\n\
        | 2 | 城镇调查失业率(%) | 4.5 | <5.5 | <5.5 | 预期性 |\n\
        | 3 | 单位地区生产总值能源消耗降低(%) | | | [13.5] | 约束性 |\n\
        | 4 | 粮食综合生产能力(万吨) | 30 | 35 | | 约束性 |\n";

    const LOWER: &str = "某县国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要\n\
        专栏1 “十四五”时期经济社会发展主要指标\n\
        | 序号 | 指标 | 2020年 | 2025年 | 年均/累计 | 属性 |\n\
        | 1 | 森林覆盖率(%) | 19 | 21 | [2] | 约束性 |\n\
        | 2 | 城镇调查失业率(%) | 4.5 | <5.0 | <5.0 | 预期性 |\n\
        | 3 | 单位地区生产总值能源消耗降低(%) | | | 控制在市下达指标内 | 约束性 |\n\
        | 4 | 农村自来水普及率(%) | 90 | 95 | | 预期性 |\n";

    fn links(p: &Plan) -> HashMap<String, String> {
        p.indicators
            .iter()
            .filter_map(|i| {
                let c = if i.name.contains("森林") {
                    "forest_coverage"
                } else if i.name.contains("失业") {
                    "urban_unemployment"
                } else if i.name.contains("能源消耗") {
                    "energy_intensity_reduction"
                } else if i.name.contains("粮食") {
                    "grain_capacity"
                } else {
                    return None;
                };
                Some((i.id.clone(), c.to_string()))
            })
            .collect()
    }

    fn direction(c: &str) -> Option<Better> {
        match c {
            "urban_unemployment" => Some(Better::Lower),
            "forest_coverage" | "energy_intensity_reduction" | "grain_capacity" => {
                Some(Better::Higher)
            }
            _ => None,
        }
    }

    #[test]
    fn a_weaker_a_stricter_a_delegated_and_a_missing_indicator() {
        let (h, l) = (plan(HIGHER), plan(LOWER));
        assert_eq!(h.indicators.len(), 4, "{:?}", h.indicators);
        assert_eq!(l.indicators.len(), 4);
        let (hl, ll) = (links(&h), links(&l));
        let a = align(
            &Side {
                plan: &h,
                links: &hl,
            },
            &Side {
                plan: &l,
                links: &ll,
            },
            &direction,
        );
        let verdicts: Vec<(&str, Verdict)> = a
            .rows
            .iter()
            .map(|r| (r.higher.name.as_str(), r.verdict))
            .collect();
        assert_eq!(
            verdicts,
            [
                ("森林覆盖率", Verdict::Weaker),
                ("城镇调查失业率", Verdict::AtLeastAsDemanding),
                ("单位地区生产总值能源消耗降低", Verdict::Delegated),
                ("粮食综合生产能力", Verdict::Missing),
            ]
        );
        assert_eq!(
            a.rows[0].reason,
            "水平值：本级21%，上级22%，本级目标低于上级要求（越高越好）"
        );
        assert_eq!(
            a.rows[1].reason,
            "水平值：本级5%，上级5.5%，本级目标不低于上级要求（越低越好）"
        );
        assert_eq!(a.rows[3].reason, "本级规划没有这项约束性指标");
        // A total is not compared across levels.
        let l2 = plan(&LOWER.replace(
            "| 4 | 农村自来水普及率(%) | 90 | 95 | | 预期性 |",
            "| 4 | 粮食综合生产能力(万吨) | 1 | 0.9 | | 约束性 |",
        ));
        let ll2 = links(&l2);
        let b = align(
            &Side {
                plan: &h,
                links: &hl,
            },
            &Side {
                plan: &l2,
                links: &ll2,
            },
            &direction,
        );
        assert_eq!(b.rows[3].verdict, Verdict::NotComparable);
        assert_eq!(
            b.rows[3].reason,
            "总量指标（万吨）：上下级规模不同，不比较水平值"
        );
        let unmatched: Vec<&str> = a.unmatched.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(unmatched, ["农村自来水普及率"]);
        assert!(!a.periods_differ);
    }

    #[test]
    fn numbers_of_different_kinds_or_periods_are_not_compared() {
        // The higher plan states only a level, the lower only a change over the period.
        let h = plan(&HIGHER.replace(
            "| 1 | 森林覆盖率(%) | 20 | 22 | [2] |",
            "| 1 | 森林覆盖率(%) | 20 | 22 | — |",
        ));
        let rate = LOWER.replace(
            "| 1 | 森林覆盖率(%) | 19 | 21 | [2] |",
            "| 1 | 森林覆盖率(%) | 19 | — | [2] |",
        );
        let l = plan(&rate);
        let (hl, ll) = (links(&h), links(&l));
        let a = align(
            &Side {
                plan: &h,
                links: &hl,
            },
            &Side {
                plan: &l,
                links: &ll,
            },
            &direction,
        );
        assert_eq!(a.rows[0].verdict, Verdict::NotComparable, "{:?}", a.rows[0]);
        assert_eq!(
            a.rows[0].reason,
            "上级为水平值22，本级为期间累计值2：不同类型的数值不作比较"
        );
        // Another period: nothing is compared, the row says why.
        let later = LOWER
            .replace("第十四个五年", "第十五个五年")
            .replace("“十四五”", "“十五五”")
            .replace("2020年 | 2025年", "2025年 | 2030年");
        let l = plan(&later);
        let ll = links(&l);
        let a = align(
            &Side {
                plan: &h,
                links: &hl,
            },
            &Side {
                plan: &l,
                links: &ll,
            },
            &direction,
        );
        assert!(a.periods_differ, "{:?} {:?}", h.period, l.period);
        assert_eq!(a.rows[0].verdict, Verdict::NotComparable);
        // Without a catalogue direction: the name decides, and the reason says so.
        let (h, l) = (plan(HIGHER), plan(LOWER));
        let (hl, ll) = (links(&h), links(&l));
        let a = align(
            &Side {
                plan: &h,
                links: &hl,
            },
            &Side {
                plan: &l,
                links: &ll,
            },
            &|_| None,
        );
        assert_eq!(a.rows[0].verdict, Verdict::Weaker);
        assert_eq!(
            a.rows[0].reason,
            "水平值：本级21%，上级22%，本级目标低于上级要求（越高越好，按指标名称判断）"
        );
        assert_eq!(
            a.rows[1].verdict,
            Verdict::AtLeastAsDemanding,
            "失业率: lower"
        );
    }

    #[test]
    fn goals_of_one_kind_are_found_in_either_column() {
        // Higher: level 22 and 〔2〕; lower: only 〔2〕 in the pace column — compared as changes.
        let h = plan(HIGHER);
        let l = plan(&LOWER.replace(
            "| 1 | 森林覆盖率(%) | 19 | 21 | [2] |",
            "| 1 | 森林覆盖率(%) | 19 | — | [2] |",
        ));
        let (hl, ll) = (links(&h), links(&l));
        let a = align(
            &Side {
                plan: &h,
                links: &hl,
            },
            &Side {
                plan: &l,
                links: &ll,
            },
            &direction,
        );
        assert_eq!(a.rows[0].verdict, Verdict::AtLeastAsDemanding);
        assert_eq!(
            a.rows[0].reason,
            "期间累计值：本级2%，上级2%，本级目标不低于上级要求（越高越好）"
        );
    }

    #[test]
    fn a_larger_reduction_is_more_demanding() {
        let h = plan(HIGHER);
        let l = plan(&LOWER.replace("控制在市下达指标内", "[14]"));
        let none = HashMap::new();
        let a = align(
            &Side {
                plan: &h,
                links: &none,
            },
            &Side {
                plan: &l,
                links: &none,
            },
            &|_| None,
        );
        let row = &a.rows[2];
        assert_eq!(row.verdict, Verdict::AtLeastAsDemanding, "{row:?}");
        assert_eq!(
            row.reason,
            "期间累计值：本级14%，上级13.5%，本级目标不低于上级要求（越高越好，按指标名称判断）"
        );
    }

    #[test]
    fn a_reduction_written_as_a_fall_is_compared_by_its_amount() {
        let h = plan(HIGHER);
        let l = plan(&LOWER.replace("控制在市下达指标内", "下降20%"));
        let (hl, ll) = (links(&h), links(&l));
        let a = align(
            &Side {
                plan: &h,
                links: &hl,
            },
            &Side {
                plan: &l,
                links: &ll,
            },
            &direction,
        );
        let row = &a.rows[2];
        assert_eq!(row.verdict, Verdict::AtLeastAsDemanding, "{row:?}");
        assert!(row.reason.contains("本级20%，上级13.5%"), "{}", row.reason);
    }
}
