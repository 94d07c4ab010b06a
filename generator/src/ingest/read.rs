//! Reading a file's text: memory-mapped when plain, gunzipped into pooled buffers otherwise,
//! capped in size and checked as UTF-8, with one clear reason when it cannot be read.

use std::io::Read;
use std::path::Path;

/// Default cap on one file's size (after decompression): larger files are refused, not read.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// Reads a file, gunzipping `.gz`, refusing anything over `max` bytes.
pub fn read_text(path: &Path, max: u64) -> Result<String, String> {
    let mut bytes = Vec::new();
    read_into(path, max, &mut bytes)?;
    Ok(String::from_utf8(bytes).expect("checked by read_into"))
}

/// [`read_text`] into a caller's buffer (cleared first), so one buffer can serve many files.
pub fn read_into<'b>(path: &Path, max: u64, bytes: &'b mut Vec<u8>) -> Result<&'b str, String> {
    bytes.clear();
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let limited_read = |r: &mut dyn Read, bytes: &mut Vec<u8>| {
        r.take(max.saturating_add(1))
            .read_to_end(bytes)
            .map_err(|e| format!("cannot read: {e}"))
    };
    if path.extension().is_some_and(|e| e == "gz") {
        limited_read(&mut flate2::read::GzDecoder::new(file), bytes)
            .map_err(|e| format!("{e} (truncated or corrupt gzip?)"))?;
    } else {
        // Sized up front: growing by doubling copies the text and faults in fresh pages. A
        // buffer too small is replaced, not grown (growing would copy its stale bytes), with
        // room to spare: a day's file is often a little larger than the day before's.
        let len = file.metadata().map_or(0, |m| m.len()).min(max) as usize + 1;
        if bytes.capacity() < len {
            *bytes = Vec::with_capacity(len + len / 8);
        }
        limited_read(&mut { file }, bytes)?;
    }
    if bytes.len() as u64 > max {
        return Err(format!("larger than {max} bytes; refused"));
    }
    utf8(bytes)
}

/// The text of `bytes`, or where and why it is not UTF-8. Every input byte goes through this
/// check: simdutf8 does it several times faster than `std`, which is asked again only to say
/// where a bad file goes wrong.
fn utf8(bytes: &[u8]) -> Result<&str, String> {
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(text);
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let before = &bytes[..at];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = at
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1)
            + 1;
        format!("not valid UTF-8 at line {line}, column {column} (byte {at})")
    })
}

/// Hands files' text to the parsers. A plain file is memory-mapped: its text is read straight
/// from the page cache, where `read` would copy it into a buffer first (the copy, and
/// faulting in the buffer, cost about a third of the parse floor). Gzipped files, and files
/// that cannot be mapped (pipes, empty files), are read into buffers handed from file to file,
/// since a fresh buffer per file would fault in and zero new pages every time.
///
/// A mapped file must not be truncated while it is read (the process would get SIGBUS), as
/// for every tool that maps its input (ripgrep, git): result folders are written before the
/// nightly run starts, not during it.
#[derive(Default)]
pub struct Buffers(std::sync::Mutex<Vec<Vec<u8>>>);

impl Buffers {
    /// Hands the text of `path` (at most `max` bytes) to `f`, or why it could not be read,
    /// and whether it is a regular file's own text, byte for byte (mapped, not gunzipped):
    /// strings in it can then be read back later by their place.
    pub fn with_text<R>(
        &self,
        path: &Path,
        max: u64,
        f: impl FnOnce(Result<&str, String>, bool) -> R,
    ) -> R {
        match map_file(path, max) {
            Some(Ok(map)) => return f(utf8(&map), true),
            Some(Err(e)) => return f(Err(e), false),
            None => {}
        }
        // The largest free buffer: soon every buffer fits the largest file.
        let mut buf = self
            .0
            .lock()
            .ok()
            .and_then(|mut v| {
                let i = (0..v.len()).max_by_key(|&i| v[i].capacity())?;
                Some(v.swap_remove(i))
            })
            .unwrap_or_default();
        let r = f(read_into(path, max, &mut buf), false);
        if let Ok(mut pool) = self.0.lock() {
            pool.push(buf);
        }
        r
    }
}

/// Maps a plain, non-empty regular file (`None`: read it instead).
pub(crate) fn map_file(path: &Path, max: u64) -> Option<Result<memmap2::Mmap, String>> {
    if path.extension().is_some_and(|e| e == "gz") {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    let meta = file
        .metadata()
        .ok()
        .filter(|m| m.is_file() && m.len() > 0)?;
    if meta.len() > max {
        return Some(Err(format!("larger than {max} bytes; refused")));
    }
    // SAFETY: the map is only read, and result files are not changed while regtrack runs
    // (see `Buffers`).
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    Some(Ok(map))
}
