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
	contracts::NetworkUsage,
	registry::{GridRegistry, NodeId, Power},
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
		let from = state.last.map_or(state.period.start, |l| l.at);
		let elapsed = now.saturating_sub(from);
		let woke = state.sleep.filter(|s| boot.saturating_add(BOOT_SKEW) >= s.since);
		let (kind, proven) = match woke {
			Some(sleep) => {
				state.sleep = None;
				let proven = if Self::wake(node_id, &mut state, sleep, boot) {
					// The sleep and the time since boot, plus what the last report before the
					// sleep proves up to it (as if the node had reported as it went down).
					let before = sleep.since.saturating_sub(from);
					now.saturating_sub(sleep.since)
						.saturating_add(before.min(params.max_credit(before)))
				} else {
					report.uptime.min(elapsed).min(params.max_credit(elapsed))
				};
				(ReportKind::Rebooted, proven)
			},
			None => {
				// A report with the old boot: the node never went down after all.
				state.sleep = None;
				let kind = classify(state.last.as_ref(), boot, report.uptime, now);
				(kind, proven_uptime(kind, report.uptime, elapsed, &params))
			},
		};
		if let ReportKind::Violation(violation) = kind {
			Self::violate(node_id, &mut state.period, violation);
		}
		state.up_since = match (kind, state.up_since) {
			(ReportKind::Continuous, Some(since)) if params.is_recent(from, now) => Some(since),
			_ => Some(boot.max(from)),
		};
		state.last = Some(match (kind, state.last) {
			(ReportKind::Continuous, Some(last)) => {
				LastReport { at: now, uptime: report.uptime, ..last }
			},
			(ReportKind::Violation(_), Some(last)) => LastReport { at: now, ..last },
			(_, last) => LastReport {
				at: now,
				uptime: report.uptime,
				boot,
				previous_boot: last.map(|l| l.boot),
			},
		});
		let credited = Self::credit(node_id, &mut state, &params, from, now, proven, &mut weight)?;
		Self::deposit_event(Event::UptimeReported {
			node_id,
			uptime: report.uptime,
			credited,
			period_uptime: state.period.uptime,
		});
		NodeStates::<T>::insert(node_id, state);
		// `authorize_report` read the same node record and parameters in this extrinsic: the
		// overlay serves the call's reads of them (the time is written first in every block).
		Ok(weight.saturating_sub(T::DbWeight::get().reads(2)))
	}

	/// The node woke from `sleep` with boot time `boot`: whether the sleep counts as uptime.
	fn wake(node_id: NodeId, state: &mut NodeStateOf<T>, sleep: Sleep, boot: u64) -> bool {
		let on_time = match sleep.wake_requested {
			Some(requested) => {
				let on_time = boot <= requested.saturating_add(MAX_WAKE_DELAY);
				if !on_time {
					Self::fail_wake(node_id, &mut state.period);
				}
				on_time
			},
			// Woke without being asked: the sleep was not the farmer's.
			None => false,
		};
		let sleep_credited = on_time && boot.saturating_sub(sleep.since) <= MAX_SLEEP;
		Self::deposit_event(Event::NodeWoke { node_id, sleep_credited });
		sleep_credited
	}

	/// Counts a failed wake-up, recording the violation when it is the one that voids.
	fn fail_wake(node_id: NodeId, record: &mut PeriodRecord) {
		if let Some(violation) = record.fail_wake() {
			Self::deposit_event(Event::ViolationRecorded {
				node_id,
				period: record.index,
				violation,
			});
		}
	}

	fn violate(node_id: NodeId, record: &mut PeriodRecord, violation: Violation) {
		if record.violate(violation) {
			Self::deposit_event(Event::ViolationRecorded {
				node_id,
				period: record.index,
				violation,
			});
		}
	}

	/// Credits `proven` seconds of uptime for `(from, now]`, outside maintenance and inside the
	/// node's current period, closing the period first when `now` is past its end (the
	/// straddling credit is split with its downtime first). Returns the seconds credited.
	pub(crate) fn credit(
		node_id: NodeId,
		state: &mut NodeStateOf<T>,
		params: &MintingParams,
		from: u64,
		now: u64,
		proven: u64,
		weight: &mut Weight,
	) -> Result<u64, DispatchError> {
		let excluded = maintenance_in(&state.maintenance, from, now);
		let mut credit = proven.min(now.saturating_sub(from).saturating_sub(excluded));
		let (_, end) = params.bounds(state.period.index);
		let mut credited = 0;
		if now >= end {
			let after_end = credit.min(now.saturating_sub(end));
			let before_end =
				credit.saturating_sub(after_end).min(end.saturating_sub(state.period.start));
			state.period.uptime = state.period.uptime.saturating_add(before_end);
			credited = before_end;
			credit = after_end;
			Self::close(node_id, state, params, end, now)?;
			*weight = weight
				.saturating_sub(T::WeightInfo::report_uptime())
				.saturating_add(T::WeightInfo::report_uptime_closing());
		}
		// Never before the (new) period's start.
		let credit = credit.min(now.saturating_sub(state.period.start));
		state.period.uptime = state.period.uptime.saturating_add(credit);
		Ok(credited.saturating_add(credit))
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
		let state = NodeState {
			account,
			farm_id: node.farm_id,
			policy,
			farm_policy,
			certification: node.certification,
			connection_price: node.connection_price,
			resources: node.resources,
			virtualized: node.virtualized,
			period: PeriodRecord::new(
				period,
				now.max(params.bounds(period).0),
				node.resources,
				node.virtualized,
				T::Network::node_totals(node_id, now),
			),
			last: None,
			up_since: None,
			asked_down: node.power.target == Power::Down,
			sleep: None,
			maintenance: Default::default(),
			unclaimed: 0,
		};
		Self::deposit_event(Event::NodeTracked { node_id, period, policy });
		Ok(state)
	}

	/// Closes the node's current period as of `end` (its end, or earlier when the node is
	/// deleted): issues the receipt, and starts the period of `now`.
	pub(crate) fn close(
		node_id: NodeId,
		state: &mut NodeStateOf<T>,
		params: &MintingParams,
		end: u64,
		now: u64,
	) -> DispatchResult {
		// A wake request pending for more than 30 minutes is a failed wake-up.
		if let Some(sleep) = state.sleep.as_mut() {
			if let Some(requested) = sleep.wake_requested {
				if now > requested.saturating_add(MAX_WAKE_DELAY) {
					sleep.wake_requested = None;
					Self::fail_wake(node_id, &mut state.period);
				}
			}
		}
		let policy = state.policy.and_then(Policies::<T>::get);
		let network_now = T::Network::node_totals(node_id, end);
		let reward = reward(
			&RewardInput {
				record: &state.period,
				period_end: end,
				params,
				maintenance: &state.maintenance,
				network_now,
				price: state.connection_price,
			},
			policy.as_ref(),
		);
		let tft: BalanceOf<T> = reward.planck.saturated_into();
		let farm = T::Registry::farm(state.farm_id);
		// The farm is gone (it cannot be while it has nodes): pay the node's own account.
		let payout = farm.as_ref().map_or_else(|| state.account.clone(), |f| f.payout.clone());
		let receipt = Receipt {
			node_id,
			farm_id: state.farm_id,
			period: state.period.index,
			uptime: reward.uptime,
			registered: reward.registered,
			cu: reward.units.cu,
			su: reward.units.su,
			nu_bytes: reward.nu_bytes,
			ipv4_seconds: reward.ipv4_seconds,
			policy: state.policy,
			virtualized: state.period.virtualized,
			violation: state.period.violation,
			reward: reward.musd,
			tft,
			payout,
		};
		FarmTotals::<T>::mutate(state.farm_id, state.period.index, |total| {
			total.receipts = total.receipts.saturating_add(1);
			total.reward =
				grid_primitives::money::Musd(total.reward.0.saturating_add(reward.musd.0));
			total.tft = total.tft.saturating_add(tft);
		});
		Self::deposit_event(Event::PeriodClosed { receipt: receipt.clone() });
		if state.unclaimed >= T::MaxUnclaimed::get() {
			// The node has as many unclaimed receipts as it may: this one is paid now.
			Self::mint(&receipt.payout, tft)?;
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
		// The next period: the one `now` is in.
		let next = params.period_of(now).max(state.period.index.saturating_add(1));
		let (start, _) = params.bounds(next);
		state.period =
			PeriodRecord::new(next, start, state.resources, state.virtualized, network_now);
		state.maintenance.retain(|w| w.end > start);
		// A policy that ended gives way to a default one.
		if policy.is_some_and(|p| !p.is_active(now)) {
			let certification = farm.map(|f| f.certification).unwrap_or_default();
			let chosen = Self::best_default(state.certification, certification, now);
			state.policy = chosen;
			state.farm_policy = false;
			Self::deposit_event(Event::NodePolicyChanged { node_id, policy: chosen });
		}
		Ok(())
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
		Self::close(node_id, &mut state, &params, end, now)?;
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
		let projected_uptime = (u128::from(registered) * u128::from(uptime_permille) / 1000) as u64;
		let projection = PeriodRecord { uptime: projected_uptime, ..record };
		let policy = state.policy.and_then(Policies::<T>::get);
		let r = reward(
			&RewardInput {
				record: &projection,
				period_end: end,
				params: &params,
				maintenance: &[],
				network_now: T::Network::node_totals(node_id, now),
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
			projected_reward: r.musd,
			projected_tft: r.planck.saturated_into(),
		})
	}
}
