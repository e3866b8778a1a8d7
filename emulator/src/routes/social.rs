//! Social sign-in through the emulated providers (`/emulator/social/{provider}`): the native
//! exchanges of a provider token or code, the web flow's request-token exchange, sign-in by
//! ping, linking and unlinking social identities, and the verification email of a social
//! account. A provider identity signs in the account it is linked to, or a new account; an
//! unlinked identity whose email already belongs to an account is refused (1033) until that
//! account links it.

use serde_json::{Value, json};

use loginradius::codes;

use super::{deleted, login_envelope, posted, send_verification, user_mut, user_ref};
use crate::errors::ApiError;
use crate::extras::ProviderGrant;
use crate::request::{Ctx, str_ci};
use crate::state::{EmailEntry, Store, User};
use crate::times::iso;

super::routes! {
    GET "/api/v2/access_token", SecretOnly, exchange_request_token;
    GET "/api/v2/access_token/facebook", Key, facebook;
    GET "/api/v2/access_token/twitter", Key, twitter;
    GET "/api/v2/access_token/google", Key, google;
    GET "/api/v2/access_token/googlejwt", Key, google_id_token;
    GET "/api/v2/access_token/linkedin", Key, linkedin;
    GET "/api/v2/access_token/foursquare", Key, foursquare;
    GET "/api/v2/access_token/apple", Key, apple;
    GET "/api/v2/access_token/wechat", Key, wechat;
    GET "/api/v2/access_token/jwt", Key, custom_jwt;
    GET "/identity/v2/auth/account/ping", Key, ping;
    POST "/identity/v2/auth/socialidentity", Bearer, link;
    DELETE "/identity/v2/auth/socialidentity", Bearer, unlink;
    GET "/identity/v2/auth/email/sendverificationemail", Bearer, send_verification_email;
}

