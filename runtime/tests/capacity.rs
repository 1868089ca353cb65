//! Capacity contracts in the real runtime: a contract on the dev chain's demo node with its
//! farm's public IP and a TFT deposit, the node deleting itself under it, the weight the
//! registry charges for that, and what a `NonTransfer` proxy may do with contracts.

mod common;
use common::*;
use frame_support::{
	assert_noop, assert_ok, dispatch::GetDispatchInfo, traits::fungible::InspectHold,
};
use grid_primitives::{
	contracts::EndCause,
	registry::{RegistryObserver, TwinId},
	resources::{Resources, GIB},
};
use grid_runtime::{configs::*, *};
use sp_keyring::Sr25519Keyring::*;

const HALF_DEMO: Resources = Resources { cru: 2, mru: 4 * GIB, sru: 128 * GIB, hru: 512 * GIB };

fn twin(who: &AccountId) -> TwinId {
	assert_ok!(Registry::create_twin(RuntimeOrigin::signed(who.clone()), Default::default(), None));
	pallet_registry::TwinByAccount::<Runtime>::get(who).expect("twin")
}

fn deploy(who: &AccountId, hash: u8, resources: Resources, ips: u32) -> sp_runtime::DispatchResult {
	Capacity::create_node_contract(
		RuntimeOrigin::signed(who.clone()),
		1,
		[hash; 32],
		Default::default(),
		resources,
		ips,
		None,
	)
}

#[test]
fn a_contract_on_the_demo_node_holds_a_deposit_and_ends_with_the_node() {
	ext_from_preset("development").execute_with(|| {
		let bob = account(Bob);
		let twin_id = twin(&bob);
		assert_ok!(deploy(&bob, 1, HALF_DEMO, 1));
		let contract_id = pallet_capacity::LastContractId::<Runtime>::get();
		let reason = RuntimeHoldReason::Capacity(pallet_capacity::HoldReason::ContractDeposit);
		assert_eq!(Balances::balance_on_hold(&reason, &bob), tft::UNIT);
		assert_eq!(Capacity::node_free_capacity(1), Some(HALF_DEMO));
		// The demo farm has one public IP, and the node half its capacity left.
		assert_noop!(
			deploy(&account(Charlie), 2, HALF_DEMO, 1),
			pallet_capacity::Error::<Runtime>::TwinNotFound
		);
		twin(&account(Charlie));
		assert_noop!(
			deploy(&account(Charlie), 2, HALF_DEMO, 1),
			pallet_capacity::Error::<Runtime>::NotEnoughPublicIps
		);
		assert_noop!(
			deploy(&account(Charlie), 2, Resources { cru: 3, ..HALF_DEMO }, 0),
			pallet_capacity::Error::<Runtime>::NotEnoughCapacity
		);
		// Ferdie's node deletes itself: the contract ends, its IP and deposit are free.
		assert_ok!(Registry::delete_node(RuntimeOrigin::signed(account(Ferdie)), 1));
		System::assert_has_event(
			pallet_capacity::Event::ContractEnded {
				contract_id,
				twin_id,
				node_id: Some(1),
				cause: EndCause::NodeRemoved,
			}
			.into(),
		);
		assert_eq!(Balances::balance_on_hold(&reason, &bob), 0);
		assert!(Registry::farm_public_ips(1).ips.iter().all(|ip| ip.contract.is_none()));
		check_invariants();
	});
}

#[test]
fn a_node_can_always_afford_to_leave() {
	// Deleting a node ends up to every contract on it, charged up front: that must fit in a
	// normal transaction, or a full node could never leave.
	let call = RuntimeCall::Registry(pallet_registry::Call::delete_node { node_id: 1 });
	let weight = call.get_dispatch_info().call_weight;
	let observer = <Capacity as RegistryObserver<BlockNumber>>::node_removed_max_weight();
	assert!(weight.all_gte(observer), "delete_node charges the capacity hook");
	let max = <Runtime as frame_system::Config>::BlockWeights::get()
		.get(frame_support::dispatch::DispatchClass::Normal)
		.max_extrinsic
		.expect("a normal extrinsic limit");
	assert!(weight.all_lt(max), "delete_node ({weight}) must fit a normal extrinsic ({max})");
	// Each contract is also settled with billing (worst case: a charge with a solution
	// provider's five credits), so a full node leaving takes up to half a block.
	assert!(
		weight.ref_time() < max.ref_time() / 2,
		"ending {} contracts takes more than half a block",
		MaxContractsPerNode::get()
	);
}

#[test]
fn a_non_transfer_proxy_may_end_but_not_make_contracts() {
	use frame_support::traits::InstanceFilter;
	let create = RuntimeCall::Capacity(pallet_capacity::Call::create_node_contract {
		node_id: 1,
		deployment_hash: [0; 32],
		deployment_data: Default::default(),
		resources: HALF_DEMO,
		public_ips: 0,
		solution_provider: None,
	});
	let cancel = RuntimeCall::Capacity(pallet_capacity::Call::cancel_contract { contract_id: 1 });
	assert!(!ProxyType::NonTransfer.filter(&create), "a contract commits its payer to bills");
	assert!(ProxyType::NonTransfer.filter(&cancel));
	assert!(ProxyType::Any.filter(&create));
	assert!(!ProxyType::PowerManagement.filter(&cancel));
}
