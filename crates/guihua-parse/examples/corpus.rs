//! The corpus report: `cargo run -p guihua-parse --example corpus -- DIR_OR_FILE…`
//!
//! One block per document — title, region, period, outline counts, indicator rows read
//! (and, where the document announces a count, how many it announced), review rows,
//! targets, projects and diagnostics by code — so that a reviewer sees at a glance what a
//! parser change did to every real plan. Files are read through `guihua-read`, as the CLI
//! reads them (txt in any encoding, docx, html, pdf).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use guihua_model::{Level, Plan};

fn files(args: &[String]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for a in args {
        let p = Path::new(a);
        if p.is_dir() {
            let mut v: Vec<PathBuf> = std::fs::read_dir(p)
                .map(|d| d.flatten().map(|e| e.path()).collect())
                .unwrap_or_default();
            v.retain(|f| {
                let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("");
                matches!(ext, "txt" | "html" | "htm" | "docx" | "pdf" | "md")
                    && !f
                        .file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.eq_ignore_ascii_case("README.md"))
            });
            v.sort();
            out.extend(v);
        } else {
            out.push(p.to_path_buf());
        }
    }
    out
}

fn report(path: &Path, plan: &Plan, tables: &[guihua_parse::TableSummary]) {
    println!("== {}", path.display());
    println!("  title    {}", plan.title.as_deref().unwrap_or("—"));
    println!(
        "  region   {}   period {}   adopted {}",
        plan.region.as_deref().unwrap_or("—"),
        plan.period
            .map(|p| format!("{}–{}", p.start, p.end))
            .unwrap_or_else(|| "—".into()),
        plan.adopted
            .as_ref()
            .and_then(|a| a.date.clone())
            .unwrap_or_else(|| "—".into())
    );
    println!(
        "  outline  篇 {} · 章 {} · 节 {} · 专栏 {} · 前言 {}",
        plan.count(Level::Part),
        plan.count(Level::Chapter),
        plan.count(Level::Section),
        plan.count(Level::Box),
        plan.count(Level::Preface)
    );
    println!(
        "  indicators {}   review rows {}",
        plan.indicators.len(),
        plan.review.len()
    );
    for t in tables {
        let caption: String = t
            .caption
            .as_deref()
            .unwrap_or("(no caption)")
            .chars()
            .take(30)
            .collect();
        let announced = t
            .announced
            .map(|n| format!(" of {n} announced"))
            .unwrap_or_default();
        let kind = if t.indicators == 0 && t.review > 0 {
            format!("{} review rows", t.review)
        } else {
            format!("{} rows{announced}", t.indicators)
        };
        println!("    table @{:<5} {kind} — {caption}", t.line);
    }
    println!(
        "  targets  {}   facts {}   projects {}",
        plan.targets.len(),
        plan.facts.len(),
        plan.projects.len()
    );
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &plan.diagnostics {
        *codes.entry(d.code).or_default() += 1;
    }
    let codes: Vec<String> = codes.iter().map(|(c, n)| format!("{c}×{n}")).collect();
    println!(
        "  diagnostics {}: {}",
        plan.diagnostics.len(),
        codes.join(" ")
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        eprintln!("usage: corpus DIR_OR_FILE…");
        std::process::exit(2);
    }
    for f in files(&args) {
        match guihua_read::read_path(&f) {
            Ok(doc) => {
                let (plan, tables) = guihua_parse::parse_document_with_tables(&doc.document);
                report(&f, &plan, &tables)
            }
            Err(e) => println!("== {}\n  unreadable: {e}", f.display()),
        }
    }
}