/// The identities of `user` (`Identities`: `[{"Provider", "ID", "Email", "FullName"}]`).
fn identities(user: &User) -> Vec<Value> {
    user.fields
        .get("Identities")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn same_identity(identity: &Value, provider: &str, provider_id: &str) -> bool {
    identity["Provider"]
        .as_str()
        .is_some_and(|p| p.eq_ignore_ascii_case(provider))
        && identity["ID"] == provider_id
}

/// The account `grant`'s identity is linked to.
fn linked_uid(store: &Store, grant: &ProviderGrant) -> Option<String> {
    store
        .users
        .values()
        .find(|u| {
            identities(u)
                .iter()
                .any(|i| same_identity(i, &grant.provider, &grant.provider_id))
        })
        .map(|u| u.uid.clone())
}

fn identity_json(grant: &ProviderGrant) -> Value {
    json!({
        "Provider": grant.provider,
        "ID": grant.provider_id,
        "Email": grant.email.as_ref().map(|e| vec![json!({ "Type": "Primary", "Value": e })]),
        "FullName": grant.name,
    })
}

/// The account `grant` signs in: the linked one, or a new one; 1033 when its email belongs to
/// an account that has not linked it.
fn account_for(ctx: &Ctx, store: &mut Store, grant: &ProviderGrant) -> Result<String, ApiError> {
    if let Some(uid) = linked_uid(store, grant) {
        return Ok(uid);
    }
    if let Some(email) = &grant.email
        && store.uid_by_email(email).is_some()
    {
        return Err(ApiError::new(codes::SOCIAL_EMAIL_IN_USE));
    }
    let mut user = store.new_user(None, ctx.now);
    user.registration_source = grant.provider.clone();
    if let Some(email) = &grant.email {
        user.emails.push(EmailEntry::primary(email));
        user.email_verified = true;
    }
    if let Some(name) = &grant.name {
        user.fields
            .insert("FullName".into(), Value::String(name.clone()));
    }
    user.fields
        .insert("Identities".into(), json!([identity_json(grant)]));
    let uid = user.uid.clone();
    store.users.insert(uid.clone(), user);
    Ok(uid)
}

/// A live grant of `provider` named by `token` (request tokens are spent). 929 when missing,
/// 1000 when the emulated provider never issued it (or issued it for another provider).
fn take_grant(
    ctx: &Ctx,
    store: &mut Store,
    token: Option<&str>,
    provider: Option<&str>,
    request_token: bool,
) -> Result<ProviderGrant, ApiError> {
    let token = token.ok_or_else(|| ApiError::new(codes::PROVIDER_TOKEN_MISSING))?;
    let refused = || {
        ApiError::new(codes::PROVIDER_ERROR)
            .with_description("The emulated provider did not issue this token, or it has expired.")
    };
    let grant = store
        .extras
        .provider_grants
        .get(token)
        .filter(|g| g.request_token == request_token)
        .filter(|g| provider.is_none_or(|p| g.provider == p))
        .cloned()
        .ok_or_else(refused)?;
    if request_token || grant.expires <= ctx.now {
        store.extras.provider_grants.remove(token);
    }
    if grant.expires <= ctx.now {
        return Err(refused());
    }
    Ok(grant)
}

/// Signs in with a provider token: `{access_token, refresh_token, expires_in}`.
fn sign_in(ctx: &Ctx, token: Option<&str>, provider: &str) -> Result<Value, ApiError> {
    let mut store = ctx.state.store();
    let grant = take_grant(ctx, &mut store, token, Some(provider), false)?;
    tokens_for(ctx, &mut store, &grant)
}

fn tokens_for(ctx: &Ctx, store: &mut Store, grant: &ProviderGrant) -> Result<Value, ApiError> {
    let uid = account_for(ctx, store, grant)?;
    let user = user_mut(store, &uid)?;
    if !user.is_active {
        return Err(ApiError::new(codes::ACCOUNT_BLOCKED));
    }
    user.no_of_logins += 1;
    user.last_login = Some(ctx.now);
    let (access, refresh, expires) = store.issue_session(&uid, ctx.now, ctx.state.token_ttl());
    Ok(json!({ "access_token": access, "refresh_token": refresh, "expires_in": iso(expires) }))
}

fn exchange_request_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let mut store = ctx.state.store();
    let grant = take_grant(ctx, &mut store, ctx.query.get("token"), None, true)?;
    tokens_for(ctx, &mut store, &grant)
}

fn facebook(ctx: &mut Ctx) -> Result<Value, ApiError> {
    sign_in(ctx, ctx.query.get("fb_access_token"), "facebook")
}

/// Twitter needs the token secret too (930 when missing).
fn twitter(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let token = ctx.query.get("tw_access_token");
    if token.is_some() && ctx.query.get("tw_token_secret").is_none() {
        return Err(ApiError::new(codes::PROVIDER_TOKEN_SECRET_MISSING));
    }
    sign_in(ctx, token, "twitter")
}

/// A Google access token, or an authorization code (`google_authcode`).
fn google(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let token = ctx
        .query
        .get("google_access_token")
        .or_else(|| ctx.query.get("google_authcode"));
    sign_in(ctx, token, "google")
}

fn google_id_token(ctx: &mut Ctx) -> Result<Value, ApiError> {
    sign_in(ctx, ctx.query.get("id_token"), "google")
}

fn linkedin(ctx: &mut Ctx) -> Result<Value, ApiError> {
    sign_in(ctx, ctx.query.get("ln_access_token"), "linkedin")
}

fn foursquare(ctx: &mut Ctx) -> Result<Value, ApiError> {
    sign_in(ctx, ctx.query.get("fs_access_token"), "foursquare")
}

fn apple(ctx: &mut Ctx) -> Result<Value, ApiError> {
    sign_in(ctx, ctx.query.get("code"), "apple")
}

fn wechat(ctx: &mut Ctx) -> Result<Value, ApiError> {
    sign_in(ctx, ctx.query.get("code"), "wechat")
}

