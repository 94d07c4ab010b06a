//! Log excerpts of failures without a kernel splat: a test's own assertion messages (the
//! co-failing family, the distinct bug beside it, the intermittent tests, the late-confirmed
//! and two-boards regressions, the one-off) and a CIP-style boot that never reached a login
//! prompt. None of them carries a crash report, so nothing but the failures themselves (which
//! tests, which boards, which nights) tells an engine what belongs together.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::console::{ConsoleLog, ExcerptContext};
use super::harness::{kselftest_begin, kselftest_end, ltp_begin, ltp_end};
use super::random::pick;
use super::tables::Arch;

/// The two-boards regression: one seccomp user-notification case fails its assertion.
pub(super) fn seccomp(log: &mut ConsoleLog, rng: &mut ChaCha8Rng, run: &ExcerptContext) {
    kselftest_begin(log, rng, run);
    log.user(rng, "# TAP version 13");
    log.user(rng, "# 1..98");
    log.user(rng, "# # Starting 98 tests from 9 fixtures.");
    let before = [
        "global.kcmp",
        "global.mode_strict_support",
        "global.mode_filter_support",
        "global.user_notification_basic",
        "global.user_notification_with_tsync",
    ];
    for (i, case) in before.iter().enumerate() {
        log.user(rng, &format!("# #  RUN           {case} ..."));
        log.user(rng, &format!("# #            OK  {case}"));
        log.user(rng, &format!("# ok {} {case}", i + 1));
    }
    let case = "global.user_notification_addfd";
    log.user(rng, &format!("# #  RUN           {case} ..."));
    log.user(rng, "# seccomp_bpf.c:4180:user_notification_addfd:Expected ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd) (-1) == nextfd++ (5)");
    log.user(
        rng,
        "# seccomp_bpf.c:4181:user_notification_addfd:Expected errno (22) == 0 (0)",
    );
    log.user(
        rng,
        "# user_notification_addfd: Test terminated by assertion",
    );
    log.user(rng, &format!("# #          FAIL  {case}"));
    log.user(rng, &format!("# not ok 62 {case}"));
    log.user(rng, "# # FAILED: 97 / 98 tests passed.");
    log.user(
        rng,
        "# # Totals: pass:97 fail:1 xfail:0 xpass:0 skip:0 error:0",
    );
    kselftest_end(log, rng, run, "exit=1");
}

/// One test of the co-failing family: LTP's direct-I/O tests (`dio01` runs `diotest1`...), all
/// failing the same way since one commit.
pub(super) fn dio(log: &mut ConsoleLog, rng: &mut ChaCha8Rng, run: &ExcerptContext) {
    let case = run.case_name().to_string();
    let n: u32 = case
        .trim_start_matches("dio")
        .parse::<u32>()
        .map_or(1, |n| (n - 1) % 6 + 1);
    ltp_begin(log, rng, run);
    let bufsize = *pick(rng, &[4096u32, 8192, 65536]);
    log.user(
        rng,
        &format!("{case}: diotest{n} -b {bufsize} -n 100 -i 1000 -o 1024000"),
    );
    log.user(
        rng,
        &format!("diotest{n}    1  TPASS  :  Opened /tmp/ltp-dio{n}/testdata-{n} with O_DIRECT"),
    );
    let offset = u64::from(rng.random_range(1..100u32)) * u64::from(bufsize);
    log.user(
        rng,
        &format!(
            "diotest{n}    2  TFAIL  :  diotest{n}.c:{}: read() of {bufsize} bytes at offset {offset} returned 0, expected {bufsize}",
            120 + n * 7
        ),
    );
    log.user(
        rng,
        &format!("diotest{n}    3  TFAIL  :  diotest{n}.c:{}: data mismatch at offset {offset}: buffers differ", 150 + n * 7),
    );
    ltp_end(log, rng, run, [1, 2, 0, 0]);
}

