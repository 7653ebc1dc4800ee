//! Public comments and ratings (公众评价): anyone may comment on a published plan or one of
//! its indicators, targets or projects; a comment waits in a queue until a planner
//! publishes it or rejects it with a reason (先审后发). The contact a commenter leaves
//! (phone or email, optional) is for staff only. Ratings (满意 / 基本满意 / 不满意) count one
//! per address and are published as counted.

use std::collections::HashMap;

use guihua_store::{
    CommentRow, CommentState, CommentSubject, NewComment, PlanId, Rating, Store, SubjectKind,
};

use crate::policy::{Action, Principal};
use crate::{Error, Result};

/// The longest comment accepted, in characters.
pub const MAX_COMMENT_CHARS: usize = 1_000;
/// Comments accepted per address and hour.
pub const COMMENTS_PER_HOUR: u32 = 5;

/// A comment as a form sends it.
pub struct Submitted<'a> {
    pub plan: PlanId,
    pub subject: CommentSubject,
    pub subject_id: Option<&'a str>,
    pub body: &'a str,
    pub author: Option<&'a str>,
    pub contact: Option<&'a str>,
    /// The sender's pseudonymised address ([`crate::session::pseudonym`]).
    pub address: &'a str,
}

/// Is this a phone number or an email address?
fn contact_ok(c: &str) -> bool {
    let phone = {
        let digits = c.chars().filter(char::is_ascii_digit).count();
        (7..=15).contains(&digits)
            && c.chars()
                .all(|ch| ch.is_ascii_digit() || "+- ()".contains(ch))
    };
    let email = match c.split_once('@') {
        Some((user, host)) => {
            !user.is_empty()
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
                && c.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || "._%+-@".contains(ch))
                && c.len() <= 254
        }
        None => false,
    };
    phone || email
}

/// Queue a public comment on a published plan (or its subject). Answers the comment id.
pub fn submit(store: &dyn Store, c: &Submitted) -> Result<i64> {
    let row = crate::portal::public_plan(store, c.plan)?;
    match (kind_of(c.subject), c.subject_id) {
        (None, None) => {}
        (None, Some(_)) => {
            return Err(Error::Invalid(
                "a comment on the plan names no subject".into(),
            ))
        }
        (Some(_), None) => {
            return Err(Error::Invalid(format!(
                "a comment on a {} names which one",
                c.subject.as_str()
            )))
        }
        (Some(kind), Some(id)) => {
            let subjects = crate::subjects::Subjects::load(store, row)?;
            if subjects.name(kind, id).0.is_empty() {
                return Err(Error::NotFound(format!(
                    "plan {} has no {} '{id}'",
                    c.plan,
                    c.subject.as_str()
                )));
            }
        }
    }
    let body = c.body.trim();
    if body.is_empty() {
        return Err(Error::Invalid(
            "请填写评价内容 (the comment is empty)".into(),
        ));
    }
    let n = body.chars().count();
    if n > MAX_COMMENT_CHARS {
        return Err(Error::Invalid(format!(
            "评价不超过{MAX_COMMENT_CHARS}字 (the comment has {n} characters; at most {MAX_COMMENT_CHARS})"
        )));
    }
    if body
        .chars()
        .any(|ch| ch.is_control() && ch != '\n' && ch != '\r' && ch != '\t')
    {
        return Err(Error::Invalid(
            "the comment holds control characters".into(),
        ));
    }
    let author = c.author.map(str::trim).filter(|a| !a.is_empty());
    if author.is_some_and(|a| a.chars().count() > 40 || a.chars().any(char::is_control)) {
        return Err(Error::Invalid("the name is at most 40 characters".into()));
    }
    let contact = c.contact.map(str::trim).filter(|a| !a.is_empty());
    if let Some(k) = contact {
        if !contact_ok(k) {
            return Err(Error::Invalid(format!(
                "'{k}' is neither a phone number nor an email address"
            )));
        }
    }
    Ok(store.add_comment(
        &NewComment {
            plan_id: c.plan,
            subject: c.subject,
            subject_id: c.subject_id,
            body,
            author,
            contact,
            address: c.address,
        },
        COMMENTS_PER_HOUR,
    )?)
}

/// The store's subject kind of a comment's subject (none for the plan itself).
fn kind_of(s: CommentSubject) -> Option<SubjectKind> {
    match s {
        CommentSubject::Plan => None,
        CommentSubject::Indicator => Some(SubjectKind::Indicator),
        CommentSubject::Target => Some(SubjectKind::Target),
        CommentSubject::Project => Some(SubjectKind::Project),
    }
}

