//! `guihua audit PLAN`: the reviewer's checks (see `guihua-audit`), as a list for a person
//! or as JSON. PLAN is a file, or a plan in the library.

use std::path::Path;
use std::process::ExitCode;

use guihua_audit::Severity;

/// Audit a plan file.
pub fn run(path: &Path, as_json: bool, all: bool) -> ExitCode {
    let (plan, source) = match crate::parse::parse_file(path) {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("guihua: {}: {msg}", path.display());
            return ExitCode::from(1);
        }
    };
    print(&plan, &source.file, as_json, all);
    ExitCode::SUCCESS
}

/// Audit a plan kept in the library.
pub fn run_stored(
    ctx: &crate::library::Ctx,
    key: &str,
    as_json: bool,
    all: bool,
    higher: Option<&str>,
) -> anyhow::Result<()> {
    let (row, plan) = guihua_app::evaluation::load_plan(ctx.store.as_ref(), key)?;
    let Some(higher) = higher else {
        print(&plan, &row.file, as_json, all);
        return Ok(());
    };
    if as_json {
        // The audit document with the alignment document beside its findings.
        let (lrow, hrow, a) = guihua_app::evaluation::align(ctx.store.as_ref(), key, higher)?;
        let doc = guihua_contract::documents::audit_aligned(
            plan.title.as_deref(),
            &row.file,
            &guihua_audit::audit(&plan),
            (hrow.id, hrow.label()),
            (lrow.id, lrow.label()),
            &a,
        );
        println!("{doc}");
        return Ok(());
    }
    print(&plan, &row.file, false, all);
    println!("\n衔接 Alignment");
    crate::evaluate::align(ctx, key, higher, false)
}

fn print(plan: &guihua_model::Plan, file: &str, as_json: bool, all: bool) {
    let findings = guihua_audit::audit(plan);
    if as_json {
        println!(
            "{}",
            guihua_contract::documents::audit(plan.title.as_deref(), file, &findings)
        );
        return;
    }
    println!(
        "规划审查 Plan audit: {}",
        plan.title.as_deref().unwrap_or(file)
    );
    let warnings = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    println!(
        "  {warnings} 项需关注 to question · {} 项核对通过或供参考 passed or context\n",
        findings.len() - warnings
    );
    for f in findings
        .iter()
        .filter(|f| all || f.severity == Severity::Warning)
    {
        let lines: Vec<String> = f.lines.iter().map(|l| format!("L{l}")).collect();
        println!(
            "  {:<7} {:<24} {:<10} {}",
            f.severity.as_str(),
            f.code,
            lines.join(","),
            f.message
        );
    }
}
