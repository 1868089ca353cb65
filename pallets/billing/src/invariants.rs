//! `try_state`: every payer sits in its bucket and counts its meters; its commitment is what it
//! holds; a payer is in grace only with contracts, and every contract in grace has a payer in
//! grace; each meter belongs to a live contract and its owner index, and never charged its
//! capacity beyond the clock; the cursor points at a due bucket; the parameters are valid.

use crate::{pallet::*, Config, HoldReason};
use frame::{deps::sp_runtime::TryRuntimeError, prelude::*, traits::fungible::InspectHold};
use grid_primitives::contracts::{ContractLifecycle, ContractState};

impl<T: Config> Pallet<T> {
	/// Checks billing's storage invariants (payers, buckets, holds, meters, grace, cursor);
	/// `Err` names the first one broken. Run by `try_state` and the tests.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let pass = PassBlocks::<T>::get();
		ensure!(pass > 0 && pass <= T::MaxPassBlocks::get(), "pass blocks out of bounds");
		for (bucket, twin, ledger) in Payers::<T>::iter() {
			ensure!(ledger.bucket == bucket, "a payer in another bucket than its ledger says");
			ensure!(
				PayerBucket::<T>::get(twin) == Some(bucket),
				"a payer not indexed by its bucket"
			);
			ensure!(bucket < pass, "a payer in a bucket past the pass");
			let meters = Meters::<T>::iter_prefix(twin).count() as u32;
			ensure!(meters == ledger.contracts, "a payer's contract count differs from its meters");
			ensure!(!ledger.is_empty(), "an empty payer is kept");
			let held =
				T::Currency::balance_on_hold(&HoldReason::Commitment.into(), &ledger.account);
			ensure!(held == ledger.committed, "a commitment differs from the hold");
			ensure!(
				ledger.releasing.is_none_or(|r| r.amount <= ledger.committed),
				"a release above the commitment"
			);
			ensure!(
				ledger.grace_since.is_none() || ledger.contracts > 0,
				"grace without contracts"
			);
		}
		for (twin, bucket) in PayerBucket::<T>::iter() {
			ensure!(Payers::<T>::contains_key(bucket, twin), "a bucket index without its payer");
		}
		ensure!(Params::<T>::get().is_valid(), "invalid parameters");
		let now = Self::now_secs();
		for (twin, contract, meter) in Meters::<T>::iter() {
			ensure!(
				meter.capacity_since <= now.max(meter.since),
				"capacity charged ahead of the clock"
			);
			ensure!(
				MeterOwner::<T>::get(contract) == Some(twin),
				"a meter without its owner index"
			);
			ensure!(
				Self::ledger(twin).is_some(),
				"a meter without a payer: no run would charge it"
			);
			let billable =
				T::Contracts::billable(contract).ok_or("a meter of an ended contract")?;
			ensure!(billable.twin_id == twin, "a meter under another twin than its contract's");
			if matches!(billable.state, ContractState::GracePeriod { .. }) {
				let ledger = Self::ledger(twin).ok_or("no payer")?;
				ensure!(ledger.grace_since.is_some(), "a contract in grace whose payer is not");
			}
		}
		for (contract, twin) in MeterOwner::<T>::iter() {
			ensure!(Meters::<T>::contains_key(twin, contract), "an owner index without its meter");
		}
		for bucket in BucketCharged::<T>::iter_keys() {
			ensure!(bucket < pass, "a charged bucket outside the pass");
		}
		let cursor = Cursor::<T>::get();
		let block = u64::from(Self::current_block());
		ensure!(cursor.next <= block.saturating_add(1), "the cursor ran ahead of the blocks");
		Ok(())
	}
}
