//! `guihua report`: a stored plan, its observations, project progress and departments →
//! the evaluation engine → the hand-in report (`guihua-report`) in docx, html, md or xlsx.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{anyhow, Context};
use guihua_report::{
    Format, Kind, Lang, ProjectRow, ProjectStatus, ProjectYear, ReportInput, Responsibility,
};
use guihua_store::Role;

use guihua_app::evaluation::{load_plan, observation_set, params_for, target_overrides};

use crate::library::Ctx;

pub struct Options<'a> {
    pub key: &'a str,
    pub year: i32,
    pub kind: &'a str,
    pub format: &'a str,
    pub lang: &'a str,
    pub output: Option<&'a Path>,
    pub targets: &'a [String],
    pub date: Option<&'a str>,
}

/// Today as YYYY-MM-DD (UTC), from the system clock — the edge is allowed a clock.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn status_of(s: &str) -> Option<ProjectStatus> {
    ProjectStatus::ALL
        .into_iter()
        .find(|p| p.zh() == s || p.en().eq_ignore_ascii_case(s))
}

pub fn run(ctx: &Ctx, o: Options) -> anyhow::Result<()> {
    let kind = match o.kind {
        "annual" | "年度" => Kind::Annual,
        "midterm" | "中期" => Kind::Midterm,
        "final" | "总结" => Kind::Final,
        other => return Err(anyhow!("--kind {other}: expected annual, midterm or final")),
    };
    let format = Format::parse(o.format)
        .ok_or_else(|| anyhow!("--format {}: expected docx, html, md or xlsx", o.format))?;
    let lang = match o.lang {
        "zh" => Lang::Zh,
        "en" => Lang::En,
        other => return Err(anyhow!("--lang {other}: expected zh or en")),
    };
    let (row, plan) = load_plan(ctx.store.as_ref(), o.key)?;
    let set = observation_set(ctx.store.as_ref(), row.id, &plan)?;
    let subjects = guihua_app::subjects::Subjects::load(ctx.store.as_ref(), row.clone())?;
    let mut params = params_for(&subjects, &plan);
    target_overrides(&plan, o.targets, &mut params)?;
    let evaluations = guihua_eval::evaluate_plan(&plan, o.year, &set, &params);
    let subjects = guihua_report::subjects_from_plan(&plan, evaluations, &set);

    // Project progress: the latest status per project, investment per year.
    let mut by_project: BTreeMap<String, (Option<ProjectStatus>, Vec<ProjectYear>)> =
        BTreeMap::new();
    for s in ctx.store.project_statuses(row.id)? {
        let e = by_project.entry(s.project_id.clone()).or_default();
        if s.year <= o.year {
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
    for a in ctx.store.assignments(row.id)? {
        let r = resp
            .entry(a.subject_id.clone())
            .or_insert_with(|| Responsibility {
                subject_id: a.subject_id.clone(),
                lead: String::new(),
                co: Vec::new(),
            });
        match a.role {
            Role::Lead => r.lead = a.department.clone(),
            Role::Co => r.co.push(a.department.clone()),
        }
    }

    let input = ReportInput {
        plan: guihua_report::plan_meta(&plan),
        kind,
        year: o.year,
        lang,
        subjects,
        projects,
        responsibilities: resp.into_values().collect(),
        generated_on: o.date.map(str::to_string).unwrap_or_else(today),
    };
    let bytes = guihua_report::render(&input, format)?;
    let path = match o.output {
        Some(p) => p.to_path_buf(),
        None => {
            let kind_zh = match kind {
                Kind::Annual => "年度",
                Kind::Midterm => "中期",
                Kind::Final => "总结",
            };
            // Named from the plan's region (or title): sanitised, never a path.
            let stem = guihua_app::output::file_stem(&format!(
                "{}{}年{kind_zh}评估报告",
                row.label(),
                o.year
            ));
            format!("{stem}.{}", format.extension()).into()
        }
    };
    ctx.writable(&path, &[])?;
    std::fs::write(&path, bytes).with_context(|| format!("{}", path.display()))?;
    println!("{}", path.display());
    Ok(())
}
