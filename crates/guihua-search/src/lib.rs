//! Search across every plan in the library: "what do our plans say about 氢能?".
//!
//! One tantivy index holds a document per paragraph of every plan's text, per indicator,
//! target and project ([`docs`]), each with its plan, kind, outline path and line. Text is
//! indexed twice ([`tokenize`]): as pairs of neighbouring characters, which decide what
//! matches (every literal occurrence of a term, whatever jieba made of the sentence around
//! it) and rank (BM25), and as jieba words at ordinal positions, which decide
//! single-character terms. [`find`] turns a request into its best hits and a count
//! without evaluating every match.
//!
//! The index is **derived data**: it lives in a directory of its own beside the library
//! (never inside the database), can be deleted at any time and is rebuilt from the store.
//! It is kept in step lazily and across processes: every commit carries, as its payload,
//! the store's [`Store::content_version`] it reflects and the plans it holds; before a
//! search, [`SearchIndex::sync`] compares that with the store and adds the plans that are
//! missing, removes those deleted or revised (only the current version of a plan is
//! indexed), and re-indexes plans whose text arrived after they were indexed. Plans are
//! immutable once stored, so a plan's documents never change while it is in the index.
//! Index and payload commit together, so a crash leaves either the old state or the new.
//!
//! Architecture Invariant: nothing here writes to the store; the index is a cache of it.

pub mod docs;
pub mod find;
pub mod snippet;
pub mod tokenize;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use guihua_store::{PlanId, Store, StoreError};
use serde::{Deserialize, Serialize};
use tantivy::directory::error::LockError;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED,
    STRING,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term};

pub use docs::Kind;
pub use find::COUNT_LIMIT;
pub use snippet::Snippet;

/// The layout of the index and its payload; an index of another format is rebuilt.
const FORMAT: u32 = 2;
/// At most this many terms in one query (the rest are ignored, with a warning).
pub const MAX_TERMS: usize = 16;
/// At most this many characters in one term.
pub const MAX_TERM_CHARS: usize = 64;
/// Hits asked for at most in one request.
pub const MAX_LIMIT: usize = 500;
/// Hits skipped at most (paging): tantivy keeps a buffer of twice `offset + limit`, so an
/// unbounded page number from a request would be an unbounded allocation.
pub const MAX_OFFSET: usize = 10_000;
/// How long a sync waits for another process that is writing the index.
const LOCK_WAIT: Duration = Duration::from_secs(10);
/// Memory for one writer (tantivy splits it among its threads; at least 15 MB each).
const WRITER_MEMORY: usize = 120_000_000;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query or a filter is wrong.
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("search index: {0}")]
    Index(#[from] TantivyError),
    #[error("search index: {0}")]
    Io(#[from] std::io::Error),
}

pub type Result<T> = std::result::Result<T, SearchError>;

/// The fields of the index.
#[derive(Clone, Copy)]
pub(crate) struct Fields {
    plan: Field,
    kind: Field,
    period: Field,
    subject: Field,
    line: Field,
    location: Field,
    body: Field,
    body_chars: Field,
}

pub(crate) fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |analyzer: &str, stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored {
            o.set_stored()
        } else {
            o
        }
    };
    let fields = Fields {
        plan: b.add_u64_field("plan", INDEXED | STORED | FAST),
        kind: b.add_text_field("kind", STRING | STORED),
        period: b.add_text_field("period", STRING),
        subject: b.add_text_field("subject", STORED),
        line: b.add_u64_field("line", STORED),
        location: b.add_text_field("location", STORED),
        body: b.add_text_field("body", text(tokenize::WORDS, true)),
        body_chars: b.add_text_field("body_chars", text(tokenize::CHARS, false)),
    };
    (b.build(), fields)
}

/// What a commit says about the index (its payload).
#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq)]
struct State {
    format: u32,
    /// The store's content version the index reflects.
    content_version: i64,
    /// The plans indexed, each with whether its text was indexed too.
    plans: BTreeMap<i64, bool>,
}

