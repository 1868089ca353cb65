//! Billing's domain rules, pure and unit-tested: the pricing policy and its checks, exact USD
//! costs of a contract over time, the holding-discount tiers, what is owed and how a payment
//! pays it, and the revenue split.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::deps::sp_runtime::Percent;
use grid_primitives::{
	contracts::ExtraFee,
	liveness::Window,
	money::{MicroUsd, Musd, MusdPerTft, Rounding, Usd, MONTH},
	resources::CloudUnits,
	Balance,
};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// A contract as it is rated: what it reserves, and whether its node's certification adds the
/// surcharge.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Rated {
	/// A node contract: its reserved capacity (not billed under a rent: `rented`), its IPv4s.
	Node {
		/// Its reserved capacity in cloud units.
		units: CloudUnits,
		/// How many public IPv4s it holds.
		public_ips: u32,
		/// Its node is rented: the rent pays the capacity, this contract only IPs and traffic.
		rented: bool,
		/// Its node is certified: capacity costs the certified surcharge more.
		certified: bool,
	},
	/// A rent contract: the whole node, at the rent discount, plus the farmer's monthly fee.
	Rent {
		/// The whole node's capacity in cloud units, as it was when rented.
		units: CloudUnits,
		/// The farmer's monthly extra fee as agreed, and any announced increase.
		extra_fee: ExtraFee,
		/// The node is certified: capacity costs the certified surcharge more.
		certified: bool,
	},
	/// A gateway name.
	Name,
}

impl Rated {
	/// The public IPv4s it holds.
	pub fn public_ips(&self) -> u32 {
		match self {
			Rated::Node { public_ips, .. } => *public_ips,
			_ => 0,
		}
	}
}

/// What a contract used between two charges: seconds it lived, seconds its node's capacity was
/// up (not charged otherwise), and new public traffic.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct Usage {
	/// Seconds of the contract's life charged (IPv4s and names are charged for these).
	pub seconds: u64,
	/// Seconds its capacity was charged for: those its node was up.
	pub capacity_seconds: u64,
	/// Bytes of new public traffic.
	pub traffic_bytes: u64,
}

/// A contract's cost, exact, by what it is for: capacity (and gateway names), public IPv4s,
/// public traffic, and the farmer's extra fee. The holding discount applies to capacity and
/// IPv4s — what it is measured on — never to traffic or the extra fee.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct Costs {
	/// CU and SU (a rent's at the rent discount, a certified node's with the surcharge), or a
	/// gateway name.
	pub capacity: Usd,
	/// Public IPv4s.
	pub ipv4: Usd,
	/// Public traffic.
	pub traffic: Usd,
	/// The farmer's monthly extra fee of a rent.
	pub extra: Usd,
}

impl Costs {
	/// Both costs added up, part by part.
	pub fn plus(self, other: Costs) -> Costs {
		Costs {
			capacity: self.capacity.plus(other.capacity),
			ipv4: self.ipv4.plus(other.ipv4),
			traffic: self.traffic.plus(other.traffic),
			extra: self.extra.plus(other.extra),
		}
	}

	/// The whole cost (display).
	pub fn total(self) -> Usd {
		self.capacity.plus(self.ipv4).plus(self.traffic).plus(self.extra)
	}

	/// The part the holding discount is measured on and applies to.
	pub fn discountable(self) -> Usd {
		self.capacity.plus(self.ipv4)
	}

	/// What a payer owes for these costs with `discount` off the discountable part: the
	/// regular part (split) and the extra fee (the farmer's), each in planck at `price`,
	/// rounded up once.
	pub fn due(self, discount: Percent, price: MusdPerTft) -> Due {
		let regular = self.discountable().percent(paid_share(discount)).plus(self.traffic);
		let up = |usd| price.to_planck(usd, Rounding::Up).unwrap_or(Balance::MAX);
		Due { regular: up(regular), extra: up(self.extra) }
	}

	/// Of what [`Self::due`] charges, the planck paid for public IPv4s and traffic (rounded
	/// down: never more than was paid for them).
	pub fn network_planck(self, discount: Percent, price: MusdPerTft) -> Balance {
		let network = self.ipv4.percent(paid_share(discount)).plus(self.traffic);
		price.to_planck(network, Rounding::Down).unwrap_or(0)
	}
}

