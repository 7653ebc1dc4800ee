//! Monitoring data by hand and out: `observe set|delete|export`, the fill-in `template`,
//! department and project status entry. (Imports are in `import.rs`.)
//!
//! The template is the workbook a department receives each year: one row per indicator
//! (and target) it answers for, the plan's base and target values filled in, only the
//! input cells unlocked, 本年实际值 validated as a decimal. A hidden `_guihua` sheet names
//! the plan (id and sha256), year and department, so `observe import` reads the returned
//! file as it is — no column mapping, no plan argument.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};
use guihua_store::{Change, ProjectStatus, Role, SubjectKind, PROJECT_STATUSES};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatBorder, Workbook,
};

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

const EXPORT_HEADERS: &[&str] = &[
    "规划",
    "地区",
    "编号",
    "指标",
    "单位",
    "年份",
    "实际值",
    "数据来源",
    "备注",
    "录入人",
    "录入时间",
    "目录",
];

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
    // One catalogue indicator across every plan that has it.
    let catalog = match indicator {
        Some(t) => Some(
            guihua_catalog::lookup(t)
                .ok_or_else(|| anyhow!("{t} is not in the indicator catalogue"))?
                .id,
        ),
        None => None,
    };
    let plan_id = match plan {
        Some(k) => Some(ctx.store.resolve(k)?.id),
        None => None,
    };
    let mut obs = ctx.store.observations(plan_id)?;
    let mut subj: HashMap<i64, Subjects> = HashMap::new();
    for o in &obs {
        if let std::collections::hash_map::Entry::Vacant(e) = subj.entry(o.plan_id) {
            let p = ctx.store.resolve(&o.plan_id.to_string())?;
            e.insert(Subjects::load(ctx.store.as_ref(), p)?);
        }
    }
    if let Some(c) = catalog {
        obs.retain(|o| {
            o.kind == SubjectKind::Indicator
                && subj[&o.plan_id].catalog_of(&o.subject_id) == Some(c)
        });
    }
    let rows: Vec<Vec<String>> = obs
        .iter()
        .map(|o| {
            let s = &subj[&o.plan_id];
            let (name, unit) = s.name(o.kind, &o.subject_id);
            vec![
                o.plan_id.to_string(),
                s.plan.region.clone().unwrap_or_default(),
                o.subject_id.clone(),
                name.to_string(),
                unit.unwrap_or("").to_string(),
                o.year.to_string(),
                num_text(o.value),
                o.source.clone().unwrap_or_default(),
                o.note.clone().unwrap_or_default(),
                o.entered_by.clone(),
                o.entered_at.clone(),
                s.catalog_of(&o.subject_id)
                    .filter(|_| o.kind == SubjectKind::Indicator)
                    .unwrap_or("")
                    .to_string(),
            ]
        })
        .collect();
    match format {
        ExportFormat::Json => {
            let v: Vec<_> = obs
                .iter()
                .zip(&rows)
                .map(|(o, r)| guihua_contract::documents::ObservationRow {
                    plan: o.plan_id,
                    region: &r[1],
                    kind: o.kind.as_str(),
                    id: &o.subject_id,
                    name: &r[3],
                    unit: &r[4],
                    year: o.year,
                    value: o.value,
                    source: o.source.as_deref(),
                    note: o.note.as_deref(),
                    entered_by: &o.entered_by,
                    entered_at: &o.entered_at,
                    catalog: &r[11],
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
            w.write_record(EXPORT_HEADERS)?;
            // Names, sources and notes are typed by people: no cell may run as a formula.
            for r in &rows {
                w.write_record(
                    r.iter()
                        .map(|c| guihua_app::output::csv_cell(c).into_owned()),
                )?;
            }
            w.flush()?;
        }
        ExportFormat::Xlsx => {
            let p = out.ok_or_else(|| anyhow!("--format xlsx needs -o FILE"))?;
            let mut wb = Workbook::new();
            let ws = wb.add_worksheet();
            ws.set_name("监测数据")?;
            let bold = Format::new().set_bold();
            for (c, h) in EXPORT_HEADERS.iter().enumerate() {
                ws.write_string_with_format(0, c as u16, *h, &bold)?;
            }
            for (ri, (r, o)) in rows.iter().zip(&obs).enumerate() {
                let row = ri as u32 + 1;
                for (c, v) in r.iter().enumerate() {
                    match c {
                        0 => ws.write_number(row, 0, o.plan_id as f64)?,
                        5 => ws.write_number(row, 5, o.year as f64)?,
                        6 => ws.write_number(row, 6, o.value)?,
                        _ => ws.write_string(row, c as u16, v)?,
                    };
                }
            }
            ws.set_column_width(3, 30)?;
            wb.save(p).with_context(|| p.display().to_string())?;
        }
    }
    if let Some(p) = out {
        eprintln!("{} observations written to {}", obs.len(), p.display());
    }
    Ok(())
}

/// Template columns (input columns: 本年实际值, 数据来源, 备注).
pub const TEMPLATE_HEADERS: &[&str] = &[
    "编号",
    "指标",
    "单位",
    "基期值",
    "目标值",
    "年份",
    "本年实际值",
    "数据来源",
    "备注",
];

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
    check_year(&s, year)?;
    let id = s.plan.id;
    let assigned: Option<BTreeSet<(SubjectKind, String)>> = match department {
        Some(d) => {
            let set: BTreeSet<_> = ctx
                .store
                .assignments(id)?
                .into_iter()
                .filter(|a| a.department == d.trim())
                .map(|a| (a.kind, a.subject_id))
                .collect();
            if set.is_empty() {
                bail!("department {d} has nothing assigned in plan {id} (guihua department assign / import)");
            }
            Some(set)
        }
        None => None,
    };
    let wanted = |k: SubjectKind, i: &str| match &assigned {
        Some(set) => set.contains(&(k, i.to_string())),
        None => k == SubjectKind::Indicator || with_targets,
    };
    // A department that leads or joins a chapter answers for the prose targets in it.
    let chapters: Vec<String> = assigned
        .iter()
        .flatten()
        .filter(|(k, _)| *k == SubjectKind::Chapter)
        .map(|(_, c)| c.clone())
        .collect();
    let in_chapter = |section: Option<&str>| {
        section.is_some_and(|s| {
            chapters.iter().any(|c| {
                s == c
                    || s.strip_prefix(c.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            })
        })
    };
    let existing: HashMap<(SubjectKind, String), guihua_store::Observation> = ctx
        .store
        .observations(Some(id))?
        .into_iter()
        .filter(|o| o.year == year)
        .map(|o| ((o.kind, o.subject_id.clone()), o))
        .collect();
    // (kind, id, name, unit, base, target)
    let mut rows: Vec<(SubjectKind, String, String, String, String, String)> = Vec::new();
    for i in ctx.store.indicators(id)? {
        if wanted(SubjectKind::Indicator, &i.id) {
            rows.push((
                SubjectKind::Indicator,
                i.id,
                i.name,
                i.unit.unwrap_or_default(),
                i.base,
                i.target,
            ));
        }
    }
    for t in ctx.store.targets(id)? {
        if wanted(SubjectKind::Target, &t.id) || in_chapter(t.section.as_deref()) {
            rows.push((
                SubjectKind::Target,
                t.id,
                t.subject,
                t.unit.unwrap_or_default(),
                String::new(),
                t.text,
            ));
        }
    }
    if rows.is_empty() {
        bail!("plan {id} has no indicators to report (try --targets)");
    }

    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("填报表")?;
    let title = Format::new().set_bold().set_font_size(14);
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color("D9E1F2");
    let locked = Format::new().set_border(FormatBorder::Thin);
    let input = Format::new()
        .set_border(FormatBorder::Thin)
        .set_unlocked()
        .set_background_color("FFF2CC");
    let heading = format!(
        "{} {}年监测数据填报表{}",
        s.plan.title.as_deref().unwrap_or(s.plan.label()),
        year,
        department.map(|d| format!("（{d}）")).unwrap_or_default()
    );
    ws.merge_range(0, 0, 0, TEMPLATE_HEADERS.len() as u16 - 1, &heading, &title)?;
    for (c, h) in TEMPLATE_HEADERS.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &head)?;
    }
    for (ri, (kind, sid, name, unit, base, target)) in rows.iter().enumerate() {
        let r = ri as u32 + 2;
        ws.write_string_with_format(r, 0, sid, &locked)?;
        ws.write_string_with_format(r, 1, name, &locked)?;
        ws.write_string_with_format(r, 2, unit, &locked)?;
        ws.write_string_with_format(r, 3, base, &locked)?;
        ws.write_string_with_format(r, 4, target, &locked)?;
        ws.write_number_with_format(r, 5, year as f64, &locked)?;
        match existing.get(&(*kind, sid.clone())) {
            Some(o) => {
                ws.write_number_with_format(r, 6, o.value, &input)?;
                ws.write_string_with_format(r, 7, o.source.as_deref().unwrap_or(""), &input)?;
                ws.write_string_with_format(r, 8, o.note.as_deref().unwrap_or(""), &input)?;
            }
            None => {
                ws.write_blank(r, 6, &input)?;
                ws.write_blank(r, 7, &input)?;
                ws.write_blank(r, 8, &input)?;
            }
        }
    }
    let last = rows.len() as u32 + 1;
    let dv = DataValidation::new()
        .allow_decimal_number(DataValidationRule::Between(-1e15, 1e15))
        .set_input_title("本年实际值")?
        .set_input_message("填写数字（不含单位）")?
        .set_error_title("不是数字")?
        .set_error_message("本年实际值只能填写数字，单位见“单位”列。")?
        .set_error_style(DataValidationErrorStyle::Stop);
    ws.add_data_validation(2, 6, last, 6, &dv)?;
    ws.set_column_width(0, 8)?;
    ws.set_column_width(1, 36)?;
    ws.set_column_width(2, 10)?;
    ws.set_column_width(3, 14)?;
    ws.set_column_width(4, 22)?;
    ws.set_column_width(5, 8)?;
    ws.set_column_width(6, 14)?;
    ws.set_column_width(7, 22)?;
    ws.set_column_width(8, 24)?;
    ws.set_freeze_panes(2, 2)?;
    ws.protect();

    let meta = wb.add_worksheet();
    meta.set_name("_guihua")?;
    let kv = [
        ("plan", id.to_string()),
        ("sha256", s.plan.sha256.clone()),
        ("year", year.to_string()),
        ("department", department.unwrap_or("").to_string()),
        ("schema", "guihua.template/1".to_string()),
    ];
    for (r, (k, v)) in kv.iter().enumerate() {
        meta.write_string(r as u32, 0, *k)?;
        meta.write_string(r as u32, 1, v)?;
    }
    meta.set_hidden(true);
    wb.save(out).with_context(|| out.display().to_string())?;
    println!("{} rows written to {}", rows.len(), out.display());
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
    PathBuf::from(match department {
        Some(d) => format!("{year}年{d}填报表.xlsx"),
        None => format!("{year}年填报表.xlsx"),
    })
}
