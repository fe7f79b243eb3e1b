// Discussion behaviour: move the reply form under a comment, remember the commenter's
// details when asked, and bring errors into view. Everything also works without this file.
(function () {
  "use strict";

  var STORE_KEY = "broadsheet.commenter";
  var FIELDS = ["author_name", "author_email", "author_url"];

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function setupReply(section) {
    var respond = section.querySelector("#respond");
    var form = section.querySelector("#commentform");
    if (!respond || !form) { return; }
    var parentInput = form.querySelector("input[name=parent]");
    var titleTo = respond.querySelector(".comment-reply-title__to");
    var cancel = respond.querySelector("#cancel-comment-reply-link");
    // A placeholder marks the form's home so "Cancel reply" can put it back.
    var home = document.createElement("div");
    home.id = "respond-home";
    home.hidden = true;
    respond.parentNode.insertBefore(home, respond);

    function moveUnder(link) {
      var article = document.getElementById("div-comment-" + link.getAttribute("data-comment-id"));
      if (!article) { return false; }
      article.parentNode.insertBefore(respond, article.nextSibling);
      parentInput.value = link.getAttribute("data-comment-id");
      if (titleTo) { titleTo.textContent = " to " + link.getAttribute("data-author"); }
      if (cancel) { cancel.hidden = false; }
      var body = form.querySelector("textarea[name=body]");
      if (body) { body.focus(); }
      return true;
    }

    section.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest(".comment-reply-link") : null;
      if (link && section.contains(link) && moveUnder(link)) {
        event.preventDefault();
      }
    });

    if (cancel) {
      cancel.addEventListener("click", function (event) {
        event.preventDefault();
        home.parentNode.insertBefore(respond, home.nextSibling);
        parentInput.value = "";
        if (titleTo) { titleTo.textContent = ""; }
        cancel.hidden = true;
      });
    }

    // Arriving from a no-script reply link, or after an error on a reply: sit under the comment.
    if (parentInput.value) {
      var article = document.getElementById("div-comment-" + parentInput.value);
      if (article) { article.parentNode.insertBefore(respond, article.nextSibling); }
    }
  }

  function setupRemember(form) {
    var box = form.querySelector("input[name=save_identity]");
    var store = storage();
    if (!box || !store) { return; }
    var saved = null;
    try { saved = JSON.parse(store.getItem(STORE_KEY) || "null"); } catch (e) { saved = null; }
    if (saved) {
      FIELDS.forEach(function (name) {
        var input = form.querySelector("[name=" + name + "]");
        if (input && !input.value && saved[name]) { input.value = saved[name]; }
      });
      box.checked = true;
    }
    form.addEventListener("submit", function () {
      if (box.checked) {
        var data = {};
        FIELDS.forEach(function (name) {
          var input = form.querySelector("[name=" + name + "]");
          if (input) { data[name] = input.value; }
        });
        store.setItem(STORE_KEY, JSON.stringify(data));
      } else {
        store.removeItem(STORE_KEY);
      }
    });
  }

  // A page shared by every reader carries no CSRF token: fetch this browser's (and a fresh
  // form stamp) as soon as the reader starts to write, and before sending at the latest.
  // Without script, or if the fetch fails, the server asks for a second press instead.
  function setupToken(form) {
    if (form.querySelector("input[name=csrfmiddlewaretoken]") || !window.fetch) { return; }
    var url = form.getAttribute("data-token-url");
    var thread = form.querySelector("input[name=thread]");
    if (!url || !thread) { return; }
    var pending = null;
    var ready = false;

    function fetchToken() {
      if (!pending) {
        pending = fetch(url + "?thread=" + encodeURIComponent(thread.value), {
          credentials: "same-origin", headers: { "Accept": "application/json" }
        })
          .then(function (response) {
            if (!response.ok) { throw new Error("form token " + response.status); }
            return response.json();
          })
          .then(function (data) {
            var input = document.createElement("input");
            input.type = "hidden";
            input.name = "csrfmiddlewaretoken";
            input.value = data.csrfmiddlewaretoken;
            form.insertBefore(input, form.firstChild);
            var stamp = form.querySelector("input[name=rendered_at]");
            if (stamp && data.rendered_at) { stamp.value = data.rendered_at; }
            ready = true;
          })
          .catch(function () { ready = true; });
      }
      return pending;
    }

    form.addEventListener("focusin", fetchToken);
    form.addEventListener("submit", function (event) {
      if (ready) { return; }
      event.preventDefault();
      fetchToken().then(function () {
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      });
    });
  }

  function showErrors(form) {
    var invalid = form.querySelector("[aria-invalid=true]");
    var summary = form.querySelector(".form-errors");
    var target = invalid || summary;
    if (target) {
      form.scrollIntoView({ block: "start" });
      if (invalid) { invalid.focus(); }
    }
  }

  // Report a comment in place: the same form and answer as the report page, fetched and sent
  // with the page's own CSRF token. Any failure falls back to following the link.
  function setupReport(section) {
    var parser = window.DOMParser ? new window.DOMParser() : null;
    if (!parser || !window.fetch || !window.FormData) { return; }

    function show(box, html, url) {
      var doc = parser.parseFromString(html, "text/html");
      var page = doc.querySelector(".report-page");
      if (!page) { throw new Error("no report page"); }
      box.innerHTML = "";
      var form = page.querySelector("form.report-form");
      var heading = page.querySelector("h1");
      if (form) {
        form.setAttribute("action", url);
        var cancel = form.querySelector("a");
        if (cancel) {
          cancel.addEventListener("click", function (event) { event.preventDefault(); box.remove(); });
        }
        form.addEventListener("submit", function (event) {
          event.preventDefault();
          fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin" })
            .then(function (response) { return response.text(); })
            .then(function (text) { show(box, text, url); })
            .catch(function () { form.submit(); });
        });
        box.appendChild(form);
      } else {
        Array.prototype.forEach.call(page.querySelectorAll("p"), function (p) {
          if (!p.querySelector("a")) { box.appendChild(p); }
        });
        if (heading) { box.insertBefore(heading, box.firstChild); }
      }
      var focusable = box.querySelector("input, [role=status]");
      if (focusable) {
        if (!focusable.hasAttribute("tabindex") && focusable.tagName !== "INPUT") {
          focusable.setAttribute("tabindex", "-1");
        }
        focusable.focus();
      }
    }

    section.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest(".comment__report") : null;
      if (!link || !section.contains(link)) { return; }
      event.preventDefault();
      var open = section.querySelector(".comment__report-box");
      if (open) { open.remove(); }
      var article = link.closest(".comment__body");
      var box = document.createElement("div");
      box.className = "comment__report-box";
      article.appendChild(box);
      fetch(link.href, { credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (text) { show(box, text, link.href); })
        .catch(function () { window.location.href = link.href; });
    });
  }

  ready(function () {
    var sections = document.querySelectorAll("section.discussion");
    Array.prototype.forEach.call(sections, function (section) {
      setupReply(section);
      setupReport(section);
      var form = section.querySelector("#commentform");
      if (form) {
        setupToken(form);
        setupRemember(form);
        showErrors(form);
      }
    });
  });
})();
