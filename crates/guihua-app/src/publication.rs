//! Publication (信息公开): which plans the portal shows, and evaluation releases — an
//! evaluation run for a year, kept with its report exactly as run, reviewed by staff (the
//! people's congress reviewers read drafts too), then published on purpose.
//!
//! A release fixes what was published: its `guihua.evaluation/1` document, the narrative
//! and the rendered report (HTML and Word) are stored once and never re-rendered, so the
//! portal keeps showing what the commission approved even after later data arrive. A
//! correction is a new release; a published release can be withdrawn, not edited.

use guihua_report::{Format, Kind, Lang};
use guihua_store::{NewRelease, PlanId, Release, ReleasePart, Store};

use crate::policy::{Action, Principal};
use crate::{Error, Result};

/// Publish a plan on the portal (or withdraw it). `false`: it already was so.
pub fn publish_plan(
    store: &dyn Store,
    principal: &Principal,
    plan: &str,
    publish: bool,
) -> Result<bool> {
    principal.authorize(Action::ManagePlans)?;
    let row = store.resolve(plan)?;
    Ok(store.set_published(row.id, publish, &principal.actor(None))?)
}

/// What an evaluation release is made of.
pub struct ReleaseRequest<'a> {
    pub plan: &'a str,
    pub year: i32,
    pub kind: Kind,
    /// Staff's narrative (主要成效 / 存在问题 / 下一步工作), as text.
    pub narrative: Option<&'a str>,
    /// The date printed on the report (the front end's clock).
    pub generated_on: String,
}

/// The release kind's stored name.
pub fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Annual => "annual",
        Kind::Midterm => "midterm",
        Kind::Final => "final",
    }
}

/// Parse a release kind as a form or command line gives it.
pub fn parse_kind(s: &str) -> Result<Kind> {
    match s.trim() {
        "annual" | "年度" => Ok(Kind::Annual),
        "midterm" | "中期" => Ok(Kind::Midterm),
        "final" | "总结" => Ok(Kind::Final),
        other => Err(Error::Invalid(format!(
            "'{other}' is not a kind of evaluation (annual, midterm, final)"
        ))),
    }
}

/// Run the evaluation for a year and keep it as a draft release (planners). Answers the
/// release id.
pub fn make_release(store: &dyn Store, principal: &Principal, r: &ReleaseRequest) -> Result<i64> {
    principal.authorize(Action::ManagePlans)?;
    let narrative = match r.narrative.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => {
            if t.chars().count() > 20_000 {
                return Err(Error::Invalid(
                    "the narrative is longer than 20,000 characters".into(),
                ));
            }
            Some(t)
        }
        None => None,
    };
    let request = crate::report::Request {
        plan: r.plan,
        year: r.year,
        kind: r.kind,
        lang: Lang::Zh,
        method: crate::method::Method::default(),
        generated_on: r.generated_on.clone(),
        narrative: narrative.map(|t| ("narrative", t)),
        style: guihua_report::DocStyle::Standard,
    };
    let (row, input) = crate::report::assemble(store, &request)?;
    let render = |f: Format| {
        guihua_report::render(&input, f)
            .map_err(|e| Error::Internal(format!("rendering the report failed: {e}")))
    };
    let html = render(Format::Html)?;
    let docx = render(Format::Docx)?;
    let doc = crate::evaluation::document(
        store,
        &row.id.to_string(),
        r.year,
        crate::method::Method::default(),
    )?;
    let document = serde_json::to_vec(&doc)
        .map_err(|e| Error::Internal(format!("writing the evaluation failed: {e}")))?;
    Ok(store.add_release(
        &NewRelease {
            plan_id: row.id,
            year: r.year,
            kind: kind_name(r.kind),
            document: &document,
            narrative,
            html: &html,
            docx: &docx,
        },
        &principal.actor(None),
    )?)
}

/// Publish a release on the portal, or withdraw it (planners).
pub fn publish_release(
    store: &dyn Store,
    principal: &Principal,
    id: i64,
    publish: bool,
) -> Result<()> {
    principal.authorize(Action::ManagePlans)?;
    Ok(store.set_release_published(id, publish, &principal.actor(None))?)
}

/// A plan's releases for staff (drafts included): every signed-in role reads them.
pub fn releases(store: &dyn Store, principal: &Principal, plan: PlanId) -> Result<Vec<Release>> {
    principal.authorize(Action::Read)?;
    Ok(store.releases(plan)?)
}

/// A part of a release: anyone may have a published one; a draft or withdrawn one only
/// staff (`principal`), and to anyone else it does not exist.
pub fn release_part(
    store: &dyn Store,
    principal: Option<&Principal>,
    id: i64,
    part: ReleasePart,
) -> Result<(Release, Vec<u8>)> {
    let (rel, bytes) = store.release_part(id, part)?;
    let public = rel.is_public() && store.published_plans()?.contains(&rel.plan_id);
    let staff = principal.is_some_and(|p| p.authorize(Action::Read).is_ok());
    if !public && !staff {
        return Err(Error::NotFound(format!("no published release {id}")));
    }
    Ok((rel, bytes))
}