/// What a sync did.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Synced {
    pub added: usize,
    pub removed: usize,
    /// Documents written.
    pub documents: usize,
    /// Things a reader should know (a plan that could not be indexed, an index another
    /// process holds): never silent.
    pub warnings: Vec<String>,
}

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Words as a person types them: every term must occur (AND); "…" or “…” keeps a
    /// phrase with spaces together.
    pub query: String,
    /// Only these plans (`None`: every plan indexed).
    pub plans: Option<Vec<PlanId>>,
    pub kind: Option<Kind>,
    /// Only plans of this five-year plan (14: 2021–2025, 15: 2026–2030).
    pub period: Option<u32>,
    pub limit: usize,
    pub offset: usize,
}

/// One hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub plan_id: PlanId,
    pub kind: Kind,
    /// The indicator, target or project ("i3"); `None` for a paragraph.
    pub subject: Option<String>,
    pub line: u32,
    /// Outline path above the hit.
    pub location: String,
    pub snippet: Snippet,
    pub score: f32,
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The hits of a request.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Found {
    /// The terms searched for, as understood.
    pub terms: Vec<String>,
    /// Matching documents in all (hits are `limit` of them from `offset`); counted
    /// exactly up to [`COUNT_LIMIT`], beyond it a lower bound (see `total_exact`).
    pub total: usize,
    /// False when there are at least `total` matches, more were not counted.
    pub total_exact: bool,
    pub hits: Vec<Hit>,
    /// Why the query was not taken as typed (terms dropped or cut), if so.
    pub warnings: Vec<String>,
}

/// The terms of a query: split at white space, quotes keeping phrases together.
pub fn parse_terms(query: &str) -> (Vec<String>, Vec<String>) {
    let mut terms = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in query.chars() {
        match c {
            '"' | '“' | '”' | '「' | '」' => {
                if quoted || !cur.trim().is_empty() {
                    terms.push(std::mem::take(&mut cur));
                }
                cur.clear();
                quoted = !quoted;
            }
            c if c.is_whitespace() && !quoted => terms.push(std::mem::take(&mut cur)),
            c if c.is_control() => {}
            c => cur.push(c),
        }
    }
    terms.push(cur);
    let mut warnings = Vec::new();
    let mut out: Vec<String> = Vec::new();
    for t in terms {
        let t = t.trim();
        if t.is_empty() || out.iter().any(|o| o == t) {
            continue;
        }
        let t = if t.chars().count() > MAX_TERM_CHARS {
            warnings.push(format!(
                "a term longer than {MAX_TERM_CHARS} characters was cut"
            ));
            t.chars().take(MAX_TERM_CHARS).collect()
        } else {
            t.to_string()
        };
        if out.len() == MAX_TERMS {
            warnings.push(format!("only the first {MAX_TERMS} terms are searched for"));
            break;
        }
        out.push(t);
    }
    (out, warnings)
}

/// The index of a library, in a directory of its own.
pub struct SearchIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// One sync at a time in this process (other processes: tantivy's writer lock).
    syncing: Mutex<()>,
    /// The content version last seen in step, so a search on an unchanged library does
    /// not read the index's metadata.
    seen: Mutex<Option<i64>>,
}

