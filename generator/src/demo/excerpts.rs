//! The log excerpt of every planted failure, as the test harness (kselftest, LTP, KUnit, the
//! baseline dmesg check) and the kernel print it, plus the LAVA log of a job lost to the lab
//! outage. Each varies per run (pids, timings, registers, symbol offsets of the build) while
//! keeping what identifies the bug, as real logs do.

use std::fmt::Write as _;

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::console::{ConsoleLog, ExcerptContext};
use super::dates::iso_datetime;
use super::harness::{kselftest_begin, kselftest_end, ltp_begin, ltp_end};
use super::plain_failures;
use super::planted::FailKind;
use super::random::{fnv, hex_str, pick};
use super::splats::{register_dump, syscall_tail, warn_splat};
use super::tables::Arch;

/// The log excerpt of a failure of `kind` in `run`.
pub(super) fn excerpt(kind: FailKind, run: &ExcerptContext, rng: &mut ChaCha8Rng) -> String {
    let mut log = run.console_log(rng);
    match kind {
        FailKind::Tls => tls_excerpt(&mut log, rng, run),
        FailKind::NullDeref => null_deref_excerpt(&mut log, rng, run),
        FailKind::Shift => shift_excerpt(&mut log, rng, run),
        FailKind::Fanotify => fanotify_excerpt(&mut log, rng, run),
        FailKind::PosixSleep => posix_sleep_excerpt(&mut log, rng, run),
        FailKind::Udpgso => udpgso_excerpt(&mut log, rng, run),
        FailKind::FlakyBoard => flaky_board_excerpt(&mut log, rng, run),
        FailKind::Kvm => kvm_excerpt(&mut log, rng, run),
        FailKind::Seccomp => plain_failures::seccomp(&mut log, rng, run),
        FailKind::Dio => plain_failures::dio(&mut log, rng, run),
        FailKind::Ksm => plain_failures::ksm(&mut log, rng, run),
        FailKind::Intermittent(_) | FailKind::MqNoise => {
            plain_failures::intermittent(&mut log, rng, run);
        }
        FailKind::MqBroken => plain_failures::mq_broken(&mut log, rng, run),
        FailKind::JobBoot => plain_failures::job_boot(&mut log, rng, run),
        FailKind::FsInod => plain_failures::fs_inod(&mut log, rng, run),
        FailKind::OneOff => plain_failures::execveat(&mut log, rng, run),
    }
    log.finish()
}

/// The first cases of `kselftest.net.tls`, which pass before the failing one.
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

