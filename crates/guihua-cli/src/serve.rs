//! `guihua serve` and `guihua demo`: the file edge of `guihua-web` — open the library (or
//! build the demo's), bind the address, print where it listens, run until Ctrl-C.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{anyhow, Context};

/// The bundled example plan, compiled in so `guihua demo` works from any directory.
const EXAMPLE: &[u8] = include_bytes!("../../../examples/shili-xian.txt");

fn address(listen: &str) -> anyhow::Result<SocketAddr> {
    listen
        .parse()
        .map_err(|_| anyhow!("--listen {listen}: expected an address such as 127.0.0.1:8080"))
}

fn run(
    web: guihua_web::Web,
    listen: SocketAddr,
    check: bool,
    hint: Vec<String>,
) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    rt.block_on(guihua_web::serve(Arc::new(web), listen, check, |addr| {
        eprintln!("guihua serve: http://{addr}/");
        for h in &hint {
            eprintln!("  {}", h.replace("{addr}", &addr.to_string()));
        }
    }))
    .with_context(|| format!("serving on {listen}"))?;
    if check {
        eprintln!(
            "guihua serve: start-up checks passed ({})",
            guihua_web::CHECKED_PATHS.join(" ")
        );
    }
    Ok(())
}

/// How `guihua serve` runs.
pub struct Options {
    pub secure_cookies: bool,
    pub trusted_proxy: Option<std::net::IpAddr>,
    pub check: bool,
}

/// The key of address pseudonyms, kept beside the library (`web.secret`, readable by its
/// owner only) so one rating per address holds across restarts and across servers of one
/// library; made on first use.
fn pseudonym_key(dir: &std::path::Path) -> anyhow::Result<String> {
    let path = dir.join("web.secret");
    match std::fs::read_to_string(&path) {
        Ok(k) if k.trim().len() == 64 => return Ok(k.trim().to_string()),
        Ok(_) => anyhow::bail!(
            "{} is not a key written by guihua (64 hex digits): remove it to make a new one",
            path.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
    let key = guihua_app::session::random_token();
    let mut f = {
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
        match o.open(&path) {
            Ok(f) => f,
            // Another server of this library made it a moment ago: use that one.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                std::thread::sleep(std::time::Duration::from_millis(50));
                return Ok(std::fs::read_to_string(&path)?.trim().to_string());
            }
            Err(e) => return Err(e).with_context(|| format!("cannot write {}", path.display())),
        }
    };
    std::io::Write::write_all(&mut f, key.as_bytes())?;
    Ok(key)
}

pub fn serve(
    data: Option<PathBuf>,
    database: Option<String>,
    listen: &str,
    opts: Options,
) -> anyhow::Result<()> {
    let Options {
        secure_cookies,
        trusted_proxy,
        check,
    } = opts;
    let listen = address(listen)?;
    let dir = crate::library::data_dir(data)?;
    let store = crate::library::open_store(database.as_deref(), &dir)?;
    let mut hint = vec![match &database {
        Some(_) => format!(
            "library: PostgreSQL ({}); derived files in {}",
            guihua_store::library_key(database.as_deref()),
            dir.display()
        ),
        None => format!("library: {}", dir.display()),
    }];
    if store.users()?.is_empty() {
        hint.push("no users yet: nobody can sign in. Create the administrator with".into());
        hint.push(format!(
            "  guihua --data {} user add admin --role admin --password-stdin",
            dir.display()
        ));
    }
    if store.published_plans()?.is_empty() {
        hint.push(
            "no plan is published yet: the portal is empty until a planner publishes one".into(),
        );
    }
    let mut web = guihua_web::Web::new(store);
    web.secure_cookies = secure_cookies;
    web.trusted_proxy = trusted_proxy;
    web.secret = pseudonym_key(&dir)?;
    web.search = Some(search_index(
        &crate::library::search_dir(&dir, database.as_deref()),
        &mut hint,
    )?);
    run(web, listen, check, hint)
}

pub fn demo(listen: &str, check: bool, plans: usize) -> anyhow::Result<()> {
    let listen = address(listen)?;
    let dir = tempfile::Builder::new()
        .prefix("guihua-demo-")
        .tempdir()
        .context("cannot make a temporary directory for the demo library")?;
    let store = guihua_store::open_dir(dir.path())?;
    let read = guihua_read::read_bytes("shili-xian.txt", EXAMPLE)?;
    let (plan, source) = guihua_app::plans::parse(
        "shili-xian.txt",
        &read.document,
        read.format.as_str(),
        &read.encoding,
        &read.sha256,
    )?;
    let today = crate::report::today();
    let demo = guihua_web::demo::populate(store.as_ref(), &plan, &source, &today, true)?;
    let mut ids = vec![demo.plan_id];
    if plans > 1 {
        eprintln!("guihua demo: adding {} more plans …", plans - 1);
        ids.extend(guihua_web::demo::populate_more(
            store.as_ref(),
            &plan,
            &source,
            &today,
            plans - 1,
        )?);
    }
    let admin = guihua_app::policy::Principal::LocalAdmin("演示".into());
    for id in ids {
        guihua_app::plans::keep_text(store.as_ref(), &admin, id, &read.document)?;
    }
    let mut hint = vec![
        format!("demo library (deleted on exit): {}", dir.path().display()),
        format!("plan: http://{{addr}}/plans/{}", demo.plan_id),
        format!("plans in the library: {plans}"),
        format!(
            "sign in at /login, password {} for every user:",
            guihua_web::demo::PASSWORD
        ),
    ];
    for (name, role) in &demo.users {
        hint.push(format!("  {name:<8} {role}"));
    }
    let mut web = guihua_web::Web::new(store);
    web.search = Some(search_index(&dir.path().join("search"), &mut hint)?);
    run(web, listen, check, hint)
}

/// The search index of a library (derived data: brought in step at the first search).
fn search_index(
    dir: &std::path::Path,
    hint: &mut Vec<String>,
) -> anyhow::Result<guihua_search::SearchIndex> {
    let (index, notes) = guihua_search::SearchIndex::open(dir)
        .with_context(|| format!("cannot open the search index in {}", dir.display()))?;
    hint.extend(notes);
    Ok(index)
}
