//! The content of a report, written once from the numbers (see [`crate::ir`]).

use guihua_eval::Status;

use crate::input::{Kind, Lang, ReportInput, ReportSubject};
use crate::ir::{num, opt_num, Block, Chart, Row, Table};

/// All statuses in the order a report lists them.
pub(crate) const STATUSES: [Status; 6] = Status::ALL;

pub(crate) fn tr(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

pub(crate) fn status_label(lang: Lang, s: Status) -> &'static str {
    match lang {
        Lang::Zh => s.zh(),
        Lang::En => s.en(),
    }
}

/// "十四五" for a period starting in 2021 (the 1st plan began in 1953).
pub(crate) fn plan_number(start: i32) -> i32 {
    (start - 1953).div_euclid(5) + 1
}

fn zh_numeral(n: i32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if !(0..100).contains(&n) {
        return n.to_string();
    }
    let (t, u) = (n / 10, n % 10);
    let mut s = String::new();
    if t > 1 {
        s.push_str(D[t as usize]);
    }
    if t >= 1 {
        s.push('十');
    }
    if u > 0 || t == 0 {
        s.push_str(D[u as usize]);
    }
    s
}

fn ordinal_en(n: i32) -> String {
    let suf = match (n % 10, n % 100) {
        (1, r) if r != 11 => "st",
        (2, r) if r != 12 => "nd",
        (3, r) if r != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suf}")
}

/// The report title: "乌鲁木齐市“十四五”规划纲要实施中期评估报告（2023年）".
pub fn title(input: &ReportInput) -> String {
    let n = plan_number(input.plan.period.0);
    let who = if input.plan.region.is_empty() {
        input.plan.title.clone()
    } else {
        input.plan.region.clone()
    };
    match input.lang {
        Lang::Zh => {
            let who = if input.plan.region.is_empty() {
                who
            } else {
                format!("{who}“{}五”规划纲要", zh_numeral(n))
            };
            format!("{who}实施{}（{}年）", input.kind.zh(), input.year)
        }
        Lang::En => format!(
            "{who} {} Five-Year Plan ({}–{}): {} ({})",
            ordinal_en(n),
            input.plan.period.0,
            input.plan.period.1,
            input.kind.en(),
            input.year
        ),
    }
}

fn heading(lang: Lang, n: usize, zh: &str, en: &str) -> Block {
    const ZH: [&str; 8] = ["一", "二", "三", "四", "五", "六", "七", "八"];
    Block::Heading(match lang {
        Lang::Zh => format!("{}、{zh}", ZH[n - 1]),
        Lang::En => format!("{n}. {en}"),
    })
}

fn counts(subjects: &[&ReportSubject]) -> Vec<(Status, usize)> {
    STATUSES
        .iter()
        .map(|s| (*s, subjects.iter().filter(|x| x.status() == *s).count()))
        .collect()
}

fn reason(lang: Lang, s: &ReportSubject) -> &str {
    match lang {
        Lang::Zh => &s.evaluation.reason_zh,
        Lang::En => &s.evaluation.reason_en,
    }
}

fn unit_of(s: &ReportSubject) -> String {
    s.unit.clone().unwrap_or_default()
}

fn dash(s: &str) -> String {
    if s.trim().is_empty() {
        "—".into()
    } else {
        s.trim().to_string()
    }
}

/// "40 / 54": schedule and progress, in %.
fn progress_cell(s: &ReportSubject) -> String {
    let e = &s.evaluation;
    match (e.schedule_pct, e.progress_pct) {
        (None, None) => "—".into(),
        (a, b) => format!(
            "{} / {}",
            opt_num(a.map(f64::round)),
            opt_num(b.map(f64::round))
        ),
    }
}

/// The latest annual value up to the evaluation year, with its year: what was entered,
/// never an average presented as a year's figure.
fn actual_cell(input: &ReportInput, s: &ReportSubject) -> String {
    if let Some((y, v)) = s.observed.iter().rev().find(|(y, _)| *y <= input.year) {
        return format!("{} ({y})", num(*v));
    }
    let e = &s.evaluation;
    match (e.actual, e.actual_year) {
        (Some(a), Some(y)) => format!("{} ({y})", num(a)),
        (Some(a), None) => num(a),
        _ => "—".into(),
    }
}

/// The period figure the verdict rests on, labelled: the average yearly rate or the sum
/// accrued since the base year ("年均 3.93（2021–2023）"); "—" for levels.
fn period_cell(input: &ReportInput, s: &ReportSubject) -> String {
    use guihua_eval::Measure;
    let e = &s.evaluation;
    let (Some(a), Some(m)) = (e.actual, s.measure) else {
        return "—".into();
    };
    let label = match (m, input.lang) {
        (Measure::AnnualRate, Lang::Zh) => "年均",
        (Measure::AnnualRate, Lang::En) => "avg.",
        (Measure::Cumulative, Lang::Zh) => "累计",
        (Measure::Cumulative, Lang::En) => "total",
        (Measure::Level, _) => return "—".into(),
    };
    // The engine counts the years after the base year only.
    let first = s
        .observed
        .iter()
        .map(|o| o.0)
        .find(|y| *y >= input.plan.period.0);
    let last = e.actual_year.or(s.observed.last().map(|o| o.0));
    match (first, last) {
        (Some(f), Some(l)) if f < l => format!("{label} {} ({f}–{l})", num(a)),
        (_, Some(l)) => format!("{label} {} ({l})", num(a)),
        _ => format!("{label} {}", num(a)),
    }
}

fn main_table(input: &ReportInput, sheet: &str, subjects: &[&ReportSubject]) -> Table {
    let lang = input.lang;
    let headers = match lang {
        Lang::Zh => vec![
            "序号",
            "指标",
            "单位",
            "基期",
            "目标",
            "实际（年）",
            "期间（年均/累计）",
            "序时/完成进度%",
            "状态",
        ],
        Lang::En => vec![
            "No.",
            "Indicator",
            "Unit",
            "Base",
            "Target",
            "Actual (year)",
            "Period (avg. / total)",
            "Schedule / progress %",
            "Status",
        ],
    };
    let rows = subjects
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut name = s.name.clone();
            if s.is_binding() {
                name.push_str(if lang == Lang::Zh { "★" } else { " ★" });
            }
            Row {
                cells: vec![
                    (i + 1).to_string(),
                    name,
                    dash(&unit_of(s)),
                    dash(&s.base_text),
                    dash(&s.target_text),
                    actual_cell(input, s),
                    period_cell(input, s),
                    progress_cell(s),
                    status_text(input, s),
                ],
                status: Some(s.status()),
            }
        })
        .collect();
    Table {
        sheet: sheet.to_string(),
        headers: headers.into_iter().map(String::from).collect(),
        // English status labels ("not assessable") need a wider last column.
        widths: match lang {
            Lang::Zh => vec![5, 20, 7, 8, 12, 12, 14, 10, 10],
            Lang::En => vec![5, 18, 7, 7, 11, 12, 14, 11, 14],
        },
        rows,
        status_col: Some(8),
    }
}

