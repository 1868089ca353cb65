//! Charging: the pass over buckets in `on_initialize`, one payer's charge, a single contract's
//! settlement, and paying what is owed (split, credited, burned).
//!
//! Each payer pays as it is charged, into the run's [`Pot`]; the pot pays the farmers,
//! providers and treasury once, at the end of the run ([`Charger::pay_out`], which every run
//! calls explicitly), and burns the rest. A block's charges thus write each credited account
//! once, not once per payer, and the issuance once. What payers paid for each node's network
//! (fully paid charges only) is told to minting once per node and run.

use crate::{pallet::*, types::*, Config, WeightInfo};
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use frame::{
	deps::{frame_support::storage::with_storage_layer, sp_runtime::Percent},
	prelude::*,
	traits::{
		fungible::{Balanced, Credit, Inspect, MutateHold},
		tokens::{imbalance::Imbalance, Fortitude, Precision, Preservation},
	},
};
use grid_primitives::{
	contracts::{
		BillableKind, ContractLifecycle, ContractState, EndCause, NetworkRevenue, NetworkUsage,
		PaidNetwork, ProviderId,
	},
	liveness::{NodeLiveness, Timeline, Window},
	money::{mul_div, MusdPerTft, Rounding, TftPriceOracle, Usd},
	registry::{ContractId, GridRegistry, NodeCertification, NodeId, TwinId},
	Balance,
};

/// What charges need to know about a node.
#[derive(Clone)]
pub(crate) struct NodeView<AccountId> {
	/// The farm's payout account.
	pub payout: Option<AccountId>,
	pub certified: bool,
	/// When it was up, as its reports settled it (`None`: never tracked, never up).
	pub timeline: Option<Timeline>,
}

impl<AccountId> NodeView<AccountId> {
	/// Seconds of `[from, to)` the node was up, those no report settled yet counted as up when
	/// `tail_up` (see [`Timeline::up_after_settled`]).
	pub fn up(&self, from: u64, to: u64, tail_up: bool) -> u64 {
		self.timeline.as_ref().map_or(0, |t| t.up_with_tail(from, to, tail_up))
	}

	/// Whether a contract settled at `now` counts the node's unsettled seconds as up.
	pub fn up_after_settled(&self, now: u64, delay: u64) -> bool {
		self.timeline.as_ref().is_some_and(|t| t.up_after_settled(now, delay))
	}
}

/// What a run of charges reads once (policy, price, clock, and each node and provider it met)
/// and the money its payers paid, until [`Charger::pay_out`].
#[must_use = "a charger holds payments until `pay_out`"]
pub(crate) struct Charger<T: Config> {
	pub policy: PolicyState,
	pub price: MusdPerTft,
	pub now: u64,
	pub block: u32,
	/// Capacity is charged this far behind the clock (minting's settle delay).
	pub delay: u64,
	nodes: BTreeMap<NodeId, NodeView<T::AccountId>>,
	providers: BTreeMap<ProviderId, Vec<(T::AccountId, Percent)>>,
	pot: Pot<T>,
	/// What payers paid for each node's network in this run, told to minting at the end.
	network: BTreeMap<NodeId, PaidNetwork>,
}

/// How much of a charge's work was new to its run: what [`Charger`] had not read or credited
/// before (each is paid for once per run).
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct Met {
	/// Nodes read for the first time in the run.
	pub nodes: u32,
	/// Solution providers whose shares were read for the first time in the run.
	pub providers: u32,
	/// Farm payout and solution provider accounts credited for the first time in the run.
	pub accounts: u32,
}

impl Met {
	/// What was met after `before`.
	pub fn since(self, before: Met) -> Met {
		Met {
			nodes: self.nodes.saturating_sub(before.nodes),
			providers: self.providers.saturating_sub(before.providers),
			accounts: self.accounts.saturating_sub(before.accounts),
		}
	}

	/// The most a payer of `contracts` contracts can meet: each on its own node with its own
	/// provider, every farm and provider account new.
	pub fn most(contracts: u32) -> Self {
		let per_contract = 1 + grid_primitives::contracts::MAX_PROVIDER_ACCOUNTS;
		Met {
			nodes: contracts,
			providers: contracts,
			accounts: contracts.saturating_mul(per_contract),
		}
	}
}

