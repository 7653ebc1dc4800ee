//! A parsed five-year plan.

/// Everything extracted from one plan document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// Formal title, e.g. "乌鲁木齐市国民经济和社会发展第十四个五年规划和2035年远景目标纲要".
    pub title: Option<String>,
    /// The region the plan governs, as named by the plan ("乌鲁木齐市", "塔城地区").
    pub region: Option<String>,
    pub period: Option<Period>,
    pub adopted: Option<Adoption>,
    /// The outline tree (篇 › 章 › 节, 专栏 and 前言). A table of contents is never part of it.
    pub outline: Vec<OutlineNode>,
    pub indicators: Vec<Indicator>,
    /// Notes printed under a main indicator table (注/备注), verbatim.
    pub indicator_notes: Vec<Note>,
    /// The review of the previous plan many plans open with ("“十四五”规划主要指标完成
    /// 情况"): its targets against what was achieved. Not the plan's own indicators.
    pub review: Vec<ReviewRow>,
    /// Notes printed under a review table, verbatim.
    pub review_notes: Vec<Note>,
    pub targets: Vec<Target>,
    /// Values the plan states for its base year or earlier ("2020年,师市实现生产总值332亿元"),
    /// mostly from the review of the previous plan. Not targets: the audit compares them
    /// with the targets ("332亿 at 9%/yr → 510亿?").
    pub facts: Vec<Target>,
    pub projects: Vec<Project>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The plan period, e.g. 2021–2025 for the 14th five-year plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: i32,
    pub end: i32,
}

impl Period {
    /// The year before the period: the base year of its indicators (2020 for 2021–2025).
    pub fn base_year(&self) -> i32 {
        self.start - 1
    }
}

/// Adoption by a people's congress ("2021年1月14日乌鲁木齐市第十六届人民代表大会第五次会议通过").
#[derive(Debug, Clone, PartialEq)]
pub struct Adoption {
    /// ISO date `YYYY-MM-DD` (or `YYYY-MM` / `YYYY` when the day is not stated).
    pub date: Option<String>,
    /// The body that adopted it.
    pub by: Option<String>,
    pub line: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// 前言 / 序言 / 引言
    Preface,
    /// 篇
    Part,
    /// 章
    Chapter,
    /// 节
    Section,
    /// 专栏
    Box,
}

impl Level {
    /// Short id prefix used in outline paths ("p4/c6/s2", "c9/b10").
    pub fn id_prefix(self) -> &'static str {
        match self {
            Level::Preface => "f",
            Level::Part => "p",
            Level::Chapter => "c",
            Level::Section => "s",
            Level::Box => "b",
        }
    }

    /// The Chinese name of the level.
    pub fn zh(self) -> &'static str {
        match self {
            Level::Preface => "前言",
            Level::Part => "篇",
            Level::Chapter => "章",
            Level::Section => "节",
            Level::Box => "专栏",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutlineNode {
    /// Path of ancestors, unique within the plan: "p4/c6", "c2/s3", "p2/c4/b1".
    pub id: String,
    pub level: Level,
    /// The number as written (第六章 → 6, 专栏10 → 10); `None` for a preface.
    pub number: Option<u32>,
    pub title: String,
    pub line: u32,
    pub children: Vec<OutlineNode>,
}

impl OutlineNode {
    /// Depth-first iteration over this node and its descendants.
    pub fn walk(&self) -> Vec<&OutlineNode> {
        let mut out = vec![self];
        for c in &self.children {
            out.extend(c.walk());
        }
        out
    }
}

/// Walk a whole outline depth-first.
pub fn walk_outline(outline: &[OutlineNode]) -> Vec<&OutlineNode> {
    outline.iter().flat_map(|n| n.walk()).collect()
}

/// 预期性 / 约束性.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Attribute {
    /// 预期性
    Anticipatory,
    /// 约束性
    Binding,
}

impl Attribute {
    pub fn zh(self) -> &'static str {
        match self {
            Attribute::Anticipatory => "预期性",
            Attribute::Binding => "约束性",
        }
    }
}

/// What kind of quantity a cell or clause states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuantityKind {
    /// A value to reach or hold (55, >95, 98以上).
    Level,
    /// An average annual rate, signed (增长 +, 下降/降低/减少 −).
    Growth,
    /// A change over the whole period (〔10.5〕, 累计).
    Cumulative,
    /// Tied to another quantity (与GDP增长基本同步, 高于GDP增长, 翻一番).
    Relative,
    /// Set by a higher level (控制在自治区下达指标内).
    Delegated,
    /// Words only (保持在合理区间).
    Qualitative,
    /// No value (— - － or empty).
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparator {
    Eq,
    /// 左右, 约
    Approx,
    /// >, 高于, 超过
    Gt,
    /// ≥, 以上, 不低于
    Ge,
    /// <, 低于
    Lt,
    /// ≤, 以内, 不超过, 控制在…以内
    Le,
    /// "6%－6.5%"
    Range,
}

