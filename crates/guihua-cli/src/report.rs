//! `guihua report`: the options, the clock and the file; the report's content is
//! assembled by `guihua_app::report` and rendered by `guihua-report` (docx, html, md, xlsx).

use std::path::Path;

use anyhow::{anyhow, Context};
use guihua_report::{Format, Kind, Lang};

use crate::library::Ctx;

pub struct Options<'a> {
    pub key: &'a str,
    pub year: i32,
    pub kind: &'a str,
    pub format: &'a str,
    pub lang: &'a str,
    pub output: Option<&'a Path>,
    pub method: guihua_app::method::Method<'a>,
    pub date: Option<&'a str>,
    /// (file name, text) of the staff's narrative.
    pub narrative: Option<(&'a str, &'a str)>,
    /// standard | gongwen
    pub style: &'a str,
}

/// Today as YYYY-MM-DD (UTC), from the system clock — the edge is allowed a clock.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    guihua_app::output::civil_date(i64::try_from(secs / 86_400).unwrap_or(0))
}

pub fn run(ctx: &Ctx, o: Options) -> anyhow::Result<()> {
    let kind = match o.kind {
        "annual" | "年度" => Kind::Annual,
        "midterm" | "中期" => Kind::Midterm,
        "final" | "总结" => Kind::Final,
        other => return Err(anyhow!("--kind {other}: expected annual, midterm or final")),
    };
    let format = Format::parse(o.format)
        .ok_or_else(|| anyhow!("--format {}: expected docx, html, md or xlsx", o.format))?;
    let lang = match o.lang {
        "zh" => Lang::Zh,
        "en" => Lang::En,
        other => return Err(anyhow!("--lang {other}: expected zh or en")),
    };
    let request = guihua_app::report::Request {
        plan: o.key,
        year: o.year,
        kind,
        lang,
        method: o.method,
        generated_on: o.date.map(str::to_string).unwrap_or_else(today),
        narrative: o.narrative,
        style: guihua_report::DocStyle::parse(o.style)
            .ok_or_else(|| anyhow!("--style {}: expected standard or gongwen", o.style))?,
    };
    let (row, input) = guihua_app::report::assemble(ctx.store.as_ref(), &request)?;
    let bytes = guihua_report::render(&input, format)?;
    let path = match o.output {
        Some(p) => p.to_path_buf(),
        // Named from the plan's region (or title): sanitised, never a path.
        None => guihua_app::report::file_name(&row, o.year, kind, format).into(),
    };
    ctx.writable(&path, &[])?;
    std::fs::write(&path, bytes).with_context(|| format!("{}", path.display()))?;
    println!("{}", path.display());
    Ok(())
}
