//! PostgreSQL under the store's SQL interface ([`crate::sql`]): a library shared by several
//! servers and many writers, on PostgreSQL or a server that speaks its protocol and SQL.
//!
//! The store's statements are written once (see `sql.rs`); what PostgreSQL spells
//! differently is rewritten here when a statement is first prepared on a connection, and
//! the prepared statement is kept for the connection's life:
//! * `?1` parameters become `$1`;
//! * SQLite's `strftime(format, 'now'[, modifier])` becomes `to_char(now() …)` in UTC with
//!   the same format (the store's timestamps are ISO 8601 text in both backends).
//!
//! Parameters are sent as the type the server infers for them (a [`Value`] converts to an
//! `int8`, `int4`, `float8`, `text`, `bytea` or `bool` parameter as asked), and columns are
//! read back by their type, so one integer type in Rust (`i64`) serves every integer column.
//!
//! Writers take turns as on SQLite: a write transaction begins by locking the
//! `schema_version` table in SHARE ROW EXCLUSIVE mode (which conflicts with itself and
//! not with reads), so every check a write makes (is this file here already? is this
//! value still at the revision the writer read?) is still true when it commits, whichever
//! server process it runs in. Reads run in REPEATABLE READ: one snapshot per read.
//! Plain SQL only: no extension, no `ON CONFLICT … RETURNING`; triggers are PL/pgSQL.

use std::cell::RefCell;
use std::collections::HashMap;

use postgres::types::{IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};

use crate::sql::{Db, DbError, DbErrorKind, Row, Value};
use crate::{Result, StoreError};

/// Migrations in the PostgreSQL dialect, the same versions as SQLite's.
pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/postgres/0001_init.sql"),
    include_str!("../migrations/postgres/0002_indexes.sql"),
    include_str!("../migrations/postgres/0003_one_revision.sql"),
    include_str!("../migrations/postgres/0004_users.sql"),
    include_str!("../migrations/postgres/0005_revisions.sql"),
    include_str!("../migrations/postgres/0006_more_revisions.sql"),
    include_str!("../migrations/postgres/0007_history_user.sql"),
    include_str!("../migrations/postgres/0008_web.sql"),
    include_str!("../migrations/postgres/0009_library_version.sql"),
    include_str!("../migrations/postgres/0010_api_tokens.sql"),
    include_str!("../migrations/postgres/0011_plan_texts.sql"),
    include_str!("../migrations/postgres/0012_revision_lookups.sql"),
    include_str!("../migrations/postgres/0013_remarks.sql"),
    include_str!("../migrations/postgres/0014_annual_targets.sql"),
    include_str!("../migrations/postgres/0015_version_once_per_transaction.sql"),
];

/// Connections for the pool.
#[derive(Debug)]
pub(crate) struct Manager {
    config: postgres::Config,
}

impl Manager {
    pub(crate) fn new(url: &str) -> Result<Manager> {
        let config: postgres::Config = url.parse().map_err(|e: postgres::Error| {
            StoreError::Invalid(format!("not a PostgreSQL address ({e}): write postgres://user@host/database or postgresql:///database?host=/socket/dir"))
        })?;
        Ok(Manager { config })
    }
}

/// One server connection with the statements prepared on it.
pub(crate) struct PgConn {
    client: RefCell<Client>,
    prepared: RefCell<HashMap<String, Statement>>,
}

impl r2d2::ManageConnection for Manager {
    type Connection = PgConn;
    type Error = postgres::Error;

    fn connect(&self) -> std::result::Result<PgConn, postgres::Error> {
        let client = self.config.connect(NoTls)?;
        Ok(PgConn {
            client: RefCell::new(client),
            prepared: RefCell::new(HashMap::new()),
        })
    }

    fn is_valid(&self, conn: &mut PgConn) -> std::result::Result<(), postgres::Error> {
        conn.client.get_mut().simple_query("").map(|_| ())
    }

