//! Governance as other pallets see it: how much a farm's vote weighs in the farmer DAO.
//!
//! A farm votes with the capacity its nodes *proved*: what minting credited them in the last
//! closed reward period, each node's cloud and storage units scaled by its uptime. A node that
//! was registered but never reported, ran virtualized or broke its farming policy proved
//! nothing, so registering fake nodes buys no votes. Minting implements [`FarmVoteWeight`]; the
//! DAO asks it and charges [`FarmVoteWeight::query_weight`] in every call that asks.

use crate::registry::FarmId;
use sp_runtime::{Permill, Weight};

/// A farm's vote weight: millionths of capacity units, `2·CU + SU` as ThreeFold weighs them.
pub type VoteWeight = u64;

/// Why an account may not vote for a farm.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum VoterError {
	/// No farm has this id.
	UnknownFarm,
	/// The account is not the farm's owner (the account of the farm's twin).
	NotFarmOwner,
}

/// Answers for the farmer DAO who votes for a farm and with what weight.
pub trait FarmVoteWeight<AccountId> {
	/// The weight `who` may vote with for `farm`: the capacity the farm's nodes proved in the
	/// last closed reward period (0 when they proved none). Fails when the farm does not exist
	/// or `who` does not own it.
	fn voter_weight(who: &AccountId, farm: FarmId) -> Result<VoteWeight, VoterError>;
	/// What all farms proved in the last closed reward period: the most weight a vote can
	/// gather, against which turnout is measured.
	fn total_weight() -> VoteWeight;
	/// Upper bound of the weight of one [`Self::voter_weight`] or [`Self::total_weight`].
	fn query_weight() -> Weight;
}

/// The vote weight one node proved in a period: `2·cu + su` (both in millionths of units)
/// scaled by its uptime, rounded down. Saturates instead of overflowing.
pub fn proven_capacity(cu: u64, su: u64, uptime: Permill) -> VoteWeight {
	uptime.mul_floor(cu.saturating_mul(2).saturating_add(su))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn compute_counts_twice_storage_once_scaled_by_uptime() {
		assert_eq!(proven_capacity(1_000_000, 3_000_000, Permill::one()), 5_000_000);
		assert_eq!(proven_capacity(1_000_000, 3_000_000, Permill::from_percent(50)), 2_500_000);
		assert_eq!(proven_capacity(1, 0, Permill::from_percent(40)), 0);
		assert_eq!(proven_capacity(5, 5, Permill::zero()), 0);
	}

	#[test]
	fn saturates() {
		assert_eq!(proven_capacity(u64::MAX, u64::MAX, Permill::one()), u64::MAX);
	}
}
