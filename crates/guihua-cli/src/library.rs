//! The library commands: add, list, show, indicator link/unlink, history, backup, restore.
//!
//! All of them go through the `guihua_store::Store` trait (a `Box<dyn Store>`), never the
//! SQLite type, so another backend only changes [`open`].

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};
use guihua_store::{Added, PlanRow, Store, SubjectKind};

use crate::{table, term};

/// Who and where: the options every library command shares.
pub struct Ctx {
    pub store: Box<dyn Store>,
    pub why: Option<String>,
    /// The library directory (outputs may never replace its database files).
    pub data: PathBuf,
    /// The PostgreSQL database holding the library, when not the SQLite file in `data`.
    pub database: Option<String>,
    /// `--force`: replace existing output files.
    pub force: bool,
    /// Who acts, and so what is allowed ([`guihua_app::policy`]).
    pub principal: guihua_app::policy::Principal,
}

impl Ctx {
    /// Where the search index of this library lives (derived data, one per database).
    pub fn search_dir(&self) -> PathBuf {
        search_dir(&self.data, self.database.as_deref())
    }

    /// May this command write `path`? Never onto the library's database (or its journal
    /// files), never onto one of `inputs`, never over an existing file without `--force`.
    pub fn writable(&self, path: &Path, inputs: &[&Path]) -> anyhow::Result<()> {
        let db: Vec<PathBuf> = [
            "guihua.sqlite",
            "guihua.sqlite-wal",
            "guihua.sqlite-shm",
            "guihua.sqlite-journal",
        ]
        .iter()
        .map(|f| self.data.join(f))
        .collect();
        let mut protected: Vec<&Path> = db.iter().map(PathBuf::as_path).collect();
        protected.extend_from_slice(inputs);
        crate::output::check_target(path, &protected, self.force)
    }
}

/// The data directory: `--data`, else `$GUIHUA_DATA`, else `$XDG_DATA_HOME/guihua`, else
/// `~/.local/share/guihua`.
pub fn data_dir(flag: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(d) = flag {
        return Ok(d);
    }
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    if let Some(d) = env("GUIHUA_DATA") {
        return Ok(PathBuf::from(d));
    }
    if let Some(d) = env("XDG_DATA_HOME") {
        return Ok(PathBuf::from(d).join("guihua"));
    }
    if let Some(h) = env("HOME") {
        return Ok(PathBuf::from(h).join(".local/share/guihua"));
    }
    bail!("no data directory: pass --data DIR or set GUIHUA_DATA")
}

/// The search index directory of a library: `search` for the SQLite library of the data
/// directory, `search-postgres-…` for a PostgreSQL one.
pub fn search_dir(data: &Path, database: Option<&str>) -> PathBuf {
    match database {
        None => data.join("search"),
        Some(_) => data.join(format!("search-{}", guihua_store::library_key(database))),
    }
}

/// Who asks to act: `--user`, else `$GUIHUA_USER` (checked against the library's users
/// when it has any).
fn asked_user(flag: Option<String>) -> Option<String> {
    flag.or_else(|| std::env::var("GUIHUA_USER").ok())
        .filter(|u| !u.trim().is_empty())
}

