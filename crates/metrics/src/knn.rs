//! k-nearest-neighbour classification, to measure how well a latent space separates
//! digits.
//!
//! Distances are Euclidean. The k nearest reference vectors vote with their labels:
//! - the label with the most votes wins;
//! - on a tie in votes, the label whose voting neighbours have the smaller summed
//!   distance to the query wins;
//! - if that ties too, the smaller label wins.
//!
//! Reference vectors at the same distance are ranked by their index, so which of them
//! makes it into the k nearest is deterministic (the earlier one).

use std::cmp::Ordering;

use crate::error::{MetricsError, Result};
use crate::shape::{check_finite, check_rows};

/// Predicts a label for each query vector by a majority vote of its `k` nearest
/// reference vectors (see the module docs for ties).
///
/// `reference` holds `ref_labels.len()` row-major vectors of dimension `dim`; `queries`
/// holds any number of them (possibly none). Errors if `dim == 0`, `k == 0`, `k`
/// exceeds the number of reference vectors, a length does not match, or a value is not
/// finite.
pub fn knn_predict(
    reference: &[f32],
    ref_labels: &[u8],
    queries: &[f32],
    dim: usize,
    k: usize,
) -> Result<Vec<u8>> {
    predict(reference, ref_labels, queries, dim, k, None)
}

/// The fraction of queries whose [`knn_predict`] label equals `query_labels`.
///
/// `queries` must hold `query_labels.len() ≥ 1` vectors; other errors as for
/// [`knn_predict`].
pub fn knn_accuracy(
    reference: &[f32],
    ref_labels: &[u8],
    queries: &[f32],
    query_labels: &[u8],
    dim: usize,
    k: usize,
) -> Result<f64> {
    check_rows(queries, query_labels.len(), dim, "knn queries")?;
    let predicted = knn_predict(reference, ref_labels, queries, dim, k)?;
    Ok(accuracy(&predicted, query_labels))
}

/// [`knn_accuracy`] when some queries are themselves reference vectors:
/// `own[q] = Some(i)` says query `q` is reference `i`, which then does not
/// vote for it (leave-one-out). Without this, a query that is in the
/// reference set finds itself at distance 0 and votes for its own label.
/// `own` has one entry per query; `k` must leave a neighbour to spare
/// (`k < ` the number of reference vectors) when any entry is `Some`.
pub fn knn_accuracy_leaving_out(
    reference: &[f32],
    ref_labels: &[u8],
    queries: &[f32],
    query_labels: &[u8],
    dim: usize,
    k: usize,
    own: &[Option<usize>],
) -> Result<f64> {
    check_rows(queries, query_labels.len(), dim, "knn queries")?;
    if own.len() != query_labels.len() {
        return Err(MetricsError::InvalidArgument {
            what: "knn own indices",
            reason: format!("{} entries for {} queries", own.len(), query_labels.len()),
        });
    }
    let predicted = predict(reference, ref_labels, queries, dim, k, Some(own))?;
    Ok(accuracy(&predicted, query_labels))
}

/// The fraction of `predicted` labels equal to `labels`.
fn accuracy(predicted: &[u8], labels: &[u8]) -> f64 {
    let correct = predicted.iter().zip(labels).filter(|(p, l)| p == l).count();
    correct as f64 / labels.len() as f64
}

/// [`knn_predict`], each query `q` ignoring reference `own[q]` when given.
fn predict(
    reference: &[f32],
    ref_labels: &[u8],
    queries: &[f32],
    dim: usize,
    k: usize,
    own: Option<&[Option<usize>]>,
) -> Result<Vec<u8>> {
    check_rows(reference, ref_labels.len(), dim, "knn reference")?;
    let left_out = own.is_some_and(|own| own.iter().any(Option::is_some));
    let available = ref_labels.len() - usize::from(left_out);
    if k == 0 || k > available {
        return Err(MetricsError::InvalidArgument {
            what: "k",
            reason: format!(
                "need 1 ≤ k ≤ {available} (the number of reference vectors{}), got {k}",
                if left_out {
                    ", less the query's own"
                } else {
                    ""
                }
            ),
        });
    }
    if !queries.len().is_multiple_of(dim) {
        return Err(MetricsError::InvalidArgument {
            what: "knn queries",
            reason: format!("length {} is not a multiple of dim {dim}", queries.len()),
        });
    }
    check_finite(queries, "knn queries")?;

    let mut neighbours: Vec<(f64, usize)> = Vec::with_capacity(ref_labels.len());
    let predictions = queries
        .chunks_exact(dim)
        .enumerate()
        .map(|(q, query)| {
            let skip = own.and_then(|own| own.get(q).copied().flatten());
            neighbours.clear();
            neighbours.extend(
                reference
                    .chunks_exact(dim)
                    .enumerate()
                    .filter(|&(i, _)| Some(i) != skip)
                    .map(|(i, r)| (squared_distance(query, r), i)),
            );
            // Only the k smallest matter; a partial selection avoids sorting them all.
            neighbours.select_nth_unstable_by(k - 1, by_distance_then_index);
            vote(&neighbours[..k], ref_labels)
        })
        .collect();
    Ok(predictions)
}

fn squared_distance(a: &[f32], b: &[f32]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2))
        .sum()
}

fn by_distance_then_index(a: &(f64, usize), b: &(f64, usize)) -> Ordering {
    a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
}

