// The transcript's editing area beside its preview, rendered by the site's own
// pipeline. The preview follows the paragraph under the cursor, can be hidden,
// and a save brings the editor back to where the cursor and the scroll were.
// The server renders and sanitises; this only shows. Its words come translated
// from the server, on the textarea's data attributes.
(function () {
  "use strict";

  var PREVIEW_HIDDEN = "transcript-editor:preview-hidden";

  function positionKey() {
    return "transcript-editor:position:" + window.location.pathname;
  }

  function attach(textarea) {
    var url = textarea.getAttribute("data-preview-url");
    var wrapper = document.createElement("div");
    wrapper.className = "transcript-editor";
    textarea.parentNode.insertBefore(wrapper, textarea);

    var toolbar = document.createElement("div");
    toolbar.className = "transcript-toolbar";
    var counter = document.createElement("span");
    counter.className = "transcript-count";
    counter.setAttribute("aria-live", "polite");
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "button transcript-preview-toggle";
    toggle.textContent = textarea.getAttribute("data-preview-toggle");
    toolbar.appendChild(counter);
    toolbar.appendChild(toggle);
    wrapper.appendChild(toolbar);
    wrapper.appendChild(textarea);

    var preview = document.createElement("div");
    preview.className = "transcript-preview";
    preview.setAttribute("role", "region");
    preview.setAttribute("aria-label", textarea.getAttribute("data-preview-label"));
    wrapper.appendChild(preview);

    var csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
    var timer = null;
    var sent = 0;
    var paragraphs = [];
    var followed = null;

    function showPreview(shown) {
      wrapper.classList.toggle("preview-hidden", !shown);
      toggle.setAttribute("aria-pressed", shown ? "true" : "false");
      try {
        window.localStorage.setItem(PREVIEW_HIDDEN, shown ? "" : "1");
      } catch (error) { /* private browsing: the choice lasts for this page only */ }
    }

    // How far into its paragraph the cursor is, by lines: a transcript's paragraph can run to a
    // hundred lines, one sentence each, and the preview shows each on a line of its own.
    function shareOfLines(start, end, cursor) {
      var text = textarea.value;
      var lines = text.slice(start, end).split("\n").length;
      var before = text.slice(start, cursor).split("\n").length - 1;
      return lines > 1 ? before / lines : 0;
    }

    // The preview scrolls to the line of the paragraph that holds the cursor (or the last before it).
    function follow() {
      var cursor = textarea.selectionStart;
      var index = -1;
      while (index + 1 < paragraphs.length && paragraphs[index + 1][0] <= cursor) {
        index++;
      }
      var target = index >= 0 && preview.querySelector('[data-paragraph="' + paragraphs[index][1] + '"]');
      if (followed && followed !== target) {
        followed.classList.remove("is-being-edited");
      }
      followed = target;
      if (target) {
        var end = index + 1 < paragraphs.length ? paragraphs[index + 1][0] : textarea.value.length;
        var within = shareOfLines(paragraphs[index][0], end, cursor) * target.offsetHeight;
        target.classList.add("is-being-edited");
        preview.scrollTop = target.offsetTop + within - preview.clientHeight / 3;
      } else if (cursor === 0) {
        preview.scrollTop = 0;
      }
    }

    function refresh() {
      var ticket = ++sent;
      var body = new FormData();
      body.append("source", textarea.value);
      fetch(url, { method: "POST", body: body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (data) {
          if (ticket !== sent) {
            return;
          }
          preview.innerHTML = data.html;
          paragraphs = data.paragraphs;
          followed = null;
          counter.textContent = textarea
            .getAttribute("data-count-template")
            .replace("%(count)s", data.characters.toLocaleString());
          follow();
        })
        .catch(function () { preview.textContent = textarea.getAttribute("data-preview-unavailable"); });
    }

    function restorePosition() {
      var saved;
      try {
        saved = JSON.parse(window.sessionStorage.getItem(positionKey()) || "null");
        window.sessionStorage.removeItem(positionKey());
      } catch (error) {
        return;
      }
      if (!saved) {
        return;
      }
      textarea.focus({ preventScroll: true });
      textarea.setSelectionRange(saved.start, saved.end);
      textarea.scrollTop = saved.scrollTop;
      window.scrollTo(0, saved.pageY);
    }

    textarea.form.addEventListener("submit", function () {
      try {
        window.sessionStorage.setItem(positionKey(), JSON.stringify({
          start: textarea.selectionStart,
          end: textarea.selectionEnd,
          scrollTop: textarea.scrollTop,
          pageY: window.scrollY
        }));
      } catch (error) { /* storage refused: the save still goes through */ }
    });
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    });
    ["click", "keyup", "focus"].forEach(function (name) {
      textarea.addEventListener(name, follow);
    });
    toggle.addEventListener("click", function () {
      showPreview(wrapper.classList.contains("preview-hidden"));
    });

    var hidden = false;
    try {
      hidden = window.localStorage.getItem(PREVIEW_HIDDEN) === "1";
    } catch (error) { /* no storage: the preview shows */ }
    showPreview(!hidden);
    restorePosition();
    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-preview-url]:not([name*=__prefix__])").forEach(attach);
  });
})();
