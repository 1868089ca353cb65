//! Capacity contracts as billing and minting see them.
//!
//! The capacity pallet owns contracts. Billing reads what a contract makes billable
//! ([`ContractLifecycle::billable`]), moves it in and out of grace and ends it through
//! [`ContractLifecycle`], and is told before a contract changes or ends through
//! [`ContractObserver`] (so it can refuse a new contract its payer cannot pay, and settle what is
//! owed under the old terms). Billing reads the traffic nodes report through [`NetworkUsage`],
//! and tells minting what it collected for a node's network through [`NetworkRevenue`] (network
//! rewards are paid only on that). Every hook and query declares an upper bound of its weight,
//! which the calling dispatchable charges.

extern crate alloc;

use crate::{
	money::Musd,
	registry::{ContractId, NodeId, TwinId},
	resources::Resources,
	Balance,
};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::{DispatchResult, Percent, Weight};

/// A solution provider: a party that brought the user to the grid and shares in its bills.
pub type ProviderId = u32;

/// Most accounts one solution provider splits its share between.
pub const MAX_PROVIDER_ACCOUNTS: u32 = 5;

/// Why a contract ended.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum EndCause {
	/// Its owner cancelled it.
	Owner,
	/// Its grace period ran out unpaid.
	OutOfFunds,
	/// Governance ended it.
	Governance,
	/// Its node left the grid.
	NodeRemoved,
	/// One of its public IPs was taken back from the farm's pool.
	Farmer,
}

/// Where a live contract stands. An ended contract is not stored.
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
pub enum ContractState<BlockNumber> {
	/// Running and paid for.
	#[default]
	Created,
	/// Its payer could not pay since this block: workloads pause until it pays.
	GracePeriod {
		/// The block of the first failed payment.
		since: BlockNumber,
	},
}

/// A rent's monthly extra fee: the one its renter agreed to, and an increase the farmer
/// announced, which applies from its `from` second (the renter may leave before).
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
pub struct ExtraFee {
	/// The fee in force now, per month.
	pub fee: Musd,
	/// A higher fee the farmer announced, not yet in force.
	pub increase: Option<FeeIncrease>,
}

/// A higher extra fee, from Unix second `from` on.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct FeeIncrease {
	/// The new fee, per month.
	pub fee: Musd,
	/// The Unix second it applies from (the notice period after it was announced).
	pub from: u64,
}

impl ExtraFee {
	/// The fee a renter agreed to, with no increase pending.
	pub fn agreed(fee: Musd) -> Self {
		ExtraFee { fee, increase: None }
	}

	/// The fee in force at Unix second `t`.
	pub fn at(&self, t: u64) -> Musd {
		match self.increase {
			Some(increase) if t >= increase.from => increase.fee,
			_ => self.fee,
		}
	}

	/// The increase folded into the fee once it applies at `now`.
	pub fn settled(self, now: u64) -> Self {
		ExtraFee { fee: self.at(now), increase: self.increase.filter(|i| now < i.from) }
	}
}

/// What a contract makes billable.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub enum BillableKind {
	/// A deployment reserving `resources` and `public_ips` addresses on `node_id`. Under a rent
	/// contract (`rented`), the capacity is paid by the rent: only IPs and traffic are billed.
	Node {
		/// The node the deployment runs on.
		node_id: NodeId,
		/// The capacity it reserves.
		resources: Resources,
		/// How many public IPv4 addresses it holds.
		public_ips: u32,
		/// Whether the node is under a rent contract (whose rent then pays the capacity).
		rented: bool,
	},
	/// The whole of `node_id` at the capacity agreed when it was rented (`resources`), plus
	/// the farmer's monthly `extra_fee`.
	Rent {
		/// The rented node.
		node_id: NodeId,
		/// The node's capacity when it was rented: what the rent is priced on.
		resources: Resources,
		/// The farmer's monthly fee on top of the capacity price.
		extra_fee: ExtraFee,
	},
	/// A gateway name.
	Name,
}

/// A contract as billing sees it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct Billable<AccountId, BlockNumber> {
	/// The twin that owns the contract.
	pub twin_id: TwinId,
	/// The account that pays (the owner twin's account when the contract was made).
	pub payer: AccountId,
	/// What is billed: a deployment, a rent or a name.
	pub kind: BillableKind,
	/// Whether it runs or waits in grace for its payer.
	pub state: ContractState<BlockNumber>,
	/// The approved solution provider that takes a share of what it pays, if any.
	pub solution_provider: Option<ProviderId>,
}

