//! Transactional imports: observations (监测数据), assignments (分工) and project status.
//!
//! Every row is checked before anything is written; a file with bad rows is rejected
//! whole and every bad row is listed with its row, column and what is wrong. With
//! `--skip-invalid` the good rows go in and the bad ones are written to a rejects CSV.
//! The write itself is one `Store::apply` call, i.e. one transaction: a process killed
//! in the middle leaves the store as it was.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail};
use guihua_store::{Change, PlanId, ProjectStatus, Role, SubjectKind, PROJECT_STATUSES};

use crate::library::Ctx;
use crate::subjects::Subjects;
use crate::tabular::{self, col_label, column, Row, RowError, Table};

pub struct Options {
    pub plan: Option<String>,
    pub skip_invalid: bool,
    pub rejects: Option<PathBuf>,
}

/// What each kind of import file looks like and how a row becomes changes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Observations,
    Assignments,
    ProjectStatus,
}

const PLAN: &[&str] = &["规划", "plan", "规划编号", "plan_id"];
const ID: &[&str] = &["编号", "id"];
const INDICATOR: &[&str] = &[
    "指标",
    "indicator",
    "指标名称",
    "目标",
    "target",
    "名称",
    "name",
];
const YEAR: &[&str] = &["年份", "year", "年度"];
const VALUE: &[&str] = &["实际值", "value", "本年实际值", "完成值"];
const SOURCE: &[&str] = &["数据来源", "source", "来源"];
const NOTE: &[&str] = &["备注", "note"];
const SUBJECT: &[&str] = &[
    "对象",
    "subject",
    "项目",
    "project",
    "章节",
    "chapter",
    "指标",
    "indicator",
    "名称",
    "name",
];
const LEAD: &[&str] = &["牵头部门", "lead", "牵头单位", "责任部门"];
const CO: &[&str] = &["配合部门", "co", "配合单位", "协办部门"];
const STATUS: &[&str] = &["状态", "status", "项目状态"];
const PLANNED: &[&str] = &["计划投资", "planned", "planned_investment", "年度计划投资"];
const COMPLETED: &[&str] = &[
    "完成投资",
    "completed",
    "completed_investment",
    "年度完成投资",
];
const MILESTONE: &[&str] = &["里程碑", "milestone", "形象进度"];

fn has(h: &[String], names: &[&str]) -> bool {
    column(h, names).is_some()
}

impl Kind {
    fn is_header(self, h: &[String]) -> bool {
        match self {
            Kind::Observations => (has(h, ID) || has(h, INDICATOR)) && has(h, VALUE),
            Kind::Assignments => (has(h, ID) || has(h, SUBJECT)) && has(h, LEAD),
            Kind::ProjectStatus => (has(h, ID) || has(h, SUBJECT)) && has(h, STATUS),
        }
    }
    fn expected(self) -> &'static str {
        match self {
            Kind::Observations => "指标/编号, 年份, 实际值",
            Kind::Assignments => "编号/对象, 牵头部门, 配合部门",
            Kind::ProjectStatus => "编号/项目, 年份, 状态, 计划投资, 完成投资, 里程碑",
        }
    }
}

/// Column positions of one file.
struct Cols {
    plan: Option<usize>,
    id: Option<usize>,
    name: Option<usize>,
    year: Option<usize>,
    value: Option<usize>,
    source: Option<usize>,
    note: Option<usize>,
    lead: Option<usize>,
    co: Option<usize>,
    status: Option<usize>,
    planned: Option<usize>,
    completed: Option<usize>,
    milestone: Option<usize>,
}

impl Cols {
    fn of(kind: Kind, h: &[String]) -> Cols {
        let name = match kind {
            Kind::Observations => column(h, INDICATOR),
            _ => column(h, SUBJECT),
        };
        Cols {
            plan: column(h, PLAN),
            id: column(h, ID),
            name,
            year: column(h, YEAR),
            value: column(h, VALUE),
            source: column(h, SOURCE),
            note: column(h, NOTE),
            lead: column(h, LEAD),
            co: column(h, CO),
            status: column(h, STATUS),
            planned: column(h, PLANNED),
            completed: column(h, COMPLETED),
            milestone: column(h, MILESTONE),
        }
    }
}

