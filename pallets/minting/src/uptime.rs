//! Uptime: checking and crediting reports, tracking nodes, sleep and maintenance, and closing
//! periods into receipts.

use crate::{pallet::*, types::*, weights::WeightInfo, Config};
use frame::{
	deps::sp_runtime::transaction_validity::{
		InvalidTransaction, TransactionValidityError, TransactionValidityWithRefund,
		ValidTransaction,
	},
	prelude::*,
	traits::{fungible::Mutate, UnixTime, Verify},
};
use grid_primitives::{
	liveness::Timeline,
	registry::{GridRegistry, NodeId, Power, TwinId},
};

/// Why a report is refused (in the pool and in a block alike).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReportError {
	NotConfigured,
	UnknownNode,
	TooEarly,
	BadHint,
	ImpossibleUptime,
	BadSignature,
}

impl ReportError {
	/// The pool's reason: a bad signature is a bad proof; the others are custom codes 1
	/// (minting off), 2 (unknown node), 3 (hint more than 60 s off), 4 (impossible uptime), 5
	/// (too early: the pool must drop it, not keep it for later).
	pub fn validity(self) -> TransactionValidityError {
		let code = match self {
			ReportError::BadSignature => return InvalidTransaction::BadProof.into(),
			ReportError::NotConfigured => 1,
			ReportError::UnknownNode => 2,
			ReportError::BadHint => 3,
			ReportError::ImpossibleUptime => 4,
			ReportError::TooEarly => 5,
		};
		InvalidTransaction::Custom(code).into()
	}
}

impl<T: Config> From<ReportError> for Error<T> {
	fn from(e: ReportError) -> Self {
		match e {
			ReportError::NotConfigured => Error::NotConfigured,
			ReportError::UnknownNode => Error::UnknownNode,
			ReportError::TooEarly => Error::ReportTooEarly,
			ReportError::BadHint => Error::BadTimestampHint,
			ReportError::ImpossibleUptime => Error::ImpossibleUptime,
			ReportError::BadSignature => Error::BadSignature,
		}
	}
}

/// A report that passed every check.
pub struct CheckedReport<T: Config> {
	pub params: MintingParams,
	pub now: u64,
	pub boot: u64,
	/// `None`: the node is not tracked yet (the report starts tracking it).
	pub state: Option<NodeStateOf<T>>,
}

impl<T: Config> Pallet<T> {
	pub(crate) fn now_secs() -> u64 {
		T::TimeProvider::now().as_secs()
	}

	/// Every check of a report: reads the node's state (or, for a node not tracked yet, its
	/// registry record), the parameters and the time; verifies the signature when given one.
	/// The pool and the block run it with the signature (`authorize`); the call itself, whose
	/// authorized origin proves that check passed on the same state, without.
	pub(crate) fn check_report(
		report: &UptimeReport,
		signature: Option<&T::Signature>,
	) -> Result<CheckedReport<T>, ReportError> {
		let params = Params::<T>::get().ok_or(ReportError::NotConfigured)?;
		let now = Self::now_secs();
		if report.timestamp_hint.abs_diff(now) > CLOCK_TOLERANCE {
			return Err(ReportError::BadHint);
		}
		let boot = report.boot().ok_or(ReportError::ImpossibleUptime)?;
		let state = NodeStates::<T>::get(report.node_id);
		let account = match &state {
			Some(state) => state.account.clone(),
			None => Self::registry_account(report.node_id).ok_or(ReportError::UnknownNode)?,
		};
		if let Some(last) = state.as_ref().and_then(|s| s.last) {
			if now < last.at.saturating_add(params.min_report_gap) {
				return Err(ReportError::TooEarly);
			}
		}
		if signature.is_some_and(|s| !s.verify(&report.signing_payload()[..], &account)) {
			return Err(ReportError::BadSignature);
		}
		Ok(CheckedReport { params, now, boot, state })
	}

