//! Evaluation assembly: a stored plan and its stored values, made ready for the pure
//! engine (`guihua-eval`) — the same way for every front end.
//!
//! Two decisions live here because they join the library and the engine:
//! * what a stored number measures — a yearly rate for rows about growth or reduction
//!   ("地区生产总值增长", "能耗降低"), a level otherwise;
//! * which way is better — the catalogue indicator a plan indicator is *linked* to in the
//!   library (so a person's `indicator link`/`unlink` counts), else the engine's own name
//!   heuristic.

use std::collections::{BTreeMap, HashMap};

use guihua_eval::{is_reduction_name, Direction, Observation, ObservationSet, Params};
use guihua_model::{Plan, QuantityKind};
use guihua_store::{PlanId, PlanRow, Store, SubjectKind};

use crate::subjects::Subjects;
use crate::{Error, Result};

/// A stored plan as the model (the library keeps the contract JSON, read back losslessly).
pub fn load_plan(store: &dyn Store, key: &str) -> Result<(PlanRow, Plan)> {
    let row = store.resolve(key)?;
    let json = store.plan_json(row.id)?;
    let plan = guihua_contract::read::from_value(&json)
        .map_err(|e| Error::Invalid(format!("stored plan {} cannot be read: {e}", row.id)))?;
    Ok((row, plan))
}

/// An evaluation year must fall in the plan period: a year after the end has no planned
/// path, a year before the start has nothing to evaluate.
pub fn check_year(plan: &Plan, year: i32) -> Result<()> {
    match plan.period {
        Some(p) if !(p.start..=p.end).contains(&year) => Err(Error::Invalid(format!(
            "year {year} is outside the plan period {}–{}: evaluate a year from {} to {}",
            p.start, p.end, p.start, p.end
        ))),
        _ => Ok(()),
    }
}

/// Does a row's yearly number state a rate (growth or reduction) rather than a level?
pub(crate) fn is_rate_row(name: &str, pace: QuantityKind, unit: Option<&str>) -> bool {
    let percent = matches!(unit, Some("%") | None);
    percent
        && (name.ends_with("增长")
            || name.ends_with("增速")
            || name.ends_with("增长率")
            || is_reduction_name(name)
            || (pace == QuantityKind::Growth && name.contains("增长")))
}

/// The stored observations of a plan as the engine's observation set.
pub fn observation_set(store: &dyn Store, plan_id: PlanId, plan: &Plan) -> Result<ObservationSet> {
    let mut by: BTreeMap<String, Vec<Observation>> = BTreeMap::new();
    for o in store.observations(Some(plan_id))? {
        let rate = match o.kind {
            SubjectKind::Indicator => plan
                .indicators
                .iter()
                .find(|i| i.id == o.subject_id)
                .is_some_and(|i| is_rate_row(&i.name, i.pace.kind, i.unit.as_deref())),
            SubjectKind::Target => plan
                .targets
                .iter()
                .find(|t| t.id == o.subject_id)
                .is_some_and(|t| t.quantity.kind == QuantityKind::Growth),
            _ => continue,
        };
        let obs = if rate {
            Observation::rate(o.year, o.value)
        } else {
            Observation::level(o.year, o.value)
        };
        by.entry(o.subject_id.clone()).or_default().push(obs);
    }
    // A prose target that restates a table indicator ("森林覆盖率达到12.68%" beside the
    // table's 森林覆盖率) is judged with the indicator's data: nobody enters it twice.
    for (target, indicator) in restated(store, plan_id, plan)? {
        if by.contains_key(&target) {
            continue;
        }
        if let Some(obs) = by.get(&indicator).cloned() {
            by.insert(target, obs);
        }
    }
    let mut set = ObservationSet::new();
    for (id, obs) in by {
        set.insert(id, obs);
    }
    Ok(set)
}