fn status_text(input: &ReportInput, s: &ReportSubject) -> String {
    match input.lang {
        Lang::Zh => s
            .evaluation
            .label_zh(s.subject.target_year.max(input.plan.period.1))
            .to_string(),
        Lang::En => s.status().en().to_string(),
    }
}

fn count_phrase(lang: Lang, c: &[(Status, usize)]) -> String {
    let parts: Vec<String> = c
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| match lang {
            Lang::Zh => format!("{}{n}项", s.zh()),
            Lang::En => format!("{n} {}", s.en()),
        })
        .collect();
    match lang {
        Lang::Zh => parts.join("、"),
        Lang::En => parts.join(", "),
    }
}

fn pct(a: usize, b: usize) -> String {
    if b == 0 {
        "0".into()
    } else {
        format!("{:.0}", a as f64 * 100.0 / b as f64)
    }
}

/// "1 item" / "3 items".
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Whether enough was assessed to judge the plan as a whole: at least half of the items
/// and at least three of them. Below that, no sentence may call progress "as expected".
fn coverage_supports_verdict(assessable: usize, total: usize) -> bool {
    assessable >= 3 && assessable * 2 >= total
}

/// Binding indicators that read as on schedule now but whose trend misses the target
/// by the end year (预警): a floor or ceiling the plan must hold.
pub(crate) fn binding_at_risk(input: &ReportInput) -> Vec<&ReportSubject> {
    input
        .subjects
        .iter()
        .filter(|s| {
            s.is_binding()
                && s.status().is_satisfactory()
                && s.status() != Status::Achieved
                && s.evaluation
                    .projection
                    .as_ref()
                    .is_some_and(|p| p.reaches_target == Some(false))
        })
        .collect()
}

fn overall(input: &ReportInput, out: &mut Vec<Block>) {
    let lang = input.lang;
    let all: Vec<&ReportSubject> = input.subjects.iter().collect();
    let c = counts(&all);
    let total = all.len();
    let na = c[5].1;
    let assessable = total - na;
    let good = all.iter().filter(|s| s.status().is_satisfactory()).count();
    let lag = c[3].1 + c[4].1;
    let binding: Vec<&ReportSubject> = all.iter().copied().filter(|s| s.is_binding()).collect();
    let bc = counts(&binding);
    let b_assessed = binding.len() - bc[5].1;
    let b_good = binding
        .iter()
        .filter(|s| s.status().is_satisfactory())
        .count();
    let b_lag = bc[3].1 + bc[4].1;
    let y = input.year;
    let enough = coverage_supports_verdict(assessable, total);
    let p = match lang {
        Lang::Zh => {
            let mut p = format!(
                "截至{y}年，纳入评估的指标和目标共{total}项，其中可评估{assessable}项（占{}%）{}",
                pct(assessable, total),
                if assessable == 0 {
                    "，均缺少可用数据或评估口径。".to_string()
                } else {
                    format!("：{}。", count_phrase(lang, &c[..5]))
                }
            );
            if na > 0 {
                p.push_str(&format!(
                    "无法评估{na}项（定性表述、目标由上级下达或缺少数据）。"
                ));
            }
            if assessable > 0 && !enough {
                p.push_str(&format!(
                    "{}，尚不能对规划实施作出总体判断，需先补齐数据或明确评估口径{}。",
                    if assessable * 2 < total {
                        "可评估项不足半数".to_string()
                    } else {
                        format!("可评估项仅{assessable}项")
                    },
                    if lag > 0 {
                        format!("；在可评估项中，已有{lag}项滞后")
                    } else {
                        String::new()
                    }
                ));
            } else if enough {
                p.push_str(&format!(
                    "可评估项中达到或快于序时进度的占{}%，",
                    pct(good, assessable)
                ));
                p.push_str(&if lag == 0 {
                    "可评估项中没有滞后项。".to_string()
                } else if good * 2 >= assessable {
                    format!("总体进展基本符合预期，但仍有{lag}项滞后，需重点推进。")
                } else {
                    format!("滞后{lag}项，多数指标未达到序时进度，规划实施面临较大压力。")
                });
            }
            p
        }
        Lang::En => {
            let mut p = format!(
                "As of {y}, {} were evaluated, {assessable} of them ({}%) assessable{}",
                plural(total, "indicator or target", "indicators and targets"),
                pct(assessable, total),
                if assessable == 0 {
                    ": none had usable data or a measurable target. ".to_string()
                } else {
                    format!(": {}. ", count_phrase(lang, &c[..5]))
                }
            );
            if na > 0 {
                p.push_str(&format!(
                    "{} could not be assessed (qualitative wording, targets set by a higher level, or missing data). ",
                    plural(na, "item", "items")
                ));
            }
            if assessable > 0 && !enough {
                p.push_str(&format!(
                    "{}, no overall judgement can be made yet; the missing data or measures come first{}. ",
                    if assessable * 2 < total {
                        "With fewer than half of the items assessable".to_string()
                    } else {
                        format!("With only {} assessable", plural(assessable, "item", "items"))
                    },
                    if lag > 0 {
                        format!(
                            "; of the assessable items, {} lagging",
                            if lag == 1 { "1 is".to_string() } else { format!("{lag} are") }
                        )
                    } else {
                        String::new()
                    }
                ));
            } else if enough {
                p.push_str(&format!(
                    "{}% of the assessable items are on or ahead of schedule; ",
                    pct(good, assessable)
                ));
                p.push_str(&if lag == 0 {
                    "none of them is lagging. ".to_string()
                } else if good * 2 >= assessable {
                    format!(
                        "progress is broadly as expected, but {} need attention. ",
                        plural(lag, "lagging item", "lagging items")
                    )
                } else {
                    format!(
                        "{} behind schedule, most of the assessable ones, so implementation is under considerable pressure. ",
                        plural(lag, "item is", "items are")
                    )
                });
            }
            p.trim_end().to_string()
        }
    };
    out.push(Block::Para(p));
    let bp = match lang {
        Lang::Zh if binding.is_empty() => "规划未标注约束性指标。".to_string(),
        Lang::Zh => {
            let mut t = format!(
                "约束性指标{}项，已评估{b_assessed}项（占{}%）",
                binding.len(),
                pct(b_assessed, binding.len())
            );
            if b_assessed > 0 {
                t.push_str(&format!("，其中达到或快于序时进度{b_good}项"));
                if b_lag > 0 {
                    t.push_str(&format!("，滞后{b_lag}项"));
                }
            }
            t.push('。');
            if b_assessed < binding.len() {
                t.push_str(&format!(
                    "另有{}项约束性指标未能评估，是否守住底线尚无依据，应尽快补齐数据。",
                    binding.len() - b_assessed
                ));
            }
            t
        }
        Lang::En if binding.is_empty() => "The plan marks no binding indicators.".to_string(),
        Lang::En => {
            let mut t = format!(
                "{} binding, {b_assessed} of them ({}%) assessed",
                plural(binding.len(), "indicator is", "indicators are"),
                pct(b_assessed, binding.len())
            );
            if b_assessed > 0 {
                t.push_str(&format!(": {b_good} on or ahead of schedule"));
                if b_lag > 0 {
                    t.push_str(&format!(", {b_lag} lagging"));
                }
            }
            t.push('.');
            if b_assessed < binding.len() {
                t.push_str(&format!(
                    " {} could not be assessed, so there is no evidence yet that {} held; the data should be completed.",
                    plural(binding.len() - b_assessed, "binding indicator", "binding indicators"),
                    if binding.len() - b_assessed == 1 { "it is" } else { "they are" }
                ));
            }
            t
        }
    };
    out.push(Block::Para(bp));
    let risk = binding_at_risk(input);
    if !risk.is_empty() {
        let names: Vec<&str> = risk.iter().map(|s| s.name.as_str()).collect();
        out.push(Block::Para(match lang {
            Lang::Zh => format!(
                "预警：{}目前虽达到序时进度，但按现有趋势到{}年难以实现约束性目标，需提前采取措施。",
                names.join("、"),
                input.plan.period.1
            ),
            Lang::En => format!(
                "Warning: {} on schedule now, but on the present trend will miss the binding target by {}; action is needed early.",
                if names.len() == 1 {
                    format!("{} is", names[0])
                } else {
                    format!("{} are", names.join(", "))
                },
                input.plan.period.1
            ),
        }));
    }

    let rows = c
        .iter()
        .map(|(s, n)| Row {
            cells: vec![
                status_label(lang, *s).to_string(),
                n.to_string(),
                format!(
                    "{}",
                    bc.iter().find(|(b, _)| b == s).map(|x| x.1).unwrap_or(0)
                ),
            ],
            status: Some(*s),
        })
        .collect();
    out.push(Block::Table(Table {
        sheet: tr(lang, "状态统计", "Status counts"),
        headers: vec![
            tr(lang, "状态", "Status"),
            tr(lang, "项数", "Items"),
            tr(lang, "其中约束性", "Of which binding"),
        ],
        widths: vec![20, 10, 14],
        rows,
        status_col: Some(0),
    }));
    narrative(
        out,
        lang,
        &input.narrative.achievements,
        "主要成效",
        "Main achievements",
    );
}

