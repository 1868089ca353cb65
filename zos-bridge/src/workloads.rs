//! Contracts become workloads: the bridge keeps the agent's deployments where the chain says
//! they should be.
//!
//! The chain is the only authority: at the finalized head a node contract is active (its
//! workloads run), in grace (they pause, data kept, a gateway answers 503), or gone (they are
//! decommissioned, and the journal keeps why). Finalized events (`ContractGraceStarted`,
//! `ContractGraceEnded`, `ContractEnded`) say which contracts to look at now; a full reconcile
//! at start and every `--reconcile-secs` compares every deployment the agent or the journal
//! knows with the chain, so an event missed while the bridge was down changes nothing.
//!
//! Each action is journaled (`pending`) before the agent is called and settled after it
//! answers. After a crash the pending action is sent again; the agent's commands are
//! idempotent (a pause of a paused deployment changes nothing), so it runs once.

use crate::{
	chain::{chain_secs, Chain},
	metrics::Metrics,
	store::{key, Cursor, Store},
};
use anyhow::{anyhow, Result};
use grid_client::{grid, AtBlock};
use serde::{Deserialize, Serialize};
use std::{
	collections::{BTreeMap, BTreeSet},
	sync::Arc,
	time::Duration,
};
use tokio::sync::Mutex;
use tracing::{info, warn};
use zos_api::{code, command, Agent, AgentError, Deployment, DeploymentInfo, Transport};

use grid::runtime_types::{
	grid_primitives::contracts::{ContractState, EndCause},
	pallet_capacity::types::ContractKind,
};

/// A contract as the chain has it, in the terms the bridge decides by.
pub type ChainContract =
	grid::runtime_types::pallet_capacity::types::Contract<subxt::utils::AccountId32, u128, u32>;

/// An action on a deployment, journaled before the agent is asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
	/// Deploy (version 0) or update to the record's deployment.
	Deploy {
		version: u32,
	},
	Pause {
		reason: String,
	},
	Resume {
		reason: String,
	},
	Decommission {
		reason: String,
	},
}

impl Action {
	/// Its name, as in the agent's history and the metrics.
	pub fn name(&self) -> &'static str {
		match self {
			Action::Deploy { version: 0 } => "deploy",
			Action::Deploy { .. } => "update",
			Action::Pause { .. } => "pause",
			Action::Resume { .. } => "resume",
			Action::Decommission { .. } => "decommission",
		}
	}
}

/// What the bridge knows of one contract's deployment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
	/// The last deployment its owner submitted and the bridge accepted.
	pub deployment: Deployment,
	/// Journaled and not yet confirmed by the agent.
	pub pending: Option<Action>,
	/// The version the agent confirmed (`None`: not deployed yet).
	pub deployed: Option<u32>,
	pub paused: bool,
	/// Why it was decommissioned (`Some`: done, kept as a record).
	pub ended: Option<String>,
	/// Why the agent refused the last deployment, if it did.
	#[serde(default)]
	pub refused: Option<String>,
}

impl Record {
	/// A record for a deployment just accepted.
	pub fn new(deployment: Deployment) -> Self {
		Self {
			deployment,
			pending: None,
			deployed: None,
			paused: false,
			ended: None,
			refused: None,
		}
	}

	/// A record for a deployment the agent holds and the journal does not (a lost data dir).
	pub fn adopted(info: &DeploymentInfo) -> Self {
		Self {
			deployment: info.deployment.clone(),
			pending: None,
			deployed: Some(info.deployment.version),
			paused: info.paused,
			ended: (!info.active).then(|| "decommissioned before this journal".into()),
			refused: None,
		}
	}

	/// What the agent confirmed `action` did.
	fn settle(&mut self, action: &Action) {
		match action {
			Action::Deploy { version } => {
				self.deployed = Some(*version);
				self.refused = None;
			},
			Action::Pause { .. } => self.paused = true,
			Action::Resume { .. } => self.paused = false,
			Action::Decommission { reason } => self.ended = Some(reason.clone()),
		}
		self.pending = None;
	}
}

/// Where the chain wants a contract's workloads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Want {
	Run,
	Pause(String),
	Decommission(String),
}

/// Why a contract ended, in an operator's words.
pub fn end_reason(cause: &EndCause) -> &'static str {
	match cause {
		EndCause::Owner => "cancelled by its owner",
		EndCause::OutOfFunds => "out of funds: its grace period ran out unpaid",
		EndCause::Governance => "ended by governance",
		EndCause::NodeRemoved => "its node left the grid",
		EndCause::Farmer => "the farmer took back one of its public IPs",
	}
}

