//! The SQLite backend.
//!
//! Why SQLite: the library lives on one official's machine or a department share; an
//! embedded file needs no server, and WAL lets `guihua backup` and readers run while an
//! import writes. Migrations are SQL files compiled in and applied in order, recorded in
//! `schema_version`, each in its own transaction.
//!
//! Many writers: every write transaction takes the write lock when it begins
//! (`BEGIN IMMEDIATE`), so a writer waits its turn (up to the busy timeout) instead of
//! failing when a read-then-write transaction cannot upgrade its lock; every check a write
//! depends on (is this file already here? is this plan already revised?) runs inside that
//! transaction, so what was checked is still true when the write commits.

use std::path::Path;

use guihua_model::{walk_outline, Plan, QuantityKind};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::OptionalExtension as _;
use rusqlite::{Connection, TransactionBehavior};

use crate::sql::{
    db_kind, insert_many, params, Db, DbError, DbErrorKind, OptionalExtension, Params, Row,
    ToValue, Tx, Value,
};

use crate::*;

/// Migrations in order; the index + 1 is the schema version.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_indexes.sql"),
    include_str!("../migrations/0003_one_revision.sql"),
    include_str!("../migrations/0004_users.sql"),
    include_str!("../migrations/0005_revisions.sql"),
    include_str!("../migrations/0006_more_revisions.sql"),
    include_str!("../migrations/0007_history_user.sql"),
    include_str!("../migrations/0008_web.sql"),
    include_str!("../migrations/0009_library_version.sql"),
    include_str!("../migrations/0010_api_tokens.sql"),
    include_str!("../migrations/0011_plan_texts.sql"),
    include_str!("../migrations/0012_revision_lookups.sql"),
    include_str!("../migrations/0013_remarks.sql"),
    include_str!("../migrations/0014_annual_targets.sql"),
    include_str!("../migrations/0015_version_once_per_transaction.sql"),
];

mod web;

/// How long a writer waits for another writer's transaction before giving up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Run `f` again while it fails with "database is busy/locked", up to the busy timeout.
fn retry_busy<T>(mut f: impl FnMut() -> Result<T>) -> Result<T> {
    let start = std::time::Instant::now();
    loop {
        match f() {
            Err(e) if start.elapsed() < BUSY_TIMEOUT && db_kind(&e) == Some(DbErrorKind::Busy) => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// Begin a write transaction holding the write lock from the start.
fn write_tx(conn: &mut Conn) -> Result<Tx<'_>> {
    Tx::begin(&**conn, true)
}

/// Begin a read transaction: its statements see one snapshot.
fn read_tx(conn: &mut Conn) -> Result<Tx<'_>> {
    Tx::begin(&**conn, false)
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        let kind = match &e {
            rusqlite::Error::QueryReturnedNoRows => DbErrorKind::NoRows,
            rusqlite::Error::SqliteFailure(f, _)
                if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
            {
                DbErrorKind::Unique
            }
            rusqlite::Error::SqliteFailure(f, _)
                if matches!(
                    f.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) =>
            {
                DbErrorKind::Busy
            }
            rusqlite::Error::InvalidColumnType(..)
            | rusqlite::Error::FromSqlConversionFailure(..) => DbErrorKind::Type,
            _ => DbErrorKind::Other,
        };
        DbError::store(kind, e.to_string())
    }
}

fn to_sqlite(v: &Value) -> rusqlite::types::Value {
    use rusqlite::types::Value as V;
    match v {
        Value::Null => V::Null,
        Value::Int(i) => V::Integer(*i),
        Value::Real(f) => V::Real(*f),
        Value::Text(s) => V::Text(s.clone()),
        Value::Blob(b) => V::Blob(b.clone()),
    }
}

fn from_sqlite(v: rusqlite::types::ValueRef<'_>) -> Value {
    use rusqlite::types::ValueRef as V;
    match v {
        V::Null => Value::Null,
        V::Integer(i) => Value::Int(i),
        V::Real(f) => Value::Real(f),
        V::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        V::Blob(b) => Value::Blob(b.to_vec()),
    }
}

/// SQLite under the store's SQL interface: every statement is prepared once per
/// connection (rusqlite's statement cache).
impl Db for Connection {
    fn run(&self, sql: &str, params: &[Value]) -> Result<usize> {
        let mut st = self.prepare_cached(sql)?;
        Ok(st.execute(rusqlite::params_from_iter(params.iter().map(to_sqlite)))?)
    }
    fn rows(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let mut st = self.prepare_cached(sql)?;
        let n = st.column_count();
        let mut rows = st.query(rusqlite::params_from_iter(params.iter().map(to_sqlite)))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut v = Vec::with_capacity(n);
            for i in 0..n {
                v.push(from_sqlite(r.get_ref(i)?));
            }
            out.push(Row(v));
        }
        Ok(out)
    }
    fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.execute_batch(sql)?)
    }
    fn last_id(&self) -> Result<i64> {
        Ok(self.last_insert_rowid())
    }
    fn begin(&self, write: bool) -> Result<()> {
        Ok(self.execute_batch(if write { "BEGIN IMMEDIATE" } else { "BEGIN" })?)
    }
}

/// A library in a SQL database: one SQLite file, or a PostgreSQL database shared by
/// several processes. Each process keeps a small pool of connections (r2d2): every read
/// runs on its own connection inside one read transaction, so it sees one snapshot even
/// while another connection writes; writes take turns ([`Db::begin`]).
pub struct SqlStore {
    pool: Pool,
    /// Restores of this process take turns (each is one write transaction anyway; this
    /// keeps their staging files and copies apart).
    restoring: std::sync::Mutex<()>,
}

enum Pool {
    Sqlite {
        pool: r2d2::Pool<SqliteConnectionManager>,
        /// The database file (restore keeps the library it replaces beside it).
        path: std::path::PathBuf,
    },
    Postgres(r2d2::Pool<crate::postgres::Manager>),
}

/// `url` without its password, for messages.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            match userinfo.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &userinfo[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// A connection lent by the pool, as the store's logic sees it.
pub(crate) type Conn = Box<dyn Db>;

/// At most this many connections per process (a web server's threads share them).
const POOL_SIZE: u32 = 8;

/// The settings every connection needs (they are per connection in SQLite).
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Every statement runs prepared and cached (`Db::run`); adding a plan uses some 30
    // distinct ones (a plan's rows go many to a statement, several sizes per table), more
    // than rusqlite's default cache of 16 keeps.
    conn.set_prepared_statement_cache_capacity(128);
    Ok(())
}

impl From<r2d2::Error> for StoreError {
    fn from(e: r2d2::Error) -> StoreError {
        StoreError::Db(Box::new(e))
    }
}

fn now(conn: &dyn Db) -> Result<String> {
    conn.query_row("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')", [], |r| {
        r.get(0)
    })
}

#[allow(clippy::too_many_arguments)]
fn hist(
    tx: &dyn Db,
    at: &str,
    actor: &Actor,
    plan_id: Option<PlanId>,
    tbl: &str,
    subject: Option<&str>,
    key: &str,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<()> {
    tx.prepare_cached(crate::sql::HISTORY_INSERT)?
        .execute(params![
            at,
            actor.who,
            plan_id,
            tbl,
            subject,
            key,
            field,
            old,
            new,
            actor.why,
            actor.user_id
        ])?;
    Ok(())
}

fn kind_of(s: &str) -> SubjectKind {
    SubjectKind::parse(s).unwrap_or(SubjectKind::Indicator)
}

fn opt_num(v: Option<f64>) -> Option<String> {
    v.map(fmt_num)
}

impl SqlStore {
    /// Open (creating if needed) the library in `dir` (file `guihua.sqlite`).
    pub fn open_dir(dir: &Path) -> Result<SqlStore> {
        std::fs::create_dir_all(dir)?;
        SqlStore::open(&dir.join("guihua.sqlite"))
    }

    /// Open (creating if needed) a library file and bring its schema up to date.
    pub fn open(path: &Path) -> Result<SqlStore> {
        let conn = Connection::open(path)?;
        configure(&conn)?;
        // Switching a new file to WAL needs the file to itself; SQLite may report "busy"
        // without calling the busy handler while another process creates the same new
        // library. Retry such steps within the busy timeout.
        retry_busy(|| Ok(conn.pragma_update(None, "journal_mode", "WAL")?))?;
        retry_busy(|| migrate(&conn, MIGRATIONS))?;
        drop(conn);
        let manager = SqliteConnectionManager::file(path).with_init(|c| configure(c));
        let pool = r2d2::Pool::builder()
            .max_size(POOL_SIZE)
            .min_idle(Some(0))
            .connection_timeout(BUSY_TIMEOUT)
            .build(manager)?;
        Ok(SqlStore {
            pool: Pool::Sqlite {
                pool,
                path: path.to_path_buf(),
            },
            restoring: std::sync::Mutex::new(()),
        })
    }

    /// Connect to a library in a PostgreSQL database (`postgres://user@host/db`, or
    /// `postgresql:///db?host=/run/postgresql` for a local socket) and bring its schema up
    /// to date. The database must exist; its tables are created on first use.
    pub fn connect(url: &str) -> Result<SqlStore> {
        use r2d2::ManageConnection;
        let manager = crate::postgres::Manager::new(url)?;
        // One connection first: a wrong address or password is said at once, not after
        // the pool's timeout.
        let first = manager.connect().map_err(|e| {
            StoreError::Invalid(format!(
                "cannot connect to PostgreSQL at {}: {}",
                redact(url),
                StoreError::from(e)
            ))
        })?;
        // Two processes creating the same new library: one of them may lose the race to
        // create the version table; trying again finds it.
        let mut tries = 0;
        loop {
            match migrate(&first, crate::postgres::MIGRATIONS) {
                Err(e) if tries < 3 && db_kind(&e).is_some_and(|k| k != DbErrorKind::Other) => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                other => break other?,
            }
        }
        drop(first);
        let pool = r2d2::Pool::builder()
            .max_size(POOL_SIZE)
            .min_idle(Some(0))
            .connection_timeout(BUSY_TIMEOUT)
            .build(manager)?;
        Ok(SqlStore {
            pool: Pool::Postgres(pool),
            restoring: std::sync::Mutex::new(()),
        })
    }

    /// "postgres" or "sqlite".
    pub fn backend(&self) -> &'static str {
        match self.pool {
            Pool::Sqlite { .. } => "sqlite",
            Pool::Postgres(_) => "postgres",
        }
    }

    /// A connection from the pool (waits up to the busy timeout when all are lent).
    pub(crate) fn conn(&self) -> Result<Conn> {
        Ok(match &self.pool {
            Pool::Sqlite { pool, .. } => Box::new(pool.get()?),
            Pool::Postgres(pool) => Box::new(pool.get()?),
        })
    }

    /// A SQLite connection itself (backup and restore work on the file).
    fn raw(&self) -> Result<(r2d2::PooledConnection<SqliteConnectionManager>, &Path)> {
        match &self.pool {
            Pool::Sqlite { pool, path } => Ok((pool.get()?, path)),
            Pool::Postgres(_) => Err(StoreError::Invalid(
                "a library in PostgreSQL is backed up and restored with PostgreSQL's own tools \
                 (pg_dump, pg_restore), or copied with guihua migrate"
                    .into(),
            )),
        }
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        schema_version(&*self.conn()?)
    }
}