    fn has_broken(&self, conn: &mut PgConn) -> bool {
        conn.client.get_mut().is_closed()
    }
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> StoreError {
        use postgres::error::SqlState;
        let kind = match e.code() {
            Some(c) if *c == SqlState::UNIQUE_VIOLATION => DbErrorKind::Unique,
            Some(c)
                if *c == SqlState::T_R_SERIALIZATION_FAILURE
                    || *c == SqlState::T_R_DEADLOCK_DETECTED
                    || *c == SqlState::LOCK_NOT_AVAILABLE =>
            {
                DbErrorKind::Busy
            }
            _ => DbErrorKind::Other,
        };
        let message = match e.as_db_error() {
            Some(d) => match d.detail() {
                Some(detail) => format!("{}: {} ({detail})", d.severity(), d.message()),
                None => format!("{}: {}", d.severity(), d.message()),
            },
            None => e.to_string(),
        };
        DbError::store(kind, message)
    }
}

/// A statement in PostgreSQL's spelling (see the module doc).
pub(crate) fn translate(sql: &str) -> String {
    let sql = strftime(sql);
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    let mut next = 1;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                if digits.is_empty() {
                    digits = next.to_string();
                    next += 1;
                }
                out.push('$');
                out.push_str(&digits);
            }
            c => out.push(c),
        }
    }
    out
}

/// `strftime('%Y-%m-%dT%H:%M:%fZ', 'now'[, '-1 day' | ?4])` → `to_char(…)` in UTC.
fn strftime(sql: &str) -> String {
    let mut out = String::new();
    let mut rest = sql;
    while let Some(at) = rest.find("strftime('") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + "strftime('".len()..];
        let Some(fmt_end) = tail.find('\'') else {
            out.push_str(&rest[at..]);
            return out;
        };
        let fmt = &tail[..fmt_end];
        let Some(close) = tail.find(')') else {
            out.push_str(&rest[at..]);
            return out;
        };
        let args: Vec<&str> = tail[fmt_end + 1..close]
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .collect();
        let time = match args.as_slice() {
            ["'now'"] => "now()".to_string(),
            ["'now'", m] if m.starts_with('\'') => format!("(now() + interval {m})"),
            ["'now'", p] => format!("(now() + CAST(CAST({p} AS TEXT) AS INTERVAL))"),
            _ => {
                out.push_str(&rest[at..at + "strftime('".len() + close + 1]);
                rest = &tail[close + 1..];
                continue;
            }
        };
        let mut pg = String::new();
        let mut f = fmt.chars();
        while let Some(c) = f.next() {
            if c == '%' {
                pg.push_str(match f.next() {
                    Some('Y') => "YYYY",
                    Some('m') => "MM",
                    Some('d') => "DD",
                    Some('H') => "HH24",
                    Some('M') => "MI",
                    Some('S') => "SS",
                    Some('f') => "SS.MS",
                    _ => "",
                });
            } else if c.is_ascii_alphabetic() {
                pg.push('"');
                pg.push(c);
                pg.push('"');
            } else {
                pg.push(c);
            }
        }
        out.push_str(&format!("to_char({time} AT TIME ZONE 'UTC', '{pg}')"));
        rest = &tail[close + 1..];
    }
    out.push_str(rest);
    out
}

/// A value as the parameter type the server asked for.
#[derive(Debug)]
struct Param<'a>(&'a Value);

impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        let wrong = || -> Box<dyn std::error::Error + Sync + Send> {
            format!("cannot send {:?} as a {ty} parameter", self.0).into()
        };
        match self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i).map_err(|_| wrong())?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i).map_err(|_| wrong())?.to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::FLOAT4 => (*i as f32).to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                    i.to_string().to_sql(ty, out)
                }
                _ => Err(wrong()),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT8 => f.to_sql(ty, out),
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                Type::INT8 if f.fract() == 0.0 => (*f as i64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR | Type::UNKNOWN => f.to_string().to_sql(ty, out),
                _ => Err(wrong()),
            },
            Value::Text(s) => match *ty {
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                    s.as_str().to_sql(ty, out)
                }
                Type::BYTEA => s.as_bytes().to_sql(ty, out),
                _ => Err(wrong()),
            },
            Value::Blob(b) => match *ty {
                Type::BYTEA => b.as_slice().to_sql(ty, out),
                _ => Err(wrong()),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

fn column(row: &postgres::Row, i: usize) -> Result<Value> {
    let ty = row.columns()[i].type_().clone();
    let v = match ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map(Value::Int),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)?
            .map(|v| Value::Int(v.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)?
            .map(|v| Value::Int(v.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)?
            .map(|v| Value::Int(v.into())),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(i)?.map(Value::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(i)?
            .map(|v| Value::Real(v.into())),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
            row.try_get::<_, Option<String>>(i)?.map(Value::Text)
        }
        Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(i)?.map(Value::Blob),
        other => {
            return Err(DbError::store(
                DbErrorKind::Type,
                format!("column {i} is of type {other}, which the store does not read"),
            ))
        }
    };
    Ok(v.unwrap_or(Value::Null))
}

impl PgConn {
    fn statement(&self, sql: &str) -> Result<Statement> {
        if let Some(st) = self.prepared.borrow().get(sql) {
            return Ok(st.clone());
        }
        let pg = translate(sql);
        let st = self.client.borrow_mut().prepare(&pg).map_err(|e| {
            let e = StoreError::from(e);
            let short: String = pg.split_whitespace().collect::<Vec<_>>().join(" ");
            let short: String = short.chars().take(300).collect();
            DbError::store(
                crate::sql::db_kind(&e).unwrap_or(DbErrorKind::Other),
                format!("{e} in: {short}"),
            )
        })?;
        self.prepared
            .borrow_mut()
            .insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

impl Db for PgConn {
    fn run(&self, sql: &str, params: &[Value]) -> Result<usize> {
        let st = self.statement(sql)?;
        let ps: Vec<Param> = params.iter().map(Param).collect();
        let refs: Vec<&(dyn ToSql + Sync)> = ps.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let n = self.client.borrow_mut().execute(&st, &refs)?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn rows(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let st = self.statement(sql)?;
        let ps: Vec<Param> = params.iter().map(Param).collect();
        let refs: Vec<&(dyn ToSql + Sync)> = ps.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let rows = self.client.borrow_mut().query(&st, &refs)?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| column(r, i))
                    .collect::<Result<Vec<_>>>()
                    .map(Row)
            })
            .collect()
    }

    fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.client.borrow_mut().batch_execute(sql)?)
    }

    fn last_id(&self) -> Result<i64> {
        let row = self
            .client
            .borrow_mut()
            .query_one("SELECT lastval()", &[])?;
        Ok(row.try_get(0)?)
    }

    fn begin(&self, write: bool) -> Result<()> {
        self.batch(if write {
            "BEGIN ISOLATION LEVEL READ COMMITTED; LOCK TABLE schema_version IN SHARE ROW EXCLUSIVE MODE"
        } else {
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_in_postgres_spelling() {
        assert_eq!(
            translate("SELECT a FROM t WHERE b = ?1 AND c = '?' AND d IS NOT DISTINCT FROM ?12"),
            "SELECT a FROM t WHERE b = $1 AND c = '?' AND d IS NOT DISTINCT FROM $12"
        );
        assert_eq!(
            translate("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"),
            "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
        );
        assert_eq!(
            translate("x < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 day')"),
            "x < to_char((now() + interval '-1 day') AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
        );
        assert_eq!(
            translate("VALUES (?1, strftime('%Y-%m-%dT%H:%MZ', 'now', ?4))"),
            "VALUES ($1, to_char((now() + CAST(CAST($4 AS TEXT) AS INTERVAL)) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI\"Z\"'))"
        );
    }
}
