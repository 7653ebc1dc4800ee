//! `guihua` — five-year plans as living, monitored plans.
//!
//! The binary is a thin edge: it reads files (`guihua-read`), hands documents to the pure
//! parser (`guihua-parse`) and prints either a summary for a person or the public JSON
//! contract (`guihua-contract`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod audit;
mod parse;
mod render;
mod table;

#[derive(Parser)]
#[command(
    name = "guihua",
    version,
    about = "规划 — read, monitor and evaluate five-year plans"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read plan documents (txt, md, docx, html, pdf) and show what they contain.
    Parse {
        /// Plan files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the plan JSON contract (guihua.plan/1), one object per line.
        #[arg(long)]
        json: bool,
        /// With --json: indent the JSON (one file only makes sense).
        #[arg(long, requires = "json")]
        pretty: bool,
        /// In the summary, list every target and project instead of counting them.
        #[arg(long)]
        all: bool,
    },
    /// Plan audit (规划审查): compounding, cumulative arithmetic, targets weaker than the
    /// base, table/prose disagreements, missing units or attributes.
    Audit {
        /// A plan file.
        plan: PathBuf,
        /// Print the findings as JSON.
        #[arg(long)]
        json: bool,
        /// Also list the checks that passed (info findings).
        #[arg(long)]
        all: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse {
            files,
            json,
            pretty,
            all,
        } => parse::run(&files, parse::Options { json, pretty, all }),
        Command::Audit { plan, json, all } => audit::run(&plan, json, all),
    }
}
