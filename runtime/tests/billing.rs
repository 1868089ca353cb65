//! Billing in the real runtime: a contract on the dev chain's demo node charged by the runtime
//! itself with the split landing on the farm's payout account and the treasury, and 10,000
//! contracts charged hourly through a simulated day within every block's budget.

mod common;
use common::*;
use frame_support::{
	assert_ok,
	traits::{fungible::Inspect, OnFinalize, OnInitialize},
	weights::Weight,
};
use grid_primitives::{registry::ContractId, resources::Resources, resources::GIB};
use grid_runtime::{configs::*, *};
use sp_keyring::Sr25519Keyring::*;
use std::collections::HashMap;

/// The charges of `contract` in the current block's events: (seconds, paid, farmer, treasury,
/// burned).
fn charged(contract: ContractId) -> Vec<(u64, Balance, Balance, Balance, Balance)> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Billing(pallet_billing::Event::Charged {
				contract_id,
				seconds,
				paid,
				farmer,
				treasury,
				burned,
				..
			}) if contract_id == contract => Some((seconds, paid, farmer, treasury, burned)),
			_ => None,
		})
		.collect()
}

#[test]
fn a_contract_on_the_demo_node_is_charged_with_no_extrinsic() {
	ext_from_preset("development").execute_with(|| {
		trust_price(80);
		let bob = account(Bob);
		assert_ok!(Registry::create_twin(
			RuntimeOrigin::signed(bob.clone()),
			Default::default(),
			None
		));
		let resources = Resources { cru: 1, mru: 2 * GIB, sru: 50 * GIB, hru: 0 };
		assert_ok!(Capacity::create_node_contract(
			RuntimeOrigin::signed(bob.clone()),
			1,
			[7; 32],
			Default::default(),
			resources,
			1,
			None
		));
		let contract = pallet_capacity::LastContractId::<Runtime>::get();
		let alice = account(Alice);
		let treasury_account = TreasuryAccount::get();
		let (bob_before, alice_before, treasury_before) = (
			Balances::balance(&bob),
			Balances::balance(&alice),
			Balances::balance(&treasury_account),
		);
		let supply = Balances::total_issuance();
		// His contract is on node 1: the dev chain's 5 buckets charge him at blocks 6 and 11
		// (its hooks run on the clock of the block before: 24 s after the contract, then 30 s).
		let mut seen = Vec::new();
		for n in 2..=13 {
			run_to_block(n);
			seen.extend(charged(contract));
		}
		assert_eq!(seen.iter().map(|c| c.0).collect::<Vec<_>>(), vec![24, 30]);
		let paid: Balance = seen.iter().map(|c| c.1).sum();
		let farmer: Balance = seen.iter().map(|c| c.2).sum();
		let treasury: Balance = seen.iter().map(|c| c.3).sum();
		let burned: Balance = seen.iter().map(|c| c.4).sum();
		assert!(paid > 0);
		assert_eq!(paid, farmer + treasury + burned);
		// The demo node reported no uptime: only its IP was charged, 40 % to Alice's farm.
		assert_eq!(Balances::balance(&bob), bob_before - paid);
		assert_eq!(Balances::balance(&alice), alice_before + farmer);
		assert_eq!(Balances::balance(&treasury_account), treasury_before + treasury);
		assert_eq!(Balances::total_issuance(), supply - burned);
		check_invariants();
	});
}

/// Every pallet but billing, whose hook the day test measures on its own.
type OtherPallets = (
	System,
	Timestamp,
	Authorship,
	ValidatorSet,
	Session,
	Aura,
	Grandpa,
	Balances,
	TransactionPayment,
	Treasury,
	Sudo,
	Council,
	CouncilMembership,
	Utility,
	Proxy,
	Multisig,
	Registry,
	Capacity,
	TftPrice,
	Minting,
);

/// Ends block `n - 1` and starts block `n` in Aura slot `slot` (its events only), running
/// every pallet's hook; returns billing's weight.
fn next_block(n: u32, slot: u64) -> Weight {
	AllPalletsWithSystem::on_finalize(n - 1);
	System::reset_events();
	let digest = sp_runtime::Digest {
		logs: vec![sp_runtime::DigestItem::PreRuntime(
			sp_consensus_aura::AURA_ENGINE_ID,
			codec::Encode::encode(&sp_consensus_aura::Slot::from(slot)),
		)],
	};
	System::initialize(&n, &Default::default(), &digest);
	OtherPallets::on_initialize(n);
	Billing::on_initialize(n)
}

