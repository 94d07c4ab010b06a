//! Report headers: the first line of a kernel crash report (`BUG: KASAN: ...`, `WARNING: CPU:
//! ...`, `Kernel panic - not syncing: ...`) and the [`ReportFormat`] it opens, which decides
//! how the report is named. Detection is strict about generic `BUG:`/`WARNING:`/`INFO:` lines
//! so that harness and driver output is not taken for a crash.

use super::console::{ConsoleLine, LineSource};
use HeaderPattern::{Matches, Prefix};
use regex::Regex;
use std::sync::LazyLock;

lazy_re! {
    USER_GPF_RE = r"general protection fault .* error:\d+ in |traps: ";
    BARE_OOPS_RE = r"(?:^|\s)Oops\b[^\[]{0,80}\[#\d+\]";
    REBOOT_IGNORE_RE = r"Parsing ELF|Decompressing Linux|Unknown parameter '";
    BUG_PAGING_RE = r"^BUG: (?:unable to handle kernel paging request|unable to handle page fault for address|Unable to handle kernel data access)";
    BUG_NULL_RE = r"^BUG: (?:unable to handle kernel NULL pointer dereference|kernel NULL pointer dereference|Kernel NULL pointer dereference)";
    pub(super) BUG_SPINLOCK_RE = r"^BUG: (spinlock|rwlock) (lockup suspected|already unlocked|recursion|cpu recursion|bad magic|wrong owner|wrong CPU|trylock failure on UP)";
    BUG_LOCKS_HELD_RE = r"^BUG: .*still has locks held!";
    BUG_DENTRY_RE = r"^BUG: Dentry .* still in use";
    pub(super) BUG_BAD_PAGE_RE = r"^BUG: Bad page (state|cache)";
    pub(super) BUG_PREEMPT_RE = r"^BUG: using ([a-z_]+)\(\) in preemptible";
    BUG_GUARD_RE = r"^BUG: .*stack guard page was hit at";
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
    pub(super) WARN_AT_SRC_FUNC_RE = r"^WARNING: .* at [A-Za-z0-9\-_/.]+\.[a-z]+:[0-9]+ ([A-Za-z0-9_]+)[.+]";
    pub(super) WARN_SRC_AT_FUNC_RE = r"^WARNING: (?:\[.*\] )?[A-Za-z0-9\-_/.]+\.[a-z]+:[0-9]+ at ([A-Za-z0-9_]+)[.+]";
    pub(super) WARN_OLD_AT_RE = r"^WARNING: (?:.* )?at \S+:[0-9]+(?: ([A-Za-z0-9_]+)[.+(])?";
    pub(super) WARN_STACK_REGS_RE = r"^WARNING: kernel stack regs at [0-9a-f]+ in [^ ]* has bad '([^']+)' value";
    WARN_FRAME_PTR_RE = r"^WARNING: kernel stack frame pointer at [0-9a-f]+ in [^ ]* has bad value";
    WARN_BP_RE = r"^WARNING: kernel stack regs .* has bad 'bp' value";
    WARN_FRAME_PTR2_RE = r"^WARNING: kernel stack frame pointer .* has bad value";
    SAFE_UNSAFE_RE = r"^(?:WARNING|INFO): .*-safe -> .*-unsafe lock order detected";
    RCU_STALL_RE = r"^INFO: rcu_(?:preempt|sched|bh) (?:self-)?detected(?: expedited)? stall";
    HUNG_RE = r"^INFO: task .* blocked (?:in I/O wait )?for more than [0-9]+ seconds";
    CANT_DIE_RE = r"^INFO: task .* can't die for more than .* seconds";
}

/// The format of a report, told by its header: it decides how the report is named (which
/// stack trace holds the guilty frame, which frames to skip) and the crash's `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ReportFormat {
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

impl ReportFormat {
    /// These lines are printed as part of another report and do not end it.
    pub(super) fn continues_report(self) -> bool {
        matches!(
            self,
            ReportFormat::InvalidOpcode
                | ReportFormat::Panic
                | ReportFormat::DoubleFault
                | ReportFormat::InternalError
                | ReportFormat::Oops
                | ReportFormat::Fixed("unregister_netdevice: waiting for DEV to become free", _)
        )
    }
}

/// A report header found in a console line.
#[derive(Debug, Clone, Copy)]
pub(super) struct Header {
    pub(super) format: ReportFormat,
    /// Byte offset of the header inside the line text.
    pub(super) pos: usize,
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
/// searches for nothing. Whatever a line's prefix (timestamp, LAVA record) that
/// `ConsoleLine::parse` strips, it ends in a non-word character, so a whole word in a line
/// is one in the log.
pub(super) static ANY_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    let alternatives: Vec<String> = HEADER_NEEDLES
        .iter()
        .map(|&n| match n {
            "BUG" | "WARNING:" | "INFO:" | "UBSAN:" => format!(r"(?-u:\b){n}"),
            n => regex::escape(n),
        })
        .collect();
    Regex::new(&alternatives.join("|")).expect("escaped literals must compile")
});

