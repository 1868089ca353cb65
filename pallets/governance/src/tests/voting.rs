//! `vote`: weight from proven capacity, one count per farm, the voting period.

use super::*;

fn council_proposal() -> ProposalIndex {
	assert_propose(C1, record_call(), None)
}

#[test]
fn a_vote_weighs_the_farms_proven_capacity() {
	test(|| {
		let index = council_proposal();
		assert_vote(ALICE, index, ALICE_FARM, true);
		assert_vote(BOB, index, BOB_FARM, false);
		assert_vote(CHARLIE, index, CHARLIE_FARM, true);
		let p = proposal(index);
		assert_eq!((p.ayes, p.nays, p.voters), (ALICE_WEIGHT + CHARLIE_WEIGHT, BOB_WEIGHT, 3));
	});
}

#[test]
fn a_farm_that_proved_nothing_cannot_vote() {
	test(|| {
		let index = council_proposal();
		// Dave's nodes are registered but never reported.
		assert_noop!(
			Governance::vote(signed(DAVE), index, DAVE_FARM, true),
			Error::<Test>::NoProvenCapacity
		);
		// Once they prove capacity, the farm votes with it.
		set_farm_weight(DAVE_FARM, 9);
		assert_vote(DAVE, index, DAVE_FARM, true);
		assert_eq!(proposal(index).ayes, 9);
	});
}

#[test]
fn a_farm_counts_once_and_a_repeated_vote_is_refused() {
	test(|| {
		let index = council_proposal();
		assert_vote(ALICE, index, ALICE_FARM, true);
		assert_noop!(
			Governance::vote(signed(ALICE), index, ALICE_FARM, true),
			Error::<Test>::AlreadyVoted
		);
		// Even with more capacity proven since, the same side is not counted again.
		set_farm_weight(ALICE_FARM, 1_000);
		assert_noop!(
			Governance::vote(signed(ALICE), index, ALICE_FARM, true),
			Error::<Test>::AlreadyVoted
		);
		assert_eq!(proposal(index).voters, 1);
	});
}

#[test]
fn switching_sides_moves_the_vote_with_the_weight_of_now() {
	test(|| {
		let index = council_proposal();
		assert_vote(ALICE, index, ALICE_FARM, true);
		assert_vote(BOB, index, BOB_FARM, true);
		set_farm_weight(ALICE_FARM, 70);
		assert_vote(ALICE, index, ALICE_FARM, false);
		let p = proposal(index);
		assert_eq!((p.ayes, p.nays, p.voters), (BOB_WEIGHT, 70, 2));
		assert_vote(ALICE, index, ALICE_FARM, true);
		let p = proposal(index);
		assert_eq!((p.ayes, p.nays, p.voters), (BOB_WEIGHT + 70, 0, 2));
	});
}

#[test]
fn the_farms_owner_votes_and_no_one_else() {
	test(|| {
		let index = council_proposal();
		assert_noop!(
			Governance::vote(signed(BOB), index, ALICE_FARM, true),
			Error::<Test>::NotFarmOwner
		);
		assert_noop!(Governance::vote(signed(ALICE), index, 77, true), Error::<Test>::UnknownFarm);
		assert_noop!(
			Governance::vote(RuntimeOrigin::root(), index, ALICE_FARM, true),
			DispatchError::BadOrigin
		);
		// The farm changes hands: its vote stays, and its new owner may move it.
		assert_vote(ALICE, index, ALICE_FARM, true);
		set_farm_owner(ALICE_FARM, EVE);
		assert_noop!(
			Governance::vote(signed(ALICE), index, ALICE_FARM, false),
			Error::<Test>::NotFarmOwner
		);
		assert_vote(EVE, index, ALICE_FARM, false);
	});
}

#[test]
fn votes_need_an_open_proposal() {
	test(|| {
		assert_noop!(
			Governance::vote(signed(ALICE), 0, ALICE_FARM, true),
			Error::<Test>::UnknownProposal
		);
	});
}

#[test]
fn no_vote_from_the_end_on() {
	test(|| {
		let index = council_proposal();
		let end = proposal(index).end;
		run_to_block(end - 1);
		assert_vote(ALICE, index, ALICE_FARM, true);
		run_to_block(end);
		assert_noop!(
			Governance::vote(signed(BOB), index, BOB_FARM, true),
			Error::<Test>::VotingEnded
		);
		assert_noop!(
			Governance::vote(signed(ALICE), index, ALICE_FARM, false),
			Error::<Test>::VotingEnded
		);
	});
}

#[test]
fn voters_are_bounded() {
	test(|| {
		MaxVoters::set(2);
		let index = council_proposal();
		assert_vote(ALICE, index, ALICE_FARM, true);
		assert_vote(BOB, index, BOB_FARM, true);
		assert_noop!(
			Governance::vote(signed(CHARLIE), index, CHARLIE_FARM, true),
			Error::<Test>::TooManyVoters
		);
		// A farm that voted still moves its vote.
		assert_vote(BOB, index, BOB_FARM, false);
	});
}

#[test]
fn tallies_do_not_overflow() {
	test(|| {
		let index = council_proposal();
		set_farm_weight(ALICE_FARM, VoteWeight::MAX);
		assert_vote(ALICE, index, ALICE_FARM, true);
		assert_noop!(
			Governance::vote(signed(CHARLIE), index, CHARLIE_FARM, true),
			Error::<Test>::TallyOverflow
		);
	});
}

#[test]
fn votes_pay_fees_and_weigh_the_farm_query() {
	test(|| {
		let call = RuntimeCall::Governance(Call::vote { index: 0, farm: 1, aye: true });
		let info = call.get_dispatch_info();
		assert_eq!(info.call_weight, <() as WeightInfo>::vote() + FARM_QUERY);
		assert_eq!(info.pays_fee, Pays::Yes);
	});
}

#[test]
fn view_functions_read_proposals_and_votes() {
	test(|| {
		let index = council_proposal();
		assert_vote(ALICE, index, ALICE_FARM, true);
		assert_eq!(Governance::proposal(index), Some(proposal(index)));
		assert_eq!(Governance::proposal(9), None);
		assert_eq!(
			Governance::vote_of(index, ALICE_FARM),
			Some(Vote { voter: ALICE, aye: true, weight: ALICE_WEIGHT })
		);
		assert_eq!(Governance::vote_of(index, BOB_FARM), None);
	});
}
