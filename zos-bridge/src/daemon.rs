//! The bridge's life: wait for funds, register, then follow the finalized chain and report.
//!
//! One loop, one step at a time (no two actions race): follow finalized blocks from the
//! journaled cursor, drive the power job, report uptime when an interval is due, reconcile
//! with the chain's state now and then. Every action is journaled before it runs.

use crate::{
	chain::{
		self, chain_secs, is_refusal, tft, Chain, ChainFacts, ChainNode, ChainPower, Resources,
	},
	identity::Identity,
	metrics::Metrics,
	spec::{self, Machine},
	store::{key, Cursor, PowerJob, PowerStep, ReportState, Store, UptimeRecord},
	usage::{self, Baseline, PendingBatch},
};
use anyhow::{anyhow, Result};
use grid_client::{grid, AtBlock, GridClient, Wait};
use std::time::{Duration, Instant};
use subxt::{transactions::Payload, utils::H256};
use tracing::{debug, info, warn};
use zos_api::{Agent, AgentError, Power, Transport};

use grid::runtime_types::{
	pallet_capacity::types::{UsageBatch, UsageReport},
	pallet_minting::types::UptimeReport,
	sp_runtime::MultiSignature,
};
use std::{collections::BTreeMap, sync::Arc};

/// How the bridge is set up.
#[derive(Clone, Debug)]
pub struct Settings {
	pub farm_id: u32,
	/// How often the bridge compares its node with the chain and the agent.
	pub reconcile_every: Duration,
	/// How often it polls the finalized head.
	pub poll_every: Duration,
	/// How long it waits between funding checks.
	pub funding_every: Duration,
}

/// The chain's report timing (minting's parameters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
	pub first_period_start: u64,
	pub report_interval: u64,
	pub min_report_gap: u64,
}

/// How far a timestamp hint may be from the chain's clock (minting's `CLOCK_TOLERANCE`).
pub const HINT_TOLERANCE: u64 = 60;

impl Timing {
	/// The report interval `now` falls in.
	pub fn interval(&self, now: u64) -> u64 {
		now.saturating_sub(self.first_period_start) / self.report_interval.max(1)
	}
}

/// How far following the finalized chain went.
pub enum Followed {
	/// Up to the finalized head (or the batch's end).
	UpTo,
	/// This node was deleted in that block.
	NodeDeleted(u32),
}

/// What became of a report whose fate was unknown, judged at the finalized block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fate {
	/// The chain's last report is this one.
	Landed,
	/// Not on chain, and its hint is too old to land any more.
	Lost,
	/// Not on chain yet; it may still land.
	Pending,
}

/// `record`'s fate, given the chain's last report of the node (`(uptime, boot)`), the chain's
/// time at the finalized block and the block time.
pub fn fate(
	record: &UptimeRecord,
	last: Option<(u64, u64)>,
	chain_now: u64,
	block_secs: u64,
) -> Fate {
	if last == Some((record.uptime, record.boot)) {
		return Fate::Landed;
	}
	// Blocks after the finalized one are later still: past this the hint is refused.
	if chain_now > record.hint.saturating_add(HINT_TOLERANCE).saturating_add(2 * block_secs) {
		return Fate::Lost;
	}
	Fate::Pending
}

/// Exponential backoff from 2 s to a minute.
#[derive(Default)]
struct Backoff {
	failures: u32,
	until: Option<Instant>,
}

impl Backoff {
	fn ready(&self) -> bool {
		self.until.is_none_or(|t| Instant::now() >= t)
	}
	fn fail(&mut self) -> Duration {
		self.failures = self.failures.saturating_add(1);
		let wait = Duration::from_secs((2u64 << self.failures.min(5)).min(60));
		self.until = Some(Instant::now() + wait);
		wait
	}
	fn reset(&mut self) {
		*self = Self::default();
	}
}

/// The running bridge.
pub struct Bridge<T> {
	pub settings: Settings,
	pub chain: Arc<Chain>,
	pub agent: Agent<T>,
	pub store: Arc<Store>,
	pub id: Identity,
	pub metrics: Metrics,
	facts: ChainFacts,
	timing: Timing,
	node_id: u32,
	uptime_backoff: Backoff,
	power_backoff: Backoff,
	usage_backoff: Backoff,
	agent_down_since: Option<Instant>,
	last_reconcile: Instant,
}

impl<T: Transport> Bridge<T> {
	/// Reads the chain's facts, waits for funds, registers; the bridge is then ready to run.
	pub async fn start(
		settings: Settings,
		chain: Arc<Chain>,
		agent: Agent<T>,
		store: Arc<Store>,
		id: Identity,
		metrics: Metrics,
	) -> Result<Self> {
		let facts = loop {
			match chain.facts().await {
				Ok(facts) => break facts,
				Err(e) => {
					warn!(error = %format!("{e:#}"), "cannot read the chain yet; retrying in 5 s");
					tokio::time::sleep(Duration::from_secs(5)).await;
				},
			}
		};
		let m = &facts.minting;
		let timing = Timing {
			first_period_start: m.first_period_start,
			report_interval: m.report_interval,
			min_report_gap: m.min_report_gap,
		};
		info!(
			report_interval_s = timing.report_interval,
			min_report_gap_s = timing.min_report_gap,
			block_time_ms = facts.block_time.as_millis() as u64,
			"chain timing"
		);
		let mut bridge = Self {
			settings,
			chain,
			agent,
			store,
			id,
			metrics,
			facts,
			timing,
			node_id: 0,
			uptime_backoff: Backoff::default(),
			power_backoff: Backoff::default(),
			usage_backoff: Backoff::default(),
			agent_down_since: None,
			last_reconcile: Instant::now(),
		};
		bridge.node_id = bridge.ensure_registered().await?;
		bridge.store.put(key::NODE, &bridge.node_id)?;
		Ok(bridge)
	}

