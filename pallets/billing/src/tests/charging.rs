//! Charging by the runtime itself: exact time, downtime, rent, names, traffic, settlement,
//! policy changes, budgets and skipped blocks.

use super::*;

/// tfchain billed nothing when the next author's offchain worker was off: here only the blocks'
/// own hooks run, no transaction and no worker.
#[test]
fn a_node_contract_is_charged_every_pass_for_exactly_the_time_elapsed() {
	test(|| {
		grid(2);
		let c = node_contract(ALICE, N1, SMALL, 1);
		let (alice, farmer, treasury, supply) =
			(free(ALICE), free(FARMER), free(TREASURY), issuance());
		// Her contract is on node 4: its bucket runs at blocks 4, 14, 24 … with no call from anyone.
		run_to(14);
		let seen = charges(c);
		assert_eq!(seen.iter().map(|c| c.0).collect::<Vec<_>>(), vec![18, 60]);
		let hourly = SMALL_HOURLY + IP_HOURLY;
		let amounts: Vec<_> = seen.iter().map(|c| c.2).collect();
		assert_eq!(amounts, vec![planck_for(hourly, 18), planck_for(hourly, 60)]);
		let total: Balance = amounts.iter().sum();
		assert_eq!(total, 32_500);
		// 40 % to the farm's payout account, 10 % to the treasury, the rest burned.
		assert_eq!(free(ALICE), alice - total);
		assert_eq!(free(FARMER), farmer + 13_000);
		assert_eq!(free(TREASURY), treasury + 3_250);
		assert_eq!(issuance(), supply - 16_250);
		// Nothing more until the bucket runs again.
		run_to(23);
		assert_eq!(charges(c).len(), 2);
		run_to(24);
		assert_eq!(charged_seconds(c), secs_at(24) - secs_at(1));
	});
}

#[test]
fn capacity_is_not_charged_while_the_node_is_down_but_ips_are() {
	test(|| {
		grid(2);
		let c = node_contract(ALICE, N1, SMALL, 1);
		node_goes_down(N1, secs_at(1));
		run_to(4);
		assert_eq!(
			charges(c),
			vec![(18, 0, planck_for(IP_HOURLY, 18), planck_for(IP_HOURLY, 18), 0)]
		);
		// Back up at block 10: only the seconds since count for capacity.
		node_comes_up(N1, secs_at(10));
		run_to(14);
		let last = *charges(c).last().unwrap();
		assert_eq!((last.0, last.1), (60, secs_at(14) - secs_at(10)));
		let expected = (IP_HOURLY * 60 + SMALL_HOURLY * 24) * PLANCK_PER_MICRO_USD;
		assert_eq!(last.2, expected.div_ceil(3_600));
	});
}

#[test]
fn a_standby_node_is_not_charged_for_capacity_whoever_asked() {
	test(|| {
		grid(2);
		// The farmer put node 2 on standby; Alice rents it as it is (the farmer bot wakes it).
		// Minting's record has it down (standby is not up).
		assert_ok!(Registry::set_power_target(signed(FARMER), N2, Power::Down));
		node_goes_down(N2, secs_at(1));
		let rent = rent_contract(ALICE, N2);
		run_to(4);
		assert_eq!(charges(rent), vec![(18, 0, 0, 0, 0)]);
		assert_eq!(Billing::contract_billing(rent).unwrap().charged_until, secs_at(4));
		run_to(9);
		assert_ok!(Registry::set_power_target(signed(FARMER), N2, Power::Up));
		node_comes_up(N2, secs_at(9));
		run_to(14);
		let (seconds, capacity, amount, ..) = charges(rent)[1];
		assert_eq!((seconds, capacity), (60, 30));
		let units = NODE_CAPACITY.cloud_units();
		let half_hourly = (units.cu as u128 * 10_000 + units.su as u128 * 5_000) / 2;
		assert_eq!(amount, (half_hourly * 30 * PLANCK_PER_MICRO_USD).div_ceil(3_600 * 1_000_000));
	});
}

