//! Helpers shared by the feature files: ids, time, the caller's records, and how the domain
//! types' errors become the pallet's named errors.

use crate::{pallet::*, types::*, Config};
use frame::{arithmetic::Zero, prelude::*, traits::UnixTime};
use grid_primitives::{
	net::IpError,
	registry::{FarmId, NodeId, TwinId},
	resources::ResourcesError,
};

impl<T: Config> Pallet<T> {
	/// Unix seconds now; 0 at genesis, where the chain has no time yet.
	pub(crate) fn now_secs() -> u64 {
		if frame_system::Pallet::<T>::block_number().is_zero() {
			return 0;
		}
		T::TimeProvider::now().as_secs()
	}

	/// The id after the last one issued by counter `S` (the caller stores it once used).
	pub(crate) fn issue_id<S>() -> Result<u32, DispatchError>
	where
		S: frame::deps::frame_support::storage::StorageValue<u32, Query = u32>,
	{
		S::get().checked_add(1).ok_or_else(|| Error::<T>::IdOverflow.into())
	}

	/// The caller's twin.
	pub(crate) fn twin_of_caller(who: &T::AccountId) -> Result<(TwinId, TwinOf<T>), DispatchError> {
		let twin_id = TwinByAccount::<T>::get(who).ok_or(Error::<T>::TwinNotFound)?;
		let twin = Twins::<T>::get(twin_id).ok_or(Error::<T>::TwinNotFound)?;
		Ok((twin_id, twin))
	}

	/// The farm, if the caller's twin owns it.
	pub(crate) fn farm_of_owner(
		who: &T::AccountId,
		farm_id: FarmId,
	) -> Result<FarmOf<T>, DispatchError> {
		let farm = Farms::<T>::get(farm_id).ok_or(Error::<T>::FarmNotFound)?;
		let twin_id = TwinByAccount::<T>::get(who).ok_or(Error::<T>::TwinNotFound)?;
		ensure!(farm.twin_id == twin_id, Error::<T>::NotFarmOwner);
		Ok(farm)
	}

	/// The node the caller's twin runs as.
	pub(crate) fn node_of_caller(who: &T::AccountId) -> Result<(NodeId, NodeOf<T>), DispatchError> {
		let twin_id = TwinByAccount::<T>::get(who).ok_or(Error::<T>::TwinNotFound)?;
		let node_id = NodeByTwin::<T>::get(twin_id).ok_or(Error::<T>::NodeNotFound)?;
		let node = Nodes::<T>::get(node_id).ok_or(Error::<T>::NodeNotFound)?;
		Ok((node_id, node))
	}

	/// The account of a twin.
	pub(crate) fn account_of(twin_id: TwinId) -> Result<T::AccountId, DispatchError> {
		Twins::<T>::get(twin_id)
			.map(|t| t.account)
			.ok_or_else(|| Error::<T>::TwinNotFound.into())
	}
}

impl<T> From<InputError> for Error<T> {
	fn from(e: InputError) -> Self {
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
			InputError::Ip(e) => e.into(),
			InputError::Resources(e) => e.into(),
		}
	}
}

impl<T> From<IpError> for Error<T> {
	fn from(e: IpError) -> Self {
		match e {
			IpError::BadPrefix => Error::InvalidIpPrefix,
			IpError::NotPublic => Error::IpNotPublic,
			IpError::NotAHost => Error::IpNotAHost,
			IpError::BadGateway => Error::InvalidGateway,
		}
	}
}

impl<T> From<ResourcesError> for Error<T> {
	fn from(e: ResourcesError) -> Self {
		match e {
			ResourcesError::TooFewCores => Error::TooFewCores,
			ResourcesError::TooLittleMemory => Error::TooLittleMemory,
			ResourcesError::TooLittleStorage => Error::TooLittleStorage,
			ResourcesError::TooManyCores => Error::TooManyCores,
			ResourcesError::TooMuchMemory => Error::TooMuchMemory,
			ResourcesError::TooMuchSsd => Error::TooMuchSsd,
			ResourcesError::TooMuchHdd => Error::TooMuchHdd,
		}
	}
}

impl<T> From<CountError> for Error<T> {
	fn from(_: CountError) -> Self {
		Error::InconsistentCount
	}
}

impl<T> From<PoolError> for Error<T> {
	fn from(e: PoolError) -> Self {
		match e {
			PoolError::Full => Error::TooManyIps,
			PoolError::NotFound => Error::IpNotFound,
			PoolError::Reserved => Error::IpReserved,
			PoolError::NotReserved => Error::IpNotReserved,
			PoolError::NotEnoughFree => Error::NotEnoughFreeIps,
		}
	}
}

impl<T> Error<T> {
	/// The error of a bounded count that cannot grow: `reached` at its maximum.
	pub(crate) fn of_limit(limit: CountLimit, reached: Self) -> Self {
		match limit {
			CountLimit::Reached => reached,
			CountLimit::Count(e) => e.into(),
		}
	}
}
