//! Untrusted text made safe for plain-text reports, mail bodies, mail headers and XML.
//!
//! Titles, test paths, board names and log excerpts come from test data. What reaches a
//! reader here is text without markup, so the dangers are different from HTML's: control
//! characters (invalid in XML, terminal escapes in a mail reader), line breaks where one line
//! is expected (a forged header or a forged `#regzbot` command line), lines long enough to
//! be cut by a mailer, and commands inside a log excerpt that a bot would obey. Every
//! function here returns text with none of them.

/// Longest line a report writes (RFC 5322 asks for at most 78 characters a line where it
/// can and never more than 998; excerpts are cut well before that).
pub const MAX_LINE: usize = 200;

/// Lines of a log excerpt a report quotes.
pub const MAX_EXCERPT_LINES: usize = 40;

/// Whether `c` may appear in text at all: no C0/C1 controls (tab aside), no DEL, no
/// bidirectional overrides, no byte-order marks or non-characters.
fn allowed(c: char) -> bool {
    !(c.is_control()
        || matches!(
            c,
            '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{feff}'
        )
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
        || ('\u{fdd0}'..='\u{fdef}').contains(&c)
        || (c as u32 & 0xfffe) == 0xfffe)
}

/// One line of text: every line break and control character becomes a space, runs of
/// spaces one, cut to `max` characters with `…`.
pub fn one_line(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max * 4));
    let mut space = false;
    let mut n = 0;
    for c in s.trim().chars() {
        let c = if c.is_whitespace() || !allowed(c) {
            ' '
        } else {
            c
        };
        if c == ' ' {
            if space || out.is_empty() {
                continue;
            }
            space = true;
        } else {
            space = false;
        }
        if n + 1 >= max {
            out.truncate(out.trim_end().len());
            out.push('…');
            return out;
        }
        out.push(c);
        n += 1;
    }
    out.truncate(out.trim_end().len());
    out
}

/// A block of lines (a log excerpt), each indented by `indent`: control characters dropped
/// (a tab becomes spaces), `\r\n` and lone `\r` read as line ends, lines cut at
/// [`MAX_LINE`], at most `max_lines` lines (the first ones: a crash report starts with its
/// title), and any line that would read as a bot command (`#regzbot`, and the kernel's
/// commit trailers a tool might pick up) quoted with `| ` so it is no longer one.
pub fn block(s: &str, indent: &str, max_lines: usize) -> String {
    let text = s.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    for line in lines.iter().take(max_lines) {
        let mut clean: String = line
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .filter(|&c| allowed(c))
            .collect();
        clean.truncate(clean.trim_end().len());
        if clean.chars().count() > MAX_LINE {
            clean = clean.chars().take(MAX_LINE - 1).collect();
            clean.push('…');
        }
        out.push_str(indent);
        if is_command(&clean) {
            out.push_str("| ");
        }
        out.push_str(&clean);
        out.push('\n');
    }
    if lines.len() > max_lines {
        out.push_str(&format!(
            "{indent}[… {} more lines in the log]\n",
            lines.len() - max_lines
        ));
    }
    out
}

/// Whether a line would be read as a regzbot command (regzbot reads `#regzbot` at the start
/// of a line; leading blanks are not trusted to stop it).
pub fn is_command(line: &str) -> bool {
    let t = line.trim_start();
    t.len() >= 8 && t[..8].eq_ignore_ascii_case("#regzbot")
        || t.len() >= 11 && t[..11].eq_ignore_ascii_case("#forregzbot")
}

/// A mail address as a header may carry it: `Name <local@domain>` or `local@domain`, one
/// line, no control characters, angle brackets balanced; `None` when it is not one.
pub fn address(s: &str) -> Option<String> {
    let s = one_line(s, 320);
    let (name, addr) = match (s.rfind('<'), s.rfind('>')) {
        (Some(a), Some(b)) if a < b && b == s.len() - 1 => (s[..a].trim(), &s[a + 1..b]),
        (None, None) => ("", s.as_str()),
        _ => return None,
    };
    let (local, domain) = addr.split_once('@')?;
    let atom = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
    };
    if !atom(local) || !atom(domain) || !domain.contains('.') || name.contains(['<', '>', '"']) {
        return None;
    }
    Some(if name.is_empty() {
        addr.to_string()
    } else {
        format!("{name} <{addr}>")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_removes_breaks_and_controls() {
        assert_eq!(
            one_line("a\r\nBcc: x@y.z\u{1b}[31m\u{0}b", 100),
            "a Bcc: x@y.z [31m b"
        );
        assert_eq!(
            one_line("  many   spaces\t\there ", 100),
            "many spaces here"
        );
        let long = one_line(&"x".repeat(500), 50);
        assert_eq!(long.chars().count(), 50);
        assert!(long.ends_with('…'));
        assert_eq!(one_line("\u{202e}evil\u{feff}", 10), "evil");
    }

    #[test]
    fn blocks_quote_commands_and_cut_lines() {
        let b = block(
            "BUG: x\r\n#regzbot introduced: v1..v2\n  #REGZBOT fix: y\rok\u{7}\n",
            "  ",
            10,
        );
        assert_eq!(
            b,
            "  BUG: x\n  | #regzbot introduced: v1..v2\n  |   #REGZBOT fix: y\n  ok\n"
        );
        assert!(!b.lines().any(|l| l.trim_start().starts_with("#regzbot")));
        let long = block(&"y".repeat(5000), "", 10);
        assert_eq!(long.trim_end().chars().count(), MAX_LINE);
        let many = block(&"l\n".repeat(100), "", 3);
        assert_eq!(many.lines().count(), 4);
        assert!(many.contains("97 more lines"));
    }

    #[test]
    fn addresses_are_checked() {
        assert_eq!(
            address("Jakub Kicinski <kuba@kernel.org>").as_deref(),
            Some("Jakub Kicinski <kuba@kernel.org>")
        );
        assert_eq!(
            address("netdev@vger.kernel.org").as_deref(),
            Some("netdev@vger.kernel.org")
        );
        assert_eq!(
            address("x@y.org\r\nBcc: victim@example.com").as_deref(),
            None
        );
        assert_eq!(address("no address"), None);
        assert_eq!(address("a <b@c.d> <e@f.g>"), None);
    }
}
