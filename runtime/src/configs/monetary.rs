//! TFT: balances, transaction fees and where they go, the treasury.
//!
//! Fee of a call = `WeightToFee(weight) + TransactionByteFee × length (+ tip)`, where the weight
//! counts the base extrinsic, the call and the transaction extensions. The weight fee is linear
//! in `ref_time` and priced so that a simple call — a signed `transfer_keep_alive`, about 5.8
//! base weights and ~145 bytes — costs about 0.001 TFT in all: the base extrinsic weight alone
//! costs [`BASE_EXTRINSIC_FEE`]. Fees are split
//! [`TREASURY_FEE_SHARE`] : [`AUTHOR_FEE_SHARE`] between the treasury and the block author;
//! tips go to the author whole. The split rounds down the treasury's part and gives the
//! remainder to the author, so nothing is lost to rounding. If a share cannot be credited
//! (an author account that would stay below the existential deposit), it is burned.

use crate::*;
use frame_support::{
	parameter_types,
	traits::{
		fungible::{Balanced, Credit},
		tokens::{imbalance::ResolveTo, PayFromAccount, UnityAssetBalanceConversion},
		Imbalance, OnUnbalanced,
	},
	weights::{
		constants::ExtrinsicBaseWeight, WeightToFeeCoefficient, WeightToFeeCoefficients,
		WeightToFeePolynomial,
	},
	PalletId,
};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_runtime::{
	traits::{IdentityLookup, One},
	Perbill, Permill,
};

/// Accounts below this many planck are reaped: 0.01 TFT.
pub const EXISTENTIAL_DEPOSIT: Balance = 10 * tft::MILLI;
/// Parts of every fee for the treasury and the block author (tips go to the author).
pub const TREASURY_FEE_SHARE: u32 = 80;
pub const AUTHOR_FEE_SHARE: u32 = 20;

parameter_types! {
	pub const ExistentialDeposit: Balance = EXISTENTIAL_DEPOSIT;
	/// 0.000001 TFT per byte of transaction.
	pub const TransactionByteFee: Balance = tft::MICRO;
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = frame_support::traits::ConstU32<50>;
	type MaxReserves = frame_support::traits::ConstU32<50>;
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ExistentialDeposit;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = frame_support::traits::VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

/// What the base extrinsic weight costs: 0.00015 TFT (see the module docs for a transfer).
pub const BASE_EXTRINSIC_FEE: Balance = 150 * tft::MICRO;

/// Linear fee in `ref_time`: the base extrinsic weight costs exactly [`BASE_EXTRINSIC_FEE`].
pub struct WeightToFee;
impl WeightToFeePolynomial for WeightToFee {
	type Balance = Balance;
	fn polynomial() -> WeightToFeeCoefficients<Self::Balance> {
		let p = BASE_EXTRINSIC_FEE;
		let q = Balance::from(ExtrinsicBaseWeight::get().ref_time());
		smallvec::smallvec![WeightToFeeCoefficient {
			degree: 1,
			negative: false,
			coeff_frac: Perbill::from_rational(p % q, q),
			coeff_integer: p / q,
		}]
	}
}

/// Sends fees to the treasury and the block author (see the module docs).
pub struct DealWithFees;
impl OnUnbalanced<Credit<AccountId, Balances>> for DealWithFees {
	fn on_unbalanceds(mut fees_then_tips: impl Iterator<Item = Credit<AccountId, Balances>>) {
		let Some(fees) = fees_then_tips.next() else { return };
		let (to_treasury, mut to_author) = fees.ration(TREASURY_FEE_SHARE, AUTHOR_FEE_SHARE);
		for tip in fees_then_tips {
			to_author.subsume(tip);
		}
		ResolveTo::<TreasuryAccount, Balances>::on_unbalanced(to_treasury);
		ToBlockAuthor::on_unbalanced(to_author);
	}

	/// A lone credit is a fee without tip: split it the same way.
	fn on_nonzero_unbalanced(fees: Credit<AccountId, Balances>) {
		Self::on_unbalanceds(core::iter::once(fees));
	}
}

/// Credits the author of the current block; burns the amount if there is no author.
pub struct ToBlockAuthor;
impl OnUnbalanced<Credit<AccountId, Balances>> for ToBlockAuthor {
	fn on_nonzero_unbalanced(amount: Credit<AccountId, Balances>) {
		if let Some(author) = Authorship::author() {
			// On failure the credit is returned and dropped here, which burns it.
			let _ = Balances::resolve(&author, amount);
		}
	}
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, DealWithFees>;
	type OperationalFeeMultiplier = frame_support::traits::ConstU8<5>;
	type WeightToFee = WeightToFee;
	type LengthToFee = frame_support::weights::ConstantMultiplier<Balance, TransactionByteFee>;
	/// Fees stay predictable: no congestion multiplier.
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const TreasuryPalletId: PalletId = PalletId(*b"py/trsry");
	pub TreasuryAccount: AccountId = Treasury::account_id();
	pub const SpendPeriod: BlockNumber = 7 * DAYS;
	pub const PayoutPeriod: BlockNumber = 30 * DAYS;
	pub const TreasuryBurn: Permill = Permill::zero();
	pub const MaxApprovals: u32 = 100;
	pub const MaxTreasurySpend: Balance = Balance::MAX;
}

impl pallet_treasury::Config for Runtime {
	type Currency = Balances;
	type RejectOrigin = crate::configs::EnsureRootOrHalfCouncil;
	type RuntimeEvent = RuntimeEvent;
	type SpendPeriod = SpendPeriod;
	type Burn = TreasuryBurn;
	type PalletId = TreasuryPalletId;
	type BurnDestination = ();
	type WeightInfo = pallet_treasury::weights::SubstrateWeight<Runtime>;
	type SpendFunds = ();
	type MaxApprovals = MaxApprovals;
	type SpendOrigin = frame_support::traits::EitherOf<
		frame_system::EnsureRootWithSuccess<AccountId, MaxTreasurySpend>,
		frame_system::EnsureWithSuccess<
			pallet_collective::EnsureProportionMoreThan<
				AccountId,
				crate::configs::CouncilCollective,
				1,
				2,
			>,
			AccountId,
			MaxTreasurySpend,
		>,
	>;
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = IdentityLookup<AccountId>;
	type Paymaster = PayFromAccount<Balances, TreasuryAccount>;
	type BalanceConverter = UnityAssetBalanceConversion;
	type PayoutPeriod = PayoutPeriod;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
	type BlockNumberProvider = System;
}
