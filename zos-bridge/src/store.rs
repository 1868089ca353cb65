//! The bridge's journal: a small transactional store (redb) in the data directory. What the
//! bridge is about to do is written before it acts and what happened after, each write one
//! durable transaction, so a crash or `kill -9` at any point leaves a record that says what to
//! resume — never an action done twice or forgotten.

use anyhow::{Context, Result};
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::path::Path;
use zos_api::Power;

const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
const UPTIME: TableDefinition<u64, &[u8]> = TableDefinition::new("uptime");
const USAGE: TableDefinition<u64, &[u8]> = TableDefinition::new("usage");
const DEPLOYMENTS: TableDefinition<u64, &[u8]> = TableDefinition::new("deployments");
/// A table of JSON values keyed by number (interval or contract).
type Table = TableDefinition<'static, u64, &'static [u8]>;

/// Uptime records older than this many intervals are dropped.
const KEEP_INTERVALS: u64 = 200;

/// The store's file name in the data directory.
pub const STORE_FILE: &str = "bridge.redb";

/// The last finalized block whose events were handled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
	pub number: u32,
	pub hash: String,
}

/// Where one interval's uptime report stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ReportState {
	/// Journaled and about to be (or being) submitted: its fate is unknown until the chain
	/// says.
	Sending,
	/// In a best block; final once a finalized block has it.
	InBlock { block: String },
	/// In a finalized block: done.
	Final { block: u32 },
	/// The pool or the block refused it; another attempt may follow after backoff.
	Refused { reason: String },
	/// It can no longer land (its timestamp hint is stale) and no finalized block has it.
	Lost,
}

/// One interval's uptime report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UptimeRecord {
	/// `(now − T0) / report_interval` on the chain's clock.
	pub interval: u64,
	/// The machine's boot time and uptime as reported, its clock as the hint.
	pub boot: u64,
	pub uptime: u64,
	pub hint: u64,
	pub attempts: u32,
	pub state: ReportState,
	/// Local Unix seconds when a best block had it (0: none yet); the chain's gap between
	/// reports counts from about then.
	#[serde(default)]
	pub included_at: u64,
	/// The signed transaction, hex: what goes again, byte for byte, when its fate is unknown.
	#[serde(default)]
	pub extrinsic: Option<String>,
}

impl UptimeRecord {
	/// Settled: nothing more to do for this interval's report.
	pub fn is_done(&self) -> bool {
		matches!(self.state, ReportState::Final { .. })
	}

	/// May land or has landed: no second report for its interval may be sent.
	pub fn is_live(&self) -> bool {
		matches!(
			self.state,
			ReportState::Sending | ReportState::InBlock { .. } | ReportState::Final { .. }
		)
	}
}

/// The step a power change is at; each step is journaled before it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PowerStep {
	/// Going down: report Down on chain, then power the machine off.
	ReportDown,
	AgentOff,
	/// Off: nothing is sent until the target is up.
	Asleep,
	/// Coming up: wake the machine, wait for its boot, report Up, resume reports.
	Wake,
	ReportUp,
	/// Up and reporting.
	Awake,
}

/// The farmer's target as last seen at the finalized head, and how far the bridge got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PowerJob {
	pub target: Power,
	pub step: PowerStep,
}

impl PowerJob {
	/// The first step toward `target`.
	pub fn toward(target: Power) -> Self {
		let step = match target {
			Power::Down => PowerStep::ReportDown,
			Power::Up => PowerStep::Wake,
		};
		Self { target, step }
	}

	/// Whether uptime reports wait: the machine is off, or up but not reported up yet.
	pub fn is_off(&self) -> bool {
		matches!(
			self.step,
			PowerStep::AgentOff | PowerStep::Asleep | PowerStep::Wake | PowerStep::ReportUp
		)
	}
}

/// The journal.
pub struct Store {
	db: Database,
}

/// Keys of the meta table.
pub mod key {
	pub const CURSOR: &str = "cursor";
	pub const NODE: &str = "node_id";
	pub const POWER: &str = "power";
	/// The spec an update was last refused for, with the chain's error.
	pub const REFUSED_SPEC: &str = "refused_spec";
	/// The usage batch being sent ([`crate::usage::PendingBatch`]).
	pub const USAGE_PENDING: &str = "usage_pending";
	/// The last finalized block whose contract events the deployer handled.
	pub const DEPLOY_CURSOR: &str = "deploy_cursor";
}