/// One contract in a charge.
pub(crate) struct Line<T: Config> {
	pub contract: ContractId,
	/// Its record before the charge, and after.
	pub before: Meter,
	pub meter: Meter,
	pub state: ContractState<BlockNumberFor<T>>,
	/// Moved into and out of grace by its own call (a rent carries its node contracts).
	pub top_level: bool,
	pub costs: Costs,
	pub usage: Usage,
	/// Its cost for a month at full price, for the discount.
	pub monthly: Costs,
	/// Its node (none for a name).
	pub node: Option<NodeId>,
	/// The public IPv4s it holds.
	pub public_ips: u32,
	/// This charge after the discount.
	pub new_due: Due,
	/// Where the farmer's share goes (`None`: the treasury).
	pub payout: Option<T::AccountId>,
	pub providers: Vec<(T::AccountId, Percent)>,
	/// What was paid of its debt and this charge, and where it went.
	pub paid: Due,
	pub shares: Shares<T::AccountId>,
}

/// A grace change for a payer's contracts after a charge.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Transition {
	StartGrace,
	EndGrace,
	OutOfFunds,
}

impl Transition {
	/// Whether it moves a contract now in `state`.
	pub fn changes<B>(self, state: &ContractState<B>) -> bool {
		let in_grace = matches!(state, ContractState::GracePeriod { .. });
		match self {
			Transition::StartGrace => !in_grace,
			Transition::EndGrace => in_grace,
			Transition::OutOfFunds => true,
		}
	}
}

impl<T: Config> Charger<T> {
	/// A charger for charges: `None` while the oracle's price is missing or not trusted —
	/// nothing is charged then, and the time keeps accruing for the next charge at a trusted
	/// price.
	pub fn new() -> Option<Self> {
		let quote = T::Price::billing_price()?;
		quote.trustworthy.then(|| Self::at_price(quote.price))
	}

	/// A charger at the oracle's price, trusted or not (quotes, debt already in planck); `None`
	/// before the oracle has any price.
	pub fn any_price() -> Option<Self> {
		T::Price::billing_price().map(|q| Self::at_price(q.price))
	}

	fn at_price(price: MusdPerTft) -> Self {
		Charger {
			policy: Policy::<T>::get(),
			price,
			now: Pallet::<T>::now_secs(),
			block: Pallet::<T>::current_block(),
			delay: T::Liveness::settle_delay(),
			nodes: BTreeMap::new(),
			providers: BTreeMap::new(),
			pot: Pot::default(),
			network: BTreeMap::new(),
		}
	}

	/// What the run has met so far (compare two to see what a charge met).
	pub fn met(&self) -> Met {
		let len = |n: usize| n.try_into().unwrap_or(u32::MAX);
		Met {
			nodes: len(self.nodes.len()),
			providers: len(self.providers.len()),
			accounts: len(self.pot.book.credits.len()),
		}
	}

	/// Takes `book`'s total from `payer` into the run's pot, `from_hold` of it out of its
	/// commitment first: all of it, or nothing (and the error).
	pub fn take(
		&mut self,
		payer: &T::AccountId,
		from_hold: Balance,
		book: Book<T>,
	) -> DispatchResult {
		self.pot.take(payer, from_hold, book)
	}

	/// How many accounts `lines` would credit that the run has not credited yet (at most: a
	/// line that owes nothing credits nobody).
	pub fn new_accounts(&self, lines: &[Line<T>]) -> u32 {
		let mut new = alloc::collections::btree_set::BTreeSet::new();
		for line in lines.iter().filter(|l| !l.meter.debt.plus(l.new_due).is_zero()) {
			let accounts = line.payout.iter().chain(line.providers.iter().map(|(who, _)| who));
			for who in accounts {
				if !self.pot.book.credits.contains_key(who) {
					new.insert(who.clone());
				}
			}
		}
		new.len().try_into().unwrap_or(u32::MAX)
	}

	/// Pays out what the run's payers paid, and tells minting what they paid for each node's
	/// network.
	pub fn pay_out(mut self) {
		self.pot.pay_out();
		for (node, paid) in core::mem::take(&mut self.network) {
			T::Revenue::collected(node, paid);
		}
	}

	pub fn node(&mut self, node_id: NodeId) -> NodeView<T::AccountId> {
		if let Some(view) = self.nodes.get(&node_id) {
			return view.clone();
		}
		let view = match T::Registry::node(node_id) {
			Some(node) => NodeView {
				payout: T::Registry::farm(node.farm_id).map(|f| f.payout),
				certified: node.certification == NodeCertification::Certified,
				timeline: T::Liveness::timeline(node_id),
			},
			None => NodeView { payout: None, certified: false, timeline: None },
		};
		self.nodes.insert(node_id, view.clone());
		view
	}

