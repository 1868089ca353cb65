//! What billing is told through `grid-primitives`: capacity's contract observer.

use crate::{charge::Charger, pallet::*, types::*, Config, WeightInfo};
use frame::prelude::*;
use grid_primitives::{
	contracts::{
		BillableKind, ContractLifecycle, ContractObserver, EndCause, NetworkRevenue, NetworkUsage,
	},
	money::Usd,
	registry::ContractId,
};

impl<T: Config> ContractObserver for Pallet<T> {
	/// Admits the payer (not in grace, no written-off debt, able to pay the first
	/// [`BillingParams::prepaid`] seconds of all its contracts with this one) and starts
	/// metering the contract.
	fn contract_created(contract: ContractId) -> DispatchResult {
		let Some(billable) = T::Contracts::billable(contract) else { return Ok(()) };
		let twin = billable.twin_id;
		let key = match billable.kind {
			BillableKind::Node { node_id, .. } | BillableKind::Rent { node_id, .. } => node_id,
			BillableKind::Name => twin,
		};
		let now = Self::now_secs();
		let mut ledger =
			Self::ledger(twin).unwrap_or_else(|| Self::new_payer(twin, billable.payer, key));
		let meter = Meter {
			since: now,
			traffic_billed: T::Network::contract_traffic(contract),
			debt: Due::default(),
			capacity_since: now,
		};
		// Its monthly cost at today's prices; with no price at all, nothing to check.
		let mut charger = Charger::<T>::any_price();
		let monthly = charger
			.as_mut()
			.and_then(|c| c.line(contract, meter, now, now, false, false))
			.map_or(Usd::ZERO, |line| line.monthly.total());
		ledger.monthly = ledger.monthly.plus(monthly);
		let all = charger.map(|c| c.to_planck(ledger.monthly));
		let free = Self::free_of(&ledger.account);
		ledger.admits(all, free, Params::<T>::get().prepaid).map_err(|r| match r {
			Refusal::InGrace => Error::<T>::PayerInGrace,
			Refusal::UnpaidDebt => Error::<T>::UnpaidDebt,
			Refusal::CannotPrepay => Error::<T>::CannotPrepay,
		})?;
		ledger.contracts = ledger.contracts.saturating_add(1);
		Self::put_ledger(twin, &ledger);
		Meters::<T>::insert(twin, contract, meter);
		MeterOwner::<T>::insert(contract, twin);
		Ok(())
	}

	fn settle(contract: ContractId) {
		Self::settle_contract(contract);
	}

	/// Its settlement (after its deposit came back) paid what it could: what it still owes is
	/// written off on its payer.
	fn contract_ended(contract: ContractId, _cause: EndCause) {
		let Some(twin) = MeterOwner::<T>::take(contract) else { return };
		let owed = Meters::<T>::take(twin, contract).map_or(0, |meter| meter.debt.total());
		if owed > 0 {
			Self::deposit_event(Event::DebtWrittenOff {
				contract_id: contract,
				twin_id: twin,
				amount: owed,
			});
		}
		let Some(mut ledger) = Self::ledger(twin) else { return };
		ledger.contracts = ledger.contracts.saturating_sub(1);
		ledger.written_off = ledger.written_off.saturating_add(owed);
		if ledger.contracts == 0 {
			ledger.grace_since = None;
			ledger.monthly = Usd::ZERO;
		}
		if ledger.is_empty() {
			Self::remove_payer(twin, &ledger);
		} else {
			Self::put_ledger(twin, &ledger);
		}
	}

	fn max_weight() -> Weight {
		// A settlement tells minting what the contract paid for its node's network.
		let settle = T::WeightInfo::settle().saturating_add(T::Revenue::collected_weight());
		T::WeightInfo::contract_created()
			.max(settle.saturating_add(T::WeightInfo::contract_ended()))
	}
}

impl<T: Config> Pallet<T> {
	/// Whether billing keeps a record for `twin` (contracts or committed TFT): such a twin must
	/// not be deleted or transferred, or its commitment would be out of its owner's reach.
	pub fn is_payer(twin: grid_primitives::registry::TwinId) -> bool {
		Self::ledger(twin).is_some()
	}
}
