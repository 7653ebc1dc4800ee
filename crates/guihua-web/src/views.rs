//! The pages: askama templates (compiled into the binary, every value HTML-escaped unless
//! marked `safe` — only the SVG charts drawn by the report crate, which escapes its own
//! text) and the display rows handlers fill. Rows hold display strings, so a template
//! decides layout only.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use guihua_eval::Status;
use guihua_store::UserRole;

use crate::ctx::Ctx;

/// Percent-encode a query value.
pub fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A number as the plan prints it: whole numbers without ".0".
pub fn num(v: f64) -> String {
    guihua_store::fmt_num((v * 10_000.0).round() / 10_000.0)
}

/// What every page's frame needs: language, who is signed in, the form token.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub en: bool,
    pub user: Option<String>,
    pub roles: String,
    pub form_token: String,
    pub path: String,
    pub planner: bool,
}

impl Chrome {
    pub fn of(c: &Ctx) -> Chrome {
        let (user, roles, planner) = match &c.user {
            Some(guihua_app::policy::Principal::User(u)) => (
                Some(u.display.clone().unwrap_or_else(|| u.name.clone())),
                u.memberships
                    .iter()
                    .map(|m| guihua_store::Membership::label(m.role, m.department.as_deref()))
                    .collect::<Vec<_>>()
                    .join(", "),
                u.memberships
                    .iter()
                    .any(|m| matches!(m.role, UserRole::Admin | UserRole::Planner)),
            ),
            Some(p) => (Some(p.name().to_string()), "admin".into(), true),
            None => (None, String::new(), false),
        };
        Chrome {
            en: c.en,
            user,
            roles,
            form_token: c.form_token.clone(),
            path: c.path.clone(),
            planner,
        }
    }
    pub fn anonymous(en: bool) -> Chrome {
        Chrome {
            en,
            user: None,
            roles: String::new(),
            form_token: String::new(),
            path: "/".into(),
            planner: false,
        }
    }
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        if self.en {
            en
        } else {
            zh
        }
    }
    pub fn lang(&self) -> &'static str {
        if self.en {
            "en"
        } else {
            "zh-CN"
        }
    }
    pub fn here(&self) -> String {
        url_encode(&self.path)
    }
}

/// A status as a coloured label.
#[derive(Debug, Clone)]
pub struct StatusView {
    pub class: &'static str,
    pub label: String,
}

impl StatusView {
    pub fn of(en: bool, s: Option<Status>) -> StatusView {
        match s {
            Some(s) => StatusView {
                class: match s {
                    Status::Achieved => "s-achieved",
                    Status::Ahead => "s-ahead",
                    Status::OnTrack => "s-on_track",
                    Status::Lagging => "s-lagging",
                    Status::SeverelyLagging => "s-severely_lagging",
                    Status::NotAssessable => "s-not_assessable",
                },
                label: if en { s.en() } else { s.zh() }.to_string(),
            },
            None => StatusView {
                class: "s-none",
                label: if en {
                    "not yet evaluated"
                } else {
                    "尚未发布评估"
                }
                .to_string(),
            },
        }
    }
}

#[derive(Debug, Clone)]
pub struct StatusCount {
    pub status: StatusView,
    pub n: usize,
}

pub fn counts(en: bool, summary: &[(Status, usize)]) -> Vec<StatusCount> {
    summary
        .iter()
        .map(|(s, n)| StatusCount {
            status: StatusView::of(en, Some(*s)),
            n: *n,
        })
        .collect()
}

macro_rules! page {
    ($($t:ty),*) => {$(
        impl IntoResponse for $t {
            fn into_response(self) -> Response {
                match self.render() {
                    Ok(html) => Html(html).into_response(),
                    Err(e) => {
                        eprintln!("guihua serve: template {}: {e}", stringify!($t));
                        (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
                    }
                }
            }
        }
    )*};
}

page!(
    MessagePage,
    PlansPage,
    PlanPage,
    IndicatorPage,
    OpenDataPage,
    ComparePage,
    LoginPage,
    StaffHome,
    SubmissionPage,
    RoundPage,
    StaffPlanPage,
    QueuePage,
    TextPage,
    SubjectPage,
    RemarksPage,
    SearchPage
);

/// One line of a plan's text.
#[derive(Debug, Clone)]
pub struct TextLine {
    pub n: usize,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct RemarkView {
    pub body: String,
    pub author: String,
    pub at: String,
    /// The release it is about, if any.
    pub about: String,
}

#[derive(Template)]
#[template(path = "remarks.html")]
pub struct RemarksPage {
    pub chrome: Chrome,
    pub id: i64,
    pub name: String,
    pub remarks: Vec<RemarkView>,
    pub releases: Vec<(i64, String)>,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "subject.html")]
pub struct SubjectPage {
    pub chrome: Chrome,
    pub plan_id: i64,
    pub plan_name: String,
    /// "target" or "project" (the comment form's subject).
    pub kind: String,
    /// 目标 / 项目 in the page's language.
    pub what: String,
    pub id: String,
    pub name: String,
    pub line: u32,
    pub text_href: String,
    pub comments: Vec<CommentView>,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "text.html")]
