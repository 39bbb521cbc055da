//! Files as values: [`FileUpload`], the file part of a `multipart/form-data` params struct
//! (`POST /v1/files`), and [`BinaryResponse`], what an endpoint answering with a document
//! (`application/pdf`) returns instead of decoding JSON.

use std::fmt;

use bytes::Bytes;

/// A file to upload: its bytes, the file name and the content type sent with them.
///
/// The bytes are held in memory: a retried upload sends them again, and Stripe's uploads are
/// small (a few MiB). Build one from bytes ([`FileUpload::new`]), from a reader
/// ([`FileUpload::from_reader`]) or from a stream of chunks ([`FileUpload::from_stream`]).
///
/// ```
/// let upload = stripe_checkout::FileUpload::new("receipt.pdf", "application/pdf", b"%PDF-1.7".to_vec());
/// assert_eq!(upload.len(), 8);
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FileUpload {
    /// The name sent as the part's `filename`.
    pub filename: String,
    /// The part's `Content-Type`, e.g. `image/png`.
    pub content_type: String,
    /// The file's contents.
    pub data: Vec<u8>,
}

impl fmt::Debug for FileUpload {
    // The contents are left out: they may be large, or a customer's document.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileUpload")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("len", &self.data.len())
            .finish()
    }
}

impl FileUpload {
    /// A file from its bytes.
    pub fn new(
        filename: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Vec<u8>>,
    ) -> FileUpload {
        FileUpload {
            filename: filename.into(),
            content_type: content_type.into(),
            data: data.into(),
        }
    }

    /// A file read to its end from `reader` (a `std::fs::File`, say). Blocking: in async code,
    /// read in `spawn_blocking` or use [`FileUpload::from_stream`].
    pub fn from_reader(
        filename: impl Into<String>,
        content_type: impl Into<String>,
        mut reader: impl std::io::Read,
    ) -> std::io::Result<FileUpload> {
        let mut data = Vec::new();
        reader.read_to_end(&mut data)?;
        Ok(FileUpload::new(filename, content_type, data))
    }

    /// A file gathered from a stream of chunks (a body being received, a file read
    /// asynchronously), failing with the stream's first error.
    pub async fn from_stream<S, B, E>(
        filename: impl Into<String>,
        content_type: impl Into<String>,
        stream: S,
    ) -> Result<FileUpload, E>
    where
        S: futures_core::Stream<Item = Result<B, E>>,
        B: AsRef<[u8]>,
    {
        let mut stream = std::pin::pin!(stream);
        let mut data = Vec::new();
        while let Some(chunk) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
            data.extend_from_slice(chunk?.as_ref());
        }
        Ok(FileUpload::new(filename, content_type, data))
    }

    /// The size in bytes.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

/// The body of a response that is not JSON (a quote's PDF), as the server sent it.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BinaryResponse {
    /// The body.
    pub bytes: Bytes,
    /// The response's `Content-Type` (e.g. `application/pdf`), when it had one.
    pub content_type: Option<String>,
}

impl BinaryResponse {
    pub(crate) fn new(bytes: Bytes, content_type: Option<String>) -> BinaryResponse {
        BinaryResponse {
            bytes,
            content_type,
        }
    }
}

impl fmt::Debug for BinaryResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BinaryResponse")
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}
