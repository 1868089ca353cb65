//! Inactivity: the session in which each validator last authored a block, and the validators
//! reported at a session boundary for having authored none in `InactivityThreshold` sessions.

use crate::pallet::*;
use frame::prelude::*;

impl<T: Config> Pallet<T> {
	/// `who` authored the current block: records the current session as the last it authored
	/// in, if `who` is a validator (only validators have a [`LastAuthored`] entry, so storage
	/// stays bounded). Never lowers the record (a validator added again while still authoring
	/// keeps the session before it becomes active). At most 2 reads and 1 write, registered by
	/// `on_initialize`.
	pub(crate) fn do_note_author(who: &T::AccountId) {
		let Some(last) = LastAuthored::<T>::get(who) else { return };
		let session = CurrentSession::<T>::get();
		if last < session {
			LastAuthored::<T>::insert(who, session);
		}
	}

	/// Session `start_index` has started: records it and reports every validator that authored
	/// no block in the last `InactivityThreshold` or more sessions that ended (up to
	/// `start_index - 1`). One read of [`Validators`] and of [`LastAuthored`] per validator (at
	/// most `MaxValidators`), one write, at most `MaxValidators` events.
	pub(crate) fn do_start_session(start_index: u32) {
		CurrentSession::<T>::put(start_index);
		let last_ended = start_index.saturating_sub(1);
		let threshold = T::InactivityThreshold::get();
		for who in Validators::<T>::get() {
			let Some(last) = LastAuthored::<T>::get(&who) else { continue };
			let idle = last_ended.saturating_sub(last);
			if idle >= threshold {
				Self::deposit_event(Event::ValidatorInactive { who, sessions: idle });
			}
		}
	}

	/// How many sessions ended since `who` last authored a block (or since it became active);
	/// `None` if `who` is not a validator.
	pub(crate) fn idle_sessions_of(who: &T::AccountId) -> Option<u32> {
		let last_ended = CurrentSession::<T>::get().saturating_sub(1);
		LastAuthored::<T>::get(who).map(|last| last_ended.saturating_sub(last))
	}
}

/// The runtime's `pallet_authorship::Config::EventHandler`: pallet-authorship calls it from its
/// `on_initialize` with the block's author.
impl<T: Config> pallet_authorship::EventHandler<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn note_author(author: T::AccountId) {
		Self::do_note_author(&author);
	}
}