/// Paragraphs staff wrote, under a sub-heading of their own.
fn narrative(out: &mut Vec<Block>, lang: Lang, paras: &[String], zh: &str, en: &str) {
    if paras.is_empty() {
        return;
    }
    out.push(Block::SubHeading(tr(lang, zh, en)));
    out.extend(paras.iter().cloned().map(Block::Para));
}

fn required_pace(lang: Lang, s: &ReportSubject) -> Option<String> {
    let p = s.evaluation.projection.as_ref()?;
    if p.remaining_years <= 0 {
        // The target year has passed: no pace is left to state.
        return None;
    }
    let unit = unit_of(s);
    let mut parts = Vec::new();
    if let Some(r) = p.required_annual_rate {
        parts.push(match lang {
            Lang::Zh => format!("后{}年需年均增长{}%", p.remaining_years, num(r)),
            Lang::En => format!(
                "{}% a year needed over the remaining {}",
                num(r),
                plural(p.remaining_years.max(0) as usize, "year", "years")
            ),
        });
    } else if let Some(c) = p.required_annual_change {
        parts.push(match lang {
            Lang::Zh => format!(
                "后{}年需年均变化{}{}",
                p.remaining_years,
                num(c),
                unit.trim_start_matches('%')
            ),
            Lang::En => format!(
                "a change of {} {} a year needed over the remaining {}",
                num(c),
                unit,
                plural(p.remaining_years.max(0) as usize, "year", "years")
            ),
        });
    }
    if let (Some(v), Some(r)) = (p.end_value, p.reaches_target) {
        parts.push(match (lang, r) {
            (Lang::Zh, true) => format!("按现有趋势{}年预计{}，可以实现目标", p.year, num(v)),
            (Lang::Zh, false) => format!("按现有趋势{}年预计{}，难以实现目标", p.year, num(v)),
            (Lang::En, true) => format!(
                "the trend leads to {} by {}, reaching the target",
                num(v),
                p.year
            ),
            (Lang::En, false) => format!(
                "the trend leads to {} by {}, short of the target",
                num(v),
                p.year
            ),
        });
    }
    if parts.is_empty() {
        None
    } else {
        Some(match lang {
            Lang::Zh => parts.join("；") + "。",
            Lang::En => {
                let s = parts.join("; ");
                let mut c = s.chars();
                match c.next() {
                    Some(f) => f.to_uppercase().collect::<String>() + c.as_str() + ".",
                    None => s,
                }
            }
        })
    }
}

fn lagging(input: &ReportInput, out: &mut Vec<Block>) {
    let lang = input.lang;
    let lag: Vec<&ReportSubject> = input
        .subjects
        .iter()
        .filter(|s| matches!(s.status(), Status::Lagging | Status::SeverelyLagging))
        .collect();
    if lag.is_empty() {
        out.push(Block::Para(tr(
            lang,
            "本期没有滞后的指标或目标。",
            "No indicator or target is lagging.",
        )));
        return;
    }
    out.push(Block::Para(match lang {
        Lang::Zh => format!(
            "共有{}项指标或目标滞后于序时进度，逐项分析如下。",
            lag.len()
        ),
        Lang::En => format!(
            "{} behind schedule:",
            plural(
                lag.len(),
                "indicator or target is",
                "indicators or targets are"
            )
        ),
    }));
    for (i, s) in lag.iter().enumerate() {
        out.push(Block::SubHeading(match lang {
            Lang::Zh => format!(
                "（{}）{}（{}）",
                zh_numeral(i as i32 + 1),
                s.name,
                s.status().zh()
            ),
            Lang::En => format!("({}) {} ({})", i + 1, s.name, s.status().en()),
        }));
        let mut p = reason(lang, s).to_string();
        if !p.ends_with('。') && !p.ends_with('.') {
            p.push_str(if lang == Lang::Zh { "。" } else { "." });
        }
        out.push(Block::Para(p));
        let stated = ["需年均", "needed", "required", "need "]
            .iter()
            .any(|k| reason(lang, s).contains(k));
        if let Some(r) = required_pace(lang, s).filter(|_| !stated) {
            out.push(Block::Para(match lang {
                Lang::Zh => format!("所需进度：{r}"),
                Lang::En => format!("Required pace: {r}"),
            }));
        }
    }
}

