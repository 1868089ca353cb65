//! Prometheus metrics, served on `--metrics` at `/metrics`.

use substrate_prometheus_endpoint::{
	register, CounterVec, GaugeVec, Opts, PrometheusError, Registry, U64,
};

/// Every metric of the bridge (cheap to clone: the handles are shared).
#[derive(Clone)]
pub struct Metrics {
	pub registry: Registry,
	/// `zos_bridge_reports_total{kind, result}`: kind `uptime|power|register|update|usage`;
	/// result `sent|included|final|refused|failed|lost`.
	pub reports: CounterVec<U64>,
	/// `zos_bridge_refusals_total{kind, reason}`: why the pool or the block refused.
	pub refusals: CounterVec<U64>,
	/// `zos_bridge_block{which}`: `finalized` (the chain's), `handled` (the cursor).
	pub block: GaugeVec<U64>,
	/// `zos_bridge_rpc_endpoint{url}`: 1 for the endpoint in use, 0 for the others.
	pub endpoint: GaugeVec<U64>,
	/// `zos_bridge_rpc_failovers_total{reason}`.
	pub failovers: CounterVec<U64>,
	/// `zos_bridge_agent_calls_total{command, result}`: result `ok` or the error's label.
	pub agent_calls: CounterVec<U64>,
	/// `zos_bridge_reconciles_total{reason}`: `start|periodic|pruned_cursor`, and
	/// `deployments_start|deployments_periodic` for the deployments' reconcile.
	pub reconciles: CounterVec<U64>,
	/// `zos_bridge_deployment_actions_total{action, result}`: action
	/// `deploy|update|pause|resume|decommission`; result `done|refused|failed`.
	pub actions: CounterVec<U64>,
	/// `zos_bridge_deployments{state}`: the agent's deployments, `running|paused|decommissioned`.
	pub deployments: GaugeVec<U64>,
	/// `zos_bridge_orphan_contracts{kind="node"}`: node contracts on this node whose owner
	/// submitted no deployment within `--orphan-secs` of their creation.
	pub orphans: GaugeVec<U64>,
	/// `zos_bridge_submissions_total{result}`: deployments owners submitted, `accepted` or the
	/// error code they were refused with.
	pub submissions: CounterVec<U64>,
}

impl Metrics {
	/// Fresh metrics in their own registry.
	pub fn new() -> Result<Self, PrometheusError> {
		let registry = Registry::new_custom(Some("zos_bridge".into()), None)?;
		let counter = |name: &str, help: &str, labels: &[&str]| {
			register(CounterVec::new(Opts::new(name, help), labels)?, &registry)
		};
		let gauge = |name: &str, help: &str, labels: &[&str]| {
			register(GaugeVec::new(Opts::new(name, help), labels)?, &registry)
		};
		Ok(Self {
			reports: counter("reports_total", "Reports by kind and result", &["kind", "result"])?,
			refusals: counter(
				"refusals_total",
				"Refused reports by kind and reason",
				&["kind", "reason"],
			)?,
			block: gauge("block", "Last finalized block, and last block handled", &["which"])?,
			endpoint: gauge("rpc_endpoint", "1 for the RPC endpoint in use", &["url"])?,
			failovers: counter("rpc_failovers_total", "RPC failovers by reason", &["reason"])?,
			agent_calls: counter(
				"agent_calls_total",
				"Agent calls by command and result",
				&["command", "result"],
			)?,
			reconciles: counter("reconciles_total", "Full reconciles by reason", &["reason"])?,
			actions: counter(
				"deployment_actions_total",
				"Deployment actions by action and result",
				&["action", "result"],
			)?,
			deployments: gauge("deployments", "The agent's deployments by state", &["state"])?,
			orphans: gauge(
				"orphan_contracts",
				"Node contracts with no deployment submitted in time",
				&["kind"],
			)?,
			submissions: counter(
				"submissions_total",
				"Submitted deployments by result",
				&["result"],
			)?,
			registry,
		})
	}

	/// Counts a report's outcome.
	pub fn report(&self, kind: &str, result: &str) {
		self.reports.with_label_values(&[kind, result]).inc();
	}

	/// Counts an agent call's outcome.
	pub fn agent<T>(&self, command: &str, result: &Result<T, zos_api::AgentError>) {
		let label = match result {
			Ok(_) => "ok",
			Err(e) => e.label(),
		};
		self.agent_calls.with_label_values(&[command, label]).inc();
	}
}
