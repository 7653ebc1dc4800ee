//! The published JSON documents besides the plan: an evaluation (`guihua.evaluation/1`),
//! an audit (`guihua.audit/1`), a comparison across plans (`guihua.comparison/1`), an
//! observation export and the indicator catalogue.
//!
//! Why here: front ends (CLI today, the web application next) print these, and other
//! people's scripts read them. The names are fixed in this one module, typed, so a field
//! cannot be renamed by editing a front end; fields may be added, never renamed or
//! dropped. Each function returns a `serde_json::Value` (keys in sorted order), so the
//! printed text is the same whatever the front end.

use std::collections::BTreeMap;

use guihua_audit::Finding;
use guihua_catalog::Canonical;
use guihua_eval::{Evaluation, Status, SubjectKind};
use serde::Serialize;
use serde_json::Value;

use crate::number;

pub const EVALUATION_SCHEMA: &str = "guihua.evaluation/1";
pub const AUDIT_SCHEMA: &str = "guihua.audit/1";
pub const COMPARISON_SCHEMA: &str = "guihua.comparison/1";
pub const ALIGNMENT_SCHEMA: &str = "guihua.alignment/1";

fn num(v: Option<f64>) -> Value {
    v.map(number).unwrap_or(Value::Null)
}

/// Two decimals: what a reader compares, without binary noise.
fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn value<T: Serialize>(t: &T) -> Value {
    // Plain structs of strings and numbers: serialising cannot fail.
    serde_json::to_value(t).unwrap_or(Value::Null)
}

/// Which stored plan a document is about.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PlanRef<'a> {
    pub id: i64,
    pub region: Option<&'a str>,
    pub title: Option<&'a str>,
}

#[derive(Serialize)]
struct ProjectionJson {
    year: i32,
    end_value: Value,
    reaches_target: Option<bool>,
    remaining_years: i32,
    required_annual_rate: Value,
    required_annual_change: Value,
}

#[derive(Serialize)]
struct EvaluationItemJson<'a> {
    id: &'a str,
    kind: &'static str,
    name: &'a str,
    status: &'static str,
    status_zh: &'static str,
    expected: Value,
    actual: Value,
    actual_year: Option<i32>,
    progress_pct: Value,
    schedule_pct: Value,
    projection: Option<ProjectionJson>,
    reason: &'a str,
    reason_en: &'a str,
}

/// One evaluated subject (an element of `results`).
pub fn evaluation_item(id: &str, kind: SubjectKind, name: &str, e: &Evaluation) -> Value {
    value(&EvaluationItemJson {
        id,
        kind: match kind {
            SubjectKind::Indicator => "indicator",
            SubjectKind::Target => "target",
        },
        name,
        status: e.status.code(),
        status_zh: e.status.zh(),
        expected: num(e.expected.map(round2)),
        actual: num(e.actual.map(|a| (a * 10_000.0).round() / 10_000.0)),
        actual_year: e.actual_year,
        progress_pct: num(e.progress_pct.map(round2)),
        schedule_pct: num(e.schedule_pct.map(round2)),
        projection: e.projection.as_ref().map(|p| ProjectionJson {
            year: p.year,
            end_value: num(p.end_value.map(round2)),
            reaches_target: p.reaches_target,
            remaining_years: p.remaining_years,
            required_annual_rate: num(p.required_annual_rate.map(round2)),
            required_annual_change: num(p.required_annual_change.map(round2)),
        }),
        reason: &e.reason_zh,
        reason_en: &e.reason_en,
    })
}

#[derive(Serialize)]
struct EvaluationJson<'a> {
    schema: &'static str,
    plan: PlanRef<'a>,
    year: i32,
    params: ParamsJson,
    /// Every parameter of the method in force, by its name in a parameters file.
    method: BTreeMap<&'a str, &'a str>,
    results: Vec<Value>,
}

#[derive(Serialize)]
struct ParamsJson {
    tolerance: f64,
}

