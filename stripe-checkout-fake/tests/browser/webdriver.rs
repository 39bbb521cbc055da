//! A small W3C WebDriver client (<https://www.w3.org/TR/webdriver2/>) over reqwest, driving
//! Debian's `chromedriver` and `chromium`: enough for the browser suite (navigate, find,
//! click, type, read visible text, switch frames, screenshots). No crate beyond what the fake
//! already has; nothing here ships with the fake.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The W3C element reference key.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Why there is no browser: printed as `skipped: <why>`, or a failure when CI requires one.
pub struct Missing(pub String);

fn find_program(names: &[&str]) -> Option<PathBuf> {
    for name in names {
        let path = Path::new(name);
        if path.is_absolute() {
            if path.is_file() {
                return Some(path.to_owned());
            }
            continue;
        }
        if let Some(dirs) = std::env::var_os("PATH") {
            for dir in std::env::split_paths(&dirs) {
                let candidate = dir.join(name);
                if candidate.is_file() {
                    return Some(candidate);
                }
            }
        }
    }
    None
}

/// A running chromedriver with one Chromium session; both end on drop.
pub struct Browser {
    http: reqwest::Client,
    url: String,
    driver: Child,
    profile: PathBuf,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a fresh profile, or says what is
    /// missing.
    pub async fn start() -> Result<Browser, Missing> {
        // STRIPE_CHECKOUT_FAKE_CHROMIUM / _CHROMEDRIVER name other binaries (or a missing one,
        // to see the skip).
        let chosen = |var: &str| std::env::var(var).ok();
        let chromium_names = chosen("STRIPE_CHECKOUT_FAKE_CHROMIUM");
        let driver_names = chosen("STRIPE_CHECKOUT_FAKE_CHROMEDRIVER");
        let chromium = match &chromium_names {
            Some(path) => find_program(&[path.as_str()]),
            None => find_program(&["/usr/bin/chromium", "chromium", "chromium-browser"]),
        }
        .ok_or_else(|| Missing("no Chromium (apt-get install chromium chromium-driver)".into()))?;
        let driver = match &driver_names {
            Some(path) => find_program(&[path.as_str()]),
            None => find_program(&["/usr/bin/chromedriver", "chromedriver"]),
        }
        .ok_or_else(|| {
            Missing("no chromedriver (apt-get install chromium chromium-driver)".into())
        })?;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .map_err(|e| Missing(format!("no free port for chromedriver: {e}")))?;
        let child = Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| Missing(format!("cannot run {}: {e}", driver.display())))?;
        let profile = std::env::temp_dir().join(format!(
            "stripe-checkout-fake-chromium-{}-{port}",
            std::process::id()
        ));
        let mut browser = Browser {
            http: reqwest::Client::new(),
            url: format!("http://127.0.0.1:{port}"),
            driver: child,
            profile,
        };
        let ready = Instant::now() + Duration::from_secs(20);
        loop {
            let status = browser
                .http
                .get(format!("{}/status", browser.url))
                .send()
                .await;
            if let Ok(r) = status {
                if r.status().is_success() {
                    break;
                }
            }
            if Instant::now() > ready {
                return Err(Missing("chromedriver did not start within 20 s".into()));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:chromeOptions": {
                "binary": chromium.to_string_lossy(),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                    "--disable-dev-shm-usage", "--window-size=1280,1000",
                    format!("--user-data-dir={}", browser.profile.display()),
                ],
            },
        }}});
        let created = browser
            .http
            .post(format!("{}/session", browser.url))
            .json(&caps)
            .send()
            .await
            .map_err(|e| Missing(format!("chromedriver refused a session: {e}")))?;
        let body: Value = created
            .json()
            .await
            .map_err(|e| Missing(format!("chromedriver answered no JSON: {e}")))?;
        let Some(id) = body["value"]["sessionId"].as_str() else {
            return Err(Missing(format!(
                "Chromium did not start: {}",
                body["value"]["message"]
            )));
        };
        browser.url = format!("{}/session/{id}", browser.url);
        Ok(browser)
    }

    async fn try_call(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let url = format!("{}{path}", self.url);
        let req = match method {
            "GET" => self.http.get(&url),
            "DELETE" => self.http.delete(&url),
            _ => self
                .http
                .post(&url)
                .json(&body.unwrap_or_else(|| json!({}))),
        };
        let response = req
            .send()
            .await
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let value: Value = response
            .json()
            .await
            .map_err(|e| format!("{method} {path}: {e}"))?;
        if value["value"]["error"].is_string() {
            return Err(format!("{method} {path}: {}", value["value"]));
        }
        Ok(value["value"].clone())
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.try_call(method, path, body)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Opens `url` and waits for it to load.
    pub async fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url }))).await;
    }

    pub async fn current_url(&self) -> String {
        self.call("GET", "/url", None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    async fn try_find(&self, css: &str) -> Option<String> {
        let r = self
            .http
            .post(format!("{}/element", self.url))
            .json(&json!({"using": "css selector", "value": css}))
            .send()
            .await
            .ok()?;
        let v: Value = r.json().await.ok()?;
        v["value"][ELEMENT].as_str().map(str::to_owned)
    }

    /// The element matching `css`, waiting up to 10 s for it.
    pub async fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(id) = self.try_find(css).await {
                return id;
            }
            if Instant::now() > deadline {
                panic!("no element matches {css} on {}", self.current_url().await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.call("POST", &format!("/element/{id}/click"), None)
            .await;
    }

    /// Clears the input `css` and types `text`.
    pub async fn fill(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.call("POST", &format!("/element/{id}/clear"), None)
            .await;
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({ "text": text })),
        )
        .await;
    }

    /// Chooses the option with `value` in the select `css`.
    pub async fn select(&self, css: &str, value: &str) {
        self.click(&format!("{css} option[value=\"{value}\"]"))
            .await;
    }

    /// The visible text of the page (what a person reads); read again when the page changed
    /// under the request (a navigation in progress).
    pub async fn text(&self) -> String {
        let mut last = String::new();
        for _ in 0..50 {
            let body = self.find("body").await;
            match self
                .try_call("GET", &format!("/element/{body}/text"), None)
                .await
            {
                Ok(text) => return text.as_str().unwrap_or_default().to_owned(),
                Err(e) => last = e,
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page's text could not be read: {last}");
    }

    /// Waits up to 10 s for the visible text to contain `wanted`; returns the text.
    pub async fn wait_for_text(&self, wanted: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = self.text().await;
            if text.contains(wanted) {
                return text;
            }
            if Instant::now() > deadline {
                panic!(
                    "{wanted:?} never appeared on {}; the page reads:\n{text}",
                    self.current_url().await
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits up to 10 s for the URL to start with `prefix`; returns it.
    pub async fn wait_for_url(&self, prefix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let url = self.current_url().await;
            if url.starts_with(prefix) {
                return url;
            }
            if Instant::now() > deadline {
                panic!(
                    "the browser never reached {prefix}; it is at {url}:\n{}",
                    self.text().await
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Switches into the iframe `css`.
    pub async fn enter_frame(&self, css: &str) {
        let id = self.find(css).await;
        self.call("POST", "/frame", Some(json!({ "id": { ELEMENT: id } })))
            .await;
    }

    /// Back to the top document.
    pub async fn leave_frames(&self) {
        self.call("POST", "/frame", Some(json!({ "id": null })))
            .await;
    }

    /// Saves a full-page PNG screenshot as `dir/name.png`.
    pub async fn screenshot(&self, dir: &Path, name: &str) {
        // Fit the window to the page so the screenshot shows all of it.
        let height = self
            .call("POST", "/execute/sync", Some(json!({
                "script": "return Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0);",
                "args": [],
            })))
            .await
            .as_i64()
            .unwrap_or(1000)
            .clamp(600, 4000);
        self.call(
            "POST",
            "/window/rect",
            Some(json!({ "width": 1280, "height": height + 140 })),
        )
        .await;
        let png = self.call("GET", "/screenshot", None).await;
        let bytes = base64_decode(png.as_str().unwrap_or_default());
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), bytes).unwrap();
        self.call(
            "POST",
            "/window/rect",
            Some(json!({ "width": 1280, "height": 1000 })),
        )
        .await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ending the session closes Chromium (a plain HTTP DELETE: no runtime in drop); then
        // chromedriver, which this test started.
        if let Some(rest) = self.url.strip_prefix("http://") {
            if let Some((host, path)) = rest.split_once('/') {
                if let Ok(mut stream) = std::net::TcpStream::connect(host) {
                    use std::io::{Read, Write};
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                    let request = format!(
                        "DELETE /{path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    );
                    if stream.write_all(request.as_bytes()).is_ok() {
                        let mut answer = Vec::new();
                        let _ = stream.read_to_end(&mut answer);
                    }
                }
            }
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Standard base64 (RFC 4648) to bytes; other characters are skipped.
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.bytes().filter_map(value) {
        buffer = (buffer << 6) | c;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}

#[test]
fn base64_decodes() {
    assert_eq!(base64_decode("aGVsbG8="), b"hello");
    assert_eq!(base64_decode("iVBORw0KGgo="), b"\x89PNG\r\n\x1a\n");
}
