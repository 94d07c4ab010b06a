//! Title normalisation: whatever in a title changes from run to run (addresses, offsets,
//! line numbers, CPU and PID numbers, IPs) is replaced by a placeholder, so that the same bug
//! gets the same title everywhere.

lazy_re! {
    FUNC_OFFSET_RE = r"([A-Za-z_][A-Za-z0-9_.]*)\+0x[0-9a-fA-F]+(?:/0x[0-9a-fA-F]+)?";
    IPV4_RE = r"\b(?:\d{1,3}\.){3}\d{1,3}\b";
    SRC_LINE_RE = r"(\.[A-Za-z0-9_]+)(?::\d+)+";
    CPU_HASH_RE = r"CPU#\d+";
}

/// Titles are cut to this many characters.
const MAX_TITLE: usize = 120;

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

#[cfg(test)]
mod tests {
    use super::*;

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
