//! Domain types of minting and their rules: periods, farming policies, the per-node uptime
//! record and how a report changes it, and how a closed period becomes a reward.
//!
//! Everything here is pure (no storage): the pallet reads a node's state, lets these types
//! decide, and writes the result back.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::{
	deps::sp_runtime::{Percent, Permill},
	prelude::*,
};
use grid_primitives::{
	contracts::PaidNetwork,
	governance::VoteWeight,
	liveness::{seconds_in, subtract, Timeline},
	money::{Musd, MusdPerTft, Rounding, Usd, GB, HOUR},
	registry::{FarmCertification, FarmId, NodeCertification, NodeId},
	resources::{CloudUnits, Resources, UNIT_SCALE},
};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

pub use grid_primitives::liveness::Window;

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
/// A farmer-requested sleep counts as uptime when, by chain time, it lasted at most this long
/// (24 h)...
pub const MAX_SLEEP: u64 = 24 * 3_600;
/// ... and the node booted within this long (30 min) of the farmer's wake request.
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

	/// `Ok` when the timing is usable; else which rule it breaks ([`ParamsError`]).
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
		let k = now
			.saturating_sub(self.first_period_start)
			.checked_div(self.period_length)
			.unwrap_or_default();
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

	/// How long after a second the report that settles it may come: a report within two
	/// intervals settles all the time since the last, a later one only its last interval and
	/// the tolerance. A second no report settled by then is down.
	pub fn settle_delay(&self) -> u64 {
		self.report_interval.saturating_mul(2).saturating_add(CLOCK_TOLERANCE)
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
	/// Per compute unit per period.
	pub cu: Musd,
	/// Per storage unit per period.
	pub su: Musd,
	/// Per [`GB`] of public traffic users paid for.
	pub nu: Musd,
	/// Per public IPv4 per hour users paid for.
	pub ipv4: Musd,
	/// The most the traffic and IPv4 rewards of a node's period may reach: this share of what
	/// its users' payments for them burned. The farmer's, the treasury's and solution
	/// providers' shares of those payments are never minted back, so paying for one's own
	/// traffic always costs more than it returns.
	pub network_share: Percent,
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
	/// The default policies: ThreeFold's capacity rates — DIY nodes CU $2.40 and SU $1.00 per
	/// period at 950 ‰, certified nodes $3.00 and $1.25 at 980 ‰ — with network rates below
	/// what billing's reference prices charge (traffic $0.001 per GB against $0.0015, IPv4
	/// $0.002 / $0.003 per hour against $0.004) and at most half of what was paid. Both default
	/// and immutable (governance adds policies rather than changing them).
	pub fn reference_defaults() -> [FarmingPolicy; 2] {
		let policy =
			|name: &[u8], cu, su, ipv4, minimal_uptime, node_certification| FarmingPolicy {
				name: BoundedVec::truncate_from(name.to_vec()),
				cu: Musd(cu),
				su: Musd(su),
				nu: Musd(1),
				ipv4: Musd(ipv4),
				network_share: Percent::from_percent(100),
				minimal_uptime,
				node_certification,
				farm_certification: FarmCertification::NotCertified,
				default: true,
				immutable: true,
				end: None,
			};
		[
			policy(b"diy", 2_400, 1_000, 2, 950, NodeCertification::Diy),
			policy(b"certified", 3_000, 1_250, 3, 980, NodeCertification::Certified),
		]
	}
}

/// Why a policy is refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PolicyError {
	/// The name is empty or not printable ASCII.
	InvalidName,
	/// The minimal uptime is above 1000 ‰.
	InvalidMinimalUptime,
	/// A rate is above [`FarmingPolicy::MAX_RATE`].
	RateTooHigh,
}

impl FarmingPolicy {
	/// Reward rates must not overflow the reward maths: at most $1,000,000 per unit.
	pub const MAX_RATE: Musd = Musd(1_000_000_000);

	/// `Ok` for a printable name of 1..=64 bytes, a minimal uptime of at most 1000 ‰ and rates
	/// at most [`Self::MAX_RATE`].
	pub fn check(&self) -> Result<(), PolicyError> {
		let printable = |b: &u8| (0x20..0x7f).contains(b);
		if self.name.is_empty() || !self.name.iter().all(printable) {
			return Err(PolicyError::InvalidName);
		}
		if self.minimal_uptime > 1000 {
			return Err(PolicyError::InvalidMinimalUptime);
		}
		if [self.cu, self.su, self.nu, self.ipv4].iter().any(|r| *r > Self::MAX_RATE) {
			return Err(PolicyError::RateTooHigh);
		}
		Ok(())
	}

	/// Whether the policy may still be chosen at Unix second `now` (it has not reached its `end`).
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
	/// The policy the farm's nodes get while the limit covers them.
	pub policy: PolicyId,
	/// Compute units (millionths) it may still cover.
	pub cu: u64,
	/// Storage units (millionths) it may still cover.
	pub su: u64,
	/// Nodes it may still take.
	pub nodes: u32,
	/// Not used for nodes that register (or grow) from this Unix second on.
	pub end: Option<u64>,
}

impl FarmPolicyLimit {
	fn open(&self, now: u64) -> bool {
		self.end.is_none_or(|end| now < end)
	}

