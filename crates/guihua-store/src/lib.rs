//! The plan library: plans, their monitoring data, responsibilities and project progress.
//!
//! Everything outside this crate talks to the [`Store`] trait only, so a second backend
//! (PostgreSQL for a shared server) can be added without touching the CLI. The one
//! backend today is [`SqliteStore`]: an embedded file, WAL journal, foreign keys on,
//! versioned migrations.
//!
//! Two promises shape the API:
//! * **Nothing is lost.** Plans are immutable (a revision is a new, linked version);
//!   observations, assignments and project status are soft-deleted; every change writes
//!   who, when, old → new and why into an append-only history.
//! * **All or nothing.** [`Store::apply`] takes a whole batch of changes (an import file)
//!   and commits it in one transaction; a failure — or a killed process — leaves the store
//!   exactly as before.

use std::fmt;
use std::path::Path;

use guihua_contract::Source;
use guihua_model::Plan;
use serde::Serialize;

pub mod rules;
mod sqlite;

pub use sqlite::SqliteStore;

/// A plan's id in the library.
pub type PlanId = i64;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Ambiguous(String),
    #[error("{0}")]
    Invalid(String),
    /// The write depends on a state that another writer has changed (a plan already
    /// revised, a value changed since it was read): nothing was written.
    #[error("conflict: {0}")]
    Conflict(String),
    /// A backend error (kept opaque so the interface does not depend on a backend).
    #[error("database: {0}")]
    Db(Box<dyn std::error::Error + Send + Sync>),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("stored plan JSON: {0}")]
    Json(#[from] serde_json::Error),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The optimistic-concurrency rule every backend applies: a writer that states the
/// revision it read (0: it saw nothing) is refused when the stored revision differs.
/// `current` is the stored revision with who last wrote it and when.
pub fn check_revision(
    what: &str,
    expected: Option<i64>,
    current: Option<(i64, &str, &str)>,
) -> Result<()> {
    let Some(expected) = expected else {
        return Ok(());
    };
    match current {
        Some((rev, _, _)) if rev == expected => Ok(()),
        None if expected == 0 => Ok(()),
        Some((rev, who, at)) => Err(StoreError::Conflict(if expected == 0 {
            format!("{what} was set by {who} at {at} (revision {rev}) after it was read as empty; look at it again")
        } else {
            format!("{what} was changed by {who} at {at} (revision {rev}) since it was read (revision {expected}); look at it again")
        })),
        None => Err(StoreError::Conflict(format!(
            "{what} was removed since it was read (revision {expected}); look at it again"
        ))),
    }
}

/// What adding a plan did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Added {
    /// A new plan (version 1) or a new version of an earlier plan.
    New {
        id: PlanId,
        version: i64,
        previous: Option<PlanId>,
    },
    /// The same file (by sha256) is already in the library.
    Duplicate { id: PlanId },
    /// The same file had been removed; it is back (removal is soft).
    Restored { id: PlanId },
}

/// A plan as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanRow {
    pub id: PlanId,
    pub region: Option<String>,
    pub title: Option<String>,
    pub period: Option<(i32, i32)>,
    pub sha256: String,
    pub file: String,
    pub version: i64,
    pub previous_id: Option<PlanId>,
    /// The newer version that revises this one, if any.
    pub next_id: Option<PlanId>,
    pub added_at: String,
    pub added_by: String,
    pub indicators: i64,
    pub targets: i64,
    pub projects: i64,
}

impl PlanRow {
    /// A short human name: region, else title, else file.
    pub fn label(&self) -> &str {
        self.region
            .as_deref()
            .or(self.title.as_deref())
            .unwrap_or(&self.file)
    }
}