	pub fn providers(&mut self, provider: ProviderId) -> Vec<(T::AccountId, Percent)> {
		self.providers
			.entry(provider)
			.or_insert_with(|| T::Contracts::provider_shares(provider))
			.clone()
	}

	/// `contract` charged from `from` to `to`, and its new traffic if `with_traffic`. Its
	/// capacity is charged the settle delay behind (from its `capacity_since`), or up to `to`
	/// when it is `settled` (it changes or ends now: the seconds since its node's last report
	/// continue that report's state if the node reports on time).
	/// `None` for a contract capacity does not know (it ended).
	pub fn line(
		&mut self,
		contract: ContractId,
		meter: Meter,
		from: u64,
		to: u64,
		with_traffic: bool,
		settled: bool,
	) -> Option<Line<T>> {
		let b = T::Contracts::billable(contract)?;
		let mut traffic_total = meter.traffic_billed;
		let (rated, node_id, top_level) = match b.kind {
			BillableKind::Node { node_id, resources, public_ips, rented } => {
				if with_traffic {
					traffic_total = T::Network::contract_traffic(contract);
				}
				let certified = self.node(node_id).certified;
				let units = resources.cloud_units();
				(Rated::Node { units, public_ips, rented, certified }, Some(node_id), !rented)
			},
			BillableKind::Rent { node_id, resources, extra_fee } => {
				let certified = self.node(node_id).certified;
				let units = resources.cloud_units();
				(Rated::Rent { units, extra_fee, certified }, Some(node_id), true)
			},
			BillableKind::Name => (Rated::Name, None, true),
		};
		let node = node_id.map(|n| self.node(n));
		let traffic = traffic_total.saturating_sub(meter.traffic_billed);
		let capacity_to = if settled { to } else { to.saturating_sub(self.delay) };
		let capacity_from = meter.capacity_since.max(from.saturating_sub(self.delay));
		let tail_up = settled && node.as_ref().is_some_and(|v| v.up_after_settled(to, self.delay));
		let up = |a: u64, b: u64| node.as_ref().map_or(0, |v| v.up(a, b, tail_up));
		let (costs, usage) = self.policy.cost(
			&rated,
			Window::new(from, to),
			Window::new(capacity_from, capacity_to),
			up,
			traffic,
		);
		let providers = b.solution_provider.map(|p| self.providers(p)).unwrap_or_default();
		let mut after = meter;
		after.traffic_billed = traffic_total.max(meter.traffic_billed);
		Some(Line {
			contract,
			before: meter,
			meter: after,
			state: b.state,
			top_level,
			costs,
			usage,
			monthly: self.policy.current.monthly(&rated, self.now),
			node: node_id,
			public_ips: rated.public_ips(),
			new_due: Due::default(),
			payout: node.and_then(|v| v.payout),
			providers,
			paid: Due::default(),
			shares: Shares::default(),
		})
	}

	/// `meters`' contracts charged for no time: their monthly cost, debt, payout and providers.
	pub fn idle_lines(
		&mut self,
		meters: impl IntoIterator<Item = (ContractId, Meter)>,
	) -> Vec<Line<T>> {
		meters
			.into_iter()
			.filter_map(|(c, m)| self.line(c, m, m.since, m.since, false, false))
			.collect()
	}

	/// What `line` costs after `discount` (on the regular part), in planck, rounded up.
	pub fn due(&self, line: &Line<T>, discount: Percent) -> Due {
		line.costs.due(discount, self.price)
	}

	/// What `lines` cost a month at full price.
	pub fn monthly(lines: &[Line<T>]) -> Costs {
		lines.iter().fold(Costs::default(), |sum, l| sum.plus(l.monthly))
	}

	/// The payer's discount for `monthly` of contracts and its commitment, measured on what it
	/// applies to: capacity, IPv4s and names, not the extra fee.
	pub fn discount(&self, ledger: &LedgerOf<T>, monthly: Costs) -> Percent {
		discount_for(ledger.counted(), self.to_planck(monthly.discountable()))
	}

	/// `usd` in planck at the charger's price, rounded up (what it would cost).
	pub fn to_planck(&self, usd: Usd) -> Balance {
		self.price.to_planck(usd, Rounding::Up).unwrap_or(Balance::MAX)
	}

