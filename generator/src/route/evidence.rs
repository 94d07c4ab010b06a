//! What a log excerpt says about where a bug lives: the source file a crash report blames,
//! the functions on its stack, the file a KUnit assertion names.
//!
//! The blamed file follows syzkaller's `extractGuiltyFile` (pkg/report/linux.go), which is
//! what makes syzbot's reports reach the right list: walk the `path.c:123` references of the
//! report in order, skip lines that are not about the bug (irq-state lines, held locks) and
//! files that only report or dispatch (headers, `lib/`, sanitizers, allocators, locking,
//! scheduler, RCU, traps...), take the first file left, then prefer a deeper file under the
//! same directory further down (`fs/inode.c` then `fs/ntfs3/super.c` blames ntfs3). RCU
//! stalls are read from the interrupted code (after the first faulting-PC line), not from the
//! stall detector's own frames. When every file is generic the first one is kept, marked
//! generic: a weak clue, used only when nothing better is known.

use std::sync::LazyLock;

use regex::{Regex, RegexSet};

/// Top-level folders of the kernel tree: a path found in a log is cut to start at one of
/// them (`/build/linux/net/tls/tls_sw.c` -> `net/tls/tls_sw.c`).
pub const TOP_DIRS: &[&str] = &[
    "arch", "block", "certs", "crypto", "drivers", "fs", "include", "init", "io_uring", "ipc",
    "kernel", "lib", "mm", "net", "rust", "samples", "scripts", "security", "sound", "tools",
    "usr", "virt",
];

/// Files that report, dispatch or allocate rather than hold the bug (syzkaller's
/// `guiltyFileIgnores`, plus the `.S` entry code it never matches).
const GENERIC_FILES: &[&str] = &[
    r"\.h$",
    r"\.S$",
    r"^lib/",
    r"^virt/lib/",
    r"^mm/kasan/",
    r"^mm/kmsan/",
    r"^kernel/kcov\.c$",
    r"^mm/sl.b\.c$",
    r"^mm/filemap\.c$",
    r"^mm/folio-compat\.c$",
    r"^mm/truncate\.c$",
    r"^mm/memory\.c$",
    r"^mm/percpu",
    r"^mm/vmalloc\.c$",
    r"^mm/page_alloc\.c$",
    r"^mm/mempool\.c$",
    r"^mm/util\.c$",
    r"^kernel/rcu/",
    r"^arch/[^/]+/kernel/traps\.c$",
    r"^arch/[^/]+/kernel/unwind.*\.c$",
    r"^arch/[^/]+/mm/fault\.c$",
    r"^arch/[^/]+/mm/physaddr\.c$",
    r"^arch/[^/]+/kernel/stacktrace\.c$",
    r"^arch/[^/]+/kernel/apic/apic\.c$",
    r"^arch/arm64/kernel/entry.*\.c$",
    r"^arch/[^/]+/kernel/process(?:_32|_64)?\.c$",
    r"^kernel/locking/",
    r"^kernel/panic\.c$",
    r"^kernel/printk/printk.*\.c$",
    r"^kernel/softirq\.c$",
    r"^kernel/kthread\.c$",
    r"^kernel/sched/.*\.c$",
    r"^kernel/stacktrace\.c$",
    r"^kernel/time/timer\.c$",
    r"^kernel/workqueue\.c$",
    r"^net/core/dev\.c$",
    r"^net/core/sock\.c$",
    r"^net/core/skbuff\.c$",
    r"^fs/proc/generic\.c$",
    r"^drivers/usb/core/urb\.c$",
    r"^drivers/usb/core/hcd\.c$",
];

static GENERIC_FILES_RE: LazyLock<RegexSet> =
    LazyLock::new(|| RegexSet::new(GENERIC_FILES).expect("static regexes compile"));

/// `path/file.c:123`: a source reference (C, headers, Rust, assembly).
static SOURCE_REF_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([A-Za-z0-9_\-./]*[A-Za-z0-9_\-]+\.(?:c|h|rs|S)):([0-9]+)")
        .expect("static regex compiles")
});

/// Lines that name files but not the bug: irq-state tracking, held locks, `Preemption
/// disabled at:`.
static NOT_THE_BUG_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:hardirqs|softirqs)\s+last\s+(?:enabled|disabled)|^Register r\d+ information|^\s*#\d+: .* at: ",
    )
    .expect("static regex compiles")
});

/// The faulting-PC line of a report (`RIP: 0010:…`, `pc : …`, `PC is at …`).
static FAULTING_PC_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:R?IP|EIP|NIP):? |\b(?:pc|epc) :? |PC is at:? ").expect("static regex")
});