/// The prose targets that restate a table indicator, target id → indicator id: the
/// target's subject names (exactly, by an alias, or normalised — never a fuzzy guess) the
/// catalogue entry the indicator is linked to in the library, in the same unit.
pub fn restated(
    store: &dyn Store,
    plan_id: PlanId,
    plan: &Plan,
) -> Result<BTreeMap<String, String>> {
    let start = plan.period.map(|p| p.start);
    let linked: Vec<(String, String)> = store
        .indicators(plan_id)?
        .into_iter()
        .filter_map(|i| Some((i.link?.catalog_id?, i.id)))
        .collect();
    let mut out = BTreeMap::new();
    for t in &plan.targets {
        let Some(m) = guihua_catalog::match_in(&t.subject, t.quantity.unit.as_deref(), start)
        else {
            continue;
        };
        if m.confidence < 0.9 {
            continue;
        }
        // Exactly one table row linked to that entry: with a total and a sub-row (or two
        // rows linked alike) the target's row is not known.
        let rows: Vec<&String> = linked
            .iter()
            .filter(|(c, _)| c == m.id)
            .map(|(_, i)| i)
            .collect();
        let [ind] = rows.as_slice() else {
            continue;
        };
        let Some(row) = plan.indicators.iter().find(|i| &i.id == *ind) else {
            continue;
        };
        let same_unit = match (t.quantity.unit.as_deref(), row.unit.as_deref()) {
            (Some(a), Some(b)) => a == b,
            (None, _) => true,
            (Some(_), None) => false,
        };
        // The same kind of target: a level with a level row, a rate with a rate row, a
        // change with a change row ("人均预期寿命提高1岁" is not the level 79).
        let q = &t.quantity;
        let same_kind = match q.kind {
            QuantityKind::Level => row.target.kind == QuantityKind::Level || row.pace.held,
            QuantityKind::Growth => {
                row.target.kind == QuantityKind::Growth
                    || row.pace.kind == QuantityKind::Growth
                    || is_rate_row(&row.name, row.pace.kind, row.unit.as_deref())
            }
            QuantityKind::Cumulative => {
                row.target.kind == QuantityKind::Cumulative
                    || row.pace.kind == QuantityKind::Cumulative
            }
            _ => false,
        };
        if same_unit && same_kind {
            out.insert(t.id.clone(), (*ind).clone());
        }
    }
    Ok(out)
}

/// Directions from the catalogue for the plan's indicators linked to it in the library.
pub fn params_for(subjects: &Subjects, plan: &Plan) -> Params {
    let mut p = Params::default();
    for i in &plan.indicators {
        if let Some(id) = subjects.catalog_of(&i.id) {
            if let Some(c) = guihua_catalog::get(id) {
                let d = match c.direction {
                    guihua_catalog::Direction::HigherBetter => Direction::HigherIsBetter,
                    guihua_catalog::Direction::LowerBetter => Direction::LowerIsBetter,
                };
                p.direction_overrides.insert(i.id.clone(), d);
            }
        }
    }
    p
}

/// `--target NAME=CELL`: the cell read as a 年均/累计 cell of that row.
pub fn target_overrides(plan: &Plan, specs: &[String], params: &mut Params) -> Result<()> {
    for spec in specs {
        let Some((who, cell)) = spec.split_once('=') else {
            return Err(Error::Invalid(format!(
                "--target {spec}: expected INDICATOR=CELL, e.g. 地区生产总值增长=6左右"
            )));
        };
        let (who, cell) = (who.trim(), cell.trim());
        let ind = plan
            .indicators
            .iter()
            .find(|i| i.id == who || i.name == who)
            .ok_or_else(|| {
                Error::NotFound(format!("--target {spec}: no indicator {who} in this plan"))
            })?;
        // The method measures a year against an annual *rate* (增长6%左右); a level's
        // annual target would be read as a rate and leave the row without data.
        if !is_rate_row(&ind.name, ind.pace.kind, ind.unit.as_deref()) {
            return Err(Error::Invalid(format!(
                "--target {spec}: {} is measured as a level, and the method measures a year \
                 against annual rates only (增长…, 降低…); keep a level's annual target with \
                 `guihua annual set` — reports show it beside the planned level",
                ind.name
            )));
        }
        let q = guihua_parse::quantity::parse_cell(
            cell,
            guihua_parse::quantity::Column::Pace,
            ind.unit.as_deref(),
            None,
        );
        if q.value.is_none() {
            return Err(Error::Invalid(format!(
                "--target {spec}: {cell} states no number"
            )));
        }
        params.target_overrides.insert(ind.id.clone(), q);
    }
    Ok(())
}

/// One plan's line of a comparison: the plan, its indicator, and the evaluation in the
/// year asked for (else the latest year with data) — `None` when no year applies.
pub struct Compared {
    pub plan: PlanRow,
    pub indicator: guihua_model::Indicator,
    pub evaluation: Option<guihua_eval::Evaluation>,
    /// The latest value entered up to the year (year, value): shown even when there is no
    /// verdict (a target set by a higher level still has its data).
    pub latest: Option<(i32, f64)>,
}

