//! Random call sequences across the registry and capacity (proptest): after every call both
//! pallets' invariants hold, a refused call changes no storage at all, and no TFT is created or
//! destroyed. The run also asserts that every kind of call succeeded at least once, so the
//! sequences reach real states rather than bouncing off the first check.

use super::*;
use grid_primitives::contracts::ContractLifecycle;
use proptest::prelude::*;
use std::{cell::RefCell, collections::BTreeSet};

const USERS: [AccountId; 3] = [ALICE, BOB, CHARLIE];
const NODES: [AccountId; 2] = [NODE1, NODE2];

#[derive(Clone, Debug)]
enum Op {
	Create { user: usize, node: u32, hash: u8, size: u64, ips: u32 },
	Update { user: usize, contract: u64, hash: u8, size: u64 },
	Cancel { user: usize, contract: u64 },
	Rent { user: usize, node: u32 },
	Name { user: usize, name: usize },
	ForceEnd { contract: u64 },
	Grace { contract: u64, start: bool },
	ExtraFee { node: u32, fee: u64 },
	PowerTarget { node: u32, down: bool },
	ResizeNode { node: usize, size: u64 },
	DeleteNode { node: usize, by_farmer: bool },
	RegisterNode { node: usize },
	ForceReleaseIp { host: u8 },
	Report { node: usize, contract: u64, start: u64, len: u64 },
}

fn op() -> impl Strategy<Value = Op> {
	let user = 0..USERS.len();
	let node = 1u32..4;
	let contract = 1u64..12;
	prop_oneof![
		6 => (user.clone(), node.clone(), 0u8..4, 0u64..6, 0u32..3)
			.prop_map(|(user, node, hash, size, ips)| Op::Create { user, node, hash, size, ips }),
		3 => (user.clone(), contract.clone(), 0u8..4, 0u64..6)
			.prop_map(|(user, contract, hash, size)| Op::Update { user, contract, hash, size }),
		3 => (user.clone(), contract.clone()).prop_map(|(user, contract)| Op::Cancel { user, contract }),
		2 => (user.clone(), node.clone()).prop_map(|(user, node)| Op::Rent { user, node }),
		2 => (user, 0usize..3).prop_map(|(user, name)| Op::Name { user, name }),
		1 => contract.clone().prop_map(|contract| Op::ForceEnd { contract }),
		2 => (contract.clone(), any::<bool>()).prop_map(|(contract, start)| Op::Grace { contract, start }),
		1 => (node.clone(), 0u64..2).prop_map(|(node, fee)| Op::ExtraFee { node, fee }),
		1 => (node, any::<bool>()).prop_map(|(node, down)| Op::PowerTarget { node, down }),
		2 => (0usize..2, 2u64..6).prop_map(|(node, size)| Op::ResizeNode { node, size }),
		1 => (0usize..2, any::<bool>()).prop_map(|(node, by_farmer)| Op::DeleteNode { node, by_farmer }),
		1 => (0usize..2).prop_map(|node| Op::RegisterNode { node }),
		1 => (10u8..13).prop_map(|host| Op::ForceReleaseIp { host }),
		2 => (0usize..2, contract, 0u64..4, 0u64..3)
			.prop_map(|(node, contract, start, len)| Op::Report { node, contract, start, len }),
	]
}

/// `size` eighths of a test node (0 is a network-only deployment).
fn eighths(size: u64) -> Resources {
	Resources { cru: size, mru: size * 4 * GIB, sru: size * 128 * GIB, hru: size * 512 * GIB }
}

fn kind(op: &Op) -> &'static str {
	match op {
		Op::Create { .. } => "create",
		Op::Update { .. } => "update",
		Op::Cancel { .. } => "cancel",
		Op::Rent { .. } => "rent",
		Op::Name { .. } => "name",
		Op::ForceEnd { .. } => "force end",
		Op::Grace { .. } => "grace",
		Op::ExtraFee { .. } => "extra fee",
		Op::PowerTarget { .. } => "power target",
		Op::ResizeNode { .. } => "resize node",
		Op::DeleteNode { .. } => "delete node",
		Op::RegisterNode { .. } => "register node",
		Op::ForceReleaseIp { .. } => "force release ip",
		Op::Report { .. } => "report",
	}
}

