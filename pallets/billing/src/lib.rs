//! # Billing
//!
//! Users pay for capacity contracts in TFT at USD prices. **The runtime charges every live
//! contract itself**, at least once per charging pass (600 blocks, an hour, on production
//! presets), for exactly the seconds elapsed: no offchain worker, no user call, no validator
//! has to act (tfchain's weakest point: one signed extrinsic per contract per hour from the next
//! block author's worker).
//!
//! ## Rating
//! Prices are in µUSD ([`grid_primitives::money::MicroUsd`]) in the governance-set, versioned
//! [`PricingPolicy`]: per CU and SU hour (CU and SU from `Resources::cloud_units`, the grid's
//! one formula, which minting uses too), per public IPv4 hour, per gateway-name hour and per
//! GB (10⁹ bytes, [`grid_primitives::money::GB`]) of public traffic, with a rent discount, a
//! certified-node surcharge and the revenue split.
//! - A **node contract** pays its reserved capacity, its IPv4s and the traffic its node
//!   reported since the last charge; under a rent contract only IPs and traffic.
//! - A **rent contract** pays its whole node, at the capacity it had when it was rented, at the
//!   rent discount, plus the farmer's monthly extra fee as agreed (a higher fee from the
//!   second it applies, after its notice).
//! - A **name contract** pays the name price.
//!
//! Costs are exact ([`grid_primitives::money::Usd`]) until they become TFT, once per charge,
//! rounded up, at the price oracle's billing price
//! ([`grid_primitives::money::TftPriceOracle`]).
//!
//! ## The price
//! Billing charges only at a price the oracle **trusts** (feeders agreed on it recently).
//! While it does not — the feeders are silent, or a chain runs on its genesis price — nothing
//! is charged: the time accrues, and the next charge at a trusted price covers it. (A contract
//! that ends meanwhile is not charged for that time.)
//!
//! ## No charge for downtime
//! Capacity (CU, SU, the rent and its extra fee) is charged only for the seconds the node was
//! **up**, as minting's record of its reports settled them
//! ([`grid_primitives::liveness::NodeLiveness`]): the same seconds minting credits as uptime,
//! so neither the user nor the farmer pays for the other's time. Down, on standby (power
//! target or state down), asleep, in maintenance or silent is not up. Because a report settles
//! the time since the previous one, capacity is charged [`NodeLiveness::settle_delay`] behind
//! the clock (two report intervals and a minute); when a contract changes or ends, what no
//! report settled by then is not charged. IPs, names and traffic are charged regardless. Each
//! charge event carries `seconds` and `capacity_seconds`, so the difference is visible.
//!
//! [`NodeLiveness::settle_delay`]: grid_primitives::liveness::NodeLiveness::settle_delay
//!
//! ## Charging
//! Payers (twins paying for contracts) are spread over [`PassBlocks`] buckets by the node of
//! their first contract (their twin id if it is a name), so that the payers charged in one
//! block share nodes and farms. Each block's `on_initialize` charges the next due bucket —
//! every contract of each payer in it — within [`Config::ChargeBudget`], continuing where it
//! stopped in the next block if a bucket does not fit. Each charge covers the time from the contract's last charge to the moment its
//! bucket's run began, so a skipped or overweight block delays a charge but never loses or
//! repeats one. A contract that changes or ends is settled up to that second first (capacity
//! calls [`grid_primitives::contracts::ContractObserver::settle`]). A policy change applies
//! from the second it is made: charges spanning it are priced piecewise, and the next change
//! waits until every payer has been charged past the last one.
//!
//! ## Holding discount
//! A payer commits TFT to billing with [`Pallet::commit`] (a hold on its account); releasing it
//! takes [`BillingParams::release_notice`], and a release asked for stops counting at once. The
//! committed TFT, against a month of the payer's contracts at full price (capacity, IPv4s and
//! names; no traffic), gives 20 / 30 / 40 / 60 % off what it was measured on — capacity, IPv4s
//! and names, never traffic or the extra fee — from 1.5 / 3 / 6 / 18 months. Committed TFT is
//! held, so it cannot discount another twin or move between charges (tfchain's stash trick).
//! Charges take the free balance first, then the commitment.
//!
//! ## Grace and debt
//! What a payer cannot pay is recorded as debt per contract, and its contracts go into grace
//! (capacity's lifecycle; the bridge pauses their workloads; a rent carries its node
//! contracts). Debt is paid first from any later payment: at the next charge, or at once with
//! [`Pallet::pay_debt`] or [`Pallet::commit`]; when all of it is paid the contracts resume. After
//! [`BillingParams::grace_period`] blocks still in debt, they end as out of funds. A contract
//! that ends is settled after its deposit came back, so the deposit pays what it owes first;
//! what is still owed is **written off** on its payer's record. A payer in grace or with
//! written-off debt creates no contract (until [`Pallet::pay_debt`] pays that debt too), and
//! a new contract needs its payer to be able to pay [`BillingParams::prepaid`] seconds of all
//! its contracts: renting nodes, IPs or names to hold them through a free grace period, again
//! and again, is not free.
//!
//! ## Revenue split
//! The regular part of every payment goes `farmer` % to the farm's payout account (the
//! treasury for gateway names and written-off debt paid late), `treasury` % to the treasury,
//! each solution provider's share to it, and the rest is burned; the extra fee goes wholly to
//! the farmer. Each credit is rounded down and the burn takes the remainder, so
//! `payer loss = Σ credits + burn` to the planck. What a fully paid charge paid for a node's
//! public IPv4s and traffic is told to minting
//! ([`grid_primitives::contracts::NetworkRevenue`]): network rewards are paid on that alone.
//! One [`Event::Charged`] per contract and charge says it all. Payers pay into the block's pot
//! as they are charged; at the end of the block's charging the pot credits each account its
//! total once (one write per farm payout and provider account per block, however many payers
//! paid it) and the treasury once, and burns the rest: one [`Event::PaidOut`] (a settlement
//! or debt payment outside the run pays out its own).
//!
//! ## Weight
//! A payer's charge weighs its contracts on nodes the block's charging already met
//! (`charge_payer`), plus each node (`meet_node`), provider (`meet_provider`) and credited
//! account (`pay_out`) new to the block, and what it stores beyond its payment (changed meters
//! and ledger, the hold it draws on). Before reading anything, a payer is checked against the
//! most it could read (each contract on a new node with a new provider), after reading against
//! all it will do; the block is charged what it really used.
//!
//! ## Views
//! `quote` (a prospective contract's cost per hour and month in USD and TFT, with the caller's
//! discount), `contract_billing` (last charge, debt, grace), `payer_outlook` (monthly spend and
//! runway).

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
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod charge;
mod commitment;
mod governance;
mod invariants;
pub mod migrations;
mod types;
mod views;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use charge::Met;
pub use pallet::*;
pub use types::*;
pub use views::*;
pub use weights::WeightInfo;

