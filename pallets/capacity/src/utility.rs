//! Helpers shared by the feature files: ids, time, the caller's records, deposits, and how the
//! domain types' errors become the pallet's named errors.

use crate::{pallet::*, types::*, Config};
use frame::{
	arithmetic::Zero,
	prelude::*,
	traits::{fungible::MutateHold, tokens::Precision, UnixTime},
};
use grid_primitives::{
	contracts::{ContractState, ProviderId},
	registry::{ContractId, GridRegistry, TwinId},
};

impl<T: Config> Pallet<T> {
	pub(crate) fn twin_of(who: &T::AccountId) -> Result<TwinId, DispatchError> {
		T::Registry::twin_of(who).ok_or_else(|| Error::<T>::TwinNotFound.into())
	}

	/// The contract, if the caller's twin owns it.
	pub(crate) fn contract_of_owner(
		who: &T::AccountId,
		contract_id: ContractId,
	) -> Result<(TwinId, ContractOf<T>), DispatchError> {
		let twin_id = Self::twin_of(who)?;
		let contract = Contracts::<T>::get(contract_id).ok_or(Error::<T>::ContractNotFound)?;
		ensure!(contract.twin_id == twin_id, Error::<T>::NotContractOwner);
		Ok((twin_id, contract))
	}

	pub(crate) fn issue_contract_id() -> Result<ContractId, DispatchError> {
		let id = LastContractId::<T>::get().checked_add(1).ok_or(Error::<T>::IdOverflow)?;
		LastContractId::<T>::put(id);
		Ok(id)
	}

	/// Holds the deposit and stores a new contract with its twin index.
	pub(crate) fn insert_contract(
		who: &T::AccountId,
		twin_id: TwinId,
		contract_id: ContractId,
		kind: ContractKind,
		solution_provider: Option<ProviderId>,
	) -> DispatchResult {
		let count = TwinContractCount::<T>::get(twin_id);
		ensure!(count < T::MaxContractsPerTwin::get(), Error::<T>::TooManyContracts);
		let deposit = T::ContractDeposit::get();
		T::Currency::hold(&HoldReason::ContractDeposit.into(), who, deposit)?;
		TwinContractCount::<T>::insert(twin_id, count.saturating_add(1));
		ContractsOfTwin::<T>::insert(twin_id, contract_id, ());
		Contracts::<T>::insert(
			contract_id,
			Contract {
				twin_id,
				payer: who.clone(),
				kind,
				state: ContractState::Created,
				solution_provider,
				deposit,
				created_at: Self::now_secs(),
			},
		);
		Ok(())
	}

	/// Releases a deposit; a shortfall is an invariant breach, logged (`try_state` reports it)
	/// rather than blocking the release of everything else.
	pub(crate) fn release_deposit(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		match T::Currency::release(&reason.into(), who, amount, Precision::BestEffort) {
			Ok(released) if released == amount => {},
			other => log::error!(
				target: "runtime::capacity",
				"deposit release short: {reason:?} asked {amount:?}, got {other:?}"
			),
		}
	}

	/// Unix seconds now; 0 at genesis, where the chain has no time yet.
	pub(crate) fn now_secs() -> u64 {
		if frame_system::Pallet::<T>::block_number().is_zero() {
			return 0;
		}
		T::TimeProvider::now().as_secs()
	}
}

impl<T> From<LoadError> for Error<T> {
	fn from(e: LoadError) -> Self {
		match e {
			LoadError::NotEnoughCapacity => Error::NotEnoughCapacity,
			LoadError::TooManyContracts => Error::TooManyContractsOnNode,
			LoadError::Inconsistent => Error::InconsistentState,
		}
	}
}

impl<T> From<InputError> for Error<T> {
	fn from(e: InputError) -> Self {
		match e {
			InputError::InvalidName => Error::InvalidName,
			InputError::InvalidProviderShares => Error::InvalidProviderShares,
			InputError::DuplicateProviderAccount => Error::DuplicateProviderAccount,
			InputError::InvalidWindow => Error::InvalidWindow,
			InputError::ImplausibleTraffic => Error::ImplausibleTraffic,
		}
	}
}
