//! Benchmark (not a timed test): generated cases per second and the harness's own CPU time per
//! request, against the embedded reference and against moto.
//!
//! ```sh
//! cargo bench --bench generated                       # reference, then moto if installed
//! COGNITO_CONFORMANCE_BENCH_CASES=64 cargo bench --bench generated
//! COGNITO_CONFORMANCE_BENCH_MOTO=http://127.0.0.1:5000 cargo bench --bench generated
//! ```
//!
//! Every property generates its cases (a seeded proptest runner) and runs each against the
//! target whatever its verdict (a run stops a property at its first failure; the benchmark
//! measures the work per case), four properties in flight, as `run` does. CPU time is this process's user +
//! system time (getrusage): against moto, a separate process, it is the harness's own cost;
//! against the embedded reference it includes the reference server, which runs in-process.
//! Moto is launched on a free loopback port (`.emulators/` or PATH) unless
//! `COGNITO_CONFORMANCE_BENCH_MOTO` names a running one; without either it is skipped.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cognito_conformance::property::runner::seed_bytes;
use cognito_conformance::property::{self, INDEX_SPAN, exec};
use cognito_conformance::reference::Reference;
use cognito_conformance::report::TargetInfo;
use cognito_conformance::run::RunContext;
use cognito_conformance::secrets::Redactor;
use cognito_conformance::snapshot::Goldens;
use cognito_conformance::target::{Admin, Provisioner, control, credentials, endpoint, launch};
use cognito_conformance::wire::{HttpClient, WireSettings};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Properties in flight at once (`run`'s default concurrency).
const CONCURRENCY: usize = 4;

struct Measure {
    target: String,
    properties: usize,
    cases: usize,
    requests: u64,
    wall: Duration,
    cpu: Duration,
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: both just run.
    let cases: u32 = std::env::var("COGNITO_CONFORMANCE_BENCH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            std::process::exit(2);
        }
    };
    let mut results = Vec::new();
    match runtime.block_on(Reference::start(([127, 0, 0, 1], 0).into())) {
        Ok(r) => {
            results.push(measure(&runtime, "reference (in-process)", &r.url(), cases));
            runtime.block_on(r.shutdown());
        }
        Err(e) => eprintln!("cannot start the reference: {e}"),
    }
    match std::env::var("COGNITO_CONFORMANCE_BENCH_MOTO") {
        Ok(url) if !url.is_empty() => {
            results.push(measure(&runtime, "moto (external)", &url, cases))
        }
        _ => match runtime.block_on(launch::launch("moto")) {
            Ok(m) => {
                let label = format!("{} (launched)", m.label);
                results.push(measure(&runtime, &label, &m.url, cases));
                runtime.block_on(m.stop());
            }
            Err(e) => eprintln!("moto skipped: {e}"),
        },
    }
    println!(
        "\n{:<24} {:>5} {:>7} {:>9} {:>9} {:>10} {:>13} {:>13}",
        "target", "props", "cases", "requests", "wall s", "cases/s", "CPU ms/req", "CPU ms/case"
    );
    for m in &results {
        let wall = m.wall.as_secs_f64();
        let cpu_ms = m.cpu.as_secs_f64() * 1000.0;
        println!(
            "{:<24} {:>5} {:>7} {:>9} {:>9.2} {:>10.1} {:>13.3} {:>13.2}",
            m.target,
            m.properties,
            m.cases,
            m.requests,
            wall,
            m.cases as f64 / wall.max(1e-9),
            cpu_ms / (m.requests.max(1) as f64),
            cpu_ms / (m.cases.max(1) as f64),
        );
    }
}

fn measure(runtime: &tokio::runtime::Runtime, label: &str, url: &str, cases: u32) -> Measure {
    let env: BTreeMap<String, String> = std::env::vars().collect();
    let creds = credentials::resolve(&env, true).expect("loopback placeholder credentials");
    let http = HttpClient::new(WireSettings::default()).expect("http client");
    let admin = Admin::new(
        http.clone(),
        url,
        &endpoint::region(None, &env),
        creds,
        None,
    );
    let capabilities = runtime.block_on(control::discover(&admin));
    let provisioner = Provisioner::new(admin);
    let ctx = Arc::new(RunContext {
        redactor: Redactor::new().with(provisioner.password(), "PASSWORD"),
        provisioner,
        capabilities: capabilities.clone(),
        target: TargetInfo {
            name: label.into(),
            url: url.into(),
            kind: "loopback".into(),
            capabilities: capabilities.into_iter().collect(),
        },
        goldens: Goldens::none(),
    });
    let properties = property::catalogue();
    let count = properties.len();
    // Provision the pools first, so the measure is of cases, not of one-off set-up.
    let _ = runtime.block_on(ctx.provisioner.pool(Default::default()));
    let (requests0, cpu0, start) = (http.requests_sent(), cpu_time(), Instant::now());
    let total = runtime.block_on(async {
        let permits = Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
        let mut set = tokio::task::JoinSet::new();
        for (i, prop) in properties.into_iter().enumerate() {
            let (ctx, permits) = (ctx.clone(), permits.clone());
            let handle = tokio::runtime::Handle::current();
            set.spawn(async move {
                let _permit = permits.acquire_owned().await.ok()?;
                tokio::task::spawn_blocking(move || {
                    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes(1, &prop.id));
                    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
                    let strategy = prop.strategy();
                    let mut held = 0;
                    for n in 0..cases as usize {
                        let Ok(tree) = strategy.new_tree(&mut runner) else {
                            continue;
                        };
                        let case = tree.current().case;
                        let index = (i + 1) * INDEX_SPAN + n;
                        let run =
                            handle.block_on(exec::execute(&ctx, &prop.id, index, &case, false));
                        held += usize::from(matches!(run.verdict, exec::Verdict::Held));
                    }
                    eprintln!("  {:<70} {held}/{cases} held", prop.id);
                    cases as usize
                })
                .await
                .ok()
            });
        }
        let mut total = 0;
        while let Some(done) = set.join_next().await {
            total += done.ok().flatten().unwrap_or(0);
        }
        total
    });
    let (wall, cpu, requests) = (
        start.elapsed(),
        cpu_time() - cpu0,
        http.requests_sent() - requests0,
    );
    let _ = runtime.block_on(ctx.provisioner.cleanup());
    eprintln!(
        "{label}: {total} cases, {requests} requests in {:.2} s",
        wall.as_secs_f64()
    );
    Measure {
        target: label.into(),
        properties: count,
        cases: total,
        requests,
        wall,
        cpu,
    }
}

/// User + system CPU time of this process so far.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given, which lives on this stack frame.
    let usage = unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut u) != 0 {
            return Duration::ZERO;
        }
        u
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, (t.tv_usec as u32) * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}
