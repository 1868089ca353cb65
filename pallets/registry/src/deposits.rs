//! Storage deposits: held with a fungible hold while a twin, farm or node exists.

use crate::{pallet::*, Config};
use frame::{
	prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};

impl<T: Config> Pallet<T> {
	/// Hold `amount` from `who`; fails (changing nothing) if `who` cannot afford it.
	pub(crate) fn hold_deposit(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		T::Currency::hold(&reason.into(), who, amount)
	}

	/// Release a deposit taken by [`Self::hold_deposit`]. The whole amount is held under our
	/// reason, so this releases exactly `amount`; a shortfall would be an invariant breach and is
	/// logged rather than blocking the removal (`try_state` reports it).
	pub(crate) fn release_deposit(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		match T::Currency::release(&reason.into(), who, amount, Precision::BestEffort) {
			Ok(released) if released == amount => {},
			other => log::error!(
				target: "runtime::registry",
				"deposit release short: {reason:?} asked {amount:?}, got {other:?}"
			),
		}
	}

	/// The deposit `from` holds becomes `to`'s: released to `from`, then held from `to`. Fails
	/// when `to` cannot afford it; the caller's call is then rolled back as a whole.
	pub(crate) fn move_deposit(
		reason: HoldReason,
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		Self::release_deposit(reason, from, amount);
		Self::hold_deposit(reason, to, amount)
	}
}
