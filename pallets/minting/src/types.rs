//! Domain types of minting and their rules: periods, farming policies, the per-node uptime
//! record and how a report is credited, and how a closed period becomes a reward.
//!
//! Everything here is pure (no storage): the pallet reads a node's state, lets these types
//! decide, and writes the result back.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::prelude::*;
use grid_primitives::{
	contracts::NodeNetworkTotals,
	money::{Musd, MusdPerTft},
	registry::{FarmCertification, FarmId, NodeCertification, NodeId},
	resources::{CloudUnits, Resources, GIB, UNIT_SCALE},
};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// A reward period: period `k` is `[T0 + k·D, T0 + (k+1)·D)` (see [`MintingParams`]).
pub type PeriodIndex = u32;
/// A farming policy.
pub type PolicyId = u32;
/// Per mille (0..=1000).
pub type Permille = u16;

/// How much a node's and the chain's clocks may disagree (seconds): a report's timestamp hint
/// must be within this of chain time, and a report interval may run this much longer.
pub const CLOCK_TOLERANCE: u64 = 60;
/// Two reports with boot times (hint − uptime) this close (seconds) come from the same boot.
pub const BOOT_SKEW: u64 = 2 * CLOCK_TOLERANCE;
/// A farmer-requested sleep counts as uptime when the node slept at most this long (24 h)...
pub const MAX_SLEEP: u64 = 24 * 3_600;
/// ... and booted within this long (30 min) of the farmer's wake request.
pub const MAX_WAKE_DELAY: u64 = 30 * 60;
/// Failed wake-ups in one period that void its reward (the reference allows one).
pub const FAILED_WAKES_VOID: u8 = 2;
/// Maintenance windows a node may have declared at once (two per period, this period's and
/// the next).
pub const MAX_WINDOWS: u32 = 4;
/// Maintenance windows per period.
pub const WINDOWS_PER_PERIOD: usize = 2;
/// Longest policy name, bytes.
pub const MAX_POLICY_NAME: u32 = 64;

/// Why a parameter set is refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ParamsError {
	/// Periods must last at least ten minutes... of a dev chain: 60 s.
	PeriodTooShort,
	/// The report interval must be shorter than a period and at least the minimal gap, which
	/// is at least one second.
	BadInterval,
	/// The maintenance allowance must be shorter than a period.
	BadMaintenance,
}

/// Timing of periods and reports, set at genesis by the chain's preset.
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
	Serialize,
	Deserialize,
)]
pub struct MintingParams {
	/// `T0`, Unix seconds: when period 0 starts.
	pub first_period_start: u64,
	/// `D`, seconds (production: 2,630,880 = 30.45 days, twelve periods a year).
	pub period_length: u64,
	/// How often a node reports (production: 2,400 s). A report is credited in full when it
	/// arrives within two intervals of the previous one; after a longer silence only the last
	/// interval (plus [`CLOCK_TOLERANCE`]) is credited.
	pub report_interval: u64,
	/// Reports closer together than this are refused before the pool.
	pub min_report_gap: u64,
	/// Anyone may close a node's period this long after it ended, if the node has not.
	pub close_grace: u64,
	/// A maintenance window must be declared at least this long before it starts.
	pub maintenance_notice: u64,
	/// Most maintenance, in seconds, per node and period.
	pub max_maintenance: u64,
}

impl MintingParams {
	/// ThreeFold's timing: T0 = 2018-03-31 12:56:40 UTC, D = 2,630,880 s, reports every 40 min.
	pub const PRODUCTION: MintingParams = MintingParams {
		first_period_start: 1_522_501_000,
		period_length: 2_630_880,
		report_interval: 2_400,
		min_report_gap: 1_200,
		close_grace: 24 * 3_600,
		maintenance_notice: 24 * 3_600,
		max_maintenance: 12 * 3_600,
	};

	pub fn check(&self) -> Result<(), ParamsError> {
		if self.period_length < 60 {
			return Err(ParamsError::PeriodTooShort);
		}
		if self.min_report_gap == 0
			|| self.report_interval < self.min_report_gap
			|| self.report_interval >= self.period_length
		{
			return Err(ParamsError::BadInterval);
		}
		if self.max_maintenance >= self.period_length {
			return Err(ParamsError::BadMaintenance);
		}
		Ok(())
	}