/// The gateway names a deployment serves and whether each is held, for the deployment's twin,
/// by a name contract (`Some(in grace)`), or not held (`None`).
pub type Names = BTreeMap<String, Option<bool>>;

/// Where the chain wants `record`'s workloads, given its contract at the finalized head
/// (`None`: ended) and its gateway names.
pub fn want(contract: Option<&ChainContract>, names: &Names, ended: Option<&str>) -> Want {
	let Some(contract) = contract else {
		return Want::Decommission(
			ended
				.unwrap_or("the contract is not active on chain at the finalized head")
				.into(),
		);
	};
	if let ContractState::GracePeriod { since } = contract.state {
		return Want::Pause(format!("contract in grace since block #{since}"));
	}
	for (name, held) in names {
		match held {
			None => return Want::Pause(format!("gateway name {name:?} is not held by the owner")),
			Some(true) => return Want::Pause(format!("the name contract of {name:?} is in grace")),
			Some(false) => {},
		}
	}
	Want::Run
}

/// The action that moves the agent's state (`info`: what it holds) toward `want`, if any.
pub fn next_action(record: &Record, info: Option<&DeploymentInfo>, want: &Want) -> Option<Action> {
	let version = record.deployment.version;
	let active = info.is_some_and(|i| i.active);
	match want {
		Want::Decommission(reason) => (active
			|| (info.is_none() && record.ended.is_none() && record.deployed.is_some()))
		.then(|| Action::Decommission { reason: reason.clone() }),
		_ if record.ended.is_some() || record.refused.is_some() => None,
		_ if info.is_none_or(|i| i.deployment.version < version) => {
			// Not there (never sent, or the agent lost it), or older: (re)deploy it. An update
			// needs the agent to hold the deployment; one that lost it starts again at 0.
			let version = if info.is_none() { 0 } else { version };
			(info.is_none() || active).then_some(Action::Deploy { version })
		},
		Want::Pause(reason) if info.is_some_and(|i| i.active && !i.paused) => {
			Some(Action::Pause { reason: reason.clone() })
		},
		Want::Run if info.is_some_and(|i| i.active && i.paused) => {
			Some(Action::Resume { reason: "the contract is active again".into() })
		},
		_ => None,
	}
}

/// How deployments are handled.
#[derive(Clone, Debug)]
pub struct DeploySettings {
	pub reconcile_every: Duration,
	pub poll_every: Duration,
	/// A node contract with no deployment submitted this long after its creation is an
	/// orphan: reported in logs and `zos_bridge_orphan_contracts`.
	pub orphan_after: Duration,
	/// Test-only fault injection (`ZOS_BRIDGE_FAULT`): abort the process right after the
	/// first action is journaled (`crash_after_journal`) or after the agent answered it
	/// (`crash_after_agent`).
	pub fault: Option<String>,
}

/// Drives the agent's deployments from the chain; shared by the follower and the HTTP API.
pub struct Deployer<T> {
	pub chain: Arc<Chain>,
	pub agent: Agent<T>,
	pub store: Arc<Store>,
	pub metrics: Metrics,
	pub node_id: u32,
	pub settings: DeploySettings,
	/// One action at a time: the API and the follower never act on a contract at once.
	pub lock: Mutex<()>,
	/// Orphans already logged.
	orphans: Mutex<BTreeSet<u64>>,
}

impl<T: Transport> Deployer<T> {
	pub fn new(
		chain: Arc<Chain>,
		agent: Agent<T>,
		store: Arc<Store>,
		metrics: Metrics,
		node_id: u32,
		settings: DeploySettings,
	) -> Self {
		Self {
			chain,
			agent,
			store,
			metrics,
			node_id,
			settings,
			lock: Mutex::new(()),
			orphans: Mutex::new(BTreeSet::new()),
		}
	}

	/// Follows finalized blocks and reconciles until the process ends.
	pub async fn run(self: Arc<Self>) {
		self.reconcile("start").await;
		let mut last_reconcile = tokio::time::Instant::now();
		let mut tick = tokio::time::interval(self.settings.poll_every);
		tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
		loop {
			tick.tick().await;
			if let Err(e) = self.follow().await {
				warn!(error = %format!("{e:#}"), "following contracts failed; retrying");
			}
			if last_reconcile.elapsed() >= self.settings.reconcile_every {
				last_reconcile = tokio::time::Instant::now();
				self.reconcile("periodic").await;
			}
		}
	}