impl SearchIndex {
    /// Open the index in `dir`, creating it (empty: [`SearchIndex::sync`] fills it) when
    /// there is none. An index that cannot be opened (damaged, another format) is
    /// replaced by an empty one; the returned notes say so.
    pub fn open(dir: &Path) -> Result<(SearchIndex, Vec<String>)> {
        std::fs::create_dir_all(dir)?;
        let mut notes = Vec::new();
        let (schema, fields) = schema();
        let index = match Index::open_in_dir(dir) {
            Ok(index) if index.schema() == schema => index,
            Ok(_) => {
                notes.push(format!(
                    "the search index in {} was of another version: it is rebuilt",
                    dir.display()
                ));
                clear_dir(dir)?;
                Index::create_in_dir(dir, schema)?
            }
            Err(TantivyError::OpenDirectoryError(_)) | Err(TantivyError::OpenReadError(_))
                if !dir.join("meta.json").exists() =>
            {
                Index::create_in_dir(dir, schema)?
            }
            Err(e) => {
                notes.push(format!(
                    "the search index in {} could not be read ({e}): it is rebuilt",
                    dir.display()
                ));
                clear_dir(dir)?;
                Index::create_in_dir(dir, schema)?
            }
        };
        index
            .tokenizers()
            .register(tokenize::WORDS, tokenize::words());
        index
            .tokenizers()
            .register(tokenize::CHARS, tokenize::chars());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok((
            SearchIndex {
                dir: dir.to_path_buf(),
                index,
                reader,
                fields,
                syncing: Mutex::new(()),
                seen: Mutex::new(None),
            },
            notes,
        ))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn state(&self) -> Result<State> {
        let metas = self.index.load_metas()?;
        Ok(metas
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str::<State>(p).ok())
            .filter(|s| s.format == FORMAT)
            .unwrap_or_default())
    }

    /// Documents indexed now (every kind).
    pub fn documents(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The plans indexed now.
    pub fn plans(&self) -> Result<usize> {
        Ok(self.state()?.plans.len())
    }

    /// Bytes the index takes on disk.
    pub fn size_on_disk(&self) -> Result<u64> {
        let mut n = 0;
        for e in std::fs::read_dir(&self.dir)? {
            let m = e?.metadata()?;
            if m.is_file() {
                n += m.len();
            }
        }
        Ok(n)
    }

    /// Bring the index in step with the store (see the crate doc). Cheap when nothing
    /// changed: one question to the store.
    pub fn sync(&self, store: &dyn Store) -> Result<Synced> {
        self.update(store, false)
    }

    /// Throw the index away and build it again from the store.
    pub fn reindex(&self, store: &dyn Store) -> Result<Synced> {
        self.update(store, true)
    }

    fn update(&self, store: &dyn Store, rebuild: bool) -> Result<Synced> {
        let _turn = self.syncing.lock().unwrap_or_else(|e| e.into_inner());
        let version = store.content_version()?;
        if !rebuild && *self.seen.lock().unwrap_or_else(|e| e.into_inner()) == Some(version) {
            return Ok(Synced::default());
        }
        let mut state = if rebuild {
            State::default()
        } else {
            self.state()?
        };
        if !rebuild && state.format == FORMAT && state.content_version == version {
            self.reader.reload()?;
            *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = Some(version);
            return Ok(Synced::default());
        }
        let current: BTreeSet<i64> = store
            .plans()?
            .into_iter()
            .filter(|p| p.next_id.is_none())
            .map(|p| p.id)
            .collect();
        let removed: Vec<i64> = state
            .plans
            .keys()
            .filter(|id| !current.contains(id))
            .copied()
            .collect();
        let mut add: Vec<i64> = Vec::new();
        for &id in &current {
            match state.plans.get(&id) {
                None => add.push(id),
                // Indexed before its text was kept: index it again once the text is there.
                Some(false) if store.has_plan_text(id)? => add.push(id),
                Some(_) => {}
            }
        }
        let mut done = Synced::default();
        if removed.is_empty() && add.is_empty() && !rebuild {
            // Nothing indexed changes (an observation, a comment): no commit. Another
            // process finds the same by the same comparison.
            *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = Some(version);
            return Ok(done);
        }
        let fields = self.fields;
        let result = self.commit_state_with(&mut state, |writer, state| {
            if rebuild {
                writer.delete_all_documents()?;
            }
            for id in &removed {
                writer.delete_term(Term::from_field_u64(fields.plan, *id as u64));
                state.plans.remove(id);
                done.removed += 1;
            }
            for &id in &add {
                writer.delete_term(Term::from_field_u64(fields.plan, id as u64));
                match plan_documents(store, id) {
                    Ok((docs, period, has_text)) => {
                        for d in &docs {
                            writer.add_document(self.tantivy_doc(id, period, d))?;
                        }
                        done.documents += docs.len();
                        done.added += 1;
                        state.plans.insert(id, has_text);
                    }
                    Err(e) => {
                        state.plans.remove(&id);
                        done.warnings
                            .push(format!("plan {id} could not be indexed: {e}"));
                    }
                }
            }
            state.format = FORMAT;
            state.content_version = version;
            Ok(())
        });
        match result {
            Ok(()) => {
                *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = Some(version);
                Ok(done)
            }
            Err(SearchError::Index(TantivyError::LockFailure(LockError::LockBusy, _))) => {
                Ok(Synced {
                    warnings: vec![format!(
                        "the search index in {} is being updated by another process: results may miss the latest changes",
                        self.dir.display()
                    )],
                    ..Synced::default()
                })
            }
            Err(e) => Err(e),
        }
    }

    /// Run `f` with the writer (waiting for another process's writer), then commit with
    /// the state as payload.
    fn commit_state_with(
        &self,
        state: &mut State,
        f: impl FnOnce(&IndexWriter, &mut State) -> Result<()>,
    ) -> Result<()> {
        let start = Instant::now();
        let mut writer: IndexWriter = loop {
            match self.index.writer(WRITER_MEMORY) {
                Ok(w) => break w,
                Err(TantivyError::LockFailure(LockError::LockBusy, _))
                    if start.elapsed() < LOCK_WAIT =>
                {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => return Err(e.into()),
            }
        };
        if let Err(e) = f(&writer, state) {
            writer.rollback()?;
            return Err(e);
        }
        let payload = serde_json::to_string(state).map_err(std::io::Error::other)?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(())
    }

    fn tantivy_doc(&self, plan: i64, period: Option<u32>, d: &docs::Doc) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.plan, plan as u64);
        doc.add_text(f.kind, d.kind.as_str());
        if let Some(p) = period {
            doc.add_text(f.period, p.to_string());
        }
        if let Some(s) = &d.subject {
            doc.add_text(f.subject, s);
        }
        doc.add_u64(f.line, u64::from(d.line));
        doc.add_text(f.location, &d.location);
        doc.add_text(f.body, &d.body);
        doc.add_text(f.body_chars, &d.body);
        doc
    }

