//! Drawing primitives shared by the charts: an SVG document builder that
//! escapes every piece of text and never writes a non-finite number, text
//! width estimates for layout, series styles, plot frames, axes and legends.

use std::fmt::Write;

use super::axis::{Ticks, Unit, format_tick};

/// Width of every chart, pixels (the viewBox is the same).
pub const WIDTH: f64 = 800.0;
/// Height of a single-panel chart, pixels.
pub const HEIGHT: f64 = 450.0;
/// Bottom of the plot area of a single-panel chart (room below for tick
/// labels, the axis title and a note).
pub const PLOT_BOTTOM: f64 = HEIGHT - 76.0;

/// A system sans-serif font stack (single quotes: it sits in a double-quoted attribute).
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";

/// Text colour: black.
pub const INK: &str = "#000000";
/// Secondary text (still near-black, for print).
pub const INK_SOFT: &str = "#333333";
/// Grid lines.
pub const GRID: &str = "#d9d9d9";

/// Okabe–Ito orange.
pub const ORANGE: &str = "#E69F00";
/// Okabe–Ito sky blue.
pub const SKY: &str = "#56B4E9";
/// Okabe–Ito bluish green.
pub const GREEN: &str = "#009E73";
/// Okabe–Ito yellow.
pub const YELLOW: &str = "#F0E442";
/// Okabe–Ito blue.
pub const BLUE: &str = "#0072B2";
/// Okabe–Ito vermillion.
pub const VERMILLION: &str = "#D55E00";
/// Okabe–Ito reddish purple.
pub const PURPLE: &str = "#CC79A7";

/// Paul Tol's wine (from his colour-blind-safe "muted" scheme).
pub const WINE: &str = "#882255";
/// Paul Tol's olive.
pub const OLIVE: &str = "#999933";
/// Paul Tol's indigo.
pub const INDIGO: &str = "#332288";
/// A dark brown.
pub const BROWN: &str = "#7A4A12";
/// A mid grey.
pub const GREY: &str = "#8C8C8C";

/// Line colours for series, dark ones first: the Okabe–Ito colours but
/// yellow (too pale on white), then colour-blind-safe colours from Paul
/// Tol's schemes, so that twelve series never share a colour.
pub const SERIES_COLORS: [&str; 12] = [
    BLUE, VERMILLION, GREEN, PURPLE, INK, ORANGE, SKY, WINE, OLIVE, INDIGO, BROWN, GREY,
];
/// Dash patterns for series (so lines differ in black and white too).
const SERIES_DASHES: [Option<&str>; 6] = [
    None,
    Some("7 4"),
    Some("2 3"),
    Some("9 3 2 3"),
    Some("4 4"),
    Some("12 3"),
];
/// Marker shapes for series.
const SERIES_MARKERS: [Marker; 6] = [
    Marker::Circle,
    Marker::Square,
    Marker::Triangle,
    Marker::Diamond,
    Marker::TriangleDown,
    Marker::Cross,
];

/// A point marker shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// A disc.
    Circle,
    /// A square.
    Square,
    /// An upward triangle.
    Triangle,
    /// A downward triangle.
    TriangleDown,
    /// A diamond.
    Diamond,
    /// A diagonal cross.
    Cross,
}

/// How series `i` is drawn: colour, dash pattern and marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesStyle {
    /// Stroke colour.
    pub color: &'static str,
    /// SVG dash array, if dashed.
    pub dash: Option<&'static str>,
    /// Marker shape.
    pub marker: Marker,
}

/// The style of series `i`: colours repeat after twelve series, dash
/// patterns and markers after six (so the first twelve never share a
/// colour, and no two of the first thirty share all three).
pub fn series_style(i: usize) -> SeriesStyle {
    SeriesStyle {
        color: SERIES_COLORS[i % SERIES_COLORS.len()],
        dash: SERIES_DASHES[i % SERIES_DASHES.len()],
        marker: SERIES_MARKERS[i % SERIES_MARKERS.len()],
    }
}

