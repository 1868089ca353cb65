//! Votes: one per farm and proposal, weighted by the farm's proven capacity.

use crate::{pallet::*, ProposalIndex, TallyError};
use frame::prelude::*;
use grid_primitives::registry::FarmId;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_vote(
		who: T::AccountId,
		index: ProposalIndex,
		farm: FarmId,
		aye: bool,
	) -> DispatchResult {
		let mut proposal = Proposals::<T>::get(index).ok_or(Error::<T>::UnknownProposal)?;
		ensure!(!proposal.vetoed, Error::<T>::Vetoed);
		ensure!(proposal.voting_open(&Self::now()), Error::<T>::VotingEnded);
		let weight = Self::farm_weight(&who, farm)?;
		let previous = Votes::<T>::get(index, farm);
		proposal
			.count_vote(previous.as_ref(), aye, weight, T::MaxVoters::get())
			.map_err(|e| match e {
				TallyError::AlreadyVoted => Error::<T>::AlreadyVoted,
				TallyError::TooManyVoters => Error::<T>::TooManyVoters,
				TallyError::Overflow => Error::<T>::TallyOverflow,
			})?;
		let (ayes, nays) = (proposal.ayes, proposal.nays);
		Proposals::<T>::insert(index, proposal);
		Votes::<T>::insert(index, farm, VoteOf::<T> { voter: who.clone(), aye, weight });
		Self::deposit_event(Event::Voted { index, farm, who, aye, weight, ayes, nays });
		Ok(())
	}
}
