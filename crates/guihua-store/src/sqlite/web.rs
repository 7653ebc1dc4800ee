//! The SQLite side of what the web application keeps: publication, releases, sessions,
//! public comments and ratings, collection rounds. Each write is one `BEGIN IMMEDIATE`
//! transaction that checks the state it changes (a comment still pending, a submission
//! still at the revision the form showed) and appends to the history.

use crate::sql::{params, Db, OptionalExtension, Row};

use super::{
    apply_one, department_id, hist, kind_of, now, require_plan, require_subject, write_tx, Known,
    SqlStore,
};
use crate::*;

/// At most this many bytes of comment text, author or contact (the application layer has
/// its own, smaller limits; this one holds for every front end).
const MAX_TEXT: usize = 20_000;

fn bounded<'a>(what: &str, s: Option<&'a str>) -> Result<Option<&'a str>> {
    match s.map(str::trim) {
        Some(t) if t.len() > MAX_TEXT => Err(StoreError::Invalid(format!(
            "{what} is longer than {MAX_TEXT} bytes"
        ))),
        Some("") | None => Ok(None),
        Some(t) => Ok(Some(t)),
    }
}

pub(super) fn set_published(
    s: &SqlStore,
    plan: PlanId,
    published: bool,
    actor: &Actor,
) -> Result<bool> {
    let mut conn = s.conn()?;
    let at = now(&conn)?;
    let tx = write_tx(&mut conn)?;
    require_plan(&tx, plan)?;
    let current: Option<i64> = tx
        .query_row(
            "SELECT id FROM publications WHERE plan_id = ?1 AND withdrawn_at IS NULL",
            [plan],
            |r| r.get(0),
        )
        .optional()?;
    let changed = match (published, current) {
        (true, None) => {
            tx.execute(
                "INSERT INTO publications (plan_id, published_at, published_by) VALUES (?1, ?2, ?3)",
                params![plan, at, actor.who],
            )?;
            true
        }
        (false, Some(id)) => {
            tx.execute(
                "UPDATE publications SET withdrawn_at = ?2, withdrawn_by = ?3 WHERE id = ?1",
                params![id, at, actor.who],
            )?;
            true
        }
        _ => false,
    };
    if changed {
        let (old, new) = if published {
            ("no", "yes")
        } else {
            ("yes", "no")
        };
        hist(
            &tx,
            &at,
            actor,
            Some(plan),
            "publications",
            None,
            &plan.to_string(),
            "published",
            Some(old),
            Some(new),
        )?;
    }
    tx.commit()?;
    Ok(changed)
}

pub(super) fn published_plans(s: &SqlStore) -> Result<Vec<PlanId>> {
    let conn = s.conn()?;
    let mut st = conn.prepare_cached(
        "SELECT u.plan_id FROM publications u JOIN plans p ON p.id = u.plan_id
         WHERE u.withdrawn_at IS NULL AND p.deleted_at IS NULL ORDER BY u.id",
    )?;
    let ids = st.query_map([], |r| r.get(0))?;
    ids.collect::<std::result::Result<_, _>>()
}

pub(super) fn content_version(s: &SqlStore) -> Result<i64> {
    let conn = s.conn()?;
    let mut st = conn.prepare_cached("SELECT n FROM library_version WHERE id = 1")?;
    st.query_row([], |r| r.get(0))
}

const RELEASE_COLUMNS: &str = "id, plan_id, year, kind, narrative, created_at, created_by,
    published_at, published_by, withdrawn_at";

fn release_row(r: &Row) -> Result<Release> {
    Ok(Release {
        id: r.get(0)?,
        plan_id: r.get(1)?,
        year: r.get(2)?,
        kind: r.get(3)?,
        narrative: r.get(4)?,
        created_at: r.get(5)?,
        created_by: r.get(6)?,
        published_at: r.get(7)?,
        published_by: r.get(8)?,
        withdrawn_at: r.get(9)?,
    })
}

pub(super) fn add_release(s: &SqlStore, rel: &NewRelease, actor: &Actor) -> Result<i64> {
    if !matches!(rel.kind, "annual" | "midterm" | "final") {
        return Err(StoreError::Invalid(format!(
            "a release is annual, midterm or final, not '{}'",
            rel.kind
        )));
    }
    let mut conn = s.conn()?;
    let at = now(&conn)?;
    let tx = write_tx(&mut conn)?;
    require_plan(&tx, rel.plan_id)?;
    tx.execute(
        "INSERT INTO releases (plan_id, year, kind, document, narrative, report_html, report_docx,
             created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            rel.plan_id,
            rel.year,
            rel.kind,
            rel.document,
            bounded("the narrative", rel.narrative)?,
            rel.html,
            rel.docx,
            at,
            actor.who
        ],
    )?;
    let id = tx.last_insert_rowid()?;
    hist(
        &tx,
        &at,
        actor,
        Some(rel.plan_id),
        "releases",
        None,
        &id.to_string(),
        "created",
        None,
        Some(&format!("{} {}", rel.year, rel.kind)),
    )?;
    tx.commit()?;
    Ok(id)
}

