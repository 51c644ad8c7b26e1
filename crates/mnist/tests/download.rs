//! The download path, served by a small HTTP server on 127.0.0.1 (no internet).

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use vaelab_mnist::download::{DownloadConfig, Progress, ensure};
use vaelab_mnist::{
    Checksums, Dataset, DatasetKind, Encoding, MnistError, StandardFile, load_with, locate,
};

/// Status and body served for a path.
type Routes = HashMap<String, (u16, Vec<u8>)>;

/// A one-thread HTTP/1.1 server that answers each GET from `routes` (404
/// otherwise), closes every connection, and logs the paths requested.
struct Server {
    base: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(routes: Routes) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}/mnist/", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let served = Arc::clone(&log);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                answer(stream, &routes, &served);
            }
        });
        Server { base, log }
    }

    fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

fn answer(mut stream: TcpStream, routes: &Routes, log: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    reader.read_line(&mut request).unwrap();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap() == 0 || header == "\r\n" {
            break;
        }
    }
    let path = request.split_whitespace().nth(1).unwrap_or("").to_string();
    log.lock().unwrap().push(path.clone());
    let (status, body) = routes
        .get(&path)
        .cloned()
        .unwrap_or((404, b"not found".to_vec()));
    let head = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n",
        body.len()
    );
    // The client may hang up early on an error status; that is fine.
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(&body));
}

/// The four fixture files, gzip-compressed, under `/mnist/<name>.gz`.
fn good_routes(train: &Dataset, test: &Dataset) -> Routes {
    StandardFile::ALL
        .into_iter()
        .map(|f| {
            let data = if matches!(f, StandardFile::TrainImages | StandardFile::TrainLabels) {
                train
            } else {
                test
            };
            (
                format!("/mnist/{}", f.gz_name()),
                (200, common::encode(f, data, Encoding::Gzip)),
            )
        })
        .collect()
}

fn fixtures() -> (Dataset, Dataset, Checksums) {
    let (train, test) = (common::dataset(30), common::dataset(10));
    let table = common::fixture_checksums(&train, &test);
    (train, test, table)
}

fn config(mirrors: &[&str], table: &Checksums) -> DownloadConfig {
    DownloadConfig {
        mirrors: mirrors.iter().map(|m| m.to_string()).collect(),
        checksums: Some(table.clone()),
        connect_timeout: Duration::from_secs(5),
        read_timeout: Duration::from_secs(5),
        proxy_from_env: false,
    }
}

/// Runs `ensure` for the cache under `root`, returning the result and the events.
fn fetch(
    root: &Path,
    config: &DownloadConfig,
) -> (vaelab_mnist::Result<Vec<std::path::PathBuf>>, Vec<String>) {
    let location = locate(DatasetKind::Mnist, None, None, root);
    let mut events = Vec::new();
    let result = ensure(&location, config, &mut |p| {
        events.push(match p {
            Progress::Started { file, total, .. } => format!("start {file} {total:?}"),
            Progress::Advanced { .. } => "advance".into(),
            Progress::Finished { file, .. } => format!("done {file}"),
            Progress::Failed { file, .. } => format!("failed {file}"),
        });
    });
    (result, events)
}