fn apply(op: &Op, step: u64) -> DispatchResult {
	let post = |r: DispatchResultWithPostInfo| r.map(|_| ()).map_err(|e| e.error);
	match *op {
		Op::Create { user, node, hash: h, size, ips } => Capacity::create_node_contract(
			signed(USERS[user]),
			node,
			hash(h),
			data(),
			eighths(size),
			ips,
			None,
		),
		Op::Update { user, contract, hash: h, size } => Capacity::update_node_contract(
			signed(USERS[user]),
			contract,
			hash(h),
			data(),
			eighths(size),
		),
		Op::Cancel { user, contract } => Capacity::cancel_contract(signed(USERS[user]), contract),
		Op::Rent { user, node } => {
			Capacity::create_rent_contract(signed(USERS[user]), node, None, Musd(u64::MAX))
		},
		Op::Name { user, name: n } => {
			Capacity::create_name_contract(signed(USERS[user]), name(["gw1", "gw2", "gw3"][n]))
		},
		Op::ForceEnd { contract } => post(Capacity::force_end_contract(gov(), contract)),
		Op::Grace { contract, start } => {
			if start {
				<Capacity as ContractLifecycle<_, _>>::start_grace(contract)
			} else {
				<Capacity as ContractLifecycle<_, _>>::end_grace(contract)
			}
		},
		Op::ExtraFee { node, fee } => Capacity::set_extra_fee(signed(FARMER), node, Musd(fee)),
		Op::PowerTarget { node, down } => Registry::set_power_target(
			signed(FARMER),
			node,
			if down { Power::Down } else { Power::Up },
		),
		Op::ResizeNode { node, size } => {
			Registry::update_node(signed(NODES[node]), spec(eighths(size)))
		},
		Op::DeleteNode { node, by_farmer } => {
			let Some(id) = pallet_registry::NodeByTwin::<Test>::get(twin_of(NODES[node])) else {
				return Err(pallet_registry::Error::<Test>::NodeNotFound.into());
			};
			post(Registry::delete_node(signed(if by_farmer { FARMER } else { NODES[node] }), id))
		},
		Op::RegisterNode { node } => {
			Registry::register_node(signed(NODES[node]), 1, spec(NODE_CAPACITY))
		},
		Op::ForceReleaseIp { host } => {
			Registry::force_release_farm_ip(gov(), 1, Ipv4([185, 206, 122, host]))
		},
		Op::Report { node, contract, start, len } => {
			let now = GENESIS_SECS + step * 10;
			let report = UsageReport {
				contract_id: contract,
				window_start: now.saturating_sub(start * 10 + len * 10),
				window_end: now.saturating_sub(start * 10),
				used: eighths(1),
				public_traffic_bytes: 1_000,
			};
			// The node as registered now (an unregistered one names a node that is not).
			let node_id =
				pallet_registry::NodeByTwin::<Test>::get(twin_of(NODES[node])).unwrap_or(99);
			submit_usage(&usage_batch(node_id, vec![report]), NODES[node])
		},
	}
}

fn run(ops: &[Op], succeeded: &RefCell<BTreeSet<&'static str>>) {
	new_test_ext().execute_with(|| {
		grid(3);
		// Two steps between a node's batches: some are too early.
		GridLimits::<Test>::mutate(|l| l.usage_report_gap = 20);
		let issuance = Balances::total_issuance();
		for (step, op) in ops.iter().enumerate() {
			let step = step as u64 + 1;
			System::set_block_number(step + 1);
			Timestamp::set_timestamp((GENESIS_SECS + step * 10) * 1_000);
			let before = state();
			let result =
				frame::deps::frame_support::storage::with_storage_layer(|| apply(op, step));
			match result {
				Ok(()) => {
					succeeded.borrow_mut().insert(kind(op));
				},
				Err(e) => {
					assert_eq!(state(), before, "{op:?} failed with {e:?} but changed storage")
				},
			}
			check_invariants();
			assert_eq!(Balances::total_issuance(), issuance, "TFT created or destroyed by {op:?}");
		}
	});
}

#[test]
fn random_call_sequences_keep_every_invariant() {
	let succeeded = RefCell::new(BTreeSet::new());
	let all = [
		"create",
		"update",
		"cancel",
		"rent",
		"name",
		"force end",
		"grace",
		"extra fee",
		"power target",
		"resize node",
		"delete node",
		"register node",
		"force release ip",
		"report",
	];
	// Every kind must succeed somewhere, or the sequences miss states. A batch of 96 random
	// sequences misses a successful `report` about once in 40 (measured); up to four batches
	// make a miss about one in two million, without a fixed seed that would explore the same
	// sequences forever.
	for _batch in 0..4 {
		let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
			cases: 96,
			..ProptestConfig::default()
		});
		runner
			.run(&proptest::collection::vec(op(), 1..60), |ops| {
				run(&ops, &succeeded);
				Ok(())
			})
			.unwrap();
		if all.iter().all(|k| succeeded.borrow().contains(k)) {
			break;
		}
	}
	for k in all {
		assert!(
			succeeded.borrow().contains(k),
			"no `{k}` ever succeeded: the sequences miss states"
		);
	}
}
