//! What is planted where and when: the timeline of the situations listed in the module
//! documentation of `demo`, the tests and boards they involve, and the crash titles a good
//! extractor should find. Days are relative to `end_date` (day 0).
//!
//! The first five regressions sit at fixed days before the end (so a 14-day demo always tells
//! the same story); the others sit at a share of the history's length, so that a night-by-night
//! replay of a long history sees first failures on many different nights. Every regression
//! keeps at least two passing days before its first failure, whatever the length.

pub(super) use super::tables::TEST_KVM;
use super::tables::{TREE_MAINLINE, TREE_NEXT, TREE_STABLE};

/// The lab that is down on `Timeline::outage_day`.
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
/// The two-boards regression (fixed after a few days).
pub(super) const TEST_SECCOMP: &str = "kselftest.seccomp.seccomp_bpf";
/// The co-failing family: `ltp.dio.dio01` .. `ltp.dio.dio08` (one suite, one bug).
pub(super) const DIO_PREFIX: &str = "ltp.dio.";
/// A distinct bug failing in the same window on the same boards as the family.
pub(super) const TEST_KSM: &str = "kselftest.mm.ksm_functional_tests";
/// The regression on a flaky test.
pub(super) const TEST_MQ: &str = "ltp.syscalls.mq_timedreceive01";
/// The regression whose first night shows one failing run on one board.
pub(super) const TEST_FS_INOD: &str = "ltp.fs.fs_inod01";
/// The one-off failure.
pub(super) const TEST_EXECVEAT: &str = "kselftest.exec.execveat";

/// The two boards of the co-failing family and of the distinct bug sharing its window.
pub(super) const FAMILY_BOARDS: [&str; 2] = ["imx8mp-evk", "rk3588-rock-5b"];
/// The two boards of the two-boards regression (one gcc build each: two environments).
pub(super) const TWO_BOARDS: [&str; 2] = ["hp-x360-14-G1-sona", "lenovo-TPad-C13-Yoga-zork"];
/// The board of the late-confirmed regression (no clang builds: one environment).
pub(super) const LATE_BOARD: &str = "dell-latitude-5400-8665U-sarien";
/// The board of the one-off failure (no clang builds: one run).
pub(super) const ONE_OFF_BOARD: &str = "beaglebone-black";

/// A test that fails intermittently on some boards, each at its own rate, in streaks: a
/// two-state Markov chain per series (a failure is followed by another with
/// [`STICKINESS_PCT`]), so series read like `PPPPFPFFPPPPFFFFFFPFF`.
pub(super) struct Intermittent {
    pub(super) test: &'static str,
    /// (base board, share of its runs that fail, in percent).
    pub(super) boards: &'static [(&'static str, u32)],
}

/// Chance that a failure of an intermittent test is followed by another, in percent.
pub(super) const STICKINESS_PCT: u32 = 50;

/// The intermittent tests (kind FlakyTest), on every tree their boards run.
pub(super) const INTERMITTENT: [Intermittent; 3] = [
    Intermittent {
        test: "ltp.syscalls.clock_gettime03",
        boards: &[
            ("qemu-arm64", 8),
            ("juno-r2", 25),
            ("dragonboard-410c", 40),
            ("x15", 15),
        ],
    },
    Intermittent {
        test: "ltp.syscalls.fsync02",
        boards: &[
            ("bcm2711-rpi-4-b", 30),
            ("beaglebone-black", 12),
            ("sun20i-d1-nezha", 5),
        ],
    },
    Intermittent {
        test: "kselftest.timers.nanosleep",
        boards: &[
            ("sc7180-trogdor-lazor-limozeen", 20),
            ("imx6q-sabrelite", 35),
            ("hp-11A-G6-EE-grunt", 10),
            ("jh7100-starfive-visionfive-v1", 15),
            ("rk3288-rock2-square", 6),
        ],
    },
];

/// The regression on a flaky test: `TEST_MQ` fails intermittently on these boards (percent)
/// on every tree, and on every run of them on mainline from `Timeline::flaky_jump_from`.
pub(super) const FLAKY_JUMP_BOARDS: &[(&str, u32)] = &[
    ("qemu-x86_64", 15),
    ("rk3399-rock-pi-4b", 12),
    ("e850-96", 18),
    ("x86", 10),
];
pub(super) const FLAKY_JUMP_TREE: usize = TREE_MAINLINE;

// Crash titles of the regressions that crash (syzkaller style).
pub(super) const SIGNATURE_TLS: &str = "WARNING in tls_sw_recvmsg";
pub(super) const SIGNATURE_NULL_DEREF: &str =
    "BUG: unable to handle kernel NULL pointer dereference in sun8i_dwmac_set_syscon";
pub(super) const SIGNATURE_SLEEP: &str =
    "BUG: sleeping function called from invalid context in posix_cpu_timer_del";