	/// The node's id on chain.
	pub fn node_id(&self) -> u32 {
		self.node_id
	}

	/// Runs until `stop` resolves.
	pub async fn run(mut self, stop: impl std::future::Future<Output = ()>) -> Result<()> {
		tokio::pin!(stop);
		self.reconcile("start").await;
		let mut tick = tokio::time::interval(self.settings.poll_every);
		tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
		let mut fresh = Instant::now();
		loop {
			tokio::select! {
				_ = &mut stop => {
					info!("stopping");
					return Ok(());
				},
				_ = tick.tick() => {},
			}
			if fresh.elapsed() >= self.facts.block_time {
				fresh = Instant::now();
				if let Err(e) = self.chain.check_fresh().await {
					warn!(error = %format!("{e:#}"), "cannot check the endpoint's best block");
				}
			}
			match self.follow_finalized().await {
				Ok(Followed::NodeDeleted(block)) => {
					// The farmer (or the node's key) removed it: registering it again is not
					// the bridge's call.
					return Err(anyhow!(
						"node {} was deleted on chain in block #{block}; start zos-bridge again to register a new node",
						self.node_id
					));
				},
				Ok(Followed::UpTo) => {},
				Err(e) => {
					warn!(error = %format!("{e:#}"), "following finalized blocks failed; retrying")
				},
			}
			if let Err(e) = self.drive_power().await {
				warn!(error = %format!("{e:#}"), "power step failed; retrying");
			}
			if let Err(e) = self.report_uptime().await {
				warn!(error = %format!("{e:#}"), "uptime report failed; retrying");
			}
			if let Err(e) = self.report_usage().await {
				let wait = self.usage_backoff.fail();
				warn!(error = %format!("{e:#}"), retry_in_s = wait.as_secs(), "usage report failed");
			}
			if self.last_reconcile.elapsed() >= self.settings.reconcile_every {
				self.reconcile("periodic").await;
			}
		}
	}

	// ---- registration ----

	/// The node's id: registers it first (after the farmer funded the account, and admitted
	/// it on an allow-list farm) when the chain does not know it yet.
	async fn ensure_registered(&mut self) -> Result<u32> {
		let account = self.id.account;
		let mut said = String::new();
		loop {
			let at = self.chain.finalized().await?;
			let (twin, node) = chain::node_of(&at, &account).await?;
			if let Some((node_id, node)) = node {
				info!(node_id, farm_id = node.farm_id, twin_id = node.twin_id, "node registered");
				return Ok(node_id);
			}
			let farm_id = self.settings.farm_id;
			let Some(farm) =
				at.storage().try_fetch(grid::storage().registry().farms(), (farm_id,)).await?
			else {
				// A farm created a moment ago is in a best block only: wait for it to be final.
				let best = self
					.chain
					.call("reading the best block", |c| async move { c.best().await })
					.await?;
				let farms = grid::storage().registry().farms();
				if best.storage().try_fetch(farms, (farm_id,)).await?.is_none() {
					return Err(anyhow!(
						"farm {farm_id} does not exist on this chain: check --farm-id"
					));
				}
				self.say_once(&mut said, format!("farm {farm_id} is not final yet; waiting"));
				tokio::time::sleep(self.facts.block_time).await;
				continue;
			};
			let farm = farm.decode()?;
			let farm_name = String::from_utf8_lossy(&farm.name.0).into_owned();
			let spec = match self.machine_spec(&at).await {
				Ok(spec) => spec,
				Err(e) => {
					self.say_once(&mut said, format!("cannot register: {e}"));
					tokio::time::sleep(self.settings.funding_every).await;
					continue;
				},
			};
			let admits = grid_client::view_at(
				&at,
				grid::view_functions().registry().farm_admits(farm_id, account),
			)
			.await?;
			if !admits {
				self.say_once(
					&mut said,
					format!(
						"farm {farm_id} ({farm_name}) admits only listed nodes: waiting for its farmer to admit \
						 {account} (registry.admitNode({farm_id}, Account({account})))"
					),
				);
				tokio::time::sleep(self.settings.funding_every).await;
				continue;
			}
			let free = grid_client::free_balance_at(&at, &account).await?;
			let need = self.funding_need(twin.is_some(), &spec).await?;
			if free < need.total() {
				self.say_once(&mut said, need.message(&account, free));
				tokio::time::sleep(self.settings.funding_every).await;
				continue;
			}
			if twin.is_none() {
				info!("creating the node's twin");
				let tx = grid::tx().registry().create_twin(grid_client::bounded(vec![]), None);
				self.submit_signed("create_twin", "register", &tx, Wait::Finalized).await?;
			}
			info!(
				farm_id,
				cru = spec.resources.cru,
				mru = spec.resources.mru,
				sru = spec.resources.sru,
				hru = spec.resources.hru,
				"registering the node"
			);
			let tx = grid::tx().registry().register_node(farm_id, spec);
			if let Err(e) =
				self.submit_signed("register_node", "register", &tx, Wait::Finalized).await
			{
				self.say_once(&mut said, format!("the chain refused the registration: {e:#}"));
				tokio::time::sleep(self.settings.funding_every).await;
			}
		}
	}

	/// Logs `message` as a warning unless it is what was said last (a waiting bridge repeats
	/// itself only when something changed).
	fn say_once(&self, said: &mut String, message: String) {
		if *said != message {
			warn!("{message}");
			*said = message;
		} else {
			debug!("{message}");
		}
	}

