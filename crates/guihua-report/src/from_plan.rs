//! Filling [`ReportSubject`]s from a parsed plan, its evaluation and its observations —
//! a convenience for callers (and the tests); a caller with better chart data (a stored
//! expected path, annual plan targets) can fill the fields itself.

use guihua_eval::{
    Evaluation, Measure, Observation, ObservationSet, Params, PathShape, SubjectKind, SubjectRef,
};
use guihua_model::{Comparator, Plan, QuantityKind};

use crate::input::{PlanMeta, ReportSubject};

/// Plan meta with defaults: the 14th plan period when the plan states none.
pub fn plan_meta(plan: &Plan) -> PlanMeta {
    let p = plan
        .period
        .map(|p| (p.start, p.end))
        .unwrap_or((2021, 2025));
    PlanMeta {
        title: plan.title.clone().unwrap_or_default(),
        region: plan.region.clone().unwrap_or_default(),
        period: p,
    }
}

/// The observed series of one measure (levels first, then yearly rates, then accrued
/// changes), the highest revision per year, sorted by year.
pub fn observed_series(obs: &[Observation]) -> (Option<Measure>, Vec<(i32, f64)>) {
    let measure = [Measure::Level, Measure::AnnualRate, Measure::Cumulative]
        .into_iter()
        .find(|m| obs.iter().any(|o| o.measure == *m));
    let Some(m) = measure else {
        return (None, Vec::new());
    };
    let mut best: Vec<(i32, f64, u32)> = Vec::new();
    for o in obs.iter().filter(|o| o.measure == m && o.value.is_finite()) {
        match best.iter_mut().find(|b| b.0 == o.year) {
            Some(b) if o.revision >= b.2 => *b = (o.year, o.value, o.revision),
            Some(_) => {}
            None => best.push((o.year, o.value, o.revision)),
        }
    }
    best.sort_by_key(|b| b.0);
    (Some(m), best.into_iter().map(|b| (b.0, b.1)).collect())
}

/// The planned path in the measure of the observations: a linear (or, for money and
/// growth-paced levels, geometric) path from base to target for levels, the target rate
/// for yearly rates, a linear accrual for cumulative changes. Empty when the plan gives
/// no numbers to draw it.
fn expected_path(
    measure: Option<Measure>,
    base: Option<f64>,
    target: &guihua_model::Quantity,
    pace: &guihua_model::Quantity,
    unit: &str,
    (start, end): (i32, i32),
    shape: Option<PathShape>,
) -> Vec<(i32, f64)> {
    let y0 = start - 1;
    let n = (end - y0) as f64;
    match measure {
        Some(Measure::Level) => {
            let (Some(b), Some(g)) = (base, target.value) else {
                return Vec::new();
            };
            if !matches!(target.kind, QuantityKind::Level) {
                return Vec::new();
            }
            // A floor or ceiling the base already meets is held, not approached.
            let met = match target.comparator {
                Some(Comparator::Gt | Comparator::Ge) => b >= g,
                Some(Comparator::Lt | Comparator::Le) => b <= g,
                _ => false,
            };
            if met {
                return (y0..=end).map(|y| (y, g)).collect();
            }
            // The shape the engine judges by: as set in the method's parameters, else
            // geometric for money and growth-paced levels.
            let geo = match shape {
                Some(PathShape::Linear) => false,
                Some(PathShape::Geometric) => true,
                None => unit.contains('元') || pace.kind == QuantityKind::Growth,
            } && b > 0.0
                && g > 0.0;
            (y0..=end)
                .map(|y| {
                    let f = (y - y0) as f64 / n;
                    let v = if geo {
                        b * (g / b).powf(f)
                    } else {
                        b + (g - b) * f
                    };
                    (y, v)
                })
                .collect()
        }
        Some(Measure::AnnualRate) => {
            let q = [pace, target]
                .into_iter()
                .find(|q| q.kind == QuantityKind::Growth && q.value.is_some());
            match q.and_then(|q| q.value) {
                Some(r) => (start..=end).map(|y| (y, r)).collect(),
                None => Vec::new(),
            }
        }
        Some(Measure::Cumulative) => {
            let q = [pace, target]
                .into_iter()
                .find(|q| q.kind == QuantityKind::Cumulative && q.value.is_some());
            match q.and_then(|q| q.value) {
                Some(r) => (y0..=end).map(|y| (y, r * (y - y0) as f64 / n)).collect(),
                None => Vec::new(),
            }
        }
        None => Vec::new(),
    }
}

/// The base value, or, like the engine, the target less a stated increment
/// ("11.3" with 〔0.3〕 → 11.0).
fn base_value(i: &guihua_model::Indicator) -> Option<f64> {
    i.base.value.or_else(|| {
        let inc = (i.pace.kind == QuantityKind::Cumulative && i.unit.as_deref() != Some("%"))
            .then_some(i.pace.value)
            .flatten()?;
        Some(i.target.value? - inc)
    })
}

/// An empty cell: nothing, or only dashes ("—", "-", "－", "–").
fn is_blank(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_whitespace() || matches!(c, '—' | '-' | '－' | '–' | '―'))
}

