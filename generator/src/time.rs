//! Timestamps as KCIDB writes them (RFC 3339): read by every parser, in the hot path of ingest.

use chrono::{DateTime, Utc};

/// Microseconds in a day: timestamps are µs since the epoch, days whole UTC days.
pub const MICROS_PER_DAY: i64 = 86_400_000_000;

/// Parses an RFC 3339 timestamp, as KCIDB writes them.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// RFC 3339 to microseconds since the epoch.
///
/// The shape every CI writes (`2026-11-20T08:00:00.123456+00:00`, `...Z`) is split by hand
/// and validated by chrono's constructors, which is several times faster than chrono's
/// general parser on tens of millions of timestamps; anything else goes to that parser.
pub fn parse_micros(s: &str) -> Option<i64> {
    fast_micros(s).or_else(|| {
        chrono::DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.timestamp_micros())
    })
}

fn fast_micros(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut i = 19;
    let mut micros = 0u32;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start < 6 {
                micros = micros * 10 + u32::from(b[i] - b'0');
            }
            i += 1;
        }
        let digits = i - start;
        if digits == 0 {
            return None;
        }
        for _ in digits..6 {
            micros *= 10;
        }
    }
    let offset_secs: i64 = match &b[i..] {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let hh = num(i + 1..i + 3)?;
            let mm = num(i + 4..i + 6)?;
            let v = i64::from(hh * 3600 + mm * 60);
            if *sign == b'-' { -v } else { v }
        }
        _ => return None,
    };
    // The checks chrono's constructors make, and the civil-date arithmetic they do: a
    // visible share of ingest when every test has a time of its own.
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&mo) || d == 0 || d > month_days[mo as usize - 1] {
        return None;
    }
    if h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    let secs = days_from_civil(i64::from(y), mo, d) * 86_400 + i64::from(h * 3600 + mi * 60 + sec)
        - offset_secs;
    Some(secs * 1_000_000 + i64::from(micros))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_timestamps_agree_with_chrono_on_every_calendar_day() {
        let mut checked = 0;
        for y in (0..=9999).step_by(3).chain([1900, 2000, 2024, 2100]) {
            for m in 1..=12 {
                for d in [1, 28, 29, 30, 31] {
                    for (time, zone) in [("00:00:00", "Z"), ("23:59:59.999999", "-07:30")] {
                        let t = format!("{y:04}-{m:02}-{d:02}T{time}{zone}");
                        let chrono = chrono::DateTime::parse_from_rfc3339(&t)
                            .ok()
                            .map(|t| t.timestamp_micros());
                        assert_eq!(fast_micros(&t), chrono, "{t}");
                        assert_eq!(parse_micros(&t), chrono, "{t}");
                        checked += chrono.is_some() as usize;
                    }
                }
            }
        }
        assert!(checked > 100_000);
    }

    #[test]
    fn fast_timestamps_agree_with_chrono() {
        for t in [
            "2026-11-20T08:00:00+00:00",
            "2026-11-20T08:00:00Z",
            "2026-11-20T08:00:00.1Z",
            "2025-07-17T19:01:23.626770+00:00",
            "2025-07-17T19:01:23.626770123-07:30",
            "2024-02-29T23:59:59.999999+14:00",
            "1970-01-01t00:00:00z",
        ] {
            let chrono = chrono::DateTime::parse_from_rfc3339(t)
                .unwrap()
                .timestamp_micros();
            assert_eq!(fast_micros(t), Some(chrono), "{t}");
        }
        for bad in [
            "2026-02-30T00:00:00Z",
            "2026-11-20T25:00:00Z",
            "2026-11-20T08:00:00",
            "yesterday",
            "2026-11-20T08:00:00.Z",
        ] {
            assert_eq!(fast_micros(bad), None, "{bad}");
            assert_eq!(
                parse_micros(bad),
                chrono::DateTime::parse_from_rfc3339(bad)
                    .ok()
                    .map(|t| t.timestamp_micros()),
                "{bad}"
            );
        }
    }
}
