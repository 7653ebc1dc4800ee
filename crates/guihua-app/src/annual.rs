//! Annual targets (年度目标): what an annual plan or a government work report sets for one
//! indicator and year — "2026年主要预期目标是：地区生产总值增长6%左右；城镇调查失业率控制在
//! 5.5%以内…" — stored with where it was read, and used by the evaluation of that year.
//!
//! Reading a document: the parser already reads such sentences as prose targets (subject,
//! quantity, line); each is matched to one of the plan's indicators — by the indicator's
//! name, else through the catalogue (the plan indicator linked to the catalogue entry the
//! clause names) — and the matches and the clauses that matched nothing are shown before
//! anything is stored. A clause is never matched to two indicators, nor two clauses to one.

use std::collections::HashMap;

use guihua_eval::Params;
use guihua_model::{Document, Plan, QuantityKind};
use guihua_store::{AnnualTarget, PlanId, Store, SubjectKind};

use crate::policy::{Action, Principal};
use crate::subjects::Subjects;
use crate::{Error, Result};

/// One clause of the document matched to an indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Matched {
    pub indicator_id: String,
    pub indicator: String,
    /// The clause as written ("地区生产总值增长6%左右").
    pub clause: String,
    /// The target cell stored ("6%左右").
    pub cell: String,
    pub line: u32,
    /// How it was matched: "name", the catalogue id, or "sheet".
    pub by: String,
    /// The row's own source (a sheet's 来源 column); else the file is the source.
    pub source: Option<String>,
}

/// What a document holds for a plan's year, before anything is stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Preview {
    pub year: i32,
    pub matched: Vec<Matched>,
    /// Clauses with a target that match no indicator of the plan (clause, line).
    pub unmatched: Vec<(String, u32)>,
    /// Targets the document sets for another year (a 2035 vision): not taken (clause,
    /// line, year).
    pub other_years: Vec<(String, u32, i32)>,
    /// Clauses read but not taken, with why (no number, a unit that does not fit the row,
    /// the indicator matched by an earlier clause, a sign that contradicts the row).
    pub skipped: Vec<(String, u32, String)>,
}

/// Words that state a fall.
const FALL: &[&str] = &["下降", "降低", "减少", "回落", "压减"];
/// Words that state a rise.
const RISE: &[&str] = &["增长", "提高", "上升", "增加"];

/// An annual target as the method reads it for a rate row: the number part of the cell
/// with its sign made to agree with the row. On a row naming a reduction (…降低) the
/// number is the amount of reduction ("降低3%左右" → "3%左右"; a negative number or a rise is
/// refused); on any other rate row a fall is negative ("下降2%" → "-2%"). The number must be
/// read strictly (no exponents, no absurd magnitudes).
pub fn normalise_cell(cell: &str, row: &str) -> std::result::Result<String, String> {
    let t = cell.trim();
    let start = t
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit() || "-－−".contains(*c))
        .map(|(i, _)| i)
        .ok_or_else(|| format!("'{t}' states no number"))?;
    let (words, rest) = t.split_at(start);
    let (negative, rest) = match rest.chars().next() {
        Some(c @ ('-' | '－' | '−')) => (true, &rest[c.len_utf8()..]),
        _ => (false, rest),
    };
    let digits_end = rest
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
        .map_or(rest.len(), |(i, _)| i);
    let (number, tail) = rest.split_at(digits_end);
    if tail.trim_start().starts_with(['e', 'E']) {
        return Err(format!(
            "'{t}' is not a number the method reads (no exponents)"
        ));
    }
    let value = crate::input::number(number).map_err(|e| e.to_string())?;
    let fall = FALL.iter().any(|w| words.contains(w) || tail.contains(w));
    let rise = RISE.iter().any(|w| words.contains(w));
    let reduction_row = guihua_eval::is_reduction_name(row);
    let sign = match (reduction_row, fall, rise, negative) {
        (true, _, true, _) => {
            return Err(format!("'{t}' states a rise on {row}, a row of reductions"))
        }
        (true, _, _, true) => {
            return Err(format!(
                "'{t}': {row} counts the amount of reduction: write {}, not -{}",
                guihua_store::fmt_num(value),
                guihua_store::fmt_num(value)
            ))
        }
        (true, _, _, false) => "",
        (false, true, _, true) => {
            return Err(format!("'{t}': a fall written with a minus sign too"))
        }
        (false, true, _, false) | (false, false, _, true) => "-",
        (false, false, _, false) => "",
    };
    Ok(format!("{sign}{number}{}", tail.trim()))
}