	/// Takes a node of `units` under the limit at `now`: `true` (and the limit shrinks) when
	/// it fits, else `false` and nothing changes.
	pub fn take(&mut self, units: CloudUnits, now: u64) -> bool {
		if self.nodes == 0 || !self.take_units(units, now) {
			return false;
		}
		self.nodes = self.nodes.saturating_sub(1);
		true
	}

	/// Covers a node on the limit that grew by `more` units at `now`: `true` (and the limit
	/// shrinks) when it fits, else `false` and nothing changes.
	pub fn take_units(&mut self, more: CloudUnits, now: u64) -> bool {
		match (self.cu.checked_sub(more.cu), self.su.checked_sub(more.su)) {
			(Some(cu), Some(su)) if self.open(now) => {
				(self.cu, self.su) = (cu, su);
				true
			},
			_ => false,
		}
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

/// Seconds of `[from, to)` inside any of `windows` (windows never overlap each other).
pub fn maintenance_in(windows: &[Window], from: u64, to: u64) -> u64 {
	seconds_in(windows, from, to)
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
	/// The period this record is for.
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
	/// The first violation found in the period (`Some`: the period pays nothing).
	pub violation: Option<Violation>,
	/// Wake requests the node failed to honour within 30 minutes.
	pub failed_wakes: u8,
}

impl PeriodRecord {
	/// An empty record of period `index` from Unix second `start`, for a node declaring
	/// `resources` and `virtualized` now.
	pub fn new(index: PeriodIndex, start: u64, resources: Resources, virtualized: bool) -> Self {
		PeriodRecord {
			index,
			start,
			uptime: 0,
			min_resources: resources,
			virtualized,
			violation: None,
			failed_wakes: 0,
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
	/// The node's farm, whose payout account its receipts pay.
	pub farm_id: FarmId,
	/// The policy its next receipt uses (`None`: no policy applies, it earns nothing).
	pub policy: Option<PolicyId>,
	/// `policy` came from the farm's limit (it stays with the node while the limit covers it).
	pub farm_policy: bool,
	/// The units the farm's limit covers for this node (growth beyond must fit in the limit).
	pub policy_units: CloudUnits,
	/// The node's certification now (a change picks a new default policy, unless on its farm's).
	pub certification: NodeCertification,
	/// The TFT price fixed when the node registered: converts its USD rewards to TFT.
	pub connection_price: MusdPerTft,
	/// The capacity it declares now.
	pub resources: Resources,
	/// It declares to run in a virtual machine now.
	pub virtualized: bool,
	/// What it has accumulated in its current period.
	pub period: PeriodRecord,
	/// Its last accepted report (`None` until its first).
	pub last: Option<LastReport>,
	/// Its settled up and down time: what its reports proved, which minting credits and
	/// billing charges capacity for.
	pub timeline: Timeline,
	/// The farmer's power target is down (a node that then goes down sleeps on request).
	pub asked_down: bool,
	/// The node is (or was, since the last report) on standby — asked down or reported down —
	/// from `start` to `end` (`u64::MAX` while it lasts): that time is neither up nor billable.
	pub standby: Option<Window>,
	/// A sleep at its farmer's request in progress (`None`: not asleep).
	pub sleep: Option<Sleep>,
	/// Declared maintenance windows, sorted and disjoint: this period's and the next's, at most
	/// two each.
	pub maintenance: BoundedVec<Window, ConstU32<MAX_WINDOWS>>,
	/// Receipts issued and not yet claimed.
	pub unclaimed: u32,
	/// Planck of rewards its payout account could not receive at the unclaimed bound (dust
	/// below the existential deposit), carried into its next receipt.
	pub carried: u128,
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
	/// The reporting node.
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
	/// The first report since the node was tracked.
	First,
	/// Same boot as the last report.
	Continuous,
	/// Booted after the last report (or woke from a sleep).
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
/// since tracking began, for the first): all of them when the machine kept its boot
/// (comparing uptimes instead would lose the jitter of inclusion times and clocks on every
/// report), the uptime since boot otherwise; never more than [`MintingParams::max_credit`].
/// They are the last seconds before the report: the downtime comes first.
pub fn proven_uptime(kind: ReportKind, uptime: u64, elapsed: u64, params: &MintingParams) -> u64 {
	let proven = match kind {
		ReportKind::Continuous => elapsed,
		ReportKind::First | ReportKind::Rebooted => uptime,
		ReportKind::Violation(_) => 0,
	};
	proven.min(elapsed).min(params.max_credit(elapsed))
}

/// What a report did to a node's state, for the pallet to store, pay and announce.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ReportOutcome {
	/// How the report relates to the node's previous one.
	pub kind: ReportKind,
	/// Seconds credited to the node's periods (the closed one and the current one).
	pub credited: u64,
	/// `Some(sleep_credited)` when the report ended a sleep.
	pub woke: Option<bool>,
	/// Violations recorded, with the period they void, in order.
	pub violations: Vec<(PeriodIndex, Violation)>,
	/// The period that ended with this report, with all its credit: it becomes a receipt.
	pub closed: Option<PeriodRecord>,
}

/// What a node is doing now, as its reports prove it (minting's and billing's liveness).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, Serialize, Deserialize)]
pub enum NodeStatus {
	/// Its last report is recent enough to settle the time since as up.
	Up,
	/// Asked down by its farmer, reported down, or asleep: it earns no uptime and is not
	/// billed, but it is not at fault.
	Standby,
	/// No report since [`MintingParams::settle_delay`]: the time since counts as down. A node
	/// that never reported is down too.
	Down,
}

impl<AccountId> NodeState<AccountId> {
	/// The node's status at chain time `now`.
	pub fn status(&self, now: u64, params: &MintingParams) -> NodeStatus {
		let standby = self.sleep.is_some() || self.standby.is_some_and(|s| s.end == u64::MAX);
		match self.last {
			_ if standby => NodeStatus::Standby,
			Some(last) if now.saturating_sub(last.at) <= params.settle_delay() => NodeStatus::Up,
			_ => NodeStatus::Down,
		}
	}

	/// Whether the farmer's target or the node's own report keeps it on standby now (it then
	/// earns no uptime, and billing charges no capacity).
	pub fn set_standby(&mut self, standby: bool, now: u64) {
		match (standby, self.standby) {
			(true, Some(span)) if span.end == u64::MAX => {},
			// A span the reports have not settled yet grows back open: the time between
			// counts as standby too (only a second change within one report interval).
			(true, Some(span)) => self.standby = Some(Window::new(span.start, u64::MAX)),
			(true, None) => self.standby = Some(Window::new(now, u64::MAX)),
			(false, Some(span)) if span.end == u64::MAX => {
				self.standby = Some(Window::new(span.start, now))
			},
			(false, _) => {},
		}
	}

	/// The node reported itself down at `now` while its farmer asked it down: it sleeps, since
	/// the farmer's request. The time since its last report is settled as if it had reported
	/// as it went down — up to the end of its period: a sleep closes no period, so time after
	/// it is down for both pallets (no receipt could credit it).
	pub fn go_to_sleep(&mut self, now: u64, params: &MintingParams) {
		let from = self.timeline.settled_until;
		let before = now.saturating_sub(from);
		let up = Window::new(now.saturating_sub(params.max_credit(before).min(before)), now);
		let (_, end) = params.bounds(self.period.index);
		let ups = self.without_downtime(alloc::vec![up], now, params);
		let ups = subtract(&ups, &Window::new(end, now.max(end)));
		self.timeline.settle(now, &ups);
		let credit = seconds_in(&ups, from.max(self.period.start), now.min(end));
		self.period.uptime = self.period.uptime.saturating_add(credit);
		// The sleep the farmer asked for began with the request (the node shutting down meanwhile).
		let since = self.standby.map_or(now, |s| s.start.min(now));
		self.sleep = Some(Sleep { since, wake_requested: None });
	}

	/// The farmer asked the node up again: a sleeping node's first wake request is timed.
	pub fn wake_requested(&mut self, now: u64) {
		if let Some(sleep) = self.sleep.as_mut() {
			sleep.wake_requested.get_or_insert(now);
		}
	}

	/// `ups` (up to `now`) less maintenance, standby, and whole periods skipped since the
	/// current one (no receipt ever credits them): the seconds that count as up.
	fn without_downtime(&self, ups: Vec<Window>, now: u64, params: &MintingParams) -> Vec<Window> {
		let (_, end) = params.bounds(self.period.index);
		let (next, _) = params.bounds(params.period_of(now));
		let skipped = Window::new(end, next);
		let mut ups = ups;
		for cut in self.maintenance.iter().chain(self.standby.iter()).chain([&skipped]) {
			ups = subtract(&ups, cut);
		}
		ups
	}

	/// Applies a report of `uptime` seconds since `boot` (on the node's clock), received at
	/// chain time `now`: settles the time since the last report into up and down, credits the
	/// up time (and a credited sleep) to the node's periods, closing the current one when
	/// `now` is past its end, and records violations. The caller turns `closed` into a
	/// receipt.
	pub fn report(
		&mut self,
		uptime: u64,
		boot: u64,
		now: u64,
		params: &MintingParams,
	) -> ReportOutcome {
		let from = self.timeline.settled_until.min(now);
		let elapsed = now.saturating_sub(from);
		let mut violations = Vec::new();
		let mut woke = None;
		// What the report proves up (billable), and a sleep that counts as uptime (reward only).
		let mut ups = Vec::new();
		let mut slept = None;
		let woke_from = self.sleep.take().filter(|s| boot.saturating_add(BOOT_SKEW) >= s.since);
		let kind = match woke_from {
			Some(sleep) => {
				let booted = boot.clamp(sleep.since, now);
				let on_time = match sleep.wake_requested {
					Some(requested) => booted <= requested.saturating_add(MAX_WAKE_DELAY),
					None => false,
				};
				if sleep.wake_requested.is_some() && !on_time {
					if let Some(v) = self.period.fail_wake() {
						violations.push((self.period.index, v));
					}
				}
				// By chain time: a node that claims an early boot after a long silence is not
				// credited the silence.
				let credited = on_time && now.saturating_sub(sleep.since) <= MAX_SLEEP;
				woke = Some(credited);
				if credited {
					slept = Some(Window::new(sleep.since, booted));
				}
				// The time since the boot, like any other gap.
				let since_boot = now.saturating_sub(booted);
				let up = since_boot.min(uptime).min(params.max_credit(since_boot));
				ups.push(Window::new(now.saturating_sub(up), now));
				ReportKind::Rebooted
			},
			None => {
				let kind = classify(self.last.as_ref(), boot, uptime, now);
				let up = proven_uptime(kind, uptime, elapsed, params);
				ups.push(Window::new(now.saturating_sub(up), now));
				kind
			},
		};
		if let ReportKind::Violation(violation) = kind {
			if self.period.violate(violation) {
				violations.push((self.period.index, violation));
			}
		}
		self.last = Some(match (kind, self.last) {
			(ReportKind::Continuous, Some(last)) => LastReport { at: now, uptime, ..last },
			(ReportKind::Violation(_), Some(last)) => LastReport { at: now, ..last },
			(_, last) => LastReport { at: now, uptime, boot, previous_boot: last.map(|l| l.boot) },
		});
		let ups = self.without_downtime(ups, now, params);
		let slept: Vec<_> = slept
			.map(|w| {
				let mut w = alloc::vec![w];
				for cut in self.maintenance.iter() {
					w = subtract(&w, cut);
				}
				w
			})
			.unwrap_or_default();
		self.timeline.settle(now, &ups);
		if self.standby.is_some_and(|s| s.end <= now) {
			self.standby = None;
		}
		// Credit, split at the period's end (downtime first, as the windows lie).
		let credit = |from: u64, to: u64| {
			seconds_in(&ups, from, to).saturating_add(seconds_in(&slept, from, to))
		};
		let (_, end) = params.bounds(self.period.index);
		let mut credited = 0;
		let mut closed = None;
		if now >= end {
			let before_end = credit(self.period.start, end);
			self.period.uptime = self.period.uptime.saturating_add(before_end);
			credited = before_end;
			closed = Some(self.close(end, now, params, &mut violations));
		}
		// A credited sleep began before the time this report settles.
		let credit_from = slept.first().map_or(from, |w| w.start.min(from));
		let after = credit(self.period.start.max(credit_from), now);
		self.period.uptime = self.period.uptime.saturating_add(after);
		ReportOutcome { kind, credited: credited.saturating_add(after), woke, violations, closed }
	}

	/// Ends the current period at `end` (its end, or earlier when the node leaves) and starts
	/// the one `now` is in; returns the ended record (its maintenance windows stay until
	/// [`Self::drop_past_windows`]). A wake request pending for more than 30 minutes by then is
	/// a failed wake-up.
	pub fn close(
		&mut self,
		end: u64,
		now: u64,
		params: &MintingParams,
		violations: &mut Vec<(PeriodIndex, Violation)>,
	) -> PeriodRecord {
		if let Some(sleep) = self.sleep.as_mut() {
			if sleep.wake_requested.is_some_and(|r| now > r.saturating_add(MAX_WAKE_DELAY)) {
				sleep.wake_requested = None;
				if let Some(v) = self.period.fail_wake() {
					violations.push((self.period.index, v));
				}
			}
		}
		let mut closed = self.period;
		// Credit never exceeds the time the node was registered in the period.
		closed.uptime = closed.uptime.min(end.saturating_sub(closed.start));
		let next = params.period_of(now).max(self.period.index.saturating_add(1));
		let (start, _) = params.bounds(next);
		self.period = PeriodRecord::new(next, start, self.resources, self.virtualized);
		closed
	}

	/// Forgets maintenance windows that ended before the current period (once the closed
	/// period's reward has counted them).
	pub fn drop_past_windows(&mut self) {
		let start = self.period.start;
		self.maintenance.retain(|w| w.end > start);
	}
}

/// What a node earned in a closed period.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Receipt<AccountId, Balance> {
	/// The node that earned it.
	pub node_id: NodeId,
	/// The node's farm when the period closed.
	pub farm_id: FarmId,
	/// The period it pays for.
	pub period: PeriodIndex,
	/// Uptime, per mille of the node's eligible time (its registered part of the period less
	/// maintenance).
	pub uptime: Permille,
	/// Seconds the node was registered in the period (the full period but for its first and
	/// its last).
	pub registered: u64,
	/// Cloud units of the period's minimum capacity, millionths.
	pub cu: u64,
	/// Storage units of the period's minimum capacity, millionths.
	pub su: u64,
	/// Public traffic and IPv4-seconds of its contracts that users paid for, and what they
	/// paid.
	pub network: PaidNetwork,
	/// The farming policy it was computed with (`None`: no policy applied, it pays nothing).
	pub policy: Option<PolicyId>,
	/// The node ran virtualized (it earns nothing).
	pub virtualized: bool,
	/// Why the period pays nothing whatever its uptime (`None`: no violation).
	pub violation: Option<Violation>,
	/// The capacity reward, exact.
	pub capacity_usd: Usd,
	/// The traffic and IPv4 reward at the policy's rates, exact (paid up to the policy's share
	/// of what users paid).
	pub network_usd: Usd,
	/// The reward in TFT at the node's connection price, rounded down once, to the planck,
	/// plus any carried from earlier periods its payout account could not receive then.
	pub tft: Balance,
	/// The farm's payout account when the period closed (paid if the farm no longer exists at
	/// claim time).
	pub payout: AccountId,
}

/// Inputs of a reward besides the policy.
pub struct RewardInput<'a> {
	/// The node's record of the period.
	pub record: &'a PeriodRecord,
	/// When the period ended for the node, Unix seconds (earlier than its end if it left).
	pub period_end: u64,
	/// The period timing (its length prorates the capacity reward).
	pub params: &'a MintingParams,
	/// The node's maintenance windows: time in them is not eligible.
	pub maintenance: &'a [Window],
	/// What users paid for the node's network in the period.
	pub network: PaidNetwork,
	/// The node's connection price, which converts the USD reward to TFT.
	pub price: MusdPerTft,
}

/// What a closed period pays (before it becomes a receipt).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Reward {
	/// Uptime, per mille of the eligible time (registered less maintenance).
	pub uptime: Permille,
	/// Seconds the node was registered in the period.
	pub registered: u64,
	/// Cloud units of the period's minimum capacity, millionths.
	pub units: CloudUnits,
	/// The capacity reward, exact (zero when the period pays nothing).
	pub capacity_usd: Usd,
	/// The traffic and IPv4 reward at the policy's rates, exact (before the policy's share cap).
	pub network_usd: Usd,
	/// The reward in TFT, planck: rounded down once, the network part at most the policy's share
	/// of what users paid.
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

/// The reward of a closed period:
/// - uptime ‰ = credited / (registered − maintenance), at most 1000, rounded down;
/// - nothing below the policy's minimal uptime, with a violation, or for a virtualized node;
/// - otherwise capacity `(CU·cu + SU·su) · uptime‰/1000 · registered/D` and network
///   `NU·GB + IPv4-hours·ipv4` of what users paid for, both exact in USD; the network part in
///   TFT is at most the policy's share of the TFT users paid for it. The USD becomes TFT at the
///   connection price, rounded down once, to the planck.
pub fn reward(input: &RewardInput, policy: Option<&FarmingPolicy>) -> Reward {
	let record = input.record;
	let registered = input.period_end.saturating_sub(record.start);
	let excluded = maintenance_in(input.maintenance, record.start, input.period_end);
	let eligible = registered.saturating_sub(excluded);
	let uptime = uptime_permille(record.uptime, eligible);
	let units = record.min_resources.cloud_units();
	let mut out = Reward { uptime, registered, units, ..Reward::default() };
	let Some(policy) = policy else { return out };
	if record.violation.is_some() || record.virtualized || uptime < policy.minimal_uptime {
		return out;
	}
	let rate = |r: Musd| u128::from(r.min(FarmingPolicy::MAX_RATE).0);
	// mUSD per unit × millionths of a unit, per full period…
	let per_period = rate(policy.cu)
		.saturating_mul(u128::from(units.cu))
		.saturating_add(rate(policy.su).saturating_mul(u128::from(units.su)));
	// …scaled by uptime and by the registered share of the period (its first is prorated).
	let share = registered.min(input.params.period_length);
	out.capacity_usd = Usd::from_musd(Musd(1))
		.mul_ratio(
			per_period.saturating_mul(u128::from(uptime)).saturating_mul(u128::from(share)),
			u128::from(UNIT_SCALE)
				.saturating_mul(1000)
				.saturating_mul(input.params.period_length.into()),
			Rounding::Down,
		)
		.unwrap_or(Usd::ZERO);
	let traffic = Usd::from_musd(policy.nu)
		.mul_ratio(input.network.traffic_bytes, u128::from(GB), Rounding::Down)
		.unwrap_or(Usd::ZERO);
	let ips = Usd::from_musd(policy.ipv4)
		.mul_ratio(input.network.ipv4_seconds, u128::from(HOUR), Rounding::Down)
		.unwrap_or(Usd::ZERO);
	out.network_usd = traffic.plus(ips);
	let to_planck = |usd: Usd| input.price.to_planck(usd, Rounding::Down).unwrap_or(0);
	let network_cap = policy.network_share.mul_floor(input.network.burned);
	out.planck = if to_planck(out.network_usd) <= network_cap {
		to_planck(out.capacity_usd.plus(out.network_usd))
	} else {
		to_planck(out.capacity_usd).saturating_add(network_cap)
	};
	out
}
/// The capacity a farm's nodes proved in its two latest periods, the farmer DAO's vote weight
/// ([`grid_primitives::governance`]). Nodes close a period one by one, each on its first report
/// after the end, so the previous period still grows while the current one has begun: both are
/// kept, nothing older.
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
pub struct ProvenCapacity {
	/// The latest period a node of the farm closed.
	pub period: PeriodIndex,
	/// What the farm's nodes proved in `period`.
	pub latest: VoteWeight,
	/// What they proved in the period before `period`.
	pub previous: VoteWeight,
}

impl ProvenCapacity {
	/// Adds what one node proved in `period`. A period older than the two kept is ignored (no
	/// vote uses it any more).
	pub fn add(&mut self, period: PeriodIndex, proven: VoteWeight) {
		if period > self.period || *self == Self::default() {
			let previous = if period == self.period.saturating_add(1) { self.latest } else { 0 };
			*self = ProvenCapacity { period, latest: proven, previous };
		} else if period == self.period {
			self.latest = self.latest.saturating_add(proven);
		} else if period.saturating_add(1) == self.period {
			self.previous = self.previous.saturating_add(proven);
		}
	}

	/// What the farm proved in `period` (0 when it is not one of the two kept).
	pub fn of(&self, period: PeriodIndex) -> VoteWeight {
		if period == self.period {
			self.latest
		} else if period.saturating_add(1) == self.period {
			self.previous
		} else {
			0
		}
	}

	/// The more of what was proved in `period` and in the period before.
	pub fn best_of_two(&self, period: PeriodIndex) -> VoteWeight {
		match period.checked_sub(1) {
			Some(before) => self.of(period).max(self.of(before)),
			None => self.of(period),
		}
	}
}

/// The capacity a closed period of a node proved: nothing when it ran virtualized or broke its
/// policy, else its units scaled by its uptime.
pub fn proven_in(
	receipt_units: CloudUnits,
	uptime: Permille,
	virtualized: bool,
	violated: bool,
) -> VoteWeight {
	if virtualized || violated {
		return 0;
	}
	let uptime = Permill::from_perthousand(u32::from(uptime.min(1000)));
	grid_primitives::governance::proven_capacity(receipt_units.cu, receipt_units.su, uptime)
}

#[cfg(test)]
mod tests {
	use super::*;
	use grid_primitives::resources::GIB;

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
		assert_eq!(P.settle_delay(), 260, "two intervals and the tolerance");
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
		// A node on the limit that grows takes more of it, without a node slot.
		assert!(limit.take_units(CloudUnits { cu: 4_000_000, su: 0 }, 10));
		assert_eq!((limit.cu, limit.nodes), (0, 1));
		assert!(!limit.take_units(CloudUnits { cu: 1, su: 0 }, 10));
	}

	fn policy(minimal_uptime: Permille) -> FarmingPolicy {
		FarmingPolicy {
			name: BoundedVec::truncate_from(b"diy".to_vec()),
			cu: Musd(2_400),
			su: Musd(1_000),
			nu: Musd(30),
			ipv4: Musd(5),
			network_share: Percent::from_percent(100),
			minimal_uptime,
			node_certification: NodeCertification::Diy,
			farm_certification: FarmCertification::NotCertified,
			default: true,
			immutable: false,
			end: None,
		}
	}

	fn usd(musd: u64) -> Usd {
		Usd::from_musd(Musd(musd))
	}

	#[test]
	fn reward_scales_prorates_and_pays_usage_that_was_paid() {
		// 1 CU and 1 SU exactly: 4 cores, 5 GiB, 250 GiB SSD gives CU = min(8, 1, 5) = 1 and
		// SU = 250/250 = 1.
		let resources = Resources { cru: 4, mru: 5 * GIB, sru: 250 * GIB, hru: 0 };
		assert_eq!(resources.cloud_units(), CloudUnits { cu: 1_000_000, su: 1_000_000 });
		// 2 GB and 2 IPv4-hours that users paid 1,000 TFT for, half of it burned.
		let net = PaidNetwork {
			traffic_bytes: 2 * u128::from(GB),
			ipv4_seconds: 7_200,
			paid: 1_000 * 10_000_000,
			burned: 500 * 10_000_000,
		};
		let pay =
			|record: &PeriodRecord, windows: &[Window], net, policy: Option<&FarmingPolicy>| {
				let input = RewardInput {
					record,
					period_end: 11_000,
					params: &P,
					maintenance: windows,
					network: net,
					price: MusdPerTft(80),
				};
				reward(&input, policy)
			};
		let diy = policy(950);
		let mut record = PeriodRecord::new(0, 1_000, resources, false);
		record.uptime = 10_000;
		let r = pay(&record, &[], net, Some(&diy));
		// 2,400 + 1,000 for capacity, 2 GB × 30 and 2 IPv4-hours × 5.
		assert_eq!(r.uptime, 1000);
		assert_eq!((r.capacity_usd, r.network_usd), (usd(3_400), usd(60 + 10)));
		assert_eq!(r.planck, 3_470 * 10_000_000 / 80);
		// 97 %: the capacity part scales, usage does not.
		record.uptime = 9_700;
		assert_eq!(pay(&record, &[], net, Some(&diy)).capacity_usd, usd(3_298));
		// 94 % is below the SLA: nothing at all.
		record.uptime = 9_400;
		let r = pay(&record, &[], net, Some(&diy));
		assert_eq!((r.uptime, r.capacity_usd, r.planck), (940, Usd::ZERO, 0));
		// Registered for the last quarter of the period, up all of it: 1000 ‰, a quarter of
		// the capacity reward.
		let mut late = PeriodRecord::new(0, 8_500, resources, false);
		late.uptime = 2_500;
		let r = pay(&late, &[], PaidNetwork::default(), Some(&diy));
		assert_eq!((r.uptime, r.registered, r.capacity_usd), (1000, 2_500, usd(850)));
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
		// The network part never exceeds the policy's share of what users' payments burned:
		// 70 mUSD at $0.08 is 0.875 TFT, above half of the burn when less than 1.75 TFT burned.
		let burned = |planck| PaidNetwork { burned: planck, ..net };
		let half = FarmingPolicy { network_share: Percent::from_percent(50), ..policy(0) };
		let capacity = 3_400 * 10_000_000 / 80;
		assert_eq!(pay(&record, &[], burned(10_000_000), Some(&half)).planck, capacity + 5_000_000);
		assert_eq!(
			pay(&record, &[], burned(0), Some(&half)).planck,
			capacity,
			"nothing burned (all paid to the farmer, say), nothing minted"
		);
		assert_eq!(pay(&record, &[], burned(20_000_000), Some(&half)).planck, capacity + 8_750_000);
	}

	#[test]
	fn the_reference_example_is_rounded_once_to_the_planck() {
		// 16 threads, 64 GiB, 1 TB SSD, 4 TB HDD, DIY, 100 %, $0.08: $44.629698 is
		// 557.871225 TFT (rounding to whole mUSD first would pay 557.8625).
		let node =
			Resources { cru: 16, mru: 64 * GIB, sru: 1_000_000_000_000, hru: 4_000_000_000_000 };
		let mut record = PeriodRecord::new(0, 1_000, node, false);
		record.uptime = 10_000;
		let diy = FarmingPolicy::reference_defaults()[0].clone();
		let input = RewardInput {
			record: &record,
			period_end: 11_000,
			params: &P,
			maintenance: &[],
			network: PaidNetwork::default(),
			price: MusdPerTft(80),
		};
		let r = reward(&input, Some(&diy));
		assert_eq!(r.capacity_usd, Usd::from_micro(grid_primitives::money::MicroUsd(44_629_698)));
		assert_eq!(r.planck, 5_578_712_250);
	}

	#[test]
	fn the_default_policies_pay_less_for_network_than_billing_charges() {
		for p in FarmingPolicy::reference_defaults() {
			assert_eq!(p.check(), Ok(()));
			// Billing's reference prices: $0.0015 per GB, $0.004 per IPv4-hour.
			assert!(p.nu < Musd(2) && p.ipv4 < Musd(4));
		}
	}

	#[test]
	fn policies_check_their_inputs_and_rank_by_certification() {
		assert_eq!(policy(950).check(), Ok(()));
		assert_eq!(policy(1001).check(), Err(PolicyError::InvalidMinimalUptime));
		let unnamed = FarmingPolicy { name: Default::default(), ..policy(950) };
		assert_eq!(unnamed.check(), Err(PolicyError::InvalidName));
		let greedy = FarmingPolicy { nu: Musd(FarmingPolicy::MAX_RATE.0 + 1), ..policy(950) };
		assert_eq!(greedy.check(), Err(PolicyError::RateTooHigh));
		let certified =
			FarmingPolicy { node_certification: NodeCertification::Certified, ..policy(980) };
		assert!(!certified.admits(NodeCertification::Diy, FarmCertification::Gold));
		assert!(certified.admits(NodeCertification::Certified, FarmCertification::NotCertified));
		assert!(certified.rank() > policy(950).rank());
		assert!(FarmingPolicy { end: Some(5), ..policy(950) }.is_active(4));
		assert!(!FarmingPolicy { end: Some(5), ..policy(950) }.is_active(5));
	}

	fn node(at: u64) -> NodeState<u64> {
		let resources = Resources { cru: 4, mru: 5 * GIB, sru: 250 * GIB, hru: 0 };
		NodeState {
			account: 1,
			farm_id: 1,
			policy: Some(1),
			farm_policy: false,
			policy_units: CloudUnits::default(),
			certification: NodeCertification::Diy,
			connection_price: MusdPerTft(80),
			resources,
			virtualized: false,
			period: PeriodRecord::new(P.period_of(at), at, resources, false),
			last: None,
			timeline: Timeline::starting(at),
			asked_down: false,
			standby: None,
			sleep: None,
			maintenance: Default::default(),
			unclaimed: 0,
			carried: 0,
		}
	}

	/// A report at `now` of a machine booted at `boot`.
	fn report(n: &mut NodeState<u64>, now: u64, boot: u64) -> ReportOutcome {
		n.report(now - boot, boot, now, &P)
	}

	#[test]
	fn what_a_report_credits_is_what_the_timeline_calls_up() {
		let mut n = node(1_000);
		assert_eq!(report(&mut n, 1_100, 500).credited, 100);
		assert_eq!(report(&mut n, 1_200, 500).credited, 100);
		// Lost reports: 500 s of silence, the last 160 s credited, the rest down.
		assert_eq!(report(&mut n, 1_700, 500).credited, 160);
		// A reboot at 1,750: the 50 s before it are down.
		let out = report(&mut n, 1_800, 1_750);
		assert_eq!((out.kind, out.credited), (ReportKind::Rebooted, 50));
		assert_eq!(n.timeline.up_between(1_000, 1_800), n.period.uptime);
		assert_eq!(n.period.uptime, 100 + 100 + 160 + 50);
	}

	#[test]
	fn status_is_down_once_the_time_since_the_last_report_can_no_longer_be_settled_up() {
		let mut n = node(1_000);
		// Never reported: down.
		assert_eq!(n.status(1_000, &P), NodeStatus::Down);
		report(&mut n, 1_100, 500);
		let limit = 1_100 + P.settle_delay();
		assert_eq!(n.status(limit, &P), NodeStatus::Up);
		assert_eq!(n.status(limit + 1, &P), NodeStatus::Down);
		// Standby wins over silence: a node asked down is not at fault.
		n.set_standby(true, 1_150);
		assert_eq!(n.status(limit + 1, &P), NodeStatus::Standby);
		n.set_standby(false, 1_200);
		assert_eq!(n.status(1_200, &P), NodeStatus::Up);
		n.go_to_sleep(1_250, &P);
		assert_eq!(n.status(1_250, &P), NodeStatus::Standby);
	}

	#[test]
	fn a_report_past_the_period_end_closes_it_with_its_share() {
		let mut n = node(10_900);
		report(&mut n, 10_950, 0);
		let out = report(&mut n, 11_030, 0);
		let closed = out.closed.expect("period 0 closed");
		assert_eq!((closed.index, closed.uptime), (0, 50 + 50));
		assert_eq!((n.period.index, n.period.start, n.period.uptime), (1, 11_000, 30));
		assert_eq!(out.credited, 80);
	}

	#[test]
	fn standby_time_is_neither_credited_nor_billable() {
		let mut n = node(1_000);
		report(&mut n, 1_100, 500);
		// Asked down at 1,150, the node keeps reporting its old boot.
		n.asked_down = true;
		n.set_standby(true, 1_150);
		assert_eq!(report(&mut n, 1_200, 500).credited, 50);
		assert_eq!(report(&mut n, 1_300, 500).credited, 0, "standby earns nothing");
		n.set_standby(false, 1_350);
		assert_eq!(report(&mut n, 1_400, 500).credited, 50);
		assert_eq!(n.timeline.up_between(1_000, 1_400), 100 + 50 + 50);
		assert_eq!(n.standby, None, "the span was settled");
	}

	#[test]
	fn a_sleep_is_credited_by_chain_time_and_the_gap_after_the_boot_like_any_other() {
		// Asked down and down at 2,000; woken at 3,000; booted at 3,100 and reports at 3,150.
		let mut n = node(1_900);
		report(&mut n, 1_950, 500);
		n.set_standby(true, 1_990);
		n.go_to_sleep(2_000, &P);
		assert_eq!(n.period.uptime, 50 + 40, "up until it was asked down at 1,990");
		n.wake_requested(3_000);
		n.set_standby(false, 3_100);
		let out = report(&mut n, 3_150, 3_100);
		assert_eq!(out.woke, Some(true));
		// The sleep (1,990..3,100) counts for the reward, the 50 s since the boot are up.
		assert_eq!(out.credited, 1_110 + 50);
		assert_eq!(n.timeline.up_between(1_990, 3_150), 50, "billing never charges a sleep");
		// A node that claims to have booted on time but reports 25 days later gets neither the
		// silence nor more than an interval after its claimed boot.
		let mut n = node(1_900);
		report(&mut n, 1_950, 500);
		n.go_to_sleep(2_000, &P);
		n.wake_requested(2_100);
		let late = 2_000 + 25 * 24 * 3_600;
		let out = report(&mut n, late, 2_200);
		assert_eq!(out.woke, Some(false));
		assert_eq!(out.credited, 160, "the last interval and the tolerance");
	}

	#[test]
	fn going_to_sleep_after_the_period_end_settles_what_follows_it_as_down() {
		// Period 0 ends at 11,000; the node last reported at 10,950 and goes down at 11,040.
		let mut n = node(10_800);
		report(&mut n, 10_950, 500);
		n.set_standby(true, 11_030);
		n.go_to_sleep(11_040, &P);
		assert_eq!(n.period.uptime, 150 + 50, "credited up to the period's end");
		assert_eq!(n.timeline.up_between(10_950, 11_040), 50, "and billable up to it, no more");
	}

	#[test]
	fn proven_capacity_keeps_the_two_latest_periods() {
		let mut p = ProvenCapacity::default();
		p.add(4, 10);
		p.add(4, 5);
		assert_eq!((p.of(4), p.of(3)), (15, 0));
		// A node closes period 5 while others still close period 4.
		p.add(5, 7);
		p.add(4, 1);
		assert_eq!((p.of(5), p.of(4), p.of(3)), (7, 16, 0));
		// Older than the two kept: ignored.
		p.add(3, 100);
		assert_eq!((p.of(5), p.of(4), p.of(3)), (7, 16, 0));
		// A jump of two periods forgets both.
		p.add(7, 2);
		assert_eq!((p.of(7), p.of(6), p.of(5)), (2, 0, 0));
		// Right after a boundary the last closed period (8) holds nothing yet: period 7 counts.
		assert_eq!((p.best_of_two(8), p.best_of_two(9)), (2, 0));
		p.add(8, 1);
		assert_eq!(p.best_of_two(8), 2, "the more of the two");
		assert_eq!(ProvenCapacity::default().best_of_two(0), 0);
	}

	#[test]
	fn only_honest_uptime_proves_capacity() {
		let units = CloudUnits { cu: 1_000_000, su: 2_000_000 };
		assert_eq!(proven_in(units, 1000, false, false), 4_000_000);
		assert_eq!(proven_in(units, 500, false, false), 2_000_000);
		assert_eq!(proven_in(units, 0, false, false), 0, "never up, never proven");
		assert_eq!(proven_in(units, 1000, true, false), 0, "virtualized");
		assert_eq!(proven_in(units, 1000, false, true), 0, "a violation");
	}
}