/// A plan's evaluation for a year: `(id, kind, name, evaluation)` per subject; `method`
/// lists the parameters in force (name, value).
pub fn evaluation(
    plan: PlanRef,
    year: i32,
    tolerance: f64,
    method: &[(String, String)],
    results: &[(&str, SubjectKind, &str, &Evaluation)],
) -> Value {
    value(&EvaluationJson {
        schema: EVALUATION_SCHEMA,
        plan,
        year,
        params: ParamsJson { tolerance },
        method: method
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect(),
        results: results
            .iter()
            .map(|(id, kind, name, e)| evaluation_item(id, *kind, name, e))
            .collect(),
    })
}

#[derive(Serialize)]
struct FindingJson<'a> {
    code: &'static str,
    severity: &'static str,
    subject: &'a str,
    message: &'a str,
    lines: &'a [u32],
}

#[derive(Serialize)]
struct AuditJson<'a> {
    schema: &'static str,
    plan: Option<&'a str>,
    file: &'a str,
    findings: Vec<FindingJson<'a>>,
}

/// The audit of one plan (`plan`: its title; `file`: where it was read from).
pub fn audit(plan: Option<&str>, file: &str, findings: &[Finding]) -> Value {
    value(&AuditJson {
        schema: AUDIT_SCHEMA,
        plan,
        file,
        findings: findings
            .iter()
            .map(|f| FindingJson {
                code: f.code,
                severity: f.severity.as_str(),
                subject: &f.subject,
                message: &f.message,
                lines: &f.lines,
            })
            .collect(),
    })
}

#[derive(Serialize)]
struct AlignedJson<'a> {
    id: &'a str,
    name: &'a str,
    unit: Option<&'a str>,
    attribute: Option<&'static str>,
    target: &'a str,
    pace: &'a str,
    line: u32,
}

fn aligned(i: &guihua_model::Indicator) -> AlignedJson<'_> {
    AlignedJson {
        id: &i.id,
        name: &i.name,
        unit: i.unit.as_deref(),
        attribute: i.attribute.map(|a| match a {
            guihua_model::Attribute::Binding => "binding",
            guihua_model::Attribute::Anticipatory => "anticipatory",
        }),
        target: &i.target.text,
        pace: &i.pace.text,
        line: i.line,
    }
}

#[derive(Serialize)]
struct AlignmentRowJson<'a> {
    higher: AlignedJson<'a>,
    lower: Option<AlignedJson<'a>>,
    catalog_id: Option<&'a str>,
    verdict: &'static str,
    reason: &'a str,
}

#[derive(Serialize)]
struct AlignmentJson<'a> {
    schema: &'static str,
    /// The plans: (id, region or title).
    higher: (i64, &'a str),
    lower: (i64, &'a str),
    periods_differ: bool,
    rows: Vec<AlignmentRowJson<'a>>,
    /// Indicators of the lower plan with no counterpart above.
    unmatched: Vec<AlignedJson<'a>>,
}

/// The audit of a stored plan with its alignment with the plan above it (the audit
/// document with an `alignment` field holding a `guihua.alignment/1` document).
pub fn audit_aligned(
    plan: Option<&str>,
    file: &str,
    findings: &[Finding],
    higher: (i64, &str),
    lower: (i64, &str),
    a: &guihua_audit::align::Alignment,
) -> Value {
    let mut doc = audit(plan, file, findings);
    doc["alignment"] = alignment(higher, lower, a);
    doc
}

/// The alignment (衔接) of a lower plan with a higher one.
pub fn alignment(
    higher: (i64, &str),
    lower: (i64, &str),
    a: &guihua_audit::align::Alignment,
) -> Value {
    value(&AlignmentJson {
        schema: ALIGNMENT_SCHEMA,
        higher,
        lower,
        periods_differ: a.periods_differ,
        rows: a
            .rows
            .iter()
            .map(|r| AlignmentRowJson {
                higher: aligned(&r.higher),
                lower: r.lower.as_ref().map(aligned),
                catalog_id: r.catalog_id.as_deref(),
                verdict: r.verdict.code(),
                reason: &r.reason,
            })
            .collect(),
        unmatched: a.unmatched.iter().map(aligned).collect(),
    })
}

/// One plan's row of a comparison.
#[derive(Debug, Clone)]
pub struct ComparisonRow<'a> {
    pub plan: i64,
    pub region: Option<&'a str>,
    pub indicator: &'a str,
    pub name: &'a str,
    pub unit: Option<&'a str>,
    pub base: &'a str,
    pub target: &'a str,
    /// The evaluation's actual (for a rate target the average to date).
    pub actual: Option<f64>,
    pub actual_year: Option<i32>,
    /// The latest value entered, with its year (also when there is no verdict).
    pub latest: Option<f64>,
    pub latest_year: Option<i32>,
    pub status: Option<Status>,
}

