//! The tape: a record of every operation of one forward pass, replayed
//! backwards to get gradients.
//!
//! Each operation appends a node holding its result and how it was made. A
//! [`Var`] is a small copyable handle to such a node: the tensor *value* lives
//! on the tape, and nothing about it changes once it is recorded.
//! [`Tape::backward`] walks the nodes in reverse and returns the gradients of
//! every parameter as a [`Gradients`] map; nothing is stored on the tensors.
//!
//! Training calls [`Tape::reset`] between iterations. The tape then keeps
//! every buffer it used in a pool and hands them out again, so a steady
//! training loop allocates no matrices at all.

use std::collections::HashMap;
use std::sync::Arc;

use nalgebra::DMatrix;

use crate::ops::Op;
use crate::{Float, Param, ParamId};

/// A handle to a tensor recorded on a [`Tape`].
///
/// It is only meaningful on the tape that made it, until that tape is reset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Var {
    pub(crate) index: u32,
    generation: u32,
}

/// A node's value: a buffer of the tape's own, or a parameter's shared one.
#[derive(Debug)]
pub(crate) enum Value<T: Float> {
    Owned(DMatrix<T>),
    Shared(Arc<DMatrix<T>>),
}

impl<T: Float> std::ops::Deref for Value<T> {
    type Target = DMatrix<T>;
    fn deref(&self) -> &DMatrix<T> {
        match self {
            Value::Owned(m) => m,
            Value::Shared(m) => m,
        }
    }
}

#[derive(Debug)]
pub(crate) struct Node<T: Float> {
    pub(crate) op: Op<T>,
    pub(crate) value: Value<T>,
    /// Whether any parameter lies upstream; gradients are computed only along
    /// such paths (the data batch, for one, never gets a gradient).
    pub(crate) needs_grad: bool,
    pub(crate) param: Option<ParamId>,
}

/// Recycled matrices, found again by shape.
#[derive(Debug, Default)]
pub(crate) struct Pool<T: Float> {
    free: Vec<DMatrix<T>>,
}

impl<T: Float> Pool<T> {
    /// A `rows × cols` matrix whose contents are whatever it held before: the
    /// caller overwrites every element.
    pub(crate) fn take(&mut self, rows: usize, cols: usize) -> DMatrix<T> {
        match self.free.iter().rposition(|m| m.shape() == (rows, cols)) {
            Some(i) => self.free.swap_remove(i),
            None => DMatrix::zeros(rows, cols),
        }
    }

    pub(crate) fn zeros(&mut self, rows: usize, cols: usize) -> DMatrix<T> {
        let mut m = self.take(rows, cols);
        // Slice operations: nalgebra's element iterators do not vectorise.
        m.as_mut_slice().fill(T::zero());
        m
    }

    pub(crate) fn give(&mut self, m: DMatrix<T>) {
        self.free.push(m);
    }
}

/// The gradients of a loss with respect to every parameter on the tape.
#[derive(Debug, Default)]
pub struct Gradients<T: Float = f32> {
    by_param: HashMap<ParamId, DMatrix<T>>,
}

impl<T: Float> Gradients<T> {
    /// The gradient of `param`, if the loss depends on it.
    pub fn get(&self, param: &Param<T>) -> Option<&DMatrix<T>> {
        self.by_param.get(&param.id())
    }

    /// The gradient for a parameter id.
    pub fn get_id(&self, id: ParamId) -> Option<&DMatrix<T>> {
        self.by_param.get(&id)
    }

    /// Every (parameter id, gradient) pair, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (ParamId, &DMatrix<T>)> {
        self.by_param.iter().map(|(id, g)| (*id, g))
    }

    /// How many parameters have a gradient.
    pub fn len(&self) -> usize {
        self.by_param.len()
    }

    /// Whether no parameter has a gradient.
    pub fn is_empty(&self) -> bool {
        self.by_param.is_empty()
    }
}

/// A record of operations for reverse-mode differentiation.
#[derive(Debug, Default)]
pub struct Tape<T: Float = f32> {
    pub(crate) nodes: Vec<Node<T>>,
    generation: u32,
    pub(crate) pool: Pool<T>,
    grads: Vec<Option<DMatrix<T>>>,
    spare: HashMap<ParamId, DMatrix<T>>,
    /// Threads a large matrix product may use (0 and 1 mean one).
    pub(crate) threads: usize,
}

impl<T: Float> Tape<T> {
    /// An empty tape.
    pub fn new() -> Self {
        Tape {
            nodes: Vec::new(),
            generation: 0,
            pool: Pool { free: Vec::new() },
            grads: Vec::new(),
            spare: HashMap::new(),
            threads: 1,
        }
    }