	/// What the account needs before it can register: deposits from the chain's constants and
	/// the fees of the transactions it will send, as the chain estimates them.
	async fn funding_need(&self, has_twin: bool, spec: &chain::NodeSpec) -> Result<Funding> {
		let keypair = self.id.keypair.clone();
		let spec = spec.clone();
		let fees = self
			.chain
			.call("estimating fees", |c| {
				let keypair = keypair.clone();
				let spec = spec.clone();
				async move {
					let at = c.best().await?;
					let mut fee = 0u128;
					let twin =
						grid::tx().registry().create_twin(grid_client::bounded(vec![]), None);
					let node = grid::tx().registry().register_node(0, spec);
					let power = grid::tx().registry().report_power_state(ChainPower::Down);
					let mut txs = at.transactions();
					if !has_twin {
						fee += txs
							.create_signed(&twin, &keypair, Default::default())
							.await?
							.partial_fee_estimate()
							.await?;
					}
					fee += txs
						.create_signed(&node, &keypair, Default::default())
						.await?
						.partial_fee_estimate()
						.await?;
					// Power reports are refunded when they change the state, but the fee is taken
					// first: keep room for a few.
					fee += 4 * txs
						.create_signed(&power, &keypair, Default::default())
						.await?
						.partial_fee_estimate()
						.await?;
					Ok(fee)
				}
			})
			.await?;
		Ok(Funding {
			twin_deposit: if has_twin { 0 } else { self.facts.twin_deposit },
			node_deposit: self.facts.node_deposit,
			existential_deposit: self.facts.existential_deposit,
			// Fees move with the chain's load: twice the estimate.
			fees: fees.saturating_mul(2),
		})
	}

	/// The machine as the agent describes it, as a node spec (checked).
	async fn machine_spec(&self, at: &AtBlock) -> Result<chain::NodeSpec> {
		let max: Resources = at
			.storage()
			.fetch(grid::storage().registry().max_node_resources(), ())
			.await?
			.decode()?;
		let machine = Machine {
			stats: self.agent_call(zos_api::command::STATISTICS, self.agent.statistics()).await?,
			dmi: self.agent_call(zos_api::command::DMI, self.agent.dmi()).await?,
			hypervisor: self
				.agent_call(zos_api::command::HYPERVISOR, self.agent.hypervisor())
				.await?,
			interfaces: self
				.agent_call(zos_api::command::INTERFACES, self.agent.interfaces())
				.await?,
			location: self.agent_call(zos_api::command::LOCATION, self.agent.location()).await?,
		};
		Ok(spec::node_spec(&machine, &max)?)
	}

	async fn agent_call<R>(
		&self,
		command: &str,
		call: impl std::future::Future<Output = Result<R, AgentError>>,
	) -> Result<R, AgentError> {
		let result = call.await;
		self.metrics.agent(command, &result);
		result
	}

	/// Signs and submits `tx` with the node's key; a refusal is an error naming the chain's
	/// reason.
	async fn submit_signed<P: Payload>(
		&self,
		what: &str,
		kind: &str,
		tx: &P,
		wait: Wait,
	) -> Result<H256> {
		let keypair = &self.id.keypair;
		self.metrics.report(kind, "sent");
		let result = self
			.chain
			.call(what, |c: GridClient| async move { c.submit(tx, keypair, wait).await })
			.await;
		match result {
			Ok(Ok(included)) => {
				self.metrics.report(kind, "included");
				info!(call = what, block = ?included.block, "transaction succeeded");
				Ok(included.block)
			},
			Ok(Err(failed)) => {
				self.metrics.report(kind, "refused");
				self.metrics.refusals.with_label_values(&[kind, &failed.error]).inc();
				Err(anyhow!("{what} failed on chain: {}", failed.error))
			},
			Err(e) => {
				let result = if is_refusal(&e) { "refused" } else { "failed" };
				self.metrics.report(kind, result);
				Err(e.context(format!("{what} was not included")))
			},
		}
	}

	// ---- following the finalized chain ----

	/// Handles the events of finalized blocks after the cursor (at most 100 per call).
	async fn follow_finalized(&mut self) -> Result<Followed> {
		let (number, hash) = self.chain.finalized_head().await?;
		self.metrics.block.with_label_values(&["finalized"]).set(number.into());
		let Some(cursor) = self.store.get::<Cursor>(key::CURSOR)? else {
			self.store.put(key::CURSOR, &Cursor { number, hash: format!("{hash:?}") })?;
			return Ok(Followed::UpTo);
		};
		let last = number.min(cursor.number.saturating_add(100));
		for n in cursor.number.saturating_add(1)..=last {
			let events = self.chain.block_events(n).await;
			let (hash, events) = match events {
				Ok(found) => found,
				Err(e) => {
					// The node no longer has the state of blocks that old: reconcile instead of
					// skipping what they said.
					warn!(block = n, finalized = number, error = %format!("{e:#}"), "cannot read the events of a block behind the cursor; reconciling in full");
					self.metrics.reconciles.with_label_values(&["pruned_cursor"]).inc();
					self.reconcile_now().await?;
					self.store.put(key::CURSOR, &Cursor { number, hash: format!("{hash:?}") })?;
					return Ok(Followed::UpTo);
				},
			};
			let mut target = None;
			let mut confirmed = vec![];
			let mut deleted = false;
			for e in events.find::<grid::registry::events::PowerTargetChanged>() {
				let e = e?;
				if e.node_id == self.node_id {
					target = Some(from_chain_power(&e.target));
				}
			}
			for e in events.find::<grid::minting::events::UptimeReported>() {
				let e = e?;
				if e.node_id == self.node_id {
					confirmed.push(e.uptime);
				}
			}
			for e in events.find::<grid::registry::events::NodeDeleted>() {
				deleted |= e?.node_id == self.node_id;
			}
			let open = self.store.open_reports()?;
			let job = self.power_job()?;
			self.store.write(|b| {
				b.put(key::CURSOR, &Cursor { number: n, hash: format!("{hash:?}") })?;
				if let Some(target) = target {
					if target != job.target {
						b.put(key::POWER, &PowerJob::toward(target))?;
					}
				}
				for mut record in open.iter().filter(|r| confirmed.contains(&r.uptime)).cloned() {
					record.state = ReportState::Final { block: n };
					b.put_report(&record)?;
				}
				Ok(())
			})?;
			if let Some(target) = target {
				info!(block = n, target = ?target, "the farmer set the node's power target");
			}
			for uptime in &confirmed {
				self.metrics.report("uptime", "final");
				info!(block = n, uptime, "uptime report final");
			}
			if deleted {
				return Ok(Followed::NodeDeleted(n));
			}
			self.metrics.block.with_label_values(&["handled"]).set(n.into());
		}
		Ok(Followed::UpTo)
	}

