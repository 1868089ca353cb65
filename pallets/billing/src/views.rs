//! The view functions: a prospective contract's price, a contract's billing, a payer's outlook.

use crate::{charge::Charger, pallet::*, types::*, Config};
use codec::{Decode, DecodeWithMemTracking, Encode};
use frame::{deps::sp_runtime::Percent, prelude::*};
use grid_primitives::{
	contracts::{ContractLifecycle, ExtraFee},
	money::TftPriceOracle,
	money::{MicroUsd, Musd, MusdPerTft, HOUR},
	registry::{ContractId, GridRegistry, NodeId, TwinId},
	resources::Resources,
	Balance,
};
use scale_info::TypeInfo;

/// A contract one might create, for [`Pallet::quote`].
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum Prospective {
	/// A deployment of `resources` with `public_ips` IPv4s on `node_id` (at the shared price:
	/// on a node you rent, only the IPs and traffic are charged).
	Node {
		/// The node to deploy on.
		node_id: NodeId,
		/// The capacity to reserve.
		resources: Resources,
		/// How many public IPv4s to reserve.
		public_ips: u32,
	},
	/// The whole of `node_id`, with the farmer's extra fee it has now.
	Rent {
		/// The node to rent.
		node_id: NodeId,
	},
	/// A gateway name.
	Name,
}

/// What a contract costs with its node up and no traffic (a rent with its node's extra fee):
/// before the discount in USD, after it in TFT (planck) at `price`.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct Quote {
	/// Cost per hour before the discount, µUSD.
	pub usd_per_hour: MicroUsd,
	/// Cost per 30-day month before the discount, µUSD.
	pub usd_per_month: MicroUsd,
	/// Cost per hour after the discount, planck at `price`.
	pub tft_per_hour: Balance,
	/// Cost per 30-day month after the discount, planck at `price`.
	pub tft_per_month: Balance,
	/// The twin's holding discount with this contract added; zero without a twin or a payer.
	pub discount: Percent,
	/// The farmer's monthly extra fee included (a rent's; name it as the rent's maximum).
	pub extra_fee: Musd,
	/// The oracle's billing price the TFT amounts are at, mUSD per TFT.
	pub price: MusdPerTft,
	/// Whether the oracle trusts the price: charging passes wait for a trusted one.
	pub trustworthy: bool,
}

/// A live contract's billing state.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct ContractBilling {
	/// The twin paying for it.
	pub twin_id: TwinId,
	/// Charged up to here (Unix seconds).
	pub charged_until: u64,
	/// What it owes (planck): the regular part and the farmer's extra fee.
	pub debt: Due,
	/// Since which block its payer is in grace.
	pub grace_since: Option<u32>,
	/// Its payer's holding discount, as measured at its last charge.
	pub discount: Percent,
}

/// A payer's outlook at today's prices and discount, its nodes up, no traffic.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct PayerOutlook {
	/// How many live contracts it pays for.
	pub contracts: u32,
	/// Its contracts' cost per 30-day month before the discount, µUSD.
	pub usd_per_month: MicroUsd,
	/// The same after the discount, planck at the oracle's billing price.
	pub tft_per_month: Balance,
	/// Its holding discount at today's prices and commitment.
	pub discount: Percent,
	/// What it owes, planck: its contracts' debt and written-off debt.
	pub debt: Balance,
	/// What it can pay with: the free balance (keeping the account alive) and the commitment.
	pub free: Balance,
	/// TFT it has committed to billing, planck (a pending release included).
	pub committed: Balance,
	/// Days it can pay for (`None` when it pays nothing).
	pub runway_days: Option<u64>,
}

impl<T: Config> Pallet<T> {
	pub(crate) fn quote_for(contract: Prospective, twin: Option<TwinId>) -> Option<Quote> {
		let mut charger = Charger::<T>::any_price()?;
		let trustworthy = T::Price::billing_price().is_some_and(|q| q.trustworthy);
		let mut extra_fee = Musd(0);
		let rated = match contract {
			Prospective::Node { node_id, resources, public_ips } => {
				let certified = charger.node(node_id).certified;
				T::Registry::node(node_id)?;
				Rated::Node { units: resources.cloud_units(), public_ips, rented: false, certified }
			},
			Prospective::Rent { node_id } => {
				let node = T::Registry::node(node_id)?;
				let certified = charger.node(node_id).certified;
				extra_fee = T::Contracts::extra_fee(node_id);
				Rated::Rent {
					units: node.resources.cloud_units(),
					extra_fee: ExtraFee::agreed(extra_fee),
					certified,
				}
			},
			Prospective::Name => Rated::Name,
		};
		let policy = charger.policy.current;
		let monthly = policy.monthly(&rated, charger.now);
		let hourly = policy
			.time_cost(&rated, HOUR)
			.plus(policy.capacity_cost(&rated, extra_fee, HOUR));
		let discount = match twin.and_then(|t| Some((t, Self::ledger(t)?))) {
			Some((twin, ledger)) => {
				let lines = charger.idle_lines(Meters::<T>::iter_prefix(twin));
				let all = Charger::<T>::monthly(&lines).plus(monthly);
				charger.discount(&ledger, all)
			},
			None => Percent::zero(),
		};
		let tft = |c: Costs| c.due(discount, charger.price).total();
		let quote = Quote {
			usd_per_hour: hourly.total().micro_usd(),
			usd_per_month: monthly.total().micro_usd(),
			tft_per_hour: tft(hourly),
			tft_per_month: tft(monthly),
			discount,
			extra_fee,
			price: charger.price,
			trustworthy,
		};
		charger.pay_out();
		Some(quote)
	}

	pub(crate) fn billing_of(contract: ContractId) -> Option<ContractBilling> {
		let twin = MeterOwner::<T>::get(contract)?;
		let meter = Meters::<T>::get(twin, contract)?;
		let ledger = Self::ledger(twin)?;
		Some(ContractBilling {
			twin_id: twin,
			charged_until: meter.since.max(Self::charged_until(twin, ledger.bucket)),
			debt: meter.debt,
			grace_since: ledger.grace_since,
			discount: ledger.discount,
		})
	}

	pub(crate) fn outlook_of(twin: TwinId) -> Option<PayerOutlook> {
		let ledger = Self::ledger(twin)?;
		let mut charger = Charger::<T>::any_price()?;
		let lines = charger.idle_lines(Meters::<T>::iter_prefix(twin));
		let monthly = Charger::<T>::monthly(&lines);
		let discount = charger.discount(&ledger, monthly);
		let tft_per_month = monthly.due(discount, charger.price).total();
		let debt = lines
			.iter()
			.fold(ledger.written_off, |sum: Balance, l| sum.saturating_add(l.meter.debt.total()));
		charger.pay_out();
		let free = Self::free_of(&ledger.account);
		let funds = free.saturating_add(ledger.committed).saturating_sub(debt);
		let runway_days = (tft_per_month > 0).then(|| {
			let days = funds.saturating_mul(30).checked_div(tft_per_month).unwrap_or_default();
			u64::try_from(days).unwrap_or(u64::MAX)
		});
		Some(PayerOutlook {
			contracts: ledger.contracts,
			usd_per_month: monthly.total().micro_usd(),
			tft_per_month,
			discount,
			debt,
			free,
			committed: ledger.committed,
			runway_days,
		})
	}
}
