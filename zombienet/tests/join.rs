//! Governance of a network without sudo, on four validators (`networks/governed4.toml`: the
//! `local4` preset, no sudo key) that start from the previous runtime, spec 105 (`runtimes/`):
//!
//! - The "run a validator" journey (README): a fifth node joins with no keys, syncs, generates
//!   its session keys (`author_rotateKeysWithOwner`), registers them from Eve's account
//!   (`session.setKeys`), and Eve applies (`validatorSet.apply`, a bond held); a council motion
//!   (2 of 3 members) approves her application; after the session change her keys are Aura and
//!   GRANDPA authorities and she seals a block. With Dave paused, finality still advances: 4 of
//!   5 votes are needed, so Eve's counts.
//! - Meanwhile (while Eve waits for two session boundaries), a runtime upgrade without sudo:
//!   `grid-try-runtime` checks the new runtime's migrations against the live state; a council
//!   motion (at least 3/5 of the members) runs
//!   `governance.authorizeUpgrade(hash)`; Eve, not a council member, applies the code
//!   (`system.applyAuthorizedUpgrade`); every validator reports the new spec, and finality
//!   goes on.
//! - A second motion removes Eve: her key leaves the authorities and seals no more blocks,
//!   though her node keeps running with it.

use grid_zombienet::{
	await_upgrade, council_motion, dev, new_runtime, run, spec_with_runtime, subxt,
	subxt::dynamic::Value, try_runtime, unhex, AddNodeOptions, Client, Clock, Net, Rpc,
};
use std::time::Duration;

/// The runtime the network starts from: the first with the farmer DAO and council upgrades.
const PREVIOUS_RUNTIME: &str =
	"zombienet/runtimes/grid_runtime-spec105-460a6c9.compact.compressed.wasm";
const PREVIOUS_SPEC: u32 = 105;
const TFT: u128 = 10_000_000;

#[tokio::test(flavor = "multi_thread")]
async fn a_validator_applies_joins_the_council_upgrades_without_sudo_and_she_leaves(
) -> anyhow::Result<()> {
	let spec = spec_with_runtime("join", "local4", PREVIOUS_RUNTIME, |_| {})?;
	std::env::set_var("GRID_GOVERNED_SPEC", &spec);
	run("join", "governed4.toml", Duration::from_secs(600), |net, clock| {
		Box::pin(scenario(net, clock))
	})
	.await
}

#[derive(serde::Deserialize)]
struct Generated {
	keys: String,
	proof: Option<String>,
}