pub(super) fn releases(s: &SqlStore, plan: PlanId) -> Result<Vec<Release>> {
    let conn = s.conn()?;
    let sql = format!("SELECT {RELEASE_COLUMNS} FROM releases WHERE plan_id = ?1 ORDER BY id DESC");
    let mut st = conn.prepare_cached(&sql)?;
    let rows = st.query_map([plan], release_row)?;
    rows.collect::<std::result::Result<_, _>>()
}

pub(super) fn release_part(s: &SqlStore, id: i64, part: ReleasePart) -> Result<(Release, Vec<u8>)> {
    let column = match part {
        ReleasePart::Document => "document",
        ReleasePart::Html => "report_html",
        ReleasePart::Docx => "report_docx",
    };
    let conn = s.conn()?;
    conn.query_row(
        &format!("SELECT {RELEASE_COLUMNS}, {column} FROM releases WHERE id = ?1"),
        [id],
        |r| Ok((release_row(r)?, r.get::<Vec<u8>>(10)?)),
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("no release {id}")))
}

pub(super) fn set_release_published(
    s: &SqlStore,
    id: i64,
    published: bool,
    actor: &Actor,
) -> Result<()> {
    let mut conn = s.conn()?;
    let at = now(&conn)?;
    let tx = write_tx(&mut conn)?;
    let rel = tx
        .query_row(
            &format!("SELECT {RELEASE_COLUMNS} FROM releases WHERE id = ?1"),
            [id],
            release_row,
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no release {id}")))?;
    if rel.withdrawn_at.is_some() {
        return Err(StoreError::Conflict(format!(
            "release {id} was withdrawn at {}; publish a new release instead",
            rel.withdrawn_at.as_deref().unwrap_or("")
        )));
    }
    match (published, rel.published_at.is_some()) {
        (true, false) => {
            tx.execute(
                "UPDATE releases SET published_at = ?2, published_by = ?3 WHERE id = ?1",
                params![id, at, actor.who],
            )?;
        }
        (false, true) => {
            tx.execute(
                "UPDATE releases SET withdrawn_at = ?2, withdrawn_by = ?3 WHERE id = ?1",
                params![id, at, actor.who],
            )?;
        }
        (true, true) => {
            return Err(StoreError::Conflict(format!(
                "release {id} is published already"
            )))
        }
        (false, false) => {
            return Err(StoreError::Conflict(format!(
                "release {id} is not published"
            )))
        }
    }
    hist(
        &tx,
        &at,
        actor,
        Some(rel.plan_id),
        "releases",
        None,
        &id.to_string(),
        "published",
        Some(if published { "no" } else { "yes" }),
        Some(if published { "yes" } else { "no" }),
    )?;
    tx.commit()?;
    Ok(())
}

pub(super) fn add_session(
    s: &SqlStore,
    token_hash: &str,
    user_id: i64,
    csrf: &str,
    ttl: i64,
) -> Result<()> {
    let mut conn = s.conn()?;
    let tx = write_tx(&mut conn)?;
    // Expired sessions are of no use to anyone: drop them while here.
    tx.execute(
        "DELETE FROM sessions WHERE expires_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 day')",
        [],
    )?;
    tx.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at)
         VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                 strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?4))",
        params![token_hash, user_id, csrf, format!("{ttl:+} seconds")],
    )?;
    tx.commit()?;
    Ok(())
}

pub(super) fn session(s: &SqlStore, token_hash: &str) -> Result<Option<SessionRow>> {
    let conn = s.conn()?;
    let row = conn
        .prepare_cached(
            "SELECT user_id, csrf, expires_at FROM sessions WHERE token_hash = ?1
             AND ended_at IS NULL AND expires_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        )?
        .query_row([token_hash], |r| {
            Ok(SessionRow {
                user_id: r.get(0)?,
                csrf: r.get(1)?,
                expires_at: r.get(2)?,
            })
        })
        .optional()?;
    Ok(row)
}

pub(super) fn end_session(s: &SqlStore, token_hash: &str) -> Result<()> {
    let conn = s.conn()?;
    conn.execute(
        "UPDATE sessions SET ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE token_hash = ?1 AND ended_at IS NULL",
        [token_hash],
    )?;
    Ok(())
}