/// The many-boards regression: a `WARN_ON` in `tls_sw_recvmsg`, hit by the kselftest and by
/// LTP's `setsockopt10`.
fn tls_excerpt(log: &mut ConsoleLog, rng: &mut ChaCha8Rng, run: &ExcerptContext) {
    let pid = rng.random_range(300..9000u32);
    if run.path.starts_with("kselftest") {
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
        callers.extend(syscall_tail(run.arch, "recvmsg"));
        kselftest_begin(log, rng, run);
        log.user(rng, "# TAP version 13");
        log.user(rng, "# 1..612");
        log.user(rng, "# # Starting 612 tests from 18 fixtures.");
        let before = 2 + rng.random_range(0..4u32) as usize;
        for (i, case) in TLS_CASES.iter().take(before).enumerate() {
            log.user(rng, &format!("# #  RUN           {case} ..."));
            log.user(rng, &format!("# #            OK  {case}"));
            log.user(rng, &format!("# ok {} {case}", i + 1));
        }
        let failing = "tls.13_aes_gcm.recv_peek_large_buf_mult_recs";
        log.user(rng, &format!("# #  RUN           {failing} ..."));
        warn_splat(
            log,
            rng,
            run,
            (pid, "tls"),
            "net/tls/tls_sw.c:2123",
            "tls_sw_recvmsg",
            &callers,
        );
        log.user(
            rng,
            "# tls.c:1486:recv_peek_large_buf_mult_recs:Expected memcmp(expected, buf, len) (-1) == 0 (0)",
        );
        log.user(
            rng,
            "# recv_peek_large_buf_mult_recs: Test terminated by assertion",
        );
        log.user(rng, &format!("# #          FAIL  {failing}"));
        log.user(rng, &format!("# not ok {} {failing}", before + 1));
        let fails = rng.random_range(4..15u32);
        log.user(
            rng,
            &format!("# # FAILED: {} / 612 tests passed.", 612 - fails),
        );
        log.user(
            rng,
            &format!(
                "# # Totals: pass:{} fail:{fails} xfail:0 xpass:0 skip:0 error:0",
                612 - fails
            ),
        );
        kselftest_end(log, rng, run, "exit=1");
    } else {
        let mut callers: Vec<String> = ["inet_recvmsg", "sock_recvmsg", "__sys_recvfrom"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        callers.extend(syscall_tail(run.arch, "recvfrom"));
        ltp_begin(log, rng, run);
        log.user(
            rng,
            "setsockopt10.c:118: TINFO: Setting up TLS ULP on a connected TCP socket",
        );
        log.user(
            rng,
            "setsockopt10.c:131: TINFO: Receiving a record split across two skbs",
        );
        warn_splat(
            log,
            rng,
            run,
            (pid, "setsockopt10"),
            "net/tls/tls_sw.c:2123",
            "tls_sw_recvmsg",
            &callers,
        );
        log.user(
            rng,
            "setsockopt10.c:152: TFAIL: recv() failed: EBADMSG (74)",
        );
        log.user(rng, "tst_taint.c:136: TFAIL: Kernel is now tainted");
        ltp_end(log, rng, run, [1, 2, 0, 0]);
    }
}

/// The single-board regression: an oops in the ethernet driver's probe at boot, which the
/// baseline dmesg check reports.
fn null_deref_excerpt(log: &mut ConsoleLog, rng: &mut ChaCha8Rng, run: &ExcerptContext) {
    // Happens while the ethernet driver module loads during boot; the baseline test reports
    // the emergency-level lines it found in dmesg.
    log.restart_at(rng.random_range(6_000_000..11_000_000u64));
    let pid = rng.random_range(90..400u32);
    let cpu = rng.random_range(0..run.cpus);
    log.kernel(
        rng,
        "dwmac-sun8i 5020000.ethernet: IRQ eth_wake_irq not found",
    );
    log.kernel(rng, "dwmac-sun8i 5020000.ethernet: IRQ eth_lpi not found");
    log.kernel(
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
        log.kernel(rng, l);
    }
    let pgd = format!(
        "user pgtable: 4k pages, 48-bit VAs, pgdp=00000000{:08x}",
        rng.random::<u32>() & !0xfff
    );
    log.kernel(rng, &pgd);
    log.kernel(
        rng,
        "[0000000000000010] pgd=0000000000000000, p4d=0000000000000000",
    );
    log.kernel(rng, "Internal error: Oops: 0000000096000004 [#1]  SMP");
    log.kernel(
        rng,
        "Modules linked in: dwmac_sun8i(+) stmmac_platform stmmac pcs_xpcs phylink mdio_mux sunxi_cedrus(C) v4l2_mem2mem sun8i_ce crypto_engine sun4i_gpadc_iio industrialio",
    );
    log.kernel(
        rng,
        &run.cpu_line(cpu, pid, "(udev-worker)", "Tainted: G         C"),
    );
    log.kernel(rng, "Tainted: [C]=CRAP");
    log.kernel(rng, &format!("Hardware name: {}", run.hw));
    register_dump(
        log,
        rng,
        run,
        "sun8i_dwmac_set_syscon [dwmac_sun8i]",
        "sun8i_dwmac_probe [dwmac_sun8i]",
    );
    log.kernel(rng, "Call trace:");
    log.kernel(
        rng,
        &format!(
            " {} (P)",
            run.symbol("sun8i_dwmac_set_syscon [dwmac_sun8i]")
        ),
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
        log.kernel(rng, &format!(" {}", run.symbol(f)));
    }
    log.kernel(rng, "Code: f9400a60 f9401c15 b4000875 f9400aa0 (b9401000) ");
    log.kernel(rng, "---[ end trace 0000000000000000 ]---");
    log.wait(rng, 40);
    log.user(rng, "/ # cat /tmp/dmesg.emerg");
    log.user(rng, "Internal error: Oops: 0000000096000004 [#1]  SMP");
    log.user(rng, "Code: f9400a60 f9401c15 b4000875 f9400aa0 (b9401000) ");
    let line = "<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=emerg RESULT=fail UNITS=lines MEASUREMENT=2>";
    log.user(rng, line);
}

/// The single-compiler regression: a KUnit expectation failing at boot.
fn shift_excerpt(log: &mut ConsoleLog, rng: &mut ChaCha8Rng, run: &ExcerptContext) {
    // KUnit runs at boot: kernel timestamps of a few seconds.
    log.restart_at(rng.random_range(2_000_000..9_000_000u64));
    let suite_no = rng.random_range(30..90u32);
    log.kernel(rng, "    KTAP version 1");
    log.kernel(rng, "    # Subtest: overflow");
    log.kernel(rng, "    # module: overflow_kunit");
    log.kernel(rng, "    1..23");
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
            log.kernel(rng, &format!("    ok {} {t}", i + 1));
        } else {
            let n = rng.random_range(9..40u32);
            log.kernel(
                rng,
                &format!(
                    "    # {t}: {n} {} arithmetic tests finished",
                    &t[..t.len() - 14]
                ),
            );
            log.kernel(rng, &format!("    ok {} {t}", i + 1));
        }
    }
    log.kernel(
        rng,
        "    # shift_sane_test: EXPECTATION FAILED at lib/overflow_kunit.c:782",
    );
    log.kernel(rng, "    Expected _of == of, but");
    log.kernel(rng, "        _of == 1 (0x1)");
    log.kernel(rng, "        of == 0 (0x0)");
    log.kernel(
        rng,
        "    Expected check_shl_overflow(1 << 30, 1, s32) to not overflow",
    );
    log.kernel(
        rng,
        "    # shift_sane_test: EXPECTATION FAILED at lib/overflow_kunit.c:784",
    );
    log.kernel(rng, "    Expected _d == 1 << 31, but");
    log.kernel(rng, "        _d == 0 (0x0)");
    log.kernel(rng, "        1 << 31 == -2147483648 (0x80000000)");
    log.kernel(rng, "    not ok 14 shift_sane_test");
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
        log.kernel(rng, &format!("    ok {} {t}", i + 15));
    }
    log.kernel(rng, "# overflow: pass:22 fail:1 skip:0 total:23");
    log.kernel(rng, "# Totals: pass:22 fail:1 skip:0 total:23");
    log.kernel(rng, &format!("not ok {suite_no} overflow"));
    run.lava_result(log, rng, "fail");
}

