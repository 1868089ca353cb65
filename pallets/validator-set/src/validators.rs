//! Adding and removing validators, and which of them count (those with session keys).

use crate::pallet::*;
use alloc::vec::Vec;
use frame::prelude::*;
use frame::traits::ValidatorRegistration;

impl<T: Config> Pallet<T> {
	/// Governance adds `who` directly (no application, no bond); returns the size of the set
	/// before, which the weight depends on. An applicant is approved or rejected instead, so
	/// that no validator has a pending application.
	pub(crate) fn do_add_validator(who: T::AccountId) -> Result<u32, DispatchError> {
		ensure!(!Applications::<T>::contains_key(&who), Error::<T>::ApplicationPending);
		Self::add_to_set(who)
	}

	/// Adds `who` to the set (directly or by an approved application); returns the size of the
	/// set before. Starts its authorship record at the session before the one it becomes
	/// active in: a change made in session `N` is active from `N + 2`.
	pub(crate) fn add_to_set(who: T::AccountId) -> Result<u32, DispatchError> {
		ensure!(T::KeysRegistration::is_registered(&who), Error::<T>::NoSessionKeys);
		let size_before = Validators::<T>::try_mutate(|set| -> Result<u32, DispatchError> {
			ensure!(!set.contains(&who), Error::<T>::AlreadyValidator);
			let size_before = set.len() as u32;
			set.try_push(who.clone()).map_err(|_| Error::<T>::TooManyValidators)?;
			Ok(size_before)
		})?;
		LastAuthored::<T>::insert(&who, CurrentSession::<T>::get().saturating_add(1));
		SetChanged::<T>::put(true);
		Self::deposit_event(Event::ValidatorAdded { who });
		Ok(size_before)
	}

	/// Removes `who` from the set unless fewer than `MinValidators` validators, or validators
	/// with session keys, would remain; returns the size of the set before, which the weight
	/// depends on. Reads the keys of every remaining validator. Drops its authorship record and
	/// releases any bond it holds.
	pub(crate) fn do_remove_validator(who: T::AccountId) -> Result<u32, DispatchError> {
		let size_before = Validators::<T>::try_mutate(|set| -> Result<u32, DispatchError> {
			let index = set.iter().position(|v| v == &who).ok_or(Error::<T>::NotValidator)?;
			let size_before = set.len() as u32;
			ensure!(size_before > T::MinValidators::get(), Error::<T>::TooFewValidators);
			set.remove(index);
			ensure!(
				Self::count_with_keys(set) >= T::MinValidators::get(),
				Error::<T>::TooFewValidatorsWithKeys
			);
			Ok(size_before)
		})?;
		LastAuthored::<T>::remove(&who);
		Self::release_all_bond(&who);
		SetChanged::<T>::put(true);
		Self::deposit_event(Event::ValidatorRemoved { who });
		Ok(size_before)
	}

	/// How many of `set` have registered session keys.
	pub(crate) fn count_with_keys(set: &[T::AccountId]) -> u32 {
		set.iter().filter(|v| T::KeysRegistration::is_registered(v)).count() as u32
	}

	/// The validators of [`Validators`] that have registered session keys, in set order.
	pub(crate) fn validators_with_keys() -> Vec<T::AccountId> {
		Validators::<T>::get()
			.into_iter()
			.filter(T::KeysRegistration::is_registered)
			.collect()
	}
}
