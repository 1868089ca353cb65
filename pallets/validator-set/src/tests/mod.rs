//! Unit tests: every call's success path and each of its errors, the session manager, genesis
//! and the invariants. Successful calls go through the `assert_*` helpers, which check every
//! storage delta; refused calls through `assert_noop!` (storage root unchanged). Every test runs
//! in [`run_test`], which ends with `do_try_state`.

mod helpers;
mod inactivity;
mod invariants;
mod migration;
mod onboarding;
mod sessions;
mod validators;

use crate::{mock::*, pallet::*, Application, SessionSchedule};
use frame::testing_prelude::*;
use helpers::*;
