//! Every format, both languages, on the five reference plans with generated observations.
//! The seeds are required: a missing seed fails the test.

mod common;

use std::io::{Cursor, Read};

use calamine::{Reader, Xlsx};
use guihua_eval::Status;
use guihua_report::*;

const ZH_HEADINGS: [&str; 5] = [
    "一、总体评价",
    "二、主要指标完成情况",
    "三、滞后指标分析",
    "四、约束性指标完成情况",
    "附：指标走势图",
];
const EN_HEADINGS: [&str; 5] = [
    "1. Overall assessment",
    "2. Main indicators",
    "3. Lagging indicators",
    "4. Binding indicators",
    "Annex: indicator charts",
];

fn headings(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::Zh => ZH_HEADINGS,
        Lang::En => EN_HEADINGS,
    }
}

fn html_esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Text in a Markdown table cell, escaped as the report escapes it.
fn md_cell(s: &str) -> String {
    html_esc(s)
        .replace('\\', "\\\\")
        .replace('[', "\\[")
        .replace(']', "\\]")
        .replace('|', "\\|")
        .replace('\n', " ")
}

fn xml_esc(s: &str) -> String {
    html_esc(s).replace('"', "&quot;")
}

fn unzip(bytes: &[u8]) -> zip::ZipArchive<Cursor<&[u8]>> {
    zip::ZipArchive::new(Cursor::new(bytes)).expect("a valid zip")
}

fn zip_text(z: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> String {
    let mut s = String::new();
    z.by_name(name)
        .unwrap_or_else(|_| panic!("{name} in zip"))
        .read_to_string(&mut s)
        .expect("utf-8");
    s
}

fn check(input: &ReportInput) {
    let lang = input.lang;
    let n_charts = input
        .subjects
        .iter()
        .filter(|s| !s.observed.is_empty())
        .count();
    let title = title(input);
    let statuses: Vec<Status> = input.subjects.iter().map(|s| s.status()).collect();

    // Markdown
    let md = String::from_utf8(render(input, Format::Md).unwrap()).unwrap();
    assert!(md.starts_with(&format!("# {title}\n")), "{}", &md[..200]);
    for h in headings(lang) {
        assert!(md.contains(h), "md lacks {h}");
    }
    for s in &input.subjects {
        assert!(md.contains(&md_cell(&s.name)), "md lacks {}", s.name);
    }
    assert!(md.contains("🟢") || md.contains("🔵") || md.contains("⚪"));
    assert_eq!(md.matches("<svg").count(), n_charts);

    // HTML
    let html = String::from_utf8(render(input, Format::Html).unwrap()).unwrap();
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(
        !html.contains("<script") && !html.contains("<link"),
        "self-contained"
    );
    for h in headings(lang) {
        assert!(
            html.contains(&format!("<h2>{}</h2>", html_esc(h))),
            "html lacks {h}"
        );
    }
    for s in &input.subjects {
        assert!(html.contains(&html_esc(&s.name)), "html lacks {}", s.name);
    }
    for st in &statuses {
        assert!(
            html.contains(&format!("status-{}", st.code())),
            "no colour for {st:?}"
        );
    }
    assert_eq!(html.matches("<svg").count(), n_charts);
    // Main table: one row per subject.
    let main = html.split("<h2>").nth(2).expect("section 2");
    assert_eq!(main.matches("<tr>").count(), input.subjects.len() + 1);

    // Word
    let docx = render(input, Format::Docx).unwrap();
    let mut z = unzip(&docx);
    let doc = zip_text(&mut z, "word/document.xml");
    assert!(doc.contains(&xml_esc(&title)));
    for h in headings(lang) {
        assert!(doc.contains(&xml_esc(h)), "docx lacks {h}");
    }
    for s in &input.subjects {
        assert!(doc.contains(&xml_esc(&s.name)), "docx lacks {}", s.name);
    }
    assert!(doc.contains("w:eastAsia=\"SimSun\""), "CJK font set");
    assert!(doc.contains("<w:tblHeader />"), "header rows repeat");
    assert!(
        doc.contains("w:fill=\"D4EDDA\"")
            || doc.contains("w:fill=\"CFE2FF\"")
            || doc.contains("w:fill=\"E9ECEF\"")
    );
    let media = (0..z.len())
        .filter(|i| {
            let f = z.by_index(*i).unwrap();
            f.name().starts_with("word/media/") && f.name().ends_with(".png")
        })
        .count();
    assert_eq!(media, n_charts, "one embedded image per chart");
    if n_charts > 0 {
        let rels = zip_text(&mut z, "word/_rels/document.xml.rels");
        assert!(rels.contains("media/"), "images referenced");
    }

    // Excel
    let xlsx = render(input, Format::Xlsx).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(xlsx)).expect("xlsx opens");
    let sheet = match lang {
        Lang::Zh => "指标完成情况",
        Lang::En => "Indicators",
    };
    assert_eq!(wb.sheet_names()[0], sheet);
    let range = wb.worksheet_range(sheet).expect("main sheet");
    assert_eq!(range.height(), input.subjects.len() + 1);
    let names: Vec<String> = range.rows().skip(1).map(|r| r[1].to_string()).collect();
    for (s, n) in input.subjects.iter().zip(&names) {
        assert!(n.starts_with(&s.name), "{n} vs {}", s.name);
    }
}

