//! The HTML report opened in a real browser: headless Chromium, cut off from the network,
//! renders the example team's page; we check what a person would see. No script runs in the
//! page (it has none), so the checks are from outside: `--dump-dom` for the text Chromium
//! parsed, `--screenshot` decoded to count the charts' colours (the charts drawn, not blank),
//! and Chromium's log for any console message (a blocked request or a script error is one).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::command::valueflow;
use crate::report_cmd::{EXAMPLE, payments_ci, payments_history, window};

/// Chromium, installed when missing where that is possible; `None` (with a note) otherwise.
fn chromium() -> Option<&'static str> {
    let found = Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        let _ = writeln!(
            std::io::stderr(),
            "note: chromium not found (apt-get install -y chromium): the HTML report's browser \
             test is skipped"
        );
    }
    found.then_some("chromium")
}

/// Chromium headless, with every request sent to a proxy that refuses it and every host name
/// unresolvable: a page that needs the network shows it.
fn browse(profile: &Path, args: &[&str], page: &Path) -> Output {
    Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--force-prefers-reduced-motion",
            "--proxy-server=127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs")
}

/// Console messages (blocked loads, script errors) in Chromium's log.
fn console(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught") || l.contains("Refused"))
        .map(str::to_string)
        .collect()
}

/// `page` drawn by Chromium at `size` ("W,H") into a PNG in `profile`, with nothing on its
/// console.
fn screenshot(profile: &Path, page: &Path, size: &str) -> PathBuf {
    let shot = profile.join("shot.png");
    let out = browse(
        profile,
        &[
            &format!("--window-size={size}"),
            &format!("--screenshot={}", shot.display()),
        ],
        page,
    );
    assert_eq!(console(&out), Vec::<String>::new(), "console messages");
    shot
}

/// How many pixels are within a few steps of `rgb`.
fn pixels_near(png: &Path, rgb: [u8; 3]) -> usize {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png).expect("screenshot"),
    ));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let channels = info.color_type.samples();
    buf[..info.buffer_size()]
        .chunks(channels)
        .filter(|p| (0..3).all(|i| p[i].abs_diff(rgb[i]) <= 8))
        .count()
}

/// The example team, renamed to markup: the name must show as text.
const TEAM: &str = "<script>alert('x')</script> & \"co\"";

#[test]
fn the_html_report_is_drawn_offline_in_a_browser() {
    let r = payments_history();
    let example = EXAMPLE.replace(
        "team = \"payments\"",
        &format!("team = {}", toml_string(TEAM)),
    );
    assert_ne!(example, EXAMPLE, "the example names its team");
    std::fs::write(r.path().join("valueflow.toml"), example).expect("write");
    let ci = r.path().join("ci-runs.json");
    std::fs::write(&ci, payments_ci(&r)).expect("write");
    let page = r.path().join("report.html");
    let out = valueflow()
        .arg("report")
        .arg("-C")
        .arg(r.path())
        .args(window())
        .args(["--ci", ci.to_str().expect("utf-8"), "-o"])
        .arg(&page)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&page).expect("-o report.html writes the page");

    // One file: no script, no stylesheet or image to fetch, nothing but in-page references.
    assert!(html.starts_with("<!doctype html>"), "{html}");
    for absent in ["<script", "<link", "src=", "href=", "@import"] {
        assert!(!html.contains(absent), "{absent} in the page");
    }
    assert!(
        html.match_indices("url(")
            .all(|(i, _)| html[i + 4..].starts_with("#")),
        "a url() to outside the page"
    );
    assert!(html.contains("name=\"viewport\""));
    assert!(html.contains("@media (prefers-color-scheme: dark)"));
    assert!(html.contains("@media print"));
    // The team's name as text, escaped wherever it is written.
    assert!(
        html.contains("team &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;")
    );
    // Four charts, each with a title and a description, each followed by its figures as text;
    // and the trend section's six, one per measure over the window's four weeks, all of
    // which have a figure in some week.
    assert_eq!(html.matches("<svg class=\"chart\"").count(), 4);
    assert_eq!(html.matches("<svg class=\"chart trend\"").count(), 6);
    assert_eq!(html.matches("<desc id=").count(), 10);
    assert_eq!(html.matches("<figure>").count(), 10);

    let Some(_) = chromium() else { return };
    let profile = tempfile::tempdir().expect("tempdir");

    // The text a person reads: the level headline and the figures behind it.
    let dom = browse(profile.path(), &["--dump-dom"], &page);
    let text = String::from_utf8_lossy(&dom.stdout);
    for shown in [
        "Overall level 3 – Defined · verified by the data: 3 – Defined",
        "Outcome statement: not met (4 of 5 targets missed)",
        "median 20h · p90 1d 22h · mean 20h",
        "18.2%",
        "✗ missed",
        "✓ met",
        "restored after 4h",
        "pass mark 80.0%",
        "Trend by week, 2026-01-05 to 2026-02-02",
        "Lead time median per week",
        "Next steps (most important first)",
    ] {
        assert!(
            text.contains(shown),
            "{shown:?} not in the page Chromium read"
        );
    }
    assert!(!text.contains("<script"), "the team's name became markup");
    assert_eq!(console(&dom), Vec::<String>::new(), "console messages");

    // The charts drawn: their colours (the light theme's) cover real areas of the screenshot.
    let shot = screenshot(profile.path(), &page, "1000,4200");
    let bars = pixels_near(&shot, [0x09, 0x69, 0xda]);
    let failed = pixels_near(&shot, [0xcf, 0x22, 0x2e]);
    let met = pixels_near(&shot, [0x1a, 0x7f, 0x37]);
    // The histogram's and the maturity chart's bars are tens of thousands of pixels; the
    // hatched failures and missed targets, and the met bar and deployment dots, hundreds.
    assert!(bars > 20_000, "bars: {bars} pixels");
    assert!(failed > 500, "failed and missed marks: {failed} pixels");
    assert!(met > 500, "met bar and deployments: {met} pixels");
}

