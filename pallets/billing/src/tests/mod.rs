//! Unit tests.
mod helpers;
