//! The public portal's reads (公开): what anyone may see, assembled once for every front
//! end (the web pages, the JSON API, the open-data downloads).
//!
//! Only **published** plans exist here: any other plan id is [`Error::NotFound`] — the same
//! answer as an id that was never used, so the portal does not reveal what is being
//! prepared. Verdicts (status and reason) come from the plan's latest **published
//! evaluation release** — what the commission reviewed and chose to publish — never from a
//! live run; the series beside them are the values stored (entered by staff or approved
//! from a department's submission). Comments appear once a planner has published them;
//! a commenter's contact is never part of anything here.

use std::collections::HashMap;

use guihua_eval::Status;
use guihua_model::{walk_outline, Plan};
use guihua_store::{
    CommentRow, CommentState, CommentSubject, IndicatorRow, Observation, PlanId, PlanRow,
    ProjectRow, ProjectStatus, RatingCounts, Release, ReleasePart, Store, SubjectKind,
};

use crate::evaluation::{load_plan, observation_set, params_for};
use crate::policy::Principal;
use crate::subjects::Subjects;
use crate::{Error, Result};

/// A published verdict on one subject.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub status: Status,
    pub reason_zh: String,
    pub reason_en: String,
    /// The year the release evaluated.
    pub year: i32,
}

/// A plan on the portal's list.
#[derive(Debug, Clone)]
pub struct PlanCard {
    pub plan: PlanRow,
    /// The latest published evaluation, if any.
    pub release: Option<Release>,
    /// Subjects per status in that release (statuses in the method's order; absent ones
    /// omitted).
    pub summary: Vec<(Status, usize)>,
}

/// The plan if it is published now, else `NotFound` (as for an id never used).
pub fn public_plan(store: &dyn Store, id: PlanId) -> Result<PlanRow> {
    if !store.published_plans()?.contains(&id) {
        return Err(Error::NotFound(format!("no published plan {id}")));
    }
    Ok(store.resolve(&id.to_string())?)
}

/// A plan as a reader may see it: staff (any signed-in user or API token) read every
/// plan of the library, published or not; the public reads published plans only
/// (`NotFound` otherwise, as for an id never used).
pub fn readable_plan(store: &dyn Store, reader: Option<&Principal>, id: PlanId) -> Result<PlanRow> {
    match reader {
        Some(p) => {
            p.authorize(crate::policy::Action::Read)?;
            Ok(store.resolve(&id.to_string())?)
        }
        None => public_plan(store, id),
    }
}

/// Every current plan of the library (not revised by a newer version) with whether it is
/// published (staff).
pub fn staff_plans(store: &dyn Store, reader: &Principal) -> Result<Vec<(PlanRow, bool)>> {
    reader.authorize(crate::policy::Action::Read)?;
    let published = store.published_plans()?;
    Ok(store
        .plans()?
        .into_iter()
        .filter(|p| p.next_id.is_none())
        .map(|p| {
            let public = published.contains(&p.id);
            (p, public)
        })
        .collect())
}

/// The text of a published plan as guihua read it (line *n* is element *n − 1*), for
/// readers to check what was extracted against its source; `None` when the library kept
/// none (plans added before schema 11: adding the file again keeps it).
pub fn plan_text(store: &dyn Store, id: PlanId) -> Result<(PlanRow, Option<Vec<String>>)> {
    let row = public_plan(store, id)?;
    Ok((row, store.plan_text(id)?))
}

