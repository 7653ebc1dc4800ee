//! Transactional imports: observations (监测数据), assignments (分工) and project status.
//!
//! [`check`] reads a file (as bytes) and checks every row before anything is written: each
//! bad row is listed with its row, column and what is wrong. [`commit`] writes the good
//! rows in one `Store::apply` call, i.e. one transaction: a process killed in the middle
//! leaves the store as it was. A front end decides what to do with bad rows (reject the
//! file, or keep the rejects with [`Checked::rejects_csv`] before committing the rest).
//!
//! Values land where the file says, or not at all: a template names its plan, version and
//! (in each row) the subject by id and name; a template of another plan, of a superseded
//! version, or a row whose id and name disagree is refused with the reason.

use std::collections::HashMap;

use guihua_store::{
    Applied, Change, PlanId, ProjectStatus, Role, Store, SubjectKind, PROJECT_STATUSES,
};

use crate::input::table::{self, col_label, column, Row, RowError, Table};
use crate::subjects::Subjects;
use crate::{Error, Result};

/// What to import and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The plan rows without a 规划 column belong to (a name, id or region).
    pub plan: Option<String>,
    /// Who imports (required: there is no unchecked import): a department editor writes
    /// only its department's subjects, a reviewer nothing.
    pub principal: crate::policy::Principal,
}

/// What each kind of import file looks like and how a row becomes changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// A free-text cell, or the row error saying it is too long.
fn opt_text(row: &Row, c: Option<usize>, errs: &mut Vec<RowError>, h: &[String]) -> Option<String> {
    match crate::input::text(cell(row, c)) {
        Ok(t) => t,
        Err(m) => {
            errs.push(RowError {
                row: row.number,
                column: c.map(|i| col_label(h, i)).unwrap_or_default(),
                message: m,
            });
            None
        }
    }
}

/// Metadata a template carries in its `_guihua` sheet.
fn template_meta(t: &Table) -> HashMap<String, String> {
    t.extra
        .iter()
        .filter(|(n, _)| n == crate::sheets::TEMPLATE_META_SHEET)
        .flat_map(|(_, g)| g.iter())
        .filter_map(|r| Some((r.first()?.clone(), r.get(1)?.clone())))
        .collect()
}

struct Ctxs<'a> {
    store: &'a dyn Store,
    /// Stored values per plan and subject (year, value), loaded when first needed.
    stored: HashMap<PlanId, StoredValues>,
    principal: crate::policy::Principal,
    /// Per plan, the subjects the principal may write (`None`: all).
    writable: HashMap<PlanId, Option<std::collections::HashSet<(SubjectKind, String)>>>,
    plans: HashMap<String, std::result::Result<PlanId, String>>,
    subjects: HashMap<PlanId, Subjects>,
    default_plan: Option<PlanId>,
}