/// What is left to pay after `discount`.
fn paid_share(discount: Percent) -> Percent {
	Percent::from_percent(100u8.saturating_sub(discount.deconstruct()))
}

/// Where a charge's money goes, as governance configures it. The farmer gets `farmer`, the
/// treasury `treasury`, solution providers their shares of the bill (at most 50 %), and the rest
/// is burned. `farmer + treasury ≤ 50 %`, so providers are always paid from what would burn.
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
pub struct Split {
	/// Share of the regular part of each payment to the farm's payout account (to the treasury
	/// when there is no farm).
	pub farmer: Percent,
	/// Share of the regular part of each payment to the treasury.
	pub treasury: Percent,
}

/// The pricing policy: what users pay in USD, and where it goes. Governance sets it; each
/// change gets the next `version` and applies from the second it is set.
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
pub struct PricingPolicy {
	/// Set by the pallet: 1 at genesis, one more at each change.
	pub version: u32,
	/// Per compute unit and hour.
	pub cu: MicroUsd,
	/// Per storage unit and hour.
	pub su: MicroUsd,
	/// Per public IPv4 and hour.
	pub ipv4: MicroUsd,
	/// Per gateway name and hour.
	pub name: MicroUsd,
	/// Per GB (10⁹ bytes) of public traffic.
	pub nu: MicroUsd,
	/// A rent contract pays its node's capacity this much below the shared price.
	pub rent_discount: Percent,
	/// Capacity on a certified node costs this much more.
	pub certified_surcharge: Percent,
	/// Where payments go: the farmer's and the treasury's shares; the rest is burned.
	pub split: Split,
}

/// Why governance's policy was refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PolicyError {
	/// A price above [`PricingPolicy::MAX_PRICE`].
	PriceTooHigh,
	/// `farmer + treasury` above 50 %, or a surcharge above 100 %.
	InvalidShares,
}

impl PricingPolicy {
	/// $1,000 per unit and hour (or GB): far above any grid price, far below overflow.
	pub const MAX_PRICE: MicroUsd = MicroUsd(1_000_000_000);

	/// tfchain's development prices: CU $0.01/h, SU $0.005/h, IPv4 $0.004/h, name $0.00025/h,
	/// traffic $0.0015/GB; rent 50 % off; certified +25 %; farmer 40 %, treasury 10 %, burn the
	/// rest.
	pub fn reference() -> Self {
		PricingPolicy {
			version: 1,
			cu: MicroUsd(10_000),
			su: MicroUsd(5_000),
			ipv4: MicroUsd(4_000),
			name: MicroUsd(250),
			nu: MicroUsd(1_500),
			rent_discount: Percent::from_percent(50),
			certified_surcharge: Percent::from_percent(25),
			split: Split { farmer: Percent::from_percent(40), treasury: Percent::from_percent(10) },
		}
	}

	/// Whether governance may set it: every price at most [`Self::MAX_PRICE`], farmer and
	/// treasury shares at most 50 % together.
	pub fn check(&self) -> Result<(), PolicyError> {
		let prices = [self.cu, self.su, self.ipv4, self.name, self.nu];
		if prices.iter().any(|p| *p > Self::MAX_PRICE) {
			return Err(PolicyError::PriceTooHigh);
		}
		let shares = self
			.split
			.farmer
			.deconstruct()
			.saturating_add(self.split.treasury.deconstruct());
		if shares > 50 {
			return Err(PolicyError::InvalidShares);
		}
		Ok(())
	}

	/// What `rated` costs for `seconds` of its life: its IPv4s and its gateway name.
	pub fn time_cost(&self, rated: &Rated, seconds: u64) -> Costs {
		match rated {
			Rated::Node { public_ips, .. } => Costs {
				ipv4: Usd::hourly(self.ipv4, u128::from(*public_ips), seconds),
				..Costs::default()
			},
			Rated::Rent { .. } => Costs::default(),
			Rated::Name => {
				Costs { capacity: Usd::hourly(self.name, 1, seconds), ..Costs::default() }
			},
		}
	}

