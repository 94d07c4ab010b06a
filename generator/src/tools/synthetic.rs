//! A synthetic night at a chosen size, built directly as a [`Report`] (no KCIDB files, no
//! correlation): for the viewer's benchmark (100,000 regressions, 1,000,000 occurrences) and
//! its browser tests at a size where facets and paging matter.
//!
//! The shape follows real KernelCI nights: a few dozen trees and branches, a few hundred boards
//! (each with one architecture and lab), popular test suites with long tails of test cases,
//! crash signatures shared by several regressions, titles taken from the signature or the
//! first test, environment counts per regression heavy-tailed (most hit one to a few boards,
//! some hit a hundred), history strips that mostly pass then fail. Deterministic for a seed.

use chrono::NaiveDate;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::content::{Annotation, KnownIssueRef};
use crate::correlate::{
    FixWindow, KcidbIssueRef, Occurrence, RecentRun, Regression, RegressionStatus, Scope, stable_id,
};
use crate::model::Status;
use crate::report::Report;
use crate::series::CommitRef;

const TREES: &[(&str, &str, &[&str])] = &[
    (
        "mainline",
        "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git",
        &["master"],
    ),
    (
        "next",
        "https://git.kernel.org/pub/scm/linux/kernel/git/next/linux-next.git",
        &["master", "pending-fixes"],
    ),
    (
        "stable",
        "https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git",
        &["linux-6.12.y", "linux-6.6.y", "linux-6.1.y", "linux-5.15.y"],
    ),
    (
        "stable-rc",
        "https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux-stable-rc.git",
        &["linux-6.17.y", "linux-6.12.y", "linux-6.6.y"],
    ),
    (
        "android",
        "https://github.com/aosp-mirror/kernel_common.git",
        &["android16-6.12", "android15-6.6", "android-mainline"],
    ),
    (
        "chromiumos",
        "https://gitlab.com/chromiumos/third_party/kernel.git",
        &["chromeos-6.6", "chromeos-6.12"],
    ),
    (
        "netdev",
        "https://git.kernel.org/pub/scm/linux/kernel/git/netdev/net-next.git",
        &["main"],
    ),
    (
        "broonie-sound",
        "https://git.kernel.org/pub/scm/linux/kernel/git/broonie/sound.git",
        &["for-next"],
    ),
    (
        "arm64",
        "https://git.kernel.org/pub/scm/linux/kernel/git/arm64/linux.git",
        &["for-next/core"],
    ),
    ("kselftest", "https://example.org/kselftest.git", &["next"]),
];

const SUITES: &[&str] = &[
    "kselftest.net",
    "kselftest.kvm",
    "kselftest.mm",
    "kselftest.bpf",
    "kselftest.timers",
    "kselftest.cgroup",
    "kselftest.seccomp",
    "kselftest.arm64",
    "kselftest.rtc",
    "kselftest.alsa",
    "ltp.syscalls",
    "ltp.mm",
    "ltp.fs",
    "ltp.sched",
    "ltp.net",
    "ltp.crypto",
    "kunit.overflow",
    "kunit.kasan",
    "kunit.drm",
    "kunit.ext4",
    "baseline.dmesg",
    "baseline.login",
    "boot",
    "igt-gpu-panfrost",
    "igt-kms-rockchip",
    "v4l2-compliance",
    "tast.kernel",
    "blktests.block",
    "xfstests.generic",
    "xfstests.xfs",
];