/// A custom JWT of the provider `providername` (1078 when missing or malformed).
fn custom_jwt(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let provider = ctx
        .query
        .get("providername")
        .map(str::to_ascii_lowercase)
        .filter(|p| crate::social_page::valid_provider(p))
        .ok_or_else(|| ApiError::new(codes::PROVIDER_INVALID))?;
    sign_in(ctx, ctx.query.get("id_token"), &provider)
}

/// `GET /auth/account/ping?clientguid=`: the social sign-in the provider page completed for
/// that GUID, once (1140 otherwise).
fn ping(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let guid = ctx.required_query("clientguid", codes::CLIENT_GUID_INVALID)?;
    let mut store = ctx.state.store();
    let grant = store
        .extras
        .ping_grants
        .remove(&guid)
        .filter(|g| g.expires > ctx.now)
        .ok_or_else(|| ApiError::new(codes::CLIENT_GUID_INVALID))?;
    let uid = account_for(ctx, &mut store, &grant)?;
    if !user_ref(&store, &uid)?.is_active {
        return Err(ApiError::new(codes::ACCOUNT_BLOCKED));
    }
    login_envelope(ctx, &mut store, &uid)
}

/// `POST /auth/socialidentity` with `{"candidateToken"}` (a token of the emulated provider) or
/// `{"clientGuid"}` (a provider sign-in waiting for a ping): links that identity to the user.
/// 986 when it is linked to another account.
fn link(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    let body = ctx.body()?;
    let mut store = ctx.state.store();
    let grant = if let Some(guid) = str_ci(&body, "clientGuid") {
        store
            .extras
            .ping_grants
            .remove(&guid)
            .filter(|g| g.expires > ctx.now)
            .ok_or_else(|| ApiError::new(codes::CLIENT_GUID_INVALID))?
    } else {
        let token = str_ci(&body, "candidateToken");
        match take_grant(ctx, &mut store, token.as_deref(), None, false) {
            Ok(g) => g,
            Err(_) => take_grant(ctx, &mut store, token.as_deref(), None, true)?,
        }
    };
    if linked_uid(&store, &grant).is_some() {
        return Err(ApiError::new(codes::ACCOUNT_ALREADY_LINKED));
    }
    let user = user_mut(&mut store, &uid)?;
    let mut list = identities(user);
    list.push(identity_json(&grant));
    user.fields.insert("Identities".into(), Value::Array(list));
    user.modified = ctx.now;
    Ok(posted())
}

/// `DELETE /auth/socialidentity` with `{"provider", "providerId"}`: 1065 when the user has no
/// such identity.
fn unlink(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    let body = ctx.body()?;
    let provider =
        str_ci(&body, "provider").ok_or_else(|| ApiError::new(codes::PROVIDER_ID_INVALID))?;
    let provider_id =
        str_ci(&body, "providerId").ok_or_else(|| ApiError::new(codes::PROVIDER_ID_INVALID))?;
    let mut store = ctx.state.store();
    let user = user_mut(&mut store, &uid)?;
    let mut list = identities(user);
    let before = list.len();
    list.retain(|i| !same_identity(i, &provider, &provider_id));
    if list.len() == before {
        return Err(ApiError::new(codes::PROVIDER_ID_INVALID));
    }
    user.fields.insert("Identities".into(), Value::Array(list));
    user.modified = ctx.now;
    Ok(deleted())
}

/// `GET /auth/email/sendverificationemail?clientguid=`: emails a verification link to the
/// account's address; 1025 when it is verified already, 1023 when it has none.
fn send_verification_email(ctx: &mut Ctx) -> Result<Value, ApiError> {
    let uid = ctx.user_uid()?;
    let mut store = ctx.state.store();
    let user = user_ref(&store, &uid)?;
    let email = user
        .primary_email()
        .map(str::to_owned)
        .ok_or_else(|| ApiError::new(codes::EMAIL_NOT_FOUND))?;
    if user.email_verified {
        return Err(ApiError::new(codes::EMAIL_ALREADY_VERIFIED));
    }
    send_verification(ctx, &mut store, &uid, &email);
    Ok(posted())
}
