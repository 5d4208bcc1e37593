//! The two statistics measures.md fixes: the interpolated median and numpy's default
//! percentile (linear interpolation between closest ranks, index = p × (n − 1)); and the 90 %
//! intervals interface.md (Scoring, v2) judges them by: Wilson's for a rate, the
//! distribution-free order-statistic interval for a median.

/// Sorted copy of the values; NaN never occurs (every value is a difference of whole seconds).
fn sorted(values: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

/// `p` in 0..=1. `None` for no values.
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let v = sorted(values);
    let last = v.len().checked_sub(1)?;
    let rank = p * last as f64;
    let below = rank.floor() as usize;
    let above = rank.ceil() as usize;
    Some(v[below] + (v[above] - v[below]) * (rank - below as f64))
}

/// The average of the two middle values for an even count.
pub fn median(values: &[f64]) -> Option<f64> {
    percentile(values, 0.5)
}

pub fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// The two-sided 90 % normal quantile, z(0.95).
const Z90: f64 = 1.644_853_626_951_472_2;

/// The 90 % Wilson score interval of `k` successes in `n` trials; `None` for `n` = 0.
///
/// Wilson's interval, unlike the textbook p ± z·√(p(1−p)/n), stays inside [0, 1] and does not
/// collapse to a point at 0 of n: 0 failures in 1 deployment gives [0, 0.73], not "0 %".
pub fn wilson(k: usize, n: usize) -> Option<[f64; 2]> {
    if n == 0 {
        return None;
    }
    let (k, n) = (k.min(n) as f64, n as f64);
    let p = k / n;
    let z2 = Z90 * Z90;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z90 / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some([(centre - half).max(0.0), (centre + half).min(1.0)])
}

/// The distribution-free 90 % interval of the median: the order statistics x(l) and
/// x(n + 1 − l) for the largest rank l with P(B ≤ l − 1) ≤ 5 %, B ~ Binomial(n, ½), so that
/// it covers the true median at least 90 % of the time whatever the distribution. `None`
/// below 5 values, where even [min, max] covers less than 90 % (1 − 2 × ½⁵ = 93.75 % at 5).
pub fn median_interval(values: &[f64]) -> Option<[f64; 2]> {
    let n = values.len();
    let l = median_rank(n)?;
    let v = sorted(values);
    Some([v[l - 1], v[n - l]])
}

/// The lower rank l (1-based) of the median interval for n values.
fn median_rank(n: usize) -> Option<usize> {
    // Binomial(n, ½) probabilities in logs: ½ⁿ underflows past n = 1074, and the terms that
    // matter (near n/2) are large enough in any case.
    let ln_half_n = n as f64 * 0.5f64.ln();
    let mut ln_term = ln_half_n; // ln P(B = 0)
    let mut cdf = 0.0; // P(B ≤ j − 1) before step j
    let mut rank = None;
    for j in 1..=n.div_ceil(2) {
        cdf += ln_term.exp(); // now P(B ≤ j − 1)
        if cdf > 0.05 {
            break;
        }
        rank = Some(j);
        let i = (j - 1) as f64;
        ln_term += ((n as f64 - i) / (i + 1.0)).ln(); // ln P(B = j)
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_interpolates_even_counts() {
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn p90_matches_numpy_default() {
        // numpy.percentile([1..10], 90) = 9.1: index 0.9 × 9 = 8.1 → 9 + 0.1 × (10 − 9)
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert!((percentile(&v, 0.9).unwrap() - 9.1).abs() < 1e-12);
        // numpy.percentile([2, 10], 90) = 9.2
        assert!((percentile(&[10.0, 2.0], 0.9).unwrap() - 9.2).abs() < 1e-12);
        assert_eq!(percentile(&[7.0], 0.9), Some(7.0));
    }

    #[test]
    fn wilson_intervals_worked_by_hand() {
        // z = 1.6448536, z² = 2.7055435.
        // 0 of 1: centre = (0 + z²/2) / (1 + z²) = 1.3527717 / 3.7055435 = 0.3650670 and
        // half = z / (1 + z²) × √(z²/4) = 0.4438924 × 0.8224268 = 0.3650670 -> [0, 0.7301341]
        let [lo, hi] = wilson(0, 1).unwrap();
        assert!(
            lo.abs() < 1e-12 && (hi - 0.730_134_1).abs() < 1e-6,
            "{lo} {hi}"
        );
        // 1 of 5 (20 %): 1 + z²/5 = 1.5411087; centre = (0.2 + 0.2705543) / 1.5411087
        // = 0.3053350; half = z / 1.5411087 × √(0.2 × 0.8 / 5 + z²/100)
        // = 1.0673190 × 0.2430136 = 0.2593725 -> [0.0459625, 0.5647075]
        let [lo, hi] = wilson(1, 5).unwrap();
        assert!((lo - 0.045_962_5).abs() < 1e-6, "{lo}");
        assert!((hi - 0.564_707_5).abs() < 1e-6, "{hi}");
        // n of n is [n / (n + z²), 1]: 52 of 52 -> 52 / 54.7055434 = 0.9505435
        let [lo, hi] = wilson(52, 52).unwrap();
        assert!((lo - 0.950_543_5).abs() < 1e-6 && hi == 1.0, "{lo}");
        assert_eq!(wilson(0, 0), None);
    }

    #[test]
    fn median_interval_ranks_from_the_binomial_table() {
        // n = 4: P(B = 0) = 1/16 = 6.25 % > 5 %: no interval.
        assert_eq!(median_rank(4), None);
        // n = 5: P(B ≤ 0) = 1/32 = 3.1 % ≤ 5 %, P(B ≤ 1) = 6/32 = 18.75 %: l = 1, [x1, x5].
        assert_eq!(median_rank(5), Some(1));
        // n = 10: P(B ≤ 1) = 11/1024 = 1.07 %, P(B ≤ 2) = 56/1024 = 5.47 %: l = 2, [x2, x9].
        assert_eq!(median_rank(10), Some(2));
        // n = 20: P(B ≤ 5) = 21700/1048576 = 2.07 %, P(B ≤ 6) = 60460/1048576 = 5.77 %:
        // l = 6, [x6, x15].
        assert_eq!(median_rank(20), Some(6));
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(median_interval(&v), Some([2.0, 9.0]));
        assert_eq!(median_interval(&v[..4]), None);
        // Large n stays finite and near n/2 − 0.82√n: n = 10,000 -> l ≈ 5000 − 82 = 4918.
        let l = median_rank(10_000).unwrap();
        assert!((4910..=4920).contains(&l), "{l}");
    }

    #[test]
    fn mean_of_values() {
        assert_eq!(mean(&[1.0, 2.0, 6.0]), Some(3.0));
        assert_eq!(mean(&[]), None);
    }
}
