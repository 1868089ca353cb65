//! The connection to the chain (several `--url`s, first that answers), the signing key, and
//! sending a transaction the way a person wants to: the fee first, a confirmation, progress
//! until inclusion and finality, the events that matter, a named error on failure.

use crate::{
	amount::Tft,
	fail::{Fail, Failure, Kind, Result},
	keys,
	out::Out,
};
use grid_client::{grid, GridClient, Included, Stage, Wait};
use serde_json::{json, Value};
use std::{
	io::{IsTerminal, Write},
	path::PathBuf,
	time::{Duration, Instant},
};
use subxt::{transactions::Payload, utils::AccountId32};
use subxt_signer::sr25519::Keypair;

/// How long one `--url` may take to answer.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Options every command shares.
#[derive(Clone, Debug)]
pub struct Global {
	pub urls: Vec<String>,
	pub key: Option<PathBuf>,
	pub yes: bool,
	pub wait: Wait,
	pub out: Out,
}

/// A connected chain.
pub struct Chain {
	pub client: GridClient,
	pub url: String,
	pub genesis: String,
	pub global: Global,
}

/// Connects to the first `--url` that answers, in order.
pub async fn connect(global: &Global) -> Result<Chain> {
	let mut tried = Vec::new();
	for url in &global.urls {
		match tokio::time::timeout(CONNECT_TIMEOUT, GridClient::connect(url)).await {
			Ok(Ok(client)) => {
				let genesis = format!("{:?}", client.api().genesis_hash());
				return Ok(Chain { client, url: url.clone(), genesis, global: global.clone() });
			},
			Ok(Err(e)) => tried.push(format!("{url}: {}", root_cause(&e))),
			Err(_) => tried.push(format!("{url}: no answer within {CONNECT_TIMEOUT:?}")),
		}
		if global.urls.len() > 1 {
			global.out.note(format!("cannot reach {url}; trying the next --url"));
		}
	}
	Err(Failure::new(
		Kind::Unreachable,
		format!(
			"cannot reach the chain: {}. Is the node running? Set --url or GRIDCTL_URL \
			 (several, comma-separated, are tried in order)",
			tried.join("; ")
		),
	))
}

fn root_cause(e: &anyhow::Error) -> String {
	e.chain().last().map(|c| c.to_string()).unwrap_or_else(|| e.to_string())
}

impl Chain {
	/// The out settings.
	pub fn out(&self) -> Out {
		self.global.out
	}

	/// The key file's path.
	pub fn key_path(&self) -> PathBuf {
		self.global.key.clone().unwrap_or_else(keys::default_path)
	}

	/// The signing key: refuses a key file others can read, a development key on a chain that
	/// is not a development chain, and warns when the file was made for another chain.
	pub async fn signer(&self) -> Result<Keypair> {
		let path = self.key_path();
		let file = keys::read(&path)?;
		if matches!(file.secret, keys::Secret::Dev(_)) && !self.is_dev().await? {
			return Err(Failure::input(format!(
				"{} holds a development key, and {} is not a development chain",
				path.display(),
				self.url
			)));
		}
		if file.genesis != self.genesis {
			self.out().note(format!(
				"warning: {} was made for the chain with genesis {}, and {} has genesis {}",
				path.display(),
				file.genesis,
				self.url,
				self.genesis
			));
		}
		file.secret.keypair()
	}

	/// Whether the node says it runs a development chain (`system_chainType`).
	pub async fn is_dev(&self) -> Result<bool> {
		let kind: Value = self
			.client
			.rpc()
			.request("system_chainType", subxt::rpcs::rpc_params![])
			.await
			.refused()?;
		Ok(kind == json!("Development"))
	}

	/// Calls a view function at the best block.
	pub async fn view<P: subxt::view_functions::Payload>(
		&self,
		payload: P,
	) -> Result<P::ReturnType> {
		Ok(self.client.view(payload).await?)
	}

	/// The same connection, waiting for finality whatever `--no-finality` says (a bridge
	/// accepts only what is final).
	pub fn clone_with_finality(&self) -> Chain {
		let global = Global { wait: Wait::Finalized, ..self.global.clone() };
		Chain {
			client: self.client.clone(),
			url: self.url.clone(),
			genesis: self.genesis.clone(),
			global,
		}
	}

	/// The twin of `who`, or a message saying how to make one.
	pub async fn twin_of(&self, who: &AccountId32) -> Result<u32> {
		self.view(grid::view_functions().registry().twin_of_account(*who))
			.await?
			.ok_or_else(|| {
				Failure::input(format!(
					"{who} has no twin yet: create one with `gridctl twin create`"
				))
			})
	}

