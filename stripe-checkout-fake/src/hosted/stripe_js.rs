//! A stand-in for Stripe.js served at `/v3/` (and `/v3`) on the fake's own origin, so a page
//! under test swaps only the origin of its `<script src>`: `Stripe('pk_test_…')` (other keys
//! throw), `stripe.initEmbeddedCheckout({ fetchClientSecret | clientSecret, onComplete })`
//! resolving to an object with `mount(selectorOrElement)`, `unmount()` and `destroy()`. It
//! shows the fake's payment form for the session in an iframe (`/c/embedded/{client_secret}`);
//! when the session completes the top window goes to the session's `return_url` with
//! `{CHECKOUT_SESSION_ID}` replaced, or, with `redirect_on_completion=never`, stays and calls
//! `onComplete`. One embedded Checkout at a time, as Stripe.js allows.
//!
//! Sources: <https://docs.stripe.com/js/embedded_checkout/init>,
//! <https://docs.stripe.com/js/embedded_checkout/mount>,
//! <https://docs.stripe.com/payments/checkout/custom-success-page?payment-ui=embedded-form>
//! (`return_url`, `redirect_on_completion`, `onComplete`),
//! <https://docs.stripe.com/keys> (publishable keys `pk_test_…` in test mode).

/// The script. `__FAKE_ORIGIN__` is replaced by the fake's base URL (used when the script's
/// own URL cannot be read).
const SCRIPT: &str = r#"/* stripe-checkout-fake: a stand-in for Stripe.js (embedded Checkout only). */
(function () {
  "use strict";
  var current = document.currentScript && document.currentScript.src;
  var ORIGIN = "__FAKE_ORIGIN__";
  try { if (current) ORIGIN = new URL(current).origin; } catch (e) {}
  var active = null;

  function IntegrationError(message) {
    var e = new Error(message);
    e.name = "IntegrationError";
    return e;
  }

  function EmbeddedCheckout(secret, options) {
    this._secret = secret;
    this._options = options;
    this._frame = null;
    this._destroyed = false;
    this._listener = null;
  }

  EmbeddedCheckout.prototype.mount = function (target) {
    if (this._destroyed) throw IntegrationError("This Embedded Checkout has been destroyed; call initEmbeddedCheckout again.");
    if (this._frame) throw IntegrationError("This Embedded Checkout is already mounted; call unmount() first.");
    var el = typeof target === "string" ? document.querySelector(target) : target;
    if (!el || typeof el.appendChild !== "function") {
      throw IntegrationError("Invalid DOM element. Make sure to call mount() with a valid DOM element or selector: " + String(target));
    }
    var frame = document.createElement("iframe");
    frame.src = ORIGIN + "/c/embedded/" + encodeURIComponent(this._secret);
    frame.title = "Embedded Checkout";
    frame.name = "embedded-checkout";
    frame.setAttribute("allow", "payment *");
    frame.style.cssText = "width:100%;min-height:640px;border:0;display:block;background:transparent";
    var self = this;
    this._listener = function (event) {
      if (event.origin !== ORIGIN || !self._frame || event.source !== self._frame.contentWindow) return;
      var data = event.data || {};
      if (data.type === "stripe-checkout-fake:resize" && data.height > 0) {
        self._frame.style.height = Math.ceil(data.height) + "px";
      } else if (data.type === "stripe-checkout-fake:complete") {
        if (data.redirect && data.returnUrl) {
          try { window.top.location.href = data.returnUrl; } catch (e) { window.location.href = data.returnUrl; }
        } else if (typeof self._options.onComplete === "function") {
          self._options.onComplete();
        }
      }
    };
    window.addEventListener("message", this._listener);
    el.appendChild(frame);
    this._frame = frame;
  };

  EmbeddedCheckout.prototype.unmount = function () {
    if (this._listener) window.removeEventListener("message", this._listener);
    this._listener = null;
    if (this._frame && this._frame.parentNode) this._frame.parentNode.removeChild(this._frame);
    this._frame = null;
  };

  EmbeddedCheckout.prototype.destroy = function () {
    this.unmount();
    this._destroyed = true;
    if (active === this) active = null;
  };

  function Stripe(key, options) {
    if (!(this instanceof Stripe)) return new Stripe(key, options);
    if (typeof key !== "string" || key.indexOf("pk_test_") !== 0) {
      throw IntegrationError("stripe-checkout-fake only accepts test mode publishable keys (pk_test_…); got " +
        (typeof key === "string" ? JSON.stringify(key.slice(0, 12) + (key.length > 12 ? "…" : "")) : typeof key) + ".");
    }
    this._key = key;
  }

  Stripe.prototype.initEmbeddedCheckout = function (options) {
    options = options || {};
    return new Promise(function (resolve) {
      if (active) throw IntegrationError("You cannot have multiple Embedded Checkout objects. Call destroy() on the existing one first.");
      if (typeof options.fetchClientSecret === "function") {
        resolve(options.fetchClientSecret());
      } else if (typeof options.clientSecret === "string") {
        resolve(options.clientSecret);
      } else {
        throw IntegrationError("initEmbeddedCheckout needs fetchClientSecret (a function returning a Promise of the Checkout Session's client_secret) or clientSecret.");
      }
    }).then(function (secret) {
      if (typeof secret !== "string" || secret.indexOf("_secret_") < 0) {
        throw IntegrationError("fetchClientSecret must resolve to the Checkout Session's client_secret (cs_test_…_secret_…).");
      }
      if (active) throw IntegrationError("You cannot have multiple Embedded Checkout objects. Call destroy() on the existing one first.");
      active = new EmbeddedCheckout(secret, options);
      return active;
    });
  };

  window.Stripe = Stripe;
})();
"#;

/// The script for a fake at `base_url`.
pub(crate) fn script(base_url: &str) -> String {
    // The base URL is `http://127.0.0.1:<port>`: no quote or backslash can occur, but keep
    // the string literal safe whatever it is.
    let safe: String = base_url
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || ":/.-[]".contains(*c))
        .collect();
    SCRIPT.replace("__FAKE_ORIGIN__", &safe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_origin_is_filled_and_sanitised() {
        let js = script("http://127.0.0.1:4242");
        assert!(js.contains("var ORIGIN = \"http://127.0.0.1:4242\";"));
        assert!(!script("http://x\";alert(1)//").contains("\";alert"));
        assert!(js.contains("pk_test_"));
    }
}
