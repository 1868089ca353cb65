//! Billing's domain rules, pure and unit-tested: the pricing policy and its checks, exact USD
//! costs of a contract over time, the holding-discount tiers, what is owed and how a payment
//! pays it, and the revenue split.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::deps::sp_runtime::Percent;
use grid_primitives::{
	money::{Musd, MusdPerTft},
	resources::{CloudUnits, UNIT_SCALE},
	tft, Balance,
};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// An amount of US dollars in millionths: `MicroUsd(1_000_000)` is one dollar (1,000 per mUSD).
/// Prices are this fine because a gateway name costs a fraction of a mUSD per hour.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct MicroUsd(pub u64);

/// Seconds in an hour and in a billing month (30 days, as tfchain).
pub const HOUR: u64 = 3_600;
pub const MONTH: u64 = 30 * 24 * HOUR;

/// An exact USD amount in units of 1/[`Cost::PER_MICRO_USD`] µUSD. Every price × quantity ×
/// seconds this pallet computes is a whole number of these units, so nothing is rounded until a
/// cost becomes TFT (once, up, in [`Cost::to_planck`]).
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct Cost(pub u128);

impl Cost {
	/// 2,592,000 × 10⁶: a month's seconds (the extra fee is per month) times the cloud units'
	/// millionths. Hourly prices then scale by 720 and per-GB prices by 2,592.
	pub const PER_MICRO_USD: u128 = MONTH as u128 * UNIT_SCALE as u128;

	pub fn plus(self, other: Cost) -> Cost {
		Cost(self.0.saturating_add(other.0))
	}

	/// Whole µUSD, rounded down (for display: what was charged is [`Self::to_planck`]).
	pub fn micro_usd(self) -> MicroUsd {
		MicroUsd(u64::try_from(self.0 / Self::PER_MICRO_USD).unwrap_or(u64::MAX))
	}

	/// `percent` of this cost, rounded down (in units far below a planck).
	pub fn percent(self, percent: u8) -> Cost {
		Cost(self.0.saturating_mul(u128::from(percent)) / 100)
	}

	/// TFT (planck) worth this cost at `price`, rounded up: a payer never pays less than the
	/// USD amount, and at most one planck more.
	pub fn to_planck(self, price: MusdPerTft) -> Balance {
		// µUSD → planck: × UNIT / (price · 1,000).
		let denominator = Self::PER_MICRO_USD.saturating_mul(u128::from(price.0).max(1) * 1_000);
		self.0.saturating_mul(tft::UNIT).div_ceil(denominator)
	}
}

/// A contract as it is rated: what it reserves, and whether its node's certification adds the
/// surcharge.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Rated {
	/// A node contract: its reserved capacity (not billed under a rent: `rented`), its IPv4s.
	Node { units: CloudUnits, public_ips: u32, rented: bool, certified: bool },
	/// A rent contract: the whole node, at the rent discount, plus the farmer's monthly fee.
	Rent { units: CloudUnits, extra_fee: Musd, certified: bool },
	/// A gateway name.
	Name,
}

/// What a contract used between two charges: seconds it lived, seconds its node's capacity was
/// up (not charged otherwise), and new public traffic.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct Usage {
	pub seconds: u64,
	pub capacity_seconds: u64,
	pub traffic_bytes: u64,
}

/// A contract's cost: `regular` (discounted and split) and the farmer's `extra` fee (neither).
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct Costs {
	pub regular: Cost,
	pub extra: Cost,
}

impl Costs {
	pub fn plus(self, other: Costs) -> Costs {
		Costs { regular: self.regular.plus(other.regular), extra: self.extra.plus(other.extra) }
	}

	/// The whole cost (display and the discount's measure).
	pub fn total(self) -> Cost {
		self.regular.plus(self.extra)
	}