/// Writes of one transaction.
pub struct Batch<'a> {
	txn: &'a redb::WriteTransaction,
}

impl Batch<'_> {
	/// Sets a meta value.
	pub fn put<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
		let bytes = serde_json::to_vec(value)?;
		self.txn.open_table(META)?.insert(key, bytes.as_slice())?;
		Ok(())
	}

	/// Removes a meta value.
	pub fn delete(&self, key: &str) -> Result<()> {
		self.txn.open_table(META)?.remove(key)?;
		Ok(())
	}

	/// Writes an interval's record and forgets records long past.
	pub fn put_report(&self, record: &UptimeRecord) -> Result<()> {
		let bytes = serde_json::to_vec(record)?;
		let mut table = self.txn.open_table(UPTIME)?;
		table.insert(record.interval, bytes.as_slice())?;
		let horizon = record.interval.saturating_sub(KEEP_INTERVALS);
		table.retain(|interval, _| interval >= horizon)?;
		Ok(())
	}

	/// Records a contract's usage cursor.
	pub fn put_usage<T: Serialize>(&self, contract_id: u64, value: &T) -> Result<()> {
		let bytes = serde_json::to_vec(value)?;
		self.txn.open_table(USAGE)?.insert(contract_id, bytes.as_slice())?;
		Ok(())
	}

	/// Forgets a contract's usage cursor.
	pub fn delete_usage(&self, contract_id: u64) -> Result<()> {
		self.txn.open_table(USAGE)?.remove(contract_id)?;
		Ok(())
	}
}

impl Store {
	/// Opens (or creates) the journal in `data_dir`.
	pub fn open(data_dir: &Path) -> Result<Self> {
		let path = data_dir.join(STORE_FILE);
		let db = Database::create(&path).with_context(|| format!("opening {}", path.display()))?;
		let store = Self { db };
		// Every table exists from the start, so reads never meet a missing one.
		store.write(|b| {
			b.txn.open_table(META)?;
			b.txn.open_table(UPTIME)?;
			b.txn.open_table(USAGE)?;
			b.txn.open_table(DEPLOYMENTS)?;
			Ok(())
		})?;
		Ok(store)
	}

	/// Runs `f`'s writes as one durable transaction: all of them or none.
	pub fn write<R>(&self, f: impl FnOnce(&Batch) -> Result<R>) -> Result<R> {
		let txn = self.db.begin_write()?;
		let result = f(&Batch { txn: &txn })?;
		txn.commit()?;
		Ok(result)
	}

