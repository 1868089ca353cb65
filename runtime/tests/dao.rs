//! Governance without sudo: the council authorizes runtime upgrades by 3/5, the farmer DAO's
//! approved proposals make exactly the calls of `DaoCalls` (and nothing else reaches its
//! origin), and validators join by application and a council motion.

mod common;
use codec::Encode;
use common::*;
use frame_support::{assert_noop, assert_ok, dispatch::GetDispatchInfo, traits::Contains};
use grid_primitives::registry::FarmCertification;
use grid_runtime::{configs::DaoCalls, *};
use sp_core::H256;
use sp_keyring::Sr25519Keyring::*;
use sp_runtime::{
	traits::{Dispatchable, Hash},
	DispatchError,
};

type CouncilCall = pallet_collective::Call<Runtime, pallet_collective::Instance1>;

/// A council motion of `call` proposed by Alice with threshold `ayes`, voted aye by the
/// first `ayes` of `members` and closed: the result of the call.
fn motion(
	call: RuntimeCall,
	members: &[AccountId],
	ayes: u32,
) -> Option<Result<(), DispatchError>> {
	let len = call.encode().len() as u32;
	let weight = call.get_dispatch_info().call_weight;
	let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
	let index = pallet_collective::ProposalCount::<Runtime, pallet_collective::Instance1>::get();
	let propose =
		CouncilCall::propose { threshold: ayes, proposal: Box::new(call), length_bound: len };
	System::reset_events();
	assert_ok!(RuntimeCall::Council(propose).dispatch(RuntimeOrigin::signed(members[0].clone())));
	if ayes > 1 {
		for member in &members[..ayes as usize] {
			assert_ok!(Council::vote(RuntimeOrigin::signed(member.clone()), hash, index, true));
		}
		assert_ok!(Council::close(
			RuntimeOrigin::signed(members[0].clone()),
			hash,
			index,
			weight,
			len
		));
	}
	System::events().into_iter().find_map(|r| match r.event {
		RuntimeEvent::Council(pallet_collective::Event::Executed { result, .. }) => Some(result),
		_ => None,
	})
}

fn authorize(hash: H256) -> RuntimeCall {
	RuntimeCall::Governance(pallet_governance::Call::authorize_upgrade { code_hash: hash })
}

/// Whether frame_system said it authorized `hash` (its record is private), with the version
/// check.
fn upgrade_authorized(hash: H256) -> bool {
	System::events().iter().any(|r| {
		r.event
			== RuntimeEvent::System(frame_system::Event::UpgradeAuthorized {
				code_hash: hash,
				check_version: true,
			})
	})
}

fn farmers() -> RuntimeOrigin {
	pallet_governance::RawOrigin::Farmers { proposal: 0 }.into()
}

#[test]
fn three_fifths_of_the_council_authorize_an_upgrade_without_sudo() {
	ext_from_preset("testnet").execute_with(|| {
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		// Five members: two ayes are not enough, three are.
		let members: Vec<AccountId> =
			[Alice, Bob, Charlie, Dave, Eve].into_iter().map(account).collect();
		assert_ok!(CouncilMembership::reset_members(RuntimeOrigin::root(), members.clone()));
		let hash = H256::repeat_byte(7);
		assert_eq!(motion(authorize(hash), &members, 2), Some(Err(DispatchError::BadOrigin)));
		assert!(!upgrade_authorized(hash));
		assert_eq!(motion(authorize(hash), &members, 3), Some(Ok(())));
		assert!(upgrade_authorized(hash));
		// frame_system's own call stays root-only, and no account authorizes alone.
		assert_noop!(
			System::authorize_upgrade(RuntimeOrigin::signed(account(Alice)), hash),
			DispatchError::BadOrigin
		);
		assert_noop!(
			authorize(hash)
				.dispatch(RuntimeOrigin::signed(account(Alice)))
				.map_err(|e| e.error),
			DispatchError::BadOrigin
		);
		check_invariants();
	});
}

/// One call of each kind `DaoCalls` lists, and privileged calls it does not.
fn listed() -> Vec<RuntimeCall> {
	use pallet_membership::Call as Membership;
	vec![
		RuntimeCall::System(frame_system::Call::remark { remark: b"farmers' opinion".to_vec() }),
		authorize(H256::repeat_byte(1)),
		RuntimeCall::Registry(pallet_registry::Call::set_farm_certification {
			farm_id: 1,
			certification: FarmCertification::Gold,
		}),
		RuntimeCall::Registry(pallet_registry::Call::add_node_certifier {
			who: account(Dave).into(),
		}),
		RuntimeCall::Registry(pallet_registry::Call::set_connection_price {
			price: grid_primitives::money::MusdPerTft(90),
		}),
		RuntimeCall::Minting(pallet_minting::Call::detach_policy_from_farm { farm_id: 1 }),
		RuntimeCall::Billing(pallet_billing::Call::set_policy {
			policy: pallet_billing::PricingPolicy::reference(),
		}),
		RuntimeCall::CouncilMembership(Membership::add_member { who: account(Dave).into() }),
	]
}

