//! The capacity pallet's domain types. Each owns its rules; the pallet only stores them.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::prelude::*;
use grid_primitives::{
	contracts::{ContractState, ExtraFee, ProviderId},
	money::{Musd, HOUR},
	registry::{AssignedIp, FarmId, NodeId, TwinId},
	resources::Resources,
};
use scale_info::TypeInfo;

/// Longest opaque deployment description a node contract carries (Zero-OS reads it).
pub const MAX_DEPLOYMENT_DATA: u32 = 512;
/// Most public IPv4s one node contract takes.
pub const MAX_IPS_PER_CONTRACT: u32 = 16;
/// Gateway names: 3..=64 of `[a-z0-9_-]`.
pub const MIN_NAME_LEN: usize = 3;
/// Longest gateway name, bytes.
pub const MAX_NAME_LEN: u32 = 64;
pub use grid_primitives::contracts::MAX_PROVIDER_ACCOUNTS;
/// Solution providers take at most this share of a bill, all accounts together.
pub const MAX_PROVIDER_SHARE: u8 = 50;
/// Public traffic one report may claim per second of its window: 10 Gbit/s, above any single
/// Zero-OS node's uplink. More is a false claim on the users' bills.
pub const MAX_BYTES_PER_SECOND: u64 = 1_250_000_000;
/// A node may report its traffic this far (an hour of its limit) ahead of its average.
pub const TRAFFIC_BURST: u64 = HOUR;
/// The default least time between two usage batches of one node, seconds (20 minutes: a
/// Zero-OS node reports its usage about every hour).
pub const DEFAULT_USAGE_REPORT_GAP: u64 = 1_200;

/// A node contract's 32-byte deployment hash, set by its owner; unique among its node's live
/// contracts.
pub type DeploymentHash = [u8; 32];
/// A node contract's opaque deployment description, at most [`MAX_DEPLOYMENT_DATA`] bytes.
pub type DeploymentData = BoundedVec<u8, ConstU32<MAX_DEPLOYMENT_DATA>>;
/// The public IPv4s a node contract holds, at most [`MAX_IPS_PER_CONTRACT`].
pub type ContractIps = BoundedVec<AssignedIp, ConstU32<MAX_IPS_PER_CONTRACT>>;
/// A gateway name: 3..=64 bytes of `[a-z0-9_-]` (checked by [`check_name`]).
pub type GatewayName = BoundedVec<u8, ConstU32<MAX_NAME_LEN>>;

/// Why an input is refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum InputError {
	/// The gateway name is not 3..=64 of `[a-z0-9_-]`.
	InvalidName,
	/// Provider shares are empty, hold a zero share, or sum above [`MAX_PROVIDER_SHARE`].
	InvalidProviderShares,
	/// An account appears twice among a provider's shares.
	DuplicateProviderAccount,
	/// The usage window is empty or not over yet.
	InvalidWindow,
	/// More traffic than [`MAX_BYTES_PER_SECOND`] over the window.
	ImplausibleTraffic,
}

/// `Ok` for 3..=64 of `[a-z0-9_-]` (gateway names are DNS labels; lower case only, so two names
/// never differ by case alone).
pub fn check_name(name: &GatewayName) -> Result<(), InputError> {
	let allowed = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-' || *b == b'_';
	if name.len() < MIN_NAME_LEN || !name.iter().all(allowed) {
		return Err(InputError::InvalidName);
	}
	Ok(())
}

/// A deployment on one node.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct NodeContract {
	/// The node the deployment runs on.
	pub node_id: NodeId,
	/// The node's farm, whose pool the IPs came from (kept: the node may leave first).
	pub farm_id: FarmId,
	/// The deployment's hash, set by the owner; unique among the node's live contracts.
	pub deployment_hash: DeploymentHash,
	/// Opaque description of the workload that Zero-OS deploys, at most 512 bytes.
	pub deployment_data: DeploymentData,
	/// What the deployment reserves on the node.
	pub resources: Resources,
	/// The public IPv4s taken from the farm's pool.
	pub public_ips: ContractIps,
}

