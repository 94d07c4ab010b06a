//! The guilty frame of a report: the first *interesting* function in the right stack trace.
//! Which trace is right and which frame counts depends on the report (a [`FrameSearch`]);
//! generic frames (sanitizer runtime, locking, allocators, string helpers, ...) never name
//! a bug, and syscall entry prefixes are stripped so that every architecture agrees.

use super::demangle::demangle;
use regex::Regex;
use std::sync::LazyLock;

lazy_re! {
    FRAME_RE = r"^\s*(?:\[<?(?:0x)?[0-9a-f]+>?\]\s*){0,2}([A-Za-z_][A-Za-z0-9_]*)(?:\.[A-Za-z0-9_]+)*\+0x[0-9a-fA-F]+";
    ARM_OLD_FRAME_RE = r"^\s*\[<?(?:0x)?[0-9a-f]+>?\] \(([A-Za-z_][A-Za-z0-9_]*)[A-Za-z0-9_.]*(?:\+0x[0-9a-f]+/0x[0-9a-f]+)?(?: \[[^\]]*\])?\) from \[<?(?:0x)?[0-9a-f]+>?\] \(([A-Za-z_][A-Za-z0-9_]*)[.+]";
    ARM_NEW_FRAME_RE = r"^\s*([A-Za-z_][A-Za-z0-9_]*)(?:\.[A-Za-z0-9_]+)* from ([A-Za-z_][A-Za-z0-9_]*)(?:\.[A-Za-z0-9_]+)*\+0x";
    FAULTING_PC_RE = r"(?:\b(?:R?IP|EIP|NIP):? |\b(?:pc|epc) :? |PC is at:? |--- interrupt: [0-9a-f]+ at )(?:(?:[0-9a-f]+:)?(?:\[<?(?:0x)?[0-9a-f]+>?\] +){0,2}([A-Za-z_][A-Za-z0-9_]*)[.+]|(?:[0-9a-f]+:)?0x[0-9a-f]+|(?:[0-9a-f]+:)?\[<?(?:0x)?[0-9a-f]+>?\] +\[< *\(null\)>\] +\(null\)|[0-9a-f]+: +\(null\))";
    CALL_TRACE_RE = r"Call [Tt]race:|Backtrace:";
    ARM_UNWIND_RE = r"\bunwind_backtrace\b|\bdump_backtrace\b";
    STACK_START_RE = r"Call [Tt]race|Allocated:|Allocated by task \d+:|Freed:|Freed by task \d+:|[^k] backtrace(?: \(crc [0-9a-f]*\))?:|Backtrace:|Uninit was stored to memory at|status: [0-9a-f]{16} badaddr: [0-9a-f]{16} cause: [0-9a-f]{16}";
}

/// One step of locating the guilty frame: find a line (optionally capturing a function),
/// or parse a stack trace until the next stack-trace keyword.
#[derive(Clone, Copy)]
pub(super) enum TraceStep {
    /// `RIP: 0010:func+0x..`, `pc : func+0x..`, `PC is at func+0x..`, `IP: ...`.
    FaultingPc,
    /// `Call Trace:` / `Call trace:` / `Backtrace:`.
    CallTrace,
    /// Frames until the next stack-trace keyword.
    Frames,
    /// A line matching the regex; capture group 1, if any, is a frame.
    LineMatching(&'static LazyLock<Regex>),
}

/// Which of the frames found names the bug.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum FrameChoice {
    /// The first interesting frame.
    First,
    /// Stalls loop somewhere random: take the frame just above a dispatch point instead.
    Stall,
    /// Hung tasks sleep in generic code: group rtnl/RCU waits, else first non-sleeping frame.
    Hang,
}

/// Where a report's guilty frame is and how it is chosen.
pub(super) struct FrameSearch<'s> {
    pub(super) steps: &'s [TraceStep],
    /// Tried when `steps` finds nothing.
    pub(super) fallback: &'s [TraceStep],
    /// Report-specific frames to skip, on top of [`GENERIC_FRAMES`].
    pub(super) skip: &'s [&'s str],
    pub(super) choice: FrameChoice,
}