	/// What `rated` costs for `seconds` its node was up: its capacity (a rent's at the rent
	/// discount) and the extra fee `fee` of a rent.
	pub fn capacity_cost(&self, rated: &Rated, fee: Musd, seconds: u64) -> Costs {
		let capacity = |units: &CloudUnits, certified: bool| {
			let base = Usd::hourly_per_unit(self.cu, units.cu, seconds)
				.plus(Usd::hourly_per_unit(self.su, units.su, seconds));
			if certified {
				base.plus(base.percent(self.certified_surcharge))
			} else {
				base
			}
		};
		match rated {
			Rated::Node { rented: true, .. } | Rated::Name => Costs::default(),
			Rated::Node { units, certified, .. } => {
				Costs { capacity: capacity(units, *certified), ..Costs::default() }
			},
			Rated::Rent { units, certified, .. } => Costs {
				capacity: capacity(units, *certified).percent(paid_share(self.rent_discount)),
				extra: Usd::monthly(fee, seconds),
				..Costs::default()
			},
		}
	}

	/// What `bytes` of public traffic cost.
	pub fn traffic_cost(&self, bytes: u64) -> Costs {
		Costs { traffic: Usd::per_gb(self.nu, u128::from(bytes)), ..Costs::default() }
	}

	/// What a contract costs per month when its node is up all the time (no traffic), at the
	/// extra fee in force at `now`.
	pub fn monthly(&self, rated: &Rated, now: u64) -> Costs {
		let fee = match rated {
			Rated::Rent { extra_fee, .. } => extra_fee.at(now),
			_ => Musd(0),
		};
		self.time_cost(rated, MONTH).plus(self.capacity_cost(rated, fee, MONTH))
	}
}

/// The holding-discount tiers: a payer that has committed TFT worth at least this many tenths of
/// a month of its contracts' cost gets this discount on the regular part of every charge.
pub const DISCOUNT_TIERS: [(u64, u8); 4] = [(180, 60), (60, 40), (30, 30), (15, 20)];

/// The discount for `committed` TFT against `monthly` TFT of cost: none below 1.5 months, then
/// 20 / 30 / 40 / 60 % from 1.5 / 3 / 6 / 18 months (tfchain's tiers, ADR-0008).
pub fn discount_for(committed: Balance, monthly: Balance) -> Percent {
	if monthly == 0 {
		return Percent::zero();
	}
	let tenths = committed.saturating_mul(10);
	DISCOUNT_TIERS
		.iter()
		.find(|(months, _)| tenths >= monthly.saturating_mul(u128::from(*months)))
		.map(|(_, discount)| Percent::from_percent(*discount))
		.unwrap_or_default()
}

/// An amount owed, in planck: the regular part (split) and the farmer's extra fee (all his).
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
	Serialize,
	Deserialize,
)]
pub struct Due {
	/// Split between the farmer, solution providers, the treasury and the burn.
	pub regular: Balance,
	/// The farmer's extra fee of a rent: all of it goes to the farmer.
	pub extra: Balance,
}

impl Due {
	/// Both parts together.
	pub fn total(&self) -> Balance {
		self.regular.saturating_add(self.extra)
	}

	/// Whether nothing is owed.
	pub fn is_zero(&self) -> bool {
		self.total() == 0
	}

	/// Both amounts added up, part by part.
	pub fn plus(self, other: Due) -> Due {
		Due {
			regular: self.regular.saturating_add(other.regular),
			extra: self.extra.saturating_add(other.extra),
		}
	}

	/// Pays what `available` allows, regular part first. Returns what was paid (`available`
	/// shrinks by its total) and leaves the rest owed.
	pub fn pay_from(&mut self, available: &mut Balance) -> Due {
		let regular = self.regular.min(*available);
		*available = available.saturating_sub(regular);
		let extra = self.extra.min(*available);
		*available = available.saturating_sub(extra);
		self.regular = self.regular.saturating_sub(regular);
		self.extra = self.extra.saturating_sub(extra);
		Due { regular, extra }
	}
}

/// Where a payment goes, in planck: `payer loss = farmer + Σ providers + treasury + burn`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Shares<AccountId> {
	/// The farm's share and the whole extra fee.
	pub farmer: Balance,
	/// Each solution provider account's share (at most half the regular part together).
	pub providers: alloc::vec::Vec<(AccountId, Balance)>,
	/// The treasury's share (and the farmer's, when there is no farm).
	pub treasury: Balance,
	/// What is burned: the rest of the regular part.
	pub burn: Balance,
}

impl<AccountId> Default for Shares<AccountId> {
	fn default() -> Self {
		Shares { farmer: 0, providers: alloc::vec::Vec::new(), treasury: 0, burn: 0 }
	}
}