fn schema_version(conn: &dyn Db) -> Result<i64> {
    conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_version",
        [],
        |r| r.get(0),
    )
}

fn migrate(conn: &dyn Db, migrations: &[&str]) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
    )?;
    let current = schema_version(conn)?;
    if current > migrations.len() as i64 {
        return Err(StoreError::Invalid(format!(
            "the library has schema version {current}, newer than this guihua ({}); upgrade guihua",
            migrations.len()
        )));
    }
    for (i, sql) in migrations.iter().enumerate().skip(current as usize) {
        let tx = Tx::begin(conn, true)?;
        // Another process may have applied it while this one waited for the lock.
        if schema_version(&tx)? > i as i64 {
            continue;
        }
        tx.execute_batch(sql).map_err(|e| {
            if db_kind(&e) == Some(DbErrorKind::Unique) {
                StoreError::Invalid(format!(
                    "cannot upgrade the library to schema version {}: it holds data the new \
                     version forbids ({e}); see ARCHITECTURE.md, store migrations",
                    i + 1
                ))
            } else {
                e
            }
        })?;
        tx.execute(
            "INSERT INTO schema_version (version, applied_at) VALUES (?1, strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
            [i as i64 + 1],
        )?;
        tx.commit()?;
    }
    Ok(())
}

/// Plans (not deleted) matching an SQL condition on `p`.
fn plan_rows(conn: &dyn Db, filter: &str, args: &[&dyn ToValue]) -> Result<Vec<PlanRow>> {
    let sql = format!(
        "SELECT p.id, p.region, p.title, p.period_start, p.period_end, p.sha256, p.file,
                    p.version, p.previous_id,
                    (SELECT n.id FROM plans n WHERE n.previous_id = p.id AND n.deleted_at IS NULL),
                    p.added_at, p.added_by,
                    (SELECT COUNT(*) FROM indicators i WHERE i.plan_id = p.id),
                    (SELECT COUNT(*) FROM targets t WHERE t.plan_id = p.id),
                    (SELECT COUNT(*) FROM projects j WHERE j.plan_id = p.id)
             FROM plans p WHERE p.deleted_at IS NULL {filter} ORDER BY p.id"
    );
    let mut st = conn.prepare(&sql)?;
    let rows = st.query_map(args, |r| {
        let ps: Option<i32> = r.get(3)?;
        let pe: Option<i32> = r.get(4)?;
        Ok(PlanRow {
            id: r.get(0)?,
            region: r.get(1)?,
            title: r.get(2)?,
            period: ps.zip(pe),
            sha256: r.get(5)?,
            file: r.get(6)?,
            version: r.get(7)?,
            previous_id: r.get(8)?,
            next_id: r.get(9)?,
            added_at: r.get(10)?,
            added_by: r.get(11)?,
            indicators: r.get(12)?,
            targets: r.get(13)?,
            projects: r.get(14)?,
        })
    })?;
    rows.collect::<std::result::Result<_, _>>()
}

fn require_plan(conn: &dyn Db, id: PlanId) -> Result<PlanRow> {
    plan_rows(conn, "AND p.id = ?1", &[&id])?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::NotFound(format!("no plan with id {id}")))
}

fn insert_plan_rows(tx: &dyn Db, id: PlanId, plan: &Plan, links: &[NewLink]) -> Result<()> {
    {
        let mut rows = Vec::new();
        for (ord, n) in walk_outline(&plan.outline).into_iter().enumerate() {
            let depth = n.id.matches('/').count() as i64;
            rows.extend(
                params![id, n.id, ord as i64, n.level.zh(), n.number, n.title, depth].values(),
            );
        }
        insert_many(
            tx,
            "INSERT INTO outline (plan_id, local_id, ord, level, number, title, depth) VALUES",
            &rows,
        )?;
    }
    {
        let mut rows = Vec::new();
        for (ord, i) in plan.indicators.iter().enumerate() {
            let level = |q: &guihua_model::Quantity| match q.kind {
                QuantityKind::Level => q.value,
                _ => None,
            };
            rows.extend(
                params![
                    id,
                    i.id,
                    ord as i64,
                    i.seq,
                    i.category,
                    i.name,
                    i.unit,
                    i.attribute.map(|a| a.zh()),
                    i.base.text,
                    level(&i.base),
                    i.target.text,
                    level(&i.target),
                    i.pace.text,
                    i.parent,
                ]
                .values(),
            );
        }
        insert_many(
            tx,
            "INSERT INTO indicators (plan_id, local_id, ord, seq, category, name, unit, attribute,
                 base_text, base_value, target_text, target_value, pace_text, parent) VALUES",
            &rows,
        )?;
        let mut rows = Vec::new();
        for l in links {
            rows.extend(
                params![id, l.indicator, l.catalog_id, l.confidence, l.reason, 0i64].values(),
            );
        }
        insert_many(
            tx,
            "INSERT INTO indicator_links (plan_id, indicator_id, catalog_id, confidence, reason, manual)
             VALUES",
            &rows,
        )?;
    }
    {
        let mut rows = Vec::new();
        for (ord, t) in plan.targets.iter().enumerate() {
            let q = &t.quantity;
            rows.extend(
                params![
                    id,
                    t.id,
                    ord as i64,
                    t.subject,
                    q.text,
                    guihua_contract::kind_name(q.kind),
                    q.value,
                    q.unit,
                    q.year,
                    t.section,
                ]
                .values(),
            );
        }
        insert_many(
            tx,
            "INSERT INTO targets (plan_id, local_id, ord, subject, text, kind, value, unit, year, section)
             VALUES",
            &rows,
        )?;
    }
    {
        let mut rows = Vec::new();
        for (ord, j) in plan.projects.iter().enumerate() {
            rows.extend(
                params![
                    id,
                    j.id,
                    ord as i64,
                    j.name,
                    j.group,
                    j.box_id,
                    j.section,
                    j.investment.as_ref().map(|m| m.value),
                    j.investment.as_ref().map(|m| m.unit.as_str()),
                    j.text,
                ]
                .values(),
            );
        }
        insert_many(
            tx,
            "INSERT INTO projects (plan_id, local_id, ord, name, grp, box_id, section, investment,
                 investment_unit, text) VALUES",
            &rows,
        )?;
    }
    Ok(())
}

