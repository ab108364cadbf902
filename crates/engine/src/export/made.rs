//! When a report was made. The engine has no clock: the caller reads one (the command line
//! the system's, or `SOURCE_DATE_EPOCH` for a reproducible build; the web app the browser's)
//! and hands the time in; without one, the exports carry no date and stay byte-identical.

/// A moment in UTC, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Made {
    pub year: i64,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl Made {
    /// The moment `secs` seconds after 1970-01-01 00:00 UTC (the civil calendar from days,
    /// as in Howard Hinnant's `civil_from_days`).
    pub fn from_unix(secs: i64) -> Made {
        let days = secs.div_euclid(86_400);
        let rest = secs.rem_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        let small = |v: i64| u8::try_from(v).unwrap_or(0);
        Made {
            year,
            month: small(month),
            day: small(day),
            hour: small(rest / 3600),
            minute: small(rest % 3600 / 60),
            second: small(rest % 60),
        }
    }

    /// The moment `ms` milliseconds after 1970-01-01 00:00 UTC (a browser's `Date.now()`).
    pub fn from_unix_ms(ms: f64) -> Made {
        Made::from_unix((ms / 1000.0).floor() as i64)
    }

    /// `2026-12-07 23:59 UTC`.
    pub fn text(&self) -> String {
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02} UTC",
            self.year, self.month, self.day, self.hour, self.minute
        )
    }

    /// The date as a zip entry's modification time (which cannot hold a year before 1980 or
    /// after 2107: then none).
    pub fn zip_time(&self) -> Option<zip::DateTime> {
        let year = u16::try_from(self.year).ok()?;
        zip::DateTime::from_date_and_time(
            year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
        )
        .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_seconds_read_as_the_civil_date_in_utc() {
        assert_eq!(Made::from_unix(0).text(), "1970-01-01 00:00 UTC");
        // 2026-12-07 23:42:32 UTC.
        let m = Made::from_unix(1_796_686_952);
        assert_eq!(
            (m.year, m.month, m.day, m.hour, m.minute, m.second),
            (2026, 12, 7, 23, 42, 32)
        );
        // A leap day, and the day after.
        assert_eq!(
            Made::from_unix(1_709_164_800).text(),
            "2024-02-29 00:00 UTC"
        );
        assert_eq!(
            Made::from_unix(1_709_251_200).text(),
            "2024-03-01 00:00 UTC"
        );
        assert_eq!(Made::from_unix_ms(1_796_686_952_999.0), m);
        assert!(Made::from_unix(0).zip_time().is_none());
        assert!(Made::from_unix(1_796_686_952).zip_time().is_some());
    }
}
