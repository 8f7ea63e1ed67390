// Checkout: show the GST split as soon as a state is chosen. Without this script the
// Apply button does the same with a page load; with it, the form is re-quoted in place
// (the same POST "apply" the button sends, which only quotes and never starts a payment).
(function () {
  "use strict";
  var form = document.querySelector("[data-quote-form]");
  if (!form || !window.fetch || !window.DOMParser) return;
  var state = form.querySelector("select[name=buyer_state]");
  var quote = form.querySelector("[data-quote]");
  if (!state || !quote) return;
  var pending = null;
  state.addEventListener("change", function () {
    var data = new FormData(form);
    data.set("action", "apply");
    if (pending) pending.abort();
    pending = new AbortController();
    // form.action would be the "action" buttons (they share the name), so read the attribute.
    fetch(form.getAttribute("action"), { method: "POST", body: data, credentials: "same-origin", signal: pending.signal })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-quote]");
        if (fresh) quote.replaceWith(fresh);
        quote = fresh || quote;
      })
      .catch(function () { /* the Apply button still works */ });
  });
})();
