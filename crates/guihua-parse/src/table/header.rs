//! The header of an indicator table: what each column holds.
//!
//! Plans name their columns in many ways — 类别/分类/领域, 序号, 指标/指标名称, 单位, 2020年,
//! 2025年完成值, 2030年目标值, 规划目标（2025年）, 年均/累计, 年均［累计］, 属性/指标属性 — and
//! print them damaged: wrapped ("2025年" / "完成值", "年均/" / "累计"), or as two rows with a
//! spanning parent ("“十五五”目标" over "2030年" and "年均［累计］"). Each header cell is first
//! classified on its own ([`classify`]); wrapped fragments are joined and spanning parents
//! folded into their children; then the year columns get their roles from each other:
//! the latest year a plan aims at is the target, an earlier year the base, and a column of
//! actuals (完成情况, 实际) for the target year makes the table a review of a finished plan.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::{char_len, remove_spaces};

/// Role of a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Category,
    Seq,
    Name,
    Unit,
    /// The value in the base year (the last year of the previous plan).
    Base,
    /// The value to reach in the target year.
    Target,
    /// The 年均/累计 column: average annual rate or change over the period.
    Pace,
    /// What was achieved (a review table: 2025年完成情况).
    Actual,
    /// Whether it was achieved (是否完成, 完成状态).
    Status,
    Attribute,
    Remark,
    Other,
}

/// What one header cell says, before the columns are weighed against each other.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Category,
    Seq,
    Name,
    Unit,
    Attribute,
    Remark,
    Status,
    Pace,
    /// A year column; `done` when it holds what was achieved (完成值, 完成情况, 实际, 现状,
    /// 基期), `goal` when it holds what is aimed at (目标, 目标值, 规划目标).
    Year {
        year: i32,
        done: bool,
        goal: bool,
    },
    /// 规划目标 / 目标值 / “十五五”目标 without a year (often a spanning parent).
    Goal,
    /// 完成情况 / 实现情况 / 实际完成 without a year.
    Done,
}

static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20)\d\d)\s*年?").expect("valid regex"));

const DONE_WORDS: [&str; 9] = [
    "完成",
    "实际",
    "实现",
    "现状",
    "基期",
    "基数",
    "预计",
    "达到",
    "完成情况",
];
const GOAL_WORDS: [&str; 4] = ["目标", "规划值", "预期值", "计划"];

/// Classify one header cell, or `None` when it is not a header word.
pub(crate) fn classify(cell: &str) -> Option<Kind> {
    let c = remove_spaces(cell);
    let c = c.trim_matches(['|', '｜', ':', '：']);
    if c.is_empty() || char_len(c) > 16 {
        return None;
    }
    match c {
        "类别" | "领域" | "分类" | "类型" | "指标类别" | "维度" | "方面" | "指标分类" => {
            return Some(Kind::Category)
        }
        "序号" | "编号" | "序" => return Some(Kind::Seq),
        "单位" | "计量单位" | "指标单位" => return Some(Kind::Unit),
        "备注" | "说明" | "备注说明" => return Some(Kind::Remark),
        "是否完成" | "完成状态" | "完成评价" | "评价" | "完成程度" => {
            return Some(Kind::Status)
        }
        _ => {}
    }
    if c.contains("属性") || c == "指标性质" || c == "性质" {
        return Some(Kind::Attribute);
    }
    if let Some(m) = YEAR.captures(c) {
        let year: i32 = m[1].parse().ok()?;
        let whole = m.get(0).map(|g| g.as_str()).unwrap_or("");
        let rest = c.replacen(whole, "", 1);
        let rest = rest.trim_matches(['（', '）', '(', ')', '/', '［', '］']);
        // "2021-2025年" is a span, not a column year; "2030年远景" is not a header.
        if c.contains("年均") || c.contains("累计") {
            return Some(Kind::Pace);
        }
        let done = DONE_WORDS.iter().any(|w| rest.contains(w));
        let goal = GOAL_WORDS.iter().any(|w| rest.contains(w));
        let plain = rest.is_empty() || rest == "年" || rest == "值" || rest == "数值";
        if plain || (done || goal) && char_len(rest) <= 6 {
            return Some(Kind::Year { year, done, goal });
        }
        return None;
    }
    if c.contains("年均") || c.contains("累计") || matches!(c, "增速" | "增长" | "年增长")
    {
        return Some(Kind::Pace);
    }
    if matches!(c, "基期值" | "现状值" | "基数" | "基期" | "现状" | "基期年") {
        return Some(Kind::Year {
            year: 0,
            done: true,
            goal: false,
        });
    }
    if matches!(
        c,
        "完成情况" | "实现情况" | "完成值" | "实际完成" | "实际值" | "完成数" | "实际"
    ) {
        return Some(Kind::Done);
    }
    if c.ends_with("目标") || c.ends_with("目标值") || matches!(c, "规划值" | "预期值") {
        return Some(Kind::Goal);
    }
    if c.contains("指标") && char_len(c) <= 8 && !c.contains("值") {
        return Some(Kind::Name);
    }
    None
}

