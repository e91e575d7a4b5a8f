//! How the preview takes connections, so that no client can stall the others.
//!
//! Every connection is its own task on a small runtime (hyper on tokio), so a client
//! that never reads, reads slowly or sends slowly holds only its own connection. Each
//! connection has to send its request head within [`Limits::header_timeout`] (also the
//! idle time allowed between two requests), in at most [`Limits::max_head`] bytes
//! (beyond it: `431`), and a response that makes no progress for
//! [`Limits::write_stall`] is cut off. At most [`Limits::connections`] are open at once
//! (fewer than the process may open files); one more closes the connection that has
//! waited longest for a request. Running out of file descriptors anyway (`EMFILE`,
//! `ENFILE`) closes an idle connection, waits a moment and goes on accepting.

use std::collections::BTreeMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::Notify;
use tokio::time::{Instant, Sleep};

use crate::serve::body::Body;

/// Bytes of request line and headers a request may have; beyond, it is refused with
/// `431` (cookies for `localhost` from other local projects can be large).
pub const MAX_HEAD: usize = 64 * 1024;

/// Connections the system holds until they are accepted.
const BACKLOG: u32 = 1024;

/// Time to send the request line and headers, and the longest idle time between
/// requests.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// Time a response may go without the client reading any of it.
pub const WRITE_STALL: Duration = Duration::from_secs(10);

/// File descriptors kept free for everything but connections (the watcher, the
/// rebuild's files, the files being served).
const RESERVED_DESCRIPTORS: usize = 32;

/// What one connection may take.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Connections open at once.
    pub connections: usize,
    /// Time to send a request's head, and the longest idle time between requests.
    pub header_timeout: Duration,
    /// Time a response may go without the client reading any of it.
    pub write_stall: Duration,
    /// Bytes of request line and headers.
    pub max_head: usize,
    /// Number of header fields.
    pub max_headers: usize,
    /// Threads for reading files and waiting for builds.
    pub blocking_threads: usize,
}

impl Limits {
    /// The limits for this process: as many connections as its file limit allows,
    /// less a reserve, and at most 1024.
    pub fn for_this_process(blocking_threads: usize) -> Limits {
        Limits {
            connections: descriptor_limit()
                .saturating_sub(RESERVED_DESCRIPTORS)
                .clamp(8, 1024),
            header_timeout: HEADER_TIMEOUT,
            write_stall: WRITE_STALL,
            max_head: MAX_HEAD,
            max_headers: 100,
            blocking_threads,
        }
    }
}

/// How many files this process may open (its soft `RLIMIT_NOFILE`).
#[cfg(target_os = "linux")]
fn descriptor_limit() -> usize {
    let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile);
    limit
        .current
        .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX))
}

/// How many files this process may open: the smallest common default (macOS).
#[cfg(not(target_os = "linux"))]
fn descriptor_limit() -> usize {
    256
}

/// A listening socket, and the runtime that answers its connections.
pub struct Listener {
    runtime: tokio::runtime::Runtime,
    listener: TcpListener,
    limits: Limits,
}

impl Listener {
    /// Listen on `ip`, on the first of `ports` that is free, ready to answer its
    /// connections within `limits`.
    pub fn bind(
        ip: IpAddr,
        ports: impl IntoIterator<Item = u16>,
        limits: Limits,
    ) -> io::Result<Listener> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .max_blocking_threads(limits.blocking_threads)
            .enable_io()
            .enable_time()
            .build()?;
        let listener = {
            let _inside = runtime.enter();
            first_free(ip, ports)?
        };
        Ok(Listener {
            runtime,
            listener,
            limits,
        })
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Answer every connection with `handler`, until the process stops.
    pub fn run<H, F>(&self, handler: H)
    where
        H: Fn(Request<Incoming>) -> F + Clone + Send + Sync + 'static,
        F: Future<Output = Response<Body>> + Send + 'static,
    {
        let (listener, limits) = (&self.listener, self.limits);
        self.runtime
            .block_on(accept_loop(listener, limits, handler));
    }
}

