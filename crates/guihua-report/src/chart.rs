//! Charts: actual against the expected path, drawn once and written as SVG or PNG.
//!
//! Why hand-written SVG: a line chart with two series, axes, ticks and a legend is a few
//! dozen elements. Writing them as strings keeps the HTML and Markdown reports
//! self-contained (inline `<svg>`, no scripts, no fonts to embed — the viewer's own CJK
//! fonts render the labels) and costs no dependency.
//!
//! Why `plotters` for PNG: Word cannot show SVG reliably (WPS and older Word need a raster
//! image), so the docx embeds PNGs. Plotters' bitmap backend rasterises into a plain RGB
//! buffer (encoded with the `png` crate, so no `image` dependency) and draws text through
//! `ab_glyph` with a font file found at run time in the usual system places (Noto CJK,
//! WenQuanYi, Droid fallback, then DejaVu). No font file is shipped. Any label the font
//! cannot show (no font at all, or Chinese with a Latin-only font) is left out; the chart
//! keeps its axes, lines and legend colours, and the caption in the document carries the
//! words.
//!
//! Both writers implement the small [`Canvas`] trait and the layout is computed by
//! [`draw`], so the SVG and PNG of one chart are the same picture.
//!
//! The y axis ([`y_axis`]) is chosen so that the height of a change means something. An
//! axis fitted tightly to the data draws 78.20, 78.21, 78.22 from the bottom of the plot
//! to the top, and a reader of a hand-in report sees a surge where the statistics show
//! rounding noise. So the axis
//!
//! 1. covers every value drawn: the actual series, the expected path and the target;
//! 2. spans at least a floor set by the size of the numbers — 5% of the largest absolute
//!    value, and for a unit in percent (%, 百分点) at least 2 points, since shares and
//!    rates are read on a 0–100 scale where a tenth of a point is small. A narrower range
//!    is widened around the middle of the data, never below zero for data that are not
//!    negative (nor above zero for data that are not positive);
//! 3. starts at zero when the data are not negative and the gap from zero to the smallest
//!    value is at most 30% of the top (ends at zero for data that are not positive,
//!    likewise): lengths measured from zero are what a reader compares, and the cost is
//!    small — the data keep at least 70% of the height. Further from zero the axis is cut,
//!    or a level of 4,600 moving by 300 would be a flat line;
//! 4. keeps a 4% margin so no point lies on the frame (none below a zero baseline), and
//!    is rounded out to a "nice" tick step of about five intervals.
//!
//! Bars always start at zero (a bar's length is its value): zero is one of their values.

use std::sync::OnceLock;

use ab_glyph::Font;

use crate::ir::{num, rgb, status_colors, Chart};

/// Logical size of a chart, in SVG pixels.
pub(crate) const W: f64 = 640.0;
pub(crate) const H: f64 = 300.0;
/// PNG pixels per SVG pixel.
const PNG_SCALE: f64 = 2.0;

const ML: f64 = 64.0;
const MR: f64 = 24.0;
const MT: f64 = 40.0;
const MB: f64 = 44.0;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

pub(crate) trait Canvas {
    fn polyline(&mut self, pts: &[(f64, f64)], color: &str, width: f64, dashed: bool);
    fn circle(&mut self, c: (f64, f64), r: f64, color: &str);
    fn rect(&mut self, a: (f64, f64), b: (f64, f64), fill: &str);
    fn polygon(&mut self, pts: &[(f64, f64)], fill: &str);
    fn text(&mut self, at: (f64, f64), s: &str, size: f64, color: &str, anchor: Anchor);
}

/// A "nice" tick step for a range split in about `n` parts.
fn nice_step(range: f64, n: f64) -> f64 {
    let raw = (range / n).max(1e-9);
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

/// Smallest span of an axis, as a share of the largest absolute value drawn.
const MIN_SPAN_SHARE: f64 = 0.05;
/// Smallest span, in points, of an axis whose unit is a percentage.
const MIN_SPAN_PERCENT: f64 = 2.0;
/// The axis starts at zero when the smallest value is at most this share of the top.
const ZERO_BASELINE_SHARE: f64 = 0.3;
/// Room between the data and the frame, as a share of the span.
const FRAME_MARGIN: f64 = 0.04;

/// A y axis: bottom, top and tick step (`lo` and `hi` are multiples of `step`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Axis {
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
}

