//! `vaelab`: one import for the whole workspace.
//!
//! This facade re-exports the layer crates under short names so that a user can
//! write `use vaelab::mnist;` instead of depending on each `vaelab-*` crate. It
//! adds no code of its own; it also owns the end-to-end tests in `tests/`.

pub use vaelab_mnist as mnist;
