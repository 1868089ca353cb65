//! Unit tests against the real registry: every call's success and each error, tfchain's defects
//! as scenarios that pass here, and random call sequences across both pallets. Each test ends
//! with both pallets' `try_state` (see [`crate::mock::test`]).

mod contracts;
mod exploits;
mod fuzz;
mod helpers;
mod migration;
mod reports;

pub use helpers::*;
