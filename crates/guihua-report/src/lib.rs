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
//!
//! User text is safe in every format: characters XML forbids are removed and over-long
//! texts cut once for all writers (`sanitize`), Markdown and HTML escape it (no raw HTML,
//! no links), and Excel stores it as text, never as a formula.

mod build;
mod chart;
mod docx;
mod from_plan;
mod html;

/// Text made safe for HTML (`&<>"'`): the one escaper of the project's hand-built markup.
pub use html::esc as escape_html;
mod input;
mod ir;
mod md;
mod sanitize;
mod xlsx;

pub use build::title;
pub use chart::png_has_font;
pub use from_plan::{observed_series, plan_meta, subjects_from_plan, subjects_from_plan_with};
pub use input::{
    ComparisonRow, DocStyle, Kind, Lang, Narrative, PlanMeta, ProjectRow, ProjectStatus,
    ProjectYear, ReportInput, ReportSubject, Responsibility,
};
pub use sanitize::document_text;

use build::{status_label, tr};
use ir::{opt_num, Bar, Block, Chart, Row, Table};

/// One subject's chart as inline SVG (the report's chart, for a web page): the actual
/// series against the planned path and the target, coloured by the subject's status, with
/// every label as text. The same drawing code as the reports' charts.
pub fn subject_chart_svg(subject: &ReportSubject, lang: Lang) -> String {
    chart::svg(&build::subject_chart(subject, lang, None))
}

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

/// The one way from blocks to bytes: every string is sanitized here, before any writer.
fn write(
    blocks: Vec<Block>,
    lang: Lang,
    style: DocStyle,
    format: Format,
) -> Result<Vec<u8>, ReportError> {
    let blocks = sanitize::blocks(blocks);
    match format {
        Format::Md => Ok(md::render(&blocks)),
        Format::Html => Ok(html::render(
            &blocks,
            if lang == Lang::Zh { "zh-CN" } else { "en" },
        )),
        Format::Docx => docx::render(&blocks, lang, style),
        Format::Xlsx => xlsx::render(&blocks, lang),
    }
}

/// Render the report of `input` in `format`.
pub fn render(input: &ReportInput, format: Format) -> Result<Vec<u8>, ReportError> {
    write(build::report_blocks(input), input.lang, input.style, format)
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
    write(blocks, lang, DocStyle::Standard, format)
}

#[cfg(test)]
mod tests {
    use super::*;
    use guihua_eval::{Evaluation, Projection, Status, SubjectKind, SubjectRef};

    fn ev(status: Status, actual: Option<f64>) -> Evaluation {
        Evaluation {
            status,
            expected: Some(10.0),
            actual,
            actual_year: actual.map(|_| 2023),
            progress_pct: Some(40.0),
            schedule_pct: Some(60.0),
            projection: Some(Projection {
                year: 2025,
                end_value: Some(11.0),
                reaches_target: Some(false),
                remaining_years: 2,
                required_annual_rate: None,
                required_annual_change: Some(0.8),
            }),
            reason_zh: "2023年实际9件，按序时进度应达10件".into(),
            reason_en: "9 in 2023 against 10 expected".into(),
        }
    }

    fn subject(id: &str, name: &str, status: Status, binding: bool) -> ReportSubject {
        let mut s = ReportSubject::new(
            SubjectRef {
                kind: SubjectKind::Indicator,
                id: id.into(),
                name: name.into(),
                target_year: 2025,
            },
            ev(status, Some(9.0)),
        );
        s.unit = Some("件".into());
        s.attribute = Some(if binding {
            guihua_model::Attribute::Binding
        } else {
            guihua_model::Attribute::Anticipatory
        });
        s.base_text = "6.3".into();
        s.target_text = "12".into();
        s.observed = vec![(2021, 7.0), (2022, 8.0), (2023, 9.0)];
        s.expected_path = (2020..=2025)
            .map(|y| (y, 6.3 + 1.14 * (y - 2020) as f64))
            .collect();
        s.target_point = Some((2025, 12.0));
        s
    }

