//! Deterministic demo data: a multi-day KCIDB (schema v5.3) history with planted situations.
//!
//! [`generate`] builds, from a seed alone, what KernelCI (`maestro`) and LKFT (`linaro`) would have
//! submitted over `days` days for four trees (mainline, next, stable 6.12, and one GitHub-hosted
//! tree), one file per day per origin (`YYYY-MM-DD/<origin>.json`), plus a [`GroundTruth`] that
//! lists every situation planted in the data:
//!
//! | name | kind | tree | what |
//! |---|---|---|---|
//! | `many-boards-regression` | Regression | mainline | `kselftest.net.tls` and `ltp.syscalls.setsockopt10` fail on every board from day -4 with the same `WARNING in tls_sw_recvmsg` splat (one regression, two tests) |
//! | `single-board-regression` | Regression | next | `baseline.dmesg.emerg` fails on `sun50i-h6-pine-h64` only, from the last day (NULL pointer dereference) |
//! | `single-compiler-regression` | Regression | mainline | `kunit.overflow.shift_sane_test` fails on every clang-19 build from day -6 |
//! | `fixed-regression` | Regression | next | `ltp.syscalls.fanotify22` fails days -9..-5 on every board running it, fixed on day -4 |
//! | `single-arch-regression` | Regression | mainline | `kselftest.timers.posix_timers` fails on every riscv board from day -2 (sleeping-in-atomic BUG) |
//! | `flaky-test-<tree>` | FlakyTest | all | `kselftest.net.udpgso_bench` fails ~30% of runs everywhere, all days |
//! | `flaky-board-<tree>` | FlakyBoard | all | `rk3399-gru-kevin` fails 2-4 random unrelated tests at once in ~15% of its runs |
//! | `lab-outage-<tree>` | LabOutage | all | `lab-baylibre`, day -3: boot ERROR, every other test MISS |
//! | `always-failing-<tree>` | AlwaysFailing | all | `kselftest.kvm.dirty_log_perf_test` fails on every arm64 board, every day |
//!
//! Days are relative to `end_date` (day 0). Nothing else fails: an accurate engine reports exactly
//! the five regressions. Output is byte-identical for the same [`DemoConfig`] on every platform
//! (ChaCha8 streams derived from the seed; no hash-map iteration; integer-only sampling).
//!
//! Realism an ingester must cope with: each origin sends its own checkout object for the same
//! commit; LKFT (`linaro`) runs no `baseline.*` tests and shares one `start_time` per job; about
//! one maestro boot test in 20 is sent twice under the same id, first without a `status` (still
//! running), later complete; the maestro issue has `incidents` only for `kselftest.net.tls`, not
//! for the second test of the same bug. Every object sits in the file of its checkout's day.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta, Timelike, Weekday};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

// ------------------------------------------------------------------------------------------------
// Public API
// ------------------------------------------------------------------------------------------------

/// The fewest days a history can have: the planted timeline needs day -11 (two passing days
/// before the fixed regression starts on day -9). Smaller `days` values are raised to this.
pub const MIN_DAYS: u32 = 12;

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

/// One KCIDB submission file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoFile {
    /// Relative path, e.g. `2026-11-07/maestro.json`.
    pub rel_path: String,
    /// KCIDB v5.3 JSON, one object per line inside each array.
    pub contents: String,
}

/// The generated history and what was planted in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Demo {
    /// Files sorted by `rel_path` (chronological, then origin).
    pub files: Vec<DemoFile>,
    pub truth: GroundTruth,
}

impl Demo {
    /// Total size of all files in bytes.
    pub fn total_bytes(&self) -> usize {
        self.files.iter().map(|f| f.contents.len()).sum()
    }
}

/// Every planted situation; anything not listed here passes (or is SKIP).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroundTruth {
    pub situations: Vec<Situation>,
}

impl GroundTruth {
    /// The situations an accurate engine must report as regressions.
    pub fn regressions(&self) -> impl Iterator<Item = &Situation> {
        self.situations
            .iter()
            .filter(|s| s.kind == SituationKind::Regression)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SituationKind {
    Regression,
    FlakyTest,
    FlakyBoard,
    LabOutage,
    AlwaysFailing,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Situation {
    /// Unique name, e.g. `many-boards-regression`, `flaky-test-mainline`.
    pub name: String,
    pub kind: SituationKind,
    /// Regressions only: `new` | `ongoing` | `fixed`, relative to `end_date`.
    pub expected_status: Option<String>,
    pub tree_name: String,
    pub repository_url: String,
    pub branch: String,
    /// Test paths involved, sorted.
    pub tests: Vec<String>,
    /// Boards (`environment.misc.platform`) where the situation shows, sorted.
    pub platforms: Vec<String>,
    /// Labs (`misc.runtime`) of those boards, sorted.
    pub labs: Vec<String>,
    pub first_fail_commit: Option<String>,
    pub last_pass_commit: Option<String>,
    pub fix_commit: Option<String>,
    /// Crash title a good extractor should produce (syzkaller style), for crash-type failures.
    pub signature: Option<String>,
    /// `all` | `arch` | `board` | `config` | `compiler`.
    pub scope: Option<String>,
}

/// Generates the history described in the module documentation.
pub fn generate(cfg: &DemoConfig) -> Demo {
    let mut g = Gen::new(cfg);
    g.run();
    let truth = g.truth();
    let files = g
        .files
        .iter()
        .map(|((date, origin), buf)| DemoFile {
            rel_path: format!("{}/{}.json", ymd(*date), origin.as_str()),
            contents: buf.render(*origin),
        })
        .collect::<Vec<_>>();
    let mut files = files;
    files.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    Demo { files, truth }
}

/// Writes only the KCIDB files of `cfg` under `results`, one day at a time (for benchmark
/// inputs too large to hold in memory). Returns (files, bytes).
pub fn write_results(cfg: &DemoConfig, results: &std::path::Path) -> std::io::Result<(usize, u64)> {
    let mut g = Gen::new(cfg);
    let (mut files, mut bytes) = (0, 0u64);
    let mut sink = |f: DemoFile| -> std::io::Result<()> {
        let path = results.join(&f.rel_path);
        std::fs::create_dir_all(path.parent().expect("day folder"))?;
        std::fs::write(&path, &f.contents)?;
        files += 1;
        bytes += f.contents.len() as u64;
        Ok(())
    };
    g.run_streaming(Some(&mut sink))?;
    g.flush_until(g.end, &mut sink)?;
    Ok((files, bytes))
}

/// Writes the demo under `out` and returns the number of KCIDB files:
/// - `results/YYYY-MM-DD/<origin>.json`: the KCIDB input (files of an earlier demo run there are
///   removed first; nothing else in `results/` is touched);
/// - `truth.json`: the [`GroundTruth`], pretty JSON (outside `results/`, so never ingested);
/// - `content/`: a known-issue rule for the always-failing test and an `about-demo` page listing
///   what was planted.
///
/// Uses [`DemoConfig::default`] apart from `seed`, `days` and `scale`.
pub fn write_demo(
    out: &std::path::Path,
    seed: u64,
    days: u32,
    scale: u32,
) -> std::io::Result<usize> {
    let cfg = DemoConfig {
        seed,
        days,
        scale,
        ..DemoConfig::default()
    };
    let demo = generate(&cfg);
    let results = out.join("results");
    remove_old_demo_files(&results)?;
    for f in &demo.files {
        let path = results.join(&f.rel_path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, &f.contents)?;
    }
    let mut truth = serde_json::to_string_pretty(&demo.truth).map_err(std::io::Error::other)?;
    truth.push('\n');
    std::fs::write(out.join("truth.json"), truth)?;
    let content = out.join("content");
    std::fs::create_dir_all(&content)?;
    for (path, text) in CONTENT {
        let path = content.join(path);
        std::fs::create_dir_all(path.parent().expect("content files sit in a folder"))?;
        std::fs::write(path, text)?;
    }
    std::fs::write(content.join("about-demo.md"), about_page(&cfg, &demo.truth))?;
    Ok(demo.files.len())
}

/// Removes `YYYY-MM-DD/{maestro,linaro}.json` left by an earlier run (another `days` would leave
/// stale days behind), and the day folders they leave empty.
fn remove_old_demo_files(results: &std::path::Path) -> std::io::Result<()> {
    let Ok(entries) = std::fs::read_dir(results) else {
        return Ok(());
    };
    for entry in entries {
        let dir = entry?.path();
        let is_day = dir
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| NaiveDate::parse_from_str(n, "%Y-%m-%d").is_ok());
        if !is_day || !dir.is_dir() {
            continue;
        }
        for origin in [Origin::Maestro, Origin::Linaro] {
            let f = dir.join(format!("{}.json", origin.as_str()));
            if f.is_file() {
                std::fs::remove_file(&f)?;
            }
        }
        // Fails (and is left alone) when something else is inside.
        let _ = std::fs::remove_dir(&dir);
    }
    Ok(())
}

/// The demo site's maintainer content, kept in the repository's `content/` folder so it reads
/// as the example it is: `(path under content/, text)`.
const CONTENT: &[(&str, &str)] = &[
    (
        "known-issues.toml",
        include_str!("../../../content/known-issues.toml"),
    ),
    (
        "regressions/c13142317a497be3.md",
        include_str!("../../../content/regressions/c13142317a497be3.md"),
    ),
];

/// A markdown page (TOML front matter) describing what the generator planted.
fn about_page(cfg: &DemoConfig, truth: &GroundTruth) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "+++\ntitle = \"About this demo\"\n+++\n");
    let _ = writeln!(
        s,
        "This site was built from a generated history: {} days of KCIDB results from KernelCI \
         (`maestro`) and LKFT (`linaro`) ending {}, seed {}. The generator planted the \
         situations below; every other test passes or is skipped.\n",
        cfg.days.max(MIN_DAYS),
        ymd(cfg.end_date),
        cfg.seed
    );
    let _ = writeln!(s, "## Regressions a good tracker reports\n");
    for r in truth.regressions() {
        let _ = write!(
            s,
            "- **{}** on {} ({}, scope {}): `{}` on {} board(s)",
            r.name,
            r.tree_name,
            r.expected_status.as_deref().unwrap_or("?"),
            r.scope.as_deref().unwrap_or("?"),
            r.tests.join("`, `"),
            r.platforms.len()
        );
        if let Some(sig) = &r.signature {
            let _ = write!(s, ", crash `{sig}`");
        }
        s.push('\n');
    }
    let _ = writeln!(s, "\n## Failures that are not regressions\n");
    for o in truth
        .situations
        .iter()
        .filter(|s| s.kind != SituationKind::Regression)
    {
        let what = match o.kind {
            SituationKind::FlakyTest => "flaky test",
            SituationKind::FlakyBoard => "flaky board",
            SituationKind::LabOutage => "lab outage (ERROR/MISS)",
            _ => "always failing",
        };
        let subject = match o.kind {
            SituationKind::FlakyBoard => o.platforms.join(", "),
            SituationKind::LabOutage => o.labs.join(", "),
            _ => format!("`{}`", o.tests.join("`, `")),
        };
        let _ = writeln!(s, "- **{}**: {what}, {subject}", o.name);
    }
    s
}

// ------------------------------------------------------------------------------------------------
// The planted timeline (days relative to end_date)
// ------------------------------------------------------------------------------------------------

const S1_DAY: i32 = -4; // many-boards regression on mainline (ongoing)
const S2_DAY: i32 = 0; // single-board regression on next (new)
const S3_DAY: i32 = -6; // single-compiler regression on mainline (ongoing)
const S4_FROM: i32 = -9; // fixed regression on next: fails S4_FROM..=S4_TO ...
const S4_TO: i32 = -5; // ... and passes again from S4_TO + 1
const S9_DAY: i32 = -2; // single-arch regression on mainline (ongoing)
const OUTAGE_DAY: i32 = -3; // lab-baylibre down
const OUTAGE_LAB: &str = "lab-baylibre";
const FLAKY_BOARD: &str = "rk3399-gru-kevin";
const S2_BOARD: &str = "sun50i-h6-pine-h64";
const FLAKY_TEST_RATE: f64 = 0.30;
const FLAKY_BOARD_RATE: f64 = 0.15;

const P_TLS: &str = "kselftest.net.tls";
const P_SETSOCKOPT: &str = "ltp.syscalls.setsockopt10";
const P_EMERG: &str = "baseline.dmesg.emerg";
const P_SHIFT: &str = "kunit.overflow.shift_sane_test";
const P_FANOTIFY: &str = "ltp.syscalls.fanotify22";
const P_POSIX: &str = "kselftest.timers.posix_timers";
const P_UDPGSO: &str = "kselftest.net.udpgso_bench";
const P_KVM: &str = "kselftest.kvm.dirty_log_perf_test";

const SIG_TLS: &str = "WARNING in tls_sw_recvmsg";
const SIG_NULL: &str =
    "BUG: unable to handle kernel NULL pointer dereference in sun8i_dwmac_set_syscon";
const SIG_SLEEP: &str = "BUG: sleeping function called from invalid context in posix_cpu_timer_del";

// Situation codes (accumulator keys).
const SIT_S1: u8 = 1;
const SIT_S2: u8 = 2;
const SIT_S3: u8 = 3;
const SIT_S4: u8 = 4;
const SIT_S9: u8 = 9;
const SIT_FLAKY_TEST: u8 = 20;
const SIT_FLAKY_BOARD: u8 = 21;
const SIT_OUTAGE: u8 = 22;
const SIT_ALWAYS: u8 = 23;

// ------------------------------------------------------------------------------------------------
// Static tables: trees, builds, boards, tests
// ------------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Origin {
    Maestro,
    Linaro,
}

impl Origin {
    fn as_str(self) -> &'static str {
        match self {
            Origin::Maestro => "maestro",
            Origin::Linaro => "linaro",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Arch {
    X86_64,
    Arm64,
    Arm,
    Riscv,
}

impl Arch {
    fn as_str(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Arm64 => "arm64",
            Arch::Arm => "arm",
            Arch::Riscv => "riscv",
        }
    }
    fn uname_m(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Arm64 => "aarch64",
            Arch::Arm => "armv7l",
            Arch::Riscv => "riscv64",
        }
    }
}

struct TreeDef {
    name: &'static str,
    url: &'static str,
    branch: &'static str,
    origins: &'static [Origin],
    weekdays_only: bool,
    hour: u32,
}

const T_MAINLINE: usize = 0;
const T_NEXT: usize = 1;
const T_STABLE: usize = 2;
const T_GITHUB: usize = 3;

const TREES: [TreeDef; 4] = [
    TreeDef {
        name: "mainline",
        url: "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git",
        branch: "master",
        origins: &[Origin::Maestro, Origin::Linaro],
        weekdays_only: false,
        hour: 2,
    },
    TreeDef {
        name: "next",
        url: "https://git.kernel.org/pub/scm/linux/kernel/git/next/linux-next.git",
        branch: "master",
        origins: &[Origin::Maestro, Origin::Linaro],
        weekdays_only: false,
        hour: 5,
    },
    TreeDef {
        name: "stable",
        url: "https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git",
        branch: "linux-6.12.y",
        origins: &[Origin::Maestro, Origin::Linaro],
        weekdays_only: false,
        hour: 8,
    },
    TreeDef {
        name: "kernelci",
        url: "https://github.com/kernelci/linux.git",
        branch: "for-next",
        origins: &[Origin::Maestro],
        weekdays_only: true,
        hour: 11,
    },
];

const GCC: &str = "gcc-14";
const CLANG: &str = "clang-19";

struct BuildSpec {
    arch: Arch,
    config: &'static str,
    compiler: &'static str,
    tested: bool,
}

const fn spec(arch: Arch, config: &'static str, compiler: &'static str, tested: bool) -> BuildSpec {
    BuildSpec {
        arch,
        config,
        compiler,
        tested,
    }
}

const MAESTRO_BUILDS: &[BuildSpec] = &[
    spec(Arch::X86_64, "x86_64_defconfig", GCC, true),
    spec(Arch::X86_64, "x86_64_defconfig", CLANG, true),
    spec(Arch::X86_64, "allmodconfig", GCC, false),
    spec(Arch::Arm64, "defconfig", GCC, true),
    spec(Arch::Arm64, "defconfig", CLANG, true),
    spec(Arch::Arm64, "allmodconfig", CLANG, false),
    spec(Arch::Arm, "multi_v7_defconfig", GCC, true),
    spec(Arch::Arm, "multi_v7_defconfig", CLANG, true),
    spec(Arch::Arm, "imx_v6_v7_defconfig", GCC, false),
    spec(Arch::Riscv, "defconfig", GCC, true),
    spec(Arch::Riscv, "defconfig", CLANG, true),
];

