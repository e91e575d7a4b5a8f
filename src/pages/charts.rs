//! Accessible bar charts as inline SVG, generated at build time: a title and a
//! description for assistive technology, classes for colours (no inline styles), and
//! always shown beside a table holding the same figures.

use crate::text::money;

use crate::text::xml_text;

/// A horizontal bar chart of named amounts in pounds. `id` makes the title and
/// description ids unique on the page.
pub fn bar_chart(id: &str, title: &str, bars: &[(String, f64)]) -> Option<String> {
    if bars.is_empty() {
        return None;
    }
    let max = bars.iter().map(|(_, v)| *v).fold(0.0, f64::max);
    if max <= 0.0 {
        return None;
    }
    let (label_w, bar_w, row_h) = (300.0, 260.0, 28.0);
    let width = label_w + bar_w + 90.0;
    let height = row_h * bars.len() as f64 + 8.0;
    let desc = bars
        .iter()
        .map(|(n, v)| format!("{n}: {}", money(*v)))
        .collect::<Vec<_>>()
        .join("; ");
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        xml_text(title),
        xml_text(&desc)
    );
    for (i, (name, value)) in bars.iter().enumerate() {
        let y = 4.0 + i as f64 * row_h;
        let w = (value / max * bar_w).max(1.0);
        let short: String = if name.chars().count() > 40 {
            format!("{}…", name.chars().take(39).collect::<String>())
        } else {
            name.clone()
        };
        svg.push_str(&format!(
            "<text class=\"chart-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect class=\"chart-bar\" x=\"{label_w}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\"/><text class=\"chart-value\" x=\"{}\" y=\"{}\">{}</text>",
            label_w - 8.0,
            y + 18.0,
            xml_text(&short),
            y + 4.0,
            row_h - 8.0,
            label_w + w + 6.0,
            y + 18.0,
            xml_text(&money(*value))
        ));
    }
    svg.push_str("</svg>");
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_has_title_description_and_escaped_labels() {
        let svg = bar_chart(
            "c1",
            "Spending <2015>",
            &[("A & B".into(), 100.0), ("C".into(), 50.0)],
        )
        .unwrap();
        assert!(svg.contains("<title id=\"c1-title\">Spending &lt;2015&gt;</title>"));
        assert!(svg.contains("<desc id=\"c1-desc\">A &amp; B: £100; C: £50</desc>"));
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(!svg.contains("style="));
        assert!(bar_chart("c2", "x", &[]).is_none());
    }
}
