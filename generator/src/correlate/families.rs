//! Test families: which tests belong together when they start failing together.
//!
//! A family is what a CI's test layout says belongs together, read from the test path alone:
//! - every boot of a job is one family, `boot`: `boot`, `boot.*` and `<job>.boot` (CIP and
//!   LAVA name a job's boot after the job: `ltp-math-tests.boot`, `wlan-smoke.boot`), since
//!   all of them are the same kernel booting on the same board;
//! - a test three or more components deep belongs to its parent, its suite or directory
//!   (`kselftest.net.tls` -> `kselftest.net`, `kunit.overflow.shift_sane_test` ->
//!   `kunit.overflow`);
//! - a two-component name (`ltp.dio01`, LTP as KernelCI, LKFT and CIP name it) belongs to its
//!   stem: the name without its number and variant suffix (`ltp.dio01` .. `ltp.dio11` ->
//!   `ltp.dio*`, `ltp.preadv03` and `ltp.preadv03_64` -> `ltp.preadv*`), which is how LTP lays
//!   out its sources (`testcases/kernel/io/direct_io/dio*.c`, `syscalls/preadv/preadv03.c`).
//!
//! A family alone never groups anything: tests of one family are one regression only when
//! they also start failing in the same window on the same environments (see `group`).

/// The variant suffixes LTP appends to a test built again for another ABI (`_64`, `_16`).
const VARIANTS: [&str; 3] = ["_64", "_32", "_16"];

/// A test path that is a boot (`boot`, `boot.*`, `<job>.boot`).
pub fn is_boot(path: &str) -> bool {
    path == "boot" || path.starts_with("boot.") || path.ends_with(".boot")
}

/// The family of a test path (see the module doc); a name of one component is its own.
pub fn family(path: &str) -> String {
    if is_boot(path) {
        return "boot".into();
    }
    match path.rsplit_once('.') {
        None => path.to_string(),
        Some((parent, _)) if parent.contains('.') => parent.to_string(),
        Some((suite, name)) => format!("{suite}.{}*", stem(name)),
    }
}

/// A test name without its trailing number and ABI variant (`preadv03_64` -> `preadv`).
fn stem(name: &str) -> &str {
    let name = VARIANTS
        .iter()
        .find_map(|v| name.strip_suffix(v))
        .unwrap_or(name);
    let trimmed = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let trimmed = trimmed.trim_end_matches(['_', '-']);
    if trimmed.is_empty() { name } else { trimmed }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boots_under_any_job_name_are_one_family() {
        for p in [
            "boot",
            "boot.login",
            "ltp-math-tests.boot",
            "wlan-smoke.boot",
        ] {
            assert_eq!(family(p), "boot", "{p}");
        }
        assert!(!is_boot("kselftest.bootconfig"));
        assert!(!is_boot("reboot"));
    }

    #[test]
    fn ltp_names_group_by_stem_and_deep_paths_by_directory() {
        assert_eq!(family("ltp.dio01"), "ltp.dio*");
        assert_eq!(family("ltp.dio11"), "ltp.dio*");
        assert_eq!(family("ltp.preadv03"), "ltp.preadv*");
        assert_eq!(family("ltp.preadv03_64"), "ltp.preadv*");
        assert_ne!(family("ltp.fcntl34"), family("ltp.fsync01"));
        assert_eq!(family("kselftest.net.tls"), "kselftest.net");
        assert_eq!(family("kunit.overflow.shift_sane_test"), "kunit.overflow");
        assert_eq!(family("ltp.syscalls.setsockopt10"), "ltp.syscalls");
        assert_eq!(family("ltp.123"), "ltp.123*");
        assert_eq!(family("kselftest"), "kselftest");
    }
}
