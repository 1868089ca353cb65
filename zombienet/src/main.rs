//! `grid-zombienet spawn <network.toml>`: starts a network definition natively, like
//! `zombie-cli spawn -p native`, prints each node's endpoints and keeps it running until
//! Ctrl-C. `grid-node` must be on PATH.

use grid_zombienet::{NetworkConfig, NetworkConfigExt};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
	let args: Vec<String> = std::env::args().skip(1).collect();
	let [command, definition] = args.as_slice() else {
		anyhow::bail!("usage: grid-zombienet spawn <network.toml>");
	};
	anyhow::ensure!(command == "spawn", "unknown command {command}: the only one is `spawn`");
	let config = NetworkConfig::load_from_toml(definition)
		.map_err(|e| anyhow::anyhow!("{definition}: {e}"))?;
	eprintln!("spawning {definition} …");
	let network = config.spawn_native().await.map_err(|e| anyhow::anyhow!("spawning: {e}"))?;
	let base = network.base_dir().unwrap_or("?").to_string();
	for node in network.nodes() {
		let name = node.name();
		println!("{name:<8} {}  (log: {base}/{name}/{name}.log)", node.ws_uri());
	}
	eprintln!("network up (files in {base}); Ctrl-C stops it");
	tokio::signal::ctrl_c().await?;
	network.destroy().await?;
	Ok(())
}