impl<AccountId: Clone> Shares<AccountId> {
	/// Splits `paid`: each credit rounded down, the burn takes the remainder (so the parts sum to
	/// the payment exactly). Provider shares are capped at 50 % together.
	pub fn of(paid: Due, split: &Split, providers: &[(AccountId, Percent)]) -> Self {
		let bill = paid.regular;
		let mut left_for_providers = Percent::from_percent(50).mul_floor(bill);
		let providers: alloc::vec::Vec<_> = providers
			.iter()
			.map(|(who, share)| {
				let amount = share.mul_floor(bill).min(left_for_providers);
				left_for_providers = left_for_providers.saturating_sub(amount);
				(who.clone(), amount)
			})
			.collect();
		let farmer = split.farmer.mul_floor(bill);
		let treasury = split.treasury.mul_floor(bill);
		let credited = providers
			.iter()
			.fold(farmer.saturating_add(treasury), |sum, (_, a)| sum.saturating_add(*a));
		Shares {
			farmer: farmer.saturating_add(paid.extra),
			providers,
			treasury,
			burn: bill.saturating_sub(credited),
		}
	}

	/// With no farm to pay (a gateway name, debt of ended contracts): the treasury takes the
	/// farmer's share.
	pub fn without_farmer(mut self) -> Self {
		self.treasury = self.treasury.saturating_add(self.farmer);
		self.farmer = 0;
		self
	}

	/// All solution providers' shares together.
	pub fn providers_total(&self) -> Balance {
		self.providers.iter().fold(0, |sum, (_, a)| sum.saturating_add(*a))
	}

	/// The whole payment: every share and the burn.
	pub fn total(&self) -> Balance {
		self.farmer
			.saturating_add(self.providers_total())
			.saturating_add(self.treasury)
			.saturating_add(self.burn)
	}
}

/// Billing's timing, set by governance: how long a payer may stay in debt, and the notice for
/// releasing committed TFT, in blocks.
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
pub struct BillingParams {
	/// Blocks a payer may stay in grace before its contracts end as out of funds.
	pub grace_period: u32,
	/// Blocks between asking to release committed TFT and getting it back.
	pub release_notice: u32,
	/// Seconds of all its contracts a payer must be able to pay to create one more.
	pub prepaid: u64,
}

impl Default for BillingParams {
	/// 14 days of grace (tfchain's), 7 days of notice, an hour prepaid, at 6-second blocks.
	fn default() -> Self {
		BillingParams { grace_period: 14 * 14_400, release_notice: 7 * 14_400, prepaid: 3_600 }
	}
}

impl BillingParams {
	/// Whether governance may set them: grace period and notice above zero, prepaid time at
	/// most a month.
	pub fn is_valid(&self) -> bool {
		self.grace_period > 0 && self.release_notice > 0 && self.prepaid <= MONTH
	}
}

/// The policy in force since `changed_at` (Unix seconds), the one before it, and the charging
/// bucket that was next when it changed (the next change waits a full pass after it).
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
pub struct PolicyState {
	/// The policy in force since `changed_at`.
	pub current: PricingPolicy,
	/// The policy in force before `changed_at`; `None` until governance first changes it.
	pub previous: Option<PricingPolicy>,
	/// Unix second from which `current` applies; 0 for the genesis policy.
	pub changed_at: u64,
	/// The charging cursor's `next` bucket at the change; the next change waits a pass after it.
	pub changed_in_bucket: u64,
}

impl Default for PolicyState {
	fn default() -> Self {
		Self::new(PricingPolicy::reference())
	}
}

impl PolicyState {
	/// `policy` in force from genesis, with none before it.
	pub fn new(policy: PricingPolicy) -> Self {
		PolicyState { current: policy, previous: None, changed_at: 0, changed_in_bucket: 0 }
	}

	/// The policy in force at Unix second `t`.
	pub fn at(&self, t: u64) -> &PricingPolicy {
		match &self.previous {
			Some(previous) if t < self.changed_at => previous,
			_ => &self.current,
		}
	}

