//! # Registry
//!
//! The grid's identity and hardware registry: who is who (twins), who farms what (farms and their
//! public IPv4 pools), which machines are on the grid (nodes), whether they are powered and
//! certified, and two governance knobs (connection price, Zero-OS version).
//!
//! ## Twins
//! An account creates one twin (ids are sequential from 1) with optional RMB relays and an
//! optional public key, and may record its acceptance of the terms and conditions (link and
//! hash; required before `create_twin` when [`Config::RequireTerms`] is set). A twin holds
//! [`Config::TwinDeposit`] and can be deleted once it owns no farm, no node and no contract.
//!
//! ## Farms
//! A twin creates farms with unique names (3..40 of `[A-Za-z0-9_-]`), holding
//! [`Config::FarmDeposit`]. The farmer renames it, chooses its payout account, manages a pool of
//! public IPv4s (each public unicast, with a gateway in its subnet, unique across the chain),
//! and decides which nodes may join: [`NodePolicy::Open`] or [`NodePolicy::AllowList`] (the
//! default) of admitted node accounts. Governance sets its certification and dedicated flag.
//! A farm without nodes and reserved IPs can be deleted.
//!
//! ## Nodes
//! A Zero-OS node signs with its own account, which has a twin, and registers into a farm that
//! admits it, holding [`Config::NodeDeposit`]. It declares its capacity (at least 1 core, 2 GiB
//! of memory, 100 GiB of SSD), location, interfaces, serial number and boot flags, and updates
//! them later; a certified node whose capacity moves by more than 1 % falls back to DIY. The
//! farmer sets its public config. The node or its farmer deletes it; every index is cleaned,
//! the deposit is released and [`Config::Observer`] settles what ran on it.
//!
//! ## Power and certification
//! The farmer (or a proxy, e.g. a farmer bot) sets a node's power target; `Down` is refused
//! while [`Config::Usage`] reports active contracts. The node reports its power state (free when
//! it changes). Governance keeps an allow-list of certifiers who set nodes DIY or Certified.
//!
//! Other pallets read the registry through [`grid_primitives::registry::GridRegistry`] and
//! [`grid_primitives::registry::PublicIpPool`]; clients use the view functions.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod api;
mod deposits;
mod farms;
mod governance;
mod invariants;
mod nodes;
mod twins;
pub mod types;
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
pub mod pallet {
	use super::*;
	use frame::{
		prelude::*,
		traits::{fungible, UnixTime},
	};
	use grid_primitives::{
		net::{Ipv4, Ipv4Cidr},
		registry::{
			FarmCertification, FarmId, NodeCertification, NodeId, NodeUsage, Power, PowerState,
			RegistryObserver, TwinId,
		},
		resources::Resources,
	};

	pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;
	pub type TwinOf<T> = Twin<<T as frame_system::Config>::AccountId, BalanceOf<T>>;
	pub type FarmOf<T> = Farm<<T as frame_system::Config>::AccountId, BalanceOf<T>>;
	pub type NodeOf<T> = Node<BalanceOf<T>, BlockNumberFor<T>>;
	pub(crate) type AccountIdLookupOf<T> =
		<<T as frame_system::Config>::Lookup as frame::traits::StaticLookup>::Source;

	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why the registry holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit of a twin.
		TwinDeposit,
		/// Deposit of a farm.
		FarmDeposit,
		/// Deposit of a node.
		NodeDeposit,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Holds the deposits.
		type Currency: fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::Mutate<Self::AccountId>;
		type RuntimeHoldReason: From<HoldReason>;
		/// Certifies farms, manages node certifiers and sets the global knobs.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Wall-clock time for registration and acceptance timestamps.
		type TimeProvider: UnixTime;
		/// Told when nodes are removed, change power, or lose a public IP.
		type Observer: RegistryObserver<BlockNumberFor<Self>>;
		/// Says whether a node or a twin still has contracts.
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
		/// Longest allow-list of a farm.
		#[pallet::constant]
		type MaxAdmittedPerFarm: Get<u32>;
		/// Most node certifiers.
		#[pallet::constant]
		type MaxCertifiers: Get<u32>;
		/// Whether an account must accept the terms and conditions before creating a twin.
		#[pallet::constant]
		type RequireTerms: Get<bool>;
		type WeightInfo: WeightInfo;
	}

	// ---- twins ----

	/// The last twin id issued (ids start at 1).
	#[pallet::storage]
	pub type LastTwinId<T> = StorageValue<_, TwinId, ValueQuery>;

	#[pallet::storage]
	pub type Twins<T: Config> = StorageMap<_, Twox64Concat, TwinId, TwinOf<T>>;

	#[pallet::storage]
	pub type TwinByAccount<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, TwinId>;

	/// The latest terms and conditions each account accepted.
	#[pallet::storage]
	pub type AcceptedTerms<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Terms>;

	// ---- farms ----

	/// The last farm id issued (ids start at 1).
	#[pallet::storage]
	pub type LastFarmId<T> = StorageValue<_, FarmId, ValueQuery>;

	#[pallet::storage]
	pub type Farms<T: Config> = StorageMap<_, Twox64Concat, FarmId, FarmOf<T>>;

	#[pallet::storage]
	pub type FarmByName<T> = StorageMap<_, Blake2_128Concat, FarmName, FarmId>;

	/// Each farm's public IPv4 pool.
	#[pallet::storage]
	pub type FarmPublicIps<T> = StorageMap<_, Twox64Concat, FarmId, FarmIps, ValueQuery>;

	/// Which farm holds a public IPv4: an address is in at most one pool on the chain.
	#[pallet::storage]
	pub type IpOwner<T> = StorageMap<_, Blake2_128Concat, Ipv4, FarmId>;

	/// Node accounts each farm admits (its allow-list).
	#[pallet::storage]
	pub type Admitted<T: Config> =
		StorageDoubleMap<_, Twox64Concat, FarmId, Blake2_128Concat, T::AccountId, ()>;

	// ---- nodes ----

	/// The last node id issued (ids start at 1).
	#[pallet::storage]
	pub type LastNodeId<T> = StorageValue<_, NodeId, ValueQuery>;

	#[pallet::storage]
	pub type Nodes<T: Config> = StorageMap<_, Twox64Concat, NodeId, NodeOf<T>>;

	/// The node a twin runs as (a twin is at most one node).
	#[pallet::storage]
	pub type NodeByTwin<T> = StorageMap<_, Twox64Concat, TwinId, NodeId>;

	/// The nodes of each farm.
	#[pallet::storage]
	pub type FarmNodes<T> = StorageDoubleMap<_, Twox64Concat, FarmId, Twox64Concat, NodeId, ()>;

	// ---- governance ----

	/// Accounts allowed to certify nodes.
	#[pallet::storage]
	pub type NodeCertifiers<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxCertifiers>, ValueQuery>;

	/// mUSD per TFT; copied into each node at registration (minting converts with it).
	#[pallet::storage]
	pub type ConnectionPrice<T> = StorageValue<_, u32, ValueQuery, DefaultConnectionPrice>;

	#[pallet::type_value]
	pub fn DefaultConnectionPrice() -> u32 {
		80
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
		pub node_certifiers: alloc::vec::Vec<T::AccountId>,
		/// Connection price in mUSD per TFT; 0 keeps the default (80).
		pub connection_price: u32,
		pub zos_version: alloc::string::String,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for who in &self.twins {
				Pallet::<T>::do_create_twin(who, Default::default(), None)
					.unwrap_or_else(|e| fail("twin", e));
			}
			for (owner, name, open) in &self.farms {
				let name = FarmName::try_from(name.as_bytes().to_vec())
					.unwrap_or_else(|_| fail("farm name too long", name));
				let id =
					Pallet::<T>::do_create_farm(owner, name).unwrap_or_else(|e| fail("farm", e));
				if *open {
					Pallet::<T>::do_set_node_policy(owner, id, NodePolicy::Open)
						.unwrap_or_else(|e| fail("farm policy", e));
				}
			}
			for (farm, ip, gateway) in &self.farm_ips {
				let owner = Pallet::<T>::farm_owner_account(*farm)
					.unwrap_or_else(|| fail("farm ip", Error::<T>::FarmNotFound));
				Pallet::<T>::do_add_farm_ip(&owner, *farm, *ip, *gateway)
					.unwrap_or_else(|e| fail("farm ip", e));
			}
			if self.connection_price > 0 {
				ConnectionPrice::<T>::put(self.connection_price);
			}
			for (who, farm, resources) in &self.nodes {
				Pallet::<T>::do_register_node(who, *farm, genesis_spec(*resources))
					.unwrap_or_else(|e| fail("node", e));
			}
			for who in &self.node_certifiers {
				Pallet::<T>::do_add_node_certifier(who.clone())
					.unwrap_or_else(|e| fail("certifier", e));
			}
			let version = ZosVersion::try_from(self.zos_version.as_bytes().to_vec())
				.unwrap_or_else(|_| fail("zos version too long", &self.zos_version));
			if !version.is_empty() {
				Pallet::<T>::do_set_zos_version(version).unwrap_or_else(|e| fail("zos version", e));
			}
		}
	}

	/// A bad preset must abort chain-spec building, so genesis failures panic (genesis only).
	fn fail<R>(what: &str, e: impl core::fmt::Debug) -> R {
		panic!("registry genesis: {what}: {e:?}")
	}

	/// A genesis node: the given capacity, unknown location, no interfaces.
	fn genesis_spec(resources: Resources) -> NodeSpec {
		NodeSpec {
			resources,
			location: Location {
				city: BoundedVec::truncate_from(b"Unknown".to_vec()),
				country: BoundedVec::truncate_from(b"Unknown".to_vec()),
				coordinates: None,
			},
			interfaces: Default::default(),
			serial_number: None,
			secure_boot: false,
			virtualized: false,
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` accepted the terms and conditions identified by `hash`.
		TermsAccepted {
			who: T::AccountId,
			hash: TermsHash,
		},
		TwinCreated {
			twin_id: TwinId,
			account: T::AccountId,
		},
		TwinUpdated {
			twin_id: TwinId,
		},
		TwinDeleted {
			twin_id: TwinId,
		},
		FarmCreated {
			farm_id: FarmId,
			twin_id: TwinId,
			name: FarmName,
		},
		FarmRenamed {
			farm_id: FarmId,
			name: FarmName,
		},
		FarmPayoutSet {
			farm_id: FarmId,
			payout: T::AccountId,
		},
		FarmNodePolicySet {
			farm_id: FarmId,
			policy: NodePolicy,
		},
		/// `who` may register a node in `farm_id`.
		NodeAdmitted {
			farm_id: FarmId,
			who: T::AccountId,
		},
		NodeAdmissionRevoked {
			farm_id: FarmId,
			who: T::AccountId,
		},
		FarmIpAdded {
			farm_id: FarmId,
			ip: Ipv4Cidr,
			gateway: Ipv4,
		},
		FarmIpRemoved {
			farm_id: FarmId,
			ip: Ipv4,
		},
		/// Governance freed an IP that `contract_id` held.
		FarmIpForceReleased {
			farm_id: FarmId,
			ip: Ipv4,
			contract_id: u64,
		},
		PublicIpsReserved {
			farm_id: FarmId,
			contract_id: u64,
			count: u32,
		},
		PublicIpsReleased {
			farm_id: FarmId,
			contract_id: u64,
			count: u32,
		},
		FarmCertificationSet {
			farm_id: FarmId,
			certification: FarmCertification,
		},
		FarmDedicatedSet {
			farm_id: FarmId,
			dedicated: bool,
		},
		FarmDeleted {
			farm_id: FarmId,
		},
		NodeRegistered {
			node_id: NodeId,
			farm_id: FarmId,
			twin_id: TwinId,
			resources: Resources,
		},
		NodeUpdated {
			node_id: NodeId,
			resources: Resources,
		},
		NodePublicConfigSet {
			node_id: NodeId,
			config: Option<PublicConfig>,
		},
		NodeDeleted {
			node_id: NodeId,
			farm_id: FarmId,
		},
		/// The farmer wants `node_id` up or down; the node follows.
		PowerTargetChanged {
			farm_id: FarmId,
			node_id: NodeId,
			target: Power,
		},
		/// `node_id` reports it is up, or down since a block.
		PowerStateChanged {
			farm_id: FarmId,
			node_id: NodeId,
			state: PowerState<BlockNumberFor<T>>,
		},
		NodeCertificationSet {
			node_id: NodeId,
			certification: NodeCertification,
		},
		NodeCertifierAdded {
			who: T::AccountId,
		},
		NodeCertifierRemoved {
			who: T::AccountId,
		},
		ConnectionPriceSet {
			price: u32,
		},
		ZosVersionSet {
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
		/// A node needs at least 100 GiB of SSD.
		TooLittleSsd,
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
		// -- farms --
		FarmNotFound,
		/// Another farm has this name.
		FarmNameTaken,
		/// The caller's twin does not own the farm.
		NotFarmOwner,
		/// The farm still has nodes.
		FarmHasNodes,
		/// The farm has IPs reserved by contracts.
		FarmIpsInUse,
		/// The allow-list is full (`MaxAdmittedPerFarm`).
		TooManyAdmitted,
		/// The account is already on the allow-list.
		AlreadyAdmitted,
		/// The account is not on the allow-list.
		NotAdmitted,
		/// The farm's IP pool is full.
		TooManyIps,
		/// This IP is already in a farm's pool.
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
		NodeNotFound,
		/// The farm does not admit this node (allow-list policy).
		FarmDoesNotAdmitNode,
		/// The caller is neither the node nor its farmer.
		NotNodeOrFarmer,
		/// The node has active contracts and cannot power down.
		NodeHasActiveContracts,
		/// The caller is neither governance nor a node certifier.
		NotNodeCertifier,
		// -- governance --
		AlreadyCertifier,
		/// The certifier list is full (`MaxCertifiers`).
		TooManyCertifiers,
		// -- arithmetic --
		/// An id counter would overflow.
		IdOverflow,
	}

	impl<T> From<InputError> for Error<T> {
		fn from(e: InputError) -> Self {
			use grid_primitives::{net::IpError, resources::ResourcesError};
			match e {
				InputError::FarmName => Error::InvalidFarmName,
				InputError::HostName => Error::InvalidHostName,
				InputError::DuplicateRelay => Error::DuplicateRelay,
				InputError::PublicKey => Error::InvalidPublicKey,
				InputError::TermsLink => Error::InvalidTermsLink,
				InputError::TermsHash => Error::InvalidTermsHash,
				InputError::ZosVersion => Error::InvalidZosVersion,
				InputError::SerialNumber => Error::InvalidSerialNumber,
				InputError::City => Error::InvalidCity,
				InputError::Country => Error::InvalidCountry,
				InputError::Coordinates => Error::InvalidCoordinates,
				InputError::InterfaceName => Error::InvalidInterfaceName,
				InputError::Mac => Error::InvalidMac,
				InputError::Ip(IpError::BadPrefix) => Error::InvalidIpPrefix,
				InputError::Ip(IpError::NotPublic) => Error::IpNotPublic,
				InputError::Ip(IpError::NotAHost) => Error::IpNotAHost,
				InputError::Ip(IpError::BadGateway) => Error::InvalidGateway,
				InputError::Resources(ResourcesError::TooFewCores) => Error::TooFewCores,
				InputError::Resources(ResourcesError::TooLittleMemory) => Error::TooLittleMemory,
				InputError::Resources(ResourcesError::TooLittleSsd) => Error::TooLittleSsd,
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
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

		/// Record that the caller accepts the terms and conditions at `link` with `hash`.
		#[pallet::call_index(0)]
		pub fn accept_terms(
			origin: OriginFor<T>,
			link: TermsLink,
			hash: TermsHash,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept_terms(who, link, hash)
		}

		/// Create the caller's twin, holding the twin deposit.
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
		#[pallet::call_index(2)]
		pub fn update_twin(
			origin: OriginFor<T>,
			relays: Relays,
			pk: Option<PublicKey>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_twin(&who, relays, pk)
		}

		/// Delete the caller's twin and release its deposit. It must own no farm, not be a node
		/// and have no contracts.
		#[pallet::call_index(3)]
		pub fn delete_twin(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_delete_twin(&who)
		}

		// ---- farms ----

		/// Create a farm owned by the caller's twin, holding the farm deposit. Its payout
		/// account is the caller and its node policy the allow-list until changed.
		#[pallet::call_index(10)]
		pub fn create_farm(origin: OriginFor<T>, name: FarmName) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_farm(&who, name).map(|_| ())
		}

		#[pallet::call_index(11)]
		pub fn rename_farm(
			origin: OriginFor<T>,
			farm_id: FarmId,
			name: FarmName,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_rename_farm(&who, farm_id, name)
		}

		/// Where the farm's rewards and billing share are paid.
		#[pallet::call_index(12)]
		pub fn set_farm_payout(
			origin: OriginFor<T>,
			farm_id: FarmId,
			payout: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_farm_payout(&who, farm_id, T::Lookup::lookup(payout)?)
		}

		/// Let any node join (`Open`) or only admitted ones (`AllowList`).
		#[pallet::call_index(13)]
		pub fn set_node_policy(
			origin: OriginFor<T>,
			farm_id: FarmId,
			policy: NodePolicy,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_node_policy(&who, farm_id, policy)
		}

		/// Put a node account (given directly or by its twin) on the farm's allow-list.
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

		/// Remove an unreserved IP from the farm's pool.
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::remove_farm_ip(types::MAX_FARM_IPS))]
		pub fn remove_farm_ip(origin: OriginFor<T>, farm_id: FarmId, ip: Ipv4) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_farm_ip(&who, farm_id, ip)
		}

		/// Delete a farm without nodes and reserved IPs; releases its IPs, allow-list and deposit.
		/// Charged for the largest allow-list; the unused part is refunded.
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

		#[pallet::call_index(19)]
		pub fn set_farm_certification(
			origin: OriginFor<T>,
			farm_id: FarmId,
			certification: FarmCertification,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_farm_certification(farm_id, certification)
		}

		#[pallet::call_index(20)]
		pub fn set_farm_dedicated(
			origin: OriginFor<T>,
			farm_id: FarmId,
			dedicated: bool,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_farm_dedicated(farm_id, dedicated)
		}

		/// Free a reserved IP; the contract holding it is told through the observer.
		#[pallet::call_index(21)]
		#[pallet::weight(T::WeightInfo::force_release_farm_ip(types::MAX_FARM_IPS))]
		pub fn force_release_farm_ip(
			origin: OriginFor<T>,
			farm_id: FarmId,
			ip: Ipv4,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_force_release_farm_ip(farm_id, ip)
		}

		// ---- nodes ----

		/// Register the caller (a node's account with a twin) as a node of `farm_id`, holding
		/// the node deposit. The farm must admit it.
		#[pallet::call_index(30)]
		pub fn register_node(
			origin: OriginFor<T>,
			farm_id: FarmId,
			spec: NodeSpec,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_node(&who, farm_id, spec).map(|_| ())
		}

		/// Replace the caller node's declared capacity, location, interfaces and flags.
		#[pallet::call_index(31)]
		pub fn update_node(origin: OriginFor<T>, spec: NodeSpec) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_node(&who, spec)
		}

		/// The farmer sets (or clears) how a node is reached from the Internet.
		#[pallet::call_index(32)]
		pub fn set_node_public_config(
			origin: OriginFor<T>,
			node_id: NodeId,
			config: Option<PublicConfig>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_node_public_config(&who, node_id, config)
		}

		/// The node or its farmer removes the node; what ran on it is settled.
		#[pallet::call_index(33)]
		#[pallet::weight(T::WeightInfo::delete_node().saturating_add(T::Observer::node_removed_max_weight()))]
		pub fn delete_node(origin: OriginFor<T>, node_id: NodeId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let observer_weight = Self::do_delete_node(&who, node_id)?;
			Ok(Some(T::WeightInfo::delete_node().saturating_add(observer_weight)).into())
		}

		/// The farmer (or its proxy) asks a node to power up or down.
		#[pallet::call_index(34)]
		pub fn set_power_target(
			origin: OriginFor<T>,
			node_id: NodeId,
			target: Power,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_power_target(&who, node_id, target)
		}

		/// The calling node reports whether it is up or down. Free when the state changes.
		#[pallet::call_index(35)]
		pub fn report_power_state(
			origin: OriginFor<T>,
			state: Power,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let changed = Self::do_report_power_state(&who, state)?;
			Ok(if changed { Pays::No } else { Pays::Yes }.into())
		}

		/// Governance or a node certifier sets a node's certification.
		#[pallet::call_index(36)]
		pub fn set_node_certification(
			origin: OriginFor<T>,
			node_id: NodeId,
			certification: NodeCertification,
		) -> DispatchResult {
			Self::ensure_certifier(origin)?;
			Self::do_set_node_certification(node_id, certification)
		}

		// ---- governance ----

		#[pallet::call_index(40)]
		pub fn add_node_certifier(
			origin: OriginFor<T>,
			who: AccountIdLookupOf<T>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_add_node_certifier(T::Lookup::lookup(who)?)
		}

		#[pallet::call_index(41)]
		pub fn remove_node_certifier(
			origin: OriginFor<T>,
			who: AccountIdLookupOf<T>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_remove_node_certifier(T::Lookup::lookup(who)?)
		}

		/// mUSD per TFT copied into nodes that register from now on.
		#[pallet::call_index(42)]
		pub fn set_connection_price(origin: OriginFor<T>, price: u32) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_connection_price(price)
		}

		#[pallet::call_index(43)]
		pub fn set_zos_version(origin: OriginFor<T>, version: ZosVersion) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_zos_version(version)
		}
	}

	#[pallet::view_functions]
	impl<T: Config> Pallet<T> {
		/// The twin of an account.
		pub fn twin_of_account(who: T::AccountId) -> Option<TwinId> {
			TwinByAccount::<T>::get(who)
		}
		pub fn twin(twin_id: TwinId) -> Option<TwinOf<T>> {
			Twins::<T>::get(twin_id)
		}
		pub fn farm(farm_id: FarmId) -> Option<FarmOf<T>> {
			Farms::<T>::get(farm_id)
		}
		pub fn farm_by_name(name: FarmName) -> Option<FarmId> {
			FarmByName::<T>::get(name)
		}
		pub fn farm_public_ips(farm_id: FarmId) -> FarmIps {
			FarmPublicIps::<T>::get(farm_id)
		}
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
	}
}