/// The fixed regression: LTP's fanotify22 missing `FAN_FS_ERROR` events.
fn fanotify_excerpt(log: &mut ConsoleLog, rng: &mut ChaCha8Rng, run: &ExcerptContext) {
    ltp_begin(log, rng, run);
    let tmp = hex_str(rng, 6);
    log.user(
        rng,
        "tst_device.c:98: TINFO: Found free device 0 '/dev/loop0'",
    );
    log.user(
        rng,
        "tst_test.c:1169: TINFO: Formatting /dev/loop0 with ext4 opts='' extra opts=''",
    );
    log.user(rng, "mke2fs 1.47.2 (1-Jan-2025)");
    log.user(
        rng,
        &format!("tst_test.c:1181: TINFO: Mounting /dev/loop0 to /tmp/LTP_fan{tmp}/test_mnt fstype=ext4 flags=0"),
    );
    log.user(
        rng,
        "fanotify22.c:293: TINFO: Test #0: Trigger FAN_FS_ERROR event on corrupted inode",
    );
    log.kernel(rng, "EXT4-fs error (device loop0): __ext4_find_entry:1625: inode #2: comm fanotify22: reading directory lblock 0");
    log.user(
        rng,
        "fanotify22.c:219: TFAIL: Expected error count 1, got 0",
    );
    log.user(
        rng,
        "fanotify22.c:293: TINFO: Test #1: Trigger FAN_FS_ERROR event on corrupted directory",
    );
    log.kernel(rng, "EXT4-fs error (device loop0): ext4_lookup:1815: inode #2: comm fanotify22: iget: bad extra_isize 4096 (inode size 256)");
    log.user(
        rng,
        "fanotify22.c:227: TFAIL: Didn't receive FAN_FS_ERROR event for corrupted directory",
    );
    log.user(
        rng,
        "fanotify22.c:293: TINFO: Test #2: Multiple error submission",
    );
    log.user(
        rng,
        "fanotify22.c:246: TPASS: Successfully received: f=1 e=-117 c=2",
    );
    log.user(
        rng,
        "fanotify22.c:293: TINFO: Test #3: FAN_FS_ERROR event with no inode",
    );
    log.user(
        rng,
        "fanotify22.c:246: TPASS: Successfully received: f=1 e=-117 c=1",
    );
    ltp_end(log, rng, run, [2, 2, 0, 0]);
}

