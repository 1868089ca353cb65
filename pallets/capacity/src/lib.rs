//! # Capacity
//!
//! Users rent grid capacity through contracts; this pallet issues them and keeps every node's
//! books so that **a node is never sold beyond what it registered**.
//!
//! ## Contracts
//! - A **node contract** deploys a workload on a node: a 32-byte deployment hash (unique among
//!   the node's live contracts), opaque deployment data (≤ 512 bytes), the resources it reserves
//!   and a number of public IPv4s taken from the farm's pool (which ones is recorded and
//!   emitted). It is refused on a node in standby (power target or state down), on a dedicated
//!   farm's node or a node with an extra fee, and on a node rented by another twin — except that
//!   the renter deploys freely on its rented node. Its owner updates it (hash, data, resize
//!   within free capacity; never in grace) and cancels it.
//! - A **rent contract** takes a whole node (also in standby) for one twin, priced on the
//!   capacity the node has when it is rented (a node that grows later does not raise a running
//!   rent), with the farmer's extra fee up to the most the renter names; only the renter
//!   places node contracts on it, and none while the rent is in grace. Its owner cannot cancel it
//!   while node contracts remain on it (cancel those first); when it ends for any other cause they
//!   end with it, and its grace starts and ends theirs (they have the same payer).
//! - A **name contract** holds a unique gateway name (3..=64 of `[a-z0-9_-]`) until it ends.
//!
//! Every contract holds [`Config::ContractDeposit`] from the account that created it, returned
//! when it ends — after the contract's last charge, so that a payer's unpaid bill is paid from
//! it first. Billing may refuse a new contract ([`grid_primitives::contracts::ContractObserver`]):
//! its payer is in grace, owes written-off debt, or cannot pay for a first period. A contract moves Created → GracePeriod → Created under billing's control
//! ([`grid_primitives::contracts::ContractLifecycle`]) and ends for a cause (owner, out of funds,
//! governance, node removed, farmer); an ended contract leaves storage at once, releasing its
//! IPs, capacity, name and deposit exactly once. Each transition emits an event naming the
//! contract, its twin and its node, which the bridge follows.
//!
//! ## Capacity accounting
//! Per node, [`NodeLoads`] holds the sum of its node contracts' resources; it never exceeds the
//! node's registered capacity, and the registry refuses an `update_node` below it (through
//! [`grid_primitives::registry::NodeUsage`], which this pallet implements; a rented node counts
//! as wholly reserved). A node with contracts (or rented) cannot be powered down or deleted by its
//! farmer; when the node deletes itself, everything on it ends with cause `NodeRemoved`.
//!
//! ## Dedicated nodes and extra fees
//! The farmer sets a node's monthly extra fee (mUSD, at most [`Limits::max_extra_fee`]); a node
//! with a fee, like every node of a dedicated farm, is rented whole or not at all. A renter names
//! the most fee it accepts when it rents, so a fee raised just before cannot drain it. A lower
//! fee applies to a running rent at once; a higher one only after [`Limits::fee_notice`], and
//! the renter may leave before. Billing charges the fee.
//!
//! ## Usage reports
//! The node hosting a contract reports, in bounded batches ([`UsageBatch`]), the resources each
//! contract used and its public traffic over a window of Unix seconds, with
//! [`Pallet::report_usage`]. The node's account signs the batch **inside the call**
//! (`("gridchain/usage-report/v1", batch)` SCALE-encoded: [`UsageBatch::signing_payload`]): it
//! is an *authorized* general transaction (`#[pallet::authorize]`), free, checked before it
//! enters the transaction pool and again in the block, like minting's uptime reports. An
//! unknown node, a bad signature, an empty batch, a batch sooner than
//! [`Limits::usage_report_gap`] after the node's last accepted one ([`LastUsageBatch`]), a
//! report for another node's contract or for a contract that is no node contract, an
//! unfinished or empty window, more traffic than 10 Gbit/s over the window, or a batch beyond
//! the node's traffic allowance (all its contracts together: [`Limits::node_traffic_per_second`],
//! an hour of it at most at once) refuses the whole batch there, so spam never reaches a block
//! and a node gets at most one batch into the chain per gap (the pool keeps one per node); a
//! window that starts before the last accepted one ended (stale or duplicate), a contract that
//! has ended and a contract in grace (its workloads are paused) are skipped and counted in the
//! event. A contract's owner may cap
//! the traffic its node may bill per hour ([`Pallet::set_traffic_limit`]); traffic above it is
//! not counted. Billing reads each contract's running total through
//! [`grid_primitives::contracts::NetworkUsage`].
//!
//! ## Solution providers
//! Anyone creates one (holding [`Config::ProviderDeposit`]) with up to 5 accounts whose shares sum
//! to at most 50 %; governance approves it; a contract's owner attaches an approved one once, at
//! creation or later. Its creator may remove it (deposit back); contracts that named it then
//! share with nobody.
//!
//! ## Weights of other pallets' work
//! Calls that tell billing ([`Config::Billing`]) charge its declared bound. The registry work a
//! call causes (reading nodes, reserving IPs) is part of the benchmarked weight: benchmarks run
//! against the real registry.

