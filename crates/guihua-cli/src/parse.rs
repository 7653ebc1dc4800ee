//! `guihua parse`: read files in parallel, parse, print in the order given.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use guihua_contract::Source;
use guihua_model::Plan;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

pub struct Options {
    pub json: bool,
    pub pretty: bool,
    pub all: bool,
}

/// A parsed file, or why it could not be read.
pub type Outcome = Result<(Plan, Source), String>;

/// Read and parse one file. Never panics: a parser panic (a bug) becomes an error message.
pub fn parse_file(path: &Path) -> Outcome {
    read_and_parse(path).map(|(plan, source, _)| (plan, source))
}

/// A file read and parsed, with the document it was read as (its lines are the ones the
/// plan points to).
pub fn read_and_parse(
    path: &Path,
) -> Result<
    (
        guihua_model::Plan,
        guihua_contract::Source,
        guihua_model::Document,
    ),
    String,
> {
    let read = guihua_read::read_path(path).map_err(|e| e.to_string())?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    guihua_app::plans::parse(
        &name,
        &read.document,
        read.format.as_str(),
        &read.encoding,
        &read.sha256,
    )
    .map(|(plan, source)| (plan, source, read.document))
    .map_err(|e| e.to_string())
}

pub fn run(files: &[PathBuf], opts: Options) -> ExitCode {
    // Panics are turned into messages above; keep the default hook from printing them.
    std::panic::set_hook(Box::new(|_| {}));
    let bar = (files.len() > 1 && std::io::stderr().is_terminal()).then(|| {
        let b = ProgressBar::new(files.len() as u64);
        b.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    });
    let outcomes: Vec<Outcome> = files
        .par_iter()
        .map(|f| {
            let r = parse_file(f);
            if let Some(b) = &bar {
                b.inc(1);
            }
            r
        })
        .collect();
    if let Some(b) = bar {
        b.finish_and_clear();
    }

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = false;
    for (path, outcome) in files.iter().zip(outcomes) {
        match outcome {
            Ok((plan, source)) => {
                let text = if opts.json {
                    let v = guihua_contract::to_value(&plan, &source);
                    if opts.pretty {
                        serde_json::to_string_pretty(&v).unwrap_or_default()
                    } else {
                        v.to_string()
                    }
                } else {
                    crate::render::summary(&plan, &source, opts.all)
                };
                if writeln!(out, "{text}").is_err() {
                    return ExitCode::from(1); // stdout closed (e.g. piped into head)
                }
            }
            Err(msg) => {
                failed = true;
                eprintln!("guihua: {}: {msg}", path.display());
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