/// A plan's link of an indicator to the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    /// `None`: a person declared the indicator not in the catalogue.
    pub catalog_id: Option<String>,
    pub confidence: f64,
    /// exact | normalized | fuzzy | manual
    pub reason: String,
    pub manual: bool,
    /// 1 when first linked, one more with every change (see [`Store::set_link`]).
    pub revision: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorRow {
    pub id: String,
    pub seq: Option<String>,
    pub category: Option<String>,
    pub name: String,
    pub unit: Option<String>,
    pub attribute: Option<String>,
    pub base: String,
    pub base_value: Option<f64>,
    pub target: String,
    pub target_value: Option<f64>,
    pub pace: String,
    pub parent: Option<String>,
    pub link: Option<Link>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetRow {
    pub id: String,
    pub subject: String,
    pub text: String,
    pub kind: String,
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub year: Option<i32>,
    pub section: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectRow {
    pub id: String,
    pub name: String,
    pub group: Option<String>,
    pub box_id: Option<String>,
    pub section: Option<String>,
    pub investment: Option<f64>,
    pub investment_unit: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutlineRow {
    pub id: String,
    /// 前言 / 篇 / 章 / 节 / 专栏
    pub level: String,
    pub number: Option<u32>,
    pub title: String,
    pub depth: u32,
}

/// What an observation, assignment or history entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Indicator,
    Target,
    Project,
    Chapter,
}

impl SubjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Indicator => "indicator",
            SubjectKind::Target => "target",
            SubjectKind::Project => "project",
            SubjectKind::Chapter => "chapter",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            SubjectKind::Indicator => "指标",
            SubjectKind::Target => "目标",
            SubjectKind::Project => "项目",
            SubjectKind::Chapter => "章节",
        }
    }
    pub fn parse(s: &str) -> Option<SubjectKind> {
        match s.trim() {
            "indicator" | "指标" => Some(SubjectKind::Indicator),
            "target" | "目标" => Some(SubjectKind::Target),
            "project" | "项目" => Some(SubjectKind::Project),
            "chapter" | "章节" | "章" => Some(SubjectKind::Chapter),
            _ => None,
        }
    }
}

impl fmt::Display for SubjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lead department (牵头) or co-department (配合).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Lead,
    Co,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Lead => "lead",
            Role::Co => "co",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Role::Lead => "牵头",
            Role::Co => "配合",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        match s.trim() {
            "lead" | "牵头" => Some(Role::Lead),
            "co" | "配合" => Some(Role::Co),
            _ => None,
        }
    }
}

/// The status of a major project (重大项目) in a year.
pub const PROJECT_STATUSES: &[&str] = &["谋划", "前期", "在建", "建成", "暂缓"];

/// A yearly actual value (监测数据).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    pub plan_id: PlanId,
    pub kind: SubjectKind,
    pub subject_id: String,
    pub year: i32,
    pub value: f64,
    pub source: Option<String>,
    pub note: Option<String>,
    pub entered_by: String,
    pub entered_at: String,
    /// 1 when first entered, one more with every change.
    pub revision: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    pub plan_id: PlanId,
    pub kind: SubjectKind,
    pub subject_id: String,
    pub department: String,
    pub role: Role,
    pub assigned_by: String,
    pub assigned_at: String,
    /// 1 when assigned, one more with every change of role.
    pub revision: i64,
}

/// A project's status in a year, with investment (in the unit the plan uses, 亿元 by
/// default) and a milestone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectStatus {
    pub plan_id: PlanId,
    pub project_id: String,
    pub year: i32,
    pub status: String,
    pub planned_investment: Option<f64>,
    pub completed_investment: Option<f64>,
    pub milestone: Option<String>,
    /// 1 when first entered, one more with every change (as read; a change states the
    /// revision it expects in [`Change::ProjectStatus`]).
    pub revision: i64,
}

/// One change to monitoring data; [`Store::apply`] commits a batch of them at once.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Set (insert or update) a yearly actual value.
    Observe {
        plan_id: PlanId,
        kind: SubjectKind,
        subject_id: String,
        year: i32,
        value: f64,
        source: Option<String>,
        note: Option<String>,
        /// The revision the writer read ([`Observation::revision`]; 0: it saw no value).
        /// When another writer has changed the value since, the change is a
        /// [`StoreError::Conflict`]. `None` writes over whatever is there (a whole file
        /// imported as the new truth, with the old values in the history).
        expected_revision: Option<i64>,
    },
    /// Soft-delete a yearly actual value.
    Unobserve {
        plan_id: PlanId,
        kind: SubjectKind,
        subject_id: String,
        year: i32,
        /// As in [`Change::Observe`]: the revision the writer saw.
        expected_revision: Option<i64>,
    },
    /// Assign a subject to a department (the department is created if new).
    Assign {
        plan_id: PlanId,
        kind: SubjectKind,
        subject_id: String,
        department: String,
        role: Role,
        /// The revision of this subject × department assignment the writer read
        /// ([`Assignment::revision`]; 0: not assigned). `None`: whatever is there.
        expected_revision: Option<i64>,
    },
    Unassign {
        plan_id: PlanId,
        kind: SubjectKind,
        subject_id: String,
        department: String,
        expected_revision: Option<i64>,
    },
    /// Set a project's status for a year (`status.revision` is ignored: the expectation is
    /// `expected_revision`, 0 for "no status that year yet").
    ProjectStatus {
        status: ProjectStatus,
        expected_revision: Option<i64>,
    },
}