/// An account `i` of kind `tag` with 100 TFT and a twin.
fn funded_twin(i: u32, tag: u8) -> AccountId {
	let mut raw = [tag; 32];
	raw[..4].copy_from_slice(&i.to_le_bytes());
	let who = AccountId::from(raw);
	assert_ok!(Balances::force_set_balance(
		RuntimeOrigin::root(),
		who.clone().into(),
		100 * tft::UNIT
	));
	assert_ok!(Registry::create_twin(RuntimeOrigin::signed(who.clone()), Default::default(), None));
	who
}

/// The goal, ≈ 1,700 contracts a block (a million an hour), checked on the declared
/// weights in the steady state: payers of one contract each, on nodes of one farm.
#[test]
fn one_block_charges_over_1700_single_contract_payers_within_its_budget() {
	use pallet_registry::types::{Location, NodePolicy, NodeSpec};
	ext_from_preset("testnet").execute_with(|| {
		trust_price(80);
		// One bucket, as if so from genesis: every payer is due in the next block.
		pallet_billing::PassBlocks::<Runtime>::put(1);
		let _ = pallet_billing::BucketCharged::<Runtime>::clear(u32::MAX, None);
		pallet_billing::Cursor::<Runtime>::put(pallet_billing::ChargeCursor { next: 2, run: None });
		let farmer = funded_twin(0, 0xfa);
		fn text<S: frame_support::traits::Get<u32>>(t: &str) -> frame_support::BoundedVec<u8, S> {
			frame_support::BoundedVec::truncate_from(t.as_bytes().to_vec())
		}
		assert_ok!(Registry::create_farm(RuntimeOrigin::signed(farmer.clone()), text("farm")));
		let farm = pallet_registry::LastFarmId::<Runtime>::get();
		assert_ok!(Registry::set_node_policy(
			RuntimeOrigin::signed(farmer),
			farm,
			NodePolicy::Open
		));
		let room = Resources { cru: 256, mru: 1024 * GIB, sru: 16 * 1024 * GIB, hru: 0 };
		let nodes: Vec<u32> = (0..11)
			.map(|k| {
				let spec = NodeSpec {
					resources: room,
					location: Location { city: text("Gent"), country: text("Belgium"), coordinates: None },
					interfaces: Default::default(),
					serial_number: None,
					secure_boot: false,
					virtualized: false,
				};
				let node = funded_twin(k, 0xe0);
				assert_ok!(Registry::register_node(RuntimeOrigin::signed(node), farm, spec));
				pallet_registry::LastNodeId::<Runtime>::get()
			})
			.collect();
		let small = Resources { cru: 1, mru: 2 * GIB, sru: 50 * GIB, hru: 0 };
		let payers = 2_200u32;
		for i in 0..payers {
			let who = funded_twin(i, 0x07);
			let mut hash = [0u8; 32];
			hash[..4].copy_from_slice(&i.to_le_bytes());
			assert_ok!(Capacity::create_node_contract(
				RuntimeOrigin::signed(who),
				nodes[(i / 200) as usize],
				hash,
				Default::default(),
				small,
				0,
				None
			));
		}
		// Established payers: each has paid a month's worth, so its standing no longer changes
		// (a payer's first month writes it at each charge).
		for (bucket, twin, mut ledger) in pallet_billing::Payers::<Runtime>::iter().collect::<Vec<_>>()
		{
			ledger.credit = u128::MAX;
			pallet_billing::Payers::<Runtime>::insert(bucket, twin, ledger);
		}
		// An hour later (the clock a block's hooks see is the one set in the block before).
		let hour_later = pallet_timestamp::Now::<Runtime>::get() + 3_600_000;
		pallet_timestamp::Now::<Runtime>::put(hour_later);
		let slot = hour_later / SLOT_DURATION + 1;
		let charged = || {
			System::events()
				.into_iter()
				.filter(|r| {
					matches!(&r.event, RuntimeEvent::Billing(pallet_billing::Event::Charged { seconds, .. }) if *seconds == 3_600)
				})
				.count() as u32
		};
		let budget = BillingBudget::get();
		let used = next_block(2, slot);
		let first = charged();
		println!("one block charged {first} single-contract payers, using {used} of {budget}");
		assert!(used.all_lte(budget), "billing used {used} of {budget}");
		assert!(first >= 1_700, "only {first} contracts charged in a block");
		pallet_timestamp::Pallet::<Runtime>::set_timestamp(slot * SLOT_DURATION);
		// The rest in the next block, in the same run: nobody charged twice, nobody left out.
		next_block(3, slot + 1);
		assert_eq!(first + charged(), payers);
		check_invariants();
	});
}