/// A new version inherits what people decided about the old one — manual catalogue links
/// and department assignments — for the subjects the rules paired ([`Carried`]: still
/// there under the same name, though ids may shift when a revision inserts a row).
/// Observations are copied too, so the new version shows the whole period; the originals
/// stay with the version they were reported against.
fn carry_over(
    tx: &dyn Db,
    prev: PlanId,
    new: PlanId,
    pairs: &[Carried],
    at: &str,
    actor: &Actor,
) -> Result<()> {
    let mut link = tx.prepare_cached(
        "INSERT INTO indicator_links
             (plan_id, indicator_id, catalog_id, confidence, reason, manual)
         SELECT ?2, ?4, l.catalog_id, l.confidence, l.reason, 1
         FROM indicator_links l
         WHERE l.plan_id = ?1 AND l.indicator_id = ?3 AND l.manual = 1
         ON CONFLICT (plan_id, indicator_id) DO UPDATE SET catalog_id = excluded.catalog_id,
             confidence = excluded.confidence, reason = excluded.reason, manual = 1",
    )?;
    let mut assign = tx.prepare_cached(
        "INSERT INTO assignments (plan_id, subject_kind, subject_id, department_id,
             role, assigned_by, assigned_at)
         SELECT ?2, a.subject_kind, ?4, a.department_id, a.role, ?6, ?7
         FROM assignments a
         WHERE a.plan_id = ?1 AND a.subject_kind = ?5 AND a.subject_id = ?3
           AND a.deleted_at IS NULL
         ON CONFLICT DO NOTHING",
    )?;
    // Each copy keeps who entered it and when.
    let mut observe = tx.prepare_cached(
        "INSERT INTO observations (plan_id, subject_kind, subject_id, year, value,
             source, note, entered_by, entered_at)
         SELECT ?2, x.subject_kind, ?4, x.year, x.value, x.source, x.note,
                x.entered_by, x.entered_at
         FROM observations x
         WHERE x.plan_id = ?1 AND x.subject_kind = ?5 AND x.subject_id = ?3
           AND x.deleted_at IS NULL
         ON CONFLICT DO NOTHING",
    )?;
    let (mut carried, mut observed) = (0, 0);
    for c in pairs {
        let kind = c.kind.as_str();
        if c.kind == SubjectKind::Indicator {
            link.execute(params![prev, new, c.from, c.to])?;
        }
        carried += assign.execute(params![prev, new, c.from, c.to, kind, actor.who, at])?;
        if matches!(c.kind, SubjectKind::Indicator | SubjectKind::Target) {
            observed += observe.execute(params![prev, new, c.from, c.to, kind])?;
        }
    }
    if observed > 0 {
        hist(
            tx,
            at,
            actor,
            Some(new),
            "observations",
            None,
            &new.to_string(),
            "carried_over_from",
            None,
            Some(&format!("plan {prev}: {observed} observations")),
        )?;
    }
    if carried > 0 {
        hist(
            tx,
            at,
            actor,
            Some(new),
            "assignments",
            None,
            &new.to_string(),
            "carried_over_from",
            None,
            Some(&format!("plan {prev}: {carried} assignments")),
        )?;
    }
    Ok(())
}

/// Does a plan have a subject with this local id?
fn subject_exists(tx: &dyn Db, plan: PlanId, kind: SubjectKind, id: &str) -> Result<bool> {
    let sql = match kind {
        SubjectKind::Indicator => "SELECT 1 FROM indicators WHERE plan_id = ?1 AND local_id = ?2",
        SubjectKind::Target => "SELECT 1 FROM targets WHERE plan_id = ?1 AND local_id = ?2",
        SubjectKind::Project => "SELECT 1 FROM projects WHERE plan_id = ?1 AND local_id = ?2",
        SubjectKind::Chapter => "SELECT 1 FROM outline WHERE plan_id = ?1 AND local_id = ?2",
    };
    Ok(tx
        .prepare_cached(sql)?
        .query_row(params![plan, id], |_| Ok(()))
        .optional()?
        .is_some())
}

fn require_subject(tx: &dyn Db, plan: PlanId, kind: SubjectKind, id: &str) -> Result<()> {
    if subject_exists(tx, plan, kind, id)? {
        Ok(())
    } else {
        Err(StoreError::NotFound(format!(
            "plan {plan} has no {kind} {id}"
        )))
    }
}

fn department_id(tx: &dyn Db, name: &str, at: &str, actor: &Actor) -> Result<i64> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::Invalid("empty department name".into()));
    }
    if let Some(id) = tx
        .prepare_cached("SELECT id FROM departments WHERE name = ?1")?
        .query_row([name], |r| r.get::<i64>(0))
        .optional()?
    {
        return Ok(id);
    }
    tx.prepare_cached("INSERT INTO departments (name, added_at, added_by) VALUES (?1, ?2, ?3)")?
        .execute(params![name, at, actor.who])?;
    let id = tx.last_insert_rowid()?;
    hist(
        tx,
        at,
        actor,
        None,
        "departments",
        None,
        name,
        "name",
        None,
        Some(name),
    )?;
    Ok(id)
}

/// Subjects found to exist earlier in one write transaction: an import names each
/// indicator once per year, and no change deletes a subject, so each is looked up once.
#[derive(Default)]
pub(crate) struct Known(std::collections::HashSet<(PlanId, SubjectKind, String)>);

impl Known {
    fn require(&mut self, tx: &dyn Db, plan: PlanId, kind: SubjectKind, id: &str) -> Result<()> {
        let key = (plan, kind, id.to_string());
        if !self.0.contains(&key) {
            require_subject(tx, plan, kind, id)?;
            self.0.insert(key);
        }
        Ok(())
    }
}

