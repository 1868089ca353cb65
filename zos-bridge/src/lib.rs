//! # zos-bridge
//!
//! The chain-side half of a Zero-OS node (see the README's "zos-bridge" section and
//! `zos-bridge --help`): it holds the node's key, registers the node with what its agent
//! measured, reports uptime on the chain's interval, follows the farmer's power target from
//! finalized blocks, and journals every step so a crash neither repeats nor loses one. It
//! serves the owners of the node's contracts ([`api`]): a deployment whose hash the contract
//! holds becomes workloads on the agent, paused in grace and decommissioned when the contract
//! ends ([`workloads`]).
pub mod api;
pub mod chain;
pub mod daemon;
pub mod identity;
pub mod metrics;
pub mod spec;
pub mod store;
pub mod usage;
pub mod workloads;