/// The published plans, in the order they were published.
pub fn plans(store: &dyn Store) -> Result<Vec<PlanCard>> {
    let published = store.published_plans()?;
    let rows: HashMap<PlanId, PlanRow> = store
        .plans()?
        .into_iter()
        .filter(|p| published.contains(&p.id))
        .map(|p| (p.id, p))
        .collect();
    let mut out = Vec::new();
    for id in &published {
        let Some(mut plan) = rows.get(id).cloned() else {
            continue;
        };
        // What the public may know: not who on the staff added it, nor that a version is
        // being prepared (a link to a version only when that version is published too).
        plan.added_by = String::new();
        plan.next_id = plan.next_id.filter(|n| published.contains(n));
        plan.previous_id = plan.previous_id.filter(|p| published.contains(p));
        let (mut release, verdicts) = latest_release(store, *id)?;
        if let Some(r) = release.as_mut() {
            r.created_by = String::new();
            r.published_by = None;
        }
        out.push(PlanCard {
            plan,
            release,
            summary: summary(verdicts.values()),
        });
    }
    Ok(out)
}

fn summary<'a>(verdicts: impl Iterator<Item = &'a Verdict>) -> Vec<(Status, usize)> {
    let mut n: HashMap<Status, usize> = HashMap::new();
    for v in verdicts {
        *n.entry(v.status).or_default() += 1;
    }
    Status::ALL
        .into_iter()
        .filter_map(|s| n.get(&s).map(|c| (s, *c)))
        .collect()
}

/// The latest published release of a plan and its verdicts by subject id.
pub fn latest_release(
    store: &dyn Store,
    id: PlanId,
) -> Result<(Option<Release>, HashMap<String, Verdict>)> {
    let Some(rel) = store.releases(id)?.into_iter().find(Release::is_public) else {
        return Ok((None, HashMap::new()));
    };
    let (_, doc) = store.release_part(rel.id, ReleasePart::Document)?;
    let verdicts = verdicts_of(&doc, rel.year).map_err(|e| {
        Error::Internal(format!(
            "release {} holds an unreadable evaluation: {e}",
            rel.id
        ))
    })?;
    Ok((Some(rel), verdicts))
}

/// The verdicts of a `guihua.evaluation/1` document.
fn verdicts_of(doc: &[u8], year: i32) -> std::result::Result<HashMap<String, Verdict>, String> {
    let v: serde_json::Value = serde_json::from_slice(doc).map_err(|e| e.to_string())?;
    let results = v["results"].as_array().ok_or("no results")?;
    let mut out = HashMap::new();
    for r in results {
        let (Some(id), Some(code)) = (r["id"].as_str(), r["status"].as_str()) else {
            return Err("a result without id or status".into());
        };
        let status = Status::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| format!("unknown status {code}"))?;
        out.insert(
            id.to_string(),
            Verdict {
                status,
                reason_zh: r["reason"].as_str().unwrap_or("").to_string(),
                reason_en: r["reason_en"].as_str().unwrap_or("").to_string(),
                year,
            },
        );
    }
    Ok(out)
}

/// A heading of the outline with the prose targets written under it.
#[derive(Debug, Clone)]
pub struct Heading {
    pub id: String,
    /// 前言 / 篇 / 章 / 节 / 专栏
    pub level: String,
    pub title: String,
    /// The line of the source text it starts on.
    pub line: u32,
    pub depth: usize,
    pub targets: Vec<TargetLine>,
}

#[derive(Debug, Clone)]
pub struct TargetLine {
    pub id: String,
    pub subject: String,
    pub text: String,
    pub line: u32,
    pub verdict: Option<Verdict>,
}

/// A main-table indicator with its latest value and published verdict.
#[derive(Debug, Clone)]
pub struct IndicatorLine {
    pub row: IndicatorRow,
    /// The catalogue's English name (linked indicators only).
    pub name_en: Option<&'static str>,
    pub line: u32,
    pub latest: Option<(i32, f64)>,
    pub verdict: Option<Verdict>,
}

/// A project with its latest reported stage.
#[derive(Debug, Clone)]
pub struct ProjectLine {
    pub row: ProjectRow,
    pub line: u32,
    pub status: Option<ProjectStatus>,
}