#![cfg_attr(not(feature = "std"), no_std)]
// Tests may panic and index: they are not the runtime.
#![cfg_attr(
	test,
	allow(
		clippy::arithmetic_side_effects,
		clippy::unwrap_used,
		clippy::expect_used,
		clippy::indexing_slicing
	)
)]

extern crate alloc;

mod api;
mod contracts;
mod invariants;
pub mod migrations;
mod providers;
mod reports;
pub mod types;
mod utility;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use types::*;

pub use weights::WeightInfo;

#[frame::pallet]
// FRAME's generated code (storage info, error encoding, genesis) does what the lints forbid.
#[allow(
	clippy::arithmetic_side_effects,
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing
)]
pub mod pallet {
	use super::*;
	use frame::{
		prelude::*,
		traits::{fungible, IdentifyAccount, UnixTime, Verify},
	};
	use grid_primitives::{
		contracts::{ContractObserver, EndCause, ProviderId},
		money::Musd,
		registry::{AssignedIp, ContractId, GridRegistry, NodeId, PublicIpPool, TwinId},
		resources::Resources,
	};

	/// An amount of [`Config::Currency`], in planck (deposits).
	pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;
	/// A contract as stored in [`Contracts`].
	pub type ContractOf<T> =
		Contract<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
	/// A solution provider as stored in [`Providers`].
	pub type ProviderOf<T> = SolutionProvider<<T as frame_system::Config>::AccountId, BalanceOf<T>>;
	/// A solution provider's accounts, each with its percent of every bill.
	pub type SharesOf<T> = ProviderShares<<T as frame_system::Config>::AccountId>;
	/// The reports of one usage batch, at most [`Config::MaxUsageReports`].
	pub type UsageReports<T> = BoundedVec<UsageReport, <T as Config>::MaxUsageReports>;
	/// A node's signed usage batch, the argument of [`Pallet::report_usage`].
	pub type UsageBatchOf<T> = UsageBatch<<T as Config>::MaxUsageReports>;