impl Ctxs<'_> {
    /// Why the principal may not write this subject, if it may not.
    fn refused(&mut self, plan: PlanId, kind: SubjectKind, id: &str) -> Option<String> {
        let p = &self.principal;
        if !self.writable.contains_key(&plan) {
            // A store failure must not open every subject: refuse them all instead.
            let w = p
                .writable_subjects(self.store, plan)
                .unwrap_or_else(|_| Some(Default::default()));
            self.writable.insert(plan, w);
        }
        let allowed = self.writable[&plan].as_ref()?;
        if allowed.contains(&(kind, id.to_string())) {
            return None;
        }
        let answering: Vec<String> = self
            .store
            .assignments(plan)
            .unwrap_or_default()
            .into_iter()
            .filter(|a| a.kind == kind && a.subject_id == id)
            .map(|a| a.department)
            .collect();
        Some(format!(
            "{id} is {}, not your department's ({}): {} may not enter it",
            if answering.is_empty() {
                "assigned to no department".to_string()
            } else {
                format!("assigned to {}", answering.join("、"))
            },
            p.departments().join("、"),
            p.name()
        ))
    }

    /// The nearest stored value before `year`.
    fn last(&mut self, plan: PlanId, kind: SubjectKind, id: &str, year: i32) -> Option<(i32, f64)> {
        if !self.stored.contains_key(&plan) {
            let mut m = StoredValues::new();
            for o in self.store.observations(Some(plan)).unwrap_or_default() {
                m.entry((o.kind, o.subject_id))
                    .or_default()
                    .push((o.year, o.value));
            }
            self.stored.insert(plan, m);
        }
        self.stored[&plan]
            .get(&(kind, id.to_string()))?
            .iter()
            .filter(|(y, _)| *y < year)
            .max_by_key(|(y, _)| *y)
            .copied()
    }

    fn plan(&mut self, key: &str) -> std::result::Result<PlanId, String> {
        if let Some(r) = self.plans.get(key) {
            return r.clone();
        }
        let r = match self.store.resolve(key) {
            Ok(p) => {
                let id = p.id;
                if let std::collections::hash_map::Entry::Vacant(e) = self.subjects.entry(id) {
                    match Subjects::load(self.store, p) {
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

/// Names that differ only in spacing or a trailing unit ("森林覆盖率（%）") are the same.
fn same_name(a: &str, b: &str) -> bool {
    fn core(s: &str) -> String {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let s = s.as_str();
        let s = match s.rfind(['（', '(']) {
            Some(i) if s.ends_with(['）', ')']) && i > 0 => &s[..i],
            _ => s,
        };
        s.to_string()
    }
    core(a) == core(b)
}

/// Stored values of one plan by subject: (year, value).
type StoredValues = HashMap<(SubjectKind, String), Vec<(i32, f64)>>;

/// Rows that failed: index into `Table::rows` and what is wrong.
type BadRows = Vec<(usize, Vec<RowError>)>;

/// Returns the changes, the bad rows and the number of data rows.
fn check_rows(
    kind: Kind,
    table: &Table,
    cx: &mut Ctxs,
) -> (Vec<Change>, BadRows, usize, Vec<RowError>) {
    let h = &table.headers;
    let c = Cols::of(kind, h);
    let mut changes = Vec::new();
    let mut bad: BadRows = Vec::new();
    let mut seen: HashMap<(PlanId, SubjectKind, String, i32), usize> = HashMap::new();
    let mut data_rows = 0;
    let mut outliers: Vec<RowError> = Vec::new();
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
            && c.value.and_then(|i| row.issue(i)).is_none()
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
        // Both an id and a name: they must mean the same subject, or the row would land
        // under the id while the person meant the name.
        let name_check = (!cell(row, c.id).is_empty() && !cell(row, c.name).is_empty())
            .then(|| cell(row, c.name));
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
                Ok(x) => {
                    // The subject's own name (or none given) agrees at once.
                    let by_name = name_check
                        .filter(|n| !same_name(s.name(x.0, &x.1).0, n))
                        .map(|n| (n, s.resolve(n, allowed)));
                    match by_name {
                        Some((n, Ok(other))) if other != x => {
                            errs.push(err(
                                c.name,
                                row,
                                format!(
                                    "{} is {} ({}), but this row names {n} ({}): which one?",
                                    x.1,
                                    s.name(x.0, &x.1).0,
                                    x.0.zh(),
                                    other.1
                                ),
                            ));
                            None
                        }
                        Some((n, Err(_))) => {
                            errs.push(err(
                                c.name,
                                row,
                                format!(
                                    "{} is {}, but this row names {n}: is the file for another plan?",
                                    x.1,
                                    s.name(x.0, &x.1).0
                                ),
                            ));
                            None
                        }
                        _ => Some(x),
                    }
                }
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
                match c.year.and_then(|i| row.issue(i)).map(str::to_string) {
                    Some(why) => {
                        errs.push(err(c.year, row, why));
                        None
                    }
                    None => match crate::input::year(t) {
                        Ok(y) => match subjects.map(|s| s.check_year(y)) {
                            Some(Err(e)) => {
                                errs.push(err(c.year, row, e.to_string()));
                                None
                            }
                            _ => Some(y),
                        },
                        Err(_) => {
                            errs.push(err(
                                c.year,
                                row,
                                format!("text in a number cell: '{t}' is not a year"),
                            ));
                            None
                        }
                    },
                }
            }
        };
        let number = |col: Option<usize>, what: &str, required: bool, errs: &mut Vec<RowError>| {
            let t = cell(row, col);
            if let Some(why) = col.and_then(|i| row.issue(i)) {
                errs.push(err(col, row, why.to_string()));
                return None;
            }
            if t.is_empty() {
                if required {
                    errs.push(err(col, row, format!("{what} missing")));
                }
                return None;
            }
            match crate::input::number(t) {
                Ok(v) => Some(v),
                Err(e)
                    if t.chars()
                        .any(|ch| ch.is_ascii_digit() || ('０'..='９').contains(&ch)) =>
                {
                    errs.push(err(col, row, e.to_string()));
                    None
                }
                Err(_) => {
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
        let mut row_outlier: Option<RowError> = None;
        match kind {
            Kind::Observations => {
                if c.value.is_none() {
                    errs.push(err(None, row, "no 实际值/value column".into()));
                }
                let value = number(c.value, "实际值 (value)", true, &mut errs);
                if let (Some(p), Some((k, id)), Some(y), Some(v)) = (plan, &subject, year, value) {
                    let last = cx.last(p, *k, id, y);
                    if let Some(w) = cx.subjects.get(&p).and_then(|s| {
                        crate::plausibility::check(&s.expectation(*k, id), y, v, last)
                    }) {
                        row_outlier = Some(err(c.value, row, w));
                    }
                    made.push(Change::Observe {
                        plan_id: p,
                        kind: *k,
                        subject_id: id.clone(),
                        year: y,
                        value: v,
                        source: opt_text(row, c.source, &mut errs, h),
                        note: opt_text(row, c.note, &mut errs, h),
                        // A file is the new truth for its rows; the old values stay in the
                        // history.
                        expected_revision: None,
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
                            // A sheet states the new truth (old values go to history).
                            expected_revision: None,
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
                    made.push(Change::ProjectStatus {
                        status: ProjectStatus {
                            plan_id: p,
                            project_id: id.clone(),
                            year: y,
                            status,
                            planned_investment: planned,
                            completed_investment: completed,
                            milestone: opt_text(row, c.milestone, &mut errs, h),
                            revision: 0,
                        },
                        expected_revision: None,
                    });
                }
            }
        }
        if let (Some(p), Some((k, id)), true) = (plan, &subject, kind != Kind::Assignments) {
            if let Some(why) = cx.refused(p, *k, id) {
                errs.push(err(subj_col, row, why));
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
            outliers.extend(row_outlier);
            changes.extend(made);
        } else {
            bad.push((ri, errs));
        }
    }
    (changes, bad, data_rows, outliers)
}

/// A file checked against the library: the changes its good rows make, and its bad rows.
#[derive(Debug)]
pub struct Checked {
    pub table: Table,
    pub changes: Vec<Change>,
    /// Bad rows: index into `table.rows`, and what is wrong.
    pub bad: Vec<(usize, Vec<RowError>)>,
    /// Rows holding data (unfilled template rows are not counted).
    pub data_rows: usize,
    /// Good rows whose value looks implausible ([`crate::plausibility`]): a front end stores
    /// them only once a person confirms.
    pub outliers: Vec<RowError>,
    /// Who the file was checked for: the commit is authorised and written in their name,
    /// not in one a front end passes separately.
    principal: crate::policy::Principal,
    kind: Kind,
}

impl Checked {
    /// Every error of every bad row, in row order.
    pub fn errors(&self) -> Vec<RowError> {
        self.bad
            .iter()
            .flat_map(|(_, e)| e.iter().cloned())
            .collect()
    }

    /// The bad rows as CSV (行, 错误, then the row's cells), for a person to fix.
    pub fn rejects_csv(&self) -> Vec<u8> {
        let rejects: Vec<(&Row, Vec<&RowError>)> = self
            .bad
            .iter()
            .map(|(i, errs)| (&self.table.rows[*i], errs.iter().collect()))
            .collect();
        table::rejects_csv(&self.table.headers, &rejects)
    }
}

/// Read and check an import file. `name` is the file's name (its extension decides CSV or
/// xlsx; messages name it). File-level problems (unreadable, wrong sheet, a template of
/// another plan or version) are [`Error::Rejected`]; row problems are in
/// [`Checked::bad`].
pub fn check(
    store: &dyn Store,
    kind: Kind,
    name: &str,
    bytes: &[u8],
    opts: &Options,
) -> Result<Checked> {
    // Who may import at all is decided before the file is read (reading costs memory).
    opts.principal.authorize(match kind {
        Kind::Assignments => crate::policy::Action::ManagePlans,
        Kind::Observations | Kind::ProjectStatus => crate::policy::Action::WriteValues,
    })?;
    let table = table::read(name, bytes, &|h| kind.is_header(h), kind.expected())
        .map_err(Error::Rejected)?;
    let meta = template_meta(&table);
    let mut cx = Ctxs {
        store,
        plans: HashMap::new(),
        subjects: HashMap::new(),
        default_plan: None,
        stored: HashMap::new(),
        principal: opts.principal.clone(),
        writable: HashMap::new(),
    };
    opts.principal.authorize(match kind {
        Kind::Assignments => crate::policy::Action::ManagePlans,
        Kind::Observations | Kind::ProjectStatus => crate::policy::Action::WriteValues,
    })?;
    let file_error = |m: String| {
        Error::Rejected(vec![RowError {
            row: 0,
            column: String::new(),
            message: m,
        }])
    };
    let default_key = opts.plan.clone().or_else(|| meta.get("plan").cloned());
    if let Some(k) = default_key {
        cx.default_plan = Some(cx.plan(&k).map_err(Error::NotFound)?);
    } else if let [only] = store.plans()?.as_slice() {
        cx.default_plan = Some(cx.plan(&only.id.to_string()).map_err(Error::NotFound)?);
    }
    // A template names the plan (and version) it was written for: it goes there or nowhere.
    if let Some(sha) = meta.get("sha256") {
        let written_for = meta.get("plan").cloned().unwrap_or_default();
        let Some(p) = cx.default_plan else {
            return Err(file_error(format!("{name}: which plan? give --plan")));
        };
        let target = &cx.subjects[&p].plan;
        if &target.sha256 != sha {
            let template_plan = store.plans()?.into_iter().find(|r| &r.sha256 == sha);
            return Err(file_error(match template_plan {
                Some(t) if t.id != p => format!(
                    "{name}: the template was written for plan {} ({}), not plan {p} ({}): \
                     values would land on the wrong indicators; import it without --plan",
                    t.id,
                    t.label(),
                    target.label()
                ),
                Some(t) => format!(
                    "{name}: the template was written for plan {} version {}",
                    t.id, t.version
                ),
                None => format!(
                    "{name}: the template was written for a plan version that is not in the \
                     library (plan {written_for}, sha256 {}…); write a new template",
                    &sha[..sha.len().min(12)]
                ),
            }));
        }
        if let Some(next) = target.next_id {
            return Err(file_error(format!(
                "{name}: the template was written for plan {p} version {}, which plan {next} \
                 revises: write a new template from plan {next} (its indicators may differ)",
                target.version
            )));
        }
    }
    let (changes, bad, data_rows, outliers) = check_rows(kind, &table, &mut cx);
    Ok(Checked {
        table,
        changes,
        bad,
        data_rows,
        outliers,
        principal: opts.principal.clone(),
        kind,
    })
}

/// What the person importing has agreed to.
#[derive(Debug, Clone, Copy, Default)]
pub struct Consent {
    /// Commit the good rows although some rows are bad (their rejects kept by the front
    /// end first).
    pub skip_invalid: bool,
    /// The implausible values ([`Checked::outliers`]) have been looked at and are right.
    pub confirmed: bool,
}

/// Write the good rows of a checked file, in one transaction — only if the file has no bad
/// rows or the person chose to skip them, and no implausible value or the person confirmed
/// them; otherwise nothing is written.
pub fn commit(
    store: &dyn Store,
    checked: &Checked,
    consent: Consent,
    why: Option<&str>,
    progress: &mut dyn FnMut(usize),
) -> Result<Applied> {
    checked.principal.authorize(match checked.kind {
        Kind::Assignments => crate::policy::Action::ManagePlans,
        Kind::Observations | Kind::ProjectStatus => crate::policy::Action::WriteValues,
    })?;
    let actor = checked.principal.actor(why);
    if !checked.bad.is_empty() && !consent.skip_invalid {
        return Err(Error::Rejected(checked.errors()));
    }
    if !checked.outliers.is_empty() && !consent.confirmed {
        return Err(Error::Unconfirmed(format!(
            "{} values look implausible: {}",
            checked.outliers.len(),
            checked
                .outliers
                .iter()
                .take(3)
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    Ok(store.apply_with(&checked.changes, &actor, progress)?)
}

/// Check and write an observation file for one plan (the JSON API's
/// `POST /api/v1/plans/{id}/observations`): the same validator and rights as
/// `guihua observe import`, all or nothing, and every value must be of `plan` — a file with
/// a 规划 column naming another plan is refused, whatever the principal may write there.
/// Answers the file's data rows and what was written.
pub fn commit_for_plan(
    store: &dyn Store,
    principal: &crate::policy::Principal,
    plan: guihua_store::PlanId,
    name: &str,
    bytes: &[u8],
    confirmed: bool,
    why: Option<&str>,
) -> Result<(usize, Applied)> {
    let checked = check(
        store,
        Kind::Observations,
        name,
        bytes,
        &Options {
            plan: Some(plan.to_string()),
            principal: principal.clone(),
        },
    )?;
    let mut others: Vec<guihua_store::PlanId> = checked
        .changes
        .iter()
        .map(Change::plan_id)
        .filter(|p| *p != plan)
        .collect();
    others.sort_unstable();
    others.dedup();
    if !others.is_empty() {
        return Err(Error::Invalid(format!(
            "the file holds values of plan {} as well: this request writes plan {plan} only \
             (send each plan's values to its own address)",
            others
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let applied = commit(
        store,
        &checked,
        Consent {
            skip_invalid: false,
            confirmed,
        },
        why,
        &mut |_| {},
    )?;
    Ok((checked.data_rows, applied))
}
