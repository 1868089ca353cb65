//! `propose`: who may propose, the deposit, and every check of the call and its texts.

use super::*;
use frame::deps::sp_runtime::TokenError;

#[test]
fn a_farmer_proposes_with_a_deposit_held() {
	test(|| {
		let index = assert_propose(ALICE, record_call(), Some(ALICE_FARM));
		assert_eq!(index, 0);
		assert_eq!(held(ALICE), DEPOSIT);
		assert_eq!(Balances::free_balance(ALICE), INITIAL_BALANCE - DEPOSIT);
		let second = assert_propose(ALICE, remark(3), Some(ALICE_FARM));
		assert_eq!(second, 1);
		assert_eq!(held(ALICE), 2 * DEPOSIT);
	});
}

#[test]
fn a_council_member_proposes_without_a_deposit() {
	test(|| {
		assert_propose(C1, record_call(), None);
		assert_eq!(held(C1), 0);
		assert_eq!(Balances::free_balance(C1), INITIAL_BALANCE);
	});
}

#[test]
fn a_farm_a_council_member_names_is_checked() {
	test(|| {
		assert_noop!(propose(C1, record_call(), Some(ALICE_FARM)), Error::<Test>::NotFarmOwner);
		assert_noop!(propose(C1, record_call(), Some(77)), Error::<Test>::UnknownFarm);
	});
}

#[test]
fn anyone_else_must_name_a_farm() {
	test(|| {
		assert_noop!(propose(ALICE, record_call(), None), Error::<Test>::FarmRequired);
		assert_noop!(propose(EVE, record_call(), None), Error::<Test>::FarmRequired);
	});
}

#[test]
fn the_farm_must_exist_be_owned_and_have_proven_capacity() {
	test(|| {
		assert_noop!(propose(ALICE, record_call(), Some(77)), Error::<Test>::UnknownFarm);
		assert_noop!(propose(ALICE, record_call(), Some(BOB_FARM)), Error::<Test>::NotFarmOwner);
		// Dave's farm has nodes that never reported: no proven capacity, no proposal.
		assert_noop!(
			propose(DAVE, record_call(), Some(DAVE_FARM)),
			Error::<Test>::NoProvenCapacity
		);
	});
}

#[test]
fn a_proposer_who_cannot_pay_the_deposit_changes_nothing() {
	test(|| {
		assert_noop!(
			propose(PAUPER, record_call(), Some(PAUPER_FARM)),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn only_listed_calls_may_be_proposed() {
	test(|| {
		let transfer = RuntimeCall::Balances(pallet_balances::Call::force_set_balance {
			who: EVE,
			new_free: 1_000_000,
		});
		assert_noop!(propose(C1, transfer, None), Error::<Test>::CallNotAllowed);
		let heap = RuntimeCall::System(frame_system::Call::set_heap_pages { pages: 1 });
		assert_noop!(propose(ALICE, heap, Some(ALICE_FARM)), Error::<Test>::CallNotAllowed);
		TargetListed::set(false);
		assert_noop!(propose(C1, record_call(), None), Error::<Test>::CallNotAllowed);
	});
}

#[test]
fn a_call_too_long_is_refused() {
	test(|| {
		// Two bytes of indexes, two of length prefix.
		let longest = MAX_CALL_LENGTH as usize - 4;
		assert_eq!(remark(longest).encoded_size(), MAX_CALL_LENGTH as usize);
		assert_propose(C1, remark(longest), None);
		assert_noop!(propose(C1, remark(longest + 1), None), Error::<Test>::CallTooLong);
	});
}

#[test]
fn a_call_heavier_than_allowed_is_refused_and_changes_nothing() {
	test(|| {
		assert!(heavy_call().get_dispatch_info().call_weight.any_gt(MAX_CALL_WEIGHT));
		assert_noop!(propose(C1, heavy_call(), None), Error::<Test>::CallTooHeavy);
		assert_noop!(propose(ALICE, heavy_call(), Some(ALICE_FARM)), Error::<Test>::CallTooHeavy);
	});
}

#[test]
fn texts_are_bounded() {
	test(|| {
		let long = |n: u32| vec![b'x'; n as usize + 1];
		assert_noop!(
			Governance::propose(
				signed(C1),
				Box::new(record_call()),
				long(MAX_DESCRIPTION),
				vec![],
				MIN_PERIOD,
				None
			),
			Error::<Test>::DescriptionTooLong
		);
		assert_noop!(
			Governance::propose(
				signed(C1),
				Box::new(record_call()),
				vec![],
				long(MAX_LINK),
				MIN_PERIOD,
				None
			),
			Error::<Test>::LinkTooLong
		);
		let max = |n: u32| vec![b'x'; n as usize];
		assert_ok!(Governance::propose(
			signed(C1),
			Box::new(record_call()),
			max(MAX_DESCRIPTION),
			max(MAX_LINK),
			MIN_PERIOD,
			None
		));
	});
}

#[test]
fn the_voting_period_is_bounded() {
	test(|| {
		let with = |period: u64| {
			Governance::propose(signed(C1), Box::new(record_call()), vec![], vec![], period, None)
		};
		assert_noop!(with(MIN_PERIOD - 1), Error::<Test>::BadVotingPeriod);
		assert_noop!(with(MAX_PERIOD + 1), Error::<Test>::BadVotingPeriod);
		assert_noop!(with(0), Error::<Test>::BadVotingPeriod);
		assert_ok!(with(MAX_PERIOD));
		assert_eq!(proposal(0).end, 1 + MAX_PERIOD);
	});
}

#[test]
fn open_proposals_are_bounded() {
	test(|| {
		for _ in 0..MAX_PROPOSALS {
			assert_propose(C1, record_call(), None);
		}
		assert_noop!(propose(C1, record_call(), None), Error::<Test>::TooManyProposals);
		// Closing one makes room; indexes are never reused.
		run_to_block(1 + MIN_PERIOD);
		assert_close(EVE, 0, Outcome::Rejected, None);
		assert_eq!(assert_propose(C1, record_call(), None), MAX_PROPOSALS);
	});
}

#[test]
fn only_signed_accounts_propose() {
	test(|| {
		assert_noop!(
			Governance::propose(
				RuntimeOrigin::root(),
				Box::new(record_call()),
				vec![],
				vec![],
				MIN_PERIOD,
				None
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn propose_is_weighed_by_call_length_and_the_farm_query() {
	test(|| {
		for len in [0usize, 100] {
			let call = remark(len);
			let size = call.encoded_size() as u32;
			let propose = RuntimeCall::Governance(Call::propose {
				call: Box::new(call),
				description: vec![],
				link: vec![],
				voting_period: MIN_PERIOD,
				farm: None,
			});
			let info = propose.get_dispatch_info();
			assert_eq!(info.call_weight, <() as WeightInfo>::propose(size) + FARM_QUERY);
			assert_eq!(info.pays_fee, Pays::Yes);
		}
	});
}
