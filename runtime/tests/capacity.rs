//! Capacity contracts in the real runtime: a contract on the dev chain's demo node with its
//! farm's public IP and a TFT deposit, the node deleting itself under it, the weight the
//! registry charges for that, what a `NonTransfer` proxy may do with contracts, and the demo
//! node's usage batches: free, signed by its key, one per gap.

mod common;
use common::*;
use frame_support::{
	assert_noop, assert_ok, dispatch::GetDispatchInfo, traits::fungible::InspectHold,
};
use grid_primitives::{
	contracts::EndCause,
	registry::{ContractId, RegistryObserver, TwinId},
	resources::{Resources, GIB},
};
use grid_runtime::{configs::*, *};
use sp_keyring::Sr25519Keyring::*;
use sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError};

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

fn now() -> u64 {
	pallet_timestamp::Now::<Runtime>::get() / 1_000
}

/// The demo node's report of `bytes` for `contract` over `[start, end)`.
fn usage(contract: ContractId, start: u64, end: u64, bytes: u64) -> pallet_capacity::UsageReport {
	pallet_capacity::UsageReport {
		contract_id: contract,
		window_start: start,
		window_end: end,
		used: HALF_DEMO,
		public_traffic_bytes: bytes,
	}
}

/// The demo node (Ferdie's key) reports its contract's usage as a free general transaction:
/// the pool takes only a batch its key signed, Ferdie pays nothing, and a second batch within
/// the dev chain's 10 s gap never gets into a block — not in the same block, not in the next
/// one (6 s later) — until the gap has passed.
#[test]
fn the_demo_node_reports_usage_for_free_once_per_gap() {
	ext_from_preset("development").execute_with(|| {
		assert_eq!(
			pallet_capacity::GridLimits::<Runtime>::get().usage_report_gap,
			genesis_config_presets::DEV_USAGE_REPORT_GAP
		);
		let bob = account(Bob);
		twin(&bob);
		assert_ok!(deploy(&bob, 1, HALF_DEMO, 0));
		let contract = pallet_capacity::LastContractId::<Runtime>::get();
		run_to_block(3);
		let t = now();
		let good = usage_batch_xt(vec![usage(contract, t - 12, t, 1_000)], Ferdie);
		assert_eq!(validate(good.clone()), Ok(()));
		assert_eq!(
			validate(usage_batch_xt(vec![usage(contract, t - 12, t, 1_000)], Bob)),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof)),
			"signed by another key"
		);
		let ferdie = account(Ferdie);
		let (balance, issuance) = (Balances::free_balance(&ferdie), Balances::total_issuance());
		let treasury = Balances::free_balance(TreasuryAccount::get());
		assert_ok!(Executive::apply_extrinsic(good).expect("applied"));
		System::assert_has_event(
			pallet_capacity::Event::UsageReported {
				node_id: 1,
				accepted: 1,
				skipped: 0,
				capped_bytes: 0,
			}
			.into(),
		);
		assert_eq!(Balances::free_balance(&ferdie), balance, "no fee");
		assert_eq!(Balances::total_issuance(), issuance, "nothing burned");
		assert_eq!(Balances::free_balance(TreasuryAccount::get()), treasury, "no fee split");
		assert_eq!(pallet_capacity::LastUsageBatch::<Runtime>::get(1), Some(t));
		// A second batch: refused before the pool and by the block, in this block and the next.
		let too_early = TransactionValidityError::Invalid(InvalidTransaction::Custom(3));
		let again = || usage_batch_xt(vec![usage(contract, t, now(), 1)], Ferdie);
		assert_eq!(Executive::apply_extrinsic(again()), Err(too_early));
		run_to_block(4);
		assert_eq!(validate(again()), Err(too_early));
		assert_eq!(Executive::apply_extrinsic(again()), Err(too_early));
		run_to_block(5);
		assert_eq!(validate(again()), Ok(()));
		assert_ok!(Executive::apply_extrinsic(again()).expect("applied"));
		assert_eq!(pallet_capacity::LastUsageBatch::<Runtime>::get(1), Some(now()));
		assert_eq!(Balances::free_balance(&ferdie), balance, "still no fee");
		check_invariants();
	});
}

/// A node that spams usage batches — a fresh one every block, ten copies of each — gets one
/// into a block per gap (10 s on the dev chain: every other 6 s block), whatever it sends.
#[test]
fn a_node_spamming_usage_batches_gets_one_per_gap_into_blocks() {
	ext_from_preset("development").execute_with(|| {
		let bob = account(Bob);
		twin(&bob);
		assert_ok!(deploy(&bob, 1, HALF_DEMO, 0));
		let contract = pallet_capacity::LastContractId::<Runtime>::get();
		let mut included = Vec::new();
		for block in 2..=21 {
			run_to_block(block);
			let t = now();
			for copy in 0..10 {
				let xt = usage_batch_xt(vec![usage(contract, t - 6, t, copy)], Ferdie);
				if Executive::apply_extrinsic(xt).is_ok() {
					included.push(block);
				}
			}
		}
		// Blocks 2, 4, … 20 (12 s apart): the first batch of each, never two in a block.
		assert_eq!(included, (2..=21).step_by(2).collect::<Vec<_>>());
		check_invariants();
	});
}
