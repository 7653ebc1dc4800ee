//! Monitoring data by hand and out: `observe set|delete|export`, the fill-in `template`
//! (built by `guihua_app::sheets`; written here), department and project status entry.
//! (Imports are in `import.rs`.)

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};
use guihua_app::sheets;
use guihua_store::{Change, ProjectStatus, Role, SubjectKind, PROJECT_STATUSES};

use crate::library::Ctx;
use guihua_app::subjects::Subjects;
use guihua_store::fmt_num as num_text;

fn subjects(ctx: &Ctx, key: &str) -> anyhow::Result<Subjects> {
    let plan = ctx.store.resolve(key)?;
    Ok(Subjects::load(ctx.store.as_ref(), plan)?)
}

/// A department editor writes only the subjects assigned to its department.
fn may_write(ctx: &Ctx, s: &Subjects, kind: SubjectKind, id: &str) -> anyhow::Result<()> {
    if let Some(allowed) = ctx
        .principal
        .writable_subjects(ctx.store.as_ref(), s.plan.id)?
    {
        if !allowed.contains(&(kind, id.to_string())) {
            return Err(guihua_app::Error::Forbidden(format!(
                "{} may not enter {id} ({}): it is not assigned to {}",
                ctx.principal.name(),
                s.name(kind, id).0,
                ctx.principal.departments().join("、")
            ))
            .into());
        }
    }
    Ok(())
}

