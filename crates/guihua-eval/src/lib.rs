//! The evaluation engine of guihua: a plan, a year and observations in; for every indicator
//! and prose target a status, the numbers behind it and a reason in words out.
//!
//! It is pure — no I/O, no clock, no global state — so that an evaluation can be
//! reproduced exactly from its inputs, which is what makes it defensible in front of a
//! people's congress committee or a statistics bureau. The method (formulas, thresholds,
//! worked examples) is written down in `docs/evaluation-method.md`; the tests assert the
//! document's numbers so the two cannot drift apart.
//!
//! The six statuses follow the vocabulary of official mid-term evaluations of five-year
//! plans: 已完成/提前实现, 快于预期, 符合预期, 滞后, 严重滞后, 无法评估.
//!
//! How a subject is read (see [`Subject`] and the goal kinds in `subject.rs`):
//! * a **level** with a base moves along a linear or geometric path from base to target, and
//!   is compared with the point reached by the latest observed year (序时进度);
//! * a **floor or ceiling** already met by the base (">95", "4以内") must hold in each
//!   measured year;
//! * an **average growth rate** ("年均增长7%") compares the realised average rate;
//! * a **cumulative change** (〔13.5〕) accrues with the years elapsed, compounded for rates;
//! * a **relative** target (与GDP增长基本同步) compares with the reference's actual growth;
//! * **delegated**, **qualitative** and empty targets, and subjects without data, are not
//!   assessable, and say why.
//!
//! Each result also carries a [`Projection`]: where the observed trend leads by the end
//! year, and the pace still required to hit the target.
//!
//! ```
//! use guihua_eval::{evaluate, Observation, Params, Status, Subject};
//! use guihua_model::{Indicator, Period, Quantity, QuantityKind, Comparator};
//!
//! let level = |v: f64| Quantity {
//!     kind: QuantityKind::Level,
//!     value: Some(v),
//!     comparator: Some(Comparator::Eq),
//!     ..Quantity::none(v.to_string())
//! };
//! let row = Indicator {
//!     id: "i5".into(),
//!     seq: None,
//!     category: None,
//!     name: "每万人口高价值发明专利拥有量".into(),
//!     unit: Some("件".into()),
//!     attribute: None,
//!     base: level(6.3),
//!     target: level(12.0),
//!     pace: Quantity::none("—"),
//!     parent: None,
//!     box_id: None,
//!     line: 1,
//! };
//! let subject = Subject::from_indicator(&row, Period { start: 2021, end: 2025 });
//! let e = evaluate(&subject, &[Observation::level(2022, 9.4)], 2022, &Params::default(), None);
//! assert_eq!(e.status, Status::Ahead);
//! assert!(e.reason_zh.starts_with("2022年实际9.4件，按序时进度应达8.6件，完成进度54%"));
//! ```
//!
//! For a whole plan, [`evaluate_plan`] takes an [`ObservationSet`] keyed by the plan's ids
//! ("i3", "t12") and finds the GDP series relative targets refer to.

mod engine;
mod plan_eval;
mod subject;
mod text;
mod types;

pub use engine::evaluate;
pub use plan_eval::{evaluate_plan, is_gdp_name, reference_series, SubjectKind, SubjectRef};
pub use subject::{direction_from_name, is_reduction_name, Subject};
pub use types::{
    Direction, Evaluation, HoldRule, Measure, Observation, ObservationSet, Params, PathShape,
    Projection, Status,
};
