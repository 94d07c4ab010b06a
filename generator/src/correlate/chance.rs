//! Small probability helpers the verdicts share, each kept simple enough to state on a page.

/// Wilson score interval lower bound for `k` successes in `n` trials at 95%: a rate that three
/// runs cannot make look high.
pub fn wilson_lower(k: usize, n: usize) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let (k, n, z) = (k as f64, n as f64, 1.959_963_984_540_054_f64);
    let p = k / n;
    let z2 = z * z;
    let centre = p + z2 / (2.0 * n);
    let margin = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - margin) / (1.0 + z2 / n)).max(0.0)
}

/// The sum, over every way to pick `k` of `xs`, of the product of the picked ones (the
/// elementary symmetric polynomial e_k): with `xs` each board's chance to start failing at a
/// commit, about the chance that some `k` of them start together there. O(n·k).
pub fn pick_products(xs: &[f64], k: usize) -> f64 {
    if k > xs.len() {
        return 0.0;
    }
    let mut e = vec![0.0; k + 1];
    e[0] = 1.0;
    for (n, &x) in xs.iter().enumerate() {
        // e_j reaches e_k only through the values still to come, one index each: below
        // `k - left` it never will (when most boards fail together, that is most of them).
        let left = xs.len() - n - 1;
        for j in (k.saturating_sub(left).max(1)..=k.min(n + 1)).rev() {
            e[j] += e[j - 1] * x;
        }
    }
    e[k]
}

/// The natural log of a lower bound of [`pick_products`]: `C(n, k)` times the geometric mean
/// of `xs` to the `k` (Maclaurin's inequality: the mean of the picked products is at least the
/// geometric mean's power). O(n + k): enough to tell a coincidence of many flaky boards is
/// likely without the O(n·k) sum.
pub fn ln_pick_products_floor(xs: &[f64], k: usize) -> f64 {
    let n = xs.len();
    if k > n || n == 0 {
        return f64::NEG_INFINITY;
    }
    let ln_choose: f64 = (1..=k).map(|i| ((n - k + i) as f64 / i as f64).ln()).sum();
    let ln_mean = xs.iter().map(|x| x.ln()).sum::<f64>() / n as f64;
    ln_choose + k as f64 * ln_mean
}

/// P(Z >= z) for a standard normal Z (Abramowitz and Stegun 7.1.26 for erfc, error below
/// 2e-7: far finer than any threshold it is compared with).
pub fn normal_tail(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erfc = poly * (-x * x).exp();
    if z >= 0.0 {
        erfc / 2.0
    } else {
        1.0 - erfc / 2.0
    }
}

/// The mean and variance of `min(X, 2)` for `X ~ Poisson(lambda)`: a count that each test may
/// add to at most twice, so one test failing every run weighs no more than two one-offs.
pub fn capped_poisson(lambda: f64) -> (f64, f64) {
    let p0 = (-lambda).exp();
    let p1 = lambda * p0;
    let p2 = (1.0 - p0 - p1).max(0.0);
    let mean = p1 + 2.0 * p2;
    (mean, (p1 + 4.0 * p2 - mean * mean).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_bound_behaves() {
        assert_eq!(wilson_lower(0, 0), 0.0);
        assert!(wilson_lower(2, 2) < 0.5);
        assert!(wilson_lower(50, 100) > 0.39 && wilson_lower(50, 100) < 0.5);
    }

    #[test]
    fn picked_products() {
        assert_eq!(pick_products(&[0.5, 0.5, 0.5], 0), 1.0);
        let pairs = pick_products(&[0.1, 0.2, 0.3], 2);
        assert!((pairs - (0.1 * 0.2 + 0.1 * 0.3 + 0.2 * 0.3)).abs() < 1e-12);
        assert_eq!(pick_products(&[0.1, 0.2], 3), 0.0);
        // Equal chances: the binomial count (6 choose 3) times the product.
        let same = pick_products(&[0.1; 6], 3);
        assert!((same - 20.0 * 0.001).abs() < 1e-12);
    }

    #[test]
    fn picked_products_floor_is_below() {
        let xs: Vec<f64> = (0..40).map(|i| (i % 7 + 1) as f64 / 50.0).collect();
        for k in [1, 3, 20, 39, 40] {
            let floor = ln_pick_products_floor(&xs, k);
            assert!(floor <= pick_products(&xs, k).ln() + 1e-9, "k = {k}");
        }
        // Equal values: the bound is the sum itself.
        let same = ln_pick_products_floor(&[0.1; 6], 3).exp();
        assert!((same - 20.0 * 0.001).abs() < 1e-12);
        assert_eq!(ln_pick_products_floor(&[0.1], 2), f64::NEG_INFINITY);
    }

    #[test]
    fn picked_products_skip_nothing_that_counts() {
        // The whole table, every e_j at every step: what `pick_products` must equal, to the
        // bit, while leaving out the e_j that cannot reach e_k.
        let whole = |xs: &[f64], k: usize| {
            let mut e = vec![0.0; k + 1];
            e[0] = 1.0;
            for (n, &x) in xs.iter().enumerate() {
                for j in (1..=k.min(n + 1)).rev() {
                    e[j] += e[j - 1] * x;
                }
            }
            e[k]
        };
        let xs: Vec<f64> = (0..300)
            .map(|i| ((i * 37) % 101) as f64 / 1000.0 + 1e-4)
            .collect();
        for k in [1, 2, 7, 150, 260, 299, 300] {
            assert_eq!(
                pick_products(&xs, k).to_bits(),
                whole(&xs, k).to_bits(),
                "k = {k}"
            );
        }
    }

    #[test]
    fn normal_tails() {
        assert!((normal_tail(0.0) - 0.5).abs() < 1e-6);
        assert!((normal_tail(1.959_964) - 0.025).abs() < 1e-5);
        assert!((normal_tail(-1.959_964) - 0.975).abs() < 1e-5);
        assert!(normal_tail(6.0) < 1e-8);
    }

    #[test]
    fn capped_counts() {
        let (m, v) = capped_poisson(0.0);
        assert_eq!((m, v), (0.0, 0.0));
        let (m, _) = capped_poisson(50.0);
        assert!((m - 2.0).abs() < 1e-9);
        let (m, v) = capped_poisson(0.1);
        assert!(m > 0.09 && m < 0.11 && v > 0.0);
    }
}
