//! The console of one test run: the text builder that stamps lines the way kernel, harness and
//! LKFT logs do, and what the run's kernel looks like (symbol offsets of its build, KASLR
//! addresses, CPU and module lines, LAVA result signals).

use std::fmt::Write as _;

use chrono::{NaiveDateTime, TimeDelta};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::dates::iso_datetime;
use super::random::{fnv, splitmix};
use super::tables::{Arch, Origin};

/// Longest excerpt kept; longer logs keep their tail.
const MAX_EXCERPT: usize = 16_000;

/// What a log excerpt needs to know about the run.
pub(super) struct ExcerptContext<'a> {
    pub(super) origin: Origin,
    pub(super) arch: Arch,
    pub(super) compiler: &'static str,
    pub(super) uname: &'a str,
    pub(super) hw: &'static str,
    pub(super) cpus: u32,
    pub(super) qemu: bool,
    /// KASLR slide of this boot.
    pub(super) slide: u64,
    pub(super) path: &'a str,
    /// Wall-clock start of the test.
    pub(super) host: NaiveDateTime,
    /// Kernel uptime at the start of the test.
    pub(super) uptime_s: u64,
    /// Names the build's artifact folder (the kernel image a failed download was fetching).
    pub(super) build_oid: &'a str,
    /// Build timestamp, as `uname -v` prints it.
    pub(super) build_unix: i64,
}

impl ExcerptContext<'_> {
    /// Last component of the test path (the LAVA test case).
    pub(super) fn case_name(&self) -> &str {
        self.path.rsplit('.').next().unwrap_or(self.path)
    }

    /// A console starting at the test's uptime (and wall clock, for LKFT).
    pub(super) fn console_log(&self, rng: &mut ChaCha8Rng) -> ConsoleLog {
        let host = (self.origin == Origin::Linaro).then_some(self.host);
        ConsoleLog::new(self.uptime_s, rng, host)
    }

    /// `func+0x5f/0x1a0` (plus ` [module]`): offsets depend on the build (arch, compiler).
    pub(super) fn symbol(&self, frame: &str) -> String {
        let (func, module) = match frame.split_once(' ') {
            Some((f, m)) => (f, Some(m)),
            None => (frame, None),
        };
        let (off, size) = function_offset(func, self.arch, self.compiler, self.uname);
        match module {
            Some(m) => format!("{func}+0x{off:x}/0x{size:x} {m}"),
            None => format!("{func}+0x{off:x}/0x{size:x}"),
        }
    }

    /// Runtime address of `frame` (KASLR slide included), for call traces that print one.
    pub(super) fn address(&self, frame: &str) -> u64 {
        let func = frame.split(' ').next().unwrap_or(frame);
        let module = frame.contains('[');
        let h = fnv(func) ^ fnv(self.compiler).rotate_left(17);
        let (off, _) = function_offset(func, self.arch, self.compiler, self.uname);
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

    /// The `CPU: ... Comm: ...` line of a splat.
    pub(super) fn cpu_line(&self, cpu: u32, pid: u32, comm: &str, taint: &str) -> String {
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

    /// `Modules linked in:` of this kind of machine.
    pub(super) fn modules(&self) -> &'static str {
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
    pub(super) fn lava_result(&self, log: &mut ConsoleLog, rng: &mut ChaCha8Rng, result: &str) {
        let line = format!(
            "<LAVA_SIGNAL_TESTCASE TEST_CASE_ID={} RESULT={result}>",
            self.case_name()
        );
        match self.origin {
            Origin::Maestro => log.user(rng, &line),
            Origin::Linaro => log.kmsg(rng, &line),
        }
    }
}

/// Function offset and size within one build: a function of (function, arch, compiler, kernel
/// version), so the same bug shows different `+0x../0x..` on different builds.
fn function_offset(func: &str, arch: Arch, compiler: &str, uname: &str) -> (u32, u32) {
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
pub(super) struct ConsoleLog {
    out: String,
    /// Kernel uptime of the last line, in microseconds.
    uptime_us: u64,
    /// LKFT only: a wall-clock time and the uptime it corresponds to.
    host_clock: Option<(NaiveDateTime, u64)>,
}

impl ConsoleLog {
    fn new(uptime_s: u64, rng: &mut ChaCha8Rng, host: Option<NaiveDateTime>) -> ConsoleLog {
        let uptime_us = uptime_s * 1_000_000 + rng.random_range(0..1_000_000u64);
        ConsoleLog {
            out: String::with_capacity(4096),
            uptime_us,
            host_clock: host.map(|h| (h, uptime_us)),
        }
    }

    /// Starts over at `uptime_us` (for excerpts of what happens during boot), the wall clock
    /// staying where it is.
    pub(super) fn restart_at(&mut self, uptime_us: u64) {
        self.uptime_us = uptime_us;
        if let Some((_, clock_uptime)) = self.host_clock.as_mut() {
            *clock_uptime = uptime_us;
        }
    }

    /// The LKFT host timestamp of the line.
    fn prefix(&mut self) {
        if let Some((h, u0)) = self.host_clock {
            let dt = h + TimeDelta::microseconds(i64::try_from(self.uptime_us - u0).unwrap_or(0));
            let _ = write!(self.out, "[{}] ", iso_datetime(&dt));
        }
    }

    /// `[ uptime] msg`.
    fn stamp(&mut self, msg: &str) {
        let _ = writeln!(
            self.out,
            "[{:5}.{:06}] {msg}",
            self.uptime_us / 1_000_000,
            self.uptime_us % 1_000_000
        );
    }

    /// A kernel console line.
    pub(super) fn kernel(&mut self, rng: &mut ChaCha8Rng, msg: &str) {
        self.uptime_us += rng.random_range(3..400u64);
        self.prefix();
        self.stamp(msg);
    }

    /// A line written through /dev/kmsg by the test harness (`<8>[ uptime] ...`).
    pub(super) fn kmsg(&mut self, rng: &mut ChaCha8Rng, msg: &str) {
        self.uptime_us += rng.random_range(500..30_000u64);
        self.prefix();
        self.out.push_str("<8>");
        self.stamp(msg);
    }

    /// A userspace line.
    pub(super) fn user(&mut self, rng: &mut ChaCha8Rng, msg: &str) {
        self.uptime_us += rng.random_range(50..40_000u64);
        self.prefix();
        self.out.push_str(msg);
        self.out.push('\n');
    }

    /// Lets up to `max_s` seconds pass.
    pub(super) fn wait(&mut self, rng: &mut ChaCha8Rng, max_s: u64) {
        self.uptime_us += rng.random_range(0..max_s * 1_000_000);
    }

    /// The text, cut to `MAX_EXCERPT`.
    pub(super) fn finish(self) -> String {
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
