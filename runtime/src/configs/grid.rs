//! The grid's own pallets: the registry of twins, farms and nodes, capacity contracts,
//! billing, minting, and the TFT price oracle.

use crate::{configs::EnsureRootOrHalfCouncil, *};
use frame_support::{
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstBool, ConstU32, ConstU64},
	weights::Weight,
};
use sp_runtime::Perbill;

parameter_types! {
	/// Held per twin, farm and node so that registry state costs something (a fee is only
	/// ≈0.001 TFT); released when the record is deleted.
	pub const TwinDeposit: Balance = tft::UNIT;
	pub const FarmDeposit: Balance = 5 * tft::UNIT;
	pub const NodeDeposit: Balance = 5 * tft::UNIT;
	pub const MaxAdmittedPerFarm: u32 = 1_000;
	pub const MaxNodeCertifiers: u32 = 32;
	/// A twin transfer moves every farm of the twin in one call.
	pub const MaxFarmsPerTwin: u32 = 100;
	/// Free power-state reports per node and day: three sleep/wake cycles of a farmer bot.
	/// Further reports pay their fee.
	pub const FreePowerChanges: u32 = 6;
	pub const PowerChangeWindow: BlockNumber = DAYS;
	/// Held per contract (a contract's records are a few hundred bytes); returned when it ends.
	pub const ContractDeposit: Balance = tft::UNIT;
	pub const ProviderDeposit: Balance = 5 * tft::UNIT;
	/// Node deletion ends every contract on the node in one call: 200 keeps that call within a
	/// small part of a block (see the `node_removed` benchmark) and leaves room in a farm's pool
	/// of 256 IPs.
	pub const MaxContractsPerNode: u32 = 200;
	pub const MaxContractsPerTwin: u32 = 1_000;
	/// A node reports its contracts' usage in batches of this many.
	pub const MaxUsageReports: u32 = 50;
	/// Farming policies are never deleted; 64 leaves room for years of farm deals.
	pub const MaxPolicies: u32 = 64;
	/// A year of unclaimed periods per node; after that rewards are paid as periods close.
	pub const MaxUnclaimed: u32 = 12;
	/// A farm claim pays this many receipts (each a mint and a few writes).
	pub const MaxClaimBatch: u32 = 100;
	/// Price feeders: the validators and a few more.
	pub const MaxFeeders: u32 = 32;
	/// A day of one-minute windows, and a few to spare.
	pub const MaxPriceHistory: u32 = 1_500;
	/// Charging may use a quarter of the normal class in every block.
	pub BillingBudget: Weight = Perbill::from_percent(25)
		* crate::configs::RuntimeBlockWeights::get()
			.get(DispatchClass::Normal)
			.max_total
			.unwrap_or(crate::configs::RuntimeBlockWeights::get().max_block);
	/// A charging pass of at most a day.
	pub const MaxPassBlocks: u32 = DAYS;
	pub const MaxWindowMove: sp_runtime::Percent = sp_runtime::Percent::from_percent(10);
}

impl pallet_registry::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = crate::configs::EnsureGovernance;
	type TimeProvider = Timestamp;
	// Capacity ends the contracts on a removed node first: billing settles them with the
	// node's timeline and tells minting what they paid for its network; then minting closes
	// the node's period with all of it (`a_removed_node_is_settled_before_its_period_closes`
	// in `runtime/tests/exploits.rs` fails if this order changes). Capacity also says what is
	// reserved where.
	type Observer = (Capacity, Minting);
	type Usage = GridUsage;
	type TwinDeposit = TwinDeposit;
	type FarmDeposit = FarmDeposit;
	type NodeDeposit = NodeDeposit;
	type MaxFarmsPerTwin = MaxFarmsPerTwin;
	type MaxAdmittedPerFarm = MaxAdmittedPerFarm;
	type MaxCertifiers = MaxNodeCertifiers;
	type FreePowerChanges = FreePowerChanges;
	type PowerChangeWindow = PowerChangeWindow;
	/// Accepting the terms is recorded but not required to create a twin.
	type RequireTerms = ConstBool<false>;
	type WeightInfo = pallet_registry::weights::SubstrateWeight<Runtime>;
}

/// What runs on a node (capacity) and what a twin holds: its contracts, and billing's record
/// of it (committed TFT), which must stay within its owner's reach.
pub struct GridUsage;
impl grid_primitives::registry::NodeUsage for GridUsage {
	fn node_has_active_contracts(node: grid_primitives::registry::NodeId) -> bool {
		<Capacity as grid_primitives::registry::NodeUsage>::node_has_active_contracts(node)
	}
	fn twin_has_contracts(twin: grid_primitives::registry::TwinId) -> bool {
		<Capacity as grid_primitives::registry::NodeUsage>::twin_has_contracts(twin)
			|| Billing::is_payer(twin)
	}
	fn reserved_capacity(
		node: grid_primitives::registry::NodeId,
	) -> grid_primitives::resources::Resources {
		<Capacity as grid_primitives::registry::NodeUsage>::reserved_capacity(node)
	}
	fn query_weight() -> Weight {
		<Capacity as grid_primitives::registry::NodeUsage>::query_weight()
			.saturating_add(<Runtime as frame_system::Config>::DbWeight::get().reads(2))
	}
}