pub struct TextPage {
    pub chrome: Chrome,
    pub id: i64,
    pub name: String,
    pub title: String,
    pub file: String,
    pub lines: Vec<TextLine>,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub chrome: Chrome,
    pub query: String,
    pub kind: String,
    pub period: String,
    pub plan: String,
    /// A query was asked (else: the form only).
    pub searched: bool,
    pub total: usize,
    /// There are at least `total` hits (counting stopped at the limit).
    pub at_least: bool,
    pub first: usize,
    pub last: usize,
    pub hits: Vec<HitView>,
    pub notes: Vec<String>,
    pub prev: Option<String>,
    pub next: Option<String>,
}

/// One hit as shown: display strings and links.
pub struct HitView {
    pub plan: String,
    pub plan_href: String,
    pub kind: String,
    pub subject: String,
    pub location: String,
    pub line: u32,
    /// The line in the plan's text (empty: not public, or no line).
    pub line_href: String,
    /// Where the hit itself is shown.
    pub href: String,
    /// HTML: escaped text with the terms in `<mark>`.
    pub snippet: String,
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub chrome: Chrome,
    pub title: String,
    pub message: String,
    pub back: Option<String>,
}

impl MessagePage {
    pub fn error(en: bool, status: StatusCode, message: &str) -> MessagePage {
        let title = match (status.as_u16(), en) {
            (404, false) => "未找到",
            (404, true) => "Not found",
            (403, false) => "无权访问",
            (403, true) => "Not allowed",
            (409, false) => "数据已被他人修改",
            (409, true) => "Changed meanwhile",
            (429, false) => "请求过于频繁",
            (429, true) => "Too many requests",
            (_, false) => "无法完成",
            (_, true) => "Cannot do that",
        };
        MessagePage {
            chrome: Chrome::anonymous(en),
            title: title.into(),
            message: message.into(),
            back: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Card {
    pub id: i64,
    pub href: String,
    pub name: String,
    pub title: String,
    pub period: String,
    pub release: String,
    pub summary: Vec<StatusCount>,
}

#[derive(Template)]
#[template(path = "plans.html")]
pub struct PlansPage {
    pub chrome: Chrome,
    pub cards: Vec<Card>,
}

#[derive(Debug, Clone)]
pub struct IndicatorRowView {
    pub href: String,
    pub seq: String,
    pub category: String,
    pub name: String,
    pub unit: String,
    pub attribute: String,
    pub base: String,
    pub target: String,
    pub latest: String,
    pub status: StatusView,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct TargetView {
    pub id: String,
    pub text: String,
    pub line: u32,
    pub status: StatusView,
}

#[derive(Debug, Clone)]
pub struct HeadingView {
    pub indent: usize,
    pub level: String,
    pub title: String,
    pub line: u32,
    pub targets: Vec<TargetView>,
}

#[derive(Debug, Clone)]
pub struct ProjectView {
    pub id: String,
    pub name: String,
    pub group: String,
    pub investment: String,
    pub status: String,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct ReleaseView {
    pub id: i64,
    pub label: String,
    pub state: String,
    pub public: bool,
    pub withdrawn: bool,
}

#[derive(Debug, Clone)]
pub struct CommentView {
    pub id: i64,
    pub author: String,
    pub at: String,
    pub body: String,
    pub about: String,
    pub contact: String,
}

#[derive(Template)]
#[template(path = "plan.html")]
pub struct PlanPage {
    pub chrome: Chrome,
    pub id: i64,
    /// "/plans/{id}/text#L" when the text is kept (a line number follows), else empty.
    pub text_href: String,
    pub name: String,
    pub title: String,
    pub period: String,
    pub release: String,
    pub summary: Vec<StatusCount>,
    pub indicators: Vec<IndicatorRowView>,
    pub headings: Vec<HeadingView>,
    pub projects: Vec<ProjectView>,
    pub releases: Vec<ReleaseView>,
    pub comments: Vec<CommentView>,
    pub ratings: [(String, u64); 3],
    pub notice: Option<String>,
}

#[derive(Debug, Clone)]
pub struct AcrossView {
    pub year: i32,
    pub value: String,
    /// The plan the value is stored under (its period), and a link to its page.
    pub plan: String,
    pub href: String,
    pub stated: String,
}

#[derive(Debug, Clone)]
pub struct SeriesRow {
    pub year: i32,
    pub value: String,
    pub planned: String,
    pub source: String,
}

#[derive(Template)]
#[template(path = "indicator.html")]
pub struct IndicatorPage {
    pub chrome: Chrome,
    pub plan_id: i64,
    /// "/plans/{id}/text#L" when the text is kept, else empty.
    pub text_href: String,
    pub plan_name: String,
    pub id: String,
    pub name: String,
    pub name_other: String,
    pub unit: String,
    pub attribute: String,
    pub base: String,
    pub target: String,
    pub line: u32,
    pub chart: String,
    pub rows: Vec<SeriesRow>,
    /// The series across this plan and the same region's adjoining plan (empty: none).
    pub across: Vec<AcrossView>,
    /// "示例县 2021–2025 → 2026–2030".
    pub across_title: String,
    pub status: StatusView,
    pub reason: String,
    pub verdict_year: String,
    pub comments: Vec<CommentView>,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "open_data.html")]
pub struct OpenDataPage {
    pub chrome: Chrome,
    pub plans: Vec<Card>,
}

#[derive(Debug, Clone)]
pub struct CompareRow {
    pub href: String,
    pub plan: String,
    pub name: String,
    pub base: String,
    pub target: String,
    pub latest: String,
    pub status: StatusView,
}

#[derive(Template)]
#[template(path = "compare.html")]
pub struct ComparePage {
    pub chrome: Chrome,
    pub indicator: String,
    pub choices: Vec<(String, String)>,
    pub rows: Vec<CompareRow>,
    pub searched: bool,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub chrome: Chrome,
    pub next: String,
    pub error: Option<String>,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct SubmissionRow {
    pub href: String,
    pub plan: String,
    pub year: i32,
    pub department: String,
    pub state: String,
    pub deadline: String,
    pub overdue: bool,
    pub round_href: String,
}

#[derive(Debug, Clone)]
pub struct PlanAdminRow {
    pub href: String,
    pub name: String,
    pub published: bool,
}

#[derive(Template)]
#[template(path = "staff.html")]
pub struct StaffHome {
    pub chrome: Chrome,
    pub submissions: Vec<SubmissionRow>,
    pub plans: Vec<PlanAdminRow>,
    /// Plans whose internal remarks this person may read and write.
    pub remark_plans: Vec<PlanAdminRow>,
    pub pending: usize,
    pub notice: Option<String>,
}

#[derive(Debug, Clone)]
pub struct TaskView {
    pub key: String,
    pub name: String,
    pub unit: String,
    pub role: String,
    pub last: String,
    pub stored: String,
    pub value: String,
    pub source: String,
    pub progress: String,
    pub confirmed: bool,
}

#[derive(Template)]
#[template(path = "submission.html")]
pub struct SubmissionPage {
    pub chrome: Chrome,
    pub id: i64,
    pub plan: String,
    pub year: i32,
    pub department: String,
    pub state: String,
    pub deadline: String,
    pub overdue: bool,
    pub revision: i64,
    pub editable: bool,
    pub can_edit: bool,
    pub can_decide: bool,
    pub decision_note: String,
    pub tasks: Vec<TaskView>,
    pub error: Option<String>,
    pub warning: Option<String>,
    pub notice: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RoundSubmissionView {
    pub href: String,
    pub department: String,
    pub state: String,
    pub submitted: String,
    pub decided: String,
    pub note: String,
    pub overdue: bool,
    pub values: usize,
}

#[derive(Template)]
#[template(path = "round.html")]
pub struct RoundPage {
    pub chrome: Chrome,
    pub id: i64,
    pub plan: String,
    pub plan_href: String,
    pub year: i32,
    pub deadline: String,
    pub closed: bool,
    pub submissions: Vec<RoundSubmissionView>,
    pub overdue: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct RoundView {
    pub href: String,
    pub year: i32,
    pub deadline: String,
    pub state: String,
}

#[derive(Template)]
#[template(path = "staff_plan.html")]
pub struct StaffPlanPage {
    pub chrome: Chrome,
    pub id: i64,
    pub name: String,
    pub published: bool,
    pub releases: Vec<ReleaseView>,
    pub rounds: Vec<RoundView>,
    pub departments: String,
    pub year: i32,
    pub deadline: String,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "queue.html")]
pub struct QueuePage {
    pub chrome: Chrome,
    pub comments: Vec<CommentView>,
    pub notice: Option<String>,
}
