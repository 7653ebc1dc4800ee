//! The indicator catalogue: canonical indicators of five-year plans and how plan names map
//! onto them.
//!
//! Every plan names the same indicator a little differently (单位GDP能耗降低,
//! 单位地区生产总值能源消耗降低, 单位地区生产总值能耗降低率). Monitoring across plans —
//! comparing regions, rolling county values up to a prefecture — needs one id per
//! indicator. This crate is that table plus the matcher, and nothing else: it is pure data
//! and string functions (no I/O), so the store, the CLI and any later web front end agree
//! on what "the same indicator" means.
//!
//! Matching is graded so a person can review the uncertain cases:
//! * 1.0 — the name is the canonical name or a listed alias;
//! * 0.9 — equal after [`normalize`] (spacing, units in brackets, 地区/全市 prefixes,
//!   国内生产总值 ↔ 地区生产总值 ↔ GDP, 能源消耗 ↔ 能耗, a trailing 率);
//! * below 0.9 — character-bigram similarity of the normalised forms, accepted from
//!   [`FUZZY_THRESHOLD`] up and scaled so that it never reaches 0.9.
//!
//! A unit that contradicts the canonical unit (万吨 for a percentage) costs 0.2 of
//! confidence for normalised and fuzzy matches; an exact name is trusted regardless.

use std::collections::BTreeSet;

/// Which way is an improvement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    HigherBetter,
    LowerBetter,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::HigherBetter => "higher",
            Direction::LowerBetter => "lower",
        }
    }
}

/// 预期性 / 约束性 as the national plan sets it (local plans may differ): the model's own
/// attribute type.
pub use guihua_model::Attribute;

/// A plan period a canonical indicator belongs to (start and end year).
pub type Span = (i32, i32);

/// The 14th five-year plan period.
pub const FYP14: Span = (2021, 2025);
/// The 15th five-year plan period.
pub const FYP15: Span = (2026, 2030);

const P14_15: &[Span] = &[FYP14, FYP15];
/// In use from the 15th five-year plan on.
const P15: &[Span] = &[FYP15];

/// How sure the catalogue is that an indicator is a main indicator of the national 15th
/// five-year plan (its table was published as an image; see
/// `../shared/reference/national-15th-main-indicators.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Certainty {
    /// Stated by the outline's text or an official briefing.
    Verified,
    /// A candidate: keep it editable.
    Uncertain,
}

impl Certainty {
    pub fn as_str(self) -> &'static str {
        match self {
            Certainty::Verified => "verified",
            Certainty::Uncertain => "uncertain",
        }
    }
}

/// The national 15th FYP's main indicators (20 in five groups) as far as known: id and how
/// sure. Indicators of the 14th table that are not listed appear to have left the main
/// table (每千人口拥有3岁以下婴幼儿托位数 was replaced by 3岁以下婴幼儿入托率; 单位GDP能源消耗降低,
/// 基本养老保险参保率, 空气质量优良天数比率 appear replaced) — they keep their identity, and
/// local 十五五 plans that still use them link to them.
const NATIONAL_15: &[(&str, Certainty)] = &[
    ("gdp_growth", Certainty::Verified),
    ("consumption_rate", Certainty::Uncertain),
    ("labour_productivity_growth", Certainty::Uncertain),
    ("urbanization_rate", Certainty::Uncertain),
    ("rd_growth", Certainty::Verified),
    ("high_value_patents_per_10k", Certainty::Verified),
    ("digital_economy_share", Certainty::Verified),
    ("surveyed_unemployment", Certainty::Verified),
    ("disposable_income_growth", Certainty::Verified),
    ("schooling_years", Certainty::Verified),
    ("doctors_per_1000", Certainty::Uncertain),
    ("life_expectancy", Certainty::Verified),
    ("nursing_bed_share", Certainty::Verified),
    ("childcare_enrolment", Certainty::Verified),
    ("carbon_intensity_reduction", Certainty::Verified),
    ("pm25", Certainty::Uncertain),
    ("surface_water_class3", Certainty::Uncertain),
    ("forest_coverage", Certainty::Uncertain),
    ("non_fossil_share", Certainty::Uncertain),
    ("grain_capacity", Certainty::Verified),
    ("energy_capacity", Certainty::Verified),
];

/// Whether an indicator is a main indicator of the national 15th FYP, and how sure that
/// is; `None` for indicators not known to be one.
pub fn national_15(id: &str) -> Option<Certainty> {
    NATIONAL_15.iter().find(|(i, _)| *i == id).map(|(_, c)| *c)
}