/// The cell of a clause: what follows the indicator's name ("增长6%左右" → "6%左右";
/// "控制在5.5%以内" → "5.5%以内"), as a 年均/累计 cell is written.
fn cell_of(clause: &str) -> String {
    let start = clause
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit() || "０１２３４５６７８９".contains(*c))
        .map_or(clause.len(), |(i, _)| i);
    let cell = clause[start..].trim();
    if cell.is_empty() {
        clause.trim().to_string()
    } else {
        cell.to_string()
    }
}

/// The names a clause may stand for: the words before its number without the verb
/// ("地区生产总值增长6%左右" → 地区生产总值增长), and its subject with the change it states.
fn candidates(subject: &str, clause: &str, kind: QuantityKind, value: Option<f64>) -> Vec<String> {
    let head: String = clause
        .chars()
        .take_while(|c| !c.is_ascii_digit() && !"０１２３４５６７８９".contains(*c))
        .collect();
    let mut head = head.trim().to_string();
    for verb in [
        "控制在",
        "稳定在",
        "保持在",
        "提高到",
        "提高至",
        "达到",
        "超过",
        "不低于",
        "不高于",
        "低于",
        "高于",
        "在",
        "为",
    ] {
        if let Some(h) = head.strip_suffix(verb) {
            head = h.trim().to_string();
        }
    }
    let mut out = vec![head, subject.trim().to_string()];
    match kind {
        QuantityKind::Growth if value.is_some_and(|v| v < 0.0) => {
            out.push(format!("{subject}降低"));
            out.push(format!("{subject}下降"));
        }
        QuantityKind::Growth => out.push(format!("{subject}增长")),
        QuantityKind::Cumulative => {
            out.push(format!("{subject}降低"));
            out.push(format!("{subject}下降"));
            out.push(format!("{subject}降低率"));
        }
        _ => {}
    }
    out.retain(|c| !c.is_empty());
    out.dedup();
    out
}

/// Read an annual document (a government work report, an annual plan report) for a plan's
/// year: the plan's indicators it sets targets for, and the targets it states that match
/// none. Stores nothing.
pub fn read(store: &dyn Store, plan: &str, year: i32, document: &Document) -> Result<Preview> {
    let (row, model) = crate::evaluation::load_plan(store, plan)?;
    in_period(&row, year)?;
    let subjects = Subjects::load(store, row.clone())?;
    let parsed = crate::plans::parse("annual", document, "txt", "utf-8", "")?.0;
    let by_catalog: HashMap<&str, &str> = model
        .indicators
        .iter()
        .filter_map(|i| subjects.catalog_of(&i.id).map(|c| (c, i.id.as_str())))
        .collect();
    let name_of: HashMap<&str, &str> = model
        .indicators
        .iter()
        .map(|i| (i.id.as_str(), i.name.as_str()))
        .collect();
    let mut preview = Preview {
        year,
        ..Preview::default()
    };
    for t in &parsed.targets {
        let q = &t.quantity;
        if q.value.is_none() && q.kind != QuantityKind::Relative {
            preview.skipped.push((
                q.text.clone(),
                t.line,
                "no number (a target left to the level above, or words)".into(),
            ));
            continue;
        }
        // A clause about another year (a 2035 vision, last year's result) is not this one's.
        if let Some(y) = q.year.filter(|y| *y != year) {
            preview.other_years.push((q.text.clone(), t.line, y));
            continue;
        }
        let names = candidates(&t.subject, &q.text, q.kind, q.value);
        let by_name = names.iter().find_map(|n| {
            model
                .indicators
                .iter()
                .find(|i| i.name.trim() == n.as_str())
                .map(|i| (i.id.as_str(), "name".to_string()))
        });
        // Through the catalogue only for a name or alias (confidence ≥ 0.9), never a
        // fuzzy resemblance: 研发经费投入强度 is not 研发经费投入增长.
        let found = by_name.or_else(|| {
            names.iter().find_map(|n| {
                let m = guihua_catalog::match_name(n, q.unit.as_deref())?;
                if m.confidence < 0.9 {
                    return None;
                }
                by_catalog.get(m.id).map(|id| (*id, m.id.to_string()))
            })
        });
        let Some((id, by)) = found else {
            preview.unmatched.push((q.text.clone(), t.line));
            continue;
        };
        let ind = model.indicators.iter().find(|i| i.id == id);
        let row_unit = ind.and_then(|i| i.unit.as_deref());
        if preview.matched.iter().any(|m| m.indicator_id == id) {
            preview.skipped.push((
                q.text.clone(),
                t.line,
                format!("{id} was matched by an earlier clause"),
            ));
            continue;
        }
        if !guihua_model::same_unit(q.unit.as_deref(), row_unit) {
            preview.skipped.push((
                q.text.clone(),
                t.line,
                format!(
                    "its unit {} does not fit {id} ({})",
                    q.unit.as_deref().unwrap_or(""),
                    row_unit.unwrap_or("")
                ),
            ));
            continue;
        }
        let name = name_of.get(id).copied().unwrap_or("");
        let rate = ind.is_some_and(|i| {
            crate::evaluation::is_rate_row(&i.name, i.pace.kind, i.unit.as_deref())
        });
        let cell = if rate && q.kind != QuantityKind::Relative {
            match normalise_cell(&q.text, name) {
                Ok(c) => c,
                Err(why) => {
                    preview.skipped.push((q.text.clone(), t.line, why));
                    continue;
                }
            }
        } else {
            cell_of(&q.text)
        };
        preview.matched.push(Matched {
            indicator_id: id.to_string(),
            indicator: name.to_string(),
            clause: q.text.clone(),
            cell,
            line: t.line,
            by,
            source: None,
        });
    }
    Ok(preview)
}

