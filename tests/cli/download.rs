//! Downloading the catalog's papers from a mirror on 127.0.0.1 serving the corpus.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;

use crate::{corpus, json, papertrail, stdout};

/// Serves files under `root` on 127.0.0.1 until the test process ends; `swap` maps a request
/// path to another file (to serve wrong bytes). Returns the base URL.
fn serve(root: PathBuf, swap: Option<(&'static str, &'static str)>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(200) {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                    break;
                }
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/").trim_start_matches('/').to_string();
            let path = match swap {
                Some((from, to)) if path == from => to.to_string(),
                _ => path,
            };
            let file = root.join(&path);
            let safe = !path.contains("..");
            match std::fs::read(&file) {
                Ok(bytes) if safe => {
                    let _ = write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        bytes.len()
                    );
                    let _ = stream.write_all(&bytes);
                }
                _ => {
                    let _ =
                        stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                }
            }
        }
    });
    format!("http://{addr}")
}

#[test]
fn catalog_papers_download_from_a_mirror_with_checksums_verified() {
    let Some(corpus) = corpus() else { return };
    let base = serve(corpus.clone(), None);
    let dir = tempfile::tempdir().unwrap();
    let out = papertrail(dir.path(), &["download", "--mirror", &base, "--pinned-only", "--json"]);
    let outcomes = json(&out);
    let outcomes = outcomes.as_array().unwrap();
    // Seven pinned papers; six are in the corpus, Janus-Pro is not (404).
    assert_eq!(outcomes.len(), 7, "{outcomes:#?}");
    let imported: Vec<&str> = outcomes
        .iter()
        .filter(|o| o["status"] == "imported" && o["verified"] == true)
        .map(|o| o["paper_id"].as_str().unwrap())
        .collect();
    assert_eq!(imported.len(), 6, "{outcomes:#?}");
    let janus = outcomes.iter().find(|o| o["paper_id"] == "janus-pro").unwrap();
    assert_eq!(janus["status"], "failed");
    assert!(janus["reason"].as_str().unwrap().contains("HTTP 404"));
    assert_eq!(out.status.code(), Some(1));
    let papers = json(&papertrail(dir.path(), &["papers", "--json"]));
    let v3 = papers.as_array().unwrap().iter().find(|p| p["id"] == "deepseek-v3").unwrap();
    assert_eq!(v3["versions"][0]["sha256"], "1392807ef6297deefc421cea6633af0b819e15a0b7a4a6b0adba4bccdf0ab273");
    // Downloading again is a no-op.
    let again = json(&papertrail(dir.path(), &["download", "--mirror", &base, "deepseek-v3", "--json"]));
    assert_eq!(again[0]["status"], "already_imported");
}

#[test]
fn a_download_with_the_wrong_checksum_is_not_imported() {
    let Some(corpus) = corpus() else { return };
    let base = serve(corpus, Some(("pdf/deepseek-r1.pdf", "versions/deepseek-r1-2025-01-20.pdf")));
    let dir = tempfile::tempdir().unwrap();
    let out = papertrail(dir.path(), &["download", "--mirror", &base, "deepseek-r1"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("checksum mismatch") && text.contains("f03fc7290a99"), "{text}");
    let papers = json(&papertrail(dir.path(), &["papers", "--json"]));
    assert!(papers.as_array().unwrap().iter().all(|p| p["versions"].as_array().unwrap().is_empty()));
    assert!(std::fs::read_dir(dir.path().join("tmp")).unwrap().next().is_none(), "temporary files left behind");
    let out = papertrail(dir.path(), &["download", "--mirror", &base, "no-such-paper"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown catalog paper `no-such-paper`"));
}
