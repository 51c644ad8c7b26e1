//! Parameters: the values an optimiser changes between iterations.
//!
//! A parameter is an explicit type, not a flag on a tensor. It owns its value
//! behind an [`Arc`], so putting it on a tape shares the buffer instead of
//! copying it; once the tape is reset, the optimiser holds the only reference
//! again and updates the value in place.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use nalgebra::DMatrix;

use crate::Float;

/// Identifies a parameter in a [`Gradients`](crate::Gradients) map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ParamId(u64);

impl ParamId {
    fn fresh() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        ParamId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// A trainable matrix with a process-unique id.
#[derive(Debug, Clone)]
pub struct Param<T: Float = f32> {
    id: ParamId,
    value: Arc<DMatrix<T>>,
}

impl<T: Float> Param<T> {
    /// Wraps a value as a new parameter with a fresh id.
    pub fn new(value: DMatrix<T>) -> Self {
        Param {
            id: ParamId::fresh(),
            value: Arc::new(value),
        }
    }

    /// The id under which its gradient is reported.
    pub fn id(&self) -> ParamId {
        self.id
    }

    /// The current value.
    pub fn value(&self) -> &DMatrix<T> {
        &self.value
    }

    /// The value for in-place updates.
    ///
    /// This copies the buffer only if a tape still holds it (call
    /// [`Tape::reset`](crate::Tape::reset) before the optimiser step to avoid that).
    pub fn value_mut(&mut self) -> &mut DMatrix<T> {
        Arc::make_mut(&mut self.value)
    }

    /// `(rows, cols)` of the value.
    pub fn shape(&self) -> (usize, usize) {
        self.value.shape()
    }

    pub(crate) fn shared(&self) -> Arc<DMatrix<T>> {
        Arc::clone(&self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_clones_keep_them() {
        let a = Param::new(DMatrix::<f32>::zeros(1, 1));
        let b = Param::new(DMatrix::<f32>::zeros(1, 1));
        assert_ne!(a.id(), b.id());
        assert_eq!(a.clone().id(), a.id());
    }

    #[test]
    fn value_mut_does_not_touch_a_shared_copy() {
        let mut a = Param::new(DMatrix::from_element(1, 1, 1.0f64));
        let held = a.shared();
        a.value_mut()[(0, 0)] = 2.0;
        assert_eq!(held[(0, 0)], 1.0);
        assert_eq!(a.value()[(0, 0)], 2.0);
    }
}