#[test]
fn a_rent_pays_the_discounted_node_and_the_farmer_gets_the_whole_extra_fee() {
	test(|| {
		grid(2);
		// $72 a month: $0.1 an hour.
		assert_ok!(Capacity::set_extra_fee(signed(FARMER), N2, Musd(72_000)));
		rent_contract(ALICE, N2);
		let farmer = free(FARMER);
		run_to(4);
		let units = NODE_CAPACITY.cloud_units();
		let policy = PricingPolicy::reference();
		let full = (units.cu as u128 * 10_000 + units.su as u128 * 5_000) / 1_000_000;
		let regular = planck_for(full / 2, 18);
		let extra = planck_for(100_000, 18);
		let event = billing_events()
			.into_iter()
			.find(|e| matches!(e, Event::Charged { .. }))
			.unwrap();
		let Event::Charged { amount, farmer: to_farmer, treasury, burned, .. } = event else {
			unreachable!()
		};
		assert_eq!(policy.rent_discount, Percent::from_percent(50));
		assert_eq!(amount, regular + extra);
		assert_eq!(to_farmer, regular * 40 / 100 + extra);
		assert_eq!(free(FARMER), farmer + to_farmer);
		assert_eq!(to_farmer + treasury + burned, amount);
		// A node contract on the rented node pays its IP only.
		let child = node_contract(ALICE, N2, SMALL, 1);
		run_to(14);
		assert_eq!(charges(child)[0].2, planck_for(IP_HOURLY, 60));
	});
}

#[test]
fn a_name_pays_its_price_and_the_farmer_share_goes_to_the_treasury() {
	test(|| {
		grid(0);
		let c = name_contract(ALICE, "alice");
		let treasury = free(TREASURY);
		run_to(14);
		let paid = paid_total(c);
		assert_eq!(paid, planck_for(250, 18) + planck_for(250, 60));
		// Each charge's farmer (40 %) and treasury (10 %) shares, rounded down.
		let to_treasury: Balance = charges(c).iter().map(|c| c.3 * 40 / 100 + c.3 * 10 / 100).sum();
		assert_eq!(free(TREASURY), treasury + to_treasury);
	});
}

#[test]
fn traffic_is_charged_once_at_the_next_charge() {
	test(|| {
		grid(2);
		let c = node_contract(ALICE, N1, Resources::default(), 0);
		run_to(8);
		let report = pallet_capacity::UsageReport {
			contract_id: c,
			window_start: secs_at(1),
			window_end: secs_at(8),
			used: Resources::default(),
			public_traffic_bytes: 2_000_000_000,
		};
		assert_ok!(report_usage(NODE1, N1, report));
		run_to(24);
		// 2 GB at $0.0015 = 3,000 µUSD, once.
		let amounts: Vec<_> = charges(c).iter().map(|c| c.2).collect();
		assert_eq!(amounts, vec![0, 3_000 * PLANCK_PER_MICRO_USD, 0]);
		let traffic: Vec<_> = billing_events()
			.into_iter()
			.filter_map(|e| match e {
				Event::Charged { traffic_bytes, .. } => Some(traffic_bytes),
				_ => None,
			})
			.collect();
		assert_eq!(traffic, vec![0, 2_000_000_000, 0]);
	});
}

#[test]
fn cancelling_settles_up_to_that_second() {
	test(|| {
		grid(2);
		let c = node_contract(ALICE, N1, SMALL, 1);
		run_to(9);
		assert_ok!(Capacity::cancel_contract(signed(ALICE), c));
		// 18 s at block 4, then 30 s up to block 9.
		assert_eq!(charges(c).iter().map(|c| c.0).collect::<Vec<_>>(), vec![18, 30]);
		assert_eq!(Meters::<Test>::iter().count(), 0);
		run_to(30);
		assert_eq!(charges(c).len(), 2);
	});
}