    fn input(lang: Lang) -> ReportInput {
        ReportInput {
            plan: PlanMeta {
                title: "某市国民经济和社会发展第十四个五年规划纲要".into(),
                region: "某市".into(),
                period: (2021, 2025),
            },
            kind: Kind::Midterm,
            year: 2023,
            lang,
            subjects: vec![
                subject("i1", "专利拥有量", Status::Ahead, false),
                subject("i2", "森林覆盖率", Status::SeverelyLagging, true),
                subject("i3", "A&B<指标>", Status::NotAssessable, false),
            ],
            projects: vec![ProjectRow {
                name: "某某高速公路".into(),
                status: ProjectStatus::UnderConstruction,
                unit: "亿元".into(),
                years: vec![
                    ProjectYear {
                        year: 2022,
                        planned: Some(10.0),
                        completed: Some(6.0),
                    },
                    ProjectYear {
                        year: 2024,
                        planned: Some(10.0),
                        completed: None,
                    },
                ],
            }],
            responsibilities: vec![Responsibility {
                subject_id: "i2".into(),
                name: "森林覆盖率".into(),
                lead: "林草局".into(),
                co: vec!["自然资源局".into(), "财政局".into()],
            }],
            generated_on: "2024-01-02".into(),
            parameters: vec![("tolerance".into(), "0.2".into())],
            narrative: Narrative::default(),
            style: DocStyle::Standard,
        }
    }

    fn md(i: &ReportInput) -> String {
        String::from_utf8(render(i, Format::Md).unwrap()).unwrap()
    }

    #[test]
    fn numbers_print_short() {
        assert_eq!(ir::num(15.0), "15");
        assert_eq!(ir::num(15.750), "15.75");
        assert_eq!(ir::num(0.123456), "0.12");
        assert_eq!(ir::num(-0.001), "0");
        assert_eq!(ir::num(4678.66), "4678.7");
        assert_eq!(ir::num(f64::NAN), "—");
    }

    #[test]
    fn titles() {
        let mut i = input(Lang::Zh);
        assert_eq!(title(&i), "某市“十四五”规划纲要实施中期评估报告（2023年）");
        i.kind = Kind::Final;
        i.plan.period = (2026, 2030);
        i.year = 2030;
        assert_eq!(title(&i), "某市“十五五”规划纲要实施总结评估报告（2030年）");
        i.lang = Lang::En;
        assert_eq!(
            title(&i),
            "某市 15th Five-Year Plan (2026–2030): Final Evaluation Report (2030)"
        );
        i.plan.region.clear();
        i.lang = Lang::Zh;
        assert!(title(&i).starts_with("某市国民经济"));
    }

    #[test]
    fn sections_and_numbers() {
        let m = md(&input(Lang::Zh));
        for h in [
            "## 一、总体评价",
            "## 二、主要指标完成情况",
            "## 三、滞后指标分析",
            "## 四、约束性指标完成情况",
            "## 五、能否实现规划目标与中期调整",
            "## 六、重大项目进展",
            "## 七、部门责任落实",
            "## 八、下一步工作建议",
            "## 附：指标走势图",
        ] {
            assert!(m.contains(h), "{h}");
        }
        assert!(
            m.contains("共3项，其中可评估2项（占67%）：快于预期1项、严重滞后1项。无法评估1项"),
            "{m}"
        );
        // Two assessed items are too few to call the plan on track or not.
        assert!(
            m.contains("可评估项仅2项，尚不能对规划实施作出总体判断"),
            "{m}"
        );
        assert!(!m.contains("符合预期，"), "{m}");
        assert!(m.contains(
            "| 2 | 森林覆盖率★ | 件 | 6.3 | 12 | 9 (2023) | — | 60 / 40 | 🔴 严重滞后 |"
        ));
        // Lagging analysis: reason and the pace still required.
        assert!(m.contains("### （一）森林覆盖率（严重滞后）"));
        assert!(
            m.contains("所需进度：后2年需年均变化0.8件；按现有趋势2025年预计11，难以实现目标。")
        );
        // Projects: only years up to the evaluation year count.
        assert!(
            m.contains("| 1 | 某某高速公路 | 🟠 在建 | 10 亿元 | 6 亿元 | 60 |"),
            "{m}"
        );
        assert!(m.contains("| 林草局 | 森林覆盖率 | 自然资源局、财政局 | 🔴 严重滞后 |"));
        assert!(m.contains("林草局（牵头1项，滞后1项）"));
        assert_eq!(m.matches("<svg").count(), 3);
        assert!(m.contains("2024-01-02"));
    }

