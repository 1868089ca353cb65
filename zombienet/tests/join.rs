//! The "run a validator" journey (README), automated on the four-validator network: a fifth
//! node joins with no keys, syncs, generates its session keys (`author_rotateKeysWithOwner`)
//! and registers them from Eve's account (`session.setKeys`); a council motion (2 of 3
//! members, no sudo) adds Eve; after the session change her keys are Aura and GRANDPA
//! authorities and she seals a block. With Dave paused, finality still advances: 4 of 5 votes
//! are needed, so Eve's counts. A second motion removes her: her key leaves the authorities and
//! seals no more blocks, though her node keeps running with it.

use grid_zombienet::{
	council_motion, dev, run, subxt, subxt::dynamic::Value, unhex, AddNodeOptions, Client, Clock,
	Net, Rpc,
};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn a_fifth_validator_joins_by_council_vote_and_leaves() -> anyhow::Result<()> {
	run("join", "local4.toml", Duration::from_secs(540), |net, clock| {
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

	// 3. The council adds her; two session boundaries later she validates.
	let eve_id = Value::unnamed_variant("Id", [Value::from_bytes(eve_account)]);
	let add = grid_zombienet::call_value("ValidatorSet", "add_validator", vec![eve_id.clone()]);
	council_motion(&client, add, clock).await?;
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

	// 4. Her GRANDPA vote counts: with Dave paused, 4 of the 5 are Alice, Bob, Charlie and Eve.
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