/// The distinct bug sharing the family's window: KSM no longer unmerges zero pages.
pub(super) fn ksm(log: &mut ConsoleLog, rng: &mut ChaCha8Rng, run: &ExcerptContext) {
    kselftest_begin(log, rng, run);
    log.user(rng, "# TAP version 13");
    log.user(rng, "# 1..9");
    log.user(rng, "# # [RUN] test_unmerge");
    log.user(rng, "# ok 1 Pages were unmerged");
    log.user(rng, "# # [RUN] test_unmerge_zero_pages");
    let left = rng.random_range(2..64u32);
    log.user(
        rng,
        &format!("# # KSM zero pages: {left} still mapped after unmerge"),
    );
    log.user(rng, "# not ok 2 KSM zero pages were not unmerged");
    for (i, t) in [
        "Pages were unmerged",
        "Pages were unmerged",
        "Pages were unmerged",
        "Pages were unmerged",
        "Setting/clearing PR_SET_MEMORY_MERGE works",
        "PR_SET_MEMORY_MERGE value is inherited",
        "No pages got merged",
    ]
    .iter()
    .enumerate()
    {
        log.user(rng, &format!("# ok {} {t}", i + 3));
    }
    log.user(
        rng,
        "# # Totals: pass:8 fail:1 xfail:0 xpass:0 skip:0 error:0",
    );
    kselftest_end(log, rng, run, "exit=1");
}

/// An intermittent failure: a timing-sensitive test missing its bound this time.
pub(super) fn intermittent(log: &mut ConsoleLog, rng: &mut ChaCha8Rng, run: &ExcerptContext) {
    let ms = rng.random_range(1_010..9_000u32);
    match run.case_name() {
        "nanosleep" => {
            kselftest_begin(log, rng, run);
            for clock in ["CLOCK_REALTIME", "CLOCK_MONOTONIC"] {
                log.user(rng, &format!("# Nanosleep {clock:<28}[OK]"));
            }
            log.user(
                rng,
                "# Nanosleep CLOCK_MONOTONIC_RAW            [UNSUPPORTED]",
            );
            log.user(
                rng,
                &format!(
                    "# Nanosleep CLOCK_BOOTTIME                  Large rel: slept {}us, expected <= 1000us",
                    ms
                ),
            );
            log.user(rng, "# Nanosleep CLOCK_BOOTTIME                  [FAILED]");
            kselftest_end(log, rng, run, "exit=1");
        }
        "fsync02" => {
            ltp_begin(log, rng, run);
            log.user(
                rng,
                "tst_device.c:98: TINFO: Found free device 0 '/dev/loop0'",
            );
            log.user(
                rng,
                &format!(
                    "fsync02.c:97: TFAIL: fsync took too long: {}.{:03}s",
                    ms / 20,
                    ms % 1000
                ),
            );
            ltp_end(log, rng, run, [0, 1, 0, 0]);
        }
        "mq_timedreceive01" => {
            ltp_begin(log, rng, run);
            log.user(
                rng,
                "mq_timedreceive01.c:154: TPASS: mq_timedreceive() returned 0 as expected",
            );
            log.user(
                rng,
                &format!(
                    "mq_timedreceive01.c:206: TFAIL: mq_timedreceive() timeout took {}.{:03}s, expected about 1s",
                    ms / 1000,
                    ms % 1000
                ),
            );
            ltp_end(log, rng, run, [11, 1, 0, 0]);
        }
        _ => {
            ltp_begin(log, rng, run);
            let clock = *pick(rng, &["CLOCK_MONOTONIC", "CLOCK_BOOTTIME"]);
            let (a, b) = (
                rng.random_range(0..1_000_000u32),
                rng.random_range(0..1_000_000u32),
            );
            log.user(
                rng,
                &format!(
                    "clock_gettime03.c:111: TFAIL: {clock}: parent {ms}.{a:06} child {}.{b:06} diff {} expected 10000",
                    ms + 10_000,
                    10_000 + ms % 7
                ),
            );
            ltp_end(log, rng, run, [3, 1, 0, 0]);
        }
    }
}