	/// Pays each line's debt and new charge, in order, from the payer's free balance and then
	/// its commitment, as far as they go; what is left stays as the line's debt. The money goes
	/// into the run's pot; emits one [`Event::Charged`] per line that changed.
	pub fn collect(&mut self, twin: TwinId, ledger: &mut LedgerOf<T>, lines: &mut [Line<T>]) {
		let free = Pallet::<T>::free_of(&ledger.account);
		let mut available = free.saturating_add(ledger.committed);
		let split = self.policy.current.split;
		let mut book = Book::<T>::default();
		for line in lines.iter_mut() {
			let mut owed = line.meter.debt.plus(line.new_due);
			line.paid = owed.pay_from(&mut available);
			line.meter.debt = owed;
			line.shares = Shares::of(line.paid, &split, &line.providers);
			if line.payout.is_none() {
				line.shares = core::mem::take(&mut line.shares).without_farmer();
			}
			book.add(line.payout.clone(), &line.shares);
		}
		let paid = book.total();
		let from_hold = paid.saturating_sub(free);
		match self.take(&ledger.account, from_hold, book) {
			Ok(()) => {
				ledger.spend_committed(from_hold);
				ledger.earn_credit(paid, self.to_planck(ledger.monthly));
				self.count_network(ledger.discount, lines);
			},
			Err(e) => {
				// Nothing moved: all is owed.
				log::error!(target: "runtime::billing", "payment of {twin} failed, left owed: {e:?}");
				for line in lines.iter_mut() {
					line.meter.debt = line.meter.debt.plus(line.paid);
					line.paid = Due::default();
					line.shares = Shares::default();
				}
			},
		}
		for line in lines.iter() {
			if line.usage.seconds == 0 && line.paid.is_zero() && line.new_due.is_zero() {
				continue;
			}
			Pallet::<T>::deposit_event(Event::Charged {
				contract_id: line.contract,
				twin_id: twin,
				seconds: line.usage.seconds,
				capacity_seconds: line.usage.capacity_seconds,
				traffic_bytes: line.usage.traffic_bytes,
				usd: line.costs.total().micro_usd(),
				discount: ledger.discount,
				amount: line.new_due.total(),
				paid: line.paid.total(),
				farmer: line.shares.farmer,
				providers: line.shares.providers_total(),
				treasury: line.shares.treasury,
				burned: line.shares.burn,
				debt: line.meter.debt.total(),
			});
		}
	}
}

impl<T: Config> Charger<T> {
	/// Counts what fully paid lines paid for their node's network (usage still owed, in grace
	/// or later written off, never counts), and the part of it that was burned: the line's
	/// burn in proportion, rounded down.
	fn count_network(&mut self, discount: Percent, lines: &[Line<T>]) {
		for line in lines.iter().filter(|l| l.meter.debt.is_zero() && !l.new_due.is_zero()) {
			let Some(node) = line.node else { continue };
			let paid = line.costs.network_planck(discount, self.price);
			let burned =
				mul_div(paid, line.shares.burn, line.paid.regular, Rounding::Down).unwrap_or(0);
			let usage = PaidNetwork {
				traffic_bytes: line.usage.traffic_bytes.into(),
				ipv4_seconds: u128::from(line.public_ips).saturating_mul(line.usage.seconds.into()),
				paid,
				burned: burned.min(paid),
			};
			if usage.paid > 0 {
				let total = self.network.entry(node).or_default();
				*total = total.plus(usage);
			}
		}
	}
}

/// Where payments go: credits added up per account, the treasury's share and the burn.
pub(crate) struct Book<T: Config> {
	credits: BTreeMap<T::AccountId, Balance>,
	treasury: Balance,
	burn: Balance,
}

impl<T: Config> Default for Book<T> {
	fn default() -> Self {
		Book { credits: BTreeMap::new(), treasury: 0, burn: 0 }
	}
}

impl<T: Config> Book<T> {
	pub fn credit(&mut self, who: T::AccountId, amount: Balance) {
		if amount > 0 {
			let entry = self.credits.entry(who).or_default();
			*entry = entry.saturating_add(amount);
		}
	}

	pub fn add(&mut self, payout: Option<T::AccountId>, shares: &Shares<T::AccountId>) {
		if let Some(farmer) = payout {
			self.credit(farmer, shares.farmer);
		}
		for (who, amount) in &shares.providers {
			self.credit(who.clone(), *amount);
		}
		self.treasury = self.treasury.saturating_add(shares.treasury);
		self.burn = self.burn.saturating_add(shares.burn);
	}

