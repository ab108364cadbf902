//! The messages' wire format: postcard, the files' bytes as parts of their own.

use super::*;

thread_local! {
    /// The parts of the message being encoded, after its body: they travel beside it (see
    /// [`Postcard`]), never inside it.
    static OUT: std::cell::RefCell<Vec<Part>> = const { std::cell::RefCell::new(Vec::new()) };
    /// The parts of the message being decoded, after its body: bytes, or a file held unread
    /// (its handle), or why a file is not there.
    static SIDE: std::cell::RefCell<Vec<Content>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A part of a message: its body (bytes), or a file after it, shared with the page's state
/// until it is copied into the message (once) or handed over as the browser's `File`.
#[derive(Debug)]
pub enum Part {
    File(Rc<GivenFile>),
    Bytes(Vec<u8>),
}

impl Part {
    /// The part's bytes (none for a file held as a handle, see [`Part::handle`]).
    pub fn bytes(&self) -> &[u8] {
        match self {
            Part::File(f) => match &f.content {
                Content::Bytes(b) => b,
                Content::Handle(_) | Content::Unreadable(_) => &[],
            },
            Part::Bytes(b) => b,
        }
    }

    /// The handle of a file the page did not read ([`Content::Handle`]).
    pub fn handle(&self) -> Option<u32> {
        match self {
            Part::File(f) => match f.content {
                Content::Handle(h) => Some(h),
                _ => None,
            },
            Part::Bytes(_) => None,
        }
    }

    /// Add a part to the message being encoded; its index among the parts after the body.
    fn push(self) -> usize {
        OUT.with_borrow_mut(|out| {
            out.push(self);
            out.len() - 1
        })
    }

    /// Take a part of the message being decoded.
    fn take(i: usize) -> Option<Content> {
        SIDE.with_borrow_mut(|side| {
            side.get_mut(i)
                .map(|p| std::mem::replace(p, Content::Bytes(Vec::new())))
        })
    }
}

/// Files as `(name, index)` pairs in the body; the file is part `index + 1` of the message.
pub(super) mod wire_files {
    use std::rc::Rc;

    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{GivenFile, Part};

    pub fn serialize<S: Serializer>(
        files: &Option<Vec<Rc<GivenFile>>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        files
            .as_ref()
            .map(|fs| {
                fs.iter()
                    .map(|f| (f.name.as_str(), Part::File(Rc::clone(f)).push()))
                    .collect::<Vec<_>>()
            })
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Vec<Rc<GivenFile>>>, D::Error> {
        let pairs: Option<Vec<(String, usize)>> = Deserialize::deserialize(d)?;
        pairs
            .map(|fs| {
                fs.into_iter()
                    .map(|(name, i)| {
                        Part::take(i)
                            .map(|content| Rc::new(GivenFile { name, content }))
                            .ok_or_else(|| D::Error::custom(format!("no part {i}")))
                    })
                    .collect()
            })
            .transpose()
    }
}

/// A message as parts: its body in postcard (every field kept, see [`crate::engine::omit`]),
/// then each file it carries.
pub fn to_parts<I: Serialize>(input: &I) -> Result<Vec<Part>, String> {
    OUT.with_borrow_mut(Vec::clear);
    let body =
        omit::keeping_every_field(|| postcard::to_allocvec(input)).map_err(|e| e.to_string());
    let rest = OUT.with_borrow_mut(std::mem::take);
    let mut parts = vec![Part::Bytes(body?)];
    parts.extend(rest);
    Ok(parts)
}

/// The message back from its parts.
pub fn from_parts<O: for<'de> Deserialize<'de>>(parts: Vec<Vec<u8>>) -> Result<O, String> {
    from_read_parts(parts.into_iter().map(Content::Bytes).collect())
}

/// The message back from its parts as received: a file may be held unread (in the worker) or
/// missing. A message whose body is empty is one that could not be encoded: its second part
/// says why (no message encodes to nothing: each is an enum or has fields).
pub fn from_read_parts<O: for<'de> Deserialize<'de>>(mut parts: Vec<Content>) -> Result<O, String> {
    if parts.is_empty() {
        return Err("an empty message".into());
    }
    let Content::Bytes(body) = parts.remove(0) else {
        return Err("a message without its body".into());
    };
    if body.is_empty() {
        return Err(match parts.first() {
            Some(Content::Bytes(why)) => {
                format!(
                    "the message could not be encoded: {}",
                    String::from_utf8_lossy(why)
                )
            }
            _ => "an empty message".into(),
        });
    }
    SIDE.with_borrow_mut(|side| *side = parts);
    let out = postcard::from_bytes(&body).map_err(|e| e.to_string());
    SIDE.with_borrow_mut(Vec::clear);
    out
}

/// The wire between the page and the worker: an array of `Uint8Array`s, the message in
/// postcard, then each file it carries (a request: the browser's `File` for a file the page
/// holds as a handle, which the worker reads, else its bytes). Bytes, not JS strings: a
/// 100k-user answer is tens of MB, and a string would be converted to UTF-16 and back on each
/// side; files beside the message, not copied into it.
#[derive(Debug)]
pub struct Postcard;

impl Codec for Postcard {
    fn encode<I: Serialize>(input: I) -> JsValue {
        let parts = to_parts(&input)
            .unwrap_or_else(|e| vec![Part::Bytes(Vec::new()), Part::Bytes(e.into_bytes())]);
        let array = js_sys::Array::new();
        for p in &parts {
            match p.handle() {
                Some(h) => array.push(&crate::app::io::given_file(h)),
                None => array.push(&js_sys::Uint8Array::from(p.bytes())),
            };
        }
        array.into()
    }

    fn decode<O: for<'de> Deserialize<'de>>(input: JsValue) -> O {
        let parts: Vec<Content> = js_sys::Array::from(&input)
            .iter()
            .map(|p| crate::app::io::receive_part(&p))
            .collect();
        match from_read_parts(parts) {
            Ok(v) => v,
            // A message we sent ourselves always decodes; anything else is a programming error.
            Err(e) => panic!("worker message does not decode: {e}"),
        }
    }
}
