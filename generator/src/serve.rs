//! `regtrack serve`: the published site over http on localhost, to check the http path
//! (the site works from disk too; this is a preview, not a production server).
//!
//! tiny_http serves files read fresh on every request, so a build publishing meanwhile is
//! seen whole at the next request. Only GET and HEAD; paths are percent-decoded and any
//! `..`, backslash or NUL is refused, so nothing outside the site is reachable; a folder
//! without its trailing slash is redirected (the pages' relative links need it).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Result;
use tiny_http::{Header, Method, Response, Server, StatusCode};

/// The Content-Type of a site file, by extension.
fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// What a request path maps to.
#[derive(Debug, PartialEq)]
enum Target {
    File(PathBuf),
    /// A folder asked for without its trailing slash: where to redirect.
    Redirect(String),
    NotFound,
    Forbidden,
}

fn resolve(root: &Path, url: &str) -> Target {
    let raw = url.split(['?', '#']).next().unwrap_or("");
    let Ok(decoded) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return Target::Forbidden;
    };
    let mut path = root.to_path_buf();
    for seg in decoded.split('/').filter(|s| !s.is_empty() && *s != ".") {
        if seg == ".." || seg.contains(['\\', '\0']) {
            return Target::Forbidden;
        }
        path.push(seg);
    }
    if path.is_dir() {
        if !raw.ends_with('/') {
            return Target::Redirect(format!("{raw}/"));
        }
        path.push("index.html");
    }
    if path.is_file() {
        Target::File(path)
    } else {
        Target::NotFound
    }
}

fn header(k: &str, v: &str) -> Header {
    Header::from_bytes(k.as_bytes(), v.as_bytes()).expect("valid header")
}

/// Serves `root` on 127.0.0.1:`port` (0: any free port) until killed; `ready` is told the
/// address once listening.
pub fn serve(root: &Path, port: u16, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    anyhow::ensure!(
        root.join("index.html").is_file(),
        "{} holds no site (no index.html): build one first",
        root.display()
    );
    let server = Server::http(("127.0.0.1", port))
        .map_err(|e| anyhow::anyhow!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| anyhow::anyhow!("not listening on an IP address"))?;
    ready(addr);
    for req in server.incoming_requests() {
        let head = *req.method() == Method::Head;
        let result = if !matches!(req.method(), Method::Get | Method::Head) {
            req.respond(Response::from_string("method not allowed").with_status_code(405))
        } else {
            match resolve(root, req.url()) {
                Target::File(path) => match std::fs::read(&path) {
                    Ok(bytes) => {
                        let len = bytes.len();
                        let r = Response::from_data(if head { Vec::new() } else { bytes })
                            .with_header(header("Content-Type", content_type(&path)))
                            .with_header(header("Cache-Control", "no-cache"));
                        let r = if head {
                            r.with_header(header("Content-Length", &len.to_string()))
                        } else {
                            r
                        };
                        req.respond(r)
                    }
                    Err(_) => req.respond(Response::from_string("not found").with_status_code(404)),
                },
                Target::Redirect(to) => req
                    .respond(Response::empty(StatusCode(301)).with_header(header("Location", &to))),
                Target::NotFound => {
                    req.respond(Response::from_string("not found").with_status_code(404))
                }
                Target::Forbidden => {
                    req.respond(Response::from_string("forbidden").with_status_code(403))
                }
            }
        };
        // A client that went away is its own business.
        let _ = result;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_site() {
        let root = std::env::temp_dir().join(format!("regtrack-serve-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("r/abc")).unwrap();
        std::fs::write(root.join("index.html"), "i").unwrap();
        std::fs::write(root.join("r/abc/index.html"), "p").unwrap();
        assert_eq!(resolve(&root, "/"), Target::File(root.join("index.html")));
        assert_eq!(
            resolve(&root, "/r/abc/?x=1#r=2"),
            Target::File(root.join("r/abc/index.html"))
        );
        assert_eq!(resolve(&root, "/r/abc"), Target::Redirect("/r/abc/".into()));
        assert_eq!(
            resolve(&root, "/r/%61bc/index.html"),
            Target::File(root.join("r/abc/index.html"))
        );
        assert_eq!(resolve(&root, "/../etc/passwd"), Target::Forbidden);
        assert_eq!(resolve(&root, "/r/%2e%2e/%2e%2e/x"), Target::Forbidden);
        assert_eq!(resolve(&root, "/nope"), Target::NotFound);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