	/// The cost of a contract for `time` (its life between two charges), `capacity` (the
	/// span its capacity is charged for, with `up(a, b)` the seconds of `[a, b)` its node was
	/// up) and `traffic_bytes` of new traffic: each piece at the policy and extra fee in force
	/// then, traffic at the current policy. Returns the costs and what they measured.
	pub fn cost(
		&self,
		rated: &Rated,
		time: Window,
		capacity: Window,
		up: impl Fn(u64, u64) -> u64,
		traffic_bytes: u64,
	) -> (Costs, Usage) {
		let mut costs = self.current.traffic_cost(traffic_bytes);
		let mut usage = Usage { traffic_bytes, ..Usage::default() };
		for piece in time.split_at(&[self.changed_at]) {
			let seconds = piece.duration();
			costs = costs.plus(self.at(piece.start).time_cost(rated, seconds));
			usage.seconds = usage.seconds.saturating_add(seconds);
		}
		let fee = match rated {
			Rated::Rent { extra_fee, .. } => *extra_fee,
			_ => ExtraFee::default(),
		};
		let fee_from = fee.increase.map_or(u64::MAX, |i| i.from);
		for piece in capacity.split_at(&[self.changed_at, fee_from]) {
			let seconds = up(piece.start, piece.end);
			let policy = self.at(piece.start);
			costs = costs.plus(policy.capacity_cost(rated, fee.at(piece.start), seconds));
			usage.capacity_seconds = usage.capacity_seconds.saturating_add(seconds);
		}
		(costs, usage)
	}
}

/// A payer: its account, how many live contracts it pays for, the TFT it committed (and a
/// release it asked for), since when it is in grace, and its discount (measured at each
/// charge).
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Ledger<AccountId> {
	/// The account charges are taken from and the commitment is held on.
	pub account: AccountId,
	/// The bucket it is charged in.
	pub bucket: u32,
	/// How many live contracts it pays for (its meters).
	pub contracts: u32,
	/// TFT committed to billing and held on `account`, planck (a pending release included).
	pub committed: Balance,
	/// The release of committed TFT it asked for; `None` if none is pending.
	pub releasing: Option<Release>,
	/// The block it went into grace, unable to pay a charge; `None` when not in grace.
	pub grace_since: Option<u32>,
	/// Its holding discount, as measured at its last charge.
	pub discount: Percent,
	/// Debt its ended contracts left unpaid (after their deposits paid what they could): it
	/// creates no contract until it pays it.
	pub written_off: Balance,
	/// Its contracts' cost for a month at full price, as last measured (at a charge, and grown
	/// by each new contract): what a new contract's first period is checked against.
	pub monthly: Usd,
	/// Its standing, planck: what its charges have paid, counted up to a month of its
	/// contracts. Grace is credit: in grace its contracts end as soon as they owe more than
	/// this, so a payer that never paid gets none, and nobody squats for longer than it paid.
	pub credit: Balance,
}

impl<AccountId> Ledger<AccountId> {
	/// A payer of `account` charged in `bucket`, with no contracts, commitment or debt yet.
	pub fn new(account: AccountId, bucket: u32) -> Self {
		Ledger {
			account,
			bucket,
			contracts: 0,
			committed: 0,
			releasing: None,
			grace_since: None,
			discount: Percent::zero(),
			written_off: 0,
			monthly: Usd::ZERO,
			credit: 0,
		}
	}

	/// Counts `paid` toward its standing, up to `cap` (a month of its contracts): once it
	/// has a month's worth, its record no longer changes in the steady state.
	pub fn earn_credit(&mut self, paid: Balance, cap: Balance) {
		if self.credit < cap {
			self.credit = self.credit.saturating_add(paid).min(cap);
		}
	}

	/// The committed TFT that counts for the discount: all but a pending release.
	pub fn counted(&self) -> Balance {
		self.committed.saturating_sub(self.releasing.map_or(0, |r| r.amount))
	}

	/// Takes `amount` (≤ committed) out of the commitment for a charge; a pending release
	/// shrinks if less than it is left.
	pub fn spend_committed(&mut self, amount: Balance) {
		self.committed = self.committed.saturating_sub(amount);
		if let Some(release) = &mut self.releasing {
			release.amount = release.amount.min(self.committed);
		}
	}

	/// Nothing to keep: no contracts, nothing held, nothing owed.
	pub fn is_empty(&self) -> bool {
		self.contracts == 0 && self.committed == 0 && self.written_off == 0
	}