	// ---- reconciling ----

	async fn reconcile(&mut self, reason: &str) {
		self.metrics.reconciles.with_label_values(&[reason]).inc();
		if let Err(e) = self.reconcile_now().await {
			warn!(reason, error = %format!("{e:#}"), "reconcile failed; retrying at the next");
		}
	}

	/// Aligns the journal with the finalized state: the power target, the fate of reports in
	/// flight, the declared spec.
	async fn reconcile_now(&mut self) -> Result<()> {
		self.last_reconcile = Instant::now();
		let at = self.chain.finalized().await?;
		let node: ChainNode = at
			.storage()
			.try_fetch(grid::storage().registry().nodes(), (self.node_id,))
			.await?
			.ok_or_else(|| anyhow!("node {} is not on chain any more", self.node_id))?
			.decode()?;
		let target = from_chain_power(&node.power.target);
		let job = self.power_job()?;
		if job.target != target {
			info!(target = ?target, "power target differs from the journal; following the chain");
			self.store.put(key::POWER, &PowerJob::toward(target))?;
		}
		self.settle_reports(&at).await?;
		if !self.power_job()?.is_off() {
			self.check_spec(&at, &node).await;
		}
		Ok(())
	}

	/// Settles reports whose fate is unknown: one the chain has as the node's last report
	/// landed; one the follower never saw although it has handled every finalized block up to
	/// a time when its hint could no longer land is lost.
	async fn settle_reports(&self, at: &AtBlock) -> Result<()> {
		let open = self.store.open_reports()?;
		if open.is_empty() {
			return Ok(());
		}
		let last = self.last_report_at(at).await?;
		let caught_up = self
			.store
			.get::<Cursor>(key::CURSOR)?
			.is_some_and(|c| u64::from(c.number) >= at.block_number());
		let now = chain_secs(at).await?;
		let block_secs = self.facts.block_time.as_secs().max(1);
		for mut record in open {
			match fate(&record, last, now, block_secs) {
				Fate::Landed => {
					record.state = ReportState::Final { block: at.block_number() as u32 };
					self.metrics.report("uptime", "final");
					info!(
						interval = record.interval,
						uptime = record.uptime,
						"uptime report found on chain"
					);
				},
				Fate::Lost if caught_up => {
					record.state = ReportState::Lost;
					self.metrics.report("uptime", "lost");
					warn!(
						interval = record.interval,
						hint = record.hint,
						"uptime report lost (no finalized block has it); sending another"
					);
				},
				Fate::Lost | Fate::Pending => continue,
			}
			self.store.put_report(&record)?;
		}
		Ok(())
	}

	/// Whether a report in flight is old enough to be settled.
	fn settle_due(&self, open: &[UptimeRecord]) -> bool {
		let now = chain::unix_millis() / 1_000;
		let block_secs = self.facts.block_time.as_secs().max(1);
		open.iter()
			.any(|r| now > r.hint.saturating_add(HINT_TOLERANCE).saturating_add(2 * block_secs))
	}

	/// Declares the machine's spec again when the agent reports a change (never one the chain
	/// refused before, until it changes again).
	async fn check_spec(&self, at: &AtBlock, node: &ChainNode) {
		let spec = match self.machine_spec(at).await {
			Ok(spec) => spec,
			Err(e) => {
				warn!(error = %format!("{e:#}"), "cannot read the machine's spec; keeping the declared one");
				return;
			},
		};
		if spec == node.spec {
			return;
		}
		let fingerprint = format!("{spec:?}");
		if self.store.get::<String>(key::REFUSED_SPEC).ok().flatten().as_deref()
			== Some(&fingerprint)
		{
			debug!("the chain refused this spec before; waiting for the machine to change");
			return;
		}
		info!(
			cru = spec.resources.cru,
			mru = spec.resources.mru,
			sru = spec.resources.sru,
			hru = spec.resources.hru,
			"the machine changed; updating the node"
		);
		let tx = grid::tx().registry().update_node(spec);
		match self.submit_signed("update_node", "update", &tx, Wait::InBlock).await {
			Ok(_) => {
				let _ = self.store.write(|b| b.delete(key::REFUSED_SPEC));
			},
			Err(e) => {
				warn!(error = %format!("{e:#}"), "the node update was refused; retrying only after the machine changes");
				let _ = self.store.put(key::REFUSED_SPEC, &fingerprint);
			},
		}
	}

	// ---- power ----

	fn power_job(&self) -> Result<PowerJob> {
		Ok(self
			.store
			.get(key::POWER)?
			.unwrap_or(PowerJob { target: Power::Up, step: PowerStep::Awake }))
	}

