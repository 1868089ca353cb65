//! Unit tests against the real registry and capacity pallets. Each test ends with the three
//! pallets' `try_state` (see [`crate::mock::test`]).

mod charging;
mod discount;
mod exploits;
mod fuzz;
mod governance;
mod grace;
mod helpers;
mod migration;
mod views;

pub use helpers::*;
