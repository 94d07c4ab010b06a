//! The ordered parallel pipeline files are parsed on: every core parses, one thread absorbs
//! in order, so the output never depends on which core finished first.

/// Runs `parse` over `items` on every core and hands the results to `absorb` in item order,
/// on the calling thread, while later items are still being parsed. Workers take items in
/// order and stay at most a few items ahead of `absorb`, so only that many parsed files wait
/// in memory. (Batches with a barrier each would leave a core idle at the end of every batch
/// while the other finishes its last, large, file.)
pub(crate) fn pipeline<T: Sync, R: Send>(
    items: &[T],
    parse: impl Fn(&T) -> R + Sync,
    mut absorb: impl FnMut(R),
) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Condvar, Mutex, mpsc};
    let workers = rayon::current_num_threads().clamp(1, items.len().max(1));
    let window = workers * 2;
    let next = AtomicUsize::new(0);
    // How many items were absorbed, and a signal when that grows.
    let absorbed = (Mutex::new(0usize), Condvar::new());
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, R)>();
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, absorbed, parse) = (&next, &absorbed, &parse);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= items.len() {
                        break;
                    }
                    let (lock, cv) = absorbed;
                    let mut done = lock.lock().unwrap_or_else(|e| e.into_inner());
                    while i >= *done + window {
                        done = cv.wait(done).unwrap_or_else(|e| e.into_inner());
                    }
                    drop(done);
                    if tx.send((i, parse(&items[i]))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut waiting: std::collections::BTreeMap<usize, R> = Default::default();
        let mut expect = 0;
        for (i, r) in rx {
            waiting.insert(i, r);
            while let Some(r) = waiting.remove(&expect) {
                absorb(r);
                expect += 1;
                let (lock, cv) = &absorbed;
                *lock.lock().unwrap_or_else(|e| e.into_inner()) = expect;
                cv.notify_all();
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipeline_hands_results_over_in_order() {
        let items: Vec<u64> = (0..64).collect();
        let mut got = Vec::new();
        // Early items are the slowest, so later ones finish first and must wait their turn.
        pipeline(
            &items,
            |&i| {
                std::thread::sleep(std::time::Duration::from_micros((64 - i) * 40));
                i * 10
            },
            |r| got.push(r),
        );
        assert_eq!(got, items.iter().map(|i| i * 10).collect::<Vec<_>>());
        let mut none = Vec::new();
        pipeline(&[] as &[u64], |&i| i, |r| none.push(r));
        assert!(none.is_empty());
    }
}
