//! What is evaluated: an indicator row or a prose target, reduced to base, target and pace,
//! and the reading of those three cells as one goal.

use guihua_model::{Attribute, Comparator, Indicator, Period, Quantity, QuantityKind, Target};

use crate::types::{Direction, Params, PathShape};

/// One indicator or prose target, as the engine sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Subject {
    /// Plan-local id ("i3", "t12"); also the key of per-indicator parameters.
    pub id: String,
    pub name: String,
    pub unit: Option<String>,
    pub attribute: Option<Attribute>,
    /// The base-year cell (`Quantity::none` when absent).
    pub base: Quantity,
    pub base_year: i32,
    /// The target cell or clause.
    pub target: Quantity,
    pub target_year: i32,
    /// The 年均/累计 cell (`Quantity::none` for prose targets).
    pub pace: Quantity,
    /// Which way the underlying level improves.
    pub direction: Direction,
}

impl Subject {
    /// An indicator row of a plan covering `period`.
    pub fn from_indicator(ind: &Indicator, period: Period) -> Subject {
        let unit = ind.unit.clone().or_else(|| ind.target.unit.clone());
        Subject {
            id: ind.id.clone(),
            name: ind.name.clone(),
            unit,
            attribute: ind.attribute,
            base: ind.base.clone(),
            base_year: ind.base.year.unwrap_or(period.base_year()),
            target: ind.target.clone(),
            target_year: ind.target.year.unwrap_or(period.end),
            pace: ind.pace.clone(),
            direction: direction_from_name(&ind.name),
        }
    }

    /// A prose target of a plan covering `period`. Its year is the clause's year
    /// ("到2030年") or the period's end; its base year the period's base year.
    pub fn from_target(t: &Target, period: Period) -> Subject {
        Subject {
            id: t.id.clone(),
            name: t.subject.clone(),
            unit: t.quantity.unit.clone(),
            attribute: None,
            base: Quantity::none(""),
            base_year: period.base_year(),
            target: t.quantity.clone(),
            target_year: t
                .quantity
                .year
                .filter(|y| *y > period.base_year())
                .unwrap_or(period.end),
            pace: Quantity::none(""),
            direction: direction_from_name(&t.subject),
        }
    }

    /// The same subject with an explicit direction.
    pub fn with_direction(mut self, direction: Direction) -> Subject {
        self.direction = direction;
        self
    }

    pub(crate) fn unit_str(&self) -> &str {
        self.unit.as_deref().unwrap_or("")
    }
}

/// Heuristic: the underlying level of these indicators is better when lower — energy and
/// water use, emissions, unemployment, mortality, incidence, and anything named as a
/// reduction (降低/下降/减少/压减).
pub fn direction_from_name(name: &str) -> Direction {
    const LOWER: &[&str] = &[
        "能耗",
        "能源消耗",
        "排放",
        "失业率",
        "死亡率",
        "用水量",
        "用水总量",
        "发生率",
        "事故",
        "降低",
        "下降",
        "减少",
        "压减",
        "污染",
        "超标",
        "PM2.5",
        "PM10",
        "细颗粒物",
        "碳强度",
        "煤炭消费比重",
    ];
    if LOWER.iter().any(|w| name.contains(w)) {
        Direction::LowerIsBetter
    } else {
        Direction::HigherIsBetter
    }
}

/// The numbers of this subject state a reduction ("单位GDP能耗降低 〔13.5〕": 13.5 % less).
pub fn is_reduction_name(name: &str) -> bool {
    ["降低", "下降", "减少", "压减", "减排"]
        .iter()
        .any(|w| name.contains(w))
}

/// How a cumulative cell accrues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CumMode {
    /// A rate change over the period, compounded (〔13.5〕% reduction of energy intensity).
    Compound,
    /// A sum of yearly flows (〔10.5〕万人 new urban jobs).
    Sum,
    /// An increase of a level (〔0.3〕年 of schooling) when no base is known.
    Increment,
}

