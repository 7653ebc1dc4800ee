//! The contract is lossless for the model: to_value then from_value gives the same plan,
//! on every reference plan and the bundled example.

use guihua_contract::{read::from_value, to_value, Source};

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds");
const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/shili-xian.txt");

#[test]
fn plans_survive_the_contract() {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(SEEDS)
        .unwrap_or_else(|e| panic!("reference plans missing at {SEEDS}: {e}"))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    assert_eq!(files.len(), 5);
    files.push(EXAMPLE.into());
    let src = Source {
        file: "x".into(),
        format: "txt".into(),
        encoding: "utf-8".into(),
        sha256: String::new(),
    };
    for f in files {
        let plan = guihua_parse::parse_text(&std::fs::read_to_string(&f).expect("utf-8"));
        let back = from_value(&to_value(&plan, &src)).expect("contract");
        assert_eq!(back, plan, "{f:?}");
    }
    assert!(from_value(&serde_json::json!({"schema": "other/1"})).is_err());
}
