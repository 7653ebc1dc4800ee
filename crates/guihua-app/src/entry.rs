//! Data entry one value at a time (数据录入), as a person does at a prompt or in a web
//! form: a yearly value, its removal, a department assignment, a project's status.
//!
//! Each function resolves what was typed, asks the policy (a department editor writes only
//! its department's subjects), checks the input strictly, and writes *as read*: the
//! revision seen when the value was read travels with the change, so another writer's
//! change in between is a [`Error::Conflict`], never overwritten. A web form passes the
//! revision it displayed (`expected_revision`); the command line passes none and the
//! revision read here is used.

use guihua_store::{
    Applied, Change, PlanId, ProjectStatus, Role, Store, SubjectKind, PROJECT_STATUSES,
};

use crate::policy::{Action, Principal};
use crate::subjects::Subjects;
use crate::{Error, Result};

/// A subject of a plan as typed: the plan (id, region, prefix), the subject (id, name,
/// catalogue id).
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub plan: &'a str,
    pub subject: &'a str,
}

/// What a write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Inserted,
    /// Changed; the old value is in the history.
    Updated,
    Unchanged,
    Deleted,
}

impl Outcome {
    fn of(a: Applied) -> Outcome {
        if a.inserted > 0 {
            Outcome::Inserted
        } else if a.updated > 0 {
            Outcome::Updated
        } else if a.deleted > 0 {
            Outcome::Deleted
        } else {
            Outcome::Unchanged
        }
    }
}

/// The subject written and what happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub plan_id: PlanId,
    pub kind: SubjectKind,
    pub id: String,
    pub name: String,
    pub outcome: Outcome,
    /// A plausibility warning the writer confirmed.
    pub warning: Option<String>,
}

/// Write one change as `principal` and say what it did to the subject.
fn write(
    store: &dyn Store,
    principal: &Principal,
    why: Option<&str>,
    s: &Subjects,
    (kind, id): (SubjectKind, String),
    change: Change,
) -> Result<Written> {
    let applied = store.apply(&[change], &principal.actor(why))?;
    Ok(Written {
        plan_id: s.plan.id,
        kind,
        name: s.name(kind, &id).0.to_string(),
        id,
        outcome: Outcome::of(applied),
        warning: None,
    })
}

fn load(store: &dyn Store, key: &str) -> Result<Subjects> {
    Subjects::load(store, store.resolve(key)?)
}

fn resolve(s: &Subjects, text: &str, kinds: &[SubjectKind]) -> Result<(SubjectKind, String)> {
    s.resolve(text, kinds).map_err(|m| {
        if m.contains("ambiguous") {
            Error::Ambiguous(m)
        } else {
            Error::NotFound(m)
        }
    })
}

/// A department editor writes only the subjects assigned to its department.
pub fn may_write(
    store: &dyn Store,
    principal: &Principal,
    s: &Subjects,
    kind: SubjectKind,
    id: &str,
) -> Result<()> {
    principal.authorize(Action::WriteValues)?;
    if let Some(allowed) = principal.writable_subjects(store, s.plan.id)? {
        if !allowed.contains(&(kind, id.to_string())) {
            return Err(Error::Forbidden(format!(
                "{} may not enter {id} ({}): it is not assigned to {}",
                principal.name(),
                s.name(kind, id).0,
                principal.departments().join("、")
            )));
        }
    }
    Ok(())
}

/// A yearly value as typed.
#[derive(Debug, Clone)]
pub struct Value<'a> {
    pub at: Subject<'a>,
    pub year: i32,
    /// The number as typed ("5.2", "1,234.5"): read strictly.
    pub value: &'a str,
    /// `None` keeps the stored source/note; only the value is being set.
    pub source: Option<String>,
    pub note: Option<String>,
    /// The writer has seen the plausibility warning and confirms the value.
    pub confirmed: bool,
    /// The revision the writer saw (a form); `None`: the one read now.
    pub expected_revision: Option<i64>,
}

/// Set a yearly value of an indicator or prose target.
pub fn set_value(
    store: &dyn Store,
    principal: &Principal,
    why: Option<&str>,
    v: &Value,
) -> Result<(Written, f64)> {
    let s = load(store, v.at.plan)?;
    let (kind, id) = resolve(
        &s,
        v.at.subject,
        &[SubjectKind::Indicator, SubjectKind::Target],
    )?;
    may_write(store, principal, &s, kind, &id)?;
    s.check_year(v.year)?;
    let value = crate::input::number(v.value).map_err(|e| Error::Invalid(e.to_string()))?;
    for t in [&v.source, &v.note].into_iter().flatten() {
        crate::input::text(t).map_err(Error::Invalid)?;
    }
    let stored = store.observations(Some(s.plan.id))?;
    let mine = || {
        stored
            .iter()
            .filter(|o| o.kind == kind && o.subject_id == id)
    };
    let old = mine().find(|o| o.year == v.year);
    let last = mine()
        .filter(|o| o.year < v.year)
        .max_by_key(|o| o.year)
        .map(|o| (o.year, o.value));
    let warning = crate::plausibility::check(&s.expectation(kind, &id), v.year, value, last);
    if let Some(w) = &warning {
        if !v.confirmed {
            return Err(Error::Unconfirmed(w.clone()));
        }
    }
    let change = Change::Observe {
        plan_id: s.plan.id,
        kind,
        subject_id: id.clone(),
        year: v.year,
        value,
        source: v
            .source
            .clone()
            .or_else(|| old.and_then(|o| o.source.clone())),
        note: v.note.clone().or_else(|| old.and_then(|o| o.note.clone())),
        expected_revision: Some(
            v.expected_revision
                .unwrap_or_else(|| old.map_or(0, |o| o.revision)),
        ),
    };
    let written = write(store, principal, why, &s, (kind, id), change)?;
    Ok((Written { warning, ..written }, value))
}

