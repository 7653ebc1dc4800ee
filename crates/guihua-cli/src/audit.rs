//! `guihua audit PLAN`: the reviewer's checks (see `guihua-audit`), as a list for a person
//! or as JSON.

use std::path::Path;
use std::process::ExitCode;

use guihua_audit::{Finding, Severity};
use serde_json::json;

pub fn run(path: &Path, as_json: bool, all: bool) -> ExitCode {
    let (plan, source) = match crate::parse::parse_file(path) {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("guihua: {}: {msg}", path.display());
            return ExitCode::from(1);
        }
    };
    let findings = guihua_audit::audit(&plan);
    if as_json {
        let items: Vec<serde_json::Value> = findings.iter().map(finding_json).collect();
        let v = json!({
            "schema": "guihua.audit/1",
            "plan": plan.title,
            "source": source,
            "findings": items,
        });
        println!("{v}");
        return ExitCode::SUCCESS;
    }
    println!(
        "规划审查 Plan audit: {}",
        plan.title.as_deref().unwrap_or(&source.file)
    );
    let warnings = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    println!(
        "  {warnings} 项需关注 to question · {} 项核对通过 checks passed\n",
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
    ExitCode::SUCCESS
}

fn finding_json(f: &Finding) -> serde_json::Value {
    json!({
        "code": f.code,
        "severity": f.severity.as_str(),
        "subject": f.subject,
        "message": f.message,
        "lines": f.lines,
    })
}
