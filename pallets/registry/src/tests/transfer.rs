use super::*;

/// Alice's twin with two farms, one paying out to Charlie.
fn alice_with_two_farms() -> (TwinId, FarmId, FarmId) {
	let twin_id = twin(ALICE);
	let first = assert_create_farm(ALICE, "first");
	let second = assert_create_farm(ALICE, "second");
	assert_ok!(Registry::set_farm_payout(signed(ALICE), second, CHARLIE));
	(twin_id, first, second)
}

#[test]
fn a_twin_and_its_farms_move_only_when_both_agree() {
	test(|| {
		let (twin_id, first, second) = alice_with_two_farms();
		assert_ok!(Registry::propose_twin_transfer(signed(ALICE), BOB));
		assert_eq!(
			last_event(),
			Event::TwinTransferProposed { twin_id, from: ALICE, to: BOB }.into()
		);
		assert_eq!(Registry::twin_transfer_offer(twin_id), Some(BOB));
		// Nothing moved yet.
		assert_eq!(Twins::<Test>::get(twin_id).unwrap().account, ALICE);
		assert_eq!(held(ALICE), TWIN_DEPOSIT + 2 * FARM_DEPOSIT);
		assert_accept_twin_transfer(BOB, twin_id);
		// Bob owns the farms; the payout that was Alice's is Bob's, Charlie's stays.
		assert_eq!(Farms::<Test>::get(first).unwrap().payout, BOB);
		assert_eq!(Farms::<Test>::get(second).unwrap().payout, CHARLIE);
		assert_eq!(held(ALICE), 0);
		assert_eq!(free(ALICE), INITIAL_BALANCE);
		assert_eq!(held(BOB), TWIN_DEPOSIT + 2 * FARM_DEPOSIT);
		// Bob acts as the farmer; Alice no longer can, and may create a new twin.
		assert_ok!(Registry::rename_farm(signed(BOB), first, bounded("bobs-first")));
		assert_noop!(
			Registry::rename_farm(signed(ALICE), first, bounded("mine")),
			Error::<Test>::TwinNotFound
		);
		assert_eq!(twin(ALICE), twin_id + 1);
		// Bob deletes a farm: the deposit he holds is released to him.
		assert_ok!(Registry::delete_farm(signed(BOB), second));
		assert_eq!(held(BOB), TWIN_DEPOSIT + FARM_DEPOSIT);
	});
}

#[test]
fn an_offer_can_be_replaced_or_withdrawn() {
	test(|| {
		let twin_id = twin(ALICE);
		assert_noop!(Registry::cancel_twin_transfer(signed(ALICE)), Error::<Test>::NoTransferOffer);
		assert_ok!(Registry::propose_twin_transfer(signed(ALICE), BOB));
		assert_ok!(Registry::propose_twin_transfer(signed(ALICE), CHARLIE));
		assert_noop!(
			Registry::accept_twin_transfer(signed(BOB), twin_id),
			Error::<Test>::NotTransferTarget
		);
		assert_ok!(Registry::cancel_twin_transfer(signed(ALICE)));
		assert_eq!(last_event(), Event::TwinTransferCancelled { twin_id }.into());
		assert_noop!(
			Registry::accept_twin_transfer(signed(CHARLIE), twin_id),
			Error::<Test>::NoTransferOffer
		);
		// Deleting the twin drops its offer.
		assert_ok!(Registry::propose_twin_transfer(signed(ALICE), CHARLIE));
		assert_delete_twin(ALICE);
		assert_eq!(Registry::twin_transfer_offer(twin_id), None);
	});
}

#[test]
fn transfer_errors_change_nothing() {
	test(|| {
		let twin_id = twin(ALICE);
		assert_noop!(
			Registry::propose_twin_transfer(signed(BOB), ALICE),
			Error::<Test>::TwinNotFound
		);
		assert_noop!(
			Registry::propose_twin_transfer(signed(ALICE), ALICE),
			Error::<Test>::TransferToSelf
		);
		// A node's twin is the machine's identity: never transferred.
		let farm = open_farm(CHARLIE, "farm");
		node_in(NODE1, farm);
		assert_noop!(
			Registry::propose_twin_transfer(signed(NODE1), BOB),
			Error::<Test>::TwinIsNode
		);
		// The new account must not have a twin.
		assert_ok!(Registry::propose_twin_transfer(signed(ALICE), CHARLIE));
		assert_noop!(
			Registry::accept_twin_transfer(signed(CHARLIE), twin_id),
			Error::<Test>::TwinExists
		);
		// A twin with contracts stays with the account that pays for them.
		assert_ok!(Registry::propose_twin_transfer(signed(ALICE), BOB));
		BusyTwins::set(vec![twin_id]);
		assert_noop!(
			Registry::accept_twin_transfer(signed(BOB), twin_id),
			Error::<Test>::TwinHasContracts
		);
		BusyTwins::set(vec![]);
		// The terms, when required.
		RequireTerms::set(true);
		assert_noop!(
			Registry::accept_twin_transfer(signed(BOB), twin_id),
			Error::<Test>::TermsNotAccepted
		);
		RequireTerms::set(false);
	});
}

#[test]
fn an_account_that_cannot_afford_the_deposits_takes_over_nothing() {
	test(|| {
		let (twin_id, ..) = alice_with_two_farms();
		// Pauper has only enough for the twin's deposit, not the farms'.
		assert_ok!(Balances::transfer_allow_death(signed(BOB), PAUPER, TWIN_DEPOSIT + 5));
		assert_ok!(Registry::propose_twin_transfer(signed(ALICE), PAUPER));
		assert_noop!(
			Registry::accept_twin_transfer(signed(PAUPER), twin_id),
			TokenError::FundsUnavailable
		);
		assert_eq!(held(ALICE), TWIN_DEPOSIT + 2 * FARM_DEPOSIT);
	});
}

#[test]
fn an_offer_lapses_when_its_twin_becomes_a_node() {
	test(|| {
		let farm = open_farm(ALICE, "farm");
		let node_twin = twin(NODE1);
		assert_ok!(Registry::propose_twin_transfer(signed(NODE1), BOB));
		assert_register_node(NODE1, farm, spec());
		assert_eq!(Registry::twin_transfer_offer(node_twin), None);
		assert_noop!(
			Registry::accept_twin_transfer(signed(BOB), node_twin),
			Error::<Test>::NoTransferOffer
		);
	});
}
