//! The validator set under governance: council majority and root may change it, others not.

mod common;
use codec::Encode;
use common::*;
use frame_support::{assert_noop, assert_ok, dispatch::GetDispatchInfo};
use grid_runtime::*;
use sp_keyring::Sr25519Keyring::*;

type CouncilCall = pallet_collective::Call<Runtime, pallet_collective::Instance1>;

fn register_keys(who: &AccountId) -> SessionKeys {
	let generated = SessionKeys::generate(&who.encode(), None);
	assert_ok!(Session::set_keys(
		RuntimeOrigin::signed(who.clone()),
		generated.keys.clone(),
		generated.proof.encode()
	));
	generated.keys
}

fn add_validator(who: &AccountId) -> RuntimeCall {
	RuntimeCall::ValidatorSet(pallet_validator_set::Call::add_validator { who: who.clone().into() })
}

#[test]
fn council_majority_adds_a_validator_who_becomes_authority() {
	ext_from_preset("development").execute_with(|| {
		let bob = account(Bob);
		let keys = register_keys(&bob);
		let call = add_validator(&bob);
		let len = call.encode().len() as u32;
		let weight = call.get_dispatch_info().call_weight;
		let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
		let propose =
			CouncilCall::propose { threshold: 2, proposal: Box::new(call), length_bound: len };
		assert_ok!(RuntimeCall::Council(propose).dispatch(RuntimeOrigin::signed(account(Alice))));
		// Two of three members vote aye: a majority.
		assert_ok!(Council::vote(RuntimeOrigin::signed(account(Bob)), hash, 0, true));
		assert_ok!(Council::vote(RuntimeOrigin::signed(account(Charlie)), hash, 0, true));
		assert_ok!(Council::close(RuntimeOrigin::signed(account(Charlie)), hash, 0, weight, len));
		System::assert_has_event(
			pallet_validator_set::Event::ValidatorAdded { who: bob.clone() }.into(),
		);

		// Active from the second session boundary: 2 × 10 blocks.
		run_to_block(2 * MINUTES + 1);
		assert_eq!(pallet_session::Validators::<Runtime>::get(), vec![account(Alice), bob]);
		assert!(pallet_aura::Authorities::<Runtime>::get().contains(&keys.aura));
		let grandpa = pallet_grandpa::Pallet::<Runtime>::grandpa_authorities();
		assert!(grandpa.iter().any(|(id, _)| id == &keys.grandpa));
		check_invariants();
	});
}

#[test]
fn a_council_minority_cannot_change_the_set() {
	ext_from_preset("development").execute_with(|| {
		let bob = account(Bob);
		register_keys(&bob);
		let call = add_validator(&bob);
		let len = call.encode().len() as u32;
		// Threshold 1 executes at once, with the origin "1 of 3 members": not a majority.
		let propose =
			CouncilCall::propose { threshold: 1, proposal: Box::new(call), length_bound: len };
		assert_ok!(RuntimeCall::Council(propose).dispatch(RuntimeOrigin::signed(account(Alice))));
		let executed = System::events().into_iter().find_map(|r| match r.event {
			RuntimeEvent::Council(pallet_collective::Event::Executed { result, .. }) => {
				Some(result)
			},
			_ => None,
		});
		assert_eq!(executed, Some(Err(sp_runtime::DispatchError::BadOrigin)));
		assert_eq!(
			pallet_validator_set::Validators::<Runtime>::get().into_inner(),
			vec![account(Alice)]
		);
		check_invariants();
	});
}

#[test]
fn a_signed_account_cannot_change_the_set() {
	ext_from_preset("development").execute_with(|| {
		let bob = account(Bob);
		register_keys(&bob);
		assert_noop!(
			add_validator(&bob).dispatch(RuntimeOrigin::signed(bob.clone())),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn root_adds_through_sudo_and_unkeyed_accounts_are_refused() {
	ext_from_preset("development").execute_with(|| {
		let charlie = account(Charlie);
		assert_noop!(
			add_validator(&charlie).dispatch(RuntimeOrigin::root()),
			pallet_validator_set::Error::<Runtime>::NoSessionKeys
		);
		register_keys(&charlie);
		let sudo =
			RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(add_validator(&charlie)) });
		assert_ok!(sudo.dispatch(RuntimeOrigin::signed(account(Alice))));
		System::assert_has_event(
			pallet_validator_set::Event::ValidatorAdded { who: charlie }.into(),
		);
		check_invariants();
	});
}

use sp_runtime::traits::{Dispatchable, Hash};
