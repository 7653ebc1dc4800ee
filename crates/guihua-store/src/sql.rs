//! The one SQL interface the store's logic is written against, so the same statements,
//! checks and history writes run on SQLite and on PostgreSQL.
//!
//! Why a small layer of our own rather than one crate for both: no maintained Rust crate
//! covers both rusqlite (which this workspace links) and a synchronous PostgreSQL client
//! (sqlx, the one that would, cannot be linked beside this rusqlite). The layer is what the
//! store needs and no more: values ([`Value`]), parameters ([`ToValue`], [`params!`]), rows
//! read by column index ([`Row::get`]), statements run on a connection or inside a
//! transaction ([`Db`]), and errors classified the same for both backends ([`DbError`]).
//! Its method names follow rusqlite's (`query_row`, `query_map`, `prepare_cached`,
//! `optional`), so the logic reads as plain SQL code.
//!
//! Statements are written once, in the dialect both servers accept (`?N` parameters,
//! `ON CONFLICT`, `IS NOT DISTINCT FROM`, `RETURNING`-free inserts); the PostgreSQL backend
//! rewrites what differs when it prepares a statement (see `postgres.rs`).

use std::fmt;

use crate::{Result, StoreError};

/// A value going into or coming out of a statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// What a backend error means, as far as the store's logic cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbErrorKind {
    /// A statement that should answer one row answered none.
    NoRows,
    /// A uniqueness the schema enforces.
    Unique,
    /// Another writer holds the lock (SQLite busy) or the transaction lost a race
    /// (PostgreSQL serialization failure, deadlock): trying again may succeed.
    Busy,
    /// A column read as a type it is not.
    Type,
    Other,
}

/// A backend error with its kind.
#[derive(Debug)]
pub struct DbError {
    pub kind: DbErrorKind,
    pub message: String,
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DbError {}

impl DbError {
    /// A store error of this kind.
    pub fn store(kind: DbErrorKind, message: impl Into<String>) -> StoreError {
        StoreError::Db(Box::new(DbError {
            kind,
            message: message.into(),
        }))
    }
}

/// The kind of a store error that came from a backend (`None`: not a backend error).
pub fn db_kind(e: &StoreError) -> Option<DbErrorKind> {
    match e {
        StoreError::Db(b) => b.downcast_ref::<DbError>().map(|d| d.kind),
        _ => None,
    }
}

/// A parameter.
pub trait ToValue {
    fn to_value(&self) -> Value;
}

macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                Value::Int(*self as i64)
            }
        }
    )*};
}
int_value!(i64, i32, u32, u16, u8, i16);

impl ToValue for usize {
    fn to_value(&self) -> Value {
        Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}

impl ToValue for f64 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}

impl ToValue for [u8] {
    fn to_value(&self) -> Value {
        Value::Blob(self.to_vec())
    }
}

impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Blob(self.clone())
    }
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        match self {
            Some(v) => v.to_value(),
            None => Value::Null,
        }
    }
}

/// The parameters of a statement: `params![a, b]`, `[a]`, `[]`, or a slice.
pub trait Params {
    fn values(&self) -> Vec<Value>;
}

impl Params for &[&dyn ToValue] {
    fn values(&self) -> Vec<Value> {
        self.iter().map(|v| v.to_value()).collect()
    }
}

impl<const N: usize> Params for &[&dyn ToValue; N] {
    fn values(&self) -> Vec<Value> {
        self.iter().map(|v| v.to_value()).collect()
    }
}

impl Params for [&dyn ToValue; 0] {
    fn values(&self) -> Vec<Value> {
        Vec::new()
    }
}

macro_rules! array_params {
    ($($n:literal),*) => {$(
        impl<T: ToValue> Params for [T; $n] {
            fn values(&self) -> Vec<Value> {
                self.iter().map(|v| v.to_value()).collect()
            }
        }
    )*};
}
array_params!(1, 2, 3, 4, 5, 6, 7, 8);