#[test]
fn ten_thousand_contracts_are_charged_hourly_through_a_day_within_budget() {
	ext_from_preset("testnet").execute_with(|| {
		trust_price(80);
		// 1,000 payers with 10 gateway names each.
		let mut contracts = Vec::new();
		for i in 0..1_000u32 {
			let who = funded_twin(i, 7);
			for k in 0..10 {
				let name = format!("n{i}-{k}").into_bytes();
				assert_ok!(Capacity::create_name_contract(
					RuntimeOrigin::signed(who.clone()),
					frame_support::BoundedVec::truncate_from(name)
				));
				contracts.push(pallet_capacity::LastContractId::<Runtime>::get());
			}
		}
		assert_eq!(contracts.len(), 10_000);
		let created = pallet_timestamp::Now::<Runtime>::get() / 1_000;
		let supply = Balances::total_issuance();
		let budget = BillingBudget::get();
		let mut seen: HashMap<ContractId, (u32, u64)> = HashMap::new();
		let mut burned: Balance = 0;
		let mut busiest = Weight::zero();
		// A day: 14,400 blocks of 6 s, one pass of 600 blocks an hour. The clock of block n is
		// set after its hooks, so a bucket's first run (block 2 for bucket 2, twin 2) can come
		// before any time passed and charges nothing; one more block gives it its 24th.
		for n in 2..=14_402u32 {
			let used = next_block(n, n as u64);
			assert!(used.all_lte(budget), "block {n}: billing used {used} of {budget}");
			busiest = busiest.max(used);
			pallet_timestamp::Pallet::<Runtime>::set_timestamp(n as u64 * SLOT_DURATION);
			for r in System::events() {
				if let RuntimeEvent::Billing(pallet_billing::Event::Charged {
					contract_id,
					seconds,
					burned: b,
					..
				}) = r.event
				{
					let entry = seen.entry(contract_id).or_default();
					entry.0 += 1;
					entry.1 += seconds;
					burned += b;
				}
			}
		}
		for c in &contracts {
			let (count, seconds) = seen.get(c).copied().unwrap_or_default();
			assert_eq!(count, 24, "contract {c} charged {count} times");
			let until = Billing::contract_billing(*c).expect("live").charged_until;
			assert_eq!(seconds, until - created, "contract {c}: charged seconds");
			assert!(until - created >= 23 * 3_600, "contract {c} not charged through the day");
		}
		assert_eq!(Balances::total_issuance(), supply - burned);
		println!("busiest block used {busiest} of {budget}");
		check_invariants();
	});
}

#[test]
fn a_twin_holding_committed_tft_cannot_be_deleted_or_transferred() {
	ext_from_preset("development").execute_with(|| {
		let (bob, charlie) = (account(Bob), account(Charlie));
		assert_ok!(Registry::create_twin(
			RuntimeOrigin::signed(bob.clone()),
			Default::default(),
			None
		));
		assert_ok!(Billing::commit(RuntimeOrigin::signed(bob.clone()), 5 * tft::UNIT));
		frame_support::assert_noop!(
			Registry::delete_twin(RuntimeOrigin::signed(bob.clone())),
			pallet_registry::Error::<Runtime>::TwinHasContracts
		);
		assert_ok!(Registry::propose_twin_transfer(
			RuntimeOrigin::signed(bob.clone()),
			charlie.clone().into()
		));
		frame_support::assert_noop!(
			Registry::accept_twin_transfer(RuntimeOrigin::signed(charlie), 3),
			pallet_registry::Error::<Runtime>::TwinHasContracts
		);
		// Released after the notice, the twin is free to go.
		assert_ok!(Billing::request_release(RuntimeOrigin::signed(bob.clone()), 5 * tft::UNIT));
		run_to_block(2 + pallet_billing::Params::<Runtime>::get().release_notice);
		assert_ok!(Billing::release(RuntimeOrigin::signed(bob.clone())));
		assert_ok!(Registry::delete_twin(RuntimeOrigin::signed(bob)));
		check_invariants();
	});
}
