//! Console lines: one line of a log with its transport and console prefixes removed, and who
//! printed it. Every later stage works on this text, so that a report reads the same whether
//! it came from a serial console, a LAVA record, a `dmesg -x` dump or an LKFT log with host
//! timestamps.

lazy_re! {
    // `<4>[   12.345678][  T123] `
    TIMESTAMP_RE = r"(?:<\d+>)?\[\s*\d+\.\d+\](?:\[\s*([CT]\d+)\])? ?";
    DMESG_X_RE = r"^\s*(?:kern|user|daemon|syslog)\s*:\s*(?:emerg|alert|crit|err|warn|notice|info|debug)\s*: ";
    QUESTIONABLE_RE = r"(?:\[<[0-9a-f]+>\])? \? ";
}

/// Who printed a line: `Raw` lines carry no kernel timestamp (user space, firmware, harness),
/// `Console` lines have a timestamp, `Caller` lines also name the printk caller (`T123` task or
/// `C1` CPU, CONFIG_PRINTK_CALLER). A report only keeps lines of its own source, which is what
/// untangles reports interleaved with other output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LineSource<'a> {
    Raw,
    Console,
    Caller(&'a str),
}

impl LineSource<'_> {
    pub(super) fn is_kernel(self) -> bool {
        !matches!(self, LineSource::Raw)
    }
    pub(super) fn is_cpu(self) -> bool {
        matches!(self, LineSource::Caller(c) if c.starts_with('C'))
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) struct ConsoleLine<'a> {
    /// The message with every transport/console prefix removed.
    pub(super) text: &'a str,
    pub(super) source: LineSource<'a>,
}

impl<'a> ConsoleLine<'a> {
    /// One line of the log (split at `\n`; a trailing `\r` is dropped).
    pub(super) fn parse(raw: &'a str) -> Self {
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
            let source = match caller {
                Some(c) => LineSource::Caller(c.as_str()),
                None => LineSource::Console,
            };
            return ConsoleLine {
                text: &s[whole.end()..],
                source,
            };
        }
        // `dmesg -x` re-prints (KernelCI's dmesg test): `kern  :alert : BUG: ...`.
        if let Some(m) = DMESG_X_RE.find(s) {
            return ConsoleLine {
                text: &s[m.end()..],
                source: LineSource::Console,
            };
        }
        ConsoleLine {
            text: s,
            source: LineSource::Raw,
        }
    }
}

/// `? func+0x1/0x2` frames are stack garbage the unwinder could not vouch for.
pub(super) fn is_questionable(text: &str) -> bool {
    !text.contains("<EOI>") && (QUESTIONABLE_RE.is_match(text) || text.ends_with(" (unreliable)"))
}