/// Escape text for XML content and attribute values; drop characters XML 1.0
/// does not allow.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A coordinate for an attribute: at most two decimals, never NaN or infinite
/// (a non-finite value is written as 0; the charts never rely on this).
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "0".into();
    }
    let x = x.clamp(-1e7, 1e7);
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// Estimated width of `s` in pixels at `size` (a system sans-serif; generous
/// enough that layouts do not overlap with wider fonts).
pub fn text_width(s: &str, size: f64, bold: bool) -> f64 {
    let em: f64 = s
        .chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' | ' ' => 0.3,
            'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' => 0.38,
            'm' | 'w' | 'M' | 'W' | '%' | '@' => 0.88,
            c if c.is_ascii_uppercase() => 0.68,
            c if c.is_ascii_digit() => 0.57,
            '−' | '–' | '—' | '+' | '=' | '<' | '>' | '$' | '_' | '&' => 0.6,
            _ => 0.55,
        })
        .sum();
    // DejaVu Sans, the usual Linux fallback, runs about 12 % wider than
    // Helvetica or Arial: size for it so labels never collide. Never less
    // than 0.6 em a character, the conservative average the layout checks use.
    let floor = 0.6 * size * s.chars().count() as f64;
    (em * size * if bold { 1.22 } else { 1.12 }).max(floor)
}

/// A box on the chart, pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    /// Left.
    pub x0: f64,
    /// Top.
    pub y0: f64,
    /// Right.
    pub x1: f64,
    /// Bottom.
    pub y1: f64,
}

impl BBox {
    /// The box between two corners, in any order.
    pub fn new(x0: f64, y0: f64, x1: f64, y1: f64) -> Self {
        BBox {
            x0: x0.min(x1),
            y0: y0.min(y1),
            x1: x0.max(x1),
            y1: y0.max(y1),
        }
    }
    /// Whether the two boxes share an area.
    pub fn intersects(&self, o: &BBox) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
    /// Whether `o` lies within this box.
    pub fn contains(&self, o: &BBox) -> bool {
        o.x0 >= self.x0 && o.x1 <= self.x1 && o.y0 >= self.y0 && o.y1 <= self.y1
    }
    /// The box grown by `p` on every side.
    pub fn pad(self, p: f64) -> Self {
        BBox {
            x0: self.x0 - p,
            y0: self.y0 - p,
            x1: self.x1 + p,
            y1: self.y1 + p,
        }
    }
}

/// The box text `s` takes when drawn at (x, y) in `f`: its estimated width
/// (see [`text_width`]) placed by the anchor, from 0.8 em above the baseline
/// to 0.25 em below, turned about (x, y) by a ±90° rotation.
pub fn text_box(x: f64, y: f64, s: &str, f: Font) -> BBox {
    let w = text_width(s, f.size, f.bold);
    let (a, b) = match f.anchor {
        Anchor::Start => (0.0, w),
        Anchor::Middle => (-w / 2.0, w / 2.0),
        Anchor::End => (-w, 0.0),
    };
    let (up, down) = (0.8 * f.size, 0.25 * f.size);
    if (f.rotate + 90.0).abs() < 1e-9 {
        BBox::new(x - up, y - b, x + down, y - a)
    } else if (f.rotate - 90.0).abs() < 1e-9 {
        BBox::new(x - down, y + a, x + up, y + b)
    } else {
        BBox::new(x + a, y - up, x + b, y + down)
    }
}