/// The floor on an axis' span from its unit: 2 points for a percentage.
fn unit_min_span(unit: &str) -> f64 {
    let u = unit.trim();
    if u.starts_with(['%', '％']) || u.contains("百分点") || u.contains("percentage point") {
        MIN_SPAN_PERCENT
    } else {
        0.0
    }
}

/// The y axis for `values` (every value drawn, target included) in `unit`; the rule and
/// why are in the module documentation. Non-finite values are ignored.
pub(crate) fn y_axis(values: impl IntoIterator<Item = f64>, unit: &str) -> Axis {
    let (dmin, dmax) = values
        .into_iter()
        .filter(|x| x.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
            (a.min(x), b.max(x))
        });
    let (dmin, dmax) = if dmin.is_finite() {
        (dmin, dmax)
    } else {
        (0.0, 1.0)
    };
    // All zeros count as not negative (an axis from zero up).
    let nonneg = dmin >= 0.0;
    let nonpos = !nonneg && dmax <= 0.0;
    let (mut lo, mut hi) = (dmin, dmax);
    let floor = (MIN_SPAN_SHARE * dmin.abs().max(dmax.abs())).max(unit_min_span(unit));
    let floor = if floor > 0.0 { floor } else { 1.0 };
    if hi - lo < floor {
        let mid = (lo + hi) / 2.0;
        lo = mid - floor / 2.0;
        hi = mid + floor / 2.0;
        // Widening must not give the axis a sign the data do not have.
        if nonneg && lo < 0.0 {
            (lo, hi) = (0.0, floor);
        } else if nonpos && hi > 0.0 {
            (lo, hi) = (-floor, 0.0);
        }
    }
    if nonneg && lo <= ZERO_BASELINE_SHARE * hi {
        lo = 0.0;
    } else if nonpos && hi >= ZERO_BASELINE_SHARE * lo {
        hi = 0.0;
    }
    let margin = (hi - lo) * FRAME_MARGIN;
    if lo != 0.0 {
        lo -= margin;
        if nonneg {
            lo = lo.max(0.0);
        }
    }
    if hi != 0.0 {
        hi += margin;
        if nonpos {
            hi = hi.min(0.0);
        }
    }
    let step = nice_step(hi - lo, 5.0);
    Axis {
        lo: (lo / step).floor() * step,
        hi: (hi / step).ceil() * step,
        step,
    }
}

const GRID: &str = "DDDDDD";
const AXIS: &str = "555555";
const EXPECTED: &str = "7A8799";
const TARGET: &str = "6F42C1";

/// The target marker: a filled diamond.
fn diamond(c: &mut dyn Canvas, (x, y): (f64, f64), r: f64, color: &str) {
    c.polygon(&[(x, y - r), (x + r, y), (x, y + r), (x - r, y)], color);
}

fn legend(c: &mut dyn Canvas, items: &[(&str, &str, bool)]) {
    let mut x = ML;
    for (label, color, dashed) in items {
        c.polyline(&[(x, 18.0), (x + 26.0, 18.0)], color, 2.5, *dashed);
        c.text((x + 32.0, 22.0), label, 12.0, "333333", Anchor::Start);
        x += 44.0 + 12.0 * label.chars().count() as f64;
    }
}

fn frame(c: &mut dyn Canvas, lo: f64, hi: f64, step: f64, unit: &str) -> impl Fn(f64) -> f64 {
    let py = move |v: f64| MT + (H - MT - MB) * (1.0 - (v - lo) / (hi - lo));
    let mut v = lo;
    while v <= hi + step * 1e-6 {
        let y = py(v);
        c.polyline(&[(ML, y), (W - MR, y)], GRID, 1.0, false);
        c.text((ML - 6.0, y + 4.0), &num(v), 11.0, AXIS, Anchor::End);
        v += step;
    }
    c.polyline(
        &[(ML, MT), (ML, H - MB), (W - MR, H - MB)],
        AXIS,
        1.2,
        false,
    );
    if !unit.is_empty() {
        c.text((ML - 6.0, MT - 10.0), unit, 11.0, AXIS, Anchor::End);
    }
    py
}

