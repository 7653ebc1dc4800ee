//! Monitoring data by hand and out: `observe set|delete|export`, the fill-in `template`
//! (built by `guihua_app::sheets`; written here), department and project status entry.
//! (Imports are in `import.rs`.)

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};
use guihua_app::{entry, sheets};
use guihua_store::{Role, SubjectKind};

use crate::library::Ctx;
use guihua_app::subjects::Subjects;
use guihua_store::fmt_num as num_text;

fn subjects(ctx: &Ctx, key: &str) -> anyhow::Result<Subjects> {
    let plan = ctx.store.resolve(key)?;
    Ok(Subjects::load(ctx.store.as_ref(), plan)?)
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
    let v = entry::Value {
        at: entry::Subject { plan, subject },
        year,
        value,
        source,
        note,
        confirmed: accept_outliers,
        expected_revision: None,
    };
    let (w, value) =
        match entry::set_value(ctx.store.as_ref(), &ctx.principal, ctx.why.as_deref(), &v) {
            Err(guihua_app::Error::Unconfirmed(w)) => {
                bail!("{w}; check it, then pass --accept-outliers to store it as it is")
            }
            other => other?,
        };
    if let Some(warning) = &w.warning {
        eprintln!("guihua: warning: {} (accepted)", crate::term(warning));
    }
    let what = match w.outcome {
        entry::Outcome::Inserted => "set",
        entry::Outcome::Updated => "updated (old value kept in history)",
        _ => "unchanged",
    };
    println!(
        "plan {} {} {} {year}: {} {what}",
        w.plan_id,
        w.id,
        crate::term(&w.name),
        num_text(value)
    );
    Ok(())
}

pub fn delete(ctx: &mut Ctx, plan: &str, subject: &str, year: i32) -> anyhow::Result<()> {
    let w = entry::delete_value(
        ctx.store.as_ref(),
        &ctx.principal,
        ctx.why.as_deref(),
        entry::Subject { plan, subject },
        year,
        None,
    )?;
    println!(
        "plan {} {} {year}: deleted (kept in history)",
        w.plan_id, w.id
    );
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
            let text = serde_json::to_string_pretty(&sheets::export_json(&rows))?;
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
            sheets::export_csv(&rows, w)?;
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
        if guihua_app::admin::add_department(
            ctx.store.as_ref(),
            &ctx.principal,
            ctx.why.as_deref(),
            n,
        )? {
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

pub fn assign(
    ctx: &mut Ctx,
    plan: &str,
    subject: &str,
    department: &str,
    co: bool,
    remove: bool,
) -> anyhow::Result<()> {
    let role = match (remove, co) {
        (true, _) => None,
        (false, true) => Some(Role::Co),
        (false, false) => Some(Role::Lead),
    };
    let w = entry::assign(
        ctx.store.as_ref(),
        &ctx.principal,
        ctx.why.as_deref(),
        entry::Subject { plan, subject },
        department,
        role,
    )?;
    let verb = if remove {
        "unassigned from"
    } else if co {
        "co-assigned to"
    } else {
        "led by"
    };
    println!(
        "plan {} {} {} {} {verb} {}",
        w.plan_id,
        w.kind.zh(),
        w.id,
        crate::term(&w.name),
        crate::term(department.trim())
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
    let w = entry::project_status(
        ctx.store.as_ref(),
        &ctx.principal,
        ctx.why.as_deref(),
        &entry::Progress {
            at: entry::Subject {
                plan,
                subject: project,
            },
            year,
            status,
            planned,
            completed,
            milestone,
            expected_revision: None,
        },
    )?;
    println!(
        "plan {} {} {} {year}: {}",
        w.plan_id,
        w.id,
        crate::term(&w.name),
        status.trim()
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