	/// Whether it may take on a new contract, with `free` to pay from besides its
	/// commitment: not in grace, no unpaid debt, and able to pay `prepaid` seconds of all its
	/// contracts, the new one included, costing `monthly` TFT a month (`None`: no price to
	/// tell).
	pub fn admits(
		&self,
		monthly: Option<Balance>,
		free: Balance,
		prepaid: u64,
	) -> Result<(), Refusal> {
		if self.grace_since.is_some() {
			return Err(Refusal::InGrace);
		}
		if self.written_off > 0 {
			return Err(Refusal::UnpaidDebt);
		}
		let Some(monthly) = monthly else { return Ok(()) };
		let first =
			grid_primitives::money::mul_div(monthly, prepaid.into(), MONTH.into(), Rounding::Up);
		if first.is_none_or(|first| free.saturating_add(self.committed) < first) {
			return Err(Refusal::CannotPrepay);
		}
		Ok(())
	}
}

/// Why a payer may not take on a new contract.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Refusal {
	/// The payer is in grace: it pays its debt first.
	InGrace,
	/// The payer owes debt its ended contracts left (written off).
	UnpaidDebt,
	/// The payer cannot pay [`BillingParams::prepaid`] seconds of all its contracts, the new
	/// one included.
	CannotPrepay,
}

/// A release of committed TFT asked for: `amount`, free from block `at`.
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
pub struct Release {
	/// Planck to release; shrinks if charges leave less committed.
	pub amount: Balance,
	/// The block from which it can be released.
	pub at: u32,
}

/// A live contract's billing record: charged up to `since` at least (its bucket's runs may be
/// later), traffic charged so far (capacity's running total), what it owes, and since when its
/// capacity is charged.
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
pub struct Meter {
	/// Charged up to here at least (Unix seconds): its creation or its last settlement.
	pub since: u64,
	/// Bytes of the contract's reported public traffic (a running total) charged so far.
	pub traffic_billed: u64,
	/// What it owes, planck.
	pub debt: Due,
	/// Its capacity is charged from here (Unix seconds): its creation, or its last
	/// settlement (capacity is charged a settle delay behind the clock, see the crate docs).
	pub capacity_since: u64,
}

/// Where charging stands: `next` counts buckets since genesis (bucket `next % PassBlocks`),
/// due at block `next`; `run` is the bucket being charged, if one did not fit in a block.
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
pub struct ChargeCursor {
	/// Buckets counted since genesis: bucket `next % PassBlocks` is charged next, from block
	/// `next`.
	pub next: u64,
	/// The run of bucket `next` while it is being charged; `None` between buckets.
	pub run: Option<Run>,
}

/// A bucket's run: its payers are charged from `from` (the previous run) to `to` (this run's
/// start); `last` is the payer charged last.
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
pub struct Run {
	/// Unix second the bucket's previous run began (its payers were charged up to it); 0 for
	/// its first run.
	pub from: u64,
	/// Unix second this run began: its payers are charged up to it.
	pub to: u64,
	/// The twin charged last in this run (the next payer follows it); `None` before the first.
	pub last: Option<u32>,
}

#[cfg(test)]
mod tests {
	use super::*;
	use grid_primitives::{
		contracts::FeeIncrease,
		money::HOUR,
		resources::{Resources, GIB, UNIT_SCALE},
	};

	fn units(cu: u64, su: u64) -> CloudUnits {
		CloudUnits { cu: cu * UNIT_SCALE, su: su * UNIT_SCALE }
	}

	fn micro(usd: Usd) -> MicroUsd {
		usd.micro_usd()
	}

	/// An hour of `rated` with its node up, under one policy.
	fn hour(p: &PricingPolicy, rated: &Rated, fee: Musd) -> Costs {
		p.time_cost(rated, HOUR).plus(p.capacity_cost(rated, fee, HOUR))
	}

	#[test]
	fn an_hour_of_a_node_contract_costs_its_units_ips_and_traffic() {
		let p = PricingPolicy::reference();
		let rated =
			Rated::Node { units: units(2, 1), public_ips: 1, rented: false, certified: false };
		let c = hour(&p, &rated, Musd(0)).plus(p.traffic_cost(2_000_000_000));
		// 2 CU $0.02 + 1 SU $0.005, 1 IP $0.004, 2 GB $0.003 = $0.032.
		assert_eq!(micro(c.capacity), MicroUsd(25_000));
		assert_eq!((micro(c.ipv4), micro(c.traffic)), (MicroUsd(4_000), MicroUsd(3_000)));
		assert_eq!(micro(c.total()), MicroUsd(32_000));
		// Under a rent only the IP and the traffic.
		let rented =
			Rated::Node { units: units(2, 1), public_ips: 1, rented: true, certified: false };
		assert_eq!(micro(hour(&p, &rented, Musd(0)).total()), MicroUsd(4_000));
	}