	async fn reconcile(&self, reason: &str) {
		self.metrics
			.reconciles
			.with_label_values(&[&format!("deployments_{reason}")])
			.inc();
		let started = std::time::Instant::now();
		match self.reconcile_all().await {
			Ok(count) => info!(
				reason,
				deployments = count,
				took_ms = started.elapsed().as_millis() as u64,
				"deployments reconciled with the finalized chain"
			),
			Err(e) => warn!(reason, error = %format!("{e:#}"), "deployment reconcile failed"),
		}
	}

	/// Handles contract events of finalized blocks after the deployment cursor.
	async fn follow(&self) -> Result<()> {
		let (number, hash) = self.chain.finalized_head().await?;
		let Some(cursor) = self.store.get::<Cursor>(key::DEPLOY_CURSOR)? else {
			self.store
				.put(key::DEPLOY_CURSOR, &Cursor { number, hash: format!("{hash:?}") })?;
			return Ok(());
		};
		let last = number.min(cursor.number.saturating_add(100));
		for n in cursor.number.saturating_add(1)..=last {
			let found = self.chain.block_events(n).await;
			let (hash, events) = match found {
				Ok(found) => found,
				Err(e) => {
					warn!(block = n, error = %format!("{e:#}"), "cannot read the events of a block behind the deployment cursor; reconciling in full");
					self.reconcile_all().await?;
					self.store
						.put(key::DEPLOY_CURSOR, &Cursor { number, hash: format!("{hash:?}") })?;
					return Ok(());
				},
			};
			// Contract → why it ended, if it did; `None` for the ones only touched.
			let mut touched: BTreeMap<u64, Option<String>> = BTreeMap::new();
			let mut names_touched = false;
			let mine = |node: &Option<u32>| *node == Some(self.node_id);
			for e in events.find::<grid::capacity::events::ContractGraceStarted>() {
				let e = e?;
				names_touched |= e.node_id.is_none();
				if mine(&e.node_id) {
					touched.entry(e.contract_id).or_default();
				}
			}
			for e in events.find::<grid::capacity::events::ContractGraceEnded>() {
				let e = e?;
				names_touched |= e.node_id.is_none();
				if mine(&e.node_id) {
					touched.entry(e.contract_id).or_default();
				}
			}
			for e in events.find::<grid::capacity::events::ContractEnded>() {
				let e = e?;
				names_touched |= e.node_id.is_none();
				if mine(&e.node_id) {
					touched.insert(e.contract_id, Some(end_reason(&e.cause).to_string()));
				}
			}
			if names_touched {
				for (id, record) in self.store.deployments::<Record>()? {
					if record.deployment.gateway_names().next().is_some() {
						touched.entry(id).or_default();
					}
				}
			}
			if !touched.is_empty() {
				let at = self.chain.finalized().await?;
				let finalized_at = std::time::Instant::now();
				for (contract_id, ended) in &touched {
					if let Err(e) = self.converge(&at, *contract_id, ended.as_deref()).await {
						warn!(contract_id, error = %format!("{e:#}"), "acting on a contract event failed; the next reconcile retries");
					}
				}
				info!(
					block = n,
					contracts = touched.len(),
					took_ms = finalized_at.elapsed().as_millis() as u64,
					"acted on finalized contract events"
				);
			}
			self.store
				.put(key::DEPLOY_CURSOR, &Cursor { number: n, hash: format!("{hash:?}") })?;
		}
		Ok(())
	}

