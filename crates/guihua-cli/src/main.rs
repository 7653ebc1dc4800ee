//! `guihua` — five-year plans as living, monitored plans.
//!
//! The binary is a thin edge: it reads files (`guihua-read`), hands documents to the pure
//! parser (`guihua-parse`) and prints either a summary for a person or the public JSON
//! contract (`guihua-contract`). The library commands (add, show, observe, template,
//! department, project, history, backup …) keep plans and monitoring data in a store
//! reached only through the `guihua_store::Store` trait.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

mod audit;
mod evaluate;
mod import;
mod library;
mod observe;
mod output;
mod parse;
mod render;
mod report;
mod search;
mod serve;
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
    #[command(flatten)]
    lib: LibOpts,
}

/// Options of the library commands.
#[derive(Args)]
struct LibOpts {
    /// Library directory (default: $GUIHUA_DATA, else $XDG_DATA_HOME/guihua or ~/.local/share/guihua).
    #[arg(long, global = true, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Keep the library in this PostgreSQL database instead of the SQLite file in the
    /// data directory (default: $GUIHUA_DATABASE). The data directory still keeps derived
    /// files (the search index, the web server's key).
    #[arg(long, global = true, value_name = "postgres://…")]
    database: Option<String>,
    /// Who makes the change (default: $GUIHUA_USER, else $USER).
    #[arg(long, global = true)]
    user: Option<String>,
    /// Why: recorded in the history with every change.
    #[arg(long, global = true)]
    why: Option<String>,
    /// Replace an output file that already exists (reports, templates, exports, rejects,
    /// backups). Never the library or an input of the command.
    #[arg(long, global = true)]
    force: bool,
}

#[derive(Args)]
struct ImportArgs {
    /// CSV (UTF-8 or GB18030) or .xlsx file.
    file: PathBuf,
    /// The plan rows belong to (otherwise a 规划 column, the template's own plan, or the only plan).
    #[arg(long)]
    plan: Option<String>,
    /// Import the good rows and write the bad ones to a rejects file.
    #[arg(long)]
    skip_invalid: bool,
    /// Where --skip-invalid writes rejected rows (default FILE.rejects.csv).
    #[arg(long, requires = "skip_invalid")]
    rejects: Option<PathBuf>,
    /// Store values that look implausible (far from the plan's range, a leap from last
    /// year, a share outside 0–100) after checking them.
    #[arg(long)]
    accept_outliers: bool,
}

impl ImportArgs {
    fn options(&self) -> import::Options {
        import::Options {
            plan: self.plan.clone(),
            skip_invalid: self.skip_invalid,
            rejects: self.rejects.clone(),
            accept_outliers: self.accept_outliers,
        }
    }
}

/// A small text file named by an option (a parameters file, a narrative).
fn read_text_file(flag: &str, path: &std::path::Path) -> anyhow::Result<String> {
    let bytes = output::read_limited(path, guihua_app::narrative::MAX_BYTES as u64)
        .map_err(|e| anyhow::anyhow!("{flag} {e}"))?;
    String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{flag} {}: not UTF-8 text", path.display()))
}

/// How the evaluation method is set (evaluate, report).
#[derive(clap::Args, Debug, Clone)]
struct MethodArgs {
    /// A target for a row the plan leaves to annual plans, as a table cell:
    /// `--target 国内生产总值（GDP）增长=5.75左右` (id or name; repeatable).
    #[arg(long = "target", value_name = "INDICATOR=CELL")]
    targets: Vec<String>,
    /// The method's parameters, a TOML file (tolerances, path shapes, per-indicator
    /// bands; see docs/evaluation-method.md). Printed in the report's appendix.
    #[arg(long, value_name = "FILE")]
    params: Option<PathBuf>,
    /// The progress tolerance (default 0.2: ρ within 1 ± 0.2 is on track).
    #[arg(long, value_name = "X")]
    tolerance: Option<f64>,
}

