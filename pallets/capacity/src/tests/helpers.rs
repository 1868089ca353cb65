//! Builders for grid state, usage batches through the pool's check and the block, and
//! `assert_*` helpers that check what a call changed.

pub use crate::{mock::*, pallet::*, types::*};
pub use frame::deps::sp_runtime::transaction_validity::{
	InvalidTransaction, TransactionValidityError,
};
pub use frame::testing_prelude::*;
use frame::{
	deps::{frame_support::traits::Authorize, sp_runtime::transaction_validity::TransactionSource},
	traits::fungible::InspectHold,
};
pub use grid_primitives::{
	contracts::{ContractState, EndCause},
	money::Musd,
	net::{Ipv4, Ipv4Cidr},
	registry::{ContractId, NodeId, Power, TwinId},
	resources::{Resources, GIB},
};
use pallet_registry::types::{Location, NodePolicy, NodeSpec};

pub fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

pub fn gov() -> RuntimeOrigin {
	RuntimeOrigin::signed(GOVERNANCE)
}

/// What every test node registers: 8 cores, 32 GiB, 1 TiB SSD, 4 TiB HDD.
pub const NODE_CAPACITY: Resources =
	Resources { cru: 8, mru: 32 * GIB, sru: 1024 * GIB, hru: 4096 * GIB };

/// A quarter of [`NODE_CAPACITY`].
pub const QUARTER: Resources = Resources { cru: 2, mru: 8 * GIB, sru: 256 * GIB, hru: 1024 * GIB };

pub fn spec(resources: Resources) -> NodeSpec {
	NodeSpec {
		resources,
		location: Location {
			city: BoundedVec::truncate_from(b"Gent".to_vec()),
			country: BoundedVec::truncate_from(b"Belgium".to_vec()),
			coordinates: None,
		},
		interfaces: Default::default(),
		serial_number: None,
		secure_boot: false,
		virtualized: false,
	}
}

pub fn twin(who: AccountId) -> TwinId {
	assert_ok!(Registry::create_twin(signed(who), Default::default(), None));
	pallet_registry::TwinByAccount::<Test>::get(who).expect("twin created")
}

/// `185.206.122.<host>/24`, gateway `.1`.
pub fn farm_ip(host: u8) -> Ipv4Cidr {
	Ipv4Cidr { ip: Ipv4([185, 206, 122, host]), prefix: 24 }
}

/// The standard grid: FARMER's open farm 1 with `ips` public IPs (hosts 10..), nodes 1 and 2
/// (NODE1, NODE2) of [`NODE_CAPACITY`], and twins for ALICE, BOB and CHARLIE.
pub fn grid(ips: u8) {
	twin(FARMER);
	assert_ok!(Registry::create_farm(signed(FARMER), BoundedVec::truncate_from(b"farm".to_vec())));
	assert_ok!(Registry::set_node_policy(signed(FARMER), 1, NodePolicy::Open));
	for host in 10..10 + ips {
		assert_ok!(Registry::add_farm_ip(
			signed(FARMER),
			1,
			farm_ip(host),
			Ipv4([185, 206, 122, 1])
		));
	}
	for node in [NODE1, NODE2] {
		twin(node);
		assert_ok!(Registry::register_node(signed(node), 1, spec(NODE_CAPACITY)));
	}
	for user in [ALICE, BOB, CHARLIE] {
		twin(user);
	}
	System::reset_events();
	Billed::take();
}

pub fn twin_of(who: AccountId) -> TwinId {
	pallet_registry::TwinByAccount::<Test>::get(who).expect("a twin")
}

pub fn hash(n: u8) -> DeploymentHash {
	[n; 32]
}

pub fn data() -> DeploymentData {
	BoundedVec::truncate_from(b"zos deployment".to_vec())
}

pub fn name(s: &str) -> GatewayName {
	BoundedVec::truncate_from(s.as_bytes().to_vec())
}

pub fn held(who: AccountId) -> Balance {
	Balances::total_balance_on_hold(&who)
}

pub fn capacity_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Capacity(e) => Some(e),
			_ => None,
		})
		.collect()
}

pub fn last_event() -> Event<Test> {
	capacity_events().pop().expect("a capacity event")
}

/// Free IPs of farm 1.
pub fn free_ips() -> usize {
	pallet_registry::FarmPublicIps::<Test>::get(1)
		.ips
		.iter()
		.filter(|p| p.contract.is_none())
		.count()
}

/// Every key and value both pallets and the balances store, to prove a refused call changed
/// nothing.
pub fn state() -> Vec<(Vec<u8>, Vec<u8>)> {
	let mut state = Vec::new();
	for pallet in [&b"Capacity"[..], b"Registry", b"Balances", b"System"] {
		let prefix = frame::deps::sp_io::hashing::twox_128(pallet).to_vec();
		let mut key = prefix.clone();
		while let Some(next) = frame::deps::sp_io::storage::next_key(&key) {
			if !next.starts_with(&prefix) {
				break;
			}
			let value =
				frame::deps::sp_io::storage::get(&next).map(|v| v.to_vec()).unwrap_or_default();
			// Events, event counts and block bookkeeping change with every dispatch attempt.
			let system_noise = pallet == b"System" && !is_system_account(&next);
			if !system_noise {
				state.push((next.clone(), value));
			}
			key = next;
		}
	}
	state
}

