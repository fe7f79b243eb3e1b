/*
 * Broadsheet comments for any page: the embeddable widget.
 *
 *   <div id="broadsheet-thread"></div>
 *   <script src="https://SITE/static/discussion/widget.js"
 *           data-broadsheet-url="https://blog.example/page/" async></script>
 *
 * Optional: data-broadsheet-title (defaults to document.title), data-broadsheet-key (a thread
 * key instead of the URL), data-broadsheet-target (the id of the element to fill).
 *
 * It talks to the JSON API of the site it was loaded from, with fetch and without cookies.
 * The DOM is built with textContent; the only HTML inserted is each comment's body_html, which
 * the server rendered and sanitized (and which is filtered once more here). No inline styles.
 */
(function () {
  "use strict";

  var script = document.currentScript ||
    document.querySelector("script[data-broadsheet-url], script[data-broadsheet-key]");
  if (!script || !script.src) { return; }
  var origin = new URL(script.src, location.href).origin;
  var api = origin + "/api";
  var pageUrl = script.getAttribute("data-broadsheet-url") || location.href.split("#")[0];
  var threadKey = script.getAttribute("data-broadsheet-key") || "";
  var pageTitle = script.getAttribute("data-broadsheet-title") || document.title || "";
  var targetId = script.getAttribute("data-broadsheet-target") || "broadsheet-thread";
  var STORE = "broadsheet:" + origin;
  var state = { sort: "oldest", page: 1, data: null, replyTo: null };

  var root = document.getElementById(targetId);
  if (!root) {
    root = document.createElement("div");
    root.id = targetId;
    script.parentNode.insertBefore(root, script.nextSibling);
  }
  root.classList.add("bs-thread");

  if (!document.querySelector("link[data-broadsheet-css]")) {
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = origin + "/static/discussion/widget.css";
    css.setAttribute("data-broadsheet-css", "");
    document.head.appendChild(css);
  }

  // Storage -----------------------------------------------------------------------------------

  function load(name, fallback) {
    try {
      var raw = window.localStorage.getItem(STORE + ":" + name);
      return raw ? JSON.parse(raw) : fallback;
    } catch (e) { return fallback; }
  }
  function save(name, value) {
    try { window.localStorage.setItem(STORE + ":" + name, JSON.stringify(value)); } catch (e) { /* private mode */ }
  }
  function forget(name) {
    try { window.localStorage.removeItem(STORE + ":" + name); } catch (e) { /* private mode */ }
  }
  function ownComments() { return load("own", {}); }
  function remember(comment, token) {
    var own = ownComments();
    own[comment.id] = { token: token, until: comment.edit_until };
    // Keep the newest fifty; older ones are long past their edit window.
    var ids = Object.keys(own).map(Number).sort(function (a, b) { return a - b; });
    ids.slice(0, Math.max(0, ids.length - 50)).forEach(function (id) { delete own[id]; });
    save("own", own);
  }

  // DOM helpers -------------------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) { return; }
      if (name === "text") { node.textContent = value; }
      else if (name === "className") { node.className = value; }
      else { node.setAttribute(name, value === true ? "" : String(value)); }
    });
    (children || []).forEach(function (child) {
      if (child) { node.appendChild(typeof child === "string" ? document.createTextNode(child) : child); }
    });
    return node;
  }

  function safeHref(url) {
    try {
      var parsed = new URL(url, location.href);
      return parsed.protocol === "https:" || parsed.protocol === "http:" || parsed.protocol === "mailto:" ? parsed.href : null;
    } catch (e) { return null; }
  }

  var ALLOWED_TAGS = /^(P|BR|EM|STRONG|A|BLOCKQUOTE|CODE|PRE|UL|OL|LI|DEL|S|HR|SPAN)$/;

  // The server already sanitized body_html; this second filter keeps the widget safe even if a
  // future server change slipped: only plain text-formatting elements and safe links survive.
  function sanitizedFragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var walker = template.content.querySelectorAll("*");
    Array.prototype.forEach.call(walker, function (node) {
      if (!ALLOWED_TAGS.test(node.tagName)) {
        node.replaceWith(document.createTextNode(node.textContent));
        return;
      }
      Array.prototype.slice.call(node.attributes).forEach(function (attr) {
        var keep = node.tagName === "A" && (attr.name === "href" || attr.name === "title");
        if (!keep) { node.removeAttribute(attr.name); }
      });
      if (node.tagName === "A") {
        var href = safeHref(node.getAttribute("href") || "");
        if (href) { node.setAttribute("href", href); } else { node.removeAttribute("href"); }
        node.setAttribute("rel", "nofollow ugc noopener");
        node.setAttribute("target", "_blank");
      }
    });
    return template.content;
  }

  function formatTime(iso) {
    var date = new Date(iso);
    try {
      return date.toLocaleString(undefined, { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" });
    } catch (e) { return date.toISOString(); }
  }

  function heading(thread) {
    var n = thread.comment_count;
    if (n === 0) { return "No responses yet"; }
    var words = n === 1 ? "One response" : n.toLocaleString("en") + " responses";
    return thread.title ? words + " to \u201c" + thread.title + "\u201d" : words;
  }

  // API ---------------------------------------------------------------------------------------

  function call(method, path, body, token) {
    var headers = {};
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    if (token) { headers["X-Comment-Token"] = token; }
    return fetch(api + path, {
      method: method,
      mode: "cors",
      credentials: "omit",
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 204) { return { status: 204, data: null, response: response }; }
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data, response: response };
      });
    });
  }

  function threadParams() {
    var params = new URLSearchParams();
    if (threadKey) { params.set("key", threadKey); } else { params.set("url", pageUrl); }
    return params;
  }

  function refresh() {
    var params = threadParams();
    params.set("sort", state.sort);
    params.set("page", String(state.page));
    return call("GET", "/threads?" + params.toString()).then(function (result) {
      if (result.status !== 200) {
        renderProblem(result.data && result.data.detail || "The discussion could not be loaded.");
        return;
      }
      state.data = result.data;
      render();
    }, function () {
      renderProblem("The discussion could not be loaded. Please check your connection.");
    });
  }

  // Rendering ---------------------------------------------------------------------------------

  function renderProblem(message) {
    root.replaceChildren(el("p", { className: "bs-problem", role: "alert", text: message }));
  }

  function render() {
    var data = state.data;
    var thread = data.thread;
    var section = el("section", { className: "bs-discussion", "aria-label": "Comments" });
    section.appendChild(el("h3", { className: "bs-count", text: heading(thread) }));
    if (data.top_level_count > 1) { section.appendChild(sortBar()); }
    var notice = el("p", { className: "bs-notice", role: "status", hidden: true });
    section.appendChild(notice);
    if (data.featured && data.featured.length) {
      section.appendChild(el("section", { className: "bs-featured", "aria-label": "Editors\u2019 picks" }, [
        el("h4", { className: "bs-featured__title", text: "Editors\u2019 picks" }),
        el("ul", { className: "bs-featured__list" }, data.featured.map(featuredItem))
      ]));
    }
    if (data.comments.length) {
      section.appendChild(el("ol", { className: "bs-comment-list" }, data.comments.map(commentItem)));
    }
    if (data.num_pages > 1) { section.appendChild(pager()); }
    section.appendChild(thread.is_open ? replyForm() : el("p", { className: "bs-closed", text: "Comments are closed." }));
    root.replaceChildren(section);
  }

  function sortBar() {
    var labels = { oldest: "Oldest first", newest: "Newest first", replies: "Most replies" };
    var items = Object.keys(labels).map(function (key) {
      var button = el("button", { type: "button", className: "bs-link", text: labels[key], "aria-pressed": key === state.sort ? "true" : "false" });
      button.addEventListener("click", function () { state.sort = key; state.page = 1; refresh(); });
      return el("li", {}, [button]);
    });
    return el("nav", { className: "bs-sort", "aria-label": "Order of comments" }, [el("ul", {}, items)]);
  }

  function pager() {
    var data = state.data;
    var items = [];
    for (var n = 1; n <= data.num_pages; n++) {
      (function (number) {
        var button = el("button", { type: "button", className: "bs-link", text: String(number), "aria-current": number === data.page ? "page" : null });
        button.addEventListener("click", function () { state.page = number; refresh(); root.scrollIntoView(); });
        items.push(el("li", {}, [button]));
      })(n);
    }
    return el("nav", { className: "bs-pager", "aria-label": "Comment pages" }, [el("ul", {}, items)]);
  }

  function commentItem(comment) {
    var item = el("li", { id: "broadsheet-comment-" + comment.id, className: "bs-comment" + (comment.status === "pending" ? " bs-comment--pending" : "") });
    var article = el("article", { className: "bs-comment__body" });
    if (comment.status === "deleted") {
      article.appendChild(el("p", { className: "bs-tombstone", text: "This comment was deleted." }));
    } else {
      var author = comment.author;
      var href = author.url ? safeHref(author.url) : null;
      var name = href ? el("a", { href: href, rel: "nofollow ugc noopener", target: "_blank", text: author.name }) : author.name;
      var meta = el("footer", { className: "bs-comment__meta" }, [
        el("img", { className: "bs-avatar", src: author.avatar_url, alt: "", width: 48, height: 48, loading: "lazy" }),
        el("b", { className: "bs-comment__author" }, [name]),
        el("a", { className: "bs-comment__permalink", href: "#broadsheet-comment-" + comment.id }, [
          el("time", { datetime: comment.created_at, text: formatTime(comment.created_at) })
        ]),
        comment.edited_at ? el("span", { className: "bs-comment__edited", text: "(edited)" }) : null,
        comment.status === "pending" ? el("em", { className: "bs-comment__awaiting", text: "Your comment is awaiting moderation." }) : null
      ]);
      var content = el("div", { className: "bs-comment__content" });
      content.appendChild(sanitizedFragment(comment.body_html));
      article.appendChild(meta);
      article.appendChild(content);
      article.appendChild(actions(comment, content));
    }
    item.appendChild(article);
    if (comment.replies && comment.replies.length) {
      item.appendChild(el("ol", { className: "bs-children" }, comment.replies.map(commentItem)));
    }
    return item;
  }

  // A pick is shown again where it sits in the thread; this copy links there.
  function featuredItem(comment) {
    var content = el("div", { className: "bs-comment__content" });
    content.appendChild(sanitizedFragment(comment.body_html));
    return el("li", { className: "bs-featured__item" }, [
      el("p", { className: "bs-comment__meta" }, [
        el("b", { className: "bs-comment__author", text: comment.author.name }),
        " ",
        el("a", { className: "bs-comment__permalink", href: "#broadsheet-comment-" + comment.id, text: "In the thread" })
      ]),
      content
    ]);
  }

  function actions(comment, content) {
    var bar = el("p", { className: "bs-comment__actions" });
    if (state.data.thread.is_open && comment.status === "approved") {
      var reply = el("button", { type: "button", className: "bs-link bs-reply", text: "Reply", "aria-label": "Reply to " + comment.author.name });
      reply.addEventListener("click", function () { moveForm(comment); });
      bar.appendChild(reply);
    }
    var own = ownComments()[comment.id];
    if (own) {
      if (own.until && new Date(own.until) > new Date()) {
        var edit = el("button", { type: "button", className: "bs-link", text: "Edit" });
        edit.addEventListener("click", function () { editInPlace(comment, content, own.token); });
        bar.appendChild(edit);
      }
      var remove = el("button", { type: "button", className: "bs-link", text: "Delete" });
      remove.addEventListener("click", function () {
        if (!window.confirm("Delete this comment?")) { return; }
        call("DELETE", "/comments/" + comment.id, undefined, own.token).then(function (result) {
          if (result.status === 204) { refresh(); } else { window.alert(result.data.detail || "The comment could not be deleted."); }
        });
      });
      bar.appendChild(remove);
    }
    return bar;
  }

  function editInPlace(comment, content, token) {
    var source = load("source", {})[comment.id] || "";
    var area = el("textarea", { className: "bs-input", rows: 6, "aria-label": "Edit your comment" });
    area.value = source || content.textContent.trim();
    var error = el("span", { className: "bs-error", role: "alert", hidden: true });
    var saveButton = el("button", { type: "button", className: "bs-submit", text: "Save" });
    var cancel = el("button", { type: "button", className: "bs-link", text: "Cancel" });
    var editor = el("div", { className: "bs-editor" }, [area, error, el("p", {}, [saveButton, " ", cancel])]);
    content.replaceWith(editor);
    cancel.addEventListener("click", function () { editor.replaceWith(content); });
    saveButton.addEventListener("click", function () {
      saveButton.disabled = true;
      call("PATCH", "/comments/" + comment.id, { body: area.value }, token).then(function (result) {
        saveButton.disabled = false;
        if (result.status === 200) {
          var sources = load("source", {});
          sources[comment.id] = result.data.body;
          save("source", sources);
          refresh();
        } else {
          error.textContent = fieldMessage(result.data, "body");
          error.hidden = false;
        }
      });
    });
  }

  function fieldMessage(data, field) {
    if (data && data.errors && data.errors[field]) { return data.errors[field].join(" "); }
    return (data && data.detail) || "Something went wrong. Please try again.";
  }

  // The reply form ---------------------------------------------------------------------------

  var FIELDS = [
    { name: "body", label: "Comment", required: true, tag: "textarea" },
    { name: "author_name", label: "Name", required: true, type: "text", autocomplete: "name" },
    { name: "author_email", label: "Email", required: true, type: "email", autocomplete: "email" },
    { name: "author_url", label: "Website", required: false, type: "url", autocomplete: "url" }
  ];
  var formState = { values: {}, node: null };

  function replyForm() {
    var saved = load("identity", null);
    var form = el("form", { className: "bs-form", novalidate: true });
    var title = el("h3", { className: "bs-form__title" }, ["Leave a Reply", el("span", { className: "bs-form__to" })]);
    var cancel = el("button", { type: "button", className: "bs-link bs-cancel", text: "Cancel reply", hidden: true });
    cancel.addEventListener("click", function () { moveForm(null); });
    form.appendChild(el("div", { className: "bs-form__head" }, [title, cancel]));
    form.appendChild(el("p", { className: "bs-notes", text: "Your email address will not be published. Required fields are marked *" }));
    form.appendChild(el("div", { className: "bs-form__errors", role: "alert", hidden: true }));
    FIELDS.forEach(function (field) {
      var id = targetId + "-" + field.name;
      var input = field.tag === "textarea"
        ? el("textarea", { id: id, name: field.name, rows: 6, className: "bs-input", "aria-required": field.required ? "true" : null })
        : el("input", { id: id, name: field.name, type: field.type, className: "bs-input", autocomplete: field.autocomplete, "aria-required": field.required ? "true" : null });
      var value = formState.values[field.name];
      if (value === undefined && saved && field.name !== "body") { value = saved[field.name]; }
      input.value = value || "";
      input.addEventListener("input", function () { formState.values[field.name] = input.value; });
      form.appendChild(el("p", { className: "bs-field bs-field--" + field.name }, [
        el("label", { for: id }, [field.label, field.required ? el("span", { className: "bs-required", text: " *" }) : null]),
        input,
        el("span", { className: "bs-error", id: id + "-error", hidden: true })
      ]));
    });
    var remember = el("input", { type: "checkbox", id: targetId + "-remember", name: "remember", checked: !!saved });
    var notify = el("input", { type: "checkbox", id: targetId + "-notify", name: "notify" });
    form.appendChild(el("p", { className: "bs-check" }, [remember, " ", el("label", { for: remember.id, text: "Save my name, email, and website in this browser for the next time I comment." })]));
    form.appendChild(el("p", { className: "bs-check" }, [notify, " ", el("label", { for: notify.id, text: "Notify me of follow-up comments by email." })]));
    form.appendChild(el("p", {}, [el("button", { type: "submit", className: "bs-submit", text: "Post Comment" })]));
    form.addEventListener("submit", function (event) { event.preventDefault(); submit(form, remember, notify); });
    formState.node = form;
    if (state.replyTo) { setTimeout(function () { moveForm(state.replyTo); }, 0); }
    return form;
  }

  function moveForm(comment) {
    var form = formState.node;
    if (!form) { return; }
    state.replyTo = comment;
    var to = form.querySelector(".bs-form__to");
    var cancel = form.querySelector(".bs-cancel");
    var item = comment && document.getElementById("broadsheet-comment-" + comment.id);
    if (item) {
      item.querySelector(".bs-comment__body").after(form);
      to.textContent = " to " + comment.author.name;
      cancel.hidden = false;
    } else {
      state.replyTo = null;
      root.querySelector(".bs-discussion").appendChild(form);
      to.textContent = "";
      cancel.hidden = true;
    }
    form.querySelector("textarea").focus();
  }

  function showErrors(form, data) {
    var errors = (data && data.errors) || {};
    var general = [];
    form.querySelectorAll(".bs-error").forEach(function (node) { node.hidden = true; node.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (node) { node.removeAttribute("aria-invalid"); node.removeAttribute("aria-describedby"); });
    Object.keys(errors).forEach(function (name) {
      var input = form.querySelector("[name=" + JSON.stringify(name) + "]");
      var slot = input && document.getElementById(input.id + "-error");
      if (slot) {
        slot.textContent = errors[name].join(" ");
        slot.hidden = false;
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", slot.id);
      } else {
        general = general.concat(errors[name]);
      }
    });
    if (!Object.keys(errors).length && data && data.detail) { general.push(data.detail); }
    var box = form.querySelector(".bs-form__errors");
    box.replaceChildren.apply(box, general.map(function (text) { return el("p", { text: text }); }));
    box.hidden = general.length === 0;
    var first = form.querySelector("[aria-invalid]");
    if (first) { first.focus(); }
  }

  function submit(form, remember, notify) {
    var values = {};
    FIELDS.forEach(function (field) { values[field.name] = form.elements[field.name].value; });
    var payload = {
      body: values.body,
      author_name: values.author_name,
      author_email: values.author_email,
      author_url: values.author_url,
      notify: notify.checked,
      parent: state.replyTo ? state.replyTo.id : null,
      title: pageTitle
    };
    if (threadKey) { payload.key = threadKey; } else { payload.url = pageUrl; }
    var button = form.querySelector(".bs-submit");
    button.disabled = true;
    call("POST", "/comments", payload).then(function (result) {
      button.disabled = false;
      if (result.status === 201 || result.status === 202) {
        if (remember.checked) {
          save("identity", { author_name: values.author_name, author_email: values.author_email, author_url: values.author_url });
        } else {
          forget("identity");
        }
        var comment = result.data.comment;
        if (result.data.token) {
          remember_(comment, result.data.token);
        }
        formState.values = {};
        state.replyTo = null;
        var held = result.status === 202;
        return refresh().then(function () {
          if (held) {
            showHeld(comment, result.data.message);
          }
          var placed = document.getElementById("broadsheet-comment-" + comment.id);
          if (placed) { placed.scrollIntoView({ block: "nearest" }); }
        });
      }
      // Refusals (429 too fast included) name their fields; the reader's text stays.
      showErrors(form, result.data);
    }, function () {
      button.disabled = false;
      showErrors(form, { detail: "Your comment could not be sent. Please check your connection; your text is still here." });
    });
  }

  function remember_(comment, token) {
    remember(comment, token);
    var sources = load("source", {});
    sources[comment.id] = comment.body;
    save("source", sources);
  }

  // A held comment is not in the public thread: show it to its author where it would go.
  function showHeld(comment, message) {
    var notice = root.querySelector(".bs-notice");
    if (notice) {
      notice.textContent = message || "Thank you. Your comment will appear once a moderator has reviewed it.";
      notice.hidden = false;
    }
    var list = root.querySelector(".bs-comment-list");
    var parent = comment.parent_id && document.getElementById("broadsheet-comment-" + comment.parent_id);
    var item = commentItem(comment);
    if (parent) {
      var children = parent.querySelector(":scope > .bs-children");
      if (!children) { children = el("ol", { className: "bs-children" }); parent.appendChild(children); }
      children.appendChild(item);
    } else {
      if (!list) {
        list = el("ol", { className: "bs-comment-list" });
        root.querySelector(".bs-count").after(list);
      }
      list.appendChild(item);
    }
  }

  refresh();
})();