impl MethodArgs {
    /// The parameters file's text, read here at the edge.
    fn read(&self) -> anyhow::Result<Option<String>> {
        self.params
            .as_ref()
            .map(|p| read_text_file("--params", p))
            .transpose()
    }

    fn method<'a>(&'a self, text: Option<&'a str>) -> guihua_app::method::Method<'a> {
        guihua_app::method::Method {
            file: self.params.as_ref().zip(text).map(|(p, t)| {
                (
                    p.file_name().and_then(|n| n.to_str()).unwrap_or("--params"),
                    t,
                )
            }),
            tolerance: self.tolerance,
            targets: &self.targets,
        }
    }
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
        /// A plan file, or a plan in the library (id, region or unique prefix).
        plan: PathBuf,
        /// Print the findings as JSON.
        #[arg(long)]
        json: bool,
        /// Also list the checks that passed (info findings).
        #[arg(long)]
        all: bool,
        /// Add the alignment (衔接) with the plan above it (a stored plan; see `guihua align`).
        #[arg(long = "with", value_name = "PLAN")]
        higher: Option<String>,
    },
    /// Parse plans and store them in the library (the same file twice is a no-op).
    Add {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The file is a revision (规划调整) of this plan: stored as its next version.
        #[arg(long, value_name = "PLAN")]
        revises: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List the plans in the library.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show a plan (PLAN: id, region name or unique prefix).
    Show {
        plan: String,
        #[arg(value_enum)]
        view: Option<library::View>,
        #[arg(long)]
        json: bool,
        /// Show who is responsible for what (分工).
        #[arg(long)]
        by_department: bool,
    },
    /// The indicator catalogue and each plan's links to it.
    Indicator {
        #[command(subcommand)]
        command: IndicatorCmd,
    },
    /// Yearly actual values (监测数据).
    Observe {
        #[command(subcommand)]
        command: ObserveCmd,
    },
    /// Write the fill-in workbook (填报表) a department receives for a year.
    Template {
        plan: String,
        #[arg(long)]
        year: i32,
        /// Only what this department is assigned (lead or co).
        #[arg(long)]
        department: Option<String>,
        /// Also list prose targets (without --department).
        #[arg(long)]
        targets: bool,
        /// Output .xlsx (default: <year>年[<department>]填报表.xlsx).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Departments and responsibilities (分工).
    Department {
        #[command(subcommand)]
        command: DepartmentCmd,
    },
    /// Major projects (重大项目): yearly status, investment and milestones.
    Project {
        #[command(subcommand)]
        command: ProjectCmd,
    },
    /// Every change to a plan's data: who, when, old → new, why.
    History {
        plan: String,
        #[arg(long, group = "subject")]
        indicator: Option<String>,
        #[arg(long, group = "subject")]
        target: Option<String>,
        #[arg(long, group = "subject")]
        project: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Evaluate a plan's implementation for a year (年度/中期评估): every indicator and prose
    /// target classified as 已完成/快于预期/符合预期/滞后/严重滞后/无法评估, with the numbers.
    Evaluate {
        plan: String,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        json: bool,
        /// List every subject, including the not assessable ones.
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        method: MethodArgs,
    },
    /// Write the evaluation report handed to the people's congress standing committee
    /// (年度/中期/总结评估报告): 总体评价, 主要指标完成情况, 滞后指标分析, 约束性指标,
    /// 重大项目进展, 部门责任落实, charts of actual against the planned path.
    Report {
        plan: String,
        #[arg(long)]
        year: i32,
        /// annual | midterm | final
        #[arg(long, default_value = "midterm")]
        kind: String,
        /// docx | html | md | xlsx
        #[arg(long, default_value = "docx")]
        format: String,
        /// zh | en
        #[arg(long, default_value = "zh")]
        lang: String,
        /// Output file (default: <region><year>年<kind>评估报告.<format>).
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        method: MethodArgs,
        /// The report's date (default: today).
        #[arg(long)]
        date: Option<String>,
        /// Staff's words merged into the report: a text or Markdown file with the sections
        /// 主要成效, 存在问题 and 下一步工作 (headings `#`/`##` or 一、/（二）).
        #[arg(long, value_name = "FILE")]
        narrative: Option<PathBuf>,
        /// Word typography: standard, or gongwen (公文格式 GB/T 9704: 仿宋_GB2312 三号,
        /// 黑体/楷体 headings, 方正小标宋 title, page numbers — 1 —).
        #[arg(long, default_value = "standard")]
        style: String,
    },
    /// Compare one indicator across plans: base, target, latest actual and status.
    Compare {
        /// Indicator name, alias or catalogue id (森林覆盖率, forest_coverage …).
        #[arg(long)]
        indicator: String,
        /// Plans to compare (default: every plan in the library).
        #[arg(long, num_args = 1..)]
        plans: Vec<String>,
        /// Evaluate as of this year (default: the latest year with data, per plan).
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
        /// Also write the comparison (table and chart) as md, html, docx or xlsx.
        #[arg(long, requires = "output")]
        format: Option<String>,
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Annual targets (年度目标): set by hand, read from a government work report or annual
    /// plan report, listed. The evaluation of a year measures against them.
    Annual {
        #[command(subcommand)]
        command: AnnualCmd,
    },
    /// The previous plan's end: the new plan's review table (“十四五”规划主要指标完成情况) as
    /// the previous plan's observations (shown; stored with --yes), so its final
    /// evaluation can be run from the new document.
    Review {
        /// The new plan (with the review table).
        plan: String,
        /// The previous plan (default: the same region's plan ending the year before).
        #[arg(long, value_name = "PLAN")]
        into: Option<String>,
        /// Store the values (without it, nothing is stored).
        #[arg(long)]
        yes: bool,
    },
    /// Alignment (衔接) of a plan with the plan above it: for each indicator of the higher
    /// plan, whether this plan has it and whether its target is at least as demanding; and
    /// this plan's indicators with no counterpart above.
    Align {
        /// The lower plan (a county's, a city's).
        plan: String,
        /// The plan above it (the city's, the province's, the national plan).
        #[arg(long = "with", value_name = "PLAN")]
        higher: String,
        #[arg(long)]
        json: bool,
    },
    /// Remove a plan from the library (soft: its data and history stay in the file).
    Remove { plan: String },
    /// Search every plan of the library: paragraphs, indicators, targets and projects
    /// ("guihua search 氢能", "guihua search 城市更新 --period 15 --kind target").
    Search {
        /// Words to find (every one must occur; "…" keeps a phrase with spaces together).
        #[arg(required_unless_present = "reindex")]
        query: Vec<String>,
        /// Only this plan (id, region or unique prefix).
        #[arg(long)]
        plan: Option<String>,
        /// Only paragraphs, indicators, targets or projects.
        #[arg(long, value_parser = ["text", "indicator", "target", "project"])]
        kind: Option<String>,
        /// Only plans of this five-year plan: 14 (2021–2025) or 15 (2026–2030).
        #[arg(long)]
        period: Option<String>,
        /// Hits to show.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Which page of hits (1: the first `--limit`).
        #[arg(long, default_value_t = 1)]
        page: usize,
        #[arg(long)]
        json: bool,
        /// Build the search index again from the library (it is derived data).
        #[arg(long)]
        reindex: bool,
    },
    /// Copy the whole library (plans, values, history, users, …) into another, empty
    /// database and check every table's count: SQLite → PostgreSQL, or back.
    Migrate {
        /// The target: a PostgreSQL address, or a directory for a new SQLite library.
        #[arg(long, value_name = "postgres://…|DIR")]
        to: String,
    },
    /// Write a consistent snapshot of the library (safe while it is in use).
    Backup { file: PathBuf },
    /// Users and their roles (admin, planner, editor of a department, reviewer).
    User {
        #[command(subcommand)]
        command: UserCmd,
    },
    /// API tokens for scripts: a token acts as its user on the JSON API
    /// (`Authorization: Bearer …`, see docs/api.md).
    Token {
        #[command(subcommand)]
        command: TokenCmd,
    },
    /// Replace the library with a snapshot written by `guihua backup`.
    Restore { file: PathBuf },
    /// Serve the library on the web: the public portal, the staff side (sign-in), data
    /// collection rounds, publication, and the JSON API.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Mark cookies Secure even without a TLS proxy's X-Forwarded-Proto header.
        #[arg(long)]
        secure_cookies: bool,
        /// The reverse proxy's address: for its requests the client's address is the last
        /// X-Forwarded-For entry (rate limits, one rating per address). Without it, the
        /// socket's peer counts.
        #[arg(long, value_name = "IP")]
        trusted_proxy: Option<std::net::IpAddr>,
        /// Start, answer the start-up checks over the socket, and exit (for CI).
        #[arg(long)]
        check: bool,
    },
    /// Serve a temporary demo library: the bundled example plan with sample data,
    /// departments and users of every role (password printed), a published evaluation and
    /// an open collection round.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Start, answer the start-up checks over the socket, and exit (for CI).
        #[arg(long)]
        check: bool,
        /// Plans in the demo library: the example and copies of it for other regions, each
        /// copy with values for every year and a published evaluation (the load benchmark
        /// uses 100).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=1000))]
        plans: u16,
    },
}

#[derive(Subcommand)]
enum UserCmd {
    /// Add a user (with a role; a password read from stdin for the web application).
    Add {
        name: String,
        #[arg(long)]
        display: Option<String>,
        /// admin | planner | editor | reviewer
        #[arg(long)]
        role: Option<String>,
        /// The department an editor enters values for.
        #[arg(long)]
        department: Option<String>,
        /// Read a password (one line) from standard input; it is stored as an argon2id hash.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users and their roles.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Give a user a role.
    Grant {
        name: String,
        role: String,
        #[arg(long)]
        department: Option<String>,
    },
    /// Take a role away (kept in the history).
    Revoke {
        name: String,
        role: String,
        #[arg(long)]
        department: Option<String>,
    },
}

#[derive(Subcommand)]
enum AnnualCmd {
    /// Set one annual target: `guihua annual set 乌鲁木齐 地区生产总值增长 2026 6左右`.
    Set {
        plan: String,
        /// The indicator (id or name).
        indicator: String,
        year: i32,
        /// The target as the annual plan writes it (6左右, <5.5, 〔3〕).
        cell: String,
        /// Where it is set ("2026年政府工作报告").
        #[arg(long)]
        source: Option<String>,
    },
    /// Read the targets of a year from a document (txt, docx, html, pdf): shows what
    /// matched which indicator and what matched none; stores them with --yes.
    Import {
        plan: String,
        #[arg(long)]
        year: i32,
        file: PathBuf,
        /// Store the matched targets (without it, nothing is stored).
        #[arg(long)]
        yes: bool,
    },
    /// Remove an annual target (the history keeps it).
    Remove {
        plan: String,
        indicator: String,
        year: i32,
    },
    /// List a plan's annual targets.
    List {
        plan: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum TokenCmd {
    /// Make a token for a user; it is printed once (the library keeps only its hash).
    Add {
        /// The user the token acts as (not `user`: that is the global --user).
        #[arg(value_name = "USER")]
        account: String,
        /// What the script is for ("统计局年度数据导入").
        #[arg(long)]
        label: String,
    },
    /// List tokens (never the tokens themselves).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token by its id.
    Revoke { id: i64 },
}

#[derive(Subcommand)]
enum IndicatorCmd {
    /// Link a plan indicator to a catalogue indicator (manual; never replaced automatically).
    Link {
        plan: String,
        indicator: String,
        /// Catalogue id, name or alias.
        catalog: String,
    },
    /// Mark a plan indicator as not in the catalogue.
    Unlink { plan: String, indicator: String },
    /// Links to review: unlinked indicators and automatic links below a confidence.
    Review {
        /// One plan (default: every plan in the library).
        plan: Option<String>,
        /// Show automatic links below this confidence.
        #[arg(long, default_value_t = 0.9)]
        below: f64,
    },
    /// List the catalogue.
    Catalogue {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ObserveCmd {
    /// Set one yearly value (an update keeps the old value in the history).
    Set {
        plan: String,
        /// Indicator (id, name, alias or catalogue id) or target id.
        indicator: String,
        year: i32,
        value: String,
        #[arg(long)]
        source: Option<String>,
        #[arg(long)]
        note: Option<String>,
        /// Store a value that looks implausible (far from the plan's range, a leap from
        /// last year, a share outside 0–100) after checking it.
        #[arg(long)]
        accept_outliers: bool,
    },
    /// Delete one yearly value (soft: it stays in the history).
    Delete {
        plan: String,
        indicator: String,
        year: i32,
    },
    /// Import values from CSV/XLSX (指标/indicator, 年份/year, 实际值/value, 数据来源/source, 备注/note).
    Import(ImportArgs),
    /// Export values.
    Export {
        #[arg(long)]
        plan: Option<String>,
        /// Only this catalogue indicator (id, name or alias), across plans.
        #[arg(long)]
        indicator: Option<String>,
        #[arg(long, value_enum, default_value = "csv")]
        format: observe::ExportFormat,
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum DepartmentCmd {
    /// Add departments.
    Add {
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// List departments.
    List,
    /// Assign an indicator, target, project or chapter to a department (lead unless --co).
    Assign {
        plan: String,
        subject: String,
        department: String,
        #[arg(long)]
        co: bool,
    },
    /// Remove an assignment (soft: it stays in the history).
    Unassign {
        plan: String,
        subject: String,
        department: String,
    },
    /// Import an assignment table (编号/对象, 牵头部门, 配合部门).
    Import(ImportArgs),
}

#[derive(Subcommand)]
enum ProjectCmd {
    /// Set a project's status for a year.
    Status {
        plan: String,
        project: String,
        #[arg(long)]
        year: i32,
        /// 谋划 | 前期 | 在建 | 建成 | 暂缓
        #[arg(long)]
        status: String,
        /// Planned investment that year.
        #[arg(long)]
        planned: Option<f64>,
        /// Completed investment that year.
        #[arg(long)]
        completed: Option<f64>,
        #[arg(long)]
        milestone: Option<String>,
    },
    /// Import project status (编号/项目, 年份, 状态, 计划投资, 完成投资, 里程碑).
    Import(ImportArgs),
    /// List the status entries of a plan's projects.
    List {
        plan: String,
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = match cli.command {
        Command::Parse {
            files,
            json,
            pretty,
            all,
        } => return parse::run(&files, parse::Options { json, pretty, all }),
        Command::Audit {
            plan,
            json,
            all,
            higher: None,
        } if plan.is_file() => return audit::run(&plan, json, all),
        Command::Indicator {
            command: IndicatorCmd::Catalogue { json },
        } => return finish(library::catalogue(json)),
        Command::Serve {
            listen,
            secure_cookies,
            trusted_proxy,
            check,
        } => {
            return finish(serve::serve(
                cli.lib.data,
                library::database(cli.lib.database.clone()),
                &listen,
                serve::Options {
                    secure_cookies,
                    trusted_proxy,
                    check,
                },
            ))
        }
        Command::Demo {
            listen,
            check,
            plans,
        } => return finish(serve::demo(&listen, check, usize::from(plans))),
        other => other,
    };
    quiet_panics();
    let mut ctx = match library::open(
        cli.lib.data,
        library::database(cli.lib.database),
        cli.lib.user,
        cli.lib.why,
        cli.lib.force,
    ) {
        Ok(c) => c,
        Err(e) => return finish(Err(e)),
    };
    finish(run(&mut ctx, command))
}

/// A closed stdout (`guihua list | head`) ends the command quietly; any other panic (a bug)
/// is one `guihua: internal error` line, like every other error.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        if msg.starts_with("failed printing to stdout") {
            std::process::exit(1);
        }
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("guihua: internal error{at}: {msg} (please report this)");
        std::process::exit(1);
    }));
}

/// Text for the terminal: control characters from notes, names and files cannot reach it.
pub(crate) fn term(s: &str) -> std::borrow::Cow<'_, str> {
    guihua_app::output::terminal(s)
}

/// The exit code of an error: the one place where error kinds become exit codes. 1 for
/// wrong or missing input (what a person fixes), 3 for a conflict with another writer (try
/// again), 4 for a permission refused, 70 for an internal failure.
fn exit_code(e: &anyhow::Error) -> u8 {
    use guihua_app::ErrorKind as K;
    let kind = e
        .chain()
        .find_map(|c| {
            c.downcast_ref::<guihua_app::Error>()
                .map(guihua_app::Error::kind)
                .or_else(|| {
                    c.downcast_ref::<guihua_store::StoreError>()
                        .map(|s| match s {
                            guihua_store::StoreError::Conflict(_) => K::Conflict,
                            guihua_store::StoreError::Db(_) => K::Internal,
                            _ => K::Invalid,
                        })
                })
        })
        .unwrap_or(K::Invalid);
    match kind {
        K::NotFound | K::Ambiguous | K::Invalid | K::Limited => 1,
        K::Conflict => 3,
        K::Forbidden | K::Unauthenticated => 4,
        K::Internal => 70,
    }
}

/// One line per error, `guihua: …`, and the exit code of its kind.
fn finish(r: anyhow::Result<()>) -> ExitCode {
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("guihua: {}", term(&chain.join(": ")));
            ExitCode::from(exit_code(&e))
        }
    }
}

/// What a command does, for the policy ([`guihua_app::policy`]).
fn action(command: &Command) -> guihua_app::policy::Action {
    use guihua_app::policy::Action as A;
    match command {
        Command::Add { .. } | Command::Remove { .. } => A::ManagePlans,
        Command::Indicator { command } => match command {
            IndicatorCmd::Link { .. } | IndicatorCmd::Unlink { .. } => A::ManagePlans,
            IndicatorCmd::Review { .. } | IndicatorCmd::Catalogue { .. } => A::Read,
        },
        Command::Observe { command } => match command {
            ObserveCmd::Set { .. } | ObserveCmd::Delete { .. } | ObserveCmd::Import(_) => {
                A::WriteValues
            }
            ObserveCmd::Export { .. } => A::Read,
        },
        Command::Department { command } => match command {
            DepartmentCmd::List => A::Read,
            _ => A::ManagePlans,
        },
        Command::Project { command } => match command {
            ProjectCmd::Status { .. } | ProjectCmd::Import(_) => A::WriteValues,
            ProjectCmd::List { .. } => A::Read,
        },
        Command::Backup { .. } => A::Backup,
        Command::Migrate { .. } => A::Restore,
        Command::Restore { .. } => A::Restore,
        Command::User { command } => match command {
            UserCmd::List { .. } => A::Read,
            _ => A::ManageUsers,
        },
        Command::Token { .. } => A::ManageUsers,
        Command::Review { yes: true, .. } => A::ManagePlans,
        Command::Annual { command } => match command {
            AnnualCmd::List { .. } => A::Read,
            AnnualCmd::Import { yes: false, .. } => A::Read,
            _ => A::ManagePlans,
        },
        _ => A::Read,
    }
}

fn run(ctx: &mut library::Ctx, command: Command) -> anyhow::Result<()> {
    use import::Kind;
    ctx.principal.authorize(action(&command))?;
    match command {
        Command::Parse { .. } | Command::Serve { .. } | Command::Demo { .. } => Ok(()),
        Command::Audit {
            plan,
            json,
            all,
            higher,
        } => audit::run_stored(ctx, &plan.to_string_lossy(), json, all, higher.as_deref()),
        Command::Add {
            files,
            revises,
            json,
        } => library::add(ctx, &files, revises.as_deref(), json),
        Command::List { json } => library::list(ctx, json),
        Command::Show {
            plan,
            view,
            json,
            by_department,
        } => library::show(ctx, &plan, view, json, by_department),
        Command::Indicator { command } => match command {
            IndicatorCmd::Link {
                plan,
                indicator,
                catalog,
            } => library::link(ctx, &plan, &indicator, Some(&catalog)),
            IndicatorCmd::Unlink { plan, indicator } => library::link(ctx, &plan, &indicator, None),
            IndicatorCmd::Review { plan, below } => library::review(ctx, plan.as_deref(), below),
            IndicatorCmd::Catalogue { json } => library::catalogue(json),
        },
        Command::Observe { command } => match command {
            ObserveCmd::Set {
                plan,
                indicator,
                year,
                value,
                source,
                note,
                accept_outliers,
            } => observe::set(
                ctx,
                &plan,
                &indicator,
                year,
                &value,
                source,
                note,
                accept_outliers,
            ),
            ObserveCmd::Delete {
                plan,
                indicator,
                year,
            } => observe::delete(ctx, &plan, &indicator, year),
            ObserveCmd::Import(a) => import::run(ctx, Kind::Observations, &a.file, &a.options()),
            ObserveCmd::Export {
                plan,
                indicator,
                format,
                output,
            } => observe::export(
                ctx,
                plan.as_deref(),
                indicator.as_deref(),
                format,
                output.as_deref(),
            ),
        },
        Command::Template {
            plan,
            year,
            department,
            targets,
            output,
        } => {
            let out = output
                .unwrap_or_else(|| observe::default_template_name(year, department.as_deref()));
            observe::template(ctx, &plan, year, department.as_deref(), targets, &out)
        }
        Command::Department { command } => match command {
            DepartmentCmd::Add { names } => observe::department_add(ctx, &names),
            DepartmentCmd::List => observe::department_list(ctx),
            DepartmentCmd::Assign {
                plan,
                subject,
                department,
                co,
            } => observe::assign(ctx, &plan, &subject, &department, co, false),
            DepartmentCmd::Unassign {
                plan,
                subject,
                department,
            } => observe::assign(ctx, &plan, &subject, &department, false, true),
            DepartmentCmd::Import(a) => import::run(ctx, Kind::Assignments, &a.file, &a.options()),
        },
        Command::Project { command } => match command {
            ProjectCmd::Status {
                plan,
                project,
                year,
                status,
                planned,
                completed,
                milestone,
            } => observe::project_status(
                ctx, &plan, &project, year, &status, planned, completed, milestone,
            ),
            ProjectCmd::Import(a) => import::run(ctx, Kind::ProjectStatus, &a.file, &a.options()),
            ProjectCmd::List { plan, json } => observe::project_list(ctx, &plan, json),
        },
        Command::History {
            plan,
            indicator,
            target,
            project,
            json,
        } => {
            use guihua_store::SubjectKind as K;
            let subject = indicator
                .as_deref()
                .map(|s| (K::Indicator, s))
                .or(target.as_deref().map(|s| (K::Target, s)))
                .or(project.as_deref().map(|s| (K::Project, s)));
            library::history(ctx, &plan, subject, json)
        }
        Command::Evaluate {
            plan,
            year,
            json,
            all,
            method,
        } => {
            let text = method.read()?;
            evaluate::run(ctx, &plan, year, json, all, method.method(text.as_deref()))
        }
        Command::Align { plan, higher, json } => evaluate::align(ctx, &plan, &higher, json),
        Command::Review { plan, into, yes } => evaluate::review(ctx, &plan, into.as_deref(), yes),
        Command::Annual { command } => match command {
            AnnualCmd::Set {
                plan,
                indicator,
                year,
                cell,
                source,
            } => evaluate::annual_set(ctx, &plan, &indicator, year, &cell, source.as_deref()),
            AnnualCmd::Import {
                plan,
                year,
                file,
                yes,
            } => evaluate::annual_import(ctx, &plan, year, &file, yes),
            AnnualCmd::List { plan, json } => evaluate::annual_list(ctx, &plan, json),
            AnnualCmd::Remove {
                plan,
                indicator,
                year,
            } => {
                let removed = guihua_app::annual::remove(
                    ctx.store.as_ref(),
                    &ctx.principal,
                    &plan,
                    &indicator,
                    year,
                )?;
                if removed {
                    println!("{} {year}: annual target removed", term(&indicator));
                    Ok(())
                } else {
                    Err(anyhow::anyhow!(
                        "{} has no annual target for {year}",
                        term(&indicator)
                    ))
                }
            }
        },
        Command::Compare {
            indicator,
            plans,
            year,
            json,
            format,
            output,
        } => evaluate::compare(
            ctx,
            &indicator,
            &plans,
            year,
            json,
            format.as_deref().zip(output.as_deref()),
        ),
        Command::Report {
            plan,
            year,
            kind,
            format,
            lang,
            output,
            method,
            date,
            narrative,
            style,
        } => {
            let text = method.read()?;
            let narrative_text = narrative
                .as_ref()
                .map(|p| read_text_file("--narrative", p))
                .transpose()?;
            let narrative_name = narrative
                .as_ref()
                .and_then(|p| p.file_name())
                .and_then(|n| n.to_str())
                .unwrap_or("--narrative");
            report::run(
                ctx,
                report::Options {
                    key: &plan,
                    year,
                    kind: &kind,
                    format: &format,
                    lang: &lang,
                    output: output.as_deref(),
                    method: method.method(text.as_deref()),
                    date: date.as_deref(),
                    narrative: narrative_text.as_deref().map(|t| (narrative_name, t)),
                    style: &style,
                },
            )
        }
        Command::Remove { plan } => library::remove(ctx, &plan),
        Command::Search {
            query,
            plan,
            kind,
            period,
            limit,
            page,
            json,
            reindex,
        } => search::run(
            ctx,
            &search::Args {
                query: query.join(" "),
                plan,
                kind,
                period,
                limit,
                page,
                json,
                reindex,
            },
        ),
        Command::Backup { file } => library::backup(ctx, &file),
        Command::Migrate { to } => library::migrate(ctx, &to),
        Command::Restore { file } => library::restore(ctx, &file),
        Command::User { command } => match command {
            UserCmd::Add {
                name,
                display,
                role,
                department,
                password_stdin,
            } => library::user_add(
                ctx,
                &name,
                display.as_deref(),
                role.as_deref(),
                department.as_deref(),
                password_stdin,
            ),
            UserCmd::List { json } => library::user_list(ctx, json),
            UserCmd::Grant {
                name,
                role,
                department,
            } => library::user_role(ctx, &name, &role, department.as_deref(), true),
            UserCmd::Revoke {
                name,
                role,
                department,
            } => library::user_role(ctx, &name, &role, department.as_deref(), false),
        },
        Command::Token { command } => match command {
            TokenCmd::Add { account, label } => library::token_add(ctx, &account, &label),
            TokenCmd::List { json } => library::token_list(ctx, json),
            TokenCmd::Revoke { id } => library::token_revoke(ctx, id),
        },
    }
}