/// `trend --format html`: the change, a chart per measure with its target line, and the
/// figures per period as text, drawn offline.
#[test]
fn the_trend_page_is_drawn_offline_in_a_browser() {
    let r = payments_history();
    let ci = r.path().join("ci-runs.json");
    std::fs::write(&ci, payments_ci(&r)).expect("write");
    let page = r.path().join("trend.html");
    let out = valueflow()
        .arg("trend")
        .arg("-C")
        .arg(r.path())
        .args(window())
        .args(["--every", "week", "--ci", ci.to_str().expect("utf-8"), "-o"])
        .arg(&page)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&page).expect("-o trend.html writes the page");
    assert!(html.starts_with("<!doctype html>"));
    for absent in ["<script", "<link", "src=", "href=", "@import"] {
        assert!(!html.contains(absent), "{absent} in the page");
    }
    assert_eq!(html.matches("<svg class=\"chart trend\"").count(), 6);
    // Four targets judge their own figure: lead time, deployments, failure rate, pipeline
    // health each draw a target line (and its key); recovery's target is on the mean.
    assert_eq!(html.matches("class=\"goal\"/>").count(), 8);
    // Week 5's lead time (2d 2h) missed < 24 h; weeks 3 and 4 (20h) met it.
    assert!(html.contains("<title>W05: 2d 2h, target missed</title>"));
    assert!(html.contains("<title>W03: 20h, target met</title>"));

    let Some(_) = chromium() else { return };
    let profile = tempfile::tempdir().expect("tempdir");
    let dom = browse(profile.path(), &["--dump-dom"], &page);
    let text = String::from_utf8_lossy(&dom.stdout);
    for shown in [
        "Delivery trend by week",
        "Change between the last two full weeks, 2026-01-19 and 2026-01-26",
        "77.8% -&gt; 100.0%, +29%, better",
        "Lead time median per week",
        "target &lt; 24 h",
    ] {
        assert!(
            text.contains(shown),
            "{shown:?} not in the page Chromium read"
        );
    }
    assert_eq!(console(&dom), Vec::<String>::new(), "console messages");
    let shot = screenshot(profile.path(), &page, "1000,2400");
    // Drawn: the met bars (green), the hatched missed ones (red), the plain ones (blue).
    let met = pixels_near(&shot, [0x1a, 0x7f, 0x37]);
    let missed = pixels_near(&shot, [0xcf, 0x22, 0x2e]);
    let plain = pixels_near(&shot, [0x09, 0x69, 0xda]);
    assert!(met > 2_000, "met bars: {met} pixels");
    assert!(missed > 2_000, "missed bars: {missed} pixels");
    assert!(plain > 2_000, "plain bars: {plain} pixels");
}