/// `s` shortened with an ellipsis to fit in `max` pixels, and whether it was.
pub fn fit(s: &str, size: f64, bold: bool, max: f64) -> (String, bool) {
    if text_width(s, size, bold) <= max {
        return (s.to_string(), false);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut n = chars.len();
    while n > 1 {
        n -= 1;
        let candidate: String = chars[..n].iter().collect::<String>() + "…";
        if text_width(&candidate, size, bold) <= max {
            return (candidate, true);
        }
    }
    ("…".into(), true)
}

/// `s` shortened to `max` pixels in `f`, keeping whole the part after the
/// last ", " (an axis title's unit), and whether it was shortened.
pub fn fit_keep_unit(s: &str, f: Font, max: f64) -> (String, bool) {
    if f.width(s) <= max {
        return (s.to_string(), false);
    }
    match s.rsplit_once(", ") {
        Some((head, unit)) if f.width(&format!("…, {unit}")) < max => {
            let tail = format!(", {unit}");
            let (head, _) = fit(head, f.size, f.bold, max - f.width(&tail));
            (format!("{head}{tail}"), true)
        }
        _ => fit(s, f.size, f.bold, max),
    }
}

/// `s` broken at spaces into lines at most `max` pixels wide in `f` (a
/// word wider than that gets a line of its own).
pub fn wrap(s: &str, f: Font, max: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if f.width(&candidate) <= max || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Horizontal anchor of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Text starts at x.
    Start,
    /// Text is centred on x.
    Middle,
    /// Text ends at x.
    End,
}

/// How a text is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Font {
    /// Size, pixels.
    pub size: f64,
    /// Bold.
    pub bold: bool,
    /// Anchor.
    pub anchor: Anchor,
    /// Fill colour.
    pub color: &'static str,
    /// A white halo behind the glyphs (for labels over lines).
    pub halo: bool,
    /// Rotation in degrees about (x, y).
    pub rotate: f64,
    /// Italic.
    pub italic: bool,
}

impl Font {
    /// Regular black text of `size`, anchored at its start.
    pub fn new(size: f64) -> Self {
        Font {
            size,
            bold: false,
            anchor: Anchor::Start,
            color: INK,
            halo: false,
            rotate: 0.0,
            italic: false,
        }
    }
    /// Bold.
    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
    /// Italic.
    pub fn italic(mut self) -> Self {
        self.italic = true;
        self
    }
    /// Centred.
    pub fn middle(mut self) -> Self {
        self.anchor = Anchor::Middle;
        self
    }
    /// Right-aligned.
    pub fn end(mut self) -> Self {
        self.anchor = Anchor::End;
        self
    }
    /// Coloured.
    pub fn color(mut self, c: &'static str) -> Self {
        self.color = c;
        self
    }
    /// With a white halo.
    pub fn halo(mut self) -> Self {
        self.halo = true;
        self
    }
    /// Rotated.
    pub fn rotate(mut self, degrees: f64) -> Self {
        self.rotate = degrees;
        self
    }
    /// Estimated width of `s` in this font.
    pub fn width(&self, s: &str) -> f64 {
        text_width(s, self.size, self.bold)
    }
}

/// An SVG document being written. It remembers the box of every text drawn
/// (and any obstacle declared), so labels can be placed where nothing else is.
#[derive(Debug)]
pub struct Svg {
    buf: String,
    texts: Vec<BBox>,
    obstacles: Vec<BBox>,
}

impl Svg {
    /// A document of `width` × `height` with an accessible `title` (also drawn
    /// as the visible heading) and a longer `desc`, on a white background.
    pub fn new(width: f64, height: f64, title: &str, desc: &str) -> Self {
        let mut buf = String::with_capacity(16 * 1024);
        let _ = write!(
            buf,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" font-family=\"{FONT}\">\n<title>{t}</title>\n<desc>{d}</desc>\n<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n",
            w = num(width),
            h = num(height),
            t = esc(title),
            d = esc(desc),
        );
        let mut svg = Svg {
            buf,
            texts: Vec::new(),
            obstacles: Vec::new(),
        };
        // A long title is set smaller before it is shortened.
        let mut size = 19.0;
        while size > 14.0 && text_width(title, size, true) > width - 40.0 {
            size -= 0.5;
        }
        svg.text_fit(20.0, 30.0, title, Font::new(size).bold(), width - 40.0);
        svg
    }

    /// The finished document.
    pub fn finish(mut self) -> String {
        self.buf.push_str("</svg>\n");
        self.buf
    }