/// The reading of a subject's cells as one goal.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Goal {
    /// Reach or hold a level by the target year.
    Level {
        base: Option<f64>,
        /// How the base was obtained, when not from the base cell.
        base_note: Option<(String, String)>,
        target: f64,
        hi: Option<f64>,
        cmp: Comparator,
        shape: PathShape,
        /// The target is base + increment (a cumulative cell): it moves with a revised base.
        increment: Option<f64>,
    },
    /// An average annual rate, % (signed in the plan's sense; `sense` −1 for reductions).
    Growth {
        rate: f64,
        hi: Option<f64>,
        cmp: Comparator,
        sense: f64,
    },
    /// A change over the whole period.
    Cumulative {
        total: f64,
        cmp: Comparator,
        mode: CumMode,
        sense: f64,
    },
    /// An amount every year (年均城镇新增就业2万人).
    PerYear {
        amount: f64,
        cmp: Comparator,
    },
    /// Tied to another series's actual growth (与GDP增长基本同步, 高于GDP增长).
    Relative {
        reference: String,
        cmp: Comparator,
    },
    /// A multiple of the base-year level (翻一番 → 2).
    Multiple {
        factor: f64,
    },
    NotAssessable {
        zh: String,
        en: String,
    },
}

fn cmp_of(q: &Quantity) -> Comparator {
    q.comparator.unwrap_or(Comparator::Eq)
}

fn is_money(unit: &str) -> bool {
    unit.ends_with('元') && !unit.contains('/')
}

