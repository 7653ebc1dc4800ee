//! Public comments and ratings (公众评价): anyone may comment on a published plan or one of
//! its indicators, targets or projects; a comment waits in a queue until a planner
//! publishes it or rejects it with a reason (先审后发). The contact a commenter leaves
//! (phone or email, optional) is for staff only. Ratings (满意 / 基本满意 / 不满意) count one
//! per address and are published as counted.

use guihua_store::{CommentRow, CommentState, CommentSubject, NewComment, PlanId, Rating, Store};

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
    crate::portal::public_plan(store, c.plan)?;
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