/// Everything the plan page shows.
#[derive(Debug, Clone)]
pub struct PlanPage {
    pub plan: PlanRow,
    /// The plan's text is kept: line numbers can link to it ([`plan_text`]).
    pub has_text: bool,
    pub headings: Vec<Heading>,
    pub indicators: Vec<IndicatorLine>,
    pub projects: Vec<ProjectLine>,
    pub release: Option<Release>,
    /// Every published release, newest first (reports to download).
    pub releases: Vec<Release>,
    pub summary: Vec<(Status, usize)>,
    /// Published comments on the plan itself.
    pub comments: Vec<CommentRow>,
    pub ratings: RatingCounts,
}

/// The plan page of a published plan.
pub fn plan_page(store: &dyn Store, id: PlanId) -> Result<PlanPage> {
    let row = public_plan(store, id)?;
    let (_, plan) = load_plan(store, &id.to_string())?;
    let (release, verdicts) = latest_release(store, id)?;
    let obs = store.observations(Some(id))?;
    let latest = |kind: SubjectKind, sid: &str| {
        obs.iter()
            .filter(|o| o.kind == kind && o.subject_id == sid)
            .max_by_key(|o| o.year)
            .map(|o| (o.year, o.value))
    };
    let mut headings: Vec<Heading> = Vec::new();
    let mut depth_of: HashMap<String, usize> = HashMap::new();
    for n in walk_outline(&plan.outline) {
        let depth = n.id.matches('/').count();
        depth_of.insert(n.id.clone(), depth);
        headings.push(Heading {
            id: n.id.clone(),
            level: n.level.zh().to_string(),
            title: n.title.clone(),
            line: n.line,
            depth,
            targets: Vec::new(),
        });
    }
    for t in &plan.targets {
        let line = TargetLine {
            id: t.id.clone(),
            subject: t.subject.clone(),
            text: t.quantity.text.clone(),
            line: t.line,
            verdict: verdicts.get(&t.id).cloned(),
        };
        match t
            .section
            .as_ref()
            .and_then(|s| headings.iter_mut().find(|h| &h.id == s))
        {
            Some(h) => h.targets.push(line),
            None => {
                if headings.first().map(|h| h.id.as_str()) != Some("") {
                    headings.insert(
                        0,
                        Heading {
                            id: String::new(),
                            level: String::new(),
                            title: String::new(),
                            line: 0,
                            depth: 0,
                            targets: Vec::new(),
                        },
                    );
                }
                headings[0].targets.push(line);
            }
        }
    }
    let lines: HashMap<&str, u32> = plan
        .indicators
        .iter()
        .map(|i| (i.id.as_str(), i.line))
        .collect();
    let indicators = store
        .indicators(id)?
        .into_iter()
        .map(|r| IndicatorLine {
            name_en: r
                .link
                .as_ref()
                .and_then(|l| l.catalog_id.as_deref())
                .and_then(guihua_catalog::english),
            line: lines.get(r.id.as_str()).copied().unwrap_or(0),
            latest: latest(SubjectKind::Indicator, &r.id),
            verdict: verdicts.get(&r.id).cloned(),
            row: r,
        })
        .collect();
    let statuses = store.project_statuses(id)?;
    let project_lines: HashMap<&str, u32> = plan
        .projects
        .iter()
        .map(|p| (p.id.as_str(), p.line))
        .collect();
    let projects = store
        .projects(id)?
        .into_iter()
        .map(|r| ProjectLine {
            line: project_lines.get(r.id.as_str()).copied().unwrap_or(0),
            status: statuses
                .iter()
                .filter(|s| s.project_id == r.id)
                .max_by_key(|s| s.year)
                .cloned(),
            row: r,
        })
        .collect();
    let releases: Vec<Release> = store
        .releases(id)?
        .into_iter()
        .filter(Release::is_public)
        .collect();
    Ok(PlanPage {
        has_text: store.has_plan_text(id)?,
        summary: summary(verdicts.values()),
        comments: published_comments(store, id, CommentSubject::Plan, None)?,
        ratings: store.ratings(id)?,
        plan: row,
        headings,
        indicators,
        projects,
        release,
        releases,
    })
}