/// Every test that takes part in a planted situation (the flaky board leaves them alone, so
/// each failure has one explanation).
fn is_planted_test(path: &str) -> bool {
    path == "boot"
        || path.ends_with(".boot")
        || path.starts_with("baseline.")
        || path.starts_with(DIO_PREFIX)
        || [
            TEST_TLS,
            TEST_SETSOCKOPT,
            TEST_SHIFT,
            TEST_FANOTIFY,
            TEST_POSIX_TIMERS,
            TEST_UDPGSO,
            TEST_KVM,
            TEST_SECCOMP,
            TEST_KSM,
            TEST_MQ,
            TEST_FS_INOD,
            TEST_EXECVEAT,
        ]
        .contains(&path)
        || INTERMITTENT.iter().any(|i| i.test == path)
}

/// Tests the flaky board may fail at random: none that takes part in another situation.
pub(super) fn flaky_board_may_fail(path: &str) -> bool {
    !is_planted_test(path)
}

/// Where each situation sits in a history of `days` days: days relative to `end_date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Timeline {
    /// The first day of the history.
    pub(super) start: i32,
    /// Many-boards regression on mainline (ongoing): fails from this day on.
    pub(super) many_boards_from: i32,
    /// Single-board regression on next (new): fails from the last day.
    pub(super) single_board_from: i32,
    /// Single-compiler regression on mainline (ongoing).
    pub(super) single_compiler_from: i32,
    /// Fixed regression on next: fails `fixed_from..=fixed_until`, passes again after.
    pub(super) fixed_from: i32,
    pub(super) fixed_until: i32,
    /// Single-arch regression on mainline (ongoing).
    pub(super) single_arch_from: i32,
    /// The day `OUTAGE_LAB` is down.
    pub(super) outage_day: i32,
    /// Two-boards regression on mainline: fails `two_boards_from..=two_boards_until`.
    pub(super) two_boards_from: i32,
    pub(super) two_boards_until: i32,
    /// The co-failing family and the distinct bug sharing its window, on next.
    pub(super) family_from: i32,
    /// The flaky test that starts failing every run, on mainline.
    pub(super) flaky_jump_from: i32,
    /// The boot failure seen under several job names, on stable.
    pub(super) job_boots_from: i32,
    /// The regression first seen in one run on one board, on next.
    pub(super) late_confirmed_from: i32,
    /// The one-off failure, on stable (passes the day after).
    pub(super) one_off_day: i32,
}

impl Timeline {
    /// The timeline of a history of `days` days (at least `MIN_DAYS`).
    pub(super) fn new(days: u32) -> Timeline {
        let last = i32::try_from(days.max(2)).expect("small") - 1;
        let start = -last;
        // Earliest first failure: two passing days before it.
        let earliest = start + 2;
        let fixed = |rel: i32| rel.max(earliest).min(0);
        // At `pct` percent of the history, and never on the last day (a first failure there
        // would have no night after it).
        let share = |pct: i32| {
            let idx = (pct * last + 50) / 100;
            (idx - last).clamp(earliest, -1)
        };
        let fixed_from = fixed(-9);
        let two_boards_from = share(15);
        Timeline {
            start,
            many_boards_from: fixed(-4),
            single_board_from: 0,
            single_compiler_from: fixed(-6),
            fixed_from,
            fixed_until: (-5).max(fixed_from).min(-1),
            single_arch_from: fixed(-2),
            outage_day: (-3).max(start),
            two_boards_from,
            two_boards_until: (two_boards_from + (last / 6).max(2) - 1).min(-1),
            family_from: share(35),
            flaky_jump_from: share(50),
            job_boots_from: share(60),
            late_confirmed_from: share(75),
            one_off_day: share(45),
        }
    }
}

/// A planted regression: where, from when, until when, and what a good engine reports.
pub(super) struct PlantedRegression {
    pub(super) situation: Planted,
    pub(super) name: &'static str,
    pub(super) tree: usize,
    /// The first failing day.
    pub(super) first: i32,
    /// The first passing day again, for fixed ones (within the history or not).
    pub(super) fix: Option<i32>,
    pub(super) signature: Option<&'static str>,
    /// What the engine's scope should say (`all`, `board`, `compiler`, `arch`, `partial`).
    pub(super) scope: &'static str,
}

