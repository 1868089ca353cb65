//! `try_state`: the pallet's invariants, checked after every test and by try-runtime.

use crate::pallet::*;
use alloc::collections::BTreeMap;
use frame::{deps::sp_runtime::TryRuntimeError, prelude::*, traits::fungible::InspectHold};
use grid_primitives::all_distinct;

impl<T: Config> Pallet<T> {
	/// - at most `MaxProposals` proposals are open, and the counter agrees;
	/// - every open proposal's index is below `ProposalCount`, and it has its call;
	/// - the votes under each proposal are exactly `voters` entries, whose aye and nay weights
	///   sum to `ayes` and `nays` (so no farm counts twice);
	/// - no votes and no call are stored for a proposal that is not open;
	/// - vetoes are distinct;
	/// - each proposer holds, under `ProposalDeposit`, exactly the deposits of its open
	///   proposals.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let open = Proposals::<T>::iter_keys().count();
		ensure!(open == Proposals::<T>::count() as usize, "proposal counter disagrees");
		ensure!(open <= T::MaxProposals::get() as usize, "more than MaxProposals open");
		let next = ProposalCount::<T>::get();
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (index, proposal) in Proposals::<T>::iter() {
			ensure!(index < next, "a proposal index at or above ProposalCount");
			ensure!(ProposalCalls::<T>::contains_key(index), "an open proposal without its call");
			let (mut ayes, mut nays, mut voters) = (0u64, 0u64, 0u32);
			for vote in Votes::<T>::iter_prefix_values(index) {
				voters = voters.saturating_add(1);
				let side = if vote.aye { &mut ayes } else { &mut nays };
				*side = side.saturating_add(vote.weight);
			}
			ensure!(voters == proposal.voters, "votes stored differ from the voter count");
			ensure!(ayes == proposal.ayes, "aye votes do not sum to the aye tally");
			ensure!(nays == proposal.nays, "nay votes do not sum to the nay tally");
			ensure!(all_distinct(&proposal.vetoes), "a council member vetoed twice");
			let held = deposits.entry(proposal.proposer.clone()).or_insert_with(Zero::zero);
			*held = held.saturating_add(proposal.deposit);
		}
		for index in ProposalCalls::<T>::iter_keys() {
			ensure!(Proposals::<T>::contains_key(index), "a call without its proposal");
		}
		for (index, _) in Votes::<T>::iter_keys() {
			ensure!(Proposals::<T>::contains_key(index), "votes for a proposal not open");
		}
		for (who, total) in deposits {
			let held = T::Currency::balance_on_hold(&HoldReason::ProposalDeposit.into(), &who);
			ensure!(held == total, "held deposits differ from the open proposals' deposits");
		}
		Ok(())
	}
}