/// Does `frag` continue the header cell `prev` ("2025年" + "基期值")?
pub(crate) fn joins(prev: &str, frag: &str) -> bool {
    is_suffix(prev, frag)
}

/// A fragment that only continues the header cell before it ("完成值" after "2025年",
/// "累计" after "年均/", "（2025年）" after "规划目标").
fn is_suffix(prev: &str, frag: &str) -> bool {
    let p = remove_spaces(prev);
    let f = remove_spaces(frag);
    if f.is_empty() {
        return false;
    }
    let open = p.ends_with(['/', '／', '、', '（', '(', '［', '〔', '[']);
    let suffix = matches!(
        f.as_ref(),
        "完成值"
            | "目标值"
            | "完成情况"
            | "完成"
            | "目标"
            | "实际"
            | "预计"
            | "值"
            | "累计"
            | "基期值"
            | "基期"
            | "现状值"
            | "现状"
            | "预计值"
            | "预计数"
            | "规划值"
            | "实际值"
            | "完成数"
            | "预期值"
            | "〔累计〕"
            | "［累计］"
            | "[累计]"
            | "（累计）"
            | "(累计)"
            | "年均"
    ) || (f.starts_with(['（', '(']) && YEAR.is_match(&f) && char_len(&f) <= 10)
        || (f.starts_with(['〔', '［', '[']) && f.contains("累计"));
    let year_prev = YEAR.is_match(&p) && char_len(&p) <= 6;
    let goal_prev = matches!(classify(&p), Some(Kind::Goal) | Some(Kind::Pace));
    (open && classify(&format!("{p}{f}")).is_some()) || (suffix && (year_prev || goal_prev || open))
}

/// The header: one role per column, and the years of the base and target columns.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    pub roles: Vec<Role>,
    pub base_year: Option<i32>,
    pub target_year: Option<i32>,
}

impl Header {
    /// Does the table review a finished plan (a column of actuals for its target year)?
    pub fn is_review(&self) -> bool {
        self.roles.contains(&Role::Actual)
    }

    /// A header must name the indicator and hold at least one value column.
    fn usable(&self) -> bool {
        self.roles.contains(&Role::Name)
            && self
                .roles
                .iter()
                .any(|r| matches!(r, Role::Base | Role::Target | Role::Pace | Role::Actual))
            && self.roles.len() >= 3
    }
}

