//! Report assembly: a stored plan, its observations, project progress and departments →
//! the evaluation engine → the input of the hand-in report (`guihua-report`), the same for
//! every front end. The front end chooses the format and writes the bytes.

use std::collections::BTreeMap;

use guihua_report::{
    Format, Kind, Lang, ProjectRow, ProjectStatus, ProjectYear, ReportInput, Responsibility,
};
use guihua_store::{PlanRow, Role, Store};

use crate::evaluation::{load_plan, observation_set};
use crate::Result;

/// What a report is asked for.
pub struct Request<'a> {
    /// The plan (id, region or prefix, as [`Store::resolve`] takes it).
    pub plan: &'a str,
    pub year: i32,
    pub kind: Kind,
    pub lang: Lang,
    /// The method's parameters and annual targets as asked for.
    pub method: crate::method::Method<'a>,
    /// The date printed on the report (YYYY-MM-DD): the front end's clock, not ours.
    pub generated_on: String,
    /// A narrative file (name for messages, text): 主要成效 / 存在问题 / 下一步工作.
    pub narrative: Option<(&'a str, &'a str)>,
    /// The Word report's typography.
    pub style: guihua_report::DocStyle,
}

/// A project status as stored (Chinese or English word) in the report's terms.
fn status_of(s: &str) -> Option<ProjectStatus> {
    ProjectStatus::ALL
        .into_iter()
        .find(|p| p.zh() == s || p.en().eq_ignore_ascii_case(s))
}

/// Which years each kind of report can be written for, in a plan running `start..=end`:
/// an annual report for any year of the period; a mid-term evaluation before the last year
/// (时间过半: usually the third of five); a final evaluation for the last year only.
pub fn check_kind_year(kind: Kind, period: (i32, i32), year: i32) -> Result<()> {
    let (start, end) = period;
    let ok = match kind {
        Kind::Annual => (start..=end).contains(&year),
        Kind::Midterm => (start..end).contains(&year),
        Kind::Final => year == end,
    };
    if ok {
        return Ok(());
    }
    Err(crate::Error::Invalid(match kind {
        Kind::Annual => format!(
            "an annual report is for a year of the plan period {start}–{end}, not {year}"
        ),
        Kind::Midterm => format!(
            "a mid-term evaluation of the plan {start}–{end} is for a year from {start} to {} (usually {}), not {year}",
            end - 1,
            start + (end - start) / 2
        ),
        Kind::Final => format!(
            "a final evaluation of the plan {start}–{end} is for its last year {end}, not {year}"
        ),
    }))
}

