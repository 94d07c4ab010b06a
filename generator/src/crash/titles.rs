//! Titles: what each format of report is called, after syzkaller's titles (`KASAN:
//! use-after-free Read in func`, `WARNING in func`, `INFO: task hung in func`, ...), and its
//! coarse kind. Most are named after the guilty frame; which stack trace holds it and which
//! frames to skip is said here per format. When no frame is found the title ends in
//! `in corrupted`, so a truncated report does not pass for a different bug.

use super::demangle::demangle;
use super::frames::{
    CALL_TRACE, FrameChoice, FrameSearch, NO_STEPS, PC_THEN_CALL_TRACE, PC_THEN_FRAMES, TraceStep,
    guilty_frame,
};
use super::headers::{
    BUG_BAD_PAGE_RE, BUG_PREEMPT_RE, BUG_SPINLOCK_RE, Header, ReportFormat, WARN_AT_SRC_FUNC_RE,
    WARN_OLD_AT_RE, WARN_SRC_AT_FUNC_RE, WARN_STACK_REGS_RE,
};
use regex::Regex;

lazy_re! {
    KASAN_FUNC_RE = r"BUG: KASAN: [a-z\-]+ in ([A-Za-z0-9_]+)[.+]";
    KASAN_FREE_FUNC_RE = r"BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in ([A-Za-z0-9_]+)[.+]";
    KMSAN_CREATED_RE = r"Local variable .* created at:|Uninit was created at:";
    KFENCE_FUNC_RE = r"BUG: KFENCE: [a-z\- ]+ in ([A-Za-z0-9_]+)[.+]";
    APIC_RE = r"apic_timer_interrupt";
    IRQ_ENTRY_RE = r"apic_timer_interrupt|Exception stack|el1h_64_irq";
    PC_FUNC_RE = r"\[<?(?:0x)?[0-9a-f]+>?\] +([A-Za-z0-9_]+)[.+]";
    AT_FUNC_RE = r"at: (?:\[<?(?:0x)?[0-9a-f]+>?\] +)?([A-Za-z0-9_]+)[.+]";
    WHICH_BECAME_RE = r"which became .* at:";
    TRYING_TO_ACQUIRE_RE = r"is trying to acquire lock";
    PAGE_LAST_ALLOC_RE = r"page last allocated";
    LEAK_BACKTRACE_RE = r"backtrace(?: \(crc [0-9a-f]*\))?:";
    BUG_DENTRY_FULL_RE = r"^BUG: Dentry .* still in use \(\d+\) \[(unmount) of [^\]]+\]";
    WQ_LAST_FUNC_RE = r"last function: ([A-Za-z0-9_]+)";
    KASAN_HDR_RE = r"^BUG: KASAN: ([a-z\-]+) in ([A-Za-z0-9_]+)[.+]";
    KASAN_RW_RE = r"(Read|Write) (?:of size|at addr) [0-9a-f]+";
    KASAN_ADDR_RE = r"^BUG: KASAN: ([a-z\-]+) on address";
    KASAN_SIZE_RE = r"(Read|Write) of size ([0-9]+)";
    KMSAN_HDR_RE = r"^BUG: KMSAN: ([a-z\-]+) in [A-Za-z0-9_]+[.+]";
    KFENCE_ACCESS_RE = r"^BUG: KFENCE: (use-after-free|out-of-bounds) (read|write) in [A-Za-z0-9_]+[.+]";
    KFENCE_INVALID_RE = r"^BUG: KFENCE: invalid (read|write) in [A-Za-z0-9_]+[.+]";
    SRC_RE = r"[A-Za-z0-9\-_/.]+\.[a-z]+:[0-9]+";
    UNABLE_RE = r"^Unable to handle kernel (.+?)(?: at virtual address| at | on |$)";
    PANIC_CORRUPTED_IN_FUNC_RE = r"^Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: ([A-Za-z0-9_]+)[.+]";
    PANIC_CORRUPTED_IN_ADDR_RE = r"^Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: [a-f0-9]+";
    PANIC_NTTY_RE = r"^Kernel panic - not syncing: Couldn't open N_TTY ldisc for [^ ]+ --- error -[0-9]+";
    KERNEL_BUG_AT_RE = r"^kernel BUG at (?:.*/)?(mm/usercopy\.c|lib/list_debug\.c)";
    UBSAN_KIND_RE = r"^UBSAN: (.*?) in (\S*)";
}