impl<'s> FrameSearch<'s> {
    /// The first interesting frame that `steps` find, with no fallback.
    pub(super) fn new(steps: &'s [TraceStep], skip: &'s [&'s str]) -> Self {
        FrameSearch {
            steps,
            fallback: NO_STEPS,
            skip,
            choice: FrameChoice::First,
        }
    }
}

/// The faulting PC, then the frames after `Call Trace:`.
pub(super) const PC_THEN_CALL_TRACE: &[TraceStep] = &[
    TraceStep::FaultingPc,
    TraceStep::CallTrace,
    TraceStep::Frames,
];
/// The faulting PC, then whatever frames follow it.
pub(super) const PC_THEN_FRAMES: &[TraceStep] = &[TraceStep::FaultingPc, TraceStep::Frames];
/// The frames after `Call Trace:`.
pub(super) const CALL_TRACE: &[TraceStep] = &[TraceStep::CallTrace, TraceStep::Frames];
pub(super) const NO_STEPS: &[TraceStep] = &[];

/// The guilty frame, demangled and with syscall prefixes stripped, or None when the report
/// has no usable stack (the title then says `corrupted`).
pub(super) fn guilty_frame(region: &[&str], search: &FrameSearch) -> Option<String> {
    run_steps(region, search.steps, search)
        .or_else(|| {
            if search.fallback.is_empty() {
                None
            } else {
                run_steps(region, search.fallback, search)
            }
        })
        .or_else(|| {
            // arm32 dump_stack() prints its frames with no `Call trace:` keyword at all.
            if search
                .steps
                .iter()
                .any(|step| matches!(step, TraceStep::CallTrace))
            {
                run_steps(
                    region,
                    &[TraceStep::LineMatching(&ARM_UNWIND_RE), TraceStep::Frames],
                    search,
                )
            } else {
                None
            }
        })
}

/// `Some(frame)` when the step matches the line; the frame is `None` for non-capturing steps.
fn match_step(step: TraceStep, line: &str) -> Option<Option<&str>> {
    let caps = match step {
        TraceStep::FaultingPc => FAULTING_PC_RE.captures(line)?,
        TraceStep::CallTrace => return CALL_TRACE_RE.is_match(line).then_some(None),
        TraceStep::Frames => return None,
        TraceStep::LineMatching(re) => re.captures(line)?,
    };
    Some(caps.get(1).map(|m| m.as_str()))
}

fn run_steps(region: &[&str], steps: &[TraceStep], search: &FrameSearch) -> Option<String> {
    let mut frames: Vec<String> = Vec::new();
    let push = |name: &str, frames: &mut Vec<String>| {
        let name = demangle(name).unwrap_or_else(|| name.to_string());
        if !is_skipped(&name, search.skip) {
            frames.push(name);
        }
    };
    let mut pos = 0;
    let mut traces = 0;
    let mut i = 0;
    while i < steps.len() {
        match steps[i] {
            TraceStep::Frames => {
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
                    if let Some(&next) = steps.get(i + 1)
                        && let Some(cap) = match_step(next, ln)
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
            step => {
                while pos < region.len() {
                    let ln = region[pos];
                    pos += 1;
                    if let Some(cap) = match_step(step, ln) {
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
    choose_frame(&frames, search.choice)
}

/// Every interesting frame of `lines` with its line index (see `crate::crash::report_frames`).
pub(super) fn named_frames(lines: &[&str]) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (i, ln) in lines.iter().enumerate() {
        let pc = FAULTING_PC_RE
            .captures(ln)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str());
        for f in pc.into_iter().chain(line_frames(ln)) {
            let name = demangle(f).unwrap_or_else(|| f.to_string());
            if !name.is_empty() && !is_skipped(&name, &[]) {
                out.push((strip_frame(&name).to_string(), i));
            }
        }
    }
    out
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

/// Picks the frame that names the bug among those found, in stack order.
fn choose_frame(frames: &[String], choice: FrameChoice) -> Option<String> {
    let stripped: Vec<&str> = frames.iter().map(|f| strip_frame(f)).collect();
    let first = *stripped.first()?;
    match choice {
        FrameChoice::First => Some(first.to_string()),
        FrameChoice::Stall => {
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
        FrameChoice::Hang => {
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

/// [`GENERIC_FRAMES`] as one regex: every frame of every report is checked against two hundred
/// patterns, which one multi-pattern search does in a single pass.
static GENERIC_FRAMES_RE: LazyLock<Regex> = LazyLock::new(|| {
    let alternatives: Vec<String> = GENERIC_FRAMES.iter().map(|p| pattern_regex(p)).collect();
    Regex::new(&alternatives.join("|")).expect("escaped patterns must compile")
});

/// Frames that never name the bug: [`GENERIC_FRAMES`], the report's `extra` patterns, and
/// compiler-generated helpers.
fn is_skipped(name: &str, extra: &[&str]) -> bool {
    GENERIC_FRAMES_RE.is_match(name)
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
const GENERIC_FRAMES: &[&str] = &[
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
        let derived: Vec<String> = GENERIC_FRAMES
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
            let listed = GENERIC_FRAMES.iter().any(|p| pattern_matches(p, n));
            assert_eq!(GENERIC_FRAMES_RE.is_match(n), listed, "{n}");
        }
    }
}