/// A stated quantity: a table cell or a clause of prose.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The cell or clause exactly as written.
    pub text: String,
    pub kind: QuantityKind,
    pub value: Option<f64>,
    /// Upper bound of a range.
    pub value_max: Option<f64>,
    pub comparator: Option<Comparator>,
    pub unit: Option<String>,
    /// The year the quantity refers to, when known.
    pub year: Option<i32>,
    /// For relative quantities: what it is tied to ("GDP增长"); for delegated ones, the
    /// level that sets the value ("自治区").
    pub reference: Option<String>,
    /// The value is an amount per year ("年均城镇新增就业2万人"), not a level to reach.
    pub per_year: bool,
    /// A level to hold in every year of the period, not only to reach by its end
    /// ("城镇调查失业率 ＜5.5" in the 年均/累计 column).
    pub held: bool,
    /// The value is marked as an estimate or preliminary figure (∗ * ※ after it).
    pub estimate: bool,
    /// The years the value covers when the text states them ("“十四五”年均增长4.0" →
    /// 2021–2025; "2021-2024年累计降低8.2" → 2021–2024).
    pub span: Option<(i32, i32)>,
    /// Several numbers in one cell ("8358/244" for 旅客/货邮吞吐量), in order; `value` is
    /// then `None` — one number is never invented from several.
    pub parts: Vec<f64>,
}

impl Default for Quantity {
    fn default() -> Self {
        Quantity::none("")
    }
}

impl Quantity {
    pub fn none(text: impl Into<String>) -> Quantity {
        Quantity {
            text: text.into(),
            kind: QuantityKind::None,
            value: None,
            value_max: None,
            comparator: None,
            unit: None,
            year: None,
            reference: None,
            per_year: false,
            held: false,
            estimate: false,
            span: None,
            parts: Vec::new(),
        }
    }
}

/// One row of a main indicator table (主要指标表).
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// "i1", "i2", … in table order.
    pub id: String,
    /// The sequence number as written (from a 序号 column or a "1." name prefix).
    pub seq: Option<String>,
    /// 类别 (经济发展, 创新驱动, …).
    pub category: Option<String>,
    /// Name without sequence prefix and unit ("地区生产总值增长").
    pub name: String,
    pub unit: Option<String>,
    pub attribute: Option<Attribute>,
    /// Base-year value (the 2020年 column of a 14th-FYP table).
    pub base: Quantity,
    /// Target-year value (2025年).
    pub target: Quantity,
    /// The 年均/累计 column.
    pub pace: Quantity,
    /// For sub-rows: the name of the row they belong to (Tacheng's 城镇就业).
    pub parent: Option<String>,
    /// Outline id of the box (专栏) holding the table, if any.
    pub box_id: Option<String>,
    pub line: u32,
}

/// One row of a review table: a target of the previous plan and what was achieved.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRow {
    /// The previous plan's indicator as the review states it: `target` (and `pace`) are
    /// its targets for the previous plan's last year, `base` its base value when shown.
    pub indicator: Indicator,
    /// What was achieved (the 完成情况 column), with its year.
    pub actual: Quantity,
    /// A status the table states (完成, 超额完成, 未完成, 基本完成), verbatim.
    pub status: Option<String>,
}

/// A note printed with a table (注/备注).
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub text: String,
    pub line: u32,
}

/// A target stated in prose ("生产总值预计完成510亿元", "年均增长9%").
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// "t1", "t2", … in document order.
    pub id: String,
    /// What the target is about, named as the plan names it ("生产总值").
    pub subject: String,
    /// The clause (text, kind, value, unit, comparator, year, reference).
    pub quantity: Quantity,
    /// Outline id of the innermost heading above the sentence.
    pub section: Option<String>,
    pub line: u32,
}

/// An amount of money stated for a project.
#[derive(Debug, Clone, PartialEq)]
pub struct Money {
    pub value: f64,
    /// "亿元" or "万元" as written.
    pub unit: String,
}

/// One project item of a 专栏 box (or a named project in prose).
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    /// "j1", "j2", … in document order.
    pub id: String,
    pub name: String,
    /// Sub-label the item is listed under ("铁路方面", "农业").
    pub group: Option<String>,
    pub box_id: Option<String>,
    /// Innermost chapter/section above the box.
    pub section: Option<String>,
    pub investment: Option<Money>,
    /// A stated capacity ("40万立方米/天", "年产100万吨").
    pub capacity: Option<String>,
    /// The item verbatim.
    pub text: String,
    pub line: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Every diagnostic code the parser emits (stable, kebab-case), so that a plan read back
/// from JSON keeps its codes.
pub const DIAGNOSTIC_CODES: &[&str] = &[
    "numbering-gap",
    "numbering-duplicate",
    "numbering-order",
    "toc-missing-in-body",
    "toc-missing-entry",
    "indicator-misnumbered",
    "table-row-unreadable",
    "table-prose-mismatch",
    "table-unread",
    "table-rows-missing",
    "no-indicator-table",
    "document-truncated",
    "other",
];

/// Something the parser noticed: a numbering gap, an unreadable row, a contradiction.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable kebab-case code ("numbering-gap", "toc-missing-in-body", …).
    pub code: &'static str,
    pub message: String,
    pub line: Option<u32>,
}

impl Diagnostic {
    pub fn warning(code: &'static str, line: Option<u32>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            message: message.into(),
            line,
        }
    }
    pub fn info(code: &'static str, line: Option<u32>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Info,
            code,
            message: message.into(),
            line,
        }
    }
}

impl Plan {
    /// Number of outline nodes of a level.
    pub fn count(&self, level: Level) -> usize {
        walk_outline(&self.outline)
            .iter()
            .filter(|n| n.level == level)
            .count()
    }

    /// Find an outline node by id.
    pub fn node(&self, id: &str) -> Option<&OutlineNode> {
        walk_outline(&self.outline).into_iter().find(|n| n.id == id)
    }
}