	/// Signs `tx`, shows its fee, asks (unless `--yes`), sends it and waits; prints the
	/// events that matter. `what` says in a few words what it does.
	pub async fn send<P: Payload>(&self, key: &Keypair, what: &str, tx: &P) -> Result<Sent> {
		let out = self.out();
		let who = keys::account(key);
		let at = self.client.best().await?;
		let params =
			subxt::config::DefaultExtrinsicParamsBuilder::<grid_client::Config>::new().build();
		let signed = at.transactions().create_signed(tx, key, params).await.refused()?;
		// The pool's own check first: a transaction it would refuse is never sent.
		if let subxt::transactions::ValidationResult::Invalid(why) =
			signed.validate().await.refused()?
		{
			let free = self.client.free_balance(&who).await.unwrap_or(0);
			let message = match why {
				subxt::transactions::TransactionInvalid::Payment => format!(
					"{who} cannot pay this transaction's fee: its free balance is {}",
					Tft(free)
				),
				other => format!("the node refuses this transaction: {other:?}"),
			};
			return Err(Failure::refused(format!("{message}. Nothing was sent")));
		}
		let fee = Tft(signed.partial_fee_estimate().await.refused()?);
		out.note(format!("{what}\n  from {who}\n  fee ≈ {fee}"));
		if !self.global.yes {
			confirm()?;
		}
		let started = Instant::now();
		let spinner = out.tty.then(|| Spinner::start(started));
		let mut stage_line = |stage: Stage| {
			let line = match stage {
				Stage::InBlock(hash) => format!("in block {hash:?}"),
				Stage::Retracted => "its block left the best chain; waiting for another".into(),
				Stage::Finalized(hash) => format!("finalized in {hash:?}"),
			};
			match &spinner {
				Some(s) => s.set(&line),
				None => out.note(format!("  {line} ({:.1} s)", started.elapsed().as_secs_f32())),
			}
		};
		if spinner.is_none() {
			out.note("  submitted");
		}
		let result =
			self.client.submit_signed_with(&signed, self.global.wait, &mut stage_line).await;
		drop(spinner);
		match result {
			Ok(Ok(included)) => {
				let sent = Sent::from_included(self, included, fee).await?;
				out.note(sent.summary(self.global.wait));
				Ok(sent)
			},
			Ok(Err(failed)) => Err(Failure {
				kind: Kind::Refused,
				message: format!(
					"the transaction failed: {} (in block {:?}; the fee was paid)",
					failed.error, failed.block
				),
				error: Some(failed.error),
				docs: Some(failed.docs),
			}),
			Err(e) => Err(Failure::refused(format!("the transaction did not land: {e:#}"))),
		}
	}
}

/// Asks on the terminal; without one, asks for `--yes`.
fn confirm() -> Result<()> {
	if !std::io::stdin().is_terminal() {
		return Err(Failure::input(
			"not sent: standard input is not a terminal to confirm on; pass --yes to send without asking",
		));
	}
	eprint!("Send it? [y/N] ");
	let _ = std::io::stderr().flush();
	let mut answer = String::new();
	std::io::stdin().read_line(&mut answer).input()?;
	if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
		Ok(())
	} else {
		Err(Failure::new(Kind::Declined, "not sent"))
	}
}

/// One event of a transaction.
#[derive(Clone, Debug)]
pub struct EventOut {
	pub pallet: String,
	pub name: String,
	pub fields: Value,
}

/// A transaction that succeeded.
pub struct Sent {
	/// Its events, typed (`included.find::<E>()`).
	pub included: Included,
	pub extrinsic: String,
	pub block: String,
	pub block_number: u32,
	/// The fee estimated before sending.
	pub fee_estimate: Tft,
	/// The fee paid (`TransactionPayment::TransactionFeePaid`).
	pub fee: Tft,
	pub events: Vec<EventOut>,
}

/// Events every transaction emits: shown in `--json`, not to a person.
const ROUTINE: &[(&str, &str)] = &[
	("System", "ExtrinsicSuccess"),
	("TransactionPayment", "TransactionFeePaid"),
	("Balances", "Withdraw"),
	("Balances", "Deposit"),
	("Treasury", "Deposit"),
];

impl Sent {
	async fn from_included(chain: &Chain, included: Included, estimate: Tft) -> Result<Self> {
		let mut events = Vec::new();
		let mut fee = Tft(0);
		let at = chain.client.at(included.block).await?;
		let metadata = at.metadata_ref();
		for event in included.events.iter() {
			let event = event.refused()?;
			let mut fields = event
				.decode_fields_unchecked_as::<subxt::ext::scale_value::Composite<()>>()
				.map(|c| tidy(serde_json::to_value(&c).unwrap_or(Value::Null)))
				.unwrap_or(Value::Null);
			// Accounts as the SS58 addresses people know, by the field's declared type.
			let variant = metadata
				.pallet_by_name(event.pallet_name())
				.and_then(|p| p.event_variant_by_index(event.event_index()));
			for field in variant.map(|v| v.fields.as_slice()).unwrap_or_default() {
				let is_account =
					field.type_name.as_deref().is_some_and(|t| t.contains("AccountId"));
				if let (true, Some(name)) = (is_account, field.name.as_deref()) {
					if let Some(v) = fields.get_mut(name) {
						*v = ss58(v);
					}
				}
			}
			if (event.pallet_name(), event.event_name())
				== ("TransactionPayment", "TransactionFeePaid")
			{
				if let Ok(paid) = event
					.decode_fields_unchecked_as::<grid::transaction_payment::events::TransactionFeePaid>(
					) {
					fee = Tft(paid.actual_fee);
				}
			}
			events.push(EventOut {
				pallet: event.pallet_name().to_string(),
				name: event.event_name().to_string(),
				fields,
			});
		}
		let block_number = at.block_number() as u32;
		Ok(Sent {
			extrinsic: format!("{:?}", included.events.extrinsic_hash()),
			block: format!("{:?}", included.block),
			included,
			block_number,
			fee_estimate: estimate,
			fee,
			events,
		})
	}