/// One canonical indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Canonical {
    /// Stable id, snake case ("gdp_growth").
    pub id: &'static str,
    /// The name the national plan (or the most common local plan) uses.
    pub name: &'static str,
    /// The usual unit; other accepted units follow in `units`.
    pub unit: &'static str,
    /// Units a plan may state for it (the first is `unit`).
    pub units: &'static [&'static str],
    pub direction: Direction,
    /// The national attribute; `None` for indicators the national plan does not set.
    pub attribute: Option<Attribute>,
    /// 经济发展 / 创新驱动 / 民生福祉 / 绿色生态 / 安全保障 (the national categories).
    pub category: &'static str,
    /// One of the 20 main indicators of the national 14th FYP.
    pub national: bool,
    /// Plan periods in which the indicator is in use.
    pub periods: &'static [Span],
    /// Other names plans use for it.
    pub aliases: &'static [&'static str],
}

impl Canonical {
    /// Whether the indicator is in use in a plan period starting in `start`.
    pub fn applies_to(&self, start: i32) -> bool {
        self.periods.iter().any(|(s, e)| (*s..=*e).contains(&start))
    }
}

use Attribute::{Anticipatory as ANT, Binding as BIN};
use Direction::{HigherBetter as UP, LowerBetter as DOWN};

macro_rules! ind {
    ($id:expr, $name:expr, [$($u:expr),*], $dir:expr, $attr:expr, $cat:expr, $nat:expr, $per:expr, [$($a:expr),* $(,)?]) => {
        Canonical {
            id: $id,
            name: $name,
            unit: first(&[$($u),*]),
            units: &[$($u),*],
            direction: $dir,
            attribute: $attr,
            category: $cat,
            national: $nat,
            periods: $per,
            aliases: &[$($a),*],
        }
    };
}

