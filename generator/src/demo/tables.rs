//! The static world of the demo: the submitting origins, the trees they follow, the builds they
//! make, the boards (modelled on real KernelCI, LKFT and CIP labs) and the test catalogue, plus
//! which board runs which test.

use super::random::fnv;

/// Who submits: KernelCI's pipeline (`maestro`) or LKFT (`linaro`). Each writes its own file per
/// day, in its own style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Origin {
    Maestro,
    Linaro,
}

impl Origin {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Origin::Maestro => "maestro",
            Origin::Linaro => "linaro",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Arch {
    X86_64,
    Arm64,
    Arm,
    Riscv,
}

impl Arch {
    /// KCIDB `architecture`.
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Arm64 => "arm64",
            Arch::Arm => "arm",
            Arch::Riscv => "riscv",
        }
    }
    /// `uname -m` of a kernel of this architecture.
    pub(super) fn uname_m(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Arm64 => "aarch64",
            Arch::Arm => "armv7l",
            Arch::Riscv => "riscv64",
        }
    }
}

pub(super) struct TreeDef {
    pub(super) name: &'static str,
    pub(super) url: &'static str,
    pub(super) branch: &'static str,
    /// Who tests it.
    pub(super) origins: &'static [Origin],
    /// No checkouts on Saturdays and Sundays.
    pub(super) weekdays_only: bool,
    /// Hour (UTC) of its daily checkout.
    pub(super) hour: u32,
}

// Indices into `TREES`.
pub(super) const TREE_MAINLINE: usize = 0;
pub(super) const TREE_NEXT: usize = 1;
pub(super) const TREE_STABLE: usize = 2;
pub(super) const TREE_GITHUB: usize = 3;

