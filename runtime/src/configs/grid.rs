//! The grid's own pallets: the registry of twins, farms and nodes.

use crate::{configs::EnsureRootOrHalfCouncil, *};
use frame_support::{parameter_types, traits::ConstBool};

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
}

impl pallet_registry::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type GovernanceOrigin = EnsureRootOrHalfCouncil;
	type TimeProvider = Timestamp;
	// Capacity contracts (a later pallet) will listen and answer here.
	type Observer = ();
	type Usage = ();
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
