//! Data collection rounds (年度填报): a planner asks departments for a plan's values of a
//! year by a deadline; each department fills in its task list (the subjects assigned to
//! it, last year's value beside each), with a source and a progress note (进展情况), and
//! submits; the planner approves — only then do the values become observations, with
//! their history — or returns the submission with a note.
//!
//! The rules: a department editor sees and writes only its own department's submission,
//! and in it only the subjects assigned to the department (another department's subject is
//! [`Error::Forbidden`]); numbers are read as strictly as everywhere (`input::number`); an
//! implausible value is [`Error::Unconfirmed`] until the editor confirms it; a form states
//! the revision it showed, so two people editing one submission cannot overwrite each
//! other ([`Error::Conflict`]).

use std::collections::{HashMap, HashSet};

use guihua_store::{
    Applied, Observation, PlanRow, Role, RoundRow, Store, SubjectKind, Submission, SubmissionItem,
    SubmissionState,
};

use crate::policy::{Action, Principal};
use crate::subjects::Subjects;
use crate::{Error, Result};

/// Open a round (planners). Without departments, every department with an assignment in
/// the plan is asked.
pub fn open_round(
    store: &dyn Store,
    principal: &Principal,
    plan: &str,
    year: i32,
    deadline: &str,
    departments: &[String],
) -> Result<i64> {
    principal.authorize(Action::ManagePlans)?;
    let row = store.resolve(plan)?;
    let subjects = Subjects::load(store, row.clone())?;
    subjects.check_year(year)?;
    let mut asked: Vec<String> = departments
        .iter()
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty())
        .collect();
    if asked.is_empty() {
        let mut seen = HashSet::new();
        for a in store.assignments(row.id)? {
            if matches!(a.kind, SubjectKind::Indicator | SubjectKind::Target)
                && seen.insert(a.department.clone())
            {
                asked.push(a.department);
            }
        }
    }
    if asked.is_empty() {
        return Err(Error::Invalid(format!(
            "plan {} assigns no indicator to a department yet: assign them first, or name the departments",
            row.label()
        )));
    }
    Ok(store.open_round(row.id, year, deadline, &asked, &principal.actor(None))?)
}

/// Close a round (planners): no department can change its submission afterwards.
pub fn close_round(store: &dyn Store, principal: &Principal, round: i64) -> Result<()> {
    principal.authorize(Action::ManagePlans)?;
    Ok(store.close_round(round, &principal.actor(None))?)
}

/// One line of a department's task list.
#[derive(Debug, Clone)]
pub struct Task {
    pub kind: SubjectKind,
    pub id: String,
    pub name: String,
    pub unit: Option<String>,
    /// lead | co
    pub role: Role,
    /// The nearest earlier stored value (year, value).
    pub last: Option<(i32, f64)>,
    /// The value stored for the round's year already, if any.
    pub stored: Option<f64>,
    /// What the department entered so far.
    pub item: Option<SubmissionItem>,
}

/// A department's submission in a round with its tasks.
#[derive(Debug, Clone)]
pub struct TaskList {
    pub round: RoundRow,
    pub plan: PlanRow,
    pub submission: Submission,
    pub tasks: Vec<Task>,
    /// Past the deadline (`today` after it) and not handed in.
    pub overdue: bool,
}

fn find_submission(store: &dyn Store, id: i64) -> Result<(RoundRow, Submission)> {
    for round in store.rounds(None)? {
        if let Some(s) = store
            .submissions(round.id)?
            .into_iter()
            .find(|s| s.id == id)
        {
            return Ok((round, s));
        }
    }
    Err(Error::NotFound(format!("no submission {id}")))
}

/// May this principal see (and, as an editor, write) this department's submission?
fn may_see(principal: &Principal, department: &str) -> Result<()> {
    principal.authorize(Action::Read)?;
    let deps = principal.departments();
    let staff = principal.authorize(Action::ManagePlans).is_ok()
        || matches!(principal, Principal::User(u) if u.memberships.iter().any(|m| m.role == guihua_store::UserRole::Reviewer));
    if staff || deps.contains(&department) {
        return Ok(());
    }
    Err(Error::Forbidden(format!(
        "{} may not see the submission of {department}",
        principal.name()
    )))
}