	/// The period `now` falls in (period 0 before `T0`).
	pub fn period_of(&self, now: u64) -> PeriodIndex {
		let k = now.saturating_sub(self.first_period_start) / self.period_length.max(1);
		PeriodIndex::try_from(k).unwrap_or(PeriodIndex::MAX)
	}

	/// Start and end (exclusive) of period `k`, Unix seconds.
	pub fn bounds(&self, k: PeriodIndex) -> (u64, u64) {
		let start = self
			.first_period_start
			.saturating_add(u64::from(k).saturating_mul(self.period_length));
		(start, start.saturating_add(self.period_length))
	}

	/// Most uptime one report may credit for `elapsed` seconds since the previous one: all of
	/// it when the report is at most two intervals late, otherwise the last interval only (a
	/// report was lost: the node loses what it would have covered, nothing more).
	pub fn max_credit(&self, elapsed: u64) -> u64 {
		if elapsed < self.report_interval.saturating_mul(2) {
			elapsed
		} else {
			self.report_interval.saturating_add(CLOCK_TOLERANCE)
		}
	}

	/// A report at `now` is still "recent" for liveness: within two intervals.
	pub fn is_recent(&self, at: u64, now: u64) -> bool {
		now.saturating_sub(at) <= self.report_interval.saturating_mul(2)
	}
}

/// What a farming policy pays and to whom it applies.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct FarmingPolicy {
	/// Printable name, 1..=64 bytes.
	pub name: BoundedVec<u8, ConstU32<MAX_POLICY_NAME>>,
	/// mUSD per compute unit per period.
	pub cu: u64,
	/// mUSD per storage unit per period.
	pub su: u64,
	/// mUSD per GiB of public traffic.
	pub nu: u64,
	/// mUSD per public IPv4 per hour.
	pub ipv4: u64,
	/// Uptime below this (per mille of the time the node was registered in the period, less
	/// maintenance) earns nothing; above it the capacity reward scales with uptime.
	pub minimal_uptime: Permille,
	/// The least node certification it applies to.
	pub node_certification: NodeCertification,
	/// The least farm certification it applies to.
	pub farm_certification: FarmCertification,
	/// Chosen automatically for nodes that match (otherwise only through a farm's limit).
	pub default: bool,
	/// Can never be changed.
	pub immutable: bool,
	/// No longer chosen from this Unix second on; nodes on it move to a default policy at their
	/// next period close.
	pub end: Option<u64>,
}

impl FarmingPolicy {
	/// ThreeFold's default policies: DIY nodes (CU $2.40, SU $1.00 per period, NU $0.03 per
	/// GiB, IPv4 $0.005 per hour, 950 ‰) and certified nodes ($3.00, $1.25, $0.038, $0.006,
	/// 980 ‰); both default and immutable (governance adds policies rather than changing them).
	pub fn reference_defaults() -> [FarmingPolicy; 2] {
		let policy =
			|name: &[u8], cu, su, nu, ipv4, minimal_uptime, node_certification| FarmingPolicy {
				name: BoundedVec::truncate_from(name.to_vec()),
				cu,
				su,
				nu,
				ipv4,
				minimal_uptime,
				node_certification,
				farm_certification: FarmCertification::NotCertified,
				default: true,
				immutable: true,
				end: None,
			};
		[
			policy(b"diy", 2_400, 1_000, 30, 5, 950, NodeCertification::Diy),
			policy(b"certified", 3_000, 1_250, 38, 6, 980, NodeCertification::Certified),
		]
	}
}

/// Why a policy is refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PolicyError {
	InvalidName,
	InvalidMinimalUptime,
}

impl FarmingPolicy {
	/// Reward rates must not overflow the reward maths: at most $1,000,000 per unit.
	pub const MAX_RATE: u64 = 1_000_000_000;