pub(super) fn add_comment(s: &SqlStore, c: &NewComment, per_hour: u32) -> Result<i64> {
    let body = bounded("a comment", Some(c.body))?
        .ok_or_else(|| StoreError::Invalid("a comment needs some text".into()))?;
    let mut conn = s.conn()?;
    let at = now(&conn)?;
    let tx = write_tx(&mut conn)?;
    require_plan(&tx, c.plan_id)?;
    if let (
        CommentSubject::Indicator | CommentSubject::Target | CommentSubject::Project,
        Some(id),
    ) = (c.subject, c.subject_id)
    {
        let kind = SubjectKind::parse(c.subject.as_str()).unwrap_or(SubjectKind::Indicator);
        require_subject(&tx, c.plan_id, kind, id)?;
    } else if c.subject != CommentSubject::Plan {
        return Err(StoreError::Invalid(format!(
            "a comment on a {} names which one",
            c.subject.as_str()
        )));
    }
    let recent: i64 = tx.query_row(
        "SELECT COUNT(*) FROM comments WHERE address = ?1
         AND submitted_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 hour')",
        [c.address],
        |r| r.get(0),
    )?;
    if recent >= i64::from(per_hour) {
        return Err(StoreError::Limited(format!(
            "at most {per_hour} comments an hour from one address; please try again later"
        )));
    }
    tx.execute(
        "INSERT INTO comments (plan_id, subject_kind, subject_id, body, author, contact, address,
             submitted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            c.plan_id,
            c.subject.as_str(),
            if c.subject == CommentSubject::Plan {
                None
            } else {
                c.subject_id
            },
            body,
            bounded("the name", c.author)?,
            bounded("the contact", c.contact)?,
            c.address,
            at
        ],
    )?;
    let id = tx.last_insert_rowid()?;
    tx.commit()?;
    Ok(id)
}

pub(super) fn comments(
    s: &SqlStore,
    plan: Option<PlanId>,
    state: Option<CommentState>,
) -> Result<Vec<CommentRow>> {
    let conn = s.conn()?;
    let mut st = conn.prepare_cached(
        "SELECT id, plan_id, subject_kind, subject_id, body, author, contact, submitted_at, state,
                moderated_at, moderated_by, reason
         FROM comments WHERE (CAST(?1 AS BIGINT) IS NULL OR plan_id = ?1) AND (CAST(?2 AS TEXT) IS NULL OR state = ?2)
         ORDER BY id",
    )?;
    let rows = st.query_map(params![plan, state.map(CommentState::as_str)], |r| {
        Ok(CommentRow {
            id: r.get(0)?,
            plan_id: r.get(1)?,
            subject: CommentSubject::parse(&r.get::<String>(2)?).unwrap_or(CommentSubject::Plan),
            subject_id: r.get(3)?,
            body: r.get(4)?,
            author: r.get(5)?,
            contact: r.get(6)?,
            submitted_at: r.get(7)?,
            state: CommentState::parse(&r.get::<String>(8)?).unwrap_or(CommentState::Pending),
            moderated_at: r.get(9)?,
            moderated_by: r.get(10)?,
            reason: r.get(11)?,
        })
    })?;
    rows.collect::<std::result::Result<_, _>>()
}

pub(super) fn moderate(
    s: &SqlStore,
    id: i64,
    publish: bool,
    reason: Option<&str>,
    actor: &Actor,
) -> Result<()> {
    let reason = bounded("the reason", reason)?;
    if !publish && reason.is_none() {
        return Err(StoreError::Invalid(
            "rejecting a comment needs a reason".into(),
        ));
    }
    let mut conn = s.conn()?;
    let at = now(&conn)?;
    let tx = write_tx(&mut conn)?;
    let (plan, state): (PlanId, String) = tx
        .query_row(
            "SELECT plan_id, state FROM comments WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no comment {id}")))?;
    if state != "pending" {
        return Err(StoreError::Conflict(format!(
            "comment {id} was {state} already"
        )));
    }
    let new = if publish { "published" } else { "rejected" };
    tx.execute(
        "UPDATE comments SET state = ?2, moderated_at = ?3, moderated_by = ?4, reason = ?5
         WHERE id = ?1",
        params![id, new, at, actor.who, reason],
    )?;
    hist(
        &tx,
        &at,
        actor,
        Some(plan),
        "comments",
        None,
        &id.to_string(),
        "state",
        Some("pending"),
        Some(new),
    )?;
    tx.commit()?;
    Ok(())
}

pub(super) fn rate(s: &SqlStore, plan: PlanId, rating: Rating, address: &str) -> Result<bool> {
    let mut conn = s.conn()?;
    let at = now(&conn)?;
    let tx = write_tx(&mut conn)?;
    require_plan(&tx, plan)?;
    let n = tx.execute(
        "INSERT INTO ratings (plan_id, rating, address, at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO NOTHING",
        params![plan, rating.as_str(), address, at],
    )?;
    tx.commit()?;
    Ok(n == 1)
}

pub(super) fn ratings(s: &SqlStore, plan: PlanId) -> Result<RatingCounts> {
    let conn = s.conn()?;
    let mut st =
        conn.prepare_cached("SELECT rating, COUNT(*) FROM ratings WHERE plan_id = ?1 GROUP BY 1")?;
    let mut out = RatingCounts::default();
    for row in st.query_map([plan], |r| Ok((r.get::<String>(0)?, r.get::<u64>(1)?)))? {
        let (rating, n) = row?;
        match Rating::parse(&rating) {
            Some(Rating::Satisfied) => out.satisfied = n,
            Some(Rating::Fair) => out.fair = n,
            Some(Rating::Dissatisfied) => out.dissatisfied = n,
            None => {}
        }
    }
    Ok(out)
}

