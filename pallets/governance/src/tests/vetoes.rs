//! `veto`: council members only, distinct, killing at the threshold.

use super::*;

fn farmer_proposal() -> ProposalIndex {
	assert_propose(ALICE, record_call(), Some(ALICE_FARM))
}

#[test]
fn only_council_members_veto() {
	test(|| {
		let index = farmer_proposal();
		assert_noop!(Governance::veto(signed(ALICE), index), Error::<Test>::NotCouncilMember);
		assert_noop!(Governance::veto(signed(C1), 9), Error::<Test>::UnknownProposal);
		assert_noop!(Governance::veto(RuntimeOrigin::root(), index), DispatchError::BadOrigin);
	});
}

#[test]
fn below_the_threshold_voting_goes_on() {
	test(|| {
		let index = farmer_proposal();
		assert_veto(C1, index);
		assert_noop!(Governance::veto(signed(C1), index), Error::<Test>::AlreadyVetoed);
		assert!(!proposal(index).vetoed);
		assert_vote(BOB, index, BOB_FARM, true);
		assert_noop!(close(EVE, index), Error::<Test>::VotingNotEnded);
	});
}

#[test]
fn at_the_threshold_the_proposal_is_killed_and_closable_at_once() {
	test(|| {
		let index = farmer_proposal();
		assert_vote(ALICE, index, ALICE_FARM, true);
		assert_vote(BOB, index, BOB_FARM, true);
		assert_veto(C1, index);
		assert_veto(C2, index);
		assert!(proposal(index).vetoed);
		assert_noop!(
			Governance::vote(signed(CHARLIE), index, CHARLIE_FARM, true),
			Error::<Test>::Vetoed
		);
		assert_noop!(
			Governance::vote(signed(ALICE), index, ALICE_FARM, false),
			Error::<Test>::Vetoed
		);
		assert_noop!(Governance::veto(signed(C3), index), Error::<Test>::Vetoed);
		// Closed before its end, as vetoed despite its aye majority; nothing dispatched.
		assert!(System::block_number() < proposal(index).end);
		assert_close(EVE, index, Outcome::Vetoed, None);
		assert_eq!(held(ALICE), 0);
		assert_eq!(Balances::free_balance(ALICE), INITIAL_BALANCE);
		assert_eq!(recorded(), Vec::<u32>::new());
	});
}

#[test]
fn a_veto_after_the_voting_period_still_stops_the_call() {
	test(|| {
		let index = farmer_proposal();
		assert_vote(ALICE, index, ALICE_FARM, true);
		assert_vote(BOB, index, BOB_FARM, true);
		end_voting(index);
		assert_veto(C1, index);
		assert_veto(C3, index);
		assert_close(ALICE, index, Outcome::Vetoed, None);
		assert_eq!(recorded(), Vec::<u32>::new());
	});
}

#[test]
fn a_former_council_members_veto_still_counts() {
	test(|| {
		let index = farmer_proposal();
		assert_veto(C1, index);
		Council::set(vec![C2, C3]);
		assert_noop!(Governance::veto(signed(C1), index), Error::<Test>::NotCouncilMember);
		assert_veto(C2, index);
		assert!(proposal(index).vetoed);
	});
}