	/// The account of a registered node.
	fn registry_account(node_id: NodeId) -> Option<T::AccountId> {
		let node = T::Registry::node(node_id)?;
		T::Registry::twin_account(node.twin_id)
	}

	/// `#[pallet::authorize]` of `report_uptime`: valid reports enter the pool, one per node.
	pub(crate) fn authorize_report(
		_source: TransactionSource,
		report: &UptimeReport,
		signature: &T::Signature,
	) -> TransactionValidityWithRefund {
		let checked = Self::check_report(report, Some(signature)).map_err(ReportError::validity)?;
		let refund = if checked.state.is_some() {
			T::WeightInfo::authorize_first_report()
				.saturating_sub(T::WeightInfo::authorize_report())
		} else {
			Weight::zero()
		};
		let valid = ValidTransaction::with_tag_prefix("GridUptime")
			.priority(TransactionPriority::MAX / 2)
			.and_provides(report.node_id)
			// The hint is stale a minute later anyway.
			.longevity(20)
			.propagate(true)
			.build()?;
		Ok((valid, refund))
	}

	/// Most a report can cost: tracking the node, or closing its period and paying at once.
	pub(crate) fn report_max_weight() -> Weight {
		let track = T::WeightInfo::track_node().saturating_add(T::WeightInfo::report_uptime());
		track.max(T::WeightInfo::report_uptime_closing())
	}

	/// Credits a report that `authorize_report` accepted; returns the weight used.
	pub(crate) fn do_report_uptime(report: UptimeReport) -> Result<Weight, DispatchError> {
		let CheckedReport { params, now, boot, state } =
			Self::check_report(&report, None).map_err(Error::<T>::from)?;
		let node_id = report.node_id;
		let mut weight = T::WeightInfo::report_uptime();
		let mut state = match state {
			Some(state) => state,
			None => {
				weight.saturating_accrue(T::WeightInfo::track_node());
				Self::track(node_id, now, &params)?
			},
		};
		let outcome = state.report(report.uptime, boot, now, &params);
		for (period, violation) in &outcome.violations {
			Self::deposit_event(Event::ViolationRecorded {
				node_id,
				period: *period,
				violation: *violation,
			});
		}
		if let Some(sleep_credited) = outcome.woke {
			Self::deposit_event(Event::NodeWoke { node_id, sleep_credited });
		}
		if let Some(closed) = outcome.closed {
			let (_, end) = params.bounds(closed.index);
			Self::issue_receipt(node_id, &mut state, closed, &params, (end, now), false);
			weight = weight
				.saturating_sub(T::WeightInfo::report_uptime())
				.saturating_add(T::WeightInfo::report_uptime_closing());
		}
		Self::deposit_event(Event::UptimeReported {
			node_id,
			uptime: report.uptime,
			credited: outcome.credited,
			period_uptime: state.period.uptime,
		});
		NodeStates::<T>::insert(node_id, state);
		// `authorize_report` read the same node record and parameters in this extrinsic: the
		// overlay serves the call's reads of them (the time is written first in every block).
		Ok(weight.saturating_sub(T::DbWeight::get().reads(2)))
	}

	/// Starts tracking a registered node at `now`: its first period is prorated from now.
	pub(crate) fn track(
		node_id: NodeId,
		now: u64,
		params: &MintingParams,
	) -> Result<NodeStateOf<T>, DispatchError> {
		let node = T::Registry::node(node_id).ok_or(Error::<T>::UnknownNode)?;
		let account = T::Registry::twin_account(node.twin_id).ok_or(Error::<T>::UnknownNode)?;
		let farm = T::Registry::farm(node.farm_id).ok_or(Error::<T>::FarmNotFound)?;
		let units = node.resources.cloud_units();
		let (policy, farm_policy) =
			Self::choose_policy(node.farm_id, farm.certification, node.certification, units, now);
		let period = params.period_of(now);
		// The same machine back in the period it left: the time away is downtime.
		let back_from = Departures::<T>::take(period, node.twin_id).map_or(now, |at| at.min(now));
		let mut state = NodeState {
			account,
			farm_id: node.farm_id,
			policy,
			farm_policy,
			policy_units: if farm_policy { units } else { Default::default() },
			certification: node.certification,
			connection_price: node.connection_price,
			resources: node.resources,
			virtualized: node.virtualized,
			period: PeriodRecord::new(
				period,
				back_from.max(params.bounds(period).0),
				node.resources,
				node.virtualized,
			),
			last: None,
			timeline: Timeline::starting(now),
			asked_down: node.power.target == Power::Down,
			standby: None,
			sleep: None,
			maintenance: Default::default(),
			unclaimed: 0,
			carried: 0,
		};
		state.set_standby(node.power.is_standby(), now);
		Self::deposit_event(Event::NodeTracked { node_id, period, policy });
		Ok(state)
	}

