//! The insights page (`insights/`): the archive's figures as charts and tables.

use serde::Serialize;
use tera::Context;

use super::charts::{bar_chart, Bar};
use super::theme::Theme;
use crate::error::Result;
use crate::index::insights::Insights;
use crate::model::moment::format_minutes;

#[derive(Debug, Serialize)]
struct InsightsView {
    total: usize,
    undated: usize,
    without_duration: usize,
    without_time_to_detect: usize,
    without_time_to_resolve: usize,
    incidents_chart: String,
    downtime_chart: String,
    detect_chart: Option<String>,
    resolve_chart: Option<String>,
    /// (quarter, incidents, median/p90 to detect, median/p90 to resolve) for the table.
    quarters: Vec<(String, usize, String, String)>,
    tags: Vec<TagTrend>,
    years: Vec<i32>,
    with_overdue_tasks: usize,
    with_tasks: usize,
    overdue_percent: usize,
}

#[derive(Debug, Serialize)]
struct TagTrend {
    name: String,
    counts: Vec<usize>,
    chart: String,
}

fn minutes_label(minutes: f64) -> String {
    format_minutes(minutes.round() as i64)
}

pub fn render_insights(insights: &Insights, theme: &Theme, mut context: Context) -> Result<String> {
    let months = |value: fn(&(String, usize, i64)) -> f64| {
        insights
            .months
            .iter()
            .map(|m| Bar {
                label: m.0.clone(),
                value: value(m),
                marker: None,
            })
            .collect::<Vec<_>>()
    };
    let times = |pick: fn(&crate::index::insights::QuarterTimes) -> Option<(i64, i64)>| {
        let bars: Vec<Bar> = insights
            .quarters
            .iter()
            .filter_map(|q| {
                pick(q).map(|(median, p90)| Bar {
                    label: q.quarter.clone(),
                    value: median as f64,
                    marker: Some(p90 as f64),
                })
            })
            .collect();
        (!bars.is_empty()).then_some(bars)
    };
    let both = |pair: Option<(i64, i64)>| {
        pair.map_or("unknown".to_string(), |(m, p)| {
            format!("{} / {}", format_minutes(m), format_minutes(p))
        })
    };
    let view = InsightsView {
        total: insights.total,
        undated: insights.undated,
        without_duration: insights.without_duration,
        without_time_to_detect: insights.without_time_to_detect,
        without_time_to_resolve: insights.without_time_to_resolve,
        incidents_chart: bar_chart("Incidents per month", &months(|m| m.1 as f64), |v| {
            format!("{v:.0}")
        }),
        downtime_chart: bar_chart("Downtime per month", &months(|m| m.2 as f64), minutes_label),
        detect_chart: times(|q| q.detect).map(|bars| {
            bar_chart(
                "Time to detect per quarter: median, with a tick at the 90th percentile",
                &bars,
                minutes_label,
            )
        }),
        resolve_chart: times(|q| q.resolve).map(|bars| {
            bar_chart(
                "Time to resolve per quarter: median, with a tick at the 90th percentile",
                &bars,
                minutes_label,
            )
        }),
        quarters: insights
            .quarters
            .iter()
            .map(|q| {
                (
                    q.quarter.clone(),
                    q.incidents,
                    both(q.detect),
                    both(q.resolve),
                )
            })
            .collect(),
        tags: insights
            .top_tags
            .iter()
            .map(|(name, counts)| TagTrend {
                name: name.clone(),
                counts: counts.clone(),
                chart: bar_chart(
                    &format!("Incidents tagged {name} per year"),
                    &insights
                        .years
                        .iter()
                        .zip(counts)
                        .map(|(y, &c)| Bar {
                            label: y.to_string(),
                            value: c as f64,
                            marker: None,
                        })
                        .collect::<Vec<_>>(),
                    |v| format!("{v:.0}"),
                ),
            })
            .collect(),
        years: insights.years.clone(),
        with_overdue_tasks: insights.with_overdue_tasks,
        with_tasks: insights.with_tasks,
        overdue_percent: (insights.with_overdue_tasks * 100)
            .checked_div(insights.total)
            .unwrap_or(0),
    };
    context.insert("insights", &view);
    theme.render("insights.html", &context)
}
