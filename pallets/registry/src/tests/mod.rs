//! Unit tests: every call's success path and each of its errors, one file per feature; each
//! test ends with `try_state` (see [`crate::mock::test`]). `helpers` holds the builders and the
//! `assert_*` helpers that check every storage and balance delta of a call.

mod farms;
mod fuzz;
mod governance;
mod helpers;
mod ips;
mod nodes;
mod power;
mod transfer;
mod twins;

pub use helpers::*;