	pub fn check(&self) -> Result<(), PolicyError> {
		let printable = |b: &u8| (0x20..0x7f).contains(b);
		if self.name.is_empty() || !self.name.iter().all(printable) {
			return Err(PolicyError::InvalidName);
		}
		if self.minimal_uptime > 1000 {
			return Err(PolicyError::InvalidMinimalUptime);
		}
		Ok(())
	}

	/// Rates clamped to [`Self::MAX_RATE`] (a check would refuse them; the maths never
	/// overflows even if one slipped through).
	fn rate(value: u64) -> u128 {
		u128::from(value.min(Self::MAX_RATE))
	}

	pub fn is_active(&self, now: u64) -> bool {
		self.end.is_none_or(|end| now < end)
	}

	/// Whether a node of `node` certification on a farm of `farm` certification qualifies.
	pub fn admits(&self, node: NodeCertification, farm: FarmCertification) -> bool {
		node_rank(self.node_certification) <= node_rank(node)
			&& farm_rank(self.farm_certification) <= farm_rank(farm)
	}

	/// How specific the policy is: among default policies that admit a node, the most
	/// specific wins.
	pub fn rank(&self) -> (u8, u8) {
		(node_rank(self.node_certification), farm_rank(self.farm_certification))
	}
}

fn node_rank(c: NodeCertification) -> u8 {
	match c {
		NodeCertification::Diy => 0,
		NodeCertification::Certified => 1,
	}
}

fn farm_rank(c: FarmCertification) -> u8 {
	match c {
		FarmCertification::NotCertified => 0,
		FarmCertification::Gold => 1,
	}
}

/// A farm-specific policy that governance attached, with what it may still cover.
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
pub struct FarmPolicyLimit {
	pub policy: PolicyId,
	/// Compute units (millionths) it may still cover.
	pub cu: u64,
	/// Storage units (millionths) it may still cover.
	pub su: u64,
	/// Nodes it may still take.
	pub nodes: u32,
	/// Not used for nodes that register from this Unix second on.
	pub end: Option<u64>,
}

impl FarmPolicyLimit {
	/// Takes a node of `units` under the limit at `now`: `true` (and the limit shrinks) when
	/// it fits, else `false` and nothing changes.
	pub fn take(&mut self, units: CloudUnits, now: u64) -> bool {
		let open = self.end.is_none_or(|end| now < end);
		if !open || self.nodes == 0 || units.cu > self.cu || units.su > self.su {
			return false;
		}
		self.nodes -= 1;
		self.cu -= units.cu;
		self.su -= units.su;
		true
	}
}

/// Why a period pays nothing whatever its uptime (the first one found is kept).
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
pub enum Violation {
	/// The node claimed to have been running since before the boot it reported earlier.
	UptimeTooHigh,
	/// The node's uptime fell, but not far enough for a reboot after its last report.
	UptimeTooLow,
	/// Reports alternate between two boot times: two machines report as this node (a cloned
	/// boot disk).
	DuplicateIdentity,
	/// The node failed [`FAILED_WAKES_VOID`] wake requests of its farmer within 30 minutes.
	BootRequestExpired,
}

/// A maintenance window, Unix seconds `[start, end)`.
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
pub struct Window {
	pub start: u64,
	pub end: u64,
}

impl Window {
	/// Seconds of `[from, to)` inside the window.
	pub fn overlap(&self, from: u64, to: u64) -> u64 {
		to.min(self.end).saturating_sub(from.max(self.start))
	}

	pub fn duration(&self) -> u64 {
		self.end.saturating_sub(self.start)
	}
}

/// Seconds of `[from, to)` inside any of `windows` (windows never overlap each other).
pub fn maintenance_in(windows: &[Window], from: u64, to: u64) -> u64 {
	windows.iter().map(|w| w.overlap(from, to)).fold(0, u64::saturating_add)
}

/// The node's last accepted report.
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
pub struct LastReport {
	/// Chain time of the report, Unix seconds.
	pub at: u64,
	/// The node's uptime then, seconds.
	pub uptime: u64,
	/// The boot it belongs to: timestamp hint − uptime, recorded when the boot was first seen.
	pub boot: u64,
	/// The boot before that one, to recognise two machines alternating.
	pub previous_boot: Option<u64>,
}

