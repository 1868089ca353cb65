//! Governance: sudo (dev and local chains only hold a key), a council whose members are managed
//! by `CouncilMembership`, and the farmer DAO (`Governance`), whose approved proposals make only
//! the calls of [`DaoCalls`].
//!
//! Who may make which privileged call is in README, "Governance: who may do what".

use crate::*;
use frame_support::weights::Weight;
use frame_support::{
	parameter_types,
	traits::{Contains, EitherOfDiverse},
};
use frame_system::EnsureRoot;
use sp_runtime::Perbill;

pub type CouncilCollective = pallet_collective::Instance1;

/// Root, or more than half of the council.
pub type EnsureRootOrHalfCouncil = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionMoreThan<AccountId, CouncilCollective, 1, 2>,
>;

/// An approved farmer-DAO proposal.
pub type EnsureFarmers = pallet_governance::EnsureFarmers<Runtime>;

/// Root, more than half of the council, or an approved farmer-DAO proposal: the grid's
/// governance calls (policies, pricing, certification) and council membership. The DAO can
/// only reach those of them that [`DaoCalls`] lists.
pub type EnsureGovernance = EitherOfDiverse<EnsureRootOrHalfCouncil, EnsureFarmers>;

/// Who may authorize a runtime upgrade: root, at least [`UPGRADE_AYES`] of [`UPGRADE_OF`] of
/// the council (3/5), or an approved farmer-DAO proposal.
pub type EnsureUpgrade = EitherOfDiverse<
	EitherOfDiverse<
		EnsureRoot<AccountId>,
		pallet_collective::EnsureProportionAtLeast<
			AccountId,
			CouncilCollective,
			UPGRADE_AYES,
			UPGRADE_OF,
		>,
	>,
	EnsureFarmers,
>;
/// The council's share needed to authorize an upgrade: 3 ...
pub const UPGRADE_AYES: u32 = 3;
/// ... of 5.
pub const UPGRADE_OF: u32 = 5;

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const CouncilMotionDuration: BlockNumber = 3 * DAYS;
	pub const CouncilMaxProposals: u32 = 100;
	pub const CouncilMaxMembers: u32 = 30;
	pub MaxProposalWeight: frame_support::weights::Weight =
		sp_runtime::Perbill::from_percent(50) * crate::configs::RuntimeBlockWeights::get().max_block;
}

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = CouncilMaxProposals;
	type MaxMembers = CouncilMaxMembers;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxProposalWeight;
	type DisapproveOrigin = EnsureRootOrHalfCouncil;
	type KillOrigin = EnsureRootOrHalfCouncil;
	type Consideration = ();
}

impl pallet_membership::Config<pallet_membership::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = EnsureGovernance;
	type RemoveOrigin = EnsureGovernance;
	type SwapOrigin = EnsureGovernance;
	type ResetOrigin = EnsureRootOrHalfCouncil;
	type PrimeOrigin = EnsureRootOrHalfCouncil;
	type MembershipInitialized = Council;
	type MembershipChanged = Council;
	type MaxMembers = CouncilMaxMembers;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

/// The calls an approved farmer-DAO proposal may make, and nothing else: farming policies,
/// pricing, certification, runtime upgrades, council membership, and a remark (a proposal that
/// only asks the farmers' opinion). Everything else —
/// transfers, the treasury, the validator set, sudo, batches, the `force*` repairs — stays with
/// root and the council.
pub struct DaoCalls;
impl Contains<RuntimeCall> for DaoCalls {
	fn contains(call: &RuntimeCall) -> bool {
		use pallet_membership::Call as Membership;
		matches!(
			call,
			RuntimeCall::Minting(
				pallet_minting::Call::create_policy { .. }
					| pallet_minting::Call::update_policy { .. }
					| pallet_minting::Call::attach_policy_to_farm { .. }
					| pallet_minting::Call::detach_policy_from_farm { .. }
			) | RuntimeCall::System(frame_system::Call::remark { .. })
				| RuntimeCall::Billing(pallet_billing::Call::set_policy { .. })
				| RuntimeCall::Registry(
					pallet_registry::Call::set_farm_certification { .. }
						| pallet_registry::Call::add_node_certifier { .. }
						| pallet_registry::Call::remove_node_certifier { .. }
						| pallet_registry::Call::set_connection_price { .. }
						| pallet_registry::Call::set_zos_version { .. }
				) | RuntimeCall::Governance(pallet_governance::Call::authorize_upgrade { .. })
				| RuntimeCall::CouncilMembership(
					Membership::add_member { .. }
						| Membership::remove_member { .. }
						| Membership::swap_member { .. }
				)
		)
	}
}