/// KUnit's `EXPECTATION FAILED at lib/overflow_kunit.c:782` (and ASSERTION).
static KUNIT_FAILED_AT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:EXPECTATION|ASSERTION) FAILED at ([A-Za-z0-9_\-./]+\.(?:c|h|rs)):([0-9]+)")
        .expect("static regex compiles")
});

/// A module name after a frame: `func+0x10/0x20 [dwmac_sun8i]`.
static MODULE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\+0x[0-9a-fA-F]+/0x[0-9a-fA-F]+ \[([A-Za-z0-9_]+)\]").expect("static regex")
});

/// True for files that report or dispatch rather than hold bugs.
pub fn is_generic_file(path: &str) -> bool {
    GENERIC_FILES_RE.is_match(path)
}

/// A source reference found in a log, cut to the kernel tree's root: `./net/x.c` and
/// `/build/linux-6.12/net/x.c` are `net/x.c`. `exists` (a kernel tree, when given) picks
/// among the possible roots of an absolute path; otherwise the component after a tree-root
/// name (`linux*`, `kernel`, `src`, `build`...) starts it. `None` when no top-level kernel
/// folder starts any suffix.
pub fn tree_path(raw: &str, exists: &dyn Fn(&str) -> Option<bool>) -> Option<String> {
    let parts: Vec<&str> = raw
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.contains(&"..") || parts.len() < 2 {
        return None;
    }
    let starts: Vec<usize> = (0..parts.len() - 1)
        .filter(|&i| TOP_DIRS.contains(&parts[i]))
        .collect();
    let first = *starts.first()?;
    let join = |i: usize| parts[i..].join("/");
    if !raw.starts_with('/') && first == 0 {
        return Some(join(0));
    }
    if let Some(&i) = starts.iter().find(|&&i| exists(&join(i)) == Some(true)) {
        return Some(join(i));
    }
    let root_like = |p: &str| {
        p.starts_with("linux")
            || matches!(p, "kernel" | "src" | "source" | "build" | "work" | "git")
    };
    let after_root = starts
        .iter()
        .rev()
        .find(|&&i| i > 0 && root_like(parts[i - 1]) && !TOP_DIRS.contains(&parts[i - 1]));
    let after_root = after_root.or_else(|| {
        // `…/kernel/rust/kernel/x.rs`: a root named like a top folder, followed by one.
        starts
            .iter()
            .rev()
            .find(|&&i| i > 0 && root_like(parts[i - 1]))
    });
    Some(join(*after_root.unwrap_or(&first)))
}

/// The file a crash report blames, and whether it is generic code (the last-resort pick).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blamed {
    pub path: String,
    pub line: u32,
    pub generic: bool,
}

/// Where the part of a report that is about the bug starts: for a stall (`stall`), the
/// interrupted code after the first faulting-PC line; otherwise the header.
pub fn bug_start(lines: &[&str], stall: bool) -> usize {
    if stall {
        lines
            .iter()
            .position(|l| FAULTING_PC_RE.is_match(l))
            .unwrap_or(0)
    } else {
        0
    }
}

/// The function a crash title names (`KASAN: use-after-free Read in tls_sw_recvmsg`), when
/// it names one.
pub fn title_function(title: &str) -> Option<&str> {
    let (_, f) = title.rsplit_once(" in ")?;
    let f = f.split(" / ").next()?.trim();
    (!f.is_empty()
        && f != "corrupted"
        && f.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !f.as_bytes()[0].is_ascii_digit())
    .then_some(f)
}

