//! The public plan JSON contract, `guihua.plan/1` (see `shared/contract/plan-json.md`).
//!
//! This crate is the only place that knows the wire format. The internal model
//! (`guihua-model`) may change shape; this mapping keeps the published names and meanings
//! stable. Fields may be added here, never renamed or dropped.
//!
//! Numbers that are whole are written as JSON integers (`510`, not `510.0`), so the output
//! reads like the plan.

use guihua_model::{
    Attribute, Comparator, Diagnostic, Indicator, Level, OutlineNode, Plan, Project, Quantity,
    QuantityKind, ReviewRow, Target,
};
use serde::Serialize;
use serde_json::Value;

/// The schema identifier written in every object.
pub const SCHEMA: &str = "guihua.plan/1";

/// Where a plan came from (the reader's knowledge, not the parser's).
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub file: String,
    /// txt | md | docx | html | pdf
    pub format: String,
    /// utf-8 | gb18030 | utf-16le | utf-16be
    pub encoding: String,
    pub sha256: String,
}

#[derive(Serialize)]
struct PlanJson<'a> {
    schema: &'static str,
    title: Option<&'a str>,
    region: Option<&'a str>,
    period: Option<PeriodJson>,
    adopted: Option<AdoptedJson<'a>>,
    source: &'a Source,
    outline: Vec<NodeJson<'a>>,
    indicators: Vec<IndicatorJson<'a>>,
    indicator_notes: Vec<NoteJson<'a>>,
    /// Added field: the review of the previous plan (its targets against actuals).
    review: Vec<ReviewJson<'a>>,
    /// Added field: notes printed under the review table.
    review_notes: Vec<NoteJson<'a>>,
    targets: Vec<TargetJson<'a>>,
    /// Added field: values stated for the base year or earlier.
    facts: Vec<TargetJson<'a>>,
    projects: Vec<ProjectJson<'a>>,
    diagnostics: Vec<DiagnosticJson<'a>>,
}

#[derive(Serialize)]
struct PeriodJson {
    start: i32,
    end: i32,
}

#[derive(Serialize)]
struct AdoptedJson<'a> {
    date: Option<&'a str>,
    by: Option<&'a str>,
    line: u32,
}

#[derive(Serialize)]
struct NodeJson<'a> {
    id: &'a str,
    level: &'static str,
    number: Option<u32>,
    title: &'a str,
    line: u32,
    children: Vec<NodeJson<'a>>,
}

#[derive(Serialize)]
struct QuantityJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<i32>,
    text: &'a str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_max: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comparator: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    per_year: bool,
    /// Added: a level to hold in every year of the period.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    held: bool,
    /// Added: the value is marked as an estimate (∗ * ※).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    estimate: bool,
    /// Added: the years the value covers when stated ("“十四五”年均增长4.0").
    #[serde(skip_serializing_if = "Option::is_none")]
    span: Option<PeriodJson>,
    /// Added: several numbers in one cell ("8358/244"), in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parts: Vec<Value>,
}

#[derive(Serialize)]
struct ReviewJson<'a> {
    #[serde(flatten)]
    indicator: IndicatorJson<'a>,
    actual: QuantityJson<'a>,
    status: Option<&'a str>,
}

#[derive(Serialize)]
struct IndicatorJson<'a> {
    id: &'a str,
    seq: Option<&'a str>,
    category: Option<&'a str>,
    name: &'a str,
    unit: Option<&'a str>,
    attribute: Option<&'static str>,
    base: QuantityJson<'a>,
    target: QuantityJson<'a>,
    pace: QuantityJson<'a>,
    parent: Option<&'a str>,
    #[serde(rename = "box")]
    box_id: Option<&'a str>,
    line: u32,
}

#[derive(Serialize)]
struct NoteJson<'a> {
    text: &'a str,
    line: u32,
}

