//! Search over the five reference plans and the three 十五五 corpus plans, kept in a real
//! SQLite library: exact hit counts (every line that says the term, counted independently
//! of the index), filters, locations, and the index following the library as plans are
//! removed, revised and restored.

use std::path::PathBuf;

use guihua_contract::Source;
use guihua_search::{Kind, Request, SearchIndex};
use guihua_store::*;

const ME: Actor = Actor::local("tester", None);

/// The eight plans in a fixed order: five seeds (十四五), three corpus plans (十五五).
fn plan_files() -> Vec<PathBuf> {
    let shared = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    let mut out = Vec::new();
    for dir in ["seeds", "corpus"] {
        let mut v: Vec<PathBuf> = std::fs::read_dir(shared.join(dir))
            .unwrap_or_else(|e| panic!("{dir} missing beside the project: {e}"))
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        v.sort();
        out.extend(v);
    }
    assert_eq!(out.len(), 8, "five seeds and three corpus plans");
    out
}

struct Library {
    _dir: tempfile::TempDir,
    store: SqliteStore,
    index: SearchIndex,
    ids: Vec<PlanId>,
    index_dir: PathBuf,
}

fn add(store: &SqliteStore, path: &std::path::Path) -> PlanId {
    let read = guihua_read::read_path(path).expect("readable plan");
    let plan = guihua_parse::parse_document(&read.document);
    let source = Source {
        file: path.file_name().unwrap().to_string_lossy().into_owned(),
        format: read.format.as_str().into(),
        encoding: read.encoding.clone(),
        sha256: read.sha256.clone(),
    };
    let id = match store.add_plan(&plan, &source, None, &ME).unwrap() {
        Added::New { id, .. } | Added::Duplicate { id } | Added::Restored { id } => id,
    };
    store
        .set_plan_text(id, &read.document.text_lines())
        .unwrap();
    id
}

fn library() -> Library {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("guihua.sqlite")).unwrap();
    let ids = plan_files().iter().map(|p| add(&store, p)).collect();
    let index_dir = dir.path().join("search");
    let (index, notes) = SearchIndex::open(&index_dir).unwrap();
    assert!(notes.is_empty(), "{notes:?}");
    let synced = index.sync(&store).unwrap();
    assert_eq!(synced.added, 8);
    assert!(synced.warnings.is_empty(), "{:?}", synced.warnings);
    Library {
        _dir: dir,
        store,
        index,
        ids,
        index_dir,
    }
}

fn req(query: &str) -> Request {
    Request {
        query: query.into(),
        limit: 500,
        ..Request::default()
    }
}

fn text(query: &str) -> Request {
    Request {
        kind: Some(Kind::Text),
        ..req(query)
    }
}

/// Hits per plan, in the order of `ids`.
fn per_plan(lib: &Library, found: &guihua_search::Found) -> Vec<usize> {
    lib.ids
        .iter()
        .map(|id| found.hits.iter().filter(|h| h.plan_id == *id).count())
        .collect()
}

#[test]
fn every_line_that_says_the_term_is_found_with_its_place() {
    let lib = library();
    // Expected: lines of each file containing the term (white space ignored), counted
    // with a script outside this code.
    for (term, total, per) in [
        ("城市更新", 31, [0, 2, 0, 1, 2, 6, 10, 10]),
        ("氢能", 13, [0, 1, 1, 2, 1, 0, 7, 1]),
        ("低空经济", 37, [0, 0, 0, 0, 0, 2, 21, 14]),
        ("新型储能", 14, [0, 0, 0, 0, 0, 0, 13, 1]),
    ] {
        let found = lib.index.search(&text(term)).unwrap();
        assert_eq!(found.total, total, "{term}");
        assert_eq!(per_plan(&lib, &found), per, "{term}");
        for h in &found.hits {
            assert_eq!(h.kind, Kind::Text);
            let lines = lib.store.plan_text(h.plan_id).unwrap().unwrap();
            let line = &lines[h.line as usize - 1];
            assert!(
                line.contains(term),
                "{term}: line {} of plan {:?}",
                h.line,
                h.plan_id
            );
            assert!(
                !h.snippet.marks.is_empty(),
                "{term}: no mark in {:?}",
                h.snippet
            );
            let (a, b) = h.snippet.marks[0];
            assert_eq!(&h.snippet.text[a..b], term);
        }
    }
    // A paragraph below a chapter heading is located under it.
    let found = lib.index.search(&text("低空经济")).unwrap();
    assert!(found.hits.iter().all(|h| h.location.is_empty()
        || h.location.starts_with('第')
        || h.location.contains('言')));
    assert!(found.hits.iter().any(|h| h.location.contains('章')));
}

