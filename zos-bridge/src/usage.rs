//! Usage reports: what each contract on the node used, from the agent's counters, as one
//! node-signed batch per usage gap of the chain.
//!
//! The chain keeps each contract's last reported window end (`Capacity::ContractUsages`): a
//! window always starts there, so no time is skipped, and the chain ignores a window that
//! starts earlier, so none counts twice. The bridge journals, per contract, the agent's traffic
//! counter at that window end, and the batch it is sending with its transaction bytes; a batch
//! becomes the new baseline only once the chain has it.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use zos_api::UsageCounters;

/// The agent's counter at the end of the last window the chain took for a contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
	pub window_end: u64,
	pub counter: u64,
}

/// One contract's window in a batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
	pub contract_id: u64,
	pub window_start: u64,
	pub window_end: u64,
	/// The agent's traffic counter at `window_end`.
	pub counter: u64,
	/// Traffic in the window, bytes.
	pub traffic: u64,
	pub used: zos_api::Capacity,
}

/// A batch journaled before it is sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingBatch {
	pub windows: Vec<Window>,
	/// The signed transaction, hex.
	pub extrinsic: String,
}

/// The windows of the next batch: the contracts live on chain that the agent counts, oldest
/// window first, at most `max`; each from the chain's window end to `now`.
///
/// `on_chain` is each live contract's window end on chain; `baselines` the journaled counters.
/// A counter below its baseline means the agent started counting again: all of it is new.
pub fn plan(
	on_chain: &BTreeMap<u64, u64>,
	counters: &UsageCounters,
	baselines: &BTreeMap<u64, Baseline>,
	now: u64,
	max: usize,
) -> Vec<Window> {
	let mut windows: Vec<Window> = counters
		.contracts
		.iter()
		.filter_map(|c| {
			let start = *on_chain.get(&c.contract_id)?;
			if start >= now {
				return None;
			}
			let baseline = baselines.get(&c.contract_id).map_or(0, |b| b.counter);
			let traffic = if c.public_traffic_bytes >= baseline {
				c.public_traffic_bytes - baseline
			} else {
				c.public_traffic_bytes
			};
			Some(Window {
				contract_id: c.contract_id,
				window_start: start,
				window_end: now,
				counter: c.public_traffic_bytes,
				traffic,
				used: c.used,
			})
		})
		.collect();
	windows.sort_by_key(|w| (w.window_start, w.contract_id));
	windows.truncate(max);
	windows
}

/// Whether the chain took `batch`: a contract of it (still live) has the batch's window end on
/// chain. `Some(false)`: it did not (the window end is still where the batch started);
/// `None`: no contract of it is live any more, nothing to tell or to resend.
pub fn landed(batch: &PendingBatch, on_chain: &BTreeMap<u64, u64>) -> Option<bool> {
	batch.windows.iter().find_map(|w| {
		let end = *on_chain.get(&w.contract_id)?;
		Some(end >= w.window_end)
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use zos_api::{Capacity, ContractUsage};

	fn counters(list: &[(u64, u64)]) -> UsageCounters {
		UsageCounters {
			at: 0,
			contracts: list
				.iter()
				.map(|&(contract_id, bytes)| ContractUsage {
					contract_id,
					used: Capacity::default(),
					public_traffic_bytes: bytes,
				})
				.collect(),
		}
	}

	#[test]
	fn windows_start_where_the_chain_ended_and_count_traffic_since_the_baseline() {
		let on_chain = BTreeMap::from([(1, 100), (2, 150)]);
		let baselines = BTreeMap::from([(1, Baseline { window_end: 100, counter: 1_000 })]);
		let w = plan(&on_chain, &counters(&[(1, 1_500), (2, 700), (3, 9)]), &baselines, 200, 10);
		assert_eq!(w.len(), 2, "contract 3 is not live on chain");
		assert_eq!(
			(w[0].contract_id, w[0].window_start, w[0].window_end, w[0].traffic),
			(1, 100, 200, 500)
		);
		assert_eq!((w[1].contract_id, w[1].window_start, w[1].traffic), (2, 150, 700));
	}

	#[test]
	fn a_counter_that_restarted_counts_from_zero() {
		let on_chain = BTreeMap::from([(1, 100)]);
		let baselines = BTreeMap::from([(1, Baseline { window_end: 100, counter: 1_000 })]);
		assert_eq!(plan(&on_chain, &counters(&[(1, 40)]), &baselines, 200, 10)[0].traffic, 40);
	}

	#[test]
	fn a_batch_is_bounded_oldest_windows_first() {
		let on_chain = BTreeMap::from([(1, 190), (2, 100), (3, 150)]);
		let w = plan(&on_chain, &counters(&[(1, 0), (2, 0), (3, 0)]), &BTreeMap::new(), 200, 2);
		assert_eq!(w.iter().map(|w| w.contract_id).collect::<Vec<_>>(), vec![2, 3]);
		// A window that has not started yet is not reported.
		assert!(plan(&on_chain, &counters(&[(1, 0)]), &BTreeMap::new(), 190, 2).is_empty());
	}

	#[test]
	fn the_chain_tells_whether_a_batch_landed() {
		let batch = PendingBatch {
			windows: plan(
				&BTreeMap::from([(1, 100), (2, 100)]),
				&counters(&[(1, 5), (2, 5)]),
				&BTreeMap::new(),
				200,
				10,
			),
			extrinsic: String::new(),
		};
		assert_eq!(landed(&batch, &BTreeMap::from([(1, 200), (2, 200)])), Some(true));
		assert_eq!(landed(&batch, &BTreeMap::from([(1, 100), (2, 100)])), Some(false));
		// Contract 1 ended; contract 2 tells.
		assert_eq!(landed(&batch, &BTreeMap::from([(2, 200)])), Some(true));
		assert_eq!(landed(&batch, &BTreeMap::new()), None);
	}
}
