//! Kernel splats in the style of each architecture: register dumps, call traces below a
//! syscall, and the `WARN_ON()` report built from them.

use std::fmt::Write as _;

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::console::{ConsoleLog, ExcerptContext};
use super::tables::Arch;

/// A plausible x86_64 register value (zero, small, direct-map or vmalloc pointer, or noise).
fn x86_register(rng: &mut ChaCha8Rng) -> String {
    match rng.random_range(0..5u32) {
        0 => "0000000000000000".to_string(),
        1 => format!("{:016x}", rng.random_range(0..0x1_0000u64)),
        2 => format!("ffff8881{:08x}", rng.random::<u32>()),
        3 => format!("ffffc900{:08x}", rng.random::<u32>()),
        _ => format!("{:016x}", rng.random::<u64>()),
    }
}

/// A plausible arm64 register value.
fn arm64_register(rng: &mut ChaCha8Rng) -> String {
    match rng.random_range(0..4u32) {
        0 => "0000000000000000".to_string(),
        1 => format!("{:016x}", rng.random_range(0..0x1000u64)),
        2 => format!("ffff0000{:08x}", rng.random::<u32>()),
        _ => format!("ffff8000{:08x}", rng.random::<u32>()),
    }
}

/// A plausible riscv64 register value.
fn riscv_register(rng: &mut ChaCha8Rng) -> String {
    match rng.random_range(0..4u32) {
        0 => "0000000000000000".to_string(),
        1 => format!("{:016x}", rng.random_range(0..0x1000u64)),
        2 => format!("ff600000{:08x}", rng.random::<u32>()),
        _ => format!("ff200000{:08x}", rng.random::<u32>()),
    }
}

/// The `Code:` bytes of an x86 splat, with the faulting `ud2` marked.
fn x86_code_bytes(rng: &mut ChaCha8Rng) -> String {
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
pub(super) fn syscall_tail(arch: Arch, sc: &str) -> Vec<String> {
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
pub(super) fn register_dump(
    log: &mut ConsoleLog,
    rng: &mut ChaCha8Rng,
    run: &ExcerptContext,
    pc: &str,
    lr: &str,
) {
    match run.arch {
        Arch::X86_64 => {
            log.kernel(rng, &format!("RIP: 0010:{}", run.symbol(pc)));
            let code = format!("Code: {}", x86_code_bytes(rng));
            log.kernel(rng, &code);
            let rsp = format!(
                "RSP: 0018:ffffc900{:08x} EFLAGS: 00010246",
                rng.random::<u32>() & !0xf
            );
            log.kernel(rng, &rsp);
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
                    x86_register(rng),
                    names[1],
                    x86_register(rng),
                    names[2],
                    x86_register(rng)
                );
                log.kernel(rng, &line);
            }
            let fs = format!(
                "FS:  00007f{:010x}(0000) GS:ffff8882{:08x}(0000) knlGS:0000000000000000",
                rng.random::<u64>() & 0xff_ffff_ffff,
                rng.random::<u32>()
            );
            log.kernel(rng, &fs);
            log.kernel(rng, "CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033");
            let cr = format!(
                "CR2: 0000{:012x} CR3: 00000001{:08x} CR4: 0000000000f70ef0",
                rng.random::<u64>() & 0xffff_ffff_ffff,
                rng.random::<u32>() & !0xfff
            );
            log.kernel(rng, &cr);
        }
        Arch::Arm64 => {
            log.kernel(
                rng,
                "pstate: 60400009 (nZCv daif +PAN -UAO -TCO -DIT -SSBS BTYPE=--)",
            );
            log.kernel(rng, &format!("pc : {}", run.symbol(pc)));
            log.kernel(rng, &format!("lr : {}", run.symbol(lr)));
            let sp = format!("sp : ffff8000{:08x}", rng.random::<u32>() & !0xf);
            log.kernel(rng, &sp);
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
                    let _ = write!(line, "{name} {}", arm64_register(rng));
                }
                log.kernel(rng, &line);
                r -= 3;
            }
        }
        Arch::Riscv => {
            log.kernel(rng, &format!("epc : {}", run.symbol(pc)));
            log.kernel(rng, &format!(" ra : {}", run.symbol(lr)));
            let sp = format!(
                "epc : {:016x} ra : {:016x} sp : ff200000{:08x}",
                run.address(pc),
                run.address(lr),
                rng.random::<u32>() & !0xf
            );
            log.kernel(rng, &sp);
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
                    let _ = write!(line, " {:<3}: {}", n, riscv_register(rng));
                }
                log.kernel(rng, &line);
            }
            log.kernel(
                rng,
                "status: 0000000200000120 badaddr: 0000000000000000 cause: 0000000000000003",
            );
        }
        Arch::Arm => {}
    }
}

/// A `WARN_ON()` splat with registers and call trace in the style of the architecture.
pub(super) fn warn_splat(
    log: &mut ConsoleLog,
    rng: &mut ChaCha8Rng,
    run: &ExcerptContext,
    task: (u32, &str),
    file_line: &str,
    func: &str,
    callers: &[String],
) {
    let (pid, comm) = task;
    let cpu = rng.random_range(0..run.cpus);
    let caller0 = callers.first().map_or("", String::as_str);
    log.kernel(rng, "------------[ cut here ]------------");
    log.kernel(
        rng,
        &format!(
            "WARNING: CPU: {cpu} PID: {pid} at {file_line} {}",
            run.symbol(func)
        ),
    );
    log.kernel(rng, &format!("Modules linked in: {}", run.modules()));
    log.kernel(rng, &run.cpu_line(cpu, pid, comm, "Not tainted"));
    log.kernel(rng, &format!("Hardware name: {}", run.hw));
    register_dump(log, rng, run, func, caller0);
    match run.arch {
        Arch::X86_64 => {
            log.kernel(rng, "Call Trace:");
            log.kernel(rng, " <TASK>");
            for f in [
                "__warn",
                func,
                "report_bug",
                "handle_bug",
                "exc_invalid_op",
                "asm_exc_invalid_op",
            ] {
                log.kernel(rng, &format!(" ? {}", run.symbol(f)));
            }
            for c in callers {
                log.kernel(rng, &format!(" {}", run.symbol(c)));
            }
            let rip = format!(
                "RIP: 0033:0x7f{:010x}",
                rng.random::<u64>() & 0xff_ffff_ffff
            );
            log.kernel(rng, &rip);
            let rsp = format!(
                "RSP: 002b:00007ffd{:08x} EFLAGS: 00000246 ORIG_RAX: 000000000000002f",
                rng.random::<u32>() & !0x7
            );
            log.kernel(rng, &rsp);
            log.kernel(rng, " </TASK>");
        }
        Arch::Arm64 => {
            log.kernel(rng, "Call trace:");
            log.kernel(rng, &format!(" {} (P)", run.symbol(func)));
            for c in callers {
                log.kernel(rng, &format!(" {}", run.symbol(c)));
            }
        }
        Arch::Arm => {
            log.kernel(rng, "Call trace: ");
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
                log.kernel(rng, &format!(" {} from {}", w[0], run.symbol(&w[1])));
            }
        }
        Arch::Riscv => {
            log.kernel(rng, "Call Trace:");
            log.kernel(
                rng,
                &format!("[<{:016x}>] {}", run.address(func), run.symbol(func)),
            );
            for c in callers {
                log.kernel(
                    rng,
                    &format!("[<{:016x}>] {}", run.address(c), run.symbol(c)),
                );
            }
        }
    }
    log.kernel(rng, "---[ end trace 0000000000000000 ]---");
}
