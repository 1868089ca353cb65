//! # Registry
//!
//! The grid's identity and hardware registry: who is who (twins), who farms what (farms and their
//! public IPv4 pools), which machines are on the grid (nodes), whether they are powered and
//! certified, and the governance knobs that go with them.
//!
//! ## Twins
//! An account creates one twin (ids are sequential from 1) with optional RMB relays and an
//! optional public key, holding [`Config::TwinDeposit`]. It may first record its acceptance of
//! the terms and conditions (a link of at most 256 bytes and the document's hash; required when
//! [`Config::RequireTerms`] is set); the record is one per account and is dropped with the twin.
//! A twin is deleted once it owns no farm, is no node and has no contract. It moves to another
//! account in two steps: the owner proposes, the new account accepts; only then do the twin and
//! its farms change hands, the new account holding the deposits and the old one getting its
//! own back.
//!
//! ## Farms
//! A twin creates up to [`Config::MaxFarmsPerTwin`] farms with unique names (3..40 of
//! `[A-Za-z0-9_-]`, unique whatever their case), holding [`Config::FarmDeposit`]. The farmer
//! renames it, chooses its payout account, manages a pool of public IPv4s (each public unicast,
//! with a gateway in its subnet, in use at most once on the chain), and decides which nodes may
//! join: [`NodePolicy::Open`] or [`NodePolicy::AllowList`] (the default). Governance sets its
//! certification and dedicated flag, renames it, and frees or removes squatted IPs. A farm
//! without nodes and reserved IPs can be deleted.
//!
//! ## Nodes
//! A Zero-OS node signs with its own account, which has a twin, and registers into a farm that
//! admits it, holding [`Config::NodeDeposit`]. It declares its capacity — at least 1 core, 2 GiB
//! of memory and 100 GiB of SSD (or 1 TiB of HDD for an HDD-only storage node), at most the
//! governance-set plausibility maximum ([`MaxNodeResources`]) — location, interfaces, serial
//! number and boot flags, and updates them; it may not shrink below what contracts reserve on
//! it. A certified node whose capacity moves by more than 1 % from the certified capacity falls
//! back to DIY. The farmer sets its public config (an IPv4, IPv6 and domain no other farm or node
//! uses). The node deletes itself, and [`Config::Observer`] ends what ran on it; its farmer may
//! delete it only while nothing runs on it (the same rule as powering it down).
//!
//! ## Power and certification
//! The farmer (or a proxy, e.g. a farmer bot) sets a node's power target; `Down` is refused
//! while [`Config::Usage`] reports active contracts. The node reports its power state: a change
//! is free up to [`Config::FreePowerChanges`] times per [`Config::PowerChangeWindow`], every
//! other report pays its fee. Governance keeps an allow-list of certifiers who set nodes DIY or
//! Certified.
//!
//! ## Weights of other pallets' work
//! Calls that notify [`Config::Observer`] or ask [`Config::Usage`] charge the upper bounds
//! those traits declare on top of their own benchmarked weight.
//!
//! Other pallets read the registry through [`grid_primitives::registry::GridRegistry`] and
//! [`grid_primitives::registry::PublicIpPool`]; clients use the view functions.

#![cfg_attr(not(feature = "std"), no_std)]
// Tests may panic and index: they are not the runtime.
#![cfg_attr(
	test,
	allow(
		clippy::arithmetic_side_effects,
		clippy::unwrap_used,
		clippy::expect_used,
		clippy::indexing_slicing
	)
)]

extern crate alloc;

mod api;
mod deposits;
mod farms;
mod genesis;
mod governance;
mod invariants;
mod ips;
mod nodes;
mod power;
mod transfer;
mod twins;
pub mod types;
mod utility;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[frame::pallet]
// FRAME's generated code (storage info, error encoding, genesis) does what the lints forbid.
#[allow(
	clippy::arithmetic_side_effects,
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing
)]
pub mod pallet {
	use super::*;
	use frame::{
		prelude::*,
		traits::{fungible, UnixTime},
	};
	use grid_primitives::{
		money::MusdPerTft,
		net::{Ipv4, Ipv4Cidr, Ipv6},
		registry::{
			ContractId, FarmCertification, FarmId, NodeCertification, NodeId, NodeUsage, Power,
			PowerState, RegistryObserver, TwinId,
		},
		resources::Resources,
	};

	/// An amount of [`Config::Currency`], in planck.
	pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;
	/// A twin as stored, with the runtime's account and balance types.
	pub type TwinOf<T> = Twin<<T as frame_system::Config>::AccountId, BalanceOf<T>>;
	/// A farm as stored, with the runtime's account and balance types.
	pub type FarmOf<T> = Farm<<T as frame_system::Config>::AccountId, BalanceOf<T>>;
	/// A node as stored, with the runtime's balance and block number types.
	pub type NodeOf<T> = Node<BalanceOf<T>, BlockNumberFor<T>>;
	pub(crate) type AccountIdLookupOf<T> =
		<<T as frame_system::Config>::Lookup as frame::traits::StaticLookup>::Source;