    /// An open group with a comment-like `class` (for readers of the file).
    pub fn group(&mut self, class: &str) {
        let _ = writeln!(self.buf, "<g class=\"{}\">", esc(class));
    }

    /// Close a group.
    pub fn end_group(&mut self) {
        self.buf.push_str("</g>\n");
    }

    /// A rectangle from two corners (in any order). `style` holds constant
    /// presentation attributes.
    pub fn rect(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, style: &str) {
        let (x, w) = (x0.min(x1), (x1 - x0).abs());
        let (y, h) = (y0.min(y1), (y1 - y0).abs());
        let _ = writeln!(
            self.buf,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {style}/>",
            num(x),
            num(y),
            num(w),
            num(h)
        );
    }

    /// A line segment.
    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, style: &str) {
        let _ = writeln!(
            self.buf,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {style}/>",
            num(x1),
            num(y1),
            num(x2),
            num(y2)
        );
    }

    fn points(pts: &[(f64, f64)]) -> String {
        pts.iter()
            .map(|&(x, y)| format!("{},{}", num(x), num(y)))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// An open polyline (nothing if fewer than two points).
    pub fn polyline(&mut self, pts: &[(f64, f64)], style: &str) {
        if pts.len() < 2 {
            return;
        }
        let _ = writeln!(
            self.buf,
            "<polyline points=\"{}\" fill=\"none\" {style}/>",
            Self::points(pts)
        );
    }

    /// A closed polygon (nothing if fewer than three points).
    pub fn polygon(&mut self, pts: &[(f64, f64)], style: &str) {
        if pts.len() < 3 {
            return;
        }
        let _ = writeln!(
            self.buf,
            "<polygon points=\"{}\" {style}/>",
            Self::points(pts)
        );
    }

    /// A circle.
    pub fn circle(&mut self, cx: f64, cy: f64, r: f64, style: &str) {
        let _ = writeln!(
            self.buf,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {style}/>",
            num(cx),
            num(cy),
            num(r)
        );
    }

    /// A marker of `shape` centred on (x, y), `size` pixels across.
    pub fn marker(&mut self, shape: Marker, x: f64, y: f64, size: f64, fill: &str, stroke: &str) {
        let r = size / 2.0;
        let style = format!("fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.2\"");
        match shape {
            Marker::Circle => self.circle(x, y, r, &style),
            Marker::Square => {
                let r = r * 0.9;
                self.rect(x - r, y - r, x + r, y + r, &style)
            }
            Marker::Triangle => self.polygon(
                &[
                    (x, y - r * 1.15),
                    (x + r * 1.05, y + r * 0.75),
                    (x - r * 1.05, y + r * 0.75),
                ],
                &style,
            ),
            Marker::TriangleDown => self.polygon(
                &[
                    (x, y + r * 1.15),
                    (x + r * 1.05, y - r * 0.75),
                    (x - r * 1.05, y - r * 0.75),
                ],
                &style,
            ),
            Marker::Diamond => self.polygon(
                &[(x, y - r * 1.25), (x + r, y), (x, y + r * 1.25), (x - r, y)],
                &style,
            ),
            Marker::Cross => {
                let s = format!("stroke=\"{fill}\" stroke-width=\"2.2\" stroke-linecap=\"round\"");
                self.line(x - r, y - r, x + r, y + r, &s);
                self.line(x - r, y + r, x + r, y - r, &s);
            }
        }
    }

    /// A text; `tooltip`, when given, is added as a `<title>` child (the full
    /// text of a shortened label).
    fn text_with(&mut self, x: f64, y: f64, s: &str, f: Font, tooltip: Option<&str>) {
        let anchor = match f.anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        };
        let _ = write!(
            self.buf,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{anchor}\" fill=\"{}\"",
            num(x),
            num(y),
            num(f.size),
            f.color
        );
        if f.bold {
            self.buf.push_str(" font-weight=\"bold\"");
        }
        if f.italic {
            self.buf.push_str(" font-style=\"italic\"");
        }
        if f.halo {
            self.buf.push_str(
                " stroke=\"#ffffff\" stroke-width=\"3.5\" stroke-linejoin=\"round\" paint-order=\"stroke\"",
            );
        }
        if f.rotate != 0.0 {
            let _ = write!(
                self.buf,
                " transform=\"rotate({} {} {})\"",
                num(f.rotate),
                num(x),
                num(y)
            );
        }
        self.buf.push('>');
        self.texts.push(text_box(x, y, s, f));
        if let Some(t) = tooltip {
            let _ = write!(self.buf, "<title>{}</title>", esc(t));
        }
        self.buf.push_str(&esc(s));
        self.buf.push_str("</text>\n");
    }

    /// A text.
    pub fn text(&mut self, x: f64, y: f64, s: &str, f: Font) {
        self.text_with(x, y, s, f, None);
    }

    /// A text shortened to `max` pixels; the full text stays as a tooltip.
    pub fn text_fit(&mut self, x: f64, y: f64, s: &str, f: Font, max: f64) {
        let (shown, cut) = fit(s, f.size, f.bold, max);
        self.text_with(x, y, &shown, f, cut.then_some(s));
    }

    /// Declare a box that labels placed with [`Svg::place`] must avoid (a
    /// bar, a marker).
    pub fn obstacle(&mut self, b: BBox) {
        self.obstacles.push(b);
    }

    /// Draw `s` at the first of `spots` ((x, y, font)) where its box, grown
    /// by a pixel, lies within `within` and clear of every text and
    /// obstacle; the index of the spot used, or None (nothing drawn).
    pub fn place(&mut self, s: &str, spots: &[(f64, f64, Font)], within: BBox) -> Option<usize> {
        self.place_over(s, spots, within, None)
    }

    /// Whether `s` drawn at `spot` would lie within `within`, clear of every
    /// text and obstacle (as [`Svg::place`] requires), without drawing it.
    pub fn fits(&self, s: &str, spot: (f64, f64, Font), within: BBox) -> bool {
        let (x, y, f) = spot;
        let b = text_box(x, y, s, f).pad(1.0);
        within.contains(&b)
            && !self
                .texts
                .iter()
                .chain(&self.obstacles)
                .any(|o| o.intersects(&b))
    }

    /// [`Svg::place`], allowed over the obstacle `over` (a label inside
    /// its own bar).
    pub fn place_over(
        &mut self,
        s: &str,
        spots: &[(f64, f64, Font)],
        within: BBox,
        over: Option<BBox>,
    ) -> Option<usize> {
        let i = spots.iter().position(|&(x, y, f)| {
            let b = text_box(x, y, s, f).pad(1.0);
            within.contains(&b)
                && !self
                    .texts
                    .iter()
                    .chain(self.obstacles.iter().filter(|o| Some(**o) != over))
                    .any(|o| o.intersects(&b))
        })?;
        let (x, y, f) = spots[i];
        self.text(x, y, s, f);
        Some(i)
    }

    /// An axis title shortened to `max` pixels keeping its unit: the part
    /// after the last ", " (`…, $M`) stays whole and the rest is cut.
    pub fn text_fit_unit(&mut self, x: f64, y: f64, s: &str, f: Font, max: f64) {
        let (shown, cut) = fit_keep_unit(s, f, max);
        self.text_with(x, y, &shown, f, cut.then_some(s));
    }

    /// A caption in small italics at the bottom left of the chart.
    pub fn note(&mut self, height: f64, s: &str) {
        self.text_fit(
            20.0,
            height - 10.0,
            s,
            Font::new(11.5).italic(),
            WIDTH - 40.0,
        );
    }
}

