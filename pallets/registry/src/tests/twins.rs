use super::*;

#[test]
fn create_twin_holds_deposit_and_indexes_account() {
	test(|| {
		assert_eq!(assert_create_twin(ALICE), 1);
		assert_eq!(Registry::twin_of_account(ALICE), Some(1));
		let relays: Relays =
			BoundedVec::truncate_from(vec![bounded("relay.grid.tf"), bounded("r2.grid.tf")]);
		let pk: PublicKey = bounded("pk-bytes");
		assert_ok!(Registry::create_twin(signed(CHARLIE), relays.clone(), Some(pk.clone())));
		let twin = Twins::<Test>::get(2).unwrap();
		assert_eq!((twin.relays, twin.pk), (relays, Some(pk)));
		// Ids are sequential.
		assert_eq!(super::twin(BOB), 3);
	});
}

#[test]
fn create_twin_errors() {
	test(|| {
		twin(ALICE);
		assert_noop!(
			Registry::create_twin(signed(ALICE), Default::default(), None),
			Error::<Test>::TwinExists
		);
		let bad: Relays = BoundedVec::truncate_from(vec![bounded("relay..tf")]);
		assert_noop!(Registry::create_twin(signed(BOB), bad, None), Error::<Test>::InvalidHostName);
		let dup: Relays = BoundedVec::truncate_from(vec![bounded("a.tf"), bounded("a.tf")]);
		assert_noop!(Registry::create_twin(signed(BOB), dup, None), Error::<Test>::DuplicateRelay);
		assert_noop!(
			Registry::create_twin(signed(BOB), Default::default(), Some(bounded(""))),
			Error::<Test>::InvalidPublicKey
		);
		// Cannot afford the deposit: nothing is stored.
		assert_noop!(
			Registry::create_twin(signed(PAUPER), Default::default(), None),
			TokenError::FundsUnavailable
		);
		assert_eq!(LastTwinId::<Test>::get(), 1);
	});
}

#[test]
fn terms_are_recorded_and_required_when_configured() {
	test(|| {
		RequireTerms::set(true);
		assert_noop!(
			Registry::create_twin(signed(ALICE), Default::default(), None),
			Error::<Test>::TermsNotAccepted
		);
		assert_noop!(
			Registry::accept_terms(signed(ALICE), bounded("https://x y"), bounded("h")),
			Error::<Test>::InvalidTermsLink
		);
		assert_noop!(
			Registry::accept_terms(signed(ALICE), bounded("https://grid.tf/tc"), bounded("a:b")),
			Error::<Test>::InvalidTermsHash
		);
		assert_ok!(Registry::accept_terms(
			signed(ALICE),
			bounded("https://grid.tf/tc"),
			bounded("v1")
		));
		assert_eq!(
			last_event(),
			Event::TermsAccepted {
				who: ALICE,
				link: bounded("https://grid.tf/tc"),
				hash: bounded("v1")
			}
			.into()
		);
		// A second acceptance replaces the first: one bounded record per account.
		assert_ok!(Registry::accept_terms(
			signed(ALICE),
			bounded("https://grid.tf/tc2"),
			bounded("v2")
		));
		let terms = AcceptedTerms::<Test>::get(ALICE).unwrap();
		assert_eq!(
			(terms.link, terms.hash, terms.accepted_at),
			(bounded("https://grid.tf/tc2"), bounded("v2"), 1_700_000_000)
		);
		assert_ok!(Registry::create_twin(signed(ALICE), Default::default(), None));
		RequireTerms::set(false);
	});
}

#[test]
fn update_twin() {
	test(|| {
		twin(ALICE);
		let relays: Relays = BoundedVec::truncate_from(vec![bounded("new.relay.tf")]);
		assert_ok!(Registry::update_twin(signed(ALICE), relays.clone(), Some(bounded("k2"))));
		assert_eq!(last_event(), Event::TwinUpdated { twin_id: 1 }.into());
		let twin = Twins::<Test>::get(1).unwrap();
		assert_eq!((twin.relays, twin.pk), (relays, Some(bounded("k2"))));
		assert_noop!(
			Registry::update_twin(signed(BOB), Default::default(), None),
			Error::<Test>::TwinNotFound
		);
		let bad: Relays = BoundedVec::truncate_from(vec![bounded("a b")]);
		assert_noop!(
			Registry::update_twin(signed(ALICE), bad, None),
			Error::<Test>::InvalidHostName
		);
		assert_noop!(
			Registry::update_twin(signed(ALICE), Default::default(), Some(bounded(""))),
			Error::<Test>::InvalidPublicKey
		);
	});
}

#[test]
fn delete_twin_releases_deposit_and_needs_an_idle_twin() {
	test(|| {
		let alice = twin(ALICE);
		assert_noop!(Registry::delete_twin(signed(BOB)), Error::<Test>::TwinNotFound);
		let farm = open_farm(ALICE, "alice-farm");
		assert_noop!(Registry::delete_twin(signed(ALICE)), Error::<Test>::TwinOwnsFarms);
		let node = node_in(NODE1, farm);
		let node_twin = TwinByAccount::<Test>::get(NODE1).unwrap();
		assert_noop!(Registry::delete_twin(signed(NODE1)), Error::<Test>::TwinIsNode);
		BusyTwins::set(vec![alice]);
		assert_ok!(Registry::delete_node(signed(NODE1), node));
		assert_ok!(Registry::delete_farm(signed(ALICE), farm));
		assert_noop!(Registry::delete_twin(signed(ALICE)), Error::<Test>::TwinHasContracts);
		BusyTwins::set(vec![]);
		assert_delete_twin(ALICE);
		assert_eq!(held(ALICE), 0);
		assert_eq!(Balances::free_balance(ALICE), INITIAL_BALANCE);
		assert!(TwinByAccount::<Test>::get(ALICE).is_none());
		assert_delete_twin(NODE1);
		assert!(Twins::<Test>::get(node_twin).is_none());
		// The account can start over with a new id.
		assert_eq!(super::twin(ALICE), 3);
	});
}

#[test]
fn terms_records_are_small_and_dropped_with_the_twin() {
	test(|| {
		use codec::MaxEncodedLen;
		// A link longer than 256 bytes does not decode into the call's argument; the record
		// stays far below the 2 KB of the reference chain.
		assert!(TermsLink::try_from(vec![b'a'; 257]).is_err());
		assert!(Terms::max_encoded_len() <= 320, "{}", Terms::max_encoded_len());
		assert_ok!(Registry::accept_terms(
			signed(ALICE),
			bounded("https://grid.tf/tc"),
			bounded("v1")
		));
		twin(ALICE);
		assert!(AcceptedTerms::<Test>::contains_key(ALICE));
		assert_delete_twin(ALICE);
		assert!(!AcceptedTerms::<Test>::contains_key(ALICE));
	});
}
