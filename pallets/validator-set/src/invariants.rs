//! `try_state`: the pallet's invariants, checked after every test and by try-runtime.

use crate::pallet::*;
use frame::{deps::sp_runtime::TryRuntimeError, prelude::*, traits::fungible::InspectHold};
use grid_primitives::all_distinct;

impl<T: Config> Pallet<T> {
	/// - the set is within `MaxValidators` and has no duplicates;
	/// - unless the set is empty (test configs), at least `MinValidators` of its validators have
	///   session keys (this fails too when validators purged their own keys: the chain is then
	///   about to lose its authors);
	/// - the session length is within bounds and the current session did not start in the
	///   future;
	/// - at most `MaxApplications` applications are pending, the counter matches them, no
	///   applicant is a validator and each applicant holds at least its bond under
	///   `ValidatorBond` (that nobody else holds one cannot be checked here: the fungible traits
	///   do not list holders; the unit tests check it against pallet-balances);
	/// - [`LastAuthored`] has an entry for each validator and for nobody else, none beyond the
	///   session after the current one.
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

		let count = Applications::<T>::count();
		ensure!(count <= T::MaxApplications::get(), "more applications than MaxApplications");
		let mut listed = 0u32;
		for (who, application) in Applications::<T>::iter() {
			listed = listed.saturating_add(1);
			ensure!(!set.contains(&who), "a validator has a pending application");
			let held = T::Currency::balance_on_hold(&HoldReason::ValidatorBond.into(), &who);
			ensure!(held >= application.bond, "an applicant holds less than its bond");
		}
		ensure!(listed == count, "the application counter does not match the applications");

		let next_session = CurrentSession::<T>::get().saturating_add(1);
		let mut recorded = 0usize;
		for (who, last) in LastAuthored::<T>::iter() {
			recorded = recorded.saturating_add(1);
			ensure!(set.contains(&who), "an authorship record of a non-validator");
			ensure!(last <= next_session, "an authorship record in the future");
		}
		ensure!(recorded == set.len(), "a validator without an authorship record");
		Ok(())
	}
}