/// Counts of what [`Store::apply`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub deleted: usize,
}

/// One entry of the append-only history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryRow {
    pub at: String,
    pub who: String,
    pub plan_id: Option<PlanId>,
    /// The table changed (plans, observations, assignments, …).
    pub table: String,
    /// "indicator:i3", "project:j2", … when the change concerns a plan subject.
    pub subject: Option<String>,
    pub key: String,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub why: Option<String>,
    /// The user account behind the change (`None`: the local administrator of a library
    /// without users, or a row written before schema version 7).
    pub user_id: Option<i64>,
}

/// Who does a change and why: stamped on every history row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor<'a> {
    pub who: &'a str,
    pub why: Option<&'a str>,
    /// The user account (`None`: a local administrator without an account).
    pub user_id: Option<i64>,
}

impl<'a> Actor<'a> {
    /// Someone without a user account (a library without users; tests; tools).
    pub const fn local(who: &'a str, why: Option<&'a str>) -> Actor<'a> {
        Actor {
            who,
            why,
            user_id: None,
        }
    }
}

/// A user's role ([`Membership`]): what the application layer's policy allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UserRole {
    /// Everything, users and restore included.
    Admin,
    /// 规划处: plans, links, assignments, values of every subject.
    Planner,
    /// 部门填报员: values and project status of the subjects assigned to its department.
    Editor,
    /// 审阅 (人大, researchers): reads everything, writes nothing.
    Reviewer,
}

impl UserRole {
    pub const ALL: [UserRole; 4] = [
        UserRole::Admin,
        UserRole::Planner,
        UserRole::Editor,
        UserRole::Reviewer,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            UserRole::Admin => "admin",
            UserRole::Planner => "planner",
            UserRole::Editor => "editor",
            UserRole::Reviewer => "reviewer",
        }
    }
    pub fn parse(s: &str) -> Option<UserRole> {
        UserRole::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }
}

/// A role held by a user (and, for an editor, the department it answers for).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Membership {
    pub role: UserRole,
    pub department: Option<String>,
}

/// A user as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub display: Option<String>,
    /// argon2id PHC string; never printed.
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub created_at: String,
    pub created_by: String,
    pub disabled: bool,
    pub memberships: Vec<Membership>,
}

/// A catalogue link decided for a new plan's indicator ([`rules::catalogue_links`]).
#[derive(Debug, Clone, PartialEq)]
pub struct NewLink {
    pub indicator: String,
    pub catalog_id: String,
    pub confidence: f64,
    /// exact | normalized | fuzzy
    pub reason: String,
}

/// A subject of a revised plan that is the same as a subject of its new version
/// ([`rules::carried_subjects`]): its department assignments, manual catalogue link and
/// yearly values are carried over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carried {
    pub kind: SubjectKind,
    /// The subject's id in the revised plan.
    pub from: String,
    /// Its id in the new version.
    pub to: String,
}

/// A plan to store, with everything the rules decided about it.
#[derive(Debug, Clone)]
pub struct NewPlan<'a> {
    pub plan: &'a Plan,
    pub source: &'a Source,
    /// The plan this one is the next version of.
    pub revises: Option<PlanId>,
    pub links: Vec<NewLink>,
    /// Subjects carried over from `revises` (empty without it).
    pub carry: Vec<Carried>,
}