	/// What a payer owes for these costs with `discount` off the regular part (never off the
	/// extra fee): each part in planck at `price`, rounded up.
	pub fn due(self, discount: Percent, price: MusdPerTft) -> Due {
		let paid = 100u8.saturating_sub(discount.deconstruct());
		Due {
			regular: self.regular.percent(paid).to_planck(price),
			extra: self.extra.to_planck(price),
		}
	}
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
	pub farmer: Percent,
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

	/// The cost of `usage` of a contract rated `rated` under this policy.
	pub fn cost(&self, rated: &Rated, usage: &Usage) -> Costs {
		// Hourly prices × seconds: one hour is 720 · 10⁶ · 3,600 / 3,600 units per µUSD·s…
		let per_hour_second = Cost::PER_MICRO_USD / u128::from(HOUR);
		let hourly = |price: MicroUsd, quantity: u128, seconds: u64| {
			Cost(
				u128::from(price.0)
					.saturating_mul(quantity)
					.saturating_mul(u128::from(seconds))
					.saturating_mul(per_hour_second),
			)
		};
		// …and cloud units are in millionths, which the 10⁶ of the unit absorbs.
		let capacity = |units: &CloudUnits, certified: bool, seconds: u64| {
			let per_unit = |price: MicroUsd, units: u64| {
				Cost(
					u128::from(price.0)
						.saturating_mul(u128::from(units))
						.saturating_mul(u128::from(seconds))
						.saturating_mul(u128::from(MONTH / HOUR)),
				)
			};
			let base = per_unit(self.cu, units.cu).plus(per_unit(self.su, units.su));
			if certified {
				base.plus(base.percent(self.certified_surcharge.deconstruct()))
			} else {
				base
			}
		};
		match rated {
			Rated::Node { units, public_ips, rented, certified } => {
				let mut regular = hourly(self.ipv4, u128::from(*public_ips), usage.seconds);
				if !rented {
					regular = regular.plus(capacity(units, *certified, usage.capacity_seconds));
				}
				// Per GB of 10⁹ bytes: × PER_MICRO_USD / 10⁹ = × 2,592.
				let traffic = Cost(
					u128::from(self.nu.0)
						.saturating_mul(u128::from(usage.traffic_bytes))
						.saturating_mul(Cost::PER_MICRO_USD / 1_000_000_000),
				);
				Costs { regular: regular.plus(traffic), extra: Cost(0) }
			},
			Rated::Rent { units, extra_fee, certified } => {
				let full = capacity(units, *certified, usage.capacity_seconds);
				let paid = 100u8.saturating_sub(self.rent_discount.deconstruct());
				// The fee is mUSD per month: × 1,000 µUSD × PER_MICRO_USD / MONTH per second.
				let extra = Cost(
					u128::from(extra_fee.0)
						.saturating_mul(u128::from(usage.capacity_seconds))
						.saturating_mul(1_000 * Cost::PER_MICRO_USD / u128::from(MONTH)),
				);
				Costs { regular: full.percent(paid), extra }
			},
			Rated::Name => Costs { regular: hourly(self.name, 1, usage.seconds), extra: Cost(0) },
		}
	}

	/// What a contract costs per month when its node is up all the time (no traffic).
	pub fn monthly(&self, rated: &Rated) -> Costs {
		self.cost(rated, &Usage { seconds: MONTH, capacity_seconds: MONTH, traffic_bytes: 0 })
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
	pub regular: Balance,
	pub extra: Balance,
}

impl Due {
	pub fn total(&self) -> Balance {
		self.regular.saturating_add(self.extra)
	}

	pub fn is_zero(&self) -> bool {
		self.total() == 0
	}

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
		*available -= regular;
		let extra = self.extra.min(*available);
		*available -= extra;
		self.regular -= regular;
		self.extra -= extra;
		Due { regular, extra }
	}
}