const fn first(u: &[&'static str]) -> &'static str {
    match u {
        [f, ..] => f,
        [] => "",
    }
}

/// The catalogue: the 20 national main indicators of the 14th FYP, then common local ones.
pub static CATALOGUE: &[Canonical] = &[
    ind!(
        "gdp_growth",
        "国内生产总值增长",
        ["%"],
        UP,
        Some(ANT),
        "经济发展",
        true,
        P14_15,
        [
            "地区生产总值增长",
            "GDP增长",
            "生产总值增长",
            "地区生产总值年均增长",
            "经济增长"
        ]
    ),
    ind!(
        "labour_productivity_growth",
        "全员劳动生产率增长",
        ["%"],
        UP,
        Some(ANT),
        "经济发展",
        true,
        P14_15,
        ["全员劳动生产率年均增长"]
    ),
    ind!(
        "urbanization_rate",
        "常住人口城镇化率",
        ["%"],
        UP,
        Some(ANT),
        "经济发展",
        true,
        P14_15,
        ["城镇化率", "人口城镇化率"]
    ),
    ind!(
        "rd_growth",
        "全社会研发经费投入增长",
        ["%"],
        UP,
        Some(ANT),
        "创新驱动",
        true,
        P14_15,
        [
            "研发经费投入增长",
            "R&D经费支出增长",
            "全社会研发投入增长",
            "研究与试验发展经费投入增长"
        ]
    ),
    ind!(
        "high_value_patents_per_10k",
        "每万人口高价值发明专利拥有量",
        ["件"],
        UP,
        Some(ANT),
        "创新驱动",
        true,
        P14_15,
        ["每万人高价值发明专利拥有量"]
    ),
    ind!(
        "digital_economy_share",
        "数字经济核心产业增加值占GDP比重",
        ["%"],
        UP,
        Some(ANT),
        "创新驱动",
        true,
        P14_15,
        [
            "数字经济核心产业增加值占地区生产总值比重",
            "数字经济增加值占地区生产总值比例",
            "数字经济增加值占地区生产总值比重",
            "数字经济核心产业增加值占地区生产总值比例"
        ]
    ),
    ind!(
        "disposable_income_growth",
        "居民人均可支配收入增长",
        ["%"],
        UP,
        Some(ANT),
        "民生福祉",
        true,
        P14_15,
        ["城乡居民人均可支配收入增长"]
    ),
    ind!(
        "surveyed_unemployment",
        "城镇调查失业率",
        ["%"],
        DOWN,
        Some(ANT),
        "民生福祉",
        true,
        P14_15,
        []
    ),
    ind!(
        "schooling_years",
        "劳动年龄人口平均受教育年限",
        ["年"],
        UP,
        Some(BIN),
        "民生福祉",
        true,
        P14_15,
        ["劳动年龄人口平均受教育年数"]
    ),
    ind!(
        "doctors_per_1000",
        "每千人口拥有执业（助理）医师数",
        ["人"],
        UP,
        Some(ANT),
        "民生福祉",
        true,
        P14_15,
        [
            "每千人执业(助理)医师数",
            "每千人口拥有执业(助理)医师数",
            "每千人拥有执业(助理)医师数",
            "每千人口执业(助理)医师数"
        ]
    ),
    ind!(
        "pension_coverage",
        "基本养老保险参保率",
        ["%"],
        UP,
        Some(ANT),
        "民生福祉",
        true,
        P14_15,
        []
    ),
    ind!(
        "childcare_per_1000",
        "每千人口拥有3岁以下婴幼儿托位数",
        ["个"],
        UP,
        Some(ANT),
        "民生福祉",
        true,
        P14_15,
        ["每千人3岁以下婴幼儿托位数", "每千人拥有3岁以下婴幼儿托位数"]
    ),
    ind!(
        "life_expectancy",
        "人均预期寿命",
        ["岁", "年"],
        UP,
        Some(ANT),
        "民生福祉",
        true,
        P14_15,
        ["平均预期寿命"]
    ),
    ind!(
        "energy_intensity_reduction",
        "单位GDP能源消耗降低",
        ["%"],
        UP,
        Some(BIN),
        "绿色生态",
        true,
        P14_15,
        [
            "单位地区生产总值能源消耗降低",
            "单位地区生产总值能耗降低率",
            "万元GDP能耗降低",
            "单位GDP能耗降低",
            "单位生产总值能耗降低"
        ]
    ),
    ind!(
        "carbon_intensity_reduction",
        "单位GDP二氧化碳排放降低",
        ["%"],
        UP,
        Some(BIN),
        "绿色生态",
        true,
        P14_15,
        [
            "单位地区生产总值二氧化碳排放降低",
            "单位GDP二氧化碳排放量降低"
        ]
    ),
    ind!(
        "air_quality_good_days",
        "地级及以上城市空气质量优良天数比率",
        ["%"],
        UP,
        Some(BIN),
        "绿色生态",
        true,
        P14_15,
        [
            "空气质量优良天数比率",
            "城市空气质量优良天数比率",
            "行署所在地城市空气质量优良天数比率",
            "空气质量优良天数比例"
        ]
    ),
    ind!(
        "surface_water_class3",
        "地表水达到或好于Ⅲ类水体比例",
        ["%"],
        UP,
        Some(BIN),
        "绿色生态",
        true,
        P14_15,
        [
            "地表水达到或好于III类水体比例",
            "地表水质量达到或好于Ⅲ类水体比例"
        ]
    ),
    ind!(
        "forest_coverage",
        "森林覆盖率",
        ["%"],
        UP,
        Some(BIN),
        "绿色生态",
        true,
        P14_15,
        []
    ),
    ind!(
        "grain_capacity",
        "粮食综合生产能力",
        ["亿吨", "万吨", "吨"],
        UP,
        Some(BIN),
        "安全保障",
        true,
        P14_15,
        ["粮食产量"]
    ),
    ind!(
        "energy_capacity",
        "能源综合生产能力",
        ["亿吨标准煤", "亿吨标煤", "万吨标准煤"],
        UP,
        Some(BIN),
        "安全保障",
        true,
        P14_15,
        []
    ),
    // Common local indicators (seen in the reference plans and typical of local outlines).
    ind!(
        "registered_unemployment",
        "城镇登记失业率",
        ["%"],
        DOWN,
        None,
        "民生福祉",
        false,
        P14_15,
        []
    ),
    ind!(
        "new_urban_jobs",
        "城镇新增就业人数",
        ["万人", "万人次", "人"],
        UP,
        None,
        "民生福祉",
        false,
        P14_15,
        ["城镇新增就业", "新增城镇就业", "城镇新增就业人员"]
    ),
    ind!(
        "patents_per_10k",
        "每万人口发明专利拥有量",
        ["件"],
        UP,
        None,
        "创新驱动",
        false,
        P14_15,
        ["每万人发明专利拥有量"]
    ),
    ind!(
        "preschool_enrolment",
        "学前教育毛入园率",
        ["%"],
        UP,
        None,
        "民生福祉",
        false,
        P14_15,
        ["学前三年毛入园率", "学前教育三年毛入园率"]
    ),
    ind!(
        "strategic_emerging_share",
        "战略性新兴产业增加值占比",
        ["%"],
        UP,
        None,
        "创新驱动",
        false,
        P14_15,
        [
            "战略性新兴产业增加值占地区生产总值比例",
            "战略性新兴产业增加值占地区生产总值比重",
            "战略性新兴产业增加值占GDP比重"
        ]
    ),
    ind!(
        "gdp",
        "地区生产总值",
        ["亿元"],
        UP,
        None,
        "经济发展",
        false,
        P14_15,
        ["生产总值", "国内生产总值", "GDP"]
    ),
    ind!(
        "gdp_per_capita",
        "人均地区生产总值",
        ["元", "万元"],
        UP,
        None,
        "经济发展",
        false,
        P14_15,
        ["人均生产总值", "人均GDP"]
    ),
    ind!(
        "fiscal_revenue",
        "一般公共预算收入",
        ["亿元"],
        UP,
        None,
        "经济发展",
        false,
        P14_15,
        ["地方一般公共预算收入", "一般公共财政预算收入"]
    ),
    ind!(
        "fixed_investment_growth",
        "固定资产投资增长",
        ["%"],
        UP,
        None,
        "经济发展",
        false,
        P14_15,
        ["全社会固定资产投资增长", "固定资产投资年均增长"]
    ),
    ind!(
        "retail_sales_growth",
        "社会消费品零售总额增长",
        ["%"],
        UP,
        None,
        "经济发展",
        false,
        P14_15,
        []
    ),
    ind!(
        "industrial_value_added_growth",
        "规模以上工业增加值增长",
        ["%"],
        UP,
        None,
        "经济发展",
        false,
        P14_15,
        ["规上工业增加值增长"]
    ),
    ind!(
        "urban_income",
        "城镇居民人均可支配收入",
        ["元", "万元"],
        UP,
        None,
        "民生福祉",
        false,
        P14_15,
        []
    ),
    ind!(
        "rural_income",
        "农村居民人均可支配收入",
        ["元", "万元"],
        UP,
        None,
        "民生福祉",
        false,
        P14_15,
        ["农村牧区常住居民人均可支配收入", "农牧民人均可支配收入"]
    ),
    ind!(
        "compulsory_education_retention",
        "九年义务教育巩固率",
        ["%"],
        UP,
        None,
        "民生福祉",
        false,
        P14_15,
        []
    ),
    ind!(
        "high_school_enrolment",
        "高中阶段教育毛入学率",
        ["%"],
        UP,
        None,
        "民生福祉",
        false,
        P14_15,
        []
    ),
    ind!(
        "non_fossil_share",
        "非化石能源占能源消费总量比重",
        ["%"],
        UP,
        None,
        "绿色生态",
        false,
        P14_15,
        ["非化石能源占一次能源消费比重"]
    ),
    ind!(
        "pm25",
        "细颗粒物(PM2.5)浓度",
        ["微克/立方米"],
        DOWN,
        None,
        "绿色生态",
        false,
        P14_15,
        ["PM2.5浓度", "细颗粒物浓度", "PM2.5平均浓度"]
    ),
    ind!(
        "sewage_treatment_rate",
        "城市污水处理率",
        ["%"],
        UP,
        None,
        "绿色生态",
        false,
        P14_15,
        ["城镇污水处理率", "污水处理率"]
    ),
    ind!(
        "tourism_revenue",
        "旅游总收入",
        ["亿元"],
        UP,
        None,
        "经济发展",
        false,
        P14_15,
        ["旅游收入", "旅游年收入"]
    ),
    ind!(
        "tourist_visits",
        "接待游客人数",
        ["万人次"],
        UP,
        None,
        "经济发展",
        false,
        P14_15,
        ["游客接待量", "接待游客"]
    ),
    // New in the national 15th FYP (2026–2030).
    ind!(
        "nursing_bed_share",
        "养老机构护理型床位占比",
        ["%"],
        UP,
        Some(ANT),
        "民生福祉",
        false,
        P15,
        ["护理型床位占比", "养老机构护理型床位比例"]
    ),
    ind!(
        "childcare_enrolment",
        "3岁以下婴幼儿入托率",
        ["%"],
        UP,
        Some(ANT),
        "民生福祉",
        false,
        P15,
        ["婴幼儿入托率", "三岁以下婴幼儿入托率", "0-3岁婴幼儿入托率"]
    ),
    ind!(
        "consumption_rate",
        "居民消费率",
        ["%"],
        UP,
        Some(ANT),
        "经济发展",
        false,
        P15,
        ["居民消费支出占GDP比重"]
    ),
];

/// All canonical indicators.
pub fn all() -> &'static [Canonical] {
    CATALOGUE
}

/// A canonical indicator by id.
pub fn get(id: &str) -> Option<&'static Canonical> {
    CATALOGUE.iter().find(|c| c.id == id)
}