#[test]
fn a_contract_created_and_cancelled_in_one_block_costs_nothing() {
	test(|| {
		grid(2);
		let alice = free(ALICE);
		let c = node_contract(ALICE, N1, SMALL, 1);
		assert_ok!(Capacity::cancel_contract(signed(ALICE), c));
		assert_eq!(charges(c), vec![]);
		assert_eq!(free(ALICE), alice);
		assert!(Payers::<Test>::iter().next().is_none());
	});
}

#[test]
fn a_price_change_applies_from_the_second_it_is_made() {
	test(|| {
		grid(2);
		let c = node_contract(ALICE, N1, Resources::default(), 1);
		run_to(4);
		// Halfway to the next run, the IP price doubles.
		run_to(9);
		let mut policy = PricingPolicy::reference();
		policy.ipv4 = MicroUsd(8_000);
		assert_ok!(Billing::set_policy(gov(), policy));
		assert_eq!(Policy::<Test>::get().current.version, 2);
		run_to(14);
		let last = *charges(c).last().unwrap();
		assert_eq!(last.0, 60);
		// 30 s at $0.004 and 30 s at $0.008, in one charge.
		let usd = |secs: u128, price: u128| price * secs * PLANCK_PER_MICRO_USD;
		assert_eq!(last.2, (usd(30, 4_000) + usd(30, 8_000)).div_ceil(3_600));
		// The next change waits until every bucket was charged past this one.
		assert_noop!(Billing::set_policy(gov(), policy), Error::<Test>::PolicyChangeTooSoon);
		run_to(20);
		assert_ok!(Billing::set_policy(gov(), policy));
	});
}

#[test]
fn a_small_budget_spreads_a_bucket_over_blocks_without_losing_or_repeating_a_charge() {
	test(|| {
		grid(4);
		let payers = three_payers();
		let contracts: Vec<_> =
			payers.iter().map(|who| node_contract(*who, N1, SMALL, 1)).collect();
		// One payer per block.
		ChargeBudget::set(<() as crate::WeightInfo>::charge_payer(1));
		run_to(60);
		let start = secs_at(1);
		for c in &contracts {
			let total = charged_seconds(*c);
			let until = Billing::contract_billing(*c).unwrap().charged_until;
			assert_eq!(total, until - start, "contract {c}");
			assert!(until >= secs_at(44), "contract {c} behind");
		}
		ChargeBudget::set(Weight::from_parts(375_000_000_000, u64::MAX));
	});
}

#[test]
fn skipped_blocks_only_delay_a_charge() {
	test(|| {
		grid(2);
		let c = node_contract(ALICE, N1, SMALL, 1);
		run_to(4);
		// The chain stalls for an hour between blocks 4 and 5.
		System::set_block_number(5);
		Timestamp::set_timestamp((secs_at(5) + 3_600) * 1_000);
		let _ = <Billing as Hooks<u64>>::on_initialize(5);
		System::set_block_number(13);
		Timestamp::set_timestamp((secs_at(13) + 3_600) * 1_000);
		System::set_block_number(14);
		Timestamp::set_timestamp((secs_at(14) + 3_600) * 1_000);
		let _ = <Billing as Hooks<u64>>::on_initialize(14);
		assert_eq!(charged_seconds(c), secs_at(14) + 3_600 - secs_at(1));
	});
}