	/// Compares every deployment the journal or the agent knows, and every contract on the
	/// node, with the finalized chain; returns how many deployments it looked at.
	pub async fn reconcile_all(&self) -> Result<usize> {
		let at = self.chain.finalized().await?;
		let mut infos: BTreeMap<u64, DeploymentInfo> = self
			.agent
			.deployments()
			.await
			.map_err(|e| anyhow!("listing the agent's deployments: {e}"))?
			.into_iter()
			.map(|i| (i.deployment.contract_id, i))
			.collect();
		let records: BTreeMap<u64, Record> = self.store.deployments()?.into_iter().collect();
		// Decommissioned is final: a tombstone both sides agree on needs no chain read, so a
		// reconcile costs what the live deployments cost, however old the node.
		let settled = |id: &u64| {
			records.get(id).is_some_and(|r| r.ended.is_some() && r.pending.is_none())
				&& infos.get(id).is_none_or(|i| !i.active)
		};
		let ids: BTreeSet<u64> =
			infos.keys().chain(records.keys()).copied().filter(|id| !settled(id)).collect();
		let mut contracts = fetch_contracts(&at, &ids).await?;
		for id in &ids {
			let contract = contracts.remove(id).flatten();
			match self.converge_with(&at, *id, None, infos.get(id), contract).await {
				Ok(Some(now)) => {
					infos.insert(*id, now);
				},
				Ok(None) => {},
				Err(e) => {
					warn!(contract_id = id, error = %format!("{e:#}"), "reconciling a deployment failed")
				},
			}
		}
		self.count_states(infos.values());
		self.find_orphans(&at, &records).await?;
		Ok(ids.len())
	}

	/// Contracts on this node with no deployment long after their creation.
	async fn find_orphans(&self, at: &AtBlock, records: &BTreeMap<u64, Record>) -> Result<()> {
		let (on_node, _rent) = grid_client::view_at(
			at,
			grid::view_functions().capacity().contracts_on_node(self.node_id),
		)
		.await?;
		let now = chain_secs(at).await?;
		let mut orphans = self.orphans.lock().await;
		orphans.retain(|id| on_node.contains(id) && !records.contains_key(id));
		for id in on_node.iter().filter(|id| !records.contains_key(id)) {
			let Some(contract) = fetch_contract(at, *id).await? else { continue };
			let age = now.saturating_sub(contract.created_at);
			if age >= self.settings.orphan_after.as_secs() && orphans.insert(*id) {
				warn!(contract_id = id, twin_id = contract.twin_id, age_s = age, "a node contract has had no deployment submitted since it was created: its owner pays for nothing");
			}
		}
		self.metrics.orphans.with_label_values(&["node"]).set(orphans.len() as u64);
		Ok(())
	}