/// What a contract is for.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum ContractKind {
	/// A deployment on a node.
	Node(NodeContract),
	/// A whole node for one twin, at the capacity it had when rented (what the rent is
	/// priced on, whatever the node declares later) and the extra fee its renter agreed to.
	Rent {
		/// The rented node.
		node_id: NodeId,
		/// The node's capacity when it was rented.
		resources: Resources,
		/// The monthly extra fee (mUSD) the renter pays, and any higher one scheduled.
		extra_fee: ExtraFee,
	},
	/// A unique gateway name.
	Name {
		/// The gateway name held.
		name: GatewayName,
	},
}

impl ContractKind {
	/// The node the contract runs on (none for a name).
	pub fn node_id(&self) -> Option<NodeId> {
		match self {
			ContractKind::Node(c) => Some(c.node_id),
			ContractKind::Rent { node_id, .. } => Some(*node_id),
			ContractKind::Name { .. } => None,
		}
	}
}

/// A live contract. Ended contracts leave storage.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Contract<AccountId, Balance, BlockNumber> {
	/// The twin that owns it.
	pub twin_id: TwinId,
	/// The account that created it: it pays, and its deposit is held from it.
	pub payer: AccountId,
	/// What it is for: a deployment, a rented node or a gateway name.
	pub kind: ContractKind,
	/// Running, or in grace since a block (billing moves it between the two).
	pub state: ContractState<BlockNumber>,
	/// An approved solution provider, attached once.
	pub solution_provider: Option<ProviderId>,
	/// Held from `payer` while the contract lives.
	pub deposit: Balance,
	/// Unix seconds at creation.
	pub created_at: u64,
}

impl<AccountId, Balance, BlockNumber: Copy> Contract<AccountId, Balance, BlockNumber> {
	/// Whether the contract is in grace (its payer could not pay; workloads pause).
	pub fn in_grace(&self) -> bool {
		matches!(self.state, ContractState::GracePeriod { .. })
	}

	/// Created → GracePeriod since `now`; `false` if already in grace.
	pub fn start_grace(&mut self, now: BlockNumber) -> bool {
		if self.in_grace() {
			return false;
		}
		self.state = ContractState::GracePeriod { since: now };
		true
	}

	/// GracePeriod → Created; `false` if not in grace.
	pub fn end_grace(&mut self) -> bool {
		if !self.in_grace() {
			return false;
		}
		self.state = ContractState::Created;
		true
	}
}

/// What is reserved on a node: the sum of its node contracts' resources, and how many there are.
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
pub struct NodeLoad {
	/// The sum of the resources the node's contracts reserve.
	pub reserved: Resources,
	/// How many node contracts the node holds (at most [`crate::Config::MaxContractsPerNode`]).
	pub contracts: u32,
}

/// Why a node's load refused a change.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LoadError {
	/// The node's capacity does not cover the reservation.
	NotEnoughCapacity,
	/// The node holds the most contracts it may.
	TooManyContracts,
	/// The load does not contain what is released (storage is inconsistent).
	Inconsistent,
}

impl NodeLoad {
	/// Adds a contract reserving `resources` on a node of `capacity`, at most `max` contracts.
	pub fn add(
		&mut self,
		resources: &Resources,
		capacity: &Resources,
		max: u32,
	) -> Result<(), LoadError> {
		let reserved = self.reserved.checked_add(resources).ok_or(LoadError::NotEnoughCapacity)?;
		if !capacity.covers(&reserved) {
			return Err(LoadError::NotEnoughCapacity);
		}
		if self.contracts >= max {
			return Err(LoadError::TooManyContracts);
		}
		self.reserved = reserved;
		self.contracts = self.contracts.saturating_add(1);
		Ok(())
	}

	/// Replaces a contract's reservation `old` by `new` on a node of `capacity`.
	pub fn resize(
		&mut self,
		old: &Resources,
		new: &Resources,
		capacity: &Resources,
	) -> Result<(), LoadError> {
		let others = self.reserved.checked_sub(old).ok_or(LoadError::Inconsistent)?;
		let reserved = others.checked_add(new).ok_or(LoadError::NotEnoughCapacity)?;
		if !capacity.covers(&reserved) {
			return Err(LoadError::NotEnoughCapacity);
		}
		self.reserved = reserved;
		Ok(())
	}

