//! Keys, accounts, transfers, twins, and the validator operator's view.

use crate::{
	amount::Tft,
	chain::{Chain, Global},
	fail::{Fail, Failure, Result},
	keys::{self, Secret},
	out::{fields, table},
};
use clap::{Args, Subcommand};
use grid_client::{bounded, grid, text};
use serde_json::json;
use subxt::utils::{AccountId32, MultiAddress};

#[derive(Subcommand)]
pub enum KeyCommand {
	/// Create a new random key (24-word phrase) in the key file, mode 0600. The phrase is
	/// stored in the file only: back the file up.
	#[command(after_help = "Example:\n  gridctl key new --key ~/farm-key.json")]
	New {
		/// Replace an existing key file (its key is lost unless backed up).
		#[arg(long)]
		force: bool,
	},
	/// Import a key: its phrase or seed is read from standard input (or typed without echo).
	#[command(after_help = "Examples:
  gridctl key import --mnemonic < phrase.txt
  gridctl key import --seed            # then type the 0x… seed
  gridctl key import --dev //Alice     # development chains only")]
	Import {
		/// Read a BIP-39 phrase.
		#[arg(long, group = "source")]
		mnemonic: bool,
		/// Read a 32-byte hex seed.
		#[arg(long, group = "source")]
		seed: bool,
		/// A development URI (`//Alice` … `//Ferdie`, `//anything`): only on a development chain.
		#[arg(long, group = "source", value_name = "URI")]
		dev: Option<String>,
		/// Replace an existing key file.
		#[arg(long)]
		force: bool,
	},
	/// The key file's address and the chain it was made for (never the secret). Needs no node.
	#[command(after_help = "Example:\n  gridctl key show --key ~/farm-key.json")]
	Show,
}

#[derive(Args)]
#[command(
	after_help = "Examples:\n  gridctl account\n  gridctl account 5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty --json"
)]
pub struct AccountArgs {
	/// The account (SS58); the key file's by default.
	pub address: Option<String>,
}

#[derive(Args)]
#[command(
	after_help = "Examples:\n  gridctl transfer 5FHne… 12.5TFT\n  gridctl transfer 5FHne… 125000000 --planck"
)]
pub struct TransferArgs {
	/// The receiving account (SS58).
	pub to: String,
	/// The amount: `1.5`, `1.5TFT` (7 decimals at most), or planck with --planck.
	pub amount: String,
	/// The amount is a whole number of planck (10⁻⁷ TFT).
	#[arg(long)]
	pub planck: bool,
}

#[derive(Subcommand)]
pub enum TwinCommand {
	/// Create your twin (one per account).
	#[command(after_help = "Example:\n  gridctl twin create --relay relay.grid.example")]
	Create {
		/// Relay host names your twin is reachable through (repeatable).
		#[arg(long = "relay")]
		relays: Vec<String>,
	},
	/// Show a twin (yours by default).
	#[command(after_help = "Examples:\n  gridctl twin show\n  gridctl twin show 12")]
	Show {
		/// The twin id.
		id: Option<u32>,
	},
}

#[derive(Args)]
#[command(
	after_help = "Examples:\n  gridctl validators\n  gridctl --url ws://127.0.0.1:9944 validators --account 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
)]
pub struct ValidatorsArgs {
	/// Also check that this validator account has session keys set on chain.
	#[arg(long, value_name = "ADDRESS")]
	pub account: Option<String>,
}

/// Parses an SS58 address.
pub fn parse_account(text: &str) -> Result<AccountId32> {
	text.trim().parse::<AccountId32>().map_err(|_| {
		Failure::input(format!("`{text}` is not a valid SS58 address (bad checksum or length)"))
	})
}

pub fn key_show(global: &Global) -> Result<()> {
	let path = global.key.clone().unwrap_or_else(keys::default_path);
	let file = keys::read(&path)?;
	let kind = match file.secret {
		Secret::Mnemonic(_) => "mnemonic",
		Secret::Seed(_) => "seed",
		Secret::Dev(_) => "development URI",
	};
	global.out.result(
		json!({ "path": path, "address": file.address, "kind": kind, "genesis": file.genesis }),
		|| {
			fields(&[
				("key file", path.display().to_string()),
				("address", file.address.clone()),
				("from", kind.to_string()),
				("chain", file.genesis.clone()),
			])
		},
	);
	Ok(())
}