/// syzkaller's marker for a report whose guilty frame is not in the log.
fn or_corrupted(f: Option<String>) -> String {
    f.unwrap_or_else(|| "corrupted".to_string())
}

/// First line after the report's first line matching `re`, as an index into `region`.
fn find_after(region: &[&str], from: usize, re: &Regex) -> Option<usize> {
    (from + 1..region.len()).find(|&i| re.is_match(region[i]))
}

/// `at: func+0x..` on a line after the first line containing `keyword`.
fn func_after_keyword(region: &[&str], keyword: &str, re: &Regex) -> Option<String> {
    let k = (1..region.len()).find(|&i| region[i].contains(keyword))?;
    let j = find_after(region, k, re)?;
    let name = re.captures(region[j])?.get(1)?.as_str();
    Some(demangle(name).unwrap_or_else(|| name.to_string()))
}

/// The title and kind of the report whose lines are `region`, from its header on.
pub(super) fn describe(header: Header, region: &[&str]) -> (String, &'static str) {
    let head = &region[0][header.pos..];
    let frame = |search: FrameSearch| guilty_frame(region, &search);
    let frame_or_corrupted = |search: FrameSearch| or_corrupted(guilty_frame(region, &search));
    // Stack trace after a "Call Trace:" keyword.
    let call_trace_frame =
        |skip: &'static [&'static str]| frame_or_corrupted(FrameSearch::new(CALL_TRACE, skip));
    // RIP-based reports: when there is no "Call Trace:" keyword, any frames after the
    // faulting PC still beat "corrupted".
    let pc_frame = |skip: &'static [&'static str]| {
        or_corrupted(
            frame(FrameSearch::new(PC_THEN_CALL_TRACE, skip))
                .or_else(|| frame(FrameSearch::new(PC_THEN_FRAMES, skip))),
        )
    };
    let stall_frame = |steps: &'static [TraceStep]| {
        frame_or_corrupted(FrameSearch {
            steps,
            fallback: NO_STEPS,
            skip: &[],
            choice: FrameChoice::Stall,
        })
    };
    let warning_frame = |skip: &'static [&'static str]| {
        frame_or_corrupted(FrameSearch {
            steps: PC_THEN_FRAMES,
            fallback: CALL_TRACE,
            skip,
            choice: FrameChoice::First,
        })
    };
    // Title `<prefix> in <frame>` of the given kind.
    let named = |prefix: &str, func: String, kind| (format!("{prefix} in {func}"), kind);
    // `BUG:` or `WARNING:` as printed, for reports that exist in both flavours.
    let level = &head[..head.find(':').unwrap_or(0)];
    match header.format {
        ReportFormat::Kasan => (kasan_title(head, region), "KASAN"),
        ReportFormat::Kmsan => {
            let steps: &[TraceStep] = &[
                TraceStep::Frames,
                TraceStep::LineMatching(&KMSAN_CREATED_RE),
                TraceStep::Frames,
            ];
            let title = if head.starts_with("BUG: KMSAN: kernel-usb-infoleak") {
                let skip = &[&["alloc_skb"], URB_SKIP].concat();
                format!(
                    "KMSAN: kernel-usb-infoleak in {}",
                    frame_or_corrupted(FrameSearch::new(steps, skip))
                )
            } else if let Some(c) = KMSAN_HDR_RE.captures(head) {
                format!(
                    "KMSAN: {} in {}",
                    &c[1],
                    frame_or_corrupted(FrameSearch::new(steps, KMSAN_SKIP))
                )
            } else {
                head.to_string()
            };
            (title, "KMSAN")
        }
        ReportFormat::Kcsan => (
            format!("KCSAN: {}", head["BUG: KCSAN:".len()..].trim()),
            "KCSAN",
        ),
        ReportFormat::Kfence => {
            let steps: &[TraceStep] =
                &[TraceStep::LineMatching(&KFENCE_FUNC_RE), TraceStep::Frames];
            let f = || frame_or_corrupted(FrameSearch::new(steps, &[]));
            let title = if let Some(c) = KFENCE_ACCESS_RE.captures(head) {
                format!("KFENCE: {} {} in {}", &c[1], &c[2], f())
            } else if head.starts_with("BUG: KFENCE: invalid free in") {
                format!("KFENCE: invalid free in {}", f())
            } else if let Some(c) = KFENCE_INVALID_RE.captures(head) {
                format!("KFENCE: invalid {} in {}", &c[1], f())
            } else if head.starts_with("BUG: KFENCE: memory corruption in") {
                format!("KFENCE: memory corruption in {}", f())
            } else {
                head.to_string()
            };
            (title, "KFENCE")
        }
        ReportFormat::BugPaging => named(
            "BUG: unable to handle kernel paging request",
            pc_frame(&[]),
            "OOPS",
        ),
        ReportFormat::BugNull => named(
            "BUG: unable to handle kernel NULL pointer dereference",
            pc_frame(&[]),
            "OOPS",
        ),
        ReportFormat::BugUnable => ("BUG: unable to handle kernel".into(), "OOPS"),
        ReportFormat::BugSpinlock => {
            let c = BUG_SPINLOCK_RE
                .captures(head)
                .expect("classified by this regex");
            let kind = if &c[2] == "lockup suspected" {
                "LOCKUP"
            } else {
                "BUG"
            };
            let f = call_trace_frame(&["spin_", "_lock", "_unlock"]);
            named(&format!("BUG: {} {}", &c[1], &c[2]), f, kind)
        }
        ReportFormat::BugSoftLockup => named(
            "BUG: soft lockup",
            stall_frame(PC_THEN_CALL_TRACE),
            "LOCKUP",
        ),
        ReportFormat::BugLocksHeld => {
            let f = or_corrupted(func_in_later_line(region, &PC_FUNC_RE));
            named("BUG: still has locks held", f, "LOCKDEP")
        }
        ReportFormat::BugSchedAtomic => named(
            "BUG: scheduling while atomic",
            call_trace_frame(&["schedule"]),
            "BUG",
        ),
        ReportFormat::BugLockHeldReturn | ReportFormat::WarnLockHeldReturn => {
            let keyword = "leaving the kernel with locks still held";
            let f = or_corrupted(func_after_keyword(region, keyword, &AT_FUNC_RE));
            named(
                &format!("{level}: lock held when returning to user space"),
                f,
                "LOCKDEP",
            )
        }
        ReportFormat::BugBadUnlock | ReportFormat::WarnBadUnlock => {
            let steps: &[TraceStep] = &[
                TraceStep::LineMatching(&PC_FUNC_RE),
                TraceStep::CallTrace,
                TraceStep::Frames,
            ];
            named(
                &format!("{level}: bad unlock balance"),
                frame_or_corrupted(FrameSearch::new(steps, &[])),
                "LOCKDEP",
            )
        }
        ReportFormat::BugHeldLockFreed => {
            let f = or_corrupted(func_in_later_line(region, &PC_FUNC_RE));
            named("BUG: held lock freed", f, "LOCKDEP")
        }
        ReportFormat::WarnHeldLockFreed => {
            let f = or_corrupted(func_in_later_line(region, &AT_FUNC_RE));
            named("WARNING: held lock freed", f, "LOCKDEP")
        }
        ReportFormat::BugDentry => {
            let full = region.join("\n");
            match BUG_DENTRY_FULL_RE.captures(&full[header.pos..]) {
                Some(c) => named("BUG: Dentry still in use", c[1].to_string(), "BUG"),
                None => (head.to_string(), "BUG"),
            }
        }
        ReportFormat::BugBadPage => {
            let c = BUG_BAD_PAGE_RE
                .captures(head)
                .expect("classified by this regex");
            let search = FrameSearch {
                steps: &[
                    TraceStep::LineMatching(&PAGE_LAST_ALLOC_RE),
                    TraceStep::Frames,
                ],
                fallback: CALL_TRACE,
                skip: BAD_PAGE_SKIP,
                choice: FrameChoice::First,
            };
            named(
                &format!("BUG: Bad page {}", &c[1]),
                frame_or_corrupted(search),
                "BUG",
            )
        }
        ReportFormat::BugWqLeaked => {
            let f = (1..region.len())
                .find_map(|i| WQ_LAST_FUNC_RE.captures(region[i]))
                .map(|c| c[1].to_string());
            named(
                "BUG: workqueue leaked lock or atomic",
                or_corrupted(f),
                "BUG",
            )
        }
        ReportFormat::BugSleeping => named(
            "BUG: sleeping function called from invalid context",
            call_trace_frame(&[]),
            "BUG",
        ),
        ReportFormat::BugPreemptible => {
            let c = BUG_PREEMPT_RE
                .captures(head)
                .expect("classified by this regex");
            let skip = &[
                "dump_stack",
                "preempt",
                "debug_",
                "processor_id",
                "this_cpu",
            ];
            named(
                &format!("BUG: using {}() in preemptible code", &c[1]),
                call_trace_frame(skip),
                "LOCKDEP",
            )
        }
        ReportFormat::BugLeak => {
            let steps: &[TraceStep] = &[
                TraceStep::LineMatching(&LEAK_BACKTRACE_RE),
                TraceStep::Frames,
            ];
            named(
                "memory leak",
                frame_or_corrupted(FrameSearch::new(steps, LEAK_SKIP)),
                "LEAK",
            )
        }
        ReportFormat::BugStackGuard => named(
            "BUG: stack guard page was hit",
            stall_frame(PC_THEN_CALL_TRACE),
            "OOPS",
        ),
        ReportFormat::BugWaitContext => named(
            "WARNING: locking bug",
            call_trace_frame(&["lock_sock", "release_sock"]),
            "LOCKDEP",
        ),
        ReportFormat::BugGeneric => (head.to_string(), "BUG"),
        ReportFormat::Fixed(title, kind) => (title.to_string(), kind),
        ReportFormat::WarnOdebug => {
            named("WARNING: ODEBUG bug", warning_frame(ODEBUG_SKIP), "WARNING")
        }
        ReportFormat::WarnUsercopy => named(
            "WARNING: bad usercopy",
            warning_frame(&["usercopy", "__check"]),
            "WARNING",
        ),
        ReportFormat::WarnKobject => named(
            "WARNING: kobject bug",
            warning_frame(&["kobject_"]),
            "WARNING",
        ),
        ReportFormat::WarnProc => named(
            "WARNING: proc registration bug",
            warning_frame(&["proc_"]),
            "WARNING",
        ),
        ReportFormat::WarnRefcount => named(
            "WARNING: refcount bug",
            warning_frame(&["refcount", "kobject_"]),
            "WARNING",
        ),
        ReportFormat::WarnLocking => named(
            "WARNING: locking bug",
            warning_frame(&["lock_sock", "release_sock"]),
            "LOCKDEP",
        ),
        ReportFormat::WarnLocksHeld => {
            let f = or_corrupted(func_in_later_line(region, &AT_FUNC_RE));
            named("WARNING: still has locks held", f, "LOCKDEP")
        }
        ReportFormat::WarnNested => named(
            "WARNING: nested lock was not taken",
            warning_frame(&[]),
            "LOCKDEP",
        ),
        ReportFormat::WarnKmalloc => {
            let f = warning_frame(&["kmalloc", "krealloc", "slab", "kmem"]);
            named("WARNING: kmalloc bug", f, "WARNING")
        }
        ReportFormat::WarnVmalloc => {
            named("WARNING: zero-size vmalloc", warning_frame(&[]), "WARNING")
        }
        ReportFormat::WarnUrb => (
            format!("WARNING in {}/usb_submit_urb", warning_frame(URB_SKIP)),
            "WARNING",
        ),
        ReportFormat::WarnAt => {
            // Without a usable stack (truncated excerpts), the function named in the
            // header is the best identity we have.
            let search = FrameSearch {
                steps: PC_THEN_FRAMES,
                fallback: CALL_TRACE,
                skip: &[],
                choice: FrameChoice::First,
            };
            let f = frame(search).or_else(|| warning_header_func(head));
            named("WARNING", or_corrupted(f), "WARNING")
        }
        ReportFormat::WarnCircular => {
            let f = if find_after(region, 0, &TRYING_TO_ACQUIRE_RE).is_some() {
                let steps: &[TraceStep] = &[
                    TraceStep::LineMatching(&AT_FUNC_RE),
                    TraceStep::LineMatching(&AT_FUNC_RE),
                    TraceStep::Frames,
                ];
                // Deadlocks on work items are the work item's bug, not the workqueue's.
                let skip = &["process_one_work", "flush_workqueue", "drain_workqueue"];
                frame_or_corrupted(FrameSearch::new(
                    steps,
                    &[&skip[..], &["destroy_workqueue"]].concat(),
                ))
            } else {
                "corrupted".into()
            };
            named("possible deadlock", f, "LOCKDEP")
        }
        ReportFormat::WarnIrqInversion | ReportFormat::InfoIrqInversion => {
            let keyword = "just changed the state of lock";
            let f = or_corrupted(func_after_keyword(region, keyword, &AT_FUNC_RE));
            named("possible deadlock", f, "LOCKDEP")
        }
        ReportFormat::WarnSafeUnsafe => {
            let steps: &[TraceStep] =
                &[TraceStep::LineMatching(&WHICH_BECAME_RE), TraceStep::Frames];
            named(
                "possible deadlock",
                frame_or_corrupted(FrameSearch::new(steps, &[])),
                "LOCKDEP",
            )
        }
        ReportFormat::WarnRecursive | ReportFormat::InfoRecursive | ReportFormat::InfoCircular => {
            let f = func_after_keyword(region, "is trying to acquire lock", &AT_FUNC_RE);
            named("possible deadlock", or_corrupted(f), "LOCKDEP")
        }
        ReportFormat::InfoSafeUnsafe => {
            let f = func_after_keyword(region, "is trying to acquire", &AT_FUNC_RE);
            named("possible deadlock", or_corrupted(f), "LOCKDEP")
        }
        ReportFormat::WarnInconsistent => {
            let f = if func_after_keyword(region, "takes", &AT_FUNC_RE).is_some() {
                call_trace_frame(&[])
            } else {
                "corrupted".into()
            };
            named("inconsistent lock state", f, "LOCKDEP")
        }
        ReportFormat::InfoInconsistent => {
            let f = func_after_keyword(region, "takes", &AT_FUNC_RE);
            named("inconsistent lock state", or_corrupted(f), "LOCKDEP")
        }
        ReportFormat::WarnRcu | ReportFormat::InfoRcu => {
            let f = if find_after(region, 0, &SRC_RE).is_some() || SRC_RE.is_match(head) {
                call_trace_frame(&["rcu", "kmem", "slab"])
            } else {
                "corrupted".into()
            };
            named(&format!("{level}: suspicious RCU usage"), f, "LOCKDEP")
        }
        ReportFormat::WarnStackRegs => {
            let c = WARN_STACK_REGS_RE
                .captures(head)
                .expect("classified by this regex");
            (
                format!("WARNING: kernel stack regs has bad '{}' value", &c[1]),
                "WARNING",
            )
        }
        ReportFormat::WarnGeneric => (head.to_string(), "WARNING"),
        ReportFormat::InfoRcuStall => {
            let skip: &[&str] = &["apic_timer_interrupt", "rcu"];
            let search = FrameSearch {
                steps: &[
                    TraceStep::LineMatching(&APIC_RE),
                    TraceStep::FaultingPc,
                    TraceStep::Frames,
                ],
                fallback: &[TraceStep::LineMatching(&IRQ_ENTRY_RE), TraceStep::Frames],
                skip,
                choice: FrameChoice::Stall,
            };
            let mut f = frame(search);
            // A self-detected stall dumps the stalled CPU's own registers and stack.
            if f.is_none() && head.contains("self-detected") {
                f = frame(FrameSearch {
                    steps: PC_THEN_CALL_TRACE,
                    fallback: NO_STEPS,
                    skip,
                    choice: FrameChoice::Stall,
                });
            }
            named("INFO: rcu detected stall", or_corrupted(f), "RCU_STALL")
        }
        ReportFormat::InfoNonStatic => named(
            "INFO: trying to register non-static key",
            call_trace_frame(&["stack", "lock", "IRQ"]),
            "LOCKDEP",
        ),
        ReportFormat::InfoHung => {
            let search = FrameSearch {
                steps: CALL_TRACE,
                fallback: NO_STEPS,
                skip: &[],
                choice: FrameChoice::Hang,
            };
            named("INFO: task hung", frame_or_corrupted(search), "HUNG_TASK")
        }
        ReportFormat::InfoCantDie => named(
            "INFO: task can't die",
            call_trace_frame(&["schedule"]),
            "HUNG_TASK",
        ),
        ReportFormat::UnableToHandle => {
            let what = UNABLE_RE.captures(head).map_or("paging request", |c| {
                c.get(1).map_or("paging request", |m| m.as_str().trim())
            });
            named(
                &format!("BUG: unable to handle kernel {what}"),
                pc_frame(&[]),
                "OOPS",
            )
        }
        ReportFormat::Gpf => named("general protection fault", pc_frame(&[]), "GPF"),
        ReportFormat::StackSegment => named("stack segment fault", pc_frame(&[]), "GPF"),
        ReportFormat::Panic => panic_title(head, region),
        ReportFormat::DoubleFault => named(
            "PANIC: double fault",
            frame_or_corrupted(FrameSearch::new(&[TraceStep::FaultingPc], &[])),
            "PANIC",
        ),
        ReportFormat::RustPanic => {
            let msg = region.get(1).map_or("", |s| s.trim());
            let msg = if msg.is_empty() { "rust panic" } else { msg };
            named(
                msg,
                call_trace_frame(&["__rustc::rust_begin_unwind"]),
                "PANIC",
            )
        }
        ReportFormat::KernelBug => match KERNEL_BUG_AT_RE.captures(head) {
            Some(c) if &c[1] == "mm/usercopy.c" => named(
                "BUG: bad usercopy",
                call_trace_frame(&["usercopy", "__check"]),
                "KERNEL_BUG",
            ),
            Some(_) => named("BUG: corrupted list", call_trace_frame(&[]), "KERNEL_BUG"),
            None => named("kernel BUG", pc_frame(&["^skb_"]), "KERNEL_BUG"),
        },
        ReportFormat::KernelBugUpper => (
            format!("kernel BUG {}", head["Kernel BUG ".len()..].trim()),
            "KERNEL_BUG",
        ),
        ReportFormat::DivideError => named(
            "divide error",
            frame_or_corrupted(FrameSearch::new(&[TraceStep::FaultingPc], &[])),
            "OOPS",
        ),
        ReportFormat::InvalidOpcode => named(
            "invalid opcode",
            frame_or_corrupted(FrameSearch::new(&[TraceStep::FaultingPc], &[])),
            "OOPS",
        ),
        ReportFormat::Ubsan => (ubsan_title(head, region), "UBSAN"),
        ReportFormat::Reboot => ("unexpected kernel reboot".into(), "REBOOT"),
        ReportFormat::InternalError => named("Internal error", pc_frame(&[]), "OOPS"),
        ReportFormat::UnhandledFault => named("Unhandled fault", pc_frame(&[]), "OOPS"),
        ReportFormat::Oops => named("Oops", pc_frame(&[]), "OOPS"),
        ReportFormat::HardLockup => named(
            "watchdog: hard LOCKUP",
            stall_frame(PC_THEN_CALL_TRACE),
            "LOCKUP",
        ),
    }
}