/// Remove a yearly value (kept in the history).
pub fn delete_value(
    store: &dyn Store,
    principal: &Principal,
    why: Option<&str>,
    at: Subject,
    year: i32,
    expected_revision: Option<i64>,
) -> Result<Written> {
    let s = load(store, at.plan)?;
    let (kind, id) = resolve(
        &s,
        at.subject,
        &[SubjectKind::Indicator, SubjectKind::Target],
    )?;
    may_write(store, principal, &s, kind, &id)?;
    let read = store
        .observations(Some(s.plan.id))?
        .into_iter()
        .find(|o| o.kind == kind && o.subject_id == id && o.year == year)
        .map(|o| o.revision);
    let change = Change::Unobserve {
        plan_id: s.plan.id,
        kind,
        subject_id: id.clone(),
        year,
        expected_revision: expected_revision.or(read),
    };
    write(store, principal, why, &s, (kind, id), change)
}

const ALL_KINDS: &[SubjectKind] = &[
    SubjectKind::Indicator,
    SubjectKind::Target,
    SubjectKind::Project,
    SubjectKind::Chapter,
];

/// Assign a subject (indicator, target, project, chapter) to a department as lead or
/// co-department, or (`role` `None`) take the assignment away.
pub fn assign(
    store: &dyn Store,
    principal: &Principal,
    why: Option<&str>,
    at: Subject,
    department: &str,
    role: Option<Role>,
) -> Result<Written> {
    principal.authorize(Action::ManagePlans)?;
    let department = department.trim();
    if department.is_empty() {
        return Err(Error::Invalid("empty department name".into()));
    }
    crate::input::text(department).map_err(Error::Invalid)?;
    let s = load(store, at.plan)?;
    let (kind, id) = resolve(&s, at.subject, ALL_KINDS)?;
    // The assignment as read now: a change by someone else in between is a conflict.
    let read = store
        .assignments(s.plan.id)?
        .into_iter()
        .find(|a| a.kind == kind && a.subject_id == id && a.department == department)
        .map_or(0, |a| a.revision);
    let change = match role {
        None => Change::Unassign {
            plan_id: s.plan.id,
            kind,
            subject_id: id.clone(),
            department: department.to_string(),
            expected_revision: (read > 0).then_some(read),
        },
        Some(role) => Change::Assign {
            plan_id: s.plan.id,
            kind,
            subject_id: id.clone(),
            department: department.to_string(),
            role,
            expected_revision: Some(read),
        },
    };
    write(store, principal, why, &s, (kind, id), change)
}

/// A project's status in a year, as typed.
#[derive(Debug, Clone)]
pub struct Progress<'a> {
    pub at: Subject<'a>,
    pub year: i32,
    /// One of [`PROJECT_STATUSES`] (谋划/前期/在建/建成/暂缓).
    pub status: &'a str,
    pub planned: Option<f64>,
    pub completed: Option<f64>,
    pub milestone: Option<String>,
    pub expected_revision: Option<i64>,
}

/// Set a project's status for a year.
pub fn project_status(
    store: &dyn Store,
    principal: &Principal,
    why: Option<&str>,
    p: &Progress,
) -> Result<Written> {
    let s = load(store, p.at.plan)?;
    let (_, id) = resolve(&s, p.at.subject, &[SubjectKind::Project])?;
    may_write(store, principal, &s, SubjectKind::Project, &id)?;
    s.check_year(p.year)?;
    let status = p.status.trim();
    if !PROJECT_STATUSES.contains(&status) {
        return Err(Error::Invalid(format!(
            "status {status} is not one of {}",
            PROJECT_STATUSES.join("/")
        )));
    }
    for v in [p.planned, p.completed].into_iter().flatten() {
        if !(0.0..=crate::input::MAX_MAGNITUDE).contains(&v) {
            return Err(Error::Invalid(format!("investment {v} is not plausible")));
        }
    }
    if let Some(m) = &p.milestone {
        crate::input::text(m).map_err(Error::Invalid)?;
    }
    let read = store
        .project_statuses(s.plan.id)?
        .into_iter()
        .find(|x| x.project_id == id && x.year == p.year)
        .map_or(0, |x| x.revision);
    let change = Change::ProjectStatus {
        status: ProjectStatus {
            plan_id: s.plan.id,
            project_id: id.clone(),
            year: p.year,
            status: status.to_string(),
            planned_investment: p.planned,
            completed_investment: p.completed,
            milestone: p.milestone.clone(),
            revision: 0,
        },
        expected_revision: Some(p.expected_revision.unwrap_or(read)),
    };
    write(
        store,
        principal,
        why,
        &s,
        (SubjectKind::Project, id),
        change,
    )
}
