//! `grid-node`: the Gridchain node.

// `sc_cli::Error` and `sc_service::Error` are upstream types, and the runner API fixes the
// signatures that return them.
#![allow(clippy::result_large_err)]

mod chain_spec;
mod cli;
mod command;
mod price_feed;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