	/// 1 (spec 102): rents record their capacity and agreed fee, traffic caps and allowances
	/// ([`crate::migrations::v1`]).
	/// 2 (spec 103): the limits gain the usage report gap ([`crate::migrations::v2`]).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit of a contract, held from its payer.
		ContractDeposit,
		/// Deposit of a solution provider, held from its creator.
		ProviderDeposit,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Holds the deposits.
		type Currency: fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::Mutate<Self::AccountId>;
		/// The runtime's hold reason, which includes this pallet's [`HoldReason`].
		type RuntimeHoldReason: From<HoldReason>;
		/// Twins, nodes and farms.
		type Registry: GridRegistry<Self::AccountId, BlockNumberFor<Self>>
			+ grid_primitives::registry::MaybeRegistryBenchmarking<Self::AccountId>;
		/// The farms' public IPv4 pools.
		type IpPool: PublicIpPool;
		/// Told when contracts start, are about to change, and end (billing settles there).
		type Billing: ContractObserver;
		/// Ends any contract and approves solution providers.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Wall-clock time for usage windows, the usage report gap and IPv4-seconds.
		type TimeProvider: UnixTime;
		/// What nodes sign their usage batches with (the chain's account signature).
		type Signature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>> + Parameter;
		/// Held per contract while it lives.
		#[pallet::constant]
		type ContractDeposit: Get<BalanceOf<Self>>;
		/// Held per solution provider.
		#[pallet::constant]
		type ProviderDeposit: Get<BalanceOf<Self>>;
		/// Most node contracts on one node (node deletion ends them all in one call).
		#[pallet::constant]
		type MaxContractsPerNode: Get<u32>;
		/// Most live contracts of one twin.
		#[pallet::constant]
		type MaxContractsPerTwin: Get<u32>;
		/// Most reports in one usage batch.
		#[pallet::constant]
		type MaxUsageReports: Get<u32>;
		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;
		/// Moves the clock (usage windows must be over before they are reported) and signs
		/// usage batches for the benchmarks; they build twins, farms and nodes through
		/// [`Config::Registry`].
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: grid_primitives::benchmarking::BenchmarkTime
			+ grid_primitives::benchmarking::BenchmarkSigner<Self::AccountId, Self::Signature>;
	}

	/// The last contract id issued (ids start at 1 and are never reused).
	#[pallet::storage]
	pub type LastContractId<T> = StorageValue<_, ContractId, ValueQuery>;

	/// Live contracts by id.
	#[pallet::storage]
	pub type Contracts<T: Config> = StorageMap<_, Twox64Concat, ContractId, ContractOf<T>>;

	/// The live contracts of each twin.
	#[pallet::storage]
	pub type ContractsOfTwin<T> =
		StorageDoubleMap<_, Twox64Concat, TwinId, Twox64Concat, ContractId, ()>;

	/// How many live contracts each twin has (at most [`Config::MaxContractsPerTwin`]).
	#[pallet::storage]
	pub type TwinContractCount<T> = StorageMap<_, Twox64Concat, TwinId, u32, ValueQuery>;

	/// The live node contracts on each node.
	#[pallet::storage]
	pub type NodeContracts<T> =
		StorageDoubleMap<_, Twox64Concat, NodeId, Twox64Concat, ContractId, ()>;

	/// What the node contracts on each node reserve, and how many there are (at most
	/// [`Config::MaxContractsPerNode`]).
	#[pallet::storage]
	pub type NodeLoads<T> = StorageMap<_, Twox64Concat, NodeId, NodeLoad, ValueQuery>;

	/// The node contract of each (node, deployment hash).
	#[pallet::storage]
	pub type ContractByHash<T> =
		StorageDoubleMap<_, Twox64Concat, NodeId, Identity, DeploymentHash, ContractId>;

	/// The rent contract of each rented node.
	#[pallet::storage]
	pub type RentOf<T> = StorageMap<_, Twox64Concat, NodeId, ContractId>;

	/// The name contract of each gateway name.
	#[pallet::storage]
	pub type NameOwner<T> = StorageMap<_, Blake2_128Concat, GatewayName, ContractId>;

	/// The farmer's monthly extra fee for each dedicated node (mUSD); such a node is rent-only.
	#[pallet::storage]
	pub type ExtraFees<T> = StorageMap<_, Twox64Concat, NodeId, Musd>;

	/// What the host node has reported for each live node contract.
	#[pallet::storage]
	pub type ContractUsages<T> = StorageMap<_, Twox64Concat, ContractId, ContractUsage>;

	/// Each node's traffic allowance (what it may still report for all its contracts).
	#[pallet::storage]
	pub type NodeNetworks<T> = StorageMap<_, Twox64Concat, NodeId, NodeNetwork, ValueQuery>;

	/// The limits governance sets on traffic, extra fees and usage reports.
	#[pallet::storage]
	pub type GridLimits<T> = StorageValue<_, Limits, ValueQuery>;

	/// When each node's last usage batch was accepted, Unix seconds of chain time: the next is
	/// refused before [`Limits::usage_report_gap`] has passed. Removed with the node.
	#[pallet::storage]
	pub type LastUsageBatch<T> = StorageMap<_, Twox64Concat, NodeId, u64>;

	/// The last solution provider id issued.
	#[pallet::storage]
	pub type LastProviderId<T> = StorageValue<_, ProviderId, ValueQuery>;

	/// Solution providers by id.
	#[pallet::storage]
	pub type Providers<T: Config> = StorageMap<_, Twox64Concat, ProviderId, ProviderOf<T>>;

	#[pallet::genesis_config]
	#[derive(frame::prelude::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The grid's limits (`None`: [`Limits::default`]); a preset sets a short usage report
		/// gap to fit its report interval.
		pub limits: Option<Limits>,
		/// Binds the config to the runtime; not part of the chain spec.
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(limits) = self.limits {
				assert!(limits.is_valid(), "invalid genesis capacity limits");
				GridLimits::<T>::put(limits);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Twin `twin_id` deployed `deployment_hash` on `node_id`, reserving `resources` and
		/// the `public_ips`.
		NodeContractCreated {
			/// The new node contract.
			contract_id: ContractId,
			/// The twin that owns it.
			twin_id: TwinId,
			/// The node it deploys on.
			node_id: NodeId,
			/// The deployment's hash, unique among the node's live contracts.
			deployment_hash: DeploymentHash,
			/// What the deployment reserves on the node.
			resources: Resources,
			/// The public IPv4s taken from the farm's pool (empty when none were asked for).
			public_ips: ContractIps,
		},
		/// The deployment changed: new hash, data or `resources`.
		NodeContractUpdated {
			/// The updated node contract.
			contract_id: ContractId,
			/// The twin that owns it.
			twin_id: TwinId,
			/// The node it runs on.
			node_id: NodeId,
			/// The deployment's hash now.
			deployment_hash: DeploymentHash,
			/// What the deployment reserves on the node now.
			resources: Resources,
		},
		/// Twin `twin_id` rents all of `node_id`.
		RentContractCreated {
			/// The new rent contract.
			contract_id: ContractId,
			/// The renter, the only twin that may deploy on the node now.
			twin_id: TwinId,
			/// The rented node.
			node_id: NodeId,
		},
		/// Twin `twin_id` holds gateway name `name`.
		NameContractCreated {
			/// The new name contract.
			contract_id: ContractId,
			/// The twin that owns it.
			twin_id: TwinId,
			/// The gateway name it holds.
			name: GatewayName,
		},
		/// The payer could not pay: the contract is in grace since block `since` (workloads
		/// pause).
		ContractGraceStarted {
			/// The contract in grace.
			contract_id: ContractId,
			/// The twin that owns it.
			twin_id: TwinId,
			/// The node it runs on or rents (`None` for a name contract).
			node_id: Option<NodeId>,
			/// The block grace started in.
			since: BlockNumberFor<T>,
		},
		/// The payer paid: the contract runs again.
		ContractGraceEnded {
			/// The contract out of grace.
			contract_id: ContractId,
			/// The twin that owns it.
			twin_id: TwinId,
			/// The node it runs on or rents (`None` for a name contract).
			node_id: Option<NodeId>,
		},
		/// The contract ended for `cause` and left storage; its IPs, capacity, name and deposit
		/// are released.
		ContractEnded {
			/// The contract that ended (its id is never reused).
			contract_id: ContractId,
			/// The twin that owned it.
			twin_id: TwinId,
			/// The node it ran on or rented (`None` for a name contract).
			node_id: Option<NodeId>,
			/// Why it ended.
			cause: EndCause,
		},
		/// The farmer set the node's monthly extra fee (`Musd(0)`: none, the node is no longer
		/// rent-only). A running rent pays a lower fee from now on.
		ExtraFeeSet {
			/// The node the fee is for.
			node_id: NodeId,
			/// The new monthly extra fee, mUSD (`Musd(0)`: none).
			fee: Musd,
		},
		/// A higher extra fee applies to the running rent `contract_id` from Unix second `from`;
		/// its renter may end the rent before.
		ExtraFeeIncreaseScheduled {
			/// The running rent contract.
			contract_id: ContractId,
			/// The renter.
			twin_id: TwinId,
			/// The rented node.
			node_id: NodeId,
			/// The higher monthly extra fee, mUSD.
			fee: Musd,
			/// The Unix second it applies from ([`Limits::fee_notice`] after it was set).
			from: u64,
		},
		/// The owner capped the traffic the node may bill for the contract (bytes per hour;
		/// `None`: no cap).
		TrafficLimitSet {
			/// The node contract capped.
			contract_id: ContractId,
			/// The twin that owns it.
			twin_id: TwinId,
			/// Most public traffic the node may bill, bytes per hour (`None`: no cap).
			limit: Option<u64>,
		},
		/// `node_id` reported usage: `accepted` reports counted, `skipped` were stale,
		/// duplicate, for ended contracts or for contracts in grace; `capped_bytes` of traffic
		/// were above their owners' caps and not counted.
		UsageReported {
			/// The node that reported.
			node_id: NodeId,
			/// How many reports were counted.
			accepted: u32,
			/// How many reports were ignored: stale, duplicate, ended contract or in grace.
			skipped: u32,
			/// Traffic above the owners' caps, not counted, bytes.
			capped_bytes: u64,
		},
		/// Governance set the limits.
		LimitsSet {
			/// The limits in force from now on.
			limits: Limits,
		},
		/// `owner` created solution provider `provider_id`, awaiting approval.
		SolutionProviderCreated {
			/// The new provider.
			provider_id: ProviderId,
			/// Its creator, from whom [`Config::ProviderDeposit`] is held.
			owner: T::AccountId,
		},
		/// Governance approved (or withdrew approval of) the provider.
		SolutionProviderApproved {
			/// The provider.
			provider_id: ProviderId,
			/// `true`: approved; `false`: approval withdrawn.
			approved: bool,
		},
		/// The provider shares in the bills of the contract (of `twin_id`, on `node_id`) from now
		/// on.
		SolutionProviderAttached {
			/// The contract whose bills it shares in.
			contract_id: ContractId,
			/// The twin that owns the contract.
			twin_id: TwinId,
			/// The contract's node (`None` for a name contract).
			node_id: Option<NodeId>,
			/// The attached provider.
			provider_id: ProviderId,
		},
		/// Its owner removed the provider and got its deposit back; contracts that named it
		/// pay it no more.
		SolutionProviderRemoved {
			/// The removed provider (its id is never reused).
			provider_id: ProviderId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		// -- inputs --
		/// Gateway names are 3..=64 of `[a-z0-9_-]`.
		InvalidName,
		/// Provider shares: 1..=5 accounts, each 1..=50 %, together at most 50 %.
		InvalidProviderShares,
		/// An account is listed twice among the provider's shares.
		DuplicateProviderAccount,
		/// A usage window must be non-empty and over.
		InvalidWindow,
		/// More traffic than 10 Gbit/s over the window.
		ImplausibleTraffic,
		/// The batch's traffic is above what the node may still report (its allowance at the
		/// governed rate, all its contracts together).
		NodeTrafficExceeded,
		/// The extra fee is above the governed maximum.
		ExtraFeeTooHigh,
		/// The node's extra fee is above the most the renter accepts.
		ExtraFeeAboveMax,
		/// Limits: the node traffic rate must be 1 … 10 Gbit/s and the usage report gap above
		/// 0 s.
		InvalidLimits,
		/// A node contract takes at most 16 public IPs.
		TooManyIps,
		// -- who --
		/// The caller has no twin.
		TwinNotFound,
		/// The caller's twin does not own the contract.
		NotContractOwner,
		/// The caller's twin does not own the node's farm.
		NotFarmer,
		// -- nodes --
		/// No node has this id, or the caller is no node.
		NodeNotFound,
		/// The node is in standby (asked down or down); only its renter deploys on it.
		NodeOnStandby,
		/// The node is rented whole or not at all (dedicated farm or extra fee): rent it first.
		NodeRequiresRent,
		/// Another twin rents the node.
		NodeRentedByOther,
		/// The node is rented already.
		NodeAlreadyRented,
		/// The node has contracts (renting it, or setting its extra fee, needs it empty).
		NodeHasContracts,
		/// The node has no free capacity for this.
		NotEnoughCapacity,
		/// The farm has fewer free public IPs than asked for.
		NotEnoughPublicIps,
		/// The node holds [`Config::MaxContractsPerNode`] node contracts.
		TooManyContractsOnNode,
		// -- contracts --
		/// No live contract has this id.
		ContractNotFound,
		/// The twin has [`Config::MaxContractsPerTwin`] live contracts.
		TooManyContracts,
		/// A live contract on this node has this deployment hash.
		DeploymentHashExists,
		/// Only node contracts can be updated or report usage.
		NotANodeContract,
		/// The contract is in grace: pay first.
		ContractInGrace,
		/// The contract is not in grace.
		ContractNotInGrace,
		/// Node contracts remain on the rented node: cancel them first.
		RentHasNodeContracts,
		/// Another name contract holds this name.
		NameTaken,
		/// The report is for a contract on another node.
		NotContractNode,
		// -- providers --
		/// No solution provider has this id.
		ProviderNotFound,
		/// Governance has not approved this provider.
		ProviderNotApproved,
		/// The contract has a solution provider already.
		ProviderAlreadyAttached,
		/// The caller did not create this provider.
		NotProviderOwner,
		// -- arithmetic --
		/// An id counter would overflow.
		IdOverflow,
		/// A stored count or sum disagrees with what it counts (storage is inconsistent;
		/// governance must repair it). Nothing was changed.
		InconsistentState,
		// -- usage batches (refused in the pool too) --
		/// A usage batch must hold at least one report.
		EmptyUsageBatch,
		/// The node's last usage batch was accepted less than [`Limits::usage_report_gap`] ago.
		UsageBatchTooEarly,
		/// The usage batch is not signed by the node's account.
		BadSignature,
		/// No report of the usage batch starts a new window of a live contract (a replay of a
		/// batch already taken, or nothing to count).
		StaleUsageBatch,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxContractsPerNode::get() > 0, "MaxContractsPerNode must be > 0");
			assert!(T::MaxContractsPerTwin::get() > 0, "MaxContractsPerTwin must be > 0");
			assert!(T::MaxUsageReports::get() > 0, "MaxUsageReports must be > 0");
			// The benchmarks fill one node with a twin's contracts.
			assert!(
				T::MaxContractsPerTwin::get() > T::MaxContractsPerNode::get(),
				"a twin must be able to fill a node (rent + node contracts)"
			);
			assert!(
				T::MaxUsageReports::get() <= T::MaxContractsPerNode::get(),
				"a usage batch reports on one node's contracts"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight = <T as Config>::WeightInfo)]
	impl<T: Config> Pallet<T> {
		/// Deploy a workload on a node, holding [`Config::ContractDeposit`] from the caller.
		///
		/// - Origin: signed, an account with a twin that has fewer than
		///   [`Config::MaxContractsPerTwin`] contracts.
		/// - `node_id`: a node not in standby, not rent-only, not rented by another twin (its
		///   renter may deploy whatever its state).
		/// - `deployment_hash`: unique among the node's live contracts.
		/// - `deployment_data`: opaque, at most 512 bytes.
		/// - `resources`: what the deployment reserves; must fit in the node's free capacity.
		/// - `public_ips`: how many public IPv4s to take from the farm's pool (≤ 16).
		/// - `solution_provider`: an approved provider to attach, if any.
		///
		/// Emits [`Event::NodeContractCreated`] (and [`Event::SolutionProviderAttached`]).
		/// Errors: [`Error::TwinNotFound`], [`Error::NodeNotFound`],
		/// [`Error::NodeRentedByOther`], [`Error::ContractInGrace`] (the caller's rent of the node
		/// is unpaid), [`Error::NodeOnStandby`], [`Error::NodeRequiresRent`],
		/// [`Error::DeploymentHashExists`], [`Error::NotEnoughCapacity`],
		/// [`Error::TooManyContractsOnNode`], [`Error::TooManyIps`],
		/// [`Error::NotEnoughPublicIps`], [`Error::TooManyContracts`],
		/// [`Error::ProviderNotFound`], [`Error::ProviderNotApproved`], [`Error::IdOverflow`];
		/// a token error when the deposit cannot be held.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_node_contract((*public_ips).min(MAX_IPS_PER_CONTRACT))
			.saturating_add(T::Billing::max_weight()))]
		pub fn create_node_contract(
			origin: OriginFor<T>,
			node_id: NodeId,
			deployment_hash: DeploymentHash,
			deployment_data: DeploymentData,
			resources: Resources,
			public_ips: u32,
			solution_provider: Option<ProviderId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let deployment = contracts::Deployment {
				node_id,
				deployment_hash,
				deployment_data,
				resources,
				public_ips,
			};
			Self::do_create_node_contract(&who, deployment, solution_provider).map(|_| ())
		}

		/// Change a node contract's deployment: new hash and data, and resources resized within
		/// the node's free capacity (its own reservation counts as free).
		///
		/// - Origin: signed, the contract's owner.
		/// - `contract_id`: a node contract not in grace.
		///
		/// Emits [`Event::NodeContractUpdated`]. Errors: [`Error::TwinNotFound`],
		/// [`Error::ContractNotFound`], [`Error::NotContractOwner`], [`Error::NotANodeContract`],
		/// [`Error::ContractInGrace`], [`Error::NodeNotFound`],
		/// [`Error::DeploymentHashExists`], [`Error::NotEnoughCapacity`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_node_contract()
			.saturating_add(T::Billing::max_weight()))]
		pub fn update_node_contract(
			origin: OriginFor<T>,
			contract_id: ContractId,
			deployment_hash: DeploymentHash,
			deployment_data: DeploymentData,
			resources: Resources,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_node_contract(
				&who,
				contract_id,
				deployment_hash,
				deployment_data,
				resources,
			)
		}

		/// End one of the caller's contracts; its IPs, capacity, name and deposit are released.
		/// A rent contract with node contracts on its node is refused: cancel those first.
		///
		/// - Origin: signed, the contract's owner.
		///
		/// Emits [`Event::ContractEnded`] with cause `Owner`. Errors: [`Error::TwinNotFound`],
		/// [`Error::ContractNotFound`], [`Error::NotContractOwner`],
		/// [`Error::RentHasNodeContracts`], [`Error::InconsistentState`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::cancel_contract()
			.saturating_add(T::Billing::max_weight()))]
		pub fn cancel_contract(origin: OriginFor<T>, contract_id: ContractId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_contract(&who, contract_id)
		}

		/// Rent a whole node (also one in standby), holding [`Config::ContractDeposit`]. The rent
		/// is priced on the node's capacity now, plus its extra fee now.
		///
		/// - Origin: signed, an account with a twin below [`Config::MaxContractsPerTwin`].
		/// - `node_id`: a node without contracts that nobody rents.
		/// - `solution_provider`: an approved provider to attach, if any.
		/// - `max_extra_fee`: the highest monthly extra fee the renter accepts (mUSD): a fee the
		///   farmer raised above it meanwhile refuses the rent instead of charging it.
		///
		/// Emits [`Event::RentContractCreated`]. Errors: [`Error::TwinNotFound`],
		/// [`Error::NodeNotFound`], [`Error::ExtraFeeAboveMax`], [`Error::ExtraFeeTooHigh`] (a
		/// fee above the governed ceiling, lowered since it was set), [`Error::NodeAlreadyRented`],
		/// [`Error::NodeHasContracts`], [`Error::TooManyContracts`],
		/// [`Error::ProviderNotFound`], [`Error::ProviderNotApproved`], [`Error::IdOverflow`];
		/// billing's refusal of the payer (in grace, unpaid debt, cannot pay a first period); a
		/// token error when the deposit cannot be held.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::create_rent_contract()
			.saturating_add(T::Billing::max_weight()))]
		pub fn create_rent_contract(
			origin: OriginFor<T>,
			node_id: NodeId,
			solution_provider: Option<ProviderId>,
			max_extra_fee: Musd,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_rent_contract(&who, node_id, solution_provider, max_extra_fee)
				.map(|_| ())
		}

		/// Reserve a gateway name, holding [`Config::ContractDeposit`].
		///
		/// - Origin: signed, an account with a twin below [`Config::MaxContractsPerTwin`].
		/// - `name`: 3..=64 of `[a-z0-9_-]`, not held by another contract.
		///
		/// Emits [`Event::NameContractCreated`]. Errors: [`Error::InvalidName`],
		/// [`Error::TwinNotFound`], [`Error::NameTaken`], [`Error::TooManyContracts`],
		/// [`Error::IdOverflow`]; a token error when the deposit cannot be held.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::create_name_contract()
			.saturating_add(T::Billing::max_weight()))]
		pub fn create_name_contract(origin: OriginFor<T>, name: GatewayName) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_name_contract(&who, name).map(|_| ())
		}

		/// Set a node's monthly extra fee (mUSD), which makes it rent-only; `Musd(0)` removes
		/// it. On a rented node a lower fee applies to the rent at once (what it owes so far is
		/// settled first), a higher one after [`Limits::fee_notice`].
		///
		/// - Origin: signed, the farmer of the node's farm.
		/// - `node_id`: a node rented or without contracts.
		/// - `fee`: at most [`Limits::max_extra_fee`].
		///
		/// Emits [`Event::ExtraFeeSet`] (and [`Event::ExtraFeeIncreaseScheduled`] on a rented
		/// node). Errors: [`Error::NodeNotFound`], [`Error::TwinNotFound`],
		/// [`Error::NotFarmer`], [`Error::ExtraFeeTooHigh`], [`Error::NodeHasContracts`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_extra_fee().saturating_add(T::Billing::max_weight()))]
		pub fn set_extra_fee(origin: OriginFor<T>, node_id: NodeId, fee: Musd) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_extra_fee(&who, node_id, fee)
		}

		/// Report what a node's contracts used over windows of Unix seconds. Free; refused
		/// before the pool unless valid. Weighs by the batch's length.
		///
		/// - Origin: none — submit as a general (unsigned, authorized) transaction; the node's
		///   account signs `batch` inside the call.
		/// - `batch`: the node, and 1..=[`Config::MaxUsageReports`] reports, each for a node
		///   contract on that node, a window that is non-empty and over, at most 10 Gbit/s of
		///   traffic; all of them within the node's traffic allowance; at least
		///   [`Limits::usage_report_gap`] after the node's last accepted batch. One bad report
		///   refuses the whole batch. Reports for ended contracts, contracts in grace and stale
		///   or duplicate windows are skipped; traffic above an owner's cap is not counted.
		/// - `signature`: the node account's (its twin's account's) signature of
		///   `("gridchain/usage-report/v1", batch)` SCALE-encoded
		///   ([`UsageBatch::signing_payload`]).
		///
		/// Emits [`Event::UsageReported`]. Refused in the pool (the pool keeps one batch per
		/// node) with `InvalidTransaction::BadProof` for a bad signature, else `Custom`: 1
		/// unknown node, 2 empty batch, 3 too early, 4 invalid window, 5 implausible traffic,
		/// 6 not a node contract, 7 a contract of another node, 8 node traffic allowance
		/// exceeded, 9 nothing new (no report starts a new window of a live contract: a replay
		/// of a batch already taken); and, if dispatched anyway, with these errors:
		/// [`Error::NodeNotFound`], [`Error::EmptyUsageBatch`], [`Error::UsageBatchTooEarly`],
		/// [`Error::InvalidWindow`], [`Error::ImplausibleTraffic`],
		/// [`Error::NotANodeContract`], [`Error::NotContractNode`],
		/// [`Error::NodeTrafficExceeded`], [`Error::BadSignature`], [`Error::StaleUsageBatch`].
		#[pallet::call_index(6)]
		#[pallet::authorize(Pallet::<T>::authorize_usage)]
		#[pallet::weight_of_authorize(
			T::WeightInfo::authorize_report_usage(batch.reports.len() as u32)
		)]
		#[pallet::weight(T::WeightInfo::report_usage(batch.reports.len() as u32))]
		pub fn report_usage(
			origin: OriginFor<T>,
			batch: UsageBatchOf<T>,
			signature: T::Signature,
		) -> DispatchResult {
			ensure_authorized(origin)?;
			// `authorize_usage` verified the signature in this block.
			let _ = signature;
			Self::do_report_usage(batch)
		}

		/// Create a solution provider awaiting governance approval, holding
		/// [`Config::ProviderDeposit`] from the caller.
		///
		/// - Origin: signed.
		/// - `description`: free text, at most 256 bytes.
		/// - `shares`: 1..=5 distinct accounts with 1..=50 % each, at most 50 % together.
		///
		/// Emits [`Event::SolutionProviderCreated`]. Errors: [`Error::InvalidProviderShares`],
		/// [`Error::DuplicateProviderAccount`], [`Error::IdOverflow`]; a token error when the
		/// deposit cannot be held.
		#[pallet::call_index(7)]
		pub fn create_solution_provider(
			origin: OriginFor<T>,
			description: ProviderDescription,
			shares: SharesOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_solution_provider(&who, description, shares).map(|_| ())
		}

		/// Approve a solution provider, or withdraw approval (attached contracts keep it;
		/// billing pays only approved providers).
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::SolutionProviderApproved`]. Errors: [`Error::ProviderNotFound`].
		#[pallet::call_index(8)]
		pub fn approve_solution_provider(
			origin: OriginFor<T>,
			provider_id: ProviderId,
			approved: bool,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_approve_solution_provider(provider_id, approved)
		}

		/// Attach an approved solution provider to a contract that has none.
		///
		/// - Origin: signed, the contract's owner.
		///
		/// Emits [`Event::SolutionProviderAttached`]. Errors: [`Error::TwinNotFound`],
		/// [`Error::ContractNotFound`], [`Error::NotContractOwner`],
		/// [`Error::ProviderAlreadyAttached`], [`Error::ProviderNotFound`],
		/// [`Error::ProviderNotApproved`].
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::attach_solution_provider()
			.saturating_add(T::Billing::max_weight()))]
		pub fn attach_solution_provider(
			origin: OriginFor<T>,
			contract_id: ContractId,
			provider_id: ProviderId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_attach_solution_provider(&who, contract_id, provider_id)
		}

		/// Remove a solution provider and release its deposit. Contracts that named it keep the
		/// id but share with nobody from now on.
		///
		/// - Origin: signed, the provider's creator.
		///
		/// Emits [`Event::SolutionProviderRemoved`]. Errors: [`Error::ProviderNotFound`],
		/// [`Error::NotProviderOwner`].
		#[pallet::call_index(11)]
		pub fn remove_solution_provider(
			origin: OriginFor<T>,
			provider_id: ProviderId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_solution_provider(&who, provider_id)
		}

		/// Cap the public traffic the node may bill for one of the caller's node contracts,
		/// bytes per hour; `None` removes the cap. Traffic reported above it is not counted.
		///
		/// - Origin: signed, the contract's owner.
		///
		/// Emits [`Event::TrafficLimitSet`]. Errors: [`Error::TwinNotFound`],
		/// [`Error::ContractNotFound`], [`Error::NotContractOwner`],
		/// [`Error::NotANodeContract`].
		#[pallet::call_index(12)]
		pub fn set_traffic_limit(
			origin: OriginFor<T>,
			contract_id: ContractId,
			limit: Option<u64>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_traffic_limit(&who, contract_id, limit)
		}

		/// Set the grid's limits: each node's traffic rate, the highest extra fee, the notice
		/// before a higher fee applies to a running rent, and the least time between two usage
		/// batches of a node.
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::LimitsSet`]. Errors: [`Error::InvalidLimits`].
		#[pallet::call_index(13)]
		pub fn set_limits(origin: OriginFor<T>, limits: Limits) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(limits.is_valid(), Error::<T>::InvalidLimits);
			GridLimits::<T>::put(limits);
			Self::deposit_event(Event::LimitsSet { limits });
			Ok(())
		}

		/// End any contract; a rent contract takes its node's contracts with it. Charged for a
		/// rented node full of contracts; the unused part is refunded.
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::ContractEnded`] with cause `Governance` for each contract ended.
		/// Errors: [`Error::ContractNotFound`], [`Error::InconsistentState`].
		#[pallet::call_index(10)]
		#[pallet::weight(Pallet::<T>::end_weight(T::MaxContractsPerNode::get()))]
		pub fn force_end_contract(
			origin: OriginFor<T>,
			contract_id: ContractId,
		) -> DispatchResultWithPostInfo {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let ended = Self::end_contract(contract_id, EndCause::Governance)?;
			Ok(Some(Self::end_weight(ended.saturating_sub(1))).into())
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// A live contract by id.
		pub fn contract(contract_id: ContractId) -> Option<ContractOf<T>> {
			Contracts::<T>::get(contract_id)
		}
		/// The live contracts of a twin (at most [`Config::MaxContractsPerTwin`]).
		pub fn contracts_of_twin(twin_id: TwinId) -> alloc::vec::Vec<ContractId> {
			ContractsOfTwin::<T>::iter_key_prefix(twin_id).collect()
		}
		/// The live node contracts on a node, and its rent contract if rented.
		pub fn contracts_on_node(
			node_id: NodeId,
		) -> (alloc::vec::Vec<ContractId>, Option<ContractId>) {
			(NodeContracts::<T>::iter_key_prefix(node_id).collect(), RentOf::<T>::get(node_id))
		}
		/// A node's capacity not reserved by node contracts (`None`: no such node).
		pub fn node_free_capacity(node_id: NodeId) -> Option<Resources> {
			let node = T::Registry::node(node_id)?;
			NodeLoads::<T>::get(node_id).free(&node.resources)
		}
		/// The name contract holding a gateway name.
		pub fn name_contract(name: GatewayName) -> Option<ContractId> {
			NameOwner::<T>::get(name)
		}
		/// A solution provider by id.
		pub fn solution_provider(provider_id: ProviderId) -> Option<ProviderOf<T>> {
			Providers::<T>::get(provider_id)
		}
		/// The public IPs a node contract holds.
		pub fn contract_ips(contract_id: ContractId) -> alloc::vec::Vec<AssignedIp> {
			match Contracts::<T>::get(contract_id).map(|c| c.kind) {
				Some(ContractKind::Node(node)) => node.public_ips.into_inner(),
				_ => alloc::vec::Vec::new(),
			}
		}
	}
}