impl Timeline {
    /// Every planted regression, in the order the ground truth lists them.
    pub(super) fn regressions(&self) -> Vec<PlantedRegression> {
        let r = |situation, name, tree, first, fix, signature, scope| PlantedRegression {
            situation,
            name,
            tree,
            first,
            fix,
            signature,
            scope,
        };
        vec![
            r(
                Planted::ManyBoards,
                "many-boards-regression",
                TREE_MAINLINE,
                self.many_boards_from,
                None,
                Some(SIGNATURE_TLS),
                "all",
            ),
            r(
                Planted::SingleBoard,
                "single-board-regression",
                TREE_NEXT,
                self.single_board_from,
                None,
                Some(SIGNATURE_NULL_DEREF),
                "board",
            ),
            r(
                Planted::SingleCompiler,
                "single-compiler-regression",
                TREE_MAINLINE,
                self.single_compiler_from,
                None,
                None,
                "compiler",
            ),
            r(
                Planted::Fixed,
                "fixed-regression",
                TREE_NEXT,
                self.fixed_from,
                Some(self.fixed_until + 1),
                None,
                "all",
            ),
            r(
                Planted::SingleArch,
                "single-arch-regression",
                TREE_MAINLINE,
                self.single_arch_from,
                None,
                Some(SIGNATURE_SLEEP),
                "arch",
            ),
            r(
                Planted::TwoBoards,
                "two-boards-regression",
                TREE_MAINLINE,
                self.two_boards_from,
                Some(self.two_boards_until + 1),
                None,
                "partial",
            ),
            r(
                Planted::Family,
                "test-family-regression",
                TREE_NEXT,
                self.family_from,
                None,
                None,
                "partial",
            ),
            r(
                Planted::SameWindow,
                "same-window-regression",
                TREE_NEXT,
                self.family_from,
                None,
                None,
                "partial",
            ),
            r(
                Planted::FlakyJump,
                "regression-on-flaky-test",
                FLAKY_JUMP_TREE,
                self.flaky_jump_from,
                None,
                None,
                "partial",
            ),
            r(
                Planted::JobBoots,
                "boot-under-job-names-regression",
                TREE_STABLE,
                self.job_boots_from,
                None,
                None,
                "arch",
            ),
            r(
                Planted::LateConfirmed,
                "late-confirmed-regression",
                TREE_NEXT,
                self.late_confirmed_from,
                None,
                None,
                "board",
            ),
        ]
    }
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
    /// The two-boards regression (seccomp).
    Seccomp,
    /// One test of the co-failing family.
    Dio,
    /// The distinct bug sharing the family's window.
    Ksm,
    /// An intermittent failure of `INTERMITTENT[i]`.
    Intermittent(usize),
    /// `TEST_MQ` failing intermittently (before the regression, or on other trees).
    MqNoise,
    /// `TEST_MQ` failing every run (the regression).
    MqBroken,
    /// A CIP-style job whose boot never reached a login prompt.
    JobBoot,
    /// The late-confirmed regression.
    FsInod,
    /// The one-off failure.
    OneOff,
}

impl FailKind {
    /// The situation a failure of this kind on tree `tree` belongs to.
    pub(super) fn situation(self, tree: usize) -> Planted {
        match self {
            FailKind::Tls => Planted::ManyBoards,
            FailKind::NullDeref => Planted::SingleBoard,
            FailKind::Shift => Planted::SingleCompiler,
            FailKind::Fanotify => Planted::Fixed,
            FailKind::PosixSleep => Planted::SingleArch,
            FailKind::Udpgso => Planted::FlakyTest,
            FailKind::FlakyBoard => Planted::FlakyBoard,
            FailKind::Kvm => Planted::AlwaysFailing,
            FailKind::Seccomp => Planted::TwoBoards,
            FailKind::Dio => Planted::Family,
            FailKind::Ksm => Planted::SameWindow,
            FailKind::Intermittent(i) => Planted::Intermittent(i),
            // On the tree of the regression, its flaky past belongs to it; elsewhere the test
            // is just flaky.
            FailKind::MqNoise if tree == FLAKY_JUMP_TREE => Planted::FlakyJump,
            FailKind::MqNoise => Planted::Intermittent(INTERMITTENT.len()),
            FailKind::MqBroken => Planted::FlakyJump,
            FailKind::JobBoot => Planted::JobBoots,
            FailKind::FsInod => Planted::LateConfirmed,
            FailKind::OneOff => Planted::OneOff,
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
    TwoBoards,
    Family,
    SameWindow,
    FlakyJump,
    JobBoots,
    LateConfirmed,
    FlakyTest,
    /// `INTERMITTENT[i]`; `INTERMITTENT.len()` is `TEST_MQ` off the regression's tree.
    Intermittent(usize),
    FlakyBoard,
    LabOutage,
    AlwaysFailing,
    OneOff,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timelines_fit_every_length() {
        for days in 5..=60 {
            let t = Timeline::new(days);
            for r in t.regressions() {
                assert!(r.first >= t.start + 2, "{days} days: {}", r.name);
                assert!(r.first <= 0, "{days} days: {}", r.name);
                if let Some(fix) = r.fix {
                    assert!(fix > r.first, "{days} days: {}", r.name);
                }
            }
            // Those that must be confirmed (or pass again) on a later night have one.
            assert!(t.late_confirmed_from < 0 && t.one_off_day < 0);
        }
        // A 14-day history keeps the classic demo's days.
        let t = Timeline::new(14);
        assert_eq!(
            (t.many_boards_from, t.single_compiler_from, t.fixed_from),
            (-4, -6, -9)
        );
        assert_eq!(
            (t.fixed_until, t.single_arch_from, t.outage_day),
            (-5, -2, -3)
        );
        // Long histories spread first failures over many nights.
        let t = Timeline::new(30);
        let firsts: std::collections::BTreeSet<i32> =
            t.regressions().iter().map(|r| r.first).collect();
        assert!(firsts.len() >= 9, "{firsts:?}");
        assert!(firsts.iter().any(|&f| f < -20), "{firsts:?}");
    }
}