fn is_system_account(key: &[u8]) -> bool {
	let account_prefix = [
		frame::deps::sp_io::hashing::twox_128(b"System"),
		frame::deps::sp_io::hashing::twox_128(b"Account"),
	]
	.concat();
	key.starts_with(&account_prefix)
}

/// `call` fails with `error` and changes no storage and no balance.
pub fn assert_refused(call: impl FnOnce() -> DispatchResult, error: Error<Test>) {
	let before = state();
	assert_noop!(call(), error);
	assert_eq!(state(), before, "a refused call changed storage");
}

/// Creates a node contract on `node` for `who` and checks everything it changed: the load, the
/// free IPs, the deposit, the indexes, billing's notice and the event. Returns its id.
pub fn assert_create_node_contract(
	who: AccountId,
	node: NodeId,
	h: u8,
	resources: Resources,
	ips: u32,
) -> ContractId {
	let load = NodeLoads::<Test>::get(node);
	let free = free_ips();
	let held_before = held(who);
	let count = TwinContractCount::<Test>::get(twin_of(who));
	assert_ok!(Capacity::create_node_contract(
		signed(who),
		node,
		hash(h),
		data(),
		resources,
		ips,
		None
	));
	let id = LastContractId::<Test>::get();
	let contract = Contracts::<Test>::get(id).expect("stored");
	let ContractKind::Node(c) = &contract.kind else { panic!("a node contract") };
	assert_eq!((c.node_id, c.deployment_hash, c.resources), (node, hash(h), resources));
	assert_eq!(c.public_ips.len() as u32, ips);
	assert_eq!(contract.state, ContractState::Created);
	let after = NodeLoads::<Test>::get(node);
	assert_eq!(after.contracts, load.contracts + 1);
	assert_eq!(after.reserved, load.reserved.checked_add(&resources).unwrap());
	assert_eq!(free_ips(), free - ips as usize);
	assert_eq!(held(who), held_before + CONTRACT_DEPOSIT);
	assert_eq!(TwinContractCount::<Test>::get(twin_of(who)), count + 1);
	assert_eq!(ContractByHash::<Test>::get(node, hash(h)), Some(id));
	assert_eq!(Billed::get().last(), Some(&BillingCall::Created(id)));
	assert_eq!(
		last_event(),
		Event::NodeContractCreated {
			contract_id: id,
			twin_id: twin_of(who),
			node_id: node,
			deployment_hash: hash(h),
			resources,
			public_ips: c.public_ips.clone(),
		}
	);
	id
}

/// Ends contract `id` by `end` and checks that it and everything it held are gone: the record,
/// its indexes, its capacity, its IPs and its deposit, with billing settled first and the
/// `ContractEnded` event naming `cause`.
pub fn assert_ends(id: ContractId, cause: EndCause, end: impl FnOnce()) {
	let contract = Contracts::<Test>::get(id).expect("live before");
	let held_before = held(contract.payer);
	let free = free_ips();
	let load = contract.kind.node_id().map(NodeLoads::<Test>::get);
	Billed::take();
	end();
	assert!(Contracts::<Test>::get(id).is_none(), "the contract left storage");
	assert!(!ContractsOfTwin::<Test>::contains_key(contract.twin_id, id));
	assert_eq!(held(contract.payer), held_before - CONTRACT_DEPOSIT, "deposit released");
	match &contract.kind {
		ContractKind::Node(c) => {
			assert_eq!(free_ips(), free + c.public_ips.len(), "its IPs are free again");
			let after = NodeLoads::<Test>::get(c.node_id);
			let before = load.unwrap();
			assert_eq!(after.reserved, before.reserved.checked_sub(&c.resources).unwrap());
			assert!(!NodeContracts::<Test>::contains_key(c.node_id, id));
			assert!(ContractByHash::<Test>::get(c.node_id, c.deployment_hash).is_none());
			assert!(ContractUsages::<Test>::get(id).is_none());
		},
		ContractKind::Rent { node_id, .. } => assert!(RentOf::<Test>::get(node_id).is_none()),
		ContractKind::Name { name } => assert!(NameOwner::<Test>::get(name).is_none()),
	}
	let billed = Billed::get();
	let settle = billed.iter().position(|b| *b == BillingCall::Settle(id));
	let ended = billed.iter().position(|b| *b == BillingCall::Ended(id, cause));
	assert!(settle.is_some() && settle < ended, "billing settles before the end: {billed:?}");
	assert_ended(id, contract.twin_id, contract.kind.node_id(), cause);
}

