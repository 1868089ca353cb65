//! `impl Config` for every pallet of the runtime, grouped by concern.

mod accounts;
mod consensus;
mod governance;
mod grid;
mod monetary;
mod system;

pub use accounts::ProxyType;
pub use consensus::MinSessionLength;
pub use governance::{
	CouncilCollective, DaoCalls, EnsureGovernance, EnsureRootOrHalfCouncil, EnsureUpgrade,
};
#[cfg(feature = "runtime-benchmarks")]
pub use grid::GridBenchmarks;
pub use grid::{
	BillingBudget, ContractDeposit, FarmDeposit, MaxContractsPerNode, NodeDeposit, TwinDeposit,
};
pub use monetary::{
	DealWithFees, ExistentialDeposit, TransactionByteFee, TreasuryAccount, WeightToFee,
	AUTHOR_FEE_SHARE, BASE_EXTRINSIC_FEE, TREASURY_FEE_SHARE,
};
pub use system::{RuntimeBlockLength, RuntimeBlockWeights};
