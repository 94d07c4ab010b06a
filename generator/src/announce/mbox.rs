//! `regtrack report --mbox FILE`: the night's news as RFC 5322 messages in one mbox, ready
//! for a mailer (`git send-email`, `mutt -f`, `formail`); regtrack never sends mail itself.
//!
//! One message per regression published since the night given (new or confirmed: its
//! mail-ready report, to its maintainers, copying its lists and the regressions list), then
//! the digest. Messages are built with `mail-builder`, which writes encoded words for
//! non-ASCII headers and picks the body's transfer encoding; every header value is made
//! from one line of safe text and checked addresses, so nothing from test data can add a
//! header. Dates and Message-IDs come from the report date and the regression ids, so the
//! same ledger gives the same file.

use chrono::{NaiveDate, TimeZone, Utc};
use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address;

use super::digest::Digest;
use super::options::AnnounceOptions;
use super::report_txt::{body, recipients, subject};
use super::text::{address, one_line};
use crate::correlate::Regression;
use crate::report::Report;
use crate::report::ledger::EventKind;

/// The sender when none is given.
pub const DEFAULT_FROM: &str = "regtrack <regtrack@localhost.localdomain>";

/// `Name <addr>` or `addr` as (name, addr).
fn split(a: &str) -> (String, String) {
    match a.rsplit_once('<') {
        Some((name, rest)) => (
            name.trim().to_string(),
            rest.trim_end_matches('>').to_string(),
        ),
        None => (String::new(), a.to_string()),
    }
}

fn addresses(list: &[String]) -> Address<'static> {
    Address::new_list(
        list.iter()
            .map(|a| {
                let (name, addr) = split(a);
                Address::new_address((!name.is_empty()).then_some(name), addr)
            })
            .collect(),
    )
}

/// Seconds since the epoch of a day's midnight (UTC).
fn timestamp(day: Option<NaiveDate>) -> i64 {
    day.and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(0, |t| Utc.from_utc_datetime(&t).timestamp())
}

/// One message, CRLF line ends as written.
fn message(
    from: &str,
    to: &[String],
    cc: &[String],
    subject: String,
    id: String,
    date: i64,
    text: String,
) -> Vec<u8> {
    let (fname, faddr) = split(from);
    let m = MessageBuilder::new().from(Address::new_address(
        (!fname.is_empty()).then_some(fname),
        faddr,
    ));
    // An ASCII subject (one line of checked text, at most 200 characters: well within
    // RFC 5322's 998) as it is, readable in any mailer's raw view; anything else as encoded
    // words.
    let m = if subject.is_ascii() {
        m.header("Subject", mail_builder::headers::raw::Raw::new(subject))
    } else {
        m.subject(subject)
    };
    let mut m = m
        .message_id(id)
        .date(date)
        .header("X-Mailer", mail_builder::headers::raw::Raw::new("regtrack"))
        .text_body(text);
    if !to.is_empty() {
        m = m.to(addresses(to));
    }
    if !cc.is_empty() {
        m = m.cc(addresses(cc));
    }
    m.write_to_vec().expect("writing to memory")
}

/// Appends a message to an mbox (mboxrd): the `From ` separator line, LF line ends, body
/// lines starting with `From ` (after any `>`) quoted with one more `>`.
fn append(mbox: &mut Vec<u8>, from: &str, date: i64, msg: &[u8]) {
    let when = Utc
        .timestamp_opt(date, 0)
        .single()
        .unwrap_or_default()
        .format("%a %b %e %H:%M:%S %Y");
    let (_, addr) = split(from);
    mbox.extend_from_slice(format!("From {addr} {when}\n").as_bytes());
    let text = String::from_utf8_lossy(msg).replace("\r\n", "\n");
    for line in text.lines() {
        if line.trim_start_matches('>').starts_with("From ") {
            mbox.push(b'>');
        }
        mbox.extend_from_slice(line.as_bytes());
        mbox.push(b'\n');
    }
    mbox.push(b'\n');
}

/// The mbox: a message per regression published after `since`, then the digest. `from` is
/// the sender (checked: a bad address falls back to [`DEFAULT_FROM`]).
pub fn mbox(
    report: &Report,
    ledger: &crate::report::ledger::Ledger,
    since: Option<NaiveDate>,
    from: Option<&str>,
    opts: &AnnounceOptions,
) -> (Vec<u8>, usize) {
    let from = from
        .and_then(address)
        .unwrap_or_else(|| DEFAULT_FROM.into());
    let domain = split(&from)
        .1
        .rsplit('@')
        .next()
        .unwrap_or("localhost")
        .to_string();
    let digest = Digest::new(report, ledger, since, opts);
    let mut out = Vec::new();
    let mut count = 0;
    for h in digest
        .events
        .iter()
        .filter(|h| matches!(h.kind, EventKind::New | EventKind::Confirmed))
    {
        let current = report.regressions.iter().find(|r| r.id == h.entry.id);
        let archived: Regression;
        let r = match current {
            Some(r) => r,
            None => {
                archived = h.entry.to_regression();
                &archived
            }
        };
        let route = report.routing.as_ref().and_then(|x| x.get(&r.id));
        let rcpt = recipients(route);
        let date = timestamp(Some(h.day));
        let msg = message(
            &from,
            &rcpt.to,
            &rcpt.cc,
            subject(r),
            format!("regtrack.{}.{}.{}@{domain}", r.id, h.kind.as_str(), h.day),
            date,
            body(r, route, opts.base_url()),
        );
        append(&mut out, &from, date, &msg);
        count += 1;
    }
    let date = timestamp(report.report_date);
    let c = digest.counts();
    let subject = one_line(
        &format!(
            "[regtrack] {}: {} new, {} confirmed, {} fixed, {} reopened{}",
            opts.site_title,
            c["new"],
            c["confirmed"],
            c["fixed"],
            c["reopened"],
            since.map(|d| format!(" since {d}")).unwrap_or_default()
        ),
        200,
    );
    let id = format!(
        "regtrack.digest.{}.{}@{domain}",
        since.map_or("all".to_string(), |d| d.to_string()),
        report
            .report_date
            .map_or("none".to_string(), |d| d.to_string())
    );
    let msg = message(
        &from,
        std::slice::from_ref(&from),
        &[],
        subject,
        id,
        date,
        digest.text(),
    );
    append(&mut out, &from, date, &msg);
    (out, count + 1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn ascii_subjects_stay_readable_and_others_are_encoded_words() {
        let long = format!("[REGRESSION] next/master: {}", "x".repeat(150));
        for (subject, raw) in [
            (long.as_str(), true),
            ("[REGRESSION] tree-ü: t fails", false),
        ] {
            let msg = super::message(
                super::DEFAULT_FROM,
                &["A <a@example.org>".into()],
                &[],
                subject.to_string(),
                "x.y@example.org".into(),
                0,
                "body\n".into(),
            );
            // Folded at a space where long (RFC 5322 2.2.3), read unfolded.
            let text = String::from_utf8(msg.clone())
                .unwrap()
                .replace("\r\n ", " ");
            assert_eq!(
                text.contains(&format!("Subject: {subject}\r\n")),
                raw,
                "{text}"
            );
            let parsed = mail_parser::MessageParser::default()
                .parse(&msg[..])
                .unwrap();
            assert_eq!(parsed.subject(), Some(subject));
        }
    }
}
