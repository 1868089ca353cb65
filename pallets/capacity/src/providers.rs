//! Solution providers: created by anyone, approved by governance, attached to contracts once.

use crate::{pallet::*, types::*, Config};
use frame::{prelude::*, traits::fungible::MutateHold};
use grid_primitives::{
	contracts::{ContractObserver, ProviderId},
	registry::ContractId,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_create_solution_provider(
		who: &T::AccountId,
		description: ProviderDescription,
		shares: SharesOf<T>,
	) -> Result<ProviderId, DispatchError> {
		check_shares(&shares).map_err(Error::<T>::from)?;
		let provider_id =
			LastProviderId::<T>::get().checked_add(1).ok_or(Error::<T>::IdOverflow)?;
		let deposit = T::ProviderDeposit::get();
		T::Currency::hold(&HoldReason::ProviderDeposit.into(), who, deposit)?;
		LastProviderId::<T>::put(provider_id);
		Providers::<T>::insert(
			provider_id,
			SolutionProvider { owner: who.clone(), description, shares, approved: false, deposit },
		);
		Self::deposit_event(Event::SolutionProviderCreated { provider_id, owner: who.clone() });
		Ok(provider_id)
	}

	pub(crate) fn do_approve_solution_provider(
		provider_id: ProviderId,
		approved: bool,
	) -> DispatchResult {
		Providers::<T>::try_mutate(provider_id, |p| {
			let p = p.as_mut().ok_or(Error::<T>::ProviderNotFound)?;
			p.approved = approved;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::SolutionProviderApproved { provider_id, approved });
		Ok(())
	}

	pub(crate) fn do_attach_solution_provider(
		who: &T::AccountId,
		contract_id: ContractId,
		provider_id: ProviderId,
	) -> DispatchResult {
		let (_, mut contract) = Self::contract_of_owner(who, contract_id)?;
		ensure!(contract.solution_provider.is_none(), Error::<T>::ProviderAlreadyAttached);
		Self::ensure_provider(Some(provider_id))?;
		// Bills up to now are settled without the provider.
		T::Billing::settle(contract_id);
		contract.solution_provider = Some(provider_id);
		Contracts::<T>::insert(contract_id, contract);
		Self::deposit_attached(contract_id, provider_id);
		Ok(())
	}

	pub(crate) fn do_remove_solution_provider(
		who: &T::AccountId,
		provider_id: ProviderId,
	) -> DispatchResult {
		let provider = Providers::<T>::get(provider_id).ok_or(Error::<T>::ProviderNotFound)?;
		ensure!(provider.owner == *who, Error::<T>::NotProviderOwner);
		Providers::<T>::remove(provider_id);
		Self::release_deposit(HoldReason::ProviderDeposit, who, provider.deposit);
		Self::deposit_event(Event::SolutionProviderRemoved { provider_id });
		Ok(())
	}

	/// Announces that `provider_id` shares in the bills of `contract_id`.
	pub(crate) fn deposit_attached(contract_id: ContractId, provider_id: ProviderId) {
		let contract = Contracts::<T>::get(contract_id);
		Self::deposit_event(Event::SolutionProviderAttached {
			contract_id,
			twin_id: contract.as_ref().map(|c| c.twin_id).unwrap_or_default(),
			node_id: contract.and_then(|c| c.kind.node_id()),
			provider_id,
		});
	}

	/// `Ok` for no provider or an approved one.
	pub(crate) fn ensure_provider(provider: Option<ProviderId>) -> DispatchResult {
		let Some(id) = provider else { return Ok(()) };
		let p = Providers::<T>::get(id).ok_or(Error::<T>::ProviderNotFound)?;
		ensure!(p.approved, Error::<T>::ProviderNotApproved);
		Ok(())
	}
}
