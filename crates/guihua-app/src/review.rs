//! The previous plan's end (上一规划收官): a new plan opens with a table reviewing the
//! previous plan ("“十四五”规划主要指标完成情况": each target against what was achieved). When
//! the previous plan is in the library, those achieved values become its observations —
//! the source is the new plan's line — so the final evaluation of the previous plan can be
//! run from the new document.
//!
//! Rules: the previous plan is the current plan of the same region whose period ends the
//! year before the new one starts (or the one named); a review row is matched to its
//! indicator through the catalogue, else by name; only a level achieved in one year is an
//! observation (an average over the period, "年均6.1", is not one year's value, and is
//! listed as such); a value already stored for that year is kept, never replaced.

use guihua_model::QuantityKind;
use guihua_store::{Change, PlanRow, Store, SubjectKind};

use crate::policy::{Action, Principal};
use crate::subjects::Subjects;
use crate::{Error, Result};

/// What happens to one review row.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Becomes (or became) the observation of `indicator` in `year`.
    Carried {
        indicator: String,
        year: i32,
        value: f64,
    },
    /// The previous plan has a value for that year already: kept.
    Kept {
        indicator: String,
        year: i32,
        stored: f64,
        stated: f64,
    },
    /// No indicator of the previous plan matches.
    NoMatch,
    /// Not one year's level (an average rate, words, no value): why.
    NotAValue(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The review row's name and its line in the new plan.
    pub name: String,
    pub line: u32,
    pub actual: String,
    pub outcome: Outcome,
}

#[derive(Debug, Clone)]
pub struct Carry {
    pub new: PlanRow,
    pub previous: PlanRow,
    pub rows: Vec<Row>,
    /// Observations written (0 unless applied).
    pub written: usize,
}