/// The regression on the flaky test: every timed receive now fails at once.
pub(super) fn mq_broken(log: &mut ConsoleLog, rng: &mut ChaCha8Rng, run: &ExcerptContext) {
    ltp_begin(log, rng, run);
    for (line, what) in [
        (182, "timeout already expired"),
        (182, "timeout in the past"),
        (190, "blocking receive with timeout"),
    ] {
        log.user(
            rng,
            &format!("mq_timedreceive01.c:{line}: TFAIL: {what}: mq_timedreceive() returned -1, expected 0: ETIMEDOUT (110)"),
        );
    }
    ltp_end(log, rng, run, [9, 3, 0, 0]);
}

/// A CIP-style job whose kernel never reached a login prompt: the root device never appears.
pub(super) fn job_boot(log: &mut ConsoleLog, rng: &mut ChaCha8Rng, run: &ExcerptContext) {
    log.restart_at(rng.random_range(0..2_000u64));
    log.kernel(rng, "Booting Linux on physical CPU 0x0");
    let job = rng.random_range(100_000..999_999u32);
    log.kernel(
        rng,
        &format!(
            "Linux version {} (KernelCI@build-j{job}) ({}) #1 SMP",
            run.uname, run.compiler
        ),
    );
    let cpu = if run.arch == Arch::Arm {
        "CPU: ARMv7 Processor [413fc0f2] revision 2 (ARMv7), cr=10c5387d"
    } else {
        "CPU features: detected: 32-bit EL0 Support"
    };
    log.kernel(rng, cpu);
    log.kernel(rng, &format!("Machine model: {}", run.hw));
    log.wait(rng, 2);
    log.kernel(
        rng,
        "renesas_sdhi_internal_dmac ee100000.mmc: mmc0 base at 0xee100000, max clock rate 97 MHz",
    );
    log.kernel(rng, "Waiting for root device /dev/mmcblk0p1...");
    log.wait(rng, 10);
    log.kernel(rng, "mmc0: error -110 whilst initialising SD card");
    log.wait(rng, 100);
    log.user(
        rng,
        "auto-login-action: Wait for prompt ['login:', 'root@'] (timeout 00:02:00)",
    );
    log.user(rng, "auto-login-action timed out after 120 seconds");
    log.user(
        rng,
        "end: 2.4.4 auto-login-action (duration 00:02:00) [common]",
    );
    log.user(rng, "case: auto-login-action");
    log.user(rng, "result: fail");
    log.user(
        rng,
        "JobError: auto-login-action timed out after 120 seconds",
    );
}

/// The late-confirmed regression: LTP's inode-allocation stress runs out of inodes.
pub(super) fn fs_inod(log: &mut ConsoleLog, rng: &mut ChaCha8Rng, run: &ExcerptContext) {
    ltp_begin(log, rng, run);
    log.user(
        rng,
        "fs_inod01 1 TINFO: Creating 1 directories, 100 sub-directories, 100 files each",
    );
    let (dir, file) = (rng.random_range(40..99u32), rng.random_range(0..99u32));
    log.user(
        rng,
        &format!(
            "fs_inod01 1 TFAIL: touch failed on dir0/subdir{dir}/file{file}: No space left on device"
        ),
    );
    ltp_end(log, rng, run, [0, 1, 0, 0]);
}

/// The one-off: execveat's child dies once, and never again.
pub(super) fn execveat(log: &mut ConsoleLog, rng: &mut ChaCha8Rng, run: &ExcerptContext) {
    kselftest_begin(log, rng, run);
    for check in [
        "Check success of execveat(3, '../execveat', 0)... [OK]",
        "Check success of execveat(5, 'execveat', 0)... [OK]",
        "Check success of execveat(6, 'execveat', 0)... [OK]",
    ] {
        log.user(rng, &format!("# {check}"));
    }
    let pid = rng.random_range(300..9000u32);
    log.user(
        rng,
        &format!("# Check success of execveat(9, '', 4096)... [FAIL] (child {pid} exited with 1 not 0 nor 127)"),
    );
    kselftest_end(log, rng, run, "exit=1");
}