/// `id` (of `twin_id`, on `node_id`) left storage and its `ContractEnded` event names `cause`.
pub fn assert_ended(id: ContractId, twin_id: TwinId, node_id: Option<NodeId>, cause: EndCause) {
	assert!(Contracts::<Test>::get(id).is_none(), "contract {id} is still live");
	let ended = Event::ContractEnded { contract_id: id, twin_id, node_id, cause };
	assert!(capacity_events().contains(&ended), "no {ended:?}");
}

// ---- usage batches: signed by the node, checked by the pool, dispatched in a block ----

/// The mock's usage report gap ([`Limits::default`]): 20 minutes.
pub const GAP: u64 = DEFAULT_USAGE_REPORT_GAP;

/// Node `node_id`'s batch of `reports`.
pub fn usage_batch(node_id: NodeId, reports: Vec<UsageReport>) -> UsageBatchOf<Test> {
	UsageBatch { node_id, reports: BoundedVec::truncate_from(reports) }
}

/// The call of `batch` signed by `signer`.
pub fn usage_call(batch: &UsageBatchOf<Test>, signer: AccountId) -> Call<Test> {
	Call::<Test>::report_usage { batch: batch.clone(), signature: sign_batch(signer, batch) }
}

/// What the pool says about `batch` signed by `signer` (the same check runs again in the
/// block, before the call).
pub fn pool_usage(
	batch: &UsageBatchOf<Test>,
	signer: AccountId,
) -> Result<(), TransactionValidityError> {
	usage_call(batch, signer)
		.authorize(TransactionSource::External)
		.expect("report_usage authorizes")?;
	Ok(())
}

/// The call dispatched with the authorized origin, as a block does once `authorize` passed.
pub fn dispatch_usage(batch: &UsageBatchOf<Test>, signer: AccountId) -> DispatchResult {
	Capacity::report_usage(
		frame_system::RawOrigin::Authorized.into(),
		batch.clone(),
		sign_batch(signer, batch),
	)
}

/// Submits `batch` signed by `signer` as the pool and a block would: checked by `authorize`,
/// then dispatched with the authorized origin.
pub fn submit_usage(batch: &UsageBatchOf<Test>, signer: AccountId) -> DispatchResult {
	pool_usage(batch, signer).map_err(|_| DispatchError::Other("refused by the pool"))?;
	dispatch_usage(batch, signer)
}

/// The pool's custom refusal `code` (see `report_usage`'s docs).
pub fn custom(code: u8) -> TransactionValidityError {
	InvalidTransaction::Custom(code).into()
}

/// `batch` signed by `signer` is refused in the pool with `validity` and, dispatched anyway,
/// with `error`; neither changes any storage or balance.
pub fn assert_usage_refused(
	batch: &UsageBatchOf<Test>,
	signer: AccountId,
	validity: TransactionValidityError,
	error: Error<Test>,
) {
	let before = state();
	assert_eq!(pool_usage(batch, signer), Err(validity));
	assert_eq!(state(), before, "the pool's check changed storage");
	assert_refused(|| dispatch_usage(batch, signer), error);
}

/// Node 1 (NODE1) submits `reports` and checks what the batch changed: exactly the usage of
/// the contracts it counted or passed over, the node's allowance and its last batch, no
/// balance (the batch is free); the `UsageReported` event it emitted is returned.
pub fn assert_report_usage(reports: Vec<UsageReport>) -> Event<Test> {
	let batch = usage_batch(1, reports);
	let snap = grid_test_kit::Snapshot::<Test, Balances>::take(&["Capacity"], &[NODE1]);
	let now = pallet_timestamp::Now::<Test>::get() / 1_000;
	assert_ok!(submit_usage(&batch, NODE1));
	// The node's allowance and last batch, and nothing but the usage of the batch's contracts.
	let changed = snap.changed_keys();
	assert!(changed.contains(&NodeNetworks::<Test>::hashed_key_for(1)));
	assert!(changed.contains(&LastUsageBatch::<Test>::hashed_key_for(1)));
	let usages: std::collections::BTreeSet<Vec<u8>> = batch
		.reports
		.iter()
		.map(|r| ContractUsages::<Test>::hashed_key_for(r.contract_id))
		.collect();
	assert_eq!(changed.len(), 2 + usages.iter().filter(|k| changed.contains(*k)).count());
	snap.assert_balances_unchanged(&[NODE1]);
	assert_eq!(snap.issuance_moved(), 0);
	assert_eq!(LastUsageBatch::<Test>::get(1), Some(now));
	let events: Vec<_> = snap
		.new_events()
		.into_iter()
		.filter_map(|e| match e {
			RuntimeEvent::Capacity(e) => Some(e),
			_ => None,
		})
		.collect();
	assert_eq!(events.len(), 1, "one event: {events:?}");
	events.into_iter().next().expect("UsageReported")
}