/// Parameters of mixed types: `params![plan, name, value]`.
#[macro_export]
macro_rules! params {
    () => {
        &[] as &[&dyn $crate::sql::ToValue]
    };
    ($($p:expr),+ $(,)?) => {
        &[$(&$p as &dyn $crate::sql::ToValue),+] as &[&dyn $crate::sql::ToValue]
    };
}
pub use params;

/// A column value read back.
pub trait FromValue: Sized {
    fn from_value(v: &Value) -> std::result::Result<Self, String>;
}

fn wrong(v: &Value, want: &str) -> String {
    format!("a column holds {v:?} where {want} was expected")
}

impl FromValue for i64 {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Int(i) => Ok(*i),
            other => Err(wrong(other, "an integer")),
        }
    }
}

macro_rules! narrow_int {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(v: &Value) -> std::result::Result<Self, String> {
                let i = i64::from_value(v)?;
                <$t>::try_from(i).map_err(|_| format!("{i} is out of range for {}", stringify!($t)))
            }
        }
    )*};
}
narrow_int!(i32, u32, u64, usize, u16, u8);

impl FromValue for bool {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        Ok(i64::from_value(v)? != 0)
    }
}

impl FromValue for f64 {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Real(f) => Ok(*f),
            Value::Int(i) => Ok(*i as f64),
            other => Err(wrong(other, "a number")),
        }
    }
}

impl FromValue for String {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Text(s) => Ok(s.clone()),
            other => Err(wrong(other, "text")),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Blob(b) => Ok(b.clone()),
            Value::Text(s) => Ok(s.as_bytes().to_vec()),
            other => Err(wrong(other, "bytes")),
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// One row of a result.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Value>);

impl Row {
    /// Column `i` (0-based) as `T`.
    pub fn get<T: FromValue>(&self, i: usize) -> Result<T> {
        let v = self
            .0
            .get(i)
            .ok_or_else(|| DbError::store(DbErrorKind::Type, format!("no column {i}")))?;
        T::from_value(v).map_err(|m| DbError::store(DbErrorKind::Type, format!("column {i}: {m}")))
    }
}

/// A connection, or a transaction on one: what the store's logic runs statements on.
/// Backends implement the four primitives; everything else is built on them.
pub trait Db {
    /// Run a statement; answers the rows it changed.
    fn run(&self, sql: &str, params: &[Value]) -> Result<usize>;
    /// Run a query; answers its rows.
    fn rows(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>>;
    /// Run statements separated by `;`, without parameters.
    fn batch(&self, sql: &str) -> Result<()>;
    /// The id of the row the last `INSERT` on this connection added.
    fn last_id(&self) -> Result<i64>;
    /// Begin a transaction. A write transaction holds the library's write turn from its
    /// start (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: a row lock every writer takes), so
    /// what it checks stays true until it commits; a read transaction sees one snapshot.
    fn begin(&self, write: bool) -> Result<()>;
}

impl dyn Db + '_ {
    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        self.run(sql, &params.values())
    }

    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        self.batch(sql)
    }

    /// The first row, through `f`; no row is a [`DbErrorKind::NoRows`] error
    /// ([`OptionalExtension::optional`] makes it `None`).
    pub fn query_row<T, P: Params>(
        &self,
        sql: &str,
        params: P,
        f: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<T> {
        match self.rows(sql, &params.values())?.first() {
            Some(r) => f(r),
            None => Err(DbError::store(
                DbErrorKind::NoRows,
                "the query answered no row",
            )),
        }
    }

    /// Every row, through `f`.
    pub fn query_map<T, P: Params>(
        &self,
        sql: &str,
        params: P,
        mut f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let rows = self.rows(sql, &params.values())?;
        Ok(rows.iter().map(&mut f).collect::<Vec<_>>().into_iter())
    }

    /// A statement to run (backends cache what they prepare, by its text).
    pub fn prepare_cached<'s>(&'s self, sql: &'s str) -> Result<Stmt<'s>> {
        Ok(Stmt { db: self, sql })
    }

    pub fn prepare<'s>(&'s self, sql: &'s str) -> Result<Stmt<'s>> {
        Ok(Stmt { db: self, sql })
    }

    pub fn last_insert_rowid(&self) -> Result<i64> {
        self.last_id()
    }
}