	/// Sets `zos_bridge_deployments{state}` from the agent's deployments.
	fn count_states<'a>(&self, infos: impl Iterator<Item = &'a DeploymentInfo>) {
		let mut counts = BTreeMap::from([("running", 0u64), ("paused", 0), ("decommissioned", 0)]);
		for i in infos {
			let state = match (i.active, i.paused) {
				(false, _) => "decommissioned",
				(true, true) => "paused",
				(true, false) => "running",
			};
			*counts.entry(state).or_default() += 1;
		}
		for (state, count) in counts {
			self.metrics.deployments.with_label_values(&[state]).set(count);
		}
	}

	/// Moves one contract's deployment to where the chain at `at` wants it.
	pub async fn converge(
		&self,
		at: &AtBlock,
		contract_id: u64,
		ended: Option<&str>,
	) -> Result<()> {
		let info = match self.agent.deployment(contract_id).await {
			Ok(info) => Some(info),
			Err(AgentError::Remote(e)) if e.code == code::NOT_FOUND => None,
			Err(e) => return Err(anyhow!("reading deployment {contract_id} from the agent: {e}")),
		};
		let contract = fetch_contract(at, contract_id).await?;
		self.converge_with(at, contract_id, ended, info.as_ref(), contract)
			.await
			.map(|_| ())
	}

	/// [`Self::converge`] with the agent's state (`info`) and the contract already read; the
	/// agent's state after it.
	async fn converge_with(
		&self,
		at: &AtBlock,
		contract_id: u64,
		ended: Option<&str>,
		info: Option<&DeploymentInfo>,
		contract: Option<ChainContract>,
	) -> Result<Option<DeploymentInfo>> {
		let _one_at_a_time = self.lock.lock().await;
		let mut record = match self.store.deployment::<Record>(contract_id)? {
			Some(record) => record,
			None => match info {
				Some(info) => Record::adopted(info),
				None => return Ok(None),
			},
		};
		// A journaled action the agent never confirmed goes first, as it was.
		let mut info = info.cloned();
		if let Some(action) = record.pending.clone() {
			info = self.apply(&mut record, action).await?;
		}
		let contract = contract.filter(|c| self.is_mine(c, &record.deployment));
		let names = self.names(at, &record.deployment).await?;
		let want = want(contract.as_ref(), &names, ended);
		// At most a (re)deploy and then a pause: each step answers the agent's new state.
		for _ in 0..2 {
			let Some(action) = next_action(&record, info.as_ref(), &want) else { break };
			info = self.apply(&mut record, action).await?;
		}
		Ok(info)
	}

	/// Whether `contract` is a node contract on this node, of the deployment's twin.
	fn is_mine(&self, contract: &ChainContract, deployment: &Deployment) -> bool {
		matches!(&contract.kind, ContractKind::Node(n) if n.node_id == self.node_id)
			&& contract.twin_id == deployment.twin_id
	}

	/// Each gateway name of `deployment`: held by its twin (in grace or not), or not held.
	pub async fn names(&self, at: &AtBlock, deployment: &Deployment) -> Result<Names> {
		let mut names = Names::new();
		for name in deployment.gateway_names() {
			let holder = at
				.storage()
				.try_fetch(
					grid::storage().capacity().name_owner(),
					(grid_client::bounded(name.as_bytes().to_vec()),),
				)
				.await?;
			let held = match holder {
				Some(id) => fetch_contract(at, id.decode()?)
					.await?
					.filter(|c| c.twin_id == deployment.twin_id)
					.map(|c| matches!(c.state, ContractState::GracePeriod { .. })),
				None => None,
			};
			names.insert(name.to_string(), held);
		}
		Ok(names)
	}

	/// Journals `action`, asks the agent, and journals what it did; the agent's state after it
	/// (`None`: the agent holds no such deployment).
	pub async fn apply(
		&self,
		record: &mut Record,
		action: Action,
	) -> Result<Option<DeploymentInfo>> {
		let contract_id = record.deployment.contract_id;
		record.pending = Some(action.clone());
		self.store.put_deployment(contract_id, record)?;
		self.fault("crash_after_journal");
		let result = match &action {
			Action::Deploy { version } => {
				let mut deployment = record.deployment.clone();
				if *version == 0 && deployment.version != 0 {
					// The agent lost it: it starts again from the latest accepted workloads.
					deployment.version = 0;
					for w in &mut deployment.workloads {
						w.version = 0;
					}
				}
				self.agent.deploy(&deployment).await
			},
			Action::Pause { reason } => {
				self.agent.change_state(command::PAUSE, contract_id, reason).await
			},
			Action::Resume { reason } => {
				self.agent.change_state(command::RESUME, contract_id, reason).await
			},
			Action::Decommission { reason } => {
				self.agent.change_state(command::DECOMMISSION, contract_id, reason).await
			},
		};
		self.metrics.agent(action.name(), &result);
		let outcome = |result: &str| {
			self.metrics.actions.with_label_values(&[action.name(), result]).inc();
		};
		match result {
			Ok(info) => {
				self.fault("crash_after_agent");
				record.settle(&action);
				self.store.put_deployment(contract_id, record)?;
				outcome("done");
				info!(contract_id, action = action.name(), detail = ?action, "deployment action done");
				Ok(Some(info))
			},
			Err(AgentError::Remote(e)) if e.code == code::NOT_FOUND => {
				// The agent lost it: nothing to decommission; anything else deploys it again.
				match &action {
					Action::Decommission { .. } => record.settle(&action),
					_ => {
						record.pending = None;
						record.deployed = None;
					},
				}
				self.store.put_deployment(contract_id, record)?;
				outcome("not_found");
				warn!(
					contract_id,
					action = action.name(),
					"the agent does not hold the deployment"
				);
				Ok(None)
			},
			Err(AgentError::Remote(e)) if e.code == code::DECOMMISSIONED => {
				let ended = Action::Decommission { reason: "decommissioned on the agent".into() };
				record.settle(&ended);
				self.store.put_deployment(contract_id, record)?;
				outcome("decommissioned");
				Ok(self.agent.deployment(contract_id).await.ok())
			},
			Err(AgentError::Remote(e)) if matches!(action, Action::Deploy { .. }) => {
				// The agent refuses it for good (no room, malformed): say so, do not retry.
				record.pending = None;
				record.refused = Some(format!("{}: {}", e.code, e.message));
				self.store.put_deployment(contract_id, record)?;
				outcome("refused");
				warn!(contract_id, code = %e.code, message = %e.message, "the agent refused the deployment");
				Err(anyhow!(
					"the agent refused deployment {contract_id}: {}: {}",
					e.code,
					e.message
				))
			},
			Err(e) => {
				outcome("failed");
				Err(anyhow!(
					"{} of deployment {contract_id}: {e}; journaled, retried later",
					action.name()
				))
			},
		}
	}

	fn fault(&self, at: &str) {
		if self.settings.fault.as_deref() == Some(at) {
			eprintln!("zos-bridge: fault injected: aborting {at}");
			std::process::abort();
		}
	}
}

