//! What a response carries: bytes already in memory (pages, with the reload script
//! added), or a file read a piece at a time as the client takes it, so a client that
//! reads a large file slowly holds one piece of it in memory, not the whole file.

use std::fs::File;
use std::io::{self, Read};
use std::pin::Pin;
use std::task::{Context, Poll};

use hyper::body::{Bytes, Frame, SizeHint};

/// How much of a file is read at a time.
const PIECE: u64 = 64 * 1024;

/// A response body.
pub enum Body {
    /// All of it, until sent.
    Bytes(Option<Bytes>),
    /// An open file and how much of it is still to send.
    File { file: File, left: u64 },
}

impl Body {
    pub fn bytes(bytes: Vec<u8>) -> Body {
        Body::Bytes(Some(Bytes::from(bytes)))
    }

    /// The whole of an open file, as long as it was when opened.
    pub fn file(file: File) -> io::Result<Body> {
        let left = file.metadata()?.len();
        Ok(Body::File { file, left })
    }

    fn len(&self) -> u64 {
        match self {
            Body::Bytes(bytes) => bytes.as_ref().map_or(0, |b| b.len() as u64),
            Body::File { left, .. } => *left,
        }
    }
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = io::Error;

    /// The next piece. A piece of a file is read here, at once: a read of a local file
    /// is short, and hyper asks for a piece only when the last one was sent.
    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let next = match self.get_mut() {
            Body::Bytes(bytes) => bytes.take().map(Ok),
            Body::File { left: 0, .. } => None,
            Body::File { file, left } => Some(read_piece(file, left)),
        };
        Poll::Ready(next.map(|piece| piece.map(Frame::data)))
    }

    fn is_end_stream(&self) -> bool {
        self.len() == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.len())
    }
}

fn read_piece(file: &mut File, left: &mut u64) -> io::Result<Bytes> {
    let mut piece = Vec::new();
    let read = file.take(PIECE.min(*left)).read_to_end(&mut piece)?;
    if read == 0 {
        let shorter = "the file became shorter while it was being sent";
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, shorter));
    }
    *left -= read as u64;
    Ok(Bytes::from(piece))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::body::Body as _;

    struct Awake;
    impl std::task::Wake for Awake {
        fn wake(self: std::sync::Arc<Self>) {}
    }

    fn collect(mut body: Body) -> io::Result<Vec<u8>> {
        let waker = std::task::Waker::from(std::sync::Arc::new(Awake));
        let mut cx = Context::from_waker(&waker);
        let mut all = Vec::new();
        while let Poll::Ready(Some(frame)) = Pin::new(&mut body).poll_frame(&mut cx) {
            all.extend_from_slice(&frame?.into_data().unwrap());
        }
        assert!(body.is_end_stream());
        Ok(all)
    }

    #[test]
    fn files_of_every_size_are_sent_whole_in_pieces() {
        let dir = tempfile::tempdir().unwrap();
        let mut rng = fastrand::Rng::with_seed(7);
        for len in [
            0,
            1,
            PIECE - 1,
            PIECE,
            PIECE + 1,
            3 * PIECE + rng.u64(..PIECE),
        ] {
            let content: Vec<u8> = (0..len).map(|_| rng.u8(..)).collect();
            let path = dir.path().join(format!("f{len}"));
            std::fs::write(&path, &content).unwrap();
            let body = Body::file(File::open(&path).unwrap()).unwrap();
            assert_eq!(body.size_hint().exact(), Some(len));
            assert_eq!(collect(body).unwrap(), content, "{len} bytes");
        }
        assert_eq!(collect(Body::bytes(b"page".to_vec())).unwrap(), b"page");
    }

    #[test]
    fn a_file_cut_short_while_sent_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, vec![b'x'; 3 * PIECE as usize]).unwrap();
        let body = Body::file(File::open(&path).unwrap()).unwrap();
        std::fs::write(&path, b"short").unwrap();
        let err = collect(body).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }
}
