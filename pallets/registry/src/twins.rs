//! Twins and the terms and conditions.

use crate::{pallet::*, types::*, Config};
use frame::prelude::*;
use grid_primitives::registry::{NodeUsage, TwinId};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_accept_terms(
		who: T::AccountId,
		link: TermsLink,
		hash: TermsHash,
	) -> DispatchResult {
		Terms::check(&link, &hash).map_err(Error::<T>::from)?;
		let accepted_at = Self::now_secs();
		AcceptedTerms::<T>::insert(
			&who,
			Terms { link: link.clone(), hash: hash.clone(), accepted_at },
		);
		Self::deposit_event(Event::TermsAccepted { who, link, hash });
		Ok(())
	}

	pub(crate) fn do_create_twin(
		who: &T::AccountId,
		relays: Relays,
		pk: Option<PublicKey>,
	) -> Result<TwinId, DispatchError> {
		ensure!(!TwinByAccount::<T>::contains_key(who), Error::<T>::TwinExists);
		Self::ensure_terms_accepted(who)?;
		check_relays(&relays).map_err(Error::<T>::from)?;
		check_public_key(&pk).map_err(Error::<T>::from)?;
		let twin_id = Self::issue_id::<LastTwinId<T>>()?;
		let deposit = T::TwinDeposit::get();
		Self::hold_deposit(HoldReason::TwinDeposit, who, deposit)?;
		LastTwinId::<T>::put(twin_id);
		Twins::<T>::insert(twin_id, Twin { account: who.clone(), relays, pk, farms: 0, deposit });
		TwinByAccount::<T>::insert(who, twin_id);
		Self::deposit_event(Event::TwinCreated { twin_id, account: who.clone() });
		Ok(twin_id)
	}

	pub(crate) fn do_update_twin(
		who: &T::AccountId,
		relays: Relays,
		pk: Option<PublicKey>,
	) -> DispatchResult {
		let (twin_id, mut twin) = Self::twin_of_caller(who)?;
		check_relays(&relays).map_err(Error::<T>::from)?;
		check_public_key(&pk).map_err(Error::<T>::from)?;
		twin.relays = relays;
		twin.pk = pk;
		Twins::<T>::insert(twin_id, twin);
		Self::deposit_event(Event::TwinUpdated { twin_id });
		Ok(())
	}

	pub(crate) fn do_delete_twin(who: &T::AccountId) -> DispatchResult {
		let (twin_id, twin) = Self::twin_of_caller(who)?;
		ensure!(twin.farms == 0, Error::<T>::TwinOwnsFarms);
		ensure!(!NodeByTwin::<T>::contains_key(twin_id), Error::<T>::TwinIsNode);
		ensure!(!T::Usage::twin_has_contracts(twin_id), Error::<T>::TwinHasContracts);
		Twins::<T>::remove(twin_id);
		TwinByAccount::<T>::remove(who);
		TwinTransfers::<T>::remove(twin_id);
		AcceptedTerms::<T>::remove(who);
		Self::release_deposit(HoldReason::TwinDeposit, who, twin.deposit);
		Self::deposit_event(Event::TwinDeleted { twin_id });
		Ok(())
	}

	/// `who` accepted the terms, when the runtime requires it.
	pub(crate) fn ensure_terms_accepted(who: &T::AccountId) -> DispatchResult {
		ensure!(
			!T::RequireTerms::get() || AcceptedTerms::<T>::contains_key(who),
			Error::<T>::TermsNotAccepted
		);
		Ok(())
	}
}