/// The report's input for a stored plan, and the plan as listed.
pub fn assemble(store: &dyn Store, r: &Request) -> Result<(PlanRow, ReportInput)> {
    let (row, plan) = load_plan(store, r.plan)?;
    if let Some(p) = plan.period {
        check_kind_year(r.kind, (p.start, p.end), r.year)?;
    }
    let set = observation_set(store, row.id, &plan)?;
    let names = crate::subjects::Subjects::load(store, row.clone())?;
    let mut params = r.method.params(&names, &plan)?;
    // A year's own target measures that year only: not a mid-term or final evaluation.
    if r.kind == guihua_report::Kind::Annual {
        crate::annual::apply(store, row.id, &plan, r.year, &mut params)?;
    }
    let evaluations = guihua_eval::evaluate_plan(&plan, r.year, &set, &params);
    let mut subjects = guihua_report::subjects_from_plan_with(&plan, evaluations, &set, &params);
    // The annual plan's target for the year: stored (`guihua annual`) or given (`--target`).
    let stored: Vec<_> = store
        .annual_targets(row.id)?
        .into_iter()
        .filter(|t| t.year == r.year)
        .collect();
    for s in &mut subjects {
        if let Some(q) = params.target_overrides.get(&s.subject.id) {
            s.annual_target = Some(q.text.clone());
        } else if let Some(t) = stored.iter().find(|t| t.indicator_id == s.subject.id) {
            // A level's annual target: shown beside the planned level, not measured.
            s.annual_target = Some(t.cell.clone());
        }
    }
    // In English: indicator names from the catalogue (the linked entry), units translated;
    // a name or unit without a settled translation stays Chinese, marked "(zh)".
    if r.lang == guihua_report::Lang::En {
        for s in &mut subjects {
            let linked = (s.subject.kind == guihua_eval::SubjectKind::Indicator)
                .then(|| names.catalog_of(&s.subject.id))
                .flatten()
                .and_then(guihua_catalog::english);
            s.name = match linked {
                Some(en) => en.to_string(),
                None => format!("{} (zh)", s.name),
            };
            if let Some(u) = s.unit.clone() {
                s.unit = Some(match guihua_catalog::unit_english(&u) {
                    Some(en) => en.to_string(),
                    None => format!("{u} (zh)"),
                });
            }
        }
    }
    // A prose target judged with a table indicator's data: when it states the same target
    // as the table row it is that row (shown once, in the table); otherwise it is shown
    // with a note saying whose data it uses.
    let restated = crate::evaluation::restated(store, row.id, &plan)?;
    subjects.retain(|s| {
        let Some(ind) = restated.get(&s.subject.id) else {
            return true;
        };
        let (Some(t), Some(row)) = (
            plan.targets.iter().find(|t| t.id == s.subject.id),
            plan.indicators.iter().find(|i| &i.id == ind),
        ) else {
            return true;
        };
        // The same target: the same number and comparator, for the plan's end year.
        let q = &t.quantity;
        let r = if row.target.value.is_some() {
            &row.target
        } else {
            &row.pace
        };
        let end = plan.period.map(|p| p.end);
        let same = matches!((q.value, r.value), (Some(a), Some(b)) if (a - b).abs() < 1e-9)
            && (q.comparator.is_none() || r.comparator.is_none() || q.comparator == r.comparator)
            && (q.year.is_none() || q.year == end);
        !same
    });
    for s in &mut subjects {
        if let Some(ind) = restated.get(&s.subject.id) {
            let name = plan
                .indicators
                .iter()
                .find(|i| &i.id == ind)
                .map(|i| i.name.as_str())
                .unwrap_or(ind);
            s.name = match r.lang {
                guihua_report::Lang::Zh => format!("{}（数据同指标“{name}”）", s.name),
                guihua_report::Lang::En => {
                    let en = names
                        .catalog_of(ind)
                        .and_then(guihua_catalog::english)
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("{name} (zh)"));
                    format!("{} (data of the indicator “{en}”)", s.name)
                }
            };
        }
    }

    // Project progress: the latest status up to the year per project, investment per year.
    let mut by_project: BTreeMap<String, (Option<ProjectStatus>, Vec<ProjectYear>)> =
        BTreeMap::new();
    for s in store.project_statuses(row.id)? {
        let e = by_project.entry(s.project_id.clone()).or_default();
        if s.year <= r.year {
            if let Some(st) = status_of(&s.status) {
                e.0 = Some(st);
            }
        }
        e.1.push(ProjectYear {
            year: s.year,
            planned: s.planned_investment,
            completed: s.completed_investment,
        });
    }
    let projects = plan
        .projects
        .iter()
        .filter_map(|p| {
            let (status, years) = by_project.remove(&p.id)?;
            Some(ProjectRow {
                name: p.name.clone(),
                status: status.unwrap_or(ProjectStatus::Planning),
                unit: p
                    .investment
                    .as_ref()
                    .map(|m| m.unit.clone())
                    .unwrap_or_else(|| "亿元".to_string()),
                years,
            })
        })
        .collect();

    // Responsibilities: lead and co-departments per subject.
    let mut resp: BTreeMap<String, Responsibility> = BTreeMap::new();
    for a in store.assignments(row.id)? {
        let e = resp
            .entry(a.subject_id.clone())
            .or_insert_with(|| Responsibility {
                subject_id: a.subject_id.clone(),
                name: names.name(a.kind, &a.subject_id).0.to_string(),
                lead: String::new(),
                co: Vec::new(),
            });
        let dept = marked(r.lang, &a.department);
        match a.role {
            Role::Lead => e.lead = dept,
            Role::Co => e.co.push(dept),
        }
    }

    let mut meta = guihua_report::plan_meta(&plan);
    meta.region = marked(r.lang, &meta.region);
    meta.title = marked(r.lang, &meta.title);
    let input = ReportInput {
        plan: meta,
        kind: r.kind,
        year: r.year,
        lang: r.lang,
        subjects,
        projects,
        responsibilities: resp.into_values().collect(),
        generated_on: r.generated_on.clone(),
        parameters: crate::method::describe(&params),
        narrative: match r.narrative {
            Some((name, text)) => crate::narrative::parse(name, text)?,
            None => Default::default(),
        },
        style: r.style,
    };
    Ok((row, input))
}

/// In an English report, a name that has no English form (a region, a department, a
/// plan title) stays as written and is marked "(zh)", so no reader takes it for an
/// oversight; in Chinese, or without Chinese characters, it is left alone.
fn marked(lang: guihua_report::Lang, name: &str) -> String {
    let cjk = name.chars().any(guihua_parse::text::is_han);
    if lang == guihua_report::Lang::En && cjk {
        format!("{name} (zh)")
    } else {
        name.to_string()
    }
}

/// The default file name of a report: region (or title), year and kind, safe as a file
/// name ("塔城地区2023年中期评估报告.docx").
pub fn file_name(plan: &PlanRow, year: i32, kind: Kind, format: Format) -> String {
    let kind_zh = match kind {
        Kind::Annual => "年度",
        Kind::Midterm => "中期",
        Kind::Final => "总结",
    };
    let stem = crate::output::file_stem(&format!("{}{year}年{kind_zh}评估报告", plan.label()));
    format!("{stem}.{}", format.extension())
}