	fn merge(&mut self, other: Book<T>) {
		for (who, amount) in other.credits {
			self.credit(who, amount);
		}
		self.treasury = self.treasury.saturating_add(other.treasury);
		self.burn = self.burn.saturating_add(other.burn);
	}

	pub fn total(&self) -> Balance {
		self.credits
			.values()
			.fold(self.treasury.saturating_add(self.burn), |sum, a| sum.saturating_add(*a))
	}
}

/// The money a run's payers paid, taken out of their accounts and not yet paid out: what the
/// book says it owes, exactly (`taken` = book total).
pub(crate) struct Pot<T: Config> {
	taken: Option<Credit<T::AccountId, T::Currency>>,
	book: Book<T>,
}

impl<T: Config> Default for Pot<T> {
	fn default() -> Self {
		Pot { taken: None, book: Book::default() }
	}
}

impl<T: Config> Pot<T> {
	fn take(&mut self, payer: &T::AccountId, from_hold: Balance, book: Book<T>) -> DispatchResult {
		let total = book.total();
		if total == 0 {
			return Ok(());
		}
		let credit = with_storage_layer(|| {
			if from_hold > 0 {
				let reason = HoldReason::Commitment.into();
				T::Currency::release(&reason, payer, from_hold, Precision::Exact)?;
			}
			T::Currency::withdraw(
				payer,
				total,
				Precision::Exact,
				Preservation::Preserve,
				Fortitude::Polite,
			)
		})?;
		self.taken = Some(match self.taken.take() {
			Some(taken) => taken.merge(credit),
			None => credit,
		});
		self.book.merge(book);
		Ok(())
	}

	/// Credits each account its total; a credit that cannot open its account (below the
	/// existential deposit) goes to the treasury; a treasury share that cannot, and the burn,
	/// leave the issuance.
	fn pay_out(&mut self) {
		let Some(mut taken) = self.taken.take() else { return };
		let book = core::mem::take(&mut self.book);
		let (mut accounts, mut credited, mut treasury) = (0u32, 0 as Balance, book.treasury);
		for (who, amount) in book.credits {
			match T::Currency::resolve(&who, taken.extract(amount)) {
				Ok(()) => {
					accounts = accounts.saturating_add(1);
					credited = credited.saturating_add(amount);
				},
				Err(back) => {
					taken.subsume(back);
					treasury = treasury.saturating_add(amount);
					Pallet::<T>::deposit_event(Event::CreditRedirected { intended: who, amount });
				},
			}
		}
		if treasury > 0 {
			if let Err(back) =
				T::Currency::resolve(&T::TreasuryAccount::get(), taken.extract(treasury))
			{
				taken.subsume(back);
				treasury = 0;
			}
		}
		// Dropping what is left takes it out of the issuance.
		let burned = taken.peek();
		drop(taken);
		Pallet::<T>::deposit_event(Event::PaidOut { accounts, credited, treasury, burned });
	}
}

impl<T: Config> Pallet<T> {
	/// What `who` can pay from its free balance, keeping its account alive.
	pub(crate) fn free_of(who: &T::AccountId) -> Balance {
		T::Currency::reducible_balance(who, Preservation::Preserve, Fortitude::Polite)
	}

	/// `on_initialize`: charges the buckets due by block `n` within [`Config::ChargeBudget`],
	/// then pays out what the payers paid.
	pub(crate) fn charge_due(n: u32) -> Weight {
		let mut used = T::WeightInfo::charge_idle();
		let cursor = Cursor::<T>::get();
		if cursor.next > u64::from(n) {
			return used;
		}
		let Some(mut charger) = Charger::<T>::new() else {
			// No trusted price: only the oracle was read, and nothing is charged.
			return used.saturating_add(T::Price::billing_price_weight());
		};
		used.saturating_accrue(T::WeightInfo::charge_start());
		used.saturating_accrue(T::WeightInfo::pay_out(0));
		let used = Self::charge_buckets(&mut charger, cursor, n, used);
		charger.pay_out();
		used
	}