/// Store the matched targets of a preview (planners), with the document named as their
/// source. Answers how many were new or changed.
pub fn import(
    store: &dyn Store,
    principal: &Principal,
    plan: &str,
    preview: &Preview,
    source: &str,
) -> Result<usize> {
    principal.authorize(Action::ManagePlans)?;
    let row = store.resolve(plan)?;
    let mut changed = 0;
    for m in &preview.matched {
        let t = AnnualTarget {
            plan_id: row.id,
            indicator_id: m.indicator_id.clone(),
            year: preview.year,
            cell: m.cell.clone(),
            source: Some(m.source.clone().unwrap_or_else(|| source.to_string())),
            line: Some(m.line),
            entered_by: String::new(),
            entered_at: String::new(),
        };
        if store.set_annual_target(&t, &principal.actor(None))? {
            changed += 1;
        }
    }
    Ok(changed)
}

/// Set one annual target by hand (planners): `indicator` an id or name of the plan's
/// table, `cell` as an annual plan writes it ("6左右", "<5.5", "〔3〕"). The cell must state a
/// number or a relation the method reads.
pub fn set(
    store: &dyn Store,
    principal: &Principal,
    plan: &str,
    indicator: &str,
    year: i32,
    cell: &str,
    source: Option<&str>,
) -> Result<bool> {
    principal.authorize(Action::ManagePlans)?;
    let (row, model) = crate::evaluation::load_plan(store, plan)?;
    in_period(&row, year)?;
    let subjects = Subjects::load(store, row.clone())?;
    let (_, id) = subjects
        .resolve(indicator, &[SubjectKind::Indicator])
        .map_err(|e| Error::NotFound(format!("{indicator}: {e}")))?;
    let ind = model.indicators.iter().find(|i| i.id == id);
    let cell = checked_cell(ind, cell).map_err(|e| Error::Invalid(format!("{cell}: {e}")))?;
    Ok(store.set_annual_target(
        &AnnualTarget {
            plan_id: row.id,
            indicator_id: id,
            year,
            cell,
            source: source.map(str::to_string),
            line: None,
            entered_by: String::new(),
            entered_at: String::new(),
        },
        &principal.actor(None),
    )?)
}