/// A farmer-requested sleep in progress.
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
pub struct Sleep {
	/// When the node reported itself down, Unix seconds.
	pub since: u64,
	/// The farmer's first wake request since, if any.
	pub wake_requested: Option<u64>,
}

/// What a node has accumulated in its current period.
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
pub struct PeriodRecord {
	pub index: PeriodIndex,
	/// When this node's part of the period began: the period's start, or later for the
	/// period it was registered in (its first period is prorated).
	pub start: u64,
	/// Seconds of uptime credited.
	pub uptime: u64,
	/// The least capacity the node declared during the period (what it is rewarded for).
	pub min_resources: Resources,
	/// The node ran virtualized at some point of the period.
	pub virtualized: bool,
	pub violation: Option<Violation>,
	/// Wake requests the node failed to honour within 30 minutes.
	pub failed_wakes: u8,
	/// The node's network totals when the period began (usage = totals at close − these).
	pub network_at_start: NodeNetworkTotals,
}

impl PeriodRecord {
	pub fn new(
		index: PeriodIndex,
		start: u64,
		resources: Resources,
		virtualized: bool,
		network_at_start: NodeNetworkTotals,
	) -> Self {
		PeriodRecord {
			index,
			start,
			uptime: 0,
			min_resources: resources,
			virtualized,
			violation: None,
			failed_wakes: 0,
			network_at_start,
		}
	}

	/// Records `violation` unless one is recorded already; `true` when it is the first.
	pub fn violate(&mut self, violation: Violation) -> bool {
		let first = self.violation.is_none();
		if first {
			self.violation = Some(violation);
		}
		first
	}

	/// Counts a failed wake-up; returns the violation it causes, if it is the one that voids
	/// the period.
	pub fn fail_wake(&mut self) -> Option<Violation> {
		self.failed_wakes = self.failed_wakes.saturating_add(1);
		(self.failed_wakes >= FAILED_WAKES_VOID && self.violate(Violation::BootRequestExpired))
			.then_some(Violation::BootRequestExpired)
	}
}

/// Minting's own record of a node: everything a report and a period close need, so that a
/// report never reads the registry's node record.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct NodeState<AccountId> {
	/// The node's account: signs its uptime reports.
	pub account: AccountId,
	pub farm_id: FarmId,
	/// The policy its next receipt uses (`None`: no policy applies, it earns nothing).
	pub policy: Option<PolicyId>,
	/// `policy` came from the farm's limit (it stays with the node).
	pub farm_policy: bool,
	pub certification: NodeCertification,
	pub connection_price: MusdPerTft,
	/// The capacity it declares now.
	pub resources: Resources,
	/// It declares to run in a virtual machine now.
	pub virtualized: bool,
	pub period: PeriodRecord,
	pub last: Option<LastReport>,
	/// Up continuously since (Unix seconds), as far as its reports show.
	pub up_since: Option<u64>,
	/// The farmer's power target is down (a node that then goes down sleeps on request).
	pub asked_down: bool,
	pub sleep: Option<Sleep>,
	pub maintenance: BoundedVec<Window, ConstU32<MAX_WINDOWS>>,
	/// Receipts issued and not yet claimed.
	pub unclaimed: u32,
}

/// One uptime report, as the node signs it.
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
pub struct UptimeReport {
	pub node_id: NodeId,
	/// Seconds since the machine booted.
	pub uptime: u64,
	/// The machine's Unix time when it sent the report.
	pub timestamp_hint: u64,
}

impl UptimeReport {
	/// Domain of the signature: a report signature is useless for anything else.
	pub const CONTEXT: &'static [u8] = b"gridchain/uptime-report/v1";

	/// The bytes the node signs.
	pub fn signing_payload(&self) -> Vec<u8> {
		(Self::CONTEXT, self).encode()
	}

	/// The boot this report belongs to, on the node's clock; `None` when the uptime is longer
	/// than Unix time (impossible).
	pub fn boot(&self) -> Option<u64> {
		self.timestamp_hint.checked_sub(self.uptime)
	}
}