	/// Charges payer after payer of the due buckets while the budget lasts; returns the weight
	/// used, `used` included.
	fn charge_buckets(
		charger: &mut Charger<T>,
		mut cursor: ChargeCursor,
		n: u32,
		mut used: Weight,
	) -> Weight {
		let budget = T::ChargeBudget::get();
		let pass = u64::from(PassBlocks::<T>::get().max(1));
		// No payer charged yet in this block (the first one goes even if it is too big), and
		// no bucket started yet (the first one always starts).
		let mut first = true;
		let mut started = false;
		while cursor.next <= u64::from(n) {
			let bucket = cursor.next.checked_rem(pass).unwrap_or_default() as u32;
			let mut run = match cursor.run {
				Some(run) => run,
				None => {
					// A chain that fell behind catches up bucket by bucket, within the budget.
					let start = T::WeightInfo::charge_start();
					if started && !used.saturating_add(start).all_lte(budget) {
						break;
					}
					started = true;
					used.saturating_accrue(start);
					let from = BucketCharged::<T>::get(bucket);
					BucketCharged::<T>::insert(bucket, charger.now);
					Run { from, to: charger.now, last: None }
				},
			};
			cursor.run = Some(run);
			Cursor::<T>::put(cursor);
			loop {
				let next = match run.last {
					Some(last) => Payers::<T>::iter_prefix_from(
						bucket,
						Payers::<T>::hashed_key_for(bucket, last),
					)
					.next(),
					None => Payers::<T>::iter_prefix(bucket).next(),
				};
				let Some((twin, ledger)) = next else { break };
				let left = budget.saturating_sub(used);
				match Self::charge_payer(charger, &mut cursor, twin, ledger, left, first) {
					Ok(weight) => {
						used.saturating_accrue(weight);
						first = false;
						run = cursor.run.unwrap_or(run);
					},
					Err(read) => {
						// Does not fit: the next block starts with this payer.
						used.saturating_accrue(read);
						Cursor::<T>::put(cursor);
						return used;
					},
				}
			}
			cursor.run = None;
			cursor.next = cursor.next.saturating_add(1);
			Cursor::<T>::put(cursor);
		}
		used
	}

	/// The weight of charging a payer of `contracts` contracts on nodes the run has met (its
	/// ledger read by the pass included), plus what was new to the run.
	pub fn payer_weight(contracts: u32, met: Met) -> Weight {
		let per_account = T::WeightInfo::pay_out(1).saturating_sub(T::WeightInfo::pay_out(0));
		let per_node = T::WeightInfo::meet_node().saturating_add(T::Revenue::collected_weight());
		T::WeightInfo::charge_payer(contracts)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(per_node.saturating_mul(met.nodes.into()))
			.saturating_add(T::WeightInfo::meet_provider().saturating_mul(met.providers.into()))
			.saturating_add(per_account.saturating_mul(met.accounts.into()))
	}

	/// The most charging a payer of `contracts` contracts can weigh, before any of them move
	/// into or out of grace or end.
	pub fn payer_max_weight(contracts: u32) -> Weight {
		Self::payer_weight(contracts, Met::most(contracts))
	}

