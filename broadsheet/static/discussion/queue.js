/* The moderation queue's keyboard: j/k move between comments, a/r/s decide, x selects.
   Every decision is the page's own form POST (CSRF included); without script the buttons work. */
(function () {
  "use strict";
  var form = document.getElementById("queue-form");
  if (!form) { return; }
  var items = Array.prototype.slice.call(form.querySelectorAll(".queue-item"));
  var current = -1;
  var STORE = "broadsheet-queue-index";

  function focusAt(index) {
    if (!items.length) { return; }
    current = Math.max(0, Math.min(items.length - 1, index));
    items.forEach(function (item, i) { item.classList.toggle("is-current", i === current); });
    items[current].focus();
    if (items[current].scrollIntoView) { items[current].scrollIntoView({ block: "nearest" }); }
  }

  function currentIndex() {
    var active = document.activeElement;
    var item = active && active.closest ? active.closest(".queue-item") : null;
    return item ? items.indexOf(item) : current;
  }

  function typing(target) {
    if (!target || !target.tagName) { return false; }
    if (target.isContentEditable) { return true; }
    var tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") { return true; }
    return tag === "INPUT" && target.type !== "checkbox" && target.type !== "radio";
  }

  function submitWith(button) {
    try { sessionStorage.setItem(STORE, String(current)); } catch (e) { /* private mode */ }
    if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) { return; }
    var index = currentIndex();
    var key = event.key;
    if (key === "j") {
      focusAt(index + 1);
    } else if (key === "k") {
      focusAt(index <= 0 ? 0 : index - 1);
    } else if (key === "a" || key === "r" || key === "s") {
      if (index < 0) { return; }
      current = index;
      var button = items[index].querySelector('button[data-key="' + key + '"]');
      if (!button) { return; }
      submitWith(button);
    } else if (key === "x") {
      if (index < 0) { return; }
      var box = items[index].querySelector(".queue-item__select");
      box.checked = !box.checked;
      items[index].classList.toggle("is-selected", box.checked);
    } else {
      return;
    }
    event.preventDefault();
  });

  form.addEventListener("change", function (event) {
    if (event.target.classList && event.target.classList.contains("queue-item__select")) {
      event.target.closest(".queue-item").classList.toggle("is-selected", event.target.checked);
    }
  });
  form.addEventListener("click", function (event) {
    var item = event.target.closest ? event.target.closest(".queue-item") : null;
    if (item) { current = items.indexOf(item); }
  });
  form.addEventListener("submit", function () {
    try { sessionStorage.setItem(STORE, String(current)); } catch (e) { /* private mode */ }
  });

  // After an action the page comes back: keep the moderator's place in the list.
  var saved = null;
  try { saved = sessionStorage.getItem(STORE); sessionStorage.removeItem(STORE); } catch (e) { /* */ }
  if (saved !== null && Number(saved) >= 0 && items.length) { focusAt(Number(saved)); }
}());
