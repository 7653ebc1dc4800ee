//! The format-neutral form of a report: a list of blocks that every writer (Markdown,
//! HTML, Word, Excel) walks in order.
//!
//! Building the content once and writing it four times is what keeps the formats in
//! step: a section, a row or a sentence added here appears in all of them.

use guihua_eval::Status;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    Title(String),
    /// A line under the title (plan name, date).
    Subtitle(String),
    /// A section heading (一、总体评价).
    Heading(String),
    /// A sub-heading inside a section ((一) 指标名).
    SubHeading(String),
    Para(String),
    Bullet(String),
    Table(Table),
    Chart(Chart),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    /// Name of the worksheet holding the table in Excel output.
    pub sheet: String,
    pub headers: Vec<String>,
    /// Relative column widths (used by docx, xlsx and html).
    pub widths: Vec<u32>,
    pub rows: Vec<Row>,
    /// The column coloured by the row's status.
    pub status_col: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub cells: Vec<String>,
    pub status: Option<Status>,
}

/// One chart: actual against expected.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Chart {
    pub title: String,
    pub unit: String,
    pub actual: Vec<(i32, f64)>,
    pub expected: Vec<(i32, f64)>,
    pub status: Status,
    /// The target (year, value), drawn as a marker.
    pub target: Option<(i32, f64)>,
    /// Legend labels: actual, expected, target.
    pub legend: (String, String, String),
    /// Draw bars instead of lines (comparison across plans); x positions are indices.
    pub bars: Option<Vec<Bar>>,
}

/// One category of a bar chart.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bar {
    pub label: String,
    pub base: Option<f64>,
    pub target: Option<f64>,
    pub actual: Option<f64>,
    pub status: Status,
}

/// Colours per status: (strong colour for lines and text, light fill for cells), as RGB hex.
pub(crate) fn status_colors(s: Status) -> (&'static str, &'static str) {
    match s {
        Status::Achieved | Status::Ahead => ("1E7B34", "D4EDDA"),
        Status::OnTrack => ("1F5FBF", "CFE2FF"),
        Status::Lagging => ("D96C00", "FFE5B4"),
        Status::SeverelyLagging => ("C82333", "F8D7DA"),
        Status::NotAssessable => ("6C757D", "E9ECEF"),
    }
}

/// A small marker used where no colour is possible (Markdown).
pub(crate) fn status_marker(s: Status) -> &'static str {
    match s {
        Status::Achieved | Status::Ahead => "🟢",
        Status::OnTrack => "🔵",
        Status::Lagging => "🟠",
        Status::SeverelyLagging => "🔴",
        Status::NotAssessable => "⚪",
    }
}

pub(crate) fn rgb(hex: &str) -> (u8, u8, u8) {
    let v = u32::from_str_radix(hex, 16).unwrap_or(0);
    ((v >> 16) as u8, (v >> 8) as u8, v as u8)
}

/// A number as a report prints it: at most two decimals, no trailing zeros.
pub(crate) fn num(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let s = if v.abs() >= 1000.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

pub(crate) fn opt_num(v: Option<f64>) -> String {
    v.map(num).unwrap_or_else(|| "—".into())
}