/// Turn classified cells into a header (years weighed against each other). `period_end`
/// is the plan's last year when known: a lone year column equal to it is the target, a
/// lone year column before the plan starts is the base.
pub(crate) fn resolve(cells: &[(Kind, String)], period_end: Option<i32>) -> Option<Header> {
    // Fold spanning parents: a yearless goal (“十五五”目标, 规划目标) directly followed by a
    // year or pace column heads those columns and is not a column itself.
    let mut kinds: Vec<(Kind, String, bool)> = Vec::new(); // (kind, label, under a goal parent)
    let mut i = 0;
    while i < cells.len() {
        let (k, label) = &cells[i];
        let next_is_child = cells
            .get(i + 1)
            .is_some_and(|(n, _)| matches!(n, Kind::Year { .. } | Kind::Pace));
        if matches!(k, Kind::Goal) && next_is_child {
            let mut j = i + 1;
            while j < cells.len() && matches!(cells[j].0, Kind::Year { .. } | Kind::Pace) {
                let (ck, cl) = &cells[j];
                kinds.push((ck.clone(), format!("{label}/{cl}"), true));
                j += 1;
            }
            i = j;
            continue;
        }
        kinds.push((k.clone(), label.clone(), false));
        i += 1;
    }
    // The target year: the latest year aimed at (a goal column or a plain year column).
    let target_year = kinds
        .iter()
        .filter_map(|(k, _, under_goal)| match k {
            Kind::Year { year, done, .. } if *year > 0 && (!done || *under_goal) => Some(*year),
            _ => None,
        })
        .max();
    let has_goal_for = |y: i32| {
        kinds.iter().any(|(k, _, g)| match k {
            Kind::Year { year, goal, done } => *year == y && (*goal || *g || !done),
            Kind::Goal => true,
            _ => false,
        })
    };
    let mut roles = Vec::with_capacity(kinds.len());
    let mut years = Vec::with_capacity(kinds.len());
    for (k, _label, under_goal) in &kinds {
        let (role, year) = match k {
            Kind::Category => (Role::Category, None),
            Kind::Seq => (Role::Seq, None),
            Kind::Name => (Role::Name, None),
            Kind::Unit => (Role::Unit, None),
            Kind::Attribute => (Role::Attribute, None),
            Kind::Remark => (Role::Remark, None),
            Kind::Status => (Role::Status, None),
            Kind::Pace => (Role::Pace, None),
            Kind::Goal => (Role::Target, None),
            Kind::Done => (Role::Actual, target_year),
            Kind::Year { year: 0, .. } => (Role::Base, None),
            Kind::Year { year, done, goal } => {
                let y = Some(*year);
                if *done && !*under_goal {
                    // Achieved in an earlier year than the target: the base. Achieved in the
                    // year some column aims at: the actual of a review.
                    match target_year {
                        Some(t) if *year < t => (Role::Base, y),
                        _ if has_goal_for(*year) => (Role::Actual, y),
                        _ => (Role::Base, y),
                    }
                } else if *goal || *under_goal || Some(*year) == target_year {
                    match target_year {
                        Some(t) if *year < t && !*goal && !*under_goal => (Role::Base, y),
                        _ => (Role::Target, y),
                    }
                } else {
                    (Role::Base, y)
                }
            }
        };
        roles.push(role);
        years.push(year);
    }
    // A lone year column: the target when it is the plan's end year (or later), the base
    // when it precedes it; with no period known, the target.
    let year_cols: Vec<usize> = (0..kinds.len())
        .filter(|&c| matches!(kinds[c].0, Kind::Year { year, .. } if year > 0))
        .collect();
    if year_cols.len() == 1 && !roles.contains(&Role::Actual) {
        let c = year_cols[0];
        if let (Some(y), Some(end)) = (years[c], period_end) {
            roles[c] = if y < end - 4 && !matches!(kinds[c].0, Kind::Year { goal: true, .. }) {
                Role::Base
            } else {
                Role::Target
            };
        }
    }
    // Two columns cannot both be the target: the second of equal roles is "other".
    let mut seen_target = false;
    let mut seen_base = false;
    for r in roles.iter_mut() {
        match *r {
            Role::Target if seen_target => *r = Role::Other,
            Role::Target => seen_target = true,
            Role::Base if seen_base => *r = Role::Other,
            Role::Base => seen_base = true,
            _ => {}
        }
    }
    let col_year = |role: Role| roles.iter().position(|r| *r == role).and_then(|c| years[c]);
    let h = Header {
        base_year: col_year(Role::Base),
        target_year: col_year(Role::Target).or(target_year),
        roles,
    };
    h.usable().then_some(h)
}

/// Read a header from the start of a sequence of cells that may be wrapped fragments.
/// Returns the header and the number of cells it used.
pub(crate) fn read<S: AsRef<str>>(cells: &[S], period_end: Option<i32>) -> Option<(Header, usize)> {
    let mut out: Vec<(Kind, String)> = Vec::new();
    let mut used = 0;
    for c in cells {
        let t = c.as_ref().trim();
        if t.is_empty() {
            // An empty cell inside a header is a column with no name (rare); stop.
            break;
        }
        if let Some((_, prev)) = out.last() {
            if is_suffix(prev, t) {
                let joined = format!("{prev}{}", remove_spaces(t));
                if let Some(k) = classify(&joined) {
                    let last = out.len() - 1;
                    out[last] = (k, joined);
                    used += 1;
                    continue;
                }
            }
        }
        match classify(t) {
            Some(k) => {
                out.push((k, remove_spaces(t).into_owned()));
                used += 1;
            }
            None => break,
        }
    }
    if out.len() < 3 {
        return None;
    }
    resolve(&out, period_end).map(|h| (h, used))
}