fn apply_one(
    tx: &dyn Db,
    c: &Change,
    at: &str,
    actor: &Actor,
    out: &mut Applied,
    known: &mut Known,
) -> Result<()> {
    match c {
        Change::Observe {
            plan_id,
            kind,
            subject_id,
            year,
            value,
            source,
            note,
            expected_revision,
        } => {
            if !matches!(kind, SubjectKind::Indicator | SubjectKind::Target) {
                return Err(StoreError::Invalid(format!(
                    "observations are for indicators and targets, not {kind}"
                )));
            }
            if !value.is_finite() {
                return Err(StoreError::Invalid(format!("{value} is not a number")));
            }
            known.require(tx, *plan_id, *kind, subject_id)?;
            let subject = format!("{kind}:{subject_id}");
            let key = format!("{subject}:{year}");
            let existing = tx
                .prepare_cached(
                    "SELECT id, value, source, note, revision, entered_by, entered_at FROM observations
                     WHERE plan_id = ?1 AND subject_kind = ?2 AND subject_id = ?3 AND year = ?4
                       AND deleted_at IS NULL",
                )?
                .query_row(params![plan_id, kind.as_str(), subject_id, year], |r| {
                    Ok((
                        r.get::<i64>(0)?,
                        r.get::<f64>(1)?,
                        r.get::<Option<String>>(2)?,
                        r.get::<Option<String>>(3)?,
                        r.get::<i64>(4)?,
                        r.get::<String>(5)?,
                        r.get::<String>(6)?,
                    ))
                })
                .optional()?;
            if let Some(expected) = expected_revision {
                let current = existing.as_ref().map_or(0, |e| e.4);
                if current != *expected {
                    return Err(StoreError::Conflict(match &existing {
                        Some(e) => format!(
                            "{subject} {year} was changed by {} at {} (now {}, revision {current}) since it was read (revision {expected}); look at it again",
                            e.5,
                            e.6,
                            fmt_num(e.1)
                        ),
                        None => format!(
                            "{subject} {year} was removed since it was read (revision {expected})"
                        ),
                    }));
                }
            }
            let existing = existing.map(|e| (e.0, e.1, e.2, e.3));
            match existing {
                None => {
                    tx.prepare_cached(
                        // A value entered again after a removal continues the revisions
                        // of the removed one: a form that read the removed value's revision
                        // must not match the new value's.
                        "INSERT INTO observations (plan_id, subject_kind, subject_id, year, value,
                             source, note, entered_by, entered_at, revision)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
                             1 + (SELECT COALESCE(MAX(revision), 0) FROM observations
                                  WHERE plan_id = ?1 AND subject_kind = ?2 AND subject_id = ?3
                                    AND year = ?4))",
                    )?
                    .execute(params![
                        plan_id,
                        kind.as_str(),
                        subject_id,
                        year,
                        value,
                        source,
                        note,
                        actor.who,
                        at
                    ])?;
                    let h = |f: &str, v: Option<String>| {
                        hist(
                            tx,
                            at,
                            actor,
                            Some(*plan_id),
                            "observations",
                            Some(&subject),
                            &key,
                            f,
                            None,
                            v.as_deref(),
                        )
                    };
                    h("value", Some(fmt_num(*value)))?;
                    if source.is_some() {
                        h("source", source.clone())?;
                    }
                    if note.is_some() {
                        h("note", note.clone())?;
                    }
                    out.inserted += 1;
                }
                Some((row, old_value, old_source, old_note)) => {
                    let mut changed = false;
                    if old_value != *value {
                        hist(
                            tx,
                            at,
                            actor,
                            Some(*plan_id),
                            "observations",
                            Some(&subject),
                            &key,
                            "value",
                            Some(&fmt_num(old_value)),
                            Some(&fmt_num(*value)),
                        )?;
                        changed = true;
                    }
                    if old_source != *source {
                        hist(
                            tx,
                            at,
                            actor,
                            Some(*plan_id),
                            "observations",
                            Some(&subject),
                            &key,
                            "source",
                            old_source.as_deref(),
                            source.as_deref(),
                        )?;
                        changed = true;
                    }
                    if old_note != *note {
                        hist(
                            tx,
                            at,
                            actor,
                            Some(*plan_id),
                            "observations",
                            Some(&subject),
                            &key,
                            "note",
                            old_note.as_deref(),
                            note.as_deref(),
                        )?;
                        changed = true;
                    }
                    if changed {
                        tx.prepare_cached(
                            "UPDATE observations SET value = ?2, source = ?3, note = ?4,
                                 entered_by = ?5, entered_at = ?6, revision = revision + 1
                             WHERE id = ?1",
                        )?
                        .execute(params![row, value, source, note, actor.who, at])?;
                        out.updated += 1;
                    } else {
                        out.unchanged += 1;
                    }
                }
            }
        }
        Change::Unobserve {
            plan_id,
            kind,
            subject_id,
            year,
            expected_revision,
        } => {
            let subject = format!("{kind}:{subject_id}");
            let key = format!("{subject}:{year}");
            let old = tx
                .prepare_cached(
                    "SELECT id, value, revision, entered_by, entered_at FROM observations
                     WHERE plan_id = ?1 AND subject_kind = ?2
                       AND subject_id = ?3 AND year = ?4 AND deleted_at IS NULL",
                )?
                .query_row(params![plan_id, kind.as_str(), subject_id, year], |r| {
                    Ok((
                        r.get::<i64>(0)?,
                        r.get::<f64>(1)?,
                        r.get::<i64>(2)?,
                        r.get::<String>(3)?,
                        r.get::<String>(4)?,
                    ))
                })
                .optional()?;
            if expected_revision.is_some_and(|e| e > 0) || old.is_some() {
                check_revision(
                    &format!("{subject} {year}"),
                    *expected_revision,
                    old.as_ref().map(|o| (o.2, o.3.as_str(), o.4.as_str())),
                )?;
            }
            let old = old.ok_or_else(|| {
                StoreError::NotFound(format!("no value for {key} in plan {plan_id}"))
            })?;
            tx.prepare_cached("UPDATE observations SET deleted_at = ?2 WHERE id = ?1")?
                .execute(params![old.0, at])?;
            hist(
                tx,
                at,
                actor,
                Some(*plan_id),
                "observations",
                Some(&subject),
                &key,
                "value",
                Some(&fmt_num(old.1)),
                None,
            )?;
            out.deleted += 1;
        }
        Change::Assign {
            plan_id,
            kind,
            subject_id,
            department,
            role,
            expected_revision,
        } => {
            known.require(tx, *plan_id, *kind, subject_id)?;
            let dep = department_id(tx, department, at, actor)?;
            let subject = format!("{kind}:{subject_id}");
            let key = format!("{subject}:{}", department.trim());
            let old = tx
                .prepare_cached(
                    "SELECT id, role, revision, assigned_by, assigned_at FROM assignments
                     WHERE plan_id = ?1 AND subject_kind = ?2
                       AND subject_id = ?3 AND department_id = ?4 AND deleted_at IS NULL",
                )?
                .query_row(params![plan_id, kind.as_str(), subject_id, dep], |r| {
                    Ok((
                        r.get::<i64>(0)?,
                        r.get::<String>(1)?,
                        r.get::<i64>(2)?,
                        r.get::<String>(3)?,
                        r.get::<String>(4)?,
                    ))
                })
                .optional()?;
            check_revision(
                &format!("the assignment of {subject} to {}", department.trim()),
                *expected_revision,
                old.as_ref().map(|o| (o.2, o.3.as_str(), o.4.as_str())),
            )?;
            let old = old.map(|o| (o.0, o.1));
            match old {
                Some((_, r)) if r == role.as_str() => out.unchanged += 1,
                Some((row, r)) => {
                    tx.prepare_cached("UPDATE assignments SET role = ?2, assigned_by = ?3, assigned_at = ?4, revision = revision + 1 WHERE id = ?1")?
                        .execute(params![row, role.as_str(), actor.who, at])?;
                    hist(
                        tx,
                        at,
                        actor,
                        Some(*plan_id),
                        "assignments",
                        Some(&subject),
                        &key,
                        "role",
                        Some(&r),
                        Some(role.as_str()),
                    )?;
                    out.updated += 1;
                }
                None => {
                    tx.prepare_cached(
                        "INSERT INTO assignments (plan_id, subject_kind, subject_id, department_id,
                             role, assigned_by, assigned_at, revision)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,
                             1 + (SELECT COALESCE(MAX(revision), 0) FROM assignments
                                  WHERE plan_id = ?1 AND subject_kind = ?2 AND subject_id = ?3
                                    AND department_id = ?4))",
                    )?
                    .execute(params![
                        plan_id,
                        kind.as_str(),
                        subject_id,
                        dep,
                        role.as_str(),
                        actor.who,
                        at
                    ])?;
                    hist(
                        tx,
                        at,
                        actor,
                        Some(*plan_id),
                        "assignments",
                        Some(&subject),
                        &key,
                        "role",
                        None,
                        Some(role.as_str()),
                    )?;
                    out.inserted += 1;
                }
            }
        }
        Change::Unassign {
            plan_id,
            kind,
            subject_id,
            department,
            expected_revision,
        } => {
            let subject = format!("{kind}:{subject_id}");
            let key = format!("{subject}:{}", department.trim());
            let old = tx
                .prepare_cached(
                    "SELECT a.id, a.role, a.revision, a.assigned_by, a.assigned_at
                     FROM assignments a JOIN departments d ON d.id = a.department_id
                     WHERE a.plan_id = ?1 AND a.subject_kind = ?2 AND a.subject_id = ?3
                       AND d.name = ?4 AND a.deleted_at IS NULL",
                )?
                .query_row(
                    params![plan_id, kind.as_str(), subject_id, department.trim()],
                    |r| {
                        Ok((
                            r.get::<i64>(0)?,
                            r.get::<String>(1)?,
                            r.get::<i64>(2)?,
                            r.get::<String>(3)?,
                            r.get::<String>(4)?,
                        ))
                    },
                )
                .optional()?;
            if expected_revision.is_some_and(|e| e > 0) || old.is_some() {
                check_revision(
                    &format!("the assignment of {subject} to {}", department.trim()),
                    *expected_revision,
                    old.as_ref().map(|o| (o.2, o.3.as_str(), o.4.as_str())),
                )?;
            }
            let old = old
                .map(|o| (o.0, o.1))
                .ok_or_else(|| StoreError::NotFound(format!("no assignment {key}")))?;
            tx.prepare_cached("UPDATE assignments SET deleted_at = ?2 WHERE id = ?1")?
                .execute(params![old.0, at])?;
            hist(
                tx,
                at,
                actor,
                Some(*plan_id),
                "assignments",
                Some(&subject),
                &key,
                "role",
                Some(&old.1),
                None,
            )?;
            out.deleted += 1;
        }
        Change::ProjectStatus {
            status: s,
            expected_revision,
        } => {
            known.require(tx, s.plan_id, SubjectKind::Project, &s.project_id)?;
            if !PROJECT_STATUSES.contains(&s.status.as_str()) {
                return Err(StoreError::Invalid(format!(
                    "status {} is not one of {}",
                    s.status,
                    PROJECT_STATUSES.join("/")
                )));
            }
            let subject = format!("project:{}", s.project_id);
            let key = format!("{subject}:{}", s.year);
            let old = tx
                .prepare_cached(
                    "SELECT id, status, planned_investment, completed_investment, milestone,
                            revision, entered_by, entered_at
                     FROM project_status WHERE plan_id = ?1 AND project_id = ?2 AND year = ?3
                       AND deleted_at IS NULL",
                )?
                .query_row(params![s.plan_id, s.project_id, s.year], |r| {
                    Ok((
                        (
                            r.get::<i64>(0)?,
                            r.get::<String>(1)?,
                            r.get::<Option<f64>>(2)?,
                            r.get::<Option<f64>>(3)?,
                            r.get::<Option<String>>(4)?,
                        ),
                        (r.get::<i64>(5)?, r.get::<String>(6)?, r.get::<String>(7)?),
                    ))
                })
                .optional()?;
            check_revision(
                &format!("the status of {subject} in {}", s.year),
                *expected_revision,
                old.as_ref().map(|(_, w)| (w.0, w.1.as_str(), w.2.as_str())),
            )?;
            let old = old.map(|(o, _)| o);
            let fields_new = [
                ("status", Some(s.status.clone())),
                ("planned_investment", opt_num(s.planned_investment)),
                ("completed_investment", opt_num(s.completed_investment)),
                ("milestone", s.milestone.clone()),
            ];
            let fields_old: [(&str, Option<String>); 4] = match &old {
                Some((_, st, p, c, m)) => [
                    ("status", Some(st.clone())),
                    ("planned_investment", opt_num(*p)),
                    ("completed_investment", opt_num(*c)),
                    ("milestone", m.clone()),
                ],
                None => [
                    ("status", None),
                    ("planned_investment", None),
                    ("completed_investment", None),
                    ("milestone", None),
                ],
            };
            let mut changed = false;
            for ((f, n), (_, o)) in fields_new.iter().zip(fields_old.iter()) {
                if n != o {
                    hist(
                        tx,
                        at,
                        actor,
                        Some(s.plan_id),
                        "project_status",
                        Some(&subject),
                        &key,
                        f,
                        o.as_deref(),
                        n.as_deref(),
                    )?;
                    changed = true;
                }
            }
            match old {
                None => {
                    tx.prepare_cached(
                        "INSERT INTO project_status (plan_id, project_id, year, status,
                             planned_investment, completed_investment, milestone, entered_by,
                             entered_at, revision)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
                             1 + (SELECT COALESCE(MAX(revision), 0) FROM project_status
                                  WHERE plan_id = ?1 AND project_id = ?2 AND year = ?3))",
                    )?
                    .execute(params![
                        s.plan_id,
                        s.project_id,
                        s.year,
                        s.status,
                        s.planned_investment,
                        s.completed_investment,
                        s.milestone,
                        actor.who,
                        at
                    ])?;
                    out.inserted += 1;
                }
                Some((row, ..)) if changed => {
                    tx.prepare_cached(
                        "UPDATE project_status SET status = ?2, planned_investment = ?3,
                             completed_investment = ?4, milestone = ?5, entered_by = ?6, entered_at = ?7,
                             revision = revision + 1
                         WHERE id = ?1",
                    )?
                    .execute(params![
                        row, s.status, s.planned_investment, s.completed_investment, s.milestone,
                        actor.who, at
                    ])?;
                    out.updated += 1;
                }
                Some(_) => out.unchanged += 1,
            }
        }
    }
    Ok(())
}