/// The check above can fail: a page that loads an image from the network is blocked by the
/// same policy, and Chromium says so on its console.
#[test]
fn a_page_that_reaches_out_is_caught() {
    if chromium().is_none() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("leaky.html");
    std::fs::write(
        &page,
        "<!doctype html><meta http-equiv=\"Content-Security-Policy\" content=\"default-src \
         'none'\"><p>hi</p><img src=\"https://example.com/x.png\">",
    )
    .expect("write");
    let out = browse(dir.path(), &["--dump-dom"], &page);
    assert!(
        !console(&out).is_empty(),
        "the blocked image went unnoticed"
    );
}

/// `measure --format html`: the page on standard output, with the delivery charts.
#[test]
fn measure_writes_the_page_to_standard_output() {
    let r = payments_history();
    let out = valueflow()
        .arg("measure")
        .arg("-C")
        .arg(r.path())
        .args(window())
        .args(["--format", "html"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).expect("utf-8");
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("<title>valueflow: delivery measures</title>"));
    assert!(html.contains("id=\"timeline\""));
    assert!(html.contains("id=\"lead-time\""));
    assert!(html.contains("✗ Deploy #203") || html.contains("✗ v1.2"));
}

/// examples/report.png: the top of the example report (examples/report.html) as Chromium
/// draws it, for the README; rewritten with UPDATE_EXAMPLES=1 (a screenshot differs by font
/// and version, so it is not compared). The page is rendered here, not read from examples/,
/// which another test may be rewriting at the same moment.
#[test]
fn the_example_screenshot_exists() {
    let shot = example_screenshot("report", &[], "900,2000", true);
    // The report, not an error page: its charts' bars are on it.
    assert!(pixels_near(&shot, [0x09, 0x69, 0xda]) > 5_000);
}

/// examples/NAME.png, rewritten with UPDATE_EXAMPLES=1 from `valueflow NAME --format html`
/// over the payments history and its CI export (with the example assessment when
/// `assessment`), the repository's path shown as the README's `~/src/payments`.
fn example_screenshot(name: &str, args: &[&str], size: &str, assessment: bool) -> PathBuf {
    let shot = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("examples/{name}.png"));
    if std::env::var_os("UPDATE_EXAMPLES").is_some() && chromium().is_some() {
        let r = payments_history();
        if assessment {
            std::fs::write(r.path().join("valueflow.toml"), EXAMPLE).expect("write");
        }
        let ci = r.path().join("ci-runs.json");
        std::fs::write(&ci, payments_ci(&r)).expect("write");
        let out = valueflow()
            .arg(name)
            .arg("-C")
            .arg(r.path())
            .args(window())
            .args(args)
            .args(["--ci", ci.to_str().expect("utf-8"), "--format", "html"])
            .output()
            .expect("runs");
        assert!(out.status.success());
        let html = String::from_utf8(out.stdout)
            .expect("utf-8")
            .replace(&r.path().display().to_string(), "~/src/payments");
        let profile = tempfile::tempdir().expect("tempdir");
        let page = profile.path().join(format!("{name}.html"));
        std::fs::write(&page, html).expect("write");
        let out = browse(
            profile.path(),
            &[
                &format!("--window-size={size}"),
                &format!("--screenshot={}", shot.display()),
            ],
            &page,
        );
        assert!(out.status.success());
    }
    assert!(
        shot.exists(),
        "examples/{name}.png: run UPDATE_EXAMPLES=1 cargo test --test it html"
    );
    shot
}

fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// examples/trend.png: the example team's weekly trend page as Chromium draws it, for the
/// README; rewritten with UPDATE_EXAMPLES=1, like examples/report.png.
#[test]
fn the_example_trend_screenshot_exists() {
    let shot = example_screenshot("trend", &["--every", "week"], "1000,1300", false);
    // The charts, not an error page: the met bars are on it.
    assert!(pixels_near(&shot, [0x1a, 0x7f, 0x37]) > 2_000);
}
