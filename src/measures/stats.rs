//! The two statistics measures.md fixes: the interpolated median and numpy's default
//! percentile (linear interpolation between closest ranks, index = p × (n − 1)).

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
    fn mean_of_values() {
        assert_eq!(mean(&[1.0, 2.0, 6.0]), Some(3.0));
        assert_eq!(mean(&[]), None);
    }
}