#[rustfmt::skip]
const BAD_PAGE_SKIP: &[&str] = &[
    "free_page", "put_page", "get_page", "update_page", "release_page", "free_unref", "^folio",
    "^_folio", "^__folio", "truncate_inode_pages", "page_frag_free", "alloc", "vmap", "page_owner",
    // Where a bad page is noticed, not where it went bad.
    "bad_page", "dump_page", "check_new_page", "free_one_page", "^tlb_", "^__tlb_",
];

#[rustfmt::skip]
const LEAK_SKIP: &[&str] = &[
    "kmemleak", "mmap", "kmem", "slab", "alloc", "create_object", "idr_get", "list_lru_init",
    "kasprintf", "kvasprintf", "pcpu_create", "strdup", "strndup", "memdup",
];

#[rustfmt::skip]
const KMSAN_SKIP: &[&str] = &[
    "alloc_skb", "netlink_ack", "netlink_rcv_skb",
    // Encryption routines are where uninit data is used, but never the bug.
    "_encrypt$", "^crypto_", "^cipher_", "^drbg_", "^rng_",
];

const URB_SKIP: &[&str] = &[
    "usb_submit_urb",
    "usb_start_wait_urb",
    "usb_bulk_msg",
    "usb_interrupt_msg",
    "usb_control_msg",
];