	/// Removes a contract that reserved `resources`.
	pub fn remove(&mut self, resources: &Resources) -> Result<(), LoadError> {
		let reserved = self.reserved.checked_sub(resources).ok_or(LoadError::Inconsistent)?;
		let contracts = self.contracts.checked_sub(1).ok_or(LoadError::Inconsistent)?;
		*self = NodeLoad { reserved, contracts };
		Ok(())
	}

	/// What is still free on a node of `capacity` (`None` if over-reserved: a broken invariant).
	pub fn free(&self, capacity: &Resources) -> Option<Resources> {
		capacity.checked_sub(&self.reserved)
	}
}

/// A solution provider: accounts that share in the bills of the contracts it is attached to.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct SolutionProvider<AccountId, Balance> {
	/// Who created it; the deposit is held from it.
	pub owner: AccountId,
	/// Free text about the provider, at most 256 bytes.
	pub description: ProviderDescription,
	/// Accounts and their percent of each bill (Σ ≤ [`MAX_PROVIDER_SHARE`]).
	pub shares: ProviderShares<AccountId>,
	/// Only approved providers can be attached to contracts.
	pub approved: bool,
	/// [`crate::Config::ProviderDeposit`] (planck) held from `owner`, released on removal.
	pub deposit: Balance,
}

/// A solution provider's accounts, each with its percent of every bill (at most
/// [`MAX_PROVIDER_ACCOUNTS`]).
pub type ProviderShares<AccountId> = BoundedVec<(AccountId, u8), ConstU32<MAX_PROVIDER_ACCOUNTS>>;
/// A solution provider's free-text description, at most 256 bytes.
pub type ProviderDescription = BoundedVec<u8, ConstU32<256>>;

/// `Ok` when there is at least one account, every share is 1..=50 %, their sum (computed without
/// overflow: tfchain summed `u8`s and wrapped) is at most [`MAX_PROVIDER_SHARE`], and no account
/// appears twice.
pub fn check_shares<AccountId: Ord + Clone>(
	shares: &ProviderShares<AccountId>,
) -> Result<(), InputError> {
	let total: u32 = shares.iter().map(|(_, s)| u32::from(*s)).sum();
	if shares.is_empty() || shares.iter().any(|(_, s)| *s == 0) || total > MAX_PROVIDER_SHARE.into()
	{
		return Err(InputError::InvalidProviderShares);
	}
	let accounts: alloc::vec::Vec<_> = shares.iter().map(|(a, _)| a.clone()).collect();
	if !grid_primitives::all_distinct(&accounts) {
		return Err(InputError::DuplicateProviderAccount);
	}
	Ok(())
}

/// The grid's limits governance sets: what a node may report and what a farmer may ask.
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
	frame::derive::Serialize,
	frame::derive::Deserialize,
)]
#[serde(crate = "frame::derive::serde", rename_all = "camelCase")]
pub struct Limits {
	/// Most public traffic one node may report for all its contracts together, bytes per
	/// second on average (with an hour of it as a burst).
	pub node_traffic_per_second: u64,
	/// Highest monthly extra fee a farmer may set on a node.
	pub max_extra_fee: Musd,
	/// How long a higher extra fee waits before it applies to a running rent, seconds (the
	/// renter may leave meanwhile).
	pub fee_notice: u64,
	/// Least time between two usage batches of one node, seconds of chain time: a batch
	/// sooner after the node's last accepted one is refused before the pool, so a node gets
	/// at most one (free) batch into the chain per gap.
	pub usage_report_gap: u64,
}

impl Default for Limits {
	/// 10 Gbit/s per node, $1,000 a month, 30 days of notice, a usage batch every 20 minutes
	/// at most ([`DEFAULT_USAGE_REPORT_GAP`]).
	fn default() -> Self {
		Limits {
			node_traffic_per_second: MAX_BYTES_PER_SECOND,
			max_extra_fee: Musd(1_000_000),
			fee_notice: 30 * 24 * HOUR,
			usage_report_gap: DEFAULT_USAGE_REPORT_GAP,
		}
	}
}

