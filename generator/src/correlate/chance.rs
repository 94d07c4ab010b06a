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
        for j in (1..=k.min(n + 1)).rev() {
            e[j] += e[j - 1] * x;
        }
    }
    e[k]
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