const WORDS: &[&str] = &[
    "tls",
    "vma",
    "mmap",
    "sock",
    "timer",
    "posix",
    "dirty",
    "log",
    "perf",
    "clone",
    "futex",
    "signal",
    "pipe",
    "epoll",
    "inotify",
    "fanotify",
    "setsockopt",
    "getrandom",
    "madvise",
    "mremap",
    "hugetlb",
    "memfd",
    "userfaultfd",
    "ptrace",
    "seccomp",
    "cgroup",
    "cpuset",
    "freezer",
    "rtc",
    "alarm",
    "hrtimer",
    "kvm",
    "vcpu",
    "irq",
    "gic",
    "its",
    "pmu",
    "sve",
    "mte",
    "bti",
    "pac",
    "sme",
    "fp",
    "dma",
    "iommu",
    "pci",
    "usb",
    "mmc",
    "spi",
    "i2c",
    "gpio",
    "pinctrl",
    "clk",
    "regulator",
    "thermal",
    "cpufreq",
    "devfreq",
    "suspend",
    "resume",
    "hibernate",
    "bpf",
    "verifier",
    "map",
    "btf",
    "xdp",
    "netfilter",
    "nft",
    "ipv6",
    "route",
    "bridge",
    "vlan",
    "tcp",
    "udp",
    "sctp",
    "mptcp",
    "ext4",
    "xfs",
    "btrfs",
    "f2fs",
    "overlay",
    "fuse",
    "nfs",
    "aio",
    "io_uring",
    "splice",
    "sendfile",
    "crypto",
    "aead",
    "hash",
    "drm",
    "kms",
    "atomic",
    "plane",
    "crtc",
    "hdmi",
    "audio",
    "pcm",
    "mixer",
];

const ARCHES: &[(&str, u32)] = &[
    ("arm64", 45),
    ("arm", 20),
    ("x86_64", 25),
    ("riscv", 6),
    ("i386", 2),
    ("mips", 2),
];

const SOCS: &[&str] = &[
    "sun50i-h6",
    "sun8i-h3",
    "rk3399",
    "rk3588",
    "rk3328",
    "meson-g12b",
    "meson-gxl",
    "imx8mp",
    "imx8mq",
    "imx6q",
    "bcm2711",
    "bcm2837",
    "mt8183",
    "mt8192",
    "mt8195",
    "sc7180",
    "sm8250",
    "qcs6490",
    "am625",
    "am62x",
    "j721e",
    "exynos5422",
    "tegra210",
    "tegra194",
    "jh7110",
    "zynqmp",
    "hifive",
    "x86-intel",
    "x86-amd",
    "qemu",
];

const VENDORS: &[&str] = &[
    "pine",
    "orangepi",
    "radxa",
    "khadas",
    "libretech",
    "nxp",
    "raspberrypi",
    "google",
    "asus",
    "hp",
    "acer",
    "lenovo",
    "dell",
    "ti",
    "beagle",
    "nvidia",
    "starfive",
    "xilinx",
    "sifive",
    "odroid",
    "solidrun",
    "toradex",
];

const LABS: &[&str] = &[
    "lab-baylibre",
    "lab-collabora",
    "lab-broonie",
    "lab-linaro-lkft",
    "lab-cip",
    "lab-clabbe",
    "lab-kontron",
    "lab-pengutronix",
    "lab-nxp",
    "lab-qualcomm",
    "lab-theobroma",
    "lab-microsoft",
    "lab-google",
    "lab-redhat",
    "lab-tuxsuite",
];

const CONFIG_BASES: &[&str] = &[
    "defconfig",
    "multi_v7_defconfig",
    "allmodconfig",
    "x86_64_defconfig",
    "i386_defconfig",
    "tinyconfig",
    "rv32_defconfig",
    "cros://chromeos-6.6/arm64/chromiumos-mediatek.flavour.config",
];

const CONFIG_FRAGMENTS: &[&str] = &[
    "",
    "+kselftest",
    "+debug",
    "+kasan",
    "+lockdep",
    "+arm64-chromebook",
    "+CONFIG_CPU_BIG_ENDIAN=y",
    "+virtualvideo",
];

const COMPILERS: &[&str] = &[
    "gcc-12", "gcc-13", "gcc-14", "clang-17", "clang-18", "clang-19", "clang-20",
];