impl Limits {
	/// Whether governance may set these: a node traffic rate above 0 and at most
	/// [`MAX_BYTES_PER_SECOND`], and a usage report gap above 0.
	pub fn is_valid(&self) -> bool {
		self.node_traffic_per_second > 0
			&& self.node_traffic_per_second <= MAX_BYTES_PER_SECOND
			&& self.usage_report_gap > 0
	}

	/// Whether a node whose last batch was accepted at `last` (Unix seconds; `None`: never)
	/// may report a batch at `now`.
	pub fn usage_batch_due(&self, last: Option<u64>, now: u64) -> bool {
		last.is_none_or(|last| now >= last.saturating_add(self.usage_report_gap))
	}
}

/// What a node reports for one of its contracts over a window of Unix seconds.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct UsageReport {
	/// The node contract reported on.
	pub contract_id: grid_primitives::registry::ContractId,
	/// The window `[window_start, window_end)`, Unix seconds.
	pub window_start: u64,
	/// End of the window (exclusive), Unix seconds; no later than the report's block time.
	pub window_end: u64,
	/// Resources the deployment actually used (at most what it reserves is not enforced: it is
	/// informational).
	pub used: Resources,
	/// Public traffic in the window, bytes.
	pub public_traffic_bytes: u64,
}

impl UsageReport {
	/// `Ok` for a non-empty window that has ended by `now` and plausible traffic.
	pub fn check(&self, now: u64) -> Result<(), InputError> {
		if self.window_start >= self.window_end || self.window_end > now {
			return Err(InputError::InvalidWindow);
		}
		let seconds = self.window_end.saturating_sub(self.window_start);
		if self.public_traffic_bytes > seconds.saturating_mul(MAX_BYTES_PER_SECOND) {
			return Err(InputError::ImplausibleTraffic);
		}
		Ok(())
	}
}

/// One node's usage reports, signed by the node's account: the argument of
/// [`crate::Pallet::report_usage`]. At most `MaxReports` reports
/// ([`crate::Config::MaxUsageReports`]).
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxReports))]
pub struct UsageBatch<MaxReports: Get<u32>> {
	/// The reporting node; its twin's account signs the batch.
	pub node_id: NodeId,
	/// What each of the node's contracts used, 1..=`MaxReports` reports.
	pub reports: BoundedVec<UsageReport, MaxReports>,
}

impl<MaxReports: Get<u32>> UsageBatch<MaxReports> {
	/// Domain of the signature: a usage batch signature is useless for anything else (an
	/// uptime report signs another context).
	pub const CONTEXT: &'static [u8] = b"gridchain/usage-report/v1";

	/// The bytes the node's account signs: [`Self::CONTEXT`] then the batch, SCALE-encoded
	/// together as the tuple `(CONTEXT, batch)` (so the context is length-prefixed).
	pub fn signing_payload(&self) -> alloc::vec::Vec<u8> {
		(Self::CONTEXT, self).encode()
	}
}

/// What has been reported for one contract.
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
pub struct ContractUsage {
	/// End of the last accepted window; a window starting before it is stale and ignored.
	pub window_end: u64,
	/// Resources used in the last accepted window.
	pub used: Resources,
	/// Bytes of public traffic reported since the contract was created.
	pub traffic_bytes: u64,
	/// The most traffic its owner lets the node bill, bytes per hour (`None`: no cap), for
	/// windows starting from `limit_from`.
	pub traffic_limit: Option<u64>,
	/// The loosest cap in force between the last accepted window and `limit_from`: a window
	/// that started before the owner changed the cap is capped by it, so a cap lowered just
	/// before a report never reaches back over traffic already carried.
	pub earlier_limit: Option<u64>,
	/// When the owner last set the cap, Unix seconds (0: never).
	pub limit_from: u64,
}

/// The looser of two caps (`None`: no cap).
fn looser(a: Option<u64>, b: Option<u64>) -> Option<u64> {
	Some(a?.max(b?))
}

/// What [`ContractUsage::accept`] did with a report.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Accepted {
	/// Stale or a duplicate: nothing counted.
	Skipped,
	/// Counted: `bytes` of traffic, `capped` more were above the owner's limit.
	Counted {
		/// Traffic counted, bytes.
		bytes: u64,
		/// Traffic above the owner's cap, not counted, bytes.
		capped: u64,
	},
}

