//! Crash signatures: find the kernel's own crash report in a console log and turn it into a
//! short, stable title, so that the same bug seen on many boards, configs and trees groups
//! into one regression.
//!
//! The approach follows syzkaller's `pkg/report` (the de-facto standard for kernel crash
//! titles, used by syzbot): find the first oops line, collect the report that belongs to it
//! (same printk caller / console context, questionable `? func` frames dropped, trailing
//! `panic_on_warn` noise cut), then name the bug after the first *interesting* stack frame,
//! skipping generic frames (sanitizer runtime, locking primitives, `memcpy`, `panic`, ...).
//! A title therefore looks like `KASAN: slab-use-after-free Read in tls_sw_recvmsg` rather
//! than a raw line full of addresses. When no frame can be found the title ends in
//! `in corrupted`, exactly like syzkaller, so truncated reports do not masquerade as a
//! different bug.
//!
//! Differences from syzkaller, all aimed at CI logs rather than fuzzing VMs:
//! - stricter detection: generic `WARNING:`/`BUG:` lines only count when they come from the
//!   kernel (timestamped console line), and `INFO:` only for known report kinds, so that
//!   test-harness output (`WARNING: Optional imports not found`, LTP `TINFO:`) is not a crash;
//! - user-space faults printed by the kernel (`traps: ... general protection fault ...
//!   error:0 in libc.so`, ARM alignment traps) are not crashes;
//! - `unexpected kernel reboot` needs evidence that a system was already running before
//!   `Booting the kernel`, otherwise every x86 boot log would be a crash;
//! - a few fallbacks replace `corrupted` with a real function when syzkaller's anchors are
//!   missing but the log still names one (header function of a WARNING, arm32 `X from Y`
//!   unwinder lines, self-detected RCU stalls, UBSAN source location);
//! - [`extract_all`] folds follow-on messages (`Kernel panic - not syncing: Fatal exception`
//!   after an oops, `Internal error: Oops` right after `kernel BUG at`) into the crash that
//!   caused them.

use regex::Regex;
use std::sync::LazyLock;

/// One crash report found in a log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crash {
    /// Normalised title, e.g. "KASAN: slab-use-after-free Read in tls_sw_recvmsg".
    pub title: String,
    /// Coarse category: "BUG", "WARNING", "KASAN", "KCSAN", "KMSAN", "KFENCE", "UBSAN", "GPF",
    /// "OOPS" (NULL deref/paging/Unable to handle/Internal error/invalid opcode/divide error),
    /// "KERNEL_BUG" (kernel BUG at), "HUNG_TASK", "RCU_STALL", "LOCKUP" (soft/hard/workqueue
    /// lockup), "LOCKDEP", "PANIC", "LEAK", "REBOOT" (unexpected reboot), "OTHER".
    pub kind: &'static str,
    /// 0-based line index in the input where the report starts.
    pub line: usize,
}

/// First crash in the log (the one that matters), or None for a clean log.
pub fn extract(log: &str) -> Option<Crash> {
    scan(log, Some(1)).into_iter().next()
}

/// All crashes in the log, in order (deduplicated by title).
///
/// Follow-on messages of a crash (the `Fatal exception` panic after an oops, the
/// `Internal error`/`invalid opcode` line printed right after `kernel BUG at`) are part of
/// that crash, not crashes of their own.
pub fn extract_all(log: &str) -> Vec<Crash> {
    let mut out: Vec<Crash> = Vec::new();
    for c in scan(log, None) {
        // `X in corrupted` after `X in func` is a truncated repeat (or a `dmesg` echo) of it.
        let repeat = c.title.strip_suffix("corrupted").is_some_and(|stem| {
            stem.ends_with(" in ") && out.iter().any(|o| o.title.starts_with(stem))
        });
        if !repeat && out.iter().all(|o| o.title != c.title) {
            out.push(c);
        }
    }
    out
}

/// Normalise a raw title: strip addresses (hex runs of 6+ digits -> ADDR), `func+0x1a/0x40`
/// -> `func`, `file.c:123` -> `file.c:LINE`, CPU/PID numbers and standalone numbers -> NUM,
/// collapse whitespace, cap length (~120 chars).
///
/// Idempotent, so it can be applied to titles coming from other tools (e.g. syzbot) too.
pub fn normalise(raw: &str) -> String {
    // Control characters and non-ASCII bytes only ever come from corrupted console output.
    let clean: String = raw
        .chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            c if c.is_ascii() && !c.is_ascii_control() => Some(c),
            _ => None,
        })
        .collect();
    let s = FUNC_OFFSET_RE.replace_all(&clean, "$1");
    let s = IPV4_RE.replace_all(&s, "IP");
    let s = SRC_LINE_RE.replace_all(&s, "${1}:LINE");
    let s = CPU_HASH_RE.replace_all(&s, "CPU");
    let s = replace_addresses(&s);
    let s = replace_numbers(&s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        if out.len() >= MAX_TITLE {
            break;
        }
        out.push(c);
    }
    out.trim_end().to_string()
}

const MAX_TITLE: usize = 120;
/// Frames of a report are looked for at most this many lines after its first line.
const REGION_CAP: usize = 3000;

macro_rules! lazy_re {
    ($($name:ident = $re:expr;)*) => {
        $(static $name: LazyLock<Regex> =
            LazyLock::new(|| Regex::new($re).expect("static regex must compile"));)*
    };
}

lazy_re! {
    // normalisation
    FUNC_OFFSET_RE = r"([A-Za-z_][A-Za-z0-9_.]*)\+0x[0-9a-fA-F]+(?:/0x[0-9a-fA-F]+)?";
    IPV4_RE = r"\b(?:\d{1,3}\.){3}\d{1,3}\b";
    SRC_LINE_RE = r"(\.[A-Za-z0-9_]+)(?::\d+)+";
    CPU_HASH_RE = r"CPU#\d+";

    // console line prefixes: `<4>[   12.345678][  T123] `
    TIMESTAMP_RE = r"(?:<\d+>)?\[\s*\d+\.\d+\](?:\[\s*([CT]\d+)\])? ?";
    DMESG_X_RE = r"^\s*(?:kern|user|daemon|syslog)\s*:\s*(?:emerg|alert|crit|err|warn|notice|info|debug)\s*: ";
    QUESTIONABLE_RE = r"(?:\[<[0-9a-f]+>\])? \? ";
    SYZ_PROGRAM_RE = r"^(?:r\d+ = )?[a-z_][a-z0-9_]*(?:\$[A-Za-z0-9_]+)?\(.*\)\s*$";

    // stack parsing
    FRAME_RE = r"^\s*(?:\[<?(?:0x)?[0-9a-f]+>?\]\s*){0,2}([A-Za-z_][A-Za-z0-9_]*)(?:\.[A-Za-z0-9_]+)*\+0x[0-9a-fA-F]+";
    ARM_OLD_FRAME_RE = r"^\s*\[<?(?:0x)?[0-9a-f]+>?\] \(([A-Za-z_][A-Za-z0-9_]*)[A-Za-z0-9_.]*(?:\+0x[0-9a-f]+/0x[0-9a-f]+)?(?: \[[^\]]*\])?\) from \[<?(?:0x)?[0-9a-f]+>?\] \(([A-Za-z_][A-Za-z0-9_]*)[.+]";
    ARM_NEW_FRAME_RE = r"^\s*([A-Za-z_][A-Za-z0-9_]*)(?:\.[A-Za-z0-9_]+)* from ([A-Za-z_][A-Za-z0-9_]*)(?:\.[A-Za-z0-9_]+)*\+0x";
    RIP_RE = r"(?:\b(?:R?IP|EIP|NIP):? |\b(?:pc|epc) :? |PC is at:? |--- interrupt: [0-9a-f]+ at )(?:(?:[0-9a-f]+:)?(?:\[<?(?:0x)?[0-9a-f]+>?\] +){0,2}([A-Za-z_][A-Za-z0-9_]*)[.+]|(?:[0-9a-f]+:)?0x[0-9a-f]+|(?:[0-9a-f]+:)?\[<?(?:0x)?[0-9a-f]+>?\] +\[< *\(null\)>\] +\(null\)|[0-9a-f]+: +\(null\))";
    CALL_TRACE_RE = r"Call [Tt]race:|Backtrace:";
    ARM_UNWIND_RE = r"\bunwind_backtrace\b|\bdump_backtrace\b";
    STACK_START_RE = r"Call [Tt]race|Allocated:|Allocated by task \d+:|Freed:|Freed by task \d+:|[^k] backtrace(?: \(crc [0-9a-f]*\))?:|Backtrace:|Uninit was stored to memory at|status: [0-9a-f]{16} badaddr: [0-9a-f]{16} cause: [0-9a-f]{16}";

    // anchors used by individual report kinds
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

    // headers
    USER_GPF_RE = r"general protection fault .* error:\d+ in |traps: ";
    BARE_OOPS_RE = r"(?:^|\s)Oops\b[^\[]{0,80}\[#\d+\]";
    REBOOT_IGNORE_RE = r"Parsing ELF|Decompressing Linux|Unknown parameter '";
    BUG_PAGING_RE = r"^BUG: (?:unable to handle kernel paging request|unable to handle page fault for address|Unable to handle kernel data access)";
    BUG_NULL_RE = r"^BUG: (?:unable to handle kernel NULL pointer dereference|kernel NULL pointer dereference|Kernel NULL pointer dereference)";
    BUG_SPINLOCK_RE = r"^BUG: (spinlock|rwlock) (lockup suspected|already unlocked|recursion|cpu recursion|bad magic|wrong owner|wrong CPU|trylock failure on UP)";
    BUG_LOCKS_HELD_RE = r"^BUG: .*still has locks held!";
    BUG_DENTRY_RE = r"^BUG: Dentry .* still in use";
    BUG_DENTRY_FULL_RE = r"^BUG: Dentry .* still in use \(\d+\) \[(unmount) of [^\]]+\]";
    BUG_BAD_PAGE_RE = r"^BUG: Bad page (state|cache)";
    BUG_PREEMPT_RE = r"^BUG: using ([a-z_]+)\(\) in preemptible";
    BUG_GUARD_RE = r"^BUG: .*stack guard page was hit at";
    WQ_LAST_FUNC_RE = r"last function: ([A-Za-z0-9_]+)";
    KASAN_HDR_RE = r"^BUG: KASAN: ([a-z\-]+) in ([A-Za-z0-9_]+)[.+]";
    KASAN_RW_RE = r"(Read|Write) (?:of size|at addr) [0-9a-f]+";
    KASAN_ADDR_RE = r"^BUG: KASAN: ([a-z\-]+) on address";
    KASAN_SIZE_RE = r"(Read|Write) of size ([0-9]+)";
    KMSAN_HDR_RE = r"^BUG: KMSAN: ([a-z\-]+) in [A-Za-z0-9_]+[.+]";
    KFENCE_ACCESS_RE = r"^BUG: KFENCE: (use-after-free|out-of-bounds) (read|write) in [A-Za-z0-9_]+[.+]";
    KFENCE_INVALID_RE = r"^BUG: KFENCE: invalid (read|write) in [A-Za-z0-9_]+[.+]";
    WARN_IGNORE_RE = r"WARNING: /etc/ssh/moduli does not exist|WARNING: workqueue cpumask: online intersect|WARNING: [Tt]he mand mount option|WARNING: Unsupported flag value|WARNING: Unprivileged eBPF is enabled|WARNING: fbcon: Driver '|WARNING: See https.* for mitigation options|WARNING: kernel not compiled with CPU_SRSO|EXT4-[Ff][Ss](?: \(.*\))?:|(?i:warning: .* uses (?:deprecated v2 capabilities|wireless extensions))|XFS \(\w+\): WARNING";
    WARN_ODEBUG_RE = r"^WARNING: .*lib/debugobjects\.c.* (?:debug_print|debug_check|at)";
    WARN_USERCOPY_RE = r"^WARNING: .*mm/usercopy\.c.* (?:usercopy_warn|at)";
    WARN_KOBJECT_RE = r"^WARNING: .*lib/kobject\.c.* (?:kobject_|at)";
    WARN_PROC_RE = r"^WARNING: .*fs/proc/generic\.c.* (?:proc_register|at)";
    WARN_REFCOUNT_RE = r"^WARNING: .*lib/refcount\.c.* (?:refcount_|at)";
    WARN_LOCKDEP_RE = r"^WARNING: .*kernel/locking/lockdep\.c.*lock_";
    WARN_LOCKS_HELD_RE = r"^WARNING: .*still has locks held!";
    WARN_KMALLOC_RE = r"^WARNING: .*mm/.*\.c.* k?.?malloc";
    WARN_VMALLOC_RE = r"^WARNING: .*mm/vmalloc.c.*__vmalloc_node";
    WARN_URB_RE = r"^WARNING: .* usb_submit_urb";
    WARN_SRC_CPU_RE = r"^WARNING: [A-Za-z0-9\-_/.]+\.[a-z]+:[0-9]+ at 0x\d+, CPU#\d+";
    WARN_AT_SRC_FUNC_RE = r"^WARNING: .* at [A-Za-z0-9\-_/.]+\.[a-z]+:[0-9]+ ([A-Za-z0-9_]+)[.+]";
    WARN_SRC_AT_FUNC_RE = r"^WARNING: (?:\[.*\] )?[A-Za-z0-9\-_/.]+\.[a-z]+:[0-9]+ at ([A-Za-z0-9_]+)[.+]";
    WARN_OLD_AT_RE = r"^WARNING: (?:.* )?at \S+:[0-9]+(?: ([A-Za-z0-9_]+)[.+(])?";
    WARN_STACK_REGS_RE = r"^WARNING: kernel stack regs at [0-9a-f]+ in [^ ]* has bad '([^']+)' value";
    WARN_FRAME_PTR_RE = r"^WARNING: kernel stack frame pointer at [0-9a-f]+ in [^ ]* has bad value";
    WARN_BP_RE = r"^WARNING: kernel stack regs .* has bad 'bp' value";
    WARN_FRAME_PTR2_RE = r"^WARNING: kernel stack frame pointer .* has bad value";
    SAFE_UNSAFE_RE = r"^(?:WARNING|INFO): .*-safe -> .*-unsafe lock order detected";
    SRC_RE = r"[A-Za-z0-9\-_/.]+\.[a-z]+:[0-9]+";
    RCU_STALL_RE = r"^INFO: rcu_(?:preempt|sched|bh) (?:self-)?detected(?: expedited)? stall";
    HUNG_RE = r"^INFO: task .* blocked (?:in I/O wait )?for more than [0-9]+ seconds";
    CANT_DIE_RE = r"^INFO: task .* can't die for more than .* seconds";
    UNABLE_RE = r"^Unable to handle kernel (.+?)(?: at virtual address| at | on |$)";
    PANIC_CORRUPTED_IN_FUNC_RE = r"^Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: ([A-Za-z0-9_]+)[.+]";
    PANIC_CORRUPTED_IN_ADDR_RE = r"^Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: [a-f0-9]+";
    PANIC_NTTY_RE = r"^Kernel panic - not syncing: Couldn't open N_TTY ldisc for [^ ]+ --- error -[0-9]+";
    PANIC_CONSEQUENCE_RE = r"Kernel panic - not syncing: (?:.*Fatal exception|panic_on_warn set|panic_on_oops|hung_task: blocked tasks|softlockup: hung tasks|[Hh]ard LOCKUP|RCU Stall)";
    KERNEL_BUG_AT_RE = r"^kernel BUG at (?:.*/)?(mm/usercopy\.c|lib/list_debug\.c)";
    UBSAN_KIND_RE = r"^UBSAN: (.*?) in (\S*)";
}

