//! The `guihua` binary on PostgreSQL (`GUIHUA_TEST_POSTGRES`; CI starts a throw-away
//! server and sets `GUIHUA_REQUIRE_POSTGRES=1`): a SQLite library moved into PostgreSQL and
//! back with every count checked, every command on `--database`, and writers in several
//! processes at once losing nothing.

mod common;

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_guihua");

fn server() -> Option<String> {
    match std::env::var("GUIHUA_TEST_POSTGRES") {
        Ok(u) if !u.trim().is_empty() => Some(u),
        _ => {
            assert!(
                std::env::var("GUIHUA_REQUIRE_POSTGRES").ok().as_deref() != Some("1"),
                "GUIHUA_REQUIRE_POSTGRES=1 but GUIHUA_TEST_POSTGRES names no server"
            );
            eprintln!("GUIHUA_TEST_POSTGRES not set: the PostgreSQL CLI tests did not run");
            None
        }
    }
}

/// A new database on the test server, dropped at the end.
struct Database {
    admin: String,
    name: String,
    url: String,
}

impl Database {
    fn new(admin: &str, tag: &str) -> Database {
        let name = format!("guihua_cli_{tag}_{}", std::process::id());
        let mut c = postgres::Client::connect(admin, postgres::NoTls).unwrap();
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let url = guihua_store::with_database(admin, &name);
        Database {
            admin: admin.to_string(),
            name,
            url,
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

fn run(data: &Path, database: Option<&str>, args: &[&str]) -> Output {
    let mut c = Command::new(BIN);
    c.arg("--data").arg(data).args(["--user", "测试员"]);
    if let Some(d) = database {
        c.args(["--database", d]);
    }
    c.args(args)
        .env_remove("GUIHUA_DATA")
        .env_remove("GUIHUA_DATABASE")
        .output()
        .unwrap()
}

fn ok(data: &Path, database: Option<&str>, args: &[&str]) -> String {
    let o = run(data, database, args);
    assert!(
        o.status.success(),
        "guihua {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn plans(data: &Path, database: Option<&str>) -> Vec<(i64, String, i64)> {
    let v: serde_json::Value =
        serde_json::from_str(&ok(data, database, &["list", "--json"])).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_i64().unwrap(),
                p["region"].as_str().unwrap_or("").to_string(),
                p["indicators"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_library_moves_to_postgres_and_back() {
    let Some(admin) = server() else { return };
    let pg = Database::new(&admin, "move");
    let dir = tempfile::tempdir().unwrap();
    let (sqlite, pgdata, back) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("c"),
    );
    let mut add = vec!["add".to_string()];
    add.extend(common::seeds().iter().map(|p| p.display().to_string()));
    let add: Vec<&str> = add.iter().map(String::as_str).collect();
    ok(&sqlite, None, &add);
    ok(
        &sqlite,
        None,
        &[
            "observe",
            "set",
            "乌鲁木齐市",
            "i1",
            "2021",
            "6.2",
            "--accept-outliers",
        ],
    );
    let before = plans(&sqlite, None);
    assert_eq!(before.len(), 5);

    // SQLite → PostgreSQL: every table counted.
    let out = ok(&sqlite, None, &["migrate", "--to", &pg.url]);
    assert!(out.contains("every count checked"), "{out}");
    assert!(out.contains("plans") && out.contains("history"), "{out}");
    assert_eq!(plans(&pgdata, Some(&pg.url)), before);
    // A second migrate into the same database is refused: it is not empty.
    let o = run(&sqlite, None, &["migrate", "--to", &pg.url]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("not empty"));

    // Every command works on --database: values, history, search.
    ok(
        &pgdata,
        Some(&pg.url),
        &[
            "observe",
            "set",
            "乌鲁木齐市",
            "i1",
            "2022",
            "6.5",
            "--accept-outliers",
        ],
    );
    let history = ok(&pgdata, Some(&pg.url), &["history", "乌鲁木齐市", "--json"]);
    assert!(
        history.contains("6.2") && history.contains("6.5"),
        "{history}"
    );
    let found: serde_json::Value = serde_json::from_str(&ok(
        &pgdata,
        Some(&pg.url),
        &["search", "乡村振兴", "--kind", "text", "--json"],
    ))
    .unwrap();
    assert_eq!(found["total"], 36);
    // New ids continue after the copied ones.
    let plan = common::seed("001");
    let text = std::fs::read_to_string(&plan)
        .unwrap()
        .replace("15.77", "16.10");
    let revised = dir.path().join("revised.txt");
    std::fs::write(&revised, text).unwrap();
    ok(
        &pgdata,
        Some(&pg.url),
        &["add", &revised.display().to_string()],
    );
    let after = plans(&pgdata, Some(&pg.url));
    assert_eq!(after.len(), 6);
    assert_eq!(
        after[5].0, 6,
        "the sequence continues after the copied plans"
    );

    // And back into a new SQLite library.
    let out = ok(
        &pgdata,
        Some(&pg.url),
        &["migrate", "--to", &back.display().to_string()],
    );
    assert!(out.contains("every count checked"), "{out}");
    assert_eq!(plans(&back, None), after);
    let history_back = ok(&back, None, &["history", "乌鲁木齐市", "--json"]);
    assert_eq!(
        history_back,
        ok(&pgdata, Some(&pg.url), &["history", "乌鲁木齐市", "--json"])
    );
    // A wrong address says what is wrong.
    let o = run(&pgdata, Some("mysql://x"), &["list"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a PostgreSQL address"));
}

#[test]
fn writers_in_several_processes_lose_nothing_on_postgres() {
    let Some(admin) = server() else { return };
    let pg = Database::new(&admin, "writers");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    ok(&data, Some(&pg.url), &["add", &common::seed("003")]);
    const WRITERS: usize = 4;
    let handles: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (data, url) = (data.clone(), pg.url.clone());
            std::thread::spawn(move || {
                (2021..=2025)
                    .map(|y| {
                        run(
                            &data,
                            Some(&url),
                            &[
                                "observe",
                                "set",
                                "1",
                                &format!("i{}", w + 1),
                                &y.to_string(),
                                &format!("{}.{}", w + 1, y - 2000),
                                "--accept-outliers",
                            ],
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for h in handles {
        for o in h.join().unwrap() {
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
    }
    let csv = ok(
        &data,
        Some(&pg.url),
        &["observe", "export", "--plan", "1", "--format", "csv"],
    );
    for w in 0..WRITERS {
        for y in 2021..=2025 {
            let want = format!("i{},", w + 1);
            let value = format!("{}.{}", w + 1, y - 2000);
            assert!(
                csv.lines()
                    .any(|l| l.contains(&want) && l.contains(&value) && l.contains(&y.to_string())),
                "i{} {y} = {value} missing:\n{csv}",
                w + 1
            );
        }
    }
}

/// Mistakes said without any server: a library copied onto itself, a server that is not
/// there (the password is not repeated in the message).
#[test]
fn wrong_targets_and_unreachable_servers_are_said() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    ok(&data, None, &["list"]);
    let o = run(
        &data,
        None,
        &["migrate", "--to", &data.display().to_string()],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("names the library being copied"));
    let nowhere = format!(
        "postgresql://guihua:secret@/guihua?host={}",
        dir.path().join("no-server").display()
    );
    let o = run(&data, Some(&nowhere), &["list"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cannot connect to PostgreSQL"), "{err}");
    assert!(!err.contains("secret"), "{err}");
}