/// The storage interface. Implementations must make [`Store::apply`] atomic and must
/// never overwrite without writing the old value to history.
///
/// A backend implements the primitives; the provided methods ([`Store::add_plan`],
/// [`Store::resolve`]) apply the library's rules ([`rules`]) on top of them, the same for
/// every backend.
pub trait Store: Send + Sync {
    /// Store a parsed plan. The same file (sha256) again is a no-op ([`Added::Duplicate`]).
    /// `revises` links the new plan as the next version of an earlier one; without it a
    /// plan with the same region, period and title as a current plan becomes its next
    /// version. Indicators are linked to the catalogue automatically; a new version
    /// inherits what people decided about the old one ([`rules::carried_subjects`]).
    fn add_plan(
        &self,
        plan: &Plan,
        source: &Source,
        revises: Option<PlanId>,
        actor: &Actor,
    ) -> Result<Added> {
        rules::add_plan(self, plan, source, revises, actor)
    }
    /// Insert a plan as decided ([`NewPlan`]), in one transaction that checks what it
    /// depends on: the same file again is [`Added::Duplicate`] (or, removed, comes back:
    /// [`Added::Restored`]); a revised plan that is missing is `NotFound`, one revised
    /// already a [`StoreError::Conflict`].
    fn insert_plan(&self, new: &NewPlan, actor: &Actor) -> Result<Added>;
    /// All plans not deleted, oldest first.
    fn plans(&self) -> Result<Vec<PlanRow>>;
    /// A plan by id, region name (its newest version) or unique prefix of region, title
    /// or sha256.
    fn resolve(&self, key: &str) -> Result<PlanRow> {
        rules::resolve(self.plans()?, key)
    }
    /// The plan as stored: the `guihua.plan/1` JSON contract object.
    fn plan_json(&self, id: PlanId) -> Result<serde_json::Value>;
    fn outline(&self, id: PlanId) -> Result<Vec<OutlineRow>>;
    fn indicators(&self, id: PlanId) -> Result<Vec<IndicatorRow>>;
    fn targets(&self, id: PlanId) -> Result<Vec<TargetRow>>;
    fn projects(&self, id: PlanId) -> Result<Vec<ProjectRow>>;
    /// Soft-delete a plan (it disappears from lists; its data stays).
    fn delete_plan(&self, id: PlanId, actor: &Actor) -> Result<()>;
    /// Manually link a plan indicator to a catalogue id, or (`None`) mark it as not in the
    /// catalogue. Manual links are never replaced automatically. `expected_revision` is the
    /// link's [`Link::revision`] the writer read (0: no link); another writer's change since
    /// is a [`StoreError::Conflict`].
    fn set_link(
        &self,
        id: PlanId,
        indicator: &str,
        catalog_id: Option<&str>,
        expected_revision: Option<i64>,
        actor: &Actor,
    ) -> Result<()>;
    /// Apply a batch of changes in one transaction: all of them or none.
    fn apply(&self, changes: &[Change], actor: &Actor) -> Result<Applied> {
        self.apply_with(changes, actor, &mut |_| {})
    }
    /// [`Store::apply`], calling `progress` with the number of changes applied so far
    /// (every 1,000 changes, inside the transaction).
    fn apply_with(
        &self,
        changes: &[Change],
        actor: &Actor,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Applied>;
    /// Live observations of a plan (or of all plans), ordered by plan, subject, year.
    fn observations(&self, plan: Option<PlanId>) -> Result<Vec<Observation>>;
    /// Add a department; `false` when it exists already.
    fn add_department(&self, name: &str, actor: &Actor) -> Result<bool>;
    /// Add a user (name unique; `password_hash` an argon2id PHC string or none).
    fn add_user(
        &self,
        name: &str,
        display: Option<&str>,
        password_hash: Option<&str>,
        actor: &Actor,
    ) -> Result<i64>;
    /// All users with their current memberships.
    fn users(&self) -> Result<Vec<UserRow>>;
    /// Give a user a role (an editor needs a department, created if new). Granting a role
    /// held already is a no-op (`false`).
    fn grant(
        &self,
        user: &str,
        role: UserRole,
        department: Option<&str>,
        actor: &Actor,
    ) -> Result<bool>;
    /// Take a role away (the membership is kept as revoked). `false` when not held.
    fn revoke(
        &self,
        user: &str,
        role: UserRole,
        department: Option<&str>,
        actor: &Actor,
    ) -> Result<bool>;
    fn departments(&self) -> Result<Vec<String>>;
    fn assignments(&self, plan: PlanId) -> Result<Vec<Assignment>>;
    fn project_statuses(&self, plan: PlanId) -> Result<Vec<ProjectStatus>>;
    /// History of a plan, optionally of one subject ("indicator:i3"), oldest first.
    fn history(&self, plan: PlanId, subject: Option<&str>) -> Result<Vec<HistoryRow>>;
    /// Write a consistent snapshot to `to` while the store stays in use.
    fn backup(&self, to: &Path) -> Result<()>;
    /// Replace the whole store with a snapshot made by [`Store::backup`], refusing while
    /// anything writes. The replaced store is kept (the returned path) and the restore is
    /// written to the history.
    fn restore(&self, from: &Path, actor: &Actor) -> Result<std::path::PathBuf>;
}

/// Format a number for history and exports: whole numbers without ".0".
pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Open (creating if needed) the library kept in `dir`: what every front end calls, so
/// none of them names a backend. Today the one backend is SQLite (`dir/guihua.sqlite`).
pub fn open_dir(dir: &Path) -> Result<Box<dyn Store>> {
    Ok(Box::new(SqliteStore::open_dir(dir)?))
}