impl Store for SqlStore {
    fn set_published(&self, plan: PlanId, published: bool, actor: &Actor) -> Result<bool> {
        web::set_published(self, plan, published, actor)
    }
    fn published_plans(&self) -> Result<Vec<PlanId>> {
        web::published_plans(self)
    }
    fn content_version(&self) -> Result<i64> {
        web::content_version(self)
    }
    fn add_remark(
        &self,
        plan: PlanId,
        release: Option<i64>,
        body: &str,
        actor: &Actor,
    ) -> Result<i64> {
        web::add_remark(self, plan, release, body, actor)
    }
    fn remarks(&self, plan: PlanId) -> Result<Vec<Remark>> {
        web::remarks(self, plan)
    }
    fn set_annual_target(&self, t: &AnnualTarget, actor: &Actor) -> Result<bool> {
        web::set_annual_target(self, t, actor)
    }
    fn remove_annual_target(
        &self,
        plan: PlanId,
        indicator: &str,
        year: i32,
        actor: &Actor,
    ) -> Result<bool> {
        web::remove_annual_target(self, plan, indicator, year, actor)
    }
    fn annual_targets(&self, plan: PlanId) -> Result<Vec<AnnualTarget>> {
        web::annual_targets(self, plan)
    }
    fn has_plan_text(&self, plan: PlanId) -> Result<bool> {
        web::has_plan_text(self, plan)
    }
    fn set_plan_text(&self, plan: PlanId, lines: &[String]) -> Result<()> {
        web::set_plan_text(self, plan, lines)
    }
    fn plan_text(&self, plan: PlanId) -> Result<Option<Vec<String>>> {
        web::plan_text(self, plan)
    }
    fn add_api_token(
        &self,
        user_id: i64,
        token_hash: &str,
        label: &str,
        actor: &Actor,
    ) -> Result<i64> {
        web::add_api_token(self, user_id, token_hash, label, actor)
    }
    fn api_token_user(&self, token_hash: &str) -> Result<Option<i64>> {
        web::api_token_user(self, token_hash)
    }
    fn api_tokens(&self) -> Result<Vec<ApiToken>> {
        web::api_tokens(self)
    }
    fn revoke_api_token(&self, id: i64, actor: &Actor) -> Result<bool> {
        web::revoke_api_token(self, id, actor)
    }
    fn add_release(&self, release: &NewRelease, actor: &Actor) -> Result<i64> {
        web::add_release(self, release, actor)
    }
    fn releases(&self, plan: PlanId) -> Result<Vec<Release>> {
        web::releases(self, plan)
    }
    fn release_part(&self, id: i64, part: ReleasePart) -> Result<(Release, Vec<u8>)> {
        web::release_part(self, id, part)
    }
    fn set_release_published(&self, id: i64, published: bool, actor: &Actor) -> Result<()> {
        web::set_release_published(self, id, published, actor)
    }
    fn add_session(&self, token_hash: &str, user_id: i64, csrf: &str, ttl: i64) -> Result<()> {
        web::add_session(self, token_hash, user_id, csrf, ttl)
    }
    fn session(&self, token_hash: &str) -> Result<Option<SessionRow>> {
        web::session(self, token_hash)
    }
    fn end_session(&self, token_hash: &str) -> Result<()> {
        web::end_session(self, token_hash)
    }
    fn add_comment(&self, comment: &NewComment, per_hour: u32) -> Result<i64> {
        web::add_comment(self, comment, per_hour)
    }
    fn comments(
        &self,
        plan: Option<PlanId>,
        state: Option<CommentState>,
    ) -> Result<Vec<CommentRow>> {
        web::comments(self, plan, state)
    }
    fn moderate(&self, id: i64, publish: bool, reason: Option<&str>, actor: &Actor) -> Result<()> {
        web::moderate(self, id, publish, reason, actor)
    }
    fn rate(&self, plan: PlanId, rating: Rating, address: &str) -> Result<bool> {
        web::rate(self, plan, rating, address)
    }
    fn ratings(&self, plan: PlanId) -> Result<RatingCounts> {
        web::ratings(self, plan)
    }
    fn open_round(
        &self,
        plan: PlanId,
        year: i32,
        deadline: &str,
        departments: &[String],
        actor: &Actor,
    ) -> Result<i64> {
        web::open_round(self, plan, year, deadline, departments, actor)
    }
    fn rounds(&self, plan: Option<PlanId>) -> Result<Vec<RoundRow>> {
        web::rounds(self, plan)
    }
    fn close_round(&self, id: i64, actor: &Actor) -> Result<()> {
        web::close_round(self, id, actor)
    }
    fn submissions(&self, round: i64) -> Result<Vec<Submission>> {
        web::submissions(self, round)
    }
    fn save_items(
        &self,
        submission: i64,
        items: &[SubmissionItem],
        expected_revision: i64,
        actor: &Actor,
    ) -> Result<i64> {
        web::save_items(self, submission, items, expected_revision, actor)
    }
    fn submit(&self, submission: i64, expected_revision: i64, actor: &Actor) -> Result<()> {
        web::submit(self, submission, expected_revision, actor)
    }
    fn decide(
        &self,
        submission: i64,
        approve: bool,
        note: Option<&str>,
        expected_revision: i64,
        actor: &Actor,
    ) -> Result<Applied> {
        web::decide(self, submission, approve, note, expected_revision, actor)
    }

