//! Unit tests: every call's success path and each of its errors, one file per feature; each
//! test ends with `try_state` (see [`crate::mock::test`]). `helpers` holds the builders and the
//! `assert_*` helpers that check every storage and balance delta of a call; refused calls go
//! through `assert_noop!` (storage root unchanged).

mod closing;
mod fuzz;
mod helpers;
mod proposals;
mod upgrade;
mod vetoes;
mod voting;

pub use helpers::*;