/// Remove an annual target (planners); the history keeps what it was. `false` when the
/// indicator had none that year.
pub fn remove(
    store: &dyn Store,
    principal: &Principal,
    plan: &str,
    indicator: &str,
    year: i32,
) -> Result<bool> {
    principal.authorize(Action::ManagePlans)?;
    let row = store.resolve(plan)?;
    let subjects = Subjects::load(store, row.clone())?;
    let (_, id) = subjects
        .resolve(indicator, &[SubjectKind::Indicator])
        .map_err(|e| Error::NotFound(format!("{indicator}: {e}")))?;
    Ok(store.remove_annual_target(row.id, &id, year, &principal.actor(None))?)
}

/// A year of the plan's period (not its base year: that is never evaluated).
fn in_period(row: &guihua_store::PlanRow, year: i32) -> Result<()> {
    match row.period {
        Some((s, e)) if !(s..=e).contains(&year) => Err(Error::Invalid(format!(
            "{year} is not a year of the plan period {s}–{e}"
        ))),
        _ => Ok(()),
    }
}

/// An annual target cell for a row, as stored: for a rate row the number with its sign
/// made to agree with the row ([`normalise_cell`]) in a unit that fits; for a level row a
/// number read strictly, in the row's unit. A relation (与经济增长同步) is kept as written.
fn checked_cell(
    ind: Option<&guihua_model::Indicator>,
    cell: &str,
) -> std::result::Result<String, String> {
    let unit = ind.and_then(|i| i.unit.as_deref());
    let chars: Vec<char> = cell.chars().collect();
    if chars
        .windows(2)
        .any(|w| w[0].is_ascii_digit() && matches!(w[1], 'e' | 'E'))
    {
        return Err("a number with an exponent: no exponents (write it out)".into());
    }
    let q =
        guihua_parse::quantity::parse_cell(cell, guihua_parse::quantity::Column::Pace, unit, None);
    if q.value.is_none() && q.kind != QuantityKind::Relative {
        return Err(
            "states no target the method reads (6左右, <5.5, 下降2%) or a relation (与经济增长同步)"
                .into(),
        );
    }
    if q.kind == QuantityKind::Relative {
        return Ok(cell.trim().to_string());
    }
    // The unit written in the cell must be the row's ("130亿元" is no target of a % row).
    let written: String = cell
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .skip_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .filter(|c| !c.is_whitespace())
        .collect();
    let written = written.trim_end_matches(|c: char| "左右以上以下以内".contains(c));
    if !written.is_empty() && !guihua_model::same_unit(Some(written), unit) {
        return Err(format!(
            "its unit {written} does not fit the row ({})",
            unit.unwrap_or("no unit")
        ));
    }
    match ind {
        Some(i) if crate::evaluation::is_rate_row(&i.name, i.pace.kind, i.unit.as_deref()) => {
            normalise_cell(cell, &i.name)
        }
        _ => {
            let number: String = cell
                .chars()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
                .collect();
            crate::input::number(&number).map_err(|e| e.to_string())?;
            if cell.contains(['e', 'E']) {
                return Err("no exponents".into());
            }
            Ok(cell.trim().to_string())
        }
    }
}

/// A plan's stored annual targets.
pub fn list(store: &dyn Store, plan: &str) -> Result<(guihua_store::PlanRow, Vec<AnnualTarget>)> {
    let row = store.resolve(plan)?;
    let targets = store.annual_targets(row.id)?;
    Ok((row, targets))
}

/// The stored annual targets of `year` as the evaluation's target overrides — only for
/// rows the plan leaves to annual plans (a rate row whose pace and target state no number:
/// "保持在合理区间、各年度视情提出"), where no `--target` was given for the row (the flag
/// wins). A row with its own pace (年均7, 〔14〕) keeps it as the measure; a level's annual
/// target is shown in reports, not measured against.
pub fn apply(
    store: &dyn Store,
    plan_id: PlanId,
    plan: &Plan,
    year: i32,
    params: &mut Params,
) -> Result<()> {
    for t in store.annual_targets(plan_id)? {
        if t.year != year || params.target_overrides.contains_key(&t.indicator_id) {
            continue;
        }
        let Some(ind) = plan.indicators.iter().find(|i| i.id == t.indicator_id) else {
            continue;
        };
        if !crate::evaluation::is_rate_row(&ind.name, ind.pace.kind, ind.unit.as_deref()) {
            continue;
        }
        // Only rows the plan leaves to annual plans (各年度视情提出: no number in its pace or
        // target): a plan's own pace (年均7, 〔14〕) stays the measure of the period.
        if ind.pace.value.is_some() || ind.target.value.is_some() {
            continue;
        }
        let q = guihua_parse::quantity::parse_cell(
            &t.cell,
            guihua_parse::quantity::Column::Pace,
            ind.unit.as_deref(),
            None,
        );
        if q.value.is_some() {
            params.target_overrides.insert(ind.id.clone(), q);
        }
    }
    Ok(())
}