/// A statement bound to a connection (rusqlite's `Statement`, as far as the store uses it).
pub struct Stmt<'s> {
    db: &'s dyn Db,
    sql: &'s str,
}

impl Stmt<'_> {
    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        self.db.execute(self.sql, params)
    }
    pub fn query_row<T, P: Params>(
        &mut self,
        params: P,
        f: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<T> {
        self.db.query_row(self.sql, params, f)
    }
    pub fn query_map<T, P: Params>(
        &mut self,
        params: P,
        f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        self.db.query_map(self.sql, params, f)
    }
    pub fn exists<P: Params>(&mut self, params: P) -> Result<bool> {
        Ok(!self.db.rows(self.sql, &params.values())?.is_empty())
    }
}

/// `.optional()` on a query's result: no row is `None`, as in rusqlite.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(e) if db_kind(&e) == Some(DbErrorKind::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// The head of [`HISTORY_INSERT`].
macro_rules! history_head {
    () => {
        "INSERT INTO history (at, who, plan_id, tbl, subject, key, field, old, new, why, user_id) VALUES"
    };
}

/// The one statement that appends to the history (`sqlite.rs` `hist`). A transaction
/// holds these back and sends them many rows to a statement ([`Tx`]).
pub const HISTORY_INSERT: &str = concat!(
    history_head!(),
    " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
);
const HISTORY_COLUMNS: usize = 11;
/// History rows held back before they are sent.
const HISTORY_CHUNK: usize = 64;

/// A transaction: committed by [`Tx::commit`], rolled back when dropped without it.
///
/// Why it holds history rows back: every change appends one to three history rows, and on
/// a database server each statement is a round trip (an import of 100,000 observations was
/// half history inserts). A transaction keeps them ([`HISTORY_INSERT`], parameters as
/// given) and sends them many rows to a statement ([`insert_many`]) — before any statement
/// that names the history (so what the transaction reads of it is what it wrote, in order),
/// before `batch`, and at commit. Rows go in the order they were written, so their ids are
/// as if sent one by one; a failure surfaces at the flush and rolls everything back like
/// any failure inside the transaction. Everything run on a `Tx` — through `&tx`, `&*tx` or a
/// method — goes through this, because it derefs to itself.
pub struct Tx<'c> {
    db: &'c dyn Db,
    open: bool,
    pending: std::cell::RefCell<Vec<Value>>,
}

impl<'c> Tx<'c> {
    /// Begin a write (or read) transaction ([`Db::begin`]).
    pub fn begin(db: &'c dyn Db, write: bool) -> Result<Tx<'c>> {
        db.begin(write)?;
        Ok(Tx {
            db,
            open: true,
            pending: Default::default(),
        })
    }

    pub fn commit(mut self) -> Result<()> {
        self.flush()?;
        self.open = false;
        self.db.batch("COMMIT")
    }

    /// Send the held-back history rows ([`insert_many`]).
    fn flush(&self) -> Result<()> {
        let values = std::mem::take(&mut *self.pending.borrow_mut());
        insert_many(self.db, history_head!(), &values)
    }
}

/// Insert rows with `head` (`INSERT INTO t (a, b, …) VALUES`; `values` holds the rows one
/// after the other, as many values to a row as `head` names columns), many rows to a
/// statement: full chunks of up to 64 rows (fewer when rows are wide, so a statement stays
/// under 999 parameters), then the rest in halving chunks, so at most 7 distinct statements
/// get prepared per `head` on a connection. Rows go in the order given, so their ids are as
/// if sent one by one.
///
/// Why: each statement is a round trip to a database server; a plan is a few hundred rows.
pub fn insert_many(db: &dyn Db, head: &str, values: &[Value]) -> Result<()> {
    let columns = columns(head);
    assert!(
        values.len().is_multiple_of(columns),
        "insert_many: {} values are not rows of {columns} ({head})",
        values.len()
    );
    let chunk = (999 / columns).clamp(1, 64);
    let mut rest = values;
    while !rest.is_empty() {
        let rows = rest.len() / columns;
        let n = if rows >= chunk {
            chunk
        } else {
            1 << (usize::BITS - 1 - rows.leading_zeros())
        };
        let (now, later) = rest.split_at(n * columns);
        db.run(&rows_insert(head, columns, n), now)?;
        rest = later;
    }
    Ok(())
}

/// How many columns an `INSERT INTO t (a, b, …)` head names.
fn columns(head: &str) -> usize {
    let list = head
        .split_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(list, _)| list)
        .unwrap_or_else(|| panic!("insert_many: no column list in {head}"));
    list.split(',').count()
}

