//! What is planted where and when: the timeline of the situations listed in the module
//! documentation of `demo`, the tests and boards they involve, and the crash titles a good
//! extractor should find. Days are relative to `end_date` (day 0).

/// Many-boards regression on mainline (ongoing): fails from this day on.
pub(super) const MANY_BOARDS_FROM: i32 = -4;
/// Single-board regression on next (new): fails from the last day.
pub(super) const SINGLE_BOARD_FROM: i32 = 0;
/// Single-compiler regression on mainline (ongoing).
pub(super) const SINGLE_COMPILER_FROM: i32 = -6;
/// Fixed regression on next: fails `FIXED_FROM..=FIXED_UNTIL`, passes again from the day after.
pub(super) const FIXED_FROM: i32 = -9;
pub(super) const FIXED_UNTIL: i32 = -5;
/// Single-arch regression on mainline (ongoing).
pub(super) const SINGLE_ARCH_FROM: i32 = -2;
/// The day `OUTAGE_LAB` is down.
pub(super) const OUTAGE_DAY: i32 = -3;
pub(super) const OUTAGE_LAB: &str = "lab-baylibre";
pub(super) const FLAKY_BOARD: &str = "rk3399-gru-kevin";
/// The board of the single-board regression.
pub(super) const SINGLE_BOARD: &str = "sun50i-h6-pine-h64";
/// Share of the flaky test's runs that fail (streaks of more than two are cut short).
pub(super) const FLAKY_TEST_RATE: f64 = 0.30;
/// Share of the flaky board's runs that go bad.
pub(super) const FLAKY_BOARD_RATE: f64 = 0.15;

// The test paths that take part in a situation.
pub(super) const TEST_TLS: &str = "kselftest.net.tls";
pub(super) const TEST_SETSOCKOPT: &str = "ltp.syscalls.setsockopt10";
pub(super) const TEST_EMERG: &str = "baseline.dmesg.emerg";
pub(super) const TEST_SHIFT: &str = "kunit.overflow.shift_sane_test";
pub(super) const TEST_FANOTIFY: &str = "ltp.syscalls.fanotify22";
pub(super) const TEST_POSIX_TIMERS: &str = "kselftest.timers.posix_timers";
pub(super) const TEST_UDPGSO: &str = "kselftest.net.udpgso_bench";
pub(super) const TEST_KVM: &str = "kselftest.kvm.dirty_log_perf_test";

// Crash titles of the regressions that crash (syzkaller style).
pub(super) const SIGNATURE_TLS: &str = "WARNING in tls_sw_recvmsg";
pub(super) const SIGNATURE_NULL_DEREF: &str =
    "BUG: unable to handle kernel NULL pointer dereference in sun8i_dwmac_set_syscon";
pub(super) const SIGNATURE_SLEEP: &str =
    "BUG: sleeping function called from invalid context in posix_cpu_timer_del";

/// Tests the flaky board may fail at random: none that takes part in another situation.
pub(super) fn flaky_board_may_fail(path: &str) -> bool {
    !(path == "boot"
        || path.starts_with("baseline.")
        || [
            TEST_TLS,
            TEST_SETSOCKOPT,
            TEST_SHIFT,
            TEST_FANOTIFY,
            TEST_POSIX_TIMERS,
            TEST_UDPGSO,
            TEST_KVM,
        ]
        .contains(&path))
}

/// How a planted failure fails: each kind has its own log excerpt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FailKind {
    Tls,
    NullDeref,
    Shift,
    Fanotify,
    PosixSleep,
    Udpgso,
    FlakyBoard,
    Kvm,
}

impl FailKind {
    /// The situation a failure of this kind belongs to.
    pub(super) fn situation(self) -> Planted {
        match self {
            FailKind::Tls => Planted::ManyBoards,
            FailKind::NullDeref => Planted::SingleBoard,
            FailKind::Shift => Planted::SingleCompiler,
            FailKind::Fanotify => Planted::Fixed,
            FailKind::PosixSleep => Planted::SingleArch,
            FailKind::Udpgso => Planted::FlakyTest,
            FailKind::FlakyBoard => Planted::FlakyBoard,
            FailKind::Kvm => Planted::AlwaysFailing,
        }
    }
}

/// One planted situation of one tree: the key under which the ground truth collects where it
/// showed up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Planted {
    ManyBoards,
    SingleBoard,
    SingleCompiler,
    Fixed,
    SingleArch,
    FlakyTest,
    FlakyBoard,
    LabOutage,
    AlwaysFailing,
}