const CRASHES: &[&str] = &[
    "WARNING in",
    "BUG: KASAN: slab-use-after-free in",
    "BUG: KASAN: null-ptr-deref in",
    "BUG: unable to handle kernel NULL pointer dereference in",
    "BUG: sleeping function called from invalid context in",
    "INFO: task hung in",
    "general protection fault in",
    "possible deadlock in",
    "kernel BUG in",
    "UBSAN: shift-out-of-bounds in",
    "KCSAN: data-race in",
    "memory leak in",
    "INFO: rcu detected stall in",
];

fn pick<'a, T>(rng: &mut ChaCha8Rng, xs: &'a [T]) -> &'a T {
    &xs[rng.random_range(0..xs.len() as u64) as usize]
}

/// A heavy-tailed index below `n`: small indices far more likely (Zipf-like).
fn skewed(rng: &mut ChaCha8Rng, n: usize) -> usize {
    let u = rng.random_range(1..=1_000_000u64);
    // n^(u/1e6) - 1: log-uniform, so index i is about 1/(i+1) as likely as index 0.
    let x = ((n as f64).powf(u as f64 / 1_000_000.0) - 1.0) as usize;
    x.min(n - 1)
}

fn hex(rng: &mut ChaCha8Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from_digit(rng.random_range(0..16u32), 16).unwrap())
        .collect()
}

struct Board {
    name: String,
    arch: &'static str,
    lab: &'static str,
}

fn boards(rng: &mut ChaCha8Rng, n: usize) -> Vec<Board> {
    let total: u32 = ARCHES.iter().map(|a| a.1).sum();
    (0..n)
        .map(|i| {
            let mut w = rng.random_range(0..total);
            let arch = ARCHES
                .iter()
                .find(|(_, p)| {
                    if w < *p {
                        true
                    } else {
                        w -= p;
                        false
                    }
                })
                .unwrap()
                .0;
            Board {
                name: format!("{}-{}-{}", pick(rng, SOCS), pick(rng, VENDORS), i),
                arch,
                lab: LABS[rng.random_range(0..LABS.len())],
            }
        })
        .collect()
}

