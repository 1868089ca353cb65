//! Capacity contracts as billing and minting see them.
//!
//! The capacity pallet owns contracts. Billing reads what a contract makes billable
//! ([`ContractLifecycle::billable`]), moves it in and out of grace and ends it through
//! [`ContractLifecycle`], and is told before a contract changes or ends through
//! [`ContractObserver`] (so it can settle what is owed under the old terms). Minting and billing
//! read network usage through [`NetworkUsage`]. Every hook and query declares an upper bound of
//! its weight, which the calling dispatchable charges.

extern crate alloc;

use crate::{
	money::Musd,
	registry::{ContractId, NodeId, TwinId},
	resources::Resources,
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
	GracePeriod { since: BlockNumber },
}

/// What a contract makes billable.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub enum BillableKind {
	/// A deployment reserving `resources` and `public_ips` addresses on `node_id`. Under a rent
	/// contract (`rented`), the capacity is paid by the rent: only IPs and traffic are billed.
	Node { node_id: NodeId, resources: Resources, public_ips: u32, rented: bool },
	/// The whole of `node_id` (its `resources` now), plus the farmer's monthly `extra_fee`.
	Rent { node_id: NodeId, resources: Resources, extra_fee: Musd },
	/// A gateway name.
	Name,
}

/// A contract as billing sees it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct Billable<AccountId, BlockNumber> {
	pub twin_id: TwinId,
	/// The account that pays (the owner twin's account when the contract was made).
	pub payer: AccountId,
	pub kind: BillableKind,
	pub state: ContractState<BlockNumber>,
	pub solution_provider: Option<ProviderId>,
}

/// How billing drives contracts. Calls that change a contract emit the capacity pallet's events;
/// a rent contract carries its node contracts into and out of grace, and ends them with it.
pub trait ContractLifecycle<AccountId, BlockNumber> {
	/// What `contract` makes billable, if it is live.
	fn billable(contract: ContractId) -> Option<Billable<AccountId, BlockNumber>>;
	/// The accounts of an approved provider and their shares of the bill.
	fn provider_shares(provider: ProviderId) -> Vec<(AccountId, Percent)>;
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
	/// `contract` was created; its billing starts now.
	fn contract_created(_contract: ContractId) {}
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

/// Public network usage the nodes report, as running totals (readers keep what they consumed).
pub trait NetworkUsage {
	/// Bytes of public traffic reported for `contract` since it was created.
	fn contract_traffic(contract: ContractId) -> u64;
	/// Bytes of public traffic reported on `node`, and IPv4-seconds its contracts held up to
	/// `now` (Unix seconds), both since the node's first contract.
	fn node_totals(node: NodeId, now: u64) -> NodeNetworkTotals;
	/// Upper bound of the weight of one query above.
	fn query_weight() -> Weight;
}

/// Running totals of one node's public network usage.
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
pub struct NodeNetworkTotals {
	/// Bytes of public traffic reported.
	pub traffic_bytes: u128,
	/// Σ over time of the public IPv4s its contracts held, in IPv4-seconds.
	pub ipv4_seconds: u128,
}

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
