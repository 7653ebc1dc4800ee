//! How a request becomes its best hits and its count without touching every match.
//!
//! Why this module exists: over a library of thousands of plans a common term matches
//! hundreds of thousands of paragraphs (发展: ~600,000 of 2.3 million documents over 3,000
//! plans). Scoring and counting every match, as a plain `(TopDocs, Count)` search does,
//! costs 50–200 ms for such a term. Two things make it cheap:
//!
//! - **Best hits by block-max WAND.** A match is decided by the character pairs of each
//!   term (see [`crate::tokenize`]): the *driver* is the intersection of those pair terms
//!   as plain term queries, which tantivy scores with BM25 and prunes block by block
//!   (`Weight::for_each_pruning`): blocks that cannot beat the k-th best score are
//!   skipped undecoded. A candidate is then *verified* here: the pairs of every term of
//!   three characters or more must stand side by side (positions read from the postings
//!   at that one document), the kind, period and plan filters must hold, the document
//!   must be alive. The threshold is carried from segment to segment. A filter that is
//!   much narrower than the terms drives the search instead (then every document it
//!   admits is scored, which is cheap because there are few).
//! - **Counting up to a limit.** Matches are counted exactly up to [`COUNT_LIMIT`];
//!   beyond that the count says "at least" ([`Counted::exact`] false) — as Lucene and
//!   Elasticsearch do. A single term without filters is counted exactly from the term
//!   dictionary whatever its size, in segments without deletions.
//!
//! The hand-written part is only the verification of positions at one document (tantivy's
//! phrase scorer can only walk forward to the *next* match, which would evaluate the
//! positions of documents the pruning skips). The ranking is BM25 over character pairs,
//! summed over the pairs of all terms; jieba words decide only single-character terms.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashSet};
use std::sync::atomic::{AtomicU32, Ordering as AtomicOrdering};

use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{
    BooleanQuery, EnableScoring, Occur, PhraseQuery, Query, TermQuery, TermSetQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, Term, TERMINATED};

/// Matches are counted exactly up to this many; beyond it a count is a lower bound.
pub const COUNT_LIMIT: usize = 1_000;

/// From this many documents the best hits are searched for on two threads.
const PARALLEL_FROM: u64 = 200_000;

/// A filter narrower than the terms by this factor drives the search.
const NARROW: u64 = 8;

/// One term of a query as the index knows it.
#[derive(Debug, Clone)]
pub enum Piece {
    /// A literal: its character pairs in order (one pair, or the single character).
    Literal(Vec<Term>),
    /// A jieba word (single characters only).
    Word(Term),
}

impl Piece {
    fn terms(&self) -> &[Term] {
        match self {
            Piece::Literal(t) => t,
            Piece::Word(t) => std::slice::from_ref(t),
        }
    }

    /// The query that matches exactly this piece (for counting).
    fn query(&self) -> Box<dyn Query> {
        match self {
            Piece::Literal(pairs) if pairs.len() > 1 => Box::new(PhraseQuery::new(pairs.clone())),
            _ => Box::new(TermQuery::new(
                self.terms()[0].clone(),
                IndexRecordOption::WithFreqs,
            )),
        }
    }
}

/// A restriction on where hits may be.
#[derive(Debug, Clone)]
pub enum Filter {
    /// The document has this term (kind, period: untokenized fields).
    Term(Term),
    /// The document belongs to one of these plans (the `plan` fast field).
    Plans { field: Field, plans: HashSet<u64> },
}

impl Filter {
    fn query(&self) -> Box<dyn Query> {
        match self {
            Filter::Term(t) => Box::new(TermQuery::new(t.clone(), IndexRecordOption::Basic)),
            Filter::Plans { field, plans } => Box::new(TermSetQuery::new(
                plans.iter().map(|p| Term::from_field_u64(*field, *p)),
            )),
        }
    }

    /// Documents the filter admits, summed over segments (an estimate of its cost).
    fn size(&self, searcher: &Searcher) -> tantivy::Result<u64> {
        match self {
            Filter::Term(t) => searcher.doc_freq(t),
            Filter::Plans { field, plans } => plans.iter().try_fold(0u64, |n, p| {
                Ok(n + searcher.doc_freq(&Term::from_field_u64(*field, *p))?)
            }),
        }
    }
}

