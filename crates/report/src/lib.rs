//! `vaelab-report`: the study's report pages, built from plain data (here: the latent explorer).

pub mod explorer;
