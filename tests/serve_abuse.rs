//! The preview server against one client that tries to stall it, and against other
//! websites that try to read it. Each test starts the real `clusterdir serve` on
//! 127.0.0.1, runs one abuse for a few seconds from threads, and meanwhile asks for the
//! home page as a browser would: it must be answered within a second every time.
//!
//! `CLUSTERDIR_BIN` runs them against another build of clusterdir (to see an older
//! server fail them).

mod common;

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clusterdir::serve::http::MAX_WAITING;
use clusterdir::serve::server::{HEADER_TIMEOUT, MAX_HEAD, WRITE_STALL};
use common::{full_fixture, serve_port, Server};

/// How long each abuse runs.
const ABUSE: Duration = Duration::from_secs(3);
/// A normal request must be answered within this, under every abuse.
const PROMPT: Duration = Duration::from_secs(1);
/// The size of the large static file the slow readers ask for.
const BIG: usize = 16 * 1024 * 1024;

/// One abuse at a time: the machine's cores are shared, and a second
/// abuse would slow the normal requests of the first.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn binary() -> PathBuf {
    std::env::var_os("CLUSTERDIR_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_clusterdir")))
}

/// The fixture site with a large generated text file in `static/`.
fn site() -> tempfile::TempDir {
    let dir = full_fixture();
    let mut rng = fastrand::Rng::with_seed(16);
    let line: String = (0..1023).map(|_| rng.alphanumeric()).collect::<String>() + "\n";
    std::fs::create_dir_all(dir.path().join("static")).unwrap();
    std::fs::write(dir.path().join("static/big.txt"), line.repeat(BIG / 1024)).unwrap();
    dir
}