/// A target or project of a published plan with its published comments: the page where
/// the public comments on it. `NotFound` for a subject the plan does not have.
pub struct SubjectPage {
    pub plan: PlanRow,
    pub subject: CommentSubject,
    pub id: String,
    /// The target's text or the project's name.
    pub name: String,
    pub line: u32,
    pub has_text: bool,
    pub comments: Vec<CommentRow>,
}

pub fn subject_page(
    store: &dyn Store,
    plan: PlanId,
    subject: CommentSubject,
    id: &str,
) -> Result<SubjectPage> {
    let row = public_plan(store, plan)?;
    let (_, model) = load_plan(store, &plan.to_string())?;
    let found = match subject {
        CommentSubject::Target => model
            .targets
            .iter()
            .find(|t| t.id == id)
            .map(|t| (format!("{}：{}", t.subject, t.quantity.text), t.line)),
        CommentSubject::Project => model
            .projects
            .iter()
            .find(|p| p.id == id)
            .map(|p| (p.name.clone(), p.line)),
        CommentSubject::Plan | CommentSubject::Indicator => None,
    };
    let Some((name, line)) = found else {
        return Err(Error::NotFound(format!(
            "plan {plan} has no {} '{id}'",
            subject.as_str()
        )));
    };
    Ok(SubjectPage {
        comments: published_comments(store, plan, subject, Some(id))?,
        has_text: store.has_plan_text(plan)?,
        plan: row,
        subject,
        id: id.to_string(),
        name,
        line,
    })
}

/// The published comments on one subject of a plan.
pub fn published_comments(
    store: &dyn Store,
    plan: PlanId,
    subject: CommentSubject,
    subject_id: Option<&str>,
) -> Result<Vec<CommentRow>> {
    Ok(store
        .comments(Some(plan), Some(CommentState::Published))?
        .into_iter()
        .filter(|c| c.subject == subject && c.subject_id.as_deref() == subject_id)
        .map(|mut c| {
            c.contact = None;
            c.reason = None;
            c
        })
        .collect())
}

/// Everything the indicator page shows.
#[derive(Debug, Clone)]
pub struct IndicatorPage {
    pub plan: PlanRow,
    /// The plan's text is kept ([`plan_text`]).
    pub has_text: bool,
    pub row: IndicatorRow,
    pub name_en: Option<&'static str>,
    pub line: u32,
    /// The stored values, by year.
    pub observations: Vec<Observation>,
    /// The planned path (year, value) in the measure of the values, base to target year.
    pub planned: Vec<(i32, f64)>,
    /// The chart (actual against the planned path) as inline SVG, Chinese and English.
    pub chart_zh: String,
    pub chart_en: String,
    pub verdict: Option<Verdict>,
    pub comments: Vec<CommentRow>,
    /// One series across this plan and the same region's plan before or after it.
    pub across: Option<Across>,
}

/// One year of a series across two plans of a region.
#[derive(Debug, Clone, PartialEq)]
pub struct AcrossYear {
    pub year: i32,
    /// The value stored for the year, and the plan it is stored under.
    pub value: Option<(f64, PlanId)>,
    /// What a plan states for the year: its base (the year before it starts) or its
    /// target (its last year), with the plan.
    pub stated: Vec<(String, PlanId)>,
}

/// An indicator's series from the earlier plan's base year through the later plan's target
/// year (十四五 → 十五五), across two published plans of one region.
#[derive(Debug, Clone, PartialEq)]
pub struct Across {
    /// The earlier and the later plan with their indicator ids.
    pub earlier: (PlanRow, String),
    pub later: (PlanRow, String),
    pub years: Vec<AcrossYear>,
}

