//! `observe import`, `assign import`, `project import`: the file edge of
//! [`guihua_app::import`].
//!
//! The application checks every row; this module reads the file, prints the row errors,
//! and — with `--skip-invalid` — writes the rejected rows *before* committing the good
//! ones, so a rejects file that cannot be written leaves the library untouched and no bad
//! row is ever lost.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::bail;
pub use guihua_app::import::Kind;
use guihua_app::import::{self, Checked};

use crate::library::Ctx;

pub struct Options {
    pub plan: Option<String>,
    pub skip_invalid: bool,
    pub rejects: Option<PathBuf>,
    pub accept_outliers: bool,
}

/// The largest import file read (CSV or .xlsx), checked before reading it.
const MAX_FILE_BYTES: u64 = guihua_app::input::table::MAX_FILE_BYTES;

pub(crate) fn read_file(file: &Path) -> anyhow::Result<Vec<u8>> {
    crate::output::read_limited(file, MAX_FILE_BYTES)
        .map_err(|e| anyhow::anyhow!("{e}; rejected, nothing imported"))
}

pub fn run(ctx: &mut Ctx, kind: Kind, file: &Path, opts: &Options) -> anyhow::Result<()> {
    let bytes = read_file(file)?;
    let name = file.display().to_string();
    let checked = match import::check(
        ctx.store.as_ref(),
        kind,
        &name,
        &bytes,
        &import::Options {
            plan: opts.plan.clone(),
            principal: ctx.principal.clone(),
        },
    ) {
        Ok(c) => c,
        Err(guihua_app::Error::Rejected(errs)) => {
            for e in &errs {
                // File-level messages already name the file.
                if e.message.starts_with(&name) || e.message.starts_with("wrong sheet") {
                    eprintln!("guihua: {}", crate::term(&e.to_string()));
                } else {
                    eprintln!("guihua: {name}: {}", crate::term(&e.to_string()));
                }
            }
            bail!("{name}: rejected, nothing imported");
        }
        Err(e) => return Err(e.into()),
    };
    let n_rows = checked.data_rows;
    if !checked.bad.is_empty() && !opts.skip_invalid {
        let mut err = std::io::stderr().lock();
        for e in checked.errors() {
            let _ = writeln!(err, "guihua: {name}: {}", crate::term(&e.to_string()));
        }
        bail!(
            "{name}: rejected, {} of {n_rows} rows are bad; nothing imported (fix them, or --skip-invalid)",
            checked.bad.len()
        );
    }
    // Values that look implausible are stored only when the person confirms them.
    if !checked.outliers.is_empty() {
        let mut err = std::io::stderr().lock();
        for w in &checked.outliers {
            let _ = writeln!(
                err,
                "guihua: {name}: warning: {}",
                crate::term(&w.to_string())
            );
        }
        if !opts.accept_outliers {
            bail!(
                "{name}: {} values look implausible; check them, then pass --accept-outliers to store them as they are; nothing imported",
                checked.outliers.len()
            );
        }
    }
    // Keep the bad rows first: only then commit the good ones.
    let rejects_at = if checked.bad.is_empty() {
        None
    } else {
        Some(write_rejects(ctx, file, opts, &checked)?)
    };
    let stall: Option<usize> = std::env::var("GUIHUA_DEBUG_STALL_AT")
        .ok()
        .and_then(|v| v.parse().ok());
    let consent = import::Consent {
        skip_invalid: opts.skip_invalid,
        confirmed: opts.accept_outliers,
    };
    let applied = import::commit(
        ctx.store.as_ref(),
        &checked,
        consent,
        ctx.why.as_deref(),
        &mut |n| {
            // Test hook: stop inside the transaction so a test can kill the process there.
            if stall.is_some_and(|s| n >= s) {
                eprintln!("guihua: stalled after {n} changes");
                std::thread::sleep(std::time::Duration::from_secs(600));
            }
        },
    )?;
    let sheet = if checked.table.sheet.is_empty() {
        String::new()
    } else {
        format!(" [{}]", crate::term(&checked.table.sheet))
    };
    println!(
        "{name}{sheet}: {} rows imported ({} new, {} changed, {} unchanged)",
        n_rows - checked.bad.len(),
        applied.inserted,
        applied.updated,
        applied.unchanged
    );
    if let Some(path) = rejects_at {
        eprintln!(
            "guihua: {name}: {} bad rows skipped, written to {}",
            checked.bad.len(),
            path.display()
        );
    }
    Ok(())
}

/// Write the rejected rows next to the input (or where `--rejects` says), never onto the
/// input itself and never over an existing file without `--force`.
fn write_rejects(
    ctx: &Ctx,
    file: &Path,
    opts: &Options,
    checked: &Checked,
) -> anyhow::Result<PathBuf> {
    let path = opts.rejects.clone().unwrap_or_else(|| {
        let mut p = file.as_os_str().to_owned();
        p.push(".rejects.csv");
        PathBuf::from(p)
    });
    ctx.writable(&path, &[file])
        .map_err(|e| anyhow::anyhow!("{e}; nothing imported"))?;
    std::fs::write(&path, checked.rejects_csv()).map_err(|e| {
        anyhow::anyhow!(
            "{}: cannot write the rejected rows ({e}); nothing imported",
            path.display()
        )
    })?;
    Ok(path)
}