#[test]
fn download_verifies_and_fills_the_cache_once() {
    let (train, test, table) = fixtures();
    let server = Server::start(good_routes(&train, &test));
    let root = tempfile::tempdir().unwrap();
    let config = config(&[&server.base], &table);
    let (result, events) = fetch(root.path(), &config);
    assert_eq!(result.unwrap().len(), 4);
    let cache = root.path().join("data/mnist");
    let names: Vec<String> = StandardFile::ALL.iter().map(|f| f.gz_name()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(
        common::entries(&cache),
        sorted,
        "four files and no temporaries"
    );
    let loaded = load_with(&cache, Some(&table)).unwrap();
    assert_eq!((loaded.train, loaded.test), (train, test));
    let size =
        good_routes(&common::dataset(30), &common::dataset(10))["/mnist/t10k-labels-idx1-ubyte.gz"]
            .1
            .len();
    assert!(
        events.contains(&format!("start t10k-labels-idx1-ubyte.gz Some({size})")),
        "{events:?}"
    );
    assert_eq!(events.iter().filter(|e| e.starts_with("done")).count(), 4);
    // A full cache is not downloaded again.
    let (again, _) = fetch(root.path(), &config);
    assert!(again.unwrap().is_empty());
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn corrupted_download_is_rejected_and_not_kept() {
    let (train, test, table) = fixtures();
    let mut routes = good_routes(&train, &test);
    // One label changed to another digit: structurally valid, wrong checksum.
    let mut labels = test.labels().to_vec();
    labels[0] = (labels[0] + 1) % 10;
    let mut bad = Vec::new();
    vaelab_mnist::idx::write_labels(&mut bad, Encoding::Gzip, &labels).unwrap();
    routes.insert("/mnist/t10k-labels-idx1-ubyte.gz".into(), (200, bad));
    let server = Server::start(routes);
    let root = tempfile::tempdir().unwrap();
    let (result, events) = fetch(root.path(), &config(&[&server.base], &table));
    let error = result.unwrap_err();
    assert!(
        matches!(error, MnistError::DownloadFailed { ref file, .. } if file == "t10k-labels-idx1-ubyte.gz"),
        "{error}"
    );
    assert!(error.to_string().contains("SHA-256"), "{error}");
    assert!(events.contains(&"failed t10k-labels-idx1-ubyte.gz".to_string()));
    let left = common::entries(&root.path().join("data/mnist"));
    assert_eq!(
        left,
        [
            "t10k-images-idx3-ubyte.gz",
            "train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz"
        ]
    );
}

#[test]
fn a_corrupt_first_mirror_falls_back_to_the_second() {
    let (train, test, table) = fixtures();
    let mut broken = good_routes(&train, &test);
    let truncated = broken["/mnist/train-images-idx3-ubyte.gz"].1[..40].to_vec();
    broken.insert("/mnist/train-images-idx3-ubyte.gz".into(), (200, truncated));
    let first = Server::start(broken);
    let second = Server::start(good_routes(&train, &test));
    let root = tempfile::tempdir().unwrap();
    let (result, _) = fetch(root.path(), &config(&[&first.base, &second.base], &table));
    result.unwrap();
    assert_eq!(second.requests(), ["/mnist/train-images-idx3-ubyte.gz"]);
    assert_eq!(first.requests().len(), 4);
    assert!(load_with(&root.path().join("data/mnist"), Some(&table)).is_ok());
}

#[test]
fn a_server_error_falls_back_to_the_second_mirror() {
    let (train, test, table) = fixtures();
    let failing: Routes = good_routes(&train, &test)
        .into_keys()
        .map(|k| (k, (500, b"oops".to_vec())))
        .collect();
    let first = Server::start(failing);
    let second = Server::start(good_routes(&train, &test));
    let root = tempfile::tempdir().unwrap();
    let (result, _) = fetch(root.path(), &config(&[&first.base, &second.base], &table));
    assert_eq!(result.unwrap().len(), 4);
    assert_eq!(first.requests().len(), 4);
    assert_eq!(second.requests().len(), 4);
}

#[test]
fn all_mirrors_failing_is_one_clear_error() {
    let (train, test, table) = fixtures();
    let failing: Routes = good_routes(&train, &test)
        .into_keys()
        .map(|k| (k, (500, b"oops".to_vec())))
        .collect();
    let first = Server::start(failing.clone());
    let second = Server::start(failing);
    let root = tempfile::tempdir().unwrap();
    let (result, _) = fetch(root.path(), &config(&[&first.base, &second.base], &table));
    let text = result.unwrap_err().to_string();
    assert!(text.contains("500"), "{text}");
    assert!(
        text.contains(&first.base) && text.contains(&second.base),
        "{text}"
    );
    assert!(
        text.contains("--data-dir") && text.contains("MNIST_DIR"),
        "{text}"
    );
    assert!(
        common::entries(&root.path().join("data/mnist")).is_empty(),
        "nothing kept"
    );
}

#[test]
fn offline_tells_where_to_put_the_files() {
    // A port that was just free: connecting to it is refused, as offline.
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/mnist/", listener.local_addr().unwrap())
    };
    let (_, _, table) = fixtures();
    let root = tempfile::tempdir().unwrap();
    let (result, _) = fetch(root.path(), &config(&[&closed], &table));
    let error = result.unwrap_err();
    assert!(
        matches!(error, MnistError::DownloadFailed { .. }),
        "{error}"
    );
    let text = error.to_string();
    assert!(
        text.contains("train-images-idx3-ubyte")
            && text.contains("--data-dir DIR or set MNIST_DIR=DIR"),
        "{text}"
    );
}

#[test]
fn a_directory_the_user_named_is_never_downloaded_into() {
    let (train, test, table) = fixtures();
    let server = Server::start(good_routes(&train, &test));
    let dir = tempfile::tempdir().unwrap();
    let location = locate(
        DatasetKind::Mnist,
        Some(dir.path()),
        None,
        Path::new("/unused"),
    );
    let error = ensure(&location, &config(&[&server.base], &table), &mut |_| {}).unwrap_err();
    assert!(matches!(error, MnistError::MissingFile { .. }), "{error}");
    assert!(server.requests().is_empty());
    assert!(common::entries(dir.path()).is_empty());
}

#[test]
fn plain_bytes_are_stored_under_the_plain_name() {
    // A server (or a transparent decompression) that hands out raw IDX bytes.
    let (train, test, table) = fixtures();
    let mut routes = good_routes(&train, &test);
    let raw = common::raw_bytes(StandardFile::TestImages, &train, &test);
    routes.insert("/mnist/t10k-images-idx3-ubyte.gz".into(), (200, raw));
    let server = Server::start(routes);
    let root = tempfile::tempdir().unwrap();
    let (result, _) = fetch(root.path(), &config(&[&server.base], &table));
    result.unwrap();
    let cache = root.path().join("data/mnist");
    assert!(common::entries(&cache).contains(&"t10k-images-idx3-ubyte".to_string()));
    assert_eq!(load_with(&cache, Some(&table)).unwrap().test, test);
}
