// Email links point at `/verify-email#`, `/reset-password#` or `/passwordless/verify#`, and the
// identity service appends `?vtype=…&vtoken=…` after the `#`: the token is in the URL fragment,
// which browsers never send to a server. Move it into the form, scrub it from the address bar
// (and so from the history), and submit the forms that need nothing else.
(function () {
  "use strict";
  var form = document.querySelector("form[data-link-token]");
  if (!form) { return; }
  var field = form.querySelector("input[name=token]");
  var hash = window.location.hash.replace(/^#\??/, "");
  if (hash) {
    var token = new URLSearchParams(hash).get("vtoken");
    history.replaceState(null, "", window.location.pathname);
    if (token) { field.value = token; }
  }
  if (field.value && form.hasAttribute("data-autosubmit")) { form.submit(); }
})();
