//! How the test harnesses open and close a test's output on the console: kselftest's
//! `# selftests:` banner and `not ok` line, LTP's banner and summary, each ending with the LAVA
//! result signal. Shared by every excerpt that shows a harness.

use rand_chacha::ChaCha8Rng;

use super::console::{ConsoleLog, ExcerptContext};
use super::random::fnv;
use super::tables::Origin;

/// `# selftests: <dir>: <name>`, opening a kselftest's output.
pub(super) fn kselftest_begin(log: &mut ConsoleLog, rng: &mut ChaCha8Rng, run: &ExcerptContext) {
    let mut it = run.path.split('.').skip(1);
    let dir = it.next().unwrap_or("");
    let name = it.next().unwrap_or("");
    log.user(rng, &format!("# selftests: {dir}: {name}"));
}

/// The kselftest's `not ok` line and the LAVA result.
pub(super) fn kselftest_end(
    log: &mut ConsoleLog,
    rng: &mut ChaCha8Rng,
    run: &ExcerptContext,
    reason: &str,
) {
    let mut it = run.path.split('.').skip(1);
    let dir = it.next().unwrap_or("");
    let name = it.next().unwrap_or("");
    let n = fnv(run.path) % 24 + 1;
    log.user(
        rng,
        &format!("not ok {n} selftests: {dir}: {name} # {reason}"),
    );
    run.lava_result(log, rng, "fail");
}

/// The LTP test's banner.
pub(super) fn ltp_begin(log: &mut ConsoleLog, rng: &mut ChaCha8Rng, run: &ExcerptContext) {
    let case = run.case_name();
    if run.origin == Origin::Linaro {
        log.kmsg(rng, &format!("<LAVA_SIGNAL_STARTTC {case}>"));
    }
    log.user(rng, "tst_test.c:2004: TINFO: LTP version: 20260130");
    log.user(
        rng,
        &format!(
            "tst_test.c:2007: TINFO: Tested kernel: {} #1 SMP PREEMPT @{} {}",
            run.uname,
            run.build_unix,
            run.arch.uname_m()
        ),
    );
    log.user(
        rng,
        "tst_kconfig.c:88: TINFO: Parsing kernel config '/proc/config.gz'",
    );
    log.user(
        rng,
        "tst_test.c:1825: TINFO: Overall timeout per run is 0h 05m 24s",
    );
}

/// The LTP summary (`counts`: passed, failed, broken, skipped) and the LAVA result.
pub(super) fn ltp_end(
    log: &mut ConsoleLog,
    rng: &mut ChaCha8Rng,
    run: &ExcerptContext,
    counts: [u32; 4],
) {
    log.user(rng, "");
    log.user(rng, "Summary:");
    log.user(rng, &format!("passed   {}", counts[0]));
    log.user(rng, &format!("failed   {}", counts[1]));
    log.user(rng, &format!("broken   {}", counts[2]));
    log.user(rng, &format!("skipped  {}", counts[3]));
    log.user(rng, "warnings 0");
    if run.origin == Origin::Linaro {
        log.kmsg(rng, &format!("<LAVA_SIGNAL_ENDTC {}>", run.case_name()));
    }
    run.lava_result(log, rng, "fail");
}