fn cell(row: &Row, c: Option<usize>) -> &str {
    c.and_then(|i| row.cells.get(i))
        .map(|s| s.trim())
        .unwrap_or("")
}

fn opt(row: &Row, c: Option<usize>) -> Option<String> {
    Some(cell(row, c).to_string()).filter(|s| !s.is_empty())
}

/// Metadata a template carries in its `_guihua` sheet.
fn template_meta(t: &Table) -> HashMap<String, String> {
    t.extra
        .iter()
        .filter(|(n, _)| n == "_guihua")
        .flat_map(|(_, g)| g.iter())
        .filter_map(|r| Some((r.first()?.clone(), r.get(1)?.clone())))
        .collect()
}

struct Ctxs<'a> {
    ctx: &'a Ctx,
    plans: HashMap<String, Result<PlanId, String>>,
    subjects: HashMap<PlanId, Subjects>,
    default_plan: Option<PlanId>,
}

impl Ctxs<'_> {
    fn plan(&mut self, key: &str) -> Result<PlanId, String> {
        if let Some(r) = self.plans.get(key) {
            return r.clone();
        }
        let r = match self.ctx.store.resolve(key) {
            Ok(p) => {
                let id = p.id;
                if let std::collections::hash_map::Entry::Vacant(e) = self.subjects.entry(id) {
                    match Subjects::load(self.ctx.store.as_ref(), p) {
                        Ok(s) => {
                            e.insert(s);
                            Ok(id)
                        }
                        Err(err) => Err(err.to_string()),
                    }
                } else {
                    Ok(id)
                }
            }
            Err(e) => Err(e.to_string()),
        };
        self.plans.insert(key.to_string(), r.clone());
        r
    }
}

/// Rows that failed: index into `Table::rows` and what is wrong.
type BadRows = Vec<(usize, Vec<RowError>)>;

