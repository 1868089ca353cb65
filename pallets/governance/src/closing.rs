//! Closing: the outcome, the removal, and the approved call's dispatch.

use crate::{pallet::*, Outcome, ProposalIndex, MAX_CALL_DEPTH};
use codec::DecodeLimit;
use frame::prelude::*;
use grid_primitives::governance::FarmVoteWeight;

/// An approved call ready to dispatch with its weight now, or why it cannot be dispatched.
type Prepared<T> = Result<(<T as Config>::RuntimeCall, Weight), DispatchError>;

impl<T: Config> Pallet<T> {
	/// Closes proposal `index`; returns how many farms voted and what its call used.
	pub(crate) fn do_close(
		index: ProposalIndex,
		call_weight_bound: Weight,
		voters_bound: u32,
	) -> Result<(u32, Weight), DispatchError> {
		let proposal = Proposals::<T>::get(index).ok_or(Error::<T>::UnknownProposal)?;
		ensure!(proposal.closable(&Self::now()), Error::<T>::VotingNotEnded);
		ensure!(
			voters_bound >= proposal.voters && call_weight_bound.all_gte(proposal.call_weight),
			Error::<T>::WrongBound
		);
		let turnout = T::MinTurnout::get().mul_ceil(T::Farms::total_weight());
		let outcome = proposal.outcome(T::MinVoters::get(), turnout);
		let prepared = match outcome {
			Outcome::Approved => Some(Self::prepare_call(index, call_weight_bound)?),
			Outcome::Rejected | Outcome::Vetoed => None,
		};

		Self::remove_proposal(index, &proposal);
		Self::deposit_event(Event::Closed {
			index,
			outcome,
			ayes: proposal.ayes,
			nays: proposal.nays,
			voters: proposal.voters,
		});
		let mut used = Weight::zero();
		if let Some(prepared) = prepared {
			let result = match prepared {
				Ok((call, weight)) => {
					let (result, actual) = Self::dispatch_approved(index, call, weight);
					used = actual;
					result
				},
				Err(e) => Err(e),
			};
			Self::deposit_event(Event::Executed { index, result });
		}
		Ok((proposal.voters, used))
	}

	/// Decodes the approved call and checks it again. `Err` (the close fails, nothing changes)
	/// only when the call now weighs more than the closer's bound but no more than allowed: a
	/// higher bound will do. Every other problem is the call's outcome.
	fn prepare_call(
		index: ProposalIndex,
		call_weight_bound: Weight,
	) -> Result<Prepared<T>, DispatchError> {
		let Some(call) = ProposalCalls::<T>::get(index).and_then(|bytes| {
			<T as Config>::RuntimeCall::decode_all_with_depth_limit(
				MAX_CALL_DEPTH,
				&mut bytes.as_slice(),
			)
			.ok()
		}) else {
			return Ok(Err(Error::<T>::UndecodableCall.into()));
		};
		if !T::DaoCalls::contains(&call) {
			return Ok(Err(Error::<T>::CallNotAllowed.into()));
		}
		let weight = call.get_dispatch_info().call_weight;
		if !weight.all_lte(T::MaxCallWeight::get()) {
			return Ok(Err(Error::<T>::CallTooHeavy.into()));
		}
		ensure!(weight.all_lte(call_weight_bound), Error::<T>::WrongBound);
		Ok(Ok((call, weight)))
	}

	/// Dispatches an approved call with [`RawOrigin::Farmers`]; its result and the weight it
	/// used (at most its declared `weight`).
	fn dispatch_approved(
		index: ProposalIndex,
		call: <T as Config>::RuntimeCall,
		weight: Weight,
	) -> (DispatchResult, Weight) {
		let origin: <T as Config>::RuntimeOrigin = RawOrigin::Farmers { proposal: index }.into();
		let result = call.dispatch(origin);
		let actual = match &result {
			Ok(post) => post.actual_weight,
			Err(e) => e.post_info.actual_weight,
		}
		.map_or(weight, |w| w.min(weight));
		(result.map(|_| ()).map_err(|e| e.error), actual)
	}
}
