//! The worked examples of docs/evaluation-method.md, computed by the engine. The document
//! quotes each example's status and reasons verbatim; this test fails when they drift apart.

mod common;

use common::{lv, q};
use guihua_eval::*;
use guihua_model::{Comparator, Quantity, QuantityKind};

fn subject(name: &str, unit: &str, base: Quantity, target: Quantity, pace: Quantity) -> Subject {
    Subject {
        id: "x".into(),
        name: name.into(),
        unit: Some(unit.into()),
        attribute: None,
        base,
        base_year: 2020,
        target,
        target_year: 2025,
        pace,
        direction: direction_from_name(name),
    }
}

/// (example number, evaluation) in the order of the document.
fn examples() -> Vec<(u32, Evaluation)> {
    use Observation as O;
    let p = Params::default();
    let none = || Quantity::none("—");
    let mut out = vec![];
    // 1. Level, linear path (national: 每万人口高价值发明专利拥有量 6.3 → 12; 2022: 9.4).
    let patent = subject(
        "每万人口高价值发明专利拥有量",
        "件",
        lv(6.3),
        lv(12.0),
        none(),
    );
    out.push((1, evaluate(&patent, &[O::level(2022, 9.4)], 2022, &p, None)));
    // 2. Level, geometric path (hypothetical: tourism revenue 100 → 161.051 亿元).
    let tour = subject("旅游收入", "亿元", lv(100.0), lv(161.051), none());
    out.push((2, evaluate(&tour, &[O::level(2022, 121.0)], 2022, &p, None)));
    // 3. Severely lagging (hypothetical: the patent indicator at 6.5 in 2023).
    out.push((3, evaluate(&patent, &[O::level(2023, 6.5)], 2023, &p, None)));
    // 4. Average growth (national R&D >7 %: 14.6 % in 2021, 10.4 % in 2022).
    let rd = subject(
        "全社会研发经费投入增长",
        "%",
        none(),
        none(),
        q(">7", QuantityKind::Growth, Some(7.0), Some(Comparator::Gt)),
    );
    out.push((
        4,
        evaluate(
            &rd,
            &[O::rate(2021, 14.6), O::rate(2022, 10.4)],
            2022,
            &p,
            None,
        ),
    ));
    // 5. Growth lagging (hypothetical: 5 % and 6 %).
    out.push((
        5,
        evaluate(
            &rd,
            &[O::rate(2021, 5.0), O::rate(2022, 6.0)],
            2022,
            &p,
            None,
        ),
    ));
    // 6. Cumulative reduction (national energy intensity 〔13.5〕: −2.7 %, −0.1 %).
    let energy = subject(
        "单位GDP能源消耗降低",
        "%",
        none(),
        none(),
        q(
            "〔13.5〕",
            QuantityKind::Cumulative,
            Some(13.5),
            Some(Comparator::Eq),
        ),
    );
    out.push((
        6,
        evaluate(
            &energy,
            &[O::rate(2021, 2.7), O::rate(2022, 0.1)],
            2022,
            &p,
            None,
        ),
    ));
    // 7. Ceiling (Tacheng 城镇登记失业率 4以内; hypothetical 2022: 4.3).
    let tc = subject(
        "城镇登记失业率",
        "%",
        q(
            "3以内",
            QuantityKind::Level,
            Some(3.0),
            Some(Comparator::Le),
        ),
        q(
            "4以内",
            QuantityKind::Level,
            Some(4.0),
            Some(Comparator::Le),
        ),
        none(),
    );
    out.push((
        7,
        evaluate(
            &tc,
            &[O::level(2021, 3.2), O::level(2022, 4.3)],
            2022,
            &p,
            None,
        ),
    ));
    // 8. Ceiling within the bound tolerance (national 城镇调查失业率 <5.5: 5.1, 5.6).
    let un = subject(
        "城镇调查失业率",
        "%",
        lv(5.2),
        q("<5.5", QuantityKind::Level, Some(5.5), Some(Comparator::Lt)),
        none(),
    );
    out.push((
        8,
        evaluate(
            &un,
            &[O::level(2021, 5.1), O::level(2022, 5.6)],
            2022,
            &p,
            None,
        ),
    ));
    // 9. Relative (national income vs GDP: 8.1/2.9 against 8.4/3.0).
    let mut sync = q(
        "与GDP增长基本同步",
        QuantityKind::Relative,
        None,
        Some(Comparator::Approx),
    );
    sync.reference = Some("GDP增长".into());
    let inc = subject("居民人均可支配收入增长", "%", none(), none(), sync);
    out.push((
        9,
        evaluate(
            &inc,
            &[O::rate(2021, 8.1), O::rate(2022, 2.9)],
            2022,
            &p,
            Some(&[O::rate(2021, 8.4), O::rate(2022, 3.0)]),
        ),
    ));
    // 10. Delegated (Ürümqi 单位地区生产总值能源消耗降低 "控制在自治区下达指标内").
    let mut d = q(
        "控制在自治区下达指标内",
        QuantityKind::Delegated,
        None,
        None,
    );
    d.reference = Some("自治区".into());
    let del = subject("单位地区生产总值能源消耗降低", "%", none(), d.clone(), d);
    out.push((10, evaluate(&del, &[], 2022, &p, None)));
    out
}

#[test]
fn the_document_quotes_the_engine() {
    let path = format!(
        "{}/../../docs/evaluation-method.md",
        env!("CARGO_MANIFEST_DIR")
    );
    let doc = std::fs::read_to_string(path).expect("docs/evaluation-method.md");
    for (n, e) in examples() {
        let line = format!("{}（{}）：{}", e.status.zh(), e.status.code(), e.reason_zh);
        assert!(
            doc.contains(&line),
            "example {n}: the document must quote\n{line}"
        );
        let line = format!("{} (`{}`): {}", e.status.en(), e.status.code(), e.reason_en);
        assert!(
            doc.contains(&line),
            "example {n}: the document must quote\n{line}"
        );
    }
}

#[test]
fn worked_example_numbers() {
    let ex = examples();
    let e = &ex[0].1;
    assert!((e.expected.unwrap() - 8.58).abs() < 1e-9);
    assert!((e.progress_pct.unwrap() - 54.386).abs() < 1e-3);
    let e = &ex[5].1;
    assert!((e.actual.unwrap() - 2.7973).abs() < 1e-4);
    assert!((e.expected.unwrap() - 5.636).abs() < 1e-3);
    let statuses: Vec<&str> = ex.iter().map(|(_, e)| e.status.code()).collect();
    assert_eq!(
        statuses,
        [
            "ahead",
            "on_track",
            "severely_lagging",
            "ahead",
            "lagging",
            "lagging",
            "lagging",
            "on_track",
            "on_track",
            "not_assessable"
        ]
    );
}

#[test]
#[ignore]
fn print_examples() {
    for (n, e) in examples() {
        println!(
            "{n}. {}（{}）：{}",
            e.status.zh(),
            e.status.code(),
            e.reason_zh
        );
        println!(
            "   {} (`{}`): {}",
            e.status.en(),
            e.status.code(),
            e.reason_en
        );
    }
}