pub async fn key(chain: &Chain, cmd: KeyCommand) -> Result<()> {
	let path = chain.key_path();
	let (secret, force) = match cmd {
		KeyCommand::New { force } => (Secret::Mnemonic(keys::new_mnemonic()?), force),
		KeyCommand::Import { mnemonic: true, force, .. } => {
			(Secret::Mnemonic(keys::read_secret("BIP-39 phrase: ")?), force)
		},
		KeyCommand::Import { seed: true, force, .. } => {
			(Secret::Seed(keys::read_secret("hex seed: ")?), force)
		},
		KeyCommand::Import { dev: Some(uri), force, .. } => {
			if !chain.is_dev().await? {
				return Err(Failure::input(format!(
					"{} is not a development chain: development keys are public, import a real one",
					chain.url
				)));
			}
			(Secret::Dev(uri), force)
		},
		KeyCommand::Import { .. } => {
			return Err(Failure::input("say what to import: --mnemonic, --seed or --dev <URI>"))
		},
		KeyCommand::Show => return key_show(&chain.global),
	};
	let (file, _) = keys::key_file(secret, chain.genesis.clone())?;
	keys::write(&path, &file, force)?;
	chain.out().result(json!({ "path": path, "address": file.address }), || {
		format!(
			"key written to {} (mode 0600)\naddress {}\nBack the file up: it holds the only copy of the secret.",
			path.display(),
			file.address
		)
	});
	Ok(())
}

/// The account of `address`, or of the key file.
async fn who(chain: &Chain, address: Option<&str>) -> Result<AccountId32> {
	match address {
		Some(a) => parse_account(a),
		None => Ok(keys::account(&chain.signer().await?)),
	}
}

pub async fn account(chain: &Chain, args: AccountArgs) -> Result<()> {
	let who = who(chain, args.address.as_deref()).await?;
	let at = chain.client.best().await?;
	let info = at
		.storage()
		.fetch(grid::storage().system().account(), (who,))
		.await
		.refused()?
		.decode()
		.refused()?;
	let twin = chain.view(grid::view_functions().registry().twin_of_account(who)).await?;
	let outlook = match twin {
		Some(t) => chain.view(grid::view_functions().billing().payer_outlook(t)).await?,
		None => None,
	};
	let committed = outlook.as_ref().map_or(0, |o| o.committed);
	let d = info.data;
	chain.out().result(
		json!({
			"address": who.to_string(),
			"twin": twin,
			"free": d.free.to_string(),
			"held": d.reserved.to_string(),
			"frozen": d.frozen.to_string(),
			"committed": committed.to_string(),
		}),
		|| {
			fields(&[
				("address", who.to_string()),
				("twin", twin.map_or("none (gridctl twin create)".into(), |t| t.to_string())),
				("free", Tft(d.free).to_string()),
				("held", format!("{} (deposits and commitments)", Tft(d.reserved))),
				("committed", format!("{} (to billing)", Tft(committed))),
				("frozen", Tft(d.frozen).to_string()),
			])
		},
	);
	Ok(())
}

pub async fn transfer(chain: &Chain, args: TransferArgs) -> Result<()> {
	let to = parse_account(&args.to)?;
	let amount = Tft::parse(&args.amount, args.planck).input()?;
	let key = chain.signer().await?;
	let tx = grid::tx().balances().transfer_keep_alive(MultiAddress::Id(to), amount.0);
	let sent = chain.send(&key, &format!("transfer {amount} to {to}"), &tx).await?;
	chain.out().result(sent.json(), String::new);
	Ok(())
}

pub async fn twin(chain: &Chain, cmd: TwinCommand) -> Result<()> {
	match cmd {
		TwinCommand::Create { relays } => {
			let key = chain.signer().await?;
			let relays = bounded(relays.iter().map(|r| text(r)).collect());
			let tx = grid::tx().registry().create_twin(relays, None);
			let sent = chain.send(&key, "create your twin", &tx).await?;
			let twin = sent.field("Registry", "TwinCreated", "twin_id").cloned();
			chain.out().result(json!({ "twin": twin, "transaction": sent.json() }), || {
				format!("twin {} created", twin.map(|t| t.to_string()).unwrap_or_default())
			});
		},
		TwinCommand::Show { id } => {
			let id = match id {
				Some(id) => id,
				None => chain.twin_of(&keys::account(&chain.signer().await?)).await?,
			};
			let twin = chain
				.view(grid::view_functions().registry().twin(id))
				.await?
				.ok_or_else(|| Failure::input(format!("there is no twin {id}")))?;
			let relays: Vec<String> = twin
				.relays
				.0
				.iter()
				.map(|r| String::from_utf8_lossy(&r.0).into_owned())
				.collect();
			chain.out().result(
				json!({ "id": id, "account": twin.account.to_string(), "relays": relays }),
				|| {
					fields(&[
						("twin", id.to_string()),
						("account", twin.account.to_string()),
						("relays", relays.join(", ")),
					])
				},
			);
		},
	}
	Ok(())
}