	#[test]
	fn rent_pays_the_discounted_node_and_the_whole_extra_fee() {
		let p = PricingPolicy::reference();
		let rated =
			Rated::Rent { units: units(8, 4), extra_fee: ExtraFee::default(), certified: false };
		let c = hour(&p, &rated, Musd(72_000));
		// (8 · $0.01 + 4 · $0.005) · 50 % = $0.05; $72 a month is $0.1 an hour.
		assert_eq!(micro(c.capacity), MicroUsd(50_000));
		assert_eq!(micro(c.extra), MicroUsd(100_000));
		let certified =
			Rated::Rent { units: units(8, 4), extra_fee: ExtraFee::default(), certified: true };
		assert_eq!(micro(hour(&p, &certified, Musd(0)).capacity), MicroUsd(62_500));
	}

	#[test]
	fn a_name_costs_its_price_per_second_exactly() {
		let p = PricingPolicy::reference();
		let one = p.time_cost(&Rated::Name, 1);
		// $0.00025 an hour: 250/3,600 µUSD a second, exact.
		assert_eq!(one.capacity.0 * 3_600, Usd::from_micro(MicroUsd(250)).0);
	}

	#[test]
	fn the_node_units_come_from_the_one_formula() {
		let r = Resources { cru: 4, mru: 9 * GIB, sru: 100 * GIB, hru: 1_200 * GIB };
		let u = r.cloud_units();
		assert_eq!(u, CloudUnits { cu: 2 * UNIT_SCALE, su: 14 * UNIT_SCALE / 10 });
	}

	#[test]
	fn the_discount_applies_to_what_it_was_measured_on_only() {
		let costs = Costs {
			capacity: Usd::from_musd(Musd(1_000)),
			ipv4: Usd::from_musd(Musd(1_000)),
			traffic: Usd::from_musd(Musd(1_000)),
			extra: Usd::from_musd(Musd(1_000)),
		};
		// $1 is 12.5 TFT at $0.08: 60 % off capacity and IPs (5 + 5 TFT), none off traffic (12.5).
		let due = costs.due(Percent::from_percent(60), MusdPerTft(80));
		assert_eq!(due, Due { regular: 225_000_000, extra: 125_000_000 });
		// Of which network (IPs after the discount, traffic): 5 + 12.5 TFT.
		assert_eq!(costs.network_planck(Percent::from_percent(60), MusdPerTft(80)), 175_000_000);
		// One unit more than a planck's worth rounds the charge up once.
		let odd = Costs { traffic: Usd(1), ..Costs::default() };
		assert_eq!(odd.due(Percent::zero(), MusdPerTft(80)).regular, 1);
		assert_eq!(odd.network_planck(Percent::zero(), MusdPerTft(80)), 0);
	}

	#[test]
	fn a_charge_spanning_a_policy_change_and_a_fee_increase_is_priced_piecewise() {
		let mut cheap = PricingPolicy::reference();
		cheap.cu = MicroUsd(5_000);
		let state = PolicyState {
			current: PricingPolicy::reference(),
			previous: Some(cheap),
			changed_at: 1_000 + HOUR,
			changed_in_bucket: 0,
		};
		let fee = ExtraFee {
			fee: Musd(72_000),
			increase: Some(FeeIncrease { fee: Musd(144_000), from: 1_000 + 2 * HOUR }),
		};
		let rated = Rated::Rent { units: units(1, 0), extra_fee: fee, certified: false };
		let window = Window::new(1_000, 1_000 + 3 * HOUR);
		// Up all the time but the first half hour.
		let up = |a: u64, b: u64| b.saturating_sub(a.max(1_000 + HOUR / 2));
		let (c, usage) = state.cost(&rated, window, window, up, 0);
		assert_eq!((usage.seconds, usage.capacity_seconds), (3 * HOUR, 3 * HOUR - HOUR / 2));
		// Capacity at 50 %: half an hour at $0.005, two hours at $0.01: $0.0225 · 50 %.
		assert_eq!(micro(c.capacity), MicroUsd(11_250));
		// Fee: 1.5 h at $0.1, 1 h at $0.2.
		assert_eq!(micro(c.extra), MicroUsd(350_000));
	}