/// The report header in `line`, if any. The checks run in a fixed order, most specific
/// first, and the first that matches decides the format.
pub(super) fn detect(line: &ConsoleLine) -> Option<Header> {
    let t = line.text;
    if !ANY_HEADER.is_match(t) || t.trim_start().starts_with("---[ end") {
        return None;
    }
    let found = |format, pos| Some(Header { format, pos });
    if let Some(p) = t.find("Internal error:") {
        return found(ReportFormat::InternalError, p);
    }
    if let Some(p) = t.find("Unhandled fault:") {
        // ARM prints user-space alignment faults this way; they are not kernel bugs.
        if t.contains("alignment exception") {
            return None;
        }
        return found(ReportFormat::UnhandledFault, p);
    }
    if let Some(p) = t.find("rust_kernel: panicked") {
        return found(ReportFormat::RustPanic, p);
    }
    if let Some(p) = t.find("Kernel panic - not syncing") {
        return found(ReportFormat::Panic, p);
    }
    if let Some(p) = t.find("general protection fault") {
        if USER_GPF_RE.is_match(t) {
            return None;
        }
        return found(ReportFormat::Gpf, p);
    }
    if let Some(p) = t.find("stack segment: ") {
        return found(ReportFormat::StackSegment, p);
    }
    if let Some(p) = t.find("PANIC: double fault") {
        return found(ReportFormat::DoubleFault, p);
    }
    if let Some(p) = t.find("kernel BUG at ") {
        return found(ReportFormat::KernelBug, p);
    }
    if let Some(p) = t.find("Kernel BUG ") {
        return found(ReportFormat::KernelBugUpper, p);
    }
    if let Some(p) = t.find("invalid opcode: ") {
        return found(ReportFormat::InvalidOpcode, p);
    }
    if let Some(p) = t
        .find("divide error: ")
        .or_else(|| t.find("divide_error: "))
    {
        return found(ReportFormat::DivideError, p);
    }
    let at_start = |p: usize| t[..p].trim().is_empty();
    if let Some(p) = find_word(t, "BUG:")
        && let Some(f) = classify_bug(&t[p..], line.source, at_start(p))
    {
        return found(f, p);
    }
    if let Some(p) = find_word(t, "WARNING:")
        && let Some(f) = classify_warning(&t[p..], t, line.source, at_start(p))
    {
        return found(f, p);
    }
    if let Some(p) = find_word(t, "INFO:")
        && let Some(f) = classify_info(&t[p..])
    {
        return found(f, p);
    }
    if let Some(p) = t.find("Unable to handle kernel ") {
        return found(ReportFormat::UnableToHandle, p);
    }
    if let Some(p) = find_word(t, "UBSAN:") {
        return found(ReportFormat::Ubsan, p);
    }
    if let Some(p) = t.find("unregister_netdevice: waiting for ")
        && t[p..].contains(" to become free")
    {
        return found(
            ReportFormat::Fixed(
                "unregister_netdevice: waiting for DEV to become free",
                "OTHER",
            ),
            p,
        );
    }
    if let Some(p) = t.find("VFS: Close: file count is 0") {
        return found(
            ReportFormat::Fixed("VFS: Close: file count is zero (use-after-free)", "OTHER"),
            p,
        );
    }
    if let Some(p) = t.find("VFS: Busy inodes after unmount") {
        return found(
            ReportFormat::Fixed("VFS: Busy inodes after unmount (use-after-free)", "OTHER"),
            p,
        );
    }
    if let Some(p) = t.find("Watchdog detected hard LOCKUP") {
        return found(ReportFormat::HardLockup, p);
    }
    if t.starts_with("Booting the kernel") && !REBOOT_IGNORE_RE.is_match(t) {
        return found(ReportFormat::Reboot, 0);
    }
    if let Some(m) = BARE_OOPS_RE.find(t) {
        let p = m.start() + m.as_str().find('O').unwrap_or(0);
        return found(ReportFormat::Oops, p);
    }
    if t.contains("BUG kmalloc-") && t.contains(": Object already free") {
        return found(ReportFormat::Fixed("BUG: Object already free", "BUG"), 0);
    }
    None
}

