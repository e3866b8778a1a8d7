#!/usr/bin/env python3
"""Runs the official LoginRadius Python SDK (PyPI `loginradius-v2`, module `LoginRadius`),
unchanged, against the LoginRadius emulator through the SDK's custom-domain setting.

Flows: registration with a SOTT and email verification through the emulator outbox, login,
profile, consent (submit, verify, update, logs), MFA login with an authenticator (TOTP) code,
phone registration, SMS-code verification and phone login, an email one-time code as the second
factor, PIN (set, then log in with it) on a PIN-login emulator, consent at sign-in (error 1226
with a ConsentToken, submitted with the token) on an emulator that asks for it, roles (create, assign, get), and
signed `/manage` calls (API_REQUEST_SIGNING = True) against an emulator that requires signing.
One-time codes are read from the emulator outbox (`GET /emulator/outbox`, field `otp`).

Every result is asserted; the script exits non-zero on the first failure.

Driven by `tests/tests/python_sdk.rs`, which starts the emulators and passes:
  --base-url / LOGINRADIUS_BASE_URL                  emulator (email verification required,
                                                     MFA optional)
  --signing-base-url / LOGINRADIUS_SIGNING_BASE_URL  emulator that requires request signing
  --pin-base-url / LOGINRADIUS_PIN_BASE_URL          emulator with PIN login
  --pin-email / LOGINRADIUS_PIN_EMAIL                a verified user of the PIN emulator
  --consent-base-url / LOGINRADIUS_CONSENT_BASE_URL  emulator that asks for consent at sign-in
  --consent-email / LOGINRADIUS_CONSENT_EMAIL        a verified user of that emulator
  --api-key / LOGINRADIUS_API_KEY, --api-secret / LOGINRADIUS_API_SECRET  (same for both)
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import struct
import sys
import time
import traceback
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import requests
from LoginRadius import LoginRadius

PASSWORD = "correct-horse-1"


class FlowFailed(Exception):
    pass


def step(title):
    print(f"==> {title}", flush=True)


def ok(result, what):
    """`result` is a successful SDK answer (a dict without `ErrorCode`); returns it."""
    if not isinstance(result, dict):
        raise FlowFailed(f"{what}: expected a JSON object, got {result!r}")
    if result.get("ErrorCode") is not None:
        raise FlowFailed(f"{what}: LoginRadius error {json.dumps(result)}")
    print(f"    ok: {what}", flush=True)
    return result


def error(result, code, what):
    """`result` is the LoginRadius error envelope with `code`."""
    if not isinstance(result, dict) or result.get("ErrorCode") != code:
        raise FlowFailed(f"{what}: expected error {code}, got {json.dumps(result)}")
    for key in ("Message", "Description"):
        if not result.get(key):
            raise FlowFailed(f"{what}: the error envelope has no {key}: {json.dumps(result)}")
    print(f"    ok: {what} (error {code})", flush=True)
    return result


def check(condition, what):
    if not condition:
        raise FlowFailed(what)


def sdk(base_url, api_key, api_secret, signing=False):
    """A configured SDK instance. The SDK reads its settings from class attributes when an
    instance is made (CUSTOM_DOMAIN) or a request is sent (API_REQUEST_SIGNING)."""
    LoginRadius.API_KEY = api_key
    LoginRadius.API_SECRET = api_secret
    # The SDK appends paths such as "identity/v2/auth/login" to it: it must end with "/".
    LoginRadius.CUSTOM_DOMAIN = base_url.rstrip("/") + "/"
    LoginRadius.API_REQUEST_SIGNING = signing
    return LoginRadius()


def totp(manual_entry_code, at=None):
    """RFC 6238: HMAC-SHA1, 30-second steps, 6 digits, from the Base32 ManualEntryCode."""
    secret = manual_entry_code.strip().replace(" ", "").upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def outbox_token(base_url, to, kind):
    """The token of the newest emulator outbox message of `kind` to `to`."""
    answer = requests.get(base_url.rstrip("/") + "/emulator/outbox", timeout=10)
    answer.raise_for_status()
    messages = [m for m in answer.json()["messages"] if m["to"].lower() == to.lower() and m["type"] == kind]
    check(messages, f"no {kind} message to {to} in the outbox")
    check(messages[-1].get("token"), f"the {kind} message carries a token")
    return messages[-1]["token"]


def outbox_otp(base_url, to, kind):
    """The one-time code (`otp`) of the newest emulator outbox message of `kind` to `to`."""
    answer = requests.get(base_url.rstrip("/") + "/emulator/outbox", timeout=10)
    answer.raise_for_status()
    messages = [m for m in answer.json()["messages"] if m["to"].lower() == to.lower() and m["type"] == kind]
    check(messages, f"no {kind} message to {to} in the outbox")
    code = messages[-1].get("otp")
    check(code and code.isdigit(), f"the {kind} message carries a numeric code")
    return code


def other_code(code):
    """A code of the same length that is not `code`."""
    return f"{(int(code) + 1) % 10 ** len(code):0{len(code)}d}"


def sott_window(minutes=10):
    """A correct SOTT window: 24-hour UTC, `yyyy/MM/dd HH:mm:ss`."""
    now = datetime.now(timezone.utc) - timedelta(minutes=1)
    fmt = "%Y/%m/%d %H:%M:%S"
    return now.strftime(fmt), (now + timedelta(minutes=minutes)).strftime(fmt)


def registration_flow(lr, base_url, email):
    step(f"registration of {email} with a server-side SOTT, then email verification")
    # The SOTT comes from the SDK's server-side generator (GET /identity/v2/manage/account/sott).
    # The SDK's local lr.get_sott() is not used with its defaults: it writes the window with a
    # 12-hour clock ("%I") and no AM/PM, which is wrong in the afternoon (UTC).
    issued = ok(lr.sott.generate_sott(10), "sott.generate_sott")
    check("*" in issued.get("Sott", ""), "the SOTT is cipher*md5")
    check(issued.get("ExpiryTime"), "the SOTT answer has its ExpiryTime")
    user = {
        "Email": [{"Type": "Primary", "Value": email}],
        "Password": PASSWORD,
        "FirstName": "Py",
        "LastName": "Thon",
    }
    registered = ok(lr.authentication.user_registration_by_email(user, issued["Sott"]),
                    "authentication.user_registration_by_email")
    check(registered.get("IsPosted") is True, "registration is posted")
    check(registered.get("Data") is None, "required verification: no tokens before verification")

    error(lr.authentication.login_by_email({"email": email, "password": PASSWORD}), 970,
          "login before the email is verified")

    token = outbox_token(base_url, email, "email_verification")
    verified = ok(lr.authentication.verify_email(token), "authentication.verify_email")
    check(verified.get("IsPosted") is True, "verification is posted")


def local_sott_registration(lr, base_url, email):
    step(f"registration of {email} with the SDK's local SOTT and an explicit 24-hour window")
    # Local SOTT, with startTime/endTime passed explicitly in the correct 24-hour format, which
    # sidesteps the SDK's 12-hour default clock.
    start, end = sott_window()
    sott = lr.get_sott(startTime=start, endTime=end)
    user = {"Email": [{"Type": "Primary", "Value": email}], "Password": PASSWORD}
    ok(lr.authentication.user_registration_by_email(user, sott), "registration with a local SOTT")
    ok(lr.authentication.verify_email(outbox_token(base_url, email, "email_verification")),
       "authentication.verify_email")
    error(lr.authentication.user_registration_by_email(user, lr.get_sott(startTime=start, endTime=end)), 936,
          "registering the same email again")
    error(lr.authentication.user_registration_by_email(
        {"Email": [{"Type": "Primary", "Value": "bad-sott@example.com"}], "Password": PASSWORD},
        "not-a-sott*0123"), 1049, "registration with a bad SOTT")


def login_and_profile_flow(lr, email):
    step(f"login and profile of {email}")
    login = ok(lr.authentication.login_by_email({"email": email, "password": PASSWORD}),
               "authentication.login_by_email")
    access_token = login.get("access_token")
    check(access_token, "the login answers an access_token")
    check(login.get("Profile", {}).get("Uid"), "the login answers the profile")
    error(lr.authentication.login_by_email({"email": email, "password": "wrong-password"}), 966,
          "login with a wrong password")

    profile = ok(lr.authentication.get_profile_by_access_token(access_token),
                 "authentication.get_profile_by_access_token")
    check(profile.get("Email", [{}])[0].get("Value") == email, "the profile has the email")
    check(profile.get("FirstName") == "Py", "the profile has the first name")
    check(profile.get("EmailVerified") is True, "the email is verified")

    updated = ok(lr.authentication.update_profile_by_access_token(access_token, {"FirstName": "Monty"}),
                 "authentication.update_profile_by_access_token")
    check(updated.get("Data", {}).get("FirstName") == "Monty", "the profile update answers the new name")
    validated = ok(lr.authentication.auth_validate_access_token(access_token),
                   "authentication.auth_validate_access_token")
    check(validated.get("access_token") == access_token, "validation answers the token")
    return access_token, profile["Uid"]


def mfa_flow(lr, email, access_token):
    step(f"MFA: set up the authenticator for {email}, then log in with a TOTP code")
    settings = ok(lr.mfa.mfa_configure_by_access_token(access_token), "mfa.mfa_configure_by_access_token")
    manual = settings.get("ManualEntryCode")
    check(manual, "the settings offer the ManualEntryCode")
    check(settings.get("QRCode"), "the settings offer the QR code")
    ok(lr.mfa.mfa_verify_authenticator_code(access_token, {"authenticatorcode": totp(manual)}),
       "mfa.mfa_verify_authenticator_code (enable)")

    error(lr.authentication.login_by_email({"email": email, "password": PASSWORD}), 1176,
          "plain login once the authenticator is enabled")
    first = ok(lr.mfa.mfa_login_by_email(email, PASSWORD), "mfa.mfa_login_by_email")
    challenge = first.get("SecondFactorAuthentication")
    check(challenge and challenge.get("SecondFactorAuthenticationToken"),
          f"the 2FA login returns the challenge: {json.dumps(first)}")
    check(challenge.get("IsAuthenticatorVerified") is True, "the challenge says the authenticator is set up")
    mfa_token = challenge["SecondFactorAuthenticationToken"]

    wrong = f"{(int(totp(manual)) + 500_000) % 1_000_000:06d}"
    error(lr.mfa.mfa_validate_authenticator_code({"authenticatorcode": wrong}, mfa_token), 1102,
          "a wrong authenticator code")
    login = ok(lr.mfa.mfa_validate_authenticator_code({"authenticatorcode": totp(manual)}, mfa_token),
               "mfa.mfa_validate_authenticator_code")
    check(login.get("access_token"), "the second step answers an access token")
    profile = ok(lr.authentication.get_profile_by_access_token(login["access_token"]), "profile after MFA login")
    check(profile.get("Email", [{}])[0].get("Value") == email, "the MFA login is the same user")

    codes = ok(lr.mfa.mfa_backup_code_by_access_token(login["access_token"]), "mfa.mfa_backup_code_by_access_token")
    check(len(codes.get("BackUpCodes", [])) == 10, "ten backup codes")
    again = ok(lr.mfa.mfa_login_by_email(email, PASSWORD), "mfa.mfa_login_by_email")
    ok(lr.mfa.mfa_validate_backup_code({"backupcode": codes["BackUpCodes"][0]},
                                       again["SecondFactorAuthentication"]["SecondFactorAuthenticationToken"]),
       "mfa.mfa_validate_backup_code")


def phone_flow(lr, base_url, phone):
    step(f"phone registration of {phone} with a SOTT, SMS code verification, phone login")
    # The SDK writes query values into the URL unencoded: a "+" there would arrive as a space, so
    # the caller passes the number percent-encoded where the SDK puts it in the query.
    query_phone = quote(phone, safe="")
    check(ok(lr.phone_authentication.check_phone_number_availability(query_phone),
             "phone_authentication.check_phone_number_availability").get("IsExist") is False,
          "the number is not registered yet")
    issued = ok(lr.sott.generate_sott(10), "sott.generate_sott")
    registered = ok(lr.phone_authentication.user_registration_by_phone(
        {"PhoneId": phone, "Password": PASSWORD, "FirstName": "Phone"}, issued["Sott"]),
        "phone_authentication.user_registration_by_phone")
    check(registered.get("IsPosted") is True, "the phone registration is posted")
    check(ok(lr.phone_authentication.check_phone_number_availability(query_phone),
             "phone_authentication.check_phone_number_availability").get("IsExist") is True,
          "the number is registered")
    error(lr.phone_authentication.login_by_phone({"phone": phone, "password": PASSWORD}), 1066,
          "phone login before the number is verified")

    code = outbox_otp(base_url, phone, "sms_phone_verification")
    error(lr.phone_authentication.phone_verification_by_otp(other_code(code), phone), 1067,
          "a wrong SMS code")
    verified = ok(lr.phone_authentication.phone_verification_by_otp(code, phone),
                  "phone_authentication.phone_verification_by_otp")
    check(verified.get("access_token"), f"the verification signs in: {json.dumps(verified)}")
    check(verified.get("Profile", {}).get("PhoneId") == phone, "the verified profile has the number")
    check(verified.get("Profile", {}).get("PhoneIdVerified") is True, "the number is verified")
    error(lr.phone_authentication.phone_verification_by_otp(code, phone), 1073, "the same code again")

    login = ok(lr.phone_authentication.login_by_phone({"phone": phone, "password": PASSWORD}),
               "phone_authentication.login_by_phone")
    check(login.get("access_token"), "the phone login answers an access token")
    check(login.get("Profile", {}).get("Uid") == verified["Profile"].get("Uid"), "the phone login is the same user")
    profile = ok(lr.authentication.get_profile_by_access_token(login["access_token"]), "profile after phone login")
    check(profile.get("FirstName") == "Phone", "the profile has the registered name")
    error(lr.phone_authentication.login_by_phone({"phone": phone, "password": "wrong-password-1"}), 966,
          "phone login with a wrong password")


def email_otp_mfa_flow(lr, base_url, email):
    step(f"MFA: an email one-time code as the second factor of {email}'s login")
    login = ok(lr.authentication.login_by_email({"email": email, "password": PASSWORD}),
               "authentication.login_by_email")
    access_token = login.get("access_token")
    check(access_token, "the login answers an access token")
    sent = ok(lr.mfa.mfa_email_otp_by_access_token(access_token, email), "mfa.mfa_email_otp_by_access_token")
    check(sent.get("IsPosted") is True, f"the setup code is sent: {json.dumps(sent)}")
    code = outbox_otp(base_url, email, "email_second_factor")
    error(lr.mfa.mfa_validate_email_otp_by_access_token(access_token, {"EmailId": email, "Otp": other_code(code)}),
          1188, "a wrong email code at setup")
    enabled = ok(lr.mfa.mfa_validate_email_otp_by_access_token(access_token, {"EmailId": email, "Otp": code}),
                 "mfa.mfa_validate_email_otp_by_access_token (enable)")
    check(enabled.get("Email", [{}])[0].get("Value") == email, f"enabling answers the profile: {json.dumps(enabled)}")

    error(lr.authentication.login_by_email({"email": email, "password": PASSWORD}), 1176,
          "plain login once the email factor is enabled")
    first = ok(lr.mfa.mfa_login_by_email(email, PASSWORD), "mfa.mfa_login_by_email")
    challenge = first.get("SecondFactorAuthentication") or {}
    mfa_token = challenge.get("SecondFactorAuthenticationToken")
    check(mfa_token, f"the 2FA login returns the challenge: {json.dumps(first)}")
    check(challenge.get("IsEmailOtpAuthenticatorVerified") is True, "the challenge says the email factor is set up")
    resent = ok(lr.mfa.mfa_email_otp({"EmailId": email}, mfa_token), "mfa.mfa_email_otp")
    check(resent.get("IsPosted") is True, f"the login code is sent: {json.dumps(resent)}")
    code = outbox_otp(base_url, email, "email_second_factor")
    error(lr.mfa.mfa_validate_email_otp({"EmailId": email, "Otp": other_code(code)}, mfa_token), 1188,
          "a wrong email code at login")
    signed_in = ok(lr.mfa.mfa_validate_email_otp({"EmailId": email, "Otp": code}, mfa_token),
                   "mfa.mfa_validate_email_otp")
    check(signed_in.get("access_token"), "the second step answers an access token")
    profile = ok(lr.authentication.get_profile_by_access_token(signed_in["access_token"]),
                 "profile after the email-code login")
    check(profile.get("Email", [{}])[0].get("Value") == email, "the email-code login is the same user")


def pin_flow(base_url, api_key, api_secret, email):
    step(f"PIN (a PIN-login site): {email} sets a PIN, then logs in with it")
    lr = sdk(base_url, api_key, api_secret)
    first = ok(lr.authentication.login_by_email({"email": email, "password": PASSWORD}),
               "authentication.login_by_email (asks for a PIN)")
    auth_token = first.get("pinAuthToken")
    check(auth_token, f"the first login asks for a PIN to be set: {sorted(first)}")
    check(not first.get("session_token"), "no session token before a PIN is set")
    error(lr.pin_authentication.set_pin_by_pin_auth_token({"pin": "4321"}, "not-a-token"), 1239,
          "setting a PIN with an unknown token")
    set_pin = ok(lr.pin_authentication.set_pin_by_pin_auth_token({"pin": "4321"}, auth_token),
                 "pin_authentication.set_pin_by_pin_auth_token")
    check(set_pin.get("access_token"), "setting the PIN signs in")
    validated = ok(lr.authentication.auth_validate_access_token(set_pin["access_token"]),
                   "the token after setting the PIN")
    check(validated.get("access_token") == set_pin["access_token"], "the token after setting the PIN is live")

    second = ok(lr.authentication.login_by_email({"email": email, "password": PASSWORD}),
                "authentication.login_by_email (asks for the PIN)")
    session = second.get("session_token")
    check(session, f"the next login answers a session token: {sorted(second)}")
    error(lr.pin_authentication.pin_login({"pin": "0000"}, session), 1236, "a wrong PIN")
    login = ok(lr.pin_authentication.pin_login({"pin": "4321"}, session), "pin_authentication.pin_login")
    check(login.get("access_token"), "the PIN login answers an access token")
    profile = ok(lr.authentication.get_profile_by_access_token(login["access_token"]), "profile after the PIN login")
    check(profile.get("Email", [{}])[0].get("Value") == email, "the PIN login is the same user")
    error(lr.pin_authentication.pin_login({"pin": "4321"}, session), 1245, "the session token again")

    third = ok(lr.authentication.login_by_email({"email": email, "password": PASSWORD}), "login for a revoked session")
    check(third.get("session_token"), "the third login answers a session token")
    revoked = ok(lr.pin_authentication.in_validate_pin_session_token(third["session_token"]),
                 "pin_authentication.in_validate_pin_session_token")
    check(revoked.get("IsPosted") is True, f"the revocation is posted: {json.dumps(revoked)}")
    error(lr.pin_authentication.pin_login({"pin": "4321"}, third["session_token"]), 1245,
          "a revoked session token")


def consent_token_flow(base_url, api_key, api_secret, email):
    step(f"consent at sign-in: {email} accepts the Login form, then signs in")
    lr = sdk(base_url, api_key, api_secret)
    waiting = error(lr.authentication.login_by_email({"email": email, "password": PASSWORD}), 1226,
                    "authentication.login_by_email (waits for consent)")
    token = waiting.get("ConsentToken")
    check(token, f"the error carries a ConsentToken: {json.dumps(waiting)}")
    form = {
        "data": [
            {"consentOptionId": "email_consent", "isAccepted": True},
            {"consentOptionId": "sms_consent", "isAccepted": False},
        ],
        "events": [{"event": "Login", "isCustom": False}],
    }
    cm = lr.consent_management
    error(cm.submit_consent_by_consent_token("not-a-token", form), 1229, "an unknown consent token")
    login = ok(cm.submit_consent_by_consent_token(token, form),
               "consent_management.submit_consent_by_consent_token (signed in)")
    check(login.get("access_token"), f"the consent answers the login: {sorted(login)}")
    versions = [v.get("Event") for v in login["Profile"]["ConsentProfile"]["AcceptedConsentVersions"]]
    check(versions == ["Login"], f"the Login form is accepted: {versions}")
    error(cm.submit_consent_by_consent_token(token, form), 1229, "the consent token again")
    again = ok(lr.authentication.login_by_email({"email": email, "password": PASSWORD}),
               "authentication.login_by_email (consent given before)")
    check(again.get("access_token"), "the next login asks no more")


def consent_flow(lr, email, uid):
    step(f"consent: submit, verify, update and the logs of {email}")
    access_token = ok(lr.authentication.login_by_email({"email": email, "password": PASSWORD}),
                      "authentication.login_by_email")["access_token"]
    cm = lr.consent_management
    check(ok(cm.verify_consent_by_access_token(access_token, "Login", False),
             "consent_management.verify_consent_by_access_token").get("IsValid") is False,
          "no consent before a submission")
    error(cm.submit_consent_by_access_token(access_token, {
        "data": [{"consentOptionId": "no_such_option", "isAccepted": True}],
        "events": [{"event": "Login", "isCustom": False}]}), 1225, "an unknown consent option")
    profile = ok(cm.submit_consent_by_access_token(access_token, {
        "data": [{"consentOptionId": "email_consent", "isAccepted": True},
                 {"consentOptionId": "sms_consent", "isAccepted": False}],
        "events": [{"event": "Login", "isCustom": False}]}), "consent_management.submit_consent_by_access_token")
    shown = profile.get("ConsentProfile") or {}
    check([v.get("Event") for v in shown.get("AcceptedConsentVersions", [])] == ["Login"],
          f"the profile shows the accepted form: {json.dumps(shown)}")
    check(ok(cm.verify_consent_by_access_token(access_token, "Login", False),
             "consent_management.verify_consent_by_access_token").get("IsValid") is True,
          "the Login form is accepted")

    updated = ok(cm.update_consent_profile_by_access_token(access_token, {
        "consents": [{"consentOptionId": "sms_consent", "isAccepted": True}]}),
        "consent_management.update_consent_profile_by_access_token")
    consents = {c.get("ConsentOptionId"): c.get("IsAccepted") for c in updated.get("Consents", [])}
    check(consents == {"email_consent": True, "sms_consent": True}, f"the updated consents: {json.dumps(updated)}")

    logs = ok(cm.get_consent_logs(access_token), "consent_management.get_consent_logs")
    check(len(logs.get("ConsentLogs", [])) == 2, f"two consent logs: {json.dumps(logs)}")
    by_uid = ok(cm.get_consent_logs_by_uid(uid), "consent_management.get_consent_logs_by_uid")
    check(by_uid.get("Uid") == uid and len(by_uid.get("ConsentLogs", [])) == 2, "the logs by uid")
    check(by_uid["ConsentLogs"][1].get("UpdateType") == "ConsentEditor", "the update is logged as ConsentEditor")
    error(cm.submit_consent_by_consent_token("not-a-token", {
        "data": [{"consentOptionId": "email_consent", "isAccepted": True}],
        "events": [{"event": "Login", "isCustom": False}]}), 1229, "an unknown consent token")


def roles_flow(lr, uid, label):
    step(f"roles ({label}): create, list, assign, get")
    created = ok(lr.role.create_roles({"roles": [{"name": "pyeditor", "permissions": {"publish": True, "edit": True}}]}),
                 "role.create_roles")
    check([r.get("Name") for r in created.get("data", [])] == ["pyeditor"], f"the created role: {json.dumps(created)}")
    listed = ok(lr.role.get_roles_list(), "role.get_roles_list")
    check("pyeditor" in [r.get("Name") for r in listed.get("data", [])], "the list has the new role")
    assigned = ok(lr.role.assign_roles_by_uid({"roles": ["pyeditor"]}, uid), "role.assign_roles_by_uid")
    check(assigned.get("Roles") == ["pyeditor"], f"the assignment answers the roles: {json.dumps(assigned)}")
    roles = ok(lr.role.get_roles_by_uid(uid), "role.get_roles_by_uid")
    check(roles.get("Roles") == ["pyeditor"], f"the user has the role: {json.dumps(roles)}")
    error(lr.role.assign_roles_by_uid({"roles": ["ghost"]}, uid), 1047, "assigning an unknown role")


def signed_flow(base_url, api_key, api_secret):
    step("signed /manage calls (API_REQUEST_SIGNING = True) against an emulator that requires them")
    unsigned = sdk(base_url, api_key, api_secret, signing=False)
    error(unsigned.role.get_roles_list(), 1207, "an unsigned /manage call")

    lr = sdk(base_url, api_key, api_secret, signing=True)
    account = ok(lr.account.create_account({
        "Email": [{"Type": "Primary", "Value": "signed@example.com"}],
        "Password": PASSWORD,
        "EmailVerified": True,
    }), "account.create_account (signed POST)")
    uid = account.get("Uid")
    check(uid, "the created account has a uid")
    read = ok(lr.account.get_account_profile_by_uid(uid), "account.get_account_profile_by_uid (signed GET)")
    check(read.get("Uid") == uid, "the signed read answers the account")
    roles_flow(lr, uid, "signed")
    sott = ok(lr.sott.generate_sott(10), "sott.generate_sott (signed GET with a query)")
    check("*" in sott.get("Sott", ""), "a signed SOTT request answers a SOTT")

    forged = sdk(base_url, api_key, "not-the-secret", signing=True)
    error(forged.role.get_roles_list(), 1208, "a call signed with another secret")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default=os.environ.get("LOGINRADIUS_BASE_URL"))
    parser.add_argument("--signing-base-url", default=os.environ.get("LOGINRADIUS_SIGNING_BASE_URL"))
    parser.add_argument("--pin-base-url", default=os.environ.get("LOGINRADIUS_PIN_BASE_URL"))
    parser.add_argument("--pin-email", default=os.environ.get("LOGINRADIUS_PIN_EMAIL"))
    parser.add_argument("--consent-base-url", default=os.environ.get("LOGINRADIUS_CONSENT_BASE_URL"))
    parser.add_argument("--consent-email", default=os.environ.get("LOGINRADIUS_CONSENT_EMAIL"))
    parser.add_argument("--api-key", default=os.environ.get("LOGINRADIUS_API_KEY"))
    parser.add_argument("--api-secret", default=os.environ.get("LOGINRADIUS_API_SECRET"))
    args = parser.parse_args()
    missing = [n for n in ("base_url", "signing_base_url", "pin_base_url", "pin_email", "consent_base_url",
                           "consent_email", "api_key", "api_secret") if not getattr(args, n)]
    if missing:
        parser.error("missing: " + ", ".join(missing))

    try:
        lr = sdk(args.base_url, args.api_key, args.api_secret)
        email = "python-sdk@example.com"
        registration_flow(lr, args.base_url, email)
        local_sott_registration(lr, args.base_url, "python-local-sott@example.com")
        access_token, uid = login_and_profile_flow(lr, email)
        roles_flow(lr, uid, "API secret header")
        consent_flow(lr, email, uid)
        mfa_flow(lr, email, access_token)
        phone_flow(lr, args.base_url, "+16045552368")
        local_sott_registration(lr, args.base_url, "python-email-otp@example.com")
        email_otp_mfa_flow(lr, args.base_url, "python-email-otp@example.com")
        pin_flow(args.pin_base_url, args.api_key, args.api_secret, args.pin_email)
        consent_token_flow(args.consent_base_url, args.api_key, args.api_secret, args.consent_email)
        signed_flow(args.signing_base_url, args.api_key, args.api_secret)
    except FlowFailed as failure:
        print(f"FAILED: {failure}", file=sys.stderr, flush=True)
        return 1
    except Exception:
        traceback.print_exc()
        return 2
    print("all official Python SDK flows passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