const LINARO_BUILDS: &[BuildSpec] = &[
    spec(Arch::X86_64, "defconfig", GCC, true),
    spec(Arch::X86_64, "defconfig", CLANG, true),
    spec(Arch::X86_64, "tinyconfig", GCC, false),
    spec(Arch::Arm64, "defconfig", GCC, true),
    spec(Arch::Arm64, "defconfig", CLANG, true),
    spec(Arch::Arm, "multi_v7_defconfig", GCC, true),
    spec(Arch::Arm, "multi_v7_defconfig", CLANG, true),
    spec(Arch::Riscv, "defconfig", GCC, true),
    spec(Arch::Riscv, "defconfig", CLANG, true),
];

fn builds_of(origin: Origin) -> &'static [BuildSpec] {
    match origin {
        Origin::Maestro => MAESTRO_BUILDS,
        Origin::Linaro => LINARO_BUILDS,
    }
}

/// A board. `flags`: C runs clang builds, K kselftest, U kunit, L ltp, S tests stable,
/// G tests the GitHub tree, Q is a QEMU machine, R has no RTC.
struct BoardDef {
    name: &'static str,
    arch: Arch,
    origin: Origin,
    lab: &'static str,
    compatible: &'static [&'static str],
    hw: &'static str,
    cpus: u32,
    flags: &'static str,
}

#[allow(clippy::too_many_arguments)]
const fn board(
    name: &'static str,
    arch: Arch,
    origin: Origin,
    lab: &'static str,
    compatible: &'static [&'static str],
    hw: &'static str,
    cpus: u32,
    flags: &'static str,
) -> BoardDef {
    BoardDef {
        name,
        arch,
        origin,
        lab,
        compatible,
        hw,
        cpus,
        flags,
    }
}

const M: Origin = Origin::Maestro;
const L: Origin = Origin::Linaro;
const COLLABORA: &str = "lab-collabora";
const BAYLIBRE: &str = "lab-baylibre";
const BROONIE: &str = "lab-broonie";
const CLABBE: &str = "lab-clabbe";
const LAVA_LINARO: &str = "lava-linaro";
const TUXSUITE: &str = "tuxsuite";

#[rustfmt::skip]
const BOARDS: &[BoardDef] = &[
    // x86_64, KernelCI
    board("asus-C436FA-Flip-hatch", Arch::X86_64, M, COLLABORA, &[],
        "Google Hatch/Hatch, BIOS Google_Hatch.12672.1018.0 02/25/2021", 8, "CKUSG"),
    board("hp-x360-14-G1-sona", Arch::X86_64, M, COLLABORA, &[],
        "Google Nami/Nami, BIOS Google_Nami.10775.123.0 10/29/2018", 4, "KULSG"),
    board("lenovo-TPad-C13-Yoga-zork", Arch::X86_64, M, COLLABORA, &[],
        "Google Zork/Zork, BIOS Google_Zork.13434.780.0 03/22/2022", 8, "KG"),
    board("acer-cb317-1h-c3z6-dedede", Arch::X86_64, M, COLLABORA, &[],
        "Google Dedede/Dedede, BIOS Google_Dedede.13606.500.0 08/10/2022", 4, "CKU"),
    board("dell-latitude-5400-8665U-sarien", Arch::X86_64, M, COLLABORA, &[],
        "Dell Inc. Latitude 5400 Chrome/Sarien, BIOS Google_Sarien.12200.101.0 10/03/2019", 8, "KLS"),
    board("hp-11A-G6-EE-grunt", Arch::X86_64, M, COLLABORA, &[],
        "Google Grunt/Grunt, BIOS Google_Grunt.11031.149.0 07/15/2020", 2, "K"),
    board("minnowboard-turbot-E3826", Arch::X86_64, M, BAYLIBRE, &[],
        "ADI Engineering Minnowboard Turbot/Minnowboard Turbot, BIOS MNW2MAX1.X64.0100.R01.1811141729 11/14/2018", 2, "CKULS"),
    // arm64, KernelCI
    board("rk3399-gru-kevin", Arch::Arm64, M, COLLABORA,
        &["google,kevin-rev15", "google,kevin", "google,gru", "rockchip,rk3399"],
        "Google Kevin (DT)", 6, "CKULSG"),
    board("sun50i-h6-pine-h64", Arch::Arm64, M, CLABBE,
        &["pine64,pine-h64", "allwinner,sun50i-h6"],
        "Pine H64 model A (DT)", 4, "CKUS"),
    board("meson-g12b-a311d-khadas-vim3", Arch::Arm64, M, BAYLIBRE,
        &["khadas,vim3", "amlogic,a311d", "amlogic,g12b"],
        "Khadas VIM3 (DT)", 6, "CKULS"),
    board("meson-gxl-s905x-libretech-cc", Arch::Arm64, M, BAYLIBRE,
        &["libretech,aml-s905x-cc", "amlogic,s905x", "amlogic,meson-gxl"],
        "Libre Computer AML-S905X-CC (DT)", 4, "KL"),
    board("imx8mp-evk", Arch::Arm64, M, BROONIE,
        &["fsl,imx8mp-evk", "fsl,imx8mp"],
        "NXP i.MX8MPlus EVK board (DT)", 4, "CKUL"),
    board("bcm2711-rpi-4-b", Arch::Arm64, M, BROONIE,
        &["raspberrypi,4-model-b", "brcm,bcm2711"],
        "Raspberry Pi 4 Model B Rev 1.4 (DT)", 4, "KLSR"),
    board("mt8192-asurada-spherion-r0", Arch::Arm64, M, COLLABORA,
        &["google,spherion-rev3", "google,spherion-rev2", "google,spherion-rev1", "google,spherion-rev0", "google,spherion", "mediatek,mt8192"],
        "Google Spherion (rev0 - 3) (DT)", 8, "CKUG"),
    board("sc7180-trogdor-lazor-limozeen", Arch::Arm64, M, COLLABORA,
        &["google,lazor-rev4-sku6", "google,lazor-sku6", "qcom,sc7180"],
        "Google Lazor Limozeen without Touchscreen (rev4+) (DT)", 8, "KG"),
    board("rk3588-rock-5b", Arch::Arm64, M, COLLABORA,
        &["radxa,rock-5b", "rockchip,rk3588"],
        "Radxa ROCK 5B (DT)", 8, "KL"),
    board("meson-sm1-s905d3-libretech-cc", Arch::Arm64, M, BAYLIBRE,
        &["libretech,aml-s905d3-cc", "amlogic,sm1"],
        "Libre Computer AML-S905D3-CC Solitude (DT)", 4, "K"),
    // arm, KernelCI
    board("bcm2836-rpi-2-b", Arch::Arm, M, COLLABORA,
        &["raspberrypi,2-model-b", "brcm,bcm2836"],
        "BCM2835", 4, "CKUR"),
    board("imx6q-sabrelite", Arch::Arm, M, COLLABORA,
        &["fsl,imx6q-sabrelite", "fsl,imx6q"],
        "Freescale i.MX6 Quad/DualLite (Device Tree)", 4, "KLS"),
    board("beaglebone-black", Arch::Arm, M, BROONIE,
        &["ti,am335x-bone-black", "ti,am335x-bone", "ti,am33xx"],
        "Generic AM33XX (Flattened Device Tree)", 1, "KLS"),
    board("rk3288-rock2-square", Arch::Arm, M, COLLABORA,
        &["radxa,rock2-square", "rockchip,rk3288"],
        "Rockchip (Device Tree)", 4, "K"),
    board("sun7i-a20-cubieboard2", Arch::Arm, M, BAYLIBRE,
        &["cubietech,cubieboard2", "allwinner,sun7i-a20"],
        "Allwinner sun7i (A20) Family", 2, "CKU"),
    board("meson8b-odroidc1", Arch::Arm, M, BAYLIBRE,
        &["hardkernel,odroid-c1", "amlogic,meson8b"],
        "Amlogic Meson platform", 4, ""),
    // riscv, KernelCI
    board("sun20i-d1-nezha", Arch::Riscv, M, CLABBE,
        &["allwinner,d1-nezha", "allwinner,sun20i-d1"],
        "Allwinner D1 Nezha (DT)", 1, "CKUL"),
    board("jh7100-starfive-visionfive-v1", Arch::Riscv, M, CLABBE,
        &["starfive,visionfive-v1", "starfive,jh7100"],
        "StarFive VisionFive V1 (DT)", 2, "K"),
    board("jh7110-starfive-visionfive-2", Arch::Riscv, M, COLLABORA,
        &["starfive,visionfive-2-v1.3b", "starfive,jh7110"],
        "StarFive VisionFive 2 v1.3B (DT)", 4, "CKUS"),
    // LKFT
    board("qemu-x86_64", Arch::X86_64, L, TUXSUITE, &[],
        "QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.3-debian-1.16.3-2 04/01/2014", 2, "CKULSQ"),
    board("qemu-arm64", Arch::Arm64, L, TUXSUITE, &["linux,dummy-virt"],
        "linux,dummy-virt (DT)", 2, "CKULSQ"),
    board("qemu-armv7", Arch::Arm, L, TUXSUITE, &["linux,dummy-virt"],
        "Generic DT based system", 2, "CKULSQ"),
    board("qemu-riscv64", Arch::Riscv, L, TUXSUITE, &["riscv-virtio"],
        "riscv-virtio,qemu (DT)", 2, "CKULSQ"),
    board("juno-r2", Arch::Arm64, L, LAVA_LINARO,
        &["arm,juno-r2", "arm,juno", "arm,vexpress"],
        "ARM Juno development board (r2) (DT)", 6, "KLS"),
    board("x15", Arch::Arm, L, LAVA_LINARO,
        &["ti,am5728-beagle-x15", "ti,am5728", "ti,dra742", "ti,dra74", "ti,dra7"],
        "Generic DRA74X (Flattened Device Tree)", 2, "KLS"),
    board("dragonboard-410c", Arch::Arm64, L, LAVA_LINARO,
        &["qcom,apq8016-sbc", "qcom,apq8016"],
        "Qualcomm Technologies, Inc. APQ 8016 SBC (DT)", 4, "KL"),
    board("rk3399-rock-pi-4b", Arch::Arm64, L, LAVA_LINARO,
        &["radxa,rockpi4b", "radxa,rockpi4", "rockchip,rk3399"],
        "Radxa ROCK Pi 4B (DT)", 6, "CKUL"),
    board("e850-96", Arch::Arm64, L, LAVA_LINARO,
        &["winlink,e850-96", "samsung,exynos850"],
        "WinLink E850-96 board (DT)", 8, "KL"),
    board("x86", Arch::X86_64, L, LAVA_LINARO, &[],
        "Supermicro SYS-5019S-ML/X11SSH-F, BIOS 2.5 11/26/2020", 4, "KLS"),
];

/// A board instance: a base board, or one of its clones when `scale > 1`.
#[derive(Clone)]
struct Board {
    name: String,
    def: &'static BoardDef,
    /// 1 for the base board, 2.. for clones.
    copy: u32,
}

impl Board {
    fn has(&self, flag: char) -> bool {
        self.def.flags.contains(flag)
    }
    fn base_is(&self, name: &str) -> bool {
        self.copy == 1 && self.def.name == name
    }
    fn machine_slug(&self) -> u64 {
        fnv(&self.name)
    }
}

const TESTS: &[&str] = &[
    "boot",
    "baseline.login",
    "baseline.dmesg.crit",
    "baseline.dmesg.emerg",
    "kselftest.timers.posix_timers",
    "kselftest.timers.nanosleep",
    "kselftest.net.tls",
    "kselftest.net.udpgso_bench",
    "kselftest.net.reuseport_bpf",
    "kselftest.mm.ksm_functional_tests",
    "kselftest.kvm.dirty_log_perf_test",
    "kselftest.futex.futex_run_sh",
    "kselftest.seccomp.seccomp_bpf",
    "kselftest.exec.execveat",
    "kselftest.rtc.rtctest",
    "kselftest.cgroup.test_memcontrol",
    "kselftest.breakpoints.step_after_suspend_test",
    "kunit.kasan.kmalloc_oob_right",
    "kunit.overflow.shift_sane_test",
    "kunit.overflow.shift_overflow_test",
    "kunit.lib_ratelimit.test_ratelimit_smoke",
    "kunit.time_test_cases.time64_to_tm_test_date_range",
    "kunit.list-kunit-test.list_test_list_init",
    "kunit.mptcp-token.mptcp_token_test_req_basic",
    "kunit.drm_format_helper_test.drm_test_fb_xrgb8888_to_rgb565",
    "ltp.syscalls.fanotify22",
    "ltp.syscalls.mseal02",
    "ltp.syscalls.setsockopt10",
    "ltp.syscalls.clock_nanosleep01",
    "ltp.syscalls.epoll_wait02",
    "ltp.syscalls.statx04",
    "ltp.mm.vma05",
    "ltp.mm.mmap10",
    "ltp.fs.fs_inod01",
    "ltp.sched.hackbench01",
    "ltp.math.float_bessel",
    "ltp.cve.cve-2017-17806",
];

/// Tests the flaky board may fail at random: none that takes part in another situation.
fn flaky_board_may_fail(path: &str) -> bool {
    !(path == "boot"
        || path.starts_with("baseline.")
        || [
            P_TLS,
            P_SETSOCKOPT,
            P_SHIFT,
            P_FANOTIFY,
            P_POSIX,
            P_UDPGSO,
            P_KVM,
        ]
        .contains(&path))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Avail {
    Absent,
    Run,
    Skip,
}

fn availability(b: &Board, path: &str) -> Avail {
    let arch = b.def.arch;
    let qemu = b.has('Q');
    let suite = path.split('.').next().unwrap_or(path);
    match suite {
        "boot" => Avail::Run,
        // LKFT has no "baseline" jobs.
        "baseline" if b.def.origin == Origin::Maestro => Avail::Run,
        "kselftest" if b.has('K') => match path {
            P_KVM if !matches!(arch, Arch::X86_64 | Arch::Arm64) => Avail::Absent,
            P_KVM if qemu => Avail::Skip,
            "kselftest.mm.ksm_functional_tests" if arch == Arch::Arm => Avail::Skip,
            "kselftest.rtc.rtctest" if b.has('R') => Avail::Skip,
            "kselftest.breakpoints.step_after_suspend_test" if qemu || arch == Arch::Arm => {
                Avail::Skip
            }
            _ => Avail::Run,
        },
        "kunit" if b.has('U') => {
            if path.starts_with("kunit.kasan.") && arch == Arch::Arm {
                Avail::Absent
            } else {
                Avail::Run
            }
        }
        "ltp" if b.has('L') => match path {
            "ltp.syscalls.mseal02" | "ltp.syscalls.statx04" if arch == Arch::Arm => Avail::Skip,
            _ => Avail::Run,
        },
        _ => Avail::Absent,
    }
}

// ------------------------------------------------------------------------------------------------
// Deterministic randomness
// ------------------------------------------------------------------------------------------------

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn mix(seed: u64, parts: &[u64]) -> u64 {
    let mut h = splitmix(seed);
    for p in parts {
        h = splitmix(h ^ p.wrapping_mul(0x2545_F491_4F6C_DD1D));
    }
    h
}

/// An independent stream for one part of the history, so that changing one part (or the scale)
/// does not shift the random choices of the others.
fn sub_rng(seed: u64, parts: &[u64]) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(mix(seed, parts))
}

