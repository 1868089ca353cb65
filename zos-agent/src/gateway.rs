//! The gateway proxy: HTTP for `<name>.<gateway domain>`, sent to the backend of the
//! `gateway-name-proxy` workload that holds the name.
//!
//! - The host comes from the `Host` header (or an absolute request URI), its port stripped and
//!   lowercased. A host no active deployment serves: 404 `no gateway for <host>`.
//! - A paused deployment: 503 `paused: the contract is in grace`.
//! - Otherwise the method, path and query, headers (but hop-by-hop ones) and body (at most
//!   [`MAX_REQUEST_BODY`]) go to the first backend; its status, headers and body (at most
//!   [`MAX_RESPONSE_BODY`]) come back. A backend that refuses, fails or takes longer than
//!   [`BACKEND_TIMEOUT`]: 502.
//! - Traffic: the request's and the response's bodies plus their header bytes (each header's
//!   name and value plus 4 bytes for `: ` and CRLF, and [`LINE_ESTIMATE`] for the request or
//!   status line and the blank line) are added to the deployment's counter, for each request
//!   the backend answered.

use crate::{deployments::Deployments, machine::unix_now};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::{
	body::Body,
	header::{self, HeaderMap, HeaderName, HeaderValue},
	server::conn::http1,
	service::service_fn,
	Request, Response, StatusCode,
};
use hyper_util::{
	client::legacy::{connect::HttpConnector, Client},
	rt::{TokioExecutor, TokioIo},
};
use std::{
	net::SocketAddr,
	sync::{Arc, Mutex},
	time::Duration,
};
use zos_api::deployment::backend_authority;

/// Largest request body passed on, bytes.
pub const MAX_REQUEST_BODY: usize = 1 << 20;
/// Largest response body passed back, bytes.
pub const MAX_RESPONSE_BODY: usize = 8 << 20;
/// How long a backend may take to answer.
pub const BACKEND_TIMEOUT: Duration = Duration::from_secs(30);
/// Bytes counted for a request or status line and the blank line after the headers.
pub const LINE_ESTIMATE: u64 = 64;

/// Headers that belong to one connection, never passed on.
const HOP_BY_HOP: [&str; 8] = [
	"connection",
	"keep-alive",
	"proxy-authenticate",
	"proxy-authorization",
	"te",
	"trailer",
	"transfer-encoding",
	"upgrade",
];

/// The proxy, over the agent's deployments.
pub struct Gateway {
	store: Arc<Mutex<Deployments>>,
	client: Client<HttpConnector, Full<Bytes>>,
}

fn text(status: StatusCode, body: impl Into<String>) -> Response<Full<Bytes>> {
	let mut reply = Response::new(Full::new(Bytes::from(body.into())));
	*reply.status_mut() = status;
	reply
		.headers_mut()
		.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
	reply
}

/// `from`'s end-to-end headers (not hop-by-hop, nor named in `Connection`), into `to`.
fn copy_headers(from: &HeaderMap, to: &mut HeaderMap) {
	let named: Vec<String> = from
		.get_all(header::CONNECTION)
		.iter()
		.filter_map(|v| v.to_str().ok())
		.flat_map(|v| v.split(','))
		.map(|n| n.trim().to_ascii_lowercase())
		.collect();
	for (name, value) in from {
		let lower = name.as_str();
		if HOP_BY_HOP.contains(&lower) || named.iter().any(|n| n == lower) {
			continue;
		}
		to.append(name.clone(), value.clone());
	}
}

fn header_bytes(headers: &HeaderMap) -> u64 {
	let bytes = headers.iter().map(|(n, v)| n.as_str().len() + v.len() + 4).sum::<usize>();
	(bytes as u64).saturating_add(LINE_ESTIMATE)
}

impl Gateway {
	/// A gateway for the routes of `store`.
	pub fn new(store: Arc<Mutex<Deployments>>) -> Self {
		Self { store, client: Client::builder(TokioExecutor::new()).build_http() }
	}

	/// Serves `listener` until the process ends.
	pub async fn serve(self: Arc<Self>, listener: tokio::net::TcpListener) {
		loop {
			let (stream, peer) = match listener.accept().await {
				Ok(accepted) => accepted,
				Err(e) => {
					eprintln!("gateway: accept failed: {e}");
					tokio::time::sleep(Duration::from_millis(100)).await;
					continue;
				},
			};
			let gateway = self.clone();
			tokio::spawn(async move {
				let service = service_fn(move |request| {
					let gateway = gateway.clone();
					async move {
						Ok::<_, std::convert::Infallible>(gateway.handle(request, Some(peer)).await)
					}
				});
				// A client that hangs up mid-request is no concern of ours.
				let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
			});
		}
	}

