//! Evaluate a whole plan: every indicator row and every numeric prose target.

use guihua_model::{Period, Plan, QuantityKind};

use crate::engine::evaluate;
use crate::subject::Subject;
use crate::types::{Evaluation, Observation, ObservationSet, Params};

/// Whether an evaluated subject is a table row or a prose target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubjectKind {
    Indicator,
    Target,
}

/// Which indicator or target an evaluation is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectRef {
    pub kind: SubjectKind,
    /// Plan-local id ("i3", "t12").
    pub id: String,
    pub name: String,
    /// The target year the subject was judged against.
    pub target_year: i32,
}

/// The names a plan gives GDP (地区生产总值, 国内生产总值, 生产总值, GDP, 经济总量).
pub fn is_gdp_name(name: &str) -> bool {
    let n = name.to_uppercase();
    n.contains("GDP") && !n.contains("单位") && !n.contains("占")
        || (name.contains("生产总值") && !name.contains("单位") && !name.contains('占'))
}

/// The actual series a relative target refers to: a named series of the set whose name
/// matches (for GDP any of its names), else the observations of a GDP indicator or target
/// of the plan.
pub fn reference_series<'a>(
    plan: &Plan,
    observations: &'a ObservationSet,
    reference: &str,
) -> Option<&'a [Observation]> {
    if let Some(v) = observations.by_name.get(reference) {
        return Some(v);
    }
    let gdp = is_gdp_name(reference);
    if gdp {
        let named = observations
            .by_name
            .iter()
            .filter(|(k, _)| is_gdp_name(k))
            .max_by_key(|(k, _)| k.contains("增长"));
        if let Some((_, v)) = named {
            return Some(v);
        }
        let ids = plan
            .indicators
            .iter()
            .filter(|i| is_gdp_name(&i.name))
            .map(|i| (i.id.as_str(), i.name.contains("增长")))
            .chain(
                plan.targets
                    .iter()
                    .filter(|t| is_gdp_name(&t.subject))
                    .map(|t| (t.id.as_str(), t.quantity.kind == QuantityKind::Growth)),
            );
        let mut best: Option<(&[Observation], bool)> = None;
        for (id, growth) in ids {
            let obs = observations.get(id);
            if !obs.is_empty()
                && match best {
                    None => true,
                    Some(b) => growth && !b.1,
                }
            {
                best = Some((obs, growth));
            }
        }
        return best.map(|b| b.0);
    }
    None
}

/// Evaluate every indicator and every numeric (or relative) prose target of `plan` in
/// `year`. A plan without a period is taken to be the 14th (2021–2025).
pub fn evaluate_plan(
    plan: &Plan,
    year: i32,
    observations: &ObservationSet,
    params: &Params,
) -> Vec<(SubjectRef, Evaluation)> {
    let period = plan.period.unwrap_or(Period {
        start: 2021,
        end: 2025,
    });
    let mut subjects: Vec<(SubjectKind, Subject)> = plan
        .indicators
        .iter()
        .map(|i| (SubjectKind::Indicator, Subject::from_indicator(i, period)))
        .collect();
    subjects.extend(
        plan.targets
            .iter()
            .filter(|t| t.quantity.value.is_some() || t.quantity.kind == QuantityKind::Relative)
            .map(|t| (SubjectKind::Target, Subject::from_target(t, period))),
    );
    subjects
        .into_iter()
        .map(|(kind, s)| {
            let reference = [&s.pace, &s.target]
                .iter()
                .find(|q| q.kind == QuantityKind::Relative)
                .and_then(|q| q.reference.as_deref())
                .and_then(|r| reference_series(plan, observations, r));
            let ev = evaluate(&s, observations.get(&s.id), year, params, reference);
            (
                SubjectRef {
                    kind,
                    id: s.id.clone(),
                    name: s.name.clone(),
                    target_year: s.target_year,
                },
                ev,
            )
        })
        .collect()
}
