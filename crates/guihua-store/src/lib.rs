//! The plan library: plans, their monitoring data, responsibilities and project progress.
//!
//! Everything outside this crate talks to the [`Store`] trait only ([`open`] chooses the
//! backend). One implementation, [`SqlStore`], runs the same statements on two backends
//! through a small SQL interface ([`sql`]): SQLite (an embedded file, WAL journal, foreign
//! keys on) and PostgreSQL (a database shared by several servers). Migrations are versioned
//! the same in both dialects (`migrations/*.sql`, `migrations/postgres/*.sql`).
//!
//! Two promises shape the API:
//! * **Nothing is lost.** Plans are immutable (a revision is a new, linked version);
//!   observations, assignments and project status are soft-deleted; every change writes
//!   who, when, old → new and why into an append-only history.
//! * **All or nothing.** [`Store::apply`] takes a whole batch of changes (an import file)
//!   and commits it in one transaction; a failure — or a killed process — leaves the store
//!   exactly as before.

use std::path::Path;

use guihua_contract::Source;
use guihua_model::Plan;

pub mod copy;
mod postgres;
pub mod rules;
pub mod sql;
mod sqlite;

// The library's row types are part of the public contract (their JSON is what
// `guihua list/show … --json` print): they live in the contract crate.
pub use guihua_contract::library::{
    Added, AnnualTarget, ApiToken, Applied, Assignment, CommentRow, CommentState, CommentSubject,
    HistoryRow, IndicatorRow, Link, Membership, NewComment, Observation, OutlineRow, PlanId,
    PlanRow, ProjectRow, ProjectStatus, Rating, RatingCounts, Release, ReleasePart, Remark, Role,
    RoundRow, SessionRow, SubjectKind, Submission, SubmissionItem, SubmissionState, TargetRow,
    UserRole, UserRow, PROJECT_STATUSES,
};

pub use sqlite::{SqlStore, SqlStore as SqliteStore};

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
    /// Too many requests from one sender in a window (comments): nothing was written.
    #[error("{0}")]
    Limited(String),
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

impl Change {
    /// The plan the change writes to.
    pub fn plan_id(&self) -> PlanId {
        match self {
            Change::Observe { plan_id, .. }
            | Change::Unobserve { plan_id, .. }
            | Change::Assign { plan_id, .. }
            | Change::Unassign { plan_id, .. } => *plan_id,
            Change::ProjectStatus { status, .. } => status.plan_id,
        }
    }
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
    /// `revises` was found by identity (same region, title and period), not named: the
    /// backend confirms inside its transaction that the current plan of that identity is
    /// still `revises` (none when `None`) and not revised yet, else it answers
    /// [`IDENTITY_CHANGED`] and the rules decide again.
    pub by_identity: bool,
    pub links: Vec<NewLink>,
    /// Subjects carried over from `revises` (empty without it).
    pub carry: Vec<Carried>,
}