#[test]
fn terms_filters_and_kinds() {
    let lib = library();
    // All terms must occur.
    let both = lib.index.search(&text("氢能 新型储能")).unwrap();
    assert_eq!(both.total, 5);
    for h in &both.hits {
        let line = &lib.store.plan_text(h.plan_id).unwrap().unwrap()[h.line as usize - 1];
        assert!(line.contains("氢能") && line.contains("新型储能"));
    }
    assert_eq!(
        lib.index.search(&text("城市更新 低空经济")).unwrap().total,
        0
    );
    // Period: the seeds are 十四五, the corpus plans 十五五.
    let p14 = lib
        .index
        .search(&Request {
            period: Some(14),
            ..text("城市更新")
        })
        .unwrap();
    let p15 = lib
        .index
        .search(&Request {
            period: Some(15),
            ..text("城市更新")
        })
        .unwrap();
    assert_eq!((p14.total, p15.total), (5, 26));
    // One plan.
    let one = lib
        .index
        .search(&Request {
            plans: Some(vec![lib.ids[6]]),
            ..text("城市更新")
        })
        .unwrap();
    assert_eq!(one.total, 10);
    assert!(lib
        .index
        .search(&Request {
            plans: Some(vec![]),
            ..text("城市更新")
        })
        .unwrap()
        .hits
        .is_empty());
    // Indicators: one hit per indicator row whose name says it.
    let rows: usize = lib
        .ids
        .iter()
        .map(|id| {
            lib.store
                .indicators(*id)
                .unwrap()
                .iter()
                .filter(|i| i.name.contains("森林覆盖率"))
                .count()
        })
        .sum();
    assert!(rows >= 3, "the plans have a forest-cover indicator");
    let ind = lib
        .index
        .search(&Request {
            kind: Some(Kind::Indicator),
            ..req("森林覆盖率")
        })
        .unwrap();
    assert_eq!(ind.total, rows);
    for h in &ind.hits {
        let id = h.subject.as_deref().unwrap();
        let row = lib.store.indicators(h.plan_id).unwrap();
        assert!(row
            .iter()
            .any(|i| i.id == id && i.name.contains("森林覆盖率")));
    }
    // Projects and targets carry their subject ids.
    let proj = lib
        .index
        .search(&Request {
            kind: Some(Kind::Project),
            ..req("公路")
        })
        .unwrap();
    assert!(proj.total > 0);
    assert!(proj
        .hits
        .iter()
        .all(|h| h.subject.as_deref().is_some_and(|s| s.starts_with('j'))));
    let tgt = lib
        .index
        .search(&Request {
            kind: Some(Kind::Target),
            ..req("生产总值")
        })
        .unwrap();
    assert!(tgt.total > 0);
    assert!(tgt
        .hits
        .iter()
        .all(|h| h.subject.as_deref().is_some_and(|s| s.starts_with('t'))));
    // Wrong requests are errors that say what.
    let e = lib.index.search(&req("  ")).unwrap_err().to_string();
    assert!(e.contains("empty"), "{e}");
    let e = lib
        .index
        .search(&Request {
            period: Some(99),
            ..req("氢能")
        })
        .unwrap_err()
        .to_string();
    assert!(e.contains("99"), "{e}");
    // Paging is bounded: a page far beyond the hits is refused, not allocated.
    let far = lib
        .index
        .search(&Request {
            offset: usize::MAX / 4,
            ..req("氢能")
        })
        .unwrap_err()
        .to_string();
    assert!(far.contains("only the first 10000 hits"), "{far}");
    let last = lib
        .index
        .search(&Request {
            offset: guihua_search::MAX_OFFSET,
            ..req("氢能")
        })
        .unwrap();
    assert!(last.hits.is_empty());
    // One character is looked up as a word, and the answer says so.
    let one = lib.index.search(&req("水")).unwrap();
    assert!(one.total > 0);
    assert!(
        one.warnings.iter().any(|w| w.contains("single character")),
        "{:?}",
        one.warnings
    );
    // A term nowhere in the plans: no hit, no error.
    assert_eq!(lib.index.search(&req("量子引力波")).unwrap().total, 0);
}

