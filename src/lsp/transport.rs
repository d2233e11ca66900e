//! Messages over stdin and stdout. `lsp-server`'s own stdio transport
//! stops reading at the first malformed message; this one reports it and
//! reads on, resynchronising on the next `Content-Length` header, so a
//! misbehaving client never takes the server down.

use std::io::{self, BufRead, Read, Write};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread;
use std::time::Duration;

use lsp_server::{Message, RequestId};

use super::Event;

/// No editor sends a 256 MiB document: a larger `Content-Length` is a
/// broken header, not a message to wait for.
const MAX_BODY: usize = 256 * 1024 * 1024;
const MAX_HEADER_LINE: u64 = 8 * 1024;

/// A message that could not be read, and the id to answer when it was a
/// request.
#[derive(Debug)]
pub struct Malformed {
    pub id: Option<RequestId>,
    pub reason: String,
}

/// The writing half: messages sent here go to stdout in order.
pub struct Writer {
    pub sender: Sender<Message>,
    done: Receiver<()>,
}

impl Writer {
    /// Stops accepting messages and waits (bounded) until the queued ones
    /// are written, so the last response is not lost at exit.
    pub fn finish(self, timeout: Duration) {
        drop(self.sender);
        let _ = self.done.recv_timeout(timeout);
    }
}

/// Starts the reader and writer threads over stdio. Read messages and the
/// end of input arrive on `events`.
pub fn stdio(events: Sender<Event>) -> io::Result<Writer> {
    let (sender, outgoing) = channel::<Message>();
    let (done_tx, done) = channel();
    let gone = events.clone();
    thread::Builder::new()
        .name("lsp-writer".into())
        .spawn(move || {
            let stdout = io::stdout();
            let mut out = stdout.lock();
            for msg in outgoing {
                if msg.write(&mut out).is_err() {
                    // The client closed its end.
                    let _ = gone.send(Event::ClientGone);
                    break;
                }
            }
            let _ = out.flush();
            let _ = done_tx.send(());
        })?;
    thread::Builder::new()
        .name("lsp-reader".into())
        .spawn(move || {
            let stdin = io::stdin();
            let mut input = stdin.lock();
            read_loop(&mut input, &events);
        })?;
    Ok(Writer { sender, done })
}

/// Reads until the end of input, the end of the event channel, or `exit`.
pub fn read_loop(input: &mut dyn BufRead, events: &Sender<Event>) {
    loop {
        let event = match read_message(input) {
            Ok(Some(Ok(msg))) => {
                let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
                if events.send(Event::Message(msg)).is_err() || exit {
                    return;
                }
                continue;
            }
            Ok(Some(Err(bad))) => Event::Malformed(bad),
            Ok(None) | Err(_) => Event::ClientGone,
        };
        let gone = matches!(event, Event::ClientGone);
        if events.send(event).is_err() || gone {
            return;
        }
    }
}

/// One message: `Ok(None)` at the end of input.
pub fn read_message(input: &mut dyn BufRead) -> io::Result<Option<Result<Message, Malformed>>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = input.take(MAX_HEADER_LINE).read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let header = text.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            match length.take() {
                Some(Ok(len)) => return read_body(input, len).map(Some),
                Some(Err(reason)) => {
                    return Ok(Some(Err(Malformed { id: None, reason })));
                }
                // A stray blank line between messages.
                None => continue,
            }
        }
        // Found anywhere on the line, so a header glued to the end of a
        // previous malformed body still starts the next message.
        let lower = header.to_ascii_lowercase();
        if let Some(i) = lower.rfind("content-length:") {
            let value = header
                .get(i + "content-length:".len()..)
                .unwrap_or("")
                .trim();
            length = Some(
                value
                    .parse::<usize>()
                    .map_err(|_| format!("invalid Content-Length header `{value}`")),
            );
        }
    }
}

fn read_body(input: &mut dyn BufRead, len: usize) -> io::Result<Result<Message, Malformed>> {
    if len > MAX_BODY {
        // Waiting for that many bytes would make the server deaf; what
        // follows is read as garbage until the next header.
        return Ok(Err(Malformed {
            id: None,
            reason: format!("Content-Length {len} is over the limit of {MAX_BODY} bytes; ignored"),
        }));
    }
    // Grown as bytes arrive: a lying length allocates nothing up front.
    let mut body = Vec::new();
    input.take(len as u64).read_to_end(&mut body)?;
    if body.len() < len {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return Ok(Err(Malformed {
                id: None,
                reason: format!("message is not JSON: {e}"),
            }));
        }
    };
    let id = value
        .get("method")
        .and(value.get("id"))
        .and_then(|id| serde_json::from_value::<RequestId>(id.clone()).ok());
    Ok(
        serde_json::from_value::<Message>(value).map_err(|e| Malformed {
            id,
            reason: format!("message is not a JSON-RPC request, response or notification: {e}"),
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn read_all(input: &str) -> Vec<Result<String, String>> {
        let mut r = io::BufReader::new(input.as_bytes());
        let mut out = Vec::new();
        while let Some(m) = read_message(&mut r).unwrap() {
            out.push(match m {
                Ok(Message::Request(r)) => Ok(r.method),
                Ok(Message::Notification(n)) => Ok(n.method),
                Ok(Message::Response(r)) => Ok(format!("response {}", r.id)),
                Err(bad) => Err(format!("{:?}", bad.id)),
            });
        }
        out
    }

    #[test]
    fn reads_on_after_malformed_messages() {
        let ok = frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#);
        let input = [
            frame("{not json"),
            "garbage line\r\n".to_owned(),
            frame(r#"{"jsonrpc":"2.0","id":7,"method":3}"#),
            "Content-Length: abc\r\n\r\n".to_owned(),
            ok.clone(),
            format!("{{junk}}{ok}"),
            frame(r#"{"jsonrpc":"2.0","id":1,"result":null}"#),
        ]
        .concat();
        assert_eq!(
            read_all(&input),
            [
                Err("None".to_owned()),
                Err("Some(RequestId(I32(7)))".to_owned()),
                Err("None".to_owned()),
                Ok("initialized".to_owned()),
                Ok("initialized".to_owned()),
                Ok("response 1".to_owned()),
            ]
        );
    }

    #[test]
    fn a_huge_content_length_is_not_waited_for() {
        let ok = frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#);
        let input = format!("Content-Length: 999999999999\r\n\r\n{{\"a\":1}}{ok}");
        assert_eq!(
            read_all(&input),
            [Err("None".to_owned()), Ok("initialized".to_owned())]
        );
    }

    #[test]
    fn end_of_input_mid_message_is_the_end() {
        let mut r = io::BufReader::new("Content-Length: 50\r\n\r\n{\"a\"".as_bytes());
        assert!(read_message(&mut r).is_err());
    }
}
