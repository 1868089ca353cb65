//! The logic behind the dispatchables, and the pallet's invariants.

use crate::{pallet::*, SessionSchedule};
use frame::prelude::*;
use frame::traits::ValidatorRegistration;

impl<T: Config> Pallet<T> {
	/// Adds `who`; returns the size of the set before, which the weight depends on.
	pub(crate) fn do_add_validator(who: T::AccountId) -> Result<u32, DispatchError> {
		ensure!(T::KeysRegistration::is_registered(&who), Error::<T>::NoSessionKeys);
		let size_before = Validators::<T>::try_mutate(|set| -> Result<u32, DispatchError> {
			ensure!(!set.contains(&who), Error::<T>::AlreadyValidator);
			let size_before = set.len() as u32;
			set.try_push(who.clone()).map_err(|_| Error::<T>::TooManyValidators)?;
			Ok(size_before)
		})?;
		SetChanged::<T>::put(true);
		Self::deposit_event(Event::ValidatorAdded { who });
		Ok(size_before)
	}

	/// Removes `who`; returns the size of the set before, which the weight depends on.
	pub(crate) fn do_remove_validator(who: T::AccountId) -> Result<u32, DispatchError> {
		let size_before = Validators::<T>::try_mutate(|set| -> Result<u32, DispatchError> {
			let index = set.iter().position(|v| v == &who).ok_or(Error::<T>::NotValidator)?;
			ensure!(set.len() as u32 > T::MinValidators::get(), Error::<T>::TooFewValidators);
			let size_before = set.len() as u32;
			set.remove(index);
			Ok(size_before)
		})?;
		SetChanged::<T>::put(true);
		Self::deposit_event(Event::ValidatorRemoved { who });
		Ok(size_before)
	}

	pub(crate) fn do_set_session_length(length: BlockNumberFor<T>) -> DispatchResult {
		let schedule = SessionSchedule { length, ..Schedule::<T>::get() };
		ensure!(Self::length_allowed(&schedule), Error::<T>::SessionLengthOutOfBounds);
		Schedule::<T>::put(schedule);
		Self::deposit_event(Event::SessionLengthSet { length });
		Ok(())
	}

	/// Whether the schedule's length is within `MinSessionLength..=MaxSessionLength`.
	pub(crate) fn length_allowed(schedule: &SessionSchedule<BlockNumberFor<T>>) -> bool {
		schedule.length_within(T::MinSessionLength::get(), T::MaxSessionLength::get())
	}

	/// Whether no account appears twice in `set`.
	pub(crate) fn all_distinct(set: &[T::AccountId]) -> bool {
		let mut sorted = set.to_vec();
		sorted.sort();
		sorted.dedup();
		sorted.len() == set.len()
	}

	/// Invariants: the set is within bounds and has no duplicates; the schedule is valid and
	/// its session did not start in the future.
	pub fn do_try_state() -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
		let set = Validators::<T>::get();
		ensure!(
			set.len() as u32 >= T::MinValidators::get(),
			"validator set smaller than MinValidators"
		);
		ensure!(Self::all_distinct(&set), "duplicate validator in the set");
		let schedule = Schedule::<T>::get();
		ensure!(Self::length_allowed(&schedule), "session length out of bounds");
		ensure!(
			schedule.started_at <= frame_system::Pallet::<T>::block_number(),
			"session started in the future"
		);
		Ok(())
	}
}
