//! The library's rules that do not depend on a backend, applied by the [`Store`] trait's
//! provided methods ([`Store::add_plan`], [`Store::resolve`]) on top of the primitives a
//! backend implements ([`Store::insert_plan`], [`Store::plans`], [`Store::plan_json`]).
//!
//! Why here and not in the SQLite code: a second backend (PostgreSQL) must store plans the
//! same way — the same indicators linked to the same catalogue entries, the same plan
//! recognised as a revision, the same subjects carrying their departments and values over
//! to a new version, the same names resolving to the same plan. Written once above the
//! backends, they cannot drift apart. A backend only checks what its transaction must
//! guarantee (the file is not there yet, the revised plan exists and is not revised yet).

use std::collections::{HashMap, VecDeque};

use guihua_contract::Source;
use guihua_model::{walk_outline, Plan};

use crate::{
    Actor, Added, Carried, NewLink, NewPlan, PlanId, PlanRow, Result, Store, StoreError,
    SubjectKind,
};

/// Catalogue links for a new plan's indicators: the best catalogue entry valid for the
/// plan's period, by name and unit (exact and alias 1.0, normalised 0.9, fuzzy below).
pub fn catalogue_links(plan: &Plan) -> Vec<NewLink> {
    let start = plan.period.map(|p| p.start);
    plan.indicators
        .iter()
        .filter_map(|i| {
            let m = guihua_catalog::match_in(&i.name, i.unit.as_deref(), start)?;
            Some(NewLink {
                indicator: i.id.clone(),
                catalog_id: m.id.to_string(),
                confidence: m.confidence,
                reason: m.reason.as_str().to_string(),
            })
        })
        .collect()
}

/// The current plan a new plan revises when nobody said: one with the same region,
/// period and title (at least a region or a title), not revised yet; the newest if
/// several.
pub fn revised_by_identity(plans: &[PlanRow], plan: &Plan) -> Option<PlanId> {
    if plan.region.is_none() && plan.title.is_none() {
        return None;
    }
    let period = plan.period.map(|p| (p.start, p.end));
    plans
        .iter()
        .filter(|p| {
            p.next_id.is_none()
                && p.region == plan.region
                && p.title == plan.title
                && p.period == period
        })
        .map(|p| p.id)
        .max()
}

/// The subjects of a new version that are the same as subjects of the version it revises
/// (ids may shift when a revision inserts a row): indicators and projects by name, prose
/// targets by subject and text, chapters by level and title. Paired in order, so two rows
/// of the same name map one to one.
pub fn carried_subjects(previous: &Plan, new: &Plan) -> Vec<Carried> {
    fn pair<K: std::hash::Hash + Eq>(
        kind: SubjectKind,
        old: impl Iterator<Item = (K, String)>,
        new: impl Iterator<Item = (K, String)>,
        out: &mut Vec<Carried>,
    ) {
        let mut by_key: HashMap<K, VecDeque<String>> = HashMap::new();
        for (k, id) in old {
            by_key.entry(k).or_default().push_back(id);
        }
        for (k, to) in new {
            if let Some(from) = by_key.get_mut(&k).and_then(VecDeque::pop_front) {
                out.push(Carried { kind, from, to });
            }
        }
    }
    let mut out = Vec::new();
    pair(
        SubjectKind::Indicator,
        previous
            .indicators
            .iter()
            .map(|i| (i.name.clone(), i.id.clone())),
        new.indicators
            .iter()
            .map(|i| (i.name.clone(), i.id.clone())),
        &mut out,
    );
    pair(
        SubjectKind::Target,
        previous
            .targets
            .iter()
            .map(|t| ((t.subject.clone(), t.quantity.text.clone()), t.id.clone())),
        new.targets
            .iter()
            .map(|t| ((t.subject.clone(), t.quantity.text.clone()), t.id.clone())),
        &mut out,
    );
    pair(
        SubjectKind::Project,
        previous
            .projects
            .iter()
            .map(|p| (p.name.clone(), p.id.clone())),
        new.projects.iter().map(|p| (p.name.clone(), p.id.clone())),
        &mut out,
    );
    pair(
        SubjectKind::Chapter,
        walk_outline(&previous.outline)
            .into_iter()
            .map(|n| ((n.level, n.title.clone()), n.id.clone())),
        walk_outline(&new.outline)
            .into_iter()
            .map(|n| ((n.level, n.title.clone()), n.id.clone())),
        &mut out,
    );
    out
}