	/// Answers one request (from `peer`, when known).
	pub async fn handle<B>(
		&self,
		request: Request<B>,
		peer: Option<SocketAddr>,
	) -> Response<Full<Bytes>>
	where
		B: Body<Data = Bytes>,
		B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
	{
		let host = request
			.headers()
			.get(header::HOST)
			.and_then(|v| v.to_str().ok())
			.map(str::to_string)
			.or_else(|| request.uri().authority().map(|a| a.to_string()))
			.unwrap_or_default();
		let route = self.store.lock().unwrap_or_else(|e| e.into_inner()).route(&host);
		let Some(route) = route else {
			let shown: String = host.chars().take(255).collect();
			return text(StatusCode::NOT_FOUND, format!("no gateway for {shown}"));
		};
		if route.paused {
			return text(StatusCode::SERVICE_UNAVAILABLE, "paused: the contract is in grace");
		}
		let Some(authority) = backend_authority(&route.backend) else {
			return text(StatusCode::BAD_GATEWAY, "the backend is not http://host:port");
		};
		let base = route
			.backend
			.strip_prefix("http://")
			.and_then(|rest| rest.strip_prefix(authority))
			.unwrap_or_default()
			.trim_end_matches('/');
		let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
		let uri = format!("http://{authority}{base}{path}");

		let (parts, body) = request.into_parts();
		let body = match Limited::new(body, MAX_REQUEST_BODY).collect().await {
			Ok(body) => body.to_bytes(),
			Err(_) => {
				return text(
					StatusCode::PAYLOAD_TOO_LARGE,
					format!("the request body is over {MAX_REQUEST_BODY} bytes"),
				)
			},
		};
		let request_bytes = header_bytes(&parts.headers).saturating_add(body.len() as u64);
		let mut forward =
			match Request::builder().method(parts.method).uri(&uri).body(Full::new(body)) {
				Ok(forward) => forward,
				Err(e) => {
					return text(StatusCode::BAD_REQUEST, format!("cannot forward to {uri}: {e}"))
				},
			};
		copy_headers(&parts.headers, forward.headers_mut());
		if let Some(peer) = peer {
			if let Ok(value) = HeaderValue::from_str(&peer.ip().to_string()) {
				forward.headers_mut().append(HeaderName::from_static("x-forwarded-for"), value);
			}
		}

		let answer = tokio::time::timeout(BACKEND_TIMEOUT, self.client.request(forward)).await;
		let response = match answer {
			Ok(Ok(response)) => response,
			Ok(Err(e)) => {
				return text(
					StatusCode::BAD_GATEWAY,
					format!("the backend {authority} failed: {e}"),
				)
			},
			Err(_) => {
				return text(
					StatusCode::BAD_GATEWAY,
					format!("the backend {authority} did not answer within {BACKEND_TIMEOUT:?}"),
				)
			},
		};
		let (parts, body) = response.into_parts();
		let body = match Limited::new(body, MAX_RESPONSE_BODY).collect().await {
			Ok(body) => body.to_bytes(),
			Err(e) => {
				return text(
					StatusCode::BAD_GATEWAY,
					format!("the backend {authority}'s answer failed or is over {MAX_RESPONSE_BODY} bytes: {e}"),
				)
			},
		};
		let response_bytes = header_bytes(&parts.headers).saturating_add(body.len() as u64);
		self.store.lock().unwrap_or_else(|e| e.into_inner()).add_traffic(
			route.contract_id,
			request_bytes.saturating_add(response_bytes),
			unix_now(),
		);
		let mut reply = Response::new(Full::new(body));
		*reply.status_mut() = parts.status;
		copy_headers(&parts.headers, reply.headers_mut());
		reply
	}
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]
	use super::*;
	use crate::deployments::{
		tests::{config, gateway, temp_dir},
		Deployments,
	};
	use zos_api::{Deployment, StateChange};

	/// A backend that answers `<method> <path?query> host=<host> body=<body>`, with a header of
	/// its own and a hop-by-hop one.
	async fn backend() -> SocketAddr {
		let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
		let addr = listener.local_addr().unwrap();
		tokio::spawn(async move {
			loop {
				let Ok((stream, _)) = listener.accept().await else { return };
				tokio::spawn(async move {
					let service =
						service_fn(|request: Request<hyper::body::Incoming>| async move {
							let line = format!(
								"{} {} host={} forwarded={} secret={} ",
								request.method(),
								request.uri(),
								request.headers().get(header::HOST).unwrap().to_str().unwrap(),
								request.headers().contains_key("x-forwarded-for"),
								request.headers().contains_key("x-secret"),
							);
							let body = request.into_body().collect().await.unwrap().to_bytes();
							let mut reply = Response::new(Full::new(Bytes::from(format!(
								"{line}body={}",
								String::from_utf8_lossy(&body)
							))));
							*reply.status_mut() = StatusCode::CREATED;
							reply
								.headers_mut()
								.insert("x-backend", HeaderValue::from_static("yes"));
							reply.headers_mut().insert("keep-alive", HeaderValue::from_static("5"));
							Ok::<_, std::convert::Infallible>(reply)
						});
					let _ =
						http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
				});
			}
		});
		addr
	}

	fn get(host: &str, path: &str, body: &str) -> Request<Full<Bytes>> {
		Request::post(path)
			.header(header::HOST, host)
			.header("connection", "x-secret")
			.header("x-secret", "hop")
			.body(Full::new(Bytes::from(body.to_string())))
			.unwrap()
	}

	async fn read(response: Response<Full<Bytes>>) -> (StatusCode, String) {
		let status = response.status();
		let body = response.into_body().collect().await.unwrap().to_bytes();
		(status, String::from_utf8_lossy(&body).into_owned())
	}

	#[tokio::test]
	async fn requests_reach_the_backend_of_their_name() {
		let backend = backend().await;
		let dir = temp_dir("gateway");
		let mut store = Deployments::open(config(&dir, Some("gw.example")), 1).unwrap();
		let url = format!("http://{backend}/app/");
		store
			.deploy(Deployment::new(1, 3, vec![gateway("web", "shop", &url)]), 1)
			.unwrap();
		let store = Arc::new(Mutex::new(store));
		let proxy = Gateway::new(store.clone());
		let peer: SocketAddr = "192.0.2.1:4000".parse().unwrap();

		let response =
			proxy.handle(get("Shop.GW.example:8080", "/x?y=1", "hello"), Some(peer)).await;
		assert_eq!(response.headers().get("x-backend").unwrap(), "yes");
		assert!(response.headers().get("keep-alive").is_none(), "hop-by-hop headers stay");
		let (status, body) = read(response).await;
		assert_eq!(status, StatusCode::CREATED);
		assert_eq!(
			body,
			"POST /app/x?y=1 host=Shop.GW.example:8080 forwarded=true secret=false body=hello"
		);
		let traffic = store.lock().unwrap().get(3).unwrap().traffic_bytes;
		assert!(traffic > (body.len() + 5) as u64, "counted {traffic}");

		let (status, body) = read(proxy.handle(get("nope.gw.example", "/", ""), None).await).await;
		assert_eq!(
			(status, body.as_str()),
			(StatusCode::NOT_FOUND, "no gateway for nope.gw.example")
		);

		let change = StateChange { contract_id: 3, reason: "grace".into() };
		store.lock().unwrap().pause(&change, 2).unwrap();
		let (status, body) = read(proxy.handle(get("shop.gw.example", "/", ""), None).await).await;
		assert_eq!(
			(status, body.as_str()),
			(StatusCode::SERVICE_UNAVAILABLE, "paused: the contract is in grace")
		);
		assert_eq!(
			store.lock().unwrap().get(3).unwrap().traffic_bytes,
			traffic,
			"no traffic while paused"
		);

		store.lock().unwrap().resume(&change, 3).unwrap();
		let (status, _) = read(proxy.handle(get("shop.gw.example", "/", ""), None).await).await;
		assert_eq!(status, StatusCode::CREATED);
		assert!(store.lock().unwrap().get(3).unwrap().traffic_bytes > traffic, "the counter grows");

		store.lock().unwrap().decommission(&change, 4).unwrap();
		let (status, _) = read(proxy.handle(get("shop.gw.example", "/", ""), None).await).await;
		assert_eq!(status, StatusCode::NOT_FOUND);
		std::fs::remove_dir_all(dir).unwrap();
	}

	#[tokio::test]
	async fn a_backend_that_is_down_is_a_bad_gateway() {
		let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
		let url = format!("http://{}", closed.local_addr().unwrap());
		drop(closed);
		let dir = temp_dir("gateway-down");
		let mut store = Deployments::open(config(&dir, Some("gw.example")), 1).unwrap();
		store
			.deploy(Deployment::new(1, 4, vec![gateway("web", "down", &url)]), 1)
			.unwrap();
		let proxy = Gateway::new(Arc::new(Mutex::new(store)));
		let (status, body) = read(proxy.handle(get("down.gw.example", "/", ""), None).await).await;
		assert_eq!(status, StatusCode::BAD_GATEWAY, "{body}");
		let big = "x".repeat(MAX_REQUEST_BODY + 1);
		let (status, _) = read(proxy.handle(get("down.gw.example", "/", &big), None).await).await;
		assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
		std::fs::remove_dir_all(dir).unwrap();
	}
}