#[rustfmt::skip]
const ODEBUG_SKIP: &[&str] = &[
    "debug_", "rcu", "hrtimer_", "timer_", "work_", "percpu_", "vunmap", "vfree", "__free_",
    "debug_check", "kobject_",
];

fn func_in_later_line(region: &[&str], re: &Regex) -> Option<String> {
    let i = find_after(region, 0, re)?;
    let name = re.captures(region[i])?.get(1)?.as_str();
    Some(demangle(name).unwrap_or_else(|| name.to_string()))
}

fn warning_header_func(head: &str) -> Option<String> {
    [
        &*WARN_AT_SRC_FUNC_RE,
        &*WARN_SRC_AT_FUNC_RE,
        &*WARN_OLD_AT_RE,
    ]
    .iter()
    .find_map(|re| re.captures(head)?.get(1).map(|m| m.as_str().to_string()))
}

fn kasan_title(head: &str, region: &[&str]) -> String {
    let skip: &[&str] = &["kernel_fault", "tag_check", "mem_abort", "^el1_", "^el1h_"];
    if let Some(c) = KASAN_HDR_RE.captures(head)
        && let Some(i) = find_after(region, 0, &KASAN_RW_RE)
    {
        let rw = &KASAN_RW_RE.captures(region[i]).expect("matched above")[1];
        let steps: &[TraceStep] = &[
            TraceStep::LineMatching(&KASAN_FUNC_RE),
            TraceStep::CallTrace,
            TraceStep::Frames,
        ];
        let f = or_corrupted(guilty_frame(region, &FrameSearch::new(steps, skip)));
        return format!("KASAN: {} {} in {}", &c[1], rw, f);
    }
    if KASAN_FREE_FUNC_RE.is_match(head) {
        let steps: &[TraceStep] = &[
            TraceStep::LineMatching(&KASAN_FREE_FUNC_RE),
            TraceStep::CallTrace,
            TraceStep::Frames,
        ];
        let skip = &["slab_", "kfree", "vunmap", "vfree"];
        let f = or_corrupted(guilty_frame(region, &FrameSearch::new(steps, skip)));
        return format!("KASAN: invalid-free in {f}");
    }
    if let Some(c) = KASAN_ADDR_RE.captures(head)
        && let Some(s) = (1..region.len()).find_map(|i| KASAN_SIZE_RE.captures(region[i]))
    {
        return format!("KASAN: {} {}", &c[1], &s[1]);
    }
    format!("KASAN: {}", head["BUG: KASAN:".len()..].trim())
}