/// A "no data" chart: the title and a centred message.
pub fn no_data(title: &str, what: &str) -> String {
    let mut svg = Svg::new(WIDTH, HEIGHT, title, &format!("No data: {what}"));
    svg.rect(
        40.0,
        70.0,
        WIDTH - 40.0,
        HEIGHT - 40.0,
        "fill=\"#f7f7f7\" stroke=\"#bdbdbd\" stroke-dasharray=\"4 4\"",
    );
    svg.text(
        WIDTH / 2.0,
        HEIGHT / 2.0 + 10.0,
        "No data",
        Font::new(22.0).bold().middle(),
    );
    svg.text_fit(
        WIDTH / 2.0,
        HEIGHT / 2.0 + 36.0,
        what,
        Font::new(13.0).middle().color(INK_SOFT),
        WIDTH - 120.0,
    );
    svg.finish()
}

/// A plot area in pixels and the value ranges it maps.
#[derive(Debug, Clone)]
pub struct Frame {
    /// Left edge, pixels.
    pub left: f64,
    /// Top edge, pixels.
    pub top: f64,
    /// Right edge, pixels.
    pub right: f64,
    /// Bottom edge, pixels.
    pub bottom: f64,
    /// Horizontal scale (display units).
    pub x: Ticks,
    /// Vertical scale (display units).
    pub y: Ticks,
}