/// Where a payment goes, in planck: `payer loss = farmer + Σ providers + treasury + burn`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Shares<AccountId> {
	/// The farm's share and the whole extra fee.
	pub farmer: Balance,
	pub providers: alloc::vec::Vec<(AccountId, Balance)>,
	pub treasury: Balance,
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
				left_for_providers -= amount;
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

	pub fn providers_total(&self) -> Balance {
		self.providers.iter().fold(0, |sum, (_, a)| sum.saturating_add(*a))
	}

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
}

impl Default for BillingParams {
	/// 14 days of grace (tfchain's) and 7 days of notice, at 6-second blocks.
	fn default() -> Self {
		BillingParams { grace_period: 14 * 14_400, release_notice: 7 * 14_400 }
	}
}

impl BillingParams {
	pub fn is_valid(&self) -> bool {
		self.grace_period > 0 && self.release_notice > 0
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
	pub current: PricingPolicy,
	pub previous: Option<PricingPolicy>,
	pub changed_at: u64,
	pub changed_in_bucket: u64,
}

impl Default for PolicyState {
	fn default() -> Self {
		Self::new(PricingPolicy::reference())
	}
}

impl PolicyState {
	pub fn new(policy: PricingPolicy) -> Self {
		PolicyState { current: policy, previous: None, changed_at: 0, changed_in_bucket: 0 }
	}

	/// The cost of a contract between `from` and `to` (Unix seconds), capacity counted from
	/// `capacity_from` (`None`: not at all), with `traffic_bytes` of new traffic: each part of
	/// the time at the policy in force then, traffic at the current one.
	pub fn cost(
		&self,
		rated: &Rated,
		from: u64,
		to: u64,
		capacity_from: Option<u64>,
		traffic_bytes: u64,
	) -> (Costs, Usage) {
		let usage = |a: u64, b: u64, traffic_bytes: u64| Usage {
			seconds: b.saturating_sub(a),
			capacity_seconds: capacity_from.map_or(0, |s| b.saturating_sub(a.max(s))),
			traffic_bytes,
		};
		let whole = usage(from, to, traffic_bytes);
		match self.previous {
			Some(previous) if from < self.changed_at => {
				let cut = self.changed_at.min(to);
				let before = previous.cost(rated, &usage(from, cut, 0));
				let after = self.current.cost(rated, &usage(cut, to, traffic_bytes));
				(before.plus(after), whole)
			},
			_ => (self.current.cost(rated, &whole), whole),
		}
	}
}

/// A payer: its account, how many live contracts it pays for, the TFT it committed (and a
/// release it asked for), since when it is in grace, and its discount (measured at each
/// charge).
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Ledger<AccountId> {
	pub account: AccountId,
	/// The bucket it is charged in.
	pub bucket: u32,
	pub contracts: u32,
	pub committed: Balance,
	pub releasing: Option<Release>,
	pub grace_since: Option<u32>,
	pub discount: Percent,
}

impl<AccountId> Ledger<AccountId> {
	pub fn new(account: AccountId, bucket: u32) -> Self {
		Ledger {
			account,
			bucket,
			contracts: 0,
			committed: 0,
			releasing: None,
			grace_since: None,
			discount: Percent::zero(),
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

	/// Nothing to keep: no contracts, nothing held.
	pub fn is_empty(&self) -> bool {
		self.contracts == 0 && self.committed == 0
	}
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
	pub amount: Balance,
	pub at: u32,
}

/// A live contract's billing record: charged up to `since` at least (its bucket's runs may be
/// later), traffic charged so far (capacity's running total), and what it owes.
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
	pub since: u64,
	pub traffic_billed: u64,
	pub debt: Due,
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
	pub next: u64,
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
	pub from: u64,
	pub to: u64,
	pub last: Option<u32>,
}

#[cfg(test)]
mod tests {
	use super::*;
	use grid_primitives::resources::{Resources, GIB};

	fn units(cu: u64, su: u64) -> CloudUnits {
		CloudUnits { cu: cu * UNIT_SCALE, su: su * UNIT_SCALE }
	}