	/// Takes the next step of the power job, if one is due.
	async fn drive_power(&mut self) -> Result<()> {
		let job = self.power_job()?;
		if !self.power_backoff.ready() {
			return Ok(());
		}
		let next = match job.step {
			PowerStep::Awake | PowerStep::Asleep => return Ok(()),
			PowerStep::ReportDown => {
				// The chain hears it before the machine goes quiet: the sleep starts here.
				self.report_power(ChainPower::Down).await?;
				PowerStep::AgentOff
			},
			PowerStep::AgentOff => {
				match self
					.agent_call(zos_api::command::POWER_SET, self.agent.set_power(Power::Down))
					.await
				{
					Ok(_) | Err(AgentError::PoweredOff) => {},
					Err(e) => {
						let wait = self.power_backoff.fail();
						warn!(error = %e, retry_in_s = wait.as_secs(), "cannot power the machine down");
						return Ok(());
					},
				}
				info!("machine powered down; no reports until the farmer wakes it");
				PowerStep::Asleep
			},
			PowerStep::Wake => {
				match self
					.agent_call(zos_api::command::POWER_SET, self.agent.set_power(Power::Up))
					.await
				{
					Ok(_) => {},
					Err(e) => {
						let wait = self.power_backoff.fail();
						warn!(error = %e, retry_in_s = wait.as_secs(), "cannot wake the machine");
						return Ok(());
					},
				}
				// Booted once it answers again.
				match self.agent_call(zos_api::command::UPTIME, self.agent.uptime()).await {
					Ok(uptime) => info!(boot_time = uptime.boot_time, "machine booted"),
					Err(_) => return Ok(()),
				}
				PowerStep::ReportUp
			},
			PowerStep::ReportUp => {
				self.report_power(ChainPower::Up).await?;
				PowerStep::Awake
			},
		};
		self.power_backoff.reset();
		self.store.put(key::POWER, &PowerJob { target: job.target, step: next })?;
		Ok(())
	}

	/// Reports the power state, unless the chain already has it.
	async fn report_power(&mut self, state: ChainPower) -> Result<()> {
		let at = self.chain.finalized().await?;
		let best = self.chain.call("reading the node", |c| async move { c.best().await }).await?;
		for view in [&at, &best] {
			let node: Option<ChainNode> = match view
				.storage()
				.try_fetch(grid::storage().registry().nodes(), (self.node_id,))
				.await?
			{
				Some(n) => Some(n.decode()?),
				None => None,
			};
			let reported = node.map(|n| {
				matches!(
					n.power.state,
					grid::runtime_types::grid_primitives::registry::PowerState::Up
				) == matches!(state, ChainPower::Up)
			});
			if reported == Some(true) {
				return Ok(());
			}
		}
		let tx = grid::tx().registry().report_power_state(state.clone());
		if let Err(e) = self.submit_signed("report_power_state", "power", &tx, Wait::InBlock).await
		{
			let wait = self.power_backoff.fail();
			warn!(error = %format!("{e:#}"), retry_in_s = wait.as_secs(), "power report failed");
			return Err(e);
		}
		info!(state = ?state, "power state reported");
		Ok(())
	}

	// ---- uptime ----

	/// Sends this interval's report when it is due and none is live for it.
	async fn report_uptime(&mut self) -> Result<()> {
		if self.power_job()?.is_off() || !self.uptime_backoff.ready() {
			return Ok(());
		}
		// A report whose fate is unknown (the bridge stopped while sending it, or no answer
		// came) is settled or sent again, byte for byte, before any other.
		let open = self.store.open_reports()?;
		if let Some(sending) = open.iter().find(|r| r.state == ReportState::Sending).cloned() {
			return self.resume_report(sending).await;
		}
		// The follower confirms reports at finality; one too old for that is settled here.
		if self.settle_due(&open) {
			let at = self.chain.finalized().await?;
			self.settle_reports(&at).await?;
		}
		let uptime = match self.agent_call(zos_api::command::UPTIME, self.agent.uptime()).await {
			Ok(uptime) => {
				if let Some(since) = self.agent_down_since.take() {
					info!(down_s = since.elapsed().as_secs(), "the agent answers again");
				}
				uptime
			},
			Err(e) => {
				// No answer, no claim: the chain hears nothing for this time.
				if self.agent_down_since.is_none() {
					warn!(error = %e, "the agent does not answer; no uptime is reported until it does");
					self.agent_down_since = Some(Instant::now());
				}
				self.uptime_backoff.fail();
				return Ok(());
			},
		};
		let now = uptime.now;
		let interval = self.timing.interval(now);
		let current = self.store.report(interval)?;
		if current.as_ref().is_some_and(UptimeRecord::is_live) {
			return Ok(());
		}
		if let Some(last) = self.store.last_report()? {
			// The chain counts the gap from the block that took the last report.
			let since = last.hint.max(last.included_at);
			if last.is_live() && now < since.saturating_add(self.timing.min_report_gap) {
				return Ok(());
			}
		}
		let report =
			UptimeReport { node_id: self.node_id, uptime: uptime.uptime(), timestamp_hint: now };
		let signature = MultiSignature::Sr25519(
			self.id.keypair.sign(&grid_client::uptime_report_payload(&report)).0,
		);
		let tx = grid::tx().minting().report_uptime(report, signature);
		let bytes = self.authorized_bytes("building an uptime report", &tx).await?;
		let record = UptimeRecord {
			interval,
			boot: uptime.boot_time,
			uptime: uptime.uptime(),
			hint: now,
			attempts: current.map_or(0, |r| r.attempts).saturating_add(1),
			state: ReportState::Sending,
			included_at: 0,
			extrinsic: Some(to_hex(&bytes)),
		};
		// Journaled before it is sent: after a crash the same bytes go again, and land once.
		self.store.put_report(&record)?;
		self.send_report(record).await
	}

