//! The contradictions the seeds README lists, found by the audit on the reference plans.

use guihua_audit::{audit, Finding};

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds");

fn plan(prefix: &str) -> guihua_model::Plan {
    let dir = std::fs::read_dir(SEEDS)
        .unwrap_or_else(|e| panic!("reference plans missing at {SEEDS}: {e}"));
    for e in dir.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(prefix) && name.ends_with(".txt") {
            let text = std::fs::read_to_string(e.path()).expect("utf-8");
            return guihua_parse::parse_text(&text);
        }
    }
    panic!("seed {prefix} missing in {SEEDS}");
}

fn find<'a>(f: &'a [Finding], code: &str, text: &str) -> &'a Finding {
    f.iter()
        .find(|x| x.code == code && (x.subject.contains(text) || x.message.contains(text)))
        .unwrap_or_else(|| panic!("no {code} about {text} in {f:#?}"))
}

#[test]
fn alar_growth_claims_contradict_levels() {
    let f = audit(&plan("000"));
    let tourism = find(&f, "growth-level-mismatch", "旅游总收入14亿元");
    assert!(tourism.message.contains("至少为34.84亿元") && tourism.message.contains("目标15亿元"));
    assert_eq!(tourism.lines, vec![13, 129]);
    let visitors = find(&f, "growth-level-mismatch", "310万");
    assert!(visitors.message.contains("623.5"), "{}", visitors.message);
    // 332亿 at 9% a year gives 510.8亿: consistent with 510亿.
    let gdp = find(&f, "growth-level-consistent", "生产总值332亿元");
    assert!(gdp.message.contains("510.8"));
    let salt = find(&f, "prose-contradiction", "盐碱地");
    assert_eq!(salt.lines, vec![69, 70]);
}

#[test]
fn tacheng_jobs_and_unemployment() {
    let f = audit(&plan("003"));
    find(&f, "table-prose-mismatch", "城镇新增就业人数");
    let u = find(&f, "target-weaker-than-base", "城镇登记失业率");
    assert!(u.message.contains("3以内") && u.message.contains("4以内"));
}

#[test]
fn urumqi_grain_and_cumulative_arithmetic() {
    let f = audit(&plan("001"));
    find(&f, "target-weaker-than-base", "粮食综合生产能力");
    // 11.57 + 0.3 = 11.87 and 76.4 + 0.6 = 77: the cumulative columns add up.
    let edu = find(&f, "cumulative-consistent", "劳动年龄人口平均受教育年限");
    assert!(edu.message.contains("11.87"));
    find(&f, "cumulative-consistent", "人均预期寿命");
    assert!(!f.iter().any(|x| x.code == "cumulative-mismatch"));
}

#[test]
fn yiwu_air_quality_side_by_side() {
    let f = audit(&plan("002"));
    let s = find(&f, "side-by-side", "空气质量优良天数比率");
    assert!(s.message.contains("99%"), "{}", s.message);
    assert!(!f
        .iter()
        .any(|x| x.code == "prose-contradiction" && x.subject.contains("空气")));
}