impl pallet_capacity::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Registry;
	type IpPool = Registry;
	type Billing = Billing;
	type GovernanceOrigin = EnsureRootOrHalfCouncil;
	type TimeProvider = Timestamp;
	type Signature = Signature;
	type ContractDeposit = ContractDeposit;
	type ProviderDeposit = ProviderDeposit;
	type MaxContractsPerNode = MaxContractsPerNode;
	type MaxContractsPerTwin = MaxContractsPerTwin;
	type MaxUsageReports = MaxUsageReports;
	type WeightInfo = pallet_capacity::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = GridBenchmarks;
}

impl pallet_minting::Config for Runtime {
	type Currency = Balances;
	type Registry = Registry;
	type TimeProvider = Timestamp;
	type GovernanceOrigin = crate::configs::EnsureGovernance;
	type Signature = Signature;
	type MaxPolicies = MaxPolicies;
	type MaxUnclaimed = MaxUnclaimed;
	type MaxClaimBatch = MaxClaimBatch;
	type WeightInfo = pallet_minting::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = GridBenchmarks;
}

impl pallet_billing::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Contracts = Capacity;
	type Network = Capacity;
	type Registry = Registry;
	type Liveness = Minting;
	type Revenue = Minting;
	type Price = TftPrice;
	type TimeProvider = Timestamp;
	type GovernanceOrigin = crate::configs::EnsureGovernance;
	type TreasuryAccount = crate::configs::TreasuryAccount;
	type ChargeBudget = BillingBudget;
	type MaxContractsPerPayer = MaxContractsPerTwin;
	type MaxPassBlocks = MaxPassBlocks;
	type WeightInfo = pallet_billing::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = GridBenchmarks;
}

impl pallet_tft_price::Config for Runtime {
	type TimeProvider = Timestamp;
	type GovernanceOrigin = EnsureRootOrHalfCouncil;
	type Signature = Signature;
	type MaxFeeders = MaxFeeders;
	type MaxHistory = MaxPriceHistory;
	/// Feeders may submit $0.001 … $100 per TFT; anything else is a broken source.
	/// A window's price moves at most 10 % from the average feeders agreed on.
	type MaxWindowMove = MaxWindowMove;
	type MinAcceptedPrice = ConstU32<1>;
	type MaxAcceptedPrice = ConstU32<100_000>;
	type BlockTime = ConstU64<{ SLOT_DURATION / 1_000 }>;
	type WeightInfo = pallet_tft_price::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = GridBenchmarks;
}

/// What the grid pallets' benchmarks need from the runtime, implemented once: the clock, a key
/// that signs (uptime reports, usage batches, price submissions), a node that is up and a
/// trusted price. They
/// build twins, farms, nodes and contracts through the registry and capacity themselves.
#[cfg(feature = "runtime-benchmarks")]
pub struct GridBenchmarks;

#[cfg(feature = "runtime-benchmarks")]
impl grid_primitives::benchmarking::BenchmarkTime for GridBenchmarks {
	fn set_unix_time(secs: u64) {
		pallet_timestamp::Now::<Runtime>::put(secs * 1_000);
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl grid_primitives::benchmarking::BenchmarkSigner<AccountId, Signature> for GridBenchmarks {
	fn key() -> AccountId {
		sp_io::crypto::sr25519_generate(BENCH_KEY, Some(b"//GridBenchNode".to_vec())).into()
	}
	fn sign(who: &AccountId, payload: &[u8]) -> Signature {
		let public = sp_core::sr25519::Public::from_raw(*who.as_ref());
		sp_io::crypto::sr25519_sign(BENCH_KEY, &public, payload)
			.expect("the benchmark key is in the keystore")
			.into()
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_billing::BenchmarkHelper for GridBenchmarks {
	fn node_up(node: grid_primitives::registry::NodeId, since: u64) {
		Minting::benchmark_node_up(node, since);
	}
	fn trust_price() {
		// A price fed at Unix second 0 counts as never fed: benchmarks that start at genesis
		// time move the clock first.
		if pallet_timestamp::Now::<Runtime>::get() == 0 {
			pallet_timestamp::Now::<Runtime>::put(1_000);
		}
		let root = || frame_system::RawOrigin::Root.into();
		if let Some(params) = pallet_tft_price::Params::<Runtime>::get() {
			let params = pallet_tft_price::PriceParams { fresh_for: 30 * 24 * 3_600, ..params };
			let _ = TftPrice::set_params(root(), params);
		}
		let _ = TftPrice::force_price(root(), grid_primitives::money::MusdPerTft(80));
	}
}

/// Key type of the minting and price benchmarks' key.
#[cfg(feature = "runtime-benchmarks")]
const BENCH_KEY: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"gbch");