pub async fn validators(chain: &Chain, args: ValidatorsArgs) -> Result<()> {
	let at = chain.client.best().await?;
	let storage = at.storage();
	let set = storage
		.fetch(grid::storage().validator_set().validators(), ())
		.await
		.refused()?
		.decode()
		.refused()?
		.0;
	let session: u32 = storage
		.fetch(grid::storage().session().current_index(), ())
		.await
		.refused()?
		.decode()
		.refused()?;
	let next_keys = storage.entry(grid::storage().session().next_keys()).refused()?;
	let mut rows = Vec::new();
	for v in &set {
		let keys_set = next_keys.try_fetch((*v,)).await.refused()?.is_some();
		rows.push((v.to_string(), keys_set));
	}
	let checked = match &args.account {
		Some(a) => {
			let account = parse_account(a)?;
			let keys = next_keys.try_fetch((account,)).await.refused()?;
			// Whether the node at --url holds the private keys of what the chain has (an
			// unsafe RPC method: answered on a node's local RPC only).
			let on_node = match &keys {
				Some(k) => {
					let hex = format!("0x{}", hex::encode(k.bytes()));
					let answer: std::result::Result<bool, _> = chain
						.client
						.rpc()
						.request("author_hasSessionKeys", subxt::rpcs::rpc_params![hex])
						.await;
					answer.ok()
				},
				None => Some(false),
			};
			Some((account.to_string(), keys.is_some(), set.contains(&account), on_node))
		},
		None => None,
	};
	// The council's open motions that change the validator set.
	let council = storage.entry(grid::storage().council().proposals()).refused()?;
	let hashes = council.fetch(()).await.refused()?.decode().refused()?.0;
	let proposal_of = storage.entry(grid::storage().council().proposal_of()).refused()?;
	let voting = storage.entry(grid::storage().council().voting()).refused()?;
	let mut motions = Vec::new();
	for hash in hashes {
		let Some(call) = proposal_of.try_fetch((hash,)).await.refused()? else { continue };
		let call = call.decode().refused()?;
		if let grid::runtime_types::grid_runtime::RuntimeCall::ValidatorSet(inner) = call {
			let votes = voting.try_fetch((hash,)).await.refused()?;
			let (ayes, nays, threshold, end) = match votes {
				Some(v) => {
					let v = v.decode().refused()?;
					(v.ayes.len(), v.nays.len(), v.threshold, v.end)
				},
				None => (0, 0, 0, 0),
			};
			motions.push((format!("{hash:?}"), format!("{inner:?}"), ayes, nays, threshold, end));
		}
	}
	chain.out().result(
		json!({
			"session": session,
			"validators": rows.iter().map(|(a, k)| json!({ "account": a, "keys_set": k })).collect::<Vec<_>>(),
			"account": checked.as_ref().map(|(a, k, v, n)| json!({
				"account": a, "keys_set": k, "validator": v, "keys_on_this_node": n,
			})),
			"motions": motions.iter().map(|(h, c, a, n, t, e)| json!({
				"hash": h, "call": c, "ayes": a, "nays": n, "threshold": t, "end": e,
			})).collect::<Vec<_>>(),
		}),
		|| {
			let mut text = format!("session {session}\n");
			text += &table(
				&["validator", "session keys"],
				rows.iter().map(|(a, k)| vec![a.clone(), if *k { "set" } else { "NOT SET" }.into()]).collect(),
			);
			if let Some((a, k, v, n)) = &checked {
				text += &format!(
					"\n{a}: session keys {} on chain, {} the set; this node {}\n",
					if *k { "set" } else { "not set (author_rotateKeys, then session.setKeys)" },
					if *v { "in" } else { "not in" },
					match n {
						Some(true) => "holds them",
						Some(false) => "does NOT hold them",
						None => "did not say (ask it on its local RPC port)",
					}
				);
			}
			text += "\ncouncil motions on validators:\n";
			text += &table(
				&["motion", "call", "ayes", "nays", "threshold", "ends at block"],
				motions
					.iter()
					.map(|(h, c, a, n, t, e)| vec![h.clone(), c.clone(), a.to_string(), n.to_string(), t.to_string(), e.to_string()])
					.collect(),
			);
			text
		},
	);
	Ok(())
}