impl ContractUsage {
	/// The owner sets the cap to `limit` at `now`: it applies to windows starting from then.
	pub fn set_limit(&mut self, limit: Option<u64>, now: u64) {
		self.earlier_limit = if self.limit_from > self.window_end {
			// Changed before since the last accepted window: windows may have started under
			// either.
			looser(self.earlier_limit, self.traffic_limit)
		} else {
			self.traffic_limit
		};
		self.traffic_limit = limit;
		self.limit_from = now;
	}

	/// The cap of a window starting at `start`.
	pub fn limit_for(&self, start: u64) -> Option<u64> {
		if start >= self.limit_from {
			self.traffic_limit
		} else {
			looser(self.earlier_limit, self.traffic_limit)
		}
	}

	/// Passes over `report`'s window without counting it (its contract is in grace, its
	/// workloads paused), so no later window reaches back over it.
	pub fn pass_over(&mut self, report: &UsageReport) {
		if report.window_start >= self.window_end {
			self.window_end = report.window_end;
		}
	}

	/// Accepts `report` unless its window starts before the last accepted one ended (stale or
	/// a duplicate); traffic above the owner's limit for the window is not counted.
	pub fn accept(&mut self, report: &UsageReport) -> Accepted {
		if report.window_start < self.window_end {
			return Accepted::Skipped;
		}
		let limit = self.limit_for(report.window_start);
		self.window_end = report.window_end;
		self.used = report.used;
		let seconds = report.window_end.saturating_sub(report.window_start);
		let allowed = limit.map_or(u64::MAX, |per_hour| {
			let allowed = u128::from(per_hour).saturating_mul(u128::from(seconds));
			u64::try_from(allowed.checked_div(u128::from(HOUR)).unwrap_or(0)).unwrap_or(u64::MAX)
		});
		let bytes = report.public_traffic_bytes.min(allowed);
		// A window's traffic is bounded (see `UsageReport::check`); u64 bytes last centuries.
		self.traffic_bytes = self.traffic_bytes.saturating_add(bytes);
		Accepted::Counted { bytes, capped: report.public_traffic_bytes.saturating_sub(bytes) }
	}
}

/// A node's traffic allowance: what it may still report, refilled at the governed rate up to
/// an hour of it.
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
pub struct NodeNetwork {
	/// Bytes it may still report.
	pub allowance: u64,
	/// Unix seconds of the last refill.
	pub at: u64,
}

