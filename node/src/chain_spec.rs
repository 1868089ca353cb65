//! Chain specifications built from the runtime's genesis presets.

use grid_runtime::{
	genesis_config_presets::{LOCAL4_RUNTIME_PRESET, TESTNET_RUNTIME_PRESET},
	tft, WASM_BINARY,
};
use sc_service::ChainType;
use sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};

pub type ChainSpec = sc_service::GenericChainSpec;

/// Peer-to-peer protocol name prefix, so Gridchain nodes do not try to talk to other chains.
const PROTOCOL_ID: &str = "grid";

/// Token symbol, decimals and address format, shown by wallets such as polkadot.js.
fn properties() -> sc_service::Properties {
	let mut p = sc_service::Properties::new();
	p.insert("tokenSymbol".into(), tft::SYMBOL.into());
	p.insert("tokenDecimals".into(), tft::DECIMALS.into());
	p.insert("ss58Format".into(), grid_primitives::SS58_PREFIX.into());
	p
}

fn spec(name: &str, id: &str, chain_type: ChainType, preset: &str) -> Result<ChainSpec, String> {
	let wasm = WASM_BINARY
		.ok_or_else(|| "the runtime wasm is missing: build without SKIP_WASM_BUILD".to_string())?;
	Ok(ChainSpec::builder(wasm, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_protocol_id(PROTOCOL_ID)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.build())
}

pub fn development_config() -> Result<ChainSpec, String> {
	spec("Gridchain Development", "gridchain_dev", ChainType::Development, DEV_RUNTIME_PRESET)
}

pub fn local_testnet_config() -> Result<ChainSpec, String> {
	spec(
		"Gridchain Local Testnet",
		"gridchain_local",
		ChainType::Local,
		LOCAL_TESTNET_RUNTIME_PRESET,
	)
}

pub fn local4_config() -> Result<ChainSpec, String> {
	spec(
		"Gridchain Local Testnet (4 validators)",
		"gridchain_local4",
		ChainType::Local,
		LOCAL4_RUNTIME_PRESET,
	)
}

pub fn testnet_config() -> Result<ChainSpec, String> {
	spec("Gridchain Testnet", "gridchain_testnet", ChainType::Live, TESTNET_RUNTIME_PRESET)
}
