//! How pallet-session sees this pallet: session manager, session end and rotation estimate.

use crate::pallet::*;
use alloc::vec::Vec;
use frame::arithmetic::Permill;
use frame::prelude::*;
use frame::traits::EstimateNextSessionRotation;

impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(new_index: u32) -> Option<Vec<T::AccountId>> {
		// Called when a session starts: the new session's clock starts now.
		let now = frame_system::Pallet::<T>::block_number();
		Schedule::<T>::mutate(|s| s.started_at = now);
		if !SetChanged::<T>::take() {
			return None;
		}
		let set = Validators::<T>::get().into_inner();
		Self::deposit_event(Event::NewSetPlanned { session: new_index, count: set.len() as u32 });
		Some(set)
	}

	fn new_session_genesis(_new_index: u32) -> Option<Vec<T::AccountId>> {
		Some(Validators::<T>::get().into_inner())
	}

	fn end_session(_end_index: u32) {}
	fn start_session(_start_index: u32) {}
}

impl<T: Config> pallet_session::ShouldEndSession<BlockNumberFor<T>> for Pallet<T> {
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