/// Read base, target and pace as one goal. Order: a numeric level target first (with a
/// growth pace it compounds), then a growth rate, a cumulative change, a relation, and
/// finally the reasons why nothing numeric can be assessed.
pub(crate) fn goal_of(s: &Subject, params: &Params) -> Goal {
    let t = &s.target;
    let p = &s.pace;
    let b = &s.base;
    let shape = Params::lookup(&params.path_overrides, &s.id, &s.name)
        .copied()
        .or(params.path)
        .unwrap_or(
            if p.kind == QuantityKind::Growth || is_money(s.unit_str()) {
                PathShape::Geometric
            } else {
                PathShape::Linear
            },
        );
    let base_level = (b.kind == QuantityKind::Level).then_some(b.value).flatten();

    if t.kind == QuantityKind::Level && !t.per_year {
        if let Some(target) = t.value {
            let mut base = base_level;
            let mut base_note = None;
            if base.is_none() && p.kind == QuantityKind::Cumulative && !is_rate_unit(s, p) {
                if let Some(inc) = p.value {
                    let sign = if is_reduction_name(&s.name) {
                        -1.0
                    } else {
                        1.0
                    };
                    let derived = target - sign * inc;
                    base = Some(derived);
                    base_note = Some((
                        format!("基期值由目标值减累计变化{}推得", p.text.trim()),
                        format!(
                            "base derived as target minus the cumulative change {}",
                            p.text.trim()
                        ),
                    ));
                }
            }
            return Goal::Level {
                base,
                base_note,
                target,
                hi: t.value_max,
                cmp: cmp_of(t),
                shape,
                increment: None,
            };
        }
    }
    // A rate held every year, stated in 年均/累计 ("城镇调查失业率 ＜5.5"): a floor or ceiling
    // each year, not a growth rate.
    if p.kind == QuantityKind::Level && p.held && t.kind != QuantityKind::Level {
        if let Some(target) = p.value {
            return Goal::Level {
                base: base_level,
                base_note: None,
                target,
                hi: p.value_max,
                cmp: cmp_of(p),
                shape: PathShape::Linear,
                increment: None,
            };
        }
    }
    if t.kind == QuantityKind::Level && t.per_year {
        if let Some(amount) = t.value {
            return Goal::PerYear {
                amount,
                cmp: cmp_of(t),
            };
        }
    }
    for q in [p, t] {
        if q.kind == QuantityKind::Growth {
            if let Some(v) = q.value {
                // The parser signs declines negative; a "…降低" name with a positive number
                // states a reduction.
                let sense = if is_reduction_name(&s.name) && v >= 0.0 {
                    -1.0
                } else {
                    1.0
                };
                return Goal::Growth {
                    rate: v,
                    hi: q.value_max,
                    cmp: cmp_of(q),
                    sense,
                };
            }
        }
    }
    for q in [t, p] {
        if q.kind == QuantityKind::Cumulative {
            if let Some(total) = q.value.filter(|v| v.abs() > 1e-9) {
                let sense = if is_reduction_name(&s.name) {
                    -1.0
                } else {
                    1.0
                };
                let mode = if is_rate_unit(s, q) && is_rate_name(&s.name) {
                    CumMode::Compound
                } else if is_flow_name(&s.name) {
                    CumMode::Sum
                } else {
                    CumMode::Increment
                };
                if mode == CumMode::Compound && sense < 0.0 && total >= 100.0 {
                    return Goal::NotAssessable {
                        zh: format!("累计降低{}%不可能实现，目标值有误", q.text.trim()),
                        en: format!(
                            "a cumulative reduction of {} % is impossible",
                            q.text.trim()
                        ),
                    };
                }
                if mode == CumMode::Increment {
                    if let Some(base) = base_level {
                        return Goal::Level {
                            base: Some(base),
                            base_note: None,
                            target: base + sense * total,
                            hi: None,
                            cmp: Comparator::Eq,
                            shape,
                            increment: Some(sense * total),
                        };
                    }
                }
                return Goal::Cumulative {
                    total,
                    cmp: cmp_of(q),
                    mode,
                    sense,
                };
            }
        }
    }
    for q in [p, t] {
        if q.kind == QuantityKind::Relative {
            let reference = q.reference.clone().unwrap_or_default();
            if let Some(f) = q.value {
                if reference.is_empty() || reference == "基期" {
                    return Goal::Multiple { factor: f };
                }
            }
            if reference.contains("时期") || reference.contains("十三五") {
                return Goal::NotAssessable {
                    zh: format!(
                        "目标为相对于{reference}的比较（{}），缺少该时期的参照数据",
                        q.text
                    ),
                    en: format!(
                        "the target compares with {reference} (\"{}\"); no data for that period",
                        q.text
                    ),
                };
            }
            return Goal::Relative {
                reference,
                cmp: cmp_of(q),
            };
        }
    }
    for q in [t, p] {
        if q.kind == QuantityKind::Delegated {
            let by = q.reference.clone().unwrap_or_else(|| "上级".into());
            return Goal::NotAssessable {
                zh: format!("目标由{by}下达（“{}”），规划未给出数值", q.text.trim()),
                en: format!(
                    "the target is set by {by} (\"{}\"); the plan states no number",
                    q.text.trim()
                ),
            };
        }
    }
    for q in [p, t] {
        if q.kind == QuantityKind::Qualitative {
            return Goal::NotAssessable {
                zh: format!("定性目标（“{}”），无数值可比", q.text.trim()),
                en: format!(
                    "qualitative target (\"{}\"); nothing to measure",
                    q.text.trim()
                ),
            };
        }
    }
    Goal::NotAssessable {
        zh: "规划未给出目标值".into(),
        en: "the plan states no target value".into(),
    }
}

fn is_rate_unit(s: &Subject, q: &Quantity) -> bool {
    let u = q.unit.as_deref().or(s.unit.as_deref()).unwrap_or("");
    u.contains('%')
}

fn is_rate_name(name: &str) -> bool {
    is_reduction_name(name) || name.contains("增长") || name.contains("提高")
}

fn is_flow_name(name: &str) -> bool {
    [
        "新增", "累计", "新建", "转移", "完成", "造林", "引进", "培训",
    ]
    .iter()
    .any(|w| name.contains(w))
}