// ---------------------------------------------------------------------------------------------
// Console lines
// ---------------------------------------------------------------------------------------------

/// Who printed a line: `Raw` lines carry no kernel timestamp (user space, firmware, harness),
/// `Console` lines have a timestamp, `Caller` lines also name the printk caller (`T123` task or
/// `C1` CPU, CONFIG_PRINTK_CALLER). A report only keeps lines of its own context, which is what
/// untangles reports interleaved with other output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx<'a> {
    Raw,
    Console,
    Caller(&'a str),
}

impl Ctx<'_> {
    fn is_kernel(self) -> bool {
        !matches!(self, Ctx::Raw)
    }
    fn is_cpu(self) -> bool {
        matches!(self, Ctx::Caller(c) if c.starts_with('C'))
    }
}

#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    /// The message with every transport/console prefix removed.
    text: &'a str,
    ctx: Ctx<'a>,
}

fn split_line(raw: &str) -> Line<'_> {
    let mut s = raw.strip_suffix('\r').unwrap_or(raw);
    // LAVA log records: `- {"dt": "...", "lvl": "target", "msg": "<message>"}`.
    if s.contains('"')
        && let Some(i) = s.find("\"msg\": \"")
    {
        s = &s[i + 8..];
    }
    if let Some(t) = s.strip_suffix("\"}") {
        s = t;
    }
    if s.contains('[')
        && let Some(whole) = TIMESTAMP_RE.find(s)
    {
        // Capture groups cost several times a plain search: take them only when the stamp
        // has a caller part, and only over the stamp (which matches itself the same way).
        let stamp = whole.as_str();
        let caller = stamp
            .contains("][")
            .then(|| TIMESTAMP_RE.captures(stamp))
            .flatten()
            .and_then(|c| c.get(1));
        let ctx = match caller {
            Some(c) => Ctx::Caller(c.as_str()),
            None => Ctx::Console,
        };
        return Line {
            text: &s[whole.end()..],
            ctx,
        };
    }
    // `dmesg -x` re-prints (KernelCI's dmesg test): `kern  :alert : BUG: ...`.
    if let Some(m) = DMESG_X_RE.find(s) {
        return Line {
            text: &s[m.end()..],
            ctx: Ctx::Console,
        };
    }
    Line {
        text: s,
        ctx: Ctx::Raw,
    }
}

/// `? func+0x1/0x2` frames are stack garbage the unwinder could not vouch for.
fn is_questionable(text: &str) -> bool {
    !text.contains("<EOI>") && (QUESTIONABLE_RE.is_match(text) || text.ends_with(" (unreliable)"))
}

// ---------------------------------------------------------------------------------------------
// Report headers
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fmt {
    Kasan,
    Kmsan,
    Kcsan,
    Kfence,
    BugPaging,
    BugNull,
    BugUnable,
    BugSpinlock,
    BugSoftLockup,
    BugLocksHeld,
    BugSchedAtomic,
    BugLockHeldReturn,
    BugBadUnlock,
    BugHeldLockFreed,
    BugDentry,
    BugBadPage,
    BugWqLeaked,
    BugSleeping,
    BugPreemptible,
    BugLeak,
    BugStackGuard,
    BugWaitContext,
    BugGeneric,
    /// A report whose title is a fixed string.
    Fixed(&'static str, &'static str),
    WarnOdebug,
    WarnUsercopy,
    WarnKobject,
    WarnProc,
    WarnRefcount,
    WarnLocking,
    WarnLocksHeld,
    WarnNested,
    WarnLockHeldReturn,
    WarnKmalloc,
    WarnVmalloc,
    WarnUrb,
    WarnAt,
    WarnCircular,
    WarnIrqInversion,
    WarnSafeUnsafe,
    WarnRecursive,
    WarnInconsistent,
    WarnRcu,
    WarnStackRegs,
    WarnBadUnlock,
    WarnHeldLockFreed,
    WarnGeneric,
    InfoCircular,
    InfoIrqInversion,
    InfoSafeUnsafe,
    InfoRecursive,
    InfoInconsistent,
    InfoRcuStall,
    InfoNonStatic,
    InfoRcu,
    InfoHung,
    InfoCantDie,
    UnableToHandle,
    Gpf,
    StackSegment,
    Panic,
    DoubleFault,
    RustPanic,
    KernelBug,
    KernelBugUpper,
    DivideError,
    InvalidOpcode,
    Ubsan,
    Reboot,
    InternalError,
    UnhandledFault,
    Oops,
    HardLockup,
}

impl Fmt {
    /// These lines are printed as part of another report and do not end it.
    fn continues_report(self) -> bool {
        matches!(
            self,
            Fmt::InvalidOpcode
                | Fmt::Panic
                | Fmt::DoubleFault
                | Fmt::InternalError
                | Fmt::Oops
                | Fmt::Fixed("unregister_netdevice: waiting for DEV to become free", _)
        )
    }
}

#[derive(Debug, Clone, Copy)]
struct Hit {
    fmt: Fmt,
    /// Byte offset of the header inside the line text.
    pos: usize,
}

/// Position of `needle` not glued to a preceding identifier (`ODEBUG:` is not `BUG:`,
/// LTP's `TINFO:` is not `INFO:`).
fn find_word(text: &str, needle: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(needle) {
        let pos = from + i;
        let glued = text[..pos]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if !glued {
            return Some(pos);
        }
        from = pos + needle.len();
    }
    None
}

const HEADER_NEEDLES: &[&str] = &[
    "BUG",
    "WARNING:",
    "INFO:",
    "Unable to handle kernel",
    "general protection fault",
    "stack segment: ",
    "Kernel panic",
    "PANIC: double fault",
    "rust_kernel: panicked",
    "divide error: ",
    "divide_error: ",
    "invalid opcode: ",
    "UBSAN:",
    "Booting the kernel",
    "unregister_netdevice: waiting for",
    "VFS: ",
    "Internal error:",
    "Unhandled fault:",
    "Oops",
    "Watchdog detected hard LOCKUP",
];

/// Any of [`HEADER_NEEDLES`], found in one pass (a set of literals compiles to a multi-pattern
/// search): most failure logs hold no crash at all, and this rules a whole log out at once.
/// The needles [`detect`] only takes as whole words (after a space, a bracket or at the start
/// of the line, as [`find_word`] checks) are whole words here too: test output is full of
/// `TINFO:` (LTP) and `DEBUG` that would let a log, and each such line, through to two dozen
/// searches for nothing. Whatever a line's prefix (timestamp, LAVA record) that `split_line`
/// strips, it ends in a non-word character, so a whole word in a line is one in the log.
static ANY_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    let alternatives: Vec<String> = HEADER_NEEDLES
        .iter()
        .map(|&n| match n {
            "BUG" | "WARNING:" | "INFO:" | "UBSAN:" => format!(r"(?-u:\b){n}"),
            n => regex::escape(n),
        })
        .collect();
    Regex::new(&alternatives.join("|")).expect("escaped literals must compile")
});

fn detect(l: &Line) -> Option<Hit> {
    let t = l.text;
    if !ANY_HEADER.is_match(t) || t.trim_start().starts_with("---[ end") {
        return None;
    }
    let hit = |fmt, pos| Some(Hit { fmt, pos });
    if let Some(p) = t.find("Internal error:") {
        return hit(Fmt::InternalError, p);
    }
    if let Some(p) = t.find("Unhandled fault:") {
        // ARM prints user-space alignment faults this way; they are not kernel bugs.
        if t.contains("alignment exception") {
            return None;
        }
        return hit(Fmt::UnhandledFault, p);
    }
    if let Some(p) = t.find("rust_kernel: panicked") {
        return hit(Fmt::RustPanic, p);
    }
    if let Some(p) = t.find("Kernel panic - not syncing") {
        return hit(Fmt::Panic, p);
    }
    if let Some(p) = t.find("general protection fault") {
        if USER_GPF_RE.is_match(t) {
            return None;
        }
        return hit(Fmt::Gpf, p);
    }
    if let Some(p) = t.find("stack segment: ") {
        return hit(Fmt::StackSegment, p);
    }
    if let Some(p) = t.find("PANIC: double fault") {
        return hit(Fmt::DoubleFault, p);
    }
    if let Some(p) = t.find("kernel BUG at ") {
        return hit(Fmt::KernelBug, p);
    }
    if let Some(p) = t.find("Kernel BUG ") {
        return hit(Fmt::KernelBugUpper, p);
    }
    if let Some(p) = t.find("invalid opcode: ") {
        return hit(Fmt::InvalidOpcode, p);
    }
    if let Some(p) = t
        .find("divide error: ")
        .or_else(|| t.find("divide_error: "))
    {
        return hit(Fmt::DivideError, p);
    }
    let at_start = |p: usize| t[..p].trim().is_empty();
    if let Some(p) = find_word(t, "BUG:")
        && let Some(f) = classify_bug(&t[p..], l.ctx, at_start(p))
    {
        return hit(f, p);
    }
    if let Some(p) = find_word(t, "WARNING:")
        && let Some(f) = classify_warning(&t[p..], t, l.ctx, at_start(p))
    {
        return hit(f, p);
    }
    if let Some(p) = find_word(t, "INFO:")
        && let Some(f) = classify_info(&t[p..])
    {
        return hit(f, p);
    }
    if let Some(p) = t.find("Unable to handle kernel ") {
        return hit(Fmt::UnableToHandle, p);
    }
    if let Some(p) = find_word(t, "UBSAN:") {
        return hit(Fmt::Ubsan, p);
    }
    if let Some(p) = t.find("unregister_netdevice: waiting for ")
        && t[p..].contains(" to become free")
    {
        return hit(
            Fmt::Fixed(
                "unregister_netdevice: waiting for DEV to become free",
                "OTHER",
            ),
            p,
        );
    }
    if let Some(p) = t.find("VFS: Close: file count is 0") {
        return hit(
            Fmt::Fixed("VFS: Close: file count is zero (use-after-free)", "OTHER"),
            p,
        );
    }
    if let Some(p) = t.find("VFS: Busy inodes after unmount") {
        return hit(
            Fmt::Fixed("VFS: Busy inodes after unmount (use-after-free)", "OTHER"),
            p,
        );
    }
    if let Some(p) = t.find("Watchdog detected hard LOCKUP") {
        return hit(Fmt::HardLockup, p);
    }
    if t.starts_with("Booting the kernel") && !REBOOT_IGNORE_RE.is_match(t) {
        return hit(Fmt::Reboot, 0);
    }
    if let Some(m) = BARE_OOPS_RE.find(t) {
        let p = m.start() + m.as_str().find('O').unwrap_or(0);
        return hit(Fmt::Oops, p);
    }
    if t.contains("BUG kmalloc-") && t.contains(": Object already free") {
        return hit(Fmt::Fixed("BUG: Object already free", "BUG"), 0);
    }
    None
}