impl Frame {
    /// Pixel x of display value `v` (kept within a margin of the frame).
    pub fn px(&self, v: f64) -> f64 {
        let t = (v - self.x.lo) / (self.x.hi - self.x.lo);
        let p = self.left + t * (self.right - self.left);
        let w = self.right - self.left;
        p.clamp(self.left - w, self.right + w)
    }
    /// Pixel y of display value `v` (up is larger).
    pub fn py(&self, v: f64) -> f64 {
        let t = (v - self.y.lo) / (self.y.hi - self.y.lo);
        let p = self.bottom - t * (self.bottom - self.top);
        let h = self.bottom - self.top;
        p.clamp(self.top - h, self.bottom + h)
    }
    /// Pixel x clamped to the frame.
    pub fn px_in(&self, v: f64) -> f64 {
        self.px(v).clamp(self.left, self.right)
    }
    /// Pixel y clamped to the frame.
    pub fn py_in(&self, v: f64) -> f64 {
        self.py(v).clamp(self.top, self.bottom)
    }

    /// Vertical grid lines, tick labels under the frame, the bottom axis line,
    /// and `title` centred below (if not empty).
    pub fn x_axis(&self, svg: &mut Svg, unit: Unit, title: &str) {
        svg.group("x-axis");
        // Every k-th tick is labelled, k as small as keeps labels apart.
        let font = Font::new(12.5).middle();
        let widest = self
            .x
            .values
            .iter()
            .map(|&v| font.width(&format_tick(v, self.x.step, unit)))
            .fold(0.0, f64::max);
        let gap = match self.x.values.as_slice() {
            [a, b, ..] => (self.px(*b) - self.px(*a)).abs(),
            _ => f64::INFINITY,
        };
        let every = if gap > 0.0 {
            ((widest + 6.0) / gap).ceil().max(1.0) as usize
        } else {
            1
        };
        for (i, &v) in self.x.values.iter().enumerate() {
            let x = self.px(v);
            svg.line(
                x,
                self.top,
                x,
                self.bottom,
                &format!("stroke=\"{GRID}\" stroke-width=\"1\""),
            );
            svg.line(
                x,
                self.bottom,
                x,
                self.bottom + 5.0,
                &format!("stroke=\"{INK}\" stroke-width=\"1\""),
            );
            if i % every == 0 {
                svg.text(
                    x,
                    self.bottom + 19.0,
                    &format_tick(v, self.x.step, unit),
                    font,
                );
            }
        }
        svg.line(
            self.left,
            self.bottom,
            self.right,
            self.bottom,
            &format!("stroke=\"{INK}\" stroke-width=\"1.2\""),
        );
        if !title.is_empty() {
            // Centred under the plot; a title too wide for that moves
            // towards the middle of the chart before it is shortened.
            let font = Font::new(13.5).bold().middle();
            let cx = (self.left + self.right) / 2.0;
            let room = (self.right - self.left).max(200.0) + 80.0;
            let w = font.width(title);
            // (Not in small multiples: a panel narrower than a third of the
            // chart keeps its title to itself.)
            let (x, max) = if w <= room || w > WIDTH - 40.0 || self.right - self.left < WIDTH / 3.0
            {
                (cx, room)
            } else {
                (cx.clamp(20.0 + w / 2.0, WIDTH - 20.0 - w / 2.0), w)
            };
            svg.text_fit_unit(x, self.bottom + 40.0, title, font, max);
        }
        svg.end_group();
    }

