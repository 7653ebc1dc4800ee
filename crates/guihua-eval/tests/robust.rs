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
                ..Default::default()
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

fn rank(s: Status) -> u8 {
    match s {
        Status::SeverelyLagging => 0,
        Status::Lagging => 1,
        Status::OnTrack => 2,
        Status::Ahead => 3,
        Status::Achieved => 4,
        Status::NotAssessable => 9,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    /// A better actual value never gets a worse verdict (level from a base, either direction).
    #[test]
    fn better_is_never_worse(
        base in 1.0f64..100.0,
        change in prop_oneof![-50.0f64..-0.5, 0.5f64..50.0],
        a1 in -100.0f64..200.0,
        delta in 0.0f64..50.0,
        year in 2021i32..2026,
        geometric in any::<bool>(),
    ) {
        let target = base + change;
        prop_assume!(target > 0.0);
        let name = if change > 0.0 { "森林覆盖率" } else { "单位GDP能耗" };
        let lv = |v: f64| Quantity {
            kind: QuantityKind::Level,
            value: Some(v),
            comparator: Some(Comparator::Eq),
            ..Quantity::none("x")
        };
        let s = Subject {
            id: "i1".into(),
            name: name.into(),
            unit: Some("万吨".into()),
            attribute: None,
            base: lv(base),
            base_year: 2020,
            target: lv(target),
            target_year: 2025,
            pace: Quantity::none("—"),
            direction: direction_from_name(name),
        };
        let p = Params {
            path: Some(if geometric {
                PathShape::Geometric
            } else {
                PathShape::Linear
            }),
            ..Params::default()
        };
        let sign = change.signum();
        let worse = a1;
        let better = a1 + sign * delta;
        // A geometric path needs positive values (the engine falls back to linear otherwise).
        prop_assume!(!geometric || (worse > 0.0 && better > 0.0));
        let e1 = evaluate(&s, &[Observation::level(year, worse)], year, &p, None);
        let e2 = evaluate(&s, &[Observation::level(year, better)], year, &p, None);
        prop_assert!(
            rank(e2.status) >= rank(e1.status),
            "{} → {:?} but {} → {:?}\n{}\n{}", worse, e1.status, better, e2.status, e1.reason_zh, e2.reason_zh
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    /// Faster yearly rates never get a worse verdict, for growth and cumulative targets.
    #[test]
    fn faster_is_never_worse(
        target in 0.5f64..20.0,
        rates in proptest::collection::vec(-10.0f64..20.0, 1..5),
        bump in 0.0f64..10.0,
        cumulative in any::<bool>(),
        cmp in prop_oneof![Just(Comparator::Eq), Just(Comparator::Ge), Just(Comparator::Approx)],
    ) {
        let (name, q) = if cumulative {
            ("单位GDP能源消耗降低", Quantity {
                kind: QuantityKind::Cumulative,
                value: Some(target),
                comparator: Some(cmp),
                ..Quantity::none("x")
            })
        } else {
            ("全社会研发经费投入增长", Quantity {
                kind: QuantityKind::Growth,
                value: Some(target),
                comparator: Some(cmp),
                ..Quantity::none("x")
            })
        };
        let s = Subject {
            id: "i1".into(),
            name: name.into(),
            unit: Some("%".into()),
            attribute: None,
            base: Quantity::none("—"),
            base_year: 2020,
            target: Quantity::none("—"),
            target_year: 2025,
            pace: q,
            direction: direction_from_name(name),
        };
        let year = 2020 + rates.len() as i32;
        let obs = |extra: f64| -> Vec<Observation> {
            rates
                .iter()
                .enumerate()
                .map(|(i, r)| Observation::rate(2021 + i as i32, r + if i + 1 == rates.len() { extra } else { 0.0 }))
                .collect()
        };
        let e1 = evaluate(&s, &obs(0.0), year, &Params::default(), None);
        let e2 = evaluate(&s, &obs(bump), year, &Params::default(), None);
        prop_assert!(
            rank(e2.status) >= rank(e1.status),
            "{:?} vs {:?}\n{}\n{}", e1.status, e2.status, e1.reason_zh, e2.reason_zh
        );
    }
}