#[derive(Serialize)]
struct TargetJson<'a> {
    id: &'a str,
    subject: &'a str,
    #[serde(flatten)]
    quantity: QuantityJson<'a>,
    section: Option<&'a str>,
    line: u32,
}

#[derive(Serialize)]
struct MoneyJson<'a> {
    value: Value,
    unit: &'a str,
}

#[derive(Serialize)]
struct ProjectJson<'a> {
    id: &'a str,
    name: &'a str,
    group: Option<&'a str>,
    #[serde(rename = "box")]
    box_id: Option<&'a str>,
    section: Option<&'a str>,
    investment: Option<MoneyJson<'a>>,
    capacity: Option<&'a str>,
    text: &'a str,
    line: u32,
}

#[derive(Serialize)]
struct DiagnosticJson<'a> {
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    line: Option<u32>,
}

/// A number as JSON: whole numbers as integers.
pub fn number(v: f64) -> Value {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15 {
        // Exact: |v| < 2^53 and whole.
        Value::from(v as i64)
    } else {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

pub fn level_name(l: Level) -> &'static str {
    match l {
        Level::Preface => "preface",
        Level::Part => "part",
        Level::Chapter => "chapter",
        Level::Section => "section",
        Level::Box => "box",
    }
}

pub fn kind_name(k: QuantityKind) -> &'static str {
    match k {
        QuantityKind::Level => "level",
        QuantityKind::Growth => "growth",
        QuantityKind::Cumulative => "cumulative",
        QuantityKind::Relative => "relative",
        QuantityKind::Delegated => "delegated",
        QuantityKind::Qualitative => "qualitative",
        QuantityKind::None => "none",
    }
}

pub fn comparator_name(c: Comparator) -> &'static str {
    match c {
        Comparator::Eq => "eq",
        Comparator::Approx => "approx",
        Comparator::Gt => "gt",
        Comparator::Ge => "ge",
        Comparator::Lt => "lt",
        Comparator::Le => "le",
        Comparator::Range => "range",
    }
}

pub fn attribute_name(a: Attribute) -> &'static str {
    match a {
        Attribute::Anticipatory => "anticipatory",
        Attribute::Binding => "binding",
    }
}

fn quantity(q: &Quantity) -> QuantityJson<'_> {
    QuantityJson {
        year: q.year,
        text: &q.text,
        kind: kind_name(q.kind),
        value: q.value.map(number),
        value_max: q.value_max.map(number),
        comparator: q.comparator.map(comparator_name),
        unit: q.unit.as_deref(),
        reference: q.reference.as_deref(),
        per_year: q.per_year,
        held: q.held,
        estimate: q.estimate,
        span: q.span.map(|(start, end)| PeriodJson { start, end }),
        parts: q.parts.iter().copied().map(number).collect(),
    }
}

fn review(r: &ReviewRow) -> ReviewJson<'_> {
    ReviewJson {
        indicator: indicator(&r.indicator),
        actual: quantity(&r.actual),
        status: r.status.as_deref(),
    }
}

fn notes(n: &[guihua_model::Note]) -> Vec<NoteJson<'_>> {
    n.iter()
        .map(|n| NoteJson {
            text: &n.text,
            line: n.line,
        })
        .collect()
}

fn node(n: &OutlineNode) -> NodeJson<'_> {
    NodeJson {
        id: &n.id,
        level: level_name(n.level),
        number: n.number,
        title: &n.title,
        line: n.line,
        children: n.children.iter().map(node).collect(),
    }
}

fn indicator(i: &Indicator) -> IndicatorJson<'_> {
    IndicatorJson {
        id: &i.id,
        seq: i.seq.as_deref(),
        category: i.category.as_deref(),
        name: &i.name,
        unit: i.unit.as_deref(),
        attribute: i.attribute.map(attribute_name),
        base: quantity(&i.base),
        target: quantity(&i.target),
        pace: quantity(&i.pace),
        parent: i.parent.as_deref(),
        box_id: i.box_id.as_deref(),
        line: i.line,
    }
}

