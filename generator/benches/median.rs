//! Shared by the benches: the median time of repeated passes.

use std::time::Instant;

/// Runs `pass` `repeat` times; returns the median time in milliseconds and what the last
/// pass returned (a count, so the work cannot be optimised away).
pub fn median_ms(repeat: usize, mut pass: impl FnMut() -> usize) -> (f64, usize) {
    let mut times = Vec::with_capacity(repeat);
    let mut out = 0;
    for _ in 0..repeat {
        let t = Instant::now();
        out = pass();
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], out)
}