pub(super) const TREES: [TreeDef; 4] = [
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

pub(super) const GCC: &str = "gcc-14";
pub(super) const CLANG: &str = "clang-19";

/// One build an origin makes of every checkout.
pub(super) struct BuildSpec {
    pub(super) arch: Arch,
    pub(super) config: &'static str,
    pub(super) compiler: &'static str,
    /// Booted and tested on boards (otherwise only built).
    pub(super) tested: bool,
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

/// The builds `origin` makes of every checkout, in submission order.
pub(super) fn builds_of(origin: Origin) -> &'static [BuildSpec] {
    match origin {
        Origin::Maestro => MAESTRO_BUILDS,
        Origin::Linaro => LINARO_BUILDS,
    }
}

/// A board. `flags`: C runs clang builds, K kselftest, U kunit, L ltp, S tests stable,
/// G tests the GitHub tree, Q is a QEMU machine, R has no RTC, J runs CIP-style jobs only
/// ([`JOBS`]: each boots on its own, `<job>.boot`, then runs its tests).
pub(super) struct BoardDef {
    pub(super) name: &'static str,
    pub(super) arch: Arch,
    pub(super) origin: Origin,
    pub(super) lab: &'static str,
    pub(super) compatible: &'static [&'static str],
    pub(super) hw: &'static str,
    pub(super) cpus: u32,
    pub(super) flags: &'static str,
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

// Short names that keep the `BOARDS` table one board per two lines.
const M: Origin = Origin::Maestro;
const L: Origin = Origin::Linaro;
// Labs (`misc.runtime`).
pub(super) const COLLABORA: &str = "lab-collabora";
pub(super) const BAYLIBRE: &str = "lab-baylibre";
pub(super) const BROONIE: &str = "lab-broonie";
pub(super) const CLABBE: &str = "lab-clabbe";
pub(super) const CIP: &str = "lab-cip";
const LAVA_LINARO: &str = "lava-linaro";
const TUXSUITE: &str = "tuxsuite";

#[rustfmt::skip]
pub(super) const BOARDS: &[BoardDef] = &[
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
    // CIP-style jobs (KernelCI's lab-cip): a boot per job, `<job>.boot`
    board("r8a7743-iwg20d-q7", Arch::Arm, M, CIP,
        &["iwave,g20d", "iwave,g20m", "renesas,r8a7743"],
        "Generic RZ/G1 (Flattened Device Tree)", 2, "JS"),
    board("r8a7745-iwg22d-sodimm", Arch::Arm, M, CIP,
        &["iwave,g22d", "iwave,g22m", "renesas,r8a7745"],
        "Generic RZ/G1 (Flattened Device Tree)", 2, "JS"),
    board("r8a774c0-ek874", Arch::Arm64, M, CIP,
        &["si-linux,cat874", "renesas,r8a774c0"],
        "Silicon Linux RZ/G2E evaluation kit EK874 (CAT874 + CAT875) (DT)", 2, "JS"),
    board("r9a07g044l2-smarc", Arch::Arm64, M, CIP,
        &["renesas,smarc-evk", "renesas,r9a07g044l2", "renesas,r9a07g044"],
        "Renesas SMARC EVK based on r9a07g044l2 (DT)", 2, "JS"),
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
pub(super) struct Board {
    pub(super) name: String,
    pub(super) def: &'static BoardDef,
    /// 1 for the base board, 2.. for clones.
    copy: u32,
}

impl Board {
    /// Every board of a history of `scale` (0 counts as 1): the base boards, then copy 2 of
    /// each, then copy 3...
    pub(super) fn all(scale: u32) -> Vec<Board> {
        let scale = scale.max(1);
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
        boards
    }

    /// Has this `BoardDef::flags` letter.
    pub(super) fn has(&self, flag: char) -> bool {
        self.def.flags.contains(flag)
    }
    /// Is the base board `name` (single-board roles are not cloned).
    pub(super) fn base_is(&self, name: &str) -> bool {
        self.copy == 1 && self.def.name == name
    }
    /// Seeds the random stream of the board's runs.
    pub(super) fn machine_slug(&self) -> u64 {
        fnv(&self.name)
    }
}

/// The always-failing test (arm64 only runs it for real).
pub(super) const TEST_KVM: &str = "kselftest.kvm.dirty_log_perf_test";

/// The test catalogue, in run order (boot first), of every board but the `J` ones.
pub(super) const TESTS: &[&str] = &[
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
    "ltp.syscalls.clock_gettime03",
    "ltp.syscalls.fsync02",
    "ltp.syscalls.mq_timedreceive01",
    "ltp.dio.dio01",
    "ltp.dio.dio02",
    "ltp.dio.dio03",
    "ltp.dio.dio04",
    "ltp.dio.dio05",
    "ltp.dio.dio06",
    "ltp.dio.dio07",
    "ltp.dio.dio08",
    "ltp.mm.vma05",
    "ltp.mm.mmap10",
    "ltp.fs.fs_inod01",
    "ltp.sched.hackbench01",
    "ltp.math.float_bessel",
    "ltp.cve.cve-2017-17806",
];

/// A CIP-style job: it boots the board on its own (`<job>.boot`, as CIP names the boot of a
/// job that is not a boot job), then runs its tests; when its boot fails, its tests are MISS.
pub(super) struct Job {
    pub(super) name: &'static str,
    /// `<name>.boot`.
    pub(super) boot: &'static str,
    pub(super) tests: &'static [&'static str],
}

/// The jobs `J` boards run, in order.
pub(super) const JOBS: &[Job] = &[
    Job {
        name: "ltp-math-tests",
        boot: "ltp-math-tests.boot",
        tests: &["ltp.math.float_bessel"],
    },
    Job {
        name: "ltp-timers-tests",
        boot: "ltp-timers-tests.boot",
        tests: &["ltp.syscalls.clock_nanosleep01", "ltp.syscalls.leapsec01"],
    },
    Job {
        name: "wlan-smoke",
        boot: "wlan-smoke.boot",
        tests: &["wlan-smoke.wlan0-up", "wlan-smoke.wlan0-scan"],
    },
];

/// One test a board runs: its path, whether it runs for real, and the CIP-style job it
/// belongs to (`J` boards only).
pub(super) struct Planned {
    pub(super) path: &'static str,
    pub(super) avail: Availability,
    pub(super) job: Option<&'static Job>,
}

impl Planned {
    /// The boot of a CIP-style job.
    pub(super) fn is_job_boot(&self) -> bool {
        self.job.is_some_and(|j| j.boot == self.path)
    }
}

/// Every test `b` runs, in run order.
pub(super) fn run_list(b: &Board) -> Vec<Planned> {
    if b.has('J') {
        return JOBS
            .iter()
            .flat_map(|job| {
                std::iter::once(job.boot)
                    .chain(job.tests.iter().copied())
                    .map(move |path| Planned {
                        path,
                        avail: Availability::Run,
                        job: Some(job),
                    })
            })
            .collect();
    }
    TESTS
        .iter()
        .map(|&path| Planned {
            path,
            avail: availability(b, path),
            job: None,
        })
        .filter(|p| p.avail != Availability::Absent)
        .collect()
}

/// Whether a board runs a test: not at all, for real, or reporting SKIP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Availability {
    Absent,
    Run,
    Skip,
}

/// Which catalogue tests a board runs, from its flags, origin and architecture.
fn availability(b: &Board, path: &str) -> Availability {
    let arch = b.def.arch;
    let qemu = b.has('Q');
    let suite = path.split('.').next().unwrap_or(path);
    match suite {
        "boot" => Availability::Run,
        // LKFT has no "baseline" jobs.
        "baseline" if b.def.origin == Origin::Maestro => Availability::Run,
        "kselftest" if b.has('K') => match path {
            TEST_KVM if !matches!(arch, Arch::X86_64 | Arch::Arm64) => Availability::Absent,
            TEST_KVM if qemu => Availability::Skip,
            "kselftest.mm.ksm_functional_tests" if arch == Arch::Arm => Availability::Skip,
            "kselftest.rtc.rtctest" if b.has('R') => Availability::Skip,
            "kselftest.breakpoints.step_after_suspend_test" if qemu || arch == Arch::Arm => {
                Availability::Skip
            }
            _ => Availability::Run,
        },
        "kunit" if b.has('U') => {
            if path.starts_with("kunit.kasan.") && arch == Arch::Arm {
                Availability::Absent
            } else {
                Availability::Run
            }
        }
        "ltp" if b.has('L') => match path {
            "ltp.syscalls.mseal02" | "ltp.syscalls.statx04" if arch == Arch::Arm => {
                Availability::Skip
            }
            _ => Availability::Run,
        },
        _ => Availability::Absent,
    }
}
