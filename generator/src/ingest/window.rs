//! `--history-days N`: only the last N days of results are read, so a site that keeps years
//! of results builds as fast as one that keeps a month.
//!
//! A file's day is read from its path, without opening it: the last path component that is
//! (or starts with) a `YYYY-MM-DD` date, as the README asks nightly folders to be named;
//! failing that, the day the file was last modified. The window ends on the report date
//! (`--date`), else on the newest such day, and holds N days. Older files are not read (and
//! counted); files without a readable day are read. What they held ages out of the data, and
//! the ledger keeps the pages of the regressions that aged out with it.

use std::path::Path;

use chrono::{Days, NaiveDate};

use super::discover::Found;

/// The day in a path component `YYYY-MM-DD…`, the last one in the path.
pub fn path_day(path: &Path) -> Option<NaiveDate> {
    path.components().rev().find_map(|c| {
        let s = c.as_os_str().to_str()?;
        let head = s.get(..10)?;
        let date = NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()?;
        // "2026-01-02", "2026-01-02T…", "2026-01-02.json", "2026-01-02-lab": a date, then a break.
        s[10..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_ascii_alphanumeric() || c == 'T')
            .then_some(date)
    })
}

fn modified_day(path: &Path) -> Option<NaiveDate> {
    let t = std::fs::metadata(path).ok()?.modified().ok()?;
    Some(chrono::DateTime::<chrono::Utc>::from(t).date_naive())
}

/// The files of the `days` days ending on `date` (else on the newest day found), and how
/// many older ones were left out.
pub fn within(files: Vec<Found>, date: Option<NaiveDate>, days: u32) -> (Vec<Found>, usize) {
    let dated: Vec<(Found, Option<NaiveDate>)> = files
        .into_iter()
        .map(|f| {
            let day = path_day(&f.path).or_else(|| modified_day(&f.path));
            (f, day)
        })
        .collect();
    let Some(end) = date.or_else(|| dated.iter().filter_map(|(_, d)| *d).max()) else {
        return (dated.into_iter().map(|(f, _)| f).collect(), 0);
    };
    let start = end
        .checked_sub_days(Days::new(u64::from(days.max(1) - 1)))
        .unwrap_or(NaiveDate::MIN);
    let total = dated.len();
    let kept: Vec<Found> = dated
        .into_iter()
        .filter(|(_, d)| d.is_none_or(|d| d >= start))
        .map(|(f, _)| f)
        .collect();
    let aged = total - kept.len();
    (kept, aged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn found(p: &str) -> Found {
        Found {
            root: PathBuf::from("r"),
            path: PathBuf::from(p),
            listed: Ok(()),
        }
    }

    #[test]
    fn days_come_from_the_path() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        assert_eq!(
            path_day(Path::new("r/2026-01-02/maestro.json")),
            d("2026-01-02")
        );
        assert_eq!(
            path_day(Path::new("r/2026-01-02/2026-01-03.json.gz")),
            d("2026-01-03")
        );
        assert_eq!(
            path_day(Path::new("r/2026-01-02T03:04:05/x.json")),
            d("2026-01-02")
        );
        assert_eq!(
            path_day(Path::new("r/2026-01-02-lab/x.json")),
            d("2026-01-02")
        );
        assert_eq!(path_day(Path::new("r/2026-01-02x/x.json")), None);
        assert_eq!(path_day(Path::new("r/2026-13-02/x.json")), None);
        assert_eq!(path_day(Path::new("r/nightly/x.json")), None);
    }

    #[test]
    fn only_the_last_days_are_kept() {
        let files = [
            "r/2026-01-01/a.json",
            "r/2026-01-05/a.json",
            "r/2026-01-09/a.json",
            "r/2026-01-10/a.json",
        ]
        .into_iter()
        .map(found)
        .collect::<Vec<_>>();
        let (kept, aged) = within(files, None, 6);
        let names: Vec<_> = kept.iter().map(|f| f.path.display().to_string()).collect();
        assert_eq!(
            names,
            [
                "r/2026-01-05/a.json",
                "r/2026-01-09/a.json",
                "r/2026-01-10/a.json"
            ]
        );
        assert_eq!(aged, 1);
        // The window ends on --date when given; later files stay (the dataset ignores them).
        let files = [
            "r/2026-01-01/a.json",
            "r/2026-01-05/a.json",
            "r/2026-01-10/a.json",
        ]
        .into_iter()
        .map(found)
        .collect::<Vec<_>>();
        let date = NaiveDate::from_ymd_opt(2026, 1, 5);
        let (kept, aged) = within(files, date, 1);
        assert_eq!((kept.len(), aged), (2, 1));
    }
}