	/// Settles a report whose fate is unknown against the chain, or sends it again. It is sent
	/// again only while the best block does not have it as the node's last report: the same
	/// bytes land once.
	async fn resume_report(&mut self, mut record: UptimeRecord) -> Result<()> {
		let best = self
			.chain
			.call("reading the best block", |c| async move { c.best().await })
			.await?;
		if self.last_report_at(&best).await? == Some((record.uptime, record.boot)) {
			info!(
				interval = record.interval,
				uptime = record.uptime,
				"uptime report found in a best block"
			);
			record.state = ReportState::InBlock { block: format!("{:?}", best.block_hash()) };
			record.included_at = chain::unix_millis() / 1_000;
			return self.store.put_report(&record);
		}
		let at = self.chain.finalized().await?;
		self.settle_reports(&at).await?;
		let Some(record) =
			self.store.report(record.interval)?.filter(|r| r.state == ReportState::Sending)
		else {
			return Ok(());
		};
		if record.extrinsic.is_none() {
			// Nothing to send again: it is settled once the chain can tell.
			self.uptime_backoff.fail();
			return Ok(());
		}
		info!(
			interval = record.interval,
			uptime = record.uptime,
			"sending the journaled uptime report again (its fate is unknown)"
		);
		self.send_report(record).await
	}

	/// The node's last report (`(uptime, boot)`) as the chain has it at `at`.
	async fn last_report_at(&self, at: &AtBlock) -> Result<Option<(u64, u64)>> {
		let state = at
			.storage()
			.try_fetch(grid::storage().minting().node_states(), (self.node_id,))
			.await?;
		Ok(match state {
			Some(s) => s.decode()?.last.map(|l| (l.uptime, l.boot)),
			None => None,
		})
	}

	/// `tx` as the bytes of a general transaction (journaled, then sent as they are).
	async fn authorized_bytes<P: Payload>(&self, what: &str, tx: &P) -> Result<Vec<u8>> {
		self.chain
			.call(what, |c: GridClient| async move { c.authorized_transaction(tx).await })
			.await
	}

	/// Sends journaled transaction bytes (hex) as they are and waits for a best block; the
	/// outer error is a journal that cannot be read.
	async fn send_journaled(
		&self,
		what: &str,
		kind: &str,
		hex: &str,
	) -> Result<Result<Result<grid_client::Included, grid_client::Failed>>> {
		let bytes = from_hex(hex)?;
		self.metrics.report(kind, "sent");
		Ok(self
			.chain
			.call(what, |c: GridClient| {
				let bytes = bytes.clone();
				async move { c.submit_encoded(bytes, Wait::InBlock).await }
			})
			.await)
	}

	/// Submits a journaled report and records what came of it.
	async fn send_report(&mut self, mut record: UptimeRecord) -> Result<()> {
		let hex = record.extrinsic.clone().unwrap_or_default();
		let sent = self.send_journaled("uptime report", "uptime", &hex).await?;
		let interval = record.interval;
		match sent {
			Ok(Ok(included)) => {
				self.metrics.report("uptime", "included");
				self.uptime_backoff.reset();
				info!(interval, uptime = record.uptime, block = ?included.block, "uptime report in a block");
				record.state = ReportState::InBlock { block: format!("{:?}", included.block) };
				record.included_at = chain::unix_millis() / 1_000;
			},
			Ok(Err(failed)) => self.refused(&mut record, &failed.error, failed.error.clone()),
			Err(e) if is_refusal(&e) => {
				let text = format!("{e:#}");
				match uptime_refusal(&text) {
					// It (or this very transaction) is already in the pool or on chain: the
					// chain settles it.
					"in_pool" | "too_early" => {
						let wait = self.uptime_backoff.fail();
						info!(
							interval,
							reason = uptime_refusal(&text),
							retry_in_s = wait.as_secs(),
							"uptime report already on its way; waiting for the chain"
						);
					},
					label => self.refused(&mut record, label, text),
				}
			},
			Err(e) => {
				// Its fate is unknown: it stays `Sending` and goes again, byte for byte.
				self.metrics.report("uptime", "failed");
				let wait = self.uptime_backoff.fail();
				warn!(interval, error = %format!("{e:#}"), retry_in_s = wait.as_secs(), "uptime report not acknowledged; will check the chain and send it again");
			},
		}
		self.store.put_report(&record)
	}

	// ---- usage ----

	/// Each live contract's window end on chain, at `at`.
	async fn windows_on_chain(&self, at: &AtBlock) -> Result<BTreeMap<u64, u64>> {
		let (contracts, _rent) = grid_client::view_at(
			at,
			grid::view_functions().capacity().contracts_on_node(self.node_id),
		)
		.await?;
		let mut ends = BTreeMap::new();
		for contract in contracts {
			if let Some(usage) = at
				.storage()
				.try_fetch(grid::storage().capacity().contract_usages(), (contract,))
				.await?
			{
				ends.insert(contract, usage.decode()?.window_end);
			}
		}
		Ok(ends)
	}

