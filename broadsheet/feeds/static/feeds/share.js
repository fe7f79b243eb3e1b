// Share rows: copy the link (with a confirmation read out to screen readers), offer the
// browser's own share sheet where it has one, and ask a Mastodon reader for their server once,
// remembered in this browser only. Every link in the row also works without this file.
(function () {
  "use strict";

  var HOST_KEY = "broadsheet.share.host";
  // The same rule as the server's (feeds/share.py host_clean): a host name, a port at most.
  var HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}(?::[0-9]{1,5})?$/;

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function remembered(service) {
    var store = storage();
    try { return (store && store.getItem(HOST_KEY + "." + service)) || ""; } catch (e) { return ""; }
  }

  function remember(service, host) {
    var store = storage();
    try { if (store) { store.setItem(HOST_KEY + "." + service, host); } } catch (e) { /* private mode */ }
  }

  function hostClean(raw) {
    var host = raw.trim().toLowerCase().replace(/^https?:\/\//, "");
    // "mastodon.social/@me" and "@me@mastodon.social" both name the server mastodon.social.
    host = host.split("/")[0];
    host = host.slice(host.lastIndexOf("@") + 1);
    return host.length <= 253 && HOST.test(host) ? host : "";
  }

  // Buttons that need this script sit in hidden list items until it runs.
  function reveal(button) {
    var item = button.closest("[hidden]");
    if (item) { item.hidden = false; }
  }

  function announce(row, text) {
    var status = row.querySelector("[data-share-status]");
    if (!status) { return; }
    // Emptied first so the same words are read out again on a second click.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      document.body.removeChild(area);
      if (done) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  function setupCopy(row, url) {
    var button = row.querySelector("[data-share-copy]");
    if (!button) { return; }
    reveal(button);
    button.addEventListener("click", function () {
      copyText(url).then(
        function () { announce(row, "Link copied."); },
        function () { announce(row, "Could not copy. The link is " + url); }
      );
    });
  }

  function setupNative(row, url, title) {
    var button = row.querySelector("[data-share-native]");
    if (!button || typeof navigator.share !== "function") { return; }
    reveal(button);
    button.addEventListener("click", function () {
      navigator.share({ title: title, url: url }).catch(function () { /* the reader closed it */ });
    });
  }

  function setupAsk(row, link) {
    var service = link.getAttribute("data-share-service");
    var form = row.querySelector('[data-share-ask="' + service + '"]');
    var template = link.getAttribute("data-share-template");
    if (!form || !template) { return; }
    var input = form.querySelector("input[name=host]");
    var error = form.querySelector("[data-share-ask-error]");
    var cancel = form.querySelector("[data-share-ask-cancel]");

    function showError(text) {
      error.textContent = text;
      error.hidden = !text;
      if (text) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
    }

    function close() {
      form.hidden = true;
      link.setAttribute("aria-expanded", "false");
      showError("");
    }

    link.setAttribute("aria-expanded", "false");
    link.setAttribute("aria-controls", form.id);
    link.addEventListener("click", function (event) {
      event.preventDefault();
      if (!form.hidden) { close(); link.focus(); return; }
      input.value = remembered(service);
      showError("");
      form.hidden = false;
      link.setAttribute("aria-expanded", "true");
      input.focus();
      input.select();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var host = hostClean(input.value);
      if (!host) {
        showError(input.value.trim()
          ? "That is not a server name. Type it as in your address, e.g. mastodon.social."
          : "Type the name of your server, e.g. mastodon.social.");
        input.focus();
        return;
      }
      remember(service, host);
      window.open(template.replace("{host}", host), "_blank", "noopener");
      close();
      link.focus();
      announce(row, "Opened " + host + " in a new tab.");
    });
    cancel.addEventListener("click", function () { close(); link.focus(); });
    form.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { close(); link.focus(); }
    });
  }

  ready(function () {
    var rows = document.querySelectorAll("[data-share]");
    Array.prototype.forEach.call(rows, function (row) {
      var url = row.getAttribute("data-share-url");
      var title = row.getAttribute("data-share-title");
      setupCopy(row, url);
      setupNative(row, url, title);
      Array.prototype.forEach.call(row.querySelectorAll("[data-share-template]"), function (link) {
        setupAsk(row, link);
      });
    });
  });
})();