#[derive(Serialize)]
struct ComparisonRowJson<'a> {
    plan: i64,
    region: Option<&'a str>,
    indicator: &'a str,
    name: &'a str,
    unit: Option<&'a str>,
    base: &'a str,
    target: &'a str,
    actual: Value,
    actual_year: Option<i32>,
    latest: Value,
    latest_year: Option<i32>,
    status: Option<&'static str>,
}

#[derive(Serialize)]
struct ComparisonJson<'a> {
    schema: &'static str,
    indicator: &'a str,
    catalog_id: Option<&'a str>,
    plans: Vec<ComparisonRowJson<'a>>,
}

/// One indicator across plans.
pub fn comparison(indicator: &str, catalog_id: Option<&str>, rows: &[ComparisonRow]) -> Value {
    value(&ComparisonJson {
        schema: COMPARISON_SCHEMA,
        indicator,
        catalog_id,
        plans: rows
            .iter()
            .map(|r| ComparisonRowJson {
                plan: r.plan,
                region: r.region,
                indicator: r.indicator,
                name: r.name,
                unit: r.unit,
                base: r.base,
                target: r.target,
                actual: num(r.actual),
                actual_year: r.actual_year,
                latest: num(r.latest),
                latest_year: r.latest_year,
                status: r.status.map(|s| s.code()),
            })
            .collect(),
    })
}

/// One exported observation (`observe export --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct ObservationRow<'a> {
    pub plan: i64,
    pub region: &'a str,
    /// indicator | target
    pub kind: &'a str,
    pub id: &'a str,
    pub name: &'a str,
    pub unit: &'a str,
    pub year: i32,
    pub value: f64,
    pub source: Option<&'a str>,
    pub note: Option<&'a str>,
    pub entered_by: &'a str,
    pub entered_at: &'a str,
    /// The catalogue id the indicator is linked to ("" when none).
    pub catalog: &'a str,
}

/// An observation export: an array of [`ObservationRow`].
pub fn observations(rows: &[ObservationRow]) -> Value {
    value(&rows)
}

#[derive(Serialize)]
struct CanonicalJson<'a> {
    id: &'a str,
    name: &'a str,
    unit: &'a str,
    direction: &'static str,
    attribute: Option<&'static str>,
    category: &'a str,
    national: bool,
    /// A main indicator of the national 15th FYP: "verified" or "uncertain" (none: not
    /// known to be one).
    national_15: Option<&'static str>,
    aliases: &'a [&'a str],
}

/// The indicator catalogue (`indicator catalogue --json`).
pub fn catalog(entries: &[Canonical]) -> Value {
    value(
        &entries
            .iter()
            .map(|c| CanonicalJson {
                id: c.id,
                name: c.name,
                unit: c.unit,
                direction: c.direction.as_str(),
                attribute: c.attribute.map(|a| a.zh()),
                category: c.category,
                national: c.national,
                national_15: guihua_catalog::national_15(c.id).map(|x| x.as_str()),
                aliases: c.aliases,
            })
            .collect::<Vec<_>>(),
    )
}

#[derive(Serialize)]
struct AddedJson<'a> {
    file: &'a str,
    result: &'a crate::library::Added,
}

/// What adding one file did (`add --json`, one object per file).
pub fn added(file: &str, result: &crate::library::Added) -> Value {
    value(&AddedJson { file, result })
}

#[derive(Serialize)]
struct ProjectsJson<'a> {
    projects: &'a [crate::library::ProjectRow],
    status: &'a [crate::library::ProjectStatus],
}

/// A plan's projects with their yearly status (`show PLAN projects --json`).
pub fn projects(
    projects: &[crate::library::ProjectRow],
    status: &[crate::library::ProjectStatus],
) -> Value {
    value(&ProjectsJson { projects, status })
}
