//! Maintainer markdown to HTML: raw HTML is shown as text and only web or relative links are
//! kept (content is reviewed, but a pasted log must never become markup), and the `+++` TOML
//! front matter that annotations and pages start with.

use pulldown_cmark::{CowStr, Event, Parser, Tag, html};

use crate::links::is_web_url;

/// Renders maintainer markdown: raw HTML becomes text, links and images keep only web URLs.
pub fn render_markdown(md: &str) -> String {
    let events = Parser::new(md).map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let relative = !url.contains(':') && !url.starts_with("//");
    if relative || is_web_url(&url) {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

/// Splits `+++\n<toml>\n+++\n<body>`; no front matter gives an empty table.
pub fn front_matter(text: &str) -> Result<(&str, &str), String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
    else {
        return Ok(("", text));
    };
    let end = rest
        .find("\n+++")
        .ok_or("front matter opened with +++ is never closed")?;
    let body = rest[end + 4..].trim_start_matches(['\r', '\n']);
    Ok((&rest[..end], body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_shows_raw_html_as_text_and_drops_unsafe_links() {
        let html = render_markdown(
            "Hi <script>alert(1)</script>\n\n[ok](https://lore.kernel.org/x) [bad](javascript:alert(1)) [rel](../r/)",
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("href=\"https://lore.kernel.org/x\""));
        assert!(!html.contains("javascript:"));
        assert!(html.contains("href=\"../r/\""));
    }

    #[test]
    fn front_matter_splits() {
        let (fm, body) = front_matter("+++\nstate = \"reported\"\n+++\n\nBody").unwrap();
        assert_eq!(fm, "state = \"reported\"");
        assert_eq!(body, "Body");
        assert_eq!(front_matter("Just body").unwrap(), ("", "Just body"));
        assert!(front_matter("+++\nx = 1\n").is_err());
    }
}