	#[test]
	fn a_payer_is_admitted_only_out_of_grace_debt_free_and_able_to_prepay() {
		let mut ledger = Ledger::new(1u64, 0);
		// An hour of 1,440 a month is 2.
		assert_eq!(ledger.admits(Some(1_440), 2, HOUR), Ok(()));
		assert_eq!(ledger.admits(Some(1_440), 1, HOUR), Err(Refusal::CannotPrepay));
		ledger.committed = 1;
		assert_eq!(ledger.admits(Some(1_440), 1, HOUR), Ok(()), "the commitment pays too");
		assert_eq!(ledger.admits(None, 0, HOUR), Ok(()), "no price: nothing to check");
		ledger.written_off = 5;
		assert_eq!(ledger.admits(Some(0), u128::MAX, HOUR), Err(Refusal::UnpaidDebt));
		assert!(!ledger.is_empty(), "a debt is kept");
		ledger.grace_since = Some(3);
		assert_eq!(ledger.admits(Some(0), u128::MAX, HOUR), Err(Refusal::InGrace));
	}

	#[test]
	fn discount_tiers_and_their_edges() {
		let m = 1_000;
		assert_eq!(discount_for(1_499, m), Percent::zero());
		assert_eq!(discount_for(1_500, m), Percent::from_percent(20));
		assert_eq!(discount_for(2_999, m), Percent::from_percent(20));
		assert_eq!(discount_for(3_000, m), Percent::from_percent(30));
		assert_eq!(discount_for(5_999, m), Percent::from_percent(30));
		assert_eq!(discount_for(6_000, m), Percent::from_percent(40));
		assert_eq!(discount_for(17_999, m), Percent::from_percent(40));
		assert_eq!(discount_for(18_000, m), Percent::from_percent(60));
		assert_eq!(discount_for(u128::MAX, m), Percent::from_percent(60));
		assert_eq!(discount_for(5, 0), Percent::zero());
	}

	#[test]
	fn a_payment_pays_the_regular_part_first() {
		let mut due = Due { regular: 10, extra: 5 };
		let mut available = 12;
		assert_eq!(due.pay_from(&mut available), Due { regular: 10, extra: 2 });
		assert_eq!((due, available), (Due { regular: 0, extra: 3 }, 0));
	}

	#[test]
	fn shares_of_odd_amounts_sum_to_the_payment() {
		let split = PricingPolicy::reference().split;
		for bill in [0u128, 1, 7, 99, 101, 12_345_679] {
			let paid = Due { regular: bill, extra: 3 };
			let s = Shares::of(
				paid,
				&split,
				&[(1u8, Percent::from_percent(33)), (2, Percent::from_percent(17))],
			);
			assert_eq!(s.total(), paid.total(), "bill {bill}");
			assert_eq!(s.farmer, split.farmer.mul_floor(bill) + 3);
		}
		let s =
			Shares::of(Due { regular: 101, extra: 0 }, &split, &[(1u8, Percent::from_percent(50))]);
		assert_eq!((s.farmer, s.treasury, s.providers_total(), s.burn), (40, 10, 50, 1));
	}

	#[test]
	fn providers_cannot_take_more_than_half() {
		let split = Split { farmer: Percent::from_percent(50), treasury: Percent::zero() };
		let s = Shares::of(
			Due { regular: 100, extra: 0 },
			&split,
			&[(1u8, Percent::from_percent(40)), (2, Percent::from_percent(40))],
		);
		assert_eq!(s.providers, vec![(1, 40), (2, 10)]);
		assert_eq!(s.burn, 0);
	}

	#[test]
	fn policy_checks() {
		let mut p = PricingPolicy::reference();
		assert_eq!(p.check(), Ok(()));
		p.split.farmer = Percent::from_percent(45);
		assert_eq!(p.check(), Err(PolicyError::InvalidShares));
		p = PricingPolicy::reference();
		p.nu = MicroUsd(PricingPolicy::MAX_PRICE.0 + 1);
		assert_eq!(p.check(), Err(PolicyError::PriceTooHigh));
	}
}
