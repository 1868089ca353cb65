//! How pallet-session sees this pallet (session manager, session end, rotation estimate), and
//! the session length governance sets.

use crate::{pallet::*, SessionSchedule};
use alloc::vec::Vec;
use frame::arithmetic::Permill;
use frame::prelude::*;
use frame::traits::EstimateNextSessionRotation;

impl<T: Config> Pallet<T> {
	/// A session has just started; pallet-session asks for the set of session `new_index` (the
	/// next one). Restarts the session clock and, if the set changed, plans the validators that
	/// have session keys, or defers the change when none has (never an empty set).
	pub(crate) fn do_new_session(new_index: u32) -> Option<Vec<T::AccountId>> {
		let now = frame_system::Pallet::<T>::block_number();
		Schedule::<T>::mutate(|s| s.started_at = now);
		if !SetChanged::<T>::get() {
			return None;
		}
		let planned = Self::validators_with_keys();
		if planned.is_empty() {
			// pallet-session keeps the current validators; `SetChanged` stays set: retried at
			// the next boundary.
			Self::deposit_event(Event::SetChangeDeferred { session: new_index });
			return None;
		}
		SetChanged::<T>::kill();
		Self::deposit_event(Event::NewSetPlanned {
			session: new_index,
			count: planned.len() as u32,
		});
		Some(planned)
	}

	/// Sets the session length (of the current session already).
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
}

impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(new_index: u32) -> Option<Vec<T::AccountId>> {
		Self::do_new_session(new_index)
	}

	fn new_session_genesis(_new_index: u32) -> Option<Vec<T::AccountId>> {
		Self::genesis_session_validators()
	}

	fn end_session(_end_index: u32) {}

	/// Records the session and reports the inactive validators (`inactivity.rs`).
	///
	/// Weight: pallet-session calls this (and `new_session`) from its `on_initialize` only when
	/// it rotates the session, and then reports the block's full weight
	/// (`T::BlockWeights::get().max_block`, pallet-session 50.0.0 of the 2609 cohort,
	/// `Hooks::on_initialize`). The bounded work here (at most `MaxValidators` reads and events)
	/// is within that charge, so it needs no weight of its own.
	fn start_session(start_index: u32) {
		Self::do_start_session(start_index)
	}
}

impl<T: Config> pallet_session::ShouldEndSession<BlockNumberFor<T>> for Pallet<T> {
	/// Called by pallet-session every block; the read is registered by `on_initialize`.
	fn should_end_session(now: BlockNumberFor<T>) -> bool {
		Schedule::<T>::get().is_due(now)
	}
}

impl<T: Config> EstimateNextSessionRotation<BlockNumberFor<T>> for Pallet<T> {
	fn average_session_length() -> BlockNumberFor<T> {
		Schedule::<T>::get().length
	}

	fn estimate_current_session_progress(now: BlockNumberFor<T>) -> (Option<Permill>, Weight) {
		(Some(Schedule::<T>::get().progress(now)), T::DbWeight::get().reads(1))
	}

	fn estimate_next_session_rotation(
		_now: BlockNumberFor<T>,
	) -> (Option<BlockNumberFor<T>>, Weight) {
		(Some(Schedule::<T>::get().next_rotation()), T::DbWeight::get().reads(1))
	}
}