	/// The version of this pallet's storage layout.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why the registry holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit of a twin, held from the twin's account.
		TwinDeposit,
		/// Deposit of a farm, held from the farmer's account.
		FarmDeposit,
		/// Deposit of a node, held from the node's account.
		NodeDeposit,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Holds the deposits.
		type Currency: fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::Mutate<Self::AccountId>;
		/// The runtime's hold reason, which includes this pallet's [`HoldReason`].
		type RuntimeHoldReason: From<HoldReason>;
		/// Certifies farms, manages node certifiers, sets the global knobs and repairs squatting.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Wall-clock time for registration and acceptance timestamps.
		type TimeProvider: UnixTime;
		/// Told when nodes register, change capacity or certification, are removed, change power,
		/// or lose a public IP.
		type Observer: RegistryObserver<BlockNumberFor<Self>>;
		/// Says what runs on a node and whether a twin has contracts.
		type Usage: NodeUsage;
		/// Held for each twin.
		#[pallet::constant]
		type TwinDeposit: Get<BalanceOf<Self>>;
		/// Held for each farm.
		#[pallet::constant]
		type FarmDeposit: Get<BalanceOf<Self>>;
		/// Held for each node.
		#[pallet::constant]
		type NodeDeposit: Get<BalanceOf<Self>>;
		/// Most farms one twin owns (a twin transfer moves them all in one call).
		#[pallet::constant]
		type MaxFarmsPerTwin: Get<u32>;
		/// Longest allow-list of a farm.
		#[pallet::constant]
		type MaxAdmittedPerFarm: Get<u32>;
		/// Most node certifiers.
		#[pallet::constant]
		type MaxCertifiers: Get<u32>;
		/// Free power-state changes a node may report per [`Config::PowerChangeWindow`].
		#[pallet::constant]
		type FreePowerChanges: Get<u32>;
		/// Length in blocks of the window [`Config::FreePowerChanges`] counts in.
		#[pallet::constant]
		type PowerChangeWindow: Get<BlockNumberFor<Self>>;
		/// Whether an account must accept the terms and conditions before creating a twin.
		#[pallet::constant]
		type RequireTerms: Get<bool>;
		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;
	}

	// ---- twins ----

	/// The last twin id issued (ids start at 1).
	#[pallet::storage]
	pub type LastTwinId<T> = StorageValue<_, TwinId, ValueQuery>;

	/// Twins by id.
	#[pallet::storage]
	pub type Twins<T: Config> = StorageMap<_, Twox64Concat, TwinId, TwinOf<T>>;

	/// The twin of each account (at most one).
	#[pallet::storage]
	pub type TwinByAccount<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, TwinId>;

	/// The latest terms and conditions each account accepted; dropped with its twin.
	#[pallet::storage]
	pub type AcceptedTerms<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Terms>;

	/// Pending twin transfers: the account each twin is offered to.
	#[pallet::storage]
	pub type TwinTransfers<T: Config> = StorageMap<_, Twox64Concat, TwinId, T::AccountId>;

	// ---- farms ----

	/// The last farm id issued (ids start at 1).
	#[pallet::storage]
	pub type LastFarmId<T> = StorageValue<_, FarmId, ValueQuery>;

	/// Farms by id.
	#[pallet::storage]
	pub type Farms<T: Config> = StorageMap<_, Twox64Concat, FarmId, FarmOf<T>>;

	/// The farm of each name, keyed by the lower-cased name (names are unique whatever their
	/// case).
	#[pallet::storage]
	pub type FarmByName<T> = StorageMap<_, Blake2_128Concat, FarmName, FarmId>;

	/// The farms each twin owns.
	#[pallet::storage]
	pub type FarmsOfTwin<T> =
		StorageDoubleMap<_, Twox64Concat, TwinId, Twox64Concat, FarmId, (), OptionQuery>;

	/// Each farm's public IPv4 pool.
	#[pallet::storage]
	pub type FarmPublicIps<T> = StorageMap<_, Twox64Concat, FarmId, IpPool, ValueQuery>;

	/// Where each public IPv4 is in use: in one farm's pool or as one node's public address,
	/// never both, never twice.
	#[pallet::storage]
	pub type IpOwner<T> = StorageMap<_, Blake2_128Concat, Ipv4, IpHolder>;

	/// Node accounts each farm admits (its allow-list).
	#[pallet::storage]
	pub type Admitted<T: Config> =
		StorageDoubleMap<_, Twox64Concat, FarmId, Blake2_128Concat, T::AccountId, ()>;

	// ---- nodes ----

	/// The last node id issued (ids start at 1).
	#[pallet::storage]
	pub type LastNodeId<T> = StorageValue<_, NodeId, ValueQuery>;

	/// Nodes by id.
	#[pallet::storage]
	pub type Nodes<T: Config> = StorageMap<_, Twox64Concat, NodeId, NodeOf<T>>;

	/// The node a twin runs as (a twin is at most one node).
	#[pallet::storage]
	pub type NodeByTwin<T> = StorageMap<_, Twox64Concat, TwinId, NodeId>;

	/// The nodes of each farm.
	#[pallet::storage]
	pub type FarmNodes<T> = StorageDoubleMap<_, Twox64Concat, FarmId, Twox64Concat, NodeId, ()>;

	/// The node whose public config uses each IPv6.
	#[pallet::storage]
	pub type Ipv6Owner<T> = StorageMap<_, Blake2_128Concat, Ipv6, NodeId>;

	/// The node whose public config uses each domain, keyed by the lower-cased domain.
	#[pallet::storage]
	pub type DomainOwner<T> = StorageMap<_, Blake2_128Concat, HostName, NodeId>;

	// ---- governance ----

	/// Accounts allowed to certify nodes.
	#[pallet::storage]
	pub type NodeCertifiers<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxCertifiers>, ValueQuery>;

	/// The TFT price copied into each node at registration (minting converts with it).
	#[pallet::storage]
	pub type ConnectionPrice<T> = StorageValue<_, MusdPerTft, ValueQuery, DefaultConnectionPrice>;

	/// The default of [`ConnectionPrice`]: 80 mUSD ($0.08) per TFT.
	#[pallet::type_value]
	pub fn DefaultConnectionPrice() -> MusdPerTft {
		MusdPerTft(80)
	}

	/// The most of each resource a node may declare (plausible hardware: capacity is a claim on
	/// the mint).
	#[pallet::storage]
	pub type MaxNodeResources<T> = StorageValue<_, Resources, ValueQuery, DefaultMaxNodeResources>;

	/// The default of [`MaxNodeResources`]: [`Resources::PLAUSIBLE_MAX`].
	#[pallet::type_value]
	pub fn DefaultMaxNodeResources() -> Resources {
		Resources::PLAUSIBLE_MAX
	}

	/// The Zero-OS version nodes should run.
	#[pallet::storage]
	pub type CurrentZosVersion<T> = StorageValue<_, ZosVersion, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame::prelude::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Accounts that get a twin, in id order (each must afford the twin deposit).
		pub twins: alloc::vec::Vec<T::AccountId>,
		/// `(owner, name, open policy)`: farms in id order; the owner needs a twin above.
		pub farms: alloc::vec::Vec<(T::AccountId, alloc::string::String, bool)>,
		/// `(farm, ip, gateway)`: public IPs of those farms.
		pub farm_ips: alloc::vec::Vec<(FarmId, Ipv4Cidr, Ipv4)>,
		/// `(node account, farm, capacity)`: nodes in id order, location unknown.
		pub nodes: alloc::vec::Vec<(T::AccountId, FarmId, Resources)>,
		/// Accounts allowed to certify nodes.
		pub node_certifiers: alloc::vec::Vec<T::AccountId>,
		/// The TFT price copied into nodes; `None` keeps the default (80 mUSD).
		pub connection_price: Option<MusdPerTft>,
		/// The plausibility maximum of a node; `None` keeps [`Resources::PLAUSIBLE_MAX`].
		pub max_node_resources: Option<Resources>,
		/// The Zero-OS version nodes should run; empty for none.
		pub zos_version: alloc::string::String,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			genesis::build::<T>(self)
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` accepted the terms and conditions at `link`, identified by `hash`.
		TermsAccepted {
			/// The account that accepted.
			who: T::AccountId,
			/// URL of the accepted document.
			link: TermsLink,
			/// Hash of the accepted document.
			hash: TermsHash,
		},
		/// `account` created twin `twin_id`.
		TwinCreated {
			/// The new twin.
			twin_id: TwinId,
			/// The account that owns it.
			account: T::AccountId,
		},
		/// The twin's relays or public key changed.
		TwinUpdated {
			/// The twin that changed.
			twin_id: TwinId,
		},
		/// The twin was deleted and its deposit released.
		TwinDeleted {
			/// The deleted twin.
			twin_id: TwinId,
		},
		/// The owner of `twin_id` (`from`) offers it to `to`.
		TwinTransferProposed {
			/// The twin offered.
			twin_id: TwinId,
			/// Its current owner.
			from: T::AccountId,
			/// The account it is offered to.
			to: T::AccountId,
		},
		/// The offer of `twin_id` was withdrawn.
		TwinTransferCancelled {
			/// The twin no longer offered.
			twin_id: TwinId,
		},
		/// `twin_id` and its farms moved from `from` to `to`.
		TwinTransferred {
			/// The twin that moved.
			twin_id: TwinId,
			/// The previous owner.
			from: T::AccountId,
			/// The new owner.
			to: T::AccountId,
		},
		/// Twin `twin_id` created farm `farm_id` named `name`.
		FarmCreated {
			/// The new farm.
			farm_id: FarmId,
			/// The farmer's twin.
			twin_id: TwinId,
			/// The farm's name, as given.
			name: FarmName,
		},
		/// The farm is now named `name` (by its farmer or by governance).
		FarmRenamed {
			/// The renamed farm.
			farm_id: FarmId,
			/// Its new name.
			name: FarmName,
		},
		/// The farm's rewards and billing share now go to `payout`.
		FarmPayoutSet {
			/// The farm whose payout was set.
			farm_id: FarmId,
			/// The account its rewards and billing share go to from now on.
			payout: T::AccountId,
		},
		/// The farm now admits nodes by `policy`.
		FarmNodePolicySet {
			/// The farm whose policy was set.
			farm_id: FarmId,
			/// Which nodes may register from now on.
			policy: NodePolicy,
		},
		/// `who` may register a node in `farm_id`.
		NodeAdmitted {
			/// The farm that admits the account.
			farm_id: FarmId,
			/// The node account now on the farm's allow-list.
			who: T::AccountId,
		},
		/// `who` is off the farm's allow-list.
		NodeAdmissionRevoked {
			/// The farm that no longer admits the account.
			farm_id: FarmId,
			/// The node account taken off the farm's allow-list.
			who: T::AccountId,
		},
		/// `ip` (with `gateway`) joined the farm's pool.
		FarmIpAdded {
			/// The farm whose pool the address joined.
			farm_id: FarmId,
			/// The address with its subnet prefix.
			ip: Ipv4Cidr,
			/// The gateway of its subnet.
			gateway: Ipv4,
		},
		/// The farmer removed a free `ip` from the pool.
		FarmIpRemoved {
			/// The farm whose pool held the address.
			farm_id: FarmId,
			/// The removed address.
			ip: Ipv4,
		},
		/// Governance freed `ip`, which `contract_id` held.
		FarmIpForceReleased {
			/// The farm whose pool holds the address.
			farm_id: FarmId,
			/// The freed address.
			ip: Ipv4,
			/// The contract that lost it.
			contract_id: ContractId,
		},
		/// Governance removed `ip` from the pool; `contract_id` held it, if any.
		FarmIpForceRemoved {
			/// The farm whose pool held the address.
			farm_id: FarmId,
			/// The removed address.
			ip: Ipv4,
			/// The contract that lost it; `None` if the address was free.
			contract_id: Option<ContractId>,
		},
		/// `count` IPs of the farm were reserved for `contract_id`.
		PublicIpsReserved {
			/// The farm whose IPs were reserved.
			farm_id: FarmId,
			/// The contract that holds them.
			contract_id: ContractId,
			/// How many IPs were reserved.
			count: u32,
		},
		/// `count` IPs of the farm that `contract_id` held are free again.
		PublicIpsReleased {
			/// The farm whose IPs were freed.
			farm_id: FarmId,
			/// The contract that held them.
			contract_id: ContractId,
			/// How many IPs were freed.
			count: u32,
		},
		/// Governance set the farm's certification.
		FarmCertificationSet {
			/// The farm whose certification was set.
			farm_id: FarmId,
			/// Its new certification.
			certification: FarmCertification,
		},
		/// Governance made the farm's nodes rentable only whole (`dedicated`), or not.
		FarmDedicatedSet {
			/// The farm whose flag was set.
			farm_id: FarmId,
			/// `true`: the farm's nodes are rented only whole.
			dedicated: bool,
		},
		/// The farm was deleted; its IPs, allow-list and deposit were released.
		FarmDeleted {
			/// The deleted farm.
			farm_id: FarmId,
		},
		/// Twin `twin_id` registered as node `node_id` of `farm_id` with `resources`.
		NodeRegistered {
			/// The new node.
			node_id: NodeId,
			/// The farm it joined.
			farm_id: FarmId,
			/// The node's own twin.
			twin_id: TwinId,
			/// The capacity it declared.
			resources: Resources,
		},
		/// The node declared a new spec with `resources`.
		NodeUpdated {
			/// The node that declared a new spec.
			node_id: NodeId,
			/// The capacity it now declares.
			resources: Resources,
		},
		/// The node's public config is now `config` (`None`: cleared).
		NodePublicConfigSet {
			/// The node whose public config was set.
			node_id: NodeId,
			/// Its new public config; `None` when cleared.
			config: Option<PublicConfig>,
		},
		/// The node was deleted and its deposit released.
		NodeDeleted {
			/// The deleted node.
			node_id: NodeId,
			/// The farm it belonged to.
			farm_id: FarmId,
		},
		/// The farmer wants `node_id` up or down; the node follows.
		PowerTargetChanged {
			/// The node's farm.
			farm_id: FarmId,
			/// The node asked to power up or down.
			node_id: NodeId,
			/// Up or down, as the farmer wants it.
			target: Power,
		},
		/// `node_id` reports it is up, or down since a block.
		PowerStateChanged {
			/// The node's farm.
			farm_id: FarmId,
			/// The node that reported.
			node_id: NodeId,
			/// Up, or down since the block given.
			state: PowerState<BlockNumberFor<T>>,
		},
		/// The node's certification changed (by a certifier, or lapsed to DIY after a capacity
		/// change).
		NodeCertificationSet {
			/// The node whose certification was set.
			node_id: NodeId,
			/// Its new certification.
			certification: NodeCertification,
		},
		/// `who` may certify nodes.
		NodeCertifierAdded {
			/// The new certifier.
			who: T::AccountId,
		},
		/// `who` may no longer certify nodes.
		NodeCertifierRemoved {
			/// The former certifier.
			who: T::AccountId,
		},
		/// Nodes registering from now on get this TFT price.
		ConnectionPriceSet {
			/// The new price in mUSD per TFT (80 is $0.08).
			price: MusdPerTft,
		},
		/// Nodes may declare at most `max` from now on.
		MaxNodeResourcesSet {
			/// The most cores, and bytes of memory, SSD and HDD, a node may declare.
			max: Resources,
		},
		/// Nodes should run `version`.
		ZosVersionSet {
			/// The Zero-OS version, e.g. `v3.14.2`.
			version: ZosVersion,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		// -- inputs --
		/// Farm names are 3 to 40 of `[A-Za-z0-9_-]`.
		InvalidFarmName,
		/// Host names are dot-separated labels of 1..=63 `[A-Za-z0-9_-]`.
		InvalidHostName,
		/// A relay is listed twice.
		DuplicateRelay,
		/// The public key is empty.
		InvalidPublicKey,
		/// The terms link must be printable ASCII without spaces.
		InvalidTermsLink,
		/// The terms hash must be `[A-Za-z0-9_-]`.
		InvalidTermsHash,
		/// The version must be printable ASCII without spaces.
		InvalidZosVersion,
		/// The serial number must be printable ASCII.
		InvalidSerialNumber,
		/// City: 1 to 58 bytes of UTF-8 without control characters.
		InvalidCity,
		/// Country: 2 to 56 bytes of UTF-8 without control characters.
		InvalidCountry,
		/// Latitude within ±90°, longitude within ±180° (micro-degrees).
		InvalidCoordinates,
		/// Interface names are 1 to 20 of `[A-Za-z0-9_.-]`.
		InvalidInterfaceName,
		/// A MAC address must not be all zero.
		InvalidMac,
		/// The prefix is longer than the address.
		InvalidIpPrefix,
		/// The address or gateway is not public unicast.
		IpNotPublic,
		/// The address is its subnet's network or broadcast address.
		IpNotAHost,
		/// The gateway is outside the subnet, or is the address itself.
		InvalidGateway,
		/// A node needs at least 1 core.
		TooFewCores,
		/// A node needs at least 2 GiB of memory.
		TooLittleMemory,
		/// A node needs at least 100 GiB of SSD, or 1 TiB of HDD as an HDD-only storage node.
		TooLittleStorage,
		/// More cores than [`MaxNodeResources`] allows.
		TooManyCores,
		/// More memory than [`MaxNodeResources`] allows.
		TooMuchMemory,
		/// More SSD than [`MaxNodeResources`] allows.
		TooMuchSsd,
		/// More HDD than [`MaxNodeResources`] allows.
		TooMuchHdd,
		/// A plausibility maximum must admit the smallest node.
		InvalidMaxResources,
		/// The connection price must be above zero.
		InvalidConnectionPrice,
		// -- twins --
		/// Accept the terms and conditions first.
		TermsNotAccepted,
		/// The account already has a twin.
		TwinExists,
		/// The account has no twin.
		TwinNotFound,
		/// The twin owns farms; delete them first.
		TwinOwnsFarms,
		/// The twin is a registered node; delete the node first.
		TwinIsNode,
		/// The twin has contracts.
		TwinHasContracts,
		/// The twin owns [`Config::MaxFarmsPerTwin`] farms.
		TooManyFarms,
		/// A twin cannot be offered to its own account.
		TransferToSelf,
		/// The twin is not offered to anyone.
		NoTransferOffer,
		/// The twin is offered to another account.
		NotTransferTarget,
		// -- farms --
		/// No farm has this id.
		FarmNotFound,
		/// Another farm has this name (names are compared whatever their case).
		FarmNameTaken,
		/// The caller's twin does not own the farm.
		NotFarmOwner,
		/// The farm still has nodes.
		FarmHasNodes,
		/// The farm has IPs reserved by contracts.
		FarmIpsInUse,
		/// The allow-list is full ([`Config::MaxAdmittedPerFarm`]).
		TooManyAdmitted,
		/// The account is already on the allow-list.
		AlreadyAdmitted,
		/// The account is not on the allow-list.
		NotAdmitted,
		/// The farm's IP pool is full.
		TooManyIps,
		/// This IPv4 or IPv6 is already in a farm's pool or in another node's public config.
		IpExists,
		/// The farm has no such IP.
		IpNotFound,
		/// A contract uses this IP.
		IpReserved,
		/// No contract uses this IP.
		IpNotReserved,
		/// The farm has fewer free IPs than asked for.
		NotEnoughFreeIps,
		// -- nodes --
		/// The twin already runs as a node.
		NodeExists,
		/// No node has this id, or the caller is no node.
		NodeNotFound,
		/// The farm does not admit this node (allow-list policy).
		FarmDoesNotAdmitNode,
		/// The caller is neither the node nor its farmer.
		NotNodeOrFarmer,
		/// The node has active contracts: it cannot power down, and its farmer cannot delete
		/// it.
		NodeHasActiveContracts,
		/// The new capacity is below what contracts reserve on the node.
		CapacityBelowReserved,
		/// Another node's public config uses this domain.
		DomainTaken,
		/// The caller is neither governance nor a node certifier.
		NotNodeCertifier,
		// -- governance --
		/// The account is already a node certifier.
		AlreadyCertifier,
		/// The certifier list is full ([`Config::MaxCertifiers`]).
		TooManyCertifiers,
		// -- arithmetic --
		/// An id counter would overflow.
		IdOverflow,
		/// A stored count disagrees with what it counts (storage is inconsistent; governance
		/// must repair it). Nothing was changed.
		InconsistentCount,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(!T::PowerChangeWindow::get().is_zero(), "PowerChangeWindow must be > 0");
			assert!(T::MaxFarmsPerTwin::get() > 0, "MaxFarmsPerTwin must be > 0");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_n: BlockNumberFor<T>,
		) -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight = <T as Config>::WeightInfo)]
	impl<T: Config> Pallet<T> {
		// ---- twins ----

		/// Record that the caller accepts the terms and conditions at `link`, identified by
		/// `hash`. One record per account: a later acceptance replaces it; it is dropped with
		/// the account's twin.
		///
		/// - Origin: signed, any account.
		/// - `link`: printable ASCII without spaces, 1..=256 bytes.
		/// - `hash`: the document's hash, 1..=50 of `[A-Za-z0-9_-]`.
		///
		/// Emits [`Event::TermsAccepted`]. Errors: [`Error::InvalidTermsLink`],
		/// [`Error::InvalidTermsHash`].
		#[pallet::call_index(0)]
		pub fn accept_terms(
			origin: OriginFor<T>,
			link: TermsLink,
			hash: TermsHash,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept_terms(who, link, hash)
		}

		/// Create the caller's twin, holding [`Config::TwinDeposit`] from the caller.
		///
		/// - Origin: signed, an account without a twin (that accepted the terms, if
		///   [`Config::RequireTerms`]).
		/// - `relays`: up to 4 distinct RMB relay host names.
		/// - `pk`: the twin's public key for encrypted messages, if any (not empty).
		///
		/// Emits [`Event::TwinCreated`]. Errors: [`Error::TwinExists`],
		/// [`Error::TermsNotAccepted`], [`Error::InvalidHostName`], [`Error::DuplicateRelay`],
		/// [`Error::InvalidPublicKey`], [`Error::IdOverflow`]; a token error when the deposit
		/// cannot be held.
		#[pallet::call_index(1)]
		pub fn create_twin(
			origin: OriginFor<T>,
			relays: Relays,
			pk: Option<PublicKey>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_twin(&who, relays, pk).map(|_| ())
		}

		/// Replace the caller's twin's relays and public key.
		///
		/// - Origin: signed, an account with a twin.
		/// - `relays`, `pk`: as in [`Pallet::create_twin`].
		///
		/// Emits [`Event::TwinUpdated`]. Errors: [`Error::TwinNotFound`],
		/// [`Error::InvalidHostName`], [`Error::DuplicateRelay`], [`Error::InvalidPublicKey`].
		#[pallet::call_index(2)]
		pub fn update_twin(
			origin: OriginFor<T>,
			relays: Relays,
			pk: Option<PublicKey>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_twin(&who, relays, pk)
		}

		/// Delete the caller's twin, its terms acceptance and any pending transfer offer, and
		/// release its deposit.
		///
		/// - Origin: signed, an account whose twin owns no farm, is no node and has no
		///   contracts.
		///
		/// Emits [`Event::TwinDeleted`]. Errors: [`Error::TwinNotFound`],
		/// [`Error::TwinOwnsFarms`], [`Error::TwinIsNode`], [`Error::TwinHasContracts`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::delete_twin().saturating_add(T::Usage::query_weight()))]
		pub fn delete_twin(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_delete_twin(&who)
		}

		/// Offer the caller's twin, with all its farms, to account `to`. Nothing moves until
		/// `to` calls [`Pallet::accept_twin_transfer`]; a new offer replaces the previous one.
		///
		/// - Origin: signed, an account whose twin is no node.
		/// - `to`: the new owner; must differ from the caller.
		///
		/// Emits [`Event::TwinTransferProposed`]. Errors: [`Error::TwinNotFound`],
		/// [`Error::TwinIsNode`], [`Error::TransferToSelf`].
		#[pallet::call_index(4)]
		pub fn propose_twin_transfer(
			origin: OriginFor<T>,
			to: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_propose_twin_transfer(&who, T::Lookup::lookup(to)?)
		}

		/// Withdraw the offer of the caller's twin.
		///
		/// - Origin: signed, the twin's owner.
		///
		/// Emits [`Event::TwinTransferCancelled`]. Errors: [`Error::TwinNotFound`],
		/// [`Error::NoTransferOffer`].
		#[pallet::call_index(5)]
		pub fn cancel_twin_transfer(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_twin_transfer(&who)
		}

		/// Take over twin `twin_id`, offered to the caller, with its farms. The caller holds
		/// the twin's and the farms' deposits from now on and the previous owner's are
		/// released; farm payouts that pointed at the previous owner point at the caller.
		/// Charged for [`Config::MaxFarmsPerTwin`] farms; the unused part is refunded.
		///
		/// - Origin: signed, the account the twin is offered to, without a twin of its own
		///   (that accepted the terms, if [`Config::RequireTerms`]).
		/// - `twin_id`: the twin offered.
		///
		/// Emits [`Event::TwinTransferred`] and [`Event::FarmPayoutSet`] for each payout moved.
		/// Errors: [`Error::NoTransferOffer`], [`Error::NotTransferTarget`],
		/// [`Error::TwinExists`], [`Error::TermsNotAccepted`], [`Error::TwinIsNode`],
		/// [`Error::TwinHasContracts`]; a token error when the caller cannot afford the
		/// deposits.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::accept_twin_transfer(T::MaxFarmsPerTwin::get())
			.saturating_add(T::Usage::query_weight()))]
		pub fn accept_twin_transfer(
			origin: OriginFor<T>,
			twin_id: TwinId,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let farms = Self::do_accept_twin_transfer(&who, twin_id)?;
			Ok(Some(
				T::WeightInfo::accept_twin_transfer(farms).saturating_add(T::Usage::query_weight()),
			)
			.into())
		}

		// ---- farms ----

		/// Create a farm owned by the caller's twin, holding [`Config::FarmDeposit`] from the
		/// caller. Its payout account is the caller and its node policy the allow-list until
		/// changed.
		///
		/// - Origin: signed, an account with a twin that owns fewer than
		///   [`Config::MaxFarmsPerTwin`] farms.
		/// - `name`: 3..=40 of `[A-Za-z0-9_-]`, unused by any farm whatever the case.
		///
		/// Emits [`Event::FarmCreated`]. Errors: [`Error::TwinNotFound`],
		/// [`Error::InvalidFarmName`], [`Error::FarmNameTaken`], [`Error::TooManyFarms`],
		/// [`Error::IdOverflow`]; a token error when the deposit cannot be held.
		#[pallet::call_index(10)]
		pub fn create_farm(origin: OriginFor<T>, name: FarmName) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_farm(&who, name).map(|_| ())
		}

		/// Rename a farm (a change of case only is allowed).
		///
		/// - Origin: signed, the farm's owner.
		/// - `name`: as in [`Pallet::create_farm`].
		///
		/// Emits [`Event::FarmRenamed`] (nothing when the name is the same). Errors:
		/// [`Error::FarmNotFound`], [`Error::TwinNotFound`], [`Error::NotFarmOwner`],
		/// [`Error::InvalidFarmName`], [`Error::FarmNameTaken`].
		#[pallet::call_index(11)]
		pub fn rename_farm(
			origin: OriginFor<T>,
			farm_id: FarmId,
			name: FarmName,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_rename_farm(Some(&who), farm_id, name)
		}

		/// Choose where the farm's rewards and its share of billing are paid.
		///
		/// - Origin: signed, the farm's owner.
		/// - `payout`: any account.
		///
		/// Emits [`Event::FarmPayoutSet`]. Errors: [`Error::FarmNotFound`],
		/// [`Error::TwinNotFound`], [`Error::NotFarmOwner`].
		#[pallet::call_index(12)]
		pub fn set_farm_payout(
			origin: OriginFor<T>,
			farm_id: FarmId,
			payout: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_farm_payout(&who, farm_id, T::Lookup::lookup(payout)?)
		}

		/// Let any node join the farm ([`NodePolicy::Open`]) or only admitted node accounts
		/// ([`NodePolicy::AllowList`]). Registered nodes stay either way.
		///
		/// - Origin: signed, the farm's owner.
		///
		/// Emits [`Event::FarmNodePolicySet`]. Errors: [`Error::FarmNotFound`],
		/// [`Error::TwinNotFound`], [`Error::NotFarmOwner`].
		#[pallet::call_index(13)]
		pub fn set_node_policy(
			origin: OriginFor<T>,
			farm_id: FarmId,
			policy: NodePolicy,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_node_policy(&who, farm_id, policy)
		}

		/// Put a node account, named directly or by its twin, on the farm's allow-list.
		///
		/// - Origin: signed, the farm's owner.
		/// - `node`: [`NodeRef::Account`] or [`NodeRef::Twin`] (which must exist).
		///
		/// Emits [`Event::NodeAdmitted`]. Errors: [`Error::FarmNotFound`],
		/// [`Error::TwinNotFound`], [`Error::NotFarmOwner`], [`Error::AlreadyAdmitted`],
		/// [`Error::TooManyAdmitted`].
		#[pallet::call_index(14)]
		pub fn admit_node(
			origin: OriginFor<T>,
			farm_id: FarmId,
			node: NodeRef<T::AccountId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_admit_node(&who, farm_id, node)
		}

		/// Take a node account off the allow-list (a registered node stays registered).
		///
		/// - Origin: signed, the farm's owner.
		///
		/// Emits [`Event::NodeAdmissionRevoked`]. Errors: [`Error::FarmNotFound`],
		/// [`Error::TwinNotFound`], [`Error::NotFarmOwner`], [`Error::NotAdmitted`].
		#[pallet::call_index(15)]
		pub fn revoke_node(
			origin: OriginFor<T>,
			farm_id: FarmId,
			node: NodeRef<T::AccountId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_revoke_node(&who, farm_id, node)
		}

		/// Add a public IPv4 with its gateway to the farm's pool.
		///
		/// - Origin: signed, the farm's owner.
		/// - `ip`: a public unicast host address with its prefix, used nowhere else on the
		///   chain (no farm's pool, no node's public config).
		/// - `gateway`: another host of the same subnet.
		///
		/// Emits [`Event::FarmIpAdded`]. Errors: [`Error::FarmNotFound`],
		/// [`Error::TwinNotFound`], [`Error::NotFarmOwner`], [`Error::InvalidIpPrefix`],
		/// [`Error::IpNotPublic`], [`Error::IpNotAHost`], [`Error::InvalidGateway`],
		/// [`Error::IpExists`], [`Error::TooManyIps`].
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::add_farm_ip(types::MAX_FARM_IPS))]
		pub fn add_farm_ip(
			origin: OriginFor<T>,
			farm_id: FarmId,
			ip: Ipv4Cidr,
			gateway: Ipv4,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_add_farm_ip(&who, farm_id, ip, gateway)
		}

		/// Remove a free IP from the farm's pool.
		///
		/// - Origin: signed, the farm's owner.
		///
		/// Emits [`Event::FarmIpRemoved`]. Errors: [`Error::FarmNotFound`],
		/// [`Error::TwinNotFound`], [`Error::NotFarmOwner`], [`Error::IpNotFound`],
		/// [`Error::IpReserved`].
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::remove_farm_ip(types::MAX_FARM_IPS))]
		pub fn remove_farm_ip(origin: OriginFor<T>, farm_id: FarmId, ip: Ipv4) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_farm_ip(&who, farm_id, ip)
		}

		/// Delete a farm without nodes and reserved IPs; releases its IPs, allow-list and
		/// deposit. Charged for a full pool and allow-list; the unused part is refunded.
		///
		/// - Origin: signed, the farm's owner.
		///
		/// Emits [`Event::FarmDeleted`]. Errors: [`Error::FarmNotFound`],
		/// [`Error::TwinNotFound`], [`Error::NotFarmOwner`], [`Error::FarmHasNodes`],
		/// [`Error::FarmIpsInUse`], [`Error::InconsistentCount`].
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::delete_farm(
			types::MAX_FARM_IPS,
			T::MaxAdmittedPerFarm::get()
		))]
		pub fn delete_farm(origin: OriginFor<T>, farm_id: FarmId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (ips, admitted) = Self::do_delete_farm(&who, farm_id)?;
			Ok(Some(T::WeightInfo::delete_farm(ips, admitted)).into())
		}

		/// Set a farm's certification.
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::FarmCertificationSet`]. Errors: [`Error::FarmNotFound`].
		#[pallet::call_index(19)]
		pub fn set_farm_certification(
			origin: OriginFor<T>,
			farm_id: FarmId,
			certification: FarmCertification,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_farm_certification(farm_id, certification)
		}

		/// Make a farm's nodes rentable only whole, or not.
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::FarmDedicatedSet`]. Errors: [`Error::FarmNotFound`].
		#[pallet::call_index(20)]
		pub fn set_farm_dedicated(
			origin: OriginFor<T>,
			farm_id: FarmId,
			dedicated: bool,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_farm_dedicated(farm_id, dedicated)
		}

		/// Free a reserved IP; the contract holding it loses it (told through
		/// [`Config::Observer`]).
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::FarmIpForceReleased`]. Errors: [`Error::FarmNotFound`],
		/// [`Error::IpNotFound`], [`Error::IpNotReserved`].
		#[pallet::call_index(21)]
		#[pallet::weight(T::WeightInfo::force_release_farm_ip(types::MAX_FARM_IPS)
			.saturating_add(T::Observer::ip_force_released_max_weight()))]
		pub fn force_release_farm_ip(
			origin: OriginFor<T>,
			farm_id: FarmId,
			ip: Ipv4,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_force_release_farm_ip(farm_id, ip)
		}

		/// Rename a farm, e.g. one that squats another's name.
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		/// - `name`: as in [`Pallet::create_farm`].
		///
		/// Emits [`Event::FarmRenamed`]. Errors: [`Error::FarmNotFound`],
		/// [`Error::InvalidFarmName`], [`Error::FarmNameTaken`].
		#[pallet::call_index(22)]
		pub fn force_rename_farm(
			origin: OriginFor<T>,
			farm_id: FarmId,
			name: FarmName,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_rename_farm(None, farm_id, name)
		}

		/// Remove an IP from a farm's pool, e.g. one the farm squats; a contract holding it
		/// loses it (told through [`Config::Observer`]).
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::FarmIpForceRemoved`]. Errors: [`Error::FarmNotFound`],
		/// [`Error::IpNotFound`].
		#[pallet::call_index(23)]
		#[pallet::weight(T::WeightInfo::force_remove_farm_ip(types::MAX_FARM_IPS)
			.saturating_add(T::Observer::ip_force_released_max_weight()))]
		pub fn force_remove_farm_ip(
			origin: OriginFor<T>,
			farm_id: FarmId,
			ip: Ipv4,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_force_remove_farm_ip(farm_id, ip)
		}

		// ---- nodes ----

		/// Register the caller as a node of `farm_id`, holding [`Config::NodeDeposit`] from the
		/// caller.
		///
		/// - Origin: signed, the node's own account, with a twin that is no node yet.
		/// - `farm_id`: a farm that admits the caller.
		/// - `spec`: capacity (at least 1 core, 2 GiB memory, and 100 GiB SSD or 1 TiB HDD; at
		///   most [`MaxNodeResources`]), location, up to 10 interfaces, serial number, boot
		///   flags.
		///
		/// Emits [`Event::NodeRegistered`]. Errors: [`Error::TwinNotFound`],
		/// [`Error::NodeExists`], [`Error::FarmNotFound`], [`Error::FarmDoesNotAdmitNode`], the
		/// input errors of the spec ([`Error::TooFewCores`] … [`Error::TooMuchHdd`],
		/// [`Error::InvalidCity`] …), [`Error::IdOverflow`]; a token error when the deposit
		/// cannot be held.
		#[pallet::call_index(30)]
		#[pallet::weight(T::WeightInfo::register_node()
			.saturating_add(T::Observer::node_changed_max_weight()))]
		pub fn register_node(
			origin: OriginFor<T>,
			farm_id: FarmId,
			spec: NodeSpec,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_node(&who, farm_id, spec).map(|_| ())
		}

		/// Replace the calling node's declared capacity, location, interfaces and flags. A
		/// certified node whose capacity moves more than 1 % away from the certified capacity
		/// becomes DIY.
		///
		/// - Origin: signed, a node's account.
		/// - `spec`: as in [`Pallet::register_node`]; its capacity must cover what contracts
		///   reserve on the node.
		///
		/// Emits [`Event::NodeUpdated`], and [`Event::NodeCertificationSet`] when the
		/// certificate lapses. Errors: [`Error::TwinNotFound`], [`Error::NodeNotFound`], the
		/// spec's input errors, [`Error::CapacityBelowReserved`].
		#[pallet::call_index(31)]
		#[pallet::weight(T::WeightInfo::update_node()
			.saturating_add(T::Usage::query_weight())
			.saturating_add(T::Observer::node_changed_max_weight()))]
		pub fn update_node(origin: OriginFor<T>, spec: NodeSpec) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_node(&who, spec)
		}

		/// Set or clear how a node is reached from the Internet (it becomes a gateway node).
		///
		/// - Origin: signed, the node's farmer.
		/// - `config`: a public IPv4 (and optionally IPv6) with gateway, and an optional domain;
		///   none of them used by another node, and the IPv4 in no farm's pool.
		///
		/// Emits [`Event::NodePublicConfigSet`]. Errors: [`Error::NodeNotFound`],
		/// [`Error::FarmNotFound`], [`Error::TwinNotFound`], [`Error::NotFarmOwner`], the IP and
		/// host-name input errors, [`Error::IpExists`], [`Error::DomainTaken`].
		#[pallet::call_index(32)]
		pub fn set_node_public_config(
			origin: OriginFor<T>,
			node_id: NodeId,
			config: Option<PublicConfig>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_node_public_config(Some(&who), node_id, config)
		}

		/// Remove a node and release its deposit and public addresses. When the node itself
		/// leaves, [`Config::Observer`] ends what ran on it; its farmer may only delete a node
		/// without active contracts. Charged for the observer's maximum; the unused part is
		/// refunded.
		///
		/// - Origin: signed, the node's account or its farmer.
		///
		/// Emits [`Event::NodeDeleted`]. Errors: [`Error::NodeNotFound`],
		/// [`Error::TwinNotFound`], [`Error::NotNodeOrFarmer`],
		/// [`Error::NodeHasActiveContracts`], [`Error::InconsistentCount`].
		#[pallet::call_index(33)]
		#[pallet::weight(T::WeightInfo::delete_node()
			.saturating_add(T::Usage::query_weight())
			.saturating_add(T::Observer::node_removed_max_weight()))]
		pub fn delete_node(origin: OriginFor<T>, node_id: NodeId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let observer_weight = Self::do_delete_node(&who, node_id)?;
			Ok(Some(
				T::WeightInfo::delete_node()
					.saturating_add(T::Usage::query_weight())
					.saturating_add(observer_weight),
			)
			.into())
		}

		/// Ask a node to power up or down.
		///
		/// - Origin: signed, the node's farmer (or a proxy, e.g. a farmer bot).
		/// - `target`: `Down` is refused while the node has active contracts.
		///
		/// Emits [`Event::PowerTargetChanged`]. Errors: [`Error::NodeNotFound`],
		/// [`Error::FarmNotFound`], [`Error::TwinNotFound`], [`Error::NotFarmOwner`],
		/// [`Error::NodeHasActiveContracts`].
		#[pallet::call_index(34)]
		#[pallet::weight(T::WeightInfo::set_power_target()
			.saturating_add(T::Usage::query_weight())
			.saturating_add(T::Observer::power_changed_max_weight()))]
		pub fn set_power_target(
			origin: OriginFor<T>,
			node_id: NodeId,
			target: Power,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_power_target(&who, node_id, target)
		}

		/// The calling node reports whether it is up or down. A report that changes the state
		/// is free up to [`Config::FreePowerChanges`] times per [`Config::PowerChangeWindow`]
		/// blocks; every other report pays its fee (so no node fills blocks for nothing).
		///
		/// - Origin: signed, a node's account.
		///
		/// Emits [`Event::PowerStateChanged`] when the state changes. Errors:
		/// [`Error::TwinNotFound`], [`Error::NodeNotFound`].
		#[pallet::call_index(35)]
		#[pallet::weight(T::WeightInfo::report_power_state()
			.saturating_add(T::Observer::power_changed_max_weight()))]
		pub fn report_power_state(
			origin: OriginFor<T>,
			state: Power,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let free = Self::do_report_power_state(&who, state)?;
			Ok(if free { Pays::No } else { Pays::Yes }.into())
		}

		/// Set a node's certification; a certified node is certified for its current capacity.
		///
		/// - Origin: [`Config::GovernanceOrigin`], or a signed node certifier.
		///
		/// Emits [`Event::NodeCertificationSet`]. Errors: [`Error::NotNodeCertifier`],
		/// [`Error::NodeNotFound`].
		#[pallet::call_index(36)]
		#[pallet::weight(T::WeightInfo::set_node_certification()
			.saturating_add(T::Observer::node_changed_max_weight()))]
		pub fn set_node_certification(
			origin: OriginFor<T>,
			node_id: NodeId,
			certification: NodeCertification,
		) -> DispatchResult {
			Self::ensure_certifier(origin)?;
			Self::do_set_node_certification(node_id, certification)
		}

		/// Clear a node's public config, e.g. one that squats another's address or domain.
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::NodePublicConfigSet`] with `None`. Errors: [`Error::NodeNotFound`].
		#[pallet::call_index(37)]
		pub fn force_clear_node_public_config(
			origin: OriginFor<T>,
			node_id: NodeId,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_node_public_config(None, node_id, None)
		}

		// ---- governance ----

		/// Allow `who` to certify nodes.
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::NodeCertifierAdded`]. Errors: [`Error::AlreadyCertifier`],
		/// [`Error::TooManyCertifiers`].
		#[pallet::call_index(40)]
		pub fn add_node_certifier(
			origin: OriginFor<T>,
			who: AccountIdLookupOf<T>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_add_node_certifier(T::Lookup::lookup(who)?)
		}

		/// Withdraw `who`'s right to certify nodes (certifications it made stay).
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::NodeCertifierRemoved`]. Errors: [`Error::NotNodeCertifier`].
		#[pallet::call_index(41)]
		pub fn remove_node_certifier(
			origin: OriginFor<T>,
			who: AccountIdLookupOf<T>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_remove_node_certifier(T::Lookup::lookup(who)?)
		}

		/// Set the TFT price (mUSD per TFT) copied into nodes that register from now on.
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		/// - `price`: above zero.
		///
		/// Emits [`Event::ConnectionPriceSet`]. Errors: [`Error::InvalidConnectionPrice`].
		#[pallet::call_index(42)]
		pub fn set_connection_price(origin: OriginFor<T>, price: MusdPerTft) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_connection_price(price)
		}

		/// Set the Zero-OS version nodes should run.
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		/// - `version`: printable ASCII without spaces, e.g. `v3.14.2`.
		///
		/// Emits [`Event::ZosVersionSet`]. Errors: [`Error::InvalidZosVersion`].
		#[pallet::call_index(43)]
		pub fn set_zos_version(origin: OriginFor<T>, version: ZosVersion) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_zos_version(version)
		}

		/// Set the most of each resource a node may declare. Registered nodes keep what they
		/// declared; their next update must fit.
		///
		/// - Origin: [`Config::GovernanceOrigin`].
		/// - `max`: must admit the smallest node ([`Resources::MINIMUM`] and
		///   [`Resources::MINIMUM_HDD_ONLY`]).
		///
		/// Emits [`Event::MaxNodeResourcesSet`]. Errors: [`Error::InvalidMaxResources`].
		#[pallet::call_index(44)]
		pub fn set_max_node_resources(origin: OriginFor<T>, max: Resources) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_max_node_resources(max)
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// The twin of an account.
		pub fn twin_of_account(who: T::AccountId) -> Option<TwinId> {
			TwinByAccount::<T>::get(who)
		}
		/// A twin by id.
		pub fn twin(twin_id: TwinId) -> Option<TwinOf<T>> {
			Twins::<T>::get(twin_id)
		}
		/// A farm by id.
		pub fn farm(farm_id: FarmId) -> Option<FarmOf<T>> {
			Farms::<T>::get(farm_id)
		}
		/// The farm of a name, whatever its case.
		pub fn farm_by_name(name: FarmName) -> Option<FarmId> {
			FarmByName::<T>::get(name_key(&name))
		}
		/// A farm's public IPv4 pool.
		pub fn farm_public_ips(farm_id: FarmId) -> IpPool {
			FarmPublicIps::<T>::get(farm_id)
		}
		/// A node by id.
		pub fn node(node_id: NodeId) -> Option<NodeOf<T>> {
			Nodes::<T>::get(node_id)
		}
		/// The node a twin runs as.
		pub fn node_of_twin(twin_id: TwinId) -> Option<NodeId> {
			NodeByTwin::<T>::get(twin_id)
		}
		/// Whether `who` may register a node in `farm_id` now.
		pub fn farm_admits(farm_id: FarmId, who: T::AccountId) -> bool {
			Self::admits(farm_id, &who)
		}
		/// The account a twin is offered to, if any.
		pub fn twin_transfer_offer(twin_id: TwinId) -> Option<T::AccountId> {
			TwinTransfers::<T>::get(twin_id)
		}
	}
}