/// How a name was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The canonical name or a listed alias.
    Exact,
    /// Equal after normalisation.
    Normalized,
    /// Similar by character bigrams.
    Fuzzy,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Exact => "exact",
            Reason::Normalized => "normalized",
            Reason::Fuzzy => "fuzzy",
        }
    }
}

/// A match of a plan's indicator name onto the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub id: &'static str,
    /// 0–1; 1.0 for exact names and aliases.
    pub confidence: f64,
    pub reason: Reason,
}

/// Fuzzy matches below this bigram similarity are not reported.
pub const FUZZY_THRESHOLD: f64 = 0.6;

/// Full-width → half-width for ASCII-range characters; ideographic space → space.
fn halfwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Strip a leading sequence number ("1.", "29．", "（3）").
fn strip_seq(s: &str) -> &str {
    let t = s.trim_start_matches(|c: char| c.is_ascii_digit());
    if t.len() != s.len() {
        if let Some(rest) = t.strip_prefix(['.', '、', ' ']) {
            return rest;
        }
    }
    s
}

/// Remove bracketed parts that hold a unit, e.g. "(%)", "(万人次,%)", but keep
/// "(助理)" and "(PM2.5)", which are part of a name.
fn strip_unit_brackets(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('(') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(')') {
            Some(close) => {
                let inner = &after[..close];
                if !looks_like_unit(inner) {
                    out.push('(');
                    out.push_str(inner);
                    out.push(')');
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn looks_like_unit(inner: &str) -> bool {
    const UNITS: &[&str] = &[
        "%",
        "‰",
        "元",
        "万元",
        "亿元",
        "件",
        "人",
        "个",
        "岁",
        "年",
        "吨",
        "万吨",
        "亿吨",
        "标准煤",
        "标煤",
        "万人",
        "人次",
        "万人次",
        "天",
        "公里",
        "平方米",
        "立方米",
        "微克",
        "千瓦",
        "张",
        "单位",
    ];
    let inner = inner.trim();
    if inner.is_empty() {
        return true;
    }
    inner
        .split([',', '、', '/', ' '])
        .filter(|p| !p.is_empty())
        .all(|p| UNITS.iter().any(|u| p.contains(u)) && !p.contains("助理") && !p.contains("PM"))
}

/// The normalised form of an indicator name: used for the 0.9 tier and as the input of
/// fuzzy matching. Exposed so callers can show why two names were considered equal.
pub fn normalize(name: &str) -> String {
    let s: String = name
        .chars()
        .map(halfwidth)
        .filter(|c| !c.is_whitespace())
        .collect();
    let s = strip_seq(&s).to_string();
    let mut s = strip_unit_brackets(&s);
    for (from, to) in [
        ("国内生产总值", "GDP"),
        ("地区生产总值", "GDP"),
        ("生产总值", "GDP"),
        ("能源消耗", "能耗"),
        ("每千人口拥有", "每千人"),
        ("每千人拥有", "每千人"),
        ("每千人口", "每千人"),
        ("每万人口", "每万人"),
        ("比重", "比例"),
        ("III类", "Ⅲ类"),
        ("标准煤", "标煤"),
        ("年均增长", "增长"),
    ] {
        s = s.replace(from, to);
    }
    for prefix in [
        "行署所在地",
        "地级及以上城市",
        "地级及以上",
        "全市",
        "全县",
        "全区",
        "全旗",
        "全州",
        "全盟",
        "全地区",
        "地区",
    ] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.to_string();
        }
    }
    s = s.replace("城市空气", "空气");
    if let Some(rest) = s.strip_suffix('率') {
        // "降低率" → "降低", "城镇化率" → "城镇化": the 率 adds nothing to identity.
        s = rest.to_string();
    }
    s
}

fn bigrams(s: &str) -> BTreeSet<(char, char)> {
    let cs: Vec<char> = s.chars().collect();
    cs.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Dice coefficient over character bigrams (0–1).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (x, y) = (bigrams(a), bigrams(b));
    if x.is_empty() || y.is_empty() {
        return if a == b && !a.is_empty() { 1.0 } else { 0.0 };
    }
    let common = x.intersection(&y).count();
    2.0 * common as f64 / (x.len() + y.len()) as f64
}

fn unit_fits(c: &Canonical, unit: Option<&str>) -> bool {
    let Some(u) = unit.map(str::trim).filter(|u| !u.is_empty()) else {
        return true;
    };
    let u: String = u.chars().map(halfwidth).collect();
    // "万人次,%" (Tacheng's 城镇就业): any listed part fitting is enough.
    u.split([',', '、'])
        .any(|part| c.units.iter().any(|cu| *cu == part || part.contains(cu)))
}

/// Every name a canonical indicator is known by (the name first).
fn names(c: &'static Canonical) -> impl Iterator<Item = &'static str> {
    std::iter::once(c.name).chain(c.aliases.iter().copied())
}

/// Map an indicator name (as a plan writes it, unit optional) onto the catalogue.
pub fn match_name(name: &str, unit: Option<&str>) -> Option<Match> {
    match_in(name, unit, None)
}

/// Like [`match_name`], restricted to indicators in use in the plan period starting in
/// `period_start` (when given).
pub fn match_in(name: &str, unit: Option<&str>, period_start: Option<i32>) -> Option<Match> {
    let candidates = || {
        CATALOGUE
            .iter()
            .filter(move |c| period_start.is_none_or(|s| c.applies_to(s)))
    };
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return None;
    }
    let raw: String = trimmed.chars().map(halfwidth).collect();
    for c in candidates() {
        if names(c).any(|n| n == trimmed || n.chars().map(halfwidth).collect::<String>() == raw) {
            return Some(Match {
                id: c.id,
                confidence: 1.0,
                reason: Reason::Exact,
            });
        }
    }
    let norm = normalize(trimmed);
    if norm.is_empty() {
        return None;
    }
    let penalty = |c: &Canonical| if unit_fits(c, unit) { 0.0 } else { 0.2 };
    let mut best: Option<Match> = None;
    for c in candidates() {
        if names(c).any(|n| normalize(n) == norm) {
            let m = Match {
                id: c.id,
                confidence: 0.9 - penalty(c),
                reason: Reason::Normalized,
            };
            if best.as_ref().is_none_or(|b| m.confidence > b.confidence) {
                best = Some(m);
            }
        }
    }
    if best.is_some() {
        return best;
    }
    for c in candidates() {
        let sim = names(c)
            .map(|n| similarity(&normalize(n), &norm))
            .fold(0.0, f64::max);
        if sim >= FUZZY_THRESHOLD {
            // Scale [threshold, 1] onto [0.5, 0.85] so fuzzy never reaches the 0.9 tier.
            let conf = 0.5 + (sim - FUZZY_THRESHOLD) / (1.0 - FUZZY_THRESHOLD) * 0.35 - penalty(c);
            let m = Match {
                id: c.id,
                confidence: (conf * 100.0).round() / 100.0,
                reason: Reason::Fuzzy,
            };
            if m.confidence > 0.0 && best.as_ref().is_none_or(|b| m.confidence > b.confidence) {
                best = Some(m);
            }
        }
    }
    best
}

/// Look an indicator up the way a person types it in an import file or on the command
/// line: a catalogue id, a name or an alias (exact or normalised; never fuzzy).
pub fn lookup(text: &str) -> Option<&'static Canonical> {
    let t = text.trim();
    if let Some(c) = get(t) {
        return Some(c);
    }
    match match_name(t, None) {
        Some(m) if m.reason != Reason::Fuzzy => get(m.id),
        _ => None,
    }
}

/// Which way is better for an indicator the catalogue does not know, from its name.
///
/// A name that states a reduction (…降低, …下降, …减少) measures how much something
/// fell, so a larger value is better (the national plan lists 单位GDP能源消耗降低 as
/// "higher is better"). Otherwise names of bad things — unemployment, energy use,
/// emissions, deaths, concentrations — are better lower.
pub fn direction(name: &str) -> Direction {
    if let Some(c) = match_name(name, None).filter(|m| m.confidence >= 0.9) {
        if let Some(c) = get(c.id) {
            return c.direction;
        }
    }
    let n = normalize(name);
    if ["降低", "下降", "减少", "削减", "压减"]
        .iter()
        .any(|w| n.ends_with(w))
    {
        return Direction::HigherBetter;
    }
    const BAD: &[&str] = &[
        "失业",
        "能耗",
        "死亡率",
        "排放",
        "浓度",
        "发生率",
        "事故",
        "贫困",
        "耗水",
        "用水量",
        "亏损",
        "负债率",
        "污染",
        "超标",
        "降低",
    ];
    if BAD.iter().any(|w| n.contains(w) || name.contains(w)) {
        Direction::LowerBetter
    } else {
        Direction::HigherBetter
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_national_15th_main_indicators() {
        assert_eq!(
            NATIONAL_15.len(),
            21,
            "20 indicators; the table's two of three 经济发展 rows are candidates"
        );
        for (id, _) in NATIONAL_15 {
            let c = get(id).unwrap_or_else(|| panic!("{id} not in the catalogue"));
            assert!(c.applies_to(2026), "{id} is in use in the 15th period");
        }
        assert_eq!(
            national_15("childcare_enrolment"),
            Some(Certainty::Verified)
        );
        assert_eq!(national_15("nursing_bed_share"), Some(Certainty::Verified));
        assert_eq!(
            national_15("childcare_per_1000"),
            None,
            "replaced by 入托率"
        );
        assert_eq!(national_15("energy_intensity_reduction"), None);
        // New ones belong to the 15th period only; dropped ones keep their identity and
        // still link in a 15th plan that uses them (Nanjing's keeps 托位数).
        assert!(!get("childcare_enrolment").unwrap().applies_to(2021));
        assert_eq!(
            match_in("3岁以下婴幼儿入托率", Some("%"), Some(2026)).map(|m| m.id),
            Some("childcare_enrolment")
        );
        assert_eq!(
            match_in("养老机构护理型床位占比", Some("%"), Some(2026)).map(|m| m.id),
            Some("nursing_bed_share")
        );
        assert_eq!(
            match_in("每千人口拥有3岁以下婴幼儿托位数", Some("个"), Some(2026)).map(|m| m.id),
            Some("childcare_per_1000")
        );
    }

    #[test]
    fn catalogue_is_consistent() {
        let mut ids = BTreeSet::new();
        for c in CATALOGUE {
            assert!(ids.insert(c.id), "duplicate id {}", c.id);
            assert!(!c.units.is_empty() && c.unit == c.units[0]);
        }
        assert_eq!(CATALOGUE.iter().filter(|c| c.national).count(), 20);
        // No alias may mean two indicators.
        let mut seen = std::collections::BTreeMap::new();
        for c in CATALOGUE {
            for n in names(c) {
                if let Some(other) = seen.insert(normalize(n), c.id) {
                    assert_eq!(other, c.id, "{n} is ambiguous");
                }
            }
        }
    }

    #[test]
    fn energy_names_are_one_indicator() {
        for n in [
            "单位GDP能耗降低",
            "单位地区生产总值能源消耗降低",
            "单位地区生产总值能耗降低率",
            "14.单位地区生产总值能耗降低率（%）",
        ] {
            let m = match_name(n, Some("%")).expect(n);
            assert_eq!(m.id, "energy_intensity_reduction", "{n}");
            assert!(m.confidence >= 0.9, "{n}: {m:?}");
        }
        assert_eq!(
            match_name("单位GDP能耗降低", None).map(|m| m.confidence),
            Some(1.0)
        );
    }

    #[test]
    fn normalisation_tiers() {
        let m = match_name("全市常住人口城镇化率", Some("%")).unwrap();
        assert_eq!((m.id, m.reason), ("urbanization_rate", Reason::Normalized));
        assert_eq!(m.confidence, 0.9);
        let m = match_name("国内生产总值增长", None).unwrap();
        assert_eq!(m.reason, Reason::Exact);
        // A wrong unit lowers confidence.
        let m = match_name("全市常住人口城镇化率", Some("万吨")).unwrap();
        assert!(m.confidence < 0.9);
        // Registered and surveyed unemployment stay apart.
        assert_eq!(
            match_name("城镇登记失业率", None).unwrap().id,
            "registered_unemployment"
        );
        assert_eq!(
            match_name("城镇调查失业率", None).unwrap().id,
            "surveyed_unemployment"
        );
    }

    #[test]
    fn fuzzy_and_threshold() {
        let m = match_name("每千人口拥有执业医师数", Some("人")).unwrap();
        assert_eq!(m.id, "doctors_per_1000");
        assert_eq!(m.reason, Reason::Fuzzy);
        assert!(m.confidence < 0.9 && m.confidence >= 0.5);
        assert!(match_name("棉花种植面积", Some("万亩")).is_none());
        assert!(match_name("", None).is_none());
        assert!(match_name("(%)", None).is_none());
    }

    #[test]
    fn lookup_by_id_name_alias() {
        assert_eq!(
            lookup("forest_coverage").map(|c| c.id),
            Some("forest_coverage")
        );
        assert_eq!(lookup("GDP增长").map(|c| c.id), Some("gdp_growth"));
        assert_eq!(
            lookup(" 森林覆盖率 ").map(|c| c.id),
            Some("forest_coverage")
        );
        assert!(lookup("每千人口拥有执业医师数").is_none()); // fuzzy only
    }

    #[test]
    fn direction_heuristic() {
        assert_eq!(direction("某某排放强度"), Direction::LowerBetter);
        assert_eq!(direction("婴儿死亡率"), Direction::LowerBetter);
        assert_eq!(direction("城镇登记失业率"), Direction::LowerBetter);
        assert_eq!(direction("万元工业增加值用水量"), Direction::LowerBetter);
        assert_eq!(direction("化学需氧量排放总量减少"), Direction::HigherBetter);
        assert_eq!(direction("单位GDP能耗降低"), Direction::HigherBetter);
        assert_eq!(direction("棉花产量"), Direction::HigherBetter);
    }

    #[test]
    fn periods() {
        let c = get("gdp_growth").unwrap();
        assert!(c.applies_to(2021) && c.applies_to(2026) && !c.applies_to(2016));
        assert!(match_in("森林覆盖率", None, Some(2016)).is_none());
    }
}

/// The English name of a catalogue indicator (as the national plan's official English
/// version and the statistical yearbooks word it). Every catalogue entry has one; a test
/// keeps it so.
pub fn english(id: &str) -> Option<&'static str> {
    Some(match id {
        "gdp_growth" => "GDP growth",
        "labour_productivity_growth" => "Growth of overall labour productivity",
        "urbanization_rate" => "Urbanisation rate of the resident population",
        "rd_growth" => "Growth of R&D spending",
        "high_value_patents_per_10k" => "High-value invention patents per 10,000 people",
        "digital_economy_share" => "Value added of core digital-economy industries in GDP",
        "disposable_income_growth" => "Growth of per capita disposable income",
        "surveyed_unemployment" => "Surveyed urban unemployment rate",
        "schooling_years" => "Average years of schooling of the working-age population",
        "doctors_per_1000" => "Licensed (assistant) doctors per 1,000 people",
        "pension_coverage" => "Basic old-age insurance coverage",
        "childcare_per_1000" => "Childcare places for children under 3 per 1,000 people",
        "life_expectancy" => "Life expectancy",
        "energy_intensity_reduction" => "Reduction in energy consumption per unit of GDP",
        "carbon_intensity_reduction" => "Reduction in CO₂ emissions per unit of GDP",
        "air_quality_good_days" => "Share of days with good air quality in cities",
        "surface_water_class3" => "Share of surface water of Grade III or better",
        "forest_coverage" => "Forest coverage",
        "grain_capacity" => "Grain production capacity",
        "energy_capacity" => "Energy production capacity",
        "registered_unemployment" => "Registered urban unemployment rate",
        "new_urban_jobs" => "New urban jobs",
        "patents_per_10k" => "Invention patents per 10,000 people",
        "preschool_enrolment" => "Gross preschool enrolment ratio",
        "strategic_emerging_share" => "Share of strategic emerging industries in value added",
        "gdp" => "Gross regional product",
        "gdp_per_capita" => "Per capita gross regional product",
        "fiscal_revenue" => "General public budget revenue",
        "fixed_investment_growth" => "Growth of fixed-asset investment",
        "retail_sales_growth" => "Growth of retail sales of consumer goods",
        "industrial_value_added_growth" => "Growth of industrial value added above designated size",
        "urban_income" => "Per capita disposable income of urban residents",
        "rural_income" => "Per capita disposable income of rural residents",
        "compulsory_education_retention" => "Nine-year compulsory education retention rate",
        "high_school_enrolment" => "Gross enrolment ratio of senior secondary education",
        "non_fossil_share" => "Share of non-fossil energy in energy consumption",
        "pm25" => "PM2.5 concentration",
        "sewage_treatment_rate" => "Urban sewage treatment rate",
        "tourism_revenue" => "Total tourism revenue",
        "tourist_visits" => "Tourist visits",
        "nursing_bed_share" => "Share of nursing-care beds in elderly-care institutions",
        "childcare_enrolment" => "Childcare enrolment rate of children under 3",
        "consumption_rate" => "Household consumption rate",
        _ => return None,
    })
}

/// A unit in English ("万人" → "10,000 people"); `None` when there is no settled
/// rendering (the caller keeps the Chinese and marks it).
pub fn unit_english(unit: &str) -> Option<&'static str> {
    Some(match unit.trim() {
        "%" | "％" => "%",
        "个百分点" | "百分点" => "percentage points",
        "岁" | "年" => "years",
        "人" => "people",
        "万人" => "10,000 people",
        "万人次" => "10,000 visits",
        "亿元" => "100 million yuan",
        "万元" => "10,000 yuan",
        "元" => "yuan",
        "万吨" => "10,000 t",
        "亿吨" => "100 million t",
        "万吨标准煤" => "10,000 tce",
        "亿吨标准煤" => "100 million tce",
        "亿斤" => "100 million jin",
        "万亩" => "10,000 mu",
        "亩" => "mu",
        "公里" => "km",
        "平方公里" => "km²",
        "件" => "items",
        "个" => "units",
        "所" => "schools",
        "张" => "beds",
        "天" => "days",
        "微克/立方米" => "μg/m³",
        "千瓦时" => "kWh",
        "亿千瓦时" => "100 million kWh",
        "万千瓦" => "10,000 kW",
        "人/千人" | "人/每千人" => "per 1,000 people",
        _ => return None,
    })
}

#[cfg(test)]
mod english_tests {
    #[test]
    fn every_catalogue_indicator_has_an_english_name() {
        for c in super::all() {
            assert!(super::english(c.id).is_some(), "{} {}", c.id, c.name);
        }
        assert_eq!(super::unit_english("万人"), Some("10,000 people"));
        assert_eq!(super::unit_english("某单位"), None);
    }
}
