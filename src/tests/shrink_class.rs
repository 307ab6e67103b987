//! A failing property's minimal case stays in the fault class it was generated in. The target
//! is the embedded reference behind a proxy that breaks two routing faults differently: a
//! request without `X-Amz-Target` answers 500, one whose target has another service's prefix
//! (`AWSCognitoIdentityService.DeleteUser`) answers 200. Both fail the unroutable property, so a
//! shrinker free to change the fault would turn the prefix failure into the simpler "missing
//! target" one and hide the prefix defect; the minimal case must keep the class of the first
//! failure, whichever it is, and the prefix failure must be reachable.

use super::runtime;
use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::response::Response;

use crate::check::Verdict;
use crate::property::{self, Settings};
use crate::reference::Reference;
use crate::run::TargetSpec;
use crate::session::Session;

const CT: &str = "application/x-amz-json-1.1";

struct Upstream {
    client: reqwest::Client,
    url: String,
}

/// The defective front end: the two broken routings, everything else forwarded unchanged
/// (the Host header too, so SigV4 signatures still verify).
async fn front(State(up): State<Arc<Upstream>>, req: Request) -> Response {
    let target = req
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let answer = |status: u16, body: &str| {
        Response::builder()
            .status(status)
            .header("content-type", CT)
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    match target.as_deref() {
        None if req.method() == "POST" => return answer(500, "{}"),
        Some(t) if t.starts_with("AWSCognitoIdentityService.") => return answer(200, "{}"),
        _ => {}
    }
    let (parts, body) = req.into_parts();
    let body = to_bytes(body, 1 << 20).await.unwrap();
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut forward = up
        .client
        .request(parts.method.clone(), format!("{}{path}", up.url))
        .body(body);
    for (name, value) in &parts.headers {
        forward = forward.header(name, value);
    }
    let got = forward.send().await.unwrap();
    let mut out = Response::builder().status(got.status().as_u16());
    for (name, value) in got.headers() {
        out = out.header(name, value);
    }
    out.body(Body::from(got.bytes().await.unwrap())).unwrap()
}

#[test]
fn a_minimal_case_stays_in_the_class_it_was_generated_in() {
    let rt = runtime();
    let reference = rt
        .block_on(Reference::start("127.0.0.1:0".parse().unwrap()))
        .unwrap();
    let up = Arc::new(Upstream {
        client: reqwest::Client::new(),
        url: reference.url().trim_end_matches('/').to_string(),
    });
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().fallback(front).with_state(up);
    rt.spawn(async move { axum::serve(listener, app).await });
    let session = rt
        .block_on(Session::connect(TargetSpec::endpoint(&format!(
            "http://{addr}"
        ))))
        .unwrap();
    let prop = property::catalogue()
        .into_iter()
        .find(|p| p.id == "generated/delete-user/unroutable-request")
        .unwrap();
    let mut classes = std::collections::BTreeSet::new();
    for seed in 1..=6 {
        // 16 cases of this single-fault property (it runs a quarter of `cases`).
        let settings = Settings {
            cases: 64,
            seed,
            ..Settings::default()
        };
        let o = rt.block_on(session.run_property(&prop, &settings));
        assert_eq!(o.verdict, Verdict::Fail, "seed {seed}: {o:?}");
        let reason = o.reason.clone().unwrap_or_default();
        let minimal = o
            .generated
            .as_ref()
            .and_then(|g| g.minimal_case.clone())
            .unwrap_or_default();
        // The class of the first failure, as the report names it, and the minimal case's.
        let class = ["missing-target-header", "unknown-service-prefix"]
            .into_iter()
            .find(|c| reason.contains(&format!("within its fault class, {c}")))
            .unwrap_or_else(|| panic!("seed {seed}: no class named: {reason}"));
        assert!(
            minimal.contains(&format!("[{class}]")),
            "seed {seed}: generated as {class}, minimal case {minimal}"
        );
        if class == "unknown-service-prefix" {
            assert!(
                minimal.contains("AWSCognitoIdentityService.DeleteUser"),
                "{minimal}"
            );
        }
        classes.insert(class);
    }
    assert!(
        classes.contains("unknown-service-prefix"),
        "the prefix defect is reported under its own class for some seed: {classes:?}"
    );
    rt.block_on(session.close());
    rt.block_on(reference.shutdown());
}