/// How a header is recognised: a literal prefix of, or a regex anchored at, the header text.
#[derive(Clone, Copy)]
enum Pat {
    P(&'static str),
    R(&'static LazyLock<Regex>),
}

impl Pat {
    fn matches(self, h: &str) -> bool {
        match self {
            Pat::P(p) => h.starts_with(p),
            Pat::R(r) => r.is_match(h),
        }
    }
}

fn first_match(table: &[(Pat, Fmt)], h: &str) -> Option<Fmt> {
    table.iter().find(|(p, _)| p.matches(h)).map(|&(_, f)| f)
}

/// `BUG:` reports, most specific first.
#[rustfmt::skip]
static BUG_HEADERS: &[(Pat, Fmt)] = &[
    (Pat::P("BUG: KASAN:"), Fmt::Kasan),
    (Pat::P("BUG: KMSAN:"), Fmt::Kmsan),
    (Pat::P("BUG: KCSAN:"), Fmt::Kcsan),
    (Pat::P("BUG: KFENCE:"), Fmt::Kfence),
    (Pat::R(&BUG_PAGING_RE), Fmt::BugPaging),
    (Pat::R(&BUG_NULL_RE), Fmt::BugNull),
    (Pat::P("BUG: unable to handle kernel"), Fmt::BugUnable),
    (Pat::P("BUG: Unable to handle kernel"), Fmt::BugUnable),
    (Pat::R(&BUG_SPINLOCK_RE), Fmt::BugSpinlock),
    (Pat::P("BUG: soft lockup"), Fmt::BugSoftLockup),
    (Pat::R(&BUG_LOCKS_HELD_RE), Fmt::BugLocksHeld),
    (Pat::P("BUG: scheduling while atomic"), Fmt::BugSchedAtomic),
    (Pat::P("BUG: lock held when returning to user space"), Fmt::BugLockHeldReturn),
    (Pat::P("BUG: bad unlock balance detected!"), Fmt::BugBadUnlock),
    (Pat::P("BUG: held lock freed!"), Fmt::BugHeldLockFreed),
    (Pat::P("BUG: Bad rss-counter state"), Fmt::Fixed("BUG: Bad rss-counter state", "BUG")),
    (Pat::P("BUG: non-zero nr_ptes on freeing mm"),
        Fmt::Fixed("BUG: non-zero nr_ptes on freeing mm", "BUG")),
    (Pat::P("BUG: non-zero nr_pmds on freeing mm"),
        Fmt::Fixed("BUG: non-zero nr_pmds on freeing mm", "BUG")),
    (Pat::R(&BUG_DENTRY_RE), Fmt::BugDentry),
    (Pat::R(&BUG_BAD_PAGE_RE), Fmt::BugBadPage),
    (Pat::P("BUG: Bad page map"), Fmt::Fixed("BUG: Bad page map", "BUG")),
    (Pat::P("BUG: workqueue lockup"), Fmt::Fixed("BUG: workqueue lockup", "LOCKUP")),
    (Pat::P("BUG: workqueue leaked lock or atomic"), Fmt::BugWqLeaked),
    (Pat::P("BUG: sleeping function called from invalid context"), Fmt::BugSleeping),
    (Pat::R(&BUG_PREEMPT_RE), Fmt::BugPreemptible),
    (Pat::P("BUG: memory leak"), Fmt::BugLeak),
    (Pat::R(&BUG_GUARD_RE), Fmt::BugStackGuard),
    (Pat::P("BUG: Invalid wait context"), Fmt::BugWaitContext),
];

/// `h` is the line from the header on; `at_start` tells whether the header opens the message
/// (a generic `BUG: text` in the middle of a driver message is not a kernel report).
fn classify_bug(h: &str, ctx: Ctx, at_start: bool) -> Option<Fmt> {
    if let Some(f) = first_match(BUG_HEADERS, h) {
        return Some(f);
    }
    if h.starts_with("BUG: no syscalls can create resource") || !ctx.is_kernel() || !at_start {
        return None;
    }
    if h["BUG:".len()..].trim().is_empty() {
        return Some(Fmt::Fixed("BUG: corrupted", "BUG"));
    }
    Some(Fmt::BugGeneric)
}

/// `WARNING:` reports, most specific first (the order matters: a refcount warning also
/// has the generic `at file.c:N func` shape).
#[rustfmt::skip]
static WARNING_HEADERS: &[(Pat, Fmt)] = &[
    (Pat::R(&WARN_ODEBUG_RE), Fmt::WarnOdebug),
    (Pat::R(&WARN_USERCOPY_RE), Fmt::WarnUsercopy),
    (Pat::R(&WARN_KOBJECT_RE), Fmt::WarnKobject),
    (Pat::R(&WARN_PROC_RE), Fmt::WarnProc),
    (Pat::R(&WARN_REFCOUNT_RE), Fmt::WarnRefcount),
    (Pat::R(&WARN_LOCKDEP_RE), Fmt::WarnLocking),
    (Pat::R(&WARN_LOCKS_HELD_RE), Fmt::WarnLocksHeld),
    (Pat::P("WARNING: Nested lock was not taken"), Fmt::WarnNested),
    (Pat::P("WARNING: lock held when returning to user space"), Fmt::WarnLockHeldReturn),
    (Pat::R(&WARN_KMALLOC_RE), Fmt::WarnKmalloc),
    (Pat::R(&WARN_VMALLOC_RE), Fmt::WarnVmalloc),
    (Pat::R(&WARN_URB_RE), Fmt::WarnUrb),
    (Pat::R(&WARN_SRC_CPU_RE), Fmt::WarnAt),
    (Pat::R(&WARN_AT_SRC_FUNC_RE), Fmt::WarnAt),
    (Pat::R(&WARN_SRC_AT_FUNC_RE), Fmt::WarnAt),
    (Pat::P("WARNING: possible circular locking dependency detected"), Fmt::WarnCircular),
    (Pat::P("WARNING: possible irq lock inversion dependency detected"), Fmt::WarnIrqInversion),
    (Pat::R(&SAFE_UNSAFE_RE), Fmt::WarnSafeUnsafe),
    (Pat::P("WARNING: possible recursive locking detected"), Fmt::WarnRecursive),
    (Pat::P("WARNING: inconsistent lock state"), Fmt::WarnInconsistent),
    (Pat::P("WARNING: suspicious RCU usage"), Fmt::WarnRcu),
    (Pat::R(&WARN_STACK_REGS_RE), Fmt::WarnStackRegs),
    (Pat::R(&WARN_FRAME_PTR_RE),
        Fmt::Fixed("WARNING: kernel stack frame pointer has bad value", "WARNING")),
    (Pat::P("WARNING: bad unlock balance detected!"), Fmt::WarnBadUnlock),
    (Pat::P("WARNING: held lock freed!"), Fmt::WarnHeldLockFreed),
    (Pat::R(&WARN_BP_RE), Fmt::Fixed("WARNING: kernel stack regs has bad value", "WARNING")),
    (Pat::R(&WARN_FRAME_PTR2_RE),
        Fmt::Fixed("WARNING: kernel stack regs has bad value", "WARNING")),
    // Old kernels: `WARNING: at drivers/foo.c:123 func+0x1/0x2()`.
    (Pat::R(&WARN_OLD_AT_RE), Fmt::WarnAt),
];

fn classify_warning(h: &str, line: &str, ctx: Ctx, at_start: bool) -> Option<Fmt> {
    if WARN_IGNORE_RE.is_match(line) {
        return None;
    }
    if let Some(f) = first_match(WARNING_HEADERS, h) {
        return Some(f);
    }
    if !ctx.is_kernel() || !at_start {
        return None;
    }
    if h["WARNING:".len()..].trim().is_empty() {
        return Some(Fmt::Fixed("WARNING: corrupted", "WARNING"));
    }
    Some(Fmt::WarnGeneric)
}

/// `INFO:` reports; any other `INFO:` line is ordinary output.
#[rustfmt::skip]
static INFO_HEADERS: &[(Pat, Fmt)] = &[
    (Pat::P("INFO: possible circular locking dependency detected"), Fmt::InfoCircular),
    (Pat::P("INFO: possible irq lock inversion dependency detected"), Fmt::InfoIrqInversion),
    (Pat::P("INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected"), Fmt::InfoSafeUnsafe),
    (Pat::P("INFO: possible recursive locking detected"), Fmt::InfoRecursive),
    (Pat::P("INFO: inconsistent lock state"), Fmt::InfoInconsistent),
    (Pat::R(&RCU_STALL_RE), Fmt::InfoRcuStall),
    (Pat::P("INFO: trying to register non-static key"), Fmt::InfoNonStatic),
    (Pat::P("INFO: suspicious RCU usage"), Fmt::InfoRcu),
    (Pat::R(&HUNG_RE), Fmt::InfoHung),
    (Pat::R(&CANT_DIE_RE), Fmt::InfoCantDie),
];

fn classify_info(h: &str) -> Option<Fmt> {
    first_match(INFO_HEADERS, h)
}

// ---------------------------------------------------------------------------------------------
// Scanning a log
// ---------------------------------------------------------------------------------------------

fn scan(log: &str, limit: Option<usize>) -> Vec<Crash> {
    // Every line's text is a slice of the log, so a log without any header has no report.
    if !ANY_HEADER.is_match(log) {
        return Vec::new();
    }
    let lines: Vec<Line> = log.split('\n').map(split_line).collect();
    let mut out = Vec::new();
    let mut prev: Option<(usize, Fmt)> = None;
    // Evidence that a system was already running (kernel output, syzkaller programs): only
    // then is `Booting the kernel` an unexpected reboot rather than the normal boot.
    let mut running = false;
    for (i, l) in lines.iter().enumerate() {
        let Some(hit) = detect(l) else {
            running = running
                || l.ctx.is_kernel()
                || l.text.contains("executing program")
                || SYZ_PROGRAM_RE.is_match(l.text);
            continue;
        };
        if hit.fmt == Fmt::Reboot && !running {
            continue;
        }
        running = true;
        if is_follow_on(hit, l.text, i, prev) {
            continue;
        }
        // Interleaved consoles can print the tail of an oops (`invalid opcode`, `Internal
        // error`) just before its first line; the report proper starts at the latter.
        if is_secondary(hit, l.text)
            && lines[i + 1..lines.len().min(i + 6)]
                .iter()
                .any(|n| detect(n).is_some_and(|h| !is_secondary(h, n.text)))
        {
            continue;
        }
        let region = build_region(&lines, i, hit);
        let (title, kind) = describe(hit, &region);
        out.push(Crash {
            title: normalise(&title),
            kind,
            line: i,
        });
        prev = Some((i, hit.fmt));
        if limit.is_some_and(|n| out.len() >= n) {
            break;
        }
    }
    out
}

/// Lines that the kernel prints as part of (usually after) another report's first line.
fn is_secondary(hit: Hit, text: &str) -> bool {
    match hit.fmt {
        Fmt::InternalError | Fmt::InvalidOpcode | Fmt::Oops => true,
        Fmt::Panic => PANIC_CONSEQUENCE_RE.is_match(text),
        _ => false,
    }
}

/// Messages the kernel prints *because of* an earlier report belong to that report.
fn is_follow_on(hit: Hit, text: &str, idx: usize, prev: Option<(usize, Fmt)>) -> bool {
    let Some((pidx, pfmt)) = prev else {
        return false;
    };
    let dist = idx - pidx;
    // Reports that are always followed by an `Oops:`/`Internal error:`/`invalid opcode:`
    // line, possibly after many lines of other devices' output.
    let oopsing = matches!(
        pfmt,
        Fmt::BugPaging
            | Fmt::BugNull
            | Fmt::BugUnable
            | Fmt::UnableToHandle
            | Fmt::KernelBug
            | Fmt::UnhandledFault
            | Fmt::Gpf
            | Fmt::StackSegment
            | Fmt::BugStackGuard
            | Fmt::RustPanic
    );
    match hit.fmt {
        Fmt::Panic => dist <= 1000 && PANIC_CONSEQUENCE_RE.is_match(text),
        Fmt::InternalError | Fmt::InvalidOpcode | Fmt::Oops => {
            dist <= if oopsing { 200 } else { 40 }
        }
        Fmt::KernelBug => pfmt == Fmt::RustPanic && dist <= 10,
        _ => false,
    }
}

/// The lines of the report starting at `start`: same printk context only, questionable
/// frames dropped, cut at the next unrelated report (unless the caller context tells reports
/// apart) and before the panic_on_warn/lockdep echo that follows a long enough report.
fn build_region<'a>(lines: &[Line<'a>], start: usize, hit: Hit) -> Vec<&'a str> {
    let ctx = lines[start].ctx;
    let has_caller = matches!(ctx, Ctx::Caller(_));
    let min_lines = if hit.fmt == Fmt::Kmsan { 16 } else { 22 };
    let mut out = vec![lines[start].text];
    let mut text_lines = 1;
    let mut cpu_traceback = false;
    for (i, l) in lines.iter().enumerate().skip(start + 1).take(REGION_CAP) {
        // With a printk caller id, reports of other tasks/CPUs are filtered out below, but a
        // new report from the same task ends this one (this also bounds the work per report).
        if has_caller
            && l.ctx == ctx
            && detect(l).is_some_and(|h| {
                !h.fmt.continues_report() && !is_follow_on(h, l.text, i, Some((start, hit.fmt)))
            })
        {
            break;
        }
        if !has_caller {
            // The same header twice is one report echoed by two consoles, not a new one.
            if l.text == lines[start].text {
                continue;
            }
            if detect(l).is_some_and(|h| !h.fmt.continues_report()) {
                break;
            }
            if [
                "vmalloc: allocation failure:",
                "FAULT_INJECTION: forcing a failure",
                "FAULT_FLAG_ALLOW_RETRY missing",
            ]
            .iter()
            .any(|p| l.text.contains(p))
            {
                break;
            }
        }
        if l.ctx != ctx && !(cpu_traceback && l.ctx.is_cpu()) {
            continue;
        }
        if ctx.is_kernel() && is_questionable(l.text) {
            continue;
        }
        text_lines += 1;
        if l.text
            .contains("Disabling lock debugging due to kernel taint")
        {
            continue;
        }
        if l.text.contains("Sending NMI from CPU") {
            cpu_traceback = true;
        } else if text_lines > min_lines
            && (l.text.contains("Kernel panic - not syncing")
                || l.text
                    .contains("WARNING: possible circular locking dependency detected"))
        {
            break;
        }
        out.push(l.text);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Guilty frame extraction
// ---------------------------------------------------------------------------------------------

/// One step of locating the guilty frame: find a line (optionally capturing a function),
/// or parse a stack trace until the next stack-trace keyword.
#[derive(Clone, Copy)]
enum Part {
    /// `RIP: 0010:func+0x..`, `pc : func+0x..`, `PC is at func+0x..`, `IP: ...`.
    Rip,
    /// `Call Trace:` / `Call trace:` / `Backtrace:`.
    CallTrace,
    /// Frames until the next stack-trace keyword.
    Trace,
    /// A line matching the regex; capture group 1, if any, is a frame.
    Re(&'static LazyLock<Regex>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ext {
    /// The first interesting frame.
    First,
    /// Stalls loop somewhere random: take the frame just above a dispatch point instead.
    Stall,
    /// Hung tasks sleep in generic code: group rtnl/RCU waits, else first non-sleeping frame.
    Hang,
}

struct Stack<'s> {
    parts: &'s [Part],
    /// Tried when `parts` finds nothing.
    parts2: &'s [Part],
    /// Report-specific frames to skip, on top of [`SKIP`].
    skip: &'s [&'s str],
    ext: Ext,
}

const RIP_TRACE: &[Part] = &[Part::Rip, Part::CallTrace, Part::Trace];
const RIP_ANY: &[Part] = &[Part::Rip, Part::Trace];
const CALL_TRACE: &[Part] = &[Part::CallTrace, Part::Trace];
const NONE: &[Part] = &[];

fn stack<'s>(parts: &'s [Part], skip: &'s [&'s str]) -> Stack<'s> {
    Stack {
        parts,
        parts2: NONE,
        skip,
        ext: Ext::First,
    }
}

fn guilty(region: &[&str], st: &Stack) -> Option<String> {
    run_parts(region, st.parts, st)
        .or_else(|| {
            if st.parts2.is_empty() {
                None
            } else {
                run_parts(region, st.parts2, st)
            }
        })
        .or_else(|| {
            // arm32 dump_stack() prints its frames with no `Call trace:` keyword at all.
            if st.parts.iter().any(|p| matches!(p, Part::CallTrace)) {
                run_parts(region, &[Part::Re(&ARM_UNWIND_RE), Part::Trace], st)
            } else {
                None
            }
        })
}