/// How billing drives contracts. Calls that change a contract emit the capacity pallet's events;
/// a rent contract carries its node contracts into and out of grace, and ends them with it.
pub trait ContractLifecycle<AccountId, BlockNumber> {
	/// What `contract` makes billable, if it is live.
	fn billable(contract: ContractId) -> Option<Billable<AccountId, BlockNumber>>;
	/// The accounts of an approved provider and their shares of the bill.
	fn provider_shares(provider: ProviderId) -> Vec<(AccountId, Percent)>;
	/// The monthly extra fee a new rent of `node` would pay (its farmer's, now).
	fn extra_fee(node: NodeId) -> Musd;
	/// Created → GracePeriod (its payer cannot pay).
	fn start_grace(contract: ContractId) -> DispatchResult;
	/// GracePeriod → Created (its payer paid).
	fn end_grace(contract: ContractId) -> DispatchResult;
	/// Ends `contract` for `cause`, releasing its IPs, capacity, name and deposit.
	fn end_contract(contract: ContractId, cause: EndCause) -> DispatchResult;
	/// Upper bound of the weight of any one call above.
	fn lifecycle_max_weight() -> Weight;
	/// Upper bound of the weight of moving `contracts` contracts into or out of grace, counting
	/// those a rent contract carries, in any number of calls.
	fn grace_weight(contracts: u32) -> Weight;
	/// Upper bound of the weight of ending `contracts` contracts, counting those a rent
	/// contract ends with it (and the observer hooks each end calls), in any number of calls.
	fn end_weight(contracts: u32) -> Weight;
}

/// Told about contracts before they change and when they start or end. `()` ignores all.
pub trait ContractObserver {
	/// `contract` was created; its billing starts now. An error refuses it (its payer is in
	/// grace, owes written-off debt, or cannot pay for the first period): the creating call
	/// fails and changes nothing.
	fn contract_created(_contract: ContractId) -> DispatchResult {
		Ok(())
	}
	/// `contract` is about to change or end: settle what is owed under its current terms.
	fn settle(_contract: ContractId) {}
	/// `contract` ended for `cause` and left storage.
	fn contract_ended(_contract: ContractId, _cause: EndCause) {}
	/// Upper bound of the weight of the hooks one contract change calls: `contract_created`, or
	/// `settle` followed by `contract_ended`.
	fn max_weight() -> Weight {
		Weight::zero()
	}
}

impl ContractObserver for () {}

/// Public traffic the nodes report, per contract.
pub trait NetworkUsage {
	/// Bytes of public traffic reported for `contract` since it was created.
	fn contract_traffic(contract: ContractId) -> u64;
	/// Upper bound of the weight of [`Self::contract_traffic`].
	fn query_weight() -> Weight;
}

/// Public network usage that billing charged for **and collected**, on one node.
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
pub struct PaidNetwork {
	/// Bytes of public traffic.
	pub traffic_bytes: u128,
	/// IPv4-seconds: public IPv4s held times seconds.
	pub ipv4_seconds: u128,
	/// Planck the payers paid for them (after their discount).
	pub paid: Balance,
	/// Planck of `paid` that was burned (what neither the farmer, the treasury nor solution
	/// providers received): network rewards mint at most this back, so paying for one's own
	/// usage always costs more than it returns.
	pub burned: Balance,
}

impl PaidNetwork {
	/// Both amounts together (saturating).
	pub fn plus(self, other: PaidNetwork) -> PaidNetwork {
		PaidNetwork {
			traffic_bytes: self.traffic_bytes.saturating_add(other.traffic_bytes),
			ipv4_seconds: self.ipv4_seconds.saturating_add(other.ipv4_seconds),
			paid: self.paid.saturating_add(other.paid),
			burned: self.burned.saturating_add(other.burned),
		}
	}

	/// Nothing carried, nothing paid.
	pub fn is_zero(&self) -> bool {
		*self == PaidNetwork::default()
	}
}

/// What billing collected for each node's public network, told to minting: network and IPv4
/// rewards are paid on this alone (never on usage nobody paid for). `()` ignores it.
pub trait NetworkRevenue {
	/// Billing collected `usage` for `node`'s contracts.
	fn collected(_node: NodeId, _usage: PaidNetwork) {}
	/// Upper bound of the weight of one [`Self::collected`].
	fn collected_weight() -> Weight {
		Weight::zero()
	}
}

impl NetworkRevenue for () {}

/// Builders billing's benchmarks use (implemented by the capacity pallet).
#[cfg(feature = "runtime-benchmarks")]
pub trait ContractsBenchmarking<AccountId> {
	/// A node contract of `owner` (funded for its deposits here) on `node` reserving
	/// `resources` with `public_ips` IPv4s, naming a fresh approved solution provider with the
	/// most accounts if `with_provider`.
	fn node_contract(
		owner: &AccountId,
		node: NodeId,
		resources: Resources,
		public_ips: u32,
		with_provider: bool,
	) -> ContractId;
}

/// [`ContractsBenchmarking`] when benchmarking, nothing otherwise: the bound billing puts on
/// its `Config::Contracts`, so its benchmarks build contracts through the capacity pallet.
#[cfg(feature = "runtime-benchmarks")]
pub trait MaybeContractsBenchmarking<AccountId>: ContractsBenchmarking<AccountId> {}
#[cfg(feature = "runtime-benchmarks")]
impl<AccountId, T: ContractsBenchmarking<AccountId>> MaybeContractsBenchmarking<AccountId> for T {}

/// [`ContractsBenchmarking`] when benchmarking, nothing otherwise.
#[cfg(not(feature = "runtime-benchmarks"))]
pub trait MaybeContractsBenchmarking<AccountId> {}
#[cfg(not(feature = "runtime-benchmarks"))]
impl<AccountId, T> MaybeContractsBenchmarking<AccountId> for T {}