/// May this principal write this department's submission? Its own department's editors
/// and planners; reading rights (a reviewer's) never extend to writing, also when the same
/// person is an editor of another department.
fn may_write(principal: &Principal, department: &str) -> Result<()> {
    principal.authorize(Action::WriteValues)?;
    if principal.authorize(Action::ManagePlans).is_ok()
        || principal.departments().contains(&department)
    {
        return Ok(());
    }
    Err(Error::Forbidden(format!(
        "{} may not write the submission of {department}",
        principal.name()
    )))
}

fn overdue(round: &RoundRow, s: &Submission, today: &str) -> bool {
    round.closed_at.is_none() && s.state.editable() && today > round.deadline.as_str()
}

/// A submission with its tasks (the department's editors, planners, reviewers).
pub fn task_list(
    store: &dyn Store,
    principal: &Principal,
    submission: i64,
    today: &str,
) -> Result<TaskList> {
    let (round, sub) = find_submission(store, submission)?;
    may_see(principal, &sub.department)?;
    let plan = store.resolve(&round.plan_id.to_string())?;
    let subjects = Subjects::load(store, plan.clone())?;
    let obs = store.observations(Some(plan.id))?;
    let mut by_subject: HashMap<(SubjectKind, &str), Vec<&Observation>> = HashMap::new();
    for o in &obs {
        by_subject
            .entry((o.kind, &o.subject_id))
            .or_default()
            .push(o);
    }
    let mut tasks = Vec::new();
    for a in store.assignments(plan.id)? {
        if a.department != sub.department
            || !matches!(a.kind, SubjectKind::Indicator | SubjectKind::Target)
        {
            continue;
        }
        let mine = by_subject
            .get(&(a.kind, a.subject_id.as_str()))
            .cloned()
            .unwrap_or_default();
        let (name, unit) = subjects.name(a.kind, &a.subject_id);
        tasks.push(Task {
            kind: a.kind,
            name: name.to_string(),
            unit: unit.map(str::to_string),
            role: a.role,
            last: mine
                .iter()
                .filter(|o| o.year < round.year)
                .max_by_key(|o| o.year)
                .map(|o| (o.year, o.value)),
            stored: mine.iter().find(|o| o.year == round.year).map(|o| o.value),
            item: sub
                .items
                .iter()
                .find(|i| i.kind == a.kind && i.subject_id == a.subject_id)
                .cloned(),
            id: a.subject_id,
        });
    }
    Ok(TaskList {
        overdue: overdue(&round, &sub, today),
        round,
        plan,
        submission: sub,
        tasks,
    })
}

/// The submissions of open rounds this principal works on: an editor's own departments';
/// for planners and reviewers, every one.
pub fn my_submissions(
    store: &dyn Store,
    principal: &Principal,
    today: &str,
) -> Result<Vec<(RoundRow, Submission, bool)>> {
    principal.authorize(Action::Read)?;
    let mut out = Vec::new();
    for round in store.rounds(None)? {
        if round.closed_at.is_some() {
            continue;
        }
        for s in store.submissions(round.id)? {
            if may_see(principal, &s.department).is_ok() {
                let late = overdue(&round, &s, today);
                out.push((round.clone(), s, late));
            }
        }
    }
    Ok(out)
}

/// One value as a form sends it.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub kind: SubjectKind,
    pub id: &'a str,
    /// As typed; empty clears the item.
    pub value: &'a str,
    pub source: &'a str,
    pub progress: &'a str,
    /// The editor confirms a plausibility warning for this value.
    pub confirmed: bool,
}