/// `Some(frame)` when the part matches the line; the frame is `None` for non-capturing parts.
fn match_part(p: Part, line: &str) -> Option<Option<&str>> {
    let caps = match p {
        Part::Rip => RIP_RE.captures(line)?,
        Part::CallTrace => return CALL_TRACE_RE.is_match(line).then_some(None),
        Part::Trace => return None,
        Part::Re(re) => re.captures(line)?,
    };
    Some(caps.get(1).map(|m| m.as_str()))
}

fn run_parts(region: &[&str], parts: &[Part], st: &Stack) -> Option<String> {
    let mut frames: Vec<String> = Vec::new();
    let push = |name: &str, frames: &mut Vec<String>| {
        let name = demangle(name).unwrap_or_else(|| name.to_string());
        if !is_skipped(&name, st.skip) {
            frames.push(name);
        }
    };
    let mut pos = 0;
    let mut traces = 0;
    let mut i = 0;
    while i < parts.len() {
        match parts[i] {
            Part::Trace => {
                if traces > 0 {
                    // Only the first stack trace names the bug.
                    break;
                }
                traces += 1;
                while pos < region.len() {
                    let ln = region[pos];
                    pos += 1;
                    if STACK_START_RE.is_match(ln) {
                        break;
                    }
                    if let Some(&next) = parts.get(i + 1)
                        && let Some(cap) = match_part(next, ln)
                    {
                        if let Some(f) = cap {
                            push(f, &mut frames);
                        }
                        i += 1;
                        break;
                    }
                    for f in line_frames(ln) {
                        push(f, &mut frames);
                    }
                }
            }
            p => {
                while pos < region.len() {
                    let ln = region[pos];
                    pos += 1;
                    if let Some(cap) = match_part(p, ln) {
                        if let Some(f) = cap {
                            push(f, &mut frames);
                        }
                        break;
                    }
                }
            }
        }
        i += 1;
    }
    pick(&frames, st.ext)
}

/// Function names on a stack-trace line (two for ARM's `A from B` unwinder output).
fn line_frames(line: &str) -> Vec<&str> {
    if let Some(c) = ARM_OLD_FRAME_RE
        .captures(line)
        .or_else(|| ARM_NEW_FRAME_RE.captures(line))
    {
        return vec![
            c.get(1).map_or("", |m| m.as_str()),
            c.get(2).map_or("", |m| m.as_str()),
        ];
    }
    FRAME_RE
        .captures(line)
        .and_then(|c| c.get(1))
        .map(|m| vec![m.as_str()])
        .unwrap_or_default()
}

/// Syscall entry points are spelled differently on every architecture.
const STRIP_PREFIXES: &[&str] = &[
    "SYSC_",
    "SyS_",
    "sys_",
    "__x64_",
    "__ia32_",
    "__arm64_",
    "____sys_",
    "___sys_",
    "__sys_",
    "__se_",
    "__se_sys_",
    "__do_sys_",
    "compat_SYSC_",
    "compat_SyS_",
    "ksys_",
];

fn strip_frame(f: &str) -> &str {
    STRIP_PREFIXES
        .iter()
        .filter_map(|p| f.strip_prefix(p))
        .min_by_key(|s| s.len())
        .unwrap_or(f)
}

fn pick(frames: &[String], ext: Ext) -> Option<String> {
    let stripped: Vec<&str> = frames.iter().map(|f| strip_frame(f)).collect();
    let first = *stripped.first()?;
    match ext {
        Ext::First => Some(first.to_string()),
        Ext::Stall => {
            let mut prev = first;
            for &f in &stripped {
                if STALL_ANCHORS.iter().any(|p| pattern_matches(p, f)) {
                    if f.contains("smp_call_function") {
                        return Some("smp_call_function".into());
                    }
                    return Some(prev.to_string());
                }
                prev = f;
            }
            None
        }
        Ext::Hang => {
            for &f in &stripped {
                if f.contains("rtnl_lock") {
                    return Some(f.to_string());
                }
                if [
                    "synchronize_rcu",
                    "synchronize_srcu",
                    "synchronize_net",
                    "synchronize_sched",
                ]
                .iter()
                .any(|a| f.contains(a))
                {
                    return Some("synchronize_rcu".into());
                }
            }
            stripped
                .iter()
                .find(|f| !HANG_SKIP.iter().any(|s| f.contains(s)))
                .map(|f| f.to_string())
        }
    }
}

/// Pattern mini-language for frame lists: `^x` prefix, `x$` suffix, `^x$` exact, else substring.
fn pattern_matches(pat: &str, name: &str) -> bool {
    match (pat.strip_prefix('^'), pat.strip_suffix('$')) {
        (Some(p), _) if p.ends_with('$') => name == &p[..p.len() - 1],
        (Some(p), _) => name.starts_with(p),
        (None, Some(p)) => name.ends_with(p),
        (None, None) => name.contains(pat),
    }
}

/// A [`pattern_matches`] pattern as a regex: `^`/`$` keep their meaning, the rest is literal.
fn pattern_regex(pat: &str) -> String {
    let (start, rest) = match pat.strip_prefix('^') {
        Some(r) => ("^", r),
        None => ("", pat),
    };
    let (body, end) = match rest.strip_suffix('$') {
        Some(b) => (b, "$"),
        None => (rest, ""),
    };
    format!("(?:{start}{}{end})", regex::escape(body))
}

/// [`SKIP`] as one regex: every frame of every report is checked against two hundred
/// patterns, which one multi-pattern search does in a single pass.
static SKIP_RE: LazyLock<Regex> = LazyLock::new(|| {
    let alternatives: Vec<String> = SKIP.iter().map(|p| pattern_regex(p)).collect();
    Regex::new(&alternatives.join("|")).expect("escaped patterns must compile")
});

fn is_skipped(name: &str, extra: &[&str]) -> bool {
    SKIP_RE.is_match(name)
        || extra.iter().any(|p| pattern_matches(p, name))
        || ((name.contains("read_once_") || name.contains("write_once_"))
            && name.contains("nocheck"))
        || name
            .strip_prefix("crc")
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
}

/// Frames that never name a bug: reporting machinery, sanitizers, allocators, locking,
/// string/list helpers, generic device and workqueue plumbing.
#[rustfmt::skip]
const SKIP: &[&str] = &[
    "__sanitizer", "__asan", "kasan", "hwasan", "__msan", "kmsan", "kcsan_setup_watchpoint",
    "check_memory_region", "check_heap_object", "check_object", "read_word_at_a_time",
    "print_address_description", "panic", "invalid_op", "report_bug", "fixup_bug", "print_report",
    "print_usage_bug", "do_error", "_trap$", "do_trap", "show_stack", "dump_stack", "walk_stack",
    "dump_backtrace", "unwind_backtrace", "warn_slowpath", "warn_alloc", "warn_bogus", "__warn",
    "alloc_page", "malloc", "zalloc", "calloc", "krealloc", "kmem_cache", "allocate_slab",
    "__alloc_frozen_pages_noprof", "folio_alloc", "folio_unlock", "filemap_alloc_folio",
    "__filemap_get_folio", "find_or_create_page", "do_read_cache_folio", "read_cache_page",
    "pagecache_get_page", "grab_cache_page_write_begin", "slab_", "debug_object",
    "timer_is_static_object", "work_is_static_object", "__might_fault", "print_unlock",
    "imbalance_bug", "lockdep", "bh_enable", "bh_disable", "perf_trace", "lock_acquire",
    "lock_release", "lock_class", "mark_lock", "reacquire_held_locks", "mark_held_locks",
    "raw_spin_rq", "spin_lock", "spin_trylock", "spin_unlock", "read_lock", "read_trylock",
    "write_lock", "write_trylock", "read_unlock", "write_unlock", "^down$", "down_read",
    "down_write", "down_trylock", "up_read", "up_write", "^mutex_", "^__mutex_", "^rt_mutex_",
    "owner_on_cpu", "osq_lock", "osq_unlock", "atomic_dec", "atomic_inc", "atomic_read",
    "atomic_set", "atomic_or", "atomic_xor", "atomic_and", "atomic_add", "atomic_sub",
    "atomic_fetch", "atomic_xchg", "atomic_cmpxchg", "atomic_try", "atomic64_dec", "atomic64_inc",
    "atomic64_read", "atomic64_set", "atomic64_or", "atomic64_xor", "atomic64_and", "atomic64_add",
    "atomic64_sub", "atomic64_fetch", "atomic64_xchg", "atomic64_cmpxchg", "atomic64_try",
    "set_bit", "clear_bit", "change_bit", "test_bit", "__wake_up", "^refcount_", "^kref_",
    "ref_tracker", "seqprop_assert", "memcpy", "memcmp", "memset", "memchr", "memmove", "memdup",
    "strcmp", "strncmp", "strcpy", "strlcpy", "strncpy", "strscpy", "strlen", "strstr", "strnstr",
    "strnlen", "strchr", "strdup", "strndup", "copy_to_user", "copy_from_user", "copy_to_iter",
    "copy_from_iter", "copy_page_to_iter", "copy_page_from_iter", "copy_folio_to_iter", "^copyin$",
    "^copyout$", "put_user", "get_user", "might_fault", "might_sleep", "list_add", "list_del",
    "list_replace", "list_move", "list_splice", "^rb_", "^__rb_", "_indirect_thunk_", "string",
    "pointer", "snprintf", "scnprintf", "kasprintf", "kvasprintf", "printk", "va_format",
    "dev_info", "dev_notice", "dev_warn", "dev_err", "dev_alert", "dev_crit", "dev_emerg",
    "program_check_exception", "program_check_common", "del_timer", "flush_work",
    "__cancel_work_timer", "cancel_work_sync", "try_to_grab_pending", "flush_workqueue",
    "drain_workqueue", "destroy_workqueue", "queue_work", "finish_wait", "kthread_stop",
    "kobject_", "add_uevent_var", "get_device_parent", "device_add", "device_del",
    "device_unregister", "device_destroy", "device_release", "devres_release_all",
    "hwrng_unregister", "i2c_del_adapter", "__unregister_client", "device_for_each_child",
    "rollback_registered", "unregister_netdev", "sysfs_remove", "device_remove_file",
    "tty_unregister_device", "dummy_urb_enqueue", "usb_kill_urb", "usb_kill_anchored_urbs",
    "usb_control_msg", "usb_hcd_submit_urb", "usb_submit_urb", "^complete$", "wait_for_completion",
    "^kfree$", "^kvfree$", "kfree_skb", "readb$", "readw$", "readl$", "readq$", "writeb$",
    "writew$", "writel$", "writeq$", "logic_in", "logic_out", "crc_itu_t", "__might_resched",
    "assertfail", "^iput$", "^iput_final$", "^ihold$", "hex_dump_to_buffer", "print_hex_dump",
    "^klist_", "trace_hardirq", "trace_softirq", "lockdep_hardirq", "lockdep_softirq",
    "^lock_page", "^unlock_page", "stack_trace_consume_entry", "arch_stack_walk",
    "stack_trace_save", "insert_work", "__queue_delayed_work", "queue_delayed_work_on", "ida_free",
    "do_kernel_fault", "do_translation_fault", "do_mem_abort", "el1_abort", "el1h_64_sync",
    "print_tainted", "xas_start", "xas_load", "xas_find", "find_lock_entries",
    "truncate_inode_pages_range", "__phys_addr", "__fortify_report", "cleanup_srcu_struct",
    "rhashtable_lookup", "extract_user_to_sg", "extract_iter_to_sg", "drop_nlink", "^get_taint$",
    "^put_device$", "lock_timer_base", "__timer_delete_sync", "sk_stop_timer_sync", "__mod_timer",
    "fast_dput", "dput",
];

/// Generic dispatch points (syscall entry, workqueues, softirqs, file/socket operations):
/// a stall is named after the frame just above the first of these.
#[rustfmt::skip]
const STALL_ANCHORS: &[&str] = &[
    "process_one_work", "do_syscall_", "do_fast_syscall_", "sysenter_dispatch", "tracesys_phase2",
    "el0_svc_handler", "invoke_syscall", "ret_fast_syscall", "netif_receive_skb", "do_softirq",
    "call_timer_fn", "_run_timers", "run_timer_softirq", "hrtimer_run", "run_ksoftirqd",
    "smpboot_thread_fn", "^kthread$", "start_secondary", "cpu_startup_entry", "ret_from_fork",
    "vfs_write", "vfs_read", "vfs_iter_read", "vfs_iter_write", "do_iter_read", "do_iter_write",
    "call_read_iter", "call_write_iter", "new_sync_read", "new_sync_write", "vfs_ioctl",
    "ksys_ioctl", "compat_ioctl", "compat_sys_ioctl", "blkdev_driver_ioctl", "blkdev_ioctl",
    "do_iter_readv_writev", "^call_mmap", "mmap_region", "do_mmap", "do_dentry_open", "vfs_open",
    "^sock_sendmsg", "^sock_recvmsg", "^sock_release", "^__sock_release", "^setsockopt$",
    "kernel_setsockopt", "sock_common_setsockopt", "^listen$", "kernel_listen",
    "sk_common_release", "^sock_mmap", "^accept$", "kernel_accept", "^sock_do_ioctl",
    "^sock_ioctl", "^compat_sock_ioctl", "^nfnetlink_rcv_msg", "^rtnetlink_rcv_msg",
    "^netlink_dump", "^socketpair", "^sys_socketpair", "^connect", "^sys_connect", "^ioctl",
    "^sys_ioctl", "__do_fault", "do_page_fault", "^page_fault$", "__fput", "task_work_run",
    "exit_to_usermode", "smp_call_function", "tasklet_action", "tasklet_hi_action",
];

#[rustfmt::skip]
const HANG_SKIP: &[&str] = &[
    "sched", "_lock", "_slowlock", "down", "rwsem", "completion", "kthread", "wait", "synchronize",
    "context_switch", "__switch_to", "cancel_delayed_work", "rcu_barrier",
];

// ---------------------------------------------------------------------------------------------
// Titles
// ---------------------------------------------------------------------------------------------

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

