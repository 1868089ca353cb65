//! A test runtime: System, Balances (for the deposit holds), Timestamp and the registry, with an
//! observer that records what the registry told it and a usage oracle tests can steer.

use crate as pallet_registry;
use frame::testing_prelude::*;
use frame::traits::{ConstU32, ConstU64};
use grid_primitives::{
	net::Ipv4,
	registry::{
		ContractId, FarmId, NodeId, NodeUsage, Power, PowerState, RegistryObserver, TwinId,
	},
	resources::Resources,
};

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u64;

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
/// Node accounts.
pub const NODE1: AccountId = 11;
pub const NODE2: AccountId = 12;
/// Has no funds at all.
pub const PAUPER: AccountId = 99;
pub const GOVERNANCE: AccountId = 100;
pub const INITIAL_BALANCE: Balance = 1_000;
pub const TWIN_DEPOSIT: Balance = 10;
pub const FARM_DEPOSIT: Balance = 50;
pub const NODE_DEPOSIT: Balance = 20;
pub const MAX_ADMITTED: u32 = 3;
pub const MAX_CERTIFIERS: u32 = 2;
pub const MAX_FARMS_PER_TWIN: u32 = 3;
/// Free power-state changes per window, and the window in blocks.
pub const FREE_POWER_CHANGES: u32 = 2;
pub const POWER_CHANGE_WINDOW: u64 = 100;
/// What the test observer and usage oracle declare as their weight bounds.
pub const NODE_REMOVED_MAX: Weight = Weight::from_parts(10, 0);
pub const POWER_CHANGED_MAX: Weight = Weight::from_parts(3, 0);
pub const IP_RELEASED_MAX: Weight = Weight::from_parts(5, 0);
pub const USAGE_QUERY: Weight = Weight::from_parts(2, 0);

#[frame_construct_runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeHoldReason,
		RuntimeFreezeReason,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system::Pallet<Test>;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances::Pallet<Test>;
	#[runtime::pallet_index(2)]
	pub type Timestamp = pallet_timestamp::Pallet<Test>;
	#[runtime::pallet_index(3)]
	pub type Registry = pallet_registry::Pallet<Test>;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

parameter_types! {
	/// What the observer was told, in order.
	pub static Observed: Vec<Observation> = Vec::new();
	/// Nodes and twins that have contracts, as the usage oracle reports.
	pub static BusyNodes: Vec<NodeId> = Vec::new();
	pub static BusyTwins: Vec<TwinId> = Vec::new();
	/// Capacity contracts reserve, per node.
	pub static Reserved: Vec<(NodeId, Resources)> = Vec::new();
	pub static RequireTerms: bool = false;
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Observation {
	NodeRemoved(NodeId),
	PowerTarget(NodeId, Power),
	PowerState(NodeId, PowerState<u64>),
	IpForceReleased(FarmId, Ipv4, ContractId),
}

pub struct TestObserver;
impl RegistryObserver<u64> for TestObserver {
	fn node_removed(node: NodeId) -> Weight {
		Observed::mutate(|o| o.push(Observation::NodeRemoved(node)));
		Weight::from_parts(7, 0)
	}
	fn node_removed_max_weight() -> Weight {
		NODE_REMOVED_MAX
	}
	fn power_changed_max_weight() -> Weight {
		POWER_CHANGED_MAX
	}
	fn ip_force_released_max_weight() -> Weight {
		IP_RELEASED_MAX
	}
	fn power_target_changed(node: NodeId, target: Power) {
		Observed::mutate(|o| o.push(Observation::PowerTarget(node, target)));
	}
	fn power_state_changed(node: NodeId, state: PowerState<u64>) {
		Observed::mutate(|o| o.push(Observation::PowerState(node, state)));
	}
	fn ip_force_released(farm: FarmId, ip: Ipv4, contract: ContractId) {
		Observed::mutate(|o| o.push(Observation::IpForceReleased(farm, ip, contract)));
	}
}

pub struct TestUsage;
impl NodeUsage for TestUsage {
	fn node_has_active_contracts(node: NodeId) -> bool {
		BusyNodes::get().contains(&node)
	}
	fn twin_has_contracts(twin: TwinId) -> bool {
		BusyTwins::get().contains(&twin)
	}
	fn reserved_capacity(node: NodeId) -> Resources {
		Reserved::get()
			.into_iter()
			.find(|(n, _)| *n == node)
			.map(|(_, r)| r)
			.unwrap_or_default()
	}
	fn query_weight() -> Weight {
		USAGE_QUERY
	}
}

impl pallet_registry::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = frame_system::EnsureSignedBy<GovernanceMembers, AccountId>;
	type TimeProvider = Timestamp;
	type Observer = TestObserver;
	type Usage = TestUsage;
	type TwinDeposit = ConstU64<TWIN_DEPOSIT>;
	type FarmDeposit = ConstU64<FARM_DEPOSIT>;
	type NodeDeposit = ConstU64<NODE_DEPOSIT>;
	type MaxFarmsPerTwin = ConstU32<MAX_FARMS_PER_TWIN>;
	type MaxAdmittedPerFarm = ConstU32<MAX_ADMITTED>;
	type MaxCertifiers = ConstU32<MAX_CERTIFIERS>;
	type FreePowerChanges = ConstU32<FREE_POWER_CHANGES>;
	type PowerChangeWindow = ConstU64<POWER_CHANGE_WINDOW>;
	type RequireTerms = RequireTerms;
	type WeightInfo = ();
}

/// Governance is one account here, so tests can tell it from root and from others.
pub type GovernanceMembers = grid_test_kit::Governance<GovernanceAccount>;

frame::deps::frame_support::parameter_types! {
	pub const GovernanceAccount: AccountId = GOVERNANCE;
}

pub fn new_test_ext() -> TestState {
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		balances: pallet_balances::GenesisConfig {
			balances: [ALICE, BOB, CHARLIE, NODE1, NODE2, GOVERNANCE]
				.into_iter()
				.map(|who| (who, INITIAL_BALANCE))
				.collect(),
			..Default::default()
		},
		registry: Default::default(),
	}
	.build_storage()
	.unwrap();
	let mut ext = TestState::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		Timestamp::set_timestamp(1_700_000_000_000);
	});
	ext
}

/// Runs a test and checks every registry invariant afterwards.
pub fn test(f: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		f();
		Registry::do_try_state().expect("try_state after test");
	});
}