/// Save a department's values (its editors; planners may correct any). Every entry is
/// checked before anything is written; the errors name the subject. Answers the new
/// revision.
pub fn save(
    store: &dyn Store,
    principal: &Principal,
    submission: i64,
    entries: &[Entry],
    expected_revision: i64,
) -> Result<i64> {
    principal.authorize(Action::WriteValues)?;
    let list = task_list(store, principal, submission, "")?;
    may_write(principal, &list.submission.department)?;
    if !list.submission.state.editable() {
        return Err(Error::Conflict(format!(
            "the submission of {} is {} and cannot be changed",
            list.submission.department,
            list.submission.state.zh()
        )));
    }
    let planner = principal.authorize(Action::ManagePlans).is_ok();
    let subjects = Subjects::load(store, list.plan.clone())?;
    let mut items = Vec::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for e in entries {
        let task = list.tasks.iter().find(|t| t.kind == e.kind && t.id == e.id);
        let Some(task) = task else {
            if planner {
                errors.push(format!(
                    "{} {}: not a task of {}",
                    e.kind, e.id, list.submission.department
                ));
            } else {
                return Err(Error::Forbidden(format!(
                    "{} may not enter {} {}: it is not assigned to {}",
                    principal.name(),
                    e.kind,
                    e.id,
                    list.submission.department
                )));
            }
            continue;
        };
        let value = if e.value.trim().is_empty() {
            None
        } else {
            match crate::input::number(e.value) {
                Ok(v) => Some(v),
                Err(err) => {
                    errors.push(format!("{} ({}): {err}", task.name, task.id));
                    continue;
                }
            }
        };
        let text = |t: &str, what: &str, errors: &mut Vec<String>| match crate::input::text(t) {
            Ok(v) => v,
            Err(err) => {
                errors.push(format!("{} ({}) {what}: {err}", task.name, task.id));
                None
            }
        };
        // A confirmation holds for the value it was given for: this form's tick, or an
        // earlier one for exactly this value (a changed value is checked again).
        let confirmed = e.confirmed
            || task
                .item
                .as_ref()
                .is_some_and(|i| i.confirmed && i.value == value && value.is_some());
        let source = text(e.source, "source", &mut errors);
        let progress = text(e.progress, "进展情况", &mut errors);
        if let Some(v) = value {
            let w = crate::plausibility::check(
                &subjects.expectation(e.kind, e.id),
                list.round.year,
                v,
                task.last,
            );
            if let Some(w) = w {
                if !confirmed {
                    warnings.push(w);
                }
            }
        }
        items.push(SubmissionItem {
            kind: e.kind,
            subject_id: e.id.to_string(),
            value,
            source,
            progress,
            confirmed,
        });
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors.join("; ")));
    }
    if !warnings.is_empty() {
        return Err(Error::Unconfirmed(warnings.join("; ")));
    }
    Ok(store.save_items(
        submission,
        &items,
        expected_revision,
        &principal.actor(None),
    )?)
}

/// The fill-in workbook of a submission: the department's tasks for the round's year, as
/// `guihua observe template --department` writes it. Answers the file name and bytes.
pub fn template_xlsx(
    store: &dyn Store,
    principal: &Principal,
    submission: i64,
) -> Result<(String, Vec<u8>)> {
    let (round, sub) = find_submission(store, submission)?;
    may_see(principal, &sub.department)?;
    let plan = store.resolve(&round.plan_id.to_string())?;
    let subjects = Subjects::load(store, plan)?;
    let t = crate::sheets::template(store, &subjects, round.year, Some(&sub.department), true)?;
    Ok((
        crate::sheets::template_file_name(round.year, Some(&sub.department)),
        t.to_xlsx()?,
    ))
}

/// A filled workbook (or CSV) read into a submission's form: what the editor sees before
/// anything is saved. Nothing is written by reading it.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    /// Data rows in the file.
    pub rows: usize,
    /// The values of this round's year for this submission's tasks.
    pub values: Vec<Uploaded>,
    /// Rows that cannot be read, each with its row, column and reason (the same checks as
    /// `guihua observe import`).
    pub errors: Vec<crate::input::table::RowError>,
    /// Values in the file that are not for this form: another year, or a subject that is
    /// not one of this department's tasks.
    pub ignored: usize,
}

/// One value read from an uploaded file.
#[derive(Debug, Clone)]
pub struct Uploaded {
    pub kind: SubjectKind,
    pub id: String,
    pub value: f64,
    pub source: Option<String>,
    /// The row's note, for 进展情况.
    pub note: Option<String>,
}