/// FNV-1a: a string hash that is the same on every platform and Rust version.
fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn hex_str(rng: &mut ChaCha8Rng, nchars: usize) -> String {
    const H: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(nchars);
    let mut bits = 0u64;
    let mut left = 0;
    for _ in 0..nchars {
        if left == 0 {
            bits = rng.random::<u64>();
            left = 16;
        }
        s.push(H[(bits & 15) as usize] as char);
        bits >>= 4;
        left -= 1;
    }
    s
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, xs: &'a [T]) -> &'a T {
    let n = u32::try_from(xs.len()).expect("short list");
    &xs[rng.random_range(0..n) as usize]
}

/// KSUID (as in LKFT/TuxSuite ids): 4-byte timestamp + 16 random bytes, base62, 27 chars.
fn ksuid(rng: &mut ChaCha8Rng, unix: i64) -> String {
    const A: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut num = [0u8; 20];
    let t = u32::try_from((unix - 1_400_000_000).clamp(0, i64::from(u32::MAX))).unwrap_or(0);
    num[..4].copy_from_slice(&t.to_be_bytes());
    for chunk in num[4..].chunks_mut(8) {
        let r = rng.random::<u64>().to_be_bytes();
        chunk.copy_from_slice(&r[..chunk.len()]);
    }
    let mut out = [b'0'; 27];
    let mut i = out.len();
    while i > 0 && num.iter().any(|&x| x != 0) {
        let mut rem = 0u32;
        for byte in num.iter_mut() {
            let acc = (rem << 8) | u32::from(*byte);
            *byte = (acc / 62) as u8;
            rem = acc % 62;
        }
        i -= 1;
        out[i] = A[rem as usize];
    }
    out.iter().map(|&c| c as char).collect()
}

fn uuid4(rng: &mut ChaCha8Rng) -> String {
    let h = hex_str(rng, 32);
    let variant = ['8', '9', 'a', 'b'][rng.random_range(0..4u32) as usize];
    format!(
        "{}-{}-4{}-{}{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        variant,
        &h[17..20],
        &h[20..32]
    )
}

// ------------------------------------------------------------------------------------------------
// Dates and times
// ------------------------------------------------------------------------------------------------

fn ymd(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn day_num(d: NaiveDate) -> u64 {
    u64::try_from(d.num_days_from_ce()).unwrap_or(0)
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// `2026-11-20T03:12:45.123456`
fn iso(dt: &NaiveDateTime) -> String {
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
fn kts(dt: &NaiveDateTime) -> String {
    let mut s = iso(dt);
    s.push_str("+00:00");
    s
}

fn unix(dt: &NaiveDateTime) -> i64 {
    dt.and_utc().timestamp()
}

fn secs(s: u64) -> TimeDelta {
    TimeDelta::seconds(i64::try_from(s).unwrap_or(0))
}

fn micros(rng: &mut ChaCha8Rng) -> TimeDelta {
    TimeDelta::microseconds(rng.random_range(0..1_000_000i64))
}

fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(0, 0, 0).expect("midnight exists")
}

// ------------------------------------------------------------------------------------------------
// Commits: hashes and `git describe` names, pure functions of (seed, tree, date)
// ------------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Commit {
    hash: String,
    name: String,
    tags: Vec<String>,
    /// `uname -r` of a kernel built from it.
    uname: String,
}

/// Mainline release of a date: v7.3 on 2026-10-04, then a 9-week cycle (2-week merge window,
/// rc1..rc7 on Sundays). Returns (tag, uname base, merge window?).
fn mainline_tag(date: NaiveDate) -> (String, String, bool) {
    let anchor = NaiveDate::from_ymd_opt(2026, 10, 4).expect("valid date");
    let w = (date - anchor).num_days().div_euclid(7);
    let minor = (3 + w.div_euclid(9)).max(0);
    let pos = w.rem_euclid(9);
    if pos < 2 {
        (format!("v7.{minor}"), format!("7.{minor}.0"), true)
    } else {
        let rc = pos - 1;
        let next = minor + 1;
        (
            format!("v7.{next}-rc{rc}"),
            format!("7.{next}.0-rc{rc}"),
            false,
        )
    }
}

/// Commits added on `date` on top of the week's tag (0 on Sundays, when the tag is cut).
fn commits_since_tag(seed: u64, tree: usize, date: NaiveDate, per_day: (u32, u32)) -> u32 {
    let dow = date.weekday().num_days_from_sunday();
    let mut n = 0;
    for back in 0..dow {
        let d = date - TimeDelta::days(i64::from(back));
        let mut r = sub_rng(seed, &[7, tree as u64, day_num(d)]);
        n += r.random_range(per_day.0..per_day.1);
    }
    n
}

fn commit_for(seed: u64, tree: usize, date: NaiveDate) -> Commit {
    let mut rng = sub_rng(seed, &[1, tree as u64, day_num(date)]);
    let hash = hex_str(&mut rng, 40);
    let (tag, base, merge_window) = mainline_tag(date);
    let per_day = if merge_window { (250, 1400) } else { (12, 160) };
    match tree {
        T_NEXT => {
            let name = format!(
                "next-{:04}{:02}{:02}",
                date.year(),
                date.month(),
                date.day()
            );
            Commit {
                uname: format!("{base}-{name}"),
                tags: vec![name.clone()],
                name,
                hash,
            }
        }
        T_STABLE => {
            let first = NaiveDate::from_ymd_opt(2024, 11, 17).expect("valid date");
            let sub = ((date - first).num_days().div_euclid(7) + 1).max(1);
            let n = commits_since_tag(seed, tree, date, (2, 25));
            let tag = format!("v6.12.{sub}");
            let base = format!("6.12.{sub}");
            described(hash, &tag, &base, n)
        }
        T_GITHUB => {
            let n = 400 + commits_since_tag(seed, tree, date, (20, 90));
            described(hash, &tag, &base, n)
        }
        _ => {
            let n = commits_since_tag(seed, tree, date, per_day);
            described(hash, &tag, &base, n)
        }
    }
}

fn described(hash: String, tag: &str, base: &str, n: u32) -> Commit {
    if n == 0 {
        Commit {
            name: tag.to_string(),
            tags: vec![tag.to_string()],
            uname: base.to_string(),
            hash,
        }
    } else {
        let short = &hash[..12];
        Commit {
            name: format!("{tag}-{n}-g{short}"),
            tags: Vec::new(),
            uname: format!("{base}-{n:05}-g{short}"),
            hash,
        }
    }
}

// ------------------------------------------------------------------------------------------------
// KCIDB objects (serialized in field order)
// ------------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct KCheckout<'a> {
    id: &'a str,
    origin: &'static str,
    tree_name: &'static str,
    git_repository_url: &'static str,
    git_repository_branch: &'static str,
    git_commit_hash: &'a str,
    git_commit_name: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    git_commit_tags: &'a [String],
    git_repository_branch_tip: bool,
    patchset_hash: &'static str,
    start_time: String,
    valid: bool,
}

#[derive(Serialize)]
struct KBuild<'a> {
    id: &'a str,
    checkout_id: &'a str,
    origin: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<&'a str>,
    start_time: String,
    duration: u64,
    architecture: &'static str,
    compiler: &'static str,
    config_name: &'static str,
    config_url: String,
    log_url: String,
    status: &'static str,
}

#[derive(Serialize)]
struct KTest<'a> {
    id: &'a str,
    build_id: &'a str,
    origin: &'static str,
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<&'a str>,
    start_time: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    environment: KEnv<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    misc: Option<KTestMisc<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    log_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    log_excerpt: Option<&'a str>,
}

#[derive(Serialize)]
struct KEnv<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    compatible: Option<&'static [&'static str]>,
    misc: KEnvMisc<'a>,
}

#[derive(Serialize)]
struct KEnvMisc<'a> {
    platform: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    job_id: Option<&'a str>,
}

#[derive(Serialize)]
struct KTestMisc<'a> {
    runtime: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_code: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_msg: Option<&'static str>,
}

#[derive(Serialize)]
struct KCulprit {
    code: bool,
    harness: bool,
    tool: bool,
}

#[derive(Serialize)]
struct KIssue<'a> {
    id: &'a str,
    version: u32,
    origin: &'static str,
    comment: &'a str,
    report_url: &'a str,
    report_subject: &'a str,
    culprit: KCulprit,
    categories: &'a [&'a str],
}

#[derive(Serialize)]
struct KIncident<'a> {
    id: &'a str,
    issue_id: &'a str,
    issue_version: u32,
    test_id: &'a str,
    origin: &'static str,
    present: bool,
    comment: &'static str,
}

fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("plain structs serialize")
}

/// One output file under construction: already serialized objects, plus the ObjectId state of
/// the origin for that day.
#[derive(Default)]
struct FileBuf {
    checkouts: Vec<String>,
    builds: Vec<String>,
    tests: Vec<String>,
    issues: Vec<String>,
    incidents: Vec<String>,
    oid_machine: u64,
    oid_counter: u32,
}

impl FileBuf {
    /// KCIDB JSON, `version` first, one object per line. Maestro always writes all five arrays
    /// (as the real pipeline does); linaro leaves out empty ones.
    fn render(&self, origin: Origin) -> String {
        let size: usize = [
            &self.checkouts,
            &self.builds,
            &self.tests,
            &self.issues,
            &self.incidents,
        ]
        .iter()
        .map(|v| v.iter().map(|s| s.len() + 6).sum::<usize>())
        .sum();
        let mut s = String::with_capacity(size + 256);
        s.push_str("{\n  \"version\": {\"major\": 5, \"minor\": 3}");
        for (key, items) in [
            ("checkouts", &self.checkouts),
            ("builds", &self.builds),
            ("tests", &self.tests),
            ("issues", &self.issues),
            ("incidents", &self.incidents),
        ] {
            if items.is_empty() && origin == Origin::Linaro {
                continue;
            }
            s.push_str(",\n  \"");
            s.push_str(key);
            s.push_str("\": [");
            if items.is_empty() {
                s.push(']');
                continue;
            }
            for (i, it) in items.iter().enumerate() {
                s.push_str(if i == 0 { "\n    " } else { ",\n    " });
                s.push_str(it);
            }
            s.push_str("\n  ]");
        }
        s.push_str("\n}\n");
        s
    }
}

// ------------------------------------------------------------------------------------------------
// The generator
// ------------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FailKind {
    Tls,
    NullDeref,
    Shift,
    Fanotify,
    PosixSleep,
    Udpgso,
    FlakyBoard,
    Kvm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Pass,
    Skip,
    Fail(FailKind),
    Error,
    Miss,
}

impl Outcome {
    fn status(self) -> &'static str {
        match self {
            Outcome::Pass => "PASS",
            Outcome::Skip => "SKIP",
            Outcome::Fail(_) => "FAIL",
            Outcome::Error => "ERROR",
            Outcome::Miss => "MISS",
        }
    }
}

#[derive(Default)]
struct Acc {
    platforms: BTreeSet<String>,
    labs: BTreeSet<String>,
    tests: BTreeSet<String>,
}

/// Where a run happens: one board booting one build of one checkout.
struct RunPlace<'a> {
    tree: usize,
    rel: i32,
    date: NaiveDate,
    origin: Origin,
    spec_idx: usize,
    spec: &'static BuildSpec,
    commit: &'a Commit,
    build_id: &'a str,
    build_oid: &'a str,
    build_end: NaiveDateTime,
}

struct Gen {
    seed: u64,
    days: u32,
    end: NaiveDate,
    boards: Vec<Board>,
    files: BTreeMap<(NaiveDate, Origin), FileBuf>,
    commits: BTreeMap<(usize, i32), Commit>,
    /// Consecutive flaky failures per (tree, board, build spec): capped so the flaky test keeps
    /// a steady-looking rate instead of long failure streaks.
    streaks: BTreeMap<(usize, usize, usize), u8>,
    acc: BTreeMap<(u8, usize), Acc>,
    /// (tree, day, test) the flaky board already failed.
    flaky_used: BTreeSet<(usize, i32, &'static str)>,
    issue_id: Option<String>,
}

impl Gen {
    fn new(cfg: &DemoConfig) -> Gen {
        let scale = cfg.scale.max(1);
        let mut boards = Vec::with_capacity(BOARDS.len() * scale as usize);
        for copy in 1..=scale {
            for def in BOARDS {
                let name = if copy == 1 {
                    def.name.to_string()
                } else {
                    format!("{}-{copy}", def.name)
                };
                boards.push(Board { name, def, copy });
            }
        }
        Gen {
            seed: cfg.seed,
            days: cfg.days.max(MIN_DAYS),
            end: cfg.end_date,
            boards,
            files: BTreeMap::new(),
            commits: BTreeMap::new(),
            streaks: BTreeMap::new(),
            acc: BTreeMap::new(),
            flaky_used: BTreeSet::new(),
            issue_id: None,
        }
    }

    fn file(&mut self, date: NaiveDate, origin: Origin) -> &mut FileBuf {
        let seed = self.seed;
        self.files.entry((date, origin)).or_insert_with(|| {
            let mut r = sub_rng(seed, &[3, day_num(date), origin as u64]);
            FileBuf {
                oid_machine: r.random::<u64>() & 0xff_ffff_ffff,
                oid_counter: r.random_range(0..0x40_0000u32),
                ..FileBuf::default()
            }
        })
    }

    /// A MongoDB ObjectId as KernelCI's maestro uses for node ids.
    fn oid(&mut self, date: NaiveDate, at: &NaiveDateTime) -> String {
        let f = self.file(date, Origin::Maestro);
        f.oid_counter = f.oid_counter.wrapping_add(1);
        format!(
            "{:08x}{:010x}{:06x}",
            unix(at) as u32,
            f.oid_machine,
            f.oid_counter & 0xff_ffff
        )
    }

    fn record(&mut self, sit: u8, tree: usize, b: &Board, path: &str) {
        let a = self.acc.entry((sit, tree)).or_default();
        a.platforms.insert(b.name.clone());
        a.labs.insert(b.def.lab.to_string());
        a.tests.insert(path.to_string());
    }

    fn run(&mut self) {
        self.run_streaming(None).expect("no sink, no errors");
    }

    /// Runs the generation; after each day, hands the files of days that are complete to
    /// `sink` (and forgets them), so a benchmark-sized history never sits in memory whole.
    /// Objects go to the file of their checkout's day, which is never later than the day
    /// being generated, so a day is complete once the next one starts.
    fn run_streaming(
        &mut self,
        mut sink: Option<&mut dyn FnMut(DemoFile) -> std::io::Result<()>>,
    ) -> std::io::Result<()> {
        let days = i64::from(self.days);
        for di in 0..days {
            if let Some(sink) = sink.as_deref_mut()
                && di > 0
            {
                let done = self.end - TimeDelta::days(days - di);
                self.flush_until(done, sink)?;
            }
            let rel = i32::try_from(di - (days - 1)).expect("small");
            let date = self.end - TimeDelta::days(days - 1 - di);
            for (ti, tree) in TREES.iter().enumerate() {
                if tree.weekdays_only && is_weekend(date) {
                    continue;
                }
                let commit = commit_for(self.seed, ti, date);
                for &origin in tree.origins {
                    self.checkout(ti, rel, date, origin, &commit);
                }
                self.commits.insert((ti, rel), commit);
            }
        }
        Ok(())
    }

    /// Renders and hands over every file dated `day` or earlier.
    fn flush_until(
        &mut self,
        day: NaiveDate,
        sink: &mut dyn FnMut(DemoFile) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let keys: Vec<(NaiveDate, Origin)> = self
            .files
            .range(..=(day, Origin::Linaro))
            .map(|(k, _)| *k)
            .collect();
        for key in keys {
            let buf = self.files.remove(&key).expect("listed key");
            sink(DemoFile {
                rel_path: format!("{}/{}.json", ymd(key.0), key.1.as_str()),
                contents: buf.render(key.1),
            })?;
        }
        Ok(())
    }

    fn checkout(&mut self, ti: usize, rel: i32, date: NaiveDate, origin: Origin, commit: &Commit) {
        let tree = &TREES[ti];
        let mut rng = sub_rng(self.seed, &[10, ti as u64, day_num(date), origin as u64]);
        let lag = match origin {
            Origin::Maestro => 0,
            Origin::Linaro => rng.random_range(600..2400u64),
        };
        let co_start = midnight(date)
            + secs(u64::from(tree.hour) * 3600 + rng.random_range(0..3000u64) + lag)
            + micros(&mut rng);
        let co_id = match origin {
            Origin::Maestro => format!("maestro:{}", self.oid(date, &co_start)),
            Origin::Linaro => format!("linaro:{}", uuid4(&mut rng)),
        };
        let json = to_json(&KCheckout {
            id: &co_id,
            origin: origin.as_str(),
            tree_name: tree.name,
            git_repository_url: tree.url,
            git_repository_branch: tree.branch,
            git_commit_hash: &commit.hash,
            git_commit_name: &commit.name,
            git_commit_tags: &commit.tags,
            git_repository_branch_tip: true,
            patchset_hash: "",
            start_time: kts(&co_start),
            valid: true,
        });
        self.file(date, origin).checkouts.push(json);

        for (si, spec) in builds_of(origin).iter().enumerate() {
            if ti == T_GITHUB && spec.compiler != GCC {
                continue;
            }
            let b_start =
                co_start + secs(rng.random_range(120..1500u64) + 40 * si as u64) + micros(&mut rng);
            let duration = if spec.tested {
                rng.random_range(280..1500u64)
            } else {
                rng.random_range(1500..3600u64)
            };
            let (build_id, build_oid, config_url, log_url) = match origin {
                Origin::Maestro => {
                    let oid = self.oid(date, &b_start);
                    let dir = format!(
                        "https://files.kernelci.org/kbuild-{}-{}-{oid}",
                        spec.compiler,
                        spec.arch.as_str()
                    );
                    (
                        format!("maestro:{oid}"),
                        oid,
                        format!("{dir}/.config"),
                        format!("{dir}/build.log.gz"),
                    )
                }
                Origin::Linaro => {
                    let k = ksuid(&mut rng, unix(&b_start));
                    let dir = format!("https://storage.tuxsuite.com/public/linaro/lkft/builds/{k}");
                    (
                        format!("linaro:{k}"),
                        k,
                        format!("{dir}/config"),
                        format!("{dir}/build.log"),
                    )
                }
            };
            let json = to_json(&KBuild {
                id: &build_id,
                checkout_id: &co_id,
                origin: origin.as_str(),
                comment: (origin == Origin::Maestro).then_some(commit.name.as_str()),
                start_time: kts(&b_start),
                duration,
                architecture: spec.arch.as_str(),
                compiler: spec.compiler,
                config_name: spec.config,
                config_url,
                log_url,
                status: "PASS",
            });
            self.file(date, origin).builds.push(json);
            if !spec.tested {
                continue;
            }
            let place = RunPlace {
                tree: ti,
                rel,
                date,
                origin,
                spec_idx: si,
                spec,
                commit,
                build_id: &build_id,
                build_oid: &build_oid,
                build_end: b_start + secs(duration),
            };
            let eligible: Vec<usize> = self
                .boards
                .iter()
                .enumerate()
                .filter(|(_, b)| {
                    let on_tree = match ti {
                        T_STABLE => b.has('S'),
                        T_GITHUB => b.has('G'),
                        _ => true,
                    };
                    b.def.origin == origin
                        && b.def.arch == spec.arch
                        && on_tree
                        && (spec.compiler != CLANG || b.has('C'))
                })
                .map(|(i, _)| i)
                .collect();
            for bi in eligible {
                self.board_run(&place, bi);
            }
        }
    }

