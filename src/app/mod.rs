//! The Yew single-page app (feature `web`).