/// One indicator across plans (`plans` empty: every plan of the library). The indicator is
/// the catalogue entry `indicator` names, found in each plan through its *stored* link (so
/// `indicator link`/`unlink` count), or a plan indicator with exactly that name.
pub fn compare(
    store: &dyn Store,
    indicator: &str,
    plans: &[String],
    year: Option<i32>,
) -> Result<(Option<&'static str>, Vec<Compared>)> {
    let wanted = guihua_catalog::lookup(indicator)
        .map(|c| c.id)
        .or_else(|| guihua_catalog::match_name(indicator, None).map(|m| m.id));
    let keys: Vec<String> = if plans.is_empty() {
        store.plans()?.iter().map(|p| p.id.to_string()).collect()
    } else {
        plans.to_vec()
    };
    let mut out = Vec::new();
    for key in keys {
        let (row, plan) = load_plan(store, &key)?;
        let subjects = Subjects::load(store, row.clone())?;
        let Some(ind) = plan.indicators.iter().find(|i| {
            let linked = subjects.catalog_of(&i.id);
            (wanted.is_some() && linked == wanted) || i.name == indicator
        }) else {
            continue;
        };
        let set = observation_set(store, row.id, &plan)?;
        let latest = set.get(&ind.id).iter().map(|o| o.year).max();
        let at = year.or(latest).or(plan.period.map(|p| p.start));
        let latest_value = set
            .get(&ind.id)
            .iter()
            .filter(|o| at.is_none_or(|y| o.year <= y))
            .max_by_key(|o| (o.year, o.revision))
            .map(|o| (o.year, o.value));
        let evaluation = at.and_then(|y| {
            guihua_eval::evaluate_plan(&plan, y, &set, &params_for(&subjects, &plan))
                .into_iter()
                .find(|(s, _)| s.id == ind.id)
                .map(|(_, e)| e)
        });
        out.push(Compared {
            plan: row,
            indicator: ind.clone(),
            evaluation,
            latest: latest_value,
        });
    }
    Ok((wanted, out))
}

/// A stored plan's evaluation for a year as the `guihua.evaluation/1` document (what
/// `guihua evaluate --json` prints and an evaluation release keeps).
pub fn document(
    store: &dyn Store,
    key: &str,
    year: i32,
    method: crate::method::Method,
) -> Result<serde_json::Value> {
    let (row, plan) = load_plan(store, key)?;
    check_year(&plan, year)?;
    let set = observation_set(store, row.id, &plan)?;
    let subjects = Subjects::load(store, row.clone())?;
    let mut params = method.params(&subjects, &plan)?;
    crate::annual::apply(store, row.id, &plan, year, &mut params)?;
    let results = guihua_eval::evaluate_plan(&plan, year, &set, &params);
    let items: Vec<_> = results
        .iter()
        .map(|(s, e)| (s.id.as_str(), s.kind, s.name.as_str(), e))
        .collect();
    Ok(guihua_contract::documents::evaluation(
        guihua_contract::documents::PlanRef {
            id: row.id,
            region: row.region.as_deref(),
            title: row.title.as_deref(),
        },
        year,
        params.tolerance,
        &crate::method::describe(&params),
        &items,
    ))
}

/// The alignment (衔接) of a lower plan with a higher one (a county's with its city's, a
/// province's with the national plan): each indicator of the higher plan, whether the
/// lower plan has it and whether its target is at least as demanding (see
/// `guihua_audit::align` for the rules), and the lower plan's indicators with no
/// counterpart above. Counterparts are found through the *stored* catalogue links.
pub fn align(
    store: &dyn Store,
    lower: &str,
    higher: &str,
) -> Result<(PlanRow, PlanRow, guihua_audit::align::Alignment)> {
    let (lrow, lplan) = load_plan(store, lower)?;
    let (hrow, hplan) = load_plan(store, higher)?;
    if lrow.id == hrow.id {
        return Err(Error::Invalid(format!(
            "plan {} cannot be aligned with itself: name the plan above it with --with",
            lrow.id
        )));
    }
    let links = |row: &PlanRow, plan: &Plan| -> Result<HashMap<String, String>> {
        let s = Subjects::load(store, row.clone())?;
        Ok(plan
            .indicators
            .iter()
            .filter_map(|i| s.catalog_of(&i.id).map(|c| (i.id.clone(), c.to_string())))
            .collect())
    };
    let (ll, hl) = (links(&lrow, &lplan)?, links(&hrow, &hplan)?);
    let direction = |id: &str| {
        guihua_catalog::get(id).map(|c| match c.direction {
            guihua_catalog::Direction::HigherBetter => guihua_audit::align::Better::Higher,
            guihua_catalog::Direction::LowerBetter => guihua_audit::align::Better::Lower,
        })
    };
    let a = guihua_audit::align::align(
        &guihua_audit::align::Side {
            plan: &hplan,
            links: &hl,
        },
        &guihua_audit::align::Side {
            plan: &lplan,
            links: &ll,
        },
        &direction,
    );
    Ok((lrow, hrow, a))
}