/// The plan a new plan's review table looks back on: the named one, else the current plan
/// of the same region whose period ends the year before the new one starts.
fn previous(store: &dyn Store, new: &PlanRow, into: Option<&str>) -> Result<PlanRow> {
    if let Some(k) = into {
        let p = store.resolve(k)?;
        if p.id == new.id {
            return Err(Error::Invalid("a plan does not review itself".into()));
        }
        // The plan reviewed is this region's previous one: values of one region never land
        // in another's plan, nor in a plan of the same period.
        let adjoining = match (p.period, new.period) {
            (Some((_, e)), Some((s, _))) => e + 1 == s,
            _ => false,
        };
        if p.region != new.region || !adjoining {
            return Err(Error::Invalid(format!(
                "plan {} ({} {}) is not the plan before plan {} ({} {}): a review table closes \
                 the same region's previous plan",
                p.id,
                p.label(),
                p.period
                    .map(|(a, b)| format!("{a}–{b}"))
                    .unwrap_or_default(),
                new.id,
                new.label(),
                new.period
                    .map(|(a, b)| format!("{a}–{b}"))
                    .unwrap_or_default()
            )));
        }
        return Ok(p);
    }
    let Some((start, _)) = new.period else {
        return Err(Error::Invalid(format!(
            "plan {} states no period: name the previous plan with --into",
            new.id
        )));
    };
    let found: Vec<PlanRow> = store
        .plans()?
        .into_iter()
        .filter(|p| {
            p.next_id.is_none()
                && p.id != new.id
                && p.region.is_some()
                && p.region == new.region
                && p.period.is_some_and(|(_, e)| e == start - 1)
        })
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(Error::NotFound(format!(
            "no plan of {} ending in {} is in the library: add it, or name it with --into",
            new.region.as_deref().unwrap_or("this region"),
            start - 1
        ))),
        many => Err(Error::Ambiguous(format!(
            "several plans could be the previous one ({}): name it with --into",
            many.iter()
                .map(|p| p.id.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Match a new plan's review rows to the previous plan's indicators; with `apply`, store
/// the values as the previous plan's observations (planners), in one transaction.
pub fn carry(
    store: &dyn Store,
    principal: &Principal,
    new_key: &str,
    into: Option<&str>,
    apply: bool,
) -> Result<Carry> {
    principal.authorize(if apply {
        Action::ManagePlans
    } else {
        Action::Read
    })?;
    let (new_row, new_plan) = crate::evaluation::load_plan(store, new_key)?;
    if new_plan.review.is_empty() {
        return Err(Error::NotFound(format!(
            "plan {} has no table reviewing the previous plan",
            new_row.id
        )));
    }
    let prev_row = previous(store, &new_row, into)?;
    let (_, prev_plan) = crate::evaluation::load_plan(store, &prev_row.id.to_string())?;
    let subjects = Subjects::load(store, prev_row.clone())?;
    let stored = store.observations(Some(prev_row.id))?;
    let end = prev_row.period.map(|(_, e)| e);
    let start = prev_row.period.map(|(s, _)| s);
    let mut rows = Vec::new();
    let mut changes = Vec::new();
    for r in &new_plan.review {
        let i = &r.indicator;
        let a = &r.actual;
        let catalog = guihua_catalog::match_in(&i.name, i.unit.as_deref(), start).map(|m| m.id);
        let matched = prev_plan.indicators.iter().find(|p| {
            (catalog.is_some() && subjects.catalog_of(&p.id) == catalog)
                || p.name.trim() == i.name.trim()
        });
        let units_agree = matched.is_some_and(|p| {
            guihua_model::same_unit(a.unit.as_deref().or(i.unit.as_deref()), p.unit.as_deref())
        });
        // A row whose target is a total over the period (〔10.5〕万人) states the total
        // achieved, not one year's level.
        // (A level target with its change in the pace column — 森林覆盖率 21.5, 〔1.4〕 — is a
        // level: its achieved value is one.)
        let period_total = matched.is_some_and(|p| {
            let level_target = p.target.kind == QuantityKind::Level && p.target.value.is_some();
            !level_target
                && (p.pace.kind == QuantityKind::Cumulative
                    || p.target.kind == QuantityKind::Cumulative)
        });
        let exact = matches!(
            a.comparator,
            None | Some(guihua_model::Comparator::Eq) | Some(guihua_model::Comparator::Approx)
        );
        let outcome = match (matched, a.kind, a.value, a.year.or(end)) {
            (None, ..) => Outcome::NoMatch,
            (Some(p), ..) if !units_agree => Outcome::NotAValue(format!(
                "its unit ({}) is not the previous plan's ({})",
                a.unit.as_deref().or(i.unit.as_deref()).unwrap_or(""),
                p.unit.as_deref().unwrap_or("")
            )),
            (Some(_), ..) if period_total => Outcome::NotAValue(
                "the previous plan's target is a total over the period: the value achieved is \
                 not one year's"
                    .into(),
            ),
            (Some(_), QuantityKind::Level, Some(_), _) if !exact => {
                Outcome::NotAValue("a bound (＞90), not a value".into())
            }
            (Some(p), QuantityKind::Level, Some(v), Some(year))
                if !crate::evaluation::is_rate_row(&p.name, p.pace.kind, p.unit.as_deref()) =>
            {
                match stored.iter().find(|o| {
                    o.kind == SubjectKind::Indicator && o.subject_id == p.id && o.year == year
                }) {
                    Some(o) => Outcome::Kept {
                        indicator: p.id.clone(),
                        year,
                        stored: o.value,
                        stated: v,
                    },
                    None => {
                        changes.push(Change::Observe {
                            plan_id: prev_row.id,
                            kind: SubjectKind::Indicator,
                            subject_id: p.id.clone(),
                            year,
                            value: v,
                            source: Some(format!(
                                "{}第{}行（规划回顾）",
                                new_row.title.as_deref().unwrap_or(&new_row.file),
                                i.line
                            )),
                            note: a.estimate.then(|| "预计数".to_string()),
                            expected_revision: Some(0),
                        });
                        Outcome::Carried {
                            indicator: p.id.clone(),
                            year,
                            value: v,
                        }
                    }
                }
            }
            (Some(_), QuantityKind::Level, Some(_), None) => {
                Outcome::NotAValue("the year it was achieved is not stated".into())
            }
            (Some(_), QuantityKind::Growth | QuantityKind::Cumulative, ..) => {
                Outcome::NotAValue("a rate or total over the period, not one year's value".into())
            }
            (Some(_), QuantityKind::Level, ..) => {
                Outcome::NotAValue("a rate row: its yearly values are rates".into())
            }
            (Some(_), ..) => Outcome::NotAValue("no number".into()),
        };
        rows.push(Row {
            name: i.name.clone(),
            line: i.line,
            actual: a.text.clone(),
            outcome,
        });
    }
    let mut written = 0;
    if apply && !changes.is_empty() {
        let why = format!("规划回顾表 of plan {}", new_row.id);
        let applied = store.apply(&changes, &principal.actor(Some(&why)))?;
        written = applied.inserted + applied.updated;
    }
    Ok(Carry {
        new: new_row,
        previous: prev_row,
        rows,
        written,
    })
}