/// Draw a chart (lines, or bars when `chart.bars` is set).
pub(crate) fn draw(chart: &Chart, c: &mut dyn Canvas) {
    c.rect((0.0, 0.0), (W, H), "FFFFFF");
    if let Some(bars) = &chart.bars {
        draw_bars(chart, bars, c);
        return;
    }
    let color = status_colors(chart.status).0;
    let years = chart
        .actual
        .iter()
        .chain(&chart.expected)
        .chain(&chart.target)
        .map(|p| p.0);
    let (mut y0, mut y1) = years.fold((i32::MAX, i32::MIN), |(a, b), y| (a.min(y), b.max(y)));
    if y0 > y1 {
        return;
    }
    if y0 == y1 {
        y0 -= 1;
        y1 += 1;
    }
    let Axis { lo, hi, step } = y_axis(
        chart
            .actual
            .iter()
            .chain(&chart.expected)
            .chain(&chart.target)
            .map(|p| p.1),
        &chart.unit,
    );
    let py = frame(c, lo, hi, step, &chart.unit);
    // A little room inside the axes so that end points and their labels stay clear.
    const PAD: f64 = 16.0;
    let px = |y: f64| ML + PAD + (W - ML - MR - 2.0 * PAD) * (y - y0 as f64) / (y1 - y0) as f64;
    let every = ((y1 - y0) as usize / 10).max(1);
    for (i, y) in (y0..=y1).enumerate() {
        let x = px(y as f64);
        c.polyline(&[(x, H - MB), (x, H - MB + 5.0)], AXIS, 1.0, false);
        if i % every == 0 {
            c.text(
                (x, H - MB + 20.0),
                &y.to_string(),
                11.0,
                AXIS,
                Anchor::Middle,
            );
        }
    }
    let pts = |s: &[(i32, f64)]| -> Vec<(f64, f64)> {
        s.iter()
            .filter(|p| p.1.is_finite())
            .map(|p| (px(p.0 as f64), py(p.1)))
            .collect()
    };
    let e = pts(&chart.expected);
    if e.len() > 1 {
        c.polyline(&e, EXPECTED, 2.0, true);
    }
    for p in &e {
        c.circle(*p, 2.5, EXPECTED);
    }
    let a = pts(&chart.actual);
    if a.len() > 1 {
        c.polyline(&a, color, 2.5, false);
    }
    for (p, v) in a
        .iter()
        .zip(chart.actual.iter().filter(|p| p.1.is_finite()))
    {
        c.circle(*p, 4.0, color);
        c.text((p.0, p.1 - 8.0), &num(v.1), 11.0, color, Anchor::Middle);
    }
    if let Some((ty, tv)) = chart.target.filter(|t| t.1.is_finite()) {
        diamond(c, (px(ty as f64), py(tv)), 7.0, TARGET);
        c.text(
            (px(ty as f64) - 4.0, py(tv) - 10.0),
            &num(tv),
            11.0,
            TARGET,
            Anchor::End,
        );
    }
    let mut items = vec![(chart.legend.0.as_str(), color, false)];
    if !e.is_empty() {
        items.push((chart.legend.1.as_str(), EXPECTED, true));
    }
    legend(c, &items);
    if chart.target.is_some() {
        let x = W - MR - 20.0 - 12.0 * chart.legend.2.chars().count() as f64;
        diamond(c, (x, 18.0), 6.0, TARGET);
        c.text(
            (x + 12.0, 22.0),
            &chart.legend.2,
            12.0,
            "333333",
            Anchor::Start,
        );
    }
}

