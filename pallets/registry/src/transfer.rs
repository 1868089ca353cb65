//! Two-step transfer of a twin, and so of its farms, to another account.
//!
//! The owner offers the twin to an account; nothing moves until that account accepts. Then the
//! new account holds the twin's and its farms' deposits and the old account's are released, so
//! each account pays for the state while it owns it. A node's twin is the machine's identity
//! and is never transferred; a twin with contracts is not either (their payments are bound to
//! the paying account).

use crate::{pallet::*, Config};
use frame::prelude::*;
use grid_primitives::registry::{NodeUsage, TwinId};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_propose_twin_transfer(who: &T::AccountId, to: T::AccountId) -> DispatchResult {
		let (twin_id, _) = Self::twin_of_caller(who)?;
		ensure!(!NodeByTwin::<T>::contains_key(twin_id), Error::<T>::TwinIsNode);
		ensure!(*who != to, Error::<T>::TransferToSelf);
		TwinTransfers::<T>::insert(twin_id, &to);
		Self::deposit_event(Event::TwinTransferProposed { twin_id, from: who.clone(), to });
		Ok(())
	}

	pub(crate) fn do_cancel_twin_transfer(who: &T::AccountId) -> DispatchResult {
		let (twin_id, _) = Self::twin_of_caller(who)?;
		ensure!(TwinTransfers::<T>::take(twin_id).is_some(), Error::<T>::NoTransferOffer);
		Self::deposit_event(Event::TwinTransferCancelled { twin_id });
		Ok(())
	}

	/// Moves the twin to `who`; returns how many farms moved with it (for the actual weight).
	pub(crate) fn do_accept_twin_transfer(
		who: &T::AccountId,
		twin_id: TwinId,
	) -> Result<u32, DispatchError> {
		let offered_to = TwinTransfers::<T>::get(twin_id).ok_or(Error::<T>::NoTransferOffer)?;
		ensure!(offered_to == *who, Error::<T>::NotTransferTarget);
		ensure!(!TwinByAccount::<T>::contains_key(who), Error::<T>::TwinExists);
		Self::ensure_terms_accepted(who)?;
		let mut twin = Twins::<T>::get(twin_id).ok_or(Error::<T>::TwinNotFound)?;
		ensure!(!NodeByTwin::<T>::contains_key(twin_id), Error::<T>::TwinIsNode);
		ensure!(!T::Usage::twin_has_contracts(twin_id), Error::<T>::TwinHasContracts);
		let from = twin.account.clone();
		// Read every farm before changing anything: holds and writes happen only once all
		// checks passed (the call is transactional, so a failed hold rolls everything back).
		let farms: alloc::vec::Vec<_> = FarmsOfTwin::<T>::iter_key_prefix(twin_id)
			.filter_map(|farm_id| Farms::<T>::get(farm_id).map(|farm| (farm_id, farm)))
			.collect();
		Self::move_deposit(HoldReason::TwinDeposit, &from, who, twin.deposit)?;
		for (farm_id, mut farm) in farms.iter().cloned() {
			Self::move_deposit(HoldReason::FarmDeposit, &from, who, farm.deposit)?;
			if farm.payout == from {
				farm.payout = who.clone();
				Farms::<T>::insert(farm_id, farm);
				Self::deposit_event(Event::FarmPayoutSet { farm_id, payout: who.clone() });
			}
		}
		twin.account = who.clone();
		Twins::<T>::insert(twin_id, twin);
		TwinByAccount::<T>::remove(&from);
		TwinByAccount::<T>::insert(who, twin_id);
		TwinTransfers::<T>::remove(twin_id);
		AcceptedTerms::<T>::remove(&from);
		Self::deposit_event(Event::TwinTransferred { twin_id, from, to: who.clone() });
		Ok(farms.len() as u32)
	}
}
