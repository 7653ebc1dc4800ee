//! Files for people: the fill-in template a department receives each year and the
//! observation export, built from the library and handed back as bytes (the front end
//! decides where they go).
//!
//! The template is one row per indicator (and target) the department answers for, the
//! plan's base and target filled in, only the input cells unlocked, 本年实际值 validated as
//! a decimal. A hidden `_guihua` sheet names the plan (id and sha256), year and department,
//! so an import reads the returned file as it is — no column mapping, no plan argument —
//! and [`crate::import`] refuses it for any other plan or version.

use std::collections::{BTreeSet, HashMap};

use guihua_store::{fmt_num, Observation, PlanId, Store, SubjectKind};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatBorder, Workbook,
    XlsxError,
};

use crate::subjects::Subjects;
use crate::{Error, Result};

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

/// The hidden sheet naming the plan, version, year and department.
pub const TEMPLATE_META_SHEET: &str = "_guihua";

/// Written in the hidden sheet; [`crate::import`] checks it.
pub const TEMPLATE_SCHEMA: &str = "guihua.template/1";

fn xlsx(e: XlsxError) -> Error {
    Error::Internal(format!("cannot write the workbook: {e}"))
}

/// One row of a template.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateRow {
    pub kind: SubjectKind,
    pub id: String,
    pub name: String,
    pub unit: String,
    pub base: String,
    pub target: String,
    /// What is stored for the year already (pre-filled, so a department corrects rather
    /// than retypes).
    pub current: Option<Observation>,
}

/// A template for one plan, year and (optionally) department.
#[derive(Debug, Clone)]
pub struct Template {
    pub plan_id: PlanId,
    pub plan_sha256: String,
    pub heading: String,
    pub year: i32,
    pub department: Option<String>,
    pub rows: Vec<TemplateRow>,
}

/// The rows a template holds: the subjects assigned to `department` (a department that
/// leads or joins a chapter answers for the prose targets in it), else every indicator
/// (and with `with_targets` every prose target).
pub fn template(
    store: &dyn Store,
    s: &Subjects,
    year: i32,
    department: Option<&str>,
    with_targets: bool,
) -> Result<Template> {
    s.check_year(year)?;
    let id = s.plan.id;
    let department = department.map(str::trim);
    let assigned: Option<BTreeSet<(SubjectKind, String)>> = match department {
        Some(d) => {
            let set: BTreeSet<_> = store
                .assignments(id)?
                .into_iter()
                .filter(|a| a.department == d)
                .map(|a| (a.kind, a.subject_id))
                .collect();
            if set.is_empty() {
                return Err(Error::NotFound(format!(
                    "department {d} has nothing assigned in plan {id} (guihua department assign / import)"
                )));
            }
            Some(set)
        }
        None => None,
    };
    let wanted = |k: SubjectKind, i: &str| match &assigned {
        Some(set) => set.contains(&(k, i.to_string())),
        None => k == SubjectKind::Indicator || with_targets,
    };
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
    let mut existing: HashMap<(SubjectKind, String), Observation> = store
        .observations(Some(id))?
        .into_iter()
        .filter(|o| o.year == year)
        .map(|o| ((o.kind, o.subject_id.clone()), o))
        .collect();
    let mut rows = Vec::new();
    for i in store.indicators(id)? {
        if wanted(SubjectKind::Indicator, &i.id) {
            rows.push(TemplateRow {
                kind: SubjectKind::Indicator,
                current: existing.remove(&(SubjectKind::Indicator, i.id.clone())),
                id: i.id,
                name: i.name,
                unit: i.unit.unwrap_or_default(),
                base: i.base,
                target: i.target,
            });
        }
    }
    for t in store.targets(id)? {
        if wanted(SubjectKind::Target, &t.id) || in_chapter(t.section.as_deref()) {
            rows.push(TemplateRow {
                kind: SubjectKind::Target,
                current: existing.remove(&(SubjectKind::Target, t.id.clone())),
                id: t.id,
                name: t.subject,
                unit: t.unit.unwrap_or_default(),
                base: String::new(),
                target: t.text,
            });
        }
    }
    if rows.is_empty() {
        return Err(Error::Invalid(format!(
            "plan {id} has no indicators to report (try --targets)"
        )));
    }
    Ok(Template {
        plan_id: id,
        plan_sha256: s.plan.sha256.clone(),
        heading: format!(
            "{} {}年监测数据填报表{}",
            s.plan.title.as_deref().unwrap_or(s.plan.label()),
            year,
            department.map(|d| format!("（{d}）")).unwrap_or_default()
        ),
        year,
        department: department.map(str::to_string),
        rows,
    })
}