fn draw_bars(chart: &Chart, bars: &[crate::ir::Bar], c: &mut dyn Canvas) {
    if bars.is_empty() {
        return;
    }
    let vals = bars
        .iter()
        .flat_map(|b| [b.base, b.target, b.actual])
        .flatten()
        .chain([0.0]);
    let Axis { lo, hi, step } = y_axis(vals, &chart.unit);
    let py = frame(c, lo, hi, step, &chart.unit);
    let slot = (W - ML - MR) / bars.len() as f64;
    let bw = (slot * 0.8 / 3.0).min(40.0);
    for (i, b) in bars.iter().enumerate() {
        let cx = ML + slot * (i as f64 + 0.5);
        let series = [
            (b.base, "B8C2CC"),
            (b.target, EXPECTED),
            (b.actual, status_colors(b.status).0),
        ];
        for (k, (v, col)) in series.iter().enumerate() {
            if let Some(v) = v {
                let x = cx + (k as f64 - 1.5) * bw;
                let (ya, yb) = (py(*v), py(0.0f64.clamp(lo, hi)));
                c.rect((x, ya.min(yb)), (x + bw, ya.max(yb)), col);
                c.text(
                    (x + bw / 2.0, ya.min(yb) - 4.0),
                    &num(*v),
                    10.0,
                    "333333",
                    Anchor::Middle,
                );
            }
        }
        let label: String = b.label.chars().take(8).collect();
        c.text((cx, H - MB + 20.0), &label, 11.0, AXIS, Anchor::Middle);
    }
    let names: Vec<&str> = chart.legend.1.split('|').collect();
    let items: Vec<(&str, &str, bool)> = names
        .iter()
        .zip(["B8C2CC", EXPECTED, "343A40"])
        .map(|(n, c)| (*n, c, false))
        .collect();
    legend(c, &items);
}

/// Text for the SVG's text content and (double-quoted) attributes. The SVG also goes into
/// Markdown, where it is inline HTML: a renderer parses the text between its tags as
/// Markdown, so the characters of Markdown's inline syntax (links, emphasis, code) are
/// written as character references too — they show the same in HTML and SVG, and a
/// Markdown renderer takes a reference for a literal character.
fn esc(s: &str) -> String {
    crate::html::escape(s, true)
}

struct Svg(String);

impl Canvas for Svg {
    fn polyline(&mut self, pts: &[(f64, f64)], color: &str, width: f64, dashed: bool) {
        let p: Vec<String> = pts.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        self.0.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#{color}\" stroke-width=\"{width}\"{}/>",
            p.join(" "),
            if dashed { " stroke-dasharray=\"6 4\"" } else { "" }
        ));
    }
    fn circle(&mut self, (x, y): (f64, f64), r: f64, color: &str) {
        self.0.push_str(&format!(
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r}\" fill=\"#{color}\"/>"
        ));
    }
    fn rect(&mut self, (x0, y0): (f64, f64), (x1, y1): (f64, f64), fill: &str) {
        self.0.push_str(&format!(
            "<rect x=\"{x0:.1}\" y=\"{y0:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#{fill}\"/>",
            x1 - x0,
            y1 - y0
        ));
    }
    fn polygon(&mut self, pts: &[(f64, f64)], fill: &str) {
        let p: Vec<String> = pts.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        self.0.push_str(&format!(
            "<polygon points=\"{}\" fill=\"#{fill}\"/>",
            p.join(" ")
        ));
    }
    fn text(&mut self, (x, y): (f64, f64), s: &str, size: f64, color: &str, anchor: Anchor) {
        let a = match anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        };
        self.0.push_str(&format!(
            "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{size}\" fill=\"#{color}\" text-anchor=\"{a}\">{}</text>",
            esc(s)
        ));
    }
}

/// The chart as an inline `<svg>` element.
pub(crate) fn svg(chart: &Chart) -> String {
    let mut s = Svg(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" role=\"img\" aria-label=\"{}\" font-family=\"'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif\">",
        esc(&chart.title)
    ));
    draw(chart, &mut s);
    s.0.push_str("</svg>");
    s.0
}

/// Font used for PNG labels: the file named by `GUIHUA_REPORT_FONT` (`none`: no labels),
/// else the first of the usual system fonts. Loaded once and kept for the life of the process (plotters
/// wants `'static` font data).
fn font() -> Option<&'static ab_glyph::FontRef<'static>> {
    static FONT: OnceLock<Option<ab_glyph::FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| {
        let bytes: &'static [u8] = Box::leak(find_font()?.into_boxed_slice());
        let f = ab_glyph::FontRef::try_from_slice(bytes).ok()?;
        plotters::style::register_font("guihua-sans", plotters::style::FontStyle::Normal, bytes)
            .ok()?;
        Some(f)
    })
    .as_ref()
}

