//! Reading a flow's input from a request body: JSON (`Content-Type: application/json`) or an
//! HTML form (`application/x-www-form-urlencoded`), chosen by the `Content-Type`. Both
//! adapters read their bodies with [`read_input`], so JSON and forms follow the same rules in
//! axum and actix.

use http::HeaderMap;
use http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

use super::FlowResponse;

/// How a body was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// `application/json` (or `application/*+json`): an API client or a script. It gets JSON
    /// answers.
    Json,
    /// `application/x-www-form-urlencoded`: an HTML form. A successful sign-in answers
    /// `303 See Other` to the form's `next` (see [`FlowResponse::for_form`]).
    Form,
}

/// A flow's input and how it was sent.
#[derive(Debug, Clone)]
pub struct Submitted<T> {
    /// The input.
    pub input: T,
    /// How it was sent.
    pub format: BodyFormat,
}

/// An input a sign-in form submits, with the same-site path it asks to go to once signed in:
/// the adapters answer its form submissions with [`FlowResponse::for_form`].
pub trait SignInForm {
    /// Its `next` field.
    fn next(&self) -> Option<&str>;
}

/// The format of a request by its `Content-Type` (parameters such as `charset` ignored),
/// `None` for anything else (no `Content-Type`, `text/plain`, `multipart/form-data`, …).
pub fn body_format(headers: &HeaderMap) -> Option<BodyFormat> {
    let value = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    let essence = value.split(';').next()?.trim().to_ascii_lowercase();
    if essence == "application/x-www-form-urlencoded" {
        return Some(BodyFormat::Form);
    }
    let (kind, sub) = essence.split_once('/')?;
    (kind == "application" && (sub == "json" || sub.ends_with("+json"))).then_some(BodyFormat::Json)
}

/// The input `T` of a request with `headers` and `body`, as JSON or a form by its
/// `Content-Type`. Anything else (another or no `Content-Type`, a body that does not decode,
/// a field missing or of the wrong type) is 400 `invalid_input`
/// ([`FlowResponse::invalid_body`]), before any flow runs.
pub fn read_input<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Submitted<T>, FlowResponse> {
    let format = body_format(headers).ok_or_else(FlowResponse::invalid_body)?;
    let input = match format {
        BodyFormat::Json => serde_json::from_slice(body).ok(),
        BodyFormat::Form => serde_urlencoded::from_bytes(body).ok(),
    };
    input
        .map(|input| Submitted { input, format })
        .ok_or_else(FlowResponse::invalid_body)
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;
    use crate::web::LoginInput;

    fn typed(content_type: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap());
        headers
    }

    #[test]
    fn json_and_forms_by_content_type() {
        let json = typed("application/json; charset=utf-8");
        let read: Submitted<LoginInput> =
            read_input(&json, br#"{"email":"a@example.com","password":"pw"}"#).unwrap();
        assert_eq!(
            (read.format, read.input.email.as_str()),
            (BodyFormat::Json, "a@example.com")
        );
        assert_eq!(read.input.next, None);
        let form = typed("application/x-www-form-urlencoded");
        let read: Submitted<LoginInput> = read_input(
            &form,
            b"email=a%40example.com&password=pw&next=%2Fadmin%3Fx%3D1",
        )
        .unwrap();
        assert_eq!(read.format, BodyFormat::Form);
        assert_eq!(read.input.email, "a@example.com");
        assert_eq!(read.input.password.expose(), "pw");
        assert_eq!(read.input.next.as_deref(), Some("/admin?x=1"));
        assert_eq!(
            body_format(&typed("application/problem+json")),
            Some(BodyFormat::Json)
        );
    }

    #[test]
    fn other_or_missing_content_types_and_bad_bodies_are_invalid_input() {
        for (headers, body) in [
            (
                HeaderMap::new(),
                &br#"{"email":"a@example.com","password":"pw"}"#[..],
            ),
            (
                typed("text/plain"),
                br#"{"email":"a@example.com","password":"pw"}"#,
            ),
            (typed("multipart/form-data; boundary=x"), b"--x--"),
            (typed("application/json"), b"email=a&password=b"),
            (
                typed("application/x-www-form-urlencoded"),
                b"email=a%40example.com",
            ),
        ] {
            let err = read_input::<LoginInput>(&headers, body).unwrap_err();
            assert_eq!(err, FlowResponse::invalid_body());
        }
    }

    #[test]
    fn a_form_sign_in_redirects_to_a_safe_next_and_json_keeps_its_answer() {
        use http::StatusCode;
        use http::header::LOCATION;
        use serde_json::json;

        let signed_in = || FlowResponse::ok(json!({"signed_in": true, "uid": "u-1"}));
        let r = signed_in().for_form(BodyFormat::Form, Some("/admin?x=1"));
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.headers()[LOCATION], "/admin?x=1");
        for unsafe_next in [
            Some("//evil.example/"),
            Some("https://evil.example/"),
            Some("/\\evil"),
            Some("x"),
            None,
        ] {
            let r = signed_in().for_form(BodyFormat::Form, unsafe_next);
            assert_eq!(
                (r.status, &r.headers()[LOCATION]),
                (StatusCode::SEE_OTHER, &"/".parse::<HeaderValue>().unwrap()),
                "{unsafe_next:?}"
            );
        }
        let json = signed_in().for_form(BodyFormat::Json, Some("/admin"));
        assert_eq!(json, signed_in());
        assert!(!json.headers().contains_key(LOCATION));
        let mfa = FlowResponse::ok(json!({"mfa_required": true}));
        assert_eq!(mfa.clone().for_form(BodyFormat::Form, Some("/admin")), mfa);
        let refused = FlowResponse::error(StatusCode::UNAUTHORIZED, "invalid_credentials", "no");
        assert_eq!(
            refused.clone().for_form(BodyFormat::Form, Some("/admin")),
            refused
        );
    }
}