    /// Lets large matrix products (forward and backward) use up to `threads`
    /// threads of the current rayon pool. Values and gradients are the same
    /// bit for bit whatever the count (see [`crate::gemm_threaded`]).
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads.max(1);
    }

    /// See [`Tape::set_threads`].
    pub fn threads(&self) -> usize {
        self.threads.max(1)
    }

    /// Forgets every node but keeps their buffers for reuse.
    ///
    /// Handles made before the reset become invalid. Releasing the shared
    /// parameter values here is what lets the optimiser update them in place.
    pub fn reset(&mut self) {
        for node in self.nodes.drain(..) {
            if let Value::Owned(m) = node.value {
                self.pool.give(m);
            }
        }
        self.generation = self.generation.wrapping_add(1);
    }

    /// Gives the buffers of a [`Gradients`] map back to the tape for reuse.
    pub fn recycle(&mut self, mut grads: Gradients<T>) {
        for (_, g) in grads.by_param.drain() {
            self.pool.give(g);
        }
        if grads.by_param.capacity() > self.spare.capacity() {
            self.spare = grads.by_param;
        }
    }

    /// Records a constant (a data batch, noise): no gradient flows into it.
    pub fn constant(&mut self, value: &DMatrix<T>) -> Var {
        let mut m = self.pool.take(value.nrows(), value.ncols());
        m.as_mut_slice().copy_from_slice(value.as_slice());
        self.push_node(Op::Leaf, Value::Owned(m), false, None)
    }

    /// Records a constant, taking ownership of the matrix.
    pub fn constant_owned(&mut self, value: DMatrix<T>) -> Var {
        self.push_node(Op::Leaf, Value::Owned(value), false, None)
    }

    /// Records a parameter; its gradient appears in [`Tape::backward`]'s result.
    /// The value is shared with the parameter, not copied.
    pub fn param(&mut self, param: &Param<T>) -> Var {
        self.push_node(
            Op::Leaf,
            Value::Shared(param.shared()),
            true,
            Some(param.id()),
        )
    }

    /// The value of a recorded tensor.
    ///
    /// # Panics
    /// If `var` comes from another tape or from before the last reset.
    pub fn value(&self, var: Var) -> &DMatrix<T> {
        &self.node(var).value
    }

    /// `(rows, cols)` of a recorded tensor.
    pub fn shape(&self, var: Var) -> (usize, usize) {
        self.value(var).shape()
    }

    /// The value of a `1 × 1` tensor as a number.
    ///
    /// # Panics
    /// If the tensor is not `1 × 1`.
    pub fn scalar(&self, var: Var) -> T {
        let v = self.value(var);
        assert_eq!(
            v.shape(),
            (1, 1),
            "scalar: tensor is {}×{}",
            v.nrows(),
            v.ncols()
        );
        v[(0, 0)]
    }

    /// How many nodes the tape holds.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the tape is empty.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub(crate) fn node(&self, var: Var) -> &Node<T> {
        assert_eq!(
            var.generation, self.generation,
            "Var used on a tape that was reset after it was made"
        );
        &self.nodes[var.index as usize]
    }

    pub(crate) fn needs_grad(&self, var: Var) -> bool {
        self.node(var).needs_grad
    }

    /// Appends the result of an operation on `inputs`.
    pub(crate) fn push(&mut self, op: Op<T>, value: DMatrix<T>, inputs: &[Var]) -> Var {
        let needs_grad = inputs.iter().any(|&v| self.needs_grad(v));
        self.push_node(op, Value::Owned(value), needs_grad, None)
    }

    fn push_node(
        &mut self,
        op: Op<T>,
        value: Value<T>,
        needs_grad: bool,
        param: Option<ParamId>,
    ) -> Var {
        let index = u32::try_from(self.nodes.len()).expect("more than 2³² nodes on one tape");
        self.nodes.push(Node {
            op,
            value,
            needs_grad,
            param,
        });
        Var {
            index,
            generation: self.generation,
        }
    }

    /// The gradients of the scalar `loss` with respect to every parameter it
    /// depends on.
    ///
    /// # Panics
    /// If `loss` is not `1 × 1`.
    pub fn backward(&mut self, loss: Var) -> Gradients<T> {
        let (rows, cols) = self.shape(loss);
        assert_eq!(
            (rows, cols),
            (1, 1),
            "backward: loss must be 1×1, is {rows}×{cols}"
        );
        let mut by_param = std::mem::take(&mut self.spare);
        self.grads.clear();
        self.grads.resize_with(self.nodes.len(), || None);
        let mut seed = self.pool.take(1, 1);
        seed[(0, 0)] = T::one();
        self.grads[loss.index as usize] = Some(seed);

        for i in (0..=loss.index as usize).rev() {
            let Some(gy) = self.grads[i].take() else {
                continue;
            };
            let node = &self.nodes[i];
            if !node.needs_grad {
                self.pool.give(gy);
                continue;
            }
            match node.param {
                Some(id) => {
                    // A parameter used twice on one tape gets the sum.
                    if let Some(old) = by_param.insert(id, gy) {
                        let g = by_param.get_mut(&id).expect("just inserted");
                        for (gi, &oi) in g.as_mut_slice().iter_mut().zip(old.as_slice()) {
                            *gi += oi;
                        }
                        self.pool.give(old);
                    }
                }
                None => {
                    let op = node.op;
                    self.backward_op(op, i, &gy);
                    self.pool.give(gy);
                }
            }
        }
        Gradients { by_param }
    }

    /// Adds `∂loss/∂input` to the input's gradient, creating it as zeros first.
    /// Inputs off every parameter's path are skipped.
    pub(crate) fn accumulate(
        &mut self,
        input: Var,
        rule: impl FnOnce(&mut DMatrix<T>, &[Node<T>]),
    ) {
        if !self.needs_grad(input) {
            return;
        }
        let i = input.index as usize;
        let (rows, cols) = self.nodes[i].value.shape();
        let mut g = match self.grads[i].take() {
            Some(g) => g,
            None => self.pool.zeros(rows, cols),
        };
        rule(&mut g, &self.nodes);
        self.grads[i] = Some(g);
    }

    /// Like [`Tape::accumulate`], but a rule that can overwrite (a matrix
    /// product with `β = 0`) is told when the gradient is new (`fresh`), so
    /// that it skips zeroing a buffer only to add to it.
    pub(crate) fn accumulate_or_assign(
        &mut self,
        input: Var,
        rule: impl FnOnce(&mut DMatrix<T>, &[Node<T>], bool),
    ) {
        if !self.needs_grad(input) {
            return;
        }
        let i = input.index as usize;
        let (rows, cols) = self.nodes[i].value.shape();
        let (mut g, fresh) = match self.grads[i].take() {
            Some(g) => (g, false),
            None => (self.pool.take(rows, cols), true),
        };
        rule(&mut g, &self.nodes, fresh);
        self.grads[i] = Some(g);
    }

    /// The value of node `var` inside a backward rule.
    pub(crate) fn val(nodes: &[Node<T>], var: Var) -> &DMatrix<T> {
        &nodes[var.index as usize].value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_reuses_buffers_instead_of_allocating() {
        let mut tape = Tape::<f32>::new();
        let x = tape.constant(&DMatrix::from_element(2, 3, 1.0));
        let p = tape.value(x).as_ptr();
        tape.reset();
        let y = tape.constant(&DMatrix::from_element(2, 3, 2.0));
        assert_eq!(tape.value(y).as_ptr(), p, "the 2×3 buffer should be reused");
        assert_eq!(tape.value(y)[(1, 2)], 2.0);
    }

    #[test]
    #[should_panic(expected = "reset after it was made")]
    fn a_stale_var_is_caught() {
        let mut tape = Tape::<f32>::new();
        let x = tape.constant(&DMatrix::zeros(1, 1));
        tape.reset();
        let _ = tape.value(x);
    }

    #[test]
    fn a_parameter_used_twice_gets_the_summed_gradient() {
        let p = Param::new(DMatrix::from_element(1, 1, 3.0f64));
        let mut tape = Tape::new();
        let a = tape.param(&p);
        let b = tape.param(&p);
        let y = tape.mul(a, b);
        let g = tape.backward(y);
        assert_eq!(g.get(&p).map(|g| g[(0, 0)]), Some(6.0));
    }

    #[test]
    fn constants_get_no_gradient() {
        let p = Param::new(DMatrix::from_element(1, 1, 2.0f64));
        let mut tape = Tape::new();
        let x = tape.constant(&DMatrix::from_element(1, 1, 5.0));
        let w = tape.param(&p);
        let y = tape.mul(x, w);
        let g = tape.backward(y);
        assert_eq!(g.len(), 1);
        assert_eq!(g.get(&p).map(|g| g[(0, 0)]), Some(5.0));
    }
}