	/// Turns a closed period of the node (ended at `end`) into a receipt, with what users paid
	/// for its network meanwhile. Stored for a claim, or paid at once when the node holds
	/// [`Config::MaxUnclaimed`] receipts. A reward its payout account cannot receive then
	/// (dust below the existential deposit) is carried into the node's next receipt — a report
	/// never fails for it, and no more than the bound is stored — or, for the `last` receipt
	/// of a node leaving the grid, stored. Writes nothing before it knows whether the payment
	/// goes through.
	pub(crate) fn issue_receipt(
		node_id: NodeId,
		state: &mut NodeStateOf<T>,
		record: PeriodRecord,
		params: &MintingParams,
		(end, now): (u64, u64),
		last: bool,
	) {
		let policy = state.policy.and_then(Policies::<T>::get);
		let network = PaidNetworks::<T>::take(node_id);
		let reward = reward(
			&RewardInput {
				record: &record,
				period_end: end,
				params,
				maintenance: &state.maintenance,
				network,
				price: state.connection_price,
			},
			policy.as_ref(),
		);
		state.drop_past_windows();
		let own: BalanceOf<T> = reward.planck.saturated_into();
		let tft = own.saturating_add(core::mem::take(&mut state.carried).saturated_into());
		let farm = T::Registry::farm(state.farm_id);
		// The farm is gone (it cannot be while it has nodes): pay the node's own account.
		let payout = farm.as_ref().map_or_else(|| state.account.clone(), |f| f.payout.clone());
		let receipt = Receipt {
			node_id,
			farm_id: state.farm_id,
			period: record.index,
			uptime: reward.uptime,
			registered: reward.registered,
			cu: reward.units.cu,
			su: reward.units.su,
			network,
			policy: state.policy,
			virtualized: record.virtualized,
			violation: record.violation,
			capacity_usd: reward.capacity_usd,
			network_usd: reward.network_usd,
			tft,
			payout,
		};
		// At the unclaimed bound the receipt is paid now, if its payout account can take it.
		let at_bound = state.unclaimed >= T::MaxUnclaimed::get();
		let paid_now = at_bound && Self::mint(&receipt.payout, tft).is_ok();
		let proven =
			proven_in(reward.units, reward.uptime, record.virtualized, record.violation.is_some());
		FarmProven::<T>::mutate(state.farm_id, |p| p.add(record.index, proven));
		TotalProven::<T>::mutate(|p| p.add(record.index, proven));
		FarmTotals::<T>::mutate(state.farm_id, record.index, |total| {
			total.receipts = total.receipts.saturating_add(1);
			total.tft = total.tft.saturating_add(own);
		});
		Self::deposit_event(Event::PeriodClosed { receipt: receipt.clone() });
		if at_bound && !paid_now && !last {
			state.carried = tft.saturated_into();
			Self::deposit_event(Event::RewardCarried {
				node_id,
				period: receipt.period,
				amount: tft,
			});
		} else if paid_now {
			Self::deposit_event(Event::ReceiptPaid {
				farm_id: receipt.farm_id,
				node_id,
				period: receipt.period,
				payout: receipt.payout,
				amount: tft,
			});
		} else {
			state.unclaimed = state.unclaimed.saturating_add(1);
			Unclaimed::<T>::mutate(|u| *u = u.saturating_add(tft));
			Receipts::<T>::insert((receipt.farm_id, node_id, receipt.period), receipt);
		}
		// A policy that ended gives way to a default one.
		if policy.is_some_and(|p| !p.is_active(now)) {
			let certification = farm.map(|f| f.certification).unwrap_or_default();
			let chosen = Self::best_default(state.certification, certification, now);
			state.policy = chosen;
			state.farm_policy = false;
			Self::deposit_event(Event::NodePolicyChanged { node_id, policy: chosen });
		}
	}

