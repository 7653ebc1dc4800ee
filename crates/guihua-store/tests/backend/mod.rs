//! The backends the store suite runs on: SQLite always, PostgreSQL when
//! `GUIHUA_TEST_POSTGRES` names a server (`postgresql://user@/db?host=/socket/dir`; CI
//! starts a throw-away one with scripts/pg-throwaway.sh). With `GUIHUA_REQUIRE_POSTGRES=1`
//! a missing server fails the suite instead of leaving PostgreSQL untested.
//!
//! Each run gets an empty library: a temporary directory (SQLite) or a new database
//! dropped afterwards (PostgreSQL).
#![allow(dead_code)]

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use guihua_store::SqlStore;

pub struct Backend {
    pub name: &'static str,
    /// A scratch directory (the SQLite file lives here; tests put other files here too).
    pub dir: tempfile::TempDir,
    pg: Option<PgDatabase>,
}

impl Backend {
    /// Open the library (again: a second `open` is another process's view of it).
    pub fn open(&self) -> SqlStore {
        match &self.pg {
            None => SqlStore::open_dir(self.dir.path()).unwrap(),
            Some(db) => SqlStore::connect(&db.url).unwrap(),
        }
    }
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
    pub fn is_postgres(&self) -> bool {
        self.pg.is_some()
    }
    /// Run SQL on the database behind the store's back (what a person with the database
    /// open in another tool could do); the error's text when it is refused.
    pub fn raw_execute(&self, sql: &str) -> Result<(), String> {
        match &self.pg {
            None => {
                let c = rusqlite::Connection::open(self.dir.path().join("guihua.sqlite"))
                    .map_err(|e| e.to_string())?;
                c.execute_batch(sql).map_err(|e| e.to_string())
            }
            Some(db) => {
                let mut c = postgres::Client::connect(&db.url, postgres::NoTls)
                    .map_err(|e| e.to_string())?;
                let sql = sql.replace("x'00'", "'\\x00'::bytea");
                c.batch_execute(&sql).map_err(|e| {
                    e.as_db_error()
                        .map(|d| d.message().to_string())
                        .unwrap_or_else(|| e.to_string())
                })
            }
        }
    }
}

/// The PostgreSQL server to test against, if any.
pub fn postgres_url() -> Option<String> {
    match std::env::var("GUIHUA_TEST_POSTGRES") {
        Ok(u) if !u.trim().is_empty() => Some(u),
        _ => {
            assert!(
                std::env::var("GUIHUA_REQUIRE_POSTGRES").ok().as_deref() != Some("1"),
                "GUIHUA_REQUIRE_POSTGRES=1 but GUIHUA_TEST_POSTGRES names no server"
            );
            None
        }
    }
}

/// Run `f` once on each backend.
pub fn each(mut f: impl FnMut(&Backend)) {
    let sqlite = Backend {
        name: "sqlite",
        dir: tempfile::tempdir().unwrap(),
        pg: None,
    };
    f(&sqlite);
    drop(sqlite);
    if let Some(url) = postgres_url() {
        let b = Backend {
            name: "postgres",
            dir: tempfile::tempdir().unwrap(),
            pg: Some(PgDatabase::new(&url)),
        };
        f(&b);
    }
}

/// A database of its own on the test server, dropped when done.
struct PgDatabase {
    admin: String,
    name: String,
    url: String,
}

impl PgDatabase {
    fn new(admin: &str) -> PgDatabase {
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "guihua_t{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let mut c = postgres::Client::connect(admin, postgres::NoTls)
            .unwrap_or_else(|e| panic!("GUIHUA_TEST_POSTGRES={admin}: {e}"));
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        PgDatabase {
            admin: admin.to_string(),
            url: guihua_store::with_database(admin, &name),
            name,
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}