/// Start `serve` for the site in `root`; with `files`, the process may open only that
/// many files (its `RLIMIT_NOFILE`) from the start.
fn start(root: &Path, files: Option<u64>) -> (Server, u16) {
    let mut command = Command::new(binary());
    command
        .arg("--root")
        .arg(root)
        .args(["--today", "2025-07-01", "serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(n) = files {
        limit_files(&mut command, n);
    }
    let mut child = command.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port = serve_port(&mut lines);
    std::thread::spawn(move || for _ in lines {});
    (Server(child), port)
}

#[cfg(target_os = "linux")]
fn limit_files(command: &mut Command, n: u64) {
    use std::os::unix::process::CommandExt;
    let limit = rustix::process::Rlimit {
        current: Some(n),
        maximum: Some(n),
    };
    // SAFETY: setrlimit is a single system call, safe between fork and exec.
    unsafe {
        command.pre_exec(move || {
            rustix::process::setrlimit(rustix::process::Resource::Nofile, limit)
                .map_err(std::io::Error::from)
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn limit_files(_: &mut Command, _: u64) {}

fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// A connection with timeouts, so no abuse thread can hang.
fn connect(port: u16) -> std::io::Result<TcpStream> {
    let s = TcpStream::connect_timeout(&addr(port), Duration::from_millis(500))?;
    s.set_read_timeout(Some(Duration::from_millis(500)))?;
    s.set_write_timeout(Some(Duration::from_millis(500)))?;
    Ok(s)
}

/// Send `request` on a new connection and read the answer until the server closes
/// it or `wait` passes; what came back (perhaps nothing) if the server answered at all,
/// else the error.
fn exchange(port: u16, request: &[u8], wait: Duration) -> std::io::Result<String> {
    let mut s = TcpStream::connect_timeout(&addr(port), wait)?;
    s.set_read_timeout(Some(wait))?;
    s.set_write_timeout(Some(wait))?;
    let sent = s.write_all(request);
    let mut bytes = Vec::new();
    let read = s.read_to_end(&mut bytes);
    if bytes.is_empty() {
        sent?;
        read?;
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn get_request(port: u16, path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")
}

/// Ask for the home page as a browser would; panics unless the whole page came back
/// within [`PROMPT`].
fn assert_answered_promptly(port: u16, during: &str) {
    let started = Instant::now();
    let answer = exchange(port, get_request(port, "/").as_bytes(), PROMPT);
    let took = started.elapsed();
    match answer {
        Ok(text) => assert!(
            text.starts_with("HTTP/1.1 200") && text.contains("</html>") && took < PROMPT,
            "during {during}: the home page took {took:?}: {}",
            text.lines().next().unwrap_or("no answer")
        ),
        Err(e) => panic!("during {during}: no answer to a normal request after {took:?}: {e}"),
    }
}

/// Run `abuse` in a thread for [`ABUSE`], asking for the home page four times a
/// second meanwhile; then stop the abuse and ask once more. The abuse is told to stop
/// through the flag and must end within a few seconds.
fn under_abuse(port: u16, what: &str, abuse: impl FnOnce(Arc<AtomicBool>) + Send + 'static) {
    let stop = Arc::new(AtomicBool::new(false));
    // Stops the abuse even when an assertion below fails, so it cannot run on into
    // the next test.
    let _stop_anyway = StopOnDrop(Arc::clone(&stop));
    let abuser = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || abuse(stop))
    };
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    while started.elapsed() < ABUSE {
        assert_answered_promptly(port, what);
        std::thread::sleep(Duration::from_millis(250));
    }
    stop.store(true, Ordering::Relaxed);
    abuser.join().expect("the abuse ran");
    assert_answered_promptly(port, &format!("after {what}"));
}

struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

fn stopped(stop: &AtomicBool) -> bool {
    stop.load(Ordering::Relaxed)
}

#[test]
fn requests_pipelined_and_never_read_stall_only_their_own_connection() {
    let _one = ONE_AT_A_TIME.lock();
    let dir = site();
    let (_server, port) = start(dir.path(), None);
    under_abuse(port, "pipelined requests never read", move |stop| {
        let request = get_request(port, "/static/big.txt").replace("close", "keep-alive");
        let mut held = Vec::new();
        for _ in 0..4 {
            let Ok(mut s) = connect(port) else { continue };
            // Writes stop going through once the server waits for the client to read.
            for _ in 0..100 {
                if s.write_all(request.as_bytes()).is_err() {
                    break;
                }
            }
            held.push(s);
        }
        while !stopped(&stop) {
            std::thread::sleep(Duration::from_millis(20));
        }
    });
}

#[test]
fn a_slow_reader_of_a_large_file_stalls_only_its_own_connection() {
    let _one = ONE_AT_A_TIME.lock();
    let dir = site();
    let (_server, port) = start(dir.path(), None);
    under_abuse(port, "slow readers of a large file", move |stop| {
        let mut readers: Vec<TcpStream> = (0..4)
            .filter_map(|_| {
                let mut s = connect(port).ok()?;
                s.write_all(get_request(port, "/static/big.txt").as_bytes())
                    .ok()?;
                Some(s)
            })
            .collect();
        let mut got = 0;
        while !stopped(&stop) {
            for s in &mut readers {
                let mut buf = [0; 256];
                got += s.read(&mut buf).unwrap_or(0);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        assert!(got > 0, "the slow readers were answered");
    });
}

/// The server's resident memory, in bytes.
#[cfg(target_os = "linux")]
fn resident(server: &Server) -> usize {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.0.id())).unwrap();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
        .unwrap();
    kib * 1024
}

#[test]
#[cfg(target_os = "linux")]
fn readers_that_stall_on_a_large_file_hold_a_piece_of_it_not_all_of_it() {
    let _one = ONE_AT_A_TIME.lock();
    let dir = site();
    let (server, port) = start(dir.path(), None);
    assert_answered_promptly(port, "start");
    let before = resident(&server);
    let readers = 64;
    let _stalled: Vec<TcpStream> = (0..readers)
        .map(|_| {
            let mut s = connect(port).unwrap();
            s.write_all(get_request(port, "/static/big.txt").as_bytes())
                .unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_secs(2));
    assert_answered_promptly(port, "stalled readers of a large file");
    let grown = resident(&server).saturating_sub(before);
    // Holding the whole file for each would be 64 times its size.
    assert!(
        grown < 2 * BIG,
        "{readers} stalled readers of a {BIG}-byte file grew the server by {grown} bytes"
    );
}

#[test]
fn a_reader_that_never_reads_is_cut_off() {
    let _one = ONE_AT_A_TIME.lock();
    let dir = site();
    let (_server, port) = start(dir.path(), None);
    let mut reader = connect(port).unwrap();
    reader
        .write_all(get_request(port, "/static/big.txt").as_bytes())
        .unwrap();
    let started = Instant::now();
    while started.elapsed() < WRITE_STALL + Duration::from_secs(2) {
        assert_answered_promptly(port, "a client that never reads a large file");
        std::thread::sleep(Duration::from_millis(500));
    }
    // Now read: what the server sent before it gave up, then the end.
    reader
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    let mut got = 0;
    let mut buf = vec![0; 64 * 1024];
    let end = loop {
        match reader.read(&mut buf) {
            Ok(0) => break "closed".to_string(),
            Ok(n) => got += n,
            Err(e) => break format!("{:?}", e.kind()),
        }
    };
    assert!(
        matches!(end.as_str(), "closed" | "ConnectionReset") && got < BIG,
        "after {got} of {BIG} bytes: {end}"
    );
}

/// Open `count` connections that send nothing and hold them until stopped; how many
/// opened.
fn idle_sockets(port: u16, count: usize, stop: &AtomicBool) -> usize {
    let held: Vec<TcpStream> = (0..count).filter_map(|_| connect(port).ok()).collect();
    while !stopped(stop) {
        std::thread::sleep(Duration::from_millis(20));
    }
    held.len()
}

#[test]
#[cfg(target_os = "linux")]
fn hundreds_of_idle_sockets_beyond_the_file_limit_do_not_lock_others_out() {
    let _one = ONE_AT_A_TIME.lock();
    let dir = site();
    // The server may open 128 files; the abuse holds 300 connections at once.
    let (_server, port) = start(dir.path(), Some(128));
    under_abuse(port, "hundreds of idle sockets", move |stop| {
        let opened = idle_sockets(port, 300, &stop);
        assert_eq!(opened, 300, "connections opened");
    });
}

#[test]
#[cfg(target_os = "linux")]
fn running_out_of_file_descriptors_never_stops_the_server() {
    let _one = ONE_AT_A_TIME.lock();
    let dir = site();
    let (server, port) = start(dir.path(), None);
    // Lower the running server's file limit below what it thinks it has, so that
    // accepting connections fails with EMFILE.
    let pid = rustix::process::Pid::from_child(&server.0);
    let limit = rustix::process::Rlimit {
        current: Some(64),
        maximum: Some(64),
    };
    rustix::process::prlimit(Some(pid), rustix::process::Resource::Nofile, limit).unwrap();
    under_abuse(port, "idle sockets past the file limit", move |stop| {
        idle_sockets(port, 200, &stop);
    });
    // Every idle socket is closed now; the server still takes new connections.
    for _ in 0..5 {
        assert_answered_promptly(port, "after the file limit was reached");
    }
}

/// The first line of the answer to `request`, or the error that ended the exchange.
fn first_line(port: u16, request: &[u8]) -> String {
    match exchange(port, request, Duration::from_secs(2)) {
        Ok(text) => text.lines().next().unwrap_or("closed").to_string(),
        Err(e) => format!("error: {:?}", e.kind()),
    }
}

#[test]
fn oversized_request_heads_are_refused_without_being_read() {
    let _one = ONE_AT_A_TIME.lock();
    let dir = site();
    let (_server, port) = start(dir.path(), None);
    // Many short header fields: the head is read whole, then refused.
    let mut rng = fastrand::Rng::with_seed(431);
    for count in [150, 500, 2000] {
        let mut request =
            format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
        for i in 0..count {
            request += &format!("X-{i}: {}\r\n", rng.u32(..));
        }
        let line = first_line(port, (request + "\r\n").as_bytes());
        assert!(line.starts_with("HTTP/1.1 431"), "{count} fields: {line}");
    }
    // Just under the limit is answered; anything over it is refused.
    let filler = |rng: &mut fastrand::Rng, size: usize| -> String {
        (0..size).map(|_| rng.alphanumeric()).collect()
    };
    let fits = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nX-Filler: {}\r\n\r\n",
        filler(&mut rng, MAX_HEAD - 1024)
    );
    assert!(first_line(port, fits.as_bytes()).starts_with("HTTP/1.1 200"));
    under_abuse(port, "huge request lines and header lines", move |stop| {
        let mut rng = fastrand::Rng::with_seed(16);
        let mut answers = Vec::new();
        while !stopped(&stop) {
            let size = if rng.bool() {
                MAX_HEAD + rng.usize(1..2048)
            } else {
                rng.usize(MAX_HEAD..=1024 * 1024)
            };
            let text = filler(&mut rng, size);
            let request = if rng.bool() {
                format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nX-Filler: {text}\r\n\r\n")
            } else {
                format!(
                    "GET /{text} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
                )
            };
            answers.push((size, first_line(port, request.as_bytes())));
        }
        for (size, line) in &answers {
            // Refused with 431 or 414, or cut off while still sending.
            let refused = line.starts_with("HTTP/1.1 431")
                || line.starts_with("HTTP/1.1 414")
                || line.starts_with("error: Connection")
                || line == "error: BrokenPipe"
                || line == "closed";
            assert!(refused, "a head of {size} bytes: {line}");
        }
        assert!(!answers.is_empty());
    });
}

#[test]
fn headers_sent_a_byte_at_a_time_are_cut_off_and_stall_no_one() {
    let _one = ONE_AT_A_TIME.lock();
    let dir = site();
    let (_server, port) = start(dir.path(), None);
    let cut_off = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&cut_off);
    under_abuse(port, "clients trickling their headers", move |stop| {
        // Each sends a byte of an endless header field every 100 ms.
        let mut tricklers: Vec<(TcpStream, Instant)> = (0..20)
            .filter_map(|_| {
                let mut s = connect(port).ok()?;
                write!(s, "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: ").ok()?;
                s.set_nonblocking(true).ok()?;
                Some((s, Instant::now()))
            })
            .collect();
        let give_up = Instant::now() + Duration::from_secs(9);
        while !(stopped(&stop) && tricklers.is_empty()) && Instant::now() < give_up {
            tricklers.retain_mut(|(s, since)| {
                let sent = s.write(b"a");
                let mut buf = [0; 512];
                // An end of stream, an answer (such as 408) or an error: cut off.
                let open = matches!(s.read(&mut buf), Err(e) if e.kind() == ErrorKind::WouldBlock);
                let cut = !open || sent.is_err_and(|e| e.kind() != ErrorKind::WouldBlock);
                if cut {
                    seen.lock().unwrap().push(since.elapsed());
                }
                !cut
            });
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let cut_off = cut_off.lock().unwrap();
    assert_eq!(
        cut_off.len(),
        20,
        "some trickling clients were never cut off"
    );
    for took in cut_off.iter() {
        assert!(
            *took < HEADER_TIMEOUT + Duration::from_secs(2),
            "cut off after {took:?}"
        );
    }
}

#[test]
fn waiting_for_the_next_build_is_capped_and_the_rest_are_told_to_ask_later() {
    let _one = ONE_AT_A_TIME.lock();
    let dir = site();
    let (_server, port) = start(dir.path(), None);
    let status = exchange(
        port,
        get_request(port, "/__clusterdir/status").as_bytes(),
        PROMPT,
    )
    .unwrap();
    let version: u64 = status
        .split("\"version\":")
        .nth(1)
        .and_then(|v| v.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{status}"));
    let total = MAX_WAITING + 100;
    under_abuse(port, "hundreds of pages waiting for a build", move |stop| {
        let waiting: Vec<TcpStream> = (0..total)
            .filter_map(|_| {
                let mut s = connect(port).ok()?;
                s.write_all(
                    get_request(port, &format!("/__clusterdir/wait?v={version}")).as_bytes(),
                )
                .ok()?;
                Some(s)
            })
            .collect();
        let opened = waiting.len();
        std::thread::sleep(Duration::from_millis(1500));
        let mut told_to_wait = 0;
        let mut still_waiting = 0;
        let mut other = Vec::new();
        for mut s in waiting {
            let mut text = String::new();
            s.set_nonblocking(true).unwrap();
            let _ = s.read_to_string(&mut text);
            if text.starts_with("HTTP/1.1 503") && text.to_lowercase().contains("retry-after: 1") {
                told_to_wait += 1;
            } else if text.is_empty() {
                still_waiting += 1;
            } else {
                other.push(text);
            }
        }
        assert!(other.is_empty(), "{other:?}");
        assert_eq!(still_waiting, MAX_WAITING, "waiting for the build");
        assert_eq!(
            told_to_wait,
            opened - MAX_WAITING,
            "answered at once with 503"
        );
        assert!(opened > total - 5, "only {opened} connections opened");
        while !stopped(&stop) {
            std::thread::sleep(Duration::from_millis(20));
        }
    });
}

/// `GET /` with the given header lines instead of the usual `Host`.
fn with_headers(lines: &str) -> String {
    format!("GET / HTTP/1.1\r\n{lines}Connection: close\r\n\r\n")
}

#[test]
fn only_requests_for_the_preview_own_address_are_answered() {
    let _one = ONE_AT_A_TIME.lock();
    let dir = site();
    let (_server, port) = start(dir.path(), None);
    let mut rng = fastrand::Rng::with_seed(421);
    let mut refused: Vec<String> = [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        format!("0.0.0.0:{port}"),
        "127.0.0.1".to_string(),
    ]
    .into_iter()
    .map(|h| format!("Host: {h}\r\n"))
    .collect();
    for _ in 0..40 {
        let label: String = (0..rng.usize(1..20)).map(|_| rng.alphanumeric()).collect();
        refused.push(format!("Host: {label}.example:{port}\r\n"));
        refused.push(format!("Host: 127.0.0.1.{label}.test:{port}\r\n"));
    }
    refused.push(String::new()); // no Host at all
    refused.push(format!(
        "Host: 127.0.0.1:{port}\r\nHost: evil.example:{port}\r\n"
    ));
    for path in ["/", "/__clusterdir/status", "/__clusterdir/wait?v=0"] {
        for lines in &refused {
            let request = format!("GET {path} HTTP/1.1\r\n{lines}Connection: close\r\n\r\n");
            let answer = exchange(port, request.as_bytes(), PROMPT).unwrap();
            assert!(
                answer.starts_with("HTTP/1.1 421"),
                "{lines:?} {path}: {answer}"
            );
            assert!(
                answer.contains(&format!("http://127.0.0.1:{port}/")),
                "{answer}"
            );
            assert!(
                !answer.contains("<html") && !answer.contains("\"version\""),
                "{answer}"
            );
        }
    }
    // A request naming a whole address is for that address, whatever its Host says.
    let absolute = format!(
        "GET http://evil.example:{port}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    );
    assert!(first_line(port, absolute.as_bytes()).starts_with("HTTP/1.1 421"));
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        let request = with_headers(&format!("Host: {host}\r\nOrigin: http://evil.example\r\n"));
        let answer = exchange(port, request.as_bytes(), PROMPT).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{host}: {answer}");
        let head = answer.split("\r\n\r\n").next().unwrap().to_lowercase();
        assert!(!head.contains("access-control-"), "no CORS header: {head}");
    }
    under_abuse(port, "rebinding requests", move |stop| {
        while !stopped(&stop) {
            let line = first_line(
                port,
                with_headers(&format!("Host: evil.example:{port}\r\n")).as_bytes(),
            );
            assert!(line.starts_with("HTTP/1.1 421"), "{line}");
        }
    });
}