    /// The status of one test, and the bookkeeping of the situation it belongs to.
    fn outcome(
        &mut self,
        p: &RunPlace,
        bi: usize,
        path: &str,
        avail: Avail,
        flaky_picks: &[&str],
        rng: &mut ChaCha8Rng,
    ) -> Outcome {
        let b = &self.boards[bi];
        if b.def.lab == OUTAGE_LAB && p.rel == OUTAGE_DAY {
            return if path == "boot" {
                Outcome::Error
            } else {
                Outcome::Miss
            };
        }
        if avail == Avail::Skip {
            return Outcome::Skip;
        }
        let arch = p.spec.arch;
        let planted = match p.tree {
            T_MAINLINE if p.rel >= S1_DAY && (path == P_TLS || path == P_SETSOCKOPT) => {
                Some(FailKind::Tls)
            }
            T_MAINLINE if p.rel >= S3_DAY && path == P_SHIFT && p.spec.compiler == CLANG => {
                Some(FailKind::Shift)
            }
            T_MAINLINE if p.rel >= S9_DAY && path == P_POSIX && arch == Arch::Riscv => {
                Some(FailKind::PosixSleep)
            }
            T_NEXT if p.rel >= S2_DAY && path == P_EMERG && b.base_is(S2_BOARD) => {
                Some(FailKind::NullDeref)
            }
            T_NEXT if (S4_FROM..=S4_TO).contains(&p.rel) && path == P_FANOTIFY => {
                Some(FailKind::Fanotify)
            }
            _ => None,
        };
        if let Some(kind) = planted {
            return Outcome::Fail(kind);
        }
        if path == P_KVM && arch == Arch::Arm64 {
            return Outcome::Fail(FailKind::Kvm);
        }
        if path == P_UDPGSO {
            let key = (p.tree, bi, p.spec_idx);
            let streak = self.streaks.get(&key).copied().unwrap_or(0);
            let fail = rng.random_bool(FLAKY_TEST_RATE) && streak < 2;
            self.streaks.insert(key, if fail { streak + 1 } else { 0 });
            if fail {
                return Outcome::Fail(FailKind::Udpgso);
            }
        }
        if flaky_picks.contains(&path) {
            return Outcome::Fail(FailKind::FlakyBoard);
        }
        Outcome::Pass
    }

    fn board_run(&mut self, p: &RunPlace, bi: usize) {
        let b = self.boards[bi].clone();
        let def = b.def;
        let mut rng = sub_rng(
            self.seed,
            &[
                20,
                p.tree as u64,
                day_num(p.date),
                p.origin as u64,
                p.spec_idx as u64,
                b.machine_slug(),
            ],
        );
        let tests: Vec<(&'static str, Avail)> = TESTS
            .iter()
            .map(|&t| (t, availability(&b, t)))
            .filter(|(_, a)| *a != Avail::Absent)
            .collect();
        // A bad run of the flaky board fails 2-4 unrelated tests at once (never a test it
        // already failed in another run of the same tree and day).
        let mut flaky_picks: Vec<&str> = Vec::new();
        if b.base_is(FLAKY_BOARD) && rng.random_bool(FLAKY_BOARD_RATE) {
            let pool: Vec<&'static str> = tests
                .iter()
                .filter(|(t, a)| {
                    *a == Avail::Run
                        && flaky_board_may_fail(t)
                        && !self.flaky_used.contains(&(p.tree, p.rel, *t))
                })
                .map(|(t, _)| *t)
                .collect();
            let n = rng.random_range(2..=4u32);
            for _ in 0..n * 4 {
                if flaky_picks.len() == n as usize || pool.is_empty() {
                    break;
                }
                let t = *pick(&mut rng, &pool);
                if !flaky_picks.contains(&t) {
                    flaky_picks.push(t);
                    self.flaky_used.insert((p.tree, p.rel, t));
                }
            }
        }

        let run_start = p.build_end + secs(rng.random_range(120..5400u64)) + micros(&mut rng);
        let boot_secs = rng.random_range(6..40u64);
        let slide = match def.arch {
            Arch::X86_64 => rng.random_range(0..500u64) * 0x20_0000,
            Arch::Arm64 => rng.random_range(0..4000u64) * 0x1_0000,
            _ => 0,
        };
        let lab = def.lab;
        let arch = p.spec.arch;
        let run_key = match p.origin {
            Origin::Maestro => self.oid(p.date, &run_start),
            Origin::Linaro => ksuid(&mut rng, unix(&run_start)),
        };
        let lava_job = match lab {
            COLLABORA => 20_500_000,
            BAYLIBRE => 1_310_000,
            BROONIE => 1_720_000,
            _ => 410_000,
        } + (day_num(p.date) % 1000) * 2500
            + rng.random_range(0..2400u64);
        let lava_job = lava_job.to_string();
        let linaro_log =
            format!("https://storage.tuxsuite.com/public/linaro/lkft/tests/{run_key}/logs.txt");
        let linaro_start = kts(&run_start);
        // 1 in 20 maestro runs: the boot node is first sent while still running (no status),
        // then again when complete, as KCIDB submitters do.
        let partial_boot = p.origin == Origin::Maestro && rng.random_range(0..20u32) == 0;

        let mut t = run_start;
        let mut pending_full_boot: Option<String> = None;
        for (path, avail) in tests {
            let outcome = self.outcome(p, bi, path, avail, &flaky_picks, &mut rng);
            match outcome {
                Outcome::Fail(k) => {
                    let sit = match k {
                        FailKind::Tls => SIT_S1,
                        FailKind::NullDeref => SIT_S2,
                        FailKind::Shift => SIT_S3,
                        FailKind::Fanotify => SIT_S4,
                        FailKind::PosixSleep => SIT_S9,
                        FailKind::Udpgso => SIT_FLAKY_TEST,
                        FailKind::FlakyBoard => SIT_FLAKY_BOARD,
                        FailKind::Kvm => SIT_ALWAYS,
                    };
                    self.record(sit, p.tree, &b, path);
                }
                Outcome::Error | Outcome::Miss => self.record(SIT_OUTAGE, p.tree, &b, path),
                Outcome::Pass | Outcome::Skip => {}
            }
            let uptime = boot_secs + u64::try_from((t - run_start).num_seconds()).unwrap_or(0);
            let ex = ExCtx {
                origin: p.origin,
                arch,
                compiler: p.spec.compiler,
                uname: &p.commit.uname,
                hw: def.hw,
                cpus: def.cpus,
                qemu: b.has('Q'),
                slide,
                path,
                host: t,
                uptime_s: uptime,
                build_oid: p.build_oid,
                build_unix: unix(&p.build_end) - 300,
            };
            let log_excerpt = match outcome {
                Outcome::Fail(k) => Some(excerpt(k, &ex, &mut rng)),
                Outcome::Error => Some(lava_infra_error(&ex, &mut rng)),
                _ => None,
            };
            let (misc_code, misc_msg) = match outcome {
                Outcome::Error => (
                    Some("Infrastructure"),
                    Some("http-download timed out after 600 seconds"),
                ),
                Outcome::Miss => (Some("Infrastructure"), Some("parent job did not complete")),
                _ => (None, None),
            };
            let start = match p.origin {
                Origin::Maestro => kts(&t),
                Origin::Linaro => linaro_start.clone(),
            };
            let compatible = (!def.compatible.is_empty()).then_some(def.compatible);
            let misc = Some(KTestMisc {
                runtime: lab,
                error_code: misc_code,
                error_msg: misc_msg,
            });
            match p.origin {
                Origin::Maestro => {
                    let oid = if path == "boot" {
                        run_key.clone()
                    } else {
                        self.oid(p.date, &t)
                    };
                    let id = format!("maestro:{oid}");
                    let job = maestro_job(path, arch);
                    let comment = format!("{job} on {} in {lab}", b.name);
                    let log_url = format!("https://files.kernelci.org/{job}-{run_key}/log.txt.gz");
                    let env = || KEnv {
                        compatible,
                        misc: KEnvMisc {
                            platform: &b.name,
                            job_id: Some(&lava_job),
                        },
                    };
                    let full = to_json(&KTest {
                        id: &id,
                        build_id: p.build_id,
                        origin: "maestro",
                        path,
                        comment: Some(&comment),
                        start_time: &start,
                        status: Some(outcome.status()),
                        environment: env(),
                        misc,
                        log_url: Some(&log_url),
                        log_excerpt: log_excerpt.as_deref(),
                    });
                    if path == "boot" && partial_boot {
                        let partial = to_json(&KTest {
                            id: &id,
                            build_id: p.build_id,
                            origin: "maestro",
                            path,
                            comment: Some(&comment),
                            start_time: &start,
                            status: None,
                            environment: env(),
                            misc: None,
                            log_url: None,
                            log_excerpt: None,
                        });
                        self.file(p.date, Origin::Maestro).tests.push(partial);
                        pending_full_boot = Some(full);
                    } else {
                        self.file(p.date, Origin::Maestro).tests.push(full);
                    }
                    if outcome == Outcome::Fail(FailKind::Tls) && path == P_TLS {
                        self.incident(p.date, &id, &t);
                    }
                }
                Origin::Linaro => {
                    let id = format!("linaro:{run_key}_{}", linaro_suffix(path));
                    let json = to_json(&KTest {
                        id: &id,
                        build_id: p.build_id,
                        origin: "linaro",
                        path,
                        comment: None,
                        start_time: &start,
                        status: Some(outcome.status()),
                        environment: KEnv {
                            compatible,
                            misc: KEnvMisc {
                                platform: &b.name,
                                job_id: None,
                            },
                        },
                        misc,
                        log_url: Some(&linaro_log),
                        log_excerpt: log_excerpt.as_deref(),
                    });
                    self.file(p.date, Origin::Linaro).tests.push(json);
                }
            }
            t += secs(test_duration(path, &mut rng)) + micros(&mut rng);
        }
        if let Some(full) = pending_full_boot {
            self.file(p.date, Origin::Maestro).tests.push(full);
        }
    }

    /// The maestro issue of the many-boards regression (sent once, with its first failure) and
    /// one incident per failing `kselftest.net.tls` maestro test.
    fn incident(&mut self, date: NaiveDate, test_id: &str, at: &NaiveDateTime) {
        let mut rng = sub_rng(self.seed, &[30, fnv(test_id)]);
        if self.issue_id.is_none() {
            let mut irng = sub_rng(self.seed, &[31]);
            let id = format!("maestro:{}", hex_str(&mut irng, 40));
            let msg_id = format!(
                "{}.{}.{}@kernelci.org",
                unix(at),
                irng.random_range(1000..9999u32),
                irng.random_range(1_000_000_000..4_000_000_000u64)
            );
            let report_url = format!("https://lore.kernel.org/regressions/{msg_id}/");
            let json = to_json(&KIssue {
                id: &id,
                version: 1,
                origin: "maestro",
                comment: "WARNING at net/tls/tls_sw.c:2123 tls_sw_recvmsg [logspec:kselftest,linux.kernel.warning]",
                report_url: &report_url,
                report_subject: "[REGRESSION] mainline: WARNING in tls_sw_recvmsg (kselftest.net.tls)",
                culprit: KCulprit {
                    code: true,
                    harness: false,
                    tool: false,
                },
                categories: &["runtime.warning", "runtime.networking.tls"],
            });
            self.file(date, Origin::Maestro).issues.push(json);
            self.issue_id = Some(id);
        }
        let issue_id = self.issue_id.clone().unwrap_or_default();
        let id = format!("maestro:{}", hex_str(&mut rng, 40));
        let json = to_json(&KIncident {
            id: &id,
            issue_id: &issue_id,
            issue_version: 1,
            test_id,
            origin: "maestro",
            present: true,
            comment: "test incident, automatically generated",
        });
        self.file(date, Origin::Maestro).incidents.push(json);
    }

    fn truth(&self) -> GroundTruth {
        let mut situations = Vec::new();
        struct Reg {
            code: u8,
            name: &'static str,
            tree: usize,
            status: &'static str,
            first: i32,
            fix: Option<i32>,
            sig: Option<&'static str>,
            scope: &'static str,
        }
        let regressions = [
            Reg {
                code: SIT_S1,
                name: "many-boards-regression",
                tree: T_MAINLINE,
                status: "ongoing",
                first: S1_DAY,
                fix: None,
                sig: Some(SIG_TLS),
                scope: "all",
            },
            Reg {
                code: SIT_S2,
                name: "single-board-regression",
                tree: T_NEXT,
                status: "new",
                first: S2_DAY,
                fix: None,
                sig: Some(SIG_NULL),
                scope: "board",
            },
            Reg {
                code: SIT_S3,
                name: "single-compiler-regression",
                tree: T_MAINLINE,
                status: "ongoing",
                first: S3_DAY,
                fix: None,
                sig: None,
                scope: "compiler",
            },
            Reg {
                code: SIT_S4,
                name: "fixed-regression",
                tree: T_NEXT,
                status: "fixed",
                first: S4_FROM,
                fix: Some(S4_TO + 1),
                sig: None,
                scope: "all",
            },
            Reg {
                code: SIT_S9,
                name: "single-arch-regression",
                tree: T_MAINLINE,
                status: "ongoing",
                first: S9_DAY,
                fix: None,
                sig: Some(SIG_SLEEP),
                scope: "arch",
            },
        ];
        for r in regressions {
            let hash = |rel: i32| self.commits.get(&(r.tree, rel)).map(|c| c.hash.clone());
            let mut s = self.situation(
                r.code,
                r.tree,
                r.name.to_string(),
                SituationKind::Regression,
            );
            s.expected_status = Some(r.status.to_string());
            s.first_fail_commit = hash(r.first);
            s.last_pass_commit = hash(r.first - 1);
            s.fix_commit = r.fix.and_then(hash);
            s.signature = r.sig.map(str::to_string);
            s.scope = Some(r.scope.to_string());
            situations.push(s);
        }
        let others = [
            (
                SIT_FLAKY_TEST,
                "flaky-test",
                SituationKind::FlakyTest,
                Some("all"),
            ),
            (
                SIT_FLAKY_BOARD,
                "flaky-board",
                SituationKind::FlakyBoard,
                Some("board"),
            ),
            (SIT_OUTAGE, "lab-outage", SituationKind::LabOutage, None),
            (
                SIT_ALWAYS,
                "always-failing",
                SituationKind::AlwaysFailing,
                Some("arch"),
            ),
        ];
        for (code, base, kind, scope) in others {
            for (ti, tree) in TREES.iter().enumerate() {
                if self.acc.contains_key(&(code, ti)) {
                    let mut s = self.situation(code, ti, format!("{base}-{}", tree.name), kind);
                    s.scope = scope.map(str::to_string);
                    situations.push(s);
                }
            }
        }
        GroundTruth { situations }
    }

    fn situation(&self, code: u8, tree: usize, name: String, kind: SituationKind) -> Situation {
        let t = &TREES[tree];
        let acc = self.acc.get(&(code, tree));
        let list = |f: fn(&Acc) -> &BTreeSet<String>| -> Vec<String> {
            acc.map(|a| f(a).iter().cloned().collect())
                .unwrap_or_default()
        };
        Situation {
            name,
            kind,
            expected_status: None,
            tree_name: t.name.to_string(),
            repository_url: t.url.to_string(),
            branch: t.branch.to_string(),
            tests: list(|a| &a.tests),
            platforms: list(|a| &a.platforms),
            labs: list(|a| &a.labs),
            first_fail_commit: None,
            last_pass_commit: None,
            fix_commit: None,
            signature: None,
            scope: None,
        }
    }
}

fn maestro_job(path: &str, arch: Arch) -> String {
    let mut it = path.split('.');
    let suite = it.next().unwrap_or(path);
    let group = it.next().unwrap_or("");
    let arch = if arch == Arch::X86_64 {
        "x86"
    } else {
        arch.as_str()
    };
    match suite {
        "boot" | "baseline" => format!("baseline-{arch}"),
        "kunit" => format!("kunit-{arch}"),
        _ => format!("{suite}-{group}"),
    }
}

/// LKFT test id suffix: `ltp.syscalls.fanotify22` -> `ltp-syscalls_fanotify22`.
fn linaro_suffix(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    match parts.as_slice() {
        [a, b, c] => format!("{a}-{b}_{c}"),
        [a, b] => format!("{a}_{b}"),
        _ => path.to_string(),
    }
}

fn test_duration(path: &str, rng: &mut ChaCha8Rng) -> u64 {
    let suite = path.split('.').next().unwrap_or(path);
    match suite {
        "boot" => rng.random_range(25..110),
        "baseline" => rng.random_range(1..6),
        "kselftest" => rng.random_range(4..240),
        "kunit" => rng.random_range(0..3),
        _ => rng.random_range(1..150),
    }
}

// ------------------------------------------------------------------------------------------------
// Log excerpts
// ------------------------------------------------------------------------------------------------

const MAX_EXCERPT: usize = 16_000;

/// What a log excerpt needs to know about the run.
struct ExCtx<'a> {
    origin: Origin,
    arch: Arch,
    compiler: &'static str,
    uname: &'a str,
    hw: &'static str,
    cpus: u32,
    qemu: bool,
    /// KASLR slide of this boot.
    slide: u64,
    path: &'a str,
    /// Wall-clock start of the test.
    host: NaiveDateTime,
    /// Kernel uptime at the start of the test.
    uptime_s: u64,
    build_oid: &'a str,
    build_unix: i64,
}

impl ExCtx<'_> {
    fn case(&self) -> &str {
        self.path.rsplit('.').next().unwrap_or(self.path)
    }

