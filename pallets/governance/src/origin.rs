//! [`EnsureFarmers`]: the runtime's check that a call comes from an approved DAO proposal.

use crate::{pallet::RawOrigin, ProposalIndex};
use core::marker::PhantomData;
use frame::{prelude::*, traits::OriginTrait};

/// Succeeds only for [`RawOrigin::Farmers`]: a call dispatched by an approved farmer-DAO
/// proposal, with the proposal's index. The runtime uses it (alone or in an `EitherOf`) on the
/// calls it lets the DAO make, and on nothing else.
pub struct EnsureFarmers<T>(PhantomData<T>);

impl<O, T> EnsureOrigin<O> for EnsureFarmers<T>
where
	O: OriginTrait + From<RawOrigin>,
	for<'a> &'a O::PalletsOrigin: TryInto<&'a RawOrigin>,
{
	type Success = ProposalIndex;

	fn try_origin(o: O) -> Result<ProposalIndex, O> {
		let proposal = match o.caller().try_into() {
			Ok(RawOrigin::Farmers { proposal }) => Some(*proposal),
			_ => None,
		};
		proposal.ok_or(o)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<O, ()> {
		Ok(O::from(RawOrigin::Farmers { proposal: 0 }))
	}
}