/// A count of matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub total: usize,
    /// False when counting stopped at [`COUNT_LIMIT`]: there are at least `total`.
    pub exact: bool,
}

/// The `k` best matches, best first (ties: the earlier document first).
pub fn best(
    searcher: &Searcher,
    pairs_field: Field,
    pieces: &[Piece],
    filters: &[Filter],
    k: usize,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    best_with(searcher, pairs_field, pieces, filters, k, PARALLEL_FROM)
}

/// [`best`], on two threads from `parallel_from` documents in the index.
fn best_with(
    searcher: &Searcher,
    pairs_field: Field,
    pieces: &[Piece],
    filters: &[Filter],
    k: usize,
    parallel_from: u64,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    let mut drive: Vec<Term> = Vec::new();
    for t in pieces.iter().flat_map(Piece::terms) {
        if !drive.contains(t) {
            drive.push(t.clone());
        }
    }
    if drive.is_empty() || k == 0 {
        return Ok(Vec::new());
    }
    let mut smallest = u64::MAX;
    for t in &drive {
        smallest = smallest.min(searcher.doc_freq(t)?);
    }
    if smallest == 0 {
        return Ok(Vec::new());
    }
    // Filters much narrower than the rarest term drive; the others are checked.
    let mut driving: Vec<&Filter> = Vec::new();
    let mut checked: Vec<&Filter> = Vec::new();
    for f in filters {
        if f.size(searcher)?.saturating_mul(NARROW) < smallest {
            driving.push(f);
        } else {
            checked.push(f);
        }
    }
    let query: Box<dyn Query> = if drive.len() == 1 && driving.is_empty() {
        Box::new(TermQuery::new(
            drive[0].clone(),
            IndexRecordOption::WithFreqs,
        ))
    } else {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = drive
            .iter()
            .map(|t| -> (Occur, Box<dyn Query>) {
                (
                    Occur::Must,
                    Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs)),
                )
            })
            .collect();
        clauses.extend(driving.iter().map(|f| (Occur::Must, f.query())));
        Box::new(BooleanQuery::new(clauses))
    };
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;

    // The literals whose pairs must stand side by side, over the distinct pair terms.
    let mut pair_terms: Vec<Term> = Vec::new();
    let literals: Vec<Vec<(u32, usize)>> = pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Literal(pairs) if pairs.len() > 1 => Some(pairs),
            _ => None,
        })
        .map(|pairs| {
            pairs
                .iter()
                .enumerate()
                .map(|(offset, t)| {
                    let i = match pair_terms.iter().position(|x| x == t) {
                        Some(i) => i,
                        None => {
                            pair_terms.push(t.clone());
                            pair_terms.len() - 1
                        }
                    };
                    (offset as u32, i)
                })
                .collect()
        })
        .collect();

    let scan = Scan {
        weight: weight.as_ref(),
        pairs_field,
        pair_terms: &pair_terms,
        literals: &literals,
        checked: &checked,
        k,
    };
    let segments = searcher.segment_readers();
    let docs: Vec<u64> = segments.iter().map(|s| u64::from(s.max_doc())).collect();
    let all: u64 = docs.iter().sum();
    // Two halves of the segments on two threads when there is enough to share; each
    // half prunes with the other's k-th best score as well as its own.
    let split = (segments.len() >= 2 && all >= parallel_from)
        .then(|| {
            let mut sum = 0;
            docs.iter()
                .position(|d| {
                    sum += d;
                    sum * 2 >= all
                })
                .map(|i| (i + 1).min(segments.len() - 1))
        })
        .flatten();
    let shared = [
        AtomicU32::new(Score::MIN.to_bits()),
        AtomicU32::new(Score::MIN.to_bits()),
    ];
    let top = match split {
        None => scan.segments(searcher, 0..segments.len(), None)?,
        Some(at) => {
            let (first, second) = std::thread::scope(|s| {
                let later =
                    s.spawn(|| scan.segments(searcher, at..segments.len(), Some((&shared, 1))));
                let first = scan.segments(searcher, 0..at, Some((&shared, 0)));
                (first, later.join())
            });
            let mut top = first?;
            let second = second.map_err(|_| {
                tantivy::TantivyError::InternalError("a search thread panicked".into())
            })??;
            for e in second.heap.into_iter() {
                top.push(e.0);
            }
            top
        }
    };
    Ok(top.into_sorted())
}

