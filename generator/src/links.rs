//! Links to things outside the site, built only from URLs that are safe to put in `href`.

/// True for plain `http(s)://` URLs; anything else (`javascript:`, `data:`...) is never linked.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The web page of `commit` in `repository`, for the hosting shapes we know: kernel.org cgit,
/// GitHub and GitLab. `None` for other hosts or unsafe input.
pub fn commit_url(repository: &str, commit: &str) -> Option<String> {
    if !is_web_url(repository)
        || !commit.chars().all(|c| c.is_ascii_hexdigit())
        || commit.is_empty()
    {
        return None;
    }
    let repo = repository.trim_end_matches('/');
    let host = repo.split('/').nth(2)?.to_ascii_lowercase();
    if host == "git.kernel.org" {
        return Some(format!("{repo}/commit/?id={commit}"));
    }
    let repo = repo.trim_end_matches(".git");
    if host == "github.com" {
        return Some(format!("{repo}/commit/{commit}"));
    }
    if host == "gitlab.com" || host.starts_with("gitlab.") {
        return Some(format!("{repo}/-/commit/{commit}"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_hosts() {
        let h = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(
            commit_url(
                "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git",
                h
            )
            .unwrap(),
            format!(
                "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id={h}"
            )
        );
        assert_eq!(
            commit_url("https://github.com/a/linux.git", h).unwrap(),
            format!("https://github.com/a/linux/commit/{h}")
        );
        assert_eq!(
            commit_url("https://gitlab.com/a/linux", h).unwrap(),
            format!("https://gitlab.com/a/linux/-/commit/{h}")
        );
        assert_eq!(commit_url("https://example.org/linux.git", h), None);
    }

    #[test]
    fn unsafe_input_is_never_linked() {
        assert_eq!(commit_url("javascript:alert(1)//github.com/x", "abc"), None);
        assert_eq!(commit_url("https://github.com/a/b", "abc\"><script>"), None);
        assert!(!is_web_url("JaVaScRiPt:alert(1)"));
        assert!(!is_web_url("https://x.org/a b"));
        assert!(is_web_url("https://storage.kernelci.org/log.txt"));
    }
}
