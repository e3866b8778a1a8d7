//! QR codes of `otpauth://` URIs, rendered locally as SVG so that a TOTP seed is never sent to a
//! third-party QR service.

use std::fmt::Write as _;

use base64::Engine as _;
use qrcodegen::{QrCode, QrCodeEcc};

/// The quiet zone around the code, in modules (the QR specification's minimum).
const BORDER: i32 = 4;

/// An SVG image (200 × 200 by default, black on white) of a QR code of `text`, or `None` when
/// `text` is too long for a QR code.
///
/// ```
/// let svg = loginradius::web::qr_svg("otpauth://totp/a%40example.com?secret=JBSWY3DP").unwrap();
/// assert!(svg.starts_with("<svg") && svg.contains("<path"));
/// ```
pub fn qr_svg(text: &str) -> Option<String> {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                // Writing to a `String` cannot fail.
                let _ = write!(path, "M{},{}h1v1h-1z", x + BORDER, y + BORDER);
            }
        }
    }
    let size = qr.size() + BORDER * 2;
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"200\" height=\"200\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

/// [`qr_svg`] as a `data:image/svg+xml;base64,…` URI, for an `<img src>` or a JSON body.
///
/// ```
/// let uri = loginradius::web::qr_svg_data_uri("otpauth://totp/x?secret=JBSWY3DP").unwrap();
/// assert!(uri.starts_with("data:image/svg+xml;base64,"));
/// ```
pub fn qr_svg_data_uri(text: &str) -> Option<String> {
    let svg = qr_svg(text)?;
    Some(format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_uri_is_the_svg_in_base64() {
        let text = "otpauth://totp/a@b.c?secret=ABC&issuer=x";
        let uri = qr_svg_data_uri(text).unwrap();
        let encoded = uri.strip_prefix("data:image/svg+xml;base64,").unwrap();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap();
        assert_eq!(String::from_utf8(decoded).unwrap(), qr_svg(text).unwrap());
        // Other text, another code.
        assert_ne!(qr_svg("x").unwrap(), qr_svg(text).unwrap());
    }

    #[test]
    fn text_too_long_for_a_qr_code_is_none() {
        assert!(qr_svg(&"a".repeat(8000)).is_none());
        assert!(qr_svg_data_uri(&"a".repeat(8000)).is_none());
    }
}
