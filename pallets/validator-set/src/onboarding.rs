//! Joining by application: an operator applies with a bond, governance approves or rejects the
//! application, the operator may withdraw it. The bond is a fungible hold under
//! [`HoldReason::ValidatorBond`], kept while the approved applicant validates.

use crate::{pallet::*, Application};
use alloc::vec::Vec;
use frame::{
	prelude::*,
	traits::{
		fungible::{InspectHold, MutateHold},
		tokens::Precision,
		ValidatorRegistration,
	},
};

impl<T: Config> Pallet<T> {
	/// `who` applies to validate, offering `bond`; checks everything before holding the bond
	/// and storing the application.
	pub(crate) fn do_apply(
		who: T::AccountId,
		description: Vec<u8>,
		bond: BalanceOf<T>,
	) -> DispatchResult {
		let description = DescriptionOf::<T>::try_from(description)
			.map_err(|_| Error::<T>::DescriptionTooLong)?;
		ensure!(T::KeysRegistration::is_registered(&who), Error::<T>::NoSessionKeys);
		ensure!(!Validators::<T>::get().contains(&who), Error::<T>::AlreadyValidator);
		ensure!(!Applications::<T>::contains_key(&who), Error::<T>::AlreadyApplied);
		ensure!(bond >= T::MinBond::get(), Error::<T>::BondTooLow);
		ensure!(
			Applications::<T>::count() < T::MaxApplications::get(),
			Error::<T>::TooManyApplications
		);
		Self::hold_bond(&who, bond)?;
		let applied_at = frame_system::Pallet::<T>::block_number();
		Applications::<T>::insert(&who, Application { description, bond, applied_at });
		Self::deposit_event(Event::ApplicationFiled { who, bond });
		Ok(())
	}

	/// `who` withdraws its application; its bond is released.
	pub(crate) fn do_withdraw_application(who: T::AccountId) -> DispatchResult {
		let application = Applications::<T>::take(&who).ok_or(Error::<T>::NoApplication)?;
		Self::release_bond(&who, application.bond);
		Self::deposit_event(Event::ApplicationWithdrawn { who });
		Ok(())
	}

	/// Governance approves `who`'s application: `who` is added to the set (which checks its keys
	/// and the room left) and the application removed; the bond stays held. Returns the size of
	/// the set before, which the weight depends on.
	pub(crate) fn do_approve_application(who: T::AccountId) -> Result<u32, DispatchError> {
		ensure!(Applications::<T>::contains_key(&who), Error::<T>::NoApplication);
		let size_before = Self::add_to_set(who.clone())?;
		Applications::<T>::remove(&who);
		Self::deposit_event(Event::ApplicationApproved { who });
		Ok(size_before)
	}

	/// Governance rejects `who`'s application; its bond is released.
	pub(crate) fn do_reject_application(who: T::AccountId) -> DispatchResult {
		let application = Applications::<T>::take(&who).ok_or(Error::<T>::NoApplication)?;
		Self::release_bond(&who, application.bond);
		Self::deposit_event(Event::ApplicationRejected { who });
		Ok(())
	}

	/// Holds `amount` from `who`; fails, changing nothing, if `who` cannot afford it and keep
	/// its existential deposit. A zero bond holds nothing.
	fn hold_bond(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::hold(&HoldReason::ValidatorBond.into(), who, amount)
	}

	/// Releases an application's bond. The pallet is the only holder under its reason, so this
	/// releases exactly `amount`; a shortfall would be an invariant breach and is logged rather
	/// than blocking the withdrawal or rejection (`try_state` reports it).
	fn release_bond(who: &T::AccountId, amount: BalanceOf<T>) {
		if amount.is_zero() {
			return;
		}
		match T::Currency::release(
			&HoldReason::ValidatorBond.into(),
			who,
			amount,
			Precision::BestEffort,
		) {
			Ok(released) if released == amount => {},
			other => log::error!(
				target: "runtime::validator-set",
				"bond release short: asked {amount:?}, got {other:?}"
			),
		}
	}

	/// Releases whatever `who` holds under [`HoldReason::ValidatorBond`] (a removed validator's
	/// bond; nothing for a validator added without one).
	pub(crate) fn release_all_bond(who: &T::AccountId) {
		let reason = HoldReason::ValidatorBond.into();
		let held = T::Currency::balance_on_hold(&reason, who);
		if held.is_zero() {
			return;
		}
		if let Err(e) = T::Currency::release(&reason, who, held, Precision::Exact) {
			log::error!(target: "runtime::validator-set", "bond release failed: {e:?}");
		}
	}
}