    fn log(&self, rng: &mut ChaCha8Rng) -> LogW {
        let host = (self.origin == Origin::Linaro).then_some(self.host);
        LogW::new(self.uptime_s, rng, host)
    }

    /// `func+0x5f/0x1a0` (plus ` [module]`): offsets depend on the build (arch, compiler).
    fn sym(&self, frame: &str) -> String {
        let (func, module) = match frame.split_once(' ') {
            Some((f, m)) => (f, Some(m)),
            None => (frame, None),
        };
        let (off, size) = fn_off(func, self.arch, self.compiler, self.uname);
        match module {
            Some(m) => format!("{func}+0x{off:x}/0x{size:x} {m}"),
            None => format!("{func}+0x{off:x}/0x{size:x}"),
        }
    }

    fn addr(&self, frame: &str) -> u64 {
        let func = frame.split(' ').next().unwrap_or(frame);
        let module = frame.contains('[');
        let h = fnv(func) ^ fnv(self.compiler).rotate_left(17);
        let (off, _) = fn_off(func, self.arch, self.compiler, self.uname);
        let base = match (self.arch, module) {
            (Arch::X86_64, false) => 0xffff_ffff_8100_0000 + self.slide + (h % 0x00f0_0000),
            (Arch::X86_64, true) => 0xffff_ffff_c000_0000 + (h % 0x0100_0000),
            (Arch::Arm64, false) => 0xffff_8000_8001_0000 + self.slide + (h % 0x0100_0000),
            (Arch::Arm64, true) => 0xffff_8000_7a00_0000 + (h % 0x0080_0000),
            (Arch::Arm, false) => 0xc010_0000 + (h % 0x0090_0000),
            (Arch::Arm, true) => 0xbf00_0000 + (h % 0x0010_0000),
            (Arch::Riscv, false) => 0xffff_ffff_8000_2000 + (h % 0x00f0_0000),
            (Arch::Riscv, true) => 0xffff_ffff_0100_0000 + (h % 0x0080_0000),
        };
        (base & !0xf) + u64::from(off)
    }

    fn cpu_line(&self, cpu: u32, pid: u32, comm: &str, taint: &str) -> String {
        let preempt = match self.arch {
            Arch::X86_64 => " PREEMPT(voluntary) ",
            Arch::Arm64 => " PREEMPT ",
            Arch::Arm => " ",
            Arch::Riscv => " ",
        };
        format!(
            "CPU: {cpu} UID: 0 PID: {pid} Comm: {comm} {taint} {} #1{preempt}",
            self.uname
        )
    }

    fn modules(&self) -> &'static str {
        match (self.arch, self.qemu) {
            (_, true) => "tls virtio_net net_failover failover virtio_rng rng_core",
            (Arch::X86_64, false) => {
                "tls ccm cmac algif_hash algif_skcipher af_alg btusb btrtl iwlmvm mac80211 cfg80211 snd_hda_codec_hdmi i915 drm_buddy ttm"
            }
            (Arch::Arm64, false) => {
                "tls ccm snd_soc_hdmi_codec brcmfmac cfg80211 rfkill panfrost drm_shmem_helper gpu_sched crct10dif_ce"
            }
            (Arch::Arm, false) => "tls snd_soc_simple_card cfg80211 rfkill",
            (Arch::Riscv, false) => "tls cfg80211 rfkill sunxi_wdt",
        }
    }

    /// `<LAVA_SIGNAL_TESTCASE ...>` line closing the excerpt.
    fn lava(&self, log: &mut LogW, rng: &mut ChaCha8Rng, result: &str) {
        let line = format!(
            "<LAVA_SIGNAL_TESTCASE TEST_CASE_ID={} RESULT={result}>",
            self.case()
        );
        match self.origin {
            Origin::Maestro => log.u(rng, &line),
            Origin::Linaro => log.k8(rng, &line),
        }
    }
}

/// Function offset and size within one build: a function of (function, arch, compiler, kernel
/// version), so the same bug shows different `+0x../0x..` on different builds.
fn fn_off(func: &str, arch: Arch, compiler: &str, uname: &str) -> (u32, u32) {
    let h = splitmix(
        fnv(func)
            ^ fnv(arch.as_str()).rotate_left(7)
            ^ fnv(compiler).rotate_left(29)
            ^ fnv(uname).rotate_left(43),
    );
    let align = match arch {
        Arch::X86_64 => 1,
        Arch::Riscv => 2,
        _ => 4,
    };
    let size = ((0x40 + h % 0x5c0) as u32) / align * align;
    let off = ((((h >> 24) % u64::from(size - 8)) as u32) + 4) / align * align;
    (off, size)
}

/// Console text builder: kernel lines get `[ uptime]` stamps, userspace lines none; LKFT logs
/// also get a host timestamp on every line.
struct LogW {
    out: String,
    up: u64,
    host: Option<(NaiveDateTime, u64)>,
}

impl LogW {
    fn new(uptime_s: u64, rng: &mut ChaCha8Rng, host: Option<NaiveDateTime>) -> LogW {
        let up = uptime_s * 1_000_000 + rng.random_range(0..1_000_000u64);
        LogW {
            out: String::with_capacity(4096),
            up,
            host: host.map(|h| (h, up)),
        }
    }

    fn prefix(&mut self) {
        if let Some((h, u0)) = self.host {
            let dt = h + TimeDelta::microseconds(i64::try_from(self.up - u0).unwrap_or(0));
            let _ = write!(self.out, "[{}] ", iso(&dt));
        }
    }

    fn stamp(&mut self, msg: &str) {
        let _ = writeln!(
            self.out,
            "[{:5}.{:06}] {msg}",
            self.up / 1_000_000,
            self.up % 1_000_000
        );
    }

    /// A kernel console line.
    fn k(&mut self, rng: &mut ChaCha8Rng, msg: &str) {
        self.up += rng.random_range(3..400u64);
        self.prefix();
        self.stamp(msg);
    }

    /// A line written through /dev/kmsg by the test harness (`<8>[ uptime] ...`).
    fn k8(&mut self, rng: &mut ChaCha8Rng, msg: &str) {
        self.up += rng.random_range(500..30_000u64);
        self.prefix();
        self.out.push_str("<8>");
        self.stamp(msg);
    }

    /// A userspace line.
    fn u(&mut self, rng: &mut ChaCha8Rng, msg: &str) {
        self.up += rng.random_range(50..40_000u64);
        self.prefix();
        self.out.push_str(msg);
        self.out.push('\n');
    }

    fn wait(&mut self, rng: &mut ChaCha8Rng, max_s: u64) {
        self.up += rng.random_range(0..max_s * 1_000_000);
    }

    fn finish(self) -> String {
        let s = self.out;
        if s.len() <= MAX_EXCERPT {
            return s;
        }
        // Keep the tail, like CI systems do (the text is ASCII).
        let mut cut = s.len() - MAX_EXCERPT;
        while !s.is_char_boundary(cut) {
            cut += 1;
        }
        s[cut..].to_string()
    }
}

fn reg64(rng: &mut ChaCha8Rng) -> String {
    match rng.random_range(0..5u32) {
        0 => "0000000000000000".to_string(),
        1 => format!("{:016x}", rng.random_range(0..0x1_0000u64)),
        2 => format!("ffff8881{:08x}", rng.random::<u32>()),
        3 => format!("ffffc900{:08x}", rng.random::<u32>()),
        _ => format!("{:016x}", rng.random::<u64>()),
    }
}

fn reg64_arm(rng: &mut ChaCha8Rng) -> String {
    match rng.random_range(0..4u32) {
        0 => "0000000000000000".to_string(),
        1 => format!("{:016x}", rng.random_range(0..0x1000u64)),
        2 => format!("ffff0000{:08x}", rng.random::<u32>()),
        _ => format!("ffff8000{:08x}", rng.random::<u32>()),
    }
}

fn reg64_riscv(rng: &mut ChaCha8Rng) -> String {
    match rng.random_range(0..4u32) {
        0 => "0000000000000000".to_string(),
        1 => format!("{:016x}", rng.random_range(0..0x1000u64)),
        2 => format!("ff600000{:08x}", rng.random::<u32>()),
        _ => format!("ff200000{:08x}", rng.random::<u32>()),
    }
}

fn x86_code(rng: &mut ChaCha8Rng) -> String {
    let mut s = String::with_capacity(130);
    for i in 0..42 {
        if i == 21 {
            s.push_str("<0f> 0b ");
        } else {
            let _ = write!(s, "{:02x} ", rng.random::<u8>());
        }
    }
    s.pop();
    s
}

/// Syscall entry frames below `sys_<sc>`, per architecture.
fn syscall_tail(arch: Arch, sc: &str) -> Vec<String> {
    let v: Vec<String> = match arch {
        Arch::X86_64 => vec![
            format!("__x64_sys_{sc}"),
            "do_syscall_64".into(),
            "entry_SYSCALL_64_after_hwframe".into(),
        ],
        Arch::Arm64 => vec![
            format!("__arm64_sys_{sc}"),
            "invoke_syscall".into(),
            "el0_svc_common.constprop.0".into(),
            "do_el0_svc".into(),
            "el0_svc".into(),
            "el0t_64_sync_handler".into(),
            "el0t_64_sync".into(),
        ],
        Arch::Arm => vec![format!("sys_{sc}"), "ret_fast_syscall".into()],
        Arch::Riscv => vec![
            format!("__riscv_sys_{sc}"),
            "do_trap_ecall_u".into(),
            "handle_exception".into(),
        ],
    };
    v
}

/// Register dump of the faulting context, per architecture (not printed by arm32 WARNs).
fn regs(log: &mut LogW, rng: &mut ChaCha8Rng, x: &ExCtx, pc: &str, lr: &str) {
    match x.arch {
        Arch::X86_64 => {
            log.k(rng, &format!("RIP: 0010:{}", x.sym(pc)));
            let code = format!("Code: {}", x86_code(rng));
            log.k(rng, &code);
            let rsp = format!(
                "RSP: 0018:ffffc900{:08x} EFLAGS: 00010246",
                rng.random::<u32>() & !0xf
            );
            log.k(rng, &rsp);
            for names in [
                ["RAX", "RBX", "RCX"],
                ["RDX", "RSI", "RDI"],
                ["RBP", "R08", "R09"],
                ["R10", "R11", "R12"],
                ["R13", "R14", "R15"],
            ] {
                let line = format!(
                    "{}: {} {}: {} {}: {}",
                    names[0],
                    reg64(rng),
                    names[1],
                    reg64(rng),
                    names[2],
                    reg64(rng)
                );
                log.k(rng, &line);
            }
            let fs = format!(
                "FS:  00007f{:010x}(0000) GS:ffff8882{:08x}(0000) knlGS:0000000000000000",
                rng.random::<u64>() & 0xff_ffff_ffff,
                rng.random::<u32>()
            );
            log.k(rng, &fs);
            log.k(rng, "CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033");
            let cr = format!(
                "CR2: 0000{:012x} CR3: 00000001{:08x} CR4: 0000000000f70ef0",
                rng.random::<u64>() & 0xffff_ffff_ffff,
                rng.random::<u32>() & !0xfff
            );
            log.k(rng, &cr);
        }
        Arch::Arm64 => {
            log.k(
                rng,
                "pstate: 60400009 (nZCv daif +PAN -UAO -TCO -DIT -SSBS BTYPE=--)",
            );
            log.k(rng, &format!("pc : {}", x.sym(pc)));
            log.k(rng, &format!("lr : {}", x.sym(lr)));
            let sp = format!("sp : ffff8000{:08x}", rng.random::<u32>() & !0xf);
            log.k(rng, &sp);
            let mut r = 29i32;
            while r >= 0 {
                let mut line = String::new();
                for k in 0..3 {
                    let n = r - k;
                    if n < 0 {
                        break;
                    }
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    let name = if n >= 10 {
                        format!("x{n}:")
                    } else {
                        format!("x{n} :")
                    };
                    let _ = write!(line, "{name} {}", reg64_arm(rng));
                }
                log.k(rng, &line);
                r -= 3;
            }
        }
        Arch::Riscv => {
            log.k(rng, &format!("epc : {}", x.sym(pc)));
            log.k(rng, &format!(" ra : {}", x.sym(lr)));
            let sp = format!(
                "epc : {:016x} ra : {:016x} sp : ff200000{:08x}",
                x.addr(pc),
                x.addr(lr),
                rng.random::<u32>() & !0xf
            );
            log.k(rng, &sp);
            for names in [
                ["gp", "tp", "t0"],
                ["t1", "t2", "s0"],
                ["s1", "a0", "a1"],
                ["a2", "a3", "a4"],
                ["a5", "a6", "a7"],
                ["s2", "s3", "s4"],
                ["s5", "s6", "s7"],
                ["s8", "s9", "s10"],
                ["s11", "t3", "t4"],
            ] {
                let mut line = String::new();
                for n in names {
                    let _ = write!(line, " {:<3}: {}", n, reg64_riscv(rng));
                }
                log.k(rng, &line);
            }
            log.k(
                rng,
                "status: 0000000200000120 badaddr: 0000000000000000 cause: 0000000000000003",
            );
        }
        Arch::Arm => {}
    }
}