const SHEET_INDICATOR: &[&str] = &["指标", "indicator", "编号", "id", "指标名称"];
const SHEET_YEAR: &[&str] = &["年份", "year", "年度"];
const SHEET_TARGET: &[&str] = &["年度目标", "目标", "target", "预期目标"];
const SHEET_SOURCE: &[&str] = &["来源", "source", "数据来源", "出处"];

/// Read annual targets from a sheet (CSV or XLSX: 指标, 年份, 目标, 来源; the year may be left
/// out when `year` says it), with the import limits and row/column errors. Every row must
/// name an indicator of the plan, its year and a target the method reads; any bad row
/// refuses the file ([`Error::Rejected`], every row's error listed). Stores nothing.
pub fn read_sheet(
    store: &dyn Store,
    plan: &str,
    year: i32,
    name: &str,
    bytes: &[u8],
) -> Result<Preview> {
    use crate::input::table::{self, col_label, column, RowError};
    let is_header =
        |h: &[String]| column(h, SHEET_INDICATOR).is_some() && column(h, SHEET_TARGET).is_some();
    let t = table::read(name, bytes, &is_header, "annual targets").map_err(Error::Rejected)?;
    let (row, model) = crate::evaluation::load_plan(store, plan)?;
    in_period(&row, year)?;
    let subjects = Subjects::load(store, row)?;
    let (Some(ci), Some(ct)) = (
        column(&t.headers, SHEET_INDICATOR),
        column(&t.headers, SHEET_TARGET),
    ) else {
        return Err(Error::Rejected(vec![RowError {
            row: 0,
            column: String::new(),
            message: format!("{name}: the sheet needs the columns 指标 and 目标"),
        }]));
    };
    let cy = column(&t.headers, SHEET_YEAR);
    let cs = column(&t.headers, SHEET_SOURCE);
    let mut preview = Preview {
        year,
        ..Preview::default()
    };
    let mut errors = Vec::new();
    for r in &t.rows {
        let cell = |i: usize| r.cells.get(i).map(|c| c.trim()).unwrap_or("");
        let err = |col: usize, message: String| RowError {
            row: r.number,
            column: col_label(&t.headers, col),
            message,
        };
        if let Some(c) = cy {
            match crate::input::year(cell(c)) {
                Ok(y) if y == year => {}
                Ok(y) => {
                    errors.push(err(c, format!("{y} is not the year imported ({year})")));
                    continue;
                }
                Err(e) => {
                    errors.push(err(c, e.to_string()));
                    continue;
                }
            }
        }
        let id = match subjects.resolve(cell(ci), &[SubjectKind::Indicator]) {
            Ok((_, id)) => id,
            Err(e) => {
                errors.push(err(ci, format!("{}: {e}", cell(ci))));
                continue;
            }
        };
        let target = cell(ct);
        let ind = model.indicators.iter().find(|i| i.id == id);
        let checked = if target.is_empty() {
            Err("states no target the method reads (6左右, <5.5, 下降2%)".to_string())
        } else {
            checked_cell(ind, target)
        };
        let stored = match checked {
            Ok(c) => c,
            Err(e) => {
                errors.push(err(ct, format!("'{target}' {e}")));
                continue;
            }
        };
        if preview.matched.iter().any(|m| m.indicator_id == id) {
            errors.push(err(ci, format!("{id} is in the sheet twice")));
            continue;
        }
        preview.matched.push(Matched {
            indicator: ind.map(|i| i.name.clone()).unwrap_or_default(),
            indicator_id: id,
            clause: target.to_string(),
            cell: stored,
            line: u32::try_from(r.number).unwrap_or(0),
            by: "sheet".into(),
            source: cs.map(|c| cell(c).to_string()).filter(|s| !s.is_empty()),
        });
    }
    if !errors.is_empty() {
        return Err(Error::Rejected(errors));
    }
    Ok(preview)
}