/// The series across plans of a published plan's indicator: the same region's published
/// plan whose period adjoins this one's, its indicator linked to the same catalogue entry
/// (else of the same name). `None` when there is no such plan or indicator.
pub fn across(store: &dyn Store, plan_id: PlanId, indicator: &str) -> Result<Option<Across>> {
    let row = public_plan(store, plan_id)?;
    let published = store.published_plans()?;
    across_among(store, &row, indicator, &|p| published.contains(&p.id))
}

/// [`across`] among the plans `allowed` admits (the portal: published ones; `compare`: the
/// plans compared).
pub fn across_among(
    store: &dyn Store,
    row: &PlanRow,
    indicator: &str,
    allowed: &dyn Fn(&PlanRow) -> bool,
) -> Result<Option<Across>> {
    let (Some(region), Some((start, end))) = (row.region.clone(), row.period) else {
        return Ok(None);
    };
    let other = store.plans()?.into_iter().find(|p| {
        p.id != row.id
            && p.next_id.is_none()
            && allowed(p)
            && p.region.as_deref() == Some(region.as_str())
            && p.period
                .is_some_and(|(s, e)| e + 1 == start || end + 1 == s)
    });
    let Some(other) = other else {
        return Ok(None);
    };
    let row = row.clone();
    let mine = Subjects::load(store, row.clone())?;
    let theirs = Subjects::load(store, other.clone())?;
    let rows_mine = store.indicators(row.id)?;
    let Some(me) = rows_mine.iter().find(|i| i.id == indicator) else {
        return Ok(None);
    };
    let catalog = mine.catalog_of(&me.id);
    let rows_other = store.indicators(other.id)?;
    // One series is one measure: the same catalogue entry (or name) in the same unit.
    let Some(them) = rows_other.iter().find(|i| {
        ((catalog.is_some() && theirs.catalog_of(&i.id) == catalog)
            || i.name.trim() == me.name.trim())
            && guihua_model::same_unit(i.unit.as_deref(), me.unit.as_deref())
    }) else {
        return Ok(None);
    };
    let (earlier, later, e_row, l_row) = if other.period.map(|(s, _)| s) < Some(start) {
        (other.clone(), row.clone(), them.clone(), me.clone())
    } else {
        (row.clone(), other.clone(), me.clone(), them.clone())
    };
    // Two adjoining five-year periods span eleven years with the base year; a period read
    // wrongly from a document must not make a page of centuries.
    let (Some((es, _)), Some((_, le))) = (earlier.period, later.period) else {
        return Ok(None);
    };
    if le - es > 20 {
        return Ok(None);
    }
    let values = |p: &PlanRow, id: &str| -> Result<Vec<(i32, f64)>> {
        Ok(store
            .observations(Some(p.id))?
            .into_iter()
            .filter(|o| o.kind == SubjectKind::Indicator && o.subject_id == id)
            .map(|o| (o.year, o.value))
            .collect())
    };
    let (ev, lv) = (values(&earlier, &e_row.id)?, values(&later, &l_row.id)?);
    let mut years = Vec::new();
    for year in (es - 1)..=le {
        // A year both plans hold (the earlier's last, the later's base year) is the
        // earlier plan's: its final value.
        let value = ev
            .iter()
            .find(|(y, _)| *y == year)
            .map(|(_, v)| (*v, earlier.id))
            .or_else(|| {
                lv.iter()
                    .find(|(y, _)| *y == year)
                    .map(|(_, v)| (*v, later.id))
            });
        let mut stated = Vec::new();
        for (p, r) in [(&earlier, &e_row), (&later, &l_row)] {
            let Some((s, e)) = p.period else { continue };
            if year == s - 1 && !r.base.trim().is_empty() {
                stated.push((format!("基期 {}", r.base.trim()), p.id));
            }
            if year == e && !r.target.trim().is_empty() {
                stated.push((format!("目标 {}", r.target.trim()), p.id));
            }
        }
        years.push(AcrossYear {
            year,
            value,
            stated,
        });
    }
    Ok(Some(Across {
        earlier: (earlier, e_row.id),
        later: (later, l_row.id),
        years,
    }))
}