/// The winning label among `neighbours` (squared distance, reference index).
fn vote(neighbours: &[(f64, usize)], labels: &[u8]) -> u8 {
    let mut votes = [0usize; 256];
    let mut distance_sums = [0.0f64; 256];
    for &(squared, i) in neighbours {
        let label = usize::from(labels[i]);
        votes[label] += 1;
        distance_sums[label] += squared.sqrt();
    }
    let mut best = 0u8;
    // Scanning labels upwards and replacing only on strictly better keeps the smaller
    // label on a full tie.
    for label in 1..=u8::MAX {
        let (l, b) = (usize::from(label), usize::from(best));
        let better = votes[l] > votes[b]
            || (votes[l] == votes[b] && votes[l] > 0 && distance_sums[l] < distance_sums[b]);
        if better {
            best = label;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Label 0 around (0, 0), label 1 around (10, 10).
    fn clusters() -> (Vec<f32>, Vec<u8>) {
        let reference = vec![
            0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 10.0, 10.0, 11.0, 10.0, 10.0, 11.0,
        ];
        (reference, vec![0, 0, 0, 1, 1, 1])
    }

    #[test]
    fn separates_two_clusters() {
        let (reference, labels) = clusters();
        let queries = [0.5, 0.5, 9.0, 9.5, 8.0, 8.0];
        assert_eq!(
            knn_predict(&reference, &labels, &queries, 2, 3).unwrap(),
            vec![0, 1, 1]
        );
        // The third query is labelled 0 but sits in cluster 1: 2 of 3 correct.
        let acc = knn_accuracy(&reference, &labels, &queries, &[0, 1, 0], 2, 3).unwrap();
        assert!((acc - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn a_query_in_the_reference_set_does_not_vote_for_itself() {
        // The query is reference 0 (label 5), alone at (0, 0); its other
        // neighbours are label 1. With itself it wins k = 1; without, it loses.
        let reference = [0.0, 0.0, 3.0, 3.0, 3.0, 4.0];
        let labels = [5, 1, 1];
        let query = [0.0, 0.0];
        let with_self = knn_accuracy(&reference, &labels, &query, &[5], 2, 1).unwrap();
        assert_eq!(with_self, 1.0);
        let left_out =
            knn_accuracy_leaving_out(&reference, &labels, &query, &[5], 2, 1, &[Some(0)]).unwrap();
        assert_eq!(left_out, 0.0);
        // `None` leaves everything in; k must leave a neighbour when one is left out.
        let none =
            knn_accuracy_leaving_out(&reference, &labels, &query, &[5], 2, 1, &[None]).unwrap();
        assert_eq!(none, 1.0);
        assert!(
            knn_accuracy_leaving_out(&reference, &labels, &query, &[5], 2, 3, &[Some(0)]).is_err()
        );
        assert!(knn_accuracy_leaving_out(&reference, &labels, &query, &[5], 2, 1, &[]).is_err());
    }

    #[test]
    fn majority_beats_distance() {
        // k = 3: label 0 at distance 0.5, label 1 twice at distance 2.
        let reference = [0.5, -2.0, 2.0];
        assert_eq!(
            knn_predict(&reference, &[0, 1, 1], &[0.0], 1, 3).unwrap(),
            vec![1]
        );
    }

    #[test]
    fn vote_tie_goes_to_smaller_summed_distance() {
        // k = 2: label 7 at distance 1, label 3 at distance 2; one vote each.
        let reference = [1.0, -2.0, 5.0];
        assert_eq!(
            knn_predict(&reference, &[7, 3, 3], &[0.0], 1, 2).unwrap(),
            vec![7]
        );
        // k = 4 over two labels, two votes each: label 4 sums 1 + 3, label 2 sums 2 + 2.5.
        let reference = [1.0, 3.0, -2.0, -2.5];
        assert_eq!(
            knn_predict(&reference, &[4, 4, 2, 2], &[0.0], 1, 4).unwrap(),
            vec![4]
        );
    }

    #[test]
    fn full_tie_goes_to_smaller_label() {
        // k = 2: label 5 at distance 1 on the left, label 2 at distance 1 on the right.
        let reference = [-1.0, 1.0];
        assert_eq!(
            knn_predict(&reference, &[5, 2], &[0.0], 1, 2).unwrap(),
            vec![2]
        );
    }

    #[test]
    fn equal_distances_at_the_cut_keep_the_earlier_reference() {
        // k = 1 with two references at distance 1: index 0 (label 9) is the neighbour.
        let reference = [1.0, -1.0];
        assert_eq!(
            knn_predict(&reference, &[9, 1], &[0.0], 1, 1).unwrap(),
            vec![9]
        );
    }

    #[test]
    fn rejects_bad_arguments() {
        let (reference, labels) = clusters();
        let q = [0.0, 0.0];
        assert!(knn_predict(&reference, &labels, &q, 2, 0).is_err());
        assert!(knn_predict(&reference, &labels, &q, 2, 7).is_err());
        assert!(knn_predict(&reference, &labels[..5], &q, 2, 1).is_err());
        assert!(knn_predict(&reference, &labels, &q[..1], 2, 1).is_err());
        assert!(knn_predict(&reference, &labels, &[f32::NAN, 0.0], 2, 1).is_err());
        assert!(knn_accuracy(&reference, &labels, &[], &[], 2, 1).is_err());
        assert!(knn_accuracy(&reference, &labels, &q, &[0, 1], 2, 1).is_err());
        assert_eq!(
            knn_predict(&reference, &labels, &[], 2, 1).unwrap(),
            Vec::<u8>::new()
        );
    }
}