	/// Charges every contract of `twin` in its bucket's run, pays what it can, and moves its
	/// contracts into or out of grace, or ends them. `Err(weight spent)` if the work does not fit
	/// in `left` (nothing changed); a payer that is first in its block goes anyway. The reads
	/// must fit before they are made; the weight is what the charge met: nodes, providers and
	/// accounts the run met before cost nothing again.
	pub(crate) fn charge_payer(
		charger: &mut Charger<T>,
		cursor: &mut ChargeCursor,
		twin: TwinId,
		mut ledger: LedgerOf<T>,
		left: Weight,
		first: bool,
	) -> Result<Weight, Weight> {
		let Some(mut run) = cursor.run else { return Ok(Weight::zero()) };
		let contracts = ledger.contracts;
		let in_grace = ledger.grace_since.is_some();
		let mut transitions = if in_grace {
			Self::transition_weight(Transition::OutOfFunds, contracts)
		} else {
			Weight::zero()
		};
		// What is read must fit before reading: each contract on a node and with a provider
		// new to the run.
		let reads = Met { accounts: 0, ..Met::most(contracts) };
		if !first && !Self::payer_weight(contracts, reads).saturating_add(transitions).all_lte(left)
		{
			return Err(Weight::zero());
		}
		let met = charger.met();
		let mut lines: Vec<Line<T>> = Meters::<T>::iter_prefix(twin)
			.filter_map(|(contract, meter)| {
				let from = meter.since.max(run.from);
				let line = charger.line(contract, meter, from, run.to, true, false);
				if line.is_none() {
					log::error!(target: "runtime::billing", "contract {contract} of {twin} has a meter but no contract");
				}
				line
			})
			.collect();
		let monthly = Charger::<T>::monthly(&lines);
		let discount = charger.discount(&ledger, monthly);
		for line in lines.iter_mut() {
			line.new_due = charger.due(line, discount);
		}
		let transition = Self::transition_after(charger, &ledger, &lines);
		if !in_grace && transition != Transition::EndGrace {
			transitions.saturating_accrue(Self::transition_weight(transition, contracts));
		}
		let new = Met { accounts: charger.new_accounts(&lines), ..charger.met().since(met) };
		let moves = lines.iter().any(|l| l.top_level && transition.changes(&l.state));
		let monthly = monthly.total();
		let credit_grows = ledger.credit < charger.to_planck(monthly);
		let stores =
			Self::store_weight(&ledger, discount, monthly, credit_grows, &lines, transition, moves);
		let weight = Self::payer_weight(contracts, new)
			.saturating_add(transitions)
			.saturating_add(stores);
		if !first && !weight.all_lte(left) {
			// What was read is spent; the next block starts with this payer.
			return Err(Self::payer_weight(contracts, Met { accounts: 0, ..new }));
		}
		// From here on the payer counts as charged in this run: a settlement its contracts'
		// transitions cause starts at the run's time, so the cursor must say so first.
		run.last = Some(twin);
		cursor.run = Some(run);
		if moves {
			Cursor::<T>::put(*cursor);
		}
		let before = ledger.clone();
		ledger.discount = discount;
		ledger.monthly = monthly;
		Self::finish_charge(charger, twin, &before, ledger, lines, transition);
		Ok(weight)
	}

	/// What a charge may store beyond the steady state's payment: meters whose traffic or debt
	/// changes, the ledger (discount, grace, commitment) and the hold a payment draws on, and
	/// the cursor before a transition that `moves` contracts.
	fn store_weight(
		ledger: &LedgerOf<T>,
		discount: Percent,
		monthly: Usd,
		credit_grows: bool,
		lines: &[Line<T>],
		transition: Transition,
		moves: bool,
	) -> Weight {
		let owing = transition != Transition::EndGrace;
		let meters = lines
			.iter()
			.filter(|l| {
				owing
					|| l.meter.traffic_billed != l.before.traffic_billed
					|| !l.before.debt.is_zero()
			})
			.count() as u64;
		let in_grace = ledger.grace_since.is_some();
		let grace_changes = in_grace == (transition == Transition::EndGrace)
			|| transition == Transition::OutOfFunds;
		let ledger_changes = discount != ledger.discount
			|| monthly != ledger.monthly
			|| credit_grows
			|| grace_changes
			|| ledger.committed > 0;
		let hold = u64::from(ledger.committed > 0);
		let cursor = u64::from(moves);
		let writes = meters.saturating_add(u64::from(ledger_changes)).saturating_add(hold);
		T::DbWeight::get().reads_writes(hold, writes.saturating_add(cursor))
	}

	/// What happens to a payer's contracts once `lines` are paid as far as they can be (the
	/// payment is worked out here, in memory, before any money moves).
	fn transition_after(
		charger: &Charger<T>,
		ledger: &LedgerOf<T>,
		lines: &[Line<T>],
	) -> Transition {
		let mut available = Self::free_of(&ledger.account).saturating_add(ledger.committed);
		let debt = lines.iter().fold(0, |debt: Balance, l| {
			let mut owed = l.meter.debt.plus(l.new_due);
			owed.pay_from(&mut available);
			debt.saturating_add(owed.total())
		});
		match (debt, ledger.grace_since) {
			(0, _) => Transition::EndGrace,
			// Grace is credit: never more than the payer's standing.
			(debt, _) if debt > ledger.credit => Transition::OutOfFunds,
			(_, None) => Transition::StartGrace,
			(_, Some(since)) => {
				let period = Params::<T>::get().grace_period;
				if charger.block.saturating_sub(since) >= period {
					Transition::OutOfFunds
				} else {
					Transition::StartGrace
				}
			},
		}
	}