fn target(t: &Target) -> TargetJson<'_> {
    TargetJson {
        id: &t.id,
        subject: &t.subject,
        quantity: quantity(&t.quantity),
        section: t.section.as_deref(),
        line: t.line,
    }
}

fn project(p: &Project) -> ProjectJson<'_> {
    ProjectJson {
        id: &p.id,
        name: &p.name,
        group: p.group.as_deref(),
        box_id: p.box_id.as_deref(),
        section: p.section.as_deref(),
        investment: p.investment.as_ref().map(|m| MoneyJson {
            value: number(m.value),
            unit: &m.unit,
        }),
        capacity: p.capacity.as_deref(),
        text: &p.text,
        line: p.line,
    }
}

fn diagnostic(d: &Diagnostic) -> DiagnosticJson<'_> {
    DiagnosticJson {
        severity: d.severity.as_str(),
        code: d.code,
        message: &d.message,
        line: d.line,
    }
}

/// The contract object for a plan.
pub fn to_value(plan: &Plan, source: &Source) -> Value {
    let json = PlanJson {
        schema: SCHEMA,
        title: plan.title.as_deref(),
        region: plan.region.as_deref(),
        period: plan.period.map(|p| PeriodJson {
            start: p.start,
            end: p.end,
        }),
        adopted: plan.adopted.as_ref().map(|a| AdoptedJson {
            date: a.date.as_deref(),
            by: a.by.as_deref(),
            line: a.line,
        }),
        source,
        outline: plan.outline.iter().map(node).collect(),
        indicators: plan.indicators.iter().map(indicator).collect(),
        indicator_notes: notes(&plan.indicator_notes),
        review: plan.review.iter().map(review).collect(),
        review_notes: notes(&plan.review_notes),
        targets: plan.targets.iter().map(target).collect(),
        facts: plan.facts.iter().map(target).collect(),
        projects: plan.projects.iter().map(project).collect(),
        diagnostics: plan.diagnostics.iter().map(diagnostic).collect(),
    };
    serde_json::to_value(json).unwrap_or(Value::Null)
}

/// One line of JSON (for JSON Lines output).
pub fn to_line(plan: &Plan, source: &Source) -> String {
    to_value(plan, source).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_integers() {
        assert_eq!(number(510.0).to_string(), "510");
        assert_eq!(number(0.3).to_string(), "0.3");
        assert_eq!(number(-3.7).to_string(), "-3.7");
        assert_eq!(number(f64::NAN), Value::Null);
    }

    #[test]
    fn contract_shape() {
        let plan = guihua_parse_free_plan();
        let src = Source {
            file: "a.txt".into(),
            format: "txt".into(),
            encoding: "utf-8".into(),
            sha256: "00".into(),
        };
        let v = to_value(&plan, &src);
        assert_eq!(v["schema"], "guihua.plan/1");
        assert_eq!(v["period"]["start"], 2021);
        assert_eq!(v["region"], Value::Null);
        assert!(v["outline"].as_array().is_some_and(|a| a.is_empty()));
        assert_eq!(v["source"]["encoding"], "utf-8");
    }

    fn guihua_parse_free_plan() -> Plan {
        Plan {
            period: Some(guihua_model::Period {
                start: 2021,
                end: 2025,
            }),
            ..Default::default()
        }
    }
}

/// Reading the contract back into the model (for plans kept as JSON, e.g. in the library).
pub mod documents;
pub mod library;

pub mod read {
    use guihua_model::{
        Adoption, Attribute, Comparator, Diagnostic, Indicator, Level, Money, Note, OutlineNode,
        Period, Plan, Project, Quantity, QuantityKind, ReviewRow, Severity, Target,
    };
    use serde_json::Value;

    /// Why a JSON value is not a `guihua.plan/1` object.
    #[derive(Debug, Clone, PartialEq)]
    pub struct ContractError(pub String);

