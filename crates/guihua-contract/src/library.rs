//! The library's rows as front ends receive them (and print them with `--json`): plans,
//! their indicators, targets, projects and outline, yearly values, assignments, project
//! status, history, users. The store returns these types; their field names are the JSON
//! names, so they live here with the other published shapes. Fields may be added, never
//! renamed or dropped.

use std::fmt;

use serde::Serialize;

/// A plan's id in the library.
pub type PlanId = i64;

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
    /// 1 when first linked, one more with every change (see `Store::set_link` in guihua-store).
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
    /// revision it expects in `Change::ProjectStatus`).
    pub revision: i64,
}

/// Counts of what `Store::apply` did.
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

impl Membership {
    /// How a role is written in listings and the history: "planner", "editor@林草局".
    pub fn label(role: UserRole, department: Option<&str>) -> String {
        match department {
            Some(d) => format!("{}@{d}", role.as_str()),
            None => role.as_str().to_string(),
        }
    }
}

/// An annual target (年度目标) of one indicator: the cell as the annual plan or the
/// government work report writes it ("6%左右", "5.5%以内"), with where it was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnnualTarget {
    pub plan_id: PlanId,
    pub indicator_id: String,
    pub year: i32,
    pub cell: String,
    /// The document it was read from ("2026年政府工作报告").
    pub source: Option<String>,
    /// Its line in that document.
    pub line: Option<u32>,
    /// Who entered it and when (as stored; ignored when writing).
    pub entered_by: String,
    pub entered_at: String,
}

/// An internal remark (内部意见) of a reviewer or planner: staff only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Remark {
    pub id: i64,
    pub plan_id: PlanId,
    /// The release it is about, if any.
    pub release_id: Option<i64>,
    pub body: String,
    pub author: String,
    pub at: String,
}

/// An API token as stored (its hash is never read back).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    /// The user's name.
    pub user: String,
    pub label: String,
    pub created_at: String,
    pub created_by: String,
    pub last_used: Option<String>,
    pub revoked_at: Option<String>,
    pub revoked_by: Option<String>,
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

/// A published or draft evaluation release (评估报告): an evaluation run for a year, kept
/// as it was run (its `guihua.evaluation/1` document and the rendered report), reviewed,
/// and published on the portal. What was published never changes afterwards; a
/// correction is a new release.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Release {
    pub id: i64,
    pub plan_id: PlanId,
    pub year: i32,
    /// annual | midterm | final
    pub kind: String,
    pub narrative: Option<String>,
    pub created_at: String,
    pub created_by: String,
    pub published_at: Option<String>,
    pub published_by: Option<String>,
    pub withdrawn_at: Option<String>,
}

impl Release {
    /// Published and not withdrawn: what the portal shows.
    pub fn is_public(&self) -> bool {
        self.published_at.is_some() && self.withdrawn_at.is_none()
    }
}

/// The parts of a [`Release`] kept as bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReleasePart {
    /// The `guihua.evaluation/1` JSON.
    Document,
    Html,
    Docx,
}

/// A staff login session as stored (the cookie carries a token; the store keeps only its
/// hash).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRow {
    pub user_id: i64,
    /// The form token bound to this session.
    pub csrf: String,
    pub expires_at: String,
}

/// What a public comment (公众评价) is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentSubject {
    Plan,
    Indicator,
    Target,
    Project,
}