fn binding_section(input: &ReportInput, out: &mut Vec<Block>) {
    let lang = input.lang;
    let b: Vec<&ReportSubject> = input.subjects.iter().filter(|s| s.is_binding()).collect();
    if b.is_empty() {
        out.push(Block::Para(tr(
            lang,
            "规划主要指标表未标注约束性指标，本节从略。",
            "The plan's indicator table marks no binding indicators.",
        )));
        return;
    }
    let bad: Vec<&str> = b
        .iter()
        .filter(|s| !s.status().is_satisfactory() && s.status() != Status::NotAssessable)
        .map(|s| s.name.as_str())
        .collect();
    let unassessed: Vec<&str> = b
        .iter()
        .filter(|s| s.status() == Status::NotAssessable)
        .map(|s| s.name.as_str())
        .collect();
    // "No binding indicator is lagging" only when every one of them was assessed.
    let all_assessed = unassessed.is_empty();
    out.push(Block::Para(match (lang, bad.is_empty()) {
        (Lang::Zh, true) if !all_assessed => format!(
            "{}项约束性指标中，已评估的{}项未发现滞后；{}无法评估，是否守住底线尚无依据，须补齐数据。",
            b.len(),
            b.len() - unassessed.len(),
            unassessed.join("、")
        ),
        (Lang::En, true) if !all_assessed => format!(
            "Of the {} binding indicators, none of the {} assessed is lagging; {} could not be assessed, so there is no evidence yet that {} held.",
            b.len(),
            b.len() - unassessed.len(),
            unassessed.join(", "),
            if unassessed.len() == 1 { "it is" } else { "they are" }
        ),
        (Lang::Zh, true) => format!(
            "{}项约束性指标中，未发现滞后项；约束性指标是必须完成的硬任务，应继续守住底线。",
            b.len()
        ),
        (Lang::Zh, false) => format!(
            "{}项约束性指标中，{}未达到序时进度。约束性指标是必须完成的硬任务，须列为督查重点。",
            b.len(),
            bad.join("、")
        ),
        (Lang::En, true) => format!(
            "None of the {} binding indicators is lagging; they are mandatory and must keep holding.",
            b.len()
        ),
        (Lang::En, false) => format!(
            "Of the {} binding indicators, {} are behind schedule. Binding indicators are mandatory and need close supervision.",
            b.len(),
            bad.join(", ")
        ),
    }));
    let mut t = main_table(input, &tr(lang, "约束性指标", "Binding"), &b);
    // A shorter table: name, target, actual, status, reason.
    t.headers = vec![
        tr(lang, "序号", "No."),
        tr(lang, "指标", "Indicator"),
        tr(lang, "目标", "Target"),
        tr(lang, "实际（年）", "Actual (year)"),
        tr(lang, "期间（年均/累计）", "Period (avg. / total)"),
        tr(lang, "状态", "Status"),
        tr(lang, "说明", "Explanation"),
    ];
    t.widths = match lang {
        Lang::Zh => vec![5, 17, 9, 11, 13, 9, 36],
        Lang::En => vec![5, 16, 9, 11, 13, 13, 33],
    };
    for (row, s) in t.rows.iter_mut().zip(&b) {
        let c = std::mem::take(&mut row.cells);
        row.cells = vec![
            c[0].clone(),
            c[1].clone(),
            c[4].clone(),
            c[5].clone(),
            c[6].clone(),
            c[8].clone(),
            reason(lang, s).to_string(),
        ];
    }
    t.status_col = Some(5);
    out.push(Block::Table(t));
}

fn projects(input: &ReportInput, out: &mut Vec<Block>) {
    let lang = input.lang;
    let ps = &input.projects;
    let counts: Vec<String> = crate::input::ProjectStatus::ALL
        .iter()
        .filter_map(|st| {
            let n = ps.iter().filter(|p| p.status == *st).count();
            (n > 0).then(|| match lang {
                Lang::Zh => format!("{}{n}项", st.zh()),
                Lang::En => format!("{n} {}", st.en()),
            })
        })
        .collect();
    let (mut plan_sum, mut done_sum) = (0.0, 0.0);
    let rows = ps
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let upto = p.years.iter().filter(|y| y.year <= input.year);
            let (pl, dn) = upto.fold((0.0, 0.0), |(a, b), y| {
                (a + y.planned.unwrap_or(0.0), b + y.completed.unwrap_or(0.0))
            });
            plan_sum += pl;
            done_sum += dn;
            let rate = if pl > 0.0 {
                format!("{:.0}", dn / pl * 100.0)
            } else {
                "—".into()
            };
            let st = match lang {
                Lang::Zh => p.status.zh(),
                Lang::En => p.status.en(),
            };
            let status = match p.status {
                crate::input::ProjectStatus::Completed => Status::Achieved,
                crate::input::ProjectStatus::Suspended => Status::SeverelyLagging,
                _ if pl > 0.0 && dn / pl < 0.8 => Status::Lagging,
                _ => Status::OnTrack,
            };
            Row {
                cells: vec![
                    (i + 1).to_string(),
                    p.name.clone(),
                    st.to_string(),
                    format!("{} {}", num(pl), p.unit),
                    format!("{} {}", num(dn), p.unit),
                    rate,
                ],
                status: Some(status),
            }
        })
        .collect();
    out.push(Block::Para(match lang {
        Lang::Zh => format!(
            "纳入监测的重大项目{}项（{}），截至{}年累计计划投资{}、完成投资{}，完成率{}%。阶段栏颜色：建成为绿色，投资完成率低于80%为橙色，暂缓为红色。",
            ps.len(),
            counts.join("、"),
            input.year,
            num(plan_sum),
            num(done_sum),
            if plan_sum > 0.0 { format!("{:.0}", done_sum / plan_sum * 100.0) } else { "—".into() }
        ),
        Lang::En => format!(
            "{} major projects are monitored ({}). Through {}, planned investment totals {} and completed investment {} ({}%). Stage colours: completed green, under 80% of planned investment orange, suspended red.",
            ps.len(),
            counts.join(", "),
            input.year,
            num(plan_sum),
            num(done_sum),
            if plan_sum > 0.0 { format!("{:.0}", done_sum / plan_sum * 100.0) } else { "—".into() }
        ),
    }));
    out.push(Block::Table(Table {
        sheet: tr(lang, "重大项目", "Projects"),
        headers: vec![
            tr(lang, "序号", "No."),
            tr(lang, "项目名称", "Project"),
            tr(lang, "阶段", "Stage"),
            match lang {
                Lang::Zh => format!("计划投资（截至{}年）", input.year),
                Lang::En => format!("Planned (to {})", input.year),
            },
            tr(lang, "完成投资", "Completed"),
            tr(lang, "完成率%", "Rate %"),
        ],
        widths: match lang {
            Lang::Zh => vec![6, 40, 10, 15, 15, 10],
            Lang::En => vec![6, 34, 18, 14, 14, 10],
        },
        rows,
        status_col: Some(2),
    }));
}