/// The name of the local account, for the history when no user is asked for.
fn local_user() -> String {
    std::env::var("USER")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// The PostgreSQL database asked for: `--database`, else `$GUIHUA_DATABASE`.
pub fn database(flag: Option<String>) -> Option<String> {
    flag.or_else(|| std::env::var("GUIHUA_DATABASE").ok())
        .filter(|d| !d.trim().is_empty())
}

/// Open the library: the PostgreSQL database when one is named, else the SQLite file in
/// the data directory.
pub fn open_store(
    database: Option<&str>,
    dir: &Path,
) -> anyhow::Result<Box<dyn guihua_store::Store>> {
    guihua_store::open(database, dir).with_context(|| match database {
        Some(_) => "cannot open the library in PostgreSQL".to_string(),
        None => format!("cannot open the library in {}", dir.display()),
    })
}

pub fn open(
    data: Option<PathBuf>,
    database: Option<String>,
    user_flag: Option<String>,
    why: Option<String>,
    force: bool,
) -> anyhow::Result<Ctx> {
    let dir = data_dir(data)?;
    let store = open_store(database.as_deref(), &dir)?;
    let principal =
        guihua_app::policy::principal(&*store, asked_user(user_flag).as_deref(), &local_user())?;
    Ok(Ctx {
        store,
        why,
        data: dir,
        database,
        force,
        principal,
    })
}

pub fn add(
    ctx: &mut Ctx,
    files: &[PathBuf],
    revises: Option<&str>,
    json_out: bool,
) -> anyhow::Result<()> {
    if revises.is_some() && files.len() != 1 {
        bail!("--revises takes exactly one file");
    }
    let mut failed = 0;
    for f in files {
        let (plan, source, document) = match crate::parse::read_and_parse(f) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("guihua: {}: {e}", f.display());
                failed += 1;
                continue;
            }
        };
        let added = guihua_app::plans::add(
            ctx.store.as_ref(),
            &ctx.principal,
            ctx.why.as_deref(),
            &plan,
            &source,
            revises,
        )?;
        // The text as read, for readers to check extractions against (kept again for a
        // plan of an older library that has none).
        let keep = match &added {
            Added::New { id, .. } | Added::Restored { id } => Some(*id),
            Added::Duplicate { id } => (!ctx.store.has_plan_text(*id)?).then_some(*id),
        };
        if let Some(id) = keep {
            guihua_app::plans::keep_text(ctx.store.as_ref(), &ctx.principal, id, &document)?;
        }
        let label = plan
            .region
            .clone()
            .or(plan.title.clone())
            .unwrap_or_else(|| source.file.clone());
        if json_out {
            println!(
                "{}",
                guihua_contract::documents::added(&f.display().to_string(), &added)
            );
            continue;
        }
        match added {
            Added::New { id, version: 1, .. } => println!(
                "added {id}  {label}  ({} indicators, {} targets, {} projects)",
                plan.indicators.len(),
                plan.targets.len(),
                plan.projects.len()
            ),
            Added::New {
                id,
                version,
                previous,
            } => println!(
                "added {id}  {label}  version {version}, revising plan {}",
                previous.map(|p| p.to_string()).unwrap_or_default()
            ),
            Added::Restored { id } => println!("restored {id}  {label}  (had been removed)"),
            Added::Duplicate { id } => {
                println!("unchanged {id}  {label}  (already in the library)")
            }
        }
    }
    if failed > 0 {
        bail!("{failed} of {} files could not be added", files.len());
    }
    Ok(())
}

fn period(p: &PlanRow) -> String {
    p.period
        .map(|(s, e)| format!("{s}–{e}"))
        .unwrap_or_default()
}