fn find_font() -> Option<Vec<u8>> {
    if let Ok(p) = std::env::var("GUIHUA_REPORT_FONT") {
        if p == "none" {
            // Charts without labels (what a machine without fonts gets).
            return None;
        }
        if let Ok(b) = std::fs::read(p) {
            return Some(b);
        }
    }
    const PREFER: [&str; 8] = [
        "NotoSansCJKsc-Regular",
        "NotoSansCJK-Regular",
        "NotoSansSC-Regular",
        "SourceHanSans",
        "wqy-microhei",
        "wqy-zenhei",
        "DroidSansFallbackFull",
        "DejaVuSans.ttf",
    ];
    let mut files = Vec::new();
    for root in [
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        "/System/Library/Fonts",
        "C:\\Windows\\Fonts",
    ] {
        collect_fonts(std::path::Path::new(root), 0, &mut files);
    }
    for want in PREFER {
        if let Some(p) = files.iter().find(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with(want.trim_end_matches(".ttf")) && !n.contains("Bold")
            })
        }) {
            if let Ok(b) = std::fs::read(p) {
                return Some(b);
            }
        }
    }
    None
}

fn collect_fonts(dir: &std::path::Path, depth: u32, out: &mut Vec<std::path::PathBuf>) {
    if depth > 4 || out.len() > 5000 {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_fonts(&p, depth + 1, out);
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| matches!(x.to_ascii_lowercase().as_str(), "ttf" | "ttc" | "otf"))
        {
            out.push(p);
        }
    }
}

/// Whether the PNG writer can draw `s` (a font exists and has every glyph).
fn can_draw(s: &str) -> bool {
    font().is_some_and(|f| s.chars().all(|c| c.is_whitespace() || f.glyph_id(c).0 != 0))
}

struct Png<'a, 'b> {
    area: plotters::drawing::DrawingArea<
        plotters::prelude::BitMapBackend<'a>,
        plotters::coord::Shift,
    >,
    _b: std::marker::PhantomData<&'b ()>,
}

fn color(hex: &str) -> plotters::style::RGBColor {
    let (r, g, b) = rgb(hex);
    plotters::style::RGBColor(r, g, b)
}

fn sc(p: (f64, f64)) -> (i32, i32) {
    (
        (p.0 * PNG_SCALE).round() as i32,
        (p.1 * PNG_SCALE).round() as i32,
    )
}

impl Canvas for Png<'_, '_> {
    fn polyline(&mut self, pts: &[(f64, f64)], hex: &str, width: f64, dashed: bool) {
        use plotters::prelude::*;
        let style = color(hex).stroke_width((width * PNG_SCALE).round() as u32);
        if !dashed {
            let _ = self.area.draw(&PathElement::new(
                pts.iter().map(|p| sc(*p)).collect::<Vec<_>>(),
                style,
            ));
            return;
        }
        // Dashes: 6 on, 4 off along the path.
        for w in pts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
            let mut t = 0.0;
            while t < len {
                let t1 = (t + 6.0).min(len);
                let at = |t: f64| (a.0 + (b.0 - a.0) * t / len, a.1 + (b.1 - a.1) * t / len);
                let _ = self
                    .area
                    .draw(&PathElement::new(vec![sc(at(t)), sc(at(t1))], style));
                t += 10.0;
            }
        }
    }
    fn circle(&mut self, c: (f64, f64), r: f64, hex: &str) {
        use plotters::prelude::*;
        let _ = self.area.draw(&Circle::new(
            sc(c),
            (r * PNG_SCALE).round() as i32,
            color(hex).filled(),
        ));
    }
    fn rect(&mut self, a: (f64, f64), b: (f64, f64), hex: &str) {
        use plotters::prelude::*;
        let _ = self
            .area
            .draw(&Rectangle::new([sc(a), sc(b)], color(hex).filled()));
    }
    fn polygon(&mut self, pts: &[(f64, f64)], hex: &str) {
        use plotters::prelude::*;
        let _ = self.area.draw(&Polygon::new(
            pts.iter().map(|p| sc(*p)).collect::<Vec<_>>(),
            color(hex).filled(),
        ));
    }
    fn text(&mut self, at: (f64, f64), s: &str, size: f64, hex: &str, anchor: Anchor) {
        use plotters::prelude::*;
        use plotters::style::text_anchor::{HPos, Pos, VPos};
        if !can_draw(s) {
            return;
        }
        let h = match anchor {
            Anchor::Start => HPos::Left,
            Anchor::Middle => HPos::Center,
            Anchor::End => HPos::Right,
        };
        let style = ("guihua-sans", size * PNG_SCALE * 1.1)
            .into_font()
            .color(&color(hex))
            .pos(Pos::new(h, VPos::Bottom));
        let _ = self.area.draw(&Text::new(s.to_string(), sc(at), style));
    }
}