fn run(seed: &str, min_subjects: usize) {
    for lang in [Lang::Zh, Lang::En] {
        let input = common::input(seed, Kind::Midterm, 2023, lang);
        assert!(
            input.subjects.len() >= min_subjects,
            "{seed}: {} subjects",
            input.subjects.len()
        );
        check(&input);
    }
    // An annual report of an earlier year, and the final one.
    check(&common::input(seed, Kind::Annual, 2022, Lang::Zh));
    check(&common::input(seed, Kind::Final, 2025, Lang::En));
}

#[test]
fn alar_000_prose_only() {
    run(common::SEEDS[0], 50);
}

#[test]
fn urumqi_001() {
    run(common::SEEDS[1], 17);
    let input = common::input(common::SEEDS[1], Kind::Midterm, 2023, Lang::Zh);
    assert_eq!(
        title(&input),
        "乌鲁木齐市“十四五”规划纲要实施中期评估报告（2023年）"
    );
    let md = String::from_utf8(render(&input, Format::Md).unwrap()).unwrap();
    // Section 5 is the mid-term's own question; projects and departments are given, so
    // sections 6 and 7 are there, then 8.
    assert!(md.contains("## 五、能否实现规划目标与中期调整"));
    assert!(md.contains("## 六、重大项目进展"));
    assert!(md.contains("## 七、部门责任落实"));
    assert!(md.contains("## 八、下一步工作建议"));
    // Binding indicators are starred in the main table.
    assert!(md.contains("| 森林覆盖率★ |"));
}

#[test]
fn yiwu_002() {
    run(common::SEEDS[2], 20);
}

#[test]
fn tacheng_003() {
    run(common::SEEDS[3], 21);
}

#[test]
fn alxa_left_004_prose_only() {
    run(common::SEEDS[4], 5);
    // Without projects, section 6 is the departments and 7 the recommendations.
    let mut input = common::input(common::SEEDS[4], Kind::Midterm, 2023, Lang::Zh);
    input.projects.clear();
    let md = String::from_utf8(render(&input, Format::Md).unwrap()).unwrap();
    assert!(!md.contains("重大项目进展"));
    assert!(md.contains("## 六、部门责任落实"));
    assert!(md.contains("## 七、下一步工作建议"));
}

#[test]
fn statuses_vary_on_seeds() {
    // The generated observations exercise every colour across the seeds.
    let mut seen = std::collections::HashSet::new();
    for seed in common::SEEDS {
        let input = common::input(seed, Kind::Midterm, 2023, Lang::Zh);
        seen.extend(input.subjects.iter().map(|s| s.status()));
    }
    for s in [
        Status::Achieved,
        Status::OnTrack,
        Status::Lagging,
        Status::SeverelyLagging,
        Status::NotAssessable,
    ] {
        assert!(seen.contains(&s), "{s:?} never occurs");
    }
}

#[test]
fn comparison_all_formats() {
    let rows: Vec<ComparisonRow> = [1usize, 2, 3]
        .iter()
        .map(|i| {
            let input = common::input(common::SEEDS[*i], Kind::Midterm, 2023, Lang::Zh);
            let s = input
                .subjects
                .iter()
                .find(|s| s.name == "森林覆盖率")
                .expect("forest cover in 001/002/003");
            ComparisonRow {
                plan: input.plan.title.clone(),
                region: input.plan.region.clone(),
                base: s.base_text.parse().ok(),
                target: s.target_point.map(|t| t.1),
                latest_actual: s.evaluation.actual,
                latest_year: s.evaluation.actual_year,
                status: s.status(),
            }
        })
        .collect();
    assert_eq!(rows[0].base, Some(15.69));
    for lang in [Lang::Zh, Lang::En] {
        let md =
            String::from_utf8(render_comparison(&rows, "森林覆盖率", lang, Format::Md).unwrap())
                .unwrap();
        for r in &rows {
            assert!(md.contains(&r.region));
        }
        assert!(md.contains("15.69"));
        assert_eq!(md.matches("<svg").count(), 1);
        let html =
            String::from_utf8(render_comparison(&rows, "森林覆盖率", lang, Format::Html).unwrap())
                .unwrap();
        assert!(html.contains("<rect"));
        let docx = render_comparison(&rows, "森林覆盖率", lang, Format::Docx).unwrap();
        let mut z = unzip(&docx);
        assert!(zip_text(&mut z, "word/document.xml").contains("乌鲁木齐市"));
        let xlsx = render_comparison(&rows, "森林覆盖率", lang, Format::Xlsx).unwrap();
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(xlsx)).unwrap();
        let first = wb.sheet_names()[0].clone();
        assert_eq!(wb.worksheet_range(&first).unwrap().height(), rows.len() + 1);
    }
}
