//! Usage reports: what a node's contracts used and how much public traffic they moved, in
//! batches the node's account signs, checked before the pool (`authorize`) and again in the
//! block, at most one per node per [`Limits::usage_report_gap`].

use crate::{pallet::*, types::*, Config};
use alloc::collections::btree_set::BTreeSet;
use frame::{
	deps::sp_runtime::transaction_validity::{
		InvalidTransaction, TransactionValidityError, TransactionValidityWithRefund,
		ValidTransaction,
	},
	prelude::*,
	traits::Verify,
};
use grid_primitives::registry::{ContractId, GridRegistry};

/// Tag prefix of usage batches in the transaction pool (with the node id: one per node).
pub const USAGE_TAG_PREFIX: &str = "GridUsage";
/// Blocks a usage batch stays valid in the pool: a minute at 6 s blocks; a node that missed
/// it sends a fresh one.
pub const USAGE_LONGEVITY: u64 = 10;

/// Why a usage batch is refused (in the pool and in a block alike).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum UsageError {
	/// No node has the batch's id (or its twin has no account).
	UnknownNode,
	/// The batch holds no report.
	EmptyBatch,
	/// The node's last batch was accepted less than the usage report gap ago.
	TooEarly,
	/// A report's window is empty or not over.
	InvalidWindow,
	/// A report claims more than 10 Gbit/s over its window.
	ImplausibleTraffic,
	/// A report is for a rent or name contract.
	NotANodeContract,
	/// A report is for a contract on another node.
	NotContractNode,
	/// The batch's traffic is above the node's allowance.
	TrafficExceeded,
	/// The signature is not the node account's.
	BadSignature,
	/// No report in the batch starts a new window of a live contract: a replay of a batch the
	/// chain already took, or a batch with nothing to count.
	NothingNew,
}

impl UsageError {
	/// The pool's reason: a bad signature is a bad proof; the others are custom codes 1
	/// (unknown node), 2 (empty batch), 3 (too early: the pool must drop it, not keep it for
	/// later), 4 (invalid window), 5 (implausible traffic), 6 (not a node contract), 7 (a
	/// contract of another node), 8 (node traffic allowance exceeded), 9 (nothing new: every
	/// window stale or of an ended contract). The call's docs list them too.
	pub fn validity(self) -> TransactionValidityError {
		let code = match self {
			UsageError::BadSignature => return InvalidTransaction::BadProof.into(),
			UsageError::UnknownNode => 1,
			UsageError::EmptyBatch => 2,
			UsageError::TooEarly => 3,
			UsageError::InvalidWindow => 4,
			UsageError::ImplausibleTraffic => 5,
			UsageError::NotANodeContract => 6,
			UsageError::NotContractNode => 7,
			UsageError::TrafficExceeded => 8,
			UsageError::NothingNew => 9,
		};
		InvalidTransaction::Custom(code).into()
	}
}

impl<T: Config> From<UsageError> for Error<T> {
	fn from(e: UsageError) -> Self {
		match e {
			UsageError::UnknownNode => Error::NodeNotFound,
			UsageError::EmptyBatch => Error::EmptyUsageBatch,
			UsageError::TooEarly => Error::UsageBatchTooEarly,
			UsageError::InvalidWindow => Error::InvalidWindow,
			UsageError::ImplausibleTraffic => Error::ImplausibleTraffic,
			UsageError::NotANodeContract => Error::NotANodeContract,
			UsageError::NotContractNode => Error::NotContractNode,
			UsageError::TrafficExceeded => Error::NodeTrafficExceeded,
			UsageError::BadSignature => Error::BadSignature,
			UsageError::NothingNew => Error::StaleUsageBatch,
		}
	}
}

/// A batch that passed every check, with what accepting it writes.
pub(crate) struct CheckedBatch {
	/// Chain time, Unix seconds.
	pub now: u64,
	/// The batch's contracts that are in grace: their windows are passed over, not counted.
	pub paused: BTreeSet<ContractId>,
	/// The node's traffic allowance with the batch's traffic taken.
	pub allowance: NodeNetwork,
}