/// The live contracts `ids` at `at` (`None`: ended), read 32 at a time.
async fn fetch_contracts(
	at: &AtBlock,
	ids: &BTreeSet<u64>,
) -> Result<BTreeMap<u64, Option<ChainContract>>> {
	let ids: Vec<u64> = ids.iter().copied().collect();
	let mut found = BTreeMap::new();
	for chunk in ids.chunks(32) {
		let mut reads = tokio::task::JoinSet::new();
		for &id in chunk {
			let at = at.clone();
			reads.spawn(async move { (id, fetch_contract(&at, id).await) });
		}
		while let Some(read) = reads.join_next().await {
			let (id, contract) = read?;
			found.insert(id, contract?);
		}
	}
	Ok(found)
}

/// The live contract `id` at `at`.
pub async fn fetch_contract(at: &AtBlock, id: u64) -> Result<Option<ChainContract>> {
	let found = at.storage().try_fetch(grid::storage().capacity().contracts(), (id,)).await?;
	Ok(match found {
		Some(c) => Some(c.decode()?),
		None => None,
	})
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]
	use super::*;
	use zos_api::deployment::{Workload, WorkloadData, ZMount};

	fn record() -> Record {
		let disk = Workload::new("disk", WorkloadData::ZMount(ZMount { size: 1 }));
		Record::new(Deployment::new(1, 5, vec![disk]))
	}

	fn info(record: &Record, active: bool, paused: bool) -> DeploymentInfo {
		DeploymentInfo {
			deployment: record.deployment.clone(),
			active,
			paused,
			workloads: vec![],
			history: vec![],
			traffic_bytes: 0,
		}
	}

	#[test]
	fn the_agent_is_moved_toward_what_the_chain_wants() {
		let r = record();
		let pause = Want::Pause("grace".into());
		let gone = Want::Decommission("cancelled".into());
		assert_eq!(next_action(&r, None, &Want::Run), Some(Action::Deploy { version: 0 }));
		let running = info(&r, true, false);
		let paused = info(&r, true, true);
		let dead = info(&r, false, true);
		assert_eq!(next_action(&r, Some(&running), &Want::Run), None);
		assert_eq!(
			next_action(&r, Some(&running), &pause),
			Some(Action::Pause { reason: "grace".into() })
		);
		assert_eq!(next_action(&r, Some(&paused), &pause), None);
		assert!(matches!(next_action(&r, Some(&paused), &Want::Run), Some(Action::Resume { .. })));
		assert_eq!(
			next_action(&r, Some(&paused), &gone),
			Some(Action::Decommission { reason: "cancelled".into() })
		);
		// Decommissioned stays decommissioned, whatever the chain says later.
		assert_eq!(next_action(&r, Some(&dead), &gone), None);
		assert_eq!(next_action(&r, Some(&dead), &Want::Run), None);
		// A contract that ended before anything was deployed needs no agent call.
		assert_eq!(next_action(&r, None, &gone), None);
	}

	#[test]
	fn an_accepted_update_reaches_an_agent_holding_the_older_version() {
		let mut r = record();
		let old = info(&r, true, false);
		r.deployment.version = 1;
		assert_eq!(next_action(&r, Some(&old), &Want::Run), Some(Action::Deploy { version: 1 }));
		// An agent that lost everything gets the latest workloads again, as version 0.
		assert_eq!(next_action(&r, None, &Want::Run), Some(Action::Deploy { version: 0 }));
		// A refused deployment is not sent again until the owner submits another.
		r.refused = Some("no_capacity".into());
		assert_eq!(next_action(&r, None, &Want::Run), None);
	}

	#[test]
	fn settled_actions_update_the_record() {
		let mut r = record();
		r.pending = Some(Action::Pause { reason: "x".into() });
		r.settle(&Action::Pause { reason: "x".into() });
		assert!(r.paused && r.pending.is_none());
		r.settle(&Action::Decommission { reason: "cancelled by its owner".into() });
		assert_eq!(r.ended.as_deref(), Some("cancelled by its owner"));
	}
}