/// A date written YYYY-MM-DD with a real month and day.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (
        s[0..4].parse::<i32>(),
        s[5..7].parse::<u32>(),
        s[8..10].parse::<u32>(),
    ) else {
        return false;
    };
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

pub(super) fn open_round(
    s: &SqlStore,
    plan: PlanId,
    year: i32,
    deadline: &str,
    departments: &[String],
    actor: &Actor,
) -> Result<i64> {
    if !is_date(deadline) {
        return Err(StoreError::Invalid(format!(
            "the deadline '{deadline}' is not a date (YYYY-MM-DD)"
        )));
    }
    if departments.is_empty() {
        return Err(StoreError::Invalid(
            "a round asks at least one department".into(),
        ));
    }
    let mut conn = s.conn()?;
    let at = now(&conn)?;
    let tx = write_tx(&mut conn)?;
    require_plan(&tx, plan)?;
    let open: Option<i64> = tx
        .query_row(
            "SELECT id FROM rounds WHERE plan_id = ?1 AND year = ?2 AND closed_at IS NULL",
            params![plan, year],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = open {
        return Err(StoreError::Conflict(format!(
            "round {id} for {year} is open already"
        )));
    }
    tx.execute(
        "INSERT INTO rounds (plan_id, year, deadline, opened_at, opened_by) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![plan, year, deadline, at, actor.who],
    )?;
    let id = tx.last_insert_rowid()?;
    for d in departments {
        let dep = department_id(&tx, d, &at, actor)?;
        tx.execute(
            "INSERT INTO submissions (round_id, department_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            params![id, dep],
        )?;
    }
    hist(
        &tx,
        &at,
        actor,
        Some(plan),
        "rounds",
        None,
        &id.to_string(),
        "opened",
        None,
        Some(&format!(
            "{year}, deadline {deadline}, {}",
            departments.join("、")
        )),
    )?;
    tx.commit()?;
    Ok(id)
}

pub(super) fn rounds(s: &SqlStore, plan: Option<PlanId>) -> Result<Vec<RoundRow>> {
    let conn = s.conn()?;
    let mut st = conn.prepare_cached(
        "SELECT id, plan_id, year, deadline, opened_at, opened_by, closed_at FROM rounds
         WHERE (CAST(?1 AS BIGINT) IS NULL OR plan_id = ?1) ORDER BY id DESC",
    )?;
    let rows = st.query_map([plan], |r| {
        Ok(RoundRow {
            id: r.get(0)?,
            plan_id: r.get(1)?,
            year: r.get(2)?,
            deadline: r.get(3)?,
            opened_at: r.get(4)?,
            opened_by: r.get(5)?,
            closed_at: r.get(6)?,
        })
    })?;
    rows.collect::<std::result::Result<_, _>>()
}

/// The round of a submission (plan, year, closed?) and the submission's state, revision and
/// department, read inside a write transaction.
struct Current {
    plan: PlanId,
    year: i32,
    round: i64,
    closed: bool,
    state: SubmissionState,
    revision: i64,
    department: String,
    submitted_by: Option<String>,
}

fn current(tx: &dyn Db, submission: i64) -> Result<Current> {
    tx.query_row(
        "SELECT r.plan_id, r.year, r.id, r.closed_at IS NOT NULL, s.state, s.revision, d.name,
                s.submitted_by
         FROM submissions s JOIN rounds r ON r.id = s.round_id
         JOIN departments d ON d.id = s.department_id WHERE s.id = ?1",
        [submission],
        |r| {
            Ok(Current {
                plan: r.get(0)?,
                year: r.get(1)?,
                round: r.get(2)?,
                closed: r.get(3)?,
                state: SubmissionState::parse(&r.get::<String>(4)?)
                    .unwrap_or(SubmissionState::Open),
                revision: r.get(5)?,
                department: r.get(6)?,
                submitted_by: r.get(7)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("no submission {submission}")))
}

/// The submission is at the revision the writer saw, its round open.
fn check_current(c: &Current, submission: i64, expected: i64) -> Result<()> {
    if c.closed {
        return Err(StoreError::Conflict(format!("round {} is closed", c.round)));
    }
    if c.revision != expected {
        return Err(StoreError::Conflict(format!(
            "the submission of {} was changed (revision {}) since it was read (revision {expected}); look at it again",
            c.department, c.revision
        )));
    }
    let _ = submission;
    Ok(())
}

pub(super) fn close_round(s: &SqlStore, id: i64, actor: &Actor) -> Result<()> {
    let mut conn = s.conn()?;
    let at = now(&conn)?;
    let tx = write_tx(&mut conn)?;
    let plan: PlanId = tx
        .query_row("SELECT plan_id FROM rounds WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no round {id}")))?;
    let n = tx.execute(
        "UPDATE rounds SET closed_at = ?2, closed_by = ?3 WHERE id = ?1 AND closed_at IS NULL",
        params![id, at, actor.who],
    )?;
    if n == 0 {
        return Err(StoreError::Conflict(format!(
            "round {id} is closed already"
        )));
    }
    hist(
        &tx,
        &at,
        actor,
        Some(plan),
        "rounds",
        None,
        &id.to_string(),
        "closed",
        None,
        Some(&at),
    )?;
    tx.commit()?;
    Ok(())
}

pub(super) fn submissions(s: &SqlStore, round: i64) -> Result<Vec<Submission>> {
    let mut conn = s.conn()?;
    let tx = super::read_tx(&mut conn)?;
    let mut st = tx.prepare_cached(
        "SELECT s.id, s.round_id, d.name, s.state, s.submitted_at, s.submitted_by, s.decided_at,
                s.decided_by, s.decision_note, s.revision
         FROM submissions s JOIN departments d ON d.id = s.department_id
         WHERE s.round_id = ?1 ORDER BY d.name",
    )?;
    let mut subs: Vec<Submission> = st
        .query_map([round], |r| {
            Ok(Submission {
                id: r.get(0)?,
                round_id: r.get(1)?,
                department: r.get(2)?,
                state: SubmissionState::parse(&r.get::<String>(3)?)
                    .unwrap_or(SubmissionState::Open),
                submitted_at: r.get(4)?,
                submitted_by: r.get(5)?,
                decided_at: r.get(6)?,
                decided_by: r.get(7)?,
                decision_note: r.get(8)?,
                revision: r.get(9)?,
                items: Vec::new(),
            })
        })?
        .collect::<std::result::Result<_, _>>()?;
    let mut st = tx.prepare_cached(
        "SELECT i.submission_id, i.subject_kind, i.subject_id, i.value, i.source, i.progress,
                i.confirmed
         FROM submission_items i JOIN submissions s ON s.id = i.submission_id
         WHERE s.round_id = ?1 ORDER BY i.id",
    )?;
    let rows = st.query_map([round], |r| {
        Ok((
            r.get::<i64>(0)?,
            SubmissionItem {
                kind: kind_of(&r.get::<String>(1)?),
                subject_id: r.get(2)?,
                value: r.get(3)?,
                source: r.get(4)?,
                progress: r.get(5)?,
                confirmed: r.get(6)?,
            },
        ))
    })?;
    for row in rows {
        let (sid, item) = row?;
        if let Some(sub) = subs.iter_mut().find(|s| s.id == sid) {
            sub.items.push(item);
        }
    }
    Ok(subs)
}

pub(super) fn save_items(
    s: &SqlStore,
    submission: i64,
    items: &[SubmissionItem],
    expected_revision: i64,
    actor: &Actor,
) -> Result<i64> {
    let mut conn = s.conn()?;
    let at = now(&conn)?;
    let tx = write_tx(&mut conn)?;
    let c = current(&tx, submission)?;
    check_current(&c, submission, expected_revision)?;
    if !c.state.editable() {
        return Err(StoreError::Conflict(format!(
            "the submission of {} is {} and cannot be changed",
            c.department,
            c.state.as_str()
        )));
    }
    for item in items {
        if !matches!(item.kind, SubjectKind::Indicator | SubjectKind::Target) {
            return Err(StoreError::Invalid(format!(
                "values are for indicators and targets, not {}",
                item.kind
            )));
        }
        require_subject(&tx, c.plan, item.kind, &item.subject_id)?;
        if item.value.is_some_and(|v| !v.is_finite()) {
            return Err(StoreError::Invalid(format!(
                "{} {}: the value is not a finite number",
                item.kind, item.subject_id
            )));
        }
        let old: Option<Option<f64>> = tx
            .query_row(
                "SELECT value FROM submission_items WHERE submission_id = ?1 AND subject_kind = ?2
                 AND subject_id = ?3",
                params![submission, item.kind.as_str(), item.subject_id],
                |r| r.get(0),
            )
            .optional()?;
        tx.execute(
            "INSERT INTO submission_items (submission_id, subject_kind, subject_id, value, source,
                 progress, confirmed, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (submission_id, subject_kind, subject_id) DO UPDATE SET
                 value = excluded.value, source = excluded.source, progress = excluded.progress,
                 confirmed = excluded.confirmed, updated_at = excluded.updated_at,
                 updated_by = excluded.updated_by",
            params![
                submission,
                item.kind.as_str(),
                item.subject_id,
                item.value,
                bounded("the source", item.source.as_deref())?,
                bounded("the progress note", item.progress.as_deref())?,
                item.confirmed,
                at,
                actor.who
            ],
        )?;
        let old = old.flatten().map(fmt_num);
        let new = item.value.map(fmt_num);
        if old != new {
            hist(
                &tx,
                &at,
                actor,
                Some(c.plan),
                "submission_items",
                Some(&format!("{}:{}", item.kind.as_str(), item.subject_id)),
                &format!("{submission}/{}", c.year),
                "value",
                old.as_deref(),
                new.as_deref(),
            )?;
        }
    }
    let revision = c.revision + 1;
    tx.execute(
        "UPDATE submissions SET revision = ?2 WHERE id = ?1",
        params![submission, revision],
    )?;
    tx.commit()?;
    Ok(revision)
}

pub(super) fn submit(
    s: &SqlStore,
    submission: i64,
    expected_revision: i64,
    actor: &Actor,
) -> Result<()> {
    let mut conn = s.conn()?;
    let at = now(&conn)?;
    let tx = write_tx(&mut conn)?;
    let c = current(&tx, submission)?;
    check_current(&c, submission, expected_revision)?;
    if !c.state.editable() {
        return Err(StoreError::Conflict(format!(
            "the submission of {} is {} already",
            c.department,
            c.state.as_str()
        )));
    }
    tx.execute(
        "UPDATE submissions SET state = 'submitted', submitted_at = ?2, submitted_by = ?3,
             revision = revision + 1 WHERE id = ?1",
        params![submission, at, actor.who],
    )?;
    hist(
        &tx,
        &at,
        actor,
        Some(c.plan),
        "submissions",
        None,
        &submission.to_string(),
        "state",
        Some(c.state.as_str()),
        Some("submitted"),
    )?;
    tx.commit()?;
    Ok(())
}

/// A submission item as read for approval: kind, subject, value, source, progress.
type ItemRow = (String, String, Option<f64>, Option<String>, Option<String>);

pub(super) fn decide(
    s: &SqlStore,
    submission: i64,
    approve: bool,
    note: Option<&str>,
    expected_revision: i64,
    actor: &Actor,
) -> Result<Applied> {
    let note = bounded("the note", note)?;
    if !approve && note.is_none() {
        return Err(StoreError::Invalid(
            "returning a submission needs a note saying what to correct".into(),
        ));
    }
    let mut conn = s.conn()?;
    let at = now(&conn)?;
    let tx = write_tx(&mut conn)?;
    let c = current(&tx, submission)?;
    check_current(&c, submission, expected_revision)?;
    if c.state != SubmissionState::Submitted {
        return Err(StoreError::Conflict(format!(
            "the submission of {} is {}, not submitted",
            c.department,
            c.state.as_str()
        )));
    }
    let mut applied = Applied::default();
    if approve {
        let why = match actor.why {
            Some(w) => w.to_string(),
            None => format!(
                "年度填报 round {} ({}), submitted by {}",
                c.round,
                c.department,
                c.submitted_by.as_deref().unwrap_or("?")
            ),
        };
        let approver = Actor {
            who: actor.who,
            why: Some(&why),
            user_id: actor.user_id,
        };
        let items: Vec<ItemRow> = tx
            .prepare_cached(
                "SELECT subject_kind, subject_id, value, source, progress FROM submission_items
                 WHERE submission_id = ?1 ORDER BY id",
            )?
            .query_map([submission], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<std::result::Result<_, _>>()?;
        let mut known = Known::default();
        for (kind, subject_id, value, source, progress) in items {
            let Some(value) = value else { continue };
            apply_one(
                &tx,
                &Change::Observe {
                    plan_id: c.plan,
                    kind: kind_of(&kind),
                    subject_id,
                    year: c.year,
                    value,
                    source,
                    note: progress,
                    expected_revision: None,
                },
                &at,
                &approver,
                &mut applied,
                &mut known,
            )?;
        }
    }
    let state = if approve { "approved" } else { "returned" };
    tx.execute(
        "UPDATE submissions SET state = ?2, decided_at = ?3, decided_by = ?4, decision_note = ?5,
             revision = revision + 1 WHERE id = ?1",
        params![submission, state, at, actor.who, note],
    )?;
    hist(
        &tx,
        &at,
        actor,
        Some(c.plan),
        "submissions",
        None,
        &submission.to_string(),
        "state",
        Some("submitted"),
        Some(state),
    )?;
    tx.commit()?;
    Ok(applied)
}

// ----- API tokens -----

pub(super) fn add_api_token(
    s: &SqlStore,
    user_id: i64,
    token_hash: &str,
    label: &str,
    actor: &Actor,
) -> Result<i64> {
    let mut conn = s.conn()?;
    let at = now(&conn)?;
    let tx = write_tx(&mut conn)?;
    let known: Option<i64> = tx
        .query_row("SELECT id FROM users WHERE id = ?1", [user_id], |r| {
            r.get(0)
        })
        .optional()?;
    if known.is_none() {
        return Err(StoreError::NotFound(format!("no user {user_id}")));
    }
    tx.execute(
        "INSERT INTO api_tokens (user_id, token_hash, label, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![user_id, token_hash, label, at, actor.who],
    )?;
    let id = tx.last_insert_rowid()?;
    tx.commit()?;
    Ok(id)
}

pub(super) fn api_token_user(s: &SqlStore, token_hash: &str) -> Result<Option<i64>> {
    let conn = s.conn()?;
    let user: Option<i64> = conn
        .prepare_cached(
            "SELECT user_id FROM api_tokens WHERE token_hash = ?1 AND revoked_at IS NULL",
        )?
        .query_row([token_hash], |r| r.get(0))
        .optional()?;
    if user.is_some() {
        // When it was last used, to the minute (a write per minute at most per token).
        conn.prepare_cached(
            "UPDATE api_tokens SET last_used = strftime('%Y-%m-%dT%H:%MZ', 'now')
             WHERE token_hash = ?1
               AND (last_used IS NULL OR last_used <> strftime('%Y-%m-%dT%H:%MZ', 'now'))",
        )?
        .execute([token_hash])?;
    }
    Ok(user)
}

pub(super) fn api_tokens(s: &SqlStore) -> Result<Vec<ApiToken>> {
    let conn = s.conn()?;
    let mut st = conn.prepare_cached(
        "SELECT t.id, t.user_id, u.name, t.label, t.created_at, t.created_by, t.last_used,
                t.revoked_at, t.revoked_by
         FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id",
    )?;
    let rows = st.query_map([], |r| {
        Ok(ApiToken {
            id: r.get(0)?,
            user_id: r.get(1)?,
            user: r.get(2)?,
            label: r.get(3)?,
            created_at: r.get(4)?,
            created_by: r.get(5)?,
            last_used: r.get(6)?,
            revoked_at: r.get(7)?,
            revoked_by: r.get(8)?,
        })
    })?;
    rows.collect::<std::result::Result<_, _>>()
}

pub(super) fn revoke_api_token(s: &SqlStore, id: i64, actor: &Actor) -> Result<bool> {
    let mut conn = s.conn()?;
    let at = now(&conn)?;
    let tx = write_tx(&mut conn)?;
    let revoked: Option<Option<String>> = tx
        .query_row(
            "SELECT revoked_at FROM api_tokens WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    match revoked {
        None => Err(StoreError::NotFound(format!("no API token {id}"))),
        Some(Some(_)) => Ok(false),
        Some(None) => {
            tx.execute(
                "UPDATE api_tokens SET revoked_at = ?2, revoked_by = ?3 WHERE id = ?1",
                params![id, at, actor.who],
            )?;
            tx.commit()?;
            Ok(true)
        }
    }
}

// ----- Plan texts -----

pub(super) fn set_plan_text(s: &SqlStore, plan: PlanId, lines: &[String]) -> Result<()> {
    let mut conn = s.conn()?;
    let tx = write_tx(&mut conn)?;
    require_plan(&tx, plan)?;
    // One line per line: a line's own breaks were made spaces by the text rendering.
    let text = lines
        .iter()
        .map(|l| l.replace(['\n', '\r'], " "))
        .collect::<Vec<_>>()
        .join("\n");
    tx.execute(
        "INSERT INTO plan_texts (plan_id, lines) VALUES (?1, ?2)
         ON CONFLICT (plan_id) DO UPDATE SET lines = excluded.lines",
        params![plan, text],
    )?;
    tx.commit()?;
    Ok(())
}

pub(super) fn has_plan_text(s: &SqlStore, plan: PlanId) -> Result<bool> {
    let conn = s.conn()?;
    let mut st =
        conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM plan_texts WHERE plan_id = ?1)")?;
    st.query_row([plan], |r| r.get(0))
}

pub(super) fn plan_text(s: &SqlStore, plan: PlanId) -> Result<Option<Vec<String>>> {
    let conn = s.conn()?;
    let text: Option<String> = conn
        .prepare_cached("SELECT lines FROM plan_texts WHERE plan_id = ?1")?
        .query_row([plan], |r| r.get(0))
        .optional()?;
    Ok(text.map(|t| t.split('\n').map(str::to_string).collect()))
}

// ----- Internal remarks -----

pub(super) fn add_remark(
    s: &SqlStore,
    plan: PlanId,
    release: Option<i64>,
    body: &str,
    actor: &Actor,
) -> Result<i64> {
    let mut conn = s.conn()?;
    let at = now(&conn)?;
    let tx = write_tx(&mut conn)?;
    require_plan(&tx, plan)?;
    if let Some(r) = release {
        let of: Option<i64> = tx
            .query_row("SELECT plan_id FROM releases WHERE id = ?1", [r], |x| {
                x.get(0)
            })
            .optional()?;
        if of != Some(plan) {
            return Err(StoreError::NotFound(format!(
                "plan {plan} has no release {r}"
            )));
        }
    }
    tx.execute(
        "INSERT INTO remarks (plan_id, release_id, body, author, user_id, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![plan, release, body, actor.who, actor.user_id, at],
    )?;
    let id = tx.last_insert_rowid()?;
    tx.commit()?;
    Ok(id)
}

pub(super) fn remarks(s: &SqlStore, plan: PlanId) -> Result<Vec<Remark>> {
    let conn = s.conn()?;
    let mut st = conn.prepare_cached(
        "SELECT id, plan_id, release_id, body, author, at FROM remarks WHERE plan_id = ?1
         ORDER BY id",
    )?;
    let rows = st.query_map([plan], |r| {
        Ok(Remark {
            id: r.get(0)?,
            plan_id: r.get(1)?,
            release_id: r.get(2)?,
            body: r.get(3)?,
            author: r.get(4)?,
            at: r.get(5)?,
        })
    })?;
    rows.collect::<std::result::Result<_, _>>()
}

// ----- Annual targets -----

pub(super) fn set_annual_target(s: &SqlStore, t: &AnnualTarget, actor: &Actor) -> Result<bool> {
    let cell = t.cell.trim();
    if cell.is_empty() || cell.chars().count() > 200 {
        return Err(StoreError::Invalid(format!(
            "an annual target is 1–200 characters, not '{cell}'"
        )));
    }
    let mut conn = s.conn()?;
    let at = now(&conn)?;
    let tx = write_tx(&mut conn)?;
    require_subject(&tx, t.plan_id, SubjectKind::Indicator, &t.indicator_id)?;
    let old: Option<(i64, String, Option<String>)> = tx
        .query_row(
            "SELECT id, cell, source FROM annual_targets
             WHERE plan_id = ?1 AND indicator_id = ?2 AND year = ?3 AND deleted_at IS NULL",
            params![t.plan_id, t.indicator_id, t.year],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some((_, c, src)) = &old {
        if c == cell && *src == t.source {
            return Ok(false);
        }
    }
    if let Some((id, _, _)) = &old {
        tx.execute(
            "UPDATE annual_targets SET deleted_at = ?2 WHERE id = ?1",
            params![id, at],
        )?;
    }
    tx.execute(
        "INSERT INTO annual_targets (plan_id, indicator_id, year, cell, source, line,
             entered_by, entered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            t.plan_id,
            t.indicator_id,
            t.year,
            cell,
            t.source,
            t.line,
            actor.who,
            at
        ],
    )?;
    let subject = format!("indicator:{}", t.indicator_id);
    hist(
        &tx,
        &at,
        actor,
        Some(t.plan_id),
        "annual_targets",
        Some(&subject),
        &format!("{subject}:{}", t.year),
        "cell",
        old.as_ref().map(|o| o.1.as_str()),
        Some(cell),
    )?;
    tx.commit()?;
    Ok(true)
}

pub(super) fn remove_annual_target(
    s: &SqlStore,
    plan: PlanId,
    indicator: &str,
    year: i32,
    actor: &Actor,
) -> Result<bool> {
    let mut conn = s.conn()?;
    let at = now(&conn)?;
    let tx = write_tx(&mut conn)?;
    let old: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, cell FROM annual_targets
             WHERE plan_id = ?1 AND indicator_id = ?2 AND year = ?3 AND deleted_at IS NULL",
            params![plan, indicator, year],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((id, cell)) = old else {
        return Ok(false);
    };
    tx.execute(
        "UPDATE annual_targets SET deleted_at = ?2 WHERE id = ?1",
        params![id, at],
    )?;
    let subject = format!("indicator:{indicator}");
    hist(
        &tx,
        &at,
        actor,
        Some(plan),
        "annual_targets",
        Some(&subject),
        &format!("{subject}:{year}"),
        "cell",
        Some(&cell),
        None,
    )?;
    tx.commit()?;
    Ok(true)
}

pub(super) fn annual_targets(s: &SqlStore, plan: PlanId) -> Result<Vec<AnnualTarget>> {
    let conn = s.conn()?;
    let mut st = conn.prepare_cached(
        "SELECT a.plan_id, a.indicator_id, a.year, a.cell, a.source, a.line, a.entered_by,
                a.entered_at
         FROM annual_targets a
         LEFT JOIN indicators i ON i.plan_id = a.plan_id AND i.local_id = a.indicator_id
         WHERE a.plan_id = ?1 AND a.deleted_at IS NULL
         ORDER BY a.year, i.ord",
    )?;
    let rows = st.query_map([plan], |r| {
        Ok(AnnualTarget {
            plan_id: r.get(0)?,
            indicator_id: r.get(1)?,
            year: r.get(2)?,
            cell: r.get(3)?,
            source: r.get(4)?,
            line: r.get(5)?,
            entered_by: r.get(6)?,
            entered_at: r.get(7)?,
        })
    })?;
    rows.collect::<std::result::Result<_, _>>()
}