/// The file a crash report (`lines`, header first) blames; `stall` for RCU stalls and
/// lockups, read from the interrupted code.
pub fn blamed_file(
    lines: &[&str],
    stall: bool,
    exists: &dyn Fn(&str) -> Option<bool>,
) -> Option<Blamed> {
    let from = bug_start(lines, stall);
    let mut refs: Vec<(String, u32)> = Vec::new();
    for line in &lines[from..] {
        if NOT_THE_BUG_RE.is_match(line) {
            continue;
        }
        for c in SOURCE_REF_RE.captures_iter(line) {
            if c[1].ends_with(".S") {
                continue;
            }
            if let Some(p) = tree_path(&c[1], exists) {
                refs.push((p, c[2].parse().unwrap_or(0)));
            }
        }
    }
    let Some(first) = refs.iter().position(|(p, _)| !is_generic_file(p)) else {
        return refs.into_iter().next().map(|(path, line)| Blamed {
            path,
            line,
            generic: true,
        });
    };
    let (mut path, mut line) = refs[first].clone();
    // A deeper file below the blamed one's folder, further down, is more precise.
    let mut dir = parent(&path).to_string();
    for (p, l) in &refs[first + 1..] {
        if is_generic_file(p) {
            continue;
        }
        if let Some(rest) = p.strip_prefix(&dir)
            && rest.trim_start_matches('/').contains('/')
        {
            (path, line) = (p.clone(), *l);
            dir = parent(&path).to_string();
        }
    }
    Some(Blamed {
        path,
        line,
        generic: false,
    })
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Files named by KUnit `EXPECTATION FAILED at`/`ASSERTION FAILED at` lines, in order, once.
pub fn assertion_files(log: &str, exists: &dyn Fn(&str) -> Option<bool>) -> Vec<(String, u32)> {
    let mut out: Vec<(String, u32)> = Vec::new();
    for c in KUNIT_FAILED_AT_RE.captures_iter(log) {
        if let Some(p) = tree_path(&c[1], exists)
            && !out.iter().any(|(q, _)| *q == p)
        {
            out.push((p, c[2].parse().unwrap_or(0)));
        }
    }
    out
}

/// The module a frame line names (`[dwmac_sun8i]`), if any.
pub fn frame_module(line: &str) -> Option<&str> {
    MODULE_RE
        .captures(line)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_tree(_: &str) -> Option<bool> {
        None
    }

    #[test]
    fn paths_are_cut_to_the_tree_root() {
        let p = |s: &str| tree_path(s, &no_tree);
        assert_eq!(p("net/tls/tls_sw.c").as_deref(), Some("net/tls/tls_sw.c"));
        assert_eq!(
            p("./include/linux/kvm_host.h").as_deref(),
            Some("include/linux/kvm_host.h")
        );
        assert_eq!(
            p("/usr/local/google/home/dvyukov/src/linux2/arch/x86/kernel/uprobes.c").as_deref(),
            Some("arch/x86/kernel/uprobes.c")
        );
        assert_eq!(
            p("/syzkaller/managers/ci2-android-6-12-rust/kernel/rust/kernel/page_size_compat.rs")
                .as_deref(),
            Some("rust/kernel/page_size_compat.rs")
        );
        assert_eq!(p("tst_test.c"), None);
        assert_eq!(p("foo/bar.c"), None);
        assert_eq!(p("../net/x.c"), None);
        // A tree decides.
        let tree = |s: &str| Some(s == "kernel/uprobes.c");
        assert_eq!(
            tree_path("/x/linux/arch/x86/kernel/uprobes.c", &tree).as_deref(),
            Some("kernel/uprobes.c")
        );
    }

    #[test]
    fn a_warning_blames_its_file() {
        let lines = [
            "WARNING: CPU: 0 PID: 7718 at net/tls/tls_sw.c:2123 tls_sw_recvmsg+0x20e/0x3af",
            "Call Trace:",
            " inet_recvmsg+0x1d7/0x27a",
        ];
        let b = blamed_file(&lines, false, &no_tree).unwrap();
        assert_eq!(
            (b.path.as_str(), b.line, b.generic),
            ("net/tls/tls_sw.c", 2123, false)
        );
    }

    #[test]
    fn generic_only_reports_are_weak() {
        let lines =
            ["BUG: sleeping function called from invalid context at kernel/locking/mutex.c:585"];
        let b = blamed_file(&lines, false, &no_tree).unwrap();
        assert!(b.generic);
        assert_eq!(b.path, "kernel/locking/mutex.c");
        assert_eq!(blamed_file(&["BUG: no file here"], false, &no_tree), None);
    }

    #[test]
    fn title_functions() {
        assert_eq!(
            title_function("WARNING in tls_sw_recvmsg"),
            Some("tls_sw_recvmsg")
        );
        assert_eq!(
            title_function("KCSAN: data-race in find_next_bit / rcu_report_exp_cpu_mult"),
            Some("find_next_bit")
        );
        assert_eq!(
            title_function("general protection fault in corrupted"),
            None
        );
        assert_eq!(
            title_function("kernel panic: VFS: Unable to mount root fs"),
            None
        );
        assert_eq!(
            title_function("attempt to add with overflow in <a as b>::mmap"),
            None
        );
    }

    #[test]
    fn kunit_assertions_and_modules() {
        let log = "    # shift_sane_test: EXPECTATION FAILED at lib/overflow_kunit.c:782\n    # x: EXPECTATION FAILED at lib/overflow_kunit.c:784\n";
        assert_eq!(
            assertion_files(log, &no_tree),
            [("lib/overflow_kunit.c".to_string(), 782)]
        );
        assert_eq!(
            frame_module("[   10.9] sun8i_dwmac_set_syscon+0x2b4/0x368 [dwmac_sun8i] (P)"),
            Some("dwmac_sun8i")
        );
        assert_eq!(frame_module("platform_probe+0xc0/0x164"), None);
    }
}
