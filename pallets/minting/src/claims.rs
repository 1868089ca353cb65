//! Claims: unclaimed receipts are paid by minting TFT to the farm's payout account.

use crate::{pallet::*, Config};
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use frame::prelude::*;
use grid_primitives::registry::{FarmId, GridRegistry, NodeId};

impl<T: Config> Pallet<T> {
	/// Pays at most `max` unclaimed receipts of `farm_id` (of one node, or of any); returns how
	/// many were paid. Each payout account is minted its total once, so receipts too small to
	/// open an account on their own are paid together.
	pub(crate) fn do_claim(
		farm_id: FarmId,
		node_id: Option<NodeId>,
		max: u32,
	) -> Result<u32, DispatchError> {
		let receipts: Vec<ReceiptOf<T>> = match node_id {
			Some(node) => {
				Receipts::<T>::iter_prefix_values((farm_id, node)).take(max as usize).collect()
			},
			None => Receipts::<T>::iter_prefix_values((farm_id,)).take(max as usize).collect(),
		};
		ensure!(!receipts.is_empty(), Error::<T>::NothingToClaim);
		// The farm's payout account now; a deleted farm's, the one it had at the close.
		let payout = T::Registry::farm(farm_id).map(|f| f.payout);
		let mut totals = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		let mut unclaimed = Unclaimed::<T>::get();
		for receipt in &receipts {
			let key = (receipt.farm_id, receipt.node_id, receipt.period);
			ensure!(Receipts::<T>::contains_key(key), Error::<T>::InconsistentState);
			unclaimed = unclaimed.checked_sub(&receipt.tft).ok_or(Error::<T>::InconsistentState)?;
			let to = payout.clone().unwrap_or_else(|| receipt.payout.clone());
			let total = totals.entry(to).or_default();
			*total = total.saturating_add(receipt.tft);
		}
		for (to, amount) in &totals {
			Self::mint(to, *amount)?;
		}
		Unclaimed::<T>::put(unclaimed);
		for receipt in &receipts {
			Receipts::<T>::remove((receipt.farm_id, receipt.node_id, receipt.period));
			// A deleted node has no state (and no count) left.
			NodeStates::<T>::mutate(receipt.node_id, |state| {
				if let Some(state) = state {
					state.unclaimed = state.unclaimed.saturating_sub(1);
				}
			});
			Self::deposit_event(Event::ReceiptPaid {
				farm_id: receipt.farm_id,
				node_id: receipt.node_id,
				period: receipt.period,
				payout: payout.clone().unwrap_or_else(|| receipt.payout.clone()),
				amount: receipt.tft,
			});
		}
		Ok(receipts.len() as u32)
	}
}