	fn hour() -> Usage {
		Usage { seconds: HOUR, capacity_seconds: HOUR, traffic_bytes: 0 }
	}

	#[test]
	fn an_hour_of_a_node_contract_costs_its_units_ips_and_traffic() {
		let p = PricingPolicy::reference();
		let rated =
			Rated::Node { units: units(2, 1), public_ips: 1, rented: false, certified: false };
		let usage = Usage { traffic_bytes: 2_000_000_000, ..hour() };
		// 2 CU $0.02 + 1 SU $0.005 + 1 IP $0.004 + 2 GB $0.003 = $0.032.
		assert_eq!(p.cost(&rated, &usage).regular.micro_usd(), MicroUsd(32_000));
		assert_eq!(p.cost(&rated, &usage).regular.0 % Cost::PER_MICRO_USD, 0);
		// Under a rent only the IP and the traffic.
		let rented =
			Rated::Node { units: units(2, 1), public_ips: 1, rented: true, certified: false };
		assert_eq!(p.cost(&rented, &usage).regular.micro_usd(), MicroUsd(7_000));
	}

	#[test]
	fn downtime_is_not_charged_for_capacity_but_ips_are() {
		let p = PricingPolicy::reference();
		let rated =
			Rated::Node { units: units(1, 0), public_ips: 1, rented: false, certified: false };
		let down = Usage { seconds: HOUR, capacity_seconds: 0, traffic_bytes: 0 };
		assert_eq!(p.cost(&rated, &down).regular.micro_usd(), MicroUsd(4_000));
		let half = Usage { seconds: HOUR, capacity_seconds: HOUR / 2, traffic_bytes: 0 };
		assert_eq!(p.cost(&rated, &half).regular.micro_usd(), MicroUsd(4_000 + 5_000));
	}

	#[test]
	fn rent_pays_the_discounted_node_and_the_whole_extra_fee() {
		let p = PricingPolicy::reference();
		let rated = Rated::Rent { units: units(8, 4), extra_fee: Musd(72_000), certified: false };
		let c = p.cost(&rated, &hour());
		// (8 · $0.01 + 4 · $0.005) · 50 % = $0.05; $72 a month is $0.1 an hour.
		assert_eq!(c.regular.micro_usd(), MicroUsd(50_000));
		assert_eq!(c.extra.micro_usd(), MicroUsd(100_000));
		let certified = Rated::Rent { units: units(8, 4), extra_fee: Musd(0), certified: true };
		assert_eq!(p.cost(&certified, &hour()).regular.micro_usd(), MicroUsd(62_500));
	}

	#[test]
	fn a_name_costs_its_price_per_second_exactly() {
		let p = PricingPolicy::reference();
		let one = p.cost(&Rated::Name, &Usage { seconds: 1, ..Default::default() });
		// $0.00025 an hour: 250/3,600 µUSD a second, exact in cost units.
		assert_eq!(one.regular.0 * 3_600, 250 * Cost::PER_MICRO_USD);
	}

	#[test]
	fn the_node_units_come_from_the_one_formula() {
		let r = Resources { cru: 4, mru: 9 * GIB, sru: 100 * GIB, hru: 1_200 * GIB };
		let u = r.cloud_units();
		assert_eq!(u, CloudUnits { cu: 2 * UNIT_SCALE, su: 14 * UNIT_SCALE / 10 });
	}

	#[test]
	fn costs_become_planck_rounded_up_once() {
		// $1 at $0.08 is 12.5 TFT.
		let dollar = Cost(1_000_000 * Cost::PER_MICRO_USD);
		assert_eq!(dollar.to_planck(MusdPerTft(80)), 125_000_000);
		// One unit more rounds up to one planck more.
		assert_eq!(Cost(dollar.0 + 1).to_planck(MusdPerTft(80)), 125_000_001);
		assert_eq!(Cost(0).to_planck(MusdPerTft(80)), 0);
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