fn describe(hit: Hit, region: &[&str]) -> (String, &'static str) {
    let head = &region[0][hit.pos..];
    let g = |st: Stack| guilty(region, &st);
    let gc = |st: Stack| or_corrupted(guilty(region, &st));
    // Stack trace after a "Call Trace:" keyword.
    let trace = |skip: &'static [&'static str]| gc(stack(CALL_TRACE, skip));
    // RIP-based reports: when there is no "Call Trace:" keyword, any frames after the
    // faulting PC still beat "corrupted".
    let rip_based = |skip: &'static [&'static str]| {
        or_corrupted(g(stack(RIP_TRACE, skip)).or_else(|| g(stack(RIP_ANY, skip))))
    };
    let stall = |parts: &'static [Part]| {
        gc(Stack {
            parts,
            parts2: NONE,
            skip: &[],
            ext: Ext::Stall,
        })
    };
    let warn = |skip: &'static [&'static str]| {
        gc(Stack {
            parts: RIP_ANY,
            parts2: CALL_TRACE,
            skip,
            ext: Ext::First,
        })
    };
    // Title `<prefix> in <frame>` of the given kind.
    let named = |prefix: &str, frame: String, kind| (format!("{prefix} in {frame}"), kind);
    // `BUG:` or `WARNING:` as printed, for reports that exist in both flavours.
    let level = &head[..head.find(':').unwrap_or(0)];
    match hit.fmt {
        Fmt::Kasan => (kasan_title(head, region), "KASAN"),
        Fmt::Kmsan => {
            let parts: &[Part] = &[Part::Trace, Part::Re(&KMSAN_CREATED_RE), Part::Trace];
            let title = if head.starts_with("BUG: KMSAN: kernel-usb-infoleak") {
                let skip = &[&["alloc_skb"], URB_SKIP].concat();
                format!("KMSAN: kernel-usb-infoleak in {}", gc(stack(parts, skip)))
            } else if let Some(c) = KMSAN_HDR_RE.captures(head) {
                format!("KMSAN: {} in {}", &c[1], gc(stack(parts, KMSAN_SKIP)))
            } else {
                head.to_string()
            };
            (title, "KMSAN")
        }
        Fmt::Kcsan => (
            format!("KCSAN: {}", head["BUG: KCSAN:".len()..].trim()),
            "KCSAN",
        ),
        Fmt::Kfence => {
            let parts: &[Part] = &[Part::Re(&KFENCE_FUNC_RE), Part::Trace];
            let f = || gc(stack(parts, &[]));
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
        Fmt::BugPaging => named(
            "BUG: unable to handle kernel paging request",
            rip_based(&[]),
            "OOPS",
        ),
        Fmt::BugNull => named(
            "BUG: unable to handle kernel NULL pointer dereference",
            rip_based(&[]),
            "OOPS",
        ),
        Fmt::BugUnable => ("BUG: unable to handle kernel".into(), "OOPS"),
        Fmt::BugSpinlock => {
            let c = BUG_SPINLOCK_RE
                .captures(head)
                .expect("classified by this regex");
            let kind = if &c[2] == "lockup suspected" {
                "LOCKUP"
            } else {
                "BUG"
            };
            let f = trace(&["spin_", "_lock", "_unlock"]);
            named(&format!("BUG: {} {}", &c[1], &c[2]), f, kind)
        }
        Fmt::BugSoftLockup => named("BUG: soft lockup", stall(RIP_TRACE), "LOCKUP"),
        Fmt::BugLocksHeld => {
            let f = or_corrupted(func_in_later_line(region, &PC_FUNC_RE));
            named("BUG: still has locks held", f, "LOCKDEP")
        }
        Fmt::BugSchedAtomic => named("BUG: scheduling while atomic", trace(&["schedule"]), "BUG"),
        Fmt::BugLockHeldReturn | Fmt::WarnLockHeldReturn => {
            let keyword = "leaving the kernel with locks still held";
            let f = or_corrupted(func_after_keyword(region, keyword, &AT_FUNC_RE));
            named(
                &format!("{level}: lock held when returning to user space"),
                f,
                "LOCKDEP",
            )
        }
        Fmt::BugBadUnlock | Fmt::WarnBadUnlock => {
            let parts: &[Part] = &[Part::Re(&PC_FUNC_RE), Part::CallTrace, Part::Trace];
            named(
                &format!("{level}: bad unlock balance"),
                gc(stack(parts, &[])),
                "LOCKDEP",
            )
        }
        Fmt::BugHeldLockFreed => {
            let f = or_corrupted(func_in_later_line(region, &PC_FUNC_RE));
            named("BUG: held lock freed", f, "LOCKDEP")
        }
        Fmt::WarnHeldLockFreed => {
            let f = or_corrupted(func_in_later_line(region, &AT_FUNC_RE));
            named("WARNING: held lock freed", f, "LOCKDEP")
        }
        Fmt::BugDentry => {
            let full = region.join("\n");
            match BUG_DENTRY_FULL_RE.captures(&full[hit.pos..]) {
                Some(c) => named("BUG: Dentry still in use", c[1].to_string(), "BUG"),
                None => (head.to_string(), "BUG"),
            }
        }
        Fmt::BugBadPage => {
            let c = BUG_BAD_PAGE_RE
                .captures(head)
                .expect("classified by this regex");
            let st = Stack {
                parts: &[Part::Re(&PAGE_LAST_ALLOC_RE), Part::Trace],
                parts2: CALL_TRACE,
                skip: BAD_PAGE_SKIP,
                ext: Ext::First,
            };
            named(&format!("BUG: Bad page {}", &c[1]), gc(st), "BUG")
        }
        Fmt::BugWqLeaked => {
            let f = (1..region.len())
                .find_map(|i| WQ_LAST_FUNC_RE.captures(region[i]))
                .map(|c| c[1].to_string());
            named(
                "BUG: workqueue leaked lock or atomic",
                or_corrupted(f),
                "BUG",
            )
        }
        Fmt::BugSleeping => named(
            "BUG: sleeping function called from invalid context",
            trace(&[]),
            "BUG",
        ),
        Fmt::BugPreemptible => {
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
                trace(skip),
                "LOCKDEP",
            )
        }
        Fmt::BugLeak => {
            let parts: &[Part] = &[Part::Re(&LEAK_BACKTRACE_RE), Part::Trace];
            named("memory leak", gc(stack(parts, LEAK_SKIP)), "LEAK")
        }
        Fmt::BugStackGuard => named("BUG: stack guard page was hit", stall(RIP_TRACE), "OOPS"),
        Fmt::BugWaitContext => named(
            "WARNING: locking bug",
            trace(&["lock_sock", "release_sock"]),
            "LOCKDEP",
        ),
        Fmt::BugGeneric => (head.to_string(), "BUG"),
        Fmt::Fixed(title, kind) => (title.to_string(), kind),
        Fmt::WarnOdebug => named("WARNING: ODEBUG bug", warn(ODEBUG_SKIP), "WARNING"),
        Fmt::WarnUsercopy => named(
            "WARNING: bad usercopy",
            warn(&["usercopy", "__check"]),
            "WARNING",
        ),
        Fmt::WarnKobject => named("WARNING: kobject bug", warn(&["kobject_"]), "WARNING"),
        Fmt::WarnProc => named(
            "WARNING: proc registration bug",
            warn(&["proc_"]),
            "WARNING",
        ),
        Fmt::WarnRefcount => named(
            "WARNING: refcount bug",
            warn(&["refcount", "kobject_"]),
            "WARNING",
        ),
        Fmt::WarnLocking => named(
            "WARNING: locking bug",
            warn(&["lock_sock", "release_sock"]),
            "LOCKDEP",
        ),
        Fmt::WarnLocksHeld => {
            let f = or_corrupted(func_in_later_line(region, &AT_FUNC_RE));
            named("WARNING: still has locks held", f, "LOCKDEP")
        }
        Fmt::WarnNested => named("WARNING: nested lock was not taken", warn(&[]), "LOCKDEP"),
        Fmt::WarnKmalloc => {
            let f = warn(&["kmalloc", "krealloc", "slab", "kmem"]);
            named("WARNING: kmalloc bug", f, "WARNING")
        }
        Fmt::WarnVmalloc => named("WARNING: zero-size vmalloc", warn(&[]), "WARNING"),
        Fmt::WarnUrb => (
            format!("WARNING in {}/usb_submit_urb", warn(URB_SKIP)),
            "WARNING",
        ),
        Fmt::WarnAt => {
            // Without a usable stack (truncated excerpts), the function named in the
            // header is the best identity we have.
            let st = Stack {
                parts: RIP_ANY,
                parts2: CALL_TRACE,
                skip: &[],
                ext: Ext::First,
            };
            let f = g(st).or_else(|| warning_header_func(head));
            named("WARNING", or_corrupted(f), "WARNING")
        }
        Fmt::WarnCircular => {
            let f = if find_after(region, 0, &TRYING_TO_ACQUIRE_RE).is_some() {
                let parts: &[Part] = &[Part::Re(&AT_FUNC_RE), Part::Re(&AT_FUNC_RE), Part::Trace];
                // Deadlocks on work items are the work item's bug, not the workqueue's.
                let skip = &["process_one_work", "flush_workqueue", "drain_workqueue"];
                gc(stack(parts, &[&skip[..], &["destroy_workqueue"]].concat()))
            } else {
                "corrupted".into()
            };
            named("possible deadlock", f, "LOCKDEP")
        }
        Fmt::WarnIrqInversion | Fmt::InfoIrqInversion => {
            let keyword = "just changed the state of lock";
            let f = or_corrupted(func_after_keyword(region, keyword, &AT_FUNC_RE));
            named("possible deadlock", f, "LOCKDEP")
        }
        Fmt::WarnSafeUnsafe => {
            let parts: &[Part] = &[Part::Re(&WHICH_BECAME_RE), Part::Trace];
            named("possible deadlock", gc(stack(parts, &[])), "LOCKDEP")
        }
        Fmt::WarnRecursive | Fmt::InfoRecursive | Fmt::InfoCircular => {
            let f = func_after_keyword(region, "is trying to acquire lock", &AT_FUNC_RE);
            named("possible deadlock", or_corrupted(f), "LOCKDEP")
        }
        Fmt::InfoSafeUnsafe => {
            let f = func_after_keyword(region, "is trying to acquire", &AT_FUNC_RE);
            named("possible deadlock", or_corrupted(f), "LOCKDEP")
        }
        Fmt::WarnInconsistent => {
            let f = if func_after_keyword(region, "takes", &AT_FUNC_RE).is_some() {
                trace(&[])
            } else {
                "corrupted".into()
            };
            named("inconsistent lock state", f, "LOCKDEP")
        }
        Fmt::InfoInconsistent => {
            let f = func_after_keyword(region, "takes", &AT_FUNC_RE);
            named("inconsistent lock state", or_corrupted(f), "LOCKDEP")
        }
        Fmt::WarnRcu | Fmt::InfoRcu => {
            let f = if find_after(region, 0, &SRC_RE).is_some() || SRC_RE.is_match(head) {
                trace(&["rcu", "kmem", "slab"])
            } else {
                "corrupted".into()
            };
            named(&format!("{level}: suspicious RCU usage"), f, "LOCKDEP")
        }
        Fmt::WarnStackRegs => {
            let c = WARN_STACK_REGS_RE
                .captures(head)
                .expect("classified by this regex");
            (
                format!("WARNING: kernel stack regs has bad '{}' value", &c[1]),
                "WARNING",
            )
        }
        Fmt::WarnGeneric => (head.to_string(), "WARNING"),
        Fmt::InfoRcuStall => {
            let skip: &[&str] = &["apic_timer_interrupt", "rcu"];
            let st = Stack {
                parts: &[Part::Re(&APIC_RE), Part::Rip, Part::Trace],
                parts2: &[Part::Re(&IRQ_ENTRY_RE), Part::Trace],
                skip,
                ext: Ext::Stall,
            };
            let mut f = g(st);
            // A self-detected stall dumps the stalled CPU's own registers and stack.
            if f.is_none() && head.contains("self-detected") {
                f = g(Stack {
                    parts: RIP_TRACE,
                    parts2: NONE,
                    skip,
                    ext: Ext::Stall,
                });
            }
            named("INFO: rcu detected stall", or_corrupted(f), "RCU_STALL")
        }
        Fmt::InfoNonStatic => named(
            "INFO: trying to register non-static key",
            trace(&["stack", "lock", "IRQ"]),
            "LOCKDEP",
        ),
        Fmt::InfoHung => {
            let st = Stack {
                parts: CALL_TRACE,
                parts2: NONE,
                skip: &[],
                ext: Ext::Hang,
            };
            named("INFO: task hung", gc(st), "HUNG_TASK")
        }
        Fmt::InfoCantDie => named("INFO: task can't die", trace(&["schedule"]), "HUNG_TASK"),
        Fmt::UnableToHandle => {
            let what = UNABLE_RE.captures(head).map_or("paging request", |c| {
                c.get(1).map_or("paging request", |m| m.as_str().trim())
            });
            named(
                &format!("BUG: unable to handle kernel {what}"),
                rip_based(&[]),
                "OOPS",
            )
        }
        Fmt::Gpf => named("general protection fault", rip_based(&[]), "GPF"),
        Fmt::StackSegment => named("stack segment fault", rip_based(&[]), "GPF"),
        Fmt::Panic => panic_title(head, region),
        Fmt::DoubleFault => named("PANIC: double fault", gc(stack(&[Part::Rip], &[])), "PANIC"),
        Fmt::RustPanic => {
            let msg = region.get(1).map_or("", |s| s.trim());
            let msg = if msg.is_empty() { "rust panic" } else { msg };
            named(msg, trace(&["__rustc::rust_begin_unwind"]), "PANIC")
        }
        Fmt::KernelBug => match KERNEL_BUG_AT_RE.captures(head) {
            Some(c) if &c[1] == "mm/usercopy.c" => named(
                "BUG: bad usercopy",
                trace(&["usercopy", "__check"]),
                "KERNEL_BUG",
            ),
            Some(_) => named("BUG: corrupted list", trace(&[]), "KERNEL_BUG"),
            None => named("kernel BUG", rip_based(&["^skb_"]), "KERNEL_BUG"),
        },
        Fmt::KernelBugUpper => (
            format!("kernel BUG {}", head["Kernel BUG ".len()..].trim()),
            "KERNEL_BUG",
        ),
        Fmt::DivideError => named("divide error", gc(stack(&[Part::Rip], &[])), "OOPS"),
        Fmt::InvalidOpcode => named("invalid opcode", gc(stack(&[Part::Rip], &[])), "OOPS"),
        Fmt::Ubsan => (ubsan_title(head, region), "UBSAN"),
        Fmt::Reboot => ("unexpected kernel reboot".into(), "REBOOT"),
        Fmt::InternalError => named("Internal error", rip_based(&[]), "OOPS"),
        Fmt::UnhandledFault => named("Unhandled fault", rip_based(&[]), "OOPS"),
        Fmt::Oops => named("Oops", rip_based(&[]), "OOPS"),
        Fmt::HardLockup => named("watchdog: hard LOCKUP", stall(RIP_TRACE), "LOCKUP"),
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
        let parts: &[Part] = &[Part::Re(&KASAN_FUNC_RE), Part::CallTrace, Part::Trace];
        let f = or_corrupted(guilty(region, &stack(parts, skip)));
        return format!("KASAN: {} {} in {}", &c[1], rw, f);
    }
    if KASAN_FREE_FUNC_RE.is_match(head) {
        let parts: &[Part] = &[Part::Re(&KASAN_FREE_FUNC_RE), Part::CallTrace, Part::Trace];
        let skip = &["slab_", "kfree", "vunmap", "vfree"];
        let f = or_corrupted(guilty(region, &stack(parts, skip)));
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
        let f = or_corrupted(guilty(region, &stack(CALL_TRACE, &["stack_chk"])));
        return (format!("kernel panic: stack is corrupted in {f}"), kind);
    }
    let stall = |skip: &'static [&'static str]| {
        or_corrupted(guilty(
            region,
            &Stack {
                parts: CALL_TRACE,
                parts2: NONE,
                skip,
                ext: Ext::Stall,
            },
        ))
    };
    if msg.starts_with("corrupted stack end detected inside scheduler") {
        let f = stall(&["schedule", "retint_kernel"]);
        return (format!("kernel panic: corrupted stack end in {f}"), kind);
    }
    if msg.starts_with("kernel stack overflow") {
        return (
            format!("kernel stack overflow in {}", stall(&["bad_stack"])),
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
    let frame = guilty(region, &stack(CALL_TRACE, skip));
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

// ---------------------------------------------------------------------------------------------
// Normalisation helpers
// ---------------------------------------------------------------------------------------------

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Hex runs of 6+ digits (optionally `0x`-prefixed) that stand alone -> `ADDR`. A run made
/// only of letters must be `0x`-prefixed or 8+ long, so words like `facade` survive.
fn replace_addresses(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        if i > 0 && is_word(b[i - 1]) || !b[i].is_ascii_hexdigit() {
            i += 1;
            continue;
        }
        let prefixed = b[i] == b'0' && matches!(b.get(i + 1), Some(b'x' | b'X'));
        let start = if prefixed { i + 2 } else { i };
        let mut end = start;
        while end < b.len() && b[end].is_ascii_hexdigit() {
            end += 1;
        }
        let len = end - start;
        let standalone = end == b.len() || !is_word(b[end]);
        let digit = b[start..end].iter().any(u8::is_ascii_digit);
        if len >= 6 && standalone && (prefixed || digit || len >= 8) {
            out.push_str(&s[copied..i]);
            out.push_str("ADDR");
            copied = end;
        }
        i = end.max(i + 1);
    }
    out.push_str(&s[copied..]);
    out
}

/// Standalone decimal numbers, and any run of 7+ digits, -> `NUM`.
fn replace_numbers(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
        let standalone = (i == 0 || !is_word(b[i - 1])) && (end == b.len() || !is_word(b[end]));
        if standalone || end - i >= 7 {
            out.push_str(&s[copied..i]);
            out.push_str("NUM");
            copied = end;
        }
        i = end;
    }
    out.push_str(&s[copied..]);
    out
}