/// A prose target's clause without its subject: "年旅游接待人数超过1.6亿人次" → "超过1.6亿人次".
fn strip_subject(text: &str, subject: &str) -> String {
    let t = text.trim();
    match t.find(subject) {
        Some(p) if !subject.is_empty() => {
            let rest = t[p + subject.len()..].trim();
            if rest.chars().any(|c| c.is_ascii_digit()) {
                rest.to_string()
            } else {
                t.to_string()
            }
        }
        _ => t.to_string(),
    }
}

/// The reference series of a relative target ("与GDP增长基本同步") as its expected path,
/// when the subject is observed as yearly rates.
fn reference_path(
    plan: &Plan,
    observations: &ObservationSet,
    measure: Option<Measure>,
    qs: &[&guihua_model::Quantity],
) -> Option<(Vec<(i32, f64)>, String)> {
    if measure != Some(Measure::AnnualRate) {
        return None;
    }
    let r = qs
        .iter()
        .find(|q| q.kind == QuantityKind::Relative)
        .and_then(|q| q.reference.as_deref())?;
    let obs = guihua_eval::reference_series(plan, observations, r)?;
    let series = observed_series(obs).1;
    (!series.is_empty()).then(|| (series, r.to_string()))
}

/// The target as a point in the chart, for level targets observed as levels.
fn target_point(
    measure: Option<Measure>,
    target: &guihua_model::Quantity,
    year: i32,
) -> Option<(i32, f64)> {
    (measure == Some(Measure::Level) && target.kind == QuantityKind::Level && !target.per_year)
        .then_some(())
        .and(target.value.map(|v| (target.year.unwrap_or(year), v)))
}

/// Report subjects for the evaluation of `plan`, with names, units, attributes, the
/// plan's base and target cells, the observed series and the planned path (drawn with the
/// default path shapes; see [`subjects_from_plan_with`]).
pub fn subjects_from_plan(
    plan: &Plan,
    evaluations: Vec<(SubjectRef, Evaluation)>,
    observations: &ObservationSet,
) -> Vec<ReportSubject> {
    subjects_from_plan_with(plan, evaluations, observations, &Params::default())
}

/// [`subjects_from_plan`] with the path shapes of the method's parameters (`path`,
/// `path_overrides`), so the planned path drawn and tabulated is the one the verdicts
/// were judged against.
pub fn subjects_from_plan_with(
    plan: &Plan,
    evaluations: Vec<(SubjectRef, Evaluation)>,
    observations: &ObservationSet,
    params: &Params,
) -> Vec<ReportSubject> {
    let period = plan_meta(plan).period;
    let shape_of = |id: &str, name: &str| {
        params
            .path_overrides
            .get(id)
            .or_else(|| params.path_overrides.get(name))
            .copied()
            .or(params.path)
    };
    evaluations
        .into_iter()
        .map(|(sref, ev)| {
            let id = sref.id.clone();
            let kind = sref.kind;
            let target_year = sref.target_year;
            let mut s = ReportSubject::new(sref, ev);
            let (measure, series) = observed_series(observations.get(&id));
            s.observed = series;
            s.measure = measure;
            match kind {
                SubjectKind::Indicator => {
                    if let Some(i) = plan.indicators.iter().find(|i| i.id == id) {
                        s.name = i.name.clone();
                        s.unit = i.unit.clone();
                        s.attribute = i.attribute;
                        s.base_text = i.base.text.trim().to_string();
                        let t = i.target.text.trim();
                        let p = i.pace.text.trim();
                        s.target_text = match (is_blank(t), is_blank(p)) {
                            (true, false) => p.to_string(),
                            (false, false) if p != t => format!("{t}；{p}"),
                            _ => t.to_string(),
                        };
                        if is_blank(&s.base_text) {
                            s.base_text.clear();
                        }
                        s.expected_path = expected_path(
                            measure,
                            base_value(i),
                            &i.target,
                            &i.pace,
                            i.unit.as_deref().unwrap_or(""),
                            period,
                            shape_of(&i.id, &i.name),
                        );
                        if s.expected_path.is_empty() {
                            if let Some((path, label)) =
                                reference_path(plan, observations, measure, &[&i.pace, &i.target])
                            {
                                s.expected_path = path;
                                s.expected_label = Some(label);
                            }
                        }
                        s.target_point = target_point(measure, &i.target, target_year);
                    }
                }
                SubjectKind::Target => {
                    if let Some(t) = plan.targets.iter().find(|t| t.id == id) {
                        s.name = t.subject.clone();
                        s.unit = t.quantity.unit.clone();
                        s.target_text = strip_subject(&t.quantity.text, &t.subject);
                        s.expected_path = expected_path(
                            measure,
                            None,
                            &t.quantity,
                            &guihua_model::Quantity::none(""),
                            t.quantity.unit.as_deref().unwrap_or(""),
                            period,
                            shape_of(&t.id, &t.subject),
                        );
                        if s.expected_path.is_empty() {
                            if let Some((path, label)) =
                                reference_path(plan, observations, measure, &[&t.quantity])
                            {
                                s.expected_path = path;
                                s.expected_label = Some(label);
                            }
                        }
                        s.target_point = target_point(measure, &t.quantity, target_year);
                    }
                }
            }
            s
        })
        .collect()
}
