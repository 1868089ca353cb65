//! # Minting
//!
//! Proof-of-capacity rewards, computed on chain as nodes report and claimed on chain: farmers
//! earn TFT every period for the capacity they keep online.
//!
//! ## Periods
//! Period `k` is `[T0 + k·D, T0 + (k+1)·D)`; `T0`, `D` and the report timing are set at genesis
//! ([`MintingParams`]: production `D` = 2,630,880 s and a report every 40 minutes; the dev
//! preset uses one-minute periods). Each node keeps a small record of its current period
//! ([`NodeState`]); a period closes **per node**, on its first uptime report after the end, or
//! by anyone calling [`Pallet::close_period`] for it once [`MintingParams::close_grace`] has
//! passed. Nothing loops over nodes. A node's first period is prorated: it starts when the
//! node registered (or, for a node older than this pallet, at its first report) — but a
//! machine (twin) that left the grid earlier in the same period starts where it left, so
//! deleting a node during an outage and registering it again dodges nothing. Periods in
//! which a node neither reported nor was closed produce no receipt.
//!
//! ## Uptime reports
//! A node reports its uptime (seconds since boot) and its clock (a timestamp hint) with
//! [`Pallet::report_uptime`], signed by the node's account **inside the call**: it is an
//! *authorized* general transaction (`#[pallet::authorize]`), free, and checked before it
//! enters the transaction pool. An unknown node, a report sooner than
//! [`MintingParams::min_report_gap`] after the last, a hint more than 60 s from chain time, an
//! uptime longer than Unix time or a bad signature are refused there, so report spam never
//! reaches a block. The pool keeps one report per node.
//!
//! Each report **settles** the node's time since its last one into up and down seconds
//! ([`grid_primitives::liveness::Timeline`]): minting credits the up seconds as uptime, and
//! billing charges capacity for exactly those seconds — one record for both. What a report
//! settles follows ThreeFold's rules, fixed where they hurt honest farmers
//! ([`NodeState::report`], [`types::classify`], [`types::proven_uptime`]):
//! - the boot time of a report is `hint − uptime`; the same boot (±120 s) is continuous and
//!   credits all the time since the last report (the machine never stopped); a later boot
//!   after the last report is a reboot and credits the uptime since boot (the downtime before
//!   it is lost);
//! - a report at most two intervals after the previous one is credited **in full** (late, not
//!   lost); after a longer silence only the last interval plus 60 s is (a lost report costs the
//!   interval it would have covered, nothing more);
//! - a boot earlier than the recorded one (`UptimeTooHigh`), a reboot before the last report
//!   that the last report did not show (`UptimeTooLow`), and two boot times alternating (two
//!   machines reporting as one node: `DuplicateIdentity`) are violations: the period pays
//!   nothing;
//! - credit never exceeds the chain time elapsed; at a period end the credit of the straddling
//!   report is split with its downtime first;
//! - time on **standby** (the farmer's power target down, or the node reporting itself down)
//!   is never up: a node asked down that keeps reporting earns nothing meanwhile, and billing
//!   charges no capacity for it.
//!
//! ## Power-managed nodes and maintenance
//! A node that reports itself down while its farmer's power target is down is asleep (the time
//! since its last report is settled then, as if it had reported as it went down). When it
//! boots within 30 minutes of the farmer's wake request, and at most 24 hours of **chain time**
//! after it went down, the sleep counts as uptime for its reward (not for billing: the machine
//! was off); the time since its boot is credited like any other gap, so a node that claims an
//! early boot after a long silence gains neither. A wake-up later than 30 minutes is a failed
//! wake, and two in a period void it (`BootRequestExpired`), as in the reference. A farmer may
//! declare up to two maintenance windows per period ([`Pallet::declare_maintenance`]),
//! announced ahead of time and bounded in total; they count neither as uptime nor as
//! downtime.
//!
//! ## Rewards
//! A closed period pays, on the period's **minimum** declared capacity,
//! `CU·cu + SU·su` scaled by uptime (‰ of the eligible time) and by the registered share of the
//! period, plus `GB·nu + IPv4-hours·ipv4` of the network usage **users paid for**: billing tells
//! minting what it collected for each node's traffic and IPs
//! ([`grid_primitives::contracts::NetworkRevenue`]); usage in grace, written off or never paid
//! earns nothing, and the network part never exceeds the policy's `network_share` of what was
//! paid. The reward is exact in USD until it becomes TFT at the node's connection price,
//! rounded down once, to the planck ([`types::reward`]). CU and SU come from the grid's one
//! formula, [`grid_primitives::resources::Resources::cloud_units`]. Below the policy's minimal
//! uptime, with a violation, or for a virtualized node it pays nothing.
//!
//! ## Farming policies
//! Governance creates policies (rates, minimal uptime in ‰, the node and farm certification
//! they apply to, default flag, end, immutability) and attaches a policy with limits (CU, SU,
//! node count, end) to a farm. A node gets its farm's policy at registration while the limits
//! cover it, else the most specific active default policy that admits it; a node on its
//! farm's policy that grows must fit the rest of the limit, or it moves to a default policy.
//! It gets a new default policy when its certification changes (unless it is on its farm's
//! policy) and when its policy ends (at its next period close). The policy at close is the one
//! paid.
//!
//! ## Receipts and claims
//! A closed period stores a [`Receipt`] (and emits [`Event::PeriodClosed`]). A node holds at
//! most [`Config::MaxUnclaimed`] unclaimed receipts: when it has that many, the reward of the
//! next period is **paid at once** to the farm's payout account instead of being stored
//! ([`Event::ReceiptPaid`]), so nothing is lost; a reward the payout account cannot receive
//! then (dust below its existential deposit) rides along in the node's next receipt
//! ([`Event::RewardCarried`]): a report never fails for it. [`Pallet::claim_node`] and
//! [`Pallet::claim_farm`] (at most [`Config::MaxClaimBatch`] receipts) may be called by
//! anyone: TFT is minted to the farm's payout account **at claim time** (a farm whose payout
//! changed mid-period is paid to the new account; a deleted farm's receipts go to the payout
//! account the farm had when the period closed). Total issuance rises by exactly the receipts
//! paid; a paid receipt leaves storage, so it is never paid twice. A deleted node's current
//! period closes at deletion — the time since its last report counts as downtime — and its
//! receipts stay claimable.
//!
//! ## Liveness
//! [`grid_primitives::liveness::NodeLiveness`]: each node's settled timeline, and the delay
//! after which a second is settled ([`MintingParams::settle_delay`]); billing charges capacity
//! by it.

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
mod claims;
mod invariants;
pub mod migrations;
mod policies;
pub mod types;
mod uptime;
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
		contracts::PaidNetwork,
		money::Usd,
		registry::{FarmId, GridRegistry, NodeId, TwinId},
	};

	/// An amount of [`Config::Currency`], in planck (rewards).
	pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;
	/// A node's minting record as stored in [`NodeStates`].
	pub type NodeStateOf<T> = NodeState<<T as frame_system::Config>::AccountId>;
	/// A receipt as stored in [`Receipts`].
	pub type ReceiptOf<T> = Receipt<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

	/// 1 (spec 102): the uptime timeline, standby, typed policy rates, paid network
	/// ([`crate::migrations::v1`]).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Mints the rewards.
		type Currency: fungible::Mutate<Self::AccountId>;
		/// Nodes, farms and twins.
		type Registry: GridRegistry<Self::AccountId, BlockNumberFor<Self>>
			+ grid_primitives::registry::MaybeRegistryBenchmarking<Self::AccountId>;
		/// Wall-clock time: periods and reports are in Unix seconds.
		type TimeProvider: UnixTime;
		/// Manages farming policies.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// What nodes sign their uptime reports with (the chain's account signature).
		type Signature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>> + Parameter;
		/// Most farming policies ever created.
		#[pallet::constant]
		type MaxPolicies: Get<u32>;
		/// Most unclaimed receipts per node; beyond, rewards are paid at once.
		#[pallet::constant]
		type MaxUnclaimed: Get<u32>;
		/// Most receipts one farm claim pays.
		#[pallet::constant]
		type MaxClaimBatch: Get<u32>;
		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;
		/// Moves the clock and signs reports for the benchmarks; they build nodes through
		/// [`Config::Registry`].
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: grid_primitives::benchmarking::BenchmarkTime
			+ grid_primitives::benchmarking::BenchmarkSigner<Self::AccountId, Self::Signature>;
	}

	/// Period and report timing (set at genesis; minting is off without it).
	#[pallet::storage]
	pub type Params<T> = StorageValue<_, MintingParams>;

	/// The last farming policy id issued (ids start at 1).
	#[pallet::storage]
	pub type LastPolicyId<T> = StorageValue<_, PolicyId, ValueQuery>;

	/// Farming policies by id (at most [`Config::MaxPolicies`]; never deleted).
	#[pallet::storage]
	pub type Policies<T> = StorageMap<_, Twox64Concat, PolicyId, FarmingPolicy>;

	/// The policy governance attached to a farm, with what it may still cover.
	#[pallet::storage]
	pub type FarmPolicies<T> = StorageMap<_, Twox64Concat, FarmId, FarmPolicyLimit>;

	/// Each tracked node's minting record: its current period and last report.
	#[pallet::storage]
	pub type NodeStates<T: Config> = StorageMap<_, Twox64Concat, NodeId, NodeStateOf<T>>;

	/// What users paid for each tracked node's traffic and IPs in its current period, as
	/// billing collected it.
	#[pallet::storage]
	pub type PaidNetworks<T> = StorageMap<_, Twox64Concat, NodeId, PaidNetwork, ValueQuery>;

	/// When a node of each twin (a machine's identity) left the grid in the middle of a period,
	/// Unix seconds, by period: the same machine registering again in that period resumes from
	/// there, so the time it was away is downtime, not a fresh prorated start. Past periods'
	/// entries are useless and pruned in `on_idle`.
	#[pallet::storage]
	pub type Departures<T> =
		StorageDoubleMap<_, Twox64Concat, PeriodIndex, Twox64Concat, TwinId, u64>;

	/// The oldest period that may still hold [`Departures`] (`None`: none ever stored).
	#[pallet::storage]
	pub type DeparturesFrom<T> = StorageValue<_, PeriodIndex>;

	/// Unclaimed receipts by (farm, node, period).
	#[pallet::storage]
	pub type Receipts<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, FarmId>,
			NMapKey<Twox64Concat, NodeId>,
			NMapKey<Twox64Concat, PeriodIndex>,
		),
		ReceiptOf<T>,
	>;

	/// What each farm's nodes earned per period (claimed or not).
	#[pallet::storage]
	pub type FarmTotals<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		FarmId,
		Twox64Concat,
		PeriodIndex,
		PeriodTotal<BalanceOf<T>>,
		ValueQuery,
	>;

	/// The capacity each farm's nodes proved in its two latest periods: the farm's vote weight
	/// in the farmer DAO ([`Pallet::voter_weight`](grid_primitives::governance::FarmVoteWeight)).
	/// One entry per farm that ever earned.
	#[pallet::storage]
	pub type FarmProven<T: Config> =
		StorageMap<_, Twox64Concat, FarmId, ProvenCapacity, ValueQuery>;

	/// The capacity all farms proved in the two latest periods: the DAO's turnout is measured
	/// against it.
	#[pallet::storage]
	pub type TotalProven<T: Config> = StorageValue<_, ProvenCapacity, ValueQuery>;

	/// TFT owed by all unclaimed receipts.
	#[pallet::storage]
	pub type Unclaimed<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// TFT minted by this pallet since genesis.
	#[pallet::storage]
	pub type TotalMinted<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame::prelude::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Period and report timing; `None` leaves minting off.
		pub params: Option<MintingParams>,
		/// Farming policies, ids 1, 2, … in this order.
		pub policies: alloc::vec::Vec<FarmingPolicy>,
		/// Binds the config to the runtime; not part of the chain spec.
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(params) = self.params {
				assert_eq!(params.check(), Ok(()), "invalid minting parameters");
				Params::<T>::put(params);
			}
			assert!(
				self.policies.len() <= T::MaxPolicies::get() as usize,
				"more genesis policies than MaxPolicies"
			);
			for policy in &self.policies {
				assert_eq!(policy.check(), Ok(()), "invalid genesis farming policy");
				Pallet::<T>::insert_policy(policy.clone()).expect("counted above");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance created a farming policy.
		PolicyCreated {
			/// The new policy's id.
			policy_id: PolicyId,
			/// The policy as stored.
			policy: FarmingPolicy,
		},
		/// Governance changed a farming policy (nodes on it are paid by it at their next close).
		PolicyUpdated {
			/// The changed policy.
			policy_id: PolicyId,
			/// What it is now.
			policy: FarmingPolicy,
		},
		/// Governance attached a policy with limits to a farm (replacing any).
		FarmPolicyAttached {
			/// The farm.
			farm_id: FarmId,
			/// The policy its nodes get, and the units and nodes it may cover.
			limit: FarmPolicyLimit,
		},
		/// Governance detached the farm's policy (nodes on it keep it).
		FarmPolicyDetached {
			/// The farm, which has no policy attached now.
			farm_id: FarmId,
		},
		/// Minting started tracking a node: its period `period` began, on `policy`.
		NodeTracked {
			/// The node now tracked.
			node_id: NodeId,
			/// The period tracking starts in (the node's first, prorated).
			period: PeriodIndex,
			/// The policy it gets (`None`: no policy applies, it earns nothing).
			policy: Option<PolicyId>,
		},
		/// The node's farming policy changed (certification change or policy end).
		NodePolicyChanged {
			/// The node.
			node_id: NodeId,
			/// Its new policy (`None`: no policy applies, it earns nothing).
			policy: Option<PolicyId>,
		},
		/// A report credited `credited` seconds; the period has `period_uptime` so far.
		UptimeReported {
			/// The reporting node.
			node_id: NodeId,
			/// The uptime it reported, seconds since boot.
			uptime: u64,
			/// Seconds of uptime this report credited.
			credited: u64,
			/// Seconds of uptime credited in the node's current period so far.
			period_uptime: u64,
		},
		/// The node's period pays nothing: `violation`.
		ViolationRecorded {
			/// The node.
			node_id: NodeId,
			/// The period that pays nothing.
			period: PeriodIndex,
			/// What the node's reports showed.
			violation: Violation,
		},
		/// The node went to sleep at its farmer's request.
		NodeAsleep {
			/// The sleeping node.
			node_id: NodeId,
		},
		/// The node booted after a sleep; `sleep_credited` when the sleep counts as uptime.
		NodeWoke {
			/// The node that booted.
			node_id: NodeId,
			/// `true` when the sleep counts as uptime for its reward (it woke in time).
			sleep_credited: bool,
		},
		/// The farmer declared a maintenance window.
		MaintenanceDeclared {
			/// The node.
			node_id: NodeId,
			/// The window, Unix seconds `[start, end)`.
			window: Window,
		},
		/// A node's period closed with this receipt.
		PeriodClosed {
			/// What the node earned; stored for a claim unless paid at once.
			receipt: ReceiptOf<T>,
		},
		/// A receipt was paid: `amount` minted to `payout`.
		ReceiptPaid {
			/// The node's farm.
			farm_id: FarmId,
			/// The node the receipt is for.
			node_id: NodeId,
			/// The period the receipt is for.
			period: PeriodIndex,
			/// The farm's payout account now (for a deleted farm, the one it had at the close).
			payout: T::AccountId,
			/// TFT minted, planck.
			amount: BalanceOf<T>,
		},
		/// A node at the unclaimed bound closed a period whose receipt its payout account
		/// cannot receive yet (dust below the existential deposit): `amount` rides along in
		/// the node's next receipt instead of being stored.
		RewardCarried {
			/// The node.
			node_id: NodeId,
			/// The period whose receipt was carried.
			period: PeriodIndex,
			/// Planck carried (this period's reward and any carried into it).
			amount: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// Minting has no period parameters (genesis left it off).
		NotConfigured,
		// -- reports (refused in the pool too) --
		/// No node has this id.
		UnknownNode,
		/// The node reported less than the minimal gap ago.
		ReportTooEarly,
		/// The timestamp hint is more than 60 s away from chain time.
		BadTimestampHint,
		/// The uptime is longer than the node's clock allows.
		ImpossibleUptime,
		/// The report is not signed by the node's account.
		BadSignature,
		// -- periods and maintenance --
		/// Minting does not track this node (yet): it has not registered or reported.
		NodeNotTracked,
		/// The node's period has not ended, or its close grace has not passed.
		PeriodNotOver,
		/// The caller's twin does not own the node's farm.
		NotFarmer,
		/// A window must be non-empty and inside one period, this one or the next.
		InvalidWindow,
		/// A window must be declared [`MintingParams::maintenance_notice`] ahead.
		WindowTooSoon,
		/// The window overlaps another.
		OverlappingWindow,
		/// The period has two windows already.
		TooManyWindows,
		/// The period's windows would exceed [`MintingParams::max_maintenance`].
		MaintenanceExceeded,
		// -- policies --
		/// No farming policy has this id.
		PolicyNotFound,
		/// The policy is immutable.
		PolicyImmutable,
		/// [`Config::MaxPolicies`] policies exist.
		TooManyPolicies,
		/// Policy names are 1..=64 printable ASCII bytes.
		InvalidPolicyName,
		/// Minimal uptime is per mille: at most 1000.
		InvalidMinimalUptime,
		/// A rate is above [`FarmingPolicy::MAX_RATE`].
		RateTooHigh,
		/// No farm has this id.
		FarmNotFound,
		/// The farm has no policy attached.
		NoFarmPolicy,
		// -- claims --
		/// Nothing to claim here.
		NothingToClaim,
		/// A stored count or sum disagrees with what it counts. Nothing was changed.
		InconsistentState,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_idle(_n: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::prune_departures(remaining)
		}

		fn integrity_test() {
			assert!(T::MaxPolicies::get() > 0, "MaxPolicies must be > 0");
			assert!(T::MaxUnclaimed::get() > 0, "MaxUnclaimed must be > 0");
			assert!(T::MaxClaimBatch::get() > 0, "MaxClaimBatch must be > 0");
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
		/// Report a node's uptime. Free; refused before the pool unless valid.
		///
		/// - Origin: none — submit as a general (unsigned, authorized) transaction; the node's
		///   account signs `report` inside the call.
		/// - `report`: the node, its uptime (seconds since boot) and its Unix time now.
		/// - `signature`: the node account's signature of
		///   `("gridchain/uptime-report/v1", report)` SCALE-encoded
		///   ([`UptimeReport::signing_payload`]).
		///
		/// Emits [`Event::UptimeReported`], and as it happens [`Event::NodeTracked`],
		/// [`Event::NodeWoke`], [`Event::ViolationRecorded`], [`Event::PeriodClosed`],
		/// [`Event::ReceiptPaid`]. Refused in the pool (`InvalidTransaction::BadProof` for a bad
		/// signature, else `Custom`: 1 minting off, 2 unknown node, 3 hint off, 4 impossible
		/// uptime, 5 too early) and, if dispatched anyway, with these errors:
		/// [`Error::UnknownNode`], [`Error::ReportTooEarly`], [`Error::BadTimestampHint`],
		/// [`Error::ImpossibleUptime`], [`Error::BadSignature`], [`Error::NotConfigured`].
		#[pallet::call_index(0)]
		#[pallet::authorize(Pallet::<T>::authorize_report)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_first_report())]
		#[pallet::weight(Pallet::<T>::report_max_weight())]
		pub fn report_uptime(
			origin: OriginFor<T>,
			report: UptimeReport,
			signature: T::Signature,
		) -> DispatchResultWithPostInfo {
			ensure_authorized(origin)?;
			// `authorize_report` verified the signature in this block.
			let _ = signature;
			let used = Self::do_report_uptime(report)?;
			Ok(Some(used).into())
		}

		/// Close a node's period that ended more than [`MintingParams::close_grace`] ago without
		/// a report from the node: its receipt is issued with the uptime credited so far.
		///
		/// - Origin: signed, anyone.
		///
		/// Emits [`Event::PeriodClosed`] (or [`Event::ReceiptPaid`]). Errors:
		/// [`Error::NodeNotTracked`], [`Error::PeriodNotOver`], [`Error::NotConfigured`].
		#[pallet::call_index(1)]
		pub fn close_period(origin: OriginFor<T>, node_id: NodeId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_close_period(node_id)
		}

		/// Declare a maintenance window for a node: it counts neither as uptime nor as downtime.
		///
		/// - Origin: signed, the node's farmer.
		/// - `start`, `end`: Unix seconds `[start, end)`, inside one period (the current or the
		///   next), starting at least [`MintingParams::maintenance_notice`] from now; at most two
		///   windows and [`MintingParams::max_maintenance`] seconds per period.
		///
		/// Emits [`Event::MaintenanceDeclared`]. Errors: [`Error::NodeNotTracked`],
		/// [`Error::NotFarmer`], [`Error::InvalidWindow`], [`Error::WindowTooSoon`],
		/// [`Error::OverlappingWindow`], [`Error::TooManyWindows`],
		/// [`Error::MaintenanceExceeded`], [`Error::NotConfigured`].
		#[pallet::call_index(2)]
		pub fn declare_maintenance(
			origin: OriginFor<T>,
			node_id: NodeId,
			start: u64,
			end: u64,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_declare_maintenance(&who, node_id, Window { start, end })
		}

		/// Pay every unclaimed receipt of one node (also of a deleted node): TFT is minted to
		/// the farm's payout account now.
		///
		/// - Origin: signed, anyone (the farmer or someone on the farmer's behalf).
		///
		/// Emits [`Event::ReceiptPaid`] per receipt. Errors: [`Error::NothingToClaim`]; a token
		/// error when the payout account cannot receive the amount.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::claim(T::MaxUnclaimed::get()))]
		pub fn claim_node(
			origin: OriginFor<T>,
			farm_id: FarmId,
			node_id: NodeId,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let paid = Self::do_claim(farm_id, Some(node_id), T::MaxUnclaimed::get())?;
			Ok(Some(T::WeightInfo::claim(paid)).into())
		}

		/// Pay up to [`Config::MaxClaimBatch`] unclaimed receipts of a farm's nodes; call again
		/// for more.
		///
		/// - Origin: signed, anyone.
		///
		/// Emits [`Event::ReceiptPaid`] per receipt. Errors: [`Error::NothingToClaim`]; a token
		/// error when the payout account cannot receive the amount.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::claim(T::MaxClaimBatch::get()))]
		pub fn claim_farm(origin: OriginFor<T>, farm_id: FarmId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let paid = Self::do_claim(farm_id, None, T::MaxClaimBatch::get())?;
			Ok(Some(T::WeightInfo::claim(paid)).into())
		}

		/// Create a farming policy.
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::PolicyCreated`]. Errors: [`Error::TooManyPolicies`],
		/// [`Error::InvalidPolicyName`], [`Error::InvalidMinimalUptime`].
		#[pallet::call_index(10)]
		pub fn create_policy(origin: OriginFor<T>, policy: FarmingPolicy) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_create_policy(policy).map(|_| ())
		}

		/// Change a farming policy that is not immutable (it may be made immutable).
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::PolicyUpdated`]. Errors: [`Error::PolicyNotFound`],
		/// [`Error::PolicyImmutable`], [`Error::InvalidPolicyName`],
		/// [`Error::InvalidMinimalUptime`].
		#[pallet::call_index(11)]
		pub fn update_policy(
			origin: OriginFor<T>,
			policy_id: PolicyId,
			policy: FarmingPolicy,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_update_policy(policy_id, policy)
		}

		/// Attach a policy to a farm with limits: nodes that register there get it while the
		/// limits cover them.
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::FarmPolicyAttached`]. Errors: [`Error::FarmNotFound`],
		/// [`Error::PolicyNotFound`].
		#[pallet::call_index(12)]
		pub fn attach_policy_to_farm(
			origin: OriginFor<T>,
			farm_id: FarmId,
			limit: FarmPolicyLimit,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_attach_policy(farm_id, limit)
		}

		/// Detach a farm's policy; nodes already on it keep it.
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::FarmPolicyDetached`]. Errors: [`Error::NoFarmPolicy`].
		#[pallet::call_index(13)]
		pub fn detach_policy_from_farm(origin: OriginFor<T>, farm_id: FarmId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_detach_policy(farm_id)
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// A node's current period so far: uptime, and the reward it would earn if the period
		/// went on as it has (`None`: not tracked).
		pub fn period_so_far(node_id: NodeId) -> Option<PeriodSoFar<BalanceOf<T>>> {
			Self::current_period_view(node_id)
		}
		/// A farm's unclaimed receipts (at most 1,000).
		pub fn unclaimed_receipts(farm_id: FarmId) -> alloc::vec::Vec<ReceiptOf<T>> {
			Receipts::<T>::iter_prefix_values((farm_id,)).take(1_000).collect()
		}
		/// What a farm's nodes earned in a period (claimed or not).
		pub fn farm_period_total(
			farm_id: FarmId,
			period: PeriodIndex,
		) -> PeriodTotal<BalanceOf<T>> {
			FarmTotals::<T>::get(farm_id, period)
		}
		/// A farming policy.
		pub fn policy(policy_id: PolicyId) -> Option<FarmingPolicy> {
			Policies::<T>::get(policy_id)
		}
		/// Minting's record of a node.
		pub fn node_state(node_id: NodeId) -> Option<NodeStateOf<T>> {
			NodeStates::<T>::get(node_id)
		}
		/// A node's status now: up, on standby, or down (`None`: not tracked, or no parameters).
		pub fn node_status(node_id: NodeId) -> Option<NodeStatus> {
			let params = Params::<T>::get()?;
			Some(NodeStates::<T>::get(node_id)?.status(Self::now_secs(), &params))
		}
		/// The period a Unix time falls in, with its bounds.
		pub fn period_at(unix_secs: u64) -> Option<(PeriodIndex, u64, u64)> {
			let params = Params::<T>::get()?;
			let k = params.period_of(unix_secs);
			let (start, end) = params.bounds(k);
			Some((k, start, end))
		}
	}

	/// What a farm's nodes earned in one period.
	#[derive(
		Clone,
		Copy,
		Default,
		PartialEq,
		Eq,
		Debug,
		Encode,
		Decode,
		DecodeWithMemTracking,
		MaxEncodedLen,
		TypeInfo,
	)]
	pub struct PeriodTotal<Balance> {
		/// Receipts issued.
		pub receipts: u32,
		/// TFT those receipts pay, planck (claimed or not).
		pub tft: Balance,
	}

	/// A node's current period so far.
	#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
	pub struct PeriodSoFar<Balance> {
		/// The node's current period.
		pub period: PeriodIndex,
		/// This node's part of the period: `[start, end)`, Unix seconds.
		pub start: u64,
		/// End of the period (exclusive), Unix seconds.
		pub end: u64,
		/// Seconds credited so far.
		pub uptime: u64,
		/// Per mille of the eligible time elapsed so far.
		pub uptime_permille: Permille,
		/// A violation that voids the period's reward (`None`: none so far).
		pub violation: Option<Violation>,
		/// The reward if the period continues as it went so far: in USD at the policy's rates,
		/// and in TFT (network rewards capped by what users paid so far).
		pub projected_usd: Usd,
		/// The projected reward in TFT at the node's connection price, planck.
		pub projected_tft: Balance,
	}
}
