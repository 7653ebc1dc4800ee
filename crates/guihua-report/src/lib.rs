//! Hand-in reports of a plan evaluation — the documents a development-and-reform
//! commission submits to a people's congress standing committee (人大常委会) — and the
//! comparison of one indicator across plans.
//!
//! A caller (the CLI) evaluates a plan with `guihua-eval`, fills a [`ReportInput`] (or
//! uses [`subjects_from_plan`] for the indicator part) and calls [`render`] with a
//! [`Format`]. The report has the structure such reports have:
//!
//! 标题 · 一、总体评价 · 二、主要指标完成情况 (a table coloured per status) · 三、滞后指标分析
//! (reason and the pace still required) · 四、约束性指标完成情况 · 五、重大项目进展 (when
//! projects are given) · 六、部门责任落实 (when responsibilities are given) · 七、下一步工作建议
//! · 附：指标走势图 (actual against the planned path, one chart per indicator with data).
//! English headings and prose with [`Lang::En`].
//!
//! Design: the content is built once as a list of format-neutral blocks (`ir`), and each
//! format writes those blocks — so the four formats cannot disagree. Everything is pure:
//! no clock (the date is passed in), no files, except that the PNG charts of Word output
//! look for a system font to draw their labels (see `chart`). Colours per status: achieved
//! and ahead green, on track blue, lagging orange, severely lagging red, not assessable
//! grey.

mod build;
mod chart;
mod docx;
mod from_plan;
mod html;
mod input;
mod ir;
mod md;
mod xlsx;

pub use build::title;
pub use chart::png_has_font;
pub use from_plan::{observed_series, plan_meta, subjects_from_plan};
pub use input::{
    ComparisonRow, Kind, Lang, PlanMeta, ProjectRow, ProjectStatus, ProjectYear, ReportInput,
    ReportSubject, Responsibility,
};

use build::{status_label, tr};
use ir::{opt_num, Bar, Block, Chart, Row, Table};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// GitHub-flavoured Markdown with inline SVG charts.
    Md,
    /// One self-contained HTML file (inline CSS and SVG).
    Html,
    /// Word, with PNG charts.
    Docx,
    /// Excel: tables and chart data.
    Xlsx,
}

impl Format {
    /// Parse "md", "html", "docx", "xlsx".
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Md),
            "html" | "htm" => Some(Format::Html),
            "docx" | "word" => Some(Format::Docx),
            "xlsx" | "excel" => Some(Format::Xlsx),
            _ => None,
        }
    }
    /// File extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot draw chart: {0}")]
    Chart(String),
    #[error("cannot write document: {0}")]
    Write(String),
}

fn write(blocks: &[Block], lang: Lang, format: Format) -> Result<Vec<u8>, ReportError> {
    match format {
        Format::Md => Ok(md::render(blocks)),
        Format::Html => Ok(html::render(
            blocks,
            if lang == Lang::Zh { "zh-CN" } else { "en" },
        )),
        Format::Docx => docx::render(blocks, lang),
        Format::Xlsx => xlsx::render(blocks, lang),
    }
}

/// Render the report of `input` in `format`.
pub fn render(input: &ReportInput, format: Format) -> Result<Vec<u8>, ReportError> {
    write(&build::report_blocks(input), input.lang, format)
}

/// The comparison of one indicator across plans (`guihua compare`): a table (plan,
/// region, base, target, latest actual and its year, status) and a bar chart of base,
/// target and latest actual per plan.
pub fn render_comparison(
    rows: &[ComparisonRow],
    indicator: &str,
    lang: Lang,
    format: Format,
) -> Result<Vec<u8>, ReportError> {
    let table = Table {
        sheet: tr(lang, "比较", "Comparison"),
        headers: vec![
            tr(lang, "规划", "Plan"),
            tr(lang, "地区", "Region"),
            tr(lang, "基期", "Base"),
            tr(lang, "目标", "Target"),
            tr(lang, "最新实际", "Latest actual"),
            tr(lang, "年份", "Year"),
            tr(lang, "状态", "Status"),
        ],
        widths: vec![30, 14, 9, 9, 11, 8, 12],
        rows: rows
            .iter()
            .map(|r| Row {
                cells: vec![
                    r.plan.clone(),
                    r.region.clone(),
                    opt_num(r.base),
                    opt_num(r.target),
                    opt_num(r.latest_actual),
                    r.latest_year
                        .map(|y| y.to_string())
                        .unwrap_or_else(|| "—".into()),
                    status_label(lang, r.status).to_string(),
                ],
                status: Some(r.status),
            })
            .collect(),
        status_col: Some(6),
    };
    let title = match lang {
        Lang::Zh => format!("{indicator}：各规划比较"),
        Lang::En => format!("{indicator}: comparison across plans"),
    };
    let mut blocks = vec![
        Block::Title(title.clone()),
        Block::Para(match lang {
            Lang::Zh => format!(
                "{}个规划“{indicator}”的基期值、目标值、最新实际值与评估状态。",
                rows.len()
            ),
            Lang::En => format!(
                "Base, target, latest actual and status of “{indicator}” in {} plan(s).",
                rows.len()
            ),
        }),
        Block::Table(table),
    ];
    if rows
        .iter()
        .any(|r| r.base.or(r.target).or(r.latest_actual).is_some())
    {
        blocks.push(Block::Chart(Chart {
            title: match lang {
                Lang::Zh => format!("图1　{indicator}：基期、目标与最新实际"),
                Lang::En => format!("Figure 1. {indicator}: base, target and latest actual"),
            },
            unit: String::new(),
            actual: Vec::new(),
            expected: Vec::new(),
            status: guihua_eval::Status::OnTrack,
            target: None,
            legend: (
                String::new(),
                tr(
                    lang,
                    "基期|目标|最新实际（颜色表示状态）",
                    "Base|Target|Latest actual (colour: status)",
                ),
                String::new(),
            ),
            bars: Some(
                rows.iter()
                    .map(|r| Bar {
                        label: if r.region.is_empty() {
                            r.plan.clone()
                        } else {
                            r.region.clone()
                        },
                        base: r.base,
                        target: r.target,
                        actual: r.latest_actual,
                        status: r.status,
                    })
                    .collect(),
            ),
        }));
    }
    write(&blocks, lang, format)
}