    /// Search the index as it is (call [`SearchIndex::sync`] first to be in step).
    pub fn search(&self, req: &Request) -> Result<Found> {
        let (terms, warnings) = parse_terms(&req.query);
        if terms.is_empty() {
            return Err(SearchError::Invalid(
                "the query is empty: type one or more words (搜索词)".into(),
            ));
        }
        if req.period.is_some_and(|p| !(1..=30).contains(&p)) {
            return Err(SearchError::Invalid(format!(
                "period {} is not a five-year plan (14 for 2021–2025, 15 for 2026–2030)",
                req.period.unwrap_or_default()
            )));
        }
        if req.offset > MAX_OFFSET {
            return Err(SearchError::Invalid(format!(
                "only the first {MAX_OFFSET} hits can be paged through: narrow the search (a plan, a kind, a period, another word)"
            )));
        }
        let f = self.fields;
        let mut words = tokenize::words();
        let mut chars = tokenize::chars();
        let mut pieces: Vec<find::Piece> = Vec::new();
        let mut warnings = warnings;
        for t in &terms {
            let single = t.chars().filter(|c| !c.is_whitespace()).count() == 1;
            let w = tokenize::terms(&mut words, t);
            // The literal occurrence decides what matches; a single character is a word.
            if let (true, [word]) = (single, w.as_slice()) {
                warnings.push(format!(
                    "{t}: a single character is found where it is a word of its own"
                ));
                pieces.push(find::Piece::Word(Term::from_field_text(f.body, word)));
                continue;
            }
            let c = tokenize::terms(&mut chars, t);
            if !c.is_empty() {
                pieces.push(find::Piece::Literal(
                    c.iter()
                        .map(|p| Term::from_field_text(f.body_chars, p))
                        .collect(),
                ));
            }
        }
        if pieces.is_empty() {
            return Err(SearchError::Invalid(
                "the query has no word to search for".into(),
            ));
        }
        let mut filters: Vec<find::Filter> = Vec::new();
        if let Some(k) = req.kind {
            filters.push(find::Filter::Term(Term::from_field_text(
                f.kind,
                k.as_str(),
            )));
        }
        if let Some(p) = req.period {
            filters.push(find::Filter::Term(Term::from_field_text(
                f.period,
                &p.to_string(),
            )));
        }
        if let Some(plans) = &req.plans {
            if plans.is_empty() {
                return Ok(Found {
                    terms,
                    warnings,
                    total_exact: true,
                    ..Found::default()
                });
            }
            filters.push(find::Filter::Plans {
                field: f.plan,
                plans: plans.iter().map(|p| *p as u64).collect(),
            });
        }
        let limit = req.limit.clamp(1, MAX_LIMIT);
        let searcher = self.reader.searcher();
        let best = find::best(
            &searcher,
            f.body_chars,
            &pieces,
            &filters,
            req.offset + limit,
        )?;
        let counted = find::count(&searcher, &pieces, &filters)?;
        let top: Vec<_> = best.into_iter().skip(req.offset).collect();
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let body = text(f.body).unwrap_or_default();
            hits.push(Hit {
                plan_id: doc
                    .get_first(f.plan)
                    .and_then(|v| v.as_u64())
                    .unwrap_or_default() as PlanId,
                kind: text(f.kind)
                    .as_deref()
                    .and_then(Kind::parse)
                    .unwrap_or(Kind::Text),
                subject: text(f.subject),
                line: doc
                    .get_first(f.line)
                    .and_then(|v| v.as_u64())
                    .and_then(|l| u32::try_from(l).ok())
                    .unwrap_or_default(),
                location: text(f.location).unwrap_or_default(),
                snippet: snippet::snippet(&body, &terms),
                score,
            });
        }
        Ok(Found {
            terms,
            total: counted.total,
            total_exact: counted.exact,
            hits,
            warnings,
        })
    }
}