    /// Horizontal grid lines, tick labels left of the frame, the left axis
    /// line, and `title` rotated along the left side (if not empty).
    pub fn y_axis(&self, svg: &mut Svg, unit: Unit, title: &str, title_x: f64) {
        svg.group("y-axis");
        for &v in &self.y.values {
            let y = self.py(v);
            svg.line(
                self.left,
                y,
                self.right,
                y,
                &format!("stroke=\"{GRID}\" stroke-width=\"1\""),
            );
            svg.line(
                self.left - 5.0,
                y,
                self.left,
                y,
                &format!("stroke=\"{INK}\" stroke-width=\"1\""),
            );
            svg.text(
                self.left - 8.0,
                y + 4.5,
                &format_tick(v, self.y.step, unit),
                Font::new(12.5).end(),
            );
        }
        svg.line(
            self.left,
            self.top,
            self.left,
            self.bottom,
            &format!("stroke=\"{INK}\" stroke-width=\"1.2\""),
        );
        if !title.is_empty() {
            svg.text_fit_unit(
                title_x,
                (self.top + self.bottom) / 2.0,
                title,
                Font::new(13.5).bold().middle().rotate(-90.0),
                (self.bottom - self.top) + 40.0,
            );
        }
        svg.end_group();
    }

    /// Width of the widest y tick label, pixels.
    pub fn y_label_width(ticks: &Ticks, unit: Unit) -> f64 {
        ticks
            .values
            .iter()
            .map(|&v| text_width(&format_tick(v, ticks.step, unit), 12.5, false))
            .fold(0.0, f64::max)
    }
}

/// What a legend entry shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Swatch {
    /// A line sample, optionally dashed, optionally with a marker.
    Line {
        /// Colour.
        color: &'static str,
        /// Dash array.
        dash: Option<&'static str>,
        /// Marker.
        marker: Option<Marker>,
        /// Stroke width.
        width: f64,
    },
    /// A filled box.
    Box {
        /// Fill colour.
        fill: &'static str,
        /// Fill opacity.
        opacity: f64,
        /// Outline colour.
        stroke: &'static str,
        /// Outline width.
        stroke_width: f64,
    },
    /// A point with an error bar.
    PointRange {
        /// Point colour.
        color: &'static str,
    },
    /// A lone marker.
    Point {
        /// Shape.
        shape: Marker,
        /// Fill.
        fill: &'static str,
        /// Size.
        size: f64,
    },
}

impl Swatch {
    /// The legend line for series style `s`.
    pub fn series(s: SeriesStyle) -> Self {
        Swatch::Line {
            color: s.color,
            dash: s.dash,
            marker: Some(s.marker),
            width: 2.5,
        }
    }
}