impl NodeNetwork {
	/// Takes `bytes` from the allowance refilled to `now` at `per_second`: `true` when they
	/// fit, else `false` and nothing changes.
	pub fn take(&mut self, bytes: u64, per_second: u64, now: u64) -> bool {
		let cap = per_second.saturating_mul(TRAFFIC_BURST);
		let refill = per_second.saturating_mul(now.saturating_sub(self.at));
		let available = self.allowance.saturating_add(refill).min(cap);
		let Some(left) = available.checked_sub(bytes) else { return false };
		*self = NodeNetwork { allowance: left, at: now.max(self.at) };
		true
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	/// Contract 1's usage over `[start, end)` with `bytes` of public traffic.
	fn report(start: u64, end: u64, bytes: u64) -> UsageReport {
		UsageReport {
			contract_id: 1,
			window_start: start,
			window_end: end,
			used: r(1, 1),
			public_traffic_bytes: bytes,
		}
	}

	fn r(cru: u64, mru: u64) -> Resources {
		Resources { cru, mru, sru: 0, hru: 0 }
	}

	#[test]
	fn names() {
		let name = |s: &str| GatewayName::truncate_from(s.as_bytes().to_vec());
		assert_eq!(check_name(&name("my-gw_01")), Ok(()));
		assert_eq!(check_name(&name("ab")), Err(InputError::InvalidName));
		assert_eq!(check_name(&name("Upper")), Err(InputError::InvalidName));
		assert_eq!(check_name(&name("dot.ted")), Err(InputError::InvalidName));
		assert_eq!(check_name(&name(&"a".repeat(64))), Ok(()));
	}

	#[test]
	fn a_node_is_never_sold_beyond_its_capacity() {
		let capacity = r(4, 8);
		let mut load = NodeLoad::default();
		assert_eq!(load.add(&r(2, 4), &capacity, 10), Ok(()));
		assert_eq!(load.add(&r(2, 5), &capacity, 10), Err(LoadError::NotEnoughCapacity));
		assert_eq!(load, NodeLoad { reserved: r(2, 4), contracts: 1 }, "a refusal changes nothing");
		assert_eq!(load.add(&r(2, 4), &capacity, 10), Ok(()));
		assert_eq!(load.free(&capacity), Some(r(0, 0)));
		assert_eq!(load.add(&r(0, 0), &capacity, 2), Err(LoadError::TooManyContracts));
		assert_eq!(load.resize(&r(2, 4), &r(1, 1), &capacity), Ok(()));
		assert_eq!(load.resize(&r(1, 1), &r(3, 1), &capacity), Err(LoadError::NotEnoughCapacity));
		assert_eq!(load.remove(&r(1, 1)), Ok(()));
		assert_eq!(load, NodeLoad { reserved: r(2, 4), contracts: 1 });
		assert_eq!(load.remove(&r(3, 0)), Err(LoadError::Inconsistent));
		let overflow = Resources { cru: u64::MAX, ..r(0, 0) };
		assert_eq!(load.add(&overflow, &capacity, 10), Err(LoadError::NotEnoughCapacity));
	}

	#[test]
	fn provider_shares_never_wrap() {
		let shares = |s: &[(u64, u8)]| ProviderShares::<u64>::truncate_from(s.to_vec());
		assert_eq!(check_shares(&shares(&[(1, 30), (2, 20)])), Ok(()));
		assert_eq!(
			check_shares(&shares(&[(1, 30), (2, 21)])),
			Err(InputError::InvalidProviderShares)
		);
		// tfchain summed u8 shares: 200 + 100 wrapped to 44 and passed.
		assert_eq!(
			check_shares(&shares(&[(1, 200), (2, 100)])),
			Err(InputError::InvalidProviderShares)
		);
		assert_eq!(check_shares(&shares(&[])), Err(InputError::InvalidProviderShares));
		assert_eq!(check_shares(&shares(&[(1, 0)])), Err(InputError::InvalidProviderShares));
		assert_eq!(
			check_shares(&shares(&[(1, 10), (1, 10)])),
			Err(InputError::DuplicateProviderAccount)
		);
	}

	#[test]
	fn usage_windows() {
		assert_eq!(report(10, 20, 5).check(20), Ok(()));
		assert_eq!(report(20, 20, 5).check(30), Err(InputError::InvalidWindow));
		assert_eq!(report(10, 21, 5).check(20), Err(InputError::InvalidWindow), "not over yet");
		assert_eq!(
			report(10, 20, 10 * MAX_BYTES_PER_SECOND + 1).check(20),
			Err(InputError::ImplausibleTraffic)
		);
		let mut usage = ContractUsage { window_end: 10, ..Default::default() };
		let counted = |bytes| Accepted::Counted { bytes, capped: 0 };
		assert_eq!(usage.accept(&report(5, 15, 7)), Accepted::Skipped, "starts before the last");
		assert_eq!(usage.accept(&report(10, 20, 7)), counted(7));
		assert_eq!(usage.accept(&report(10, 20, 7)), Accepted::Skipped, "a duplicate counts once");
		assert_eq!(usage.accept(&report(25, 30, 3)), counted(3), "a gap is fine");
		assert_eq!((usage.window_end, usage.traffic_bytes), (30, 10));
		// The owner caps what may be billed: 3,600 bytes an hour is 10 over 10 s.
		usage.set_limit(Some(3_600), 30);
		assert_eq!(usage.accept(&report(30, 40, 25)), Accepted::Counted { bytes: 10, capped: 15 });
		assert_eq!(usage.traffic_bytes, 20);
		// A window in grace is passed over: the next cannot reach back over it.
		usage.pass_over(&report(40, 50, 99));
		assert_eq!((usage.window_end, usage.traffic_bytes), (50, 20));
		assert_eq!(usage.accept(&report(45, 60, 5)), Accepted::Skipped);
	}

	#[test]
	fn a_cap_never_reaches_back_over_a_window_that_started_before_it() {
		let mut usage = ContractUsage { window_end: 100, ..Default::default() };
		// Capped to nothing at 150, just before the node reports its window from 100, then
		// lifted, capped again: the window started uncapped.
		usage.set_limit(Some(0), 150);
		usage.set_limit(None, 151);
		usage.set_limit(Some(0), 152);
		assert_eq!(usage.limit_for(100), None);
		assert_eq!(usage.accept(&report(100, 160, 60)), Accepted::Counted { bytes: 60, capped: 0 });
		// A window that starts after the cap is capped.
		assert_eq!(usage.accept(&report(160, 170, 60)), Accepted::Counted { bytes: 0, capped: 60 });
		// Raised at 175: the window from 170 takes the looser of the two, the next the new.
		usage.set_limit(Some(3_600), 175);
		assert_eq!(usage.limit_for(170), Some(3_600));
		usage.set_limit(Some(0), 176);
		assert_eq!(usage.limit_for(170), Some(3_600), "every cap since the last window");
		assert_eq!(usage.limit_for(176), Some(0));
	}

	#[test]
	fn one_usage_batch_per_gap() {
		let limits = Limits { usage_report_gap: 10, ..Limits::default() };
		assert!(limits.usage_batch_due(None, 0), "a node that never reported may");
		assert!(!limits.usage_batch_due(Some(100), 109));
		assert!(limits.usage_batch_due(Some(100), 110));
		assert!(
			!limits.usage_batch_due(Some(u64::MAX - 5), u64::MAX - 1),
			"saturates, never wraps"
		);
		assert!(!limits.usage_batch_due(Some(100), 50), "a clock that went back waits");
		assert!(limits.is_valid());
		assert!(!Limits { usage_report_gap: 0, ..limits }.is_valid());
		assert_eq!(Limits::default().usage_report_gap, DEFAULT_USAGE_REPORT_GAP);
	}

	#[test]
	fn a_usage_batch_signs_its_context_and_every_field() {
		let batch = UsageBatch::<ConstU32<4>> {
			node_id: 7,
			reports: BoundedVec::truncate_from(alloc::vec![report(10, 20, 5)]),
		};
		let payload = batch.signing_payload();
		assert_eq!(payload, (&b"gridchain/usage-report/v1"[..], &batch).encode());
		assert!(payload.starts_with(&[25 << 2]), "the context, length-prefixed");
		assert!(payload.ends_with(&batch.encode()));
		let other = UsageBatch { node_id: 8, ..batch.clone() };
		assert_ne!(other.signing_payload(), payload, "the node is signed");
	}

	#[test]
	fn a_node_reports_no_more_traffic_than_its_allowance() {
		let mut net = NodeNetwork::default();
		// 10 bytes a second: an hour of it (36,000) is the most at once.
		assert!(!net.take(36_001, 10, 1_000_000));
		assert_eq!(net, NodeNetwork::default(), "a refusal changes nothing");
		assert!(net.take(36_000, 10, 1_000_000));
		assert!(!net.take(1, 10, 1_000_000), "nothing left");
		assert!(net.take(100, 10, 1_000_010), "refilled 10 s of it");
		assert_eq!(net, NodeNetwork { allowance: 0, at: 1_000_010 });
		assert!(!net.take(1, 10, 1_000_000), "a clock that went back refills nothing");
	}

	#[test]
	fn grace_transitions() {
		let mut c = Contract::<u64, u64, u32> {
			twin_id: 1,
			payer: 1,
			kind: ContractKind::Rent {
				node_id: 1,
				resources: Resources::default(),
				extra_fee: Default::default(),
			},
			state: ContractState::Created,
			solution_provider: None,
			deposit: 0,
			created_at: 0,
		};
		assert!(!c.end_grace());
		assert!(c.start_grace(5));
		assert!(!c.start_grace(6), "grace keeps its start");
		assert_eq!(c.state, ContractState::GracePeriod { since: 5 });
		assert!(c.end_grace());
		assert_eq!(c.state, ContractState::Created);
	}
}