	/// Pays, stores what changed (the ledger read as `before`), and applies `transition` to the
	/// payer's contracts.
	pub(crate) fn finish_charge(
		charger: &mut Charger<T>,
		twin: TwinId,
		before: &LedgerOf<T>,
		mut ledger: LedgerOf<T>,
		mut lines: Vec<Line<T>>,
		transition: Transition,
	) {
		charger.collect(twin, &mut ledger, &mut lines);
		for line in &lines {
			if line.meter != line.before {
				Meters::<T>::insert(twin, line.contract, line.meter);
			}
		}
		let debt = lines.iter().fold(0, |sum: Balance, l| sum.saturating_add(l.meter.debt.total()));
		match transition {
			Transition::EndGrace if ledger.grace_since.is_some() => {
				ledger.grace_since = None;
				Self::deposit_event(Event::GraceEnded { twin_id: twin });
			},
			Transition::StartGrace if ledger.grace_since.is_none() => {
				ledger.grace_since = Some(charger.block);
				Self::deposit_event(Event::GraceStarted { twin_id: twin, debt });
			},
			_ => {},
		}
		// In the steady state nothing of the payer's record changes: no write.
		if ledger != *before {
			Self::put_ledger(twin, &ledger);
		}
		Self::apply_transition(twin, &lines, transition);
	}

	/// Moves the top-level contracts of `lines` into or out of grace, or ends them.
	pub(crate) fn apply_transition(twin: TwinId, lines: &[Line<T>], transition: Transition) {
		let mut ended = 0u32;
		for line in lines.iter().filter(|l| l.top_level && transition.changes(&l.state)) {
			let result = match transition {
				Transition::StartGrace => T::Contracts::start_grace(line.contract),
				Transition::EndGrace => T::Contracts::end_grace(line.contract),
				Transition::OutOfFunds => {
					ended = ended.saturating_add(1);
					T::Contracts::end_contract(line.contract, EndCause::OutOfFunds)
				},
			};
			if let Err(e) = result {
				log::error!(target: "runtime::billing", "contract {} of {twin}: {transition:?} failed: {e:?}", line.contract);
			}
		}
		if transition == Transition::OutOfFunds {
			Self::deposit_event(Event::OutOfFunds { twin_id: twin, contracts: ended });
		}
	}

	/// Upper bound of the weight of `transition` for a payer with `contracts` contracts.
	pub(crate) fn transition_weight(transition: Transition, contracts: u32) -> Weight {
		match transition {
			Transition::StartGrace | Transition::EndGrace => T::Contracts::grace_weight(contracts),
			Transition::OutOfFunds => {
				T::Contracts::end_weight(contracts).max(T::Contracts::grace_weight(contracts))
			},
		}
	}

	/// Up to when the contracts of `twin` (whose ledger is in `bucket`) have been charged by
	/// the runs of its bucket.
	pub(crate) fn charged_until(twin: TwinId, bucket: u32) -> u64 {
		let cursor = Cursor::<T>::get();
		let pass = u64::from(PassBlocks::<T>::get().max(1));
		match cursor.run {
			Some(run) if cursor.next.checked_rem(pass).unwrap_or_default() as u32 == bucket => {
				let key = |t: TwinId| Payers::<T>::hashed_key_for(bucket, t);
				let done = run.last.is_some_and(|last| key(twin) <= key(last));
				if done {
					run.to
				} else {
					run.from
				}
			},
			_ => BucketCharged::<T>::get(bucket),
		}
	}

	/// Charges one contract up to now (before it changes or ends). Never moves contracts into
	/// or out of grace: the next run does. This is the last charge under the contract's terms,
	/// so it is made even at an untrusted price (the oracle's last): otherwise a change would
	/// reprice, and an end forgive, a whole price outage.
	pub(crate) fn settle_contract(contract: ContractId) {
		let Some(twin) = MeterOwner::<T>::get(contract) else { return };
		let (Some(meter), Some(mut ledger)) =
			(Meters::<T>::get(twin, contract), Self::ledger(twin))
		else {
			return;
		};
		// Without any price yet (a new chain) the time keeps accruing for the next charge.
		let Some(mut charger) = Charger::<T>::any_price() else { return };
		let from = meter.since.max(Self::charged_until(twin, ledger.bucket));
		let now = charger.now;
		let Some(mut line) = charger.line(contract, meter, from, now, true, true) else { return };
		line.new_due = charger.due(&line, ledger.discount);
		let before = ledger.clone();
		charger.collect(twin, &mut ledger, core::slice::from_mut(&mut line));
		line.meter.since = now;
		line.meter.capacity_since = now;
		Meters::<T>::insert(twin, contract, line.meter);
		if ledger != before {
			Self::put_ledger(twin, &ledger);
		}
		charger.pay_out();
	}
}