/// What every segment is searched with.
struct Scan<'a> {
    weight: &'a dyn Weight,
    pairs_field: Field,
    pair_terms: &'a [Term],
    literals: &'a [Vec<(u32, usize)>],
    checked: &'a [&'a Filter],
    k: usize,
}

impl Scan<'_> {
    /// The best `k` of the segments in `range`. With `shared` (the thresholds of both
    /// halves, and which half this is), the other half's k-th best score prunes too: the
    /// earlier half's ties win (lower addresses), so the later half may drop a score
    /// equal to it, the earlier half only a lower one.
    fn segments(
        &self,
        searcher: &Searcher,
        range: std::ops::Range<usize>,
        shared: Option<(&[AtomicU32; 2], usize)>,
    ) -> tantivy::Result<TopK> {
        let mut top = TopK::new(self.k);
        let mut own = Score::MIN;
        let other = || -> Score {
            match shared {
                None => Score::MIN,
                Some((t, 1)) => Score::from_bits(t[0].load(AtomicOrdering::Relaxed)),
                Some((t, _)) => {
                    let s = Score::from_bits(t[1].load(AtomicOrdering::Relaxed));
                    if s > 0.0 {
                        // The largest score below it: an equal score still enters.
                        Score::from_bits(s.to_bits() - 1)
                    } else {
                        Score::MIN
                    }
                }
            }
        };
        let segments = searcher.segment_readers();
        'segments: for ord in range {
            let segment = &segments[ord];
            let mut postings: Vec<SegmentPostings> = Vec::with_capacity(self.pair_terms.len());
            if !self.pair_terms.is_empty() {
                let inverted = segment.inverted_index(self.pairs_field)?;
                for t in self.pair_terms {
                    match inverted.read_postings(t, IndexRecordOption::WithFreqsAndPositions)? {
                        Some(p) => postings.push(p),
                        None => continue 'segments,
                    }
                }
            }
            let mut loaded: Vec<(DocId, Vec<u32>)> = vec![(TERMINATED, Vec::new()); postings.len()];
            let mut term_checks: Vec<SegmentPostings> = Vec::new();
            let mut plan_checks = Vec::new();
            for f in self.checked {
                match f {
                    Filter::Term(t) => {
                        let inverted = segment.inverted_index(t.field())?;
                        match inverted.read_postings(t, IndexRecordOption::Basic)? {
                            Some(p) => term_checks.push(p),
                            None => continue 'segments,
                        }
                    }
                    Filter::Plans { field, plans } => {
                        let name = searcher.schema().get_field_name(*field);
                        plan_checks.push((segment.fast_fields().u64(name)?, plans));
                    }
                }
            }
            let alive = segment.alive_bitset();
            let start = own.max(other());
            self.weight
                .for_each_pruning(start, segment, &mut |doc, score| {
                    let threshold = own.max(other());
                    if alive.is_some_and(|a| a.is_deleted(doc)) {
                        return threshold;
                    }
                    for p in term_checks.iter_mut() {
                        if p.doc() < doc {
                            p.seek(doc);
                        }
                        if p.doc() != doc {
                            return threshold;
                        }
                    }
                    for (column, plans) in &plan_checks {
                        if !column.first(doc).is_some_and(|p| plans.contains(&p)) {
                            return threshold;
                        }
                    }
                    for literal in self.literals {
                        if !side_by_side(doc, literal, &mut postings, &mut loaded) {
                            return threshold;
                        }
                    }
                    top.push(Entry {
                        score,
                        at: DocAddress::new(ord as u32, doc),
                    });
                    let now = top.threshold();
                    if now > own {
                        own = now;
                        if let Some((t, half)) = shared {
                            t[half].store(own.to_bits(), AtomicOrdering::Relaxed);
                        }
                    }
                    own.max(other())
                })?;
        }
        Ok(top)
    }
}