async fn scenario(net: &mut Net, clock: &Clock) -> anyhow::Result<()> {
	let alice = Rpc::to(net.get_node("alice")?).await?;
	let client = Client::to(net.get_node("alice")?).await?;
	let eve = dev("eve")?;
	let eve_account = eve.public_key().0;
	let start = clock
		.wait_until("alice finalizes #2", Duration::from_secs(120), || async {
			let f = alice.finalized().await?;
			Ok((f >= 2).then_some(f))
		})
		.await?;
	let version = alice.spec_version().await?;
	anyhow::ensure!(version == PREVIOUS_SPEC, "the network started on spec {version}");

	// 1. A fifth node, started as a validator with an empty keystore, syncs.
	clock.step("adding node eve: --validator, no keys");
	// Explicit arguments replace the network's defaults, so repeat `--no-mdns` (see local4.toml).
	let args = vec!["--validator".into(), "--no-mdns".into()];
	let options = AddNodeOptions { args, ..Default::default() };
	net.add_node("eve", options).await?;
	let node = net.get_node("eve")?;
	let eve_rpc = clock
		.wait_until(&format!("eve syncs past #{start}"), Duration::from_secs(90), || async {
			let rpc = Rpc::to(node).await?;
			Ok((rpc.best().await? > start).then_some(rpc))
		})
		.await?;

	// 2. Her session keys, made in her node's keystore and bound to her account, registered.
	let generated: Generated = eve_rpc
		.call("author_rotateKeysWithOwner", vec![format!("0x{}", hex::encode(eve_account)).into()])
		.await?;
	let keys = unhex(&generated.keys)?;
	anyhow::ensure!(keys.len() == 64, "session keys are an Aura and a GRANDPA key");
	let (aura, grandpa): ([u8; 32], [u8; 32]) = (keys[..32].try_into()?, keys[32..].try_into()?);
	let proof = unhex(&generated.proof.unwrap_or_default())?;
	let set_keys = subxt::dynamic::tx(
		"Session",
		"set_keys",
		vec![
			Value::named_composite([
				("aura", Value::from_bytes(aura)),
				("grandpa", Value::from_bytes(grandpa)),
			]),
			Value::from_bytes(proof),
		],
	);
	client.submit(&set_keys, &eve).await?;
	clock.step(format!("eve's keys registered: aura 0x{}", hex::encode(aura)));

	// 3. She applies with a bond; the council approves by motion; two session boundaries later
	//    she validates (step 4 happens meanwhile).
	let apply = subxt::dynamic::tx(
		"ValidatorSet",
		"apply",
		vec![Value::from_bytes(b"eve: a validator in the test lab"), Value::u128(10 * TFT)],
	);
	client.submit(&apply, &eve).await?;
	clock.step("eve applied with a bond of 10 TFT");
	let eve_id = Value::unnamed_variant("Id", [Value::from_bytes(eve_account)]);
	let approve =
		grid_zombienet::call_value("ValidatorSet", "approve_application", vec![eve_id.clone()]);
	council_motion(&client, approve, clock).await?;

	// 4. While she waits for two session boundaries, the council upgrades the runtime without
	//    sudo, checked first by try-runtime.
	upgrade_without_sudo(net, &alice, &client, clock).await?;
	// A client signs with the runtime version it connected to: a new one for the new runtime.
	let client = Client::to(net.get_node("alice")?).await?;
	clock
		.wait_until("eve is a session validator", Duration::from_secs(120), || async {
			Ok(alice.session_validators().await?.contains(&eve_account).then_some(()))
		})
		.await?;
	let joined = alice.best().await?;
	anyhow::ensure!(alice.aura_authorities(None).await?.contains(&aura), "eve's Aura key");
	anyhow::ensure!(
		alice.grandpa_authorities().await?.iter().any(|(k, _)| *k == grandpa),
		"eve's GRANDPA key is an authority"
	);
	let authored = first_block_by(&alice, aura, joined, clock).await?;
	clock.step(format!("eve sealed #{authored}"));

	// Her GRANDPA vote counts: with Dave paused, 4 of the 5 are Alice, Bob, Charlie and Eve.
	let dave = net.get_node("dave")?;
	clock.step("pausing dave (SIGSTOP)");
	dave.pause().await?;
	// Blocks authored after the pause: Dave cannot have voted for them.
	let target = alice.best().await? + 2;
	let finalized = clock
		.wait_until(
			&format!("finality reaches #{target} without dave"),
			Duration::from_secs(90),
			|| async { Ok((alice.finalized().await? >= target).then_some(())) },
		)
		.await;
	dave.resume().await?;
	finalized?;

	// 5. The council removes her: she leaves the authorities and seals no more blocks.
	let remove = grid_zombienet::call_value("ValidatorSet", "remove_validator", vec![eve_id]);
	council_motion(&client, remove, clock).await?;
	let left = clock
		.wait_until(
			"eve's key is no longer an Aura authority",
			Duration::from_secs(120),
			|| async {
				let best = alice.best().await?;
				let hash = alice.block_hash(best).await?;
				let gone = !alice.aura_authorities(Some(&hash)).await?.contains(&aura);
				Ok(gone.then_some(best))
			},
		)
		.await?;
	anyhow::ensure!(!alice.session_validators().await?.contains(&eve_account), "eve validates");
	let until = left + 5;
	clock
		.wait_until(&format!("alice finalizes #{until}"), Duration::from_secs(120), || async {
			Ok((alice.finalized().await? >= until).then_some(()))
		})
		.await?;
	for n in left + 1..=until {
		anyhow::ensure!(!alice.sealed_by(n, &aura).await?, "eve sealed #{n} after leaving");
	}
	clock.step(format!("none of #{}..=#{until} is sealed by eve", left + 1));
	Ok(())
}

/// A council motion authorizes the new runtime's code hash; Eve applies the code; every node
/// runs the new spec and finality passes the upgrade.
async fn upgrade_without_sudo(
	net: &Net,
	alice: &Rpc,
	client: &Client,
	clock: &Clock,
) -> anyhow::Result<()> {
	let node = net.get_node("alice")?;
	let best = alice.block_hash(alice.best().await?).await?;
	try_runtime(node.ws_uri(), &best, clock)?;
	let code = new_runtime()?;
	let hash = sp_crypto_hashing::blake2_256(&code);
	let authorize = grid_zombienet::call_value(
		"Governance",
		"authorize_upgrade",
		vec![Value::from_bytes(hash)],
	);
	council_motion(client, authorize, clock).await?;
	clock.step(format!("eve: system.applyAuthorizedUpgrade ({} bytes)", code.len()));
	let apply =
		subxt::dynamic::tx("System", "apply_authorized_upgrade", vec![Value::from_bytes(code)]);
	let events = client.submit(&apply, &dev("eve")?).await?;
	await_upgrade(net, &["alice", "bob", "charlie", "dave", "eve"], &events, alice, clock).await
}

/// The first block after `from` sealed with `aura`.
async fn first_block_by(
	rpc: &Rpc,
	aura: [u8; 32],
	from: u32,
	clock: &Clock,
) -> anyhow::Result<u32> {
	let wait = clock.deadline("eve seals a block", Duration::from_secs(90));
	let mut next = from + 1;
	loop {
		let best = rpc.best().await?;
		while next <= best {
			if rpc.sealed_by(next, &aura).await? {
				wait.done();
				return Ok(next);
			}
			next += 1;
		}
		wait.tick().await?;
	}
}
