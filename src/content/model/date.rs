//! Dates as written in content ([`DateValue`]) and as checked ([`PartialDate`]): a whole
//! day or a month, shown in words or in ISO form.

use std::fmt;

use chrono::Datelike;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// A date as written in content: a TOML date (`2025-01-31`) or a string (`"2025-01-31"`
/// or `"2025-01"`). Kept as written; [`DateValue::parse`] checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateValue(pub String);

impl<'de> Deserialize<'de> for DateValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DateValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date like 2025-01-31 or \"2025-01\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateValue, E> {
                Ok(DateValue(v.to_string()))
            }
            // The toml crate hands dates over as a one-entry map holding the text.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DateValue, A::Error> {
                let entry: Option<(String, String)> = map.next_entry()?;
                match entry {
                    Some((_, text)) => Ok(DateValue(text)),
                    None => Err(de::Error::custom("expected a date like 2025-01-31")),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// A checked date: a whole day, or a month when the day is not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: u32,
    pub day: Option<u32>,
}

/// The months' names in English, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl DateValue {
    /// Parse `YYYY-MM-DD` or `YYYY-MM`; the error says what was expected.
    pub fn parse(&self) -> Result<PartialDate, String> {
        let s = self.0.trim();
        let bad = || {
            format!("`{s}` is not a date: expected YYYY-MM-DD (like 2025-01-31) or YYYY-MM (like 2025-01)")
        };
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Option<u32> {
            (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        };
        match parts.as_slice() {
            [y, m] => {
                let (y, m) = (num(y, 4).ok_or_else(bad)?, num(m, 2).ok_or_else(bad)?);
                if !(1..=12).contains(&m) {
                    return Err(format!("`{s}` has month {m}: months run from 01 to 12"));
                }
                Ok(PartialDate {
                    year: y as i32,
                    month: m,
                    day: None,
                })
            }
            [y, m, d] => {
                let (y, m, d) = (
                    num(y, 4).ok_or_else(bad)?,
                    num(m, 2).ok_or_else(bad)?,
                    num(d, 2).ok_or_else(bad)?,
                );
                if chrono::NaiveDate::from_ymd_opt(y as i32, m, d).is_none() {
                    return Err(format!("`{s}` is not a day on the calendar"));
                }
                Ok(PartialDate {
                    year: y as i32,
                    month: m,
                    day: Some(d),
                })
            }
            _ => Err(bad()),
        }
    }
}

impl PartialDate {
    /// "31 January 2025" or "January 2025".
    pub fn human(&self) -> String {
        let month = MONTHS[(self.month - 1) as usize];
        match self.day {
            Some(d) => format!("{d} {month} {}", self.year),
            None => format!("{month} {}", self.year),
        }
    }

    /// "on 31 January 2025" or "in January 2025", to follow "checked" or "written".
    pub fn on(&self) -> String {
        match self.day {
            Some(_) => format!("on {}", self.human()),
            None => format!("in {}", self.human()),
        }
    }

    /// How long before `today` this was, in words a reader can take in at once:
    /// "less than a month ago", "more than 3 months ago", "more than a year ago",
    /// "more than 11 years ago". A month-only date counts from its last day.
    pub fn age_in_words(&self, today: chrono::NaiveDate) -> String {
        let then = self.last_day();
        let mut months =
            (today.year() - then.year()) * 12 + today.month() as i32 - then.month() as i32;
        if today.day() < then.day() {
            months -= 1;
        }
        match months {
            i32::MIN..=0 => "less than a month ago".into(),
            1 => "more than a month ago".into(),
            2..=11 => format!("more than {months} months ago"),
            12..=23 => "more than a year ago".into(),
            _ => format!("more than {} years ago", months / 12),
        }
    }

    /// Machine-readable form for `<time datetime>`: `2025-01-31` or `2025-01`.
    pub fn iso(&self) -> String {
        match self.day {
            Some(d) => format!("{:04}-{:02}-{:02}", self.year, self.month, d),
            None => format!("{:04}-{:02}", self.year, self.month),
        }
    }

