//! What a caller hands in: the plan, the evaluation and everything around it.
//!
//! The report crate never reads files, a store or the clock: the caller (the CLI, a
//! server) fills a [`ReportInput`] and gets bytes back. That keeps a report reproducible
//! from its inputs, like the evaluation it presents.

use guihua_eval::{Evaluation, Status, SubjectRef};
use guihua_model::Attribute;

/// Which report: a yearly monitoring report, the mid-term evaluation or the final one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// 年度监测报告
    Annual,
    /// 中期评估报告
    Midterm,
    /// 总结评估报告
    Final,
}

impl Kind {
    pub fn zh(self) -> &'static str {
        match self {
            Kind::Annual => "年度监测报告",
            Kind::Midterm => "中期评估报告",
            Kind::Final => "总结评估报告",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Kind::Annual => "Annual Monitoring Report",
            Kind::Midterm => "Mid-term Evaluation Report",
            Kind::Final => "Final Evaluation Report",
        }
    }
}

/// Language of the headings and the generated prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Zh,
    En,
}

/// The plan a report is about.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanMeta {
    /// Formal title of the plan document.
    pub title: String,
    /// The region the plan governs ("乌鲁木齐市"); empty when unknown.
    pub region: String,
    /// First and last year of the plan period (2021, 2025).
    pub period: (i32, i32),
}

/// One evaluated indicator or target, with what a reader needs beside the verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportSubject {
    pub subject: SubjectRef,
    pub evaluation: Evaluation,
    /// Display name (usually `subject.name`).
    pub name: String,
    pub unit: Option<String>,
    pub attribute: Option<Attribute>,
    /// The base and target cells as the plan writes them ("6.3", "〔13.5〕", ">95").
    pub base_text: String,
    pub target_text: String,
    /// The observed series shown in the chart (year, value), in the measure the caller
    /// observed (a level, or a yearly rate for growth indicators).
    pub observed: Vec<(i32, f64)>,
    /// What `observed` measures. For yearly rates and accrued changes the evaluation's
    /// `actual` is a period figure (the average rate, the sum so far), shown in its own
    /// column beside the latest annual value.
    pub measure: Option<guihua_eval::Measure>,
    /// The expected path in the same measure (base year to target year); may be empty.
    pub expected_path: Vec<(i32, f64)>,
    /// The target as a point (target year, value) in the same measure, drawn as a marker
    /// when known.
    pub target_point: Option<(i32, f64)>,
    /// Legend of the expected series when it is not the plan's path (for a relative target
    /// it is the reference series, e.g. "GDP增长").
    pub expected_label: Option<String>,
    /// The year's target from the annual plan (年度计划) when one was given ("6左右"): the
    /// annual report shows it beside the planned path.
    pub annual_target: Option<String>,
}

impl ReportSubject {
    /// A subject with only the evaluation; names and texts from the [`SubjectRef`].
    pub fn new(subject: SubjectRef, evaluation: Evaluation) -> Self {
        ReportSubject {
            name: subject.name.clone(),
            subject,
            evaluation,
            unit: None,
            attribute: None,
            base_text: String::new(),
            target_text: String::new(),
            observed: Vec::new(),
            measure: None,
            expected_path: Vec::new(),
            target_point: None,
            expected_label: None,
            annual_target: None,
        }
    }

    pub fn is_binding(&self) -> bool {
        self.attribute == Some(Attribute::Binding)
    }

    pub fn status(&self) -> Status {
        self.evaluation.status
    }
}

/// Stage of a major project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProjectStatus {
    /// 谋划
    Planning,
    /// 前期
    Preparation,
    /// 在建
    UnderConstruction,
    /// 建成
    Completed,
    /// 暂缓
    Suspended,
}

impl ProjectStatus {
    pub const ALL: [ProjectStatus; 5] = [
        ProjectStatus::Planning,
        ProjectStatus::Preparation,
        ProjectStatus::UnderConstruction,
        ProjectStatus::Completed,
        ProjectStatus::Suspended,
    ];
    pub fn zh(self) -> &'static str {
        match self {
            ProjectStatus::Planning => "谋划",
            ProjectStatus::Preparation => "前期",
            ProjectStatus::UnderConstruction => "在建",
            ProjectStatus::Completed => "建成",
            ProjectStatus::Suspended => "暂缓",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            ProjectStatus::Planning => "planning",
            ProjectStatus::Preparation => "preparation",
            ProjectStatus::UnderConstruction => "under construction",
            ProjectStatus::Completed => "completed",
            ProjectStatus::Suspended => "suspended",
        }
    }
}

/// Investment of a project in one year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProjectYear {
    pub year: i32,
    pub planned: Option<f64>,
    pub completed: Option<f64>,
}

/// A major project and its progress.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRow {
    pub name: String,
    pub status: ProjectStatus,
    /// Unit of the investment figures ("亿元").
    pub unit: String,
    pub years: Vec<ProjectYear>,
}

/// Who answers for an indicator or target (分工负责).
#[derive(Debug, Clone, PartialEq)]
pub struct Responsibility {
    /// Plan-local id of the subject ("i3", "t12", "j4", "c6").
    pub subject_id: String,
    /// What a reader calls it: the indicator, target, project or chapter as the plan
    /// names it (never shown as an id).
    pub name: String,
    /// 牵头部门
    pub lead: String,
    /// 配合部门
    pub co: Vec<String>,
}

/// Everything a report shows. Filled by the caller; see the crate docs.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportInput {
    pub plan: PlanMeta,
    pub kind: Kind,
    /// The evaluation year.
    pub year: i32,
    pub lang: Lang,
    /// Indicators first, then prose targets, in plan order.
    pub subjects: Vec<ReportSubject>,
    pub projects: Vec<ProjectRow>,
    pub responsibilities: Vec<Responsibility>,
    /// Date printed on the report ("2024-03-01"); passed in, the crate reads no clock.
    pub generated_on: String,
    /// The evaluation method's parameters in force (name, value), printed in the appendix
    /// so the verdicts can be reproduced; empty: no appendix.
    pub parameters: Vec<(String, String)>,
    /// What staff wrote (主要成效, 存在问题, 下一步工作), merged into the report.
    pub narrative: Narrative,
    /// The Word report's typography (other formats ignore it).
    pub style: DocStyle,
}

/// The typography of a Word report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum DocStyle {
    /// 宋体/黑体, 10.5 pt, 2 cm margins.
    #[default]
    Standard,
    /// 公文格式 (GB/T 9704): 仿宋_GB2312 三号 body, 黑体 and 楷体_GB2312 headings, 方正小标宋简体
    /// title, fixed 28 pt lines, page numbers "— 1 —".
    Gongwen,
}

impl DocStyle {
    pub fn parse(s: &str) -> Option<DocStyle> {
        match s.trim() {
            "standard" | "标准" => Some(DocStyle::Standard),
            "gongwen" | "公文" => Some(DocStyle::Gongwen),
            _ => None,
        }
    }
}

/// The words of a report only people can write, paragraph by paragraph.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Narrative {
    /// 主要成效
    pub achievements: Vec<String>,
    /// 存在问题
    pub problems: Vec<String>,
    /// 下一步工作
    pub next_steps: Vec<String>,
}

/// One plan's figures for an indicator across plans (`guihua compare`).
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonRow {
    pub plan: String,
    pub region: String,
    pub base: Option<f64>,
    pub target: Option<f64>,
    pub latest_actual: Option<f64>,
    pub latest_year: Option<i32>,
    pub status: Status,
}