/// Listen on the first of `ports` that is free; the last error if none is.
fn first_free(ip: IpAddr, ports: impl IntoIterator<Item = u16>) -> io::Result<TcpListener> {
    let mut last = io::Error::other("no port to listen on");
    for port in ports {
        match listen((ip, port).into()) {
            Ok(listener) => return Ok(listener),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// A listening socket on `addr` whose queue of connections not yet accepted holds
/// [`BACKLOG`] (the standard library's holds 128, which a burst of connections can
/// fill, and then the next waits a second for the client to try again).
fn listen(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    // As the standard library does: a port left in TIME_WAIT can be listened on again.
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

async fn accept_loop<H, F>(listener: &TcpListener, limits: Limits, handler: H)
where
    H: Fn(Request<Incoming>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Response<Body>> + Send + 'static,
{
    let open = Arc::new(Connections::new(limits.connections));
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                // With every connection busy answering, one more is closed at once.
                if let Some(slot) = open.admit() {
                    tokio::spawn(serve_connection(stream, slot, limits, handler.clone()));
                }
            }
            Err(e) if out_of_descriptors(&e) => {
                // Close a few idle connections and give their tasks a moment to end.
                let closed = (0..8).filter(|_| open.close_longest_idle()).count();
                let pause = if closed > 0 { 1 } else { 100 };
                tokio::time::sleep(Duration::from_millis(pause)).await;
            }
            // A connection that failed before it was accepted; the next may not.
            Err(_) => tokio::time::sleep(Duration::from_millis(1)).await,
        }
    }
}

/// Whether an accept failed for want of file descriptors (`EMFILE`, `ENFILE`) or
/// memory for the socket (`ENOBUFS`, `ENOMEM`): passing conditions, not the end.
fn out_of_descriptors(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    {
        use rustix::io::Errno;
        let passing = [Errno::MFILE, Errno::NFILE, Errno::NOBUFS, Errno::NOMEM];
        if Errno::from_io_error(e).is_some_and(|n| passing.contains(&n)) {
            return true;
        }
    }
    // EMFILE and ENFILE are 24 and 23 on every Unix.
    (cfg!(unix) && matches!(e.raw_os_error(), Some(23 | 24)))
        || e.kind() == io::ErrorKind::OutOfMemory
}

async fn serve_connection<H, F>(stream: TcpStream, slot: Slot, limits: Limits, handler: H)
where
    H: Fn(Request<Incoming>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Response<Body>> + Send + 'static,
{
    let _ = stream.set_nodelay(true);
    let conn = Arc::clone(&slot.conn);
    let service = service_fn(move |request| {
        let busy = Busy::start(&conn);
        let answer = handler(request);
        async move {
            let response = answer.await;
            drop(busy);
            Ok::<_, std::convert::Infallible>(response)
        }
    });
    let io = TokioIo::new(StallLimit::new(stream, limits.write_stall));
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_header_size(limits.max_head)
        .max_buf_size(limits.max_head)
        .max_headers(limits.max_headers)
        .serve_connection(io, service);
    let mut connection = pin!(connection);
    let mut closed = pin!(slot.conn.close.notified());
    // Whichever comes first: the client is done, or the connection is closed to make
    // room for another.
    std::future::poll_fn(|cx| {
        if connection.as_mut().poll(cx).is_ready() || closed.as_mut().poll(cx).is_ready() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
}

/// The open connections, oldest first, and which of them are answering a request.
struct Connections {
    cap: usize,
    next: AtomicU64,
    open: Mutex<BTreeMap<u64, Arc<Conn>>>,
}

#[derive(Default)]
struct Conn {
    /// Requests being answered (not counting the time their response takes to send).
    busy: AtomicUsize,
    close: Notify,
}

/// A place among the open connections, given back when dropped.
struct Slot {
    id: u64,
    conn: Arc<Conn>,
    all: Arc<Connections>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut open) = self.all.open.lock() {
            open.remove(&self.id);
        }
    }
}

impl Connections {
    fn new(cap: usize) -> Connections {
        Connections {
            cap,
            next: AtomicU64::new(0),
            open: Mutex::new(BTreeMap::new()),
        }
    }

    /// A place for a new connection: when all are taken, the one idle the longest
    /// gives up its place; `None` when every connection is busy answering.
    fn admit(self: &Arc<Self>) -> Option<Slot> {
        let mut open = self.open.lock().ok()?;
        if open.len() >= self.cap && !close_longest_idle(&mut open) {
            return None;
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let conn = Arc::new(Conn::default());
        open.insert(id, Arc::clone(&conn));
        Some(Slot {
            id,
            conn,
            all: Arc::clone(self),
        })
    }

    /// Close the oldest connection that is not answering a request; whether there was one.
    fn close_longest_idle(&self) -> bool {
        self.open
            .lock()
            .map(|mut open| close_longest_idle(&mut open))
            .unwrap_or(false)
    }
}

fn close_longest_idle(open: &mut BTreeMap<u64, Arc<Conn>>) -> bool {
    let idle = open
        .iter()
        .find(|(_, c)| c.busy.load(Ordering::Acquire) == 0)
        .map(|(id, _)| *id);
    let Some(conn) = idle.and_then(|id| open.remove(&id)) else {
        return false;
    };
    conn.close.notify_one();
    true
}

/// Marks a connection busy while a request is answered.
struct Busy(Arc<Conn>);

impl Busy {
    fn start(conn: &Arc<Conn>) -> Busy {
        conn.busy.fetch_add(1, Ordering::AcqRel);
        Busy(Arc::clone(conn))
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A TCP stream whose writes fail once the peer has read nothing for `limit`.
struct StallLimit {
    inner: TcpStream,
    limit: Duration,
    deadline: Pin<Box<Sleep>>,
    armed: bool,
}

impl StallLimit {
    fn new(inner: TcpStream, limit: Duration) -> StallLimit {
        StallLimit {
            inner,
            limit,
            deadline: Box::pin(tokio::time::sleep(limit)),
            armed: false,
        }
    }

    /// Pass on a finished write; time a waiting one, failing it when it waited too long.
    fn watch<T>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        if poll.is_ready() {
            self.armed = false;
            return poll;
        }
        if !self.armed {
            self.armed = true;
            self.deadline.as_mut().reset(Instant::now() + self.limit);
        }
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for StallLimit {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for StallLimit {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.watch(cx, poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.watch(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_flush(cx);
        self.watch(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.watch(cx, poll)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_house_gives_the_longest_idle_place_to_the_newcomer() {
        let all = Arc::new(Connections::new(3));
        let slots: Vec<Slot> = (0..3).map(|_| all.admit().unwrap()).collect();
        let _busy = Busy::start(&slots[0].conn);
        let fourth = all.admit().expect("an idle connection made room");
        let open: Vec<u64> = all.open.lock().unwrap().keys().copied().collect();
        assert_eq!(open, vec![slots[0].id, slots[2].id, fourth.id]);
        // Every place busy: no room.
        let _b = [&slots[2], &fourth].map(|s| Busy::start(&s.conn));
        assert!(all.admit().is_none());
        drop(slots);
        assert_eq!(all.open.lock().unwrap().len(), 1);
    }

    #[test]
    fn running_out_of_descriptors_is_a_passing_condition() {
        for code in [24, 23] {
            assert!(out_of_descriptors(&io::Error::from_raw_os_error(code)));
        }
        assert!(!out_of_descriptors(&io::Error::from(
            io::ErrorKind::ConnectionAborted
        )));
    }
}
