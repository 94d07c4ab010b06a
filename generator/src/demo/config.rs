//! What to generate: the one input of every demo history.

use chrono::NaiveDate;

/// The fewest days a history can have: every planted regression keeps two passing days before
/// its first failure, and those first confirmed (or passing again) the next night need one.
/// Smaller `days` values are raised to this. Shorter than 12 days, the planted days are moved
/// up to fit (see `planted::Timeline`).
pub const MIN_DAYS: u32 = 5;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoConfig {
    /// Seed of every random choice; the same config always gives the same bytes.
    pub seed: u64,
    /// Number of days of history, ending with `end_date` (raised to [`MIN_DAYS`] if smaller).
    pub days: u32,
    /// Last day of the history ("today"); regression statuses are relative to it.
    pub end_date: NaiveDate,
    /// Multiplies the number of boards (so test rows grow linearly); 0 counts as 1. Copy `k`
    /// of a board is named `<board>-k` (k >= 2) and sits in the same lab; single-board roles
    /// (the flaky board, the single-board regression) stay with the original board.
    pub scale: u32,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            seed: 1,
            days: 14,
            end_date: NaiveDate::from_ymd_opt(2026, 11, 20).expect("valid date"),
            scale: 1,
        }
    }
}