impl Template {
    /// The workbook (xlsx bytes).
    pub fn to_xlsx(&self) -> Result<Vec<u8>> {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("填报表").map_err(xlsx)?;
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
        let text = |s: &str| guihua_report::document_text(s).into_owned();
        ws.merge_range(
            0,
            0,
            0,
            TEMPLATE_HEADERS.len() as u16 - 1,
            &text(&self.heading),
            &title,
        )
        .map_err(xlsx)?;
        for (c, h) in TEMPLATE_HEADERS.iter().enumerate() {
            ws.write_string_with_format(1, c as u16, *h, &head)
                .map_err(xlsx)?;
        }
        for (ri, row) in self.rows.iter().enumerate() {
            let r = ri as u32 + 2;
            for (c, v) in [&row.id, &row.name, &row.unit, &row.base, &row.target]
                .into_iter()
                .enumerate()
            {
                ws.write_string_with_format(r, c as u16, text(v), &locked)
                    .map_err(xlsx)?;
            }
            ws.write_number_with_format(r, 5, self.year as f64, &locked)
                .map_err(xlsx)?;
            match &row.current {
                Some(o) => {
                    ws.write_number_with_format(r, 6, o.value, &input)
                        .map_err(xlsx)?;
                    ws.write_string_with_format(
                        r,
                        7,
                        text(o.source.as_deref().unwrap_or("")),
                        &input,
                    )
                    .map_err(xlsx)?;
                    ws.write_string_with_format(
                        r,
                        8,
                        text(o.note.as_deref().unwrap_or("")),
                        &input,
                    )
                    .map_err(xlsx)?;
                }
                None => {
                    for c in 6..=8 {
                        ws.write_blank(r, c, &input).map_err(xlsx)?;
                    }
                }
            }
        }
        let last = self.rows.len() as u32 + 1;
        let dv = DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(
                -crate::input::MAX_MAGNITUDE,
                crate::input::MAX_MAGNITUDE,
            ))
            .set_input_title("本年实际值")
            .and_then(|d| d.set_input_message("填写数字（不含单位）"))
            .and_then(|d| d.set_error_title("不是数字"))
            .and_then(|d| d.set_error_message("本年实际值只能填写数字，单位见“单位”列。"))
            .map_err(xlsx)?
            .set_error_style(DataValidationErrorStyle::Stop);
        ws.add_data_validation(2, 6, last, 6, &dv).map_err(xlsx)?;
        for (c, w) in [8, 36, 10, 14, 22, 8, 14, 22, 24].into_iter().enumerate() {
            ws.set_column_width(c as u16, w).map_err(xlsx)?;
        }
        ws.set_freeze_panes(2, 2).map_err(xlsx)?;
        ws.protect();

        let meta = wb.add_worksheet();
        meta.set_name(TEMPLATE_META_SHEET).map_err(xlsx)?;
        let kv = [
            ("plan", self.plan_id.to_string()),
            ("sha256", self.plan_sha256.clone()),
            ("year", self.year.to_string()),
            ("department", self.department.clone().unwrap_or_default()),
            ("schema", TEMPLATE_SCHEMA.to_string()),
        ];
        for (r, (k, v)) in kv.iter().enumerate() {
            meta.write_string(r as u32, 0, *k).map_err(xlsx)?;
            meta.write_string(r as u32, 1, text(v)).map_err(xlsx)?;
        }
        meta.set_hidden(true);
        wb.save_to_buffer().map_err(xlsx)
    }
}

/// A template's default file name: year and department, safe as a file name.
pub fn template_file_name(year: i32, department: Option<&str>) -> String {
    match department {
        Some(d) => format!("{year}年{}填报表.xlsx", crate::output::file_stem(d)),
        None => format!("{year}年填报表.xlsx"),
    }
}