fn departments(input: &ReportInput, out: &mut Vec<Block>) {
    let lang = input.lang;
    // Grouped by lead department (sorted by name; items without a lead last), and within
    // a department in the order of the plan.
    let position = |id: &str| {
        input
            .subjects
            .iter()
            .position(|s| s.subject.id == id)
            .unwrap_or(usize::MAX)
    };
    let mut resp: Vec<&crate::input::Responsibility> = input.responsibilities.iter().collect();
    resp.sort_by(|a, b| {
        (
            a.lead.is_empty(),
            &a.lead,
            position(&a.subject_id),
            &a.subject_id,
        )
            .cmp(&(
                b.lead.is_empty(),
                &b.lead,
                position(&b.subject_id),
                &b.subject_id,
            ))
    });
    let rows: Vec<Row> = resp
        .iter()
        .map(|r| {
            let s = input.subjects.iter().find(|s| s.subject.id == r.subject_id);
            let name = if r.name.trim().is_empty() {
                s.map(|s| s.name.clone())
                    .unwrap_or_else(|| r.subject_id.clone())
            } else {
                r.name.clone()
            };
            Row {
                cells: vec![
                    // As typed (a writer neutralises what would run as a formula).
                    if r.lead.trim().is_empty() {
                        "—".to_string()
                    } else {
                        r.lead.clone()
                    },
                    name,
                    dash(&r.co.join(if lang == Lang::Zh { "、" } else { ", " })),
                    s.map(|s| status_label(lang, s.status()).to_string())
                        .unwrap_or_else(|| "—".into()),
                ],
                status: s.map(|s| s.status()),
            }
        })
        .collect();
    let mut leads: Vec<(&str, usize, usize)> = Vec::new();
    for (r, row) in resp.iter().zip(&rows) {
        let lag = matches!(row.status, Some(Status::Lagging | Status::SeverelyLagging)) as usize;
        match leads.iter_mut().find(|l| l.0 == r.lead) {
            Some(l) => {
                l.1 += 1;
                l.2 += lag;
            }
            None => leads.push((&r.lead, 1, lag)),
        }
    }
    // Items without a lead department are not "led"; say how many there are.
    let no_lead = resp.iter().filter(|r| r.lead.trim().is_empty()).count();
    leads.retain(|l| !l.0.trim().is_empty());
    let led = resp.len() - no_lead;
    let behind: Vec<String> = leads
        .iter()
        .filter(|l| l.2 > 0)
        .map(|l| match lang {
            Lang::Zh => format!("{}（牵头{}项，滞后{}项）", l.0, l.1, l.2),
            Lang::En => format!("{} (leads {}, {} lagging)", l.0, l.1, l.2),
        })
        .collect();
    let without = match (lang, no_lead) {
        (_, 0) => String::new(),
        (Lang::Zh, n) => format!("另有{n}项只有配合部门、未明确牵头部门。"),
        (Lang::En, n) => format!(
            " {} no lead department.",
            plural(n, "item has", "items have")
        ),
    };
    out.push(Block::Para(match (lang, behind.is_empty()) {
        (Lang::Zh, true) => format!(
            "{led}项指标、目标和任务明确了牵头部门，涉及{}个牵头部门，牵头事项均未出现滞后。{without}",
            leads.len()
        ),
        (Lang::Zh, false) => format!(
            "{led}项指标、目标和任务明确了牵头部门，涉及{}个牵头部门。牵头事项出现滞后的部门：{}。{without}",
            leads.len(),
            behind.join("、")
        ),
        (Lang::En, true) => format!(
            "{} a lead department ({}); none of their items is lagging.{without}",
            plural(led, "item has", "items have"),
            plural(leads.len(), "department", "departments")
        ),
        (Lang::En, false) => format!(
            "{} a lead department ({}). Departments with lagging items: {}.{without}",
            plural(led, "item has", "items have"),
            plural(leads.len(), "department", "departments"),
            behind.join("; ")
        ),
    }));
    out.push(Block::Table(Table {
        sheet: tr(lang, "部门责任", "Departments"),
        headers: vec![
            tr(lang, "牵头部门", "Lead department"),
            tr(lang, "指标、目标或任务", "Indicator, target or task"),
            tr(lang, "配合部门", "Co-departments"),
            tr(lang, "状态", "Status"),
        ],
        widths: vec![22, 30, 32, 16],
        rows,
        status_col: Some(3),
    }));
}

fn suggestions(input: &ReportInput, out: &mut Vec<Block>) {
    let lang = input.lang;
    let sev: Vec<&str> = input
        .subjects
        .iter()
        .filter(|s| s.status() == Status::SeverelyLagging)
        .map(|s| s.name.as_str())
        .collect();
    let lag: Vec<&str> = input
        .subjects
        .iter()
        .filter(|s| s.status() == Status::Lagging)
        .map(|s| s.name.as_str())
        .collect();
    // Not assessable for want of data, versus with data but no measurable target (a task
    // set by a higher level, a qualitative aim): the advice differs.
    let na = input
        .subjects
        .iter()
        .filter(|s| s.status() == Status::NotAssessable && s.observed.is_empty())
        .count();
    let na_with_data: Vec<&str> = input
        .subjects
        .iter()
        .filter(|s| s.status() == Status::NotAssessable && !s.observed.is_empty())
        .map(|s| s.name.as_str())
        .collect();
    let binding_bad: Vec<&str> = input
        .subjects
        .iter()
        .filter(|s| {
            s.is_binding() && matches!(s.status(), Status::Lagging | Status::SeverelyLagging)
        })
        .map(|s| s.name.as_str())
        .collect();
    let sep = if lang == Lang::Zh { "、" } else { ", " };
    let mut items = Vec::new();
    if !sev.is_empty() {
        items.push(match lang {
            Lang::Zh => format!("对严重滞后的{}，逐项分析原因，制定专项推进方案，明确责任单位和时间节点，必要时按程序提出调整建议。", sev.join(sep)),
            Lang::En => format!("For the severely lagging {}, analyse the causes item by item, draw up dedicated action plans with responsible units and deadlines, and propose adjustments through due process where needed.", sev.join(sep)),
        });
    }
    if !lag.is_empty() {
        items.push(match lang {
            Lang::Zh => format!("对滞后的{}，按剩余年份所需进度分解年度任务，加大政策和要素保障力度。", lag.join(sep)),
            Lang::En => format!("For the lagging {}, break the required pace for the remaining years into annual tasks and strengthen policy and resource support.", lag.join(sep)),
        });
    }
    if !binding_bad.is_empty() {
        items.push(match lang {
            Lang::Zh => format!("约束性指标{}须纳入年度考核，确保规划期末完成。", binding_bad.join(sep)),
            Lang::En => format!("Include the binding indicators {} in the annual performance assessment to make sure they are met by the end of the period.", binding_bad.join(sep)),
        });
    }
    if na > 0 {
        items.push(match lang {
            Lang::Zh => format!("完善统计监测，为{na}项暂无数据的指标和目标建立数据来源和年度目标。"),
            Lang::En => format!(
                "Improve statistical monitoring: establish data sources and annual targets for the {} without data.",
                plural(na, "item", "items")
            ),
        });
    }
    if !na_with_data.is_empty() {
        items.push(match lang {
            Lang::Zh => format!("{}已有监测数据，但目标为上级下达任务或定性表述，应取得下达的年度任务数或明确量化口径，据此评估。", na_with_data.join(sep)),
            Lang::En => format!("{} {} data, but the target is a task set by a higher level or qualitative: obtain the assigned annual figure or a measurable definition and evaluate against it.", na_with_data.join(sep), if na_with_data.len() == 1 { "has" } else { "have" }),
        });
    }
    items.push(tr(
        lang,
        "巩固已完成和快于预期指标的成果，继续做好年度监测和信息公开，接受人大监督和社会评议。",
        "Consolidate achieved and ahead-of-schedule indicators, continue annual monitoring and public disclosure, and report to the people's congress.",
    ));
    out.extend(items.into_iter().map(Block::Bullet));
}