/// Whether the pairs of `literal` (offset, index into `postings`) stand side by side in
/// `doc`. Documents come in increasing order; `loaded` keeps each term's positions for
/// the document they were read for.
fn side_by_side(
    doc: DocId,
    literal: &[(u32, usize)],
    postings: &mut [SegmentPostings],
    loaded: &mut [(DocId, Vec<u32>)],
) -> bool {
    for &(_, i) in literal {
        if loaded[i].0 == doc {
            continue;
        }
        let p = &mut postings[i];
        if p.doc() < doc {
            p.seek(doc);
        }
        if p.doc() != doc {
            return false;
        }
        let (at, positions) = &mut loaded[i];
        positions.clear();
        p.positions(positions);
        *at = doc;
    }
    let (first_offset, first) = literal[0];
    loaded[first].1.iter().any(|&p| {
        p >= first_offset
            && literal.iter().all(|&(offset, i)| {
                loaded[i]
                    .1
                    .binary_search(&(p - first_offset + offset))
                    .is_ok()
            })
    })
}

/// Count the matches, exactly up to [`COUNT_LIMIT`].
pub fn count(
    searcher: &Searcher,
    pieces: &[Piece],
    filters: &[Filter],
) -> tantivy::Result<Counted> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        pieces.iter().map(|p| (Occur::Must, p.query())).collect();
    clauses.extend(filters.iter().map(|f| (Occur::Must, f.query())));
    if clauses.is_empty() {
        return Ok(Counted {
            total: 0,
            exact: true,
        });
    }
    // One term alone: its document frequency is the count (where nothing was deleted).
    let single = clauses.len() == 1 && pieces.first().is_some_and(|p| p.terms().len() == 1);
    let query: Box<dyn Query> = if clauses.len() == 1 {
        clauses
            .pop()
            .map(|(_, q)| q)
            .unwrap_or_else(|| unreachable!())
    } else {
        Box::new(BooleanQuery::new(clauses))
    };
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut total = 0usize;
    for segment in searcher.segment_readers() {
        let alive = segment.alive_bitset();
        if single && alive.is_none() {
            total += weight.count(segment)? as usize;
            continue;
        }
        if total >= COUNT_LIMIT {
            return Ok(Counted {
                total,
                exact: false,
            });
        }
        let mut scorer = weight.scorer(segment, 1.0)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if !alive.is_some_and(|a| a.is_deleted(doc)) {
                total += 1;
                if total >= COUNT_LIMIT {
                    // Exactly at the limit is exact only if nothing follows.
                    let more = more_alive(scorer.as_mut(), alive);
                    return Ok(Counted {
                        total,
                        exact: !more,
                    });
                }
            }
            doc = scorer.advance();
        }
    }
    Ok(Counted { total, exact: true })
}

/// Whether another live document follows the scorer's current one.
fn more_alive(scorer: &mut dyn DocSet, alive: Option<&tantivy::fastfield::AliveBitSet>) -> bool {
    loop {
        let doc = scorer.advance();
        if doc == TERMINATED {
            return false;
        }
        if !alive.is_some_and(|a| a.is_deleted(doc)) {
            return true;
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    score: Score,
    at: DocAddress,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    /// Better is greater: a higher score, then the earlier document.
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.at.cmp(&self.at))
    }
}

/// The `k` best entries seen (a min-heap of them).
struct TopK {
    k: usize,
    heap: BinaryHeap<Reverse<Entry>>,
}

impl TopK {
    fn new(k: usize) -> TopK {
        TopK {
            k,
            heap: BinaryHeap::with_capacity(k.min(4096) + 1),
        }
    }

    fn push(&mut self, e: Entry) {
        if self.heap.len() < self.k {
            self.heap.push(Reverse(e));
        } else if self.heap.peek().is_some_and(|Reverse(worst)| e > *worst) {
            self.heap.pop();
            self.heap.push(Reverse(e));
        }
    }

    /// The score a document must beat to enter (only when full).
    fn threshold(&self) -> Score {
        match self.heap.peek() {
            Some(Reverse(worst)) if self.heap.len() >= self.k => worst.score,
            _ => Score::MIN,
        }
    }

