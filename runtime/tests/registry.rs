//! The registry in the real runtime: the dev chain's demo grid, deposits in TFT, the farmer-bot
//! proxy and governance through the council.

mod common;
use codec::Encode;
use common::*;
use frame_support::{assert_ok, dispatch::GetDispatchInfo, traits::fungible::InspectHold};
use grid_primitives::registry::{FarmCertification, GridRegistry, Power};
use grid_runtime::{configs::*, *};
use pallet_registry::{FarmName, NodePolicy};
use sp_keyring::Sr25519Keyring::*;
use sp_runtime::traits::{Dispatchable, Hash};

fn name(s: &str) -> FarmName {
	FarmName::truncate_from(s.as_bytes().to_vec())
}

fn held(who: &AccountId, reason: pallet_registry::HoldReason) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Registry(reason), who)
}

#[test]
fn dev_chain_has_a_demo_farm_and_node() {
	ext_from_preset("development").execute_with(|| {
		let alice = account(Alice);
		let ferdie = account(Ferdie);
		assert_eq!(Registry::twin_of(&alice), Some(1));
		assert_eq!(Registry::twin_of(&ferdie), Some(2));
		assert_eq!(Registry::farm_by_name(name("alice-farm")), Some(1));
		let farm = <Registry as GridRegistry<_, _>>::farm(1).expect("demo farm");
		assert_eq!((farm.twin_id, farm.payout), (1, alice.clone()));
		assert_eq!(Registry::farm(1).map(|f| f.policy), Some(NodePolicy::Open));
		assert_eq!(Registry::farm_public_ips(1).len(), 1);
		let node = <Registry as GridRegistry<_, _>>::node(1).expect("demo node");
		assert_eq!((node.farm_id, node.twin_id, node.connection_price), (1, 2, 80));
		use pallet_registry::HoldReason as R;
		assert_eq!(held(&alice, R::TwinDeposit), TwinDeposit::get());
		assert_eq!(held(&alice, R::FarmDeposit), FarmDeposit::get());
		assert_eq!(held(&ferdie, R::NodeDeposit), NodeDeposit::get());
		check_invariants();
	});
}

#[test]
fn deposits_are_held_in_tft_and_released() {
	ext_from_preset("development").execute_with(|| {
		let bob = account(Bob);
		let free = Balances::free_balance(&bob);
		let signed = || RuntimeOrigin::signed(account(Bob));
		assert_ok!(Registry::create_twin(signed(), Default::default(), None));
		assert_ok!(Registry::create_farm(signed(), name("bob-farm")));
		assert_eq!(Balances::free_balance(&bob), free - TwinDeposit::get() - FarmDeposit::get());
		assert_eq!(TwinDeposit::get() + FarmDeposit::get(), 6 * tft::UNIT);
		assert_ok!(Registry::delete_farm(signed(), 2));
		assert_ok!(Registry::delete_twin(signed()));
		assert_eq!(Balances::free_balance(&bob), free);
		assert_eq!(Balances::total_balance_on_hold(&bob), 0);
		check_invariants();
	});
}

#[test]
fn a_farmer_bot_proxy_may_only_power_nodes() {
	ext_from_preset("development").execute_with(|| {
		let alice = account(Alice);
		let bot = account(Charlie);
		assert_ok!(Proxy::add_proxy(
			RuntimeOrigin::signed(alice.clone()),
			bot.clone().into(),
			ProxyType::PowerManagement,
			0
		));
		let power_down = RuntimeCall::Registry(pallet_registry::Call::set_power_target {
			node_id: 1,
			target: Power::Down,
		});
		assert_ok!(Proxy::proxy(
			RuntimeOrigin::signed(bot.clone()),
			alice.clone().into(),
			None,
			Box::new(power_down)
		));
		System::assert_has_event(
			pallet_registry::Event::PowerTargetChanged {
				farm_id: 1,
				node_id: 1,
				target: Power::Down,
			}
			.into(),
		);
		let rename = RuntimeCall::Registry(pallet_registry::Call::rename_farm {
			farm_id: 1,
			name: name("stolen"),
		});
		assert_ok!(Proxy::proxy(RuntimeOrigin::signed(bot), alice.into(), None, Box::new(rename)));
		// The proxy call itself succeeds; the filtered inner call fails.
		System::assert_last_event(
			pallet_proxy::Event::ProxyExecuted {
				result: Err(frame_system::Error::<Runtime>::CallFiltered.into()),
			}
			.into(),
		);
		assert_eq!(Registry::farm_by_name(name("alice-farm")), Some(1));
		check_invariants();
	});
}

#[test]
fn council_majority_certifies_a_farm_and_others_cannot() {
	ext_from_preset("development").execute_with(|| {
		let call = RuntimeCall::Registry(pallet_registry::Call::set_farm_certification {
			farm_id: 1,
			certification: FarmCertification::Gold,
		});
		assert!(call.clone().dispatch(RuntimeOrigin::signed(account(Alice))).is_err());
		let len = call.encode().len() as u32;
		let weight = call.get_dispatch_info().call_weight;
		let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
		let propose = pallet_collective::Call::<Runtime, pallet_collective::Instance1>::propose {
			threshold: 2,
			proposal: Box::new(call),
			length_bound: len,
		};
		assert_ok!(RuntimeCall::Council(propose).dispatch(RuntimeOrigin::signed(account(Alice))));
		assert_ok!(Council::vote(RuntimeOrigin::signed(account(Bob)), hash, 0, true));
		assert_ok!(Council::vote(RuntimeOrigin::signed(account(Charlie)), hash, 0, true));
		assert_ok!(Council::close(RuntimeOrigin::signed(account(Charlie)), hash, 0, weight, len));
		assert_eq!(Registry::farm(1).map(|f| f.certification), Some(FarmCertification::Gold));
		check_invariants();
	});
}