fn charts(input: &ReportInput, out: &mut Vec<Block>) {
    let lang = input.lang;
    let with_data: Vec<&ReportSubject> = input
        .subjects
        .iter()
        .filter(|s| !s.observed.is_empty())
        .collect();
    if with_data.is_empty() {
        out.push(Block::Para(tr(
            lang,
            "暂无观测数据，未绘制走势图。",
            "No observations, so no charts.",
        )));
        return;
    }
    out.push(Block::Para(tr(
        lang,
        "实线为实际值（颜色表示状态），虚线为规划预期路径，◆为规划目标。",
        "Solid line: actual values (colour shows the status); dashed line: the planned path; ◆ the target.",
    )));
    for (i, s) in with_data.iter().enumerate() {
        out.push(Block::Chart(subject_chart(s, lang, Some(i + 1))));
    }
}

/// One subject's chart: actual against the planned path and the target, coloured by its
/// status; numbered as a figure of a report (`Some(n)`) or not (a web page).
pub(crate) fn subject_chart(s: &ReportSubject, lang: Lang, figure: Option<usize>) -> Chart {
    let unit = unit_of(s);
    let unit_zh = if unit.is_empty() {
        String::new()
    } else {
        format!("（{unit}）")
    };
    let unit_en = if unit.is_empty() {
        String::new()
    } else {
        format!(" ({unit})")
    };
    Chart {
        title: match (lang, figure) {
            (Lang::Zh, Some(n)) => format!("图{n}　{}{unit_zh}（{}）", s.name, s.status().zh()),
            (Lang::Zh, None) => format!("{}{unit_zh}（{}）", s.name, s.status().zh()),
            (Lang::En, Some(n)) => format!("Figure {n}. {}{unit_en} ({})", s.name, s.status().en()),
            (Lang::En, None) => format!("{}{unit_en} ({})", s.name, s.status().en()),
        },
        unit,
        actual: s.observed.clone(),
        expected: s.expected_path.clone(),
        status: s.status(),
        target: s.target_point,
        legend: (
            tr(lang, "实际", "Actual"),
            s.expected_label
                .as_ref()
                .map(|l| match lang {
                    Lang::Zh => format!("参照：{l}"),
                    Lang::En => format!("Reference: {l}"),
                })
                .unwrap_or_else(|| tr(lang, "预期路径", "Expected")),
            tr(lang, "目标", "Target"),
        ),
        bars: None,
    }
}

/// The whole report as blocks.
/// The value of a series in a year.
fn at_year(series: &[(i32, f64)], year: i32) -> Option<f64> {
    series.iter().find(|(y, _)| *y == year).map(|(_, v)| *v)
}

/// 年度执行情况: each indicator with a value for the year against the planned path for
/// that year (年度计划执行情况).
fn annual_section(input: &ReportInput, out: &mut Vec<Block>) {
    let lang = input.lang;
    let y = input.year;
    let with: Vec<&ReportSubject> = input
        .subjects
        .iter()
        .filter(|s| at_year(&s.observed, y).is_some())
        .collect();
    // The year's value against the level planned for the year, in the indicator's
    // direction — not the overall verdict, which for a rate rests on the period average.
    let year_ok = |s: &ReportSubject| -> Option<bool> {
        let (v, e) = (at_year(&s.observed, y)?, at_year(&s.expected_path, y)?);
        let up = guihua_eval::direction_from_name(&s.subject.name)
            == guihua_eval::Direction::HigherIsBetter;
        Some(if up { v >= e - 1e-9 } else { v <= e + 1e-9 })
    };
    let met = with.iter().filter(|s| year_ok(s) == Some(true)).count();
    let without = input.subjects.len() - with.len();
    out.push(Block::Para(match lang {
        Lang::Zh => format!(
            "{y}年有监测数据的指标和目标{}项，其中{met}项达到本年应达水平（按规划路径）{}。",
            with.len(),
            if without > 0 {
                format!("；另有{without}项尚无{y}年数据")
            } else {
                String::new()
            }
        ),
        Lang::En => {
            format!(
            "{} a value for {y}; {met} of them reached or passed the level planned for the year{}.",
            plural(with.len(), "item has", "items have"),
            if without > 0 {
                format!("; {} no value for {y} yet", plural(without, "item has", "items have"))
            } else {
                String::new()
            }
        )
        }
    }));
    if with.is_empty() {
        return;
    }
    let rows = with
        .iter()
        .map(|s| Row {
            cells: vec![
                s.name.clone(),
                dash(&unit_of(s)),
                at_year(&s.observed, y)
                    .map(num)
                    .unwrap_or_else(|| "—".into()),
                at_year(&s.expected_path, y)
                    .map(num)
                    .unwrap_or_else(|| "—".into()),
                s.annual_target.clone().unwrap_or_else(|| "—".into()),
                dash(&s.target_text),
                match (year_ok(s), lang) {
                    (Some(true), Lang::Zh) => "达到".to_string(),
                    (Some(false), Lang::Zh) => "未达到".to_string(),
                    (Some(true), Lang::En) => "reached".to_string(),
                    (Some(false), Lang::En) => "not reached".to_string(),
                    (None, _) => status_label(lang, s.status()).to_string(),
                },
            ],
            status: Some(match year_ok(s) {
                Some(true) => Status::OnTrack,
                Some(false) => Status::Lagging,
                None => s.status(),
            }),
        })
        .collect();
    out.push(Block::Table(Table {
        sheet: tr(lang, "年度执行", "The year"),
        headers: vec![
            tr(lang, "指标", "Indicator"),
            tr(lang, "单位", "Unit"),
            match lang {
                Lang::Zh => format!("{y}年实际"),
                Lang::En => format!("Actual {y}"),
            },
            match lang {
                Lang::Zh => format!("{y}年应达（规划路径）"),
                Lang::En => format!("Planned for {y}"),
            },
            match lang {
                Lang::Zh => format!("{y}年目标（年度计划）"),
                Lang::En => format!("Annual target {y}"),
            },
            tr(lang, "规划目标", "Target"),
            match lang {
                Lang::Zh => format!("{y}年是否达到应达水平"),
                Lang::En => format!("Planned level for {y}"),
            },
        ],
        widths: vec![26, 7, 11, 14, 14, 14, 11],
        rows,
        status_col: Some(6),
    }));
}