/// How a report relates to the node's previous one.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReportKind {
	/// The first report since the node was tracked (or slept).
	First,
	/// Same boot as the last report.
	Continuous,
	/// Booted after the last report.
	Rebooted,
	/// Inconsistent with the last report: nothing is credited.
	Violation(Violation),
}

/// Classifies a report with boot time `boot` and uptime `uptime`, made at chain time `now`,
/// against the last one.
pub fn classify(last: Option<&LastReport>, boot: u64, uptime: u64, now: u64) -> ReportKind {
	let Some(last) = last else { return ReportKind::First };
	if boot.abs_diff(last.boot) <= BOOT_SKEW {
		return ReportKind::Continuous;
	}
	// Booted after the last report (the machine's clock may be off by the tolerance).
	if uptime <= now.saturating_sub(last.at).saturating_add(CLOCK_TOLERANCE) {
		return ReportKind::Rebooted;
	}
	if last.previous_boot.is_some_and(|prev| boot.abs_diff(prev) <= BOOT_SKEW) {
		return ReportKind::Violation(Violation::DuplicateIdentity);
	}
	if boot < last.boot {
		ReportKind::Violation(Violation::UptimeTooHigh)
	} else {
		ReportKind::Violation(Violation::UptimeTooLow)
	}
}

/// Seconds of uptime a report proves for the `elapsed` seconds since the previous one (or
/// since tracking began, for the first), before maintenance and period splits: all of them
/// when the machine kept its boot (comparing uptimes instead would lose the jitter of
/// inclusion times and clocks on every report), the uptime since boot otherwise.
pub fn proven_uptime(kind: ReportKind, uptime: u64, elapsed: u64, params: &MintingParams) -> u64 {
	let proven = match kind {
		ReportKind::Continuous => elapsed,
		ReportKind::First | ReportKind::Rebooted => uptime,
		ReportKind::Violation(_) => 0,
	};
	proven.min(elapsed).min(params.max_credit(elapsed))
}

/// What a node earned in a closed period.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Receipt<AccountId, Balance> {
	pub node_id: NodeId,
	pub farm_id: FarmId,
	pub period: PeriodIndex,
	/// Uptime, per mille of the node's eligible time (its registered part of the period less
	/// maintenance).
	pub uptime: Permille,
	/// Seconds the node was registered in the period (the full period but for its first).
	pub registered: u64,
	/// Cloud units of the period's minimum capacity, millionths.
	pub cu: u64,
	pub su: u64,
	/// Public traffic of its contracts, bytes.
	pub nu_bytes: u128,
	/// IPv4-seconds its contracts held.
	pub ipv4_seconds: u128,
	pub policy: Option<PolicyId>,
	/// The node ran virtualized (it earns nothing).
	pub virtualized: bool,
	pub violation: Option<Violation>,
	pub reward: Musd,
	/// `reward` at the node's connection price, rounded down.
	pub tft: Balance,
	/// The farm's payout account when the period closed (paid if the farm no longer exists at
	/// claim time).
	pub payout: AccountId,
}

/// Inputs of a reward besides the policy.
pub struct RewardInput<'a> {
	pub record: &'a PeriodRecord,
	pub period_end: u64,
	pub params: &'a MintingParams,
	pub maintenance: &'a [Window],
	pub network_now: NodeNetworkTotals,
	pub price: MusdPerTft,
}

/// What a closed period pays (before it becomes a receipt).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Reward {
	pub uptime: Permille,
	pub registered: u64,
	pub units: CloudUnits,
	pub nu_bytes: u128,
	pub ipv4_seconds: u128,
	pub musd: Musd,
	pub planck: u128,
}

/// `uptime` seconds of `eligible` in per mille, rounded down, at most 1000 (0 when nothing was
/// eligible).
pub fn uptime_permille(uptime: u64, eligible: u64) -> Permille {
	match u128::from(uptime).saturating_mul(1000).checked_div(u128::from(eligible)) {
		Some(permille) => permille.min(1000) as Permille,
		None => 0,
	}
}

/// Millionths of a mUSD in one mUSD.
const MICRO: u128 = UNIT_SCALE as u128;