	/// Closes the node's current period as of `end` (its end, or the moment it leaves) and
	/// issues its receipt.
	pub(crate) fn close(
		node_id: NodeId,
		state: &mut NodeStateOf<T>,
		params: &MintingParams,
		(end, now): (u64, u64),
		last: bool,
	) {
		let mut violations = alloc::vec::Vec::new();
		let closed = state.close(end, now, params, &mut violations);
		for (period, violation) in violations {
			Self::deposit_event(Event::ViolationRecorded { node_id, period, violation });
		}
		Self::issue_receipt(node_id, state, closed, params, (end, now), last);
	}

	/// Mints `amount` to `to` and counts it.
	pub(crate) fn mint(to: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		if !amount.is_zero() {
			T::Currency::mint_into(to, amount)?;
			TotalMinted::<T>::mutate(|m| *m = m.saturating_add(amount));
		}
		Ok(())
	}

	pub(crate) fn do_close_period(node_id: NodeId) -> DispatchResult {
		let params = Params::<T>::get().ok_or(Error::<T>::NotConfigured)?;
		let mut state = NodeStates::<T>::get(node_id).ok_or(Error::<T>::NodeNotTracked)?;
		let now = Self::now_secs();
		let (_, end) = params.bounds(state.period.index);
		ensure!(now >= end.saturating_add(params.close_grace), Error::<T>::PeriodNotOver);
		Self::close(node_id, &mut state, &params, (end, now), false);
		NodeStates::<T>::insert(node_id, state);
		Ok(())
	}

	pub(crate) fn do_declare_maintenance(
		who: &T::AccountId,
		node_id: NodeId,
		window: Window,
	) -> DispatchResult {
		let params = Params::<T>::get().ok_or(Error::<T>::NotConfigured)?;
		let mut state = NodeStates::<T>::get(node_id).ok_or(Error::<T>::NodeNotTracked)?;
		let farm = T::Registry::farm(state.farm_id).ok_or(Error::<T>::FarmNotFound)?;
		ensure!(T::Registry::twin_of(who) == Some(farm.twin_id), Error::<T>::NotFarmer);
		let now = Self::now_secs();
		ensure!(window.start < window.end, Error::<T>::InvalidWindow);
		let period = params.period_of(window.start);
		ensure!(
			period == params.period_of(window.end.saturating_sub(1)),
			Error::<T>::InvalidWindow
		);
		ensure!(period <= params.period_of(now).saturating_add(1), Error::<T>::InvalidWindow);
		ensure!(
			window.start >= now.saturating_add(params.maintenance_notice),
			Error::<T>::WindowTooSoon
		);
		ensure!(
			state.maintenance.iter().all(|w| w.overlap(window.start, window.end) == 0),
			Error::<T>::OverlappingWindow
		);
		let same_period = state
			.maintenance
			.iter()
			.filter(|w| params.period_of(w.start) == period)
			.collect::<alloc::vec::Vec<_>>();
		ensure!(same_period.len() < WINDOWS_PER_PERIOD, Error::<T>::TooManyWindows);
		let total = same_period
			.iter()
			.map(|w| w.duration())
			.fold(window.duration(), u64::saturating_add);
		ensure!(total <= params.max_maintenance, Error::<T>::MaintenanceExceeded);
		let at = state.maintenance.partition_point(|w| w.start < window.start);
		state
			.maintenance
			.try_insert(at, window)
			.map_err(|_| Error::<T>::TooManyWindows)?;
		NodeStates::<T>::insert(node_id, state);
		Self::deposit_event(Event::MaintenanceDeclared { node_id, window });
		Ok(())
	}