parameter_types! {
	/// A farmer's proposal holds this until it is closed (council members propose without).
	pub const ProposalDeposit: Balance = 50 * tft::UNIT;
	pub const MaxDaoProposals: u32 = 20;
	pub const MaxDescriptionLength: u32 = 1_024;
	pub const MaxLinkLength: u32 = 256;
	pub const MaxCallLength: u32 = 1_024;
	/// Votes last from 5 blocks (30 s, for test networks) to 30 days; the proposer picks.
	pub const MinVotingPeriod: BlockNumber = 5;
	pub const MaxVotingPeriod: BlockNumber = 30 * DAYS;
	/// One farm may be the quorum on a small grid: the turnout below is what protects.
	pub const MinVoters: u32 = 1;
	/// The farms that vote (aye and nay) must have proved at least a fifth of all farms'
	/// capacity.
	pub const MinTurnout: Perbill = Perbill::from_percent(20);
	/// Two council vetoes kill a proposal.
	pub const VetoThreshold: u32 = 2;
	/// Farms that may vote on one proposal; closing one clears its votes.
	pub const MaxVoters: u32 = 10_000;
	/// The heaviest call a proposal may carry: a quarter of a block.
	pub MaxCallWeight: Weight = Perbill::from_percent(25) * crate::configs::RuntimeBlockWeights::get().max_block;
}

impl pallet_governance::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeOrigin = RuntimeOrigin;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Council = CouncilMembership;
	type Farms = Minting;
	type DaoCalls = DaoCalls;
	type UpgradeOrigin = EnsureUpgrade;
	type ProposalDeposit = ProposalDeposit;
	type MaxProposals = MaxDaoProposals;
	type MaxDescriptionLength = MaxDescriptionLength;
	type MaxLinkLength = MaxLinkLength;
	type MaxCallLength = MaxCallLength;
	type MinVotingPeriod = MinVotingPeriod;
	type MaxVotingPeriod = MaxVotingPeriod;
	type MinVoters = MinVoters;
	type MinTurnout = MinTurnout;
	type VetoThreshold = VetoThreshold;
	type MaxVetoes = CouncilMaxMembers;
	type MaxVoters = MaxVoters;
	type MaxCallWeight = MaxCallWeight;
	type WeightInfo = pallet_governance::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::configs::GridBenchmarks;
}

/// A farm for the DAO's benchmarks: made through the registry, its proven capacity recorded
/// by minting for the last closed period (the clock moves into the second period if needed).
#[cfg(feature = "runtime-benchmarks")]
impl pallet_governance::BenchmarkHelper<Runtime> for crate::configs::GridBenchmarks {
	fn farm_with_weight(
		owner: &AccountId,
		weight: grid_primitives::governance::VoteWeight,
	) -> grid_primitives::registry::FarmId {
		use grid_primitives::{benchmarking::BenchmarkTime, registry::RegistryBenchmarking};
		let farm = <Registry as RegistryBenchmarking<AccountId>>::farm_with_ips(owner, 0);
		if let Some(params) = pallet_minting::Params::<Runtime>::get() {
			let second_period = params.bounds(1).0;
			if pallet_timestamp::Now::<Runtime>::get() / 1_000 < second_period {
				Self::set_unix_time(second_period);
			}
		}
		Minting::benchmark_farm_proven(farm, weight);
		farm
	}
}