    fn insert_plan(&self, new: &NewPlan, actor: &Actor) -> Result<Added> {
        let (plan, source, revises) = (new.plan, new.source, new.revises);
        let mut conn = self.conn()?;
        let at = now(&conn)?;
        // One write transaction from the first check to the last row: two processes adding
        // the same file, or revising the same plan, take turns and the second sees the
        // first's plan.
        let tx = write_tx(&mut conn)?;
        if let Some((id, deleted)) = tx
            .query_row(
                "SELECT id, deleted_at FROM plans WHERE sha256 = ?1",
                [&source.sha256],
                |r| Ok((r.get::<i64>(0)?, r.get::<Option<String>>(1)?)),
            )
            .optional()?
        {
            let Some(deleted) = deleted else {
                return Ok(Added::Duplicate { id });
            };
            tx.execute("UPDATE plans SET deleted_at = NULL WHERE id = ?1", [id])
                .map_err(|e| {
                    if db_kind(&e) == Some(DbErrorKind::Unique) {
                        StoreError::Conflict(format!(
                            "plan {id} cannot come back: the plan it revised has been revised \
                             again since it was removed"
                        ))
                    } else {
                        e
                    }
                })?;
            let key = id.to_string();
            hist(
                &tx,
                &at,
                actor,
                Some(id),
                "plans",
                None,
                &key,
                "deleted_at",
                Some(&deleted),
                None,
            )?;
            tx.commit()?;
            return Ok(Added::Restored { id });
        }
        let period = plan.period.map(|p| (p.start, p.end));
        let previous: Option<(PlanId, i64)> = match revises {
            Some(id) => {
                let version: i64 = tx
                    .query_row(
                        "SELECT version FROM plans WHERE id = ?1 AND deleted_at IS NULL",
                        [id],
                        |r| r.get(0),
                    )
                    .optional()?
                    .ok_or_else(|| StoreError::NotFound(format!("no plan {id}")))?;
                let revised_by: Option<(PlanId, i64)> = tx
                    .query_row(
                        "SELECT id, version FROM plans WHERE previous_id = ?1 AND deleted_at IS NULL",
                        [id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                if let Some((next, next_version)) = revised_by {
                    // Found by identity, not named: the rules decide again.
                    if new.by_identity {
                        return Err(StoreError::Conflict(IDENTITY_CHANGED.to_string()));
                    }
                    return Err(StoreError::Conflict(format!(
                        "plan {id} is already revised by plan {next} (version {next_version}); \
                         revise plan {next} instead"
                    )));
                }
                Some((id, version))
            }
            None => None,
        };
        if new.by_identity {
            // The identity decided outside: still true now that this writer holds the lock?
            let current: Option<PlanId> = tx.query_row(
                "SELECT MAX(p.id) FROM plans p
                     WHERE p.deleted_at IS NULL AND p.region IS NOT DISTINCT FROM ?1 AND p.title IS NOT DISTINCT FROM ?2
                       AND p.period_start IS NOT DISTINCT FROM ?3 AND p.period_end IS NOT DISTINCT FROM ?4
                       AND NOT EXISTS (SELECT 1 FROM plans n WHERE n.previous_id = p.id
                                       AND n.deleted_at IS NULL)",
                params![
                    plan.region,
                    plan.title,
                    period.map(|p| p.0),
                    period.map(|p| p.1)
                ],
                |r| r.get(0),
            )?;
            if current != revises {
                return Err(StoreError::Conflict(IDENTITY_CHANGED.to_string()));
            }
        }
        let json = guihua_contract::to_value(plan, source).to_string();
        let version = previous.map_or(1, |p| p.1 + 1);
        tx.execute(
            "INSERT INTO plans (region, title, period_start, period_end, sha256, file, format,
                 version, previous_id, json, added_at, added_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                plan.region,
                plan.title,
                period.map(|p| p.0),
                period.map(|p| p.1),
                source.sha256,
                source.file,
                source.format,
                version,
                previous.map(|p| p.0),
                json,
                at,
                actor.who,
            ],
        )
        .map_err(|e| {
            if db_kind(&e) == Some(DbErrorKind::Unique) {
                StoreError::Conflict(format!(
                    "another writer added this file or revised this plan at the same time ({e})"
                ))
            } else {
                e
            }
        })?;
        let id = tx.last_insert_rowid()?;
        insert_plan_rows(&tx, id, plan, &new.links)?;
        let key = id.to_string();
        hist(
            &tx,
            &at,
            actor,
            Some(id),
            "plans",
            None,
            &key,
            "sha256",
            None,
            Some(&source.sha256),
        )?;
        if let Some((prev, _)) = previous {
            carry_over(&tx, prev, id, &new.carry, &at, actor)?;
            hist(
                &tx,
                &at,
                actor,
                Some(id),
                "plans",
                None,
                &key,
                "previous_id",
                None,
                Some(&prev.to_string()),
            )?;
            hist(
                &tx,
                &at,
                actor,
                Some(prev),
                "plans",
                None,
                &prev.to_string(),
                "revised_by",
                None,
                Some(&key),
            )?;
        }
        tx.commit()?;
        Ok(Added::New {
            id,
            version,
            previous: previous.map(|p| p.0),
        })
    }

    fn plans(&self) -> Result<Vec<PlanRow>> {
        plan_rows(&*self.conn()?, "", &[])
    }

    fn plans_with_identity(
        &self,
        region: Option<&str>,
        title: Option<&str>,
        period: Option<(i32, i32)>,
    ) -> Result<Vec<PlanRow>> {
        plan_rows(
            &*self.conn()?,
            "AND p.region IS NOT DISTINCT FROM ?1 AND p.title IS NOT DISTINCT FROM ?2 AND p.period_start IS NOT DISTINCT FROM ?3 AND p.period_end IS NOT DISTINCT FROM ?4",
            &[&region, &title, &period.map(|p| p.0), &period.map(|p| p.1)],
        )
    }

    fn plan(&self, id: PlanId) -> Result<PlanRow> {
        require_plan(&*self.conn()?, id)
    }
    fn plan_json(&self, id: PlanId) -> Result<serde_json::Value> {
        let s: String = self
            .conn()?
            .query_row("SELECT json FROM plans WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no plan with id {id}")))?;
        Ok(serde_json::from_str(&s)?)
    }

    fn outline(&self, id: PlanId) -> Result<Vec<OutlineRow>> {
        let conn = self.conn()?;
        let mut st = conn.prepare_cached(
            "SELECT local_id, level, number, title, depth FROM outline WHERE plan_id = ?1 ORDER BY ord",
        )?;
        let rows = st.query_map([id], |r| {
            Ok(OutlineRow {
                id: r.get(0)?,
                level: r.get(1)?,
                number: r.get(2)?,
                title: r.get(3)?,
                depth: r.get(4)?,
            })
        })?;
        rows.collect::<std::result::Result<_, _>>()
    }

    fn indicators(&self, id: PlanId) -> Result<Vec<IndicatorRow>> {
        let conn = self.conn()?;
        let mut st = conn.prepare_cached(
            "SELECT i.local_id, i.seq, i.category, i.name, i.unit, i.attribute, i.base_text,
                    i.base_value, i.target_text, i.target_value, i.pace_text, i.parent,
                    l.catalog_id, l.confidence, l.reason, l.manual, l.plan_id IS NOT NULL,
                    l.revision
             FROM indicators i LEFT JOIN indicator_links l
               ON l.plan_id = i.plan_id AND l.indicator_id = i.local_id
             WHERE i.plan_id = ?1 ORDER BY i.ord",
        )?;
        let rows = st.query_map([id], |r| {
            let linked: bool = r.get(16)?;
            Ok(IndicatorRow {
                id: r.get(0)?,
                seq: r.get(1)?,
                category: r.get(2)?,
                name: r.get(3)?,
                unit: r.get(4)?,
                attribute: r.get(5)?,
                base: r.get(6)?,
                base_value: r.get(7)?,
                target: r.get(8)?,
                target_value: r.get(9)?,
                pace: r.get(10)?,
                parent: r.get(11)?,
                link: if linked {
                    Some(Link {
                        catalog_id: r.get(12)?,
                        confidence: r.get(13)?,
                        reason: r.get(14)?,
                        manual: r.get(15)?,
                        revision: r.get(17)?,
                    })
                } else {
                    None
                },
            })
        })?;
        rows.collect::<std::result::Result<_, _>>()
    }

    fn targets(&self, id: PlanId) -> Result<Vec<TargetRow>> {
        let conn = self.conn()?;
        let mut st = conn.prepare_cached(
            "SELECT local_id, subject, text, kind, value, unit, year, section FROM targets
             WHERE plan_id = ?1 ORDER BY ord",
        )?;
        let rows = st.query_map([id], |r| {
            Ok(TargetRow {
                id: r.get(0)?,
                subject: r.get(1)?,
                text: r.get(2)?,
                kind: r.get(3)?,
                value: r.get(4)?,
                unit: r.get(5)?,
                year: r.get(6)?,
                section: r.get(7)?,
            })
        })?;
        rows.collect::<std::result::Result<_, _>>()
    }

    fn projects(&self, id: PlanId) -> Result<Vec<ProjectRow>> {
        let conn = self.conn()?;
        let mut st = conn.prepare_cached(
            "SELECT local_id, name, grp, box_id, section, investment, investment_unit, text
             FROM projects WHERE plan_id = ?1 ORDER BY ord",
        )?;
        let rows = st.query_map([id], |r| {
            Ok(ProjectRow {
                id: r.get(0)?,
                name: r.get(1)?,
                group: r.get(2)?,
                box_id: r.get(3)?,
                section: r.get(4)?,
                investment: r.get(5)?,
                investment_unit: r.get(6)?,
                text: r.get(7)?,
            })
        })?;
        rows.collect::<std::result::Result<_, _>>()
    }

    fn delete_plan(&self, id: PlanId, actor: &Actor) -> Result<()> {
        let mut conn = self.conn()?;
        let at = now(&conn)?;
        let tx = write_tx(&mut conn)?;
        require_plan(&tx, id)?;
        tx.execute(
            "UPDATE plans SET deleted_at = ?2 WHERE id = ?1",
            params![id, at],
        )?;
        hist(
            &tx,
            &at,
            actor,
            Some(id),
            "plans",
            None,
            &id.to_string(),
            "deleted_at",
            None,
            Some(&at),
        )?;
        tx.commit()?;
        Ok(())
    }

    fn set_link(
        &self,
        id: PlanId,
        indicator: &str,
        catalog_id: Option<&str>,
        expected_revision: Option<i64>,
        actor: &Actor,
    ) -> Result<()> {
        if let Some(c) = catalog_id {
            if guihua_catalog::get(c).is_none() {
                return Err(StoreError::NotFound(format!("no catalogue indicator {c}")));
            }
        }
        let mut conn = self.conn()?;
        let at = now(&conn)?;
        let tx = write_tx(&mut conn)?;
        require_subject(&tx, id, SubjectKind::Indicator, indicator)?;
        let subject = format!("indicator:{indicator}");
        let old: Option<(Option<String>, i64)> = tx
            .query_row(
                "SELECT catalog_id, revision FROM indicator_links
                 WHERE plan_id = ?1 AND indicator_id = ?2",
                params![id, indicator],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((_, rev)) = &old {
            // Who set the link last: the history knows (an automatic link: nobody).
            let last: Option<(String, String)> = tx
                .query_row(
                    "SELECT who, at FROM history WHERE plan_id = ?1 AND tbl = 'indicator_links'
                       AND subject = ?2 ORDER BY id DESC LIMIT 1",
                    params![id, subject],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let (who, when) = last.unwrap_or_else(|| ("guihua".into(), "adding the plan".into()));
            check_revision(
                &format!("the catalogue link of {subject}"),
                expected_revision,
                Some((*rev, &who, &when)),
            )?;
        } else {
            check_revision(
                &format!("the catalogue link of {subject}"),
                expected_revision,
                None,
            )?;
        }
        let old = old.map(|o| o.0);
        tx.execute(
            "INSERT INTO indicator_links (plan_id, indicator_id, catalog_id, confidence, reason, manual)
             VALUES (?1, ?2, ?3, 1.0, 'manual', 1)
             ON CONFLICT (plan_id, indicator_id) DO UPDATE SET catalog_id = excluded.catalog_id,
                 confidence = 1.0, reason = 'manual', manual = 1,
                 revision = indicator_links.revision + 1",
            params![id, indicator, catalog_id],
        )?;
        hist(
            &tx,
            &at,
            actor,
            Some(id),
            "indicator_links",
            Some(&subject),
            &subject,
            "catalog_id",
            old.flatten().as_deref(),
            catalog_id,
        )?;
        tx.commit()?;
        Ok(())
    }

    fn apply_with(
        &self,
        changes: &[Change],
        actor: &Actor,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Applied> {
        let mut conn = self.conn()?;
        let at = now(&conn)?;
        let tx = write_tx(&mut conn)?;
        let mut out = Applied::default();
        let mut known = Known::default();
        for (i, c) in changes.iter().enumerate() {
            apply_one(&tx, c, &at, actor, &mut out, &mut known)?;
            if (i + 1) % 1000 == 0 {
                progress(i + 1);
            }
        }
        tx.commit()?;
        Ok(out)
    }

    fn observations(&self, plan: Option<PlanId>) -> Result<Vec<Observation>> {
        let conn = self.conn()?;
        let mut st = conn.prepare_cached(
            "SELECT o.plan_id, o.subject_kind, o.subject_id, o.year, o.value, o.source, o.note,
                    o.entered_by, o.entered_at, o.revision
             FROM observations o
             LEFT JOIN indicators i ON o.subject_kind = 'indicator' AND i.plan_id = o.plan_id AND i.local_id = o.subject_id
             LEFT JOIN targets t ON o.subject_kind = 'target' AND t.plan_id = o.plan_id AND t.local_id = o.subject_id
             WHERE o.deleted_at IS NULL AND (CAST(?1 AS BIGINT) IS NULL OR o.plan_id = ?1)
             ORDER BY o.plan_id, o.subject_kind, COALESCE(i.ord, t.ord), o.year",
        )?;
        let rows = st.query_map([plan], |r| {
            Ok(Observation {
                plan_id: r.get(0)?,
                kind: kind_of(&r.get::<String>(1)?),
                subject_id: r.get(2)?,
                year: r.get(3)?,
                value: r.get(4)?,
                source: r.get(5)?,
                note: r.get(6)?,
                entered_by: r.get(7)?,
                entered_at: r.get(8)?,
                revision: r.get(9)?,
            })
        })?;
        rows.collect::<std::result::Result<_, _>>()
    }

    fn add_department(&self, name: &str, actor: &Actor) -> Result<bool> {
        let mut conn = self.conn()?;
        let at = now(&conn)?;
        let tx = write_tx(&mut conn)?;
        let exists = tx
            .query_row(
                "SELECT 1 FROM departments WHERE name = ?1",
                [name.trim()],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if !exists {
            department_id(&tx, name, &at, actor)?;
        }
        tx.commit()?;
        Ok(!exists)
    }

    fn add_user(
        &self,
        name: &str,
        display: Option<&str>,
        password_hash: Option<&str>,
        actor: &Actor,
    ) -> Result<i64> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
            return Err(StoreError::Invalid(format!(
                "'{name}' is not a user name (1–64 characters, no control characters)"
            )));
        }
        let mut conn = self.conn()?;
        let at = now(&conn)?;
        let tx = write_tx(&mut conn)?;
        let exists = tx
            .query_row("SELECT id FROM users WHERE name = ?1", [name], |r| {
                r.get::<i64>(0)
            })
            .optional()?;
        if exists.is_some() {
            return Err(StoreError::Conflict(format!("user {name} exists already")));
        }
        tx.execute(
            "INSERT INTO users (name, display, password_hash, created_at, created_by)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![name, display, password_hash, at, actor.who],
        )?;
        let id = tx.last_insert_rowid()?;
        hist(
            &tx,
            &at,
            actor,
            None,
            "users",
            None,
            name,
            "name",
            None,
            Some(name),
        )?;
        tx.commit()?;
        Ok(id)
    }

    fn users(&self) -> Result<Vec<UserRow>> {
        let mut conn = self.conn()?;
        // One snapshot for users and their memberships.
        let tx = read_tx(&mut conn)?;
        let mut st = tx.prepare_cached(
            "SELECT id, name, display, password_hash, created_at, created_by, disabled_at
             FROM users ORDER BY name",
        )?;
        let mut users: Vec<UserRow> = st
            .query_map([], |r| {
                Ok(UserRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    display: r.get(2)?,
                    password_hash: r.get(3)?,
                    created_at: r.get(4)?,
                    created_by: r.get(5)?,
                    disabled: r.get::<Option<String>>(6)?.is_some(),
                    memberships: Vec::new(),
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        let mut st = tx.prepare_cached(
            "SELECT m.user_id, m.role, d.name FROM memberships m
             LEFT JOIN departments d ON d.id = m.department_id
             WHERE m.revoked_at IS NULL ORDER BY m.id",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<i64>(0)?,
                r.get::<String>(1)?,
                r.get::<Option<String>>(2)?,
            ))
        })?;
        for row in rows {
            let (uid, role, department) = row?;
            if let (Some(u), Some(role)) = (
                users.iter_mut().find(|u| u.id == uid),
                UserRole::parse(&role),
            ) {
                u.memberships.push(Membership { role, department });
            }
        }
        Ok(users)
    }

    fn grant(
        &self,
        user: &str,
        role: UserRole,
        department: Option<&str>,
        actor: &Actor,
    ) -> Result<bool> {
        if (role == UserRole::Editor) != department.is_some() {
            return Err(StoreError::Invalid(
                "a department editor needs --department; other roles take none".into(),
            ));
        }
        let mut conn = self.conn()?;
        let at = now(&conn)?;
        let tx = write_tx(&mut conn)?;
        let uid: i64 = tx
            .query_row("SELECT id FROM users WHERE name = ?1", [user.trim()], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no user {user}")))?;
        let dept = match department {
            Some(d) => Some(department_id(&tx, d, &at, actor)?),
            None => None,
        };
        let held = tx
            .query_row(
                "SELECT 1 FROM memberships WHERE user_id = ?1 AND role = ?2
                 AND department_id IS NOT DISTINCT FROM ?3 AND revoked_at IS NULL",
                params![uid, role.as_str(), dept],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if held {
            return Ok(false);
        }
        tx.execute(
            "INSERT INTO memberships (user_id, role, department_id, granted_at, granted_by)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![uid, role.as_str(), dept, at, actor.who],
        )?;
        let what = Membership::label(role, department);
        hist(
            &tx,
            &at,
            actor,
            None,
            "memberships",
            None,
            user.trim(),
            "role",
            None,
            Some(&what),
        )?;
        tx.commit()?;
        Ok(true)
    }

    fn revoke(
        &self,
        user: &str,
        role: UserRole,
        department: Option<&str>,
        actor: &Actor,
    ) -> Result<bool> {
        let mut conn = self.conn()?;
        let at = now(&conn)?;
        let tx = write_tx(&mut conn)?;
        let n = tx.execute(
            "UPDATE memberships SET revoked_at = ?1
             WHERE revoked_at IS NULL AND role = ?2
               AND user_id = (SELECT id FROM users WHERE name = ?3)
               AND department_id IS (SELECT id FROM departments WHERE name = ?4)",
            params![at, role.as_str(), user.trim(), department.map(str::trim)],
        )?;
        if n > 0 {
            let what = Membership::label(role, department);
            hist(
                &tx,
                &at,
                actor,
                None,
                "memberships",
                None,
                user.trim(),
                "role",
                Some(&what),
                None,
            )?;
        }
        tx.commit()?;
        Ok(n > 0)
    }

    fn departments(&self) -> Result<Vec<String>> {
        let conn = self.conn()?;
        let mut st = conn.prepare_cached(
            "SELECT name FROM departments WHERE deleted_at IS NULL ORDER BY name",
        )?;
        let rows = st.query_map([], |r| r.get(0))?;
        rows.collect::<std::result::Result<_, _>>()
    }

    fn assignments(&self, plan: PlanId) -> Result<Vec<Assignment>> {
        let conn = self.conn()?;
        let mut st = conn.prepare_cached(
            "SELECT a.plan_id, a.subject_kind, a.subject_id, d.name, a.role, a.assigned_by,
                    a.assigned_at, a.revision
             FROM assignments a JOIN departments d ON d.id = a.department_id
             WHERE a.plan_id = ?1 AND a.deleted_at IS NULL
             ORDER BY d.name, a.role DESC, a.subject_kind, a.id",
        )?;
        let rows = st.query_map([plan], |r| {
            Ok(Assignment {
                plan_id: r.get(0)?,
                kind: kind_of(&r.get::<String>(1)?),
                subject_id: r.get(2)?,
                department: r.get(3)?,
                role: Role::parse(&r.get::<String>(4)?).unwrap_or(Role::Co),
                assigned_by: r.get(5)?,
                assigned_at: r.get(6)?,
                revision: r.get(7)?,
            })
        })?;
        rows.collect::<std::result::Result<_, _>>()
    }

    fn project_statuses(&self, plan: PlanId) -> Result<Vec<ProjectStatus>> {
        let conn = self.conn()?;
        let mut st = conn.prepare_cached(
            "SELECT s.plan_id, s.project_id, s.year, s.status, s.planned_investment,
                    s.completed_investment, s.milestone, s.revision
             FROM project_status s JOIN projects j ON j.plan_id = s.plan_id AND j.local_id = s.project_id
             WHERE s.plan_id = ?1 AND s.deleted_at IS NULL ORDER BY j.ord, s.year",
        )?;
        let rows = st.query_map([plan], |r| {
            Ok(ProjectStatus {
                plan_id: r.get(0)?,
                project_id: r.get(1)?,
                year: r.get(2)?,
                status: r.get(3)?,
                planned_investment: r.get(4)?,
                completed_investment: r.get(5)?,
                milestone: r.get(6)?,
                revision: r.get(7)?,
            })
        })?;
        rows.collect::<std::result::Result<_, _>>()
    }

    fn history(&self, plan: PlanId, subject: Option<&str>) -> Result<Vec<HistoryRow>> {
        let conn = self.conn()?;
        let mut st = conn.prepare_cached(
            "SELECT at, who, plan_id, tbl, subject, key, field, old, new, why, user_id FROM history
             WHERE plan_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR subject = ?2) ORDER BY id",
        )?;
        let rows = st.query_map(params![plan, subject], |r| {
            Ok(HistoryRow {
                at: r.get(0)?,
                who: r.get(1)?,
                plan_id: r.get(2)?,
                table: r.get(3)?,
                subject: r.get(4)?,
                key: r.get(5)?,
                field: r.get(6)?,
                old: r.get(7)?,
                new: r.get(8)?,
                why: r.get(9)?,
                user_id: r.get(10)?,
            })
        })?;
        rows.collect::<std::result::Result<_, _>>()
    }

    fn backup(&self, to: &Path) -> Result<()> {
        if to.exists() {
            return Err(StoreError::Invalid(format!(
                "{} exists; backups never overwrite",
                to.display()
            )));
        }
        let path = to
            .to_str()
            .ok_or_else(|| StoreError::Invalid("backup path is not UTF-8".into()))?;
        // VACUUM INTO reads one consistent snapshot (a read transaction) while writers go on.
        self.raw()?.0.execute("VACUUM INTO ?1", [path])?;
        Ok(())
    }

    fn restore(&self, from: &Path, actor: &Actor) -> Result<std::path::PathBuf> {
        // One restore at a time in this process (each with a staging file of its own):
        // a second one waits instead of taking the first for an ordinary writer.
        let _one = self
            .restoring
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !from.is_file() {
            return Err(StoreError::NotFound(format!(
                "{} not found",
                from.display()
            )));
        }
        check_backup(from)?;
        // Nothing may be writing: an import running now would report success and then
        // lose its rows to the restore.
        let (mut conn, library) = self.raw()?;
        refuse_if_writing(&conn)?;
        // A private, migrated copy of the backup, so its tables match this library's.
        let dir = library.parent().unwrap_or(Path::new("."));
        static STAGED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let staging = dir.join(format!(
            "guihua.sqlite.restoring-{}-{}",
            std::process::id(),
            STAGED.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let _ = std::fs::remove_file(&staging);
        let staged = (|| -> Result<()> {
            let src =
                Connection::open_with_flags(from, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            src.execute("VACUUM INTO ?1", [path_str(&staging)?])?;
            drop(src);
            drop(SqlStore::open(&staging)?);
            Ok(())
        })();
        if let Err(e) = staged {
            let _ = std::fs::remove_file(&staging);
            return Err(e);
        }
        // The replaced library is copied by another connection while this one holds the
        // write lock: no writer's commit can fall between the copy and the replacement.
        let keep_copy = |keep: &Path| -> Result<()> {
            self.raw()?.0.execute("VACUUM INTO ?1", [path_str(keep)?])?;
            Ok(())
        };
        let result = restore_from_staging(&mut conn, library, &staging, from, actor, &keep_copy);
        for suffix in ["", "-wal", "-shm"] {
            let mut p = staging.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(std::path::PathBuf::from(p));
        }
        result
    }
}

fn path_str(p: &Path) -> Result<&str> {
    p.to_str()
        .ok_or_else(|| StoreError::Invalid(format!("{}: path is not UTF-8", p.display())))
}

/// The append-only guard of the history, as the schema creates it.
const HISTORY_TRIGGERS: [&str; 2] = ["history_no_update", "history_no_delete"];

/// Is this file a guihua library this version can restore: its schema not newer, intact,
/// and its history still append-only (a backup whose triggers were dropped may have had
/// its history rewritten)?
fn check_backup(from: &Path) -> Result<()> {
    let src = Connection::open_with_flags(from, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let version: i64 = src
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_version",
            [],
            |r| r.get(0),
        )
        .map_err(|_| StoreError::Invalid(format!("{} is not a guihua library", from.display())))?;
    if version > MIGRATIONS.len() as i64 {
        return Err(StoreError::Invalid(format!(
            "{} has schema version {version}, newer than this guihua",
            from.display()
        )));
    }
    let check: String = src.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(StoreError::Invalid(format!(
            "{} is damaged: {check}",
            from.display()
        )));
    }
    for t in HISTORY_TRIGGERS {
        let sql: Option<String> = src
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                [t],
                |r| r.get(0),
            )
            .optional()?;
        if !sql.is_some_and(|s| s.contains("RAISE(ABORT")) {
            return Err(StoreError::Invalid(format!(
                "{} is not restored: its history is no longer append-only (trigger {t} is \
                 missing or changed), so it may have been rewritten",
                from.display()
            )));
        }
    }
    Ok(())
}

/// Fail at once (no waiting) when another connection holds the write lock.
fn refuse_if_writing(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::ZERO)?;
    let r = conn
        .execute_batch("BEGIN IMMEDIATE; ROLLBACK;")
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DatabaseBusy => {
                StoreError::Conflict(
                    "the library is being written (an import or another change is running): \
                         restore when it has finished"
                        .into(),
                )
            }
            other => other.into(),
        });
    conn.busy_timeout(BUSY_TIMEOUT)?;
    r
}