    #[test]
    fn optional_sections_left_out() {
        let mut i = input(Lang::En);
        i.projects.clear();
        i.responsibilities.clear();
        let m = md(&i);
        assert!(!m.contains("Major projects"));
        assert!(m.contains("## 6. Recommendations"));
    }

    /// Each kind of report answers its own question: the year against its planned
    /// level (annual), whether the targets can still be met and what to adjust
    /// (mid-term), what was met at the end and what carries over (final).
    #[test]
    fn three_kinds_of_report() {
        let mut i = input(Lang::Zh);
        i.kind = Kind::Annual;
        i.subjects[0].annual_target = Some("9.5左右".into());
        let annual = md(&i);
        // 9 against 9.72 planned for the year: not reached, whatever the overall verdict.
        assert!(
            annual.contains("| 9 | 9.72 | 9.5左右 | 12 | 🟠 未达到 |"),
            "{annual}"
        );
        assert!(annual.contains("## 五、年度执行情况"), "{annual}");
        assert!(
            annual.contains(
                "2023年有监测数据的指标和目标3项，其中0项达到本年应达水平（按规划路径）。"
            ),
            "{annual}"
        );
        assert!(
            annual.contains("| 2023年实际 | 2023年应达（规划路径） |"),
            "{annual}"
        );
        assert!(!annual.contains("中期调整"), "{annual}");
        i.kind = Kind::Midterm;
        let mid = md(&i);
        assert!(mid.contains("规划期已过60%"), "{mid}");
        assert!(mid.contains("建议在规划中期调整中逐项研究"), "{mid}");
        assert!(mid.contains("🟠 难以实现 |"), "{mid}");
        i.kind = Kind::Final;
        i.year = 2025;
        let fin = md(&i);
        assert!(fin.contains("## 五、规划目标完成情况"), "{fin}");
        assert!(
            fin.contains("完成1项、基本完成0项、未完成1项、无法评估1项"),
            "{fin}"
        );
        assert!(fin.contains("🔴 未完成 |"), "{fin}");
        assert!(fin.contains("作为下一个五年规划的衔接重点"), "{fin}");
        assert!(!fin.contains("中期调整"), "{fin}");
    }

    #[test]
    fn html_escapes_and_colours() {
        let h = String::from_utf8(render(&input(Lang::Zh), Format::Html).unwrap()).unwrap();
        assert!(h.contains("A&amp;B&lt;指标&gt;"));
        assert!(!h.contains("A&B<指标>"));
        assert!(h.contains("status-severely_lagging\" style=\"background:#F8D7DA"));
        assert!(h.contains("status-ahead\" style=\"background:#D4EDDA"));
        assert!(h.contains("status-not_assessable\" style=\"background:#E9ECEF"));
    }