	/// Sends the journaled batch's outcome to the chain, or the next batch when the chain's
	/// gap has passed.
	async fn report_usage(&mut self) -> Result<()> {
		if self.power_job()?.is_off() || !self.usage_backoff.ready() {
			return Ok(());
		}
		let best = self
			.chain
			.call("reading the best block", |c| async move { c.best().await })
			.await?;
		if let Some(pending) = self.store.get::<PendingBatch>(key::USAGE_PENDING)? {
			return self.resume_usage(&best, pending).await;
		}
		let now = chain_secs(&best).await?;
		let gap = best
			.storage()
			.fetch(grid::storage().capacity().grid_limits(), ())
			.await?
			.decode()?
			.usage_report_gap;
		let last = best
			.storage()
			.try_fetch(grid::storage().capacity().last_usage_batch(), (self.node_id,))
			.await?;
		if let Some(last) = last {
			if now < last.decode()?.saturating_add(gap) {
				return Ok(());
			}
		}
		let counters = match self.agent_call(zos_api::command::USAGE, self.agent.usage()).await {
			Ok(counters) => counters,
			// No counters, no claim: the window stays open until the agent answers.
			Err(_) => return Ok(()),
		};
		let on_chain = self.windows_on_chain(&best).await?;
		let baselines: BTreeMap<u64, Baseline> = self.store.usages()?.into_iter().collect();
		let max =
			best.constants().entry(grid::constants().capacity().max_usage_reports())? as usize;
		// A window ends no later than the best block's time: the pool checks it there.
		let windows = usage::plan(&on_chain, &counters, &baselines, now.min(counters.at), max);
		if windows.is_empty() {
			return Ok(());
		}
		let reports = windows
			.iter()
			.map(|w| UsageReport {
				contract_id: w.contract_id,
				window_start: w.window_start,
				window_end: w.window_end,
				used: Resources {
					cru: w.used.cru,
					mru: w.used.mru,
					sru: w.used.sru,
					hru: w.used.hru,
				},
				public_traffic_bytes: w.traffic,
			})
			.collect();
		let batch = UsageBatch { node_id: self.node_id, reports: grid_client::bounded(reports) };
		let signature = MultiSignature::Sr25519(
			self.id.keypair.sign(&grid_client::usage_batch_payload(&batch)).0,
		);
		let tx = grid::tx().capacity().report_usage(batch, signature);
		let bytes = self.authorized_bytes("building a usage batch", &tx).await?;
		let pending = PendingBatch { windows, extrinsic: to_hex(&bytes) };
		// Journaled before it is sent: after a crash the chain tells whether it landed.
		self.store.put(key::USAGE_PENDING, &pending)?;
		self.send_usage(pending).await
	}

	/// Settles a journaled batch: landed → its counters become the baselines; not landed →
	/// the same bytes go again; nothing left to tell → forgotten.
	async fn resume_usage(&mut self, best: &AtBlock, pending: PendingBatch) -> Result<()> {
		let on_chain = self.windows_on_chain(best).await?;
		match usage::landed(&pending, &on_chain) {
			Some(true) => self.usage_landed(&pending),
			None => self.store.write(|b| b.delete(key::USAGE_PENDING)),
			Some(false) => {
				info!(
					contracts = pending.windows.len(),
					"sending the journaled usage batch again (its fate is unknown)"
				);
				self.send_usage(pending).await
			},
		}
	}

	async fn send_usage(&mut self, pending: PendingBatch) -> Result<()> {
		let sent = self.send_journaled("usage batch", "usage", &pending.extrinsic).await?;
		match sent {
			Ok(Ok(included)) => {
				self.metrics.report("usage", "included");
				let event = included.find_first::<grid::capacity::events::UsageReported>();
				let (accepted, skipped) = match event {
					Some(Ok(e)) => (e.accepted, e.skipped),
					_ => (0, 0),
				};
				info!(accepted, skipped, block = ?included.block, "usage batch in a block");
				self.usage_backoff.reset();
				self.usage_landed(&pending)
			},
			Ok(Err(failed)) => self.usage_refused(&failed.error, &failed.error),
			Err(e) if is_refusal(&e) => {
				let text = format!("{e:#}");
				if text.to_lowercase().contains("already imported") {
					// On its way: the chain settles it.
					self.usage_backoff.fail();
					return Ok(());
				}
				self.usage_refused(usage_refusal(&text), &text)
			},
			Err(e) => {
				self.metrics.report("usage", "failed");
				let wait = self.usage_backoff.fail();
				warn!(error = %format!("{e:#}"), retry_in_s = wait.as_secs(), "usage batch not acknowledged; will check the chain");
				Ok(())
			},
		}
	}

	/// The chain has the batch: its counters are the new baselines.
	fn usage_landed(&self, pending: &PendingBatch) -> Result<()> {
		self.store.write(|b| {
			for w in &pending.windows {
				b.put_usage(
					w.contract_id,
					&Baseline { window_end: w.window_end, counter: w.counter },
				)?;
			}
			b.delete(key::USAGE_PENDING)
		})
	}

	/// Refused: nothing landed, the windows stay open for the next batch.
	fn usage_refused(&mut self, label: &str, text: &str) -> Result<()> {
		self.metrics.report("usage", "refused");
		self.metrics.refusals.with_label_values(&["usage", label]).inc();
		let wait = self.usage_backoff.fail();
		warn!(reason = label, detail = %text, retry_in_s = wait.as_secs(), "usage batch refused");
		self.store.write(|b| b.delete(key::USAGE_PENDING))
	}

	fn refused(&mut self, record: &mut UptimeRecord, label: &str, text: String) {
		self.metrics.report("uptime", "refused");
		self.metrics.refusals.with_label_values(&["uptime", label]).inc();
		let wait = self.uptime_backoff.fail();
		warn!(interval = record.interval, reason = label, detail = %text, retry_in_s = wait.as_secs(), "uptime report refused");
		record.state = ReportState::Refused { reason: format!("{label}: {text}") };
	}
}

/// The pool's reason for refusing a usage batch, by capacity's documented codes
/// (`Capacity::report_usage`): a short, stable label.
pub fn usage_refusal(text: &str) -> &'static str {
	if text.contains("BadProof") || text.contains("bad signature") {
		return "bad_signature";
	}
	let code = text.rsplit("custom error: ").next().and_then(|c| c.trim().parse::<u8>().ok());
	match code {
		Some(1) => "unknown_node",
		Some(2) => "empty_batch",
		Some(3) => "too_early",
		Some(4) => "invalid_window",
		Some(5) => "implausible_traffic",
		Some(6) => "not_a_node_contract",
		Some(7) => "contract_of_another_node",
		Some(8) => "node_traffic_exceeded",
		Some(9) => "nothing_new",
		_ => "other",
	}
}