    impl std::fmt::Display for ContractError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "not a guihua.plan/1 object: {}", self.0)
        }
    }

    impl std::error::Error for ContractError {}

    fn s(v: &Value, k: &str) -> Option<String> {
        v.get(k).and_then(Value::as_str).map(str::to_string)
    }
    fn u(v: &Value, k: &str) -> u32 {
        v.get(k)
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0)
    }
    fn f(v: &Value, k: &str) -> Option<f64> {
        v.get(k).and_then(Value::as_f64)
    }
    fn year(v: &Value) -> Option<i32> {
        v.get("year")
            .and_then(Value::as_i64)
            .and_then(|y| i32::try_from(y).ok())
    }
    fn arr<'a>(v: &'a Value, k: &str) -> &'a [Value] {
        v.get(k)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    fn kind(s: &str) -> QuantityKind {
        match s {
            "level" => QuantityKind::Level,
            "growth" => QuantityKind::Growth,
            "cumulative" => QuantityKind::Cumulative,
            "relative" => QuantityKind::Relative,
            "delegated" => QuantityKind::Delegated,
            "qualitative" => QuantityKind::Qualitative,
            _ => QuantityKind::None,
        }
    }

    fn comparator(s: &str) -> Option<Comparator> {
        Some(match s {
            "eq" => Comparator::Eq,
            "approx" => Comparator::Approx,
            "gt" => Comparator::Gt,
            "ge" => Comparator::Ge,
            "lt" => Comparator::Lt,
            "le" => Comparator::Le,
            "range" => Comparator::Range,
            _ => return None,
        })
    }

    fn quantity(v: &Value) -> Quantity {
        Quantity {
            text: s(v, "text").unwrap_or_default(),
            kind: kind(v.get("kind").and_then(Value::as_str).unwrap_or("none")),
            value: f(v, "value"),
            value_max: f(v, "value_max"),
            comparator: v
                .get("comparator")
                .and_then(Value::as_str)
                .and_then(comparator),
            unit: s(v, "unit"),
            year: year(v),
            reference: s(v, "reference"),
            per_year: flag(v, "per_year"),
            held: flag(v, "held"),
            estimate: flag(v, "estimate"),
            span: v.get("span").and_then(|p| {
                Some((
                    i32::try_from(p.get("start")?.as_i64()?).ok()?,
                    i32::try_from(p.get("end")?.as_i64()?).ok()?,
                ))
            }),
            parts: arr(v, "parts").iter().filter_map(Value::as_f64).collect(),
        }
    }

    fn flag(v: &Value, k: &str) -> bool {
        v.get(k).and_then(Value::as_bool).unwrap_or(false)
    }

    fn indicator(i: &Value) -> Indicator {
        Indicator {
            id: s(i, "id").unwrap_or_default(),
            seq: s(i, "seq"),
            category: s(i, "category"),
            name: s(i, "name").unwrap_or_default(),
            unit: s(i, "unit"),
            attribute: match i.get("attribute").and_then(Value::as_str) {
                Some("anticipatory") => Some(Attribute::Anticipatory),
                Some("binding") => Some(Attribute::Binding),
                _ => None,
            },
            base: quantity(i.get("base").unwrap_or(&Value::Null)),
            target: quantity(i.get("target").unwrap_or(&Value::Null)),
            pace: quantity(i.get("pace").unwrap_or(&Value::Null)),
            parent: s(i, "parent"),
            box_id: s(i, "box"),
            line: u(i, "line"),
        }
    }

    fn notes(v: &Value, k: &str) -> Vec<Note> {
        arr(v, k)
            .iter()
            .map(|n| Note {
                text: s(n, "text").unwrap_or_default(),
                line: u(n, "line"),
            })
            .collect()
    }

    fn node(v: &Value, depth: usize) -> OutlineNode {
        let level = match v.get("level").and_then(Value::as_str) {
            Some("part") => Level::Part,
            Some("chapter") => Level::Chapter,
            Some("section") => Level::Section,
            Some("box") => Level::Box,
            _ => Level::Preface,
        };
        OutlineNode {
            id: s(v, "id").unwrap_or_default(),
            level,
            number: v
                .get("number")
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok()),
            title: s(v, "title").unwrap_or_default(),
            line: u(v, "line"),
            children: if depth < 16 {
                arr(v, "children")
                    .iter()
                    .map(|c| node(c, depth + 1))
                    .collect()
            } else {
                Vec::new()
            },
        }
    }

    fn target(v: &Value) -> Target {
        Target {
            id: s(v, "id").unwrap_or_default(),
            subject: s(v, "subject").unwrap_or_default(),
            quantity: quantity(v),
            section: s(v, "section"),
            line: u(v, "line"),
        }
    }

    /// Diagnostic codes are static in the model; codes this build does not know read back
    /// as "other".
    fn code(c: &str) -> &'static str {
        guihua_model::DIAGNOSTIC_CODES
            .iter()
            .find(|k| **k == c)
            .copied()
            .unwrap_or("other")
    }

    /// A plan from its contract JSON.
    pub fn from_value(v: &Value) -> Result<Plan, ContractError> {
        match v.get("schema").and_then(Value::as_str) {
            Some(super::SCHEMA) => {}
            Some(other) => return Err(ContractError(format!("schema is {other}"))),
            None => return Err(ContractError("no schema field".into())),
        }
        let period = v.get("period").and_then(|p| {
            Some(Period {
                start: i32::try_from(p.get("start")?.as_i64()?).ok()?,
                end: i32::try_from(p.get("end")?.as_i64()?).ok()?,
            })
        });
        let adopted = v
            .get("adopted")
            .filter(|a| a.is_object())
            .map(|a| Adoption {
                date: s(a, "date"),
                by: s(a, "by"),
                line: u(a, "line"),
            });
        let indicators = arr(v, "indicators").iter().map(indicator).collect();
        let review = arr(v, "review")
            .iter()
            .map(|r| ReviewRow {
                indicator: indicator(r),
                actual: quantity(r.get("actual").unwrap_or(&Value::Null)),
                status: s(r, "status"),
            })
            .collect();
        let projects = arr(v, "projects")
            .iter()
            .map(|p| Project {
                id: s(p, "id").unwrap_or_default(),
                name: s(p, "name").unwrap_or_default(),
                group: s(p, "group"),
                box_id: s(p, "box"),
                section: s(p, "section"),
                investment: p.get("investment").and_then(|m| {
                    Some(Money {
                        value: f(m, "value")?,
                        unit: s(m, "unit")?,
                    })
                }),
                capacity: s(p, "capacity"),
                text: s(p, "text").unwrap_or_default(),
                line: u(p, "line"),
            })
            .collect();
        let diagnostics = arr(v, "diagnostics")
            .iter()
            .map(|d| Diagnostic {
                severity: match d.get("severity").and_then(Value::as_str) {
                    Some("error") => Severity::Error,
                    Some("info") => Severity::Info,
                    _ => Severity::Warning,
                },
                code: code(d.get("code").and_then(Value::as_str).unwrap_or("")),
                message: s(d, "message").unwrap_or_default(),
                line: d
                    .get("line")
                    .and_then(Value::as_u64)
                    .and_then(|n| u32::try_from(n).ok()),
            })
            .collect();
        Ok(Plan {
            title: s(v, "title"),
            region: s(v, "region"),
            period,
            adopted,
            outline: arr(v, "outline").iter().map(|n| node(n, 0)).collect(),
            indicators,
            indicator_notes: notes(v, "indicator_notes"),
            review,
            review_notes: notes(v, "review_notes"),
            targets: arr(v, "targets").iter().map(target).collect(),
            facts: arr(v, "facts").iter().map(target).collect(),
            projects,
            diagnostics,
        })
    }
}
