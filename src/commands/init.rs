//! `valueflow init`: the commented questionnaire, never over a file of answers.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::assessment::{init, questionnaire};
use crate::cli::InitArgs;

pub fn run(args: &InitArgs) -> Result<()> {
    let path = match &args.output {
        Some(path) => path.clone(),
        None => super::project_file(args.repo.as_deref())?,
    };
    if path.exists() {
        if !args.force {
            anyhow::bail!(
                "{} already exists and was left as it is; `valueflow init --force` replaces it \
                 and keeps the old file as {}.bak (or .bak.1, .bak.2, … when that exists)",
                path.display(),
                path.display()
            );
        }
        let backup = keep_backup(&path)
            .with_context(|| format!("cannot keep a copy of {}: not replaced", path.display()))?;
        eprintln!("kept the old file as {}", backup.display());
    }
    crate::output::write_atomically(&path, init::template().as_bytes())?;
    eprintln!(
        "wrote {}: answer its {} practices, then run `valueflow validate` and `valueflow report`",
        path.display(),
        questionnaire::embedded().practices.len()
    );
    Ok(())
}

/// Copies `path` to the first free name of `PATH.bak`, `PATH.bak.1`, `PATH.bak.2`, …: a second
/// `init --force` must not replace the backup that holds the first answers.
fn keep_backup(path: &Path) -> std::io::Result<PathBuf> {
    let mut original = std::fs::File::open(path)?;
    for n in 0..1000 {
        let mut name = path.as_os_str().to_os_string();
        name.push(if n == 0 {
            ".bak".to_string()
        } else {
            format!(".bak.{n}")
        });
        let backup = PathBuf::from(name);
        // create_new: the name is claimed and filled by this process alone.
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&backup)
        {
            Ok(mut copy) => {
                std::io::copy(&mut original, &mut copy)?;
                copy.sync_all()?;
                return Ok(backup);
            }
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(err),
        }
    }
    Err(std::io::Error::other(
        "1,000 backups exist already (.bak to .bak.999): remove old ones",
    ))
}