#[test]
fn solution_providers_are_paid_their_shares_out_of_the_burn() {
	test(|| {
		grid(2);
		let shares = BoundedVec::truncate_from(vec![(20u64, 30u8), (21, 20)]);
		assert_ok!(Capacity::create_solution_provider(
			signed(BOB),
			BoundedVec::truncate_from(b"p".to_vec()),
			shares
		));
		assert_ok!(Capacity::approve_solution_provider(gov(), 1, true));
		let data = BoundedVec::truncate_from(b"zos".to_vec());
		assert_ok!(Capacity::create_node_contract(
			signed(ALICE),
			N1,
			[9; 32],
			data,
			SMALL,
			1,
			Some(1)
		));
		let c = pallet_capacity::LastContractId::<Test>::get();
		let (supply, farmer) = (issuance(), free(FARMER));
		run_to(4);
		let paid = planck_for(SMALL_HOURLY + IP_HOURLY, 18);
		assert_eq!(paid, 7_500);
		// 30 % and 20 % to the provider's accounts, 40 % to the farmer, 10 % to the treasury:
		// nothing is left to burn.
		assert_eq!((free(20), free(21)), (2_250, 1_500));
		assert_eq!(free(FARMER), farmer + 3_000);
		assert_eq!(issuance(), supply);
		let e = billing_events().into_iter().find_map(|e| match e {
			Event::Charged { contract_id, providers, burned, .. } if contract_id == c => {
				Some((providers, burned))
			},
			_ => None,
		});
		assert_eq!(e, Some((3_750, 0)));
	});
}

#[test]
fn a_payer_with_exactly_enough_pays_in_full_and_stays_out_of_grace() {
	// tfchain counted already-locked funds twice and put such payers into grace early.
	test(|| {
		grid(2);
		let c = node_contract(ALICE, N1, SMALL, 1);
		drain(ALICE, 7_500);
		run_to(4);
		assert_eq!(charges(c), vec![(18, 18, 7_500, 7_500, 0)]);
		assert_eq!(state_of(c), Some(ContractState::Created));
		assert!(!billing_events().iter().any(|e| matches!(e, Event::GraceStarted { .. })));
	});
}

#[test]
fn a_chain_that_fell_behind_catches_up_within_the_budget() {
	test(|| {
		grid(2);
		let c = node_contract(ALICE, N1, SMALL, 1);
		// Charging fell a whole pass behind (the cursor at bucket 0 at block 30).
		run_to(4);
		Cursor::<Test>::put(ChargeCursor { next: 0, run: None });
		System::set_block_number(29);
		let start = <() as crate::WeightInfo>::charge_start();
		let idle = <() as crate::WeightInfo>::charge_idle();
		let pay_out = <() as crate::WeightInfo>::pay_out(0);
		// Room for the first bucket and three more.
		ChargeBudget::set(idle + pay_out + start * 5);
		run_to(30);
		assert_eq!(Cursor::<Test>::get().next, 4);
		run_to(31);
		// Bucket 4 (Alice) came in the next block, charged from her last charge on; her charge
		// used the rest of the budget.
		assert_eq!(Cursor::<Test>::get().next, 5);
		assert_eq!(charged_seconds(c), secs_at(31) - secs_at(1));
		ChargeBudget::set(Weight::from_parts(375_000_000_000, u64::MAX));
	});
}

/// Alice and two more funded payers with twins (charged in bucket 4 once their first contract
/// is on node 4).
fn three_payers() -> Vec<AccountId> {
	let mut payers = vec![ALICE];
	for who in [20, 21] {
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), who, INITIAL_BALANCE));
		twin(who);
		payers.push(who);
	}
	payers
}

#[test]
fn a_payer_is_charged_in_its_first_contracts_nodes_bucket() {
	test(|| {
		grid(2);
		// A third node, 15: bucket 5.
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), 30, INITIAL_BALANCE));
		twin(30);
		pallet_registry::LastNodeId::<Test>::put(14);
		assert_ok!(Registry::register_node(signed(30), 1, spec(NODE_CAPACITY)));
		// Bob (twin 5) deploys on node 4 first, then on node 15: both in bucket 4.
		let on_n1 = node_contract(BOB, N1, SMALL, 0);
		let on_15 = node_contract(BOB, 15, SMALL, 0);
		// Charlie (twin 6) deploys on node 15: bucket 5; Alice (twin 4) only has a name: bucket 4.
		let charlie = node_contract(CHARLIE, 15, SMALL, 0);
		let name = name_contract(ALICE, "alice");
		run_to(4);
		assert_eq!([on_n1, on_15, charlie, name].map(charged_seconds), [18, 18, 0, 18]);
		run_to(5);
		assert_eq!(charged_seconds(charlie), 24);
		assert_eq!(PayerBucket::<Test>::get(twin_of(BOB)), Some(4));
		assert_eq!(PayerBucket::<Test>::get(twin_of(CHARLIE)), Some(5));
		assert_eq!(PayerBucket::<Test>::get(twin_of(ALICE)), Some(4));
	});
}

