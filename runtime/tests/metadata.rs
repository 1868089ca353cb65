//! The subxt interface of `grid-client` is generated from `client/metadata/grid.scale`: it must be the
//! runtime's current metadata. `UPDATE_METADATA=1 cargo test -p grid-runtime --test metadata`
//! rewrites the file after a runtime change.

use grid_runtime::Runtime;
use std::path::PathBuf;

#[test]
fn committed_metadata_matches_the_runtime() {
	assert!(Runtime::metadata_versions().contains(&16), "metadata V16 is served");
	let current: Vec<u8> = Runtime::metadata_at_version(16).expect("V16 metadata").to_vec();
	let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../client/metadata/grid.scale");
	if std::env::var_os("UPDATE_METADATA").is_some() {
		std::fs::write(&path, &current).expect("write metadata");
	}
	let committed = std::fs::read(&path).expect("client/metadata/grid.scale exists");
	assert!(
		committed == current,
		"client/metadata/grid.scale is stale: run `UPDATE_METADATA=1 cargo test -p grid-runtime --test metadata`"
	);
}
