//! The vocabulary of an evaluation: statuses, observations, parameters and results.

use std::collections::BTreeMap;

/// The six classes of a mid-term evaluation, in the words official evaluations use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// 已完成 / 提前实现: the target is already reached.
    Achieved,
    /// 快于预期: ahead of the expected path by more than the tolerance.
    Ahead,
    /// 符合预期: on the expected path within the tolerance (or a floor/ceiling holds).
    OnTrack,
    /// 滞后: behind the expected path.
    Lagging,
    /// 严重滞后: so far behind that the pace still required is implausible.
    SeverelyLagging,
    /// 无法评估: qualitative, delegated without a number, or no data.
    NotAssessable,
}

impl Status {
    /// Every status, in the order reports and tables list them.
    pub const ALL: [Status; 6] = [
        Status::Achieved,
        Status::Ahead,
        Status::OnTrack,
        Status::Lagging,
        Status::SeverelyLagging,
        Status::NotAssessable,
    ];

    /// Stable machine code (the JSON contract of `guihua evaluate`).
    pub fn code(self) -> &'static str {
        match self {
            Status::Achieved => "achieved",
            Status::Ahead => "ahead",
            Status::OnTrack => "on_track",
            Status::Lagging => "lagging",
            Status::SeverelyLagging => "severely_lagging",
            Status::NotAssessable => "not_assessable",
        }
    }

    /// The Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            Status::Achieved => "已完成",
            Status::Ahead => "快于预期",
            Status::OnTrack => "符合预期",
            Status::Lagging => "滞后",
            Status::SeverelyLagging => "严重滞后",
            Status::NotAssessable => "无法评估",
        }
    }

    /// The English label.
    pub fn en(self) -> &'static str {
        match self {
            Status::Achieved => "achieved",
            Status::Ahead => "ahead of schedule",
            Status::OnTrack => "on track",
            Status::Lagging => "lagging",
            Status::SeverelyLagging => "severely lagging",
            Status::NotAssessable => "not assessable",
        }
    }

    /// Status as "at least on track" (achieved, ahead or on track).
    pub fn is_satisfactory(self) -> bool {
        matches!(self, Status::Achieved | Status::Ahead | Status::OnTrack)
    }
}

/// Which way the *underlying level* of an indicator improves.
///
/// For 单位GDP能耗 the level (tce per 10 000 yuan) is [`Direction::LowerIsBetter`]; the
/// table row "单位GDP能源消耗降低 〔13.5〕" states a *reduction* of that level, and the
/// engine knows from the name (降低/下降/减少) that a larger reduction is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
}

impl Direction {
    pub(crate) fn sign(self) -> f64 {
        match self {
            Direction::HigherIsBetter => 1.0,
            Direction::LowerIsBetter => -1.0,
        }
    }
}

/// What an observed number measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Measure {
    /// The value of the indicator in that year (a level: 15.75 %, 9.4 件, 4.3 %); for
    /// flow indicators (城镇新增就业) the year's flow.
    Level,
    /// The rate of change in that year, in %, in the sense the plan states it: for a
    /// growth indicator the growth (8.1), for a "…降低" indicator the reduction (2.7).
    AnnualRate,
    /// The change accrued since the base year, in the plan's sense (累计降低 2.8 %, 累计
    /// 新增就业 4.3 万人).
    Cumulative,
}

/// One observed value of an indicator or target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    pub year: i32,
    pub value: f64,
    pub measure: Measure,
    /// Revision number: for the same year and measure the highest revision wins (a later
    /// entry wins a tie), so revised statistics replace preliminary ones.
    pub revision: u32,
}

impl Observation {
    /// A level (or a year's flow) in `year`.
    pub fn level(year: i32, value: f64) -> Self {
        Observation {
            year,
            value,
            measure: Measure::Level,
            revision: 0,
        }
    }
    /// A yearly rate of change in `year`, in %.
    pub fn rate(year: i32, value: f64) -> Self {
        Observation {
            year,
            value,
            measure: Measure::AnnualRate,
            revision: 0,
        }
    }
    /// The change accrued from the base year to `year`.
    pub fn cumulative(year: i32, value: f64) -> Self {
        Observation {
            year,
            value,
            measure: Measure::Cumulative,
            revision: 0,
        }
    }
    /// The same observation as revision `revision`.
    pub fn revised(mut self, revision: u32) -> Self {
        self.revision = revision;
        self
    }
}

/// Observations of a whole plan: by plan-local id ("i3", "t12") and, for reference series
/// of relative targets, by name ("GDP增长").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObservationSet {
    pub by_id: BTreeMap<String, Vec<Observation>>,
    pub by_name: BTreeMap<String, Vec<Observation>>,
}

