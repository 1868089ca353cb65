//! Genesis: the first validators and the session schedule.
//!
//! Genesis cannot return an error: a bad preset must abort chain-spec building, so these
//! functions panic (at genesis only).

use crate::{pallet::*, SessionSchedule};
use alloc::vec::Vec;
use frame::prelude::*;
use frame::traits::ValidatorRegistration;
use grid_primitives::all_distinct;

impl<T: Config> Pallet<T> {
	/// Stores the initial validators and the schedule of session 0 (starting at block 0).
	pub(crate) fn build_genesis(
		initial_validators: &[T::AccountId],
		session_length: BlockNumberFor<T>,
	) {
		assert!(
			initial_validators.len() as u32 <= T::MaxValidators::get(),
			"validator-set genesis: more initial validators than MaxValidators"
		);
		let validators =
			BoundedVec::<_, T::MaxValidators>::truncate_from(initial_validators.to_vec());
		// An empty set is only for the default (test) config; a chain spec that lists
		// validators must list enough.
		assert!(
			validators.is_empty() || validators.len() as u32 >= T::MinValidators::get(),
			"validator-set genesis: fewer initial validators than MinValidators"
		);
		assert!(all_distinct(&validators), "validator-set genesis: duplicate initial validator");
		let schedule = SessionSchedule::new(session_length, Zero::zero());
		assert!(
			Self::length_allowed(&schedule),
			"validator-set genesis: session_length outside MinSessionLength..=MaxSessionLength"
		);
		// The genesis validators author from session 0: their record starts there.
		for who in &validators {
			LastAuthored::<T>::insert(who, 0);
		}
		Validators::<T>::put(validators);
		Schedule::<T>::put(schedule);
	}

	/// The validators of sessions 0 and 1, asked by pallet-session while it builds its genesis,
	/// after it stored `session.keys` (this pallet's genesis was built before). Every initial
	/// validator must have keys there. An empty set (test configs) leaves the choice to
	/// pallet-session (the owners of `session.keys`).
	pub(crate) fn genesis_session_validators() -> Option<Vec<T::AccountId>> {
		let validators = Validators::<T>::get().into_inner();
		if validators.is_empty() {
			return None;
		}
		assert!(
			validators.iter().all(T::KeysRegistration::is_registered),
			"validator-set genesis: an initial validator has no session keys in `session.keys`"
		);
		Some(validators)
	}
}