fn check_year(s: &Subjects, year: i32) -> anyhow::Result<()> {
    if !s.year_ok(year) {
        bail!("year {year} is outside the plan period {}", s.period_text());
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub fn set(
    ctx: &mut Ctx,
    plan: &str,
    subject: &str,
    year: i32,
    value: &str,
    source: Option<String>,
    note: Option<String>,
    accept_outliers: bool,
) -> anyhow::Result<()> {
    let s = subjects(ctx, plan)?;
    let (kind, id) = s
        .resolve(subject, &[SubjectKind::Indicator, SubjectKind::Target])
        .map_err(|e| anyhow!(e))?;
    may_write(ctx, &s, kind, &id)?;
    check_year(&s, year)?;
    let value = guihua_app::input::number(value).map_err(|e| anyhow!("{e}"))?;
    // Omitted --source/--note keep what is there; only the value is being set.
    let old = ctx
        .store
        .observations(Some(s.plan.id))?
        .into_iter()
        .find(|o| o.kind == kind && o.subject_id == id && o.year == year);
    let last = ctx
        .store
        .observations(Some(s.plan.id))?
        .into_iter()
        .filter(|o| o.kind == kind && o.subject_id == id && o.year < year)
        .max_by_key(|o| o.year)
        .map(|o| (o.year, o.value));
    if let Some(w) = guihua_app::plausibility::check(&s.expectation(kind, &id), year, value, last) {
        if !accept_outliers {
            bail!("{w}; check it, then pass --accept-outliers to store it as it is");
        }
        eprintln!("guihua: warning: {} (accepted)", crate::term(&w));
    }
    for t in [&source, &note].into_iter().flatten() {
        guihua_app::input::text(t).map_err(|e| anyhow!("{e}"))?;
    }
    let source = source.or_else(|| old.as_ref().and_then(|o| o.source.clone()));
    let note = note.or_else(|| old.as_ref().and_then(|o| o.note.clone()));
    let change = Change::Observe {
        plan_id: s.plan.id,
        kind,
        subject_id: id.clone(),
        year,
        value,
        source,
        note,
        // What was read above: another writer in between is a conflict, not overwritten.
        expected_revision: Some(old.as_ref().map_or(0, |o| o.revision)),
    };
    let actor = guihua_store::Actor {
        who: &ctx.user,
        why: ctx.why.as_deref(),
    };
    let a = ctx.store.apply(&[change], &actor)?;
    let what = if a.inserted > 0 {
        "set"
    } else if a.updated > 0 {
        "updated (old value kept in history)"
    } else {
        "unchanged"
    };
    println!(
        "plan {} {id} {} {year}: {} {what}",
        s.plan.id,
        s.name(kind, &id).0,
        num_text(value)
    );
    Ok(())
}

pub fn delete(ctx: &mut Ctx, plan: &str, subject: &str, year: i32) -> anyhow::Result<()> {
    let s = subjects(ctx, plan)?;
    let (kind, id) = s
        .resolve(subject, &[SubjectKind::Indicator, SubjectKind::Target])
        .map_err(|e| anyhow!(e))?;
    may_write(ctx, &s, kind, &id)?;
    let read = ctx
        .store
        .observations(Some(s.plan.id))?
        .into_iter()
        .find(|o| o.kind == kind && o.subject_id == id && o.year == year)
        .map(|o| o.revision);
    let actor = guihua_store::Actor {
        who: &ctx.user,
        why: ctx.why.as_deref(),
    };
    ctx.store.apply(
        &[Change::Unobserve {
            plan_id: s.plan.id,
            kind,
            subject_id: id.clone(),
            year,
            expected_revision: read,
        }],
        &actor,
    )?;
    println!("plan {} {id} {year}: deleted (kept in history)", s.plan.id);
    Ok(())
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Json,
}

pub fn export(
    ctx: &Ctx,
    plan: Option<&str>,
    indicator: Option<&str>,
    format: ExportFormat,
    out: Option<&Path>,
) -> anyhow::Result<()> {
    if let Some(p) = out {
        ctx.writable(p, &[])?;
    }
    let rows = sheets::export(ctx.store.as_ref(), plan, indicator)?;
    match format {
        ExportFormat::Json => {
            let cells: Vec<_> = rows.iter().map(|r| r.cells()).collect();
            let v: Vec<_> = rows
                .iter()
                .zip(&cells)
                .map(|(r, c)| {
                    let o = &r.observation;
                    guihua_contract::documents::ObservationRow {
                        plan: o.plan_id,
                        region: &r.region,
                        kind: o.kind.as_str(),
                        id: &o.subject_id,
                        name: &r.name,
                        unit: &r.unit,
                        year: o.year,
                        value: o.value,
                        source: o.source.as_deref(),
                        note: o.note.as_deref(),
                        entered_by: &o.entered_by,
                        entered_at: &o.entered_at,
                        catalog: &c[11],
                    }
                })
                .collect();
            let v = guihua_contract::documents::observations(&v);
            let text = serde_json::to_string_pretty(&v)?;
            match out {
                Some(p) => {
                    std::fs::write(p, text + "\n").with_context(|| p.display().to_string())?
                }
                None => println!("{text}"),
            }
        }
        ExportFormat::Csv => {
            let w: Box<dyn std::io::Write> = match out {
                Some(p) => {
                    Box::new(std::fs::File::create(p).with_context(|| p.display().to_string())?)
                }
                None => Box::new(std::io::stdout().lock()),
            };
            let mut w = csv::Writer::from_writer(w);
            w.write_record(sheets::EXPORT_HEADERS)?;
            // Names, sources and notes are typed by people: no cell may run as a formula.
            for r in &rows {
                w.write_record(
                    r.cells()
                        .iter()
                        .map(|c| guihua_app::output::csv_cell(c).into_owned()),
                )?;
            }
            w.flush()?;
        }
        ExportFormat::Xlsx => {
            let p = out.ok_or_else(|| anyhow!("--format xlsx needs -o FILE"))?;
            let bytes = sheets::export_xlsx(&rows)?;
            std::fs::write(p, bytes).with_context(|| p.display().to_string())?;
        }
    }
    if let Some(p) = out {
        eprintln!("{} observations written to {}", rows.len(), p.display());
    }
    Ok(())
}

pub fn template(
    ctx: &Ctx,
    plan: &str,
    year: i32,
    department: Option<&str>,
    with_targets: bool,
    out: &Path,
) -> anyhow::Result<()> {
    // A filled-in template must not be overwritten by regenerating it.
    ctx.writable(out, &[])?;
    let s = subjects(ctx, plan)?;
    let t = sheets::template(ctx.store.as_ref(), &s, year, department, with_targets)?;
    let bytes = t.to_xlsx()?;
    std::fs::write(out, bytes).with_context(|| out.display().to_string())?;
    println!("{} rows written to {}", t.rows.len(), out.display());
    Ok(())
}

pub fn department_add(ctx: &mut Ctx, names: &[String]) -> anyhow::Result<()> {
    for n in names {
        let actor = guihua_store::Actor {
            who: &ctx.user,
            why: ctx.why.as_deref(),
        };
        if ctx.store.add_department(n, &actor)? {
            println!("added {n}");
        } else {
            println!("unchanged {n} (exists)");
        }
    }
    Ok(())
}

pub fn department_list(ctx: &Ctx) -> anyhow::Result<()> {
    for d in ctx.store.departments()? {
        println!("{d}");
    }
    Ok(())
}

const ALL_KINDS: &[SubjectKind] = &[
    SubjectKind::Indicator,
    SubjectKind::Target,
    SubjectKind::Project,
    SubjectKind::Chapter,
];

pub fn assign(
    ctx: &mut Ctx,
    plan: &str,
    subject: &str,
    department: &str,
    co: bool,
    remove: bool,
) -> anyhow::Result<()> {
    let s = subjects(ctx, plan)?;
    let (kind, id) = s.resolve(subject, ALL_KINDS).map_err(|e| anyhow!(e))?;
    // The assignment as read now: a change by someone else in between is a conflict.
    let read = ctx
        .store
        .assignments(s.plan.id)?
        .into_iter()
        .find(|a| a.kind == kind && a.subject_id == id && a.department == department.trim())
        .map_or(0, |a| a.revision);
    let change = if remove {
        Change::Unassign {
            plan_id: s.plan.id,
            kind,
            subject_id: id.clone(),
            department: department.to_string(),
            expected_revision: (read > 0).then_some(read),
        }
    } else {
        Change::Assign {
            plan_id: s.plan.id,
            kind,
            subject_id: id.clone(),
            department: department.to_string(),
            role: if co { Role::Co } else { Role::Lead },
            expected_revision: Some(read),
        }
    };
    let actor = guihua_store::Actor {
        who: &ctx.user,
        why: ctx.why.as_deref(),
    };
    ctx.store.apply(&[change], &actor)?;
    let verb = if remove {
        "unassigned from"
    } else if co {
        "co-assigned to"
    } else {
        "led by"
    };
    println!(
        "plan {} {} {id} {} {verb} {department}",
        s.plan.id,
        kind.zh(),
        s.name(kind, &id).0
    );
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub fn project_status(
    ctx: &mut Ctx,
    plan: &str,
    project: &str,
    year: i32,
    status: &str,
    planned: Option<f64>,
    completed: Option<f64>,
    milestone: Option<String>,
) -> anyhow::Result<()> {
    let s = subjects(ctx, plan)?;
    let (_, id) = s
        .resolve(project, &[SubjectKind::Project])
        .map_err(|e| anyhow!(e))?;
    may_write(ctx, &s, SubjectKind::Project, &id)?;
    check_year(&s, year)?;
    if !PROJECT_STATUSES.contains(&status) {
        bail!(
            "status {status} is not one of {}",
            PROJECT_STATUSES.join("/")
        );
    }
    let read = ctx
        .store
        .project_statuses(s.plan.id)?
        .into_iter()
        .find(|p| p.project_id == id && p.year == year)
        .map_or(0, |p| p.revision);
    let actor = guihua_store::Actor {
        who: &ctx.user,
        why: ctx.why.as_deref(),
    };
    ctx.store.apply(
        &[Change::ProjectStatus {
            status: ProjectStatus {
                plan_id: s.plan.id,
                project_id: id.clone(),
                year,
                status: status.to_string(),
                planned_investment: planned,
                completed_investment: completed,
                milestone,
                revision: 0,
            },
            expected_revision: Some(read),
        }],
        &actor,
    )?;
    println!(
        "plan {} {id} {} {year}: {status}",
        s.plan.id,
        s.name(SubjectKind::Project, &id).0
    );
    Ok(())
}

pub fn project_list(ctx: &Ctx, plan: &str, json_out: bool) -> anyhow::Result<()> {
    let s = subjects(ctx, plan)?;
    let st = ctx.store.project_statuses(s.plan.id)?;
    if json_out {
        println!("{}", serde_json::to_string(&st)?);
        return Ok(());
    }
    let mut t = vec![[
        "编号",
        "项目",
        "年份",
        "状态",
        "计划投资",
        "完成投资",
        "里程碑",
    ]
    .iter()
    .map(|x| x.to_string())
    .collect::<Vec<_>>()];
    for p in st {
        t.push(vec![
            p.project_id.clone(),
            s.name(SubjectKind::Project, &p.project_id).0.to_string(),
            p.year.to_string(),
            p.status,
            p.planned_investment.map(num_text).unwrap_or_default(),
            p.completed_investment.map(num_text).unwrap_or_default(),
            p.milestone.unwrap_or_default(),
        ]);
    }
    print!("{}", crate::table::render(&t, 36));
    Ok(())
}

/// Default output name for a template.
pub fn default_template_name(year: i32, department: Option<&str>) -> PathBuf {
    PathBuf::from(sheets::template_file_name(year, department))
}