impl CommentSubject {
    pub const ALL: [CommentSubject; 4] = [
        CommentSubject::Plan,
        CommentSubject::Indicator,
        CommentSubject::Target,
        CommentSubject::Project,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            CommentSubject::Plan => "plan",
            CommentSubject::Indicator => "indicator",
            CommentSubject::Target => "target",
            CommentSubject::Project => "project",
        }
    }
    pub fn parse(s: &str) -> Option<CommentSubject> {
        CommentSubject::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Where a comment stands in moderation (先审后发).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentState {
    Pending,
    Published,
    Rejected,
}

impl CommentState {
    pub const ALL: [CommentState; 3] = [
        CommentState::Pending,
        CommentState::Published,
        CommentState::Rejected,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            CommentState::Pending => "pending",
            CommentState::Published => "published",
            CommentState::Rejected => "rejected",
        }
    }
    pub fn parse(s: &str) -> Option<CommentState> {
        CommentState::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// A public comment as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommentRow {
    pub id: i64,
    pub plan_id: PlanId,
    pub subject: CommentSubject,
    /// The indicator, target or project id (none for the plan itself).
    pub subject_id: Option<String>,
    pub body: String,
    /// The name the commenter chose to show, if any.
    pub author: Option<String>,
    /// Phone or email for a reply: for staff only, never published or exported.
    #[serde(skip)]
    pub contact: Option<String>,
    pub submitted_at: String,
    pub state: CommentState,
    pub moderated_at: Option<String>,
    pub moderated_by: Option<String>,
    /// Why a comment was rejected (for staff).
    pub reason: Option<String>,
}

/// A public comment to store: it waits in the moderation queue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewComment<'a> {
    pub plan_id: PlanId,
    pub subject: CommentSubject,
    pub subject_id: Option<&'a str>,
    pub body: &'a str,
    pub author: Option<&'a str>,
    pub contact: Option<&'a str>,
    /// The sender's address, pseudonymised by the front end (a keyed hash): the rate limit
    /// counts by it; it is never shown.
    pub address: &'a str,
}

/// The public rating of a plan (满意 / 基本满意 / 不满意).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Satisfied,
    Fair,
    Dissatisfied,
}

impl Rating {
    pub const ALL: [Rating; 3] = [Rating::Satisfied, Rating::Fair, Rating::Dissatisfied];
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Satisfied => "satisfied",
            Rating::Fair => "fair",
            Rating::Dissatisfied => "dissatisfied",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Rating::Satisfied => "满意",
            Rating::Fair => "基本满意",
            Rating::Dissatisfied => "不满意",
        }
    }
    pub fn parse(s: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A plan's rating counts, published as they are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RatingCounts {
    pub satisfied: u64,
    pub fair: u64,
    pub dissatisfied: u64,
}

/// A data collection round (年度填报): a plan, a year, a deadline and the departments
/// asked, each with its [`Submission`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundRow {
    pub id: i64,
    pub plan_id: PlanId,
    pub year: i32,
    /// YYYY-MM-DD
    pub deadline: String,
    pub opened_at: String,
    pub opened_by: String,
    pub closed_at: Option<String>,
}

/// Where a department's submission stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionState {
    /// Being filled in.
    Open,
    /// Handed in; waits for the planner.
    Submitted,
    /// Approved: its values are observations.
    Approved,
    /// Returned with a note; to be corrected and submitted again.
    Returned,
}

impl SubmissionState {
    pub const ALL: [SubmissionState; 4] = [
        SubmissionState::Open,
        SubmissionState::Submitted,
        SubmissionState::Approved,
        SubmissionState::Returned,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionState::Open => "open",
            SubmissionState::Submitted => "submitted",
            SubmissionState::Approved => "approved",
            SubmissionState::Returned => "returned",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            SubmissionState::Open => "填报中",
            SubmissionState::Submitted => "已报送",
            SubmissionState::Approved => "已审核",
            SubmissionState::Returned => "已退回",
        }
    }
    pub fn parse(s: &str) -> Option<SubmissionState> {
        SubmissionState::ALL.into_iter().find(|c| c.as_str() == s)
    }
    /// Can the department still change its values?
    pub fn editable(self) -> bool {
        matches!(self, SubmissionState::Open | SubmissionState::Returned)
    }
}

/// One department's answer in a round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Submission {
    pub id: i64,
    pub round_id: i64,
    pub department: String,
    pub state: SubmissionState,
    pub submitted_at: Option<String>,
    pub submitted_by: Option<String>,
    pub decided_at: Option<String>,
    pub decided_by: Option<String>,
    /// The planner's note when returning or approving.
    pub decision_note: Option<String>,
    /// One more with every change: a form states the revision it showed.
    pub revision: i64,
    pub items: Vec<SubmissionItem>,
}

/// A value a department entered in a round (not yet an observation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubmissionItem {
    pub kind: SubjectKind,
    pub subject_id: String,
    pub value: Option<f64>,
    pub source: Option<String>,
    /// 进展情况: the written progress note.
    pub progress: Option<String>,
    /// The writer confirmed a plausibility warning for this value.
    pub confirmed: bool,
}
