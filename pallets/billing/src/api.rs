//! What billing is told through `grid-primitives`: capacity's contract observer.

use crate::{pallet::*, types::*, Config, WeightInfo};
use frame::prelude::*;
use grid_primitives::{
	contracts::{BillableKind, ContractLifecycle, ContractObserver, EndCause, NetworkUsage},
	registry::ContractId,
};

impl<T: Config> ContractObserver for Pallet<T> {
	fn contract_created(contract: ContractId) {
		let Some(billable) = T::Contracts::billable(contract) else { return };
		let twin = billable.twin_id;
		let key = match billable.kind {
			BillableKind::Node { node_id, .. } | BillableKind::Rent { node_id, .. } => node_id,
			BillableKind::Name => twin,
		};
		let mut ledger =
			Self::ledger(twin).unwrap_or_else(|| Self::new_payer(twin, billable.payer, key));
		ledger.contracts = ledger.contracts.saturating_add(1);
		Self::put_ledger(twin, &ledger);
		let meter = Meter {
			since: Self::now_secs(),
			traffic_billed: T::Network::contract_traffic(contract),
			debt: Due::default(),
		};
		Meters::<T>::insert(twin, contract, meter);
		MeterOwner::<T>::insert(contract, twin);
	}

	fn settle(contract: ContractId) {
		Self::settle_contract(contract);
	}

	fn contract_ended(contract: ContractId, _cause: EndCause) {
		let Some(twin) = MeterOwner::<T>::take(contract) else { return };
		if let Some(meter) = Meters::<T>::take(twin, contract) {
			let amount = meter.debt.total();
			if amount > 0 {
				Self::deposit_event(Event::DebtWrittenOff {
					contract_id: contract,
					twin_id: twin,
					amount,
				});
			}
		}
		let Some(mut ledger) = Self::ledger(twin) else { return };
		ledger.contracts = ledger.contracts.saturating_sub(1);
		if ledger.contracts == 0 {
			ledger.grace_since = None;
		}
		if ledger.is_empty() {
			Self::remove_payer(twin, &ledger);
		} else {
			Self::put_ledger(twin, &ledger);
		}
	}

	fn max_weight() -> Weight {
		T::WeightInfo::contract_created()
			.max(T::WeightInfo::settle().saturating_add(T::WeightInfo::contract_ended()))
	}
}

impl<T: Config> Pallet<T> {
	/// Whether billing keeps a record for `twin` (contracts or committed TFT): such a twin must
	/// not be deleted or transferred, or its commitment would be out of its owner's reach.
	pub fn is_payer(twin: grid_primitives::registry::TwinId) -> bool {
		Self::ledger(twin).is_some()
	}
}