impl<T: Config> Pallet<T> {
	/// Every check of a batch, cheapest first: not empty; the node (and, to verify a
	/// signature, its twin's account) from the registry; the gap since the node's last batch;
	/// the signature when given one; each report's window, traffic and contract; the node's
	/// allowance. Writes nothing. The pool and the block run it with the signature
	/// (`authorize`); the call itself, whose authorized origin proves that check passed on the
	/// same state, without.
	pub(crate) fn check_usage_batch(
		batch: &UsageBatchOf<T>,
		signature: Option<&T::Signature>,
	) -> Result<CheckedBatch, UsageError> {
		let node_id = batch.node_id;
		if batch.reports.is_empty() {
			return Err(UsageError::EmptyBatch);
		}
		let node = T::Registry::node(node_id).ok_or(UsageError::UnknownNode)?;
		let now = Self::now_secs();
		let limits = GridLimits::<T>::get();
		if !limits.usage_batch_due(LastUsageBatch::<T>::get(node_id), now) {
			return Err(UsageError::TooEarly);
		}
		if let Some(signature) = signature {
			let account = T::Registry::twin_account(node.twin_id).ok_or(UsageError::UnknownNode)?;
			if !signature.verify(&batch.signing_payload()[..], &account) {
				return Err(UsageError::BadSignature);
			}
		}
		let mut paused = BTreeSet::new();
		let mut claimed = 0u64;
		// A signed batch can be wrapped in a new transaction by anyone: one the chain already
		// took (all its windows stale) must not take the node's slot or traffic allowance.
		let mut fresh = false;
		for report in &batch.reports {
			report.check(now).map_err(|e| match e {
				InputError::ImplausibleTraffic => UsageError::ImplausibleTraffic,
				_ => UsageError::InvalidWindow,
			})?;
			match Contracts::<T>::get(report.contract_id) {
				// Ended since the node measured: nothing to bill.
				None => {},
				Some(c) => {
					let ContractKind::Node(n) = &c.kind else {
						return Err(UsageError::NotANodeContract);
					};
					if n.node_id != node_id {
						return Err(UsageError::NotContractNode);
					}
					// Its workloads are paused in grace: no traffic is billed for it.
					if c.in_grace() {
						paused.insert(report.contract_id);
					}
					fresh |= ContractUsages::<T>::get(report.contract_id)
						.is_some_and(|u| report.window_start >= u.window_end);
				},
			}
			claimed = claimed.saturating_add(report.public_traffic_bytes);
		}
		if !fresh {
			return Err(UsageError::NothingNew);
		}
		// The node's traffic, all contracts together, within its allowance.
		let mut allowance = NodeNetworks::<T>::get(node_id);
		if !allowance.take(claimed, limits.node_traffic_per_second, now) {
			return Err(UsageError::TrafficExceeded);
		}
		Ok(CheckedBatch { now, paused, allowance })
	}

	/// `#[pallet::authorize]` of `report_usage`: valid batches enter the pool, one per node.
	pub(crate) fn authorize_usage(
		_source: TransactionSource,
		batch: &UsageBatchOf<T>,
		signature: &T::Signature,
	) -> TransactionValidityWithRefund {
		Self::check_usage_batch(batch, Some(signature)).map_err(UsageError::validity)?;
		let valid = ValidTransaction::with_tag_prefix(USAGE_TAG_PREFIX)
			// Below uptime reports (`TransactionPriority::MAX / 2`): billing can wait a block.
			.priority(TransactionPriority::MAX / 4)
			.and_provides(batch.node_id)
			.longevity(USAGE_LONGEVITY)
			.propagate(true)
			.build()?;
		Ok((valid, Weight::zero()))
	}

	/// Accepts a batch that `authorize_usage` accepted: checks it again (a bad report refuses
	/// it all), records when it was accepted, then counts each report whose window follows
	/// the last accepted one.
	pub(crate) fn do_report_usage(batch: UsageBatchOf<T>) -> DispatchResult {
		let CheckedBatch { now, paused, allowance } =
			Self::check_usage_batch(&batch, None).map_err(Error::<T>::from)?;
		let node_id = batch.node_id;
		NodeNetworks::<T>::insert(node_id, allowance);
		LastUsageBatch::<T>::insert(node_id, now);
		let (mut accepted, mut skipped, mut capped_bytes) = (0u32, 0u32, 0u64);
		for report in batch.reports.iter() {
			if paused.contains(&report.contract_id) {
				ContractUsages::<T>::mutate_exists(report.contract_id, |usage| {
					if let Some(u) = usage.as_mut() {
						u.pass_over(report);
					}
				});
				skipped = skipped.saturating_add(1);
				continue;
			}
			let outcome = ContractUsages::<T>::mutate_exists(report.contract_id, |usage| {
				usage.as_mut().map_or(Accepted::Skipped, |u| u.accept(report))
			});
			match outcome {
				Accepted::Counted { capped, .. } => {
					accepted = accepted.saturating_add(1);
					capped_bytes = capped_bytes.saturating_add(capped);
				},
				Accepted::Skipped => skipped = skipped.saturating_add(1),
			}
		}
		Self::deposit_event(Event::UsageReported { node_id, accepted, skipped, capped_bytes });
		Ok(())
	}
}
