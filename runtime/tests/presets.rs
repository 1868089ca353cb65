//! Every genesis preset builds and sets up the chain it promises.

mod common;
use common::*;
use grid_runtime::{genesis_config_presets::*, *};
use sp_keyring::Sr25519Keyring::*;

#[test]
fn preset_names_are_the_documented_ones() {
	let names: Vec<String> = preset_names().into_iter().collect();
	assert_eq!(names, ["development", "local_testnet", "local4", "testnet"]);
	assert!(get_preset(&"nope".into()).is_none());
}

#[test]
fn development_has_alice_as_validator_and_sudo() {
	ext_from_preset("development").execute_with(|| {
		assert_eq!(
			pallet_validator_set::Validators::<Runtime>::get().into_inner(),
			vec![account(Alice)]
		);
		assert_eq!(pallet_session::Validators::<Runtime>::get(), vec![account(Alice)]);
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 1);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 1);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(account(Alice)));
		assert_eq!(Balances::free_balance(account(Bob)), DEV_ENDOWMENT);
		assert_eq!(pallet_validator_set::Schedule::<Runtime>::get().length, MINUTES);
		assert_eq!(CouncilMembership::members().len(), 3);
		assert_eq!(
			pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get().len(),
			3
		);
		check_invariants();
	});
}

#[test]
fn local_testnet_has_two_validators() {
	ext_from_preset("local_testnet").execute_with(|| {
		assert_eq!(
			pallet_validator_set::Validators::<Runtime>::get().into_inner(),
			vec![account(Alice), account(Bob)]
		);
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 2);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 2);
		check_invariants();
	});
}

#[test]
fn local4_has_four_validators_short_sessions_and_no_sudo() {
	ext_from_preset("local4").execute_with(|| {
		let four = vec![account(Alice), account(Bob), account(Charlie), account(Dave)];
		assert_eq!(pallet_validator_set::Validators::<Runtime>::get().into_inner(), four);
		assert_eq!(pallet_session::Validators::<Runtime>::get(), four);
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 4);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 4);
		assert_eq!(pallet_validator_set::Schedule::<Runtime>::get().length, 5);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None, "governed like a testnet");
		// Eve, the validator the network tests add, can pay her key deposit and fees.
		assert_eq!(Balances::free_balance(account(Eve)), DEV_ENDOWMENT);
		check_invariants();
	});
}

#[test]
fn testnet_has_no_sudo_and_hour_long_sessions() {
	ext_from_preset("testnet").execute_with(|| {
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		assert_eq!(pallet_validator_set::Schedule::<Runtime>::get().length, HOURS);
		assert_eq!(pallet_validator_set::Validators::<Runtime>::get().len(), 3);
		check_invariants();
	});
}

#[test]
fn treasury_account_exists_from_genesis() {
	ext_from_preset("development").execute_with(|| {
		let treasury = pallet_treasury::Pallet::<Runtime>::account_id();
		assert!(Balances::free_balance(&treasury) >= configs::ExistentialDeposit::get());
	});
}

/// Each preset lets a node send a usage batch within its uptime report interval: 10 s on the
/// dev chain (reports every 12 s), 25 s on the local networks (30 s), the default 20 minutes
/// on a real network.
#[test]
fn usage_report_gaps_fit_the_report_intervals() {
	let gap = || pallet_capacity::GridLimits::<Runtime>::get().usage_report_gap;
	for (preset, expected, interval) in [
		("development", DEV_USAGE_REPORT_GAP, DEV_MINTING.report_interval),
		("local_testnet", LOCAL_USAGE_REPORT_GAP, LOCAL_MINTING.report_interval),
		("local4", LOCAL_USAGE_REPORT_GAP, LOCAL_MINTING.report_interval),
		(
			"testnet",
			pallet_capacity::DEFAULT_USAGE_REPORT_GAP,
			pallet_minting::MintingParams::PRODUCTION.report_interval,
		),
	] {
		ext_from_preset(preset).execute_with(|| {
			assert_eq!(gap(), expected, "{preset}");
			assert!(gap() <= interval, "{preset}: a gap longer than the report interval");
			assert!(pallet_capacity::GridLimits::<Runtime>::get().is_valid());
		});
	}
}