/// The pool's reason for refusing an uptime report, by minting's documented codes
/// (`Minting::report_uptime`): a short, stable label.
pub fn uptime_refusal(text: &str) -> &'static str {
	let lower = text.to_lowercase();
	// In the pool already, or included a moment ago: it is on its way.
	if lower.contains("already imported") || lower.contains("temporarily banned") {
		return "in_pool";
	}
	if text.contains("BadProof") || text.contains("bad signature") {
		return "bad_signature";
	}
	let code = text.rsplit("custom error: ").next().and_then(|c| c.trim().parse::<u8>().ok());
	match code {
		Some(1) => "minting_off",
		Some(2) => "unknown_node",
		Some(3) => "bad_timestamp_hint",
		Some(4) => "impossible_uptime",
		Some(5) => "too_early",
		_ if text.contains("Stale")
			|| text.contains("Outdated")
			|| text.contains("AncientBirthBlock") =>
		{
			"stale"
		},
		_ => "other",
	}
}

fn to_hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &str) -> Result<Vec<u8>> {
	(0..text.len())
		.step_by(2)
		.map(|i| {
			let digits = text.get(i..i + 2).ok_or_else(|| anyhow!("odd hex length"))?;
			u8::from_str_radix(digits, 16).map_err(|e| anyhow!("bad hex in the journal: {e}"))
		})
		.collect()
}

fn from_chain_power(power: &ChainPower) -> Power {
	match power {
		ChainPower::Up => Power::Up,
		ChainPower::Down => Power::Down,
	}
}

/// What a new node's account needs.
#[derive(Clone, Copy, Debug)]
pub struct Funding {
	pub twin_deposit: u128,
	pub node_deposit: u128,
	pub existential_deposit: u128,
	pub fees: u128,
}

impl Funding {
	/// Everything together.
	pub fn total(&self) -> u128 {
		self.twin_deposit
			.saturating_add(self.node_deposit)
			.saturating_add(self.existential_deposit)
			.saturating_add(self.fees)
	}

	/// What the farmer reads while the bridge waits.
	pub fn message(&self, account: &subxt::utils::AccountId32, free: u128) -> String {
		format!(
			"the node account {account} needs {} to register (twin deposit {} + node deposit {} + \
			 minimum balance {} + fees {}) and has {}: send {} to it, e.g. balances.transferKeepAlive",
			tft(self.total()),
			tft(self.twin_deposit),
			tft(self.node_deposit),
			tft(self.existential_deposit),
			tft(self.fees),
			tft(free),
			tft(self.total().saturating_sub(free)),
		)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn record(uptime: u64, boot: u64, hint: u64) -> UptimeRecord {
		UptimeRecord {
			interval: 1,
			boot,
			uptime,
			hint,
			attempts: 1,
			state: ReportState::Sending,
			included_at: 0,
			extrinsic: None,
		}
	}

	#[test]
	fn intervals_count_from_the_chains_period_start() {
		let t = Timing { first_period_start: 1_000, report_interval: 12, min_report_gap: 6 };
		assert_eq!(t.interval(1_000), 0);
		assert_eq!(t.interval(1_011), 0);
		assert_eq!(t.interval(1_012), 1);
		assert_eq!(t.interval(10), 0);
	}

	#[test]
	fn a_report_is_lost_only_once_its_hint_can_no_longer_land() {
		let r = record(100, 900, 1_000);
		assert_eq!(fate(&r, Some((100, 900)), 5_000, 6), Fate::Landed);
		// Another report is the chain's last: ours is not on chain.
		assert_eq!(fate(&r, Some((90, 900)), 1_050, 6), Fate::Pending);
		assert_eq!(fate(&r, None, 1_000 + 60 + 12, 6), Fate::Pending);
		assert_eq!(fate(&r, None, 1_000 + 60 + 13, 6), Fate::Lost);
	}

	#[test]
	fn the_funding_message_names_every_part() {
		let f = Funding {
			twin_deposit: 10_000_000,
			node_deposit: 50_000_000,
			existential_deposit: 100_000,
			fees: 20_000,
		};
		let msg = f.message(&subxt::utils::AccountId32([1; 32]), 0);
		assert!(msg.contains("needs 6.012 TFT"), "{msg}");
		assert!(msg.contains("twin deposit 1 TFT + node deposit 5 TFT + minimum balance 0.01 TFT + fees 0.002 TFT"), "{msg}");
	}

	#[test]
	fn journaled_bytes_round_trip() {
		assert_eq!(from_hex(&to_hex(&[0, 1, 0xab, 0xff])).unwrap(), vec![0, 1, 0xab, 0xff]);
		assert!(from_hex("abc").is_err() && from_hex("zz").is_err());
	}

	#[test]
	fn pool_refusals_get_their_names() {
		assert_eq!(
			uptime_refusal("invalid transaction: Invalid transaction with custom error: 5"),
			"too_early"
		);
		assert_eq!(
			uptime_refusal("invalid transaction: Invalid transaction with custom error: 3"),
			"bad_timestamp_hint"
		);
		assert_eq!(
			uptime_refusal("invalid transaction: Transaction has a bad signature (BadProof)"),
			"bad_signature"
		);
		assert_eq!(
			uptime_refusal("invalid transaction: Transaction is already imported"),
			"in_pool"
		);
		assert_eq!(uptime_refusal("invalid transaction: something new"), "other");
	}

	#[test]
	fn backoff_grows_to_a_minute() {
		let mut b = Backoff::default();
		assert!(b.ready());
		let waits: Vec<u64> = (0..8).map(|_| b.fail().as_secs()).collect();
		assert_eq!(waits, vec![4, 8, 16, 32, 60, 60, 60, 60]);
		b.reset();
		assert!(b.ready());
	}
}
