//! A read-only tantivy `Directory` over the files of an index pack.
//!
//! Built for wasm32: it never locks, sleeps or watches (tantivy's default
//! lock retries with `thread::sleep`, which panics in the browser), and it
//! hands out zero-copy slices of the one downloaded blob.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, OwnedBytes, WatchCallback, WatchHandle, WritePtr,
};

use crate::EngineError;

/// The files of one index, held in memory, read-only.
#[derive(Debug, Clone)]
pub struct PackedDirectory {
    files: Arc<HashMap<PathBuf, OwnedBytes>>,
}

impl PackedDirectory {
    /// Opens a pack produced by [`crate::format::pack::pack`].
    pub fn open(blob: OwnedBytes) -> Result<Self, EngineError> {
        PackedDirectory::open_parts(vec![blob])
    }

    /// Opens the packs of one index tier, base first: a file of a later
    /// pack (a delta's `meta.json`) replaces the same file of an earlier one.
    pub fn open_parts(blobs: Vec<OwnedBytes>) -> Result<Self, EngineError> {
        let mut files = HashMap::new();
        for blob in blobs {
            files.extend(crate::format::pack::unpack(blob)?);
        }
        Ok(PackedDirectory { files: Arc::new(files) })
    }

    fn read_only(path: &Path) -> io::Error {
        io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("the index is read-only, cannot write {}", path.display()),
        )
    }
}

impl Directory for PackedDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let bytes = self
            .files
            .get(path)
            .ok_or_else(|| OpenReadError::FileDoesNotExist(path.to_path_buf()))?;
        Ok(Arc::new(bytes.clone()))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(Self::read_only(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        Ok(self.files.contains_key(path))
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(Self::read_only(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.files
            .get(path)
            .map(|bytes| bytes.as_slice().to_vec())
            .ok_or_else(|| OpenReadError::FileDoesNotExist(path.to_path_buf()))
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(Self::read_only(path))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        // Nobody writes to a packed index, so a no-op lock is always right.
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}