/// What each comment is about, for the moderators: "plan · 指标 森林覆盖率" (Chinese) or
/// "plan · indicator 森林覆盖率", in the order given. Each plan's subjects are loaded once.
pub fn about(store: &dyn Store, comments: &[CommentRow], en: bool) -> Result<Vec<String>> {
    let mut plans: HashMap<PlanId, crate::subjects::Subjects> = HashMap::new();
    let mut out = Vec::with_capacity(comments.len());
    for c in comments {
        if let std::collections::hash_map::Entry::Vacant(e) = plans.entry(c.plan_id) {
            let row = store.resolve(&c.plan_id.to_string())?;
            e.insert(crate::subjects::Subjects::load(store, row)?);
        }
        let subjects = &plans[&c.plan_id];
        let plan = subjects.plan.label().to_string();
        let what = match (c.subject, en) {
            (CommentSubject::Plan, false) => "规划",
            (CommentSubject::Indicator, false) => "指标",
            (CommentSubject::Target, false) => "目标",
            (CommentSubject::Project, false) => "项目",
            (s, true) => s.as_str(),
        };
        let name = match (kind_of(c.subject), c.subject_id.as_deref()) {
            (Some(kind), Some(id)) => {
                let n = subjects.name(kind, id).0;
                if n.is_empty() {
                    id.to_string()
                } else {
                    n.to_string()
                }
            }
            _ => String::new(),
        };
        out.push(if name.is_empty() {
            format!("{plan} · {what}")
        } else {
            format!("{plan} · {what} {name}")
        });
    }
    Ok(out)
}

/// Rate a published plan; `false` when this address rated it already.
pub fn rate(store: &dyn Store, plan: PlanId, rating: &str, address: &str) -> Result<bool> {
    crate::portal::public_plan(store, plan)?;
    let r = Rating::parse(rating).ok_or_else(|| {
        Error::Invalid(format!(
            "'{rating}' is not a rating (satisfied, fair, dissatisfied)"
        ))
    })?;
    Ok(store.rate(plan, r, address)?)
}

/// The moderation queue (planners): comments in a state, oldest first.
pub fn queue(
    store: &dyn Store,
    principal: &Principal,
    state: CommentState,
) -> Result<Vec<CommentRow>> {
    principal.authorize(Action::ManagePlans)?;
    Ok(store.comments(None, Some(state))?)
}

/// Publish a pending comment, or reject it with a reason (planners).
pub fn moderate(
    store: &dyn Store,
    principal: &Principal,
    id: i64,
    publish: bool,
    reason: Option<&str>,
) -> Result<()> {
    principal.authorize(Action::ManagePlans)?;
    Ok(store.moderate(id, publish, reason, &principal.actor(None))?)
}

/// Write an internal remark (内部意见) on a plan or one of its releases: reviewers (人大)
/// and planners; never published. Answers its id.
pub fn add_remark(
    store: &dyn Store,
    principal: &Principal,
    plan: PlanId,
    release: Option<i64>,
    body: &str,
) -> Result<i64> {
    principal.authorize(Action::Remark)?;
    let body = crate::input::text(body)
        .map_err(Error::Invalid)?
        .ok_or_else(|| Error::Invalid("the remark is empty".into()))?;
    if body
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(Error::Invalid("the remark holds control characters".into()));
    }
    Ok(store.add_remark(plan, release, &body, &principal.actor(None))?)
}

/// A plan's internal remarks, oldest first (reviewers and planners).
pub fn remarks(
    store: &dyn Store,
    principal: &Principal,
    plan: PlanId,
) -> Result<(guihua_store::PlanRow, Vec<guihua_store::Remark>)> {
    principal.authorize(Action::Remark)?;
    let row = store.resolve(&plan.to_string())?;
    Ok((row, store.remarks(plan)?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn contacts() {
        for ok in ["13800000000", "+86 10 6851-1234", "a.b@gov.cn"] {
            assert!(super::contact_ok(ok), "{ok}");
        }
        for bad in [
            "abc",
            "123",
            "a@b",
            "@gov.cn",
            "x y@gov.cn",
            "<script>@x.cn",
        ] {
            assert!(!super::contact_ok(bad), "{bad}");
        }
    }
}
