//! What the CLI's test files share: the reference plans.
#![allow(dead_code)]

use std::path::PathBuf;

/// The five reference plans (`../shared/seeds/*.txt`), sorted by name.
pub fn seeds() -> Vec<PathBuf> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/seeds"
    ));
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("seed directory {} missing: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    assert_eq!(
        v.len(),
        5,
        "expected the five seed plans in {}",
        dir.display()
    );
    v
}

/// The reference plan whose file name starts with `prefix` ("001"), as a path string.
pub fn seed(prefix: &str) -> String {
    seeds()
        .into_iter()
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .unwrap_or_else(|| panic!("no seed {prefix}"))
        .display()
        .to_string()
}