/// Replace every table's rows with the staged copy's, in one write transaction taken
/// without waiting; keep the replaced library as a dated file and say so in the
/// history.
fn restore_from_staging(
    conn: &mut Connection,
    library: &Path,
    staging: &Path,
    from: &Path,
    actor: &Actor,
    keep_copy: &dyn Fn(&Path) -> Result<()>,
) -> Result<std::path::PathBuf> {
    // A name of its own per restore: should DETACH ever fail, a later restore on the same
    // pooled connection does not find the name taken.
    static ALIAS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let alias = format!(
        "staged{}",
        ALIAS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let stamp: String =
        conn.query_row("SELECT strftime('%Y%m%dT%H%M%S', 'now')", [], |r| r.get(0))?;
    let name = library
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "guihua.sqlite".into());
    let mut keep = library.with_file_name(format!("{name}.before-restore-{stamp}"));
    let mut n = 1;
    while keep.exists() {
        n += 1;
        keep = library.with_file_name(format!("{name}.before-restore-{stamp}-{n}"));
    }
    conn.execute(
        &format!("ATTACH DATABASE ?1 AS {alias}"),
        [path_str(staging)?],
    )?;
    let copied = (|| -> Result<()> {
        conn.busy_timeout(std::time::Duration::ZERO)?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|_| {
                StoreError::Conflict(
                    "the library is being written (an import or another change is running): \
                     restore when it has finished"
                        .into(),
                )
            })?;
        tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        // Holding the write lock, nothing written yet: the copy is exactly what is replaced.
        keep_copy(&keep)?;
        let triggers: Vec<String> = HISTORY_TRIGGERS
            .iter()
            .filter_map(|t| {
                tx.query_row(
                    "SELECT sql FROM main.sqlite_master WHERE type = 'trigger' AND name = ?1",
                    [t],
                    |r| r.get(0),
                )
                .ok()
            })
            .collect();
        for t in HISTORY_TRIGGERS {
            tx.execute_batch(&format!("DROP TRIGGER IF EXISTS main.{t}"))?;
        }
        let tables: Vec<String> = {
            let mut st = tx.prepare(
                "SELECT name FROM main.sqlite_master WHERE type = 'table'
                     AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )?;
            let rows = st.query_map([], |r| r.get(0))?;
            rows.collect::<std::result::Result<_, _>>()?
        };
        for t in &tables {
            let cols: Vec<String> = {
                let mut st = tx.prepare(&format!("PRAGMA main.table_info(\"{t}\")"))?;
                let rows = st.query_map([], |r| r.get::<_, String>(1))?;
                rows.collect::<std::result::Result<_, _>>()?
            };
            let list = cols
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ");
            tx.execute_batch(&format!(
                    "DELETE FROM main.\"{t}\"; INSERT INTO main.\"{t}\" ({list}) SELECT {list} FROM {alias}.\"{t}\";"
                ))?;
        }
        for sql in &triggers {
            tx.execute_batch(sql)?;
        }
        let at = now(&*tx)?;
        hist(
            &*tx,
            &at,
            actor,
            None,
            "library",
            None,
            "restore",
            "restored_from",
            Some(&keep.display().to_string()),
            Some(&from.display().to_string()),
        )?;
        tx.commit()?;
        Ok(())
    })();
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let _ = conn.execute(&format!("DETACH DATABASE {alias}"), []);
    match copied {
        Ok(()) => Ok(keep),
        Err(e) => {
            // Nothing changed: the dated copy is not needed.
            let _ = std::fs::remove_file(&keep);
            Err(e)
        }
    }
}
