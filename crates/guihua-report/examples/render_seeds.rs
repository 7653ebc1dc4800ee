//! Render every report format for the five reference plans (with generated observations)
//! into a directory: `cargo run -p guihua-report --example render_seeds -- OUT [FORMATS]`.
//! Used by `scripts/check-report-pdf.sh`.

#[path = "../tests/common/mod.rs"]
mod common;

use guihua_report::*;

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "report-out".into());
    let formats: Vec<Format> = match args.next() {
        Some(f) => f.split(',').filter_map(Format::parse).collect(),
        None => vec![Format::Md, Format::Html, Format::Docx, Format::Xlsx],
    };
    std::fs::create_dir_all(&out).expect("create output dir");
    for name in common::SEEDS {
        for lang in [Lang::Zh, Lang::En] {
            let input = common::input(name, Kind::Midterm, 2023, lang);
            for f in &formats {
                let bytes = render(&input, *f).expect("render");
                let l = if lang == Lang::Zh { "zh" } else { "en" };
                let path = format!("{out}/{}_{l}.{}", &name[..3], f.extension());
                std::fs::write(&path, bytes).expect("write");
                println!("{path}");
            }
        }
    }
    let rows: Vec<ComparisonRow> = common::SEEDS
        .iter()
        .filter_map(|n| {
            let input = common::input(n, Kind::Midterm, 2023, Lang::Zh);
            let s = input
                .subjects
                .iter()
                .find(|s| s.name.contains("森林覆盖率"))?;
            Some(ComparisonRow {
                plan: input.plan.title.clone(),
                region: input.plan.region.clone(),
                base: s.base_text.parse().ok(),
                target: s.target_point.map(|t| t.1),
                latest_actual: s.evaluation.actual,
                latest_year: s.evaluation.actual_year,
                status: s.evaluation.status,
            })
        })
        .collect();
    for f in &formats {
        let path = format!("{out}/compare_forest.{}", f.extension());
        std::fs::write(
            &path,
            render_comparison(&rows, "森林覆盖率", Lang::Zh, *f).expect("compare"),
        )
        .expect("write");
        println!("{path}");
    }
}