fn panic_title(head: &str, region: &[&str]) -> (String, &'static str) {
    let msg = head
        .strip_prefix("Kernel panic - not syncing")
        .map(|m| m.trim_start_matches(':').trim())
        .unwrap_or("");
    let kind = "PANIC";
    if let Some(c) = PANIC_CORRUPTED_IN_FUNC_RE.captures(head) {
        return (
            format!("kernel panic: stack is corrupted in {}", &c[1]),
            kind,
        );
    }
    if PANIC_CORRUPTED_IN_ADDR_RE.is_match(head) {
        let f = or_corrupted(guilty_frame(
            region,
            &FrameSearch::new(CALL_TRACE, &["stack_chk"]),
        ));
        return (format!("kernel panic: stack is corrupted in {f}"), kind);
    }
    let stall_frame = |skip: &'static [&'static str]| {
        or_corrupted(guilty_frame(
            region,
            &FrameSearch {
                steps: CALL_TRACE,
                fallback: NO_STEPS,
                skip,
                choice: FrameChoice::Stall,
            },
        ))
    };
    if msg.starts_with("corrupted stack end detected inside scheduler") {
        let f = stall_frame(&["schedule", "retint_kernel"]);
        return (format!("kernel panic: corrupted stack end in {f}"), kind);
    }
    if msg.starts_with("kernel stack overflow") {
        return (
            format!("kernel stack overflow in {}", stall_frame(&["bad_stack"])),
            kind,
        );
    }
    for fixed in [
        "Attempted to kill init!",
        "Fatal exception",
        "panic_on_warn set",
        "hung_task: blocked tasks",
    ] {
        if msg.starts_with(fixed) {
            return (format!("kernel panic: {fixed}"), kind);
        }
    }
    if PANIC_NTTY_RE.is_match(head) {
        return ("kernel panic: Couldn't open N_TTY ldisc".into(), kind);
    }
    (format!("kernel panic: {msg}"), kind)
}