/// Read a filled template (XLSX) or sheet (CSV) for a submission, with the same validator
/// and limits as `guihua observe import` (the principal's rights apply row by row). A file
/// that cannot be read at all is [`Error::Rejected`] with where and why.
pub fn read_upload(
    store: &dyn Store,
    principal: &Principal,
    submission: i64,
    name: &str,
    bytes: &[u8],
) -> Result<Upload> {
    principal.authorize(Action::WriteValues)?;
    let list = task_list(store, principal, submission, "")?;
    may_write(principal, &list.submission.department)?;
    if !list.submission.state.editable() {
        return Err(Error::Conflict(format!(
            "the submission of {} is {} and cannot be changed",
            list.submission.department,
            list.submission.state.zh()
        )));
    }
    let checked = crate::import::check(
        store,
        crate::import::Kind::Observations,
        name,
        bytes,
        &crate::import::Options {
            plan: Some(list.plan.id.to_string()),
            principal: principal.clone(),
        },
    )?;
    let mut up = Upload {
        rows: checked.data_rows,
        errors: checked.errors(),
        ..Upload::default()
    };
    for c in &checked.changes {
        let guihua_store::Change::Observe {
            plan_id,
            kind,
            subject_id,
            year,
            value,
            source,
            note,
            ..
        } = c
        else {
            continue;
        };
        let mine = list
            .tasks
            .iter()
            .any(|t| t.kind == *kind && &t.id == subject_id);
        if *plan_id != list.plan.id || *year != list.round.year || !mine {
            up.ignored += 1;
            continue;
        }
        up.values.push(Uploaded {
            kind: *kind,
            id: subject_id.clone(),
            value: *value,
            source: source.clone(),
            note: note.clone(),
        });
    }
    Ok(up)
}

/// Hand in a submission (its department's editors).
pub fn submit(
    store: &dyn Store,
    principal: &Principal,
    submission: i64,
    expected_revision: i64,
) -> Result<()> {
    let (_, sub) = find_submission(store, submission)?;
    may_see(principal, &sub.department)?;
    may_write(principal, &sub.department)?;
    if sub.items.iter().all(|i| i.value.is_none()) {
        return Err(Error::Invalid(format!(
            "the submission of {} has no value yet",
            sub.department
        )));
    }
    Ok(store.submit(submission, expected_revision, &principal.actor(None))?)
}

/// Approve (values become observations) or return a submitted submission (planners).
pub fn decide(
    store: &dyn Store,
    principal: &Principal,
    submission: i64,
    approve: bool,
    note: Option<&str>,
    expected_revision: i64,
) -> Result<Applied> {
    principal.authorize(Action::ManagePlans)?;
    Ok(store.decide(
        submission,
        approve,
        note,
        expected_revision,
        &principal.actor(None),
    )?)
}

/// Where a round stands: every department's submission and who is late.
#[derive(Debug, Clone)]
pub struct RoundStatus {
    pub round: RoundRow,
    pub plan: PlanRow,
    pub submissions: Vec<Submission>,
    /// Departments past the deadline without a submission handed in.
    pub overdue: Vec<String>,
}

/// A round's status (planners and reviewers).
pub fn round_status(
    store: &dyn Store,
    principal: &Principal,
    round: i64,
    today: &str,
) -> Result<RoundStatus> {
    principal.authorize(Action::Read)?;
    if !principal.departments().is_empty() && principal.authorize(Action::ManagePlans).is_err() {
        return Err(Error::Forbidden(format!(
            "{} may not see every department's submission",
            principal.name()
        )));
    }
    let r = store
        .rounds(None)?
        .into_iter()
        .find(|r| r.id == round)
        .ok_or_else(|| Error::NotFound(format!("no round {round}")))?;
    let submissions = store.submissions(round)?;
    let overdue = submissions
        .iter()
        .filter(|s| overdue(&r, s, today))
        .map(|s| s.department.clone())
        .collect();
    Ok(RoundStatus {
        plan: store.resolve(&r.plan_id.to_string())?,
        round: r,
        submissions,
        overdue,
    })
}

/// The reminder list of a round (催报): the late departments as CSV, to mail or print.
pub fn reminders_csv(status: &RoundStatus) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let _ = w.write_record(["部门", "规划", "年度", "截止日期", "状态"]);
    for s in &status.submissions {
        if status.overdue.contains(&s.department) {
            let _ = w.write_record([
                crate::output::csv_cell(&s.department).into_owned(),
                crate::output::csv_cell(status.plan.label()).into_owned(),
                status.round.year.to_string(),
                status.round.deadline.clone(),
                s.state.zh().to_string(),
            ]);
        }
    }
    w.into_inner().unwrap_or_default()
}

/// The state name for forms and listings.
pub fn state_label(s: SubmissionState) -> &'static str {
    s.zh()
}