	/// The view of a node's current period, projecting its uptime so far over the period.
	pub(crate) fn current_period_view(node_id: NodeId) -> Option<PeriodSoFar<BalanceOf<T>>> {
		let params = Params::<T>::get()?;
		let state = NodeStates::<T>::get(node_id)?;
		let now = Self::now_secs();
		let (_, end) = params.bounds(state.period.index);
		let record = state.period;
		let so_far = now.min(end).saturating_sub(record.start);
		let eligible =
			so_far.saturating_sub(maintenance_in(&state.maintenance, record.start, now.min(end)));
		let uptime_permille = uptime_permille(record.uptime, eligible);
		// As if the rest of the period went like what passed of it.
		let registered = end.saturating_sub(record.start);
		let projected_uptime = registered.saturating_mul(uptime_permille.into()) / 1000;
		let projection = PeriodRecord { uptime: projected_uptime, ..record };
		let policy = state.policy.and_then(Policies::<T>::get);
		let r = reward(
			&RewardInput {
				record: &projection,
				period_end: end,
				params: &params,
				maintenance: &[],
				network: PaidNetworks::<T>::get(node_id),
				price: state.connection_price,
			},
			policy.as_ref(),
		);
		Some(PeriodSoFar {
			period: record.index,
			start: record.start,
			end,
			uptime: record.uptime,
			uptime_permille,
			violation: record.violation,
			projected_usd: r.capacity_usd.plus(r.network_usd),
			projected_tft: r.planck.saturated_into(),
		})
	}

	/// Records that a node of `twin` left the grid at `at`, in the middle of `period`.
	pub(crate) fn record_departure(period: PeriodIndex, twin: TwinId, at: u64) {
		Departures::<T>::insert(period, twin, at);
		if DeparturesFrom::<T>::get().is_none_or(|from| period < from) {
			DeparturesFrom::<T>::put(period);
		}
	}

	/// Removes the departures of periods before the current one (no registration can use
	/// them any more), at most [`PRUNE_PER_BLOCK`] keys and within `limit`; returns the weight
	/// used.
	pub(crate) fn prune_departures(limit: Weight) -> Weight {
		let db = T::DbWeight::get();
		// The cursor, the parameters; the cursor written back.
		let base = db.reads_writes(2, 1);
		let per_key = db.reads_writes(1, 1);
		let room = limit.saturating_sub(base);
		let keys = room
			.ref_time()
			.checked_div(per_key.ref_time().max(1))
			.unwrap_or(0)
			.min(room.proof_size().checked_div(per_key.proof_size().max(1)).unwrap_or(u64::MAX))
			.min(PRUNE_PER_BLOCK.into()) as u32;
		if keys == 0 || !base.all_lte(limit) {
			return Weight::zero();
		}
		let (Some(mut from), Some(params)) = (DeparturesFrom::<T>::get(), Params::<T>::get())
		else {
			return db.reads(2);
		};
		let current = params.period_of(Self::now_secs());
		if from >= current {
			return db.reads(2);
		}
		let mut used = 0u32;
		while from < current && used < keys {
			let cleared = Departures::<T>::clear_prefix(from, keys.saturating_sub(used), None);
			// An empty period costs a read too.
			used = used.saturating_add(cleared.loops.max(1));
			if cleared.maybe_cursor.is_some() {
				break;
			}
			from = from.saturating_add(1);
		}
		DeparturesFrom::<T>::put(from);
		base.saturating_add(per_key.saturating_mul(used.into()))
	}
}

/// The most departure keys `on_idle` removes in a block.
pub const PRUNE_PER_BLOCK: u32 = 64;