#[test]
fn the_index_follows_the_library() {
    let lib = library();
    let before = lib.index.search(&text("低空经济")).unwrap().total;
    assert_eq!(before, 37);
    // Nothing changed: nothing to do.
    assert_eq!(lib.index.sync(&lib.store).unwrap(), Default::default());
    // A removed plan leaves the index.
    lib.store.delete_plan(lib.ids[6], &ME).unwrap();
    let s = lib.index.sync(&lib.store).unwrap();
    assert_eq!((s.added, s.removed), (0, 1));
    assert_eq!(lib.index.search(&text("低空经济")).unwrap().total, 37 - 21);
    // Added again (the same file): it comes back.
    add(&lib.store, &plan_files()[6]);
    let s = lib.index.sync(&lib.store).unwrap();
    assert_eq!((s.added, s.removed), (1, 0));
    assert_eq!(lib.index.search(&text("低空经济")).unwrap().total, 37);
    // A new version of a plan replaces the old one in the index.
    let path = &plan_files()[7];
    let read = guihua_read::read_path(path).unwrap();
    let plan = guihua_parse::parse_document(&read.document);
    let source = Source {
        file: "revised.txt".into(),
        format: "txt".into(),
        encoding: "utf-8".into(),
        sha256: "0".repeat(64),
    };
    let Added::New { id: v2, .. } = lib
        .store
        .add_plan(&plan, &source, Some(lib.ids[7]), &ME)
        .unwrap()
    else {
        panic!("a new version");
    };
    lib.store
        .set_plan_text(v2, &read.document.text_lines())
        .unwrap();
    let s = lib.index.sync(&lib.store).unwrap();
    assert_eq!((s.added, s.removed), (1, 1));
    let found = lib.index.search(&text("低空经济")).unwrap();
    assert_eq!(found.total, 37);
    assert_eq!(found.hits.iter().filter(|h| h.plan_id == v2).count(), 14);
    assert_eq!(
        found
            .hits
            .iter()
            .filter(|h| h.plan_id == lib.ids[7])
            .count(),
        0
    );
    // Another process's index handle (a second server) sees the same, and a rebuild
    // from the store gives the same answer.
    let (other, _) = SearchIndex::open(&lib.index_dir).unwrap();
    assert_eq!(other.sync(&lib.store).unwrap().added, 0);
    assert_eq!(other.search(&text("低空经济")).unwrap().total, 37);
    let r = other.reindex(&lib.store).unwrap();
    assert_eq!(r.added, 8);
    assert_eq!(other.search(&text("低空经济")).unwrap().total, 37);
}

#[test]
fn a_damaged_index_is_rebuilt_and_said() {
    let lib = library();
    let dir = lib.index_dir.clone();
    drop(lib.index);
    std::fs::write(dir.join("meta.json"), b"{ not json").unwrap();
    let (index, notes) = SearchIndex::open(&dir).unwrap();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("rebuilt"), "{notes:?}");
    assert_eq!(index.search(&text("氢能")).unwrap().total, 0);
    assert_eq!(index.sync(&lib.store).unwrap().added, 8);
    assert_eq!(index.search(&text("氢能")).unwrap().total, 13);
}

/// A term on every other line is counted to the limit and said to be more; alone, a term
/// is counted exactly from the index whatever its size.
#[test]
fn a_common_term_is_counted_to_the_limit_and_said() {
    let lib = library();
    let lines: usize = lib
        .ids
        .iter()
        .map(|id| {
            let text = lib.store.plan_text(*id).unwrap().unwrap();
            text.iter()
                .filter(|l| {
                    let flat: String = l.chars().filter(|c| !c.is_whitespace()).collect();
                    flat.contains("发展")
                })
                .count()
        })
        .sum();
    assert!(lines > guihua_search::COUNT_LIMIT, "{lines} lines say 发展");
    let found = lib.index.search(&text("发展")).unwrap();
    assert_eq!(
        (found.total, found.total_exact),
        (guihua_search::COUNT_LIMIT, false)
    );
    assert_eq!(found.hits.len(), 500);
    assert!(found.hits.iter().all(|h| h.snippet.text.contains("发展")));
    // Pages past the count still come, as long as there are hits.
    let far = lib
        .index
        .search(&Request {
            offset: guihua_search::COUNT_LIMIT,
            ..text("发展")
        })
        .unwrap();
    assert_eq!(far.hits.len(), 500.min(lines - guihua_search::COUNT_LIMIT));
    let all = lib.index.search(&req("发展")).unwrap();
    assert!(all.total_exact, "one term alone is counted exactly");
    assert!(all.total > lines, "{} documents, {lines} lines", all.total);
    // A rare term stays exact.
    let rare = lib.index.search(&text("城市更新")).unwrap();
    assert_eq!((rare.total, rare.total_exact), (31, true));
}