/// 中期评估: time half gone, tasks half done? Can each target still be met on the
/// present trend, and which ones the mid-term adjustment (规划中期调整) must look at.
fn midterm_section(input: &ReportInput, out: &mut Vec<Block>) {
    let lang = input.lang;
    let (start, end) = input.plan.period;
    let elapsed = pct(
        (input.year - start + 1).max(0) as usize,
        (end - start + 1).max(1) as usize,
    );
    let projected: Vec<&ReportSubject> = input
        .subjects
        .iter()
        .filter(|s| {
            s.status() != Status::NotAssessable
                && s.evaluation
                    .projection
                    .as_ref()
                    .is_some_and(|p| p.reaches_target.is_some())
        })
        .collect();
    let half_done = input
        .subjects
        .iter()
        .filter(|s| s.evaluation.progress_pct.is_some_and(|p| p >= 50.0))
        .count();
    // To examine in the adjustment: every projected miss, and every lagging item even
    // without a projection.
    let miss: Vec<&ReportSubject> = input
        .subjects
        .iter()
        .filter(|s| {
            let misses = s
                .evaluation
                .projection
                .as_ref()
                .and_then(|p| p.reaches_target)
                == Some(false);
            (misses && !matches!(s.status(), Status::Achieved | Status::NotAssessable))
                || matches!(s.status(), Status::Lagging | Status::SeverelyLagging)
        })
        .collect();
    let missed_projected = projected
        .iter()
        .filter(|s| miss.iter().any(|m| m.subject.id == s.subject.id))
        .count();
    out.push(Block::Para(match lang {
        Lang::Zh => format!(
            "至{}年，规划期已过{elapsed}%；完成进度过半的指标和目标{half_done}项。{}",
            input.year,
            if projected.is_empty() {
                "没有可作期末预测的指标（缺少数据或目标无法量化），能否实现规划目标尚无依据。".to_string()
            } else {
                format!(
                    "按现有趋势可作预测的{}项中，{}项到{end}年可以实现目标，{}项难以实现。",
                    projected.len(),
                    projected.len() - missed_projected,
                    missed_projected
                )
            }
        ),
        Lang::En => format!(
            "By {}, {elapsed}% of the period has passed; {} at least half of the planned change. {}",
            input.year,
            plural(half_done, "item has achieved", "items have achieved"),
            if projected.is_empty() {
                "No item can be projected to the end year (no data or no measurable target), so there is no evidence yet whether the targets will be met.".to_string()
            } else {
                format!(
                    "Of the {} with a projection, {} will meet the target by {end} on the present trend, {} will not.",
                    plural(projected.len(), "item", "items"),
                    projected.len() - missed_projected,
                    missed_projected
                )
            }
        ),
    }));
    if !projected.is_empty() {
        let rows = projected
            .iter()
            .map(|s| {
                let p = s.evaluation.projection.as_ref();
                let can = p.and_then(|p| p.reaches_target) == Some(true)
                    || s.status() == Status::Achieved;
                Row {
                    cells: vec![
                        s.name.clone(),
                        dash(&s.target_text),
                        p.and_then(|p| p.end_value)
                            .map(num)
                            .unwrap_or_else(|| "—".into()),
                        match (lang, can) {
                            (Lang::Zh, true) => "可以实现".into(),
                            (Lang::Zh, false) => "难以实现".into(),
                            (Lang::En, true) => "on course".into(),
                            (Lang::En, false) => "will miss".into(),
                        },
                        required_pace(lang, s).unwrap_or_else(|| "—".into()),
                    ],
                    status: Some(if can {
                        Status::OnTrack
                    } else {
                        Status::Lagging
                    }),
                }
            })
            .collect();
        out.push(Block::Table(Table {
            sheet: tr(lang, "期末预测", "Projection"),
            headers: vec![
                tr(lang, "指标", "Indicator"),
                tr(lang, "规划目标", "Target"),
                match lang {
                    Lang::Zh => format!("按现有趋势{end}年预计"),
                    Lang::En => format!("Trend to {end}"),
                },
                tr(lang, "能否实现", "Outcome"),
                tr(lang, "后续所需进度", "Pace still needed"),
            ],
            widths: vec![26, 14, 14, 10, 36],
            rows,
            status_col: Some(3),
        }));
    }
    let names: Vec<&str> = miss.iter().map(|s| s.name.as_str()).collect();
    let nothing_known = projected.is_empty();
    out.push(Block::Para(match (lang, names.is_empty()) {
        (Lang::Zh, true) if nothing_known => {
            "可作判断的指标太少，中期评估暂不能提出调整建议，应先补齐数据。".into()
        }
        (Lang::En, true) if nothing_known => {
            "Too little can be judged to propose adjustments; the data come first.".into()
        }
        (Lang::Zh, true) => "按现有趋势各项可预测目标均可实现，中期评估不提出调整建议。".into(),
        (Lang::Zh, false) => format!(
            "建议在规划中期调整中逐项研究{}：或加大政策和要素保障，或按程序调整目标（约束性指标原则上不调整）。",
            names.join("、")
        ),
        (Lang::En, true) => "On the present trend every projected target will be met; the mid-term evaluation proposes no adjustment.".into(),
        (Lang::En, false) => format!(
            "The mid-term adjustment should examine {} one by one: strengthen support, or adjust the target through due process (binding indicators are in principle not adjusted).",
            names.join(", ")
        ),
    }));
}

/// The final classification of a target at the end of the period.
fn final_class(lang: Lang, s: Status) -> &'static str {
    match (lang, s) {
        (Lang::Zh, Status::Achieved | Status::Ahead) => "完成",
        (Lang::Zh, Status::OnTrack) => "基本完成",
        (Lang::Zh, Status::Lagging | Status::SeverelyLagging) => "未完成",
        (Lang::Zh, Status::NotAssessable) => "无法评估",
        (Lang::En, Status::Achieved | Status::Ahead) => "met",
        (Lang::En, Status::OnTrack) => "broadly met",
        (Lang::En, Status::Lagging | Status::SeverelyLagging) => "not met",
        (Lang::En, Status::NotAssessable) => "not assessable",
    }
}

