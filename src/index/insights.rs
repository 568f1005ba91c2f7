//! Archive insights: incidents and downtime per month, time to detect and to resolve per
//! quarter (medians and 90th percentiles: durations are skewed), the top root causes
//! per year, and the share of incidents with overdue tasks. Each figure knows how many
//! incidents lacked the data it needs.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::model::Archive;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Insights {
    /// (`YYYY-MM`, incidents, downtime minutes), every month from the first to the last.
    pub months: Vec<(String, usize, i64)>,
    /// Incidents with no date (left out of `months`), and dated ones with no duration.
    pub undated: usize,
    pub without_duration: usize,
    /// (`YYYY-Qn`, median and 90th percentile minutes to detect, to resolve; counts).
    pub quarters: Vec<QuarterTimes>,
    pub without_time_to_detect: usize,
    pub without_time_to_resolve: usize,
    /// The most frequent tags, and for each its incidents per year (years ascending).
    pub years: Vec<i32>,
    pub top_tags: Vec<(String, Vec<usize>)>,
    pub with_overdue_tasks: usize,
    pub with_tasks: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuarterTimes {
    pub quarter: String,
    pub detect: Option<(i64, i64)>,
    pub resolve: Option<(i64, i64)>,
    pub incidents: usize,
}

/// Minutes to detect, minutes to resolve, and incidents, in one quarter.
type QuarterSamples = (Vec<i64>, Vec<i64>, usize);

/// How many tags the "over time" figure follows.
const TOP_TAGS: usize = 5;

pub fn compute(archive: &Archive, today: NaiveDate) -> Insights {
    let incidents = &archive.incidents;
    let mut insights = Insights {
        total: incidents.len(),
        ..Insights::default()
    };
    let mut months: BTreeMap<(i32, u32), (usize, i64)> = BTreeMap::new();
    let mut quarters: BTreeMap<(i32, u32), QuarterSamples> = BTreeMap::new();
    let mut tag_years: BTreeMap<&str, BTreeMap<i32, usize>> = BTreeMap::new();
    let mut tag_totals: BTreeMap<&str, usize> = BTreeMap::new();
    for incident in incidents {
        if !incident.tasks.is_empty() {
            insights.with_tasks += 1;
        }
        if incident.overdue_tasks(today) > 0 {
            insights.with_overdue_tasks += 1;
        }
        let Some(date) = incident.date() else {
            insights.undated += 1;
            continue;
        };
        let month = months.entry((date.year(), date.month())).or_default();
        month.0 += 1;
        match incident.duration_minutes {
            Some(minutes) => month.1 = month.1.saturating_add(minutes),
            None => insights.without_duration += 1,
        }
        let quarter = quarters
            .entry((date.year(), (date.month() - 1) / 3 + 1))
            .or_default();
        quarter.2 += 1;
        match incident.time_to_detect_minutes {
            Some(m) => quarter.0.push(m),
            None => insights.without_time_to_detect += 1,
        }
        match incident.time_to_resolve_minutes {
            Some(m) => quarter.1.push(m),
            None => insights.without_time_to_resolve += 1,
        }
        for tag in &incident.tags {
            *tag_years
                .entry(&tag.name)
                .or_default()
                .entry(date.year())
                .or_default() += 1;
            *tag_totals.entry(&tag.name).or_default() += 1;
        }
    }
    if let (Some((&first, _)), Some((&last, _))) =
        (months.first_key_value(), months.last_key_value())
    {
        let (mut year, mut month) = first;
        while (year, month) <= last {
            let (count, minutes) = months.get(&(year, month)).copied().unwrap_or_default();
            insights
                .months
                .push((format!("{year:04}-{month:02}"), count, minutes));
            (year, month) = if month == 12 {
                (year + 1, 1)
            } else {
                (year, month + 1)
            };
        }
        insights.years = (first.0..=last.0).collect();
    }
    insights.quarters = quarters
        .into_iter()
        .map(
            |((year, q), (mut detect, mut resolve, incidents))| QuarterTimes {
                quarter: format!("{year}-Q{q}"),
                detect: median_and_p90(&mut detect),
                resolve: median_and_p90(&mut resolve),
                incidents,
            },
        )
        .collect();
    let mut ranked: Vec<(&str, usize)> = tag_totals.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    insights.top_tags = ranked
        .into_iter()
        .take(TOP_TAGS)
        .map(|(tag, _)| {
            (
                tag.to_string(),
                insights
                    .years
                    .iter()
                    .map(|y| tag_years[tag].get(y).copied().unwrap_or(0))
                    .collect(),
            )
        })
        .collect();
    insights
}

/// The median and the 90th percentile (nearest rank) of some minutes.
fn median_and_p90(values: &mut [i64]) -> Option<(i64, i64)> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let rank =
        |p: f64| values[((p * values.len() as f64).ceil() as usize).clamp(1, values.len()) - 1];
    let median = if values.len() % 2 == 1 {
        values[values.len() / 2]
    } else {
        (values[values.len() / 2 - 1] + values[values.len() / 2]) / 2
    };
    Some((median, rank(0.9)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_incident, ParseOptions};

    #[test]
    fn medians_and_percentiles() {
        assert_eq!(median_and_p90(&mut [10, 30, 20]), Some((20, 30)));
        assert_eq!(median_and_p90(&mut [1, 2, 3, 4]), Some((2, 4)));
        let mut many: Vec<i64> = (1..=10).collect();
        assert_eq!(median_and_p90(&mut many), Some((5, 9)));
        assert_eq!(median_and_p90(&mut []), None);
    }

    #[test]
    fn months_are_filled_and_missing_data_counted() {
        let texts = [
            "---\ntitle: A\nstart: 2024-01-05 10:00\nend: 2024-01-05 11:00\ntags: [dns]\n---\n",
            "---\ntitle: B\ndate: 2024-03-09\ntags: [dns, config]\n---\n",
            "---\ntitle: C\n---\n",
        ];
        let incidents = texts
            .iter()
            .enumerate()
            .map(|(i, t)| parse_incident(&format!("{i}.md"), t, &ParseOptions::default()))
            .collect();
        let insights = compute(
            &Archive::new(incidents),
            NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        );
        assert_eq!(
            insights.months,
            [
                ("2024-01".to_string(), 1, 60),
                ("2024-02".to_string(), 0, 0),
                ("2024-03".to_string(), 1, 0)
            ]
        );
        assert_eq!((insights.undated, insights.without_duration), (1, 1));
        assert_eq!(insights.top_tags[0], ("dns".to_string(), vec![2]));
        assert_eq!(insights.quarters[0].resolve, Some((60, 60)));
    }
}