/// How a header is recognised: a literal prefix of, or a regex anchored at, the header text.
#[derive(Clone, Copy)]
enum HeaderPattern {
    Prefix(&'static str),
    Matches(&'static LazyLock<Regex>),
}

impl HeaderPattern {
    fn matches(self, h: &str) -> bool {
        match self {
            Prefix(p) => h.starts_with(p),
            Matches(r) => r.is_match(h),
        }
    }
}

fn first_matching_format(table: &[(HeaderPattern, ReportFormat)], h: &str) -> Option<ReportFormat> {
    table.iter().find(|(p, _)| p.matches(h)).map(|&(_, f)| f)
}

/// `BUG:` reports, most specific first.
#[rustfmt::skip]
static BUG_HEADERS: &[(HeaderPattern, ReportFormat)] = &[
    (Prefix("BUG: KASAN:"), ReportFormat::Kasan),
    (Prefix("BUG: KMSAN:"), ReportFormat::Kmsan),
    (Prefix("BUG: KCSAN:"), ReportFormat::Kcsan),
    (Prefix("BUG: KFENCE:"), ReportFormat::Kfence),
    (Matches(&BUG_PAGING_RE), ReportFormat::BugPaging),
    (Matches(&BUG_NULL_RE), ReportFormat::BugNull),
    (Prefix("BUG: unable to handle kernel"), ReportFormat::BugUnable),
    (Prefix("BUG: Unable to handle kernel"), ReportFormat::BugUnable),
    (Matches(&BUG_SPINLOCK_RE), ReportFormat::BugSpinlock),
    (Prefix("BUG: soft lockup"), ReportFormat::BugSoftLockup),
    (Matches(&BUG_LOCKS_HELD_RE), ReportFormat::BugLocksHeld),
    (Prefix("BUG: scheduling while atomic"), ReportFormat::BugSchedAtomic),
    (Prefix("BUG: lock held when returning to user space"), ReportFormat::BugLockHeldReturn),
    (Prefix("BUG: bad unlock balance detected!"), ReportFormat::BugBadUnlock),
    (Prefix("BUG: held lock freed!"), ReportFormat::BugHeldLockFreed),
    (Prefix("BUG: Bad rss-counter state"),
        ReportFormat::Fixed("BUG: Bad rss-counter state", "BUG")),
    (Prefix("BUG: non-zero nr_ptes on freeing mm"),
        ReportFormat::Fixed("BUG: non-zero nr_ptes on freeing mm", "BUG")),
    (Prefix("BUG: non-zero nr_pmds on freeing mm"),
        ReportFormat::Fixed("BUG: non-zero nr_pmds on freeing mm", "BUG")),
    (Matches(&BUG_DENTRY_RE), ReportFormat::BugDentry),
    (Matches(&BUG_BAD_PAGE_RE), ReportFormat::BugBadPage),
    (Prefix("BUG: Bad page map"), ReportFormat::Fixed("BUG: Bad page map", "BUG")),
    (Prefix("BUG: workqueue lockup"), ReportFormat::Fixed("BUG: workqueue lockup", "LOCKUP")),
    (Prefix("BUG: workqueue leaked lock or atomic"), ReportFormat::BugWqLeaked),
    (Prefix("BUG: sleeping function called from invalid context"), ReportFormat::BugSleeping),
    (Matches(&BUG_PREEMPT_RE), ReportFormat::BugPreemptible),
    (Prefix("BUG: memory leak"), ReportFormat::BugLeak),
    (Matches(&BUG_GUARD_RE), ReportFormat::BugStackGuard),
    (Prefix("BUG: Invalid wait context"), ReportFormat::BugWaitContext),
];

/// `h` is the line from the header on; `at_start` tells whether the header opens the message
/// (a generic `BUG: text` in the middle of a driver message is not a kernel report).
fn classify_bug(h: &str, source: LineSource, at_start: bool) -> Option<ReportFormat> {
    if let Some(f) = first_matching_format(BUG_HEADERS, h) {
        return Some(f);
    }
    if h.starts_with("BUG: no syscalls can create resource") || !source.is_kernel() || !at_start {
        return None;
    }
    if h["BUG:".len()..].trim().is_empty() {
        return Some(ReportFormat::Fixed("BUG: corrupted", "BUG"));
    }
    Some(ReportFormat::BugGeneric)
}

/// `WARNING:` reports, most specific first (the order matters: a refcount warning also
/// has the generic `at file.c:N func` shape).
#[rustfmt::skip]
static WARNING_HEADERS: &[(HeaderPattern, ReportFormat)] = &[
    (Matches(&WARN_ODEBUG_RE), ReportFormat::WarnOdebug),
    (Matches(&WARN_USERCOPY_RE), ReportFormat::WarnUsercopy),
    (Matches(&WARN_KOBJECT_RE), ReportFormat::WarnKobject),
    (Matches(&WARN_PROC_RE), ReportFormat::WarnProc),
    (Matches(&WARN_REFCOUNT_RE), ReportFormat::WarnRefcount),
    (Matches(&WARN_LOCKDEP_RE), ReportFormat::WarnLocking),
    (Matches(&WARN_LOCKS_HELD_RE), ReportFormat::WarnLocksHeld),
    (Prefix("WARNING: Nested lock was not taken"), ReportFormat::WarnNested),
    (Prefix("WARNING: lock held when returning to user space"), ReportFormat::WarnLockHeldReturn),
    (Matches(&WARN_KMALLOC_RE), ReportFormat::WarnKmalloc),
    (Matches(&WARN_VMALLOC_RE), ReportFormat::WarnVmalloc),
    (Matches(&WARN_URB_RE), ReportFormat::WarnUrb),
    (Matches(&WARN_SRC_CPU_RE), ReportFormat::WarnAt),
    (Matches(&WARN_AT_SRC_FUNC_RE), ReportFormat::WarnAt),
    (Matches(&WARN_SRC_AT_FUNC_RE), ReportFormat::WarnAt),
    (Prefix("WARNING: possible circular locking dependency detected"), ReportFormat::WarnCircular),
    (Prefix("WARNING: possible irq lock inversion dependency detected"),
        ReportFormat::WarnIrqInversion),
    (Matches(&SAFE_UNSAFE_RE), ReportFormat::WarnSafeUnsafe),
    (Prefix("WARNING: possible recursive locking detected"), ReportFormat::WarnRecursive),
    (Prefix("WARNING: inconsistent lock state"), ReportFormat::WarnInconsistent),
    (Prefix("WARNING: suspicious RCU usage"), ReportFormat::WarnRcu),
    (Matches(&WARN_STACK_REGS_RE), ReportFormat::WarnStackRegs),
    (Matches(&WARN_FRAME_PTR_RE),
        ReportFormat::Fixed("WARNING: kernel stack frame pointer has bad value", "WARNING")),
    (Prefix("WARNING: bad unlock balance detected!"), ReportFormat::WarnBadUnlock),
    (Prefix("WARNING: held lock freed!"), ReportFormat::WarnHeldLockFreed),
    (Matches(&WARN_BP_RE),
        ReportFormat::Fixed("WARNING: kernel stack regs has bad value", "WARNING")),
    (Matches(&WARN_FRAME_PTR2_RE),
        ReportFormat::Fixed("WARNING: kernel stack regs has bad value", "WARNING")),
    // Old kernels: `WARNING: at drivers/foo.c:123 func+0x1/0x2()`.
    (Matches(&WARN_OLD_AT_RE), ReportFormat::WarnAt),
];

fn classify_warning(
    h: &str,
    line: &str,
    source: LineSource,
    at_start: bool,
) -> Option<ReportFormat> {
    if WARN_IGNORE_RE.is_match(line) {
        return None;
    }
    if let Some(f) = first_matching_format(WARNING_HEADERS, h) {
        return Some(f);
    }
    if !source.is_kernel() || !at_start {
        return None;
    }
    if h["WARNING:".len()..].trim().is_empty() {
        return Some(ReportFormat::Fixed("WARNING: corrupted", "WARNING"));
    }
    Some(ReportFormat::WarnGeneric)
}

/// `INFO:` reports; any other `INFO:` line is ordinary output.
#[rustfmt::skip]
static INFO_HEADERS: &[(HeaderPattern, ReportFormat)] = &[
    (Prefix("INFO: possible circular locking dependency detected"), ReportFormat::InfoCircular),
    (Prefix("INFO: possible irq lock inversion dependency detected"),
        ReportFormat::InfoIrqInversion),
    (Prefix("INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected"),
        ReportFormat::InfoSafeUnsafe),
    (Prefix("INFO: possible recursive locking detected"), ReportFormat::InfoRecursive),
    (Prefix("INFO: inconsistent lock state"), ReportFormat::InfoInconsistent),
    (Matches(&RCU_STALL_RE), ReportFormat::InfoRcuStall),
    (Prefix("INFO: trying to register non-static key"), ReportFormat::InfoNonStatic),
    (Prefix("INFO: suspicious RCU usage"), ReportFormat::InfoRcu),
    (Matches(&HUNG_RE), ReportFormat::InfoHung),
    (Matches(&CANT_DIE_RE), ReportFormat::InfoCantDie),
];

fn classify_info(h: &str) -> Option<ReportFormat> {
    first_matching_format(INFO_HEADERS, h)
}