/// Draw a swatch in the 28 × 12 box whose left-middle point is (x, y).
fn draw_swatch(svg: &mut Svg, sw: Swatch, x: f64, y: f64) {
    match sw {
        Swatch::Line {
            color,
            dash,
            marker,
            width,
        } => {
            let dash = dash.map_or(String::new(), |d| format!(" stroke-dasharray=\"{d}\""));
            svg.line(
                x,
                y,
                x + 28.0,
                y,
                &format!("stroke=\"{color}\" stroke-width=\"{}\"{dash}", num(width)),
            );
            if let Some(m) = marker {
                svg.marker(m, x + 14.0, y, 7.0, color, color);
            }
        }
        Swatch::Box {
            fill,
            opacity,
            stroke,
            stroke_width,
        } => svg.rect(
            x + 2.0,
            y - 6.0,
            x + 26.0,
            y + 6.0,
            &format!(
                "fill=\"{fill}\" fill-opacity=\"{}\" stroke=\"{stroke}\" stroke-width=\"{}\"",
                num(opacity),
                num(stroke_width)
            ),
        ),
        Swatch::PointRange { color } => {
            let s = format!("stroke=\"{INK}\" stroke-width=\"2\"");
            svg.line(x + 3.0, y, x + 25.0, y, &s);
            svg.line(x + 3.0, y - 5.0, x + 3.0, y + 5.0, &s);
            svg.line(x + 25.0, y - 5.0, x + 25.0, y + 5.0, &s);
            svg.circle(
                x + 14.0,
                y,
                5.0,
                &format!("fill=\"{color}\" stroke=\"{INK}\" stroke-width=\"1.2\""),
            );
        }
        Swatch::Point { shape, fill, size } => svg.marker(shape, x + 14.0, y, size, fill, INK),
    }
}

/// A legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendItem {
    /// Label (escaped when drawn).
    pub label: String,
    /// Swatch.
    pub swatch: Swatch,
}

impl LegendItem {
    /// An entry.
    pub fn new(label: impl Into<String>, swatch: Swatch) -> Self {
        LegendItem {
            label: label.into(),
            swatch,
        }
    }
}

/// A legend of one line series per name, in the palette's order, across the
/// top of a chart; returns its height.
pub fn series_legend<'a>(svg: &mut Svg, names: impl Iterator<Item = &'a str>) -> f64 {
    let items: Vec<LegendItem> = names
        .enumerate()
        .map(|(i, name)| LegendItem::new(name, Swatch::series(series_style(i))))
        .collect();
    legend(svg, &items, 20.0, 56.0, WIDTH - 20.0)
}

/// Lay a legend out in rows from (x, y) (the first row's middle), wrapping at
/// `max_x`; returns the height used (0 when empty).
pub fn legend(svg: &mut Svg, items: &[LegendItem], x: f64, y: f64, max_x: f64) -> f64 {
    if items.is_empty() {
        return 0.0;
    }
    svg.group("legend");
    let font = Font::new(12.5);
    let row_h = 19.0;
    let (mut cx, mut cy) = (x, y);
    let max_label = (max_x - x - 40.0).clamp(60.0, 420.0);
    for item in items {
        let (label, _) = fit(&item.label, font.size, false, max_label);
        let w = 34.0 + font.width(&label) + 18.0;
        if cx > x && cx + w - 18.0 > max_x {
            cx = x;
            cy += row_h;
        }
        draw_swatch(svg, item.swatch, cx, cy);
        svg.text_fit(cx + 34.0, cy + 4.5, &item.label, font, max_label);
        cx += w;
    }
    svg.end_group();
    cy - y + row_h
}

/// Measure how tall [`legend`] would be, without drawing.
pub fn legend_height(items: &[LegendItem], x: f64, max_x: f64) -> f64 {
    let mut scratch = Svg {
        buf: String::new(),
        texts: Vec::new(),
        obstacles: Vec::new(),
    };
    legend(&mut scratch, items, x, 0.0, max_x)
}

/// Finite values only.
pub fn finite(values: impl IntoIterator<Item = f64>) -> Vec<f64> {
    values.into_iter().filter(|v| v.is_finite()).collect()
}

/// (min, max) of finite values, or None.
pub fn extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    let v = finite(values);
    if v.is_empty() {
        return None;
    }
    Some((
        v.iter().copied().fold(f64::INFINITY, f64::min),
        v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    ))
}

/// The caller's title, or `default` if it is blank.
pub fn title_or(title: &str, default: &str) -> String {
    if title.trim().is_empty() {
        default.to_string()
    } else {
        title.trim().to_string()
    }
}