	/// The first event `pallet.name`'s field `field`.
	pub fn field(&self, pallet: &str, name: &str, field: &str) -> Option<&Value> {
		self.events
			.iter()
			.find(|e| e.pallet == pallet && e.name == name)
			.and_then(|e| e.fields.get(field))
	}

	/// What a person reads after it landed.
	pub fn summary(&self, wait: Wait) -> String {
		let state = if wait == Wait::Finalized { "finalized" } else { "in block" };
		let mut text =
			format!("✓ {state} #{} ({}), fee {}", self.block_number, self.block, self.fee);
		for e in self
			.events
			.iter()
			.filter(|e| !ROUTINE.contains(&(e.pallet.as_str(), e.name.as_str())))
		{
			text.push_str(&format!("\n  {}.{} {}", e.pallet, e.name, compact(&e.fields)));
		}
		text
	}

	/// Its `--json` form.
	pub fn json(&self) -> Value {
		json!({
			"extrinsic": self.extrinsic,
			"block": self.block,
			"block_number": self.block_number,
			"fee_estimate": self.fee_estimate.0.to_string(),
			"fee": self.fee.0.to_string(),
			"events": self.events.iter().map(|e| json!({
				"pallet": e.pallet, "name": e.name, "fields": e.fields,
			})).collect::<Vec<_>>(),
		})
	}
}

/// Event fields as people and scripts read them: 32-byte arrays (accounts, hashes) as hex,
/// newtypes around them unwrapped.
fn tidy(v: Value) -> Value {
	match v {
		Value::Array(items)
			if items.len() == 32 && items.iter().all(|i| i.as_u64().is_some_and(|b| b < 256)) =>
		{
			let bytes: Vec<u8> = items.iter().filter_map(|i| i.as_u64()).map(|b| b as u8).collect();
			Value::String(format!("0x{}", hex::encode(bytes)))
		},
		// Names and other text the runtime keeps as bytes.
		Value::Array(items)
			if !items.is_empty()
				&& items.iter().all(|i| i.as_u64().is_some_and(|b| (0x20..0x7f).contains(&b))) =>
		{
			Value::String(
				items.iter().filter_map(|i| i.as_u64()).map(|b| b as u8 as char).collect(),
			)
		},
		Value::Array(items) => {
			let mut items: Vec<Value> = items.into_iter().map(tidy).collect();
			if items.len() == 1 && items[0].is_string() {
				return items.remove(0);
			}
			Value::Array(items)
		},
		Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, tidy(v))).collect()),
		other => other,
	}
}

/// A hex account id as its SS58 address (anything else unchanged).
fn ss58(v: &Value) -> Value {
	let account = v
		.as_str()
		.and_then(|h| hex::decode(h.trim_start_matches("0x")).ok())
		.and_then(|b| <[u8; 32]>::try_from(b).ok())
		.map(|b| AccountId32(b).to_string());
	account.map_or_else(|| v.clone(), Value::String)
}

/// An event's fields on one line.
fn compact(v: &Value) -> String {
	serde_json::to_string(v).unwrap_or_default()
}

/// A line on the terminal that turns while a transaction waits.
struct Spinner {
	line: std::sync::Arc<std::sync::Mutex<String>>,
	task: tokio::task::JoinHandle<()>,
}

impl Spinner {
	fn start(started: Instant) -> Self {
		let line = std::sync::Arc::new(std::sync::Mutex::new("waiting for a block".to_string()));
		let shown = line.clone();
		let task = tokio::spawn(async move {
			const FRAMES: [char; 4] = ['|', '/', '-', '\\'];
			for frame in FRAMES.iter().cycle() {
				let text = shown.lock().map(|l| l.clone()).unwrap_or_default();
				eprint!("\r\x1b[2K{frame} {text} ({:.0} s)", started.elapsed().as_secs_f32());
				let _ = std::io::stderr().flush();
				tokio::time::sleep(Duration::from_millis(150)).await;
			}
		});
		Spinner { line, task }
	}

	fn set(&self, text: &str) {
		if let Ok(mut line) = self.line.lock() {
			*line = text.to_string();
		}
	}
}

impl Drop for Spinner {
	fn drop(&mut self) {
		self.task.abort();
		eprint!("\r\x1b[2K");
	}
}