/// 总结评估: each target against its value at the end (完成/基本完成/未完成), the period
/// figure (five-year average, total), and what carries into the next plan.
fn final_section(input: &ReportInput, out: &mut Vec<Block>) {
    let lang = input.lang;
    let classes = |c: &str| {
        input
            .subjects
            .iter()
            .filter(|s| final_class(lang, s.status()) == c)
            .count()
    };
    let (met, broadly, not_met, na) = match lang {
        Lang::Zh => (
            classes("完成"),
            classes("基本完成"),
            classes("未完成"),
            classes("无法评估"),
        ),
        Lang::En => (
            classes("met"),
            classes("broadly met"),
            classes("not met"),
            classes("not assessable"),
        ),
    };
    out.push(Block::Para(match lang {
        Lang::Zh => format!(
            "规划期末（{}年），{}项指标和目标中完成{met}项、基本完成{broadly}项、未完成{not_met}项、无法评估{na}项。",
            input.year,
            input.subjects.len()
        ),
        Lang::En => format!(
            "At the end of the period ({}), of {}: {met} met, {broadly} broadly met, {not_met} not met, {na} not assessable.",
            input.year,
            plural(input.subjects.len(), "indicator or target", "indicators and targets")
        ),
    }));
    let rows = input
        .subjects
        .iter()
        .map(|s| Row {
            cells: vec![
                s.name.clone(),
                dash(&s.target_text),
                actual_cell(input, s),
                period_cell(input, s),
                final_class(lang, s.status()).to_string(),
            ],
            status: Some(s.status()),
        })
        .collect();
    out.push(Block::Table(Table {
        sheet: tr(lang, "完成情况", "Outcome"),
        headers: vec![
            tr(lang, "指标或目标", "Indicator or target"),
            tr(lang, "规划目标", "Target"),
            tr(lang, "期末实际（年）", "Final value (year)"),
            tr(lang, "期间（年均/累计）", "Period (avg. / total)"),
            tr(lang, "完成情况", "Outcome"),
        ],
        widths: vec![30, 15, 15, 20, 12],
        rows,
        status_col: Some(4),
    }));
    let carry: Vec<&str> = input
        .subjects
        .iter()
        .filter(|s| matches!(s.status(), Status::Lagging | Status::SeverelyLagging))
        .map(|s| s.name.as_str())
        .collect();
    out.push(Block::Para(match (lang, carry.is_empty()) {
        (Lang::Zh, true) if na > 0 => format!(
            "已评估的目标中没有未完成项；另有{na}项无法评估，完成与否尚无依据，应在总结中逐项说明。"
        ),
        (Lang::En, true) if na > 0 => format!(
            "None of the assessed targets was missed; {} could not be assessed, so whether they were met is unknown and must be stated item by item.",
            plural(na, "item", "items")
        ),
        (Lang::Zh, true) => "没有未完成的目标需要结转下一个五年规划。".into(),
        (Lang::Zh, false) => format!(
            "未完成的{}应分析原因，作为下一个五年规划的衔接重点，结转相关任务。",
            carry.join("、")
        ),
        (Lang::En, true) => "No unmet target carries into the next five-year plan.".into(),
        (Lang::En, false) => format!(
            "The unmet {} should be analysed and carried into the next five-year plan.",
            carry.join(", ")
        ),
    }));
}

pub(crate) fn report_blocks(input: &ReportInput) -> Vec<Block> {
    let lang = input.lang;
    let mut out = vec![
        Block::Title(title(input)),
        Block::Subtitle(match lang {
            Lang::Zh => format!("{}　　{}", input.plan.title, input.generated_on),
            Lang::En => format!("{} — {}", input.plan.title, input.generated_on),
        }),
    ];
    out.push(heading(lang, 1, "总体评价", "Overall assessment"));
    overall(input, &mut out);
    out.push(heading(lang, 2, "主要指标完成情况", "Main indicators"));
    out.push(Block::Para(tr(
        lang,
        "序时进度为规划期已过比例，完成进度为规划变化量已实现比例；★为约束性指标。",
        "Schedule: share of the period elapsed; progress: share of the planned change achieved; ★ binding indicator.",
    )));
    let all: Vec<&ReportSubject> = input.subjects.iter().collect();
    out.push(Block::Table(main_table(
        input,
        &tr(lang, "指标完成情况", "Indicators"),
        &all,
    )));
    out.push(heading(lang, 3, "滞后指标分析", "Lagging indicators"));
    lagging(input, &mut out);
    narrative(
        &mut out,
        lang,
        &input.narrative.problems,
        "存在的主要问题",
        "Main problems",
    );
    out.push(heading(lang, 4, "约束性指标完成情况", "Binding indicators"));
    binding_section(input, &mut out);
    let mut n = 5;
    // What only this kind of report answers.
    match input.kind {
        Kind::Annual => {
            out.push(heading(lang, n, "年度执行情况", "The year's execution"));
            annual_section(input, &mut out);
        }
        Kind::Midterm => {
            out.push(heading(
                lang,
                n,
                "能否实现规划目标与中期调整",
                "Can the targets be met: mid-term adjustment",
            ));
            midterm_section(input, &mut out);
        }
        Kind::Final => {
            out.push(heading(
                lang,
                n,
                "规划目标完成情况",
                "Targets met at the end of the period",
            ));
            final_section(input, &mut out);
        }
    }
    n += 1;
    if !input.projects.is_empty() {
        out.push(heading(lang, n, "重大项目进展", "Major projects"));
        projects(input, &mut out);
        n += 1;
    }
    if !input.responsibilities.is_empty() {
        out.push(heading(
            lang,
            n,
            "部门责任落实",
            "Departmental responsibilities",
        ));
        departments(input, &mut out);
        n += 1;
    }
    out.push(heading(lang, n, "下一步工作建议", "Recommendations"));
    if !input.narrative.next_steps.is_empty() {
        out.extend(input.narrative.next_steps.iter().cloned().map(Block::Para));
        out.push(Block::SubHeading(tr(
            lang,
            "根据监测数据的建议",
            "Suggested by the monitoring data",
        )));
    }
    suggestions(input, &mut out);
    out.push(Block::Heading(tr(
        lang,
        "附：指标走势图",
        "Annex: indicator charts",
    )));
    charts(input, &mut out);
    if !input.parameters.is_empty() {
        out.push(Block::Heading(tr(
            lang,
            "附：评估方法参数",
            "Annex: parameters of the method",
        )));
        out.push(Block::Para(tr(
            lang,
            "本报告的评估结论按下列参数计算（含义见评估方法说明），同样的数据和参数可重现同样的结论。",
            "The verdicts of this report were computed with these parameters (see the method's documentation); the same data and parameters reproduce them.",
        )));
        out.push(Block::Table(Table {
            sheet: tr(lang, "评估参数", "Parameters"),
            headers: vec![tr(lang, "参数", "Parameter"), tr(lang, "取值", "Value")],
            widths: vec![40, 30],
            rows: input
                .parameters
                .iter()
                .map(|(k, v)| Row {
                    cells: vec![k.clone(), v.clone()],
                    status: None,
                })
                .collect(),
            status_col: None,
        }));
    }
    out
}