/// A synthetic report of `regressions` regressions with about `occurrences` occurrences in
/// total, reported on 2026-11-20. The same arguments give the same report.
pub fn report(regressions: usize, occurrences: usize, seed: u64) -> Report {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let report_date = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let boards = boards(&mut rng, (regressions / 300).clamp(40, 400));
    let n_tests = (regressions * 3 / 10).max(20);
    let tests: Vec<String> = (0..n_tests)
        .map(|i| {
            let suite = SUITES[skewed(&mut rng, SUITES.len())];
            if suite == "boot" {
                "boot".to_string()
            } else {
                format!(
                    "{suite}.{}_{}{}",
                    pick(&mut rng, WORDS),
                    pick(&mut rng, WORDS),
                    i % 97
                )
            }
        })
        .collect();
    let n_sigs = (regressions / 12).max(5);
    let signatures: Vec<String> = (0..n_sigs)
        .map(|_| {
            format!(
                "{} {}_{}{}",
                pick(&mut rng, CRASHES),
                pick(&mut rng, WORDS),
                pick(&mut rng, WORDS),
                pick(&mut rng, &["", "_locked", "_work", "_irq", "_rcu"]),
            )
        })
        .collect();
    let configs: Vec<String> = CONFIG_BASES
        .iter()
        .flat_map(|b| CONFIG_FRAGMENTS.iter().map(move |f| format!("{b}{f}")))
        .collect();
    let mut out = Vec::with_capacity(regressions);
    let mut occ_left = occurrences;
    for i in 0..regressions {
        let (tree, repo, branches) = TREES[skewed(&mut rng, TREES.len())];
        let branch = *pick(&mut rng, branches);
        let ntests = 1 + usize::from(rng.random_range(0..10u32) == 0) * rng.random_range(1..3usize);
        let rtests: Vec<String> = (0..ntests)
            .map(|_| tests[skewed(&mut rng, tests.len())].clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let signature =
            (rng.random_range(0..10u32) < 3).then(|| signatures[skewed(&mut rng, n_sigs)].clone());
        let title = signature
            .clone()
            .unwrap_or_else(|| format!("{} fails", rtests[0]));
        let age = skewed(&mut rng, 60) as i64;
        let first_seen = report_date - chrono::Days::new(age as u64);
        let status = match rng.random_range(0..100u32) {
            _ if age == 0 => RegressionStatus::New,
            0..=59 => RegressionStatus::Ongoing,
            60..=89 => RegressionStatus::Fixed,
            _ => RegressionStatus::Reopened,
        };
        let last_seen = if status == RegressionStatus::Fixed {
            first_seen + chrono::Days::new(rng.random_range(0..=age as u64))
        } else {
            report_date
        };
        // Environments: heavy-tailed around the requested mean, within what is left.
        let left_regs = regressions - i;
        let mean = (occ_left as f64 / left_regs as f64).max(1.0);
        // 40% on 1-3 environments, 45% on up to twice the mean, 15% on a long tail sized so
        // that the expected count is the mean.
        let tail = ((7.3 * mean - 14.7).max(4.0)) as usize;
        let mut k = match rng.random_range(0..100u32) {
            0..=39 => 1 + rng.random_range(0..3usize),
            40..=84 => 1 + rng.random_range(0..(mean as usize * 2).max(1)),
            _ => 1 + rng.random_range(0..tail),
        };
        if left_regs == 1 {
            k = occ_left.max(1);
        }
        k = k.min(occ_left.saturating_sub(left_regs - 1).max(1));
        let home = rng.random_range(0..boards.len());
        let step = *pick(&mut rng, &[1usize, 3, 7, 11, 13]);
        let nconf = 1 + skewed(&mut rng, 4);
        let confs: Vec<&String> = (0..nconf)
            .map(|_| &configs[skewed(&mut rng, configs.len())])
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let ncomp = 1 + skewed(&mut rng, 3);
        let comps: Vec<&str> = (0..ncomp)
            .map(|_| *pick(&mut rng, COMPILERS))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        // Environments walk tests, then configs, then compilers, then boards: a regression on
        // 12 environments with 2 configs is on 6 boards.
        let combos = rtests.len() * confs.len() * comps.len();
        let commit = |rng: &mut ChaCha8Rng, tag: &str| CommitRef {
            commit: Some(hex(rng, 40)),
            describe: Some(format!(
                "v6.18-rc{}-{}-g{}",
                tag,
                rng.random_range(1..400u32),
                hex(rng, 12)
            )),
            start_time: Some(format!(
                "{first_seen}T{:02}:00:00+00:00",
                rng.random_range(0..24u32)
            )),
        };
        let last_pass = commit(&mut rng, "5");
        let first_fail = commit(&mut rng, "6");
        let mut occs = Vec::with_capacity(k);
        let mut seen = std::collections::BTreeSet::new();
        for j in 0..k {
            let test = rtests[j % rtests.len()].clone();
            let config = confs[(j / rtests.len()) % confs.len()].clone();
            let compiler = comps[(j / (rtests.len() * confs.len())) % comps.len()].to_string();
            // One environment is one series: after wrapping around the boards, move on to
            // the next free one.
            let mut at = (home + (j / combos) * step) % boards.len();
            let mut tries = 0;
            while !seen.insert((at, test.clone(), config.clone(), compiler.clone())) {
                at = (at + 1) % boards.len();
                tries += 1;
                if tries > boards.len() {
                    break;
                }
            }
            if tries > boards.len() {
                continue;
            }
            let b = &boards[at];
            let flaky = rng.random_range(0..100u32) < 8;
            let fails = 1 + rng.random_range(0..6usize).min(age as usize);
            let mut recent: Vec<Status> = (0..14 - fails.min(13))
                .map(|_| match rng.random_range(0..40u32) {
                    0 if flaky => Status::Fail,
                    1 => Status::Miss,
                    2 => Status::Error,
                    3 => Status::Skip,
                    _ => Status::Pass,
                })
                .collect();
            recent.extend(std::iter::repeat_n(Status::Fail, fails.min(13)));
            if status == RegressionStatus::Fixed {
                let n = recent.len();
                recent[n - 1] = Status::Pass;
            }
            let excerpt = (j == 0 && rng.random_range(0..10u32) < 3).then(|| {
                format!(
                    "[  {}.{:06}] {}\n[  {}.{:06}] CPU: {} PID: {} Comm: {}\n[  {}.{:06}] Call trace:\n[  {}.{:06}]  {}+0x{:x}/0x{:x}\n",
                    rng.random_range(1..999u32),
                    rng.random_range(0..999_999u32),
                    signature.as_deref().unwrap_or("kernel: test failed <see log>"),
                    rng.random_range(1..999u32),
                    rng.random_range(0..999_999u32),
                    rng.random_range(0..8u32),
                    rng.random_range(1..9999u32),
                    pick(&mut rng, WORDS),
                    rng.random_range(1..999u32),
                    rng.random_range(0..999_999u32),
                    rng.random_range(1..999u32),
                    rng.random_range(0..999_999u32),
                    pick(&mut rng, WORDS),
                    rng.random_range(0..0x400u32),
                    rng.random_range(0x400..0x800u32),
                )
            });
            occs.push(Occurrence {
                test,
                platform: b.name.clone(),
                arch: b.arch.to_string(),
                config,
                compiler,
                lab: (rng.random_range(0..50u32) != 0).then(|| b.lab.to_string()),
                // Each lab reports through one CI system (no draw: the sequence stays).
                origin: Some(["maestro", "linaro", "cki"][b.lab.len() % 3].to_string()),
                last_pass_commit: last_pass.commit.clone(),
                first_fail_commit: first_fail.commit.clone(),
                latest_status: *recent.last().unwrap(),
                // Statuses only: the strips of synthetic reports name no commits.
                recent: recent
                    .iter()
                    .map(|&status| RecentRun {
                        status,
                        commit: None,
                        describe: None,
                        day: None,
                        log_url: None,
                    })
                    .collect(),
                flaky_score: if flaky {
                    0.1 + rng.random_range(0..400u32) as f64 / 1000.0
                } else {
                    rng.random_range(0..50u32) as f64 / 1000.0
                },
                intermittent: flaky,
                change: String::new(),
                signature: signature.clone(),
                log_url: Some(format!(
                    "https://storage.kernelci.org/{tree}/{branch}/{}/log.txt",
                    hex(&mut rng, 12)
                )),
                log_excerpt: excerpt,
            });
        }
        // What could not be placed (more environments than boards) goes to later ones.
        occ_left = occ_left.saturating_sub(occs.len());
        let distinct_boards: std::collections::BTreeSet<&str> =
            occs.iter().map(|o| o.platform.as_str()).collect();
        let scope = if distinct_boards.len() == 1 {
            Scope {
                kind: "board",
                value: Some(occs[0].platform.clone()),
            }
        } else {
            match rng.random_range(0..10u32) {
                0..=3 => Scope {
                    kind: "all",
                    value: None,
                },
                4 => Scope {
                    kind: "arch",
                    value: Some(occs[0].arch.clone()),
                },
                5 => Scope {
                    kind: "config",
                    value: Some(occs[0].config.clone()),
                },
                6 => Scope {
                    kind: "compiler",
                    value: Some(occs[0].compiler.clone()),
                },
                _ => Scope {
                    kind: "partial",
                    value: None,
                },
            }
        };
        let id = stable_id(&["synthetic", &seed.to_string(), &i.to_string()]);
        let known = (rng.random_range(0..50u32) == 0).then(|| KnownIssueRef {
            id: format!("known-{}", rng.random_range(0..40u32)),
            title: Some(format!("{} is known to fail", rtests[0])),
            url: Some("https://lore.kernel.org/all/known@example.org/".into()),
        });
        let annotations = (rng.random_range(0..100u32) == 0).then(|| Annotation {
            title: None,
            state: Some(pick(&mut rng, &["reported", "fix-proposed", "fixed"]).to_string()),
            duplicate_of: None,
            report_url: Some("https://lore.kernel.org/all/report@example.org/".into()),
            fix_url: None,
            culprit: first_fail.commit.clone(),
            note_html: Some(
                "<p>Bisected; see the <a href=\"https://lore.kernel.org/\">report</a>.</p>\n"
                    .into(),
            ),
        });
        let kcidb_issues = if rng.random_range(0..30u32) == 0 {
            vec![KcidbIssueRef {
                id: format!("maestro:{}", hex(&mut rng, 24)),
                version: Some(1),
                origin: Some("maestro".into()),
                comment: Some(title.clone()),
                report_url: Some("https://lore.kernel.org/all/issue@example.org/".into()),
                report_subject: Some(format!("[REGRESSION] {title}")),
                culprit: None,
                categories: vec!["kernel".into()],
                incidents: 1 + rng.random_range(0..20usize),
            }]
        } else {
            Vec::new()
        };
        let fixed_in = (status == RegressionStatus::Fixed).then(|| FixWindow {
            last_fail: commit(&mut rng, "7"),
            first_pass: commit(&mut rng, "7"),
        });
        out.push(Regression {
            url: format!("r/{id}/"),
            id,
            status,
            title,
            tree: Some(tree.to_string()),
            branch: Some(branch.to_string()),
            repository_url: Some(repo.to_string()),
            first_seen: Some(first_seen),
            last_seen: Some(last_seen),
            last_pass,
            first_fail,
            tests: rtests,
            occurrences: occs,
            signature,
            scope,
            fixed_in,
            explained_misses: 0,
            known_issue: known,
            annotations,
            kcidb_issues,
            confirmed: Some(crate::correlate::regression::Confirmation {
                day: Some(first_seen),
                by: "a second environment".into(),
            }),
            evidence: Vec::new(),
            failing_tests: Vec::new(),
            kcidb_runs: Vec::new(),
            tree_key: repo.to_string(),
        });
    }
    // The report's order: newest first, then title, then id.
    out.sort_by(|a, b| (b.first_seen, &a.title, &a.id).cmp(&(a.first_seen, &b.title, &b.id)));
    let mut health = crate::correlate::health::Health::default();
    for (i, b) in boards.iter().enumerate().step_by(9) {
        health
            .flaky_tests
            .push(crate::correlate::health::FlakyTest {
                tree: Some("mainline".into()),
                branch: "master".into(),
                test: tests[i % tests.len()].clone(),
                platforms: vec![b.name.clone()],
                environments: 1,
                runs: 20,
                fails: 5,
                failure_rate: 0.25,
                flaky_score: 0.2,
                flips: 6,
                stretches: 0,
                evidence: Vec::new(),
                known_issue: None,
            });
        if i % 27 == 0 {
            health
                .suspect_boards
                .push(crate::correlate::health::SuspectBoard {
                    platform: b.name.clone(),
                    labs: vec![b.lab.to_string()],
                    sporadic_tests: vec![tests[(i + 1) % tests.len()].clone()],
                    sporadic_failures: 4,
                    mass_failure_jobs: 1,
                    runs: 120,
                    failure_rate: 4.0 / 120.0,
                    counted: 4,
                    expected: 0.5,
                    families: 1,
                    evidence: Vec::new(),
                });
        }
    }
    Report {
        report_date: Some(report_date),
        regressions: out,
        health,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_and_determinism() {
        let a = super::report(500, 5000, 7);
        let b = super::report(500, 5000, 7);
        assert_eq!(a.regressions.len(), 500);
        let occ: usize = a.regressions.iter().map(|r| r.occurrences.len()).sum();
        assert_eq!(occ, 5000);
        let ids: Vec<_> = a.regressions.iter().map(|r| &r.id).collect();
        let ids_b: Vec<_> = b.regressions.iter().map(|r| &r.id).collect();
        assert_eq!(ids, ids_b);
        let statuses: std::collections::BTreeSet<_> =
            a.regressions.iter().map(|r| r.status.as_str()).collect();
        assert_eq!(statuses.len(), 4);
    }
}
