//! Weights for `pallet_governance`, measured by its benchmarks (`benchmarking.rs`).
//!
//! placeholder until scripts/bench.sh measures this pallet: the numbers below are estimates
//! (in the shape the benchmark CLI writes), not measurements. Regenerate this file with
//! `scripts/bench.sh` once the pallet is in the runtime; do not edit it by hand afterwards.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame::weights_prelude::*;

/// The weight of each call of `pallet_governance`.
pub trait WeightInfo {
	fn propose(l: u32, ) -> Weight;
	fn vote() -> Weight;
	fn veto() -> Weight;
	fn close(v: u32, ) -> Weight;
	fn authorize_upgrade() -> Weight;
}

/// Weights for the runtime, priced with the runtime's `DbWeight`.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	// placeholder until scripts/bench.sh measures this pallet
	/// Storage: `Governance::CounterForProposals` (r:1 w:1)
	/// Storage: `Governance::ProposalCount` (r:1 w:1)
	/// Storage: `CouncilMembership::Members` (r:1 w:0)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `System::Account` (r:1 w:1)
	/// Storage: `Governance::ProposalCalls` (r:0 w:1)
	/// Storage: `Governance::Proposals` (r:0 w:1)
	/// The range of component `l` is `[16, 16384]`.
	fn propose(l: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(Weight::from_parts(2_000, 0).saturating_mul(l.into()))
			.saturating_add(T::DbWeight::get().reads(5))
			.saturating_add(T::DbWeight::get().writes(6))
			.saturating_add(Weight::from_parts(0, 1).saturating_mul(l.into()))
	}
	// placeholder until scripts/bench.sh measures this pallet
	/// Storage: `Governance::Proposals` (r:1 w:1)
	/// Storage: `Governance::Votes` (r:1 w:1)
	fn vote() -> Weight {
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	// placeholder until scripts/bench.sh measures this pallet
	/// Storage: `CouncilMembership::Members` (r:1 w:0)
	/// Storage: `Governance::Proposals` (r:1 w:1)
	fn veto() -> Weight {
		Weight::from_parts(35_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	// placeholder until scripts/bench.sh measures this pallet
	/// Storage: `Governance::Proposals` (r:1 w:1)
	/// Storage: `Governance::ProposalCalls` (r:1 w:1)
	/// Storage: `Governance::CounterForProposals` (r:1 w:1)
	/// Storage: `Governance::Votes` (r:0 w:v)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Storage: `System::Account` (r:1 w:1)
	/// The range of component `v` is `[0, 10000]`.
	fn close(v: u32, ) -> Weight {
		Weight::from_parts(120_000_000, 20_000)
			.saturating_add(Weight::from_parts(8_000_000, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(5))
			.saturating_add(T::DbWeight::get().writes(5))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(v.into())))
			.saturating_add(Weight::from_parts(0, 60).saturating_mul(v.into()))
	}
	// placeholder until scripts/bench.sh measures this pallet
	/// Storage: `System::AuthorizedUpgrade` (r:0 w:1)
	fn authorize_upgrade() -> Weight {
		Weight::from_parts(15_000_000, 0)
			.saturating_add(T::DbWeight::get().writes(1))
	}
}

/// The same weights priced with ParityDB's access costs, for tests and mocks.
impl WeightInfo for () {
	// placeholder until scripts/bench.sh measures this pallet
	fn propose(l: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(Weight::from_parts(2_000, 0).saturating_mul(l.into()))
			.saturating_add(ParityDbWeight::get().reads(5))
			.saturating_add(ParityDbWeight::get().writes(6))
			.saturating_add(Weight::from_parts(0, 1).saturating_mul(l.into()))
	}
	fn vote() -> Weight {
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(2))
			.saturating_add(ParityDbWeight::get().writes(2))
	}
	fn veto() -> Weight {
		Weight::from_parts(35_000_000, 4_000)
			.saturating_add(ParityDbWeight::get().reads(2))
			.saturating_add(ParityDbWeight::get().writes(1))
	}
	fn close(v: u32, ) -> Weight {
		Weight::from_parts(120_000_000, 20_000)
			.saturating_add(Weight::from_parts(8_000_000, 0).saturating_mul(v.into()))
			.saturating_add(ParityDbWeight::get().reads(5))
			.saturating_add(ParityDbWeight::get().writes(5))
			.saturating_add(ParityDbWeight::get().writes((1_u64).saturating_mul(v.into())))
			.saturating_add(Weight::from_parts(0, 60).saturating_mul(v.into()))
	}
	fn authorize_upgrade() -> Weight {
		Weight::from_parts(15_000_000, 0)
			.saturating_add(ParityDbWeight::get().writes(1))
	}
}
