//! Moving a library from one database to another (`guihua migrate`): SQLite → PostgreSQL
//! when a library outgrows one machine, and back.
//!
//! Every table is copied row for row, ids included, in one write transaction on the
//! target, in an order that satisfies the foreign keys; the target must be empty (a new
//! database, or a new SQLite file). Then each table's rows are counted on both sides and
//! any difference is an error (the transaction is not committed). The history's
//! append-only triggers stay on: copying only inserts. The schema version table is not
//! copied (each side has migrated itself to the same version), nor the content version
//! (the target's counter moves on its own).

use crate::sql::{Db, Row, ToValue, Tx, Value};
use crate::{Result, SqlStore, StoreError};

/// The tables of a library in an order every foreign key allows.
pub const TABLES: &[&str] = &[
    "plans",
    "outline",
    "indicators",
    "targets",
    "projects",
    "indicator_links",
    "departments",
    "observations",
    "assignments",
    "project_status",
    "history",
    "users",
    "memberships",
    "publications",
    "releases",
    "sessions",
    "comments",
    "ratings",
    "rounds",
    "submissions",
    "submission_items",
    "api_tokens",
    "plan_texts",
    "remarks",
    "annual_targets",
];

/// Rows copied per table, in [`TABLES`] order.
pub type Copied = Vec<(&'static str, usize)>;

/// Rows fetched per query while copying (bounds memory on big tables).
const CHUNK: i64 = 2_000;

impl SqlStore {
    /// Copy this whole library into `target` (empty), verifying the counts.
    pub fn copy_into(
        &self,
        target: &SqlStore,
        progress: &mut dyn FnMut(&str, usize),
    ) -> Result<Copied> {
        let src = self.conn()?;
        let dst = target.conn()?;
        let read = Tx::begin(&*src, false)?;
        let write = Tx::begin(&*dst, true)?;
        for t in TABLES {
            let n: i64 = write.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))?;
            if n > 0 {
                return Err(StoreError::Invalid(format!(
                    "the target library is not empty (table {t} has {n} rows): migrate into a new database"
                )));
            }
        }
        let mut copied = Vec::new();
        for t in TABLES {
            let cols = columns(target.backend(), &write, t)?;
            let have = columns(self.backend(), &read, t)?;
            if let Some(missing) = cols.iter().find(|c| !have.contains(c)) {
                return Err(StoreError::Invalid(format!(
                    "table {t} has no column {missing} in the library copied from: both must be at the same schema version"
                )));
            }
            let list = cols.join(", ");
            // Tables without an id are keyed by their first column or two (plan_id,
            // local_id; token_hash): a stable order.
            let order = cols.iter().take(2).cloned().collect::<Vec<_>>().join(", ");
            let marks = (1..=cols.len())
                .map(|i| format!("?{i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let insert = format!("INSERT INTO {t} ({list}) VALUES ({marks})");
            // Rows with an id are read after the last id seen (each chunk one index range);
            // the few tables without one by offset.
            let id_col = cols.iter().position(|c| c == "id");
            let mut n = 0usize;
            let mut last_id = i64::MIN;
            loop {
                let rows: Vec<Row> = match id_col {
                    Some(_) => read.rows(
                        &format!("SELECT {list} FROM {t} WHERE id > ?1 ORDER BY id LIMIT {CHUNK}"),
                        &[Value::Int(last_id)],
                    )?,
                    None => read.rows(
                        &format!(
                            "SELECT {list} FROM {t} ORDER BY {order} LIMIT {CHUNK} OFFSET {n}"
                        ),
                        &[],
                    )?,
                };
                let Some(last) = rows.last() else { break };
                if let Some(i) = id_col {
                    last_id = last.get(i)?;
                }
                for r in &rows {
                    let params: Vec<&dyn ToValue> = r.0.iter().map(|v| v as &dyn ToValue).collect();
                    write.execute(&insert, params.as_slice())?;
                }
                n += rows.len();
                progress(t, n);
            }
            copied.push((*t, n));
        }
        // Counters of generated ids continue after the copied rows (PostgreSQL keeps them
        // apart from the tables; SQLite takes the largest id).
        if target.backend() == "postgres" {
            for t in TABLES {
                let cols = columns("postgres", &write, t)?;
                if cols.iter().any(|c| c == "id") {
                    write.execute_batch(&format!(
                        "SELECT setval(pg_get_serial_sequence('{t}', 'id'), COALESCE((SELECT MAX(id) FROM {t}), 0) + 1, false)"
                    ))?;
                }
            }
        }
        for (t, n) in &copied {
            let there: i64 =
                write.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))?;
            let here: i64 =
                read.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))?;
            if there != here || here != *n as i64 {
                return Err(StoreError::Invalid(format!(
                    "table {t}: {here} rows in the library, {n} read, {there} written: nothing was committed"
                )));
            }
        }
        write.commit()?;
        drop(read);
        Ok(copied)
    }
}

/// The columns of a table, in their order.
fn columns(backend: &str, db: &dyn Db, table: &str) -> Result<Vec<String>> {
    let rows = if backend == "postgres" {
        db.rows(
            "SELECT CAST(column_name AS TEXT) FROM information_schema.columns
             WHERE table_name = ?1 AND table_schema = current_schema() ORDER BY ordinal_position",
            &[Value::Text(table.into())],
        )?
    } else {
        db.rows(
            "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
            &[Value::Text(table.into())],
        )?
    };
    rows.iter().map(|r| r.get::<String>(0)).collect()
}