/// A plan's documents, its five-year-plan number and whether its text was there.
fn plan_documents(
    store: &dyn Store,
    id: PlanId,
) -> std::result::Result<(Vec<docs::Doc>, Option<u32>, bool), String> {
    let json = store.plan_json(id).map_err(|e| e.to_string())?;
    let plan = guihua_contract::read::from_value(&json).map_err(|e| e.to_string())?;
    let text = store.plan_text(id).map_err(|e| e.to_string())?;
    let period = plan.period.and_then(|p| docs::five_year_number(p.start));
    Ok((
        docs::documents(&plan, text.as_deref()),
        period,
        text.is_some(),
    ))
}

/// Remove the files of an index directory (it holds nothing else: it is ours).
fn clear_dir(dir: &Path) -> Result<()> {
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        if e.file_type()?.is_file() {
            std::fs::remove_file(e.path())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_split_at_spaces_and_keep_quoted_phrases() {
        let (t, w) = parse_terms("氢能  城市更新 \"新型 储能\" “低空 经济” 氢能");
        assert_eq!(t, vec!["氢能", "城市更新", "新型 储能", "低空 经济"]);
        assert!(w.is_empty());
        let (t, _) = parse_terms("   ");
        assert!(t.is_empty());
    }

    #[test]
    fn too_many_or_too_long_terms_are_said() {
        let q: Vec<String> = (0..20).map(|i| format!("词{i}")).collect();
        let (t, w) = parse_terms(&q.join(" "));
        assert_eq!(t.len(), MAX_TERMS);
        assert_eq!(w.len(), 1);
        let (t, w) = parse_terms(&"长".repeat(100));
        assert_eq!(t[0].chars().count(), MAX_TERM_CHARS);
        assert_eq!(w.len(), 1);
    }
}