/// Header words printed with their characters spread apart ("指  标", "属  性"): two
/// one-character cells that make a header word together are one cell.
pub(crate) fn merge_spaced(cells: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(cells.len());
    for c in cells {
        if let Some(last) = out.last_mut() {
            let single = |t: &str| t.chars().count() == 1 && t.chars().all(crate::text::is_han);
            if single(last) && single(&c) && classify(last).is_none() {
                let joined = format!("{last}{c}");
                if classify(&joined).is_some() {
                    *last = joined;
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// Merge a two-row grid header (the second row names the sub-columns of spanning cells of
/// the first; empty where the first row's cell spans both rows). Both rows have one entry
/// per grid column.
pub(crate) fn merge_rows(top: &[String], sub: &[String]) -> Vec<String> {
    top.iter()
        .zip(sub.iter().chain(std::iter::repeat(&String::new())))
        .map(|(t, s)| {
            let s = s.trim();
            let t = t.trim();
            if s.is_empty() || s == t {
                t.to_string()
            } else if t.is_empty() {
                s.to_string()
            } else if let Some(ks) =
                classify(s).filter(|k| matches!(k, Kind::Year { .. } | Kind::Pace))
            {
                // "“十五五”目标" over "2030年": the child says what the column is, and a plain
                // year under a goal is a goal.
                match (classify(t), ks) {
                    (
                        Some(Kind::Goal),
                        Kind::Year {
                            done: false,
                            goal: false,
                            ..
                        },
                    ) => format!("{s}目标"),
                    _ => s.to_string(),
                }
            } else {
                format!("{t}{s}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(cells: &[&str], end: Option<i32>) -> Vec<Role> {
        read(cells, end).expect("header").0.roles
    }

    #[test]
    fn classic_header() {
        let (h, n) = read(
            &[
                "类别",
                "序号",
                "指标",
                "2020年",
                "2025年",
                "年均/累计",
                "属性",
                "1",
            ],
            None,
        )
        .expect("header");
        assert_eq!(n, 7);
        assert_eq!((h.base_year, h.target_year), (Some(2020), Some(2025)));
        assert_eq!(h.roles[5], Role::Pace);
    }

    #[test]
    fn wrapped_and_spanning_cells() {
        use Role::*;
        // "2025年" / "完成值", "2030年" / "目标值": base and target.
        assert_eq!(
            roles(
                &[
                    "类别",
                    "指标",
                    "单位",
                    "2025年",
                    "完成值",
                    "2030年",
                    "目标值",
                    "属性",
                    "经济发展"
                ],
                None
            ),
            [Category, Name, Unit, Base, Target, Attribute]
        );
        // A spanning “十五五”目标 over 2030年 and 年均［累计］.
        let (h, n) = read(
            &[
                "序号",
                "指标",
                "单位",
                "属性",
                "“十五五”目标",
                "2030年",
                "年均［累计］",
                "1",
            ],
            None,
        )
        .expect("header");
        assert_eq!(n, 7);
        assert_eq!(h.roles, [Seq, Name, Unit, Attribute, Target, Pace]);
        assert_eq!(h.target_year, Some(2030));
        // "年均/" + "累计".
        assert_eq!(
            roles(&["指标", "2020年", "2025年", "年均/", "累计", "属性"], None),
            [Name, Base, Target, Pace, Attribute]
        );
    }

    #[test]
    fn review_tables() {
        use Role::*;
        let top: Vec<String> = [
            "序号",
            "指标",
            "属性",
            "规划目标",
            "规划目标",
            "2025年完成情况",
        ]
        .map(String::from)
        .to_vec();
        let sub: Vec<String> = ["", "", "", "规划目标（2025年）", "年均增速〔累计〕", ""]
            .map(String::from)
            .to_vec();
        let merged = merge_rows(&top, &sub);
        let h = read(&merged, Some(2030)).expect("header").0;
        assert_eq!(h.roles, [Seq, Name, Attribute, Target, Pace, Actual]);
        assert!(h.is_review());
        assert_eq!(h.target_year, Some(2025));
        // A lone 2030年 column in a 2026–2030 plan is the target; 2025年 alone the base.
        assert_eq!(
            roles(&["序号", "指标", "2030年", "属性"], Some(2030))[2],
            Target
        );
        assert_eq!(
            roles(&["序号", "指标", "2025年", "属性"], Some(2030))[2],
            Base
        );
        assert_eq!(
            roles(&["序号", "指标", "2020年", "属性"], Some(2030))[2],
            Base
        );
    }

    #[test]
    fn not_headers() {
        assert!(read(&["经济发展", "指标", "单位"], None).is_none());
        assert!(read(&["板块", "主导产业", "重点方向"], None).is_none());
        assert!(classify("2030年远景目标纲要的主要内容").is_none());
    }
}
