//! Bar charts as inline SVG, made at build time: readable with JavaScript off, colored by
//! the page's stylesheet (so dark mode and print work), with a title for screen readers.

use std::fmt::Write as _;

use super::theme::escape_html;

/// One bar: its label, its value, and an optional marker drawn as a tick above it (a
/// 90th percentile over a median).
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub marker: Option<f64>,
}

/// A vertical bar chart, `title` read by screen readers; `format` labels the axis top.
pub fn bar_chart(title: &str, bars: &[Bar], format: impl Fn(f64) -> String) -> String {
    let height = 160.0;
    let (left, bottom, top) = (62.0, 28.0, 10.0);
    let step = match bars.len() {
        n if n > 40 => 8.0,
        n if n > 16 => 14.0,
        n if n > 8 => 28.0,
        _ => 44.0,
    };
    let width = left + step * bars.len().max(1) as f64 + 8.0;
    let largest = bars
        .iter()
        .map(|b| b.value.max(b.marker.unwrap_or(0.0)))
        .fold(0.0, f64::max)
        .max(1.0);
    let scale = |v: f64| (height - bottom - top) * v / largest;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {width:.0} {height:.0}" role="img" preserveAspectRatio="xMinYMin meet"><title>{}</title>"#,
        escape_html(title)
    );
    let base = height - bottom;
    let _ = write!(
        svg,
        r#"<line class="chart-axis" x1="{left}" y1="{base}" x2="{width:.0}" y2="{base}"/>"#
    );
    let _ = write!(
        svg,
        r#"<line class="chart-axis" x1="{left}" y1="{top}" x2="{left}" y2="{base}"/>"#
    );
    let _ = write!(
        svg,
        r#"<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>"#,
        left - 4.0,
        top + 8.0,
        escape_html(&format(largest))
    );
    let _ = write!(
        svg,
        r#"<text class="tick" x="{}" y="{base}" text-anchor="end">0</text>"#,
        left - 4.0
    );
    // Label about eight bars, evenly.
    let every = bars.len().div_ceil(8).max(1);
    for (i, bar) in bars.iter().enumerate() {
        let x = left + step * i as f64 + step * 0.15;
        let w = step * 0.7;
        let h = scale(bar.value);
        let _ = write!(
            svg,
            r#"<rect class="chart-bar" x="{x:.1}" y="{:.1}" width="{w:.1}" height="{h:.1}"><title>{}: {}</title></rect>"#,
            base - h,
            escape_html(&bar.label),
            escape_html(&format(bar.value))
        );
        if let Some(marker) = bar.marker {
            let y = base - scale(marker);
            let _ = write!(
                svg,
                r#"<line class="chart-marker" x1="{x:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/>"#,
                x + w
            );
        }
        if i % every == 0 {
            let _ = write!(
                svg,
                r#"<text class="label" x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
                x + w / 2.0,
                height - 10.0,
                escape_html(&bar.label)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_escape_labels() {
        let bars = [
            Bar {
                label: "2024-01".into(),
                value: 2.0,
                marker: None,
            },
            Bar {
                label: "<b>".into(),
                value: 4.0,
                marker: Some(4.0),
            },
        ];
        let svg = bar_chart("Incidents per month", &bars, |v| format!("{v}"));
        assert!(svg.starts_with("<svg class=\"chart\""));
        assert!(svg.contains("<title>Incidents per month</title>"));
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
        assert_eq!(svg.matches("class=\"chart-bar\"").count(), 2);
        assert_eq!(svg.matches("class=\"chart-marker\"").count(), 1);
    }
}
