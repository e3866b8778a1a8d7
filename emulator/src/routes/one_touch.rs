//! One-touch login (an emailed link or a texted code; an unknown address or number gets a new
//! account) and smart login (an emailed link for a registered user). A link is clicked
//! (`GET /auth/email/onetouchlogin`, `/auth/email/smartlogin`), and the page that asked pings
//! with its client GUID: 1139 until the click, then the login, once.

use serde_json::{Map, Value, json};

use loginradius::codes;

use super::phone::{phone_in, send_sms, sms_refusal};
use super::{link, login_envelope, posted, user_mut, user_ref};
use crate::errors::ApiError;
use crate::extras::{ClientGuid, Fresh, OtpPurpose, fresh, set_phone_verified};
use crate::outbox::{OutboxMessage, kind};
use crate::request::{Ctx, str_ci};
use crate::state::{EmailEntry, PASSWORDLESS_TTL, Store, User};
use crate::times::iso;

super::routes! {
    POST "/identity/v2/auth/onetouchlogin/email", Key, one_touch_email;
    GET "/identity/v2/auth/email/onetouchlogin", Key, verify_one_touch_link;
    POST "/identity/v2/auth/onetouchlogin/phone", Key, one_touch_phone;
    PUT "/identity/v2/auth/onetouchlogin/phone/verify", Key, verify_one_touch_otp;
    GET "/identity/v2/auth/login/smartlogin", Key, smart_login;
    GET "/identity/v2/auth/email/smartlogin", Key, verify_smart_link;
    GET "/identity/v2/auth/login/smartlogin/ping", Key, ping;
}

/// A new account for a one-touch sign-up, with `Name` as its first name.
fn sign_up(ctx: &Ctx, store: &mut Store, body: &Map<String, Value>) -> User {
    let mut user = store.new_user(None, ctx.now);
    user.registration_source = "OneTouchLogin".into();
    if let Some(name) = str_ci(body, "name") {
        user.fields.insert("FirstName".into(), Value::String(name));
    }
    user
}

/// Records a request for `guid` (1136 when the GUID is already in use) and emails the link.
fn send_guid_link(
    ctx: &Ctx,
    store: &mut Store,
    one_touch: bool,
    guid: &str,
    uid: &str,
    to: &str,
) -> Result<(), ApiError> {
    if store.extras.client_guids.contains_key(guid) {
        return Err(ApiError::new(codes::CLIENT_GUID_NOT_UNIQUE));
    }
    let token = fresh(&mut store.ids, Fresh::Token);
    store.extras.client_guids.insert(
        guid.to_owned(),
        ClientGuid {
            one_touch,
            uid: uid.to_owned(),
            token: token.clone(),
            verified: false,
            expires: ctx.now + PASSWORDLESS_TTL,
        },
    );
    let (path, message_kind, vtype) = if one_touch {
        ("onetouchlogin", kind::ONE_TOUCH_LOGIN, "onetouchlogin")
    } else {
        ("smartlogin", kind::SMART_LOGIN, "smartlogin")
    };
    let url = match ctx.query.get("redirecturl") {
        Some(base) => link(base, vtype, &token),
        None => format!(
            "{}/identity/v2/auth/email/{path}?apikey={}&verificationtoken={token}",
            ctx.origin, ctx.state.config.api_key
        ),
    };
    ctx.state.outbox.push(OutboxMessage {
        kind: message_kind.to_owned(),
        to: to.to_owned(),
        token: Some(token),
        otp: None,
        link: Some(url),
        sent_at: iso(ctx.now),
    });
    Ok(())
}

/// `POST /auth/onetouchlogin/email` with `{"email", "clientguid", "name"}`.
fn one_touch_email(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let email = str_ci(&body, "email").ok_or_else(|| ApiError::new(codes::VALID_EMAIL_REQUIRED))?;
    if !email.contains('@') {
        return Err(ApiError::new(codes::VALID_EMAIL_REQUIRED));
    }
    let guid =
        str_ci(&body, "clientguid").ok_or_else(|| ApiError::new(codes::CLIENT_GUID_INVALID))?;
    let mut store = ctx.state.store();
    if store.extras.client_guids.contains_key(&guid) {
        return Err(ApiError::new(codes::CLIENT_GUID_NOT_UNIQUE));
    }
    let uid = match store.uid_by_email(&email) {
        Some(uid) => uid,
        None => {
            let mut user = sign_up(ctx, &mut store, &body);
            user.emails.push(EmailEntry::primary(&email));
            let uid = user.uid.clone();
            store.users.insert(uid.clone(), user);
            uid
        }
    };
    send_guid_link(ctx, &mut store, true, &guid, &uid, &email)?;
    Ok(posted())
}