/// Returns the changes, the bad rows and the number of data rows.
fn check(kind: Kind, table: &Table, cx: &mut Ctxs) -> (Vec<Change>, BadRows, usize) {
    let h = &table.headers;
    let c = Cols::of(kind, h);
    let mut changes = Vec::new();
    let mut bad: BadRows = Vec::new();
    let mut seen: HashMap<(PlanId, SubjectKind, String, i32), usize> = HashMap::new();
    let mut data_rows = 0;
    let err = |col: Option<usize>, row: &Row, m: String| RowError {
        row: row.number,
        column: col.map(|i| col_label(h, i)).unwrap_or_default(),
        message: m,
    };
    for (ri, row) in table.rows.iter().enumerate() {
        let mut errs = Vec::new();
        // Unfilled template rows (no value, no source, no note) are not data.
        if kind == Kind::Observations
            && cell(row, c.value).is_empty()
            && cell(row, c.source).is_empty()
            && cell(row, c.note).is_empty()
        {
            continue;
        }
        data_rows += 1;
        let plan = if c.plan.is_some() && !cell(row, c.plan).is_empty() {
            match cx.plan(cell(row, c.plan)) {
                Ok(p) => Some(p),
                Err(e) => {
                    errs.push(err(c.plan, row, e));
                    None
                }
            }
        } else if let Some(p) = cx.default_plan {
            Some(p)
        } else {
            errs.push(err(
                c.plan,
                row,
                "which plan? give --plan PLAN or a 规划 column".into(),
            ));
            None
        };
        let subjects = plan.and_then(|p| cx.subjects.get(&p));
        let allowed: &[SubjectKind] = match kind {
            Kind::Observations => &[SubjectKind::Indicator, SubjectKind::Target],
            Kind::Assignments => &[
                SubjectKind::Indicator,
                SubjectKind::Target,
                SubjectKind::Project,
                SubjectKind::Chapter,
            ],
            Kind::ProjectStatus => &[SubjectKind::Project],
        };
        let (subj_col, subj_text) = if !cell(row, c.id).is_empty() {
            (c.id, cell(row, c.id))
        } else {
            (c.name, cell(row, c.name))
        };
        let subject = match subjects {
            None => None,
            Some(_) if subj_text.is_empty() => {
                errs.push(err(
                    subj_col.or(c.name),
                    row,
                    "missing: which indicator/target/project".into(),
                ));
                None
            }
            Some(s) => match s.resolve(subj_text, allowed) {
                Ok(x) => Some(x),
                Err(e) => {
                    errs.push(err(subj_col, row, e));
                    None
                }
            },
        };
        let year = if kind == Kind::Assignments {
            Some(0)
        } else {
            let t = cell(row, c.year);
            if c.year.is_none() {
                errs.push(err(None, row, "no 年份/year column".into()));
                None
            } else if t.is_empty() {
                errs.push(err(c.year, row, "year missing".into()));
                None
            } else {
                match tabular::parse_number(t) {
                    Some(y) if y.fract() == 0.0 => {
                        let y = y as i32;
                        match subjects {
                            Some(s) if !s.year_ok(y) => {
                                errs.push(err(
                                    c.year,
                                    row,
                                    format!(
                                        "year {y} is outside the plan period {}",
                                        s.period_text()
                                    ),
                                ));
                                None
                            }
                            _ => Some(y),
                        }
                    }
                    _ => {
                        errs.push(err(
                            c.year,
                            row,
                            format!("text in a number cell: '{t}' is not a year"),
                        ));
                        None
                    }
                }
            }
        };
        let number = |col: Option<usize>, what: &str, required: bool, errs: &mut Vec<RowError>| {
            let t = cell(row, col);
            if t.is_empty() {
                if required {
                    errs.push(err(col, row, format!("{what} missing")));
                }
                return None;
            }
            match tabular::parse_number(t) {
                Some(v) => Some(v),
                None => {
                    errs.push(err(
                        col,
                        row,
                        format!("text in a number cell: '{t}' is not a number"),
                    ));
                    None
                }
            }
        };
        let mut made: Vec<Change> = Vec::new();
        match kind {
            Kind::Observations => {
                if c.value.is_none() {
                    errs.push(err(None, row, "no 实际值/value column".into()));
                }
                let value = number(c.value, "实际值 (value)", true, &mut errs);
                if let (Some(p), Some((k, id)), Some(y), Some(v)) = (plan, &subject, year, value) {
                    made.push(Change::Observe {
                        plan_id: p,
                        kind: *k,
                        subject_id: id.clone(),
                        year: y,
                        value: v,
                        source: opt(row, c.source),
                        note: opt(row, c.note),
                    });
                }
            }
            Kind::Assignments => {
                let lead = cell(row, c.lead).to_string();
                let co: Vec<String> = cell(row, c.co)
                    .split(['、', ',', '，', ';', '；', '/'])
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                if lead.is_empty() && co.is_empty() {
                    errs.push(err(
                        c.lead,
                        row,
                        "no department: 牵头部门 and 配合部门 are empty".into(),
                    ));
                }
                if !lead.is_empty() && co.contains(&lead) {
                    errs.push(err(
                        c.co,
                        row,
                        format!("{lead} is both lead and co-department"),
                    ));
                }
                if let (Some(p), Some((k, id))) = (plan, &subject) {
                    for (d, role) in std::iter::once((lead.clone(), Role::Lead))
                        .filter(|(d, _)| !d.is_empty())
                        .chain(co.iter().map(|d| (d.clone(), Role::Co)))
                    {
                        made.push(Change::Assign {
                            plan_id: p,
                            kind: *k,
                            subject_id: id.clone(),
                            department: d,
                            role,
                        });
                    }
                }
            }
            Kind::ProjectStatus => {
                let status = cell(row, c.status).to_string();
                if !PROJECT_STATUSES.contains(&status.as_str()) {
                    errs.push(err(
                        c.status,
                        row,
                        format!(
                            "status '{status}' is not one of {}",
                            PROJECT_STATUSES.join("/")
                        ),
                    ));
                }
                let planned = number(c.planned, "计划投资", false, &mut errs);
                let completed = number(c.completed, "完成投资", false, &mut errs);
                if let (Some(p), Some((_, id)), Some(y)) = (plan, &subject, year) {
                    made.push(Change::ProjectStatus(ProjectStatus {
                        plan_id: p,
                        project_id: id.clone(),
                        year: y,
                        status,
                        planned_investment: planned,
                        completed_investment: completed,
                        milestone: opt(row, c.milestone),
                    }));
                }
            }
        }
        if let (Some(p), Some((k, id)), Some(y)) = (plan, &subject, year) {
            if let Some(first) = seen.insert((p, *k, id.clone(), y), row.number) {
                errs.push(err(
                    subj_col,
                    row,
                    format!("duplicate row: same {} and year as row {first}", k.zh()),
                ));
            }
        }
        if errs.is_empty() {
            changes.extend(made);
        } else {
            bad.push((ri, errs));
        }
    }
    (changes, bad, data_rows)
}

