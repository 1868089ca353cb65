//! `try_state`: the pallet's invariants, checked after every test and by try-runtime.

use crate::pallet::*;
use frame::{deps::sp_runtime::TryRuntimeError, prelude::*};
use grid_primitives::all_distinct;

impl<T: Config> Pallet<T> {
	/// - the set is within `MaxValidators` and has no duplicates;
	/// - unless the set is empty (test configs), at least `MinValidators` of its validators have
	///   session keys (this fails too when validators purged their own keys: the chain is then
	///   about to lose its authors);
	/// - the session length is within bounds and the current session did not start in the
	///   future.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let set = Validators::<T>::get();
		ensure!(set.len() as u32 <= T::MaxValidators::get(), "more validators than MaxValidators");
		ensure!(all_distinct(&set), "duplicate validator in the set");
		ensure!(
			set.is_empty() || Self::count_with_keys(&set) >= T::MinValidators::get(),
			"fewer than MinValidators validators with session keys"
		);
		let schedule = Schedule::<T>::get();
		ensure!(Self::length_allowed(&schedule), "session length out of bounds");
		ensure!(
			schedule.started_at <= frame_system::Pallet::<T>::block_number(),
			"session started in the future"
		);
		Ok(())
	}
}