    #[test]
    fn png_chart_is_png() {
        let c = build::report_blocks(&input(Lang::Zh))
            .into_iter()
            .find_map(|b| match b {
                ir::Block::Chart(c) => Some(c),
                _ => None,
            })
            .unwrap();
        let (png, w, h) = chart::png(&c).unwrap();
        assert!(png.starts_with(&[0x89, b'P', b'N', b'G']));
        assert_eq!((w, h), (1280, 600));
        let svg = chart::svg(&c);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("stroke-dasharray"), "expected path dashed");
        assert!(svg.contains("<polygon"), "target marker");
    }

    #[test]
    fn empty_input_renders() {
        let mut i = input(Lang::Zh);
        i.subjects.clear();
        i.projects.clear();
        i.responsibilities.clear();
        for f in [Format::Md, Format::Html, Format::Docx, Format::Xlsx] {
            assert!(!render(&i, f).unwrap().is_empty());
        }
        assert!(md(&i).contains("暂无观测数据"));
    }

    /// The summary tells the truth about coverage: 9 binding indicators of which 6 were
    /// never assessed do not read "未发现滞后"; a binding indicator on schedule whose trend
    /// misses the target is named as a risk; English has real plurals.
    #[test]
    fn summary_tells_the_truth_about_coverage() {
        let mut i = input(Lang::Zh);
        i.subjects = (0..9)
            .map(|n| {
                let status = if n < 3 {
                    Status::OnTrack
                } else {
                    Status::NotAssessable
                };
                subject(&format!("i{n}"), &format!("指标{n}"), status, true)
            })
            .collect();
        // 指标0 is on schedule now, but its projection misses the target (see `ev`).
        i.subjects[1]
            .evaluation
            .projection
            .as_mut()
            .unwrap()
            .reaches_target = Some(true);
        i.subjects[2]
            .evaluation
            .projection
            .as_mut()
            .unwrap()
            .reaches_target = Some(true);
        let m = md(&i);
        assert!(!m.contains("未发现滞后项；"), "{m}");
        assert!(m.contains("约束性指标9项，已评估3项（占33%）"), "{m}");
        assert!(m.contains("另有6项约束性指标未能评估"), "{m}");
        assert!(
            m.contains("已评估的3项未发现滞后；指标3、指标4、指标5、指标6、指标7、指标8无法评估"),
            "{m}"
        );
        assert!(
            m.contains("可评估项不足半数，尚不能对规划实施作出总体判断"),
            "{m}"
        );
        assert!(!m.contains("总体进展"), "{m}");
        assert!(
            m.contains("预警：指标0目前虽达到序时进度，但按现有趋势到2025年难以实现约束性目标"),
            "{m}"
        );
        // All assessed and on track: the verdict may be given.
        for s in &mut i.subjects {
            s.evaluation.status = Status::OnTrack;
        }
        let m = md(&i);
        assert!(m.contains("可评估项中没有滞后项"), "{m}");
        assert!(m.contains("9项约束性指标中，未发现滞后项"), "{m}");
        let mut e = i.clone();
        e.lang = Lang::En;
        let en = md(&e);
        assert!(!en.contains("(s)"), "{en}");
        assert!(
            en.contains("9 indicators are binding, 9 of them (100%) assessed"),
            "{en}"
        );
    }

    /// A growth row shows the year's entered rate as the year's figure and the average to
    /// date in its own, labelled column (never the average as "3.93 (2023)").
    #[test]
    fn growth_rows_show_the_year_and_the_period_apart() {
        let mut i = input(Lang::Zh);
        let mut g = subject("i1", "全员劳动生产率增长", Status::OnTrack, false);
        g.unit = Some("%".into());
        g.measure = Some(guihua_eval::Measure::AnnualRate);
        g.observed = vec![(2021, 2.0), (2022, 3.9), (2023, 5.9)];
        g.evaluation.actual = Some(3.93);
        g.evaluation.actual_year = Some(2023);
        g.base_text = "—".into();
        g.target_text = "年均增长5".into();
        i.subjects = vec![g];
        let m = md(&i);
        assert!(
            m.contains(
                "| 全员劳动生产率增长 | % | — | 年均增长5 | 5.9 (2023) | 年均 3.93 (2021–2023) |"
            ),
            "{m}"
        );
        assert!(!m.contains("3.93 (2023)"), "{m}");
    }

    /// A delegated binding row (完成上级下达任务) with data: its value is in the table, the
    /// reason says why there is no verdict, and the advice does not ask for data it has.
    #[test]
    fn delegated_rows_show_their_data() {
        let mut i = input(Lang::Zh);
        let mut d = subject(
            "i9",
            "单位地区生产总值能源消耗降低",
            Status::NotAssessable,
            true,
        );
        d.evaluation.actual = None;
        d.evaluation.actual_year = None;
        d.evaluation.reason_zh = "目标为完成自治区下达任务，无量化目标，无法评估".into();
        d.target_text = "完成自治区下达任务".into();
        d.observed = vec![(2022, 3.1)];
        i.subjects = vec![d];
        let m = md(&i);
        assert!(m.contains("| 完成自治区下达任务 | 3.1 (2022) |"), "{m}");
        assert!(
            m.contains("单位地区生产总值能源消耗降低已有监测数据"),
            "{m}"
        );
        assert!(!m.contains("建立数据来源"), "{m}");
    }

    /// Nothing is concluded from nothing: a mid-term with no projection makes no "all can
    /// be met" claim, a final with unassessed items does not say nothing carries over, and
    /// an item without a lead department is not counted as led.
    #[test]
    fn no_conclusions_from_nothing() {
        let mut i = input(Lang::Zh);
        for s in &mut i.subjects {
            s.evaluation.status = Status::NotAssessable;
            s.evaluation.projection = None;
        }
        i.responsibilities.push(Responsibility {
            subject_id: "i1".into(),
            name: "专利拥有量".into(),
            lead: String::new(),
            co: vec!["科技局".into()],
        });
        let mid = md(&i);
        assert!(mid.contains("没有可作期末预测的指标"), "{mid}");
        assert!(mid.contains("暂不能提出调整建议"), "{mid}");
        assert!(!mid.contains("均可实现"), "{mid}");
        assert!(mid.contains("1项指标、目标和任务明确了牵头部门"), "{mid}");
        assert!(mid.contains("另有1项只有配合部门"), "{mid}");
        i.kind = Kind::Final;
        i.year = 2025;
        let fin = md(&i);
        assert!(fin.contains("另有3项无法评估，完成与否尚无依据"), "{fin}");
        assert!(!fin.contains("没有未完成的目标需要结转"), "{fin}");
    }

    /// 部门责任落实: names, never ids; grouped by lead department, sorted; chapters and
    /// projects named too.
    #[test]
    fn responsibilities_by_department_with_names() {
        let mut i = input(Lang::Zh);
        i.responsibilities = vec![
            Responsibility {
                subject_id: "c11".into(),
                name: "第十一章 推进生态文明建设".into(),
                lead: "生态环境局".into(),
                co: vec![],
            },
            Responsibility {
                subject_id: "i2".into(),
                name: "森林覆盖率".into(),
                lead: "林草局".into(),
                co: vec!["自然资源局".into()],
            },
            Responsibility {
                subject_id: "j12".into(),
                name: "乌昌快速通道".into(),
                lead: "交通运输局".into(),
                co: vec![],
            },
            Responsibility {
                subject_id: "i1".into(),
                name: String::new(),
                lead: "林草局".into(),
                co: vec![],
            },
        ];
        let m = md(&i);
        let section = &m[m.find("部门责任落实").unwrap()..];
        let section = &section[section.find("| 牵头部门").expect("the table")..];
        for id in ["c11", "j12"] {
            assert!(
                !section.contains(&format!("| {id} |")),
                "{id} shown as an id"
            );
        }
        let at = |s: &str| {
            section
                .find(s)
                .unwrap_or_else(|| panic!("{s} in {section}"))
        };
        // Sorted by department (Unicode order), plan order inside 林草局 (i1 before i2).
        assert!(at("交通运输局") < at("林草局") && at("林草局") < at("生态环境局"));
        assert!(at("第十一章 推进生态文明建设") > at("乌昌快速通道"));
        let first_forest = at("| 林草局");
        assert!(section[first_forest..].find("森林覆盖率").is_some());
    }

    #[test]
    fn formats_parse() {
        assert_eq!(Format::parse("DOCX"), Some(Format::Docx));
        assert_eq!(Format::parse("pdf"), None);
        assert_eq!(Format::Xlsx.extension(), "xlsx");
    }
}