/// The conflict a backend reports when the current plan of a new plan's identity changed
/// between the rules' decision and the backend's transaction (another writer added a
/// version at the same moment). [`Store::add_plan`] decides again.
pub const IDENTITY_CHANGED: &str = "another version of this plan was added at the same time";

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
    /// The plans not deleted whose region, title and period are exactly these: what
    /// [`rules::revised_by_identity`] chooses from when a plan is added. A narrowed
    /// [`Store::plans`]; a backend answers it from an index so adding the thousandth plan
    /// does not list the other 999.
    fn plans_with_identity(
        &self,
        region: Option<&str>,
        title: Option<&str>,
        period: Option<(i32, i32)>,
    ) -> Result<Vec<PlanRow>> {
        Ok(self
            .plans()?
            .into_iter()
            .filter(|p| {
                p.region.as_deref() == region && p.title.as_deref() == title && p.period == period
            })
            .collect())
    }
    /// One plan (not deleted) by its id. A narrowed [`Store::plans`] a backend answers
    /// from its key, for callers that need a few plans out of many (search hits).
    fn plan(&self, id: PlanId) -> Result<PlanRow> {
        self.plans()?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("no plan with id {id}")))
    }
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

    // ----- Publication (the portal shows published plans and releases only) -----

    /// Publish (`true`) or withdraw a plan from the public portal; `false` when it already
    /// was in that state. Written to the history.
    fn set_published(&self, plan: PlanId, published: bool, actor: &Actor) -> Result<bool>;
    /// The plans published now, in the order they were published.
    fn published_plans(&self) -> Result<Vec<PlanId>>;
    /// A number that changes whenever anything a public page shows changes (plans, their
    /// parts and links, observations, assignments, project status, publication, releases,
    /// comments, ratings), whichever process wrote it. Equal numbers mean nothing a public
    /// page shows changed in between: caches of rendered pages are kept while it holds.
    fn content_version(&self) -> Result<i64>;
    /// Keep an annual target (replacing the one of that indicator and year, with history);
    /// `false` when the same target was stored already.
    fn set_annual_target(&self, t: &AnnualTarget, actor: &Actor) -> Result<bool>;
    /// Remove an annual target (kept in the history); `false` when there was none.
    fn remove_annual_target(
        &self,
        plan: PlanId,
        indicator: &str,
        year: i32,
        actor: &Actor,
    ) -> Result<bool>;
    /// A plan's live annual targets, by year then indicator.
    fn annual_targets(&self, plan: PlanId) -> Result<Vec<AnnualTarget>>;
    /// Keep an internal remark on a plan (or one of its releases); answers its id.
    fn add_remark(
        &self,
        plan: PlanId,
        release: Option<i64>,
        body: &str,
        actor: &Actor,
    ) -> Result<i64>;
    /// A plan's internal remarks, oldest first.
    fn remarks(&self, plan: PlanId) -> Result<Vec<Remark>>;
    /// Keep the text of a plan as read (line *n* is element *n − 1*), replacing any kept.
    fn set_plan_text(&self, plan: PlanId, lines: &[String]) -> Result<()>;
    /// Whether a text is kept for the plan (without reading it).
    fn has_plan_text(&self, plan: PlanId) -> Result<bool>;
    /// The kept text of a plan; `None` when none was kept (plans added before schema 11).
    fn plan_text(&self, plan: PlanId) -> Result<Option<Vec<String>>>;

    // ----- API tokens (scripts act as a user) -----

    /// Keep an API token (its hash) for a user; answers its id.
    fn add_api_token(
        &self,
        user_id: i64,
        token_hash: &str,
        label: &str,
        actor: &Actor,
    ) -> Result<i64>;
    /// The user a live (not revoked) token acts as; notes the time it was used.
    fn api_token_user(&self, token_hash: &str) -> Result<Option<i64>>;
    /// Every token, revoked ones too, oldest first (never the token itself).
    fn api_tokens(&self) -> Result<Vec<ApiToken>>;
    /// Revoke a token; `false` when it was revoked already. `NotFound` for an unknown id.
    fn revoke_api_token(&self, id: i64, actor: &Actor) -> Result<bool>;
    /// Keep an evaluation as run (draft, not public): its document, narrative and report.
    fn add_release(&self, release: &NewRelease, actor: &Actor) -> Result<i64>;
    /// A plan's releases, newest first (all of them: drafts, published, withdrawn).
    fn releases(&self, plan: PlanId) -> Result<Vec<Release>>;
    /// One release with one of its parts as bytes.
    fn release_part(&self, id: i64, part: ReleasePart) -> Result<(Release, Vec<u8>)>;
    /// Publish or withdraw a release (a withdrawn release stays withdrawn: publish a new
    /// one). Written to the history.
    fn set_release_published(&self, id: i64, published: bool, actor: &Actor) -> Result<()>;

    // ----- Staff sessions -----

    /// Store a session for `user_id` under the hash of its cookie token, valid for `ttl`
    /// seconds from now by the store's clock.
    fn add_session(&self, token_hash: &str, user_id: i64, csrf: &str, ttl: i64) -> Result<()>;
    /// A live session (not ended, not expired), if any.
    fn session(&self, token_hash: &str) -> Result<Option<SessionRow>>;
    /// End a session (logout); ending an unknown one is not an error.
    fn end_session(&self, token_hash: &str) -> Result<()>;

    // ----- Public comments and ratings (公众评价) -----

    /// Queue a public comment for moderation. More than `per_hour` comments from one
    /// address in the last hour is [`StoreError::Limited`] (counted inside the write
    /// transaction, so parallel requests cannot slip past it).
    fn add_comment(&self, comment: &NewComment, per_hour: u32) -> Result<i64>;
    /// Comments of a plan (or of all plans) in a state (or all), oldest first.
    fn comments(
        &self,
        plan: Option<PlanId>,
        state: Option<CommentState>,
    ) -> Result<Vec<CommentRow>>;
    /// Publish or reject a pending comment (a reason is required to reject). Moderating a
    /// comment that is no longer pending is a [`StoreError::Conflict`].
    fn moderate(&self, id: i64, publish: bool, reason: Option<&str>, actor: &Actor) -> Result<()>;
    /// Record one address's rating of a plan; `false` when that address rated it already
    /// (the first rating counts).
    fn rate(&self, plan: PlanId, rating: Rating, address: &str) -> Result<bool>;
    fn ratings(&self, plan: PlanId) -> Result<RatingCounts>;

    // ----- Data collection rounds (年度填报) -----

    /// Open a round for a plan's year with a deadline (YYYY-MM-DD), one submission per
    /// department (created if new). One open round per plan and year.
    fn open_round(
        &self,
        plan: PlanId,
        year: i32,
        deadline: &str,
        departments: &[String],
        actor: &Actor,
    ) -> Result<i64>;
    /// Rounds of a plan (or of all plans), newest first.
    fn rounds(&self, plan: Option<PlanId>) -> Result<Vec<RoundRow>>;
    /// Close a round: nothing more can be saved, submitted or decided in it.
    fn close_round(&self, id: i64, actor: &Actor) -> Result<()>;
    /// A round's submissions with their items, by department name.
    fn submissions(&self, round: i64) -> Result<Vec<Submission>>;
    /// Save a department's values (each replaces the item of its subject; a `None` value
    /// clears it) while the submission is editable and at `expected_revision`; answers the
    /// new revision.
    fn save_items(
        &self,
        submission: i64,
        items: &[SubmissionItem],
        expected_revision: i64,
        actor: &Actor,
    ) -> Result<i64>;
    /// Hand in a submission (open or returned → submitted).
    fn submit(&self, submission: i64, expected_revision: i64, actor: &Actor) -> Result<()>;
    /// The planner's decision on a submitted submission: approving writes its values as
    /// observations (source and progress note kept, the old values in the history) in the
    /// same transaction; returning sends it back with `note`.
    fn decide(
        &self,
        submission: i64,
        approve: bool,
        note: Option<&str>,
        expected_revision: i64,
        actor: &Actor,
    ) -> Result<Applied>;
}

