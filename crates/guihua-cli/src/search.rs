//! `guihua search`: hits across every plan with their place and a marked snippet. The
//! index lives in the library directory (`search/`), is derived data and is brought in
//! step before every search (`--reindex` builds it again).

use std::io::IsTerminal;

use crate::library::Ctx;
use crate::term;

pub struct Args {
    pub query: String,
    pub plan: Option<String>,
    pub kind: Option<String>,
    pub period: Option<String>,
    pub limit: usize,
    pub page: usize,
    pub json: bool,
    pub reindex: bool,
}

pub fn run(ctx: &Ctx, args: &Args) -> anyhow::Result<()> {
    let (index, notes) = guihua_search::SearchIndex::open(&ctx.search_dir())?;
    for n in &notes {
        eprintln!("guihua: {n}");
    }
    if args.reindex {
        let started = std::time::Instant::now();
        let done = index.reindex(ctx.store.as_ref())?;
        for w in &done.warnings {
            eprintln!("guihua: {w}");
        }
        eprintln!(
            "indexed {} plans ({} documents, {:.1} MB) in {:.1} s",
            done.added,
            done.documents,
            index.size_on_disk()? as f64 / 1e6,
            started.elapsed().as_secs_f64()
        );
        if args.query.trim().is_empty() {
            return Ok(());
        }
    }
    let answer = guihua_app::search::search(
        ctx.store.as_ref(),
        &index,
        Some(&ctx.principal),
        &guihua_app::search::Question {
            query: &args.query,
            plan: args.plan.as_deref(),
            kind: args.kind.as_deref(),
            period: args.period.as_deref(),
            page: args.page,
            per_page: args.limit,
        },
    )?;
    if args.json {
        println!("{}", guihua_app::search::to_json(&args.query, &answer));
        return Ok(());
    }
    for n in &answer.notes {
        eprintln!("guihua: {n}");
    }
    let found = &answer.found;
    if found.total == 0 {
        println!(
            "no hit for {} in {} plans{}",
            term(&found.terms.join(" ")),
            index.plans()?,
            if args.kind.is_some() || args.period.is_some() || args.plan.is_some() {
                " (with the filters given)"
            } else {
                ""
            }
        );
        return Ok(());
    }
    let first = (answer.page - 1) * answer.per_page + 1;
    let at_least = if found.total_exact { "" } else { "+" };
    println!(
        "{}{at_least} hits for {}{}",
        found.total,
        term(&found.terms.join(" ")),
        if found.hits.is_empty() {
            format!(
                " (page {} is past the last, {}{at_least})",
                answer.page,
                answer.pages()
            )
        } else {
            format!(
                " ({}–{}, page {} of {}{at_least})",
                first,
                first + found.hits.len() - 1,
                answer.page,
                answer.pages()
            )
        }
    );
    let (open, close) = if std::io::stdout().is_terminal() {
        ("\x1b[1;31m", "\x1b[0m")
    } else {
        ("【", "】")
    };
    for h in &found.hits {
        let plan = answer
            .plans
            .get(&h.plan_id)
            .map(guihua_app::search::plan_label)
            .unwrap_or_else(|| format!("plan {}", h.plan_id));
        let mut place = format!("{} · {}", plan, h.kind.zh());
        if let Some(s) = &h.subject {
            place.push_str(&format!(" {s}"));
        }
        if !h.location.is_empty() {
            place.push_str(&format!(" · {}", h.location));
        }
        if h.line > 0 {
            place.push_str(&format!(" · 第{}行", h.line));
        }
        println!();
        println!("[{}] {}", h.plan_id, term(&place));
        println!(
            "  {}",
            h.snippet.render(|s| term(s).into_owned(), open, close)
        );
    }
    Ok(())
}