/// The page of one indicator of a published plan.
pub fn indicator_page(
    store: &dyn Store,
    plan_id: PlanId,
    indicator: &str,
) -> Result<IndicatorPage> {
    let row = public_plan(store, plan_id)?;
    let (_, plan) = load_plan(store, &plan_id.to_string())?;
    let Some(irow) = store
        .indicators(plan_id)?
        .into_iter()
        .find(|i| i.id == indicator)
    else {
        return Err(Error::NotFound(format!(
            "plan {plan_id} has no indicator {indicator}"
        )));
    };
    let (release, verdicts) = latest_release(store, plan_id)?;
    let verdict = verdicts.get(indicator).cloned();
    let observations: Vec<Observation> = store
        .observations(Some(plan_id))?
        .into_iter()
        .filter(|o| o.kind == SubjectKind::Indicator && o.subject_id == indicator)
        .collect();
    let Charted {
        zh: chart_zh,
        en: chart_en,
        planned,
    } = chart(
        store,
        &row,
        &plan,
        indicator,
        &observations,
        release.as_ref(),
        verdict.as_ref(),
    )?;
    Ok(IndicatorPage {
        has_text: store.has_plan_text(plan_id)?,
        name_en: irow
            .link
            .as_ref()
            .and_then(|l| l.catalog_id.as_deref())
            .and_then(guihua_catalog::english),
        line: plan
            .indicators
            .iter()
            .find(|i| i.id == indicator)
            .map_or(0, |i| i.line),
        comments: published_comments(store, plan_id, CommentSubject::Indicator, Some(indicator))?,
        across: across(store, plan_id, indicator)?,
        plan: row,
        row: irow,
        observations,
        planned,
        chart_zh,
        chart_en,
        verdict,
    })
}

/// An indicator's chart in both languages and its planned path.
struct Charted {
    zh: String,
    en: String,
    planned: Vec<(i32, f64)>,
}

/// The chart of one indicator: the report's chart (same drawing code), coloured by the
/// published verdict (grey without one).
fn chart(
    store: &dyn Store,
    row: &PlanRow,
    plan: &Plan,
    indicator: &str,
    observations: &[Observation],
    release: Option<&Release>,
    verdict: Option<&Verdict>,
) -> Result<Charted> {
    let year = release
        .map(|r| r.year)
        .or_else(|| observations.iter().map(|o| o.year).max())
        .or(plan.period.map(|p| p.start))
        .unwrap_or(0);
    let set = observation_set(store, row.id, plan)?;
    let subjects = Subjects::load(store, row.clone())?;
    let params = params_for(&subjects, plan);
    let evaluations: Vec<_> = guihua_eval::evaluate_plan(plan, year, &set, &params)
        .into_iter()
        .filter(|(s, _)| s.id == indicator)
        .collect();
    let Some(mut subject) =
        guihua_report::subjects_from_plan_with(plan, evaluations, &set, &params)
            .into_iter()
            .next()
    else {
        return Ok(Charted {
            zh: String::new(),
            en: String::new(),
            planned: Vec::new(),
        });
    };
    if subject.observed.is_empty()
        && subject.expected_path.is_empty()
        && subject.target_point.is_none()
    {
        // Nothing numeric to draw (no values yet, and a prose base or target): the page says so
        // instead of showing an empty frame.
        return Ok(Charted {
            zh: String::new(),
            en: String::new(),
            planned: Vec::new(),
        });
    }
    subject.evaluation.status = verdict.map_or(Status::NotAssessable, |v| v.status);
    let zh = guihua_report::subject_chart_svg(&subject, guihua_report::Lang::Zh);
    if let Some(en) = guihua_catalog::english(subjects.catalog_of(indicator).unwrap_or("")) {
        subject.name = en.to_string();
    }
    let en = guihua_report::subject_chart_svg(&subject, guihua_report::Lang::En);
    Ok(Charted {
        zh,
        en,
        planned: subject.expected_path,
    })
}

