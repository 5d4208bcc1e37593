//! Where reports, exports and templates are written: whole or not at all, never over one of
//! the run's own inputs, and without changing what kind of thing the path names.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Symbolic links followed before giving up (Linux's own limit, ELOOP).
const MAX_LINKS: usize = 40;

/// Writes `bytes` to `path`.
///
/// - A regular file (or a new one) is replaced atomically: a temporary file in the same folder,
///   then a rename, so a failed run never leaves half a report. A new file gets the usual
///   mode (0666 less the umask: 0644 under umask 022, as CI artifacts and shared folders
///   expect); an existing file keeps its mode.
/// - A symbolic link is written through: its target is replaced, the link stays.
/// - Anything else (`/dev/null`, a FIFO, a terminal) is written in place: renaming over it
///   would replace a device with a regular file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let cannot = || format!("cannot write {}", path.display());
    // The kernel follows the links here, /proc's magic ones (`/dev/stdout`) included.
    let (target, existing) = match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => bail!("cannot write {}: it is a directory", path.display()),
        Ok(meta) if !meta.is_file() => {
            let mut device = OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(cannot)?;
            return device
                .write_all(bytes)
                .and_then(|()| device.flush())
                .with_context(cannot);
        }
        Ok(meta) => (
            fs::canonicalize(path).with_context(cannot)?,
            Some(meta.permissions()),
        ),
        // A new file, or one a dangling link names.
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            (resolve_links(path).with_context(cannot)?, None)
        }
        Err(err) => return Err(err).with_context(cannot),
    };
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".valueflow-");
    // open(2) applies the umask to this mode, as it does for any file a program creates;
    // tempfile's own default (0600) would hide a report from everyone else.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut file = builder
        .tempfile_in(dir)
        .map_err(without_temporary_name)
        .with_context(cannot)?;
    file.write_all(bytes)
        .map_err(without_temporary_name)
        .with_context(cannot)?;
    if let Some(permissions) = existing {
        file.as_file()
            .set_permissions(permissions)
            .with_context(cannot)?;
    }
    file.persist(&target)
        .map_err(|e| without_temporary_name(e.error))
        .with_context(cannot)?;
    Ok(())
}

/// tempfile adds its random name to an error ("No such file or directory (os error 2) at path
/// "/dir/.valueflow-PQzd7s""): a file the user never named, after the path they did name. The
/// cause alone is kept.
fn without_temporary_name(err: std::io::Error) -> std::io::Error {
    match err.to_string().rsplit_once(" at path ") {
        Some((cause, _)) => std::io::Error::new(err.kind(), cause.to_string()),
        None => err,
    }
}

/// The path a chain of symbolic links ends at, when it does not exist yet.
fn resolve_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(std::io::Error::other(format!(
        "more than {MAX_LINKS} symbolic links"
    )))
}

/// Refuses an output path that is the same regular file as one of the run's inputs (by
/// device and inode, so a second name, a symlink or a hard link is caught too): writing the
/// report there would destroy the input. Devices such as /dev/null lose nothing.
pub fn refuse_overwriting_inputs<'a>(
    output: &Path,
    inputs: impl IntoIterator<Item = &'a Path>,
) -> Result<()> {
    let Ok(out) = fs::metadata(output) else {
        return Ok(()); // a new file cannot be an input
    };
    if !out.is_file() {
        return Ok(());
    }
    for input in inputs {
        if same_file(output, input) {
            bail!(
                "-o {}: that is the input {}, which writing the report would destroy; choose \
                 another output path",
                output.display(),
                input.display()
            );
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