/// The single-arch regression: sleeping in atomic context on riscv, during the posix_timers
/// kselftest.
fn posix_sleep_excerpt(log: &mut ConsoleLog, rng: &mut ChaCha8Rng, run: &ExcerptContext) {
    let pid = rng.random_range(300..9000u32);
    let cpu = rng.random_range(0..run.cpus);
    kselftest_begin(log, rng, run);
    log.user(rng, "# TAP version 13");
    log.user(rng, "# 1..19");
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
        log.user(rng, &format!("# ok {} {t}", i + 1));
    }
    log.kernel(
        rng,
        "BUG: sleeping function called from invalid context at kernel/locking/mutex.c:585",
    );
    log.kernel(
        rng,
        &format!(
            "in_atomic(): 1, irqs_disabled(): 1, non_block: 0, pid: {pid}, name: posix_timers"
        ),
    );
    log.kernel(rng, "preempt_count: 1, expected: 0");
    log.kernel(rng, "RCU nest depth: 0, expected: 0");
    log.kernel(rng, &format!("1 lock held by posix_timers/{pid}:"));
    let lock = format!(
        " #0: ff600000{:08x} (&sighand->siglock){{....}}-{{2:2}}, at: {}",
        rng.random::<u32>() & !0x7,
        run.symbol("timer_delete_hook")
    );
    log.kernel(rng, &lock);
    let stamp = format!("irq event stamp: {}", rng.random_range(1000..90_000u32));
    log.kernel(rng, &stamp);
    log.kernel(rng, &run.cpu_line(cpu, pid, "posix_timers", "Not tainted"));
    log.kernel(rng, &format!("Hardware name: {}", run.hw));
    log.kernel(rng, "Call Trace:");
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
        log.kernel(
            rng,
            &format!("[<{:016x}>] {}", run.address(f), run.symbol(f)),
        );
    }
    log.user(rng, "# ok 8 check_sig_ign SIGEV_THREAD_ID");
    log.user(
        rng,
        "# not ok 9 check_timer_delete_race # timer_delete() returned -EINTR",
    );
    for i in 10..=19 {
        log.user(rng, &format!("# ok {i} check_rearm clock {}", i - 10));
    }
    log.user(
        rng,
        "# # Totals: pass:18 fail:1 xfail:0 xpass:0 skip:0 error:0",
    );
    kselftest_end(log, rng, run, "exit=1");
}