#[test]
fn a_blocks_payers_pay_into_one_pot_paid_out_once_per_account() {
	test(|| {
		grid(4);
		let contracts: Vec<_> =
			three_payers().iter().map(|who| node_contract(*who, N1, SMALL, 1)).collect();
		run_to(13);
		System::reset_events();
		let (farmer, treasury, supply) = (free(FARMER), free(TREASURY), issuance());
		run_to(14);
		let (mut paid, mut farmer_share, mut treasury_share, mut burned) = (0, 0, 0, 0);
		for e in billing_events() {
			if let Event::Charged { paid: p, farmer: f, treasury: t, burned: b, .. } = e {
				(paid, farmer_share, treasury_share, burned) =
					(paid + p, farmer_share + f, treasury_share + t, burned + b);
			}
		}
		assert_eq!(charges(contracts[2]).len(), 1, "each payer charged in this block");
		assert!(paid > 0);
		let paid_out: Vec<_> = billing_events()
			.into_iter()
			.filter(|e| matches!(e, Event::PaidOut { .. }))
			.collect();
		assert_eq!(
			paid_out,
			vec![Event::PaidOut {
				accounts: 1,
				credited: farmer_share,
				treasury: treasury_share,
				burned
			}]
		);
		assert_eq!(farmer_share + treasury_share + burned, paid);
		// The farm's payout account was credited once for the three payers.
		let deposits = System::events()
			.into_iter()
			.filter(|r| {
				matches!(r.event, RuntimeEvent::Balances(pallet_balances::Event::Deposit { who, .. }) if who == FARMER)
			})
			.count();
		assert_eq!(deposits, 1);
		let total: Balance = contracts.iter().map(|c| paid_total(*c)).sum();
		assert_eq!(free(FARMER) - farmer, total * 40 / 100);
		assert_eq!(free(TREASURY) - treasury, total * 10 / 100);
		assert_eq!(supply - issuance(), total - total * 40 / 100 - total * 10 / 100);
	});
}

#[test]
fn a_payers_charge_weighs_only_what_is_new_to_its_run() {
	test(|| {
		grid(4);
		let payers = three_payers();
		for who in &payers {
			node_contract(*who, N1, SMALL, 1);
		}
		Timestamp::set_timestamp((secs_at(1) + 3_600) * 1_000);
		let mut cursor = ChargeCursor {
			next: 0,
			run: Some(Run { from: secs_at(1), to: secs_at(1) + 3_600, last: None }),
		};
		let mut charger = crate::charge::Charger::<Test>::new().unwrap();
		let mut weigh = |who| {
			let t = twin_of(who);
			let ledger = Billing::ledger(t).unwrap();
			Billing::charge_payer(&mut charger, &mut cursor, t, ledger, Weight::MAX, true).unwrap()
		};
		// The first meets the node and credits the farm's payout account; the next do not.
		let first = crate::charge::Met { nodes: 1, providers: 0, accounts: 1 };
		assert_eq!(weigh(payers[0]), Billing::payer_weight(1, first));
		assert_eq!(weigh(payers[1]), Billing::payer_weight(1, Default::default()));
		assert!(
			Billing::payer_weight(1, first).any_gt(Billing::payer_weight(1, Default::default()))
		);
		// No charge weighs more than the most a payer of its size can.
		assert!(Billing::payer_max_weight(1).all_gte(Billing::payer_weight(1, first)));
		charger.pay_out();
	});
}
