//! `gridctl nodes` over 1,000 registered nodes (issue 24's performance goal: under 2 s on a dev
//! node). Ignored by the test command (registering 1,000 nodes takes minutes); run it with
//! `cargo nextest run --release -p gridctl --test scale --run-ignored only --no-capture`.

use anyhow::{ensure, Context, Result};
use grid::runtime_types::{
	grid_primitives::resources::Resources,
	grid_runtime::RuntimeCall,
	pallet_balances::pallet::Call as BalancesCall,
	pallet_registry::{
		pallet::Call as RegistryCall,
		types::{Location, NodePolicy, NodeSpec},
	},
};
use grid_client::{bounded, grid, text, Wait};
use std::time::{Duration, Instant};
use subxt::utils::{AccountId32, MultiAddress};
use subxt_signer::{sr25519::Keypair, SecretUri};

const NODES: u32 = 1_000;
const TFT: u128 = 10_000_000;
const GIB: u64 = 1 << 30;

fn key(i: u32) -> Keypair {
	let uri: SecretUri = format!("//ScaleNode{i}").parse().expect("a derivation path");
	Keypair::from_uri(&uri).expect("a dev key")
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "registers 1,000 nodes: minutes; run on demand"]
async fn gridctl_nodes_over_a_thousand_nodes() -> Result<()> {
	let node = grid_e2e::DevNode::start("gridctl-scale").await?;
	let client = node.grid().await?;
	let alice = subxt_signer::sr25519::dev::alice();
	let keys: Vec<Keypair> = (0..NODES).map(key).collect();

	// alice-farm (farm 1) opens to any node; Alice funds every node account, 250 per batch.
	let open = grid::tx().registry().set_node_policy(1, NodePolicy::Open);
	client.submit_ok(&open, &alice, Wait::InBlock).await?;
	for chunk in keys.chunks(250) {
		let transfers = chunk
			.iter()
			.map(|k| {
				let to: AccountId32 = k.public_key().into();
				RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
					dest: MultiAddress::Id(to),
					value: 30 * TFT,
				})
			})
			.collect();
		client
			.submit_ok(&grid::tx().utility().batch_all(transfers), &alice, Wait::InBlock)
			.await?;
	}
	let started = Instant::now();
	// Every account registers its node: a twin and the node in one batch each.
	let mut pending = Vec::new();
	for (i, k) in keys.iter().enumerate() {
		let spec = NodeSpec {
			resources: Resources { cru: 4 + (i % 8) as u64, mru: 16 * GIB, sru: 512 * GIB, hru: 0 },
			location: Location { city: text("Gent"), country: text("BE"), coordinates: None },
			interfaces: bounded(vec![]),
			serial_number: Some(text(&format!("SCALE-{i}"))),
			secure_boot: false,
			virtualized: false,
		};
		let tx = grid::tx().utility().batch_all(vec![
			RuntimeCall::Registry(RegistryCall::create_twin { relays: bounded(vec![]), pk: None }),
			RuntimeCall::Registry(RegistryCall::register_node { farm_id: 1, spec }),
		]);
		let at = client.best().await?;
		let signed = at
			.transactions()
			.create_signed(
				&tx,
				k,
				subxt::config::DefaultExtrinsicParamsBuilder::<grid_client::Config>::new().build(),
			)
			.await
			.context("signing a registration")?;
		pending.push(signed.submit().await.context("submitting a registration")?);
	}
	let deadline = Instant::now() + Duration::from_secs(600);
	loop {
		let last = client
			.best()
			.await?
			.storage()
			.entry(grid::storage().registry().last_node_id())?
			.fetch(())
			.await?
			.decode()?;
		if last > NODES {
			break;
		}
		ensure!(Instant::now() < deadline, "only {last} nodes registered in time");
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
	println!("{NODES} nodes registered in {:.0} s", started.elapsed().as_secs_f32());

	let mut times = Vec::new();
	for args in [
		&["nodes"][..],
		&["nodes"],
		&["nodes"],
		&["nodes", "--min-cru", "10", "--country", "be"],
		&["farm", "nodes", "1"],
	] {
		let t = Instant::now();
		let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_gridctl"))
			.args(["--json", "--url", &node.ws_url])
			.args(args)
			.output()
			.await?;
		let elapsed = t.elapsed();
		ensure!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
		let doc: serde_json::Value = serde_json::from_slice(&output.stdout)?;
		let listed = doc["nodes"].as_array().map_or(0, |n| n.len());
		println!("gridctl {}: {listed} nodes in {} ms", args.join(" "), elapsed.as_millis());
		ensure!(listed >= 100, "{listed} nodes listed");
		times.push(elapsed);
	}
	times.sort();
	println!("median {} ms", times[times.len() / 2].as_millis());
	ensure!(pending.len() == NODES as usize);
	Ok(())
}