/// An evaluation release to keep ([`Store::add_release`]).
#[derive(Debug, Clone)]
pub struct NewRelease<'a> {
    pub plan_id: PlanId,
    pub year: i32,
    /// annual | midterm | final
    pub kind: &'a str,
    /// The `guihua.evaluation/1` JSON.
    pub document: &'a [u8],
    pub narrative: Option<&'a str>,
    pub html: &'a [u8],
    pub docx: &'a [u8],
}

/// Format a number for history and exports: whole numbers without ".0".
pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Open (creating if needed) the library kept in `dir` (SQLite, `dir/guihua.sqlite`).
pub fn open_dir(dir: &Path) -> Result<Box<dyn Store>> {
    Ok(Box::new(SqliteStore::open_dir(dir)?))
}

/// Whether `s` names a PostgreSQL database (`postgres://…` or `postgresql://…`).
pub fn is_postgres_url(s: &str) -> bool {
    s.starts_with("postgres://") || s.starts_with("postgresql://")
}

/// A PostgreSQL address naming another database on the same server:
/// `postgresql://u@h/db?x` → `postgresql://u@h/NAME?x` (tests and benchmarks make a
/// database of their own this way).
pub fn with_database(url: &str, name: &str) -> String {
    let start = url.find("://").map(|i| i + 3).unwrap_or(0);
    let path = url[start..].find('/').map(|i| start + i);
    match (path, url.find('?')) {
        (Some(p), Some(q)) if p < q => format!("{}/{name}{}", &url[..p], &url[q..]),
        (Some(p), None) => format!("{}/{name}", &url[..p]),
        (None, Some(q)) => format!("{}/{name}{}", &url[..q], &url[q..]),
        _ => format!("{url}/{name}"),
    }
}

/// Open the library a front end was pointed at: the PostgreSQL database `database` names
/// when given, else the SQLite library in `dir`. What every front end calls, so none of
/// them names a backend.
pub fn open(database: Option<&str>, dir: &Path) -> Result<Box<dyn Store>> {
    Ok(Box::new(open_sql(database, dir)?))
}

/// [`open`], as the SQL store itself (for what only it does: copying a whole library).
pub fn open_sql(database: Option<&str>, dir: &Path) -> Result<SqlStore> {
    match database.map(str::trim).filter(|d| !d.is_empty()) {
        Some(url) if is_postgres_url(url) => SqlStore::connect(url),
        Some(other) => Err(StoreError::Invalid(format!(
            "--database {other:?} is not a PostgreSQL address (postgres://user@host/database); \
             a SQLite library is chosen with --data DIR"
        ))),
        None => SqlStore::open_dir(dir),
    }
}

/// A name for the library a front end opened, unique per database (for derived files
/// kept beside it, like the search index): "sqlite" or "postgres-" and a hash of the
/// address without its password.
pub fn library_key(database: Option<&str>) -> String {
    match database.map(str::trim).filter(|d| !d.is_empty()) {
        None => "sqlite".into(),
        Some(url) => {
            // FNV-1a: a stable short name, not a secret.
            let mut h: u64 = 0xcbf29ce484222325;
            for b in sqlite::redact(url).bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x100000001b3);
            }
            format!("postgres-{h:016x}")
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn another_database_on_the_same_server() {
        use super::with_database as w;
        assert_eq!(
            w("postgresql://g@/guihua?host=/tmp/pg", "t1"),
            "postgresql://g@/t1?host=/tmp/pg"
        );
        assert_eq!(
            w("postgres://g:pw@db:5432/guihua", "t1"),
            "postgres://g:pw@db:5432/t1"
        );
        assert_eq!(
            w("postgres://db?sslmode=disable", "t1"),
            "postgres://db/t1?sslmode=disable"
        );
        assert_eq!(w("postgres://db", "t1"), "postgres://db/t1");
    }
}