/// A stored plan read back as the model.
fn stored_plan<S: Store + ?Sized>(store: &S, id: PlanId) -> Result<Plan> {
    let json = store.plan_json(id)?;
    guihua_contract::read::from_value(&json)
        .map_err(|e| StoreError::Invalid(format!("stored plan {id} cannot be read: {e}")))
}

/// [`Store::add_plan`]: decide links, revision and carried subjects, then insert.
pub(crate) fn add_plan<S: Store + ?Sized>(
    store: &S,
    plan: &Plan,
    source: &Source,
    revises: Option<PlanId>,
    actor: &Actor,
) -> Result<Added> {
    // Decided outside the backend's transaction; when another writer adds a version of
    // the same plan in between, the backend says so and the decision is made again.
    let mut attempts = 0;
    loop {
        attempts += 1;
        // Only the plans of the same identity: the same file again is one of them (the
        // backend answers Duplicate, or Restored for a removed one, before anything else).
        let plans = store.plans_with_identity(
            plan.region.as_deref(),
            plan.title.as_deref(),
            plan.period.map(|p| (p.start, p.end)),
        )?;
        if let Some(p) = plans.iter().find(|p| p.sha256 == source.sha256) {
            return Ok(Added::Duplicate { id: p.id });
        }
        // Identity needs a region or a title: anonymous plans are never versions of each
        // other, so there is nothing for the backend to confirm.
        let by_identity = revises.is_none() && (plan.region.is_some() || plan.title.is_some());
        let revised = revises.or_else(|| revised_by_identity(&plans, plan));
        let carry = match revised {
            // Plans are immutable, so pairs computed before the backend's transaction stay
            // true in it; the backend refuses the write if the plan was revised meanwhile.
            Some(prev) => match stored_plan(store, prev) {
                Ok(previous) => carried_subjects(&previous, plan),
                Err(StoreError::NotFound(_)) => Vec::new(),
                Err(e) => return Err(e),
            },
            None => Vec::new(),
        };
        let result = store.insert_plan(
            &NewPlan {
                plan,
                source,
                revises: revised,
                by_identity,
                links: catalogue_links(plan),
                carry,
            },
            actor,
        );
        match result {
            // Another writer added a version of this plan meanwhile (or revised the one
            // found): decide again against theirs.
            Err(StoreError::Conflict(m)) if m == crate::IDENTITY_CHANGED && attempts < 10 => {
                continue
            }
            other => return other,
        }
    }
}

/// [`Store::resolve`]: a plan by id, region name (its newest version) or unique prefix of
/// region, title or sha256 (at least 6 characters).
pub(crate) fn resolve(all: Vec<PlanRow>, key: &str) -> Result<PlanRow> {
    let key = key.trim();
    if key.is_empty() {
        return Err(StoreError::NotFound("empty plan name".into()));
    }
    if let Ok(id) = key.parse::<i64>() {
        if let Some(p) = all.iter().find(|p| p.id == id) {
            return Ok(p.clone());
        }
    }
    // A region name: its newest version(s).
    let newest = |v: Vec<&PlanRow>| -> Vec<PlanRow> {
        v.into_iter()
            .filter(|p| p.next_id.is_none())
            .cloned()
            .collect()
    };
    let by_region = newest(
        all.iter()
            .filter(|p| p.region.as_deref() == Some(key))
            .collect(),
    );
    if by_region.len() == 1 {
        return Ok(by_region[0].clone());
    }
    let mut matches = newest(
        all.iter()
            .filter(|p| {
                p.region.as_deref().is_some_and(|r| r.starts_with(key))
                    || p.title.as_deref().is_some_and(|t| t.starts_with(key))
                    || (key.len() >= 6 && p.sha256.starts_with(key))
            })
            .collect(),
    );
    if matches.is_empty() && !by_region.is_empty() {
        matches = by_region;
    }
    match matches.len() {
        0 => Err(StoreError::NotFound(format!("no plan matches {key}"))),
        1 => Ok(matches.remove(0)),
        _ => Err(StoreError::Ambiguous(format!(
            "{key} matches {} plans: {}",
            matches.len(),
            matches
                .iter()
                .take(5)
                .map(|p| format!("{} ({})", p.id, p.label()))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}