    /// The last day the date could mean: a month-only date could be any day in it.
    pub fn last_day(&self) -> chrono::NaiveDate {
        match self.day {
            Some(d) => chrono::NaiveDate::from_ymd_opt(self.year, self.month, d)
                .expect("checked when parsed"),
            None => {
                let next = chrono::NaiveDate::from_ymd_opt(self.year, self.month, 1)
                    .expect("checked when parsed")
                    + chrono::Months::new(1);
                next.pred_opt().expect("not the first day of the calendar")
            }
        }
    }

    /// Whether a review on this date is older than `months` months on `today`. The
    /// record gets the benefit of the doubt: a month-only date counts as its last day.
    pub fn is_older_than(&self, months: u32, today: chrono::NaiveDate) -> bool {
        let limit = self
            .last_day()
            .checked_add_months(chrono::Months::new(months))
            .unwrap_or(chrono::NaiveDate::MAX);
        today > limit
    }

    /// The first day the date could mean (for sorting and comparisons).
    pub fn first_day(&self) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(self.year, self.month, self.day.unwrap_or(1))
            .expect("checked when parsed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_counted_in_whole_months_and_years_from_the_last_possible_day() {
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let date = |s: &str| DateValue(s.into()).parse().unwrap();
        let cases = [
            ("2014-07-24", "2026-11-23", "more than 12 years ago"),
            ("2014-07-24", "2026-07-23", "more than 11 years ago"),
            ("2016-01", "2026-11-23", "more than 10 years ago"),
            ("2025-01", "2026-01-31", "more than a year ago"),
            ("2025-01", "2026-01-30", "more than 11 months ago"),
            ("2025-10-01", "2025-12-01", "more than 2 months ago"),
            ("2025-10-02", "2025-12-01", "more than a month ago"),
            ("2025-11", "2025-11-30", "less than a month ago"),
            ("2026-01-01", "2025-12-01", "less than a month ago"),
        ];
        for (checked, today, words) in cases {
            assert_eq!(
                date(checked).age_in_words(day(today)),
                words,
                "{checked} on {today}"
            );
        }
        assert_eq!(date("2025-01-31").on(), "on 31 January 2025");
        assert_eq!(date("2025-01").on(), "in January 2025");
    }

    #[test]
    fn dates_parse_full_and_month_only() {
        assert_eq!(
            DateValue("2025-01-31".into()).parse().unwrap(),
            PartialDate {
                year: 2025,
                month: 1,
                day: Some(31)
            }
        );
        assert_eq!(
            DateValue("2016-01".into()).parse().unwrap().human(),
            "January 2016"
        );
        assert_eq!(
            DateValue("2025-01-31".into()).parse().unwrap().human(),
            "31 January 2025"
        );
    }

    #[test]
    fn bad_dates_say_what_was_expected() {
        assert!(DateValue("2025-02-30".into())
            .parse()
            .unwrap_err()
            .contains("not a day on the calendar"));
        assert!(DateValue("2025-13".into())
            .parse()
            .unwrap_err()
            .contains("months run from 01 to 12"));
        assert!(DateValue("31/01/2025".into())
            .parse()
            .unwrap_err()
            .contains("expected YYYY-MM-DD"));
    }

    #[test]
    fn staleness_boundary_is_exact() {
        let d = |s: &str| DateValue(s.into()).parse().unwrap();
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // Reviewed 31 January: six months later is 31 July; stale from 1 August.
        assert!(!d("2025-01-31").is_older_than(6, day("2025-07-31")));
        assert!(d("2025-01-31").is_older_than(6, day("2025-08-01")));
        // 31 August + 6 months is the end of February.
        assert!(!d("2024-08-31").is_older_than(6, day("2025-02-28")));
        assert!(d("2024-08-31").is_older_than(6, day("2025-03-01")));
        // A month-only date counts as the last day of that month.
        assert!(!d("2025-01").is_older_than(6, day("2025-07-31")));
        assert!(d("2025-01").is_older_than(6, day("2025-08-01")));
        assert!(!d("2025-01-15").is_older_than(0, day("2025-01-15")));
    }

    #[test]
    fn toml_dates_and_strings_both_deserialize() {
        #[derive(Deserialize)]
        struct T {
            a: DateValue,
            b: DateValue,
        }
        let t: T = toml::from_str("a = 2025-01-31\nb = \"2025-01\"\n").unwrap();
        assert_eq!(t.a.0, "2025-01-31");
        assert_eq!(t.b.0, "2025-01");
    }
}