/// The reward of a closed period:
/// - uptime ‰ = credited / (registered − maintenance), at most 1000, rounded down;
/// - nothing below the policy's minimal uptime, with a violation, or for a virtualized node;
/// - otherwise `(CU·cu + SU·su) · uptime‰/1000 · registered/D + NU·nu + IPv4-hours·ipv4` mUSD,
///   computed in millionths of a mUSD and rounded down once to whole mUSD, then converted to
///   TFT at the connection price, rounded down to the planck.
pub fn reward(input: &RewardInput, policy: Option<&FarmingPolicy>) -> Reward {
	let record = input.record;
	let registered = input.period_end.saturating_sub(record.start);
	let excluded = maintenance_in(input.maintenance, record.start, input.period_end);
	let eligible = registered.saturating_sub(excluded);
	let uptime = uptime_permille(record.uptime, eligible);
	let units = record.min_resources.cloud_units();
	let nu_bytes = input
		.network_now
		.traffic_bytes
		.saturating_sub(record.network_at_start.traffic_bytes);
	let ipv4_seconds = input
		.network_now
		.ipv4_seconds
		.saturating_sub(record.network_at_start.ipv4_seconds);
	let mut out = Reward { uptime, registered, units, nu_bytes, ipv4_seconds, ..Reward::default() };
	let Some(policy) = policy else { return out };
	if record.violation.is_some() || record.virtualized || uptime < policy.minimal_uptime {
		return out;
	}
	let rate = FarmingPolicy::rate;
	// Millionths of a unit × mUSD per unit = millionths of a mUSD, per full period.
	let capacity = u128::from(units.cu) * rate(policy.cu) + u128::from(units.su) * rate(policy.su);
	// Scaled by uptime and by the registered share of the period (its first is prorated).
	let registered_share = u128::from(registered.min(input.params.period_length));
	let period = u128::from(input.params.period_length.max(1));
	let capacity = capacity.saturating_mul(u128::from(uptime)).saturating_mul(registered_share)
		/ (1000 * period);
	let traffic = nu_bytes.saturating_mul(rate(policy.nu)).saturating_mul(MICRO) / u128::from(GIB);
	let ips = ipv4_seconds.saturating_mul(rate(policy.ipv4)).saturating_mul(MICRO) / 3_600;
	let micro = capacity.saturating_add(traffic).saturating_add(ips);
	out.musd = Musd(u64::try_from(micro / MICRO).unwrap_or(u64::MAX));
	out.planck = input.price.planck_for_floor(out.musd).unwrap_or(0);
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	const P: MintingParams = MintingParams {
		first_period_start: 1_000,
		period_length: 10_000,
		report_interval: 100,
		min_report_gap: 50,
		close_grace: 500,
		maintenance_notice: 100,
		max_maintenance: 1_000,
	};

	#[test]
	fn periods_are_aligned_to_t0() {
		assert_eq!(P.check(), Ok(()));
		assert_eq!(MintingParams::PRODUCTION.check(), Ok(()));
		assert_eq!(P.period_of(0), 0, "before T0 counts as period 0");
		assert_eq!(P.period_of(10_999), 0);
		assert_eq!(P.period_of(11_000), 1);
		assert_eq!(P.bounds(1), (11_000, 21_000));
		// The reference's dates: period 81 starts 2024-12-30 23:44:40 UTC.
		assert_eq!(MintingParams::PRODUCTION.bounds(81).0, 1_735_602_280);
		assert_eq!(
			MintingParams { period_length: 59, ..P }.check(),
			Err(ParamsError::PeriodTooShort)
		);
		assert_eq!(MintingParams { min_report_gap: 0, ..P }.check(), Err(ParamsError::BadInterval));
		assert_eq!(
			MintingParams { report_interval: 10_000, ..P }.check(),
			Err(ParamsError::BadInterval)
		);
	}

	#[test]
	fn late_reports_are_credited_lost_ones_cost_one_interval() {
		assert_eq!(P.max_credit(100), 100);
		assert_eq!(P.max_credit(199), 199, "late but within two intervals: all of it");
		assert_eq!(P.max_credit(200), 160, "a report was lost: the last interval + tolerance");
		assert_eq!(P.max_credit(5_000), 160);
	}

	fn last(at: u64, uptime: u64, boot: u64) -> LastReport {
		LastReport { at, uptime, boot, previous_boot: None }
	}

	#[test]
	fn reports_are_classified_by_boot_time() {
		let l = last(5_000, 4_000, 1_000);
		assert_eq!(classify(None, 1_000, 4_000, 5_000), ReportKind::First);
		assert_eq!(classify(Some(&l), 1_000, 4_100, 5_100), ReportKind::Continuous);
		assert_eq!(classify(Some(&l), 1_120, 3_980, 5_100), ReportKind::Continuous, "skew ok");
		assert_eq!(classify(Some(&l), 5_050, 50, 5_100), ReportKind::Rebooted);
		assert_eq!(
			classify(Some(&l), 800, 4_300, 5_100),
			ReportKind::Violation(Violation::UptimeTooHigh)
		);
		assert_eq!(
			classify(Some(&l), 3_000, 2_100, 5_100),
			ReportKind::Violation(Violation::UptimeTooLow),
			"rebooted before its last report, which did not show it"
		);
		let alternating = LastReport { previous_boot: Some(3_000), ..l };
		assert_eq!(
			classify(Some(&alternating), 3_000, 2_100, 5_100),
			ReportKind::Violation(Violation::DuplicateIdentity)
		);
	}

	#[test]
	fn credit_never_exceeds_elapsed_time() {
		let c = |kind, uptime, elapsed| proven_uptime(kind, uptime, elapsed, &P);
		assert_eq!(c(ReportKind::Continuous, 4_100, 100), 100);
		assert_eq!(c(ReportKind::Continuous, 4_190, 100), 100, "claims more than elapsed");
		assert_eq!(c(ReportKind::Continuous, 4_010, 100), 100, "10 s of jitter are not lost");
		assert_eq!(c(ReportKind::Continuous, 4_150, 150), 150, "late");
		assert_eq!(c(ReportKind::Continuous, 4_900, 900), 160, "reports lost");
		assert_eq!(c(ReportKind::Rebooted, 30, 100), 30, "downtime before the reboot is lost");
		assert_eq!(c(ReportKind::Violation(Violation::UptimeTooHigh), 9_000, 100), 0);
		assert_eq!(proven_uptime(ReportKind::First, 9_000, 40, &P), 40);
	}

	#[test]
	fn maintenance_overlap() {
		let w = [Window { start: 100, end: 200 }, Window { start: 300, end: 350 }];
		assert_eq!(maintenance_in(&w, 0, 1_000), 150);
		assert_eq!(maintenance_in(&w, 150, 320), 70);
		assert_eq!(maintenance_in(&w, 200, 300), 0);
	}

	#[test]
	fn farm_limits_shrink_and_refuse_what_does_not_fit() {
		let mut limit =
			FarmPolicyLimit { policy: 3, cu: 10_000_000, su: 5_000_000, nodes: 2, end: Some(100) };
		let node = CloudUnits { cu: 6_000_000, su: 1_000_000 };
		assert!(limit.take(node, 10));
		assert_eq!((limit.cu, limit.su, limit.nodes), (4_000_000, 4_000_000, 1));
		let before = limit;
		assert!(!limit.take(node, 10), "CU left is too small");
		assert!(!limit.take(CloudUnits { cu: 1, su: 1 }, 100), "ended");
		assert_eq!(limit, before);
	}

	fn policy(minimal_uptime: Permille) -> FarmingPolicy {
		FarmingPolicy {
			name: BoundedVec::truncate_from(b"diy".to_vec()),
			cu: 2_400,
			su: 1_000,
			nu: 30,
			ipv4: 5,
			minimal_uptime,
			node_certification: NodeCertification::Diy,
			farm_certification: FarmCertification::NotCertified,
			default: true,
			immutable: false,
			end: None,
		}
	}

	#[test]
	fn reward_scales_prorates_and_pays_usage() {
		// 1 CU and 1 SU exactly: 4 cores, 5 GiB, 250 GiB SSD gives CU = min(8, 1, 5) = 1 and
		// SU = 250/250 = 1.
		let resources = Resources { cru: 4, mru: 5 * GIB, sru: 250 * GIB, hru: 0 };
		assert_eq!(resources.cloud_units(), CloudUnits { cu: 1_000_000, su: 1_000_000 });
		let net = NodeNetworkTotals { traffic_bytes: 2 * u128::from(GIB), ipv4_seconds: 7_200 };
		let pay =
			|record: &PeriodRecord, windows: &[Window], net, policy: Option<&FarmingPolicy>| {
				let input = RewardInput {
					record,
					period_end: 11_000,
					params: &P,
					maintenance: windows,
					network_now: net,
					price: MusdPerTft(80),
				};
				reward(&input, policy)
			};
		let diy = policy(950);
		let mut record =
			PeriodRecord::new(0, 1_000, resources, false, NodeNetworkTotals::default());
		record.uptime = 10_000;
		let r = pay(&record, &[], net, Some(&diy));
		// 2,400 + 1,000 for capacity, 2 GiB × 30 and 2 IPv4-hours × 5.
		assert_eq!(r.uptime, 1000);
		assert_eq!(r.musd, Musd(3_400 + 60 + 10));
		assert_eq!(r.planck, 3_470 * 10_000_000 / 80);
		// 97 %: the capacity part scales, usage does not.
		record.uptime = 9_700;
		assert_eq!(pay(&record, &[], net, Some(&diy)).musd, Musd(3_298 + 70));
		// 94 % is below the SLA: nothing at all.
		record.uptime = 9_400;
		let r = pay(&record, &[], net, Some(&diy));
		assert_eq!((r.uptime, r.musd, r.planck), (940, Musd(0), 0));
		// Registered for the last quarter of the period, up all of it: 1000 ‰, a quarter of
		// the capacity reward.
		let mut late = PeriodRecord::new(0, 8_500, resources, false, NodeNetworkTotals::default());
		late.uptime = 2_500;
		let r = pay(&late, &[], NodeNetworkTotals::default(), Some(&diy));
		assert_eq!((r.uptime, r.registered, r.musd), (1000, 2_500, Musd(850)));
		// Maintenance counts neither way: 1,000 s of it, up all the rest.
		record.uptime = 9_000;
		let windows = [Window { start: 2_000, end: 3_000 }];
		assert_eq!(pay(&record, &windows, net, Some(&diy)).uptime, 1000);
		assert_eq!(pay(&record, &[], net, Some(&diy)).uptime, 900);
		// A violation, a virtualized node or no policy pay nothing.
		record.uptime = 10_000;
		record.violation = Some(Violation::DuplicateIdentity);
		assert_eq!(pay(&record, &[], net, Some(&policy(0))).planck, 0);
		record.violation = None;
		record.virtualized = true;
		assert_eq!(pay(&record, &[], net, Some(&policy(0))).planck, 0);
		record.virtualized = false;
		assert_eq!(pay(&record, &[], net, None).planck, 0);
		assert_eq!(pay(&record, &[], net, Some(&policy(0))).musd, Musd(3_470));
	}

	#[test]
	fn policies_check_their_inputs_and_rank_by_certification() {
		assert_eq!(policy(950).check(), Ok(()));
		assert_eq!(policy(1001).check(), Err(PolicyError::InvalidMinimalUptime));
		let unnamed = FarmingPolicy { name: Default::default(), ..policy(950) };
		assert_eq!(unnamed.check(), Err(PolicyError::InvalidName));
		let certified =
			FarmingPolicy { node_certification: NodeCertification::Certified, ..policy(980) };
		assert!(!certified.admits(NodeCertification::Diy, FarmCertification::Gold));
		assert!(certified.admits(NodeCertification::Certified, FarmCertification::NotCertified));
		assert!(certified.rank() > policy(950).rank());
		assert!(FarmingPolicy { end: Some(5), ..policy(950) }.is_active(4));
		assert!(!FarmingPolicy { end: Some(5), ..policy(950) }.is_active(5));
	}
}