/// A `WARN_ON()` splat with registers and call trace in the style of the architecture.
fn warn_splat(
    log: &mut LogW,
    rng: &mut ChaCha8Rng,
    x: &ExCtx,
    task: (u32, &str),
    file_line: &str,
    func: &str,
    callers: &[String],
) {
    let (pid, comm) = task;
    let cpu = rng.random_range(0..x.cpus);
    let caller0 = callers.first().map_or("", String::as_str);
    log.k(rng, "------------[ cut here ]------------");
    log.k(
        rng,
        &format!(
            "WARNING: CPU: {cpu} PID: {pid} at {file_line} {}",
            x.sym(func)
        ),
    );
    log.k(rng, &format!("Modules linked in: {}", x.modules()));
    log.k(rng, &x.cpu_line(cpu, pid, comm, "Not tainted"));
    log.k(rng, &format!("Hardware name: {}", x.hw));
    regs(log, rng, x, func, caller0);
    match x.arch {
        Arch::X86_64 => {
            log.k(rng, "Call Trace:");
            log.k(rng, " <TASK>");
            for f in [
                "__warn",
                func,
                "report_bug",
                "handle_bug",
                "exc_invalid_op",
                "asm_exc_invalid_op",
            ] {
                log.k(rng, &format!(" ? {}", x.sym(f)));
            }
            for c in callers {
                log.k(rng, &format!(" {}", x.sym(c)));
            }
            let rip = format!(
                "RIP: 0033:0x7f{:010x}",
                rng.random::<u64>() & 0xff_ffff_ffff
            );
            log.k(rng, &rip);
            let rsp = format!(
                "RSP: 002b:00007ffd{:08x} EFLAGS: 00000246 ORIG_RAX: 000000000000002f",
                rng.random::<u32>() & !0x7
            );
            log.k(rng, &rsp);
            log.k(rng, " </TASK>");
        }
        Arch::Arm64 => {
            log.k(rng, "Call trace:");
            log.k(rng, &format!(" {} (P)", x.sym(func)));
            for c in callers {
                log.k(rng, &format!(" {}", x.sym(c)));
            }
        }
        Arch::Arm => {
            log.k(rng, "Call trace: ");
            let mut chain: Vec<String> = [
                "unwind_backtrace",
                "show_stack",
                "dump_stack_lvl",
                "__warn",
                "warn_slowpath_fmt",
                func,
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            chain.extend(callers.iter().cloned());
            for w in chain.windows(2) {
                log.k(rng, &format!(" {} from {}", w[0], x.sym(&w[1])));
            }
        }
        Arch::Riscv => {
            log.k(rng, "Call Trace:");
            log.k(rng, &format!("[<{:016x}>] {}", x.addr(func), x.sym(func)));
            for c in callers {
                log.k(rng, &format!("[<{:016x}>] {}", x.addr(c), x.sym(c)));
            }
        }
    }
    log.k(rng, "---[ end trace 0000000000000000 ]---");
}

fn ks_begin(log: &mut LogW, rng: &mut ChaCha8Rng, x: &ExCtx) {
    let mut it = x.path.split('.').skip(1);
    let dir = it.next().unwrap_or("");
    let name = it.next().unwrap_or("");
    log.u(rng, &format!("# selftests: {dir}: {name}"));
}

fn ks_end(log: &mut LogW, rng: &mut ChaCha8Rng, x: &ExCtx, reason: &str) {
    let mut it = x.path.split('.').skip(1);
    let dir = it.next().unwrap_or("");
    let name = it.next().unwrap_or("");
    let n = fnv(x.path) % 24 + 1;
    log.u(
        rng,
        &format!("not ok {n} selftests: {dir}: {name} # {reason}"),
    );
    x.lava(log, rng, "fail");
}

fn ltp_begin(log: &mut LogW, rng: &mut ChaCha8Rng, x: &ExCtx) {
    let case = x.case();
    if x.origin == Origin::Linaro {
        log.k8(rng, &format!("<LAVA_SIGNAL_STARTTC {case}>"));
    }
    log.u(rng, "tst_test.c:2004: TINFO: LTP version: 20260130");
    log.u(
        rng,
        &format!(
            "tst_test.c:2007: TINFO: Tested kernel: {} #1 SMP PREEMPT @{} {}",
            x.uname,
            x.build_unix,
            x.arch.uname_m()
        ),
    );
    log.u(
        rng,
        "tst_kconfig.c:88: TINFO: Parsing kernel config '/proc/config.gz'",
    );
    log.u(
        rng,
        "tst_test.c:1825: TINFO: Overall timeout per run is 0h 05m 24s",
    );
}

fn ltp_end(log: &mut LogW, rng: &mut ChaCha8Rng, x: &ExCtx, counts: [u32; 4]) {
    log.u(rng, "");
    log.u(rng, "Summary:");
    log.u(rng, &format!("passed   {}", counts[0]));
    log.u(rng, &format!("failed   {}", counts[1]));
    log.u(rng, &format!("broken   {}", counts[2]));
    log.u(rng, &format!("skipped  {}", counts[3]));
    log.u(rng, "warnings 0");
    if x.origin == Origin::Linaro {
        log.k8(rng, &format!("<LAVA_SIGNAL_ENDTC {}>", x.case()));
    }
    x.lava(log, rng, "fail");
}

fn excerpt(kind: FailKind, x: &ExCtx, rng: &mut ChaCha8Rng) -> String {
    let mut log = x.log(rng);
    match kind {
        FailKind::Tls => ex_tls(&mut log, rng, x),
        FailKind::NullDeref => ex_null_deref(&mut log, rng, x),
        FailKind::Shift => ex_shift(&mut log, rng, x),
        FailKind::Fanotify => ex_fanotify(&mut log, rng, x),
        FailKind::PosixSleep => ex_posix_sleep(&mut log, rng, x),
        FailKind::Udpgso => ex_udpgso(&mut log, rng, x),
        FailKind::FlakyBoard => ex_flaky_board(&mut log, rng, x),
        FailKind::Kvm => ex_kvm(&mut log, rng, x),
    }
    log.finish()
}

const TLS_CASES: &[&str] = &[
    "global.non_established",
    "global.keysizes",
    "tls_basic.base_base",
    "tls.12_aes_gcm.sendfile",
    "tls.12_aes_gcm.send_then_sendfile",
    "tls.12_aes_gcm.recv_max",
    "tls.13_aes_gcm.sendmsg_single",
    "tls.13_aes_gcm.recv_partial",
    "tls.13_chacha.recv_nonblock",
    "tls.13_chacha.bidir",
];

fn ex_tls(log: &mut LogW, rng: &mut ChaCha8Rng, x: &ExCtx) {
    let pid = rng.random_range(300..9000u32);
    if x.path.starts_with("kselftest") {
        let mut callers: Vec<String> = [
            "inet_recvmsg",
            "sock_recvmsg",
            "____sys_recvmsg",
            "___sys_recvmsg",
            "__sys_recvmsg",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        callers.extend(syscall_tail(x.arch, "recvmsg"));
        ks_begin(log, rng, x);
        log.u(rng, "# TAP version 13");
        log.u(rng, "# 1..612");
        log.u(rng, "# # Starting 612 tests from 18 fixtures.");
        let before = 2 + rng.random_range(0..4u32) as usize;
        for (i, case) in TLS_CASES.iter().take(before).enumerate() {
            log.u(rng, &format!("# #  RUN           {case} ..."));
            log.u(rng, &format!("# #            OK  {case}"));
            log.u(rng, &format!("# ok {} {case}", i + 1));
        }
        let failing = "tls.13_aes_gcm.recv_peek_large_buf_mult_recs";
        log.u(rng, &format!("# #  RUN           {failing} ..."));
        warn_splat(
            log,
            rng,
            x,
            (pid, "tls"),
            "net/tls/tls_sw.c:2123",
            "tls_sw_recvmsg",
            &callers,
        );
        log.u(
            rng,
            "# tls.c:1486:recv_peek_large_buf_mult_recs:Expected memcmp(expected, buf, len) (-1) == 0 (0)",
        );
        log.u(
            rng,
            "# recv_peek_large_buf_mult_recs: Test terminated by assertion",
        );
        log.u(rng, &format!("# #          FAIL  {failing}"));
        log.u(rng, &format!("# not ok {} {failing}", before + 1));
        let fails = rng.random_range(4..15u32);
        log.u(
            rng,
            &format!("# # FAILED: {} / 612 tests passed.", 612 - fails),
        );
        log.u(
            rng,
            &format!(
                "# # Totals: pass:{} fail:{fails} xfail:0 xpass:0 skip:0 error:0",
                612 - fails
            ),
        );
        ks_end(log, rng, x, "exit=1");
    } else {
        let mut callers: Vec<String> = ["inet_recvmsg", "sock_recvmsg", "__sys_recvfrom"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        callers.extend(syscall_tail(x.arch, "recvfrom"));
        ltp_begin(log, rng, x);
        log.u(
            rng,
            "setsockopt10.c:118: TINFO: Setting up TLS ULP on a connected TCP socket",
        );
        log.u(
            rng,
            "setsockopt10.c:131: TINFO: Receiving a record split across two skbs",
        );
        warn_splat(
            log,
            rng,
            x,
            (pid, "setsockopt10"),
            "net/tls/tls_sw.c:2123",
            "tls_sw_recvmsg",
            &callers,
        );
        log.u(
            rng,
            "setsockopt10.c:152: TFAIL: recv() failed: EBADMSG (74)",
        );
        log.u(rng, "tst_taint.c:136: TFAIL: Kernel is now tainted");
        ltp_end(log, rng, x, [1, 2, 0, 0]);
    }
}

fn ex_null_deref(log: &mut LogW, rng: &mut ChaCha8Rng, x: &ExCtx) {
    // Happens while the ethernet driver module loads during boot; the baseline test reports
    // the emergency-level lines it found in dmesg.
    log.up = rng.random_range(6_000_000..11_000_000u64);
    if let Some((_, u0)) = log.host.as_mut() {
        *u0 = log.up;
    }
    let pid = rng.random_range(90..400u32);
    let cpu = rng.random_range(0..x.cpus);
    log.k(
        rng,
        "dwmac-sun8i 5020000.ethernet: IRQ eth_wake_irq not found",
    );
    log.k(rng, "dwmac-sun8i 5020000.ethernet: IRQ eth_lpi not found");
    log.k(
        rng,
        "Unable to handle kernel NULL pointer dereference at virtual address 0000000000000010",
    );
    for l in [
        "Mem abort info:",
        "  ESR = 0x0000000096000004",
        "  EC = 0x25: DABT (current EL), IL = 32 bits",
        "  SET = 0, FnV = 0",
        "  EA = 0, S1PTW = 0",
        "  FSC = 0x04: level 0 translation fault",
        "Data abort info:",
        "  ISV = 0, ISS = 0x00000004, ISS2 = 0x00000000",
        "  CM = 0, WnR = 0, TnD = 0, TagAccess = 0",
        "  GCS = 0, Overlay = 0, DirtyBit = 0, Xs = 0",
    ] {
        log.k(rng, l);
    }
    let pgd = format!(
        "user pgtable: 4k pages, 48-bit VAs, pgdp=00000000{:08x}",
        rng.random::<u32>() & !0xfff
    );
    log.k(rng, &pgd);
    log.k(
        rng,
        "[0000000000000010] pgd=0000000000000000, p4d=0000000000000000",
    );
    log.k(rng, "Internal error: Oops: 0000000096000004 [#1]  SMP");
    log.k(
        rng,
        "Modules linked in: dwmac_sun8i(+) stmmac_platform stmmac pcs_xpcs phylink mdio_mux sunxi_cedrus(C) v4l2_mem2mem sun8i_ce crypto_engine sun4i_gpadc_iio industrialio",
    );
    log.k(
        rng,
        &x.cpu_line(cpu, pid, "(udev-worker)", "Tainted: G         C"),
    );
    log.k(rng, "Tainted: [C]=CRAP");
    log.k(rng, &format!("Hardware name: {}", x.hw));
    regs(
        log,
        rng,
        x,
        "sun8i_dwmac_set_syscon [dwmac_sun8i]",
        "sun8i_dwmac_probe [dwmac_sun8i]",
    );
    log.k(rng, "Call trace:");
    log.k(
        rng,
        &format!(" {} (P)", x.sym("sun8i_dwmac_set_syscon [dwmac_sun8i]")),
    );
    for f in [
        "sun8i_dwmac_probe [dwmac_sun8i]",
        "platform_probe",
        "really_probe",
        "__driver_probe_device",
        "driver_probe_device",
        "__driver_attach",
        "bus_for_each_dev",
        "driver_attach",
        "bus_add_driver",
        "driver_register",
        "__platform_driver_register",
        "sun8i_dwmac_driver_init [dwmac_sun8i]",
        "do_one_initcall",
        "do_init_module",
        "load_module",
        "init_module_from_file",
        "__arm64_sys_finit_module",
        "invoke_syscall",
        "el0_svc_common.constprop.0",
        "do_el0_svc",
        "el0_svc",
        "el0t_64_sync_handler",
        "el0t_64_sync",
    ] {
        log.k(rng, &format!(" {}", x.sym(f)));
    }
    log.k(rng, "Code: f9400a60 f9401c15 b4000875 f9400aa0 (b9401000) ");
    log.k(rng, "---[ end trace 0000000000000000 ]---");
    log.wait(rng, 40);
    log.u(rng, "/ # cat /tmp/dmesg.emerg");
    log.u(rng, "Internal error: Oops: 0000000096000004 [#1]  SMP");
    log.u(rng, "Code: f9400a60 f9401c15 b4000875 f9400aa0 (b9401000) ");
    let line = "<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=emerg RESULT=fail UNITS=lines MEASUREMENT=2>";
    log.u(rng, line);
}

fn ex_shift(log: &mut LogW, rng: &mut ChaCha8Rng, x: &ExCtx) {
    // KUnit runs at boot: kernel timestamps of a few seconds.
    log.up = rng.random_range(2_000_000..9_000_000u64);
    if let Some((_, u0)) = log.host.as_mut() {
        *u0 = log.up;
    }
    let suite_no = rng.random_range(30..90u32);
    log.k(rng, "    KTAP version 1");
    log.k(rng, "    # Subtest: overflow");
    log.k(rng, "    # module: overflow_kunit");
    log.k(rng, "    1..23");
    let passing = [
        "u8_u8__u8_overflow_test",
        "s8_s8__s8_overflow_test",
        "u16_u16__u16_overflow_test",
        "s16_s16__s16_overflow_test",
        "u32_u32__u32_overflow_test",
        "s32_s32__s32_overflow_test",
        "u64_u64__u64_overflow_test",
        "s64_s64__s64_overflow_test",
        "u32_u32__int_overflow_test",
        "u32_u32__u8_overflow_test",
        "u8_u8__int_overflow_test",
        "int_int__u8_overflow_test",
        "shift_overflow_test",
    ];
    for (i, t) in passing.iter().enumerate() {
        if t.ends_with("__u8_overflow_test") || t.starts_with("shift") {
            log.k(rng, &format!("    ok {} {t}", i + 1));
        } else {
            let n = rng.random_range(9..40u32);
            log.k(
                rng,
                &format!(
                    "    # {t}: {n} {} arithmetic tests finished",
                    &t[..t.len() - 14]
                ),
            );
            log.k(rng, &format!("    ok {} {t}", i + 1));
        }
    }
    log.k(
        rng,
        "    # shift_sane_test: EXPECTATION FAILED at lib/overflow_kunit.c:782",
    );
    log.k(rng, "    Expected _of == of, but");
    log.k(rng, "        _of == 1 (0x1)");
    log.k(rng, "        of == 0 (0x0)");
    log.k(
        rng,
        "    Expected check_shl_overflow(1 << 30, 1, s32) to not overflow",
    );
    log.k(
        rng,
        "    # shift_sane_test: EXPECTATION FAILED at lib/overflow_kunit.c:784",
    );
    log.k(rng, "    Expected _d == 1 << 31, but");
    log.k(rng, "        _d == 0 (0x0)");
    log.k(rng, "        1 << 31 == -2147483648 (0x80000000)");
    log.k(rng, "    not ok 14 shift_sane_test");
    for (i, t) in [
        "shift_truncate_test",
        "shift_nonsense_test",
        "overflow_allocation_test",
        "overflow_size_helpers_test",
        "overflows_type_test",
        "same_type_test",
        "castable_to_type_test",
        "DEFINE_FLEX_test",
        "overflow_change_auto_var_test",
    ]
    .iter()
    .enumerate()
    {
        log.k(rng, &format!("    ok {} {t}", i + 15));
    }
    log.k(rng, "# overflow: pass:22 fail:1 skip:0 total:23");
    log.k(rng, "# Totals: pass:22 fail:1 skip:0 total:23");
    log.k(rng, &format!("not ok {suite_no} overflow"));
    x.lava(log, rng, "fail");
}

fn ex_fanotify(log: &mut LogW, rng: &mut ChaCha8Rng, x: &ExCtx) {
    ltp_begin(log, rng, x);
    let tmp = hex_str(rng, 6);
    log.u(
        rng,
        "tst_device.c:98: TINFO: Found free device 0 '/dev/loop0'",
    );
    log.u(
        rng,
        "tst_test.c:1169: TINFO: Formatting /dev/loop0 with ext4 opts='' extra opts=''",
    );
    log.u(rng, "mke2fs 1.47.2 (1-Jan-2025)");
    log.u(
        rng,
        &format!("tst_test.c:1181: TINFO: Mounting /dev/loop0 to /tmp/LTP_fan{tmp}/test_mnt fstype=ext4 flags=0"),
    );
    log.u(
        rng,
        "fanotify22.c:293: TINFO: Test #0: Trigger FAN_FS_ERROR event on corrupted inode",
    );
    log.k(rng, "EXT4-fs error (device loop0): __ext4_find_entry:1625: inode #2: comm fanotify22: reading directory lblock 0");
    log.u(
        rng,
        "fanotify22.c:219: TFAIL: Expected error count 1, got 0",
    );
    log.u(
        rng,
        "fanotify22.c:293: TINFO: Test #1: Trigger FAN_FS_ERROR event on corrupted directory",
    );
    log.k(rng, "EXT4-fs error (device loop0): ext4_lookup:1815: inode #2: comm fanotify22: iget: bad extra_isize 4096 (inode size 256)");
    log.u(
        rng,
        "fanotify22.c:227: TFAIL: Didn't receive FAN_FS_ERROR event for corrupted directory",
    );
    log.u(
        rng,
        "fanotify22.c:293: TINFO: Test #2: Multiple error submission",
    );
    log.u(
        rng,
        "fanotify22.c:246: TPASS: Successfully received: f=1 e=-117 c=2",
    );
    log.u(
        rng,
        "fanotify22.c:293: TINFO: Test #3: FAN_FS_ERROR event with no inode",
    );
    log.u(
        rng,
        "fanotify22.c:246: TPASS: Successfully received: f=1 e=-117 c=1",
    );
    ltp_end(log, rng, x, [2, 2, 0, 0]);
}

fn ex_posix_sleep(log: &mut LogW, rng: &mut ChaCha8Rng, x: &ExCtx) {
    let pid = rng.random_range(300..9000u32);
    let cpu = rng.random_range(0..x.cpus);
    ks_begin(log, rng, x);
    log.u(rng, "# TAP version 13");
    log.u(rng, "# 1..19");
    for (i, t) in [
        "Check itimer virtual",
        "Check itimer prof",
        "Check itimer real",
        "Check timer_create() per thread signal",
        "Check timer_create() per process signal",
        "check_timer_distribution",
        "check_sig_ign SIGEV_SIGNAL",
    ]
    .iter()
    .enumerate()
    {
        log.u(rng, &format!("# ok {} {t}", i + 1));
    }
    log.k(
        rng,
        "BUG: sleeping function called from invalid context at kernel/locking/mutex.c:585",
    );
    log.k(
        rng,
        &format!(
            "in_atomic(): 1, irqs_disabled(): 1, non_block: 0, pid: {pid}, name: posix_timers"
        ),
    );
    log.k(rng, "preempt_count: 1, expected: 0");
    log.k(rng, "RCU nest depth: 0, expected: 0");
    log.k(rng, &format!("1 lock held by posix_timers/{pid}:"));
    let lock = format!(
        " #0: ff600000{:08x} (&sighand->siglock){{....}}-{{2:2}}, at: {}",
        rng.random::<u32>() & !0x7,
        x.sym("timer_delete_hook")
    );
    log.k(rng, &lock);
    let stamp = format!("irq event stamp: {}", rng.random_range(1000..90_000u32));
    log.k(rng, &stamp);
    log.k(rng, &x.cpu_line(cpu, pid, "posix_timers", "Not tainted"));
    log.k(rng, &format!("Hardware name: {}", x.hw));
    log.k(rng, "Call Trace:");
    for f in [
        "dump_backtrace",
        "show_stack",
        "dump_stack_lvl",
        "dump_stack",
        "__might_resched",
        "__might_sleep",
        "mutex_lock",
        "posix_cpu_timer_del",
        "timer_delete_hook",
        "__riscv_sys_timer_delete",
        "do_trap_ecall_u",
        "handle_exception",
    ] {
        log.k(rng, &format!("[<{:016x}>] {}", x.addr(f), x.sym(f)));
    }
    log.u(rng, "# ok 8 check_sig_ign SIGEV_THREAD_ID");
    log.u(
        rng,
        "# not ok 9 check_timer_delete_race # timer_delete() returned -EINTR",
    );
    for i in 10..=19 {
        log.u(rng, &format!("# ok {i} check_rearm clock {}", i - 10));
    }
    log.u(
        rng,
        "# # Totals: pass:18 fail:1 xfail:0 xpass:0 skip:0 error:0",
    );
    ks_end(log, rng, x, "exit=1");
}

fn ex_udpgso(log: &mut LogW, rng: &mut ChaCha8Rng, x: &ExCtx) {
    ks_begin(log, rng, x);
    log.u(rng, "# ipv4");
    log.u(rng, "# tcp");
    let mb = rng.random_range(300..9000u32);
    log.u(
        rng,
        &format!(
            "# tcp tx:   {mb} MB/s   {} calls/s   {} msg/s",
            mb * 17,
            mb / 2
        ),
    );
    log.u(
        rng,
        &format!("# tcp rx:   {} MB/s   {} calls/s", mb + 3, mb * 16),
    );
    log.u(rng, "# tcp zerocopy");
    log.u(rng, "# udp");
    let err = *pick(
        rng,
        &[
            "# udpgso_bench_tx: sendmsg: No buffer space available",
            "# udpgso_bench_rx: poll: 0x0 expected 0x1",
            "# udpgso_bench_tx: write: Connection refused",
            "# udpgso_bench_rx: recv: Resource temporarily unavailable",
        ],
    );
    log.u(rng, err);
    log.u(rng, "# udp gso");
    log.u(
        rng,
        &format!(
            "# udp tx:    {} MB/s    {} calls/s     {} msg/s",
            mb / 3,
            mb * 4,
            mb * 4
        ),
    );
    log.u(rng, "# failed");
    ks_end(log, rng, x, "exit=1");
}

fn ex_flaky_board(log: &mut LogW, rng: &mut ChaCha8Rng, x: &ExCtx) {
    let symptoms = [
        "cros-ec-spi spi2.0: EC failed to respond in time",
        "cros-ec-spi spi2.0: Command xfer error (err:-110)",
        "cros_ec_lpcs: bad packet checksum 0x9a",
        "dwmmc_rockchip fe320000.mmc: Busy; trying anyway",
        "mmc1: Timeout waiting for hardware interrupt.",
        "mwifiex_pcie 0000:01:00.0: Firmware wakeup failed",
        "rockchip-drm display-subsystem: [drm] *ERROR* flip_done timed out",
        "rk_gmac-dwmac fe300000.ethernet eth0: Link is Down",
    ];
    let suite = x.path.split('.').next().unwrap_or("");
    if suite == "kselftest" {
        ks_begin(log, rng, x);
        log.u(rng, "# TAP version 13");
    } else if suite == "ltp" {
        ltp_begin(log, rng, x);
    }
    let n = rng.random_range(2..5u32);
    for _ in 0..n {
        let s = *pick(rng, &symptoms);
        log.k(rng, s);
        log.wait(rng, 8);
    }
    match suite {
        "kselftest" => ks_end(log, rng, x, "TIMEOUT 45 seconds"),
        "ltp" => {
            log.u(rng, "tst_test.c:1746: TINFO: If you are running on slow machine, try exporting LTP_TIMEOUT_MUL > 1");
            log.u(rng, "tst_test.c:1748: TBROK: Test killed! (timeout?)");
            ltp_end(log, rng, x, [0, 0, 1, 0]);
        }
        _ => {
            log.k(rng, &format!("    # {}: try timed out", x.case()));
            log.k(rng, &format!("    not ok 1 {}", x.case()));
            x.lava(log, rng, "fail");
        }
    }
}

fn ex_kvm(log: &mut LogW, rng: &mut ChaCha8Rng, x: &ExCtx) {
    let pid = rng.random_range(300..9000u32);
    let pa = *pick(rng, &[40u32, 44, 48]);
    ks_begin(log, rng, x);
    log.u(rng, "# Test iterations: 2");
    log.u(
        rng,
        &format!("# Testing guest mode: PA-bits:{pa},  VA-bits:48,  4K pages"),
    );
    log.u(rng, "# ==== Test Assertion Failure ====");
    log.u(rng, "#   lib/kvm_util.c:1071: ret == 0");
    log.u(
        rng,
        &format!("#   pid={pid} tid={pid} errno=12 - Cannot allocate memory"),
    );
    for (i, f) in [
        "vm_mem_add at kvm_util.c:1071",
        "memstress_create_vm at memstress.c:167",
        "run_test at dirty_log_perf_test.c:135",
        "for_each_guest_mode at guest_modes.c:96",
        "main at dirty_log_perf_test.c:404",
    ]
    .iter()
    .enumerate()
    {
        log.u(
            rng,
            &format!(
                "#      {}\t0x0000000000{:06x}: {f}",
                i + 1,
                0x40_0000 + (fnv(f) % 0xffff)
            ),
        );
    }
    log.u(
        rng,
        "#   KVM_SET_USER_MEMORY_REGION2 failed, rc: -1 errno: 12 (Cannot allocate memory)",
    );
    ks_end(log, rng, x, "exit=254");
}

/// The LAVA log of a job that never reached the kernel (maestro lab outage).
fn lava_infra_error(x: &ExCtx, rng: &mut ChaCha8Rng) -> String {
    let arch = x.arch.as_str();
    let image = if x.arch == Arch::X86_64 {
        "bzImage"
    } else {
        "Image"
    };
    let url = format!(
        "https://files.kernelci.org/kbuild-{}-{arch}-{}/{image}",
        x.compiler, x.build_oid
    );
    let mut s = String::new();
    let _ = writeln!(s, "lava-dispatcher, installed at version: 2026.05");
    let _ = writeln!(s, "start: 0 validate");
    let _ = writeln!(
        s,
        "Start time: {}+00:00 (UTC)",
        iso(&x.host).replace('T', " ")
    );
    let _ = writeln!(s, "validate duration: 0.{:02}", rng.random_range(10..99u32));
    let _ = writeln!(s, "start: 1 tftp-deploy (timeout 00:10:00) [common]");
    let _ = writeln!(s, "start: 1.1 download-retry (timeout 00:10:00) [common]");
    let _ = writeln!(s, "start: 1.1.1 http-download (timeout 00:10:00) [common]");
    let _ = writeln!(s, "downloading {url}");
    let _ = writeln!(s, "http-download timed out after 600 seconds");
    let _ = writeln!(s, "end: 1.1.1 http-download (duration 00:10:00) [common]");
    let _ = writeln!(s, "case: http-download");
    let _ = writeln!(
        s,
        "case_id: {}",
        rng.random_range(100_000_000..999_999_999u64)
    );
    let _ = writeln!(s, "definition: lava");
    let _ = writeln!(s, "result: fail");
    let _ = writeln!(
        s,
        "InfrastructureError: http-download timed out after 600 seconds"
    );
    let _ = writeln!(s, "Cleaning after the job");
    let _ = writeln!(
        s,
        "Root tmp directory removed at /var/lib/lava/dispatcher/tmp/{}",
        rng.random_range(1_000_000..2_000_000u32)
    );
    let _ = writeln!(s, "Job error: InfrastructureError");
    s
}

// ------------------------------------------------------------------------------------------------
// Tests
// ------------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::collections::BTreeMap;
    use std::sync::OnceLock;

    fn demo() -> &'static Demo {
        static D: OnceLock<Demo> = OnceLock::new();
        D.get_or_init(|| generate(&DemoConfig::default()))
    }

    /// A test row joined with its build and checkout.
    #[derive(Debug, Clone)]
    struct Row {
        id: String,
        path: String,
        status: Option<String>,
        platform: String,
        lab: String,
        arch: String,
        compiler: String,
        tree: String,
        commit: String,
        rel: i64,
        excerpt: Option<String>,
    }

    struct Parsed {
        rows: Vec<Row>,
        issues: Vec<Value>,
        incidents: Vec<Value>,
        /// tree name -> rel day -> commit hash
        commits: BTreeMap<String, BTreeMap<i64, String>>,
    }

    fn parsed() -> &'static Parsed {
        static P: OnceLock<Parsed> = OnceLock::new();
        P.get_or_init(|| parse(demo(), DemoConfig::default().end_date))
    }

    fn s(v: &Value, k: &str) -> String {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    }

    fn parse(d: &Demo, end: NaiveDate) -> Parsed {
        let mut checkouts = BTreeMap::new();
        let mut builds = BTreeMap::new();
        let mut tests = Vec::new();
        let mut issues = Vec::new();
        let mut incidents = Vec::new();
        let mut commits: BTreeMap<String, BTreeMap<i64, String>> = BTreeMap::new();
        for f in &d.files {
            let v: Value = serde_json::from_str(&f.contents).expect("valid JSON");
            assert_eq!(v["version"]["major"], 5);
            assert_eq!(v["version"]["minor"], 3);
            for c in v["checkouts"].as_array().into_iter().flatten() {
                let date =
                    NaiveDate::parse_from_str(&s(c, "start_time")[..10], "%Y-%m-%d").unwrap();
                let rel = (date - end).num_days();
                let prev = commits
                    .entry(s(c, "tree_name"))
                    .or_default()
                    .insert(rel, s(c, "git_commit_hash"));
                // Both origins check out the same commit of a tree on a day.
                assert!(prev.is_none_or(|h| h == s(c, "git_commit_hash")));
                checkouts.insert(
                    s(c, "id"),
                    (s(c, "tree_name"), s(c, "git_commit_hash"), rel),
                );
            }
            for b in v["builds"].as_array().into_iter().flatten() {
                builds.insert(s(b, "id"), b.clone());
            }
            tests.extend(v["tests"].as_array().into_iter().flatten().cloned());
            issues.extend(v["issues"].as_array().into_iter().flatten().cloned());
            incidents.extend(v["incidents"].as_array().into_iter().flatten().cloned());
        }
        let rows = tests
            .iter()
            .map(|t| {
                let b = &builds[&s(t, "build_id")];
                let (tree, commit, rel) = checkouts[&s(b, "checkout_id")].clone();
                Row {
                    id: s(t, "id"),
                    path: s(t, "path"),
                    status: t.get("status").and_then(Value::as_str).map(str::to_string),
                    platform: s(&t["environment"]["misc"], "platform"),
                    lab: s(&t["misc"], "runtime"),
                    arch: s(b, "architecture"),
                    compiler: s(b, "compiler"),
                    tree,
                    commit,
                    rel,
                    excerpt: t
                        .get("log_excerpt")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                }
            })
            .collect();
        Parsed {
            rows,
            issues,
            incidents,
            commits,
        }
    }

    fn done(p: &Parsed) -> impl Iterator<Item = &Row> {
        p.rows.iter().filter(|r| r.status.is_some())
    }

    fn situation(name: &str) -> &'static Situation {
        demo()
            .truth
            .situations
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("situation {name}"))
    }

    #[test]
    fn deterministic() {
        let a = generate(&DemoConfig::default());
        assert_eq!(&a, demo());
        let ta = serde_json::to_string(&a.truth).unwrap();
        let tb = serde_json::to_string(&demo().truth).unwrap();
        assert_eq!(ta, tb);
    }

    #[test]
    fn seeds_differ() {
        let other = generate(&DemoConfig {
            seed: 2,
            ..DemoConfig::default()
        });
        assert_eq!(other.files.len(), demo().files.len());
        let same = other
            .files
            .iter()
            .zip(&demo().files)
            .filter(|(a, b)| a.contents == b.contents)
            .count();
        assert_eq!(same, 0);
        assert_ne!(
            other.truth.situations[0].first_fail_commit,
            demo().truth.situations[0].first_fail_commit
        );
    }

    #[test]
    fn files_and_sizes() {
        let d = demo();
        let cfg = DemoConfig::default();
        // 14 days x 2 origins
        assert_eq!(d.files.len(), 28);
        assert_eq!(d.files[0].rel_path, "2026-11-07/linaro.json");
        assert_eq!(d.files.last().unwrap().rel_path, "2026-11-20/maestro.json");
        let mut sorted: Vec<&str> = d.files.iter().map(|f| f.rel_path.as_str()).collect();
        sorted.sort_unstable();
        assert_eq!(
            sorted,
            d.files
                .iter()
                .map(|f| f.rel_path.as_str())
                .collect::<Vec<_>>()
        );
        let rows = parsed().rows.len();
        assert!((30_000..=60_000).contains(&rows), "{rows} test rows");
        assert!(d.total_bytes() < 80 << 20, "{} bytes", d.total_bytes());
        assert_eq!(cfg.days, 14);
    }

    #[test]
    fn scale_grows_linearly() {
        let d2 = generate(&DemoConfig {
            scale: 2,
            ..DemoConfig::default()
        });
        let count = |d: &Demo| -> usize {
            d.files
                .iter()
                .map(|f| {
                    f.contents
                        .lines()
                        .filter(|l| l.contains("\"build_id\":"))
                        .count()
                })
                .sum()
        };
        let (a, b) = (count(demo()), count(&d2));
        assert!(b > a * 19 / 10 && b < a * 21 / 10, "{a} -> {b}");
        // Clones do not inherit single-board roles.
        let s2 = d2
            .truth
            .situations
            .iter()
            .find(|s| s.name == "single-board-regression")
            .unwrap();
        assert_eq!(s2.platforms, vec![S2_BOARD.to_string()]);
        let s1 = d2
            .truth
            .situations
            .iter()
            .find(|s| s.name == "many-boards-regression")
            .unwrap();
        assert!(s1.platforms.contains(&"rk3399-gru-kevin-2".to_string()));
    }

    #[test]
    fn short_history_is_raised() {
        let d = generate(&DemoConfig {
            days: 3,
            ..DemoConfig::default()
        });
        assert_eq!(d.files.len(), 2 * MIN_DAYS as usize);
        assert_eq!(d.truth.regressions().count(), 5);
        assert!(d.truth.regressions().all(|s| s.last_pass_commit.is_some()));
    }

    #[test]
    fn kcidb_shapes() {
        let is_id = |x: &str| {
            let (o, rest) = x.split_once(':').unwrap_or(("", ""));
            !o.is_empty()
                && !rest.is_empty()
                && o.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
        };
        let is_path = |x: &str| {
            x.split('.').all(|p| {
                !p.is_empty()
                    && p.bytes()
                        .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
            })
        };
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &parsed().rows {
            assert!(is_id(&r.id), "{}", r.id);
            assert!(is_path(&r.path), "{}", r.path);
            assert!(r.excerpt.as_ref().is_none_or(|e| e.len() <= 16384));
            *seen.entry(&r.id).or_default() += 1;
        }
        // Duplicated ids are the boot nodes sent twice (first without a status).
        for (id, n) in seen {
            if n > 1 {
                assert_eq!(n, 2, "{id}");
                let recs: Vec<&Row> = parsed().rows.iter().filter(|r| r.id == id).collect();
                assert!(recs[0].status.is_none() && recs[1].status.is_some());
                assert_eq!(recs[0].path, "boot");
            }
        }
        for (tree, by_day) in &parsed().commits {
            for h in by_day.values() {
                assert_eq!(h.len(), 40, "{tree}");
                assert!(
                    h.bytes()
                        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
                );
            }
        }
    }

    #[test]
    fn every_failure_is_explained() {
        let p = parsed();
        for r in done(p) {
            let st = r.status.as_deref().unwrap();
            match st {
                "PASS" | "SKIP" => {}
                "ERROR" | "MISS" => {
                    assert_eq!(r.lab, OUTAGE_LAB);
                    assert_eq!(r.rel, i64::from(OUTAGE_DAY));
                    assert_eq!(st == "ERROR", r.path == "boot");
                }
                "FAIL" => {
                    let explained = (r.tree == "mainline"
                        && r.rel >= i64::from(S1_DAY)
                        && (r.path == P_TLS || r.path == P_SETSOCKOPT))
                        || (r.tree == "mainline"
                            && r.rel >= i64::from(S3_DAY)
                            && r.path == P_SHIFT
                            && r.compiler == CLANG)
                        || (r.tree == "mainline"
                            && r.rel >= i64::from(S9_DAY)
                            && r.path == P_POSIX
                            && r.arch == "riscv")
                        || (r.tree == "next"
                            && r.rel >= i64::from(S2_DAY)
                            && r.path == P_EMERG
                            && r.platform == S2_BOARD)
                        || (r.tree == "next"
                            && (i64::from(S4_FROM)..=i64::from(S4_TO)).contains(&r.rel)
                            && r.path == P_FANOTIFY)
                        || r.path == P_UDPGSO
                        || (r.path == P_KVM && r.arch == "arm64")
                        || r.platform == FLAKY_BOARD;
                    assert!(explained, "unexplained failure {r:?}");
                    assert!(
                        r.excerpt.as_ref().is_some_and(|e| e.len() > 100),
                        "{}",
                        r.id
                    );
                }
                other => panic!("status {other}"),
            }
        }
    }

    /// Every run of `path` on `tree` (ignoring MISS) fails iff `fails(row)`.
    fn check_series(path: &str, tree: &str, fails: impl Fn(&Row) -> bool) -> usize {
        let mut n_fail = 0;
        for r in done(parsed()).filter(|r| r.path == path && r.tree == tree) {
            let st = r.status.as_deref().unwrap();
            if st == "MISS" || st == "SKIP" {
                continue;
            }
            if fails(r) {
                assert_eq!(st, "FAIL", "{r:?}");
                n_fail += 1;
            } else if r.platform != FLAKY_BOARD || !flaky_board_may_fail(path) {
                assert_eq!(st, "PASS", "{r:?}");
            }
        }
        n_fail
    }

    #[test]
    fn many_boards_regression() {
        let s = situation("many-boards-regression");
        assert_eq!(s.expected_status.as_deref(), Some("ongoing"));
        assert_eq!(s.tests, vec![P_TLS.to_string(), P_SETSOCKOPT.to_string()]);
        assert_eq!(s.signature.as_deref(), Some(SIG_TLS));
        let c = &parsed().commits["mainline"];
        assert_eq!(s.first_fail_commit.as_ref(), c.get(&i64::from(S1_DAY)));
        assert_eq!(s.last_pass_commit.as_ref(), c.get(&i64::from(S1_DAY - 1)));
        let a = check_series(P_TLS, "mainline", |r| r.rel >= i64::from(S1_DAY));
        let b = check_series(P_SETSOCKOPT, "mainline", |r| r.rel >= i64::from(S1_DAY));
        let first = s.first_fail_commit.as_deref().unwrap();
        assert!(
            done(parsed())
                .filter(|r| r.commit == first && r.path == P_TLS)
                .all(|r| r.rel == i64::from(S1_DAY)
                    && matches!(r.status.as_deref(), Some("FAIL" | "MISS")))
        );
        assert!(a > 100 && b > 50, "{a} {b}");
        for tree in ["next", "stable", "kernelci"] {
            check_series(P_TLS, tree, |_| false);
        }
        // Every board that runs either test is affected, on all four arches.
        let boards: BTreeSet<&str> = parsed()
            .rows
            .iter()
            .filter(|r| r.tree == "mainline" && (r.path == P_TLS || r.path == P_SETSOCKOPT))
            .map(|r| r.platform.as_str())
            .collect();
        assert_eq!(boards.len(), s.platforms.len());
        assert!(boards.len() > 25);
        // Splats differ per board/run but carry the same function.
        let ex: BTreeSet<&str> = parsed()
            .rows
            .iter()
            .filter(|r| {
                r.tree == "mainline" && r.path == P_TLS && r.status.as_deref() == Some("FAIL")
            })
            .map(|r| r.excerpt.as_deref().unwrap())
            .collect();
        assert!(ex.len() > 100);
        assert!(ex.iter().all(|e| e.contains("WARNING: CPU: ")
            && e.contains("at net/tls/tls_sw.c:2123 tls_sw_recvmsg+0x")));
        // The issue and its incidents.
        let p = parsed();
        assert_eq!(p.issues.len(), 1);
        let issue_id = s_of(&p.issues[0], "id");
        assert_eq!(p.issues[0]["version"], 1);
        assert!(
            p.issues[0]["report_url"]
                .as_str()
                .unwrap()
                .starts_with("https://")
        );
        assert!(p.incidents.len() > 20);
        let failing: BTreeSet<&str> = p
            .rows
            .iter()
            .filter(|r| r.path == P_TLS && r.status.as_deref() == Some("FAIL"))
            .map(|r| r.id.as_str())
            .collect();
        for inc in &p.incidents {
            assert_eq!(s_of(inc, "issue_id"), issue_id);
            assert_eq!(inc["present"], true);
            assert!(failing.contains(inc["test_id"].as_str().unwrap()));
        }
    }

    fn s_of(v: &Value, k: &str) -> String {
        s(v, k)
    }

    #[test]
    fn single_board_regression() {
        let s = situation("single-board-regression");
        assert_eq!(s.expected_status.as_deref(), Some("new"));
        assert_eq!(s.platforms, vec![S2_BOARD.to_string()]);
        assert_eq!(s.labs, vec![CLABBE.to_string()]);
        let n = check_series(P_EMERG, "next", |r| r.rel >= 0 && r.platform == S2_BOARD);
        assert_eq!(n, 2); // gcc and clang builds
        let ex = done(parsed())
            .find(|r| r.path == P_EMERG && r.status.as_deref() == Some("FAIL"))
            .and_then(|r| r.excerpt.clone())
            .unwrap();
        assert!(ex.contains(
            "Unable to handle kernel NULL pointer dereference at virtual address 0000000000000010"
        ));
        assert!(ex.contains("pc : sun8i_dwmac_set_syscon+0x"));
        check_series(P_EMERG, "mainline", |_| false);
    }

    #[test]
    fn single_compiler_regression() {
        let s = situation("single-compiler-regression");
        assert_eq!(s.scope.as_deref(), Some("compiler"));
        let n = check_series(P_SHIFT, "mainline", |r| {
            r.rel >= i64::from(S3_DAY) && r.compiler == CLANG
        });
        assert!(n > 50, "{n}");
        // Every board that ran a clang build ran the test (and so failed).
        let clang_boards: BTreeSet<&str> = done(parsed())
            .filter(|r| r.tree == "mainline" && r.compiler == CLANG)
            .map(|r| r.platform.as_str())
            .collect();
        let failed: BTreeSet<&str> = s.platforms.iter().map(String::as_str).collect();
        assert_eq!(clang_boards, failed);
        // gcc runs of it exist and pass.
        assert!(
            done(parsed()).any(|r| r.path == P_SHIFT && r.compiler == GCC && r.tree == "mainline")
        );
        for def in BOARDS {
            assert!(
                !def.flags.contains('C') || def.flags.contains('U'),
                "{}",
                def.name
            );
        }
    }

    #[test]
    fn fixed_regression() {
        let s = situation("fixed-regression");
        assert_eq!(s.expected_status.as_deref(), Some("fixed"));
        let c = &parsed().commits["next"];
        assert_eq!(s.fix_commit.as_ref(), c.get(&i64::from(S4_TO + 1)));
        assert_eq!(s.first_fail_commit.as_ref(), c.get(&i64::from(S4_FROM)));
        let n = check_series(P_FANOTIFY, "next", |r| {
            (i64::from(S4_FROM)..=i64::from(S4_TO)).contains(&r.rel)
        });
        assert!(n > 50, "{n}");
        assert!(s.platforms.len() >= 10);
    }

    #[test]
    fn single_arch_regression() {
        let s = situation("single-arch-regression");
        assert_eq!(s.scope.as_deref(), Some("arch"));
        let n = check_series(P_POSIX, "mainline", |r| {
            r.rel >= i64::from(S9_DAY) && r.arch == "riscv"
        });
        assert!(n >= 10, "{n}");
        assert_eq!(s.platforms.len(), 4);
        let ex = done(parsed())
            .find(|r| r.path == P_POSIX && r.status.as_deref() == Some("FAIL"))
            .and_then(|r| r.excerpt.clone())
            .unwrap();
        assert!(ex.contains(
            "BUG: sleeping function called from invalid context at kernel/locking/mutex.c:585"
        ));
        assert!(ex.contains("] posix_cpu_timer_del+0x"));
    }

    #[test]
    fn two_passing_days_before_each_regression() {
        for s in demo().truth.regressions() {
            let first = i64::from(match s.name.as_str() {
                "many-boards-regression" => S1_DAY,
                "single-board-regression" => S2_DAY,
                "single-compiler-regression" => S3_DAY,
                "fixed-regression" => S4_FROM,
                _ => S9_DAY,
            });
            for r in done(parsed()).filter(|r| {
                r.tree == s.tree_name
                    && s.tests.contains(&r.path)
                    && s.platforms.contains(&r.platform)
                    && (first - 2..first).contains(&r.rel)
            }) {
                assert_eq!(r.status.as_deref(), Some("PASS"), "{} {r:?}", s.name);
            }
        }
    }

    #[test]
    fn flaky_test_rate() {
        let runs: Vec<&Row> = done(parsed())
            .filter(|r| r.path == P_UDPGSO && matches!(r.status.as_deref(), Some("PASS" | "FAIL")))
            .collect();
        let fails = runs
            .iter()
            .filter(|r| r.status.as_deref() == Some("FAIL"))
            .count();
        let rate = fails as f64 / runs.len() as f64;
        assert!((0.22..=0.35).contains(&rate), "{rate}");
        // Failures on every day.
        let days: BTreeSet<i64> = runs
            .iter()
            .filter(|r| r.status.as_deref() == Some("FAIL"))
            .map(|r| r.rel)
            .collect();
        assert_eq!(days.len(), 14);
        assert!(
            demo()
                .truth
                .situations
                .iter()
                .any(|s| s.name == "flaky-test-mainline")
        );
    }

    #[test]
    fn flaky_board() {
        let runs: BTreeMap<(String, i64, String), bool> = done(parsed())
            .filter(|r| r.platform == FLAKY_BOARD)
            .fold(BTreeMap::new(), |mut m, r| {
                let failed = r.status.as_deref() == Some("FAIL") && flaky_board_may_fail(&r.path);
                *m.entry((r.tree.clone(), r.rel, r.compiler.clone()))
                    .or_insert(false) |= failed;
                m
            });
        let bad = runs.values().filter(|b| **b).count();
        let rate = bad as f64 / runs.len() as f64;
        assert!((0.07..=0.25).contains(&rate), "{rate}");
        let s = situation("flaky-board-mainline");
        assert_eq!(s.platforms, vec![FLAKY_BOARD.to_string()]);
        assert!(s.tests.len() >= 2);
    }

    #[test]
    fn lab_outage() {
        let rows: Vec<&Row> = done(parsed())
            .filter(|r| r.lab == OUTAGE_LAB && r.rel == i64::from(OUTAGE_DAY))
            .collect();
        assert!(rows.len() > 100);
        for r in rows {
            let want = if r.path == "boot" { "ERROR" } else { "MISS" };
            if r.status.as_deref() != Some("SKIP") {
                assert_eq!(r.status.as_deref(), Some(want));
            }
        }
        assert!(done(parsed()).any(|r| r.lab == OUTAGE_LAB
            && r.rel == i64::from(OUTAGE_DAY) + 1
            && r.status.as_deref() == Some("PASS")));
        let s = situation("lab-outage-mainline");
        assert_eq!(s.labs, vec![OUTAGE_LAB.to_string()]);
    }

    #[test]
    fn always_failing() {
        let n = check_series(P_KVM, "mainline", |r| r.arch == "arm64");
        assert!(n > 100);
        let s = situation("always-failing-stable");
        assert_eq!(s.tests, vec![P_KVM.to_string()]);
        let days: BTreeSet<i64> = done(parsed())
            .filter(|r| r.path == P_KVM && r.status.as_deref() == Some("FAIL"))
            .map(|r| r.rel)
            .collect();
        assert_eq!(days.len(), 14);
    }

    #[test]
    fn truth_round_trips() {
        let t = &demo().truth;
        let j = serde_json::to_string_pretty(t).unwrap();
        let back: GroundTruth = serde_json::from_str(&j).unwrap();
        assert_eq!(&back, t);
        assert_eq!(t.regressions().count(), 5);
        let names: BTreeSet<&str> = t.situations.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names.len(), t.situations.len());
    }

    #[test]
    fn streaming_writer_matches_generate() {
        let dir = std::env::temp_dir().join(format!("regtrack-demo-stream-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let cfg = DemoConfig::default();
        let (n, bytes) = write_results(&cfg, &dir).unwrap();
        let demo = generate(&cfg);
        assert_eq!(n, demo.files.len());
        assert_eq!(bytes as usize, demo.total_bytes());
        for f in &demo.files {
            let written = std::fs::read_to_string(dir.join(&f.rel_path)).unwrap();
            assert!(written == f.contents, "{} differs", f.rel_path);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn write_demo_layout() {
        let dir = std::env::temp_dir().join(format!("regtrack-demo-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        // A stale day from an earlier, longer run and an unrelated file.
        std::fs::create_dir_all(dir.join("results/2020-01-01")).unwrap();
        std::fs::write(dir.join("results/2020-01-01/maestro.json"), "{}").unwrap();
        std::fs::write(dir.join("results/keep.txt"), "mine").unwrap();
        let n = write_demo(&dir, 1, 14, 1).unwrap();
        assert_eq!(n, 28);
        assert!(!dir.join("results/2020-01-01").exists());
        assert!(dir.join("results/keep.txt").exists());
        let f = std::fs::read_to_string(dir.join("results/2026-11-20/maestro.json")).unwrap();
        let last = demo()
            .files
            .iter()
            .find(|f| f.rel_path == "2026-11-20/maestro.json")
            .unwrap();
        assert_eq!(f, last.contents);
        let truth: GroundTruth =
            serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).unwrap())
                .unwrap();
        assert_eq!(&truth, &demo().truth);
        let about = std::fs::read_to_string(dir.join("content/about-demo.md")).unwrap();
        assert!(about.starts_with("+++\ntitle = ") && about.contains("many-boards-regression"));
        assert!(dir.join("content/known-issues.toml").is_file());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn commit_names() {
        let c = commit_for(
            1,
            T_MAINLINE,
            NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        );
        assert!(c.name.starts_with("v7.4-rc5-"), "{}", c.name);
        assert!(c.uname.starts_with("7.4.0-rc5-0"), "{}", c.uname);
        let sun = commit_for(
            1,
            T_MAINLINE,
            NaiveDate::from_ymd_opt(2026, 11, 15).unwrap(),
        );
        assert_eq!(sun.name, "v7.4-rc5");
        assert_eq!(sun.tags, vec!["v7.4-rc5".to_string()]);
        let n = commit_for(1, T_NEXT, NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
        assert_eq!(n.name, "next-20261120");
        // describe counts grow through the week
        let mut last = 0;
        for d in 16..=21 {
            let c = commit_for(1, T_MAINLINE, NaiveDate::from_ymd_opt(2026, 11, d).unwrap());
            let n: u32 = c.name.split('-').nth(2).unwrap().parse().unwrap();
            assert!(n > last);
            last = n;
        }
        let k = ksuid(&mut sub_rng(1, &[1]), 1_795_000_000);
        assert_eq!(k.len(), 27);
    }
}