/// `head` followed by `rows` rows of `columns` parameters.
fn rows_insert(head: &str, columns: usize, rows: usize) -> String {
    use std::fmt::Write as _;
    let mut sql = String::with_capacity(head.len() + rows * columns * 6);
    sql.push_str(head);
    for r in 0..rows {
        sql.push_str(if r == 0 { " (" } else { ", (" });
        for c in 0..columns {
            if c > 0 {
                sql.push_str(", ");
            }
            let _ = write!(sql, "?{}", r * columns + c + 1);
        }
        sql.push(')');
    }
    sql
}

impl Db for Tx<'_> {
    fn run(&self, sql: &str, params: &[Value]) -> Result<usize> {
        if sql == HISTORY_INSERT && params.len() == HISTORY_COLUMNS {
            let full = {
                let mut pending = self.pending.borrow_mut();
                pending.extend_from_slice(params);
                pending.len() >= HISTORY_CHUNK * HISTORY_COLUMNS
            };
            if full {
                self.flush()?;
            }
            return Ok(1);
        }
        if sql.contains("history") {
            self.flush()?;
        }
        self.db.run(sql, params)
    }
    fn rows(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        if sql.contains("history") {
            self.flush()?;
        }
        self.db.rows(sql, params)
    }
    fn batch(&self, sql: &str) -> Result<()> {
        self.flush()?;
        self.db.batch(sql)
    }
    fn last_id(&self) -> Result<i64> {
        // Held-back history rows are not sent first: the last insert asked about is the
        // statement just run, never a history row (nothing asks for a history row's id).
        self.db.last_id()
    }
    fn begin(&self, write: bool) -> Result<()> {
        self.db.begin(write)
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.db.batch("ROLLBACK");
        }
    }
}

macro_rules! forward_db {
    ($($t:ty),*) => {$(
        impl Db for $t {
            fn run(&self, sql: &str, params: &[Value]) -> Result<usize> {
                (**self).run(sql, params)
            }
            fn rows(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
                (**self).rows(sql, params)
            }
            fn batch(&self, sql: &str) -> Result<()> {
                (**self).batch(sql)
            }
            fn last_id(&self) -> Result<i64> {
                (**self).last_id()
            }
            fn begin(&self, write: bool) -> Result<()> {
                (**self).begin(write)
            }
        }
    )*};
}
forward_db!(Box<dyn Db>);

/// A connection lent by a pool is the connection.
impl<M> Db for r2d2::PooledConnection<M>
where
    M: r2d2::ManageConnection,
    M::Connection: Db,
{
    fn run(&self, sql: &str, params: &[Value]) -> Result<usize> {
        (**self).run(sql, params)
    }
    fn rows(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        (**self).rows(sql, params)
    }
    fn batch(&self, sql: &str) -> Result<()> {
        (**self).batch(sql)
    }
    fn last_id(&self) -> Result<i64> {
        (**self).last_id()
    }
    fn begin(&self, write: bool) -> Result<()> {
        (**self).begin(write)
    }
}