impl ObservationSet {
    pub fn new() -> Self {
        Self::default()
    }
    /// Add observations of the indicator or target `id`.
    pub fn insert(&mut self, id: impl Into<String>, obs: impl IntoIterator<Item = Observation>) {
        self.by_id.entry(id.into()).or_default().extend(obs);
    }
    /// Add a named series (e.g. "GDP增长") used as the reference of relative targets.
    pub fn insert_named(
        &mut self,
        name: impl Into<String>,
        obs: impl IntoIterator<Item = Observation>,
    ) {
        self.by_name.entry(name.into()).or_default().extend(obs);
    }
    pub fn get(&self, id: &str) -> &[Observation] {
        self.by_id.get(id).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Shape of the expected path of a level between base and target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PathShape {
    /// Equal absolute steps: E(t) = B + (T − B)·f.
    Linear,
    /// Equal growth rates, for quantities that compound (output, revenue, visitors):
    /// E(t) = B·(T/B)^f.
    Geometric,
}

/// Whether a floor/ceiling must hold in every measured year or only in the latest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HoldRule {
    EveryYear,
    LatestYear,
}

/// The tunable parameters of the method (see docs/evaluation-method.md).
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Relative band around the expected progress: with progress ratio
    /// ρ = actual progress / expected progress, ρ > 1 + tolerance is ahead,
    /// ρ ≥ 1 − tolerance on track. 0.2 reproduces the national mid-term evaluation (years
    /// of schooling at ρ ≈ 0.82 was "基本符合预期", CO₂ intensity at ρ ≈ 0.60 "滞后").
    pub tolerance: f64,
    /// Relative band around a target growth rate or yearly amount (7 % ± 0.35 points).
    pub rate_tolerance: f64,
    /// Smallest band around a target rate, in percentage points.
    pub min_rate_band_pp: f64,
    /// Severely lagging when the pace still required over the remaining years exceeds this
    /// multiple of the planned pace.
    pub severe_factor: f64,
    /// "基本同步": the realised growth may differ from the reference's by this many points.
    pub sync_band_pp: f64,
    /// A relative target is severely lagging when below the reference by more than this.
    pub severe_gap_pp: f64,
    /// A floor/ceiling is severely lagging when the latest value misses the bound by more
    /// than this share of the bound.
    pub severe_bound_rel: f64,
    /// Relative band of "左右" (approximately).
    pub approx_band: f64,
    /// A floor/ceiling missed by less than this share of the bound still holds (5.6 against
    /// "<5.5" is a miss of 1.8 %: 基本符合).
    pub bound_tolerance: f64,
    /// A level whose planned change is smaller than this share of its base moves slowly
    /// (life expectancy +1 on 77.3): with fewer than `slow_min_years` years measured since
    /// the base it is not called ahead, only on track.
    pub slow_change_rel: f64,
    pub slow_min_years: usize,
    pub hold_rule: HoldRule,
    /// Default path shape of levels. `None`: geometric when the pace is a growth rate or
    /// the unit is money (元), linear otherwise.
    pub path: Option<PathShape>,
    /// Per-indicator path shape, keyed by id ("i3") or name.
    pub path_overrides: BTreeMap<String, PathShape>,
    /// Per-indicator absolute band around the expected value, keyed by id or name: when
    /// set, |actual − expected| ≤ band is on track, beyond it ahead or lagging.
    pub abs_tolerance: BTreeMap<String, f64>,
    /// Per-indicator direction, keyed by id or name (overrides the name heuristic).
    pub direction_overrides: BTreeMap<String, Direction>,
    /// Per-indicator target supplied by the caller, keyed by id or name, replacing the
    /// plan's target and pace: for rows the plan leaves to annual plans ("各年度视情提出"),
    /// e.g. GDP growth judged against the annual targets of the government work reports.
    pub target_overrides: BTreeMap<String, guihua_model::Quantity>,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            tolerance: 0.2,
            rate_tolerance: 0.05,
            min_rate_band_pp: 0.1,
            severe_factor: 2.0,
            sync_band_pp: 0.5,
            severe_gap_pp: 2.0,
            severe_bound_rel: 0.2,
            approx_band: 0.02,
            bound_tolerance: 0.02,
            slow_change_rel: 0.02,
            slow_min_years: 3,
            hold_rule: HoldRule::EveryYear,
            path: None,
            path_overrides: BTreeMap::new(),
            abs_tolerance: BTreeMap::new(),
            direction_overrides: BTreeMap::new(),
            target_overrides: BTreeMap::new(),
        }
    }
}

impl Params {
    pub(crate) fn lookup<'a, T>(
        map: &'a BTreeMap<String, T>,
        id: &str,
        name: &str,
    ) -> Option<&'a T> {
        map.get(id).or_else(|| map.get(name))
    }
}

/// Where the trend leads by the end year, and what it still takes to hit the target.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// The plan's end (target) year.
    pub year: i32,
    /// The value expected at `year` if the observed trend continues (a level, an average
    /// rate or an accrued change, matching [`Evaluation::actual`]).
    pub end_value: Option<f64>,
    /// Whether `end_value` meets the target.
    pub reaches_target: Option<bool>,
    /// Years left after the latest observation.
    pub remaining_years: i32,
    /// Average annual rate (%) still required over the remaining years ("后三年需年均增长X%").
    pub required_annual_rate: Option<f64>,
    /// Average annual change (in the unit) still required ("年均需提高X个百分点").
    pub required_annual_change: Option<f64>,
}

/// The classification of one indicator or target, with its reason in words and numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub status: Status,
    /// The value expected in `actual_year` on the planned path (a level, a rate or an
    /// accrued change, comparable with `actual`).
    pub expected: Option<f64>,
    pub actual: Option<f64>,
    pub actual_year: Option<i32>,
    /// 完成进度: the share of the planned change achieved, in %.
    pub progress_pct: Option<f64>,
    /// 序时进度: the share of the period elapsed by `actual_year`, in %.
    pub schedule_pct: Option<f64>,
    pub projection: Option<Projection>,
    pub reason_zh: String,
    pub reason_en: String,
}

impl Evaluation {
    pub(crate) fn not_assessable(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Evaluation {
            status: Status::NotAssessable,
            expected: None,
            actual: None,
            actual_year: None,
            progress_pct: None,
            schedule_pct: None,
            projection: None,
            reason_zh: zh.into(),
            reason_en: en.into(),
        }
    }

    /// The Chinese label, "提前实现" for a target achieved before the end year.
    pub fn label_zh(&self, end_year: i32) -> &'static str {
        match (self.status, self.actual_year) {
            (Status::Achieved, Some(y)) if y < end_year => "提前实现",
            (s, _) => s.zh(),
        }
    }
}