/// Observation export columns.
pub const EXPORT_HEADERS: &[&str] = &[
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

/// One exported observation with the names a reader needs beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow {
    pub observation: Observation,
    pub region: String,
    pub name: String,
    pub unit: String,
    /// The catalogue id the indicator is linked to ("" when none).
    pub catalog: String,
}

impl ExportRow {
    /// The row as text cells, in [`EXPORT_HEADERS`] order.
    pub fn cells(&self) -> [String; 12] {
        let o = &self.observation;
        [
            o.plan_id.to_string(),
            self.region.clone(),
            o.subject_id.clone(),
            self.name.clone(),
            self.unit.clone(),
            o.year.to_string(),
            fmt_num(o.value),
            o.source.clone().unwrap_or_default(),
            o.note.clone().unwrap_or_default(),
            o.entered_by.clone(),
            o.entered_at.clone(),
            self.catalog.clone(),
        ]
    }
}

/// The observations of one plan (or all), optionally only those of indicators linked to
/// one catalogue indicator (`indicator`: a catalogue id or name).
pub fn export(
    store: &dyn Store,
    plan: Option<&str>,
    indicator: Option<&str>,
) -> Result<Vec<ExportRow>> {
    let catalog = match indicator {
        Some(t) => Some(
            guihua_catalog::lookup(t)
                .ok_or_else(|| Error::NotFound(format!("{t} is not in the indicator catalogue")))?
                .id,
        ),
        None => None,
    };
    let plan_id = match plan {
        Some(k) => Some(store.resolve(k)?.id),
        None => None,
    };
    let obs = store.observations(plan_id)?;
    let mut subjects: HashMap<PlanId, Subjects> = HashMap::new();
    for p in store.plans()? {
        if obs.iter().any(|o| o.plan_id == p.id) {
            let id = p.id;
            subjects.insert(id, Subjects::load(store, p)?);
        }
    }
    let mut out = Vec::new();
    for o in obs {
        // A removed plan keeps its values; they are not exported with the library's.
        let Some(s) = subjects.get(&o.plan_id) else {
            continue;
        };
        let linked = s
            .catalog_of(&o.subject_id)
            .filter(|_| o.kind == SubjectKind::Indicator);
        if catalog.is_some() && linked != catalog {
            continue;
        }
        let (name, unit) = s.name(o.kind, &o.subject_id);
        out.push(ExportRow {
            region: s.plan.region.clone().unwrap_or_default(),
            name: name.to_string(),
            unit: unit.unwrap_or("").to_string(),
            catalog: linked.unwrap_or("").to_string(),
            observation: o,
        });
    }
    Ok(out)
}

/// The export as a workbook (numbers as numbers).
pub fn export_xlsx(rows: &[ExportRow]) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("监测数据").map_err(xlsx)?;
    let bold = Format::new().set_bold();
    for (c, h) in EXPORT_HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(xlsx)?;
    }
    for (ri, r) in rows.iter().enumerate() {
        let row = ri as u32 + 1;
        let o = &r.observation;
        for (c, v) in r.cells().iter().enumerate() {
            match c {
                0 => ws.write_number(row, 0, o.plan_id as f64),
                5 => ws.write_number(row, 5, o.year as f64),
                6 => ws.write_number(row, 6, o.value),
                _ => ws.write_string(row, c as u16, guihua_report::document_text(v)),
            }
            .map_err(xlsx)?;
        }
    }
    ws.set_column_width(3, 30).map_err(xlsx)?;
    wb.save_to_buffer().map_err(xlsx)
}

/// The export as CSV (headers of [`EXPORT_HEADERS`]; every cell neutralised: names,
/// sources and notes are typed by people, and no cell may run as a formula).
pub fn export_csv(rows: &[ExportRow], w: impl std::io::Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(w);
    w.write_record(EXPORT_HEADERS)?;
    for r in rows {
        w.write_record(
            r.cells()
                .iter()
                .map(|c| crate::output::csv_cell(c).into_owned()),
        )?;
    }
    w.flush()
}

/// The export as JSON (an array of the contract's `ObservationRow`).
pub fn export_json(rows: &[ExportRow]) -> serde_json::Value {
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
    guihua_contract::documents::observations(&v)
}
