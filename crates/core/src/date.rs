//! Dates with a precision: `2024`, `2024-05`, `2024-05-07`.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::model::DatePrecision;

/// Why a text is not a [`PartialDate`]. Each says what was given and what is accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not of the form `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[error("`{0}` is not a date; use YYYY-MM-DD, YYYY-MM or YYYY")]
    Form(String),
    /// A month outside 01-12.
    #[error("`{text}` has month {month}; months run from 01 to 12")]
    Month {
        /// The text given.
        text: String,
        /// The month in it.
        month: u32,
    },
    /// A day the month does not have.
    #[error("`{text}` has day {day}; that month has {days} days")]
    Day {
        /// The text given.
        text: String,
        /// The day in it.
        day: u32,
        /// How many days the month has.
        days: u8,
    },
}

/// A date known to the year, the month or the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    /// Year.
    pub year: i32,
    /// Month 1-12, when known.
    pub month: Option<u8>,
    /// Day of the month, when known.
    pub day: Option<u8>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking that the day exists.
    pub fn parse(s: &str) -> Result<Self, DateError> {
        let bad = || DateError::Form(s.to_string());
        let parts: Vec<&str> = s.trim().split('-').collect();
        let num = |p: &str, len: usize| -> Result<u32, DateError> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            p.parse().map_err(|_| bad())
        };
        let year = num(parts.first().copied().unwrap_or(""), 4)? as i32;
        let month = match parts.get(1) {
            Some(m) => {
                let m = num(m, 2)?;
                if !(1..=12).contains(&m) {
                    return Err(DateError::Month { text: s.to_string(), month: m });
                }
                Some(m as u8)
            }
            None => None,
        };
        let day = match parts.get(2) {
            Some(d) => {
                let d = num(d, 2)?;
                let month = time::Month::try_from(month.unwrap_or(1)).map_err(|_| bad())?;
                let max = time::util::days_in_month(month, year);
                if d == 0 || d > u32::from(max) {
                    return Err(DateError::Day { text: s.to_string(), day: d, days: max });
                }
                Some(d as u8)
            }
            None => None,
        };
        if parts.len() > 3 {
            return Err(bad());
        }
        Ok(Self { year, month, day })
    }

    /// The precision of this date.
    pub fn precision(&self) -> DatePrecision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => DatePrecision::Day,
            (Some(_), None) => DatePrecision::Month,
            _ => DatePrecision::Year,
        }
    }

    /// ISO text in its precision.
    pub fn to_iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// A sort key: the first day the date could mean.
    pub fn sort_key(&self) -> (i32, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_iso())
    }
}

// The one storage mapping of dates: a date is stored as its ISO text in a `date` column, its
// precision as a word (`year`, `month`, `day`) in a `date_precision` column beside it. Writers
// bind `d` and `d.precision()` (or the `Option`s of both); readers get either back typed.

impl DatePrecision {
    /// The stored word: `year`, `month` or `day`.
    pub fn as_str(&self) -> &'static str {
        match self {
            DatePrecision::Year => "year",
            DatePrecision::Month => "month",
            DatePrecision::Day => "day",
        }
    }
}

impl ToSql for PartialDate {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.to_iso()))
    }
}

impl FromSql for PartialDate {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        PartialDate::parse(value.as_str()?).map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

impl ToSql for DatePrecision {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for DatePrecision {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value.as_str()? {
            "year" => Ok(DatePrecision::Year),
            "month" => Ok(DatePrecision::Month),
            "day" => Ok(DatePrecision::Day),
            other => Err(FromSqlError::Other(format!("`{other}` is not a date precision").into())),
        }
    }
}

/// The current time as RFC 3339 UTC, to the second.
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// This year (UTC).
pub fn current_year() -> i32 {
    time::OffsetDateTime::now_utc().year()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_precision() {
        assert_eq!(PartialDate::parse("2024").unwrap().precision(), DatePrecision::Year);
        assert_eq!(PartialDate::parse("2023-07").unwrap().to_iso(), "2023-07");
        assert_eq!(PartialDate::parse("2024-02-29").unwrap().precision(), DatePrecision::Day);
    }

    #[test]
    fn a_date_and_its_precision_are_stored_and_read_back() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (date TEXT, date_precision TEXT)").unwrap();
        for text in ["2024", "2023-07", "2024-02-29"] {
            let d = PartialDate::parse(text).unwrap();
            conn.execute("INSERT INTO t VALUES (?1, ?2)", rusqlite::params![d, d.precision()]).unwrap();
        }
        conn.execute("INSERT INTO t VALUES (?1, ?2)", rusqlite::params![None::<PartialDate>, None::<DatePrecision>])
            .unwrap();
        let mut stmt = conn.prepare("SELECT date, date_precision, date FROM t ORDER BY rowid").unwrap();
        let rows: Vec<(Option<String>, Option<DatePrecision>, Option<PartialDate>)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                (Some("2024".into()), Some(DatePrecision::Year), PartialDate::parse("2024").ok()),
                (Some("2023-07".into()), Some(DatePrecision::Month), PartialDate::parse("2023-07").ok()),
                (Some("2024-02-29".into()), Some(DatePrecision::Day), PartialDate::parse("2024-02-29").ok()),
                (None, None, None),
            ]
        );
        conn.execute("INSERT INTO t VALUES ('someday', 'week')", []).unwrap();
        let bad = |col: usize| {
            conn.query_row("SELECT date, date_precision FROM t WHERE date = 'someday'", [], |r| {
                if col == 0 {
                    r.get::<_, PartialDate>(0).map(|_| ())
                } else {
                    r.get::<_, DatePrecision>(1).map(|_| ())
                }
            })
            .is_err()
        };
        assert!(bad(0) && bad(1), "an unknown stored date or precision is an error, not a guess");
    }

    #[test]
    fn rejects_impossible_dates() {
        assert_eq!(
            PartialDate::parse("2025-13-40").unwrap_err().to_string(),
            "`2025-13-40` has month 13; months run from 01 to 12"
        );
        assert_eq!(
            PartialDate::parse("2023-02-29"),
            Err(DateError::Day { text: "2023-02-29".into(), day: 29, days: 28 })
        );
        assert_eq!(PartialDate::parse("Jan 2024"), Err(DateError::Form("Jan 2024".into())));
        assert_eq!(PartialDate::parse("2024-1-5"), Err(DateError::Form("2024-1-5".into())));
    }
}
