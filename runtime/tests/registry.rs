//! The registry in the real runtime: the dev chain's demo grid, deposits in TFT, the farmer-bot
//! proxy and governance through the council.

mod common;
use codec::Encode;
use common::*;
use frame_support::{assert_ok, dispatch::GetDispatchInfo, traits::fungible::InspectHold};
use grid_primitives::{
	money::MusdPerTft,
	registry::{FarmCertification, GridRegistry, Power},
};
use grid_runtime::{configs::*, *};
use pallet_registry::{FarmName, NodePolicy};
use sp_keyring::Sr25519Keyring::*;
use sp_runtime::{
	traits::{Dispatchable, Hash},
	DispatchResult,
};

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
		assert_eq!((node.farm_id, node.twin_id, node.connection_price), (1, 2, MusdPerTft(80)));
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

/// Dispatches `call` through `real`'s proxy `proxy` and returns the inner call's result.
fn through_proxy(proxy: &AccountId, real: &AccountId, call: RuntimeCall) -> DispatchResult {
	System::reset_events();
	assert_ok!(Proxy::proxy(
		RuntimeOrigin::signed(proxy.clone()),
		real.clone().into(),
		None,
		Box::new(call)
	));
	System::events()
		.into_iter()
		.find_map(|r| match r.event {
			RuntimeEvent::Proxy(pallet_proxy::Event::ProxyExecuted { result }) => Some(result),
			_ => None,
		})
		.expect("ProxyExecuted")
}

fn filtered() -> DispatchResult {
	Err(frame_system::Error::<Runtime>::CallFiltered.into())
}

#[test]
fn a_non_transfer_proxy_cannot_move_funds_or_income() {
	ext_from_preset("development").execute_with(|| {
		let alice = account(Alice);
		let proxy = account(Dave);
		assert_ok!(Proxy::add_proxy(
			RuntimeOrigin::signed(alice.clone()),
			proxy.clone().into(),
			ProxyType::NonTransfer,
			0
		));
		let to_dave = || {
			RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest: account(Dave).into(),
				value: tft::UNIT,
			})
		};
		let payout = RuntimeCall::Registry(pallet_registry::Call::set_farm_payout {
			farm_id: 1,
			payout: account(Dave).into(),
		});
		let sell_twin = RuntimeCall::Registry(pallet_registry::Call::propose_twin_transfer {
			to: account(Dave).into(),
		});
		let sudo = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(to_dave()) });
		let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![1] });
		for call in [to_dave(), payout, sell_twin, sudo, remark] {
			assert_eq!(through_proxy(&proxy, &alice, call.clone()), filtered(), "{call:?}");
		}
		// A batch is filtered call by call.
		let batch =
			RuntimeCall::Utility(pallet_utility::Call::batch_all { calls: vec![to_dave()] });
		assert_eq!(through_proxy(&proxy, &alice, batch), filtered());
		assert_eq!(Registry::farm(1).map(|f| f.payout), Some(alice.clone()));
		// Grid work that moves no funds is allowed.
		let rename = RuntimeCall::Registry(pallet_registry::Call::rename_farm {
			farm_id: 1,
			name: name("alices-farm"),
		});
		assert_ok!(through_proxy(&proxy, &alice, rename));
		check_invariants();
	});
}

#[test]
fn proxy_types_that_claim_to_be_supersets_allow_everything_the_subset_allows() {
	use frame_support::traits::InstanceFilter;
	let calls = vec![
		RuntimeCall::Registry(pallet_registry::Call::set_power_target {
			node_id: 1,
			target: Power::Up,
		}),
		RuntimeCall::Registry(pallet_registry::Call::rename_farm { farm_id: 1, name: name("abc") }),
		RuntimeCall::Registry(pallet_registry::Call::set_farm_payout {
			farm_id: 1,
			payout: account(Bob).into(),
		}),
		RuntimeCall::Council(pallet_collective::Call::vote {
			proposal: Default::default(),
			index: 0,
			approve: true,
		}),
		RuntimeCall::Treasury(pallet_treasury::Call::payout { index: 0 }),
		RuntimeCall::Balances(pallet_balances::Call::transfer_all {
			dest: account(Bob).into(),
			keep_alive: false,
		}),
		RuntimeCall::Utility(pallet_utility::Call::batch { calls: vec![] }),
		RuntimeCall::System(frame_system::Call::remark { remark: vec![] }),
	];
	let types =
		[ProxyType::Any, ProxyType::NonTransfer, ProxyType::Governance, ProxyType::PowerManagement];
	for big in types {
		for small in types {
			if big.is_superset(&small) {
				for call in &calls {
					assert!(
						!small.filter(call) || big.filter(call),
						"{big:?} claims to cover {small:?} but refuses {call:?}"
					);
				}
			}
		}
	}
	assert!(!ProxyType::NonTransfer.filter(&calls[2]), "payout redirects income");
	assert!(!ProxyType::NonTransfer.filter(&calls[7]), "unlisted calls are denied");
}
