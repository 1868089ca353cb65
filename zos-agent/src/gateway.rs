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
