//! Quantity builders shared by the engine's tests.

#![allow(dead_code)]

use guihua_model::{Comparator, Quantity, QuantityKind};

/// A quantity as a table cell would give it.
pub fn q(text: &str, kind: QuantityKind, value: Option<f64>, cmp: Option<Comparator>) -> Quantity {
    Quantity {
        text: text.into(),
        kind,
        value,
        value_max: None,
        comparator: cmp,
        unit: None,
        year: None,
        reference: None,
        per_year: false,
        ..Default::default()
    }
}

/// A plain level ("15.69").
pub fn lv(v: f64) -> Quantity {
    q(
        &v.to_string(),
        QuantityKind::Level,
        Some(v),
        Some(Comparator::Eq),
    )
}

/// An empty cell ("—").
pub fn none() -> Quantity {
    Quantity::none("—")
}