    fn into_sorted(self) -> Vec<(Score, DocAddress)> {
        let mut v: Vec<Entry> = self.heap.into_iter().map(|Reverse(e)| e).collect();
        v.sort_by(|a, b| b.cmp(a));
        v.into_iter().map(|e| (e.score, e.at)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{schema, tokenize, Fields};
    use proptest::prelude::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::BoostQuery;
    use tantivy::{Index, IndexWriter, TantivyDocument};

    /// A document: its body, kind, plan.
    type Doc = (String, &'static str, u64);

    /// An index in memory over `docs`, committed in `segments` parts; then the documents
    /// of the plans in `deleted` are deleted.
    fn index(docs: &[Doc], segments: usize, deleted: &[u64]) -> (Index, Fields) {
        let (schema, f) = schema();
        let index = Index::create_in_ram(schema);
        index
            .tokenizers()
            .register(tokenize::WORDS, tokenize::words());
        index
            .tokenizers()
            .register(tokenize::CHARS, tokenize::chars());
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        w.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        let per = docs.len().div_ceil(segments.max(1)).max(1);
        for part in docs.chunks(per) {
            for (body, kind, plan) in part {
                let mut d = TantivyDocument::default();
                d.add_u64(f.plan, *plan);
                d.add_text(f.kind, kind);
                d.add_text(f.body, body);
                d.add_text(f.body_chars, body);
                w.add_document(d).unwrap();
            }
            w.commit().unwrap();
        }
        for p in deleted {
            w.delete_term(Term::from_field_u64(f.plan, *p));
        }
        w.commit().unwrap();
        (index, f)
    }

    fn pieces(f: &Fields, terms: &[String]) -> Vec<Piece> {
        let mut chars = tokenize::chars();
        terms
            .iter()
            .map(|t| {
                Piece::Literal(
                    tokenize::terms(&mut chars, t)
                        .iter()
                        .map(|p| Term::from_field_text(f.body_chars, p))
                        .collect(),
                )
            })
            .collect()
    }

    /// Whether a body holds every term literally (white space ignored).
    fn literal_match(body: &str, terms: &[String]) -> bool {
        let flat: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        terms.iter().all(|t| flat.contains(t.as_str()))
    }

    fn alphabet() -> impl Strategy<Value = char> {
        prop::sample::select(vec!['发', '展', '建', '设', '高', '质', ' '])
    }

    fn text(len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
        prop::collection::vec(alphabet(), len).prop_map(|v| v.into_iter().collect())
    }

    fn term() -> impl Strategy<Value = String> {
        text(2..5).prop_filter_map("a term of 2–4 characters", |t| {
            let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
            (t.chars().count() >= 2).then_some(t)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// The pruned best hits and the bounded count equal a full evaluation: the same
        /// scores in the same order as tantivy's unpruned `TopDocs` over the same terms,
        /// every hit a literal match, and the count that of a scan of the bodies.
        #[test]
        fn best_and_count_agree_with_full_evaluation(
            docs in prop::collection::vec(
                (text(0..14), prop::sample::select(vec!["text", "indicator"]), 1u64..5),
                1..120,
            ),
            segments in 1usize..4,
            deleted in prop::collection::vec(1u64..5, 0..2),
            terms in prop::collection::vec(term(), 1..3),
            kind in prop::option::of(prop::sample::select(vec!["text", "indicator"])),
            plans in prop::option::of(prop::collection::hash_set(1u64..5, 1..3)),
            k in 1usize..8,
            parallel in prop::sample::select(vec![0u64, u64::MAX]),
        ) {
            let (index, f) = index(&docs, segments, &deleted);
            let searcher = index.reader().unwrap().searcher();
            let pieces = pieces(&f, &terms);
            let mut filters = Vec::new();
            if let Some(kind) = kind {
                filters.push(Filter::Term(Term::from_field_text(f.kind, kind)));
            }
            if let Some(plans) = &plans {
                filters.push(Filter::Plans { field: f.plan, plans: plans.clone() });
            }
            let matches = |(body, kind2, plan): &Doc| {
                !deleted.contains(plan)
                    && kind.is_none_or(|k| k == *kind2)
                    && plans.as_ref().is_none_or(|p| p.contains(plan))
                    && literal_match(body, &terms)
            };
            let expected = docs.iter().filter(|d| matches(d)).count();
            let counted = count(&searcher, &pieces, &filters).unwrap();
            prop_assert_eq!(counted, Counted { total: expected, exact: true });

            let got = best_with(&searcher, f.body_chars, &pieces, &filters, k, parallel).unwrap();
            // The reference: every pair term scores, the literal and the filters only
            // restrict (boost 0), evaluated in full.
            let mut drive: Vec<Term> = Vec::new();
            for t in pieces.iter().flat_map(Piece::terms) {
                if !drive.contains(t) {
                    drive.push(t.clone());
                }
            }
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = drive
                .iter()
                .map(|t| -> (Occur, Box<dyn Query>) {
                    (Occur::Must, Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs)))
                })
                .collect();
            for q in pieces.iter().map(Piece::query).chain(filters.iter().map(Filter::query)) {
                clauses.push((Occur::Must, Box::new(BoostQuery::new(q, 0.0))));
            }
            let reference = searcher
                .search(&BooleanQuery::new(clauses), &TopDocs::with_limit(k).order_by_score())
                .unwrap();
            prop_assert_eq!(got.len(), reference.len().min(expected));
            for ((s, _), (r, _)) in got.iter().zip(&reference) {
                prop_assert!((s - r).abs() <= 1e-4 * r.abs().max(1.0), "{got:?} vs {reference:?}");
            }
            let mut seen = HashSet::new();
            for (_, at) in &got {
                prop_assert!(seen.insert(*at), "{at:?} twice");
                let d: TantivyDocument = searcher.doc(*at).unwrap();
                let body = d.get_first(f.body).and_then(|v| tantivy::schema::Value::as_str(&v)).unwrap_or_default().to_string();
                prop_assert!(literal_match(&body, &terms), "{body} for {terms:?}");
            }
        }
    }

    /// Past the limit the count says "at least"; at it, exactly; a single term without
    /// deletions is counted whatever its size.
    #[test]
    fn counts_stop_at_the_limit_and_say_so() {
        let docs = |n: usize| -> Vec<Doc> {
            (0..n)
                .map(|i| ("推进高质量发展".to_string(), "text", i as u64 % 3))
                .collect()
        };
        let phrase = ["高质量发展".to_string()];
        let single = ["发展".to_string()];
        for (n, segments) in [
            (COUNT_LIMIT, 1),
            (COUNT_LIMIT, 3),
            (COUNT_LIMIT + 1, 1),
            (COUNT_LIMIT + 1, 3),
            (COUNT_LIMIT * 2 + 7, 2),
        ] {
            let (index, f) = index(&docs(n), segments, &[]);
            let searcher = index.reader().unwrap().searcher();
            let got = count(&searcher, &pieces(&f, &phrase), &[]).unwrap();
            let expected = if n > COUNT_LIMIT {
                Counted {
                    total: COUNT_LIMIT,
                    exact: false,
                }
            } else {
                Counted {
                    total: n,
                    exact: true,
                }
            };
            assert_eq!(got, expected, "{n} documents in {segments} segments");
            let got = count(&searcher, &pieces(&f, &single), &[]).unwrap();
            assert_eq!(
                got,
                Counted {
                    total: n,
                    exact: true
                },
                "{n}: one term"
            );
            // A filter makes it a bounded count again.
            let filters = [Filter::Term(Term::from_field_text(f.kind, "text"))];
            let got = count(&searcher, &pieces(&f, &single), &filters).unwrap();
            assert_eq!(got.exact, n <= COUNT_LIMIT, "{n} filtered");
            assert_eq!(got.total, n.min(COUNT_LIMIT), "{n} filtered");
        }
        // Deletions: a single term is then walked, and deleted documents are not counted.
        let (index, f) = index(&docs(COUNT_LIMIT + 2), 2, &[0]);
        let searcher = index.reader().unwrap().searcher();
        let alive = (0..COUNT_LIMIT + 2).filter(|i| i % 3 != 0).count();
        let got = count(&searcher, &pieces(&f, &single), &[]).unwrap();
        assert_eq!(
            got,
            Counted {
                total: alive,
                exact: true
            }
        );
        let best = best(&searcher, f.body_chars, &pieces(&f, &phrase), &[], 5).unwrap();
        assert_eq!(best.len(), 5);
        for (_, at) in best {
            let d: TantivyDocument = searcher.doc(at).unwrap();
            let plan = d
                .get_first(f.plan)
                .and_then(|v| tantivy::schema::Value::as_u64(&v));
            assert_ne!(plan, Some(0), "a deleted document was returned");
        }
    }
}