pub fn list(ctx: &Ctx, json_out: bool) -> anyhow::Result<()> {
    let plans = ctx.store.plans()?;
    if json_out {
        println!("{}", serde_json::to_string(&plans)?);
        return Ok(());
    }
    if plans.is_empty() {
        println!("the library is empty: guihua add FILE…");
        return Ok(());
    }
    let mut rows = vec![vec![
        "id".into(),
        "地区".into(),
        "期间".into(),
        "版本".into(),
        "指标".into(),
        "目标".into(),
        "项目".into(),
        "文件".into(),
        "添加".into(),
    ]];
    for p in &plans {
        let mut v = format!("v{}", p.version);
        if let Some(prev) = p.previous_id {
            v.push_str(&format!(" ←{prev}"));
        }
        if p.next_id.is_some() {
            v.push_str(" (superseded)");
        }
        rows.push(vec![
            p.id.to_string(),
            p.label().to_string(),
            period(p),
            v,
            p.indicators.to_string(),
            p.targets.to_string(),
            p.projects.to_string(),
            p.file.clone(),
            p.added_at.get(..10).unwrap_or(&p.added_at).to_string(),
        ]);
    }
    print!("{}", table::render(&rows, 40));
    Ok(())
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum View {
    Outline,
    Indicators,
    Targets,
    Projects,
}

pub fn show(
    ctx: &Ctx,
    key: &str,
    view: Option<View>,
    json_out: bool,
    by_department: bool,
) -> anyhow::Result<()> {
    let plan = ctx.store.resolve(key)?;
    let id = plan.id;
    if by_department {
        return show_by_department(ctx, plan, json_out);
    }
    match view {
        None => {
            if json_out {
                println!("{}", ctx.store.plan_json(id)?);
                return Ok(());
            }
            println!(
                "{} {}",
                plan.id,
                crate::term(plan.title.as_deref().unwrap_or(plan.label()))
            );
            println!(
                "地区 {}  期间 {}  版本 {}",
                crate::term(plan.region.as_deref().unwrap_or("—")),
                period(&plan),
                plan.version
            );
            if let Some(p) = plan.previous_id {
                println!("revises plan {p}");
            }
            if let Some(n) = plan.next_id {
                println!("superseded by plan {n}");
            }
            println!("文件 {}  sha256 {}", crate::term(&plan.file), plan.sha256);
            println!("添加 {} by {}", plan.added_at, crate::term(&plan.added_by));
            println!(
                "{} indicators, {} targets, {} projects, {} observations",
                plan.indicators,
                plan.targets,
                plan.projects,
                ctx.store.observations(Some(id))?.len()
            );
        }
        Some(View::Outline) => {
            let rows = ctx.store.outline(id)?;
            if json_out {
                println!("{}", serde_json::to_string(&rows)?);
                return Ok(());
            }
            for n in rows {
                println!(
                    "{}{} {}  [{}]",
                    "  ".repeat(n.depth as usize),
                    n.level,
                    n.title,
                    n.id
                );
            }
        }
        Some(View::Indicators) => {
            let rows = ctx.store.indicators(id)?;
            if json_out {
                println!("{}", serde_json::to_string(&rows)?);
                return Ok(());
            }
            let mut t = vec![[
                "编号",
                "指标",
                "单位",
                "基期",
                "目标",
                "年均/累计",
                "属性",
                "目录",
                "置信",
                "最新实际",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()];
            // The latest actual value of each indicator (observations come ordered by year).
            let latest: std::collections::HashMap<String, String> = ctx
                .store
                .observations(Some(id))?
                .into_iter()
                .filter(|o| o.kind == SubjectKind::Indicator)
                .map(|o| {
                    (
                        o.subject_id,
                        format!("{}: {}", o.year, guihua_store::fmt_num(o.value)),
                    )
                })
                .collect();
            for i in rows {
                let actual = latest.get(&i.id).cloned().unwrap_or_default();
                let (cat, conf) = match &i.link {
                    Some(l) => (
                        l.catalog_id.clone().unwrap_or_else(|| "(none)".into()),
                        if l.manual {
                            "manual".into()
                        } else {
                            format!("{:.2}", l.confidence)
                        },
                    ),
                    None => (String::new(), String::new()),
                };
                t.push(vec![
                    i.id,
                    i.name,
                    i.unit.unwrap_or_default(),
                    i.base,
                    i.target,
                    i.pace,
                    i.attribute.unwrap_or_default(),
                    cat,
                    conf,
                    actual,
                ]);
            }
            print!("{}", table::render(&t, 30));
        }
        Some(View::Targets) => {
            let rows = ctx.store.targets(id)?;
            if json_out {
                println!("{}", serde_json::to_string(&rows)?);
                return Ok(());
            }
            let mut t = vec![vec![
                "编号".into(),
                "对象".into(),
                "目标".into(),
                "类型".into(),
                "年份".into(),
                "章节".into(),
            ]];
            for r in rows {
                t.push(vec![
                    r.id,
                    r.subject,
                    r.text,
                    r.kind,
                    r.year.map(|y| y.to_string()).unwrap_or_default(),
                    r.section.unwrap_or_default(),
                ]);
            }
            print!("{}", table::render(&t, 40));
        }
        Some(View::Projects) => {
            let rows = ctx.store.projects(id)?;
            let statuses = ctx.store.project_statuses(id)?;
            if json_out {
                println!("{}", guihua_contract::documents::projects(&rows, &statuses));
                return Ok(());
            }
            let mut t = vec![vec![
                "编号".into(),
                "项目".into(),
                "分组".into(),
                "投资".into(),
                "状态".into(),
                "专栏".into(),
            ]];
            for r in rows {
                let st = statuses
                    .iter()
                    .rfind(|s| s.project_id == r.id)
                    .map(|s| format!("{} {}", s.year, s.status))
                    .unwrap_or_default();
                t.push(vec![
                    r.id,
                    r.name,
                    r.group.unwrap_or_default(),
                    r.investment
                        .map(|v| {
                            format!(
                                "{}{}",
                                guihua_store::fmt_num(v),
                                r.investment_unit.unwrap_or_default()
                            )
                        })
                        .unwrap_or_default(),
                    st,
                    r.box_id.unwrap_or_default(),
                ]);
            }
            print!("{}", table::render(&t, 40));
        }
    }
    Ok(())
}

fn show_by_department(ctx: &Ctx, plan: PlanRow, json_out: bool) -> anyhow::Result<()> {
    let asg = ctx.store.assignments(plan.id)?;
    if json_out {
        println!("{}", serde_json::to_string(&asg)?);
        return Ok(());
    }
    let subjects = guihua_app::subjects::Subjects::load(ctx.store.as_ref(), plan)?;
    let mut t = vec![vec![
        "部门".into(),
        "角色".into(),
        "类型".into(),
        "编号".into(),
        "名称".into(),
    ]];
    for a in asg {
        t.push(vec![
            a.department,
            a.role.zh().into(),
            a.kind.zh().into(),
            a.subject_id.clone(),
            subjects.name(a.kind, &a.subject_id).0.to_string(),
        ]);
    }
    if t.len() == 1 {
        println!("no assignments (guihua department assign / import)");
        return Ok(());
    }
    print!("{}", table::render(&t, 40));
    Ok(())
}

pub fn link(
    ctx: &mut Ctx,
    key: &str,
    indicator: &str,
    catalog: Option<&str>,
) -> anyhow::Result<()> {
    let (plan, id, catalog) = guihua_app::admin::link(
        ctx.store.as_ref(),
        &ctx.principal,
        ctx.why.as_deref(),
        key,
        indicator,
        catalog,
    )?;
    match catalog {
        Some(c) => println!("plan {} {id} → {c}", plan.id),
        None => println!("plan {} {id} unlinked (kept out of the catalogue)", plan.id),
    }
    Ok(())
}

pub fn review(ctx: &Ctx, plan: Option<&str>, below: f64) -> anyhow::Result<()> {
    let plans = match plan {
        Some(k) => vec![ctx.store.resolve(k)?],
        None => ctx.store.plans()?,
    };
    let mut t = vec![[
        "规划", "地区", "编号", "指标", "单位", "目录", "置信", "方式",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect::<Vec<_>>()];
    for p in plans {
        for i in ctx.store.indicators(p.id)? {
            let (cat, conf, how) = match &i.link {
                Some(l) if l.manual || l.confidence >= below => continue,
                Some(l) => (
                    l.catalog_id.clone().unwrap_or_default(),
                    format!("{:.2}", l.confidence),
                    l.reason.clone(),
                ),
                None => (String::new(), String::new(), "unlinked".into()),
            };
            t.push(vec![
                p.id.to_string(),
                p.label().to_string(),
                i.id,
                i.name,
                i.unit.unwrap_or_default(),
                cat,
                conf,
                how,
            ]);
        }
    }
    if t.len() == 1 {
        println!(
            "nothing to review: every indicator is linked with confidence ≥ {below} or by hand"
        );
    } else {
        print!("{}", table::render(&t, 36));
        println!("fix with: guihua indicator link PLAN INDICATOR CATALOGUE-ID | guihua indicator unlink PLAN INDICATOR");
    }
    Ok(())
}

pub fn catalogue(json_out: bool) -> anyhow::Result<()> {
    let all = guihua_catalog::all();
    if json_out {
        let v = guihua_contract::documents::catalog(all);
        println!("{}", serde_json::to_string(&v)?);
        return Ok(());
    }
    let mut t = vec![vec![
        "id".into(),
        "指标".into(),
        "单位".into(),
        "方向".into(),
        "属性".into(),
        "类别".into(),
        "国家主要指标".into(),
        "别名".into(),
    ]];
    for c in all {
        let national = match (c.national, guihua_catalog::national_15(c.id)) {
            (true, Some(guihua_catalog::Certainty::Verified)) => "十四五、十五五",
            (true, Some(guihua_catalog::Certainty::Uncertain)) => "十四五、十五五（待核实）",
            (true, None) => "十四五",
            (false, Some(guihua_catalog::Certainty::Verified)) => "十五五（新增）",
            (false, Some(guihua_catalog::Certainty::Uncertain)) => "十五五（待核实）",
            (false, None) => "",
        };
        t.push(vec![
            c.id.into(),
            c.name.into(),
            c.unit.into(),
            c.direction.as_str().into(),
            c.attribute
                .map(|a| a.zh())
                .unwrap_or(if c.national { "" } else { "地方" })
                .into(),
            c.category.into(),
            national.into(),
            c.aliases.join("、"),
        ]);
    }
    print!("{}", table::render(&t, 36));
    Ok(())
}

pub fn history(
    ctx: &Ctx,
    key: &str,
    subject: Option<(SubjectKind, &str)>,
    json_out: bool,
) -> anyhow::Result<()> {
    let plan = ctx.store.resolve(key)?;
    let subject = match subject {
        Some((kind, text)) => {
            let subjects = guihua_app::subjects::Subjects::load(ctx.store.as_ref(), plan.clone())?;
            let (k, id) = subjects.resolve(text, &[kind]).map_err(|e| anyhow!(e))?;
            Some(format!("{k}:{id}"))
        }
        None => None,
    };
    let rows = ctx.store.history(plan.id, subject.as_deref())?;
    if json_out {
        println!("{}", serde_json::to_string(&rows)?);
        return Ok(());
    }
    let mut t = vec![vec![
        "时间".into(),
        "人".into(),
        "表".into(),
        "键".into(),
        "字段".into(),
        "原值".into(),
        "新值".into(),
        "原因".into(),
    ]];
    for h in rows {
        t.push(vec![
            h.at,
            h.who,
            h.table,
            h.key,
            h.field,
            h.old.unwrap_or_else(|| "∅".into()),
            h.new.unwrap_or_else(|| "∅".into()),
            h.why.unwrap_or_default(),
        ]);
    }
    print!("{}", table::render(&t, 40));
    Ok(())
}

pub fn remove(ctx: &mut Ctx, key: &str) -> anyhow::Result<()> {
    let plan = guihua_app::admin::remove_plan(
        ctx.store.as_ref(),
        &ctx.principal,
        ctx.why.as_deref(),
        key,
    )?;
    println!(
        "removed {} {} (soft: data and history kept)",
        plan.id,
        plan.label()
    );
    Ok(())
}

pub fn backup(ctx: &Ctx, to: &Path) -> anyhow::Result<()> {
    ctx.writable(to, &[])?;
    if ctx.force && to.exists() {
        // VACUUM INTO refuses an existing file: the person asked to replace it.
        std::fs::remove_file(to).map_err(|e| anyhow::anyhow!("{}: {e}", to.display()))?;
    }
    guihua_app::admin::backup(ctx.store.as_ref(), &ctx.principal, to)?;
    println!("backup written to {}", to.display());
    Ok(())
}

pub fn restore(ctx: &mut Ctx, from: &Path) -> anyhow::Result<()> {
    let kept =
        guihua_app::admin::restore(ctx.store.as_ref(), &ctx.principal, ctx.why.as_deref(), from)?;
    println!(
        "library restored from {}; the library it replaced is kept in {}",
        from.display(),
        kept.display()
    );
    Ok(())
}

fn parse_role(role: &str) -> anyhow::Result<guihua_store::UserRole> {
    guihua_store::UserRole::parse(role).ok_or_else(|| {
        anyhow::anyhow!(
            "'{role}' is not a role: admin, planner, editor (with --department) or reviewer"
        )
    })
}

pub fn user_add(
    ctx: &mut Ctx,
    name: &str,
    display: Option<&str>,
    role: Option<&str>,
    department: Option<&str>,
    password_stdin: bool,
) -> anyhow::Result<()> {
    let role = role.map(parse_role).transpose()?;
    let password = if password_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        Some(line.trim_end_matches(['\r', '\n']).to_string())
    } else {
        None
    };
    let id = guihua_app::admin::add_user(
        ctx.store.as_ref(),
        &ctx.principal,
        ctx.why.as_deref(),
        name,
        display,
        password.as_deref(),
        role.map(|r| (r, department)),
    )?;
    println!(
        "user {id} {}{}",
        crate::term(name),
        role.map(|r| format!(
            "  {}",
            crate::term(&guihua_store::Membership::label(r, department))
        ))
        .unwrap_or_default()
    );
    Ok(())
}

pub fn user_list(ctx: &Ctx, json_out: bool) -> anyhow::Result<()> {
    let users = ctx.store.users()?;
    if json_out {
        println!("{}", serde_json::to_string(&users)?);
        return Ok(());
    }
    if users.is_empty() {
        println!("no users: the library is administered by whoever opens it (guihua user add NAME --role admin)");
        return Ok(());
    }
    let mut t = vec![vec![
        "用户".to_string(),
        "姓名".to_string(),
        "角色".to_string(),
        "密码".to_string(),
        "状态".to_string(),
    ]];
    for u in &users {
        t.push(vec![
            u.name.clone(),
            u.display.clone().unwrap_or_default(),
            u.memberships
                .iter()
                .map(|m| guihua_store::Membership::label(m.role, m.department.as_deref()))
                .collect::<Vec<_>>()
                .join(", "),
            if u.password_hash.is_some() {
                "有"
            } else {
                "—"
            }
            .to_string(),
            if u.disabled { "停用" } else { "启用" }.to_string(),
        ]);
    }
    print!("{}", table::render(&t, 40));
    Ok(())
}

pub fn token_add(ctx: &Ctx, user: &str, label: &str) -> anyhow::Result<()> {
    let (id, token) =
        guihua_app::admin::add_token(ctx.store.as_ref(), &ctx.principal, user, label)?;
    eprintln!("token {id} for {user} ({label}); shown this once, keep it secret:");
    println!("{token}");
    Ok(())
}

pub fn token_list(ctx: &Ctx, json_out: bool) -> anyhow::Result<()> {
    let tokens = guihua_app::admin::tokens(ctx.store.as_ref(), &ctx.principal)?;
    if json_out {
        println!("{}", serde_json::to_string(&tokens)?);
        return Ok(());
    }
    if tokens.is_empty() {
        println!("no API tokens (guihua token add USER --label WHAT-FOR)");
        return Ok(());
    }
    let mut t = vec![["编号", "用户", "用途", "创建", "最近使用", "状态"]
        .map(String::from)
        .to_vec()];
    for tok in &tokens {
        t.push(vec![
            tok.id.to_string(),
            term(&tok.user).into_owned(),
            term(&tok.label).into_owned(),
            format!(
                "{} {}",
                tok.created_at.get(..10).unwrap_or(""),
                term(&tok.created_by)
            ),
            tok.last_used.clone().unwrap_or_else(|| "—".into()),
            match &tok.revoked_at {
                Some(at) => format!("已撤销 {}", at.get(..10).unwrap_or("")),
                None => "有效".into(),
            },
        ]);
    }
    print!("{}", table::render(&t, 40));
    Ok(())
}

pub fn token_revoke(ctx: &Ctx, id: i64) -> anyhow::Result<()> {
    if guihua_app::admin::revoke_token(ctx.store.as_ref(), &ctx.principal, id)? {
        println!("token {id} revoked");
    } else {
        println!("token {id} was revoked already");
    }
    Ok(())
}

pub fn user_role(
    ctx: &mut Ctx,
    name: &str,
    role: &str,
    department: Option<&str>,
    grant: bool,
) -> anyhow::Result<()> {
    let role = parse_role(role)?;
    let changed = guihua_app::admin::set_role(
        ctx.store.as_ref(),
        &ctx.principal,
        ctx.why.as_deref(),
        name,
        role,
        department,
        grant,
    )?;
    let what = guihua_store::Membership::label(role, department);
    println!(
        "{} {} {}",
        crate::term(name),
        match (grant, changed) {
            (true, true) => "now has",
            (true, false) => "already has",
            (false, true) => "no longer has",
            (false, false) => "did not have",
        },
        crate::term(&what)
    );
    Ok(())
}

/// `guihua migrate --to`: copy the library into an empty PostgreSQL database or a new
/// SQLite library directory, every table counted on both sides.
pub fn migrate(ctx: &Ctx, to: &str) -> anyhow::Result<()> {
    let from = guihua_store::open_sql(ctx.database.as_deref(), &ctx.data)?;
    let target = if guihua_store::is_postgres_url(to) {
        if ctx.database.as_deref() == Some(to) {
            bail!("--to names the library being copied");
        }
        guihua_store::SqlStore::connect(to)?
    } else {
        let dir = PathBuf::from(to);
        if ctx.database.is_none()
            && std::fs::canonicalize(&dir).ok() == std::fs::canonicalize(&ctx.data).ok()
        {
            bail!("--to names the library being copied");
        }
        guihua_store::SqlStore::open_dir(&dir)
            .with_context(|| format!("cannot make a library in {}", dir.display()))?
    };
    let started = std::time::Instant::now();
    let copied = from.copy_into(&target, &mut |_, _| {})?;
    let mut rows = vec![vec!["表 table".to_string(), "行 rows".to_string()]];
    let mut total = 0;
    for (t, n) in &copied {
        total += n;
        if *n > 0 {
            rows.push(vec![t.to_string(), n.to_string()]);
        }
    }
    print!("{}", table::render(&rows, 40));
    println!(
        "copied {total} rows of {} tables into {} in {:.1} s; every count checked",
        copied.len(),
        if guihua_store::is_postgres_url(to) {
            "PostgreSQL".to_string()
        } else {
            to.to_string()
        },
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
