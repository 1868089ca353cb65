//! The farmer DAO's vote weight: the capacity a farm's nodes proved in the last closed period.

use super::*;
use grid_primitives::governance::{FarmVoteWeight, VoterError};

fn weight(who: AccountId) -> Result<u64, VoterError> {
	<Minting as FarmVoteWeight<AccountId>>::voter_weight(&who, 1)
}

#[test]
fn a_farm_votes_with_what_its_nodes_proved_in_the_last_closed_period() {
	test(|| {
		let node = grid();
		// A second node registers but never reports: it proves nothing.
		register(NODE2, EXAMPLE);
		assert_eq!(weight(FARMER), Ok(0), "no period has closed yet");
		// Node 1 up the first half of period 0, silent after (its report at the end credits
		// only the last interval): half its units.
		report_every(500, PARAMS.period_length / 2, 500);
		at(PARAMS.period_length + 10);
		assert_eq!(weight(FARMER), Ok(0), "period 0 ended but node 1 has not closed it");
		report_at(PARAMS.period_length + 10, -(BOOTED_BEFORE as i64));
		let r = receipt(node, 0);
		let proven = grid_primitives::governance::proven_capacity(
			r.cu,
			r.su,
			frame::deps::sp_runtime::Permill::from_perthousand(r.uptime.into()),
		);
		assert!(r.uptime < 1000 && proven > 0);
		assert_eq!(weight(FARMER), Ok(proven), "node 2 adds nothing");
		assert_eq!(FarmProven::<Test>::get(1).of(0), proven);
		assert_eq!(<Minting as FarmVoteWeight<AccountId>>::total_weight(), proven);
		// In period 2 node 1 has not closed period 1 yet: period 0 still counts.
		at(2 * PARAMS.period_length + 10);
		assert_eq!(weight(FARMER), Ok(proven));
		// In period 3 neither of the two latest closed periods proved anything.
		at(3 * PARAMS.period_length + 10);
		assert_eq!(weight(FARMER), Ok(0));
	});
}

#[test]
fn only_the_farm_owner_votes_for_it() {
	test(|| {
		grid();
		assert_eq!(weight(NODE1), Err(VoterError::NotFarmOwner), "a twin, not the farmer");
		assert_eq!(weight(BOB), Err(VoterError::NotFarmOwner), "no twin at all");
		assert_eq!(
			<Minting as FarmVoteWeight<AccountId>>::voter_weight(&FARMER, 7),
			Err(VoterError::UnknownFarm)
		);
	});
}