fn unlisted() -> Vec<RuntimeCall> {
	vec![
		RuntimeCall::Balances(pallet_balances::Call::force_set_balance {
			who: account(Dave).into(),
			new_free: 1,
		}),
		RuntimeCall::System(frame_system::Call::set_code { code: vec![] }),
		RuntimeCall::ValidatorSet(pallet_validator_set::Call::add_validator {
			who: account(Dave).into(),
		}),
		RuntimeCall::TftPrice(pallet_tft_price::Call::force_price {
			price: grid_primitives::money::MusdPerTft(1),
		}),
		RuntimeCall::Registry(pallet_registry::Call::force_rename_farm {
			farm_id: 1,
			name: b"x".to_vec().try_into().expect("short"),
		}),
		RuntimeCall::Utility(pallet_utility::Call::batch { calls: vec![] }),
	]
}

#[test]
fn the_dao_origin_makes_every_listed_call_and_no_other() {
	ext_from_preset("development").execute_with(|| {
		for call in listed() {
			assert!(DaoCalls::contains(&call), "{call:?} is listed");
			let result = frame_support::storage::with_transaction(|| {
				let result = call.clone().dispatch(farmers());
				sp_runtime::TransactionOutcome::Rollback(Ok::<_, DispatchError>(result))
			})
			.expect("no storage error");
			assert_ne!(
				result.map_err(|e| e.error),
				Err(DispatchError::BadOrigin),
				"{call:?} refuses the DAO's origin"
			);
		}
		for call in unlisted() {
			assert!(!DaoCalls::contains(&call), "{call:?} is not listed");
			// Nobody can propose it to the farmers.
			assert_noop!(
				Governance::propose(
					RuntimeOrigin::signed(account(Alice)),
					Box::new(call),
					b"take over".to_vec(),
					vec![],
					10,
					None
				),
				pallet_governance::Error::<Runtime>::CallNotAllowed
			);
		}
		check_invariants();
	});
}

/// Alice's demo farm has proven `weight` in the last closed period: the clock is in the
/// second period, as if the demo node had been up in the first.
fn demo_farm_proved(weight: u64) {
	let params = pallet_minting::Params::<Runtime>::get().expect("dev minting");
	pallet_timestamp::Now::<Runtime>::put(params.bounds(1).0 * 1_000 + 1_000);
	let proven = pallet_minting::ProvenCapacity { period: 0, latest: weight, previous: 0 };
	pallet_minting::FarmProven::<Runtime>::insert(1, proven);
	pallet_minting::TotalProven::<Runtime>::put(proven);
}

#[test]
fn farmers_certify_a_farm_and_authorize_an_upgrade() {
	ext_from_preset("development").execute_with(|| {
		demo_farm_proved(5_000_000);
		let hash = H256::repeat_byte(9);
		let calls = [
			RuntimeCall::Registry(pallet_registry::Call::set_farm_certification {
				farm_id: 1,
				certification: FarmCertification::Gold,
			}),
			authorize(hash),
		];
		// Bob (council) proposes both; Alice votes aye for her farm.
		for call in calls {
			assert_ok!(Governance::propose(
				RuntimeOrigin::signed(account(Bob)),
				Box::new(call),
				b"certify / upgrade".to_vec(),
				b"https://example.invalid".to_vec(),
				5,
				None
			));
		}
		for index in [0, 1] {
			assert_ok!(Governance::vote(RuntimeOrigin::signed(account(Alice)), index, 1, true));
		}
		// A farm that is not hers, and a vote with no proven capacity, are refused.
		assert_noop!(
			Governance::vote(RuntimeOrigin::signed(account(Bob)), 0, 1, false),
			pallet_governance::Error::<Runtime>::NotFarmOwner
		);
		run_to_block(System::block_number() + 5);
		for index in [0, 1] {
			let p = pallet_governance::Proposals::<Runtime>::get(index).expect("open");
			assert_ok!(Governance::close(
				RuntimeOrigin::signed(account(Charlie)),
				index,
				p.call_weight,
				p.voters
			));
			System::assert_has_event(
				pallet_governance::Event::Executed { index, result: Ok(()) }.into(),
			);
		}
		let farm = pallet_registry::Farms::<Runtime>::get(1).expect("demo farm");
		assert_eq!(farm.certification, FarmCertification::Gold);
		assert!(upgrade_authorized(hash));
		check_invariants();
	});
}

#[test]
fn a_validator_applies_with_a_bond_and_a_council_motion_approves_her() {
	ext_from_preset("local4").execute_with(|| {
		let eve = account(Eve);
		let generated = SessionKeys::generate(&eve.encode(), None);
		assert_ok!(Session::set_keys(
			RuntimeOrigin::signed(eve.clone()),
			generated.keys.clone(),
			generated.proof.encode()
		));
		let bond = 10 * tft::UNIT;
		let free = Balances::free_balance(&eve);
		assert_ok!(ValidatorSet::apply(
			RuntimeOrigin::signed(eve.clone()),
			b"eve's lab".to_vec(),
			bond
		));
		assert_eq!(Balances::free_balance(&eve), free - bond);
		let approve = RuntimeCall::ValidatorSet(pallet_validator_set::Call::approve_application {
			who: eve.clone().into(),
		});
		let council: Vec<AccountId> = [Alice, Bob, Charlie].into_iter().map(account).collect();
		// One member alone cannot; two of three can.
		assert_eq!(motion(approve.clone(), &council, 1), Some(Err(DispatchError::BadOrigin)));
		assert_eq!(motion(approve, &council, 2), Some(Ok(())));
		assert!(pallet_validator_set::Validators::<Runtime>::get().contains(&eve));
		assert!(Balances::reserved_balance(&eve) >= bond, "the bond stays held");
		check_invariants();
	});
}