impl<'c> std::ops::Deref for Tx<'c> {
    type Target = dyn Db + 'c;
    fn deref(&self) -> &Self::Target {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A connection that records what it is asked to run.
    #[derive(Default)]
    struct Recorder(std::cell::RefCell<Vec<(String, usize)>>);

    impl Db for Recorder {
        fn run(&self, sql: &str, params: &[Value]) -> Result<usize> {
            self.0.borrow_mut().push((sql.to_string(), params.len()));
            Ok(1)
        }
        fn rows(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
            self.0.borrow_mut().push((sql.to_string(), params.len()));
            Ok(Vec::new())
        }
        fn batch(&self, sql: &str) -> Result<()> {
            self.0.borrow_mut().push((sql.to_string(), 0));
            Ok(())
        }
        fn last_id(&self) -> Result<i64> {
            Ok(0)
        }
        fn begin(&self, _write: bool) -> Result<()> {
            Ok(())
        }
    }

    fn history_row(i: i64) -> Vec<Value> {
        let mut v = vec![Value::Int(i)];
        v.resize(HISTORY_COLUMNS, Value::Null);
        v
    }

    #[test]
    fn history_rows_are_held_back_and_sent_in_order_in_chunks() {
        let db = Recorder::default();
        let tx = Tx::begin(&db, true).unwrap();
        for i in 0..150 {
            tx.run(HISTORY_INSERT, &history_row(i)).unwrap();
        }
        // Two full chunks went as soon as they were full; 22 rows wait.
        tx.execute("UPDATE observations SET value = ?1", [1i64])
            .unwrap();
        // A statement that reads the history sees everything written before it.
        tx.query_map("SELECT id FROM history", [], |_| Ok(()))
            .unwrap();
        tx.run(HISTORY_INSERT, &history_row(150)).unwrap();
        tx.commit().unwrap();
        let ran = db.0.take();
        let shape: Vec<(bool, usize)> = ran
            .iter()
            .map(|(sql, n)| (sql.starts_with("INSERT INTO history"), *n))
            .collect();
        assert_eq!(
            shape,
            vec![
                (true, 64 * 11),
                (true, 64 * 11),
                (false, 1),
                (true, 16 * 11),
                (true, 4 * 11),
                (true, 2 * 11),
                (false, 0),
                (true, 11),
                (false, 0),
            ]
        );
        assert_eq!(ran[6].0, "SELECT id FROM history");
        assert_eq!(ran[8].0, "COMMIT");
        assert!(ran[0].0.ends_with("?703, ?704)"), "{}", ran[0].0);
        assert!(ran[5].0.contains("VALUES (?1, "), "{}", ran[5].0);
        assert_eq!(columns(history_head!()), HISTORY_COLUMNS);
        // Rows dropped with a rolled-back transaction are never sent.
        let db = Recorder::default();
        let tx = Tx::begin(&db, true).unwrap();
        tx.run(HISTORY_INSERT, &history_row(0)).unwrap();
        drop(tx);
        assert_eq!(db.0.take(), vec![("ROLLBACK".to_string(), 0)]);
    }

    #[test]
    fn values_round_trip() {
        let r = Row(vec![
            Value::Int(3),
            Value::Null,
            Value::Text("乌鲁木齐市".into()),
            Value::Real(2.5),
        ]);
        assert_eq!(r.get::<i64>(0).unwrap(), 3);
        assert_eq!(r.get::<i32>(0).unwrap(), 3);
        assert_eq!(r.get::<Option<String>>(1).unwrap(), None);
        assert_eq!(r.get::<String>(2).unwrap(), "乌鲁木齐市");
        assert_eq!(r.get::<f64>(3).unwrap(), 2.5);
        assert_eq!(r.get::<f64>(0).unwrap(), 3.0);
        assert!(r.get::<String>(0).is_err());
        assert!(r.get::<i64>(9).is_err());
        let p = params![1i64, "a", None::<String>, 2.0f64, true];
        assert_eq!(
            p.values(),
            vec![
                Value::Int(1),
                Value::Text("a".into()),
                Value::Null,
                Value::Real(2.0),
                Value::Int(1)
            ]
        );
    }
}