fn ubsan_title(head: &str, region: &[&str]) -> String {
    let skip: &[&str] = &["ubsan", "overflow"];
    let frame = guilty_frame(region, &FrameSearch::new(CALL_TRACE, skip));
    let (what, src) = if let Some(rest) = head.strip_prefix("UBSAN: Undefined behaviour in") {
        ("undefined-behaviour".to_string(), rest.trim())
    } else if let Some(c) = UBSAN_KIND_RE.captures(head) {
        (c[1].to_string(), c.get(2).map_or("", |m| m.as_str()))
    } else {
        return head.to_string();
    };
    // Without a stack, the (build-directory independent) source location still identifies it.
    let place = frame.unwrap_or_else(|| {
        let src = kernel_relative_path(src);
        if src.is_empty() {
            "corrupted".into()
        } else {
            src.to_string()
        }
    });
    format!("UBSAN: {what} in {place}")
}

/// `/home/me/src/linux/arch/x86/kernel/uprobes.c:263:56` -> `arch/x86/kernel/uprobes.c:263:56`.
fn kernel_relative_path(path: &str) -> &str {
    const TOP: &[&str] = &[
        "arch/",
        "block/",
        "crypto/",
        "drivers/",
        "fs/",
        "include/",
        "init/",
        "io_uring/",
        "ipc/",
        "kernel/",
        "lib/",
        "mm/",
        "net/",
        "rust/",
        "samples/",
        "security/",
        "sound/",
        "virt/",
    ];
    let p = path.trim_start_matches("./");
    TOP.iter()
        .filter_map(|t| {
            if p.starts_with(t) {
                Some(0)
            } else {
                p.find(&format!("/{t}")).map(|i| i + 1)
            }
        })
        .min()
        .map_or(p, |i| &p[i..])
}