/// `GET /auth/login/smartlogin?email=|username=&clientguid=`: 1023 / 938 when unknown.
fn smart_login(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let guid = ctx.required_query("clientguid", codes::CLIENT_GUID_INVALID)?;
    let mut store = ctx.state.store();
    let uid = if let Some(email) = ctx.query.get("email") {
        store
            .uid_by_email(email)
            .ok_or_else(|| ApiError::new(codes::EMAIL_NOT_FOUND))?
    } else if let Some(name) = ctx.query.get("username") {
        store
            .uid_by_username(name)
            .ok_or_else(|| ApiError::new(codes::USER_NOT_FOUND))?
    } else {
        return Err(ApiError::new(codes::EMAIL_OR_USERNAME_REQUIRED));
    };
    let to = user_ref(&store, &uid)?
        .primary_email()
        .map(str::to_owned)
        .ok_or_else(|| ApiError::new(codes::EMAIL_NOT_FOUND))?;
    send_guid_link(ctx, &mut store, false, &guid, &uid, &to)?;
    Ok(posted())
}

/// Marks the link clicked: 1063 unknown token, 975 expired, `used` when already clicked.
fn click(ctx: &Ctx, one_touch: bool, used: i64) -> Result<Value, ApiError> {
    let token = ctx.required_query("verificationtoken", codes::VERIFICATION_TOKEN_INVALID)?;
    let mut store = ctx.state.store();
    let entry = store
        .extras
        .client_guids
        .values_mut()
        .find(|g| g.token == token && g.one_touch == one_touch)
        .ok_or_else(|| ApiError::new(codes::VERIFICATION_TOKEN_INVALID))?;
    if entry.expires <= ctx.now {
        return Err(ApiError::new(codes::VERIFICATION_LINK_EXPIRED));
    }
    if entry.verified {
        return Err(ApiError::new(used));
    }
    entry.verified = true;
    let uid = entry.uid.clone();
    // Clicking the emailed link proves the address.
    user_mut(&mut store, &uid)?.email_verified = true;
    Ok(json!({ "IsPosted": true, "IsVerified": true }))
}

fn verify_one_touch_link(ctx: &mut Ctx) -> Result<Value, ApiError> {
    click(ctx, true, codes::ONE_TOUCH_LINK_USED)
}

fn verify_smart_link(ctx: &mut Ctx) -> Result<Value, ApiError> {
    click(ctx, false, codes::SMART_LINK_ALREADY_VERIFIED)
}

/// `GET /auth/login/smartlogin/ping?clientguid=`: 1140 unknown (or already signed in), 1139
/// while the link is not clicked, then the login.
fn ping(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let guid = ctx.required_query("clientguid", codes::CLIENT_GUID_INVALID)?;
    let mut store = ctx.state.store();
    let entry = store
        .extras
        .client_guids
        .get(&guid)
        .cloned()
        .ok_or_else(|| ApiError::new(codes::CLIENT_GUID_INVALID))?;
    if entry.expires <= ctx.now {
        store.extras.client_guids.remove(&guid);
        return Err(ApiError::new(codes::CLIENT_GUID_INVALID));
    }
    if !entry.verified {
        return Err(ApiError::new(codes::SMART_LINK_NOT_VERIFIED));
    }
    store.extras.client_guids.remove(&guid);
    if !user_ref(&store, &entry.uid)?.is_active {
        return Err(ApiError::new(codes::ACCOUNT_BLOCKED));
    }
    login_envelope(ctx, &mut store, &entry.uid)
}

/// `POST /auth/onetouchlogin/phone` with `{"phone", "name"}`: texts a code (a new number gets a
/// new account).
fn one_touch_phone(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let phone = phone_in(&body, "phone")?;
    let mut store = ctx.state.store();
    let uid = match store.uid_by_phone(&phone) {
        Some(uid) => uid,
        None => {
            let mut user = sign_up(ctx, &mut store, &body);
            user.phone_id = Some(phone.clone());
            let uid = user.uid.clone();
            store.users.insert(uid.clone(), user);
            uid
        }
    };
    send_sms(
        ctx,
        &mut store,
        OtpPurpose::OneTouch,
        kind::SMS_ONE_TOUCH_LOGIN,
        &uid,
        &phone,
    );
    Ok(posted())
}

/// `PUT /auth/onetouchlogin/phone/verify?otp=` with `{"phone"}`: 1067 / 1069, then the login
/// (the code proves the number).
fn verify_one_touch_otp(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let phone = phone_in(&body, "phone")?;
    let otp = ctx
        .query
        .get("otp")
        .map(str::to_owned)
        .or_else(|| str_ci(&body, "otp"))
        .ok_or_else(|| ApiError::validation("otp", "The otp field is required."))?;
    let mut store = ctx.state.store();
    let uid = store
        .uid_by_phone(&phone)
        .ok_or_else(|| ApiError::new(codes::PHONE_NOT_REGISTERED))?;
    store
        .extras
        .consume_otp(
            OtpPurpose::OneTouch,
            |o| o.uid == uid && o.to == phone,
            &otp,
            ctx.now,
        )
        .map_err(sms_refusal)?;
    let user = user_mut(&mut store, &uid)?;
    if !user.is_active {
        return Err(ApiError::new(codes::ACCOUNT_BLOCKED));
    }
    set_phone_verified(user, true);
    login_envelope(ctx, &mut store, &uid)
}