pub fn run(ctx: &mut Ctx, kind: Kind, file: &Path, opts: &Options) -> anyhow::Result<()> {
    let table = match tabular::read(file, &|h| kind.is_header(h), kind.expected()) {
        Ok(t) => t,
        Err(errs) => {
            for e in &errs {
                eprintln!("guihua: {}: {e}", file.display());
            }
            bail!("{}: rejected, nothing imported", file.display());
        }
    };
    let meta = template_meta(&table);
    let mut cx = Ctxs {
        ctx,
        plans: HashMap::new(),
        subjects: HashMap::new(),
        default_plan: None,
    };
    let default_key = opts.plan.clone().or_else(|| meta.get("plan").cloned());
    if let Some(k) = default_key {
        cx.default_plan = Some(cx.plan(&k).map_err(|e| anyhow!(e))?);
    } else if let [only] = cx.ctx.store.plans()?.as_slice() {
        cx.default_plan = Some(cx.plan(&only.id.to_string()).map_err(|e| anyhow!(e))?);
    }
    if let (Some(p), Some(sha)) = (cx.default_plan, meta.get("sha256")) {
        if let Some(s) = cx.subjects.get(&p) {
            if &s.plan.sha256 != sha && opts.plan.is_none() {
                bail!(
                    "{}: the template was written for another version of plan {p}; pass --plan to import anyway",
                    file.display()
                );
            }
        }
    }
    let (changes, bad, n_rows) = check(kind, &table, &mut cx);
    if !bad.is_empty() && !opts.skip_invalid {
        let mut err = std::io::stderr().lock();
        for (_, errs) in &bad {
            for e in errs {
                let _ = writeln!(err, "guihua: {}: {e}", file.display());
            }
        }
        bail!(
            "{}: rejected, {} of {n_rows} rows are bad; nothing imported (fix them, or --skip-invalid)",
            file.display(),
            bad.len()
        );
    }
    let stall: Option<usize> = std::env::var("GUIHUA_DEBUG_STALL_AT")
        .ok()
        .and_then(|v| v.parse().ok());
    let actor = guihua_store::Actor {
        who: &ctx.user,
        why: ctx.why.as_deref(),
    };
    let applied = ctx.store.apply_with(&changes, &actor, &mut |n| {
        // Test hook: stop inside the transaction so a test can kill the process there.
        if stall.is_some_and(|s| n >= s) {
            eprintln!("guihua: stalled after {n} changes");
            std::thread::sleep(std::time::Duration::from_secs(600));
        }
    })?;
    let sheet = if table.sheet.is_empty() {
        String::new()
    } else {
        format!(" [{}]", table.sheet)
    };
    println!(
        "{}{sheet}: {} rows imported ({} new, {} changed, {} unchanged)",
        file.display(),
        n_rows - bad.len(),
        applied.inserted,
        applied.updated,
        applied.unchanged
    );
    if !bad.is_empty() {
        let path = opts.rejects.clone().unwrap_or_else(|| {
            let mut p = file.as_os_str().to_owned();
            p.push(".rejects.csv");
            PathBuf::from(p)
        });
        let rejects: Vec<(&Row, Vec<&RowError>)> = bad
            .iter()
            .map(|(i, errs)| (&table.rows[*i], errs.iter().collect()))
            .collect();
        tabular::write_rejects(&path, &table.headers, &rejects)?;
        eprintln!(
            "guihua: {}: {} bad rows skipped, written to {}",
            file.display(),
            bad.len(),
            path.display()
        );
    }
    Ok(())
}
