//! Whatever the cells and the data, the engine answers: no panic, no NaN in numbers or words.

use guihua_eval::*;
use guihua_model::{Comparator, Quantity, QuantityKind};
use proptest::prelude::*;

fn kind() -> impl Strategy<Value = QuantityKind> {
    prop_oneof![
        Just(QuantityKind::Level),
        Just(QuantityKind::Growth),
        Just(QuantityKind::Cumulative),
        Just(QuantityKind::Relative),
        Just(QuantityKind::Delegated),
        Just(QuantityKind::Qualitative),
        Just(QuantityKind::None),
    ]
}

fn cmp() -> impl Strategy<Value = Option<Comparator>> {
    prop_oneof![
        Just(None),
        Just(Some(Comparator::Eq)),
        Just(Some(Comparator::Approx)),
        Just(Some(Comparator::Gt)),
        Just(Some(Comparator::Ge)),
        Just(Some(Comparator::Lt)),
        Just(Some(Comparator::Le)),
        Just(Some(Comparator::Range)),
    ]
}

fn value() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        Just(None),
        Just(Some(0.0)),
        (-20.0f64..200.0).prop_map(Some),
    ]
}

fn quantity() -> impl Strategy<Value = Quantity> {
    (
        kind(),
        value(),
        value(),
        cmp(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(kind, value, value_max, comparator, per_year, gdp)| Quantity {
                text: "x".into(),
                kind,
                value,
                value_max,
                comparator,
                unit: None,
                year: None,
                reference: if kind == QuantityKind::Relative && gdp {
                    Some("GDP增长".into())
                } else {
                    None
                },
                per_year,
            },
        )
}

fn observation() -> impl Strategy<Value = Observation> {
    (2018i32..2028, -50.0f64..300.0, 0u8..3, 0u32..3).prop_map(|(y, v, m, r)| {
        let o = match m {
            0 => Observation::level(y, v),
            1 => Observation::rate(y, v),
            _ => Observation::cumulative(y, v),
        };
        o.revised(r)
    })
}

const NAMES: &[&str] = &[
    "森林覆盖率",
    "单位GDP能源消耗降低",
    "城镇新增就业",
    "城镇调查失业率",
    "地区生产总值",
    "居民人均可支配收入增长",
];

fn finite(x: Option<f64>) -> bool {
    x.is_none_or(f64::is_finite)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    #[test]
    fn never_panics_never_nan(
        base in quantity(),
        target in quantity(),
        pace in quantity(),
        name in 0usize..NAMES.len(),
        unit in prop_oneof![Just("%"), Just("亿元"), Just("万人")],
        obs in proptest::collection::vec(observation(), 0..8),
        refs in proptest::collection::vec(observation(), 0..4),
        year in 2019i32..2028,
    ) {
        let s = Subject {
            id: "i1".into(),
            name: NAMES[name].into(),
            unit: Some(unit.into()),
            attribute: None,
            base,
            base_year: 2020,
            target,
            target_year: 2025,
            pace,
            direction: direction_from_name(NAMES[name]),
        };
        let e = evaluate(&s, &obs, year, &Params::default(), Some(&refs));
        prop_assert!(!e.reason_zh.is_empty());
        for text in [&e.reason_zh, &e.reason_en] {
            prop_assert!(!text.contains("NaN") && !text.contains("inf"), "{}", text);
        }
        prop_assert!(finite(e.expected) && finite(e.actual) && finite(e.progress_pct));
        if let Some(p) = &e.projection {
            prop_assert!(finite(p.end_value) && finite(p.required_annual_rate) && finite(p.required_annual_change));
        }
        if e.status != Status::NotAssessable {
            prop_assert!(e.actual.is_some() && e.actual_year.is_some_and(|y| y <= year));
        }
    }
}