	/// A meta value.
	pub fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
		let txn = self.db.begin_read()?;
		let table = txn.open_table(META)?;
		let value = table.get(key)?;
		Ok(match value {
			Some(bytes) => Some(serde_json::from_slice(bytes.value())?),
			None => None,
		})
	}

	/// Sets one meta value.
	pub fn put<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
		self.write(|b| b.put(key, value))
	}

	/// Writes one interval's record.
	pub fn put_report(&self, record: &UptimeRecord) -> Result<()> {
		self.write(|b| b.put_report(record))
	}

	/// The record of `interval`.
	pub fn report(&self, interval: u64) -> Result<Option<UptimeRecord>> {
		self.read(UPTIME, interval)
	}

	/// Records not settled yet (sent, in a best block, refused), oldest first.
	pub fn open_reports(&self) -> Result<Vec<UptimeRecord>> {
		let txn = self.db.begin_read()?;
		let table = txn.open_table(UPTIME)?;
		let mut open = vec![];
		for entry in table.iter()? {
			let (_, bytes) = entry?;
			let record: UptimeRecord = serde_json::from_slice(bytes.value())?;
			if matches!(record.state, ReportState::Sending | ReportState::InBlock { .. }) {
				open.push(record);
			}
		}
		Ok(open)
	}

	/// The newest record.
	pub fn last_report(&self) -> Result<Option<UptimeRecord>> {
		let txn = self.db.begin_read()?;
		let table = txn.open_table(UPTIME)?;
		let last = table.last()?;
		Ok(match last {
			Some((_, bytes)) => Some(serde_json::from_slice(bytes.value())?),
			None => None,
		})
	}

	/// Journals a contract's deployment record ([`crate::workloads::Record`]).
	pub fn put_deployment<T: Serialize>(&self, contract_id: u64, record: &T) -> Result<()> {
		let bytes = serde_json::to_vec(record)?;
		self.write(|b| {
			b.txn.open_table(DEPLOYMENTS)?.insert(contract_id, bytes.as_slice())?;
			Ok(())
		})
	}

	/// A contract's deployment record.
	pub fn deployment<T: DeserializeOwned>(&self, contract_id: u64) -> Result<Option<T>> {
		self.read(DEPLOYMENTS, contract_id)
	}

	/// Every deployment record, by contract.
	pub fn deployments<T: DeserializeOwned>(&self) -> Result<Vec<(u64, T)>> {
		self.read_all(DEPLOYMENTS)
	}

	/// Every contract's usage cursor.
	pub fn usages<T: DeserializeOwned>(&self) -> Result<Vec<(u64, T)>> {
		self.read_all(USAGE)
	}

	/// The value at `key` of a table keyed by number.
	fn read<T: DeserializeOwned>(&self, table: Table, key: u64) -> Result<Option<T>> {
		let txn = self.db.begin_read()?;
		let value = txn.open_table(table)?.get(key)?;
		Ok(match value {
			Some(bytes) => Some(serde_json::from_slice(bytes.value())?),
			None => None,
		})
	}

	/// Every entry of a table keyed by number, in key order.
	fn read_all<T: DeserializeOwned>(&self, table: Table) -> Result<Vec<(u64, T)>> {
		let txn = self.db.begin_read()?;
		let mut all = vec![];
		for entry in txn.open_table(table)?.iter()? {
			let (key, bytes) = entry?;
			all.push((key.value(), serde_json::from_slice(bytes.value())?));
		}
		Ok(all)
	}
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]
	use super::*;

	fn store(name: &str) -> (Store, std::path::PathBuf) {
		let dir =
			std::env::temp_dir().join(format!("zos-bridge-store-{name}-{}", std::process::id()));
		let _ = std::fs::remove_dir_all(&dir);
		std::fs::create_dir_all(&dir).unwrap();
		(Store::open(&dir).unwrap(), dir)
	}

	fn record(interval: u64, state: ReportState) -> UptimeRecord {
		UptimeRecord {
			interval,
			boot: 1,
			uptime: 2,
			hint: 3,
			attempts: 1,
			state,
			included_at: 0,
			extrinsic: None,
		}
	}

	#[test]
	fn what_is_written_survives_a_reopen() {
		let (store, dir) = store("reopen");
		store.put(key::CURSOR, &Cursor { number: 7, hash: "0xab".into() }).unwrap();
		store.put_report(&record(5, ReportState::Sending)).unwrap();
		drop(store);
		let store = Store::open(&dir).unwrap();
		assert_eq!(store.get::<Cursor>(key::CURSOR).unwrap().unwrap().number, 7);
		assert_eq!(store.open_reports().unwrap(), vec![record(5, ReportState::Sending)]);
		assert_eq!(store.last_report().unwrap().unwrap().interval, 5);
	}

	#[test]
	fn a_failed_batch_writes_nothing() {
		let (store, _) = store("atomic");
		let result: Result<()> = store.write(|b| {
			b.put(key::NODE, &9u32)?;
			anyhow::bail!("crash between two writes")
		});
		assert!(result.is_err());
		assert_eq!(store.get::<u32>(key::NODE).unwrap(), None);
	}

	#[test]
	fn old_intervals_are_forgotten() {
		let (store, _) = store("prune");
		store.put_report(&record(1, ReportState::Final { block: 1 })).unwrap();
		store.put_report(&record(1 + KEEP_INTERVALS, ReportState::Sending)).unwrap();
		assert!(store.report(1).unwrap().is_some());
		store.put_report(&record(2 + KEEP_INTERVALS, ReportState::Sending)).unwrap();
		assert!(store.report(1).unwrap().is_none());
	}
}