/// The indicator's values as CSV (UTF-8 with BOM for Excel; cells neutralised).
pub fn series_csv(page: &IndicatorPage) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let _ = w.write_record([
        "plan",
        "indicator",
        "name",
        "unit",
        "year",
        "value",
        "source",
    ]);
    for o in &page.observations {
        let _ = w.write_record([
            page.plan.id.to_string(),
            page.row.id.clone(),
            crate::output::csv_cell(&page.row.name).into_owned(),
            crate::output::csv_cell(page.row.unit.as_deref().unwrap_or("")).into_owned(),
            o.year.to_string(),
            guihua_store::fmt_num(o.value),
            crate::output::csv_cell(o.source.as_deref().unwrap_or("")).into_owned(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// The indicator page as JSON: the indicator row, its values, the planned path and the
/// published verdict.
pub fn series_json(page: &IndicatorPage) -> serde_json::Value {
    serde_json::json!({
        "schema": "guihua.indicator/1",
        "plan": {"id": page.plan.id, "region": page.plan.region, "title": page.plan.title},
        "indicator": page.row,
        "name_en": page.name_en,
        "values": page.observations.iter().map(|o| serde_json::json!({
            "year": o.year, "value": o.value, "source": o.source,
        })).collect::<Vec<_>>(),
        // The path is computed: rounded to 6 decimals so 20.38 is not 20.380000000000003.
        "planned": page.planned.iter().map(|(y, v)| serde_json::json!({"year": y, "value": (v * 1e6).round() / 1e6})).collect::<Vec<_>>(),
        "verdict": page.verdict.as_ref().map(|v| serde_json::json!({
            "year": v.year, "status": v.status.code(), "status_zh": v.status.zh(),
            "reason": v.reason_zh, "reason_en": v.reason_en,
        })),
        // One series across this plan and the region's adjoining plan (null: none).
        "across": page.across.as_ref().map(|a| serde_json::json!({
            "earlier": {"plan": a.earlier.0.id, "indicator": a.earlier.1, "period": a.earlier.0.period},
            "later": {"plan": a.later.0.id, "indicator": a.later.1, "period": a.later.0.period},
            "years": a.years.iter().map(|y| serde_json::json!({
                "year": y.year,
                "value": y.value.map(|(v, _)| v),
                "plan": y.value.map(|(_, p)| p),
                "stated": y.stated.iter().map(|(t, p)| serde_json::json!({"text": t, "plan": p})).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })),
    })
}

/// The indicator's values as a workbook (numbers as numbers).
pub fn series_xlsx(page: &IndicatorPage) -> Result<Vec<u8>> {
    let rows: Vec<crate::sheets::ExportRow> = page
        .observations
        .iter()
        .map(|o| crate::sheets::ExportRow {
            observation: o.clone(),
            region: page.plan.region.clone().unwrap_or_default(),
            name: page.row.name.clone(),
            unit: page.row.unit.clone().unwrap_or_default(),
            catalog: page
                .row
                .link
                .as_ref()
                .and_then(|l| l.catalog_id.clone())
                .unwrap_or_default(),
        })
        .collect();
    crate::sheets::export_xlsx(&rows)
}

/// Open data (开放数据): the observations of every published plan, for bulk download.
pub fn open_observations(store: &dyn Store) -> Result<Vec<crate::sheets::ExportRow>> {
    let published = store.published_plans()?;
    Ok(crate::sheets::export(store, None, None)?
        .into_iter()
        .filter(|r| published.contains(&r.observation.plan_id))
        .collect())
}