/// What the benchmarks need from the runtime besides its clock (they build twins, nodes and
/// contracts through [`Config::Registry`] and [`Config::Contracts`]).
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper: grid_primitives::benchmarking::BenchmarkTime {
	/// Makes `node` up since `since` (Unix seconds) for [`Config::Liveness`], as if it had
	/// just reported.
	fn node_up(node: grid_primitives::registry::NodeId, since: u64);
	/// Makes [`Config::Price`] quote a price it trusts (billing charges at no other).
	fn trust_price();
}

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
		traits::{
			fungible::{Balanced, Inspect, Mutate, MutateHold},
			UnixTime,
		},
	};
	use grid_primitives::{
		contracts::{ContractLifecycle, NetworkRevenue, NetworkUsage},
		liveness::NodeLiveness,
		money::{MicroUsd, TftPriceOracle},
		registry::{ContractId, GridRegistry, TwinId},
		Balance,
	};

	/// A payer's ledger, with the runtime's account type.
	pub type LedgerOf<T> = Ledger<<T as frame_system::Config>::AccountId>;

	/// 1 (spec 101): ledgers record their bucket ([`crate::migrations::v1`]).
	/// 2 (spec 102): written-off debt, monthly cost, capacity since, prepaid seconds
	/// ([`crate::migrations::v2`]).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// TFT: payers are charged and committed TFT is held.
		type Currency: Inspect<Self::AccountId, Balance = Balance>
			+ Mutate<Self::AccountId>
			+ Balanced<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The runtime's hold reason: billing's [`HoldReason`] becomes one.
		type RuntimeHoldReason: From<HoldReason>;
		/// Contracts: what they make billable, and their grace and end.
		type Contracts: ContractLifecycle<Self::AccountId, BlockNumberFor<Self>>
			+ grid_primitives::contracts::MaybeContractsBenchmarking<Self::AccountId>;
		/// Public traffic the nodes report per contract.
		type Network: NetworkUsage;
		/// Twins, nodes (power, certification, farm) and farms (payout account).
		type Registry: GridRegistry<Self::AccountId, BlockNumberFor<Self>>
			+ grid_primitives::registry::MaybeRegistryBenchmarking<Self::AccountId>;
		/// When each node was up (minting's record of its reports).
		type Liveness: NodeLiveness;
		/// Told what payers paid for each node's network (minting rewards it).
		type Revenue: NetworkRevenue;
		/// The TFT price charges convert USD with.
		type Price: TftPriceOracle;
		/// Wall-clock time: contracts are charged by the second (Unix seconds).
		type TimeProvider: UnixTime;
		/// Sets the pricing policy and the parameters.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Receives the treasury share.
		#[pallet::constant]
		type TreasuryAccount: Get<Self::AccountId>;
		/// The most weight one block's charging may use (a quarter of the normal class in the
		/// runtime). A payer is charged whole; one larger than this still goes, first in its
		/// block.
		#[pallet::constant]
		type ChargeBudget: Get<Weight>;
		/// The most contracts one payer has (capacity's contracts per twin).
		#[pallet::constant]
		type MaxContractsPerPayer: Get<u32>;
		/// The most blocks (buckets) a charging pass may have.
		#[pallet::constant]
		type MaxPassBlocks: Get<u32>;
		/// Weights of the calls and hooks, from the benchmarks.
		type WeightInfo: WeightInfo;
		/// Moves the clock, marks nodes up and trusts the price, for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// Why billing holds TFT.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// TFT a payer committed to billing: it counts for the holding discount, pays charges
		/// the free balance cannot, and comes back only after the release notice.
		Commitment,
	}

	/// The pricing policy in force, and the one before it with the second it ended.
	#[pallet::storage]
	pub type Policy<T> = StorageValue<_, PolicyState, ValueQuery>;

	/// Grace period and release notice.
	#[pallet::storage]
	pub type Params<T> = StorageValue<_, BillingParams, ValueQuery>;

	/// Blocks in a charging pass: every payer is charged once per pass. Set at genesis only
	/// (payers' buckets depend on it).
	#[pallet::storage]
	pub type PassBlocks<T> = StorageValue<_, u32, ValueQuery, DefaultPassBlocks>;

	/// The default of [`PassBlocks`]: 600 blocks, an hour at 6-second blocks.
	#[pallet::type_value]
	pub fn DefaultPassBlocks() -> u32 {
		600
	}

	/// Payers by bucket: what each owes, holds and is discounted.
	#[pallet::storage]
	pub type Payers<T: Config> =
		StorageDoubleMap<_, Twox64Concat, u32, Twox64Concat, TwinId, LedgerOf<T>>;

	/// The bucket each payer is charged in, chosen when it became one: its first contract's
	/// node (so a block's payers share nodes and farms, whose reads and credits it pays once),
	/// else its twin.
	#[pallet::storage]
	pub type PayerBucket<T: Config> = StorageMap<_, Twox64Concat, TwinId, u32>;

	/// Each live contract's billing record, by payer.
	#[pallet::storage]
	pub type Meters<T> = StorageDoubleMap<_, Twox64Concat, TwinId, Twox64Concat, ContractId, Meter>;

	/// The payer of each live contract.
	#[pallet::storage]
	pub type MeterOwner<T> = StorageMap<_, Twox64Concat, ContractId, TwinId>;

	/// When each bucket's last run began (Unix seconds): its payers were charged up to then.
	#[pallet::storage]
	pub type BucketCharged<T> = StorageMap<_, Twox64Concat, u32, u64, ValueQuery>;

	/// Where charging stands.
	#[pallet::storage]
	pub type Cursor<T> = StorageValue<_, ChargeCursor, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame::prelude::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `None`: [`PricingPolicy::reference`].
		pub policy: Option<PricingPolicy>,
		/// `None`: 14 days of grace, 7 days of notice at 6-second blocks.
		pub params: Option<BillingParams>,
		/// `None`: 600 (an hour at 6-second blocks).
		pub pass_blocks: Option<u32>,
		/// Ties the configuration to the runtime; holds nothing.
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(mut policy) = self.policy {
				policy.version = 1;
				assert_eq!(policy.check(), Ok(()), "invalid pricing policy");
				Policy::<T>::put(PolicyState::new(policy));
			}
			if let Some(params) = self.params {
				assert!(params.is_valid(), "invalid billing parameters");
				Params::<T>::put(params);
			}
			if let Some(blocks) = self.pass_blocks {
				assert!(
					blocks > 0 && blocks <= T::MaxPassBlocks::get(),
					"pass blocks must be 1 … MaxPassBlocks"
				);
				PassBlocks::<T>::put(blocks);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A contract was charged (or its debt paid). `seconds` were charged, of which
		/// `capacity_seconds` for capacity (less when its node was down or on standby), and
		/// `traffic_bytes` of new traffic; it cost `usd` (µUSD, before the discount) and
		/// `amount` planck after it. `paid` (this charge and earlier debt) went to `farmer`
		/// (with the extra fee), `providers`, `treasury` and `burned`, which sum to it;
		/// `debt` is what the contract still owes.
		Charged {
			/// The contract charged.
			contract_id: ContractId,
			/// The twin paying for it.
			twin_id: TwinId,
			/// Seconds of its life charged (0 for a debt payment alone).
			seconds: u64,
			/// Seconds its capacity was charged for: those its node was up.
			capacity_seconds: u64,
			/// Bytes of public traffic charged, reported since the last charge.
			traffic_bytes: u64,
			/// This charge's cost before the discount, µUSD (rounded down).
			usd: MicroUsd,
			/// The payer's holding discount, taken off capacity, IPv4s and names.
			discount: Percent,
			/// This charge after the discount, planck (rounded up), extra fee included.
			amount: Balance,
			/// Planck paid now, of this charge and earlier debt.
			paid: Balance,
			/// Planck of `paid` to the farm's payout account, extra fee included.
			farmer: Balance,
			/// Planck of `paid` to the solution providers together.
			providers: Balance,
			/// Planck of `paid` to the treasury (with the farmer's share when there is no farm).
			treasury: Balance,
			/// Planck of `paid` burned.
			burned: Balance,
			/// Planck the contract still owes after this charge.
			debt: Balance,
		},
		/// A payer could not pay: its contracts are in grace until its `debt` is paid.
		GraceStarted {
			/// The payer's twin.
			twin_id: TwinId,
			/// What its contracts owe, planck.
			debt: Balance,
		},
		/// A payer paid its debt: its contracts run again.
		GraceEnded {
			/// The payer's twin.
			twin_id: TwinId,
		},
		/// A payer's grace period ran out: its `contracts` ended as out of funds.
		OutOfFunds {
			/// The payer's twin.
			twin_id: TwinId,
			/// How many of its top-level contracts were ended (a rent's node contracts end with
			/// it, uncounted).
			contracts: u32,
		},
		/// A contract ended owing `amount` after its deposit paid what it could: it is recorded
		/// on its payer, who creates no contract until it pays it.
		DebtWrittenOff {
			/// The contract that ended.
			contract_id: ContractId,
			/// The twin that paid for it, which now owes `amount`.
			twin_id: TwinId,
			/// What the contract still owed, planck.
			amount: Balance,
		},
		/// A payer paid the debt its ended contracts left: `amount`, split as a payment with the
		/// farmer's share to the treasury: `treasury` to it, `burned` out of the issuance.
		WrittenOffPaid {
			/// The payer's twin.
			twin_id: TwinId,
			/// The written-off debt paid, planck.
			amount: Balance,
			/// Planck of it to the treasury.
			treasury: Balance,
			/// Planck of it burned.
			burned: Balance,
		},
		/// A credit could not open `intended`'s account (below the existential deposit), so
		/// `amount` went to the treasury instead.
		CreditRedirected {
			/// The farm payout or solution provider account the credit was for.
			intended: T::AccountId,
			/// The credit, planck.
			amount: Balance,
		},
		/// What a block's charges (or one settlement or debt payment) paid was paid out:
		/// `credited` to `accounts` farm payout and solution provider accounts, `treasury` to the
		/// treasury, and `burned` left the issuance. They sum to the `paid` of its `Charged`
		/// events.
		PaidOut {
			/// How many farm payout and solution provider accounts were credited.
			accounts: u32,
			/// Planck credited to those accounts together.
			credited: Balance,
			/// Planck to the treasury, redirected credits included.
			treasury: Balance,
			/// Planck burned.
			burned: Balance,
		},
		/// A payer committed `amount` more; it holds `committed` in all.
		Committed {
			/// The payer's twin.
			twin_id: TwinId,
			/// Planck committed now.
			amount: Balance,
			/// Planck the payer has committed in all.
			committed: Balance,
		},
		/// A payer asked to release `amount`; it no longer counts and is free at block `at`.
		ReleaseRequested {
			/// The payer's twin.
			twin_id: TwinId,
			/// Planck to release.
			amount: Balance,
			/// The block from which [`Pallet::release`] frees it.
			at: BlockNumberFor<T>,
		},
		/// A payer's released `amount` is free again.
		Released {
			/// The payer's twin.
			twin_id: TwinId,
			/// Planck freed: what was asked, less what charges took from it meanwhile.
			amount: Balance,
		},
		/// Governance set the pricing policy; it applies from now.
		PolicySet {
			/// The new policy, with the version the pallet gave it.
			policy: PricingPolicy,
		},
		/// Governance set the parameters.
		ParamsSet {
			/// The new parameters.
			params: BillingParams,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account has no twin.
		NoTwin,
		/// The twin pays for nothing and holds nothing here.
		NotAPayer,
		/// The amount must be above zero.
		ZeroAmount,
		/// The free balance (keeping the account alive) is less than the amount.
		InsufficientBalance,
		/// More than is committed, or than is left after a pending release.
		ReleaseTooLarge,
		/// A release is pending already: wait for it, or let it pass.
		ReleasePending,
		/// Nothing was asked to be released.
		NothingToRelease,
		/// The release notice has not passed yet.
		NoticeNotOver,
		/// The twin owes nothing.
		NoDebt,
		/// The free balance and the commitment cannot pay the whole debt: nothing changed, top
		/// up first.
		CannotPayDebt,
		/// A price is above [`PricingPolicy::MAX_PRICE`].
		PriceTooHigh,
		/// Farmer and treasury shares above 50 % together.
		InvalidShares,
		/// The last policy change has not been charged through yet (one charging pass).
		PolicyChangeTooSoon,
		/// The grace period and notice must be above zero, the prepaid time at most a month.
		InvalidParams,
		/// The payer is in grace: it pays its debt before it creates a contract.
		PayerInGrace,
		/// The payer owes debt its ended contracts left: it pays it (`pay_debt`) before it
		/// creates a contract.
		UnpaidDebt,
		/// The payer cannot pay the first [`BillingParams::prepaid`] seconds of its contracts
		/// with this one: top up or commit first.
		CannotPrepay,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			Self::charge_due(Self::block_u32(n))
		}

		fn integrity_test() {
			assert!(T::MaxPassBlocks::get() > 0, "MaxPassBlocks must be > 0");
			// A payer is charged whole, and the first of a block even over the budget: the
			// largest possible one (each contract on its own node with its own provider) must
			// fit in a block. (Ending all of its contracts out of funds at once may not: that is
			// capacity's end weight per contract.)
			let payer = Self::payer_max_weight(T::MaxContractsPerPayer::get());
			let block = <T as frame_system::Config>::BlockWeights::get().max_block;
			assert!(payer.all_lte(block), "the largest payer must fit in a block");
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
		/// Commit `amount` of the caller's free TFT to billing (held on its account). Committed
		/// TFT counts for the holding discount from the next charge, pays what the free balance
		/// cannot, and is released only after the notice. Pays the twin's debt first if it can.
		///
		/// - Origin: signed, by an account with a twin.
		///
		/// Emits [`Event::Committed`] (and what paying debt emits). Errors: [`Error::NoTwin`],
		/// [`Error::ZeroAmount`], [`Error::InsufficientBalance`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::commit().saturating_add(T::WeightInfo::pay_debt(T::MaxContractsPerPayer::get())))]
		pub fn commit(origin: OriginFor<T>, amount: Balance) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let debts = Self::do_commit(&who, amount)?;
			Ok(Some(T::WeightInfo::commit().saturating_add(T::WeightInfo::pay_debt(debts))).into())
		}

		/// Ask to release `amount` of the caller's commitment: it stops counting for the
		/// discount now and becomes free after [`BillingParams::release_notice`] blocks (call
		/// [`Pallet::release`] then). One release at a time.
		///
		/// - Origin: signed, by a payer's account.
		///
		/// Emits [`Event::ReleaseRequested`]. Errors: [`Error::NoTwin`], [`Error::NotAPayer`],
		/// [`Error::ZeroAmount`], [`Error::ReleaseTooLarge`], [`Error::ReleasePending`].
		#[pallet::call_index(1)]
		pub fn request_release(origin: OriginFor<T>, amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_request_release(&who, amount)
		}

		/// Free the commitment asked for by [`Pallet::request_release`] once the notice has
		/// passed (less whatever charges took from it meanwhile).
		///
		/// - Origin: signed, by a payer's account.
		///
		/// Emits [`Event::Released`]. Errors: [`Error::NoTwin`], [`Error::NotAPayer`],
		/// [`Error::NothingToRelease`], [`Error::NoticeNotOver`].
		#[pallet::call_index(2)]
		pub fn release(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_release(&who)
		}

		/// Pay all of the caller's debt now (free balance, then commitment) — its contracts'
		/// and what its ended contracts left written off — and resume its contracts. Charges
		/// that are not due yet are not taken.
		///
		/// - Origin: signed, by a payer's account.
		///
		/// Emits [`Event::Charged`] per contract paid, [`Event::GraceEnded`],
		/// [`Event::WrittenOffPaid`]. Errors:
		/// [`Error::NoTwin`], [`Error::NotAPayer`], [`Error::NoDebt`],
		/// [`Error::CannotPayDebt`] (nothing changes: top up first).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::pay_debt(T::MaxContractsPerPayer::get()))]
		pub fn pay_debt(origin: OriginFor<T>) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let contracts = Self::do_pay_debt(&who)?;
			Ok(Some(T::WeightInfo::pay_debt(contracts)).into())
		}

		/// Set the pricing policy (its `version` is set by the pallet). It applies from this
		/// second: charges spanning now are priced piecewise.
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::PolicySet`]. Errors: [`Error::PriceTooHigh`],
		/// [`Error::InvalidShares`], [`Error::PolicyChangeTooSoon`].
		#[pallet::call_index(10)]
		pub fn set_policy(origin: OriginFor<T>, policy: PricingPolicy) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_policy(policy)
		}

		/// Set the grace period and the release notice (blocks), and the time a new contract's
		/// payer must be able to pay (seconds). A payer already in grace is measured against the
		/// new period.
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::ParamsSet`]. Errors: [`Error::InvalidParams`].
		#[pallet::call_index(11)]
		pub fn set_params(origin: OriginFor<T>, params: BillingParams) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_params(params)
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// What a prospective contract would cost per hour and per month, in USD and in TFT at
		/// the billing price, with `twin`'s current holding discount (none for `None`). `None`
		/// for an unknown node or before the oracle has a price.
		pub fn quote(contract: Prospective, twin: Option<TwinId>) -> Option<Quote> {
			Self::quote_for(contract, twin)
		}
		/// A live contract's billing: its payer, when it was last charged, its debt, and its
		/// payer's grace and discount.
		pub fn contract_billing(contract_id: ContractId) -> Option<ContractBilling> {
			Self::billing_of(contract_id)
		}
		/// A payer's projected monthly spend at today's prices (nodes up, no traffic), what it
		/// can pay with, and for how many days.
		pub fn payer_outlook(twin_id: TwinId) -> Option<PayerOutlook> {
			Self::outlook_of(twin_id)
		}
	}

	impl<T: Config> Pallet<T> {
		pub(crate) fn now_secs() -> u64 {
			T::TimeProvider::now().as_secs()
		}

		pub(crate) fn block_u32(n: BlockNumberFor<T>) -> u32 {
			n.try_into().unwrap_or(u32::MAX)
		}

		pub(crate) fn current_block() -> u32 {
			Self::block_u32(frame_system::Pallet::<T>::block_number())
		}

		/// The bucket of a new payer whose first contract is on node `key` (else `key` is its
		/// twin).
		pub(crate) fn bucket_for(key: u32) -> u32 {
			key % PassBlocks::<T>::get().max(1)
		}

		pub(crate) fn ledger(twin: TwinId) -> Option<LedgerOf<T>> {
			Payers::<T>::get(PayerBucket::<T>::get(twin)?, twin)
		}

		/// A new payer `twin` of `account` in bucket `bucket_for(key)`, indexed (its ledger is
		/// stored by the caller).
		pub(crate) fn new_payer(twin: TwinId, account: T::AccountId, key: u32) -> LedgerOf<T> {
			let bucket = Self::bucket_for(key);
			PayerBucket::<T>::insert(twin, bucket);
			Ledger::new(account, bucket)
		}

		pub(crate) fn put_ledger(twin: TwinId, ledger: &LedgerOf<T>) {
			Payers::<T>::insert(ledger.bucket, twin, ledger);
		}

		pub(crate) fn remove_payer(twin: TwinId, ledger: &LedgerOf<T>) {
			PayerBucket::<T>::remove(twin);
			Payers::<T>::remove(ledger.bucket, twin);
		}

		pub(crate) fn twin_of(who: &T::AccountId) -> Result<TwinId, DispatchError> {
			T::Registry::twin_of(who).ok_or_else(|| Error::<T>::NoTwin.into())
		}
	}
}