// ---------------------------------------------------------------------------------------------
// Rust v0 symbol demangling (Rust-for-Linux frames are v0-mangled; the hash-bearing crate
// disambiguators change with every build, so titles must use the demangled path).
// ---------------------------------------------------------------------------------------------

fn demangle(sym: &str) -> Option<String> {
    let rest = sym.strip_prefix("_R")?;
    let mut d = Demangler {
        s: rest.as_bytes(),
        pos: 0,
        depth: 0,
    };
    while d.peek().is_some_and(|c| c.is_ascii_digit()) {
        d.pos += 1;
    }
    let mut out = String::new();
    d.path(&mut out, true)?;
    Some(out)
}

struct Demangler<'a> {
    s: &'a [u8],
    pos: usize,
    depth: u32,
}

impl<'a> Demangler<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }
    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn base62(&mut self) -> Option<u64> {
        if self.eat(b'_') {
            return Some(0);
        }
        let mut x: u64 = 0;
        loop {
            let c = self.next()?;
            let d = match c {
                b'_' => return x.checked_add(1),
                b'0'..=b'9' => c - b'0',
                b'a'..=b'z' => c - b'a' + 10,
                b'A'..=b'Z' => c - b'A' + 36,
                _ => return None,
            };
            x = x.checked_mul(62)?.checked_add(u64::from(d))?;
        }
    }
    fn disambiguator(&mut self) -> Option<()> {
        if self.eat(b's') {
            self.base62()?;
        }
        Some(())
    }
    fn ident(&mut self) -> Option<&'a str> {
        self.disambiguator()?;
        self.eat(b'u');
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let len: usize = std::str::from_utf8(&self.s[start..self.pos])
            .ok()?
            .parse()
            .ok()?;
        self.eat(b'_');
        let end = self.pos.checked_add(len)?;
        let id = std::str::from_utf8(self.s.get(self.pos..end)?).ok()?;
        self.pos = end;
        Some(id)
    }
    fn backref<F>(&mut self, f: F) -> Option<()>
    where
        F: FnOnce(&mut Self) -> Option<()>,
    {
        let at = self.pos - 1;
        let target = usize::try_from(self.base62()?).ok()?;
        if target >= at {
            return None;
        }
        let saved = self.pos;
        self.pos = target;
        let r = f(self);
        self.pos = saved;
        r
    }
    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth < 100).then_some(())
    }
    fn path(&mut self, out: &mut String, value: bool) -> Option<()> {
        self.enter()?;
        let r = match self.next()? {
            b'C' => {
                out.push_str(self.ident()?);
                Some(())
            }
            b'M' => {
                self.disambiguator()?;
                self.path(&mut String::new(), false)?;
                out.push('<');
                self.ty(out)?;
                out.push('>');
                Some(())
            }
            b'X' => {
                self.disambiguator()?;
                self.path(&mut String::new(), false)?;
                out.push('<');
                self.ty(out)?;
                out.push_str(" as ");
                self.path(out, false)?;
                out.push('>');
                Some(())
            }
            b'Y' => {
                out.push('<');
                self.ty(out)?;
                out.push_str(" as ");
                self.path(out, false)?;
                out.push('>');
                Some(())
            }
            b'N' => {
                let ns = self.next()?;
                self.path(out, value)?;
                let id = self.ident()?;
                if ns.is_ascii_uppercase() {
                    out.push_str(if ns == b'C' { "::{closure" } else { "::{shim" });
                    if !id.is_empty() {
                        out.push(':');
                        out.push_str(id);
                    }
                    out.push('}');
                } else if !id.is_empty() {
                    out.push_str("::");
                    out.push_str(id);
                }
                Some(())
            }
            b'I' => {
                self.path(out, value)?;
                out.push_str(if value { "::<" } else { "<" });
                let mut first = true;
                while !self.eat(b'E') {
                    if !first {
                        out.push_str(", ");
                    }
                    first = false;
                    self.generic_arg(out)?;
                }
                out.push('>');
                Some(())
            }
            b'B' => self.backref(|d| d.path(out, value)),
            _ => None,
        };
        self.depth -= 1;
        r
    }
    fn generic_arg(&mut self, out: &mut String) -> Option<()> {
        if self.eat(b'L') {
            self.base62()?;
            out.push_str("'_");
            Some(())
        } else if self.eat(b'K') {
            self.konst(out)
        } else {
            self.ty(out)
        }
    }
    fn konst(&mut self, out: &mut String) -> Option<()> {
        match self.next()? {
            b'p' => out.push('_'),
            b'B' => return self.backref(|d| d.konst(out)),
            _ => {
                let neg = self.eat(b'n');
                let start = self.pos;
                while self.peek().is_some_and(|c| c != b'_') {
                    self.pos += 1;
                }
                let hex = std::str::from_utf8(&self.s[start..self.pos]).ok()?;
                self.eat(b'_');
                if neg {
                    out.push('-');
                }
                match u128::from_str_radix(hex, 16) {
                    Ok(v) => out.push_str(&v.to_string()),
                    Err(_) => out.push_str(if hex.is_empty() { "0" } else { hex }),
                }
            }
        }
        Some(())
    }
    fn ty(&mut self, out: &mut String) -> Option<()> {
        self.enter()?;
        let c = self.peek()?;
        let basic = match c {
            b'a' => Some("i8"),
            b'b' => Some("bool"),
            b'c' => Some("char"),
            b'd' => Some("f64"),
            b'e' => Some("str"),
            b'f' => Some("f32"),
            b'h' => Some("u8"),
            b'i' => Some("isize"),
            b'j' => Some("usize"),
            b'l' => Some("i32"),
            b'm' => Some("u32"),
            b'n' => Some("i128"),
            b'o' => Some("u128"),
            b's' => Some("i16"),
            b't' => Some("u16"),
            b'u' => Some("()"),
            b'v' => Some("..."),
            b'x' => Some("i64"),
            b'y' => Some("u64"),
            b'z' => Some("!"),
            b'p' => Some("_"),
            _ => None,
        };
        let r = if let Some(name) = basic {
            self.pos += 1;
            out.push_str(name);
            Some(())
        } else {
            match c {
                b'A' | b'S' => {
                    self.pos += 1;
                    out.push('[');
                    self.ty(out)?;
                    if c == b'A' {
                        out.push_str("; ");
                        self.konst(out)?;
                    }
                    out.push(']');
                    Some(())
                }
                b'T' => {
                    self.pos += 1;
                    out.push('(');
                    let mut n = 0;
                    while !self.eat(b'E') {
                        if n > 0 {
                            out.push_str(", ");
                        }
                        self.ty(out)?;
                        n += 1;
                    }
                    if n == 1 {
                        out.push(',');
                    }
                    out.push(')');
                    Some(())
                }
                b'R' | b'Q' => {
                    self.pos += 1;
                    if self.eat(b'L') {
                        self.base62()?;
                    }
                    out.push_str(if c == b'Q' { "&mut " } else { "&" });
                    self.ty(out)
                }
                b'P' | b'O' => {
                    self.pos += 1;
                    out.push_str(if c == b'O' { "*mut " } else { "*const " });
                    self.ty(out)
                }
                b'F' => {
                    self.pos += 1;
                    if self.eat(b'G') {
                        self.base62()?;
                    }
                    if self.eat(b'U') {
                        out.push_str("unsafe ");
                    }
                    if self.eat(b'K') && !self.eat(b'C') {
                        self.ident()?;
                    }
                    out.push_str("fn(");
                    let mut first = true;
                    while !self.eat(b'E') {
                        if !first {
                            out.push_str(", ");
                        }
                        first = false;
                        self.ty(out)?;
                    }
                    out.push(')');
                    let mut ret = String::new();
                    self.ty(&mut ret)?;
                    if ret != "()" {
                        out.push_str(" -> ");
                        out.push_str(&ret);
                    }
                    Some(())
                }
                b'D' => {
                    self.pos += 1;
                    if self.eat(b'G') {
                        self.base62()?;
                    }
                    out.push_str("dyn ");
                    let mut first = true;
                    while !self.eat(b'E') {
                        if !first {
                            out.push_str(" + ");
                        }
                        first = false;
                        self.path(out, false)?;
                        while self.eat(b'p') {
                            self.ident()?;
                            self.ty(&mut String::new())?;
                        }
                    }
                    if self.eat(b'L') {
                        self.base62()?;
                    }
                    Some(())
                }
                b'B' => {
                    self.pos += 1;
                    self.backref(|d| d.ty(out))
                }
                _ => self.path(out, false),
            }
        };
        self.depth -= 1;
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skip_regex_agrees_with_the_pattern_list() {
        let mut names = vec![
            "ext4_fill_super",
            "do_sys_open",
            "crc32_body",
            "x86_trap",
            "down",
        ];
        let derived: Vec<String> = SKIP
            .iter()
            .flat_map(|p| {
                let body = p.trim_start_matches('^').trim_end_matches('$');
                [
                    body.to_string(),
                    format!("x{body}"),
                    format!("{body}x"),
                    format!("x{body}x"),
                ]
            })
            .collect();
        names.extend(derived.iter().map(String::as_str));
        for n in names {
            let listed = SKIP.iter().any(|p| pattern_matches(p, n));
            assert_eq!(SKIP_RE.is_match(n), listed, "{n}");
        }
    }

    fn title(log: &str) -> String {
        extract(log).expect("crash expected").title
    }

    #[test]
    fn clean_logs_have_no_crash() {
        assert_eq!(extract(""), None);
        assert_eq!(
            extract("[    0.000000] Linux version 6.6.0\n[    1.0] Freeing unused kernel memory\n"),
            None
        );
        // Harness and test output is not the kernel.
        assert_eq!(
            extract("WARNING: Optional imports not found, TAP 13 output will be\n"),
            None
        );
        assert_eq!(
            extract("tst_test.c:1733: TINFO: LTP version: 20240524\n"),
            None
        );
        assert_eq!(
            extract("INFO: Generating a skipfile based on /lava/skipfile.yaml\n"),
            None
        );
        assert_eq!(
            extract("[   72.159680] BUG UNIX (Not tainted): kasan: bad access detected\n"),
            None
        );
        assert_eq!(
            extract(
                "INFO: NMI handler (perf_event_nmi_handler) took too long to run: 2.277 msecs\n"
            ),
            None
        );
        assert_eq!(
            extract("[  5.1] ODEBUG: object is on stack, but not annotated\n"),
            None
        );
        assert_eq!(
            extract(
                "[ 3.1] traps: a.out[123] general protection fault ip:4004 sp:7ffc error:0 in a.out[400000+1000]\n"
            ),
            None
        );
        // The normal boot of an x86 machine is not an unexpected reboot.
        assert_eq!(
            extract(
                "GRUB loading.\nDecompressing Linux... Parsing ELF... done.\nBooting the kernel.\n[    0.000000] Linux version 6.1\n"
            ),
            None
        );
    }

    #[test]
    fn kasan_uses_first_interesting_frame() {
        let log = "\
[  19.121820] ==================================================================
[  19.121834] BUG: KASAN: use-after-free in __lock_acquire+0x3c41/0x3cf0
[  19.121839] Read of size 8 at addr ffff8801c75ea0f8 by task syzkaller992070/3471
[  19.121852] Call Trace:
[  19.121861]  dump_stack+0x137/0x198
[  19.121867]  ? __lock_acquire+0x3c41/0x3cf0
[  19.121889]  kasan_report+0x23b/0x360
[  19.121903]  __lock_acquire+0x3c41/0x3cf0
[  19.121983]  lock_acquire+0x16b/0x420
[  19.122007]  _raw_spin_lock_irqsave+0x96/0xc0
[  19.122019]  remove_wait_queue+0x24/0x1b0
[  19.122027]  ep_unregister_pollwait.isra.7+0x9d/0x360
";
        let c = extract(log).unwrap();
        assert_eq!(c.title, "KASAN: use-after-free Read in remove_wait_queue");
        assert_eq!(c.kind, "KASAN");
        assert_eq!(c.line, 1);
    }

    #[test]
    fn kasan_header_function_and_invalid_free() {
        let log = "[ 92.22] BUG: KASAN: slab-use-after-free in tls_sw_recvmsg+0x190/0x3b8\n\
                   [ 92.23] Read of size 1 at addr c6aaf473 by task kworker/191\n";
        assert_eq!(
            title(log),
            "KASAN: slab-use-after-free Read in tls_sw_recvmsg"
        );
        let log = "[ 96.26] BUG: KASAN: double-free or invalid-free in selinux_tun_dev_free_security+0x15/0x20\n\
                   [ 96.28] Call Trace:\n[ 96.29]  kfree+0xd3/0x260\n";
        assert_eq!(
            title(log),
            "KASAN: invalid-free in selinux_tun_dev_free_security"
        );
    }

    #[test]
    fn kcsan_kmsan_kfence() {
        let log = "[   44.379001][    C4] BUG: KCSAN: data-race in find_next_bit / rcu_report_exp_cpu_mult\n";
        let c = extract(log).unwrap();
        assert_eq!(
            c.title,
            "KCSAN: data-race in find_next_bit / rcu_report_exp_cpu_mult"
        );
        assert_eq!(c.kind, "KCSAN");
        let log = "\
[  160.670618][ T5029] BUG: KMSAN: kernel-infoleak in _copy_to_iter+0x870/0x1fd0
[  160.678278][ T5029]  _copy_to_iter+0x870/0x1fd0
[  160.682701][   T32] usb 1-1: unable to get BOS descriptor or descriptor too short
[  160.683265][ T5029]  kernfs_fop_read_iter+0x578/0x970
";
        let c = extract(log).unwrap();
        assert_eq!(c.title, "KMSAN: kernel-infoleak in kernfs_fop_read_iter");
        assert_eq!(c.kind, "KMSAN");
        let log = "\
[   39.998586] BUG: KFENCE: memory corruption in kfree+0x8c/0x174
[   40.042265] Corrupted memory at 0x00000000c5d55ff8 [ ! ! ! . . ] (in kfence-#214):
[   40.071052]  kfree+0x8c/0x174
[   40.092998]  __usbnet_read_cmd+0x94/0x194
";
        let c = extract(log).unwrap();
        assert_eq!(c.title, "KFENCE: memory corruption in __usbnet_read_cmd");
        assert_eq!(c.kind, "KFENCE");
    }

    #[test]
    fn warning_is_named_after_the_function() {
        let log = "\
[    1.143924] ------------[ cut here ]------------
[    1.146063] WARNING: CPU: 0 PID: 1 at kernel/smp.c:912 smp_call_function_many_cond+0x3c4/0x3c8
[    1.147156] CPU: 0 PID: 1 Comm: init Not tainted 6.0.0-rc3-next-20220901 #1
[    1.147556]  unwind_backtrace from show_stack+0x18/0x1c
[    1.147692]  show_stack from dump_stack_lvl+0x58/0x70
[    1.147776]  dump_stack_lvl from __warn+0xd0/0x144
[    1.147941]  warn_slowpath_fmt from smp_call_function_many_cond+0x3c4/0x3c8
";
        let c = extract(log).unwrap();
        assert_eq!(c.title, "WARNING in smp_call_function_many_cond");
        assert_eq!(c.kind, "WARNING");
        assert_eq!(c.line, 1);
        // A bare header (truncated excerpt) still names the function.
        assert_eq!(
            title("WARNING: CPU: 1 PID: 2 at net/x.c:12 func+0x/0x\n"),
            "WARNING in func"
        );
        // Free-form `WARNING:` text inside a driver message is not a splat.
        assert_eq!(
            extract("[ 3.2] xhci_hcd 0000:00:14.0: WARNING: Host System Error\n"),
            None
        );
        // The same bug on x86 with a full stack gives the same title.
        let x86 = "\
<4>[   40.540824] WARNING: CPU: 3 PID: 97 at net/x.c:12 func+0x47/0x50
<4>[   40.654227] RIP: 0010:func+0x47/0x50
<4>[   40.658604] RSP: 0018:ffff8801d9077788 EFLAGS: 00010286
";
        assert_eq!(title(x86), "WARNING in func");
        // refcount warnings are named after the caller, not refcount_warn_saturate.
        let log = "\
[   40.540824] WARNING: CPU: 1 PID: 3697 at lib/refcount.c:153 refcount_inc+0x47/0x50
[   40.654227] RIP: 0010:refcount_inc+0x47/0x50
[   40.707727]  l2tp_session_register+0x9cb/0xe20
";
        assert_eq!(title(log), "WARNING: refcount bug in l2tp_session_register");
        // Generic kernel warnings keep their text.
        assert_eq!(title("<6>[   85.501187] WARNING: foo\n"), "WARNING: foo");
    }

    #[test]
    fn bug_family() {
        let log = "\
[  566.230190][T22160] BUG: sleeping function called from invalid context at include/linux/sched/mm.h:201
[  566.554585][T22160] Call Trace:
[  566.557997][T22160]  dump_stack+0x141/0x1d7
[  566.567572][T22160]  ___might_sleep.cold+0x1f1/0x237
[  566.572746][T22160]  kmem_cache_alloc_node+0x33d/0x3e0
[  566.583028][T22160]  __alloc_skb+0x20b/0x340
";
        let c = extract(log).unwrap();
        assert_eq!(
            c.title,
            "BUG: sleeping function called from invalid context in __alloc_skb"
        );
        assert_eq!(c.kind, "BUG");
        let log = "\
[ 9320.075571][    C0] BUG: scheduling while atomic: syz-fuzzer/2188/0x00000101
[ 9320.081746][    C0] Call trace:
[ 9320.090889][    C0]  __schedule+0x74c/0x7f0
[ 9320.093291][    C0]  rwsem_down_write_slowpath+0x29c/0x5a0
[ 9320.095075][    C0]  simple_recursive_removal+0x124/0x270
";
        assert_eq!(
            title(log),
            "BUG: scheduling while atomic in simple_recursive_removal"
        );
        let log = "\
[   15.447835] BUG: spinlock bad magic on CPU#3, gdbus/2329
[   15.447925] Call trace:
[   15.447930]  do_raw_spin_lock+0x1c/0x120
[   15.447940]  _raw_spin_lock_irqsave+0x64/0x80
[   15.447950]  hci_uart_tx_wakeup+0x2c/0x90
";
        assert_eq!(title(log), "BUG: spinlock bad magic in hci_uart_tx_wakeup");
        assert_eq!(
            title(
                "[ 35.1] BUG: workqueue lockup - pool cpus=1 node=0 flags=0x0 nice=0 stuck for 35s!\n"
            ),
            "BUG: workqueue lockup"
        );
        let log = "\
[  904.280569] BUG: Bad page state in process fork13  pfn:19ffc
[  904.280600] Call trace:
[  904.280610]  dump_stack_lvl+0x64/0x80
[  904.280620]  bad_page+0xe0/0x120
[  904.280630]  free_unref_page_prepare+0x1b0/0x2c0
[  904.280640]  release_pages+0x1d4/0x4a0
[  904.280650]  tlb_batch_pages_flush+0x4c/0x80
[  904.280660]  exit_mmap+0x1a4/0x4a0
";
        assert_eq!(title(log), "BUG: Bad page state in exit_mmap");
    }

    #[test]
    fn soft_lockup_uses_stall_anchor() {
        let log = "\
[  516.671899][    C1] watchdog: BUG: soft lockup - CPU#1 stuck for 134s! [syz-executor.3:16401]
[  516.750065][    C1] RIP: 0010:__sanitizer_cov_trace_switch+0xe/0x70
[  516.846256][    C1] Call Trace:
[  516.852462][    C1]  jhash+0x1d7/0x5d0
[  516.911609][    C1]  ieee80211_rx_list+0xdd3/0x23d0
[  516.954196][    C1]  ieee80211_tasklet_handler+0xd3/0x130
[  516.959733][    C1]  tasklet_action_common.constprop.0+0x22f/0x2d0
";
        let c = extract(log).unwrap();
        assert_eq!(c.title, "BUG: soft lockup in ieee80211_tasklet_handler");
        assert_eq!(c.kind, "LOCKUP");
    }

    #[test]
    fn faults_use_the_faulting_pc() {
        let log = "\
[  234.245620] general protection fault: 0000 [#1] PREEMPT SMP KASAN
[  234.268662] RIP: 0010:memcmp+0x28/0x160
[  234.317982] Call Trace:
[  234.318005]  ? _raw_spin_unlock_irq+0x27/0x80
[  234.318022]  strnstr+0x4b/0x70
[  234.385162]  __aa_lookupn_ns+0xc1/0x570
";
        let c = extract(log).unwrap();
        assert_eq!(c.title, "general protection fault in __aa_lookupn_ns");
        assert_eq!(c.kind, "GPF");
        // arm64: `pc : func+0x..`.
        let log = "\
[ 6.1] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008
[ 6.2] Mem abort info:
[ 6.3] Internal error: Oops: 0000000096000004 [#1] PREEMPT SMP
[ 6.4] pc : dwc3_gadget_ep_queue+0x2c/0x90
[ 6.5] lr : usb_ep_queue+0x30/0x100
[ 6.6] Call trace:
[ 6.7]  dwc3_gadget_ep_queue+0x2c/0x90
";
        let all = extract_all(log);
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(
            all[0].title,
            "BUG: unable to handle kernel NULL pointer dereference in dwc3_gadget_ep_queue"
        );
        assert_eq!(all[0].kind, "OOPS");
        // x86 page fault.
        let log = "\
[ 12.1] BUG: unable to handle page fault for address: ffffc90001953030
[ 12.2] #PF: supervisor read access in kernel mode
[ 12.3] Oops: 0000 [#1] PREEMPT SMP KASAN
[ 12.4] RIP: 0010:bpf_prog_kallsyms_find+0x289/0x4a0
";
        let all = extract_all(log);
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(
            all[0].title,
            "BUG: unable to handle kernel paging request in bpf_prog_kallsyms_find"
        );
        // arm32: `PC is at` and the old `(func) from (func)` unwinder.
        let log = "\
[    6.193291] Unable to handle kernel NULL pointer dereference at virtual address 0000002c
[    6.208401] Internal error: Oops: 5 [#1] SMP ARM
[    6.258076] PC is at _raw_spin_lock_irqsave+0x24/0x60
[    6.686828] [<c07c5668>] (_raw_spin_lock_irqsave) from [<bf13209c>] (crypto_transfer_request+0x2c/0x90 [crypto_engine])
";
        assert_eq!(
            title(log),
            "BUG: unable to handle kernel NULL pointer dereference in crypto_transfer_request"
        );
        assert_eq!(
            title(
                "[ 63.5][ C1] divide_error: 0000 [#1] PREEMPT SMP KASAN\n[ 63.5][ C1] RIP: 0010:tabledist.part.0+0x22a/0x2a0\n"
            ),
            "divide error in tabledist"
        );
        assert_eq!(
            title(
                "[ 7.1] invalid opcode: 0000 [#1] SMP PTI\n[ 7.2] RIP: 0010:kvm_mmu_page_fault+0x1c/0x80\n"
            ),
            "invalid opcode in kvm_mmu_page_fault"
        );
        // No frame at all: syzkaller's `corrupted` marker, never a random line.
        assert_eq!(
            title(
                "[ 1722.511384] general protection fault: 0000 [#1] SMP KASAN\n[ 1722.511384] Modules linked in:\n"
            ),
            "general protection fault in corrupted"
        );
    }

    #[test]
    fn kernel_bug_and_its_follow_ons_are_one_crash() {
        let log = "\
[   34.517718] ------------[ cut here ]------------
[   34.522456] kernel BUG at arch/x86/kvm/mmu.c:1284!
[   34.527367] invalid opcode: 0000 [#1] SMP KASAN
[   34.559224] RIP: 0010:[<ffffffff810d9c93>]  [<ffffffff810d9c93>] pte_list_remove+0x3b3/0x3d0
[   34.657038] Call Trace:
[   34.659617]  [<ffffffff810ec8b2>] drop_spte+0x162/0x260
[   34.700000] ---[ end trace 05ef833e13705a0a ]---
[   34.700001] Kernel panic - not syncing: Fatal exception
";
        let all = extract_all(log);
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(all[0].title, "kernel BUG in pte_list_remove");
        assert_eq!(all[0].kind, "KERNEL_BUG");
        assert_eq!(all[0].line, 1);
    }

    #[test]
    fn hangs_stalls_and_lockdep() {
        let log = "\
[  244.447743] INFO: task syz-executor2:14507 blocked for more than 120 seconds.
[  244.497869] Call Trace:
[  244.500425]  [<ffffffff8388f2bb>] ? __schedule+0x67b/0x1ba0
[  244.505000]  [<ffffffff83890872>] schedule+0x92/0x1b0
[  244.517906]  [<ffffffff838967f2>] mutex_lock_nested+0x312/0x870
[  244.559031]  [<ffffffff8162804a>] blkdev_put+0x2a/0x550
";
        let c = extract(log).unwrap();
        assert_eq!(c.title, "INFO: task hung in blkdev_put");
        assert_eq!(c.kind, "HUNG_TASK");
        let log = "\
[  396.319024] INFO: rcu_sched detected stalls on CPUs/tasks:
[  396.350812] Call Trace:
[  396.587826]  __hrtimer_run_queues+0x3eb/0x10c0
[  396.668106]  apic_timer_interrupt+0xf/0x20
[  396.674589] RIP: 0010:fuse_abort_conn+0xb1f/0x1580
[  396.815744]  fuse_put_super+0x123/0x440
[  396.886406]  __cleanup_mnt+0x16/0x20
[  396.890123]  task_work_run+0x1ec/0x2a0
";
        let c = extract(log).unwrap();
        assert_eq!(c.title, "INFO: rcu detected stall in __cleanup_mnt");
        assert_eq!(c.kind, "RCU_STALL");
        // arm64 self-detected stall: the stalled CPU's own stack.
        let log = "\
[   51.742161] rcu: INFO: rcu_preempt self-detected stall on CPU
[   51.742211] pc : get_futex_key+0x1a8/0x5d4
[   51.742312] Call trace:
[   51.742315]  get_futex_key+0x1a8/0x5d4 (P)
[   51.742359]  do_futex+0xe0/0x1a0
[   51.742365]  __arm64_sys_futex+0x7c/0x190
[   51.742372]  invoke_syscall+0x48/0x110
";
        assert_eq!(title(log), "INFO: rcu detected stall in sys_futex");
        let log = "\
[  254.403407] ======================================================
[  254.404314] WARNING: possible circular locking dependency detected
[  254.406669] syz-executor6/6936 is trying to acquire lock:
[  254.407386] 000000000199d5d7 (&bdev->bd_mutex){+.+.}, at: blkdev_reread_part+0x1e/0x40
[  254.408469] but task is already holding lock:
[  254.409244] 00000000a9fae736 (&lo->lo_ctl_mutex#2){+.+.}, at: lo_compat_ioctl+0x12a/0x170
";
        let c = extract(log).unwrap();
        assert_eq!(c.title, "possible deadlock in blkdev_reread_part");
        assert_eq!(c.kind, "LOCKDEP");
    }

    #[test]
    fn ubsan_panic_leak_and_others() {
        let log = "\
[  175.968362][T13309] UBSAN: array-index-out-of-bounds in /usr/src/linux/arch/x86/kernel/uprobes.c:263:56
[  175.969802][T13309] index 4 is out of range for type 'insn_byte_t [4]'
[  175.973306][T13309] Call Trace:
[  175.973685][T13309]  dump_stack+0x14b/0x18f
[  175.974290][T13309]  ubsan_epilogue+0xb/0x5a
[  175.974921][T13309]  __ubsan_handle_out_of_bounds.cold+0x62/0x6c
[  175.975740][T13309]  arch_uprobe_analyze_insn+0x91b/0xa40
";
        let c = extract(log).unwrap();
        assert_eq!(
            c.title,
            "UBSAN: array-index-out-of-bounds in arch_uprobe_analyze_insn"
        );
        assert_eq!(c.kind, "UBSAN");
        // Without a stack the source location (minus the build directory) is used.
        assert_eq!(
            title(
                "[ 3.1] UBSAN: shift-out-of-bounds in /builds/linux/drivers/gpu/drm/foo.c:123:45\n"
            ),
            "UBSAN: shift-out-of-bounds in drivers/gpu/drm/foo.c:LINE"
        );
        let c = extract("[    4.946791] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000200\n").unwrap();
        assert_eq!(c.title, "kernel panic: Attempted to kill init!");
        assert_eq!(c.kind, "PANIC");
        assert_eq!(
            title(
                "[ 7.58][ T1] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\n"
            ),
            "kernel panic: VFS: Unable to mount root fs on unknown-block(NUM,NUM)"
        );
        let log = "\
2018/01/09 14:28:48 BUG: memory leak
unreferenced object 0xffff8800342540c0 (size 1864):
  backtrace:
    [<ffffffff85c73a22>] kmemleak_alloc+0x72/0xc0 mm/kmemleak.c:915
    [<ffffffff84b6d36a>] sk_alloc+0x3a/0x6b0 net/core/sock.c:1419
    [<ffffffff850c6d57>] inet6_create+0x2d7/0x1000 net/ipv6/af_inet6.c:173
";
        let c = extract(log).unwrap();
        assert_eq!(c.title, "memory leak in inet6_create");
        assert_eq!(c.kind, "LEAK");
        assert_eq!(
            title(
                "[  624.887185] unregister_netdevice: waiting for lo to become free. Usage count = 5\n"
            ),
            "unregister_netdevice: waiting for DEV to become free"
        );
    }

    #[test]
    fn rust_frames_are_demangled() {
        assert_eq!(
            demangle("_RNvXs1_CscPPBqWtAqum_11ashmem_rustNtB5_6AshmemNtNtCs43vyB533jt3_6kernel10miscdevice10MiscDevice4mmap")
                .as_deref(),
            Some("<ashmem_rust::Ashmem as kernel::miscdevice::MiscDevice>::mmap")
        );
        assert_eq!(
            demangle("_RNvCscSpY9Juk0HT_7___rustc17rust_begin_unwind").as_deref(),
            Some("__rustc::rust_begin_unwind")
        );
        assert_eq!(demangle("not_rust"), None);
        let log = "\
[   60.002464][ T2148] rust_kernel: panicked at rust/kernel/page_size_compat.rs:60:5:
[   60.002464][ T2148] attempt to add with overflow
[   60.146289][ T2148] Call Trace:
[   60.146312][ T2148]  _RNvCscSpY9Juk0HT_7___rustc17rust_begin_unwind+0x15b/0x160
[   60.189785][ T2148]  _RNvNtCs9jEwPDbx20M_4core9panicking9panic_fmt+0x84/0x90
[   60.426733][ T2148]  _RNvXs1_CscPPBqWtAqum_11ashmem_rustNtB5_6AshmemNtNtCs43vyB533jt3_6kernel10miscdevice10MiscDevice4mmap+0xe44/0xfb0
";
        assert_eq!(
            title(log),
            "attempt to add with overflow in <ashmem_rust::Ashmem as kernel::miscdevice::MiscDevice>::mmap"
        );
    }

    #[test]
    fn prefixes_and_interleaving() {
        // LAVA/LKFT host timestamps, syslog levels, caller ids, YAML-ish records, `"}` tails.
        let log = "\
[2025-07-17T10:40:03.023271] <4>[  301.110000][  T123] ------------[ cut here ]------------
[2025-07-17T10:40:03.023272] <4>[  301.110001][  T123] WARNING: CPU: 2 PID: 123 at mm/gup.c:71 try_grab_folio+0x1c/0x90
[2025-07-17T10:40:03.023273] <4>[  301.110002][   T99] unrelated line from another task
[2025-07-17T10:40:03.023274] <4>[  301.110003][  T123] Call trace:
[2025-07-17T10:40:03.023275] <4>[  301.110004][   T99]  other_task_func+0x1/0x2
[2025-07-17T10:40:03.023276] <4>[  301.110005][  T123]  try_grab_folio+0x1c/0x90
";
        let c = extract(log).unwrap();
        assert_eq!(c.title, "WARNING in try_grab_folio");
        assert_eq!(c.line, 1);
        let log = "- {\"dt\": \"2024-01-01T00:00:00\", \"lvl\": \"target\", \"msg\": \"[   12.345678] Kernel panic - not syncing: Attempted to kill the idle task!\"}\n";
        assert_eq!(title(log), "kernel panic: Attempted to kill the idle task!");
        // Kernel output glued to a partial user-space line.
        let log = "/init: 384: .: Can't open [  280.135296] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000200\n";
        assert_eq!(title(log), "kernel panic: Attempted to kill init!");
    }

    #[test]
    fn more_architectures_and_echoes() {
        // riscv: `Oops [#1]`, `epc : func`.
        let log = "\
[   10.1] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000000
[   10.2] Oops [#1]
[   10.3] epc : virtio_gpu_queue_fenced_ctrl_buffer+0x2c/0x1a0
[   10.4]  ra : virtio_gpu_cmd_submit+0x48/0x80
";
        let all = extract_all(log);
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(
            all[0].title,
            "BUG: unable to handle kernel NULL pointer dereference in virtio_gpu_queue_fenced_ctrl_buffer"
        );
        // arm64 synchronous external abort: `Internal error` on its own.
        let log = "\
[    4.496451][    T1] Internal error: synchronous external abort: 96000050 [#1] PREEMPT SMP
[    4.499760][    T1] pc : clear_page+0x14/0x28
[    4.500225][    T1] lr : kernel_init_free_pages+0x7c/0x190
";
        let c = extract(log).unwrap();
        assert_eq!(
            (c.title.as_str(), c.kind),
            ("Internal error in clear_page", "OOPS")
        );
        // Old arm lockdep: frames follow `stack backtrace:` with no `Call trace:` keyword.
        let log = "\
[   18.430694] (stk) :ldisc_install = 0[ BUG: bad unlock balance detected! ]
[   18.489105] syslink_daemon/1094 is trying to release lock (gatemp_module->gate_mutex) at:
[   18.505401] [<c0743b40>] mutex_unlock+0x18/0x1c
[   18.564575] stack backtrace:
[   18.584167] [<c001b5f0>] (unwind_backtrace+0x0/0xec) from [<c0720fc8>] (dump_stack+0x20/0x24)
[   18.723815] [<c0743b40>] (mutex_unlock+0x18/0x1c) from [<c0537f0c>] (gatehwspinlock_leave+0xc0/0xe0)
";
        assert_eq!(
            title(log),
            "BUG: bad unlock balance in gatehwspinlock_leave"
        );
        // `dmesg -x` echo of an earlier oops is not a second, truncated crash.
        let log = "\
[   35.1] BUG: kernel NULL pointer dereference, address: 00000000000002fc
[   35.2] RIP: 0010:cros_ec_check_features+0xf/0xed
kern  :alert : BUG: kernel NULL pointer dereference, address: 00000000000002fc
kern  :alert : #PF: supervisor read access in kernel mode
";
        let all = extract_all(log);
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(
            all[0].title,
            "BUG: unable to handle kernel NULL pointer dereference in cros_ec_check_features"
        );
        // The same header printed twice by two consoles does not cut the report.
        let log = "\
[  347.416924] kernel BUG at arch/x86/kvm/mmu/mmu.c:3722!
[  347.416924] kernel BUG at arch/x86/kvm/mmu/mmu.c:3722!
[  347.423535] invalid opcode: 0000 [#1] SMP PTI
[  347.444943] RIP: 0010:kvm_mmu_load+0x407/0x420
";
        assert_eq!(extract_all(log).len(), 1);
        assert_eq!(title(log), "kernel BUG in kvm_mmu_load");
        // An oops tail printed just before its first line is not a crash of its own.
        let log = "\
[   14.461360] Internal error: Oops - BUG: 0 [#1] PREEMPT SMP
[   14.451213] kernel BUG at kernel/sched/walt.c:109!
[   14.470000] pc : walt_dec_cumulative_runnable_avg+0x1c/0x40
";
        let all = extract_all(log);
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(
            all[0].title,
            "kernel BUG in walt_dec_cumulative_runnable_avg"
        );
        assert_eq!(all[0].line, 1);
    }

    #[test]
    fn extract_all_dedupes_and_keeps_order() {
        let warn = |t: &str| {
            format!(
                "[ {t}] WARNING: CPU: 1 PID: 202 at lib/list_debug.c:30 __list_add_valid+0xdc/0x110\n\
                 [ {t}] Call trace:\n[ {t}]  __list_add_valid+0xdc/0x110\n[ {t}]  ep_insert+0x1c/0x80\n"
            )
        };
        let log = format!(
            "{}{}[ 9.0] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000200\n",
            warn("1.0"),
            warn("2.0")
        );
        let all = extract_all(&log);
        let titles: Vec<&str> = all.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "WARNING in ep_insert",
                "kernel panic: Attempted to kill init!"
            ]
        );
        assert_eq!(all[1].line, 8);
    }

    #[test]
    fn unexpected_reboot_needs_a_running_system() {
        let log = "r0 = socket$inet(0x2, 0x1, 0x0)\nSeaBIOS (version 1.8.2)\nBooting the kernel.\n";
        let c = extract(log).unwrap();
        assert_eq!(c.title, "unexpected kernel reboot");
        assert_eq!(c.kind, "REBOOT");
    }

    #[test]
    fn garbage_never_panics() {
        // Tiny deterministic generator: no extra dependencies.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let alphabet = b"_RNCMXYIBEsuvTAKLp0123456789abcxyzQDF[]<>()+/. :#\n?";
        for _ in 0..2000 {
            let len = (next() % 60) as usize;
            let s: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize] as char)
                .collect();
            let _ = demangle(&format!("_R{s}"));
            let _ = extract_all(&format!(
                "[ 1.0] BUG: KASAN: x in {s}\n{s}\n[ 1.1] WARNING: {s}"
            ));
            assert_eq!(normalise(&normalise(&s)), normalise(&s));
        }
    }

    #[test]
    fn normalise_rules() {
        assert_eq!(
            normalise("BUG: unable to handle kernel paging request at ffff88002bde1e40"),
            "BUG: unable to handle kernel paging request at ADDR"
        );
        assert_eq!(normalise("WARNING in func+0x1a/0x40"), "WARNING in func");
        assert_eq!(
            normalise("kernel BUG at mm/slub.c:123!"),
            "kernel BUG at mm/slub.c:LINE!"
        );
        assert_eq!(
            normalise("watchdog: BUG: soft lockup - CPU#1 stuck for 134s! [syz:16401]"),
            "watchdog: BUG: soft lockup - CPU stuck for 134s! [syz:NUM]"
        );
        assert_eq!(
            normalise("unknown-block(0,0)  \t x"),
            "unknown-block(NUM,NUM) x"
        );
        assert_eq!(normalise("exitcode=0x0000000b"), "exitcode=ADDR");
        assert_eq!(
            normalise("in cfg80211_rx nl802154_x"),
            "in cfg80211_rx nl802154_x"
        );
        assert_eq!(
            normalise("facade deadbeefcafe 1234567890"),
            "facade ADDR ADDR"
        );
        assert_eq!(
            normalise("Usage count = 5, pid 12"),
            "Usage count = NUM, pid NUM"
        );
        assert_eq!(normalise("peer 10.0.0.1 left"), "peer IP left");
        let long = "x".repeat(300);
        assert_eq!(normalise(&long).len(), 120);
        for s in [
            "BUG: Bad page state in process fork13 pfn:19ffc count:0 mapcount:-128",
            "kernel panic: VFS: Unable to mount root fs on unknown-block(NUM,NUM)",
            "WARNING: at /build/linux-3.1.1/arch/arm/mach-omap2/omap_hwmod.c:1509 _enable+0x1fc/0x230()",
        ] {
            let once = normalise(s);
            assert_eq!(normalise(&once), once, "not idempotent: {s}");
        }
    }
}