/// The flaky test: one of several transient network errors.
fn udpgso_excerpt(log: &mut ConsoleLog, rng: &mut ChaCha8Rng, run: &ExcerptContext) {
    kselftest_begin(log, rng, run);
    log.user(rng, "# ipv4");
    log.user(rng, "# tcp");
    let mb = rng.random_range(300..9000u32);
    log.user(
        rng,
        &format!(
            "# tcp tx:   {mb} MB/s   {} calls/s   {} msg/s",
            mb * 17,
            mb / 2
        ),
    );
    log.user(
        rng,
        &format!("# tcp rx:   {} MB/s   {} calls/s", mb + 3, mb * 16),
    );
    log.user(rng, "# tcp zerocopy");
    log.user(rng, "# udp");
    let err = *pick(
        rng,
        &[
            "# udpgso_bench_tx: sendmsg: No buffer space available",
            "# udpgso_bench_rx: poll: 0x0 expected 0x1",
            "# udpgso_bench_tx: write: Connection refused",
            "# udpgso_bench_rx: recv: Resource temporarily unavailable",
        ],
    );
    log.user(rng, err);
    log.user(rng, "# udp gso");
    log.user(
        rng,
        &format!(
            "# udp tx:    {} MB/s    {} calls/s     {} msg/s",
            mb / 3,
            mb * 4,
            mb * 4
        ),
    );
    log.user(rng, "# failed");
    kselftest_end(log, rng, run, "exit=1");
}

/// The flaky board: hardware complaints, then a timeout in whatever test was running.
fn flaky_board_excerpt(log: &mut ConsoleLog, rng: &mut ChaCha8Rng, run: &ExcerptContext) {
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
    let suite = run.path.split('.').next().unwrap_or("");
    if suite == "kselftest" {
        kselftest_begin(log, rng, run);
        log.user(rng, "# TAP version 13");
    } else if suite == "ltp" {
        ltp_begin(log, rng, run);
    }
    let n = rng.random_range(2..5u32);
    for _ in 0..n {
        let s = *pick(rng, &symptoms);
        log.kernel(rng, s);
        log.wait(rng, 8);
    }
    match suite {
        "kselftest" => kselftest_end(log, rng, run, "TIMEOUT 45 seconds"),
        "ltp" => {
            log.user(rng, "tst_test.c:1746: TINFO: If you are running on slow machine, try exporting LTP_TIMEOUT_MUL > 1");
            log.user(rng, "tst_test.c:1748: TBROK: Test killed! (timeout?)");
            ltp_end(log, rng, run, [0, 0, 1, 0]);
        }
        _ => {
            log.kernel(rng, &format!("    # {}: try timed out", run.case_name()));
            log.kernel(rng, &format!("    not ok 1 {}", run.case_name()));
            run.lava_result(log, rng, "fail");
        }
    }
}

/// The always-failing test: the KVM selftest cannot allocate its guest memory on arm64.
fn kvm_excerpt(log: &mut ConsoleLog, rng: &mut ChaCha8Rng, run: &ExcerptContext) {
    let pid = rng.random_range(300..9000u32);
    let pa = *pick(rng, &[40u32, 44, 48]);
    kselftest_begin(log, rng, run);
    log.user(rng, "# Test iterations: 2");
    log.user(
        rng,
        &format!("# Testing guest mode: PA-bits:{pa},  VA-bits:48,  4K pages"),
    );
    log.user(rng, "# ==== Test Assertion Failure ====");
    log.user(rng, "#   lib/kvm_util.c:1071: ret == 0");
    log.user(
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
        log.user(
            rng,
            &format!(
                "#      {}\t0x0000000000{:06x}: {f}",
                i + 1,
                0x40_0000 + (fnv(f) % 0xffff)
            ),
        );
    }
    log.user(
        rng,
        "#   KVM_SET_USER_MEMORY_REGION2 failed, rc: -1 errno: 12 (Cannot allocate memory)",
    );
    kselftest_end(log, rng, run, "exit=254");
}

/// The LAVA log of a job that never reached the kernel (maestro lab outage).
pub(super) fn lava_infra_error(run: &ExcerptContext, rng: &mut ChaCha8Rng) -> String {
    let arch = run.arch.as_str();
    let image = if run.arch == Arch::X86_64 {
        "bzImage"
    } else {
        "Image"
    };
    let url = format!(
        "https://files.kernelci.org/kbuild-{}-{arch}-{}/{image}",
        run.compiler, run.build_oid
    );
    let mut s = String::new();
    let _ = writeln!(s, "lava-dispatcher, installed at version: 2026.05");
    let _ = writeln!(s, "start: 0 validate");
    let _ = writeln!(
        s,
        "Start time: {}+00:00 (UTC)",
        iso_datetime(&run.host).replace('T', " ")
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
