//! Council vetoes.

use crate::{pallet::*, ProposalIndex, VetoError};
use frame::{prelude::*, traits::SortedMembers};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_veto(who: T::AccountId, index: ProposalIndex) -> DispatchResult {
		ensure!(T::Council::contains(&who), Error::<T>::NotCouncilMember);
		let mut proposal = Proposals::<T>::get(index).ok_or(Error::<T>::UnknownProposal)?;
		let killed =
			proposal.add_veto(who.clone(), T::VetoThreshold::get()).map_err(|e| match e {
				VetoError::Killed => Error::<T>::Vetoed,
				VetoError::AlreadyVetoed => Error::<T>::AlreadyVetoed,
				VetoError::TooManyVetoes => Error::<T>::TooManyVetoes,
			})?;
		let vetoes = proposal.veto_count();
		Proposals::<T>::insert(index, proposal);
		Self::deposit_event(Event::Vetoed { index, who, vetoes });
		if killed {
			Self::deposit_event(Event::Killed { index });
		}
		Ok(())
	}
}