/// The chart as PNG bytes, with its pixel size.
pub(crate) fn png(chart: &Chart) -> Result<(Vec<u8>, u32, u32), String> {
    use plotters::prelude::*;
    let (w, h) = ((W * PNG_SCALE) as u32, (H * PNG_SCALE) as u32);
    let mut buf = vec![255u8; (w * h * 3) as usize];
    {
        let backend = BitMapBackend::with_buffer(&mut buf, (w, h));
        let area = backend.into_drawing_area();
        let mut c = Png {
            area,
            _b: std::marker::PhantomData,
        };
        draw(chart, &mut c);
        c.area.present().map_err(|e| e.to_string())?;
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc.write_header().map_err(|e| e.to_string())?;
        wr.write_image_data(&buf).map_err(|e| e.to_string())?;
    }
    Ok((out, w, h))
}

/// Whether PNG charts will carry text labels on this machine (a font was found).
pub fn png_has_font() -> bool {
    font().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use guihua_eval::Status;

    /// Where the actual series' points (the r = 4 circles) and the y tick labels (text
    /// right-aligned left of the plot) are drawn.
    #[derive(Default)]
    struct Record {
        points: Vec<(f64, f64)>,
        ticks: Vec<String>,
    }

    impl Canvas for Record {
        fn polyline(&mut self, _: &[(f64, f64)], _: &str, _: f64, _: bool) {}
        fn circle(&mut self, c: (f64, f64), r: f64, _: &str) {
            if r == 4.0 {
                self.points.push(c);
            }
        }
        fn rect(&mut self, _: (f64, f64), _: (f64, f64), _: &str) {}
        fn polygon(&mut self, _: &[(f64, f64)], _: &str) {}
        fn text(&mut self, at: (f64, f64), s: &str, _: f64, _: &str, anchor: Anchor) {
            if anchor == Anchor::End && at.0 == ML - 6.0 && at.1 > MT - 1.0 {
                self.ticks.push(s.to_string());
            }
        }
    }

    fn line(actual: &[f64], unit: &str) -> Chart {
        Chart {
            title: String::new(),
            unit: unit.into(),
            actual: actual
                .iter()
                .enumerate()
                .map(|(i, v)| (2021 + i as i32, *v))
                .collect(),
            expected: Vec::new(),
            status: Status::OnTrack,
            target: None,
            legend: ("实际".into(), "预期".into(), "目标".into()),
            bars: None,
        }
    }

    fn record(chart: &Chart) -> Record {
        let mut r = Record::default();
        draw(chart, &mut r);
        r
    }

    /// The share of the plot height between the lowest and the highest actual point.
    fn drawn_span(chart: &Chart) -> f64 {
        let ys: Vec<f64> = record(chart).points.iter().map(|c| c.1).collect();
        let (lo, hi) = ys
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| {
                (a.min(*y), b.max(*y))
            });
        (hi - lo) / (H - MT - MB)
    }

    /// The share of the axis that `values` span, after checking that the axis covers
    /// them and is well formed.
    fn share(values: &[f64], unit: &str) -> (Axis, f64) {
        let a = y_axis(values.iter().copied(), unit);
        let (min, max) = values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                (a.min(*x), b.max(*x))
            });
        assert!(a.lo <= min && max <= a.hi, "{values:?}: {a:?}");
        assert!(a.step > 0.0 && a.lo < a.hi, "{a:?}");
        let intervals = ((a.hi - a.lo) / a.step).round();
        assert!((3.0..=12.0).contains(&intervals), "{values:?}: {a:?}");
        (a, (max - min) / (a.hi - a.lo))
    }

    #[test]
    fn tiny_differences_are_drawn_small() {
        for unit in ["", "%", "亿元"] {
            let (a, s) = share(&[78.20, 78.21, 78.22], unit);
            assert!(s <= 0.10, "{unit:?}: {a:?} spans {s}");
            assert!(a.lo > 0.0, "far from zero, the axis is cut: {a:?}");
            let drawn = drawn_span(&line(&[78.20, 78.21, 78.22], unit));
            eprintln!(
                "78.20/78.21/78.22 ({unit:?}): axis {}–{}, drawn over {:.1}% of the plot height",
                a.lo,
                a.hi,
                drawn * 100.0
            );
            assert!(drawn <= 0.10, "{drawn}");
        }
        // A percentage gets at least 2 points of axis even when 5% of it is less.
        let (a, _) = share(&[5.0, 5.1, 5.2], "%");
        assert!(a.hi - a.lo >= MIN_SPAN_PERCENT, "{a:?}");
        // A single value is not the whole height either.
        let (a, _) = share(&[78.2], "");
        assert!(a.hi - a.lo >= 0.05 * 78.2, "{a:?}");
    }

    #[test]
    fn tick_labels_are_distinct() {
        // An axis with steps finer than the labels' two decimals repeats labels.
        let ticks = record(&line(&[78.20, 78.21, 78.22], "%")).ticks;
        assert!(ticks.len() >= 3, "{ticks:?}");
        let mut unique = ticks.clone();
        unique.dedup();
        assert_eq!(unique, ticks);
    }

    #[test]
    fn zero_baseline_when_near() {
        for values in [[0.5, 6.0, 12.0], [3.0, 7.0, 12.0], [0.0, 0.0, 0.0]] {
            let (a, _) = share(&values, "");
            assert_eq!(a.lo, 0.0, "{values:?}: {a:?}");
        }
        // Negative data end at zero the same way.
        let (a, _) = share(&[-12.0, -6.0, -0.5], "");
        assert_eq!(a.hi, 0.0, "{a:?}");
        // Away from zero the axis is cut, so the change stays visible.
        for values in [[50.0, 55.0, 60.0], [4600.0, 4750.0, 4900.0]] {
            let (a, s) = share(&values, "");
            assert!(a.lo > 0.0 && s >= 0.5, "{values:?}: {a:?} spans {s}");
        }
        // Widening near zero never gives positive data a negative axis.
        let (a, _) = share(&[0.01, 0.02], "%");
        assert_eq!(a.lo, 0.0, "{a:?}");
        // Mixed signs: both covered.
        share(&[-3.0, 1.0, 5.0], "");
    }

    #[test]
    fn the_target_is_on_the_axis() {
        let mut c = line(&[78.20, 78.21, 78.22], "%");
        c.target = Some((2025, 90.0));
        c.expected = vec![(2020, 78.0), (2025, 90.0)];
        let (a, _) = share(&[78.20, 78.21, 78.22, 78.0, 90.0], "%");
        assert!(a.hi >= 90.0);
        let r = record(&c);
        assert!(r.points.iter().all(|p| (MT..=H - MB).contains(&p.1)));
    }

    #[test]
    fn nothing_to_draw_still_has_an_axis() {
        let a = y_axis([f64::NAN, f64::INFINITY], "");
        assert!(a.lo < a.hi && a.step > 0.0, "{a:?}");
        let a = y_axis([], "%");
        assert!(a.lo < a.hi && a.step > 0.0, "{a:?}");
    }

    #[test]
    fn bars_start_at_zero() {
        let a = y_axis([15.69, 16.2, 16.0, 0.0], "%");
        assert_eq!(a.lo, 0.0);
    }
}
