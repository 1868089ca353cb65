//! Unit tests against the real registry: the reference's worked example to the planck, every
//! uptime rule as a scenario, policies, claims, and random report sequences. Each test ends
//! with both pallets' `try_state` (see [`crate::mock::test`]).

mod claims;
mod exploits;
mod fuzz;
mod governance;
mod helpers;
mod migration;
mod policies;
mod rewards;
mod uptime;

pub use helpers::*;
