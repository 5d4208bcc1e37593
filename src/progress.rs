//! A sign of life on a terminal while a long read runs: after two seconds, one line on stderr
//! says what is being read and for how long, updated each second, and is cleared when the
//! work ends. Nothing is printed to a pipe or a file, so scripts and CI logs stay clean.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long work runs before it is worth a line.
const QUIET: Duration = Duration::from_secs(2);

/// Shows `what` with the elapsed seconds until dropped.
pub struct Progress {
    done: Arc<(Mutex<bool>, Condvar)>,
    shown: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Set while several repositories are measured at once (with a bar of their own): their
/// reads run side by side, and lines overwriting each other would say nothing.
static SILENCED: AtomicBool = AtomicBool::new(false);

/// Silences every `Progress` until `quiet(false)`.
pub fn quiet(on: bool) {
    SILENCED.store(on, Ordering::Relaxed);
}

impl Progress {
    pub fn start(what: &str) -> Progress {
        let done = Arc::new((Mutex::new(false), Condvar::new()));
        let shown = Arc::new(AtomicBool::new(false));
        let show = std::io::stderr().is_terminal() && !SILENCED.load(Ordering::Relaxed);
        let thread = show.then(|| {
            let (done, shown, what) = (done.clone(), shown.clone(), what.to_string());
            std::thread::spawn(move || tick(&done, &shown, &what))
        });
        Progress {
            done,
            shown,
            thread,
        }
    }
}

fn tick(done: &(Mutex<bool>, Condvar), shown: &AtomicBool, what: &str) {
    let started = Instant::now();
    let (lock, signal) = done;
    let mut finished = lock.lock().unwrap_or_else(|e| e.into_inner());
    let mut wait = QUIET;
    loop {
        let (guard, timeout) = signal
            .wait_timeout(finished, wait)
            .unwrap_or_else(|e| e.into_inner());
        finished = guard;
        if *finished {
            return;
        }
        if timeout.timed_out() {
            let _ = write!(
                std::io::stderr(),
                "\r{what}… {}s",
                started.elapsed().as_secs()
            );
            shown.store(true, Ordering::Relaxed);
            wait = Duration::from_secs(1);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        let (lock, signal) = &*self.done;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = true;
        signal.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        if self.shown.load(Ordering::Relaxed) {
            // Clear the line so that what follows starts clean.
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}
