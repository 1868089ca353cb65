//! Proposing: the call's checks, the proposer's farm and deposit.

use crate::{pallet::*, Proposal, ProposalIndex};
use alloc::vec::Vec;
use frame::{
	prelude::*,
	traits::{fungible::MutateHold, tokens::Precision, SortedMembers},
};
use grid_primitives::registry::FarmId;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_propose(
		who: T::AccountId,
		call: <T as Config>::RuntimeCall,
		description: Vec<u8>,
		link: Vec<u8>,
		voting_period: BlockNumberFor<T>,
		farm: Option<FarmId>,
	) -> DispatchResult {
		let description: BoundedVec<u8, T::MaxDescriptionLength> =
			description.try_into().map_err(|_| Error::<T>::DescriptionTooLong)?;
		let link: BoundedVec<u8, T::MaxLinkLength> =
			link.try_into().map_err(|_| Error::<T>::LinkTooLong)?;
		ensure!(T::DaoCalls::contains(&call), Error::<T>::CallNotAllowed);
		let encoded: CallBytesOf<T> =
			call.encode().try_into().map_err(|_| Error::<T>::CallTooLong)?;
		let call_weight = call.get_dispatch_info().call_weight;
		ensure!(call_weight.all_lte(T::MaxCallWeight::get()), Error::<T>::CallTooHeavy);
		ensure!(
			voting_period >= T::MinVotingPeriod::get()
				&& voting_period <= T::MaxVotingPeriod::get(),
			Error::<T>::BadVotingPeriod
		);
		let end = Self::now().checked_add(&voting_period).ok_or(Error::<T>::BadVotingPeriod)?;
		ensure!(Proposals::<T>::count() < T::MaxProposals::get(), Error::<T>::TooManyProposals);
		let index = ProposalCount::<T>::get();
		let next = index.checked_add(1).ok_or(Error::<T>::TooManyProposals)?;
		let deposit = Self::proposer_deposit(&who, farm)?;
		if !deposit.is_zero() {
			T::Currency::hold(&HoldReason::ProposalDeposit.into(), &who, deposit)?;
		}

		let call_hash = T::Hashing::hash(&encoded);
		let proposal =
			Proposal::new(who.clone(), deposit, (call_hash, call_weight), description, link, end);
		Proposals::<T>::insert(index, proposal);
		ProposalCalls::<T>::insert(index, encoded);
		ProposalCount::<T>::put(next);
		Self::deposit_event(Event::Proposed { index, proposer: who, call_hash, end, deposit });
		Ok(())
	}

	/// What `who` deposits to propose: nothing for a council member, else
	/// [`Config::ProposalDeposit`] and a farm it owns with proven capacity. A farm named by a
	/// council member is checked too.
	fn proposer_deposit(
		who: &T::AccountId,
		farm: Option<FarmId>,
	) -> Result<BalanceOf<T>, DispatchError> {
		if let Some(farm) = farm {
			Self::farm_weight(who, farm)?;
		}
		if T::Council::contains(who) {
			return Ok(Zero::zero());
		}
		ensure!(farm.is_some(), Error::<T>::FarmRequired);
		Ok(T::ProposalDeposit::get())
	}

	/// Removes a proposal, its call and its votes, and releases its deposit.
	pub(crate) fn remove_proposal(index: ProposalIndex, proposal: &ProposalOf<T>) {
		Proposals::<T>::remove(index);
		ProposalCalls::<T>::remove(index);
		// Exactly `voters` votes are stored under the proposal; one more in the limit lets the
		// removal see that none is left.
		let removed = Votes::<T>::clear_prefix(index, proposal.voters.saturating_add(1), None);
		if removed.maybe_cursor.is_some() {
			log::error!(target: "runtime::governance", "votes of proposal {index} left behind");
		}
		if !proposal.deposit.is_zero() {
			let reason = HoldReason::ProposalDeposit.into();
			match T::Currency::release(
				&reason,
				&proposal.proposer,
				proposal.deposit,
				Precision::BestEffort,
			) {
				Ok(released) if released == proposal.deposit => {},
				other => log::error!(
					target: "runtime::governance",
					"deposit release short for proposal {index}: asked {:?}, got {other:?}",
					proposal.deposit
				),
			}
		}
	}
}
