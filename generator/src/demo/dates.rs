//! Dates and times as the submitters write them, and the small conversions the generator needs.

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta, Timelike, Weekday};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// `2026-11-20` (day folders, the about page).
pub(super) fn ymd(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// Days since the Common Era: a stable integer key of a date for seeding streams.
pub(super) fn day_number(d: NaiveDate) -> u64 {
    u64::try_from(d.num_days_from_ce()).unwrap_or(0)
}

pub(super) fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// `2026-11-20T03:12:45.123456`
pub(super) fn iso_datetime(dt: &NaiveDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        dt.nanosecond() / 1000
    )
}

/// KCIDB timestamp: `2026-11-20T03:12:45.123456+00:00`
pub(super) fn kcidb_timestamp(dt: &NaiveDateTime) -> String {
    let mut s = iso_datetime(dt);
    s.push_str("+00:00");
    s
}

pub(super) fn unix_seconds(dt: &NaiveDateTime) -> i64 {
    dt.and_utc().timestamp()
}

pub(super) fn seconds(s: u64) -> TimeDelta {
    TimeDelta::seconds(i64::try_from(s).unwrap_or(0))
}

/// A random sub-second part, so timestamps do not all end in `.000000`.
pub(super) fn random_micros(rng: &mut ChaCha8Rng) -> TimeDelta {
    TimeDelta::microseconds(rng.random_range(0..1_000_000i64))
}

pub(super) fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(0, 0, 0).expect("midnight exists")
}
